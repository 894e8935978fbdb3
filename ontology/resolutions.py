"""Reference data on resolutions: titles, adoption dates and the "recalls" lineage.

``reference/resolutions.yaml`` is a copy of the public facts gathered on the OAS
General Assembly series on the security of the small island states of the Caribbean
(1996-2011): each resolution's symbol, English title, adoption date (or only its
year), and which earlier resolutions its preamble recalls. This module checks it and
renders it as RDF for the reference graph, so that a report citing AG/RES. 2485 leads
to the whole series:

* each resolution is a ``mg:Resolution`` with its symbol (``skos:notation``), its
  title (``dcterms:title``, English), its adoption (``dcterms:issued``: an
  ``xsd:date``, or an ``xsd:gYear`` when only the year is known), the series it
  belongs to (``dcterms:isPartOf``) and the sources of these facts
  (``dcterms:source``);
* ``mg:recalls`` links a resolution to each earlier one its preamble recalls;
* the series is a ``skos:Collection`` labelled in English, French and Spanish.

Fields the file leaves out are not known and are not invented here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from mandategraph.ontology.namespaces import ID, MG, PREFIXES, REFERENCE_GRAPH, resolution_iri

__all__ = [
    "RESOLUTIONS_FILE",
    "ResolutionFact",
    "ResolutionSeries",
    "load_resolution_series",
    "resolutions_graph",
]

#: The reference file (a copy of ``shared/reference/oas-sids-resolutions.yaml``).
RESOLUTIONS_FILE = Path(__file__).resolve().parent / "reference" / "resolutions.yaml"

_SYMBOL = re.compile(r"AG/RES\. \d{3,4} \([IVXLC]+-[OE]/\d{2}\)")


@dataclass(frozen=True)
class ResolutionFact:
    """What the reference file says about one resolution."""

    symbol: str
    title_en: str | None = None
    adopted: dt.date | None = None
    year: int | None = None
    recalls: tuple[str, ...] = ()

    @property
    def iri(self) -> URIRef:
        """The resolution's IRI (the one extraction gives it too)."""
        return resolution_iri(self.symbol)


@dataclass(frozen=True)
class ResolutionSeries:
    """A series of resolutions on one subject, with the sources of its facts."""

    key: str
    labels: dict[str, str]
    committee: str | None
    resolutions: tuple[ResolutionFact, ...]
    sources: tuple[str, ...] = field(default=())

    @property
    def iri(self) -> URIRef:
        """The series' IRI (``id/series/<key>``)."""
        return ID[f"series/{self.key}"]


class ResolutionDataError(ValueError):
    """The resolutions reference file is malformed."""


def _symbol(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _SYMBOL.fullmatch(value):
        raise ResolutionDataError(f"{where}: not a normalized resolution symbol: {value!r}")
    return value


def _fact(entry: Any, where: str) -> ResolutionFact:
    if not isinstance(entry, dict):
        raise ResolutionDataError(f"{where}: expected a mapping")
    symbol = _symbol(entry.get("symbol"), f"{where}.symbol")
    adopted = entry.get("adopted")
    if adopted is not None and not isinstance(adopted, dt.date):
        raise ResolutionDataError(f"{where}.adopted: not a date: {adopted!r}")
    year = entry.get("year")
    if year is not None and not isinstance(year, int):
        raise ResolutionDataError(f"{where}.year: not a year: {year!r}")
    if adopted is not None:
        year = adopted.year
    recalls = tuple(
        _symbol(s, f"{where}.recalls") for s in entry.get("recalls") or ()
    )
    title = entry.get("title_en")
    return ResolutionFact(symbol, str(title) if title else None, adopted, year, recalls)


def read_series(path: Path = RESOLUTIONS_FILE) -> list[ResolutionSeries]:
    """Read and check a resolutions reference file.

    Raises:
        ResolutionDataError: the file is not the expected YAML, a symbol is not
            normalized, or a resolution recalls one the file does not list.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ResolutionDataError(f"{path.name}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("series"), dict):
        raise ResolutionDataError(f"{path.name}: expected 'series' and 'resolutions'")
    facts = tuple(
        _fact(entry, f"{path.name}:resolutions[{n}]")
        for n, entry in enumerate(data.get("resolutions") or [])
    )
    known = {f.symbol for f in facts}
    for fact in facts:
        missing = [s for s in fact.recalls if s not in known]
        if missing:
            raise ResolutionDataError(
                f"{path.name}: {fact.symbol} recalls {', '.join(missing)}, not listed"
            )
    sources = tuple(str(s) for s in data.get("sources") or ())
    found = []
    for key, entry in data["series"].items():
        labels = {lang: str(entry[lang]) for lang in ("en", "fr", "es") if entry.get(lang)}
        committee = entry.get("committee")
        found.append(ResolutionSeries(str(key), labels, committee, facts, sources))
    return found


@lru_cache(maxsize=1)
def load_resolution_series() -> tuple[ResolutionSeries, ...]:
    """The series of :data:`RESOLUTIONS_FILE`, read once per process."""
    return tuple(read_series(RESOLUTIONS_FILE))


def resolutions_graph(series: tuple[ResolutionSeries, ...] | None = None) -> Graph:
    """The resolutions, their series and their lineage as RDF (for the reference graph)."""
    graph = Graph(identifier=REFERENCE_GRAPH)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for one in load_resolution_series() if series is None else series:
        graph.add((one.iri, RDF.type, SKOS.Collection))
        graph.add((one.iri, SKOS.notation, Literal(one.key)))
        for lang, label in one.labels.items():
            graph.add((one.iri, SKOS.prefLabel, Literal(label, lang=lang)))
        if "en" in one.labels:
            graph.add((one.iri, RDFS.label, Literal(one.labels["en"], lang="en")))
        if one.committee:
            graph.add((one.iri, SKOS.scopeNote, Literal(one.committee, lang="en")))
        for fact in one.resolutions:
            graph.add((fact.iri, RDF.type, MG.Resolution))
            graph.add((fact.iri, SKOS.notation, Literal(fact.symbol)))
            graph.add((fact.iri, DCTERMS.isPartOf, one.iri))
            if fact.title_en:
                graph.add((fact.iri, DCTERMS.title, Literal(fact.title_en, lang="en")))
            if fact.adopted is not None:
                graph.add((fact.iri, DCTERMS.issued,
                           Literal(fact.adopted.isoformat(), datatype=XSD.date)))
            elif fact.year is not None:
                graph.add((fact.iri, DCTERMS.issued,
                           Literal(f"{fact.year:04d}", datatype=XSD.gYear)))
            for source in one.sources:
                graph.add((fact.iri, DCTERMS.source, Literal(source, lang="en")))
            for recalled in fact.recalls:
                graph.add((fact.iri, MG.recalls, resolution_iri(recalled)))
    return graph
