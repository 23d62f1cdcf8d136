"""Thai lines break only between words (issue: คอร์/รัปชัน, ซื่อ/สัตย์, ชัด/เจน, วัง/ไผ่, เทศบาล/ตำบลวังไผ่):
the words a document keeps whole, and a rendering at many widths where no line ends inside one."""

from __future__ import annotations

import itertools

import pytest

from prongsai.documents import thaiwords
from prongsai.documents.blocks import DocumentData, document_meta, head_cell, para, table, text_cell
from prongsai.documents.pdf import compile_pdf

from .helpers import pdf_pages

SPLIT_BY_ICU = ["คอร์รัปชัน", "จิตอาสา", "ซื่อสัตย์", "ชัดเจน", "วังไผ่", "เทศบาลตำบล", "คุณธรรม"]
TEXT = (
    "เทศบาลตำบลวังไผ่ส่งเสริมความซื่อสัตย์สุจริตของบุคลากร ต่อต้านคอร์รัปชันอย่างชัดเจน "
    "เชิญชวนประชาชนเป็นจิตอาสาเฝ้าระวังการทุจริตในเทศบาลตำบลวังไผ่ ยึดหลักคุณธรรมและความโปร่งใส"
)


def test_the_names_lose_their_kind_of_body_and_the_terms_come_from_the_data_file():
    assert thaiwords.names_of("เทศบาลตำบลวังไผ่", "อำเภอเมืองชุมพร", "จังหวัดชุมพร") == [
        "วังไผ่",
        "เมืองชุมพร",
        "ชุมพร",
    ]
    assert "คอร์รัปชัน" in thaiwords.domain_terms() and "เทศบาลตำบล" in thaiwords.domain_terms()


def test_compounds_of_dictionary_words_are_kept_whole_and_long_phrases_only_in_their_parts():
    words = thaiwords.unbreakable(["ยึดมั่นความซื่อสัตย์สุจริต โดยเฉพาะอย่างยิ่ง ในเทศบาลตำบลวังไผ่"], ["เทศบาลตำบลวังไผ่"])
    assert {"เทศบาลตำบล", "วังไผ่", "ซื่อสัตย์", "สุจริต"} <= set(words["terms"])
    assert {"โดยเฉพาะ", "อย่างยิ่ง"} <= set(words["compounds"])
    assert "โดยเฉพาะอย่างยิ่ง" not in words["compounds"]  # a phrase of the dictionary may break between words
    every = words["terms"] + words["compounds"]
    assert all(len(w) >= thaiwords.MIN_LETTERS for w in every)
    assert words["terms"] == sorted(words["terms"], key=lambda w: (-len(w), w))  # longest first


def cut_inside(pages: list[str]) -> list[str]:
    """Each line end that falls inside one of the words a dictionary breaker cuts."""
    found = []
    for page in pages:
        lines = [line.strip() for line in page.split("\n") if line.strip()]
        for before, after in itertools.pairwise(lines):
            for word in SPLIT_BY_ICU:
                for k in range(1, len(word)):
                    if before.endswith(word[:k]) and after.startswith(word[k:]):
                        found.append(f"{before[-12:]} / {after[:12]}")
    return found


def document(widths_cm: range) -> DocumentData:
    blocks = [
        table(
            [width / 10, 24.7 - width / 10],
            [[head_cell("ก"), head_cell("ข")]],
            [{"keep": True, "cells": [text_cell(TEXT), text_cell("")]}],
            landscape=True,
        )
        for width in widths_cm
    ]
    for block in blocks:  # each text whole on one page (a row this tall would break), read as one line run
        block["rows"][0]["keep"] = True
    return DocumentData(
        meta=document_meta("ทดสอบ", "เทศบาลตำบลวังไผ่", "thai", names=["เมืองชุมพร", "ชุมพร"]),
        sections=[{"landscape": True, "numbered": True, "restart": True, "blocks": blocks}],
    )


@pytest.mark.slow
def test_no_line_ends_inside_a_word_at_any_width(db, monkeypatch):
    widths = range(40, 160, 7)  # 4 cm to 15.6 cm: every column is wider than the longest of the words
    # Without the boxes, the dictionary breaker cuts some of these words at some of these widths ...
    with monkeypatch.context() as patched:
        patched.setattr(thaiwords, "unbreakable", lambda texts, names=(): {"terms": [], "compounds": []})
        assert cut_inside(pdf_pages(compile_pdf(document(widths))))
    # ... with them, no line ends inside one, and the text reads as written (no character added).
    pages = pdf_pages(compile_pdf(document(widths)))
    assert cut_inside(pages) == []
    text = "".join("".join(pages).split())
    assert text.count("".join(TEXT.split())) == len(widths)
    assert "\u2060" not in text and "\u200b" not in text


def test_a_compound_of_one_text_never_takes_letters_of_another_texts_word():
    heading = "ภารกิจตามมิติ ๑.๓.๑ สร้างจิตสำนึกและความตระหนักในความซื่อสัตย์สุจริต"
    alone = thaiwords.unbreakable(["มอบเกียรติบัตรร้านค้าความซื่อ"])
    assert "ความซื่อ" in alone["compounds"]  # a word of its own in this text ...
    together = thaiwords.unbreakable(["มอบเกียรติบัตรร้านค้าความซื่อ", heading])
    assert "ซื่อสัตย์" in together["terms"]
    assert "ความซื่อ" not in together["compounds"]  # ... but boxed in the heading it would cut ซื่อสัตย์
    assert "ความตระหนัก" in together["compounds"]  # compounds that overlap nothing stay


@pytest.mark.slow
def test_the_heading_of_a_sheet_breaks_before_the_term_not_inside_it(db):
    heading = "ภารกิจตามมิติ ๑.๓.๑ สร้างจิตสำนึกและความตระหนักในความซื่อสัตย์สุจริต"
    blocks = [para(heading, strong=True, keep=True), para("มอบเกียรติบัตรร้านค้าความซื่อ")]
    data = DocumentData(
        meta=document_meta("ทดสอบ", "เทศบาลตำบลวังไผ่", "thai", names=["เทศบาลตำบลวังไผ่"]),
        sections=[{"landscape": False, "numbered": True, "restart": True, "blocks": blocks}],
    )
    [page] = pdf_pages(compile_pdf(data))
    lines = [line.strip() for line in page.split("\n") if line.strip()]
    assert lines[0].endswith("ความ") and lines[1].startswith("ซื่อสัตย์สุจริต"), lines[:2]
