"""The API fuzzed from its own schema with Schemathesis: whatever the parameters, no server error, and
every answer (200, 404, 422) is what the schema says. Bounded and derandomised: the same few examples
per operation on every run, through the WSGI app (no network, no server)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from prongsai.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def connection_kept():
    """Calling the WSGI app directly fires the request signals that close the database connection after
    each request, which would close the test's transaction on PostgreSQL: Django's test client
    disconnects them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=5,
    derandomize=True,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_keeps_to_its_schema(case, wangphai, connection_kept):
    # The schema's examples name Wang Phai's published plan, so some requests find it and answer 200.
    case.call_and_validate(checks=CHECKS)
