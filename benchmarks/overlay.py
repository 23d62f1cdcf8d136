"""Putting the laid-out pages under the document's pages: ``documents/overlay.py`` against pikepdf.

The document PDF is put together from pieces laid out by Typst: each page of the document gets, under it,
a page of a piece (``overlay.underlay``). pikepdf (qpdf) can do the same with ``Page.add_underlay``. This
script times both on the same files — a document of page numbers and a piece of Thai text, both from Typst — and
prints seconds, the ratio and the output sizes, so decision 0003 can say why the hand-written writer stays.

    .venv/bin/python benchmarks/overlay.py [--pages 64] [--repeat 5]

Not a test.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

PAGE = '#set page(paper: "a4", margin: 2.5cm)\n#set text(font: "{font}", size: 16pt, lang: "th")\n'


def inputs(pages: int) -> tuple[bytes, bytes]:
    """As the document engine makes them: a document whose pages hold only their page number, and a
    piece whose pages hold the text, both laid out by Typst with the document font."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.settings")
    import django

    django.setup()
    import typst
    from django.conf import settings

    from prongsai.documents.fonts import font_folder

    head = PAGE.format(font=settings.DOCUMENT_FONT)
    text = "การป้องกันและปราบปรามการทุจริตขององค์กรปกครองส่วนท้องถิ่น " * 40
    document = head + "\n".join(f"#align(bottom + center)[{n}]\n#pagebreak()" for n in range(pages))
    piece = head + "\n".join(f"{text}\n#pagebreak()" for _ in range(pages))
    folder = str(font_folder())
    compiled = []
    for source in (document, piece):
        with tempfile.TemporaryDirectory() as work:
            (Path(work) / "main.typ").write_text(source, encoding="utf-8")
            compiled.append(
                typst.compile(str(Path(work) / "main.typ"), font_paths=[folder], ignore_system_fonts=True)
            )
    return compiled[0], compiled[1]


def with_overlay(document: bytes, piece: bytes, pages: int) -> bytes:
    from prongsai.documents import overlay

    return overlay.underlay(document, {i: ("piece", i) for i in range(pages)}, {"piece": piece})


def with_pikepdf(document: bytes, piece: bytes, pages: int) -> bytes:
    import pikepdf

    target = pikepdf.open(io.BytesIO(document))
    source = pikepdf.open(io.BytesIO(piece))
    for index in range(pages):
        target.pages[index].add_underlay(source.pages[index], None)
    out = io.BytesIO()
    target.save(out)
    return out.getvalue()


def timed(make: Any, document: bytes, piece: bytes, pages: int, repeat: int) -> tuple[float, int]:
    seconds, size = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        size = len(make(document, piece, pages))
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=64, help="the Wang Phai plan has 64–67")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    pages = args.pages
    document, piece = inputs(pages)
    ours, ours_size = timed(with_overlay, document, piece, pages, args.repeat)
    theirs, theirs_size = timed(with_pikepdf, document, piece, pages, args.repeat)
    print(
        f"{pages} pages (document {len(document) / 1024:.0f} KiB, piece {len(piece) / 1024:.0f} KiB), median of {args.repeat}"
    )
    print(f"overlay.underlay     {ours * 1000:8.1f} ms   {ours_size / 1024:8.0f} KiB")
    print(f"pikepdf add_underlay {theirs * 1000:8.1f} ms   {theirs_size / 1024:8.0f} KiB")
    print(f"pikepdf / overlay    {theirs / ours:8.2f} ×")


if __name__ == "__main__":
    main()
