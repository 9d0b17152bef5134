"""Persistence: round trips, atomic writes, and broken files that must not load."""

import os
import zipfile

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

import graphstore as gs
from graphstore import GraphStore, StoreFormatError
from graphstore.io import _digest


def positions(A):
    coo = sp.coo_array(A)
    return set(zip(coo.row.tolist(), coo.col.tolist()))


def kind(label):
    """int, float or str: a numpy scalar may come back as the Python one (same dict key)."""
    for t, base in ((bool, bool), (int, int), (np.integer, int), (float, float),
                    (np.floating, float), (str, str)):
        if isinstance(label, t):
            return base
    return type(label)


def assert_same_store(h, g):
    """h (loaded) equals g: labels and their types, ids with holes, flags, every attribute."""
    h._check()
    assert h.labels == g.labels
    assert [kind(x) for x in h.labels] == [kind(x) for x in g.labels]
    assert [h.vertex_id(x) for x in h.labels] == [g.vertex_id(x) for x in g.labels]
    assert h.num_ids == g.num_ids
    assert h.directed == g.directed and h.dtype == g.dtype and h.edge_attrs == g.edge_attrs
    assert h.num_edges == g.num_edges
    for attr in g.edge_attrs:
        A, B = h.adjacency(weight=attr), g.adjacency(weight=attr)
        assert A.dtype == B.dtype and A.shape == B.shape
        np.testing.assert_array_equal(A.toarray(), B.toarray())
        assert positions(A) == positions(B)


LABELS = {
    "default": None,
    "int": [10, -3, 7, 2**40, 0, 5],
    "npint": [np.int64(4), np.int64(9), np.int64(-1), np.int64(8), np.int64(0), np.int64(3)],
    "str": ["x", "Ünïcode", "", "a b", "longer label", "z"],
    "float": [0.5, -2.0, 1e300, 3.25, 0.0, 7.0],
}


def build(kind, directed, dtype, attrs, holes):
    g = GraphStore(directed=directed, capacity=1, dtype=dtype, edge_attrs=attrs)
    labels = LABELS[kind]
    if labels is None:
        g.add_vertices(6)
        labels = list(range(6))
    else:
        g.add_vertices(labels)
    a, b, c, d, e, f = labels
    extra = {"capacity": 9} if "capacity" in attrs else {}
    g.add_edge(a, b, weight=2, **extra)
    g.add_edge(b, c, weight=0)  # a stored zero
    g.add_edge(c, c, weight=3)  # a self-loop
    g.add_edges([d, a, e], [a, d, e], [1, 4, -5])
    if holes:
        g.remove_vertex(b)
        g.remove_vertex(f)
    g.add_edge(a, c, weight=6)  # still pending when saved
    return g


@pytest.mark.parametrize("kind", list(LABELS))
@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("holes", [False, True])
@pytest.mark.parametrize(
    "dtype, attrs",
    [(np.float64, ("weight",)), (np.float32, ("capacity", "weight")), (np.int16, ("weight",))],
)
def test_round_trip_keeps_everything(tmp_path, kind, directed, holes, dtype, attrs):
    g = build(kind, directed, dtype, attrs, holes)
    path = tmp_path / "g.npz"
    gs.save(g, path)
    assert os.listdir(tmp_path) == ["g.npz"]
    h = gs.load(path)
    assert_same_store(h, g)
    assert nx.utils.graphs_equal(h.to_networkx(), g.to_networkx())
    # the loaded store carries on: ids continue after the holes
    assert h.add_vertex("new" if kind == "str" else 999) == g.num_ids
    h._check()
    # the methods and a str path work the same
    g.save(str(tmp_path / "m.npz"))
    assert_same_store(GraphStore.load(str(tmp_path / "m.npz")), g)


def test_save_overwrites_and_load_is_independent(tmp_path):
    path = tmp_path / "g.npz"
    g = build("str", False, np.float64, ("weight",), False)
    gs.save(GraphStore(), path)
    gs.save(g, path)  # replaces the file
    h = gs.load(path)
    assert_same_store(h, g)
    h.add_edge("x", "z", weight=100.0)
    assert not g.has_edge("x", "z")
    assert not gs.load(path).has_edge("x", "z")


