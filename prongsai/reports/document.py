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


def _words(text: str) -> list[str]:
    """The words of a heading, as the dictionary cuts them: a column must be as wide as its longest one,
    or the word spills out of the cell (Typst does not break a Thai word it knows)."""
    from pythainlp.tokenize import word_tokenize

    return [w for w in word_tokenize(text, engine="newmm", keep_whitespace=False) if w.strip()]


def fit_column(heading: str, *values: str) -> dict[str, list[str]]:
    """A column as wide as its widest value or the longest word of its heading (at most a fifth)."""
    return fit(*values, *_words(heading))


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

    def status_cells(self, label: str, tally: Tally, strong: bool = False) -> list[Cell]:
        right = {"align": "right", "strong": strong}
        return [
            text_cell(label, strong=strong),
            text_cell(self.n(tally.items), **right),
            text_cell(self.n(tally.completed), **right),
            text_cell(self.n(tally.in_progress), **right),
            text_cell(self.n(tally.cannot), **right),
            text_cell(self.n(tally.waiting), **right),
            text_cell(self.percent(tally.score), **right),
        ]

    def budget_cells(self, label: str, tally: Tally, strong: bool = False) -> list[Cell]:
        right = {"align": "right", "strong": strong}
        return [
            text_cell(label, strong=strong),
            text_cell(baht(tally.planned, self.style), **right),
            text_cell(baht(tally.ordinance, self.style), **right),
            text_cell(baht(tally.disbursed, self.style), **right),
            text_cell(self.percent(tally.disbursed_percent), **right),
        ]

    def tally_table(self, titles: list[str], cells: Any) -> Block:
        """One row per dimension and the total; every figure column as wide as its widest figure or the
        longest word of its heading, the dimension's name takes the rest (so it is not cut into syllables)."""
        s = self.summary
        header = [[head_cell(text) for text in titles]]
        rows: list[dict[str, Any]] = [
            # with_next: a table this short stays on one page when it fits there.
            {"keep": True, "with_next": True, "cells": cells(f"{self.n(d.number)}. {d.title}", d.tally)}
            for d in s.dimensions
        ]
        rows.append({"keep": True, "cells": cells(_("รวม"), s.total, True)})
        widths: list[Any] = [1]
        for column in range(1, len(titles)):
            widths.append(
                fit_column(titles[column], *(p["text"] for r in rows for p in r["cells"][column]["paras"]))
            )
        return table(widths, header, rows, landscape=True)

    def summary_section(self) -> list[Block]:
        s = self.summary
        # Two tables, statuses then money: ten figure columns side by side leave the dimension no room.
        return [
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
            heading(2, _("สถานะการดำเนินงานรายมิติ")),
            self.tally_table(
                [
                    _("มิติ"),
                    _("รายการ"),
                    _("แล้วเสร็จ"),
                    _("อยู่ระหว่างดำเนินการ"),
                    _("ดำเนินการไม่ได้"),
                    _("รอรายงานผล"),
                    _("คะแนน (ร้อยละ)"),
                ],
                self.status_cells,
            ),
            heading(2, _("งบประมาณรายมิติ")),
            self.tally_table(
                [
                    _("มิติ"),
                    _("งบตามแผน (บาท)"),
                    _("งบตามข้อบัญญัติ (บาท)"),
                    _("เบิกจ่าย (บาท)"),
                    _("ร้อยละเบิกจ่าย"),
                ],
                self.budget_cells,
            ),
        ]

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
        results: list[dict[str, Any]] = []
        reasons = {r.key: r.title_th for r in rules().reasons}
        statuses: list[str] = []
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
            statuses.append(status)
            status_paras = [status]
            if report.reason:
                reason = reasons.get(report.reason, report.reason)
                status_paras.append(
                    f"({reason}: {report.reason_text})" if report.reason_text else f"({reason})"
                )
            # What was done reads under the item's title, where the column is wide; the remark keeps its own.
            title_cell = text_cell(report.title, strong=False)
            title_cell["paras"] = [para(report.title, strong=True)] + [
                para(line) for line in report.narrative.split("\n") if line.strip()
            ]
            status_cell = text_cell(status_paras[0])
            status_cell["paras"] += [para(text) for text in status_paras[1:]]
            rows.append(
                {
                    # An item's row stays on one page (the engine lets a row too tall for a page break).
                    "keep": True,
                    "cells": [
                        text_cell(self.n(index), align="right"),
                        title_cell,
                        text_cell(baht(row.plan_budget, self.style), align="right"),
                        text_cell(baht(report.ordinance_budget, self.style), align="right"),
                        text_cell(baht(report.disbursed, self.style), align="right"),
                        status_cell,
                        text_cell(", ".join(self.n(q) for q in report.quarters) or "-"),
                        text_cell(report.remark),
                    ],
                }
            )
            for position, slot in enumerate(report.indicator_results):
                target = f"{slot.get('target') or '-'} {slot.get('unit') or ''}".strip()
                result = (
                    f"{slot.get('result') or '-'} {slot.get('unit') or ''}".strip()
                    if slot.get("result")
                    else "-"
                )
                results.append(
                    {
                        "keep": True,
                        # An item's indicators stay on one page together when they fit.
                        "with_next": position < len(report.indicator_results) - 1,
                        "cells": [
                            text_cell(self.n(index) if position == 0 else "", align="right"),
                            text_cell(str(slot.get("indicator", ""))),
                            text_cell(digits(target, self.style), align="right"),
                            text_cell(digits(result, self.style), align="right"),
                        ],
                    }
                )
        titles = [
            _("ที่"),
            _("โครงการ/กิจกรรม/มาตรการ และผลการดำเนินงาน"),
            _("ตามแผน"),
            _("ตามข้อบัญญัติ"),
            _("เบิกจ่าย"),
            _("สถานะการดำเนินงาน"),
            _("ไตรมาส"),
            _("หมายเหตุ"),
        ]
        # Two header rows: the three amounts under one "budget (baht)" heading, so each needs only its word.
        header = [
            [
                *(head_cell(text, rowspan=2) for text in titles[:2]),
                head_cell(_("งบประมาณ (บาท)"), colspan=3),
                *(head_cell(text, rowspan=2) for text in titles[5:]),
            ],
            [head_cell(text) for text in titles[2:5]],
        ]

        def column(i: int) -> list[str]:
            return [p["text"] for r in rows for p in r["cells"][i]["paras"]]

        # Figures, the status and the quarters as wide as their content (the words of the status, not the
        # reason under it); the title with what was done takes most of the rest, the remark a little.
        widths: list[Any] = [
            fit(*column(0), *_words(titles[0])),
            6,
            fit_column(titles[2], *column(2)),
            fit_column(titles[3], *column(3)),
            fit_column(titles[4], *column(4)),
            fit(*(w for status in statuses for w in _words(status)), *_words(titles[5])),
            fit_column(titles[6], *column(6)),
            4,
        ]
        blocks: list[Block] = [heading(1, _("ผลการดำเนินงานรายโครงการ/กิจกรรม/มาตรการ"))]
        if rows:
            blocks.append(table(widths, header, rows, landscape=True))
        else:
            blocks.append(para(_("ยังไม่มีโครงการ/กิจกรรม/มาตรการในแผนนี้"), align="center"))
        if results:
            result_titles = [_("ที่"), _("ตัวชี้วัด"), _("เป้าหมาย"), _("ผล")]
            result_header = [[head_cell(text) for text in result_titles]]

            def result_column(i: int) -> list[str]:
                return [p["text"] for r in results for p in r["cells"][i]["paras"]]

            blocks += [
                heading(1, _("ผลตามตัวชี้วัด")),
                table(
                    [
                        fit(*result_column(0), *_words(result_titles[0])),
                        1,
                        fit_column(result_titles[2], *result_column(2)),
                        fit_column(result_titles[3], *result_column(3)),
                    ],
                    result_header,
                    results,
                    landscape=True,
                ),
            ]
        return blocks

    def signature(self) -> list[Block]:
        approver = self.round.approved_by
        name = (approver.get_full_name() or approver.get_username()) if approver is not None else ""
        # One block: every line but the last is kept with the next, so the signature never splits.
        return [
            para("", keep=True),
            para(
                _("ลงชื่อ ........................................................"), align="right", keep=True
            ),
            para(f"( {name or '........................................'} )", align="right", keep=True),
            para(_("ผู้บริหารท้องถิ่น"), align="right", keep=True),
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
            names=[report_round.organization.district_th, report_round.organization.province_th],
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
