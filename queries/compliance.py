"""The compliance checks: each a canned query, read into findings with their evidence.

=================  ======================================  ============================
kind               question                                canned query
=================  ======================================  ============================
``no-activity``    which mandates has no activity acted    ``mandates-without-activities``
                   on (cited, inferred or uncited)?
``not-acted-on``   which resolutions does a report recall  ``resolutions-not-acted-on``
                   or cite with none of their paragraphs
                   acted on?
``no-mandate``     which activities implement no mandate?  ``activities-without-mandate``
``mismatch``       which activities cite a paragraph on    ``theme-mismatch``
                   another theme?
``dropped``        which mandates acted on in an earlier   ``dropped-mandates``
                   report are absent from a later one?
``renewal``        which paragraphs of a series repeat     ``renewal-candidates`` scored
                   earlier ones?                           with rapidfuzz, and reports
                                                           citing "analogous earlier
                                                           mandates"
=================  ======================================  ============================

The queries run through a caller's runner (the executor, with its timeout): a check
whose query times out raises :class:`~mandategraph.errors.QueryTimeoutError`, and a
result cut by a row cap raises too, so that absence never stands for a slow or
truncated answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import asdict, dataclass

from rapidfuzz import fuzz, utils

from mandategraph.errors import BadParameterError, MandategraphError
from mandategraph.graph.sparql.results import Table
from mandategraph.graph.store import Store
from mandategraph.queries.catalog import get_query
from mandategraph.queries.summaries import canned_sparql

#: Every kind of finding, in the order the report lists them.
KINDS = ("no-activity", "not-acted-on", "no-mandate", "mismatch", "dropped", "renewal")

#: The canned query behind each kind.
QUERIES = {
    "no-activity": "mandates-without-activities",
    "not-acted-on": "resolutions-not-acted-on",
    "no-mandate": "activities-without-mandate",
    "mismatch": "theme-mismatch",
    "dropped": "dropped-mandates",
    "renewal": "renewal-candidates",
}

#: rapidfuzz token set ratio (0-100) from which two paragraph texts count as a renewal.
SIMILARITY = 75.0

#: What a report writes when it ties the mandate it cites to earlier ones (folded
#: lowercase); the nearest citation before it, in the same paragraph of text, is the
#: renewed mandate.
ANALOGOUS = (
    "mandats anterieurs analogues", "analogous earlier mandates", "similar earlier mandates",
    "previous mandates", "mandatos anteriores analogos", "mandatos anteriores similares",
)

#: Runs one SPARQL query and returns its whole result.
Runner = Callable[[str], Table]


class TruncatedResultError(MandategraphError):
    """A check's result was cut by a row cap: a partial list is not an answer."""

    exit_code = 1
    http_status = 500
    title = "truncated result"


@dataclass(frozen=True)
class Finding:
    """One finding of a check, with its evidence or the reason there is none."""

    kind: str
    subject: str
    detail: str
    document: str | None = None
    section: str | None = None
    quote: str | None = None
    iri: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """The finding as a flat mapping (JSON, CSV)."""
        return asdict(self)


def parse_kinds(text: str | None) -> tuple[str, ...]:
    """Kinds from a comma-separated option (``no-activity,no-mandate``).

    Raises:
        BadParameterError: an unknown kind.
    """
    if not text:
        return ()
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise BadParameterError(
            f"unknown check kind {', '.join(unknown)} (known: {', '.join(KINDS)})"
        )
    return kinds


#: The store whose fresh summaries the checks read (set by :func:`run_checks`).
_SUMMARIES: ContextVar[Store | None] = ContextVar("summaries", default=None)


def canned_rows(
    run: Runner, name: str, values: Mapping[str, str] | None = None
) -> list[dict[str, str]]:
    """The rows of canned query ``name`` as text, with the values it takes bound (from
    its summary, when :func:`run_checks` was given the store and it has a fresh one)."""
    query = get_query(name)
    bound = {k: v for k, v in (values or {}).items() if any(p.name == k for p in query.params)}
    store = _SUMMARIES.get()
    text = query.sparql(bound) if store is None else canned_sparql(store, query, bound)
    return read_table(run(text), name)


