"""GraphStore: growth, ids, labels, edges, combine modes, snapshots, threads, bad input.

Every expected matrix comes from networkx (``nx.to_scipy_sparse_array``) or is
written out by hand; every raising call is followed by a check that the store
is exactly as it was.
"""

import math
import sys
import threading
import time

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse import csgraph

import graphstore as gs
from graphstore import GraphStore

FORMATS = ["csr", "csc", "coo", "lil", "dok"]


# ----------------------------------------------------------------------
# helpers
def positions(A):
    """The set of stored (i, j) of a sparse array, explicit zeros included."""
    coo = sp.coo_array(A)
    return set(zip(coo.row.tolist(), coo.col.tolist()))


def state(g):
    """Everything a failed call must leave as it was (reads merge pending edits,
    which does not change what the store holds)."""
    g._check()
    labels = g.labels
    out = {
        "labels": labels,
        "types": [type(x) for x in labels],
        "ids": [g.vertex_id(x) for x in labels],
        "num_ids": g.num_ids,
        "capacity": g.capacity,
        "num_grows": g.num_grows,
        "num_edges": g.num_edges,
        "directed": g.directed,
        "dtype": g.dtype,
    }
    for attr in g.edge_attrs:
        A = g.adjacency(weight=attr)
        out[attr] = (A.shape, A.toarray().tolist(), sorted(positions(A)))
    return out


def assert_matches_nx(g, G, attrs=("weight",)):
    """g equals the networkx graph G: labels, adjacency (values and pattern), edges."""
    g._check()
    assert g.labels == list(G)
    assert g.directed == G.is_directed()
    assert g.num_edges == G.number_of_edges()
    n = len(G)
    for attr in attrs:
        A = g.adjacency(weight=attr)
        assert A.shape == (n, n)
        if n:
            B = nx.to_scipy_sparse_array(G, nodelist=list(G), weight=attr)
            np.testing.assert_array_equal(A.toarray(), B.toarray())
            assert positions(A) == positions(B)


def triangle(directed=False, **kwargs):
    g = GraphStore(directed=directed, **kwargs)
    g.add_edges_from([("a", "b", 2.0), ("b", "c", 3.0), ("c", "c", 0.5)])
    return g


# ----------------------------------------------------------------------
# the motivating case
@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("create", ["add_vertex", "add_edge"])
def test_motivating_case_grow_by_one_vertex(directed, create):
    g = GraphStore(directed=directed, capacity=3)
    assert list(g.add_vertices(["X", "Y", "Z"])) == [0, 1, 2]
    g.add_edge("X", "Y", weight=2.0)
    g.add_edge("Y", "Z", weight=0.5)
    g.add_edge("X", "Z", weight=3.0)
    g.add_edge("Z", "Z", weight=1.5)
    A3 = g.adjacency()
    if directed:
        expected3 = np.array([[0, 2, 3], [0, 0, 0.5], [0, 0, 1.5]])
    else:
        expected3 = np.array([[0, 2, 3], [2, 0, 0.5], [3, 0.5, 1.5]])
    np.testing.assert_array_equal(A3.toarray(), expected3)
    assert g.num_grows == 0

    if create == "add_vertex":
        assert g.add_vertex("A") == 3
    g.add_edge("Z", "A", weight=1.0)  # "A" created here when it is new
    A4 = g.adjacency()

    assert A4.shape == (4, 4)
    assert g.labels == ["X", "Y", "Z", "A"]
    assert g.num_grows == 1 and g.capacity >= 4
    np.testing.assert_array_equal(A4.toarray()[:3, :3], expected3)  # nothing disturbed
    expected4 = np.zeros((4, 4))
    expected4[:3, :3] = expected3
    expected4[2, 3] = 1.0
    if not directed:
        expected4[3, 2] = 1.0
    np.testing.assert_array_equal(A4.toarray(), expected4)
    np.testing.assert_array_equal(A3.toarray(), expected3)  # the old snapshot too

    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(["X", "Y", "Z"])
    G.add_weighted_edges_from([("X", "Y", 2.0), ("Y", "Z", 0.5), ("X", "Z", 3.0), ("Z", "Z", 1.5)])
    G.add_edge("Z", "A", weight=1.0)
    assert_matches_nx(g, G)


# ----------------------------------------------------------------------
# growth
def test_capacity_doubles_one_vertex_at_a_time():
    g = GraphStore(capacity=1)
    caps = [g.capacity]
    for _ in range(10**4):
        g.add_vertex()
        assert g.capacity >= g.num_ids
        if g.capacity != caps[-1]:
            caps.append(g.capacity)
    assert g.num_grows == math.ceil(math.log2(10**4)) == 14
    assert caps == [2**k for k in range(15)]  # doubling, nothing else
    assert g.capacity == 2**14
    assert g.labels == list(range(10**4))
    g._check()


def test_initial_capacity_is_a_class_attribute(monkeypatch):
    monkeypatch.setattr(GraphStore, "INITIAL_CAPACITY", 2)
    g = GraphStore()
    assert g.capacity == 2 and g.num_grows == 0
    g.add_vertices(["a", "b"])
    assert g.num_grows == 0
    g.add_vertex("c")
    assert g.capacity == 4 and g.num_grows == 1


def test_batches_grow_once_straight_to_what_they_need():
    g = GraphStore(capacity=1)
    g.add_vertices(1000)
    assert g.num_grows == 1 and g.capacity >= 1000
    g.add_vertices([f"v{k}" for k in range(3000)])
    assert g.num_grows == 2 and g.capacity >= 4000
    grows = g.num_grows
    # add_edges creating 5000 new endpoints: one growth
    new = np.array([f"w{k}" for k in range(5000)])
    g.add_edges(new[:2500], new[2500:], 1.0)
    assert g.num_grows == grows + 1 and g.capacity >= g.num_ids == 9000
    g._check()


