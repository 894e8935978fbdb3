"""The SPARQL 1.1 protocol, as a client: queries, updates and Graph Store Protocol
requests to one server, and what its answers mean.

The only module of ``graph/`` that speaks HTTP: a store on a SPARQL server
(:mod:`mandategraph.graph.remote_store`) is reached over it, much as rdflib keeps its
``SPARQLStore`` apart among its store plugins.

:func:`connect` recognises the server by the ``Server`` header of its first answer
(see :class:`Server`). Answers are checked in one place (:meth:`SparqlClient.check`):
Virtuoso's ``X-SQL-State: S1TAT`` (results cut at its timeout, with status 200) is a
:class:`~mandategraph.errors.QueryTimeoutError`, never a result; a refused text is a
:class:`~mandategraph.errors.QuerySyntaxError`, with line and column from Oxigraph's
parser when that refuses it too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from mandategraph.errors import QuerySyntaxError, QueryTimeoutError, StoreError
from mandategraph.graph.sparql.text import syntax_error, tokens
from mandategraph.ontology.namespaces import PREFIXES

#: Where a store location is a server: ``http://`` or ``https://``.
_REMOTE = re.compile(r"^https?://", re.IGNORECASE)
#: Any other URL scheme is refused, not taken for a folder name.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(//|$)")
_DECLARED = re.compile(r"(?im)^\s*PREFIX\s+([\w.-]*):")
_LEADING_BASE = re.compile(r"\s*BASE\s*<[^<>\s]*>", re.IGNORECASE)

RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
#: How long a request waits for the server when no timeout is given (seconds).
DEFAULT_TIMEOUT = 60.0
#: How much longer than the server's timeout the client waits for its answer.
GRACE_SECONDS = 5.0


def is_remote(location: str | Path) -> bool:
    """Whether a store location names a SPARQL server (``http://`` or ``https://``)."""
    return bool(_REMOTE.match(str(location)))


def check_location(location: str | Path) -> None:
    """Refuse a location that is a URL no store speaks (``ftp://...``, ``http:``).

    Raises:
        StoreError: ``location`` looks like a URL and is not ``http(s)://host...``.
    """
    text = str(location)
    if is_remote(text):
        if not urlsplit(text).hostname:
            raise StoreError(f"the store URL {text!r} has no host")
        return
    if _URL.match(text) and not re.match(r"^[A-Za-z]:[\\/]", text):
        raise StoreError(
            f"the store location {text!r} is a URL, but only http:// and https:// servers "
            "are supported (or give a directory, or 'memory')"
        )


def public_url(url: str) -> str:
    """The URL without its user and password (for messages)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def prologue(text: str) -> str:
    """The text with ``PREFIX`` lines for the project's prefixes it uses and does not
    declare, all on one line, so a server's line numbers are off by one at most."""
    declared = {m.lower() for m in _DECLARED.findall(text)}
    missing = [
        f"PREFIX {p}: <{ns}>"
        for p, ns in PREFIXES.items()
        if p.lower() not in declared and f"{p}:" in text
    ]
    if not missing:
        return text
    # after a leading BASE: Virtuoso takes BASE only before the PREFIX lines
    base = _LEADING_BASE.match(text)
    cut = base.end() if base else 0
    return text[:cut] + " " + " ".join(missing) + "\n" + text[cut:]


def plain_bnodes(data: dict[str, Any]) -> bytes:
    """SPARQL JSON results (parsed) with blank node labels pyoxigraph accepts (Virtuoso
    writes ``nodeID://b10001``); one label per node within the answer."""
    labels: dict[str, str] = {}
    for row in data.get("results", {}).get("bindings", []):
        for cell in row.values():
            if cell.get("type") == "bnode":
                cell["value"] = labels.setdefault(cell["value"], f"b{len(labels)}")
    return json.dumps(data).encode("utf-8")


def query_form(text: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the first form keyword outside
    strings, IRIs and comments (``None`` when there is none)."""
    for token in tokens(text):
        if token.keyword in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return token.keyword
    return None


@dataclass(frozen=True)
class Server:
    """How to talk to one kind of SPARQL server.

    * ``oxigraph`` (``oxigraph serve``): ``/query``, ``/update``, ``/store``; the union
      default graph on request (``union-default-graph``); a timeout only at start.
    * ``virtuoso``: ``/sparql``; updates and the Graph Store Protocol behind digest auth
      (``/sparql-auth``, ``/sparql-graph-crud-auth``); ``timeout`` in ms per request.
    * ``sparql``: any other server; the URL given is the query and update endpoint.
    """

    kind: str
    query: str
    update: str
    graph_store: str | None
    #: the Graph Store Protocol's graph parameter
    graph_param: str = "graph"
    #: the server makes the union itself when asked with ``union-default-graph``
    union_param: bool = False
    #: the name of a per-request timeout parameter in milliseconds
    timeout_param: str | None = None


class SparqlClient:
    """Requests to one SPARQL server; use :func:`connect`, then :meth:`close`."""

    def __init__(self, url: str, server: Server, client: httpx.Client) -> None:
        self.location = public_url(url)
        self.server = server
        self._client = client

    def close(self) -> None:
        """Release the connections."""
        self._client.close()

    def send(self, method: str, url: str, *, timeout: float, **kwargs: Any) -> httpx.Response:
        """One request, waiting a little longer than the server is asked to.

        Raises:
            QueryTimeoutError: no answer in time.
            StoreError: the server cannot be reached.
        """
        try:
            return self._client.request(method, url, timeout=timeout + GRACE_SECONDS, **kwargs)
        except httpx.TimeoutException as exc:
            raise QueryTimeoutError(
                f"the SPARQL server did not answer within {timeout:g} s"
            ) from exc
        except httpx.HTTPError as exc:
            raise StoreError(
                f"cannot reach the SPARQL server at {self.location}: {exc}"
            ) from exc

    def check(self, response: httpx.Response, text: str | None, *, doing: str) -> None:
        """Raise what an answer means when it is not a complete success.

        Raises:
            QueryTimeoutError: the server cut the answer at its timeout (Virtuoso's
                ``S1TAT``, even with status 200, or its ``HY008`` cancellation), or
                answered 408/504.
            QuerySyntaxError: it refused ``text`` (400).
            StoreError: any other failure (401/403: credentials).
        """
        if response.status_code < 300:
            if response.headers.get("x-sql-state", "").upper() == "S1TAT":
                raise QueryTimeoutError(
                    "the SPARQL server stopped the query at its timeout (its partial "
                    "results are not returned)"
                )
            return
        message = " ".join(response.text.split())[:300]
        if response.status_code in (400, 406) and text is not None:
            raise refused(text, message)
        if response.status_code in (401, 403):
            raise StoreError(
                f"the SPARQL server at {self.location} refused to {doing} "
                f"(HTTP {response.status_code}): give a user and password in the URL"
            )
        if "estimated execution time" in message.lower():  # Virtuoso's cost estimate
            raise QueryTimeoutError(
                f"the SPARQL server refused the query: it estimates it would run past its "
                f"timeout ({message})"
            )
        if response.status_code >= 500 and "HY008" in message:
            # SQL state HY008, "operation cancelled": Virtuoso gives up a query at its
            # timeout this way when it has no partial answer to send (seen in CI)
            raise QueryTimeoutError(
                f"the SPARQL server cancelled the query at its timeout ({message})"
            )
        if response.status_code in (408, 504) or "timeout" in message.lower():
            raise QueryTimeoutError(f"the SPARQL server stopped the request: {message}")
        raise StoreError(
            f"the SPARQL server at {self.location} could not {doing} "
            f"(HTTP {response.status_code}): {message}"
        )

    def query(
        self, text: str, *, accept: str, params: list[tuple[str, str]], timeout: float,
        source: str | None = None,
    ) -> bytes:
        """POST a query (the project's prefixes added) with protocol ``params``;
        ``source``: the text as its user wrote it (a syntax error's line and column are
        of it), when ``text`` has more (a dataset)."""
        fields = [("query", prologue(text)), *params]
        if self.server.timeout_param:
            fields.append((self.server.timeout_param, str(max(1, int(timeout * 1000)))))
        response = self.send(
            "POST", self.server.query, timeout=timeout, content=urlencode(fields),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        )
        self.check(response, text if source is None else source, doing="run a query")
        return response.content

    def select(
        self, text: str, *, params: list[tuple[str, str]], timeout: float,
        source: str | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean:
        """A SELECT or ASK; results as pyoxigraph objects."""
        content = self.query(text, accept=RESULTS_JSON, params=params, timeout=timeout,
                             source=source)
        try:
            # parsed whole here: pyoxigraph's parser is lazy, and an answer cut short
            # must fail now, not half-way through a page
            data = json.loads(content)
        except ValueError as exc:
            raise self._broken(content, "results", exc) from exc
        if b'"bnode"' in content:
            content = plain_bnodes(data)
        return ox.parse_query_results(content, format=ox.QueryResultsFormat.JSON)

    def _broken(self, content: bytes, what: str, exc: Exception) -> QueryTimeoutError | StoreError:
        """What an answer that does not parse means: the Oxigraph server ends an answer
        it stopped at its ``--timeout-s`` with "The SPARQL operation has been cancelled"
        (status 200, the results cut); anything else is a broken server."""
        if b"has been cancelled" in content[-200:]:
            return QueryTimeoutError(
                "the SPARQL server stopped the query at its timeout (its partial results "
                "are not returned)"
            )
        return StoreError(
            f"the SPARQL server at {self.location} answered {what} that do not parse: {exc}"
        )

    def construct(
        self, text: str, *, params: list[tuple[str, str]], timeout: float,
        source: str | None = None,
    ) -> ox.QueryTriples:
        """A CONSTRUCT or DESCRIBE; the triples as pyoxigraph's ``QueryTriples``."""
        content = self.query(text, accept=f"{NTRIPLES}, text/plain;q=0.5", params=params,
                             timeout=timeout, source=source)
        scratch = ox.Store()
        try:
            scratch.load(content, format=ox.RdfFormat.N_TRIPLES)
        except (SyntaxError, ValueError) as exc:
            raise self._broken(content, "triples", exc) from exc
        # a store's CONSTRUCT gives the QueryTriples every serializer downstream takes
        return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")  # type: ignore[return-value]

    def update(self, text: str, *, timeout: float) -> None:
        """POST a SPARQL Update (the project's prefixes added)."""
        response = self.send(
            "POST", self.server.update, timeout=timeout,
            content=prologue(text).encode("utf-8"),
            headers={"Content-Type": "application/sparql-update"},
        )
        self.check(response, text, doing="run an update")

    def put_graph(self, name: str, body: bytes, *, method: str, timeout: float) -> None:
        """Graph Store Protocol: ``PUT`` (replace) or ``POST`` (add) N-Triples to a graph."""
        assert self.server.graph_store is not None
        response = self.send(
            method, self.server.graph_store, params={self.server.graph_param: name},
            content=body, headers={"Content-Type": NTRIPLES}, timeout=timeout,
        )
        self.check(response, None, doing=f"write graph <{name}>")


def refused(text: str, message: str) -> QuerySyntaxError:
    """A server's refusal of ``text`` as a syntax error, with line and column from
    Oxigraph's parser when it refuses the text too (parsed on an empty store)."""
    try:
        empty = ox.Store()
        if query_form(text) is None:
            empty.update(text, prefixes=PREFIXES)
        else:
            empty.query(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        return syntax_error(exc, text)
    except Exception:  # evaluated on an empty store: not a syntax fault
        pass
    return QuerySyntaxError(f"the SPARQL server refused the query: {message}")


def connect(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> SparqlClient:
    """Reach the server at ``url`` and recognise it (see :class:`Server`).

    A user and password in the URL are sent with digest auth to Virtuoso, basic auth
    to others.

    Raises:
        StoreError: the server cannot be reached or does not answer an ``ASK``.
    """
    check_location(url)
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    origin = urlunsplit((parts.scheme, netloc, "", "", ""))
    given = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    http = httpx.Client(timeout=timeout, follow_redirects=False)
    try:
        probe = http.get(given, headers={"Accept": "*/*"})
    except httpx.HTTPError as exc:
        http.close()
        raise StoreError(f"cannot reach the SPARQL server at {public_url(url)}: {exc}") from exc
    software = probe.headers.get("server", "").lower()
    plain = parts.path in ("", "/")
    if software.startswith("oxigraph") and plain:
        server = Server("oxigraph", f"{origin}/query", f"{origin}/update", f"{origin}/store",
                        union_param=True)
    elif software.startswith("virtuoso") and (plain or parts.path.rstrip("/") == "/sparql"):
        server = Server("virtuoso", f"{origin}/sparql", f"{origin}/sparql-auth",
                        f"{origin}/sparql-graph-crud-auth", timeout_param="timeout")
    else:
        server = Server("sparql", given, given, None)
    if parts.username:
        user, password = unquote(parts.username), unquote(parts.password or "")
        http.auth = (httpx.DigestAuth(user, password) if server.kind == "virtuoso"
                     else httpx.BasicAuth(user, password))
    client = SparqlClient(url, server, http)
    try:
        client.select("ASK { }", params=[], timeout=timeout)
    except StoreError:
        client.close()
        raise
    return client
