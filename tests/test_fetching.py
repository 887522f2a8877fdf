"""The fetcher (claims/fetching.py) against a real local website on 127.0.0.1: what it
fetches, and every refusal, each one line for the editor. DNS is an outside service, so
the tests that need a name to resolve somewhere replace `fetching.resolve`."""

from __future__ import annotations

import hashlib
import ipaddress
import time

import pytest

from claims import fetching
from claims.fetching import FetchRefused, check_url, fetch
from tests.website import PAGES, Website, redirect

LIMIT = 2 * 1024 * 1024
GUARDIAN = "guardian.co.tt-massy.html"


def refused(url: str, **options) -> str:
    with pytest.raises(FetchRefused) as caught:
        fetch(url, max_bytes=options.pop("max_bytes", LIMIT), **options)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("refused: ")
    return message


@pytest.fixture
def names(monkeypatch):
    """Host names the test makes up, resolved as it says; every other name is unknown."""
    table: dict[str, list[str]] = {}

    def resolve(host: str, port: int):
        if host in table:
            return [ipaddress.ip_address(a) for a in table[host]]
        return real(host, port) if host.replace(".", "").isdigit() else missing(host)

    def missing(host: str):
        raise FetchRefused(f"refused: {host} can't be found (no such name).")

    real = fetching.resolve
    monkeypatch.setattr(fetching, "resolve", resolve)
    return table


# --- what it fetches ------------------------------------------------------------------


def test_it_fetches_a_real_page_with_everything_the_capture_keeps(website):
    url = website.url(f"/pages/{GUARDIAN}")
    page = fetch(url, max_bytes=LIMIT)

    body = (PAGES / GUARDIAN).read_bytes()
    assert (page.url, page.final_url, page.status) == (url, url, 200)
    assert (page.content_type, page.charset) == ("text/html", "utf-8")
    assert page.body == body
    assert page.sha256 == hashlib.sha256(body).hexdigest()
    assert 0 < page.elapsed < 1.5
    assert page.fetched_at is not None


def test_it_says_who_it_is_and_names_the_host(website, settings):
    settings.FACTCHECK_FETCH_USER_AGENT = "Factcheck/0.1 (fact-checking desk of Test Desk)"
    fetch(website.url("/text"), max_bytes=LIMIT)
    _, headers = website.requests[-1]
    assert headers["User-Agent"] == "Factcheck/0.1 (fact-checking desk of Test Desk)"
    assert headers["Host"] == f"127.0.0.1:{website.port}"


def test_the_default_user_agent_names_factcheck_and_the_desk(settings):
    assert settings.FACTCHECK_FETCH_USER_AGENT.startswith("Factcheck/")
    assert settings.FACTCHECK_ORGANISATION in settings.FACTCHECK_FETCH_USER_AGENT


def test_plain_text_is_fetched_too(website):
    page = fetch(website.url("/text"), max_bytes=LIMIT)
    assert page.content_type == "text/plain"
    assert page.body.startswith(b"The council said")


def test_a_gzipped_page_is_decompressed(website):
    page = fetch(website.url("/gzipped"), max_bytes=LIMIT)
    assert page.body == (PAGES / GUARDIAN).read_bytes()


def test_it_follows_up_to_five_redirects_and_keeps_the_final_url(website):
    page = fetch(website.url("/chain/5"), max_bytes=LIMIT)
    assert page.final_url == website.url("/pages/dw.com.uncork.html")
    assert page.url == website.url("/chain/5")
    assert [path for path, _ in website.requests][-1] == "/pages/dw.com.uncork.html"


def test_a_public_name_connects_to_the_address_that_was_checked(website, names):
    """The name is resolved once per request, checked, and the connection goes to that
    address with the name in the Host header: a second DNS answer can't move it."""
    names["news.example"] = ["127.0.0.1"]
    page = fetch(website.url("/text", host="news.example"), max_bytes=LIMIT)
    assert page.status == 200
    _, headers = website.requests[-1]
    assert headers["Host"] == f"news.example:{website.port}"


