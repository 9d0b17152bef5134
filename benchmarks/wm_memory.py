"""MEM bytes per edge: anonymous resident memory of each system's graph after a batch ingest.

Each system runs in its own interpreter. The edges are written to ``.npy``
files and opened with ``np.load(mmap_mode="r")`` (file-backed pages, not
counted); the figure is (anonymous RSS after - before) / m, where before is
taken after the imports and after is taken once the graph is built from
chunks of 10^5 copied out of the map, ``gc.collect()`` and glibc
``malloc_trim(0)`` (so freed heap is not counted). graphstore keeps its store
and its snapshot (which shares the store's arrays); the floor keeps its CSR.
"graphstore directed" is a directed store after one ``predecessors`` query:
whatever it keeps for in-edges (a transpose) is counted (issue 7: <= 40 B).
"""

from __future__ import annotations

import os
import tempfile

import numpy as np

from benchmarks.harness import Case, Measured, Run
from benchmarks.inputs import (
    CHUNK, SEED, anon_rss, exact, gb_csr, ig_csr, nk_csr, random_edges, rx_csr, symmetric_csr,
    trim,
)

NAME = "MEM"
SYSTEMS = ("graphstore", "floor", "networkx", "rustworkx", "igraph", "networkit", "graphblas")
BASELINE = "floor"
ISOLATE = True
ROUNDS = {"tiny": (0, 1), "quick": (0, 1), "full": (0, 1)}
SIZES = {"tiny": [(300, 1_500)], "quick": [(2 * 10**4, 10**5)],
         "full": [(2 * 10**5, 10**6), (10**6, 5 * 10**6)]}
MAX_M = {"networkx": 10**6}


def _build(system, n, src, dst, w):
    """The built graph and a function giving its adjacency as scipy (for the check)."""
    m = len(src)
    step = min(CHUNK, max(1, m // 5))

    def chunks():
        for i in range(0, m, step):
            yield np.array(src[i:i + step]), np.array(dst[i:i + step]), np.array(w[i:i + step])

    if system == "graphstore":
        from graphstore import GraphStore

        g = GraphStore()
        g.add_vertices(n)
        for s, d, x in chunks():
            g.add_edges(s, d, x)
        A = g.adjacency()
        return (g, A), lambda: g.adjacency()
    if system == "graphstore directed":
        from graphstore import GraphStore

        g = GraphStore(directed=True)
        g.add_vertices(n)
        for s, d, x in chunks():
            g.add_edges(s, d, x)
        A = g.adjacency()
        list(g.predecessors(int(dst[0])))
        return (g, A), lambda: g.adjacency()
    if system == "floor":
        import scipy.sparse as sp

        s, d, x = (np.array(a) for a in (src, dst, w))
        r = np.concatenate([s, d], dtype=np.int32, casting="same_kind")
        c = np.concatenate([d, s], dtype=np.int32, casting="same_kind")
        v = np.concatenate([x, x])
        del s, d, x
        A = sp.csr_array((v, (r, c)), shape=(n, n))
        del r, c, v
        return A, lambda: A
    if system == "networkx":
        import networkx as nx

        G = nx.Graph()
        G.add_nodes_from(range(n))
        for s, d, x in chunks():
            G.add_weighted_edges_from(zip(s.tolist(), d.tolist(), x.tolist(), strict=True))
        return G, lambda: nx.to_scipy_sparse_array(G, nodelist=range(n))
    if system == "rustworkx":
        import rustworkx as rx

        g = rx.PyGraph(multigraph=False)
        g.add_nodes_from(range(n))
        for s, d, x in chunks():
            g.add_edges_from(list(zip(s.tolist(), d.tolist(), x.tolist(), strict=True)))
        return g, lambda: rx_csr(g, n)
    if system == "igraph":
        import igraph as ig

        g = ig.Graph(n)
        for s, d, x in chunks():
            g.add_edges(np.column_stack([s, d]), attributes={"weight": x})
        return g, lambda: ig_csr(g)
    if system == "networkit":
        import networkit as nk

        G = nk.Graph(n, weighted=True)
        for s, d, x in chunks():
            G.addEdges((x, (s, d)))
        return G, lambda: nk_csr(G, n)
    if system == "graphblas":
        import graphblas as gb

        s, d, x = (np.array(a) for a in (src, dst, w))
        M = gb.Matrix.from_coo(np.concatenate([s, d]), np.concatenate([d, s]),
                               np.concatenate([x, x]), nrows=n, ncols=n,
                               dup_op=gb.binary.second)
        M.wait()
        return M, lambda: gb_csr(M)
    raise ValueError(system)


def cases(size, systems):
    n, m = size
    rows = [s for s in systems if m <= MAX_M.get(s, m)]
    if "graphstore" in rows:
        rows.append("graphstore directed")
    if not rows:
        return
    for mod in {"rustworkx": "rustworkx", "igraph": "igraph", "networkit": "networkit",
                "graphblas": "graphblas"}.items():
        if mod[0] in rows:
            __import__(mod[1])  # imported before the baseline
    tmp = tempfile.mkdtemp(prefix="graphstore-mem-")
    src, dst, w = random_edges(n, m, SEED + 2)
    paths = []
    for name, a in (("src", src), ("dst", dst), ("w", w)):
        paths.append(os.path.join(tmp, name + ".npy"))
        np.save(paths[-1], a)
    del src, dst, w, a
    runs = {}
    for row in rows:
        def run(row=row):
            s, d, x = (np.load(p, mmap_mode="r") for p in paths)
            if row.startswith("graphstore"):
                import graphstore  # noqa: F401  (the module's own memory is not the graph's)
            trim()
            before = anon_rss()
            obj, export = _build(row, n, s, d, x)
            trim()
            after = anon_rss()
            return Measured(export, value=(after - before) / m)

        def answer(export, row=row):
            A = export()
            return A if row != "graphstore directed" else (A + A.T)

        runs[row] = Run(run, answer=answer, system=row.split()[0],
                        note="directed; after one predecessors() query"
                        if row == "graphstore directed" else "")

    def ref():
        s, d, x = (np.load(p) for p in paths)
        return symmetric_csr(n, s, d, x)

    try:
        yield Case(f"n={n:,} m={m:,}", runs, expect=ref, compare=exact, units=1,
                   unit="B/edge", metric="bytes")
    finally:
        for p in paths:
            os.remove(p)
        os.rmdir(tmp)


def targets(r):
    return [r.value(f"MEM {c}: {row} <= 40 bytes per edge", (c, row), "<=", 40, "B/edge")
            for c in r.cases() for row in ("graphstore", "graphstore directed")]
