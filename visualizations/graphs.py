"""The networks of the graph, read from the store through SPARQL (never from the text).

- :func:`partnership_graph`: actors (OAS bodies, partner organizations, governments,
  provisional actors) linked when they take part in the same activity; an edge's
  ``weight`` is the number of activities they share, and it carries those activities
  (label, source quote, themes, years, states), their themes and their years.
- :func:`mandate_graph`: operative paragraph -> activity implementing it -> actor.
- :func:`reach_graph`: actor -> state its activities benefit, weighted by activities.

Every function takes the same :class:`Filters` (theme, state, year range, actor kind),
bound by the engine as ``VALUES`` of RDF terms, never pasted into the query text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import networkx as nx
from rdflib import Literal
from rdflib.namespace import XSD
from rdflib.term import Identifier

from mandategraph.errors import BadParameterError
from mandategraph.graph.sparql.results import term_text
from mandategraph.graph.store import Store
from mandategraph.ontology.roles import role_values

#: The kinds of actor, in the order legends list them.
KINDS = ("oas_body", "partner", "government", "provisional")

#: Restricts ``?activity`` to the filters; ``?_theme``, ``?_state``, ``?_from`` and
#: ``?_to`` are bound (or left UNDEF) by a VALUES block.
ACTIVITY_FILTERS = """
  ?activity a mg:Activity .
  FILTER(!BOUND(?_theme) || EXISTS { ?activity mg:theme/skos:notation ?_theme })
  FILTER(!BOUND(?_state) || EXISTS { ?activity mg:beneficiary/skos:notation ?_state })
  FILTER((!BOUND(?_from) && !BOUND(?_to)) || EXISTS {
    ?activity mg:year ?_y
    FILTER((!BOUND(?_from) || ?_y >= ?_from) && (!BOUND(?_to) || ?_y <= ?_to)) })
"""

#: One row per (activity, actor taking part in one of the partner roles).
PARTICIPANTS = """
SELECT DISTINCT ?activity ?actor ?code ?name ?kind ?role WHERE {
  FILTERS
  ROLES
  ?activity ?predicate ?actor .
  OPTIONAL { ?actor skos:notation ?code }
  OPTIONAL { ?actor skos:prefLabel ?en FILTER(LANGMATCHES(LANG(?en), "en")) }
  OPTIONAL { ?actor rdfs:label ?plain }
  BIND(COALESCE(?en, ?plain) AS ?name)
  BIND(IF(EXISTS { ?actor a mg:OASBody }, "oas_body",
       IF(EXISTS { ?actor a mg:State }, "government",
       IF(EXISTS { ?actor a mg:Candidate }, "provisional", "partner"))) AS ?kind)
}
""".replace("ROLES", role_values()).replace("FILTERS", ACTIVITY_FILTERS)

#: The activities' own facts: one query per kind of value keeps the rows linear.
ACTIVITY_VALUES = {
    "label": "?activity rdfs:label ?value",
    # the sentence its label was read from, else any sentence it was derived from
    "quote": "?st rdf:subject ?activity ; rdf:predicate rdfs:label ; "
             "prov:wasDerivedFrom/mg:quote ?value",
    "source": "?activity prov:wasDerivedFrom/mg:quote ?value",
    "themes": "?activity mg:theme/skos:notation ?value",
    "years": "?activity mg:year ?value",
    "states": "?activity mg:beneficiary/skos:notation ?value",
}
ACTIVITY_VALUE = "SELECT DISTINCT ?activity ?value WHERE { FILTERS PATTERN }"

#: Paragraph -> activity, with the paragraph's symbol and number.
IMPLEMENTS = """
SELECT DISTINCT ?activity ?paragraph ?symbol ?number WHERE {
  FILTERS
  ?activity mg:implements ?paragraph .
  OPTIONAL { ?paragraph mg:paragraphNumber ?number }
  OPTIONAL { ?paragraph mg:paragraphOf/skos:notation ?symbol }
}
"""

#: Actor -> beneficiary state.
REACH = """
SELECT DISTINCT ?activity ?actor ?state WHERE {
  FILTERS
  ROLES
  ?activity ?predicate ?actor ; mg:beneficiary ?stateNode .
  ?stateNode skos:notation ?state .
}
""".replace("ROLES", role_values())

#: Theme keys the store knows (for filters and "did you mean").
THEME_KEYS = "SELECT DISTINCT ?key WHERE { ?theme a mg:Theme ; skos:notation ?key } ORDER BY ?key"


@dataclass(frozen=True)
class Filters:
    """Which activities a network is drawn from.

    Attributes:
        theme: a theme key (``cybersecurity``).
        state: a beneficiary state, ISO 3166-1 alpha-3 (``JAM``).
        year_from: first year, inclusive (an activity counts if one of its years is in range).
        year_to: last year, inclusive.
        kinds: the kinds of actor kept (:data:`KINDS`); empty keeps all.
    """

    theme: str | None = None
    state: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    kinds: frozenset[str] = field(default_factory=frozenset)

    def bindings(self) -> dict[str, Identifier | None]:
        """The filter values as RDF terms for the engine's VALUES block."""

        def year(value: int | None) -> Literal | None:
            return None if value is None else Literal(value, datatype=XSD.integer)

        return {
            "_theme": Literal(self.theme) if self.theme else None,
            "_state": Literal(self.state.upper()) if self.state else None,
            "_from": year(self.year_from),
            "_to": year(self.year_to),
        }

    def keeps(self, kind: str) -> bool:
        """Whether an actor of this kind is kept."""
        return not self.kinds or kind in self.kinds

    def describe(self) -> str:
        """The filters in a few words (``theme cybersecurity, 2009-2010``); empty when none."""
        parts = []
        if self.theme:
            parts.append(f"theme {self.theme}")
        if self.state:
            parts.append(f"state {self.state.upper()}")
        if self.year_from is not None or self.year_to is not None:
            parts.append(f"{self.year_from or '…'}-{self.year_to or '…'}")
        if self.kinds:
            parts.append("kinds " + ", ".join(sorted(self.kinds)))
        return ", ".join(parts)


