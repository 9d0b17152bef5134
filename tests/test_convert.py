"""Conversions: networkx and scipy.sparse, both directions.

References: ``nx.to_scipy_sparse_array`` for every networkx graph kind, and a
dense numpy computation for ``from_scipy``'s symmetrize modes.
"""

import re

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse import csgraph

import graphstore as gs
from graphstore import GraphStore


def positions(A):
    """The set of stored (i, j) of a sparse array, explicit zeros included."""
    coo = sp.coo_array(A)
    coo.sum_duplicates()
    return set(zip(coo.row.tolist(), coo.col.tolist()))


def assert_matches_nx(g, G, weight="weight", nodelist=None):
    """g's adjacency equals networkx's, values and stored pattern, in G's node order."""
    g._check()
    nodes = list(G) if nodelist is None else list(nodelist)
    assert g.labels == nodes
    n = len(nodes)
    A = g.adjacency()
    assert A.shape == (n, n)
    if n:
        B = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=weight)
        np.testing.assert_array_equal(A.toarray(), B.toarray())
        assert positions(A) == positions(B)


def weighted_graph(directed):
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(["p", "q", "r", "s", "isolated", 7])
    G.add_weighted_edges_from(
        [("p", "q", 2.0), ("q", "r", 0.0), ("r", "p", -1.5), ("s", "s", 3.0), ("q", "p", 4.0),
         (7, "p", 0.25)]
    )
    return G


# ----------------------------------------------------------------------
# networkx -> store
@pytest.mark.parametrize("directed", [False, True])
def test_from_networkx_graph_and_digraph(directed):
    G = weighted_graph(directed)
    g = gs.from_networkx(G)
    assert g.directed == directed
    assert g.num_edges == G.number_of_edges()
    assert_matches_nx(g, G)
    g2 = GraphStore.from_networkx(G)
    np.testing.assert_array_equal(g2.adjacency().toarray(), g.adjacency().toarray())


def multigraph(kind):
    M = kind()
    M.add_nodes_from(range(5))
    M.add_edge(0, 1, weight=2.0)
    M.add_edge(0, 1, weight=3.5)
    M.add_edge(1, 0, weight=-1.0)  # the same pair if undirected, the reverse if directed
    M.add_edge(1, 2)  # no weight: 1
    M.add_edge(1, 2, weight=0.0)
    M.add_edge(3, 3, weight=1.5)
    M.add_edge(3, 3, weight=2.0)
    M.add_edge(2, 4, weight=0.0)
    M.add_edge(2, 4, weight=0.0)
    return M


@pytest.mark.parametrize("kind", [nx.MultiGraph, nx.MultiDiGraph])
def test_from_networkx_multigraph_sums_parallel_edges(kind):
    M = multigraph(kind)
    g = gs.from_networkx(M)
    assert g.directed == M.is_directed()
    assert_matches_nx(g, M)  # networkx sums parallel edges too
    simple = nx.DiGraph(M) if M.is_directed() else nx.Graph(M)
    assert g.num_edges == simple.number_of_edges()
    assert g.weight(3, 3) == 3.5 and g.weight(2, 4) == 0.0


@pytest.mark.parametrize("kind", [nx.Graph, nx.DiGraph, nx.MultiGraph, nx.MultiDiGraph])
def test_from_networkx_weight_none_and_other_attribute(kind):
    M = multigraph(kind) if kind().is_multigraph() else kind(weighted_graph(kind().is_directed()))
    for u, v, d in M.edges(data=True):
        d["cost"] = 2.0 * d.get("weight", 1.0) + 1.0
    g = gs.from_networkx(M, weight=None)  # every edge weighs 1; parallel edges count
    assert_matches_nx(g, M, weight=None)
    g = gs.from_networkx(M, weight="cost")
    assert_matches_nx(g, M, weight="cost")
    g = gs.from_networkx(M, weight="missing")  # a missing attribute reads as 1
    assert_matches_nx(g, M, weight="missing")


@pytest.mark.parametrize("directed", [False, True])
def test_from_networkx_nodelist_order_and_subset(directed):
    G = weighted_graph(directed)
    for nodelist in (["s", "r", "q", "p", 7, "isolated"], ["r", "p", "isolated"], []):
        g = gs.from_networkx(G, nodelist=nodelist)
        assert_matches_nx(g, G, nodelist=nodelist)
        assert g.num_edges == G.subgraph(nodelist).number_of_edges()
    with pytest.raises(ValueError, match="twice"):
        gs.from_networkx(G, nodelist=["p", "q", "p"])
    with pytest.raises(KeyError, match="'nope'"):
        gs.from_networkx(G, nodelist=["p", "nope"])


