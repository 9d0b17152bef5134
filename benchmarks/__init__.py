"""Benchmarks for graphstore: ratios against networkx, scipy and the numpy/Python floor.

Run ``python -m benchmarks`` (full, about 6 minutes on 2 cores) or
``python -m benchmarks --quick`` (under a minute) from the repository root.
See ``benchmarks/README.md`` for what each workload measures and the latest
measured table.

Modules
-------
bench_core       W1 growth, W2 batch ingest, W3 snapshot after a small
                 mutation, W6 point queries, MEM bytes per edge
bench_operators  graph operators (optional; run when present)
"""
