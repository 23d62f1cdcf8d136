"""The plan document as data: sections of blocks that the PDF (Typst) and the Word renderers both lay out.

Everything a reader sees is decided here — order, numbering, digits, wording — so the two formats cannot
drift apart, and the Typst template only styles blocks. User text stays plain strings all the way: the
template receives this structure as JSON and never evaluates any of it as markup.

Digits: labels, years and page numbers follow the plan's setting (Thai by default); ``amount_digits``
chooses the digits of the amount columns only (budget tables and Part 3 budgets), because Arabic digits
are accepted in finance tables while the rest of an official document keeps Thai digits.

The block kinds, their helpers and the page geometry are generic and live in ``blocks.py``, shared by
every document (the plan here, the report in ``reports/document.py``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai.documents.blocks import (
    LANDSCAPE_WIDTH_CM,
    ROWS_PER_TABLE,
    SHEETS_PER_RUN,
    Block,
    Cell,
    DocumentData,
    Section,
    cell,
    clean,
    document_meta,
    entry,
    fit,
    head_cell,
    heading,
    least_width_cm,
    para,
    paragraphs_of,
    place_cells,
    share_widths,
    table,
    text_cell,
)
from prongsai.documents.record import LogPosition, publication_position
from prongsai.lib.thai import baht, digits, number, thai_date, year
from prongsai.plans import part1
from prongsai.plans.content import SectionView, part1_headings, part1_view
from prongsai.plans.models import ItemKind, Mission, Plan, PlanItem, PlanStatus
from prongsai.plans.summary import DimensionTable, PlanTables, Totals, plan_tables

# The least widths of Part 2's text columns: a mission's code and two words; an item's number and a word
# or two. What the amounts leave above these goes where it makes the table shortest.
MISSION_LEAST_CM = 3.0
ITEM_LEAST_CM = 5.0
COUNTS_LEAST_CM = 3.0  # the summary's "๒ โครงการ ๓ กิจกรรม …"


class _Builder:
    def __init__(self, plan: Plan, amount_digits: str | None) -> None:
        self.plan = plan
        self.text_digits = plan.digits
        self.amount_digits = amount_digits or plan.digits
        self.organization = plan.organization

    # --- numbers -----------------------------------------------------------------------------------

    def n(self, value: int) -> str:
        return number(value, self.text_digits)

    def code(self, code: str) -> str:
        return digits(code, self.text_digits)

    def amount(self, value: Decimal | None) -> str:
        return baht(value, self.amount_digits)

    def period(self) -> str:
        return _("(พ.ศ. %(first)s - %(last)s)") % {
            "first": year(self.plan.first_year, self.text_digits),
            "last": year(self.plan.last_year, self.text_digits),
        }

    def part_title(self, number_: int, title: str) -> str:
        return _("ส่วนที่ %(number)s %(title)s") % {"number": self.n(number_), "title": title}

    def dimension_title(self, dimension: DimensionTable) -> str:
        return _("มิติที่ %(number)s %(title)s") % {
            "number": self.n(dimension.dimension.number),
            "title": dimension.dimension.title_th,
        }

    def mission_title(self, mission: Mission) -> str:
        return f"{self.code(mission.code)} {mission.title_th}"

    def counts(self, totals: Totals, total: bool = True) -> str:
        """ "รวม N โครงการ M กิจกรรม K มาตรการ" (without "รวม" when ``total`` is false)."""
        numbers = {
            "projects": self.n(totals.projects),
            "activities": self.n(totals.activities),
            "measures": self.n(totals.measures),
        }
        if total:
            text = _("รวม %(projects)s โครงการ %(activities)s กิจกรรม %(measures)s มาตรการ") % numbers
        else:
            text = _("%(projects)s โครงการ %(activities)s กิจกรรม %(measures)s มาตรการ") % numbers
        if totals.guidelines:
            text += " " + _("%(guidelines)s แนวปฏิบัติ") % {"guidelines": self.n(totals.guidelines)}
        return text

    def budget_header(self, before: list[str], after: list[str]) -> list[list[Cell]]:
        """Two header rows: the columns of ``before``/``after`` span both; the budget columns sit under
        one "งบประมาณ (บาท)" cell, a fiscal year each."""
        years = self.plan.years
        first = [
            *[head_cell(text, rowspan=2) for text in before],
            head_cell(_("งบประมาณ (บาท)"), colspan=len(years)),
            *[head_cell(text, rowspan=2) for text in after],
        ]
        second = [head_cell(_("ปี %(year)s") % {"year": year(y, self.text_digits)}) for y in years]
        return [first, second]

    def amount_widths(self, header: list[list[Cell]], rows: list[dict[str, Any]], first: int) -> list[Any]:
        """A fitted width for each year column (from column ``first``): its year heading and every amount in it."""
        place_cells(header, rows)
        widths = []
        for offset, heading_cell in enumerate(header[1]):
            column = first + offset
            texts = [p["text"] for p in heading_cell["paras"]]
            texts += [
                p["text"] for r in rows for c in r["cells"] if c.get("col") == column for p in c["paras"]
            ]
            widths.append(fit(*texts))
        return widths

    # --- front matter ------------------------------------------------------------------------------

    def front(self, sections: dict[str, SectionView]) -> list[Block]:
        org = self.organization
        blocks: list[Block] = [
            {
                "t": "cover",
                "title": clean(self.plan.title),
                "period": self.period(),
                "organization": clean(org.name_th),
                "place": clean(" ".join(part for part in (org.district_th, org.province_th) if part)),
            },
            {"t": "pagebreak"},
            heading(1, _("คำนำ"), outline=False),
        ]
        blocks += [para(e.text, indent=True) for e in sections["preface"].entries]
        blocks += [para(""), para(org.name_th, align="right")]
        blocks += [
            {"t": "pagebreak"},
            heading(1, _("สารบัญ"), outline=False),
            {"t": "toc", "subject": _("เรื่อง"), "page": _("หน้า")},
        ]
        return blocks

    # --- Part 1 ------------------------------------------------------------------------------------

    def section_blocks(self, view: SectionView) -> list[Block]:
        if view.section.kind == part1.Kind.LIST:
            return [entry(e.label, e.text) for e in view.entries]
        return [para(e.text, indent=True) for e in view.entries]

    def pair_rows(self, left: SectionView, right: SectionView) -> list[dict[str, Any]]:
        """The entries of two lists side by side, one row per pair and no rule between the rows, so that
        the table looks like two ruled columns while a page can break only between entries."""
        rows = []
        for index in range(max(len(left.entries), len(right.entries), 1)):
            cells = [
                cell(entry(view.entries[index].label, view.entries[index].text))
                if index < len(view.entries)
                else cell()
                for view in (left, right)
            ]
            rows.append({"keep": True, "rule": index == 0, "cells": cells})
        return rows

    def situation_table(self, sections: dict[str, SectionView]) -> Block:
        rows = []
        for general, specific in zip(part1.SITUATION_GENERAL, part1.SITUATION_SPECIFIC, strict=True):
            left, right = sections[general], sections[specific]
            rows.append(
                {
                    "keep": True,
                    "cells": [
                        text_cell(str(left.section.title), align="center", strong=True),
                        text_cell(str(right.section.title), align="center", strong=True),
                    ],
                }
            )
            rows += self.pair_rows(left, right)
        header = [[head_cell(_("สภาพการณ์ทั่วไป")), head_cell(_("สภาพการณ์เฉพาะ"))]]
        return table([1, 1], header, rows, landscape=False)

    def swot_table(self, left: SectionView, right: SectionView) -> Block:
        header = [[head_cell(str(left.section.title)), head_cell(str(right.section.title))]]
        return table([1, 1], header, self.pair_rows(left, right), landscape=False)

    def part1(self, sections: dict[str, SectionView]) -> list[Block]:
        titles = part1_headings(self.plan)

        def title(key: str, section_key: str) -> str:
            return titles.get(key) or str(part1.section(section_key).title)

        blocks = [heading(1, self.part_title(1, _("บทนำ")))]
        blocks.append(heading(2, f"{self.n(1)}. {title('risk_analysis', 'risk_factors')}"))
        blocks.append(heading(3, f"{self.code('1.1')} {title('swot', 'strengths')}", outline=False))
        blocks.append(para(_("การวิเคราะห์สภาพการณ์ทั่วไป / สภาพการณ์เฉพาะ"), align="center", strong=True))
        blocks.append(self.situation_table(sections))
        blocks.append(self.swot_table(sections["strengths"], sections["weaknesses"]))
        blocks.append(self.swot_table(sections["opportunities"], sections["threats"]))
        for key in ("swot_summary", "swot_conclusions"):
            blocks += self.section_blocks(sections[key])
        blocks.append(heading(3, f"{self.code('1.2')} {title('ita', 'ita_results')}", outline=False))
        for key in ("ita_results", "risk_summary", "risk_factors"):
            blocks += self.section_blocks(sections[key])
        blocks.append(heading(2, f"{self.n(2)}. {title('rationale', 'rationale')}"))
        for key in ("rationale", "national_strategies", "rationale_closing"):
            blocks += self.section_blocks(sections[key])
        numbered = [("objectives", "objectives"), ("targets", "targets")]
        if sections["benefits"].entries:  # optional in the DLA template: printed only when written
            numbered.append(("benefits", "benefits"))
        for number_, (key, section_key) in enumerate(numbered, start=3):
            blocks.append(heading(2, f"{self.n(number_)}. {title(key, section_key)}"))
            blocks += self.section_blocks(sections[section_key])
        return blocks

    # --- Part 2 ------------------------------------------------------------------------------------

    def budget_cells(self, totals: list[Decimal | None], strong: bool = False) -> list[Cell]:
        return [text_cell(self.amount(value), align="right", strong=strong) for value in totals]

    def item_budgets(self, item: PlanItem) -> list[Decimal | None]:
        amounts = {b.fiscal_year: b.amount for b in item.budgets.all()}
        return [amounts.get(fiscal_year) for fiscal_year in self.plan.years]

    def item_note(self, item: PlanItem) -> str:
        notes = [item.note] if item.note else []
        if item.is_illustrative:
            notes.append(_("ตัวอย่างประกอบ"))
        return "\n".join(notes)

    def dimension_tables(self, dimension: DimensionTable) -> list[Block]:
        """ภารกิจตามมิติ | โครงการ/กิจกรรม/มาตรการ | one amount column per year | หมายเหตุ. The amount columns
        are as narrow as their amounts allow; the mission, the item and the note share the rest as makes
        the table shortest for this plan's texts (``share_widths``), each at least ``*_LEAST_CM`` wide
        (the note at least its heading).

        A long table goes on from a new page at a top-level mission once it holds ``ROWS_PER_TABLE`` items
        (the PDF is laid out in pieces cut at page breaks: no piece grows with the plan)."""
        years = self.plan.years
        header = self.budget_header([_("ภารกิจตามมิติ"), _("โครงการ/กิจกรรม/มาตรการ")], [_("หมายเหตุ")])
        columns = len(years) + 3
        parents = {row.mission.parent_id for row in dimension.rows}
        parts: list[list[dict[str, Any]]] = [[]]
        items = 0
        for row in dimension.rows:
            if row.mission.parent_id is None and items >= ROWS_PER_TABLE:
                parts.append([])
                items = 0
            rows = parts[-1]
            items += len(row.items)
            if not row.items:
                if row.mission.pk in parents:  # a mission grouping the ones below: a row across the table
                    rows.append(
                        {
                            "keep": True,
                            "with_next": True,  # never alone at the foot of a page
                            "cells": [text_cell(self.mission_title(row.mission), colspan=columns)],
                        }
                    )
                else:
                    blank = [text_cell("") for _column in range(columns - 1)]
                    rows.append({"keep": True, "cells": [text_cell(self.mission_title(row.mission)), *blank]})
                continue
            mission = text_cell(self.mission_title(row.mission), rowspan=len(row.items))
            # On a page the mission's items continue onto, the PDF repeats its title with "(ต่อ)".
            mission["continued"] = {
                "key": f"mission-{row.mission.pk}",
                "text": _("%(mission)s (ต่อ)") % {"mission": self.mission_title(row.mission)},
            }
            for index, item in enumerate(row.items, start=1):
                cells = [mission] if index == 1 else []
                cells.append(cell(entry(f"{self.n(index)})", item.title)))
                cells += self.budget_cells(self.item_budgets(item))
                cells.append(text_cell(self.item_note(item)))
                rows.append({"keep": True, "cells": cells})
        last = parts[-1]
        if last:
            last[-1]["with_next"] = True  # the total row is never alone on a page
        last.append(
            {
                "keep": True,
                "cells": [
                    text_cell(self.counts(dimension.totals), colspan=2, align="center", strong=True),
                    *self.budget_cells(dimension.totals.budget_list(), strong=True),
                    text_cell(""),
                ],
            }
        )
        every_row = [row for part in parts for row in part]
        specs = [1, 1, *self.amount_widths(header, every_row, 2), 1]
        # The note's cells have the ordinary inset, not the fitted columns' narrower one.
        note_least = least_width_cm(_("หมายเหตุ"))
        widths = share_widths(
            every_row,
            specs,
            {0: MISSION_LEAST_CM, 1: ITEM_LEAST_CM, len(specs) - 1: note_least},
            LANDSCAPE_WIDTH_CM,
        )
        blocks: list[Block] = []
        for part in parts:
            if blocks:
                blocks.append({"t": "pagebreak"})
            blocks.append(table(widths, header, part, landscape=True))
        return blocks

    def summary_table(self, tables: PlanTables) -> Block:
        header = self.budget_header([_("มิติ"), _("จำนวน")], [_("รวมทุกปี") + "\n" + _("(บาท)")])

        def row(label: str, totals: Totals, strong: bool = False) -> dict[str, Any]:
            return {
                "keep": True,
                "cells": [
                    text_cell(label, strong=strong, align="center" if strong else "left"),
                    text_cell(self.counts(totals, total=False), strong=strong),
                    *self.budget_cells(totals.budget_list(), strong=strong),
                    text_cell(self.amount(totals.grand_total), align="right", strong=strong),
                ],
            }

        rows = [row(self.dimension_title(t), t.totals) for t in tables.dimensions]
        if rows:
            rows[-1]["with_next"] = True
        rows.append(row(_("รวมทั้งสิ้น"), tables.totals, strong=True))
        grand = [p["text"] for r in rows for p in r["cells"][-1]["paras"]]
        specs = [1, 1, *self.amount_widths(header, rows, 2), fit(_("รวมทุกปี"), _("(บาท)"), *grand)]
        place_cells(header, rows)
        widths = share_widths(rows, specs, {0: MISSION_LEAST_CM, 1: COUNTS_LEAST_CM}, LANDSCAPE_WIDTH_CM)
        return table(widths, header, rows, landscape=True)

    def part2(self, tables: PlanTables) -> list[Block]:
        """One table per dimension, each from a new page, then the summary on a page of its own."""
        blocks = [
            heading(1, self.part_title(2, _("แผนปฏิบัติการป้องกันการทุจริต"))),
            para(f"{self.plan.title} {self.period()}", align="center", strong=True),
        ]
        for index, dimension in enumerate(tables.dimensions):
            if index:
                blocks.append({"t": "pagebreak"})
            blocks.append(heading(2, self.dimension_title(dimension)))
            blocks += self.dimension_tables(dimension)
        blocks.append({"t": "pagebreak"})
        blocks.append(heading(2, _("สรุปจำนวนโครงการ/กิจกรรม/มาตรการ และงบประมาณ")))
        blocks.append(self.summary_table(tables))
        return blocks

    # --- Part 3 ------------------------------------------------------------------------------------

    def budget_lines(self, item: PlanItem) -> list[str]:
        amounts = self.item_budgets(item)
        if all(a is None for a in amounts):
            return [_("ดำเนินการโดยไม่ใช้งบประมาณ")]
        return [
            _("ปี %(year)s จำนวน %(amount)s บาท")
            % {"year": year(y, self.text_digits), "amount": self.amount(a)}
            if a is not None
            else _("ปี %(year)s ไม่ใช้งบประมาณ") % {"year": year(y, self.text_digits)}
            for y, a in zip(self.plan.years, amounts, strict=True)
        ]

    def indicator_lines(self, item: PlanItem) -> list[Block]:
        lines = []
        for index, indicator in enumerate(item.indicators.all(), start=1):
            text = indicator.description
            if indicator.target_value is not None:
                text += " " + _("ค่าเป้าหมาย %(value)s %(unit)s") % {
                    "value": number(indicator.target_value, self.text_digits),
                    "unit": indicator.unit,
                }
            lines.append(entry(f"{self.n(index)})", text.strip()))
        return lines

    def sheet(
        self, dimension: DimensionTable, chain: list[Mission], index: int, item: PlanItem
    ) -> list[Block]:
        names = {
            ItemKind.PROJECT: _("ชื่อโครงการ"),
            ItemKind.ACTIVITY: _("ชื่อกิจกรรม"),
            ItemKind.MEASURE: _("ชื่อมาตรการ"),
            ItemKind.GUIDELINE: _("ชื่อแนวปฏิบัติ"),
        }
        blocks = [para(self.dimension_title(dimension), strong=True, keep=True)]
        blocks += [
            para(_("ภารกิจตามมิติ %(mission)s") % {"mission": self.mission_title(m)}, strong=True, keep=True)
            for m in chain
        ]
        blocks.append(para(_("ลำดับที่ %(number)s") % {"number": self.n(index)}, strong=True, keep=True))

        def field(number_: int, name: str, body: list[Block]) -> None:
            blocks.append(para(f"{self.n(number_)}. {name}", strong=True, keep=True))
            blocks.extend(body or [para("-", indent=True)])

        def text_field(value: str) -> list[Block]:
            return [para(p, indent=True) for p in paragraphs_of(value)]

        field(1, names.get(ItemKind(item.kind), names[ItemKind.PROJECT]), [para(item.title, indent=True)])
        field(2, _("หลักการและเหตุผล"), text_field(item.rationale))
        field(3, _("วัตถุประสงค์"), text_field(item.objectives))
        field(4, _("เป้าหมาย/ผลผลิต"), text_field(item.outputs))
        field(5, _("พื้นที่ดำเนินการ"), text_field(item.area))
        field(6, _("วิธีดำเนินการ"), text_field(item.method))
        field(7, _("ระยะเวลาดำเนินการ"), text_field(item.duration))
        field(8, _("งบประมาณดำเนินการ"), [para(line, indent=True) for line in self.budget_lines(item)])
        field(9, _("ผู้รับผิดชอบโครงการ"), text_field(item.responsible or item.responsible_unit))
        field(10, _("ตัวชี้วัด/ผลลัพธ์"), self.indicator_lines(item))
        return blocks

    # --- publication record ------------------------------------------------------------------------

    def record_section(self, position: LogPosition | None) -> list[Section]:
        """For a published plan: who approved and published it and where the change log stood (see
        ``record.py``), so a printed copy can be checked against the log and its signed checkpoints."""
        plan = self.plan
        if plan.status != PlanStatus.PUBLISHED:
            return []
        position = position or publication_position(plan)

        def person(user: Any) -> str:
            return (user.get_full_name() or user.get_username()) if user is not None else "-"

        def when(value: dt.datetime | None) -> str:
            return thai_date(timezone.localtime(value), self.text_digits, with_time=True) if value else "-"

        blocks: list[Block] = [
            heading(1, _("บันทึกการประกาศ")),
            para(
                _("ฉบับแก้ไขที่ %(revision)s อนุมัติโดย %(approver)s เมื่อ %(approved)s")
                % {
                    "revision": self.n(plan.revision),
                    "approver": person(plan.approved_by),
                    "approved": when(plan.approved_at),
                },
                indent=True,
            ),
            para(
                _("ประกาศโดย %(publisher)s เมื่อ %(published)s")
                % {"publisher": person(plan.published_by), "published": when(plan.published_at)},
                indent=True,
            ),
        ]
        if position is not None:
            blocks += [
                para(
                    _(
                        "ก่อนการประกาศนี้ บันทึกการเปลี่ยนแปลง %(origin)s มี %(size)s รายการ "
                        "และค่าแฮช (SHA-256) ของรายการล่าสุดคือ"
                    )
                    % {"origin": position.origin, "size": self.n(position.size)},
                    indent=True,
                ),
                *(para(line, align="center") for line in position.head_lines),
                para(
                    _(
                        "การประกาศเอกสารฉบับนี้บันทึกไว้ในรายการถัดไปของบันทึกเดียวกัน พร้อมค่าแฮชของไฟล์ PDF "
                        "ผู้ใดถือสำเนาไว้สามารถตรวจสอบได้ว่าบันทึกต่อจากจุดนี้โดยไม่ถูกแก้ไข "
                        "ด้วยจุดตรวจสอบที่ลงลายมือชื่อดิจิทัล (prongsai audit verify)"
                    ),
                    indent=True,
                ),
            ]
        return [{"landscape": False, "numbered": True, "restart": False, "blocks": blocks}]

    def part3(self, tables: PlanTables) -> list[Block]:
        """The sheets one after another with a gap between two; a dimension's first sheet starts a new page,
        and so does every ``SHEETS_PER_RUN``-th sheet after it (the PDF is laid out in runs of sheets)."""
        blocks = [heading(1, self.part_title(3, _("รายละเอียดโครงการ/กิจกรรม/มาตรการ ตามแผนปฏิบัติการฯ")))]
        by_id = {row.mission.pk: row.mission for dimension in tables.dimensions for row in dimension.rows}
        sheets = 0
        for dimension in tables.dimensions:
            in_dimension = 0
            for row in dimension.rows:
                chain: list[Mission] = []
                mission: Mission | None = row.mission
                while mission is not None:
                    chain.insert(0, mission)
                    mission = by_id.get(mission.parent_id) if mission.parent_id else None
                for index, item in enumerate(row.items, start=1):
                    if sheets and in_dimension % SHEETS_PER_RUN == 0:
                        blocks.append({"t": "pagebreak"})
                    elif sheets:
                        blocks.append({"t": "gap"})
                    sheets += 1
                    in_dimension += 1
                    blocks += self.sheet(dimension, chain, index, item)
        if not sheets:
            blocks.append(para(_("ยังไม่มีโครงการ/กิจกรรม/มาตรการในแผนนี้"), align="center"))
        return blocks


def document_data(
    plan: Plan, amount_digits: str | None = None, log_position: LogPosition | None = None
) -> DocumentData:
    """The whole document of ``plan`` as JSON-ready data (see the module docstring for the blocks).

    A published plan ends with its publication record; ``log_position`` is where the change log stood
    when it was published (given while publishing, read back from the log entry afterwards)."""
    builder = _Builder(plan, amount_digits)
    sections = part1_view(plan)
    tables = plan_tables(plan)
    draft = plan.status != PlanStatus.PUBLISHED
    return {
        "meta": document_meta(
            plan.title,
            plan.organization.name_th,
            plan.digits,
            _("ฉบับร่าง") if draft else "",
            names=[plan.organization.district_th, plan.organization.province_th],
        ),
        "sections": [
            {
                "landscape": False,
                "numbered": False,
                "restart": False,
                "blocks": builder.front(sections),
            },
            {
                "landscape": False,
                "numbered": True,
                "restart": True,
                "blocks": builder.part1(sections),
            },
            {
                "landscape": True,
                "numbered": True,
                "restart": False,
                "blocks": builder.part2(tables),
            },
            {
                "landscape": False,
                "numbered": True,
                "restart": False,
                "blocks": builder.part3(tables),
            },
            *builder.record_section(log_position),
        ],
    }
