"""Plan templates (dimension → mission structure) shipped as versioned data files in this folder."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).resolve().parent


@cache
def load_template(key: str) -> dict[str, Any]:
    path = FOLDER / f"{key}.json"
    if not key.replace("-", "").isalnum() or not path.exists():
        raise LookupError(key)
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def available_templates() -> list[str]:
    return sorted(p.stem for p in FOLDER.glob("*.json"))