@dataclass
class ActivityInfo:
    """One activity as an edge shows it."""

    iri: str
    label: str = ""
    quote: str = ""
    themes: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    states: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {"iri": self.iri, "label": self.label, "quote": self.quote,
                "themes": self.themes, "years": self.years, "states": self.states}


def _select(store: Store, text: str, filters: Filters) -> Iterator[Any]:
    yield from store.query(text.replace("FILTERS", ACTIVITY_FILTERS),  # type: ignore[union-attr]
                           bindings=filters.bindings())


def activities(store: Store, filters: Filters | None = None) -> dict[str, ActivityInfo]:
    """The activities kept by ``filters``, with label, first quote, themes, years, states.

    Args:
        store: an open store.
        filters: which activities; all by default.
    """
    filters = filters or Filters()
    found: dict[str, ActivityInfo] = {}
    sources: dict[str, list[str]] = {}
    for key, pattern in ACTIVITY_VALUES.items():
        text = ACTIVITY_VALUE.replace("PATTERN", pattern)
        for row in _select(store, text, filters):
            iri = term_text(row["activity"]) or ""
            info = found.setdefault(iri, ActivityInfo(iri))
            value = term_text(row["value"]) or ""
            if key in ("label", "quote"):
                info.label, info.quote = (
                    (value, info.quote) if key == "label" else (info.label, value))
            elif key == "source":
                sources.setdefault(iri, []).append(value)
            elif key == "years":
                info.years.append(int(value))
            else:
                getattr(info, key).append(value)
    for info in found.values():
        info.themes.sort()
        info.years.sort()
        info.states.sort()
        info.label = info.label or info.iri.rsplit("/", 2)[-1]
        info.quote = info.quote or min(sources.get(info.iri, [""]), key=len)
    return found


def _actor_code(row: Any) -> str:
    code = term_text(row["code"])
    if code:
        return code
    # a provisional actor without a code: its name, else the end of its IRI
    return term_text(row["name"]) or (term_text(row["actor"]) or "").rsplit("/", 1)[-1]


