"""Signed checkpoints in the C2SP formats that transparency logs use (Go's sumdb, Sigstore, Trillian).

A checkpoint (c2sp.org/tlog-checkpoint) is a signed note (c2sp.org/signed-note)::

    prongsai.example.go.th/org-12      ← origin: which log
    2048                               ← its size
    q3m1…base64…=                      ← its head: the hash of entry 2048, covering every entry before it

    — prongsai.example.go.th Ab3x…base64(key hash ‖ Ed25519 signature)…

The signature is Ed25519 by libsodium (PyNaCl); this module only lays out the text around it. The
private key lives in a file named by ``PRONGSAI_AUDIT_KEY_FILE``, never in the database, so whoever can
edit the database still cannot sign a rewritten log. Anyone holding the verifier key (shown on the
organisation's pages) can check a checkpoint without Prongsai.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

ALGORITHM_ED25519 = b"\x01"
DASH = "\u2014"


class SigningError(Exception):
    """The signing or verifier key is missing or malformed."""


def _key_hash(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode("utf-8") + b"\n" + ALGORITHM_ED25519 + public).digest()[:4]


@dataclass(frozen=True)
class Verifier:
    name: str
    key_hash: bytes
    key: VerifyKey

    @property
    def key_id(self) -> str:
        return self.key_hash.hex()

    def encode(self) -> str:
        """The verifier key string: ``<name>+<key hash hex>+<base64(0x01 ‖ public key)>``."""
        public = base64.b64encode(ALGORITHM_ED25519 + bytes(self.key)).decode()
        return f"{self.name}+{self.key_id}+{public}"

    @classmethod
    def decode(cls, text: str) -> Verifier:
        try:
            name, key_hash_hex, encoded = text.strip().split("+", 2)
            raw = base64.b64decode(encoded, validate=True)
        except ValueError:
            raise SigningError("verifier key: expected <name>+<hash>+<base64 key>") from None
        if raw[:1] != ALGORITHM_ED25519 or len(raw) != 33:
            raise SigningError("verifier key: not an Ed25519 key")
        if _key_hash(name, raw[1:]).hex() != key_hash_hex:
            raise SigningError("verifier key: the key hash does not match the key")
        return cls(name=name, key_hash=bytes.fromhex(key_hash_hex), key=VerifyKey(raw[1:]))


@dataclass(frozen=True)
class Signer:
    name: str
    key: SigningKey

    @property
    def verifier(self) -> Verifier:
        public = bytes(self.key.verify_key)
        return Verifier(name=self.name, key_hash=_key_hash(self.name, public), key=self.key.verify_key)

    def encode(self) -> str:
        """The private key file's text: ``PRIVATE+KEY+<name>+<hash>+<base64(0x01 ‖ seed)>``."""
        seed = base64.b64encode(ALGORITHM_ED25519 + bytes(self.key)).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.key_id}+{seed}\n"

    @classmethod
    def decode(cls, text: str) -> Signer:
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise SigningError("signing key: expected PRIVATE+KEY+<name>+<hash>+<base64 key>")
        try:
            raw = base64.b64decode(parts[4], validate=True)
        except ValueError:
            raise SigningError("signing key: the key is not base64") from None
        if raw[:1] != ALGORITHM_ED25519 or len(raw) != 33:
            raise SigningError("signing key: not an Ed25519 key")
        signer = cls(name=parts[2], key=SigningKey(raw[1:]))
        if signer.verifier.key_id != parts[3]:
            raise SigningError("signing key: the key hash does not match the key")
        return signer

    @classmethod
    def generate(cls, name: str) -> Signer:
        return cls(name=name, key=SigningKey.generate())

    def sign(self, text: str) -> str:
        """``text`` (lines ending in a newline) as a signed note."""
        if not text.endswith("\n"):
            raise ValueError("a note's text ends with a newline")
        signature = self.key.sign(text.encode("utf-8")).signature
        encoded = base64.b64encode(self.verifier.key_hash + signature).decode()
        return f"{text}\n{DASH} {self.name} {encoded}\n"


def write_key_file(path: Path, signer: Signer) -> None:
    """Create ``path`` readable by its owner only; refuse to overwrite a key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(signer.encode())


def open_note(note: str, verifier: Verifier) -> str:
    """The text of ``note`` if one of its signatures is ``verifier``'s and holds; SigningError otherwise."""
    text, separator, signatures = note.rpartition("\n\n")
    if not separator:
        raise SigningError("not a signed note")
    text += "\n"
    for line in signatures.splitlines():
        if not line.startswith(f"{DASH} "):
            raise SigningError("malformed signature line")
        _dash, name, encoded = line.split(" ", 2)
        if name != verifier.name:
            continue
        try:
            raw = base64.b64decode(encoded, validate=True)
        except ValueError:
            raise SigningError("signature is not base64") from None
        if raw[:4] != verifier.key_hash:
            continue
        try:
            verifier.key.verify(text.encode("utf-8"), raw[4:])
        except BadSignatureError:
            raise SigningError("the signature does not hold: the note was changed") from None
        return text
    raise SigningError("no signature by the configured key")


@dataclass(frozen=True)
class CheckpointBody:
    origin: str
    size: int
    head: str  # hex

    def text(self) -> str:
        head = base64.b64encode(bytes.fromhex(self.head)).decode()
        return f"{self.origin}\n{self.size}\n{head}\n"

    @classmethod
    def parse(cls, text: str) -> CheckpointBody:
        lines = text.split("\n")
        try:
            origin, size, head = lines[0], int(lines[1]), base64.b64decode(lines[2], validate=True)
        except (IndexError, ValueError):
            raise SigningError("not a checkpoint") from None
        if len(head) != 32 or size < 0:
            raise SigningError("not a checkpoint")
        return cls(origin=origin, size=size, head=head.hex())
