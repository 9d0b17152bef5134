"""Core v2: point reads without merges, exports nobody can change, dtype ranges, NaN labels.

One test per defect of issue 7 (each checks the store is unchanged after a
refused call), and the exactness of point queries over pending writes: a
value read before the merge equals the value the merge stores, bit for bit.
"""

import math
import threading

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import graphstore as gs
from graphstore import GraphStore

FORMATS = ["csr", "csc", "coo", "lil", "dok"]


def dense_state(g):
    """What the store holds, from reads that do not depend on a cached export."""
    g._check()
    return (g.labels, g.num_edges, sorted(g.edges(data="weight"), key=repr))


def _set_data(A):
    A.data[...] = 7


def _set_index(A):
    if A.format in ("csr", "csc"):
        A.indices[...] = 0
    else:
        A.coords[0][...] = 0


def _set_indptr(A):
    A.indptr[...] = 0


MUTATIONS = {
    "setdiag": lambda A: A.setdiag(9.0),
    "setdiag0": lambda A: A.setdiag(0.0),
    "eliminate_zeros": lambda A: A.eliminate_zeros(),
    "sum_duplicates": lambda A: A.sum_duplicates(),
    "sort_indices": lambda A: A.sort_indices(),
    "resize": lambda A: A.resize((5, 5)),
    "prune": lambda A: A.prune(),
    "data": _set_data,
    "indices": _set_index,
    "indptr": _set_indptr,
    "imul": lambda A: A.__imul__(3.0),
    "setitem": lambda A: A.__setitem__((0, 1), 4.0),
}


def _store():
    g = GraphStore()
    g.add_edges_from([("a", "b", 2.0), ("b", "c", 0.0), ("c", "c", 1.5)])
    return g


@pytest.mark.parametrize("name", sorted(MUTATIONS))
@pytest.mark.parametrize("fmt", FORMATS + ["snapshot"])
def test_no_in_place_method_on_an_export_changes_the_store(fmt, name):
    g = _store()
    want = g.adjacency().toarray()
    before = dense_state(g)
    A = g.snapshot().matrix if fmt == "snapshot" else g.adjacency(fmt)
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", sp.SparseEfficiencyWarning)
            MUTATIONS[name](A)
    except (ValueError, TypeError, AttributeError, NotImplementedError):
        pass  # scipy refuses to write into read-only arrays: fine
    for other in FORMATS:
        B = g.adjacency(other)
        assert B.shape == (3, 3) and np.array_equal(B.toarray(), want)
    assert np.array_equal(g.laplacian().toarray(), gs.laplacian(sp.csr_array(want)).toarray())
    assert dense_state(g) == before


def test_each_adjacency_call_is_a_new_object_over_read_only_buffers():
    g = _store()
    A, B = g.adjacency(), g.adjacency()
    assert A is not B and A.data.base is B.data.base  # O(1): no copy
    for arr in (A.data, A.indices, A.indptr):
        assert not arr.flags.writeable
        with pytest.raises(ValueError):
            arr.flags.writeable = True  # a view of a read-only buffer stays read-only
    C = g.adjacency(copy=True)
    C.setdiag(5.0)
    C.eliminate_zeros()
    assert g.adjacency()[0, 0] == 0 and g.adjacency().nnz == 5


def test_snapshot_is_consistent_under_a_concurrent_writer():
    g = GraphStore()
    stop = threading.Event()

    def writer():
        k = 0
        while not stop.is_set() and k < 20000:
            g.add_edge(k, k + 1, weight=1.0)
            k += 1

    t = threading.Thread(target=writer)
    t.start()
    try:
        seen = 0
        while t.is_alive() and seen < 200:
            s = g.snapshot()
            n = len(s.labels)
            assert s.matrix.shape == (n, n)
            # a path 0-1-...: the snapshot holds exactly the edges among its labels
            assert s.matrix.nnz == 2 * max(n - 1, 0)
            seen += 1
    finally:
        stop.set()
        t.join()
    g._check()


# ----------------------------------------------------------------------
# values the dtype cannot hold
def test_float32_overflow_is_refused():
    g = GraphStore(dtype=np.float32)
    g.add_edge("a", "b", weight=1.0)
    before = dense_state(g)
    with pytest.raises(OverflowError, match="1e\\+39"):
        g.add_edge("a", "b", weight=1e39)
    with pytest.raises(OverflowError, match="float32"):
        g.add_edges(["a"], ["c"], np.array([1e39]))
    assert dense_state(g) == before and "c" not in g
    g.add_edge("a", "b", weight=0.1)  # rounded as the store holds it, before and after a merge
    assert g.weight("a", "b") == float(np.float32(0.1))
    assert g.adjacency()[0, 1] == np.float32(0.1)


