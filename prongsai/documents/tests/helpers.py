"""Reading documents back: text extracted by poppler's pdftotext, page by page."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from prongsai.conftest import SETUP
from prongsai.organizations.access import SystemActor
from prongsai.plans import actions
from prongsai.plans.interchange import import_plan
from prongsai.plans.models import Plan

DEMO_FILE = Path(__file__).resolve().parents[2] / "plans" / "demo" / "wangphai-2561-2564.json"


def run_tool(name: str, *args: str, data: bytes | None = None) -> str:
    """The output of poppler tool ``name`` (pdftotext, pdfinfo, pdffonts), fed ``data`` on stdin."""
    path = shutil.which(name)
    assert path, f"{name} is missing: apt-get install poppler-utils"
    result = subprocess.run([path, *args], input=data, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page as pdftotext (default reading order) extracts it."""
    return run_tool("pdftotext", "-", "-", data=pdf).split("\f")[:-1]


def pdf_text(pdf: bytes) -> str:
    """The text of the whole document with the page furniture left out: the page number closing each page."""
    pages = []
    for page in pdf_pages(pdf):
        lines = page.rstrip("\n").split("\n")
        if lines and re.fullmatch(r"[0-9๐-๙]+", lines[-1].strip()):
            lines.pop()
        pages.append("\n".join(lines))
    return "\f".join(pages)


def as_extracted(text: str) -> re.Pattern[str]:
    """``text`` as it must come out of the PDF: each run of whitespace may become any whitespace, and a
    line or page may end between any two letters (Thai has no spaces between words) — but no space may
    appear where the text has none, so a split such as "ป้ องกัน" does not match."""
    words = text.split()
    parts = []
    for word in words:
        parts.append(r"[\n\f]*".join(re.escape(ch) for ch in word))
    return re.compile(r"\s+".join(parts))


def missing_from(pdf_text_: str, texts: list[str]) -> list[str]:
    return [t for t in texts if not as_extracted(t).search(pdf_text_)]


def import_wangphai() -> Plan:
    return import_plan(json.loads(DEMO_FILE.read_text(encoding="utf-8")), actor=SystemActor("test"))


def publish(plan: Plan) -> Plan:
    actions.approve_plan(SystemActor("test"), actions.submit_plan(SETUP, plan))
    return actions.publish_plan(SystemActor("test"), plan)


def demo_texts() -> tuple[list[str], list[str]]:
    """(Part 1 entry texts, item titles) of the Wang Phai demo file."""
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))["plan"]
    entries = [text for texts in data["part1"].values() for text in texts]
    titles: list[str] = []

    def walk(missions: list[dict[str, object]]) -> None:
        for mission in missions:
            titles.extend(item["title"] for item in mission["items"])  # type: ignore[attr-defined]
            walk(mission["missions"])  # type: ignore[arg-type]

    for dimension in data["dimensions"]:
        walk(dimension["missions"])
    return entries, titles


@dataclass(frozen=True)
class Word:
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    text: str


def pdf_words(pdf: bytes) -> list[tuple[float, float, list[Word]]]:
    """Each page's width, height (pt) and words with their boxes, as ``pdftotext -bbox`` finds them."""
    out = run_tool("pdftotext", "-bbox", "-", "-", data=pdf)
    pages = []
    for width, height, body in re.findall(
        r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S
    ):
        words = [
            Word(float(a), float(b), float(c), float(d), html.unescape(t))
            for a, b, c, d, t in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', body
            )
        ]
        pages.append((float(width), float(height), words))
    return pages
