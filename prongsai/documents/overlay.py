"""Pages of one PDF drawn under the pages of another, for the PDFs that Typst writes; no dependency.

``pdf.py`` lays the document out in pieces: each chunk of body pages on its own, then the document itself
with the front matter and, for every body page, a page that carries only what depends on the whole (its
number, the draft mark, the headings for the table of contents and bookmarks). ``underlay`` then puts each
chunk page under its document page, as a form XObject drawn before the page's own content: the stream of
the chunk page is copied byte for byte, with the objects it uses (fonts, colour spaces), renumbered.
Typst's own way — a chunk page as an ``image`` — does the same but costs ~0.5 ms a page for parsing and
rewriting every page's content.

Only what Typst (krilla) writes is read: PDF 1.7 with a classic cross-reference table, streams with a
direct ``/Length``, no object streams. Anything else raises ``PdfError`` rather than a damaged file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Union

Value = Union["Ref", "Name", "Raw", "PdfDict", "PdfList"]


class PdfError(ValueError):
    """A PDF this module cannot read (not the kind Typst writes)."""


@dataclass(frozen=True)
class Ref:
    number: int


@dataclass(frozen=True)
class Name:
    value: bytes  # with its slash: b"/Type"


@dataclass(frozen=True)
class Raw:
    """A number, boolean, null or string, kept exactly as written."""

    value: bytes


@dataclass
class PdfDict:
    items: dict[bytes, Value] = field(default_factory=dict)  # key with its slash → value

    def get(self, key: bytes) -> Value | None:
        return self.items.get(key)


@dataclass
class PdfList:
    items: list[Value] = field(default_factory=list)


_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
# One token after any space or comment: punctuation (or the opening of a literal string), a hex string, a
# name, a reference "n g R", or another word (a number, true, false, null, a keyword).
_TOKEN = re.compile(
    rb"(?:[\x00\t\n\x0c\r ]+|%[^\r\n]*)*(?:(<<|>>|\[|\]|\()|(<[0-9A-Fa-f\x00\t\n\x0c\r ]*>)|(/"
    + _REGULAR
    + rb"*)|(\d+)[\x00\t\n\x0c\r ]+\d+[\x00\t\n\x0c\r ]+R(?!"
    + _REGULAR
    + rb")|("
    + _REGULAR
    + rb"+))"
)
_NUMBERS = re.compile(rb"\[[\d\s.+-]*\]")  # an array of numbers only (a font's widths): no references
_REFERENCE = re.compile(rb"(\d+) (\d+) R(?=[\s/\]>\[<(]|$)")
_STREAM = re.compile(rb">>\s*stream\r?\n")  # a dictionary's end and the start of its stream's data
_STREAM_AFTER = re.compile(rb"[\x00\t\n\x0c\r ]*stream\r?\n")


class _Parser:
    def __init__(self, data: bytes, at: int = 0) -> None:
        self.data = data
        self.at = at

    def token(self) -> re.Match[bytes]:
        match = _TOKEN.match(self.data, self.at)
        if match is None or match.lastindex is None:
            raise PdfError(f"unexpected {self.data[self.at : self.at + 20]!r} at {self.at}")
        self.at = match.end()
        return match

    def word(self) -> bytes:
        """The next token as bytes (a number or keyword)."""
        return self.token().group(0).strip()

    def value(self) -> Value:
        match = self.token()
        punctuation, hex_string, name, reference, word = match.groups()
        if punctuation == b"<<":
            result = PdfDict()
            while True:
                key = self.token()
                if key.group(1) == b">>":
                    return result
                if key.group(3) is None:
                    raise PdfError(f"a dictionary key that is not a name at {self.at}")
                result.items[key.group(3)] = self.value()
        if punctuation == b"[":
            numbers = _NUMBERS.match(self.data, match.start(1))
            if numbers:
                self.at = numbers.end()
                return Raw(numbers.group())
            items: list[Value] = []
            while True:
                saved = self.at
                if self.token().group(1) == b"]":
                    return PdfList(items)
                self.at = saved
                items.append(self.value())
        if punctuation == b"(":
            self.at = match.start(1)
            return Raw(self.literal_string())
        if punctuation is not None:
            raise PdfError(f"unexpected {punctuation!r} at {self.at}")
        if hex_string is not None:
            return Raw(hex_string)
        if name is not None:
            return Name(name)
        if reference is not None:
            return Ref(int(reference))
        return Raw(word)

    def literal_string(self) -> bytes:
        data, start = self.data, self.at
        depth, at = 0, start
        while at < len(data):
            char = data[at]
            if char == ord("\\"):
                at += 2
                continue
            if char == ord("("):
                depth += 1
            elif char == ord(")"):
                depth -= 1
                if depth == 0:
                    self.at = at + 1
                    return data[start : at + 1]
            at += 1
        raise PdfError("an unterminated string")


def serialize(value: Value, renumber: dict[int, int] | None = None) -> bytes:
    """``value`` written back as PDF, its references renumbered through ``renumber`` when given."""
    if isinstance(value, Ref):
        return b"%d 0 R" % (renumber[value.number] if renumber is not None else value.number)
    if isinstance(value, Name):
        return value.value
    if isinstance(value, Raw):
        return value.value
    if isinstance(value, PdfDict):
        return b"<<" + b"".join(k + b" " + serialize(v, renumber) for k, v in value.items.items()) + b">>"
    return b"[" + b" ".join(serialize(v, renumber) for v in value.items) + b"]"


def references(value: Value) -> list[int]:
    if isinstance(value, Ref):
        return [value.number]
    if isinstance(value, PdfDict):
        return [n for v in value.items.values() for n in references(v)]
    if isinstance(value, PdfList):
        return [n for v in value.items for n in references(v)]
    return []


@dataclass
class PdfObject:
    value: Value
    stream: bytes | None  # the stream's bytes as stored (still encoded), or None


class Pdf:
    """The objects of a PDF as Typst writes it, read on demand."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        start = data.rfind(b"startxref")
        if start < 0:
            raise PdfError("no startxref")
        table = int(data[start + 9 :].split()[0])
        if not data.startswith(b"xref", table):
            raise PdfError("no cross-reference table (a cross-reference stream is not read here)")
        self.offsets: dict[int, int] = {}
        lines = data[table:].split(b"trailer", 1)
        rows = lines[0].split()[1:]  # after "xref": subsections of "first count" and entries of 3 words
        index = 0
        while index < len(rows):
            first, count = int(rows[index]), int(rows[index + 1])
            index += 2
            for number in range(first, first + count):
                offset, _generation, kind = rows[index : index + 3]
                index += 3
                if kind == b"n":
                    self.offsets[number] = int(offset)
        trailer = _Parser(lines[1]).value()
        if not isinstance(trailer, PdfDict):
            raise PdfError("a trailer that is not a dictionary")
        self.trailer: PdfDict = trailer
        self._ends = self._object_ends(table)
        self._cache: dict[int, PdfObject] = {}

    def _object_ends(self, table: int) -> dict[int, int]:
        """Where each object's bytes end: at the start of the next object (Typst writes them in order)."""
        ordered = sorted(self.offsets.items(), key=lambda item: item[1])
        ends = {}
        for (number, _offset), following in zip(ordered, [*ordered[1:], (None, table)], strict=True):
            ends[number] = following[1]
        return ends

    def raw(self, number: int) -> bytes:
        """Object ``number`` as written, from "n 0 obj" to "endobj"."""
        chunk = self.data[self.offsets[number] : self._ends[number]]
        end = chunk.rfind(b"endobj")
        if end < 0:
            raise PdfError(f"object {number} has no endobj")
        return chunk[: end + 6]

    def get(self, number: int) -> PdfObject:
        found = self._cache.get(number)
        if found is not None:
            return found
        offset = self.offsets[number]
        parser = _Parser(self.data, offset)
        header = [parser.word() for _word in range(3)]
        if header[0] != str(number).encode() or header[2] != b"obj":
            raise PdfError(f"object {number} is not where the table says")
        value = parser.value()
        after = _STREAM_AFTER.match(self.data, parser.at)
        stream = None
        if after:
            if not isinstance(value, PdfDict) or not isinstance(value.get(b"/Length"), Raw):
                raise PdfError(f"stream {number} without a direct /Length")
            length_value = value.get(b"/Length")
            assert isinstance(length_value, Raw)
            begin = after.end()
            stream = self.data[begin : begin + int(length_value.value)]
        found = PdfObject(value, stream)
        self._cache[number] = found
        return found

    def copy_parts(self, number: int) -> tuple[bytes | Value, list[int], bytes | None]:
        """Object ``number`` as (its value: as written where no string can hide a reference, else
        parsed; the objects it refers to; its stream or None)."""
        raw = self.raw(number)
        body = raw[raw.index(b"obj") + 3 : -6]
        stream_at = _STREAM.search(body)
        head = body[: stream_at.start() + 2] if stream_at else body
        if b"(" in head:  # a literal string might hold "1 0 R": parse properly
            found = self.get(number)
            return found.value, references(found.value), found.stream
        stream = None
        if stream_at:
            length = self.get(number).value
            assert isinstance(length, PdfDict)
            size = length.get(b"/Length")
            assert isinstance(size, Raw)
            stream = body[stream_at.end() : stream_at.end() + int(size.value)]
        return head.strip(), [int(n) for n, _g in _REFERENCE.findall(head)], stream

    def dict(self, value: Value | None) -> PdfDict:
        """``value`` as a dictionary, following a reference."""
        if isinstance(value, Ref):
            value = self.get(value.number).value
        if not isinstance(value, PdfDict):
            raise PdfError(f"expected a dictionary, found {value!r}")
        return value

    def pages(self) -> list[int]:
        """The object numbers of the pages, in order."""
        root = self.dict(self.trailer.get(b"/Root"))
        found: list[int] = []

        def walk(ref: Value | None) -> None:
            if not isinstance(ref, Ref):
                raise PdfError("a page tree node that is not a reference")
            node = self.dict(ref)
            if node.get(b"/Type") == Name(b"/Pages"):
                kids = node.get(b"/Kids")
                if not isinstance(kids, PdfList):
                    raise PdfError("a page tree node without kids")
                for kid in kids.items:
                    walk(kid)
            else:
                found.append(ref.number)

        walk(root.get(b"/Pages"))
        return found

    def inherited(self, page: PdfDict, key: bytes) -> Value | None:
        node: PdfDict | None = page
        while node is not None:
            found = node.get(key)
            if found is not None:
                return found
            parent = node.get(b"/Parent")
            node = self.dict(parent) if parent is not None else None
        return None

    def content(self, page: PdfDict) -> tuple[bytes, Value | None]:
        """The page's content as one stream, still encoded, and the filter that decodes it."""
        contents = page.get(b"/Contents")
        refs = contents.items if isinstance(contents, PdfList) else [contents] if contents is not None else []
        streams = []
        for ref in refs:
            if not isinstance(ref, Ref):
                raise PdfError("page contents that are not references")
            stream = self.get(ref.number)
            assert isinstance(stream.value, PdfDict) and stream.stream is not None
            streams.append((stream.stream, stream.value.get(b"/Filter")))
        if len(streams) == 1:
            return streams[0]
        parts = []
        for data, filter_ in streams:
            if filter_ == Name(b"/FlateDecode"):
                data = zlib.decompress(data)
            elif filter_ is not None:
                raise PdfError(f"a content stream filtered with {filter_!r}")
            parts.append(data)
        return zlib.compress(b"\n".join(parts)), Name(b"/FlateDecode")


