"""The package as others get it: one ``mandategraph`` namespace in the wheel, and the
small notebook API of ``mandategraph/__init__.py`` on the built corpus."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import mandategraph as mg
from mandategraph.errors import BadParameterError, QueryNotFoundError

ROOT = Path(__file__).resolve().parent.parent


def test_canned_gives_one_plain_dict_per_row(built_path: tuple[Path, object]) -> None:
    store = mg.open_store(built_path[0])
    try:
        rows = mg.canned("partnerships", store=store)
        assert rows and set(rows[0]) == {"actor_a", "actor_b", "activities"}
        # numbers come typed, codes as text: ready for pandas.DataFrame(rows)
        assert all(isinstance(r["activities"], int) and r["activities"] >= 1 for r in rows)
        assert all(isinstance(r["actor_a"], str) for r in rows)
        jamaica = mg.canned("activities", store=store, state="JAM")
        everything = mg.canned("activities", store=store)
        assert 0 < len(jamaica) < len(everything)
        assert mg.query("ASK { ?s a mg:Activity }", store=store) == [{"answer": True}]
        with pytest.raises(QueryNotFoundError):
            mg.canned("nosuch", store=store)
        with pytest.raises(BadParameterError):
            mg.query("CONSTRUCT WHERE { ?s ?p ?o }", store=store)
    finally:
        store.close()


def test_ingest_into_a_memory_store(tmp_path: Path) -> None:
    document = tmp_path / "note.txt"
    document.write_text(
        "Le Secrétariat a organisé un atelier sur la sécurité portuaire à Kingstown en 2010.\n",
        encoding="utf-8",
    )
    store = mg.open_store("memory")
    from mandategraph.graph.build import load_vocabulary

    load_vocabulary(store)
    results = mg.ingest(document, store=store)
    assert [r.slug for r in results] and results[0].triples > 0
    assert mg.query("ASK { GRAPH ?g { ?s ?p ?o } }", store=store) == [{"answer": True}]


@pytest.mark.slow
def test_the_wheel_installs_only_the_mandategraph_namespace(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        timeout=600,
    )
    wheel = next(tmp_path.glob("mandategraph-*.whl"))
    tops = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"mandategraph"}
    names = zipfile.ZipFile(wheel).namelist()
    assert "mandategraph/graph/store.py" in names
    assert "mandategraph/ontology/mandategraph.ttl" in names
    assert any(n.startswith("mandategraph/queries/") and n.endswith(".rq") for n in names)
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        check=True,
        timeout=600,
    )
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    probe = (
        "import mandategraph.graph.store as s, sys; print(s.__file__)\n"
        "try:\n    import api\nexcept ImportError:\n    print('no api')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(str(target)) and lines[1] == "no api"


def test_the_package_starts_without_the_extraction() -> None:
    # every command imports the package; spaCy and its French tokenizer rules (3.5 s)
    # wait until a document is read
    import subprocess
    import sys

    code = ("import sys, mandategraph as mg, mandategraph.api.cli; "
            "print('spacy' in sys.modules, mg.IngestResult.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "IngestResult"]
