"""The plan document as PDF, laid out by Typst from the data of ``content.py``.

The plan reaches Typst only as data — JSON files the templates read with ``json(...)``, never pasted into
markup — so titles such as ``#set text(red)`` or ``$x$`` print as they are.

How a document is made, so that a plan of a few hundred items takes well under a second and 300 MB:

- The body is cut at its page breaks into **chunks** (``typst/chunk.typ``): Part 1, each dimension's
  table, the summary, each run of Part 3 sheets. A chunk starts on a new page whichever way the body is
  cut, so cutting changes nothing on the page. Each chunk is laid out on its own, with no page numbers.
- The **document** (``typst/document.typ``) lays out the front matter and one page for each body page,
  with its page number, the draft mark and the chunk's headings (hidden, where they are on the page) for
  the table of contents and the bookmarks; ``overlay.py`` then draws each chunk page under its page.
  The document is kept too, made at time 0, and dated as it goes out.
- Laid-out chunks are kept through the storage API (``_Store``: on disk, or in the object store every
  server and the worker share), keyed by a digest of their data, the templates and the fonts: after an
  edit of one item only the chunks it appears in are laid out again, and a plan laid out ahead by the
  worker (``prongsai/lib/jobs.py``) is only put together when it is published.
- Typst runs in worker processes (``typst_worker.py``) that end with each document. Typst keeps its
  memoised layout for as long as its process lives (it grew by ~20 MB per re-render, to ~500 MB), so
  the worker's memory is returned every time, and the web process never holds Typst's.
  Chunks that need laying out are shared between two workers when there is enough work for two cores.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils import timezone

from prongsai.documents import overlay, thaiwords
from prongsai.documents.blocks import DocumentData
from prongsai.documents.content import document_data
from prongsai.documents.fonts import font_folder
from prongsai.documents.record import LogPosition
from prongsai.plans.models import Plan

logger = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).resolve().parent / "typst"
TEMPLATES = ("common.typ", "chunk.typ", "document.typ", "mark.typ")
CHUNK_META = ("font", "size_pt", "lang", "cell_inset_pt", "cell_inset_y_pt")  # what a chunk's layout reads
CACHE_BYTES = 256 * 1024 * 1024  # laid-out chunks and documents kept on disk
SECOND_WORKER_CHARS = 150_000  # chunk data worth a second worker process (its start costs ~0.1 s)
TIMEOUT_S = 600

_lock = threading.Lock()


class DocumentError(RuntimeError):
    """Typst could not make the document (an error in a template, or a worker that died)."""


@dataclass
class Chunk:
    key: str
    landscape: bool
    headings: list[tuple[int, str]]  # (level, text) of each outlined heading, in order
    size: int = 0  # characters of JSON, a measure of the work of laying it out
    payload: str = ""


@dataclass
class LaidOut:
    pdf: bytes
    pages: int
    positions: list[dict[str, float]]  # page (1-based), x, y (pt) of each outlined heading


@dataclass
class RenderStats:
    """What the last render did, for the benchmark: chunks laid out and reused, workers' peak memory."""

    chunks: int = 0
    laid_out: int = 0
    workers: int = 0
    worker_peak_kb: list[int] = field(default_factory=list)
    chunks_s: float = 0.0  # laying out the chunks that were not kept
    document_s: float = 0.0  # making the document from the chunks
    total_s: float = 0.0


last_stats = RenderStats()


