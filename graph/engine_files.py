"""The embedded store's files and faults: what RocksDB's errors mean, the read-only
open beside a writer, and the small files a store directory keeps beside the engine's
(:data:`STALE_MARKER`, :data:`SUMMARY_TOKEN`; see :mod:`mandategraph.graph.store`)."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pyoxigraph as ox

from mandategraph.errors import StoreError

#: The messages of the storage engine: RocksDB's status names, then words of Oxigraph's
#: own storage errors. pyoxigraph raises them as RuntimeError (corruption, other) or
#: OSError (I/O), the same classes it uses for a failing SERVICE call or a query error.
_ENGINE_FAULT = re.compile(
    r"^(?:Corruption|IO error|Invalid argument|Resource busy|Not implemented|"
    r"Result incomplete|Shutdown in progress|Operation (?:timed out|aborted|expired|failed)|"
    r"Compaction too large|Column family)\b|corrupt|rocksdb",
    re.IGNORECASE,
)
_LOCKED = re.compile(r"\block\b", re.IGNORECASE)  # "lock file", "LOCK:", not "block"

#: The file that marks ``graph/inferred`` as stale (see the module docstring).
STALE_MARKER = "inferred.stale"

#: The file that holds the token of the stored summaries (see :meth:`Store.summary_token`).
SUMMARY_TOKEN = "summaries.token"


def is_engine_fault(exc: BaseException) -> bool:
    """Whether ``exc`` is the storage engine failing (I/O, corruption, lock), not a query.

    Args:
        exc: an exception raised by pyoxigraph (or anything else: then ``False``).
    """
    if not isinstance(exc, (OSError, RuntimeError)):
        return False
    return bool(_ENGINE_FAULT.search(str(exc).strip()))


def store_fault(exc: BaseException, location: str | Path, *, doing: str = "use") -> StoreError:
    """A one-line :class:`StoreError` for a fault of the engine at ``location``.

    Args:
        exc: what pyoxigraph raised.
        location: the store's directory, named in the message.
        doing: the verb of ``cannot <doing> the store at ...`` for a plain fault.
    """
    text = " ".join(str(exc).split()) or type(exc).__name__
    if _LOCKED.search(text):
        return StoreError(
            f"the store at {location} is in use by another process "
            "(stop it, or open the store read-only)"
        )
    if "corrupt" in text.lower():
        return StoreError(
            f"the store at {location} is damaged ({text}): restore a copy, or move it "
            "aside and run 'mandategraph build'"
        )
    return StoreError(f"cannot {doing} the store at {location}: {text}")


def open_read_only(path: str | Path, *, attempts: int = 6) -> ox.Store:
    """Open a read-only view of an on-disk store, retrying while a writer moves files.

    A read-only open lists the writer's files and then opens them; a compaction in
    between removes one and the open fails ("Corruption: ... No such file"). Trying
    again, after a short and growing pause, sees the new file list.

    Raises:
        OSError, RuntimeError: what pyoxigraph raised on the last attempt.
    """
    delay = 0.02
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError):
            if attempt == attempts - 1:
                raise
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


def write_stale_marker(directory: str | Path) -> None:
    """Write :data:`STALE_MARKER` into a store directory (synced; kept if present).

    Raises:
        StoreError: the marker cannot be written.
    """
    marker = Path(directory) / STALE_MARKER
    if not marker.exists():
        write_synced(marker, "graph/inferred predates a write; a reasoning pass clears this\n")


def write_synced(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` and sync it to disk, so that it outlives a kill.

    Raises:
        StoreError: the file cannot be written.
    """
    try:
        with path.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from exc
