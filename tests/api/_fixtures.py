"""A small graph in the mandategraph vocabulary for the web tests.

One report (``test-report``) whose text is written to a corpus folder; two
activities (one implementing paragraph 5.b, one implementing nothing), a mandate with
an activity (5.b) and one without (5.c), two organizations plus one whose label holds
markup, two states, a theme. Every fact of the first activity has its span and its
``rdf:Statement``; offsets are computed from the text so they are right by
construction.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI
from rdflib import Graph

from mandategraph.api.settings import Settings
from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology" / "mandategraph.ttl"

SLUG = "test-report"
TEXT = (
    "Report on activities for the small island states (test).\n"
    "\n"
    "2) Border control:\n"
    "\n"
    "In accordance with paragraph 5.b of resolution AG/RES. 2485 (XXXIX-O/09), "
    "CICTE held a customs training in Jamaica with UNODC in 2010, for 25 officers.\n"
    "\n"
    "8) Cybersecurity:\n"
    "\n"
    "CICTE organized a cybersecurity workshop in Trinidad and Tobago in 2009.\n"
)

#: The sentence the first activity was read from, and shorter spans for its facts.
SENTENCE = (
    "CICTE held a customs training in Jamaica with UNODC in 2010, for 25 officers."
)
WORKSHOP = "CICTE organized a cybersecurity workshop in Trinidad and Tobago in 2009."
MANDATE_5B = (
    "To improve border security systems and capacities, including transport security."
)
MANDATE_5C = "To continue supporting the marking of firearms."
EVIL_LABEL = "<script>alert('x')</script> Evil Org"

P = "https://w3id.org/mandategraph/id/"
ACTIVITY = f"{P}document/{SLUG}/activity/2-1"
WORKSHOP_ACTIVITY = f"{P}document/{SLUG}/activity/8-1"


def span(fragment: str, *, within: str = SENTENCE) -> tuple[int, int, str]:
    """Offsets of ``fragment`` (inside ``within``) in :data:`TEXT`."""
    base = TEXT.index(within)
    start = base + within.index(fragment)
    return start, start + len(fragment), fragment


def _span_ttl(name: str, start: int, end: int, quote: str) -> str:
    escaped = quote.replace("\\", "\\\\").replace('"', '\\"')
    return (
        f"<{P}document/{SLUG}/span/{start}-{end}> a mg:TextSpan ; "
        f"mg:inDocument <{P}document/{SLUG}> ; "
        f"mg:startOffset {start} ; mg:endOffset {end} ; mg:quote \"{escaped}\" .\n"
    )


def document_turtle() -> str:
    """The document graph: the report, its sections, activities, spans and statements."""
    sentence = span(SENTENCE)
    who = span("CICTE held a customs training")
    where = span("in Jamaica")
    partner = span("with UNODC")
    year = span("in 2010")
    count = span("for 25 officers")
    cites = span("paragraph 5.b of resolution AG/RES. 2485 (XXXIX-O/09)",
                 within=TEXT[TEXT.index("In accordance"):])
    workshop = span(WORKSHOP, within=WORKSHOP)
    spans = {
        "sentence": sentence, "who": who, "where": where, "partner": partner,
        "year": year, "count": count, "cites": cites, "workshop": workshop,
    }
    out = [
        "@prefix mg: <https://w3id.org/mandategraph/ontology#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .",
        "@prefix prov: <http://www.w3.org/ns/prov#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "@prefix id: <https://w3id.org/mandategraph/id/> .",
        "",
        f"<{P}document/{SLUG}> a mg:Report , mg:Document ;",
        '  dcterms:title "Report on activities for the small island states (test)" ;',
        '  mg:language "en" ;',
        "  mg:recalls id:resolution/ag-res-2485-xxxix-o-09 .",
        f"<{P}document/{SLUG}/section/2> a mg:Section ; mg:inDocument <{P}document/{SLUG}> ;",
        '  mg:sectionNumber "2" ; mg:theme id:theme/border-control ;',
        "  mg:cites id:resolution/ag-res-2485-xxxix-o-09/5.b .",
        f"<{P}document/{SLUG}/section/8> a mg:Section ; mg:inDocument <{P}document/{SLUG}> ;",
        '  mg:sectionNumber "8" ; mg:theme id:theme/cybersecurity .',
        "",
        f"<{ACTIVITY}> a mg:Training , mg:Activity ;",
        '  rdfs:label "customs training in Jamaica" ;',
        "  mg:theme id:theme/border-control ;",
        "  mg:year 2010 ;",
        "  mg:status id:status/completed ;",
        "  mg:conductedBy id:org/CICTE ;",
        "  mg:inPartnershipWith id:org/UNODC , id:org/EVIL ;",
        "  mg:beneficiary id:state/JAM ;",
        "  mg:participantCount 25 ;",
        "  mg:implements id:resolution/ag-res-2485-xxxix-o-09/5.b ;",
        f"  mg:reportedIn <{P}document/{SLUG}/section/2> ;",
        f"  prov:wasDerivedFrom <{P}document/{SLUG}/span/{sentence[0]}-{sentence[1]}> .",
        "",
        f"<{WORKSHOP_ACTIVITY}> a mg:Workshop , mg:Activity ;",
        '  rdfs:label "cybersecurity workshop" ;',
        "  mg:theme id:theme/cybersecurity ;",
        "  mg:year 2009 ;",
        "  mg:status id:status/completed ;",
        "  mg:conductedBy id:org/CICTE ;",
        "  mg:beneficiary id:state/TTO ;",
        f"  mg:reportedIn <{P}document/{SLUG}/section/8> ;",
        f"  prov:wasDerivedFrom <{P}document/{SLUG}/span/{workshop[0]}-{workshop[1]}> .",
        "",
    ]
    for name, (start, end, quote) in spans.items():
        out.append(_span_ttl(name, start, end, quote))
    statements = [
        ("rdf:type", "mg:Training", "sentence"),
        ("mg:theme", "id:theme/border-control", "sentence"),
        ("mg:year", "2010", "year"),
        ("mg:conductedBy", "id:org/CICTE", "who"),
        ("mg:inPartnershipWith", "id:org/UNODC", "partner"),
        ("mg:beneficiary", "id:state/JAM", "where"),
        ("mg:participantCount", "25", "count"),
        ("mg:implements", "id:resolution/ag-res-2485-xxxix-o-09/5.b", "cites"),
    ]
    for predicate, obj, origin in statements:
        start, end, _quote = spans[origin]
        out.append(
            f"[] a rdf:Statement ; rdf:subject <{ACTIVITY}> ; rdf:predicate {predicate} ; "
            f"rdf:object {obj} ; prov:wasDerivedFrom <{P}document/{SLUG}/span/{start}-{end}> ."
        )
    # the paragraphs as a report citing them knows them
    out += [
        "id:resolution/ag-res-2485-xxxix-o-09 a mg:Resolution , mg:Document ;",
        '  skos:notation "AG/RES. 2485 (XXXIX-O/09)" .',
        "id:resolution/ag-res-2485-xxxix-o-09/5 a mg:OperativeParagraph ;",
        '  mg:paragraphNumber "5" ; mg:paragraphOf id:resolution/ag-res-2485-xxxix-o-09 ;',
        "  mg:withinParagraph id:resolution/ag-res-2485-xxxix-o-09/5 .",
        "id:resolution/ag-res-2485-xxxix-o-09/5.b a mg:OperativeParagraph ;",
        '  mg:paragraphNumber "5.b" ; mg:paragraphOf id:resolution/ag-res-2485-xxxix-o-09 ;',
        "  mg:subParagraphOf id:resolution/ag-res-2485-xxxix-o-09/5 ;",
        "  mg:withinParagraph id:resolution/ag-res-2485-xxxix-o-09/5 ,",
        "    id:resolution/ag-res-2485-xxxix-o-09/5.b ;",
        f'  mg:text "{MANDATE_5B}"@en .',
        "id:resolution/ag-res-2485-xxxix-o-09/5.c a mg:OperativeParagraph ;",
        '  mg:paragraphNumber "5.c" ; mg:paragraphOf id:resolution/ag-res-2485-xxxix-o-09 ;',
        "  mg:subParagraphOf id:resolution/ag-res-2485-xxxix-o-09/5 ;",
        "  mg:withinParagraph id:resolution/ag-res-2485-xxxix-o-09/5 ,",
        "    id:resolution/ag-res-2485-xxxix-o-09/5.c ;",
        f'  mg:text "{MANDATE_5C}"@en .',
    ]
    return "\n".join(out) + "\n"


REFERENCE_TURTLE = f"""
@prefix mg: <https://w3id.org/mandategraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix id: <https://w3id.org/mandategraph/id/> .

