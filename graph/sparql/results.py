"""SPARQL results: serialization in the standard formats and plain rows for tables.

SELECT/ASK results are written in the SPARQL 1.1 Query Results formats (JSON, XML,
CSV, TSV) by Oxigraph itself; CONSTRUCT/DESCRIBE results in RDF formats. Rows for a
terminal table or an HTML page are plain strings: literals by their lexical form,
IRIs in full.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from mandategraph.errors import UnknownFormatError
from mandategraph.graph.sparql.formats import GRAPH_FORMATS, RESULT_FORMATS

XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass
class Table:
    """A SELECT result as plain strings, for terminals and HTML pages."""

    columns: list[str]
    rows: list[list[str | None]] = field(default_factory=list)
    truncated: bool = False
    #: the datatype IRI of each literal cell (``None`` for IRIs, blank nodes, unbound),
    #: parallel to ``rows`` (empty when not known)
    datatypes: list[list[str | None]] = field(default_factory=list)


def term_text(term: object) -> str | None:
    """The plain text of a result term: lexical form of a literal, IRI of a node."""
    if term is None:
        return None
    if isinstance(term, ox.Literal | ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def term_datatype(term: object) -> str | None:
    """The datatype IRI of a literal result term, else ``None``."""
    if isinstance(term, ox.Literal):
        return term.datatype.value
    return None


def to_table(
    results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, *, max_rows: int | None = None
) -> Table:
    """Read results into a :class:`Table` (ASK: one ``result`` column; graphs: s/p/o)."""
    if isinstance(results, ox.QueryBoolean):
        return Table(["result"], [["true" if bool(results) else "false"]],
                     datatypes=[[f"{XSD}boolean"]])
    if isinstance(results, ox.QueryTriples):
        table = Table(["subject", "predicate", "object"])
        for triple in results:
            if max_rows is not None and len(table.rows) >= max_rows:
                table.truncated = True
                break
            table.rows.append([term_text(triple.subject), term_text(triple.predicate),
                               term_text(triple.object)])
        return table
    columns = [v.value for v in results.variables]
    table = Table(columns)
    for solution in results:
        if max_rows is not None and len(table.rows) >= max_rows:
            table.truncated = True
            break
        terms = [solution[c] for c in columns]
        table.rows.append([term_text(t) for t in terms])
        table.datatypes.append([term_datatype(t) for t in terms])
    return table


def serialize(
    results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, fmt: str
) -> tuple[bytes, str]:
    """Serialize results in ``fmt``; returns ``(body, media type)``.

    Raises:
        UnknownFormatError: ``fmt`` does not fit the kind of result.
    """
    if isinstance(results, ox.QueryTriples):
        if fmt not in GRAPH_FORMATS:
            raise UnknownFormatError(
                f"a graph result cannot be written as {fmt!r} (use {', '.join(GRAPH_FORMATS)})"
            )
        rdf_format, media = GRAPH_FORMATS[fmt]
        return ox.serialize(results, format=rdf_format), media  # type: ignore[return-value]
    if fmt not in RESULT_FORMATS:
        raise UnknownFormatError(
            f"query results cannot be written as {fmt!r} (use {', '.join(RESULT_FORMATS)})"
        )
    results_format, media = RESULT_FORMATS[fmt]
    return results.serialize(format=results_format), media  # type: ignore[return-value]
