"""Every write to the complaint channel: one function each, one transaction.

Two kinds of caller. The **reporter** has no account: ``file_case`` (with a spent ticket) and, with the
receipt, ``reporter_reply``; these write no audit entry, since an entry's time and order would date the
complaint more precisely than the day kept on it. **Officers** act through ``authorize`` and each of
their actions writes one audit entry naming the case by its short reference and never its content:
status, reply sent, file added, risk area, identity opened (with a ``IdentityDisclosure`` row holding
the reason), handlers authorised or revoked, keys shared or recovered, cases destroyed.

Reading a case needs, besides the permission, an active ``Handler`` row and the handler's unlocked
private key (``keys.private_key``): without it a handler, the executive and the site administrator
alike see only the counting fields. See docs/decisions/0012-complaints.md.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import nacl.public
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai.audit.log import record
from prongsai.complaints import crypto, flood
from prongsai.complaints.models import (
    ANSWERING_STATUSES,
    FINISHED_STATUSES,
    Attachment,
    Case,
    CaseKey,
    Handler,
    HandlerKey,
    Identity,
    IdentityDisclosure,
    Message,
    ReceiptBudget,
    ReceiptSalt,
    RecoveryKey,
    ReferredTo,
    Sender,
    Status,
)
from prongsai.lib import files, ratelimit
from prongsai.organizations.access import (
    ROLE_PERMISSIONS,
    Access,
    Actor,
    Permission,
    SystemActor,
    authorize,
)
from prongsai.organizations.models import Membership, Organization

CONTENT_FIELDS = ("what", "when_where", "who", "remedy")
TEXT_MAX = 20_000  # characters in one field or message: pages of writing, not a pasted file
IDENTITY_MAX = 2_000
REASON_MIN = 10
FILE_MAX = 10 * 1024 * 1024
FILES_PER_SUBMISSION = 5
CASE_FILES_MAX = 50 * 1024 * 1024
STORAGE_PREFIX = "complaints/"


class ReceiptRefused(Exception):
    """A receipt that opens no case (or is not 16 digits): the page says so, nothing else."""


class Busy(Exception):
    """The installation's receipt attempts for this minute are spent: try again in a minute."""


class Locked(Exception):
    """The caller may handle complaints but holds no key that opens this case (yet)."""


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True)
class Clean:
    """An upload after its kind was read from the content and its metadata removed."""

    name: str
    data: bytes
    kind: str
    removed: tuple[str, ...]
    remains: tuple[str, ...]


@dataclass(frozen=True)
class Filed:
    case: Case
    receipt: str  # shown once on the response and never kept


@dataclass(frozen=True)
class ReporterKey:
    """What the reporter's cookie carries: which case, and the key that unwraps its K_case."""

    case_id: str
    wrap_key: bytes


@dataclass(frozen=True)
class FileView:
    id: str
    number: int
    sent_on: date
    sender: str
    name: str
    kind: str
    size: int
    removed: tuple[str, ...]
    remains: tuple[str, ...]


@dataclass(frozen=True)
class MessageView:
    number: int
    sent_on: date
    sender: str
    body: str


@dataclass
class CaseView:
    """A case opened with its key: what was written, and the exchange in order."""

    case: Case
    content: dict[str, str]
    messages: list[MessageView] = field(default_factory=list)
    files: list[FileView] = field(default_factory=list)


# -- files --------------------------------------------------------------------------------------------


def _clean(upload: Upload) -> Clean:
    """Kind by content, then the metadata the file can carry removed (``lib.files.scrub``: photos
    re-encoded, PDF and Office properties gone), with what was removed and what remains in Thai."""
    if len(upload.data) > FILE_MAX:
        raise files.FileRefused(_("ไฟล์ใหญ่เกิน 10 MB"))
    scrubbed = files.scrub(upload.data)
    name = _safe_name(upload.name, scrubbed.kind.extension)
    return Clean(name, scrubbed.data, scrubbed.kind.key, scrubbed.removed, scrubbed.remains)


