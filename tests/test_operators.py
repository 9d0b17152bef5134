"""Tests for graphstore.operators: each operator against an independent reference
(networkx, scipy.sparse.csgraph, dense numpy, finite differences), with identities beside."""

import math

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.exceptions import AxisError
from scipy.sparse.linalg import LinearOperator

import graphstore as gs
from graphstore import operators
from graphstore.operators import (
    diff,
    difference_matrix,
    difference_operator,
    directed_laplacian,
    incidence,
    laplacian,
    norm,
    normalize,
    normalize_jvp,
    normalize_vjp,
    pairwise,
    transition_matrix,
)

FORMATS = ["csr", "csc", "coo", "lil", "dok", "dia", "bsr"]


# --------------------------------------------------------------------------
# graphs and references


def random_graph(n, density, *, directed, seed, loops=True, isolated=0, zeros=0, low=0.5):
    """Random weighted adjacency (csr_array): symmetric unless directed, self-loops once.

    The last `isolated` vertices have no edges; `zeros` stored entries are explicit 0s.
    """
    rng = np.random.default_rng(seed)
    m = n - isolated
    W = np.where(rng.random((m, m)) < density, rng.uniform(low, 2.0, (m, m)), 0.0)
    if not loops:
        np.fill_diagonal(W, 0)
    if not directed:
        W = np.triu(W) + np.triu(W, 1).T
    dense = np.zeros((n, n))
    dense[:m, :m] = W
    A = sp.csr_array(dense)
    if zeros:  # overwrite some stored values with explicit zeros (symmetrically if undirected)
        C = A.tocoo()
        pick = rng.choice(C.nnz, size=min(zeros, C.nnz), replace=False)
        Z = sp.coo_array((np.ones(len(pick)), (C.row[pick], C.col[pick])), shape=A.shape)
        Z = (Z + Z.T) if not directed else Z
        mask = Z.toarray() != 0
        C.data[mask[C.row, C.col]] = 0.0
        A = C.tocsr()
        assert A.nnz > np.count_nonzero(A.toarray())
    return A


def to_networkx(A, *, directed):
    """nx graph with nodes 0..n-1, edges added in row-major order of the stored entries."""
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(range(A.shape[0]))
    C = sp.csr_array(A)
    rows = np.repeat(np.arange(A.shape[0]), np.diff(C.indptr))
    for i, j, w in zip(rows, C.indices, C.data, strict=True):
        if directed or i <= j:
            G.add_edge(int(i), int(j), weight=float(w))
    return G


def dense(M):
    if isinstance(M, LinearOperator):
        return M @ np.eye(M.shape[1])
    return M.toarray() if sp.issparse(M) else np.asarray(M)


def safe_inv(d):
    out = np.zeros_like(d, dtype=float)
    out[d != 0] = 1 / d[d != 0]
    return out


def as_format(dense_or_sparse, fmt, kind="array"):
    return getattr(sp, f"{fmt}_{kind}")(dense_or_sparse)


# --------------------------------------------------------------------------
# laplacian


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("weighted", [True, False])
@pytest.mark.parametrize("seed", [0, 1])
def test_laplacian_matches_networkx(directed, weighted, seed):
    A = random_graph(30, 0.15, directed=directed, seed=seed, isolated=3, zeros=4)
    G = to_networkx(A, directed=directed)
    nxw = "weight" if weighted else None
    L = laplacian(A, weighted=weighted)
    np.testing.assert_allclose(dense(L), nx.laplacian_matrix(G, weight=nxw).toarray(), atol=1e-12)
    Ls = laplacian(A, kind="sym", weighted=weighted)
    ref = nx.normalized_laplacian_matrix(G, weight=nxw).toarray()
    np.testing.assert_allclose(dense(Ls), ref, atol=1e-12)
    # identities beside: rows sum to 0 (out-degree), isolated rows are zero, symmetric if
    # undirected
    np.testing.assert_allclose(L @ np.ones(30), 0, atol=1e-12)
    assert np.all(dense(Ls)[-3:] == 0) and not np.isnan(dense(Ls)).any()
    if not directed:
        assert abs(L - L.T).max() == 0 and abs(Ls - Ls.T).max() < 1e-15
    assert isinstance(L, sp.csr_array) and L.has_canonical_format


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", ["array", "matrix"])
def test_laplacian_accepts_every_format(fmt, kind):
    A = random_graph(12, 0.3, directed=True, seed=3)
    ref = nx.laplacian_matrix(to_networkx(A, directed=True)).toarray()
    L = laplacian(as_format(A, fmt, kind))
    assert isinstance(L, sp.csr_array)
    np.testing.assert_allclose(L.toarray(), ref, atol=1e-12)


def test_laplacian_sums_coo_duplicates():
    A = sp.coo_array((np.array([1.0, 2.0, 4.0]), (np.array([0, 0, 1]), np.array([1, 1, 0]))),
                     shape=(2, 2))
    np.testing.assert_array_equal(laplacian(A).toarray(), [[3, -3], [-4, 4]])
    np.testing.assert_array_equal(laplacian(A, weighted=False).toarray(), [[1, -1], [-1, 1]])


@pytest.mark.parametrize("weighted", [True, False])
def test_laplacian_in_degree_matches_csgraph(weighted):
    A = random_graph(25, 0.2, directed=True, seed=4, isolated=2)  # with self-loops
    P = A if weighted else (A != 0).astype(float)
    L = laplacian(A, degree="in", weighted=weighted)
    np.testing.assert_allclose(L.toarray(), csgraph.laplacian(P).toarray(), atol=1e-12)
    np.testing.assert_allclose(np.ones(25) @ L, 0, atol=1e-12)  # columns sum to 0
    # out-degree agrees with csgraph's use_out_degree=True
    Lo = laplacian(A, degree="out", weighted=weighted)
    np.testing.assert_allclose(Lo.toarray(), csgraph.laplacian(P, use_out_degree=True).toarray(),
                               atol=1e-12)
    # normed: csgraph drops self-loops from the degree, so compare on a loopless graph
    B = random_graph(25, 0.2, directed=True, seed=5, isolated=2, loops=False)
    for deg, out in [("in", False), ("out", True)]:
        Ls = laplacian(B, kind="sym", degree=deg)
        ref = csgraph.laplacian(B, normed=True, use_out_degree=out).toarray()
        np.testing.assert_allclose(Ls.toarray(), ref, atol=1e-12)


@pytest.mark.parametrize("degree", ["out", "in"])
@pytest.mark.parametrize("directed", [False, True])
def test_laplacian_rw_matches_dense_formula(degree, directed):
    A = random_graph(20, 0.2, directed=directed, seed=6, isolated=2)
    Ad = A.toarray()
    d = Ad.sum(axis=1 if degree == "out" else 0)
    Dl = np.diag(d) - Ad
    ref = np.diag(safe_inv(d)) @ Dl if degree == "out" else Dl @ np.diag(safe_inv(d))
    Lrw = laplacian(A, kind="rw", degree=degree)
    np.testing.assert_allclose(Lrw.toarray(), ref, atol=1e-12)
    # beside: I - P on vertices of non-zero degree, with P the transition matrix
    P = transition_matrix(A, "row" if degree == "out" else "column").toarray()
    live = d != 0
    np.testing.assert_allclose(Lrw.toarray()[np.ix_(live, live)],
                               (np.eye(20) - P)[np.ix_(live, live)], atol=1e-12)
    assert np.all(Lrw.toarray()[~live] == 0)


@pytest.mark.parametrize("kind", ["combinatorial", "sym", "rw"])
@pytest.mark.parametrize("degree", ["out", "in"])
@pytest.mark.parametrize("weighted", [True, False])
def test_laplacian_operator_equals_array(kind, degree, weighted):
    A = random_graph(15, 0.3, directed=True, seed=7, isolated=1, zeros=2)
    L = laplacian(A, kind=kind, degree=degree, weighted=weighted)
    op = laplacian(A, kind=kind, degree=degree, weighted=weighted, form="operator")
    assert isinstance(op, LinearOperator) and op.shape == (15, 15)
    rng = np.random.default_rng(8)
    x, X = rng.standard_normal(15), rng.standard_normal((15, 3))
    np.testing.assert_allclose(op @ x, L @ x, atol=1e-12)
    np.testing.assert_allclose(op.rmatvec(x), L.T @ x, atol=1e-12)
    np.testing.assert_allclose(op @ X, L @ X, atol=1e-12)
    np.testing.assert_allclose(op.H @ X, L.T @ X, atol=1e-12)
    np.testing.assert_allclose(op.matvec(x[:, None]), (L @ x)[:, None], atol=1e-12)


def test_laplacian_complex_operator_adjoint():
    rng = np.random.default_rng(9)
    A = sp.random_array((10, 10), density=0.4, rng=rng, format="csr")
    A = A + 1j * sp.random_array((10, 10), density=0.4, rng=rng, format="csr")
    for kind in ["combinatorial", "rw"]:
        L = laplacian(A, kind=kind)
        op = laplacian(A, kind=kind, form="operator")
        assert L.dtype == np.complex128 == op.dtype
        x, y = rng.standard_normal(10) + 1j, rng.standard_normal(10) - 2j
        np.testing.assert_allclose(op @ x, L @ x, atol=1e-12)
        # <L x, y> == <x, L^H y>
        np.testing.assert_allclose(np.vdot(op @ x, y), np.vdot(x, op.rmatvec(y)), atol=1e-12)
    d = A.toarray().sum(axis=1)
    np.testing.assert_allclose(laplacian(A).toarray(), np.diag(d) - A.toarray(), atol=1e-12)


@pytest.mark.parametrize("dtype, expected", [(np.int64, np.float64), (bool, np.float64),
                                             (np.float32, np.float32), (np.float64, np.float64)])
def test_laplacian_dtype(dtype, expected):
    A = sp.csr_array(np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]], dtype=dtype))
    for kind in ["combinatorial", "sym", "rw"]:
        L = laplacian(A, kind=kind)
        assert L.dtype == expected
    np.testing.assert_allclose(laplacian(A).toarray(), [[2, -1, -1], [-1, 1, 0], [-1, 0, 1]])