class _Store:
    """Laid-out chunks and documents by key, kept through Django's storage API (``STORAGES["documents"]``):
    files under ``VAR_DIR/document-cache`` by default, or the S3-compatible store that every application
    server and worker shares (``PRONGSAI_STORAGE=s3``), so a chunk laid out by the worker or by another
    server is not laid out again here. One object per key holds a JSON line (pages, heading positions,
    the PDF's length) and the PDF: an object cut short while another process writes it reads as a miss,
    and the chunk is laid out again. A key names what its chunk holds, so an object is never stale.

    On a filesystem the least recently used go once the files pass ``CACHE_BYTES``; an object store ages
    them out by its own lifecycle rule (docs/deployment.md)."""

    SUFFIX = ".chunk"

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.root: Path | None = None  # a folder of its own instead of STORAGES["documents"] (tests)
        self.written = 0

    def storage(self) -> Storage:
        if self.root is not None:
            return FileSystemStorage(location=self.root, allow_overwrite=True)
        return storages["documents"]

    @staticmethod
    def name(key: str) -> str:
        return f"{key[:2]}/{key}{_Store.SUFFIX}"

    def _local_path(self, storage: Storage, name: str) -> Path | None:
        try:
            return Path(storage.path(name))
        except NotImplementedError:  # an object store: no path, no access times
            return None

    def get(self, key: str) -> LaidOut | None:
        storage = self.storage()
        name = self.name(key)
        try:
            with storage.open(name, "rb") as stored:
                data = stored.read()
        except FileNotFoundError:  # S3Storage raises it too for a missing key
            return None
        head, _newline, pdf = data.partition(b"\n")
        try:
            about = json.loads(head)
            if len(pdf) != about["bytes"]:
                return None  # written while we read
        except (ValueError, KeyError, TypeError):
            return None
        local = self._local_path(storage, name)
        if local is not None:
            with contextlib.suppress(FileNotFoundError):
                os.utime(local)  # recently used
        return LaidOut(pdf, about["pages"], about["positions"])

    def put(self, key: str, laid_out: LaidOut) -> None:
        storage = self.storage()
        about = json.dumps(
            {"pages": laid_out.pages, "positions": laid_out.positions, "bytes": len(laid_out.pdf)}
        )
        storage.save(self.name(key), ContentFile(about.encode() + b"\n" + laid_out.pdf))
        self.written += len(laid_out.pdf)
        if self.written > self.limit // 8:
            self.written = 0
            self.prune()

    def prune(self) -> None:
        """On a filesystem, remove the least recently used entries until the files take three quarters of
        the limit (an object store's lifecycle rule does this there)."""
        storage = self.storage()
        try:
            folder = Path(storage.path(""))
        except NotImplementedError:
            return
        entries = []
        for path in folder.glob(f"*/*{self.SUFFIX}"):
            try:
                status = path.stat()
            except FileNotFoundError:
                continue
            entries.append((status.st_mtime, path, status.st_size))
        total = sum(size for _time, _path, size in entries)
        for _time, path, size in sorted(entries):
            if total <= self.limit * 3 // 4:
                break
            path.unlink(missing_ok=True)
            total -= size


_store = _Store(CACHE_BYTES)


def _templates_digest() -> str:
    digest = hashlib.sha256()
    for name in TEMPLATES:
        digest.update((TEMPLATE_DIR / name).read_bytes())
    return digest.hexdigest()


def split(data: DocumentData, fonts: Path) -> tuple[list[dict[str, Any]], list[Chunk]]:
    """The front matter's blocks (unnumbered sections, laid out by the document) and the body's chunks:
    each numbered section cut at its page breaks."""
    meta = {name: value for name, value in data["meta"].items() if name in CHUNK_META}
    names = data["meta"].get("names", [])
    salt = f"{_templates_digest()}\n{fonts}\n"
    front: list[dict[str, Any]] = []
    chunks: list[Chunk] = []
    for section in data["sections"]:
        if not section["numbered"]:
            front += section["blocks"]
            continue
        pieces: list[list[dict[str, Any]]] = [[]]
        for block in section["blocks"]:
            if block["t"] == "pagebreak":
                pieces.append([])
            else:
                pieces[-1].append(block)
        for blocks in pieces:
            if not blocks:
                continue
            # The words this chunk must keep whole (thaiwords.py), from its own text: an edit elsewhere in
            # the document leaves its layout, and its key, unchanged.
            words = thaiwords.unbreakable(thaiwords.texts_of(blocks), names)
            chunk_data = {
                "meta": {**meta, "unbreakable": words},
                "landscape": section["landscape"],
                "blocks": blocks,
            }
            payload = json.dumps(chunk_data, ensure_ascii=False, sort_keys=True)
            headings = [(b["level"], b["text"]) for b in blocks if b["t"] == "heading" and b["outline"]]
            chunks.append(
                Chunk(
                    key=hashlib.sha256((salt + payload).encode()).hexdigest(),
                    landscape=section["landscape"],
                    headings=headings,
                    size=len(payload),
                    payload=payload,
                )
            )
    return front, chunks


