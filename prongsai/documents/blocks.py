"""Generic document blocks: what the PDF (Typst, ``typst/*.typ``) and Word (``word.py``) writers lay out.

A document is ``DocumentData``: its ``meta`` and ``sections`` of blocks. Builders (the plan's in
``content.py``, the report's in ``reports/document.py``) decide everything a reader sees — order,
numbering, digits, wording — from these helpers, so the two formats cannot drift apart and the template
only styles blocks. User text stays plain strings all the way: the template receives the structure as
JSON and never evaluates any of it as markup.

Block kinds (key ``t``):
  cover      title, period, organization, place
  pagebreak
  gap        the space between two Part 3 sheets (none at the top of a page)
  heading    level 1–3, text, outline (listed in สารบัญ)
  para       text, indent (first line), align (left|center|right), strong, keep
  entry      label, text — a numbered list entry with a hanging indent
  toc        subject, page — the table of contents with its column titles
  table      widths (cm), insets (pt, left and right, per column), header (rows of cells),
             rows [{keep, rule, with_next, cells}]; ``rule``: a line
             above the row (default); ``keep`` keeps the row on one page (asked for, and granted only when
             the row fits on one); ``with_next`` keeps it on the page of the row below (a total row is never
             alone on a page). A cell has paras (para/entry blocks), colspan, rowspan, align, strong, shade, fill (#rrggbb).
             Widths are decided here, so both formats get the same ones: a fitted column (amounts, counts)
             is as wide as its widest text in bold plus the cell padding, the others share what is left in
             the proportions asked for.

A para's ``keep`` keeps it on the page of what follows (the heading lines of a Part 3 sheet, its field
names). A ``pagebreak`` is the only place where the PDF may be laid out in separate pieces (``pdf.py``), so
the pages come out the same however it is cut.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any, NotRequired, TypedDict

from django.conf import settings

from prongsai.documents.fonts import text_width_pt


class Meta(TypedDict):
    title: str
    author: str
    lang: str
    font: str
    size_pt: int
    cell_inset_pt: int
    cell_inset_y_pt: int
    page_digits: str  # "thai" | "arabic": page numbers
    draft: bool
    draft_mark: str  # printed on every page of a draft
    # The organisation's names and places: words a line must not cut (documents/thaiwords.py).
    names: NotRequired[list[str]]


class Section(TypedDict):
    landscape: bool
    numbered: bool  # page numbers; unnumbered sections are the front matter
    restart: bool  # page numbers start again at 1
    blocks: list[Block]


class DocumentData(TypedDict):
    meta: Meta
    sections: list[Section]


def document_meta(
    title: str, author: str, page_digits: str, draft_mark: str = "", *, names: list[str] | None = None
) -> Meta:
    """The meta of a document in the official conventions (font, size, cell padding); ``names``: the
    organisation's own names and places, which lines must not cut (the author is one of them)."""
    return Meta(
        names=[clean(n) for n in [author, *(names or [])] if n],
        title=clean(title),
        author=clean(author),
        lang="th",
        font=settings.DOCUMENT_FONT,
        size_pt=SIZE_PT,
        cell_inset_pt=CELL_INSET_PT,
        cell_inset_y_pt=CELL_INSET_Y_PT,
        page_digits=page_digits,
        draft=bool(draft_mark),
        draft_mark=draft_mark,
    )


# Blocks and cells are plain dicts (JSON as the template reads it) whose keys the helpers below fix.
Block = dict[str, Any]
Cell = dict[str, Any]

