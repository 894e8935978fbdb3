"""Evaluation: score an extraction against a gold file (format of seed-report.gold.yaml).

Fields (precision / recall / F1, micro-averaged over (section, item) pairs):

* ``citations`` — the operative paragraphs each section cites;
* ``states`` — beneficiary states of the activities of each section (a gold
  activity's ``states`` and ``planned_states``);
* ``organizations`` — organizations acting in each section (conducting, partner,
  funder, requester);
* ``years`` — years of the activities of each section (``year``, ``years``, the
  year of ``since``);
* ``participants`` — participant counts, attached to the right activity: an
  extracted activity of the same section with the same count and, when the gold
  activity lists states, at least one of them;
* ``no_mandate`` — sections with an activity that implements no mandate;
* ``pairs_must`` / ``pairs_should`` — partnership pairs (actors acting together on
  one activity) found among the gold's ``must`` / ``should`` lists; the pairs the
  gold does not list are in :attr:`EvaluationReport.extra_pairs`.

A gold file of a resolution has a ``resolution`` block instead of ``sections``:
``symbol``, ``cites`` (``[{res, par}]``), ``paragraphs`` (``[{par, addressee,
states}]``) and ``preamble`` (``[{clause, states}]``, clauses numbered from 1 in
document order); its fields are ``citations``, ``paragraphs``, ``addressees`` and
``states`` — the states each operative paragraph or preamble clause names
(``dcterms:spatial``), scored over (paragraph or ``preamble N``, state) pairs the
way a report's states are scored over (section, state) pairs.

:func:`evaluate` is pure: it reads the gold and the graph and returns a report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF, SKOS

from mandategraph.errors import DocumentError
from mandategraph.graph.extraction.readers import Document
from mandategraph.ontology.namespaces import MG
from mandategraph.ontology.registry import Registry
from mandategraph.ontology.roles import actor_roles

Item = tuple[str, str]  # (section, item)


@dataclass
class FieldScore:
    """The score of one field: true positives, false positives, false negatives."""

    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was extracted and nothing expected."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when the gold expects nothing."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EvaluationReport:
    """Scores per field, the partnership pairs, and what was missed."""

    fields: dict[str, FieldScore] = field(default_factory=dict)
    pairs_found: set[tuple[str, str]] = field(default_factory=set)
    must: set[tuple[str, str]] = field(default_factory=set)
    should: set[tuple[str, str]] = field(default_factory=set)
    extra_pairs: list[tuple[str, str]] = field(default_factory=list)
    #: pairs the gold's own activity table implies (actors of one gold activity)
    implied: set[tuple[str, str]] = field(default_factory=set)

    @property
    def unexplained_pairs(self) -> list[tuple[str, str]]:
        """Extra pairs that not even the gold's activity table implies."""
        return [p for p in self.extra_pairs if p not in self.implied]

    def table(self) -> list[dict[str, Any]]:
        """One row per field: field, tp, fp, fn, precision, recall, f1 (rounded)."""
        rows = []
        for name, score in self.fields.items():
            rows.append(
                {
                    "field": name,
                    "tp": score.tp,
                    "fp": score.fp,
                    "fn": score.fn,
                    "precision": round(score.precision, 3),
                    "recall": round(score.recall, 3),
                    "f1": round(score.f1, 3),
                }
            )
        return rows

    def misses(self, name: str | None = None) -> list[str]:
        """What the gold has and the extraction lacks (all fields, or one)."""
        names = [name] if name else list(self.fields)
        return [f"{n}: {m}" for n in names for m in self.fields[n].misses]

    def extras(self, name: str | None = None) -> list[str]:
        """What the extraction has and the gold does not list (all fields, or one)."""
        names = [name] if name else list(self.fields)
        return [f"{n}: {m}" for n in names for m in self.fields[n].extras]

    def __getitem__(self, name: str) -> FieldScore:
        return self.fields[name]


def _score(name: str, gold: Iterable[Any], found: Iterable[Any]) -> FieldScore:
    gold_set, found_set = set(gold), set(found)
    score = FieldScore(
        name, len(gold_set & found_set), len(found_set - gold_set), len(gold_set - found_set)
    )
    score.misses = sorted(str(x) for x in gold_set - found_set)
    score.extras = sorted(str(x) for x in found_set - gold_set)
    return score


def _code(iri: Any) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _notation(graph: Graph, node: Any) -> str | None:
    value = graph.value(node, SKOS.notation)
    return str(value) if value is not None else None


def _paragraph_key(graph: Graph, node: Any) -> str | None:
    res = graph.value(node, MG.paragraphOf)
    number = graph.value(node, MG.paragraphNumber)
    if res is None or number is None:
        return None
    symbol = _notation(graph, res)
    return f"{symbol} {number}" if symbol else None


