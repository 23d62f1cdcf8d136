"""What the public may see of the risk registers: published registers, their published monitoring rounds,
and the evidence marked public of those rounds.

A register revision is public once the approver publishes it (draft → approved → published) and never
changes again; a monitoring round likewise. The year's public register is its newest published revision;
earlier published revisions stay readable at their own address (``/p/<org>/risks/<year>/r/<n>/``). Every public page reads them through these functions, never through
``RiskRegister.objects`` directly, so a draft or approved register has no public address (404).
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import Exists, OuterRef, QuerySet

from prongsai.organizations.models import Organization
from prongsai.risks.models import (
    Measure,
    MonitoringEvidence,
    MonitoringRound,
    RegisterStatus,
    Risk,
    RiskRegister,
)


def published_revisions(organization: Organization | None) -> QuerySet[RiskRegister]:
    """Every published revision of the organisation's registers (None: of the installation), newest year
    and revision first."""
    registers = RiskRegister.objects.filter(status=RegisterStatus.PUBLISHED)
    if organization is not None:
        registers = registers.filter(organization=organization)
    return registers.select_related(
        "organization__district__province", "approved_by", "published_by"
    ).order_by("-fiscal_year", "-revision")


def published_registers(organization: Organization | None) -> QuerySet[RiskRegister]:
    """The public register of each year (its newest published revision) of the organisation (None: of
    every organisation), newest year first."""
    newer = RiskRegister.objects.filter(
        organization=OuterRef("organization"),
        fiscal_year=OuterRef("fiscal_year"),
        status=RegisterStatus.PUBLISHED,
        revision__gt=OuterRef("revision"),
    )
    return published_revisions(organization).filter(~Exists(newer))


def published_register(organization: Organization, year: int) -> RiskRegister | None:
    """The year's public register: its newest published revision, or None."""
    return published_revisions(organization).filter(fiscal_year=year).first()


def published_revision(organization: Organization, year: int, revision: int) -> RiskRegister | None:
    """Published revision ``revision`` of the year's register (a draft or approved one is not public)."""
    return published_revisions(organization).filter(fiscal_year=year, revision=revision).first()


def year_revisions(register: RiskRegister) -> list[int]:
    """The numbers of the published revisions of the register's year, oldest first (for the links)."""
    return list(
        RiskRegister.objects.filter(
            organization_id=register.organization_id,
            fiscal_year=register.fiscal_year,
            status=RegisterStatus.PUBLISHED,
        )
        .order_by("revision")
        .values_list("revision", flat=True)
    )


def published_rounds(register: RiskRegister) -> list[MonitoringRound]:
    """The published monitoring rounds opened on this revision (only a published revision has any).

    A round stays attached to the revision it was opened on: it reports on that revision's risks."""
    if register.status != RegisterStatus.PUBLISHED:
        return []
    rounds = list(
        MonitoringRound.objects.filter(register=register, status=RegisterStatus.PUBLISHED)
        .select_related("approved_by", "published_by")
        .order_by("months")
    )
    for report_round in rounds:
        report_round.register = register
    return rounds


def published_year_rounds(organization: Organization, year: int) -> list[MonitoringRound]:
    """The year's published rounds, each on the published revision it was opened on (its register set)."""
    return list(
        MonitoringRound.objects.filter(
            register__organization=organization,
            register__fiscal_year=year,
            register__status=RegisterStatus.PUBLISHED,
            status=RegisterStatus.PUBLISHED,
        )
        .select_related("register__organization", "approved_by", "published_by")
        .order_by("months")
    )


def published_year_round(organization: Organization, year: int, months: int) -> MonitoringRound | None:
    """The year's published round of ``months``, on whichever published revision it was opened."""
    report_round = (
        MonitoringRound.objects.filter(
            register__organization=organization,
            register__fiscal_year=year,
            register__status=RegisterStatus.PUBLISHED,
            status=RegisterStatus.PUBLISHED,
            months=months,
        )
        .select_related("register__organization", "approved_by", "published_by")
        .first()
    )
    return report_round


def published_round(register: RiskRegister, months: int) -> MonitoringRound | None:
    return next((r for r in published_rounds(register) if r.months == months), None)


def public_evidence(report_round: MonitoringRound) -> QuerySet[MonitoringEvidence]:
    """The files the officer marked public, of a published round of a published register; else none."""
    if (
        report_round.status != RegisterStatus.PUBLISHED
        or report_round.register.status != RegisterStatus.PUBLISHED
    ):
        return MonitoringEvidence.objects.none()
    return MonitoringEvidence.objects.filter(report__round=report_round, is_public=True)


def lineage(risks: list[Risk]) -> dict[int, set[int]]:
    """Each risk's id with the ids of the risks it was copied from, revision by revision (one query per
    earlier revision): a round opened on an earlier revision reports on one of them."""
    found = {risk.pk: {risk.pk} for risk in risks}
    step = {risk.pk: risk.source_id for risk in risks if risk.source_id is not None}
    while step:
        for pk, source in step.items():
            found[pk].add(source)
        parents = dict(Risk.objects.filter(pk__in=set(step.values())).values_list("pk", "source_id"))
        step = {pk: parents[source] for pk, source in step.items() if parents.get(source) is not None}
    return found


def item_measures(organization: Organization, plan_slug: str, uid: UUID) -> list[Measure]:
    """The measures of the public registers (each year's newest published revision) that link the plan
    item ``uid``, each with its risk and register."""
    return list(
        Measure.objects.filter(
            risk__register__in=published_registers(organization).order_by().values("pk"),
            plan_slug=plan_slug,
            item_uid=uid,
        )
        .select_related("risk__register")
        .order_by("-risk__register__fiscal_year", "risk__position")
    )


def treating_measures(organization: Organization, plan_slug: str, uid: UUID) -> list[Measure]:
    """For the organisation's own pages: the measures linking item ``uid`` of each year's newest revision
    (any state)."""
    newer = RiskRegister.objects.filter(
        organization=OuterRef("risk__register__organization"),
        fiscal_year=OuterRef("risk__register__fiscal_year"),
        revision__gt=OuterRef("risk__register__revision"),
    )
    return list(
        Measure.objects.filter(risk__register__organization=organization, plan_slug=plan_slug, item_uid=uid)
        .filter(~Exists(newer))
        .select_related("risk__register")
        .order_by("-risk__register__fiscal_year", "risk__position")
    )
