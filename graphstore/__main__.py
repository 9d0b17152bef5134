"""The main job: ``python -m graphstore`` (or the ``graphstore`` command).

With no arguments it builds a store, one vertex and one edge at a time, from
a real weighted graph that ships with networkx (the Les Misérables character
co-occurrences), prints a summary, then shows per-vertex growth cost staying
flat across capacity doublings. ``--edges PATH`` reads an edge list instead.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import scipy.sparse.csgraph as csgraph

from ._store import GraphStore


def read_edge_list(path):
    """Yield ``(u, v, w)`` from a whitespace-separated file; '#' starts a comment.

    A line holds ``u v`` or ``u v weight``; labels that look like integers
    become ints.
    """

    def label(tok):
        try:
            return int(tok)
        except ValueError:
            return tok

    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            parts = line.split("#", 1)[0].split()
            if not parts:
                continue
            if len(parts) not in (2, 3):
                raise ValueError(f"{path}:{lineno}: expected 'u v [weight]', got {line.strip()!r}")
            try:
                w = float(parts[2]) if len(parts) == 3 else 1.0
            except ValueError:
                raise ValueError(f"{path}:{lineno}: weight {parts[2]!r} is not a number") from None
            yield label(parts[0]), label(parts[1]), w


def les_miserables():
    """Edges of networkx's Les Misérables co-occurrence graph, in file order."""
    import networkx as nx

    G = nx.les_miserables_graph()
    return [(u, v, d["weight"]) for u, v, d in G.edges(data=True)]


def summarize(g: GraphStore, name: str, seconds: float) -> str:
    A = g.adjacency()
    deg = g.degree()
    wdeg = g.degree(weight="weight")
    n_comp, comp = csgraph.connected_components(A, directed=g.directed, connection="weak")
    sizes = np.bincount(comp) if len(comp) else np.zeros(0, int)
    m = g.num_edges
    lines = [
        f"graph            {name}",
        f"kind             {'directed' if g.directed else 'undirected'}, dtype {g.dtype}",
        f"vertices         {g.num_vertices}",
        f"edges            {m} ({A.nnz} stored entries)",
        f"capacity         {g.capacity} after {g.num_grows} doublings",
    ]
    if len(deg):
        lines += [
            f"degree           min {deg.min()}, mean {deg.mean():.2f}, max {deg.max()} "
            f"({g.labels[int(np.argmax(deg))]!r})",
            f"weighted degree  min {wdeg.min():g}, mean {wdeg.mean():.2f}, max {wdeg.max():g}",
            f"components       {n_comp} (largest {sizes.max()} vertices)",
        ]
    per_edge = g.nbytes / m if m else float("nan")
    lines += [
        f"memory           {g.nbytes} bytes in arrays, {per_edge:.1f} bytes per edge",
        f"built in         {seconds * 1e3:.2f} ms",
    ]
    return "\n".join(lines)


def growth_demo(n: int, k: int = 5, seed: int = 0, out=sys.stdout) -> None:
    """Add `n` vertices one at a time, each with `k` edges to earlier ones; print cost per doubling."""
    rng = np.random.default_rng(seed)
    targets = (rng.random((n, k)) * np.arange(n)[:, None]).astype(np.int64).tolist()
    weights = rng.random((n, k)).round(3).tolist()
    g = GraphStore(capacity=1)
    print(f"\ngrowth: {n} vertices added one at a time, each with up to {k} edges", file=out)
    print(f"{'capacity':>10} {'vertices':>10} {'us/vertex':>10}", file=out)
    add_vertex, add_edge = g.add_vertex, g.add_edge
    grows = g.num_grows
    start, t0 = 0, time.perf_counter()
    t_all = t0
    for v in range(n):
        add_vertex(v)
        if v:
            for u, w in zip(targets[v], weights[v], strict=False):
                add_edge(v, u, weight=w)
        if g.num_grows != grows or v == n - 1:
            t1 = time.perf_counter()
            count = v + 1 - start
            if count >= 1024 or v == n - 1:
                print(f"{g.capacity:>10} {v + 1:>10} {(t1 - t0) / count * 1e6:>10.2f}", file=out)
            grows, start, t0 = g.num_grows, v + 1, t1
    t_build = time.perf_counter() - t_all
    t1 = time.perf_counter()
    A = g.adjacency()
    t_merge = time.perf_counter() - t1
    print(f"total {t_build:.2f} s for {n} vertices ({t_build / n * 1e6:.2f} us each); "
          f"first adjacency() merged {A.nnz} entries in {t_merge * 1e3:.1f} ms", file=out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="graphstore", description=__doc__.split("\n")[0])
    parser.add_argument("--edges", metavar="PATH", help="edge-list file: 'u v [weight]' per line")
    parser.add_argument("--directed", action="store_true", help="read the edge list as directed")
    parser.add_argument("--growth", type=int, default=100_000, metavar="N",
                        help="vertices in the growth demonstration (0 skips it)")
    args = parser.parse_args(argv)
    if args.edges:
        edges, name = read_edge_list(args.edges), args.edges
    else:
        edges, name = les_miserables(), "Les Miserables co-occurrences (networkx)"
    t0 = time.perf_counter()
    g = GraphStore(directed=args.directed, capacity=1)
    for u, v, w in edges:
        g.add_edge(u, v, weight=w)
    g.adjacency()
    seconds = time.perf_counter() - t0
    print(summarize(g, name, seconds))
    if args.growth:
        growth_demo(args.growth)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