def test_laplacian_empty_and_edgeless():
    for n in [0, 3]:
        A = sp.csr_array((n, n))
        for kind in ["combinatorial", "sym", "rw"]:
            L = laplacian(A, kind=kind)
            assert L.shape == (n, n) and L.nnz == 0
            assert (laplacian(A, kind=kind, form="operator") @ np.ones(n)).shape == (n,)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex128, np.int64])
@pytest.mark.parametrize("sides", ["left", "right", "both", "none"])
def test_scale_is_the_plain_formula_bit_for_bit(fmt, dtype, sides):
    # diag(l) A diag(r) as (a * l[i]) * r[j], spread by rows and gathered by blocks; the
    # 20,000 x 20,000 input has 10^5 entries: several blocks of the gather
    rng = np.random.default_rng(37)
    for shape, density in [((7, 9), 0.4), ((0, 0), 0.0), ((20_000, 20_000), 2.5e-4)]:
        X = sp.random_array(shape, density=density, format=fmt, rng=rng)
        X = (X + 1j * X) if dtype == np.complex128 else X
        X = getattr(sp, f"{fmt}_array")(X.astype(dtype))
        fdt = np.float32 if dtype == np.float32 else np.float64
        left = rng.uniform(0.1, 3, shape[0]).astype(fdt) if sides in ("left", "both") else None
        right = rng.uniform(0.1, 3, shape[1]).astype(fdt) if sides in ("right", "both") else None
        C = X.tocoo()  # the entries in X.data's order (row by row, or column by column)
        ref = X.data
        if left is not None:
            ref = ref * left[C.row]
        if right is not None:
            ref = ref * right[C.col]
        S = operators._scale(X, left, right)
        assert type(S) is type(X) and np.array_equal(S.indices, X.indices)
        assert S.data.dtype == np.asarray(ref).dtype and S.data.tobytes() == ref.tobytes()
        assert S.data is not X.data


def test_laplacian_reads_the_canonical_flag_of_its_input(monkeypatch):
    # a store's adjacency() comes flagged canonical: laplacian does not check its arrays again
    g = gs.GraphStore()
    g.add_edges_from([(0, 1, 2.0), (1, 2, 1.0), (2, 2, 5.0)])
    A = g.adjacency()
    checks = []
    real = sp.csr_array.has_canonical_format.fget
    monkeypatch.setattr(sp.csr_array, "has_canonical_format", property(
        lambda self: checks.append("_has_canonical_format" not in self.__dict__) or real(self),
        sp.csr_array.has_canonical_format.fset))
    L = laplacian(A)
    assert not any(checks)  # every answer came from a flag, none from a scan
    np.testing.assert_array_equal(L.toarray(), [[2, -2, 0], [-2, 3, -1], [0, -1, 1]])
    monkeypatch.undo()
    for kind in ["combinatorial", "sym", "rw"]:  # L's own flag is true of its arrays
        L = laplacian(A, kind=kind)
        assert L.has_canonical_format and L.nnz == np.count_nonzero(L.toarray())
        assert sp.csr_array((L.data, L.indices, L.indptr), shape=L.shape).has_canonical_format
    # an unflagged, non-canonical input is still summed: its duplicates add up
    B = sp.csr_array((np.array([1.0, 1.0]), np.array([1, 1]), np.array([0, 2, 2])), shape=(2, 2))
    np.testing.assert_array_equal(laplacian(B).toarray(), [[2, -2], [0, 0]])


def test_laplacian_errors():
    A = sp.csr_array(np.eye(3))
    with pytest.raises(ValueError, match="kind='normalized'.*'combinatorial', 'sym', 'rw'"):
        laplacian(A, kind="normalized")
    with pytest.raises(ValueError, match="degree='total'"):
        laplacian(A, degree="total")
    with pytest.raises(ValueError, match="form='lo'"):
        laplacian(A, form="lo")
    with pytest.raises(ValueError, match=r"square, got shape \(2, 3\)"):
        laplacian(sp.csr_array((2, 3)))
    with pytest.raises(TypeError, match="ndarray"):
        laplacian(np.eye(3))
    with pytest.raises(TypeError, match="weighted must be True or False, got 'weight'"):
        laplacian(A, weighted="weight")
    with pytest.raises(ValueError, match="vertex 1 has out-degree -2.0"):
        laplacian(sp.csr_array(np.array([[0, 1.0], [-2.0, 0]])), kind="sym")
    with pytest.raises(TypeError, match="complex128"):
        laplacian(sp.csr_array(np.eye(2) * 1j), kind="sym")


# --------------------------------------------------------------------------
# directed_laplacian


def strongly_connected_digraph(n, density, seed, loops=False):
    """Random digraph with a Hamiltonian cycle plus a chord (strongly connected, aperiodic)."""
    A = random_graph(n, density, directed=True, seed=seed, loops=loops).tolil()
    for i in range(n):
        A[i, (i + 1) % n] = 1.0
    A[0, 2] = 1.0  # cycles of length n and n - 1: aperiodic
    return A.tocsr()


def dense_directed_laplacian(P, kind):
    """Independent reference: phi from the eigenvector of P^T at the eigenvalue closest to 1."""
    vals, vecs = np.linalg.eig(P.T)
    v = vecs[:, np.argmin(np.abs(vals - 1))].real
    phi = v / v.sum()
    if kind == "combinatorial":
        return np.diag(phi) - (np.diag(phi) @ P + P.T @ np.diag(phi)) / 2
    h = np.sqrt(phi)
    Q = h[:, None] * P / h[None, :]
    return np.eye(len(P)) - (Q + Q.T) / 2


@pytest.mark.parametrize("walk", ["random", "lazy", "pagerank"])
@pytest.mark.parametrize("kind", ["normalized", "combinatorial"])
@pytest.mark.parametrize("seed", [0, 1])
def test_directed_laplacian_matches_networkx(walk, kind, seed):
    A = strongly_connected_digraph(25, 0.1, seed, loops=seed == 1)
    G = to_networkx(A, directed=True)
    nxf = nx.directed_laplacian_matrix if kind == "normalized" else \
        nx.directed_combinatorial_laplacian_matrix
    ref = np.asarray(nxf(G, walk_type=walk, alpha=0.9))
    L = directed_laplacian(A, walk=walk, kind=kind, alpha=0.9)
    assert isinstance(L, LinearOperator if walk == "pagerank" else sp.csr_array)
    np.testing.assert_allclose(dense(L), ref, atol=1e-6)
    # beside: symmetric, and the null vector: sqrt(phi) (normalized) or 1 (combinatorial)
    Ld = dense(L)
    np.testing.assert_allclose(Ld, Ld.T, atol=1e-14)
    if kind == "combinatorial":
        np.testing.assert_allclose(Ld @ np.ones(25), 0, atol=1e-9)
    else:
        w, V = np.linalg.eigh(Ld)
        assert abs(w[0]) < 1e-9 and np.all(np.abs(V[:, 0]) > 0)


@pytest.mark.parametrize("kind", ["normalized", "combinatorial"])
def test_directed_laplacian_pagerank_with_dangling_vertices(kind):
    A = random_graph(20, 0.1, directed=True, seed=11, isolated=3)  # not strongly connected
    G = to_networkx(A, directed=True)
    nxf = nx.directed_laplacian_matrix if kind == "normalized" else \
        nx.directed_combinatorial_laplacian_matrix
    ref = np.asarray(nxf(G, walk_type="pagerank", alpha=0.85))
    op = directed_laplacian(A, walk="pagerank", kind=kind, alpha=0.85)
    arr = directed_laplacian(A, walk="pagerank", kind=kind, alpha=0.85, form="array")
    assert isinstance(arr, np.ndarray)
    np.testing.assert_allclose(arr, ref, atol=1e-6)
    np.testing.assert_allclose(dense(op), ref, atol=1e-6)
    X = np.random.default_rng(0).standard_normal((20, 2))
    np.testing.assert_allclose(op.rmatmat(X), arr.T @ X, atol=1e-12)


def cyclic_digraph(sizes, seed):
    """Strongly connected weighted digraph whose edges go from class p to class p + 1 (mod
    len(sizes)): a walk of period len(sizes), with classes of unequal sizes."""
    rng = np.random.default_rng(seed)
    off = np.cumsum([0, *sizes])
    W = np.zeros((off[-1], off[-1]))
    for p, q in zip(range(len(sizes)), np.roll(range(len(sizes)), -1), strict=True):
        blk = (rng.random((sizes[p], sizes[q])) < 0.4) * rng.uniform(0.5, 2, (sizes[p], sizes[q]))
        # every vertex gets a successor and a predecessor
        blk[np.arange(sizes[p]), np.arange(sizes[p]) % sizes[q]] = 1.0
        blk[np.arange(sizes[q]) % sizes[p], np.arange(sizes[q])] = 1.0
        W[off[p]:off[p + 1], off[q]:off[q + 1]] = blk
    A = sp.csr_array(W)
    G = to_networkx(A, directed=True)
    assert nx.is_strongly_connected(G) and not nx.is_aperiodic(G)
    return A


@pytest.mark.parametrize("walk", ["random", "lazy"])
@pytest.mark.parametrize("kind", ["normalized", "combinatorial"])
@pytest.mark.parametrize("sizes", [(7, 4), (9, 5, 7)])
def test_directed_laplacian_periodic_graph(walk, kind, sizes):
    # networkx's eigs(P.T, k=1) can return another root of unity here (period 3); the
    # reference is the dense eigenvector at the eigenvalue closest to 1
    A = cyclic_digraph(sizes, seed=1)
    W = A.toarray()
    P = W / W.sum(axis=1, keepdims=True)
    if walk == "lazy":
        P = (np.eye(len(W)) + P) / 2
    L = directed_laplacian(A, walk=walk, kind=kind)
    np.testing.assert_allclose(L.toarray(), dense_directed_laplacian(P, kind), atol=1e-8)
    op = directed_laplacian(A, walk=walk, kind=kind, form="operator")
    np.testing.assert_allclose(dense(op), L.toarray(), atol=1e-12)


