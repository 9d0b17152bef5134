"""A graph as a partitioned Parquet directory: one file per row block, and a manifest.

The hand-off format to cluster engines (Dask, Spark, DuckDB, pyarrow.dataset)::

    root/
        _manifest.json              format, version, sizes, per-block checksums
        _labels.parquet             column "label" (absent when the labels are 0..n-1)
        block=0/part-0.parquet      columns src, dst (int64 rows), one per edge attribute
        block=1/part-0.parquet
        ...

* ``src`` and ``dst`` are row positions ``0..n-1`` in ``g.labels`` order (not
  internal ids); block K holds the rows ``[row_start, row_stop)`` of its
  manifest entry, sorted by ``(src, dst)``.
* An undirected edge is stored once, with ``src <= dst``, so every engine's
  row count is the number of edges.
* The blocks are balanced by the entries of the adjacency rows they cover
  (each row weighs its stored entries plus one), not by rows: a power-law
  graph's hubs do not pile up in one file. For an undirected graph the
  weight is the full symmetric row, the work a block does in a matvec.
* Names starting with ``_`` are skipped by pyarrow.dataset and Spark, so the
  edge files read as one table, with a ``block`` column from the hive-style
  directory names. DuckDB and dask.dataframe (which does not skip them) read
  the glob ``root/block=*/*.parquet`` (DuckDB: ``hive_partitioning=true``).
* Writing is atomic (a temporary sibling directory, then a rename) and
  deterministic: the same graph gives byte-identical files. Reading checks
  sizes, SHA-256 checksums, the schema and the row ranges of every file and
  raises :class:`~graphstore.StoreFormatError` (a ValueError) naming the
  file, never returning a wrong graph.

Paths go through pyarrow's filesystem layer: local paths, or URLs such as
``s3://bucket/graph`` when the filesystem package is installed.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import uuid
from typing import NamedTuple

import numpy as np

from .io import StoreFormatError

__all__ = ["write_parquet", "read_parquet"]

FORMAT = "graphstore-parquet"
VERSION = 1
MANIFEST = "_manifest.json"
LABELS = "_labels.parquet"
#: column names the layout uses itself; no edge attribute may take them
RESERVED = ("src", "dst", "block")
#: stored entries per block when `row_blocks` is not given
DEFAULT_BLOCK_ENTRIES = 1 << 22
_BLOCK_PATH = re.compile(r"block=(\d+)/part-0\.parquet")
_LABEL_TYPES = {"int": "int64", "float": "double", "str": "string"}


def _pyarrow():
    """Import pyarrow and pyarrow.parquet, or say how to get them."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as err:  # pragma: no cover - the extra is installed in CI
        raise ImportError(
            "the Parquet layout needs pyarrow (a dependency of graphstore): pip install pyarrow"
        ) from err
    return pa, pq


class Layout(NamedTuple):
    """An opened Parquet graph directory (picklable: tasks on workers carry it)."""

    fs: object  # pyarrow.fs.FileSystem
    root: str  # the directory, in `fs`'s own spelling
    manifest: dict  # the validated manifest

    @property
    def n(self) -> int:
        return self.manifest["num_vertices"]

    @property
    def directed(self) -> bool:
        return self.manifest["directed"]

    @property
    def dtype(self) -> np.dtype:
        return np.dtype(self.manifest["dtype"])

    @property
    def bounds(self) -> np.ndarray:
        """Row boundaries: block K holds rows ``bounds[K]:bounds[K + 1]``."""
        blocks = self.manifest["blocks"]
        return np.array([0] + [b["row_stop"] for b in blocks], dtype=np.int64)

    def file(self, relpath: str) -> str:
        return posixpath.join(self.root, relpath)


# ----------------------------------------------------------------------
# paths and filesystems


def _filesystem(path):
    """``(filesystem, path in its spelling)`` for a local path or a URL."""
    from pyarrow import fs as pafs

    if isinstance(path, str) and "://" in path:
        return pafs.FileSystem.from_uri(path)
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}")
    return pafs.LocalFileSystem(), os.path.abspath(os.fspath(path))


