"""The anonymous complaint channel: cases, their encrypted content, and who holds which key.

Nothing here says who filed a case, from where or when beyond the day: no IP address or user agent
column, dates only (``received_on``, a message's ``sent_on`` with its order number), random UUID keys.
What the reporter wrote (the case content, messages, attachments, the optional identity) is stored only
as ciphertext under keys the server does not hold in the clear (docs/decisions/0012-complaints.md):
the case key ``K_case`` and the identity key ``K_id`` are sealed to each authorised handler's X25519
public key (``CaseKey``), to the organisation's recovery key and, for ``K_case``, wrapped under a key
derived from the reporter's receipt.

Statistics (``statistics.py``) read only the counting fields, which survive destruction:
organisation, ``received_on``, ``status``, ``first_answered_on``, ``closed_on``, ``referred_to``,
``risk_area`` and ``destroyed_on``.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.organizations.models import Organization

FIRST_ANSWER_DAYS = 15  # ITA evidence wording: the complainant hears back within 15 (calendar) days


class Status(models.TextChoices):
    RECEIVED = "received", _("รับเรื่องแล้ว")
    ACKNOWLEDGED = "acknowledged", _("ตอบรับเรื่องแล้ว")
    INVESTIGATING = "investigating", _("อยู่ระหว่างตรวจสอบ")
    ANSWERED = "answered", _("แจ้งผลแล้ว")
    CLOSED = "closed", _("ยุติเรื่อง")
    REFERRED = "referred", _("ส่งต่อหน่วยงานอื่น")
    OUTSIDE_REMIT = "outside_remit", _("ไม่อยู่ในอำนาจหน้าที่")


# A status that is itself a first answer to the reporter (a reply is the other kind).
ANSWERING_STATUSES = frozenset({Status.ANSWERED, Status.REFERRED, Status.OUTSIDE_REMIT})
# Statuses after which the case counts as completed for the ITA statistics and its retention runs.
FINISHED_STATUSES = frozenset({Status.CLOSED, Status.REFERRED, Status.OUTSIDE_REMIT})


class ReferredTo(models.TextChoices):
    NACC = "nacc", _("สำนักงาน ป.ป.ช.")
    PACC = "pacc", _("สำนักงาน ป.ป.ท.")
    PROVINCE = "province", _("จังหวัด")
    OTHER = "other", _("หน่วยงานอื่น")


class Sender(models.TextChoices):
    REPORTER = "reporter", _("ผู้ร้องเรียน")
    OFFICER = "officer", _("เจ้าหน้าที่")


class ReceiptSalt(models.Model):
    """The installation's salt for receipt hashes and the Argon2id limits they use (one row, made on first
    use, never changed: every receipt is found by them). Not a secret: the salt only makes a table of
    precomputed receipt hashes useless against another installation."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    salt = models.BinaryField(max_length=16)
    opslimit = models.PositiveIntegerField()
    memlimit = models.PositiveBigIntegerField()

    def __str__(self) -> str:
        return "receipt salt"


class Handler(models.Model):
    """A person the executive authorised to read an organisation's complaints (their role is
    ``complaints``, or the executive themself). Only active handlers get sealed case keys."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="complaint_handlers"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    active = models.BooleanField(default=True)
    authorised_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="complaint_handler_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.organization_id}"


class HandlerKey(models.Model):
    """A handler's X25519 keypair: the public key in clear, the private key in a SecretBox under a key
    derived from their password with Argon2id (the limits used are kept with it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="complaint_key"
    )
    public_key = models.BinaryField(max_length=32)
    wrapped_private_key = models.BinaryField()
    salt = models.BinaryField(max_length=16)
    opslimit = models.PositiveIntegerField()
    memlimit = models.PositiveBigIntegerField()
    created_on = models.DateField()

    def __str__(self) -> str:
        return f"key of {self.user_id}"


