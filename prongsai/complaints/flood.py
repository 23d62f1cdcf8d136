"""Flood protection for the complaint forms without addresses: a signed one-time ticket with a proof of
work whose difficulty rises with the organisation's filings in the hour.

The one place the complaint channel touches the ticket functions, so that moving to the shared
``prongsai.lib.tickets`` is a change to this file only. Until then the ITA survey's functions are used;
their ticket names a number, here the organisation's id (0 for the receipt form).

A flood raises the cost and never refuses a genuine reporter: at the cap a phone still finds the proof
in about a minute (docs/decisions/0012-complaints.md gives the figures).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from prongsai.complaints.models import FilingCount, UsedTicket
from prongsai.ita import actions as ita_tickets
from prongsai.lib import ratelimit
from prongsai.organizations.models import Organization

TicketRefused = ita_tickets.TicketRefused
Ticket = ita_tickets.Ticket
solve_proof = ita_tickets.solve_proof
proof_is_good = ita_tickets.proof_is_good

RECEIPT_SUBJECT = 0
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
    return ita_tickets.new_ticket_for(organization.pk, bits=bits), bits


def receipt_ticket() -> tuple[str, int]:
    bits = settings.COMPLAINTS_PROOF_BITS
    return ita_tickets.new_ticket_for(RECEIPT_SUBJECT, bits=bits), bits


def ticket_bits(ticket: str) -> int:
    """The difficulty a ticket asks for; only for a ticket ``check`` passed (its signature is good):
    "<subject>.<issued>.<bits>.<nonce>:<signature>"."""
    return int(ticket.split(":", 1)[0].split(".")[2])


def check(ticket: str, proof: str, subject: int, *, now: float | None = None) -> Ticket:
    """Signature, age, proof of work; the ticket must be for ``subject`` and at least the base difficulty
    (a survey ticket, made with the survey's bits, never passes for a complaint form)."""
    checked = ita_tickets.check_ticket(ticket, proof, now=now)
    if checked.link_id != subject or ticket_bits(ticket) < settings.COMPLAINTS_PROOF_BITS:
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
