"""The oversight dashboards: country → region → province → district → the organisation's own pages.

A page answers only a user holding a grant whose area contains the page's area (404 otherwise, as for an
organisation one is not a member of); anonymous visitors are sent to sign in by the login middleware.
Every table also downloads: ``?format=csv&table=<name>`` or ``?format=xlsx&table=<name>`` (names in
``TABLES``), with the page's ``year``.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import FileResponse, Http404, HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from prongsai.geography.models import District, Province, Region
from prongsai.lib.thai import fiscal_year_of
from prongsai.opendata.writers import BOM, _xlsx_cell, csv_text
from prongsai.oversight.dashboards import ROUNDS, Dashboard, build
from prongsai.oversight.models import Level, OrgYearSummary, OversightGrant, SubmissionState

Row = list[Any]


def user_grants(user: AbstractBaseUser | AnonymousUser) -> list[OversightGrant]:
    if not user.is_authenticated or not user.is_active:
        return []
    return list(
        OversightGrant.objects.filter(user_id=user.pk).select_related(
            "district__province", "province", "region"
        )
    )


def _covers(grants: list[OversightGrant], level: Level, area: Region | Province | District | None) -> bool:
    """Whether a grant's area contains the page's area (a province grant covers its districts, …)."""
    for grant in grants:
        if grant.level == Level.COUNTRY:
            return True
        if area is None:
            continue
        region: str | None
        province: str | None
        district: str | None
        if isinstance(area, Region):
            region, province, district = area.code, None, None
        elif isinstance(area, Province):
            region, province, district = area.region_id, area.code, None
        else:
            region, province, district = area.province.region_id, area.province_id, area.code
        if (
            (grant.level == Level.REGION and grant.region_id == region)
            or (grant.level == Level.PROVINCE and province is not None and grant.province_id == province)
            or (grant.level == Level.DISTRICT and district is not None and grant.district_id == district)
        ):
            return True
    return False


def _area_url(level: Level | None, code: str) -> str:
    if level is None:
        return reverse("organization", kwargs={"org": code})
    name = {
        Level.REGION: "oversight_region",
        Level.PROVINCE: "oversight_province",
        Level.DISTRICT: "oversight_district",
    }
    return reverse(name[level], kwargs={"code": code}) if level in name else reverse("oversight")


def grant_url(grant: OversightGrant) -> str:
    return _area_url(None if grant.level == Level.COUNTRY else Level(grant.level), grant.area_code)


def _year(request: HttpRequest) -> tuple[int, list[int]]:
    years = sorted(
        OrgYearSummary.objects.order_by().values_list("fiscal_year", flat=True).distinct(), reverse=True
    )
    current = fiscal_year_of(timezone.localdate())
    asked = request.GET.get("year", "")
    if asked:
        if not asked.isdigit() or not 2500 <= int(asked) <= 2700:
            raise Http404
        return int(asked), years
    if not years:
        return current, [current]
    # The newest year up to now in which a report was submitted, else the newest year up to now.
    reported = (
        OrgYearSummary.objects.filter(fiscal_year__lte=current)
        .exclude(r6_state=SubmissionState.OPEN, r12_state=SubmissionState.OPEN)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .first()
    )
    if reported is not None:
        return reported, years
    earlier = [y for y in years if y <= current]
    return (earlier[0] if earlier else years[-1]), years


def _page(request: HttpRequest, level: Level, area: Region | Province | District | None) -> HttpResponseBase:
    grants = user_grants(request.user)
    if not _covers(grants, level, area):
        raise Http404
    year, years = _year(request)
    code = "" if area is None else area.pk
    dashboard = build(level, code, year, _area_url)
    fmt = request.GET.get("format", "")
    if fmt:
        return _download(dashboard, fmt, request.GET.get("table", ""))
    trail = _trail(grants, area)
    return render(
        request,
        "oversight/dashboard.html",
        {
            "dashboard": dashboard,
            "area": area,
            "area_name": _area_name(area),
            "trail": trail,
            "year": year,
            "years": years,
            "tables": TABLES,
            "rounds": ROUNDS,
            "bands": {m: rules_bands(m) for m in ROUNDS},
            "area_titles": _area_titles(),
            "may_review": any(g.may_review and _covers([g], level, area) for g in grants),
        },
    )


def _area_titles() -> dict[str, str]:
    from prongsai.risks.method import DEFAULT_METHOD, method

    return {a.key: a.title for a in method(DEFAULT_METHOD).areas}


def rules_bands(months: int) -> Any:
    from prongsai.reports.rules import rules

    return rules().bands[months]


def _area_name(area: Region | Province | District | None) -> str:
    if area is None:
        return _("ทั้งประเทศ")
    if isinstance(area, Region):
        return area.name_th
    return area.label_th


def _trail(grants: list[OversightGrant], area: Region | Province | District | None) -> list[tuple[str, str]]:
    """The levels above this page that the user may open: (name, url)."""
    steps: list[tuple[Level, Region | Province | District | None]] = [(Level.COUNTRY, None)]
    if isinstance(area, Province | District):
        province = area if isinstance(area, Province) else area.province
        if province.region is not None:
            steps.append((Level.REGION, province.region))
        if isinstance(area, District):
            steps.append((Level.PROVINCE, province))
    elif isinstance(area, Region):
        pass
    else:
        return []
    trail = []
    for level, step in steps:
        if _covers(grants, level, step):
            url = reverse("oversight") if step is None else _area_url(level, step.pk)
            trail.append((_area_name(step), url))
    return trail


@require_GET
def country(request: HttpRequest) -> HttpResponseBase:
    grants = user_grants(request.user)
    if not grants:
        raise Http404
    if not any(g.level == Level.COUNTRY for g in grants):
        return redirect(grant_url(grants[0]))
    return _page(request, Level.COUNTRY, None)


@require_GET
def region(request: HttpRequest, code: str) -> HttpResponseBase:
    area = Region.objects.filter(pk=code).first()
    if area is None:
        raise Http404
    return _page(request, Level.REGION, area)


@require_GET
def province(request: HttpRequest, code: str) -> HttpResponseBase:
    area = Province.objects.select_related("region").filter(pk=code).first()
    if area is None:
        raise Http404
    return _page(request, Level.PROVINCE, area)


@require_GET
def district(request: HttpRequest, code: str) -> HttpResponseBase:
    area = District.objects.select_related("province__region").filter(pk=code).first()
    if area is None:
        raise Http404
    return _page(request, Level.DISTRICT, area)


# -- downloads -------------------------------------------------------------------------------------------


def _units_table(d: Dashboard) -> tuple[Row, list[Row]]:
    header: Row = [
        _("รหัส"),
        _("ชื่อ"),
        _("จำนวน อปท."),
        _("มีแผน"),
        _("อนุมัติแล้ว"),
        _("ประกาศแล้ว"),
        _("จำนวนรายการ"),
    ]
    for m in ROUNDS:
        header += [
            _("รอบ %(months)s เดือน: ส่งตรงเวลา") % {"months": m},
            _("รอบ %(months)s เดือน: ส่งล่าช้า") % {"months": m},
            _("รอบ %(months)s เดือน: ไม่ส่ง") % {"months": m},
            _("รอบ %(months)s เดือน: ดำเนินการแล้วเสร็จ") % {"months": m},
            _("รอบ %(months)s เดือน: อยู่ระหว่างดำเนินการ") % {"months": m},
            _("รอบ %(months)s เดือน: ไม่สามารถดำเนินการได้") % {"months": m},
            _("รอบ %(months)s เดือน: รอการรายงานผล") % {"months": m},
            _("รอบ %(months)s เดือน: คะแนน (%%)") % {"months": m},
            _("รอบ %(months)s เดือน: เกณฑ์") % {"months": m},
        ]
    rows = []
    for u in d.units:
        row: Row = [u.code, u.name, u.organizations, u.has_plan, u.approved, u.published, u.items]
        for r in u.round_list:
            t = r.tally
            row += [
                r.on_time,
                r.late,
                r.missing,
                t.completed,
                t.in_progress,
                t.cannot,
                t.waiting,
                t.score,
                r.band.title,
            ]
        rows.append(row)
    return header, rows


def _money_table(d: Dashboard) -> tuple[Row, list[Row]]:
    header: Row = [_("รหัส"), _("ชื่อ")]
    for n in (1, 2, 3, 4):
        header += [
            _("มิติที่ %(n)s: ตามแผน (บาท)") % {"n": n},
            _("มิติที่ %(n)s: ตามข้อบัญญัติ (บาท)") % {"n": n},
            _("มิติที่ %(n)s: เบิกจ่าย (บาท)") % {"n": n},
        ]
    rows = []
    for u in d.units:
        row: Row = [u.code, u.name]
        for _n, money in u.money_list:
            row += [money["planned"], money["ordinance"], money["disbursed"]]
        rows.append(row)
    return header, rows


def _ita_table(d: Dashboard) -> tuple[Row, list[Row]]:
    header: Row = [_("รหัส"), _("ชื่อ"), _("จำนวนที่มีผล ITA"), _("ผ่าน (85 คะแนนขึ้นไป)"), _("คะแนนเฉลี่ย")]
    return header, [[u.code, u.name, u.ita_scored, u.ita_passed, u.ita_average] for u in d.units]


def _others_table(d: Dashboard) -> tuple[Row, list[Row]]:
    header: Row = [_("รหัส"), _("ชื่อ"), _("จำนวนความเสี่ยง"), _("เรื่องร้องเรียนที่รับ"), _("แจ้งผลภายใน 15 วัน")]
    return header, [[u.code, u.name, u.risks, u.complaints, u.complaints_in_time] for u in d.units]


def _without_table(d: Dashboard) -> tuple[Row, list[Row]]:
    header: Row = [_("รหัสในที่อยู่เว็บ"), _("ชื่อ"), _("รหัสอำเภอ"), _("สถานะแผน")]
    rows = []
    for o in d.without_plan:
        state = (
            _("อนุมัติแล้วแต่ยังไม่ประกาศ")
            if o["s__approved"]
            else _("มีแผนแต่ยังไม่อนุมัติ")
            if o["s__has_plan"]
            else _("ไม่มีแผน")
        )
        rows.append([o["slug"], o["name_th"], o["district_id"], state])
    return header, rows


TABLES: dict[str, Callable[[Dashboard], tuple[Row, list[Row]]]] = {
    "units": _units_table,
    "money": _money_table,
    "ita": _ita_table,
    "risks": _others_table,
    "without_plan": _without_table,
}


def _download(d: Dashboard, fmt: str, table: str) -> HttpResponseBase:
    if table not in TABLES or fmt not in ("csv", "xlsx"):
        raise Http404
    header, rows = TABLES[table](d)
    name = f"oversight-{d.level}{'-' + d.code if d.code else ''}-{d.year}-{table}.{fmt}"
    if fmt == "csv":

        def chunks() -> Iterator[str]:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow([csv_text(h) for h in header])
            for row in rows:
                writer.writerow([csv_text(v) if v is not None else "" for v in row])
            yield BOM + buffer.getvalue()

        response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table)
    bold = Font(bold=True)
    cells = []
    for h in header:
        cell = WriteOnlyCell(sheet, value=h)
        cell.font = bold
        cell.data_type = "s"
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - handed open to the response, which closes it
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# -- the scope check -------------------------------------------------------------------------------------


def scope(request: HttpRequest, org: str, plan: str) -> HttpResponseBase:
    """A reviewer's list of the published plan's items, each markable as ไม่สอดคล้องกับมิติของการป้องกัน
    การทุจริต with a reason (or unmarked). Through the access helper: 404 outside the grant's area, 403
    for a grant without the review right and for the organisation's own members."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    from prongsai.organizations.access import Permission, get_access
    from prongsai.oversight import actions
    from prongsai.oversight.models import ScopeMark
    from prongsai.plans.published import current_revision

    access = get_access(request.user, org, Permission.SCOPE_REVIEW)
    organization = access.organization
    revision = current_revision(organization, plan)
    if revision is None:
        raise Http404
    errors: dict[str, str] = {}
    if request.method == "POST":
        uid = request.POST.get("item_uid", "")
        try:
            if request.POST.get("action") == "unmark":
                actions.unmark_out_of_scope(access, organization, plan, uid)
                messages.success(request, _("ยกเลิกเครื่องหมายแล้ว"))
            else:
                actions.mark_out_of_scope(access, organization, plan, uid, request.POST.get("reason", ""))
                messages.success(request, _("ทำเครื่องหมายว่าไม่สอดคล้องกับมิติแล้ว"))
        except (ValidationError, ValueError) as error:
            errors[uid] = " ".join(getattr(error, "messages", [str(error)]))
        else:
            return redirect(reverse("oversight_scope", kwargs={"org": org, "plan": plan}) + f"#item-{uid}")
    elif request.method != "GET":
        return redirect(reverse("oversight_scope", kwargs={"org": org, "plan": plan}))
    marks = {m.item_uid: m for m in ScopeMark.objects.filter(organization=organization, plan_slug=plan)}
    items = list(
        revision.items.select_related("mission__dimension").order_by(
            "mission__dimension__number", "mission__position", "position"
        )
    )
    rows = [
        {"item": item, "mark": marks.get(item.uid), "error": errors.get(str(item.uid), "")} for item in items
    ]
    return render(
        request,
        "oversight/scope.html",
        {"organization": organization, "plan": revision, "rows": rows, "marked": len(marks)},
        status=400 if errors else 200,
    )
