"""The roles an agent plays in an activity, as the ontology declares them.

A role is a sub-property of ``prov:wasAssociatedWith`` (``mg:conductedBy``,
``mg:inPartnershipWith``, ``mg:fundedBy``, ``mg:ledBy``): an agent that bears some
responsibility for the activity. This is the one list that the read model, the pages,
the evaluation and the networks use, read from ``ontology/mandategraph.ttl`` rather
than spelled out in each of them; each role's short key is its ``skos:notation``
(``conducted``, ``partner``, ``funder``, ``leader``). ``mg:requestedBy`` is no role in
this sense (asking for an activity is no responsibility for it) and is named apart
where it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import URIRef
from rdflib.namespace import PROV, RDFS, SKOS

from mandategraph.ontology.loader import ontology_graph
from mandategraph.ontology.namespaces import MG


@dataclass(frozen=True)
class Role:
    """One role.

    Attributes:
        predicate: the property, e.g. ``mg:conductedBy``.
        name: its local name (``conductedBy``).
        key: its ``skos:notation`` (``conducted``), the key used in JSON and forms.
        labels: its ``skos:prefLabel`` by language (``en``, ``fr``, ``es``).
    """

    predicate: URIRef
    name: str
    key: str
    labels: dict[str, str]

    @property
    def curie(self) -> str:
        """The property as a prefixed name (``mg:conductedBy``)."""
        return f"mg:{self.name}"

    def label(self, language: str = "en") -> str:
        """The role's label in ``language`` (English when there is none)."""
        return self.labels.get(language) or self.labels.get("en") or self.name


#: The order roles are listed in: who did it, with whom, who paid, who led.
_ORDER = ("conductedBy", "inPartnershipWith", "fundedBy", "ledBy")


@lru_cache(maxsize=1)
def roles() -> tuple[Role, ...]:
    """The sub-properties of ``prov:wasAssociatedWith`` in the ontology, in a fixed order."""
    graph = ontology_graph(shared=True)
    found: list[Role] = []
    for predicate in graph.subjects(RDFS.subPropertyOf, PROV.wasAssociatedWith):
        if not isinstance(predicate, URIRef) or not str(predicate).startswith(str(MG)):
            continue
        labels = {
            label.language: str(label)
            for label in graph.objects(predicate, SKOS.prefLabel)
            if getattr(label, "language", None)
        }
        name = str(predicate)[len(str(MG)) :]
        key = graph.value(predicate, SKOS.notation)
        found.append(Role(predicate, name, str(key) if key is not None else name, labels))
    rank = {name: index for index, name in enumerate(_ORDER)}
    return tuple(sorted(found, key=lambda role: (rank.get(role.name, len(rank)), role.name)))


def role_path() -> str:
    """The roles as a SPARQL alternative path: ``mg:conductedBy|mg:inPartnershipWith|...``."""
    return "|".join(role.curie for role in roles())


def role_values(predicate: str = "?predicate", key: str = "?role") -> str:
    """A SPARQL ``VALUES`` block binding each role's predicate and key."""
    rows = " ".join(f'({role.curie} "{role.key}")' for role in roles())
    return f"VALUES ({predicate} {key}) {{ {rows} }}"
