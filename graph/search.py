"""Full-text search over the graph: activities, mandates, actors and documents.

The index is SQLite's FTS5 (standard library), ranked by BM25. What it indexes are
*keys*, not words: each word of a text, lower-cased, with its accents folded and
stemmed by the Snowball stemmer of the text's language (English, French, Spanish), so
"sécurité", "securite" and "Sécurités" meet, and "Kingstown" stays apart from
"Kingston" (no prefix matching). A query's words are keyed in all three languages
(the query's language is not known) and all must match. Snippets are cut and
highlighted here, from the original text, around the words whose keys matched.

The index is built from the store (:func:`build_index`) and kept beside an on-disk
store as ``<store>.search.sqlite`` with the store's signature, so a reader knows when
it is stale; ``mandategraph build``, ``ingest`` and ``remove`` rewrite it.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import pyoxigraph as ox
import snowballstemmer

from mandategraph.graph.sparql.workers import store_signature
from mandategraph.graph.sparql_client import is_remote
from mandategraph.graph.store import MEMORY, Store

LANGUAGES = {"en": "english", "fr": "french", "es": "spanish"}
WORD = re.compile(r"\w+", re.UNICODE)
#: Characters of context on each side of a snippet's first match.
CONTEXT = 90
KINDS = ("activity", "mandate", "actor", "document")


@cache
def _stemmer(lang: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(LANGUAGES[lang])


def fold(word: str) -> str:
    """Lower-case ``word`` and drop its accents (é -> e, ñ -> n)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def word_keys(word: str, languages: Iterable[str], *, query: bool = False) -> frozenset[str]:
    """The keys of one word: its folded form and its stems in each language.

    Indexed words get two stems each (stemmed then folded, and folded then stemmed,
    since a stemmer reads accents); a query's words only the second, so that a word
    typed with or without its accents has the same keys.
    """
    return _keys(word.casefold(), tuple(languages), query)


@lru_cache(maxsize=500_000)
def _keys(lower: str, languages: tuple[str, ...], query: bool) -> frozenset[str]:
    # words repeat: each (word, languages) is stemmed once per process
    folded = fold(lower)
    keys = {folded}
    for lang in languages:
        stemmer = _stemmer(lang)
        if not query:
            keys.add(fold(stemmer.stemWord(lower)))
        keys.add(stemmer.stemWord(folded))
    return frozenset(k for k in keys if k)


def text_keys(text: str, language: str | None) -> str:
    """The keys of a text, space-separated, for the index."""
    languages = (language,) if language in LANGUAGES else tuple(LANGUAGES)
    return " ".join(filter(None, (_indexed_keys(word, languages)
                                  for word in WORD.findall(text))))


@lru_cache(maxsize=500_000)
def _indexed_keys(word: str, languages: tuple[str, ...]) -> str:
    # an index of 10,000 reports reads two million words, most of them seen before
    return " ".join(sorted(word_keys(word, languages)))


@dataclass(frozen=True)
class Entry:
    """One thing to find: its IRI, kind, title, text to show, and more text to match."""

    iri: str
    kind: str
    title: str
    text: str
    language: str | None = None
    extra: str = ""


@dataclass
class Hit:
    """One result: the entry, its rank, and its snippet as (text, highlighted) parts."""

    iri: str
    kind: str
    title: str
    language: str | None
    score: float
    snippet: list[tuple[str, bool]] = field(default_factory=list)


# An activity's label, quotes and language, read within its document's graph (over the
# union default graph, each OPTIONAL was joined over every span and section stored:
# 19.2 s for the 62,831 activities of 10,000 generated reports), then its classes over
# the union (the inferred graph adds some) and their labels; :func:`activity_entries`
# puts them together.
ACTIVITIES = """
SELECT ?x ?l ?q ?lang WHERE {
  GRAPH ?g {
    ?x a mg:Activity .
    OPTIONAL { ?x rdfs:label ?l }
    OPTIONAL { ?x prov:wasDerivedFrom ?span . ?span mg:quote ?q }
    OPTIONAL { ?x mg:reportedIn ?section . ?section mg:inDocument ?doc .
               ?doc mg:language ?lang }
  }
}
"""

ACTIVITY_CLASSES = "SELECT DISTINCT ?x ?class WHERE { ?x a mg:Activity , ?class }"

# the labels of every class of the ontology (a few hundred): those of an activity's
# classes are looked up in Python, with no second pass over the activities
CLASS_LABELS = """
SELECT DISTINCT ?class ?c WHERE { ?class a owl:Class ; skos:prefLabel|skos:altLabel ?c }
"""


@dataclass
class _Activity:
    labels: set[str] = field(default_factory=set)
    quotes: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)


def _language_matches(tag: str, language: str) -> bool:
    """SPARQL's LANGMATCHES of a language tag and a range without wildcard."""
    tag, language = tag.lower(), language.lower()
    return tag == language or tag.startswith(f"{language}-")


