"""Small functions that coerce input or raise.

Every public entry point of graphstore validates through these before it
changes anything, so a failed call leaves a store exactly as it was.
"""

from __future__ import annotations

import math
import operator

import numpy as np

COMBINE = ("last", "sum", "min", "max")
FORMATS = ("csr", "csc", "coo", "lil", "dok")


def check_choice(name: str, value, allowed) -> str:
    """Return `value` if it is one of `allowed`, else raise ValueError listing them."""
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name}={value!r} is not one of {', '.join(map(repr, allowed))}")
    return value


def check_label(label):
    """Return `label` if it can name a vertex (hashable, not None)."""
    if label is None:
        raise ValueError("None cannot be a vertex label")
    try:
        hash(label)
    except TypeError as err:
        raise TypeError(
            f"vertex label {label!r} is unhashable ({type(label).__name__}); "
            "labels must be hashable like dict keys"
        ) from err
    try:
        same = label == label
    except Exception:  # an __eq__ that raises: leave it to the dict  # noqa: BLE001
        same = True
    if same is False or (isinstance(same, np.bool_) and not same):
        raise ValueError(
            f"vertex label {label!r} does not equal itself (NaN); a label must be a dict key "
            "that equals itself"
        )
    return label


def check_value(value, dtype: np.dtype, what: str = "weight"):
    """Return `value` as a Python scalar of `dtype`'s kind; reject NaN, inf, non-numbers."""
    if isinstance(value, (str, bytes)) or not np.isscalar(value) and not (
        isinstance(value, np.ndarray) and value.ndim == 0
    ):
        raise TypeError(f"{what} {value!r} is not a real number")
    if isinstance(value, (complex, np.complexfloating)):
        raise TypeError(f"{what} {value!r} is complex; graphstore stores real numbers")
    try:
        x = float(value)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{what} {value!r} is not a real number") from err
    if not math.isfinite(x):
        raise ValueError(f"{what} {value!r} is not finite")
    if dtype.kind == "f":
        if dtype == np.float64:
            return x
        if abs(x) > float(np.finfo(dtype).max):
            raise OverflowError(f"{what} {value!r} does not fit the store's dtype {dtype}")
        return float(dtype.type(x))  # rounded as the store will hold it
    if dtype.kind in "iu":
        if x != int(x):
            raise ValueError(f"{what} {value!r} is not an integer, but the store's dtype is {dtype}")
        info = np.iinfo(dtype)
        v = int(value)
        if not info.min <= v <= info.max:
            raise OverflowError(f"{what} {value!r} does not fit the store's dtype {dtype}")
        return v
    return bool(x)  # pragma: no cover - bool dtypes are rejected by check_dtype


def check_value_array(values, n: int, dtype: np.dtype, what: str = "weight") -> np.ndarray:
    """Return `values` (a scalar or a length-n sequence) as a new 1-D array of `dtype`."""
    arr = np.asarray(values)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{what} values of dtype {arr.dtype} are not real numbers")
    if arr.ndim == 0:
        check_value(arr[()], dtype, what)
        return np.full(n, arr[()], dtype=dtype)
    if arr.ndim != 1:
        raise ValueError(f"{what} must be a scalar or 1-D, got an array of shape {arr.shape}")
    if len(arr) != n:
        raise ValueError(f"{what} has length {len(arr)}, but there are {n} edges")
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise ValueError(f"{what}[{k}] = {arr[k]!r} is not finite")
        if dtype.kind in "iu":
            frac = arr != np.trunc(arr)
            if frac.any():
                k = int(np.flatnonzero(frac)[0])
                raise ValueError(
                    f"{what}[{k}] = {arr[k]!r} is not an integer, but the store's dtype is {dtype}"
                )
    if len(arr) and (dtype.kind in "iu" or (dtype.kind == "f" and dtype.itemsize < arr.itemsize)):
        if dtype.kind == "f":
            info = np.finfo(dtype)
            low, high = float(info.min), float(info.max)
        else:
            info = np.iinfo(dtype)
            low, high = info.min, info.max
        # compare as Python numbers: numpy would cast float64 values to float32
        lo, hi = arr.min().item(), arr.max().item()
        if lo < low or hi > high:
            raise OverflowError(
                f"{what} values in [{lo}, {hi}] do not fit the store's dtype {dtype}"
            )
    return np.array(arr, dtype=dtype, copy=True)


def check_dtype(dtype) -> np.dtype:
    """Return `dtype` as a numpy dtype if it is a real integer or floating type."""
    try:
        dt = np.dtype(dtype)
    except TypeError as err:
        raise TypeError(f"dtype {dtype!r} is not a numpy dtype") from err
    if dt.kind not in "iuf":
        raise TypeError(f"dtype {dt} is not a real integer or floating dtype")
    return dt


def check_id_array(ids, what: str = "ids") -> np.ndarray:
    """Return `ids` as a 1-D intp array; floats are an error, never truncated."""
    arr = np.asarray(ids)
    if arr.ndim != 1:
        raise ValueError(f"{what} must be 1-D, got an array of shape {arr.shape}")
    if arr.dtype.kind == "b" or (arr.dtype.kind not in "iu" and len(arr)):
        raise TypeError(f"{what} must be integers, got an array of dtype {arr.dtype}")
    return arr.astype(np.intp, copy=False)


def check_count(n, what: str = "count") -> int:
    """Return `n` as a non-negative Python int."""
    try:
        k = operator.index(n)
    except TypeError as err:
        raise TypeError(f"{what} must be an integer, got {n!r}") from err
    if k < 0:
        raise ValueError(f"{what} must be non-negative, got {k}")
    return k


def check_attrs(edge_attrs) -> tuple[str, ...]:
    """Return the edge attribute names as a tuple; 'weight' must be among them."""
    if isinstance(edge_attrs, str):
        edge_attrs = (edge_attrs,)
    attrs = tuple(edge_attrs)
    for a in attrs:
        if not isinstance(a, str):
            raise TypeError(f"edge attribute name {a!r} is not a string")
    if len(set(attrs)) != len(attrs):
        raise ValueError(f"edge_attrs {attrs!r} has a duplicate name")
    if "weight" not in attrs:
        raise ValueError(f"edge_attrs {attrs!r} must include 'weight'")
    return attrs
