"""W2 batch ingest: numpy edge chunks to a CSR, and the first adjacency() after add_edge calls.

Case "ingest": m distinct undirected edges on n vertices arrive as numpy
arrays in chunks of 10^5; each system ends with the symmetric CSR (or, where
its export is a Python loop, with its graph: rows say "ingest only").
Case "add_edge log": the same kind of edges were added by m ``add_edge``
calls (untimed); timed is the first ``adjacency()``, beside the W2 floor
building the CSR from the same edges as arrays (issue 7: <= 1.5x).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from benchmarks.harness import Case, Run
from benchmarks.inputs import (
    SEED, chunked, exact, gb_csr, ig_csr, nk_csr, random_edges, rx_csr, symmetric_csr,
)

NAME = "W2"
SYSTEMS = ("graphstore", "floor", "networkx", "rustworkx", "igraph", "networkit", "graphblas",
           "scipy")
BASELINE = "floor"
# (case kind, n vertices, m edges)
SIZES = {
    "tiny": [("ingest", 300, 1_500), ("add_edge log", 300, 1_500)],
    "quick": [("ingest", 10**4, 5 * 10**4), ("add_edge log", 2 * 10**4, 10**5)],
    "full": [("ingest", 10**5, 5 * 10**5), ("ingest", 10**6, 5 * 10**6),
             ("add_edge log", 2 * 10**5, 10**6)],
}
# networkx, igraph and the scipy lil / csr += routes run up to this m: igraph's add_edges
# rebuilds its indices per call (a 5x10^6-edge ingest in chunks took 135 s a run)
SLOW_MAX_M = 5 * 10**5


def label(kind, n, m):
    return f"{kind} n={n:,} m={m:,}"


def floor(src, dst, w, n):
    """The floor: both directions concatenated, int32 coordinates, one csr_array."""
    r = np.concatenate([src, dst], dtype=np.int32, casting="same_kind")
    c = np.concatenate([dst, src], dtype=np.int32, casting="same_kind")
    return sp.csr_array((np.concatenate([w, w]), (r, c)), shape=(n, n))


def cases(size, systems):
    kind, n, m = size
    src, dst, w = random_edges(n, m, SEED + 2)
    ref = lambda: symmetric_csr(n, src, dst, w)  # noqa: E731
    if kind == "add_edge log":
        yield from _log_case(n, m, src, dst, w, ref, systems)
        return
    chunks = chunked(src, dst, w)
    runs = {}

    def concat():
        return (np.concatenate([ch[0] for ch in chunks]),
                np.concatenate([ch[1] for ch in chunks]),
                np.concatenate([ch[2] for ch in chunks]))

    if "graphstore" in systems:
        from graphstore import GraphStore

        def gs():
            g = GraphStore()
            g.add_vertices(n)
            for s, d, x in chunks:
                g.add_edges(s, d, x)
            return g.adjacency()

        runs["graphstore"] = Run(gs, note="add_vertices(n); add_edges per chunk; adjacency()")
    if "floor" in systems:
        runs["floor"] = Run(lambda: floor(*concat(), n),
                            note="np.concatenate + sp.csr_array((w, (r, c))), int32")
    slow = m <= SLOW_MAX_M
    if "networkx" in systems and slow:
        import networkx as nx

        def nxrun():
            G = nx.Graph()
            G.add_nodes_from(range(n))
            for s, d, x in chunks:
                G.add_weighted_edges_from(zip(s.tolist(), d.tolist(), x.tolist(), strict=True))
            return nx.to_scipy_sparse_array(G, nodelist=range(n))

        runs["networkx"] = Run(nxrun, rounds=(0, 2),
                               note="add_weighted_edges_from per chunk + to_scipy_sparse_array")
    if "rustworkx" in systems:
        import rustworkx as rx

        def rxrun():
            g = rx.PyGraph(multigraph=False)
            g.add_nodes_from(range(n))
            for s, d, x in chunks:
                g.add_edges_from(list(zip(s.tolist(), d.tolist(), x.tolist(), strict=True)))
            return g

        runs["rustworkx"] = Run(rxrun, answer=lambda g: rx_csr(g, n),
                                rounds=None if slow else (0, 2),
                                note="ingest only: PyGraph.add_edges_from(tuples) per chunk "
                                     "(its adjacency_matrix is dense)")
    if "igraph" in systems and slow:
        import igraph as ig

        def igrun():
            g = ig.Graph(n)
            for s, d, x in chunks:
                g.add_edges(np.column_stack([s, d]), attributes={"weight": x})
            return g

        runs["igraph"] = Run(igrun, answer=ig_csr,
                             note="ingest only: Graph.add_edges(array, weight) per chunk")
    if "networkit" in systems:
        import networkit as nk

        def nkrun():
            G = nk.Graph(n, weighted=True)
            for s, d, x in chunks:
                G.addEdges((x, (s, d)))
            return G

        runs["networkit"] = Run(nkrun, answer=lambda G: nk_csr(G, n),
                                rounds=None if slow else (0, 2),
                                note="ingest only: Graph.addEdges((w, (s, d))) per chunk "
                                     "(its CSR export is a Python loop)")
    if "graphblas" in systems:
        import graphblas as gb

        def gbrun():
            s, d, x = concat()
            M = gb.Matrix.from_coo(np.concatenate([s, d]), np.concatenate([d, s]),
                                   np.concatenate([x, x]), nrows=n, ncols=n,
                                   dup_op=gb.binary.second)
            return gb_csr(M)

        runs["graphblas"] = Run(gbrun, note="Matrix.from_coo(dup_op=second) + to_scipy_sparse; "
                                            f"{gb.ss.config['nthreads']} threads")
    if "scipy" in systems and slow:
        def lil():
            A = sp.lil_array((n, n))
            for s, d, x in chunks:
                A[s, d] = x
                A[d, s] = x
            return A.tocsr()

        def csr_add():
            A = sp.csr_array((n, n))
            for s, d, x in chunks:
                A = A + sp.csr_array((np.concatenate([x, x]), (np.concatenate([s, d]),
                                                               np.concatenate([d, s]))),
                                     shape=(n, n))
            return A

        runs["scipy lil"] = Run(lil, system="scipy", rounds=(0, 2),
                                note="lil_array fancy assignment per chunk, then tocsr()")
        runs["scipy csr += chunk"] = Run(csr_add, system="scipy",
                                         note="A = A + csr(chunk) per chunk (O(nnz) each)")
    yield Case(label(kind, n, m), runs, expect=ref, compare=exact, units=m, unit="edge",
               x=m, group="ingest")


def _log_case(n, m, src, dst, w, ref, systems):
    runs = {}
    if "graphstore" in systems:
        from graphstore import GraphStore

        edges = list(zip(src.tolist(), dst.tolist(), w.tolist(), strict=True))

        def logged():
            g = GraphStore()
            g.add_vertices(n)
            add = g.add_edge
            for u, v, x in edges:
                add(u, v, weight=x)
            return g

        runs["graphstore"] = Run(lambda g: g.adjacency(), prepare=logged, rounds=(1, 3),
                                 note=f"{m:,} add_edge calls untimed; times the first "
                                      "adjacency()")
    if "floor" in systems:
        runs["floor"] = Run(lambda: floor(src, dst, w, n),
                            note="the W2 floor on the same edges as arrays")
    yield Case(label("add_edge log", n, m), runs, expect=ref, compare=exact, units=m,
               unit="edge")


def targets(r):
    out = []
    ingest = r.cases("ingest")
    if ingest:
        big = ingest[-1]
        out.append(r.ratio(f"W2 {big}: graphstore <= 1.5x the floor",
                           (big, "graphstore"), (big, "floor"), "<=", 1.5))
        for other in ("rustworkx", "graphblas"):
            out.append(r.ratio(f"W2 {big}: graphstore faster than {other} ({other}/graphstore)",
                               (big, other), (big, "graphstore"), ">", 1))
        small = [c for c in ingest if r.per_unit(c, "networkx") is not None]
        if small:
            c = small[-1]
            out.append(r.ratio(f"W2 {c}: graphstore >= 50x faster than networkx",
                               (c, "networkx"), (c, "graphstore"), ">=", 50))
    for c in r.cases("add_edge log"):
        out.append(r.ratio(f"W2 {c}: first adjacency() after the add_edge calls <= 1.5x the "
                           "floor", (c, "graphstore"), (c, "floor"), "<=", 1.5))
    return out
