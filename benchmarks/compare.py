"""Comparative suite: graphstore beside every library a Python user would pick instead.

``python -m benchmarks.compare [--quick] [--out DIR] [--only W1,W4,...]``

Each (workload, system) runs in a **fresh interpreter** (``--child``), so
systems cannot pollute each other's heap, caches or imports. Inside the
child, each size is warmed up, then repeated; the child reports every timed
run (``time.perf_counter`` around the operation only), and the parent prints
the median, the spread (min..max) and the ratios against the numpy/scipy
floor and against networkx at the same size. Before a time is reported the
child checks the system's result against a reference built separately with
numpy/scipy (the same adjacency, the same Laplacian, the same diff); a
system that disagrees shows ``DISAGREES`` in place of its time. A system
whose package is not installed is reported ``skipped (not installed)``.

Workloads (the sizes of issue 4; ``--quick`` scales them down):

W1  growth one call at a time: add_vertex + 5 add_edge to earlier vertices,
    n = 10^3 .. 10^6; slow systems (naive block_array per vertex, igraph,
    lil/dok, graphblas) run up sizes until one run exceeds a few seconds,
    and the growth exponent of each system is fitted.
W2  batch ingest: 5x10^6 edges on 10^6 vertices in numpy chunks of 10^5,
    then a symmetric CSR.
W3  snapshot after a small mutation: 1,000 new edges on a merged 5x10^5-edge
    graph, then a fresh CSR.
W4  Laplacians (combinatorial and sym-normalized) of 2.5x10^6 edges.
W5  sparse diff: np.diff(identity(L), n) for L up to 10^6, n = 1..3.
W6  point queries: 10^5 has_edge, weight, neighbors calls.
MEM anonymous resident bytes per edge after W2's ingest.

Results go to ``benchmarks/results/results.json`` (or ``--out``) with PNG
plots beside it. ``tests/test_benchmarks.py`` runs every agreement check at
tiny sizes (``run_case(workload, system, "tiny")``).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402

from benchmarks import bench_core  # noqa: E402
from benchmarks.bench_core import (  # noqa: E402
    SEED, ListFloor, _trim, anon_rss, assert_same, growth_ops, last_wins_csr,
    merge_sorted_delta, random_edges, symmetric_csr,
)

# ----------------------------------------------------------------------
# systems, workloads, sizes

# system name -> the modules it needs (besides numpy/scipy/networkx/graphstore)
NEEDS = {"rustworkx": ["rustworkx"], "igraph": ["igraph"], "networkit": ["networkit"],
         "graphblas": ["graphblas"]}

SYSTEMS = {
    "W1": ["graphstore", "floor", "networkx", "rustworkx", "igraph", "networkit", "graphblas",
           "scipy lil", "scipy dok", "naive block_array"],
    "W2": ["graphstore", "floor", "networkx", "rustworkx", "igraph", "networkit", "graphblas",
           "scipy lil", "scipy csr += chunk"],
    "W3": ["graphstore", "floor", "networkx", "rustworkx", "igraph", "graphblas",
           "scipy csr + delta"],
    "W4": ["graphstore", "floor", "csgraph", "networkx", "igraph", "networkit", "graphblas"],
    "W5": ["graphstore", "floor", "dense np.diff", "binomial", "pascal", "iterative"],
    "W6": ["graphstore", "networkx", "floor", "rustworkx", "igraph", "networkit", "graphblas",
           "scipy dok"],
    "MEM": ["graphstore", "floor", "networkx", "rustworkx", "igraph", "networkit", "graphblas"],
}

TITLES = {
    "W1": "W1 growth, one call at a time (add_vertex + 5 add_edge per vertex)",
    "W2": "W2 batch ingest (numpy chunks of 10^5 -> symmetric CSR)",
    "W3": "W3 snapshot after 1,000 new edges on a merged graph",
    "W4": "W4 Laplacians (combinatorial, sym)",
    "W5": "W5 sparse diff of identity(L), n = 1..3 (axis=-1)",
    "W6": "W6 point queries (one Python call each)",
    "MEM": "MEM anonymous resident bytes per undirected edge after the ingest",
}

# sizes per mode; "tiny" is the test suite's (agreement checks only)
SIZES = {
    "W1": {"full": [10**3, 10**4, 10**5, 10**6], "quick": [10**3, 10**4, 10**5], "tiny": [60]},
    "W1_slow": {"full": [250, 500, 1_000, 2_000, 4_000, 8_000, 16_000],
                "quick": [125, 250, 500, 1_000], "tiny": [20]},
    "W2": {"full": [(10**5, 5 * 10**5), (10**6, 5 * 10**6)], "quick": [(5 * 10**4, 25 * 10**4)],
           "tiny": [(300, 1_500)]},
    "W3": {"full": [(10**5, 5 * 10**5)], "quick": [(10**4, 10**5)], "tiny": [(200, 600)]},
    "W4": {"full": [(5 * 10**5, 25 * 10**5)], "quick": [(5 * 10**4, 25 * 10**4)],
           "tiny": [(200, 1_000)]},
    "W4_small": {"full": [(5 * 10**4, 25 * 10**4)], "quick": [(5 * 10**3, 25 * 10**3)],
                 "tiny": [(200, 1_000)]},
    "W4_dense": {"full": [(2_000, 10**4)], "quick": [(1_000, 5_000)], "tiny": [(200, 1_000)]},
    "W5": {"full": [10**4, 10**5, 10**6], "quick": [10**4, 10**5], "tiny": [40]},
    "W5_dense": {"full": [10**3, 4 * 10**3], "quick": [10**3, 2 * 10**3], "tiny": [40]},
    "W6": {"full": ((10**5, 5 * 10**5), 10**5), "quick": ((10**4, 5 * 10**4), 2 * 10**4),
           "tiny": ((200, 1_000), 300)},
    "MEM": {"full": (10**6, 5 * 10**6), "quick": (5 * 10**4, 25 * 10**4), "tiny": (300, 1_500)},
    "MEM_nx": {"full": (2 * 10**5, 10**6), "quick": (5 * 10**4, 25 * 10**4), "tiny": (300, 1_500)},
}

# (warm-up, timed) runs, and the seconds after which one run stops a size sweep
ROUNDS = {"full": (1, 5), "quick": (1, 3), "tiny": (0, 1)}
BUDGET = {"full": 4.0, "quick": 0.6, "tiny": 30.0}
CHUNK = 100_000


def available(system):
    return all(importlib.util.find_spec(m) is not None for m in NEEDS.get(system, []))


def n_chunks(m):
    return max(1, -(-m // CHUNK))


def chunked(src, dst, w, m):
    step = CHUNK if m >= 5 * CHUNK else max(1, m // 5)
    return [(src[i:i + step], dst[i:i + step], w[i:i + step]) for i in range(0, m, step)]


# ----------------------------------------------------------------------
# measurement inside a child


class Case:
    """Collects one child's rows."""

    def __init__(self, workload, system, mode):
        self.workload, self.system, self.mode = workload, system, mode
        self.rows = []
        self.warm, self.rep = ROUNDS[mode]
        self.budget = BUDGET[mode]

    def time(self, run, prepare=None, rounds=None):
        """Warm-up then timed runs; returns (times, last result, over_budget).

        A run longer than the budget ends the repeats (it is kept as a timed run
        even if it was the warm-up): the system is too slow for more.
        """
        warm, rep = rounds or (self.warm, self.rep)
        times, out = [], None
        for k in range(warm + rep):
            out = None
            gc.collect()
            state = prepare() if prepare is not None else None
            t0 = time.perf_counter()
            out = run(state) if prepare is not None else run()
            t = time.perf_counter() - t0
            del state
            if k >= warm:
                times.append(t)
            if t > self.budget:
                if not times:
                    times.append(t)
                return times, out, True
        return times, out, False

    def add(self, case, x, times, units, unit, check=None, note="", system=None):
        """Record a row after running `check` (raises AssertionError on disagreement)."""
        status = "ok"
        if check is not None:
            try:
                check()
            except AssertionError as exc:
                status, times = f"DISAGREES: {exc}"[:300], []
        self.rows.append({"workload": self.workload, "case": case, "x": x,
                          "system": system or self.system, "times": list(times),
                          "units": units, "unit": unit, "status": status, "note": note})
        return status == "ok"

    def skip(self, case, why, x=None):
        self.rows.append({"workload": self.workload, "case": case, "x": x,
                          "system": self.system, "times": [], "units": 1, "unit": "",
                          "status": why, "note": ""})


