"""Identifiers others use (issue 14, item 6): Wikidata items and ISO 3166-1 codes.

The registry's states and organizations carry their Wikidata item as ``skos:exactMatch``
(kept in ``ontology/reference/wikidata.yaml``), and states their ISO 3166-1 alpha-2 and
numeric codes (``mg:isoAlpha2``, ``mg:isoNumeric``, from pycountry); the SHACL shapes
accept only a Wikidata entity IRI there.
"""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from mandategraph.ontology.namespaces import MG
from mandategraph.ontology.registry import (
    REFERENCE_DIR,
    Registry,
    RegistryError,
    load_registry,
    read_wikidata,
)
from mandategraph.ontology.validation import validate

WIKIDATA_FILE = REFERENCE_DIR / "wikidata.yaml"
JAMAICA = URIRef("https://w3id.org/mandategraph/id/state/JAM")
Q766 = URIRef("http://www.wikidata.org/entity/Q766")


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


@pytest.fixture(scope="module")
def reference(registry: Registry) -> Graph:
    return registry.to_graph()


def test_jamaica_carries_q766_and_its_iso_codes(registry: Registry, reference: Graph) -> None:
    assert registry.states["JAM"].wikidata == "Q766"
    assert set(reference.objects(JAMAICA, SKOS.exactMatch)) == {Q766}
    assert set(reference.objects(JAMAICA, MG.isoAlpha2)) == {Literal("JM")}
    assert set(reference.objects(JAMAICA, MG.isoNumeric)) == {Literal("388")}
    # the alpha-3 stays the one skos:notation
    assert set(reference.objects(JAMAICA, SKOS.notation)) == {Literal("JAM")}


def test_every_oas_member_state_has_a_qid_and_iso_codes(registry: Registry,
                                                        reference: Graph) -> None:
    members = registry.member_states()
    assert len(members) == 35
    for code in members:
        state = registry.states[code]
        country = pycountry.countries.get(alpha_3=code)
        assert state.wikidata is not None, code
        assert set(reference.objects(state.iri, SKOS.exactMatch)) == {
            URIRef(f"http://www.wikidata.org/entity/{state.wikidata}")}, code
        assert set(reference.objects(state.iri, MG.isoAlpha2)) == {Literal(country.alpha_2)}
        assert set(reference.objects(state.iri, MG.isoNumeric)) == {Literal(country.numeric)}


def test_organizations_carry_their_item_and_unchecked_ones_none(registry: Registry,
                                                                reference: Graph) -> None:
    oas = registry.organizations["OAS"]
    assert set(reference.objects(oas.iri, SKOS.exactMatch)) == {
        URIRef("http://www.wikidata.org/entity/Q123759")}
    assert registry.organizations["ICAO"].wikidata == "Q125761"
    # no source could be checked for CICTE's item: no guessed QID
    assert registry.organizations["CICTE"].wikidata is None
    assert list(reference.objects(registry.organizations["CICTE"].iri, SKOS.exactMatch)) == []


def test_the_data_file_parses_and_has_no_duplicate_qids(registry: Registry) -> None:
    raw = yaml.safe_load(WIKIDATA_FILE.read_text(encoding="utf-8"))
    items = read_wikidata(WIKIDATA_FILE)
    assert items == raw
    qids = [*items["states"].values(), *items["organizations"].values()]
    assert len(qids) == len(set(qids)) >= 60
    assert set(items["states"]) <= set(registry.states)
    assert set(items["organizations"]) <= set(registry.organizations)
    # equal keys would be lost by yaml.safe_load: count the lines instead
    lines = [line.split(":")[0].strip() for line in
             WIKIDATA_FILE.read_text(encoding="utf-8").splitlines()
             if line.startswith("  ") and not line.strip().startswith("#")]
    assert len(lines) == len(set(lines)) == len(qids)


@pytest.mark.parametrize(("text", "message"), [
    ("states:\n  JAM: Q766\n  BRB: Q766\n", "already the item of states.JAM"),
    ("states:\n  JAM: Q766\n  JAM: Q244\n", "given twice"),
    ("states:\n  JAM: 766\n", "expected a Wikidata item"),
    ("states:\n  JAM: https://www.wikidata.org/wiki/Q766\n", "expected a Wikidata item"),
    ("countries:\n  JAM: Q766\n", "expected `states` and `organizations`"),
])
def test_a_bad_data_file_is_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "wikidata.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError, match=message):
        read_wikidata(path)


def test_an_item_for_a_code_the_registry_lacks_is_refused(tmp_path: Path) -> None:
    for name in ("states.yaml", "organizations.yaml", "themes.yaml", "instruments.yaml"):
        (tmp_path / name).write_bytes((REFERENCE_DIR / name).read_bytes())
    (tmp_path / "wikidata.yaml").write_text("states:\n  XXA: Q1\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="not in the registry: XXA"):
        Registry.from_directory(tmp_path)


def test_the_shapes_accept_the_reference_identifiers(reference: Graph) -> None:
    report = validate(reference)
    assert report.conforms, [v.message for v in report.violations]


@pytest.mark.parametrize("bad", [
    URIRef("https://www.wikidata.org/wiki/Q766"),   # the page, not the item
    Literal("Q766"),                                # a string, not an IRI
    URIRef("http://www.wikidata.org/entity/P31"),   # a property, not an item
])
def test_the_shapes_refuse_a_malformed_wikidata_match(reference: Graph, bad: object) -> None:
    data = Graph()
    for triple in reference:
        data.add(triple)
    data.remove((JAMAICA, SKOS.exactMatch, None))
    data.add((JAMAICA, SKOS.exactMatch, bad))  # type: ignore[arg-type]
    report = validate(data)
    assert not report.conforms
    assert any("Wikidata item" in v.message for v in report.violations)


def test_the_shapes_refuse_a_malformed_iso_code(reference: Graph) -> None:
    data = Graph()
    for triple in reference:
        data.add(triple)
    data.add((JAMAICA, MG.isoNumeric, Literal("38")))
    report = validate(data)
    assert not report.conforms
    assert any("mg:isoNumeric" in v.message for v in report.violations)
