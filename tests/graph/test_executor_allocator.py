"""The query workers' memory allocator: ``auto`` preloads jemalloc or mimalloc into the
worker processes (never into the application), ``system`` keeps malloc.

Each case runs in a fresh Python process, since a process has one forkserver and it
keeps the allocator it was started with."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mandategraph.errors import BadParameterError
from mandategraph.graph.sparql.workers import resolve_allocator
from tests.support import unavailable

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    import pyoxigraph as ox
    from mandategraph.graph.sparql.executor import Executor

    def descendants(pid):
        found = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found += [int(child), *descendants(int(child))]
        return found

    def libraries(pid):
        maps = Path(f"/proc/{pid}/maps").read_text()
        return sorted({line.split()[-1] for line in maps.splitlines()
                       if "alloc" in line.split()[-1]})

    if __name__ == "__main__":
        location, choice = sys.argv[1], sys.argv[2]
        store = ox.Store(location)
        store.add(ox.Quad(ox.NamedNode("http://example.org/a"),
                          ox.NamedNode("http://example.org/p"), ox.Literal("x"),
                          ox.NamedNode("http://example.org/g")))
        store.flush()
        del store
        executor = Executor(location, workers=1, allocator=choice)
        executor.start()
        try:
            body = executor.query("SELECT ?o WHERE { ?s ?p ?o }", result_format="json").body
            children = {pid: libraries(pid) for pid in descendants(os.getpid())}
        finally:
            executor.close()
        print(json.dumps({
            "allocator": executor.allocator,
            "body": json.loads(body),
            "parent": libraries(os.getpid()),
            "children": children,
            "ld_preload": os.environ.get("LD_PRELOAD"),
        }))
    """
)


def run_script(tmp_path: Path, choice: str) -> dict[str, object]:
    script = tmp_path / "probe.py"
    script.write_text(SCRIPT)
    environment = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    environment["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "store"), choice],
        capture_output=True, text=True, timeout=120, env=environment, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def library() -> str:
    found = resolve_allocator("auto")
    if found is None:
        unavailable("neither libjemalloc2 nor libmimalloc2.0 is installed")
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_auto_preloads_the_allocator_into_the_workers_only(tmp_path: Path, library: str) -> None:
    seen = run_script(tmp_path, "auto")
    assert seen["allocator"] == library
    bindings = seen["body"]["results"]["bindings"]  # type: ignore[index]
    assert bindings == [{"o": {"type": "literal", "value": "x"}}]
    children = seen["children"]
    assert children, "no worker process was found"
    # the forkserver and the worker forked from it both run with the library mapped
    assert all(library in libs for libs in children.values()), children  # type: ignore[union-attr]
    assert library not in seen["parent"]  # type: ignore[operator]
    assert seen["ld_preload"] is None  # the application's environment is left as it was


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_system_keeps_malloc(tmp_path: Path, library: str) -> None:
    seen = run_script(tmp_path, "system")
    assert seen["allocator"] is None
    assert seen["children"]
    assert not any(library in libs for libs in seen["children"].values())  # type: ignore[union-attr]


def test_a_library_path_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadParameterError, match="not a file"):
        resolve_allocator(str(tmp_path / "libnothing.so"))


def test_a_library_path_is_taken_as_given(tmp_path: Path) -> None:
    library = tmp_path / "libcustom.so"
    library.write_bytes(b"")
    assert resolve_allocator(str(library)) == str(library)
    assert resolve_allocator("system") is None
