"""``prongsai api schema``: print the OpenAPI document, to refresh the committed ``openapi.json``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).resolve().parent / "openapi.json"


def schema_text() -> str:
    """The API's OpenAPI document as committed: sorted keys, two-space indents, Thai as UTF-8, one final newline."""
    from prongsai.api.views import api

    return json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema_command(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_text())
    return 0


def register(subparsers: Any) -> None:
    api = subparsers.add_parser("api", help="the public JSON API")
    commands = api.add_subparsers(dest="api_command", required=True)
    schema = commands.add_parser(
        "schema", help="print the OpenAPI schema (prongsai api schema > prongsai/api/openapi.json)"
    )
    schema.set_defaults(handler=schema_command)
