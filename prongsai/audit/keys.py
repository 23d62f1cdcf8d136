"""The log's signing key, from a file outside the database, and the verifier key derived from it."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from prongsai.audit.signing import Signer, SigningError, Verifier, write_key_file


def key_path() -> Path:
    return Path(settings.AUDIT_KEY_FILE)


def signer() -> Signer | None:
    """The signing key, or None when this installation has none (checkpoints cannot be made)."""
    path = key_path()
    if not path.exists():
        return None
    return Signer.decode(path.read_text(encoding="utf-8"))


def verifier() -> Verifier | None:
    """The key checkpoints are checked against: ``PRONGSAI_AUDIT_VERIFIER_KEY`` when set (a verifier
    machine needs no private key), else the one derived from the signing key."""
    configured: str = settings.AUDIT_VERIFIER_KEY
    if configured:
        chosen = Verifier.decode(configured)
        own = signer()
        if own is not None and own.verifier.encode() != chosen.encode():
            raise SigningError("PRONGSAI_AUDIT_VERIFIER_KEY is not the key of PRONGSAI_AUDIT_KEY_FILE")
        return chosen
    own = signer()
    return own.verifier if own is not None else None


def ensure_signer() -> tuple[Signer, bool]:
    """The signing key, created now (readable by its owner only) when there is none; True if created."""
    existing = signer()
    if existing is not None:
        return existing, False
    created = Signer.generate(settings.AUDIT_ORIGIN)
    write_key_file(key_path(), created)
    return created, True
