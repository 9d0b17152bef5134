"""Readers and writers against networkx's and scipy's, and the fast path against the slow one."""

import bz2
import gzip
import importlib.util
import lzma
import os

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import scipy.io as sio
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import graphstore as gs
from graphstore import readers


def nx_reference(path, directed=False, nodetype=None):
    """networkx's reading of a weighted edge list, as (labels, dense adjacency)."""
    G = nx.read_weighted_edgelist(path, create_using=nx.DiGraph if directed else nx.Graph,
                                  nodetype=nodetype)
    if len(G) == 0:
        return [], np.zeros((0, 0))
    return list(G), nx.to_scipy_sparse_array(G, weight="weight").toarray()


def assert_matches_nx(g, path, directed=False, nodetype=None):
    labels, dense = nx_reference(path, directed, nodetype)
    assert g.labels == labels
    assert [type(x) for x in g.labels] == [type(x) for x in labels]
    np.testing.assert_array_equal(g.adjacency().toarray(), dense)
    assert g.directed == directed


def write_text(tmp_path, text, name="g.txt", opener=open):
    path = tmp_path / name
    with opener(path, "wt", encoding="utf-8", newline="") as f:
        f.write(text)
    return path


# ----------------------------------------------------------------------
# edge lists against networkx

label = st.sampled_from(["a", "b", "c", "01", "1", "x_y", "é", "A"])
weight = st.one_of(st.just(None), st.integers(-5, 5).map(str),
                   st.floats(-10, 10, allow_nan=False).map(repr))
sep = st.sampled_from([" ", " ", "\t", "  ", " \t "])


@st.composite
def edge_lines(draw, messy):
    lines = []
    for _ in range(draw(st.integers(0, 25))):
        u, v, w = draw(label), draw(label), draw(weight)
        s = draw(sep) if messy else " "
        line = f"{u}{s}{v}" + ("" if w is None else f"{s}{w}")
        if messy and draw(st.booleans()):
            line = draw(st.sampled_from(["  ", "\t", ""])) + line + draw(
                st.sampled_from(["", " # note", "#", "  "]))
        lines.append(line)
        if messy and draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(["", "# comment", "   ", "#a b 1"])))
    end = draw(st.sampled_from(["\n", "\r\n"])) if messy else "\n"
    return end.join(lines) + (end if lines and draw(st.booleans()) else "")


@settings(max_examples=60)
@given(text=edge_lines(messy=False), directed=st.booleans())
def test_simple_files_match_networkx(tmp_path_factory, text, directed):
    path = write_text(tmp_path_factory.mktemp("e"), text)
    g = gs.read_edgelist(path, directed=directed)
    assert_matches_nx(g, path, directed)


@settings(max_examples=60)
@given(text=edge_lines(messy=True), directed=st.booleans())
def test_messy_files_match_networkx(tmp_path_factory, text, directed):
    path = write_text(tmp_path_factory.mktemp("e"), text)
    g = gs.read_edgelist(path, directed=directed)
    assert_matches_nx(g, path, directed)


@settings(max_examples=60)
@given(text=edge_lines(messy=True), nodetype=st.sampled_from([None, str]))
def test_fast_path_agrees_with_python_parser(tmp_path_factory, text, nodetype):
    """Wherever pyarrow's reading is taken, it is exactly the reference parser's."""
    path = str(write_text(tmp_path_factory.mktemp("e"), text))
    fast = readers._read_fast(path, None, False, False, "#", True, nodetype, None)
    slow = readers._read_slow(path, None, False, False, "#", True, nodetype, "utf-8", None)
    if fast is None:
        return
    assert fast[0] == slow[0]
    assert len(fast[1]) == 1
    s, d, w = fast[1][0]
    s2 = np.concatenate([r[0] for r in slow[1]])
    d2 = np.concatenate([r[1] for r in slow[1]])
    np.testing.assert_array_equal(s, s2)
    np.testing.assert_array_equal(d, d2)
    if w is None:
        assert all(r[2] is None for r in slow[1])
    else:
        np.testing.assert_array_equal(w, np.concatenate([r[2] for r in slow[1]]))


def test_fast_path_is_taken_for_a_plain_file(tmp_path):
    path = str(write_text(tmp_path, "u1 u2 0.5\nu2 u3 1.5\n"))
    assert readers._read_fast(path, None, False, False, "#", True, None, None) is not None
    path = str(write_text(tmp_path, "u1 u2 0.5\nu2  u3 1.5\n", "two.txt"))
    assert readers._read_fast(path, None, False, False, "#", True, None, None) is None


