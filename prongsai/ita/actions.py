"""Every change to ITA data goes through one function here: one transaction, one audit row.

Views, the command line, the demo loader and the tests call these. Bad input raises
``django.core.exceptions.ValidationError`` (with field names where there is a field) and saves nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User as UserModel
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai.audit.log import record
from prongsai.ita import catalog, survey_scores, tabular
from prongsai.ita.catalog import CHECKLIST_TOOL, HUNDRED, SURVEY_TOOLS
from prongsai.ita.models import (
    Answer,
    Assessment,
    AssessmentScore,
    OitEntry,
    RoundStatus,
    Source,
    SurveyLink,
    SurveyResponse,
    SurveyRound,
    UsedTicket,
    Via,
)
from prongsai.ita.scoring import round4
from prongsai.organizations.models import Organization

User = UserModel | None

TICKET_SALT = "prongsai.ita.survey-ticket"
TICKET_MAX_AGE = 12 * 60 * 60  # a form left open over a working day still submits
FIRST_YEAR, LAST_YEAR = 2500, 2700


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {
                "year": _("ปีต้องเป็นปีพุทธศักราชระหว่าง %(first)s ถึง %(last)s")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            }
        )


def _load_model(model_key: str) -> catalog.ItaModel:
    try:
        return catalog.load_model(model_key)
    except LookupError:
        raise ValidationError({"model_key": _("ไม่พบแบบการประเมิน %(key)s") % {"key": model_key}}) from None


def assessment_snapshot(assessment: Assessment) -> dict[str, Any]:
    return {
        "year": assessment.year,
        "model": assessment.model_key,
        "source": assessment.source,
        "published_total": None if assessment.published_total is None else str(assessment.published_total),
        "scores": {
            row.key: {
                "score": str(row.score),
                "published_points": None if row.published_points is None else str(row.published_points),
            }
            for row in assessment.scores.all()
        },
    }


# --- Published results -----------------------------------------------------------------------------


@transaction.atomic
def record_assessment(
    actor: User,
    organization: Organization,
    *,
    year: int,
    model_key: str,
    scores: Mapping[str, Decimal],
    published_points: Mapping[str, Decimal] | None = None,
    published_total: Decimal | None = None,
    note: str = "",
) -> Assessment:
    """Record the results the NACC published for ``organization`` in ``year``, as published."""
    model = _load_model(model_key)
    _check_year(year)
    published_points = published_points or {}
    errors: dict[str, list[str]] = {}
    for key in scores:
        if key not in model.keys:
            errors.setdefault("scores", []).append(
                _("ไม่มีดัชนีหรือตัวชี้วัด %(key)s ในแบบ %(model)s") % {"key": key, "model": model.key}
            )
    for part in model.parts:
        score = scores.get(part.key)
        if score is None:
            errors.setdefault(f"score_{part.key}", []).append(
                _("กรอกคะแนน (ร้อยละ) ของ%(name)s") % {"name": part.name_th}
            )
        elif not 0 <= score <= HUNDRED:
            errors.setdefault(f"score_{part.key}", []).append(
                _("คะแนนของ%(name)s ต้องอยู่ระหว่าง 0 ถึง 100") % {"name": part.name_th}
            )
        points = published_points.get(part.key)
        if points is not None and not 0 <= points <= part.weight:
            errors.setdefault(f"points_{part.key}", []).append(
                _("คะแนนถ่วงน้ำหนักของ%(name)s ต้องอยู่ระหว่าง 0 ถึง %(weight)s")
                % {"name": part.name_th, "weight": part.weight}
            )
    if published_total is not None and not 0 <= published_total <= HUNDRED:
        errors.setdefault("published_total", []).append(_("คะแนนรวมต้องอยู่ระหว่าง 0 ถึง 100"))
    if Assessment.objects.filter(organization=organization, year=year, source=Source.PUBLISHED).exists():
        errors.setdefault("year", []).append(
            _("มีผลการประเมินที่ประกาศของปี %(year)s อยู่แล้ว ให้ลบรายการเดิมก่อนหากต้องการบันทึกใหม่") % {"year": year}
        )
    if errors:
        raise ValidationError(errors)
    assessment = Assessment(
        organization=organization,
        year=year,
        model_key=model.key,
        source=Source.PUBLISHED,
        published_total=published_total,
        note=note,
        created_by=actor if actor is not None and actor.pk else None,
    )
    assessment.full_clean()
    assessment.save()
    AssessmentScore.objects.bulk_create(
        AssessmentScore(
            assessment=assessment,
            key=part.key,
            score=scores[part.key],
            published_points=published_points.get(part.key),
        )
        for part in model.parts
    )
    record(
        actor=actor,
        organization=organization,
        action="ita.assessment.record",
        target=assessment,
        summary=_("บันทึกผลการประเมิน ITA ปี %(year)s") % {"year": year},
        after=assessment_snapshot(assessment),
    )
    return assessment


@transaction.atomic
def delete_assessment(actor: User, assessment: Assessment) -> None:
    if assessment.source != Source.PUBLISHED:
        raise ValidationError(_("ลบได้เฉพาะผลที่บันทึกจากประกาศ ผลของรอบประเมินตนเองเป็นหลักฐานของรอบนั้น"))
    before = assessment_snapshot(assessment)
    organization = assessment.organization
    record(
        actor=actor,
        organization=organization,
        action="ita.assessment.delete",
        target=assessment,
        summary=_("ลบผลการประเมิน ITA ปี %(year)s") % {"year": assessment.year},
        before=before,
    )
    assessment.delete()


# --- Self-assessment rounds ------------------------------------------------------------------------


def round_snapshot(survey_round: SurveyRound) -> dict[str, Any]:
    return {
        "year": survey_round.year,
        "model": survey_round.model_key,
        "title": survey_round.title,
        "status": survey_round.status,
    }


@transaction.atomic
def open_round(
    actor: User, organization: Organization, *, year: int, title: str, model_key: str = "ita-2562"
) -> SurveyRound:
    """A new round with a public link per questionnaire and an empty OIT checklist."""
    model = _load_model(model_key)
    _check_year(year)
    if not model.has_surveys:
        raise ValidationError(
            {"model_key": _("แบบ %(model)s ไม่มีแบบสำรวจสำหรับประเมินตนเอง") % {"model": model.key}}
        )
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("กรอกชื่อรอบการประเมิน")})
    survey_round = SurveyRound(
        organization=organization,
        year=year,
        model_key=model.key,
        title=title,
        opened_by=actor if actor is not None and actor.pk else None,
    )
    survey_round.full_clean()
    survey_round.save()
    questionnaires = catalog.questionnaires_of(model)
    SurveyLink.objects.bulk_create(
        SurveyLink(
            round=survey_round,
            tool=tool,
            questionnaire_key=questionnaires[tool].key,
            token=secrets.token_urlsafe(24),
        )
        for tool in SURVEY_TOOLS
    )
    OitEntry.objects.bulk_create(
        OitEntry(round=survey_round, item=key) for key in questionnaires[CHECKLIST_TOOL].item_keys
    )
    record(
        actor=actor,
        organization=organization,
        action="ita.round.open",
        target=survey_round,
        summary=_("เปิดรอบประเมินตนเอง %(title)s") % {"title": title},
        after=round_snapshot(survey_round),
    )
    return survey_round


def _lock_open_round(survey_round: SurveyRound) -> SurveyRound:
    locked = SurveyRound.objects.select_for_update().select_related("organization").get(pk=survey_round.pk)
    if not locked.is_open:
        raise ValidationError(_("รอบการประเมินนี้ปิดแล้ว"))
    return locked


def new_ticket(link: SurveyLink) -> str:
    """A signed one-time ticket for one answer form. Only its digest is stored, once used."""
    return signing.dumps({"l": link.pk, "n": secrets.token_urlsafe(16)}, salt=TICKET_SALT)


def _ticket_digest(link: SurveyLink, ticket: str) -> str:
    try:
        data = signing.loads(ticket, salt=TICKET_SALT, max_age=TICKET_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(_("แบบฟอร์มนี้เปิดค้างไว้นานเกินไป โปรดเปิดลิงก์ใหม่แล้วตอบอีกครั้ง")) from None
    except signing.BadSignature:
        raise ValidationError(_("แบบฟอร์มไม่ถูกต้อง โปรดเปิดลิงก์ใหม่")) from None
    if not isinstance(data, dict) or data.get("l") != link.pk:
        raise ValidationError(_("แบบฟอร์มไม่ถูกต้อง โปรดเปิดลิงก์ใหม่"))
    return hashlib.sha256(str(data.get("n")).encode()).hexdigest()


@transaction.atomic
def submit_answers(link: SurveyLink, ticket: str, choices: Mapping[str, int]) -> SurveyResponse:
    """One anonymous respondent's answers (item key → option index in form order).

    Stores the points only: no name, address, user agent or time. The audit row names the link,
    never the response, so that the chain's timestamps cannot be matched to an answer.
    """
    survey_round = _lock_open_round(link.round)
    questionnaire = link.questionnaire
    missing = [item.key for item in questionnaire.items if item.key not in choices]
    unknown = [key for key in choices if key not in questionnaire.item_keys]
    if missing or unknown:
        raise ValidationError(
            _("โปรดตอบทุกข้อ (ยังไม่ได้ตอบ: %(items)s)") % {"items": ", ".join(missing or unknown)}
        )
    points: dict[str, int] = {}
    for item in questionnaire.items:
        option = choices[item.key]
        if not 0 <= option < len(item.options):
            raise ValidationError(_("คำตอบข้อ %(item)s ไม่ถูกต้อง") % {"item": item.key})
        points[item.key] = item.points_of(option)
    digest = _ticket_digest(link, ticket)
    try:
        with transaction.atomic():
            UsedTicket.objects.create(link=link, digest=digest)
    except IntegrityError:
        raise ValidationError(_("แบบฟอร์มนี้ส่งคำตอบไปแล้ว")) from None
    response = SurveyResponse.objects.create(round=survey_round, tool=link.tool, via=Via.WEB)
    Answer.objects.bulk_create(
        Answer(round=survey_round, response=response, item=key, points=value) for key, value in points.items()
    )
    record(
        actor=None,
        organization=survey_round.organization,
        action="ita.answer",
        target=link,
        summary=_("ได้รับคำตอบแบบสำรวจ %(tool)s หนึ่งชุด") % {"tool": link.tool},
    )
    return response


@transaction.atomic
def import_responses(
    actor: User, survey_round: SurveyRound, tool: str, content: bytes, filename: str = ""
) -> int:
    """Store every respondent of a CSV/XLSX file, or nothing: ``tabular.ImportRefused`` lists every problem."""
    if tool not in SURVEY_TOOLS:
        raise ValidationError({"tool": _("เลือกแบบสำรวจ IIT หรือ EIT")})
    survey_round = _lock_open_round(survey_round)
    questionnaire = survey_scores.questionnaire_for(survey_round, tool)
    respondents = tabular.parse_responses(questionnaire, tabular.read_table(content))
    responses = SurveyResponse.objects.bulk_create(
        SurveyResponse(round=survey_round, tool=tool, via=Via.IMPORT) for _respondent in respondents
    )
    if any(response.pk is None for response in responses):  # backends without RETURNING
        raise RuntimeError("bulk_create did not return primary keys")
    Answer.objects.bulk_create(
        (
            Answer(round=survey_round, response=response, item=key, points=value)
            for response, answers in zip(responses, respondents, strict=True)
            for key, value in answers.items()
        ),
        batch_size=5000,
    )
    record(
        actor=actor,
        organization=survey_round.organization,
        action="ita.responses.import",
        target=survey_round,
        summary=_("นำเข้าคำตอบแบบสำรวจ %(tool)s %(count)s ชุด จากไฟล์ %(file)s")
        % {"tool": tool, "count": len(respondents), "file": filename or "-"},
        after={"tool": tool, "respondents": len(respondents), "file": filename},
    )
    return len(respondents)


@dataclass(frozen=True)
class OitChange:
    url: str
    complete: bool


@transaction.atomic
def update_oit_checklist(actor: User, survey_round: SurveyRound, changes: Mapping[str, OitChange]) -> int:
    """Set the URL and completeness of OIT items; returns how many changed. Errors are keyed by item."""
    survey_round = _lock_open_round(survey_round)
    entries = {entry.item: entry for entry in survey_round.oit_entries.select_for_update()}
    validate_url = URLValidator(schemes=["http", "https"])
    errors: dict[str, list[str]] = {}
    for key, change in changes.items():
        if key not in entries:
            errors.setdefault(key, []).append(_("ไม่มีรายการ %(item)s ในแบบตรวจ OIT") % {"item": key})
            continue
        url = change.url.strip()
        if url:
            try:
                validate_url(url)
            except ValidationError:
                errors.setdefault(key, []).append(
                    _("%(item)s: ที่อยู่เว็บต้องขึ้นต้นด้วย http:// หรือ https://") % {"item": key}
                )
        if change.complete and not url:
            errors.setdefault(key, []).append(
                _("%(item)s: ใส่ที่อยู่เว็บของข้อมูลที่เผยแพร่ก่อนทำเครื่องหมายว่าครบถ้วน") % {"item": key}
            )
    if errors:
        raise ValidationError(errors)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    changed: list[OitEntry] = []
    for key, change in changes.items():
        entry = entries[key]
        url = change.url.strip()
        if entry.url == url and entry.complete == change.complete:
            continue
        before[key] = {"url": entry.url, "complete": entry.complete}
        entry.url, entry.complete = url, change.complete
        entry.updated_by = actor if actor is not None and actor.pk else None
        entry.updated_at = timezone.now()
        after[key] = {"url": entry.url, "complete": entry.complete}
        changed.append(entry)
    if changed:
        OitEntry.objects.bulk_update(changed, ["url", "complete", "updated_by", "updated_at"])
        record(
            actor=actor,
            organization=survey_round.organization,
            action="ita.oit.update",
            target=survey_round,
            summary=_("ปรับปรุงแบบตรวจ OIT %(count)s รายการ") % {"count": len(changed)},
            before=before,
            after=after,
        )
    return len(changed)


@transaction.atomic
def close_round(actor: User, survey_round: SurveyRound) -> Assessment:
    """Stop taking answers and store the round's scores as a self-assessment result."""
    survey_round = _lock_open_round(survey_round)
    scores = survey_scores.score_round(survey_round)
    missing = survey_scores.missing_parts(survey_round, scores)
    if missing:
        names = ", ".join(survey_round.model.part(key).name_th for key in missing)
        raise ValidationError(_("ยังปิดรอบไม่ได้: ยังไม่มีคำตอบสำหรับตัวชี้วัด %(names)s") % {"names": names})
    survey_round.status = RoundStatus.CLOSED
    survey_round.closed_by = actor if actor is not None and actor.pk else None
    survey_round.closed_at = timezone.now()
    survey_round.save(update_fields=["status", "closed_by", "closed_at"])
    assessment = Assessment.objects.create(
        organization=survey_round.organization,
        year=survey_round.year,
        model_key=survey_round.model_key,
        source=Source.SELF,
        survey_round=survey_round,
        note=survey_round.title,
        created_by=survey_round.closed_by,
    )
    AssessmentScore.objects.bulk_create(
        AssessmentScore(assessment=assessment, key=key, score=round4(scores[key]))
        for key in survey_round.model.keys
    )
    record(
        actor=actor,
        organization=survey_round.organization,
        action="ita.round.close",
        target=survey_round,
        summary=_("ปิดรอบประเมินตนเอง %(title)s และบันทึกผล") % {"title": survey_round.title},
        before={"status": RoundStatus.OPEN},
        after=assessment_snapshot(assessment),
    )
    return assessment
