"""Building ITA test data through the same functions the product uses."""

from __future__ import annotations

import secrets
from decimal import Decimal

from prongsai.ita import actions
from prongsai.ita.models import Assessment, SurveyLink, SurveyRound

SOURCE_SCORES = {
    "transparency": Decimal("80.06"),
    "accountability": Decimal("85.72"),
    "corruption_free": Decimal("89.77"),
    "integrity_culture": Decimal("72.83"),
    "work_integrity": Decimal("60.48"),
}
SOURCE_POINTS = {
    "transparency": Decimal("20.82"),
    "accountability": Decimal("15.43"),
    "corruption_free": Decimal("19.75"),
    "integrity_culture": Decimal("11.65"),
    "work_integrity": Decimal("10.89"),
}


def record_source_row(actor, organization, year: int = 2560) -> Assessment:
    """Wang Phai's published row from the source plan."""
    return actions.record_assessment(
        actor,
        organization,
        year=year,
        model_key="ita-2560",
        scores=SOURCE_SCORES,
        published_points=SOURCE_POINTS,
        published_total=Decimal("78.54"),
    )


def record_2562(actor, organization, year: int, scores: dict[str, str]) -> Assessment:
    return actions.record_assessment(
        actor,
        organization,
        year=year,
        model_key="ita-2562",
        scores={key: Decimal(value) for key, value in scores.items()},
    )


def open_round(actor, organization, year: int = 2568) -> SurveyRound:
    return actions.open_round(actor, organization, year=year, title="ซ้อมประเมิน ITA ปี 2568")


def link(survey_round: SurveyRound, tool: str) -> SurveyLink:
    return survey_round.links.get(tool=tool)


def spendable_ticket(link_: SurveyLink) -> actions.Ticket:
    """A ticket as ``actions.check_ticket`` returns it, for tests that store answers without the web form."""
    return actions.Ticket(
        purpose=actions.TICKET_PURPOSE, subject=str(link_.pk), issued=0, bits=0, digest=secrets.token_hex(32)
    )


def answer_all(link_: SurveyLink, option: int) -> None:
    """One respondent choosing the option at ``option`` (form order; the last one for yes/no items when
    ``option`` is past it) for every item."""
    questionnaire = link_.questionnaire
    choices = {item.key: min(option, len(item.options) - 1) for item in questionnaire.items}
    actions.submit_answers(link_, spendable_ticket(link_), choices)


def csv_for(link_: SurveyLink, rows: list[list[str]]) -> bytes:
    header = ",".join(link_.questionnaire.item_keys)
    body = "\n".join(",".join(row) for row in rows)
    return f"{header}\n{body}\n".encode()


def same_answer_rows(link_: SurveyLink, code: str, respondents: int) -> list[list[str]]:
    """Rows in which every scale item is ``code`` (1–4) and every yes/no item is "0" (no)."""
    row = [code if len(item.options) == 4 else "0" for item in link_.questionnaire.items]
    return [list(row) for _ in range(respondents)]


def answer_best(link_: SurveyLink) -> None:
    """One respondent giving the answer worth 100 points on every item."""
    questionnaire = link_.questionnaire
    choices = {
        item.key: next(i for i in range(len(item.options)) if item.points_of(i) == 100)
        for item in questionnaire.items
    }
    actions.submit_answers(link_, spendable_ticket(link_), choices)
