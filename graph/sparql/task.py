"""The messages between the executor and whoever runs a task: a :class:`Task` asks,
a :class:`QueryResult` answers. Both are picklable: they cross the pipe to a worker
process.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final, Literal

from mandategraph.graph.sparql.results import Table

#: The pseudo-format asking for a :class:`~mandategraph.graph.sparql.results.Table`
#: instead of bytes.
TABLE = "table"


class _Default(enum.Enum):
    DEFAULT = "default"


#: "The executor's own value", for the ``max_rows`` and ``timeout`` options of the
#: executor's methods (``None`` would be ambiguous: for ``max_rows`` it means no cap).
DEFAULT: Final = _Default.DEFAULT
#: The type of :data:`DEFAULT`, for annotations: ``max_rows: int | None | Default``.
Default = Literal[_Default.DEFAULT]


@dataclass
class QueryResult:
    """What a query returned, serialized.

    Attributes:
        body: the serialized results (empty when ``table`` is set).
        media_type: the media type of ``body``.
        form: ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE).
        truncated: the result had more than ``max_rows`` rows or triples and was cut.
        rows: solutions or triples written (``None`` for ASK).
        table: the result as plain strings, when the ``table`` format was asked.
        cached: the answer came from the result cache.
        cpu_seconds: CPU time the query thread spent on it (what a cache hit saves).
    """

    body: bytes
    media_type: str
    form: str
    truncated: bool = False
    rows: int | None = None
    table: Table | None = None
    cached: bool = False
    cpu_seconds: float = 0.0



@dataclass(frozen=True)
class Task:
    """One unit of work sent to a worker (picklable)."""

    kind: str  # "query" or "update"
    text: str
    base_iri: str | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    result_format: str | None = "json"
    graph_format: str | None = "ttl"
    max_rows: int | None = None
    generation: int = 0
    using: tuple[str, ...] = ()
    using_named: tuple[str, ...] = ()
    max_bytes: int | None = None

