"""How the PDF is laid out: in chunks kept between renders, Part 2's columns, rows kept together, ฯ."""

import json
import os
import re
import shutil

import pytest

from prongsai.conftest import SETUP
from prongsai.documents import pdf
from prongsai.documents.blocks import (
    CELL_INSET_PT,
    FITTED_INSET_PT,
    PT_PER_CM,
    SIZE_PT,
    head_cell,
    place_cells,
    share_widths,
    table,
    text_cell,
)
from prongsai.documents.content import ITEM_LEAST_CM, MISSION_LEAST_CM, document_data
from prongsai.documents.fonts import font_folder, text_width_pt
from prongsai.documents.pdf import render_pdf
from prongsai.documents.tests.helpers import import_wangphai, pdf_pages
from prongsai.plans import actions


def lay_out_chunk(tmp_path, blocks, landscape=True, without=None):
    """The pages (text) of ``blocks`` laid out by chunk.typ, in this process; ``without`` drops the line
    of common.typ that holds it (to show what the line is for)."""
    import typst

    for name in pdf.TEMPLATES:
        shutil.copyfile(pdf.TEMPLATE_DIR / name, tmp_path / name)
    if without:
        common = tmp_path / "common.typ"
        lines = common.read_text(encoding="utf-8").splitlines()
        common.write_text("\n".join(line for line in lines if without not in line), encoding="utf-8")
    meta = {name: value for name, value in document_data_meta().items() if name in pdf.CHUNK_META}
    data = {"meta": meta, "landscape": landscape, "blocks": blocks}
    (tmp_path / "chunk.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    compiler = typst.Compiler(
        str(tmp_path / "chunk.typ"),
        root=str(tmp_path),
        font_paths=[str(font_folder())],
        ignore_system_fonts=True,
    )
    laid_out = compiler.compile(format="pdf", timestamp=0, pdf_tags=False)
    assert isinstance(laid_out, bytes)
    return pdf_pages(laid_out)


def document_data_meta():
    from django.conf import settings

    return {
        "font": settings.DOCUMENT_FONT,
        "size_pt": SIZE_PT,
        "lang": "th",
        "cell_inset_pt": CELL_INSET_PT,
        "cell_inset_y_pt": 5,
    }


def test_after_an_edit_only_the_chunks_that_show_the_item_are_laid_out_again(plan):
    render_pdf(plan)
    plan.items.filter(kind="project").update(title="โครงการแก้ชื่อ")  # its budget stays as it was
    text = " ".join("".join(pdf_pages(render_pdf(plan))).split())
    assert pdf.last_stats.laid_out == 2  # the dimension's table in Part 2 and the run of sheets in Part 3
    assert pdf.last_stats.chunks > 6
    assert text.count("โครงการแก้ชื่อ") == 2


def test_publishing_lays_out_no_chunk_again_and_leaves_no_draft_mark(plan):
    render_pdf(plan)
    pages = pdf_pages(
        render_pdf(actions.publish_plan(SETUP, actions.approve_plan(SETUP, actions.submit_plan(SETUP, plan))))
    )
    assert pdf.last_stats.laid_out == 0
    assert not any("ฉบับร่าง" in "".join(page.split()) for page in pages)


def test_no_folder_is_left_behind(plan, settings, tmp_path):
    settings.VAR_DIR = tmp_path  # a folder of its own: another process's render may be running in var/
    render_pdf(plan)
    assert (tmp_path / "typst-work").is_dir()
    assert list((tmp_path / "typst-work").iterdir()) == []