def _exists(fs, path: str) -> bool:
    from pyarrow import fs as pafs

    return fs.get_file_info(path).type != pafs.FileType.NotFound


def _write_bytes(fs, path: str, data: bytes) -> None:
    with fs.open_output_stream(path) as f:
        f.write(data)


def _read_bytes(fs, path: str, what: str) -> bytes:
    try:
        with fs.open_input_stream(path) as f:
            return f.read()
    except FileNotFoundError as err:
        raise FileNotFoundError(f"{what} {path} is missing") from err


# ----------------------------------------------------------------------
# the store's public API, read in one place


def _adjacency(g, attr: str):
    """The csr adjacency of edge attribute `attr` (the store's public export)."""
    return g.adjacency(format="csr", weight=attr)


def block_count(row_blocks, n: int, nnz: int) -> int:
    """The number of row blocks: `row_blocks` checked, or one per DEFAULT_BLOCK_ENTRIES entries."""
    if row_blocks is None:
        return max(1, min(max(n, 1), -(-nnz // DEFAULT_BLOCK_ENTRIES)))
    if isinstance(row_blocks, (bool, np.bool_)) or not isinstance(row_blocks, (int, np.integer)):
        raise TypeError(f"row_blocks must be an int, got {row_blocks!r}")
    k = int(row_blocks)
    if not 1 <= k <= max(n, 1):
        raise ValueError(
            f"row_blocks={k} is out of range: between 1 and {max(n, 1)} "
            f"(the number of vertices) for this graph"
        )
    return k


def _balanced_bounds(weights: np.ndarray, k: int) -> np.ndarray:
    """Row boundaries of `k` blocks of consecutive rows with nearly equal total weight.

    ``bounds[K]:bounds[K + 1]`` are the rows of block K; every block has at
    least one row (``1 <= k <= len(weights)``, or ``k == 1`` for no rows).
    A block's weight exceeds ``total / k`` by at most its heaviest row. O(n).

    Examples
    --------
    >>> _balanced_bounds(np.array([9, 1, 1, 1, 1, 1, 1, 1, 1, 1]), 2)
    array([ 0,  1, 10])
    """
    n = len(weights)
    if n == 0:
        return np.zeros(k + 1, dtype=np.int64)
    cum = np.zeros(n + 1, dtype=np.float64)
    np.cumsum(weights, out=cum[1:])
    targets = cum[-1] * np.arange(1, k) / k
    # the boundary whose prefix weight is nearest each target
    right = np.searchsorted(cum, targets, side="left")
    left = np.maximum(right - 1, 0)
    inner = np.where(targets - cum[left] <= cum[right] - targets, left, right)
    bounds = np.concatenate(([0], inner, [n])).astype(np.int64)
    # at least one row a block: push forward, then pull back from the end
    for i in range(1, k):
        bounds[i] = max(bounds[i], bounds[i - 1] + 1)
    for i in range(k - 1, 0, -1):
        bounds[i] = min(bounds[i], bounds[i + 1] - 1)
    return bounds


def _labels_column(labels: list):
    """The labels as a pyarrow array, or None when they are ``0..n-1``."""
    pa, _ = _pyarrow()
    if all(type(x) is int for x in labels) and labels == list(range(len(labels))):
        return None
    if all(isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))
           for x in labels):
        if any(not -(2**63) <= int(x) < 2**63 for x in labels):
            raise TypeError("integer labels beyond int64 cannot be written to Parquet")
        return pa.array([int(x) for x in labels], type=pa.int64())
    if all(isinstance(x, (float, np.floating)) for x in labels):
        return pa.array([float(x) for x in labels], type=pa.float64())
    if all(isinstance(x, str) for x in labels):
        return pa.array(labels, type=pa.string())
    bad = next((x for x in labels if not isinstance(x, (int, float, str, np.number))), None)
    if bad is None or isinstance(bad, (bool, np.bool_)):
        kinds = sorted({type(x).__name__ for x in labels})
        raise TypeError(
            f"labels of mixed kinds ({', '.join(kinds)}) cannot be written to Parquet; "
            "labels of one kind (all int, all float or all str) can"
        )
    raise TypeError(
        f"label {bad!r} of type {type(bad).__name__} cannot be written to Parquet; "
        "labels of one kind (all int, all float or all str) can"
    )


def _table_bytes(table) -> bytes:
    """`table` as the bytes of one Parquet file (deterministic).

    zstd, a CRC32 on every page, no dictionaries (the columns rarely repeat:
    dictionary encoding tried and dropped cost 5x the write and 3x the read),
    and the sorted ``src`` and within-row sorted ``dst`` delta-encoded: about
    10 bytes an entry with float64 weights.
    """
    pa, pq = _pyarrow()
    sink = pa.BufferOutputStream()
    delta = {c: "DELTA_BINARY_PACKED" for c in ("src", "dst") if c in table.column_names}
    pq.write_table(table, sink, compression="zstd", write_page_checksum=True,
                   use_dictionary=False, column_encoding=delta)
    return sink.getvalue().to_pybytes()


def write_parquet(g, path, *, row_blocks: int | None = None, overwrite: bool = False) -> None:
    """Write the store `g` as a partitioned Parquet directory at `path`.

    Parameters
    ----------
    g : GraphStore
        The graph; read through its public API only. Do not change it while
        it is being written.
    path : str or os.PathLike
        The directory to create (a local path, or a URL pyarrow's filesystem
        layer knows, such as ``s3://bucket/graph``).
    row_blocks : int, optional
        How many row blocks (files), between 1 and the number of vertices.
        Default: one per ``DEFAULT_BLOCK_ENTRIES`` (4,194,304) stored entries.
    overwrite : bool, default False
        Replace an existing `path` (atomically: the old directory stays whole
        until the new one is complete).

    Raises
    ------
    FileExistsError
        `path` exists and `overwrite` is False.
    ValueError
        `row_blocks` is out of range, or an edge attribute is named ``src``,
        ``dst`` or ``block``.
    TypeError
        `row_blocks` is not an int, or the labels are not all int, all float
        or all str.

    Notes
    -----
    Layout and guarantees: see :mod:`graphstore.parquet`. Costs O(nnz + n)
    time, with one block's columns in memory at a time beyond the store's
    own cached export, and O(nnz) bytes written (zstd-compressed). Atomic
    on local filesystems (a temporary sibling directory, then a rename);
    object stores have no atomic directory rename, so there a reader should
    rely on the manifest, which is written last.

    Examples
    --------
    >>> import os, tempfile
    >>> from graphstore.parquet import read_parquet, write_parquet
    >>> g = gs.GraphStore(directed=True)
    >>> g.add_edges(["a", "b", "c"], ["b", "c", "a"], [1.0, 2.0, 3.0])
    >>> root = os.path.join(tempfile.mkdtemp(), "g.parquet")
    >>> write_parquet(g, root, row_blocks=2)
    >>> sorted(os.listdir(root))
    ['_labels.parquet', '_manifest.json', 'block=0', 'block=1']
    >>> g2 = read_parquet(root)
    >>> g2.labels, (g2.adjacency() != g.adjacency()).nnz
    (['a', 'b', 'c'], 0)
    """
    pa, _ = _pyarrow()
    if not isinstance(overwrite, (bool, np.bool_)):
        raise TypeError(f"overwrite must be True or False, got {overwrite!r}")
    attrs = tuple(g.edge_attrs)
    clash = [a for a in attrs if a in RESERVED]
    if clash:
        raise ValueError(
            f"edge attribute {clash[0]!r} clashes with a column of the layout "
            f"({', '.join(RESERVED)})"
        )
    fs, root = _filesystem(path)
    if _exists(fs, root) and not overwrite:
        raise FileExistsError(f"{root} exists; pass overwrite=True to replace it")
    n = g.num_vertices
    labels = g.labels
    mats = [_adjacency(g, a) for a in attrs]
    A = mats[0]
    if len(labels) != n or any(M.shape != (n, n) for M in mats):
        raise RuntimeError("the store changed while it was being written")
    indptr = A.indptr.astype(np.int64)
    row_nnz = np.diff(indptr)
    k = block_count(row_blocks, n, A.nnz)
    bounds = _balanced_bounds(row_nnz + 1, k)
    # the stored entries: all of them (directed) or the upper triangle (undirected)
    rows = np.repeat(np.arange(n, dtype=np.int64), row_nnz)
    cols = A.indices.astype(np.int64)
    if g.directed:
        keep = None
        sptr = indptr
    else:
        keep = cols >= rows
        sptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows[keep], minlength=n), out=sptr[1:])
        rows, cols = rows[keep], cols[keep]
    vals = [M.data if keep is None else M.data[keep] for M in mats]
    label_col = _labels_column(labels)
    if sptr[-1] != g.num_edges:
        raise RuntimeError("the store changed while it was being written")

    parent, base = posixpath.split(root.rstrip("/"))
    tmp = posixpath.join(parent, f".{base}.tmp-{uuid.uuid4().hex}")
    fs.create_dir(tmp, recursive=True)
    try:
        blocks = []
        for K in range(k):
            lo, hi = int(bounds[K]), int(bounds[K + 1])
            a, b = int(sptr[lo]), int(sptr[hi])
            cols_k = {"src": pa.array(rows[a:b]), "dst": pa.array(cols[a:b])}
            for name, v in zip(attrs, vals, strict=True):
                cols_k[name] = pa.array(v[a:b])
            data = _table_bytes(pa.table(cols_k))
            rel = f"block={K}/part-0.parquet"
            fs.create_dir(posixpath.join(tmp, f"block={K}"), recursive=True)
            _write_bytes(fs, posixpath.join(tmp, rel), data)
            blocks.append({
                "block": K,
                "row_start": lo,
                "row_stop": hi,
                "nnz": b - a,
                "path": rel,
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            })
        if label_col is None:
            label_entry = {"kind": "range"}
        else:
            data = _table_bytes(pa.table({"label": label_col}))
            _write_bytes(fs, posixpath.join(tmp, LABELS), data)
            label_entry = {
                "kind": {v: k_ for k_, v in _LABEL_TYPES.items()}[str(label_col.type)],
                "path": LABELS,
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "directed": bool(g.directed),
            "num_vertices": n,
            "num_edges": int(sptr[-1]),
            "dtype": np.dtype(g.dtype).str,
            "edge_attrs": list(attrs),
            "labels": label_entry,
            "blocks": blocks,
        }
        text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
        _write_bytes(fs, posixpath.join(tmp, MANIFEST), text.encode())
        _commit(fs, tmp, root, parent, base, overwrite)
    except BaseException:
        if _exists(fs, tmp):
            fs.delete_dir(tmp)
        raise


