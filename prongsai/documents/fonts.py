"""The fonts Typst may use for the plan document, with the document font's Thai marks made extractable.

Why a derived copy of the font: OpenType Thai fonts such as Laksaman give their marks (ไม้เอก, ไม้โท,
สระอิ …) a zero advance width and move them with GPOS anchors; over the tall consonants ป ฝ ฟ the mark is
moved left by 0.10–0.21 em. Typst writes such a cluster as one /ActualText span, and poppler (pdftotext,
Evince, Okular) takes the span to end where the mark ends, sees a gap wider than its 0.1 em word-break
threshold before the next letter, and extracts "ป้องกัน" as "ป้ องกัน". Giving the marks a 0.15 em advance
*in the font file only* moves where the span ends without moving any glyph: the shaper still zeroes the
advance of every glyph that GDEF classes as a mark, and Typst compensates the difference in the PDF's
text positioning, so the page looks the same to the pixel. Only the ``hmtx`` table changes.

The derived files and links to every other installed font go into one folder under ``VAR_DIR`` that Typst
reads instead of the system font folders, so that the derived family is the only one with that name.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from fontTools.ttLib import TTFont

MARK_ADVANCE_EM = (
    0.15  # wide enough for every Laksaman offset (≤ 0.21 em), short of poppler's 0.2 em overlap rule
)
GDEF_MARK_CLASS = 3
SFNT_VERSIONS = (b"\x00\x01\x00\x00", b"OTTO", b"true")
FOLDER_VERSION = "2"  # bump when the derivation changes, so cached folders are rebuilt

_lock = threading.Lock()
_folders: dict[str, Path] = {}


@dataclass(frozen=True)
class FontFile:
    family: str
    path: Path


def _open(data: bytes) -> TTFont | None:
    """The font in ``data`` (TrueType/OpenType), read lazily; None for a collection or anything else."""
    if data[:4] not in SFNT_VERSIONS:
        return None
    return TTFont(io.BytesIO(data), lazy=True, recalcBBoxes=False, recalcTimestamp=False)


def mark_glyphs(font: TTFont) -> set[str]:
    """The glyphs that the font's GDEF glyph class definition calls marks."""
    if "GDEF" not in font:
        return set()
    class_def = font["GDEF"].table.GlyphClassDef
    if class_def is None:
        return set()
    return {name for name, glyph_class in class_def.classDefs.items() if glyph_class == GDEF_MARK_CLASS}


def widen_marks(data: bytes, em: float = MARK_ADVANCE_EM) -> bytes:
    """``data`` (a TrueType/OpenType font) with every zero-width GDEF mark given an advance of ``em``.

    Fonts without GDEF, and font collections, come back unchanged. fontTools rewrites the tables it
    changes (hmtx, and hhea and head for their counts and checksum) and copies the others as they were.
    """
    font = _open(data)
    if font is None or not {"head", "hhea", "hmtx", "GDEF"} <= set(font.keys()):
        return data
    advance = round(em * font["head"].unitsPerEm)
    metrics_table = font["hmtx"]
    long_metrics = font["hhea"].numberOfHMetrics
    changed = False
    for name in sorted(mark_glyphs(font)):
        # Glyphs past numberOfHMetrics share the last advance and cannot be changed one by one.
        width, left = metrics_table[name]
        if font.getGlyphID(name) < long_metrics and width == 0:
            metrics_table[name] = (advance, left)
            changed = True
    if not changed:
        return data
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def installed_fonts() -> list[FontFile]:
    """Every font file Typst finds on this machine (system folders), with its family name."""
    import typst

    seen: set[tuple[str, str]] = set()
    found = []
    for info in typst.Fonts(include_system_fonts=True, include_embedded_fonts=False).fonts():
        if info.path and (info.family, info.path) not in seen:
            seen.add((info.family, info.path))
            found.append(FontFile(info.family, Path(info.path)))
    return found


def family_files(family: str, fonts: list[FontFile] | None = None) -> list[Path]:
    """The files of ``family`` (regular, bold, italic …); empty when it is not installed."""
    fonts = installed_fonts() if fonts is None else fonts
    return sorted({font.path for font in fonts if font.family.casefold() == family.casefold()})


