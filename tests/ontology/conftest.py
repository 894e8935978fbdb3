"""Fixtures of the ontology tests: a synthetic graph shaped like an extracted report.

The graph mimics what the extraction emits for the seed report (see
``/work/shared/gold/seed-report.gold.yaml``): reference data (states,
organizations, themes, a resolution and its paragraphs), then per activity its
facts, its evidence span and an ``rdf:Statement`` per fact. It is valid against
the shapes and consistent with the ontology, and it grows linearly with
``activities`` (about 80 triples each), so it doubles as the timing workload.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from mandategraph.ontology.namespaces import (
    MG,
    activity_iri,
    document_iri,
    org_iri,
    paragraph_iri,
    resolution_iri,
    section_iri,
    span_iri,
    state_iri,
    status_iri,
    theme_iri,
)

# (not rdflib's XSD: pytest probes module globals and the closed namespace warns)
GYEARMONTH = URIRef("http://www.w3.org/2001/XMLSchema#gYearMonth")
SYMBOL = "AG/RES. 2485 (XXXIX-O/09)"
STATES = ["ATG", "BHS", "BRB", "BLZ", "DMA", "GRD", "GUY", "HTI", "JAM", "KNA", "LCA", "VCT",
          "SUR", "TTO", "CAN", "USA", "FRA"]
OAS_BODIES = ["CICTE", "CICAD", "DPS", "SMS", "OID", "MEM"]
PARTNERS = ["ICAO", "TSA", "UNODC", "UNODC-TPB", "INTERPOL", "UNICRI", "CARICOM"]
THEMES = ["violence-prevention", "border-control", "firearms-trafficking",
          "trafficking-in-persons", "drug-trafficking", "crime-monitoring",
          "counter-terrorism-legislation", "cybersecurity", "major-events-security"]
KINDS = [MG.Training, MG.Workshop, MG.Meeting, MG.Assessment, MG.Study, MG.Exercise,
         MG.TechnicalAssistance, MG.EquipmentProvision, MG.Scholarship, MG.Programme]
PARAGRAPHS = ["5", "5.a", "5.b", "5.c", "5.d", "5.e", "5.f", "5.g"]


def reference_data() -> Graph:
    """States, organizations, themes, one resolution and its paragraphs."""
    g = Graph()
    for code in STATES:
        s = state_iri(code)
        g.add((s, RDF.type, MG.MemberState if code not in ("FRA",) else MG.State))
        g.add((s, SKOS.notation, Literal(code)))
        g.add((s, RDFS.label, Literal(f"state {code}", lang="en")))
    for key in OAS_BODIES + PARTNERS:
        o = org_iri(key)
        g.add((o, RDF.type, MG.OASBody if key in OAS_BODIES else MG.PartnerOrganization))
        g.add((o, SKOS.notation, Literal(key)))
        g.add((o, SKOS.prefLabel, Literal(key, lang="en")))
    g.add((org_iri("UNODC-TPB"), MG.subOrganizationOf, org_iri("UNODC")))
    for key in THEMES:
        t = theme_iri(key)
        g.add((t, RDF.type, MG.Theme))
        g.add((t, SKOS.notation, Literal(key)))
        g.add((t, SKOS.inScheme, URIRef("https://w3id.org/mandategraph/id/theme")))
    res = resolution_iri(SYMBOL)
    g.add((res, RDF.type, MG.Resolution))
    g.add((res, SKOS.notation, Literal(SYMBOL)))
    for number in PARAGRAPHS:
        p = paragraph_iri(SYMBOL, number)
        g.add((p, RDF.type, MG.OperativeParagraph))
        g.add((p, MG.paragraphOf, res))
        g.add((p, MG.paragraphNumber, Literal(number)))
        if "." in number:
            g.add((p, MG.subParagraphOf, paragraph_iri(SYMBOL, "5")))
    return g


def report_data(activities: int, *, slug: str = "seed-report") -> Graph:
    """A report with ``activities`` activities, their spans and reified facts."""
    g = Graph()
    doc = document_iri(slug)
    g.add((doc, RDF.type, MG.Report))
    g.add((doc, MG.language, Literal("fr")))
    g.add((doc, MG.recalls, resolution_iri(SYMBOL)))
    for n in range(activities):
        section = section_iri(slug, n // 7 + 1)
        g.add((section, RDF.type, MG.Section))
        g.add((section, MG.inDocument, doc))
        g.add((section, MG.sectionNumber, Literal(str(n // 7 + 1))))
        start = 1000 + 300 * n
        span = span_iri(slug, start, start + 250)
        g.add((span, RDF.type, MG.TextSpan))
        g.add((span, MG.inDocument, doc))
        g.add((span, MG.startOffset, Literal(start)))
        g.add((span, MG.endOffset, Literal(start + 250)))
        g.add((span, MG.quote, Literal(f"Le CICTE a organisé l'activité {n}.", lang="fr")))
        a = activity_iri(slug, f"{n // 7 + 1}-{n % 7 + 1}")
        facts: list[tuple[URIRef, URIRef | Literal]] = [
            (RDF.type, KINDS[n % len(KINDS)]),
            (MG.theme, theme_iri(THEMES[n % len(THEMES)])),
            (MG.implements, paragraph_iri(SYMBOL, PARAGRAPHS[1 + n % 7])),
            (MG.conductedBy, org_iri(OAS_BODIES[n % len(OAS_BODIES)])),
            (MG.inPartnershipWith, org_iri(PARTNERS[n % len(PARTNERS)])),
            (MG.beneficiary, state_iri(STATES[n % 14])),
            (MG.beneficiary, state_iri(STATES[(n + 3) % 14])),
            (MG.heldIn, state_iri(STATES[(n + 5) % 14])),
            (MG.year, Literal(2008 + n % 3)),
            (MG.participantCount, Literal(20 + n)),
            (MG.status, status_iri(("planned", "ongoing", "completed")[n % 3])),
            (MG.reportedIn, section),
            (MG.startDate, Literal(f"{2008 + n % 3}-0{1 + n % 9}", datatype=GYEARMONTH)),
            (RDFS.label, Literal(f"activité {n}", lang="fr")),
        ]
        if n % 4 == 0:
            facts.append((MG.fundedBy, state_iri("USA" if n % 8 else "CAN")))
        g.add((a, PROV.wasDerivedFrom, span))
        for predicate, obj in facts:
            g.add((a, predicate, obj))
            statement = BNode()
            g.add((statement, RDF.type, RDF.Statement))
            g.add((statement, RDF.subject, a))
            g.add((statement, RDF.predicate, predicate))
            g.add((statement, RDF.object, obj))
            g.add((statement, PROV.wasDerivedFrom, span))
    return g


@pytest.fixture(scope="session")
def synthetic() -> Callable[[int], Graph]:
    """Build reference data + a report of ``activities`` activities as one graph."""

    def build(activities: int) -> Graph:
        g = reference_data()
        g += report_data(activities)
        return g

    return build
