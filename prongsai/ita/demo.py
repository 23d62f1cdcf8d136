"""Demo ITA data: Wang Phai's published result under the 2560–2561 model, as the source plan reports it."""

from __future__ import annotations

from decimal import Decimal

from prongsai.ita import actions
from prongsai.ita.models import Assessment, Source
from prongsai.organizations.access import SystemActor
from prongsai.organizations.models import Organization

DEMO_ORG = "wangphai"
# The source plan (2561–2564) reports the assessment before it; the model is the 2560–2561 one, so the year is 2560.
DEMO_YEAR = 2560
DEMO_SCORES = {
    "transparency": ("80.06", "20.82"),
    "accountability": ("85.72", "15.43"),
    "corruption_free": ("89.77", "19.75"),
    "integrity_culture": ("72.83", "11.65"),
    "work_integrity": ("60.48", "10.89"),
}
DEMO_TOTAL = Decimal("78.54")
DEMO_ACTOR = SystemActor("demo")


def load_demo_ita() -> bool:
    """Record the demo result unless it is there (demo re-runs keep data); True when recorded now."""
    organization = Organization.objects.filter(slug=DEMO_ORG).first()
    if organization is None:
        return False
    if Assessment.objects.filter(organization=organization, year=DEMO_YEAR, source=Source.PUBLISHED).exists():
        return False
    actions.record_assessment(
        DEMO_ACTOR,
        organization,
        year=DEMO_YEAR,
        model_key="ita-2560",
        scores={key: Decimal(score) for key, (score, _points) in DEMO_SCORES.items()},
        published_points={key: Decimal(points) for key, (_score, points) in DEMO_SCORES.items()},
        published_total=DEMO_TOTAL,
        note="แผนปฏิบัติการป้องกันการทุจริตสี่ปี (พ.ศ. ๒๕๖๑–๒๕๖๔) ส่วนที่ ๑ ข้อ ๑.๒",
    )
    return True
