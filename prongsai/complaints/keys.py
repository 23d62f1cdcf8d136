"""Handlers' keys: made and unlocked at sign-in, kept in the session only as ciphertext.

At sign-in (``accounts.views._sign_in`` calls ``unlock_at_sign_in``, which has the password) the
handler's private key is decrypted with the password-derived key and encrypted again under a fresh
random session key. The ciphertext goes into the Django session; the session key goes into a separate
HttpOnly, SameSite=Strict cookie (Secure per settings) that the server never stores. A database dump,
sessions included, then holds only ciphertext, and signing out (or losing the cookie) forgets the key.

A password set by an administrator (the handler forgot theirs) no longer opens the old private key: the
next sign-in makes a new keypair and drops the case keys sealed to the old one; they are sealed again
to the new key by the executive's recovery code or by any other handler's visit (``actions.share_keys``).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import nacl.public
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from prongsai.complaints import crypto
from prongsai.complaints.models import CaseKey, HandlerKey
from prongsai.organizations.access import ROLE_PERMISSIONS, Permission
from prongsai.organizations.models import Membership

SESSION_FIELD = "complaints_key"
COOKIE_NAME = "prongsai_complaints_key"


@dataclass(frozen=True)
class Unlocked:
    """What sign-in hands to the response: the session key for the cookie."""

    session_key: bytes


def needs_key(user: User) -> bool:
    """Members who handle complaints or may choose to (the executive) carry a keypair."""
    roles = Membership.objects.filter(user_id=user.pk).values_list("role", flat=True)
    wanted = {Permission.COMPLAINT_HANDLE, Permission.COMPLAINT_ADMIN}
    return any(ROLE_PERMISSIONS.get(role, frozenset()) & wanted for role in roles)


def _store(user: User, wrapped: crypto.WrappedKeypair) -> HandlerKey:
    return HandlerKey.objects.update_or_create(
        user=user,
        defaults={
            "public_key": wrapped.public_key,
            "wrapped_private_key": wrapped.wrapped_private_key,
            "salt": wrapped.salt,
            "opslimit": wrapped.limits.opslimit,
            "memlimit": wrapped.limits.memlimit,
            "created_on": timezone.localdate(),
        },
    )[0]


def _limits(key: HandlerKey) -> crypto.Limits:
    return crypto.Limits(key.opslimit, key.memlimit)


@transaction.atomic
def open_or_make(user: User, password: str) -> nacl.public.PrivateKey | None:
    """The user's private key opened with ``password``; made if they need one and have none; replaced
    (and the case keys sealed to the old one dropped) when the password no longer opens it."""
    key = HandlerKey.objects.select_for_update().filter(user=user).first()
    secret = password.encode()
    if key is not None:
        try:
            return crypto.unwrap_private_key(key.wrapped_private_key, secret, key.salt, _limits(key))
        except crypto.Undecryptable:
            from prongsai.complaints.actions import key_replaced

            private, wrapped = crypto.new_keypair(secret)
            old_public = bytes(key.public_key)
            _store(user, wrapped)
            key_replaced(user, old_public)
            return private
    if not needs_key(user):
        return None
    private, wrapped = crypto.new_keypair(secret)
    _store(user, wrapped)
    return private


@transaction.atomic
def rewrap(user: User, old_password: str, new_password: str) -> bool:
    """After a password change by its owner: the same private key under the new password."""
    key = HandlerKey.objects.select_for_update().filter(user=user).first()
    if key is None:
        return False
    private = crypto.unwrap_private_key(
        key.wrapped_private_key, old_password.encode(), key.salt, _limits(key)
    )
    _store(user, crypto.wrap_private_key(private, new_password.encode()))
    return True


def unlock_at_sign_in(request: HttpRequest, user: User, password: str) -> Unlocked | None:
    """Call after ``auth.login`` (the session is new): the private key into the session, encrypted."""
    private = open_or_make(user, password)
    if private is None:
        return None
    session_key = crypto.new_key()
    request.session[SESSION_FIELD] = base64.b64encode(crypto.lock(session_key, bytes(private))).decode()
    return Unlocked(session_key)


def set_cookie(response: HttpResponse, unlocked: Unlocked | None) -> None:
    if unlocked is None:
        return
    response.set_cookie(
        COOKIE_NAME,
        base64.urlsafe_b64encode(unlocked.session_key).decode(),
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def forget(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE_NAME, samesite="Strict")


def private_key(request: HttpRequest) -> nacl.public.PrivateKey | None:
    """The signed-in handler's private key for this request, or None (signed in before the key existed,
    another browser, cookie lost): the page then asks to sign in again."""
    stored = request.session.get(SESSION_FIELD)
    cookie = request.COOKIES.get(COOKIE_NAME)
    if not stored or not cookie:
        return None
    try:
        session_key = base64.urlsafe_b64decode(cookie.encode())
        return nacl.public.PrivateKey(crypto.unlock(session_key, base64.b64decode(stored)))
    except (crypto.Undecryptable, ValueError, TypeError):
        return None


def public_key_of(user_id: int) -> bytes | None:
    key = HandlerKey.objects.filter(user_id=user_id).values_list("public_key", flat=True).first()
    return bytes(key) if key is not None else None


def case_key_for(case_id: str, handler_id: int, private: nacl.public.PrivateKey) -> CaseKey | None:
    row = CaseKey.objects.filter(case_id=case_id, handler_id=handler_id).first()
    if row is None or bytes(row.public_key) != bytes(private.public_key):
        return None
    return row
