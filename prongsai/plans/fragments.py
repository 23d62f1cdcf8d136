"""Each item's rendered pieces of the plan page, kept by what they show.

The plan page (officers' and public alike) is mostly two pieces per item: its row in Part 2 and its sheet
in Part 3 (with its dimension and mission named above it). Rendering them was 84 % of a 250-item plan page's time (issue 12). Each piece is kept in the
process's cache under a digest of everything it is drawn from — every stored field of the item and of its
indicators, its budgets, its number under its mission, the plan's digits, slug and revision, the language,
and whether editing controls or public links are shown — so a piece is never stale: a change to any of
these is another key, and an old piece is simply not asked for again (the cache's size and age evict it).
Nothing in a piece depends on the request: the move buttons name the page's one form (``form=``), which
carries the CSRF token, so a piece can be shared by everyone who sees the same item the same way.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import models
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from prongsai.plans.models import Plan
from prongsai.plans.summary import ItemLine, PlanTables

KEY_VERSION = "1"  # change when the templates of the pieces change shape


@dataclass(frozen=True)
class Pieces:
    cells: SafeString  # the item's cells of its Part 2 row (after the mission cell)
    sheet: (
        SafeString  # its Part 3 sheet with its mission above (officers' page only; empty on the public page)
    )


def _fields(row: models.Model) -> list[Any]:
    return [getattr(row, f.attname) for f in row._meta.concrete_fields]


def _key(line: ItemLine, heading: list[Any], plan: Plan, *, public: bool, can_edit: bool) -> str:
    item = line.item
    parts = [
        KEY_VERSION,
        heading,
        get_language(),
        public,
        can_edit,
        plan.digits,
        plan.slug,
        plan.revision,
        plan.organization.slug,
        line.number,
        line.years,
        [str(b) if b is not None else None for b in line.budgets],
        _fields(item),
        [_fields(i) for i in item.indicators.all()],
    ]
    digest = hashlib.sha256(json.dumps(parts, default=str, ensure_ascii=False).encode()).hexdigest()
    return f"plans:piece:{digest}"


def plan_pieces(tables: PlanTables, plan: Plan, *, public: bool, can_edit: bool) -> dict[int, Pieces]:
    """The pieces of every item of ``tables``, by item id: from the cache where drawn before, else drawn now."""
    lines = [
        (line, table.dimension, row.mission)
        for table in tables.dimensions
        for row in table.rows
        for line in row.lines
    ]
    keys = {
        line.item.pk: _key(
            line,
            [dimension.number, dimension.title_th, mission.code, mission.title_th],
            plan,
            public=public,
            can_edit=can_edit,
        )
        for line, dimension, mission in lines
    }
    cache = caches[settings.PLAN_PIECE_CACHE]
    found: dict[str, tuple[str, str]] = cache.get_many(list(keys.values()))
    drawn: dict[str, tuple[str, str]] = {}
    pieces = {}
    for line, dimension, mission in lines:
        key = keys[line.item.pk]
        html = found.get(key) or drawn.get(key)
        if html is None:
            context = {
                "line": line,
                "plan": plan,
                "public": public,
                "can_edit": can_edit,
                "dimension": dimension,
                "mission": mission,
            }
            html = (
                render_to_string("plans/_item_cells.html", context),
                "" if public else render_to_string("plans/_sheet_card.html", context),
            )
            drawn[key] = html
        pieces[line.item.pk] = Pieces(mark_safe(html[0]), mark_safe(html[1]))  # noqa: S308 (our templates' output)
    if drawn:
        cache.set_many(drawn, timeout=settings.PLAN_PIECE_SECONDS)
    return pieces
