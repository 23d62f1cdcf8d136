"""The sections of Part 1 (บทนำ) in document order.

Each section is an ordered list of entries (Part1Entry rows). A ``list`` section numbers its entries
when shown ("๑." / "๑)" / "ยุทธศาสตร์ที่ ๑"); a ``paragraphs`` section shows them as paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind(StrEnum):
    PARAGRAPHS = "paragraphs"
    LIST = "list"


@dataclass(frozen=True)
class Part1Section:
    key: str
    title: str | Promise
    kind: Kind
    numbering: str = ""  # how an entry's number is shown; "{n}" is replaced by its number

    def label(self, number: str) -> str:
        return self.numbering.replace("{n}", number) if self.numbering else ""


SECTIONS: tuple[Part1Section, ...] = (
    Part1Section("preface", _("คำนำ"), Kind.PARAGRAPHS),
    Part1Section("situation_world", _("สังคมโลก"), Kind.LIST, "{n}."),
    Part1Section("situation_thai", _("สังคมไทย"), Kind.LIST, "{n}."),
    Part1Section("situation_individual", _("บุคคล"), Kind.LIST, "{n}."),
    Part1Section("situation_family", _("ครอบครัว"), Kind.LIST, "{n}."),
    Part1Section("situation_community", _("ชุมชน"), Kind.LIST, "{n}."),
    Part1Section("situation_environment", _("สิ่งแวดล้อม"), Kind.LIST, "{n}."),
    Part1Section("strengths", _("จุดแข็ง"), Kind.LIST, "{n}."),
    Part1Section("weaknesses", _("จุดอ่อน"), Kind.LIST, "{n}."),
    Part1Section("opportunities", _("โอกาส"), Kind.LIST, "{n}."),
    Part1Section("threats", _("อุปสรรค"), Kind.LIST, "{n}."),
    Part1Section("swot_summary", _("สรุปผลการวิเคราะห์ SWOT"), Kind.PARAGRAPHS),
    Part1Section("swot_conclusions", _("ข้อสรุปจากการวิเคราะห์ SWOT"), Kind.LIST, "{n}."),
    Part1Section("ita_results", _("ผลการประเมิน ITA"), Kind.PARAGRAPHS),
    Part1Section("risk_summary", _("สรุปการวิเคราะห์ความเสี่ยง"), Kind.PARAGRAPHS),
    Part1Section("risk_factors", _("ปัจจัยเสี่ยงการทุจริต"), Kind.LIST, "{n}."),
    Part1Section("rationale", _("หลักการและเหตุผล"), Kind.PARAGRAPHS),
    Part1Section(
        "national_strategies", _("ยุทธศาสตร์ชาติว่าด้วยการป้องกันและปราบปรามการทุจริต"), Kind.LIST, "ยุทธศาสตร์ที่ {n}"
    ),
    Part1Section("rationale_closing", _("หลักการและเหตุผล (ต่อ)"), Kind.PARAGRAPHS),
    Part1Section("objectives", _("วัตถุประสงค์ของการจัดทำแผน"), Kind.LIST, "{n})"),
    Part1Section("targets", _("เป้าหมาย"), Kind.LIST, "{n})"),
    Part1Section("benefits", _("ประโยชน์ของการจัดทำแผน"), Kind.LIST, "{n})"),
)

BY_KEY: dict[str, Part1Section] = {section.key: section for section in SECTIONS}
SITUATION_GENERAL = ("situation_world", "situation_thai", "situation_individual")
SITUATION_SPECIFIC = ("situation_family", "situation_community", "situation_environment")
SWOT = ("strengths", "weaknesses", "opportunities", "threats")


def section(key: str) -> Part1Section:
    try:
        return BY_KEY[key]
    except KeyError:
        raise LookupError(key) from None
