"""W3 snapshot after a small mutation: 1,000 new edges on a merged graph, then the CSR.

A graph of m undirected edges is built and merged untimed; 1,000 new edges
(absent from it) arrive; the systems produce the symmetric CSR. Rows:
"graphstore adjacency()" times the merge alone (the add_edge calls untimed)
beside the floor, a sorted-delta merge (mirror, lexsort, per-row binary
search, np.insert: ``inputs.merge_sorted_delta``); "graphstore" times the
1,000 add_edge calls plus adjacency() beside the other libraries' delta
update plus export. A last case times ``adjacency()`` on an unchanged store.
"""

from __future__ import annotations

import numpy as np

from benchmarks.harness import Case, Run
from benchmarks.inputs import (
    SEED, exact, gb_csr, ig_csr, merge_sorted_delta, random_edges, rx_csr, symmetric_csr,
)

NAME = "W3"
SYSTEMS = ("graphstore", "floor", "networkx", "rustworkx", "igraph", "graphblas", "scipy")
BASELINE = "floor"
SIZES = {"tiny": [(200, 600)], "quick": [(2_000, 2 * 10**4)],
         "full": [(10**4, 10**5), (10**5, 5 * 10**5)]}
K = 1_000


def cases(size, systems):
    n, m = size
    k = min(K, max(1, m // 10))
    src, dst, w = random_edges(n, m + k, SEED + 3)
    base = (src[:m], dst[:m], w[:m])
    ds, dd, dw = src[m:], dst[m:], w[m:] + 1.0
    delta = list(zip(ds.tolist(), dd.tolist(), dw.tolist(), strict=True))
    B = symmetric_csr(n, *base)
    csr = (B.indptr.astype(np.int32), B.indices.astype(np.int32), B.data)
    ref = lambda: symmetric_csr(n, src, dst, np.concatenate([w[:m], dw]))  # noqa: E731
    label = f"n={n:,} m={m:,} +{k:,}"
    runs = {}
    if "graphstore" in systems:
        from graphstore import GraphStore

        def merged():
            g = GraphStore()
            g.add_vertices(n)
            g.add_edges(*base)
            g.adjacency()
            return g

        def mutated():
            g = merged()
            for u, v, x in delta:
                g.add_edge(u, v, weight=x)
            return g

        def full(g):
            for u, v, x in delta:
                g.add_edge(u, v, weight=x)
            return g.adjacency()

        runs["graphstore adjacency()"] = Run(
            lambda g: g.adjacency(), prepare=mutated, system="graphstore",
            note=f"the {k:,} add_edge calls untimed; the merge + CSR")
        runs["graphstore"] = Run(full, prepare=merged, note=f"add_edge x{k:,} + adjacency()")
    if "floor" in systems:
        def floor():
            r, c, x = np.r_[ds, dd], np.r_[dd, ds], np.r_[dw, dw]
            o = np.lexsort((c, r))
            return merge_sorted_delta(*csr, r[o], c[o], x[o], n)

        runs["floor"] = Run(floor, note="delta mirrored, lexsort, binary search, np.insert")
    if "networkx" in systems:
        import networkx as nx

        G0 = nx.Graph()
        G0.add_nodes_from(range(n))
        G0.add_weighted_edges_from(zip(*(a.tolist() for a in base), strict=True))

        def nxrun(G):
            for u, v, x in delta:
                G.add_edge(u, v, weight=x)
            return nx.to_scipy_sparse_array(G, nodelist=range(n))

        runs["networkx"] = Run(nxrun, prepare=G0.copy, rounds=(0, 2),
                               note=f"add_edge x{k:,} + to_scipy_sparse_array")
    if "rustworkx" in systems:
        import rustworkx as rx

        def rxprep():
            g = rx.PyGraph(multigraph=False)
            g.add_nodes_from(range(n))
            g.add_edges_from(list(zip(*(a.tolist() for a in base), strict=True)))
            return g

        def rxrun(g):
            g.add_edges_from(delta)
            return rx_csr(g, n)

        runs["rustworkx"] = Run(rxrun, prepare=rxprep,
                                note="add_edges_from(delta) + CSR from edge_list()")
    if "igraph" in systems:
        import igraph as ig

        def igprep():
            g = ig.Graph(n)
            g.add_edges(np.column_stack(base[:2]), attributes={"weight": base[2]})
            return g

        def igrun(g):
            g.add_edges(np.column_stack([ds, dd]), attributes={"weight": dw})
            return ig_csr(g)

        runs["igraph"] = Run(igrun, prepare=igprep, rounds=(0, 2),
                             note="add_edges(delta) + get_adjacency_sparse")
    if "graphblas" in systems:
        import graphblas as gb

        s, d, x = base

        def gbprep():
            M = gb.Matrix.from_coo(np.r_[s, d], np.r_[d, s], np.r_[x, x], nrows=n, ncols=n)
            M.wait()
            return M

        def gbrun(M):
            D = gb.Matrix.from_coo(np.r_[ds, dd], np.r_[dd, ds], np.r_[dw, dw],
                                   nrows=n, ncols=n)
            M(accum=gb.binary.second) << D
            return gb_csr(M)

        runs["graphblas"] = Run(gbrun, prepare=gbprep,
                                note="from_coo(delta); M(accum=second) << D; to_scipy_sparse")
    if "scipy" in systems:
        import scipy.sparse as sp

        Bs = sp.csr_array((csr[2], csr[1], csr[0]), shape=(n, n))

        def sprun():
            return Bs + sp.csr_array((np.r_[dw, dw], (np.r_[ds, dd], np.r_[dd, ds])),
                                     shape=(n, n))

        runs["scipy csr + delta"] = Run(sprun, system="scipy", note="B + csr(delta), O(nnz)")
    yield Case(label, runs, expect=ref, compare=exact, units=1, unit="snapshot")
    if "graphstore" in systems:
        from graphstore import GraphStore

        calls = 1_000
        g = GraphStore()
        g.add_vertices(n)
        g.add_edges(*base)
        g.adjacency()

        def unchanged():
            for _ in range(calls):
                A = g.adjacency()
            return A

        yield Case(f"unchanged {label}", {"graphstore": Run(
            unchanged, note=f"adjacency() x{calls:,} on an unchanged store")},
            expect=lambda: symmetric_csr(n, *base), compare=exact, units=calls, unit="call")


def targets(r):
    out = []
    main = [c for c in r.cases("n=")]
    if main:
        c = main[-1]
        out.append(r.ratio(f"W3 {c}: adjacency() <= 2x the sorted-delta floor",
                           (c, "graphstore adjacency()"), (c, "floor"), "<=", 2))
        out.append(r.ratio(f"W3 {c}: add_edge x1000 + adjacency() faster than graphblas "
                           "(graphblas/graphstore)", (c, "graphblas"), (c, "graphstore"), ">", 1))
        out.append(r.ratio(f"W3 {c}: add_edge x1000 + adjacency() >= 50x faster than networkx",
                           (c, "networkx"), (c, "graphstore"), ">=", 50))
    for c in r.cases("unchanged"):
        out.append(r.value(f"W3 {c}: adjacency() of an unchanged store is O(1)",
                           (c, "graphstore"), "<=", 10, "us", scale=1e6))
    return out
