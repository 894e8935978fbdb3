"""The mandate registry: every paragraph with its status, and what acts on it.

The status of each mandate is the one the canned query ``mandate-status`` gives (its
rules are written there and in the README); this module adds, per mandate, what a
registry view and the filters of ``/compliance`` need:

* the acting bodies, the states and the years of the activities acting on it (an
  activity acts on a paragraph when it implements it or one of its sub-paragraphs);
* its themes: those of these activities and its own;
* the first quote of each document citing it, for the drill-down to the source;
* the reviewer's note on it, if any (``graph/reviews``, :mod:`mandategraph.graph.reviews`).

A finding of the compliance checks takes the facets of what it is about: a mandate's
own, an activity's own, or, for a resolution, the union of its paragraphs'.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from mandategraph.graph.reviews import READ_QUERY as REVIEWS_QUERY
from mandategraph.graph.reviews import Review
from mandategraph.ontology.roles import role_path
from mandategraph.queries.compliance import Finding, Runner, canned_rows, read_table

#: The statuses of ``mandate-status``, in the order a registry lists them.
STATUSES = ("implemented", "in progress", "planned only", "not implemented",
            "not applicable", "no indication")

ACTIVITY_FACETS_QUERY = """
SELECT ?a ?body ?state ?year ?theme WHERE {
  ?a a mg:Activity .
  { ?a ROLES ?who . ?who skos:notation ?body }
  UNION { ?a mg:beneficiary ?where . ?where skos:notation ?state }
  UNION { ?a mg:year ?year }
  UNION { ?a mg:theme ?about . ?about skos:notation ?theme }
}
"""

ACTING_QUERY = """
SELECT DISTINCT ?subject ?a WHERE {
  ?subject a mg:OperativeParagraph .
  ?part mg:withinParagraph ?subject . ?a mg:implements ?part .
}
"""

OWN_THEMES_QUERY = """
SELECT ?subject ?resolution (GROUP_CONCAT(DISTINCT STR(?themeCode); separator="|") AS ?themes)
WHERE {
  ?subject a mg:OperativeParagraph ; mg:paragraphOf ?resolution .
  OPTIONAL { ?subject mg:theme/skos:notation ?themeCode }
}
GROUP BY ?subject ?resolution
"""

QUOTES_QUERY = """
SELECT ?subject ?document ?quote ?start ?end WHERE {
  ?subject a mg:OperativeParagraph ; prov:wasDerivedFrom ?span .
  ?span mg:inDocument ?document ; mg:quote ?quote ; mg:startOffset ?start ;
        mg:endOffset ?end .
}
ORDER BY ?subject ?document ?start
"""


@dataclass(frozen=True)
class Quote:
    """Where a document cites a mandate."""

    document: str
    quote: str
    start: int
    end: int

    @property
    def slug(self) -> str:
        """The document's slug, as in its page's path."""
        return self.document.rsplit("/", 1)[-1]


@dataclass
class Facets:
    """What a mandate, an activity or a resolution is about, for filters."""

    bodies: set[str] = field(default_factory=set)
    states: set[str] = field(default_factory=set)
    years: set[str] = field(default_factory=set)
    themes: set[str] = field(default_factory=set)
    statuses: set[str] = field(default_factory=set)

    def merge(self, other: Facets) -> None:
        """Add the other's facets to these."""
        for name in ("bodies", "states", "years", "themes", "statuses"):
            getattr(self, name).update(getattr(other, name))

    def matches(self, *, theme: str | None = None, state: str | None = None,
                year: str | None = None, status: str | None = None) -> bool:
        """Whether every given filter holds (an absent filter holds)."""
        return ((theme is None or theme in self.themes)
                and (state is None or state in self.states)
                and (year is None or year in self.years)
                and (status is None or status in self.statuses))