def test_directed_laplacian_single_vertex_and_empty():
    L = directed_laplacian(sp.csr_array(np.array([[2.0]])))
    np.testing.assert_allclose(L.toarray(), [[0.0]], atol=1e-15)
    assert directed_laplacian(sp.csr_array((0, 0))).shape == (0, 0)


def test_directed_laplacian_errors():
    cyc = sp.csr_array(np.roll(np.eye(4), 1, axis=1))
    two = sp.block_diag([cyc, cyc], format="csr")
    with pytest.raises(ValueError, match="strongly connected.*2 strongly connected components"):
        directed_laplacian(two)
    sink = sp.csr_array(np.array([[0, 1.0], [0, 0]]))
    with pytest.raises(ValueError, match="vertex 1 has none"):
        directed_laplacian(sink, walk="lazy")
    with pytest.raises(ValueError, match=r"A\[0, 1\] = -1.0"):
        directed_laplacian(sp.csr_array(np.array([[0, -1.0], [1, 0]])))
    with pytest.raises(ValueError, match="alpha must satisfy 0 < alpha < 1, got 1.5"):
        directed_laplacian(cyc, walk="pagerank", alpha=1.5)
    with pytest.raises(ValueError, match="walk='teleport'"):
        directed_laplacian(cyc, walk="teleport")
    with pytest.raises(ValueError, match="kind='sym'"):
        directed_laplacian(cyc, kind="sym")
    with pytest.raises(ValueError, match="form='dense'"):
        directed_laplacian(cyc, form="dense")
    with pytest.raises(ValueError, match="tol must be a positive number, got 0"):
        directed_laplacian(cyc, tol=0)
    with pytest.raises(ValueError, match="maxiter must be a positive integer, got 0"):
        directed_laplacian(cyc, maxiter=0)
    with pytest.raises(TypeError, match="complex128"):
        directed_laplacian(cyc * 1j)
    slow = strongly_connected_digraph(30, 0.05, 0)
    with pytest.raises(RuntimeError, match="maxiter=2"):
        directed_laplacian(slow, maxiter=2)


# --------------------------------------------------------------------------
# incidence and difference operators


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("oriented", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_incidence_matches_networkx(directed, oriented, weighted):
    A = random_graph(20, 0.2, directed=directed, seed=13, isolated=2, zeros=3)  # with loops
    G = to_networkx(A, directed=directed)
    ref = nx.incidence_matrix(G, oriented=oriented, weight="weight" if weighted else None)
    B = incidence(A, directed=directed, oriented=oriented, weighted=weighted)
    assert isinstance(B, sp.csc_array) and B.shape == ref.shape
    np.testing.assert_array_equal(B.toarray(), ref.toarray())
    assert B.has_canonical_format and np.all(B.data != 0)


@pytest.mark.parametrize("fmt", ["csr", "coo", "lil"])
def test_incidence_laplacian_identities(fmt):
    A = random_graph(25, 0.2, directed=False, seed=14, isolated=2)  # self-loops cancel in D - A
    B = incidence(as_format(A, fmt), directed=False)
    C = A.tocoo()
    upper = C.row <= C.col
    w = sp.csr_array(A)[C.row[upper], C.col[upper]]  # edge weights in B's column order
    order = np.lexsort((C.col[upper], C.row[upper]))
    W = sp.diags_array(w[order])
    np.testing.assert_allclose((B @ B.T).toarray(), laplacian(A, weighted=False).toarray(),
                               atol=1e-12)
    np.testing.assert_allclose((B @ W @ B.T).toarray(), laplacian(A).toarray(), atol=1e-12)
    Bw = incidence(A, directed=False, weighted=True)
    np.testing.assert_allclose((Bw @ Bw.T).toarray(), laplacian(A.multiply(A)).toarray(),
                               atol=1e-12)
    # unoriented: B B^T = D + A (signless Laplacian) on the loopless part
    Bu = incidence(A, directed=False, oriented=False)
    Al = (A != 0).astype(float).toarray()
    np.fill_diagonal(Al, 0)
    np.testing.assert_allclose((Bu @ Bu.T).toarray(), np.diag(Al.sum(1)) + Al, atol=1e-12)


def test_incidence_errors():
    A = sp.csr_array(np.array([[0, 1.0], [2.0, 0]]))
    with pytest.raises(ValueError, match=r"not symmetric: A\[0, 1\] = 1.0 but A\[1, 0\] is 2.0"):
        incidence(A, directed=False, weighted=True)
    incidence(A, directed=False)  # the pattern is symmetric: fine unweighted
    with pytest.raises(ValueError, match=r"A\[0, 1\] = 1.0 but A\[1, 0\] is 'not stored'"):
        incidence(sp.csr_array(np.array([[0, 1.0], [0, 0]])), directed=False)
    with pytest.raises(TypeError, match="directed"):
        incidence(A)
    with pytest.raises(TypeError, match="oriented must be True or False, got 1"):
        incidence(A, directed=True, oriented=1)
    with pytest.raises(ValueError, match=r"square, got shape \(2, 3\)"):
        incidence(sp.csr_array((2, 3)), directed=True)


def test_difference_operator_on_path_is_np_diff():
    n = 7
    path = sp.diags_array([np.ones(n - 1), np.ones(n - 1)], offsets=[-1, 1], format="csr")
    D1 = difference_operator(path)
    np.testing.assert_array_equal(D1.toarray(), np.diff(np.eye(n), axis=0))
    x = np.random.default_rng(15).standard_normal(n)
    np.testing.assert_allclose(D1 @ x, np.diff(x), atol=1e-15)
    np.testing.assert_array_equal(D1.toarray(), incidence(path, directed=False).T.toarray())


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_difference_operator_orders_match_dense_recursion(directed, weighted):
    A = random_graph(15, 0.25, directed=directed, seed=16, isolated=1)
    D1 = incidence(A, directed=directed, weighted=weighted).toarray().T
    ref = np.eye(15)
    for k in range(6):
        D = difference_operator(A, k, directed=directed, weighted=weighted)
        assert isinstance(D, sp.csr_array) and D.shape == ref.shape
        np.testing.assert_allclose(D.toarray(), ref, atol=1e-9)
        ref = D1 @ ref if k % 2 == 0 else D1.T @ ref
    # D(2) is the Laplacian of the pattern (or of the squared weights), symmetrized if directed
    Ap = A.multiply(A) if weighted else (A != 0).astype(float)
    S = Ap + Ap.T if directed else Ap
    D2 = difference_operator(A, 2, directed=directed, weighted=weighted).toarray()
    np.testing.assert_allclose(D2, laplacian(S).toarray(), atol=1e-12)
    np.testing.assert_allclose(D2 @ np.ones(15), 0, atol=1e-12)


def test_difference_operator_directed_symmetric_counts_twice():
    A = random_graph(10, 0.3, directed=False, seed=17)
    D2 = difference_operator(A, 2, directed=True)
    np.testing.assert_allclose(D2.toarray(), 2 * laplacian(A, weighted=False).toarray(),
                               atol=1e-12)


def test_difference_operator_errors():
    A = sp.csr_array(np.eye(3))
    with pytest.raises(ValueError, match="order must be non-negative, got -1"):
        difference_operator(A, -1)
    with pytest.raises(TypeError, match="order must be an integer, got 1.5"):
        difference_operator(A, 1.5)


# --------------------------------------------------------------------------
# diff and difference_matrix


DTYPES = [np.int8, np.uint8, np.int32, np.int64, np.uint64, np.float32, np.float64,
          np.complex128, np.bool_]
FLOATS = [np.float32, np.float64, np.complex128]
# how random floating values are drawn: each needs its own rounding to be exact
SCALES = ["normal", "near 1e8", "mixed magnitudes", "small integers", "integers at the bound"]


def random_values(shape, dtype, rng, scale="normal"):
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.random(shape) < 0.5
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, size=shape, endpoint=True, dtype=dtype)
    if scale == "near 1e8":  # float32 spacing is 8 here: the one-pass stencil rounded differently
        vals = 1e8 + rng.standard_normal(shape) * 1e3
    elif scale == "mixed magnitudes":
        vals = rng.standard_normal(shape) * 10.0 ** rng.integers(-8, 9, size=shape)
    elif scale == "small integers":  # exact for the one-pass stencil: diff takes it
        vals = rng.integers(-1000, 1001, size=shape).astype(float)
    elif scale == "integers at the bound":  # magnitudes around 2**(p - n) for n = 2..4
        p = np.finfo(dtype).nmant + 1
        vals = (rng.choice([-1, 1], size=shape) * 2.0 ** rng.integers(p - 4, p - 1, size=shape)
                + rng.integers(-2, 3, size=shape))
    else:
        vals = rng.standard_normal(shape)
    if dtype.kind == "c":
        vals = vals + 1j * random_values(shape, np.float64, rng, scale)
    return vals.astype(dtype)


def random_dense(shape, density, dtype, rng, scale="normal"):
    mask = rng.random(shape) < density
    return np.where(mask, random_values(shape, dtype, rng, scale), 0).astype(dtype)