def close(ref, got, tol=1e-12, what="result"):
    """Same shape and values up to `tol` (relative to the largest |entry|)."""
    R, G = sp.csr_array(ref), sp.csr_array(got)
    if R.shape != G.shape:
        raise AssertionError(f"{what}: shape {G.shape} != {R.shape}")
    D = (R - G).tocsr()
    err = float(abs(D).max()) if D.nnz else 0.0
    scale = float(abs(R).max()) if R.nnz else 1.0
    if err > tol * max(scale, 1.0):
        raise AssertionError(f"{what}: max |difference| {err:.3g}")


def exact(ref, got, what="result"):
    """Same shape, same stored pattern after dropping explicit zeros, equal values."""
    R, G = sp.csr_array(ref).copy(), sp.csr_array(got).copy()
    R.eliminate_zeros()
    G.eliminate_zeros()
    assert_same(R, G, what)


def edges_csr(n, s, d, w):
    """Symmetric CSR of undirected edge arrays that may list a pair once (the check's export)."""
    return symmetric_csr(n, np.asarray(s, np.int64), np.asarray(d, np.int64),
                         np.asarray(w, np.float64))


def rx_csr(g, n):
    m = g.num_edges()
    ij = np.fromiter((x for e in g.edge_list() for x in e), np.int64, count=2 * m)
    w = np.fromiter(g.edges(), np.float64, count=m)
    return edges_csr(n, ij[0::2], ij[1::2], w)


def nk_csr(G, n):
    e = list(G.iterEdgesWeights())
    if not e:
        return sp.csr_array((n, n))
    a = np.array(e, dtype=np.float64)
    return edges_csr(n, a[:, 0].astype(np.int64), a[:, 1].astype(np.int64), a[:, 2])


def ig_csr(g):
    return sp.csr_array(g.get_adjacency_sparse(attribute="weight"))


def gb_csr(M):
    import graphblas as gb

    return gb.io.to_scipy_sparse(M, format="csr")


# ----------------------------------------------------------------------
# W1 growth


def _w1_build(system, ops, n):
    if system == "graphstore":
        from graphstore import GraphStore

        g = GraphStore()
        for v, es in enumerate(ops):
            g.add_vertex(v)
            for u, w in es:
                g.add_edge(v, u, weight=w)
        return g
    if system == "floor":
        f = ListFloor()
        for v, es in enumerate(ops):
            f.add_vertex(v)
            for u, w in es:
                f.add_edge(v, u, weight=w)
        return f
    if system == "networkx":
        G = nx.Graph()
        for v, es in enumerate(ops):
            G.add_node(v)
            for u, w in es:
                G.add_edge(v, u, weight=w)
        return G
    if system == "rustworkx":
        import rustworkx as rx

        g = rx.PyGraph(multigraph=False)  # a repeated pair updates its weight
        for v, es in enumerate(ops):
            g.add_node(v)
            for u, w in es:
                g.add_edge(v, u, w)
        return g
    if system == "networkit":
        import networkit as nk

        G = nk.Graph(0, weighted=True)
        for v, es in enumerate(ops):
            G.addNode()
            for u, w in es:
                G.setWeight(v, u, w)  # inserts, or updates a repeated pair
        return G
    if system == "igraph":
        import igraph as ig

        g = ig.Graph()
        for v, es in enumerate(ops):
            g.add_vertex()
            for u, w in es:
                eid = g.get_eid(v, u, error=False)  # a simple graph: update a repeated pair
                if eid >= 0:
                    g.es[eid]["weight"] = w
                else:
                    g.add_edge(v, u, weight=w)
        return g
    if system == "graphblas":
        import graphblas as gb

        M = gb.Matrix(float, 0, 0)
        for v, es in enumerate(ops):
            M.resize(v + 1, v + 1)
            for u, w in es:
                M[v, u] = w
                M[u, v] = w
        return M
    if system in ("scipy lil", "scipy dok"):
        A = (sp.lil_array if system == "scipy lil" else sp.dok_array)((n, n))
        for v, es in enumerate(ops):
            for u, w in es:
                A[v, u] = w
                A[u, v] = w
        return A
    if system == "naive block_array":
        return bench_core.naive_block_growth(ops)
    raise ValueError(system)


def _w1_adjacency(system, out, n):
    if system == "graphstore":
        return out.adjacency()
    if system == "floor":
        return out.csr()
    if system == "networkx":
        return nx.to_scipy_sparse_array(out, nodelist=range(n))
    if system == "rustworkx":
        return rx_csr(out, n)
    if system == "networkit":
        return nk_csr(out, n)
    if system == "igraph":
        return ig_csr(out)
    if system == "graphblas":
        return gb_csr(out)
    return out


W1_NOTES = {
    "floor": "dict + 3 list.append behind add_vertex/add_edge methods (bench_core.ListFloor)",
    "rustworkx": "PyGraph(multigraph=False): add_node + add_edge",
    "networkit": "Graph(weighted=True): addNode + setWeight (insert or update)",
    "igraph": "add_vertex; get_eid, then add_edge or es[eid] update (simple graph)",
    "graphblas": "Matrix.resize per vertex, M[i, j] = w",
    "scipy lil": "preallocated n x n, A[i, j] = w",
    "scipy dok": "preallocated n x n, A[i, j] = w",
    "naive block_array": "sp.block_array([[A, None], [None, 1x1]]) per vertex, then A[i, j] = w",
}
W1_SLOW = ("igraph", "networkit", "graphblas", "scipy lil", "scipy dok", "naive block_array")


def w1(c: Case):
    system, mode = c.system, c.mode
    sizes = SIZES["W1_slow" if system in W1_SLOW else "W1"][mode]
    if system == "networkx" and mode == "full":
        sizes = sizes[:3]  # 10^6: ~30 s a run and ~3 GB
    for n in sizes:
        ops = growth_ops(n)
        rounds = ((0, 2) if n >= 10**6 or (n >= 10**5 and mode == "quick")
                  else (1, 3) if n >= 10**5 else None)
        times, out, over = c.time(lambda: _w1_build(system, ops, n), rounds=rounds)
        src = [v for v, es in enumerate(ops) for _ in es]
        dst = [u for es in ops for u, _ in es]
        wts = [w for es in ops for _, w in es]
        ref = last_wins_csr(n, np.array(src, np.int64), np.array(dst, np.int64), wts)
        c.add(f"n={n:,}", n, times, n, "vertex",
              check=lambda: exact(ref, _w1_adjacency(system, out, n), system),
              note=W1_NOTES.get(system, ""))
        del out
        if over:
            break


# ----------------------------------------------------------------------
# W2 batch ingest