@pytest.mark.parametrize("read_between", [False, True])
def test_a_sum_past_the_float_range_is_refused(read_between):
    g = GraphStore()
    g.add_edges(["a"], ["b"], [1e308])
    if read_between:
        g.adjacency()
    before = dense_state(g)
    with pytest.raises(OverflowError, match="'a', 'b'"):
        g.add_edges(["b", "x"], ["a", "y"], [1e308, 1.0], combine="sum")
    assert dense_state(g) == before and "x" not in g
    g.add_edges(["b"], ["a"], [-1e308], combine="sum")  # in range: fine
    assert g.weight("a", "b") == 0.0
    g._check()


@pytest.mark.parametrize(("dtype", "values", "ok"), [
    (np.int8, [100, 100], False),
    (np.int8, [100, 27], True),
    (np.int8, [-100, -29], False),
    (np.uint8, [200, 100, 1], False),
    (np.uint8, [200, 55], True),
    (np.int64, [2**62, 2**62], False),
    (np.int64, [2**62, 2**62 - 1, -5], True),
])
def test_integer_sums_are_exact_or_refused(dtype, values, ok):
    g = GraphStore(dtype=dtype, directed=True)
    g.add_edge(0, 1, weight=values[0])
    before = dense_state(g)
    rest = np.array(values[1:], dtype=np.int64)
    call = lambda: g.add_edges(np.zeros(len(rest), int), np.ones(len(rest), int), rest,  # noqa: E731
                               combine="sum")
    if ok:
        call()
        assert g.weight(0, 1) == sum(values)  # before the merge
        assert int(g.adjacency()[0, 1]) == sum(values)  # after it
    else:
        with pytest.raises(OverflowError, match=np.dtype(dtype).name):
            call()
        assert dense_state(g) == before
    g._check()


def test_sums_split_over_pending_batches_are_checked_together():
    g = GraphStore(dtype=np.int8, directed=True)
    g.add_edges([0], [1], [60], combine="sum")
    g.add_edges([0], [1], [60], combine="sum")  # 120, still pending
    with pytest.raises(OverflowError):
        g.add_edges([0], [1], [10], combine="sum")
    assert g.weight(0, 1) == 120 and g.adjacency()[0, 1] == 120


# ----------------------------------------------------------------------
# labels that do not equal themselves
@pytest.mark.parametrize("nan", [math.nan, np.float64("nan"), np.float32("nan")])
def test_nan_labels_are_refused_everywhere(nan):
    g = _store()
    before = dense_state(g)
    with pytest.raises(ValueError, match="nan"):
        g.add_vertex(nan)
    with pytest.raises(ValueError, match="nan"):
        g.add_vertices(["z", nan])
    with pytest.raises(ValueError, match="nan"):
        g.add_edge(nan, "a")
    with pytest.raises(ValueError, match="nan"):
        g.add_edges_from([("a", "q"), ("a", nan)])
    with pytest.raises(ValueError, match="(?i)nan"):
        g.add_edges(np.array([1.0, nan]), np.array([2.0, 3.0]))
    assert dense_state(g) == before and "z" not in g and "q" not in g


# ----------------------------------------------------------------------
# files that are not stores
def test_a_foreign_file_is_named_as_such_without_suggesting_pickle(tmp_path):
    cases = {
        "text.npz": lambda p: p.write_text("hello"),
        "pickled.npy": lambda p: np.save(p, np.array([{"a": 1}], dtype=object), allow_pickle=True),
        "plain.npy": lambda p: np.save(p, np.arange(3)),
        "other.npz": lambda p: np.savez(p, x=np.arange(3)),
        "objects.npz": lambda p: np.savez(p, x=np.array([{"a": 1}], dtype=object)),
    }
    for name, make in cases.items():
        path = tmp_path / name
        make(path)
        with pytest.raises(gs.StoreFormatError, match="not a valid graphstore file") as info:
            gs.load(path)
        assert "pickle" not in str(info.value).replace(str(path), "<path>")