def test_growth_never_disturbs_stored_values():
    g = GraphStore(directed=True, capacity=1)
    g.add_vertex()
    prev, prev_cap = g.adjacency().toarray(), g.capacity
    for k in range(1, 300):
        g.add_edge(k, k - 1, weight=float(k))  # creates vertex k
        g.add_edge(k // 2, k, weight=-float(k))
        if g.capacity != prev_cap:  # just grew: every earlier value is in place
            A = g.adjacency().toarray()
            m = prev.shape[0]
            np.testing.assert_array_equal(A[:m, :m], prev)
            prev_cap = g.capacity
        prev = g.adjacency().toarray()
    G = nx.DiGraph()
    G.add_node(0)
    for k in range(1, 300):
        G.add_edge(k, k - 1, weight=float(k))
        G.add_edge(k // 2, k, weight=-float(k))
    assert_matches_nx(g, G)


# ----------------------------------------------------------------------
# ids, removal, compact
def test_ids_are_stable_after_removal_and_compact_renumbers():
    g = GraphStore()
    g.add_vertices(["a", "b", "c", "d"])
    g.add_edges_from([("a", "b", 1.0), ("b", "c", 2.0), ("c", "d", 3.0), ("a", "d", 4.0)])
    g.remove_vertex("b")
    assert [g.vertex_id(x) for x in "acd"] == [0, 2, 3]
    assert g.labels == ["a", "c", "d"] and g.num_ids == 4 and g.num_vertices == 3
    assert [g.index(x) for x in "acd"] == [0, 1, 2]
    assert g.label_of(2) == "c"
    with pytest.raises(KeyError, match="vertex id 1 was removed"):
        g.label_of(1)
    with pytest.raises(IndexError, match="out of range"):
        g.label_of(4)
    with pytest.raises(IndexError, match="out of range"):
        g.label_of(-1)  # not wrap-around
    with pytest.raises(TypeError, match="not an integer"):
        g.label_of(2.0)
    assert g.add_vertex("e") == 4  # ids are never reused
    assert g.add_vertex("b") == 5  # a re-added label is a new vertex, at the end
    g.add_edge("b", "e", weight=5.0)

    G = nx.Graph()
    G.add_nodes_from("abcd")
    G.add_weighted_edges_from([("a", "b", 1.0), ("b", "c", 2.0), ("c", "d", 3.0), ("a", "d", 4.0)])
    G.remove_node("b")
    G.add_nodes_from(["e", "b"])
    G.add_edge("b", "e", weight=5.0)
    assert_matches_nx(g, G)

    before = g.adjacency().toarray()
    mapping = g.compact()
    np.testing.assert_array_equal(mapping, [0, -1, 1, 2, 3, 4])
    assert [g.vertex_id(x) for x in g.labels] == [0, 1, 2, 3, 4]
    assert g.num_ids == 5
    np.testing.assert_array_equal(g.adjacency().toarray(), before)
    assert_matches_nx(g, G)
    assert g.add_vertex("f") == 5
    # compacting a store without holes changes nothing
    np.testing.assert_array_equal(g.compact(), np.arange(6))
    assert g.num_ids == 6


def test_remove_vertex_unknown_is_keyerror_and_unchanged():
    g = triangle()
    before = state(g)
    with pytest.raises(KeyError, match="'zz'"):
        g.remove_vertex("zz")
    assert state(g) == before
    g.remove_vertex("c")
    before = state(g)
    with pytest.raises(KeyError, match="'c'"):
        g.remove_vertex("c")
    with pytest.raises(KeyError, match="'c'"):
        g.remove_edge("a", "c")
    assert state(g) == before


def test_remove_edge_missing_is_keyerror_and_unchanged():
    g = triangle(directed=True)
    before = state(g)
    with pytest.raises(KeyError, match=r"\('b', 'a'\)"):
        g.remove_edge("b", "a")  # only a -> b exists
    assert state(g) == before
    with pytest.raises(KeyError, match="'zz'"):
        g.remove_edge("a", "zz")
    assert state(g) == before
    with pytest.raises(KeyError, match=r"\('c', 'a'\)"):
        g.remove_edges(["a", "c"], ["b", "a"])  # the first exists: atomic, nothing removed
    assert state(g) == before
    with pytest.raises(ValueError, match="2 entries but dst has 1"):
        g.remove_edges(["a", "b"], ["b"])
    assert state(g) == before
    with pytest.raises(IndexError, match="out of range"):
        g.remove_edges([0], [7], by="id")
    assert state(g) == before


# ----------------------------------------------------------------------
# labels
@pytest.mark.parametrize("same", [1.0, True, np.int64(1), np.float64(1.0), np.int8(1)])
def test_equal_labels_are_the_same_vertex(same):
    g = GraphStore()
    g.add_vertex(1)
    assert g.has_vertex(same) and same in g and g.vertex_id(same) == 0
    before = state(g)
    with pytest.raises(ValueError, match="already in the store"):
        g.add_vertex(same)
    with pytest.raises(ValueError, match="already in the store"):
        g.add_vertices([same])
    assert state(g) == before
    g.add_edge(same, 1, weight=2.0)  # a self-loop on vertex 1
    g.add_edges([same], [1], [3.0])
    assert g.labels == [1] and type(g.labels[0]) is int
    assert g.num_edges == 1 and g.weight(1, same) == 3.0
    G = nx.Graph()
    G.add_node(1)
    G.add_edge(same, 1, weight=2.0)
    G.add_edge(same, 1, weight=3.0)
    assert_matches_nx(g, G)


def test_unhashable_labels_are_typeerror_naming_them():
    g = triangle()
    before = state(g)
    with pytest.raises(TypeError, match=r"\['x'\].*unhashable"):
        g.add_vertex(["x"])
    with pytest.raises(TypeError, match=r"\{'k': 1\}.*unhashable"):
        g.add_vertices(["d", {"k": 1}])
    with pytest.raises(TypeError, match=r"\['x'\].*unhashable"):
        g.add_edge(["x"], "a")
    with pytest.raises(TypeError, match=r"\['x'\].*unhashable"):
        g.add_edge("new", ["x"])  # "new" is not created either
    with pytest.raises(TypeError, match=r"\['x'\].*unhashable"):
        g.add_edges_from([("d", "e"), (["x"], "a")])
    with pytest.raises(TypeError, match=r"\{'k': 1\}.*unhashable"):
        g.add_edges(["d", {"k": 1}], ["a", "b"])
    with pytest.raises(TypeError, match=r"\['x'\].*unhashable"):
        g.add_edges(["d", ["x"]], ["a", "b"])
    assert state(g) == before
    assert not g.has_vertex(["x"]) and ["x"] not in g
    assert not g.has_edge(["x"], "a")


def test_none_label_is_valueerror():
    g = triangle()
    before = state(g)
    with pytest.raises(ValueError, match="None"):
        g.add_edge(None, "a")
    with pytest.raises(ValueError, match="None"):
        g.add_vertices(["d", None])
    with pytest.raises(ValueError, match="None"):
        g.add_edges_from([("d", "a"), ("a", None)])
    with pytest.raises(ValueError, match="None"):
        g.add_edges(["d", None], ["a", "b"])
    assert state(g) == before
    assert g.add_vertex(None) == 3  # None means "the default label"
    assert g.labels[-1] == 3


def test_add_vertices_duplicates_and_existing_labels_change_nothing():
    g = triangle()
    before = state(g)
    with pytest.raises(ValueError, match="'d'"):
        g.add_vertices(["d", "e", "d"])
    with pytest.raises(ValueError, match="'a'"):
        g.add_vertices(["d", "a"])
    with pytest.raises(ValueError, match="'a'"):
        g.add_vertex("a")
    with pytest.raises(TypeError, match="iterable of labels or a count"):
        g.add_vertices("de")
    with pytest.raises(ValueError, match="non-negative"):
        g.add_vertices(-1)
    assert state(g) == before
    # default labels of a count clash with an existing int label
    h = GraphStore()
    h.add_vertex(1)
    before = state(h)
    with pytest.raises(ValueError, match="1"):
        h.add_vertices(2)  # labels 1, 2: 1 is taken
    with pytest.raises(ValueError, match="1"):
        h.add_vertex()  # default label: id 1
    assert state(h) == before
    assert list(h.add_vertices(0)) == []
    assert state(h) == before


def test_default_labels_fast_path_then_labels():
    g = GraphStore(directed=True)
    g.add_vertices(4)
    # default labels: integer arrays are ids
    g.add_edges(np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([1.0, 2.0, 3.0]))
    h = GraphStore(directed=True)
    h.add_vertices(4)
    h.add_edges(np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([1.0, 2.0, 3.0]), by="id")
    np.testing.assert_array_equal(g.adjacency().toarray(), h.adjacency().toarray())
    # integers past the last id are new labels, created in order of appearance
    g.add_edges(np.array([5]), np.array([4]), 4.0)
    assert g.labels == [0, 1, 2, 3, 5, 4]
    assert g.vertex_id(5) == 4 and g.vertex_id(4) == 5
    # from now on labels differ from ids: integer arrays are labels ...
    g.add_edges(np.array([4]), np.array([0]), 7.0)
    assert g.weight(4, 0) == 7.0
    # ... unless by="id": id 4 is label 5
    g.add_edges(np.array([4]), np.array([0]), 9.0, by="id")
    assert g.weight(5, 0) == 9.0 and g.weight(4, 0) == 7.0
    G = nx.DiGraph()
    G.add_nodes_from(range(4))
    G.add_weighted_edges_from([(0, 1, 1.0), (1, 2, 2.0), (2, 3, 3.0), (5, 4, 4.0),
                               (4, 0, 7.0), (5, 0, 9.0)])
    assert_matches_nx(g, G)


def test_default_labels_after_removal_create_a_new_vertex():
    g = GraphStore()
    g.add_vertices(3)
    g.remove_vertex(1)
    g.add_edges(np.array([0]), np.array([1]), 2.0)  # label 1 is gone: a new vertex
    assert g.labels == [0, 2, 1] and g.vertex_id(1) == 3
    before = state(g)
    with pytest.raises(KeyError, match="vertex id 1 in dst was removed"):
        g.add_edges(np.array([0]), np.array([1]), by="id")
    assert state(g) == before
    G = nx.Graph()
    G.add_nodes_from(range(3))
    G.remove_node(1)
    G.add_edge(0, 1, weight=2.0)
    assert_matches_nx(g, G)


# ----------------------------------------------------------------------
# edges
@pytest.mark.parametrize("directed", [False, True])
def test_zero_weights_are_edges(directed):
    g = GraphStore(directed=directed)
    g.add_edge("a", "b", weight=0.0)
    g.add_edges(["b"], ["c"], [0.0])
    g.add_edges_from([("c", "c", 0.0)])
    assert g.num_edges == 3
    assert g.has_edge("a", "b") and g.weight("a", "b") == 0.0
    A = g.adjacency()
    assert A.nnz == (3 if directed else 5)
    assert not A.toarray().any()
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_weighted_edges_from([("a", "b", 0.0), ("b", "c", 0.0), ("c", "c", 0.0)])
    assert_matches_nx(g, G)
    # scipy's csgraph sees the stored zeros as edges: one component
    n_comp, _ = csgraph.connected_components(A, directed=directed, connection="weak")
    assert n_comp == 1
    np.testing.assert_array_equal(g.degree(), [d for _, d in G.degree()])
    g.remove_edge("a", "b")
    G.remove_edge("a", "b")
    assert_matches_nx(g, G)


def test_add_edge_updates_and_keeps_weight_when_not_given():
    g = GraphStore()
    G = nx.Graph()
    g.add_edge("a", "b", weight=3.0)
    G.add_edge("a", "b", weight=3.0)
    g.add_edge("a", "b")  # networkx: attributes not given are kept
    G.add_edge("a", "b")
    g.add_edge("b", "c")  # a new edge without weight weighs 1
    G.add_edge("b", "c")
    g.add_edges(["c"], ["d"])
    G.add_edge("c", "d")
    g.add_edges(["a", "c"], ["b", "d"])  # batch without weights keeps them too
    assert g.weight("a", "b") == 3.0 and g.weight("b", "c") == 1.0
    assert_matches_nx(g, G)


def hand_batch(directed):
    """Stored edges, one batch, and the expected result of each combine mode."""
    stored = [(0, 1, 5.0), (1, 2, -1.0)]
    if directed:
        src, dst = [0, 0, 2, 0, 1], [1, 1, 0, 1, 2]
    else:  # (1, 0) is the same edge as (0, 1)
        src, dst = [0, 1, 2, 1, 1], [1, 0, 0, 0, 2]
    w = [1.0, 2.0, 4.0, -3.0, 6.0]
    # pairs: 0-1 stored 5, batch [1, 2, -3]; 2-0 new, batch [4]; 1-2 stored -1, batch [6]
    result = {
        "last": {(0, 1): -3.0, (2, 0): 4.0, (1, 2): 6.0},
        "sum": {(0, 1): 5.0, (2, 0): 4.0, (1, 2): 5.0},
        "min": {(0, 1): -3.0, (2, 0): 4.0, (1, 2): -1.0},
        "max": {(0, 1): 5.0, (2, 0): 4.0, (1, 2): 6.0},
    }
    return stored, src, dst, w, result


def dense(entries, n, directed):
    M = np.zeros((n, n))
    for (i, j), w in entries.items():
        M[i, j] = w
        if not directed:
            M[j, i] = w
    return M


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("combine", ["last", "sum", "min", "max"])
@pytest.mark.parametrize("by", ["label", "id"])
def test_combine_modes_against_a_hand_computation(directed, combine, by):
    stored, src, dst, w, result = hand_batch(directed)
    g = GraphStore(directed=directed)
    g.add_vertices(3)
    g.add_edges_from(stored)
    g.add_edges(np.array(src), np.array(dst), np.array(w), combine=combine, by=by)
    np.testing.assert_array_equal(g.adjacency().toarray(), dense(result[combine], 3, directed))
    assert g.num_edges == 3
    # the same with the stored edges still pending (no read in between)
    h = GraphStore(directed=directed)
    h.add_vertices(3)
    h.add_edges_from(stored)
    h.add_edges(src, dst, w, combine=combine, by=by)
    np.testing.assert_array_equal(h.adjacency().toarray(), dense(result[combine], 3, directed))


@pytest.mark.parametrize("combine", ["last", "sum", "min", "max"])
def test_combine_scalar_and_missing_weights(combine):
    g = GraphStore(directed=True)
    g.add_edge(0, 1, weight=5.0)
    g.add_edges([0, 0, 1], [1, 1, 2], 2.0, combine=combine)  # a scalar, repeated
    expected = {"last": 2.0, "sum": 9.0, "min": 2.0, "max": 5.0}[combine]
    assert g.weight(0, 1) == expected
    assert g.weight(1, 2) == 2.0
    g.add_edges([0, 2], [1, 0], combine=combine)  # no weights: kept, or 1 when new
    assert g.weight(0, 1) == expected and g.weight(2, 0) == 1.0


@pytest.mark.parametrize("read_between", [True, False])
@pytest.mark.parametrize("combine", ["sum", "min", "max"])
def test_combine_batches_apply_in_order(combine, read_between):
    """Two batches: the first creates a - b without a weight (so it weighs 1),
    the second combines 5 with that 1. A read in between must not matter."""
    g = GraphStore(directed=True)
    g.add_edges(["a"], ["b"], combine=combine)
    if read_between:
        assert g.weight("a", "b") == 1.0
    g.add_edges(["a"], ["b"], [5.0], combine=combine)
    assert g.weight("a", "b") == {"sum": 6.0, "min": 1.0, "max": 5.0}[combine]
    # the same with add_edge, whose pending writes come first
    h = GraphStore(directed=True)
    h.add_edge("a", "b")
    h.add_edges(["a"], ["b"], [5.0], combine=combine)
    assert h.weight("a", "b") == {"sum": 6.0, "min": 1.0, "max": 5.0}[combine]


def test_int_dtype_combine():
    g = GraphStore(dtype=np.int64)
    g.add_edge(0, 1, weight=3)
    g.add_edges([0, 1, 1], [1, 0, 2], [4, 5, 6], combine="sum")
    A = g.adjacency()
    assert A.dtype == np.int64
    np.testing.assert_array_equal(A.toarray(), [[0, 12, 0], [12, 0, 6], [0, 6, 0]])
    assert g.weight(0, 1) == 12 and type(g.weight(0, 1)) is int


def test_int_dtype_rejects_fractions_and_overflow():
    g = GraphStore(dtype=np.int32)
    g.add_edge(0, 1, weight=2)
    g.add_edge(0, 1, weight=3.0)  # an integral float is fine
    before = state(g)
    with pytest.raises(ValueError, match="1.5.*not an integer"):
        g.add_edge(0, 2, weight=1.5)  # vertex 2 is not created either
    with pytest.raises(ValueError, match=r"weight\[1\] = .*2.5.*not an integer"):
        g.add_edges([0, 1], [1, 2], [1.0, 2.5])
    with pytest.raises(ValueError, match="not an integer"):
        g.add_edges_from([(0, 1, 2.0), (1, 2, 0.25)])
    with pytest.raises(ValueError, match="not finite"):
        g.add_edge(0, 1, weight=math.nan)
    with pytest.raises(OverflowError, match="does not fit"):
        g.add_edge(0, 1, weight=2**40)
    with pytest.raises(OverflowError, match="do not fit"):
        g.add_edges([0], [1], np.array([2**40]))
    assert state(g) == before
    assert g.adjacency().dtype == np.int32
    h = GraphStore(dtype=np.int8)
    with pytest.raises(OverflowError, match="does not fit"):
        h.add_edge(0, 1, weight=300)
    assert h.num_vertices == 0


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, np.float32("nan")])
def test_non_finite_weights_are_rejected(bad):
    g = triangle()
    before = state(g)
    with pytest.raises(ValueError, match="not finite"):
        g.add_edge("a", "new", weight=bad)
    with pytest.raises(ValueError, match="not finite"):
        g.add_edges(["a", "b"], ["new", "c"], [1.0, bad])
    with pytest.raises(ValueError, match="not finite"):
        g.add_edges(["a", "b"], ["new", "c"], bad)
    with pytest.raises(ValueError, match="not finite"):
        g.add_edges_from([("a", "new", 1.0), ("b", "c", {"weight": bad})])
    assert state(g) == before


