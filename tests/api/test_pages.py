"""The web pages: every page answers with its concrete content, facts show their
quotes, IRIs dereference to HTML or RDF, user text is escaped, errors have a shape."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from _fixtures import (
    ACTIVITY,
    MANDATE_5B,
    MANDATE_5C,
    SENTENCE,
    TEXT,
    WORKSHOP,
    make_app,
    span,
)
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef

from mandategraph.ontology.namespaces import MG, org_iri, state_iri
from mandategraph.queries.catalog import load_catalog

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
ID = "https://w3id.org/mandategraph/id/"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app, _store = make_app(tmp_path_factory.mktemp("pages"))
    with TestClient(app) as test_client:
        yield test_client


def page(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url, headers=BROWSER)
    assert response.status_code == status, (url, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return response.text


# -- every page, with what it must say ---------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", ["Mandates, actors and activities", 'href="/sparql"', 'href="/queries"',
               'href="/activities"', 'href="/mandates"', 'href="/actors"', 'href="/states"',
               'href="/documents"', 'href="/docs"', "border control"]),
        ("/activities", ["customs training in Jamaica", "cybersecurity workshop"]),
        ("/mandates", [MANDATE_5B, MANDATE_5C, "none"]),
        ("/resolutions", ["AG/RES. 2485 (XXXIX-O/09)"]),
        ("/actors", ["CICTE", "Inter-American Committee against Terrorism", "UNODC"]),
        ("/states", ["Jamaica", "Trinidad and Tobago"]),
        ("/documents", ["Report on activities for the small island states (test)"]),
        ("/id/document/test-report/activity/2-1",
         ["customs training in Jamaica", SENTENCE, "in Jamaica", "with UNODC", "for 25 officers",
          "Inter-American Committee against Terrorism", "Jamaica", "border control", "2010",
          "completed", "AG/RES. 2485 (XXXIX-O/09) ¶ 5.b"]),
        ("/id/resolution/ag-res-2485-xxxix-o-09/5.b",
         [MANDATE_5B, "customs training in Jamaica", "AG/RES. 2485 (XXXIX-O/09)"]),
        ("/id/resolution/ag-res-2485-xxxix-o-09/5.c",
         [MANDATE_5C, "No reported activity implements this paragraph."]),
        ("/id/resolution/ag-res-2485-xxxix-o-09", ["5.b", "5.c", MANDATE_5B]),
        ("/id/org/CICTE", ["Inter-American Committee against Terrorism", "Conducted (2)",
                           "customs training in Jamaica", "cybersecurity workshop",
                           "United Nations Office on Drugs and Crime"]),
        ("/id/org/UNODC", ["Partner in (1)", "customs training in Jamaica"]),
        ("/id/state/JAM", ["Jamaica", "OAS member state", "border control", "2010",
                           "customs training in Jamaica"]),
        ("/id/state/TTO", ["cybersecurity", "2009", "cybersecurity workshop"]),
        ("/id/theme/border-control", ["border control", "customs training in Jamaica"]),
        ("/id/document/test-report", ["Report on activities for the small island states (test)",
                                      "customs training in Jamaica", "2) Border control:"]),
        ("/id/document/test-report/section/2", ["customs training in Jamaica"]),
        ("/id/status/completed", ["completed", "customs training in Jamaica"]),
    ],
)
def test_page_answers_with_its_content(client: TestClient, url: str, expected: list[str]) -> None:
    text = page(client, url)
    for snippet in expected:
        assert snippet in text, (url, snippet)


def test_no_page_loads_anything_from_another_host(client: TestClient) -> None:
    for url in ["/", "/activities", "/sparql", "/docs", "/queries/timeline",
                "/id/document/test-report/activity/2-1", "/id/document/test-report"]:
        text = client.get(url, headers=BROWSER).text
        loads = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', text)
        assert loads, url
        for address in loads:
            assert address.startswith("/"), (url, address)


# -- provenance ---------------------------------------------------------------------------


def test_activity_facts_show_their_quotes_with_a_link_to_the_passage(client: TestClient) -> None:
    text = page(client, "/id/document/test-report/activity/2-1")
    start, end, _ = span("with UNODC")
    link = f"/id/document/test-report?highlight={start}-{end}#span-{start}"
    assert f'href="{link}"' in text
    # the quote sits in the same table row as the fact it supports
    row = next(r for r in text.split("<tr>") if "United Nations Office on Drugs and Crime" in r)
    assert "with UNODC" in row


def test_document_page_highlights_the_passage(client: TestClient) -> None:
    start, end, quote = span(SENTENCE)
    text = page(client, f"/id/document/test-report?highlight={start}-{end}")
    assert f'<mark id="span-{start}">{quote}</mark>' in text


def test_highlight_follows_the_quote_when_offsets_drift(client: TestClient) -> None:
    # a span whose offsets count another normalization still finds its words
    start = TEXT.index(WORKSHOP)
    text = page(client, f"/id/document/test-report?highlight={start}-{start + len(WORKSHOP)}")
    assert f'<mark id="span-{start}">{WORKSHOP}</mark>' in text


def test_span_iri_in_a_browser_leads_to_the_highlighted_passage(client: TestClient) -> None:
    start, end, _ = span(SENTENCE)
    response = client.get(f"/id/document/test-report/span/{start}-{end}", headers=BROWSER,
                          follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/id/document/test-report?highlight={start}-{end}#span-{start}"
    )


def test_document_text_is_read_from_the_corpus(client: TestClient) -> None:
    text = page(client, "/id/document/test-report")
    assert "8) Cybersecurity:" in text


# -- escaping -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/id/org/EVIL", "/id/document/test-report/activity/2-1",
                                 "/actors", "/activities", "/id/org/CICTE"])
def test_markup_in_a_label_comes_out_escaped(client: TestClient, url: str) -> None:
    text = page(client, url)
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(" in text


def test_query_string_text_is_escaped(client: TestClient) -> None:
    response = client.get("/activities?mandate=<script>x</script>", headers=BROWSER)
    assert "<script>x</script>" not in response.text


# -- content negotiation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_rdf_clients_get_the_description(client: TestClient, accept: str, rdf_format: str) -> None:
    response = client.get("/id/document/test-report/activity/2-1", headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    assert "accept" in response.headers["vary"].lower()
    graph = Graph().parse(data=response.text, format=rdf_format)
    activity = URIRef(ACTIVITY)
    assert (activity, MG.conductedBy, org_iri("CICTE")) in graph
    assert (activity, MG.beneficiary, state_iri("JAM")) in graph
    # labels of linked nodes come along, and the provenance of each fact
    assert (state_iri("JAM"), None, Literal("Jamaica", lang="en")) in graph
    assert any(str(q) == "with UNODC" for q in graph.objects(None, MG.quote))


def test_format_parameter_overrides_accept(client: TestClient) -> None:
    response = client.get("/id/state/JAM?format=ttl", headers=BROWSER)
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    assert (state_iri("JAM"), None, None) in graph


def test_browser_gets_html_and_a_client_without_preference_too(client: TestClient) -> None:
    assert client.get("/id/state/JAM", headers=BROWSER).headers["content-type"].startswith(
        "text/html")
    assert client.get("/id/state/JAM", headers={"accept": "*/*"}).headers[
        "content-type"].startswith("text/html")


# -- lists: filters and paging --------------------------------------------------------------


def test_activity_list_filters(client: TestClient) -> None:
    text = page(client, "/activities?theme=cybersecurity")
    assert "cybersecurity workshop" in text and "customs training in Jamaica" not in text
    text = page(client, "/activities?state=JAM&year=2010&actor=UNODC&status=completed")
    assert "customs training in Jamaica" in text and "cybersecurity workshop" not in text
    text = page(client, "/activities?mandate=ag-res-2485-xxxix-o-09/5.b")
    assert "customs training in Jamaica" in text and "cybersecurity workshop" not in text


def test_activity_list_pages(client: TestClient) -> None:
    first = page(client, "/activities?limit=1")
    assert "Activities 1–1 of 2" in first
    assert 'href="/activities?limit=1&amp;offset=1"' in first
    second = page(client, "/activities?limit=1&offset=1")
    assert "Activities 2–2 of 2" in second and 'rel="prev"' in second


def test_mandate_list_shows_the_gap(client: TestClient) -> None:
    text = page(client, "/mandates?has_activity=false")
    assert MANDATE_5C in text and MANDATE_5B not in text


def test_bad_filter_value_is_400(client: TestClient) -> None:
    response = client.get("/activities?year=soon", headers={"accept": "application/json"})
    assert response.status_code == 400
    assert response.json()["status"] == 400


# -- errors ------------------------------------------------------------------------------


def test_unknown_iri_is_404_with_the_error_shape(client: TestClient) -> None:
    response = client.get("/id/state/XXX", headers={"accept": "application/json"})
    assert response.status_code == 404
    body = response.json()
    assert set(body) == {"error", "detail", "status"} and body["status"] == 404


def test_unknown_iri_in_a_browser_is_an_html_404(client: TestClient) -> None:
    text = page(client, "/id/state/XXX", status=404)
    assert "404" in text and "Not found" in text


# -- the SPARQL editor and the API docs ---------------------------------------------------


def test_sparql_page_is_yasgui_from_local_assets_with_the_canned_queries(
    client: TestClient,
) -> None:
    text = page(client, "/sparql")
    assert '<script src="/static/vendor/yasgui/yasgui.min.js"></script>' in text
    assert 'data-endpoint="/sparql"' in text
    assert 'data-query="actor-profile"' in text
    data = re.search(r'<script type="application/json" id="canned-queries">(.*?)</script>',
                     text, re.S)
    assert data is not None
    queries = {q["name"]: q for q in json.loads(data.group(1))}
    assert set(queries) == set(load_catalog())
    # written out for any endpoint, with the declared default bound
    profile = queries["actor-profile"]["sparql"]
    assert "PREFIX mg: <https://w3id.org/mandategraph/ontology#>" in profile
    assert '"CICTE"' in profile


def test_sparql_without_query_for_rdf_clients_stays_the_service_description(
    client: TestClient,
) -> None:
    response = client.get("/sparql", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")


def test_static_assets_are_served(client: TestClient) -> None:
    for path in ["/static/style.css", "/static/sparql.js", "/static/favicon.svg"]:
        assert client.get(path).status_code == 200, path


def test_docs_use_local_assets(client: TestClient) -> None:
    text = page(client, "/docs")
    assert "cdn." not in text and "fastapi.tiangolo.com" not in text
    assert client.get("/redoc").status_code == 404


def test_home_links_the_partnership_graph_only_when_served(client: TestClient) -> None:
    from mandategraph.api.pages import has_route

    text = page(client, "/")
    assert ('href="/graph"' in text) == has_route(client.app, "/graph")  # type: ignore[arg-type]


# -- on the built corpus -------------------------------------------------------------------


def test_pages_on_the_built_corpus(request: pytest.FixtureRequest) -> None:
    built_path: tuple[Path, object] = request.getfixturevalue("built_path")
    from mandategraph.api.app import create_app
    from mandategraph.api.settings import Settings

    settings = Settings(store=str(built_path[0]), query_workers=1)
    with TestClient(create_app(settings)) as built:
        for url in ["/", "/activities", "/mandates", "/actors", "/states", "/documents",
                    "/resolutions", "/sparql", "/id/state/JAM", "/id/org/CICTE"]:
            assert built.get(url, headers=BROWSER).status_code == 200, url
        api = built.get("/api/activities?limit=500").json()
        assert api["total"] > 0
        with_quote = [a for a in api["items"] if a["quote"]]
        assert with_quote, "every extracted activity carries its sentence"
        first = with_quote[0]
        text = built.get(first["page"], headers=BROWSER).text
        assert first["quote"].split("\n")[0][:40] in text.replace("&#39;", "'").replace(
            "&#34;", '"')
        detail = built.get(f"/api/activities/{first['id']}").json()
        link = next(s["link"] for f in detail["facts"] for s in f["sources"] if s["link"])
        passage = built.get(link.split("#")[0], headers=BROWSER).text
        assert '<mark id="span-' in passage


def test_docs_fall_back_to_a_plain_page_without_swagger_assets(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import mandategraph.api.rest

    monkeypatch.setattr(mandategraph.api.rest, "SWAGGER_DIR", tmp_path / "missing")
    text = page(client, "/docs")
    assert "/api/activities" in text and "theme" in text and "<script" not in text