def _commit(fs, tmp: str, root: str, parent: str, base: str, overwrite: bool) -> None:
    """Rename the finished `tmp` directory to `root`, replacing it if asked."""
    if not _exists(fs, root):
        fs.move(tmp, root)
        return
    if not overwrite:
        raise FileExistsError(f"{root} exists; pass overwrite=True to replace it")
    old = posixpath.join(parent, f".{base}.old-{uuid.uuid4().hex}")
    fs.move(root, old)
    try:
        fs.move(tmp, root)
    except BaseException:
        fs.move(old, root)  # put the old graph back
        raise
    if fs.get_file_info(old).type.name == "Directory":
        fs.delete_dir(old)
    else:
        fs.delete_file(old)


# ----------------------------------------------------------------------
# reading


def _bad(path: str, why: str):
    return StoreFormatError(f"{path} is not a valid graphstore Parquet file: {why}")


def _check_manifest(m, where: str) -> dict:
    """Return the manifest dict `m` if it is self-consistent, else raise StoreFormatError."""
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise _bad(where, f"the format is not {FORMAT!r}")
    if m.get("version") != VERSION:
        raise _bad(where, f"version {m.get('version')!r}; this graphstore reads {VERSION}")
    need = {"directed": bool, "num_vertices": int, "num_edges": int, "dtype": str,
            "edge_attrs": list, "labels": dict, "blocks": list}
    for key, typ in need.items():
        if not isinstance(m.get(key), typ) or (typ is int and isinstance(m.get(key), bool)):
            raise _bad(where, f"{key!r} is missing or not a {typ.__name__}")
    try:
        dt = np.dtype(m["dtype"])
    except TypeError as err:
        raise _bad(where, f"unknown dtype {m['dtype']!r}") from err
    if dt.kind not in "iuf":
        raise _bad(where, f"dtype {m['dtype']!r} is not a real number type")
    attrs = m["edge_attrs"]
    if "weight" not in attrs or len(set(attrs)) != len(attrs) or any(
        not isinstance(a, str) or a in RESERVED for a in attrs
    ):
        raise _bad(where, f"edge_attrs {attrs!r} must be distinct names including 'weight'")
    n, blocks = m["num_vertices"], m["blocks"]
    if n < 0 or not blocks:
        raise _bad(where, "no blocks, or a negative vertex count")
    start, total = 0, 0
    for K, b in enumerate(blocks):
        ok = isinstance(b, dict) and all(
            isinstance(b.get(f), int) and not isinstance(b.get(f), bool) and b.get(f) >= 0
            for f in ("block", "row_start", "row_stop", "nnz", "bytes")
        ) and isinstance(b.get("sha256"), str) and isinstance(b.get("path"), str)
        if not ok or b["block"] != K or b["row_start"] != start or b["row_stop"] < start:
            raise _bad(where, f"block entry {K} is malformed or out of order")
        if not _BLOCK_PATH.fullmatch(b["path"]) or int(_BLOCK_PATH.fullmatch(b["path"])[1]) != K:
            raise _bad(where, f"block {K} has an unexpected path {b['path']!r}")
        start, total = b["row_stop"], total + b["nnz"]
    if start != n:
        raise _bad(where, f"the blocks cover rows 0..{start}, not the {n} vertices")
    if total != m["num_edges"]:
        raise _bad(where, f"the blocks hold {total} entries, not num_edges={m['num_edges']}")
    lab = m["labels"]
    if lab.get("kind") != "range" and (
        lab.get("kind") not in _LABEL_TYPES or lab.get("path") != LABELS
        or not isinstance(lab.get("bytes"), int) or not isinstance(lab.get("sha256"), str)
    ):
        raise _bad(where, f"the labels entry {lab!r} is malformed")
    return m