@pytest.mark.parametrize(
    "call, err, match",
    [
        (lambda g: g.add_edges(["a", "b"], ["b"]), ValueError, "src has 2 entries but dst has 1"),
        (lambda g: g.add_edges([0, 1], [1], by="id"), ValueError, "2 entries but dst has 1"),
        (lambda g: g.add_edges(["a"], ["b"], [1.0, 2.0]), ValueError, "length 2"),
        (lambda g: g.add_edges(np.array([["a"]]), np.array([["b"]])), ValueError, "1-D"),
        (lambda g: g.add_edges(np.zeros((1, 1), int), np.zeros((1, 1), int), by="id"),
         ValueError, "1-D"),
        (lambda g: g.add_edges(["a"], ["b"], np.ones((1, 1))), ValueError, "1-D"),
        (lambda g: g.add_edges(["a"], ["b"], ["x"]), TypeError, "not real numbers"),
        (lambda g: g.add_edges(np.array([0.0, 1.7]), np.array([1, 2]), by="id"),
         TypeError, "integers"),
        (lambda g: g.add_edges(np.array([0, 1]), np.array([True, False]), by="id"),
         TypeError, "integers"),
        (lambda g: g.add_edges(np.array([0, -1]), np.array([1, 2]), by="id"), IndexError, "-1"),
        (lambda g: g.add_edges(np.array([0, 3]), np.array([1, 2]), by="id"),
         IndexError, "out of range"),
        (lambda g: g.add_edges(["a"], ["b"], combine="avg"),
         ValueError, "'last', 'sum', 'min', 'max'"),
        (lambda g: g.add_edges(["a"], ["b"], by="name"), ValueError, "'label', 'id'"),
        (lambda g: g.add_edges(["a"], ["b"], capacity=[1.0]), ValueError, "'weight'"),
        (lambda g: g.add_edge("a", "b", weight="heavy"), TypeError, "not a real number"),
        (lambda g: g.add_edge("a", "b", weight=1j), TypeError, "complex"),
        (lambda g: g.add_edge("a", "b", color=1.0), ValueError, "'color'.*'weight'"),
        (lambda g: g.add_edges_from([("a", "b", 1.0, 2.0)]), ValueError, "tuple"),
        (lambda g: g.add_edges_from([("a", "new"), "ab"]), ValueError, "tuple"),
        (lambda g: g.add_edges_from([("a", "new", {"colour": 1.0})]), ValueError, "'colour'"),
    ],
)
def test_bad_input_raises_and_changes_nothing(call, err, match):
    def build():
        g = triangle()
        g.add_edge("a", "b", weight=7.0)  # pending writes of both kinds at the call
        g.add_edges(["c"], ["a"], [4.0])
        return g

    g = build()
    with pytest.raises(err, match=match):
        call(g)
    assert state(g) == state(build())  # as if the call had never happened