def _w2_run(system, chunks, n):
    """The timed ingest; returns (csr or None, the object, ingest-only seconds or None)."""
    if system == "graphstore":
        from graphstore import GraphStore

        g = GraphStore()
        g.add_vertices(n)
        for s, d, w in chunks:
            g.add_edges(s, d, w)
        return g.adjacency(), None, None
    if system in ("floor", "graphblas"):
        s = np.concatenate([ch[0] for ch in chunks])
        d = np.concatenate([ch[1] for ch in chunks])
        w = np.concatenate([ch[2] for ch in chunks])
        if system == "floor":
            r = np.concatenate([s, d], dtype=np.int32, casting="same_kind")
            cc = np.concatenate([d, s], dtype=np.int32, casting="same_kind")
            return sp.csr_array((np.concatenate([w, w]), (r, cc)), shape=(n, n)), None, None
        import graphblas as gb

        M = gb.Matrix.from_coo(np.concatenate([s, d]), np.concatenate([d, s]),
                               np.concatenate([w, w]), nrows=n, ncols=n,
                               dup_op=gb.binary.second)
        return gb_csr(M), None, None
    if system == "networkx":
        G = nx.Graph()
        G.add_nodes_from(range(n))
        for s, d, w in chunks:
            G.add_weighted_edges_from(zip(s.tolist(), d.tolist(), w.tolist()))
        return nx.to_scipy_sparse_array(G), None, None
    t0 = time.perf_counter()
    if system == "rustworkx":
        import rustworkx as rx

        g = rx.PyGraph(multigraph=False)
        g.add_nodes_from(range(n))
        for s, d, w in chunks:
            g.add_edges_from(list(zip(s.tolist(), d.tolist(), w.tolist())))
        t_ingest = time.perf_counter() - t0
        return rx_csr(g, n), g, t_ingest
    if system == "igraph":
        import igraph as ig

        g = ig.Graph(n)
        for s, d, w in chunks:
            g.add_edges(np.column_stack([s, d]), attributes={"weight": w})
        t_ingest = time.perf_counter() - t0
        return ig_csr(g), g, t_ingest
    if system == "networkit":
        import networkit as nk

        G = nk.Graph(n, weighted=True)
        for s, d, w in chunks:
            G.addEdges((w, (s, d)))
        return None, G, time.perf_counter() - t0  # its CSR export is a Python lil loop
    if system == "scipy lil":
        A = sp.lil_array((n, n))
        for s, d, w in chunks:
            A[s, d] = w
            A[d, s] = w
        return A.tocsr(), None, None
    if system == "scipy csr += chunk":
        A = sp.csr_array((n, n))
        for s, d, w in chunks:
            A = A + sp.csr_array((np.concatenate([w, w]), (np.concatenate([s, d]),
                                                           np.concatenate([d, s]))), shape=(n, n))
        return A, None, None
    raise ValueError(system)


W2_NOTES = {
    "graphstore": "add_vertices(n); add_edges per chunk; adjacency()",
    "floor": "np.concatenate + sp.csr_array((w, (r, c))) both directions, int32",
    "networkx": "add_weighted_edges_from per chunk + to_scipy_sparse_array",
    "rustworkx": "PyGraph.add_edges_from(tuples) per chunk + CSR from edge_list()/edges()",
    "igraph": "Graph.add_edges(array, weight) per chunk + get_adjacency_sparse",
    "networkit": "Graph.addEdges((w, (s, d))) per chunk; ingest only (its CSR export "
                 "algebraic.adjacencyMatrix is a Python loop over a lil)",
    "graphblas": "Matrix.from_coo(dup_op=second) + io.to_scipy_sparse",
    "scipy lil": "lil_array fancy assignment per chunk, then tocsr()",
    "scipy csr += chunk": "A = A + csr(chunk) per chunk (O(nnz) each)",
}


def w2(c: Case):
    system, mode = c.system, c.mode
    sizes = SIZES["W2"][mode]
    if system in ("networkx", "scipy lil", "scipy csr += chunk") and mode == "full":
        sizes = sizes[:1]
    for n, m in sizes:
        src, dst, w = random_edges(n, m, SEED + 2)
        chunks = chunked(src, dst, w, m)
        ref = symmetric_csr(n, src, dst, w)
        ingest = []

        def run():
            A, obj, t_ing = _w2_run(system, chunks, n)
            if t_ing is not None:
                ingest.append(t_ing)
            return A, obj

        big = m >= 10**6
        times, out, _ = c.time(run, rounds=(1, 3) if big else None)
        A, obj = out
        label = f"n={n:,} m={m:,}"
        if system == "networkit":
            c.add(label, m, ingest[-len(times):], m, "edge", note=W2_NOTES[system],
                  check=lambda: exact(ref, nk_csr(obj, n), system), system="networkit ingest")
            continue
        ok = c.add(label, m, times, m, "edge", check=lambda: exact(ref, A, system),
                   note=W2_NOTES.get(system, ""))
        if ingest and ok:
            c.add(label, m, ingest[-len(times):], m, "edge", system=f"{system} ingest",
                  note="the same ingest, without the CSR")
        del A, obj, out


# ----------------------------------------------------------------------
# W3 snapshot after a small mutation


