"""The catalogue's facts as data: licence, catalogue texts and the Thai GD Catalog fields.

They live in ``data/catalog-fields.json`` (or the file named by ``PRONGSAI_OPENDATA_CATALOG_FILE``) so
that an installation, or a correction from the DGA, changes them without a release. The file is checked
when it is read and at start-up (system check ``opendata.E001``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import get_language

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "catalog-fields.json"

# The GD Catalog dataset fields this installation fills from the data file, in the catalogue's order.
GD_FIELDS = (
    "data_type",
    "objective",
    "update_frequency_unit",
    "update_frequency_interval",
    "geo_coverage",
    "data_source",
    "data_format",
    "data_category",
    "data_classification",
    "license_id",
    "maintainer",
    "maintainer_email",
)


class CatalogFileError(ValueError):
    """The data file does not describe a usable catalogue."""


def _localised(th: str, en: str) -> str:
    return en if (get_language() or "th").startswith("en") and en else th


@dataclass(frozen=True)
class Bilingual:
    th: str
    en: str

    def __str__(self) -> str:
        return _localised(self.th, self.en)

    def literals(self) -> list[dict[str, str]]:
        """As JSON-LD language-tagged literals, Thai first."""
        return [{"@value": self.th, "@language": "th"}, {"@value": self.en, "@language": "en"}]


@dataclass(frozen=True)
class Licence:
    id: str
    url: str
    title: Bilingual
    statement: Bilingual
    attribution: Bilingual


@dataclass(frozen=True)
class CatalogFields:
    version: int
    digest: str  # SHA-256 of the file: a change of it changes every file's ETag
    title: Bilingual
    description: Bilingual
    publisher: Bilingual
    keywords_th: tuple[str, ...]
    keywords_en: tuple[str, ...]
    theme: str
    language: str
    accrual_periodicity: str
    licence: Licence
    gd_plan: dict[str, str | list[str]]
    gd_installation: dict[str, str | list[str]]
    # A report round's dataset (twice a year); a file without these uses the plan's values.
    gd_report: dict[str, str | list[str]]
    accrual_periodicity_report: str
    verify: tuple[str, ...]


def _text(section: dict[str, Any], name: str, where: str) -> Bilingual:
    values = [section.get(f"{name}_{lang}") for lang in ("th", "en")]
    if not all(isinstance(v, str) and v.strip() for v in values):
        raise CatalogFileError(f"{where}.{name}_th and {name}_en must be non-empty text")
    return Bilingual(str(values[0]), str(values[1]))


def _gd(section: Any, where: str) -> dict[str, str | list[str]]:
    if not isinstance(section, dict):
        raise CatalogFileError(f"{where} must be an object")
    missing = [name for name in GD_FIELDS if name not in section]
    if missing:
        raise CatalogFileError(f"{where} lacks {', '.join(missing)}")
    fields: dict[str, str | list[str]] = {}
    for name in GD_FIELDS:
        value = section[name]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            fields[name] = list(value)
        elif isinstance(value, str):
            fields[name] = value
        else:
            raise CatalogFileError(f"{where}.{name} must be text or a list of text")
    return fields


def parse(raw: bytes) -> CatalogFields:
    """The catalogue fields in ``raw`` (the file's bytes), or CatalogFileError naming what is wrong."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CatalogFileError(f"not JSON: {error}") from error
    if not isinstance(data, dict):
        raise CatalogFileError("the file must hold an object")
    catalog, licence, gd = data.get("catalog"), data.get("licence"), data.get("gd_catalog")
    if not isinstance(catalog, dict) or not isinstance(licence, dict) or not isinstance(gd, dict):
        raise CatalogFileError("catalog, licence and gd_catalog must be objects")
    for name in ("theme", "language", "accrual_periodicity"):
        if not str(catalog.get(name, "")).startswith(("http://", "https://")):
            raise CatalogFileError(f"catalog.{name} must be an IRI")
    if not str(licence.get("url", "")).startswith(("http://", "https://")) or not licence.get("id"):
        raise CatalogFileError("licence.id and licence.url (an IRI) are needed")
    keywords = {lang: catalog.get(f"keywords_{lang}", []) for lang in ("th", "en")}
    if not all(isinstance(k, list) and all(isinstance(w, str) for w in k) for k in keywords.values()):
        raise CatalogFileError("catalog.keywords_th and keywords_en must be lists of text")
    verify = gd.get("verify", [])
    if not isinstance(verify, list):
        raise CatalogFileError("gd_catalog.verify must be a list")
    attribution = _text(licence, "attribution", "licence")
    for text in (attribution.th, attribution.en):
        try:
            text % {"organization": "", "plan": "", "revision": 1}
        except (KeyError, ValueError, TypeError) as error:
            raise CatalogFileError(
                "licence.attribution_* may use only %(organization)s, %(plan)s and %(revision)s"
            ) from error
    return CatalogFields(
        version=int(data.get("version", 1)),
        digest=hashlib.sha256(raw).hexdigest(),
        keywords_th=tuple(keywords["th"]),
        keywords_en=tuple(keywords["en"]),
        theme=str(catalog["theme"]),
        language=str(catalog["language"]),
        accrual_periodicity=str(catalog["accrual_periodicity"]),
        licence=Licence(
            id=str(licence["id"]),
            url=str(licence["url"]),
            title=_text(licence, "title", "licence"),
            statement=_text(licence, "statement", "licence"),
            attribution=attribution,
        ),
        gd_plan=_gd(gd.get("plan"), "gd_catalog.plan"),
        gd_installation=_gd(gd.get("installation"), "gd_catalog.installation"),
        gd_report=_gd(gd["report"], "gd_catalog.report")
        if "report" in gd
        else _gd(gd.get("plan"), "gd_catalog.plan"),
        accrual_periodicity_report=str(
            catalog.get("accrual_periodicity_report", catalog["accrual_periodicity"])
        ),
        verify=tuple(str(v) for v in verify),
        title=_text(catalog, "title", "catalog"),
        description=_text(catalog, "description", "catalog"),
        publisher=_text(catalog, "publisher", "catalog"),
    )


def catalog_file() -> Path:
    configured: str = settings.OPENDATA_CATALOG_FILE
    return Path(configured) if configured else DEFAULT_FILE


@cache
def _load(path: Path) -> CatalogFields:
    return parse(path.read_bytes())


def fields() -> CatalogFields:
    """The catalogue fields of this installation (read once per process and file)."""
    return _load(catalog_file())