# --- addresses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://2130706433/", "refused: 2130706433 (127.0.0.1) is a loopback address."),
        ("http://0x7f000001/", "refused: 0x7f000001 (127.0.0.1) is a loopback address."),
        ("http://127.1/", "refused: 127.1 (127.0.0.1) is a loopback address."),
        (
            "http://[::ffff:127.0.0.1]/",
            "refused: ::ffff:127.0.0.1 is a loopback address inside an IPv6 address (127.0.0.1).",
        ),
        ("http://0.0.0.0/", "refused: 0.0.0.0 is an unspecified address."),
        ("http://[::]/", "refused: :: is an unspecified address."),
        ("http://[::1]:8000/", "refused: ::1 is a loopback address."),
        ("http://10.0.0.5/", "refused: 10.0.0.5 is a private address."),
        ("http://192.168.1.1/", "refused: 192.168.1.1 is a private address."),
        ("http://169.254.169.254/latest/", "refused: 169.254.169.254 is a link-local address."),
        ("http://[fe80::1]/", "refused: fe80::1 is a link-local address."),
        ("http://224.0.0.1/", "refused: 224.0.0.1 is a multicast address."),
        ("http://240.0.0.1/", "refused: 240.0.0.1 is a private address."),
        ("http://[fd00::1]/", "refused: fd00::1 is a private address."),
        ("http://[fec0::1]/", "refused: fec0::1 is a site-local address."),
        ("http://100.64.0.1/", "refused: 100.64.0.1 is not a public address."),
        (
            "http://[2002:a00:5::]/",
            "refused: 2002:a00:5:: is a private address inside an IPv6 address (10.0.0.5).",
        ),
        (
            "http://[64:ff9b::a9fe:a9fe]/",
            "refused: 64:ff9b::a9fe:a9fe is a link-local address inside an IPv6 address "
            "(169.254.169.254).",
        ),
    ],
)
def test_private_and_special_addresses_are_refused_however_they_are_written(url, message):
    assert refused(url) == message
    with pytest.raises(FetchRefused, match="refused: "):
        check_url(url)


def test_a_public_name_that_resolves_to_a_private_address_is_refused(names):
    names["intranet.news.example"] = ["10.0.0.5"]
    message = refused("http://intranet.news.example/article")
    assert message == "refused: intranet.news.example (10.0.0.5) is a private address."


def test_every_address_of_a_name_is_checked_not_only_the_first(names):
    names["mixed.example"] = ["93.184.215.14", "10.1.2.3"]
    assert refused("http://mixed.example/") == (
        "refused: mixed.example (10.1.2.3) is a private address."
    )


def test_a_name_that_does_not_resolve_is_refused(names):
    assert refused("http://nowhere.example/") == (
        "refused: nowhere.example can't be found (no such name)."
    )


def test_loopback_is_refused_until_the_setting_allows_it(website, settings):
    settings.FACTCHECK_FETCH_ALLOWED_NETWORKS = []
    assert refused(website.url("/text")) == "refused: 127.0.0.1 is a loopback address."
    settings.FACTCHECK_FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    assert fetch(website.url("/text"), max_bytes=LIMIT).status == 200


# --- redirects ------------------------------------------------------------------------


def test_a_redirect_to_the_metadata_address_is_refused(website):
    assert refused(website.url("/to-metadata")) == (
        "refused: 169.254.169.254 is a link-local address."
    )
    assert [path for path, _ in website.requests] == ["/to-metadata"]


def test_a_redirect_to_a_private_address_inside_an_ipv6_one_is_refused(website):
    assert refused(website.url("/to-mapped")) == (
        "refused: ::ffff:10.0.0.5 is a private address inside an IPv6 address (10.0.0.5)."
    )


def test_a_redirect_to_a_name_that_resolves_privately_is_refused(website, names):
    names["cms.news.example"] = ["192.168.10.20"]
    website.routes["/moved"] = redirect("http://cms.news.example/story")
    assert refused(website.url("/moved")) == (
        "refused: cms.news.example (192.168.10.20) is a private address."
    )


def test_a_redirect_to_another_scheme_is_refused(website):
    assert refused(website.url("/to-ftp")) == (
        "refused: “ftp:” URLs are not fetched; only http and https."
    )


def test_a_redirect_loop_is_refused(website):
    a, b = website.url("/loop-a"), website.url("/loop-b")
    assert refused(a) == f"refused: the page redirects in a loop ({a} → {b} → …)."


def test_more_than_five_redirects_are_refused(website):
    assert refused(website.url("/hop/0")) == (
        f"refused: more than 5 redirects (the last to {website.url('/hop/6')})."
    )


# --- what comes back ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/pdf", "refused: the page is a PDF document (application/pdf), not HTML or plain text."),
        ("/png", "refused: the page is an image (image/png), not HTML or plain text."),
        ("/zip", "refused: the page is a zip archive (application/zip), not HTML or plain text."),
    ],
)
def test_other_content_types_are_refused_by_name(website, path, message):
    assert refused(website.url(path)) == message


