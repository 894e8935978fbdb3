"""The network benchmark's synthetic graph: the sizes asked, the same bytes each time.

No timing is asserted here (the machine is shared): benchmarks/RESULTS.md has them.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.bench_network import Figures, synthetic, table
from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import GRAPH
from mandategraph.visualizations.graphs import partnership_graph


def test_synthetic_graph_has_the_actors_and_activities_asked(tmp_path: Path) -> None:
    first, second = tmp_path / "a.nt", tmp_path / "b.nt"
    synthetic(first, actors=120, activities=600)
    synthetic(second, actors=120, activities=600)
    assert first.read_bytes() == second.read_bytes()
    with Store.open("memory") as store:
        store.load_file(first, graph=GRAPH["document/synthetic"])
        rows = store.query("SELECT (COUNT(?a) AS ?n) WHERE { ?a a mg:Activity }")
        assert int(next(iter(rows))["n"].value) == 600  # type: ignore[arg-type]
        graph = partnership_graph(store)
    # every actor that takes part is a node; most of the 120 do
    assert 100 <= graph.number_of_nodes() <= 120
    kinds = {kind for _n, kind in graph.nodes(data="kind")}
    assert kinds == {"oas_body", "partner", "government"}
    quotes = [a["quote"] for a in graph.graph["activities"].values()]
    assert len(quotes) == 600 and all(quotes)


def test_the_table_gives_ratios_against_the_small_graph() -> None:
    small = Figures("small", 19, 49, 19, 27, 0.01, 0.002, 80_000, 0.8)
    big = Figures("big", 2000, 20000, 300, 36000, 10.0, 0.5, 8_000_000, None)
    text = table([small, big])
    assert "(1000×)" in text and "(100×)" in text and "| n/a |" in text
    assert "| 300 / 2,000 |" in text and "| 0.500 s |" in text
