"""The risk-assessment method as data: areas, the likelihood and impact scales, the level bands.

A method is one checked JSON file in ``data/`` (``lao-common-1.json``); a register records the key of
the method it was assessed with, so a later method is a new file and old registers keep theirs. Entries
not yet checked against an official text carry ``"verify": true``. Score = likelihood × impact; the
level is looked up in the bands, never typed (see docs/decisions/0011-risk-register.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_METHOD = "lao-common-1"
SCALE = (1, 2, 3, 4, 5)
_COLOUR = re.compile(r"^#[0-9a-f]{6}$")
_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


class MethodError(ValueError):
    """A method file that cannot be used (checked at start-up by system check risks.E001)."""


def _localised(th: str, en: str) -> str:
    return en if (get_language() or "th").startswith("en") and en else th


@dataclass(frozen=True)
class Area:
    key: str
    title_th: str
    title_en: str
    verify: bool

    @property
    def title(self) -> str:
        return _localised(self.title_th, self.title_en)


@dataclass(frozen=True)
class Step:
    """One point of the likelihood or impact scale (1–5)."""

    value: int
    title_th: str
    title_en: str
    description_th: str
    description_en: str
    verify: bool

    @property
    def title(self) -> str:
        return _localised(self.title_th, self.title_en)

    @property
    def description(self) -> str:
        return _localised(self.description_th, self.description_en)


@dataclass(frozen=True)
class Level:
    """Every score from ``low`` to ``high`` inclusive."""

    key: str
    low: int
    high: int
    title_th: str
    title_en: str
    colour: str
    text_colour: str
    verify: bool

    @property
    def title(self) -> str:
        return _localised(self.title_th, self.title_en)


@dataclass(frozen=True)
class Method:
    key: str
    title_th: str
    title_en: str
    areas: tuple[Area, ...]
    likelihood: tuple[Step, ...]
    impact: tuple[Step, ...]
    levels: tuple[Level, ...]  # lowest first
    ita_index_areas: dict[str, tuple[str, ...]]  # ITA index key → areas to examine when it is weak (verify)

    @property
    def title(self) -> str:
        return _localised(self.title_th, self.title_en)

    def area(self, key: str) -> Area | None:
        return next((a for a in self.areas if a.key == key), None)

    @staticmethod
    def score(likelihood: int, impact: int) -> int:
        if likelihood not in SCALE or impact not in SCALE:
            raise ValueError(f"likelihood and impact are 1–5, not {likelihood} × {impact}")
        return likelihood * impact

    def proposed_areas(self, ita_index_keys: list[str]) -> list[Area]:
        """The areas to examine for weak ITA indices (weakest first), each once, as the data file maps them."""
        keys = dict.fromkeys(k for index in ita_index_keys for k in self.ita_index_areas.get(index, ()))
        return [area for key in keys if (area := self.area(key)) is not None]

    def level(self, score: int) -> Level:
        for level in self.levels:
            if level.low <= score <= level.high:
                return level
        raise ValueError(f"no level for score {score}")

    def cell_level(self, likelihood: int, impact: int) -> Level:
        return self.level(self.score(likelihood, impact))


def _text(raw: dict[str, Any], name: str, where: str, *, required: bool = True) -> str:
    value = raw.get(name, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise MethodError(f"{where}.{name}: expected text")
    return value


def _scale(rows: Any, where: str) -> tuple[Step, ...]:
    if not isinstance(rows, list):
        raise MethodError(f"{where}: expected a list")
    steps = tuple(
        Step(
            value=row["value"],
            title_th=_text(row, "title_th", f"{where}[{n}]"),
            title_en=_text(row, "title_en", f"{where}[{n}]"),
            description_th=_text(row, "description_th", f"{where}[{n}]"),
            description_en=_text(row, "description_en", f"{where}[{n}]"),
            verify=bool(row.get("verify", False)),
        )
        for n, row in enumerate(rows)
    )
    if tuple(s.value for s in steps) != SCALE:
        raise MethodError(f"{where}: the values must be 1, 2, 3, 4, 5 in order")
    return steps


def parse(data: Any) -> Method:
    """Check and read a method document; MethodError names what is wrong."""
    try:
        areas = tuple(
            Area(
                key=_text(row, "key", f"areas[{n}]"),
                title_th=_text(row, "title_th", f"areas[{n}]"),
                title_en=_text(row, "title_en", f"areas[{n}]"),
                verify=bool(row.get("verify", False)),
            )
            for n, row in enumerate(data["areas"])
        )
        if not areas or len({a.key for a in areas}) != len(areas):
            raise MethodError("areas: empty or repeated keys")
        if bad := [a.key for a in areas if not _KEY.match(a.key)]:
            raise MethodError(f"areas: keys must be lower-case identifiers: {bad}")
        levels = tuple(
            Level(
                key=_text(row, "key", f"levels[{n}]"),
                low=int(row["from"]),
                high=int(row["to"]),
                title_th=_text(row, "title_th", f"levels[{n}]"),
                title_en=_text(row, "title_en", f"levels[{n}]"),
                colour=_text(row, "colour", f"levels[{n}]"),
                text_colour=_text(row, "text_colour", f"levels[{n}]"),
                verify=bool(row.get("verify", False)),
            )
            for n, row in enumerate(data["levels"])
        )
        expected = 1
        for level in levels:
            if level.low != expected or level.high < level.low:
                raise MethodError(
                    f"levels: {level.key} must start at {expected} and not end before it starts"
                )
            if not (_COLOUR.match(level.colour) and _COLOUR.match(level.text_colour)):
                raise MethodError(f"levels: {level.key} colours must be #rrggbb in lower case")
            expected = level.high + 1
        if expected != 26:
            raise MethodError("levels: the bands must cover every score from 1 to 25 without a gap")
        if len({lv.key for lv in levels}) != len(levels):
            raise MethodError("levels: repeated keys")
        proposals = {
            str(index): tuple(str(k) for k in keys)
            for index, keys in data.get("ita_index_areas", {}).get("areas", {}).items()
        }
        known = {a.key for a in areas}
        if unknown := sorted({k for keys in proposals.values() for k in keys} - known):
            raise MethodError(f"ita_index_areas: unknown areas {unknown}")
        return Method(
            ita_index_areas=proposals,
            key=_text(data, "key", "method"),
            title_th=_text(data, "title_th", "method"),
            title_en=_text(data, "title_en", "method"),
            areas=areas,
            likelihood=_scale(data["likelihood"], "likelihood"),
            impact=_scale(data["impact"], "impact"),
            levels=levels,
        )
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, MethodError):
            raise
        raise MethodError(f"missing or malformed: {error}") from None


def method_file(key: str) -> Path:
    if not _KEY.match(key):
        raise MethodError(f"{key!r} is not a method key")
    return DATA_DIR / f"{key}.json"


@cache
def method(key: str = DEFAULT_METHOD) -> Method:
    """The method ``key`` (the file ``data/<key>.json``), checked; MethodError if unusable."""
    path = method_file(key)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise MethodError(f"{path.name}: {error}") from None
    parsed = parse(data)
    if parsed.key != key:
        raise MethodError(f"{path.name}: its key is {parsed.key!r}")
    return parsed


def available() -> list[str]:
    return sorted(p.stem for p in DATA_DIR.glob("*.json"))
