"""GraphStore's operator methods: each against networkx or dense numpy."""

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from graphstore import GraphStore


def random_store(directed, n=30, m=80, seed=0, loops=True):
    rng = np.random.default_rng(seed)
    g = GraphStore(directed=directed, capacity=2)
    g.add_vertices(n + 2)  # the last two stay isolated
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    if not loops:
        keep = src != dst
        src, dst = src[keep], dst[keep]
    g.add_edges(src, dst, rng.integers(1, 5, len(src)).astype(float))
    return g


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("weight", ["weight", None])
def test_laplacians_match_networkx(directed, weight):
    g = random_store(directed)
    G = g.to_networkx()
    L = g.laplacian(weight=weight)
    np.testing.assert_allclose(L.toarray(), nx.laplacian_matrix(G, weight=weight).toarray())
    Ls = g.laplacian("sym", weight=weight)
    ref = nx.normalized_laplacian_matrix(G, weight=weight).toarray()
    np.testing.assert_allclose(Ls.toarray(), ref, atol=1e-12)
    # identities beside the reference: rows of L sum to zero
    np.testing.assert_allclose(L @ np.ones(L.shape[0]), 0, atol=1e-12)


def test_random_walk_laplacian_against_dense():
    g = random_store(False)
    A = g.adjacency().toarray()
    d = A.sum(axis=1)
    inv = np.divide(1.0, d, out=np.zeros_like(d), where=d > 0)
    ref = np.diag(inv) @ (np.diag(d) - A)
    np.testing.assert_allclose(g.laplacian("rw").toarray(), ref, atol=1e-12)


def test_laplacian_operator_form_equals_array_form():
    g = random_store(True)
    x = np.random.default_rng(1).random(g.num_vertices)
    for kind in ("combinatorial", "sym", "rw"):
        op = g.laplacian(kind, form="operator")
        np.testing.assert_allclose(op @ x, g.laplacian(kind) @ x, atol=1e-12)


def test_directed_laplacian_matches_networkx():
    G = nx.DiGraph(nx.cycle_graph(6))  # strongly connected
    G.add_edge(0, 3)
    G.add_edge(2, 2)
    g = GraphStore.from_networkx(G)
    for walk in ("random", "lazy"):
        L = g.directed_laplacian(walk)
        L = L.toarray() if sp.issparse(L) else np.asarray(L)
        ref = nx.directed_laplacian_matrix(G, walk_type=walk)
        np.testing.assert_allclose(L, ref, atol=1e-6)


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("oriented", [True, False])
def test_incidence_matches_networkx_edge_order(directed, oriented):
    g = random_store(directed, loops=False)
    G = g.to_networkx()
    assert list(g.edges()) == list(G.edges())
    B = g.incidence(oriented)
    ref = nx.incidence_matrix(G, oriented=oriented).toarray()
    np.testing.assert_array_equal(B.toarray(), ref)
    Bw = g.incidence(oriented, weight="weight")
    refw = nx.incidence_matrix(G, oriented=oriented, weight="weight").toarray()
    np.testing.assert_array_equal(Bw.toarray(), refw)


def test_incidence_gives_the_laplacian():
    g = random_store(False, loops=False)
    B = g.incidence()
    np.testing.assert_allclose((B @ B.T).toarray(), g.laplacian(weight=None).toarray())
    W = sp.diags_array(np.array([w for _, _, w in g.edges(data="weight")]))
    np.testing.assert_allclose((B @ W @ B.T).toarray(), g.laplacian().toarray())


def test_difference_operator_of_order_two_is_the_laplacian():
    g = random_store(False, loops=False)
    D2 = g.difference_operator(2)
    np.testing.assert_allclose(D2.toarray(), g.laplacian(weight=None).toarray())
    D1 = g.difference_operator(1).toarray()
    np.testing.assert_allclose(g.difference_operator(3).toarray(), D1 @ D1.T @ D1)


