"""Serving the app with gunicorn on loopback and loading it with wrk."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only: the benchmark never leaves the machine


class BenchError(RuntimeError):
    """The benchmark could not run; the message says what to fix."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving factcheck.wsgi on a free loopback port, until stop()."""

    def __init__(self, *, workers: int, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.base = f"http://{HOST}:{self.port}"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "factcheck.wsgi",
            f"--bind={HOST}:{self.port}",
            f"--workers={workers}",
            "--log-level=warning",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)
        self._wait_until_up()

    def _wait_until_up(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited with status {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise BenchError(f"gunicorn did not answer on {self.base}/healthz within {seconds} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Worker:
    """A background worker (`manage.py run_worker`) polling its queue, until stop()."""

    def __init__(self, *, env: dict[str, str]) -> None:
        # PYTHONFAULTHANDLER: SIGABRT prints every thread's stack (see `restart_stuck`).
        self.env = env | {"PYTHONFAULTHANDLER": "1"}
        self.restarts = 0
        self._start()

    def _start(self) -> None:
        command = [sys.executable, "manage.py", "run_worker", "--no-reload"]
        command += ["--no-startup-delay", "--interval=0.05", "--verbosity=0"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        self.started = time.monotonic()

    def running_for(self) -> float:
        return time.monotonic() - self.started

    def restart_stuck(self, waited: float) -> None:
        """The worker took no task for `waited` seconds: print where it is stuck (its
        stack, by SIGABRT and the fault handler) and start a new one. Seen once in CI
        on SQLite under load (cause not found yet); counted in the bench's report."""
        print(
            f"bench: the worker took no task for {waited:.0f} s; its stack follows",
            file=sys.stderr,
            flush=True,
        )
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGABRT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:  # stopped, not stuck: no stack to print
                self.process.kill()
                self.process.wait()
        else:
            print(f"bench: it had exited with {self.process.returncode}", file=sys.stderr)
        self.restarts += 1
        self._start()

    def cpu_seconds(self) -> float | None:
        """The CPU time the worker has used so far (Linux's /proc; None elsewhere)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        # utime and stime, the 14th and 15th fields, counted after the command's name.
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # it finishes the task it is running first
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect (to the login page, say) must show as itself


def log_in(base: str, username: str, password: str, cookie_name: str) -> str:
    """Log in through the login form, as a browser does; the Cookie header to send."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirects)
    url = f"{base}/accounts/login/"
    with opener.open(url, timeout=30) as response:
        form = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if token is None:
        raise BenchError(f"no CSRF token in the login form at {url}")
    data = {"username": username, "password": password, "csrfmiddlewaretoken": token[1]}
    request = urllib.request.Request(url, data=urlencode(data).encode(), headers={"Referer": url})
    try:
        opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:  # the 302 after a successful login lands here
        if error.code != 302:
            raise BenchError(f"logging in as {username} answered {error.code}") from None
    cookies = {cookie.name: cookie.value for cookie in jar}
    if cookie_name not in cookies:
        raise BenchError(f"logging in as {username} set no {cookie_name} cookie")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def csrf_token(url: str, cookie: str) -> str:
    """The CSRF token of the form on the page at `url`, as a browser holds it once the
    page is shown."""
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', fetch(url, cookie))
    if token is None:
        raise BenchError(f"no CSRF token in the form at {url}")
    return token[1].decode()


def post_form(url: str, fields: dict[str, str], cookie: str, *, token: str = "") -> str:
    """Submit the form on the page at `url` as a logged-in browser does (with `token`,
    or the page's CSRF token fetched first); the address the answer redirects to.
    Anything but a redirect is an error."""
    token = token or csrf_token(url, cookie)
    data = urlencode(fields | {"csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(url, data=data, headers={"Cookie": cookie})
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=120) as response:
            raise BenchError(f"{url} answered {response.status} to the form, not a redirect")
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise BenchError(f"{url} answered {error.code} to the form, not 302") from None
        return error.headers["Location"]


def etag_of(url: str, cookie: str = "") -> str:
    """The ETag the page at `url` answers with (a 200 is required)."""
    opener = urllib.request.build_opener(_NoRedirects)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with opener.open(request, timeout=60) as response:
        etag = response.headers.get("ETag")
    if not etag:
        raise BenchError(f"{url} sent no ETag")
    return etag


def fetch(url: str, cookie: str = "") -> bytes:
    """The page's body; anything but 200 (a redirect to the login page too) is an error."""
    opener = urllib.request.build_opener(_NoRedirects)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with opener.open(request, timeout=60) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        raise BenchError(f"{url} answered {error.code}, not 200") from None


@dataclass(frozen=True)
class Load:
    seconds: int
    connections: int
    threads: int


@dataclass(frozen=True)
class Result:
    requests: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _latency_ms(output: str, percentile: str) -> float:
    match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    if match is None:
        raise BenchError(f"no {percentile}% latency in wrk's output:\n{output}")
    return float(match[1]) * _UNITS_MS[match[2]]


def wrk(url: str, load: Load, cookie: str = "", headers: dict[str, str] | None = None) -> Result:
    """Load `url` for `load.seconds`; every answer must be a 2xx or 3xx and none may time out."""
    if shutil.which("wrk") is None:
        raise BenchError("wrk is not installed: apt-get install wrk")
    command = ["wrk", "--latency", f"-d{load.seconds}s", f"-c{load.connections}"]
    command += [f"-t{min(load.threads, load.connections)}", "--timeout=30s"]
    sent = ({"Cookie": cookie} if cookie else {}) | (headers or {})
    for name, value in sent.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, env=os.environ
    ).stdout
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        raise BenchError(f"{url}: {match[1]} answers were not 2xx/3xx under load")
    if (match := re.search(r"timeout (\d+)", output)) and int(match[1]):
        raise BenchError(f"{url}: {match[1]} requests timed out under load")
    requests = re.search(r"(\d+) requests in", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if requests is None or rate is None:
        raise BenchError(f"could not read wrk's output:\n{output}")
    return Result(
        requests=int(requests[1]),
        requests_per_s=float(rate[1]),
        p50_ms=_latency_ms(output, "50"),
        p99_ms=_latency_ms(output, "99"),
    )
