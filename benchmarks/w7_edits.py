"""W7 edits: churn at a stationary size, remove_edge at two sizes, remove_vertex.

Case "churn": a graph of n vertices and m edges; per op, ``has_edge`` of a
random pair, ``remove_edge`` of a random existing edge, ``add_edge`` of a
random absent pair (the edge count stays m), then the sum over
``neighbors(x)`` of a random vertex. The op sequence is drawn once from a
plain-Python model (a set of edges and per-vertex neighbor sets), so every
system replays the same ops; successive rounds continue the sequence, so the
graph never returns to its freshly built state. The model also gives the
expected has_edge hits, neighbor sums and final edge set of the checked
round. Cases "remove_edge": per call on a merged graph of m edges, at two
sizes (issue 7: flat, <= 2x from 10^4 to 10^6 edges); the removed edges are
put back untimed between rounds. Case "remove_vertex": per call, beside
networkx, rustworkx and networkit. Each timed loop stops after its ops or a
time budget, whichever comes first (the per-op figure divides by the ops
done), so a slow system cannot stall the suite.
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks.harness import Case, Measured, Run
from benchmarks.inputs import SEED, random_edges

NAME = "W7"
SYSTEMS = ("graphstore", "networkx", "rustworkx", "networkit")
BASELINE = "networkx"
# (kind, n vertices, m edges, ops per round at most)
SIZES = {
    "tiny": [("churn", 80, 300, 200), ("remove_edge", 100, 300, 100),
             ("remove_edge", 300, 3_000, 100), ("remove_vertex", 100, 500, 25)],
    "quick": [("churn", 10**4, 10**5, 5_000), ("remove_edge", 10**3, 10**4, 2_000),
              ("remove_edge", 10**4, 10**5, 2_000), ("remove_vertex", 10**4, 10**5, 1_000)],
    "full": [("churn", 10**4, 10**5, 20_000), ("churn", 10**5, 10**6, 20_000),
             ("remove_edge", 10**3, 10**4, 2_000), ("remove_edge", 10**5, 10**6, 2_000),
             ("remove_vertex", 10**5, 10**6, 1_000)],
}
ROUNDS = {"tiny": (0, 1), "quick": (1, 2), "full": (1, 5)}
BUDGET = 0.5  # seconds per timed loop, checked every BLOCK ops
BLOCK = 32


def label(kind, n, m):
    return f"{kind} n={n:,} m={m:,}"


# ----------------------------------------------------------------------
# the systems, behind one small adapter each (built untimed)


def build(system, n, src, dst):
    """(graph, has, remove, add, neighbors, remove_vertex, edge keys) for one system."""
    pairs = list(zip(src.tolist(), dst.tolist(), strict=True))
    if system == "graphstore":
        from graphstore import GraphStore

        g = GraphStore()
        g.add_vertices(n)
        g.add_edges(src, dst)
        g.adjacency()

        def keys():
            C = g.adjacency().tocoo()
            up = C.row <= C.col
            lab = np.asarray(g.labels, dtype=np.int64)
            return _keys(lab[C.row[up]], lab[C.col[up]], n)

        return g, g.has_edge, g.remove_edge, g.add_edge, g.neighbors, g.remove_vertex, keys
    if system == "networkx":
        import networkx as nx

        G = nx.Graph()
        G.add_nodes_from(range(n))
        G.add_edges_from(pairs)

        def keys():
            e = np.array(list(G.edges()), dtype=np.int64).reshape(-1, 2)
            return _keys(e[:, 0], e[:, 1], n)

        return G, G.has_edge, G.remove_edge, G.add_edge, G.neighbors, G.remove_node, keys
    if system == "rustworkx":
        import rustworkx as rx

        g = rx.PyGraph(multigraph=False)
        g.add_nodes_from(range(n))
        g.add_edges_from_no_data(pairs)

        def keys():
            e = np.array(list(g.edge_list()), dtype=np.int64).reshape(-1, 2)
            return _keys(e[:, 0], e[:, 1], n)

        return g, g.has_edge, g.remove_edge, g.add_edge, g.neighbors, g.remove_node, keys
    if system == "networkit":
        import networkit as nk

        G = nk.Graph(n)
        G.addEdges((src, dst))

        def keys():
            e = np.array(list(G.iterEdges()), dtype=np.int64).reshape(-1, 2)
            return _keys(e[:, 0], e[:, 1], n)

        return G, G.hasEdge, G.removeEdge, G.addEdge, G.iterNeighbors, G.removeNode, keys
    raise ValueError(system)


def _keys(a, b, n):
    a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
    return np.unique(np.minimum(a, b) * n + np.maximum(a, b))


# ----------------------------------------------------------------------
# the timed loops: the same shape for every system; rustworkx's add_edge takes a
# payload, so it gets its own copy of the loop rather than a wrapper (a wrapper
# would charge it one more Python call per op than the others)


def churn(has, rem, add, nbrs, ops, start, stop, budget):
    hits = nsum = 0
    i = start
    t_end = time.perf_counter() + budget
    while i < stop:
        for qu, qv, ru, rv, au, av, x in ops[i:min(i + BLOCK, stop)]:
            if has(qu, qv):
                hits += 1
            rem(ru, rv)
            add(au, av)
            nsum += sum(nbrs(x))
        i = min(i + BLOCK, stop)
        if time.perf_counter() > t_end:
            break
    return hits, nsum, i


def churn_payload(has, rem, add, nbrs, ops, start, stop, budget):
    hits = nsum = 0
    i = start
    t_end = time.perf_counter() + budget
    while i < stop:
        for qu, qv, ru, rv, au, av, x in ops[i:min(i + BLOCK, stop)]:
            if has(qu, qv):
                hits += 1
            rem(ru, rv)
            add(au, av, None)
            nsum += sum(nbrs(x))
        i = min(i + BLOCK, stop)
        if time.perf_counter() > t_end:
            break
    return hits, nsum, i


def remove_each(fn, items, budget):
    """fn(*item) for each item until done or the budget is spent; the count done."""
    i, k = 0, len(items)
    t_end = time.perf_counter() + budget
    while i < k:
        for it in items[i:min(i + BLOCK, k)]:
            fn(*it)
        i = min(i + BLOCK, k)
        if time.perf_counter() > t_end:
            break
    return i


# ----------------------------------------------------------------------
# the model: the op sequence and its expected answers


class Model:
    """The churn sequence drawn from a set-of-edges model, with the answers it implies."""

    def __init__(self, n, src, dst, total, seed):
        rng = np.random.default_rng(seed)
        self.n = n
        self.initial = _keys(src, dst, n)
        elist = [(min(u, v), max(u, v)) for u, v in zip(src.tolist(), dst.tolist(), strict=True)]
        pos = {e: i for i, e in enumerate(elist)}
        adj = [set() for _ in range(n)]
        for u, v in elist:
            adj[u].add(v)
            adj[v].add(u)
        q = rng.integers(0, n, (total, 2)).tolist()
        r = rng.random(total).tolist()
        xs = rng.integers(0, n, total).tolist()
        cand = rng.integers(0, n, (4 * total + 64, 2)).tolist()
        c = 0
        self.ops, self.hit, self.nsum = [], [], []
        for k in range(total):
            qu, qv = q[k]
            self.hit.append(qv in adj[qu])
            j = int(r[k] * len(elist))  # remove a random existing edge: swap with the last
            ru, rv = elist[j]
            last = elist.pop()
            if j < len(elist):
                elist[j] = last
                pos[last] = j
            del pos[(ru, rv)]
            adj[ru].discard(rv)
            adj[rv].discard(ru)
            while True:  # add a random absent pair (no self-loops)
                au, av = cand[c]
                c += 1
                if c == len(cand):
                    cand += rng.integers(0, n, (total, 2)).tolist()
                a, b = min(au, av), max(au, av)
                if a != b and (a, b) not in pos:
                    break
            pos[(a, b)] = len(elist)
            elist.append((a, b))
            adj[a].add(b)
            adj[b].add(a)
            x = xs[k]
            self.nsum.append(sum(adj[x]))
            self.ops.append((qu, qv, ru, rv, au, av, x))

    def state(self, stop):
        """The edge keys after ops[:stop]."""
        s = set(self.initial.tolist())
        n = self.n
        for _, _, ru, rv, au, av, _ in self.ops[:stop]:
            s.discard(min(ru, rv) * n + max(ru, rv))
            s.add(min(au, av) * n + max(au, av))
        return np.array(sorted(s), dtype=np.int64)

    def check(self, got):
        """got = (hits, nsum, start, stop, keys after stop)."""
        hits, nsum, start, stop, keys = got
        want_hits = sum(self.hit[start:stop])
        want_nsum = sum(self.nsum[start:stop])
        if hits != want_hits:
            raise AssertionError(f"ops {start}..{stop}: {hits} has_edge hits, "
                                 f"expected {want_hits}")
        if nsum != want_nsum:
            raise AssertionError(f"ops {start}..{stop}: neighbor sum {nsum}, expected {want_nsum}")
        want = self.state(stop)
        if not np.array_equal(keys, want):
            raise AssertionError(f"after {stop} ops: {len(keys)} edges, expected {len(want)} "
                                 "(or a different edge set)")


# ----------------------------------------------------------------------
# cases


def cases(size, systems):
    kind, n, m, k = size
    src, dst, _ = random_edges(n, m, SEED + 7)
    if kind == "churn":
        yield _churn(n, m, k, src, dst, systems)
    elif kind == "remove_edge":
        yield _remove_edge(n, m, k, src, dst, systems)
    else:
        yield _remove_vertex(n, m, k, src, dst, systems)


def _churn(n, m, per, src, dst, systems):
    rounds = max(w + t for w, t in ROUNDS.values())
    model = Model(n, src, dst, per * rounds, SEED + 8)
    ops = model.ops
    runs = {}
    for s in systems:
        g, has, rem, add, nbrs, _, keys = build(s, n, src, dst)
        loop = churn_payload if s == "rustworkx" else churn
        cursor = [0]

        def run(has=has, rem=rem, add=add, nbrs=nbrs, loop=loop, cursor=cursor, keys=keys):
            start = cursor[0]
            hits, nsum, stop = loop(has, rem, add, nbrs, ops, start,
                                    min(start + per, len(ops)), BUDGET)
            cursor[0] = stop
            return Measured((hits, nsum, start, stop, keys), units=stop - start)

        runs[s] = Run(run, answer=lambda o: (*o[:4], o[4]()),
                      note=f"{_native(s)}; up to {per:,} ops or {BUDGET} s a round")
    return Case(label("churn", n, m), runs, expect=lambda: model, units=per, unit="op",
                compare=lambda model, got: model.check(got))


def _native(s):
    return {"graphstore": "has_edge, remove_edge, add_edge, sum(neighbors(x))",
            "networkx": "has_edge, remove_edge, add_edge, sum(neighbors(x))",
            "rustworkx": "PyGraph has_edge, remove_edge, add_edge, sum(neighbors(x))",
            "networkit": "hasEdge, removeEdge, addEdge, sum(iterNeighbors(x))"}[s]


def _remove_edge(n, m, k, src, dst, systems):
    rng = np.random.default_rng(SEED + 9)
    k = min(k, m // 4)
    pick = rng.permutation(m)[:k]
    items = list(zip(src[pick].tolist(), dst[pick].tolist(), strict=True))
    initial = _keys(src, dst, n)
    removed_keys = _keys(src[pick], dst[pick], n)
    runs = {}
    for s in systems:
        g, _, rem, add, _, _, keys = build(s, n, src, dst)
        done = [0]

        def prepare(s=s, g=g, add=add, done=done):
            # put back what the last round removed, and merge: each round starts the same
            back = items[:done[0]]
            if s == "graphstore":
                if back:
                    a = np.array(back, dtype=np.int64)
                    g.add_edges(a[:, 0], a[:, 1])
                g.adjacency()
            elif s == "rustworkx":
                for u, v in back:
                    add(u, v, None)
            else:
                for u, v in back:
                    add(u, v)
            return None

        def run(_, rem=rem, done=done, keys=keys):
            done[0] = remove_each(rem, items, BUDGET)
            return Measured((done[0], keys), units=done[0])

        runs[s] = Run(run, prepare=prepare, answer=lambda o: (o[0], o[1]()),
                      note=f"remove_edge of up to {k:,} random edges or {BUDGET} s")

    def check(_, got):
        done, keys = got
        want = np.setdiff1d(initial, _keys(*np.array(items[:done]).reshape(-1, 2).T, n)
                            if done else np.empty(0, np.int64))
        if not np.array_equal(keys, want):
            raise AssertionError(f"after {done} removals: {len(keys)} edges, expected "
                                 f"{len(want)} (or a different edge set)")

    del removed_keys
    return Case(label("remove_edge", n, m), runs, expect=True, compare=check, units=k,
                unit="call", x=m, group="remove_edge")


def _remove_vertex(n, m, k, src, dst, systems):
    rng = np.random.default_rng(SEED + 10)
    k = min(k, n // 4)
    victims = rng.permutation(n)[:k].tolist()
    items = [(v,) for v in victims]
    initial = _keys(src, dst, n)
    lo, hi = np.divmod(initial, n)
    runs = {}
    for s in systems:
        parts = build(s, n, src, dst)

        def run(rv=parts[5], keys=parts[6]):
            done = remove_each(rv, items, BUDGET)
            return Measured((done, keys), units=done)

        # one round: a removed vertex cannot be removed again
        runs[s] = Run(run, answer=lambda o: (o[0], o[1]()), rounds=(0, 1),
                      note=f"remove of up to {k:,} random vertices or {BUDGET} s, one round")

    def check(_, got):
        done, keys = got
        gone = np.zeros(n, dtype=bool)
        gone[victims[:done]] = True
        want = initial[~(gone[lo] | gone[hi])]
        if not np.array_equal(keys, want):
            raise AssertionError(f"after {done} vertex removals: {len(keys)} edges, expected "
                                 f"{len(want)} (or a different edge set)")

    return Case(label("remove_vertex", n, m), runs, expect=True, compare=check, units=k,
                unit="call")


def targets(r):
    out = []
    for c in r.cases("churn"):
        out.append(r.ratio(f"W7 {c}: graphstore per op <= 1.5x networkx", (c, "graphstore"),
                           (c, "networkx"), "<=", 1.5))
    rem = r.cases("remove_edge")
    if len(rem) >= 2:
        out.append(r.ratio(f"W7 remove_edge per call, {rem[-1].split(' ', 1)[1]} over "
                           f"{rem[0].split(' ', 1)[1]}: flat (<= 2x)",
                           (rem[-1], "graphstore"), (rem[0], "graphstore"), "<=", 2))
    for c in r.cases("remove_vertex"):
        out.append(r.ratio(f"W7 {c}: remove_vertex per call <= 3x networkx", (c, "graphstore"),
                           (c, "networkx"), "<=", 3))
    return out
