"""A local website for the tests that fetch: a real HTTP server on 127.0.0.1 serving the
real pages in tests/data/pages/ and hostile answers (redirect chains to private
addresses, a gzip bomb, a slow server, wrong content types). The only network the tests
touch; the `website` fixture (tests/conftest.py) starts one per test."""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Callable
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).parent / "data" / "pages"
HTML = "text/html; charset=utf-8"

# The tests may fetch from 127.0.0.1 only, and never wait long.
ALLOWED = ["127.0.0.1/32"]
TIMEOUTS = {"CONNECT_TIMEOUT": 1.0, "READ_TIMEOUT": 0.5, "DEADLINE_SECONDS": 1.5}

Handler = Callable[[BaseHTTPRequestHandler], None]


@cache
def gzip_bomb() -> bytes:
    """64 MB of zeros, gzipped to about 64 KB."""
    return gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)


def answer(status: int = 200, body: bytes = b"", content_type: str = HTML, **headers: str):
    def send(request: BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        if content_type:
            request.send_header("Content-Type", content_type)
        for name, value in headers.items():
            request.send_header(name.replace("_", "-"), value)
        if "Content_Length" not in headers:
            request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return send


def redirect(location: str, status: int = 302) -> Handler:
    return answer(status, content_type="", Location=location)


def slow(pause: float) -> Handler:
    """Headers and the page's start at once, then silence for `pause` seconds."""

    def send(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", HTML)
        request.send_header("Content-Length", "100000")
        request.end_headers()
        request.wfile.write(b"<html><body><p>The start of a page")
        request.wfile.flush()
        time.sleep(pause)

    return send


def drip(seconds: float) -> Handler:
    """A byte every 50 ms for `seconds`: never silent long enough for a read timeout."""

    def send(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", HTML)
        request.end_headers()
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            request.wfile.write(b" ")
            request.wfile.flush()
            time.sleep(0.05)

    return send


def endless(chunk: int = 64 * 1024) -> Handler:
    """A page without a Content-Length that never ends (closed after 64 MB)."""

    def send(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/plain; charset=utf-8")
        request.end_headers()
        for _ in range(1024):
            request.wfile.write(b"The same sentence again. " * (chunk // 25))

    return send


def held(release: threading.Event, name: str) -> Handler:
    """The page, once the test sets `release` (so it can look at a fetch under way)."""

    def send(request: BaseHTTPRequestHandler) -> None:
        release.wait(timeout=60)
        page(name)(request)

    return send


def tiny_pdf(text: str, *, title: str = "") -> bytes:
    """A one-page PDF that says `text` (ASCII), written by hand: objects, then the
    cross-reference table of their byte offsets that readers need."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    info = f"<< /Title ({title}) >>" if title else "<< >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        info.encode(),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def save_page_now(archive: str = "https://web.archive.org") -> Handler:
    """What Save Page Now answers once it has archived the address after /save/: the
    copy's location, in a Content-Location header."""

    def send(request: BaseHTTPRequestHandler) -> None:
        saved = request.path.removeprefix("/save/")
        location = f"/web/20261129063000/{saved}"
        answer(body=b"<p>Saved.</p>", Content_Location=location)(request)

    return send


def page(name: str) -> Handler:
    return answer(body=(PAGES / name).read_bytes())


class Website:
    """routes: path → handler; `requests` records (path, headers) of every request."""

    def __init__(self, *, ssl_context=None) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        site = self

        class Request(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                site.requests.append((self.path, dict(self.headers)))
                handler = site.routes.get(self.path) or site.by_prefix(self.path)
                # The fetcher may stop reading, as it should.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    handler(self)
                self.close_connection = True

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Request)
        self.server.daemon_threads = True
        if ssl_context is not None:
            self.server.socket = ssl_context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.scheme = "https" if ssl_context is not None else "http"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.routes |= self.default_routes()

    def by_prefix(self, path: str) -> Handler:
        """The handler of a route ending in "*" that starts `path` (/save/*), or 404."""
        for route, handler in self.routes.items():
            if route.endswith("*") and path.startswith(route[:-1]):
                return handler
        return answer(404, b"Not found")

    def url(self, path: str, *, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def default_routes(self) -> dict[str, Handler]:
        routes: dict[str, Handler] = {
            f"/pages/{p.name}": page(p.name) for p in PAGES.glob("*.html")
        }
        text = b"The council said 40 homes were flooded on Monday.\n"
        return (
            routes
            | {
                "/text": answer(body=text, content_type="text/plain; charset=utf-8"),
                "/pdf": answer(body=b"%PDF-1.7\n", content_type="application/pdf"),
                "/png": answer(body=b"\x89PNG\r\n\x1a\n", content_type="image/png"),
                "/zip": answer(body=b"PK\x03\x04", content_type="application/zip"),
                "/no-type": answer(body=b"<p>What am I?</p>", content_type=""),
                "/missing": answer(404, b"<h1>Not found</h1>"),
                "/broken": answer(500, b"<h1>Server error</h1>"),
                "/empty": answer(
                    body=b"<html><head><script>var x = 1;</script></head><body></body></html>"
                ),
                "/loop-a": redirect("/loop-b"),
                "/loop-b": redirect("/loop-a"),
                "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/"),
                "/to-mapped": redirect("http://[::ffff:10.0.0.5]/admin", 301),
                "/to-ftp": redirect("ftp://files.example/article.txt"),
                "/bomb": answer(body=gzip_bomb(), Content_Encoding="gzip"),
                "/huge": answer(body=b"", Content_Length=str(50 * 1024 * 1024)),
                "/endless": endless(),
                "/slow": slow(3.0),
                "/drip": drip(3.0),
                "/gzipped": answer(
                    body=gzip.compress((PAGES / "guardian.co.tt-massy.html").read_bytes()),
                    Content_Encoding="gzip",
                ),
            }
            | {f"/hop/{n}": redirect(f"/hop/{n + 1}", 307) for n in range(10)}
            | {
                f"/chain/{n}": redirect(f"/chain/{n - 1}" if n > 1 else "/pages/dw.com.uncork.html")
                for n in range(1, 6)
            }
        )

    @staticmethod
    def environment() -> dict[str, str]:
        """What a worker process needs to fetch from it, with the tests' short timeouts."""
        return {
            "FACTCHECK_FETCH_ALLOWED_NETWORKS": ",".join(ALLOWED),
            "FACTCHECK_FETCH_CONNECT_TIMEOUT": str(TIMEOUTS["CONNECT_TIMEOUT"]),
            "FACTCHECK_FETCH_READ_TIMEOUT": str(TIMEOUTS["READ_TIMEOUT"]),
            "FACTCHECK_FETCH_DEADLINE_SECONDS": str(TIMEOUTS["DEADLINE_SECONDS"]),
        }

    def start(self) -> Website:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
