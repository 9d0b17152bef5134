"""W1 growth one call at a time: add_vertex + 5 add_edge per vertex, then the first CSR.

n vertices are added one at a time by label (``add_vertex(v)``), each followed
by 5 ``add_edge(v, u, weight=w)`` calls to random earlier vertices (low
vertices repeat pairs; the last write wins everywhere). The "graphstore" row
times the build loop plus the first ``adjacency()`` (issue 7's W1); the floor
(a dict and three ``list.append`` buffers behind methods) likewise includes
its CSR; the other libraries time the build loop only, their export being
untimed and used for the check. The systems share one interpreter and run
interleaved, round by round, so a change of load hits them alike.
"""

from __future__ import annotations

from benchmarks.harness import Case, Run
from benchmarks.inputs import (
    ListFloor, exact, gb_csr, growth_ops, ig_csr, last_wins_csr, naive_block_growth, nk_csr,
    rx_csr,
)

NAME = "W1"
SYSTEMS = ("graphstore", "floor", "networkx", "rustworkx", "networkit", "igraph", "graphblas",
           "scipy", "naive")
BASELINE = "floor"
# one interpreter, systems interleaved: run one after the other in their own interpreters,
# they met different loads on this shared machine and the ratios moved >2x between runs
ISOLATE = False
SIZES = {
    "tiny": [60],
    "quick": [250, 1_000, 10**4],
    "full": [250, 500, 1_000, 2_000, 10**4, 10**5, 10**6],
}
# the largest n each system runs at (the slow ones grow per call in O(n) or worse)
MAX_N = {"networkx": 10**5, "networkit": 10**5, "igraph": 2_000, "graphblas": 2_000,
         "scipy": 2_000, "naive": 500}
BUILD_ONLY_MAX = 10**5  # "graphstore build only" row up to this n


def label(n):
    return f"n={n:,}"