# Page body heights (cm) for A4 with the official margins: top 2.5, bottom 2 (portrait); the same margins
# on a landscape page. The template keeps a table row on one page only when it is shorter than this.
PORTRAIT_BODY_CM = 29.7 - 4.5
LANDSCAPE_BODY_CM = 21.0 - 4.5
# Body widths: A4 less the left (3 cm) and right (2 cm) margins.
PORTRAIT_WIDTH_CM = 21.0 - 5.0
LANDSCAPE_WIDTH_CM = 29.7 - 5.0
SIZE_PT = 16
# Table cells are padded this much left and right (the template reads it from meta): with a gap under
# about 20 pt between two columns, pdftotext reads their lines as one line and neither comes out whole.
CELL_INSET_PT = 10
CELL_INSET_Y_PT = 5
# Fitted columns (amounts, counts) hold one line of digits each: pdftotext interleaves the lines of
# neighbouring multi-line columns anyway, so they take a smaller padding and leave the width to the text.
FITTED_INSET_PT = 5
FITTED_SLACK_PT = 2
LINE_PT = SIZE_PT * 1.25  # a line of text with its leading, rounded up
PT_PER_CM = 72 / 2.54
SHEETS_PER_RUN = 10  # Part 3 starts a new page after this many sheets (and at each dimension)
KEEP_ROW_SHARE = 0.25  # a table row taller than this share of the page body may break across pages
ROWS_PER_TABLE = 30  # a Part 2 table goes on from a new page, at a top-level mission, after this many items

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: str) -> str:
    """User text as printed: line ends made \\n, control characters (which no font can show) dropped."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def paragraphs_of(text: str) -> list[str]:
    """A multi-line field split into paragraphs at blank lines; single line breaks stay inside."""
    return [p.strip("\n") for p in re.split(r"\n\s*\n", clean(text).strip()) if p.strip()]


def heading(level: int, text: str, *, outline: bool = True) -> Block:
    return {"t": "heading", "level": level, "text": clean(text), "outline": outline}


def para(
    text: str, *, indent: bool = False, align: str = "left", strong: bool = False, keep: bool = False
) -> Block:
    return {
        "t": "para",
        "text": clean(text),
        "indent": indent,
        "align": align,
        "strong": strong,
        "keep": keep,
    }


def entry(label: str, text: str) -> Block:
    """A numbered entry; in a table cell its lines after the first start under the text, ``hang_pt`` in."""
    hang = text_width_pt(f"{label} ", SIZE_PT, bold=True)
    return {"t": "entry", "label": label, "text": clean(text), "hang_pt": round(hang, 1)}


def cell(
    *paras: Block,
    colspan: int = 1,
    rowspan: int = 1,
    align: str = "left",
    strong: bool = False,
    shade: bool = False,
    fill: str = "",
) -> Cell:
    """``fill``: a background colour as #rrggbb (the risk heat map), instead of the header's shade."""
    return {
        "paras": list(paras),
        "colspan": colspan,
        "rowspan": rowspan,
        "align": align,
        "strong": strong,
        "shade": shade,
        "fill": fill,
    }


def text_cell(text: str, **options: Any) -> Cell:
    lines = [para(line, align=options.get("align", "left")) for line in text.split("\n")] if text else []
    return cell(*lines, **options)


def head_cell(text: str, **options: Any) -> Cell:
    return text_cell(text, align="center", strong=True, shade=True, **options)


def fit(*texts: str) -> dict[str, list[str]]:
    return {"fit": [t for t in texts if t]}


def place_cells(header: list[list[Cell]], rows: list[dict[str, Any]]) -> None:
    """Give each cell its first column (after rowspans from rows above)."""
    taken: dict[int, int] = {}  # column → rows still covered by a rowspan from above
    for row in [*({"cells": r} for r in header), *rows]:
        column = 0
        row.setdefault("rule", True)
        row.setdefault("with_next", False)
        for c in row["cells"]:
            while taken.get(column, 0) > 0:
                column += 1
            c["col"] = column
            if c["rowspan"] > 1:
                for spanned in range(column, column + c["colspan"]):
                    taken[spanned] = c["rowspan"]
            column += c["colspan"]
        for spanned in list(taken):
            taken[spanned] -= 1


def least_width_cm(*texts: str) -> float:
    """The width (cm) a column of ordinary cells needs to set each of ``texts`` in bold on one line."""
    widest = max((text_width_pt(t, SIZE_PT, bold=True) for t in texts), default=0)
    return (widest + 2 * CELL_INSET_PT + FITTED_SLACK_PT) / PT_PER_CM


def column_widths(specs: list[Any], width_cm: float) -> list[float]:
    """Widths in cm: a fitted column (``fit``) takes its widest text set in bold with its padding, at most
    a fifth of the table; the other columns share what is left in proportion to their numbers."""
    padding_pt = 2 * FITTED_INSET_PT + FITTED_SLACK_PT
    fitted = [
        min(
            (max((text_width_pt(t, SIZE_PT, bold=True) for t in spec["fit"]), default=0) + padding_pt)
            / PT_PER_CM,
            width_cm / 5,
        )
        if isinstance(spec, dict)
        else None
        for spec in specs
    ]
    left_over = width_cm - sum(f for f in fitted if f is not None)
    shares = sum(s for s in specs if not isinstance(s, dict)) or 1
    return [
        round(f if f is not None else left_over * s / shares, 3) for s, f in zip(specs, fitted, strict=True)
    ]


