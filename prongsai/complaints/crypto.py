"""The channel's cryptography, all of it libsodium through PyNaCl: nothing here is home-made.

- ``SecretBox`` (XSalsa20-Poly1305) for everything stored under a symmetric key: the case content, its
  messages and attachments under ``K_case``, the identity under ``K_id``, a handler's private key under
  a key derived from their password, the recovery private key under one derived from the recovery code.
- ``SealedBox`` (X25519 + XSalsa20-Poly1305) to give ``K_case``/``K_id`` to a handler or the recovery key.
- Argon2id (``nacl.pwhash.argon2id.kdf``) to turn a password, a receipt or a recovery code into a key.
- BLAKE2b with distinct personalisations to split one Argon2id output into independent values.

See docs/decisions/0012-complaints.md for the design and docs/threat-model-complaints.md for what each
party can read.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.public
import nacl.pwhash.argon2id as argon2id
import nacl.secret
import nacl.utils
from django.conf import settings

# What BinaryField gives back: bytes, or a memoryview on PostgreSQL.
Data = bytes | memoryview

KEY_BYTES = nacl.secret.SecretBox.KEY_SIZE  # 32
SALT_BYTES = argon2id.SALTBYTES  # 16
RECEIPT_DIGITS = 16  # log2(10**16) = 53.15 bits, slowed by one Argon2id per guess
RECOVERY_DIGITS = 24  # 79.7 bits: printed once, kept on paper by the executive


class Undecryptable(Exception):
    """A ciphertext that does not open with the key given (wrong key, altered data)."""


@dataclass(frozen=True)
class Limits:
    opslimit: int
    memlimit: int

    @classmethod
    def current(cls) -> Limits:
        return cls(settings.COMPLAINTS_ARGON2_OPSLIMIT, settings.COMPLAINTS_ARGON2_MEMLIMIT)


def new_key() -> bytes:
    return nacl.utils.random(KEY_BYTES)


def new_salt() -> bytes:
    return nacl.utils.random(SALT_BYTES)


def derive(secret: bytes, salt: Data, limits: Limits, size: int = KEY_BYTES) -> bytes:
    """Argon2id of ``secret``: the only slow step, run once per sign-in, receipt or recovery code."""
    return bytes(argon2id.kdf(size, secret, bytes(salt), opslimit=limits.opslimit, memlimit=limits.memlimit))


def split(material: bytes, person: bytes) -> bytes:
    """One of several independent 32-byte values from ``material`` (BLAKE2b, personalised)."""
    return bytes(nacl.hash.blake2b(material, digest_size=32, person=person, encoder=nacl.encoding.RawEncoder))


def lock(key: Data, plaintext: bytes) -> bytes:
    """SecretBox ciphertext (random nonce first)."""
    return bytes(nacl.secret.SecretBox(bytes(key)).encrypt(plaintext))


def unlock(key: Data, ciphertext: Data) -> bytes:
    try:
        return bytes(nacl.secret.SecretBox(bytes(key)).decrypt(bytes(ciphertext)))
    except (nacl.exceptions.CryptoError, ValueError, TypeError):
        raise Undecryptable from None


def seal(public_key: Data, plaintext: bytes) -> bytes:
    return bytes(nacl.public.SealedBox(nacl.public.PublicKey(bytes(public_key))).encrypt(plaintext))


def unseal(private_key: nacl.public.PrivateKey, ciphertext: Data) -> bytes:
    try:
        return bytes(nacl.public.SealedBox(private_key).decrypt(bytes(ciphertext)))
    except (nacl.exceptions.CryptoError, ValueError, TypeError):
        raise Undecryptable from None


@dataclass(frozen=True)
class WrappedKeypair:
    public_key: bytes
    wrapped_private_key: bytes
    salt: bytes
    limits: Limits


def new_keypair(secret: bytes) -> tuple[nacl.public.PrivateKey, WrappedKeypair]:
    """A fresh X25519 keypair with its private key wrapped under Argon2id(``secret``)."""
    private = nacl.public.PrivateKey.generate()
    return private, wrap_private_key(private, secret)


def wrap_private_key(private: nacl.public.PrivateKey, secret: bytes) -> WrappedKeypair:
    salt, limits = new_salt(), Limits.current()
    wrapped = lock(derive(secret, salt, limits), bytes(private))
    return WrappedKeypair(bytes(private.public_key), wrapped, salt, limits)


def unwrap_private_key(wrapped: Data, secret: bytes, salt: Data, limits: Limits) -> nacl.public.PrivateKey:
    return nacl.public.PrivateKey(unlock(derive(secret, bytes(salt), limits), bytes(wrapped)))


def new_digits(count: int) -> str:
    """``count`` decimal digits from ``secrets`` (uniform: ``randbelow`` rejects, never reduces modulo)."""
    return "".join(str(secrets.randbelow(10)) for _ in range(count))


def normalise_digits(text: str, count: int) -> str | None:
    """The digits of a receipt or code as typed (spaces, dashes and Thai digits allowed); None if not
    exactly ``count`` digits."""
    thai = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
    digits = "".join(c for c in text.translate(thai) if not c.isspace() and c not in "-–")
    if len(digits) != count or not (digits.isascii() and digits.isdigit()):
        return None
    return digits


def grouped(digits: str) -> str:
    """``1234 5678 9012 3456``: how a receipt or recovery code is shown and printed."""
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


@dataclass(frozen=True)
class ReceiptKeys:
    lookup: str  # hex: the indexed, unique column that finds the case
    wrap_key: bytes  # wraps K_case for the reporter


def receipt_keys(digits: str, salt: Data, limits: Limits) -> ReceiptKeys:
    """One Argon2id over the receipt with the installation's salt, split by BLAKE2b into the lookup value
    and the wrap key: knowing the lookup (in the database) says nothing about the wrap key."""
    material = derive(digits.encode("ascii"), bytes(salt), limits, size=64)
    return ReceiptKeys(
        lookup=split(material, b"prongsai-lookup").hex(),
        wrap_key=split(material, b"prongsai-wrap"),
    )


def server_key(purpose: bytes) -> bytes:
    """A key derived from SECRET_KEY for short-lived cookies (never for anything stored)."""
    return split(settings.SECRET_KEY.encode(), purpose)
