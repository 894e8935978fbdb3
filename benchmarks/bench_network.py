"""How heavy is the partnership page on a big graph?

Two graphs in one run: the one built from ``corpus/`` (small) and a synthetic one with
2,000 actors and 20,000 activities (the shape the extraction produces: an OAS body
conducts each activity with 0-3 partners and funders, a theme, one or two years, 1-3
beneficiary states, a label stated from a quoted sentence). For each:

- the time to build the network page (SPARQL to networkx, analytics, HTML), as the
  server does for ``GET /graph`` on a first visit, median of a few runs;
- the time of a second visit, the network and its analytics kept by the query
  executor for the store's generation (only the HTML is written again);
- the page's size in bytes, and how many actors it draws (the 300 most connected by
  default) of how many;
- the time until vis-network's layout settles in headless Chromium (Debian's), from
  navigation start, the page and its script served from memory (no network).

The big graph is measured twice: the default page and the page drawing every actor
(``?top=0``). Both stores are on disk, as a server's are.

Ratios are against the small graph measured in the same run::

    python -m benchmarks.bench_network            # appends a section to RESULTS.md
    python -m benchmarks.bench_network --actors 200 --activities 2000 --no-record
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mandategraph.graph.store import Store
from mandategraph.ontology.namespaces import GRAPH, MG, activity_iri, org_iri, state_iri, theme_iri

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
CHROMIUM = Path("/usr/bin/chromium")
VIS_JS = ROOT / "api" / "static" / "vendor" / "vis-network" / "vis-network.min.js"
THEMES = ("border-control", "cybersecurity", "drug-trafficking", "firearms-trafficking",
          "trafficking-in-persons", "crime-monitoring", "violence-prevention",
          "counter-terrorism-legislation", "major-events-security")
STATES = ("ATG", "BHS", "BRB", "BLZ", "DMA", "GRD", "GUY", "HTI", "JAM", "KNA", "LCA", "VCT",
          "SUR", "TTO", "CAN", "USA", "MEX", "GTM", "HND", "SLV", "NIC", "CRI", "PAN", "COL",
          "VEN", "ECU", "PER", "BOL", "BRA", "PRY", "URY", "ARG", "CHL", "CUB", "DOM")
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass
class Figures:
    """What one graph measured."""

    name: str
    actors: int
    activities: int
    drawn: int
    edges: int
    build_s: float
    cached_s: float
    page_bytes: int
    settle_s: float | None


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def synthetic(path: Path, *, actors: int, activities: int, seed: int = 15) -> None:
    """Write a synthetic graph as N-Triples: ``actors`` actors (1 % OAS bodies, the
    35 states as governments, the rest partners) and ``activities`` activities."""
    rng = random.Random(seed)
    bodies = [f"BODY{i}" for i in range(max(actors // 100, 2))]
    governments = list(STATES[: min(35, actors // 10)])
    partners = [f"P{i:05d}" for i in range(actors - len(bodies) - len(governments))]
    # a few partners work with many, most with few (Zipf-like weights)
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(partners))]
    lines: list[str] = []

    def triple(s: str, p: str, o: str) -> None:
        lines.append(f"<{s}> <{p}> {o} .\n")

    for code in bodies:
        triple(str(org_iri(code)), RDF + "type", f"<{MG.OASBody}>")
        triple(str(org_iri(code)), SKOS + "notation", _lit(code))
    for code in partners:
        triple(str(org_iri(code)), RDF + "type", f"<{MG.PartnerOrganization}>")
        triple(str(org_iri(code)), SKOS + "notation", _lit(code))
    for code in STATES:
        triple(str(state_iri(code)), RDF + "type", f"<{MG.State}>")
        triple(str(state_iri(code)), SKOS + "notation", _lit(code))
    for key in THEMES:
        triple(str(theme_iri(key)), RDF + "type", f"<{MG.Theme}>")
        triple(str(theme_iri(key)), SKOS + "notation", _lit(key))
    for index in range(activities):
        node = str(activity_iri("synthetic", str(index)))
        span = f"{node}/span"
        statement = f"{node}/label"
        label = f"activity {index} of {rng.choice(THEMES)}"
        triple(node, RDF + "type", f"<{MG.Activity}>")
        triple(node, RDFS + "label", _lit(label))
        triple(node, str(MG.theme), f"<{theme_iri(rng.choice(THEMES))}>")
        triple(node, str(MG.conductedBy), f"<{org_iri(rng.choice(bodies))}>")
        for code in set(rng.choices(partners, weights, k=rng.randint(0, 3))):
            triple(node, str(MG.inPartnershipWith), f"<{org_iri(code)}>")
        if governments and rng.random() < 0.2:
            triple(node, str(MG.fundedBy), f"<{state_iri(rng.choice(governments))}>")
        for year in {rng.randint(2005, 2024) for _ in range(rng.randint(1, 2))}:
            triple(node, str(MG.year), f'"{year}"^^<{XSD}integer>')
        for code in rng.sample(STATES, rng.randint(1, 3)):
            triple(node, str(MG.beneficiary), f"<{state_iri(code)}>")
        quote = (f"In {rng.randint(2005, 2024)} the Secretariat, with its partners, held "
                 f"{label}, reaching {rng.randint(10, 200)} officials of the region.")
        triple(node, PROV + "wasDerivedFrom", f"<{span}>")
        triple(span, str(MG.quote), _lit(quote))
        triple(statement, RDF + "subject", f"<{node}>")
        triple(statement, RDF + "predicate", f"<{RDFS}label>")
        triple(statement, PROV + "wasDerivedFrom", f"<{span}>")
    path.write_text("".join(lines), encoding="utf-8")


def median(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def page_of(store: Store, query: str = "", *,
            cache: bool = True) -> Callable[[], bytes]:
    """GET /graph on an app over ``store``, in process; with ``cache``, the app has a
    query executor (not started: no workers are needed) that keeps what it derives."""
    from fastapi.testclient import TestClient

    from mandategraph.api.app import create_app
    from mandategraph.api.settings import Settings
    from mandategraph.graph.sparql.executor import Executor

    app = create_app(Settings(store=store.location), store=store)
    app.state.store = store  # no lifespan: the page reads the store itself
    app.state.executor = Executor.for_store(store, cache_size=256) if cache else None
    client = TestClient(app)

    def get() -> bytes:
        response = client.get(f"/graph{query}")
        response.raise_for_status()
        return response.content

    return get


def settle_seconds(page: bytes, *, timeout: float) -> float | None:
    """Seconds from navigation start until the layout settles, in headless Chromium."""
    if not CHROMIUM.exists() or not VIS_JS.exists():
        return None
    from playwright.sync_api import sync_playwright

    base = "http://bench.invalid"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page(viewport={"width": 1400, "height": 900})

        def serve(route: object) -> None:
            url = route.request.url  # type: ignore[attr-defined]
            if url.endswith("vis-network.min.js"):
                route.fulfill(body=VIS_JS.read_bytes(),  # type: ignore[attr-defined]
                              content_type="text/javascript")
            elif url == f"{base}/graph":
                route.fulfill(body=page, content_type="text/html")  # type: ignore[attr-defined]
            else:
                route.fulfill(status=404, body=b"")  # type: ignore[attr-defined]

        tab.route("**/*", serve)
        # a big page runs its script for a long while before "load": wait for the layout
        tab.goto(f"{base}/graph", wait_until="commit", timeout=timeout * 1000)
        tab.wait_for_function("() => typeof window.mandategraphSettled === 'number'",
                              timeout=timeout * 1000)
        settled = tab.evaluate("() => window.mandategraphSettled") / 1000
        browser.close()
    return float(settled)


def measure(name: str, store: Store, *, repeat: int, timeout: float,
            query: str = "") -> Figures:
    from mandategraph.visualizations.graphs import partnership_graph

    graph = partnership_graph(store)
    cold = page_of(store, query, cache=False)
    body = cold()  # warm-up (imports, templates)
    build = median(cold, repeat)
    kept = page_of(store, query)
    kept()  # the first visit draws and keeps the network
    cached = median(kept, repeat)
    drawn = len(_nodes(body))
    counted = store.query("SELECT (COUNT(?a) AS ?n) WHERE { ?a a mg:Activity }")
    activities = int(next(iter(counted))["n"].value)  # type: ignore[arg-type]
    return Figures(name=name, actors=graph.number_of_nodes(), activities=activities,
                   drawn=drawn, edges=graph.number_of_edges(), build_s=build,
                   cached_s=cached, page_bytes=len(body),
                   settle_s=settle_seconds(body, timeout=timeout))


def _nodes(page: bytes) -> list[object]:
    import json

    data = page.split(b'id="network-data">', 1)[1].split(b"</script>", 1)[0]
    return list(json.loads(data)["nodes"])


def table(rows: list[Figures]) -> str:
    small = rows[0]

    def times(value: float, base: float) -> str:
        return "" if base <= 0 else f" ({value / base:.0f}×)"

    lines = ["| graph | actors drawn / all | activities | links | build the page "
             "| again (kept) | page size | layout settles in Chromium |",
             "|---|--:|--:|--:|--:|--:|--:|--:|"]
    for row in rows:
        first = row is small
        settle = "n/a" if row.settle_s is None else f"{row.settle_s:.2f} s"
        if not first and row.settle_s and small.settle_s:
            settle += times(row.settle_s, small.settle_s)
        build = "" if first else times(row.build_s, small.build_s)
        size = "" if first else times(row.page_bytes, small.page_bytes)
        lines.append(
            f"| {row.name} | {row.drawn:,} / {row.actors:,} | {row.activities:,} "
            f"| {row.edges:,} | {row.build_s:.2f} s{build} | {row.cached_s:.3f} s "
            f"| {row.page_bytes:,} B{size} | {settle} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=2000)
    parser.add_argument("--activities", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds to wait for the layout to settle")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--no-all", action="store_true",
                        help="skip the page drawing every actor of the big graph")
    args = parser.parse_args(argv)

    from mandategraph.graph.build import build

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        with Store.open(Path(folder) / "small") as small:
            build(small, corpus=ROOT / "corpus", validate=False, reason=False)
            rows.append(measure("corpus/ (small)", small, repeat=args.repeat,
                                timeout=args.timeout))
        with Store.open(Path(folder) / "big") as big:
            data = Path(folder) / "network.nt"
            synthetic(data, actors=args.actors, activities=args.activities)
            big.load_file(data, graph=GRAPH["document/synthetic"])
            name = f"synthetic {args.actors:,} actors / {args.activities:,} activities"
            rows.append(measure(name, big, repeat=args.repeat, timeout=args.timeout))
            if not args.no_all:
                rows.append(measure(name + ", every actor drawn (`?top=0`)", big,
                                    repeat=args.repeat, timeout=args.timeout,
                                    query="?top=0"))
    text = table(rows)
    print(text)
    if not args.no_record:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(f"\n## Network page, {stamp}\n\n`python -m benchmarks.bench_network "
                      f"--actors {args.actors} --activities {args.activities}` "
                      f"(median of {args.repeat} page builds, first visits and visits "
                      f"with the network kept; settle time once)\n\n"
                      f"{text}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
