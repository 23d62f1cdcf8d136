"""The ITA's two risk documents, PDF (Typst) and DOCX (python-docx), over the plan document's blocks
(``documents/blocks.py``), as ``reports/document.py`` builds the report:

* การประเมินความเสี่ยงการทุจริต ประจำปีงบประมาณ พ.ศ. … — a cover, the register as a table, the heat maps
  (current and residual, counts per cell, the cells coloured as the method file says), counts by area and
  level, and the executive's signature block;
* the monitoring report of a round — each measure's result, what was done, the re-assessed level.

Digits follow the organisation's published plan (Thai unless its plan says Arabic).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils.translation import gettext as _

from prongsai.documents.blocks import (
    Block,
    Cell,
    DocumentData,
    cell,
    document_meta,
    fit,
    head_cell,
    heading,
    para,
    table,
    text_cell,
)
from prongsai.lib.thai import number, thai_date, year
from prongsai.plans.published import current_revisions
from prongsai.reports.rules import rules
from prongsai.risks.method import SCALE, Level, Method
from prongsai.risks.models import MeasureReport, MonitoringRound, RegisterStatus, Risk, RiskRegister


def tint(colour: str, share: float = 0.45) -> str:
    """``colour`` mixed with white: dark text stays readable on every level's cell when printed."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * share + 255 * (1 - share)):02x}" for c in (red, green, blue))


def digit_style(register: RiskRegister) -> str:
    plan = current_revisions(register.organization).first()
    return plan.digits if plan is not None else "thai"