def check_diff(d, x, n, axis):
    """diff(x) is np.diff(d) bit for bit: values (np.array_equal), shape, dtype, format,
    kind, and no stored zeros (dia and bsr store whole diagonals and blocks)."""
    y = diff(x, n, axis)
    ref = np.diff(d, n, axis)
    assert y.shape == ref.shape and y.dtype == ref.dtype
    assert y.format == x.format and isinstance(y, sp.spmatrix) == isinstance(x, sp.spmatrix)
    got = y.toarray()
    assert np.array_equal(got, ref), (n, axis, x.format, d.dtype, np.abs(got - ref).max())
    if x.format not in ("dia", "bsr") and n > 0:  # no explicit zeros
        assert y.nnz == np.count_nonzero(got)
    return y


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("axis", [0, -1])
def test_diff_matches_numpy(fmt, dtype, axis):
    rng = np.random.default_rng(18)
    scales = SCALES if np.dtype(dtype).kind in "fc" else ["normal"]
    cases = [(shape, density, scale) for shape in [(6, 9), (1, 7), (0, 5), (5, 0), (9, 2)]
             for density in [0.1, 0.6] for scale in scales]
    for i, (shape, density, scale) in enumerate(cases):
        d = random_dense(shape, density, dtype, rng, scale)
        x = as_format(d, fmt, ["array", "matrix"][i % 2])
        for n in range(9):
            check_diff(d, x, n, axis)


def test_diff_axis_aliases():
    d = random_dense((5, 7), 0.5, np.float64, np.random.default_rng(35))
    for fmt in FORMATS:
        x = as_format(d, fmt)
        for n in (1, 2, 3):
            for axis, alias in ((0, -2), (1, -1)):
                y = check_diff(d, x, n, alias)
                assert np.array_equal(y.toarray(), diff(x, n, axis).toarray())


@settings(deadline=None, derandomize=True, max_examples=300)
@given(rows=st.integers(0, 9), cols=st.integers(0, 9), n=st.integers(0, 8),
       axis=st.sampled_from([0, 1, -1, -2]), fmt=st.sampled_from(FORMATS),
       dtype=st.sampled_from([np.float32, np.float64, np.complex128, np.int64, np.int8,
                              np.bool_]),
       scale=st.sampled_from(SCALES), density=st.sampled_from([0.0, 0.3, 0.7, 1.0]),
       seed=st.integers(0, 2**16))
def test_diff_hypothesis(rows, cols, n, axis, fmt, dtype, scale, density, seed):
    d = random_dense((rows, cols), density, dtype, np.random.default_rng(seed), scale)
    check_diff(d, as_format(d, fmt), n, axis)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_diff_float_where_the_one_pass_stencil_rounds_differently(fmt, dtype):
    # The case: values near 1e8 (float32 spacing 8) and mixed magnitudes. The old
    # one-pass route (kept as _diff_onepass) differs from numpy here; diff must not.
    rng = np.random.default_rng(30)
    differed = 0
    for scale in ["near 1e8", "mixed magnitudes", "normal"]:
        d = random_dense((12, 14), 0.7, dtype, rng, scale)
        x = as_format(d, fmt)
        for axis in (0, 1):
            for n in range(2, 9):
                check_diff(d, x, n, axis)
                old = operators._diff_onepass(x, n, axis).toarray()
                differed += not np.array_equal(old, np.diff(d, n, axis))
    assert differed > 0  # the inputs do reach the rounding the exact route fixes


def test_diff_small_example_of_the_rounding():
    x = sp.csr_array(np.array([[0, 0.1, 0.2, 0.3]]))
    ref = np.diff(x.toarray(), 2)  # 0.3 - 2 * 0.2 + 0.1 would round to -5.55e-17
    assert ref[0, 1] == (0.3 - 0.2) - (0.2 - 0.1) != -5.551115123125783e-17
    assert np.array_equal(diff(x, 2).toarray(), ref)
    assert not np.array_equal(operators._diff_onepass(x, 2).toarray(), ref)


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo", "dia"])
def test_diff_routes(monkeypatch, fmt):
    # compressed input: floating values take n first differences (exact, and faster than
    # the product), integers and bool the stencil's product; dia input: floating values
    # step by step unless n = 1 or the values are small integers, then one dia pass
    rows = spy(monkeypatch, "_diff_rows_stepwise")
    cols = spy(monkeypatch, "_diff_columns_stepwise")
    onepass = spy(monkeypatch, "_diff_dia" if fmt == "dia" else "difference_matrix")
    rng = np.random.default_rng(31)

    def counts():
        return len(rows) + len(cols), len(onepass)

    # dtype, values, n, route for compressed input, route for dia input
    cases = [(np.float64, "normal", 2, "stepwise", "stepwise"),
             (np.float32, "near 1e8", 3, "stepwise", "stepwise"),
             (np.complex128, "normal", 4, "stepwise", "stepwise"),
             (np.float64, "normal", 1, "stepwise", "onepass"),
             (np.float64, "small integers", 3, "stepwise", "onepass"),
             (np.int64, "normal", 3, "onepass", "onepass"),
             (np.bool_, "normal", 5, "onepass", "onepass")]
    for dtype, scale, n, compressed_route, dia_route in cases:
        d = random_dense((9, 11), 0.5, dtype, rng, scale)
        if fmt == "dia":
            d = np.triu(np.tril(d, 2), -1)  # a band
        x = as_format(d, fmt)
        for axis in (0, 1):
            before = counts()
            check_diff(d, x, n, axis)
            stepwise, one = (a - b for a, b in zip(counts(), before, strict=True))
            if fmt == "dia":  # dia steps are _diff_dia of order 1, n times
                assert one == (n if dia_route == "stepwise" else 1), (dtype, scale, n)
            else:
                expected = (1, False) if compressed_route == "stepwise" else (0, True)
                assert (stepwise, one > 0) == expected, (dtype, scale, n, axis)


def test_diff_integer_values_at_the_exactness_bound():
    # float64 integers up to 2**(53 - n) make every stencil sum exact: the one-pass route;
    # one past it (or a fraction) goes stepwise; both equal numpy
    for n in (2, 3, 4):
        bound = 2.0 ** (53 - n)
        assert operators._binomial_is_exact(np.array([bound, -bound, 0.0]), n)
        assert not operators._binomial_is_exact(np.array([bound + 2, 1.0]), n)
        assert not operators._binomial_is_exact(np.array([3.0, 0.5]), n)
        assert not operators._binomial_is_exact(np.array([1.0, np.nan]), n)
        assert not operators._binomial_is_exact(np.array([1.0, np.inf]), n)
        assert not operators._binomial_is_exact(np.array([1.0, 1 + 1j * 0.5]), n)
        for v in ([bound, -bound, bound, 0, -bound], [bound + 2, -bound, bound - 1, 3, 0]):
            d = np.array([v])
            check_diff(d, sp.csr_array(d), n, 1)
    assert operators._binomial_is_exact(np.float32([2.0 ** 21, 7]), 3)
    assert not operators._binomial_is_exact(np.float32([2.0 ** 22, 7]), 3)
    # one repeated value (an identity, a 0/1 pattern) is checked as a scalar
    assert operators._binomial_is_exact(np.ones(10), 3)
    assert not operators._binomial_is_exact(np.full(10, 0.5), 3)
    assert not operators._binomial_is_exact(np.full(10, 2.0**51), 3)
    assert not operators._binomial_is_exact(np.full(10, np.nan), 3)
    assert operators._binomial_is_exact(np.full(4, 2 + 3j), 3)
    assert not operators._binomial_is_exact(np.full(4, 2 + 0.5j), 3)
    # past the significand, no order is exact one pass (the binomials alone overflow it)
    assert not operators._binomial_is_exact(np.zeros(3), 52)
    # the blocked check reads past its first block
    v = np.ones(70_000)
    assert operators._binomial_is_exact(v, 3)
    v[-1] = 0.5
    assert not operators._binomial_is_exact(v, 3)
    # a repeated value over its first 1024 entries, another past them: min and max decide
    v[-1] = 2.0**51
    assert not operators._binomial_is_exact(v, 3)
    v[-1] = 5.0
    assert operators._binomial_is_exact(v, 3)
    assert not operators._binomial_is_exact(np.full(5000, np.inf), 3)


def test_diff_non_finite_values():
    # inf - inf is NaN as in numpy, without numpy's RuntimeWarning (filterwarnings=error)
    d = np.array([[np.inf, np.inf, 1.0, 0, -np.inf, 2.5], [0, np.nan, 0, 0, 1.5, 0]])
    with np.errstate(invalid="ignore"):
        refs = {(n, axis): np.diff(d, n, axis) for n in range(5) for axis in (0, 1)}
    for fmt in FORMATS:
        x = as_format(d, fmt)
        for (n, axis), ref in refs.items():
            y = diff(x, n, axis)
            assert np.array_equal(y.toarray(), ref, equal_nan=True)


def test_diff_duplicates_and_stored_zeros_are_canonicalized():
    # coo duplicates summing to 0 and stored zeros: no explicit zeros come out
    row = np.array([0, 0, 0, 1, 1, 2, 2])
    col = np.array([1, 1, 3, 0, 0, 2, 4])
    val = np.array([0.25, -0.25, 0.1, 0.0, 0.7, 0.3, 1e-300])
    x = sp.coo_array((val, (row, col)), shape=(3, 6))
    d = x.toarray()
    for n in range(6):
        for axis in (0, 1):
            for y in (check_diff(d, x, n, axis), check_diff(d, x.tocsr(), n, axis)):
                if n:
                    assert (y.data != 0).all()


def test_diff_order_zero_returns_input_and_wraparound():
    x = sp.csr_array(np.array([[127, -128, 0, 5]], dtype=np.int8))
    assert diff(x, 0) is x
    for n in range(1, 4):
        np.testing.assert_array_equal(diff(x, n).toarray(), np.diff(x.toarray(), n))
    big = np.array([[np.iinfo(np.int64).max, np.iinfo(np.int64).min, 1]], dtype=np.int64)
    np.testing.assert_array_equal(diff(sp.coo_array(big)).toarray(), np.diff(big))
    u = np.array([[0, 255, 1]], dtype=np.uint64)
    np.testing.assert_array_equal(diff(sp.csc_array(u), 2).toarray(), np.diff(u, 2))
    b = np.array([[True, False, True, True, False, False]])
    for n in range(1, 6):
        np.testing.assert_array_equal(diff(sp.csr_array(b), n).toarray(), np.diff(b, n))


