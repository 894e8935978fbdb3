"""Reproducible performance runs of the mandategraph store and their recorded results.

``python -m benchmarks.generate`` writes synthetic graphs of this domain's shape;
``python -m benchmarks.bench_store`` loads them into each engine and times three
domain queries. See ``benchmarks/README.md``.
"""
