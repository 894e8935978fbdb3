"""The quad store: one small interface over rdflib, backed by Oxigraph.

``Store.open("memory")`` gives an in-memory store (tests); ``Store.open(path)`` an
embedded persistent Oxigraph store on disk (the default, see
:class:`mandategraph.api.settings.Settings`). Queries go through rdflib (``Dataset`` with the
``Oxigraph`` plugin of oxrdflib), which hands the query text and bindings to the Rust
engine, so they cost what Oxigraph costs.

Layout of the dataset: one named graph per source document
(``graph/document/<slug>``), plus ``graph/ontology``, ``graph/reference`` and
``graph/inferred``. Queries see the union of all named graphs as their default graph.

Facts that matter here (measured, see ../shared/STACK.md): ``len()`` on an oxrdflib
graph runs a full COUNT, so the store keeps no hot-path ``len``; a second read-write
open of one path fails on a lock, so a clear :class:`StoreError` says so;
``pyoxigraph.Store.read_only(path)`` opens beside a writer, which the query workers use.

Faults of the engine (RocksDB's ``Corruption: ...`` or ``IO error: ...``, raised by
pyoxigraph as ``RuntimeError`` or ``OSError``) leave every method as a one-line
:class:`StoreError`, see :func:`store_fault`.

A file :data:`STALE_MARKER` in the store's directory says that a document graph (or the
vocabulary) was written after ``graph/inferred`` was last computed: it is written before
such a write and removed only by a reasoning pass, so a build or ingest killed half-way
leaves it behind, and ``stats`` and ``/health`` report the inferred graph as stale.

A file :data:`SUMMARY_TOKEN` holds the token of the summaries of canned queries stored
with the data (:mod:`mandategraph.queries.summaries`): every write of data removes it
first, so summaries read while it holds their token are those of the data as it is.
"""

from __future__ import annotations

import contextlib
import gc
import io
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from mandategraph.errors import StoreError, UnknownFormatError
from mandategraph.graph.engine_files import (
    STALE_MARKER,
    SUMMARY_TOKEN,
    is_engine_fault,
    open_read_only,
    store_fault,
    write_stale_marker,
    write_synced,
)
from mandategraph.graph.sparql.formats import EXPORT_FORMATS
from mandategraph.graph.sparql.text import syntax_error, with_values
from mandategraph.graph.sparql_client import check_location, is_remote, public_url
from mandategraph.ontology.namespaces import GRAPH, INFERRED_GRAPH, PREFIXES

MEMORY = "memory"

def quads_of(name: URIRef | str, ntriples: bytes) -> bytes:
    """N-Triples bytes put into the named graph ``name``, as N-Quads (each line of
    N-Triples ends with `` .``; a newline inside a literal is escaped)."""
    return ntriples.replace(b" .\n", f" <{name}> .\n".encode())


def triples_of(name: URIRef | str, nquads: bytes) -> bytes:
    """The N-Triples of N-Quads bytes that are all in the named graph ``name``."""
    return nquads.replace(f" <{name}> .\n".encode(), b" .\n")


@dataclass(frozen=True)
class GraphCount:
    """How many triples one named graph holds."""

    graph: str
    triples: int


def _to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {term!r}")


_DATASET_CLAUSE = re.compile(r"\bFROM\s+(?:NAMED\s+)?(?:<|[A-Za-z][\w-]*:|:)", re.IGNORECASE)


