"""Reviewers' notes on mandates: written over HTTP only with the update token and by
``mandategraph review``, refused when the decision or reason is bad (nothing stored),
shown beside the computed status, and left alone by rebuilding the registry graph."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from mandategraph.api.app import create_app
from mandategraph.api.cli import app as cli
from mandategraph.api.settings import Settings
from mandategraph.graph.build import build
from mandategraph.graph.mandates import refresh_registry
from mandategraph.graph.reviews import REVIEWS_GRAPH, read_reviews, review_graph
from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import MG
from mandategraph.ontology.validation import validate
from tests.conftest import CORPUS

TOKEN = "s3cret"
FIVE_F = "ag-res-2485-xxxix-o-09/5.f"
FIVE_F_IRI = URIRef(f"https://w3id.org/mandategraph/id/resolution/{FIVE_F}")
BROWSER = {"accept": "text/html"}
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def words(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))).strip()


@pytest.fixture()
def client(built_store: Store) -> Iterator[TestClient]:
    store = Store.open("memory")
    store.oxigraph.extend(built_store.oxigraph.quads_for_pattern(None, None, None, None))
    application = create_app(Settings(store="memory", update_token=TOKEN, query_workers=1),
                             store=store)
    with TestClient(application) as test_client:
        yield test_client


def reviews_in(client: TestClient) -> int:
    """How many triples graph/reviews holds, asked over SPARQL."""
    answer = client.get("/sparql", params={"query": (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{REVIEWS_GRAPH}> {{ ?s ?p ?o }} }}")},
        headers={"accept": "application/sparql-results+json"}).json()
    return int(answer["results"]["bindings"][0]["n"]["value"])


def test_without_the_token_nothing_is_written(client: TestClient) -> None:
    note = {"decision": "retire", "reason": "5.g covers it"}
    assert client.put(f"/api/paragraphs/{FIVE_F}/review", json=note).status_code == 403
    wrong = client.put(f"/api/paragraphs/{FIVE_F}/review", json=note,
                       headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403 and wrong.json()["status"] == 403
    assert reviews_in(client) == 0
    assert client.get(f"/api/paragraphs/{FIVE_F}/review").status_code == 404


def test_with_the_token_the_note_is_stored_and_shown_beside_the_status(
    client: TestClient,
) -> None:
    note = {"decision": "retire", "reason": "text unknown; <b>5.g</b> covers it"}
    done = client.put(f"/api/paragraphs/{FIVE_F}/review", json=note, headers=AUTH)
    assert done.status_code == 200, done.text
    assert done.json()["decision"] == "retire" and done.json()["reason"] == note["reason"]
    assert client.get(f"/api/paragraphs/{FIVE_F}/review").json()["decision"] == "retire"
    # a second note replaces the first
    again = {"decision": "update", "reason": "ask the Secretariat for its text"}
    assert client.put(f"/api/paragraphs/{FIVE_F}/review", json=again,
                      headers=AUTH).status_code == 200
    assert client.get(f"/api/paragraphs/{FIVE_F}/review").json()["reason"] == again["reason"]
    assert reviews_in(client) == 5  # one note: type, mandate, decision, reason, time
    # beside the computed status: the paragraph's page, /compliance, /mandates
    page = client.get(f"/id/resolution/{FIVE_F}", headers=BROWSER).text
    status = words(page[page.index('class="registry-status"'):].split("</p>")[0])
    assert "Status: no indication" in status
    assert "reviewer: update — ask the Secretariat for its text" in status
    compliance = client.get("/compliance?status=no+indication", headers=BROWSER).text
    row = next(r for r in re.findall(r'<tr class="finding".*?</tr>', compliance, flags=re.S)
               if "2485 (XXXIX-O/09) 5.f" in r)
    assert "no indication review: update — ask the Secretariat for its text" in words(row)
    others = [r for r in re.findall(r'<tr class="finding".*?</tr>', compliance, flags=re.S)
              if "5.f" not in r]
    assert others and not any("review:" in r for r in others)
    registry = client.get("/mandates?status=no+indication", headers=BROWSER).text
    assert 'data-decision="update"' in registry


def test_the_markup_of_a_reason_is_escaped(client: TestClient) -> None:
    note = {"decision": "keep", "reason": "<script>alert(1)</script>"}
    assert client.put(f"/api/paragraphs/{FIVE_F}/review", json=note,
                      headers=AUTH).status_code == 200
    page = client.get(f"/id/resolution/{FIVE_F}", headers=BROWSER).text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


@pytest.mark.parametrize(("note", "message"), [
    ({"decision": "drop", "reason": "x"}, "decision must be one of keep, update, retire"),
    ({"decision": "keep", "reason": "   "}, "a review needs a reason"),
])
def test_a_bad_note_is_400_and_nothing_is_stored(client: TestClient, note: dict[str, str],
                                                 message: str) -> None:
    response = client.put(f"/api/paragraphs/{FIVE_F}/review", json=note, headers=AUTH)
    assert response.status_code == 400 and message in response.json()["detail"]
    assert reviews_in(client) == 0


def test_an_unknown_paragraph_is_404(client: TestClient) -> None:
    response = client.put("/api/paragraphs/ag-res-2485-xxxix-o-09/9.z/review",
                          json={"decision": "keep", "reason": "x"}, headers=AUTH)
    assert response.status_code == 404
    assert reviews_in(client) == 0


@pytest.fixture()
def store_copy(built_path: tuple[Path, object], tmp_path: Path) -> str:
    target = tmp_path / "store"
    shutil.copytree(built_path[0], target)
    return str(target)


def test_cli_review_and_rebuilding_leaves_it(store_copy: str) -> None:
    runner = CliRunner()
    done = runner.invoke(cli, ["--store", store_copy, "review", "AG/RES. 2485 (XXXIX-O/09) 5.f",
                               "--decision", "retire", "--reason", "5.g covers it"])
    assert done.exit_code == 0, done.output
    bad = runner.invoke(cli, ["--store", store_copy, "review", FIVE_F,
                              "--decision", "archive", "--reason", "x"])
    assert bad.exit_code == 2 and "decision must be one of keep, update, retire" in bad.output
    blank = runner.invoke(cli, ["--store", store_copy, "review", FIVE_F,
                                "--decision", "keep", "--reason", ""])
    assert blank.exit_code == 2
    missing = runner.invoke(cli, ["--store", store_copy, "review", "ag-res-2485-xxxix-o-09/9.z",
                                  "--decision", "keep", "--reason", "x"])
    assert missing.exit_code == 4
    with Store.open(store_copy) as store:
        before = read_reviews(store)
        assert {k: (r.decision, r.reason) for k, r in before.items()} == {
            str(FIVE_F_IRI): ("retire", "5.g covers it")}
        refresh_registry(store)
        assert read_reviews(store) == before
        # a whole build over the same store rewrites every other graph, not this one
        report = build(store, corpus=CORPUS, reason=False)
        assert not report.failures
        assert read_reviews(store) == before


def test_the_shape_refuses_what_the_writer_refuses() -> None:
    assert validate(review_graph(FIVE_F_IRI, "keep", "still needed")).conforms
    assert not validate(review_graph(FIVE_F_IRI, "drop", "still needed")).conforms
    blank = review_graph(FIVE_F_IRI, "keep", "placeholder")
    node = blank.value(None, MG.reviewOf, FIVE_F_IRI)
    blank.set((node, MG.reviewReason, Literal("  ")))
    assert not validate(blank).conforms
    twice = review_graph(FIVE_F_IRI, "keep", "still needed")
    twice.add((twice.value(None, MG.reviewOf, FIVE_F_IRI), MG.reviewDecision, Literal("retire")))
    assert not validate(twice).conforms
