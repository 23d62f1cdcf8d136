"""The catalogue in DCAT-AP 3 as JSON-LD: one dcat:Dataset per published plan and one for the installation.

Each dataset also carries the fields of Thailand's government data catalogue (GD Catalog, a CKAN schema)
under the ``gd:`` prefix. GD Catalog has no RDF vocabulary of its own, so ``gd:`` expands to this
installation's /data/gd page, where each term has an anchor that explains it (``/data/gd#data_type``).
Values come from ``data/catalog-fields.json`` (``metadata``), never from code.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_noop

from prongsai.lib.public_url import absolute_url
from prongsai.opendata import metadata
from prongsai.opendata.metadata import Bilingual, CatalogFields
from prongsai.opendata.tables import DATASETS, years_of
from prongsai.plans.models import Plan
from prongsai.reports.models import ReportRound
from prongsai.reports.rules import rules
from prongsai.risks.models import RiskRegister

CONTEXT_BASE = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "locn": "http://www.w3.org/ns/locn#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
FILE_TYPES = {"csv": "CSV", "xlsx": "XLSX", "json": "JSON"}  # EU file-type authority codes
IANA = "https://www.iana.org/assignments/media-types/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"

# The GD Catalog fields and their labels (from the catalogue software's dataset schema).
GD_LABELS = {
    "data_type": gettext_noop("ประเภทชุดข้อมูล"),
    "title": gettext_noop("ชื่อชุดข้อมูล"),
    "owner_org": gettext_noop("องค์กร"),
    "maintainer": gettext_noop("ชื่อฝ่ายงานสำหรับติดต่อ"),
    "maintainer_email": gettext_noop("อีเมลสำหรับติดต่อ"),
    "notes": gettext_noop("รายละเอียด"),
    "tag_string": gettext_noop("คำสำคัญ"),
    "objective": gettext_noop("วัตถุประสงค์"),
    "update_frequency_unit": gettext_noop("หน่วยความถี่ของการปรับปรุงข้อมูล"),
    "update_frequency_interval": gettext_noop("ค่าความถี่ของการปรับปรุงข้อมูล"),
    "geo_coverage": gettext_noop("ขอบเขตเชิงภูมิศาสตร์"),
    "data_source": gettext_noop("แหล่งที่มา"),
    "data_format": gettext_noop("รูปแบบการเก็บข้อมูล"),
    "data_category": gettext_noop("หมวดหมู่ตามธรรมาภิบาลข้อมูลภาครัฐ"),
    "data_classification": gettext_noop("ระดับชั้นข้อมูล"),
    "license_id": gettext_noop("สัญญาอนุญาต"),
}


REPORT_TITLE = gettext_noop("รายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกันการทุจริต")
RISK_TITLE = gettext_noop("การประเมินความเสี่ยงการทุจริต")


def _literals(th: str, en: str) -> list[dict[str, str]]:
    return Bilingual(th, en or th).literals()


def _datetime(value: datetime | None) -> dict[str, str] | None:
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"} if value else None


def _date(value: date) -> dict[str, str]:
    return {"@value": value.isoformat(), "@type": "xsd:date"}


def fiscal_period(first_year: int, last_year: int) -> dict[str, Any]:
    """Thai fiscal years (พ.ศ.) as a period: FY 2561 runs from 1 October 2017 to 30 September 2018."""
    return {
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": _date(date(first_year - 544, 10, 1)),
        "dcat:endDate": _date(date(last_year - 543, 9, 30)),
    }


def _gd(
    values: dict[str, str | list[str]], *, title: str, owner: str, notes: str, tags: tuple[str, ...]
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "gd:title": title,
        "gd:owner_org": owner,
        "gd:notes": notes,
        "gd:tag_string": ",".join(tags),
    }
    for name, value in values.items():
        if name == "maintainer" and not value:
            value = owner
        if value:
            fields[f"gd:{name}"] = value
    return fields


def gd_namespace(request: HttpRequest) -> str:
    """The IRI ``gd:`` stands for; it ends with # so that JSON-LD 1.1 processors take it as a prefix."""
    return absolute_url(request, reverse("opendata:gd_terms")) + "#"