def test_label_rules(tmp_path):
    path = write_text(tmp_path, "01 1 2\n1 2\n")
    g = gs.read_edgelist(path)
    assert g.labels == ["01", "1", "2"]
    g = gs.read_edgelist(path, nodetype=int)
    assert g.labels == [1, 2] and g.weight(1, 1) == 2.0
    assert_matches_nx(g, path, nodetype=int)
    g = gs.read_edgelist(path, nodetype=float)
    assert g.labels == [1.0, 2.0] and type(g.labels[0]) is float


def test_two_field_line_keeps_an_existing_weight(tmp_path):
    path = write_text(tmp_path, "a b 5\na b\nc d\nc d 2\n")
    g = gs.read_edgelist(path)
    assert g.weight("a", "b") == 5.0 and g.weight("c", "d") == 2.0
    assert_matches_nx(g, path)


@pytest.mark.parametrize("combine,expected",
                         [("last", 3.0), ("sum", 4.0), ("min", 1.0), ("max", 3.0)])
def test_combine(tmp_path, combine, expected):
    path = write_text(tmp_path, "a b 1\nb a 3\n")
    assert gs.read_edgelist(path, combine=combine).weight("a", "b") == expected


def test_unweighted(tmp_path):
    path = write_text(tmp_path, "a b 7 extra\nb c\n")
    g = gs.read_edgelist(path, weight=False)
    assert g.weight("a", "b") == 1.0 and g.num_edges == 2
    assert gs.read_edgelist(path, weight=None).weight("a", "b") == 1.0


def test_weight_is_a_flag(tmp_path):
    """weight= says whether the file has a weight column; an attribute name is refused."""
    path = write_text(tmp_path, "a b 7\n")
    for bad in ("weight", 1, "False"):
        with pytest.raises(TypeError, match="must be True or False"):
            gs.read_edgelist(path, weight=bad)
        with pytest.raises(TypeError, match="must be True or False"):
            gs.write_edgelist(gs.read_edgelist(path), tmp_path / "o.txt", weight=bad)
    assert not (tmp_path / "o.txt").exists()
    gs.write_edgelist(gs.read_edgelist(path), tmp_path / "o.txt", weight=None)
    assert (tmp_path / "o.txt").read_text() == "a b\n"


@pytest.mark.parametrize("suffix,opener",
                         [(".gz", gzip.open), (".bz2", bz2.open), (".xz", lzma.open)])
def test_compressed(tmp_path, suffix, opener):
    text = "a b 1.5\nb c 2\n# comment\n"
    path = write_text(tmp_path, text, "g.txt" + suffix, opener)
    plain = write_text(tmp_path, text, "plain.txt")
    g = gs.read_edgelist(path)
    assert_matches_nx(g, plain)
    seen = []
    gs.read_edgelist(path, progress=seen.append)
    assert sum(seen) == os.path.getsize(path)


def test_progress_counts_every_byte(tmp_path):
    path = write_text(tmp_path, "a b 1\n" * 1000)
    seen = []
    gs.read_edgelist(path, progress=seen.append)
    assert sum(seen) == os.path.getsize(path)


@pytest.mark.parametrize("text,message", [
    ("a b 1\nb c x\n", r"g\.txt:2: weight 'x' is not a number: 'b c x'"),
    ("a b 1\n\nlonely\n", r"g\.txt:3: expected 'u v \[weight\]', got 1 field: 'lonely'"),
    ("a b 1 2\n", r"g\.txt:1: expected 'u v \[weight\]', got 4 fields: 'a b 1 2'"),
    ("a b nan\n", r"g\.txt:1: weight 'nan' is not finite"),
    ("a b inf\n", r"g\.txt:1: weight 'inf' is not finite"),
])
def test_malformed_lines(tmp_path, text, message):
    path = write_text(tmp_path, text)
    with pytest.raises(ValueError, match=message):
        gs.read_edgelist(path)


def test_bad_nodetype_names_the_line(tmp_path):
    path = write_text(tmp_path, "1 2\n3 x\n")
    with pytest.raises(ValueError, match=r"g\.txt:2: label 'x' is not a valid int: '3 x'"):
        gs.read_edgelist(path, nodetype=int)
    path = write_text(tmp_path, "1 nan\n", "nan.txt")
    with pytest.raises(ValueError, match=r"nan\.txt:1: label nan cannot name a vertex"):
        gs.read_edgelist(path, nodetype=float)


def test_missing_file(tmp_path):
    # Python's own error and message, naming the file (not pyarrow's wording)
    with pytest.raises(FileNotFoundError, match=r"No such file or directory: .*nope\.txt"):
        gs.read_edgelist(tmp_path / "nope.txt")


