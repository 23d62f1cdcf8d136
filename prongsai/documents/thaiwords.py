"""Thai lines break only between words: which words a document must keep whole.

Thai is written without spaces, so a line breaker guesses word ends from a dictionary. Typst's (ICU's)
knows the parts of many compounds as words and breaks between them: คอร์/รัปชัน, ซื่อ/สัตย์, ชัด/เจน, and
a town's name it has never seen anywhere: วัง/ไผ่. So every text of a document is cut into words by
PyThaiNLP's segmenter (its dictionary, plus the organisation's own names and places and the domain's terms
in ``data/unbreakable-th.txt``), and the words to keep whole are listed for the template, which sets each
in an unbreakable box (``typst/common.typ``). A box adds no character to the text: ``pdftotext`` reads the
word as written. Kept whole: the added names and terms, and every word the dictionary knows that is made
of two words it also knows (the compounds a dictionary breaker would cut).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

TERMS_FILE = Path(__file__).resolve().parent / "data" / "unbreakable-th.txt"
# Thai letters, vowels and tone marks; not the digits, ฯ (U+0E2F) nor ๆ (U+0E46), which the template
# already keeps with the word before them.
THAI_RUN = re.compile(r"[\u0E01-\u0E2E\u0E30-\u0E45\u0E47-\u0E4E]+")
# What an organisation's or a place's name begins with: the name after it is a word of its own (วังไผ่).
NAME_PREFIXES = (
    "องค์การบริหารส่วนจังหวัด",
    "องค์การบริหารส่วนตำบล",
    "เทศบาลนคร",
    "เทศบาลเมือง",
    "เทศบาลตำบล",
    "อำเภอ",
    "จังหวัด",
    "ตำบล",
    "เขต",
)
MIN_LETTERS = 4  # shorter words are never cut in a way a reader would notice
MAX_LETTERS = 12  # a longer dictionary entry is a phrase: a line may break between its words


@cache
def domain_terms() -> tuple[str, ...]:
    lines = TERMS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def names_of(*names: str) -> list[str]:
    """Each name without the kind of body or place it begins with (เทศบาลตำบลวังไผ่ → วังไผ่)."""
    found: list[str] = []
    for name in names:
        for run in THAI_RUN.findall(name or ""):
            prefix = next((p for p in NAME_PREFIXES if run.startswith(p) and len(run) > len(p) + 1), "")
            # The prefix is a domain term of its own: a line may break after it, never inside either.
            found.append(run[len(prefix) :])
    return found


@cache
def _dictionary() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


@cache
def _is_compound(word: str) -> bool:
    words = _dictionary()
    return word in words and any(word[:i] in words and word[i:] in words for i in range(2, len(word) - 1))


@lru_cache(maxsize=50_000)
def _compounds(run: str) -> tuple[str, ...]:
    """The compounds among the words PyThaiNLP cuts ``run`` into (kept per run: documents repeat text)."""
    from pythainlp.tokenize import word_tokenize

    kept: list[str] = []
    for word in word_tokenize(run, engine="newmm", keep_whitespace=False):
        kept += _kept(word)
    return tuple(kept)


def _kept(word: str) -> list[str]:
    """A compound up to MAX_LETTERS is kept whole; a longer entry of the dictionary (a phrase such as
    โดยเฉพาะอย่างยิ่ง) may break between its parts, each of which is looked at in turn."""
    if len(word) < MIN_LETTERS or not _is_compound(word):
        return []
    if len(word) <= MAX_LETTERS:
        return [word]
    words = _dictionary()
    for i in range(len(word) // 2, 1, -1):  # the most even cut first
        for cut in (i, len(word) - i):
            if word[:cut] in words and word[cut:] in words:
                return [*_kept(word[:cut]), *_kept(word[cut:])]
    return []


_FOUND: OrderedDict[bytes, dict[str, tuple[str, ...]]] = OrderedDict()
_FOUND_LOCK = threading.Lock()
FOUND_KEPT = 2_000  # document parts whose words are remembered (by digest: a few KiB each)


def unbreakable(texts: Iterable[str], names: Iterable[str] = ()) -> dict[str, list[str]]:
    """``_unbreakable`` of the texts, remembered by a digest of them: a document laid out again after an
    edit asks again for every part whose texts did not change, and gets the answer without the work."""
    texts, names = tuple(texts), tuple(names)
    key = hashlib.blake2b("\x00".join((*names, "\x01", *texts)).encode(), digest_size=16).digest()
    with _FOUND_LOCK:
        found = _FOUND.get(key)
        if found is not None:
            _FOUND.move_to_end(key)
    if found is None:
        found = _unbreakable(texts, names)
        with _FOUND_LOCK:
            _FOUND[key] = found
            while len(_FOUND) > FOUND_KEPT:
                _FOUND.popitem(last=False)
    return {"terms": list(found["terms"]), "compounds": list(found["compounds"])}


def _unbreakable(texts: tuple[str, ...], names: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The words of ``texts`` to keep whole on a line, longest first (so a longer word wins a match):
    ``terms``, the added names and domain terms, which the template boxes first, so that a compound that
    happens to overlap one (เขต|เทศบาล in เขตเทศบาลตำบล) never takes its letters; then ``compounds``."""
    extra = {w for w in (*domain_terms(), *names_of(*names)) if THAI_RUN.fullmatch(w)}
    terms: set[str] = set()
    compounds: set[str] = set()
    runs: list[str] = []
    for text in texts:
        for run in THAI_RUN.findall(text):
            if len(run) < MIN_LETTERS:
                continue
            runs.append(run)
            # Added words are found as written (PyThaiNLP's dictionary does not know วังไผ่, and would cut it).
            terms.update(word for word in extra if word in run)
            compounds.update(_compounds(run))
    compounds -= terms
    # The template boxes every occurrence of a word anywhere in the document part, the first match taking
    # the letters: a compound found in one text that overlaps, in another, a word of that text's own
    # (ความซื่อ, from "ร้านค้าความซื่อ", over the term in "ความซื่อสัตย์"; เขตเทศบาล over เทศบาลตำบล) would
    # let the line break inside that word there. Such compounds are left out: the text's own word is kept
    # whole, and the compound's two words may part where it stood.
    frozen = frozenset(extra)
    for run in runs:
        compounds -= _foreign(run, frozen)

    def longest_first(words: set[str]) -> tuple[str, ...]:
        return tuple(sorted(words, key=lambda w: (-len(w), w)))

    return {"terms": longest_first(terms), "compounds": longest_first(compounds)}


