"""Every format name, media type and file extension, registered once.

Two families, as in rdflib's ``plugin.register()``: the SPARQL 1.1 Query Results
formats of SELECT/ASK answers (json, xml, csv, tsv) and the RDF formats of
CONSTRUCT/DESCRIBE answers and of store exports (ttl, nt, nq, trig, jsonld, xml).
A name is unique within its family only: ``xml`` is SPARQL results XML for a SELECT
and RDF/XML for a CONSTRUCT, so lookups take the family (``"results"`` or ``"rdf"``).

The tables below (``RESULT_FORMATS``, ``GRAPH_FORMATS``, ``EXPORT_FORMATS``,
``RESULT_MEDIA``, ``GRAPH_MEDIA``, ``FORMAT_NAMES``, ``RDFLIB_NAMES``) are derived
from the registrations: add a format with :func:`register` in this module, never by
writing another table elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pyoxigraph as ox

from mandategraph.errors import UnknownFormatError

Family = Literal["results", "rdf"]


@dataclass(frozen=True, kw_only=True)
class Format:
    """One serialization: its name, media type and file extension.

    Attributes:
        name: our name for it, the ``?format=`` and ``--format`` value.
        media_type: the media type we answer with.
        extension: the file extension, without the dot (``srj``, ``ttl``).
        aliases: other ``?format=`` names clients use for it.
        also_media: other media types a client may ask for in ``Accept`` and get
            this format (``application/json`` -> SPARQL results JSON), in order of
            preference.
    """

    name: str
    media_type: str
    extension: str
    aliases: tuple[str, ...] = ()
    also_media: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ResultsFormat(Format):
    """A SPARQL 1.1 Query Results format (SELECT/ASK), written by Oxigraph."""

    engine: ox.QueryResultsFormat


@dataclass(frozen=True, kw_only=True)
class RdfFormat(Format):
    """An RDF format: CONSTRUCT/DESCRIBE answers, exports, the service description.

    Attributes:
        engine: the pyoxigraph format that writes it.
        rdflib_name: rdflib's serializer name (for graphs rdflib writes).
        quads: whether it carries named graphs (an export keeps them).
        answers_queries: offered for CONSTRUCT/DESCRIBE answers (a dataset format
            such as N-Quads is offered for exports only).
    """

    engine: ox.RdfFormat
    rdflib_name: str
    quads: bool = False
    answers_queries: bool = True


_RESULTS: dict[str, ResultsFormat] = {}
_RDF: dict[str, RdfFormat] = {}


def register(fmt: ResultsFormat | RdfFormat) -> None:
    """Register ``fmt`` under its name; the order of registration is the order of
    preference in content negotiation.

    Raises:
        ValueError: the name is already registered in the family.
    """
    registry: dict[str, ResultsFormat] | dict[str, RdfFormat]
    registry = _RESULTS if isinstance(fmt, ResultsFormat) else _RDF
    if fmt.name in registry:
        raise ValueError(f"format {fmt.name!r} is already registered")
    registry[fmt.name] = fmt  # type: ignore[assignment]


register(ResultsFormat(name="json", media_type="application/sparql-results+json",
                       extension="srj", engine=ox.QueryResultsFormat.JSON,
                       also_media=("application/json",)))
register(ResultsFormat(name="xml", media_type="application/sparql-results+xml",
                       extension="srx", engine=ox.QueryResultsFormat.XML,
                       also_media=("application/xml", "text/xml")))
register(ResultsFormat(name="csv", media_type="text/csv", extension="csv",
                       engine=ox.QueryResultsFormat.CSV))
register(ResultsFormat(name="tsv", media_type="text/tab-separated-values", extension="tsv",
                       engine=ox.QueryResultsFormat.TSV))

register(RdfFormat(name="ttl", media_type="text/turtle", extension="ttl",
                   engine=ox.RdfFormat.TURTLE, rdflib_name="turtle",
                   aliases=("turtle",), also_media=("application/x-turtle",)))
register(RdfFormat(name="nt", media_type="application/n-triples", extension="nt",
                   engine=ox.RdfFormat.N_TRIPLES, rdflib_name="nt",
                   aliases=("ntriples", "n-triples"), also_media=("text/plain",)))
register(RdfFormat(name="nq", media_type="application/n-quads", extension="nq",
                   engine=ox.RdfFormat.N_QUADS, rdflib_name="nquads",
                   quads=True, answers_queries=False))
register(RdfFormat(name="trig", media_type="application/trig", extension="trig",
                   engine=ox.RdfFormat.TRIG, rdflib_name="trig",
                   quads=True, answers_queries=False))
# "json" asks a CONSTRUCT for JSON-LD, as "xml" asks it for RDF/XML
register(RdfFormat(name="jsonld", media_type="application/ld+json", extension="jsonld",
                   engine=ox.RdfFormat.JSON_LD, rdflib_name="json-ld", quads=True,
                   aliases=("json-ld", "json"), also_media=("application/json",)))
register(RdfFormat(name="xml", media_type="application/rdf+xml", extension="rdf",
                   engine=ox.RdfFormat.RDF_XML, rdflib_name="xml",
                   aliases=("rdfxml", "rdf"), also_media=("application/xml", "text/xml")))


def results_formats() -> list[ResultsFormat]:
    """The SPARQL results formats, in order of preference."""
    return list(_RESULTS.values())


def rdf_formats(*, answers_queries: bool | None = None) -> list[RdfFormat]:
    """The RDF formats in order of preference; ``answers_queries=True`` keeps those
    offered for CONSTRUCT/DESCRIBE answers, ``None`` keeps all (exports)."""
    return [f for f in _RDF.values()
            if answers_queries is None or f.answers_queries == answers_queries]


def lookup(name: str, family: Family) -> ResultsFormat | RdfFormat:
    """The format called ``name`` in ``family`` (its own name, not an alias).

    Raises:
        UnknownFormatError: no such format in the family.
    """
    registry: dict[str, ResultsFormat] | dict[str, RdfFormat]
    registry = _RESULTS if family == "results" else _RDF
    try:
        return registry[name]
    except KeyError:
        kind = "query results" if family == "results" else "RDF"
        raise UnknownFormatError(
            f"unknown {kind} format {name!r} (use one of {', '.join(registry)})"
        ) from None


def results_format(name: str) -> ResultsFormat:
    """The SPARQL results format called ``name``.

    Raises:
        UnknownFormatError: no such format.
    """
    fmt = lookup(name, "results")
    assert isinstance(fmt, ResultsFormat)
    return fmt


def rdf_format(name: str) -> RdfFormat:
    """The RDF format called ``name``.

    Raises:
        UnknownFormatError: no such format.
    """
    fmt = lookup(name, "rdf")
    assert isinstance(fmt, RdfFormat)
    return fmt


def media_type(name: str, family: Family) -> str:
    """The media type of the format ``name`` of ``family``.

    Raises:
        UnknownFormatError: no such format.
    """
    return lookup(name, family).media_type


def extension(name: str, family: Family) -> str:
    """The file extension (no dot) of the format ``name`` of ``family``.

    Raises:
        UnknownFormatError: no such format.
    """
    return lookup(name, family).extension


def _media_table(formats: list[ResultsFormat] | list[RdfFormat]) -> dict[str, str]:
    """media type -> format name: every format's own type first, then the others."""
    table = {f.media_type: f.name for f in formats}
    for f in formats:
        for media in f.also_media:
            table.setdefault(media, f.name)
    return table