class _Builder:
    def __init__(self, request: HttpRequest, fields: CatalogFields) -> None:
        self.request = request
        self.fields = fields
        self.index = absolute_url(request, reverse("opendata:index"))

    def url(self, name: str, **kwargs: Any) -> str:
        return absolute_url(self.request, reverse(f"opendata:{name}", kwargs=kwargs))

    def distribution(
        self, dataset: str, fmt: str, download: str, access: str, modified: datetime | None
    ) -> dict[str, Any]:
        from django.utils import translation
        from django.utils.translation import gettext as _

        title = DATASETS[dataset].title
        with translation.override("en"):
            english = _(title)
        node: dict[str, Any] = {
            "@id": download,
            "@type": "dcat:Distribution",
            "dct:title": _literals(f"{title} ({FILE_TYPES[fmt]})", f"{english} ({FILE_TYPES[fmt]})"),
            "dcat:accessURL": {"@id": access},
            "dcat:downloadURL": {"@id": download},
            "dcat:mediaType": {"@id": IANA + MEDIA_TYPES[fmt]},
            "dct:format": {"@id": EU_FILE_TYPE + FILE_TYPES[fmt]},
            "dct:license": {"@id": self.fields.licence.url},
        }
        if modified:
            node["dct:modified"] = _datetime(modified)
        return node

    def common(self) -> dict[str, Any]:
        f = self.fields
        return {
            "@type": "dcat:Dataset",
            "dcat:keyword": [{"@value": k, "@language": "th"} for k in f.keywords_th]
            + [{"@value": k, "@language": "en"} for k in f.keywords_en],
            "dcat:theme": {"@id": f.theme},
            "dct:language": {"@id": f.language},
            "dct:accrualPeriodicity": {"@id": f.accrual_periodicity},
            "dct:license": {"@id": f.licence.url},
        }

    def plan_dataset(self, plan: Plan, first_published: datetime | None) -> dict[str, Any]:
        org = plan.organization
        anchor = f"{self.index}#plan-{org.slug}-{plan.slug}"
        plan_kwargs = {"org": org.slug, "plan": plan.slug}
        distributions = []
        for dataset in DATASETS:
            for fmt in MEDIA_TYPES:
                kwargs = {"org": org.slug, "plan": plan.slug, "fmt": fmt}
                download = self.url(f"plan_{dataset}", rev=plan.revision, **kwargs)
                access = self.url(f"plan_{dataset}_latest", **kwargs)
                distributions.append(self.distribution(dataset, fmt, download, access, plan.published_at))
        title_th = f"{plan.title} ({org.name_th})"
        title_en = (
            f"Anti-corruption action plan {plan.first_year}–{plan.last_year} ({org.name_en or org.name_th})"
        )
        notes_th = (
            f"โครงการ กิจกรรม มาตรการ งบประมาณรายปี และตัวชี้วัดของแผนที่ {org.name_th} "
            f"อำเภอ{org.district_th.removeprefix('อำเภอ')} จังหวัด{org.province_th.removeprefix('จังหวัด')} "
            f"ประกาศ (ฉบับแก้ไขที่ {plan.revision})"
        )
        notes_en = (
            f"Projects, activities and measures with their budget per fiscal year and their indicators, "
            f"as published by {org.name_en or org.name_th} (revision {plan.revision})."
        )
        place_th = f"{org.name_th} {org.district_th} {org.province_th}"
        place_en = ", ".join(p for p in (org.name_en, org.district_en, org.province_en) if p) or place_th
        maintainer = str(self.fields.gd_plan.get("maintainer") or org.name_th)
        email = str(self.fields.gd_plan.get("maintainer_email") or "")
        contact: dict[str, Any] = {"@type": "vcard:Organization", "vcard:fn": maintainer}
        if email:
            contact["vcard:hasEmail"] = {"@id": f"mailto:{email}"}
        node = {
            "@id": anchor,
            **self.common(),
            "dct:identifier": f"{org.slug}/{plan.slug}",
            "dct:title": _literals(title_th, title_en),
            "dct:description": _literals(notes_th, notes_en),
            "dct:publisher": {
                "@type": "foaf:Agent",
                "foaf:name": _literals(org.name_th, org.name_en),
            },
            "dcat:contactPoint": contact,
            "dct:spatial": {
                "@type": "dct:Location",
                "skos:prefLabel": _literals(place_th, place_en),
                "locn:geographicName": _literals(place_th, place_en),
            },
            "dct:temporal": fiscal_period(plan.first_year, plan.last_year),
            "dct:issued": _datetime(first_published or plan.published_at),
            "dct:modified": _datetime(plan.published_at),
            "owl:versionInfo": str(plan.revision),
            "dcat:landingPage": {
                "@id": absolute_url(self.request, reverse("portal:plan", kwargs=plan_kwargs))
            },
            "dcat:distribution": distributions,
        }
        return node | _gd(
            self.fields.gd_plan,
            title=title_th,
            owner=org.name_th,
            notes=notes_th,
            tags=self.fields.keywords_th,
        )

    def report_distributions(
        self, name: str, modified: datetime | None, **kwargs: Any
    ) -> list[dict[str, Any]]:
        from django.utils import translation
        from django.utils.translation import gettext as _

        with translation.override("en"):
            english = _(REPORT_TITLE)
        nodes = []
        for fmt in MEDIA_TYPES:
            url = self.url(name, fmt=fmt, **kwargs)
            node: dict[str, Any] = {
                "@id": url,
                "@type": "dcat:Distribution",
                "dct:title": _literals(
                    f"{REPORT_TITLE} ({FILE_TYPES[fmt]})", f"{english} ({FILE_TYPES[fmt]})"
                ),
                "dcat:accessURL": {"@id": url},
                "dcat:downloadURL": {"@id": url},
                "dcat:mediaType": {"@id": IANA + MEDIA_TYPES[fmt]},
                "dct:format": {"@id": EU_FILE_TYPE + FILE_TYPES[fmt]},
                "dct:license": {"@id": self.fields.licence.url},
            }
            if modified:
                node["dct:modified"] = _datetime(modified)
            nodes.append(node)
        return nodes

    def round_dataset(self, report_round: ReportRound) -> dict[str, Any]:
        """One published report round: its file never changes, so download and access URL are the same."""
        r, org = report_round, report_round.organization
        key = {"org": org.slug, "plan": r.plan_slug, "year": r.fiscal_year, "months": r.months}
        title_th = (
            f"รายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกันการทุจริต รอบ {r.months} เดือน "
            f"ปีงบประมาณ พ.ศ. {r.fiscal_year} ({org.name_th})"
        )
        title_en = (
            f"Anti-corruption plan progress report, {r.months}-month round, fiscal year {r.fiscal_year} "
            f"({org.name_en or org.name_th})"
        )
        notes_th = (
            f"สถานะ งบประมาณตามแผน ตามข้อบัญญัติ การเบิกจ่าย และผลตัวชี้วัดของทุกรายการในแผน {r.plan_slug} "
            f"ที่ {org.name_th} ประกาศ รอบ {r.months} เดือน ปีงบประมาณ พ.ศ. {r.fiscal_year}"
        )
        notes_en = (
            f"Status, planned, ordinance and disbursed budget and indicator results of every item of plan "
            f"{r.plan_slug}, as published by {org.name_en or org.name_th} for the {r.months}-month round of "
            f"fiscal year {r.fiscal_year}."
        )
        start, end = rules().rounds[r.months].period(r.fiscal_year)
        place_th = f"{org.name_th} {org.district_th} {org.province_th}"
        maintainer = str(self.fields.gd_report.get("maintainer") or org.name_th)
        node: dict[str, Any] = {
            "@id": f"{self.index}#report-{org.slug}-{r.plan_slug}-{r.fiscal_year}-{r.months}",
            **self.common(),
            "dct:accrualPeriodicity": {"@id": self.fields.accrual_periodicity_report},
            "dct:identifier": f"{org.slug}/{r.plan_slug}/reports/{r.fiscal_year}/{r.months}",
            "dct:title": _literals(title_th, title_en),
            "dct:description": _literals(notes_th, notes_en),
            "dct:publisher": {"@type": "foaf:Agent", "foaf:name": _literals(org.name_th, org.name_en)},
            "dcat:contactPoint": {"@type": "vcard:Organization", "vcard:fn": maintainer},
            "dct:spatial": {
                "@type": "dct:Location",
                "skos:prefLabel": _literals(place_th, place_th),
                "locn:geographicName": _literals(place_th, place_th),
            },
            "dct:temporal": {
                "@type": "dct:PeriodOfTime",
                "dcat:startDate": _date(start),
                "dcat:endDate": _date(end),
            },
            "dct:issued": _datetime(r.published_at),
            "dct:modified": _datetime(r.published_at),
            "dcat:landingPage": {
                "@id": absolute_url(self.request, reverse("portal:report_round", kwargs=key))
            },
            "dcat:distribution": self.report_distributions("report", r.published_at, **key),
        }
        return node | _gd(
            self.fields.gd_report,
            title=title_th,
            owner=org.name_th,
            notes=notes_th,
            tags=self.fields.keywords_th,
        )

    def risk_dataset(self, register: RiskRegister) -> dict[str, Any]:
        """The year's public register (its newest published revision): the files at the year's address
        always hold that revision, so download and access URL are the same; the revision is the version."""
        from django.utils import translation
        from django.utils.translation import gettext as _

        r, org = register, register.organization
        with translation.override("en"):
            english = _(RISK_TITLE)
        distributions = []
        for fmt in MEDIA_TYPES:
            url = self.url("risks", org=org.slug, year=r.fiscal_year, fmt=fmt)
            node: dict[str, Any] = {
                "@id": url,
                "@type": "dcat:Distribution",
                "dct:title": _literals(f"{RISK_TITLE} ({FILE_TYPES[fmt]})", f"{english} ({FILE_TYPES[fmt]})"),
                "dcat:accessURL": {"@id": url},
                "dcat:downloadURL": {"@id": url},
                "dcat:mediaType": {"@id": IANA + MEDIA_TYPES[fmt]},
                "dct:format": {"@id": EU_FILE_TYPE + FILE_TYPES[fmt]},
                "dct:license": {"@id": self.fields.licence.url},
            }
            if r.published_at:
                node["dct:modified"] = _datetime(r.published_at)
            distributions.append(node)
        title_th = f"การประเมินความเสี่ยงการทุจริต ประจำปีงบประมาณ พ.ศ. {r.fiscal_year} ({org.name_th})"
        title_en = f"Corruption-risk assessment, fiscal year {r.fiscal_year} ({org.name_en or org.name_th})"
        notes_th = (
            f"ความเสี่ยงการทุจริต โอกาส ผลกระทบ คะแนนและระดับ (คำนวณ) และมาตรการจัดการ ที่ {org.name_th} "
            f"ประกาศ ปีงบประมาณ พ.ศ. {r.fiscal_year} (ฉบับที่ {r.revision})"
        )
        notes_en = (
            f"Corruption risks with their likelihood, impact, computed score and level, and their measures, "
            f"as published by {org.name_en or org.name_th} for fiscal year {r.fiscal_year} "
            f"(revision {r.revision})."
        )
        place_th = f"{org.name_th} {org.district_th} {org.province_th}"
        maintainer = str(self.fields.gd_plan.get("maintainer") or org.name_th)
        node = {
            "@id": f"{self.index}#risks-{org.slug}-{r.fiscal_year}",
            **self.common(),
            "dct:identifier": f"{org.slug}/risks/{r.fiscal_year}",
            "dct:title": _literals(title_th, title_en),
            "dct:description": _literals(notes_th, notes_en),
            "dct:publisher": {"@type": "foaf:Agent", "foaf:name": _literals(org.name_th, org.name_en)},
            "dcat:contactPoint": {"@type": "vcard:Organization", "vcard:fn": maintainer},
            "dct:spatial": {
                "@type": "dct:Location",
                "skos:prefLabel": _literals(place_th, place_th),
                "locn:geographicName": _literals(place_th, place_th),
            },
            "dct:temporal": fiscal_period(r.fiscal_year, r.fiscal_year),
            "dct:issued": _datetime(r.published_at),
            "dct:modified": _datetime(r.published_at),
            "owl:versionInfo": str(r.revision),
            "dcat:landingPage": {
                "@id": absolute_url(
                    self.request,
                    reverse("portal:risk_register", kwargs={"org": org.slug, "year": r.fiscal_year}),
                )
            },
            "dcat:distribution": distributions,
        }
        return node | _gd(
            self.fields.gd_plan,
            title=title_th,
            owner=org.name_th,
            notes=notes_th,
            tags=self.fields.keywords_th,
        )

    def installation_reports_dataset(self, rounds: list[ReportRound]) -> dict[str, Any]:
        f = self.fields
        published_at = [r.published_at for r in rounds if r.published_at]
        newest = max(published_at, default=None)
        title_th = "รายงานผลการดำเนินงานรอบล่าสุดที่ประกาศของทุกแผนในระบบ"
        title_en = "Latest published progress report round of every plan"
        node: dict[str, Any] = {
            "@id": f"{self.index}#all-reports",
            **self.common(),
            "dct:accrualPeriodicity": {"@id": f.accrual_periodicity_report},
            "dct:identifier": "all/reports",
            "dct:title": _literals(title_th, title_en),
            "dct:description": _literals(title_th, title_en),
            "dct:publisher": {"@type": "foaf:Agent", "foaf:name": f.publisher.literals()},
            "dcat:contactPoint": {
                "@type": "vcard:Organization",
                "vcard:fn": str(f.gd_installation["maintainer"] or f.publisher.th),
            },
            "dcat:landingPage": {"@id": f"{self.index}#reports"},
            "dcat:distribution": self.report_distributions("all_reports", newest),
        }
        if newest:
            node["dct:modified"] = _datetime(newest)
            node["dct:issued"] = _datetime(min(published_at))
        gd_values = dict(f.gd_report) | {
            "geo_coverage": f.gd_installation["geo_coverage"],
            "maintainer": f.gd_installation["maintainer"],
        }
        return node | _gd(gd_values, title=title_th, owner=f.publisher.th, notes=title_th, tags=f.keywords_th)

    def installation_dataset(self, plans: list[Plan]) -> dict[str, Any]:
        f = self.fields
        anchor = f"{self.index}#all"
        published_at = [p.published_at for p in plans if p.published_at]
        distributions = [
            self.distribution(dataset, fmt, url, url, max(published_at, default=None))
            for dataset in DATASETS
            for fmt in MEDIA_TYPES
            for url in [self.url(f"all_{dataset}", fmt=fmt)]
        ]
        provinces = sorted({(p.organization.province_th, p.organization.province_en) for p in plans})
        node: dict[str, Any] = {
            "@id": anchor,
            **self.common(),
            "dct:identifier": "all",
            "dct:title": f.title.literals(),
            "dct:description": f.description.literals(),
            "dct:publisher": {"@type": "foaf:Agent", "foaf:name": f.publisher.literals()},
            "dcat:contactPoint": {
                "@type": "vcard:Organization",
                "vcard:fn": str(f.gd_installation["maintainer"] or f.publisher.th),
            },
            "dcat:landingPage": {"@id": anchor},
            "dcat:distribution": distributions,
        }
        if provinces:
            node["dct:spatial"] = [
                {"@type": "dct:Location", "skos:prefLabel": _literals(th, en)} for th, en in provinces
            ]
        years = years_of(plans)
        if years:
            node["dct:temporal"] = fiscal_period(years[0], years[-1])
        if published_at:
            node["dct:issued"] = _datetime(min(published_at))
            node["dct:modified"] = _datetime(max(published_at))
        return node | _gd(
            f.gd_installation,
            title=f.title.th,
            owner=f.publisher.th,
            notes=f.description.th,
            tags=f.keywords_th,
        )


