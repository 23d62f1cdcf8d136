"""Signed one-time tickets with a proof of work: flood protection for anonymous forms, without addresses.

A page that takes anonymous POSTs (the ITA survey, the complaint channel) puts a ticket in its form:
``subject.issued.bits.nonce`` signed with Django's ``Signer`` under a salt that names the ticket's
*purpose*, so that a ticket made for one purpose never passes for another. The browser finds a proof of
work for it (``static/prongsai/proof.js``): a number *n* such that SHA-256 of ``"<ticket>:<n>"`` starts
with ``bits`` zero bits. ``check_ticket`` checks a POST in order of cost, with no database: one HMAC, the
age window, one SHA-256. Nothing about a ticket is stored until it is used; its one use is then recorded
by the caller, in its own table, as the ``Ticket.digest`` (SHA-256 of the nonce) under a unique key.
See docs/decisions/0005-anonymous-survey-abuse.md (GlobaLeaks' tokens, made stateless for many processes).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SUBJECT_MAX_LENGTH = 100  # a link id or an organisation slug; keeps a ticket within TICKET_MAX_LENGTH
TICKET_MAX_LENGTH = 200  # a ticket is subject + about 80 characters; longer input is not even hashed
PROOF_MAX_LENGTH = 20


class TicketRefused(ValidationError):
    """A POST whose ticket or proof of work is not good, found before anything is stored or counted.

    ``code`` says why: ``bad`` (forged, altered, another purpose), ``expired``, ``proof``, ``young``."""


@dataclass(frozen=True)
class Ticket:
    """A ticket whose signature, age and proof of work were checked (``check_ticket``); not yet spent."""

    purpose: str
    subject: str  # what the ticket is for within its purpose: a survey link's id, an organisation's slug
    issued: int  # Unix time, whole seconds
    bits: int
    digest: str  # SHA-256 of the ticket's nonce: what the caller's used-ticket table keeps once spent


def _signer(purpose: str) -> signing.Signer:
    # "prongsai.ita.survey-ticket" was the survey's salt before this module: tickets of open forms still pass.
    return signing.Signer(salt=f"prongsai.{purpose}-ticket")


def new_ticket(purpose: str, subject: str, *, bits: int, issued: int | None = None) -> str:
    """A signed one-time ticket for one form: the subject, the issue time, the proof-of-work difficulty and
    a random nonce. Nothing about it is stored until it is used, and then only the nonce's digest."""
    if not subject or len(subject) > SUBJECT_MAX_LENGTH or not 0 <= bits <= 64:
        raise ValueError(f"ticket subject {subject!r} or bits {bits} out of range")
    issued = int(time.time()) if issued is None else issued
    return _signer(purpose).sign(f"{subject}.{issued}.{bits}.{secrets.token_urlsafe(16)}")


def proof_is_good(ticket: str, proof: str, bits: int) -> bool:
    """One SHA-256: does ``sha256(ticket ":" proof)`` start with ``bits`` zero bits? (``proof.js`` finds it.)"""
    if not (0 < len(proof) <= PROOF_MAX_LENGTH and proof.isascii() and proof.isdigit()):
        return bits <= 0
    digest = int.from_bytes(hashlib.sha256(f"{ticket}:{proof}".encode()).digest(), "big")
    return digest >> (256 - bits) == 0 if bits > 0 else True


def solve_proof(ticket: str, bits: int) -> str:
    """What a browser does in ``proof.js``, for the command line, tests and the load benchmark."""
    counter = 0
    while not proof_is_good(ticket, str(counter), bits):
        counter += 1
    return str(counter)


def check_ticket(
    purpose: str, ticket: str, proof: str, *, min_age: float, max_age: float, now: float | None = None
) -> Ticket:
    """The checks that need no database, cheapest first: one HMAC, the maximum age, one SHA-256, the minimum
    age. Raises ``TicketRefused`` so that junk is turned away before anything is looked up."""
    now = time.time() if now is None else now
    if len(ticket) > TICKET_MAX_LENGTH:
        raise TicketRefused(_("แบบฟอร์มไม่ถูกต้อง โปรดเปิดลิงก์ใหม่"), code="bad")
    try:
        payload = _signer(purpose).unsign(ticket)
        subject, issued, bits, nonce = payload.rsplit(".", 3)
        issued_at, difficulty = int(issued), int(bits)
    except (signing.BadSignature, ValueError):
        raise TicketRefused(_("แบบฟอร์มไม่ถูกต้อง โปรดเปิดลิงก์ใหม่"), code="bad") from None
    age = now - issued_at
    if age > max_age:
        raise TicketRefused(_("แบบฟอร์มนี้เปิดค้างไว้นานเกินไป โปรดเปิดลิงก์ใหม่แล้วส่งอีกครั้ง"), code="expired")
    if not proof_is_good(ticket, proof, difficulty):
        raise TicketRefused(
            _("เบราว์เซอร์ยังไม่ได้เตรียมแบบฟอร์มให้พร้อมส่ง โปรดเปิด JavaScript แล้วเปิดลิงก์ใหม่"), code="proof"
        )
    if age < min_age:
        raise TicketRefused(_("ส่งเร็วเกินไป โปรดรอสักครู่แล้วส่งอีกครั้ง"), code="young")
    return Ticket(
        purpose=purpose,
        subject=subject,
        issued=issued_at,
        bits=difficulty,
        digest=hashlib.sha256(nonce.encode()).hexdigest(),
    )
