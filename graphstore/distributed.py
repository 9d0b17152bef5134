"""Row blocks of a graph's adjacency on Dask: matvec, degrees, transpose, Laplacians, PageRank.

A *row-block array* is a ``dask.array`` of shape ``(n, n)`` with one column
chunk, whose chunks are ``scipy.sparse.csr_array`` blocks of consecutive
rows (rows in ``g.labels`` order)::

    A = [ A_0 ]   rows bounds[0]:bounds[1]     each A_K a csr_array of shape
        [ A_1 ]   rows bounds[1]:bounds[2]     (bounds[K+1] - bounds[K], n)
        [ ... ]

:func:`to_dask` makes one from a store in memory, :func:`from_parquet` from a
directory written by ``g.to_parquet`` (:func:`graphstore.parquet.write_parquet`),
reading each block lazily on the workers. Every function here returns lazy
dask arrays (call ``.compute()``), except :func:`pagerank`, which iterates and
returns a numpy array; each works with the local scheduler and with a
``distributed.Client``.

Why not ``A @ x`` or ``da.dot``: dask's own linear algebra does not handle
scipy sparse *array* chunks (measured with dask 2026.8): ``A.sum()`` fails
(``keepdims``), ``da.dot(A, x)`` with a 1-D ``x`` and ``A @ x`` raise, and
``da.dot(A, x[:, None])`` on a single square block silently returns the
elementwise product ``A * x[:, None]`` (dask's scipy tensordot uses ``*``).
So everything here is built from explicit per-block tasks; the test suite
pins each of those traps so a dask upgrade that changes them is noticed.

Conventions are those of :mod:`graphstore`: ``A[i, j]`` is the edge i -> j,
an undirected graph is symmetric with a self-loop once on the diagonal.

``import graphstore`` never imports dask (nor this module); importing this
module registers the size of scipy sparse arrays with dask's ``sizeof``
(which does not know them), so that the scheduler places tasks by their
blocks' real bytes.
"""

from __future__ import annotations

import operator
import uuid
from functools import partial
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from .parquet import _adjacency, _balanced_bounds, _open, _read_block, block_count

__all__ = ["to_dask", "from_parquet", "matvec", "degree", "transpose", "laplacian", "pagerank"]


def _sparse_nbytes(a) -> int:
    """The bytes of a scipy sparse array's index and value arrays (and its object)."""
    arrays = [getattr(a, name, None) for name in ("data", "indices", "indptr", "coords", "offsets")]
    flat = [x for v in arrays if v is not None for x in (v if isinstance(v, tuple) else (v,))]
    return 64 + sum(x.nbytes for x in flat if isinstance(x, np.ndarray))


def _register_sizeof() -> None:
    """Teach dask's ``sizeof`` the size of scipy sparse *arrays*.

    dask 2026.8 registers ``scipy.sparse.spmatrix`` only, so a csr_array
    block counts as 56 bytes: the scheduler then moves blocks to their
    vectors rather than the reverse, and a worker's managed memory reads
    near zero (spilling and the memory limits misjudge it). Registered
    when this module is imported, on the client and on every worker that
    runs one of its tasks; nothing happens without dask.
    """
    try:
        from dask.sizeof import sizeof
    except ImportError:  # pragma: no cover - the extra is installed in CI
        return
    sizeof.register(sp.sparray, _sparse_nbytes)


_register_sizeof()


def _dask():
    try:
        import dask
        import dask.array as da
        from dask.highlevelgraph import HighLevelGraph
    except ImportError as err:  # pragma: no cover - the extra is installed in CI
        raise ImportError(
            "graphstore.distributed needs dask: pip install 'graphstore[dask]'"
        ) from err
    return dask, da, HighLevelGraph


def _name(prefix: str) -> str:
    return f"graphstore-{prefix}-{uuid.uuid4().hex}"


def _sparse_meta(dtype) -> sp.csr_array:
    return sp.csr_array((0, 0), dtype=dtype)


def _array(dsk, name: str, deps, chunks, meta):
    """A dask array over the low-level graph `dsk` (keys ``(name, K[, 0])``)."""
    _, da, HighLevelGraph = _dask()
    graph = HighLevelGraph.from_collections(name, dsk, dependencies=list(deps))
    return da.Array(graph, name, chunks=chunks, meta=meta)


def _bounds(A, name: str = "A") -> np.ndarray:
    """Row boundaries of a square row-block array `A`, or a TypeError/ValueError."""
    _, da, _ = _dask()
    if not isinstance(A, da.Array) or A.ndim != 2 or not sp.issparse(A._meta):
        raise TypeError(
            f"{name} must be a 2-D dask array of scipy sparse row blocks "
            f"(from to_dask or from_parquet), got {type(A).__name__}"
        )
    if len(A.chunks[1]) != 1:
        raise ValueError(
            f"{name} must have one column chunk (row blocks), got {len(A.chunks[1])}"
        )
    if A.shape[0] != A.shape[1]:
        raise ValueError(f"{name} must be square, got shape {A.shape}")
    return np.concatenate(([0], np.cumsum(A.chunks[0]))).astype(np.int64)


def _row_keys(A):
    return [(A.name, K, 0) for K in range(len(A.chunks[0]))]