class _Builder:
    def __init__(self, register: RiskRegister) -> None:
        self.register = register
        self.method: Method = register.method
        self.style = digit_style(register)
        self.risks: list[Risk] = list(register.risks.prefetch_related("measures"))
        for risk in self.risks:
            risk.register = register

    def n(self, value: int) -> str:
        return number(value, self.style)

    def assessed(self, likelihood: int, impact: int) -> str:
        level = self.method.cell_level(likelihood, impact)
        return f"{self.n(likelihood)}×{self.n(impact)}={self.n(likelihood * impact)}\n{level.title_th}"

    def cover(self, title: str, period: str) -> list[Block]:
        org = self.register.organization
        if self.register.is_illustrative:
            period += " " + _("(ข้อมูลตัวอย่างประกอบ)")
        return [
            {
                "t": "cover",
                "title": title,
                "period": period,
                "organization": org.name_th,
                "place": " ".join(part for part in (org.district_th, org.province_th) if part),
            },
            {"t": "pagebreak"},
        ]

    def register_title(self) -> str:
        return _("การประเมินความเสี่ยงการทุจริต ประจำปีงบประมาณ พ.ศ. %(year)s") % {
            "year": year(self.register.fiscal_year, self.style)
        }

    def area_title(self, key: str) -> str:
        area = self.method.area(key)
        return area.title_th if area is not None else key

    def register_table(self) -> list[Block]:
        header = [
            [
                head_cell(text)
                for text in (
                    _("ที่"),
                    _("กระบวนงาน/งานบริการ เหตุการณ์ความเสี่ยง และด้านความเสี่ยง"),
                    _("สาเหตุ / การควบคุมที่มีอยู่"),
                    _("ระดับ (โอกาส × ผลกระทบ)"),
                    _("มาตรการจัดการความเสี่ยง ผู้รับผิดชอบ ตัวบ่งชี้ และเป้าหมาย"),
                    _("หลังจัดการ (เป้าหมาย)"),
                )
            ]
        ]
        rows: list[dict[str, Any]] = []
        for index, risk in enumerate(self.risks, start=1):
            measures = [
                f"{self.n(n)}) {m.title}"
                + (f" ({_('กำหนด')} {thai_date(m.due_date, self.style)})" if m.due_date else "")
                for n, m in enumerate(risk.measures.all(), start=1)
            ] or [_("ยังไม่มีมาตรการ")]
            owner = " · ".join(t for t in (risk.owner_unit, risk.owner_person) if t)
            treatment = "\n".join(
                t
                for t in (
                    *measures,
                    owner and _("ผู้รับผิดชอบ: %(text)s") % {"text": owner},
                    risk.indicator and _("ตัวบ่งชี้: %(text)s") % {"text": risk.indicator},
                    risk.target and _("เป้าหมาย: %(text)s") % {"text": risk.target},
                )
                if t
            )
            context = "\n".join(
                t
                for t in (
                    risk.cause and _("สาเหตุ: %(text)s") % {"text": risk.cause},
                    risk.existing_controls and _("การควบคุม: %(text)s") % {"text": risk.existing_controls},
                )
                if t
            )
            what = f"{risk.process}\n{risk.event}\n" + _("ด้าน: %(area)s") % {
                "area": self.area_title(risk.area)
            }
            rows.append(
                {
                    "keep": True,
                    "cells": [
                        text_cell(self.n(index), align="right"),
                        text_cell(what),
                        text_cell(context),
                        self.level_cell(risk.likelihood, risk.impact),
                        text_cell(treatment),
                        self.level_cell(risk.residual_likelihood, risk.residual_impact),
                    ],
                }
            )
        blocks: list[Block] = [heading(1, _("ทะเบียนความเสี่ยงการทุจริต"))]
        if rows:
            level = self.level_fit()
            blocks.append(
                table([fit(self.n(len(rows))), 6, 5, level, 6, level], header, rows, landscape=True)
            )
        else:
            blocks.append(para(_("ยังไม่มีความเสี่ยงในทะเบียนนี้"), align="center"))
        return blocks

    def level_fit(self) -> dict[str, list[str]]:
        """A column of assessments as wide as its widest line ("๕ × ๕ = ๒๕" or a level's name)."""
        return fit(f"{self.n(5)}×{self.n(5)}={self.n(25)}", *(lv.title_th for lv in self.method.levels))

    def level_cell(self, likelihood: int | None, impact: int | None) -> Cell:
        if likelihood is None or impact is None:
            return text_cell("-", align="center")
        level = self.method.cell_level(likelihood, impact)
        return text_cell(self.assessed(likelihood, impact), align="center", fill=tint(level.colour))

    def heat_map(self, title: str, pairs: list[tuple[int, int]]) -> list[Block]:
        counts = Counter(pairs)
        header = [
            [
                head_cell(_("โอกาส \\ ผลกระทบ")),
                *(head_cell(self.n(impact)) for impact in SCALE),
            ]
        ]
        rows = [
            {
                "keep": True,
                "cells": [
                    head_cell(self.n(likelihood)),
                    *(
                        cell(
                            para(
                                self.n(counts[(likelihood, impact)]) if counts[(likelihood, impact)] else "",
                                align="center",
                            ),
                            align="center",
                            fill=tint(self.method.cell_level(likelihood, impact).colour),
                            strong=True,
                        )
                        for impact in SCALE
                    ),
                ],
            }
            for likelihood in reversed(SCALE)
        ]
        return [
            heading(2, title),
            table([3, 2, 2, 2, 2, 2], header, rows, landscape=False),
            para(
                _("ตัวเลขในช่อง: จำนวนความเสี่ยง รวม %(total)s ความเสี่ยง")
                % {"total": self.n(sum(counts.values()))},
                align="center",
            ),
        ]

    def legend(self) -> list[Block]:
        header = [[head_cell(_("ระดับความเสี่ยง")), head_cell(_("คะแนน (โอกาส × ผลกระทบ)"))]]
        rows = [
            {
                "keep": True,
                "cells": [
                    text_cell(level.title_th, fill=tint(level.colour)),
                    text_cell(f"{self.n(level.low)}–{self.n(level.high)}", align="center"),
                ],
            }
            for level in reversed(self.method.levels)
        ]
        return [table([3, 3], header, rows, landscape=False)]

    def counts(self, pairs: list[tuple[str, int, int]]) -> list[Block]:
        """Risks by area (rows) and level (columns), current assessment."""
        levels: list[Level] = list(reversed(self.method.levels))
        tally = Counter((area, self.method.cell_level(lk, im).key) for area, lk, im in pairs)
        header = [
            [head_cell(_("ด้านความเสี่ยง")), *(head_cell(lv.title_th) for lv in levels), head_cell(_("รวม"))]
        ]
        rows: list[dict[str, Any]] = []
        for area in self.method.areas:
            values = [tally[(area.key, lv.key)] for lv in levels]
            rows.append(
                {
                    "keep": True,
                    "cells": [
                        text_cell(area.title_th),
                        *(text_cell(self.n(v), align="right") for v in values),
                        text_cell(self.n(sum(values)), align="right", strong=True),
                    ],
                }
            )
        totals = [sum(tally[(a.key, lv.key)] for a in self.method.areas) for lv in levels]
        rows.append(
            {
                "keep": True,
                "cells": [
                    text_cell(_("รวม"), strong=True),
                    *(text_cell(self.n(v), align="right", strong=True) for v in totals),
                    text_cell(self.n(sum(totals)), align="right", strong=True),
                ],
            }
        )
        widths: list[Any] = [6, *(fit(lv.title_th, self.n(len(pairs))) for lv in levels), fit(_("รวม"))]
        return [heading(1, _("จำนวนความเสี่ยงตามด้านและระดับ")), table(widths, header, rows, landscape=False)]

    def signature(self, approver: Any, approved_at: Any) -> list[Block]:
        name = (approver.get_full_name() or approver.get_username()) if approver is not None else ""
        return [
            para(""),
            para(_("ลงชื่อ ........................................................"), align="right"),
            para(f"( {name or '........................................'} )", align="right"),
            para(_("ผู้บริหารท้องถิ่น"), align="right"),
            para(
                _("วันที่ %(date)s") % {"date": thai_date(approved_at.date(), self.style)}
                if approved_at
                else _("วันที่ ........................................"),
                align="right",
            ),
        ]


