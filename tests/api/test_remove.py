"""``mandategraph remove``: a document's graph and what only it supported go; the rest
stays; removing again changes nothing; the figures follow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mandategraph.api.cli import app
from mandategraph.graph.removal import remove_document
from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import INFERRED_GRAPH

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "oas-sms-caribbean-sids-activities-2010.fr.txt"
OTHER = ROOT / "tests" / "data" / "en-report-cicad-eastern-caribbean-2012.txt"
SEED_GRAPH = "https://w3id.org/mandategraph/graph/document/oas-sms-caribbean-sids-activities-2010-fr"


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def figures(runner: CliRunner, args: list[str]) -> dict[str, object]:
    code, out, _err = run(runner, *args, "stats", "--json")
    assert code == 0
    return json.loads(out)


@pytest.fixture()
def two_documents(runner: CliRunner, tmp_path: Path) -> list[str]:
    args = ["--store", str(tmp_path / "store")]
    code, _out, err = run(runner, *args, "ingest", str(SEED), str(OTHER), "--no-reason")
    assert code == 0, err
    return args


def test_remove_drops_the_graph_and_the_figures_follow(runner: CliRunner,
                                                       two_documents: list[str]) -> None:
    before = figures(runner, two_documents)
    other_graphs = {g: n for g, n in before["graphs"].items() if g != SEED_GRAPH}  # type: ignore[union-attr]
    code, out, _err = run(runner, *two_documents, "remove",
                          "oas-sms-caribbean-sids-activities-2010-fr", "--no-reason")
    assert code == 0
    assert "removed" in out
    after = figures(runner, two_documents)
    assert after["graphs"] == other_graphs
    assert 0 < after["activities"] < before["activities"]  # type: ignore[operator]


def test_remove_is_idempotent(runner: CliRunner, two_documents: list[str]) -> None:
    assert run(runner, *two_documents, "remove", str(SEED), "--no-reason")[0] == 0
    once = figures(runner, two_documents)
    code, out, _err = run(runner, *two_documents, "remove", str(SEED), "--no-reason")
    assert code == 0 and "nothing to remove" in out
    assert figures(runner, two_documents) == once


def test_remove_by_iri_and_a_bad_name(runner: CliRunner, two_documents: list[str]) -> None:
    code, _out, _err = run(runner, *two_documents, "remove", SEED_GRAPH, "--no-reason")
    assert code == 0
    assert SEED_GRAPH not in figures(runner, two_documents)["graphs"]  # type: ignore[operator]
    code, _out, err = run(runner, *two_documents, "remove", "no such <doc>")
    assert code == 2 and err.startswith("error:")


def test_inferences_only_the_document_supported_go_with_it(tmp_path: Path) -> None:
    from rdflib import Graph, URIRef

    store = Store.open(tmp_path / "store")
    gone = "https://w3id.org/mandategraph/id/document/gone/activity/1"
    kept = "https://w3id.org/mandategraph/id/document/kept/activity/1"
    mg = "https://w3id.org/mandategraph/ontology#"
    for slug, iri in (("gone", gone), ("kept", kept)):
        data = Graph().parse(data=f"<{iri}> a <{mg}Training> .", format="turtle")
        store.replace_graph(
            URIRef(f"https://w3id.org/mandategraph/graph/document/{slug}"),
            data)
    inferred = Graph().parse(data=f"<{gone}> a <{mg}Activity> . <{kept}> a <{mg}Activity> .",
                             format="turtle")
    store.replace_graph(INFERRED_GRAPH, inferred)
    done = remove_document(store, "gone")
    assert done.removed and done.triples == 1
    left = {str(s) for s, _p, _o in store.triples(INFERRED_GRAPH)}
    assert left == {kept}
    assert not remove_document(store, "gone").removed
    store.close()
