"""The partitioned Parquet layout: exact round trips, the files other engines read, damage."""

import hashlib
import json
import os
import shutil
import subprocess
import sys

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import graphstore as gs
import duckdb
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq
from graphstore.parquet import _adjacency, read_parquet, write_parquet


def make_graph(directed, labels="str", n=30, m=80, seed=0, attrs=("weight",), dtype=np.float64):
    """A graph with self-loops, a stored zero, isolated vertices and a removed vertex."""
    rng = np.random.default_rng(seed)
    g = gs.GraphStore(directed=directed, edge_attrs=attrs, dtype=dtype)
    if labels == "range":
        g.add_vertices(n)
    elif labels == "int":
        g.add_vertices([int(v) for v in 1000 - 7 * np.arange(n)])
    elif labels == "float":
        g.add_vertices([0.5 * v for v in range(n)])
    else:
        g.add_vertices([f"v{v}" for v in range(n)])
    ids = rng.integers(0, n - 3, size=(2, m))  # the last 3 vertices stay isolated
    extra = {a: rng.integers(1, 9, m) for a in attrs if a != "weight"}
    w = rng.integers(1, 20, m) if np.dtype(dtype).kind in "iu" else rng.random(m)
    g.add_edges(ids[0], ids[1], w, by="id", **extra)
    g.add_edges([0, 1], [0, 1], [2, 3], by="id")  # self-loops
    g.add_edges([2], [5], [0], by="id")  # a stored zero is an edge
    if labels == "str":
        g.remove_vertex("v4")  # a hole in the ids: rows are not ids
    return g


def assert_same_graph(g2, g):
    assert g2.labels == g.labels
    assert g2.directed == g.directed
    assert g2.dtype == g.dtype
    assert tuple(g2.edge_attrs) == tuple(g.edge_attrs)
    assert g2.num_edges == g.num_edges
    for a in g.edge_attrs:
        A, B = _adjacency(g, a), _adjacency(g2, a)
        assert A.shape == B.shape
        np.testing.assert_array_equal(B.indptr, A.indptr)
        np.testing.assert_array_equal(B.indices, A.indices)
        np.testing.assert_array_equal(B.data, A.data)  # exact, stored zeros included


def manifest(root):
    with open(os.path.join(root, "_manifest.json")) as f:
        return json.load(f)


def write_manifest(root, m):
    with open(os.path.join(root, "_manifest.json"), "w") as f:
        json.dump(m, f)


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("labels", ["range", "int", "float", "str"])
@pytest.mark.parametrize("row_blocks", [1, 3, 8])
def test_round_trip_exact(tmp_path, directed, labels, row_blocks):
    g = make_graph(directed, labels)
    root = tmp_path / "g.parquet"
    write_parquet(g, root, row_blocks=row_blocks)
    assert_same_graph(read_parquet(root), g)
    m = manifest(root)
    assert len(m["blocks"]) == row_blocks
    assert (m["labels"]["kind"] == "range") == (labels == "range")
    assert os.path.exists(root / "_labels.parquet") == (labels != "range")


@pytest.mark.parametrize("dtype", [np.int64, np.float32])
def test_round_trip_attributes_and_dtypes(tmp_path, dtype):
    g = make_graph(True, "str", attrs=("weight", "capacity"), dtype=dtype)
    write_parquet(g, tmp_path / "g", row_blocks=4)
    assert_same_graph(read_parquet(tmp_path / "g"), g)
    table = pads.dataset(tmp_path / "g", partitioning="hive").to_table()
    assert table.column_names == ["src", "dst", "weight", "capacity", "block"]
    assert table.schema.field("weight").type == pa.from_numpy_dtype(np.dtype(dtype))


@pytest.mark.parametrize("directed", [False, True])
def test_empty_and_edgeless(tmp_path, directed):
    g = gs.GraphStore(directed=directed)
    write_parquet(g, tmp_path / "empty")
    g2 = read_parquet(tmp_path / "empty")
    assert g2.num_vertices == 0 and g2.num_edges == 0
    g.add_vertices(["a", "b"])
    write_parquet(g, tmp_path / "edgeless", row_blocks=2)
    assert_same_graph(read_parquet(tmp_path / "edgeless"), g)


