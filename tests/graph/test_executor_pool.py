"""The worker pool grows while every worker is busy, so slow queries cannot starve
quick ones, and shrinks back when the extra workers are idle."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from mandategraph.errors import QueryTimeoutError
from mandategraph.graph.sparql.executor import Executor

CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture()
def disk_store(tmp_path: Path) -> str:
    location = tmp_path / "store"
    store = ox.Store(str(location))
    data = "\n".join(f"<http://e/{i}> <http://p> {i} ." for i in range(1500))
    store.load(data, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("http://g"))
    store.flush()
    del store
    return str(location)


def _slow(executor: Executor, outcome: list[str]) -> None:
    try:
        executor.query(CROSS_PRODUCT, timeout=4)
        outcome.append("finished")
    except QueryTimeoutError:
        outcome.append("stopped")


def test_a_quick_query_is_served_while_slow_ones_hold_every_worker(disk_store: str) -> None:
    with Executor(disk_store, workers=1, max_workers=3, timeout=3, allocator="system") as executor:
        outcome: list[str] = []
        slow = [threading.Thread(target=_slow, args=(executor, outcome)) for _ in range(2)]
        for thread in slow:
            thread.start()
        # both slow queries hold workers (the first one the only regular one)
        result = executor.query("ASK { ?s ?p ?o }", timeout=3)
        assert result.body.endswith(b"true}")
        for thread in slow:
            thread.join(timeout=30)
        assert outcome == ["stopped", "stopped"]
        assert executor.workers + executor._extra <= 3
        # the stopped workers are replaced in the background; once all are idle, the
        # pool goes back to its regular size as queries come back
        deadline = time.monotonic() + 30
        while executor._idle.qsize() < executor.workers + executor._extra:
            assert time.monotonic() < deadline, "the replacement workers never came"
            time.sleep(0.05)
        assert executor._extra > 0
        for _ in range(6):
            executor.query("ASK { ?s ?p ?o }")
        assert executor._extra == 0


def test_without_room_to_grow_a_quick_query_waits_out_the_timeout(disk_store: str) -> None:
    with Executor(disk_store, workers=1, max_workers=1, timeout=2, allocator="system") as executor:
        outcome: list[str] = []
        slow = threading.Thread(target=_slow, args=(executor, outcome))
        slow.start()
        threading.Event().wait(0.5)
        with pytest.raises(QueryTimeoutError, match="busy"):
            executor.query("ASK { ?s ?p ?o }", timeout=1)
        slow.join(timeout=30)


def test_the_cache_keeps_costly_results_and_not_cheap_ones(disk_store: str) -> None:
    costly = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?p ?d }"
    with Executor(disk_store, workers=1, cache_size=2, allocator="system") as executor:
        first = executor.query(costly)
        assert not first.cached and first.cpu_seconds > 0
        assert executor.query(costly).cached
        # a stream of cheap, distinct queries is not cached, so it evicts nothing
        for value in range(10):
            cheap = executor.query(f"ASK {{ ?s ?p {value} }}")
            assert not cheap.cached
            assert not executor.query(f"ASK {{ ?s ?p {value} }}").cached
        again = executor.query(costly)
        assert again.cached and again.body == first.body


def test_an_update_marks_the_inferred_graph_stale(disk_store: str) -> None:
    from mandategraph.graph.store import STALE_MARKER

    marker = Path(disk_store) / STALE_MARKER
    assert not marker.exists()
    with Executor(disk_store, workers=1, allocator="system") as executor:
        executor.update("INSERT DATA { GRAPH <http://g> { <http://n> <http://p> 1 } }")
    assert marker.exists()


def test_a_derived_value_is_kept_per_generation_and_forgotten_after_a_write(
        disk_store: str) -> None:
    # the network page keeps its drawn network here, beside the cached results
    computed: list[int] = []

    def compute() -> list[int]:
        computed.append(len(computed))
        return [len(computed)]

    with Executor(disk_store, workers=1, cache_size=4, allocator="system") as executor:
        first = executor.derived(("network", "all"), compute)
        assert executor.derived(("network", "all"), compute) is first
        assert executor.derived(("network", "cyber"), compute) is not first
        assert len(computed) == 2
        executor.update("INSERT DATA { GRAPH <http://g> { <http://n> <http://p> 1 } }")
        assert executor.derived(("network", "all"), compute) is not first
        assert len(computed) == 3


def test_a_memory_store_or_no_cache_derives_every_time(disk_store: str) -> None:
    from mandategraph.graph.store import Store

    calls: list[None] = []
    with Store.open("memory") as store, Executor.for_store(store, cache_size=4) as executor:
        assert executor.generation() is None
        executor.derived(("network",), lambda: calls.append(None))
        executor.derived(("network",), lambda: calls.append(None))
    with Executor(disk_store, workers=1, cache_size=0, allocator="system") as executor:
        executor.derived(("network",), lambda: calls.append(None))
        executor.derived(("network",), lambda: calls.append(None))
    assert len(calls) == 4
