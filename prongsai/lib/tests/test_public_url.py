from __future__ import annotations

from django.test import RequestFactory

from prongsai.lib.public_url import absolute_url, is_valid_public_url, public_base


def test_without_a_setting_the_address_comes_from_the_request(settings):
    settings.PUBLIC_URL = ""
    request = RequestFactory().get("/data/", HTTP_HOST="localhost")
    assert public_base(request) == "http://localhost"
    assert absolute_url(request, "/data/x.csv") == "http://localhost/data/x.csv"


def test_the_setting_wins_and_keeps_its_path_prefix(settings):
    settings.PUBLIC_URL = "https://prongsai.example.go.th/th/"
    request = RequestFactory().get("/data/", HTTP_HOST="localhost")
    assert absolute_url(request, "/data/x.csv") == "https://prongsai.example.go.th/th/data/x.csv"


def test_only_http_addresses_without_query_or_fragment_are_valid():
    assert is_valid_public_url("https://a.example")
    assert not is_valid_public_url("a.example")
    assert not is_valid_public_url("https://a.example/#x")
