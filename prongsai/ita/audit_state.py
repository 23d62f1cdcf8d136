"""ITA records the change log vouches for. Anonymous answers are not in the log one by one (that would
let the log's order and times be matched to them): a closed round's state carries its totals instead."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from prongsai.audit.events import describe_events
from prongsai.audit.state import check_derived, track, when
from prongsai.ita.models import Assessment, OitEntry, RoundStatus, SurveyLink, SurveyResponse, SurveyRound


def _decimal(value: Any) -> str | None:
    return None if value is None else str(value)


def assessment_state(assessment: Assessment) -> dict[str, Any]:
    return {
        "year": assessment.year,
        "model": assessment.model_key,
        "source": assessment.source,
        "round": assessment.survey_round_id,
        "published_total": _decimal(assessment.published_total),
        "note": assessment.note,
        "scores": {
            row.key: {"score": _decimal(row.score), "published_points": _decimal(row.published_points)}
            for row in sorted(assessment.scores.all(), key=lambda r: r.key)
        },
    }


def round_totals(survey_round: SurveyRound) -> dict[str, int]:
    """How many respondents answered each questionnaire: what a closed round vouches for."""
    counts = (
        SurveyResponse.objects.filter(round=survey_round)
        .values("tool")
        .annotate(n=Count("pk"))
        .order_by("tool")
    )
    return {row["tool"]: row["n"] for row in counts}


def round_state(survey_round: SurveyRound) -> dict[str, Any]:
    closed = survey_round.status == RoundStatus.CLOSED
    return {
        "year": survey_round.year,
        "model": survey_round.model_key,
        "title": survey_round.title,
        "status": survey_round.status,
        "closed_at": when(survey_round.closed_at),
        # Answers keep arriving while a round is open; once closed its totals are fixed.
        "respondents": round_totals(survey_round) if closed else None,
    }


def link_state(link: SurveyLink) -> dict[str, Any]:
    return {
        "round": link.round_id,
        "tool": link.tool,
        "questionnaire": link.questionnaire_key,
        "token_sha256": hashlib.sha256(link.token.encode()).hexdigest(),
    }


def oit_state(entry: OitEntry) -> dict[str, Any]:
    return {"round": entry.round_id, "item": entry.item, "url": entry.url, "complete": entry.complete}


def tally_problems(org_slug: str | None) -> list[tuple[str, str]]:
    """Every ITA running sum that differs from its answers (``tallies.drift``), by organisation."""
    from prongsai.ita import tallies

    rounds = SurveyRound.objects.all()
    if org_slug is not None:
        rounds = rounds.filter(organization__slug=org_slug)
    return [(drift.organization, str(drift)) for drift in tallies.drift(rounds)]


def register() -> None:
    check_derived("ita_tallies", tally_problems)
    track(
        "ita_assessment",
        Assessment,
        state=assessment_state,
        rows=lambda org: Assessment.objects.filter(organization=org).prefetch_related("scores"),
        label=lambda a: f"{a.year} {a.source}",
    )
    track(
        "ita_round",
        SurveyRound,
        state=round_state,
        rows=lambda org: SurveyRound.objects.filter(organization=org),
        label=lambda r: r.title,
    )
    track(
        "ita_link",
        SurveyLink,
        state=link_state,
        rows=lambda org: SurveyLink.objects.filter(round__organization=org),
        label=lambda link: link.tool,
    )
    track(
        "ita_oit",
        OitEntry,
        state=oit_state,
        rows=lambda org: OitEntry.objects.filter(round__organization=org),
        label=lambda e: e.item,
    )
    describe_events(
        {
            "ita.assessment.record": _("บันทึกผลการประเมิน ITA ปี %(year)s"),
            "ita.assessment.delete": _("ลบผลการประเมิน ITA ปี %(year)s"),
            "ita.round.open": _("เปิดรอบประเมินตนเอง %(title)s"),
            "ita.responses.import": _("นำเข้าคำตอบแบบสำรวจ %(tool)s %(count)s ชุด จากไฟล์ %(file)s"),
            "ita.oit.update": _("ปรับปรุงแบบตรวจ OIT %(count)s รายการ"),
            "ita.round.close": _("ปิดรอบประเมินตนเอง %(title)s และบันทึกผล"),
        }
    )
