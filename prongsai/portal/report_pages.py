"""The public side of the progress reports: a published round's page, its PDF and DOCX, its public evidence.

Rounds are read only through ``prongsai.reports.published``: a draft or approved round, and evidence not
marked public, have no public address (404). The round page and the documents are cached under the
publication stamp like the plan pages (publishing a round changes the stamp).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from prongsai.lib import evidence
from prongsai.organizations.models import Organization
from prongsai.plans import published as published_plans
from prongsai.portal.cache import public_page, publication_stamp
from prongsai.portal.verify import digest
from prongsai.reports import charts, document
from prongsai.reports import published as published_reports
from prongsai.reports.actions import published_report_pdf
from prongsai.reports.models import Evidence, ReportRound
from prongsai.reports.progress import Row, round_rows
from prongsai.reports.rules import rules
from prongsai.reports.scores import Summary, summarise, summarise_rounds

DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _organization(slug: str) -> Organization:
    organization = published_plans.public_organization(slug)
    if organization is None:
        raise Http404
    return organization


def public_round(org: str, plan: str, year: int, months: int) -> ReportRound:
    """A published round of a public organisation; 404 for a draft, an approved round or anything else."""
    found = published_reports.published_round(_organization(org), plan, year, months)
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class RoundCard:
    """A published round as the organisation's home lists it."""

    round: ReportRound
    summary: Summary


def round_cards(organization: Organization) -> list[RoundCard]:
    rounds = list(published_reports.published_rounds(organization))
    summaries = summarise_rounds(rounds)
    return [RoundCard(r, summaries[r.pk]) for r in rounds]


@dataclass(frozen=True)
class PublicRow:
    row: Row
    reason: str  # the national reason's title, for an item that could not be carried out
    evidence: list[Evidence]


def _rows(report_round: ReportRound) -> list[PublicRow]:
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for item in published_reports.public_evidence(report_round):
        evidence[item.report_id].append(item)
    catalogue = rules()
    rows = []
    for row in round_rows(report_round, locked=set()):
        reason = catalogue.reason(row.report.reason) if row.report.reason else None
        rows.append(
            PublicRow(
                row=row,
                reason=row.report.reason_text or (reason.title if reason else ""),
                evidence=evidence.get(row.report.pk, []),
            )
        )
    return rows


@login_not_required
@require_GET
@public_page
def round_page(request: HttpRequest, org: str, plan: str, year: int, months: int) -> HttpResponse:
    report_round = public_round(org, plan, year, months)
    summary = summarise(report_round)
    style = report_round.plan.digits
    context: dict[str, Any] = {
        "organization": report_round.organization,
        "plan": report_round.plan,
        "round": report_round,
        "summary": summary,
        "status_chart": charts.status_chart(summary, style),
        "budget_chart": charts.budget_chart(summary, style),
        "bands": rules().bands[report_round.months],
        "period": rules().rounds[report_round.months].period(report_round.fiscal_year),
        "rows": _rows(report_round),
        "digits": style,
    }
    return render(request, "portal/report_round.html", context)


def _filename(report_round: ReportRound, fmt: str) -> str:
    # Slugs are ASCII, so the name needs no encoding in the header.
    r = report_round
    return f"report-{r.organization.slug}-{r.plan_slug}-{r.fiscal_year}-{r.months}.{fmt}"


@login_not_required
@require_GET
def round_document(
    request: HttpRequest, org: str, plan: str, year: int, months: int, fmt: str
) -> HttpResponse:
    """The round's report: the PDF stored when it was published; the DOCX laid out in Thai once per round
    and publication stamp."""
    from prongsai.portal.views import _download

    if fmt not in DOCUMENT_TYPES:
        raise Http404
    report_round = public_round(org, plan, year, months)
    if fmt == "pdf":
        # The PDF as published, from the stored bytes the log vouches for: never laid out again.
        stored_pdf = published_report_pdf(report_round)
        if stored_pdf is None:
            raise Http404
        return _download(
            request, stored_pdf, digest([stored_pdf]), DOCUMENT_TYPES[fmt], _filename(report_round, fmt)
        )
    cache = caches[settings.PORTAL_CACHE]
    key = f"portal:report-{fmt}:{publication_stamp()}:{report_round.pk}"
    stored: tuple[bytes, str] | None = cache.get(key)
    if stored is None:
        with translation.override("th"):
            body = document.report_docx(report_round)
        stored = (body, digest([body]))
        cache.set(key, stored, settings.PORTAL_CACHE_SECONDS)
    return _download(request, stored[0], stored[1], DOCUMENT_TYPES[fmt], _filename(report_round, fmt))


@login_not_required
@require_GET
def evidence_file(
    request: HttpRequest, org: str, plan: str, year: int, months: int, evidence_id: int
) -> HttpResponseBase:
    """A file the officer marked public, of a published round; always an attachment, never sniffed."""
    report_round = public_round(org, plan, year, months)
    item = published_reports.public_evidence(report_round).filter(pk=evidence_id).first()
    if item is None:
        raise Http404
    return evidence.serve(item, public=True)
