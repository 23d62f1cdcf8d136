"""No traces of the reporter: pages where the client's address, browser and the page it came from are
blanked before any other code sees them, and logs that never name them (issue 11 §3).

``NoTraceMiddleware`` comes first in ``MIDDLEWARE``. For a path matching one of the regular expressions in
``settings.PRONGSAI_NO_TRACE_PREFIXES`` it sets ``REMOTE_ADDR`` to ``0.0.0.0`` and deletes every header
that identifies the client or its network (``CLIENT_HEADERS``: the proxies' address headers, the
browser's user agent and client hints, the referring page, request ids that a proxy's access log could
be joined on), marks the request (``is_no_trace``), and answers with ``Referrer-Policy: no-referrer``
(the page's own address is never sent on, not even to this site's static files, whose access-log lines
would otherwise say who read a complaint page) and ``Cache-Control: no-store``.

``NoTraceFilter`` is set on Django's request, security and runserver loggers (so that a record is
scrubbed before any handler sees it, test capture included) and on every handler (``settings.LOGGING``). A record about such a request loses everything that could name the reporter: the
runserver access line and 4xx warnings are dropped; an error keeps one line, "an error on a no-trace
page", with the exception's type and where it was raised, never the path, the request, the POST data,
the headers or the exception's message (which may quote what the reporter wrote).

What this cannot reach: the reverse proxy's and gunicorn's own access logs (turn them off for these
paths), and the browser's history.
"""

from __future__ import annotations

import contextlib
import logging
import re
import traceback
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

BLANK_ADDRESS = "0.0.0.0"  # noqa: S104 - a value put in place of the client's address, not a bind address

# WSGI names of what identifies a client: addresses added by proxies and CDNs (nginx, Apache, HAProxy,
# Cloudflare, Akamai, Fastly, Azure, Google), the user agent and its client hints, the referring page,
# per-request ids a proxy writes into its access log beside the address, and the CDN's guess of the
# client's country or city. GlobaLeaks and SecureDrop record none of these; SecureDrop's landing-page
# guidance adds "no Referer to or from the page".
CLIENT_HEADERS = frozenset(
    {
        "HTTP_USER_AGENT",
        "HTTP_REFERER",
        "HTTP_X_FORWARDED_FOR",
        "HTTP_X_REAL_IP",
        "HTTP_FORWARDED",
        "HTTP_CF_CONNECTING_IP",
        "HTTP_TRUE_CLIENT_IP",
        "HTTP_X_CLIENT_IP",
        "HTTP_CLIENT_IP",
        "HTTP_X_CLUSTER_CLIENT_IP",
        "HTTP_X_ORIGINAL_FORWARDED_FOR",
        "HTTP_X_FORWARDED",
        "HTTP_FORWARDED_FOR",
        "HTTP_FASTLY_CLIENT_IP",
        "HTTP_X_AZURE_CLIENTIP",
        "HTTP_X_AZURE_SOCKETIP",
        "HTTP_X_APPENGINE_USER_IP",
        "HTTP_X_PROXYUSER_IP",
        "HTTP_VIA",
        "HTTP_X_REQUEST_ID",
        "HTTP_X_CORRELATION_ID",
        "HTTP_X_AMZN_TRACE_ID",
        "HTTP_CF_RAY",
        "HTTP_CF_IPCOUNTRY",
        "HTTP_CF_IPCITY",
        "HTTP_X_APPENGINE_COUNTRY",
        "HTTP_X_APPENGINE_REGION",
        "HTTP_X_APPENGINE_CITY",
        "HTTP_X_APPENGINE_CITYLATLONG",
        "HTTP_X_WAP_PROFILE",
        "HTTP_DNT",
        "REMOTE_HOST",
        "REMOTE_PORT",
        "REMOTE_USER",
    }
)
CLIENT_HEADER_PREFIXES = ("HTTP_SEC_CH_",)  # client hints: browser, platform, model, version


@lru_cache(maxsize=8)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in patterns)


