"""Part 1 as shown: each section's entries with their numbers, in the plan's digits.

Pages and documents both read Part 1 through ``part1_view`` so that they show the same thing.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from dataclasses import dataclass

from prongsai.lib.thai import digits
from prongsai.plans import part1
from prongsai.plans.models import Plan
from prongsai.plans.structure import load_template


@dataclass(frozen=True)
class EntryView:
    label: str  # "๑." / "๑)" / "ยุทธศาสตร์ที่ ๑" or "" for paragraphs
    text: str
    entry_id: int | None  # None for text Prongsai writes from data (the ITA results paragraph)


@dataclass(frozen=True)
class SectionView:
    section: part1.Part1Section
    entries: list[EntryView]


def _generated_ita_paragraph(plan: Plan) -> str | None:
    """The ITA results paragraph written from the organisation's recorded assessment, when the ITA app has one."""
    try:
        module = importlib.import_module("prongsai.ita.plan_text")
    except ModuleNotFoundError:
        return None
    paragraph: str | None = module.results_paragraph(plan)
    return paragraph


def part1_view(plan: Plan) -> dict[str, SectionView]:
    by_section: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for entry_id, key, text in plan.part1_entries.order_by("section", "position").values_list(
        "id", "section", "text"
    ):
        by_section[key].append((entry_id, text))
    view: dict[str, SectionView] = {}
    for section in part1.SECTIONS:
        entries = [
            EntryView(digits(section.label(str(n)), plan.digits), text, entry_id)
            for n, (entry_id, text) in enumerate(by_section.get(section.key, []), start=1)
        ]
        if section.key == "ita_results":
            generated = _generated_ita_paragraph(plan)
            if generated:
                entries.insert(0, EntryView("", generated, None))
        view[section.key] = SectionView(section, entries)
    return view


def part1_headings(plan: Plan) -> dict[str, str]:
    """The numbered Part 1 headings of the plan's template, with the organisation's name filled in."""
    headings = load_template(plan.template_key).get("part1_headings", {})
    name = plan.organization.name_th
    return {key: text.replace("{organization}", name) for key, text in headings.items()}