def share_widths(
    rows: list[dict[str, Any]],
    specs: list[Any],
    shared: dict[int, float],
    width_cm: float,
) -> list[Any]:
    """``specs`` with the columns in ``shared`` (column → its least width in cm) given the widths that make
    the table shortest: every split of what the fitted columns leave, in steps of a quarter centimetre, is
    measured with ``cell_height_pt``'s estimate (a rowspan cell only adds what its rows do not already
    give it). The other columns keep their spec. ``place_cells`` must have run on ``rows``."""
    step = 0.25
    fitted = column_widths(specs, width_cm)
    free = width_cm - sum(w for column, w in enumerate(fitted) if column not in shared)
    order = sorted(shared)
    # Each cell's words, measured once (PyThaiNLP's segmenter; a word never breaks): the search below
    # wraps them greedily at each width it tries, and remembers the answer.
    from pythainlp.tokenize import word_tokenize

    space_pt = text_width_pt(" ", SIZE_PT)
    measured = []
    for row in rows:
        cells = []
        for c in row["cells"]:
            if c["colspan"] != 1 or c["col"] not in shared:
                continue
            lines = []
            for p in c["paras"]:
                hang = p.get("hang_pt", 0.0) if p.get("label") else 0.0
                for index, part in enumerate(f"{p.get('label', '')} {p['text']}".strip().split("\n")):
                    words = [
                        space_pt if w.isspace() else text_width_pt(w, SIZE_PT)
                        for w in word_tokenize(part, engine="newmm", keep_whitespace=True)
                    ]
                    lines.append((hang if index else 0.0, hang, tuple(words)))
            cells.append((c["col"], c["rowspan"], tuple(lines)))
        measured.append(cells)

    @functools.cache
    def wrapped(lines: tuple[tuple[float, float, tuple[float, ...]], ...], width_cm: float) -> int:
        count = 0
        for first_hang, hang, words in lines:
            room = max(width_cm * PT_PER_CM - 2 * CELL_INSET_PT, 1)
            used, count = first_hang, count + 1
            for word in words:
                if used + word > room and used > hang:
                    count += 1
                    used = hang
                used += word
        return count

    def height(widths: dict[int, float]) -> float:
        total = 0.0
        spans: list[tuple[int, float]] = []  # (rows left, height still owed) of rowspan cells
        for cells in measured:
            row_pt = 0.0
            for column, rowspan, lines in cells:
                cell_pt = wrapped(lines, widths[column]) * LINE_PT
                if rowspan > 1:
                    spans.append((rowspan, cell_pt))
                else:
                    row_pt = max(row_pt, cell_pt)
            total += row_pt
            spans = [(left - 1, owed - row_pt) for left, owed in spans]
            total += sum(max(0.0, owed) for left, owed in spans if left == 0)
            spans = [(left, owed) for left, owed in spans if left > 0]
        return total

    def splits(columns: list[int], room: float) -> Any:
        first, rest = columns[0], columns[1:]
        if not rest:
            if room >= shared[first]:
                yield {first: room}
            return
        least_rest = sum(shared[c] for c in rest)
        width = shared[first]
        while width <= room - least_rest + 1e-9:
            for tail in splits(rest, room - width):
                yield {first: width, **tail}
            width += step

    best = min(splits(order, free), key=lambda w: (round(height(w), 1), -min(w.values())))
    return [round(best[column], 3) if column in shared else spec for column, spec in enumerate(specs)]


def cell_height_pt(c: Cell, width_cm: float, inset_pt: float) -> float:
    """A generous estimate of the height of cell ``c`` set ``width_cm`` wide: each paragraph's width in
    lines, with a tenth more for the ends of lines that words do not fill."""
    line_pt = max(width_cm * PT_PER_CM - 2 * inset_pt, 1)
    lines = 0
    for p in c["paras"]:
        text = f"{p.get('label', '')} {p['text']}"
        for part in text.split("\n"):
            lines += max(1, math.ceil(text_width_pt(part, SIZE_PT, bold=True) * 1.1 / line_pt))
    return lines * LINE_PT + 2 * CELL_INSET_Y_PT


def table(
    widths: list[Any], header: list[list[Cell]], rows: list[dict[str, Any]], *, landscape: bool
) -> Block:
    place_cells(header, rows)
    columns = column_widths(widths, LANDSCAPE_WIDTH_CM if landscape else PORTRAIT_WIDTH_CM)
    insets = [FITTED_INSET_PT if isinstance(w, dict) else CELL_INSET_PT for w in widths]
    body_pt = (LANDSCAPE_BODY_CM if landscape else PORTRAIT_BODY_CM) * PT_PER_CM
    heights = [
        max(
            (
                cell_height_pt(c, sum(columns[c["col"] : c["col"] + c["colspan"]]), insets[c["col"]])
                for c in row["cells"]
            ),
            default=0,
        )
        for row in rows
    ]
    # A row is kept on one page only when it is short (KEEP_ROW_SHARE of the page body): a taller row
    # moved whole to the next page would leave the one before it up to that much empty, so it breaks
    # between its lines instead, as Word lets rows do (the header repeats above its second part).
    for row, height in zip(rows, heights, strict=True):
        row["keep"] = row["keep"] and height < body_pt * KEEP_ROW_SHARE
    # Rows kept together must fit on a page together, with room to spare for the header.
    run = 0.0
    for index, row in enumerate(rows):
        run += heights[index]
        following = rows[index + 1] if index + 1 < len(rows) else None
        row["with_next"] = bool(
            row["with_next"]
            and following is not None
            and row["keep"]
            and following["keep"]
            and run + heights[index + 1] < body_pt * 0.6
        )
        if not row["with_next"]:
            run = 0.0
    return {"t": "table", "widths": columns, "insets": insets, "header": header, "rows": rows}