def _safe_name(name: str, extension: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()[:120] or "file"
    return base if base.lower().endswith("." + extension) else f"{base}.{extension}"


def clean_uploads(uploads: Sequence[Upload], already: int = 0) -> list[Clean]:
    """All uploads of one submission cleaned, or ValidationError on ``files`` naming the file."""
    if len(uploads) > FILES_PER_SUBMISSION:
        raise ValidationError({"files": _("แนบไฟล์ได้ครั้งละไม่เกิน 5 ไฟล์")})
    cleaned = []
    for upload in uploads:
        try:
            cleaned.append(_clean(upload))
        except files.FileRefused as refused:
            raise ValidationError(
                {"files": _("ไฟล์ %(name)s: %(reason)s") % {"name": upload.name[:120], "reason": refused}}
            ) from None
    if already + sum(len(c.data) for c in cleaned) > CASE_FILES_MAX:
        raise ValidationError({"files": _("ไฟล์แนบของเรื่องหนึ่งรวมกันได้ไม่เกิน 50 MB")})
    return cleaned


def _store_files(
    case: Case, key: bytes, cleaned: Sequence[Clean], sender: str, today: date, saved: list[str]
) -> None:
    """Encrypt and store under random names (``saved`` collects them so a rollback can delete them)."""
    for item in cleaned:
        case.last_number += 1
        stored = default_storage.save(
            f"{STORAGE_PREFIX}{secrets.token_hex(16)}.bin", ContentFile(crypto.lock(key, item.data))
        )
        saved.append(stored)
        meta = {"name": item.name, "kind": item.kind, "removed": item.removed, "remains": item.remains}
        Attachment.objects.create(
            case=case,
            number=case.last_number,
            sent_on=today,
            sender=sender,
            stored_name=stored,
            size=len(item.data),
            meta=crypto.lock(key, json.dumps(meta).encode()),
        )
        case.attachments_size += len(item.data)


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        default_storage.delete(name)


# -- keys ---------------------------------------------------------------------------------------------


def _receipt_salt() -> ReceiptSalt:
    salt = ReceiptSalt.objects.filter(pk=1).first()
    if salt is None:
        limits = crypto.Limits.current()
        try:
            with transaction.atomic():
                salt = ReceiptSalt.objects.create(
                    pk=1, salt=crypto.new_salt(), opslimit=limits.opslimit, memlimit=limits.memlimit
                )
        except IntegrityError:
            salt = ReceiptSalt.objects.get(pk=1)
    return salt


def receipt_keys(digits: str) -> crypto.ReceiptKeys:
    salt = _receipt_salt()
    return crypto.receipt_keys(digits, bytes(salt.salt), crypto.Limits(salt.opslimit, salt.memlimit))


def may_handle(role: str) -> bool:
    granted = ROLE_PERMISSIONS.get(role, frozenset())
    return Permission.COMPLAINT_HANDLE in granted or Permission.COMPLAINT_ADMIN in granted


def authorised_handlers(organization: Organization) -> list[tuple[Handler, bytes]]:
    """Active handlers whose role still allows it and who have a key, with their public keys."""
    roles = dict(Membership.objects.filter(organization=organization).values_list("user_id", "role"))
    keys = {
        user_id: bytes(public)
        for user_id, public in HandlerKey.objects.filter(
            user_id__in=[u for u, r in roles.items() if may_handle(r)]
        ).values_list("user_id", "public_key")
    }
    handlers = Handler.objects.filter(organization=organization, active=True, user_id__in=list(keys))
    return [(h, keys[h.user_id]) for h in handlers.order_by("pk")]


def _seal_to(case: Case, handler: Handler, public: bytes, k_case: bytes, k_id: bytes | None) -> None:
    CaseKey.objects.update_or_create(
        case=case,
        handler=handler,
        defaults={
            "public_key": public,
            "sealed": crypto.seal(public, k_case),
            "sealed_identity": crypto.seal(public, k_id) if k_id is not None else None,
        },
    )


def _handler_of(access: Access) -> Handler:
    if access.user is None or not access.may_handle_complaints:
        raise PermissionDenied("complaints")
    handler = Handler.objects.filter(organization=access.organization, user=access.user, active=True).first()
    if handler is None:
        raise Locked
    return handler


def _case_keys(
    access: Access, case: Case, private: nacl.public.PrivateKey | None
) -> tuple[bytes, bytes | None]:
    """K_case (and K_id, if any) opened with the caller's private key; Locked otherwise."""
    handler = _handler_of(access)
    if private is None or case.is_destroyed:
        raise Locked
    row = CaseKey.objects.filter(case=case, handler=handler).first()
    if row is None or bytes(row.public_key) != bytes(private.public_key):
        raise Locked
    try:
        k_case = crypto.unseal(private, row.sealed)
        k_id = crypto.unseal(private, row.sealed_identity) if row.sealed_identity is not None else None
    except crypto.Undecryptable:
        raise Locked from None
    return k_case, k_id


def _case_for(access: Access, case: Case) -> Case:
    if case.organization_id != access.organization.pk:
        raise PermissionDenied("another organisation")
    return Case.objects.select_for_update().get(pk=case.pk)


# -- the reporter -------------------------------------------------------------------------------------


def _check_content(content: Mapping[str, str]) -> dict[str, str]:
    values = {name: (content.get(name) or "").strip() for name in CONTENT_FIELDS}
    errors: dict[str, str] = {}
    if not values["what"]:
        errors["what"] = _("โปรดเล่าว่าเกิดอะไรขึ้น")
    for name, value in values.items():
        if len(value) > TEXT_MAX:
            errors[name] = _("ข้อความยาวเกิน %(n)s ตัวอักษร") % {"n": f"{TEXT_MAX:,}"}
    if errors:
        raise ValidationError(errors)
    return values


def file_case(
    organization: Organization,
    ticket: flood.Ticket,
    content: Mapping[str, str],
    uploads: Sequence[Upload] = (),
    identity: str = "",
) -> Filed:
    """A new complaint from the public: checked, encrypted, stored; the receipt returned once.

    No audit entry and no time: the case keeps the day it was received. ``ticket`` was checked by the
    view (``flood.check``) and is spent here, in the same transaction."""
    values = _check_content(content)
    identity = identity.strip()
    if len(identity) > IDENTITY_MAX:
        raise ValidationError({"identity": _("ข้อความยาวเกิน %(n)s ตัวอักษร") % {"n": f"{IDENTITY_MAX:,}"}})
    cleaned = clean_uploads(uploads)
    today = timezone.localdate()
    k_case = crypto.new_key()
    k_id = crypto.new_key() if identity else None
    while True:
        receipt = crypto.new_digits(crypto.RECEIPT_DIGITS)
        reporter = receipt_keys(receipt)
        if not Case.objects.filter(reporter_lookup=reporter.lookup).exists():
            break  # 10**16 receipts: a repeat is all but impossible, but never share a case
    saved: list[str] = []
    try:
        with transaction.atomic():
            flood.spend(ticket)
            flood.count_filing(organization)
            recovery = RecoveryKey.objects.filter(organization=organization).first()
            case = Case.objects.create(
                organization=organization,
                received_on=today,
                first_answer_due=Case.due_for(today),
                content=crypto.lock(k_case, json.dumps(values, ensure_ascii=False).encode()),
                reporter_lookup=reporter.lookup,
                reporter_sealed_key=crypto.lock(reporter.wrap_key, k_case),
                recovery_sealed_key=crypto.seal(recovery.public_key, k_case) if recovery else None,
                recovery_sealed_identity_key=(
                    crypto.seal(recovery.public_key, k_id) if recovery and k_id is not None else None
                ),
                has_identity=k_id is not None,
            )
            if k_id is not None:
                Identity.objects.create(case=case, content=crypto.lock(k_id, identity.encode()))
            for handler, public in authorised_handlers(organization):
                _seal_to(case, handler, public, k_case, k_id)
            _store_files(case, k_case, cleaned, Sender.REPORTER, today, saved)
            case.save(update_fields=["last_number", "attachments_size"])
    except BaseException:
        _delete_files(saved)
        raise
    return Filed(case, receipt)


def reporter_open(receipt_text: str, ticket: flood.Ticket | None) -> ReporterKey:
    """The case a receipt opens. A well-formed wrong receipt costs the same Argon2id and one indexed
    query as a right one; every attempt spends its ticket (``None`` only from code: the demo, tests)
    and counts against the installation's budget for the minute."""
    digits = crypto.normalise_digits(receipt_text, crypto.RECEIPT_DIGITS)
    if digits is None:
        raise ReceiptRefused
    with transaction.atomic():
        if ticket is not None:
            flood.spend(ticket)
        if not ratelimit.allow(ReceiptBudget, 1, settings.COMPLAINTS_RECEIPTS_PER_MINUTE, window_seconds=60):
            raise Busy
    reporter = receipt_keys(digits)
    case = (
        Case.objects.filter(reporter_lookup=reporter.lookup).values_list("pk", "reporter_sealed_key").first()
    )
    if case is None or case[1] is None:
        raise ReceiptRefused
    try:
        crypto.unlock(reporter.wrap_key, case[1])
    except crypto.Undecryptable:
        raise ReceiptRefused from None
    return ReporterKey(str(case[0]), reporter.wrap_key)


def _reporter_case(key: ReporterKey, *, lock: bool = False) -> tuple[Case, bytes]:
    rows = Case.objects.select_related("organization").filter(pk=key.case_id, destroyed_on__isnull=True)
    case = (rows.select_for_update() if lock else rows).first()
    if case is None or case.reporter_sealed_key is None:
        raise ReceiptRefused
    try:
        return case, crypto.unlock(key.wrap_key, case.reporter_sealed_key)
    except crypto.Undecryptable:
        raise ReceiptRefused from None


def _view(case: Case, k_case: bytes) -> CaseView:
    view = CaseView(case, json.loads(crypto.unlock(k_case, case.content or b"")))
    for message in case.messages.all():
        view.messages.append(
            MessageView(
                message.number, message.sent_on, message.sender, crypto.unlock(k_case, message.body).decode()
            )
        )
    for attachment in case.attachments.all():
        meta = json.loads(crypto.unlock(k_case, attachment.meta))
        view.files.append(
            FileView(
                str(attachment.pk),
                attachment.number,
                attachment.sent_on,
                attachment.sender,
                meta["name"],
                meta["kind"],
                attachment.size,
                tuple(meta["removed"]),
                tuple(meta["remains"]),
            )
        )
    return view


def reporter_view(key: ReporterKey) -> CaseView:
    case, k_case = _reporter_case(key)
    return _view(case, k_case)


def _check_message(text: str, uploads: Sequence[Upload]) -> str:
    text = text.strip()
    if not text and not uploads:
        raise ValidationError({"body": _("โปรดเขียนข้อความหรือแนบไฟล์")})
    if len(text) > TEXT_MAX:
        raise ValidationError({"body": _("ข้อความยาวเกิน %(n)s ตัวอักษร") % {"n": f"{TEXT_MAX:,}"}})
    return text


def _add_message(
    case: Case, k_case: bytes, sender: str, text: str, cleaned: Sequence[Clean], saved: list[str]
) -> date:
    today = timezone.localdate()
    if text:
        case.last_number += 1
        Message.objects.create(
            case=case,
            number=case.last_number,
            sent_on=today,
            sender=sender,
            body=crypto.lock(k_case, text.encode()),
        )
    _store_files(case, k_case, cleaned, sender, today, saved)
    return today


def reporter_reply(key: ReporterKey, text: str, uploads: Sequence[Upload] = ()) -> None:
    """The reporter answers or adds files. No audit entry (see the module's docstring)."""
    text = _check_message(text, uploads)
    saved: list[str] = []
    try:
        with transaction.atomic():
            case, k_case = _reporter_case(key, lock=True)
            cleaned = clean_uploads(uploads, already=case.attachments_size)
            _add_message(case, k_case, Sender.REPORTER, text, cleaned, saved)
            case.save(update_fields=["last_number", "attachments_size"])
    except BaseException:
        _delete_files(saved)
        raise


# -- officers -----------------------------------------------------------------------------------------


def officer_view(actor: Actor, case: Case, private: nacl.public.PrivateKey | None) -> CaseView:
    access = authorize(actor, case.organization, Permission.READ)
    k_case, _k_id = _case_keys(access, case, private)
    return _view(case, k_case)


def attachment_data(
    actor: Actor, case: Case, attachment: Attachment, private: nacl.public.PrivateKey | None
) -> tuple[bytes, dict[str, Any]]:
    access = authorize(actor, case.organization, Permission.READ)
    if attachment.case_id != case.pk:
        raise PermissionDenied("another case")
    k_case, _k_id = _case_keys(access, case, private)
    with default_storage.open(attachment.stored_name, "rb") as stored:
        data = crypto.unlock(k_case, stored.read())
    return data, json.loads(crypto.unlock(k_case, attachment.meta))


def _first_answer(case: Case, today: date) -> None:
    if case.first_answered_on is None:
        case.first_answered_on = today


def officer_reply(
    actor: Actor,
    case: Case,
    private: nacl.public.PrivateKey | None,
    text: str,
    uploads: Sequence[Upload] = (),
) -> None:
    """A reply or question to the reporter (and files): the first one counts as the first answer."""
    access = authorize(actor, case.organization, Permission.COMPLAINT_HANDLE)
    text = _check_message(text, uploads)
    saved: list[str] = []
    try:
        with transaction.atomic():
            locked = _case_for(access, case)
            k_case, _k_id = _case_keys(access, locked, private)
            cleaned = clean_uploads(uploads, already=locked.attachments_size)
            today = _add_message(locked, k_case, Sender.OFFICER, text, cleaned, saved)
            if text:
                _first_answer(locked, today)
                if locked.status == Status.RECEIVED:
                    locked.status = Status.ACKNOWLEDGED
            locked.save(update_fields=["last_number", "attachments_size", "first_answered_on", "status"])
            if text:
                record(access, "complaint.reply", params={"case": locked.reference})
            if cleaned:
                record(access, "complaint.file", params={"case": locked.reference, "count": len(cleaned)})
    except BaseException:
        _delete_files(saved)
        raise


def change_status(
    actor: Actor, case: Case, status: str, *, referred_to: str = "", referred_body: str = ""
) -> Case:
    access = authorize(actor, case.organization, Permission.COMPLAINT_HANDLE)
    _handler_of(access)
    if status not in Status.values:
        raise ValidationError({"status": _("สถานะไม่ถูกต้อง")})
    referred_body = referred_body.strip()
    if status == Status.REFERRED:
        if referred_to not in ReferredTo.values:
            raise ValidationError({"referred_to": _("โปรดเลือกหน่วยงานที่ส่งต่อ")})
        if referred_to == ReferredTo.OTHER and not referred_body:
            raise ValidationError({"referred_body": _("โปรดระบุชื่อหน่วยงานที่ส่งต่อ")})
        if len(referred_body) > 200:
            raise ValidationError({"referred_body": _("ชื่อหน่วยงานยาวเกิน 200 ตัวอักษร")})
    else:
        referred_to, referred_body = "", ""
    with transaction.atomic():
        locked = _case_for(access, case)
        if locked.is_destroyed:
            raise ValidationError({"status": _("เรื่องนี้ถูกทำลายข้อมูลแล้ว")})
        today = timezone.localdate()
        locked.status, locked.referred_to, locked.referred_body = status, referred_to, referred_body
        if status in ANSWERING_STATUSES:
            _first_answer(locked, today)
        locked.closed_on = (locked.closed_on or today) if status in FINISHED_STATUSES else None
        locked.save(
            update_fields=["status", "referred_to", "referred_body", "first_answered_on", "closed_on"]
        )
        record(
            access,
            "complaint.status",
            params={"case": locked.reference, "status": status, "referred_to": referred_to},
        )
    return locked


def tag_risk_area(actor: Actor, case: Case, risk_area: str) -> Case:
    from prongsai.risks.method import DEFAULT_METHOD, method

    access = authorize(actor, case.organization, Permission.COMPLAINT_HANDLE)
    _handler_of(access)
    if risk_area and method(DEFAULT_METHOD).area(risk_area) is None:
        raise ValidationError({"risk_area": _("ด้านความเสี่ยงไม่ถูกต้อง")})
    with transaction.atomic():
        locked = _case_for(access, case)
        locked.risk_area = risk_area
        locked.save(update_fields=["risk_area"])
        record(access, "complaint.risk_area", params={"case": locked.reference, "risk_area": risk_area})
    return locked


def open_identity(actor: Actor, case: Case, private: nacl.public.PrivateKey | None, reason: str) -> str:
    """The reporter's identity, after the officer wrote why: a disclosure row the executive sees, one entry."""
    access = authorize(actor, case.organization, Permission.COMPLAINT_HANDLE)
    if access.user is None:
        raise PermissionDenied("a person opens an identity")
    reason = reason.strip()
    if len(reason) < REASON_MIN:
        raise ValidationError({"reason": _("โปรดเขียนเหตุผลที่ต้องเปิดดูข้อมูลผู้ร้องเรียน (อย่างน้อย 10 ตัวอักษร)")})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("ข้อความยาวเกิน %(n)s ตัวอักษร") % {"n": "2,000"}})
    with transaction.atomic():
        locked = _case_for(access, case)
        _k_case, k_id = _case_keys(access, locked, private)
        identity = Identity.objects.filter(case=locked).first()
        if identity is None or k_id is None:
            raise ValidationError({"reason": _("ผู้ร้องเรียนไม่ได้ให้ข้อมูลตัวตนไว้")})
        text = crypto.unlock(k_id, identity.content).decode()
        disclosure = IdentityDisclosure.objects.create(
            case=locked,
            organization=locked.organization,
            user=access.user,
            reason=reason,
            disclosed_on=timezone.localdate(),
        )
        record(access, "complaint.identity", params={"case": locked.reference, "disclosure": disclosure.pk})
    return text


