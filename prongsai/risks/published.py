"""What the public may see of the risk registers: published registers, their published monitoring rounds,
and the evidence marked public of those rounds.

A register is public once the approver publishes it (draft → approved → published) and never changes
again; a monitoring round likewise. Every public page reads them through these functions, never through
``RiskRegister.objects`` directly, so a draft or approved register has no public address (404).
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet

from prongsai.organizations.models import Organization
from prongsai.risks.models import (
    Measure,
    MonitoringEvidence,
    MonitoringRound,
    RegisterStatus,
    RiskRegister,
)


def published_registers(organization: Organization) -> QuerySet[RiskRegister]:
    """The organisation's published registers, newest year first."""
    return (
        RiskRegister.objects.filter(organization=organization, status=RegisterStatus.PUBLISHED)
        .select_related("organization", "approved_by", "published_by")
        .order_by("-fiscal_year")
    )


def published_register(organization: Organization, year: int) -> RiskRegister | None:
    return published_registers(organization).filter(fiscal_year=year).first()


def published_rounds(register: RiskRegister) -> list[MonitoringRound]:
    """The register's published monitoring rounds (only a published register has any)."""
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


def item_measures(organization: Organization, plan_slug: str, uid: UUID) -> list[Measure]:
    """The measures of published registers that link the plan item ``uid`` (each with its risk and register)."""
    return list(
        Measure.objects.filter(
            risk__register__organization=organization,
            risk__register__status=RegisterStatus.PUBLISHED,
            plan_slug=plan_slug,
            item_uid=uid,
        )
        .select_related("risk__register")
        .order_by("-risk__register__fiscal_year", "risk__position")
    )


def treating_measures(organization: Organization, plan_slug: str, uid: UUID) -> list[Measure]:
    """For the organisation's own pages: the measures of every register (any state) linking item ``uid``."""
    return list(
        Measure.objects.filter(risk__register__organization=organization, plan_slug=plan_slug, item_uid=uid)
        .select_related("risk__register")
        .order_by("-risk__register__fiscal_year", "risk__position")
    )