def test_query_errors():
    g = triangle(directed=True)
    before = state(g)
    with pytest.raises(KeyError, match=r"\('b', 'a'\)"):
        g.weight("b", "a")
    with pytest.raises(KeyError, match="'zz'"):
        g.weight("a", "zz")
    assert g.weight("b", "a", default=0.0) == 0.0
    assert g.weight("a", "zz", default=-1.0) == -1.0
    assert not g.has_edge("a", "zz") and not g.has_edge("zz", "zz")
    with pytest.raises(KeyError, match="'zz'"):
        list(g.neighbors("zz"))
    with pytest.raises(KeyError, match="'zz'"):
        g.degree("zz")
    with pytest.raises(TypeError, match="directed"):
        triangle().predecessors("a")
    assert state(g) == before


@pytest.mark.parametrize("directed", [False, True])
def test_degree_neighbors_edges_against_networkx(directed):
    G = nx.gnm_random_graph(30, 80, seed=3, directed=directed)
    rng = np.random.default_rng(3)
    for u, v in G.edges():
        G[u][v]["weight"] = float(rng.integers(-3, 4))
    G.add_edge(4, 4, weight=2.5)
    G.add_edge(7, 7, weight=0.0)
    g = GraphStore(directed=directed, capacity=1)
    g.add_vertices(list(G))
    g.add_edges_from(G.edges(data=True))
    assert_matches_nx(g, G)
    np.testing.assert_array_equal(g.degree(), [d for _, d in G.degree()])
    np.testing.assert_array_equal(g.degree(weight="weight"),
                                  [d for _, d in G.degree(weight="weight")])
    for u in [0, 4, 7, 29]:
        assert g.degree(u) == G.degree(u)
        assert g.degree(u, weight="weight") == G.degree(u, weight="weight")
        assert sorted(g.neighbors(u)) == sorted(G.neighbors(u))
    if directed:
        np.testing.assert_array_equal(g.degree(direction="in"), [d for _, d in G.in_degree()])
        np.testing.assert_array_equal(g.degree(direction="out"), [d for _, d in G.out_degree()])
        for u in [0, 4, 7, 29]:
            assert sorted(g.predecessors(u)) == sorted(G.predecessors(u))
            assert sorted(g.successors(u)) == sorted(G.successors(u))
    got = {(u, v) if directed else frozenset((u, v)): w for u, v, w in g.edges(data="weight")}
    exp = {(u, v) if directed else frozenset((u, v)): w for u, v, w in G.edges(data="weight")}
    assert got == exp and len(list(g.edges())) == G.number_of_edges()


