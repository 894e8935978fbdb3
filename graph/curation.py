"""Curation of candidates: names the registry does not know, accepted or rejected.

The extraction keeps an organization-like name the registry lacks as a provisional
actor (``mg:Candidate``). A curator decides:

* **accept** ``NAME`` as an organization with a code and a kind: the decision is
  written to the *registry overlay*, a YAML file beside the store
  (:func:`overlay_path`: ``var/store`` has ``var/store-registry.yaml``), whose
  ``organizations`` use the format of ``ontology/reference/organizations.yaml``; the
  registry extended with it (:meth:`Overlay.registry`) replaces the reference graph,
  and the documents that mention the name are extracted again from their stored text,
  so that the name becomes a registry actor wherever it occurs;
* **reject** ``NAME``: it goes to the overlay's ``rejected`` list and its candidate
  nodes leave the graph (:func:`hide_candidates`), now and after every later build or
  ingest that uses the overlay.

The overlay is plain YAML so that it can be reviewed, kept under version control and
merged into ``ontology/reference/organizations.yaml`` when a decision is final.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import URIRef

from mandategraph.errors import BadParameterError, NotFoundError, StoreError
from mandategraph.graph.extraction.readers import Document
from mandategraph.graph.store import MEMORY, Store
from mandategraph.ontology.registry import Registry, RegistryError, load_registry

__all__ = [
    "KINDS",
    "Candidate",
    "Overlay",
    "candidates",
    "documents_mentioning",
    "hide_candidates",
    "overlay_path",
    "stored_document",
]

#: what ``accept --kind`` takes, and the registry kind each becomes (a funder is a
#: partner organization; its role in an activity comes from the sentence)
KINDS = {"partner": "partner", "oas_body": "oas_body", "funder": "partner"}

_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*")
_ACRONYM = re.compile(r"[A-Z][A-Za-z0-9&]*[A-Z0-9]")


def overlay_path(store_location: str | Path) -> Path:
    """The overlay file of a store directory: beside it, named after it.

    Raises:
        StoreError: the store is in memory (curation needs a store directory).
    """
    if str(store_location) == MEMORY:
        raise StoreError("curation needs a store directory, not an in-memory store")
    store = Path(store_location).expanduser()
    return store.with_name(f"{store.name}-registry.yaml")


@dataclass
class Overlay:
    """The curator's decisions: accepted organizations and rejected names."""

    path: Path
    organizations: dict[str, dict[str, Any]] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> Overlay:
        """Read the overlay at ``path``; an absent file is an empty overlay.

        Raises:
            BadParameterError: the file is not a YAML mapping with ``organizations``
                (a mapping) and ``rejected`` (a list).
        """
        if not path.is_file():
            return cls(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise BadParameterError(f"cannot read the registry overlay {path}: {exc}") from exc
        organizations = data.get("organizations") if isinstance(data, dict) else None
        rejected = data.get("rejected") if isinstance(data, dict) else None
        if not isinstance(organizations or {}, dict) or not isinstance(rejected or [], list):
            raise BadParameterError(
                f"{path}: a registry overlay maps 'organizations' and lists 'rejected'"
            )
        return cls(path, dict(organizations or {}), [str(n) for n in rejected or []])

    def save(self) -> None:
        """Write the overlay (a temporary file renamed, so a crash leaves the old one)."""
        header = (
            "# Registry overlay of mandategraph's curation (mandategraph candidates accept /\n"
            "# reject). `organizations` has the format of ontology/reference/organizations.yaml\n"
            "# (plus `accepted_from`, the candidate name); `rejected` lists hidden names.\n"
        )
        body = yaml.safe_dump(
            {"organizations": self.organizations, "rejected": self.rejected},
            allow_unicode=True, sort_keys=True,
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.path.with_name(self.path.name + ".tmp")
        scratch.write_text(header + body, encoding="utf-8")
        scratch.replace(self.path)

    def registry(self, base: Registry | None = None) -> Registry:
        """``base`` (the reference registry) with the accepted organizations added.

        Raises:
            BadParameterError: an accepted entry is malformed or shares a name with a
                registry organization.
        """
        base = base or load_registry()
        if not self.organizations:
            return base
        try:
            return base.with_organizations(self.organizations, where=self.path.name)
        except RegistryError as exc:
            raise BadParameterError(f"the registry overlay {self.path}: {exc}") from exc

    def accept(
        self, name: str, *, code: str, kind: str, lang: str, context: str = ""
    ) -> dict[str, Any]:
        """Record ``name`` as the organization ``code`` of ``kind`` (see :data:`KINDS`).

        An acronym written after a name of two capitalized words or more in
        ``context`` ("the Caribbean Telecommunications Union (CTU)") takes that name
        as its preferred name, so that both forms are matched from then on.

        Raises:
            BadParameterError: a bad code or kind, or a code the registry already has.
        """
        if kind not in KINDS:
            raise BadParameterError(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}")
        if not _CODE.fullmatch(code):
            raise BadParameterError(
                f"--code must be capitals, digits and hyphens (like CTU or US-DOJ), not {code!r}"
            )
        if code in load_registry().organizations:
            raise BadParameterError(f"{code} is already a registry organization")
        names: dict[str, Any] = {"name": name}
        if _ACRONYM.fullmatch(name) and name.upper() == name:
            names["acronyms"] = [name]
            spelled = _spelled_out(name, context)
            if spelled:
                names["name"] = spelled
        languages = {"en": dict(names)}
        if lang != "en":
            languages[lang] = dict(names)
        entry: dict[str, Any] = {"kind": KINDS[kind], "names": languages, "accepted_from": name}
        if kind == "funder":
            entry["role"] = "funder"
        self.organizations[code] = entry
        if name in self.rejected:
            self.rejected.remove(name)
        return entry

    def reject(self, name: str) -> None:
        """Hide ``name`` from listings and from the graph."""
        if name not in self.rejected:
            self.rejected.append(name)


_LINK = r"(?:of|for|on|the|against|de|du|des|la|le|les|del|pour|para|contra)"


def _spelled_out(acronym: str, context: str) -> str | None:
    """The name written before ``(ACRONYM)`` in ``context``, if two capitalized words
    or more (linked by short function words) precede it."""
    word = r"[A-ZÀ-Ý][\w’'-]+"
    pattern = rf"((?:{word}\s+(?:{_LINK}\s+)*){{2,}})\(\s*{re.escape(acronym)}\s*\)"
    match = re.search(pattern, " ".join(context.split()))
    if not match:
        return None
    words = match.group(1).split()
    while words and re.fullmatch(_LINK, words[-1], re.IGNORECASE):
        words.pop()
    return " ".join(words) if len(words) >= 2 else None


# -- candidates in the store ------------------------------------------------------------


@dataclass
class Candidate:
    """One candidate name: how often it occurs, and the first sentence it occurs in."""

    name: str
    mentions: int
    document: str
    sentence: str
    code: str = ""


_MENTIONS = """
SELECT ?name ?code ?doc ?start ?end WHERE {
  ?candidate a mg:Candidate ; rdfs:label ?name .
  OPTIONAL { ?candidate skos:notation ?code }
  ?candidate prov:wasDerivedFrom ?span .
  ?span mg:inDocument ?doc ; mg:startOffset ?start ; mg:endOffset ?end .
}
"""

_TEXT = "SELECT ?text WHERE { ?doc prov:value ?text }"

# Where a sentence ends: a stop (not of a common abbreviation) and a space before a
# capital, or a blank line.
_SENTENCE_END = re.compile(
    r"(?<!\bNo)(?<!\bSt)(?<!\bMr)(?<!\bDr)(?<!\bSr)(?<!\bMs)[.!?](?=\s+[\"«(\[]?[A-ZÀ-Ý])"
    r"|\n[ \t]*\n"
)


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` around ``[start, end)``, on one line."""
    begin = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        begin = match.end()
    stop = _SENTENCE_END.search(text, end)
    finish = stop.start() + 1 if stop else len(text)
    sentence = " ".join(text[begin:finish].split())
    return sentence if len(sentence) <= 400 else sentence[:399] + "…"


def candidates(store: Store, *, hidden: Iterable[str] = ()) -> list[Candidate]:
    """The candidates of the store, most mentioned first, without the ``hidden`` names."""
    hide = set(hidden)
    spans: dict[str, list[tuple[str, int, int]]] = {}
    codes: dict[str, str] = {}
    for row in store.query(_MENTIONS):  # type: ignore[union-attr]
        name = row["name"].value
        code = row["code"].value if row["code"] is not None else ""
        if name in hide or code in hide:
            continue
        if code:
            codes[name] = code
        spans.setdefault(name, []).append(
            (row["doc"].value, int(row["start"].value), int(row["end"].value))
        )
    texts: dict[str, str] = {}
    found = []
    for name, places in spans.items():
        document, start, end = min(places)
        if document not in texts:
            texts[document] = _stored_text(store, document)
        unique = {(d, s) for d, s, _e in places}
        found.append(Candidate(name, len(unique), document.rsplit("/", 1)[-1],
                               _sentence(texts[document], start, end), codes.get(name, "")))
    return sorted(found, key=lambda c: (-c.mentions, c.name))


def _stored_text(store: Store, document: str) -> str:
    from mandategraph.graph.sparql.results import to_table

    rows = to_table(store.query(_TEXT, bindings={"doc": URIRef(document)})).rows
    return (rows[0][0] or "") if rows else ""


def documents_mentioning(store: Store, names: Iterable[str]) -> list[str]:
    """IRIs of the documents with a candidate node named, or coded, one of ``names``."""
    wanted = set(names)
    found = set()
    for row in store.query(_MENTIONS):  # type: ignore[union-attr]
        code = row["code"].value if row["code"] is not None else None
        if row["name"].value in wanted or code in wanted:
            found.add(row["doc"].value)
    return sorted(found)


def hide_candidates(store: Store, names: Iterable[str]) -> int:
    """Delete the candidate nodes named or coded ``names`` (as subject and as object)
    everywhere.

    Returns:
        How many candidate nodes were removed.
    """
    from mandategraph.graph.sparql.results import to_table

    removed = 0
    for name in sorted(set(names)):
        literal = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        nodes = to_table(store.query(
            "SELECT DISTINCT ?c WHERE { ?c a mg:Candidate "
            f"{{ ?c rdfs:label {literal} }} UNION {{ ?c skos:notation {literal} }} }}"
        )).rows
        for (node,) in nodes:
            if node is None:
                continue
            iri = f"<{node}>"
            store.update(f"DELETE {{ GRAPH ?g {{ {iri} ?p ?o }} }} "
                         f"WHERE {{ GRAPH ?g {{ {iri} ?p ?o }} }}")
            store.update(f"DELETE {{ GRAPH ?g {{ ?s ?p {iri} }} }} "
                         f"WHERE {{ GRAPH ?g {{ ?s ?p {iri} }} }}")
            removed += 1
    return removed


_DOCUMENT = """
SELECT ?type ?title ?language ?publisher ?date ?symbol ?text WHERE {
  ?doc prov:value ?text .
  OPTIONAL { ?doc a ?type FILTER(?type = mg:Report) }
  OPTIONAL { ?doc dcterms:title ?title }
  OPTIONAL { ?doc mg:language ?language }
  OPTIONAL { ?doc dcterms:publisher ?publisher }
  OPTIONAL { ?doc dcterms:date ?date }
  OPTIONAL { ?doc foaf:primaryTopic/skos:notation ?symbol }
}
LIMIT 1
"""


def stored_document(store: Store, document: str) -> Document:
    """A document rebuilt from what the store keeps of it (its text and metadata), to
    be extracted again exactly as it was read.

    Raises:
        NotFoundError: the store does not keep that document's text.
    """
    from mandategraph.graph.sparql.results import to_table

    table = to_table(store.query(_DOCUMENT, bindings={"doc": URIRef(document)}))
    if not table.rows:
        raise NotFoundError(f"the store keeps no text for {document}")
    row = dict(zip(table.columns, table.rows[0], strict=True))
    slug = document.rsplit("/", 1)[-1]
    year = row.get("date")
    return Document(
        slug=slug,
        path=Path(slug),
        text=row["text"] or "",
        language=row.get("language") or "en",
        kind="report" if row.get("type") else "resolution",
        title=row.get("title") or slug,
        publisher=row.get("publisher"),
        year=int(year[:4]) if year and year[:4].isdigit() else None,
        symbol=row.get("symbol"),
    )