def load_gold(path: str | Path) -> dict[str, Any]:
    """The gold file as a dict.

    Raises:
        mandategraph.errors.DocumentError: missing or not a YAML mapping.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DocumentError(f"{path}: cannot read the gold file: {exc}") from exc
    if not isinstance(data, dict):
        raise DocumentError(f"{path}: a gold file is a YAML mapping")
    return data


def _gold_years(activity: dict[str, Any]) -> set[int]:
    years: set[int] = set()
    if isinstance(activity.get("year"), int):
        years.add(activity["year"])
    for year in activity.get("years") or []:
        if isinstance(year, int):
            years.add(year)
    since = activity.get("since")
    if since is not None:
        text = str(since)
        if text[:4].isdigit():
            years.add(int(text[:4]))
    return years


#: The gold files' name for each actor role's key (see ontology.roles).
GOLD_FIELDS = {
    "conducted": "by",
    "partner": "with",
    "funder": "funded_by",
    "requester": "requested_by",
}


def _activities(graph: Graph) -> list[dict[str, Any]]:
    out = []
    for node in sorted(set(graph.subjects(RDF.type, MG.Activity)), key=str):
        section = graph.value(node, MG.reportedIn)
        number = graph.value(section, MG.sectionNumber) if section is not None else None
        actors = {
            GOLD_FIELDS[role.key]: {_code(o) for o in graph.objects(node, role.predicate)}
            for role in actor_roles()
        }
        out.append(
            {
                "iri": str(node),
                "section": str(number) if number is not None else "0",
                "states": {_code(o) for o in graph.objects(node, MG.beneficiary)},
                "actors": actors,
                "org_iris": {
                    str(o) for role in actor_roles() for o in graph.objects(node, role.predicate)
                },
                "years": {int(str(o)) for o in graph.objects(node, MG.year)},
                "participants": {int(str(o)) for o in graph.objects(node, MG.participantCount)},
                "implements": [o for o in graph.objects(node, MG.implements)],
            }
        )
    return out


def partnership_pairs(graph: Graph) -> dict[tuple[str, str], int]:
    """Pairs of actors (codes, sorted) acting together on an activity, with counts.

    Actors are the organizations and states an activity is conducted by, in
    partnership with, funded by or requested by.
    """
    pairs: dict[tuple[str, str], int] = {}
    for activity in _activities(graph):
        codes = set().union(*activity["actors"].values())
        for a, b in combinations(sorted(codes), 2):
            pairs[(a, b)] = pairs.get((a, b), 0) + 1
    return pairs


def evaluate(
    gold_path: str | Path, graph_or_doc: Graph | Document, *, registry: Registry | None = None
) -> EvaluationReport:
    """Score an extraction against a gold file.

    Args:
        gold_path: a gold YAML file (format of ``shared/gold/seed-report.gold.yaml``).
        graph_or_doc: the graph extracted from the document, or the document itself
            (then it is extracted first).
        registry: the registry to extract with when a document is given.

    Returns:
        The :class:`EvaluationReport`.
    """
    gold = load_gold(gold_path)
    if isinstance(graph_or_doc, Document):
        from mandategraph.graph.extraction.extract import extract

        graph = extract(graph_or_doc, registry=registry)
    else:
        graph = graph_or_doc
    if "resolution" in gold:
        return _evaluate_resolution(gold, graph)
    return _evaluate_report(gold, graph)


def _evaluate_report(gold: dict[str, Any], graph: Graph) -> EvaluationReport:
    report = EvaluationReport()
    org_keys = set((gold.get("organizations") or {}).keys())
    gold_cites: set[Item] = set()
    gold_states: set[Item] = set()
    gold_orgs: set[Item] = set()
    gold_years: set[Item] = set()
    gold_participants: list[tuple[str, int, set[str]]] = []
    gold_no_mandate: set[str] = set()
    for section in gold.get("sections") or []:
        n = str(section.get("n"))
        for cite in section.get("cites") or []:
            gold_cites.add((n, f"{cite['res']} {cite['par']}"))
        for activity in section.get("activities") or []:
            states = set(activity.get("states") or []) | set(activity.get("planned_states") or [])
            gold_states.update((n, s) for s in states)
            for role in ("by", "with", "funded_by"):
                for code in activity.get(role) or []:
                    if code in org_keys or not (len(code) == 3 and code.isupper()):
                        gold_orgs.add((n, code))
            gold_years.update((n, str(y)) for y in _gold_years(activity))
            if activity.get("participants") is not None:
                gold_participants.append(
                    (n, int(activity["participants"]), set(activity.get("states") or []))
                )
            if not activity.get("implements"):
                gold_no_mandate.add(n)
            actors = {c for role in ("by", "with", "funded_by") for c in activity.get(role) or []}
            report.implied.update(combinations(sorted(actors), 2))

    found_cites: set[Item] = set()
    section_numbers = {
        s: str(graph.value(s, MG.sectionNumber)) for s in graph.subjects(RDF.type, MG.Section)
    }
    for section, number in section_numbers.items():
        for paragraph in graph.objects(section, MG.cites):
            key = _paragraph_key(graph, paragraph)
            if key:
                found_cites.add((number, key))
    activities = _activities(graph)
    found_states = {(a["section"], s) for a in activities for s in a["states"]}
    found_orgs = {
        (a["section"], _code(iri)) for a in activities for iri in a["org_iris"] if "/id/org/" in iri
    }
    found_years = {(a["section"], str(y)) for a in activities for y in a["years"]}
    found_no_mandate = {a["section"] for a in activities if not a["implements"]}
    report.fields["citations"] = _score("citations", gold_cites, found_cites)
    report.fields["states"] = _score("states", gold_states, found_states)
    report.fields["organizations"] = _score("organizations", gold_orgs, found_orgs)
    report.fields["years"] = _score("years", gold_years, found_years)

    participants = FieldScore("participants")
    used: set[str] = set()
    for n, value, states in gold_participants:
        match = next(
            (
                a
                for a in activities
                if a["section"] == n
                and value in a["participants"]
                and a["iri"] not in used
                and (not states or states & a["states"])
            ),
            None,
        )
        if match:
            participants.tp += 1
            used.add(match["iri"])
        else:
            participants.fn += 1
            participants.misses.append(
                f"section {n}: {value} participants ({', '.join(sorted(states))})"
            )
    gold_values = {(n, v) for n, v, _ in gold_participants}
    for a in activities:
        for value in a["participants"]:
            if a["iri"] not in used and (a["section"], value) not in gold_values:
                participants.fp += 1
                participants.extras.append(f"section {a['section']}: {value} ({a['iri']})")
    report.fields["participants"] = participants
    report.fields["no_mandate"] = _score("no_mandate", gold_no_mandate, found_no_mandate)

    partnerships = gold.get("partnerships") or {}
    report.must = {tuple(sorted(p)) for p in partnerships.get("must") or []}  # type: ignore[misc]
    report.should = {tuple(sorted(p)) for p in partnerships.get("should") or []}  # type: ignore[misc]
    report.pairs_found = set(partnership_pairs(graph))
    report.fields["pairs_must"] = _score(
        "pairs_must", report.must, report.pairs_found & report.must
    )
    should = _score("pairs_should", report.should, report.pairs_found & report.should)
    report.fields["pairs_should"] = should
    report.extra_pairs = sorted(report.pairs_found - report.must - report.should)
    return report


def _evaluate_resolution(gold: dict[str, Any], graph: Graph) -> EvaluationReport:
    report = EvaluationReport()
    block = gold["resolution"]
    symbol = block["symbol"]
    res = next(
        (
            s
            for s in graph.subjects(SKOS.notation, None)
            if _notation(graph, s) == symbol and (s, RDF.type, MG.Resolution) in graph
        ),
        None,
    )
    gold_cites = {f"{c['res']} {c['par']}" for c in block.get("cites") or []}
    found_cites = set()
    for doc in graph.subjects(RDF.type, MG.Document):
        for paragraph in graph.objects(doc, MG.cites):
            key = _paragraph_key(graph, paragraph)
            if key and not key.startswith(symbol + " "):
                found_cites.add(key)
    report.fields["citations"] = _score("citations", gold_cites, found_cites)
    gold_pars = {str(p["par"]) for p in block.get("paragraphs") or []}
    gold_addr = {
        (str(p["par"]), p["addressee"]) for p in block.get("paragraphs") or [] if p.get("addressee")
    }
    found_pars: set[str] = set()
    found_addr: set[tuple[str, str]] = set()
    if res is not None:
        for paragraph in graph.subjects(MG.paragraphOf, res):
            number = str(graph.value(paragraph, MG.paragraphNumber))
            if graph.value(paragraph, MG.text) is not None:
                found_pars.add(number)
            for addressee in graph.objects(paragraph, MG.addressee):
                found_addr.add((number, _code(addressee)))
    report.fields["paragraphs"] = _score("paragraphs", gold_pars, found_pars)
    report.fields["addressees"] = _score("addressees", gold_addr, found_addr)
    gold_states: set[Item] = {
        (str(p["par"]), str(code))
        for p in block.get("paragraphs") or []
        for code in p.get("states") or []
    }
    gold_states |= {
        (f"preamble {c['clause']}", str(code))
        for c in block.get("preamble") or []
        for code in c.get("states") or []
    }
    found_states: set[Item] = set()
    if res is not None:
        for node, state in graph.subject_objects(DCTERMS.spatial):
            if "/id/state/" not in str(state):
                continue
            if (node, MG.paragraphOf, res) in graph:
                found_states.add((str(graph.value(node, MG.paragraphNumber)), _code(state)))
            elif (node, DCTERMS.isPartOf, res) in graph and "/preamble/" in str(node):
                found_states.add((f"preamble {_code(node)}", _code(state)))
    # Scored even when the gold names no state: then every state found is a false
    # positive, which is what a resolution naming none should give.
    report.fields["states"] = _score("states", gold_states, found_states)
    return report