class W3Inputs:
    def __init__(self, n, m, k=1_000):
        k = min(k, max(1, m // 10))
        self.n, self.m, self.k = n, m, k
        src, dst, w = random_edges(n, m + k, SEED + 3)
        self.base = (src[:m], dst[:m], w[:m])
        self.delta_arrays = (src[m:], dst[m:], w[m:] + 1.0)
        self.delta = list(zip(*(a.tolist() for a in self.delta_arrays)))
        B = symmetric_csr(n, *self.base)
        self.csr = (B.indptr.astype(np.int32), B.indices.astype(np.int32), B.data)
        self.ref = symmetric_csr(n, src, dst, np.concatenate([w[:m], w[m:] + 1.0]))


def w3(c: Case):
    system, mode = c.system, c.mode
    for n, m in SIZES["W3"][mode]:
        I = W3Inputs(n, m)
        k = I.k
        label = f"n={n:,} m={m:,} +{k:,}"
        rows = []  # (system name, prepare, run, note)
        if system == "graphstore":
            from graphstore import GraphStore

            def merged():
                g = GraphStore()
                g.add_vertices(n)
                g.add_edges(*I.base)
                g.adjacency()
                return g

            def mutated():
                g = merged()
                for u, v, w in I.delta:
                    g.add_edge(u, v, weight=w)
                return g

            def full(g):
                for u, v, w in I.delta:
                    g.add_edge(u, v, weight=w)
                return g.adjacency()

            rows = [("graphstore adjacency()", mutated, lambda g: g.adjacency(),
                     f"the {k:,} add_edge calls untimed; times the merge + CSR"),
                    ("graphstore", merged, full, f"add_edge x{k:,} + adjacency()")]
        elif system == "floor":
            def floor(_):
                ds, dd, dw = I.delta_arrays
                r, cc, w = np.r_[ds, dd], np.r_[dd, ds], np.r_[dw, dw]
                o = np.lexsort((cc, r))
                return merge_sorted_delta(*I.csr, r[o], cc[o], w[o], n)

            rows = [("floor", lambda: None, floor,
                     "delta arrays mirrored, lexsort, binary search, np.insert, indptr")]
        elif system == "networkx":
            G0 = nx.Graph()
            G0.add_nodes_from(range(n))
            G0.add_weighted_edges_from(zip(*(a.tolist() for a in I.base)))

            def nxrun(G):
                for u, v, w in I.delta:
                    G.add_edge(u, v, weight=w)
                return nx.to_scipy_sparse_array(G)

            rows = [("networkx", G0.copy, nxrun, f"add_edge x{k:,} + to_scipy_sparse_array")]
        elif system == "rustworkx":
            import rustworkx as rx

            def rxprep():
                g = rx.PyGraph(multigraph=False)
                g.add_nodes_from(range(n))
                g.add_edges_from(list(zip(*(a.tolist() for a in I.base))))
                return g

            def rxrun(g):
                g.add_edges_from(I.delta)
                return rx_csr(g, n)

            rows = [("rustworkx", rxprep, rxrun, "add_edges_from(delta) + CSR from edge_list()")]
        elif system == "igraph":
            import igraph as ig

            def igprep():
                g = ig.Graph(n)
                g.add_edges(np.column_stack(I.base[:2]), attributes={"weight": I.base[2]})
                return g

            def igrun(g):
                ds, dd, dw = I.delta_arrays
                g.add_edges(np.column_stack([ds, dd]), attributes={"weight": dw})
                return ig_csr(g)

            rows = [("igraph", igprep, igrun, "add_edges(delta) + get_adjacency_sparse")]
        elif system == "graphblas":
            import graphblas as gb

            s, d, w = I.base

            def gbprep():
                M = gb.Matrix.from_coo(np.r_[s, d], np.r_[d, s], np.r_[w, w], nrows=n, ncols=n)
                M.wait()
                return M

            def gbrun(M):
                ds, dd, dw = I.delta_arrays
                D = gb.Matrix.from_coo(np.r_[ds, dd], np.r_[dd, ds], np.r_[dw, dw],
                                       nrows=n, ncols=n)
                M(accum=gb.binary.second) << D
                return gb_csr(M)

            rows = [("graphblas", gbprep, gbrun,
                     "from_coo(delta); M(accum=second) << D; to_scipy_sparse")]
        elif system == "scipy csr + delta":
            B = sp.csr_array((I.csr[2], I.csr[1], I.csr[0]), shape=(n, n))

            def sprun(_):
                ds, dd, dw = I.delta_arrays
                return B + sp.csr_array((np.r_[dw, dw], (np.r_[ds, dd], np.r_[dd, ds])),
                                        shape=(n, n))

            rows = [("scipy csr + delta", lambda: None, sprun, "B + csr(delta), O(nnz)")]
        for name, prep, run, note in rows:
            times, out, _ = c.time(run, prepare=prep)
            c.add(label, m, times, 1, "snapshot", check=lambda: exact(I.ref, out, name),
                  note=note, system=name)
            del out


# ----------------------------------------------------------------------
# W4 Laplacians


def w4_graph(n, m):
    """Random undirected graph, every vertex of degree >= 1 (isolated ones joined to v+1)."""
    src, dst, w = random_edges(n, m, SEED + 4)
    deg = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    iso = np.flatnonzero(deg == 0)
    src = np.r_[src, iso]
    dst = np.r_[dst, (iso + 1) % n]
    w = np.r_[w, np.ones(len(iso))]
    return src, dst, w


def laplacian_ref(A, kind):
    """The floor: diags(d) - A, and I - D^-1/2 A D^-1/2 by scaling the stored values."""
    d = A.sum(axis=1)
    if kind == "combinatorial":
        return sp.diags_array(d) - A
    h = 1 / np.sqrt(d)
    rows = np.repeat(np.arange(A.shape[0]), np.diff(A.indptr))
    S = sp.csr_array((A.data * h[rows] * h[A.indices], A.indices, A.indptr), shape=A.shape)
    return sp.identity(A.shape[0], format="csr") - S


W4_NOTES = {
    "graphstore": "g.laplacian(kind) on a merged store",
    "floor": "sp.diags_array(d) - A; sym: stored values scaled by d^-1/2, I - S",
    "csgraph": "scipy.sparse.csgraph.laplacian(A, normed=)",
    "networkx": "laplacian_matrix / normalized_laplacian_matrix (smaller graph)",
    "igraph": "Graph.laplacian(weights, normalized=) -> dense list of lists (small graph)",
    "networkit": "algebraic.laplacianMatrix = adjacencyMatrix (Python lil loop) + csgraph; "
                 "no sym (smaller graph)",
    "graphblas": "reduce_rowwise, diag(d) - A, to_scipy_sparse; no sym",
}


def w4(c: Case):
    system, mode = c.system, c.mode
    key = {"networkx": "W4_small", "networkit": "W4_small", "igraph": "W4_dense"}.get(system, "W4")
    for n, m in SIZES[key][mode]:
        src, dst, w = w4_graph(n, m)
        A = symmetric_csr(n, src, dst, w)
        m_eff = len(src)
        label = f"n={n:,} m={m:,}"
        kinds = ("combinatorial", "sym")
        runs = {}
        if system == "graphstore":
            from graphstore import GraphStore

            g = GraphStore()
            g.add_vertices(n)
            g.add_edges(src, dst, w)
            g.adjacency()
            runs = {k: (lambda k=k: g.laplacian(k)) for k in kinds}
        elif system == "floor":
            runs = {k: (lambda k=k: laplacian_ref(A, k)) for k in kinds}
        elif system == "csgraph":
            from scipy.sparse import csgraph

            runs = {k: (lambda k=k: csgraph.laplacian(A, normed=k == "sym")) for k in kinds}
        elif system == "networkx":
            G = nx.Graph()
            G.add_nodes_from(range(n))
            G.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), w.tolist()))
            runs = {"combinatorial": lambda: nx.laplacian_matrix(G),
                    "sym": lambda: nx.normalized_laplacian_matrix(G)}
        elif system == "igraph":
            import igraph as ig

            gi = ig.Graph(n)
            gi.add_edges(np.column_stack([src, dst]), attributes={"weight": w})
            runs = {k: (lambda k=k: np.array(gi.laplacian(
                weights="weight", normalized="symmetric" if k == "sym" else "unnormalized")))
                for k in kinds}
        elif system == "networkit":
            import networkit as nk

            G = nk.Graph(n, weighted=True)
            G.addEdges((w, (src, dst)))
            runs = {"combinatorial": lambda: nk.algebraic.laplacianMatrix(G)}
        elif system == "graphblas":
            import graphblas as gb

            M = gb.Matrix.from_coo(np.r_[src, dst], np.r_[dst, src], np.r_[w, w],
                                   nrows=n, ncols=n)
            M.wait()

            def gbl():
                d = M.reduce_rowwise(gb.monoid.plus).new()
                L = d.diag().ewise_add(M.apply(gb.unary.ainv).new(), gb.binary.plus).new()
                return gb_csr(L)

            runs = {"combinatorial": gbl}
        for k in kinds:
            case = f"{k} {label}"
            if k not in runs:
                c.skip(case, "not available (no such Laplacian)", m_eff)
                continue
            times, out, _ = c.time(runs[k])
            ref = laplacian_ref(A, k)
            c.add(case, m_eff, times, m_eff, "edge", check=lambda: close(ref, out, 1e-12, k),
                  note=W4_NOTES.get(system, ""))
            del out


# ----------------------------------------------------------------------
# W5 sparse diff


def stencil(order):
    from math import comb

    return [float((-1) ** (order - k) * comb(order, k)) for k in range(order + 1)]


def direct_diags(L, order, format="dia"):
    """np.diff(identity(L), order, axis=1) written down: entry (i, j) = stencil[i - j].

    In the format of ``sp.identity(L)`` (dia), the format diff returns for it.
    """
    return sp.diags_array(stencil(order), offsets=[-k for k in range(order + 1)],
                          shape=(L, L - order), format=format)


def first_order(L):
    """The (L, L - 1) matrix D with x @ D == np.diff(x, axis=1)."""
    return sp.diags_array([-1.0, 1.0], offsets=[0, -1], shape=(L, L - 1), format="csr")


