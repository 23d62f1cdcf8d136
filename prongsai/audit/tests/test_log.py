import pytest
from django.db import transaction

from prongsai.audit.log import GENESIS, record, verify_chain
from prongsai.audit.models import AuditEvent


def test_record_refuses_to_run_outside_a_transaction(transactional_db):
    assert not transaction.get_connection().in_atomic_block
    with pytest.raises(RuntimeError):
        record(actor=None, organization=None, action="x", target=None, summary="x")


def test_events_form_a_hash_chain(people, org_a):
    with transaction.atomic():
        first = record(actor=people["alice"], organization=org_a, action="a", target=org_a, summary="หนึ่ง")
        second = record(
            actor=None, organization=org_a, action="b", target=None, summary="สอง", before={"x": 1}
        )
    assert first.previous_hash == GENESIS
    assert second.previous_hash == first.hash
    assert len(second.hash) == 64
    assert verify_chain() == 2
    assert AuditEvent.objects.get(pk=second.pk).compute_hash() == second.hash