def activity_entries(store: Store) -> Iterator[Entry]:
    """One entry for each activity: its label as title, the shortest of its quotes that
    names it (else the shortest) as text, the language of the document it is reported
    in, and the labels of its classes in that language as more words to match."""
    found: dict[str, _Activity] = {}
    for row in _solutions(store, ACTIVITIES):
        activity = found.setdefault(row["x"].value, _Activity())
        for name, values in (("l", activity.labels), ("q", activity.quotes),
                             ("lang", activity.languages)):
            if row[name] is not None:
                values.add(row[name].value)
    for row in _solutions(store, ACTIVITY_CLASSES):
        if row["x"].value in found:
            found[row["x"].value].classes.add(row["class"].value)
    labels: dict[str, list[ox.Literal]] = {}
    for row in _solutions(store, CLASS_LABELS):
        if isinstance(row["c"], ox.Literal):
            labels.setdefault(row["class"].value, []).append(row["c"])
    for iri, activity in found.items():
        title = min(activity.labels, default="")
        # the shortest sentence that names it, else the shortest
        named = title.casefold()
        text = max(activity.quotes, key=lambda q: (named in q.casefold(), -len(q), q),
                   default="") or title
        if not text:
            continue
        language = min(activity.languages, default="")
        extra = sorted({label.value for c in activity.classes for label in labels.get(c, ())
                        if language and label.language
                        and _language_matches(label.language, language)})
        yield Entry(iri=iri, kind="activity", title=title or text[:80], text=text,
                    language=language[:2].lower() or None, extra=" ".join(extra))


def _solutions(store: Store, query: str) -> ox.QuerySolutions:
    rows = store.query(query)
    assert isinstance(rows, ox.QuerySolutions)
    return rows


MANDATES = """
SELECT ?x (SAMPLE(?title0) AS ?title) (SAMPLE(?t) AS ?text) (SAMPLE(LANG(?t)) AS ?language)
       ("" AS ?extra)
WHERE {
  # each pattern read once (DISTINCT sub-selects): a paragraph cited by N reports is
  # typed, numbered and attached in N graphs, and the union default graph would join
  # the N copies of each
  { SELECT DISTINCT ?x ?t WHERE { ?x a mg:OperativeParagraph ; mg:text ?t } }
  OPTIONAL { { SELECT DISTINCT ?x ?n WHERE { ?x mg:paragraphNumber ?n } }
             { SELECT DISTINCT ?x ?r WHERE { ?x mg:paragraphOf ?r } }
             { SELECT DISTINCT ?r ?s WHERE { ?r skos:notation ?s } }
             BIND(CONCAT(?s, " ", ?n) AS ?title0) }
} GROUP BY ?x
"""

ACTORS = """
SELECT ?x (SAMPLE(?l) AS ?title) (GROUP_CONCAT(DISTINCT ?name; separator=" · ") AS ?text)
       ("" AS ?language) (SAMPLE(?code) AS ?extra)
WHERE {
  # each pattern read once (DISTINCT sub-selects): a state named in N documents is typed
  # and labelled in N graphs, and the union default graph would join N^4 copies
  { SELECT DISTINCT ?x WHERE { VALUES ?class { mg:Organization mg:State } ?x a ?class } }
  { SELECT DISTINCT ?x ?name WHERE { ?x rdfs:label|skos:prefLabel|skos:altLabel ?name } }
  OPTIONAL { { SELECT DISTINCT ?x ?l WHERE { ?x rdfs:label ?l } } }
  OPTIONAL { { SELECT DISTINCT ?x ?code WHERE { ?x skos:notation ?code } } }
} GROUP BY ?x
"""

DOCUMENTS = """
SELECT ?x (SAMPLE(?t) AS ?title) (SAMPLE(?t) AS ?text) (SAMPLE(?lang) AS ?language)
       ("" AS ?extra)
WHERE {
  ?x a mg:Document ; dcterms:title ?t .
  OPTIONAL { ?x mg:language ?lang }
} GROUP BY ?x
"""


def entries(store: Store) -> Iterator[Entry]:
    """Everything the index holds, read from the store."""
    yield from activity_entries(store)
    for kind, query in (("mandate", MANDATES), ("actor", ACTORS), ("document", DOCUMENTS)):
        for row in _solutions(store, query):
            values = {name: (row[name].value if row[name] is not None else "")
                      for name in ("x", "title", "text", "language", "extra")}
            text = values["text"] or values["title"]
            if not text:
                continue
            yield Entry(iri=values["x"], kind=kind, title=values["title"] or text[:80],
                        text=text, language=values["language"][:2].lower() or None,
                        extra=values["extra"])


SCHEMA = """
CREATE VIRTUAL TABLE entries USING fts5(
  keys, iri UNINDEXED, kind UNINDEXED, title UNINDEXED, text UNINDEXED,
  language UNINDEXED, tokenize = 'unicode61'
);
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);
"""


