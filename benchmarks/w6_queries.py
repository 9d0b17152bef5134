"""W6 point queries: has_edge, weight, neighbors per call, and the first query after a merge.

Steady state: a merged graph (n vertices, m edges) answers ``has_edge(u, v)``
(half present, half absent pairs), ``weight(u, v)`` (present edges) and
``list(neighbors(u))``. graphstore runs twice: with its vertex ids as labels
(``add_vertices(n)``: no label dict) and with string labels (``"v17"``),
beside networkx with int and with string nodes. The timed loops keep no
results (a growing list would trigger collections that scan every graph);
the answers are collected untimed and compared call by call with a
dict-of-sets reference. Case "first query": a store merges m edges
(``add_edges`` then ``adjacency()``, untimed) and the first ``has_edge`` /
``neighbors`` after it is timed alone (issue 7: < 5 ms at 10^6 edges).
"""

from __future__ import annotations

import numpy as np

from benchmarks.harness import Case, Measured, Run
from benchmarks.inputs import SEED, random_edges, symmetric_csr

NAME = "W6"
SYSTEMS = ("graphstore", "networkx", "floor", "rustworkx", "networkit", "igraph", "graphblas",
           "scipy")
BASELINE = "networkx"
# ("steady", n, m, calls) or ("first", n, m, 0)
SIZES = {
    "tiny": [("steady", 200, 1_000, 300), ("first", 200, 1_000, 0)],
    "quick": [("steady", 10**4, 5 * 10**4, 10**4), ("first", 2 * 10**4, 10**5, 0)],
    "full": [("steady", 10**5, 5 * 10**5, 10**5), ("first", 10**5, 10**6, 0)],
}
SLOW = ("igraph", "graphblas", "scipy")  # tens of us a call: a tenth of the calls