class RecoveryKey(models.Model):
    """The organisation's recovery keypair (กุญแจกู้คืน): made once by the executive; its private key is
    wrapped under a key derived from a recovery code printed once and kept on paper."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, primary_key=True, related_name="complaint_recovery_key"
    )
    public_key = models.BinaryField(max_length=32)
    wrapped_private_key = models.BinaryField()
    salt = models.BinaryField(max_length=16)
    opslimit = models.PositiveIntegerField()
    memlimit = models.PositiveBigIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_on = models.DateField()

    def __str__(self) -> str:
        return f"recovery key of {self.organization_id}"


class Case(models.Model):
    """One complaint. The counting fields are in clear; everything the reporter wrote is ciphertext."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="complaints")
    received_on = models.DateField(_("วันที่รับเรื่อง"))
    status = models.CharField(_("สถานะ"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    first_answer_due = models.DateField(_("กำหนดแจ้งผลครั้งแรก"))
    first_answered_on = models.DateField(_("วันที่แจ้งผลครั้งแรก"), null=True, blank=True)
    closed_on = models.DateField(_("วันที่ยุติ"), null=True, blank=True)
    referred_to = models.CharField(_("ส่งต่อไปยัง"), max_length=20, choices=ReferredTo.choices, blank=True)
    referred_body = models.CharField(_("ชื่อหน่วยงานที่ส่งต่อ"), max_length=200, blank=True)
    risk_area = models.CharField(_("ด้านความเสี่ยง"), max_length=60, blank=True)
    destroyed_on = models.DateField(_("วันที่ทำลายข้อมูล"), null=True, blank=True)
    # SecretBox(K_case) of the content JSON (what happened, when and where, who, remedy sought).
    content = models.BinaryField(null=True)
    # The reporter's way in: BLAKE2b of the receipt's Argon2id hash (hex, unique), and K_case wrapped
    # under the other BLAKE2b of it.
    reporter_lookup = models.CharField(max_length=64, unique=True, null=True)  # noqa: DJ001 (NULL once destroyed: unique)
    reporter_sealed_key = models.BinaryField(null=True)
    # K_case (and K_id) sealed to the organisation's recovery key, when it had one at filing.
    recovery_sealed_key = models.BinaryField(null=True)
    recovery_sealed_identity_key = models.BinaryField(null=True)
    has_identity = models.BooleanField(default=False)
    attachments_size = models.PositiveBigIntegerField(default=0)  # plaintext bytes, for the 50 MB limit
    last_number = models.PositiveIntegerField(default=0)  # order of messages and attachments in the case

    class Meta:
        ordering = ["-received_on", "id"]
        indexes = [models.Index(fields=["organization", "received_on"], name="complaint_org_received")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """A short name for officers: the first eight hex digits of the random key."""
        return self.id.hex[:8].upper()

    @staticmethod
    def due_for(received_on: date) -> date:
        return received_on + timedelta(days=FIRST_ANSWER_DAYS)

    def days_left(self, today: date) -> int | None:
        """Days until the first answer is due (negative when overdue); None once answered or destroyed."""
        if self.first_answered_on is not None or self.destroyed_on is not None:
            return None
        return (self.first_answer_due - today).days

    @property
    def is_destroyed(self) -> bool:
        return self.destroyed_on is not None


class Identity(models.Model):
    """The reporter's identity and contact, if given: its own key ``K_id``, sealed like ``K_case``; an
    officer opens it only after writing a reason (``IdentityDisclosure``)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="identity")
    content = models.BinaryField()

    def __str__(self) -> str:
        return f"identity of {self.case_id}"


class CaseKey(models.Model):
    """K_case (and K_id) sealed to one authorised handler's public key at the time of sealing."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="keys")
    handler = models.ForeignKey(Handler, on_delete=models.CASCADE, related_name="case_keys")
    public_key = models.BinaryField(
        max_length=32
    )  # the key it was sealed to: stale once the handler's changes
    sealed = models.BinaryField()
    sealed_identity = models.BinaryField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "handler"], name="complaint_case_key_once")]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.handler_id}"


class Message(models.Model):
    """A reply or question between the officers and the reporter: ciphertext, a day and an order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    number = models.PositiveIntegerField()
    sent_on = models.DateField()
    sender = models.CharField(max_length=10, choices=Sender.choices)
    body = models.BinaryField()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="complaint_message_order")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.number}"


class Attachment(models.Model):
    """A file the reporter or an officer added: scrubbed, then encrypted; stored under a random name.

    ``meta`` (SecretBox(K_case)) holds the original name, the kind and what was removed or remains."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    number = models.PositiveIntegerField()
    sent_on = models.DateField()
    sender = models.CharField(max_length=10, choices=Sender.choices)
    stored_name = models.CharField(max_length=100, unique=True)
    size = models.PositiveBigIntegerField()  # plaintext bytes
    meta = models.BinaryField()

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.number}"


class IdentityDisclosure(models.Model):
    """An officer opened the reporter's identity, with the reason they wrote: listed for the executive."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="disclosures")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    disclosed_on = models.DateField()

    class Meta:
        ordering = ["-disclosed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} by {self.user_id}"


class UsedTicket(models.Model):
    """The digest of a filing or receipt ticket already spent, as its own key: nothing else."""

    digest = models.CharField(max_length=64, primary_key=True)

    def __str__(self) -> str:
        return self.digest[:12]


class FilingCount(models.Model):
    """How many cases an organisation took in the current hour (``lib.ratelimit`` shape, overwritten each
    hour): what raises the proof of work in a flood. Counts only; no history."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    window = models.BigIntegerField(default=0)
    hits = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.hits}"


class ReceiptBudget(models.Model):
    """The installation's receipt attempts in the current minute (one row): a global guessing budget."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    window = models.BigIntegerField(default=0)
    hits = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.hits}"
