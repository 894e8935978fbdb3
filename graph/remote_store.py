"""The store on a SPARQL server: the interface of :class:`~mandategraph.graph.store.Store`
over SPARQL 1.1 Query, Update and the Graph Store Protocol.

``Store.open("http://host:port/...")`` (``--store`` or ``MANDATEGRAPH_STORE``) returns a
:class:`RemoteStore`. The server is recognised by the ``Server`` header of its answer:

* **Oxigraph server** (``oxigraph serve``): ``/query``, ``/update``, ``/store``; the union
  default graph with the ``union-default-graph`` parameter; a document is replaced by one
  update (``DROP`` + ``INSERT DATA``), which the server runs as one transaction.
* **Virtuoso** (``virtuoso-t``): ``/sparql`` for queries, ``/sparql-auth`` for updates and
  ``/sparql-graph-crud-auth`` for the Graph Store Protocol, both with HTTP digest auth
  (user and password in the URL: ``http://dba:secret@host:8890/``). Its default graph holds
  system graphs too, so queries get the project's graphs as ``default-graph-uri`` and
  ``named-graph-uri``. It has no multi-request transactions: a document is uploaded to a
  staging graph first, then moved over the old one (best effort: a failed upload leaves
  the old graph, the move itself is not atomic). ``timeout`` bounds each query on the
  server; an answer cut by it (``X-SQL-State: S1TAT``) is a timeout, never a result.
* **Any other server**: the URL is the query and update endpoint; the union and the
  replacement work as for Virtuoso, a document in one update.

Bookkeeping lives in a graph of its own, :data:`META_GRAPH`: whether ``graph/inferred``
is stale, and a *generation* token that every write through mandategraph changes (the
result cache of :mod:`mandategraph.graph.sparql.remote_executor` keys on it).

Results come back as pyoxigraph objects (SELECT/ASK parsed from SPARQL JSON, graphs from
N-Triples), so everything downstream (pages, canned queries, serializers) is the same as
for the embedded store.
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from mandategraph.errors import (
    BadParameterError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreError,
    UnknownFormatError,
)
from mandategraph.graph.sparql.formats import EXPORT_FORMATS
from mandategraph.graph.sparql.text import names_dataset, syntax_error, with_values
from mandategraph.graph.store import MEMORY, GraphCount, Store, _to_ox
from mandategraph.ontology.namespaces import GRAPH, PREFIXES

#: Where a store location is a server: ``http://`` or ``https://``.
_REMOTE = re.compile(r"^https?://", re.IGNORECASE)
#: Any other URL scheme is refused, not taken for a folder name.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(//|$)")

#: The graph of mandategraph's own bookkeeping on a server (outside the project's graphs).
META_GRAPH = "urn:mandategraph:meta"
_STALE = "urn:mandategraph:inferredStale"
_GENERATION = "urn:mandategraph:generation"
#: Prefix of the graphs a document is uploaded to before it replaces the old one.
STAGING_PREFIX = "urn:mandategraph:staging:"
#: The project's graphs: what the union default graph is made of.
PROJECT_PREFIX = str(GRAPH)
#: The update that marks ``graph/inferred`` stale.
STALE_UPDATE = f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> <{_STALE}> true }} }}"

_RESULTS_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
#: How long a store call waits for the server when no timeout is given (seconds).
DEFAULT_TIMEOUT = 60.0
#: How long the list of the project's graphs is reused (servers whose union is explicit).
GRAPH_LIST_SECONDS = 1.0
_DECLARED = re.compile(r"(?im)^\s*PREFIX\s+([\w.-]*):")


def is_remote(location: str | Path) -> bool:
    """Whether a store location names a SPARQL server (``http://`` or ``https://``)."""
    return bool(_REMOTE.match(str(location)))


def check_location(location: str | Path) -> None:
    """Refuse a location that is a URL of a scheme no store speaks (``ftp://``, ``http:``).

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


@dataclass(frozen=True)
class Server:
    """How to talk to one kind of SPARQL server."""

    kind: str  # "oxigraph", "virtuoso" or "sparql"
    query: str
    update: str
    graph_store: str | None
    #: the Graph Store Protocol's graph parameter
    graph_param: str = "graph"
    #: the server makes the union itself when asked with ``union-default-graph``
    union_param: bool = False
    #: the name of a per-request timeout parameter in milliseconds
    timeout_param: str | None = None


def _public(url: str) -> str:
    """The URL without its user and password (for messages)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _prologue(text: str) -> str:
    """``PREFIX`` lines for the project's prefixes a text uses and does not declare, on
    one line, so a server's line numbers are off by one at most."""
    declared = {m.lower() for m in _DECLARED.findall(text)}
    missing = [
        f"PREFIX {p}: <{ns}>"
        for p, ns in PREFIXES.items()
        if p.lower() not in declared and f"{p}:" in text
    ]
    return (" ".join(missing) + "\n" + text) if missing else text


def _ox_to_rdflib(term: Any) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"cannot convert {term!r}")