def read_table(table: Table, name: str) -> list[dict[str, str]]:
    """A whole result as rows of text (an unbound cell is empty).

    Raises:
        TruncatedResultError: the result was cut by a row cap.
    """
    if table.truncated:
        raise TruncatedResultError(f"check {name!r}: the result was cut by a row cap")
    return [{c: (v or "") for c, v in zip(table.columns, row, strict=True)}
            for row in table.rows]


def _slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1] if iri else ""


def no_activity(run: Runner, values: Mapping[str, str]) -> list[Finding]:
    """Mandates no activity acts on (``mandates-without-activities``)."""
    found = []
    for row in canned_rows(run, QUERIES["no-activity"], values):
        why = {"inferred": "inferred from the numbering of a cited paragraph; text unknown",
               "cited": "cited by a report, but no activity acts on it",
               "uncited": "no report cites it"}[row["reason"]]
        found.append(Finding(
            "no-activity", f"{row['resolution']} {row['paragraph']}",
            f"{row['reason']}: {why} ({row['status']})",
            _slug(row["document"]) or None, row["section"] or None, row["quote"] or None,
            row["mandate"],
        ))
    return found


def not_acted_on(run: Runner, values: Mapping[str, str]) -> list[Finding]:
    """Resolutions recalled or cited with none of their paragraphs acted on."""
    return [
        Finding("not-acted-on", row["resolution"],
                "a report recalls or cites it; no activity acts on any of its paragraphs",
                _slug(row["document"]) or None, None, row["quote"] or None,
                row["resolutionIri"])
        for row in canned_rows(run, QUERIES["not-acted-on"], values)
    ]


def no_mandate(run: Runner, values: Mapping[str, str]) -> list[Finding]:
    """Activities that implement no mandate."""
    return [
        Finding("no-mandate", row["label"] or _slug(row["activity"]),
                f"no paragraph cited (theme: {row['theme'] or 'none'})",
                _slug(row["document"]) or None, row["section"] or None, row["quote"] or None,
                row["activity"])
        for row in canned_rows(run, QUERIES["no-mandate"], values)
    ]


def mismatch(run: Runner, values: Mapping[str, str]) -> list[Finding]:
    """Activities citing a paragraph on another theme, one finding per section and
    paragraph."""
    return [
        Finding("mismatch", f"{row['resolution']} {row['paragraph']}",
                f"{row['activities']} activities on {row['activityThemes']} cite a paragraph "
                f"on {row['paragraphThemes']}",
                _slug(row["document"]) or None, row["section"] or None, row["quote"] or None,
                row["mandate"])
        for row in canned_rows(run, QUERIES["mismatch"], values)
    ]


def dropped(run: Runner, values: Mapping[str, str]) -> list[Finding]:
    """Mandates acted on in an earlier report and absent from a later one."""
    return [
        Finding("dropped", f"{row['resolution']} {row['paragraph']}",
                f"acted on in {_slug(row['earlier'])} (to {row['earlierLast']}), not in "
                f"{_slug(row['later'])} (from {row['laterFirst']})",
                _slug(row["earlier"]) or None, row["section"] or None, row["quote"] or None,
                row["mandate"])
        for row in canned_rows(run, QUERIES["dropped"], values)
    ]


def similar(first: str, second: str) -> float:
    """How alike two paragraph texts are: rapidfuzz's token set ratio (0-100), case,
    punctuation and word order aside."""
    return float(fuzz.token_set_ratio(first, second, processor=utils.default_process))


#: Each citing document's text once: in the rows of the citations below it would come again
#: with every citation, and with every copy of what a paragraph is that the other
#: documents' graphs repeat (a compliance run on 10,000 reports grew to 16 GB so).
TEXTS_QUERY = """
SELECT ?doc ?text WHERE {
  ?doc prov:value ?text .
  FILTER EXISTS { ?sec mg:inDocument ?doc ; mg:cites ?p }
}
"""
#: The citations of the reports, where they are in the text, each once (DISTINCT).
CITATIONS_QUERY = """
SELECT DISTINCT ?doc ?number ?symbol ?start ?end ?section WHERE {
  ?sec mg:inDocument ?doc ; mg:cites ?p .
  OPTIONAL { ?sec mg:sectionNumber ?section }
  ?p mg:paragraphNumber ?number ; mg:paragraphOf/skos:notation ?symbol ;
     prov:wasDerivedFrom ?span .
  ?span mg:inDocument ?doc ; mg:startOffset ?start ; mg:endOffset ?end .
}
"""