def test_from_networkx_dtype_and_extra_attributes():
    G = nx.DiGraph()
    G.add_edge("a", "b", weight=3, capacity=7)
    G.add_edge("b", "c", weight=-2)  # no capacity: 1
    g = gs.from_networkx(G, dtype=np.int64, edge_attrs=("capacity",))
    assert g.dtype == np.int64 and g.adjacency().dtype == np.int64
    assert_matches_nx(g, G)
    np.testing.assert_array_equal(
        g.adjacency(weight="capacity").toarray(),
        nx.to_scipy_sparse_array(G, weight="capacity").toarray(),
    )
    with pytest.raises(ValueError, match="not an integer"):
        gs.from_networkx(nx.Graph([(0, 1, {"weight": 0.5})]), dtype=np.int64)
    with pytest.raises(ValueError, match="not finite"):
        gs.from_networkx(nx.Graph([(0, 1, {"weight": float("nan")})]))


# ----------------------------------------------------------------------
# store -> networkx
@pytest.mark.parametrize("directed", [False, True])
def test_to_networkx_round_trip(directed):
    G = weighted_graph(directed)
    g = gs.from_networkx(G)
    H = gs.to_networkx(g)
    assert type(H) is type(G)
    assert nx.utils.graphs_equal(H, G)
    assert list(H) == list(G)  # node order: g.labels
    assert nx.utils.graphs_equal(g.to_networkx(), G)
    # adjacency of the exported graph equals the store's, as documented
    np.testing.assert_array_equal(nx.to_scipy_sparse_array(H).toarray(), g.adjacency().toarray())
    # after mutations, the export still equals networkx doing the same
    g.remove_vertex("q")
    G.remove_node("q")
    g.add_edge("new", "p", weight=0.0)
    G.add_edge("new", "p", weight=0.0)
    g.add_edges(["p", "s"], ["s", "new"], [5.0, 6.0])
    G.add_weighted_edges_from([("p", "s", 5.0), ("s", "new", 6.0)])
    assert nx.utils.graphs_equal(g.to_networkx(), G)
    assert list(g.to_networkx()) == list(G)


# ----------------------------------------------------------------------
# scipy -> store
ASYM = np.array(
    [
        [0.0, 2.0, 0.0, 0.0],
        [1.0, 0.0, 0.0, 3.0],
        [0.0, 0.0, 5.0, 0.0],
        [0.0, 0.0, 0.0, 0.0],  # an isolated row (vertex 3 has an in-edge only)
    ]
)
SYM = np.array(
    [
        [0.0, 2.0, 0.0, 0.0, 0.0],
        [2.0, 1.0, -3.0, 0.0, 0.0],
        [0.0, -3.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0],  # isolated vertex
        [0.0, 0.0, 0.0, 0.0, 4.0],  # a self-loop only
    ]
)


def as_format(D, fmt):
    if fmt == "dense":
        return D
    if fmt == "matrix":
        return sp.csr_matrix(D)
    return sp.csr_array(D).asformat(fmt)


FMTS = ["csr", "csc", "coo", "lil", "dok", "bsr", "dia", "matrix", "dense"]


@pytest.mark.parametrize("fmt", FMTS)
def test_from_scipy_every_format_directed(fmt):
    g = gs.from_scipy(as_format(ASYM, fmt))
    assert g.directed  # inferred: A is not symmetric
    assert g.labels == [0, 1, 2, 3]
    np.testing.assert_array_equal(g.adjacency().toarray(), ASYM)
    assert g.num_edges == np.count_nonzero(ASYM)
    G = nx.from_numpy_array(ASYM, create_using=nx.DiGraph)
    assert_matches_nx(g, G)


@pytest.mark.parametrize("fmt", FMTS)
def test_from_scipy_every_format_symmetric(fmt):
    g = gs.from_scipy(as_format(SYM, fmt))
    assert not g.directed  # inferred: A is symmetric
    np.testing.assert_array_equal(g.adjacency().toarray(), SYM)
    assert g.num_edges == 4  # 0-1, 1-1, 1-2, 4-4
    G = nx.from_numpy_array(SYM)
    assert_matches_nx(g, G)
    np.testing.assert_array_equal(g.degree(), [d for _, d in G.degree()])
    # directed=True keeps both triangles as separate edges
    h = gs.from_scipy(as_format(SYM, fmt), directed=True)
    assert h.directed and h.num_edges == np.count_nonzero(SYM)
    np.testing.assert_array_equal(h.adjacency().toarray(), SYM)


