"""Checking a plan file before anything is written: bounded parsing, the JSON Schema, and the rules it cannot say.

Problems are told as people read the plan, not as JSON Schema does: the item by its title and the field
by its label, e.g. ``มิติที่ 1 › 1.1.1 › “โครงการอบรม…” › งบประมาณ ปี 2562: ต้องเป็นตัวเลข…``.
A file that is not a plan at all (not JSON, too deep, not an object, another format) gets one problem;
otherwise every problem is listed, up to ``MAX_PROBLEMS``.

What a file never sets: an import always creates a draft. ``status`` is read for information only
(``notices`` says it was not used); approval and publication happen in Prongsai, by its approvers.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prongsai.organizations.models import Organization
from prongsai.plans import part1
from prongsai.plans.models import Indicator, Plan, PlanItem, PlanStatus
from prongsai.plans.structure import available_templates, load_template

FORMAT = "prongsai.plan"
FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).resolve().parent / "plan.schema.json"
MAX_BYTES = 20 * 1024 * 1024  # the demo plan is 0.1 MB; a plan with 5,000 items is about 10 MB
MAX_DEPTH = 32  # nesting of objects and arrays; a plan with sub-sub-missions needs 14
MAX_NUMBER_DIGITS = 20
MAX_PROBLEMS = 50
LABEL_LENGTH = 40
# Control characters other than tab, line feed and carriage return (which Windows text areas send),
# and lone surrogates, which neither database can store.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class ImportRefused(Exception):
    """The file cannot be imported; ``problems`` name each place in the file and what is wrong."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@cache
def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return data


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


# --- Reading the bytes -----------------------------------------------------------------------------


class _BadNumber(ValueError):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _BadNumber(text)
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _BadNumber(text)
    return value


def _refuse_constant(text: str) -> Any:
    raise _BadNumber(text)


def _deepest(text: str) -> tuple[int, int]:
    """The deepest nesting of ``[`` and ``{`` outside strings, and the line where it is first reached."""
    depth = deepest = 0
    line = deepest_line = 1
    in_string = escaped = False
    for char in text:
        if char == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest, deepest_line = depth, line
                if deepest > MAX_DEPTH:
                    break
        elif char in "]}":
            depth -= 1
    return deepest, deepest_line


