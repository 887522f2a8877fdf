"""Hostile and bad input in one place: XSS payloads, hostile URLs and bad imports.

Every XSS payload carries a unique marker (`xss01` …) and, if a page ever ran it, would
set `window.__xss` to that marker or open a dialog; the HTTP tests look for the marker
in markup, the browser test for `window.__xss` and dialogs.
"""

from __future__ import annotations

import io
import re
import zipfile

XSS = [
    "<script>window.__xss='xss01'</script>",
    "<img src=x onerror=\"window.__xss='xss02'\">",
    "\"><img src=x onerror=window.__xss='xss03'>",
    "'><svg onload=window.__xss='xss04'>",
    "<svg><script>window.__xss='xss05'</script></svg>",
    "<a href=\"javascript:window.__xss='xss06'\">read the report</a>",
    "<a href=\"data:text/html,<script>alert('xss07')</script>\">xss07</a>",
    "<iframe src=\"javascript:parent.__xss='xss08'\"></iframe>",
    "<iframe srcdoc=\"<script>parent.__xss='xss09'</script>\"></iframe>",
    "<body onload=window.__xss='xss10'>",
    '<div onmouseover="window.__xss=\'xss11\'" style="position:fixed;inset:0">xss11</div>',
    "</script><script>window.__xss='xss12'</script>",
    "</textarea><script>window.__xss='xss13'</script>",
    "</title><script>window.__xss='xss14'</script>",
    "<scr<script>ipt>window.__xss='xss15'</scr</script>ipt>",
    "<img src=x onerror=window.__xss='xss16'",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss='xss17'>",
    '{{ 7*7 }} {% now "Y" %} {% debug %} {{ request.user }} xss18',
    "invoice\u202egnp.exe xss19",  # an override never closed: "invoiceexe.png"
    "`${window.__xss='xss20'}` ${7*7} `backticks`",
    '" autofocus onfocus="window.__xss=\'xss21\'" x="',
    "' autofocus onfocus='window.__xss=`xss22`' x='",
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">xss23</object>',
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=\'xss24\'">',
    '<base href="javascript:/xss25/">',
    "<!--xss26--><img src=x onerror=window.__xss='xss26'><!--",
    "<form action=\"javascript:window.__xss='xss27'\"><button>xss27</button></form>",
    "&lt;script&gt;window.__xss='xss28'&lt;/script&gt; &amp; &#x3C;b&#x3E;",
    '<div hx-get="/review/" hx-trigger="load" hx-on::load="window.__xss=\'xss29\'">xss29</div>',
    "<details open ontoggle=alert('xss30')>",
    "<input autofocus onfocus=alert('xss31')>",
    "<a href=\"  JaVaScRiPt:alert('xss32')\">xss32</a>",
    "\u2067\u202bembedded and isolated xss33 \u202d\u200f",  # opened, never closed
]

# Text that opens a right-to-left override and never closes it.
RIGHT_TO_LEFT = "\u202eReport of the ministry"

_MARKER = re.compile(r"xss\d\d")


def marker(payload: str) -> str:
    return _MARKER.search(payload).group()


# A valid http(s) URL that is still hostile: quotes and angle brackets that would break
# out of an unescaped href.
HOSTILE_HTTP_URL = "https://evidence.example/search?q=\"><svg/onload=window.__xss='xssU0'>&x='"

# URLs that must be refused, with the message the form gives for each.
HOSTILE_URLS = [
    ("javascript:window.__xss='xssU1'", "“javascript:” links are not allowed"),
    ("JaVaScRiPt:alert(1)", "“javascript:” links are not allowed"),
    ("  javascript:alert(1)", "“javascript:” links are not allowed"),
    ("java\tscript:alert(1)", "“javascript:” links are not allowed"),
    ("data:text/html,<script>alert(1)</script>", "“data:” links are not allowed"),
    ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "“data:” links are not allowed"),
    ("vbscript:msgbox(1)", "“vbscript:” links are not allowed"),
    ("file:///etc/passwd", "“file:” links are not allowed"),
    ("ftp://files.example/report.pdf", "“ftp:” links are not allowed"),
    ("jav&#x61;script:alert(1)", "Enter an http:// or https:// URL."),
]


# --- bad imports ---------------------------------------------------------------------------


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", "The minister said 3 things on Monday.")
    return buffer.getvalue()


MB = 1024 * 1024
SENTENCE = "The minister said on Monday that 3 schools had closed."

# (file name, bytes, what the message says). The foundation's corpus first, then the
# trust-and-safety additions.
BAD_FILES = [
    ("empty.txt", b"", "is empty"),
    ("blank.txt", b"  \n\n\t \r\n", "is empty"),
    ("binary.txt", b"PK\x03\x04\x00\x00binary", "looks like a zip archive"),
    ("latin1.txt", "Le ministre a déclaré 3 choses.".encode("latin-1"), "not UTF-8"),
    ("control.txt", b"The minister\x1b said 3 things.", "control character U+001B"),
    ("report.pdf", b"%PDF-1.4 The minister said 3 things.", "unknown file type (.pdf)"),
    ("noext", b"The minister said 3 things.", "unknown file type (no extension)"),
    ("dashes.txt", b"---\n\n***\n\n...", "no sentence"),
    ("scripts.html", b"<html><script>alert(1)</script></html>", "no article text"),
    ("huge.txt", (SENTENCE.encode() + b" ") * (10 * MB // 55), "over the import limit of 2.0 MB"),
    (
        "one-line.txt",
        (b"words without any full stop " * (2 * MB // 28))[: 2 * MB - 1],
        "characters without a sentence end on line 1",
    ),
    ("utf16-no-bom.txt", SENTENCE.encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
    ("utf16-be-no-bom.txt", SENTENCE.encode("utf-16-be"), "UTF-16 text without a byte-order mark"),
    ("utf16-broken.txt", b"\xff\xfe" + SENTENCE.encode("utf-16-le")[:-1], "as UTF-16"),
    ("utf32.txt", SENTENCE.encode("utf-32"), "is UTF-32 text"),
    ("nul.txt", SENTENCE.encode() + b"\x00 And more.", "(byte 54 is a NUL byte)"),
    ("nuls.txt", b"\x01\x02binary\x00\x00data\xff", "binary data (byte 8 is a NUL byte)"),
    (
        "styles-and-scripts.html",
        b"<html><head><style>body { color: red }</style><script>var a = 'The minister said 3 "
        b"things.';</script></head><body><script>document.write(a)</script></body></html>",
        "no article text",
    ),
    ("archive.txt", _zip(), "looks like a zip archive"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a PNG image"),
]