# -- handlers, recovery, keys -------------------------------------------------------------------------


def authorise_handler(actor: Actor, organization: Organization, user: User) -> Handler:
    """The executive lets ``user`` read the organisation's complaints (their keys come on the next visit
    of a handler who has them, or with the recovery code)."""
    access = authorize(actor, organization, Permission.COMPLAINT_ADMIN)
    role = (
        Membership.objects.filter(organization=organization, user=user).values_list("role", flat=True).first()
    )
    if role is None or not may_handle(role):
        raise ValidationError({"user": _("ผู้ใช้นี้ต้องมีบทบาทเจ้าหน้าที่รับเรื่องร้องเรียนหรือผู้บริหารขององค์กรนี้")})
    with transaction.atomic():
        handler, _created = Handler.objects.select_for_update().get_or_create(
            organization=organization,
            user=user,
            defaults={"authorised_by": access.user, "authorised_on": timezone.localdate()},
        )
        if not handler.active or not _created:
            handler.active, handler.authorised_by, handler.authorised_on = (
                True,
                access.user,
                timezone.localdate(),
            )
            handler.save(update_fields=["active", "authorised_by", "authorised_on"])
        record(access, "complaint.handler.authorise", params={"user": user.get_username()})
    return handler


def revoke_handler(actor: Actor, handler: Handler) -> Handler:
    """No longer a reader: the case keys sealed to them are deleted."""
    access = authorize(actor, handler.organization, Permission.COMPLAINT_ADMIN)
    with transaction.atomic():
        locked = Handler.objects.select_for_update().select_related("user").get(pk=handler.pk)
        locked.active = False
        locked.save(update_fields=["active"])
        removed, _detail = CaseKey.objects.filter(handler=locked).delete()
        record(
            access, "complaint.handler.revoke", params={"user": locked.user.get_username(), "keys": removed}
        )
    return locked


