"""factorize / factorize_pairs against the reference: a Python dict, in a loop."""

import math

import networkx as nx
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphstore._factorize import factorize, factorize_pairs


def reference(values):
    index = {}
    codes = [index.setdefault(x, len(index)) for x in values]
    return codes, list(index)


def check(values, as_given=None):
    """factorize(as_given or values) equals the dict loop over `values`, types included."""
    codes, uniques = factorize(values if as_given is None else as_given)
    ref_codes, ref_uniques = reference(values)
    assert codes.dtype == np.intp
    assert codes.tolist() == ref_codes
    assert uniques == ref_uniques
    # the kept representative is the first one seen, of the same type
    assert [type(x) for x in uniques] == [type(x) for x in ref_uniques]
    assert [repr(x) for x in uniques] == [repr(x) for x in ref_uniques]


text = st.text(alphabet=st.sampled_from("ab é\t#0\x00"), max_size=4)


@given(st.lists(text, max_size=60))
def test_str_lists_and_arrays(values):
    check(values)
    check(values, as_given=np.fromiter(values, dtype=object, count=len(values)))
    check(values, as_given=pa.array(values, type=pa.string()))
    if not any(v.endswith("\x00") for v in values):  # numpy U drops trailing NULs
        check(values, as_given=np.array(values, dtype=str) if values else np.array([], dtype="U1"))


@given(st.lists(text, max_size=40), st.integers(1, 5))
def test_chunked_arrow(values, k):
    chunks = [pa.array(values[i::k], type=pa.string()) for i in range(k)]
    flat = [x for c in chunks for x in c.to_pylist()]
    check(flat, as_given=pa.chunked_array(chunks, type=pa.string()))


@given(st.lists(st.binary(max_size=3), max_size=40))
def test_bytes(values):
    check(values)
    check(values, as_given=np.fromiter(values, dtype=object, count=len(values)))


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int32, np.int64, np.uint64])
@given(data=st.data())
def test_integers(dtype, data):
    info = np.iinfo(dtype)
    wide = data.draw(st.booleans())
    if wide:
        lo, hi = int(info.min), int(info.max)
    else:
        lo, hi = int(max(info.min, -5)), int(min(info.max, 40))
    values = data.draw(st.lists(st.integers(lo, hi), max_size=60))
    arr = np.array(values, dtype=dtype)
    check(arr.tolist(), as_given=arr)


@given(st.lists(st.integers(-(2**70), 2**70), max_size=30))
def test_python_ints_of_any_size(values):
    check(values)


@given(st.lists(st.floats(allow_nan=False, allow_infinity=True, width=64), max_size=60))
def test_floats(values):
    # 0.0 and -0.0 are one dict key; the first seen is kept
    values = values + [0.0, -0.0] if len(values) % 2 else values + [-0.0, 0.0]
    arr = np.array(values, dtype=np.float64)
    check(values, as_given=arr)


@given(st.lists(st.booleans(), max_size=30))
def test_bools(values):
    check(values, as_given=np.array(values, dtype=bool))


mixed = st.one_of(
    st.integers(-3, 3), st.floats(-3, 3, allow_nan=False).map(lambda x: round(x)),
    st.booleans(), st.sampled_from(["1", "a", b"a"]),
    st.tuples(st.integers(0, 2), st.integers(0, 2)),
    st.integers(-3, 3).map(np.int64),
)


@given(st.lists(mixed, max_size=60))
def test_mixed_objects_follow_dict_identity(values):
    check(values)
    check(values, as_given=np.fromiter(values, dtype=object, count=len(values)))


def test_label_identity_rules():
    codes, uniques = factorize([1, 1.0, True, np.int64(1), "1", 2])
    assert codes.tolist() == [0, 0, 0, 0, 1, 2]
    assert uniques == [1, "1", 2] and type(uniques[0]) is int


@pytest.mark.parametrize("bad", [
    np.array([1.0, np.nan]),
    [1, float("nan")],
    np.array(["a", float("nan")], dtype=object),
])
def test_nan_is_not_a_label(bad):
    with pytest.raises(ValueError, match="NaN cannot be a vertex label"):
        factorize(bad)


