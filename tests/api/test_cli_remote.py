"""The command line on a SPARQL server: a URL is a server, never a folder; build, query
and stats run on Oxigraph server and Virtuoso, with the query safety rules kept."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mandategraph.api.cli import app
from tests.remote_servers import free_port


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_store_url_with_no_server_is_an_error_not_a_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # regression: `--store http://127.0.0.1:7878 build` built into a folder named "http:"
    monkeypatch.chdir(tmp_path)
    url = f"http://127.0.0.1:{free_port()}"
    code, _out, err = run(runner, "--store", url, "build", "--no-reason")
    assert code == 7
    assert "cannot reach the SPARQL server" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_url_of_another_scheme_is_refused(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(runner, "--store", "ftp://127.0.0.1/store", "build")
    assert code == 7
    assert "only http:// and https://" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.server
@pytest.mark.parametrize("server", ["oxigraph", "virtuoso"])
def test_build_query_and_stats_on_a_server(
    server: str, request: pytest.FixtureRequest, runner: CliRunner, tmp_path: Path
) -> None:
    from tests.remote_fixtures import backend_location

    url = backend_location(request, server, tmp_path)
    code, _out, err = run(runner, "--store", url, "build", "--no-reason")
    assert code == 0, err
    code, out, err = run(runner, "--store", url, "stats", "--json")
    assert code == 0, err
    figures = json.loads(out)
    assert figures["documents"] == 1
    assert figures["activities"] > 0
    assert figures["inferred"] == "stale"  # built without reasoning
    code, out, err = run(runner, "--store", url, "query", "--format", "json", "--text",
                         "SELECT (COUNT(?a) AS ?n) WHERE { ?a a mg:Activity }")
    assert code == 0, err
    count = int(json.loads(out)["results"]["bindings"][0]["n"]["value"])
    assert count == figures["activities"]
    # the server would run SERVICE itself: refused before anything is sent
    code, _out, err = run(runner, "--store", url, "query", "--text",
                          "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert code == 9, err
    code, _out, err = run(runner, "--store", url, "query", "--text",
                          "SELECT * WHERE { SERVICEex:x { ?s ?p ?o } }")
    assert code == 9, err
    code, out, err = run(runner, "--store", url, "query", "activities", "--format", "csv")
    assert code == 0, err
    table = list(csv.reader(io.StringIO(out)))
    assert table[0][0] == "activity"
    assert len(table) > 1


@pytest.mark.server
def test_register_graphs_brings_a_bulk_loaded_graph_into_the_union(
    request: pytest.FixtureRequest, runner: CliRunner, tmp_path: Path
) -> None:
    from mandategraph.graph.remote_store import RemoteStore
    from mandategraph.ontology.namespaces import GRAPH
    from tests.remote_fixtures import backend_location

    url = backend_location(request, "virtuoso", tmp_path)
    code, _out, err = run(runner, "--store", url, "build", "--no-reason")
    assert code == 0, err
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/loaded> ?o }"

    def loaded() -> int:
        code, out, err = run(runner, "--store", url, "query", "--format", "json", "--text",
                             count)
        assert code == 0, err
        return int(json.loads(out)["results"]["bindings"][0]["n"]["value"])

    with RemoteStore.open(url) as store:  # another tool's load: no record of the graph
        store.update_raw(f"INSERT DATA {{ GRAPH <{GRAPH['document/dump']}> {{ "
                         "<http://example.org/x> <http://example.org/loaded> 1 } }")
    assert loaded() == 0
    code, out, err = run(runner, "--store", url, "register-graphs")
    assert code == 0, err
    assert "graphs recorded for the union" in out
    assert loaded() == 1
