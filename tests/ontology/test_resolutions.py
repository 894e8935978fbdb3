"""The resolutions reference data: titles, adoption dates, the recalls lineage."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import DCTERMS, XSD

from mandategraph.ontology.namespaces import MG, resolution_iri
from mandategraph.ontology.resolutions import (
    RESOLUTIONS_FILE,
    ResolutionDataError,
    read_series,
    resolutions_graph,
)

SHARED_FILE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / (
    "oas-sids-resolutions.yaml"
)


def test_the_copy_keeps_every_line_of_the_shared_file() -> None:
    if not SHARED_FILE.is_file():
        pytest.skip("../shared is not here")
    copy = RESOLUTIONS_FILE.read_text(encoding="utf-8")
    for line in SHARED_FILE.read_text(encoding="utf-8").splitlines():
        assert line in copy


def test_titles_dates_and_lineage_of_the_seed_resolutions() -> None:
    graph = resolutions_graph()
    for symbol, date in (("AG/RES. 2485 (XXXIX-O/09)", "2009-06-04"),
                         ("AG/RES. 2397 (XXXVIII-O/08)", "2008-06-03"),
                         ("AG/RES. 2325 (XXXVII-O/07)", "2007-06-05")):
        iri = resolution_iri(symbol)
        assert (iri, DCTERMS.issued, Literal(date, datatype=XSD.date)) in graph
        titles = [str(t) for t in graph.objects(iri, DCTERMS.title)]
        assert titles == ["Special Security Concerns of the Small Island States of the Caribbean"]
        assert list(graph.objects(iri, DCTERMS.source)), "every fact carries its sources"
    recalled = set(graph.objects(resolution_iri("AG/RES. 2485 (XXXIX-O/09)"), MG.recalls))
    assert resolution_iri("AG/RES. 2325 (XXXVII-O/07)") in recalled
    assert len(recalled) == 12
    # only the year is known: an xsd:gYear, not an invented day
    assert (resolution_iri("AG/RES. 2619 (XLI-O/11)"), DCTERMS.issued,
            Literal("2011", datatype=XSD.gYear)) in graph
    # AG/RES. 2006 has no recalls listed: none invented
    assert not list(graph.objects(resolution_iri("AG/RES. 2006 (XXXIV-O/04)"), MG.recalls))


def test_a_recall_of_an_unlisted_resolution_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "r.yaml"
    bad.write_text(
        "series: {s: {en: S}}\nresolutions:\n"
        "  - {symbol: 'AG/RES. 1001 (I-O/70)', recalls: ['AG/RES. 2002 (I-O/70)']}\n",
        encoding="utf-8",
    )
    with pytest.raises(ResolutionDataError, match="recalls AG/RES. 2002"):
        read_series(bad)


def test_a_symbol_that_is_not_normalized_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "r.yaml"
    bad.write_text("series: {s: {en: S}}\nresolutions:\n  - {symbol: 'AG/RES 2485'}\n",
                   encoding="utf-8")
    with pytest.raises(ResolutionDataError, match="not a normalized resolution symbol"):
        read_series(bad)


def test_the_default_graph_knows_the_series(built_store) -> None:  # type: ignore[no-untyped-def]
    rows = built_store.query(
        "SELECT ?symbol ?title ?issued WHERE { ?r skos:notation ?symbol ; "
        "dcterms:title ?title ; dcterms:issued ?issued . "
        "VALUES ?symbol { 'AG/RES. 2485 (XXXIX-O/09)' 'AG/RES. 2397 (XXXVIII-O/08)' "
        "'AG/RES. 2325 (XXXVII-O/07)' } }"
    )
    found = {r["symbol"].value: r["issued"].value for r in rows}
    assert found == {"AG/RES. 2485 (XXXIX-O/09)": "2009-06-04",
                     "AG/RES. 2397 (XXXVIII-O/08)": "2008-06-03",
                     "AG/RES. 2325 (XXXVII-O/07)": "2007-06-05"}
    chain = built_store.query(
        "SELECT (COUNT(DISTINCT ?old) AS ?n) WHERE { "
        "?r skos:notation 'AG/RES. 2485 (XXXIX-O/09)' ; mg:recalls+ ?old }"
    )
    # the 12 it recalls, and AG/RES. 1744, recalled only through AG/RES. 1802
    assert int(next(iter(chain))["n"].value) == 13
