"""Helpers of the server tests: build a small store, run a real uvicorn on loopback.

Shared by ``test_sparql_clients.py``, ``test_sparql_safety.py`` and
``test_w3c_protocol.py`` (pytest puts this folder on ``sys.path``).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nobody listens on at the moment, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_store(location: Path, graphs: Iterable[tuple[str, bytes | str, ox.RdfFormat]]) -> Path:
    """Write ``(graph IRI, data, format)`` items into a new on-disk store, then close it."""
    store = ox.Store(str(location))
    for graph, data, rdf_format in graphs:
        store.load(data, format=rdf_format, to_graph=ox.NamedNode(graph))
    store.flush()
    del store
    return location


@contextlib.contextmanager
def running_server(
    store: Path, *, log: Path, env: dict[str, str] | None = None, startup: float = 180.0
) -> Iterator[str]:
    """Run ``uvicorn mandategraph.api.app:create_app --factory`` on a free port.

    Yields its base URL.

    The server gets a clean ``MANDATEGRAPH_*`` environment (plus ``env``) and runs from
    the log's folder, so no ``.env`` file of the working tree leaks in.
    """
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MANDATEGRAPH_")}
    environment.update(
        {
            "MANDATEGRAPH_STORE": str(store),
            "PYTHONPATH": str(PROJECT_ROOT),
            "NO_PROXY": "*",
        }
    )
    environment.update(env or {})
    command = [
        sys.executable, "-m", "uvicorn", "mandategraph.api.app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
    ]
    with open(log, "wb") as output:
        process = subprocess.Popen(
            command, cwd=log.parent, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{log.read_text()}")
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
