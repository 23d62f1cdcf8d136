"""What the public may see of ITA: the results NACC published (``Source.PUBLISHED``), never own rounds."""

from __future__ import annotations

from dataclasses import dataclass

from prongsai.ita.models import Assessment, Source
from prongsai.ita.scoring import Result
from prongsai.organizations.models import Organization


@dataclass(frozen=True)
class PublishedResult:
    assessment: Assessment
    result: Result


def published_results(organization: Organization) -> list[PublishedResult]:
    """The organisation's official ITA results, newest year first, with Prongsai's computation beside them."""
    assessments = Assessment.objects.filter(organization=organization, source=Source.PUBLISHED).order_by(
        "-year"
    )
    return [PublishedResult(a, a.result()) for a in assessments.prefetch_related("scores")]
