"""The plan document as an editable Word file, laid out from the same data as the PDF (``content.py``).

What makes it a proper Word document rather than a picture of one: the built-in Heading styles (the
navigation pane and the TOC field work), real tables whose header rows repeat (``w:tblHeader``) and whose
rows do not split (``w:cantSplit``), the Thai font and size set for complex script too (``w:cs``,
``w:szCs``, ``w:bCs`` — without them Word shows Thai in its own default font and size), and page numbers
as a PAGE field in the footer, in Thai digits when the plan uses them.

Tables are written as XML rows directly: python-docx's cell merging walks the whole table for each
merge, which is far too slow for a plan of a few hundred items.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import parse_xml, serialize_part_xml
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table

from prongsai.documents.blocks import CELL_INSET_PT, DocumentData
from prongsai.documents.content import document_data
from prongsai.plans.models import Plan

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
A4 = (Cm(21.0), Cm(29.7))
MARGINS = {"top": Cm(2.5), "bottom": Cm(2.0), "left": Cm(3.0), "right": Cm(2.0)}
BODY_WIDTH_CM = {False: 21.0 - 5.0, True: 29.7 - 5.0}
INDENT = Cm(2.5)
ENTRY_PAD = Cm(1.0)
HANGING = Cm(0.85)
TWIPS_PER_CM = 567
TWIPS_PER_PT = 20
LINE_PITCH_EM = 1.27  # the PDF's line pitch (common.typ: leading 0.55 em over the cap height)
# Typst's first line in a cell is only as tall as the cap height, Word's a whole pitch: the padding above
# and below is smaller by that difference (about 9 pt at 16 pt), so that a cell is as tall as in the PDF.
CELL_INSET_Y_WORD_PT = 1


def _set(element: Any, tag: str, **attributes: str) -> Any:
    """The child ``tag`` of ``element`` (created when missing) with ``attributes`` set (w: namespace)."""
    child = element.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        element.append(child)
    for name, value in attributes.items():
        child.set(qn(f"w:{name}"), value)
    return child


def _fonts(rpr: Any, font: str, size_pt: float | None = None, bold: bool | None = None) -> None:
    """Font, size and boldness for Latin and complex-script (Thai) text alike."""
    fonts = _set(rpr, "w:rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font)
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)
    if bold is not None:
        for tag in ("w:b", "w:bCs"):
            _set(rpr, tag, val="1" if bold else "0")
    if size_pt is not None:
        half_points = str(round(size_pt * 2))
        _set(rpr, "w:sz", val=half_points)
        _set(rpr, "w:szCs", val=half_points)
    _set(rpr, "w:lang", val="th-TH", bidi="th-TH")


def _element(parent: Any, tag: str, **attributes: str) -> Any:
    """A new child of ``parent``, appended without python-docx's schema-order search (far too slow for
    thousands of paragraphs); callers append children in schema order themselves."""
    child = parent.makeelement(qn(tag), {})
    parent.append(child)
    for name, value in attributes.items():
        child.set(qn(f"w:{name}"), value)
    return child


def _twips(length: int) -> str:
    """A python-docx length (EMU; sums of lengths are plain ints) in twentieths of a point."""
    return str(int(length) // 635)


def _paragraph_xml(
    text: str,
    *,
    style: str | None = None,
    align: str = "left",
    first_line: Any = None,
    left: Any = None,
    hanging: Any = None,
    space_after: Any = None,
    strong: bool = False,
    keep_next: bool = False,
) -> Any:
    """A ``w:p`` holding ``text`` (line breaks kept as ``w:br``); ``keep_next`` keeps it on the page of
    the next paragraph."""
    p = OxmlElement("w:p")
    ppr = _element(p, "w:pPr")
    if style:
        _element(ppr, "w:pStyle", val=style)
    if keep_next:
        _element(ppr, "w:keepNext")
    if space_after is not None:
        _element(ppr, "w:spacing", after=_twips(space_after))
    if left is not None or first_line is not None or hanging is not None:
        ind = _element(ppr, "w:ind")
        if left is not None:
            ind.set(qn("w:left"), _twips(left))
        if hanging is not None:
            ind.set(qn("w:hanging"), _twips(hanging))
        elif first_line is not None:
            ind.set(qn("w:firstLine"), _twips(first_line))
    if align != "left":
        _element(ppr, "w:jc", val="center" if align == "center" else "right")
    if text:
        r = _element(p, "w:r")
        if strong:
            rpr = _element(r, "w:rPr")
            _element(rpr, "w:b")
            _element(rpr, "w:bCs")
        for index, line in enumerate(text.split("\n")):
            if index:
                _element(r, "w:br")
            t = _element(r, "w:t")
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t.text = line
    return p


class _Writer:
    def __init__(self, data: DocumentData) -> None:
        self.data = data
        self.meta = data["meta"]
        self.font: str = settings.DOCUMENT_WORD_FONT
        self.size: float = self.meta["size_pt"]
        self.doc = Document()
        self.outline: list[tuple[int, str]] = []
        self.body = self.doc.element.body
        self.body_end = self.body[-1]  # the document's last sectPr
        self._styles()

    # --- set-up ------------------------------------------------------------------------------------

    def _defaults(self) -> None:
        """The document defaults python-docx's template leaves: 1.15 line spacing and 10 pt after each
        paragraph (which made LibreOffice lay the plan out on half as many pages again as the PDF), its
        theme fonts, and ``bidi="ar-SA"`` / ``eastAsia="ja-JP"`` languages. Single spacing, the Thai font
        for every script and Thai as every language instead."""
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _fonts(rpr, self.font, self.size)
        _set(rpr, "w:lang", val="th-TH", eastAsia="th-TH", bidi="th-TH")
        ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
        # Lines as far apart as the PDF's (Typst: cap height + 0.55 em leading = 1.27 em): "single" would
        # take the font's own height, 1.71 em for Laksaman / TH SarabunPSK, and a third more pages.
        _set(
            ppr,
            "w:spacing",
            after="0",
            line=str(round(self.size * LINE_PITCH_EM * TWIPS_PER_PT)),
            lineRule="exact",
        )
        self._font_table()

    def _font_table(self) -> None:
        """Declare the font in the font table: Word looks it up by name; where that is missing it takes the
        alternative name, then a font of the same family class and character set (Thai, 0xDE)."""
        part = self.doc.part.part_related_by(RT.FONT_TABLE)
        table = parse_xml(part.blob)  # type: ignore[arg-type]  # lxml reads bytes (the stub says str)
        font = table.makeelement(qn("w:font"), {qn("w:name"): self.font})
        for tag, value in (
            ("w:altName", settings.DOCUMENT_WORD_FONT_ALTERNATIVE),
            ("w:charset", "DE"),
            ("w:family", "swiss"),
            ("w:pitch", "variable"),
        ):
            font.append(table.makeelement(qn(tag), {qn("w:val"): value}))
        table.insert(0, font)
        part._blob = serialize_part_xml(table)

    def _styles(self) -> None:
        self._defaults()
        styles = self.doc.styles
        normal = styles["Normal"]
        _fonts(normal.element.get_or_add_rPr(), self.font, self.size, bold=False)
        normal.paragraph_format.space_after = Pt(4)
        normal.paragraph_format.space_before = Pt(0)
        self.normal = normal
        self.headings = {}
        for level, size, align in ((1, 20, "center"), (2, self.size, "left"), (3, self.size, "left")):
            style = styles[f"Heading {level}"]
            _fonts(style.element.get_or_add_rPr(), self.font, size, bold=True)
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.font.italic = False
            style.paragraph_format.alignment = ALIGN[align]
            style.paragraph_format.space_before = Pt(12)
            style.paragraph_format.space_after = Pt(6)
            self.headings[level] = style
        # Titles that must not be listed in the table of contents (คำนำ, สารบัญ) look like Heading 1.
        title = styles.add_style("Prongsai Title", 1)
        title.base_style = normal
        _fonts(title.element.get_or_add_rPr(), self.font, 20, bold=True)
        title.paragraph_format.alignment = ALIGN["center"]
        title.paragraph_format.space_after = Pt(6)
        self.title = title
        table_style = styles["Table Grid"]
        _fonts(table_style.element.get_or_add_rPr(), self.font, self.size)
        settings = self.doc.settings.element
        _set(settings, "w:updateFields", val="true")  # Word fills the TOC field's page numbers on opening

    def _page(self, section: Any, landscape: bool) -> None:
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        width, height = A4
        section.page_width, section.page_height = (height, width) if landscape else (width, height)
        section.top_margin = MARGINS["top"]
        section.bottom_margin = MARGINS["bottom"]
        section.left_margin = MARGINS["left"]
        section.right_margin = MARGINS["right"]
        section.header_distance = Cm(1.0)
        section.footer_distance = Cm(1.0)

    def _page_number_footer(self, section: Any) -> None:
        footer = section.footer
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = ALIGN["center"]
        self._field(paragraph, "PAGE", "1")
        number_type = _set(section._sectPr, "w:pgNumType", start="1")
        number_type.set(qn("w:fmt"), "thaiNumbers" if self.meta["page_digits"] == "thai" else "decimal")

    def _draft_header(self, section: Any) -> None:
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = ALIGN["center"]
        run = paragraph.add_run(self.meta["draft_mark"])
        run.bold = True
        run.font.cs_bold = True
        run.font.color.rgb = RGBColor(0xC8, 0x28, 0x28)

    def _field(self, paragraph: Any, instruction: str, shown: str) -> None:
        run = paragraph.add_run()
        _set(run._r, "w:fldChar", fldCharType="begin")
        run = paragraph.add_run()
        code = OxmlElement("w:instrText")
        code.set(qn("xml:space"), "preserve")
        code.text = f" {instruction} "
        run._r.append(code)
        run = paragraph.add_run()
        _set(run._r, "w:fldChar", fldCharType="separate")
        paragraph.add_run(shown)
        run = paragraph.add_run()
        _set(run._r, "w:fldChar", fldCharType="end")

    # --- blocks ------------------------------------------------------------------------------------

    def paragraph(
        self,
        block: dict[str, Any],
        parent: Any,
        in_cell: bool = False,
        strong: bool = False,
        keep_next: bool = False,
    ) -> None:
        """Append ``block`` (para or entry) to ``parent``: the document body or a table cell element."""
        options: dict[str, Any] = {"space_after": Pt(0)} if in_cell else {}
        if block["t"] == "entry":
            text = f"{block['label']} {block['text']}"
            if in_cell:  # the lines after the first start under the text, as in the PDF
                hang = Pt(block["hang_pt"])
                options.update(left=hang, hanging=hang)
            else:
                options.update(left=HANGING + ENTRY_PAD, hanging=HANGING)
        else:
            text = block["text"]
            strong = strong or block["strong"]
            options["align"] = block["align"]
            keep_next = keep_next or block.get("keep", False)
            if block["indent"] and not in_cell:
                options["first_line"] = INDENT
        self._append(parent, _paragraph_xml(text, strong=strong, keep_next=keep_next, **options))

    def _append(self, parent: Any, p: Any) -> None:
        if parent is self.body:
            self.body_end.addprevious(p)  # the body's own sectPr stays last
        else:
            parent.append(p)

    def heading(self, block: dict[str, Any]) -> None:
        style = self.headings[block["level"]] if block["outline"] or block["level"] > 1 else self.title
        if block["outline"]:
            self.outline.append((block["level"], block["text"]))
        self._append(self.body, _paragraph_xml(block["text"], style=style.style_id))

    def cover(self, block: dict[str, Any]) -> None:
        for index, (key, size, bold) in enumerate(
            (("title", 24, True), ("period", 22, True), ("organization", 22, True), ("place", 20, False))
        ):
            paragraph = self.doc.add_paragraph()
            paragraph.alignment = ALIGN["center"]
            paragraph.paragraph_format.space_before = {0: Cm(6), 2: Cm(8)}.get(index, Pt(0))
            run = paragraph.add_run(block[key])
            _fonts(run._r.get_or_add_rPr(), self.font, size, bold=bold)

    def toc(self, block: dict[str, Any]) -> None:
        """A TOC field over headings 1–2. Its shown text lists the headings until Word fills in the pages."""
        columns = self.doc.add_paragraph()
        columns.paragraph_format.tab_stops.add_tab_stop(Cm(BODY_WIDTH_CM[False]), alignment=2)
        run = columns.add_run(f"{block['subject']}\t{block['page']}")
        run.bold = True
        run.font.cs_bold = True
        self.toc_paragraph = self.doc.add_paragraph()

    def _fill_toc(self) -> None:
        paragraph = getattr(self, "toc_paragraph", None)
        if paragraph is None:
            return
        shown = "\n".join(("    " * (level - 1)) + text for level, text in self.outline) or _("สารบัญ")
        self._field(paragraph, 'TOC \\o "1-2" \\h \\z \\u', "")
        # The shown text goes between "separate" and "end", one line per heading.
        result = paragraph.runs[-2]
        lines = shown.split("\n")
        result.text = lines[0]
        for line in lines[1:]:
            result.add_break()
            result._r.append(self._text(line))

    @staticmethod
    def _text(text: str) -> Any:
        element = OxmlElement("w:t")
        element.set(qn("xml:space"), "preserve")
        element.text = text
        return element

    def table(self, block: dict[str, Any]) -> None:
        """A table with the PDF's column widths (cm, from content.py) and cell padding: 10 pt left and
        right, 5 pt in the fitted amount columns, 5 pt above and below. A row that must stay with the
        next has every paragraph kept with the next; a row kept on one page cannot split."""
        widths: list[float] = block["widths"]
        table: Table = self.doc.add_table(rows=0, cols=len(widths))
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        grid = table._tbl.tblGrid
        for grid_column, width in zip(grid.gridCol_lst, widths, strict=True):
            grid_column.w = Cm(width)
        tbl = table._tbl
        margins = OxmlElement("w:tblCellMar")
        tbl.tblPr.insert_element_before(
            margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
        )
        for side, points in (
            ("top", CELL_INSET_Y_WORD_PT),
            ("left", CELL_INSET_PT),
            ("bottom", CELL_INSET_Y_WORD_PT),
            ("right", CELL_INSET_PT),
        ):
            _set(margins, f"w:{side}", w=str(points * TWIPS_PER_PT), type="dxa")
        insets: list[float] = block["insets"]
        spans: dict[int, int] = {}  # column → rows still covered by a rowspan
        rows = [(r, True, True, False) for r in block["header"]]
        rows += [(r["cells"], False, r["keep"], r["with_next"]) for r in block["rows"]]
        rules = [True] * len(block["header"]) + [r["rule"] for r in block["rows"]] + [True]
        for index, (cells, is_header, keep, with_next) in enumerate(rows):
            tr = _element(tbl, "w:tr")
            tr_pr = _element(tr, "w:trPr")
            if keep:
                _element(tr_pr, "w:cantSplit", val="true")
            if is_header:
                _element(tr_pr, "w:tblHeader", val="true")
            # no line between rows that ask for none (the entries of one list)
            unruled = [
                side for side, ruled in (("top", rules[index]), ("bottom", rules[index + 1])) if not ruled
            ]
            by_column = {c["col"]: c for c in cells}
            column = 0
            while column < len(widths):
                data = None if spans.get(column, 0) > 0 else by_column.get(column)
                span = data["colspan"] if data else 1
                tc = _element(tr, "w:tc")
                tc_pr = _element(tc, "w:tcPr")
                _element(
                    tc_pr,
                    "w:tcW",
                    w=str(round(sum(widths[column : column + span]) * TWIPS_PER_CM)),
                    type="dxa",
                )
                if span > 1:
                    _element(tc_pr, "w:gridSpan", val=str(span))
                if spans.get(column, 0) > 0:
                    _element(tc_pr, "w:vMerge")  # continues the rowspan from above
                elif data and data["rowspan"] > 1:
                    _element(tc_pr, "w:vMerge", val="restart")
                    for spanned in range(column, column + span):
                        spans[spanned] = data["rowspan"]
                if unruled:
                    borders = _element(tc_pr, "w:tcBorders")
                    for side in unruled:
                        _element(borders, f"w:{side}", val="nil")
                if data and data["shade"]:
                    _element(tc_pr, "w:shd", val="clear", color="auto", fill="E6E6E6")
                elif data and data.get("fill"):
                    _element(tc_pr, "w:shd", val="clear", color="auto", fill=data["fill"].lstrip("#").upper())
                if insets[column] != CELL_INSET_PT:
                    cell_margins = _element(tc_pr, "w:tcMar")
                    for side in ("left", "right"):
                        _element(
                            cell_margins, f"w:{side}", w=str(round(insets[column] * TWIPS_PER_PT)), type="dxa"
                        )
                if data and data["shade"]:
                    _element(tc_pr, "w:vAlign", val="center")
                for paragraph in data["paras"] if data else []:
                    self.paragraph(
                        paragraph,
                        tc,
                        in_cell=True,
                        strong=data["strong"] if data else False,
                        keep_next=with_next,
                    )
                if len(tc) == 1:  # a cell needs a paragraph, even an empty one
                    tc.append(_paragraph_xml("", space_after=Pt(0), keep_next=with_next))
                column += span
            for spanned in list(spans):
                spans[spanned] -= 1

    def gap(self) -> None:
        """The space between two Part 3 sheets: an empty paragraph (Word drops no space at a page top)."""
        self._append(self.body, _paragraph_xml("", space_after=Pt(12)))

    def page_break(self) -> None:
        p = OxmlElement("w:p")
        _element(_element(p, "w:r"), "w:br", type="page")
        self._append(self.body, p)

    # --- the document ------------------------------------------------------------------------------

    def write(self) -> bytes:
        properties = self.doc.core_properties
        properties.title = self.meta["title"]
        properties.author = self.meta["author"]
        properties.language = "th-TH"
        for index, section_data in enumerate(self.data["sections"]):
            section = self.doc.sections[0] if index == 0 else self.doc.add_section(WD_SECTION.NEW_PAGE)
            self._page(section, section_data["landscape"])
            if index == 0 and self.meta["draft"]:
                self._draft_header(section)
            if section_data["restart"]:
                self._page_number_footer(section)
            else:  # a new section copies the previous one's settings, numbering restart included
                number_type = section._sectPr.find(qn("w:pgNumType"))
                if number_type is not None:
                    number_type.attrib.pop(qn("w:start"), None)
            for block in section_data["blocks"]:
                kind = block["t"]
                if kind == "heading":
                    self.heading(block)
                elif kind in ("para", "entry"):
                    self.paragraph(block, self.body)
                elif kind == "table":
                    self.table(block)
                elif kind == "gap":
                    self.gap()
                elif kind == "pagebreak":
                    self.page_break()
                elif kind == "cover":
                    self.cover(block)
                elif kind == "toc":
                    self.toc(block)
        self._fill_toc()
        body = self.doc.element.body
        first = body[0]
        if first.tag == qn("w:p") and not len(first):  # python-docx's template starts with an empty paragraph
            body.remove(first)
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def compile_docx(data: DocumentData) -> bytes:
    return _Writer(data).write()


def render_docx(plan: Plan, amount_digits: str | None = None) -> bytes:
    """The Word version of ``plan``'s document."""
    return compile_docx(document_data(plan, amount_digits))
