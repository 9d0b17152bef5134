"""Persistence: versioned, checksummed ``.npz`` files, written atomically, no pickle."""

from __future__ import annotations

import hashlib
import os
import tempfile

import numpy as np

from ._store import GraphStore, _freeze

__all__ = ["save", "load", "StoreFormatError"]

FORMAT = "graphstore"
VERSION = 1
_LABEL_KINDS = {"int": "i", "float": "f", "str": "U"}


class StoreFormatError(ValueError):
    """A file is not a graphstore file, or is truncated, corrupted or of another version."""


def _label_arrays(g: GraphStore):
    """Labels of every id as one typed array, and its kind ("default", "int", ...).

    Only live labels matter: a removed id keeps a placeholder of the live
    labels' kind. Labels are dict keys, so ``True`` is saved as the int 1 and
    ``np.int64(1)`` as 1: the same vertex, of another type.
    """
    if g._default:
        return np.zeros(0, dtype=np.int64), "default"
    alive = g._alive_mask().tolist()
    labels = [k if lab is None else lab for k, lab in enumerate(g._labels)]
    live = [lab for lab, a in zip(labels, alive, strict=False) if a]
    if all(isinstance(x, (int, np.integer)) for x in live):
        if any(not -(2**63) <= int(x) < 2**63 for x in live):
            raise TypeError("integer labels beyond int64 cannot be saved")
        kind, fill, dtype = "int", 0, np.int64
    elif all(isinstance(x, (float, np.floating)) for x in live):
        kind, fill, dtype = "float", 0.0, np.float64
    elif all(isinstance(x, str) for x in live):
        kind, fill, dtype = "str", "", str
    else:
        plain = (str, int, float, np.integer, np.floating)
        bad = next((x for x in live if not isinstance(x, plain)), None)
        if bad is None:
            kinds = sorted({type(x).__name__ for x in live})
            raise TypeError(
                f"labels of mixed kinds ({', '.join(kinds)}) cannot be saved without pickle; "
                "labels of one kind (all int, all float or all str) can"
            )
        raise TypeError(
            f"label {bad!r} of type {type(bad).__name__} cannot be saved without pickle; "
            "labels of one kind (all int, all float or all str) can"
        )
    cast = int if kind == "int" else (float if kind == "float" else str)
    values = [cast(lab) if a else fill for lab, a in zip(labels, alive, strict=False)]
    return np.array(values, dtype=dtype), kind


