"""Every page answers with the strict Content-Security-Policy: the workspace, the public
pages, feeds and JSON, the login page and the admin. Pages are found from the URL conf
and the admin's registry, so a new one is checked without being listed here."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from claims import evidence, jobs, publishing, transparency
from claims.models import ClaimMatch, CorrectionRequest, TeamProfile, Tip
from claims.review import claim_add_source
from tests.readers import photo_bytes
from tests.workspace import a_claim, settled_article

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "report-uri": "/csp-report",  # claims/views/errors.py logs what browsers report
    "report-to": "csp-endpoint",  # the Reporting API's name for it: REPORTING below
}
# The Reporting-Endpoints header that names the URL of the report-to endpoint.
REPORTING = 'csp-endpoint="/csp-report"'


# Captured text (the public snapshot page, the desk's plain-text view) goes out under a
# stricter policy still: nothing may load or run but our own style sheet and icon.
SNAPSHOT = {
    "default-src": "'none'",
    "style-src": "'self'",
    "img-src": "'self'",
    "base-uri": "'none'",
    "form-action": "'none'",
    "frame-ancestors": "'none'",
}
STRICTER = {"source-snapshot": SNAPSHOT, "snapshot-text": SNAPSHOT}


# What the policy would block in a page: inline scripts (data blocks such as JSON-LD are
# not run, so allowed), style attributes and elements, event-handler attributes.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>"
    r"|<style\b|\sstyle=|\son[a-z]+=",
    re.IGNORECASE,
)


def parse(header: str) -> dict[str, str]:
    return dict(d.strip().split(" ", 1) for d in header.split(";") if d.strip())


def named_patterns(patterns=None, namespace=""):
    """(url name, pattern) for every named route outside the admin."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


@pytest.fixture
def site(db, editor, reviewer, second_reviewer, website, superuser):
    article, claim = settled_article(editor=editor, reviewer=reviewer, approver=second_reviewer)
    source = claim_add_source(
        actor=reviewer, claim=claim, url=website.url("/text"), title="E", stance="context"
    )
    snapshot = evidence.source_capture(source_id=source.pk)
    publishing.article_publish(actor=editor, article=article)
    job = jobs.import_enqueue(actor=editor, data=b"A queued article says 3 things.")
    tip = Tip.objects.create(text="A claim to check.", sender="s")
    request = CorrectionRequest.objects.create(
        article=article, claim=claim, problem="Wrong", sender="s"
    )
    match = ClaimMatch.objects.create(claim=claim, earlier=a_claim(), score=0.9)
    profile = transparency.profile_save(
        actor=superuser,
        profile=TeamProfile(
            user=reviewer,
            public_name="Rafael",
            is_public=True,
            photo=ContentFile(photo_bytes(exif=False), name="rafael.png"),
        ),
    )
    return {
        "name": profile.photo.name.rsplit("/", 1)[-1],
        "tip_pk": tip.pk,
        "request_pk": request.pk,
        "match_pk": match.pk,
        "snapshot_pk": snapshot.pk,
        "job_pk": job.pk,
        "slug": article.slug,
        "pk": claim.pk,
        "source_pk": source.pk,
        "ordinal": claim.ordinal,
        "version": 1,
    }


def page_urls(site) -> list[str]:
    urls = []
    for name, pattern in named_patterns():
        kwargs = {key: site[key] for key in pattern.pattern.converters}
        urls.append(reverse(name, kwargs=kwargs))
    return urls


def admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        if first := model._default_manager.order_by("pk").first():
            urls.append(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            )
    return urls


def test_every_page_sends_the_strict_policy(client, site, superuser):
    client.force_login(superuser)
    checked = 0
    for url in page_urls(site) + admin_urls():
        response = client.get(url)
        assert response.status_code in {200, 302, 405}, url
        policy = parse(response["Content-Security-Policy"])
        assert policy == STRICTER.get(resolve(url).url_name, POLICY), url
        reports_to = "report-to" in policy
        assert response.headers.get("Reporting-Endpoints") == (REPORTING if reports_to else None)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            assert not INLINE.findall(response.content.decode()), url
        checked += 1
    assert checked > 30


def test_anonymous_pages_and_errors_send_it_too(client, site):
    for url in ["/checks/", f"/checks/{site['slug']}/", "/accounts/login/", "/no/such/page/"]:
        response = client.get(url)
        assert parse(response["Content-Security-Policy"]) == POLICY, url
        assert response["Reporting-Endpoints"] == REPORTING, url


def test_no_policy_allows_inline_or_eval(client, db):
    header = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