def _format_names() -> dict[str, tuple[str | None, str | None]]:
    names: dict[str, tuple[str | None, str | None]] = {
        f.name: (f.name, None) for f in results_formats()
    }
    for f in rdf_formats(answers_queries=True):
        for name in (f.name, *f.aliases):
            names[name] = (names.get(name, (None, None))[0], f.name)
    return names


#: SELECT/ASK formats: name -> (pyoxigraph format, media type)
RESULT_FORMATS: dict[str, tuple[ox.QueryResultsFormat, str]] = {
    f.name: (f.engine, f.media_type) for f in results_formats()
}
#: CONSTRUCT/DESCRIBE formats: name -> (pyoxigraph format, media type)
GRAPH_FORMATS: dict[str, tuple[ox.RdfFormat, str]] = {
    f.name: (f.engine, f.media_type) for f in rdf_formats(answers_queries=True)
}
#: Export formats: name -> (pyoxigraph format, carries named graphs?)
EXPORT_FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    f.name: (f.engine, f.quads) for f in rdf_formats()
}
#: media type -> results format name (SELECT/ASK), in order of preference
RESULT_MEDIA: dict[str, str] = _media_table(results_formats())
#: media type -> RDF format name (CONSTRUCT/DESCRIBE), in order of preference
GRAPH_MEDIA: dict[str, str] = _media_table(rdf_formats(answers_queries=True))
#: ``?format=`` values, names and aliases: name -> (results format, RDF format)
FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = _format_names()
#: RDF format name -> rdflib serializer name
RDFLIB_NAMES: dict[str, str] = {f.name: f.rdflib_name for f in rdf_formats()}
#: file extension of a results format -> its name (``srj`` -> ``json``)
RESULT_EXTENSIONS: dict[str, str] = {f.extension: f.name for f in results_formats()}
