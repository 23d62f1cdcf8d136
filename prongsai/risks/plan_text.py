"""The plan's Part 1 risk factors (ปัจจัยเสี่ยงการทุจริต) written from an approved or published register.

Unlike the ITA paragraph, which the plan always shows from the data, the officer chooses which risks go
into the plan: each chosen risk becomes one list entry of the plan's ``risk_factors`` section through
the plan's own action (``plans.actions.add_part1_entry``), so it is then the plan's text to edit.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from prongsai.lib.thai import digits
from prongsai.risks.models import Risk, RiskRegister


def risk_factor_text(risk: Risk, style: str = "thai") -> str:
    """One risk as a sentence of the plan, in Thai whatever the reader's language."""
    with translation.override("th"):
        area = risk.register.method.area(risk.area)
        text = _(
            "ด้าน%(area)s: %(event)s ในกระบวนงาน%(process)s ระดับความเสี่ยง%(level)s "
            "(โอกาส %(likelihood)s × ผลกระทบ %(impact)s = %(score)s)"
        ) % {
            "area": area.title_th if area is not None else risk.area,
            "event": risk.event.strip().rstrip("."),
            "process": risk.process.strip(),
            "level": risk.level.title_th,
            "likelihood": risk.likelihood,
            "impact": risk.impact,
            "score": risk.score,
        }
    return digits(text, style)


def risk_factor_lines(register: RiskRegister, style: str = "thai") -> list[tuple[Risk, str]]:
    """Each risk of the register, highest score first, with its sentence."""
    risks = list(register.risks.all())
    for risk in risks:
        risk.register = register
    risks.sort(key=lambda r: (-r.score, r.position))
    return [(risk, risk_factor_text(risk, style)) for risk in risks]
