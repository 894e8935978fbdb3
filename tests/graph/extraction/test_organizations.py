"""Organization-like names the registry lacks become provisional actors."""

from pathlib import Path

from rdflib import RDF, RDFS, Literal
from rdflib.namespace import SKOS

from mandategraph.graph.extraction.extract import extract
from mandategraph.graph.extraction.organizations import find_org_names, mint_code
from mandategraph.graph.extraction.readers import Document
from mandategraph.ontology.namespaces import MG, org_iri


def test_minted_code() -> None:
    assert mint_code("Garde côtière des États-Unis") == "GARDE-COTIERE-DES-ETATS-UNIS"


def _names(text: str, known: list[str] = (), states: list[str] = ()) -> list[tuple[str, str]]:
    def spans(words):
        return [(text.index(w), text.index(w) + len(w)) for w in words]

    found = find_org_names(text, 0, len(text), spans(known) + spans(states), spans(states))
    return [(o.name, o.code) for o in found]


def test_head_initial_name_ends_on_a_state() -> None:
    text = "avec l'appui de la Garde côtière des États-Unis; 38 agents"
    assert _names(text, states=["États-Unis"]) == [
        ("Garde côtière des États-Unis", "GARDE-COTIERE-DES-ETATS-UNIS")
    ]


def test_acronym_in_parentheses_gives_the_code() -> None:
    text = "conjointement avec l'Union des télécommunications des Caraïbes (CTU), un atelier"
    assert _names(text) == [("Union des télécommunications des Caraïbes", "CTU")]


def test_english_head_final_name_with_of() -> None:
    text = (
        "with experts from the Canadian Association of Drug Treatment Court "
        "Professionals (CADTCP);"
    )
    assert _names(text) == [
        ("Canadian Association of Drug Treatment Court Professionals", "CADTCP")
    ]


def test_national_agency_before_a_state_name() -> None:
    assert _names("l'appui technique de Transports Canada et", states=["Canada"]) == [
        ("Transports Canada", "TRANSPORTS-CANADA")
    ]


def test_a_verb_after_a_head_word_is_no_name() -> None:
    text = "Le Secrétariat remercie le Canada et juge utile d'informer la Commission que"
    assert _names(text, states=["Canada"]) == []


def test_spanish_head_word() -> None:
    text = "con el Departamento de Justicia de los Estados Unidos y la OEA"
    assert _names(text, states=["Estados Unidos"]) == [
        (
            "Departamento de Justicia de los Estados Unidos",
            "DEPARTAMENTO-DE-JUSTICIA-DE-LOS-ESTADOS-UNIDOS",
        )
    ]


def test_provisional_actor_takes_part_in_the_activity() -> None:
    text = (
        "1. CYBERSÉCURITÉ\n\nConformément au paragraphe 4 de la résolution AG/RES. 2735 "
        "(XLII-O/12), le CICTE a organisé à Miami, conjointement avec le Département de la "
        "Justice des États-Unis et l'Union des télécommunications des Caraïbes (CTU), un "
        "atelier sur la cybersécurité; 45 participants y ont pris part.\n"
    )
    doc = Document(
        slug="t", path=Path("t.txt"), text=text, language="fr", kind="report", title="t"
    )
    graph = extract(doc)
    ctu = org_iri("CTU")
    assert (ctu, RDF.type, MG.Candidate) in graph
    assert (ctu, SKOS.notation, Literal("CTU")) in graph
    assert str(graph.value(ctu, RDFS.label)) == "Union des télécommunications des Caraïbes"
    activity = next(graph.subjects(RDF.type, MG.Activity))
    partners = {
        str(graph.value(o, SKOS.notation) or o)
        for o in graph.objects(activity, MG.inPartnershipWith)
    }
    assert partners == {"CTU", "DEPARTEMENT-DE-LA-JUSTICE-DES-ETATS-UNIS"}


def test_head_final_name_that_starts_with_a_state() -> None:
    text = "together with the United States Coast Guard\n(USCG), conducted a workshop"
    assert _names(text, states=["United States"]) == [("United States Coast Guard", "USCG")]


def test_british_spelling_of_organization_is_a_head() -> None:
    text = "and the Commonwealth Telecommunications Organisation (CTO), a workshop"
    assert _names(text) == [("Commonwealth Telecommunications Organisation", "CTO")]



def test_lower_case_words_before_the_acronym_belong_to_the_name() -> None:
    text = "le DSP a organisé avec l'Université des Indes occidentales (UWI), un séminaire"
    assert _names(text) == [("Université des Indes occidentales", "UWI")]
