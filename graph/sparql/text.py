"""SPARQL as text: a lexer, and the few rewrites made on a query's text.

pyoxigraph exposes no query algebra, so the few things the executor and the HTTP
layer must know about a query (its FROM clauses, SERVICE endpoints, LOAD, USING) come
from a lexical scan that skips strings, IRIs and comments the way SPARQL's grammar
does. It errs on the side of finding keywords, never of missing them.

The rewrites: a top-level ``LIMIT`` for the row cap (:func:`limit_select`), the
protocol's ``USING`` for updates (:func:`add_using`), a ``VALUES`` block for bound
parameters (:func:`with_values`); and :func:`syntax_error`, which gives a parse error
its line and column. Imports nothing of the project but its errors (the store uses it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rdflib.term import Identifier

from mandategraph.errors import BadParameterError, QuerySyntaxError

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*"{3}
                |'{3}(?:[^'\\]|\\.|'(?!''))*'{3}
                |"(?:[^"\\\r\n]|\\.)*"
                |'(?:[^'\\\r\n]|\\.)*')
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<var>[?$]\w+)
    | (?P<name>(?:[^\W\d][\w.-]*)?:(?:[\w.:%-]|\\.)*|[^\W\d]\w*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Token:
    """A lexical token of a SPARQL text.

    Attributes:
        kind: ``iri``, ``string``, ``lang``, ``var``, ``name`` (keyword or prefixed
            name) or ``other`` (punctuation, digits).
        text: the token as written (a prefixed name without its trailing dots).
        start: offset of its first character in the text.
        depth: how many ``{`` enclose it.
    """

    kind: str
    text: str
    start: int
    depth: int

    @property
    def keyword(self) -> str | None:
        """The upper-cased keyword, if this is a bare word (no ``:``)."""
        if self.kind == "name" and ":" not in self.text:
            return self.text.upper()
        return None


def tokens(text: str) -> list[Token]:
    """The tokens of a SPARQL query or update, without spaces and comments."""
    found: list[Token] = []
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        value = match.group()
        if kind in ("ws", "comment"):
            continue
        if kind == "name" and ":" in value:
            value = value.rstrip(".")  # "mg:Activity." ends a triple, the dot is not the name's
        if value == "}":
            depth = max(depth - 1, 0)
        found.append(Token(kind, value, match.start(), depth))
        if value == "{":
            depth += 1
    return found


def unescape_codepoints(text: str) -> str:
    r"""Replace ``\uXXXX`` / ``\UXXXXXXXX`` escapes, which SPARQL allows anywhere."""
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def keywords(text: str) -> set[str]:
    """The keywords of a SPARQL text (upper-cased), escapes decoded or not."""
    found = {t.keyword for t in tokens(text) if t.keyword}
    unescaped = unescape_codepoints(text)
    if unescaped != text:
        found |= {t.keyword for t in tokens(unescaped) if t.keyword}
    return found  # type: ignore[return-value]


def names_dataset(text: str) -> bool:
    """Whether a query has its own ``FROM`` or ``FROM NAMED`` clause."""
    return "from" in text.lower() and "FROM" in keywords(text)


def add_using(text: str, *, using: list[str], using_named: list[str]) -> str:
    """Give each ``DELETE/INSERT ... WHERE`` of an update the protocol's dataset.

    Implements ``using-graph-uri`` / ``using-named-graph-uri`` (pyoxigraph takes no
    dataset for updates) by writing ``USING <g>`` / ``USING NAMED <g>`` before the
    ``WHERE`` of each operation. ``DELETE WHERE`` shorthands are left as they are.

    Raises:
        BadParameterError: the update has its own ``USING`` or ``WITH`` (the
            protocol forbids both at once).
    """

    if not using and not using_named:
        return text
    found = tokens(text)
    if any(t.depth == 0 and t.keyword in ("USING", "WITH") for t in found):
        raise BadParameterError(
            "an update with USING or WITH cannot also take using-graph-uri or "
            "using-named-graph-uri"
        )
    clause = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named])
    cuts = [
        t.start
        for i, t in enumerate(found)
        if t.depth == 0 and t.keyword == "WHERE" and not (i and found[i - 1].keyword == "DELETE")
    ]
    for start in reversed(cuts):
        text = f"{text[:start]}{clause} {text[start:]}"
    return text


_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def with_dataset(text: str, *, default: Sequence[str] = (), named: Sequence[str] = (),
                 excluded: Sequence[str] = ()) -> str | None:
    """Give a query the dataset ``FROM <g>`` (``default``) / ``FROM NAMED <g>``
    (``named``), written before the top-level query's ``WHERE`` clause; ``excluded``:
    Virtuoso's ``NOT FROM <g> NOT FROM NAMED <g>`` (every graph on the server but these).

    Returns:
        The query, or ``None`` when it has no place for them (a ``DESCRIBE`` without a
        ``WHERE`` clause, or no query form at all).
    """
    found = tokens(text)
    form = next((t for t in found if t.depth == 0 and t.keyword in _FORMS), None)
    if form is None:
        return None
    position = None
    for token in found:
        if token.start <= form.start or token.depth != 0:
            continue
        # the WHERE keyword, or the group where it is left out (not a CONSTRUCT's
        # template, which comes first)
        if token.keyword == "WHERE" or (token.text == "{" and form.keyword != "CONSTRUCT"):
            position = token.start
            break
    if position is None:
        return None
    # on the line of the WHERE, so that the server's syntax errors name the query's lines
    clause = "".join(f"FROM <{g}> " for g in default) + "".join(
        f"FROM NAMED <{g}> " for g in named) + "".join(
        f"NOT FROM <{g}> NOT FROM NAMED <{g}> " for g in excluded)
    # a space first where the group follows the query form at once ("ASK{}")
    if position and not text[position - 1].isspace():
        clause = " " + clause
    return f"{text[:position]}{clause}{text[position:]}"


_LIMIT_NUMBER = re.compile(r"LIMIT\s+(\d+)", re.IGNORECASE)


def limit_select(text: str, max_rows: int) -> tuple[str, bool] | None:
    """Give a SELECT query a top-level ``LIMIT`` of at most ``max_rows + 1``.

    Returns the new text and whether its result may still exceed ``max_rows`` (not
    when the query's own ``LIMIT`` is already within the cap), or ``None`` when the
    text is not a SELECT this scan understands (the caller then caps the slow way).
    The ``LIMIT`` goes where the grammar wants it: in place of a larger top-level one,
    else after the solution modifiers, before a trailing ``VALUES`` clause.
    """
    found = tokens(text)
    if next((t.keyword for t in found if t.depth == 0 and t.keyword in _FORMS), None) != "SELECT":
        return None
    top = [t for t in found if t.depth == 0]
    limit = next((t for t in top if t.keyword == "LIMIT"), None)
    if limit is not None:
        number = _LIMIT_NUMBER.match(text, limit.start)
        if number is None:
            return None
        if int(number.group(1)) <= max_rows:
            return text, False
        start, end = number.span(1)
        return f"{text[:start]}{max_rows + 1}{text[end:]}", True
    values = [t for t in top if t.keyword == "VALUES"]
    cut = values[-1].start if values else len(text)
    return f"{text[:cut]}\nLIMIT {max_rows + 1}\n{text[cut:]}", True



_SYNTAX_POSITION = re.compile(r"error at (\d+):(\d+)")


def syntax_error(exc: Exception, text: str) -> QuerySyntaxError:
    """Turn an Oxigraph parse error into a :class:`QuerySyntaxError` with line/column.

    Args:
        exc: the ``SyntaxError`` raised by pyoxigraph (``error at 3:7: expected ...``).
        text: the query text, to quote the offending line.
    """
    message = str(exc)
    found = _SYNTAX_POSITION.search(message)
    line = column = None
    detail = None
    if found:
        line, column = int(found.group(1)), int(found.group(2))
        lines = text.splitlines()
        if 0 < line <= len(lines):
            detail = f"{lines[line - 1]}\n{' ' * max(column - 1, 0)}^"
    return QuerySyntaxError(message, line=line, column=column, detail=detail)



_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def with_values(text: str, bindings: Mapping[str, Identifier | None]) -> str:
    """Put a one-row ``VALUES`` block for ``bindings`` at the start of the query's
    top-level ``WHERE`` group (``None`` becomes ``UNDEF``).

    Raises:
        BadParameterError: the query has no ``WHERE {`` to bind into.
    """
    if not bindings:
        return text
    offset = 0
    for line in text.splitlines(keepends=True):
        if not line.lstrip().startswith("#"):
            found = _WHERE.search(line)
            if found:
                position = offset + found.end()
                break
        offset += len(line)
    else:
        raise BadParameterError("this query has no WHERE { ... } to bind parameters into")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join("UNDEF" if v is None else v.n3() for v in bindings.values())
    return f"{text[:position]}\n  VALUES ({names}) {{ ({values}) }}\n{text[position:]}"

