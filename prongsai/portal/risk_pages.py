"""The public side of the risk registers: a published register's page (its heat maps, counts by area and
level, every risk and measure, its published monitoring rounds), its documents, and public evidence.

Registers are read only through ``prongsai.risks.published``: a draft or approved register, a round not
published and evidence not marked public have no public address (404). The year's address shows its
newest published revision; each published revision keeps its own (``r/<n>/``). A monitoring round
belongs to the year (one of each length), on the revision it was opened on. Pages and documents are cached
under the publication stamp, which counts published registers and rounds.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from prongsai.lib import evidence
from prongsai.plans import published as published_plans
from prongsai.portal.cache import public_page, publication_stamp
from prongsai.portal.verify import digest
from prongsai.reports.rules import rules
from prongsai.risks import charts, document
from prongsai.risks import published as published_risks
from prongsai.risks.models import MonitoringRound, RiskRegister
from prongsai.risks.views import _rows, round_rows

DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def public_register(org: str, year: int, rev: int | None = None) -> RiskRegister:
    """The year's public register (newest published revision), or its published revision ``rev``."""
    organization = published_plans.public_organization(org)
    if organization is None:
        raise Http404
    if rev is None:
        register = published_risks.published_register(organization, year)
    else:
        register = published_risks.published_revision(organization, year, rev)
    if register is None:
        raise Http404
    register.organization = organization
    return register


def public_round(org: str, year: int, months: int) -> MonitoringRound:
    organization = published_plans.public_organization(org)
    if organization is None:
        raise Http404
    report_round = published_risks.published_year_round(organization, year, months)
    if report_round is None:
        raise Http404
    report_round.register.organization = organization
    return report_round


@login_not_required
@require_GET
@public_page
def register_page(request: HttpRequest, org: str, year: int, rev: int | None = None) -> HttpResponse:
    register = public_register(org, year, rev)
    method = register.method
    rows = _rows(register)
    risks = [row.risk for row in rows]
    style = document.digit_style(register)
    rounds = []
    for report_round in published_risks.published_year_rounds(register.organization, year):
        report_round.register.organization = register.organization
        evidence = {e.pk for e in published_risks.public_evidence(report_round)}
        round_lines = round_rows(report_round, public_only=True)
        rounds.append(
            {
                "round": report_round,
                "rule": rules().rounds[report_round.months],
                "rows": round_lines,
                "public": evidence,
            }
        )
    context: dict[str, Any] = {
        "organization": register.organization,
        "register": register,
        "method": method,
        "rows": rows,
        "current_map": charts.heat_map(
            _("ก่อนจัดการความเสี่ยง"), method, ((r.likelihood, r.impact) for r in risks)
        ),
        "residual_map": charts.heat_map(
            _("หลังจัดการความเสี่ยง (เป้าหมาย)"),
            method,
            ((r.residual_likelihood, r.residual_impact) for r in risks),
        ),
        "area_chart": charts.area_chart(method, ((r.area, r.likelihood, r.impact) for r in risks)),
        "rounds": rounds,
        "revisions": published_risks.year_revisions(register),
        "revision_page": rev is not None,
        "digits": style,
    }
    return render(request, "portal/risk_register.html", context)


def _cached_document(request: HttpRequest, key: str, make: Any, fmt: str, filename: str) -> HttpResponse:
    from prongsai.portal.views import _download

    cache = caches[settings.PORTAL_CACHE]
    full_key = f"portal:risk-{fmt}:{publication_stamp()}:{key}"
    stored: tuple[bytes, str] | None = cache.get(full_key)
    if stored is None:
        with translation.override("th"):
            body = make()
        stored = (body, digest([body]))
        cache.set(full_key, stored, settings.PORTAL_CACHE_SECONDS)
    return _download(request, stored[0], stored[1], DOCUMENT_TYPES[fmt], filename)


@login_not_required
@require_GET
def register_document(
    request: HttpRequest, org: str, year: int, fmt: str, rev: int | None = None
) -> HttpResponse:
    """การประเมินความเสี่ยงการทุจริต as PDF or DOCX, laid out once per revision and publication stamp."""
    if fmt not in DOCUMENT_TYPES:
        raise Http404
    register = public_register(org, year, rev)
    make = (
        (lambda: document.register_pdf(register))
        if fmt == "pdf"
        else (lambda: document.register_docx(register))
    )
    name = f"risks-{org}-{year}.{fmt}" if rev is None else f"risks-{org}-{year}-r{rev}.{fmt}"
    return _cached_document(request, f"register-{register.pk}", make, fmt, name)


@login_not_required
@require_GET
def round_document(request: HttpRequest, org: str, year: int, months: int, fmt: str) -> HttpResponse:
    if fmt not in DOCUMENT_TYPES:
        raise Http404
    report_round = public_round(org, year, months)
    make = (
        (lambda: document.round_pdf(report_round))
        if fmt == "pdf"
        else (lambda: document.round_docx(report_round))
    )
    return _cached_document(
        request, f"round-{report_round.pk}", make, fmt, f"risks-{org}-{year}-{months}.{fmt}"
    )


@login_not_required
@require_GET
def evidence_file(
    request: HttpRequest, org: str, year: int, months: int, evidence_id: int
) -> HttpResponseBase:
    """A file the officer marked public, of a published round; never run by the browser."""
    report_round = public_round(org, year, months)
    item = published_risks.public_evidence(report_round).filter(pk=evidence_id).first()
    if item is None:
        raise Http404
    return evidence.serve(item, public=True)
