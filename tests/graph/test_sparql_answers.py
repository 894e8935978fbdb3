"""What a SPARQL server's answer means, in the forms the servers send it.

The servers themselves are exercised in ``test_store_backends.py`` and
``tests/api/test_serve_remote.py``; these are the answers a server gives only
under load (a CI machine saw Virtuoso's ``HY008``), written down so that each
stays classified whatever the machine."""

from __future__ import annotations

import httpx
import pytest

from mandategraph.errors import QuerySyntaxError, QueryTimeoutError, StoreError
from mandategraph.graph.sparql_client import Server, SparqlClient

VIRTUOSO = Server(kind="virtuoso", query="http://127.0.0.1:1/sparql",
                  update="http://127.0.0.1:1/sparql-auth", graph_store=None,
                  timeout_param="timeout")
#: the answer of the failed CI run, as Virtuoso sent it (cut where it named the graphs)
CANCELLED = ("Virtuoso HY008 Error SR203: Async statement execution canceled\n\n"
             "SPARQL query:\nSELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c }")


@pytest.fixture()
def client() -> SparqlClient:
    return SparqlClient("http://127.0.0.1:1/", VIRTUOSO, httpx.Client())


def answer(status: int, body: str = "", **headers: str) -> httpx.Response:
    return httpx.Response(status, text=body, headers=headers)


def test_a_complete_answer_passes(client: SparqlClient) -> None:
    client.check(answer(200, "{}"), "ASK {}", doing="run a query")


def test_partial_results_at_the_timeout_are_a_timeout(client: SparqlClient) -> None:
    with pytest.raises(QueryTimeoutError, match="timeout"):
        client.check(answer(200, '{"results": {"bindings": []}}', **{"X-SQL-State": "S1TAT"}),
                     "SELECT * {}", doing="run a query")


def test_a_cancelled_statement_is_a_timeout(client: SparqlClient) -> None:
    with pytest.raises(QueryTimeoutError, match="cancelled the query at its timeout"):
        client.check(answer(500, CANCELLED), "SELECT * {}", doing="run a query")


def test_the_cost_estimate_is_a_timeout(client: SparqlClient) -> None:
    estimate = ("Virtuoso 42000 Error The estimated execution time 1200 (sec) exceeds "
                "the limit of 400 (sec).")
    with pytest.raises(QueryTimeoutError, match="estimates"):
        client.check(answer(500, estimate), "SELECT * {}", doing="run a query")


def test_other_server_errors_stay_errors(client: SparqlClient) -> None:
    with pytest.raises(StoreError) as caught:
        client.check(answer(500, "Virtuoso 42000 Error SR186: No permission"), "SELECT * {}",
                     doing="run a query")
    assert not isinstance(caught.value, QueryTimeoutError)
    assert "HTTP 500" in str(caught.value)


def test_credentials_refused(client: SparqlClient) -> None:
    with pytest.raises(StoreError, match="user and password"):
        client.check(answer(401, "Unauthorized"), None, doing="update")


def test_a_refused_text_is_a_syntax_error(client: SparqlClient) -> None:
    with pytest.raises(QuerySyntaxError):
        client.check(answer(400, "Virtuoso 37000 Error SP030: syntax error"), "SELEC * {}",
                     doing="run a query")
