"""The catalogue of canned queries: one ``queries/<name>.rq`` file per question.

Each file opens with a YAML header in ``#+`` comment lines (as grlc does)::

    #+ summary: Activities with their actors, states and mandates
    #+ description: ...
    #+ tags: [activities]
    #+ params:
    #+   - {name: state, type: code, default: null, description: ISO alpha-3 code}
    #+ columns: [activity, label, states]

The file name is the query's id, its CLI name and its URL (``/queries/<name>``).

Parameter values are bound by the engine through a ``VALUES`` block placed at the
start of the query's top-level ``WHERE`` group, built from RDF terms serialized by
rdflib (so a value can never break out of its literal). Oxigraph's own substitutions
only bind projected variables, which would not fit parameters used in filters. As in
grlc, parameter ``name`` is the query variable ``?_name``, so inputs never clash with
output columns. A parameter left without a value is ``UNDEF``: queries test it with
``BOUND(?_name)``.

A page of a query's results (:class:`Page`) is a ``LIMIT``/``OFFSET`` of whole numbers:
at the end of the query, or, where the file has a line ``# PAGE`` (a comment, so the
file reads as the whole query), in its place: a query that selects its page of rows
first in a subquery there, and computes its costly columns for that page only (the
``activities`` list), is answered in time at any size. Such a subquery filters on the
parameters, so the ``VALUES`` block goes where the file has a line ``# PARAMETERS``
(at the start of the subquery's group) rather than in the top-level group, which a
subquery does not see.

Where an engine answers a query's text far slower than another text of the same question,
that engine has its own text, ``queries/engines/<engine>/<name>.rq`` (the same columns,
parameters and marks; no header of its own), and :meth:`CannedQuery.on` gives the query
as that engine runs it. ``<engine>`` is a store's :attr:`engine`: ``oxigraph``
(the embedded store and ``oxigraph serve``), ``virtuoso`` or ``sparql`` (any other).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from mandategraph.errors import BadParameterError, QueryNotFoundError, QuerySyntaxError
from mandategraph.graph.sparql.text import syntax_error, with_values
from mandategraph.ontology.namespaces import PREFIXES

QUERIES_DIR = Path(__file__).resolve().parent

#: The folder of engine-specific texts, one sub-folder per engine.
ENGINES_DIR = "engines"

#: Parameter types and how a text value becomes an RDF term.
PARAM_TYPES = ("code", "state", "string", "integer", "year", "iri")

#: What a value of each type looks like (spaces around it are dropped). The HTTP API
#: publishes these patterns, so what its document calls valid is what is accepted.
PARAM_PATTERNS: dict[str, str] = {
    "integer": r"-?[0-9]+",
    "year": r"-?[0-9]+",
    "iri": r'[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>"{}|\\^`]+',
    "state": r"[A-Za-z]{3}",
    "code": r"[A-Za-z0-9][A-Za-z0-9./ ()-]*",
}
_WHAT = {
    "integer": "a whole number",
    "year": "a whole number",
    "iri": "an IRI",
    "state": "an ISO 3166-1 alpha-3 code",
    "code": "a code",
}

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: Where a query's page goes, when not at its end: a line of its own.
PAGE_MARK = re.compile(r"^[ \t]*# PAGE[ \t]*$", re.MULTILINE)
#: Where a query's parameters go, when not in its top-level group: a line of its own.
PARAMETERS_MARK = re.compile(r"^[ \t]*# PARAMETERS[ \t]*$", re.MULTILINE)


#: The highest page number and page size (an engine's OFFSET is a 64-bit integer).
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class Page:
    """Page ``number`` (from 1) of ``size`` rows."""

    number: int = 1
    size: int = 100

    def __post_init__(self) -> None:
        if not (1 <= self.number <= MAX_PAGE and 1 <= self.size <= MAX_PAGE):
            raise BadParameterError(
                f"page must be a whole number from 1 to {MAX_PAGE:,} (got page {self.number} "
                f"of {self.size} rows)")

    @property
    def offset(self) -> int:
        """How many rows come before the page."""
        return (self.number - 1) * self.size


@dataclass(frozen=True)
class Param:
    """A parameter of a canned query."""

    name: str
    type: str = "string"
    default: str | None = None
    description: str = ""

    def bind(self, value: str) -> Identifier:
        """Turn a text value into the RDF term bound to ``?name``.

        Raises:
            BadParameterError: the value does not fit the parameter's type.
        """
        text = value.strip(" ")
        pattern = PARAM_PATTERNS.get(self.type)
        if pattern is not None and not re.fullmatch(pattern, text):
            raise BadParameterError(
                f"parameter {self.name!r} must be {_WHAT[self.type]}, got {value!r}"
            )
        if self.type in ("integer", "year"):
            return Literal(int(text), datatype=XSD.integer)
        if self.type == "iri":
            return URIRef(text)
        if self.type == "state":
            return Literal(text.upper())
        return Literal(text)


@dataclass(frozen=True)
class CannedQuery:
    """One canned query: its SPARQL text and what its header says."""

    name: str
    path: Path
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    columns: tuple[str, ...] = field(default=())
    #: Whether the query has a stored summary (see :mod:`mandategraph.queries.summaries`),
    #: and then, for each parameter, the filter over its columns that stands for it (or
    #: ``None``: a value of it is answered by the query itself).
    materialize: tuple[tuple[str, str | None], ...] | None = None
    #: Texts of this query for one engine each: (engine, text), see :meth:`on`.
    engines: tuple[tuple[str, str], ...] = ()

    def on(self, engine: str) -> CannedQuery:
        """This query as ``engine`` runs it: with that engine's own text, if it has one
        (``queries/engines/<engine>/<name>.rq``), else itself."""
        for name, text in self.engines:
            if name == engine:
                return replace(self, text=text, engines=())
        return self

    def bindings(self, values: Mapping[str, str] | None = None) -> dict[str, Identifier]:
        """Bindings for the engine from text values, with the declared defaults.

        Raises:
            BadParameterError: an unknown parameter or a value of the wrong type.
        """
        values = dict(values or {})
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            expected = ", ".join(known) or "none"
            raise BadParameterError(
                f"query {self.name!r} has no parameter {', '.join(unknown)} (it takes: {expected})"
            )
        bound: dict[str, Identifier] = {}
        for param in self.params:
            value = values.get(param.name)
            if value is None or value == "":
                value = param.default
            if value is not None and value != "":
                bound[param.name] = param.bind(str(value))
        return bound

    @property
    def pages_inside(self) -> bool:
        """Whether the query selects its page in a subquery (a ``# PAGE`` line)."""
        return PAGE_MARK.search(self.text) is not None

    def sparql(
        self,
        values: Mapping[str, str] | None = None,
        *,
        page: Page | None = None,
        next_row: bool = True,
        unbound: bool = False,
    ) -> str:
        """The query text with its parameters bound (unset ones ``UNDEF``), and, with
        ``page``, cut to that page, plus one row unless not ``next_row`` (the sign of a
        next page). ``unbound``: every parameter ``UNDEF``, defaults included (the whole
        answer, of which a summary is made).

        Raises:
            BadParameterError: an unknown parameter or a value of the wrong type.
        """
        bound = {} if unbound else self.bindings(values)
        text = self.text
        if page is not None:
            cut = f"LIMIT {page.size + (1 if next_row else 0)} OFFSET {page.offset}"
            if self.pages_inside:
                text = PAGE_MARK.sub(lambda _m: cut, text, count=1)
            else:
                text = f"{text.rstrip()}\n{cut}\n"
        if not self.params:
            return text
        bindings = {f"_{p.name}": bound.get(p.name) for p in self.params}
        if PARAMETERS_MARK.search(text):
            block = with_values("WHERE {}", bindings)[len("WHERE {"):-1].strip()
            return PARAMETERS_MARK.sub(lambda _m: block, text, count=1)
        return with_values(text, bindings)


def parse_header(text: str, *, name: str, required: bool = True) -> dict[str, object]:
    """Read the ``#+`` YAML header of a query file.

    Args:
        text: the file's text.
        name: the query's name, for messages.
        required: whether the header must give a summary (the canned queries'); a
            user's own file may have none, and its name stands for the summary.

    Raises:
        BadParameterError: the header is not valid YAML or lacks a summary.
    """
    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() and not line.startswith("#"):
            break
    try:
        header = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as exc:
        raise BadParameterError(f"query {name!r}: its #+ header is not valid YAML: {exc}") from exc
    if not required and header == {}:
        return {"summary": name}
    if not isinstance(header, dict) or not header.get("summary"):
        raise BadParameterError(f"query {name!r}: its #+ header needs a 'summary'")
    return header


def load_query(path: Path, *, header_required: bool = True) -> CannedQuery:
    """Read one ``.rq`` file into a :class:`CannedQuery`, checking that it parses.

    ``header_required=False`` reads a plain SPARQL file (a user's own, outside
    ``queries/``): without a ``#+`` header it has no parameters.

    Raises:
        BadParameterError: bad header or parameter declaration.
        QuerySyntaxError: the SPARQL does not parse.
    """
    name = path.stem
    text = path.read_text(encoding="utf-8")
    header = parse_header(text, name=name, required=header_required)
    params = []
    for item in header.get("params") or []:  # type: ignore[attr-defined]
        if not isinstance(item, dict) or "name" not in item:
            raise BadParameterError(f"query {name!r}: each param needs a name")
        kind = str(item.get("type", "string"))
        if kind not in PARAM_TYPES:
            raise BadParameterError(
                f"query {name!r}: param {item['name']!r} has unknown type {kind!r}"
            )
        default = item.get("default")
        params.append(
            Param(
                name=str(item["name"]),
                type=kind,
                default=None if default is None else str(default),
                description=str(item.get("description", "")),
            )
        )
    materialize = _materialize(header.get("materialize"), name=name, params=params,
                               columns=header.get("columns"))
    try:
        ox.Store().query(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        error = syntax_error(exc, text)
        raise QuerySyntaxError(f"query {name!r}: {error.message}", line=error.line,
                               column=error.column, detail=error.detail) from exc
    return CannedQuery(
        name=name,
        path=path,
        text=text,
        summary=str(header["summary"]),
        description=str(header.get("description", "") or ""),
        tags=tuple(str(t) for t in header.get("tags") or []),  # type: ignore[attr-defined]
        params=tuple(params),
        columns=tuple(str(c) for c in header.get("columns") or []),  # type: ignore[attr-defined]
        materialize=materialize,
    )


def _materialize(
    declared: object, *, name: str, params: list[Param], columns: object
) -> tuple[tuple[str, str | None], ...] | None:
    """The ``materialize`` header: ``{}`` or a map from parameters to filters over the
    columns (``null``: none); absent, the query has no summary.

    Raises:
        BadParameterError: not a map, a key that is not a parameter, a filter that is not
            text, or no ``columns`` to store.
    """
    if declared is None:
        return None
    if not isinstance(declared, dict):
        raise BadParameterError(f"query {name!r}: 'materialize' must be a map of parameters")
    if not isinstance(columns, list) or not columns:
        raise BadParameterError(f"query {name!r}: a summary needs the 'columns' of the header")
    known = {p.name for p in params}
    for key, value in declared.items():
        if key not in known:
            raise BadParameterError(
                f"query {name!r}: 'materialize' names {key!r}, which is not a parameter")
        if value is not None and not isinstance(value, str):
            raise BadParameterError(
                f"query {name!r}: the filter of {key!r} in 'materialize' must be text or null")
        if value is not None:
            try:
                ox.Store().query(f"ASK {{ FILTER({value}) }}", prefixes=PREFIXES)
            except SyntaxError as exc:
                raise BadParameterError(f"query {name!r}: the filter of {key!r} in "
                                        f"'materialize' does not parse: {exc}") from exc
    return tuple((p.name, declared.get(p.name)) for p in params)


@lru_cache(maxsize=4)
def load_catalog(directory: Path = QUERIES_DIR) -> dict[str, CannedQuery]:
    """All canned queries of ``directory``, by name (sorted)."""
    catalog = {}
    for path in sorted(directory.glob("*.rq")):
        if _NAME.match(path.stem):
            catalog[path.stem] = load_query(path)
    engines = directory / ENGINES_DIR
    for folder in sorted(p for p in engines.iterdir() if p.is_dir()) if engines.is_dir() else []:
        for path in sorted(folder.glob("*.rq")):
            query = catalog.get(path.stem)
            if query is None:
                raise BadParameterError(f"{path}: no canned query named {path.stem!r}")
            text = _engine_text(query, path)
            catalog[query.name] = replace(query, engines=(*query.engines, (folder.name, text)))
    return catalog


def _engine_text(query: CannedQuery, path: Path) -> str:
    """The text of ``path``, one engine's text of ``query``: it must parse, answer the
    same columns and keep the query's marks (``# PAGE``, ``# PARAMETERS``).

    Raises:
        QuerySyntaxError: the text does not parse.
        BadParameterError: other columns or marks than the query's.
    """
    text = path.read_text(encoding="utf-8")
    where = f"query {query.name!r} for {path.parent.name}"
    try:
        columns = ox.Store().query(text, prefixes=PREFIXES).variables  # type: ignore[union-attr]
        ours = ox.Store().query(query.text, prefixes=PREFIXES).variables  # type: ignore[union-attr]
    except SyntaxError as exc:
        error = syntax_error(exc, text)
        raise QuerySyntaxError(f"{where}: {error.message}", line=error.line,
                               column=error.column, detail=error.detail) from exc
    except AttributeError as exc:  # not a SELECT: no variables
        raise BadParameterError(f"{where}: a canned query's text must be a SELECT") from exc
    if [v.value for v in columns] != [v.value for v in ours]:
        raise BadParameterError(
            f"{where}: its columns {[v.value for v in columns]} are not the query's "
            f"{[v.value for v in ours]}")
    for mark, label in ((PAGE_MARK, "# PAGE"), (PARAMETERS_MARK, "# PARAMETERS")):
        if bool(mark.search(text)) != bool(mark.search(query.text)):
            raise BadParameterError(f"{where}: the {label!r} line must be there as in the "
                                    "query's own text, or in neither")
    return text


def get_query(name: str, *, directory: Path = QUERIES_DIR) -> CannedQuery:
    """The canned query called ``name``.

    Raises:
        QueryNotFoundError: there is none; the message lists the known ones.
    """
    catalog = load_catalog(directory)
    if name not in catalog:
        known = ", ".join(catalog) or "none"
        raise QueryNotFoundError(f"no canned query named {name!r} (known: {known})")
    return catalog[name]