def catalog(
    request: HttpRequest,
    plans: list[Plan],
    first_published: dict[tuple[int, str], datetime],
    rounds: Sequence[ReportRound] = (),
    latest_rounds: Sequence[ReportRound] = (),
    registers: Sequence[RiskRegister] = (),
) -> dict[str, Any]:
    """The catalogue document of ``plans`` (the current published revisions) and the published report
    ``rounds``, with the installation's latest rounds as one more dataset, and the public risk
    ``registers`` (each year's newest published revision)."""
    fields = metadata.fields()
    builder = _Builder(request, fields)
    datasets = [builder.installation_dataset(plans)] + [
        builder.plan_dataset(plan, first_published.get((plan.organization_id, plan.slug))) for plan in plans
    ]
    if rounds:
        datasets.append(builder.installation_reports_dataset(list(latest_rounds)))
        datasets += [builder.round_dataset(r) for r in rounds]
    datasets += [builder.risk_dataset(r) for r in registers]
    published_at = [p.published_at for p in plans if p.published_at]
    document: dict[str, Any] = {
        "@context": CONTEXT_BASE | {"gd": gd_namespace(request)},
        "@id": builder.url("catalog"),
        "@type": "dcat:Catalog",
        "dct:title": fields.title.literals(),
        "dct:description": fields.description.literals(),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": fields.publisher.literals()},
        "dct:language": {"@id": fields.language},
        "dct:license": {"@id": fields.licence.url},
        "dct:rights": {"@id": builder.url("licence"), "@type": "dct:RightsStatement"},
        "foaf:homepage": {"@id": builder.index},
        "dcat:themeTaxonomy": {"@id": "http://publications.europa.eu/resource/authority/data-theme"},
        "dcat:dataset": datasets,
    }
    if published_at:
        document["dct:modified"] = _datetime(max(published_at))
    return document