def _open(path) -> Layout:
    """Open a Parquet graph directory: read and check its manifest."""
    fs, root = _filesystem(path)
    where = posixpath.join(root, MANIFEST)
    try:
        text = _read_bytes(fs, where, "the manifest")
    except FileNotFoundError as err:
        raise FileNotFoundError(
            f"{where} is missing: {root} is not a graphstore Parquet directory"
        ) from err
    try:
        m = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise _bad(where, f"not JSON ({err})") from err
    return Layout(fs, root, _check_manifest(m, where))


def _verified(layout: Layout, entry: dict, what: str, verify: bool) -> tuple:
    """The bytes of the file of `entry`, after its size and (if `verify`) checksum."""
    path = layout.file(entry["path"])
    data = _read_bytes(layout.fs, path, what)
    if len(data) != entry["bytes"]:
        raise _bad(path, f"{len(data)} bytes, the manifest says {entry['bytes']} (truncated?)")
    if verify and hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise _bad(path, "its SHA-256 checksum does not match the manifest (corrupted)")
    return path, data


def _parse(path: str, data: bytes, *, threads: bool = True):
    """The table in the Parquet file `data`, every page's CRC32 checked.

    ``ParquetFile.read``, not ``pq.read_table``: the latter goes through
    pyarrow.dataset, whose first use imports pandas (about 40 MB of a
    worker's memory, for nothing we use).
    """
    pa, pq = _pyarrow()
    try:
        f = pq.ParquetFile(pa.BufferReader(data), page_checksum_verification=True)
        return f.read(use_threads=threads)
    except (pa.ArrowException, OSError) as err:
        raise _bad(path, f"pyarrow cannot read it ({err})") from err