def create_recovery_key(actor: Actor, organization: Organization) -> str:
    """The organisation's recovery keypair, made once; returns the code to print (never kept)."""
    access = authorize(actor, organization, Permission.COMPLAINT_ADMIN)
    if access.user is None:
        raise PermissionDenied("a person makes the recovery key")
    code = crypto.new_digits(crypto.RECOVERY_DIGITS)
    _private, wrapped = crypto.new_keypair(code.encode())
    with transaction.atomic():
        if RecoveryKey.objects.select_for_update().filter(organization=organization).exists():
            raise ValidationError(_("องค์กรนี้มีกุญแจกู้คืนแล้ว"))
        RecoveryKey.objects.create(
            organization=organization,
            public_key=wrapped.public_key,
            wrapped_private_key=wrapped.wrapped_private_key,
            salt=wrapped.salt,
            opslimit=wrapped.limits.opslimit,
            memlimit=wrapped.limits.memlimit,
            created_by=access.user,
            created_on=timezone.localdate(),
        )
        record(access, "complaint.recovery.create")
    return code


def _missing(organization: Organization) -> tuple[list[tuple[Handler, bytes]], dict[Any, set[int]]]:
    """Authorised handlers, and per case the handlers whose case key is missing or sealed to an old key."""
    handlers = authorised_handlers(organization)
    current = {h.pk: public for h, public in handlers}
    have: dict[Any, set[int]] = {}
    for case_id, handler_id, public in CaseKey.objects.filter(handler_id__in=list(current)).values_list(
        "case_id", "handler_id", "public_key"
    ):
        if bytes(public) == current[handler_id]:
            have.setdefault(case_id, set()).add(handler_id)
    return handlers, have


