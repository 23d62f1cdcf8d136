"""The document cache in the S3-compatible store (PRONGSAI_STORAGE=s3): chunks laid out by one process
are found by another that has nothing on its own disk (a second application server, the worker)."""

from __future__ import annotations

from prongsai.documents import pdf
from prongsai.reports.tests.test_evidence_s3 import objects, s3, settings_with  # noqa: F401 (the fixture)


def test_the_document_cache_is_a_prefix_of_the_bucket_when_files_are_in_s3(monkeypatch, tmp_path):
    read = settings_with(
        monkeypatch, tmp_path, PRONGSAI_STORAGE="s3", PRONGSAI_S3_BUCKET="b", PRONGSAI_S3_PREFIX="prongsai/"
    )
    documents = read["STORAGES"]["documents"]
    assert documents["BACKEND"] == "storages.backends.s3.S3Storage"
    assert documents["OPTIONS"]["location"] == "prongsai/document-cache"
    assert documents["OPTIONS"]["file_overwrite"] is True  # a name always holds the same bytes
    assert read["STORAGES"]["default"]["OPTIONS"]["location"] == "prongsai"
    monkeypatch.delenv("PRONGSAI_STORAGE")
    local = settings_with(monkeypatch, tmp_path)["STORAGES"]["documents"]
    assert local["OPTIONS"]["location"] == tmp_path / "var" / "document-cache"


def test_chunks_laid_out_by_one_process_are_found_in_the_bucket_by_another(s3, plan, monkeypatch):  # noqa: F811
    monkeypatch.setattr(pdf, "_store", pdf._Store(pdf.CACHE_BYTES))  # STORAGES["documents"]: the bucket
    first = pdf.render_pdf(plan)
    stored = objects(s3)
    assert stored and all(name.startswith("prongsai/document-cache/") for name in stored)
    assert pdf.last_stats.laid_out > 0
    monkeypatch.setattr(pdf, "_store", pdf._Store(pdf.CACHE_BYTES))  # another process, an empty disk
    second = pdf.render_pdf(plan)
    assert pdf.last_stats.laid_out == 0 and pdf.last_stats.chunks > 0
    assert len(second) == len(first)
