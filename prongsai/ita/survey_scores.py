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

from django.db.models import Count, QuerySet, Sum

from prongsai.ita import catalog
from prongsai.ita.catalog import CHECKLIST_TOOL, HUNDRED, Questionnaire
from prongsai.ita.models import Answer, OitEntry, SurveyResponse, SurveyRound


@dataclass(frozen=True)
class ItemPlace:
    part_key: str
    question_key: str


@dataclass(frozen=True)
class ModelLayout:
    """Where each item of a model's questionnaires counts, and how many checklist items each OIT part has."""

    items: dict[str, ItemPlace]
    checklist_part: dict[str, str]  # OIT item → part
    checklist_size: dict[str, int]  # part → number of checklist items
    survey_parts: tuple[str, ...]
    checklist_parts: tuple[str, ...]


@cache
def layout(model_key: str) -> ModelLayout:
    items: dict[str, ItemPlace] = {}
    checklist_part: dict[str, str] = {}
    size: dict[str, int] = defaultdict(int)
    survey_parts: list[str] = []
    checklist_parts: list[str] = []
    for tool, questionnaire in catalog.questionnaires_of(catalog.load_model(model_key)).items():
        if tool == CHECKLIST_TOOL:
            for entry in questionnaire.checklist:
                checklist_part[entry.key] = entry.part_key
                size[entry.part_key] += 1
            checklist_parts.extend(questionnaire.part_keys)
        else:
            for item in questionnaire.items:
                items[item.key] = ItemPlace(item.part_key, item.question_key)
            survey_parts.extend(questionnaire.part_keys)
    return ModelLayout(items, checklist_part, dict(size), tuple(survey_parts), tuple(checklist_parts))


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def combine(
    model_key: str, item_sums: Mapping[str, tuple[int, int]], complete_items: Iterable[str]
) -> dict[str, Decimal]:
    """Part scores (unrounded) from per-item (sum of points, number of answers) and the complete OIT items.

    Survey parts without any answer are left out; OIT parts are always there (nothing disclosed is 0).
    """
    places = layout(model_key)
    question_means: dict[str, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for item, (total, count) in item_sums.items():
        place = places.items.get(item)
        if place is None or not count:
            continue
        question_means[place.part_key][place.question_key].append(Decimal(total) / count)
    scores: dict[str, Decimal] = {}
    for part_key in places.survey_parts:
        questions = question_means.get(part_key)
        if questions:
            scores[part_key] = _mean([_mean(means) for means in questions.values()])
    done: dict[str, int] = defaultdict(int)
    for item in complete_items:
        checklist_part = places.checklist_part.get(item)
        if checklist_part is not None:
            done[checklist_part] += 1
    for part_key in places.checklist_parts:
        scores[part_key] = Decimal(done[part_key]) * HUNDRED / places.checklist_size[part_key]
    return scores


def score_rounds(rounds: QuerySet[SurveyRound]) -> dict[int, dict[str, Decimal]]:
    """Part scores of every round in ``rounds``: three queries, whatever the number of answers."""
    model_of: dict[int, str] = dict(rounds.values_list("pk", "model_key"))
    sums: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    rows = (
        Answer.objects.filter(round__in=rounds)
        .values("round_id", "item")
        .annotate(total=Sum("points"), answers=Count("id"))
        .values_list("round_id", "item", "total", "answers")
        .order_by()
    )
    for round_id, item, total, count in rows.iterator(chunk_size=20000):
        sums[round_id][item] = (total, count)
    complete: dict[int, list[str]] = defaultdict(list)
    entries = (
        OitEntry.objects.filter(round__in=rounds, complete=True).values_list("round_id", "item").order_by()
    )
    for round_id, item in entries.iterator(chunk_size=20000):
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