def participants(store: Store, filters: Filters) -> Iterator[tuple[str, dict[str, Any], str]]:
    """(activity IRI, actor attributes, role key) for every actor taking part in a kept
    activity whose kind the filters keep."""
    for row in _select(store, PARTICIPANTS, filters):
        kind = term_text(row["kind"]) or "partner"
        if not filters.keeps(kind):
            continue
        code = _actor_code(row)
        actor = {"code": code, "label": term_text(row["name"]) or code, "kind": kind,
                 "iri": term_text(row["actor"]) or ""}
        yield term_text(row["activity"]) or "", actor, term_text(row["role"]) or ""


def partnership_graph(store: Store, filters: Filters | None = None, *,
                      actor: str | None = None) -> nx.Graph:
    """Who works with whom.

    Args:
        store: an open store.
        filters: which activities and kinds of actor; all by default.
        actor: keep only this actor's ego network (itself and its direct partners).

    Returns:
        An undirected graph keyed by actor code. Nodes: ``code``, ``label``, ``kind``, ``iri``,
        ``activities`` (count), ``themes``, ``years``, ``states``, ``activity_ids``.
        Edges: ``weight`` (shared activities), ``themes``, ``years``, ``activity_ids``.
        ``graph.graph["activities"]`` maps each activity IRI to its
        :class:`ActivityInfo` as a dict (label, quote, themes, years, states).
    """
    filters = filters or Filters()
    info = activities(store, filters)
    actors_of: dict[str, set[str]] = defaultdict(set)
    graph = nx.Graph()
    for activity, attributes, _role in participants(store, filters):
        code = attributes["code"]
        if code not in graph:
            graph.add_node(code, **attributes, activity_ids=[])
        if activity not in actors_of or code not in actors_of[activity]:
            graph.nodes[code]["activity_ids"].append(activity)
        actors_of[activity].add(code)
    for activity, actors in actors_of.items():
        for a, b in combinations(sorted(actors), 2):
            if not graph.has_edge(a, b):
                graph.add_edge(a, b, activity_ids=[])
            graph[a][b]["activity_ids"].append(activity)
    for _node, data in graph.nodes(data=True):
        _summarize(data, info)
    for _a, _b, data in graph.edges(data=True):
        _summarize(data, info)
        data["weight"] = len(data["activity_ids"])
    if actor is not None:
        graph = nx.Graph(nx.ego_graph(graph, actor)) if actor in graph else nx.Graph()
    used = {a for _n, data in graph.nodes(data=True) for a in data["activity_ids"]}
    graph.graph["activities"] = {iri: info[iri].as_dict() for iri in sorted(used) if iri in info}
    graph.graph["filters"] = filters.describe()
    return graph


def _summarize(data: dict[str, Any], info: dict[str, ActivityInfo]) -> None:
    """Themes, years and states of a node's or an edge's activities; the count."""
    data["activity_ids"] = sorted(set(data["activity_ids"]))
    kept = [info[a] for a in data["activity_ids"] if a in info]
    data["activities"] = len(data["activity_ids"])
    data["themes"] = sorted({t for a in kept for t in a.themes})
    data["years"] = sorted({y for a in kept for y in a.years})
    data["states"] = sorted({s for a in kept for s in a.states})


def mandate_graph(store: Store, filters: Filters | None = None) -> nx.DiGraph:
    """Operative paragraph -> activity -> actor.

    Node ids are IRIs; each node has ``kind`` (``mandate``, ``activity`` or an actor
    kind) and ``label``; activity -> actor edges carry the ``role``.
    """
    filters = filters or Filters()
    info = activities(store, filters)
    graph = nx.DiGraph()
    for row in _select(store, IMPLEMENTS, filters):
        activity = term_text(row["activity"]) or ""
        paragraph = term_text(row["paragraph"]) or ""
        symbol, number = term_text(row["symbol"]), term_text(row["number"])
        label = f"{symbol} {number}" if symbol and number else paragraph.rsplit("/", 1)[-1]
        graph.add_node(paragraph, kind="mandate", label=label)
        _add_activity(graph, activity, info)
        graph.add_edge(paragraph, activity, relation="implemented by")
    for activity, actor, role in participants(store, filters):
        _add_activity(graph, activity, info)
        graph.add_node(actor["iri"], kind=actor["kind"], label=actor["label"], code=actor["code"])
        graph.add_edge(activity, actor["iri"], relation=role)
    return graph