def _term_sparql(term: Any) -> str:
    """An rdflib or pyoxigraph term as SPARQL text (IRIs and literals only)."""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return str(term)
    return str(_to_ox(term))


def nt_body(triples: Iterable[tuple[Node, Node, Node]]) -> tuple[bytes, int]:
    """N-Triples of rdflib triples, and their count."""
    rows = [ox.Triple(_to_ox(s), _to_ox(p), _to_ox(o)) for s, p, o in triples]  # type: ignore[arg-type]
    return ox.serialize(rows, format=ox.RdfFormat.N_TRIPLES) or b"", len(rows)


class RemoteQuads:
    """The two pattern look-ups of :class:`pyoxigraph.Store` the pages use, over SPARQL."""

    def __init__(self, store: RemoteStore) -> None:
        self._store = store

    def quads_for_pattern(
        self, subject: Any, predicate: Any, obj: Any, graph: Any = None
    ) -> Iterator[ox.Quad]:
        """Quads of the project's graphs matching the pattern (``None``: any)."""
        bound = {"s": subject, "p": predicate, "o": obj, "g": graph}
        values = " ".join(
            f"VALUES ?{k} {{ {_term_sparql(v)} }}" for k, v in bound.items() if v is not None
        )
        results = self._store.select_raw(
            f"SELECT ?s ?p ?o ?g WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }}"
        )
        for row in results:  # type: ignore[union-attr]
            g = row["g"]
            if g is None or not self._store.is_project_graph(g.value):
                continue
            yield ox.Quad(row["s"], row["p"], row["o"], g)  # type: ignore[arg-type]

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        """The project's named graphs."""
        for name in self._store.project_graphs(fresh=True):
            yield ox.NamedNode(name)