def _build_folder(family: str) -> Path:
    fonts = installed_fonts()
    own = family_files(family, fonts)
    if not own:
        raise ImproperlyConfigured(
            f"DOCUMENT_FONT {family!r} is not installed (on Debian: apt-get install fonts-tlwg-laksaman)"
        )
    own_set = set(own)
    others = sorted({font.path for font in fonts} - own_set)
    key = hashlib.sha256(
        "\n".join(
            [
                FOLDER_VERSION,
                family,
                *(f"{p}:{p.stat().st_mtime_ns}:{p.stat().st_size}" for p in own),
                *map(str, others),
            ]
        ).encode()
    ).hexdigest()[:16]
    folder = Path(settings.VAR_DIR) / "document-fonts" / key
    if (folder / ".complete").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for path in own:
        (folder / path.name).write_bytes(widen_marks(path.read_bytes()))
    fallback = folder / "fallback"
    fallback.mkdir(exist_ok=True)
    for index, path in enumerate(others):
        link = fallback / f"{index:04d}-{path.name}"
        if not link.exists():
            os.symlink(path, link)
    (folder / ".complete").write_text(family, encoding="utf-8")
    return folder


def font_folder(family: str | None = None) -> Path:
    """The folder Typst reads fonts from: ``family`` derived as above, every other font linked as is."""
    family = family or settings.DOCUMENT_FONT
    with _lock:
        folder = _folders.get(family)
        if folder is None or not folder.exists():
            folder = _folders[family] = _build_folder(family)
        return folder


# --- text widths -------------------------------------------------------------------------------------
# Column widths are decided before layout, by content.py, so that the PDF and the Word file get the same
# ones: an amount column is as wide as its widest amount. A width here is the sum of the advances of the
# characters' glyphs, marks counted as zero (as the shaper counts them); no kerning. Exact for digits and
# separators, within a few per cent for Thai words.


@dataclass(frozen=True)
class Metrics:
    units_per_em: int
    advances: dict[str, int]  # character → advance in font units (marks: 0)
    default: int  # the advance of a character the font lacks


def font_metrics(data: bytes) -> Metrics:
    """The advance of every character that ``data`` (a TrueType/OpenType font, not a collection) maps."""
    font = _open(data)
    if font is None:
        raise ImproperlyConfigured("not a TrueType/OpenType font file")
    marks = mark_glyphs(font)
    metrics_table = font["hmtx"]

    def advance(name: str) -> int:
        return 0 if name in marks else int(metrics_table[name][0])

    advances = {chr(code): advance(name) for code, name in font.getBestCmap().items()}
    return Metrics(int(font["head"].unitsPerEm), advances, advance(font.getGlyphOrder()[0]))


def _face(path: Path) -> tuple[int, bool]:
    """(weight class, italic) of the font file at ``path``, from its OS/2 table."""
    font = _open(path.read_bytes())
    if font is None or "OS/2" not in font:
        return 400, "italic" in path.name.lower()
    os2 = font["OS/2"]
    return int(os2.usWeightClass), bool(os2.fsSelection & 1)


_metrics: dict[tuple[str, bool], Metrics] = {}


def metrics(family: str | None = None, bold: bool = False) -> Metrics:
    """The metrics of ``family`` (the document font by default), regular or bold, upright."""
    family = family or settings.DOCUMENT_FONT
    key = (family.casefold(), bold)
    with _lock:
        found = _metrics.get(key)
    if found is None:
        faces = [(path, *_face(path)) for path in family_files(family)]
        upright = [(path, weight) for path, weight, italic in faces if not italic] or [
            (path, weight) for path, weight, _italic in faces
        ]
        if not upright:
            raise ImproperlyConfigured(f"DOCUMENT_FONT {family!r} is not installed")
        wanted = 700 if bold else 400
        path = min(upright, key=lambda face: abs(face[1] - wanted))[0]
        found = font_metrics(path.read_bytes())
        with _lock:
            _metrics[key] = found
    return found


def text_width_pt(text: str, size_pt: float, bold: bool = False, family: str | None = None) -> float:
    """The width of ``text`` on one line, in points, at ``size_pt`` in ``family``."""
    found = metrics(family, bold)
    units = sum(found.advances.get(ch, found.default) for ch in text)
    return units * size_pt / found.units_per_em
