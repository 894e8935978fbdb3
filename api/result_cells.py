"""Query results as table cells a person can read: links, numbers, long texts.

- an IRI of ours links to its page and shows its last two segments (the whole IRI in
  the tooltip), so a long IRI never stretches or breaks a column;
- a code (``CICTE``, ``JAM``, ``cybersecurity``, a resolution symbol) links to the page
  of the resource whose ``skos:notation`` it is, and ``AG/RES. 2485 (XXXIX-O/09) 5.b``
  to the paragraph; multi-valued cells (``CICTE|ICAO``) become one link per value;
- numbers (by datatype, or a column of whole numbers such as years) align right;
- long texts (a source quote) are clamped to a few lines and open on focus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from mandategraph.api.resources import page_path
from mandategraph.graph.sparql.results import Table
from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import paragraph_iri

#: XSD datatypes shown as numbers.
NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{name}" for name in (
    "integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger",
    "positiveInteger", "gYear")}
#: Separator of multi-valued cells in the canned queries.
SEPARATOR = "|"
#: Texts longer than this are clamped.
LONG = 120
#: A token that may be a code (no spaces, short), or "SYMBOL PATH" of a paragraph.
_CODE = re.compile(r"[\w.\-/()]{1,40}")
_PARAGRAPH = re.compile(r"(?P<symbol>.+\)) (?P<path>\d+(?:\.[a-z0-9]+)*)")

_SLASH = re.compile(r"/(?=\S)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_BREAKS = re.compile(r"(?<=/)|(?<=[a-z])(?=[A-Z][a-z])")

CODES_QUERY = "SELECT ?code ?x WHERE { ?x skos:notation ?code }"


@dataclass
class Item:
    """One value of a cell: its text, and the page it links to."""

    text: str
    href: str | None = None
    title: str | None = None
    code: bool = False

    @property
    def parts(self) -> list[str]:
        """The text cut where a line may break without cutting a word: after a ``/``
        of a path, between the words of a CamelCase name (``Technical|Assistance``)."""
        if self.title:
            return [p for p in _BREAKS.split(self.text) if p]
        # a symbol's slash (AG/RES., XXXIX-O/09) is inside a word: a word joiner after it
        text = _SLASH.sub("/\u2060", self.text)
        return [p for p in _CAMEL.split(text) if p]


@dataclass
class Cell:
    """One cell: its values, and how it is laid out."""

    items: list[Item] = field(default_factory=list)
    num: bool = False
    long: bool = False
    text: bool = False


def _short(iri: str, path: str) -> str:
    parts = path.strip("/").split("/")[1:]  # without "id"
    return "/".join(parts[-2:]) if len(parts) > 1 else (parts[0] if parts else iri)


def _is_code(text: str) -> bool:
    """A short token kept on one line (``UNODC-TPB``); longer ones (``border-control``)
    may wrap after a hyphen, never inside a word."""
    return len(text) <= 12 and " " not in text


def _numeric_columns(table: Table) -> list[bool]:
    numeric = []
    for index in range(len(table.columns)):
        values = [row[index] for row in table.rows if row[index]]
        kinds = [t[index] for t in table.datatypes if t[index]] if table.datatypes else []
        numeric.append(bool(values) and (
            (bool(kinds) and all(k in NUMERIC for k in kinds))
            or all(re.fullmatch(r"-?\d+(\.\d+)?", v or "") for v in values)))
    return numeric


def _known_codes(store: Store, tokens: set[str]) -> dict[str, str]:
    """The page of each token that is the ``skos:notation`` of a resource of ours."""
    if not tokens:
        return {}
    values = " ".join(ox.Literal(t).__str__() for t in sorted(tokens))
    text = CODES_QUERY.replace("WHERE {", f"WHERE {{ VALUES ?code {{ {values} }}", 1)
    found: dict[str, str] = {}
    for row in store.query(text):  # type: ignore[union-attr]
        path = page_path(row["x"].value)
        code = row["code"].value
        # one code, one page: an ambiguous code (two resources) links nowhere
        if path is not None:
            found[code] = path if code not in found or found[code] == path else ""
    return {code: path for code, path in found.items() if path}


def _existing(store: Store, iris: set[str]) -> set[str]:
    if not iris:
        return set()
    values = " ".join(f"<{i}>" for i in sorted(iris))
    rows = store.query(f"SELECT DISTINCT ?x WHERE {{ VALUES ?x {{ {values} }} ?x ?p ?o }}")
    return {row["x"].value for row in rows}  # type: ignore[union-attr]


def cells(table: Table, store: Store) -> list[list[Cell]]:
    """The table's cells for the page."""
    numeric = _numeric_columns(table)
    tokens: set[str] = set()
    paragraphs: dict[str, str] = {}
    for row in table.rows:
        for value in row:
            if not value or page_path(value) or value.startswith(("http://", "https://")):
                continue
            for token in value.split(SEPARATOR):
                if _CODE.fullmatch(token):
                    tokens.add(token)
                found = _PARAGRAPH.fullmatch(token)
                if found:
                    paragraphs[token] = str(paragraph_iri(found["symbol"], found["path"]))
    codes = _known_codes(store, tokens)
    existing = _existing(store, set(paragraphs.values()))
    for token, iri in paragraphs.items():
        path = page_path(iri)
        if iri in existing and path:
            codes[token] = path
    out = []
    for row in table.rows:
        line = []
        for index, value in enumerate(row):
            cell = Cell(num=numeric[index])
            if value is None:
                pass
            elif page_path(value):
                path = page_path(value) or ""
                cell.items.append(Item(_short(value, path), path, value))
            elif value.startswith(("http://", "https://")):
                cell.items.append(Item(value, value, value))
            elif SEPARATOR in value or value in codes:
                cell.items.extend(Item(t, codes.get(t), code=_is_code(t))
                                  for t in value.split(SEPARATOR))
            else:
                cell.items.append(Item(value, code=_is_code(value)))
                cell.long = len(value) > LONG
                cell.text = len(value) > 30
            line.append(cell)
        out.append(line)
    return out
