"""Issue 10's "done when" on the demo data, in this process: the FY 2562 register is published, so the
import of its edited export opens revision 2 as a draft; the public register stays as it was."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from prongsai.cli import main
from prongsai.conftest import client_for
from prongsai.risks.models import RegisterStatus, RiskRegister

pytestmark = pytest.mark.django_db
REGISTER = ["--org", "wangphai", "--year", "2562"]
LIKELIHOOD = "โอกาส (๑–๕)"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_edit_import_on_the_published_year_opens_revision_two(settings, tmp_path, capsys):
    from prongsai.demo import prepare

    settings.VAR_DIR = tmp_path
    settings.AUDIT_WITNESS_DIR = tmp_path / "witness"
    prepare()
    capsys.readouterr()
    code, out, _err = run(capsys, "risk", "export", *REGISTER, "--format", "json")
    before = json.loads(out)
    assert (code, before["status"], before["revision"]) == (0, "published", 1)
    assert [(r["score"], r["level"]["key"]) for r in before["risks"]] == [
        (12, "high"),
        (9, "high"),
        (16, "very_high"),
        (6, "medium"),
    ]
    public = client_for(None).get(reverse("portal:risk_register", kwargs={"org": "wangphai", "year": 2562}))

    path = tmp_path / "risks.xlsx"
    assert run(capsys, "risk", "export", *REGISTER, "--format", "xlsx", "-o", str(path))[0] == 0
    book = load_workbook(path)
    sheet = book["ทะเบียนความเสี่ยง"]
    column = next(c.column for c in sheet[1] if c.value == LIKELIHOOD)
    sheet.cell(3, column, value=6)
    book.save(path)
    code, _out, err = run(capsys, "risk", "import", str(path), *REGISTER)
    assert code == 2 and "แถว 3 คอลัมน์ “โอกาส (๑–๕)”" in err
    assert RiskRegister.objects.filter(fiscal_year=2562).count() == 1  # no revision left behind

    sheet.cell(2, column, value=5)
    sheet.cell(3, column, value=1)
    book.save(path)
    code, out, err = run(capsys, "risk", "import", str(path), *REGISTER)
    assert code == 0, err
    assert "นำเข้าความเสี่ยง 2 รายการแล้ว" in out and "เปิดฉบับที่ 2 เป็นฉบับร่าง" in out
    second = RiskRegister.objects.get(fiscal_year=2562, revision=2)
    assert second.status == RegisterStatus.DRAFT
    code, out, _err = run(capsys, "risk", "export", *REGISTER, "--format", "json")
    after = json.loads(out)
    assert after["revision"] == 2
    assert [(r["likelihood"], r["score"], r["level"]["key"]) for r in after["risks"]][:2] == [
        (5, 20, "very_high"),
        (1, 3, "low"),
    ]
    code, out, _err = run(capsys, "risk", "export", *REGISTER, "--revision", "1", "--format", "json")
    assert json.loads(out) == before  # the published revision unchanged
    again = client_for(None).get(reverse("portal:risk_register", kwargs={"org": "wangphai", "year": 2562}))
    assert again.content == public.content  # the public register unchanged until revision 2 is published
    code, out, err = run(capsys, "audit", "verify")
    assert code == 0, out + err