# ----------------------------------------------------------------------
# point reads do not merge
@pytest.mark.parametrize("directed", [False, True])
def test_point_reads_and_edits_leave_pending_writes_pending(directed):
    g = GraphStore(directed=directed)
    g.add_edges(np.arange(0, 999), np.arange(1, 1000), 1.0)
    g.adjacency()  # merged
    g.add_edge(0, 500, weight=3.0)
    g.add_edge(7, 7)
    g.remove_edge(10, 11)
    assert g.has_edge(0, 500) and g.weight(0, 500) == 3.0 and not g.has_edge(10, 11)
    assert 500 in list(g.neighbors(0)) and g.degree(7) == 4  # path edges, a loop counts twice
    assert g.num_edges == 999 + 2 - 1
    if directed:
        assert list(g.predecessors(500)) == [0, 499]
    g.remove_vertex(3)
    assert g.num_edges == 999 + 2 - 1 - 2
    # nothing merged: the writes are still pending, the removals still zombies
    assert g._p.count() == 2 and g._base.n_dead > 0
    g._check()
    B = nx.to_scipy_sparse_array(g.to_networkx(), nodelist=g.labels)
    assert np.array_equal(g.adjacency().toarray(), B.toarray())
    assert g._p.count() == 0 and g._base.n_dead == 0


def test_endless_edit_loops_merge_now_and_then():
    class Small(GraphStore):
        MERGE_FRACTION, MERGE_MIN = 0.5, 8

    g = Small()
    g.add_edges(np.arange(0, 99), np.arange(1, 100), 1.0)
    g.adjacency()
    rng = np.random.default_rng(0)
    for _ in range(300):
        a, b = rng.integers(0, 100, 2).tolist()
        if g.has_edge(a, b):
            g.remove_edge(a, b)
        else:
            g.add_edge(a, b, weight=2.0)
        # pending writes and zombies stay bounded: at most what triggers a merge, plus one op
        assert g._p.count() + g._base.n_dead <= 0.5 * g._base.nnz + 8 + 3
    g._check()


@pytest.mark.parametrize("directed", [False, True])
def test_an_edit_loop_folds_each_add_edge_as_it_is_made(directed):
    g = GraphStore(directed=directed)
    g.add_edges(np.arange(0, 49), np.arange(1, 50), 2.0)
    g.adjacency()
    g.add_edge(0, 9, weight=1.5)
    assert g.has_edge(0, 9)  # a query folds: from now on add_edge folds at once
    steps = [
        ("add", 3, 3, 4.0),  # a self-loop
        ("add", 0, 1, None),  # an existing edge, no weight: it keeps 2.0
        ("remove", 5, 6, None),
        ("add", 5, 6, None),  # re-added after its removal: a new edge of weight 1
        ("add", 0, 9, 7.0),  # a pending edge updated
        ("add", 20, 40, None),  # a new edge, no weight: 1
    ]
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_weighted_edges_from((i, i + 1, 2.0) for i in range(49))
    G.add_edge(0, 9, weight=1.5)
    for op, u, v, w in steps:
        if op == "remove":
            g.remove_edge(u, v)
            G.remove_edge(u, v)
        else:
            g.add_edge(u, v, weight=w)
            if w is None:
                G.add_edge(u, v, weight=G.edges[u, v]["weight"] if G.has_edge(u, v) else 1.0)
            else:
                G.add_edge(u, v, weight=w)
        assert g._p.unfolded() == 0  # nothing left for the next query to fold
        assert g.num_edges == G.number_of_edges()
        assert g.degree(3) == G.degree(3)  # the self-loop counts twice, as in networkx
        for a, b, d in G.edges(data=True):
            assert g.weight(a, b) == d["weight"]
        assert sorted(g.neighbors(0)) == sorted(G.neighbors(0))
    g._check()
    B = nx.to_scipy_sparse_array(G, nodelist=g.labels)
    assert np.array_equal(g.adjacency().toarray(), B.toarray())


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("labelled", [False, True])
def test_the_neighbor_memo_follows_every_change_of_a_row(directed, labelled):
    """neighbors memoizes a row's labels at its second query; every edit of the row shows."""
    name = (lambda i: f"v{i}") if labelled else (lambda i: i)
    g = GraphStore(directed=directed)
    G = nx.DiGraph() if directed else nx.Graph()
    g.add_vertices([name(i) for i in range(12)] if labelled else 12)
    G.add_nodes_from(name(i) for i in range(12))
    E = [(0, k) for k in range(1, 8)] + [(3, 5), (5, 9), (9, 0), (2, 2)]
    g.add_edges([name(a) for a, _ in E], [name(b) for _, b in E])
    G.add_edges_from((name(a), name(b)) for a, b in E)
    g.adjacency()

    def same():
        for v in G:
            assert list(g.neighbors(v)) == sorted(G.neighbors(v), key=g.index)
            assert list(g.neighbors(v)) == sorted(G.neighbors(v), key=g.index)  # the memo
        g._check()

    same()
    assert g._base.rowmemo  # the second query memoized rows
    edits = [("rm", 0, 3), ("add", 0, 11), ("rm", 2, 2), ("rmv", 5), ("add", 3, 0), ("add", 11, 4),
             ("rm", 9, 0), ("rmv", 0), ("merge",), ("add", 3, 11), ("rm", 3, 11), ("add", 2, 2)]
    for e in edits:
        if e[0] == "rm":
            g.remove_edge(name(e[1]), name(e[2]))
            G.remove_edge(name(e[1]), name(e[2]))
        elif e[0] == "add":
            g.add_edge(name(e[1]), name(e[2]))
            G.add_edge(name(e[1]), name(e[2]))
        elif e[0] == "rmv":
            g.remove_vertex(name(e[1]))
            G.remove_node(name(e[1]))
        else:
            g.adjacency()
        same()


