"""The national reporting rules as data: rounds and their due dates, the list of reasons, the score bands.

They come from one checked data file (``data/national-2561.json`` unless ``PRONGSAI_REPORT_RULES``
names another), so a due date or band the NACC changes, or one we read wrongly (marked ``verify``), is
corrected in the file without a release. Only the three statuses of the national form are code.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import get_language

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_FILE = DATA_DIR / "national-2561.json"
ROUNDS = (6, 12)
VERIFIABLE = frozenset({"covers", "due"})  # the parts of a round rule the data file can mark "verify"


class RulesError(ValueError):
    """A rules file that cannot be used (checked at start-up by system check reports.E001)."""


def _localised(th: str, en: str) -> str:
    return en if (get_language() or "th").startswith("en") and en else th


@dataclass(frozen=True)
class RoundRule:
    months: int
    title_th: str
    title_en: str
    covers_from: tuple[int, int]  # (month, day) in the fiscal year
    covers_to: tuple[int, int]
    due: tuple[int, int]  # (month, day) after the period ends
    verify: frozenset[str]  # which of VERIFIABLE are our reading, still to check against an official text

    @property
    def due_verify(self) -> bool:
        """The due date is our reading (no official text found yet): pages mark it "to be checked"."""
        return "due" in self.verify

    @property
    def covers_verify(self) -> bool:
        return "covers" in self.verify

    @property
    def title(self) -> str:
        return _localised(self.title_th, self.title_en)

    @staticmethod
    def _day(fiscal_year: int, month_day: tuple[int, int]) -> dt.date:
        # FY N (พ.ศ.) runs from 1 October of Gregorian N-544 to 30 September of N-543.
        month, day = month_day
        return dt.date(fiscal_year - 543 - (1 if month >= 10 else 0), month, day)

    def period(self, fiscal_year: int) -> tuple[dt.date, dt.date]:
        return self._day(fiscal_year, self.covers_from), self._day(fiscal_year, self.covers_to)

    def due_date(self, fiscal_year: int) -> dt.date:
        """The first (month, day) of ``due`` on or after the end of the period."""
        end = self.period(fiscal_year)[1]
        month, day = self.due
        value = dt.date(end.year, month, day)
        return value if value >= end else dt.date(end.year + 1, month, day)


@dataclass(frozen=True)
class Reason:
    key: str
    title_th: str
    title_en: str
    needs_text: bool

    @property
    def title(self) -> str:
        return _localised(self.title_th, self.title_en)


@dataclass(frozen=True)
class Band:
    """A traffic light: every score from ``minimum`` up to the next band's minimum."""

    key: str
    minimum: Decimal
    title_th: str
    title_en: str

    @property
    def title(self) -> str:
        return _localised(self.title_th, self.title_en)


@dataclass(frozen=True)
class Rules:
    key: str
    rounds: dict[int, RoundRule]
    reasons: tuple[Reason, ...]
    bands: dict[int, tuple[Band, ...]]  # round → highest first

    def reason(self, key: str) -> Reason | None:
        return next((r for r in self.reasons if r.key == key), None)

    def band(self, round_months: int, score: Decimal) -> Band:
        for band in self.bands[round_months]:
            if score >= band.minimum:
                return band
        return self.bands[round_months][-1]


def _month_day(value: Any, where: str) -> tuple[int, int]:
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)):
        raise RulesError(f"{where}: expected [month, day]")
    month, day = value
    try:
        dt.date(2000, month, day)  # a leap year: 29 February is allowed
    except ValueError as error:
        raise RulesError(f"{where}: {error}") from None
    return month, day


def _verify(value: Any, where: str) -> frozenset[str]:
    """``["due"]``: the due date is still to be checked; ``true``: all of the rule; ``false``/``[]``: none."""
    if isinstance(value, bool):
        return VERIFIABLE if value else frozenset()
    if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise RulesError(f"{where}: expected a list of {sorted(VERIFIABLE)} or true/false")
    unknown = set(value) - VERIFIABLE
    if unknown:
        raise RulesError(f"{where}: unknown {sorted(unknown)}; expected some of {sorted(VERIFIABLE)}")
    return frozenset(value)


def parse(data: Any) -> Rules:
    """Check and read a rules document; RulesError names what is wrong."""
    try:
        rounds = {}
        for months in ROUNDS:
            raw = data["rounds"][str(months)]
            rounds[months] = RoundRule(
                months=months,
                title_th=str(raw["title_th"]),
                title_en=str(raw.get("title_en", "")),
                covers_from=_month_day(raw["covers"]["from"], f"rounds.{months}.covers.from"),
                covers_to=_month_day(raw["covers"]["to"], f"rounds.{months}.covers.to"),
                due=_month_day(raw["due"], f"rounds.{months}.due"),
                verify=_verify(raw.get("verify", []), f"rounds.{months}.verify"),
            )
        reasons = tuple(
            Reason(str(r["key"]), str(r["title_th"]), str(r.get("title_en", "")), bool(r.get("needs_text")))
            for r in data["reasons"]
        )
        if not reasons or len({r.key for r in reasons}) != len(reasons):
            raise RulesError("reasons: empty or repeated keys")
        bands: dict[int, tuple[Band, ...]] = {}
        for months in ROUNDS:
            rows = tuple(
                Band(str(b["key"]), Decimal(str(b["from"])), str(b["title_th"]), str(b.get("title_en", "")))
                for b in data["bands"][str(months)]
            )
            minimums = [b.minimum for b in rows]
            if not rows or minimums != sorted(minimums, reverse=True) or minimums[-1] != 0:
                raise RulesError(f"bands.{months}: highest first, the last from 0")
            bands[months] = rows
        return Rules(key=str(data["key"]), rounds=rounds, reasons=reasons, bands=bands)
    except (KeyError, TypeError, InvalidOperation) as error:
        raise RulesError(f"missing or malformed: {error}") from None


def rules_file() -> Path:
    configured: str = getattr(settings, "REPORT_RULES_FILE", "")
    return Path(configured) if configured else DEFAULT_FILE


@cache
def _load(path: Path) -> Rules:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RulesError(f"{path}: {error}") from None
    return parse(data)


def rules() -> Rules:
    return _load(rules_file())