def _check_choice(name: str, value, allowed) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}, got {value!r}")


def _check_bool(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _float(dtype) -> np.dtype:
    """Floating dtypes stay; integers and bool compute in float64 (as gs.laplacian)."""
    dtype = np.dtype(dtype)
    return dtype if dtype.kind == "f" else np.dtype(np.float64)


# ----------------------------------------------------------------------
# block kernels: plain functions of numpy/scipy arrays, run on the workers


def _ones_like(b: sp.csr_array, dtype) -> sp.csr_array:
    """`b`'s pattern with every stored entry 1 (explicit zeros included)."""
    return sp.csr_array((np.ones(b.nnz, dtype=dtype), b.indices, b.indptr), shape=b.shape)


def _weighted(b, weighted: bool, dtype=None):
    dtype = b.dtype if dtype is None else dtype
    return b.astype(dtype, copy=False) if weighted else _ones_like(b, dtype)


def _csr_from_parts(rows, cols, vals, shape, dtype) -> sp.csr_array:
    """A canonical csr_array from coordinates without repeats; stored zeros stay."""
    if len(rows) == 0:
        return sp.csr_array(shape, dtype=dtype)
    return sp.coo_array((np.asarray(vals, dtype=dtype), (rows, cols)), shape=shape).tocsr()


def _rows_of(b) -> np.ndarray:
    return np.repeat(np.arange(b.shape[0], dtype=np.int64), np.diff(b.indptr))


def _load_rows(layout, K: int, attr, verify: bool) -> sp.csr_array:
    """Block K of a Parquet graph: its stored entries as a (rows, n) csr_array.

    What it keeps is 12 bytes an entry (int32 column indices while they fit,
    float64 values) plus the row pointers; on the way, the file's bytes, its
    decoded columns (freed, and handed back by pyarrow's pool) and an int64
    copy of the row of each entry.
    """
    lo, hi = int(layout.bounds[K]), int(layout.bounds[K + 1])
    it = np.int32 if max(layout.manifest["blocks"][K]["nnz"], layout.n) < 2**31 else np.int64
    src, dst, vals = _read_block(layout, K, ["weight" if attr is None else attr],
                                 verify=verify, dst_dtype=it, threads=False)
    v = np.ones(len(src), dtype=layout.dtype) if attr is None else vals[0]
    del vals
    # rows arrive sorted by (src, dst): the csr arrays follow directly
    indptr = np.searchsorted(src, np.arange(lo, hi + 1)).astype(it)
    del src
    A = sp.csr_array((v, dst, indptr), shape=(hi - lo, layout.n))
    A.has_canonical_format = True
    return A


def _split_columns(b, bounds) -> list:
    """``[b[:, bounds[K]:bounds[K+1]].T for each K]``, each a csr_array. O(nnz(b) + n)."""
    c = sp.csc_array(b)
    return [c[:, int(bounds[K]):int(bounds[K + 1])].T.tocsr() for K in range(len(bounds) - 1)]


def _stack_columns(pieces, offsets, n) -> sp.csr_array:
    """Pieces ``P_J`` side by side, piece J starting at column ``offsets[J]``."""
    rows = np.concatenate([_rows_of(p) for p in pieces])
    cols = np.concatenate([p.indices.astype(np.int64) + offsets[J] for J, p in enumerate(pieces)])
    vals = np.concatenate([p.data for p in pieces])
    return _csr_from_parts(rows, cols, vals, (pieces[0].shape[0], n), pieces[0].dtype)


def _symmetrize(u, ut, lo: int) -> sp.csr_array:
    """Rows of ``U + U^T - diag(U)``: `u` holds rows of the upper triangle, `ut` of ``U^T``."""
    ru, rt = _rows_of(u), _rows_of(ut)
    off = rt + lo != ut.indices  # the diagonal is in u already
    rows = np.concatenate((ru, rt[off]))
    cols = np.concatenate((u.indices.astype(np.int64), ut.indices[off].astype(np.int64)))
    vals = np.concatenate((u.data, ut.data[off]))
    return _csr_from_parts(rows, cols, vals, u.shape, u.dtype)


def _as_block(b):
    """`b` itself: a block given to dask as a task of this module, so that the
    worker storing it has imported the module (and its sizeof for sparse arrays)."""
    return b


def _matvec_block(b, x) -> np.ndarray:
    return b @ x


def _row_sums(b, weighted: bool) -> np.ndarray:
    b = _weighted(b, weighted)
    return b @ np.ones(b.shape[1], dtype=b.dtype)


def _col_sums(b, weighted: bool) -> np.ndarray:
    b = _weighted(b, weighted)
    return b.T @ np.ones(b.shape[0], dtype=b.dtype)


def _add_all(parts):
    """Sum of a list of arrays, or of tuples of arrays, elementwise."""
    if isinstance(parts[0], tuple):
        return tuple(_add_all([p[i] for p in parts]) for i in range(len(parts[0])))
    total = parts[0].copy() if isinstance(parts[0], np.ndarray) else parts[0]
    for p in parts[1:]:
        total += p
    return total


def _concat(parts) -> np.ndarray:
    return np.concatenate(parts)


def _reciprocal(d: np.ndarray, power: float) -> np.ndarray:
    """``d ** -power``, 0 where ``d == 0`` (the 1/0 = 0 convention of gs.laplacian)."""
    base = np.sqrt(d) if power == 0.5 else d
    return np.divide(1, base, out=np.zeros_like(base), where=d != 0)


def _laplacian_block(b, d_whole, lo: int, kind: str, degree: str, weighted: bool):
    """Rows ``lo:lo+len(b)`` of the Laplacian, as ``gs.laplacian`` computes them."""
    dtype = _float(b.dtype)
    b = _weighted(b, weighted, dtype)
    r = b.shape[0]
    d_local = b @ np.ones(b.shape[1], dtype=dtype) if degree == "out" else d_whole[lo:lo + r]
    if kind == "combinatorial":
        diag, left, right = d_local, None, None
    else:
        diag = (d_local != 0).astype(dtype)
        if kind == "sym":
            bad = np.flatnonzero(d_whole < 0)
            if bad.size:
                raise ValueError(
                    f"kind='sym' needs non-negative degrees; vertex {bad[0]} has "
                    f"{degree}-degree {d_whole[bad[0]].item()!r}"
                )
            left, right = _reciprocal(d_local, 0.5), _reciprocal(d_whole, 0.5)
        elif degree == "out":
            left, right = _reciprocal(d_local, 1.0), None
        else:
            left, right = None, _reciprocal(d_whole, 1.0)
    data = b.data
    if left is not None:
        data = data * left[_rows_of(b)]
    if right is not None:
        data = data * right[b.indices]
    scaled = sp.csr_array((data, b.indices, b.indptr), shape=b.shape)
    D = sp.csr_array((diag, (np.arange(r), lo + np.arange(r))), shape=b.shape)
    return D - scaled


# ----------------------------------------------------------------------
# constructors


def to_dask(g, row_blocks: int | None = None, *, weight: str | None = "weight"):
    """The adjacency of a store as a dask array of csr row blocks.

    Parameters
    ----------
    g : GraphStore
        The graph (read through its public API).
    row_blocks : int, optional
        How many blocks, between 1 and the number of vertices; balanced by
        the stored entries of their rows (each row also weighs 1), so a
        power-law graph's hubs do not pile up in one block. Default: one per
        4,194,304 stored entries.
    weight : str or None, default "weight"
        The edge attribute that fills the matrix; None gives 1 for every edge.

    Returns
    -------
    dask.array.Array
        Shape (n, n), one column chunk, chunks of ``scipy.sparse.csr_array``;
        rows and columns in ``g.labels`` order.

    Notes
    -----
    O(nnz + n) to slice the blocks, which are copies held in the task graph:
    right for a graph that fits the client's memory. For a larger one, write
    it once with ``g.to_parquet`` and use :func:`from_parquet`.

    Examples
    --------
    >>> from graphstore import distributed as gd
    >>> g = gs.GraphStore(directed=True)
    >>> g.add_edges([0, 0, 1, 2, 3], [1, 2, 2, 3, 0], [1.0, 2.0, 3.0, 4.0, 5.0])
    >>> A = gd.to_dask(g, row_blocks=2)
    >>> A.chunks
    ((2, 2), (4,))
    >>> bool((A.compute() != g.adjacency()).nnz == 0)
    True
    """
    A = _adjacency(g, "weight" if weight is None else weight)
    n = A.shape[0]
    if weight is None:
        A = _ones_like(A, A.dtype)
    k = block_count(row_blocks, n, A.nnz)
    bounds = _balanced_bounds(np.diff(A.indptr) + 1, k)
    name = _name("rows")
    dsk = {(name, K, 0): (_as_block, A[int(bounds[K]):int(bounds[K + 1])]) for K in range(k)}
    return _array(dsk, name, [], (tuple(np.diff(bounds).tolist()), (n,)), _sparse_meta(A.dtype))


def from_parquet(path, *, weight: str | None = "weight", verify: bool = True):
    """The adjacency stored in a Parquet graph directory, as a dask array of csr row blocks.

    The manifest is read now; each block file is read by its task, on the
    worker that runs it, every time the array is computed (never held by
    the client). Persist the array (``A = A.persist()``) to keep it in the
    workers' memory when it fits; leave it lazy when it does not (out of
    core: each pass reads the blocks again).

    Parameters
    ----------
    path : str or os.PathLike
        A directory written by ``g.to_parquet`` /
        :func:`graphstore.parquet.write_parquet` (a local path or a URL).
    weight : str or None, default "weight"
        The edge attribute that fills the matrix; None gives 1 for every edge.
    verify : bool, default True
        Check each file's SHA-256 against the manifest as it is read (about
        1 GB/s of file per core). Without it, the size, the CRC32 of every
        Parquet page, the schema and the row ranges are still checked.

    Returns
    -------
    dask.array.Array
        Shape (n, n), row blocks as in the manifest, chunks of csr_array.

    Raises
    ------
    FileNotFoundError, StoreFormatError
        Now for the manifest; when computed, for a block file (naming it).
    ValueError
        `weight` is not one of the graph's edge attributes.

    Notes
    -----
    A directed graph's block K is file K. An undirected graph stores each
    edge once (``src <= dst``), so its block K is file K's upper-triangle
    rows plus the mirrored entries of files 0..K: one transposition shuffle
    (:func:`transpose`) of B^2 small tasks each time it is computed.

    A block in memory is 12 bytes a stored entry (int32 column indices
    while n < 2**31, float64 values) plus its row pointers. Reading it
    costs, for the time of its task, the file's bytes, the decoded columns
    (handed back to the system by pyarrow's pool when the task is done)
    and an int64 copy of each entry's row; nothing of pandas is imported.

    Examples
    --------
    >>> import os, tempfile
    >>> from graphstore import distributed as gd
    >>> from graphstore.parquet import write_parquet
    >>> g = gs.GraphStore()
    >>> g.add_edges([0, 0, 1, 2], [1, 2, 2, 3], [1.0, 2.0, 3.0, 4.0])
    >>> root = os.path.join(tempfile.mkdtemp(), "g.parquet")
    >>> write_parquet(g, root, row_blocks=2)
    >>> A = gd.from_parquet(root)
    >>> print(A.compute().toarray())
    [[0. 1. 2. 0.]
     [1. 0. 3. 0.]
     [2. 3. 0. 4.]
     [0. 0. 4. 0.]]
    """
    layout = _open(path)
    if weight is not None and weight not in layout.manifest["edge_attrs"]:
        raise ValueError(
            f"weight {weight!r} is not an edge attribute of {layout.root}: "
            f"{', '.join(map(repr, layout.manifest['edge_attrs']))}"
        )
    verify = _check_bool("verify", verify)
    bounds = layout.bounds
    k, n = len(bounds) - 1, layout.n
    name = _name("parquet")
    dsk = {(name, K, 0): (partial(_load_rows, layout, K, weight, verify),) for K in range(k)}
    chunks = (tuple(np.diff(bounds).tolist()), (n,))
    U = _array(dsk, name, [], chunks, _sparse_meta(layout.dtype))
    if layout.directed:
        return U
    UT = transpose(U)
    name = _name("symmetric")
    dsk = {
        (name, K, 0): (partial(_symmetrize, lo=int(bounds[K])), (U.name, K, 0), (UT.name, K, 0))
        for K in range(k)
    }
    return _array(dsk, name, [U, UT], chunks, _sparse_meta(layout.dtype))


# ----------------------------------------------------------------------
# operations


def _whole_vector(x, n: int, name: str = "x"):
    """`x` (numpy or dask, length n) as a dask array of one chunk, and its key."""
    _, da, _ = _dask()
    if not isinstance(x, da.Array):
        x = np.asarray(x)
        if x.dtype.kind not in "biuf":
            raise TypeError(f"{name} must hold real numbers, got dtype {x.dtype}")
    if x.ndim != 1 or x.shape[0] != n:
        raise ValueError(f"{name} must be a vector of length {n}, got shape {x.shape}")
    if not isinstance(x, da.Array):
        x = da.from_array(x, chunks=(n,), name=_name("vector"))
    elif len(x.chunks[0]) != 1:
        x = x.rechunk((n,))
    return x, (x.name, 0)


def _tree_sum(dsk: dict, keys: list, name: str, fan: int):
    """Add tasks summing the values at `keys` (a tree of fan-in `fan`); return the root key."""
    level = 0
    while len(keys) > 1:
        keys_next = []
        for i in range(0, len(keys), fan):
            key = (f"{name}-sum{level}", i // fan)
            dsk[key] = (_add_all, list(keys[i:i + fan]))
            keys_next.append(key)
        keys, level = keys_next, level + 1
    return keys[0]


def matvec(A, x):
    """``A @ x`` for a row-block array `A` and a vector `x`, as a dask vector.

    Parameters
    ----------
    A : dask.array.Array
        Row blocks from :func:`to_dask` or :func:`from_parquet`, shape (n, n).
    x : numpy or dask array, shape (n,)
        A dask `x` with several chunks is gathered into one for each block.

    Returns
    -------
    dask.array.Array
        Shape (n,), chunked as `A`'s rows; ``y[i] = sum_j A[i, j] x[j]``.

    Notes
    -----
    One task per block, each with the whole `x`: O(nnz + n) work, and `x`
    (8n bytes) sent once to each worker. Not ``da.dot`` (see the module
    docstring).

    Examples
    --------
    >>> from graphstore import distributed as gd
    >>> g = gs.GraphStore(directed=True)
    >>> g.add_edges([0, 1, 2], [1, 2, 0], [2.0, 3.0, 4.0])
    >>> A = gd.to_dask(g, row_blocks=3)
    >>> gd.matvec(A, np.array([1.0, 10.0, 100.0])).compute()
    array([ 20., 300.,   4.])
    """
    bounds = _bounds(A)
    n = A.shape[0]
    xd, xkey = _whole_vector(x, n)
    name = _name("matvec")
    dsk = {(name, K): (_matvec_block, key, xkey) for K, key in enumerate(_row_keys(A))}
    dtype = np.result_type(A.dtype, xd.dtype)
    return _array(dsk, name, [A, xd], (tuple(np.diff(bounds).tolist()),), np.empty((0,), dtype))


def degree(A, direction: str = "out", *, weighted: bool = True):
    """Row sums (``"out"``) or column sums (``"in"``) of a row-block array.

    Parameters
    ----------
    A : dask.array.Array
        Row blocks from :func:`to_dask` or :func:`from_parquet`.
    direction : {"out", "in"}
        ``"out"``: ``d[i] = sum_j A[i, j]``; ``"in"``: ``d[j] = sum_i A[i, j]``.
        The same for an undirected (symmetric) `A`.
    weighted : bool, default True
        False counts every stored entry, an explicit zero included, as 1.

    Returns
    -------
    dask.array.Array
        Shape (n,), chunked as `A`'s rows, `A`'s dtype.

    Notes
    -----
    These are sums of the *matrix*: a self-loop, stored once on the
    diagonal, counts once. networkx's ``G.degree`` (and ``g.degree()``)
    count an undirected self-loop twice; this is the degree
    ``gs.laplacian`` uses. ``"out"`` is one task per block (O(nnz)); ``"in"``
    adds each block's column sums (8n bytes each) in a tree.

    Examples
    --------
    >>> from graphstore import distributed as gd
    >>> g = gs.GraphStore()
    >>> g.add_edges([0, 1, 2], [1, 2, 2], [1.0, 2.0, 5.0])   # (2, 2) is a self-loop
    >>> A = gd.to_dask(g, row_blocks=2)
    >>> gd.degree(A).compute(), g.degree(2, weight="weight")
    (array([1., 3., 7.]), 12.0)
    """
    bounds = _bounds(A)
    _check_choice("direction", direction, ("out", "in"))
    weighted = _check_bool("weighted", weighted)
    chunks = (tuple(np.diff(bounds).tolist()),)
    meta = np.empty((0,), A.dtype)
    name = _name(f"{direction}-degree")
    if direction == "out":
        dsk = {(name, K): (partial(_row_sums, weighted=weighted), key)
               for K, key in enumerate(_row_keys(A))}
        return _array(dsk, name, [A], chunks, meta)
    whole = _in_degree_whole(A, weighted)
    dsk = {(name, K): (operator.getitem, (whole.name, 0), slice(int(bounds[K]), int(bounds[K + 1])))
           for K in range(len(bounds) - 1)}
    return _array(dsk, name, [whole], chunks, meta)


def _in_degree_whole(A, weighted: bool):
    """Column sums of `A` as a dask vector of one chunk."""
    name = _name("in-degree-whole")
    dsk = {(f"{name}-part", K): (partial(_col_sums, weighted=weighted), key)
           for K, key in enumerate(_row_keys(A))}
    root = _tree_sum(dsk, list(dsk), name, _fan_in(A.shape[0]))
    dsk[(name, 0)] = (np.asarray, root)
    return _array(dsk, name, [A], ((A.shape[0],),), np.empty((0,), A.dtype))


def _out_degree_whole(A, weighted: bool):
    """Row sums of `A` as a dask vector of one chunk."""
    d = degree(A, "out", weighted=weighted)
    name = _name("out-degree-whole")
    dsk = {(name, 0): (_concat, [(d.name, K) for K in range(len(A.chunks[0]))])}
    return _array(dsk, name, [d], ((A.shape[0],),), np.empty((0,), A.dtype))


def transpose(A):
    """Row blocks of ``A^T``, with the same row boundaries as `A`.

    Parameters
    ----------
    A : dask.array.Array
        Square row blocks from :func:`to_dask` or :func:`from_parquet`.

    Returns
    -------
    dask.array.Array
        ``A^T`` as csr row blocks; stored zeros stay stored.

    Notes
    -----
    A shuffle: each block is split by column range (O(nnz_K + n), a csc
    conversion), and block K of ``A^T`` stacks the K-th piece of every
    block (a counting sort, O(nnz)). B blocks make B^2 small tasks, and
    every stored entry crosses to the worker that assembles its column
    range once. Persist the result if it is used more than once.

    Examples
    --------
    >>> from graphstore import distributed as gd
    >>> g = gs.GraphStore(directed=True)
    >>> g.add_edges([0, 0, 2], [1, 2, 1], [1.0, 2.0, 3.0])
    >>> At = gd.transpose(gd.to_dask(g, row_blocks=2))
    >>> print(At.compute().toarray())
    [[0. 0. 0.]
     [1. 0. 3.]
     [2. 0. 0.]]
    """
    bounds = _bounds(A)
    k, n = len(bounds) - 1, A.shape[0]
    name = _name("transpose")
    split, piece = f"{name}-split", f"{name}-piece"
    dsk = {}
    for J, key in enumerate(_row_keys(A)):
        dsk[(split, J)] = (partial(_split_columns, bounds=bounds), key)
        for K in range(k):
            dsk[(piece, J, K)] = (operator.getitem, (split, J), K)
    stack = partial(_stack_columns, offsets=bounds[:-1], n=n)
    for K in range(k):
        dsk[(name, K, 0)] = (stack, [(piece, J, K) for J in range(k)])
    return _array(dsk, name, [A], A.chunks, A._meta)


def laplacian(A, kind: str = "combinatorial", *, degree: str = "out", weighted: bool = True):
    """Row blocks of the graph Laplacian, with the conventions of :func:`graphstore.laplacian`.

    ``kind="combinatorial"``: ``L = D - A``; ``kind="sym"``:
    ``L = I - D^-1/2 A D^-1/2``; ``kind="rw"``: ``L = I - D^-1 A`` (out-degrees)
    or ``I - A D^-1`` (in-degrees), where ``D = diag(d)`` and ``1/0`` is read
    as 0, so a zero-degree vertex gives a zero row and column (never NaN).

    Parameters
    ----------
    A : dask.array.Array
        Square row blocks from :func:`to_dask` or :func:`from_parquet`.
    kind : {"combinatorial", "sym", "rw"}
    degree : {"out", "in"}
        Row sums (networkx) or column sums (scipy's csgraph).
    weighted : bool, default True
        False counts every stored entry as 1.

    Returns
    -------
    dask.array.Array
        Row blocks of L (csr_array), float64 (or `A`'s floating dtype).

    Raises
    ------
    ValueError
        A bad `kind` or `degree` (now); ``kind="sym"`` with a negative degree
        (when computed, naming the vertex).

    Notes
    -----
    A self-loop adds ``A[i, i]`` to the degree once. One task per block,
    O(nnz_K + n) each; ``"sym"`` and ``degree="in"`` first compute the whole
    degree vector (one more pass) and send it (8n bytes) to each worker.

    Examples
    --------
    >>> from graphstore import distributed as gd
    >>> g = gs.GraphStore()
    >>> g.add_edges([0, 0, 1], [1, 2, 2])
    >>> g.add_vertex("isolated")
    3
    >>> L = gd.laplacian(gd.to_dask(g, row_blocks=2))
    >>> print(L.compute().toarray())
    [[ 2. -1. -1.  0.]
     [-1.  2. -1.  0.]
     [-1. -1.  2.  0.]
     [ 0.  0.  0.  0.]]
    >>> gd.matvec(L, np.ones(4)).compute()
    array([0., 0., 0., 0.])
    """
    bounds = _bounds(A)
    _check_choice("kind", kind, ("combinatorial", "sym", "rw"))
    _check_choice("degree", degree, ("out", "in"))
    weighted = _check_bool("weighted", weighted)
    deps = [A]
    d_key = None
    if kind == "sym" or degree == "in":
        whole = (_in_degree_whole if degree == "in" else _out_degree_whole)(A, weighted)
        deps.append(whole)
        d_key = (whole.name, 0)
    name = _name(f"laplacian-{kind}")
    dsk = {}
    for K, key in enumerate(_row_keys(A)):
        f = partial(_laplacian_block, lo=int(bounds[K]), kind=kind, degree=degree,
                    weighted=weighted)
        dsk[(name, K, 0)] = (f, key, d_key)
    return _array(dsk, name, deps, A.chunks, _sparse_meta(_float(A.dtype)))


# ----------------------------------------------------------------------
# PageRank


class _PRRows(NamedTuple):
    """What PageRank keeps of one block's rows between iterations (on its worker)."""

    inv: np.ndarray  # 1 / out-weight of each row, 0 where that weight is 0
    dangling: np.ndarray  # positions of the rows whose out-weight is 0 (networkx's dangling)
    p: np.ndarray | float  # the rows' teleport weights, or the one uniform weight
    dw: np.ndarray | float  # the rows' dangling weights, or the one uniform weight


def _rows_part(v, lo: int, hi: int):
    """Rows ``lo:hi`` of a length-n vector, or a uniform value (a float) as it is."""
    return v if isinstance(v, float) else v[lo:hi]


def _pr_setup(blocks, xs, ps, dws, weighted: bool):
    """A group's per-block records and its first iterate: ``([_PRRows], [x_K])``.

    `xs`, `ps`, `dws`: per block its rows of the vector, or a float for a
    uniform one (never expanded: a uniform teleport or dangling
    distribution costs no memory a row). The out-weights are row sums
    (``A.sum(axis=1)``, as networkx), O(nnz_K).
    """
    rows, first = [], []
    for b, x, p, dw in zip(blocks, xs, ps, dws, strict=True):
        s = np.asarray(_weighted(b, weighted, np.float64).sum(axis=1)).ravel()
        inv = np.zeros_like(s)
        np.divide(1.0, s, out=inv, where=s != 0)
        rows.append(_PRRows(inv, np.flatnonzero(s == 0), p, dw))
        first.append(np.full(b.shape[0], x) if isinstance(x, float) else np.array(x))
    return rows, first


def _add_transposed_product(b: sp.csr_array, z: np.ndarray, y: np.ndarray) -> None:
    """``y += b^T z`` in place: no length-n temporary per block.

    ``b^T`` is the csc array of `b`'s own arrays, and scipy's
    ``csc_matvec`` kernel (the one ``b.T @ z`` runs) adds into `y`. It is
    not public API, so any doubt falls back to ``y += b.T @ z``.
    """
    try:
        from scipy.sparse._sparsetools import csc_matvec
    except ImportError:  # pragma: no cover - present in every scipy we support
        csc_matvec = None
    same = (b.indptr.dtype == b.indices.dtype and b.data.dtype == z.dtype == y.dtype
            and y.flags.c_contiguous and z.flags.c_contiguous)
    if csc_matvec is None or not same:
        y += b.T @ z
        return
    csc_matvec(b.shape[1], b.shape[0], b.indptr, b.indices, b.data, z, y)


def _pr_share(blocks, rows, xs, weighted: bool):
    """A group's share of ``x @ (D^-1 A)`` and of the dangling mass: ``(y, mass)``.

    ``y = sum_K A_K^T (x_K / s_K)``, accumulated in one length-n vector
    (the only one this task makes, whatever the group's size). O(nnz_G + n).
    """
    y, mass = None, 0.0
    for b, r, x in zip(blocks, rows, xs, strict=True):
        b = _weighted(b, weighted, np.float64)
        if y is None:
            y = np.zeros(b.shape[1])
        _add_transposed_product(b, x * r.inv, y)
        mass += float(x[r.dangling].sum())
    return y, mass


def _pr_sum(parts):
    """Add ``(y, dangling mass)`` pairs, into the first pair's ``y``.

    In place: each share (and each partial sum) is made for this one sum
    task, its only dependent, so the total needs no third length-n vector
    beside the shares it adds.
    """
    y = parts[0][0]
    for q in parts[1:]:
        y += q[0]
    return y, sum(q[1] for q in parts)


def _pr_slices(total, spans):
    """The rows of the total a group needs, copied so the total can be released."""
    y, mass = total
    return [y[lo:hi].copy() for lo, hi in spans], mass


def _pr_step(sliced, rows, xs, alpha: float):
    """A group's next iterate and its L1 change: ``([x_K], err)``. O(rows of the group).

    ``x = alpha (y + mass dw) + (1 - alpha) p``, networkx's expression in
    its order, computed in the memory of `y` (a copy made for this step).
    """
    ys, mass = sliced
    new, err = [], 0.0
    for y, r, x_old in zip(ys, rows, xs, strict=True):
        y += mass * r.dw
        y *= alpha
        y += (1 - alpha) * r.p
        err += float(np.absolute(y - x_old).sum())
        new.append(y)
    return new, err


def _pr_err(errs) -> float:
    return sum(errs)


def _fan_in(n: int) -> int:
    """Partial vectors one sum task adds: as many as fit 64 MiB, 2 to 16.

    A sum's inputs are all held on its worker until it runs, so the fan-in
    bounds the memory of vectors in flight (out of core, under a low memory
    limit, that is what matters); a smaller fan-in costs a deeper tree.
    """
    return max(2, min(16, (1 << 26) // max(8 * n, 1)))


def _groups(A) -> list:
    """Block positions of `A` grouped for PageRank's tasks: one group per worker.

    Blocks persisted on a ``distributed`` cluster are grouped by the worker
    that holds each (waiting for them to be computed), so a group's tasks
    run where its blocks are and one share vector per worker crosses the
    network. Otherwise (a lazy `A`, read block by block out of core, or no
    distributed client) each block is its own group: one block's data in
    memory per task.
    """
    keys = _row_keys(A)
    single = [[K] for K in range(len(keys))]
    try:
        from distributed import Client, futures_of, wait
    except ImportError:
        return single
    try:
        client = Client.current(allow_global=True)
    except ValueError:
        return single
    futures = {f.key: f for f in futures_of(A)}
    if not all(key in futures for key in keys):
        return single
    wait([futures[key] for key in keys])
    who = client.who_has([futures[key] for key in keys])
    groups = {}
    for K, key in enumerate(keys):
        groups.setdefault(tuple(sorted(who.get(key, ())))[:1], []).append(K)
    return list(groups.values())


def _pr_vector(values, n: int, what: str, default):
    """A personalization-style vector normalized to sum 1, as networkx does, or `default`."""
    if values is None:
        return default
    v = np.asarray(values, dtype=float)
    if v.shape != (n,):
        raise ValueError(f"{what} must be a vector of length {n}, got shape {v.shape}")
    if not np.isfinite(v).all():
        raise ValueError(f"{what} must be finite")
    if v.sum() == 0:
        raise ZeroDivisionError(f"{what} sums to 0")
    return v / v.sum()


def pagerank(A, alpha: float = 0.85, *, personalization=None, max_iter: int = 100,
             tol: float = 1.0e-6, nstart=None, dangling=None, weighted: bool = True):
    """PageRank of the graph with row-block adjacency `A`, as ``nx.pagerank`` computes it.

    Power iteration ``x <- alpha (x P + (x . [dangling]) w) + (1 - alpha) p``
    with ``P = D^-1 A`` (rows by out-weight), until the L1 change is below
    ``n * tol``.

    Parameters
    ----------
    A : dask.array.Array
        Square row blocks from :func:`to_dask` or :func:`from_parquet`.
    alpha : float, default 0.85
        Damping factor.
    personalization : array_like of length n, optional
        Teleport weights (normalized); default uniform.
    max_iter : int, default 100
    tol : float, default 1e-6
    nstart : array_like of length n, optional
        Starting vector (normalized); default uniform.
    dangling : array_like of length n, optional
        Where a dangling vertex's mass goes (normalized); default
        `personalization`.
    weighted : bool, default True
        False uses 1 for every stored entry (``nx.pagerank(G, weight=None)``).

    Returns
    -------
    numpy.ndarray
        Shape (n,), the ranks in row order (``g.labels`` order), summing to 1.

    Raises
    ------
    networkx.PowerIterationFailedConvergence
        No convergence within `max_iter` iterations (as networkx).
    ZeroDivisionError
        `personalization`, `nstart` or `dangling` sums to 0.

    Notes
    -----
    networkx's semantics exactly: the same iteration, the same stopping
    test, vertices whose out-weights sum to 0 are dangling and send their
    mass along `dangling`. For an undirected graph the matrix is symmetric,
    as networkx's ``to_scipy_sparse_array`` of the graph.

    The blocks are taken in groups: one per worker when `A` is persisted
    on a ``distributed`` cluster, one per block otherwise. Each iteration
    is one graph: per group its share ``sum_K A_K^T (x_K / s_K)`` (one
    length-n vector, O(nnz_G + n), where its blocks are), a tree sum of the
    shares, and per group its rows of the sum and its next rows (O(rows)).
    The iterate stays on the workers; only the change (one number) comes
    back, and the client reads it before it sends the next iteration: one
    round trip (milliseconds) per iteration, and no share computed past
    convergence. Per iteration each worker sends one length-n vector (8n
    bytes) and receives its rows. A lazily read (Parquet, unpersisted) `A`
    is read again, block by block, each iteration: out of core.

    Memory on a worker, beside its blocks: its share (8n bytes; on the
    worker that adds the shares, the shares it receives too, added into
    its own), and 8 bytes a row it holds for each of the iterate, the next
    iterate, the reciprocal out-weights and its rows of the sum. A uniform
    `personalization`, `dangling` or `nstart` is one number, not a vector.

    Examples
    --------
    >>> from graphstore import distributed as gd
    >>> G = nx.DiGraph([(0, 1), (1, 2), (2, 0), (2, 3)])   # 3 is dangling
    >>> g = gs.GraphStore.from_networkx(G)
    >>> r = gd.pagerank(gd.to_dask(g, row_blocks=2), tol=1e-10)
    >>> ref = nx.pagerank(G, tol=1e-10)
    >>> bool(np.allclose(r, [ref[v] for v in g.labels], rtol=1e-12, atol=0))
    True
    """
    import networkx as nx

    dask, _, _ = _dask()
    from dask import delayed

    bounds = _bounds(A)
    weighted = _check_bool("weighted", weighted)
    if isinstance(max_iter, (bool, np.bool_)) or not isinstance(max_iter, (int, np.integer)):
        raise TypeError(f"max_iter must be an int, got {max_iter!r}")
    alpha, tol = float(alpha), float(tol)
    n, k = A.shape[0], len(bounds) - 1
    if n == 0:
        return np.zeros(0)
    # a uniform vector stays one float (networkx's np.repeat(1.0 / n, n), unexpanded)
    p = _pr_vector(personalization, n, "personalization", 1.0 / n)
    dw = _pr_vector(dangling, n, "dangling", p)
    x = _pr_vector(nstart, n, "nstart", 1.0 / n)
    fan = _fan_in(n)
    blocks = A.to_delayed().ravel().tolist()
    groups = _groups(A)
    spans = [[(int(bounds[K]), int(bounds[K + 1])) for K in G] for G in groups]
    mine = [[blocks[K] for K in G] for G in groups]

    def cut(v, i):
        return [_rows_part(v, lo, hi) for lo, hi in spans[i]]

    # once per group, where its blocks are: out-weights, and its rows of p, dw, x
    setup = [delayed(_pr_setup, pure=True)(mine[i], cut(x, i), cut(p, i), cut(dw, i), weighted)
             for i in range(len(groups))]
    rows, xs = dask.persist([delayed(operator.getitem, pure=True)(s, 0) for s in setup],
                            [delayed(operator.getitem, pure=True)(s, 1) for s in setup])
    del setup
    for _ in range(max_iter):
        # one graph per iteration: each group's share of x P (where its blocks
        # are), a tree sum, each group's rows of it, each group's next rows.
        # The client reads the change before it sends the next iteration: the
        # workers idle for one round trip, but no share is computed in vain.
        parts = [delayed(_pr_share, pure=True)(mine[i], rows[i], xs[i], weighted)
                 for i in range(len(groups))]
        while len(parts) > 1:
            parts = [delayed(_pr_sum, pure=True)(parts[j:j + fan])
                     for j in range(0, len(parts), fan)]
        steps = [delayed(_pr_step, pure=True)(delayed(_pr_slices, pure=True)(parts[0], spans[i]),
                                              rows[i], xs[i], alpha)
                 for i in range(len(groups))]
        xs, err = dask.persist([delayed(operator.getitem, pure=True)(s, 0) for s in steps],
                               delayed(_pr_err, pure=True)(
                                   [delayed(operator.getitem, pure=True)(s, 1) for s in steps]))
        if err.compute() < n * tol:
            out = [None] * k
            for G, got in zip(groups, dask.compute(*xs), strict=True):
                for K, v in zip(G, got, strict=True):
                    out[K] = v
            return np.concatenate(out)
    raise nx.PowerIterationFailedConvergence(max_iter)
