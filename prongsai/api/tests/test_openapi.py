"""The OpenAPI document: served, valid OpenAPI 3, and equal to the committed snapshot, so that any change
to the API shows as a diff in review (the model: wagtail/api/v3/tests/test_openapi_snapshot.py)."""

from __future__ import annotations

import difflib
import json

from openapi_spec_validator import validate

from prongsai.api.cli import SNAPSHOT, schema_text

REFRESH = "make api-schema   (or: prongsai api schema > prongsai/api/openapi.json)"


def test_the_served_schema_is_the_committed_snapshot(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    served = json.dumps(response.json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    committed = SNAPSHOT.read_text(encoding="utf-8")
    if served != committed:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                served.splitlines(keepends=True),
                "prongsai/api/openapi.json (committed)",
                "/api/v1/openapi.json (served)",
            )
        )
        raise AssertionError(
            f"The API changed. If that is intended, refresh the snapshot with\n  {REFRESH}\n\n{diff}"
        )
    assert schema_text() == committed


def test_the_schema_is_valid_openapi_3():
    document = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert document["openapi"].startswith("3.")
    validate(document)


def test_every_operation_is_documented_and_tagged():
    document = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    tags = {tag["name"] for tag in document["tags"]}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert method == "get", path
            assert operation["summary"] and operation["operationId"], path
            assert set(operation["tags"]) <= tags, path
            assert "404" in operation["responses"] or "422" in operation["responses"], path
            assert "200" in operation["responses"], path
