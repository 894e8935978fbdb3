"""Guards against hostile queries, decided inside the worker.

Nothing here runs on the web server's event loop: the executor hands the raw text
to a worker, which checks it under the same timeout as the query itself. The
sandbox (:mod:`mandategraph.graph.sparql.sandbox`) is the safeguard against network
access; :func:`federates` only explains refusals early and routes allow-listed
federation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from mandategraph.errors import BadParameterError, ForbiddenError, PayloadTooLargeError
from mandategraph.graph.sparql.task import Task

#: Deepest nesting of ``{``, ``(`` and ``[`` a query may have: the engine's parser
#: recurses once per level (about 5,000 levels overflowed an 8 MB stack).
MAX_NESTING = 256

#: Most ``UNION``, ``||`` and ``&&`` one query may hold: the engine builds such chains
#: as left-deep trees and recurses once per link (10,000 overflowed an 8 MB stack;
#: 30,000 passed on the 256 MB stack of a query thread).
MAX_CHAIN = 10_000

_SHAPE = re.compile(
    r"""
      "{3}(?:[^"\\]|\\.|"(?!""))*"{3}
    | '{3}(?:[^'\\]|\\.|'(?!''))*'{3}
    | "(?:[^"\\\r\n]|\\.)*"
    | '(?:[^'\\\r\n]|\\.)*'
    | \#[^\r\n]*
    | <[^<>"{}|^`\\\x00-\x20]*>
    | (?P<open>[{(\[])
    | (?P<close>[})\]])
    | (?P<chain>\|\||&&|\bUNION\b)
    """,
    re.VERBOSE | re.IGNORECASE,
)


def check_shape(text: str, *, max_bytes: int | None = None) -> None:
    """Refuse a query or update too large or too deep for the engine to parse safely.

    Strings, IRIs and comments are skipped; an unbalanced text is left to the parser.

    Raises:
        PayloadTooLargeError: the text is longer than ``max_bytes`` (UTF-8).
        BadParameterError: it nests deeper than :data:`MAX_NESTING` or chains more than
            :data:`MAX_CHAIN` operators.
    """
    if max_bytes is not None:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            raise PayloadTooLargeError(
                f"the query is {size:,} bytes; the limit is {max_bytes:,} "
                "(MANDATEGRAPH_MAX_QUERY_BYTES)"
            )
    depth = deepest = chain = 0
    for match in _SHAPE.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_NESTING:
                    raise BadParameterError(
                        f"the query nests more than {MAX_NESTING} levels of brackets; "
                        f"the limit is {MAX_NESTING}"
                    )
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "chain":
            chain += 1
            if chain > MAX_CHAIN:
                raise BadParameterError(
                    f"the query chains more than {MAX_CHAIN:,} UNION, || or && operators; "
                    f"the limit is {MAX_CHAIN:,}"
                )


def federates(task: Task, allowlist: tuple[str, ...], prefixes: Mapping[str, str]) -> bool:
    """Whether ``task`` may run with network access, as rdflib's SPARQL grammar reads it.

    True when the text has ``SERVICE`` clauses, all to allow-listed endpoints, and no
    ``LOAD``. This reading only adds refusals with a clear message and routes
    allow-listed federation to a thread with network; it is not the safeguard.
    Every other task runs on a sandboxed thread, where the engine cannot open a
    socket whatever it parses, so a text that rdflib cannot parse, or reads
    differently from the engine, gains nothing.

    Raises:
        ForbiddenError: a ``LOAD``; a ``SERVICE`` to an endpoint outside the
            allow-list, or to a variable.
    """
    from rdflib.plugins.sparql import algebra, parser
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef

    try:
        if task.kind == "update":
            tree: Any = list(
                algebra.translateUpdate(
                    parser.parseUpdate(task.text), base=task.base_iri, initNs=dict(prefixes)
                ).algebra
            )
        else:
            tree = algebra.translateQuery(
                parser.parseQuery(task.text), base=task.base_iri, initNs=dict(prefixes)
            ).algebra
    except Exception:  # rdflib's parser disagrees: run it sandboxed, the engine decides
        return False
    services: list[Any] = []
    loads = False
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                services.append(node.get("term"))
            elif node.name == "Load":
                loads = True
            pending.extend(node.values())
        elif isinstance(node, list | tuple):
            pending.extend(node)
        elif isinstance(node, dict):
            pending.extend(node.values())
    if loads:
        raise ForbiddenError("LOAD is not allowed: this server never fetches URLs")
    for endpoint in services:
        if not isinstance(endpoint, URIRef):
            raise ForbiddenError("SERVICE needs a fixed, allow-listed endpoint IRI")
        if str(endpoint) not in allowlist:
            raise ForbiddenError(
                f"SERVICE <{endpoint}> is not allowed "
                "(only endpoints listed in MANDATEGRAPH_SERVICE_ALLOWLIST)"
            )
    return bool(services)


def may_reach_out(text: str) -> bool:
    """Whether a text may hold ``SERVICE`` or ``LOAD`` (to explain a refusal early)."""
    lowered = text.lower()
    return "service" in lowered or "load" in lowered or "\\u" in lowered


def no_network_error() -> ForbiddenError:
    return ForbiddenError(
        "this server does not reach the network for a query: SERVICE is allowed only to "
        "the endpoints of MANDATEGRAPH_SERVICE_ALLOWLIST, and LOAD never (it fetches URLs)"
    )



def check_graph_names(what: str, values: list[str] | None) -> None:
    """Refuse graph names Oxigraph would not take, before they reach a worker.

    Args:
        what: the protocol parameter they came in (``default-graph-uri``...).
        values: the graph names (``None``: none given).

    Raises:
        BadParameterError: a value is not an absolute IRI.
    """
    for value in values or ():
        try:
            ox.NamedNode(value)
        except ValueError as exc:
            raise BadParameterError(f"{what} must be an absolute IRI, got {value!r}") from exc

