"""Ingestion benchmark: generated reports into fresh embedded stores, documents per second
with one worker process, every core, and a two-worker Dask LocalCluster, in one run.

1. ``--count`` documents (10,000 by default) are generated once
   (:mod:`mandategraph.graph.synthetic_corpus`, ``--seed``), reports and resolutions in
   en/fr/es;
2. unless ``--no-profile``, the time one document costs at each stage is measured in
   this process on the first ``--profile`` (50) of them, one after the other: reading,
   extraction, the SHACL shapes (alone, and per chunk of 16 by pySHACL and by rudof),
   N-Triples out, the store write (one document, and in bulk per chunk of 16), and once
   for the batch the registry refresh and the search index;
3. each mode ingests every document into its own fresh embedded store on disk (the
   vocabulary loaded first, not timed), through
   :func:`mandategraph.graph.parallel_ingest.ingest_many`, the shapes checked as
   ``mandategraph ingest`` does (``--no-validate`` to leave them out); the time counts
   starting the workers and ends when the last document is committed; the registry
   refresh ``ingest`` runs after is timed apart;
4. the documents per second of each mode and their ratio to one worker, measured in the
   same run, are printed and (unless ``--no-record``) appended to
   ``benchmarks/RESULTS.md`` with the machine described.

The reasoner pass (HermiT over the whole store) that ``ingest`` runs at the end is not
in these figures: it is one pass per run over every stored triple, whatever the
number of workers (``--no-reason`` skips it).

Run from the repository root::

    python -m benchmarks.bench_ingest [--count 10000] [--modes one,all,dask]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"


def profile(files: list[Path], scratch: Path) -> list[tuple[str, float]]:
    """Milliseconds per document at each stage, one process, documents one by one."""
    from rdflib import Graph, Literal

    from mandategraph.graph.build import load_vocabulary
    from mandategraph.graph.extraction.readers import read_document
    from mandategraph.graph.ingest import (
        check_shapes,
        extract_document,
        extract_document_ntriples,
        known_paragraphs,
    )
    from mandategraph.graph.mandates import refresh_registry
    from mandategraph.graph.parallel_ingest import CONTENT_HASH, content_hash
    from mandategraph.graph.search import write_index
    from mandategraph.graph.store import Store, quads_of
    from mandategraph.ontology.loader import ontology_graph
    from mandategraph.ontology.namespaces import REFERENCE_GRAPH, document_graph
    from mandategraph.ontology.validation import conforms, validate

    location = scratch / "profile-store"
    store = Store.open(location)
    load_vocabulary(store)
    known = known_paragraphs(store)
    extract_document(read_document(files[0]))  # spaCy and the registry, loaded once
    spent = dict.fromkeys((
        "read", "extract", "extract straight to N-Triples (as ingest runs it)",
        "shapes, one document", "N-Triples out", "store write",
        "shapes, per chunk of 16 (pySHACL)", "shapes, per chunk of 16 (rudof, as ingest runs it)",
        "store write, bulk per chunk of 16 (as ingest runs it)"), 0.0)
    graphs: list[Graph] = []
    for path in files:
        t0 = time.perf_counter()
        digest = content_hash(path)
        document = read_document(path)
        t1 = time.perf_counter()
        data = extract_document(document, known=known)
        t2 = time.perf_counter()
        check_shapes(store, data)
        t3 = time.perf_counter()
        graph_iri = document_graph(document.slug)
        data.add((graph_iri, CONTENT_HASH, Literal(digest)))
        body = quads_of(graph_iri, data.serialize(format="nt", encoding="utf-8"))
        t4 = time.perf_counter()
        store.replace_graphs([(graph_iri, body)])
        t5 = time.perf_counter()
        extract_document_ntriples(document, known=known)
        spent["extract straight to N-Triples (as ingest runs it)"] += time.perf_counter() - t5
        graphs.append(data)
        spent["read"] += t1 - t0
        spent["extract"] += t2 - t1
        spent["shapes, one document"] += t3 - t2
        spent["N-Triples out"] += t4 - t3
        spent["store write"] += t5 - t4
    reference = Graph()
    for triple in store.triples(REFERENCE_GRAPH):
        reference.add(triple)
    reference_nt = reference.serialize(format="nt")
    bulk = Store.open(scratch / "profile-bulk")
    for start in range(0, len(graphs), 16):
        combined = Graph()
        for graph in [*graphs[start:start + 16], reference]:
            for triple in graph:
                combined.add(triple)
        t0 = time.perf_counter()
        validate(combined, ontology=ontology_graph())
        spent["shapes, per chunk of 16 (pySHACL)"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        texts = [g.serialize(format="nt", encoding="utf-8") for g in graphs[start:start + 16]]
        conforms(b"".join(texts).decode("utf-8"), context=reference_nt)
        spent["shapes, per chunk of 16 (rudof, as ingest runs it)"] += time.perf_counter() - t0
        writes = [(document_graph(f"profile-{start + i}"), quads_of(
            document_graph(f"profile-{start + i}"), text)) for i, text in enumerate(texts)]
        t0 = time.perf_counter()
        bulk.replace_graphs(writes, bulk=True)
        spent["store write, bulk per chunk of 16 (as ingest runs it)"] += (
            time.perf_counter() - t0)
    bulk.close()
    t0 = time.perf_counter()
    refresh_registry(store)
    once = {"registry refresh (once per run)": time.perf_counter() - t0}
    store.close()
    with Store.open(location, read_only=True) as reader:
        t0 = time.perf_counter()
        write_index(reader, str(location))
        once["search index (once per run)"] = time.perf_counter() - t0
    rows = [(name, 1000 * seconds / len(files)) for name, seconds in spent.items()]
    rows += [(name, 1000 * seconds / len(files)) for name, seconds in once.items()]
    return rows


def run_mode(mode: str, files: list[Path], scratch: Path, *, validate: bool) -> dict[str, Any]:
    """Ingest every file into a fresh embedded store in one mode; its figures."""
    from mandategraph.graph.build import load_vocabulary
    from mandategraph.graph.mandates import refresh_registry
    from mandategraph.graph.parallel_ingest import default_workers, ingest_many
    from mandategraph.graph.store import Store

    location = scratch / f"store-{mode}"
    store = Store.open(location)
    load_vocabulary(store)
    if mode == "dask":
        from distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster:
            report = ingest_many(store, files, scheduler=cluster.scheduler_address,
                                 validate=validate)
        label, workers = "Dask LocalCluster, 2 worker processes", 2
    else:
        workers = 1 if mode == "one" else default_workers()
        report = ingest_many(store, files, workers=workers, validate=validate)
        label = f"process pool, {workers} worker{'s' if workers > 1 else ''}"
    t0 = time.perf_counter()
    refresh_registry(store)
    registry = time.perf_counter() - t0
    triples = sum(g.triples for g in store.graphs())
    store.close()
    shutil.rmtree(location, ignore_errors=True)
    return {"mode": mode, "label": label, "stored": len(report.stored),
            "failed": len(report.failures), "seconds": report.seconds,
            "per_second": report.per_second, "registry": registry, "triples": triples}


def main(argv: list[str] | None = None) -> None:
    from benchmarks.bench_store import machine
    from mandategraph.graph.synthetic_corpus import write_corpus

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="documents generated")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--modes", default="one,all,dask",
                        help="comma-separated: one (1 worker), all (every core), dask")
    parser.add_argument("--profile", type=int, default=50,
                        help="documents profiled stage by stage (0: none)")
    parser.add_argument("--no-profile", dest="profile", action="store_const", const=0)
    parser.add_argument("--no-validate", dest="validate", action="store_false")
    parser.add_argument("--no-record", dest="record", action="store_false")
    args = parser.parse_args(argv)

    header = machine(("pyoxigraph", "rdflib", "spacy", "pyshacl", "distributed"))
    scratch = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        t0 = time.perf_counter()
        files = write_corpus(scratch / "corpus", count=args.count, seed=args.seed, gold=False)
        generated = time.perf_counter() - t0
        print(f"{len(files)} documents generated in {generated:.1f} s", flush=True)
        stages = profile(files[:args.profile], scratch) if args.profile else []
        for name, ms in stages:
            print(f"  {name:36s} {ms:8.1f} ms/document", flush=True)
        results = []
        for mode in args.modes.split(","):
            result = run_mode(mode.strip(), files, scratch, validate=args.validate)
            results.append(result)
            print(f"{result['label']}: {result['stored']} stored, {result['failed']} failed, "
                  f"{result['seconds']:.1f} s, {result['per_second']:.2f} documents/s "
                  f"(registry refresh after: {result['registry']:.1f} s)", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    header += f"; load average at end {os.getloadavg()[0]:.2f}"
    base = next((r for r in results if r["mode"] == "one"), results[0])
    lines = [
        f"## Ingestion of generated reports: run of "
        f"{datetime.now(UTC).strftime('%Y-%m-%d %H:%M')} UTC",
        "",
        f"`python -m benchmarks.bench_ingest --count {args.count} --seed {args.seed}"
        f"{'' if args.validate else ' --no-validate'}`",
        "",
        header,
        "",
        f"{len(files)} generated documents (one resolution in ten; en/fr/es), each mode into "
        "a fresh embedded store on disk; shapes "
        f"{'checked (per chunk of 16)' if args.validate else 'not checked'}; the time "
        "includes starting the workers.",
        "",
    ]
    if stages:
        lines += [f"Profile of {args.profile} documents, one process, one by one:", "",
                  "| stage | ms per document |", "|---|--:|"]
        lines += [f"| {name} | {ms:.1f} |" for name, ms in stages]
        lines.append("")
    lines += ["| mode | stored | failed | s | documents/s | ratio to 1 worker | "
              "registry refresh after, s |", "|---|--:|--:|--:|--:|--:|--:|"]
    for r in results:
        ratio = r["per_second"] / base["per_second"] if base["per_second"] else 0.0
        lines.append(f"| {r['label']} | {r['stored']} | {r['failed']} | {r['seconds']:.1f} | "
                     f"{r['per_second']:.2f} | {ratio:.2f}× | {r['registry']:.1f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.record:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)


if __name__ == "__main__":
    main()