def test_int_labels_equal_to_their_ids_stay_implicit_and_the_dense_path_sees_every_change():
    g = GraphStore()
    for v in range(4):
        assert g.add_vertex(v) == v  # each label is its new id: no dict entry
    assert g._reg.index == {} and g._reg.dense == 4
    g.add_edge(0, 1, weight=2.0)
    g.add_edge(2, 3)
    assert g.has_edge(1, 0) and g.weight(0, 1) == 2.0 and list(g.neighbors(3)) == [2]
    g.remove_vertex(1)
    assert g._reg.dense == 0  # id 1 is gone: labels 0..3 are not all vertices
    assert not g.has_edge(0, 1)
    assert g.weight(0, 1, default=-1.0) == -1.0
    with pytest.raises(KeyError, match="1"):
        g.neighbors(1)
    with pytest.raises(KeyError, match="1"):
        g.remove_edge(0, 1)
    g.add_edge(1, 0, weight=5.0)  # label 1 names a new vertex (id 4), as in networkx
    assert g.vertex_id(1) == 4 and g.weight(0, 1) == 5.0 and g.num_edges == 2
    h = GraphStore()
    h.add_vertices(3)
    h.add_vertex("x")  # an explicit label: no longer dense
    assert h._reg.dense == 0
    h.add_edge(0, 2)
    assert h.has_edge(2, 0) and not h.has_edge(0, 1) and not h.has_edge(0, 3)
    h.compact()
    g.compact()
    g._check()
    h._check()


# ----------------------------------------------------------------------
# exactness of point reads over pending writes
ops = st.lists(
    st.tuples(st.sampled_from(["last", "sum", "min", "max", "edge"]),
              st.integers(0, 2), st.integers(0, 2),
              st.one_of(st.none(), st.floats(-1e3, 1e3, allow_nan=False, width=32))),
    min_size=1, max_size=25)


@settings(max_examples=150, deadline=None)
@given(ops=ops, dtype=st.sampled_from([np.float32, np.float64]), directed=st.booleans(),
       merge_first=st.booleans())
