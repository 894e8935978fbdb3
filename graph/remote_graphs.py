"""The project's graphs on a SPARQL server whose union is an explicit list (Virtuoso, any
server without a union parameter), as :class:`ProjectGraphs`, a part of
:class:`~mandategraph.graph.remote_store.RemoteStore`.

The bookkeeping graph :data:`META_GRAPH` holds a *generation* token that every write
through mandategraph changes, the *records* of the project's graphs (each write records
the graphs it wrote in the same update as its new token), and the names of the summary
graphs. A query reads the token (one small query) and the records again only when the
token changed; past ``UNION_LIST_MAX`` project graphs it leaves out the server's other
graphs instead (:meth:`ProjectGraphs._other_graphs`).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from typing import Any

from mandategraph.errors import StoreError
from mandategraph.ontology.namespaces import GRAPH

#: The graph of mandategraph's own bookkeeping on a server (outside the project's graphs).
META_GRAPH = "urn:mandategraph:meta"
_GENERATION = "urn:mandategraph:generation"
#: The project's graphs: what the union default graph is made of.
PROJECT_PREFIX = str(GRAPH)
#: ``<META> <_RECORD> <g>``: ``g`` is one of the project's graphs, recorded by the write
#: through mandategraph that made it.
_RECORD = "urn:mandategraph:graph"
#: ``<META> <_RECORDED> true``: the records cover every project graph on the server (set
#: by :meth:`ProjectGraphs.register_graphs`, after a scan); without it the union is scanned.
_RECORDED = "urn:mandategraph:graphsRecorded"
#: How many graph names one ``INSERT DATA`` records (Virtuoso takes about 5,000 triples).
RECORD_CHUNK = 1000
#: ``<META> <_SUMMARY> <g>``: ``g`` is a summary of a canned query (left out of the union).
_SUMMARY = "urn:mandategraph:summaryGraph"
#: How long a scanned list of the project's graphs is reused by a store that cannot record
#: it (read-only, and nothing recorded on the server yet).
GRAPH_LIST_SECONDS = 1.0


class ProjectGraphs:
    """The project's graphs of a :class:`~mandategraph.graph.remote_store.RemoteStore`:
    its union, its generation token, the records that every write adds."""

    read_only: bool
    # the recorded list, and the generation token read before it
    _recorded: tuple[str, list[str]] | None
    # a scanned list, when, and the token read before it (no records on the server, a
    # store that cannot write them)
    _scanned: tuple[float, str, list[str]]
    # the last bookkeeping read: generation token, graphs recorded, summary graphs
    _bookkept: tuple[str, bool, list[str]]
    # the graphs that are not the project's, when, and the token read before them
    _others: tuple[float, str, list[str]]

    def _init_graphs(self) -> None:
        self._recorded = None
        self._scanned = (0.0, "", [])
        self._bookkept = ("", False, [])
        self._others = (0.0, "", [])

    # the requests, from the store
    def select_raw(self, text: str, *, dataset: bool | list[tuple[str, str]] = True,
                   timeout: float | None = None) -> Any:
        raise NotImplementedError

    def update_raw(self, text: str, *, timeout: float | None = None) -> None:
        raise NotImplementedError

    @staticmethod
    def is_project_graph(name: str) -> bool:
        """Whether a graph is one of the project's (not bookkeeping, nor a server's own)."""
        return name.startswith(PROJECT_PREFIX)

    def _scan_graphs(self) -> list[str]:
        """The project's graphs found by a scan of every quad (seconds at 10M triples)."""
        rows = self.select_raw(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER(STRSTARTS(STR(?g), \"{PROJECT_PREFIX}\")) }}",
            dataset=False,
        )
        return sorted(row["g"].value for row in rows)  # type: ignore[union-attr, index]

    def _bookkeeping(self) -> tuple[str, bool]:
        """The generation token and whether the graphs are recorded: one small query
        (which reads the summary graphs too, kept for :meth:`_other_graphs`)."""
        rows = self.select_raw(
            f"SELECT ?p ?v WHERE {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> ?p ?v "
            f"FILTER(?p IN (<{_GENERATION}>, <{_RECORDED}>, <{_SUMMARY}>)) }} }}",
            dataset=False,
        )
        tokens: list[str] = []
        summaries: list[str] = []
        recorded = False
        for row in rows:  # type: ignore[union-attr]
            predicate, value = row["p"].value, row["v"].value  # type: ignore[index]
            if predicate == _GENERATION:
                tokens.append(value)
            elif predicate == _SUMMARY:
                summaries.append(value)
            else:
                recorded = True
        # every token, not one: two writers at once may leave two, and one of them may
        # stay the same while the other's records arrive
        token = "|".join(sorted(tokens))
        self._bookkept = (token, recorded, summaries)
        return token, recorded

    def _other_graphs(self, graphs: list[str]) -> list[str]:
        """Every graph on the server but the project's ``graphs`` (as just read by
        :meth:`project_graphs`): the bookkeeping, the summaries, the server's own graphs,
        other tools' graphs, project graphs not recorded. A scan of every quad, reused
        while the generation token is the same (for :data:`GRAPH_LIST_SECONDS` at most
        when the graphs are not recorded), with the summary graphs recorded since: a
        graph another tool writes joins the union until the next write through
        mandategraph (or that second)."""
        token, recorded, summaries = self._bookkept
        listed, was, others = self._others
        if not listed or was != token or (
                not recorded and time.monotonic() - listed >= GRAPH_LIST_SECONDS):
            # the FILTER keeps every graph, and takes Virtuoso 7.2 from 31 s to 0.05 s
            # on 6,000 graphs of one triple
            rows = self.select_raw(
                "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?g)) }",
                dataset=False)
            ours = set(graphs)
            others = sorted(name for name in (row["g"].value  # type: ignore[index]
                                              for row in rows)  # type: ignore[union-attr]
                            if name not in ours)
            self._others = (time.monotonic(), token, others)
        return sorted({*others, *summaries, META_GRAPH})

    def project_graphs(self, *, fresh: bool = False) -> list[str]:
        """The names of the project's graphs on the server, sorted.

        Read from their records in :data:`META_GRAPH` (see :meth:`register_graphs`): the
        generation token first, then the records only when the token changed since they
        were last read (every record is written with a new token, so a list read after its
        token is never older than it). Without records, a scan of every quad, which a store
        that can write records at once (one that cannot reuses it while the token is the
        same, for :data:`GRAPH_LIST_SECONDS` at most: other tools change no token).
        ``fresh``: always the scan (graphs written by other tools, which leave no record,
        are found too).
        """
        if fresh:
            return self._scan_graphs()
        token, recorded = self._bookkeeping()
        if recorded:
            if self._recorded is not None and self._recorded[0] == token:
                return self._recorded[1]
            rows = self.select_raw(
                f"SELECT ?g WHERE {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> <{_RECORD}> ?g }} }}",
                dataset=False,
            )
            names = sorted({row["g"].value for row in rows  # type: ignore[union-attr, index]
                            if self.is_project_graph(row["g"].value)})  # type: ignore[index]
            self._recorded = (token, names)
            return names
        listed, was, names = self._scanned
        if listed and was == token and time.monotonic() - listed < GRAPH_LIST_SECONDS:
            return names
        names = self._scan_graphs()
        if not self.read_only:
            try:
                self.update_raw(self._record_update(names, complete=True))
                return names
            except StoreError:
                pass  # a user without the right to write: scan again later
        self._scanned = (time.monotonic(), token, names)
        return names

    def register_graphs(self) -> list[str]:
        """Record every project graph on the server (a scan of every quad) in
        :data:`META_GRAPH`, with a new generation: the graphs written by other tools (a
        bulk loader) join the union. Records are only added (a graph dropped since stays
        listed, and adds nothing to the union), so a write recording its graph at the same
        time is never lost.

        Returns:
            The project's graphs found.
        """
        names = self._scan_graphs()
        self.update_raw(self._record_update(names, complete=True))
        self._recorded = None
        return names

    @staticmethod
    def _record_update(names: Sequence[str], *, complete: bool = False) -> str:
        """A new generation token with records of ``names`` (``complete``: and the mark
        that the records cover the server), as one SPARQL update."""
        token = uuid.uuid4().hex
        chunks = [names[i:i + RECORD_CHUNK] for i in range(0, len(names), RECORD_CHUNK)]
        operations = [
            f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> <{_GENERATION}> ?v }} }}"
        ]
        # the token and the mark go with the last records: the mark never precedes them
        for chunk in chunks[:-1]:
            objects = ", ".join(f"<{n}>" for n in chunk)
            operations.append(
                f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> <{_RECORD}> {objects} }} }}"
            )
        last = [f"<{META_GRAPH}> <{_GENERATION}> \"{token}\" ."]
        if chunks:
            last.append(f"<{META_GRAPH}> <{_RECORD}> {', '.join(f'<{n}>' for n in chunks[-1])} .")
        if complete:
            last.append(f"<{META_GRAPH}> <{_RECORDED}> true .")
        operations.append(f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ {' '.join(last)} }} }}")
        return " ;\n".join(operations)

    def generation(self) -> str:
        """The token every write through mandategraph changes ("" before the first)."""
        rows = self.select_raw(
            f"SELECT ?v WHERE {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> <{_GENERATION}> ?v }} }}",
            dataset=False,
        )
        # every token (two writers at once may leave two): any write changes the key
        return "|".join(sorted(row["v"].value for row in rows))  # type: ignore[union-attr, index]

    def _bump(self, graphs: Sequence[str] = ()) -> str:
        """The update of a new generation token, recording the graphs just written."""
        return self._record_update([str(g) for g in graphs])

    def touched(self, graphs: Sequence[str] | None = None) -> None:
        """Record a write made outside :meth:`replace_graph` (new generation): of
        ``graphs``, or, when not known (a SPARQL update), of every graph (a scan)."""
        if graphs is None:
            self.register_graphs()
        else:
            self.update_raw(self._bump(graphs))