def _occurrences(word: str, run: str) -> list[tuple[int, int]]:
    found, start = [], run.find(word)
    while start != -1:
        found.append((start, start + len(word)))
        start = run.find(word, start + 1)
    return found


@lru_cache(maxsize=50_000)
def _foreign(run: str, extra: frozenset[str]) -> frozenset[str]:
    """The dictionary's compounds that, in ``run``, would share letters with one of the run's own words (an
    added term in it, or a compound its own segmentation gives) without containing it. Kept per run, like
    the segmentation: a document is laid out again after every edit, with almost all its texts unchanged."""
    own = {word for word in extra if word in run} | set(_compounds(run))
    spans = [span for word in own for span in _occurrences(word, run)]
    if not spans:
        return frozenset()
    found = set()
    for start in range(len(run)):
        for end in range(start + MIN_LETTERS, min(len(run), start + MAX_LETTERS) + 1):
            word = run[start:end]
            if (
                word not in own
                and any(
                    start < own_end and own_start < end and not (start <= own_start and own_end <= end)
                    for own_start, own_end in spans
                )
                and _is_compound(word)
            ):
                found.add(word)
    return frozenset(found)


def texts_of(value: object) -> list[str]:
    """Every string in a document's blocks (text, labels, titles), however deeply nested."""
    found: list[str] = []
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("t", "align", "widths", "insets"):
                found += texts_of(item)
    elif isinstance(value, list):
        for item in value:
            found += texts_of(item)
    return found
