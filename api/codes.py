"""Codes and parameter names a user types, checked before a query runs.

A theme key, a state code, an actor's code or a resolution symbol that the graph does
not know would only give an empty result; a query parameter no route reads would be
ignored. Both are refused instead, naming the known values closest to what was typed,
as git does ("did you mean drug-trafficking?"): an unknown parameter is a bad parameter
(exit 2, HTTP 400); an unknown code is :class:`UnknownCodeError` (exit 2, HTTP 404: the
value has the form of a code, as the OpenAPI document says, but names nothing in the
graph, as the ``document`` filter already answers). The known codes are read from the graph itself
(``skos:notation`` of the things of each kind), so a code added to the reference data
is known as soon as it is loaded.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from fastapi import Request

from mandategraph.errors import BadParameterError
from mandategraph.graph.store import Store


class UnknownCodeError(BadParameterError):
    """A well-formed code that names nothing in the graph."""

    http_status = 404
    title = "unknown code"


#: The classes whose codes each kind of value takes; an actor is an organization or a
#: government (a state's code).
KINDS: dict[str, tuple[str, ...]] = {
    "theme": ("mg:Theme",),
    "state": ("mg:State",),
    "actor": ("mg:Organization", "mg:State"),
    "resolution": ("mg:Resolution",),
}

#: Kinds whose codes are written in capitals and typed in any case.
_ANY_CASE = {"state"}

#: How many of the closest known values an error names.
SUGGESTIONS = 3


def known_codes(store: Store, kind: str) -> list[str]:
    """The codes the graph knows for ``kind`` (a key of :data:`KINDS`), sorted."""
    # each class a constant, its subclasses walked: no reasoning needed (a store built
    # without Java), and a path with a bound end, which every engine evaluates
    union = " UNION ".join(
        f"{{ ?x a/rdfs:subClassOf* {cls} ; skos:notation ?code }}" for cls in KINDS[kind]
    )
    rows = store.query("SELECT DISTINCT ?code WHERE { " + union + " }")
    assert isinstance(rows, ox.QuerySolutions)
    return sorted({row["code"].value for row in rows})  # type: ignore[union-attr]


def _score(typed: str, known: str) -> float:
    """How close ``typed`` is to ``known``: the whole, or one of its words."""
    typed, known = typed.casefold(), known.casefold()
    parts = [known, *re.split(r"[-_ /.]+", known)]
    best = max(difflib.SequenceMatcher(None, typed, part).ratio() for part in parts if part)
    if known.startswith(typed) or typed.startswith(known):
        best = max(best, 0.9)
    return best


def closest(typed: str, known: Iterable[str], *, count: int = SUGGESTIONS) -> list[str]:
    """The known values nearest to ``typed``, best first (at most ``count``)."""
    ranked = sorted(known, key=lambda k: (-_score(typed, k), k))
    return ranked[:count]


def _suggestion(typed: str, known: list[str]) -> str:
    near = closest(typed, known)
    if not near:
        return "none is known"
    if len(near) == 1:
        return f"did you mean {near[0]}?"
    return f"did you mean {', '.join(near[:-1])} or {near[-1]}?"


def check_known(store: Store, kind: str, value: str) -> str:
    """``value`` as the graph writes it, when it is a known code of ``kind``.

    Raises:
        UnknownCodeError: the graph knows no such code; the message names the
            closest known ones.
    """
    known = known_codes(store, kind)
    typed = value.strip()
    for code in known:
        if code == typed or (kind in _ANY_CASE and code.casefold() == typed.casefold()):
            return code
    raise UnknownCodeError(f"unknown {kind} {value!r}: {_suggestion(typed, known)}")


def check_codes(store: Store, values: Mapping[str, str | None]) -> None:
    """Check each value whose name is a kind of :data:`KINDS` (``theme``, ``state``...);
    other names and empty values are left alone.

    Raises:
        UnknownCodeError: one of them is not a known code.
    """
    for name, value in values.items():
        if name in KINDS and value:
            check_known(store, name, value)


def check_parameters(given: Iterable[str], accepted: Iterable[str]) -> None:
    """Refuse a parameter name that is not ``accepted``.

    Raises:
        BadParameterError: the first unknown name, with the closest accepted one and
            the list of them.
    """
    names = sorted(set(accepted))
    for name in given:
        if name not in names:
            near = closest(name, names, count=1)
            hint = f"did you mean {near[0]}? " if near and _score(name, near[0]) >= 0.6 else ""
            listed = ", ".join(names) or "none"
            raise BadParameterError(
                f"unknown parameter {name!r}: {hint}(this takes: {listed})"
            )


def refuse_unknown_parameters(request: Request) -> None:
    """A route dependency: refuse query parameters the route does not declare.

    Raises:
        BadParameterError: a parameter the route would ignore.
    """
    dependant = getattr(request.scope.get("route"), "dependant", None)
    if dependant is None:
        return
    accepted = [field.alias or field.name for field in dependant.query_params]
    check_parameters(request.query_params.keys(), accepted)