def _reseal(
    organization: Organization,
    opener: Any,
    recovery: RecoveryKey | None,
) -> int:
    """Seal each live case's keys to every authorised handler lacking them (and to the recovery key);
    ``opener(case) -> (k_case, k_id) | None`` opens what the caller can. Returns how many keys were made."""
    handlers, have = _missing(organization)
    live = Case.objects.filter(organization=organization, destroyed_on__isnull=True)
    unsealed = (
        set(live.filter(recovery_sealed_key__isnull=True).values_list("pk", flat=True)) if recovery else set()
    )
    wanted = {h.pk for h, _p in handlers}
    candidates = [
        pk for pk in live.values_list("pk", flat=True) if wanted - have.get(pk, set()) or pk in unsealed
    ]
    if not candidates:  # the usual visit: nothing to share, no row locked
        return 0
    made = 0
    for case in Case.objects.filter(pk__in=candidates).select_for_update():
        owners = have.get(case.pk, set())
        lacking = [(h, p) for h, p in handlers if h.pk not in owners]
        needs_recovery = recovery is not None and case.recovery_sealed_key is None
        if not lacking and not needs_recovery:
            continue
        opened = opener(case)
        if opened is None:
            continue
        k_case, k_id = opened
        for handler, public in lacking:
            _seal_to(case, handler, public, k_case, k_id)
            made += 1
        if needs_recovery and recovery is not None:
            case.recovery_sealed_key = crypto.seal(recovery.public_key, k_case)
            case.recovery_sealed_identity_key = crypto.seal(recovery.public_key, k_id) if k_id else None
            case.save(update_fields=["recovery_sealed_key", "recovery_sealed_identity_key"])
            made += 1
    return made


