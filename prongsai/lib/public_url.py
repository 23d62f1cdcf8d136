"""Absolute URLs for documents read elsewhere (the open-data catalogue, data files, the API).

``PRONGSAI_PUBLIC_URL`` (``settings.PUBLIC_URL``) names the address the public uses, e.g.
``https://prongsai.example.go.th``; without it the address is taken from the request, which is right
behind a proxy only when the proxy passes the Host header and ``BEHIND_PROXY`` is set.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def public_base(request: HttpRequest) -> str:
    """``scheme://host[:port]`` (plus any path prefix of PUBLIC_URL), without a trailing slash."""
    configured: str = settings.PUBLIC_URL
    if configured:
        return configured.rstrip("/")
    return request.build_absolute_uri("/").rstrip("/")


def absolute_url(request: HttpRequest, path: str) -> str:
    """``path`` (as from ``reverse``, starting with /) as an absolute URL."""
    return public_base(request) + path


def is_valid_public_url(value: str) -> bool:
    """An http(s) URL with a host and no query or fragment (what PRONGSAI_PUBLIC_URL must be)."""
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and not parts.query and not parts.fragment