@dataclass
class Mandate:
    """One paragraph of the registry."""

    iri: str
    resolution: str
    paragraph: str
    status: str
    rule: str
    kind: str
    text: str
    activities: int
    inferred: bool
    facets: Facets
    quotes: list[Quote]
    review: Review | None = None

    @property
    def subject(self) -> str:
        """How the compliance findings name it (``symbol number``)."""
        return f"{self.resolution} {self.paragraph}"


def _split(text: str) -> set[str]:
    return {part for part in text.split("|") if part}


def _facets(run: Runner) -> dict[str, Facets]:
    """The facets of every activity, and of every mandate (those of the activities
    acting on it), by IRI."""
    query = ACTIVITY_FACETS_QUERY.replace("ROLES", role_path())
    found: dict[str, Facets] = {}
    for row in read_table(run(query), "registry facets"):
        mine = found.setdefault(row["a"], Facets())
        for column, values in (("body", mine.bodies), ("state", mine.states),
                               ("year", mine.years), ("theme", mine.themes)):
            if row[column]:
                values.add(row[column])
    for row in read_table(run(ACTING_QUERY), "registry activities"):
        found.setdefault(row["subject"], Facets()).merge(found.get(row["a"], Facets()))
    return found


def registry(run: Runner, *, resolution: str | None = None) -> list[Mandate]:
    """Every mandate (of one resolution, given its symbol), with its status and facets,
    in the order of ``mandate-status``.

    Raises:
        mandategraph.errors.QueryTimeoutError: a query timed out.
        mandategraph.queries.compliance.TruncatedResultError: a result was cut.
    """
    facets = _facets(run)
    own = {row["subject"]: _split(row["themes"])
           for row in read_table(run(OWN_THEMES_QUERY), "registry themes")}
    quotes: dict[str, list[Quote]] = {}
    for row in read_table(run(QUOTES_QUERY), "registry quotes"):
        cited = quotes.setdefault(row["subject"], [])
        if not any(q.document == row["document"] for q in cited):
            cited.append(Quote(row["document"], row["quote"], int(row["start"]),
                               int(row["end"])))
    reviews = {row["mandate"]: Review(row["mandate"], row["decision"], row["reason"],
                                      row["when"] or None)
               for row in read_table(run(REVIEWS_QUERY), "reviews")}
    values = {"resolution": resolution} if resolution else {}
    mandates = []
    for row in canned_rows(run, "mandate-status", values):
        iri = row["mandate"]
        mine = Facets()
        mine.merge(facets.get(iri, Facets()))
        mine.themes |= own.get(iri, set())
        mine.statuses.add(row["status"])
        mandates.append(Mandate(
            iri=iri, resolution=row["resolution"], paragraph=row["paragraph"],
            status=row["status"], rule=row["rule"], kind=row["kind"], text=row["text"],
            activities=int(row["activities"] or 0), inferred=row["inferred"] == "true",
            facets=mine, quotes=quotes.get(iri, []), review=reviews.get(iri),
        ))
    return mandates


def finding_facets(run: Runner, findings: Iterable[Finding],
                   mandates: list[Mandate]) -> list[Facets]:
    """The facets of each finding: its mandate's (with the mandate's status), its
    activity's, or the union of its resolution's paragraphs'."""
    facets = _facets(run)
    by_iri = {m.iri: m for m in mandates}
    by_subject = {m.subject: m for m in mandates}
    by_resolution: dict[str, Facets] = {}
    for m in mandates:  # a resolution has no status of its own
        whole = by_resolution.setdefault(m.resolution, Facets())
        whole.merge(m.facets)
        whole.statuses.clear()
    found = []
    for finding in findings:
        mandate = by_iri.get(finding.iri or "") or by_subject.get(finding.subject)
        if mandate is not None:
            found.append(mandate.facets)
        elif finding.iri in facets:
            found.append(facets[finding.iri])
        else:
            found.append(by_resolution.get(finding.subject, Facets()))
    return found