@given(
    directed=st.booleans(),
    edges=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11), st.integers(-3, 3)),
                   max_size=40),
    blocks=st.integers(1, 12),
)
def test_round_trip_property(directed, edges, blocks):
    import tempfile

    g = gs.GraphStore(directed=directed)
    g.add_vertices(12)
    if edges:
        s, d, w = map(np.array, zip(*edges, strict=True))
        g.add_edges(s, d, w.astype(float), by="id")
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "g")
        write_parquet(g, root, row_blocks=blocks)
        assert_same_graph(read_parquet(root), g)
        m = manifest(root)
        starts = [b["row_start"] for b in m["blocks"]]
        assert starts[1:] == [b["row_stop"] for b in m["blocks"]][:-1]
        assert all(b["row_stop"] > b["row_start"] for b in m["blocks"])


def test_layout_and_manifest(tmp_path):
    g = make_graph(False, "str")
    root = tmp_path / "g"
    write_parquet(g, root, row_blocks=3)
    m = manifest(root)
    assert m["format"] == "graphstore-parquet" and m["version"] == 1
    assert m["num_vertices"] == g.num_vertices and m["num_edges"] == g.num_edges
    assert m["directed"] is False and m["edge_attrs"] == ["weight"]
    assert sorted(os.listdir(root)) == ["_labels.parquet", "_manifest.json",
                                        "block=0", "block=1", "block=2"]
    total = 0
    for K, b in enumerate(m["blocks"]):
        path = root / b["path"]
        assert b["path"] == f"block={K}/part-0.parquet"
        data = path.read_bytes()
        assert len(data) == b["bytes"]
        assert hashlib.sha256(data).hexdigest() == b["sha256"]
        t = pq.read_table(path)
        src, dst = t.column("src").to_numpy(), t.column("dst").to_numpy()
        assert t.schema.field("src").type == pa.int64() == t.schema.field("dst").type
        assert len(src) == b["nnz"]
        assert np.all((src >= b["row_start"]) & (src < b["row_stop"]))
        assert np.all(src <= dst)  # undirected: each edge once
        total += len(src)
    assert total == g.num_edges
    assert pq.read_table(root / "_labels.parquet").column("label").to_pylist() == g.labels


def test_same_graph_gives_identical_bytes(tmp_path):
    g = make_graph(True, "str", attrs=("weight", "cost"))
    write_parquet(g, tmp_path / "a", row_blocks=5)
    write_parquet(g, tmp_path / "b", row_blocks=5)
    def files(root):
        return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())

    files_a, files_b = files(tmp_path / "a"), files(tmp_path / "b")
    assert files_a == files_b and len(files_a) == 7
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


def test_blocks_balanced_by_entries_on_a_power_law_graph(tmp_path):
    G = nx.barabasi_albert_graph(2000, 3, seed=1)
    # renumber so that the hubs (old, low ids) are spread: rows in a random order
    order = np.random.default_rng(2).permutation(2000)
    g = gs.GraphStore(directed=True)
    g.add_vertices([int(v) for v in order])
    e = np.array(G.edges())
    g.add_edges(np.concatenate([e[:, 0], e[:, 1]]), np.concatenate([e[:, 1], e[:, 0]]))
    k = 8
    write_parquet(g, tmp_path / "g", row_blocks=k)
    blocks = manifest(tmp_path / "g")["blocks"]
    weight = np.diff(g.adjacency().indptr) + 1  # entries of a row, plus one
    heaviest = weight.max()
    for b in blocks:
        w = weight[b["row_start"]:b["row_stop"]].sum()
        assert abs(w - weight.sum() / k) <= heaviest
    rows = [b["row_stop"] - b["row_start"] for b in blocks]
    assert max(rows) > min(rows)  # by entries, not by rows


def engine_counts(root, m):
    return {b["block"]: b["nnz"] for b in m["blocks"]}


# dask.dataframe 2026.8's Parquet reader calls reset_index(inplace=True), which
# pandas 3.1 deprecates: their warning, not ours
DASK_PANDAS = "ignore:The inplace keyword in DataFrame.reset_index is deprecated"


