"""Signed one-time tickets: purpose-bound, aged, proved by work, refused with a code and never by a traceback."""

from __future__ import annotations

import hashlib
import time

import pytest
from django.core import signing

from prongsai.lib import tickets
from prongsai.lib.tickets import TicketRefused, check_ticket, new_ticket, proof_is_good, solve_proof

WINDOW = {"min_age": 10, "max_age": 3600}


def _aged(purpose: str = "complaints", subject: str = "wangphai", bits: int = 6, age: int = 60) -> str:
    return new_ticket(purpose, subject, bits=bits, issued=int(time.time()) - age)


def _code(purpose: str, ticket: str, proof: str, **window: float) -> str:
    with pytest.raises(TicketRefused) as refused:
        check_ticket(purpose, ticket, proof, **(WINDOW | window))
    return str(refused.value.code)


def test_a_solved_ticket_of_the_right_age_is_accepted_with_its_subject_and_the_digest_of_its_nonce():
    ticket = _aged(subject="org.with.dots")
    checked = check_ticket("complaints", ticket, solve_proof(ticket, 6), **WINDOW)
    nonce = signing.Signer(salt="prongsai.complaints-ticket").unsign(ticket).rsplit(".", 1)[1]
    assert checked == tickets.Ticket(
        purpose="complaints",
        subject="org.with.dots",
        issued=checked.issued,
        bits=6,
        digest=hashlib.sha256(nonce.encode()).hexdigest(),
    )
    assert abs(checked.issued - (time.time() - 60)) < 5


def test_a_ticket_of_one_purpose_never_passes_for_another():
    survey = _aged(purpose="ita.survey", subject="12")
    proof = solve_proof(survey, 6)
    assert check_ticket("ita.survey", survey, proof, **WINDOW).subject == "12"
    assert _code("complaints", survey, proof) == "bad"


def test_the_survey_salt_is_the_one_used_before_this_module_so_open_forms_still_submit():
    old = signing.Signer(salt="prongsai.ita.survey-ticket").sign(f"7.{int(time.time()) - 60}.0.abc")
    assert check_ticket("ita.survey", old, "0", **WINDOW).subject == "7"


def test_the_age_window_is_checked_on_both_sides():
    young = _aged(age=1)
    assert _code("complaints", young, solve_proof(young, 6)) == "young"
    old = _aged(age=3601)
    assert _code("complaints", old, solve_proof(old, 6)) == "expired"
    now = time.time() + 3000  # the same young ticket, checked later, passes
    assert check_ticket("complaints", young, solve_proof(young, 6), min_age=10, max_age=3600, now=now)


@pytest.mark.parametrize("proof", ["", "-1", "1e3", "9" * 21, "٣", " 1"])
def test_a_malformed_proof_is_refused(proof):
    ticket = _aged(bits=4)
    assert _code("complaints", ticket, proof) == "proof"


def test_a_wrong_proof_and_a_proof_for_another_ticket_are_refused():
    ticket, other = _aged(bits=10), _aged(bits=10)
    wrong = next(str(n) for n in range(10_000) if not proof_is_good(ticket, str(n), 10))
    assert _code("complaints", ticket, wrong) == "proof"
    other_proof = solve_proof(other, 10)
    if not proof_is_good(ticket, other_proof, 10):  # 1 in 1024 that it fits both by chance
        assert _code("complaints", ticket, other_proof) == "proof"


@pytest.mark.parametrize(
    "ticket",
    ["", "x", "1.1.0.forged:xxxx", "a" * 10_000, "complaints.1.1.1", ":" * 300, "\x00\ud800"],
)
def test_forged_or_oversized_tickets_are_refused_as_bad(ticket):
    assert _code("complaints", ticket, "1") == "bad"


def test_an_altered_ticket_is_refused():
    ticket = _aged()
    payload, signature = ticket.rsplit(":", 1)
    assert _code("complaints", payload.replace("wangphai", "other") + ":" + signature, "1") == "bad"


def test_the_refusal_is_a_validation_error_with_a_thai_message():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        check_ticket("complaints", "junk", "", **WINDOW)
    assert "แบบฟอร์มไม่ถูกต้อง" in refused.value.messages[0]


def test_zero_bits_needs_no_work_and_a_subject_must_be_short():
    ticket = _aged(bits=0)
    assert check_ticket("complaints", ticket, "", **WINDOW).bits == 0
    with pytest.raises(ValueError):
        new_ticket("complaints", "x" * (tickets.SUBJECT_MAX_LENGTH + 1), bits=8)
    with pytest.raises(ValueError):
        new_ticket("complaints", "", bits=8)
    assert (
        len(new_ticket("complaints", "x" * tickets.SUBJECT_MAX_LENGTH, bits=64)) <= tickets.TICKET_MAX_LENGTH
    )


def test_solve_proof_finds_what_proof_is_good_accepts():
    ticket = _aged(bits=12)
    proof = solve_proof(ticket, 12)
    digest = hashlib.sha256(f"{ticket}:{proof}".encode()).digest()
    assert digest[0] == 0 and digest[1] >> 4 == 0
    assert proof_is_good(ticket, proof, 12)
