from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from prongsai.lib.uploads import UploadField

HEX64 = re.compile(r"^[0-9a-f]{64}$")
PDF_MAGIC = b"%PDF-"


class VerifyForm(forms.Form):
    """A PDF to check, or the SHA-256 of one (64 hexadecimal digits); exactly one of them."""

    document = UploadField(
        label=_("ไฟล์ PDF"),
        required=False,
        help_text=_("ไฟล์จะไม่ถูกเก็บไว้ ระบบคำนวณ SHA-256 แล้วทิ้งไฟล์ทันที"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    sha256 = forms.CharField(
        label=_("หรือ SHA-256 ของไฟล์"),
        required=False,
        max_length=200,
        help_text=_("ตัวเลขฐานสิบหก ๖๔ ตัว เช่นที่แสดงข้างปุ่มดาวน์โหลด PDF"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "latin"}),
    )

    def clean_document(self) -> Any:
        upload = self.cleaned_data.get("document")
        if upload:
            head = upload.read(len(PDF_MAGIC))
            upload.seek(0)
            if head != PDF_MAGIC:
                raise ValidationError(
                    _("ไฟล์นี้ไม่ใช่ PDF: เนื้อไฟล์ไม่ได้ขึ้นต้นอย่างไฟล์ PDF ตรวจได้เฉพาะเอกสาร PDF ของแผนที่ประกาศ"),
                    code="not_pdf",
                )
        return upload

    def clean_sha256(self) -> str:
        value = re.sub(r"\s+", "", self.cleaned_data.get("sha256", "")).lower()
        if value and not HEX64.match(value):
            raise ValidationError(_("SHA-256 ต้องเป็นตัวเลขฐานสิบหก (0–9, a–f) ๖๔ ตัว"), code="bad_hash")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("document") and not data.get("sha256"):
            raise ValidationError(_("เลือกไฟล์ PDF หรือวาง SHA-256 อย่างใดอย่างหนึ่ง"), code="empty")
        return data
