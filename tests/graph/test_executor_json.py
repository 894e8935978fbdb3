"""Counting and cutting SPARQL JSON results as they stream out of the engine."""

from __future__ import annotations

import json
import random

import pyoxigraph as ox
import pytest

from graph.executor import _EnoughLinesError, _JsonSolutionSink

TRICKY = [
    "plain", 'quote " inside', "brace },{ inside", 'both },{" and \\ backslash',
    "ends with backslash \\", "new\nline", "unicode é ü 日本", "", '"},{"', "\\\\\"",
]


def results_json(query: str) -> bytes:
    store = ox.Store()
    for index, text in enumerate(TRICKY * 30):
        subject = ox.NamedNode(f"http://example.org/s{index}")
        store.add(ox.Quad(subject, ox.NamedNode("http://example.org/p"), ox.Literal(text)))
        if index % 3 == 0:
            store.add(ox.Quad(subject, ox.NamedNode("http://example.org/q"),
                              ox.Literal(text, language="en")))
    return store.query(query).serialize(format=ox.QueryResultsFormat.JSON)  # type: ignore[union-attr]


QUERIES = [
    "SELECT ?s ?o ?l WHERE { ?s <http://example.org/p> ?o OPTIONAL { ?s <http://example.org/q> ?l } }",
    "SELECT ?unbound WHERE { ?s <http://example.org/p> ?o }",  # empty solutions: {}
    "SELECT ?o WHERE { ?s <http://example.org/p> ?o FILTER(false) }",  # no solution
    "SELECT ?o WHERE { ?s <http://example.org/p> ?o } LIMIT 1",
]


def feed(body: bytes, sink: _JsonSolutionSink, sizes: random.Random) -> None:
    position = 0
    try:
        while position < len(body):
            step = sizes.randint(1, 40)
            sink.write(body[position : position + step])
            position += step
    except _EnoughLinesError:
        pass


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("seed", range(5))
def test_counts_every_solution_whatever_the_chunks(query: str, seed: int) -> None:
    body = results_json(query)
    expected = json.loads(body)["results"]["bindings"]
    sink = _JsonSolutionSink(None)
    feed(body, sink, random.Random(seed))
    data, rows, truncated = sink.value()
    assert (data, rows, truncated) == (body, len(expected), False)


@pytest.mark.parametrize("limit", [1, 2, 7, 299])
@pytest.mark.parametrize("query", QUERIES[:2])
def test_cuts_after_the_limit_and_stays_valid_json(query: str, limit: int) -> None:
    body = results_json(query)
    everything = json.loads(body)
    sink = _JsonSolutionSink(limit)
    feed(body, sink, random.Random(limit))
    data, rows, truncated = sink.value()
    cut = json.loads(data)
    assert truncated and rows == limit
    assert cut["head"] == everything["head"]
    assert cut["results"]["bindings"] == everything["results"]["bindings"][:limit]


def test_no_cut_when_the_result_fits_the_limit() -> None:
    body = results_json(QUERIES[0])
    sink = _JsonSolutionSink(10_000)
    feed(body, sink, random.Random(0))
    assert sink.value() == (body, len(json.loads(body)["results"]["bindings"]), False)