@pytest.mark.filterwarnings(DASK_PANDAS)
@pytest.mark.parametrize("directed", [False, True])
def test_pyarrow_dataset_duckdb_and_dask_read_it(tmp_path, directed):
    g = make_graph(directed, "str", n=60, m=400)
    root = tmp_path / "g.parquet"
    write_parquet(g, root, row_blocks=4)
    m = manifest(root)
    want = engine_counts(root, m)

    t = pads.dataset(root, partitioning="hive").to_table()
    assert t.num_rows == g.num_edges
    blocks, counts = np.unique(t.column("block").to_numpy(), return_counts=True)
    assert dict(zip(blocks.tolist(), counts.tolist(), strict=True)) == want
    # the rows are the adjacency's entries, each undirected edge once
    A = g.adjacency()
    src, dst = t.column("src").to_numpy(), t.column("dst").to_numpy()
    np.testing.assert_array_equal(A[src, dst], t.column("weight").to_numpy())

    q = (f"SELECT block, count(*) FROM read_parquet('{root}/*/*.parquet', hive_partitioning=true) "
         "GROUP BY block ORDER BY block")
    assert dict(duckdb.sql(q).fetchall()) == want

    import dask.dataframe as dd

    df = dd.read_parquet(f"{root}/block=*/*.parquet")
    assert len(df) == g.num_edges
    assert list(df.columns) == ["src", "dst", "weight", "block"]
    blocks, counts = np.unique(df["block"].compute().to_numpy(), return_counts=True)
    assert dict(zip(blocks.tolist(), counts.tolist(), strict=True)) == want


@pytest.mark.filterwarnings(DASK_PANDAS)
def test_dask_dataframe_needs_the_glob(tmp_path):
    """Pinned: dask.dataframe (2026.8) does not skip names starting with "_" as
    pyarrow.dataset and Spark do; given the bare directory it reads the labels
    file too. The documented way is the glob ``root/block=*/*.parquet``."""
    import dask.dataframe as dd

    g = make_graph(True, "str")
    write_parquet(g, tmp_path / "g", row_blocks=2)
    df = dd.read_parquet(str(tmp_path / "g"))
    assert "src" not in df.columns or len(df) != g.num_edges


def _spark_reason():
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java runtime (JVM) for Spark"
    return None


@pytest.mark.skipif(_spark_reason() is not None, reason=str(_spark_reason()))
def test_spark_reads_it(tmp_path):
    from pyspark.sql import SparkSession

    g = make_graph(False, "str", n=60, m=400)
    root = tmp_path / "g.parquet"
    write_parquet(g, root, row_blocks=4)
    spark = SparkSession.builder.master("local[1]").appName("graphstore-test").getOrCreate()
    try:
        df = spark.read.parquet(str(root))
        assert df.count() == g.num_edges
        got = {r["block"]: r["count"] for r in df.groupBy("block").count().collect()}
        assert got == engine_counts(root, manifest(root))
    finally:
        spark.stop()


# ----------------------------------------------------------------------
# atomic writes, overwrite


def test_existing_target_is_an_error_unless_overwrite(tmp_path):
    g = make_graph(True, "str")
    root = tmp_path / "g"
    write_parquet(g, root, row_blocks=2)
    before = manifest(root)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        write_parquet(g, root)
    assert manifest(root) == before
    g.add_edge("v0", "new", weight=5.0)
    write_parquet(g, root, row_blocks=3, overwrite=True)
    assert_same_graph(read_parquet(root), g)
    assert len(manifest(root)["blocks"]) == 3
    assert sorted(os.listdir(tmp_path)) == ["g"]  # no temporary or old directory left


def test_failed_write_leaves_nothing(tmp_path):
    g = gs.GraphStore()
    g.add_vertices(["a", 1])  # labels of two kinds
    g.add_edge("a", 1)
    with pytest.raises(TypeError, match="mixed kinds"):
        write_parquet(g, tmp_path / "g")
    assert os.listdir(tmp_path) == []
    g2 = gs.GraphStore(edge_attrs=("weight", "src"))
    with pytest.raises(ValueError, match="'src'"):
        write_parquet(g2, tmp_path / "g")
    g3 = gs.GraphStore()
    g3.add_vertices([(1, 2)])
    with pytest.raises(TypeError, match=r"\(1, 2\)"):
        write_parquet(g3, tmp_path / "g")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("bad, err", [(0, ValueError), (31, ValueError), ("2", TypeError),
                                      (2.0, TypeError), (True, TypeError)])
def test_bad_row_blocks(tmp_path, bad, err):
    g = make_graph(True, "range")  # 30 vertices
    with pytest.raises(err, match="row_blocks"):
        write_parquet(g, tmp_path / "g", row_blocks=bad)
    assert os.listdir(tmp_path) == []