def share_keys(actor: Actor, organization: Organization, private: nacl.public.PrivateKey | None) -> int:
    """Key sharing on visit: a handler with an unlocked key seals the cases they can open to the other
    authorised handlers who lack them (a new handler, a new keypair after a reset) and to the recovery key."""
    access = authorize(actor, organization, Permission.READ)
    if private is None or access.user is None or not access.may_handle_complaints:
        return 0
    handler = Handler.objects.filter(organization=organization, user=access.user, active=True).first()
    if handler is None:
        return 0
    mine = {
        case_id: (bytes(sealed), None if sealed_id is None else bytes(sealed_id))
        for case_id, sealed, sealed_id, public in CaseKey.objects.filter(handler=handler).values_list(
            "case_id", "sealed", "sealed_identity", "public_key"
        )
        if bytes(public) == bytes(private.public_key)
    }

    def opener(case: Case) -> tuple[bytes, bytes | None] | None:
        sealed = mine.get(case.pk)
        if sealed is None:
            return None
        try:
            return crypto.unseal(private, sealed[0]), (
                crypto.unseal(private, sealed[1]) if sealed[1] else None
            )
        except crypto.Undecryptable:
            return None

    with transaction.atomic():
        made = _reseal(organization, opener, RecoveryKey.objects.filter(organization=organization).first())
        if made:
            record(access, "complaint.keys.share", params={"keys": made})
    return made