def too_large(size: int) -> ImportRefused:
    return ImportRefused(
        [
            _("ไฟล์มีขนาด %(size)s MB เกินกว่าที่รับได้ %(max)s MB")
            % {"size": f"{size / 1024 / 1024:.1f}", "max": MAX_BYTES // (1024 * 1024)}
        ]
    )


def parse(raw: bytes) -> Any:
    """The JSON document in ``raw``, read within bounds; ImportRefused with one problem otherwise."""
    if len(raw) > MAX_BYTES:
        raise too_large(len(raw))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportRefused(
            [
                _("ไฟล์ไม่ใช่ข้อความ UTF-8: ไบต์ที่ %(byte)s (บรรทัด %(line)s)")
                % {"byte": error.start + 1, "line": line}
            ]
        ) from None
    deepest, line = _deepest(text)
    if deepest > MAX_DEPTH:
        raise ImportRefused(
            [
                _("ไฟล์ซ้อนกันลึกเกิน %(max)s ชั้น (บรรทัด %(line)s): แผนไม่มีโครงสร้างลึกขนาดนี้")
                % {"max": MAX_DEPTH, "line": line}
            ]
        )
    try:
        return json.loads(
            text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_refuse_constant
        )
    except json.JSONDecodeError as error:
        raise ImportRefused(
            [
                _("ไฟล์ไม่ใช่ JSON ที่ถูกต้อง (บรรทัด %(line)s คอลัมน์ %(col)s): %(reason)s")
                % {"line": error.lineno, "col": error.colno, "reason": error.msg}
            ]
        ) from None
    except _BadNumber as error:
        raise ImportRefused([_("ไฟล์มีตัวเลขที่รับไม่ได้: “%(value)s”") % {"value": _shorten(error.text)}]) from None
    except (ValueError, RecursionError):
        raise ImportRefused([_("ไฟล์ไม่ใช่ JSON ที่ถูกต้อง")]) from None


# --- Naming places as people read the plan ---------------------------------------------------------

LABELS: dict[str, dict[str, str | Promise]] = {
    "root": {
        "format": gettext_lazy("รูปแบบไฟล์"),
        "format_version": gettext_lazy("รุ่นของรูปแบบไฟล์"),
        "organization": gettext_lazy("องค์กร"),
        "plan": gettext_lazy("แผน"),
    },
    "dimension": {
        "number": gettext_lazy("เลขมิติ"),
        "title_th": gettext_lazy("ชื่อมิติ (ไทย)"),
        "title_en": gettext_lazy("ชื่อมิติ (อังกฤษ)"),
        "missions": gettext_lazy("ภารกิจ"),
    },
    "mission": {
        "code": gettext_lazy("รหัสภารกิจ"),
        "title_th": gettext_lazy("ชื่อภารกิจ (ไทย)"),
        "title_en": gettext_lazy("ชื่อภารกิจ (อังกฤษ)"),
        "verify": gettext_lazy("ต้องตรวจกับต้นฉบับ"),
        "items": gettext_lazy("รายการ"),
        "missions": gettext_lazy("ภารกิจย่อย"),
    },
}
PLAN_FIELDS = {"template": "template_key", "illustrative": "is_illustrative"}


def _model_label(model: Any, name: str) -> str | Promise | None:
    try:
        label: str | Promise = model._meta.get_field(PLAN_FIELDS.get(name, name)).verbose_name
    except Exception:  # FieldDoesNotExist: a key the file should not have
        return None
    return label


def _label(context: str, name: str) -> str:
    if context in LABELS and name in LABELS[context]:
        return str(LABELS[context][name])
    model = {"organization": Organization, "plan": Plan, "item": PlanItem, "indicator": Indicator}.get(
        context
    )
    label = _model_label(model, name) if model is not None else None
    if label is None and context == "plan" and name == "part1":
        label = _("ส่วนที่ 1")
    return str(label) if label is not None else f"“{_shorten(name)}”"


def _shorten(text: str) -> str:
    clean = FORBIDDEN.sub("\ufffd", text).replace("\n", " ").strip()
    return clean if len(clean) <= LABEL_LENGTH else clean[: LABEL_LENGTH - 1] + "…"


def _element(context: str, container: Any, index: int) -> tuple[str, str]:
    """The name of element ``index`` of a list in ``context`` and the context of the element."""
    element = container[index] if isinstance(container, list) and index < len(container) else None
    fields: dict[str, Any] = element if isinstance(element, dict) else {}
    get = fields.get
    if context == "dimensions":
        number = get("number")
        if isinstance(number, int) and not isinstance(number, bool) and 0 < number < 1000:
            return _("มิติที่ %(number)s") % {"number": number}, "dimension"
        return _("มิติลำดับที่ %(n)s") % {"n": index + 1}, "dimension"
    if context == "missions":
        code = get("code")
        if isinstance(code, str) and code.strip():
            return _shorten(code), "mission"
        return _("ภารกิจลำดับที่ %(n)s") % {"n": index + 1}, "mission"
    if context == "items":
        title = get("title")
        if isinstance(title, str) and title.strip():
            return f"“{_shorten(title)}”", "item"
        return _("รายการที่ %(n)s") % {"n": index + 1}, "item"
    if context == "indicators":
        return _("ตัวชี้วัดที่ %(n)s") % {"n": index + 1}, "indicator"
    if context == "part1-section":
        return _("ข้อที่ %(n)s") % {"n": index + 1}, "text"
    return _("ลำดับที่ %(n)s") % {"n": index + 1}, "value"


def place(data: Any, path: Any) -> str:
    """``path`` (keys and indexes from the root) as a reader names it, e.g. ``มิติที่ 1 › 1.1.1 › “…”``."""
    parts, _context = _walk(data, list(path))
    return " › ".join(parts) if parts else _("ทั้งไฟล์")


def _walk(data: Any, path: list[Any]) -> tuple[list[str], str]:
    """The names along ``path`` and the kind of thing it ends at ("plan", "item", "dimension", …)."""
    parts: list[str] = []
    node, context = data, "root"
    for key in path:
        if isinstance(key, int):
            name, context = _element(context, node, key)
            parts.append(name)
        elif context == "root" and key == "plan":
            context = "plan"  # plan fields speak for themselves; "แผน" is added only for its own fields
        elif context == "plan" and key in ("dimensions",):
            context = "dimensions"
        elif context == "plan" and key == "part1":
            parts.append(_label("plan", "part1"))
            context = "part1"
        elif context == "part1":
            section = part1.BY_KEY.get(key)
            parts.append(str(section.title) if section else f"“{_shorten(str(key))}”")
            context = "part1-section"
        elif context == "dimension" and key == "missions":
            context = "missions"
        elif context == "mission" and key in ("missions", "items"):
            context = key
        elif context == "item" and key == "details":
            context = "details"
        elif context == "details":
            parts.append(_label("item", str(key)))
            context = "value"
        elif context == "item" and key == "budgets":
            context = "budgets"
        elif context == "budgets":
            parts.append(_("งบประมาณ ปี %(year)s") % {"year": _shorten(str(key))})
            context = "value"
        elif context == "item" and key == "indicators":
            context = "indicators"
        else:
            if context == "plan":
                parts.append(_label("root", "plan"))
            parts.append(_label(context, str(key)))
            context = key if context == "root" else "value"
        node = node[key] if isinstance(node, dict | list) and _has(node, key) else None
    if path == ["plan"]:
        parts = [_label("root", "plan")]
    return parts, context


def _has(node: Any, key: Any) -> bool:
    if isinstance(node, dict):
        return key in node
    return isinstance(key, int) and 0 <= key < len(node)


# --- What is wrong, said plainly --------------------------------------------------------------------

TYPES = {
    "integer": gettext_lazy("จำนวนเต็ม"),
    "string": gettext_lazy("ข้อความ"),
    "array": gettext_lazy("รายการ (array)"),
    "object": gettext_lazy("กลุ่มข้อมูล (object)"),
    "boolean": gettext_lazy("true หรือ false"),
    "null": gettext_lazy("null"),
}


def _pattern_message(pattern: str) -> str:
    if pattern.startswith("^[a-z0-9][a-z0-9-]"):
        return _("ใช้ได้เฉพาะตัวอักษร a–z ตัวเลข และขีด (-) ขึ้นต้นด้วยตัวอักษรหรือตัวเลข ยาวไม่เกิน 40 ตัว")
    if pattern.startswith("^[a-z0-9-]"):
        return _("ใช้ได้เฉพาะตัวอักษร a–z ตัวเลข และขีด (-)")
    if pattern.startswith("^[0-9]{1,12}"):
        return _('ต้องเป็นตัวเลขไม่ติดลบ ไม่เกิน 12 หลัก ทศนิยมไม่เกิน 2 ตำแหน่ง เขียนเป็นข้อความ เช่น "15000" หรือ "2500.50"')
    if pattern.startswith("^[0-9]+(\\."):
        return _("ต้องเป็นตัวเลขคั่นด้วยจุด เช่น 1.1.1")
    if pattern == "^[0-9]{4}$":
        return _("ต้องเป็นปี พ.ศ. สี่หลัก")
    if pattern == "\\S":
        return _("ต้องไม่เป็นช่องว่างล้วน")
    return _("รูปแบบไม่ถูกต้อง")


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"“{_shorten(value)}”"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return _shorten(repr(value))
    return _("กลุ่มข้อมูล") if isinstance(value, dict) else _("รายการ")


def _reason(error: jsonschema.ValidationError, context: str) -> str:
    kind = error.validator
    value: Any = error.instance
    expected: Any = error.validator_value
    rule: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    found = {"value": _shown(value)}
    if kind == "required":
        missing = [
            _label(context, name) for name in expected if isinstance(value, dict) and name not in value
        ]
        return _("ไม่มี%(fields)s ซึ่งต้องมี") % {"fields": ", ".join(missing)}
    if kind == "type":
        names = expected if isinstance(expected, list) else [expected]
        return _("ต้องเป็น%(type)s (ในไฟล์: %(value)s)") % {
            "type": _(" หรือ ").join(str(TYPES.get(name, name)) for name in names),
            **found,
        }
    if kind in ("minimum", "maximum"):
        low, high = rule.get("minimum"), rule.get("maximum")
        if low is not None and high is not None:
            return _("ต้องอยู่ระหว่าง %(low)s ถึง %(high)s (ในไฟล์: %(value)s)") % {
                "low": low,
                "high": high,
                **found,
            }
        return _("ต้องไม่น้อยกว่า %(low)s (ในไฟล์: %(value)s)") % {"low": low, **found}
    if kind == "minLength":
        return _("ต้องไม่ว่าง")
    if kind == "maxLength":
        return _("ยาวเกิน %(max)s ตัวอักษร (ในไฟล์ %(length)s ตัว)") % {"max": expected, "length": len(value)}
    if kind == "pattern":
        return _("%(rule)s (ในไฟล์: %(value)s)") % {"rule": _pattern_message(expected), **found}
    if kind == "enum":
        return _("ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: %(values)s (ในไฟล์: %(value)s)") % {
            "values": ", ".join(str(v) for v in expected),
            **found,
        }
    if kind == "const":
        return _("ต้องเป็น %(expected)s (ในไฟล์: %(value)s)") % {"expected": json.dumps(expected), **found}
    if kind == "additionalProperties":
        known = rule.get("properties", {})
        extra = [name for name in value if name not in known] if isinstance(value, dict) else []
        return _("มีช่องที่ไม่รู้จัก: %(names)s") % {"names": ", ".join(f"“{_shorten(n)}”" for n in extra)}
    if kind == "oneOf":
        return (
            _('ต้องเป็นตัวเลขเขียนเป็นข้อความ เช่น "12" หรือ "2.5" หรือ null เมื่อไม่มีค่าเป้าหมาย (ในไฟล์: %(value)s)')
            % found
        )
    return _("ค่าไม่ถูกต้อง (ในไฟล์: %(value)s)") % found


def _problem(data: Any, path: Any, reason: str) -> str:
    return _("%(place)s: %(reason)s") % {"place": place(data, list(path)), "reason": reason}


# --- Checks ------------------------------------------------------------------------------------------


def _too_deep(data: Any) -> bool:
    """Nesting deeper than ``MAX_DEPTH``, found without recursion (a Python object may be any depth)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > MAX_DEPTH:
                return True
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return False


def _strings(data: Any) -> Iterator[tuple[list[Any], str, bool]]:
    """Every string of the document with its path; ``True`` when it is a key rather than a value."""
    stack: list[tuple[list[Any], Any]] = [([], data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, str):
            yield path, node, False
        elif isinstance(node, dict):
            for key, value in reversed(node.items()):
                if isinstance(key, str):
                    yield [*path, key], key, True
                stack.append(([*path, key], value))
        elif isinstance(node, list):
            stack.extend(([*path, index], value) for index, value in reversed(list(enumerate(node))))


def _text_problems(data: Any) -> list[str]:
    problems = []
    for path, text, _is_key in _strings(data):
        match = FORBIDDEN.search(text)
        if match:
            problems.append(
                _problem(
                    data,
                    path,
                    _("มีอักขระควบคุม U+%(code)04X ที่ตำแหน่ง %(at)s ซึ่งเก็บเป็นข้อความไม่ได้")
                    % {"code": ord(match.group()), "at": match.start() + 1},
                )
            )
    return problems


def _sort_key(data: Any, path: Any) -> list[int]:
    """Document order: a key's position in its object, an index in its list."""
    key: list[int] = []
    node = data
    for part in path:
        if isinstance(node, dict):
            key.append(list(node).index(part) if part in node else len(node))
        else:
            key.append(part if isinstance(part, int) else 0)
        node = node[part] if isinstance(node, dict | list) and _has(node, part) else None
    return key


def _schema_problems(data: Any) -> list[str]:
    first = itertools.islice(_validator().iter_errors(data), 20 * MAX_PROBLEMS)
    errors = sorted(first, key=lambda e: _sort_key(data, e.absolute_path))
    found = []
    for error in errors:
        parts, context = _walk(data, list(error.absolute_path))
        found.append(
            _("%(place)s: %(reason)s")
            % {"place": " › ".join(parts) if parts else _("ทั้งไฟล์"), "reason": _reason(error, context)}
        )
    return found


def _fatal(data: Any) -> str | None:
    """A problem after which nothing else in the file means anything."""
    if not isinstance(data, dict):
        return _("ไฟล์ต้องเป็นแผนในรูปแบบ %(format)s: ออบเจกต์ JSON ที่มี format, organization และ plan") % {
            "format": FORMAT
        }
    if _too_deep(data):
        return _("ไฟล์ซ้อนกันลึกเกิน %(max)s ชั้น: แผนไม่มีโครงสร้างลึกขนาดนี้") % {"max": MAX_DEPTH}
    if data.get("format") != FORMAT or data.get("format_version") != FORMAT_VERSION:
        return _('ไม่ใช่ไฟล์แผนของโปร่งใส: ต้องมี "format": "%(format)s" และ "format_version": %(version)s') % {
            "format": FORMAT,
            "version": FORMAT_VERSION,
        }
    if not isinstance(data.get("plan"), dict) or not isinstance(data.get("organization"), dict):
        return _("ไฟล์ต้องมีกลุ่มข้อมูล organization และ plan")
    return None


def _rule_problems(data: Any) -> list[str]:
    """What the schema cannot say: year order, known sections and template, unique codes and numbers."""
    problems: list[str] = []
    plan = data["plan"]
    first, last = plan["first_year"], plan["last_year"]
    if first > last:
        problems.append(_problem(data, ["plan", "last_year"], _("ปีสุดท้ายต้องไม่น้อยกว่าปีแรก")))
    if plan["template"] not in available_templates():
        problems.append(
            _problem(
                data,
                ["plan", "template"],
                _("ไม่มีแม่แบบ “%(key)s” ในระบบ (ที่มี: %(known)s)")
                % {"key": plan["template"], "known": ", ".join(available_templates())},
            )
        )
    else:
        load_template(plan["template"])  # a shipped template that does not load is a bug: let it show
    for key in plan["part1"]:
        if key not in part1.BY_KEY:
            problems.append(_problem(data, ["plan", "part1", key], _("ไม่มีส่วนนี้ในบทนำ")))
    codes: set[str] = set()
    numbers: set[int] = set()

    def check_mission(mission: dict[str, Any], path: list[Any]) -> None:
        if mission["code"] in codes:
            problems.append(
                _problem(data, [*path, "code"], _("รหัสภารกิจ %(code)s ซ้ำ") % {"code": mission["code"]})
            )
        codes.add(mission["code"])
        for i, item in enumerate(mission["items"]):
            for year, amount in item.get("budgets", {}).items():
                at = [*path, "items", i, "budgets", year]
                if not first <= int(year) <= last:
                    problems.append(
                        _problem(
                            data,
                            at,
                            _("ปี %(year)s อยู่นอกช่วงปีของแผน (%(first)s–%(last)s)")
                            % {"year": year, "first": first, "last": last},
                        )
                    )
                try:
                    Decimal(amount)
                except InvalidOperation:
                    problems.append(_problem(data, at, _("งบประมาณต้องเป็นตัวเลข")))
        for j, child in enumerate(mission["missions"]):
            check_mission(child, [*path, "missions", j])

    for d, dimension in enumerate(plan["dimensions"]):
        if dimension["number"] in numbers:
            problems.append(_problem(data, ["plan", "dimensions", d, "number"], _("มิติซ้ำ")))
        numbers.add(dimension["number"])
        for m, mission in enumerate(dimension["missions"]):
            check_mission(mission, ["plan", "dimensions", d, "missions", m])
    return problems


def problems(data: Any) -> list[str]:
    """Every problem of ``data`` (a parsed file), each naming its place; empty when it can be imported."""
    fatal = _fatal(data)
    if fatal is not None:
        return [fatal]
    found = _text_problems(data) + _schema_problems(data)
    if not found:
        found = _rule_problems(data)
    if len(found) > MAX_PROBLEMS:
        rest = len(found) - MAX_PROBLEMS
        found = [*found[:MAX_PROBLEMS], _("และอีก %(n)s จุด") % {"n": rest}]
    return found


def check(data: Any) -> None:
    """ImportRefused with every problem of ``data``, or nothing."""
    found = problems(data)
    if found:
        raise ImportRefused(found)


def notices(data: Any) -> list[str]:
    """What an import of ``data`` does not take from the file, said so that nobody is surprised."""
    plan = data.get("plan") if isinstance(data, dict) else None
    status = plan.get("status") if isinstance(plan, dict) else None
    if not isinstance(status, str) or status == PlanStatus.DRAFT:
        return []
    label = PlanStatus(status).label if status in PlanStatus.values else status
    return [
        _problem(
            data,
            ["plan", "status"],
            _("ไฟล์ระบุว่า “%(status)s” แต่การนำเข้าสร้างฉบับร่างเสมอ จึงไม่ใช้ค่านี้: ผู้บริหารอนุมัติและประกาศในระบบ")
            % {"status": label},
        )
    ]
