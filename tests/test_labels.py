"""The label registry's batch path against a dict model and networkx.

`LabelRegistry.plan_edges` maps a batch of endpoints to ids without changing
anything; `GraphStore.add_edges` with label arrays goes through the registry.
The reference is the rule networkx follows: labels are dict keys (``1``,
``1.0``, ``True`` and ``np.int64(1)`` are one vertex; ``"01"`` and ``"1"`` are
two), new labels get ids in order of first appearance ``src[0], dst[0],
src[1], ...``, the first-seen object is the one kept, and None and NaN are
refused with nothing changed.
"""

import math

import networkx as nx
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphstore import GraphStore
from graphstore._labels import LabelRegistry


def require(cond, msg):
    assert cond, msg


def registry(labels=(), implicit=0):
    """A registry holding `implicit` implicit ids, then the explicit `labels`."""
    reg = LabelRegistry(implicit + len(labels) + 1)
    if implicit:
        reg.add_many(range(implicit), True)
    if labels:
        reg.add_many(list(labels), False)
    reg.check(require, len(reg.alive))
    return reg


def model_plan(known: dict, src, dst):
    """The dict loop: ids of the endpoints and the new labels, networkx's order."""
    index = dict(known)
    start = len(index)
    new = []

    def get(x):
        if x not in index:
            index[x] = start + len(new)
            new.append(x)
        return index[x]

    s, d = [], []
    for u, v in zip(src, dst, strict=True):
        s.append(get(u))
        d.append(get(v))
    return s, d, new


def same_objects(a, b):
    """Equal lists whose items also have the same types (the first-seen object is kept)."""
    assert a == b
    assert [type(x) for x in a] == [type(x) for x in b]


# labels that collide as dict keys across kinds, and text that looks like numbers
mixed = st.one_of(
    st.integers(-3, 6),
    st.integers(-3, 6).map(float),
    st.booleans(),
    st.integers(-3, 6).map(np.int64),
    st.sampled_from(["1", "01", "0", "a", "b", "é", "a b", "", "\x00", "a\x00b"]),
    st.binary(max_size=2),
    st.tuples(st.integers(0, 2), st.integers(0, 2)),
)
text = st.text(alphabet=st.sampled_from("ab01 é\x00"), max_size=3)


def forms(values, kind):
    """`values` given as a list, a numpy array or a pyarrow array."""
    if kind == "list":
        return list(values)
    if kind == "object":
        return np.fromiter(values, dtype=object, count=len(values))
    if kind == "U":
        return np.array(values, dtype=str) if values else np.array([], dtype="U1")
    if kind == "arrow":
        return pa.array(values, type=pa.string())
    raise AssertionError(kind)


@given(st.lists(mixed, max_size=6, unique_by=lambda x: (type(x).__name__, x)),
       st.lists(st.tuples(mixed, mixed), max_size=25))
def test_plan_edges_mixed_kinds_match_the_dict_model(known, pairs):
    # the registry's own labels must be distinct as dict keys
    known = list(dict.fromkeys(known))
    reg = registry(known)
    src = [u for u, _ in pairs]
    dst = [v for _, v in pairs]
    s, d, new = model_plan({lab: i for i, lab in enumerate(known)}, src, dst)
    before = (list(reg.labels), dict(reg.index))
    plan = reg.plan_edges(src, dst, "label")
    assert (list(reg.labels), dict(reg.index)) == before  # nothing changed
    assert plan.src.tolist() == s and plan.dst.tolist() == d
    same_objects(plan.new, new)
    reg.add_many(plan.new, plan.implicit)
    reg.check(require, len(reg.alive))
    assert [reg.find(x) for x in src] == s


@pytest.mark.parametrize("kind", ["list", "object", "U", "arrow"])
@given(st.lists(text, max_size=5, unique=True), st.lists(st.tuples(text, text), max_size=25))
def test_plan_edges_text_in_every_form(kind, known, pairs):
    if kind == "U":  # numpy U arrays cannot hold trailing NULs; they read as dropped
        pairs = [(u.rstrip("\x00"), v.rstrip("\x00")) for u, v in pairs]
    reg = registry(known)
    src = [u for u, _ in pairs]
    dst = [v for _, v in pairs]
    s, d, new = model_plan({lab: i for i, lab in enumerate(known)}, src, dst)
    plan = reg.plan_edges(forms(src, kind), forms(dst, kind), "label")
    assert plan.src.tolist() == s and plan.dst.tolist() == d
    same_objects(plan.new, new)
    assert not plan.implicit


@given(st.integers(0, 6), st.lists(st.tuples(st.integers(-2, 10), st.integers(-2, 10)),
                                   max_size=25),
       st.sampled_from(["int64", "uint8", "float", "list", "bool-list"]))
