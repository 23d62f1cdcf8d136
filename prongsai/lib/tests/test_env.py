import pytest
from django.core.exceptions import ImproperlyConfigured

from prongsai.lib.env import envbool, envchoice, envint, envrequired


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("on", True), (" Yes ", True), ("0", False), ("off", False), ("", True)],
)
def test_booleans_people_write_are_read(monkeypatch, value, expected):
    monkeypatch.setenv("SECURE_COOKIES", value)
    assert envbool("SECURE_COOKIES", True) is expected


@pytest.mark.parametrize("value", ["enabled", "ture", "2"])
def test_a_boolean_it_does_not_understand_stops_the_start_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("SECURE_COOKIES", value)
    with pytest.raises(ImproperlyConfigured, match="SECURE_COOKIES"):
        envbool("SECURE_COOKIES", True)


def test_a_number_it_does_not_understand_stops_the_start(monkeypatch):
    monkeypatch.setenv("MAX_UPLOAD_MB", "20MB")
    with pytest.raises(ImproperlyConfigured, match="MAX_UPLOAD_MB"):
        envint("MAX_UPLOAD_MB", 20)
    monkeypatch.setenv("MAX_UPLOAD_MB", " 25 ")
    assert envint("MAX_UPLOAD_MB", 20) == 25


def test_a_choice_is_read_case_insensitively_and_defaults_when_unset(monkeypatch):
    monkeypatch.delenv("PRONGSAI_STORAGE", raising=False)
    assert envchoice("PRONGSAI_STORAGE", ("filesystem", "s3"), "filesystem") == "filesystem"
    monkeypatch.setenv("PRONGSAI_STORAGE", " S3 ")
    assert envchoice("PRONGSAI_STORAGE", ("filesystem", "s3"), "filesystem") == "s3"


def test_a_choice_it_does_not_know_stops_the_start_naming_the_choices(monkeypatch):
    monkeypatch.setenv("PRONGSAI_STORAGE", "minio")
    with pytest.raises(ImproperlyConfigured, match=r"PRONGSAI_STORAGE.*filesystem, s3"):
        envchoice("PRONGSAI_STORAGE", ("filesystem", "s3"), "filesystem")


def test_a_required_value_is_read_from_its_file_or_stops_the_start(monkeypatch, tmp_path):
    monkeypatch.delenv("PRONGSAI_S3_BUCKET", raising=False)
    monkeypatch.delenv("PRONGSAI_S3_BUCKET_FILE", raising=False)
    with pytest.raises(ImproperlyConfigured, match=r"PRONGSAI_S3_BUCKET.*evidence"):
        envrequired("PRONGSAI_S3_BUCKET", "evidence in S3")
    secret = tmp_path / "bucket"
    secret.write_text("prongsai-evidence\n", encoding="utf-8")
    monkeypatch.setenv("PRONGSAI_S3_BUCKET_FILE", str(secret))
    assert envrequired("PRONGSAI_S3_BUCKET", "evidence in S3") == "prongsai-evidence"
