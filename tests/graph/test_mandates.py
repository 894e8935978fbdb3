"""The registry graph: paragraphs known from numbering, mandate kinds, text themes."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import PROV, RDF

from mandategraph.graph.mandates import (
    Paragraph,
    _first_tokens,
    lineage,
    load_cues,
    own_kind,
    refresh_registry,
    registry_graph,
    text_themes,
)
from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import GRAPH, MG, REGISTRY_GRAPH
from mandategraph.ontology.registry import load_registry

PREFIXES = """
@prefix mg: <https://w3id.org/mandategraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix r: <https://w3id.org/mandategraph/id/resolution/ag-res-9999-l-o-20/> .
@prefix d: <https://w3id.org/mandategraph/id/document/rep/> .
"""

REPORT = PREFIXES + """
<https://w3id.org/mandategraph/id/resolution/ag-res-9999-l-o-20> a mg:Resolution ;
    skos:notation "AG/RES. 9999 (L-O/20)" .
r:5 a mg:OperativeParagraph ; mg:paragraphNumber "5" ;
    mg:paragraphOf <https://w3id.org/mandategraph/id/resolution/ag-res-9999-l-o-20> .
r:5.b a mg:OperativeParagraph ; mg:paragraphNumber "5.b" ; mg:subParagraphOf r:5 ;
    mg:paragraphOf <https://w3id.org/mandategraph/id/resolution/ag-res-9999-l-o-20> ;
    prov:wasDerivedFrom d:span\\/10-20 .
r:5.e a mg:OperativeParagraph ; mg:paragraphNumber "5.e" ; mg:subParagraphOf r:5 ;
    mg:paragraphOf <https://w3id.org/mandategraph/id/resolution/ag-res-9999-l-o-20> ;
    prov:wasDerivedFrom d:span\\/30-40 .
d:span\\/10-20 mg:inDocument <https://w3id.org/mandategraph/id/document/rep> .
d:span\\/30-40 mg:inDocument <https://w3id.org/mandategraph/id/document/rep> .
d:section\\/1 mg:inDocument <https://w3id.org/mandategraph/id/document/rep> ;
    mg:cites r:5.b , r:5.e .
"""

RESOLUTION_TEXT = PREFIXES + """
<https://w3id.org/mandategraph/id/document/res> foaf:primaryTopic
    <https://w3id.org/mandategraph/id/resolution/ag-res-9999-l-o-20> .
