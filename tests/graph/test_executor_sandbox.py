"""Query threads without network, and the size and nesting checks, without a server:
the in-process executor (``memory`` stores), the CLI, and the checks themselves."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from mandategraph.errors import BadParameterError, ForbiddenError, PayloadTooLargeError
from mandategraph.graph.sparql.executor import Executor
from mandategraph.graph.sparql.guard import MAX_CHAIN, MAX_NESTING, check_shape
from mandategraph.graph.sparql.sandbox import QueryThreads, run_isolated
from tests.support import Canary


@pytest.fixture()
def canary() -> Iterator[Canary]:
    listener = Canary()
    yield listener
    listener.close()


def test_a_query_thread_cannot_open_a_socket_and_others_still_can(canary: Canary) -> None:
    def connect() -> str:
        try:
            with socket.create_connection(("127.0.0.1", canary.port)):
                return "connected"
        except PermissionError:
            return "refused"

    assert run_isolated(connect) == "refused"
    assert QueryThreads(2).submit(connect).result() == "refused"
    assert connect() == "connected"  # this thread (the test's) was never sandboxed
    assert run_isolated(connect, network=True) == "connected"


def test_in_process_executor_refuses_service_and_load(canary: Canary) -> None:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.Literal("c"),
                      ox.NamedNode("http://g")))
    with Executor("memory", local_store=store, local_writer=store, timeout=10) as executor:
        for query in (
            f"PREFIX ex: <{canary.url}> SELECT * WHERE {{ SERVICEex:x {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICE SILENT <{canary.url}> {{ ?s ?p ?o }} }}",
            # rdflib cannot parse this one: the engine tries, on a thread with no network
            f"SELECT * WHERE {{ ?s ?p ?o LATERAL {{ SERVICE <{canary.url}> {{ ?s ?p ?x }} }} }}",
        ):
            with pytest.raises(ForbiddenError):
                executor.query(query)
        with pytest.raises(ForbiddenError):
            executor.update(f"PREFIX ex: <{canary.url}> LOADex:JAM INTO GRAPH <urn:x>")
        assert executor.query("ASK { ?s ?p ?o }").body.endswith(b"true}")
    assert canary.connections == 0


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 20_000])
def test_check_shape_refuses_deep_nesting(depth: int) -> None:
    with pytest.raises(BadParameterError, match="nests more than"):
        check_shape("SELECT * WHERE " + "{" * depth + "?s ?p ?o" + "}" * depth)


def test_check_shape_counts_brackets_of_every_kind_but_not_in_strings() -> None:
    check_shape("SELECT * WHERE " + "{" * MAX_NESTING + "?s ?p ?o" + "}" * MAX_NESTING)
    mixed = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * MAX_NESTING + "?o" + ")" * MAX_NESTING
    with pytest.raises(BadParameterError):
        check_shape(mixed + ") }")
    braces_in_text = '{' * 10_000
    check_shape(
        f'SELECT * WHERE {{ ?s ?p "{braces_in_text}" }} # {braces_in_text}\n'
        f'<http://x/{"%7B" * 10}>'
    )


def test_check_shape_refuses_long_operator_chains() -> None:
    chain = " UNION ".join(["{ ?s ?p ?o }"] * (MAX_CHAIN + 2))
    with pytest.raises(BadParameterError, match="UNION"):
        check_shape(f"SELECT * WHERE {{ {chain} }}")
    check_shape("SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 100) + " }")


def test_check_shape_refuses_a_text_over_the_byte_limit() -> None:
    with pytest.raises(PayloadTooLargeError, match="1,000"):
        check_shape("ASK { ?s ?p 'é' }" + " " * 1_000, max_bytes=1_000)
    check_shape("ASK {}", max_bytes=1_000)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mandategraph.api.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_query_with_deep_nesting_is_exit_2_not_a_crash() -> None:
    deep = "SELECT * WHERE " + "{" * 20_000 + "?s ?p ?o" + "}" * 20_000
    result = _cli("--store", "memory", "query", "--text", deep)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") <= 2 and "nests more than" in result.stderr
    chain = "ASK { FILTER(" + "||".join(["1"] * 20_000) + ") }"
    assert _cli("--store", "memory", "query", "--text", chain).returncode == 2


def test_cli_query_cannot_reach_the_network(canary: Canary) -> None:
    result = _cli(
        "--store", "memory", "query", "--text",
        f"PREFIX ex: <{canary.url}> SELECT * WHERE {{ SERVICEex:x {{ ?s ?p ?o }} }}",
    )
    assert result.returncode == 9, result.stderr
    assert canary.connections == 0


def test_using_graph_uri_cannot_inject_sparql() -> None:
    store = ox.Store()
    quad = ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.Literal("c"),
                   ox.NamedNode("http://g"))
    store.add(quad)
    with Executor("memory", local_store=store, local_writer=store) as executor:
        with pytest.raises(BadParameterError, match="using-graph-uri"):
            executor.update(
                "INSERT { GRAPH <http://h> { ?s ?p ?o } } WHERE { ?s ?p ?o }",
                using=["http://g> } ; DROP ALL ; INSERT { <http://x> <http://y> <http://z> } "
                       "WHERE { <http://q"],
            )
    assert list(store) == [quad]