class RemoteStore(Store):
    """A :class:`~mandategraph.graph.store.Store` on a SPARQL server (see the module)."""

    remote = True

    def __init__(
        self,
        url: str,
        server: Server,
        client: httpx.Client,
        *,
        read_only: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.location = _public(url)
        self.url = url
        self.read_only = read_only
        self.server = server
        self.timeout = timeout
        self._client = client
        self._inner = None  # type: ignore[assignment]
        self._stale_in_memory = False
        self.dataset = None  # type: ignore[assignment]
        self._graphs: tuple[float, list[str]] = (0.0, [])

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, location: str | Path = MEMORY, *, read_only: bool = False) -> RemoteStore:
        """Connect to the server at ``location`` and recognise what it is.

        Raises:
            StoreError: the server cannot be reached or does not answer SPARQL.
        """
        url = str(location)
        check_location(url)
        parts = urlsplit(url)
        auth: httpx.Auth | None = None
        if parts.username:
            auth = httpx.DigestAuth(unquote(parts.username), unquote(parts.password or ""))
        netloc = parts.hostname or ""
        if parts.port:
            netloc = f"{netloc}:{parts.port}"
        origin = urlunsplit((parts.scheme, netloc, "", "", ""))
        given = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
        client = httpx.Client(timeout=DEFAULT_TIMEOUT, follow_redirects=False)
        try:
            probe = client.get(given, headers={"Accept": "*/*"})
        except httpx.HTTPError as exc:
            client.close()
            raise StoreError(f"cannot reach the SPARQL server at {_public(url)}: {exc}") from exc
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
        if auth is not None:
            client.auth = auth if server.kind == "virtuoso" else httpx.BasicAuth(
                unquote(parts.username or ""), unquote(parts.password or ""))
        store = cls(url, server, client, read_only=read_only)
        try:
            store.select_raw("ASK { }", dataset=False)
        except StoreError:
            client.close()
            raise
        return store

    def close(self) -> None:
        """Release the HTTP connections."""
        self._client.close()

    @property
    def oxigraph(self) -> Any:
        """Pattern look-ups over SPARQL (:class:`RemoteQuads`), for the pages."""
        return RemoteQuads(self)

    # -- HTTP ----------------------------------------------------------------------------

    def _send(self, method: str, url: str, *, timeout: float | None = None,
              **kwargs: Any) -> httpx.Response:
        limit = self.timeout if timeout is None else timeout
        try:
            # the client waits a little longer than the server is asked to
            return self._client.request(method, url, timeout=limit + 5.0, **kwargs)
        except httpx.TimeoutException as exc:
            raise QueryTimeoutError(
                f"the SPARQL server did not answer within {limit:g} s"
            ) from exc
        except httpx.HTTPError as exc:
            raise StoreError(
                f"cannot reach the SPARQL server at {self.location}: {exc}"
            ) from exc

    def _check(self, response: httpx.Response, text: str | None, *, doing: str) -> None:
        if response.status_code < 300:
            if response.headers.get("x-sql-state", "").upper() == "S1TAT":
                raise QueryTimeoutError(
                    "the SPARQL server stopped the query at its timeout (partial results "
                    "are not returned)"
                )
            return
        message = " ".join(response.text.split())[:300]
        if response.status_code in (400, 406) and text is not None:
            raise self._syntax(text, message)
        if response.status_code in (401, 403):
            raise StoreError(
                f"the SPARQL server at {self.location} refused to {doing} "
                f"(HTTP {response.status_code}): give a user and password in the URL"
            )
        if response.status_code in (408, 504) or "timeout" in message.lower():
            raise QueryTimeoutError(f"the SPARQL server stopped the request: {message}")
        raise StoreError(
            f"the SPARQL server at {self.location} could not {doing} "
            f"(HTTP {response.status_code}): {message}"
        )

    @staticmethod
    def _syntax(text: str, message: str) -> QuerySyntaxError | BadParameterError:
        """A server's refusal as a syntax error, with line and column from Oxigraph's
        parser when it refuses the text too."""
        try:
            empty = ox.Store()
            if re.search(r"(?i)\b(INSERT|DELETE|CLEAR|DROP|CREATE|COPY|MOVE|ADD|WITH)\b",
                         text) and not re.search(r"(?i)\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", text):
                empty.update(text, prefixes=PREFIXES)
            else:
                empty.query(text, prefixes=PREFIXES)
        except SyntaxError as exc:
            return syntax_error(exc, text)
        except Exception:  # evaluated on an empty store: not a syntax fault
            pass
        return QuerySyntaxError(f"the SPARQL server refused the query: {message}")

    def _dataset(self, text: str) -> list[tuple[str, str]]:
        """The request parameters that make the union of the project's graphs the
        default graph (none when the query has its own ``FROM``)."""
        if names_dataset(text):
            return []
        if self.server.union_param:
            return [("union-default-graph", "")]
        graphs = self.project_graphs()
        if not graphs:
            # no project graph yet: an unknown graph makes an empty default graph
            graphs = [str(GRAPH["none"])]
        return [("default-graph-uri", g) for g in graphs] + [
            ("named-graph-uri", g) for g in graphs
        ]

    def _query_request(
        self,
        text: str,
        *,
        accept: str,
        dataset: bool | list[tuple[str, str]] = True,
        timeout: float | None = None,
    ) -> httpx.Response:
        params: list[tuple[str, str]] = [("query", _prologue(text))]
        if isinstance(dataset, list):
            params += dataset
        elif dataset:
            params += self._dataset(text)
        limit = self.timeout if timeout is None else timeout
        if self.server.timeout_param:
            params.append((self.server.timeout_param, str(max(1, int(limit * 1000)))))
        response = self._send(
            "POST", self.server.query, timeout=limit, content=urlencode(params),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        )
        self._check(response, text, doing="run a query")
        return response

    def select_raw(
        self,
        text: str,
        *,
        dataset: bool | list[tuple[str, str]] = True,
        timeout: float | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean:
        """Run a SELECT or ASK on the server; results as pyoxigraph objects."""
        response = self._query_request(text, accept=_RESULTS_JSON, dataset=dataset,
                                       timeout=timeout)
        try:
            return ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(
                f"the SPARQL server at {self.location} answered results that do not parse: "
                f"{exc}"
            ) from exc

    def construct_raw(
        self,
        text: str,
        *,
        dataset: bool | list[tuple[str, str]] = True,
        timeout: float | None = None,
    ) -> ox.QueryTriples:
        """Run a CONSTRUCT or DESCRIBE on the server; triples as pyoxigraph's own."""
        response = self._query_request(text, accept=f"{_NTRIPLES}, text/plain;q=0.5",
                                       dataset=dataset, timeout=timeout)
        scratch = ox.Store()
        try:
            scratch.load(response.content, format=ox.RdfFormat.N_TRIPLES)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(
                f"the SPARQL server at {self.location} answered triples that do not parse: "
                f"{exc}"
            ) from exc
        # a store's CONSTRUCT gives the QueryTriples every serializer downstream takes
        return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")  # type: ignore[return-value]

    def update_raw(self, text: str, *, timeout: float | None = None) -> None:
        """Run a SPARQL Update on the server (no generation change)."""
        response = self._send(
            "POST", self.server.update, timeout=timeout,
            content=_prologue(text).encode("utf-8"),
            headers={"Content-Type": "application/sparql-update"},
        )
        self._check(response, text, doing="run an update")

    def _put_graph(self, name: str, body: bytes, *, method: str = "PUT") -> None:
        assert self.server.graph_store is not None
        response = self._send(
            method, self.server.graph_store, params={self.server.graph_param: name},
            content=body, headers={"Content-Type": _NTRIPLES},
            timeout=max(self.timeout, 600.0),
        )
        self._check(response, None, doing=f"write graph <{name}>")

    # -- the project's graphs -----------------------------------------------------------

    @staticmethod
    def is_project_graph(name: str) -> bool:
        """Whether a graph is one of the project's (not bookkeeping, staging or a server's)."""
        return name.startswith(PROJECT_PREFIX)

    def project_graphs(self, *, fresh: bool = False) -> list[str]:
        """The names of the project's graphs on the server, sorted (reused for
        :data:`GRAPH_LIST_SECONDS` unless ``fresh``)."""
        at, names = self._graphs
        if not fresh and time.monotonic() - at < GRAPH_LIST_SECONDS:
            return names
        rows = self.select_raw(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER(STRSTARTS(STR(?g), \"{PROJECT_PREFIX}\")) }}",
            dataset=False,
        )
        names = sorted(row["g"].value for row in rows)  # type: ignore[union-attr, index]
        self._graphs = (time.monotonic(), names)
        return names

    def generation(self) -> str:
        """The token every write through mandategraph changes ("" before the first)."""
        rows = self.select_raw(
            f"SELECT ?v WHERE {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> <{_GENERATION}> ?v }} }}",
            dataset=False,
        )
        values = sorted(row["v"].value for row in rows)  # type: ignore[union-attr, index]
        return values[0] if values else ""

    def _bump(self) -> str:
        token = uuid.uuid4().hex
        return (
            f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> <{_GENERATION}> ?v }} }} ;\n"
            f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> <{_GENERATION}> "
            f"\"{token}\" }} }}"
        )

    def touched(self) -> None:
        """Record a write made outside :meth:`replace_graph` (new generation)."""
        self.update_raw(self._bump())
        self._graphs = (0.0, [])

    # -- writing -------------------------------------------------------------------------

    def replace_graph(self, name: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> int:
        """Replace a named graph on the server (see the module for each server's way).

        Returns:
            The number of triples written.
        """
        self._check_writable()
        body, count = nt_body(triples)
        if self.server.graph_store is not None and not self.server.union_param:
            # Virtuoso: upload beside the old graph, then move it over in one request
            staging = STAGING_PREFIX + hashlib.sha256(str(name).encode()).hexdigest()[:32]
            self._put_graph(staging, body)
            self.update_raw(
                f"DROP SILENT GRAPH <{name}> ;\nMOVE SILENT GRAPH <{staging}> TO <{name}> ;\n"
                + self._bump()
            )
        else:
            # one update: one transaction on the Oxigraph server
            self.update_raw(
                f"DROP SILENT GRAPH <{name}> ;\n"
                f"INSERT DATA {{ GRAPH <{name}> {{\n{body.decode('utf-8')}}} }} ;\n"
                + self._bump()
            )
        self._graphs = (0.0, [])
        return count

    def load_file(self, path: str | Path, *, graph: URIRef, fmt: str = "nt") -> None:
        """Add an RDF file to a named graph (Graph Store Protocol POST where there is one)."""
        self._check_writable()
        data = Path(path).read_bytes()
        if fmt != "nt":
            rdf_format = EXPORT_FORMATS[fmt][0]
            data = ox.serialize(ox.parse(data, format=rdf_format),  # type: ignore[arg-type]
                                format=ox.RdfFormat.N_TRIPLES) or b""
        if self.server.graph_store is not None:
            self._put_graph(str(graph), data, method="POST")
            self.touched()
        else:
            self.update_raw(f"INSERT DATA {{ GRAPH <{graph}> {{\n{data.decode()}}} }}")
            self.touched()

    def mark_inferred_stale(self) -> None:
        """Record on the server that ``graph/inferred`` no longer covers what is stored."""
        self._check_writable()
        self.update_raw(STALE_UPDATE)

    def mark_inferred_current(self) -> None:
        """Record on the server that ``graph/inferred`` was just computed."""
        self._check_writable()
        self.update_raw(
            f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> <{_STALE}> ?v }} }}"
        )

    @property
    def inferred_stale(self) -> bool:
        """Whether a write changed the data after ``graph/inferred`` was computed."""
        result = self.select_raw(
            f"ASK {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> <{_STALE}> ?v }} }}", dataset=False
        )
        return bool(result)

    def inferred_state(self) -> str:
        """``stale``, ``current``, or ``absent`` (never reasoned)."""
        if self.inferred_stale:
            return "stale"
        present = self.select_raw(
            f"ASK {{ GRAPH <{GRAPH['inferred']}> {{ ?s ?p ?o }} }}", dataset=False
        )
        return "current" if bool(present) else "absent"

    def update(self, text: str, *, timeout: float | None = None) -> None:
        """Run a SPARQL 1.1 Update on the server, then record a new generation.

        Raises:
            QuerySyntaxError: the server refuses the update.
        """
        self._check_writable()
        self.update_raw(text, timeout=timeout)
        self.touched()

    # -- reading -------------------------------------------------------------------------

    def query(
        self,
        text: str,
        *,
        bindings: Mapping[str, Identifier] | None = None,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        timeout: float | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a SPARQL query on the server; pyoxigraph results, as the embedded store.

        The default graph is the union of the project's graphs unless the query has
        ``FROM`` or ``default_graphs`` is given.

        Raises:
            QuerySyntaxError: the query does not parse.
            QueryTimeoutError: the server stopped it, or did not answer in time.
            StoreError: the server cannot be reached or failed.
        """
        if bindings:
            text = with_values(text, bindings)
        dataset: bool | list[tuple[str, str]] = True
        if default_graphs or named_graphs:
            dataset = [("default-graph-uri", g) for g in default_graphs or ()] + [
                ("named-graph-uri", g) for g in named_graphs or ()
            ]
        if query_form(text) in ("CONSTRUCT", "DESCRIBE"):
            return self.construct_raw(text, dataset=dataset, timeout=timeout)
        return self.select_raw(text, dataset=dataset, timeout=timeout)

    def graphs(self) -> list[GraphCount]:
        """The project's named graphs with their triple counts, sorted by name."""
        rows = self.select_raw(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER(STRSTARTS(STR(?g), \"{PROJECT_PREFIX}\")) }} GROUP BY ?g ORDER BY ?g",
            dataset=False,
        )
        found = [GraphCount(row["g"].value, int(row["n"].value)) for row in rows]  # type: ignore[union-attr, index]
        return sorted(found, key=lambda g: g.graph)

    def document_graphs(self) -> list[str]:
        """IRIs of the per-document named graphs."""
        prefix = str(GRAPH["document/"])
        return [g for g in self.project_graphs(fresh=True) if g.startswith(prefix)]

    def snapshot(self) -> Store:
        """A copy of the project's graphs in an in-memory embedded store."""
        copy = ox.Store()
        rows = self.select_raw(
            "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER(STRSTARTS(STR(?g), \"{PROJECT_PREFIX}\")) }}",
            dataset=False, timeout=max(self.timeout, 600.0),
        )
        copy.extend(ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows)  # type: ignore[arg-type, index, union-attr]
        return Store(copy, location=MEMORY)

    def export(self, fmt: str) -> bytes:
        """Serialize the project's graphs (see :meth:`Store.export`)."""
        if fmt not in EXPORT_FORMATS:
            known = ", ".join(EXPORT_FORMATS)
            raise UnknownFormatError(f"unknown export format {fmt!r} (known: {known})")
        return self.snapshot().export(fmt)

    def triples(self, graph: URIRef | None = None) -> Iterator[tuple[Node, Node, Node]]:
        """All triples of one named graph (or of the union), as rdflib terms."""
        if graph is not None:
            text = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            rows = self.select_raw(text, dataset=False, timeout=max(self.timeout, 600.0))
        else:
            rows = self.select_raw("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }",
                                   timeout=max(self.timeout, 600.0))
        for row in rows:  # type: ignore[union-attr]
            yield (_ox_to_rdflib(row["s"]), _ox_to_rdflib(row["p"]), _ox_to_rdflib(row["o"]))

    def graph(self, name: URIRef) -> Graph:
        """A copy of one named graph as an in-memory rdflib ``Graph``."""
        copy = Graph()
        for prefix, namespace in PREFIXES.items():
            copy.bind(prefix, namespace)
        for triple in self.triples(name):
            copy.add(triple)
        return copy


def query_form(text: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the first form keyword outside
    strings, IRIs and comments (``None`` when there is none)."""
    from mandategraph.graph.sparql.text import tokens

    for token in tokens(text):
        if token.keyword in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return token.keyword
    return None
