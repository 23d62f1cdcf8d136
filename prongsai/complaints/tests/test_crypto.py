"""Round trips of the channel's cryptography and the receipt's two values."""

from __future__ import annotations

import pytest

from prongsai.complaints import crypto

LIMITS = crypto.Limits(1, 8192 * 8)


def test_a_secret_box_opens_with_its_key_only():
    key = crypto.new_key()
    box = crypto.lock(key, "ข้อความ".encode())
    assert crypto.unlock(key, box).decode() == "ข้อความ"
    assert crypto.unlock(key, memoryview(box)).decode() == "ข้อความ"  # PostgreSQL gives memoryviews
    with pytest.raises(crypto.Undecryptable):
        crypto.unlock(crypto.new_key(), box)
    with pytest.raises(crypto.Undecryptable):
        crypto.unlock(key, box[:-1] + bytes([box[-1] ^ 1]))


def test_a_sealed_key_opens_with_the_private_key_only():
    private, wrapped = crypto.new_keypair(b"password one")
    sealed = crypto.seal(wrapped.public_key, b"k" * 32)
    assert crypto.unseal(private, sealed) == b"k" * 32
    other, _ = crypto.new_keypair(b"password two")
    with pytest.raises(crypto.Undecryptable):
        crypto.unseal(other, sealed)


def test_a_wrapped_private_key_opens_with_its_password_only(settings):
    settings.COMPLAINTS_ARGON2_OPSLIMIT, settings.COMPLAINTS_ARGON2_MEMLIMIT = 1, 8192 * 8
    private, wrapped = crypto.new_keypair(b"right")
    again = crypto.unwrap_private_key(wrapped.wrapped_private_key, b"right", wrapped.salt, wrapped.limits)
    assert bytes(again) == bytes(private)
    with pytest.raises(crypto.Undecryptable):
        crypto.unwrap_private_key(wrapped.wrapped_private_key, b"wrong", wrapped.salt, wrapped.limits)


def test_the_receipt_gives_a_lookup_and_a_wrap_key_that_differ_and_repeat():
    salt = crypto.new_salt()
    one = crypto.receipt_keys("1234567890123456", salt, LIMITS)
    assert one == crypto.receipt_keys("1234567890123456", salt, LIMITS)
    assert one.lookup != one.wrap_key.hex() and len(one.wrap_key) == 32
    assert crypto.receipt_keys("1234567890123457", salt, LIMITS).lookup != one.lookup
    assert crypto.receipt_keys("1234567890123456", crypto.new_salt(), LIMITS).lookup != one.lookup


def test_receipts_are_sixteen_random_digits_and_are_read_as_people_type_them():
    receipts = {crypto.new_digits(16) for _ in range(50)}
    assert len(receipts) == 50 and all(len(r) == 16 and r.isdigit() for r in receipts)
    assert crypto.grouped("1234567890123456") == "1234 5678 9012 3456"
    assert crypto.normalise_digits(" 1234 5678-9012 3456 ", 16) == "1234567890123456"
    assert crypto.normalise_digits("๑๒๓๔ ๕๖๗๘ ๙๐๑๒ ๓๔๕๖", 16) == "1234567890123456"
    assert crypto.normalise_digits("1234 5678 9012 345", 16) is None
    assert crypto.normalise_digits("1234 5678 9012 345x", 16) is None
    assert crypto.normalise_digits("١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦", 16) is None  # other scripts' digits are not ours