def iterative_diff(x, order):
    """order first-order COO differences along axis 1, each followed by sum_duplicates."""
    x = x.tocoo()
    for _ in range(order):
        N = x.shape[1]
        lo, hi = x.col < N - 1, x.col >= 1
        row = np.r_[x.row[lo], x.row[hi]]
        col = np.r_[x.col[lo], x.col[hi] - 1]
        x = sp.coo_array((np.r_[-x.data[lo], x.data[hi]], (row, col)), shape=(x.shape[0], N - 1))
        x.sum_duplicates()
        x.eliminate_zeros()
    return x.tocsr()


def _w5_run(system, I, L, order):
    if system == "graphstore":
        from graphstore import operators

        return operators.diff(I, order)
    if system == "floor":
        return direct_diags(L, order)
    if system == "dense np.diff":
        return np.diff(I, order, axis=1)
    if system == "binomial":  # the stencil's binomial coefficients as a band, one product
        from scipy.special import comb

        coef = [(-1) ** (order - k) * comb(order, k, exact=True) for k in range(order + 1)]
        B = sp.diags_array([float(x) for x in coef], offsets=[-k for k in range(order + 1)],
                           shape=(L, L - order), format="csr")
        return I @ B
    if system == "pascal":  # the product of first-order differences builds Pascal's row
        D = first_order(L)
        for k in range(1, order):
            D = D @ first_order(L - k)
        return I @ D
    if system == "iterative":
        return iterative_diff(I, order)
    raise ValueError(system)


W5_NOTES = {
    "graphstore": "graphstore.operators.diff(I, n)",
    "floor": "sp.diags_array(stencil, offsets, shape) written down (direct diags, dia)",
    "dense np.diff": "np.diff(I.toarray(), n, axis=1) (small L)",
    "binomial": "I @ band of binomial coefficients (scipy.special.comb)",
    "pascal": "I @ (D1 @ D1 @ ...) (first-order matrices multiplied: Pascal's row)",
    "iterative": "n first-order COO diffs, each with sum_duplicates",
}


def w5(c: Case):
    system, mode = c.system, c.mode
    sizes = SIZES["W5_dense" if system == "dense np.diff" else "W5"][mode]
    for L in sizes:
        I = sp.identity(L)  # dia, scipy's default, as the issue states the case
        if system == "dense np.diff":
            I = I.toarray()
        for order in (1, 2, 3):
            rounds = (1, 5) if mode == "full" and L >= 10**5 else None
            times, out, _ = c.time(lambda: _w5_run(system, I, L, order), rounds=rounds)
            ref = direct_diags(L, order, format="csr")
            c.add(f"L={L:,} n={order}", L, times, L, "row",
                  check=lambda: exact(ref, sp.csr_array(out), system), note=W5_NOTES[system])
            del out


# ----------------------------------------------------------------------
# W6 point queries


def w6(c: Case):
    system, mode = c.system, c.mode
    (n, m), calls = SIZES["W6"][mode]
    if system in ("graphblas", "scipy dok", "igraph"):
        calls = max(min(calls, calls // 10), 100)  # tens of us a call
    src, dst, w = random_edges(n, m, SEED + 6)
    rng = np.random.default_rng(SEED + 7)
    pick = rng.integers(0, m, calls)
    flip = rng.random(calls) < 0.5
    eu, ev = np.where(flip, dst[pick], src[pick]), np.where(flip, src[pick], dst[pick])
    existing = list(zip(eu.tolist(), ev.tolist()))
    au, av = rng.integers(0, n, calls), rng.integers(0, n, calls)
    mixed = [existing[i] if i % 2 == 0 else (int(au[i]), int(av[i])) for i in range(calls)]
    verts = rng.integers(0, n, calls).tolist()
    # reference answers from numpy/scipy
    A = symmetric_csr(n, src, dst, w)
    wmap = dict(zip(zip(np.minimum(src, dst).tolist(), np.maximum(src, dst).tolist()),
                    w.tolist()))
    ref_has = [(min(u, v), max(u, v)) in wmap for u, v in mixed]
    ref_w = [wmap[min(u, v), max(u, v)] for u, v in existing]
    ref_nb = [sorted(A.indices[A.indptr[u]:A.indptr[u + 1]].tolist()) for u in verts]

    if system == "graphstore":
        from graphstore import GraphStore

        g = GraphStore()
        g.add_vertices(n)
        g.add_edges(src, dst, w)
        g.adjacency()
        has, wt, nb = g.has_edge, g.weight, g.neighbors
    elif system == "networkx":
        G = nx.Graph()
        G.add_nodes_from(range(n))
        G.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), w.tolist()))
        has, nb = G.has_edge, G.neighbors
        wt = lambda u, v: G[u][v]["weight"]  # noqa: E731
    elif system == "floor":
        d = {}
        adj = [[] for _ in range(n)]
        for u, v, x in zip(src.tolist(), dst.tolist(), w.tolist()):
            d[u, v] = d[v, u] = x
            adj[u].append(v)
            adj[v].append(u)
        has = lambda u, v: (u, v) in d  # noqa: E731
        wt = lambda u, v: d[u, v]  # noqa: E731
        nb = adj.__getitem__
    elif system == "rustworkx":
        import rustworkx as rx

        gr = rx.PyGraph(multigraph=False)
        gr.add_nodes_from(range(n))
        gr.add_edges_from(list(zip(src.tolist(), dst.tolist(), w.tolist())))
        has, wt, nb = gr.has_edge, gr.get_edge_data, gr.neighbors
    elif system == "igraph":
        import igraph as ig

        gi = ig.Graph(n)
        gi.add_edges(np.column_stack([src, dst]), attributes={"weight": w})
        has = lambda u, v: gi.get_eid(u, v, error=False) >= 0  # noqa: E731
        wt = lambda u, v: gi.es[gi.get_eid(u, v)]["weight"]  # noqa: E731
        nb = gi.neighbors
    elif system == "networkit":
        import networkit as nk

        Gk = nk.Graph(n, weighted=True)
        Gk.addEdges((w, (src, dst)))
        has, wt, nb = Gk.hasEdge, Gk.weight, Gk.iterNeighbors
    elif system == "graphblas":
        import graphblas as gb

        M = gb.Matrix.from_coo(np.r_[src, dst], np.r_[dst, src], np.r_[w, w], nrows=n, ncols=n)
        M.wait()
        has = lambda u, v: M[u, v].get() is not None  # noqa: E731
        wt = lambda u, v: M[u, v].get()  # noqa: E731
        nb = lambda u: M[u, :].new().to_coo()[0].tolist()  # noqa: E731
    elif system == "scipy dok":
        D = sp.dok_array(A)
        has = lambda u, v: (u, v) in D  # noqa: E731
        wt = D.__getitem__
        wt = lambda u, v: D[u, v]  # noqa: E731
        nb = None

    def loop_has():
        for u, v in mixed:
            has(u, v)

    def loop_wt():
        for u, v in existing:
            wt(u, v)

    def loop_nb():
        for u in verts:
            list(nb(u))

    label = f"n={n:,} m={m:,}"
    for kind, loop, answers, ref in (
            ("has_edge", loop_has, lambda: [bool(has(u, v)) for u, v in mixed], ref_has),
            ("weight", loop_wt, lambda: [float(wt(u, v)) for u, v in existing], ref_w),
            ("neighbors", loop_nb, lambda: [sorted(int(x) for x in nb(u)) for u in verts],
             ref_nb)):
        case = f"{kind} {label}"
        if kind == "neighbors" and nb is None:
            c.skip(case, "not available (no row access on dok)")
            continue
        times, _, _ = c.time(loop)

        def check(answers=answers, ref=ref):
            got = answers()
            if got != ref:
                i = next(i for i, (a, b) in enumerate(zip(got, ref)) if a != b)
                raise AssertionError(f"call {i}: {got[i]!r} != {ref[i]!r}")

        c.add(case, calls, times, calls, "call", check=check)


