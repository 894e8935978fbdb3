"""The store on a SPARQL server: the interface of :class:`~mandategraph.graph.store.Store`
over SPARQL 1.1 Query, Update and the Graph Store Protocol.

``open_store("http://host:port/...")`` of :mod:`mandategraph.graph.backends` (``--store`` or
``MANDATEGRAPH_STORE``) returns a
:class:`RemoteStore`. The server is recognised by the ``Server`` header of its answer:

* **Oxigraph server** (``oxigraph serve``): ``/query``, ``/update``, ``/store``; the union
  default graph with the ``union-default-graph`` parameter; a document is replaced by one
  update (``DROP`` + ``INSERT DATA``), which the server runs as one transaction.
* **Virtuoso** (``virtuoso-t``): ``/sparql`` for queries, ``/sparql-auth`` for updates and
  ``/sparql-graph-crud-auth`` for the Graph Store Protocol, both with HTTP digest auth
  (user and password in the URL: ``http://dba:secret@host:8890/``). Its default graph holds
  system graphs too, so queries get the project's graphs as ``FROM`` and ``FROM NAMED``
  clauses (past :data:`UNION_LIST_MAX` graphs, the graphs it leaves out as ``NOT FROM``).
  A document is replaced by one Graph Store Protocol ``PUT``, which
  is not atomic (best effort: a reader may see it half-written, and a failure during the
  upload may leave it so; the next ingest of the document repairs it). ``timeout``
  bounds each query on the server; an answer cut by it (``X-SQL-State: S1TAT``) is a
  timeout, never a result.
* **Any other server**: the URL is the query and update endpoint; the union and the
  replacement work as for Virtuoso, a document in one update.

Bookkeeping lives in a graph of its own, :data:`META_GRAPH`: whether ``graph/inferred``
is stale, a *generation* token that every write through mandategraph changes (the
result cache of :mod:`mandategraph.graph.sparql.remote_executor` keys on it), and, for
servers whose union is an explicit list, the *records* of the project's graphs: each
write records the graphs it wrote in the same update as its new token, so the union is
read from a few triples instead of a scan of every quad (see
:mod:`mandategraph.graph.remote_graphs`).

Results come back as pyoxigraph objects (SELECT/ASK parsed from SPARQL JSON, graphs from
N-Triples), so everything downstream (pages, canned queries, serializers) is the same as
for the embedded store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from mandategraph.errors import UnknownFormatError
from mandategraph.graph.remote_graphs import (
    _SUMMARY,
    META_GRAPH,
    PROJECT_PREFIX,
    ProjectGraphs,
)
from mandategraph.graph.sparql.formats import EXPORT_FORMATS
from mandategraph.graph.sparql.text import names_dataset, with_dataset, with_values
from mandategraph.graph.sparql_client import DEFAULT_TIMEOUT, SparqlClient, connect, query_form
from mandategraph.graph.store import MEMORY, GraphCount, Store, _to_ox, triples_of
from mandategraph.ontology.namespaces import GRAPH, PREFIXES

_STALE = "urn:mandategraph:inferredStale"
#: The update that marks ``graph/inferred`` stale.
STALE_UPDATE = f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> <{_STALE}> true }} }}"
#: Past this many project graphs, Virtuoso's union is written as the graphs it leaves
#: out (``NOT FROM``), not as a list of ``FROM``: a query with 1,000 ``FROM`` takes up to
#: 0.08 s more, with 4,000 about 0.9 s, and from about 5,000 Virtuoso refuses it ("Too
#: many arguments").
UNION_LIST_MAX = 1000
#: How long a whole-graph transfer may take (seconds).
TRANSFER_SECONDS = 600.0
#: The most bytes of N-Triples one Graph Store Protocol request of a summary carries:
#: Virtuoso held one ``PUT`` of a 10M-triple store's ``activities`` summary (225,323
#: rows) past 600 s in three runs of four ("Locks are held for a long time"), so a
#: summary goes in as a ``PUT`` of its first lines, then a ``POST`` of each next part.
SUMMARY_CHUNK_BYTES = 8 * 1024 * 1024


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


def line_chunks(body: bytes, size: int) -> Iterator[bytes]:
    """``body`` in parts of whole lines, each at most ``size`` bytes unless one line is
    longer (the first part always, even when ``body`` is empty)."""
    start = 0
    while True:
        end = start + size
        if end >= len(body):
            yield body[start:]
            return
        cut = body.rfind(b"\n", start, end)
        if cut < start:  # one line longer than a part: it goes whole
            cut = body.find(b"\n", end)
            if cut < 0:
                yield body[start:]
                return
        yield body[start:cut + 1]
        start = cut + 1
        if start >= len(body):
            return


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


class RemoteStore(ProjectGraphs, Store):
    """A :class:`~mandategraph.graph.store.Store` on a SPARQL server (see the module)."""

    remote = True

    def __init__(
        self, client: SparqlClient, *, read_only: bool = False, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        self.location = client.location
        self.read_only = read_only
        self.server = client.server
        self.engine = client.server.kind
        self.client = client
        self.timeout = timeout
        self._inner = None  # type: ignore[assignment]
        self._stale_in_memory = False
        self.dataset = None  # type: ignore[assignment]
        self._init_graphs()
        self.union_list_max = UNION_LIST_MAX

    @classmethod
    def open(cls, location: str | Path = MEMORY, *, read_only: bool = False) -> RemoteStore:
        """Connect to the server at ``location`` (an ``http(s)://`` URL).

        Raises:
            StoreError: the server cannot be reached or does not answer SPARQL.
        """
        return cls(connect(str(location)), read_only=read_only)

    def close(self) -> None:
        """Release the HTTP connections."""
        self.client.close()

    @property
    def oxigraph(self) -> Any:
        """Pattern look-ups over SPARQL (:class:`RemoteQuads`), for the pages."""
        return RemoteQuads(self)

    # -- requests ------------------------------------------------------------------------

    def _dataset(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """The query and the request parameters that make the union of the project's
        graphs its default graph (as they are when the query has its own ``FROM``).

        Where the union is an explicit list (Virtuoso), it goes into the query as
        ``FROM``/``FROM NAMED`` clauses: as ``default-graph-uri``/``named-graph-uri``
        parameters, Virtuoso echoes each graph in a response header of its own (15 KB of
        headers for 100 graphs, past what the HTTP client reads at about 650) and takes
        0.33 s more for 1,000 graphs (``FROM``: 0.01-0.08 s). Parameters only for a
        query with no place for the clauses (a ``DESCRIBE`` without ``WHERE``).
        """
        if names_dataset(text):
            return text, []
        if self.server.union_param:
            return text, [("union-default-graph", "")]
        graphs = self.project_graphs()
        if (len(graphs) > self.union_list_max and self.server.kind == "virtuoso"
                # Virtuoso's DESCRIBE reads only the graphs named with FROM
                and query_form(text) != "DESCRIBE"):
            written = with_dataset(text, excluded=self._other_graphs(graphs))
            if written is not None:
                return written, []
        if not graphs:
            # no project graph yet: an unknown graph makes an empty default graph
            graphs = [str(GRAPH["none"])]
        written = with_dataset(text, default=graphs, named=graphs)
        if written is not None:
            return written, []
        return text, [("default-graph-uri", g) for g in graphs] + [
            ("named-graph-uri", g) for g in graphs
        ]

    def _params(
        self, text: str, dataset: bool | list[tuple[str, str]]
    ) -> tuple[str, list[tuple[str, str]]]:
        if isinstance(dataset, list):
            return text, dataset
        return self._dataset(text) if dataset else (text, [])

    def select_raw(
        self,
        text: str,
        *,
        dataset: bool | list[tuple[str, str]] = True,
        timeout: float | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean:
        """Run a SELECT or ASK on the server (``dataset``: the union of the project's
        graphs, none, or explicit protocol parameters); pyoxigraph results."""
        sent, params = self._params(text, dataset)
        return self.client.select(sent, params=params, source=text,
                                  timeout=self.timeout if timeout is None else timeout)

    def construct_raw(
        self,
        text: str,
        *,
        dataset: bool | list[tuple[str, str]] = True,
        timeout: float | None = None,
    ) -> ox.QueryTriples:
        """Run a CONSTRUCT or DESCRIBE on the server; pyoxigraph's ``QueryTriples``."""
        sent, params = self._params(text, dataset)
        return self.client.construct(sent, params=params, source=text,
                                     timeout=self.timeout if timeout is None else timeout)

    def update_raw(self, text: str, *, timeout: float | None = None) -> None:
        """Run a SPARQL Update on the server (no generation change)."""
        self.client.update(text, timeout=self.timeout if timeout is None else timeout)

    def _put_graph(self, name: str, body: bytes, *, method: str = "PUT") -> None:
        self.client.put_graph(name, body, method=method,
                              timeout=max(self.timeout, TRANSFER_SECONDS))

    # -- writing -------------------------------------------------------------------------

    def replace_graph(self, name: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> int:
        """Replace a named graph on the server (see the module for each server's way).

        Returns:
            The number of triples written.
        """
        self._check_writable()
        body, count = nt_body(triples)
        if self.server.graph_store is not None and not self.server.union_param:
            # Virtuoso: one Graph Store Protocol PUT, not atomic (best effort). Its
            # transactions time out on a MOVE or DROP of some 100k triples, so a staging
            # graph moved over the old one cannot be made to scale.
            self._put_graph(str(name), body)
            self.update_raw(self._bump([str(name)]))
        else:
            # one update: one transaction on the Oxigraph server
            self.update_raw(
                f"DROP SILENT GRAPH <{name}> ;\n"
                f"INSERT DATA {{ GRAPH <{name}> {{\n{body.decode('utf-8')}}} }} ;\n"
                + self._bump([str(name)])
            )
        return count

    def replace_graphs(self, graphs: Sequence[tuple[URIRef, bytes]], *,
                       stamps: Mapping[URIRef, bytes] | None = None,
                       bulk: bool = False, lenient: bool = False) -> None:
        """Replace several named graphs with N-Quads bodies: one update on the Oxigraph
        server (one transaction), one Graph Store Protocol PUT each on Virtuoso.

        Each graph's stamp (see :meth:`Store.replace_graphs`) goes in with its graph;
        ``bulk`` and ``lenient`` change nothing here: a server's writes are already whole
        graphs, and the server parses them as it does.
        """
        self._check_writable()
        if not graphs:
            return
        stamps = stamps or {}
        bodies = [(name, triples_of(name, body + stamps.get(name, b"")))
                  for name, body in graphs]
        if self.server.graph_store is not None and not self.server.union_param:
            for name, body in bodies:
                self._put_graph(str(name), body)
            self.update_raw(self._bump([str(name)]))
        else:
            drops = "".join(f"DROP SILENT GRAPH <{name}> ;\n" for name, _body in bodies)
            inserts = "".join(f"GRAPH <{name}> {{\n{body.decode('utf-8')}}}\n"
                              for name, body in bodies)
            self.update_raw(f"{drops}INSERT DATA {{\n{inserts}}} ;\n"
                            + self._bump([str(name) for name, _body in bodies]))

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
        else:
            self.update_raw(f"INSERT DATA {{ GRAPH <{graph}> {{\n{data.decode()}}} }}")
        self.touched([str(graph)])

    # -- summaries of canned queries ------------------------------------------------------

    def summary_token(self) -> str | None:
        """The token that the stored summaries must hold to be read: the generation."""
        return self.generation()

    def begin_summaries(self) -> str:
        """The token of summaries about to be computed: the generation, once the
        project's graphs are recorded (recording them makes a new one)."""
        self._check_writable()
        if not self.server.union_param:
            self.project_graphs()
        token = self.generation()
        if not token:
            # nothing written through mandategraph yet (a bulk load): a token of its own
            self.update_raw(self._bump())
            token = self.generation()
        return token

    def write_summary(self, name: URIRef, body: bytes) -> None:
        """Replace the graph ``name`` with the N-Triples ``body`` and keep the generation
        (a summary is not data, nor one of the project's graphs).

        In parts of :data:`SUMMARY_CHUNK_BYTES`, in order: the Graph Store Protocol where
        the server has one and no union parameter (Virtuoso: a ``PUT`` of the first part,
        a ``POST`` of each next), else updates (the first drops the graph; the Oxigraph
        server takes at most 128 MiB in one). The summary's record is its last lines, so
        it lands last, and a write stopped half-way leaves a summary that is never read.
        """
        self._check_writable()
        parts = line_chunks(body, SUMMARY_CHUNK_BYTES)
        if self.server.graph_store is not None and not self.server.union_param:
            # recorded first: a union written as the graphs it leaves out (past
            # UNION_LIST_MAX) leaves it out from its first part on
            self.update_raw(f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> "
                            f"<{_SUMMARY}> <{name}> }} }}")
            method = "PUT"
            for part in parts:
                self._put_graph(str(name), part, method=method)
                method = "POST"
            return
        drop = f"DROP SILENT GRAPH <{name}> ;\n"
        for part in parts:
            triples = part.decode("utf-8")
            self.update_raw(f"{drop}INSERT DATA {{ GRAPH <{name}> {{\n{triples}}} }}",
                            timeout=max(self.timeout, TRANSFER_SECONDS))
            drop = ""

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
            dataset=False, timeout=max(self.timeout, TRANSFER_SECONDS),
        )
        copy.extend(ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows)  # type: ignore[arg-type, index, union-attr]
        return Store(copy, location=MEMORY)

    def export_to(self, fmt: str, out: BinaryIO) -> None:
        """Serialize the project's graphs into ``out`` (see :meth:`Store.export_to`): a
        copy of them in memory first, so a server's store is not streamed."""
        if fmt not in EXPORT_FORMATS:
            known = ", ".join(EXPORT_FORMATS)
            raise UnknownFormatError(f"unknown export format {fmt!r} (known: {known})")
        self.snapshot().export_to(fmt, out)

    def triples(self, graph: URIRef | None = None) -> Iterator[tuple[Node, Node, Node]]:
        """All triples of one named graph (or of the union), as rdflib terms."""
        if graph is not None:
            text = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            rows = self.select_raw(text, dataset=False, timeout=max(self.timeout, TRANSFER_SECONDS))
        else:
            rows = self.select_raw("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }",
                                   timeout=max(self.timeout, TRANSFER_SECONDS))
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