def test_implicit_ids_and_numbers(n_implicit, pairs, kind):
    """A default store's implicit labels are found by any number equal to them."""
    if kind == "uint8":
        pairs = [(abs(u), abs(v)) for u, v in pairs]
    reg = registry(implicit=n_implicit)
    src = [u for u, _ in pairs]
    dst = [v for _, v in pairs]
    if kind == "int64":
        given_src, given_dst = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)
    elif kind == "uint8":
        given_src, given_dst = np.array(src, dtype=np.uint8), np.array(dst, dtype=np.uint8)
    elif kind == "float":
        src, dst = [float(x) for x in src], [float(x) for x in dst]
        given_src, given_dst = np.array(src), np.array(dst)
    elif kind == "bool-list":  # True/False name ids 1 and 0
        src = [bool(x % 2) if x in (0, 1) else x for x in src]
        given_src, given_dst = src, dst
    else:
        given_src, given_dst = src, dst
    s, d, new = model_plan({i: i for i in range(n_implicit)}, src, dst)
    plan = reg.plan_edges(given_src, given_dst, "label")
    assert plan.src.tolist() == s and plan.dst.tolist() == d
    assert plan.new == new
    # new labels equal to their ids, all ints, on a default store: stored implicitly
    expect_implicit = bool(new) and all(
        type(x) is int and x == n_implicit + j for j, x in enumerate(new))
    assert plan.implicit == expect_implicit
    reg.add_many(plan.new, plan.implicit)
    reg.check(require, len(reg.alive))


def test_identity_rules_by_example():
    reg = registry(implicit=2)  # ids 0 and 1, stored implicitly
    plan = reg.plan_edges([1, 1.0, True, np.int64(1), "1", "01"],
                          [np.float64(1.0), "01", 2.0, 2, 3, "1"], "label")
    # 1, 1.0, True, int64(1), float64(1.0): the implicit vertex 1; "1", "01": two new vertices
    assert plan.src.tolist() == [1, 1, 1, 1, 4, 2]
    assert plan.dst.tolist() == [1, 2, 3, 3, 5, 4]
    same_objects(plan.new, ["01", 2.0, "1", 3])  # 2.0 seen before 2: the float is kept


@pytest.mark.parametrize("bad, err, match", [
    (float("nan"), ValueError, "NaN"),
    (np.float64("nan"), ValueError, "NaN"),
    (None, ValueError, "None"),
    ([1], TypeError, "unhashable"),
])
@pytest.mark.parametrize("where", ["src", "dst"])
def test_bad_labels_are_refused_and_nothing_changes(bad, err, match, where):
    g = GraphStore()
    g.add_edges(["a"], ["b"], [2.0])
    before = (g.labels, g.adjacency().toarray().tolist(), g.version)
    src, dst = ["a", "c", "d"], ["c", "d", "e"]
    (src if where == "src" else dst)[1] = bad
    with pytest.raises(err, match=match):
        g.add_edges(src, dst)
    g._check()
    assert (g.labels, g.adjacency().toarray().tolist(), g.version) == before


def test_nan_in_a_float_array_is_refused():
    g = GraphStore()
    with pytest.raises(ValueError, match="NaN"):
        g.add_edges(np.array([1.0, math.nan]), np.array([2.0, 3.0]))
    assert g.num_vertices == 0


def test_text_arrays_keep_embedded_nuls_and_lone_surrogates():
    # pyarrow's direct conversion of a numpy U array would cut "a\x00b" to "a"
    reg = registry(["a"])
    plan = reg.plan_edges(np.array(["a\x00b", "a"]), np.array(["a", "\ud800"]), "label")
    assert plan.src.tolist() == [1, 0] and plan.dst.tolist() == [0, 2]
    assert plan.new == ["a\x00b", "\ud800"]
    plan = reg.plan_edges(np.array([b"x\x00y", b"x"]), np.array([b"x", b"x"]), "label")
    assert plan.new == [b"x\x00y", b"x"]


def test_shape_and_length_errors():
    reg = registry(["a"])
    with pytest.raises(ValueError, match="src has 2 entries but dst has 1"):
        reg.plan_edges(["a", "b"], ["b"], "label")
    with pytest.raises(ValueError, match="1-D"):
        reg.plan_edges(np.array([["a"]]), np.array(["b"]), "label")
    with pytest.raises(TypeError, match="single label 'ab'"):
        reg.plan_edges("ab", ["a", "b"], "label")
    assert reg.labels == ["a"]


def test_generators_are_read_once():
    reg = registry()
    plan = reg.plan_edges((x for x in "abc"), iter("bcd"), "label")
    assert plan.new == ["a", "b", "c", "d"]
    assert plan.src.tolist() == [0, 1, 2] and plan.dst.tolist() == [1, 2, 3]


