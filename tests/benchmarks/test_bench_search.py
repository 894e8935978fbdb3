"""The search benchmark's inputs and table (no timings): the queries are drawn from the
index, the same for a seed, and every figure of a run reaches the table."""

from __future__ import annotations

from benchmarks.bench_search import percentile, queries, table
from mandategraph.graph.search import Entry, build_index


def index() -> object:
    return build_index([
        Entry(f"urn:x:{n}", "activity", f"regional workshop number{n} Kingstown", "text", "en")
        for n in range(50)
    ])


def test_queries_come_from_the_titles_and_repeat_for_a_seed() -> None:
    drawn = queries(index(), 30, 7)
    assert len(drawn) == 30 and drawn == queries(index(), 30, 7)
    words = {w for q in drawn for w in q.split()}
    assert words <= {"regional", "workshop", "Kingstown"} | {f"number{n}" for n in range(50)}
    assert any(" " in q for q in drawn)


def test_percentiles_and_table() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.5) in (50.0, 51.0) and percentile(values, 0.99) == 99.0
    text = table({"triples": 1_000_000, "entries": 10, "load": 10.0, "read": 1.0,
                  "index": 5.0, "queries": 200, "answered": 190, "p50": 0.002,
                  "p99": 0.02, "max": 0.03, "regex_median": 0.5})
    row = text.splitlines()[-1]
    assert "| 1M |" in row and "0.50×" in row and "| 2.00 |" in row and "| 500 |" in row
