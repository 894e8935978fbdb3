"""Session-wide fixtures: the graph built once from the bundled corpus, the CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mandategraph.api.settings import PROJECT_ROOT
from mandategraph.graph.store import Store

#: the store backends (embedded, Oxigraph server, Virtuoso): ``backend``, ``open_backend``
pytest_plugins = ["tests.remote_fixtures"]

CORPUS = PROJECT_ROOT / "corpus"
SHARED = PROJECT_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def built_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, object]]:
    """An on-disk store built from corpus/ with shapes and reasoning, then closed."""
    from mandategraph.graph.build import build

    location = tmp_path_factory.mktemp("built") / "store"
    with Store.open(location) as store:
        report = build(store, corpus=CORPUS)
    assert not report.failures, report.failures
    yield location, report


@pytest.fixture(scope="session")
def built_store(built_path: tuple[Path, object]) -> Iterator[Store]:
    """A read-only view of the built store, shared by the whole session."""
    store = Store.open(built_path[0], read_only=True)
    yield store
    store.close()


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def dev_corpus_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An on-disk store built from ../shared/dev-corpus (the resolution and the two
    2013 reports), without reasoning, then closed."""
    from mandategraph.graph.build import build
    from tests.support import unavailable

    folder = SHARED / "dev-corpus"
    if not folder.is_dir():
        unavailable("../shared/dev-corpus is not here")
    corpus = tmp_path_factory.mktemp("dev-corpus")
    for path in folder.glob("*.txt"):
        (corpus / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    location = tmp_path_factory.mktemp("dev") / "store"
    with Store.open(location) as store:
        report = build(store, corpus=corpus, reason=False)
    assert not report.failures, report.failures
    yield location


@pytest.fixture(scope="session")
def dev_corpus_store(dev_corpus_path: Path) -> Iterator[Store]:
    """A read-only view of the dev-corpus store."""
    store = Store.open(dev_corpus_path, read_only=True)
    yield store
    store.close()
