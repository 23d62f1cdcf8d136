import io
import struct
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from fontTools.ttLib import TTFont

from prongsai.cli import main
from prongsai.documents import fonts
from prongsai.documents.checks import check_document_font


def test_render_writes_a_pdf_and_a_docx(plan, tmp_path, capsys):
    pdf, docx_file = tmp_path / "plan.pdf", tmp_path / "plan.docx"
    assert (
        main(["render", "wangphai/2561-2564", "--format", "pdf", "--digits", "arabic", "-o", str(pdf)]) == 0
    )
    assert main(["render", "wangphai/2561-2564", "--format", "docx", "-o", str(docx_file)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF") and docx_file.read_bytes().startswith(b"PK")


def test_render_names_a_missing_plan(plan, tmp_path, capsys):
    assert main(["render", "wangphai/nope", "--format", "pdf", "-o", str(tmp_path / "x.pdf")]) == 2
    assert "wangphai/nope" in capsys.readouterr().err


def advances(data):
    font = TTFont(io.BytesIO(data))
    return {name: font["hmtx"][name][0] for name in font.getGlyphOrder()}


def test_widening_marks_changes_only_the_advance_of_zero_width_marks(settings):
    path = fonts.family_files(settings.DOCUMENT_FONT)[0]
    original = path.read_bytes()
    widened = fonts.widen_marks(original)
    before, after = advances(original), advances(widened)
    marks = fonts.mark_glyphs(TTFont(io.BytesIO(original)))
    changed = {name for name in before if before[name] != after[name]}
    assert changed and changed <= marks
    assert all(before[name] == 0 and after[name] == 150 for name in changed)
    # Nothing else moved: the same glyphs, outlines and Thai shaping tables.
    a, b = TTFont(io.BytesIO(original)), TTFont(io.BytesIO(widened))
    assert a.getGlyphOrder() == b.getGlyphOrder()
    for tag in ("glyf", "GSUB", "GPOS", "cmap"):
        if tag in a:
            assert a.reader[tag] == b.reader[tag], tag
    # the whole-font checksum still adds up to the magic number
    assert (
        sum(struct.unpack(f">{len(widened) // 4}I", widened + b"\0" * (-len(widened) % 4))) & 0xFFFFFFFF
        == 0xB1B0AFBA
    )


def test_a_font_without_gdef_or_a_collection_comes_back_unchanged():
    assert fonts.widen_marks(b"ttcf" + b"\0" * 20) == b"ttcf" + b"\0" * 20


def test_a_missing_document_font_is_a_system_check_error_and_refuses_to_build(settings):
    settings.DOCUMENT_FONT = "No Such Font Family"
    errors = check_document_font()
    assert [e.id for e in errors] == ["documents.E001"]
    with pytest.raises(ImproperlyConfigured):
        fonts.font_folder("No Such Font Family")


def test_the_font_folder_holds_the_derived_family_and_links_to_the_others(settings):
    folder = fonts.font_folder()
    derived = sorted(p.name for p in folder.glob("*.ttf"))
    assert derived == sorted(p.name for p in fonts.family_files(settings.DOCUMENT_FONT))
    links = list((folder / "fallback").iterdir())
    assert links and all(p.is_symlink() and Path(p.resolve()).exists() for p in links)
