"""Serving from memory: the query workers copy the on-disk store into memory, answer
from the copy, and pick up a write to the store by loading fresh copies in the
background while the old ones keep answering. Real worker processes, real store."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from mandategraph.graph.sparql.executor import Executor

EX = "http://example.org/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/p> ?o }"


def write(location: Path, first: int, last: int) -> None:
    """Add ``ex:item/i ex:p i`` for i in [first, last) to the on-disk store."""
    store = ox.Store(str(location))
    for i in range(first, last):
        store.add(
            ox.Quad(
                ox.NamedNode(f"{EX}item/{i}"),
                ox.NamedNode(EX + "p"),
                ox.Literal(i),
                ox.NamedNode(EX + "graph"),
            )
        )
    store.flush()
    del store


def count(executor: Executor) -> int:
    table = executor.table(COUNT)
    return int(table.rows[0][0])


@pytest.fixture
def executor(tmp_path: Path) -> Iterator[Executor]:
    location = tmp_path / "store"
    write(location, 0, 10)
    running = Executor(str(location), workers=2, timeout=30, serve_from_memory=True, cache_size=16)
    running.start()
    try:
        yield running
    finally:
        running.close()


def test_queries_are_answered_from_the_memory_copies(executor: Executor) -> None:
    assert executor.serve_from_memory
    assert count(executor) == 10
    body = executor.query(COUNT, result_format="json").body
    assert b'"10"' in body


def test_a_write_to_the_store_reaches_the_memory_copies(executor: Executor) -> None:
    assert count(executor) == 10  # now in the cache too
    write(Path(executor.location), 10, 25)
    seen = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        seen.append(count(executor))  # old copies answer meanwhile, never an error
        if seen[-1] == 25:
            break
        time.sleep(0.1)
    assert seen[-1] == 25, f"the new data never showed: {seen[-5:]}"
    assert set(seen) <= {10, 25}
    # every worker now answers with the new data (the old copies were retired)
    assert {count(executor) for _ in range(6)} == {25}
