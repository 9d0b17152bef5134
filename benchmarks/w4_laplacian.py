"""W4 Laplacians: combinatorial and symmetric-normalized, and Chung's directed Laplacian.

Undirected cases: a random weighted graph (every vertex of degree >= 1), the
Laplacian from ``g.laplacian(kind)`` on a merged store beside the floor
(``diags(d) - A``; for "sym", the stored values scaled by d^-1/2 and
``I - S``), ``scipy.sparse.csgraph.laplacian``, python-graphblas, and at
smaller sizes networkx, networkit and igraph (dense). The floor and csgraph
read `A` with the index dtype the store exports (int32 at these sizes), so
all three read the same arrays; ``g.laplacian`` also pays its
``g.adjacency()`` (O(1) on a merged store: a new object over cached arrays).
csgraph returns an unsorted coo (its diagonal appended), the others a
canonical csr: row "csgraph csr" adds the ``.tocsr()`` that gives the same
result; the target is judged against plain csgraph. Directed case: a
strongly connected digraph of 500 vertices, ``graphstore.directed_laplacian``
(random walk and pagerank) beside networkx's dense
``directed_laplacian_matrix``, which is also the reference there.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from benchmarks.harness import Case, Run
from benchmarks.inputs import SEED, close, random_edges, symmetric_csr

NAME = "W4"
SYSTEMS = ("graphstore", "floor", "scipy", "networkx", "networkit", "igraph", "graphblas")
BASELINE = "floor"
# ("undirected", n, m) or ("directed", n, m)
SIZES = {
    "tiny": [("undirected", 200, 1_000), ("directed", 60, 240)],
    "quick": [("undirected", 1_000, 5_000), ("undirected", 10**4, 5 * 10**4),
              ("directed", 500, 2_000)],
    "full": [("undirected", 2_000, 10**4), ("undirected", 5 * 10**4, 25 * 10**4),
             ("undirected", 5 * 10**5, 25 * 10**5), ("directed", 500, 2_000)],
}
# 9 timed rounds in quick runs: the millisecond rows moved by 20% between runs with 2, 15% with 5
ROUNDS = {"quick": (1, 9)}
# networkit's laplacianMatrix fills a lil in Python (~50 us an edge), igraph's is dense
MAX_N = {"networkx": 5 * 10**4, "networkit": 2_000, "igraph": 2_000}


def graph(n, m):
    """Random undirected edges, every vertex of degree >= 1 (isolated ones joined to v+1)."""
    src, dst, w = random_edges(n, m, SEED + 4)
    deg = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    iso = np.flatnonzero(deg == 0)
    return np.r_[src, iso], np.r_[dst, (iso + 1) % n], np.r_[w, np.ones(len(iso))]


def laplacian_floor(A, kind):
    """diags(d) - A, and I - D^-1/2 A D^-1/2 by scaling the stored values."""
    d = A.sum(axis=1)
    if kind == "combinatorial":
        return sp.diags_array(d) - A
    h = 1 / np.sqrt(d)
    rows = np.repeat(np.arange(A.shape[0]), np.diff(A.indptr))
    S = sp.csr_array((A.data * h[rows] * h[A.indices], A.indices, A.indptr), shape=A.shape)
    return sp.identity(A.shape[0], format="csr") - S


def cases(size, systems):
    kind, n, m = size
    yield from (_directed(n, m, systems) if kind == "directed" else _undirected(n, m, systems))


def _undirected(n, m, systems):
    systems = [s for s in systems if n <= MAX_N.get(s, n)]
    src, dst, w = graph(n, m)
    A = symmetric_csr(n, src, dst, w)
    # int32 indices, as g.adjacency() exports them (and as scipy picks for a matrix this
    # size): the floor and csgraph read the arrays graphstore reads. symmetric_csr's int64
    # made the floor's subtraction ~25% slower than on the store's own export.
    idx = np.int32 if max(A.nnz, n) < np.iinfo(np.int32).max else np.int64
    A = sp.csr_array((A.data, A.indices.astype(idx), A.indptr.astype(idx)), shape=A.shape)
    A.has_canonical_format = True  # built by scipy's COO -> CSR, which sums duplicates
    mm = len(src)
    # each library's graph, built once for both kinds (untimed)
    if "graphstore" in systems:
        from graphstore import GraphStore

        g = GraphStore()
        g.add_vertices(n)
        g.add_edges(src, dst, w)
        g.adjacency()
    if "networkx" in systems:
        import networkx as nx

        G = nx.Graph()
        G.add_nodes_from(range(n))
        G.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), w.tolist(), strict=True))
    if "igraph" in systems:
        import igraph as ig

        gi = ig.Graph(n)
        gi.add_edges(np.column_stack([src, dst]), attributes={"weight": w})
    if "networkit" in systems:
        import networkit as nk

        Gk = nk.Graph(n, weighted=True)
        Gk.addEdges((w, (src, dst)))
    if "graphblas" in systems:
        import graphblas as gb

        M = gb.Matrix.from_coo(np.r_[src, dst], np.r_[dst, src], np.r_[w, w], nrows=n, ncols=n)
        M.wait()

        def gbl():
            d = M.reduce_rowwise(gb.monoid.plus).new()
            L = d.diag().ewise_add(M.apply(gb.unary.ainv).new(), gb.binary.plus).new()
            return gb.io.to_scipy_sparse(L, format="csr")

    for k in ("combinatorial", "sym"):
        runs = {}
        if "graphstore" in systems:
            runs["graphstore"] = Run(lambda k=k: g.laplacian(k), note="g.laplacian(kind)")
        if "floor" in systems:
            runs["floor"] = Run(lambda k=k: laplacian_floor(A, k),
                                note="diags(d) - A; sym: values scaled by d^-1/2, I - S")
        if "scipy" in systems:
            from scipy.sparse import csgraph

            runs["csgraph"] = Run(lambda k=k: csgraph.laplacian(A, normed=k == "sym"),
                                  system="scipy", note="scipy.sparse.csgraph.laplacian (coo)")
            # csgraph returns a coo with the diagonal appended unsorted; graphstore and the
            # floor return canonical csr: the same result needs one conversion more
            runs["csgraph csr"] = Run(
                lambda k=k: csgraph.laplacian(A, normed=k == "sym").tocsr(), system="scipy",
                note="scipy.sparse.csgraph.laplacian(...).tocsr(): the format the others return")
        if "networkx" in systems:
            f = nx.laplacian_matrix if k == "combinatorial" else nx.normalized_laplacian_matrix
            runs["networkx"] = Run(lambda f=f: f(G), rounds=(1, 3), note=f.__name__)
        if "igraph" in systems:
            norm = "symmetric" if k == "sym" else "unnormalized"
            runs["igraph"] = Run(lambda norm=norm: np.array(
                gi.laplacian(weights="weight", normalized=norm)),
                note="Graph.laplacian -> dense list of lists")
        if "networkit" in systems and k == "combinatorial":
            runs["networkit"] = Run(lambda: nk.algebraic.laplacianMatrix(Gk),
                                    note="algebraic.laplacianMatrix (a Python lil loop inside)")
        if "graphblas" in systems and k == "combinatorial":
            runs["graphblas"] = Run(gbl, note="reduce_rowwise, diag(d) - A, to_scipy_sparse")
        yield Case(f"{k} n={n:,} m={m:,}", runs,
                   expect=lambda k=k: laplacian_floor(A, k), compare=close,
                   units=mm, unit="edge", x=mm, group=k)


def strongly_connected(n, m, seed=SEED):
    """Random digraph with a Hamiltonian cycle (strongly connected) plus m random edges."""
    rng = np.random.default_rng(seed)
    r = np.r_[np.arange(n), rng.integers(0, n, m)]
    c = np.r_[(np.arange(n) + 1) % n, rng.integers(0, n, m)]
    A = sp.csr_array((rng.uniform(0.5, 2.0, n + m), (r, c)), shape=(n, n))
    A.sum_duplicates()
    return A


def _directed(n, m, systems):
    import networkx as nx

    A = strongly_connected(n, m)
    C = A.tocoo()
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    G.add_weighted_edges_from(zip(C.row.tolist(), C.col.tolist(), C.data.tolist(), strict=True))
    for walk in ("random", "pagerank"):
        runs = {}
        if "graphstore" in systems:
            import graphstore as gs

            def dl(walk=walk):
                L = gs.directed_laplacian(A, walk=walk)
                return L if sp.issparse(L) else L @ np.eye(n)

            runs["graphstore"] = Run(dl, note=f"directed_laplacian(A, walk={walk!r})")
        if "networkx" in systems:
            runs["networkx"] = Run(lambda walk=walk: nx.directed_laplacian_matrix(
                G, walk_type=walk), note="directed_laplacian_matrix (dense)")
        yield Case(f"directed {walk} n={n:,}", runs,
                   expect=lambda walk=walk: nx.directed_laplacian_matrix(G, walk_type=walk),
                   compare=lambda ref, got: close(sp.csr_array(ref), sp.csr_array(got), 1e-6),
                   units=A.nnz, unit="edge")


def targets(r):
    out = []
    for k in ("combinatorial", "sym"):
        cs = [c for c in r.cases(k) if r.per_unit(c, "graphstore") is not None]
        if cs:
            c = cs[-1]
            out.append(r.ratio(f"W4 {c}: graphstore <= 1.5x the floor", (c, "graphstore"),
                               (c, "floor"), "<=", 1.5))
            out.append(r.ratio(f"W4 {c}: graphstore faster than csgraph (csgraph/graphstore)",
                               (c, "csgraph"), (c, "graphstore"), ">", 1))
    return out