def _fold(text: str) -> str:
    import unicodedata

    bare = unicodedata.normalize("NFKD", text)
    return "".join(c for c in bare if not unicodedata.combining(c)).lower()


def analogous_mentions(run: Runner) -> list[Finding]:
    """Citations a report ties to "analogous earlier mandates" (the cue after the
    citation, before the paragraph of text ends)."""
    texts = {row["doc"]: row["text"]
             for row in read_table(run(TEXTS_QUERY), "analogous earlier mandates")}
    citations: dict[str, list[tuple[int, int, str, str]]] = {}
    for row in read_table(run(CITATIONS_QUERY), "analogous earlier mandates"):
        subject = f"{row['symbol']} {row['number']}"
        citations.setdefault(row["doc"], []).append(
            (int(row["start"]), int(row["end"]), subject, row["section"]))
    found = []
    for doc, text in texts.items():
        folded = _fold(text)
        spans = sorted(set(citations.get(doc, [])))
        for cue in ANALOGOUS:
            for match in re.finditer(re.escape(cue), folded):
                before = [c for c in spans if c[1] <= match.start()
                          and "\n\n" not in text[c[1]:match.start()]]
                if not before:
                    continue
                start, _end, subject, section = before[-1]
                found.append(Finding(
                    "renewal", subject,
                    "the report ties it to analogous earlier mandates",
                    _slug(doc), section or None, text[start:match.end()], None,
                ))
    return found


def renewals(run: Runner, values: Mapping[str, str], *,
             threshold: float = SIMILARITY) -> list[Finding]:
    """Paragraphs of a series whose texts in one language are alike, and citations a
    report ties to analogous earlier mandates."""
    found = []
    for row in canned_rows(run, QUERIES["renewal"], values):
        score = similar(row["earlierText"], row["laterText"])
        if score >= threshold:
            found.append(Finding(
                "renewal", f"{row['later']} {row['laterParagraph']}",
                f"renews {row['earlier']} {row['earlierParagraph']} "
                f"(similarity {score:.0f}, {row['language']})",
                None, None, f"{row['earlierText']} / {row['laterText']}", row["laterMandate"],
            ))
    return found + analogous_mentions(run)


CHECKS: dict[str, Callable[[Runner, Mapping[str, str]], list[Finding]]] = {
    "no-activity": no_activity,
    "not-acted-on": not_acted_on,
    "no-mandate": no_mandate,
    "mismatch": mismatch,
    "dropped": dropped,
    "renewal": renewals,
}


def run_checks(
    run: Runner, *, kinds: Iterable[str] | None = None, resolution: str | None = None,
    store: Store | None = None,
) -> list[Finding]:
    """Every finding of the chosen checks (all by default), kind by kind.

    Args:
        run: runs one SPARQL query with a timeout and returns its whole result.
        kinds: which checks (see :data:`KINDS`).
        resolution: only this resolution's mandates, where a check takes it.
        store: the store ``run`` reads, whose fresh summaries answer the canned
            queries (:mod:`mandategraph.queries.summaries`); none: the queries themselves.

    Raises:
        mandategraph.errors.QueryTimeoutError: a check's query timed out.
        TruncatedResultError: a check's result was cut by a row cap.
    """
    values = {"resolution": resolution} if resolution else {}
    chosen = tuple(kinds) if kinds else KINDS
    findings: list[Finding] = []
    reset = _SUMMARIES.set(store)
    try:
        for kind in KINDS:
            if kind in chosen:
                findings.extend(CHECKS[kind](run, values))
    finally:
        _SUMMARIES.reset(reset)
    return findings
