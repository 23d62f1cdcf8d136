import pytest

from prongsai.documents import pdf


@pytest.fixture(autouse=True)
def document_cache(tmp_path, monkeypatch):
    """Each test starts with no laid-out chunk kept (they are kept on disk, across processes and runs)."""
    monkeypatch.setattr(pdf._store, "root", tmp_path / "document-cache")
