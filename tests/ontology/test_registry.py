"""Tests of the reference registry (ontology/registry.py) and its YAML data.

The YAML files are read twice on purpose: raw (with PyYAML) to drive the
parametrized cases, and through the registry under test, so that a name the
registry drops or mangles shows up as a failing case rather than going unseen.
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import pycountry
import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS
from rdflib.query import ResultRow
from rdflib.term import Node

from mandategraph.ontology.namespaces import ID, MG, REFERENCE_GRAPH, group_iri, org_iri, state_iri
from mandategraph.ontology.registry import (
    REFERENCE_DIR,
    Form,
    Registry,
    RegistryError,
    fold,
    load_registry,
)
from tests.support import unavailable

GOLD = Path(__file__).parents[2].parent / "shared/gold/seed-report.gold.yaml"
SEED = Path(__file__).parents[2].parent / "shared/seeds/000_145c398b3adaacbd.txt"

MEMBER_STATES = {
    "ATG", "ARG", "BHS", "BRB", "BLZ", "BOL", "BRA", "CAN", "CHL", "COL", "CRI", "CUB",
    "DMA", "DOM", "ECU", "SLV", "GRD", "GTM", "GUY", "HTI", "HND", "JAM", "MEX", "NIC",
    "PAN", "PRY", "PER", "KNA", "LCA", "VCT", "SUR", "TTO", "USA", "URY", "VEN",
}
CARIBBEAN_SIDS = {"ATG", "BHS", "BRB", "BLZ", "DMA", "GRD", "GUY", "HTI", "JAM", "KNA", "LCA",
                  "VCT", "SUR", "TTO"}
THEME_KEYS = ["violence-prevention", "border-control", "firearms-trafficking",
              "trafficking-in-persons", "drug-trafficking", "crime-monitoring",
              "counter-terrorism-legislation", "cybersecurity", "major-events-security"]

# Spellings seen in real OAS and UN documents, with the state they name.
REAL_WORLD_VARIANTS = [
    ("Commonwealth des Bahamas", "BHS"),
    ("le Commonwealth des Bahamas", "BHS"),
    ("du Commonwealth des Bahamas", "BHS"),
    ("Commonwealth of The Bahamas", "BHS"),
    ("The Bahamas", "BHS"),
    ("aux Bahamas", "BHS"),
    ("St. Kitts and Nevis", "KNA"),
    ("St Kitts", "KNA"),
    ("St. Kitts & Nevis", "KNA"),
    ("Saint-Kitts-et-Nevis", "KNA"),
    ("Saint Christophe-et-Niévès", "KNA"),
    ("San Cristóbal y Nieves", "KNA"),
    ("Trinidad & Tobago", "TTO"),
    ("Trinité-et-Tobago", "TTO"),
    ("à Trinité-et-Tobago", "TTO"),
    ("la Barbade", "BRB"),
    ("Antigua-et-Barbuda", "ATG"),
    ("d’Antigua-et-Barbuda", "ATG"),
    ("d'Antigua-et-Barbuda", "ATG"),
    ("Haïti", "HTI"),
    ("Haiti", "HTI"),
    ("Sainte-Lucie", "LCA"),
    ("St. Lucia", "LCA"),
    ("Saint-Vincent-et-les-Grenadines", "VCT"),
    ("St. Vincent & the Grenadines", "VCT"),
    ("EE.UU.", "USA"),
    ("EE. UU.", "USA"),
    ("Estados Unidos de América", "USA"),
    ("États-Unis d’Amérique", "USA"),
    ("Etats-Unis d'Amerique", "USA"),
    ("USA", "USA"),
    ("U.S.", "USA"),
    ("the United States", "USA"),
    ("Venezuela (Bolivarian Republic of)", "VEN"),
    ("República Bolivariana de Venezuela", "VEN"),
    ("Bolivia (Plurinational State of)", "BOL"),
    ("la Jamaïque", "JAM"),
    ("le Guyana", "GUY"),
    ("Belice", "BLZ"),
    ("la Dominique", "DMA"),
    ("République dominicaine", "DOM"),
    ("la Grenade", "GRD"),
    ("le Suriname", "SUR"),
    ("Surinam", "SUR"),
    ("SAINT LUCIA", "LCA"),
    ("Royaume-Uni", "GBR"),
    ("UK", "GBR"),
    ("Pays-Bas", "NLD"),
    ("España", "ESP"),
    ("la France", "FRA"),
    ("Canadá", "CAN"),
    ("JAM", "JAM"),
    ("JM", "JAM"),
    ("KN", "KNA"),
]

GOVERNMENT_PHRASES = [
    ("Gouvernement français", "FRA"),
    ("le Gouvernement français", "FRA"),
    ("Gouvernement du Canada", "CAN"),
    ("Gouvernement des États-Unis d’Amérique", "USA"),
    ("Gouvernement des États-Unis", "USA"),
    ("Gouvernement d’Antigua-et-Barbuda", "ATG"),
    ("Gouvernement de la Barbade", "BRB"),
    ("Government of Canada", "CAN"),
    ("Government of the United States of America", "USA"),
    ("U.S. Government", "USA"),
    ("the Canadian Government", "CAN"),
    ("Gobierno de México", "MEX"),
    ("Gobierno del Perú", "PER"),
    ("Gobierno de los Estados Unidos", "USA"),
    ("gobierno español", "ESP"),
    ("Governo do Brasil", "BRA"),
    ("Governo brasileiro", "BRA"),
]

NOT_STATES = [
    "Saint-Martin",        # a French/Dutch island: the seminars were held there
    "Sint Maarten",
    "Guyane",              # French Guiana, not Guyana
    "Porto Rico",
    "Martinique",
    "Montserrat",
    "français",            # an adjective alone is no state
    "American",
    "us",                  # the pronoun, not the United States
    "jm",                  # codes only in capitals
    "Antigua Guatemala",
    "Secrétariat général",
    "",
    "   ",
]


# ---------------------------------------------------------------------------------
# Fixtures and raw data
# ---------------------------------------------------------------------------------


def _lang(term: Node) -> str | None:
    """The language tag of a literal (None for anything else)."""
    return term.language if isinstance(term, Literal) else None


def _rows(graph: Graph, query: str) -> list[ResultRow]:
    return [row for row in graph.query(query, initNs={"mg": MG, "skos": SKOS})
            if isinstance(row, ResultRow)]


def _raw(name: str) -> dict[str, Any]:
    return yaml.safe_load((REFERENCE_DIR / name).read_text(encoding="utf-8"))


RAW_STATES: dict[str, Any] = _raw("states.yaml")["states"]
RAW_ORGS: dict[str, Any] = _raw("organizations.yaml")["organizations"]


def _state_forms(*, members_only: bool) -> list[tuple[str, str, str, str]]:
    """(code, lang, form, text) for every name, variant, acronym, contextual name."""
    cases = []
    for code, entry in RAW_STATES.items():
        if members_only and not entry["oas_member"]:
            continue
        for lang, names in entry["names"].items():
            cases.append((code, lang, "name", names["name"]))
            for form in ("variants", "acronyms", "contextual"):
                for text in names.get(form, []):
                    cases.append((code, lang, form, text))
    return cases


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


@pytest.fixture(scope="module")
def gold() -> dict[str, Any]:
    if not GOLD.is_file():
        unavailable(f"gold annotation not found at {GOLD} (shared/ sits next to the repository)")
    return yaml.safe_load(GOLD.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------
# States
# ---------------------------------------------------------------------------------


def test_the_35_member_states(registry: Registry) -> None:
    assert registry.member_states() == sorted(MEMBER_STATES)
    assert {"FRA", "ESP", "GBR", "NLD"} <= set(registry.states)
    assert not registry.states["FRA"].oas_member


def test_caribbean_sids_group(registry: Registry) -> None:
    assert set(registry.group_members("caribbean-sids")) == CARIBBEAN_SIDS
    assert {code for code, s in registry.states.items() if s.caribbean_sids} == CARIBBEAN_SIDS


@pytest.mark.parametrize("code", sorted(RAW_STATES))
def test_state_codes_and_official_names_follow_pycountry(code: str, registry: Registry) -> None:
    country = pycountry.countries.get(alpha_3=code)
    assert country is not None, f"{code} is not an ISO 3166-1 alpha-3 code"
    entry = RAW_STATES[code]
    # the other codes are not typed in the YAML: the registry takes them from pycountry
    assert "alpha2" not in entry and "numeric" not in entry
    assert registry.states[code].alpha2 == country.alpha_2
    assert registry.states[code].numeric == country.numeric
    assert entry["official_name"] == getattr(country, "official_name", country.name)


@pytest.mark.parametrize("code", sorted(RAW_STATES))
def test_every_state_is_named_in_four_languages(code: str) -> None:
    assert set(RAW_STATES[code]["names"]) >= {"en", "fr", "es", "pt"}


@pytest.mark.parametrize(
    ("code", "lang", "form", "text"),
    _state_forms(members_only=False),
    ids=lambda v: str(v),
)
def test_every_state_form_in_the_yaml_resolves(
    registry: Registry, code: str, lang: str, form: str, text: str
) -> None:
    assert registry.resolve_state(text) == code


@pytest.mark.parametrize(("text", "code"), REAL_WORLD_VARIANTS)
def test_real_world_spellings_resolve(registry: Registry, text: str, code: str) -> None:
    assert registry.resolve_state(text) == code


@pytest.mark.parametrize(("text", "code"), GOVERNMENT_PHRASES)
def test_government_phrases_resolve(registry: Registry, text: str, code: str) -> None:
    assert registry.resolve_state(text) == code


@pytest.mark.parametrize("text", NOT_STATES)
def test_non_states_do_not_resolve(registry: Registry, text: str) -> None:
    assert registry.resolve_state(text) is None


def test_no_two_states_share_a_surface_form() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    adjectives: dict[str, set[str]] = defaultdict(set)
    for code, entry in RAW_STATES.items():
        owners[fold(entry["official_name"])].add(code)
        for names in entry["names"].values():
            for text in [names["name"], *names.get("variants", []), *names.get("acronyms", []),
                         *names.get("contextual", [])]:
                owners[fold(text)].add(code)
            for text in names.get("adjectives", []):
                adjectives[fold(text)].add(code)
    shared = {key: codes for key, codes in owners.items() if len(codes) > 1}
    assert shared == {}
    shared_adjectives = {key: codes for key, codes in adjectives.items() if len(codes) > 1}
    assert shared_adjectives == {}


def test_states_and_organizations_share_no_name(registry: Registry) -> None:
    state_keys = {fold(s.text) for s in registry.surfaces("state", forms=["name", "variant",
                                                                          "contextual"])}
    org_keys = {fold(s.text) for s in registry.surfaces("organization",
                                                        forms=["name", "variant", "contextual"])}
    assert state_keys & org_keys == set()


def test_territories_are_not_states(registry: Registry) -> None:
    assert "MAF" in registry.territories
    assert registry.territories["MAF"].sovereign == ("FRA",)
    for surface in registry.surfaces("territory"):
        assert registry.resolve_state(surface.text) is None, surface
    assert registry.resolve("territory", "Saint-Martin") == "MAF"


def test_fold_unifies_spellings() -> None:
    assert fold("St. Kitts & Nevis") == fold("Saint-Kitts-et-Nevis") == "saint kitts and nevis"
    assert fold("l’Organisation") == fold("L'ORGANISATION") == "l' organisation"
    assert fold("EE.UU.") == fold("EEUU") == "eeuu"
    assert fold("Œuvre") == "oeuvre"


# ---------------------------------------------------------------------------------
# Organizations
# ---------------------------------------------------------------------------------


def test_gold_organizations_are_registered_with_their_kind(
    registry: Registry, gold: dict[str, Any]
) -> None:
    for key, entry in gold["organizations"].items():
        assert key in registry.organizations, key
        assert registry.organizations[key].kind == entry["kind"], key
        if "part_of" in entry:
            assert registry.organizations[key].part_of == entry["part_of"], key


def test_gold_french_names_resolve_to_their_key(registry: Registry, gold: dict[str, Any]) -> None:
    wrong = {
        (key, name): registry.resolve_organization(name)
        for key, entry in gold["organizations"].items()
        for name in entry["fr"]
        if registry.resolve_organization(name) != key
    }
    assert wrong == {}


def test_gold_english_names_resolve_to_their_key(registry: Registry, gold: dict[str, Any]) -> None:
    wrong = {}
    for key, entry in gold["organizations"].items():
        # "(United States)" / "(France)" qualify the gold's description, not the name.
        name = re.sub(r"\s*\([^)]*\)$", "", entry["en"])
        if registry.resolve_organization(name) != key:
            wrong[key] = (name, registry.resolve_organization(name))
    assert wrong == {}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("la CICAD", "CICAD"),
        ("de la CICAD", "CICAD"),
        ("l’ONUDC", "UNODC"),
        ("l'OEA", "OAS"),
        ("OEA", "OAS"),
        ("Organisation des États américains", "OAS"),
        ("Organización de los Estados Americanos", "OAS"),
        ("Secretaría Ejecutiva del CICTE", "CICTE"),
        ("CICTE Secretariat", "CICTE"),
        ("Département de la sécurité publique", "DPS"),
        ("DSP", "DPS"),
        ("SSM", "SMS"),
        ("Office des Nations Unies contre la drogue et le crime", "UNODC"),
        ("UNODC-TPB", "UNODC-TPB"),
        ("Organisation maritime internationale", "IMO"),
        ("OMI", "IMO"),
        ("OIM", "IOM"),
        ("Groupe d’action financière des Caraïbes", "CFATF"),
        ("GAFI", "FATF"),
        ("CARICOM IMPACS", "CARICOM-IMPACS"),
        ("Communauté des Caraïbes", "CARICOM"),
        ("Caricom", "CARICOM"),
        ("Conseil de sécurité des Nations Unies", "UNSC"),
        ("Banque interaméricaine de développement", "IDB"),
        ("Public Safety Canada", "PS-CANADA"),
        ("US State Department", "US-DOS"),
        ("Interpol", "INTERPOL"),
    ],
)
def test_organization_spellings_resolve(registry: Registry, text: str, key: str) -> None:
    assert registry.resolve_organization(text) == key


@pytest.mark.parametrize("text", ["un", "Un", "us", "mem", "Secrétariat", "Département", ""])
def test_words_that_look_like_acronyms_do_not_resolve(registry: Registry, text: str) -> None:
    assert registry.resolve_organization(text) is None


@pytest.mark.parametrize("key", sorted(RAW_ORGS))
def test_every_organization_is_named_in_en_fr_es(registry: Registry, key: str) -> None:
    names = RAW_ORGS[key]["names"]
    assert set(names) >= {"en", "fr", "es"}
    for lang in ("en", "fr", "es"):
        for text in [names[lang]["name"], *names[lang].get("variants", []),
                     *names[lang].get("acronyms", []), *names[lang].get("contextual", [])]:
            assert registry.resolve_organization(text) == key, (lang, text)


def test_organization_hierarchy(registry: Registry) -> None:
    orgs = registry.organizations
    assert {key: orgs[key].part_of for key in
            ("CICTE", "CICAD", "DPS", "SMS", "OID", "MEM", "UNODC-TPB", "OAS-LEGAL", "OAS-GS")} == {
        "CICTE": "SMS", "CICAD": "SMS", "DPS": "SMS", "SMS": "OAS-GS", "OID": "CICAD",
        "MEM": "CICAD", "UNODC-TPB": "UNODC", "OAS-LEGAL": "OAS-GS", "OAS-GS": "OAS",
    }
    assert registry.ancestors("OID") == ["CICAD", "SMS", "OAS-GS", "OAS"]
    assert {key: orgs[key].country for key in ("TSA", "CIFAD", "FR-CUSTOMS", "PS-CANADA")} == {
        "TSA": "USA", "CIFAD": "FRA", "FR-CUSTOMS": "FRA", "PS-CANADA": "CAN",
    }
    for key in ("OAS", "IACHR", "PAHO", "IDB", "UN", "UNDP", "UNICEF", "IOM", "UNHCR", "OHCHR",
                "EU", "CARICOM-IMPACS", "CFATF", "FATF", "WORLD-BANK", "EUROPOL", "WCO",
                "UN-CTED", "DHS", "INL", "US-DOS", "PS-CANADA"):
        assert key in orgs, key


# ---------------------------------------------------------------------------------
# Themes and instruments
# ---------------------------------------------------------------------------------


def test_themes_are_the_nine_of_the_readme_in_order(registry: Registry) -> None:
    assert list(registry.themes) == THEME_KEYS
    for theme in registry.themes.values():
        assert set(theme.names) == set(theme.definitions) == set(theme.keywords) == {
            "en", "fr", "es"}


def test_gold_section_headings_resolve_to_their_theme(
    registry: Registry, gold: dict[str, Any]
) -> None:
    # The gold lists sections 1 to 9 in the order of the README's theme keys.
    headings = [(s["theme"]["fr"], s["theme"]["en"]) for s in gold["sections"]]
    assert [registry.resolve_theme(fr) for fr, _en in headings] == THEME_KEYS
    assert [registry.resolve_theme(en) for _fr, en in headings] == THEME_KEYS
    assert [registry.match_themes(f"{n + 1})\n{fr}:")[0]
            for n, (fr, _en) in enumerate(headings)] == THEME_KEYS


def test_match_themes_ranks_by_evidence(registry: Registry) -> None:
    sentence = ("un atelier régional sur le financement du terrorisme, le blanchiment de "
                "capitaux et la cybersécurité")
    assert registry.match_themes(sentence) == ["counter-terrorism-legislation", "cybersecurity"]
    assert registry.match_themes("control fronterizo y seguridad portuaria") == ["border-control"]
    assert registry.match_themes("rien à voir") == []


@pytest.mark.parametrize("text", [
    "II.   SÛRETÉ MARITIME ET PORTUAIRE",  # French says sûreté for the security of ports
    "l'évaluation de la sûreté des installations portuaires",
    "un atelier sur la sûreté de l'aviation civile",
    "evaluación de la protección de las instalaciones portuarias",
])
def test_port_and_aviation_security_in_french_and_spanish(registry: Registry, text: str) -> None:
    assert registry.match_themes(text)[:1] == ["border-control"]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("la CIFTA", "cifta"),
        ("Protocole de Palerme", "palermo-protocol"),
        ("Code international pour la sûreté des navires et des installations portuaires",
         "isps-code"),
        ("la résolution 1373 du Conseil de sécurité des Nations Unies", "unscr-1373"),
        ("Convention interaméricaine contre le terrorisme", "iacat"),
        ("recommandations du GAFI", "fatf-recommendations"),
        ("UN-CTS", "un-cts"),
    ],
)
def test_instruments_resolve(registry: Registry, text: str, key: str) -> None:
    assert registry.resolve_instrument(text) == key


# ---------------------------------------------------------------------------------
# Pattern pairs
# ---------------------------------------------------------------------------------


def test_names_for_patterns(registry: Registry) -> None:
    fr_states = registry.names("state", "fr")
    assert ("Commonwealth des Bahamas", "BHS") in fr_states
    assert ("États-Unis d’Amérique", "USA") in fr_states
    assert ("États-Unis d'Amérique", "USA") in fr_states  # the straight-apostrophe twin
    assert ("français", "FRA") not in fr_states
    assert ("français", "FRA") in registry.names("state", "fr", forms=["adjective"])
    assert ("Observatoire", "OID") not in registry.names("organization", "fr")
    assert ("Observatoire", "OID") in registry.names("organization", "fr", forms=["contextual"])
    assert ("Contrôle des frontières", "border-control") in registry.names("theme", "fr")
    every = registry.names("state")
    assert ("Saint Kitts y Nevis", "KNA") in every and ("Saint Lucia", "LCA") in every
    assert len(every) == len(set(every))
    acronyms = {s.text for s in registry.surfaces("organization") if s.case_sensitive}
    assert {"UN", "MEM", "OACI", "ONUDC"} <= acronyms


def test_seed_report_actors_are_all_matchable(registry: Registry, gold: dict[str, Any]) -> None:
    """Every state and organization of the gold is found in the seed by the patterns."""
    if not SEED.is_file():
        unavailable(f"seed report not found at {SEED}")
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("fr")
    by_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    by_orth = PhraseMatcher(nlp.vocab, attr="ORTH")
    for kind in ("state", "organization"):
        forms: list[Form] = ["name", "variant", "acronym", "contextual"]
        for surface in registry.surfaces(kind, "fr", forms=forms):
            matcher = by_orth if surface.case_sensitive else by_lower
            for text in {surface.text, surface.text.replace("’", "'")}:
                matcher.add(surface.code, [nlp.make_doc(text)])
    # Adjectives only count after a government noun ("Gouvernement français" -> FRA).
    for adjective, code in registry.names("state", "fr", forms=["adjective"]):
        by_lower.add(code, [nlp.make_doc(f"Gouvernement {adjective}")])
    doc = nlp(SEED.read_text(encoding="utf-8"))
    found = {nlp.vocab.strings[match_id] for m in (by_lower, by_orth) for match_id, _, _ in m(doc)}
    expected_states = {code for section in gold["sections"] for activity in section["activities"]
                       for code in activity.get("states", []) + activity.get("planned_states", [])}
    expected_states |= set(gold["governments_as_actors"])
    assert expected_states - found == set()
    assert set(gold["organizations"]) - found == set()


# ---------------------------------------------------------------------------------
# The reference graph
# ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph(registry: Registry) -> Graph:
    return registry.to_graph()


def test_graph_is_the_reference_named_graph(graph: Graph) -> None:
    assert graph.identifier == REFERENCE_GRAPH


def test_graph_has_35_member_states_with_iso3_notations(graph: Graph) -> None:
    rows = _rows(graph, "SELECT ?s ?code WHERE { ?s a mg:MemberState ; skos:notation ?code }")
    codes = {str(row[1]) for row in rows}
    assert len(rows) == 35 and codes == MEMBER_STATES
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in codes)
    # Plain literals: no datatype, no language tag.
    assert all(row[1] == Literal(str(row[1])) and _lang(row[1]) is None for row in rows)
    assert (state_iri("FRA"), RDF.type, MG.State) in graph
    assert (state_iri("FRA"), RDF.type, MG.MemberState) not in graph


def test_graph_states_are_labelled_in_four_languages(graph: Graph) -> None:
    bahamas = state_iri("BHS")
    labels = {(str(o), _lang(o)) for o in graph.objects(bahamas, SKOS.prefLabel)}
    assert labels == {("The Bahamas", "en"), ("Bahamas", "fr"), ("Bahamas", "es"),
                      ("Bahamas", "pt")}
    assert Literal("Commonwealth des Bahamas", lang="fr") in set(
        graph.objects(bahamas, SKOS.altLabel))
    assert Literal("Commonwealth of the Bahamas", lang="en") in set(
        graph.objects(bahamas, SKOS.altLabel))  # pycountry's official name


def test_graph_caribbean_sids_has_14_members(graph: Graph) -> None:
    group = group_iri("caribbean-sids")
    assert (group, RDF.type, MG.StateGroup) in graph
    assert {str(graph.value(s, SKOS.notation)) for s in graph.objects(group, SKOS.member)} == \
        CARIBBEAN_SIDS
    assert len(set(graph.subjects(MG.memberOf, group))) == 14


def test_graph_finds_exactly_one_cicte(graph: Graph) -> None:
    rows = _rows(graph, 'SELECT ?x WHERE { ?x skos:notation "CICTE" }')
    assert [row[0] for row in rows] == [org_iri("CICTE")]
    assert (org_iri("CICTE"), RDF.type, MG.OASBody) in graph
    assert (org_iri("ICAO"), RDF.type, MG.PartnerOrganization) in graph


def test_graph_sub_organization_and_agency_links(graph: Graph) -> None:
    for child, parent in [("CICTE", "SMS"), ("OID", "CICAD"), ("MEM", "CICAD"),
                          ("DPS", "SMS"), ("UNODC-TPB", "UNODC"), ("SMS", "OAS-GS")]:
        assert (org_iri(child), MG.subOrganizationOf, org_iri(parent)) in graph
    assert (org_iri("TSA"), PROV.actedOnBehalfOf, state_iri("USA")) in graph
    assert (org_iri("CIFAD"), PROV.actedOnBehalfOf, state_iri("FRA")) in graph


def test_graph_themes_form_the_scheme(graph: Graph, gold: dict[str, Any]) -> None:
    scheme = URIRef("https://w3id.org/mandategraph/id/theme")
    themes = set(graph.subjects(SKOS.inScheme, scheme))
    assert len(themes) == 9
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    for theme in themes:
        assert (theme, RDF.type, MG.Theme) in graph and (theme, RDF.type, SKOS.Concept) in graph
        assert graph.value(theme, SKOS.definition) is not None
    french = {key: {str(o) for o in graph.objects(ID[f"theme/{key}"], SKOS.prefLabel)
                    if _lang(o) == "fr"}
              for key in THEME_KEYS}
    assert french == {key: {section["theme"]["fr"]}
                      for key, section in zip(THEME_KEYS, gold["sections"], strict=True)}


def test_graph_instruments(graph: Graph) -> None:
    cifta = ID["instrument/cifta"]
    assert (cifta, RDF.type, MG.LegalInstrument) in graph
    assert (cifta, SKOS.notation, Literal("cifta")) in graph
    assert Literal("CIFTA", lang="fr") in set(graph.objects(cifta, SKOS.altLabel))


def test_graph_obeys_skos_label_rules(graph: Graph) -> None:
    pref: dict[tuple[Any, str | None], list[str]] = defaultdict(list)
    for s, o in graph.subject_objects(SKOS.prefLabel):
        pref[(s, _lang(o))].append(str(o))
    assert {k: v for k, v in pref.items() if len(v) > 1} == {}  # one prefLabel per language
    clashes = [(s, o) for s, o in graph.subject_objects(SKOS.altLabel)
               if (s, SKOS.prefLabel, o) in graph]
    assert clashes == []  # prefLabel and altLabel are disjoint


def test_graph_conforms_to_the_shapes(graph: Graph) -> None:
    from mandategraph.ontology.validation import validate

    report = validate(graph)
    assert report.conforms, report.violations[:5]


@pytest.mark.java
def test_graph_is_consistent_with_the_ontology(graph: Graph) -> None:
    from mandategraph.ontology.reasoning import check_consistency, java_available

    if not java_available():
        unavailable("no Java runtime for HermiT")
    check_consistency(graph)


# ---------------------------------------------------------------------------------
# Loading and its errors
# ---------------------------------------------------------------------------------


def test_load_registry_is_cached() -> None:
    assert load_registry() is load_registry()


def _copy_reference(tmp_path: Path) -> Path:
    for name in ("states.yaml", "organizations.yaml", "themes.yaml", "instruments.yaml"):
        shutil.copy(REFERENCE_DIR / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, change: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_name_shared_by_two_states_is_refused(tmp_path: Path) -> None:
    folder = _copy_reference(tmp_path)
    _edit(folder / "states.yaml",
          lambda d: d["states"]["JAM"]["names"]["fr"].setdefault("variants", []).append(
              "la Barbade"))
    with pytest.raises(RegistryError, match="names both"):
        Registry.from_directory(folder)


def test_a_dangling_part_of_is_refused(tmp_path: Path) -> None:
    folder = _copy_reference(tmp_path)
    _edit(folder / "organizations.yaml",
          lambda d: d["organizations"]["CICTE"].update(part_of="NOWHERE"))
    with pytest.raises(RegistryError, match="part_of NOWHERE"):
        Registry.from_directory(folder)


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="states.yaml"):
        Registry.from_directory(tmp_path)
