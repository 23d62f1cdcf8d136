"""The endpoints. Each reads what it shows through ``prongsai.plans.published`` in a fixed number of
queries, and states in ``Last-Modified`` which publication its answer dates from (``http.py`` adds the
ETag and answers conditional requests)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date
from ninja import NinjaAPI, Path, Query
from ninja.errors import ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from prongsai.api import schemas
from prongsai.api.errors import ApiError, error_body, field_errors
from prongsai.ita.models import Assessment, Source
from prongsai.organizations.models import Organization, OrganizationKind
from prongsai.plans import published
from prongsai.plans.models import Indicator, ItemBudget, ItemKind, Mission, Plan, PlanItem
from prongsai.plans.summary import PlanTables, Totals, plan_tables
from prongsai.reports import published as published_reports
from prongsai.reports.models import ReportRound
from prongsai.reports.progress import round_rows
from prongsai.reports.published import STATUS_TH
from prongsai.reports.rules import rules
from prongsai.reports.scores import Summary, Tally, summarise, summarise_rounds

logger = logging.getLogger(__name__)

PREFIX = "/api/v1"
DESCRIPTION = """\
Read-only, public data of the local governments (องค์กรปกครองส่วนท้องถิ่น) on this Prongsai installation:
their published anti-corruption plans (แผนปฏิบัติการป้องกันการทุจริต) and the ITA results the NACC published.

* Only **published** plan revisions are shown: while a new revision is drafted, the last published one
  stays current. Nothing private (members, drafts, history, survey rounds) is reachable.
* No account or key is needed; answers are the same for everyone and may be read from any web site (CORS).
* Money is a decimal string in baht with two places (`"20000.00"`); years are Thai fiscal years in the
  Buddhist Era (`2562`); times are ISO 8601. Thai text is sent as stored.
* Lists are paginated with `limit` (at most 100, default 20) and `offset`; each page says `count`, `next`
  and `previous`.
* Every answer carries an `ETag` and, where it depends on publications, `Last-Modified`; send
  `If-None-Match` or `If-Modified-Since` to get `304 Not Modified`.
* Errors are JSON: `{"code", "detail" (Thai), "detail_en" (English)}`, plus `errors` with one entry per
  invalid parameter for 422.
* Items keep their `uid` across revisions of a plan: use it to follow one project from revision to revision.
"""
TAGS = [
    {"name": "organisations", "description": "Local governments that have published a plan"},
    {"name": "plans", "description": "Published plan revisions: dimensions, missions, items and totals"},
    {"name": "items", "description": "Projects, activities, measures and guidelines with budgets per year"},
    {"name": "ita", "description": "Integrity & Transparency Assessment results published by the NACC"},
    {
        "name": "reports",
        "description": "Published 6- and 12-month progress reports: status, money, indicators",
    },
    {
        "name": "risks",
        "description": "Published corruption-risk registers: computed score and level, measures, monitoring",
    },
    {
        "name": "complaints",
        "description": "Complaint statistics per month and per 6 and 12 months of the fiscal year: counts only",
    },
]


class ThaiJSONRenderer(JSONRenderer):
    """Thai as UTF-8 text, not \\u escapes: the same characters, a third of the bytes."""

    encoder_class = NinjaJSONEncoder
    json_dumps_params = {"ensure_ascii": False}


class PublicAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> OpenAPISchema:
        """The generated document, with each parameter's examples as OpenAPI wants them.

        django-ninja 1.7 copies a field's JSON Schema ``examples`` (a list) onto the parameter, where
        OpenAPI expects a map of Example Objects; the document would not validate."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for parameter in operation.get("parameters", []):
                    examples = parameter.get("examples")
                    if isinstance(examples, list):
                        parameter["examples"] = {
                            f"example{number}": {"value": value}
                            for number, value in enumerate(examples, start=1)
                        }
        return schema


api = PublicAPI(
    title="Prongsai public API (โปร่งใส)",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    renderer=ThaiJSONRenderer(),
    openapi_extra={"tags": TAGS, "info": {"license": {"name": "AGPL-3.0-or-later (software)"}}},
)
NOT_FOUND = {404: schemas.Error, 422: schemas.Error}


# --- Errors ----------------------------------------------------------------------------------------


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return api.create_response(request, error_body(exc.code), status=exc.status)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    body = error_body("invalid_request", field_errors(exc.errors))
    return api.create_response(request, body, status=422)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body("not_found"), status=404)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s", request.path)
    return api.create_response(request, error_body("server_error"), status=500)


# --- Reading helpers -------------------------------------------------------------------------------


def _labels(choices: type[models.TextChoices]) -> dict[str, schemas.Label]:
    """Each choice with its label in Thai and in English, whatever language the request is in."""
    labels = {}
    for value, label in choices.choices:
        with translation.override("th"):
            thai = str(label)
        with translation.override("en"):
            english = str(label)
        labels[value] = schemas.Label(code=value, label_th=thai, label_en=english)
    return labels


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def _last_modified(response: HttpResponse, when: datetime | None) -> None:
    if when is not None:
        response["Last-Modified"] = http_date(when.timestamp())


