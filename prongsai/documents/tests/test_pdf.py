import itertools
import re
from decimal import Decimal

import pytest

from prongsai.conftest import SETUP
from prongsai.documents.content import document_data
from prongsai.documents.pdf import render_pdf
from prongsai.documents.tests.helpers import (
    as_extracted,
    demo_texts,
    import_wangphai,
    missing_from,
    pdf_pages,
    pdf_text,
    pdf_words,
    publish,
    run_tool,
)
from prongsai.plans import actions
from prongsai.plans.models import Plan


@pytest.fixture
def wangphai(db):
    return import_wangphai()


def test_the_wang_phai_pdf_contains_every_item_title_and_part1_entry(wangphai):
    entries, titles = demo_texts()
    assert len(entries) > 100 and titles
    text = pdf_text(render_pdf(publish(wangphai)))
    assert missing_from(text, entries) == []
    assert missing_from(text, titles) == []


def test_thai_clusters_survive_extraction_without_split_or_loss(plan):
    words = "ป้องกัน ตำบล ฝั่ง ฟื้นฟู ปั้น ป่า ป๋า ที่นี่ น้ำ ผู้ใหญ่ กิ่ง ปิ่นโต"
    actions.add_part1_entry(SETUP, plan, "preface", words)
    text = pdf_text(render_pdf(plan))
    for word in words.split():
        assert as_extracted(word).search(text), word
    assert "ตาบล" not in text


def test_thai_lines_break_only_between_words(plan):
    actions.add_part1_entry(SETUP, plan, "rationale", "ป้องกันการทุจริต" * 60)
    text = pdf_text(render_pdf(plan)).replace("\f", "\n")
    lines = [line for line in text.split("\n") if "ทุจริต" in line or "ป้องกัน" in line]
    run_lines = [line for line in lines if re.fullmatch(r"(ป้องกัน|การ|ทุจริต)+", line)]
    assert len(run_lines) >= 10  # the run wrapped over many lines ...
    broken = [
        line
        for line in lines
        if re.search(r"(ป้องกันการทุจริต){3}", line) and not re.fullmatch(r"(ป้องกัน|การ|ทุจริต)+", line)
    ]
    assert broken == []  # ... and every line of it starts and ends on a word boundary


def test_an_emoji_prints_from_the_emoji_font_not_as_an_empty_box(plan, tmp_path):
    plan.items.filter(kind="project").update(title="โครงการหนูน้อยใจดี 🙂 ✅")
    path = tmp_path / "plan.pdf"
    path.write_bytes(render_pdf(plan))
    # Noto Color Emoji's glyphs are pictures: Typst embeds them as a Type 3 font beside the Thai one.
    fonts = run_tool("pdffonts", str(path))
    assert "Type 3" in fonts, fonts
    assert "🙂" in run_tool("pdftotext", str(path), "-")


def test_pages_are_a4_with_the_document_font_embedded(plan, tmp_path, settings):
    path = tmp_path / "plan.pdf"
    path.write_bytes(render_pdf(plan))
    info = run_tool("pdfinfo", str(path))
    assert "595.276 x 841.89 pts (A4)" in info
    fonts = run_tool("pdffonts", str(path))
    rows = [line.split() for line in fonts.splitlines() if settings.DOCUMENT_FONT in line]
    assert rows and all(row[-5] == "yes" for row in rows)  # the "emb" column


