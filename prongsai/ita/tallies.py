"""The running sums of a round's answers (``ItemTally``): kept with every answer, checked against the answers.

``add`` is called inside the transaction that stores answers (``actions.submit_answers``,
``actions.import_responses``; the national benchmark's bulk load does the same in SQL), so that a tally
is never ahead of or behind the answers it counts. It adds in the database — ``SET answers = answers + 1``
— so that two respondents of one round answering at once cannot lose each other's update, whatever the
locks around it.

``drift`` recomputes the tallies from the answers (one GROUP BY) and names every round and item where
they differ; ``prongsai ita check-tallies`` and ``prongsai audit verify`` report it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import BigIntegerField, Case, Count, F, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext as _

from prongsai.ita.models import Answer, ItemTally, SurveyRound

Counts = tuple[int, int]  # (answers, sum of points)


def _by_value(item_values: Mapping[str, int]) -> Case | Value:
    """``CASE WHEN item IN (…) THEN v …``: one branch per distinct value (a handful: 0, 33, 67, 100)."""
    items_of: dict[int, list[str]] = defaultdict(list)
    for item, value in item_values.items():
        items_of[value].append(item)
    if len(items_of) == 1:
        return Value(next(iter(items_of)), output_field=BigIntegerField())
    return Case(
        *(When(item__in=sorted(items), then=Value(value)) for value, items in sorted(items_of.items())),
        default=Value(0),
        output_field=BigIntegerField(),
    )


def _update(round_id: int, counts: Mapping[str, Counts]) -> int:
    return ItemTally.objects.filter(round_id=round_id, item__in=list(counts)).update(
        answers=F("answers") + _by_value({item: c[0] for item, c in counts.items()}),
        points=F("points") + _by_value({item: c[1] for item, c in counts.items()}),
    )


class _Missing(Exception):
    """Some item of the round had no tally row yet when the UPDATE ran."""


def add(round_id: int, counts: Mapping[str, Counts]) -> None:
    """Add (answers, points) to each item's tally of the round: one UPDATE when every item has its row (the
    usual case). Must run inside the transaction that stores the answers.

    When some row is missing, the UPDATE is undone (a savepoint), the missing rows are made with zeros --
    ``ON CONFLICT DO NOTHING``, so a row another transaction is making at the same moment is waited for and
    left to it -- and the UPDATE runs again over rows that now all exist. (Finding out afterwards which rows
    were missing would lose an add: a row another writer makes between that UPDATE and the look is found,
    though the UPDATE never added to it.)"""
    counts = {item: c for item, c in sorted(counts.items()) if c[0]}
    if not counts:
        return
    try:
        with transaction.atomic():
            if _update(round_id, counts) == len(counts):
                return
            raise _Missing
    except _Missing:
        pass
    ItemTally.objects.bulk_create(
        [ItemTally(round_id=round_id, item=item, answers=0, points=0) for item in counts],
        ignore_conflicts=True,
    )
    _update(round_id, counts)


def add_answers(round_id: int, points: Iterable[Mapping[str, int]]) -> None:
    """``add`` for respondents' answers (item → points each)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for answers in points:
        for item, value in answers.items():
            counts[item][0] += 1
            counts[item][1] += value
    add(round_id, {item: (c[0], c[1]) for item, c in counts.items()})


@dataclass(frozen=True)
class Drift:
    """A tally that is not what the answers add up to."""

    round_id: int
    organization: str  # slug
    item: str
    tally: Counts
    answers: Counts

    def __str__(self) -> str:
        return _(
            "รอบ %(round)s (%(org)s) ข้อ %(item)s: ยอดสะสม %(kept_n)s คำตอบ %(kept_points)s คะแนน "
            "แต่คำตอบที่เก็บไว้รวมได้ %(n)s คำตอบ %(points)s คะแนน"
        ) % {
            "round": self.round_id,
            "org": self.organization,
            "item": self.item,
            "kept_n": self.tally[0],
            "kept_points": self.tally[1],
            "n": self.answers[0],
            "points": self.answers[1],
        }


def answer_sums(rounds: QuerySet[SurveyRound]) -> dict[tuple[int, str], Counts]:
    """(answers, points) per (round, item) counted from the answers themselves: one GROUP BY."""
    grouped = (
        Answer.objects.filter(round__in=rounds)
        .values("round_id", "item")
        .annotate(n=Count("*"), total=Sum("points"))
        .values_list("round_id", "item", "n", "total")
        .order_by()
    )
    return {(round_id, item): (int(n), int(total)) for round_id, item, n, total in grouped}


def drift(rounds: QuerySet[SurveyRound] | None = None) -> list[Drift]:
    """Every (round, item) whose tally differs from its answers, in round and item order."""
    rounds = SurveyRound.objects.all() if rounds is None else rounds
    counted = answer_sums(rounds)
    kept = {
        (round_id, item): (answers, points)
        for round_id, item, answers, points in ItemTally.objects.filter(round__in=rounds)
        .filter(~Q(answers=0) | ~Q(points=0))
        .values_list("round_id", "item", "answers", "points")
        .order_by()
    }
    differing = sorted(key for key in counted.keys() | kept.keys() if counted.get(key) != kept.get(key))
    if not differing:
        return []
    slugs = dict(
        SurveyRound.objects.filter(pk__in={round_id for round_id, _item in differing}).values_list(
            "pk", "organization__slug"
        )
    )
    return [
        Drift(
            round_id,
            slugs.get(round_id, "?"),
            item,
            kept.get((round_id, item), (0, 0)),
            counted.get((round_id, item), (0, 0)),
        )
        for round_id, item in differing
    ]
