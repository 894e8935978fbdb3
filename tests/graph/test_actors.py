"""Actors: registry-driven matching of organizations, states, governments, persons, places."""

from __future__ import annotations

from mandategraph.graph.extraction.actors import find_mentions
from mandategraph.ontology.registry import load_registry


def _mentions(text: str, lang: str) -> list[tuple[str, str, bool]]:
    found = find_mentions(text, [(0, len(text))], registry=load_registry(), lang=lang)
    return [(m.kind, m.code, m.government) for m in found]


def test_french_bodies_states_governments() -> None:
    text = (
        "Le Secrétariat du CICTE, en collaboration avec l’Organisation de l’aviation civile "
        "internationale, avec le soutien du Gouvernement du Canada et du Gouvernement français, "
        "a formé des officiels d’Antigua-et-Barbuda et de la Barbade."
    )
    found = _mentions(text, "fr")
    assert ("organization", "CICTE", False) in found
    assert ("organization", "ICAO", False) in found
    assert ("state", "CAN", True) in found
    assert ("state", "FRA", True) in found  # national adjective next to "Gouvernement"
    assert ("state", "ATG", False) in found and ("state", "BRB", False) in found


def test_acronyms_are_case_sensitive() -> None:
    found = _mentions("Il y a un atelier avec l’ONU et la OMI.", "fr")
    codes = {code for _, code, _ in found}
    assert "UN" in codes and "IMO" in codes
    assert len([c for c in codes if c == "UN"]) == 1  # "un" is an article


def test_broken_line_name_and_offsets() -> None:
    text = "un exposé devant le Mini-Groupe de Dublin\n/ pour la Caraïbe réuni à la Barbade"
    found = find_mentions(text, [(0, len(text))], registry=load_registry(), lang="fr")
    dublin = [m for m in found if m.code == "DUBLIN-GROUP"]
    assert dublin and dublin[0].text == text[dublin[0].start : dublin[0].end]
    assert dublin[0].text.endswith("Caraïbe")


def test_persons_places_candidates() -> None:
    text = (
        "La recherche sera dirigée par M. Izben Williams. Un atelier a eu lieu à Vancouver avec "
        "la Caribbean Police Academy Network (CAPAN)."
    )
    found = find_mentions(text, [(0, len(text))], registry=load_registry(), lang="fr")
    kinds = {(m.kind, m.label) for m in found if m.kind in ("person", "place", "candidate")}
    assert ("person", "Izben Williams") in kinds
    assert ("place", "Vancouver") in kinds
    assert ("candidate", "CAPAN") in kinds


def test_english_and_spanish() -> None:
    assert ("state", "USA", True) in _mentions(
        "funded by the Government of the United States", "en"
    )
    assert ("state", "ESP", True) in _mentions("financiado por el Gobierno de España", "es")
    assert ("organization", "IOM", False) in _mentions(
        "con el apoyo de la Organización Internacional para las Migraciones", "es"
    )
