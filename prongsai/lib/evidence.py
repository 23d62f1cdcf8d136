"""Evidence files attached to reports: an item's implementation report (``reports``) and a measure's risk
monitoring report (``risks``). One shape of row, one way in and one way out, whichever report holds them.

In: the type is read from the content and photos lose their metadata before anything is written
(``clean``, ``lib/files.py``); the row gets a random storage name, never the uploaded one; bytes written
to storage inside a transaction that then fails are deleted again (``removed_if_failed``). Out: as an
attachment (photos inline), sandboxed, never run by the browser (``serve``). The apps keep what differs:
which report a file belongs to, who may add it, and what their log says.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prongsai.lib import files
from prongsai.lib.uploads import UploadField, files_of


class EvidenceFile(models.Model):
    """The fields every evidence row has; the concrete model adds ``report``, ``file`` (with its storage
    path) and ``is_public`` (with its own label)."""

    original_name = models.CharField(gettext_lazy("ชื่อไฟล์"), max_length=200)
    kind = models.CharField(max_length=10)  # a key of files.KINDS, read from the content
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    file: Any  # a FileField of the concrete model

    class Meta:
        abstract = True
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.original_name


@dataclass(frozen=True)
class CleanFile:
    kind: files.Kind
    data: bytes  # without metadata
    sha256: str


def clean(data: bytes) -> CleanFile:
    """The upload's type from its content and its bytes without metadata, before any write (a refused
    file costs nothing); ValidationError on the form's ``file`` field otherwise."""
    try:
        kind = files.sniff(data)
        data = files.without_metadata(data, kind)
    except files.FileRefused as refused:
        raise ValidationError({"file": [str(refused)]}) from None
    return CleanFile(kind, data, hashlib.sha256(data).hexdigest())


def save(item: EvidenceFile, upload: CleanFile, name: str, user: Any) -> None:
    """Fill in and save ``item`` (its report and ``is_public`` already set) with the cleaned upload."""
    item.original_name = (name or "file")[-200:]
    item.kind = upload.kind.key
    item.extension = upload.kind.extension
    item.size = len(upload.data)
    item.sha256 = upload.sha256
    item.uploaded_by = user
    item.file.save("upload", ContentFile(upload.data), save=False)
    item.save()


@contextmanager
def removed_if_failed() -> Iterator[list[EvidenceFile]]:
    """Files saved by the block (append each to the list) are deleted from storage again if it fails."""
    saved: list[EvidenceFile] = []
    try:
        yield saved
    except BaseException:
        for item in saved:
            if item.file.name:
                item.file.storage.delete(item.file.name)
        raise


def serve(item: EvidenceFile, *, public: bool = False) -> FileResponse:
    """The file, never run by the browser (sandboxed, never sniffed): the one way evidence is served.
    To members photos show inline and other files download; to the public (``public``: a file its officer
    marked public, of a published report) every file downloads, cacheable and tagged by its SHA-256."""
    kind = files.KINDS[item.kind]
    response = FileResponse(
        item.file.open("rb"),
        content_type=kind.content_type,
        as_attachment=public or not kind.inline,
        filename=item.original_name,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    if public:
        response["ETag"] = f'"{item.sha256}"'
        response["Cache-Control"] = "public, max-age=3600"
    return response


def form_class(public_label: Any) -> type[forms.Form]:
    """The upload form: the file (size-limited, ``EVIDENCE_MAX_SIZE``) and whether it is shown publicly
    once the report is published (``public_label`` says when that is)."""

    class EvidenceForm(forms.Form):
        file = UploadField(
            label=gettext_lazy("ไฟล์หลักฐาน (รูปภาพ PDF Word หรือ Excel)"), max_size=settings.EVIDENCE_MAX_SIZE
        )
        is_public = forms.BooleanField(label=public_label, required=False)

    return EvidenceForm


def add_from_form(
    request: HttpRequest, form_type: type[forms.Form], add: Callable[[str, bytes, bool], object]
) -> None:
    """Read the upload form of ``request`` and ``add(name, data, public)``; what happened, or why not, is
    said in the page's messages (the form's errors, or the action's, which name the file)."""
    form = form_type(request.POST, files_of(request))
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, str(text))
        return
    upload = form.cleaned_data["file"]
    try:
        add(upload.name or "", upload.read(), form.cleaned_data["is_public"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("แนบหลักฐานแล้ว"))


def remove_with_message(request: HttpRequest, remove: Callable[[], object]) -> None:
    """``remove()``, then say in the page's messages that it was removed, or why not."""
    try:
        remove()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("ลบหลักฐานแล้ว"))