def test_predecessors_after_growth():
    """The column index used by predecessors must follow the capacity."""
    g = GraphStore(directed=True, capacity=1)
    g.add_edge("a", "a")
    assert list(g.predecessors("a")) == ["a"]
    g.add_vertex("b")  # the capacity grows; no edge changes
    assert list(g.predecessors("b")) == []
    g.add_edge("c", "b")
    assert list(g.predecessors("b")) == ["c"]
    g._check()


# ----------------------------------------------------------------------
# edge attributes
def test_attributes_not_given_keep_their_values():
    g = GraphStore(edge_attrs=("weight", "capacity"))
    G = nx.Graph()

    def both(u, v, **attrs):
        G.add_edge(u, v, **attrs)

    g.add_edge("a", "b", weight=2.0)  # capacity not given: 1 on a new edge
    both("a", "b", weight=2.0, capacity=1.0)
    assert g.weight("a", "b", attr="capacity") == 1.0
    g.add_edge("a", "b", capacity=5.0)  # the weight stays
    both("a", "b", capacity=5.0)
    g.add_edge("a", "b")  # nothing given: both stay
    assert (g.weight("a", "b"), g.weight("a", "b", attr="capacity")) == (2.0, 5.0)
    g.add_edges(["a", "b"], ["b", "c"], capacity=[7.0, 8.0])  # weights: kept, or 1
    both("a", "b", capacity=7.0)
    both("b", "c", weight=1.0, capacity=8.0)
    g.add_edges(["b"], ["c"], [3.0])
    both("b", "c", weight=3.0)
    g.add_edges_from([("c", "d", {"capacity": 4.0}), ("a", "b", {"weight": 9.0}), ("d", "e")])
    both("c", "d", weight=1.0, capacity=4.0)
    both("a", "b", weight=9.0)
    both("d", "e", weight=1.0, capacity=1.0)
    g.add_edge("e", "f", capacity=6.0)  # two pending writes to one edge, then a read
    g.add_edge("e", "f", weight=0.5)
    both("e", "f", weight=0.5, capacity=6.0)
    assert_matches_nx(g, G, attrs=("weight", "capacity"))
    assert list(g.edges(data=True)) == [
        (u, v, {"weight": d["weight"], "capacity": d["capacity"]})
        for u, v, d in G.edges(data=True)
    ]


