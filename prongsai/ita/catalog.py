"""ITA models and questionnaires, read from the versioned data files in ``data/``.

A new scoring model (the NACC revises the ITA every few years) is a new file in ``data/models``, a new
questionnaire a new file in ``data/questionnaires``: no code changes. Facts marked "verify" in the
reference stay in the files with that mark so that they can be corrected without a release.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

DATA_DIR = Path(__file__).resolve().parent / "data"
MODELS_DIR = DATA_DIR / "models"
QUESTIONNAIRES_DIR = DATA_DIR / "questionnaires"

HUNDRED = Decimal(100)
SURVEY_TOOLS = ("IIT", "EIT")  # answered by people through a public link
CHECKLIST_TOOL = "OIT"  # filled in by staff


class DataFileError(ValueError):
    """A data file that does not describe a usable model or questionnaire."""


def _localised(th: str, en: str) -> str:
    language = get_language() or "th"
    return en if language.startswith("en") and en else th


@dataclass(frozen=True)
class Band:
    """A grade or level: every total from ``minimum`` up to the next band's minimum."""

    minimum: Decimal
    label_th: str
    label_en: str

    @property
    def label(self) -> str:
        return _localised(self.label_th, self.label_en)


@dataclass(frozen=True)
class Part:
    """One index (ดัชนี, model 2560) or indicator (ตัวชี้วัด, model 2562) with its weight in points."""

    key: str
    name_th: str
    name_en: str
    weight: Decimal
    tool: str
    plan_missions: tuple[str, ...]

    @property
    def name(self) -> str:
        return _localised(self.name_th, self.name_en)


@dataclass(frozen=True)
class ItaModel:
    key: str
    name_th: str
    name_en: str
    years: tuple[int, ...]
    part_kind: str  # "index" | "indicator"
    parts: tuple[Part, ...]
    grading_kind: str  # "level" (Thai words) | "grade" (AA…F)
    bands: tuple[Band, ...]  # highest first
    pass_mark: Decimal | None
    verify: dict[str, bool]
    notes: tuple[str, ...]
    questionnaires: dict[str, str]  # tool → questionnaire key

    @property
    def name(self) -> str:
        return _localised(self.name_th, self.name_en)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(part.key for part in self.parts)

    def part(self, key: str) -> Part:
        for part in self.parts:
            if part.key == key:
                return part
        raise KeyError(key)

    def band_for(self, total: Decimal) -> Band:
        for band in self.bands:
            if total >= band.minimum:
                return band
        return self.bands[-1]

    @property
    def has_surveys(self) -> bool:
        return all(tool in self.questionnaires for tool in (*SURVEY_TOOLS, CHECKLIST_TOOL))


@dataclass(frozen=True)
class Option:
    label_th: str
    label_en: str
    points: int  # before reversal
    codes: tuple[str, ...]  # what an import file may write for this option, besides the label

    @property
    def label(self) -> str:
        return _localised(self.label_th, self.label_en)


@dataclass(frozen=True)
class Item:
    """One answerable line: a question without sub-items, or one sub-item of a question."""

    key: str  # "I1" or "I5.2": the column name in import files and the stored item key
    question_key: str
    part_key: str
    text_th: str
    options: tuple[Option, ...]
    reversed: bool

    def points_of(self, option_index: int) -> int:
        """Points of the option at ``option_index`` (in form order), reversed for negative items."""
        if self.reversed:
            return self.options[len(self.options) - 1 - option_index].points
        return self.options[option_index].points

    def option_for_code(self, value: str) -> int | None:
        """The option index an import cell's value means, or None."""
        text = value.strip()
        for index, option in enumerate(self.options):
            if text == option.label_th or text in option.codes:
                return index
        return None

    @property
    def accepted_codes(self) -> list[str]:
        return [code for option in self.options for code in (*option.codes, option.label_th)]


