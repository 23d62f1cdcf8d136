"""The open-data pages and files below /data/: readable by anyone, published revisions only.

Every plan is reached through ``plans.published`` (never ``Plan.objects``), so a draft or an approved but
unpublished revision answers 404 like an unknown one. Files carry an ETag and Last-Modified derived from
the revisions they are made of, and answer a conditional GET with 304 before anything is loaded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from prongsai.lib.public_url import absolute_url, public_base
from prongsai.opendata import dcat, metadata, reports, writers
from prongsai.opendata.tables import BUDGET_HEADER, DATASETS, TOTAL, Dataset, years_of
from prongsai.organizations.models import Organization
from prongsai.plans import published
from prongsai.plans.models import Plan
from prongsai.portal.cache import cached_response, publication_stamp
from prongsai.reports import published as published_reports
from prongsai.reports.models import ReportRound

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8; header=present",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
CATALOG_TYPE = "application/ld+json"
# A per-revision file never changes; the others change when a revision is published.
STABLE_MAX_AGE = 24 * 60 * 60
CURRENT_MAX_AGE = 5 * 60
EXPOSED = "ETag, Last-Modified, Link, Content-Disposition"


# --- Reaching published plans ----------------------------------------------------------------------


def _organization(slug: str) -> Organization:
    organization = published.public_organization(slug)
    if organization is None:
        raise Http404
    return organization


def _revision(org: str, plan: str, rev: int) -> Plan:
    found = published.published_revision(_organization(org), plan, rev)
    if found is None:
        raise Http404
    return found


def _current(org: str, plan: str) -> Plan:
    found = published.current_revision(_organization(org), plan)
    if found is None:
        raise Http404
    return found


def plan_file_url(request: HttpRequest, dataset: str, fmt: str, plan: Plan) -> str:
    """The stable URL of ``plan``'s file (this revision, forever)."""
    kwargs = {"org": plan.organization.slug, "plan": plan.slug, "rev": plan.revision, "fmt": fmt}
    return absolute_url(request, reverse(f"opendata:plan_{dataset}", kwargs=kwargs))


# --- Conditional GET and headers -------------------------------------------------------------------


def _etag(request: HttpRequest, kind: str, plans: Iterable[Plan]) -> str:
    """Changes when any revision used, its organisation's names, the catalogue file, the files' layout
    or the public address changes."""
    digest = hashlib.sha256()
    fields = metadata.fields()
    digest.update(f"{writers.FORMAT_VERSION}|{fields.digest}|{public_base(request)}|{kind}".encode())
    for plan in plans:
        org = plan.organization
        digest.update(
            f"|{plan.pk}:{plan.revision}:{plan.version}:{plan.published_at}"
            f":{org.slug}:{org.name_th}:{org.name_en}:{org.district_th}:{org.province_th}".encode()
        )
    return quote_etag(digest.hexdigest()[:32])


def _last_modified(plans: Iterable[Plan]) -> datetime | None:
    return max((plan.published_at for plan in plans if plan.published_at), default=None)


def _public_headers(response: HttpResponseBase, etag: str, modified: datetime | None, max_age: int) -> None:
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED


def _not_modified(
    request: HttpRequest, etag: str, modified: datetime | None, max_age: int
) -> HttpResponseBase | None:
    timestamp = int(modified.timestamp()) if modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is not None:
        _public_headers(response, etag, modified, max_age)
    return response


def _serve(
    request: HttpRequest,
    dataset: Dataset,
    plans: list[Plan],
    fmt: str,
    filename: str,
    *,
    max_age: int,
    canonical: str | None = None,
    kept: bool = True,
) -> HttpResponseBase:
    etag = _etag(request, f"{dataset.key}.{fmt}", plans)
    modified = _last_modified(plans)
    not_modified = _not_modified(request, etag, modified, max_age)
    if not_modified is not None:
        return not_modified
    source = writers.Source(
        dataset=dataset,
        plans=plans,
        years=years_of(plans),
        plan_url=lambda plan: plan_file_url(request, dataset.key, fmt, plan),
        fields=metadata.fields(),
    )
    response: HttpResponseBase
    if kept:
        # One plan's or one organisation's file: its bytes are kept under its ETag (which names everything
        # the content depends on), so a crowd downloading it costs one writing per process.
        cache = caches[settings.PORTAL_CACHE]
        key = f"opendata:{etag}"
        body: bytes | None = cache.get(key)
        if body is None:
            body = _body(source, fmt)
            cache.set(key, body, settings.PORTAL_CACHE_SECONDS)
        response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    elif fmt == "xlsx":
        response = FileResponse(writers.xlsx_file(source), content_type=CONTENT_TYPES[fmt])
    else:
        chunks = writers.csv_chunks(source) if fmt == "csv" else writers.json_chunks(source)
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in chunks), content_type=CONTENT_TYPES[fmt]
        )
    disposition = "inline" if fmt == "json" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}.{fmt}"'
    _public_headers(response, etag, modified, max_age)
    if canonical:
        response["Link"] = f'<{canonical}>; rel="canonical"'
    return response