def test_bad_combine(tmp_path):
    with pytest.raises(ValueError, match="combine='add'"):
        gs.read_edgelist(write_text(tmp_path, "a b\n"), combine="add")


def test_empty_file(tmp_path):
    g = gs.read_edgelist(write_text(tmp_path, "# nothing\n\n"))
    assert g.num_vertices == 0 and g.num_edges == 0


# ----------------------------------------------------------------------
# CSV / TSV


def test_csv_header_and_quotes(tmp_path):
    text = 'source,target,weight\n"New York, NY",Boston,2.5\nBoston,"say ""hi""",1\n'
    path = write_text(tmp_path, text, "g.csv")
    g = gs.read(path)
    assert g.labels == ["New York, NY", "Boston", 'say "hi"']
    assert g.weight("New York, NY", "Boston") == 2.5
    df = pd.read_csv(path)
    G = nx.from_pandas_edgelist(df, "source", "target", "weight")
    np.testing.assert_array_equal(g.adjacency().toarray(), nx.to_scipy_sparse_array(G).toarray())
    assert g.labels == list(G)


def test_csv_without_header(tmp_path):
    path = write_text(tmp_path, "a,b,1\nb,c,2\n", "g.csv")
    assert gs.read(path).labels == ["a", "b", "c"]
    path = write_text(tmp_path, "a,b\nb,c\n", "two.csv")
    assert gs.read(path).labels == ["a", "b", "c"]
    assert gs.read(path, header=True).labels == ["b", "c"]


def test_tsv_keeps_spaces_in_labels(tmp_path):
    path = write_text(tmp_path, "New York\tBoston\t3\n", "g.tsv")
    g = gs.read(path)
    assert g.labels == ["New York", "Boston"] and g.weight("Boston", "New York") == 3.0


def test_csv_malformed(tmp_path):
    path = write_text(tmp_path, "a,b,1\nb,c,heavy\n", "g.csv")
    with pytest.raises(ValueError, match=r"g\.csv:2: weight 'heavy' is not a number"):
        gs.read(path)


# ----------------------------------------------------------------------
# writing edge lists


def random_store(directed, seed=0, n=12, m=30, labels=None):
    rng = np.random.default_rng(seed)
    labels = labels or [f"v{i}" for i in range(n)]
    s = rng.integers(0, len(labels), m)
    d = rng.integers(0, len(labels), m)
    w = rng.standard_normal(m)
    w[0] = 0.0  # a stored zero is an edge
    g = gs.GraphStore(directed=directed)
    g.add_vertices(labels)
    g.add_edges(s, d, w, by="id")
    return g


def edge_dict(g, key=str):
    """{(u, v): weight} with labels through `key`; undirected pairs unordered."""
    pair = tuple if g.directed else frozenset
    return {pair((key(u), key(v))): d["weight"] for u, v, d in g.edges(data=True)}


def same_graph(g, h, key=str):
    """h is g read back from an edge-list-like file: labels as text, isolated vertices lost."""
    assert h.directed == g.directed
    assert edge_dict(h, key=lambda x: x) == edge_dict(g, key)
    # vertices in the order they first appear in g.edges(), as networkx reads them
    first = list(dict.fromkeys(key(x) for u, v in g.edges() for x in (u, v)))
    assert h.labels == first


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("name", ["g.txt", "g.txt.gz", "g.edges.bz2", "g.el.xz", "g.csv", "g.tsv"])
def test_edgelist_round_trip(tmp_path, directed, name):
    g = random_store(directed)
    path = tmp_path / name
    gs.write(g, path)
    h = gs.read(path, directed=directed)
    same_graph(g, h)


def test_write_matches_networkx_text(tmp_path):
    g = random_store(False)
    ours, theirs = tmp_path / "ours.txt", tmp_path / "theirs.txt"
    gs.write_edgelist(g, ours)
    nx.write_weighted_edgelist(gs.to_networkx(g), theirs)
    # the same edges, in the same order, with the same weights
    def parse(p):
        return [(u, v, float(w)) for u, v, w in (x.split() for x in p.read_text().splitlines())]

    assert parse(ours) == parse(theirs)