def test_removed_labels_are_new_again():
    g = GraphStore()
    g.add_edges(["a", "b"], ["b", "c"])
    g.remove_vertex("b")
    g.add_edges(np.array(["c", "b"]), np.array(["b", "a"]), [5.0, 7.0])
    G = nx.Graph([("a", "b"), ("b", "c")])
    G.remove_node("b")
    G.add_weighted_edges_from([("c", "b", 5.0), ("b", "a", 7.0)])
    assert g.labels == list(G)
    assert (g.adjacency().toarray() == nx.to_scipy_sparse_array(G).toarray()).all()


batches = st.lists(st.lists(st.tuples(mixed, mixed, st.integers(1, 9)), max_size=12),
                   min_size=1, max_size=4)


@given(batches, st.booleans())
def test_add_edges_matches_networkx(batches, directed):
    """Batch after batch, the store's labels and matrix equal networkx's graph."""
    g = GraphStore(directed=directed)
    G = nx.DiGraph() if directed else nx.Graph()
    for batch in batches:
        src = [u for u, _, _ in batch]
        dst = [v for _, v, _ in batch]
        w = [float(x) for _, _, x in batch]
        g.add_edges(src, dst, w)
        G.add_weighted_edges_from(batch)
        g._check()
    # a numpy scalar label may come back as the Python scalar it equals
    same_objects([x.item() if isinstance(x, np.generic) else x for x in g.labels],
                 [x.item() if isinstance(x, np.generic) else x for x in G])
    if not len(G):
        assert g.num_vertices == 0 and g.num_edges == 0
        return
    want = nx.to_scipy_sparse_array(G, nodelist=list(G), dtype=np.float64)
    assert (g.adjacency().toarray() == want.toarray()).all()


def test_all_new_text_batch_is_one_pass():
    """10^4 new text labels: one factorization and no lookup of each label."""
    n = 10_000
    labels = np.char.add("v", np.arange(n).astype(str))
    rng = np.random.default_rng(3)
    s, d = rng.integers(0, n, 5 * n), rng.integers(0, n, 5 * n)
    reg = registry()
    reg.index = _NoLookups()  # the empty registry must not be asked about each label
    plan = reg.plan_edges(labels[s], labels[d], "label")
    order = dict.fromkeys(np.stack([labels[s], labels[d]], axis=1).ravel().tolist())
    assert plan.new == list(order)
    ids = {lab: i for i, lab in enumerate(order)}
    assert plan.src.tolist() == [ids[x] for x in labels[s].tolist()]


class _NoLookups(dict):
    def get(self, *args):
        raise AssertionError("a label was looked up one by one")

    def __contains__(self, key):
        raise AssertionError("a label was looked up one by one")


@pytest.mark.parametrize("given, expect", [
    (np.array(["a", "b\x00c"]), ["a", "b\x00c"]),
    (np.array([5, 7], dtype=np.int32), [5, 7]),
    (np.array([0.5, 2.0]), [0.5, 2.0]),
    (pa.array(["x", "y"]), ["x", "y"]),
    (pa.chunked_array([["x"], ["y"]]), ["x", "y"]),
])
def test_add_vertices_arrays_give_python_labels(given, expect):
    """add_vertices keeps the labels add_edges would make of the same array."""
    g = GraphStore()
    g.add_vertices(given)
    same_objects(g.labels, expect)
    h = GraphStore()
    h.add_edges(given, given)
    same_objects(h.labels, expect)


def test_add_vertices_refuses_nulls_and_2d_arrays():
    g = GraphStore()
    with pytest.raises(ValueError, match="None"):
        g.add_vertices(pa.array(["x", None]))
    with pytest.raises(ValueError, match="1-D"):
        g.add_vertices(np.array([["x"]]))
    assert g.num_vertices == 0


@given(st.integers(1, 8), st.lists(st.integers(0, 8), max_size=4, unique=True),
       st.lists(st.tuples(st.integers(-2, 14), st.integers(-2, 14)), max_size=25),
       st.sampled_from(["int64", "list", "float"]))
def test_implicit_ids_with_removals(n, removed, pairs, kind):
    """A store with implicit ids, some removed: equal ints find the live ones only."""
    g = GraphStore()
    g.add_vertices(n)
    G = nx.Graph()
    G.add_nodes_from(range(n))
    for r in removed:
        if r < n:
            g.remove_vertex(r)
            G.remove_node(r)
    src = [u for u, _ in pairs]
    dst = [v for _, v in pairs]
    if kind == "int64":
        g.add_edges(np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64))
    elif kind == "float":
        g.add_edges([float(x) for x in src], [float(x) for x in dst])
    else:
        g.add_edges(src, dst)
    G.add_edges_from(pairs)
    g._check()
    assert g.labels == list(G)
    if len(G):
        want = nx.to_scipy_sparse_array(G, nodelist=list(G), dtype=np.float64)
        assert (g.adjacency().toarray() == want.toarray()).all()
