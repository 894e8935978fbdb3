"""The roles an agent plays in an activity, as the ontology declares them.

A role is a sub-property of ``prov:wasAssociatedWith`` (``mg:conductedBy``,
``mg:inPartnershipWith``, ``mg:fundedBy``, ``mg:ledBy``): an agent associated with the
activity, responsible for it in part. This is the one list that the read model, the
pages, the evaluation and the networks use, read from ``ontology/mandategraph.ttl``
rather than spelled out in each of them; each role's short key is its
``skos:notation`` (``conducted``, ``partner``, ``funder``, ``leader``).

- :func:`partner_roles`: the roles of organizations and states (range not
  ``mg:Person``): who works with whom, the partnership network;
- :func:`actor_roles`: those, and ``mg:requestedBy`` (``requester``), which links an
  actor to an activity it asked for without making it responsible: what an actor's
  page and the JSON API list.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

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
        person: its range is ``mg:Person`` (a role of people, not of actors).
    """

    predicate: URIRef
    name: str
    key: str
    labels: dict[str, str]
    person: bool = False

    @property
    def curie(self) -> str:
        """The property as a prefixed name (``mg:conductedBy``)."""
        return f"mg:{self.name}"

    def label(self, language: str = "en") -> str:
        """The role's label in ``language`` (English when there is none)."""
        return self.labels.get(language) or self.labels.get("en") or self.name


#: The order roles are listed in: who did it, with whom, who paid, who led.
_ORDER = ("conductedBy", "inPartnershipWith", "fundedBy", "ledBy")


def _role(graph: Any, predicate: URIRef) -> Role:
    labels = {
        label.language: str(label)
        for label in graph.objects(predicate, SKOS.prefLabel)
        if getattr(label, "language", None)
    }
    name = str(predicate)[len(str(MG)) :]
    key = graph.value(predicate, SKOS.notation)
    person = (predicate, RDFS.range, MG.Person) in graph
    return Role(predicate, name, str(key) if key is not None else name, labels, person)


@lru_cache(maxsize=1)
def roles() -> tuple[Role, ...]:
    """The sub-properties of ``prov:wasAssociatedWith`` in the ontology, in a fixed order."""
    graph = ontology_graph(shared=True)
    found = [
        _role(graph, predicate)
        for predicate in graph.subjects(RDFS.subPropertyOf, PROV.wasAssociatedWith)
        if isinstance(predicate, URIRef) and str(predicate).startswith(str(MG))
    ]
    rank = {name: index for index, name in enumerate(_ORDER)}
    return tuple(sorted(found, key=lambda role: (rank.get(role.name, len(rank)), role.name)))


def partner_roles() -> tuple[Role, ...]:
    """The roles organizations and states play (every role but those of people)."""
    return tuple(role for role in roles() if not role.person)


@lru_cache(maxsize=1)
def actor_roles() -> tuple[Role, ...]:
    """What links an actor to an activity: :func:`partner_roles`, then ``mg:requestedBy``."""
    return (*partner_roles(), _role(ontology_graph(shared=True), MG.requestedBy))


def role_path(chosen: tuple[Role, ...] | None = None) -> str:
    """Roles as a SPARQL alternative path (``mg:conductedBy|...``); the actor roles by
    default."""
    return "|".join(role.curie for role in (chosen or actor_roles()))


def role_values(predicate: str = "?predicate", key: str = "?role") -> str:
    """A SPARQL ``VALUES`` block binding each partner role's predicate and key."""
    rows = " ".join(f'({role.curie} "{role.key}")' for role in partner_roles())
    return f"VALUES ({predicate} {key}) {{ {rows} }}"