def _organization(slug: str) -> Organization:
    organization = published.public_organization(slug)
    if organization is None:
        raise ApiError(404, "organization_not_found")
    return organization


def _revision(org: str, plan: str, rev: int | None = None) -> Plan:
    """Published revision ``rev`` of ``org``/``plan``, or its current one; 404 for anything else."""
    organization = _organization(org)
    if rev is None:
        revision = published.current_revision(organization, plan)
    else:
        revision = published.published_revision(organization, plan, rev)
    if revision is None:
        raise ApiError(404, "plan_not_found")
    return revision


def _place(field: str, prefix_th: str, suffix_en: str, value: str) -> Q:
    """จังหวัด/อำเภอ as typed: 'ชุมพร', 'จังหวัดชุมพร', 'Chumphon', 'Chumphon Province' or the code '86'
    all find Chumphon; ``field`` is the path to the province or district row."""
    typed = value.strip()
    bare = typed.removeprefix(prefix_th)
    english = typed.removesuffix(f" {suffix_en}").strip()
    return (
        Q(**{f"{field}__name_th": bare}) | Q(**{f"{field}__name_en__iexact": english}) | Q(**{field: typed})
    )


def _page_links(request: HttpRequest, page: schemas.PageParams, count: int) -> tuple[str | None, str | None]:
    def at(offset: int) -> str:
        query = request.GET.copy()
        query["offset"] = str(offset)
        query["limit"] = str(page.limit)
        return f"{request.path}?{query.urlencode()}"

    following = at(page.offset + page.limit) if page.offset + page.limit < count else None
    previous = at(max(page.offset - page.limit, 0)) if page.offset > 0 else None
    return following, previous


# --- Shapes ----------------------------------------------------------------------------------------


def _organization_out(organization: Any, kinds: dict[str, schemas.Label]) -> schemas.Organization:
    base = f"{PREFIX}/organizations/{organization.slug}"
    return schemas.Organization(
        slug=organization.slug,
        name_th=organization.name_th,
        name_en=organization.name_en,
        kind=kinds[organization.kind],
        district_th=organization.district_th,
        district_en=organization.district_en,
        province_th=organization.province_th,
        province_en=organization.province_en,
        district_code=organization.district_id,
        province_code=organization.district.province_id,
        last_published_at=getattr(organization, "last_published_at", None),
        links=schemas.OrganizationLinks(
            self=base, plans=f"{base}/plans", ita=f"{base}/ita", public_page=f"/p/{organization.slug}/"
        ),
    )


def _revision_links(plan: Plan) -> schemas.RevisionLinks:
    base = f"{PREFIX}/organizations/{plan.organization.slug}"
    revision = f"{base}/plans/{plan.slug}/revisions/{plan.revision}"
    return schemas.RevisionLinks(
        self=revision, items=f"{revision}/items", plan=f"{base}/plans/{plan.slug}", organization=base
    )


def _item_fields(
    item: PlanItem, mission: Mission, dimension: int, kinds: dict[str, schemas.Label], self_link: str
) -> dict[str, Any]:
    """What every item shape has; reads budgets and indicators through their prefetch."""
    budgets = list(item.budgets.all())
    return {
        "uid": item.uid,
        "kind": kinds[item.kind],
        "title": item.title,
        "dimension": dimension,
        "mission": mission.code,
        "responsible_unit": item.responsible_unit,
        "note": item.note,
        "is_illustrative": item.is_illustrative,
        "budgets": [schemas.YearAmount(fiscal_year=b.fiscal_year, amount=f"{b.amount:.2f}") for b in budgets],
        "total": _money(sum((b.amount for b in budgets), Decimal(0))) if budgets else None,
        "indicators": [
            schemas.Indicator(description=i.description, target=_money(i.target_value), unit=i.unit)
            for i in item.indicators.all()
        ],
        "links": schemas.ItemLinks(self=self_link),
    }


def _item_link(plan: Plan, item: PlanItem) -> str:
    return f"{_revision_links(plan).self}/items/{item.uid}"


def _totals(totals: Totals) -> schemas.Totals:
    return schemas.Totals(
        item_count=totals.item_count,
        counts=schemas.KindCounts(
            project=totals.projects,
            activity=totals.activities,
            measure=totals.measures,
            guideline=totals.guidelines,
        ),
        budgets=[
            schemas.YearTotal(fiscal_year=year, amount=_money(amount))
            for year, amount in totals.budgets.items()
        ],
        grand_total=_money(totals.grand_total),
    )


