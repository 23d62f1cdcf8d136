"""Uploads are bounded while they stream in: a 60 MB file never sits in memory, the form says why."""

from __future__ import annotations

import io
import tracemalloc

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.test import override_settings
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from prongsai.lib.uploads import RefusedUpload, UploadField, files_of

MB = 1024 * 1024
BOUNDARY = "prongsai-test-boundary"


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


class StreamedBody(io.RawIOBase):
    """A multipart body of one field and one file of ``size`` bytes, made as it is read (never whole)."""

    def __init__(self, size: int) -> None:
        self.head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="tool"\r\n\r\nIIT\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.file_size = size
        self.length = len(self.head) + size + len(self.tail)
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        start, end = len(self.head), len(self.head) + self.file_size
        at = self.position
        if at < start:
            chunk = self.head[at : at + len(buffer)]
        elif at < end:
            chunk = b"1" * min(len(buffer), end - at)
        else:
            chunk = self.tail[at - end : at - end + len(buffer)]
        buffer[: len(chunk)] = chunk
        self.position += len(chunk)
        return len(chunk)


def streamed_request(size: int) -> tuple[WSGIRequest, StreamedBody]:
    body = StreamedBody(size)
    environ = {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(body.length),
        "wsgi.input": io.BufferedReader(body, buffer_size=64 * 1024),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "PATH_INFO": "/",
        "wsgi.url_scheme": "http",
    }
    return WSGIRequest(environ), body


def test_the_streamed_body_is_well_formed():
    request, body = streamed_request(1000)
    assert request.POST["tool"] == "IIT"
    upload = request.FILES["file"]
    assert isinstance(upload, UploadedFile)
    assert upload.read() == b"1" * 1000
    assert body.position == body.length


@override_settings(MAX_UPLOAD_SIZE=20 * MB, MAX_REQUEST_SIZE=100 * MB)
def test_a_60_mb_file_is_dropped_as_it_arrives_and_memory_stays_small():
    request, body = streamed_request(60 * MB)
    tracemalloc.start()
    try:
        files = files_of(request)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert files is not None
    refused = files["file"]
    assert isinstance(refused, RefusedUpload)
    assert refused.size == 60 * MB and refused.limit == 20 * MB
    assert request.POST["tool"] == "IIT"
    assert body.position == body.length  # read to the end, so the browser gets the page
    assert peak < 4 * MB, peak


@override_settings(MAX_UPLOAD_SIZE=20 * MB, MAX_REQUEST_SIZE=32 * MB)
def test_a_body_larger_than_the_request_limit_is_not_read_past_its_first_fields():
    request, body = streamed_request(60 * MB)
    files = files_of(request)
    assert files is not None
    refused = files["file"]
    assert isinstance(refused, RefusedUpload) and refused.whole_request
    assert request.POST["tool"] == "IIT"  # the fields before the file, the CSRF token among them
    assert body.position < 1 * MB


def test_a_small_file_passes_untouched():
    request, _body = streamed_request(1000)
    files = files_of(request)
    assert files is not None
    assert not isinstance(files["file"], RefusedUpload)


class OneFile(forms.Form):
    file = UploadField(max_size=1 * MB)


def test_the_field_refuses_a_refused_upload_with_its_size_and_the_limit():
    form = OneFile(files=MultiValueDict({"file": [RefusedUpload("big.csv", 60 * MB, 20 * MB)]}))
    assert not form.is_valid()
    assert form.errors["file"] == ["ไฟล์ “big.csv” มีขนาด 60 MB เกินกว่าที่รับได้ 20 MB"]


def test_the_field_refuses_a_file_over_its_own_limit():
    form = OneFile(files=MultiValueDict({"file": [SimpleUploadedFile("a.csv", b"x" * (MB + MB // 2))]}))
    assert not form.is_valid()
    assert form.errors["file"] == ["ไฟล์ “a.csv” มีขนาด 1.5 MB เกินกว่าที่รับได้ 1 MB"]
    assert OneFile(files=MultiValueDict({"file": [SimpleUploadedFile("a.csv", b"x" * 100)]})).is_valid()


def test_the_whole_request_message_says_the_request_was_too_large():
    form = OneFile(
        files=MultiValueDict({"file": [RefusedUpload("big.csv", 60 * MB, 32 * MB, whole_request=True)]})
    )
    assert form.errors["file"] == ["ไฟล์ “big.csv” ใหญ่เกินไป: คำขอมีขนาด 60 MB แต่รับได้ไม่เกิน 32 MB ต่อครั้ง"]