def recover(actor: Actor, organization: Organization, code_text: str) -> int:
    """The executive enters the recovery code: every case sealed to the recovery key is sealed again to
    each authorised handler lacking its key. Returns how many keys were made."""
    access = authorize(actor, organization, Permission.COMPLAINT_ADMIN)
    recovery = RecoveryKey.objects.filter(organization=organization).first()
    if recovery is None:
        raise ValidationError({"code": _("องค์กรนี้ยังไม่มีกุญแจกู้คืน")})
    code = crypto.normalise_digits(code_text, crypto.RECOVERY_DIGITS)
    if code is None:
        raise ValidationError({"code": _("กุญแจกู้คืนต้องเป็นตัวเลข 24 หลัก")})
    try:
        private = crypto.unwrap_private_key(
            recovery.wrapped_private_key,
            code.encode(),
            recovery.salt,
            crypto.Limits(recovery.opslimit, recovery.memlimit),
        )
    except crypto.Undecryptable:
        raise ValidationError({"code": _("กุญแจกู้คืนไม่ถูกต้อง")}) from None

    def opener(case: Case) -> tuple[bytes, bytes | None] | None:
        if case.recovery_sealed_key is None:
            return None
        k_id = case.recovery_sealed_identity_key
        return crypto.unseal(private, case.recovery_sealed_key), (
            crypto.unseal(private, k_id) if k_id else None
        )

    with transaction.atomic():
        made = _reseal(organization, opener, None)
        record(access, "complaint.keys.recover", params={"keys": made})
    return made


