"""Finding a local government by name, อำเภอ or จังหวัด the way people type it.

People write "วังไผ่", "ทต.วังไผ่", "เทศบาลตำบล วังไผ่" or "อ.เมืองชุมพร" for the same places, so both
the query and the names are reduced to a key: Thai normalised (PyThaiNLP: dangling marks, repeated
vowels, zero-width characters), the administrative prefix removed, spaces dropped, lower case. The
comparison is a substring test in Python, so it behaves the same on SQLite and PostgreSQL, and the
list it runs over (the organisations that have published, at most the country's 7,852) is small.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pythainlp.util import normalize

from prongsai.organizations.models import Organization, OrganizationKind

# Longest first, so "เทศบาลตำบล" is removed before "เทศบาล" could be.
PREFIXES = sorted(
    [
        "องค์การบริหารส่วนจังหวัด",
        "องค์การบริหารส่วนตำบล",
        "เทศบาลนคร",
        "เทศบาลเมือง",
        "เทศบาลตำบล",
        "เทศบาล",
        "อบจ.",
        "อบต.",
        "ทน.",
        "ทม.",
        "ทต.",
        "อบจ",
        "อบต",
        "อำเภอ",
        "จังหวัด",
        "กิ่งอำเภอ",
        "เขต",
        "อ.",
        "จ.",
    ],
    key=len,
    reverse=True,
)
_SPACES = re.compile(r"[\s\u200b\u00a0]+")
# What people type for each kind, so that "อบต." alone lists the องค์การบริหารส่วนตำบล.
KIND_WORDS: dict[str, tuple[str, ...]] = {
    OrganizationKind.PAO: ("องค์การบริหารส่วนจังหวัด", "อบจ."),
    OrganizationKind.CITY_MUNICIPALITY: ("เทศบาลนคร", "ทน."),
    OrganizationKind.TOWN_MUNICIPALITY: ("เทศบาลเมือง", "ทม."),
    OrganizationKind.SUBDISTRICT_MUNICIPALITY: ("เทศบาลตำบล", "ทต."),
    OrganizationKind.SAO: ("องค์การบริหารส่วนตำบล", "อบต."),
    OrganizationKind.SPECIAL: (),
}


def plain(text: str) -> str:
    """``text`` normalised, without spaces, in lower case (prefixes kept)."""
    return _SPACES.sub("", normalize(text or "")).lower()


def key(text: str) -> str:
    """``text`` reduced for comparison: "ทต. วังไผ่" → "วังไผ่"."""
    text = plain(text)
    changed = True
    while changed and text:
        changed = False
        for prefix in PREFIXES:
            rest = text[len(prefix) :].lstrip(".") if text.startswith(prefix) else ""
            if rest:  # a prefix alone ("อบต.") stays: it is what the person is looking for
                text = rest
                changed = True
                break
    return text


@dataclass(frozen=True)
class Searchable:
    organization: Organization
    keys: tuple[str, ...]


def searchable(organizations: Iterable[Organization]) -> list[Searchable]:
    return [
        Searchable(
            org,
            tuple(
                key(value)
                for value in (
                    org.name_th,
                    org.name_en,
                    org.district_th,
                    org.province_th,
                    org.district_en,
                    org.province_en,
                    org.slug,
                )
                if value
            )
            + tuple(plain(word) for word in (org.name_th, *KIND_WORDS.get(org.kind, ()))),
        )
        for org in organizations
    ]


def matches(query: str, entry: Searchable) -> bool:
    """Every word of ``query`` is part of the name, the อำเภอ or the จังหวัด (so "วังไผ่ ชุมพร" works)."""
    words = [word for word in query.split() if plain(word)]
    return all(any(key(word) in value or plain(word) in value for value in entry.keys) for word in words)


def search(query: str, organizations: Iterable[Organization]) -> list[Organization]:
    entries = searchable(organizations)
    if not query.strip():
        return [entry.organization for entry in entries]
    # The query as typed, with its spaces, may itself be a prefix and a name ("ทต. วังไผ่"): try it whole too.
    whole = key(query)
    return [
        entry.organization
        for entry in entries
        if matches(query, entry) or any(whole in value for value in entry.keys)
    ]
