"""Scoring an ITA result from its index or indicator scores, in ``Decimal``.

points = weight × score / 100 for each part; the total is the sum of the *unrounded* points, rounded
half up to two places, as the NACC computes it. Published figures were rounded from unrounded
sub-scores, so a published figure within 0.01 of Prongsai's own is normal; a larger gap is flagged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from prongsai.ita.catalog import HUNDRED, Band, ItaModel, Part

TWO_PLACES = Decimal("0.01")
FOUR_PLACES = Decimal("0.0001")
TOLERANCE = Decimal("0.01")


def round2(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def round4(value: Decimal) -> Decimal:
    return value.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def differs(published: Decimal | None, computed: Decimal) -> bool:
    """True when a published figure is more than 0.01 away from Prongsai's rounded figure."""
    return published is not None and abs(published - computed) > TOLERANCE


@dataclass(frozen=True)
class PartResult:
    part: Part
    score: Decimal
    points_exact: Decimal
    published_points: Decimal | None

    @property
    def points(self) -> Decimal:
        return round2(self.points_exact)

    @property
    def score_display(self) -> Decimal:
        return round2(self.score)

    @property
    def points_differ(self) -> bool:
        return differs(self.published_points, self.points)


@dataclass(frozen=True)
class Result:
    model: ItaModel
    parts: tuple[PartResult, ...]
    total_exact: Decimal
    published_total: Decimal | None

    @property
    def total(self) -> Decimal:
        return round2(self.total_exact)

    @property
    def total_differs(self) -> bool:
        return differs(self.published_total, self.total)

    @property
    def any_difference(self) -> bool:
        return self.total_differs or any(part.points_differ for part in self.parts)

    @property
    def band(self) -> Band:
        return self.model.band_for(self.total)

    @property
    def passed(self) -> bool | None:
        """Against the model's pass mark; None for a model without one (2560–2561 reported levels)."""
        return None if self.model.pass_mark is None else self.total >= self.model.pass_mark

    @property
    def weakest(self) -> PartResult:
        """The part with the lowest score (the first in model order on a tie)."""
        return min(self.parts, key=lambda part: part.score)

    @property
    def weak_parts(self) -> list[PartResult]:
        """Parts to work on, lowest first: below the pass mark, or below the total where there is none.

        The weakest part is always among them, even when every part passes.
        """
        threshold = self.model.pass_mark if self.model.pass_mark is not None else self.total
        weak = [part for part in self.parts if part.score < threshold]
        if self.weakest not in weak:
            weak.append(self.weakest)
        return sorted(weak, key=lambda part: part.score)

    def as_json(self) -> dict[str, Any]:
        """The shape the command line prints. Numbers are two-place figures; exact values as strings."""
        return {
            "model": self.model.key,
            "model_name_th": self.model.name_th,
            "indices": [
                {
                    "key": part.part.key,
                    "name_th": part.part.name_th,
                    "name_en": part.part.name_en,
                    "score": float(part.score_display),
                    "weight": _number(part.part.weight),
                    "points": float(part.points),
                    "points_exact": str(part.points_exact),
                }
                for part in self.parts
            ],
            "total": float(self.total),
            "total_exact": str(self.total_exact),
            "grade": self.band.label_th,
            "grading": self.model.grading_kind,
            "passed": self.passed,
            "pass_mark": None if self.model.pass_mark is None else float(self.model.pass_mark),
            "weakest": self.weakest.part.key,
        }


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def compute(
    model: ItaModel,
    scores: Mapping[str, Decimal],
    *,
    published_points: Mapping[str, Decimal] | None = None,
    published_total: Decimal | None = None,
) -> Result:
    """Prongsai's result for ``scores`` (every part of the model, per cent). KeyError if one is missing."""
    published_points = published_points or {}
    parts = tuple(
        PartResult(
            part=part,
            score=scores[part.key],
            points_exact=part.weight * scores[part.key] / HUNDRED,
            published_points=published_points.get(part.key),
        )
        for part in model.parts
    )
    return Result(
        model=model,
        parts=parts,
        total_exact=sum((p.points_exact for p in parts), Decimal(0)),
        published_total=published_total,
    )


class ScoreProblems(ValueError):
    """Scores that cannot be used; ``problems`` are messages in Thai, each naming the key."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_score(text: str) -> Decimal | None:
    """A score (per cent) from text, or None when it is not a number from 0 to 100."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > HUNDRED:
        return None
    return value


def check_scores(model: ItaModel, given: Mapping[str, str]) -> dict[str, Decimal]:
    """Every part's score from ``given`` (key → text); ScoreProblems lists every problem found."""
    problems: list[str] = []
    scores: dict[str, Decimal] = {}
    for key in given:
        if key not in model.keys:
            problems.append(
                _("ไม่มีดัชนีหรือตัวชี้วัด %(key)s ในแบบ %(model)s (มี %(keys)s)")
                % {"key": key, "model": model.key, "keys": ", ".join(model.keys)}
            )
    for key in model.keys:
        if key not in given:
            problems.append(_("ขาดคะแนนของ %(key)s") % {"key": key})
            continue
        value = parse_score(given[key])
        if value is None:
            problems.append(
                _("คะแนนของ %(key)s ต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100 แต่ได้ %(value)s")
                % {"key": key, "value": given[key]}
            )
        else:
            scores[key] = value
    if problems:
        raise ScoreProblems(problems)
    return scores
