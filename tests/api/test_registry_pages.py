"""The registry on the web pages, over the graph built from the bundled corpus."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from mandategraph.graph.store import Store

BROWSER = {"accept": "text/html"}


@pytest.fixture(scope="module")
def client(built_client: TestClient) -> TestClient:
    return built_client


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_resolution_page_shows_its_lineage(client: TestClient) -> None:
    html = client.get("/id/resolution/ag-res-2485-xxxix-o-09", headers=BROWSER).text
    lineage = html[html.index("<h2>Lineage</h2>"):]
    text = words(lineage)
    # oldest first, each with its adoption
    assert text.index("AG/RES. 1410 (XXVI-O/96)") < text.index("AG/RES. 2325 (XXXVII-O/07)")
    assert "AG/RES. 2325 (XXXVII-O/07) Special Security Concerns of the Small Island States " \
        "of the Caribbean 2007-06-05" in text
    # recalled directly: bold; through AG/RES. 1802 only: not bold
    assert re.search(r"<strong><a href=\"/id/resolution/ag-res-2397-xxxviii-o-08\">", lineage)
    assert re.search(r"<td><a href=\"/id/resolution/ag-res-1744-xxx-o-00\">", lineage)


def test_a_resolution_known_only_from_the_reference_data_has_a_page(client: TestClient) -> None:
    response = client.get("/id/resolution/ag-res-2325-xxxvii-o-07", headers=BROWSER)
    assert response.status_code == 200
    text = words(response.text)
    assert "Special Security Concerns of the Small Island States of the Caribbean" in text
    assert "Adopted: 2007-06-05" in text


def test_acted_on_figures_agree_everywhere(client: TestClient, built_store: Store) -> None:
    """One definition of "acted on" (an activity implements the paragraph or one of its
    sub-paragraphs): the home page, the mandates list, the JSON API, the canned queries
    and the no-activity check give the same figures."""
    from mandategraph.graph.sparql.results import to_table
    from mandategraph.queries.catalog import get_query
    from mandategraph.queries.compliance import run_checks

    home = words(client.get("/", headers=BROWSER).text)
    acted, total = (int(n) for n in re.search(
        r"(\d+) of (\d+) mandates have a reported activity", home).groups())  # type: ignore[union-attr]
    api = client.get("/api/paragraphs", params={"limit": 500}).json()
    api_acted = client.get("/api/paragraphs", params={"has_activity": "true"}).json()["total"]
    page = words(client.get("/mandates?has_activity=false&limit=500", headers=BROWSER).text)
    canned = {(r["resolution"].value, r["paragraph"].value): int(r["activities"].value)
              for r in built_store.query(get_query("mandates").sparql({}))}
    status = {(r["resolution"].value, r["paragraph"].value):
              (r["status"].value, int(r["activities"].value))
              for r in built_store.query(get_query("mandate-status").sparql({}))}
    by_api = {p["id"]: p["activities"] for p in api["items"]}
    assert api["total"] == total == len(canned) == len(status)
    assert api_acted == acted == sum(1 for n in canned.values() if n > 0)
    assert acted == sum(1 for s, _n in status.values()
                        if s in ("implemented", "in progress", "planned only"))
    assert sorted(by_api.values()) == sorted(canned.values()) \
        == sorted(n for _s, n in status.values())
    assert canned == {k: n for k, (_s, n) in status.items()}
    # the paragraphs with no activity: the list, and the check's plus the not applicable
    unacted = {k for k, n in canned.items() if n == 0}
    for _symbol, number in unacted:
        assert number in page
    findings = run_checks(lambda text: to_table(built_store.query(text)),  # type: ignore[arg-type]
                          kinds=["no-activity"])
    checked = {tuple(f.subject.rsplit(" ", 1)) for f in findings}
    not_applicable = {k for k, (s, _n) in status.items() if s == "not applicable"}
    assert checked | not_applicable == unacted
    assert acted == 9 and total == 13  # the seed: 9 acted on, 4 inferred
