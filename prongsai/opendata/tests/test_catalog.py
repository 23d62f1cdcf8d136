"""The catalogue is valid JSON-LD in the DCAT vocabulary, lists every dataset, and every download resolves."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL
from rdflib.term import Node

from prongsai.opendata import metadata
from prongsai.opendata.tests.helpers import publish
from prongsai.plans import actions

CATALOG = "/data/catalog.jsonld"
GD = Namespace("http://testserver/data/gd#")
GD_REQUIRED = [
    "data_type",
    "title",
    "owner_org",
    "maintainer",
    "notes",
    "tag_string",
    "objective",
    "update_frequency_unit",
    "geo_coverage",
    "data_source",
    "data_format",
    "data_category",
    "license_id",
]


@pytest.fixture
def two_plans(plan, people, org_b):
    publish(plan)
    other = actions.create_plan(
        people["erin"], org_b, slug="2565-2568", title="แผนบางรัก", first_year=2565, last_year=2568
    )
    return [plan, publish(other)]


def graph_of(client) -> tuple[Graph, dict[str, Any]]:
    response = client.get(CATALOG)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    document = json.loads(response.content)
    graph = Graph().parse(data=response.content, format="json-ld")
    return graph, document


def languages(graph: Graph, subject: Node, prop: URIRef) -> set[str | None]:
    """The language tags of ``prop``'s values; a value that is not a literal fails the test."""
    values = list(graph.objects(subject, prop))
    literals = [value for value in values if isinstance(value, Literal)]
    assert literals == values, values
    return {literal.language for literal in literals}


def test_the_catalogue_parses_as_rdf_with_one_dataset_per_plan_and_one_for_the_installation(
    two_plans, client
):
    graph, _document = graph_of(client)
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert catalogs == [URIRef("http://testserver" + CATALOG)]
    datasets = set(graph.objects(catalogs[0], DCAT.dataset))
    assert datasets == set(graph.subjects(RDF.type, DCAT.Dataset))
    identifiers = {str(graph.value(d, DCTERMS.identifier)) for d in datasets}
    assert identifiers == {"all", "wangphai/2561-2564", "bangrak/2565-2568"}


def test_each_dataset_has_the_dcat_ap_properties(two_plans, client):
    graph, _document = graph_of(client)
    licence = URIRef(metadata.fields().licence.url)
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        for prop in (
            DCTERMS.title,
            DCTERMS.description,
            DCTERMS.publisher,
            DCTERMS.spatial,
            DCTERMS.temporal,
        ):
            assert graph.value(dataset, prop) is not None, (dataset, prop)
        for prop in (DCTERMS.issued, DCTERMS.modified, DCAT.landingPage, DCAT.contactPoint, DCAT.theme):
            assert graph.value(dataset, prop) is not None, (dataset, prop)
        titles = languages(graph, dataset, DCTERMS.title)
        assert titles == {"th", "en"}
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert len(distributions) == 6  # items and indicators × CSV, XLSX, JSON
        for distribution in distributions:
            assert graph.value(distribution, RDF.type) == DCAT.Distribution
            assert graph.value(distribution, DCTERMS.license) == licence
            assert graph.value(distribution, DCAT.accessURL) is not None
            assert graph.value(distribution, DCAT.mediaType) is not None
            assert graph.value(distribution, DCTERMS["format"]) is not None
    wangphai = next(d for d in graph.subjects(DCTERMS.identifier, Literal("wangphai/2561-2564")))
    assert graph.value(wangphai, OWL.versionInfo) == Literal("1")
    period = graph.value(wangphai, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.startDate)) == "2017-10-01"
    assert str(graph.value(period, DCAT.endDate)) == "2021-09-30"


def test_every_download_url_resolves(two_plans, client):
    graph, _document = graph_of(client)
    urls = {str(u) for u in graph.objects(None, DCAT.downloadURL)} | {
        str(u) for u in graph.objects(None, DCAT.accessURL)
    }
    assert len(urls) == 6 + 2 * 12  # installation (access = download) and each plan (per revision + latest)
    for url in sorted(urls):
        parts = urlsplit(url)
        assert parts.scheme == "http" and parts.netloc == "testserver"
        response = client.get(parts.path)
        assert response.status_code == 200, url
        assert response["Access-Control-Allow-Origin"] == "*"


def test_each_plans_landing_page_is_its_public_page(two_plans, client):
    graph, _document = graph_of(client)
    wangphai = next(d for d in graph.subjects(DCTERMS.identifier, Literal("wangphai/2561-2564")))
    landing = str(graph.value(wangphai, DCAT.landingPage))
    assert landing == "http://testserver/p/wangphai/plans/2561-2564/"
    assert client.get(urlsplit(landing).path).status_code == 200