def test_transition_matrix_against_dense():
    g = random_store(True)
    A = g.adjacency().toarray()
    d = A.sum(axis=1)
    inv = np.divide(1.0, d, out=np.zeros_like(d), where=d > 0)
    np.testing.assert_allclose(g.transition_matrix().toarray(), inv[:, None] * A)
    c = A.sum(axis=0)
    invc = np.divide(1.0, c, out=np.zeros_like(c), where=c > 0)
    np.testing.assert_allclose(g.transition_matrix("column").toarray(), A * invc[None, :])


@pytest.mark.parametrize("shape", [(32,), (32, 1), (32, 3)])
def test_matmul_follows_numpy(shape):
    g = random_store(True)
    A = g.adjacency().toarray()
    x = np.random.default_rng(2).random(shape)
    y = g @ x
    assert y.shape == (A @ x).shape
    np.testing.assert_allclose(y, A @ x)
    xt = x.T if x.ndim == 2 else x
    np.testing.assert_allclose(xt @ g, xt @ A)


def test_matmul_shape_mismatch_names_both_shapes():
    g = random_store(False)
    with pytest.raises(ValueError, match=r"\(32, 32\) @ \(31,\)"):
        g @ np.ones(31)
    with pytest.raises(ValueError, match=r"\(2, 31\) @ \(32, 32\)"):
        np.ones((2, 31)) @ g
    with pytest.raises(ValueError, match="1-D or 2-D"):
        g @ np.ones((32, 2, 2))


def test_linear_operator_drives_eigsh():
    g = random_store(False, loops=False)
    top = spla.eigsh(g.aslinearoperator(), k=2, which="LA", return_eigenvectors=False)
    ref = np.linalg.eigvalsh(g.adjacency().toarray())[-2:]
    np.testing.assert_allclose(np.sort(top), ref, atol=1e-8)


@pytest.mark.parametrize("ord_", ["fro", None, 1, np.inf, -1, -np.inf, 2])
def test_norms_against_dense(ord_):
    g = random_store(True)
    dense = np.linalg.norm(g.adjacency().toarray(), ord_)
    assert g.norm(ord_) == pytest.approx(dense, rel=1e-8)  # ord=2: an iterative estimate


def test_norm_of_another_attribute_and_unknown_ord():
    g = GraphStore(edge_attrs=("weight", "cost"))
    g.add_edge(0, 1, weight=3.0, cost=4.0)
    assert g.norm(1, weight="cost") == 4.0 and g.norm(1, weight=None) == 1.0
    with pytest.raises(ValueError, match="nuc"):
        g.norm("nuc")


@pytest.mark.parametrize("block", [1, 3, 1000])
@pytest.mark.parametrize("directed", [False, True])
def test_from_pairwise_threshold_and_knn_against_brute_force(block, directed):
    rng = np.random.default_rng(3)
    pts = rng.random((25, 2))
    dist = np.linalg.norm(pts[:, None, :] - pts[None, :, :], axis=-1)

    def f(a, b):
        return np.linalg.norm(a - b, axis=-1)

    g = GraphStore.from_pairwise(pts, f, threshold=0.3, block=block, directed=directed)
    ref = np.where((dist <= 0.3) & ~np.eye(25, dtype=bool), dist, 0)
    np.testing.assert_allclose(g.adjacency().toarray(), ref)

    k = 3
    g = GraphStore.from_pairwise(pts, f, k=k, block=block, directed=directed)
    d = dist + np.diag(np.full(25, np.inf))
    nearest = np.argsort(d, axis=1, kind="stable")[:, :k]
    ref = np.zeros((25, 25))
    for i in range(25):
        ref[i, nearest[i]] = d[i, nearest[i]]
    if not directed:
        ref = np.maximum(ref, ref.T)
    np.testing.assert_allclose(g.adjacency().toarray(), ref)


def test_from_pairwise_needs_exactly_one_rule():
    with pytest.raises(ValueError, match="exactly one"):
        GraphStore.from_pairwise(np.arange(3.0), lambda a, b: a - b)
    with pytest.raises(ValueError, match="k=5 exceeds"):
        GraphStore.from_pairwise(np.arange(3.0), lambda a, b: abs(a - b), k=5)
