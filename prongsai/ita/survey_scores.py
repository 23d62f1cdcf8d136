"""Scores of self-assessment rounds, computed set-based.

The database does the per-answer work in one GROUP BY (round, item) over ``Answer``; Python only
combines the per-item sums (a few dozen per round) into question and indicator means. The number of
queries does not depend on how many people answered, and the same path scores one round on its page
or every round in the country (``benchmarks/ita_national.py``).

Rules (from the NACC's manual, marked verify in the questionnaire files): item score = mean over the
respondents; question score = mean of its items; indicator score = mean of its questions; an OIT
indicator = the share of its checklist items disclosed completely, × 100.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.db import connection
from django.db.models import Count, QuerySet, Sum

from prongsai.ita import catalog
from prongsai.ita.catalog import CHECKLIST_TOOL, HUNDRED, Questionnaire
from prongsai.ita.models import Answer, OitEntry, SurveyResponse, SurveyRound


@dataclass(frozen=True)
class ModelLayout:
    """Which items make up each question and each indicator, and the OIT checklist items of each indicator."""

    survey: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]  # (part, questions as their item keys)
    checklist_part: dict[str, str]  # OIT item → part
    checklist_size: dict[str, int]  # part → number of checklist items
    checklist_parts: tuple[str, ...]


@cache
def layout(model_key: str) -> ModelLayout:
    survey: list[tuple[str, tuple[tuple[str, ...], ...]]] = []
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
                survey.append((part_key, questions))
    return ModelLayout(tuple(survey), checklist_part, dict(size), tuple(checklist_parts))


NO_ANSWERS = (0, 0)


def combine(
    model_key: str, item_sums: Mapping[str, tuple[int, int]], complete_items: Iterable[str]
) -> dict[str, Decimal]:
    """Part scores (unrounded) from per-item (sum of points, number of answers) and the complete OIT items.

    Survey parts without any answer are left out; OIT parts are always there (nothing disclosed is 0).
    """
    places = layout(model_key)
    scores: dict[str, Decimal] = {}
    for part_key, questions in places.survey:
        question_means: list[Decimal] = []
        for items in questions:
            item_means = [
                Decimal(total) / count
                for total, count in (item_sums.get(item, NO_ANSWERS) for item in items)
                if count
            ]
            if item_means:
                question_means.append(sum(item_means, Decimal(0)) / len(item_means))
        if question_means:
            scores[part_key] = sum(question_means, Decimal(0)) / len(question_means)
    done: dict[str, int] = defaultdict(int)
    for item in complete_items:
        checklist_part = places.checklist_part.get(item)
        if checklist_part is not None:
            done[checklist_part] += 1
    for part_key in places.checklist_parts:
        scores[part_key] = Decimal(done[part_key]) * HUNDRED / places.checklist_size[part_key]
    return scores


def score_rounds(rounds: QuerySet[SurveyRound]) -> dict[int, dict[str, Decimal]]:
    """Part scores of every round in ``rounds``: a fixed number of queries, whatever the number of answers."""
    model_of: dict[int, str] = dict(rounds.values_list("pk", "model_key"))
    sums: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    grouped = (
        Answer.objects.filter(round__in=rounds)
        .values("round_id", "item")
        .annotate(total=Sum("points"), answers=Count("*"))
        .values_list("round_id", "item", "total", "answers")
        .order_by()
    )
    # The ORM's own SQL, fetched whole through a plain cursor: PostgreSQL plans server-side cursors
    # without parallel workers, and the rows are plain integers and text that need no converters.
    # The scoring index (round, item, points) lets the database aggregate in index order.
    sql, params = grouped.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for round_id, item, total, count in rows:
        sums[round_id][item] = (int(total), int(count))
    del rows
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