@dataclass(frozen=True)
class Question:
    key: str
    part_key: str
    text_th: str
    scale_key: str
    items: tuple[Item, ...]  # one item (key == question key) when the question has no sub-items

    @property
    def has_sub_items(self) -> bool:
        return len(self.items) > 1 or self.items[0].key != self.key


@dataclass(frozen=True)
class ChecklistItem:
    key: str  # "O1" … "O43"
    group: str  # "9.1" …
    part_key: str
    name_th: str
    prongsai_th: str  # what Prongsai itself produces for this item, if anything


@dataclass(frozen=True)
class ChecklistGroup:
    key: str
    part_key: str
    name_th: str


@dataclass(frozen=True)
class Questionnaire:
    key: str
    tool: str  # "IIT" | "EIT" | "OIT"
    name_th: str
    name_en: str
    audience_th: str
    intro_th: str
    verify: bool
    notes: tuple[str, ...]
    questions: tuple[Question, ...]  # IIT/EIT
    groups: tuple[ChecklistGroup, ...]  # OIT
    checklist: tuple[ChecklistItem, ...]  # OIT

    @property
    def name(self) -> str:
        return _localised(self.name_th, self.name_en)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for question in self.questions for item in question.items)

    @property
    def item_keys(self) -> tuple[str, ...]:
        if self.tool == CHECKLIST_TOOL:
            return tuple(entry.key for entry in self.checklist)
        return tuple(item.key for item in self.items)

    @property
    def part_keys(self) -> tuple[str, ...]:
        keys = [q.part_key for q in self.questions] + [c.part_key for c in self.checklist]
        return tuple(dict.fromkeys(keys))

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)


# --- Loading ---------------------------------------------------------------------------------------