def test_from_scipy_value_asymmetry_means_directed():
    A = sp.csr_array(np.array([[0.0, 1.0], [2.0, 0.0]]))  # symmetric pattern, not values
    assert gs.from_scipy(A).directed
    with pytest.raises(ValueError, match=r"A\[0, 1\] differs from A\[1, 0\]"):
        gs.from_scipy(A, directed=False)


def named_pair(message):
    i, j = map(int, re.search(r"A\[(\d+), (\d+)\]", message).groups())
    return i, j


@pytest.mark.parametrize("fmt", ["csr", "coo", "dense"])
def test_from_scipy_asymmetric_undirected_names_an_offending_entry(fmt):
    with pytest.raises(ValueError, match=r"not symmetric: A\[\d+, \d+\]") as info:
        gs.from_scipy(as_format(ASYM, fmt), directed=False)
    i, j = named_pair(str(info.value))
    assert ASYM[i, j] != ASYM[j, i]
    # a random asymmetric matrix: the named entry really differs from its mirror
    rng = np.random.default_rng(0)
    D = rng.integers(0, 3, (20, 20)).astype(float)
    D = D + D.T
    D[13, 4] = 9.0
    with pytest.raises(ValueError, match="not symmetric") as info:
        gs.from_scipy(as_format(D, fmt), directed=False)
    i, j = named_pair(str(info.value))
    assert {(i, j), (j, i)} == {(13, 4), (4, 13)}


def test_from_scipy_stored_zero_without_mirror_is_asymmetric():
    A = sp.csr_array((np.array([0.0]), (np.array([0]), np.array([1]))), shape=(2, 2))
    assert A.nnz == 1  # an explicit zero: an edge
    g = gs.from_scipy(A)
    assert g.directed and g.num_edges == 1 and g.has_edge(0, 1) and not g.has_edge(1, 0)
    with pytest.raises(ValueError, match=r"A\[0, 1\]"):
        gs.from_scipy(A, directed=False)


def symmetrize_reference(D, P, mode):
    """Dense numpy: an undirected A from values D and stored pattern P.

    max/min/sum combine the entries present in each pair (i, j), (j, i): a
    one-sided pair keeps its one entry; the diagonal is read once. upper/lower
    mirror one triangle.
    """
    n = len(D)
    both = P & P.T
    U = P | P.T
    if mode in ("max", "min", "sum"):
        f = {"max": np.maximum, "min": np.minimum, "sum": np.add}[mode]
        W = np.where(both, f(D, D.T), np.where(P, D, D.T))
        W[np.diag_indices(n)] = np.diag(D)
    else:
        T = np.triu if mode == "upper" else np.tril
        k = 1 if mode == "upper" else -1
        U = T(P) | T(P).T
        W = T(D) + T(D, k).T
    return np.where(U, W, 0.0), U


