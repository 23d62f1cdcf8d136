"""Scores of self-assessment rounds, computed set-based from the per-item running sums.

Every stored answer is counted into its round's ``ItemTally`` (answers, sum of points) in the same
transaction (``prongsai.ita.tallies``), so a round is scored from a few dozen rows whatever the number of
respondents, and every round in the country from one pass over those rows: the database also weights
each item within its question and adds them up per indicator (one GROUP BY), and Python divides once per
indicator. The command line feeds file rows to the same ``combine``.

Rules (from the NACC's manual, marked verify in the questionnaire files): item score = mean over the
respondents; question score = mean of its items; indicator score = mean of its questions; an OIT
indicator = the share of its checklist items disclosed completely, × 100. Items nobody answered are
left out of their question's mean, and questions without answers out of their indicator's.

The mean of means is computed **exactly** and rounded once (``Decimal`` at its default 28 digits): with
``L`` the least common multiple of the indicator's question sizes and ``Q`` its number of questions,
indicator = Σ over items of points × (L / question size) / answers, ÷ (L × Q). Integer sums in SQL and
one division in Python, so the figures do not depend on how or where the sums were grouped: scoring
from the tallies and from the raw answers (``score_rounds_from_answers``) give the same ``Decimal``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache
from math import lcm
from typing import Any

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    QuerySet,
    Sum,
    Value,
    When,
)

from prongsai.ita import catalog, tallies
from prongsai.ita.catalog import CHECKLIST_TOOL, HUNDRED, Questionnaire
from prongsai.ita.models import ItemTally, OitEntry, SurveyResponse, SurveyRound


@dataclass(frozen=True)
class SurveyPart:
    """One survey indicator: its questions (as item keys) and each item's weight within the indicator."""

    key: str
    questions: tuple[tuple[str, ...], ...]
    weight: dict[str, int]  # item → L / size of its question, when every item is answered
    divisor: int  # L × number of questions
    size: int  # number of items


@dataclass(frozen=True)
class ModelLayout:
    """Which items make up each question and each indicator, and the OIT checklist items of each indicator."""

    survey: tuple[SurveyPart, ...]
    checklist_part: dict[str, str]  # OIT item → part
    checklist_size: dict[str, int]  # part → number of checklist items
    checklist_parts: tuple[str, ...]