@pytest.mark.parametrize("directed", [False, True])
def test_extra_attributes_export_and_networkx_round_trip(directed):
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(["s", "x", "y", "t", "lonely"])
    G.add_edge("s", "x", weight=1.5, capacity=10.0)
    G.add_edge("x", "y", weight=0.0, capacity=4.0)
    G.add_edge("y", "t", weight=2.0, capacity=0.0)
    G.add_edge("t", "t", weight=-1.0, capacity=3.0)
    g = gs.from_networkx(G, edge_attrs=("capacity",))
    assert g.edge_attrs == ("weight", "capacity")
    assert_matches_nx(g, G, attrs=("weight", "capacity"))
    H = g.to_networkx()
    assert nx.utils.graphs_equal(H, G)
    assert H.edges["x", "y"] == {"weight": 0.0, "capacity": 4.0}
    g2 = GraphStore.from_networkx(H, edge_attrs=("capacity",))
    assert_matches_nx(g2, G, attrs=("weight", "capacity"))
    before = state(g)
    with pytest.raises(ValueError, match="'weight', 'capacity'"):
        g.adjacency(weight="cost")
    with pytest.raises(ValueError, match="'weight', 'capacity'"):
        g.add_edge("s", "x", cost=1.0)
    assert state(g) == before


# ----------------------------------------------------------------------
# iteration
def test_iterators_list_what_was_there_at_the_call():
    # networkx raises on a dict changed during iteration; a store's iterators
    # list the items at the call, so peeling loops may edit while they iterate
    g = triangle()
    g.add_edge("a", "c")
    before = list(g.edges())
    it = g.edges()
    first = next(it)
    g.add_edge("c", "d")
    assert [first, *it] == before and ("a", "c") in before and ("c", "d") not in before

    it = g.neighbors("a")
    assert next(it) == "b"
    g.remove_edge("a", "c")
    assert list(it) == ["c"]
    assert list(g.neighbors("a")) == ["b"]

    for u in g:
        g.add_vertex(f"new-{u}")
    assert g.labels[-4:] == ["new-a", "new-b", "new-c", "new-d"]

    h = triangle(directed=True)
    h.add_edge("a", "c")
    before = list(h.predecessors("c"))
    it = h.predecessors("c")
    assert next(it) == "a"
    h.remove_vertex("a")
    assert ["a", *it] == before
    assert list(h.predecessors("c")) == before[1:]
    g._check()
    h._check()


def test_reads_and_failed_calls_do_not_break_iteration():
    g = triangle()
    seen = []
    for u, v in g.edges():
        seen.append((u, v))
        g.adjacency()
        g.has_edge(u, v)
        g.degree()
        g.weight(u, v)
        assert g.num_edges == 3
        with pytest.raises(ValueError):
            g.add_vertex("a")
        with pytest.raises(KeyError):
            g.remove_edge("a", "c")
    assert seen == [("a", "b"), ("b", "c"), ("c", "c")]
    for _ in g.neighbors("b"):
        g.add_edges([], [])  # an empty batch changes nothing
    g.add_edge("a", "c")  # after the loop: fine