def test_amount_columns_fit_their_widest_amount_and_the_text_columns_share_the_rest(db):
    plan = import_wangphai()
    part2 = document_data(plan)["sections"][2]["blocks"]
    tables = [b for b in part2 if b["t"] == "table" and "ภารกิจตามมิติ" in b["header"][0][0]["paras"][0]["text"]]
    assert len(tables) == 4
    for block in tables:
        mission, item, *amounts, note = block["widths"]
        assert sum(block["widths"]) == pytest.approx(29.7 - 5.0, abs=0.01)
        assert mission >= MISSION_LEAST_CM and item >= ITEM_LEAST_CM
        # The note is at least as wide as its heading, and wider where the plan's notes are long (it was
        # exactly its heading: "ปี ๒๕๖๔ บูรณาการกับโครงการ…" wrapped a word a line, nine lines tall).
        assert note * PT_PER_CM >= text_width_pt("หมายเหตุ", SIZE_PT, True) + 12 - 0.5
        for column, width in enumerate(amounts, start=2):
            rows = [*({"cells": r} for r in block["header"]), *block["rows"]]
            cells = [c for r in rows for c in r["cells"] if c["col"] == column and c["colspan"] == 1]
            texts = [p["text"] for c in cells for p in c["paras"]]
            widest = max(text_width_pt(t, SIZE_PT, bold=True) for t in texts)
            assert widest + 2 * FITTED_INSET_PT <= width * PT_PER_CM < widest + 2 * FITTED_INSET_PT + 3
    assert max(t["widths"][-1] for t in tables) > min(t["widths"][-1] for t in tables)  # chosen per table


def test_the_text_columns_are_shared_as_makes_the_table_shortest():
    # Two rows: a long item title beside a short mission and a short note, then a long note.
    long_title = "โครงการส่งเสริมการปฏิบัติงานตามประมวลจริยธรรมของพนักงานเทศบาลและพนักงานจ้าง " * 2
    rows = [
        {"keep": True, "cells": [text_cell("๑.๑ ภารกิจ"), text_cell(long_title), text_cell("-")]},
        {
            "keep": True,
            "cells": [text_cell("๑.๒ ภารกิจ"), text_cell("โครงการ"), text_cell("หมายเหตุยาว " * 12)],
        },
    ]
    place_cells([[head_cell("ก"), head_cell("ข"), head_cell("ค")]], rows)
    widths = share_widths(rows, [1, 1, 1], {0: 3.0, 1: 3.0, 2: 2.0}, 24.7)
    mission, item, note = widths
    assert mission == 3.0  # the short missions need no more
    assert item > note > 2.0  # most to the long title, and the note more than its least
    assert sum(widths) == pytest.approx(24.7)


def rows_of(count, glue):
    header = [[head_cell("ภารกิจ"), head_cell("งบประมาณ")]]
    rows = [
        {"keep": True, "cells": [text_cell(f"แถวที่ {n}"), text_cell("๑๐,๐๐๐")]} for n in range(1, count + 1)
    ]
    rows[-1]["with_next"] = glue
    rows.append({"keep": True, "cells": [text_cell("รวมทั้งมิติ", strong=True), text_cell("๙๐,๐๐๐")]})
    return [table([1, {"fit": ["๙๐,๐๐๐"]}], header, rows, landscape=True)]


def test_a_total_row_is_never_alone_on_a_page(tmp_path):
    # Find a number of rows after which the total row, left to itself, starts a page of its own ...
    for count in range(8, 40):
        pages = lay_out_chunk(tmp_path, rows_of(count, glue=False))
        if len(pages) > 1 and "แถวที่" not in pages[-1]:
            break
    else:
        pytest.fail("no number of rows leaves the total row alone")
    # ... and keep it with the last row: the two go to the next page together.
    pages = lay_out_chunk(tmp_path, rows_of(count, glue=True))
    assert "รวมทั้งมิติ" in pages[-1] and f"แถวที่ {count}" in pages[-1]
    assert f"แถวที่ {count - 1}" in pages[-2]


def test_no_line_begins_with_paiyannoi_or_maiyamok(tmp_path):
    text = "ส่วนที่ ๓ รายละเอียดโครงการ/กิจกรรม/มาตรการ ตามแผนปฏิบัติการฯ และกิจกรรมต่าง ๆ ของเทศบาลฯ"
    blocks = [
        table(
            [width / 10, 24.7 - width / 10],
            [[head_cell("ก"), head_cell("ข")]],
            [{"keep": True, "cells": [text_cell(text), text_cell("")]}],
            landscape=True,
        )
        for width in range(55, 110, 2)
    ]
    starts = re.compile(r"^\s*[ฯๆ]", re.MULTILINE)
    # Without the rule, some of these widths break a line before ฯ or ๆ ...
    assert starts.search("\n".join(lay_out_chunk(tmp_path, blocks, without=r"\u{0E2F}\u{0E46}")))
    # ... with it, none does.
    assert not starts.search("\n".join(lay_out_chunk(tmp_path, blocks)))