def register_document(register: RiskRegister) -> DocumentData:
    """The register as the ITA asks for it, JSON-ready for ``compile_pdf`` and ``compile_docx``."""
    builder = _Builder(register)
    risks = builder.risks
    title = builder.register_title()
    method_line = _("วิธีประเมิน: %(method)s คะแนน = โอกาส × ผลกระทบ") % {"method": builder.method.title_th}
    return DocumentData(
        meta=document_meta(
            title,
            register.organization.name_th,
            builder.style,
            _("ฉบับร่าง") if register.status == RegisterStatus.DRAFT else "",
        ),
        sections=[
            {
                "landscape": False,
                "numbered": False,
                "restart": False,
                "blocks": builder.cover(title, method_line),
            },
            {
                "landscape": True,
                "numbered": True,
                "restart": True,
                "blocks": builder.register_table(),
            },
            {
                "landscape": False,
                "numbered": True,
                "restart": False,
                "blocks": [
                    heading(1, _("แผนภาพความเสี่ยง (Risk Map)")),
                    *builder.heat_map(_("ก่อนจัดการความเสี่ยง"), [(r.likelihood, r.impact) for r in risks]),
                    *builder.heat_map(
                        _("หลังจัดการความเสี่ยง (เป้าหมาย)"),
                        [(r.residual_likelihood, r.residual_impact) for r in risks],
                    ),
                    *builder.legend(),
                    {"t": "pagebreak"},
                    *builder.counts([(r.area, r.likelihood, r.impact) for r in risks]),
                    *builder.signature(register.approved_by, register.approved_at),
                ],
            },
        ],
    )


