"""Browsers report Content-Security-Policy violations to /csp-report/, which logs them
briefly, a limited number per address, whatever they post."""

import json
import logging

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

URL = "/csp-report/"
REPORT = {
    "csp-report": {
        "document-uri": "https://portal.example.org/map/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "https://cdn.example.net/lib.js",
        "source-file": "https://portal.example.org/map/",
        "line-number": 12,
        "original-policy": "default-src 'self'; " + "x" * 5000,
    }
}


@pytest.fixture
def csp_log(caplog):
    caplog.set_level(logging.WARNING, logger="csp.reports")
    return caplog


def post(client, payload, content_type="application/csp-report", **extra):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return client.post(URL, body, content_type=content_type, **extra)


def logged(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "csp.reports"]


def test_the_policy_names_the_report_endpoint(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "report-uri /csp-report/" in policy


def test_a_report_is_logged_in_short_without_csrf(csp_log):
    client = Client(enforce_csrf_checks=True)
    response = post(client, REPORT)
    assert response.status_code == 204
    [message] = logged(csp_log)
    assert "script-src-elem" in message
    assert "https://cdn.example.net/lib.js" in message
    assert '"line": "12"' in message
    # The policy itself (long, and known) is not repeated.
    assert "xxxx" not in message


def test_a_reporting_api_batch_is_logged(client, csp_log):
    batch = [
        {
            "type": "csp-violation",
            "body": {"blockedURL": "inline", "effectiveDirective": "style-src"},
        },
        {
            "type": "csp-violation",
            "body": {"blockedURL": "eval", "effectiveDirective": "script-src"},
        },
    ]
    assert post(client, batch, content_type="application/reports+json").status_code == 204
    messages = logged(csp_log)
    assert len(messages) == 2
    assert "style-src" in messages[0]
    assert "eval" in messages[1]


def test_long_fields_are_cut_short(client, csp_log):
    post(client, {"csp-report": {"blocked-uri": "https://x.example/" + "a" * 10_000}})
    [message] = logged(csp_log)
    assert len(message) < 500


def test_a_body_over_the_cap_is_refused_unread(client, csp_log, settings):
    settings.CSP_REPORT_MAX_BYTES = 1024
    huge = {"csp-report": {"blocked-uri": "b" * 2000}}
    assert post(client, huge).status_code == 413
    assert logged(csp_log) == []


@pytest.mark.parametrize("body", [b"not json", b"\xff\xfe", b"[1, 2]", b'{"csp-report": 5}', b""])
def test_garbage_is_accepted_and_not_logged(client, csp_log, body):
    assert post(client, body).status_code == 204
    assert logged(csp_log) == []


def test_logging_is_rate_limited_per_address(client, csp_log, settings):
    settings.CSP_REPORT_RATE = "2/60"
    for _report in range(5):
        assert post(client, REPORT).status_code == 204
    assert len(logged(csp_log)) == 2
    post(client, REPORT, REMOTE_ADDR="192.0.2.77")
    assert len(logged(csp_log)) == 3


def test_only_posts(client):
    assert client.get(URL).status_code == 405
