"""``mandategraph network``, ``network stats`` and ``viz``: tables, files that open back."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from mandategraph.api.cli import app
from mandategraph.graph.store import Store
from mandategraph.visualizations.export import JOIN, flat
from mandategraph.visualizations.graphs import partnership_graph

#: Attributes every exported node and edge carries.
NODE_KEYS = {"code", "kind", "label", "iri", "activities", "degree", "weighted_degree",
             "betweenness", "community", "themes", "years", "states", "activity_labels"}
EDGE_KEYS = {"weight", "themes", "years", "states", "activities", "activity_labels",
             "activity_ids"}


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def store_args(built_path: tuple[Path, object]) -> list[str]:
    return ["--store", str(built_path[0])]


def test_stats_for_a_theme_prints_the_figures(runner: CliRunner, store_args: list[str]) -> None:
    code, out, _err = run(runner, *store_args, "network", "stats", "--theme", "cybersecurity",
                          "--json")
    assert code == 0
    stats = json.loads(out)
    actors = {a["code"] for a in stats["actors"]}
    assert "CICTE" in actors and "CICAD" not in actors  # CICAD has no cybersecurity work
    assert stats["summary"]["filters"] == "theme cybersecurity"
    code, out, _err = run(runner, *store_args, "network", "stats", "--theme", "cybersecurity")
    assert code == 0 and "CICTE" in out and "brokers" in out


def test_stats_of_an_unknown_theme_is_exit_2_naming_the_closest(
        runner: CliRunner, store_args: list[str]) -> None:
    code, _out, err = run(runner, *store_args, "network", "stats", "--theme", "cyber-security")
    assert code == 2
    assert err.count("\n") == 1 and "did you mean cybersecurity" in err


def _same_as_flat(graph: nx.Graph, read: nx.Graph) -> None:
    expected = flat(graph)
    assert set(read.nodes) == set(expected.nodes)
    assert {frozenset(e) for e in read.edges} == {frozenset(e) for e in expected.edges}
    for node, data in expected.nodes(data=True):
        assert NODE_KEYS <= set(data), node
        got = read.nodes[node]
        for key, value in data.items():
            assert got[key] == pytest.approx(value) if isinstance(value, float) else (
                got[key] == value), (node, key, got.get(key), value)
    for a, b, data in expected.edges(data=True):
        assert EDGE_KEYS <= set(data), (a, b)
        got = read[a][b]
        assert float(got["weight"]) == float(data["weight"])
        for key in EDGE_KEYS - {"weight"}:
            assert got[key] == data[key], (a, b, key)


@pytest.mark.parametrize("suffix", [".gexf", ".graphml"])
def test_viz_files_open_back_with_the_same_nodes_edges_weights_and_attributes(
        runner: CliRunner, store_args: list[str], built_store: Store, tmp_path: Path,
        suffix: str) -> None:
    target = tmp_path / f"x{suffix}"
    code, _out, err = run(runner, *store_args, "viz", "partnerships", "--out", str(target))
    assert code == 0, err
    read = nx.read_gexf(target) if suffix == ".gexf" else nx.read_graphml(target)
    graph = partnership_graph(built_store)
    assert read.number_of_nodes() == graph.number_of_nodes() > 10
    _same_as_flat(graph, read)
    # the lists survive as "|"-joined text, the numbers as numbers
    cicte = read.nodes["CICTE"]
    assert "cybersecurity" in cicte["themes"].split(JOIN)
    assert isinstance(cicte["betweenness"], float) and cicte["community"] >= 0


def test_viz_json_keeps_lists_and_quotes(runner: CliRunner, store_args: list[str],
                                         tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    code, _out, _err = run(runner, *store_args, "viz", "partnerships", "--out", str(target))
    assert code == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    graph = nx.node_link_graph(data, edges="links")
    edge = graph["CICTE"]["ICAO"]
    assert edge["weight"] == len(edge["activity_ids"]) >= 1
    quotes = [data["graph"]["activities"][a]["quote"] for a in edge["activity_ids"]]
    assert all(quotes) and any("OACI" in q or "ICAO" in q for q in quotes)
    assert isinstance(graph.nodes["CICTE"]["years"], list)


def test_viz_html_is_one_offline_file(runner: CliRunner, store_args: list[str],
                                      tmp_path: Path) -> None:
    from mandategraph.api.cli_network import VIS_JS

    if not VIS_JS.exists():
        pytest.skip("web assets not fetched (make assets)")
    target = tmp_path / "x.html"
    code, _out, _err = run(runner, *store_args, "viz", "partnerships", "--out", str(target))
    assert code == 0
    page = target.read_text(encoding="utf-8")
    assert "@version 10." in page and "src=\"http" not in page
    assert 'id="drawn-note"' not in page  # the corpus is below the default limit
    code, _out, _err = run(runner, *store_args, "viz", "partnerships", "--out", str(target),
                           "--top", "4")
    assert code == 0
    page = target.read_text(encoding="utf-8")
    data = page.split('id="network-data">', 1)[1].split("</script>", 1)[0]
    actors = partnership_graph_size(store_args)
    assert len(json.loads(data)["nodes"]) == 4 < actors
    assert f"Showing 4 of {actors} actors" in page
    code, _out, err = run(runner, *store_args, "viz", "partnerships", "--out", str(target),
                          "--top", "-1")
    assert code == 2 and "--top" in err


def partnership_graph_size(store_args: list[str]) -> int:
    with Store.open(store_args[1], read_only=True) as store:
        return partnership_graph(store).number_of_nodes()


def test_viz_of_an_unknown_extension_is_exit_2(runner: CliRunner, store_args: list[str],
                                               tmp_path: Path) -> None:
    code, _out, err = run(runner, *store_args, "viz", "partnerships", "--out",
                          str(tmp_path / "x.txt"))
    assert code == 2 and ".gexf" in err
    assert not (tmp_path / "x.txt").exists()


@pytest.mark.parametrize("network", ["mandates", "reach"])
def test_the_other_networks_export(runner: CliRunner, store_args: list[str], tmp_path: Path,
                                   network: str) -> None:
    target = tmp_path / "x.graphml"
    code, _out, err = run(runner, *store_args, "viz", network, "--out", str(target))
    assert code == 0, err
    read = nx.read_graphml(target)
    kinds = {data["kind"] for _n, data in read.nodes(data=True)}
    assert ({"mandate", "activity", "oas_body"} <= kinds if network == "mandates"
            else {"state", "oas_body"} <= kinds)


@pytest.mark.parametrize(("name", "suffix", "magic"), [
    ("timeline", ".svg", b"<svg"), ("map", ".png", b"\x89PNG"), ("themes", ".json", b"{"),
    ("partnerships", ".svg", b"<svg"), ("partnerships", ".png", b"\x89PNG")])
def test_viz_charts_and_pictures(runner: CliRunner, store_args: list[str], tmp_path: Path,
                                 name: str, suffix: str, magic: bytes) -> None:
    from mandategraph.api.cli_network import ATLAS

    if name == "map" and not ATLAS.exists():
        pytest.skip("web assets not fetched (make assets)")
    target = tmp_path / f"x{suffix}"
    code, _out, err = run(runner, *store_args, "viz", name, "--out", str(target))
    assert code == 0, err
    assert target.read_bytes().startswith(magic)
    if suffix == ".json":
        assert json.loads(target.read_text())["data"]["values"]