def cases(size, systems):
    kind, n, m, calls = size
    src, dst, w = random_edges(n, m, SEED + 6)
    if kind == "first":
        yield from _first(n, m, src, dst, w, systems)
        return
    rng = np.random.default_rng(SEED + 7)
    pick = rng.integers(0, m, calls)
    flip = rng.random(calls) < 0.5
    eu, ev = np.where(flip, dst[pick], src[pick]), np.where(flip, src[pick], dst[pick])
    existing = list(zip(eu.tolist(), ev.tolist(), strict=True))
    present = {(min(a, b), max(a, b)): x for a, b, x in zip(src.tolist(), dst.tolist(),
                                                             w.tolist(), strict=True)}
    absent = []
    while len(absent) < calls // 2:
        a, b = (int(x) for x in rng.integers(0, n, 2))
        if a != b and (min(a, b), max(a, b)) not in present:
            absent.append((a, b))
    mixed = existing[: calls - len(absent)] + absent
    mixed = [mixed[i] for i in rng.permutation(len(mixed))]
    verts = rng.integers(0, n, calls).tolist()
    adj = [set() for _ in range(n)]
    for a, b in present:
        adj[a].add(b)
        adj[b].add(a)
    ref = {"has_edge": [(min(u, v), max(u, v)) in present for u, v in mixed],
           "weight": [present[min(u, v), max(u, v)] for u, v in existing],
           "neighbors": [sorted(adj[u]) for u in verts]}
    name = [f"v{i}" for i in range(n)]
    sq = {"has_edge": [(name[u], name[v]) for u, v in mixed],
          "weight": [(name[u], name[v]) for u, v in existing],
          "neighbors": [name[u] for u in verts]}
    iq = {"has_edge": mixed, "weight": existing, "neighbors": verts}
    back = {s: i for i, s in enumerate(name)}

    # {row: (system, has, weight, neighbors, str labels?)}
    impl = {}
    if "graphstore" in systems:
        from graphstore import GraphStore

        g = GraphStore()
        g.add_vertices(n)
        g.add_edges(src, dst, w)
        g.adjacency()
        g.has_edge(0, 1)  # steady state: whatever a first query builds is built
        impl["graphstore"] = ("graphstore", g.has_edge, g.weight, g.neighbors, False)
        h = GraphStore()
        h.add_vertices(name)
        lab = np.array(name, dtype=object)
        h.add_edges(lab[src], lab[dst], w)
        h.adjacency()
        h.has_edge(name[0], name[1])
        impl["graphstore str labels"] = ("graphstore", h.has_edge, h.weight, h.neighbors, True)
    if "networkx" in systems:
        import networkx as nx

        G = nx.Graph()
        G.add_nodes_from(range(n))
        G.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), w.tolist(), strict=True))
        impl["networkx"] = ("networkx", G.has_edge, lambda u, v: G[u][v]["weight"],
                            G.neighbors, False)
        H = nx.relabel_nodes(G, dict(enumerate(name)))
        impl["networkx str nodes"] = ("networkx", H.has_edge, lambda u, v: H[u][v]["weight"],
                                      H.neighbors, True)
    if "floor" in systems:
        d, fadj = {}, [[] for _ in range(n)]
        for a, b, x in zip(src.tolist(), dst.tolist(), w.tolist(), strict=True):
            d[a, b] = d[b, a] = x
            fadj[a].append(b)
            fadj[b].append(a)
        impl["floor"] = ("floor", lambda u, v: (u, v) in d, lambda u, v: d[u, v],
                         fadj.__getitem__, False)
    if "rustworkx" in systems:
        import rustworkx as rx

        gr = rx.PyGraph(multigraph=False)
        gr.add_nodes_from(range(n))
        gr.add_edges_from(list(zip(src.tolist(), dst.tolist(), w.tolist(), strict=True)))
        impl["rustworkx"] = ("rustworkx", gr.has_edge, gr.get_edge_data, gr.neighbors, False)
    if "networkit" in systems:
        import networkit as nk

        Gk = nk.Graph(n, weighted=True)
        Gk.addEdges((w, (src, dst)))
        impl["networkit"] = ("networkit", Gk.hasEdge, Gk.weight, Gk.iterNeighbors, False)
    if "igraph" in systems:
        import igraph as ig

        gi = ig.Graph(n)
        gi.add_edges(np.column_stack([src, dst]), attributes={"weight": w})
        impl["igraph"] = ("igraph", lambda u, v: gi.get_eid(u, v, error=False) >= 0,
                          lambda u, v: gi.es[gi.get_eid(u, v)]["weight"], gi.neighbors, False)
    if "graphblas" in systems:
        import graphblas as gb

        M = gb.Matrix.from_coo(np.r_[src, dst], np.r_[dst, src], np.r_[w, w], nrows=n, ncols=n)
        M.wait()
        impl["graphblas"] = ("graphblas", lambda u, v: M[u, v].get() is not None,
                             lambda u, v: M[u, v].get(),
                             lambda u: M[u, :].new().to_coo()[0].tolist(), False)
    if "scipy" in systems:
        import scipy.sparse as sp

        D = sp.dok_array(symmetric_csr(n, src, dst, w))
        impl["scipy dok"] = ("scipy", lambda u, v: (u, v) in D, lambda u, v: D[u, v], None,
                             False)

    for kind_q in ("has_edge", "weight", "neighbors"):
        runs = {}
        for row, (system, has, wt, nb, strs) in impl.items():
            qs = (sq if strs else iq)[kind_q]
            k = calls // 10 if system in SLOW else calls
            qs = qs[:k]
            if kind_q == "has_edge":
                def loop(qs=qs, has=has):
                    for u, v in qs:
                        has(u, v)

                def answers(_, qs=qs, has=has):
                    return [bool(has(u, v)) for u, v in qs]
            elif kind_q == "weight":
                def loop(qs=qs, wt=wt):
                    for u, v in qs:
                        wt(u, v)

                def answers(_, qs=qs, wt=wt):
                    return [float(wt(u, v)) for u, v in qs]
            else:
                if nb is None:
                    continue

                def loop(qs=qs, nb=nb):
                    for u in qs:
                        list(nb(u))

                def answers(_, qs=qs, nb=nb, strs=strs):
                    if strs:
                        return [sorted(back[x] for x in nb(u)) for u in qs]
                    return [sorted(int(x) for x in nb(u)) for u in qs]
            def run(loop=loop, k=k):
                loop()
                return Measured(None, units=k)

            runs[row] = Run(run, answer=answers, system=system,
                            note=f"{k:,} calls" + (", string labels" if strs else ""))

        def compare(ref_list, got):
            if got != ref_list[:len(got)]:
                i = next(i for i, (a, b) in enumerate(zip(got, ref_list)) if a != b)
                raise AssertionError(f"call {i}: {got[i]!r} != {ref_list[i]!r}")

        yield Case(f"{kind_q} n={n:,} m={m:,}", runs, expect=ref[kind_q], compare=compare,
                   units=calls, unit="call")


def _first(n, m, src, dst, w, systems):
    if "graphstore" not in systems:
        return
    from graphstore import GraphStore

    u, v = int(src[0]), int(dst[0])
    nbrs = sorted(set(dst[src == u].tolist()) | set(src[dst == u].tolist()))

    def merged():
        g = GraphStore()
        g.add_vertices(n)
        g.add_edges(src, dst, w)
        g.adjacency()
        return g

    yield Case(f"first has_edge n={n:,} m={m:,}", {"graphstore": Run(
        lambda g: g.has_edge(u, v), prepare=merged, note="add_edges + adjacency() untimed")},
        expect=True, units=1, unit="call")
    yield Case(f"first neighbors n={n:,} m={m:,}", {"graphstore": Run(
        lambda g: sorted(g.neighbors(u)), prepare=merged,
        note="add_edges + adjacency() untimed")}, expect=nbrs, units=1, unit="call")


def targets(r):
    out = []
    for q in ("has_edge", "weight", "neighbors"):
        for c in r.cases(q):
            out.append(r.ratio(f"W6 {c}: graphstore (ids as labels) <= 1.5x networkx",
                               (c, "graphstore"), (c, "networkx"), "<=", 1.5))
            out.append(r.ratio(f"W6 {c}: graphstore str labels <= 1.5x networkx str nodes",
                               (c, "graphstore str labels"), (c, "networkx str nodes"),
                               "<=", 1.5))
    for c in r.cases("first"):
        out.append(r.value(f"W6 {c}: the first query after a merge < 5 ms", (c, "graphstore"),
                           "<", 5, "ms", scale=1e3))
    return out
