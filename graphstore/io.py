"""Persistence: versioned, checksummed ``.npz`` files, written atomically, no pickle.

This module reads and writes plain arrays; it never imports the store. The
state exchanged with :class:`graphstore.GraphStore` is one record,
:class:`StoreState` (``GraphStore._state()`` produces it and
``GraphStore._from_state()`` validates and consumes it).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from typing import NamedTuple

import numpy as np

__all__ = ["StoreState", "StoreFormatError", "save_state", "load_state"]

FORMAT = "graphstore"
VERSION = 1
_LABEL_KINDS = {"int": "i", "float": "f", "str": "U"}
# every .npz is a zip archive: local file header, or the end record of an empty one
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


class StoreFormatError(ValueError):
    """A file is not a graphstore file, or is truncated, corrupted or of another version."""


class StoreState(NamedTuple):
    """Everything a file holds of a store, as plain values and arrays."""

    directed: bool
    dtype: np.dtype
    attrs: tuple  # edge attribute names
    labels: list  # label of every id handed out; None = implicit (the id)
    alive: np.ndarray  # bool, one per id handed out
    capacity: int
    indptr: np.ndarray  # CSR row pointer over the ids handed out (n_ids + 1)
    indices: np.ndarray
    vals: list  # one array per attribute


def _label_arrays(st: StoreState):
    """Labels of every id as one typed array, and its kind ("default", "int", ...).

    Only live labels matter: a removed id keeps a placeholder of the live
    labels' kind. Labels are dict keys, so ``True`` is saved as the int 1 and
    ``np.int64(1)`` as 1: the same vertex, of another type.
    """
    alive = st.alive.tolist()
    if all(lab == i for i, lab in enumerate(st.labels) if alive[i] and lab is not None):
        return np.zeros(0, dtype=np.int64), "default"  # every live label is its id
    labels = [k if lab is None else lab for k, lab in enumerate(st.labels)]
    live = [lab for lab, a in zip(labels, alive, strict=True) if a]
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


def save_state(st: StoreState, path) -> None:
    """Write `st` to `path` (.npz) atomically: temp file, fsync, rename. O(nnz)."""
    path = os.fspath(path)
    labels, kind = _label_arrays(st)
    arrays = {
        "directed": np.array(st.directed),
        "dtype": np.array(np.dtype(st.dtype).str),
        "attrs": np.array(st.attrs, dtype=str),
        "label_kind": np.array(kind),
        "labels": labels,
        "alive": np.asarray(st.alive, dtype=bool),
        "capacity": np.array(st.capacity, dtype=np.int64),
        "indptr": np.asarray(st.indptr),
        "indices": np.asarray(st.indices),
    }
    for k, v in enumerate(st.vals):
        arrays[f"values_{k}"] = np.asarray(v)
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


def load_state(path) -> StoreState:
    """Read the state written by :func:`save_state`; StoreFormatError if the file is bad. O(nnz).

    Truncated, corrupted (checksum), foreign or other-version files raise
    :class:`StoreFormatError` (a ValueError); nothing is ever unpickled.
    """
    try:
        # our own file object, so a damaged archive cannot leave it open
        with open(path, "rb") as f:
            if f.read(4) not in _ZIP_MAGIC:
                raise StoreFormatError(
                    f"{path!s} is not a valid graphstore file (not an .npz archive)"
                )
            f.seek(0)
            with np.load(f, allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
    except (FileNotFoundError, IsADirectoryError, PermissionError, StoreFormatError):
        raise
    except Exception as err:  # zipfile, zlib and numpy raise many kinds on a damaged file
        why = type(err).__name__ if "pickle" in str(err) else f"{type(err).__name__}: {err}"
        raise StoreFormatError(
            f"{path!s} is not a valid graphstore file (damaged archive: {why})"
        ) from err
    if "format" not in arrays:
        _fail(path, "no format tag")
    if str(arrays["format"]) != FORMAT:
        _fail(path, f"format tag {str(arrays['format'])!r}")
    if "version" not in arrays or int(arrays["version"]) != VERSION:
        _fail(path, f"version {arrays.get('version')!r}, this graphstore reads {VERSION}")
    stored = str(arrays.pop("checksum", ""))
    if _digest(arrays) != stored:
        _fail(path, "checksum mismatch (the file is corrupted)")
    try:
        return _state(arrays)
    except (KeyError, TypeError, ValueError, IndexError) as err:
        raise StoreFormatError(f"{path!s} is not a valid graphstore file: {err}") from err


def _state(a: dict) -> StoreState:
    attrs = tuple(str(x) for x in a["attrs"].tolist())
    alive = a["alive"].astype(bool)
    n_ids = len(alive)
    kind = str(a["label_kind"])
    if kind == "default":
        labels = [None] * n_ids  # implicit: each label is its id
    elif kind in _LABEL_KINDS:
        labels = a["labels"].tolist()
        if len(labels) != n_ids:
            raise ValueError("labels and alive mask differ in length")
    else:
        raise ValueError(f"unknown label kind {kind!r}")
    return StoreState(
        directed=bool(a["directed"]), dtype=np.dtype(str(a["dtype"])), attrs=attrs,
        labels=labels, alive=alive, capacity=int(a["capacity"]), indptr=a["indptr"],
        indices=a["indices"], vals=[a[f"values_{k}"] for k in range(len(attrs))],
    )
