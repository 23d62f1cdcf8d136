"""The ITA paragraph of a plan's Part 1 §1.2, written from the organisation's recorded results.

``prongsai.plans.content`` shows this paragraph first in the ITA section, so the figures in the plan
document always come from the data (and change when the data is corrected), never from typed text.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from prongsai.ita.models import Assessment, Source
from prongsai.ita.scoring import Result
from prongsai.lib.thai import digits
from prongsai.plans.models import Plan


def assessment_before(plan: Plan) -> Assessment | None:
    """The latest published assessment of the plan's organisation from before the plan's first year."""
    return (
        Assessment.objects.filter(
            organization_id=plan.organization_id, source=Source.PUBLISHED, year__lt=plan.first_year
        )
        .order_by("-year")
        .prefetch_related("scores")
        .first()
    )


def _figures(result: Result) -> str:
    phrases = [
        _("%(name)sมีค่าเท่ากับ %(points)s คะแนน คิดเป็นร้อยละ %(score)s")
        % {
            "name": part.part.name_th,
            "points": f"{part.published_points if part.published_points is not None else part.points:.2f}",
            "score": f"{part.score_display:.2f}",
        }
        for part in result.parts
    ]
    if len(phrases) == 1:
        return phrases[0]
    return _("%(first)s และ%(last)s") % {"first": " ".join(phrases[:-1]), "last": phrases[-1]}


def results_paragraph(plan: Plan) -> str | None:
    """The paragraph in the plan's language and digits, or None when no result precedes the plan."""
    assessment = assessment_before(plan)
    if assessment is None:
        return None
    result = assessment.result()
    total = result.published_total if result.published_total is not None else result.total
    with translation.override("th"):  # part of the Thai plan document, whatever the reader's language
        values = {
            "organization": plan.organization.name_th,
            "year": assessment.year,
            "figures": _figures(result),
            "total": f"{total:.2f}",
            "grade": result.band.label_th,
        }
        if result.model.verify.get("grading", False):
            # Bands still to be checked against an official text are not printed in an official document.
            text = (
                _(
                    "ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ%(organization)s ประจำปีงบประมาณ "
                    "พ.ศ. %(year)s พบว่า %(figures)s โดยมีคะแนนรวมเท่ากับ %(total)s คะแนน"
                )
                % values
            )
        else:
            text = (
                _(
                    "ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ%(organization)s ประจำปีงบประมาณ "
                    "พ.ศ. %(year)s พบว่า %(figures)s โดยมีคะแนนรวมเท่ากับ %(total)s คะแนน "
                    "ผลการประเมินอยู่ในระดับ %(grade)s"
                )
                % values
            )
    return digits(text, plan.digits)
