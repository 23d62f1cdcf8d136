from __future__ import annotations

import pytest

from prongsai.portal.tests.helpers import publish


@pytest.fixture
def published(plan, people):
    """Organisation A's plan, published as revision 1 by Bob."""
    return publish(plan, people)


@pytest.fixture
def signing_key(settings, tmp_path):
    """A signing key of this test's own, so checkpoints can be made and checked."""
    from prongsai.audit.keys import ensure_signer

    settings.AUDIT_KEY_FILE = str(tmp_path / "audit.key")
    settings.AUDIT_WITNESS_DIR = str(tmp_path / "checkpoints")
    signer, _created = ensure_signer()
    return signer
