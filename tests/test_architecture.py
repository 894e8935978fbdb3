"""The shape of the code: layers import only downwards, no module imports itself back
through others, only api/ knows HTTP (beside the SPARQL client of the remote store), and
no module grows past 600 lines.

The layers (``mandategraph.<layer>``, each a folder at the top of the repository):

    errors  <-  ontology  <-  graph  <-  queries, visualizations  <-  api  <-  mandategraph

Every import counts, at the top of a module or inside a function: a function-local
import that closes a cycle is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent

#: folder -> the module name it installs as
FOLDERS = {
    "mandategraph": "mandategraph",
    "ontology": "mandategraph.ontology",
    "graph": "mandategraph.graph",
    "queries": "mandategraph.queries",
    "visualizations": "mandategraph.visualizations",
    "api": "mandategraph.api",
}

#: layer -> rank: a module may import its own layer and lower ranks only
RANKS = {
    "mandategraph.errors": 0,
    "mandategraph.ontology": 1,
    "mandategraph.graph": 2,
    "mandategraph.queries": 3,
    "mandategraph.visualizations": 3,
    "mandategraph.api": 4,
    "mandategraph": 5,  # the notebook API in mandategraph/__init__.py
}

HTTP_PACKAGES = ("fastapi", "starlette", "uvicorn", "httpx")
#: the HTTP *client* of a store on a SPARQL server (issue 16): it serves no request, it
#: reaches the server that holds the data, as rdflib's SPARQLStore does among its stores
HTTP_CLIENTS = {"mandategraph.graph.sparql_client": {"httpx"}}
LONGEST = 600
LONG_ALLOWED = {"ontology/registry.py"}


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder, package in FOLDERS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT / folder).with_suffix("")
            parts = [p for p in relative.parts if p != "__init__"]
            found[".".join([package, *parts])] = path
    return found


MODULES = _modules()


def _layer(module: str) -> str:
    if module == "mandategraph":
        return "mandategraph"
    if module.startswith("mandategraph.errors"):
        return "mandategraph.errors"
    return ".".join(module.split(".")[:2])


def _imports(module: str, path: Path) -> set[str]:
    """The project modules ``module`` imports, anywhere in its file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            for alias in node.names:  # a submodule imported by name, else a name of base
                submodule = f"{base}.{alias.name}"
                names.add(submodule if submodule in MODULES else base)
    project = set()
    for name in names:
        # the longest known module the name starts with (a name imported from a module)
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name and name != module:
            project.add(name)
    return project


def _graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for module, path in MODULES.items():
        graph.add_node(module)
        for target in _imports(module, path):
            graph.add_edge(module, target)
    return graph


def test_the_layers_are_found() -> None:
    layers = {_layer(m) for m in MODULES}
    assert layers == set(RANKS), layers
    assert "mandategraph.graph.store" in MODULES


def test_no_upward_arrow() -> None:
    upward = []
    for source, target in _graph().edges:
        a, b = _layer(source), _layer(target)
        if a == b or (a == "mandategraph" and b != a):
            continue
        if RANKS[b] > RANKS[a] or (RANKS[a] == RANKS[b] and a != b):
            upward.append(f"{source} -> {target}")
    assert upward == [], "imports that point up (or sideways between siblings):\n" + "\n".join(
        upward
    )


def test_no_import_cycle() -> None:
    graph = _graph()
    graph.remove_node("mandategraph")  # the package __init__ is imported first by everything
    cycles = [" -> ".join([*c, c[0]]) for c in nx.simple_cycles(graph)]
    assert cycles == [], "import cycles:\n" + "\n".join(cycles[:20])


@pytest.mark.parametrize("folder", ["ontology", "graph", "queries", "visualizations"])
def test_only_api_knows_http(folder: str) -> None:
    offenders = []
    for module, path in MODULES.items():
        if _layer(module) != FOLDERS[folder]:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names] if isinstance(node, ast.Import)
                else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            )
            offenders += [
                f"{module}: {n}" for n in names
                if n.split(".")[0] in HTTP_PACKAGES
                and n.split(".")[0] not in HTTP_CLIENTS.get(module, set())
            ]
    assert offenders == []


def test_no_module_over_600_lines() -> None:
    long = []
    for path in MODULES.values():
        relative = str(path.relative_to(ROOT))
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > LONGEST and relative not in LONG_ALLOWED:
            long.append(f"{relative}: {lines}")
    assert long == [], "modules over 600 lines:\n" + "\n".join(long)


def test_every_layer_says_what_it_owns_and_may_import() -> None:
    for folder in FOLDERS:
        docstring = ast.get_docstring(ast.parse((ROOT / folder / "__init__.py").read_text()))
        assert docstring and "import" in docstring, f"{folder}/__init__.py"


def test_a_cycle_and_an_upward_arrow_are_seen(tmp_path: Path) -> None:
    """The checks above can fail: a planted cycle and upward import are found."""
    graph = nx.DiGraph([("mandategraph.graph.a", "mandategraph.graph.b"),
                        ("mandategraph.graph.b", "mandategraph.graph.a")])
    assert list(nx.simple_cycles(graph))
    planted = tmp_path / "x.py"
    planted.write_text("def f():\n    from mandategraph.api.app import create_app\n")
    MODULES["mandategraph.graph.x"] = planted
    try:
        assert "mandategraph.api.app" in _imports("mandategraph.graph.x", planted)
    finally:
        del MODULES["mandategraph.graph.x"]