def _digest(arrays: dict) -> str:
    h = hashlib.sha256()
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(f"{name}|{a.dtype.str}|{a.shape}|".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def save(g: GraphStore, path) -> None:
    """Write `g` to `path` (.npz) atomically: temp file, fsync, rename.

    The file keeps labels, removed-vertex holes, directedness, dtype and every
    edge attribute, with a format tag, a version and a SHA-256 checksum.
    Labels must be all int, all float or all str (no pickle is ever used).

    Examples
    --------
    >>> import os, tempfile
    >>> g = gs.GraphStore()
    >>> g.add_edge("a", "b", weight=2.0)
    >>> path = os.path.join(tempfile.mkdtemp(), "g.npz")
    >>> gs.save(g, path)
    >>> gs.load(path).adjacency().toarray()
    array([[0., 2.],
           [2., 0.]])
    """
    path = os.fspath(path)
    with g._lock:
        g._flush()
        labels, kind = _label_arrays(g)
        n_ids = len(g._labels)
        arrays = {
            "directed": np.array(g._directed),
            "dtype": np.array(g._dtype.str),
            "attrs": np.array(g._attrs, dtype=str),
            "label_kind": np.array(kind),
            "labels": labels,
            "alive": g._alive_mask().copy(),
            "capacity": np.array(g._capacity, dtype=np.int64),
            "indptr": g._indptr[: n_ids + 1].copy(),
            "indices": g._indices.copy(),
        }
        for k, v in enumerate(g._vals):
            arrays[f"values_{k}"] = v.copy()
    arrays["format"] = np.array(FORMAT)
    arrays["version"] = np.array(VERSION, dtype=np.int64)
    arrays["checksum"] = np.array(_digest(arrays))
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".graphstore-", suffix=".npz.tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:  # make the rename itself durable
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:  # pragma: no cover - platforms without directory fsync
        pass


def _fail(path, why):
    raise StoreFormatError(f"{path!s} is not a valid graphstore file: {why}")


def load(path) -> GraphStore:
    """Read a store written by :func:`save`; raise StoreFormatError if the file is bad.

    Truncated, corrupted (checksum), foreign or other-version files raise
    :class:`StoreFormatError` (a ValueError); nothing is ever unpickled.
    """
    try:
        # our own file object, so a damaged archive cannot leave it open
        with open(path, "rb") as f:
            z = np.load(f, allow_pickle=False)
            if not isinstance(z, np.lib.npyio.NpzFile):
                _fail(path, "not an .npz archive")
            with z:
                arrays = {k: z[k] for k in z.files}
    except (FileNotFoundError, IsADirectoryError, PermissionError, StoreFormatError):
        raise
    except Exception as err:  # zipfile, zlib and numpy raise many kinds on a damaged file
        raise StoreFormatError(f"{path!s} is not a valid graphstore file: {err}") from err
    if not isinstance(arrays, dict) or "format" not in arrays:
        _fail(path, "no format tag")
    if str(arrays["format"]) != FORMAT:
        _fail(path, f"format tag {str(arrays['format'])!r}")
    if "version" not in arrays or int(arrays["version"]) != VERSION:
        _fail(path, f"version {arrays.get('version')!r}, this graphstore reads {VERSION}")
    stored = str(arrays.pop("checksum", ""))
    if _digest(arrays) != stored:
        _fail(path, "checksum mismatch (the file is corrupted)")
    try:
        return _rebuild(arrays)
    except (KeyError, TypeError, ValueError, IndexError) as err:
        raise StoreFormatError(f"{path!s} is not a valid graphstore file: {err}") from err


def _rebuild(a: dict) -> GraphStore:
    attrs = tuple(str(x) for x in a["attrs"].tolist())
    alive = a["alive"].astype(bool)
    n_ids = len(alive)
    cap = int(a["capacity"])
    g = GraphStore(bool(a["directed"]), capacity=max(cap, 1), dtype=str(a["dtype"]),
                   edge_attrs=attrs)
    kind = str(a["label_kind"])
    if kind == "default":
        labels = [None] * n_ids  # implicit: each label is its id
    elif kind in _LABEL_KINDS:
        labels = a["labels"].tolist()
        if len(labels) != n_ids:
            raise ValueError("labels and alive mask differ in length")
    else:
        raise ValueError(f"unknown label kind {kind!r}")
    indptr = np.empty(g._capacity + 1, dtype=np.int64)
    indptr[: n_ids + 1] = a["indptr"]
    indptr[n_ids + 1 :] = a["indptr"][-1]
    indices = a["indices"].astype(g._index_dtype)
    vals = [a[f"values_{k}"].astype(g._dtype) for k in range(len(attrs))]
    if not (indptr[0] == 0 and indptr[-1] == len(indices) and np.all(np.diff(indptr) >= 0)):
        raise ValueError("row pointer is not a valid CSR row pointer")
    if len(indices) and (indices.min() < 0 or indices.max() >= n_ids):
        raise ValueError("column index out of range")
    if any(len(v) != len(indices) for v in vals):
        raise ValueError("values and indices differ in length")
    g._labels = labels
    g._alive = bytearray(g._capacity)
    g._alive[:n_ids] = alive.tobytes()
    g._index = {lab: i for i, lab in enumerate(labels) if alive[i] and lab is not None}
    g._n_live = int(alive.sum())
    if kind != "default" and len(g._index) != g._n_live:
        raise ValueError("two live vertices share a label")
    g._default = all(lab == i for lab, i in g._index.items())
    _freeze(indptr, indices, *vals)
    g._set_base(indptr, indices, vals)
    g._version += 1
    try:
        g._check()
    except AssertionError as err:
        raise ValueError(f"stored graph breaks an invariant: {err}") from err
    return g