def round_document(report_round: MonitoringRound) -> DocumentData:
    """The round's report on managing corruption risk: each measure's result and each risk re-assessed."""
    register = report_round.register
    builder = _Builder(register)
    rule = rules().rounds[report_round.months]
    title = _("รายงานผลการดำเนินการจัดการความเสี่ยงการทุจริต %(round)s ประจำปีงบประมาณ พ.ศ. %(year)s") % {
        "round": rule.title_th,
        "year": year(register.fiscal_year, builder.style),
    }
    start, end = rule.period(register.fiscal_year)
    period = _("ระหว่างวันที่ %(start)s ถึง %(end)s") % {
        "start": thai_date(start, builder.style),
        "end": thai_date(end, builder.style),
    }
    reviews = {r.risk_id: r for r in report_round.reviews.all()}
    reports = list(report_round.reports.select_related("measure").prefetch_related("evidence"))
    header = [
        [
            head_cell(text)
            for text in (
                _("ที่"),
                _("ความเสี่ยง"),
                _("ก่อนจัดการ"),
                _("มาตรการ"),
                _("ผลการดำเนินการ"),
                _("สิ่งที่ดำเนินการ / หลักฐาน"),
                _("ประเมินซ้ำ"),
            )
        ]
    ]
    rows: list[dict[str, Any]] = []
    tally: Counter[str] = Counter()
    for index, risk in enumerate(builder.risks, start=1):
        review = reviews.get(risk.pk)
        mine: list[MeasureReport | None] = [r for r in reports if r.measure.risk_id == risk.pk] or [None]
        for position, report in enumerate(mine):
            first = position == 0
            done = ""
            if report is not None:
                tally[report.status or "waiting"] += 1
                files = ", ".join(e.original_name for e in report.evidence.all())
                done = "\n".join(
                    t for t in (report.what_done, files and _("หลักฐาน: %(files)s") % {"files": files}) if t
                )
            rows.append(
                {
                    "keep": True,
                    "rule": first,
                    "with_next": position < len(mine) - 1,  # a risk's measures stay on one page
                    "cells": [
                        text_cell(builder.n(index) if first else "", align="right"),
                        text_cell(risk.event if first else ""),
                        builder.level_cell(risk.likelihood, risk.impact) if first else text_cell(""),
                        text_cell(report.measure.title if report is not None else _("ยังไม่มีมาตรการ")),
                        text_cell(
                            (str(report.get_status_display()) if report.status else _("ยังไม่รายงานผล"))
                            if report is not None
                            else "-"
                        ),
                        text_cell(done),
                        builder.level_cell(review.likelihood, review.impact)
                        if first and review is not None
                        else text_cell(""),
                    ],
                }
            )
    summary = _(
        "มาตรการทั้งหมด %(total)s รายการ ดำเนินการแล้ว %(done)s อยู่ระหว่างดำเนินการ %(progress)s "
        "ยังไม่ได้ดำเนินการ %(not_done)s ยังไม่รายงานผล %(waiting)s"
    ) % {
        "total": builder.n(len(reports)),
        "done": builder.n(tally["done"]),
        "progress": builder.n(tally["in_progress"]),
        "not_done": builder.n(tally["not_done"]),
        "waiting": builder.n(tally["waiting"]),
    }
    reviewed = [(r.likelihood, r.impact) for r in reviews.values() if r.likelihood and r.impact]
    return DocumentData(
        meta=document_meta(
            title,
            register.organization.name_th,
            builder.style,
            _("ฉบับร่าง") if report_round.status == RegisterStatus.DRAFT else "",
        ),
        sections=[
            {"landscape": False, "numbered": False, "restart": False, "blocks": builder.cover(title, period)},
            {
                "landscape": True,
                "numbered": True,
                "restart": True,
                "blocks": [
                    heading(1, _("ผลการดำเนินการตามมาตรการจัดการความเสี่ยง")),
                    para(summary, indent=True),
                    table(
                        [
                            fit(builder.n(len(builder.risks))),
                            5,
                            builder.level_fit(),
                            5,
                            3,
                            6,
                            builder.level_fit(),
                        ],
                        header,
                        rows,
                        landscape=True,
                    )
                    if rows
                    else para(_("ยังไม่มีความเสี่ยงในทะเบียนนี้"), align="center"),
                ],
            },
            {
                "landscape": False,
                "numbered": True,
                "restart": False,
                "blocks": [
                    *builder.heat_map(_("ประเมินความเสี่ยงซ้ำในรอบนี้"), reviewed),
                    *builder.legend(),
                    *builder.signature(report_round.approved_by, report_round.approved_at),
                ],
            },
        ],
    )


def register_pdf(register: RiskRegister) -> bytes:
    from prongsai.documents.pdf import compile_pdf

    return compile_pdf(register_document(register), register.published_at)


def register_docx(register: RiskRegister) -> bytes:
    from prongsai.documents.word import compile_docx

    return compile_docx(register_document(register))


def round_pdf(report_round: MonitoringRound) -> bytes:
    from prongsai.documents.pdf import compile_pdf

    return compile_pdf(round_document(report_round), report_round.published_at)


def round_docx(report_round: MonitoringRound) -> bytes:
    from prongsai.documents.word import compile_docx

    return compile_docx(round_document(report_round))