def underlay(
    document: bytes,
    placements: dict[int, tuple[str, int]],
    sources: dict[str, bytes],
    date: dt.datetime | None = None,
) -> bytes:
    """``document`` with, under its page ``i`` (0-based), page ``j`` (0-based) of ``sources[name]`` for
    each ``i → (name, j)`` of ``placements``. The document's own objects keep their numbers; the
    catalog, outline, metadata and info stay the document's — dated ``date`` when it is given, in the
    info dictionary and the XMP metadata (so that a document can be made once and dated at each use).
    The file identifier is a digest of the result.

    In steps: each source page becomes a form XObject (with the objects it uses copied once), each
    target page draws its own content and then that form, and the file is written out again with the
    new and changed objects and a new cross-reference table."""
    work = _Underlay(document, sources)
    for index, (name, page_index) in sorted(placements.items()):
        work.draw_under(index, work.form_of(name, page_index))
    if date is not None:
        work.changed_pages.update(_dated(work.target, date))
    return work.write()


class _Underlay:
    """The state of one ``underlay``: the target, the sources, and the objects made or changed so far."""

    def __init__(self, document: bytes, sources: dict[str, bytes]) -> None:
        self.document = document
        self.target = Pdf(document)
        size_value = self.target.trailer.get(b"/Size")
        if not isinstance(size_value, Raw):
            raise PdfError("a trailer without /Size")
        self.next_number = int(size_value.value)
        self.new_objects: dict[int, bytes] = {}
        self.changed_pages: dict[int, bytes] = {}
        self.readers = {name: Pdf(data) for name, data in sources.items()}
        self.copied: dict[str, dict[int, int]] = {name: {} for name in sources}  # source → new number
        self.source_pages = {name: reader.pages() for name, reader in self.readers.items()}
        self.target_pages = self.target.pages()
        self.opened: list[int] = []  # the two streams around each page's own content, shared by all pages

    def _number(self) -> int:
        self.next_number += 1
        return self.next_number - 1

    def _stream_object(self, data: bytes) -> int:
        number = self._number()
        self.new_objects[number] = b"<</Length %d>>\nstream\n%s\nendstream" % (len(data), data)
        return number

    def copy(self, name: str, number: int) -> int:
        """Object ``number`` of source ``name`` and all it refers to, copied once; its new number."""
        numbers = self.copied[name]
        if number in numbers:
            return numbers[number]
        reader = self.readers[name]
        pending = [number]
        parts = {}
        while pending:  # number every object first, then write them with references renumbered
            current = pending.pop()
            if current in numbers:
                continue
            numbers[current] = self._number()
            parts[current] = reader.copy_parts(current)
            pending += parts[current][1]
        for current, (head, _refs, stream) in parts.items():
            if isinstance(head, bytes):
                body = _REFERENCE.sub(lambda m: b"%d 0 R" % numbers[int(m.group(1))], head)
            else:
                body = serialize(head, numbers)
            if stream is not None:
                body += b"\nstream\n" + stream + b"\nendstream"
            self.new_objects[numbers[current]] = body
        return numbers[number]

    def form_of(self, name: str, page_index: int) -> int:
        """Page ``page_index`` of source ``name`` as a form XObject (its content, box, resources and
        transparency group); the form's object number."""
        reader = self.readers[name]
        copy = partial(self.copy, name)
        page = reader.dict(Ref(self.source_pages[name][page_index]))
        data, filter_ = reader.content(page)
        form = PdfDict(
            {
                b"/Type": Name(b"/XObject"),
                b"/Subtype": Name(b"/Form"),
                b"/BBox": _copied_value(reader.inherited(page, b"/MediaBox") or PdfList(), copy),
            }
        )
        resources = reader.inherited(page, b"/Resources")
        if resources is not None:
            form.items[b"/Resources"] = _copied_value(resources, copy)
        group = page.get(b"/Group")
        if group is not None:
            form.items[b"/Group"] = _copied_value(group, copy)
        if filter_ is not None:
            form.items[b"/Filter"] = filter_
        form.items[b"/Length"] = Raw(str(len(data)).encode())
        number = self._number()
        self.new_objects[number] = serialize(form) + b"\nstream\n" + data + b"\nendstream"
        return number

    def draw_under(self, index: int, form_number: int) -> None:
        """Target page ``index`` draws its own content, then the form as /Chunk over it.

        The page's own content (the draft mark under the text, the page number) comes first, in a q … Q
        of its own so that nothing it leaves set applies to the form."""
        if not self.opened:
            self.opened.append(self._stream_object(b"q"))
            self.opened.append(self._stream_object(b"Q q /Chunk Do Q"))
        target = self.target
        target_number = self.target_pages[index]
        page = PdfDict(dict(target.dict(Ref(target_number)).items))
        own_resources = target.inherited(page, b"/Resources")
        merged = PdfDict(dict(target.dict(own_resources).items)) if own_resources is not None else PdfDict()
        xobjects = merged.get(b"/XObject")
        xobject_dict = PdfDict(dict(target.dict(xobjects).items)) if xobjects is not None else PdfDict()
        if b"/Chunk" in xobject_dict.items:
            raise PdfError(f"page {index + 1} already has an XObject named /Chunk")
        xobject_dict.items[b"/Chunk"] = Ref(form_number)
        merged.items[b"/XObject"] = xobject_dict
        page.items[b"/Resources"] = merged
        own = page.get(b"/Contents")
        own_list = own.items if isinstance(own, PdfList) else [own] if own is not None else []
        page.items[b"/Contents"] = PdfList([Ref(self.opened[0]), *own_list, Ref(self.opened[1])])
        self.changed_pages[target_number] = serialize(page)

    def write(self) -> bytes:
        """The whole file: the document's objects (changed ones replaced), the new ones, a classic
        cross-reference table and a trailer with the new size and an identifier digested from the rest."""
        document, target = self.document, self.target
        out = bytearray(document[: document.find(b"\n", document.find(b"\n") + 1) + 1])  # header, binary line
        offsets: dict[int, int] = {}
        for number in sorted(target.offsets):
            offsets[number] = len(out)
            if number in self.changed_pages:
                out += b"%d 0 obj\n%s\nendobj\n" % (number, self.changed_pages[number])
            else:
                out += target.raw(number) + b"\n"
        for number in sorted(self.new_objects):
            offsets[number] = len(out)
            out += b"%d 0 obj\n%s\nendobj\n" % (number, self.new_objects[number])
        table = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f\r\n" % self.next_number
        for number in range(1, self.next_number):
            if number in offsets:
                out += b"%010d 00000 n\r\n" % offsets[number]
            else:
                out += b"0000000000 65535 f\r\n"
        trailer = PdfDict(dict(target.trailer.items))
        trailer.items[b"/Size"] = Raw(str(self.next_number).encode())
        digest = b"<%s>" % hashlib.md5(bytes(out), usedforsecurity=False).hexdigest().upper().encode()
        trailer.items[b"/ID"] = PdfList([Raw(digest), Raw(digest)])
        out += b"trailer\n" + serialize(trailer) + b"\nstartxref\n%d\n%%%%EOF" % table
        return bytes(out)