def _column(table, name: str, dtype, path: str, within: tuple | None = None,
            what: str = "") -> np.ndarray:
    """Column `name` of `table`, copied into a new numpy array of `dtype`.

    Copied chunk by chunk straight from the Arrow buffers, so the result
    owns its memory (none of it stays in pyarrow's pool once the table is
    dropped) and no pandas is imported (``to_numpy`` imports it). `within`
    ``(lo, hi)``: every value must lie in ``[lo, hi)``, checked before the
    cast (a narrower `dtype` cannot wrap a bad value into range); `what`
    says which values, in the error.
    """
    pa, _ = _pyarrow()
    col = table.column(name)
    typ = col.type
    ok = pa.types.is_integer(typ) or (within is None and pa.types.is_floating(typ))
    if not ok or col.null_count:
        raise _bad(path, f"column {name!r} has nulls or the wrong type ({typ})")
    have = np.dtype(typ.to_pandas_dtype())  # a numpy type; imports nothing
    out = np.empty(len(col), dtype=dtype)
    at = 0
    for chunk in col.chunks:
        k = len(chunk)
        view = np.frombuffer(chunk.buffers()[1], dtype=have, count=k,
                             offset=chunk.offset * have.itemsize)
        if within is not None and k:
            lo, hi = within
            if view.min() < lo or view.max() >= hi:
                raise _bad(path, f"{what} {lo}..{hi - 1}")
        out[at:at + k] = view
        at += k
    return out


