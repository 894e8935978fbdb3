"""Regression: pyoxigraph's lazy query solutions must be dropped on the thread that made
them ("PyQuerySolutions is unsendable, but is being dropped on another thread" in the
server log, when an error raised while reading them reached the event loop)."""

from __future__ import annotations

import gc
import sys
import threading

import pytest

from mandategraph.api.resources import Reader
from mandategraph.graph.store import Store


def test_select_error_does_not_drop_query_solutions_on_another_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    unraisable: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda info: unraisable.append(str(info.exc_value)))
    reader = Reader(Store.open("memory"))
    caught: list[BaseException] = []

    def select() -> None:
        # a SERVICE fails while the solutions are read, not when the query is made
        try:
            reader.select("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
        except Exception as exc:  # noqa: BLE001 - carried to this thread, as to the event loop
            caught.append(exc)

    worker = threading.Thread(target=select)
    worker.start()
    worker.join()
    assert caught, "the SERVICE call should fail"
    caught.clear()  # the traceback, and whatever its frames hold, dropped on this thread
    gc.collect()
    assert not [m for m in unraisable if "unsendable" in m]
