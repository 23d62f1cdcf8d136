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
import os
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MARK_ADVANCE_EM = (
    0.15  # wide enough for every Laksaman offset (≤ 0.21 em), short of poppler's 0.2 em overlap rule
)
GDEF_MARK_CLASS = 3
SFNT_VERSIONS = (b"\x00\x01\x00\x00", b"OTTO", b"true")
FOLDER_VERSION = "1"  # bump when the derivation changes, so cached folders are rebuilt

_lock = threading.Lock()
_folders: dict[str, Path] = {}


@dataclass(frozen=True)
class FontFile:
    family: str
    path: Path


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    words: tuple[int, ...] = struct.unpack(f">{len(data) // 4}I", data)
    return sum(words) & 0xFFFFFFFF


def _tables(font: bytes) -> dict[str, tuple[int, int, int]]:
    """Table tag → (offset of its directory record, offset of the table, length)."""
    count = struct.unpack_from(">H", font, 4)[0]
    tables = {}
    for index in range(count):
        record = 12 + 16 * index
        tag, _checksum_value, offset, length = struct.unpack_from(">4sIII", font, record)
        tables[tag.decode("latin-1")] = (record, offset, length)
    return tables


def _mark_glyphs(font: bytes, gdef: int) -> set[int]:
    """Glyph ids that the GDEF glyph class definition (format 1 or 2) calls marks."""
    class_def_offset = struct.unpack_from(">H", font, gdef + 4)[0]
    if not class_def_offset:
        return set()
    base = gdef + class_def_offset
    marks: set[int] = set()
    class_format = struct.unpack_from(">H", font, base)[0]
    if class_format == 1:
        start, count = struct.unpack_from(">HH", font, base + 2)
        for index in range(count):
            if struct.unpack_from(">H", font, base + 6 + 2 * index)[0] == GDEF_MARK_CLASS:
                marks.add(start + index)
    elif class_format == 2:
        count = struct.unpack_from(">H", font, base + 2)[0]
        for index in range(count):
            first, last, glyph_class = struct.unpack_from(">HHH", font, base + 4 + 6 * index)
            if glyph_class == GDEF_MARK_CLASS:
                marks.update(range(first, last + 1))
    return marks


def widen_marks(data: bytes, em: float = MARK_ADVANCE_EM) -> bytes:
    """``data`` (a TrueType/OpenType font) with every zero-width GDEF mark given an advance of ``em``.

    Fonts without GDEF, and font collections, come back unchanged.
    """
    if data[:4] not in SFNT_VERSIONS:
        return data
    tables = _tables(data)
    if not {"head", "hhea", "hmtx", "GDEF"} <= tables.keys():
        return data
    font = bytearray(data)
    head = tables["head"][1]
    units_per_em = struct.unpack_from(">H", font, head + 18)[0]
    long_metrics = struct.unpack_from(">H", font, tables["hhea"][1] + 34)[0]
    hmtx_record, hmtx, hmtx_length = tables["hmtx"]
    advance = round(em * units_per_em)
    changed = False
    for glyph in sorted(_mark_glyphs(data, tables["GDEF"][1])):
        # Glyphs past numberOfHMetrics share the last advance and cannot be changed one by one.
        if glyph < long_metrics and struct.unpack_from(">H", font, hmtx + 4 * glyph)[0] == 0:
            struct.pack_into(">H", font, hmtx + 4 * glyph, advance)
            changed = True
    if not changed:
        return data
    struct.pack_into(">I", font, hmtx_record + 4, _checksum(bytes(font[hmtx : hmtx + hmtx_length])))
    struct.pack_into(">I", font, head + 8, 0)
    struct.pack_into(">I", font, head + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)


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


def _cmap(font: bytes, offset: int) -> dict[int, int]:
    """Code point → glyph id from the font's Unicode cmap subtable (format 4 or 12)."""
    count = struct.unpack_from(">H", font, offset + 2)[0]
    subtables = {}
    for index in range(count):
        platform, encoding, sub = struct.unpack_from(">HHI", font, offset + 4 + 8 * index)
        subtables[(platform, encoding)] = offset + sub
    mapping: dict[int, int] = {}
    for key in ((3, 10), (0, 4), (3, 1), (0, 3)):
        base = subtables.get(key)
        if base is None:
            continue
        table_format = struct.unpack_from(">H", font, base)[0]
        if table_format == 12:
            groups = struct.unpack_from(">I", font, base + 12)[0]
            for group in range(groups):
                first, last, glyph = struct.unpack_from(">III", font, base + 16 + 12 * group)
                for code in range(first, last + 1):
                    mapping[code] = glyph + code - first
            return mapping
        if table_format == 4:
            segments = struct.unpack_from(">H", font, base + 6)[0] // 2
            ends = base + 14
            starts = ends + 2 * segments + 2
            deltas = starts + 2 * segments
            range_offsets = deltas + 2 * segments
            for segment in range(segments):
                end = struct.unpack_from(">H", font, ends + 2 * segment)[0]
                start = struct.unpack_from(">H", font, starts + 2 * segment)[0]
                delta = struct.unpack_from(">h", font, deltas + 2 * segment)[0]
                range_offset = struct.unpack_from(">H", font, range_offsets + 2 * segment)[0]
                for code in range(start, min(end, 0xFFFE) + 1):
                    if range_offset == 0:
                        glyph = (code + delta) & 0xFFFF
                    else:
                        at = range_offsets + 2 * segment + range_offset + 2 * (code - start)
                        glyph = struct.unpack_from(">H", font, at)[0]
                        glyph = (glyph + delta) & 0xFFFF if glyph else 0
                    if glyph:
                        mapping[code] = glyph
            return mapping
    return mapping


def font_metrics(data: bytes) -> Metrics:
    """The advance of every character that ``data`` (a TrueType/OpenType font, not a collection) maps."""
    tables = _tables(data)
    units_per_em = struct.unpack_from(">H", data, tables["head"][1] + 18)[0]
    long_metrics = struct.unpack_from(">H", data, tables["hhea"][1] + 34)[0]
    hmtx = tables["hmtx"][1]
    marks = _mark_glyphs(data, tables["GDEF"][1]) if "GDEF" in tables else set()

    def advance(glyph: int) -> int:
        if glyph in marks:
            return 0
        advance_value: int = struct.unpack_from(">H", data, hmtx + 4 * min(glyph, long_metrics - 1))[0]
        return advance_value

    advances = {chr(code): advance(glyph) for code, glyph in _cmap(data, tables["cmap"][1]).items()}
    return Metrics(units_per_em, advances, advance(0))


def _face(path: Path) -> tuple[int, bool]:
    """(weight class, italic) of the font file at ``path``, from its OS/2 table."""
    data = path.read_bytes()
    tables = _tables(data) if data[:4] in SFNT_VERSIONS else {}
    if "OS/2" not in tables:
        return 400, "italic" in path.name.lower()
    offset = tables["OS/2"][1]
    (weight,) = struct.unpack_from(">H", data, offset + 4)
    (selection,) = struct.unpack_from(">H", data, offset + 62)
    return weight, bool(selection & 1)


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