def _read_block(layout: Layout, K: int, attrs=None, *, verify: bool = True,
                dst_dtype=np.int64, threads: bool = True):
    """Block K as ``(src, dst, [values of each attribute in attrs])``, checked.

    Checks the size, the checksum (`verify`), the schema, the row count, that
    every ``src`` lies in the block's rows and every ``dst`` in ``[0, n)``,
    ``src <= dst`` for an undirected graph, and that the rows are sorted by
    ``(src, dst)`` without repeats. `src` is int64, `dst` `dst_dtype` (int32
    saves 4 bytes an entry where ``n < 2**31``), the values the layout's
    dtype; all three own their memory. `threads`: let pyarrow decode the
    columns in parallel (a Dask task should not: its worker owns one core).
    O(block) time and memory: the file's bytes, its decoded columns, then
    the arrays returned (about 1 byte an entry of temporaries for the checks).
    """
    pa, _ = _pyarrow()
    m = layout.manifest
    entry = m["blocks"][K]
    attrs = m["edge_attrs"] if attrs is None else attrs
    path, data = _verified(layout, entry, f"block file {K}", verify)
    table = _parse(path, data, threads=threads)
    del data
    want = ["src", "dst", *m["edge_attrs"]]
    if table.column_names != want:
        raise _bad(path, f"columns {table.column_names}, expected {want}")
    if table.num_rows != entry["nnz"]:
        raise _bad(path, f"{table.num_rows} rows, the manifest says {entry['nnz']}")
    n, lo, hi = m["num_vertices"], entry["row_start"], entry["row_stop"]
    src = _column(table, "src", np.int64, path, (lo, hi), "src outside the block's rows")
    dst = _column(table, "dst", dst_dtype, path, (0, n), "dst outside")
    vals = [_column(table, a, layout.dtype, path) for a in attrs]
    del table
    # the decoded columns are free now: hand their pages back (pyarrow's
    # mimalloc pool keeps them otherwise, about 5 bytes an entry of a
    # worker's memory after reading its blocks)
    pa.default_memory_pool().release_unused()
    if not m["directed"] and np.any(src > dst):
        raise _bad(path, "an undirected edge with src > dst")
    if len(src) > 1:
        # sorted by (src, dst), no repeats: each step raises src, or keeps it
        # and raises dst (bool temporaries, not an int64 key per entry)
        up = src[1:] > src[:-1]
        same = src[1:] == src[:-1]
        same &= dst[1:] > dst[:-1]
        up |= same
        if not up.all():
            raise _bad(path, "entries not sorted by (src, dst), or repeated")
        del up, same
    for a, v in zip(attrs, vals, strict=True):
        if v.dtype.kind == "f" and not np.isfinite(v).all():
            raise _bad(path, f"non-finite values in {a!r}")
    return src, dst, vals