def _decimal(value: Any, where: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise DataFileError(f"{where}: {value!r} is not a number") from None
    if not number.is_finite():
        raise DataFileError(f"{where}: {value!r} is not a number")
    return number


def _read(path: Path, expected_format: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != expected_format:
        raise DataFileError(f"{path.name}: format is not {expected_format}")
    if data.get("key") != path.stem:
        raise DataFileError(f"{path.name}: key {data.get('key')!r} differs from the file name")
    return data


def parse_model(data: dict[str, Any]) -> ItaModel:
    key = data["key"]
    parts = tuple(
        Part(
            key=p["key"],
            name_th=p["name_th"],
            name_en=p.get("name_en", ""),
            weight=_decimal(p["weight"], f"{key}.{p['key']}.weight"),
            tool=p.get("tool", ""),
            plan_missions=tuple(p.get("plan_missions", [])),
        )
        for p in data["parts"]
    )
    if not parts:
        raise DataFileError(f"{key}: no parts")
    if len({p.key for p in parts}) != len(parts):
        raise DataFileError(f"{key}: part keys repeat")
    if sum(p.weight for p in parts) != HUNDRED:
        raise DataFileError(f"{key}: weights add up to {sum(p.weight for p in parts)}, not 100")
    bands = tuple(
        Band(_decimal(b["min"], f"{key}.grading"), b["label_th"], b.get("label_en", ""))
        for b in data["grading"]["bands"]
    )
    minimums = [b.minimum for b in bands]
    if (
        not bands
        or minimums != sorted(minimums, reverse=True)
        or minimums[-1] != 0
        or len(set(minimums)) != len(bands)
    ):
        raise DataFileError(f"{key}: grading bands must run from the highest minimum down to 0")
    pass_mark = data.get("pass_mark")
    return ItaModel(
        key=key,
        name_th=data["name_th"],
        name_en=data.get("name_en", ""),
        years=tuple(int(y) for y in data.get("years", [])),
        part_kind=data.get("part_kind", "index"),
        parts=parts,
        grading_kind=data["grading"]["kind"],
        bands=bands,
        pass_mark=None if pass_mark is None else _decimal(pass_mark, f"{key}.pass_mark"),
        verify={str(k): bool(v) for k, v in data.get("verify", {}).items()},
        notes=tuple(data.get("notes", [])),
        questionnaires={str(k): str(v) for k, v in data.get("questionnaires", {}).items()},
    )


def parse_questionnaire(data: dict[str, Any]) -> Questionnaire:
    key = data["key"]
    scales: dict[str, tuple[Option, ...]] = {
        name: tuple(
            Option(
                o["label_th"],
                o.get("label_en", ""),
                int(o["points"]),
                tuple(str(c) for c in o.get("codes", [])),
            )
            for o in scale["options"]
        )
        for name, scale in data.get("scales", {}).items()
    }
    questions: list[Question] = []
    for q in data.get("questions", []):
        if q["scale"] not in scales:
            raise DataFileError(f"{key}.{q['key']}: unknown scale {q['scale']!r}")
        options = scales[q["scale"]]
        raw_items = q.get("items") or [{"key": q["key"], "text_th": q["text_th"]}]
        items = tuple(
            Item(
                key=i["key"],
                question_key=q["key"],
                part_key=q["part"],
                text_th=i["text_th"],
                options=options,
                reversed=bool(i.get("reversed", q.get("reversed", False))),
            )
            for i in raw_items
        )
        questions.append(Question(q["key"], q["part"], q["text_th"], q["scale"], items))
    groups = tuple(ChecklistGroup(g["key"], g["part"], g["name_th"]) for g in data.get("groups", []))
    group_keys = {g.key for g in groups}
    checklist = tuple(
        ChecklistItem(c["key"], c["group"], c["part"], c["name_th"], c.get("prongsai_th", ""))
        for c in data.get("checklist", [])
    )
    for entry in checklist:
        if entry.group not in group_keys:
            raise DataFileError(f"{key}.{entry.key}: unknown group {entry.group!r}")
    questionnaire = Questionnaire(
        key=key,
        tool=data["tool"],
        name_th=data["name_th"],
        name_en=data.get("name_en", ""),
        audience_th=data.get("audience_th", ""),
        intro_th=data.get("intro_th", ""),
        verify=bool(data.get("verify", False)),
        notes=tuple(data.get("notes", [])),
        questions=tuple(questions),
        groups=groups,
        checklist=checklist,
    )
    keys = questionnaire.item_keys
    if not keys or len(set(keys)) != len(keys):
        raise DataFileError(f"{key}: item keys are missing or repeat")
    return questionnaire


@cache
def load_model(key: str) -> ItaModel:
    """The model in ``data/models/<key>.json``; LookupError when there is none."""
    path = MODELS_DIR / f"{key}.json"
    if "/" in key or not path.is_file():
        raise LookupError(key)
    return parse_model(_read(path, "prongsai-ita-model"))


@cache
def load_questionnaire(key: str) -> Questionnaire:
    path = QUESTIONNAIRES_DIR / f"{key}.json"
    if "/" in key or not path.is_file():
        raise LookupError(key)
    return parse_questionnaire(_read(path, "prongsai-ita-questionnaire"))


def model_keys() -> list[str]:
    return sorted(path.stem for path in MODELS_DIR.glob("*.json"))


def all_models() -> list[ItaModel]:
    return [load_model(key) for key in model_keys()]


def questionnaires_of(model: ItaModel) -> dict[str, Questionnaire]:
    """The model's questionnaires by tool, checked to cover exactly the model's parts of that tool."""
    found: dict[str, Questionnaire] = {}
    for tool, key in model.questionnaires.items():
        questionnaire = load_questionnaire(key)
        if questionnaire.tool != tool:
            raise DataFileError(f"{model.key}: questionnaire {key} is for {questionnaire.tool}, not {tool}")
        wanted = {part.key for part in model.parts if part.tool == tool}
        if set(questionnaire.part_keys) != wanted:
            raise DataFileError(f"{model.key}: questionnaire {key} does not cover the {tool} parts")
        found[tool] = questionnaire
    return found
