"""The one table of formats: each name, media type and extension registered once, and
the tables the rest of the code reads derived from it."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from mandategraph.errors import UnknownFormatError
from mandategraph.graph.sparql import formats


def test_a_name_means_one_format_per_family() -> None:
    assert formats.media_type("xml", "results") == "application/sparql-results+xml"
    assert formats.media_type("xml", "rdf") == "application/rdf+xml"
    assert formats.extension("json", "results") == "srj"
    assert formats.extension("xml", "rdf") == "rdf"


def test_extensions_and_media_types_agree_with_oxigraph() -> None:
    for fmt in formats.results_formats():
        assert fmt.extension == fmt.engine.file_extension
        assert fmt.engine.media_type.startswith(fmt.media_type)
    for fmt in formats.rdf_formats():
        assert fmt.extension == fmt.engine.file_extension
        assert fmt.media_type == fmt.engine.media_type
        assert fmt.quads == fmt.engine.supports_datasets


def test_the_derived_tables() -> None:
    assert formats.RESULT_FORMATS["csv"] == (ox.QueryResultsFormat.CSV, "text/csv")
    assert list(formats.GRAPH_FORMATS) == ["ttl", "nt", "jsonld", "xml"]
    assert list(formats.EXPORT_FORMATS) == ["ttl", "nt", "nq", "trig", "jsonld", "xml"]
    assert formats.EXPORT_FORMATS["trig"] == (ox.RdfFormat.TRIG, True)
    # a format's own media type comes before the looser ones a client may send
    assert list(formats.RESULT_MEDIA)[:4] == [f.media_type for f in formats.results_formats()]
    assert formats.RESULT_MEDIA["application/json"] == "json"
    assert formats.GRAPH_MEDIA["application/json"] == "jsonld"
    assert formats.FORMAT_NAMES["json"] == ("json", "jsonld")
    assert formats.FORMAT_NAMES["turtle"] == (None, "ttl")
    assert formats.RDFLIB_NAMES["jsonld"] == "json-ld"
    assert formats.RESULT_EXTENSIONS == {"srj": "json", "srx": "xml", "csv": "csv", "tsv": "tsv"}


def test_an_unknown_name_is_an_unknown_format_error() -> None:
    with pytest.raises(UnknownFormatError):
        formats.media_type("yaml", "results")


def test_a_name_cannot_be_registered_twice() -> None:
    with pytest.raises(ValueError):
        formats.register(formats.results_formats()[0])