def key_replaced(user: User, old_public: bytes) -> None:
    """A handler's password was reset, so their keypair was replaced at sign-in: the case keys sealed to
    the old key are useless and deleted; each organisation's log says so."""
    for handler in Handler.objects.filter(user=user).select_related("organization"):
        removed, _detail = CaseKey.objects.filter(handler=handler, public_key=old_public).delete()
        record(
            authorize(SystemActor("sign-in"), handler.organization, Permission.READ),
            "complaint.key.replace",
            params={"user": user.get_username(), "keys": removed},
        )


# -- retention ----------------------------------------------------------------------------------------


def purge(today: date | None = None, retention_days: int | None = None) -> int:
    """Destroy cases closed more than the retention period ago: content, messages, files, identity and
    keys go; the counting fields stay for the statistics. One entry per destroyed case."""
    today = timezone.localdate() if today is None else today
    days = settings.COMPLAINTS_RETENTION_DAYS if retention_days is None else retention_days
    cutoff = today - timedelta(days=days)
    destroyed = 0
    due = Case.objects.filter(destroyed_on__isnull=True, closed_on__isnull=False, closed_on__lte=cutoff)
    for case_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            case = Case.objects.select_for_update().select_related("organization").get(pk=case_id)
            if case.is_destroyed or case.closed_on is None or case.closed_on > cutoff:
                continue
            stored = list(case.attachments.values_list("stored_name", flat=True))
            case.messages.all().delete()
            case.attachments.all().delete()
            case.keys.all().delete()
            Identity.objects.filter(case=case).delete()
            case.disclosures.update(reason="")
            case.content = None
            case.reporter_lookup = None
            case.reporter_sealed_key = None
            case.recovery_sealed_key = None
            case.recovery_sealed_identity_key = None
            case.has_identity = False
            case.attachments_size = 0
            case.destroyed_on = today
            case.save()
            record(
                authorize(SystemActor("purge"), case.organization, Permission.READ),
                "complaint.destroy",
                params={"case": case.reference, "closed_on": case.closed_on.isoformat()},
            )
            transaction.on_commit(lambda names=stored: _delete_files(names))  # type: ignore[misc]
        destroyed += 1
    return destroyed
