"""Benchmark: render a synthetic 250-item plan as PDF and as DOCX.

    .venv/bin/python benchmarks/render.py [--items 250] [--runs 5] [--heavy] [--varied]

Each format runs in its own child process (so the peak memory is that format's alone) against an in-memory
SQLite database: a first render, then the median of ``--runs`` renders, each after an edit of one item title
(as between two downloads). Targets (issue 3): PDF ≤ 1.0 s, DOCX ≤ 1.0 s, each ≤ 300 MB.

Memory: the PDF is laid out by Typst in worker processes that end with each document (``pdf.py``), so two
peaks are printed: the rendering process itself (Django, the plan, the pages being put together) and the
largest worker.
Each is a process's peak resident set (``ru_maxrss``); a worker's is read from RUSAGE_CHILDREN, the largest
of the finished children of the rendering process. ``--varied`` gives every item its own wording, so that
Typst cannot reuse the layout of one paragraph for another. Laid-out chunks are kept on disk under
``VAR_DIR``: each run starts with an empty one, so the first render lays out every chunk.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = (
    "เทศบาลส่งเสริมให้บุคลากรและประชาชนมีส่วนร่วมในการป้องกันการทุจริต "
    "โดยจัดกิจกรรมอบรม เผยแพร่ข้อมูลข่าวสาร และติดตามผลอย่างต่อเนื่อง "
)


def varied(text: str, seed: int) -> str:
    """``text`` with its words in an order of its own (the same words, so about the same length)."""
    words = text.split()
    shift = seed % len(words)
    return " ".join(words[shift:] + words[:shift]) if seed else text


def synthetic_plan(items: int, heavy: bool = False, vary: bool = False) -> dict[str, Any]:
    """A plan document (interchange format) with ``items`` items spread over the template's missions.

    Each Part 3 sheet fills about one page; ``heavy`` doubles its text (about 2.4 pages a sheet, more than
    the Wang Phai demo's 1.9); ``vary`` words each item's texts in its own order."""
    words = 2 if heavy else 1
    from prongsai.plans.structure import load_template

    template = load_template("dla-2561-2564")
    leaves: list[dict[str, Any]] = []

    def mission(node: dict[str, Any]) -> dict[str, Any]:
        out = {"code": node["code"], "title_th": node["title_th"], "items": [], "missions": []}
        out["missions"] = [mission(child) for child in node.get("missions", [])]
        if not out["missions"]:
            leaves.append(out)
        return out

    dimensions = [
        {
            "number": d["number"],
            "title_th": d["title_th"],
            "missions": [mission(m) for m in d.get("missions", [])],
        }
        for d in template["dimensions"]
    ]
    kinds = ["project", "activity", "measure"]
    for n in range(items):
        kind = kinds[n % 3]
        budgets = (
            {} if kind == "measure" else {str(y): f"{(n % 9 + 1) * 12500}.00" for y in (2561, 2562, 2564)}
        )
        leaves[n % len(leaves)]["items"].append(
            {
                "kind": kind,
                "title": f"โครงการส่งเสริมความโปร่งใสและป้องกันการทุจริต ลำดับที่ {n + 1}",
                "note": "ดำเนินการร่วมกับชุมชน" if n % 4 == 0 else "",
                "details": {
                    "rationale": varied(SENTENCE * 2 * words, n * vary),
                    "objectives": varied(SENTENCE * words, 3 * n * vary),
                    "outputs": varied(SENTENCE, 5 * n * vary),
                    "area": "เขตเทศบาลตำบล",
                    "method": varied(SENTENCE * (1 + words), 7 * n * vary),
                    "duration": "ปีงบประมาณ พ.ศ. ๒๕๖๑ – ๒๕๖๔",
                    "responsible": "สำนักปลัดเทศบาล",
                },
                "budgets": budgets,
                "indicators": [
                    {"description": "ร้อยละของผู้เข้าร่วมที่พึงพอใจ", "target_value": "80.00", "unit": "ร้อยละ"}
                ],
            }
        )
    part1 = {"preface": [SENTENCE * 3], "strengths": [SENTENCE] * 12, "weaknesses": [SENTENCE] * 8}
    return {
        "format": "prongsai.plan",
        "format_version": 1,
        "organization": {
            "slug": "bench",
            "name_th": "เทศบาลตำบลทดสอบ",
            "kind": "subdistrict",
            "district_th": "อำเภอเมืองชุมพร",
            "province_th": "จังหวัดชุมพร",
        },
        "plan": {
            "slug": "2561-2564",
            "revision": 1,
            "title": "แผนปฏิบัติการป้องกันการทุจริตสี่ปี",
            "first_year": 2561,
            "last_year": 2564,
            "template": "dla-2561-2564",
            "status": "draft",
            "digits": "thai",
            "part1": part1,
            "dimensions": dimensions,
        },
    }


def child(fmt: str, items: int, runs: int, heavy: bool, vary: bool) -> dict[str, Any]:
    os.environ["PRONGSAI_SQLITE_PATH"] = ":memory:"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import translation

    translation.activate("th")
    call_command("migrate", verbosity=0)
    from prongsai.documents.pdf import render_pdf
    from prongsai.documents.word import render_docx
    from prongsai.organizations.access import SystemActor
    from prongsai.plans.interchange import import_plan
    from prongsai.plans.models import Plan

    import_plan(synthetic_plan(items, heavy, vary), actor=SystemActor("benchmark"))
    render = render_pdf if fmt == "pdf" else render_docx

    def edited(run: int) -> Plan:
        """The plan after an edit, as between two downloads: a changed item title (so Typst cannot
        reuse the whole previous layout)."""
        plan = Plan.objects.select_related("organization").get(slug="2561-2564")
        plan.items.filter(pk=plan.items.order_by("pk").values("pk")[:1]).update(
            title=f"โครงการแก้ไขครั้งที่ {run}"
        )
        return plan

    from prongsai.documents import pdf

    # the first render of the process: fonts, every chunk of the PDF laid out, python-docx's template
    start = time.perf_counter()
    output = render(edited(0))
    first = time.perf_counter() - start
    timings = []
    laid_out = []
    for run in range(1, runs + 1):
        plan = edited(run)
        start = time.perf_counter()
        output = render(plan)
        timings.append(time.perf_counter() - start)
        laid_out.append(f"{pdf.last_stats.laid_out}/{pdf.last_stats.chunks}")
    pages = None
    if fmt == "pdf":
        pages = output.count(b"/Type /Page\n") + output.count(b"/Type/Page\n") or None
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(output)
            handle.flush()
            info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=False)  # noqa: S603, S607
            for line in info.stdout.splitlines():
                if line.startswith("Pages:"):
                    pages = int(line.split()[1])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if fmt == "pdf":  # pdfinfo, also a child, is far smaller than a Typst worker
        worker_mb: float | None = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    else:
        worker_mb = None
    return {
        "format": fmt,
        "first_s": first,
        "median_s": statistics.median(timings),
        "timings": timings,
        "pages": pages,
        "bytes": len(output),
        "peak_mb": peak_mb,
        "worker_peak_mb": worker_mb,
        "chunks_laid_out": laid_out if fmt == "pdf" else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=250)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--heavy", action="store_true", help="about 2.4 pages per Part 3 sheet instead of 1")
    parser.add_argument("--varied", action="store_true", help="each item's texts worded in its own order")
    parser.add_argument("--child", choices=["pdf", "docx"])
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.items, args.runs, args.heavy, args.varied)))
        return
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "PRONGSAI_VAR_DIR": var, "PYTHONPATH": str(ROOT)}
        for fmt in ("pdf", "docx"):
            command = [
                sys.executable,
                __file__,
                "--child",
                fmt,
                "--items",
                str(args.items),
                "--runs",
                str(args.runs),
            ]
            command += ["--heavy"] if args.heavy else []
            command += ["--varied"] if args.varied else []
            result = subprocess.run(command, capture_output=True, text=True, env=env, check=True)  # noqa: S603
            row = json.loads(result.stdout.strip().splitlines()[-1])
            pages = f", {row['pages']} pages" if row["pages"] else ""
            worker = f", largest Typst worker {row['worker_peak_mb']:.0f} MB" if row["worker_peak_mb"] else ""
            print(
                f"{fmt:4}  {args.items} items{pages}: median {row['median_s']:.3f} s of {args.runs} renders "
                f"after an edit (first render of the process {row['first_s']:.2f} s), "
                f"{row['bytes'] / 1024:.0f} KiB, peak memory {row['peak_mb']:.0f} MB{worker}"
            )
            runs = " ".join(f"{t:.2f}" for t in row["timings"])
            chunks = (
                f"; chunks laid out again: {' '.join(row['chunks_laid_out'])}"
                if row["chunks_laid_out"]
                else ""
            )
            print(f"      renders: {runs} s{chunks}")


if __name__ == "__main__":
    main()