# ----------------------------------------------------------------------
# the empty store
@pytest.mark.parametrize("directed", [False, True])
def test_empty_store(directed, tmp_path):
    g = GraphStore(directed=directed)
    for fmt in FORMATS:
        A = g.adjacency(fmt)
        assert A.shape == (0, 0) and A.nnz == 0 and A.format == fmt
    assert g.num_edges == 0 and g.num_vertices == 0 and len(g) == 0
    assert g.degree().shape == (0,)
    assert list(g.edges()) == [] and list(g) == [] and g.labels == []
    g.save(tmp_path / "empty.npz")
    h = GraphStore.load(tmp_path / "empty.npz")
    assert h.directed == directed and h.labels == [] and h.adjacency().shape == (0, 0)
    G = g.to_networkx()
    assert G.is_directed() == directed and len(G) == 0
    assert nx.utils.graphs_equal(G, nx.DiGraph() if directed else nx.Graph())
    k = gs.from_networkx(G)
    assert k.directed == directed and k.adjacency().shape == (0, 0)
    assert gs.from_scipy(sp.csr_array((0, 0))).adjacency().shape == (0, 0)
    # a store emptied by removals keeps its holes
    g.add_edges_from([("a", "b"), ("b", "b")])
    g.remove_vertex("a")
    g.remove_vertex("b")
    assert g.adjacency().shape == (0, 0) and g.num_edges == 0 and g.num_ids == 2
    g.save(tmp_path / "emptied.npz")
    h = GraphStore.load(tmp_path / "emptied.npz")
    assert h.num_ids == 2 and h.labels == [] and h.adjacency().shape == (0, 0)
    assert h.add_vertex("c") == 2
    g._check()


# ----------------------------------------------------------------------
# exports
@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("fmt", FORMATS)
def test_adjacency_formats_agree(directed, fmt):
    g = triangle(directed=directed, edge_attrs=("weight", "capacity"))
    g.add_edge("d", "a", weight=0.0, capacity=2.0)
    ref = g.adjacency()
    A = g.adjacency(fmt)
    assert isinstance(A, sp.sparray) and A.format == fmt
    assert A.shape == ref.shape and A.dtype == ref.dtype
    np.testing.assert_array_equal(A.toarray(), ref.toarray())
    if fmt in ("csr", "csc", "coo"):
        assert positions(A) == positions(ref)  # the stored zero too
    C = g.adjacency(fmt, weight="capacity", dtype=np.float32)
    assert C.dtype == np.float32 and C.format == fmt
    np.testing.assert_array_equal(C.toarray(), g.adjacency(weight="capacity").toarray())


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda g: g.adjacency("csx"), "'csr', 'csc', 'coo', 'lil', 'dok'"),
        (lambda g: g.adjacency("dense"), "'csr', 'csc', 'coo', 'lil', 'dok'"),
        (lambda g: g.adjacency(weight="cost"), "'weight'"),
        (lambda g: g.add_edges(["a"], ["b"], combine="mean"), "'last', 'sum', 'min', 'max'"),
        (lambda g: g.degree(direction="both"), "'all', 'out', 'in'"),
        (lambda g: g.degree(weight="cost"), "'weight'"),
        (lambda g: g.weight("a", "b", attr="cost"), "'weight'"),
        (lambda g: g.edges(data="cost"), "'weight'"),
        (lambda g: g.remove_edges(["a"], ["b"], by="name"), "'label', 'id'"),
        (lambda g: gs.from_scipy(sp.eye(2), directed=False, symmetrize="mean"),
         "'max', 'min', 'sum', 'upper', 'lower'"),
    ],
)
def test_unknown_choices_list_the_allowed_values(call, match):
    g = triangle()
    before = state(g)
    with pytest.raises(ValueError, match=match):
        call(g)
    assert state(g) == before


def test_cached_snapshot_is_read_only_and_copies_are_independent():
    g = triangle()
    A = g.adjacency()
    # O(1) while unchanged: a new object over the same read-only buffers
    assert g.adjacency() is not A and np.shares_memory(g.adjacency().data, A.data)
    old = A.toarray()
    for arr in (A.data, A.indptr):  # A.indices: see the next test
        assert not arr.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 1
    with pytest.raises(ValueError, match="read-only"):
        A[0, 1] = 5.0
    # reads do not invalidate the snapshot
    g.has_edge("a", "b"), g.weight("a", "b"), g.degree(), list(g.edges()), g.num_edges
    assert np.shares_memory(g.adjacency().data, A.data)
    np.testing.assert_array_equal(g.adjacency().toarray(), old)
    # copy=True: a writable, independent csr
    B = g.adjacency(copy=True)
    assert B is not A and B.format == "csr"
    B.data[:] = 42.0
    B.indices[0] = B.indices[0]
    np.testing.assert_array_equal(A.toarray(), old)
    np.testing.assert_array_equal(g.adjacency().toarray(), old)
    # a cast is a new writable array
    D = g.adjacency(dtype=np.float32)
    D.data[:] = -1.0
    np.testing.assert_array_equal(g.adjacency().toarray(), old)
    # a mutation makes a new snapshot; the old one keeps its values
    g.add_edge("a", "c", weight=9.0)
    A2 = g.adjacency()
    assert A2 is not A and A2[0, 2] == 9.0
    np.testing.assert_array_equal(A.toarray(), old)
    g.remove_vertex("b")
    g.compact()
    g.add_vertices(["p", "q"])
    A3 = g.adjacency()
    assert A3.shape == (4, 4)
    np.testing.assert_array_equal(A.toarray(), old)
    np.testing.assert_array_equal(A2.toarray()[[0, 2]][:, [0, 2]], A3.toarray()[:2, :2])
    g._check()


@pytest.mark.parametrize("fmt", ["csc", "coo", "lil", "dok"])
def test_other_formats_are_new_writable_arrays(fmt):
    """The docstring: "other formats and dtypes are always new arrays"."""
    g = triangle()
    A = g.adjacency()
    old = A.toarray()
    B = g.adjacency(fmt)
    assert B is not g.adjacency(fmt)
    for name in ("data", "indices", "indptr", "row", "col"):
        arr = getattr(B, name, None)
        if isinstance(arr, np.ndarray):
            assert not np.shares_memory(arr, A.data), name
            assert arr.flags.writeable, name
    B[0, 1] = -5.0  # an existing entry
    assert B[0, 1] == -5.0
    np.testing.assert_array_equal(A.toarray(), old)
    np.testing.assert_array_equal(g.adjacency().toarray(), old)
    assert g.weight("a", "b") == 2.0


