"""ITA results steer the register: the organisation's latest assessment's weak indices propose risk areas.

Which areas answer which index is data (``ita_index_areas`` in the method file, marked verify); this
module only reads the latest recorded assessment and asks the method (two queries).
"""

from __future__ import annotations

from dataclasses import dataclass

from prongsai.ita.models import Assessment
from prongsai.ita.scoring import PartResult
from prongsai.organizations.models import Organization
from prongsai.risks.method import Area, Method


@dataclass(frozen=True)
class Proposal:
    assessment: Assessment
    weak: list[PartResult]  # lowest first
    areas: list[Area]


def ita_proposal(organization: Organization, method: Method) -> Proposal | None:
    """The areas the latest ITA assessment's weak indices point to; None without an assessment."""
    assessment = Assessment.objects.filter(organization=organization).order_by("-year", "-id").first()
    if assessment is None:
        return None
    weak = sorted(assessment.result().weak_parts, key=lambda part: part.score)
    return Proposal(assessment, weak, method.proposed_areas([part.part.key for part in weak]))