class Store:
    """A dataset of named graphs behind rdflib, stored by Oxigraph.

    Use :meth:`open`; close with :meth:`close` or a ``with`` block.
    """

    #: whether the data lives on a SPARQL server (:mod:`mandategraph.graph.remote_store`)
    remote = False
    #: the engine that answers the queries (``oxigraph``, ``virtuoso``, ``sparql``): a
    #: canned query may have a text of its own for it (``queries/engines/``)
    engine = "oxigraph"

    def __init__(self, inner: ox.Store, *, location: str, read_only: bool = False) -> None:
        self.location = location
        self.read_only = read_only
        self._inner = inner
        self._stale_in_memory = False  # a memory store's STALE_MARKER
        self._summary_in_memory: str | None = None  # a memory store's SUMMARY_TOKEN
        self.dataset = Dataset(store=OxigraphStore(store=inner), default_union=True)
        for prefix, namespace in PREFIXES.items():
            self.dataset.bind(prefix, namespace)

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, location: str | Path = MEMORY, *, read_only: bool = False) -> Store:
        """Open (creating if needed) the store at ``location``.

        Args:
            location: ``"memory"`` for a throw-away in-memory store, else a directory
                (a SPARQL server's URL: :func:`mandategraph.graph.backends.open_store`).
            read_only: open an existing on-disk store without taking the write lock,
                so several processes can query beside one writer.

        Raises:
            StoreError: the directory cannot be created or written, is locked by
                another process, or (read-only) does not hold a store; the location is
                a URL.
        """
        if str(location) == MEMORY:
            return cls(ox.Store(), location=MEMORY)
        # a URL is a SPARQL server, never a folder named "http:" (issue 16)
        check_location(location)
        if is_remote(location):
            raise StoreError(
                f"{public_url(str(location))} is a SPARQL server: open it with "
                "mandategraph.graph.backends.open_store"
            )
        path = Path(location).expanduser()
        if read_only and not path.is_dir():
            raise StoreError(f"no store at {path}: run 'mandategraph build' first")
        if not read_only:
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot open the store at {path}: {exc.strerror or exc}"
                ) from exc
        try:
            inner = open_read_only(path) if read_only else ox.Store(str(path))
        except (OSError, RuntimeError) as exc:
            # any failure of the engine to open: a lock, an empty CURRENT, a bad file
            raise store_fault(exc, path, doing="open") from exc
        return cls(inner, location=str(path), read_only=read_only)

    def close(self) -> None:
        """Flush and release the store (a no-op for memory stores).

        Raises:
            StoreError: the engine failed to flush; the store is released all the same.
        """
        try:
            if self._inner is not None and not self.read_only and self.location != MEMORY:
                with self._faults(doing="flush"):
                    self._inner.flush()
        finally:
            # pyoxigraph releases its lock when the last reference goes, and rdflib's
            # Dataset sits in a reference cycle: collect it now, so that the same
            # process can open the store again right away.
            self.dataset = None  # type: ignore[assignment]
            self._inner = None  # type: ignore[assignment]
            gc.collect()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.close()
            return
        # the error that left the block tells the story; a failed flush would hide it
        with contextlib.suppress(StoreError):
            self.close()

    @contextlib.contextmanager
    def _faults(self, *, doing: str = "use", queries: bool = False) -> Iterator[None]:
        """Turn the engine's faults inside the block into :class:`StoreError`.

        With ``queries``, only errors that read as the storage engine's: a user's query
        also raises ``OSError`` (a failing SERVICE) and ``RuntimeError``.
        """
        try:
            yield
        except (OSError, RuntimeError) as exc:
            if queries and not is_engine_fault(exc):
                raise
            raise store_fault(exc, self.location, doing=doing) from exc

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store`, for bulk paths that skip rdflib."""
        return self._inner

    # -- writing ---------------------------------------------------------------------

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.location} is open read-only")

    def _begin_write(self) -> None:
        """Check that the store is writable and forget the summaries' token: called
        before every write of data, so that no summary outlives the data it was read from.

        Raises:
            StoreError: the store is read-only, or the token file cannot be removed.
        """
        self._check_writable()
        if self.location == MEMORY:
            self._summary_in_memory = None
            return
        try:
            (Path(self.location) / SUMMARY_TOKEN).unlink(missing_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot remove {SUMMARY_TOKEN} in {self.location}: "
                             f"{exc.strerror or exc}") from exc

    def replace_graph(self, name: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> int:
        """Replace the named graph ``name`` with ``triples``, atomically.

        The old content is dropped and the new one inserted in one Oxigraph
        transaction: a reader sees either the old graph or the new one, and a failure
        leaves the old one in place.

        Args:
            name: the named graph's IRI.
            triples: an rdflib ``Graph`` or any iterable of (s, p, o) rdflib terms.

        Returns:
            The number of triples written.
        """
        self._begin_write()
        rows = [
            ox.Triple(_to_ox(s), _to_ox(p), _to_ox(o))  # type: ignore[arg-type]
            for s, p, o in triples
        ]
        body = (ox.serialize(rows, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
        # One SPARQL update is one transaction in Oxigraph: DROP and INSERT commit together.
        update = f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n{body}}} }}"
        with self._faults(doing=f"write graph <{name}> to"):
            self._inner.update(update)
        return len(rows)

    def replace_graphs(self, graphs: Sequence[tuple[URIRef, bytes]], *,
                       stamps: Mapping[URIRef, bytes] | None = None,
                       bulk: bool = False, lenient: bool = False) -> None:
        """Replace several named graphs with N-Quads bodies.

        The bulk path of a parallel ingest. A graph already stored is replaced by its own
        update (``DROP`` and ``INSERT DATA`` in one transaction, its stamp included), as
        :meth:`replace_graph` does. The graphs not yet stored are written together: by
        one transactional ``load`` of their N-Quads (the batch pays one commit and no
        SPARQL parsing) or, with ``bulk``, by pyoxigraph's bulk loader (about half the
        CPU; not a transaction: a batch under the loader's million quads goes in as one
        set of files, but that is not promised). Their ``stamps`` (N-Quads in the same
        graphs, such as a content hash that says "this graph is complete") are written
        after them, in one transaction: a graph that has its stamp is whole.

        Args:
            graphs: (named graph IRI, its quads as N-Quads bytes, all in that graph).
            stamps: more N-Quads for some of these graphs, written last (see above).
            bulk: write the new graphs with the bulk loader.
            lenient: the bulk loader skips its IRI checks (a sixth of its CPU): for
                N-Quads already read by a strict parser, such as the chunks of a
                parallel ingest, which rudof reads in strict mode to check their shapes.
        """
        self._begin_write()
        stamps = stamps or {}
        fresh: list[bytes] = []
        sealed: list[bytes] = []
        with self._faults(doing=f"write {len(graphs)} graphs to"):
            for name, body in graphs:
                stamp = stamps.get(name, b"")
                if not self._inner.contains_named_graph(ox.NamedNode(str(name))):
                    fresh.append(body)
                    sealed.append(stamp)
                    continue
                triples = triples_of(name, body + stamp).decode("utf-8")
                self._inner.update(
                    f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n"
                    f"{triples}}} }}")
            if fresh and bulk:
                self._inner.bulk_load(b"".join(fresh), format=ox.RdfFormat.N_QUADS,
                                      lenient=lenient)
                fresh = []
            if fresh or any(sealed):
                self._inner.load(b"".join(fresh + sealed), format=ox.RdfFormat.N_QUADS)

    def load_file(self, path: str | Path, *, graph: URIRef, fmt: str = "nt") -> None:
        """Bulk-load an RDF file into a named graph (non-transactional: for benchmarks)."""
        self._begin_write()
        rdf_format = EXPORT_FORMATS[fmt][0]
        with self._faults(doing="write", queries=True):
            self._inner.bulk_load(
                path=str(path), format=rdf_format, to_graph=ox.NamedNode(str(graph))
            )

    # -- the inferred graph's freshness --------------------------------------------------

    def _marker(self) -> Path | None:
        return None if self.location == MEMORY else Path(self.location) / STALE_MARKER

    def mark_inferred_stale(self) -> None:
        """Record that ``graph/inferred`` no longer covers what is stored.

        Called before a write that changes what the reasoner sees (a document graph,
        the vocabulary). The marker is a file, synced to disk, so that it outlives a
        process killed during the write; a memory store keeps it on the object.

        Raises:
            StoreError: the store is read-only, or the marker cannot be written.
        """
        self._check_writable()
        marker = self._marker()
        if marker is None:
            self._stale_in_memory = True
            return
        write_stale_marker(marker.parent)

    def mark_inferred_current(self) -> None:
        """Record that ``graph/inferred`` was just computed from everything stored.

        The engine is flushed first, so the marker goes only once the inferred graph
        is on disk.

        Raises:
            StoreError: the store is read-only, the flush failed, or the marker cannot
                be removed.
        """
        self._check_writable()
        marker = self._marker()
        if marker is None:
            self._stale_in_memory = False
            return
        with self._faults(doing="flush"):
            self._inner.flush()
        try:
            marker.unlink(missing_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot remove {marker}: {exc.strerror or exc}") from exc

    @property
    def inferred_stale(self) -> bool:
        """Whether a write changed the data after ``graph/inferred`` was computed.

        True after a build or ingest that was interrupted, or ran without reasoning
        (``--no-reason``, ``MANDATEGRAPH_REASON=false``, no Java).
        """
        marker = self._marker()
        return self._stale_in_memory if marker is None else marker.exists()

    def inferred_state(self) -> str:
        """``stale`` (see :attr:`inferred_stale`), ``current``, or ``absent`` (never reasoned)."""
        if self.inferred_stale:
            return "stale"
        with self._faults(doing="read"):
            present = self._inner.query(f"ASK {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }}")
        return "current" if bool(present) else "absent"

    # -- summaries of canned queries ------------------------------------------------------

    def summary_token(self) -> str | None:
        """The token that the stored summaries must hold to be read: ``None`` once data
        was written after :meth:`begin_summaries` (see :data:`SUMMARY_TOKEN`)."""
        if self.location == MEMORY:
            return self._summary_in_memory
        try:
            return (Path(self.location) / SUMMARY_TOKEN).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"cannot read {SUMMARY_TOKEN} in {self.location}: "
                             f"{exc.strerror or exc}") from exc

    def begin_summaries(self) -> str:
        """A new token for summaries about to be computed from the data as it is now
        (synced to disk): the next write of data makes it void.

        Raises:
            StoreError: the store is read-only, or the token cannot be written.
        """
        self._check_writable()
        token = uuid.uuid4().hex
        if self.location == MEMORY:
            self._summary_in_memory = token
            return token
        write_synced(Path(self.location) / SUMMARY_TOKEN, token + "\n")
        return token

    def write_summary(self, name: URIRef, body: bytes) -> None:
        """Replace the named graph ``name`` with the N-Triples ``body``, in one
        transaction, keeping the summaries' token (a summary is not data).

        Raises:
            StoreError: the store is read-only or the engine failed.
        """
        self._check_writable()
        graph = ox.NamedNode(str(name))
        with self._faults(doing=f"write graph <{name}> to"):
            self._inner.remove_graph(graph)
            self._inner.load(body, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)

    def update(self, text: str) -> None:
        """Run a SPARQL 1.1 Update.

        Raises:
            QuerySyntaxError: the update does not parse.
        """
        self._begin_write()
        try:
            with self._faults(doing="write", queries=True):
                self._inner.update(text, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise syntax_error(exc, text) from exc

    # -- reading ---------------------------------------------------------------------

    def query(
        self,
        text: str,
        *,
        bindings: Mapping[str, Identifier] | None = None,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a SPARQL query on the engine and return pyoxigraph results.

        The default graph is the union of all named graphs, unless the query names
        its own with ``FROM`` or ``default_graphs`` is given. No rdflib term
        conversion: results serialize straight to SPARQL JSON/XML/CSV/TSV or RDF.

        Args:
            text: the query.
            bindings: values for variables, bound by the engine.
            default_graphs: IRIs whose union is the default graph (SPARQL protocol's
                ``default-graph-uri``); by default the union of all named graphs.
            named_graphs: IRIs visible through ``GRAPH`` (``named-graph-uri``).

        Raises:
            QuerySyntaxError: the query does not parse.
        """
        options: dict[str, Any] = {"prefixes": PREFIXES}
        if default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        elif not _DATASET_CLAUSE.search(text):
            # the union is the default graph, unless the query names its own with FROM
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        if bindings:
            # Oxigraph's substitutions only bind projected variables: bind with VALUES.
            text = with_values(text, bindings)
        try:
            with self._faults(doing="read", queries=True):
                return self._inner.query(text, **options)
        except SyntaxError as exc:
            raise syntax_error(exc, text) from exc

    def graphs(self) -> list[GraphCount]:
        """The named graphs with their triple counts, sorted by name."""
        with self._faults(doing="read"):
            rows = self._inner.query(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
            )
            return [GraphCount(row["g"].value, int(row["n"].value)) for row in rows]  # type: ignore[index, union-attr]

    def document_graphs(self) -> list[str]:
        """IRIs of the per-document named graphs."""
        prefix = str(GRAPH["document/"])
        with self._faults(doing="read"):
            return [
                g.value
                for g in self._inner.named_graphs()
                if isinstance(g, ox.NamedNode) and g.value.startswith(prefix)
            ]

    def stats(self) -> dict[str, Any]:
        """Figures of the graph: triples per graph and counts of the main classes."""
        classes = {
            "resolutions": "mg:Resolution",
            "mandates": "mg:OperativeParagraph",
            "activities": "mg:Activity",
            "organizations": "mg:Organization",
            "states": "mg:State",
        }
        selects = " ".join(
            # through the class hierarchy, so counts hold before reasoning too
            f"{{ SELECT (COUNT(DISTINCT ?x{i}) AS ?{key}) "
            f"WHERE {{ ?x{i} a/rdfs:subClassOf* {cls} }} }}"
            for i, (key, cls) in enumerate(classes.items())
        )
        counts: dict[str, int] = {}
        with self._faults(doing="read"):
            rows = self.query(f"SELECT * WHERE {{ {selects} }}")  # the union, our prefixes
            for row in rows:  # type: ignore[union-attr]
                for key in classes:
                    value = row[key]
                    counts[key] = int(value.value) if value is not None else 0
        graphs = self.graphs()
        return {
            "triples": sum(g.triples for g in graphs),
            "graphs": {g.graph: g.triples for g in graphs},
            **counts,
            # ingested documents: one named graph each (cited resolutions are not)
            "documents": len(self.document_graphs()),
            # stale: a write since the last reasoning pass (an interrupted build or ingest)
            "inferred": self.inferred_state(),
        }

    def export(self, fmt: str) -> bytes:
        """Serialize the store (in memory: :meth:`export_to` writes a large one out as it
        goes).

        Args:
            fmt: ``nq``, ``trig`` or ``jsonld`` keep the named graphs; ``ttl``, ``nt``
                and ``xml`` give the union of all graphs as plain triples.

        Raises:
            UnknownFormatError: ``fmt`` is not one of
                :data:`~mandategraph.graph.sparql.formats.EXPORT_FORMATS`.
        """
        out = io.BytesIO()
        self.export_to(fmt, out)
        return out.getvalue()

    def export_to(self, fmt: str, out: BinaryIO) -> None:
        """Serialize the store into ``out`` as it is read (see :meth:`export`): every
        format but ``ttl`` (grouped by subject in memory) streams.

        Raises:
            UnknownFormatError: ``fmt`` is not one of
                :data:`~mandategraph.graph.sparql.formats.EXPORT_FORMATS`.
        """
        if fmt not in EXPORT_FORMATS:
            known = ", ".join(EXPORT_FORMATS)
            raise UnknownFormatError(f"unknown export format {fmt!r} (known: {known})")
        rdf_format, quads = EXPORT_FORMATS[fmt]
        with self._faults(doing="read"):
            if quads:
                prefixes = PREFIXES if fmt == "trig" else None
                self._inner.dump(out, format=rdf_format, prefixes=prefixes)
                return
            union = self._inner.query(
                "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
            )
            if fmt == "ttl":
                out.write(_grouped_turtle(union))  # type: ignore[arg-type]
                return
            ox.serialize(union, out, format=rdf_format)  # type: ignore[arg-type]

    def triples(self, graph: URIRef | None = None) -> Iterator[tuple[Node, Node, Node]]:
        """All triples of one named graph (or of the union), as rdflib terms."""
        with self._faults(doing="read"):
            context = self.dataset.graph(graph) if graph is not None else self.dataset
            yield from context.triples((None, None, None))

    def graph(self, name: URIRef) -> Graph:
        """A copy of one named graph as an in-memory rdflib ``Graph``."""
        copy = Graph()
        for prefix, namespace in PREFIXES.items():
            copy.bind(prefix, namespace)
        with self._faults(doing="read"):
            for triple in self.dataset.graph(name).triples((None, None, None)):
                copy.add(triple)
        return copy


def _grouped_turtle(triples: ox.QueryTriples) -> bytes:
    """Turtle grouped by subject (one block each, the graphs merged), through rdflib's
    serializer; a prefixed name only where its local name needs no escaping (an IRI
    like ``id:state/JAM`` is written in full, not as ``id:state\\/JAM``)."""
    out = io.BytesIO()
    ox.serialize(triples, out, format=ox.RdfFormat.N_TRIPLES)
    graph = Graph(bind_namespaces="none")
    graph.parse(data=out.getvalue().decode(), format="nt")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph.serialize(format="turtle", encoding="utf-8")