def test_write_refuses_labels_it_cannot_write(tmp_path):
    g = gs.from_edges(["New York"], ["Boston"])
    with pytest.raises(ValueError, match="label 'New York' cannot be written"):
        gs.write_edgelist(g, tmp_path / "g.txt")
    assert not os.listdir(tmp_path)  # nothing half-written
    gs.write_edgelist(g, tmp_path / "g.csv")
    assert gs.read(tmp_path / "g.csv").labels == ["New York", "Boston"]
    with pytest.raises(ValueError, match="label 'a;b'"):
        gs.write_edgelist(gs.from_edges(["a;b"], ["c"]), tmp_path / "g2.txt", delimiter=";")


def test_write_unweighted_and_int_stores(tmp_path):
    g = gs.GraphStore(directed=True, dtype=np.int32)
    g.add_edges(np.array([0, 1]), np.array([1, 2]), np.array([3, 4]))
    path = tmp_path / "g.txt"
    gs.write_edgelist(g, path, weight=False)
    assert path.read_text() == "0 1\n1 2\n"
    gs.write_edgelist(g, path)
    assert path.read_text() == "0 1 3\n1 2 4\n"


def test_write_to_missing_directory(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"no/g\.txt"):
        gs.write_edgelist(random_store(False), tmp_path / "no" / "g.txt")
    # a parent that is a file: the error names the target, not a temporary file
    (tmp_path / "f").write_text("")
    with pytest.raises(OSError, match=r"f/g\.mtx") as info:
        gs.write(random_store(False), tmp_path / "f" / "g.mtx")
    assert ".tmp" not in str(info.value)


# ----------------------------------------------------------------------
# Matrix Market


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("name", ["g.mtx", "g.mtx.gz", "g.mtx.bz2"])
def test_mtx_round_trip_keeps_labels(tmp_path, directed, name):
    g = random_store(directed, labels=["a", "b", 3, 4.5, "é"])
    path = tmp_path / name
    gs.write(g, path)
    h = gs.read(path)
    assert h.labels == g.labels and h.directed == directed
    A, B = g.adjacency(), h.adjacency()
    assert A.nnz == B.nnz and (A != B).nnz == 0
    # scipy reads the same matrix (labels are comments it ignores)
    if name == "g.mtx":
        M = sio.mmread(path)
        np.testing.assert_array_equal(sp.csr_array(M).toarray(), A.toarray())
        assert sio.mminfo(path)[5] == ("general" if directed else "symmetric")


def test_mtx_without_labels_and_int_field(tmp_path):
    g = gs.GraphStore(dtype=np.int64)
    g.add_edges(np.array([0, 1]), np.array([1, 1]), np.array([2, 5]))
    path = tmp_path / "g.mtx"
    gs.write_mtx(g, path)
    assert "graphstore-labels" not in path.read_text()
    h = gs.read_mtx(path)
    assert h.labels == [0, 1] and h.dtype == np.int64
    np.testing.assert_array_equal(h.adjacency().toarray(), [[0, 2], [2, 5]])


def write_mtx_text(tmp_path, header, body, name="m.mtx"):
    return write_text(tmp_path, f"%%MatrixMarket matrix coordinate {header}\n{body}", name)


def test_mtx_pattern_and_general(tmp_path):
    path = write_mtx_text(tmp_path, "pattern general", "3 3 2\n1 2\n3 1\n")
    g = gs.read_mtx(path)
    assert g.directed
    np.testing.assert_array_equal(g.adjacency().toarray(), [[0, 1, 0], [0, 0, 0], [1, 0, 0]])
    path = write_mtx_text(tmp_path, "real symmetric", "2 2 2\n2 1 4.5\n2 2 1\n", "s.mtx")
    g = gs.read_mtx(path)
    assert not g.directed
    np.testing.assert_array_equal(g.adjacency().toarray(), [[0, 4.5], [4.5, 1]])


@pytest.mark.parametrize("header,body,message", [
    ("real skew-symmetric", "2 2 1\n2 1 1\n", "skew-symmetric matrices are not read"),
    ("complex hermitian", "2 2 1\n2 1 1 0\n", "hermitian matrices are not read"),
    ("complex general", "2 2 1\n2 1 1 0\n", "complex matrices are not read"),
    ("real general", "2 3 1\n2 1 1\n", "a 2 x 3 matrix is not square"),
])
def test_mtx_refused(tmp_path, header, body, message):
    path = write_mtx_text(tmp_path, header, body)
    with pytest.raises(ValueError, match=message):
        gs.read_mtx(path)


def test_mtx_refuses_labels_json_cannot_carry(tmp_path):
    g = gs.from_edges([(1, 2)], [(3, 4)])
    with pytest.raises(TypeError, match=r"label \(1, 2\) of type tuple"):
        gs.write_mtx(g, tmp_path / "g.mtx")
    assert not os.listdir(tmp_path)


