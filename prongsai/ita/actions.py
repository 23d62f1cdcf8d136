"""Every change to ITA data goes through one function here: one transaction, one audit row.

Views, the command line, the demo loader and the tests call these. Bad input raises
``django.core.exceptions.ValidationError`` (with field names where there is a field) and saves nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai.audit.log import record
from prongsai.audit.state import change, changes, removal
from prongsai.ita import catalog, survey_scores, tabular, tallies
from prongsai.ita.catalog import CHECKLIST_TOOL, HUNDRED, SURVEY_TOOLS
from prongsai.ita.models import (
    Answer,
    Assessment,
    AssessmentScore,
    LinkBudget,
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
from prongsai.lib import ratelimit, tickets
from prongsai.lib.numbers import YEAR_MAX, YEAR_MIN
from prongsai.organizations.access import Actor, Permission, authorize
from prongsai.organizations.models import Organization

TICKET_PURPOSE = "ita.survey"  # the Signer salt stays "prongsai.ita.survey-ticket", as before lib.tickets
TICKET_MAX_AGE = 12 * 60 * 60  # a form left open over a working day still submits
FIRST_YEAR, LAST_YEAR = YEAR_MIN, YEAR_MAX


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


# --- Published results -----------------------------------------------------------------------------


@transaction.atomic
def record_assessment(
    actor: Actor,
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
    access = authorize(actor, organization, Permission.EDIT_ITA)
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
        created_by=access.user,
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
    record(access, "ita.assessment.record", params={"year": year}, changes=[change(assessment)])
    return assessment


@transaction.atomic
def delete_assessment(actor: Actor, assessment: Assessment) -> None:
    access = authorize(actor, assessment.organization, Permission.EDIT_ITA)
    if assessment.source != Source.PUBLISHED:
        raise ValidationError(_("ลบได้เฉพาะผลที่บันทึกจากประกาศ ผลของรอบประเมินตนเองเป็นหลักฐานของรอบนั้น"))
    record(access, "ita.assessment.delete", params={"year": assessment.year}, changes=[removal(assessment)])
    assessment.delete()


# --- Self-assessment rounds ------------------------------------------------------------------------


@transaction.atomic
def open_round(
    actor: Actor, organization: Organization, *, year: int, title: str, model_key: str = "ita-2562"
) -> SurveyRound:
    """A new round with a public link per questionnaire and an empty OIT checklist."""
    access = authorize(actor, organization, Permission.EDIT_ITA)
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
        opened_by=access.user,
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
        access,
        "ita.round.open",
        params={"title": title},
        changes=[
            change(survey_round),
            *changes(survey_round.links.order_by("tool")),
            *changes(survey_round.oit_entries.order_by("id")),
        ],
    )
    return survey_round


def _lock_open_round(survey_round: SurveyRound) -> SurveyRound:
    locked = SurveyRound.objects.select_for_update().select_related("organization").get(pk=survey_round.pk)
    if not locked.is_open:
        raise ValidationError(_("รอบการประเมินนี้ปิดแล้ว"))
    return locked


# The survey's tickets are lib.tickets' with the link's id as subject (docs/decisions/0005).
TicketRefused = tickets.TicketRefused
Ticket = tickets.Ticket
proof_is_good = tickets.proof_is_good
solve_proof = tickets.solve_proof


class LinkBusy(Exception):
    """The link took its answers for this minute; nothing was stored and the ticket is still unused."""


def new_ticket(link: SurveyLink, *, issued: int | None = None, bits: int | None = None) -> str:
    """A signed one-time ticket for one answer form of ``link`` (``lib.tickets.new_ticket``)."""
    return new_ticket_for(link.pk, issued=issued, bits=bits)


def new_ticket_for(link_id: int, *, issued: int | None = None, bits: int | None = None) -> str:
    bits = settings.SURVEY_PROOF_BITS if bits is None else bits
    return tickets.new_ticket(TICKET_PURPOSE, str(link_id), bits=bits, issued=issued)


def check_ticket(ticket: str, proof: str, *, now: float | None = None) -> Ticket:
    """A survey POST's ticket, checked without the database (``lib.tickets.check_ticket``): raises
    ``TicketRefused`` so that junk is turned away before the link, the used tickets or the link's budget
    are even looked at."""
    return tickets.check_ticket(
        TICKET_PURPOSE,
        ticket,
        proof,
        min_age=settings.SURVEY_TICKET_MIN_SECONDS,
        max_age=TICKET_MAX_AGE,
        now=now,
    )


def submit_answers(
    link: SurveyLink, ticket: Ticket, choices: Mapping[str, int], *, per_minute: int | None = None
) -> SurveyResponse:
    """One anonymous respondent's answers (item key → option index in form order).

    Stores the points only: no name, address, user agent or time, under random keys, and writes no
    audit row (whose time and order would date the answer; the round's totals are logged when it
    closes). ``per_minute`` is the link's answer budget, counted in the database after the ticket was
    found unused, so that replays and junk never spend it. Raises ``LinkBusy`` when it is spent.
    """
    if ticket.purpose != TICKET_PURPOSE or ticket.subject != str(link.pk):
        raise TicketRefused(_("แบบฟอร์มไม่ถูกต้อง โปรดเปิดลิงก์ใหม่"), code="bad")
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
    with transaction.atomic():
        # The round's row, and only it: answers to other rounds never wait here. ``close_round`` locks the
        # same row FOR UPDATE, so an answer either commits before the round's scores are taken or finds
        # the round closed (docs/decisions/0005). NO KEY UPDATE leaves foreign keys to the round free.
        status = (
            SurveyRound.objects.select_for_update(no_key=True)
            .filter(pk=link.round_id)
            .values_list("status", flat=True)
            .first()
        )
        if status != RoundStatus.OPEN:
            raise ValidationError(_("รอบการประเมินนี้ปิดแล้ว"), code="closed")
        try:
            with transaction.atomic():
                UsedTicket.objects.create(digest=ticket.digest, link=link)
        except IntegrityError:
            raise TicketRefused(_("แบบฟอร์มนี้ส่งคำตอบไปแล้ว"), code="used") from None
        if per_minute is not None and not ratelimit.allow(LinkBudget, link.pk, per_minute, window_seconds=60):
            raise LinkBusy
        response = SurveyResponse.objects.create(round_id=link.round_id, tool=link.tool, via=Via.WEB)
        Answer.objects.bulk_create(
            Answer(round_id=link.round_id, response=response, item=key, points=value)
            for key, value in points.items()
        )
        tallies.add_answers(link.round_id, [points])
    return response


@transaction.atomic
def import_responses(
    actor: Actor, survey_round: SurveyRound, tool: str, content: bytes, filename: str = ""
) -> int:
    """Store every respondent of a CSV/XLSX file, or nothing: ``tabular.ImportRefused`` lists every problem."""
    access = authorize(actor, survey_round.organization, Permission.EDIT_ITA)
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
    tallies.add_answers(survey_round.pk, respondents)
    record(
        access,
        "ita.responses.import",
        params={"tool": tool, "count": len(respondents), "file": filename or "-"},
    )
    return len(respondents)


@dataclass(frozen=True)
class OitChange:
    url: str
    complete: bool


@transaction.atomic
def update_oit_checklist(actor: Actor, survey_round: SurveyRound, updates: Mapping[str, OitChange]) -> int:
    """Set the URL and completeness of OIT items; returns how many changed. Errors are keyed by item."""
    access = authorize(actor, survey_round.organization, Permission.EDIT_ITA)
    survey_round = _lock_open_round(survey_round)
    entries = {entry.item: entry for entry in survey_round.oit_entries.select_for_update()}
    validate_url = URLValidator(schemes=["http", "https"])
    errors: dict[str, list[str]] = {}
    for key, update in updates.items():
        if key not in entries:
            errors.setdefault(key, []).append(_("ไม่มีรายการ %(item)s ในแบบตรวจ OIT") % {"item": key})
            continue
        url = update.url.strip()
        if url:
            try:
                validate_url(url)
            except ValidationError:
                errors.setdefault(key, []).append(
                    _("%(item)s: ที่อยู่เว็บต้องขึ้นต้นด้วย http:// หรือ https://") % {"item": key}
                )
        if update.complete and not url:
            errors.setdefault(key, []).append(
                _("%(item)s: ใส่ที่อยู่เว็บของข้อมูลที่เผยแพร่ก่อนทำเครื่องหมายว่าครบถ้วน") % {"item": key}
            )
    if errors:
        raise ValidationError(errors)
    changed: list[OitEntry] = []
    for key, update in updates.items():
        entry = entries[key]
        url = update.url.strip()
        if entry.url == url and entry.complete == update.complete:
            continue
        entry.url, entry.complete = url, update.complete
        entry.updated_by = access.user
        entry.updated_at = timezone.now()
        changed.append(entry)
    if changed:
        OitEntry.objects.bulk_update(changed, ["url", "complete", "updated_by", "updated_at"])
        record(access, "ita.oit.update", params={"count": len(changed)}, changes=changes(changed))
    return len(changed)


@transaction.atomic
def close_round(actor: Actor, survey_round: SurveyRound) -> Assessment:
    """Stop taking answers and store the round's scores as a self-assessment result.

    The log gets the round's totals (respondents per questionnaire) and its scores, never the answers
    one by one: entries carry times and an order, and anonymous answers must have neither.
    """
    access = authorize(actor, survey_round.organization, Permission.EDIT_ITA)
    survey_round = _lock_open_round(survey_round)
    scores = survey_scores.score_round(survey_round)
    missing = survey_scores.missing_parts(survey_round, scores)
    if missing:
        names = ", ".join(survey_round.model.part(key).name_th for key in missing)
        raise ValidationError(_("ยังปิดรอบไม่ได้: ยังไม่มีคำตอบสำหรับตัวชี้วัด %(names)s") % {"names": names})
    survey_round.status = RoundStatus.CLOSED
    survey_round.closed_by = access.user
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
        access,
        "ita.round.close",
        params={"title": survey_round.title},
        changes=[change(survey_round), change(assessment)],
    )
    return assessment
