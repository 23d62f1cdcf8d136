import pytest
from django.core.exceptions import ImproperlyConfigured

from prongsai.lib.env import envbool, envint


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