@pytest.mark.parametrize("fmt", FORMATS)
def test_diff_order_at_or_past_the_axis_length(fmt):
    d = random_dense((4, 6), 0.6, np.float64, np.random.default_rng(32))
    x = as_format(d, fmt)
    for axis, length in ((0, 4), (1, 6)):
        for n in (length, length + 1, length + 5):
            y = check_diff(d, x, n, axis)
            assert y.nnz == 0


@pytest.mark.parametrize("fmt, axis", [("csr", 1), ("csc", 0), ("coo", -1)])
@pytest.mark.parametrize("values", ["integers", "floats"])
def test_diff_long_axis(fmt, axis, values):  # the one-pass route through the other format
    rng = np.random.default_rng(19)
    shape = (3, 70_000) if axis != 0 else (70_000, 3)
    x = sp.random_array(shape, density=0.01, rng=rng, format=fmt)
    if values == "integers":  # small integers: the one-pass stencil, exact
        x.data[:] = rng.integers(-9, 10, size=len(x.data))
    for n in [1, 3]:
        check_diff(x.toarray(), x, n, axis)


def test_diff_columns_stepwise_past_int32_indices():
    # N + n past int32: the widening frame of the stepwise route needs int64 column indices
    N = np.iinfo(np.int32).max - 1
    cols = np.array([0, 1, 5, N - 4, N - 2, N - 1])
    vals = np.array([0.1, 0.7, -2.5, 0.3, 1e8 / 3, 0.2])
    x = sp.csr_array((vals, cols.astype(np.int32), np.array([0, 6], dtype=np.int32)),
                     shape=(1, N))
    assert x.indices.dtype == np.int32
    n = 3
    y = diff(x, n)
    assert y.shape == (1, N - n) and y.has_canonical_format
    window = np.zeros(10 + n)  # x[:, N - 10 - n:]
    window[cols[3:] - (N - 10 - n)] = vals[3:]
    head = np.zeros(10 + n)
    head[cols[:3]] = vals[:3]
    np.testing.assert_array_equal(y[:, N - 10 - n:].toarray()[0], np.diff(window, n))
    np.testing.assert_array_equal(y[:, :10].toarray()[0], np.diff(head, n))
    assert y.nnz == np.count_nonzero(np.diff(window, n)) + np.count_nonzero(np.diff(head, n))


def spy(monkeypatch, name):
    """Count the calls of the private operators.<name> (to see which path ran)."""
    calls = []
    inner = getattr(operators, name)

    def wrapper(*args, **kwargs):
        calls.append(args)
        return inner(*args, **kwargs)

    monkeypatch.setattr(operators, name, wrapper)
    return calls


def raw_dia(data, offsets, shape, kind="array"):
    """A dia array or matrix exactly as given: scipy keeps `data` as is, wider or narrower
    than the matrix, values outside it included."""
    return getattr(sp, f"dia_{kind}")((np.asarray(data), np.asarray(offsets)), shape=shape)