"""


def store_with(*graphs: tuple[str, str]) -> Store:
    store = Store.open("memory")
    for name, turtle in graphs:
        store.replace_graph(GRAPH[f"document/{name}"], Graph().parse(data=turtle, format="turtle"))
    return store


def numbers(graph: Graph) -> set[str]:
    return {str(graph.value(p, MG.paragraphNumber))
            for p in graph.subjects(predicate=MG.impliedBy)}


def test_cited_letters_imply_the_ones_before_them() -> None:
    graph = registry_graph(store_with(("rep", REPORT)))
    assert numbers(graph) == {"5.a", "5.c", "5.d"}
    implied = {str(graph.value(p, MG.paragraphNumber)): str(graph.value(p, MG.impliedBy))
               for p in graph.subjects(predicate=MG.impliedBy)}
    # the nearest cited paragraph after each one, with that citation's span
    assert implied["5.a"].endswith("/5.b")
    assert implied["5.d"].endswith("/5.e")
    spans = {str(s) for p in graph.subjects(predicate=MG.impliedBy)
             if str(graph.value(p, MG.paragraphNumber)) == "5.c"
             for s in graph.objects(p, PROV.wasDerivedFrom)}
    assert spans == {"https://w3id.org/mandategraph/id/document/rep/span/30-40"}


def test_nothing_is_inferred_for_a_resolution_whose_text_is_loaded() -> None:
    store = store_with(("rep", REPORT), ("res", RESOLUTION_TEXT))
    assert numbers(registry_graph(store)) == set()


def test_the_seed_infers_2485_5f_and_2397_6a_to_6c(built_store: Store) -> None:
    rows = built_store.query(
        "SELECT ?symbol ?n ?by ?quote WHERE { GRAPH <REGISTRY> { ?p a mg:InferredParagraph ; "
        "mg:paragraphNumber ?n ; mg:impliedBy ?cited ; prov:wasDerivedFrom ?span } "
        "?cited mg:paragraphNumber ?by . ?p mg:paragraphOf/skos:notation ?symbol . "
        "?span mg:quote ?quote }".replace("REGISTRY", str(REGISTRY_GRAPH))
    )
    found = {(r["symbol"].value, r["n"].value, r["by"].value) for r in rows}
    assert found == {
        ("AG/RES. 2485 (XXXIX-O/09)", "5.f", "5.g"),
        ("AG/RES. 2397 (XXXVIII-O/08)", "6.a", "6.d"),
        ("AG/RES. 2397 (XXXVIII-O/08)", "6.b", "6.d"),
        ("AG/RES. 2397 (XXXVIII-O/08)", "6.c", "6.d"),
    }


def test_refreshing_twice_gives_the_same_graph() -> None:
    store = store_with(("rep", REPORT))
    first = refresh_registry(store)
    assert refresh_registry(store) == first > 0


def kind(number: str, text: str | None, lang: str = "es", addressees: set[str] | None = None,
         political: set[str] | None = None) -> str | None:
    paragraph = Paragraph("x", number, "S", "R", False, text=text, lang=lang,
                          addressees=addressees or set())
    return own_kind(paragraph, load_cues(), political or set())


def test_mandate_kinds_from_the_words() -> None:
    assert kind("2", "Instar a los Estados Miembros a que:") == "exhortation"
    assert kind("1", "Reafirmar que la seguridad ... tiene carácter multidimensional.") \
        == "declaratory"
    assert kind("7", "Solicitar a la Secretaría General que informe a la Asamblea General, "
                "en su cuadragésimo tercer período ordinario de sesiones.") == "procedural"
    assert kind("3", "Solicitar a la Secretaría General que continúe prestando apoyo") \
        == "request"
    assert kind("2", "Urges member states to share information.", "en") == "exhortation"
    assert kind("1", "Réaffirmer que la sécurité est multidimensionnelle.", "fr") == "declaratory"
    # member states met later than the opening words are beneficiaries, not addressees
    assert kind("4.a", "siga asistiendo a los Estados Miembros en el fortalecimiento") \
        == "request"
    assert kind("6", "Encomendar al Consejo Permanente que celebre una reunión",
                addressees={"pc"}, political={"pc"}) == "political-body"
    assert kind("5.f", None) is None


def test_the_dev_resolution_paragraph_kinds(dev_corpus_store: Store) -> None:
    rows = dev_corpus_store.query(
        "SELECT ?n ?kind WHERE { ?p mg:paragraphOf/skos:notation 'AG/RES. 2735 (XLII-O/12)' ; "
        "mg:paragraphNumber ?n ; mg:mandateKind/skos:notation ?kind }"
    )
    kinds = {r["n"].value: r["kind"].value for r in rows}
    assert kinds["1"] == "declaratory"
    assert {kinds[n] for n in ("2", "2.a", "2.b", "2.c")} == {"exhortation"}
    assert kinds["6"] == "political-body"
    assert kinds["7"] == "procedural"
    requests = {n for n, k in kinds.items() if k == "request"}
    assert requests == {"3", "3.a", "3.b", "3.c", "3.d", "3.e", "3.f", "3.g", "3.h",
                        "4", "4.a", "4.b", "5"}


def test_a_paragraph_on_two_subjects_has_both_themes() -> None:
    registry = load_registry()
    text = ("offrir une formation et une assistance technique en matière législative dans "
            "les domaines de la lutte contre le terrorisme, du financement du terrorisme, de "
            "la sécurité et du délit cybernétiques")
    assert set(text_themes(text, registry)) == {"counter-terrorism-legislation", "cybersecurity"}


def test_themes_found_by_word_are_those_every_pattern_finds() -> None:
    """The patterns are looked up by a first word of the text: on every line of the
    bundled report and of the test reports, and on plurals and words run together, the
    themes are those that searching every pattern of every theme finds."""
    import re
    from pathlib import Path

    from mandategraph.ontology.registry import fold

    registry = load_registry()
    every = [(s.code, re.compile(r"(?<!\w)" + " ".join(
        re.escape(w) + "(?:s|es|x)?" for w in fold(s.text).split()) + r"(?!\w)"))
        for s in registry.surfaces("theme")
        if fold(s.text).split() and not (s.form == "acronym" and len(s.text) < 4)]
    folder = Path(__file__).resolve().parents[2]
    lines = [line for path in [*folder.glob("corpus/*.txt"),
                               *folder.glob("tests/data/reports/*.txt")]
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines += ["des trafics de drogues et des armes à feu", "cybersécuritéx terrorismes",
              "la traite-des personnes", "TERRORISME"]
    assert len(lines) > 100
    found_some = 0
    for line in lines:
        words = fold(line)
        expected = {code for code, pattern in every if pattern.search(words)}
        assert set(text_themes(line, registry)) == expected, line
        found_some += bool(expected)
    assert found_some > 20


def test_the_word_a_theme_pattern_needs() -> None:
    assert _first_tokens("drogue") == {"drogue", "drogues", "droguees", "droguex"}
    assert _first_tokens("anti-drogue") == {"anti"}
    assert _first_tokens("-x") is None


def test_the_lineage_of_resolutions_never_pairs_one_with_itself() -> None:
    """mg:continues: recalls within four hops (a circle of recalls included), earlier
    resolutions of the same series; never a resolution and itself, never a report."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, XSD

    ex = "http://example.org/"
    r = {n: URIRef(f"{ex}r{n}") for n in range(1, 8)}
    triples = [(r[n], RDF.type, MG.Resolution) for n in r]
    # a chain r1 -> r2 -> ... -> r6, and r6 -> r5: a circle of two
    triples += [(r[n], MG.recalls, r[n + 1]) for n in range(1, 6)] + [(r[6], MG.recalls, r[5])]
    report = URIRef(f"{ex}report")
    triples += [(report, RDF.type, MG.Report), (report, MG.recalls, r[1])]
    series = URIRef(f"{ex}series")
    for n, issued in ((7, "2009-06-04"), (3, "2008-06-03")):
        triples += [(r[n], DCTERMS.isPartOf, series),
                    (r[n], DCTERMS.issued, Literal(issued, datatype=XSD.date))]
    with Store.open() as store:
        store.replace_graph(URIRef(GRAPH["document/lineage"]), triples)
        pairs = lineage(store)
    name = {str(v): f"r{n}" for n, v in r.items()}
    found = {(name[a], name[b]) for a, b in pairs}
    assert ("r1", "r5") in found and ("r1", "r6") not in found  # four hops, not five
    assert ("r6", "r5") in found and ("r5", "r6") in found  # both ways round the circle
    assert ("r7", "r3") in found and ("r3", "r7") not in found  # the series, by date
    # r1..r4 reach 4, 4, 3, 2 others, r5 and r6 one each (never themselves); r7 -> r3
    assert all(a != b for a, b in found) and len(found) == 4 + 4 + 3 + 2 + 1 + 1 + 1