def test_a_url_goes_through_pyarrow_filesystems(tmp_path):
    """file:// is resolved by pyarrow.fs.FileSystem.from_uri, as s3:// or gs:// would be."""
    g = make_graph(False, "str")
    url = (tmp_path / "g.parquet").as_uri()
    assert url.startswith("file://")
    write_parquet(g, url, row_blocks=2)
    assert_same_graph(read_parquet(url), g)
    assert_same_graph(read_parquet(tmp_path / "g.parquet"), g)  # the same directory
    with pytest.raises(FileExistsError):
        write_parquet(g, url)


def test_path_of_the_wrong_type(tmp_path):
    with pytest.raises(TypeError, match="path"):
        write_parquet(make_graph(True), 42)


# ----------------------------------------------------------------------
# damage: each raises the documented error, naming the file


@pytest.fixture
def written(tmp_path):
    g = make_graph(True, "str", n=40, m=200)
    root = tmp_path / "g"
    write_parquet(g, root, row_blocks=3)
    return g, root


def test_truncated_block(written):
    g, root = written
    path = root / "block=1" / "part-0.parquet"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(gs.StoreFormatError, match=r"block=1/part-0\.parquet.*truncated"):
        read_parquet(root)


def test_flipped_byte(written):
    g, root = written
    path = root / "block=2" / "part-0.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(gs.StoreFormatError, match=r"block=2/part-0\.parquet.*checksum"):
        read_parquet(root)


def test_missing_block(written):
    g, root = written
    os.remove(root / "block=0" / "part-0.parquet")
    with pytest.raises(FileNotFoundError, match=r"block=0/part-0\.parquet"):
        read_parquet(root)


def test_missing_manifest_or_directory(written, tmp_path):
    g, root = written
    with pytest.raises(FileNotFoundError, match="_manifest.json"):
        read_parquet(tmp_path / "nowhere")
    os.remove(root / "_manifest.json")
    with pytest.raises(FileNotFoundError, match="not a graphstore Parquet directory"):
        read_parquet(root)


def test_damaged_labels_file(written):
    g, root = written
    path = root / "_labels.parquet"
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(gs.StoreFormatError, match="_labels.parquet"):
        read_parquet(root)


@pytest.mark.parametrize("change, match", [
    (lambda m: m.update(format="other"), "format"),
    (lambda m: m.update(version=99), "version 99"),
    (lambda m: m.update(num_edges=m["num_edges"] + 1), "num_edges"),
    (lambda m: m["blocks"][1].update(nnz=m["blocks"][1]["nnz"] + 1), "entries"),
    (lambda m: m["blocks"][1].update(row_start=m["blocks"][1]["row_start"] + 1), "block entry 1"),
    (lambda m: m.update(num_vertices=m["num_vertices"] + 1), "cover rows"),
    (lambda m: m["blocks"][0].update(path="../elsewhere/part-0.parquet"), "unexpected path"),
    (lambda m: m.update(dtype="complex128"), "not a real number type"),
    (lambda m: m.update(edge_attrs=["cost"]), "edge_attrs"),
    (lambda m: m["blocks"].reverse(), "block entry 0"),
    (lambda m: m.pop("directed"), "'directed'"),
])
def test_wrong_manifest(written, change, match):
    g, root = written
    m = manifest(root)
    change(m)
    write_manifest(root, m)
    with pytest.raises(gs.StoreFormatError, match=match):
        read_parquet(root)


def test_manifest_not_json(written):
    g, root = written
    (root / "_manifest.json").write_text("{not json")
    with pytest.raises(gs.StoreFormatError, match="_manifest.json.*not JSON"):
        read_parquet(root)