def test_each_dataset_carries_the_gd_catalog_fields(two_plans, client):
    graph, document = graph_of(client)
    assert document["@context"]["gd"] == "http://testserver/data/gd#"
    fields = metadata.fields()
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        for name in GD_REQUIRED:
            assert graph.value(dataset, GD[name]) is not None, (dataset, name)
    wangphai = next(d for d in graph.subjects(DCTERMS.identifier, Literal("wangphai/2561-2564")))
    assert str(graph.value(wangphai, GD.data_type)) == "ข้อมูลระเบียน" == fields.gd_plan["data_type"]
    assert str(graph.value(wangphai, GD.objective)) == "พันธกิจหน่วยงาน"
    assert str(graph.value(wangphai, GD.update_frequency_unit)) == "ปี"
    assert str(graph.value(wangphai, GD.geo_coverage)) == "เทศบาล/อบต."
    assert str(graph.value(wangphai, GD.data_category)) == "ข้อมูลสาธารณะ"
    assert str(graph.value(wangphai, GD.owner_org)) == "เทศบาลตำบลวังไผ่"
    assert (
        str(graph.value(wangphai, GD.maintainer)) == "เทศบาลตำบลวังไผ่"
    )  # empty in the file: the organisation
    assert {str(f) for f in graph.objects(wangphai, GD.data_format)} == {"CSV", "XLS", "JSON"}


def test_every_gd_term_is_explained_where_its_iri_points(two_plans, client):
    _graph, document = graph_of(client)
    page = client.get(reverse("opendata:gd_terms")).content.decode()
    terms = {key[3:] for dataset in document["dcat:dataset"] for key in dataset if key.startswith("gd:")}
    assert len(terms) >= len(GD_REQUIRED)
    for term in terms:
        assert f'id="{term}"' in page, term


def test_the_catalogue_values_come_from_the_data_file(two_plans, client, settings, tmp_path):
    data = json.loads(metadata.DEFAULT_FILE.read_text(encoding="utf-8"))
    data["gd_catalog"]["plan"]["objective"] = "เพื่อการให้บริการประชาชน"
    data["licence"]["url"] = "https://example.org/open-data-common"
    path = tmp_path / "fields.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    settings.OPENDATA_CATALOG_FILE = str(path)
    graph, _document = graph_of(client)
    wangphai = next(d for d in graph.subjects(DCTERMS.identifier, Literal("wangphai/2561-2564")))
    assert str(graph.value(wangphai, GD.objective)) == "เพื่อการให้บริการประชาชน"
    assert URIRef("https://example.org/open-data-common") in set(graph.objects(None, DCTERMS.license))


def test_absolute_urls_use_the_public_address_when_it_is_set(two_plans, client, settings):
    settings.PUBLIC_URL = "https://prongsai.example.go.th/"
    document = client.get(CATALOG).json()
    assert document["@id"] == "https://prongsai.example.go.th/data/catalog.jsonld"
    downloads = [
        d["dcat:downloadURL"]["@id"] for ds in document["dcat:dataset"] for d in ds["dcat:distribution"]
    ]
    assert all(url.startswith("https://prongsai.example.go.th/data/") for url in downloads)


def test_an_installation_without_published_plans_has_a_catalogue_with_only_its_own_dataset(plan, client):
    graph, _document = graph_of(client)
    assert {str(graph.value(d, DCTERMS.identifier)) for d in graph.subjects(RDF.type, DCAT.Dataset)} == {
        "all"
    }


@pytest.fixture
def published_risks(two_plans, people):
    """Wang Phai's FY 2562 register published, then revised and its revision 2 published."""
    from prongsai.risks import actions as risk_actions
    from prongsai.risks.tests.public_registers import published_register_with_round

    register = published_register_with_round(two_plans[0].organization, people).register
    second = risk_actions.revise_register(people["alice"], register)
    risk_actions.approve_register(people["bob"], second)
    return risk_actions.publish_register(people["bob"], second)


def test_the_public_risk_register_is_a_dataset_with_its_three_files(published_risks, client):
    graph, _document = graph_of(client)
    registers = list(graph.subjects(DCTERMS.identifier, Literal("wangphai/risks/2562")))
    assert len(registers) == 1  # the year once, at its newest published revision
    dataset = registers[0]
    assert (URIRef("http://testserver" + CATALOG), DCAT.dataset, dataset) in graph
    assert graph.value(dataset, OWL.versionInfo) == Literal("2")
    assert languages(graph, dataset, DCTERMS.title) == {"th", "en"}
    assert str(graph.value(dataset, DCAT.landingPage)).endswith("/p/wangphai/risks/2562/")
    period = graph.value(dataset, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.startDate)) == "2018-10-01"
    assert str(graph.value(period, DCAT.endDate)) == "2019-09-30"
    distributions = list(graph.objects(dataset, DCAT.distribution))
    formats = set()
    for distribution in distributions:
        assert graph.value(distribution, RDF.type) == DCAT.Distribution
        url = str(graph.value(distribution, DCAT.downloadURL))
        formats.add(url.rsplit(".", 1)[1])
        assert client.get(urlsplit(url).path).status_code == 200, url
    assert formats == {"csv", "xlsx", "json"}
    gd_terms = {p for p in graph.predicates(dataset) if str(p).startswith(str(GD))}
    assert {GD[name] for name in ("title", "owner_org", "notes")} <= gd_terms


def test_a_register_not_published_is_not_in_the_catalogue(two_plans, people, client):
    from prongsai.risks import actions as risk_actions

    risk_actions.create_register(people["alice"], two_plans[0].organization, 2562)
    graph, _document = graph_of(client)
    assert not list(graph.subjects(DCTERMS.identifier, Literal("wangphai/risks/2562")))
