"""Errors as JSON, the same for every endpoint: a stable ``code``, the message in Thai and in English.

Both languages are always in the body (not chosen by Accept-Language), so an answer does not depend on
the caller's headers and a program can show either. Nothing about the server's insides is ever sent.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

# code → (Thai, English). Codes are part of the API: add new ones, never rename.
MESSAGES: dict[str, tuple[str, str]] = {
    "not_found": ("ไม่พบข้อมูลที่ขอ", "Not found."),
    "organization_not_found": (
        "ไม่พบองค์กรปกครองส่วนท้องถิ่นนี้ หรือยังไม่ได้ประกาศแผน",
        "No such local government, or it has not published a plan.",
    ),
    "plan_not_found": ("ไม่พบแผนฉบับที่ประกาศแล้วตามที่ขอ", "No such published plan revision."),
    "item_not_found": ("ไม่พบรายการนี้ในแผนฉบับที่ขอ", "No such item in this plan revision."),
    "report_not_found": (
        "ไม่พบรอบรายงานผลที่ประกาศแล้วตามที่ขอ",
        "No such published report round.",
    ),
    "risk_register_not_found": (
        "ไม่พบทะเบียนความเสี่ยงการทุจริตที่ประกาศแล้วของปีที่ขอ",
        "No published corruption-risk register for this fiscal year.",
    ),
    "complaint_statistics_not_found": (
        "ไม่มีสถิติเรื่องร้องเรียนของปีงบประมาณที่ขอ",
        "No complaint statistics for this fiscal year.",
    ),
    "invalid_request": ("ค่าที่ส่งมาไม่ถูกต้อง", "Invalid parameters."),
    "method_not_allowed": ("API นี้อ่านได้อย่างเดียว ใช้ได้เฉพาะ GET", "This API is read-only: use GET."),
    "server_error": ("ระบบขัดข้อง โปรดลองอีกครั้งภายหลัง", "Server error, please try again later."),
}


class ApiError(Exception):
    """Raised by a view to answer with the JSON error ``code`` and ``status``."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(code)
        self.status = status
        self.code = code


def error_body(code: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    thai, english = MESSAGES[code]
    body: dict[str, Any] = {"code": code, "detail": thai, "detail_en": english}
    if errors is not None:
        body["errors"] = errors
    return body


def error_response(status: int, code: str, errors: list[dict[str, Any]] | None = None) -> HttpResponse:
    content = json.dumps(error_body(code, errors), ensure_ascii=False)
    return HttpResponse(content, status=status, content_type="application/json; charset=utf-8")


def field_errors(pydantic_errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """django-ninja's validation errors as ``{"location", "field", "message", "type"}``, one per problem."""
    out = []
    for error in pydantic_errors:
        location, *field = (str(part) for part in error.get("loc", ()))
        out.append(
            {
                "location": location,
                "field": ".".join(field),
                "message": str(error.get("msg", "")),
                "type": str(error.get("type", "")),
            }
        )
    return out
