"""Benchmarks for graphstore: ratios against networkx, other graph libraries and the floor.

``python -m benchmarks [--quick] [--only W2,W7] [--systems graphstore,networkx]``
runs every workload. ``harness`` measures (interleaved rounds, agreement
checks, targets, tables, JSON, plots); ``inputs`` holds the seeded inputs,
references and comparisons; each ``w*_*.py`` module declares one workload.
``benchmarks/README.md`` explains the method and how to write a workload.
"""