def _numbered_items(
    tables: PlanTables, kinds: dict[str, schemas.Label]
) -> Iterable[tuple[Mission, schemas.Item]]:
    """Every item in document order with its number within its mission, as Part 2 numbers it."""
    plan = tables.plan
    for table in tables.dimensions:
        for row in table.rows:
            for number, item in enumerate(row.items, start=1):
                fields = _item_fields(
                    item, row.mission, table.dimension.number, kinds, _item_link(plan, item)
                )
                yield row.mission, schemas.Item(number=number, **fields)


def _document(plan: Any) -> schemas.Document | None:
    if plan.document_sha256 is None:
        return None
    return schemas.Document(
        sha256=plan.document_sha256,
        size=plan.document_size,
        url=f"/p/{plan.organization.slug}/plans/{plan.slug}/r/{plan.revision}/plan.pdf",
    )


def _with_document(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """The stored PDF's hash and size beside each revision, without reading the PDF itself."""
    return plans.annotate(
        document_sha256=models.F("published_document__sha256"),
        document_size=models.F("published_document__size"),
    )


# --- Organisations ---------------------------------------------------------------------------------


@api.get(
    "/organizations",
    response={200: schemas.OrganizationPage, 422: schemas.Error},
    tags=["organisations"],
    operation_id="list_organizations",
    summary="Local governments that have published a plan",
)
def list_organizations(
    request: HttpRequest,
    response: HttpResponse,
    filters: Query[schemas.OrganizationFilters],
    page: Query[schemas.PageParams],
) -> schemas.OrganizationPage:
    """Ordered by จังหวัด, อำเภอ and name. `q` finds part of the Thai or English name."""
    organizations = published.public_organizations()
    if filters.q:
        organizations = organizations.filter(
            Q(name_th__icontains=filters.q) | Q(name_en__icontains=filters.q)
        )
    if filters.province:
        organizations = organizations.filter(
            _place("district__province", "จังหวัด", "Province", filters.province)
        )
    if filters.district:
        organizations = organizations.filter(_place("district", "อำเภอ", "District", filters.district))
    if filters.kind:
        organizations = organizations.filter(kind=filters.kind)
    count = organizations.count()
    kinds = _labels(OrganizationKind)
    results = [
        _organization_out(o, kinds)
        for o in organizations.order_by("district__province__name_th", "district__name_th", "name_th", "pk")[
            page.offset : page.offset + page.limit
        ]
    ]
    following, previous = _page_links(request, page, count)
    _last_modified(response, published.newest_publication())
    return schemas.OrganizationPage(
        count=count, limit=page.limit, offset=page.offset, next=following, previous=previous, results=results
    )


@api.get(
    "/organizations/{org}",
    response={200: schemas.Organization, **NOT_FOUND},
    tags=["organisations"],
    operation_id="get_organization",
    summary="One local government",
)
def get_organization(
    request: HttpRequest, response: HttpResponse, org: Path[schemas.OrgSlug]
) -> schemas.Organization:
    organization = _organization(org)
    _last_modified(response, organization.last_published_at)  # type: ignore[attr-defined]
    return _organization_out(organization, _labels(OrganizationKind))


# --- Plans -----------------------------------------------------------------------------------------


@api.get(
    "/organizations/{org}/plans",
    response={200: list[schemas.Plan], **NOT_FOUND},
    tags=["plans"],
    operation_id="list_plans",
    summary="An organisation's published plans",
)
def list_plans(
    request: HttpRequest, response: HttpResponse, org: Path[schemas.OrgSlug]
) -> list[schemas.Plan]:
    """Each plan with its current revision (the newest published) and every published revision."""
    organization = _organization(org)
    revisions: dict[str, list[Plan]] = {}
    for plan in published.published_revisions(organization).order_by("slug", "-revision"):
        revisions.setdefault(plan.slug, []).append(plan)
    plans = []
    for slug, versions in revisions.items():
        current = versions[0]
        plans.append(
            schemas.Plan(
                slug=slug,
                title=current.title,
                first_year=current.first_year,
                last_year=current.last_year,
                current_revision=current.revision,
                published_at=current.published_at,
                revisions=[
                    schemas.RevisionRef(
                        revision=v.revision,
                        title=v.title,
                        published_at=v.published_at,
                        links=_revision_links(v),
                    )
                    for v in versions
                ],
                links=_revision_links(current),
            )
        )
    _last_modified(response, organization.last_published_at)  # type: ignore[attr-defined]
    return plans


def _plan_revision(response: HttpResponse, plan: Plan) -> schemas.PlanRevision:
    # Every published revision of the plan (a handful) in one query: the newest is the current one.
    revisions = list(
        _with_document(published.published_revisions(plan.organization).filter(slug=plan.slug)).order_by(
            "-revision"
        )
    )
    current = revisions[0]
    plan = next(revision for revision in revisions if revision.pk == plan.pk)
    tables = plan_tables(plan)
    kinds = _labels(ItemKind)
    dimensions = []
    items_by_mission: dict[int, list[schemas.Item]] = {}
    for mission, item in _numbered_items(tables, kinds):
        items_by_mission.setdefault(mission.pk, []).append(item)
    for table in tables.dimensions:
        top: list[schemas.Mission] = []
        shown: dict[int, schemas.Mission] = {}
        for row in table.rows:  # in document order: a parent comes before its sub-missions
            mission = row.mission
            node = schemas.Mission(
                code=mission.code,
                title_th=mission.title_th,
                title_en=mission.title_en,
                to_verify=mission.to_verify,
                items=items_by_mission.get(mission.pk, []),
                missions=[],
            )
            shown[mission.pk] = node
            parent = shown.get(mission.parent_id) if mission.parent_id is not None else None
            (parent.missions if parent is not None else top).append(node)
        dimensions.append(
            schemas.Dimension(
                number=table.dimension.number,
                title_th=table.dimension.title_th,
                title_en=table.dimension.title_en,
                totals=_totals(table.totals),
                missions=top,
            )
        )
    _last_modified(response, plan.published_at)
    return schemas.PlanRevision(
        organization=plan.organization.slug,
        slug=plan.slug,
        revision=plan.revision,
        is_current=current.pk == plan.pk,
        current_revision=current.revision,
        title=plan.title,
        first_year=plan.first_year,
        last_year=plan.last_year,
        fiscal_years=plan.years,
        approved_at=plan.approved_at,
        published_at=plan.published_at,
        document=_document(plan),
        totals=_totals(tables.totals),
        dimensions=dimensions,
        links=_revision_links(plan),
    )


@api.get(
    "/organizations/{org}/plans/{plan}",
    response={200: schemas.PlanRevision, **NOT_FOUND},
    tags=["plans"],
    operation_id="get_current_plan",
    summary="A plan's current (newest published) revision",
)
def get_current_plan(
    request: HttpRequest, response: HttpResponse, path: Path[schemas.PlanPath]
) -> schemas.PlanRevision:
    """Dimensions → missions → items, with totals per fiscal year as in the Part 2 summary."""
    return _plan_revision(response, _revision(path.org, path.plan))


@api.get(
    "/organizations/{org}/plans/{plan}/revisions/{rev}",
    response={200: schemas.PlanRevision, **NOT_FOUND},
    tags=["plans"],
    operation_id="get_plan_revision",
    summary="One published revision of a plan",
)
def get_plan_revision(
    request: HttpRequest, response: HttpResponse, path: Path[schemas.RevisionPath]
) -> schemas.PlanRevision:
    """A draft or approved revision answers 404 like one that does not exist."""
    return _plan_revision(response, _revision(path.org, path.plan, path.rev))


# --- Items -----------------------------------------------------------------------------------------


def _revision_items(
    request: HttpRequest,
    response: HttpResponse,
    plan: Plan,
    filters: schemas.PlanItemFilters,
    page: schemas.PageParams,
) -> schemas.ItemPage:
    tables = plan_tables(plan)
    wanted = []
    for _mission, item in _numbered_items(tables, _labels(ItemKind)):
        if filters.kind and item.kind.code != filters.kind:
            continue
        if filters.dimension and item.dimension != filters.dimension:
            continue
        if filters.fiscal_year and all(b.fiscal_year != filters.fiscal_year for b in item.budgets):
            continue
        wanted.append(item)
    following, previous = _page_links(request, page, len(wanted))
    _last_modified(response, plan.published_at)
    return schemas.ItemPage(
        count=len(wanted),
        limit=page.limit,
        offset=page.offset,
        next=following,
        previous=previous,
        results=wanted[page.offset : page.offset + page.limit],
    )


@api.get(
    "/organizations/{org}/plans/{plan}/items",
    response={200: schemas.ItemPage, **NOT_FOUND},
    tags=["items"],
    operation_id="list_current_plan_items",
    summary="Items of a plan's current revision",
)
def list_current_plan_items(
    request: HttpRequest,
    response: HttpResponse,
    path: Path[schemas.PlanPath],
    filters: Query[schemas.PlanItemFilters],
    page: Query[schemas.PageParams],
) -> schemas.ItemPage:
    return _revision_items(request, response, _revision(path.org, path.plan), filters, page)


@api.get(
    "/organizations/{org}/plans/{plan}/revisions/{rev}/items",
    response={200: schemas.ItemPage, **NOT_FOUND},
    tags=["items"],
    operation_id="list_plan_revision_items",
    summary="Items of one published revision",
)
def list_plan_revision_items(
    request: HttpRequest,
    response: HttpResponse,
    path: Path[schemas.RevisionPath],
    filters: Query[schemas.PlanItemFilters],
    page: Query[schemas.PageParams],
) -> schemas.ItemPage:
    """In document order. `fiscal_year` keeps the items with a budget that year."""
    return _revision_items(request, response, _revision(path.org, path.plan, path.rev), filters, page)


def _item(response: HttpResponse, plan: Plan, uid: Any) -> schemas.ItemWithDetails:
    item = (
        plan.items.filter(uid=uid)
        .select_related("mission__dimension")
        .prefetch_related(
            Prefetch("budgets", queryset=ItemBudget.objects.order_by("fiscal_year")),
            Prefetch("indicators", queryset=Indicator.objects.order_by("position")),
        )
        .first()
    )
    if item is None:
        raise ApiError(404, "item_not_found")
    number = plan.items.filter(mission=item.mission, position__lt=item.position).count() + 1
    _last_modified(response, plan.published_at)
    return schemas.ItemWithDetails(
        number=number,
        organization=plan.organization.slug,
        plan=plan.slug,
        revision=plan.revision,
        details=schemas.ItemDetails(
            rationale=item.rationale,
            objectives=item.objectives,
            outputs=item.outputs,
            area=item.area,
            method=item.method,
            duration=item.duration,
            responsible=item.responsible,
        ),
        **_item_fields(
            item, item.mission, item.mission.dimension.number, _labels(ItemKind), _item_link(plan, item)
        ),
    )


@api.get(
    "/organizations/{org}/plans/{plan}/items/{uid}",
    response={200: schemas.ItemWithDetails, **NOT_FOUND},
    tags=["items"],
    operation_id="get_current_plan_item",
    summary="One item of a plan's current revision",
)
def get_current_plan_item(
    request: HttpRequest, response: HttpResponse, path: Path[schemas.ItemPath]
) -> schemas.ItemWithDetails:
    return _item(response, _revision(path.org, path.plan), path.uid)


@api.get(
    "/organizations/{org}/plans/{plan}/revisions/{rev}/items/{uid}",
    response={200: schemas.ItemWithDetails, **NOT_FOUND},
    tags=["items"],
    operation_id="get_plan_revision_item",
    summary="One item of a published revision, with its Part 3 details",
)
def get_plan_revision_item(
    request: HttpRequest, response: HttpResponse, path: Path[schemas.RevisionItemPath]
) -> schemas.ItemWithDetails:
    return _item(response, _revision(path.org, path.plan, path.rev), path.uid)


@api.get(
    "/items",
    response={200: schemas.FoundItemPage, 422: schemas.Error},
    tags=["items"],
    operation_id="search_items",
    summary="Items of every current plan revision in the installation",
)
def search_items(
    request: HttpRequest,
    response: HttpResponse,
    filters: Query[schemas.ItemSearchFilters],
    page: Query[schemas.PageParams],
) -> schemas.FoundItemPage:
    """Ordered by organisation, plan and document order. Only current (newest published) revisions."""
    items = published.current_items()
    if filters.province:
        items = items.filter(
            _place("plan__organization__district__province", "จังหวัด", "Province", filters.province)
        )
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.fiscal_year:
        budgeted = ItemBudget.objects.filter(item=OuterRef("pk"), fiscal_year=filters.fiscal_year)
        items = items.filter(Exists(budgeted))
    count = items.count()
    found = (
        items.select_related("plan__organization", "mission__dimension")
        .prefetch_related(
            Prefetch("budgets", queryset=ItemBudget.objects.order_by("fiscal_year")),
            Prefetch("indicators", queryset=Indicator.objects.order_by("position")),
        )
        .order_by("plan__organization__slug", "plan__slug", "mission__position", "position", "pk")[
            page.offset : page.offset + page.limit
        ]
    )
    kinds = _labels(ItemKind)
    results = [
        schemas.FoundItem(
            organization=item.plan.organization.slug,
            plan=item.plan.slug,
            revision=item.plan.revision,
            **_item_fields(
                item, item.mission, item.mission.dimension.number, kinds, _item_link(item.plan, item)
            ),
        )
        for item in found
    ]
    following, previous = _page_links(request, page, count)
    _last_modified(response, published.newest_publication())
    return schemas.FoundItemPage(
        count=count, limit=page.limit, offset=page.offset, next=following, previous=previous, results=results
    )


# --- ITA -------------------------------------------------------------------------------------------


@api.get(
    "/organizations/{org}/ita",
    response={200: list[schemas.ItaResult], **NOT_FOUND},
    tags=["ita"],
    operation_id="list_ita_results",
    summary="ITA results the NACC published for an organisation",
)
def list_ita_results(
    request: HttpRequest, response: HttpResponse, org: Path[schemas.OrgSlug]
) -> list[schemas.ItaResult]:
    """Newest year first. Results of an organisation's own self-assessment rounds are not included."""
    organization = _organization(org)
    assessments = list(
        Assessment.objects.filter(organization=organization, source=Source.PUBLISHED)
        .prefetch_related("scores")
        .order_by("-year", "-id")
    )
    results = []
    for assessment in assessments:
        result = assessment.result()
        model = result.model
        results.append(
            schemas.ItaResult(
                year=assessment.year,
                model=schemas.ItaModel(key=model.key, name_th=model.name_th, name_en=model.name_en),
                published_total=_money(assessment.published_total),
                total=f"{result.total:.2f}",
                band_th=result.band.label_th,
                band_en=result.band.label_en,
                passed=result.passed,
                parts=[
                    schemas.ItaPart(
                        key=part.part.key,
                        name_th=part.part.name_th,
                        name_en=part.part.name_en,
                        weight=f"{part.part.weight:.2f}",
                        score=f"{part.score_display:.2f}",
                        points=f"{part.points:.2f}",
                        published_points=_money(part.published_points),
                    )
                    for part in result.parts
                ],
            )
        )
    _last_modified(response, max((a.created_at for a in assessments), default=None))
    return results


# --- Progress reports ------------------------------------------------------------------------------


def _report_totals(tally: Tally) -> schemas.ReportTotals:
    return schemas.ReportTotals(
        planned=f"{tally.planned:.2f}",
        ordinance=f"{tally.ordinance:.2f}",
        disbursed=f"{tally.disbursed:.2f}",
        disbursed_percent=None if tally.disbursed_percent is None else f"{tally.disbursed_percent:.2f}",
    )


def _report_counts(tally: Tally, out_of_scope: int = 0, dropped: int = 0) -> schemas.ReportCounts:
    return schemas.ReportCounts(
        items=tally.items,
        completed=tally.completed,
        in_progress=tally.in_progress,
        cannot=tally.cannot,
        waiting=tally.waiting,
        included=tally.included,
        out_of_scope=out_of_scope,
        no_longer_in_plan=dropped,
    )


def _report_path(name: str, report_round: ReportRound, **extra: Any) -> str:
    kwargs = {
        "org": report_round.organization.slug,
        "plan": report_round.plan_slug,
        "year": report_round.fiscal_year,
        "months": report_round.months,
        **extra,
    }
    return reverse(name, kwargs=kwargs)


def _report_round(report_round: ReportRound, summary: Summary) -> dict[str, Any]:
    r, band = report_round, summary.band
    return {
        "plan": r.plan_slug,
        "revision": r.plan.revision,
        "fiscal_year": r.fiscal_year,
        "months": r.months,
        "published_at": r.published_at,
        "illustrative": r.is_illustrative,
        "score": f"{summary.total.score:.2f}",
        "band": schemas.ReportBand(key=band.key, title_th=band.title_th, title_en=band.title_en),
        "counts": _report_counts(summary.total, summary.out_of_scope, summary.dropped),
        "totals": _report_totals(summary.total),
        "links": schemas.ReportLinks(
            self=(
                f"{PREFIX}/organizations/{r.organization.slug}/reports/{r.plan_slug}/{r.fiscal_year}/{r.months}"
            ),
            page=_report_path("portal:report_round", r),
            pdf=_report_path("portal:report_pdf", r),
            docx=_report_path("portal:report_docx", r),
            csv=_report_path("opendata:report", r, fmt="csv"),
        ),
    }


@api.get(
    "/organizations/{org}/reports",
    response={200: list[schemas.ReportRound], **NOT_FOUND},
    tags=["reports"],
    operation_id="list_report_rounds",
    summary="Published progress report rounds (6 and 12 months) of an organisation",
)
def list_report_rounds(
    request: HttpRequest, response: HttpResponse, org: Path[schemas.OrgSlug]
) -> list[schemas.ReportRound]:
    """By plan, newest fiscal year and round first. Draft and approved rounds are not included."""
    organization = _organization(org)
    rounds = list(published_reports.published_rounds(organization))
    _last_modified(response, max((r.published_at for r in rounds if r.published_at), default=None))
    summaries = summarise_rounds(rounds)
    return [schemas.ReportRound(**_report_round(r, summaries[r.pk])) for r in rounds]


@api.get(
    "/organizations/{org}/reports/{plan}/{year}/{months}",
    response={200: schemas.ReportRoundDetail, **NOT_FOUND},
    tags=["reports"],
    operation_id="get_report_round",
    summary="One published report round: score, sums per dimension and every item's report",
)
def get_report_round(
    request: HttpRequest,
    response: HttpResponse,
    org: Path[schemas.OrgSlug],
    plan: Path[schemas.PlanSlug],
    year: Path[schemas.FiscalYear],
    months: Path[schemas.Months],
) -> schemas.ReportRoundDetail:
    """Items in plan order, then reports of items a later revision dropped (counted nowhere)."""
    report_round = published_reports.published_round(_organization(org), plan, year, months)
    if report_round is None:
        raise ApiError(404, "report_not_found")
    summary = summarise(report_round)
    evidence: dict[int, list[str]] = {}
    for file in published_reports.public_evidence(report_round):
        url = _report_path("portal:report_evidence", report_round, evidence_id=file.pk)
        evidence.setdefault(file.report_id, []).append(url)
    catalogue = rules()
    items = []
    for row in round_rows(report_round, locked=set()):
        report = row.report
        reason = catalogue.reason(report.reason) if report.reason else None
        items.append(
            schemas.ItemReport(
                uid=report.item_uid,
                title=report.title,
                dimension=row.dimension,
                mission=None if row.item is None else row.item.mission.code,
                counted=row.item is not None and not report.out_of_scope,
                out_of_scope=report.out_of_scope,
                status=report.status,
                status_th=STATUS_TH.get(report.status, report.status),
                reason=report.reason_text or (reason.title_th if reason else ""),
                included=report.included,
                quarters=report.quarters,
                planned=_money(row.plan_budget),
                ordinance_budget=_money(report.ordinance_budget),
                disbursed=_money(report.disbursed),
                indicator_results=[
                    schemas.IndicatorResult(
                        indicator=str(slot.get("indicator", "")),
                        target=slot.get("target"),
                        unit=str(slot.get("unit") or ""),
                        result=slot.get("result"),
                    )
                    for slot in report.indicator_results
                ],
                narrative=report.narrative,
                remark=report.remark,
                evidence=evidence.get(report.pk, []),
            )
        )
    _last_modified(response, report_round.published_at)
    return schemas.ReportRoundDetail(
        **_report_round(report_round, summary),
        organization=report_round.organization.slug,
        dimensions=[
            schemas.ReportDimension(
                number=d.number,
                title_th=d.title,
                score=f"{d.tally.score:.2f}",
                counts=_report_counts(d.tally),
                totals=_report_totals(d.tally),
            )
            for d in summary.dimensions
        ],
        items=items,
    )


# --- Corruption-risk registers ---------------------------------------------------------------------


def _risk_assessment(method: Any, likelihood: int, impact: int) -> schemas.RiskAssessment:
    level = method.cell_level(likelihood, impact)
    return schemas.RiskAssessment(
        likelihood=likelihood,
        impact=impact,
        score=likelihood * impact,
        level=schemas.RiskLevel(key=level.key, title_th=level.title_th, title_en=level.title_en),
    )


def _risk_summary(register: Any, count: int) -> dict[str, Any]:
    org, year = register.organization.slug, register.fiscal_year
    return {
        "fiscal_year": year,
        "revision": register.revision,
        "method": register.method_key,
        "published_at": register.published_at,
        "illustrative": register.is_illustrative,
        "risks": count,
        "links": schemas.RiskRegisterLinks(
            self=f"{PREFIX}/organizations/{org}/risks/{year}",
            page=reverse("portal:risk_register", kwargs={"org": org, "year": year}),
            pdf=reverse("portal:risk_pdf", kwargs={"org": org, "year": year}),
            docx=reverse("portal:risk_docx", kwargs={"org": org, "year": year}),
            csv=reverse("opendata:risks", kwargs={"org": org, "year": year, "fmt": "csv"}),
        ),
    }


@api.get(
    "/organizations/{org}/risks",
    response={200: list[schemas.RiskRegisterSummary], **NOT_FOUND},
    tags=["risks"],
    operation_id="list_risk_registers",
    summary="Published corruption-risk registers of an organisation, newest fiscal year first",
)
def list_risk_registers(
    request: HttpRequest, response: HttpResponse, org: Path[schemas.OrgSlug]
) -> list[schemas.RiskRegisterSummary]:
    """Draft and approved registers are not included."""
    from django.db.models import Count

    from prongsai.risks import published as published_risks

    registers = list(published_risks.published_registers(_organization(org)).annotate(count=Count("risks")))
    _last_modified(response, max((r.published_at for r in registers if r.published_at), default=None))
    return [schemas.RiskRegisterSummary(**_risk_summary(r, r.count)) for r in registers]


@api.get(
    "/organizations/{org}/risks/{year}",
    response={200: schemas.RiskRegisterDetail, **NOT_FOUND},
    tags=["risks"],
    operation_id="get_risk_register",
    summary="One published register: every risk with its computed score and level, measures, monitoring",
)
def get_risk_register(
    request: HttpRequest, response: HttpResponse, org: Path[schemas.OrgSlug], year: Path[schemas.FiscalYear]
) -> schemas.RiskRegisterDetail:
    from prongsai.risks import published as published_risks

    organization = _organization(org)
    register = published_risks.published_register(organization, year)
    if register is None:
        raise ApiError(404, "risk_register_not_found")
    register.organization = organization
    method = register.method
    risks = list(register.risks.prefetch_related("measures"))
    # The year's rounds, each on the revision it was opened on: a risk's results are those of the risk
    # or of the risk it was copied from.
    rounds = published_risks.published_year_rounds(organization, year)
    lineage = published_risks.lineage(risks)
    reviews: dict[tuple[int, int], Any] = {}
    results: dict[tuple[int, int], list[schemas.RiskMeasureResult]] = {}
    for report_round in rounds:
        for reviewed in report_round.reviews.all():
            reviews[(report_round.pk, reviewed.risk_id)] = reviewed
        files: dict[int, list[str]] = {}
        for file in published_risks.public_evidence(report_round):
            files.setdefault(file.report_id, []).append(
                reverse(
                    "portal:risk_evidence",
                    kwargs={"org": org, "year": year, "months": report_round.months, "evidence_id": file.pk},
                )
            )
        for report in report_round.reports.select_related("measure"):
            results.setdefault((report_round.pk, report.measure.risk_id), []).append(
                schemas.RiskMeasureResult(
                    measure=report.measure.title,
                    status=report.status,
                    what_done=report.what_done,
                    evidence=files.get(report.pk, []),
                )
            )
    entries = []
    for number, risk in enumerate(risks, start=1):
        area = method.area(risk.area)
        monitoring = []
        for report_round in rounds:
            ids = lineage[risk.pk]
            found = next(
                (reviews[(report_round.pk, i)] for i in ids if (report_round.pk, i) in reviews), None
            )
            if found is None:
                continue  # the risk was added after the round's revision
            reassessed = (
                _risk_assessment(method, found.likelihood, found.impact)
                if found is not None and found.likelihood and found.impact
                else None
            )
            monitoring.append(
                schemas.RiskRoundResult(
                    months=report_round.months,
                    published_at=report_round.published_at,
                    reassessed=reassessed,
                    measures=[m for i in sorted(ids) for m in results.get((report_round.pk, i), [])],
                )
            )
        entries.append(
            schemas.RiskEntry(
                number=number,
                process=risk.process,
                event=risk.event,
                cause=risk.cause,
                area=risk.area,
                area_th=area.title_th if area is not None else risk.area,
                current=_risk_assessment(method, risk.likelihood, risk.impact),
                residual=_risk_assessment(method, risk.residual_likelihood, risk.residual_impact),
                ita_indicator=risk.ita_indicator,
                complaints_cited=len(risk.complaint_refs),
                measures=[
                    schemas.RiskMeasure(
                        title=m.title,
                        plan=m.plan_slug,
                        item_uid=m.item_uid,
                        owner=m.owner,
                        due_date=m.due_date,
                    )
                    for m in risk.measures.all()
                ],
                monitoring=monitoring,
            )
        )
    _last_modified(
        response,
        max((t for t in [register.published_at, *(r.published_at for r in rounds)] if t), default=None),
    )
    return schemas.RiskRegisterDetail(
        **_risk_summary(register, len(risks)), organization=organization.slug, entries=entries
    )


# --- Complaint statistics ---------------------------------------------------------------------------


@api.get(
    "/organizations/{org}/complaints/statistics/{year}",
    response={200: schemas.ComplaintStatistics, **NOT_FOUND},
    tags=["complaints"],
    operation_id="get_complaint_statistics",
    summary="Complaints received, completed, in progress, referred per month and per 6 and 12 months",
    description=(
        "Counts only, of the cases received in each month as they stand today; every month is present, "
        "with zeros when there were none. A year from the organisation's first on the installation to the "
        "current one; others are 404. Not kept under the publication stamp: the figures change when "
        "cases are answered."
    ),
)
def get_complaint_statistics(
    request: HttpRequest, response: HttpResponse, org: Path[schemas.OrgSlug], year: Path[schemas.FiscalYear]
) -> schemas.ComplaintStatistics:
    from prongsai.complaints.statistics import FIELDS, available_years, year_statistics

    organization = _organization(org)
    today = timezone.localdate()
    years = available_years(organization, today)
    if year not in years:
        raise ApiError(404, "complaint_statistics_not_found")
    stats = year_statistics(organization, year, today)

    def counts(value: Any) -> dict[str, int]:
        return {name: getattr(value.counts, name) for name in FIELDS}

    with translation.override("th"):
        months = [
            schemas.ComplaintMonth(
                month=m.key,
                name_th=f"{m.name} {m.be_year}",
                first_day=m.first_day,
                last_day=m.last_day,
                come=m.come,
                **counts(m),
            )
            for m in stats.months
        ]
    first_6, twelve = (
        schemas.ComplaintPeriod(
            months=p.months, first_day=p.first_day, last_day=p.last_day, ended=p.ended, **counts(p)
        )
        for p in stats.periods
    )
    return schemas.ComplaintStatistics(
        organization=organization.slug,
        fiscal_year=year,
        as_of=today,
        months=months,
        first_6_months=first_6,
        twelve_months=twelve,
        years=years,
        links=schemas.ComplaintStatisticsLinks(
            self=f"{PREFIX}/organizations/{org}/complaints/statistics/{year}",
            page=reverse("complaint_statistics", kwargs={"org": org}) + f"?year={year}",
            csv=reverse("complaint_statistics_data", kwargs={"org": org, "year": year}),
        ),
    )