def test_laid_out_chunks_are_kept_on_disk_and_the_least_recently_used_go_first(tmp_path):
    store = pdf._Store(limit=2000)
    store.root = tmp_path
    for index in range(4):
        key = f"{index:02d}" + "k" * 62
        store.put(key, pdf.LaidOut(b"%PDF" + b"x" * 600, index + 1, []))
        os.utime(tmp_path / store.name(key), (index, index))
    other = pdf._Store(limit=2000)  # another process
    other.root = tmp_path
    assert other.get("03" + "k" * 62) == pdf.LaidOut(b"%PDF" + b"x" * 600, 4, [])
    store.prune()
    assert store.get("00" + "k" * 62) is None and store.get("01" + "k" * 62) is None
    assert store.get("02" + "k" * 62) is not None and store.get("03" + "k" * 62) is not None


def test_a_chunk_cut_short_while_another_process_writes_it_is_a_miss(tmp_path):
    store = pdf._Store(limit=10_000)
    store.root = tmp_path
    key = "ab" + "c" * 62
    store.put(key, pdf.LaidOut(b"%PDF" + b"x" * 600, 2, [{"page": 1, "x": 0, "y": 0}]))
    assert store.get(key) is not None
    path = tmp_path / store.name(key)
    path.write_bytes(path.read_bytes()[:-100])
    assert store.get(key) is None
    path.write_bytes(b"not json\n%PDF")
    assert store.get(key) is None


def test_the_draft_mark_is_drawn_on_every_page_but_is_not_text(plan, tmp_path):
    from PIL import Image

    from prongsai.documents.tests.helpers import run_tool

    draft = render_pdf(plan)
    pages = pdf_pages(draft)
    assert pages
    # Typst set the mark as text before ("ฉบั บร่ าง" in the middle of every page of pdftotext's output).
    assert not any("ร่าง" in "".join(page.split()) for page in pages)
    (tmp_path / "draft.pdf").write_bytes(draft)
    run_tool("pdftoppm", "-r", "30", "-png", str(tmp_path / "draft.pdf"), str(tmp_path / "page"))
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(pages)
    for image in images:
        data = Image.open(image).convert("RGB").tobytes()
        reddish = sum(
            1 for i in range(0, len(data), 3) if data[i] > data[i + 1] + 12 and data[i] > data[i + 2] + 12
        )
        assert reddish > 200, image.name  # the pale red of the mark, on every page


def test_the_table_of_contents_has_no_invisible_characters(plan):
    text = "".join(pdf_pages(render_pdf(plan)))
    assert "สารบัญ" in text
    # Typst's own entries put a word joiner (U+2060) before every page number.
    assert not re.search("[\u2060\u200b\u200c\u200d\ufeff]", text)


def mission_over(items):
    """One mission (a rowspan cell marked ``continued``) over ``items`` rows, as Part 2 builds it."""
    header = [[head_cell("ภารกิจตามมิติ"), head_cell("โครงการ")]]
    mission = text_cell("๑.๑ ภารกิจทดสอบ", rowspan=items)
    mission["continued"] = {"key": "mission-1", "text": "๑.๑ ภารกิจทดสอบ (ต่อ)"}
    rows = [
        {"keep": True, "cells": ([mission] if n == 1 else []) + [text_cell(f"โครงการที่ {n}\nรายละเอียด")]}
        for n in range(1, items + 1)
    ]
    return [table([1, 1], header, rows, landscape=True)]


def test_a_mission_continued_on_the_next_page_is_named_there_with_tor(tmp_path):
    pages = lay_out_chunk(tmp_path, mission_over(30))
    assert len(pages) >= 2
    assert "๑.๑ ภารกิจทดสอบ" in pages[0] and "(ต่อ)" not in pages[0]
    for page in pages[1:]:
        assert "๑.๑ ภารกิจทดสอบ (ต่อ)" in page, page[:200]
        assert page.count("(ต่อ)") == 1  # once at the top of the page, not on every row
    # A mission that fits on its page is named once and never "continued".
    single = lay_out_chunk(tmp_path, mission_over(3))
    assert len(single) == 1 and "(ต่อ)" not in single[0]
