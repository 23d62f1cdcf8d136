"""Flood protection for the complaint forms without addresses: a signed one-time ticket (``lib.tickets``)
with a proof of work whose difficulty rises with the organisation's filings in the hour.

Tickets name their purpose (``complaint-filing`` for one organisation's slug, ``complaint-receipt`` for
the receipt form), so neither passes for the other nor for a survey; a spent ticket's digest is kept in
``complaints.UsedTicket``. A flood raises the cost and never refuses a genuine reporter: at the cap a
phone still finds the proof in about a minute (docs/decisions/0012-complaints.md gives the figures).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from prongsai.complaints.models import FilingCount, UsedTicket
from prongsai.lib import ratelimit, tickets
from prongsai.lib.tickets import Ticket, TicketRefused, proof_is_good, solve_proof
from prongsai.organizations.models import Organization

__all__ = ["Ticket", "TicketRefused", "proof_is_good", "solve_proof"]

FILING = "complaint-filing"
RECEIPT = "complaint-receipt"
RECEIPT_SUBJECT = "receipt"
MAX_AGE = 12 * 60 * 60  # a complaint may take a long time to write
HOUR = 60 * 60
_NO_LIMIT = 2**31 - 1


def filings_this_hour(organization: Organization, now: float | None = None) -> int:
    window = int((time.time() if now is None else now) // HOUR)
    row = FilingCount.objects.filter(pk=organization.pk).values_list("window", "hits").first()
    return row[1] if row is not None and row[0] == window else 0


def bits_for(filings: int) -> int:
    """Base bits up to COMPLAINTS_FREE_PER_HOUR filings in the hour, one more per doubling past it, capped."""
    base, cap, free = (
        settings.COMPLAINTS_PROOF_BITS,
        settings.COMPLAINTS_PROOF_MAX_BITS,
        max(1, settings.COMPLAINTS_FREE_PER_HOUR),
    )
    extra = 0
    while filings >= free * (2**extra):
        extra += 1
    return max(base, min(cap, base + extra))


def filing_ticket(organization: Organization) -> tuple[str, int]:
    bits = bits_for(filings_this_hour(organization))
    return tickets.new_ticket(FILING, organization.slug, bits=bits), bits


def receipt_ticket() -> tuple[str, int]:
    bits = settings.COMPLAINTS_PROOF_BITS
    return tickets.new_ticket(RECEIPT, RECEIPT_SUBJECT, bits=bits), bits


def check_filing(ticket: str, proof: str, organization: Organization, *, now: float | None = None) -> Ticket:
    return _check(FILING, ticket, proof, organization.slug, now)


def check_receipt(ticket: str, proof: str, *, now: float | None = None) -> Ticket:
    return _check(RECEIPT, ticket, proof, RECEIPT_SUBJECT, now)


def _check(purpose: str, ticket: str, proof: str, subject: str, now: float | None) -> Ticket:
    """Signature, age, proof of work; the ticket must be for ``subject`` and at least the base difficulty."""
    checked = tickets.check_ticket(
        purpose, ticket, proof, min_age=settings.COMPLAINTS_TICKET_MIN_SECONDS, max_age=MAX_AGE, now=now
    )
    if checked.subject != subject or checked.bits < settings.COMPLAINTS_PROOF_BITS:
        raise TicketRefused(_("แบบฟอร์มไม่ถูกต้อง โปรดเปิดหน้านี้ใหม่"), code="bad")
    return checked


def spend(ticket: Ticket) -> None:
    """Record the ticket's one use; call inside the transaction of the write it guards."""
    try:
        with transaction.atomic():
            UsedTicket.objects.create(digest=ticket.digest)
    except IntegrityError:
        raise TicketRefused(_("แบบฟอร์มนี้ส่งไปแล้ว โปรดเปิดหน้านี้ใหม่"), code="used") from None


def count_filing(organization: Organization) -> None:
    ratelimit.allow(FilingCount, organization.pk, _NO_LIMIT, window_seconds=HOUR)
