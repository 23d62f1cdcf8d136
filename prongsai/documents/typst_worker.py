"""Typst in a process of its own: ``python -m prongsai.documents.typst_worker WORK_DIR FONT_DIR``.

``pdf.py`` starts this for one document and ends it when the document is made, so that the memory Typst
takes for layout (its memoised layout stays in the process it ran in) goes back to the system every time.
It imports neither Django nor the plan: it lays out the JSON files it is told to, from the templates
copied into WORK_DIR, and writes the PDFs there.

Requests and replies are JSON, one a line, on stdin and stdout:

  {"op": "chunk", "data": "<chunk.json text>", "out": "NAME.pdf"}
      → {"pages": N, "headings": [{"page", "x", "y"}, …], "warnings": [...], "peak_kb": K, "cpu_s": S}
  {"op": "document", "data": "<document.json text>", "out": "NAME.pdf", "timestamp": UNIX_SECONDS}
      → {"warnings": [...], "peak_kb": K, "cpu_s": S}
      (a draft's mark is first drawn from mark.typ into draft-mark.svg, which document.typ places)

A failed compilation replies ``{"error": "…"}`` and the worker goes on with the next request.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path
from typing import Any


def _peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def serve(work: Path, fonts: Path, requests: Any, replies: Any) -> None:
    compilers: dict[str, Any] = {}

    def compiler(name: str) -> Any:
        import typst

        if name not in compilers:
            compilers[name] = typst.Compiler(
                str(work / f"{name}.typ"), root=str(work), font_paths=[str(fonts)], ignore_system_fonts=True
            )
        return compilers[name]

    compiler("chunk")  # Typst loaded and the fonts found while the caller still reads the plan
    for line in requests:
        request = json.loads(line)
        cpu = _cpu_s()
        reply: dict[str, Any]
        try:
            name = "chunk" if request["op"] == "chunk" else "document"
            (work / f"{name}.json").write_text(request["data"], encoding="utf-8")
            found = compiler(name)
            if name == "document" and json.loads(request["data"])["meta"].get("draft"):
                # The draft mark as outlines (SVG), which document.typ places under each page as a picture.
                (work / "draft-mark.svg").write_bytes(compiler("mark").compile(format="svg"))
            # A chunk's bytes must not depend on when it was made: it is kept and reused.
            timestamp = request.get("timestamp", 0)
            pdf, warnings = found.compile_with_warnings(format="pdf", timestamp=timestamp, pdf_tags=False)
            (work / request["out"]).write_bytes(pdf)
            reply = {"warnings": [w.message for w in warnings]}
            if name == "chunk":
                laid_out = json.loads(found.query("<headings>", field="value", one=True))
                reply.update(pages=laid_out["pages"], headings=laid_out["headings"])
        except Exception as error:  # a Typst error, reported to the caller, which raises it
            reply = {"error": f"{type(error).__name__}: {getattr(error, 'message', error)}"}
        reply["peak_kb"] = _peak_kb()
        reply["cpu_s"] = round(_cpu_s() - cpu, 3)
        replies.write(json.dumps(reply, ensure_ascii=False) + "\n")
        replies.flush()


def main(argv: list[str]) -> int:
    work, fonts = Path(argv[0]), Path(argv[1])
    serve(work, fonts, sys.stdin, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
