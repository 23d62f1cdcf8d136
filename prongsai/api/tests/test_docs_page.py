"""The interactive docs page works under the site's Content-Security-Policy, from the package's own files."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest

from prongsai.api.views import api
from prongsai.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_docs_page_lists_every_operation_without_leaving_the_site(live_server):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            problems: list[str] = []
            hosts: set[str] = set()
            page.on(
                "console", lambda message: problems.append(message.text) if message.type == "error" else None
            )
            page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
            page.goto(f"{live_server.url}/api/v1/docs")
            page.wait_for_selector(".opblock", timeout=15000)
            operations = sum(len(ops) for ops in api.get_openapi_schema()["paths"].values())
            assert page.locator(".opblock").count() == operations
            browser.close()
    finally:
        connections.close_all()
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    assert problems == []  # a Content-Security-Policy refusal is logged as an error
    assert hosts == {urlsplit(live_server.url).netloc}