# ----------------------------------------------------------------------
# MEM


def _mem_build(system, n, src, dst, w):
    """Build `system` as bench_core does, and say how to export its adjacency."""
    m = len(src)
    step = min(CHUNK, max(1, m // 5))

    def chunks():
        for i in range(0, m, step):
            yield np.array(src[i:i + step]), np.array(dst[i:i + step]), np.array(w[i:i + step])

    if system in ("graphstore", "floor", "networkx", "rustworkx", "graphblas"):
        built, _ = bench_core._mem_build(system, n, src, dst, w, chunk=step)
        export = {
            "graphstore": lambda: built[0].adjacency(),
            "floor": lambda: built,
            "networkx": lambda: nx.to_scipy_sparse_array(built, nodelist=range(n)),
            "rustworkx": lambda: rx_csr(built, n),
            "graphblas": lambda: gb_csr(built),
        }[system]
        return built, export
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
    raise ValueError(system)


def mem(c: Case):
    system, mode = c.system, c.mode
    n, m = SIZES["MEM_nx" if system == "networkx" else "MEM"][mode]
    for mod in NEEDS.get(system, []):
        __import__(mod)  # imported before the baseline
    with tempfile.TemporaryDirectory(prefix="graphstore-mem-") as tmp:
        arrs = random_edges(n, m, SEED + 2)
        paths = []
        for name, a in zip(("src", "dst", "w"), arrs):
            paths.append(os.path.join(tmp, name + ".npy"))
            np.save(paths[-1], a)
        del arrs, a
        src, dst, w = (np.load(p, mmap_mode="r") for p in paths)
        _trim()
        before = anon_rss()
        obj, export = _mem_build(system, n, src, dst, w)
        _trim()
        after = anon_rss()
        ref = symmetric_csr(n, np.array(src), np.array(dst), np.array(w))
        per = (after - before) / m
        c.add(f"n={n:,} m={m:,}", m, [per], 1, "edge", check=lambda: exact(ref, export(), system),
              note=f"{(after - before) / 2**20:,.0f} MiB anonymous RSS")
        del obj, export


WORKLOADS = {"W1": w1, "W2": w2, "W3": w3, "W4": w4, "W5": w5, "W6": w6, "MEM": mem}


def run_case(workload, system, mode="quick"):
    """Run one (workload, system) in this process; return its rows (what a child prints)."""
    c = Case(workload, system, mode)
    WORKLOADS[workload](c)
    return c.rows


# ----------------------------------------------------------------------
# parent: environment, children, table, targets, plots


def _version(mod, dist=None):
    try:
        from importlib.metadata import version

        return version(dist or mod)
    except Exception:  # noqa: BLE001
        return "not installed"


def environment():
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        memgib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        memgib = float("nan")

    def git(*a):
        try:
            return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True,
                                  timeout=10).stdout.strip()
        except Exception:  # noqa: BLE001
            return ""

    dirty = git("status", "--porcelain", "--", "graphstore")
    env = {"python": platform.python_version()}
    for dist in ("numpy", "scipy", "networkx", "graphstore", "rustworkx", "python-igraph",
                 "networkit", "python-graphblas", "psutil", "matplotlib"):
        env[dist] = _version(dist)
    env.update({
        "graphstore_commit": (git("rev-parse", "--short", "HEAD") or "?")
        + (" + uncommitted changes in graphstore/" if dirty else ""),
        "platform": platform.platform(), "cpu": cpu,
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "memory_gib": round(memgib, 1),
        "loadavg_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    })
    return env


def run_child(workload, system, mode, timeout):
    """Run one (workload, system) in a fresh interpreter; return its rows."""
    cmd = [sys.executable, "-m", "benchmarks.compare", "--child", workload, system, mode]
    envv = dict(os.environ)
    envv["PYTHONPATH"] = ROOT + os.pathsep + envv.get("PYTHONPATH", "")
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, cwd=ROOT, env=envv, capture_output=True, text=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return [{"workload": workload, "case": "-", "x": None, "system": system, "times": [],
                 "units": 1, "unit": "", "status": f"FAILED: timed out after {timeout} s",
                 "note": ""}], time.perf_counter() - t0
    lines = [l for l in p.stdout.splitlines() if l.startswith("{\"rows\"")]
    if p.returncode != 0 or not lines:
        err = (p.stderr.strip().splitlines() or ["no output"])[-1]
        return [{"workload": workload, "case": "-", "x": None, "system": system, "times": [],
                 "units": 1, "unit": "", "status": f"FAILED: {err}"[:300], "note": ""}], \
            time.perf_counter() - t0
    return json.loads(lines[-1])["rows"], time.perf_counter() - t0


def med(r):
    return statistics.median(r["times"]) if r["times"] else None


def per_unit(r):
    m = med(r)
    return None if m is None else m / r["units"]


def fmt_time(t):
    if t is None or not math.isfinite(t):
        return "-"
    for scale, unit in ((1, "s"), (1e-3, "ms"), (1e-6, "us")):
        if t >= scale:
            return f"{t / scale:.3g} {unit}" if t / scale < 100 else f"{t / scale:.0f} {unit}"
    return f"{t * 1e9:.0f} ns"


def fmt_ratio(x):
    if x is None:
        return "-"
    return f"{x:.0f}" if x >= 100 else f"{x:.2f}" if x >= 0.1 else f"{x:.3f}"


def ref_rows(rows):
    """(workload, case) -> {system: row}, over rows with times."""
    by = {}
    for r in rows:
        if r["times"]:
            by.setdefault((r["workload"], r["case"]), {})[r["system"]] = r
    return by


def ratios(r, by):
    """(this/floor, networkx/this) of row r at its case, or None."""
    peers = by.get((r["workload"], r["case"]), {})
    pu = per_unit(r)
    fl = peers.get("floor")
    nxr = peers.get("networkx")
    if r["workload"] == "W3":
        fl = peers.get("floor")
    a = pu / per_unit(fl) if fl and pu else None
    b = per_unit(nxr) / pu if nxr and pu else None
    return a, b


def table(rows, workload):
    by = ref_rows(rows)
    out = [f"\n== {TITLES[workload]}"]
    if workload == "MEM":
        hdr = f"{'size':<26} {'system':<26} {'bytes/edge':>11}  note"
        out += [hdr, "-" * len(hdr)]
        for r in rows:
            if r["workload"] != "MEM":
                continue
            v = f"{r['times'][0]:.1f}" if r["times"] else r["status"]
            out.append(f"{r['case']:<26} {r['system']:<26} {v:>11}  {r['note']}")
        return "\n".join(out)
    hdr = (f"{'case':<30} {'system':<28} {'median':>9} {'spread (min..max)':>19} "
           f"{'per unit':>13} {'this/floor':>10} {'nx/this':>8}")
    out += [hdr, "-" * len(hdr)]
    for r in rows:
        if r["workload"] != workload:
            continue
        if not r["times"]:
            out.append(f"{r['case']:<30} {r['system']:<28} {r['status']}")
            continue
        a, b = ratios(r, by)
        ts = r["times"]
        spread = f"{fmt_time(min(ts))}..{fmt_time(max(ts))}"
        pu = f"{fmt_time(per_unit(r))}/{r['unit']}" if r["units"] > 1 else ""
        out.append(f"{r['case']:<30} {r['system']:<28} {fmt_time(med(r)):>9} {spread:>19} "
                   f"{pu:>13} {fmt_ratio(a):>10} {fmt_ratio(b):>8}  {r['note']}")
    return "\n".join(out)


def fit_exponent(pts):
    """Slope of log(total time) against log(n): total ~ n^slope."""
    if len(pts) < 2:
        return None
    x, y = np.log([p[0] for p in pts]), np.log([p[1] for p in pts])
    return float(np.polyfit(x, y, 1)[0])


def w1_curves(rows):
    """system -> [(n, median total seconds, min per-vertex seconds)] for W1."""
    cur = {}
    for r in rows:
        if r["workload"] == "W1" and r["times"]:
            cur.setdefault(r["system"], []).append((r["x"], med(r), min(r["times"]) / r["units"]))
    return {k: sorted(v) for k, v in cur.items()}


def targets(rows):
    """Each issue-4 target: name, value, bound, met, detail."""
    by = ref_rows(rows)
    out = []

    def T(name, value, op, bound, unit="x", detail=""):
        if value is None:
            out.append({"target": name, "value": None, "op": op, "bound": bound, "unit": unit,
                        "met": None, "detail": detail or "not measured"})
            return
        met = value <= bound if op == "<=" else value >= bound if op == ">=" else value > bound
        out.append({"target": name, "value": value, "op": op, "bound": bound, "unit": unit,
                    "met": bool(met), "detail": detail})

    def pu(wl, case, system):
        r = by.get((wl, case), {}).get(system)
        return per_unit(r) if r else None

    def rat(a, b):
        return a / b if a is not None and b is not None else None

    def largest(wl, system, pred=lambda case: True):
        cases = [(r["x"], r["case"]) for r in rows if r["workload"] == wl
                 and r["system"] == system and r["times"] and pred(r["case"])]
        return max(cases)[1] if cases else None

    # W1
    cur = w1_curves(rows)
    c5 = "n=100,000"
    T("W1 n=10^5: graphstore >= 3x faster than networkx",
      rat(pu("W1", c5, "networkx"), pu("W1", c5, "graphstore")), ">=", 3)
    cw = max((n for n, *_ in cur.get("rustworkx", []) if n in dict(
        (k, 1) for k, *_ in cur.get("graphstore", []))), default=None)
    if cw:
        case = f"n={cw:,}"
        T(f"W1 {case}: graphstore within 3x of rustworkx",
          rat(pu("W1", case, "graphstore"), pu("W1", case, "rustworkx")), "<=", 3)
    gsc = cur.get("graphstore", [])
    if len(gsc) >= 2:
        mins = [p[2] for p in gsc]
        T(f"W1 graphstore per-vertex cost flat, n={gsc[0][0]:,}..{gsc[-1][0]:,} "
          "(max/min of per-vertex min time)", max(mins) / min(mins), "<=", 1.5,
          detail=", ".join(f"{p[2] * 1e6:.2f} us @ {p[0]:,}" for p in gsc)
          + "; growth exponents: " + ", ".join(
              f"{s} n^{fit_exponent([(p[0], p[1]) for p in v]):.2f}"
              for s, v in cur.items() if len(v) >= 2))
    # W2
    case = largest("W2", "graphstore")
    if case:
        T(f"W2 {case}: graphstore within 1.5x of the floor",
          rat(pu("W2", case, "graphstore"), pu("W2", case, "floor")), "<=", 1.5)
        for other in ("rustworkx ingest", "rustworkx", "graphblas"):
            v = rat(pu("W2", case, other), pu("W2", case, "graphstore"))
            T(f"W2 {case}: graphstore faster than {other} ({other}/graphstore)", v, ">", 1)
    # W3
    case = largest("W3", "graphstore")
    if case:
        T(f"W3 {case}: adjacency() within 2x of the sorted-delta merge",
          rat(pu("W3", case, "graphstore adjacency()"), pu("W3", case, "floor")), "<=", 2)
        T(f"W3 {case}: add_edge x1000 + adjacency() faster than graphblas (gb/gs)",
          rat(pu("W3", case, "graphblas"), pu("W3", case, "graphstore")), ">", 1)
    # W4
    for k in ("combinatorial", "sym"):
        case = largest("W4", "graphstore", lambda s, k=k: s.startswith(k))
        if case:
            T(f"W4 {case}: graphstore within 1.5x of the floor",
              rat(pu("W4", case, "graphstore"), pu("W4", case, "floor")), "<=", 1.5)
            T(f"W4 {case}: graphstore faster than csgraph.laplacian (csgraph/gs)",
              rat(pu("W4", case, "csgraph"), pu("W4", case, "graphstore")), ">", 1)
    # W5
    Ls = sorted({r["x"] for r in rows if r["workload"] == "W5" and r["system"] == "graphstore"
                 and r["times"]})
    if Ls:
        L = Ls[-1]
        for order in (1, 2, 3):
            case = f"L={L:,} n={order}"
            T(f"W5 {case}: graphstore within 1.5x of direct diags",
              rat(pu("W5", case, "graphstore"), pu("W5", case, "floor")), "<=", 1.5)
        case = f"L={L:,} n=3"
        T(f"W5 {case}: graphstore >= 3x faster than iterative first-order",
          rat(pu("W5", case, "iterative"), pu("W5", case, "graphstore")), ">=", 3)
    # W6
    for r in rows:
        if r["workload"] == "W6" and r["system"] == "graphstore" and r["times"]:
            v = rat(per_unit(r), pu("W6", r["case"], "networkx"))
            nxr = pu("W6", r["case"], "networkx")
            T(f"W6 {r['case'].split()[0]}: graphstore no slower than 1.5x networkx per call",
              v, "<=", 1.5, detail=f"{per_unit(r) * 1e9:.0f} vs "
                                   f"{nxr * 1e9:.0f} ns per call" if nxr else "")
    # MEM
    for r in rows:
        if r["workload"] == "MEM" and r["system"] == "graphstore" and r["times"]:
            nxm = [x for x in rows if x["workload"] == "MEM" and x["system"] == "networkx"
                   and x["times"]]
            T(f"MEM {r['case']}: graphstore <= 40 bytes per edge", r["times"][0], "<=", 40,
              " B/edge", detail=(f"networkx {nxm[0]['times'][0]:.0f} B/edge at {nxm[0]['case']}"
                                 if nxm else ""))
    return out


def format_targets(ts):
    lines = ["\n== Targets (issue 4)"]
    for t in ts:
        if t["value"] is None:
            lines.append(f"  [  n/a  ] {t['target']}: {t['detail']}")
            continue
        u = t["unit"]
        fig = f"{t['value']:.2f}{u}"
        tag = "met" if t["met"] else "NOT MET"
        det = f"  ({t['detail']})" if t["detail"] else ""
        lines.append(f"  [{tag:>7}] {t['target']}: {fig} (target {t['op']} {t['bound']:g}{u})"
                     f"{det}")
    return "\n".join(lines)


def plots(rows, outdir):
    """W1 log-log per-vertex curve, bars of time ratios for W2-W6, memory per edge."""
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    # W1
    cur = w1_curves(rows)
    if cur:
        fig, ax = plt.subplots(figsize=(10, 5.5))
        others = iter(["C0", "C1", "C2", "C4", "C5", "C6", "C7", "C8", "C9", "C0", "C1"])
        for s, pts in sorted(cur.items(), key=lambda kv: kv[0] != "graphstore"):
            xs = [p[0] for p in pts]
            ys = [p[1] / p[0] * 1e6 for p in pts]
            e = fit_exponent([(p[0], p[1]) for p in pts])
            lab = s + (f" (total ~ n^{e:.2f})" if e is not None else "")
            if s == "graphstore":
                st = dict(lw=3, color="C3", marker="o", zorder=5)
            elif s == "naive block_array":
                st = dict(lw=2, color="k", marker="s", ls="--")
            else:
                st = dict(marker="o", ms=4, lw=1.3, color=next(others))
            ax.loglog(xs, ys, **st, label=lab)
        ax.set_xlabel("graph size n (vertices; 5 add_edge calls each)")
        ax.set_ylabel("time per vertex (us), median")
        ax.set_title("W1 growth one call at a time: cost per added vertex")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        fig.tight_layout()
        p = os.path.join(outdir, "w1_growth.png")
        fig.savefig(p, dpi=110)
        plt.close(fig)
        written.append(p)
    # W2-W6 ratio bars: per case at the largest size, time relative to the floor
    # (W6: relative to networkx)
    by = ref_rows(rows)
    panels = []
    for wl in ("W2", "W3", "W4", "W5", "W6"):
        cases = {}
        for (w, case), peers in by.items():
            if w != wl or "graphstore" not in peers:
                continue
            key = case.split(" n=")[0] if wl == "W4" else case.split()[0] if wl == "W6" else \
                case.split(" n=")[-1] if wl == "W5" else "all"
            x = peers["graphstore"]["x"] or 0
            if key not in cases or x > cases[key][0]:
                cases[key] = (x, case)
        for key, (_, case) in sorted(cases.items()):
            peers = by[(wl, case)]
            base = "networkx" if wl == "W6" else "floor"
            if base not in peers:
                continue
            b = per_unit(peers[base])
            vals = {s: per_unit(r) / b for s, r in peers.items()}
            label = f"{wl} {case}" if wl != "W5" else f"W5 {case}"
            panels.append((label, base, vals))
    if panels:
        ncol = 3
        nrow = -(-len(panels) // ncol)
        fig, axes = plt.subplots(nrow, ncol, figsize=(15, 3.9 * nrow), squeeze=False)
        for ax, (label, base, vals) in zip(axes.flat, panels):
            items = sorted(vals.items(), key=lambda kv: kv[1])
            names = [k for k, _ in items]
            ys = [v for _, v in items]
            colors = ["C3" if n.startswith("graphstore") else "0.6" if n == base else "C0"
                      for n in names]
            ax.barh(names, ys, color=colors)
            ax.set_xscale("log")
            ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
            ax.set_xlim(min(ys + [1]) / 1.5, max(ys + [1]) * 3)
            ax.axvline(1, color="k", lw=0.8)
            ax.set_title(label, fontsize=9)
            ax.set_xlabel(f"time / {base} (lower is faster)", fontsize=8)
            ax.tick_params(axis="y", labelsize=8)
            for yv, v in enumerate(ys):
                ax.text(v, yv, f" {v:.2g}", va="center", fontsize=7)
        for ax in list(axes.flat)[len(panels):]:
            ax.axis("off")
        fig.suptitle("W2-W6: time relative to the numpy/scipy floor (W6: to networkx)")
        fig.tight_layout()
        p = os.path.join(outdir, "ratios.png")
        fig.savefig(p, dpi=100)
        plt.close(fig)
        written.append(p)
    # memory
    mr = [r for r in rows if r["workload"] == "MEM" and r["times"]]
    if mr:
        mr.sort(key=lambda r: r["times"][0])
        fig, ax = plt.subplots(figsize=(8, 4))
        names = [f"{r['system']}\n({r['case']})" for r in mr]
        ys = [r["times"][0] for r in mr]
        ax.barh(names, ys, color=["C3" if r["system"] == "graphstore" else "C0" for r in mr])
        ax.axvline(40, color="C3", ls="--", lw=1, label="target: 40 B/edge")
        for yv, v in enumerate(ys):
            ax.text(v, yv, f" {v:.0f}", va="center", fontsize=8)
        ax.set_xlabel("anonymous resident bytes per undirected edge (lower is better)")
        ax.set_title("Memory after ingest")
        ax.tick_params(axis="y", labelsize=8)
        ax.legend(fontsize=8)
        fig.tight_layout()
        p = os.path.join(outdir, "memory.png")
        fig.savefig(p, dpi=110)
        plt.close(fig)
        written.append(p)
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.compare", description=__doc__
                                 .splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes; under two minutes")
    ap.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results"),
                    help="directory for results.json and the PNG plots")
    ap.add_argument("--only", help="comma-separated workloads: " + ",".join(WORKLOADS))
    ap.add_argument("--systems", help="comma-separated systems (default: all)")
    ap.add_argument("--no-plots", action="store_true")
    ap.add_argument("--replot", action="store_true",
                    help="redraw the plots and reprint the targets from OUT/results.json")
    ap.add_argument("--child", nargs=3, metavar=("WORKLOAD", "SYSTEM", "MODE"),
                    help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        wl, system, mode = args.child
        try:
            rows = run_case(wl, system, mode)
        except Exception:  # noqa: BLE001 - reported by the parent
            traceback.print_exc()
            return 1
        print(json.dumps({"rows": rows}))
        return 0

    if args.replot:
        with open(os.path.join(args.out, "results.json")) as f:
            data = json.load(f)
        print(format_targets(targets(data["rows"])))
        print("wrote", ", ".join(plots(data["rows"], args.out)))
        return 0
    mode = "quick" if args.quick else "full"
    only = [x.strip().upper() for x in args.only.split(",")] if args.only else list(WORKLOADS)
    only_sys = set(x.strip() for x in args.systems.split(",")) if args.systems else None
    t_start = time.perf_counter()
    env = environment()
    print(f"graphstore comparative suite ({mode})")
    for k, v in env.items():
        print(f"  {k:<18} {v}")
    print("  method: one fresh interpreter per (workload, system); warm-up then repeats; "
          "time.perf_counter; median, spread min..max; ratios of medians per unit")
    rows, child_s = [], {}
    timeout = 120 if args.quick else 1500
    for wl in WORKLOADS:
        if wl not in only:
            continue
        t0 = time.perf_counter()
        for system in SYSTEMS[wl]:
            if only_sys and system not in only_sys:
                continue
            if not available(system):
                rows.append({"workload": wl, "case": "-", "x": None, "system": system,
                             "times": [], "units": 1, "unit": "",
                             "status": "skipped (not installed)", "note": ""})
                continue
            got, secs = run_child(wl, system, mode, timeout)
            child_s[f"{wl} {system}"] = round(secs, 1)
            rows += got
        print(table(rows, wl) + f"\n  [{time.perf_counter() - t0:.0f} s]", flush=True)
    ts = targets(rows)
    print(format_targets(ts))
    env["loadavg_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    total = time.perf_counter() - t_start
    os.makedirs(args.out, exist_ok=True)
    written = []
    if not args.no_plots:
        try:
            written = plots(rows, args.out)
        except ImportError:
            print("matplotlib not installed: no plots")
    path = os.path.join(args.out, "results.json")
    with open(path, "w") as f:
        json.dump({"mode": mode, "command": "python -m benchmarks.compare"
                   + (" --quick" if args.quick else ""), "environment": env,
                   "total_s": total, "child_seconds": child_s, "rows": rows, "targets": ts},
                  f, indent=1, default=str)
    print(f"\nload average at start {env['loadavg_start']}, at end {env['loadavg_end']}")
    print(f"total {total:.0f} s; wrote {path}" + "".join(f", {p}" for p in written))
    failed = [r for r in rows if r["status"].startswith(("DISAGREES", "FAILED"))]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