@pytest.mark.parametrize("kind", ["array", "matrix"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_diff_dia_stays_banded(monkeypatch, kind, dtype):
    calls = spy(monkeypatch, "_diff_dia")
    rng = np.random.default_rng(20)
    for shape, offsets, width in [((6, 9), [0], 9), ((7, 7), [-2, 0, 1, 3], 7),
                                  ((5, 8), [4, -1, 0], 12), ((8, 5), [-6, 2, 0], 3),
                                  ((4, 4), [-7, 9], 4), ((5, 6), [], 6)]:
        data = random_dense((len(offsets), width), 0.8, dtype, rng)
        x = raw_dia(data, offsets, shape, kind)  # values outside the matrix are ignored
        d = x.toarray()
        for axis in (0, 1, -1):
            for n in (1, 2, 3, 6, 9):
                before = len(calls)
                y = check_diff(d, x, n, axis)
                # computed diagonal by diagonal unless the result is empty
                assert (len(calls) > before) == (n < d.shape[axis])
                # values stored outside the matrix are zeroed, and no diagonal is all zero
                dense_y = y.toarray()
                assert np.count_nonzero(y.data) == np.count_nonzero(dense_y)
                assert all(np.diagonal(dense_y, q).any() for q in y.offsets)


@settings(deadline=None, derandomize=True, max_examples=300)
@given(rows=st.integers(1, 9), cols=st.integers(1, 9), n=st.integers(1, 8),
       axis=st.sampled_from([0, 1]), dtype=st.sampled_from(DTYPES),
       offset=st.integers(-10, 10), extra=st.integers(-3, 3), constant=st.booleans(),
       seed=st.integers(0, 2**16))
def test_diff_dia_one_diagonal_is_the_general_path(rows, cols, n, axis, dtype, offset, extra,
                                                   constant, seed):
    # one stored diagonal (an identity, a scaled identity) takes one broadcast product; it
    # gives the general path's matrix exactly: the same diagonals, offsets dtype, data bits
    if n >= (rows, cols)[axis]:
        return
    rng = np.random.default_rng(seed)
    width = max(cols + extra, 1)  # data wider or narrower than the matrix
    v = random_values(width, dtype, rng)
    if constant:
        v[:] = v[0]
    v[rng.random(width) < 0.2] = 0
    check_one_diagonal(v, offset, (rows, cols), n, axis)


def check_one_diagonal(v, offset, shape, n, axis):
    """_diff_dia of the one diagonal `v` is the general path's result, and np.diff's."""
    one = raw_dia(v[None], [offset], shape)
    # the general path: the same diagonal beside an all-zero one whose terms land on other
    # diagonals (over n away), all zero, so dropped
    far = offset + (n + 1 if offset >= 0 else -(n + 1))
    two = raw_dia(np.vstack([v, np.zeros_like(v)]), [offset, far], shape)
    y, ref = operators._diff_dia(one, n, axis), operators._diff_dia(two, n, axis)
    assert type(y) is type(ref) and y.shape == ref.shape and y.dtype == ref.dtype
    assert y.offsets.dtype == ref.offsets.dtype
    assert y.offsets.tolist() == ref.offsets.tolist() == sorted(ref.offsets.tolist())
    assert y.data.shape == ref.data.shape and y.data.tobytes() == ref.data.tobytes()
    check_diff(one.toarray(), one, n, axis)  # and both are np.diff's


@pytest.mark.parametrize("dtype", DTYPES)
def test_diff_dia_one_diagonal_every_order(dtype):
    # identities and scaled ones at every order, both axes: bool and small integers drop
    # the binomial coefficients that vanish (mod 2, mod 2**bits), leaving gaps between terms
    rng = np.random.default_rng(36)
    for n in range(1, 10):
        for axis in (0, 1):
            for offset in (0, 2, -3):
                v = np.full(12, random_values(1, dtype, rng)[0] or 1, dtype=dtype)
                check_one_diagonal(v, offset, (12, 12), n, axis)
                check_one_diagonal(np.ones(12, dtype=dtype), offset, (12, 12), n, axis)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_diff_dia_repeated_value_fills_the_band(dtype):
    # an identity (one diagonal, one repeated value): diff checks that value once and writes
    # c_k * value into the band; the same matrix as the products, bit for bit, and np.diff's
    for value in (1.0, -3.0, 2.5, 2.0**50, 7.0):
        for offset, width in ((0, 12), (2, 12), (-3, 12), (0, 9)):
            for axis in (0, 1):
                for n in range(1, 7):
                    x = raw_dia(np.full((1, width), value, dtype=dtype), [offset], (12, 12))
                    y = check_diff(x.toarray(), x, n, axis)
                    if _binomial_exact_value(value, n, dtype):
                        ref = operators._diff_onepass(x, n, axis)
                        assert y.offsets.tolist() == ref.offsets.tolist()
                        assert y.data.tobytes() == ref.data.tobytes()
    assert operators._repeated(sp.identity(5, format="dia")) == 1
    for x in (raw_dia(np.zeros((1, 5)), [0], (5, 5)), raw_dia(np.ones((2, 5)), [0, 1], (5, 5)),
              raw_dia(np.r_[np.ones(2000), 2.0][None], [0], (2001, 2001)),
              raw_dia(np.ones((1, 5), dtype=complex), [0], (5, 5))):
        assert operators._repeated(x) is None  # zeros, two diagonals, a late change, complex


def _binomial_exact_value(value, n, dtype):
    return operators._binomial_is_exact(np.array([value], dtype=dtype), n)


def test_diff_dia_identity_cancellation_and_values_outside():
    for kind in ("array", "matrix"):
        eye = sp.identity(7) if kind == "matrix" else sp.eye_array(7, format="dia")
        for n in range(5):
            for axis in (0, 1):
                y = diff(eye, n, axis)
                assert type(y) is type(eye)
                np.testing.assert_array_equal(y.toarray(), np.diff(np.eye(7), n, axis))
    # two equal diagonals cancel: column differences of a constant band give one diagonal
    band = raw_dia(np.ones((2, 6)), [0, 1], (6, 6))
    y = diff(band, 1, axis=1)
    np.testing.assert_array_equal(y.toarray(), np.diff(band.toarray(), axis=1))
    assert sorted(y.offsets.tolist()) == [-1, 1]
    # inf and nan outside the matrix neither leak into the result nor warn (inf - inf)
    data = np.array([[1.0, 2.0, np.inf, np.nan], [np.nan, 3.0, 4.0, np.inf]])
    x = raw_dia(data, [0, 1], (2, 4))
    assert np.isfinite(x.toarray()).all()
    for axis in (0, 1):
        for n in (1, 2, 3):
            y = diff(x, n, axis)
            np.testing.assert_array_equal(y.toarray(), np.diff(x.toarray(), n, axis))
            assert np.isfinite(y.data).all()


def test_diff_dia_integer_wraparound_and_bool():
    x = raw_dia(np.array([[127, -128, 5, 100, -1]], dtype=np.int8), [0], (5, 5))
    for n in range(1, 5):
        for axis in (0, 1):
            y = diff(x, n, axis)
            assert y.dtype == np.int8 and y.format == "dia"
            np.testing.assert_array_equal(y.toarray(), np.diff(x.toarray(), n, axis))
    b = raw_dia(np.array([[True, False, True, True], [True, True, False, True]]), [0, 1], (4, 4))
    for n in range(1, 4):
        np.testing.assert_array_equal(diff(b, n).toarray(), np.diff(b.toarray(), n))


def permutation_like(shape, rng, dtype=np.float64, fill=1.0):
    """At most one stored entry per row (some rows empty), values `fill` times random."""
    rows, cols = shape
    keep = rng.random(rows) < 0.8
    c = rng.integers(0, cols, rows)[keep] if cols else np.zeros(0, int)
    r = np.flatnonzero(keep)[:len(c)]
    v = (fill * rng.integers(1, 5, len(r))).astype(dtype)
    return sp.csr_array((v, (r, c)), shape=shape)


@pytest.mark.parametrize("fmt, axis", [("csr", 1), ("csr", -1), ("csc", 0), ("coo", 1)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_diff_separated_rows_direct_path(monkeypatch, fmt, axis, dtype):
    # rows whose entries lie more than n columns apart: csr arrays written directly
    # (small integer values, so floating input takes the exact one-pass route too)
    calls = spy(monkeypatch, "_diff_separated")
    rng = np.random.default_rng(21)
    expected = 0
    for shape in [(8, 9), (1, 6), (6, 1), (0, 4), (5, 0), (12, 3)]:
        X = permutation_like(shape, rng, dtype)
        X = X.T if axis == 0 else X  # at most one entry per column
        for n in (1, 2, 3, 7):
            check_diff(X.toarray(), as_format(X, fmt), n, axis)
            expected += n < shape[1]  # an empty result needs no pass
    # the identity, and rows with entries exactly n + 1 apart
    for n in (1, 3):
        eye = sp.identity(40, dtype=dtype, format=fmt)
        check_diff(eye.toarray(), eye, n, axis)
        spaced = np.zeros((3, 4 * (n + 1)), dtype=dtype)
        spaced[:, :: n + 1] = np.ones((), dtype)
        spaced[1, n + 1] = 0
        x = as_format(spaced.T if axis == 0 else spaced, fmt)
        check_diff(x.toarray(), x, n, axis)
        expected += 2
    assert len(calls) == expected


def test_diff_separated_rows_boundary_of_the_direct_path(monkeypatch):
    calls = spy(monkeypatch, "_diff_separated")
    for gap in range(1, 6):
        d = np.zeros((2, 12))
        d[0, [1, 1 + gap, 1 + 2 * gap]] = [3.0, -2.0, 4.0]
        d[1, [0, 11]] = [5.0, 7.0]
        for n in (1, 2, 3, 4):
            before = len(calls)
            check_diff(d, sp.csr_array(d), n, 1)
            assert len(calls) - before == (gap > n)
    # separated but not small integers: n first differences instead (exact), same values
    d = np.zeros((2, 12))
    d[0, [1, 6]] = [0.1, 0.7]
    for n in (2, 3, 4):
        before = len(calls)
        check_diff(d, sp.csr_array(d), n, 1)
        assert len(calls) == before


def test_diff_separated_rows_drop_zero_products():
    # stored zeros, and int8 products that wrap to 0 (-128 * 2), are not stored
    x = sp.csr_array((np.array([0, -128, 3], dtype=np.int8),
                      (np.array([0, 1, 2]), np.array([5, 4, 0]))), shape=(3, 9))
    for n in (1, 2, 3):
        y = diff(x, n)
        np.testing.assert_array_equal(y.toarray(), np.diff(x.toarray(), n))
        assert y.nnz == np.count_nonzero(y.toarray()) and y.has_canonical_format
    u = sp.csr_array(np.array([[0, 2**63, 0, 0, 0, 1]], dtype=np.uint64))
    for n in (1, 2, 3):
        np.testing.assert_array_equal(diff(u, n).toarray(), np.diff(u.toarray(), n))


def test_diff_results_are_canonical_and_own_their_arrays():
    rng = np.random.default_rng(33)
    d = random_dense((30, 40), 0.3, np.float64, rng)
    for fmt in ("csr", "csc"):
        x = as_format(d, fmt)
        for n in (2, 5):
            for axis in (0, 1):
                y = check_diff(d, x, n, axis)
                assert y.has_canonical_format
                assert not any(np.shares_memory(u, v) for u in (y.indptr, y.indices, y.data)
                               for v in (x.indptr, x.indices, x.data))
                y.check_format(full_check=True)


def test_diff_errors():
    x = sp.csr_array(np.eye(3))
    with pytest.raises(ValueError, match="order must be non-negative but got -1"):
        diff(x, -1)
    with pytest.raises(TypeError, match="order n must be an integer, got 1.5"):
        diff(x, 1.5)
    with pytest.raises(AxisError, match="axis 2 is out of bounds"):
        diff(x, 1, axis=2)
    with pytest.raises(AxisError, match="axis -3 is out of bounds"):
        diff(x, 1, axis=-3)
    with pytest.raises(TypeError, match="got ndarray; use np.diff"):
        diff(np.eye(3))
    with pytest.raises(TypeError, match="2-D sparse array, got a 1-D one"):
        diff(sp.coo_array(np.ones(3)))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_difference_matrix_matches_np_diff_of_eye(dtype, fmt):
    for size in [0, 1, 5, 9]:
        for n in [0, 1, 2, 3, 9, 12]:
            for axis in (-1, 1, 0, -2):
                Dm = difference_matrix(size, n, axis=axis, dtype=dtype, format=fmt)
                ref = np.diff(np.eye(size, dtype=dtype), n, axis=axis)
                assert Dm.format == fmt and Dm.dtype == ref.dtype and Dm.shape == ref.shape
                assert isinstance(Dm, sp.sparray)
                np.testing.assert_array_equal(Dm.toarray(), ref)
            # numpy's default orientation: size x (size - n)
            np.testing.assert_array_equal(
                difference_matrix(size, n, dtype=dtype, format=fmt).toarray(),
                np.diff(np.eye(size, dtype=dtype), n))


def test_difference_matrix_products_are_np_diff():
    # x @ Dm differences the last axis (axis=-1), Dm @ x the first (axis=0); small
    # integer values keep every product exact, so equality is bitwise
    rng = np.random.default_rng(34)
    X = rng.integers(-50, 50, size=(7, 10)).astype(float)
    for n in range(5):
        np.testing.assert_array_equal(X @ difference_matrix(10, n), np.diff(X, n))
        np.testing.assert_array_equal(difference_matrix(7, n, axis=0) @ X, np.diff(X, n, axis=0))
        np.testing.assert_array_equal(difference_matrix(7, n, axis=0).T.toarray(),
                                      difference_matrix(7, n).toarray())
    x = np.arange(10.0) ** 3
    np.testing.assert_array_equal(x @ difference_matrix(10, 3), np.diff(x, 3))
    np.testing.assert_array_equal(np.ones(10) @ difference_matrix(10, 3), 0)  # columns sum to 0
    # the operator diff uses agrees with diff itself on an identity
    np.testing.assert_array_equal(difference_matrix(6, 2).toarray(),
                                  diff(sp.eye_array(6, format="csr"), 2).toarray())


def test_difference_matrix_int8_coefficients_wrap():
    # -C(10, 5) = -252 is 4 modulo 256, as numpy's wrapping diff of an int8 identity gives
    Dm = difference_matrix(12, 10, dtype=np.int8)
    assert Dm.toarray()[5, 0] == 4 == np.diff(np.eye(12, dtype=np.int8), 10)[5, 0]
    assert difference_matrix(12, 10, axis=0, dtype=np.int8).toarray()[0, 5] == 4


def test_difference_matrix_empty_for_any_large_order():
    # past the size the result is empty, even where float64 could not hold the binomials
    for axis, shape in ((-1, (5, 0)), (0, (0, 5))):
        Dm = difference_matrix(5, 2000, axis=axis)
        assert Dm.shape == shape == np.diff(np.eye(5), 2000, axis=axis).shape and Dm.nnz == 0
    with pytest.raises(ValueError, match="n=2000 is too large"):
        difference_matrix(3000, 2000)


def test_difference_matrix_errors():
    with pytest.raises(ValueError, match="size must be non-negative, got -1"):
        difference_matrix(-1)
    with pytest.raises(ValueError, match="order must be non-negative but got -2"):
        difference_matrix(4, -2)
    with pytest.raises(TypeError, match="size=2.0"):
        difference_matrix(2.0)
    with pytest.raises(ValueError, match="format='csx'"):
        difference_matrix(4, format="csx")
    with pytest.raises(AxisError, match="axis 2 is out of bounds"):
        difference_matrix(4, axis=2)


# --------------------------------------------------------------------------
# normalize and its derivatives


def reference_normalize(x, axis):
    s = x.sum(axis=axis, keepdims=True)
    return np.divide(x, s, out=np.zeros(np.broadcast_shapes(x.shape, s.shape)), where=s != 0)


@pytest.mark.parametrize("shape, axis", [((5,), 0), ((4, 6), 0), ((4, 6), 1), ((4, 6), -1),
                                         ((2, 3, 4), 1), ((2, 3, 4), -1), ((3, 1, 2, 2), 0)])
def test_normalize_dense_matches_reference(shape, axis):
    rng = np.random.default_rng(20)
    x = rng.uniform(-1, 2, shape)
    x[(slice(None),) * (len(shape) - 1) + (0,)] = 0  # zero-sum slices for most axes
    y = normalize(x, axis)
    np.testing.assert_allclose(y, reference_normalize(x, axis), rtol=1e-14, atol=1e-15)
    s = y.sum(axis=axis)
    assert np.all(np.isclose(s, 1) | np.isclose(s, 0))


def test_normalize_integer_input_and_zero_slices():
    y = normalize(np.array([[1, 0], [3, 0]]), axis=0)
    assert y.dtype == np.float64
    np.testing.assert_array_equal(y, [[0.25, 0], [0.75, 0]])
    assert normalize(np.zeros((2, 2), dtype=np.float32)).dtype == np.float32


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("kind", ["array", "matrix"])
def test_normalize_sparse_matches_dense(fmt, axis, kind):
    rng = np.random.default_rng(21)
    d = random_dense((6, 8), 0.4, np.float64, rng)
    d[2] = 0
    d[:, 3] = 0
    x = as_format(d, fmt, kind)
    y = normalize(x, axis)
    assert y.format == fmt and isinstance(y, sp.spmatrix) == (kind == "matrix")
    np.testing.assert_allclose(y.toarray(), reference_normalize(d, axis), rtol=1e-14, atol=1e-15)
    if fmt in ("csr", "csc"):  # the pattern is kept
        assert np.array_equal(y.indices, x.indices) and np.array_equal(y.indptr, x.indptr)


def jacobians(x, axis):
    """Jacobian of normalize at dense x, by central differences and from jvp (column k is
    J e_k), and its transpose from vjp (column k is J^T e_k)."""
    n = x.size
    J_jvp, Jt_vjp, J_fd = np.empty((n, n)), np.empty((n, n)), np.empty((n, n))
    eps = 1e-6
    for k in range(n):
        e = np.zeros(n)
        e[k] = 1
        e = e.reshape(x.shape)
        J_jvp[:, k] = normalize_jvp(x, e, axis).ravel()
        Jt_vjp[:, k] = normalize_vjp(x, e, axis).ravel()
        step = normalize(x + eps * e, axis) - normalize(x - eps * e, axis)
        J_fd[:, k] = (step / (2 * eps)).ravel()
    return J_jvp, Jt_vjp, J_fd


@pytest.mark.parametrize("shape, axis", [((5,), 0), ((3, 4), 0), ((3, 4), 1), ((2, 3, 2), 1),
                                         ((2, 3, 2), -1)])
def test_normalize_jacobian_finite_differences(shape, axis):
    x = np.random.default_rng(22).uniform(0.5, 1.5, shape)
    x.flat[0] = -0.3  # mixed signs, sums stay away from 0
    J_jvp, Jt_vjp, J_fd = jacobians(x, axis)
    np.testing.assert_allclose(J_jvp, J_fd, rtol=1e-3, atol=1e-5)  # torch.gradcheck's tolerances
    np.testing.assert_allclose(J_jvp, Jt_vjp.T, rtol=1e-13, atol=1e-15)
    # the off-diagonal terms are there: J has a dense block per slice
    assert np.count_nonzero(np.abs(J_jvp) > 1e-12) > x.size


def test_normalize_derivatives_zero_sum_slices_are_zero():
    x = np.array([[1.0, 0.0], [-1.0, 0.0], [2.0, 0.0]])
    x[2, 0] = 0.0
    g = np.ones_like(x) * 3
    np.testing.assert_array_equal(normalize_vjp(x, g, axis=0), 0)
    np.testing.assert_array_equal(normalize_jvp(x, g, axis=0), 0)


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo", "lil"])
@pytest.mark.parametrize("axis", [0, 1])
def test_normalize_derivatives_sparse_match_dense_restriction(fmt, axis):
    rng = np.random.default_rng(23)
    d = np.where(rng.random((5, 6)) < 0.5, rng.uniform(0.5, 1.5, (5, 6)), 0.0)
    x = as_format(d, fmt)
    pos = np.flatnonzero(d.ravel())
    _, _, J_fd = jacobians(d, axis)
    J_fd = J_fd[np.ix_(pos, pos)]  # w.r.t. stored values: the dense Jacobian on the pattern
    J_jvp, Jt_vjp = np.empty_like(J_fd), np.empty_like(J_fd)
    for c, k in enumerate(pos):
        e = np.zeros(d.size)
        e[k] = 1
        e = e.reshape(d.shape)
        for t in (e, sp.csr_array(e), sp.coo_array(e)):
            dy = normalize_jvp(x, t, axis)
            gx = normalize_vjp(x, t, axis)
            assert dy.format == fmt == gx.format
            J_jvp[:, c] = dy.toarray().ravel()[pos]
            Jt_vjp[:, c] = gx.toarray().ravel()[pos]
    np.testing.assert_allclose(J_jvp, J_fd, rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(J_jvp, Jt_vjp.T, rtol=1e-13, atol=1e-15)
    # and with a dense random cotangent, sparse vjp equals dense vjp on the pattern
    g = rng.standard_normal(d.shape)
    np.testing.assert_allclose(normalize_vjp(x, g, axis).toarray().ravel()[pos],
                               normalize_vjp(d, g, axis).ravel()[pos], rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("axis", [0, 1])
def test_normalize_vjp_blocks_match_dense_and_reference(monkeypatch, fmt, axis):
    # many small blocks, so block edges fall inside rows, columns and zero-sum slices
    blocks = operators._blocks
    monkeypatch.setattr(operators, "_blocks", lambda n, size=7: blocks(n, size))
    rng = np.random.default_rng(27)
    d = np.where(rng.random((9, 11)) < 0.4, rng.uniform(0.5, 1.5, (9, 11)), 0.0)
    d[:, 3] = 0.0
    d[4, :] = 0.0
    d[[1, 2], [5, 5]] = [1.0, -1.0]  # a zero-sum slice with stored entries
    x = as_format(d, fmt)
    pos = d != 0
    for g in (rng.standard_normal(d.shape), rng.standard_normal(d.shape) * (1 + 2j)):
        got = normalize_vjp(x, g, axis)
        assert got.format == fmt and got.dtype == g.dtype
        np.testing.assert_allclose(got.toarray()[pos], normalize_vjp(d, g, axis)[pos],
                                   rtol=1e-13, atol=1e-15)
        # and the bincount reference of the benchmark, on x's pattern
        C = x.tocoo()
        seg = C.col if axis == 0 else C.row
        s = np.bincount(seg, weights=C.data, minlength=d.shape[1 - axis])
        inv = np.divide(1, s, out=np.zeros_like(s), where=s != 0)
        gv = g[C.row, C.col]
        c = np.bincount(seg, weights=(gv * C.data * inv[seg]).real, minlength=len(s)) + 1j * \
            np.bincount(seg, weights=(gv * C.data * inv[seg]).imag, minlength=len(s))
        ref = (gv - c[seg]) * inv[seg]
        np.testing.assert_allclose(got.toarray()[C.row, C.col], ref, rtol=1e-13, atol=1e-15)
    # a sparse grad_y on x's pattern: sharing x's index arrays, or equal copies of them
    X = sp.csr_array(x) if fmt == "csr" else sp.csc_array(x)
    v = rng.standard_normal(X.nnz).astype(np.float32)
    shared = type(X)((v, X.indices, X.indptr), shape=X.shape)
    copied = type(X)((v, X.indices.copy(), X.indptr.copy()), shape=X.shape)
    dense_g = shared.toarray()
    for g in (shared, copied):
        got = normalize_vjp(x, g, axis)
        assert got.dtype == np.float64
        np.testing.assert_array_equal(got.toarray(), normalize_vjp(x, dense_g, axis).toarray())


def test_normalize_torch_gradcheck():
    torch = pytest.importorskip("torch")

    class Normalize(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return torch.from_numpy(normalize(x.detach().numpy(), axis=1))

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return torch.from_numpy(normalize_vjp(x.detach().numpy(), g.numpy(), axis=1))

    x = torch.rand(3, 4, 2, dtype=torch.float64) + 0.5
    x.requires_grad_(True)
    assert torch.autograd.gradcheck(Normalize.apply, (x,), eps=1e-6, atol=1e-5, rtol=1e-3)


def test_normalize_errors():
    with pytest.raises(AxisError, match="axis 2"):
        normalize(np.ones((2, 2)), axis=2)
    with pytest.raises(AxisError, match="axis 2"):
        normalize(sp.csr_array(np.ones((2, 2))), axis=2)
    with pytest.raises(ValueError, match=r"grad_y must have x's shape \(2, 2\), got \(3,\)"):
        normalize_vjp(np.ones((2, 2)), np.ones(3))
    with pytest.raises(ValueError, match=r"grad_y must have x's shape \(2, 2\)"):
        normalize_vjp(sp.csr_array(np.ones((2, 2))), sp.csr_array(np.ones((2, 3))))
    with pytest.raises(ValueError, match=r"dx must have x's shape \(2, 2\), got \(2, 1\)"):
        normalize_jvp(np.ones((2, 2)), np.ones((2, 1)))


@pytest.mark.parametrize("fmt", ["csr", "coo", "dok"])
def test_transition_matrix(fmt):
    A = random_graph(15, 0.2, directed=True, seed=24, isolated=2)
    Ad = A.toarray()
    P = transition_matrix(as_format(A, fmt))
    assert isinstance(P, sp.csr_array)
    np.testing.assert_allclose(P.toarray(), reference_normalize(Ad, 1), rtol=1e-14)
    Pc = transition_matrix(A, "column")
    np.testing.assert_allclose(Pc.toarray(), reference_normalize(Ad, 0), rtol=1e-14)
    np.testing.assert_allclose(Pc.toarray(), transition_matrix(A.T).toarray().T, rtol=1e-14)
    rowsum = P.toarray().sum(axis=1)
    assert np.allclose(rowsum[Ad.sum(axis=1) != 0], 1) and np.all(rowsum[Ad.sum(axis=1) == 0] == 0)
    with pytest.raises(ValueError, match="kind='out'"):
        transition_matrix(A, "out")


# --------------------------------------------------------------------------
# pairwise


def loop_reference(f, a, b):
    return np.array([[f(ai, bj) for bj in b] for ai in a])


@pytest.mark.parametrize("f", [np.subtract, lambda x, y: x * y + 1, math.hypot,
                               lambda x, y: max(x, y), lambda x, y: np.sum(x * y)])
def test_pairwise_scalars(f):
    a, b = np.array([0.5, -1.0, 2.0]), np.array([3.0, 0.0, 1.5, -2.0])
    out = pairwise(f, a, b)
    assert isinstance(out, np.ndarray) and out.shape == (3, 4)
    np.testing.assert_allclose(out, loop_reference(f, a, b))


@pytest.mark.parametrize("f", [lambda x, y: np.linalg.norm(x - y, axis=-1),
                               lambda x, y: float(np.dot(x, y)),
                               lambda x, y: np.exp(-np.sum((x - y) ** 2))])
def test_pairwise_points(f):
    rng = np.random.default_rng(25)
    a, b = rng.standard_normal((4, 3)), rng.standard_normal((2, 3))
    out = pairwise(f, a, b)
    assert out.shape == (4, 2)
    np.testing.assert_allclose(out, loop_reference(f, a, b))


def test_pairwise_empty_and_errors():
    assert pairwise(np.subtract, [], [1, 2]).shape == (0, 2)
    assert pairwise(math.hypot, [1.0], []).shape == (1, 0)
    with pytest.raises(ValueError, match=r"shapes \(2, 3\) and \(2, 2\)"):
        pairwise(np.subtract, np.ones((2, 3)), np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"shapes \(2,\) and \(2, 2\)"):
        pairwise(np.subtract, np.ones(2), np.ones((2, 2)))


# --------------------------------------------------------------------------
# norm


ORDS = [None, "fro", 1, -1, np.inf, -np.inf, 2]


def dense_norm(A, ord_):
    return np.linalg.norm(A.toarray().astype(np.result_type(A.dtype, np.float64)), ord_)


@pytest.mark.parametrize("ord_", ORDS, ids=str)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.int64, np.bool_])
def test_norm_matches_numpy(ord_, dtype):
    rng = np.random.default_rng(40)
    tol = 1e-5 if dtype == np.float32 else 1e-10
    for shape in [(1, 1), (2, 2), (3, 3), (7, 5), (5, 7), (1, 6), (6, 1), (30, 30)]:
        for density in [0.3, 1.0]:
            d = random_dense(shape, density, dtype, rng)
            for fmt in ("csr", "coo", "dia"):
                A = as_format(d, fmt)
                got = norm(A, ord_)
                assert isinstance(got, float)
                ref = dense_norm(A, ord_)
                if ord_ == 2:  # scipy's iterative estimate
                    assert got == pytest.approx(ref, rel=tol, abs=tol)
                else:
                    assert got == pytest.approx(ref, rel=1e-6 if dtype == np.float32 else 1e-14)


def test_norm_special_cases_scipy_cannot_answer():
    # empty: 0 for every ord; all-zero (stored zeros too) and vectors for ord=2
    for shape in [(0, 0), (0, 3), (4, 0)]:
        for ord_ in ORDS:
            assert norm(sp.csr_array(shape), ord_) == 0.0
    zeros = sp.csr_array((np.zeros(3), (np.arange(3), np.arange(3))), shape=(3, 3))
    assert zeros.nnz == 3
    for ord_ in ORDS:
        assert norm(zeros, ord_) == 0.0 == np.linalg.norm(zeros.toarray(), ord_)
    assert norm(sp.csr_array(np.array([[-3.0]])), 2) == 3.0
    assert norm(sp.csr_array(np.array([[3.0, 0, 4.0]])), 2) == 5.0
    assert norm(sp.csc_array(np.array([[3.0], [0], [4.0]])), 2) == 5.0
    # coo duplicates are summed first, as toarray does
    A = sp.coo_array((np.array([1.0, 2.0, -3.0]), (np.array([0, 0, 1]), np.array([1, 1, 0]))),
                     shape=(2, 2))
    for ord_ in ORDS:
        assert norm(A, ord_) == pytest.approx(np.linalg.norm(A.toarray(), ord_), rel=1e-12)


def test_norm_two_on_a_larger_matrix_and_identities():
    rng = np.random.default_rng(41)
    A = sp.random_array((200, 150), density=0.05, rng=rng, format="csr")
    d = A.toarray()
    assert norm(A, 2) == pytest.approx(np.linalg.norm(d, 2), rel=1e-10)
    # beside: ||A||_2 <= ||A||_F <= sqrt(rank) ||A||_2, ||A||_1 = ||A^T||_inf
    assert norm(A, 2) <= norm(A) * (1 + 1e-12) <= np.sqrt(150) * norm(A, 2)
    assert norm(A, 1) == pytest.approx(norm(A.T, np.inf), rel=1e-14)


def test_norm_errors():
    A = sp.csr_array(np.eye(3))
    for bad in (-2, "nuc", 3, 0, "frob"):
        with pytest.raises(ValueError, match=f"ord={bad!r} is not a matrix norm"):
            norm(A, bad)
        with pytest.raises(ValueError, match=f"ord={bad!r}"):
            norm(sp.csr_array((0, 0)), bad)  # empty: still checked
    with pytest.raises(TypeError, match="got ndarray"):
        norm(np.eye(3))
    with pytest.raises(ValueError, match="must be 2-D"):
        norm(sp.coo_array(np.ones(3)))


# --------------------------------------------------------------------------
# purity


def test_inputs_are_not_modified():
    # a canonical float64 csr is shared, not copied, by the operators: none may write to it
    A = random_graph(12, 0.3, directed=False, seed=26, zeros=3, isolated=1)
    assert A.has_canonical_format and (A.data == 0).any()
    saved = [arr.copy() for arr in (A.indptr, A.indices, A.data)]
    calls = [
        lambda: laplacian(A), lambda: laplacian(A, kind="sym", weighted=False),
        lambda: laplacian(A, kind="rw", degree="in", form="operator") @ np.ones(12),
        lambda: directed_laplacian(A + sp.eye_array(12) * 0.0 + _ring(12), walk="lazy"),
        lambda: directed_laplacian(A, walk="pagerank", form="array"),
        lambda: incidence(A, directed=False, weighted=True), lambda: difference_operator(A, 3),
        lambda: diff(A, 2), lambda: diff(A, 1, axis=0), lambda: normalize(A),
        lambda: normalize_vjp(A, A, axis=1), lambda: normalize_jvp(A, A.toarray()),
        lambda: transition_matrix(A, "column"),
    ]
    for call in calls:
        call()
        for before, after in zip(saved, (A.indptr, A.indices, A.data), strict=True):
            np.testing.assert_array_equal(before, after)
    # results own their arrays, so sorting or pruning them in place cannot reach A
    for y in (normalize(A), normalize_vjp(A, A), normalize_jvp(A, A), transition_matrix(A),
              diff(A, 1, axis=0), diff(A, 3), diff(A, 2, axis=0), laplacian(A)):
        assert not any(np.shares_memory(u, v) for u in (y.indptr, y.indices, y.data)
                       for v in (A.indptr, A.indices, A.data))


def read_only(M):
    """A copy of the compressed `M` whose arrays refuse writes, as a store's snapshot."""
    M = M.copy()
    for arr in (M.data, M.indices, M.indptr):
        arr.flags.writeable = False
    return M


@pytest.mark.parametrize("canonical", [True, False])
def test_read_only_inputs(canonical):
    A = random_graph(12, 0.3, directed=False, seed=28, zeros=3, isolated=1)
    S = A + sp.eye_array(12) * 0.0 + _ring(12)  # strongly connected, positive out-degrees
    if not canonical:  # each row's entries reversed: the operators sort a copy, never A
        def reversed_rows(M):
            order = np.concatenate([np.arange(a, b)[::-1]
                                    for a, b in zip(M.indptr[:-1], M.indptr[1:], strict=True)])
            return sp.csr_array((M.data[order], M.indices[order], M.indptr.copy()), shape=M.shape)

        A, S = reversed_rows(A), reversed_rows(S)
        assert not A.has_canonical_format and not S.has_canonical_format
    A, S = read_only(A), read_only(S)
    eye, diag = read_only(sp.eye_array(12, format="csr")), sp.identity(12, format="dia")
    diag.data.flags.writeable = False
    diag.offsets.flags.writeable = False
    G = read_only(sp.csr_array((np.arange(A.nnz, dtype=float), A.indices, A.indptr),
                               shape=A.shape))
    calls = [
        lambda: laplacian(A), lambda: laplacian(A, kind="sym", weighted=False),
        lambda: laplacian(A, kind="rw", degree="in"),
        lambda: laplacian(A, form="operator") @ np.ones(12),
        lambda: directed_laplacian(S), lambda: directed_laplacian(S, walk="lazy"),
        lambda: directed_laplacian(A, walk="pagerank", form="array"),
        lambda: directed_laplacian(A, walk="pagerank") @ np.ones(12),
        lambda: incidence(A, directed=False, weighted=True),
        lambda: incidence(A, directed=True, oriented=False),
        lambda: difference_operator(A, 3), lambda: difference_operator(A, 0),
        lambda: diff(A, 2), lambda: diff(A, 1, axis=0), lambda: diff(A.tocsc(), 3, axis=0),
        lambda: diff(eye, 3), lambda: diff(diag, 2), lambda: diff(diag, 2, axis=0),
        lambda: normalize(A), lambda: normalize(A, axis=1),
        lambda: normalize_vjp(A, G), lambda: normalize_vjp(A, A.toarray(), axis=1),
        lambda: normalize_jvp(A, G), lambda: normalize_jvp(A, A.toarray(), axis=1),
        lambda: transition_matrix(A), lambda: transition_matrix(A, "column"),
    ]
    saved = [arr.copy() for M in (A, S, eye, G) for arr in (M.data, M.indices, M.indptr)]
    for call in calls:
        call()
    after = [arr for M in (A, S, eye, G) for arr in (M.data, M.indices, M.indptr)]
    for before, now in zip(saved, after, strict=True):
        np.testing.assert_array_equal(before, now)
    np.testing.assert_array_equal(diag.data, np.ones((1, 12)))


def _ring(n):
    return sp.csr_array(np.roll(np.eye(n), 1, axis=1))