def _body(source: writers.Source, fmt: str) -> bytes:
    """The whole file at once (for files the size of one organisation's plans)."""
    if fmt == "xlsx":
        with writers.xlsx_file(source) as file:
            return file.read()
    chunks = writers.csv_chunks(source) if fmt == "csv" else writers.json_chunks(source)
    return "".join(chunks).encode("utf-8")


STORED_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "Link",
    "Access-Control-Allow-Origin",
    "Access-Control-Expose-Headers",
)


def _stored(request: HttpRequest, make: Callable[[], HttpResponseBase]) -> HttpResponseBase:
    """``make()``'s file kept under the publication stamp and the address, answering conditional GETs
    from what was kept (a crowd downloading one plan's file costs no query)."""
    if request.headers.get("If-None-Match") or request.headers.get("If-Modified-Since"):
        return make()
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return cached_response(f"opendata:{publication_stamp()}:{path}", make, STORED_HEADERS)


# --- Data files ------------------------------------------------------------------------------------


@login_not_required
@require_safe
def plan_file(
    request: HttpRequest, org: str, plan: str, rev: int, fmt: str, dataset: str
) -> HttpResponseBase:
    """One published revision: the stable URL, whose content never changes."""

    def make() -> HttpResponseBase:
        revision = _revision(org, plan, rev)
        name = f"{org}-{plan}-r{rev}-{dataset}"
        return _serve(request, DATASETS[dataset], [revision], fmt, name, max_age=STABLE_MAX_AGE)

    return _stored(request, make)


@login_not_required
@require_safe
def plan_file_latest(request: HttpRequest, org: str, plan: str, fmt: str, dataset: str) -> HttpResponseBase:
    """The newest published revision, served here (no redirect) with its stable URL as the canonical link."""

    def make() -> HttpResponseBase:
        revision = _current(org, plan)
        name = f"{org}-{plan}-r{revision.revision}-{dataset}"
        canonical = plan_file_url(request, dataset, fmt, revision)
        return _serve(
            request, DATASETS[dataset], [revision], fmt, name, max_age=CURRENT_MAX_AGE, canonical=canonical
        )

    return _stored(request, make)


@login_not_required
@require_safe
def org_file(request: HttpRequest, org: str, fmt: str, dataset: str) -> HttpResponseBase:
    """The current revision of each of the organisation's published plans."""

    def make() -> HttpResponseBase:
        plans = list(published.current_revisions(_organization(org)))
        return _serve(request, DATASETS[dataset], plans, fmt, f"{org}-{dataset}", max_age=CURRENT_MAX_AGE)

    return _stored(request, make)


@login_not_required
@require_safe
def all_file(request: HttpRequest, fmt: str, dataset: str) -> HttpResponseBase:
    """The current revision of every published plan of the installation, streamed."""
    plans = list(published.current_revisions())
    return _serve(
        request, DATASETS[dataset], plans, fmt, f"prongsai-{dataset}", max_age=CURRENT_MAX_AGE, kept=False
    )


# --- Report rounds --------------------------------------------------------------------------------


def _round_kwargs(report_round: ReportRound) -> dict[str, Any]:
    return {
        "org": report_round.organization.slug,
        "plan": report_round.plan_slug,
        "year": report_round.fiscal_year,
        "months": report_round.months,
    }


def report_file_url(request: HttpRequest, fmt: str, report_round: ReportRound) -> str:
    kwargs = _round_kwargs(report_round) | {"fmt": fmt}
    return absolute_url(request, reverse("opendata:report", kwargs=kwargs))