# ----------------------------------------------------------------------
# GraphML, GML, npz, dispatch


@pytest.mark.parametrize("name", ["g.graphml", "g.gml", "g.graphml.gz"])
def test_networkx_formats(tmp_path, name):
    g = random_store(True)
    path = tmp_path / name
    gs.write(g, path)
    h = gs.read(path)
    # these formats keep every vertex, isolated ones too, in order
    assert h.labels == [str(x) for x in g.labels] and h.directed
    assert edge_dict(h, key=lambda x: x) == edge_dict(g)
    if name == "g.graphml":
        G = nx.read_graphml(path)
        np.testing.assert_array_equal(nx.to_scipy_sparse_array(G).toarray(),
                                      g.adjacency().toarray())


def test_npz_dispatch(tmp_path):
    g = random_store(False, labels=[1, 2, 3, 4])
    gs.write(g, tmp_path / "g.npz")
    h = gs.read(tmp_path / "g.npz")
    assert h.labels == g.labels and (h.adjacency() != g.adjacency()).nnz == 0


def test_unknown_format(tmp_path):
    with pytest.raises(ValueError, match=r"'g\.docx': unknown format '\.docx'"):
        gs.read(tmp_path / "g.docx")
    with pytest.raises(ValueError, match="format 'xls' is not one of"):
        gs.write(random_store(False), tmp_path / "g.txt", format="xls")
    path = write_text(tmp_path, "a b 1\n", "edges.data")
    assert gs.read(path, format="edgelist").labels == ["a", "b"]


def test_parquet_dispatch(tmp_path):
    """gs.read/gs.write hand Parquet paths to graphstore.parquet, or say it is missing."""
    g = random_store(True)
    path = tmp_path / "g.parquet"
    if importlib.util.find_spec("graphstore.parquet") is None:
        with pytest.raises(ValueError, match="graphstore.parquet"):
            gs.write(g, path)
        return
    gs.write(g, path)
    assert os.path.exists(path / "_manifest.json")
    for target in (path, str(path)):
        h = gs.read(target)
        assert h.labels == g.labels and (h.adjacency() != g.adjacency()).nnz == 0


# ----------------------------------------------------------------------
# data frames


@given(st.lists(st.tuples(label, label, st.floats(-5, 5, allow_nan=False)), max_size=30),
       st.booleans())
def test_from_pandas_matches_networkx(edges, directed):
    df = pd.DataFrame(edges, columns=["s", "t", "w"]).astype({"s": object, "t": object, "w": float})
    g = gs.from_pandas(df, "s", "t", "w", directed=directed)
    G = nx.from_pandas_edgelist(df, "s", "t", "w",
                                create_using=nx.DiGraph if directed else nx.Graph)
    assert g.labels == list(G)
    if len(G):
        np.testing.assert_array_equal(g.adjacency().toarray(),
                                      nx.to_scipy_sparse_array(G, weight="w").toarray())
    else:
        assert g.num_vertices == 0 and g.adjacency().shape == (0, 0)
    h = gs.from_arrow(pa.Table.from_pandas(df), "s", "t", "w", directed=directed)
    assert h.labels == g.labels and (h.adjacency() != g.adjacency()).nnz == 0


def test_from_pandas_string_and_int_columns():
    df = pd.DataFrame({"s": pd.array(["a", "b"], dtype="string[pyarrow]"), "t": ["b", "c"]})
    g = gs.from_pandas(df, "s", "t")
    assert g.labels == ["a", "b", "c"] and g.weight("a", "b") == 1.0
    df = pd.DataFrame({"s": [10, 20], "t": [20, 30], "w": [1, 2]})
    g = gs.from_pandas(df, "s", "t", "w", directed=True)
    assert g.labels == [10, 20, 30] and g.weight(20, 30) == 2.0


def test_from_frames_errors():
    df = pd.DataFrame({"s": ["a", None], "t": ["b", "c"], "w": [1.0, 2.0]})
    with pytest.raises(KeyError, match="column 'x' is not in the data frame"):
        gs.from_pandas(df, "x", "t")
    with pytest.raises(ValueError, match="None cannot be a vertex label"):
        gs.from_pandas(df, "s", "t")
    t = pa.table({"s": ["a"], "t": ["b"], "w": pa.array([None], pa.float64())})
    with pytest.raises(ValueError, match="weight column 'w' has 1 nulls"):
        gs.from_arrow(t, "s", "t", "w")
    with pytest.raises(KeyError, match="column 'q' is not in the table"):
        gs.from_arrow(t, "s", "q")
