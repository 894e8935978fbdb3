"""Real SPARQL servers for the tests, started on loopback ports and stopped after.

* :func:`oxigraph_server`: ``oxigraph serve`` of the ``oxigraph`` package (a test extra),
  on a fresh folder;
* :func:`virtuoso_server`: Debian's ``virtuoso-t``, with a copy of the packaged
  ``virtuoso.ini`` whose database files, ports and ``DirsAllowed`` point at a fresh
  folder; the DBA password is set with ``isql-vt`` before the URL is handed out.

Both yield the store URL mandategraph takes (Virtuoso's with ``dba:<password>@``).
``.ci/run`` installs both (``scripts/install-system-deps.sh``, the test extra).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

#: Where Debian puts Virtuoso's configuration (the first one found is copied).
VIRTUOSO_INIS = (
    Path("/etc/virtuoso-opensource-7/virtuoso.ini"),
    Path("/usr/share/virtuoso-opensource-7/virtuoso.ini"),
)


def free_port() -> int:
    """A TCP port nobody listens on at the moment, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` command of this environment (the PyPI package), if installed."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    return shutil.which("oxigraph")


def virtuoso_binaries() -> tuple[str, str, Path] | None:
    """``virtuoso-t``, ``isql-vt`` and the packaged ini, if Virtuoso is installed."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    ini = next((p for p in VIRTUOSO_INIS if p.is_file()), None)
    if server and isql and ini:
        return server, isql, ini
    return None


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped at start:\n{log.read_text(errors='replace')}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.2)
    raise RuntimeError(f"no answer from {url} after {seconds:g} s:\n"
                       f"{log.read_text(errors='replace')[-2000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextlib.contextmanager
def oxigraph_server(folder: Path, *, timeout_s: int | None = None) -> Iterator[str]:
    """Run ``oxigraph serve`` on a free loopback port over ``folder``; yields its URL."""
    binary = oxigraph_binary()
    if binary is None:
        raise FileNotFoundError("oxigraph (pip install oxigraph)")
    port = free_port()
    log = folder / "oxigraph.log"
    command = [binary, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"]
    if timeout_s is not None:
        command += ["--timeout-s", str(timeout_s)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{url}/query?query=ASK%7B%7D", process, log, seconds=30)
        yield url
    finally:
        _stop(process)


def virtuoso_ini(template: str, folder: Path, *, sql_port: int, http_port: int,
                 settings: dict[str, dict[str, str]] | None = None) -> str:
    """The packaged ini with its files in ``folder``, bound to loopback ports
    (``settings``: more keys by section, over the ones set here).

    Only the lines named here change; Virtuoso's ini repeats some keys, which a
    line-by-line rewrite keeps as they are.
    """
    d = str(folder)
    changes = {
        "Database": {"DatabaseFile": f"{d}/virtuoso.db", "ErrorLogFile": f"{d}/virtuoso.log",
                     "LockFile": f"{d}/virtuoso.lck", "TransactionFile": f"{d}/virtuoso.trx",
                     "xa_persistent_file": f"{d}/virtuoso.pxa"},
        "TempDatabase": {"DatabaseFile": f"{d}/virtuoso-temp.db",
                         "TransactionFile": f"{d}/virtuoso-temp.trx"},
        "Parameters": {"ServerPort": f"127.0.0.1:{sql_port}",
                       "DirsAllowed": f"., {d}, /usr/share/virtuoso-opensource-7/vad",
                       "NumberOfBuffers": "20000", "MaxDirtyBuffers": "15000",
                       "MaxQueryMem": "512M",
                       # an ORDER BY with a LIMIT over 10,000 (the row cap's max_rows + 1)
                       # is refused by default
                       "MaxSortedTopRows": "1000000"},
        "HTTPServer": {"ServerPort": f"127.0.0.1:{http_port}"},
        # the packaged 10,000 would cut results silently
        "SPARQL": {"ResultSetMaxRows": "10000000", "MaxQueryExecutionTime": "120",
                   # no refusal from a cost estimate: the timeout of each request decides
                   "MaxQueryCostEstimationTime": "0"},
    }
    for name, keys in (settings or {}).items():
        changes.setdefault(name, {}).update(keys)
    section = ""
    lines: list[str] = []
    missing = {name: dict(keys) for name, keys in changes.items()}

    def close_section() -> None:
        # keys the template does not have go at the end of their section
        lines.extend(f"{k} = {v}" for k, v in missing.pop(section, {}).items())

    for line in template.splitlines():
        header = re.match(r"\s*\[(.+?)\]", line)
        if header:
            close_section()
            section = header.group(1)
        else:
            key = re.match(r"\s*([A-Za-z_0-9]+)\s*=", line)
            if key and key.group(1) in changes.get(section, {}):
                line = f"{key.group(1)} = {changes[section][key.group(1)]}"
                missing.get(section, {}).pop(key.group(1), None)
        lines.append(line)
    close_section()
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def virtuoso_server(
    folder: Path, *, settings: dict[str, dict[str, str]] | None = None
) -> Iterator[str]:
    """Run Virtuoso on free loopback ports with its database in ``folder``
    (``settings``: ini keys by section, e.g. bigger buffers for a benchmark).

    Yields ``http://dba:<password>@127.0.0.1:<port>/`` once the new password is set.
    """
    found = virtuoso_binaries()
    if found is None:
        raise FileNotFoundError("virtuoso-t (Debian: virtuoso-opensource)")
    server, isql, template = found
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(template.read_text(), folder, sql_port=sql_port,
                                http_port=http_port, settings=settings))
    log = folder / "virtuoso.out"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [server, "+configfile", str(ini), "+foreground"], cwd=folder,
            stdout=out, stderr=subprocess.STDOUT,
        )
    origin = f"http://127.0.0.1:{http_port}"
    try:
        _wait(f"{origin}/sparql?query=ASK%7B%7D", process, log, seconds=120)
        # a letter first: isql reads a password starting with a digit as a number
        password = "mg" + secrets.token_hex(8)
        done = subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec=set password dba {password};"],
            check=True, capture_output=True, timeout=60, text=True,
            env={**os.environ, "HOME": str(folder)},
        )
        if "error" in (done.stdout + done.stderr).lower():
            raise RuntimeError(f"isql-vt could not set the password: {done.stdout}{done.stderr}")
        yield f"http://dba:{password}@127.0.0.1:{http_port}/"
    finally:
        _stop(process)
