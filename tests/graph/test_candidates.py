"""Unknown organization-like names are kept for curation; words in capitals are not."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, RDFS

from mandategraph.graph.extraction.extract import extract
from mandategraph.graph.extraction.readers import read_document
from mandategraph.ontology.namespaces import MG

DATA = Path(__file__).parents[1] / "data"
CORPUS = Path(__file__).parents[2] / "corpus"


def candidates(path: Path) -> list[str]:
    graph = extract(read_document(path))
    return sorted(str(graph.value(c, RDFS.label)) for c in graph.subjects(RDF.type, MG.Candidate))


def test_unknown_acronyms_of_the_seed_are_candidates() -> None:
    # PSAP is no longer listed: it is the acronym of a programme ("Programme de
    # partenariat pour l'assistance en matière de sécurité portuaire (PSAP)"), and
    # programme names are not organizations (issue 12)
    assert candidates(CORPUS / "oas-sms-caribbean-sids-activities-2010.fr.txt") == [
        "DVLM", "IPO",
    ]


def test_symbols_formula_words_and_programmes_are_not_candidates(tmp_path: Path) -> None:
    path = tmp_path / "report.fr.txt"
    path.write_text(
        "CONSEIL PERMANENT                      CP/CSH-1497/13\n\n"
        "1. DROGUES\n\nVISTO le rapport, la CICAD a étendu son programme de formation "
        "PROCCER et travaillé avec le XKCDQ à Castries.\n",
        encoding="utf-8",
    )
    assert candidates(path) == ["XKCDQ"]


def test_resolution_words_in_capitals_are_not_candidates() -> None:
    # regression: RECALLING, BEARING IN MIND, RESOLVES were listed for curation
    assert candidates(DATA / "ag-res-2866-xliv-o-14.txt") == []
