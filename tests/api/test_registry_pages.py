"""The registry on the web pages, over the graph built from the bundled corpus."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from mandategraph.api.app import create_app
from mandategraph.api.settings import Settings
from mandategraph.graph.store import Store

BROWSER = {"accept": "text/html"}


@pytest.fixture(scope="module")
def client(built_store: Store) -> Iterator[TestClient]:
    store = Store.open("memory")
    store.oxigraph.extend(built_store.oxigraph.quads_for_pattern(None, None, None, None))
    app = create_app(Settings(store="memory", query_workers=1), store=store)
    with TestClient(app) as test_client:
        yield test_client


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