def path_is_no_trace(path: str) -> bool:
    """Does ``path`` match ``PRONGSAI_NO_TRACE_PREFIXES``? Checked with a trailing slash added, so that
    ``/p/complaints`` (before the slash redirect) counts as ``/p/complaints/``."""
    patterns = _compiled(tuple(getattr(settings, "PRONGSAI_NO_TRACE_PREFIXES", ())))
    candidate = path if path.endswith("/") else path + "/"
    return any(pattern.search(candidate) for pattern in patterns)


def is_no_trace(request: object) -> bool:
    """Is this request one whose client must leave no trace? (Also for a request the middleware has not
    seen yet, from its path.)"""
    if getattr(request, "no_trace", False):
        return True
    paths = {getattr(request, "path_info", None), getattr(request, "path", None)}
    return any(isinstance(path, str) and path_is_no_trace(path) for path in paths)


def _blank(request: HttpRequest) -> None:
    meta = request.META
    for name in [n for n in meta if n in CLIENT_HEADERS or n.startswith(CLIENT_HEADER_PREFIXES)]:
        del meta[name]
    meta["REMOTE_ADDR"] = BLANK_ADDRESS
    # Referrer-Policy: no-referrer makes the browser send "Origin: null" with the page's own POSTs, which
    # Django's CSRF check refuses. The browser's Sec-Fetch-Site (a header pages cannot set) says whether
    # the POST came from this site; only then is the origin taken as this site's. The CSRF token is
    # checked as always. A browser too old to send Sec-Fetch-Site is given the benefit of the doubt:
    # refusing it would shut out reporters on old phones, and the token still has to match.
    if meta.get("HTTP_ORIGIN") == "null" and meta.get("HTTP_SEC_FETCH_SITE", "same-origin") == "same-origin":
        with contextlib.suppress(DisallowedHost):  # a bad Host is left for Django to refuse
            meta["HTTP_ORIGIN"] = f"{request.scheme}://{request.get_host()}"
    request.no_trace = True  # type: ignore[attr-defined]


class NoTraceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_no_trace(request):
            return self.get_response(request)
        _blank(request)
        response = self.get_response(request)
        response["Referrer-Policy"] = "no-referrer"
        response["Cache-Control"] = "no-store"
        return response


# --- Logging ----------------------------------------------------------------------------------------

SCRUBBED = "no_trace_scrubbed"


def _request_line_path(args: object) -> str | None:
    """The path of a runserver access line (``'"%s" %s %s'`` with the request line first)."""
    if isinstance(args, tuple) and args and isinstance(args[0], str):
        parts = args[0].split(" ")
        if len(parts) >= 2:
            return parts[1].split("?", 1)[0]
    return None


def _where(exc_info: object) -> str:
    """File, line and function where the exception was raised: code, never data."""
    if not (isinstance(exc_info, tuple) and len(exc_info) == 3 and exc_info[2] is not None):
        return ""
    frames = traceback.extract_tb(exc_info[2])
    if not frames:
        return ""
    last = frames[-1]
    return f" at {last.filename.rsplit('/', 1)[-1]}:{last.lineno} in {last.name}"


def _exception_name(exc_info: object) -> str:
    if isinstance(exc_info, tuple) and len(exc_info) == 3 and isinstance(exc_info[0], type):
        kind = exc_info[0]
        return f"{kind.__module__}.{kind.__qualname__}"
    return "no exception"


class NoTraceFilter(logging.Filter):
    """Drops or scrubs every record about a no-trace request (see the module's docstring)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, SCRUBBED, False):
            return True
        if record.name == "django.server":
            path = _request_line_path(record.args)
            return not (path is not None and path_is_no_trace(path))
        request = getattr(record, "request", None)
        if request is None or not is_no_trace(request):
            return True
        if record.levelno < logging.ERROR and record.name == "django.request":
            return False  # "Not Found: <path>", "Method Not Allowed": the path alone may say too much
        self._scrub(record)
        return True

    @staticmethod
    def _scrub(record: logging.LogRecord) -> None:
        what = "An error" if record.levelno >= logging.ERROR else "A refusal"
        record.msg = "%s on a no-trace page (%s): %s%s"
        record.args = (what, record.name, _exception_name(record.exc_info), _where(record.exc_info))
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        for name in ("request", "status_code"):
            record.__dict__.pop(name, None)
        setattr(record, SCRUBBED, True)