def builders(n, ops, systems):
    """{row name: (system, build function, export for the check, note)}."""
    out = {}
    if "graphstore" in systems:
        from graphstore import GraphStore

        def gs_build():
            g = GraphStore()
            for v, es in enumerate(ops):
                g.add_vertex(v)
                for u, w in es:
                    g.add_edge(v, u, weight=w)
            return g

        out["graphstore"] = ("graphstore", lambda: gs_build().adjacency(), None,
                             "build loop + first adjacency()")
        if n <= BUILD_ONLY_MAX:
            out["graphstore build only"] = ("graphstore", gs_build, lambda g: g.adjacency(),
                                            "build loop alone")
    if "floor" in systems:
        def fl_build():
            f = ListFloor()
            for v, es in enumerate(ops):
                f.add_vertex(v)
                for u, w in es:
                    f.add_edge(v, u, weight=w)
            return f.csr()

        out["floor"] = ("floor", fl_build, None,
                        "dict + 3 list.append behind methods, then a last-wins CSR")
    if "networkx" in systems:
        import networkx as nx

        def nx_build():
            G = nx.Graph()
            for v, es in enumerate(ops):
                G.add_node(v)
                for u, w in es:
                    G.add_edge(v, u, weight=w)
            return G

        out["networkx"] = ("networkx", nx_build,
                           lambda G: nx.to_scipy_sparse_array(G, nodelist=range(n)),
                           "Graph: add_node + add_edge (build only)")
    if "rustworkx" in systems:
        import rustworkx as rx

        def rx_build():
            g = rx.PyGraph(multigraph=False)  # a repeated pair updates its weight
            for v, es in enumerate(ops):
                g.add_node(v)
                for u, w in es:
                    g.add_edge(v, u, w)
            return g

        out["rustworkx"] = ("rustworkx", rx_build, lambda g: rx_csr(g, n),
                            "PyGraph(multigraph=False): add_node + add_edge (build only)")
    if "networkit" in systems:
        import networkit as nk

        def nk_build():
            G = nk.Graph(0, weighted=True)
            for v, es in enumerate(ops):
                G.addNode()
                for u, w in es:
                    G.setWeight(v, u, w)  # inserts, or updates a repeated pair
            return G

        out["networkit"] = ("networkit", nk_build, lambda G: nk_csr(G, n),
                            "Graph(weighted=True): addNode + setWeight (build only)")
    if "igraph" in systems:
        import igraph as ig

        def ig_build():
            g = ig.Graph()
            for v, es in enumerate(ops):
                g.add_vertex()
                for u, w in es:
                    eid = g.get_eid(v, u, error=False)  # a simple graph: update a repeat
                    if eid >= 0:
                        g.es[eid]["weight"] = w
                    else:
                        g.add_edge(v, u, weight=w)
            return g

        out["igraph"] = ("igraph", ig_build, ig_csr,
                         "add_vertex; get_eid, then add_edge or es[eid] update (build only)")
    if "graphblas" in systems:
        import graphblas as gb

        def gb_build():
            M = gb.Matrix(float, 0, 0)
            for v, es in enumerate(ops):
                M.resize(v + 1, v + 1)
                for u, w in es:
                    M[v, u] = w
                    M[u, v] = w
            return M

        out["graphblas"] = ("graphblas", gb_build, gb_csr,
                            "Matrix.resize per vertex, M[i, j] = w (build only)")
    if "scipy" in systems:
        import scipy.sparse as sp

        def prealloc(cls):
            def build():
                A = cls((n, n))
                for v, es in enumerate(ops):
                    for u, w in es:
                        A[v, u] = w
                        A[u, v] = w
                return A
            return build

        out["scipy lil"] = ("scipy", prealloc(sp.lil_array), None,
                            "preallocated n x n lil_array, A[i, j] = w")
        out["scipy dok"] = ("scipy", prealloc(sp.dok_array), None,
                            "preallocated n x n dok_array, A[i, j] = w")
    if "naive" in systems:
        out["naive block_array"] = ("naive", lambda: naive_block_growth(ops), None,
                                    "sp.block_array([[A, None], [None, 1x1]]) per vertex")
    return out


def cases(n, systems):
    systems = [s for s in systems if n <= MAX_N.get(s, n)]
    if not systems:
        return
    ops = growth_ops(n)

    def ref():
        src = [v for v, es in enumerate(ops) for _ in es]
        dst = [u for es in ops for u, _ in es]
        wts = [w for es in ops for _, w in es]
        return last_wins_csr(n, src, dst, wts)

    rounds = (0, 2) if n >= 10**6 else (1, 3) if n >= 10**5 else None
    runs = {}
    for name, (system, build, export, note) in builders(n, ops, systems).items():
        slow = system in ("igraph", "graphblas", "scipy", "naive")
        # the slow ones are 10-1000x off: two rounds, stopped after one of more than 2 s
        runs[name] = Run(build, answer=export, system=system, note=note,
                         rounds=(0, 2) if slow else rounds, budget=2.0 if slow else None)
    yield Case(label(n), runs, expect=ref, compare=exact, units=n, unit="vertex", x=n,
               group="growth")


def targets(r):
    out = []
    with_nx = [c for c in r.cases() if r.per_unit(c, "networkx") is not None
               and r.per_unit(c, "graphstore") is not None]
    if with_nx:
        c = with_nx[-1]
        out.append(r.ratio(f"W1 {c}: build + first adjacency() >= 2.5x faster than networkx "
                           "(networkx/graphstore)", (c, "networkx"), (c, "graphstore"),
                           ">=", 2.5))
    gs = [c for c in r.cases() if r.per_unit(c, "graphstore") is not None
          and r.per_unit(c, "rustworkx") is not None]
    if gs:
        c = gs[-1]
        out.append(r.ratio(f"W1 {c}: graphstore within 3x of rustworkx (its build only)",
                           (c, "graphstore"), (c, "rustworkx"), "<=", 3))
    return out