def _add_activity(graph: nx.DiGraph, activity: str, info: dict[str, ActivityInfo]) -> None:
    if activity not in graph:
        found = info.get(activity)
        graph.add_node(activity, kind="activity", label=found.label if found else activity,
                       themes=found.themes if found else [], years=found.years if found else [])


def reach_graph(store: Store, filters: Filters | None = None) -> nx.DiGraph:
    """Actor -> state its activities benefit; ``weight`` = activities, nodes by code."""
    filters = filters or Filters()
    actors = {a["iri"]: a for _act, a, _role in participants(store, filters)}
    graph = nx.DiGraph()
    seen: set[tuple[str, str, str]] = set()
    for row in _select(store, REACH, filters):
        actor = actors.get(term_text(row["actor"]) or "")
        if actor is None:
            continue
        code = actor["code"]
        state = term_text(row["state"]) or ""
        activity = term_text(row["activity"]) or ""
        if (activity, code, state) in seen:
            continue
        seen.add((activity, code, state))
        graph.add_node(code, kind=actor["kind"], label=actor["label"], iri=actor["iri"])
        if state not in graph:
            graph.add_node(state, kind="state", label=state)
        if graph.has_edge(code, state):
            graph[code][state]["weight"] += 1
        else:
            graph.add_edge(code, state, weight=1)
    return graph


def theme_keys(store: Store) -> list[str]:
    """The theme keys the store knows, sorted."""
    return [term_text(row["key"]) or "" for row in store.query(THEME_KEYS)]  # type: ignore[union-attr]


def closest(value: str, choices: Iterable[str], *, count: int = 3) -> list[str]:
    """The choices nearest to a mistyped value (``cyber`` -> ``cybersecurity``)."""
    import difflib

    options = list(choices)
    lowered = value.lower()
    contains = [c for c in options if lowered and (lowered in c.lower() or c.lower() in lowered)]
    near = difflib.get_close_matches(lowered, options, n=count, cutoff=0.4)
    ranked = list(dict.fromkeys([*contains, *near]))
    return ranked[:count] or options[:count]


def slug(text: str) -> str:
    """A file-name-safe form of a filter description."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def checked_filters(store: Store, *, theme: str | None = None, state: str | None = None,
                    year_from: int | None = None, year_to: int | None = None,
                    kinds: Iterable[str] = (), strict: bool = True) -> Filters:
    """:class:`Filters` from user input, checked against what the store knows.

    Args:
        strict: refuse values that can match nothing; when false (a JSON API where
            any string is a valid query value), they simply select nothing.

    Raises:
        BadParameterError: (strict only) an unknown theme or kind (naming the closest
            valid keys), a state that is not three letters, or a year range that ends
            before it starts.
    """
    theme = (theme or "").strip() or None
    state = (state or "").strip().upper() or None
    wanted = {k.strip() for k in kinds if k and k.strip()}
    if not strict:
        return Filters(theme=theme, state=state, year_from=year_from, year_to=year_to,
                       kinds=frozenset(wanted))
    if theme is not None:
        known = theme_keys(store)
        if theme not in known:
            near = ", ".join(closest(theme, known))
            raise BadParameterError(f"unknown theme {theme!r}: did you mean {near}?")
    if state is not None and not re.fullmatch(r"[A-Z]{3}", state):
        raise BadParameterError(
            f"state must be an ISO 3166-1 alpha-3 code such as JAM, got {state!r}")
    for kind in sorted(wanted):
        if kind not in KINDS:
            near = ", ".join(closest(kind, KINDS))
            raise BadParameterError(
                f"unknown kind {kind!r}: did you mean {near}? (known: {', '.join(KINDS)})")
    if year_from is not None and year_to is not None and year_to < year_from:
        raise BadParameterError(f"the year range ends ({year_to}) before it starts ({year_from})")
    return Filters(theme=theme, state=state, year_from=year_from, year_to=year_to,
                   kinds=frozenset(wanted))
