"""The report as an official document (PDF with Typst, DOCX with python-docx), built from the same blocks
as the plan document (``documents/blocks.py``): a cover, the summary per dimension, one table row per item,
the indicator results and the executive's signature block, with the plan's choice of digits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from prongsai.documents.blocks import (
    Block,
    Cell,
    DocumentData,
    document_meta,
    fit,
    head_cell,
    heading,
    para,
    table,
    text_cell,
)
from prongsai.lib.thai import baht, digits, number, thai_date, year
from prongsai.reports.models import ReportRound, RoundStatus
from prongsai.reports.progress import round_rows
from prongsai.reports.rules import rules
from prongsai.reports.scores import Summary, Tally, summarise


class _Builder:
    def __init__(self, report_round: ReportRound) -> None:
        self.round = report_round
        self.style = report_round.plan.digits
        self.summary: Summary = summarise(report_round)

    def n(self, value: int | Decimal) -> str:
        return number(value, self.style)

    def percent(self, value: Decimal | None) -> str:
        return "-" if value is None else digits(f"{value:.2f}", self.style)

    def title(self) -> str:
        return _("รายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกันการทุจริต %(round)s ประจำปีงบประมาณ พ.ศ. %(year)s") % {
            "round": rules().rounds[self.round.months].title_th,
            "year": year(self.round.fiscal_year, self.style),
        }

    def cover(self) -> list[Block]:
        org = self.round.organization
        start, end = rules().rounds[self.round.months].period(self.round.fiscal_year)
        period = _("ระหว่างวันที่ %(start)s ถึง %(end)s") % {
            "start": thai_date(start, self.style),
            "end": thai_date(end, self.style),
        }
        if self.round.is_illustrative:
            period += " " + _("(ข้อมูลตัวอย่างประกอบ)")
        return [
            {
                "t": "cover",
                "title": self.title(),
                "period": period,
                "organization": org.name_th,
                "place": " ".join(part for part in (org.district_th, org.province_th) if part),
            },
            {"t": "pagebreak"},
        ]

    def tally_cells(self, label: str, tally: Tally, strong: bool = False) -> list[Cell]:
        right = {"align": "right", "strong": strong}
        return [
            text_cell(label, strong=strong),
            text_cell(self.n(tally.items), **right),
            text_cell(self.n(tally.completed), **right),
            text_cell(self.n(tally.in_progress), **right),
            text_cell(self.n(tally.cannot), **right),
            text_cell(self.n(tally.waiting), **right),
            text_cell(baht(tally.planned, self.style), **right),
            text_cell(baht(tally.ordinance, self.style), **right),
            text_cell(baht(tally.disbursed, self.style), **right),
            text_cell(self.percent(tally.disbursed_percent), **right),
        ]

    def summary_section(self) -> list[Block]:
        s = self.summary
        blocks: list[Block] = [
            heading(1, _("สรุปผลการดำเนินงาน")),
            para(
                _("คะแนนการดำเนินงาน ร้อยละ %(score)s (%(band)s) จาก %(items)s รายการที่นับรวม")
                % {
                    "score": self.percent(s.total.score),
                    "band": s.band.title_th,
                    "items": self.n(s.total.items),
                },
                indent=True,
            ),
        ]
        header = [
            [
                head_cell(text)
                for text in (
                    _("มิติ"),
                    _("รายการ"),
                    _("แล้วเสร็จ"),
                    _("อยู่ระหว่างดำเนินการ"),
                    _("ดำเนินการไม่ได้"),
                    _("รอรายงานผล"),
                    _("งบตามแผน (บาท)"),
                    _("งบตามข้อบัญญัติ (บาท)"),
                    _("เบิกจ่าย (บาท)"),
                    _("ร้อยละเบิกจ่าย"),
                )
            ]
        ]
        rows: list[dict[str, Any]] = [
            {"keep": True, "cells": self.tally_cells(f"{self.n(d.number)}. {d.title}", d.tally)}
            for d in s.dimensions
        ]
        rows.append({"keep": True, "cells": self.tally_cells(_("รวม"), s.total, strong=True)})
        amounts = [fit(*(p["text"] for r in rows for p in r["cells"][i]["paras"])) for i in (6, 7, 8)]
        blocks.append(table([5, 1.2, 1.2, 1.6, 1.6, 1.4, *amounts, 1.4], header, rows, landscape=True))
        return blocks

    def items_section(self) -> list[Block]:
        header = [
            [
                head_cell(text)
                for text in (
                    _("ที่"),
                    _("โครงการ/กิจกรรม/มาตรการ"),
                    _("งบตามแผน (บาท)"),
                    _("งบตามข้อบัญญัติ (บาท)"),
                    _("เบิกจ่าย (บาท)"),
                    _("สถานะการดำเนินงาน"),
                    _("ไตรมาส"),
                    _("หมายเหตุ"),
                )
            ]
        ]
        rows: list[dict[str, Any]] = []
        results: list[Block] = []
        reasons = {r.key: r.title_th for r in rules().reasons}
        for index, row in enumerate(
            (r for r in round_rows(self.round, set()) if r.item is not None), start=1
        ):
            report = row.report
            if report.out_of_scope:
                status = _("ไม่สอดคล้องกับมิติ (ไม่นับรวม)")
            elif report.status:
                status = str(report.get_status_display())
            else:
                status = _("รอรายงานผล")
            if report.reason:
                status += f" ({reasons.get(report.reason, report.reason)}{': ' + report.reason_text if report.reason_text else ''})"
            remark = "\n".join(t for t in (report.narrative, report.remark) if t)
            rows.append(
                {
                    "keep": False,
                    "cells": [
                        text_cell(self.n(index), align="right"),
                        text_cell(report.title),
                        text_cell(baht(row.plan_budget, self.style), align="right"),
                        text_cell(baht(report.ordinance_budget, self.style), align="right"),
                        text_cell(baht(report.disbursed, self.style), align="right"),
                        text_cell(status),
                        text_cell(", ".join(self.n(q) for q in report.quarters) or "-"),
                        text_cell(remark),
                    ],
                }
            )
            for slot in report.indicator_results:
                results.append(
                    para(
                        _("%(n)s. %(indicator)s: เป้าหมาย %(target)s ผล %(result)s")
                        % {
                            "n": self.n(index),
                            "indicator": slot.get("indicator", ""),
                            "target": digits(
                                f"{slot.get('target') or '-'} {slot.get('unit') or ''}".strip(), self.style
                            ),
                            "result": digits(str(slot.get("result") or "-"), self.style),
                        }
                    )
                )
        # Amount and quarter columns fit their digits; their headers wrap.
        fitted = [fit(*(p["text"] for r in rows for p in r["cells"][i]["paras"])) for i in (2, 3, 4, 6)]
        blocks: list[Block] = [heading(1, _("ผลการดำเนินงานรายโครงการ/กิจกรรม/มาตรการ"))]
        if rows:
            blocks.append(
                table([fit(self.n(len(rows))), 8, *fitted[:3], 4, fitted[3], 7], header, rows, landscape=True)
            )
        else:
            blocks.append(para(_("ยังไม่มีโครงการ/กิจกรรม/มาตรการในแผนนี้"), align="center"))
        if results:
            blocks += [heading(1, _("ผลตามตัวชี้วัด")), *results]
        return blocks

    def signature(self) -> list[Block]:
        approver = self.round.approved_by
        name = (approver.get_full_name() or approver.get_username()) if approver is not None else ""
        return [
            para(""),
            para(_("ลงชื่อ ........................................................"), align="right"),
            para(f"( {name or '........................................'} )", align="right"),
            para(_("ผู้บริหารท้องถิ่น"), align="right"),
            para(
                _("วันที่ %(date)s") % {"date": thai_date(self.round.approved_at.date(), self.style)}
                if self.round.approved_at
                else _("วันที่ ........................................"),
                align="right",
            ),
        ]


def report_document(report_round: ReportRound) -> DocumentData:
    """The round's report document as JSON-ready data for ``compile_pdf`` and ``compile_docx``."""
    builder = _Builder(report_round)
    draft = report_round.status == RoundStatus.DRAFT
    return DocumentData(
        meta=document_meta(
            builder.title(),
            report_round.organization.name_th,
            builder.style,
            _("ฉบับร่าง") if draft else "",
        ),
        sections=[
            {"landscape": False, "numbered": False, "restart": False, "blocks": builder.cover()},
            {
                "landscape": True,
                "numbered": True,
                "restart": True,
                "blocks": [
                    *builder.summary_section(),
                    {"t": "pagebreak"},
                    *builder.items_section(),
                    *builder.signature(),
                ],
            },
        ],
    )


def report_pdf(report_round: ReportRound) -> bytes:
    from prongsai.documents.pdf import compile_pdf

    return compile_pdf(report_document(report_round), report_round.published_at)


def report_docx(report_round: ReportRound) -> bytes:
    from prongsai.documents.word import compile_docx

    return compile_docx(report_document(report_round))
