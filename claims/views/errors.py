"""Our own error pages, and the endpoint the browser reports CSP violations to.

- 403 says why (the refusal's own message), as a page or, for an htmx action, as plain
  text that static/js/workspace.js puts into the panel: never a bare "403 Forbidden"
  swapped over the whole page, in debug mode too.
- 404 and 500 are pages of ours (templates/404.html, 500.html; 500 renders without
  context, as Django's own does, since the request may be what broke).
- CSP reports come two ways, both to `/csp-report`: `report-uri` (legacy, a
  application/csp-report body) and `report-to` (the Reporting API, a list in
  application/reports+json), whose endpoint the Reporting-Endpoints header names
  (`ReportingEndpointsMiddleware`: Django's CSP support writes the directive only).
  They are logged at WARNING, at most FACTCHECK_CSP_REPORTS_PER_MINUTE per client
  address a minute (counted in the shared cache, so every process keeps the same count).
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

log = logging.getLogger("factcheck.csp")

DENIED = "You don't have permission to do that."
# A report larger than this is not read (a browser's is a few hundred bytes).
CSP_REPORT_MAX_BYTES = 16 * 1024


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = str(exception) if exception is not None and str(exception) else DENIED
    if request.headers.get("HX-Request"):
        return HttpResponse(reason, status=403, content_type="text/plain; charset=utf-8")
    return render(request, "403.html", {"reason": reason}, status=403)


@csrf_exempt  # browsers send reports without a token, and a report changes nothing
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Log a Content-Security-Policy violation the browser reports (report-uri's
    application/csp-report, or report-to's application/reports+json)."""
    if _over_limit(request):
        return HttpResponse(status=429)
    if len(request.body) > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        report = json.loads(request.body or b"null")
    except ValueError:
        return HttpResponse("Not a JSON report.", status=400, content_type="text/plain")
    for violation in _violations(report):
        log.warning(
            "CSP violation: %s blocked %s on %s",
            violation.get("effective-directive")
            or violation.get("effectiveDirective")
            or violation.get("violated-directive", "?"),
            violation.get("blocked-uri") or violation.get("blockedURL", "?"),
            violation.get("document-uri") or violation.get("documentURL", "?"),
        )
    return HttpResponse(status=204)


def _violations(report) -> list[dict]:
    if isinstance(report, dict) and isinstance(report.get("csp-report"), dict):
        return [report["csp-report"]]
    if isinstance(report, list):  # the Reporting API: [{"type": ..., "body": {...}}]
        return [
            r["body"] for r in report if isinstance(r, dict) and isinstance(r.get("body"), dict)
        ]
    return []


def _over_limit(request: HttpRequest) -> bool:
    minute = timezone.now().strftime("%Y%m%d%H%M")
    key = f"csp-reports:{request.META.get('REMOTE_ADDR', '')}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        return False
    return count > settings.FACTCHECK_CSP_REPORTS_PER_MINUTE


class ReportingEndpointsMiddleware:
    """Names the URL of the endpoint SECURE_CSP's `report-to` names (our /csp-report) in
    a Reporting-Endpoints header, on every response whose policy reports to it (a page
    under a stricter policy of its own, which reports nowhere, gets none). Listed before
    Django's CSP middleware, so it sees the policy that middleware wrote."""

    def __init__(self, get_response):
        self.get_response = get_response
        groups = settings.SECURE_CSP.get("report-to")
        self.group = str(groups[0]) if isinstance(groups, list) and groups else ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        directives = {
            directive.strip()
            for header in (CSP.HEADER_ENFORCE, CSP.HEADER_REPORT_ONLY)
            for directive in response.get(str(header), "").split(";")
        }
        if self.group and f"report-to {self.group}" in directives:
            response.headers.setdefault(
                "Reporting-Endpoints", f'{self.group}="{reverse("csp-report")}"'
            )
        return response