_XMP_DATE = re.compile(rb"(<xmp:(?:CreateDate|ModifyDate)>)[^<]*(</xmp:)")


def _dated(pdf: Pdf, date: dt.datetime) -> dict[int, bytes]:
    """The info dictionary and the XMP metadata of ``pdf`` (when they are objects of their own and the
    metadata is not compressed), their creation and modification dates set to ``date``."""
    utc = date.astimezone(dt.UTC)
    pdf_date = b"(D:%sZ)" % utc.strftime("%Y%m%d%H%M%S").encode()
    xmp_date = utc.strftime("%Y-%m-%dT%H:%M:%S+00:00").encode()
    changed = {}
    info = pdf.trailer.get(b"/Info")
    if isinstance(info, Ref):
        found = pdf.dict(info)
        dated = PdfDict(dict(found.items))
        for key in (b"/CreationDate", b"/ModDate"):
            if key in dated.items:
                dated.items[key] = Raw(pdf_date)
        changed[info.number] = serialize(dated)
    metadata = pdf.dict(pdf.trailer.get(b"/Root")).get(b"/Metadata")
    if isinstance(metadata, Ref):
        stream = pdf.get(metadata.number)
        if isinstance(stream.value, PdfDict) and stream.value.get(b"/Filter") is None and stream.stream:
            xml = _XMP_DATE.sub(lambda m: m.group(1) + xmp_date + m.group(2), stream.stream)
            head = PdfDict({**stream.value.items, b"/Length": Raw(str(len(xml)).encode())})
            changed[metadata.number] = serialize(head) + b"\nstream\n" + xml + b"\nendstream"
    return changed


def _copied_value(value: Value, copy: Callable[[int], int]) -> Value:
    """``value`` with each reference replaced by a reference to its copy (``copy(number) → number``)."""
    if isinstance(value, Ref):
        return Ref(copy(value.number))
    if isinstance(value, PdfDict):
        return PdfDict({k: _copied_value(v, copy) for k, v in value.items.items()})
    if isinstance(value, PdfList):
        return PdfList([_copied_value(v, copy) for v in value.items])
    return value