def _read_labels(layout: Layout, *, verify: bool = True) -> list:
    m = layout.manifest
    lab, n = m["labels"], m["num_vertices"]
    if lab["kind"] == "range":
        return list(range(n))
    path, data = _verified(layout, lab, "the labels file", verify)
    table = _parse(path, data)
    if table.column_names != ["label"] or str(table.schema.field("label").type) != _LABEL_TYPES[
        lab["kind"]
    ]:
        raise _bad(path, f"expected one column 'label' of {_LABEL_TYPES[lab['kind']]}")
    if table.num_rows != n or table.column("label").null_count:
        raise _bad(path, f"{table.num_rows} labels (or nulls) for {n} vertices")
    labels = table.column("label").to_pylist()
    if len(set(labels)) != n:
        raise _bad(path, "repeated labels")
    return labels


def read_parquet(path):
    """Read a directory written by :func:`write_parquet` into one GraphStore.

    Every file is checked before the store is built: sizes and SHA-256
    checksums against the manifest, then the schema, the row ranges and the
    order of each block.

    Parameters
    ----------
    path : str or os.PathLike
        The directory (a local path or a URL pyarrow's filesystem layer knows).

    Returns
    -------
    GraphStore
        Labels, directedness, dtype and every edge attribute as written.

    Raises
    ------
    FileNotFoundError
        The directory, its manifest or one of its files is missing (the
        message names it).
    StoreFormatError
        (a ValueError) the manifest is malformed or of another format or
        version, or a file is truncated, corrupted or inconsistent with it.

    Notes
    -----
    O(nnz + n) time; memory of the finished store plus one block's columns.

    Examples
    --------
    >>> import os, tempfile
    >>> from graphstore.parquet import read_parquet, write_parquet
    >>> g = gs.GraphStore()
    >>> g.add_edges([0, 1, 2], [1, 2, 2], [1.0, 2.0, 5.0])
    >>> root = os.path.join(tempfile.mkdtemp(), "g.parquet")
    >>> write_parquet(g, root)
    >>> print(read_parquet(root).adjacency().toarray())
    [[0. 1. 0.]
     [1. 0. 2.]
     [0. 2. 5.]]
    """
    from ._store import GraphStore

    layout = _open(path)
    m = layout.manifest
    labels = _read_labels(layout)
    g = GraphStore(directed=m["directed"], dtype=layout.dtype, edge_attrs=tuple(m["edge_attrs"]))
    g.add_vertices(len(labels) if m["labels"]["kind"] == "range" else labels)
    attrs = m["edge_attrs"]
    # block by block (one block's columns in memory); a bad block raises
    # before the half-built store is returned
    for K in range(len(m["blocks"])):
        src, dst, vals = _read_block(layout, K)
        if len(src):
            named = dict(zip(attrs, vals, strict=True))
            g.add_edges(src, dst, named.pop("weight"), by="id", **named)
    return g
