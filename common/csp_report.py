"""Where browsers report what the Content-Security-Policy blocked (`report-uri`).

Anyone can post here, so the endpoint reads at most `CSP_REPORT_MAX_BYTES`, logs a few
fields of each report (cut short) at most `CSP_REPORT_RATE` times per address, and answers
204 whatever it was sent: a report is a hint for the maintainers, never an error for the
reader's browser."""

import json
import logging

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .clientip import client_ip
from .ratelimit import parse_rate, rate_limit_wait

logger = logging.getLogger("csp.reports")

# The fields worth a maintainer's look, in both the report-uri and the Reporting API form.
FIELDS = {
    "document-uri": "document",
    "documentURL": "document",
    "violated-directive": "directive",
    "effective-directive": "directive",
    "effectiveDirective": "directive",
    "blocked-uri": "blocked",
    "blockedURL": "blocked",
    "source-file": "source",
    "sourceFile": "source",
    "line-number": "line",
    "lineNumber": "line",
    "disposition": "disposition",
}
FIELD_CHARACTERS = 300


def _violations(payload) -> list[dict]:
    """`{"csp-report": {...}}` (report-uri) or `[{"type": "csp-violation", "body": {...}}]`
    (report-to) → the violations' bodies."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]
    if isinstance(payload, list):
        return [
            entry["body"]
            for entry in payload
            if isinstance(entry, dict) and isinstance(entry.get("body"), dict)
        ]
    return []


def _summary(violation: dict) -> dict:
    summary = {}
    for field, name in FIELDS.items():
        if field in violation and name not in summary:
            summary[name] = str(violation[field])[:FIELD_CHARACTERS]
    return summary


@csrf_exempt
@require_POST
def csp_report(request):
    limit = settings.CSP_REPORT_MAX_BYTES
    body = request.read(limit + 1)
    if len(body) > limit:
        return HttpResponse(status=413)
    requests, seconds = parse_rate(settings.CSP_REPORT_RATE)
    if rate_limit_wait(f"csp-report:{client_ip(request)}", requests=requests, seconds=seconds):
        return HttpResponse(status=204)
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return HttpResponse(status=204)
    for violation in _violations(payload)[:10]:
        logger.warning("CSP violation: %s", json.dumps(_summary(violation), ensure_ascii=False))
    return HttpResponse(status=204)
