"""No traces on complaint paths: the views never see the client, the logs never name the request."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO, cast

import pytest
from django.conf import settings
from django.core import exceptions
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import Client
from playwright.sync_api import expect

from prongsai.lib.notrace import BLANK_ADDRESS, CLIENT_HEADERS, NoTraceFilter, is_no_trace, path_is_no_trace

pytestmark = pytest.mark.urls("prongsai.lib.tests.notrace_urls")

UA = "Mozilla/5.0 (Probe-UA-91c2e)"
IP = "198.51.100.203"
TEXT = "MARKER-bribe-4417"
MARKERS = (UA, IP, TEXT, "Probe-UA", "198.51.100")
CLIENT: dict[str, Any] = {
    "HTTP_USER_AGENT": UA,
    "HTTP_X_FORWARDED_FOR": f"{IP}, 10.0.0.1",
    "HTTP_X_REAL_IP": IP,
    "HTTP_FORWARDED": f"for={IP};proto=https",
    "HTTP_CF_CONNECTING_IP": IP,
    "HTTP_TRUE_CLIENT_IP": IP,
    "HTTP_REFERER": f"https://news.example/{TEXT}",
    "HTTP_SEC_CH_UA_PLATFORM": '"Android"',
    "HTTP_X_REQUEST_ID": "req-77",
    "REMOTE_ADDR": IP,
}


def _handler(logger: str, name: str) -> logging.StreamHandler[TextIO]:
    handler = next(h for h in logging.getLogger(logger).handlers if h.name == name)
    assert isinstance(handler, logging.StreamHandler)
    return handler


@contextmanager
def _captured(logger: str = "", name: str = "console") -> Iterator[io.StringIO]:
    """What a configured handler of settings.LOGGING writes."""
    handler, stream = _handler(logger, name), io.StringIO()
    # Not setStream(): it flushes the old stream, which may be an earlier test's closed capture.
    old, handler.stream = handler.stream, stream
    try:
        yield stream
    finally:
        handler.stream = old


def _everything(caplog: pytest.LogCaptureFixture, stream: io.StringIO) -> str:
    records = " ".join(f"{r.getMessage()} {r.exc_text} {vars(r)}" for r in caplog.records)
    return stream.getvalue() + caplog.text + records


@pytest.mark.parametrize("path", ["/p/complaints/boom/", "/p/complaints/boom"])
def test_an_error_on_a_complaint_page_is_logged_as_one_line_without_the_request(path, caplog):
    with _captured() as stream:
        response = Client(raise_request_exception=False, **CLIENT).post(path, {"text": TEXT})
    assert response.status_code in (500, 301)
    logged = _everything(caplog, stream)
    for marker in (*MARKERS, "/p/complaints", "failed on"):
        assert marker not in logged
    if response.status_code == 500:
        assert stream.getvalue() == (
            "An error on a no-trace page (django.request): builtins.RuntimeError at notrace_urls.py:18 in boom\n"
        )


def test_the_same_error_elsewhere_is_logged_as_before(caplog):
    with _captured() as stream:
        response = Client(raise_request_exception=False, **CLIENT).post("/elsewhere/boom/", {"text": TEXT})
    assert response.status_code == 500
    out = stream.getvalue()
    assert out.startswith("Internal Server Error: /elsewhere/boom/\nTraceback")
    assert f"RuntimeError: failed on {TEXT} from {UA}" in out
    assert any(getattr(r, "request", None) is not None for r in caplog.records)


def test_a_not_found_on_a_complaint_page_is_not_logged_and_elsewhere_it_is(caplog):
    with _captured() as stream:
        assert Client(**CLIENT).get(f"/p/complaints/{TEXT}/").status_code == 404
    assert TEXT not in _everything(caplog, stream) and stream.getvalue() == ""
    with _captured() as stream:
        assert Client(**CLIENT).get(f"/elsewhere/{TEXT}/").status_code == 404
    assert f"Not Found: /elsewhere/{TEXT}/" in stream.getvalue()


def test_a_refused_csrf_check_on_a_complaint_page_says_so_without_the_path(caplog):
    with _captured() as stream:
        client = Client(enforce_csrf_checks=True, **CLIENT)
        assert client.post("/p/complaints/form/", {"text": TEXT}).status_code == 403
    assert stream.getvalue() == "A refusal on a no-trace page (django.security.csrf): no exception\n"
    assert TEXT not in _everything(caplog, stream) and "/p/complaints" not in _everything(caplog, stream)


def _runserver_line(requestline: str, code: int = 200) -> str:
    """What runserver writes for one request: WSGIRequestHandler.log_request, as the server calls it."""
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = cast(Any, object())  # the socket, in the server
    handler.requestline = requestline
    with _captured("django.server", "django.server") as stream:
        handler.log_request(code, 123)
    return stream.getvalue()


@pytest.mark.parametrize(
    "requestline",
    [
        "POST /p/complaints/ HTTP/1.1",
        f"GET /p/wangphai/complaints/new/?q={TEXT} HTTP/1.1",
        "GET /p/complaints HTTP/1.1",
    ],
)
@pytest.mark.parametrize("code", [200, 404, 500])
def test_runserver_writes_no_line_for_a_complaint_page(requestline, code):
    assert _runserver_line(requestline, code) == ""


def test_runserver_writes_its_usual_line_for_other_pages():
    line = _runserver_line("GET /p/wangphai/ HTTP/1.1")
    assert line.startswith("[") and line.endswith('] "GET /p/wangphai/ HTTP/1.1" 200 123\n')


def test_a_complaint_view_never_sees_the_client():
    seen = Client(**CLIENT).get("/p/wangphai/complaints/echo/", HTTP_ACCEPT_LANGUAGE="th").json()
    assert seen["remote_addr"] == BLANK_ADDRESS == "0.0.0.0"  # noqa: S104
    assert seen["no_trace"] is True
    assert set(seen["headers"]) & (CLIENT_HEADERS | {"HTTP_SEC_CH_UA_PLATFORM"}) == set()
    assert "HTTP_ACCEPT_LANGUAGE" in seen["headers"]  # the language the page is shown in stays
    elsewhere = Client(**CLIENT).get("/elsewhere/echo/").json()
    assert elsewhere["remote_addr"] == IP and elsewhere["no_trace"] is False
    assert {"HTTP_USER_AGENT", "HTTP_X_FORWARDED_FOR", "HTTP_REFERER"} <= set(elsewhere["headers"])


def test_complaint_pages_are_never_cached_and_send_no_referrer():
    response = Client().get("/p/complaints/form/")
    assert response["Referrer-Policy"] == "no-referrer" and response["Cache-Control"] == "no-store"
    other = Client().get("/elsewhere/form/")
    assert other["Referrer-Policy"] == "same-origin" and "no-store" not in other.get("Cache-Control", "")


@pytest.mark.parametrize("secure", [False, True])
@pytest.mark.parametrize(
    ("fetch_site", "status"), [("same-origin", 200), (None, 200), ("cross-site", 403), ("same-site", 403)]
)
def test_a_null_origin_from_our_own_no_referrer_page_passes_the_csrf_check(secure, fetch_site, status):
    client = Client(enforce_csrf_checks=True)
    client.get("/p/complaints/form/", secure=secure)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    extra = {"HTTP_ORIGIN": "null"} | ({"HTTP_SEC_FETCH_SITE": fetch_site} if fetch_site else {})
    data = {"csrfmiddlewaretoken": token, "text": "x"}
    assert client.post("/p/complaints/form/", data, secure=secure, **extra).status_code == status
    # The token is still checked, and a null origin elsewhere is refused as Django always does.
    assert client.post("/p/complaints/form/", {"text": "x"}, secure=secure, **extra).status_code == 403
    client.get("/elsewhere/form/", secure=secure)
    assert client.post("/elsewhere/form/", data, secure=secure, **extra).status_code == 403


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/p/complaints/", True),
        ("/p/complaints", True),
        ("/p/complaints/123/reply/", True),
        ("/p/wangphai/complaints/new/", True),
        ("/p/wangphai/complaints", True),
        ("/p/wangphai/", False),
        ("/p/complaintsx/", False),
        ("/p/a/b/complaints/", False),
        ("/o/wangphai/complaints/", False),
        ("/complaints/", False),
    ],
)
def test_which_paths_leave_no_trace(path, expected):
    assert path_is_no_trace(path) is expected


def test_is_no_trace_reads_the_path_of_a_request_the_middleware_has_not_seen(rf):
    assert is_no_trace(rf.get("/p/complaints/"))
    assert not is_no_trace(rf.get("/p/wangphai/"))
    assert not is_no_trace(object())


def test_every_handler_and_every_django_request_logger_has_the_filter():
    config: dict[str, Any] = settings.LOGGING
    assert all("no_trace" in handler.get("filters", []) for handler in config["handlers"].values())
    assert settings.MIDDLEWARE[0] == "prongsai.lib.notrace.NoTraceMiddleware"
    suspicious = {exceptions.SuspiciousOperation}
    pending = list(suspicious)
    while pending:
        for sub in pending.pop().__subclasses__():
            suspicious.add(sub)
            pending.append(sub)
    wanted = {"django.request", "django.server", "django.security.csrf"} | {
        f"django.security.{kind.__name__}" for kind in suspicious if kind.__module__.startswith("django.")
    }
    wanted -= {"django.security.DisallowedRasterLookup"}  # GeoDjango, not installed
    assert {
        name for name in wanted if "no_trace" not in config["loggers"].get(name, {}).get("filters", [])
    } == set()
    for name in wanted:
        assert any(isinstance(f, NoTraceFilter) for f in logging.getLogger(name).filters), name


@pytest.mark.browser
def test_a_real_browser_posts_a_form_of_a_no_referrer_page(live_server, phone, settings):
    settings.SECURE_COOKIES = False
    page = phone
    response = page.goto(f"{live_server.url}/p/complaints/form/")
    assert response.headers["referrer-policy"] == "no-referrer"
    page.get_by_role("button", name="send").click()
    expect(page.locator("#done")).to_have_text("ok hello")