id:org/CICTE a mg:OASBody , mg:Organization ; skos:notation "CICTE" ;
  rdfs:label "Inter-American Committee against Terrorism"@en ;
  skos:prefLabel "Inter-American Committee against Terrorism"@en ,
    "Comité interaméricain contre le terrorisme"@fr .
id:org/UNODC a mg:PartnerOrganization , mg:Organization ; skos:notation "UNODC" ;
  rdfs:label "United Nations Office on Drugs and Crime"@en .
id:org/EVIL a mg:PartnerOrganization , mg:Organization ; skos:notation "EVIL" ;
  rdfs:label "{EVIL_LABEL}"@en .
id:state/JAM a mg:MemberState , mg:State ; skos:notation "JAM" ; rdfs:label "Jamaica"@en .
id:state/TTO a mg:MemberState , mg:State ; skos:notation "TTO" ;
  rdfs:label "Trinidad and Tobago"@en .
id:theme/border-control a mg:Theme ; skos:notation "border-control" ;
  skos:prefLabel "border control"@en , "contrôle des frontières"@fr .
id:theme/cybersecurity a mg:Theme ; skos:notation "cybersecurity" ;
  skos:prefLabel "cybersecurity"@en .
id:status/completed a mg:ActivityStatus ; skos:prefLabel "completed"@en .
"""


def _expand(turtle: str) -> str:
    """Write ``id:org/CICTE`` as a full IRI: a slash is not allowed in a prefixed name."""
    return re.sub(r"\bid:([A-Za-z0-9/._-]*[A-Za-z0-9])", rf"<{P}\1>", turtle)


def build_store(location: str | Path = "memory") -> Store:
    """A store (memory, or on disk at ``location``) holding the ontology, the reference
    data and the test report."""
    store = Store.open(location)
    ontology = Graph().parse(ONTOLOGY, format="turtle")
    store.replace_graph(ONTOLOGY_GRAPH, ontology)
    store.replace_graph(REFERENCE_GRAPH,
                        Graph().parse(data=_expand(REFERENCE_TURTLE), format="turtle"))
    store.replace_graph(GRAPH[f"document/{SLUG}"],
                        Graph().parse(data=_expand(document_turtle()), format="turtle"))
    return store


def write_corpus(folder: Path) -> Path:
    """Write the report's text where the pages look for it (``<slug>.txt``)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{SLUG}.txt").write_text(TEXT, encoding="utf-8")
    return folder


def make_app(tmp_path: Path) -> tuple[FastAPI, Store]:
    """The app on the test store, with the report's text in a corpus folder."""
    from mandategraph.api.app import create_app

    store = build_store()
    settings = Settings(store="memory", corpus=write_corpus(tmp_path / "corpus"),
                        query_workers=1)
    return create_app(settings, store=store), store