def build_index(found: Iterable[Entry], path: str | Path = ":memory:") -> sqlite3.Connection:
    """A new index of ``found``, in memory or written to ``path`` (replaced)."""
    if str(path) != ":memory:":
        Path(path).unlink(missing_ok=True)
    connection = sqlite3.connect(str(path), check_same_thread=False)
    connection.executescript(SCHEMA)
    connection.executemany(
        "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?)",
        ((text_keys(f"{e.title} {e.text} {e.extra}", e.language), e.iri, e.kind, e.title,
          e.text, e.language) for e in found),
    )
    connection.commit()
    return connection


def match_expression(query: str) -> tuple[str, frozenset[str]]:
    """The FTS5 expression of a user's query (each word's keys OR-ed, words AND-ed), and
    all its keys; empty when the query has no word."""
    groups = []
    every: frozenset[str] = frozenset()
    for word in WORD.findall(query):
        keys = word_keys(word, LANGUAGES, query=True)
        every |= keys
        groups.append("(" + " OR ".join(f'"{k}"' for k in sorted(keys)) + ")")
    return " AND ".join(groups), every


def snippet(text: str, language: str | None, keys: frozenset[str]) -> list[tuple[str, bool]]:
    """A window of ``text`` around its first matching word, as (text, highlighted) parts."""
    languages = [language] if language in LANGUAGES else list(LANGUAGES)
    marks = [m for m in WORD.finditer(text) if word_keys(m.group(), languages) & keys]
    start = max(0, marks[0].start() - CONTEXT) if marks else 0
    end = min(len(text), (marks[0].end() if marks else 0) + 2 * CONTEXT)
    parts: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
    position = start
    for mark in marks:
        if mark.start() < start or mark.end() > end:
            continue
        parts.append((text[position:mark.start()], False))
        parts.append((mark.group(), True))
        position = mark.end()
    parts.append((text[position:end], False))
    if end < len(text):
        parts.append(("…", False))
    return [p for p in parts if p[0]]


def search(connection: sqlite3.Connection, query: str, *, kind: str | None = None,
           limit: int = 20, offset: int = 0) -> tuple[int, list[Hit]]:
    """(total, hits) of ``query``, best first (BM25), optionally of one kind."""
    expression, keys = match_expression(query)
    if not expression:
        return 0, []
    where = "entries MATCH ?" + (" AND kind = ?" if kind else "")
    params: list[object] = [expression, *([kind] if kind else [])]
    total = connection.execute(f"SELECT count(*) FROM entries WHERE {where}",
                               params).fetchone()[0]
    rows = connection.execute(
        f"SELECT iri, kind, title, text, language, bm25(entries) FROM entries WHERE {where} "
        "ORDER BY bm25(entries), iri LIMIT ? OFFSET ?", [*params, limit, offset],
    ).fetchall()
    hits = [Hit(iri, k, title, language, -score, snippet(text, language, keys))
            for iri, k, title, text, language, score in rows]
    return int(total), hits


# -- the index beside a store ------------------------------------------------------------


def index_path(location: str | Path) -> Path:
    """Where the index of the on-disk store at ``location`` lives (beside it)."""
    folder = Path(location)
    return folder.parent / f"{folder.name}.search.sqlite"


def _signature(location: str | Path) -> str:
    return repr(store_signature(location))


def write_index(store: Store, location: str | Path) -> int:
    """Rebuild the index file of the store at ``location`` from ``store``; entries written.

    The signature recorded is the store's as it is on disk now: call this once the
    writes are committed.
    """
    return install_index(build_index_file(store, location), location)


def build_index_file(store: Store, location: str | Path) -> Path:
    """Build the index of ``store`` into a new file beside the one of the store at
    ``location``, without a signature yet; :func:`install_index` puts it in place, so
    the file a reader opens is never half written.
    """
    built = index_path(location).with_suffix(".building")
    build_index(entries(store), built).close()
    return built


def install_index(built: Path, location: str | Path) -> int:
    """Record the signature of the store at ``location`` (its writes committed by now)
    in the index file ``built`` from :func:`build_index_file`, and move it in place;
    entries written."""
    connection = sqlite3.connect(str(built))
    try:
        connection.execute("INSERT INTO meta VALUES ('signature', ?)", (_signature(location),))
        connection.commit()
        count = int(connection.execute("SELECT count(*) FROM entries").fetchone()[0])
    finally:
        connection.close()
    built.replace(index_path(location))
    return count


def open_index(store: Store) -> sqlite3.Connection:
    """The index of ``store``: its file when it matches the store, else built in memory."""
    if store.location != MEMORY and not is_remote(str(store.location)):
        path = index_path(store.location)
        if path.is_file():
            connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True,
                                         check_same_thread=False)
            try:
                row = connection.execute(
                    "SELECT value FROM meta WHERE name = 'signature'").fetchone()
            except sqlite3.DatabaseError:
                row = None
            if row is not None and row[0] == _signature(store.location):
                return connection
            connection.close()
    return build_index(entries(store))