def _rounds_etag(request: HttpRequest, kind: str, rounds: Iterable[ReportRound]) -> str:
    """Changes when any round used (a published round never changes, but its organisation may be
    renamed), the catalogue file, the layout or the public address changes."""
    digest = hashlib.sha256()
    fields = metadata.fields()
    digest.update(f"{reports.FORMAT_VERSION}|{fields.digest}|{public_base(request)}|{kind}".encode())
    for r in rounds:
        org = r.organization
        digest.update(f"|{r.pk}:{r.version}:{r.published_at}:{org.slug}:{org.name_th}".encode())
    return quote_etag(digest.hexdigest()[:32])


def _serve_reports(
    request: HttpRequest, rounds: list[ReportRound], fmt: str, filename: str, max_age: int
) -> HttpResponseBase:
    etag = _rounds_etag(request, f"reports.{fmt}", rounds)
    modified = max((r.published_at for r in rounds if r.published_at), default=None)
    not_modified = _not_modified(request, etag, modified, max_age)
    if not_modified is not None:
        return not_modified
    response: HttpResponseBase
    if fmt == "xlsx":
        response = FileResponse(reports.xlsx_file(rounds), content_type=CONTENT_TYPES[fmt])
    else:
        chunks = (
            reports.csv_chunks(rounds)
            if fmt == "csv"
            else reports.json_chunks(rounds, metadata.fields(), lambda r: report_file_url(request, fmt, r))
        )
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in chunks), content_type=CONTENT_TYPES[fmt]
        )
    disposition = "inline" if fmt == "json" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}.{fmt}"'
    _public_headers(response, etag, modified, max_age)
    return response


@login_not_required
@require_safe
def report_file(
    request: HttpRequest, org: str, plan: str, year: int, months: int, fmt: str
) -> HttpResponseBase:
    """One published round: its content never changes once published."""
    found = published_reports.published_round(_organization(org), plan, year, months)
    if found is None:
        raise Http404
    name = f"{org}-{plan}-{year}-{months}-report"
    return _serve_reports(request, [found], fmt, name, STABLE_MAX_AGE)