@pytest.mark.parametrize("bad", [
    ["a", None],
    pa.array(["a", None]),
    np.array([1, None], dtype=object),
])
def test_none_is_not_a_label(bad):
    with pytest.raises(ValueError, match="position 1"):
        factorize(bad)


def test_errors():
    with pytest.raises(TypeError, match=r"\[1\] at position 1 is unhashable"):
        factorize(["a", [1]])
    with pytest.raises(ValueError, match="1-D"):
        factorize(np.zeros((2, 2)))
    with pytest.raises(TypeError, match="single label"):
        factorize("abc")
    with pytest.raises(ValueError, match="src has 2 labels but dst has 1"):
        factorize_pairs(["a", "b"], ["c"])


def test_str_and_bytes_stay_apart():
    codes, uniques = factorize(np.array(["a", b"a"], dtype=object))
    assert uniques == ["a", b"a"]


def test_empty():
    for x in ([], np.array([]), np.array([], dtype=str), pa.array([], pa.string())):
        codes, uniques = factorize(x)
        assert codes.dtype == np.intp and len(codes) == 0 and uniques == []
    s, d, u = factorize_pairs([], [])
    assert len(s) == len(d) == 0 and u == []


def as_kind(values, kind):
    if kind == "list":
        return list(values)
    if kind == "arrow":
        return pa.array(values, type=pa.string())
    return np.array(values, dtype=str) if values else np.array([], dtype="U1")


@pytest.mark.parametrize("kind", ["list", "numpy", "arrow"])
@given(st.lists(st.tuples(st.sampled_from("abcdefg"), st.sampled_from("abcdefgh")), max_size=40))
def test_pairs_follow_networkx_node_order(kind, edges):
    src = [u for u, _ in edges]
    dst = [v for _, v in edges]
    s, d, uniques = factorize_pairs(as_kind(src, kind), as_kind(dst, kind))
    G = nx.Graph()
    G.add_edges_from(edges)
    assert uniques == list(G)
    assert [uniques[i] for i in s] == src and [uniques[i] for i in d] == dst


@given(st.lists(st.tuples(mixed, mixed), max_size=40))
def test_pairs_mixed(edges):
    src = [u for u, _ in edges]
    dst = [v for _, v in edges]
    s, d, uniques = factorize_pairs(src, dst)
    G = nx.DiGraph()
    G.add_edges_from(edges)
    assert uniques == list(G)
    # the object kept is networkx's: the first in src[0], dst[0], src[1], ... (1 vs 1.0 vs True)
    assert [repr(x) for x in uniques] == [repr(x) for x in G]
    pos = {u: i for i, u in enumerate(uniques)}
    assert s.tolist() == [pos[u] for u in src] and d.tolist() == [pos[v] for v in dst]


@pytest.mark.parametrize("kind", ["numpy", "arrow"])
@given(st.lists(st.tuples(st.sampled_from([0.0, -0.0, 1.5, -1.5]),
                          st.sampled_from([0.0, -0.0, 2.0])), max_size=20))
def test_pairs_of_floats_keep_the_first_zero_seen(kind, edges):
    """0.0 and -0.0 are one label; the one kept is the first in networkx's order."""
    src = [u for u, _ in edges]
    dst = [v for _, v in edges]
    if kind == "numpy":
        given_s, given_d = np.array(src, dtype=float), np.array(dst, dtype=float)
    else:
        given_s, given_d = pa.array(src, pa.float64()), pa.array(dst, pa.float64())
    s, d, uniques = factorize_pairs(given_s, given_d)
    G = nx.DiGraph()
    G.add_edges_from(edges)
    assert [repr(x) for x in uniques] == [repr(x) for x in G]
    assert [uniques[i] for i in s] == src and [uniques[i] for i in d] == dst


def test_pairs_of_ints_and_floats_merge():
    s, d, uniques = factorize_pairs(np.array([1, 2]), np.array([2.0, 3.5]))
    assert uniques == [1, 2, 3.5] and s.tolist() == [0, 1] and d.tolist() == [1, 2]
    assert not math.isnan(uniques[-1])