def _survey_part(key: str, questions: tuple[tuple[str, ...], ...]) -> SurveyPart:
    common = lcm(*(len(items) for items in questions))
    weight = {item: common // len(items) for items in questions for item in items}
    return SurveyPart(key, questions, weight, common * len(questions), len(weight))


@cache
def layout(model_key: str) -> ModelLayout:
    survey: list[SurveyPart] = []
    checklist_part: dict[str, str] = {}
    size: dict[str, int] = defaultdict(int)
    checklist_parts: list[str] = []
    for tool, questionnaire in catalog.questionnaires_of(catalog.load_model(model_key)).items():
        if tool == CHECKLIST_TOOL:
            for entry in questionnaire.checklist:
                checklist_part[entry.key] = entry.part_key
                size[entry.part_key] += 1
            checklist_parts.extend(questionnaire.part_keys)
        else:
            for part_key in questionnaire.part_keys:
                questions = tuple(
                    tuple(item.key for item in question.items)
                    for question in questionnaire.questions
                    if question.part_key == part_key
                )
                survey.append(_survey_part(part_key, questions))
    return ModelLayout(tuple(survey), checklist_part, dict(size), tuple(checklist_parts))


NO_ANSWERS = (0, 0)


def mean_of_means(weighted: Mapping[int, int], divisor: int) -> Decimal:
    """Σ weighted[n] / n, ÷ divisor, exactly, then rounded once: ``weighted`` maps a number of answers to
    the weighted sum of the points of the items answered that many times (usually one entry)."""
    if len(weighted) == 1:
        ((answers, points),) = weighted.items()
        return Decimal(points) / Decimal(answers * divisor)
    exact = sum((Fraction(points, answers) for answers, points in weighted.items()), Fraction(0)) / divisor
    return Decimal(exact.numerator) / Decimal(exact.denominator)


def _survey_score(part: SurveyPart, item_sums: Mapping[str, tuple[int, int]]) -> Decimal | None:
    answered = [[item for item in items if item_sums.get(item, NO_ANSWERS)[1]] for items in part.questions]
    answered = [items for items in answered if items]
    if not answered:
        return None
    if sum(map(len, answered)) == part.size:
        weight, divisor = part.weight, part.divisor
    else:  # some items unanswered: the means are over the answered ones only
        trimmed = _survey_part(part.key, tuple(tuple(items) for items in answered))
        weight, divisor = trimmed.weight, trimmed.divisor
    weighted: dict[int, int] = defaultdict(int)
    for items in answered:
        for item in items:
            total, count = item_sums[item]
            weighted[count] += total * weight[item]
    return mean_of_means(weighted, divisor)


def combine(
    model_key: str, item_sums: Mapping[str, tuple[int, int]], complete_items: Iterable[str]
) -> dict[str, Decimal]:
    """Part scores (unrounded) from per-item (sum of points, number of answers) and the complete OIT items.

    Survey parts without any answer are left out; OIT parts are always there (nothing disclosed is 0).
    """
    places = layout(model_key)
    scores: dict[str, Decimal] = {}
    for part in places.survey:
        score = _survey_score(part, item_sums)
        if score is not None:
            scores[part.key] = score
    done: dict[str, int] = defaultdict(int)
    for item in complete_items:
        checklist_part = places.checklist_part.get(item)
        if checklist_part is not None:
            done[checklist_part] += 1
    for part_key in places.checklist_parts:
        scores[part_key] = _oit_score(done[part_key], places.checklist_size[part_key])
    return scores


def _oit_score(done: int, size: int) -> Decimal:
    return Decimal(done) * HUNDRED / size


def _part_of(mapping: Mapping[str, str]) -> Case:
    """``CASE WHEN item IN (…) THEN part …``: one branch per part."""
    items_of: dict[str, list[str]] = defaultdict(list)
    for item, part in mapping.items():
        items_of[part].append(item)
    return Case(
        *(When(item__in=sorted(items), then=Value(part)) for part, items in sorted(items_of.items())),
        default=None,
        output_field=CharField(),
    )


def _survey_part_number(places: ModelLayout) -> Case:
    """``CASE WHEN item IN (…) THEN n …``: the indicator's position in ``places.survey`` (an integer groups
    and sorts faster than its key)."""
    return Case(
        *(When(item__in=sorted(part.weight), then=Value(n)) for n, part in enumerate(places.survey)),
        default=None,
        output_field=IntegerField(),
    )


def _weight_of(places: ModelLayout) -> Case:
    items_of: dict[int, list[str]] = defaultdict(list)
    for part in places.survey:
        for item, weight in part.weight.items():
            items_of[weight].append(item)
    return Case(
        *(When(item__in=sorted(items), then=Value(weight)) for weight, items in sorted(items_of.items())),
        default=Value(0),
        output_field=BigIntegerField(),
    )


def _rows(query: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The ORM's own SQL, fetched whole through a plain cursor: the rows are integers that need none of
    the ORM's per-value converters (a third of the time at national scale), and PostgreSQL plans a plain
    cursor with parallel workers (a server-side one without)."""
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def _complete_oit(rounds: QuerySet[SurveyRound], places: ModelLayout) -> dict[tuple[int, str], int]:
    done = (
        OitEntry.objects.filter(round__in=rounds, complete=True)
        .annotate(part=_part_of(places.checklist_part))
        .values("round_id", "part")
        .annotate(done=Count("*"))
        .values_list("round_id", "part", "done")
        .order_by()
    )
    return {(round_id, part): int(done) for round_id, part, done in _rows(done) if part is not None}


def _score_model_rounds(
    model_key: str, rounds: QuerySet[SurveyRound], round_ids: Iterable[int]
) -> dict[int, dict[str, Decimal]]:
    """Every round of one model: the tallies weighted and summed per (round, indicator, answers) in SQL."""
    places = layout(model_key)
    grouped = (
        ItemTally.objects.filter(round__in=rounds, answers__gt=0)
        .annotate(part=_survey_part_number(places))
        .values("round_id", "part", "answers")
        .annotate(weighted=Sum(F("points") * _weight_of(places)), items=Count("*"))
        .values_list("round_id", "part", "answers", "weighted", "items")
        .order_by()
    )
    # Usually one row per (round, indicator): every item answered by as many people.
    terms: dict[tuple[int, int], dict[int, int]] = {}
    items: dict[tuple[int, int], int] = {}
    for round_id, number, answers, weighted, count in _rows(grouped):
        if number is None:
            continue
        key = (round_id, number)
        if key in terms:
            terms[key][answers] = int(weighted)
            items[key] += count
        else:
            terms[key] = {answers: int(weighted)}
            items[key] = count
    scores: dict[int, dict[str, Decimal]] = {round_id: {} for round_id in round_ids}
    partly_answered: set[int] = set()
    survey = places.survey
    for (round_id, number), weighted in terms.items():
        part = survey[number]
        if items[round_id, number] == part.size:
            scores[round_id][part.key] = mean_of_means(weighted, part.divisor)
        else:
            partly_answered.add(round_id)
    if partly_answered:
        # An indicator with unanswered items has other weights: those rounds item by item (rare).
        for round_id, item_sums in _item_sums(rounds.filter(pk__in=partly_answered)).items():
            for part in places.survey:
                score = _survey_score(part, item_sums)
                if score is not None:
                    scores[round_id][part.key] = score
    done = _complete_oit(rounds, places)
    for round_id, round_scores in scores.items():
        for part_key in places.checklist_parts:
            round_scores[part_key] = _oit_score(
                done.get((round_id, part_key), 0), places.checklist_size[part_key]
            )
    return scores


def _item_sums(rounds: QuerySet[SurveyRound]) -> dict[int, dict[str, tuple[int, int]]]:
    sums: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for round_id, item, answers, points in (
        ItemTally.objects.filter(round__in=rounds, answers__gt=0)
        .values_list("round_id", "item", "answers", "points")
        .order_by()
    ):
        sums[round_id][item] = (points, answers)
    return sums


def score_rounds(rounds: QuerySet[SurveyRound]) -> dict[int, dict[str, Decimal]]:
    """Part scores of every round in ``rounds``, from the tallies: per model in use, two queries (the survey
    indicators and the OIT checklist), whatever the number of answers or rounds."""
    rounds_of: dict[str, list[int]] = defaultdict(list)
    for round_id, model_key in rounds.values_list("pk", "model_key").order_by():
        rounds_of[model_key].append(round_id)
    scores: dict[int, dict[str, Decimal]] = {}
    for model_key, round_ids in sorted(rounds_of.items()):
        scores.update(_score_model_rounds(model_key, rounds.filter(model_key=model_key), round_ids))
    return scores


def score_rounds_from_answers(rounds: QuerySet[SurveyRound]) -> dict[int, dict[str, Decimal]]:
    """The same scores from the raw answers (one GROUP BY over every answer) rather than the tallies: the
    path before the tallies, kept to check them and to compare speed (``benchmarks/ita_national.py``)."""
    model_of: dict[int, str] = dict(rounds.values_list("pk", "model_key"))
    sums: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for (round_id, item), (answers, points) in tallies.answer_sums(rounds).items():
        sums[round_id][item] = (points, answers)
    complete: dict[int, list[str]] = defaultdict(list)
    entries = (
        OitEntry.objects.filter(round__in=rounds, complete=True).values_list("round_id", "item").order_by()
    )
    for round_id, item in entries:
        complete[round_id].append(item)
    return {
        round_id: combine(model_key, sums.get(round_id, {}), complete.get(round_id, []))
        for round_id, model_key in model_of.items()
    }


def score_round(survey_round: SurveyRound) -> dict[str, Decimal]:
    return score_rounds(SurveyRound.objects.filter(pk=survey_round.pk)).get(survey_round.pk, {})


def respondents(survey_round: SurveyRound) -> dict[str, int]:
    """How many people answered each questionnaire of the round (one query)."""
    counts = (
        SurveyResponse.objects.filter(round=survey_round)
        .values("tool")
        .annotate(n=Count("id"))
        .values_list("tool", "n")
        .order_by()
    )
    return dict(counts)


def missing_parts(survey_round: SurveyRound, scores: Mapping[str, Decimal]) -> list[str]:
    return [key for key in survey_round.model.keys if key not in scores]


def questionnaire_for(survey_round: SurveyRound, tool: str) -> Questionnaire:
    return catalog.questionnaires_of(survey_round.model)[tool]