@pytest.mark.parametrize("exc", [OSError("disk full"), KeyboardInterrupt()])
def test_save_is_atomic(tmp_path, monkeypatch, exc):
    path = tmp_path / "g.npz"
    old = build("str", False, np.float64, ("weight",), False)
    gs.save(old, path)
    original = path.read_bytes()
    new = build("int", True, np.float64, ("weight",), True)

    def crash(f, *args, **kwargs):  # writes part of a file, then fails
        f.write(b"PK\x03\x04 half an npz")
        raise exc

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(type(exc)):
        gs.save(new, path)
    with pytest.raises(type(exc)):
        gs.save(new, tmp_path / "fresh.npz")
    monkeypatch.undo()
    assert path.read_bytes() == original  # the old file is untouched
    assert os.listdir(tmp_path) == ["g.npz"]  # no temp file, no new file
    assert_same_store(gs.load(path), old)


def saved_bytes(tmp_path):
    g = GraphStore()
    g.add_edges_from([("a", "b", 2.0), ("b", "c", 0.0), ("c", "c", 1.5)])
    path = tmp_path / "good.npz"
    gs.save(g, path)
    return g, path.read_bytes()


def test_store_format_error_is_a_value_error():
    assert issubclass(StoreFormatError, ValueError)


def test_truncated_files_do_not_load(tmp_path):
    g, data = saved_bytes(tmp_path)
    bad = tmp_path / "bad.npz"
    for cut in [0, 1, 4, 30, len(data) // 3, len(data) // 2, len(data) - 22, len(data) - 1]:
        bad.write_bytes(data[:cut])
        with pytest.raises(StoreFormatError, match="not a valid graphstore file"):
            gs.load(bad)


def test_a_flipped_byte_never_gives_a_wrong_graph(tmp_path):
    """Flip each byte in turn: load raises StoreFormatError or returns the same graph."""
    g, data = saved_bytes(tmp_path)
    bad = tmp_path / "bad.npz"
    unexpected = {}
    for k in range(len(data)):
        flipped = bytearray(data)
        flipped[k] ^= 0xFF
        bad.write_bytes(bytes(flipped))
        try:
            h = gs.load(bad)
        except StoreFormatError:
            continue
        except Exception as err:  # noqa: BLE001 - collected, reported below
            unexpected.setdefault(f"{type(err).__name__}: {err}", k)
            continue
        assert_same_store(h, g)  # a byte the format does not depend on
    assert unexpected == {}, f"load raised other errors (message: first byte): {unexpected}"


def rewrite(path, out, **changes):
    """Copy an npz with some arrays replaced (None deletes one); keeps the old checksum."""
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    for k, v in changes.items():
        if v is None:
            arrays.pop(k)
        else:
            arrays[k] = v
    np.savez(out, **arrays)
    return arrays


def forge(path, out, **changes):
    """Like rewrite, but with a checksum that matches: a well-formed file with bad content."""
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    arrays.update(changes)
    arrays.pop("checksum")
    arrays["checksum"] = np.array(_digest(arrays))
    np.savez(out, **arrays)


def test_corrupted_content_fails_the_checksum(tmp_path):
    g, data = saved_bytes(tmp_path)
    good = tmp_path / "good.npz"
    bad = tmp_path / "bad.npz"
    with np.load(good) as z:
        vals = z["values_0"].copy()
    vals[0] += 1.0  # a valid zip, a plausible graph, a different weight
    rewrite(good, bad, values_0=vals)
    with pytest.raises(StoreFormatError, match="checksum"):
        gs.load(bad)
    rewrite(good, bad, checksum=None)
    with pytest.raises(StoreFormatError, match="checksum"):
        gs.load(bad)


def test_wrong_version_and_foreign_files(tmp_path):
    g, data = saved_bytes(tmp_path)
    good = tmp_path / "good.npz"
    bad = tmp_path / "bad.npz"
    forge(good, bad, version=np.array(2, dtype=np.int64))
    with pytest.raises(StoreFormatError, match="version"):
        gs.load(bad)
    rewrite(good, bad, version=None)
    with pytest.raises(StoreFormatError, match="version"):
        gs.load(bad)
    forge(good, bad, format=np.array("othertool"))
    with pytest.raises(StoreFormatError, match="format tag"):
        gs.load(bad)
    np.savez(bad, a=np.arange(3))  # some other program's npz
    with pytest.raises(StoreFormatError, match="format tag"):
        gs.load(bad)
    np.savez(bad, format=np.array("graphstore"), x=np.array([{"a": 1}], dtype=object))
    with pytest.raises(StoreFormatError):  # would need pickle: refused
        gs.load(bad)
    bad.write_text("source,target\na,b\n")
    with pytest.raises(StoreFormatError):
        gs.load(bad)
    bad.write_bytes(b"")
    with pytest.raises(StoreFormatError):
        gs.load(bad)
    with zipfile.ZipFile(bad, "w") as z:  # a zip without arrays
        z.writestr("readme.txt", "hello")
    with pytest.raises(StoreFormatError):
        gs.load(bad)
    with pytest.raises(FileNotFoundError):
        gs.load(tmp_path / "missing.npz")


def test_an_npy_file_is_a_format_error(tmp_path):
    np.save(tmp_path / "plain.npy", np.arange(3))  # an .npy, not an archive
    with pytest.raises(StoreFormatError, match="not a valid graphstore file"):
        gs.load(tmp_path / "plain.npy")


@pytest.mark.parametrize(
    "change",
    [
        {"indices": np.array([1, 0, 7, 1, 2], dtype=np.int32)},  # a column out of range
        {"values_0": np.array([2.0, 2.0, 0.0, 0.0, np.nan])},  # NaN
        {"values_0": np.array([2.0, 3.0, 0.0, 0.0, 1.5])},  # undirected but asymmetric
        {"indptr": np.array([0, 1, 3, 9], dtype=np.int64)},  # a broken row pointer
        {"labels": np.array(["a", "a", "c"])},  # two vertices, one label
        {"labels": np.array(["a", "b"])},  # labels and vertices differ in number
        {"label_kind": np.array("pickle")},
        {"attrs": np.array(["cost"])},  # no weight
        {"dtype": np.array("<c16")},  # complex
    ],
)
def test_well_formed_files_with_bad_content_do_not_load(tmp_path, change):
    saved_bytes(tmp_path)
    bad = tmp_path / "bad.npz"
    forge(tmp_path / "good.npz", bad, **change)
    with pytest.raises(StoreFormatError, match="not a valid graphstore file"):
        gs.load(bad)


@pytest.mark.parametrize(
    "labels, match",
    [
        (["a", 1], "cannot be saved"),
        ([1, 2.5], "cannot be saved"),
        ([("a", 1), ("b", 2)], r"\('a', 1\).*cannot be saved"),
        ([b"a", b"b"], "cannot be saved"),
        ([frozenset({1}), 2], "cannot be saved"),
        ([2**70, 1], "int64"),
    ],
)
def test_labels_that_cannot_be_saved(tmp_path, labels, match):
    g = GraphStore()
    g.add_vertices(labels)
    g.add_edge(labels[0], labels[1], weight=1.0)
    path = tmp_path / "g.npz"
    with pytest.raises(TypeError, match=match):
        gs.save(g, path)
    assert os.listdir(tmp_path) == []  # nothing written
    keep = tmp_path / "keep.npz"
    gs.save(GraphStore(), keep)
    original = keep.read_bytes()
    with pytest.raises(TypeError, match=match):
        gs.save(g, keep)
    assert keep.read_bytes() == original and os.listdir(tmp_path) == ["keep.npz"]
    g._check()
    assert g.labels == labels  # the store is as it was
