"""The public complaint statistics: a page per fiscal year, its CSV, and the same CSV as open data.

Counts only (``complaints.statistics``): no case, reference, status of one case or day is shown. An
organisation has the page when it is on the portal (it has published a plan, as ``/p/<org>/`` requires);
the years offered run from when it joined to the current fiscal year, each with all twelve months.

Figures change whenever an officer answers or closes a case, not only at a publication, so the page is
not kept under the publication stamp: each request counts (one GROUP BY), and an anonymous visitor's page
is then kept under those counts, the organisation's names, the language and the address, like the other
public pages (``portal.cache.cached_response``). A signed-in visitor's page is never stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from prongsai.complaints.models import FIRST_ANSWER_DAYS
from prongsai.complaints.statistics import YearStatistics, available_years, year_statistics
from prongsai.lib.thai import fiscal_year_of
from prongsai.opendata import complaints as complaints_data
from prongsai.opendata.views import CONTENT_TYPES, CURRENT_MAX_AGE, _not_modified, _public_headers
from prongsai.organizations.models import Organization
from prongsai.plans import published
from prongsai.portal.cache import cached_response


@dataclass(frozen=True)
class Published:
    organization: Organization
    statistics: YearStatistics
    years: list[int]

    def fingerprint(self) -> str:
        org = self.organization
        text = (
            f"{complaints_data.FORMAT_VERSION}|{org.slug}:{org.name_th}:{org.name_en}:{org.district_th}"
            f":{org.province_th}|{self.years}|{self.statistics.fingerprint()}"
        )
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def _year(value: str | int | None, today_year: int) -> int:
    if value is None or value == "":
        return today_year
    text = str(value)
    if not text.isascii() or not text.isdigit() or len(text) != 4:
        raise Http404
    return int(text)


def published_statistics(org: str, year: str | int | None) -> Published:
    """The organisation's figures for ``year`` (the current fiscal year when None); 404 for an organisation
    not on the portal and for a year outside ``available_years``."""
    organization = published.public_organization(org)
    if organization is None:
        raise Http404
    today = timezone.localdate()
    fiscal_year = _year(year, fiscal_year_of(today))
    years = available_years(organization, today)
    if fiscal_year not in years:
        raise Http404
    return Published(organization, year_statistics(organization, fiscal_year, today), years)


def _digits(organization: Organization) -> str:
    style: str | None = published.current_revisions(organization).values_list("digits", flat=True).first()
    return style or "thai"


@login_not_required
@require_safe
def statistics_page(request: HttpRequest, org: str) -> HttpResponseBase:
    """สถิติเรื่องร้องเรียน of one fiscal year (``?year=2569``; the current one by default)."""
    found = published_statistics(org, request.GET.get("year"))
    year = found.statistics.fiscal_year

    def make() -> HttpResponse:
        return render(
            request,
            "complaints/public_statistics.html",
            {
                "organization": found.organization,
                "stats": found.statistics,
                "years": found.years,
                "digits": _digits(found.organization),
                "days": FIRST_ANSWER_DAYS,
                "csv_url": reverse("complaint_statistics_data", kwargs={"org": org, "year": year}),
                "api_url": f"/api/v1/organizations/{org}/complaints/statistics/{year}",
            },
        )

    if request.user.is_authenticated:
        response = make()
        response["Cache-Control"] = "private, no-cache"
        return response
    key = f"complaints:{found.fingerprint()}:{year}:{translation.get_language()}:page"
    return cached_response(key, make)


def _csv(request: HttpRequest, found: Published) -> HttpResponseBase:
    stats = found.statistics
    slug = found.organization.slug
    etag = quote_etag(found.fingerprint())
    not_modified = _not_modified(request, etag, None, CURRENT_MAX_AGE)
    if not_modified is not None:
        return not_modified
    body = complaints_data.csv_text_file(slug, stats).encode("utf-8")
    response = HttpResponse(body, content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = (
        f'attachment; filename="{complaints_data.filename(slug, stats.fiscal_year)}"'
    )
    _public_headers(response, etag, None, CURRENT_MAX_AGE)
    return response


@login_not_required
@require_safe
def statistics_csv(request: HttpRequest, org: str) -> HttpResponseBase:
    """The page's figures as CSV (``?year=``, the current fiscal year by default)."""
    return _csv(request, published_statistics(org, request.GET.get("year")))


@login_not_required
@require_safe
def statistics_data(request: HttpRequest, org: str, year: int) -> HttpResponseBase:
    """The same CSV at its open-data address, one per organisation and fiscal year."""
    return _csv(request, published_statistics(org, year))