def test_consistent_checksums_but_wrong_content(written):
    """Files swapped and checksums rewritten to match: the row ranges catch it."""
    g, root = written
    m = manifest(root)
    a, b = root / "block=0" / "part-0.parquet", root / "block=2" / "part-0.parquet"
    da, db = a.read_bytes(), b.read_bytes()
    a.write_bytes(db)
    b.write_bytes(da)
    for K, data in ((0, db), (2, da)):
        m["blocks"][K].update(bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    m["blocks"][0]["nnz"], m["blocks"][2]["nnz"] = m["blocks"][2]["nnz"], m["blocks"][0]["nnz"]
    write_manifest(root, m)
    with pytest.raises(gs.StoreFormatError, match=r"block=0/part-0\.parquet.*rows"):
        read_parquet(root)


def test_unsorted_or_repeated_rows_are_rejected(written):
    g, root = written
    m = manifest(root)
    path = root / "block=1" / "part-0.parquet"
    t = pq.read_table(path)
    t = t.take(np.concatenate([[1, 0], np.arange(2, t.num_rows)]))  # two rows swapped
    pq.write_table(t, path)
    data = path.read_bytes()
    m["blocks"][1].update(bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    write_manifest(root, m)
    with pytest.raises(gs.StoreFormatError, match="not sorted"):
        read_parquet(root)


def test_import_graphstore_stays_light():
    code = "import sys, graphstore; print('pyarrow' in sys.modules, 'dask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# ----------------------------------------------------------------------
# how a block is read: its own memory, any row groups, no pandas


def rewrite_block(root, K, table, **kw):
    """Replace block K's file by `table` and make the manifest agree with it."""
    m = manifest(root)
    path = root / f"block={K}" / "part-0.parquet"
    pq.write_table(table, path, **kw)
    data = path.read_bytes()
    m["blocks"][K].update(bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    write_manifest(root, m)


def test_a_block_in_many_row_groups_reads_the_same(written):
    """Another writer may cut a block into row groups: the columns arrive in chunks."""
    g, root = written
    rewrite_block(root, 1, pq.read_table(root / "block=1" / "part-0.parquet"),
                  row_group_size=7)
    assert pq.ParquetFile(root / "block=1" / "part-0.parquet").num_row_groups > 2
    assert_same_graph(read_parquet(root), g)


def test_block_arrays_own_their_memory(written):
    """Nothing of a read block stays in pyarrow's pool (it would stay after the arrays go)."""
    from graphstore.parquet import _open, _read_block

    g, root = written
    layout = _open(root)
    pool = pa.default_memory_pool()
    # the pool's count is the whole process's: another thread of an earlier test (a
    # dask client's, an I/O pool's) may allocate during one read. A block that stays
    # in the pool stays on every read, so one clean read of three is the proof.
    _read_block(layout, 1, dst_dtype=np.int32)  # one-time allocations of a first read
    grew = []
    for _ in range(3):
        before = pool.bytes_allocated()
        src, dst, vals = _read_block(layout, 1, dst_dtype=np.int32)
        grew.append(pool.bytes_allocated() - before)
        if not grew[-1]:
            break
    assert 0 in grew, f"the pool grew by {grew} bytes on each of three reads"
    for a in (src, dst, *vals):
        assert a.base is None and a.flags.owndata
    assert (src.dtype, dst.dtype, vals[0].dtype) == (np.int64, np.int32, np.float64)
    A = _adjacency(g, "weight")
    lo, hi = layout.bounds[1], layout.bounds[2]
    np.testing.assert_array_equal(dst, A.indices[A.indptr[lo]:A.indptr[hi]])


def test_a_column_index_past_int32_is_caught_before_the_cast(written):
    """dst = 2**32 + 1 would wrap to 1 as int32: the range check sees the int64 value."""
    from graphstore.parquet import _open, _read_block

    g, root = written
    t = pq.read_table(root / "block=0" / "part-0.parquet")
    dst = t.column("dst").to_numpy().copy()
    dst[-1] = 2**32 + dst[-1]
    rewrite_block(root, 0, t.set_column(1, "dst", pa.array(dst)))
    n = g.num_vertices
    with pytest.raises(gs.StoreFormatError, match=rf"block=0/part-0\.parquet.*dst outside 0\.\.{n - 1}$"):
        _read_block(_open(root), 0, dst_dtype=np.int32)


@pytest.mark.parametrize("column", ["dst", "weight"])
def test_nulls_or_a_wrong_column_type_are_rejected(written, column):
    g, root = written
    t = pq.read_table(root / "block=2" / "part-0.parquet")
    i = t.column_names.index(column)
    if column == "dst":  # float indices
        bad = pa.array(t.column("dst").to_numpy().astype(np.float64))
    else:  # a null weight
        bad = pa.array([None] + t.column(column).to_pylist()[1:], type=pa.float64())
    rewrite_block(root, 2, t.set_column(i, column, bad))
    with pytest.raises(gs.StoreFormatError, match=f"block=2/part-0.parquet.*'{column}' has nulls"):
        read_parquet(root)


def test_reading_imports_no_pandas(written):
    """pq.read_table and to_numpy import pandas (about 40 MB of a Dask worker's memory)."""
    g, root = written
    code = ("import sys, graphstore as gs; from graphstore import distributed as gd; "
            f"g = gs.read_parquet({str(root)!r}); "
            f"A = gd.from_parquet({str(root)!r}).compute(scheduler='sync'); "
            "print(g.num_edges, A.nnz, 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [str(g.num_edges), str(g.num_edges), "False"]