def test_text_starts_at_the_left_margin_of_three_centimetres(plan, tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(render_pdf(plan))
    bbox = run_tool("pdftotext", "-f", "4", "-l", "4", "-bbox", str(path), "-")
    lefts = [float(x) for x in re.findall(r'<word xMin="([\d.]+)"', bbox)]
    assert min(lefts) == pytest.approx(3 / 2.54 * 72, abs=1.0)


def test_the_table_of_contents_gives_the_real_page_of_each_part(wangphai):
    pages = pdf_pages(render_pdf(wangphai))
    contents = next(page for page in pages if "สารบัญ" in page and "หน้า" in page)
    first_body = next(i for i, page in enumerate(pages) if page.lstrip().startswith("ส่วนที่ ๑ บทนำ"))
    thai = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
    for part in ("ส่วนที่ ๑ บทนำ", "ส่วนที่ ๒ แผนปฏิบัติการป้องกันการทุจริต"):
        line = next(line for line in contents.splitlines() if line.startswith(part))
        number = int(re.findall(r"[๐-๙]+", line)[-1].translate(thai))
        assert pages[first_body + number - 1].lstrip().startswith(part)


def test_part2_tables_have_the_columns_totals_and_summary(plan):
    text = " ".join(pdf_text(render_pdf(plan)).split())
    for heading in ("ภารกิจตามมิติ", "โครงการ/กิจกรรม/มาตรการ", "งบประมาณ (บาท)", "ปี ๒๕๖๑", "ปี ๒๕๖๔", "หมายเหตุ"):
        assert heading in text
    assert "รวม ๑ โครงการ ๐ กิจกรรม ๐ มาตรการ" in text  # dimension 1
    assert "รวม ๐ โครงการ ๑ กิจกรรม ๐ มาตรการ" in text  # dimension 2
    assert "๒๐,๐๐๐" in text and "รวมทั้งสิ้น" in text and "๔๐,๐๐๐" in text


def test_amount_columns_can_use_arabic_digits_while_the_rest_stays_thai(plan):
    text = " ".join(pdf_text(render_pdf(plan, "arabic")).split())
    assert "20,000" in text and "๒๐,๐๐๐" not in text
    assert "ปี ๒๕๖๑" in text and "ส่วนที่ ๒" in text


def test_an_item_without_any_budget_prints_dashes_and_says_so(plan):
    data = document_data(plan)
    part2 = data["sections"][2]["blocks"]
    rows = [row for block in part2 if block["t"] == "table" for row in block["rows"]]
    row = next(
        r
        for r in rows
        if any(
            p["text"] == "กิจกรรมประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร" for c in r["cells"] for p in c["paras"]
        )
    )
    assert [c["paras"][0]["text"] for c in row["cells"] if c["align"] == "right"] == ["-", "-", "-", "-"]
    text = " ".join(pdf_text(render_pdf(plan)).split())
    assert "ดำเนินการโดยไม่ใช้งบประมาณ" in text


def test_a_plan_with_empty_sections_and_no_items_still_renders(org_a):
    plan = actions.create_plan(SETUP, org_a, slug="empty", title="แผนว่าง", first_year=2565, last_year=2566)
    text = " ".join(pdf_text(render_pdf(plan)).split())
    assert "ส่วนที่ ๑ บทนำ" in text and "ส่วนที่ ๓" in text
    assert "ยังไม่มีโครงการ/กิจกรรม/มาตรการในแผนนี้" in text
    assert "รวม ๐ โครงการ ๐ กิจกรรม ๐ มาตรการ" in text


def test_a_published_plan_renders_to_the_same_bytes_again(plan):
    published = publish(plan)
    again = Plan.objects.select_related("organization").get(pk=published.pk)
    assert render_pdf(published) == render_pdf(again)


def test_a_budget_in_millions_stays_in_its_column(plan):
    item = plan.items.get(kind="project")
    data = actions.ItemData(kind="project", title=item.title, budgets={2563: Decimal("12345678.50")})
    actions.update_item(SETUP, item, data)
    assert "๑๒,๓๔๕,๖๗๘.๕๐" in pdf_text(render_pdf(plan))


def test_part2_pages_are_filled_before_a_table_goes_on_to_the_next(wangphai):
    """A Part 2 page that its dimension's table goes on from is at least three quarters full: a tall row
    breaks between its lines instead of moving whole to the next page (blocks.KEEP_ROW_SHARE)."""
    cm = 72 / 2.54
    top, bottom = 2.5 * cm, 2.0 * cm
    landscape = []
    for width, height, words in pdf_words(render_pdf(wangphai)):
        if width > height:
            body = [w for w in words if w.y_max < height - bottom + 2]  # not the page number below it
            first = "".join(w.text for w in sorted(body, key=lambda w: (w.y_min, w.x_min))[:2])
            fill = (max(w.y_max for w in body) - top) / (height - top - bottom)
            landscape.append((first, fill))
    part2 = landscape[: next(i for i, (first, _) in enumerate(landscape) if first.startswith("สรุป"))]
    assert len(part2) >= 8
    continued = [
        fill for (_, fill), (following, _) in itertools.pairwise(part2) if not following.startswith("มิติ")
    ]
    assert continued and min(continued) >= 0.75, continued


def test_the_wang_phai_pdf_ends_no_line_inside_the_words_a_reviewer_found_cut(wangphai):
    """Issue 12 §1: คอร์/รัปชัน, จิตอา/สา, ซื่อ/สัตย์, ชัด/เจน, วัง/ไผ่ and เทศบาล/ตำบลวังไผ่, everywhere in the
    official document (Part 2 tables, Part 3 sheets and their headings, the table of contents)."""
    cut = [
        ("คอร์", "รัปชัน"),
        ("จิตอา", "สา"),
        ("ซื่อ", "สัตย์"),
        ("ชัด", "เจน"),
        ("วัง", "ไผ่"),
        ("เทศบาล", "ตำบลวังไผ่"),
    ]
    text = pdf_text(render_pdf(wangphai))
    lines = [line.strip() for line in text.replace("\f", "\n").split("\n") if line.strip()]
    found = [
        f"{before[-16:]} / {after[:16]}"
        for before, after in itertools.pairwise(lines)
        for end, start in cut
        if before.endswith(end) and after.startswith(start)
    ]
    assert found == []
    assert "\u2060" not in text and "\u200b" not in text