def test_weights_read_before_the_merge_equal_the_merged_values(ops, dtype, directed,
                                                                merge_first):
    g = GraphStore(directed=directed, dtype=dtype)
    g.add_vertices(3)
    if merge_first:
        g.add_edges([0, 1], [1, 2], [0.1, 0.7])
        g.adjacency()
    for mode, a, b, w in ops:
        if mode == "edge":
            g.add_edge(a, b, weight=w)
        else:
            g.add_edges([a], [b], None if w is None else [w], combine=mode)
        if w is not None and a == 2:
            g.has_edge(a, b)  # folds part of the writes now, the rest later
    before = {(a, b): g.weight(a, b) for a in range(3) for b in range(3) if g.has_edge(a, b)}
    A = g.adjacency()
    after = {(a, b): A[a, b].item() for a in range(3) for b in range(3) if (a, b) in before}
    assert before == after
    loops = sum(1 for a in range(3) if (a, a) in after)
    assert g.num_edges == (A.nnz if directed else (A.nnz + loops) // 2)
    g._check()


@pytest.mark.parametrize(("dtype", "one"), [(np.float64, 1.0), (np.float32, 1.0), (np.int32, 1)])
def test_a_weight_not_given_reads_as_one_of_the_store_kind_before_and_after_the_merge(dtype, one):
    g = GraphStore(dtype=dtype)
    g.add_edge("a", "b")
    g.add_edges(["b"], ["c"], combine="sum")
    for _ in range(2):  # pending, then merged
        for u, v in (("a", "b"), ("b", "c")):
            w = g.weight(u, v)
            assert w == one and type(w) is type(one)
        g.adjacency()


@pytest.mark.parametrize("labelled", [False, True])
def test_an_edit_loop_owns_short_rows_and_matches_networkx(labelled):
    """Owned rows (undirected float64 edit loops) against networkx, through merges.

    Vertex 0 is a hub longer than SMALL_ROW, so it stays on the zombie path
    while its neighbors' rows are owned: its pairs have one owned end.
    """
    rng = np.random.default_rng(11)
    n = 120
    lab = (lambda i: f"v{i}") if labelled else (lambda i: i)
    g, G = GraphStore(), nx.Graph()
    for i in range(n):
        g.add_vertex(lab(i))
        G.add_node(lab(i))
    src = np.concatenate([np.zeros(100, np.int64), rng.integers(0, n, 300)])
    dst = np.concatenate([np.arange(1, 101), rng.integers(0, n, 300)])
    w = rng.integers(1, 9, len(src)).astype(float)
    g.add_edges([lab(i) for i in src.tolist()], [lab(i) for i in dst.tolist()], w)
    G.add_weighted_edges_from(zip(map(lab, src.tolist()), map(lab, dst.tolist()), w.tolist()))
    g.adjacency()
    seen_owned = seen_mixed = 0
    for step in range(1500):
        u, v = (lab(x) for x in rng.integers(0, n, 2).tolist())
        assert g.has_edge(u, v) == G.has_edge(u, v)
        op = rng.integers(0, 10)
        if op < 4:
            x = float(rng.integers(1, 9)) if rng.random() < 0.7 else None
            g.add_edge(u, v, weight=x)
            if G.has_edge(u, v):
                if x is not None:
                    G[u][v]["weight"] = x
            else:
                G.add_edge(u, v, weight=1.0 if x is None else x)
        elif op < 7 and G.number_of_edges():
            a, b = list(G.edges())[rng.integers(0, G.number_of_edges())]
            g.remove_edge(a, b)
            G.remove_edge(a, b)
        elif op == 7 and step % 50 == 0:
            x = lab(int(rng.integers(1, n)))
            if x in G:
                g.remove_vertex(x)
                G.remove_node(x)
        elif op == 8 and step % 100 == 0:
            g.adjacency()  # a whole read merges the owned rows
        elif op == 9 and step % 40 == 0:  # a batch touching owned rows merges them first
            a, b = (lab(y) for y in rng.integers(0, n, 2).tolist())
            g.add_edges([a], [b], [5.0], combine="sum")
            G.add_edge(a, b, weight=G[a][b]["weight"] + 5.0 if G.has_edge(a, b) else 5.0)
        hot = g._hot
        seen_owned += bool(hot)
        seen_mixed += bool(hot) and 0 not in hot and any(0 in h for h in hot.values())
        if u in G:
            assert list(g.neighbors(u)) == sorted(G[u], key=g.vertex_id)
            assert g.degree(u) == G.degree(u)
            assert g.degree(u, weight="weight") == G.degree(u, weight="weight")
            for y in G[u]:
                assert g.weight(u, y) == G[u][y]["weight"]
        assert g.num_edges == G.number_of_edges()
        if step % 100 == 0:
            g._check()
    g._check()
    assert seen_owned > 1000 and seen_mixed > 100  # the owned and the mixed paths both ran
    want = nx.to_scipy_sparse_array(G, nodelist=g.labels, format="csr")
    A = g.adjacency()
    assert (A != want).nnz == 0
    # the merge kept the owned rows (an edit loop goes on): they equal the merged rows
    assert g._hot and not g._dirty
    b = g._base  # rows by id (A's rows skip removed ids)
    for i, h in g._hot.items():
        lo, hi = b.indptr[i], b.indptr[i + 1]
        assert h == dict(zip(b.indices[lo:hi].tolist(), b.vals[0][lo:hi].tolist()))
    g._check()
    i = next(iter(g._hot))
    g.add_edges([g.label_of(i)], [g.label_of(i)], [2.0])  # a batch touching one: disowned
    assert not g._hot
    g._check()


def test_owned_rows_stay_within_their_bound():
    """An edit loop that only adds keeps owned entries under 2 * nnz + MERGE_MIN (merging)."""

    class Small(GraphStore):
        MERGE_MIN = 8

    g, G = Small(), nx.Graph()
    rng = np.random.default_rng(5)
    for _ in range(400):
        u, v = rng.integers(0, 60, 2).tolist()
        g.has_edge(u, v)  # an edit loop: every add_edge follows a query
        g.add_edge(u, v)
        G.add_edge(u, v)
        assert g._n_hot <= 2 * len(g._base.indices) + Small.MERGE_MIN + 2
    g._check()
    assert g.num_edges == G.number_of_edges() and g._base.nnz > 0
    assert {frozenset(e) for e in g.edges()} == {frozenset(e) for e in G.edges()}