def test_an_answer_without_a_content_type_is_refused(website):
    url = website.url("/no-type")
    assert refused(url) == f"refused: {url} doesn't say what it sent (no type)."


@pytest.mark.parametrize(
    ("path", "status"), [("/missing", "404 Not Found"), ("/broken", "500 Internal Server Error")]
)
def test_error_statuses_are_refused_with_the_status(website, path, status):
    url = website.url(path)
    assert refused(url) == f"refused: {url} answered {status}."


def test_a_page_that_says_it_is_too_large_is_refused_before_reading_it(website):
    assert refused(website.url("/huge")) == (
        "refused: the page is 50.0 MB, over the limit of 2.0 MB (FACTCHECK_IMPORT_MAX_BYTES)."
    )


def test_a_page_that_streams_past_the_limit_is_cut_off_at_it(website):
    assert refused(website.url("/endless"), max_bytes=256 * 1024) == (
        "refused: the page is larger than the limit of 256 KB (FACTCHECK_IMPORT_MAX_BYTES)."
    )


def test_a_gzip_bomb_stops_at_the_limit_once_decompressed(website):
    started = time.monotonic()
    assert refused(website.url("/bomb")) == (
        "refused: the page is larger once decompressed than the limit of 2.0 MB "
        "(FACTCHECK_IMPORT_MAX_BYTES)."
    )
    assert time.monotonic() - started < 1.0  # stopped at 2 MB, not after 64 MB


def test_a_server_that_stops_sending_hits_the_read_timeout(website):
    started = time.monotonic()
    assert refused(website.url("/slow")) == (
        "refused: 127.0.0.1 stopped sending for more than 0.5 s (read timed out)."
    )
    assert time.monotonic() - started < 1.5


def test_a_server_that_sends_a_byte_at_a_time_hits_the_deadline(website):
    started = time.monotonic()
    url = website.url("/drip")
    assert refused(url) == f"refused: {url} took longer than 1.5 s to send the page."
    assert time.monotonic() - started < 2.5


def test_a_closed_port_is_refused(website):
    website.stop()
    message = refused(website.url("/text"))
    assert message.startswith("refused: could not connect to 127.0.0.1 (")


# --- URLs as the form checks them -----------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://files.example/a.txt", "refused: “ftp:” URLs are not fetched; only http and https."),
        ("file:///etc/passwd", "refused: “file:” URLs are not fetched; only http and https."),
        (
            "javascript:alert(1)",
            "refused: “javascript:” URLs are not fetched; only http and https.",
        ),
        (
            "news.example/a",
            "refused: URLs without http:// or https:// are not fetched; only http and https.",
        ),
        (
            "http://user:secret@news.example/",
            "refused: URLs with a user name or password are not fetched.",
        ),
        ("http:///path", "refused: http:///path has no host name."),
    ],
)
def test_check_url_refuses_what_is_not_a_web_address(url, message):
    with pytest.raises(FetchRefused) as caught:
        check_url(url)
    assert str(caught.value) == message


# --- HTTPS ----------------------------------------------------------------------------


@pytest.fixture
def secure_website(website, names, settings, tmp_path):
    """The same website over HTTPS, its certificate for news.example from a test CA."""
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    context = __import__("ssl").create_default_context(__import__("ssl").Purpose.CLIENT_AUTH)
    ca.issue_cert("news.example").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    settings.FACTCHECK_FETCH_CA_FILE = str(ca_file)
    names["news.example"] = ["127.0.0.1"]
    names["other.example"] = ["127.0.0.1"]
    site = Website(ssl_context=context).start()
    yield site
    site.stop()


def test_https_is_fetched_from_the_checked_address_with_the_name_for_the_certificate(
    secure_website,
):
    page = fetch(secure_website.url(f"/pages/{GUARDIAN}", host="news.example"), max_bytes=LIMIT)
    assert page.body == (PAGES / GUARDIAN).read_bytes()


def test_https_with_a_certificate_for_another_name_is_refused(secure_website):
    message = refused(secure_website.url("/text", host="other.example"))
    assert message.startswith("refused: other.example's HTTPS certificate could not be verified")


def test_an_international_name_is_looked_up_in_its_ascii_form(website, names):
    names["xn--bcher-kva.example"] = ["127.0.0.1"]
    assert fetch(website.url("/text", host="bücher.example"), max_bytes=LIMIT).status == 200
    _, headers = website.requests[-1]
    assert headers["Host"] == f"xn--bcher-kva.example:{website.port}"