@login_not_required
@require_safe
def all_reports_file(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The newest published round of each current plan of the installation."""
    return _serve_reports(
        request, published_reports.latest_rounds(), fmt, "prongsai-reports", CURRENT_MAX_AGE
    )


# --- Catalogue and pages ---------------------------------------------------------------------------


@login_not_required
@require_safe
def catalog(request: HttpRequest) -> HttpResponseBase:
    """The DCAT-AP 3 catalogue (JSON-LD) with the GD Catalog fields of each dataset."""
    from prongsai.risks import published as published_risks

    plans = list(published.current_revisions())
    rounds = list(published_reports.published_rounds())
    # Only organisations with a public page (a published plan) have a public register.
    public = {p.organization_id for p in plans}
    registers = [r for r in published_risks.published_registers(None) if r.organization_id in public]
    risk_part = "".join(f"|{r.pk}:{r.version}:{r.organization.name_th}" for r in registers)
    both = _etag(request, "catalog", plans) + _rounds_etag(request, "catalog", rounds) + risk_part
    etag = quote_etag(hashlib.sha256(both.encode()).hexdigest()[:32])
    newest_register = max((r.published_at for r in registers if r.published_at), default=None)
    modified = max(
        (
            when
            for when in (_last_modified(plans), published_reports.newest_publication(), newest_register)
            if when
        ),
        default=None,
    )
    not_modified = _not_modified(request, etag, modified, CURRENT_MAX_AGE)
    if not_modified is not None:
        return not_modified
    document = dcat.catalog(
        request,
        plans,
        published.first_publications(),
        rounds,
        published_reports.latest_rounds(),
        registers,
    )
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2) + "\n", content_type=CATALOG_TYPE
    )
    response["Content-Disposition"] = 'inline; filename="catalog.jsonld"'
    _public_headers(response, etag, modified, CURRENT_MAX_AGE)
    return response


@dataclass(frozen=True)
class Download:
    """One dataset's files in each format, for the /data/ page."""

    dataset: Dataset
    links: list[tuple[str, str]]  # (format, URL)


def _downloads(name: str, **kwargs: Any) -> list[Download]:
    return [
        Download(
            dataset,
            [
                (fmt, reverse(f"opendata:{name % dataset.key}", kwargs=kwargs | {"fmt": fmt}))
                for fmt in CONTENT_TYPES
            ],
        )
        for dataset in DATASETS.values()
    ]


@dataclass(frozen=True)
class PublicPlan:
    plan: Plan
    latest: list[Download]
    stable: list[Download]


def _shown(value: str | list[str] | None) -> str:
    return ", ".join(value) if isinstance(value, list) else value or ""


@login_not_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The datasets and their downloads, what each column means, the licence and the catalogue."""
    by_org: dict[int, tuple[Organization, list[PublicPlan]]] = {}
    for plan in published.current_revisions():
        org = plan.organization
        names = {"org": org.slug, "plan": plan.slug}
        entry = PublicPlan(
            plan,
            _downloads("plan_%s_latest", **names),
            _downloads("plan_%s", rev=plan.revision, **names),
        )
        by_org.setdefault(org.pk, (org, []))[1].append(entry)
    organizations = [
        (org, plans, _downloads("org_%s", org=org.slug))
        for org, plans in sorted(by_org.values(), key=lambda pair: (pair[0].province_th, pair[0].name_th))
    ]
    fields = metadata.fields()
    report_downloads = [
        (
            report_round,
            [
                (fmt, reverse("opendata:report", kwargs=_round_kwargs(report_round) | {"fmt": fmt}))
                for fmt in CONTENT_TYPES
            ],
        )
        for report_round in published_reports.published_rounds()
    ]
    return render(
        request,
        "opendata/index.html",
        {
            "report_rounds": report_downloads,
            "all_reports": [
                (fmt, reverse("opendata:all_reports", kwargs={"fmt": fmt})) for fmt in CONTENT_TYPES
            ],
            "report_columns": reports.COLUMNS,
            "organizations": organizations,
            "everything": _downloads("all_%s"),
            "datasets": list(DATASETS.values()),
            "budget_header": BUDGET_HEADER,
            "total": TOTAL,
            "fields": fields,
            "catalog_url": absolute_url(request, reverse("opendata:catalog")),
        },
    )


@login_not_required
@require_safe
def gd_terms(request: HttpRequest) -> HttpResponse:
    """What each ``gd:`` term of the catalogue means (the terms' IRIs are anchors of this page)."""
    fields = metadata.fields()
    gd_fields = [
        (name, label, _shown(fields.gd_plan.get(name)), _shown(fields.gd_installation.get(name)))
        for name, label in dcat.GD_LABELS.items()
    ]
    namespace = dcat.gd_namespace(request)
    return render(
        request, "opendata/gd_terms.html", {"fields": fields, "gd_fields": gd_fields, "namespace": namespace}
    )


@login_not_required
@require_safe
def licence(request: HttpRequest) -> HttpResponse:
    licence = metadata.fields().licence
    example = {"organization": _("เทศบาลตำบลตัวอย่าง"), "plan": "2561-2564", "revision": 1}
    return render(
        request,
        "opendata/licence.html",
        {"licence": licence, "attribution": str(licence.attribution) % example},
    )


# --- Risk registers --------------------------------------------------------------------------------


@login_not_required
@require_safe
def risk_file(request: HttpRequest, org: str, year: int, fmt: str) -> HttpResponseBase:
    """One published register (a row per measure, computed score and level): it never changes again."""
    from prongsai.opendata import risks
    from prongsai.risks import published as published_risks

    organization = _organization(org)
    register = published_risks.published_register(organization, year)
    if register is None:
        raise Http404
    register.organization = organization
    digest = hashlib.sha256(
        f"{risks.FORMAT_VERSION}|{register.pk}:{register.version}:{register.published_at}"
        f":{organization.slug}:{organization.name_th}|{fmt}".encode()
    )
    etag = quote_etag(digest.hexdigest()[:32])
    not_modified = _not_modified(request, etag, register.published_at, STABLE_MAX_AGE)
    if not_modified is not None:
        return not_modified
    response: HttpResponseBase
    if fmt == "xlsx":
        response = FileResponse(risks.xlsx_file(register), content_type=CONTENT_TYPES[fmt])
    else:
        body = risks.csv_text_file(register) if fmt == "csv" else risks.json_text(register)
        response = HttpResponse(body.encode("utf-8"), content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == "json" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{org}-{year}-risks.{fmt}"'
    _public_headers(response, etag, register.published_at, STABLE_MAX_AGE)
    return response
