"""Bounded uploads: the body and each file are limited while the request streams in, not after.

``LimitedUploadHandler`` comes first in ``FILE_UPLOAD_HANDLERS``. Past ``MAX_UPLOAD_SIZE`` it drops the
rest of a file (the handlers after it never see it, so nothing grows in memory or on disk) and hands
the form a ``RefusedUpload`` instead, which ``UploadField`` turns into a message on the form. A body
declared larger than ``MAX_REQUEST_SIZE`` is not read at all: the fields before the first file (the
CSRF token, the form's choices) are kept and the upload stops there, without reading the rest.
Views pass ``files_of(request)`` to their forms so that both refusals reach the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

REFUSED_ATTRIBUTE = "prongsai_refused_uploads"


def megabytes(size: int) -> str:
    """A size as people read it on the page: "10" or "58.8"."""
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value >= 10 or value.is_integer() else f"{value:.1f}"


class RefusedUpload(UploadedFile):
    """Stands in for a file that was larger than allowed: its name and size, no content."""

    def __init__(self, name: str, size: int, limit: int, whole_request: bool = False) -> None:
        super().__init__(file=None, name=name, content_type="application/octet-stream", size=size)
        self.limit = limit
        self.whole_request = whole_request

    def read(self, *args: Any) -> bytes:
        return b""

    def chunks(self, chunk_size: int | None = None) -> Any:
        return iter(())

    def close(self) -> None:
        pass


@dataclass
class _Counter:
    field_name: str
    file_name: str
    received: int = 0
    refused: bool = False


def _refused(request: HttpRequest) -> dict[str, RefusedUpload]:
    refused: dict[str, RefusedUpload] = request.__dict__.setdefault(REFUSED_ATTRIBUTE, {})
    return refused


class LimitedUploadHandler(FileUploadHandler):
    """Counts each file's bytes as they arrive and stops storing them past the limit."""

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        self.body_length = content_length
        self.counter: _Counter | None = None

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.counter = _Counter(field_name, file_name)
        if self.body_length > settings.MAX_REQUEST_SIZE and self.request is not None:
            # Not worth reading: refuse the first file now, keeping the fields that came before it.
            refused = RefusedUpload(file_name, self.body_length, settings.MAX_REQUEST_SIZE, True)
            _refused(self.request)[field_name] = refused
            raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        counter = self.counter
        if counter is None:
            return raw_data
        counter.received += len(raw_data)
        if counter.received > settings.MAX_UPLOAD_SIZE:
            if not counter.refused:
                counter.refused = True
                self._discard_later_handlers()
            return None  # the handlers after this one never see the rest
        return raw_data

    def _discard_later_handlers(self) -> None:
        """The part already passed on (at most the limit) is dropped: a temporary file is deleted."""
        if self.request is None:
            return
        for handler in self.request.upload_handlers:
            if handler is not self and hasattr(handler, "file"):
                handler.file.close()

    def file_complete(self, file_size: int) -> UploadedFile | None:
        counter = self.counter
        self.counter = None
        if counter is None or not counter.refused:
            return None
        refused = RefusedUpload(counter.file_name, counter.received, settings.MAX_UPLOAD_SIZE)
        if self.request is not None:
            _refused(self.request)[counter.field_name] = refused
        return refused


def files_of(request: HttpRequest) -> MultiValueDict[str, UploadedFile] | None:
    """``request.FILES`` with a ``RefusedUpload`` for each file refused by size; None when there are none."""
    if request.method != "POST":
        return None
    files = request.FILES.copy()
    for field_name, refused in request.__dict__.get(REFUSED_ATTRIBUTE, {}).items():
        files[field_name] = refused
    return files or None


def size_message(upload: File[Any], limit: int) -> str:
    if isinstance(upload, RefusedUpload) and upload.whole_request:
        return _("ไฟล์ “%(name)s” ใหญ่เกินไป: คำขอมีขนาด %(size)s MB แต่รับได้ไม่เกิน %(limit)s MB ต่อครั้ง") % {
            "name": upload.name,
            "size": megabytes(upload.size or 0),
            "limit": megabytes(limit),
        }
    return _("ไฟล์ “%(name)s” มีขนาด %(size)s MB เกินกว่าที่รับได้ %(limit)s MB") % {
        "name": upload.name,
        "size": megabytes(upload.size or 0),
        "limit": megabytes(limit),
    }


class UploadField(forms.FileField):
    """A file field that refuses a file larger than ``max_size`` (and any the upload handler refused)."""

    def __init__(self, *, max_size: int | None = None, **kwargs: Any) -> None:
        self.max_size = max_size
        kwargs.setdefault("error_messages", {}).setdefault("empty", gettext_lazy("ไฟล์ว่าง"))
        super().__init__(**kwargs)

    def to_python(self, data: Any) -> Any:
        if isinstance(data, RefusedUpload):
            raise ValidationError(size_message(data, data.limit), code="file_too_large")
        upload = super().to_python(data)
        limit = min(self.max_size or settings.MAX_UPLOAD_SIZE, settings.MAX_UPLOAD_SIZE)
        if upload is not None and upload.size is not None and upload.size > limit:
            raise ValidationError(size_message(upload, limit), code="file_too_large")
        return upload