@pytest.mark.parametrize("mode", ["max", "min", "sum", "upper", "lower"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_from_scipy_symmetrize_against_dense_numpy(mode, seed):
    rng = np.random.default_rng(seed)
    n = 12
    P = rng.random((n, n)) < 0.3  # the stored pattern, some pairs one-sided
    D = np.where(P, rng.integers(-4, 5, (n, n)).astype(float), 0.0)  # zeros stored too
    r, c = np.nonzero(P)
    A = sp.coo_array((D[r, c], (r, c)), shape=(n, n))
    g = gs.from_scipy(A, directed=False, symmetrize=mode)
    assert not g.directed
    W, U = symmetrize_reference(D, P, mode)
    G = g.adjacency()
    np.testing.assert_array_equal(G.toarray(), W)
    assert positions(G) == set(zip(*np.nonzero(U)))
    assert g.num_edges == int(np.triu(U).sum())
    # without directed=: symmetrize= asks for an undirected store
    assert not gs.from_scipy(A, symmetrize=mode).directed


def test_from_scipy_symmetric_input_ignores_symmetrize():
    for mode in ("max", "min", "sum", "upper", "lower"):
        g = gs.from_scipy(sp.csr_array(SYM), directed=False, symmetrize=mode)
        np.testing.assert_array_equal(g.adjacency().toarray(), SYM)


@pytest.mark.parametrize(
    "A, match",
    [
        (sp.csr_array(np.ones((2, 3))), "square"),
        (np.ones((3, 2)), "square"),
        (np.ones(3), "2-D"),
        (np.ones((2, 2, 2)), "2-D"),
    ],
)
def test_from_scipy_rejects_non_square(A, match):
    with pytest.raises(ValueError, match=match):
        gs.from_scipy(A)


def test_from_scipy_explicit_zeros_duplicates_self_loops_isolated():
    r = np.array([0, 1, 0, 2, 2, 0, 0])
    c = np.array([1, 0, 0, 2, 2, 3, 3])
    v = np.array([0.0, 0.0, 1.5, 1.0, 2.0, 4.0, -4.0])  # (2,2) and (0,3) repeat: summed
    A = sp.coo_array((v, (r, c)), shape=(5, 5))
    g = gs.from_scipy(A, directed=True)
    assert g.num_edges == 5  # (0,1), (1,0), (0,0), (2,2) and (0,3), whose sum is 0
    assert g.has_edge(0, 1) and g.weight(0, 1) == 0.0
    assert g.weight(2, 2) == 3.0 and g.weight(0, 3) == 0.0
    assert g.labels == [0, 1, 2, 3, 4] and g.degree(4) == 0
    expected = A.tocsr()  # scipy sums duplicates and keeps the zeros
    np.testing.assert_array_equal(g.adjacency().toarray(), expected.toarray())
    assert positions(g.adjacency()) == positions(expected)
    # undirected: the stored zero pair is one edge
    S = sp.coo_array((np.array([0.0, 0.0, 2.0]), (np.array([0, 1, 2]), np.array([1, 0, 2]))),
                     shape=(4, 4))
    h = gs.from_scipy(S)
    assert not h.directed and h.num_edges == 2 and h.has_edge(1, 0)
    assert positions(h.adjacency()) == {(0, 1), (1, 0), (2, 2)}
    n_comp, _ = csgraph.connected_components(h.adjacency(), directed=False)
    assert n_comp == 3  # {0, 1}, {2}, {3}: the zero edge connects


def test_from_scipy_labels_and_dtype():
    g = gs.from_scipy(sp.csr_array(SYM), labels=list("abcde"))
    assert g.labels == list("abcde") and g.weight("b", "c") == -3.0
    with pytest.raises(ValueError, match="4 labels for a 5 x 5 matrix"):
        gs.from_scipy(sp.csr_array(SYM), labels=list("abcd"))
    with pytest.raises(ValueError, match="repeated|already"):
        gs.from_scipy(sp.csr_array(SYM), labels=list("abcda"))
    assert gs.from_scipy(sp.csr_array(np.array([[0, 3], [3, 0]]))).dtype.kind == "i"
    assert gs.from_scipy(sp.csr_array(SYM.astype(np.float32))).dtype == np.float32
    assert gs.from_scipy(sp.csr_array(SYM != 0)).dtype == np.float64
    assert gs.from_scipy(sp.csr_array(SYM), dtype=np.float32).adjacency().dtype == np.float32
    with pytest.raises(TypeError, match="complex"):
        gs.from_scipy(sp.csr_array(np.array([[0, 1j], [1j, 0]])))
    with pytest.raises(ValueError, match="not finite"):
        gs.from_scipy(sp.csr_array(np.array([[0, np.nan], [np.nan, 0]])))


def test_from_edges():
    g = gs.from_edges(["a", "b", "a"], ["b", "c", "b"], [1.0, 2.0, 3.0], combine="sum")
    assert g.labels == ["a", "b", "c"] and g.weight("a", "b") == 4.0 and not g.directed
    h = GraphStore.from_edges(np.array([0, 1]), np.array([1, 0]), directed=True, labels=[0, 1, 2])
    assert h.directed and h.labels == [0, 1, 2] and h.num_edges == 2
    k = gs.from_edges(["a"], ["b"], [2.0], edge_attrs=("weight", "capacity"), capacity=[5.0])
    assert k.weight("a", "b", attr="capacity") == 5.0


# ----------------------------------------------------------------------
# a real graph
def test_les_miserables_round_trips():
    G = nx.les_miserables_graph()
    g = gs.from_networkx(G)
    assert g.num_vertices == 77 and g.num_edges == G.number_of_edges() == 254
    assert_matches_nx(g, G)
    assert nx.utils.graphs_equal(g.to_networkx(), G)
    np.testing.assert_array_equal(g.degree(weight="weight"),
                                  [d for _, d in G.degree(weight="weight")])
    # scipy and back
    h = gs.from_scipy(g.adjacency(), labels=g.labels)
    assert not h.directed
    assert_matches_nx(h, G)
    n_comp, _ = csgraph.connected_components(h.adjacency(), directed=False)
    assert n_comp == nx.number_connected_components(G)
    # built incrementally, one edge at a time, it is the same graph
    k = GraphStore(capacity=1)
    for u, v, w in G.edges(data="weight"):
        k.add_edge(u, v, weight=w)
    k.add_vertices([u for u in G if u not in k])
    np.testing.assert_array_equal(
        k.adjacency().toarray(),
        nx.to_scipy_sparse_array(G, nodelist=k.labels).toarray(),
    )