@pytest.mark.parametrize("holes", [False, True])
def test_snapshot_index_arrays_are_read_only(holes):
    """Writing into the cached snapshot's indices must fail, not corrupt the cache."""
    g = triangle()
    if holes:
        g.add_vertex("gone")
        g.remove_vertex("gone")
    A = g.adjacency()
    old = A.toarray()
    assert not A.indices.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        A.indices[0] = 2
    np.testing.assert_array_equal(g.adjacency().toarray(), old)


# ----------------------------------------------------------------------
# threads
@pytest.mark.parametrize("directed", [False, True])
def test_threads_one_writer_three_readers(directed):
    g = GraphStore(directed=directed, capacity=1)
    G = nx.DiGraph() if directed else nx.Graph()  # touched by the writer only
    stop = threading.Event()
    errors = []
    reads = [0, 0, 0]

    def writer():
        rng = np.random.default_rng(7)
        deadline = time.monotonic() + 0.9  # two parametrizations: ~2 s in all
        step = 0
        try:
            while time.monotonic() < deadline:
                op = step % 4
                if op == 0:
                    u, v = (int(x) for x in rng.integers(0, 300, 2))
                    w = float(rng.integers(-4, 5))
                    g.add_edge(u, v, weight=w)
                    G.add_edge(u, v, weight=w)
                elif op == 1:
                    src = rng.integers(0, 300, 40)
                    dst = rng.integers(0, 300, 40)
                    w = rng.integers(-4, 5, 40).astype(float)
                    g.add_edges(src, dst, w)  # "last": apply in order
                    for u, v, x in zip(src.tolist(), dst.tolist(), w.tolist()):
                        G.add_edge(u, v, weight=x)
                elif op == 2 and G.number_of_edges():
                    edges = list(G.edges())
                    u, v = edges[int(rng.integers(len(edges)))]
                    g.remove_edge(u, v)
                    G.remove_edge(u, v)
                elif op == 3:
                    batch = [(int(a), int(b), 0.5) for a, b in rng.integers(0, 300, (5, 2))]
                    g.add_edges_from(batch)
                    G.add_weighted_edges_from(batch)
                step += 1
        except BaseException as err:  # reported by the main thread
            errors.append(err)
        finally:
            stop.set()

    def reader(k):
        rng = np.random.default_rng(k)
        try:
            while not stop.is_set():
                A = g.adjacency()
                n = A.shape[0]
                assert A.shape == (n, n) and A.format == "csr"
                assert np.isfinite(A.data).all()
                if not directed:
                    T = A.T.tocsr()
                    T.sort_indices()
                    assert np.array_equal(T.indptr, A.indptr)
                    assert np.array_equal(T.indices, A.indices)
                    assert np.array_equal(T.data, A.data)
                snap = g.snapshot()  # matrix and labels taken under one lock agree
                assert snap.matrix.shape == (len(snap.labels), len(snap.labels))
                coo = snap.matrix.tocoo()
                loops = int((coo.row == coo.col).sum())
                edges = coo.nnz if directed else (coo.nnz + loops) // 2
                assert edges <= 300 * 300 and (directed or (coo.nnz - loops) % 2 == 0)
                d = g.degree()
                assert d.ndim == 1 and (d >= 0).all()
                assert np.isfinite(g.degree(weight="weight")).all()
                u, v = (int(x) for x in rng.integers(0, 300, 2))
                if g.has_edge(u, v):
                    try:
                        assert math.isfinite(g.weight(u, v))
                    except KeyError:  # removed in between
                        pass
                try:
                    list(g.neighbors(u))
                except (KeyError, RuntimeError):  # not yet a vertex / changed meanwhile
                    pass
                reads[k] += 1
        except BaseException as err:
            errors.append(err)
            stop.set()

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # interleave threads often
    try:
        threads = [threading.Thread(target=writer)]
        threads += [threading.Thread(target=reader, args=(k,)) for k in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    finally:
        sys.setswitchinterval(old)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert all(r > 0 for r in reads)
    assert_matches_nx(g, G)


# ----------------------------------------------------------------------
# big batches
def test_huge_batch_is_validated_before_anything_changes():
    N = 10**6
    rng = np.random.default_rng(1)
    g = GraphStore(directed=True)
    g.add_vertices(10)
    g.add_edges(np.arange(9), np.arange(1, 10), np.arange(1.0, 10.0))
    before = state(g)
    src = rng.integers(0, 3000, N)  # most labels are new vertices
    dst = rng.integers(0, 3000, N)
    w = rng.integers(1, 5, N).astype(np.float64)
    w[-1] = np.nan
    with pytest.raises(ValueError, match=rf"weight\[{N - 1}\]"):
        g.add_edges(src, dst, w)
    assert state(g) == before
    ids = rng.integers(0, 10, N)
    bad = ids.copy()
    bad[-1] = -1
    with pytest.raises(IndexError, match="-1"):
        g.add_edges(ids, bad, by="id")
    with pytest.raises(ValueError, match=f"src has {N} entries but dst has {N - 1}"):
        g.add_edges(src, dst[:-1], w[:-1])
    assert state(g) == before

    # the valid batch: one growth, straight to what it needs
    w[-1] = 2.0
    g.add_edges(src, dst, w, combine="sum")
    assert g.num_grows == before["num_grows"] + 1
    assert g.capacity >= g.num_ids
    # reference: labels in order of first appearance (src[0], dst[0], src[1], ...)
    inter = np.column_stack([src, dst]).ravel()
    uniq, first = np.unique(inter, return_index=True)
    new = uniq[np.argsort(first)]
    labels = list(range(10)) + [x for x in new.tolist() if x >= 10]
    assert g.labels == labels
    pos = np.empty(3000, dtype=np.intp)
    pos[labels] = np.arange(len(labels))
    n = len(labels)
    ref = sp.coo_array((w, (pos[src], pos[dst])), shape=(n, n)).tocsr()  # sums repeats
    ref = ref + sp.coo_array((np.arange(1.0, 10.0), (np.arange(9), np.arange(1, 10))),
                             shape=(n, n)).tocsr()
    A = g.adjacency()
    np.testing.assert_array_equal(A.toarray(), ref.toarray())
    g._check()
