import struct
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

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
    tables = fonts._tables(data)
    count = struct.unpack_from(">H", data, tables["hhea"][1] + 34)[0]
    offset = tables["hmtx"][1]
    return [struct.unpack_from(">H", data, offset + 4 * g)[0] for g in range(count)]


def test_widening_marks_changes_only_the_advance_of_zero_width_marks(settings):
    path = fonts.family_files(settings.DOCUMENT_FONT)[0]
    original = path.read_bytes()
    widened = fonts.widen_marks(original)
    assert len(widened) == len(original)
    before, after = advances(original), advances(widened)
    marks = fonts._mark_glyphs(original, fonts._tables(original)["GDEF"][1])
    changed = {g for g, (a, b) in enumerate(zip(before, after, strict=True)) if a != b}
    assert changed and changed <= marks
    assert all(before[g] == 0 and after[g] == 150 for g in changed)
    # the whole-font checksum still adds up to the magic number
    assert fonts._checksum(widened) == 0xB1B0AFBA


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
