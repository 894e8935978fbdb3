"""Load benchmark: many clients against ``/sparql`` at once, some of them hostile.

A real server (``uvicorn mandategraph.api.app:create_app``, the default settings but for the query
timeout) on a synthetic store is driven by ``--clients`` concurrent clients for
``--duration`` seconds on loopback. Each client sends, in a random order fixed by
``--seed``:

* a canned query (default parameters), 45 % of requests;
* a cheap ``ASK`` (each with a different constant, so the cache cannot answer it),
  45 %;
* a query that runs past the timeout (a four-way cross product), 10 %.

A good request (canned or ASK) is an error unless it answers 200; a slow one must
answer 503 (stopped at the timeout). The run records p50 / p99 latency and requests per
second by kind, and ``/health`` latency sampled meanwhile; the target is zero errors on
the good ones. Every loop is bounded by the duration, and the server is stopped at the
end::

    python -m benchmarks.bench_load --triples 100k --clients 32 --duration 60
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from benchmarks.bench_endpoint import (
    build_mandategraph_store,
    canned_queries,
    ensure_data,
    free_port,
    mandategraph_env,
    server,
    uvicorn_command,
)
from benchmarks.bench_store import machine, record

HEADERS = {
    "Content-Type": "application/sparql-query",
    "Accept": "application/sparql-results+json",
}
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@dataclass
class Kind:
    """Latencies (seconds) and failures of one kind of request."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def percentile(self, share: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def client_loop(
    base: str, queries: list[str], rng: random.Random, until: float, kinds: dict[str, Kind]
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        while time.monotonic() < until:
            draw = rng.random()
            if draw < 0.10:
                kind, text, expected = "slow", SLOW, 503
            elif draw < 0.55:
                kind, text, expected = "canned", rng.choice(queries), 200
            else:
                kind, text, expected = "ask", f"ASK {{ ?s ?p {rng.randrange(10**9)} }}", 200
            started = time.perf_counter()
            try:
                response = await http.post("/sparql", content=text, headers=HEADERS)
                status = response.status_code
                detail = response.text[:120] if status != expected else ""
            except httpx.HTTPError as exc:
                status, detail = -1, f"{type(exc).__name__}: {exc}"
            elapsed = time.perf_counter() - started
            kinds[kind].latencies.append(elapsed)
            if status != expected:
                kinds[kind].errors.append(f"{status} {detail}")


async def health_loop(base: str, until: float, kind: Kind) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        while time.monotonic() < until:
            started = time.perf_counter()
            response = await http.get("/health")
            kind.latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                kind.errors.append(str(response.status_code))
            await asyncio.sleep(0.25)


async def drive(base: str, queries: list[str], args: argparse.Namespace) -> dict[str, Kind]:
    kinds = {name: Kind() for name in ("canned", "ask", "slow", "health")}
    until = time.monotonic() + args.duration
    rngs = [random.Random(args.seed * 1000 + i) for i in range(args.clients)]
    await asyncio.gather(
        *(client_loop(base, queries, rng, until, kinds) for rng in rngs),
        health_loop(base, until, kinds["health"]),
    )
    return kinds


def table(kinds: dict[str, Kind], duration: float) -> str:
    lines = [
        "| requests | count | errors | p50 | p99 | max | per second |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for name, kind in kinds.items():
        p50, p99 = kind.percentile(0.5), kind.percentile(0.99)
        worst = max(kind.latencies) if kind.latencies else None

        def ms(value: float | None) -> str:
            return "-" if value is None else f"{value * 1000:,.0f} ms"

        lines.append(
            f"| {name} | {len(kind.latencies):,} | {len(kind.errors)} | {ms(p50)} | "
            f"{ms(p99)} | {ms(worst)} | {len(kind.latencies) / duration:.1f} |"
        )
    good = kinds["canned"].latencies + kinds["ask"].latencies
    lines.append("")
    lines.append(
        f"Good requests (canned + ASK): {len(good):,}, "
        f"{len(kinds['canned'].errors) + len(kinds['ask'].errors)} errors, "
        f"{len(good) / duration:.1f} per second, p50 "
        f"{statistics.median(good) * 1000:,.0f} ms." if good else "No good request finished."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.bench_load --clients 32 --duration 60``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_load", description=__doc__)
    parser.add_argument("--triples", default="100k", help="synthetic graph size (10k, 100k, 1M)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--timeout", type=float, default=3.0, help="the server's query timeout")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args(argv)
    from benchmarks.generate import parse_size

    data = ensure_data(parse_size(args.triples))
    queries = list(canned_queries(None).values())
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        location = Path(folder) / "store"
        load_seconds = build_mandategraph_store(data, location)
        port = free_port()
        env = mandategraph_env(location, memory=False, cache=256, budget=args.timeout)
        env.pop("MANDATEGRAPH_MAX_ROWS")  # the default cap, as served
        base = f"http://127.0.0.1:{port}"
        with server(uvicorn_command(port), ready=f"{base}/health", log=Path(folder) / "log",
                    env=env):
            # one pass over the canned queries first, as a server that has been up a while
            # (asked exactly as the clients ask them, so they share the cache entries)
            with httpx.Client(base_url=base, timeout=120) as http:
                for text in queries:
                    http.post("/sparql", content=text, headers=HEADERS)
            started = time.monotonic()
            kinds = asyncio.run(drive(base, queries, args))
            elapsed = time.monotonic() - started
    text = table(kinds, elapsed)
    header = (
        f"{machine(('pyoxigraph', 'fastapi', 'uvicorn'))} {args.clients} clients for "
        f"{elapsed:.0f} s on loopback against `/sparql` on {args.triples} synthetic "
        f"triples (on-disk store loaded in {load_seconds:.1f} s; query timeout "
        f"{args.timeout:g} s, 2 query workers growing to 8, queries past 50 ms reniced and at "
        "most 6 of them at once, result cache on). Mix: 45 % "
        "canned queries, 45 % ASKs with a fresh constant each (never cached), 10 % a "
        "cross product that runs into the timeout (503 expected). `health`: `/health` "
        "every 250 ms meanwhile."
    )
    print(header)
    print(text)
    for name, kind in kinds.items():
        for failure in sorted(set(kind.errors))[:5]:
            print(f"  {name}: {failure}")
    if not args.no_record:
        record(text, argv if argv is not None else [], header, script="bench_load",
               title="Load run of {stamp}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