class _Worker:
    """One ``typst_worker`` process, asked one request at a time, in its own folder ``work``."""

    def __init__(self, work: Path, fonts: Path) -> None:
        self.work = work
        work.mkdir()
        for name in TEMPLATES:
            shutil.copyfile(TEMPLATE_DIR / name, work / name)
        root = str(Path(__file__).resolve().parents[2])
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
        }
        self.stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.process = subprocess.Popen(  # noqa: S603 (our own module, run by the running interpreter)
            [sys.executable, "-m", "prongsai.documents.typst_worker", str(work), str(fonts)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=env,
            text=True,
            encoding="utf-8",
        )
        self.timer = threading.Timer(TIMEOUT_S, self.process.kill)
        self.timer.start()
        self.peak_kb = 0

    def send(self, request: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
        self.process.stdin.flush()

    def receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            self.stderr.seek(0)
            message = self.stderr.read().decode("utf-8", "replace")[-2000:]
            raise DocumentError(f"the Typst worker stopped (exit {self.process.returncode}): {message}")
        reply: dict[str, Any] = json.loads(line)
        self.peak_kb = max(self.peak_kb, reply.get("peak_kb", 0))
        logger.debug("typst worker %s: %s s", self.process.pid, reply.get("cpu_s"))
        for warning in reply.get("warnings", []):
            logger.warning("typst: %s", warning)
        if "error" in reply:
            raise DocumentError(reply["error"])
        return reply

    def close(self) -> None:
        try:
            if self.process.stdin is not None and not self.process.stdin.closed:
                self.process.stdin.close()
            self.process.wait(timeout=TIMEOUT_S)
        finally:
            self.timer.cancel()
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            if self.process.stdout is not None:
                self.process.stdout.close()
            self.stderr.close()


def _share(chunks: list[Chunk], workers: int) -> list[list[Chunk]]:
    """``chunks`` dealt to ``workers`` so that each gets about as much to lay out (largest first)."""
    shares: list[list[Chunk]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for chunk in sorted(chunks, key=lambda c: -c.size):
        least = loads.index(min(loads))
        shares[least].append(chunk)
        loads[least] += chunk.size
    return shares


def _lay_out(chunks: list[Chunk], workers: list[_Worker]) -> dict[str, LaidOut]:
    """Lay out ``chunks`` in ``workers`` (in parallel, one request each at a time), and keep them."""
    laid: dict[str, LaidOut] = {}
    queues = _share(chunks, len(workers))
    pending = [(worker, queue) for worker, queue in zip(workers, queues, strict=True) if queue]
    for worker, queue in pending:
        worker.send({"op": "chunk", "data": queue[0].payload, "out": f"{queue[0].key}.pdf"})
    while pending:
        still = []
        for worker, queue in pending:
            reply = worker.receive()
            chunk = queue.pop(0)
            pdf = (worker.work / f"{chunk.key}.pdf").read_bytes()
            if len(reply["headings"]) != len(chunk.headings):
                raise DocumentError(f"chunk {chunk.key[:12]}: {len(reply['headings'])} headings laid out")
            laid[chunk.key] = LaidOut(pdf, reply["pages"], reply["headings"])
            _store.put(chunk.key, laid[chunk.key])
            if queue:
                worker.send({"op": "chunk", "data": queue[0].payload, "out": f"{queue[0].key}.pdf"})
                still.append((worker, queue))
        pending = still
    return laid


class _Render:
    """The making of one document: a folder, and workers — the first started at once, so that it starts
    while the caller is still reading the plan."""

    def __init__(self, fonts: Path) -> None:
        self.fonts = fonts
        base = Path(settings.VAR_DIR) / "typst-work"
        base.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(dir=base))
        self.workers = [_Worker(self.folder / "0", fonts)]
        self.started = time.perf_counter()

    def __enter__(self) -> _Render:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            for worker in self.workers:
                worker.close()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def make(self, data: DocumentData, timestamp: dt.datetime | None) -> bytes:
        global last_stats
        begun = time.perf_counter()
        when = (timestamp or timezone.now()).replace(microsecond=0)
        front, chunks = split(data, self.fonts)
        laid: dict[str, LaidOut] = {}
        for chunk in chunks:
            found = _store.get(chunk.key)
            if found is not None:
                laid[chunk.key] = found
        missing = list({c.key: c for c in chunks if c.key not in laid}.values())
        if (os.cpu_count() or 1) > 1 and sum(c.size for c in missing) >= SECOND_WORKER_CHARS:
            self.workers.append(_Worker(self.folder / "1", self.fonts))
        if missing:
            laid.update(_lay_out(missing, self.workers))
        chunks_done = time.perf_counter()
        pages: list[dict[str, Any]] = []
        under: dict[int, tuple[str, int]] = {}  # body page → the chunk page under it
        for chunk in chunks:
            laid_out = laid[chunk.key]
            headings = [
                {"level": level, "text": text, **position}
                for (level, text), position in zip(chunk.headings, laid_out.positions, strict=True)
            ]
            for page in range(1, laid_out.pages + 1):
                under[len(pages)] = (chunk.key, page - 1)
                pages.append(
                    {"landscape": chunk.landscape, "headings": [h for h in headings if h["page"] == page]}
                )
        # The front matter and the table of contents (the headings) keep their words whole too.
        shown = [*thaiwords.texts_of(front), *(h["text"] for p in pages for h in p["headings"])]
        words = thaiwords.unbreakable([data["meta"]["title"], *shown], data["meta"].get("names", []))
        document = json.dumps(
            {"meta": {**data["meta"], "unbreakable": words}, "front": front, "pages": pages},
            ensure_ascii=False,
        )
        # Made at time 0 and kept; dated below, as it goes out.
        key = hashlib.sha256(f"{_templates_digest()}\n{self.fonts}\n{document}".encode()).hexdigest()
        shell = _store.get(key)
        if shell is None:
            self.workers[0].send({"op": "document", "data": document, "out": "document.pdf", "timestamp": 0})
            self.workers[0].receive()
            shell = LaidOut((self.workers[0].work / "document.pdf").read_bytes(), 0, [])
            _store.put(key, shell)
        front_pages = len(overlay.Pdf(shell.pdf).pages()) - len(pages)
        pdf = overlay.underlay(
            shell.pdf,
            {front_pages + index: placed for index, placed in under.items()},
            {key: laid[key].pdf for key in {placed[0] for placed in under.values()}},
            date=when,
        )
        done = time.perf_counter()
        last_stats = RenderStats(
            chunks=len(chunks),
            laid_out=len(missing),
            workers=len(self.workers),
            worker_peak_kb=[w.peak_kb for w in self.workers],
            chunks_s=chunks_done - begun,
            document_s=done - chunks_done,
            total_s=done - self.started,
        )
        return pdf


def compile_pdf(data: DocumentData, timestamp: dt.datetime | None = None) -> bytes:
    """Lay out document ``data`` (see ``content.document_data``); ``timestamp`` is the PDF's creation date."""
    with _lock, _Render(font_folder(data["meta"]["font"])) as render:
        return render.make(data, timestamp)


def render_pdf(
    plan: Plan, amount_digits: str | None = None, log_position: LogPosition | None = None
) -> bytes:
    """The PDF of ``plan``. A published plan carries its publication time and log position (see
    ``record.py``), so re-rendering gives the same bytes."""
    with _lock, _Render(font_folder()) as render:
        return render.make(document_data(plan, amount_digits, log_position), plan.published_at)
