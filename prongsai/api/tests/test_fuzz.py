"""The API fuzzed from its own schema with Schemathesis: whatever the parameters, no server error, and
every answer (200, 404, 422) is what the schema says. Bounded and derandomised: the same few examples
per operation on every run, through the WSGI app (no network, no server)."""

from __future__ import annotations

import schemathesis
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


@schema.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_keeps_to_its_schema(case, wangphai):
    # The schema's examples name Wang Phai's published plan, so some requests find it and answer 200.
    case.call_and_validate(checks=CHECKS)
