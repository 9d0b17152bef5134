"""Hash factorization of vertex labels: codes and uniques in first-appearance order.

Labels are dict keys, so ``factorize`` gives exactly what this loop gives, only
faster::

    index = {}
    codes = [index.setdefault(x, len(index)) for x in values]
    uniques = list(index)

Three paths, chosen by the input's kind:

* text and bytes (numpy ``U``/``S`` arrays, pyarrow string arrays, lists or
  object arrays holding only ``str`` or only ``bytes``): pyarrow's
  ``dictionary_encode``, a hash table in C++ (O(n) expected);
* numbers and bools: numpy. Integers spanning a small range use a direct
  table (O(n + span)); others sort (O(n log n));
* anything else (mixed kinds, tuples, numpy scalars in an object array): the
  loop above, in Python (O(n), about 0.1 us a label).

pyarrow is imported only on the text path, so importing this module is light.
"""

from __future__ import annotations

import itertools

import numpy as np

__all__ = ["factorize", "factorize_pairs"]

# an integer array whose values span at most this many times its length (or
# _SPAN_MIN) is factorized through a direct table instead of a sort
_SPAN_FACTOR = 4
_SPAN_MIN = 1 << 16

_STR_TYPES = (str, np.str_)
_BYTES_TYPES = (bytes, np.bytes_)


def factorize(values) -> tuple[np.ndarray, list]:
    """Encode labels as integer codes, with the distinct labels in first-appearance order.

    Parameters
    ----------
    values : array_like, 1-D
        A numpy array (any dtype), a pyarrow ``Array`` or ``ChunkedArray``, or a
        sequence of hashable labels.

    Returns
    -------
    codes : numpy.ndarray of intp, shape (n,)
        ``uniques[codes[i]]`` equals ``values[i]`` as a dict key.
    uniques : list
        The distinct labels in order of first appearance, as Python objects:
        ``str`` for text, ``bytes`` for bytes, ``int``/``float``/``bool`` for
        numpy numbers (``tolist()``); for other inputs the first-seen object
        itself. Of labels that are equal as dict keys (``1``, ``1.0``, ``True``,
        ``np.int64(1)``; ``0.0`` and ``-0.0``) the first one seen is kept.

    Raises
    ------
    ValueError
        For None (a null in pyarrow input) or NaN among the labels, or input
        that is not 1-D. Nothing is returned half-done.
    TypeError
        For an unhashable label.

    Notes
    -----
    The result is the one of the dict loop in the module docstring, for any
    input. Cost: O(n) expected for text (a hash table in C++), integers with
    a span up to ``4 n`` (a direct table) and mixed objects (Python's dict,
    about 0.1 us a label); O(n log n) for floats and wide integers (a sort).
    Text in a numpy ``U`` array is converted to UTF-8 first (O(total length)).

    Examples
    --------
    >>> from graphstore._factorize import factorize
    >>> codes, uniques = factorize(np.array(["b", "a", "b", "c"]))
    >>> codes, uniques
    (array([0, 1, 0, 2]), ['b', 'a', 'c'])
    >>> factorize([1, 1.0, True, "1"])[1]
    [1, '1']
    """
    if _is_arrow(values):
        return _factorize_arrow(values)
    if isinstance(values, np.ndarray):
        if values.ndim != 1:
            raise ValueError(f"labels must be 1-D, got an array of shape {values.shape}")
        return _factorize_array(values)
    if isinstance(values, (str, bytes)):
        raise TypeError(f"labels must be a sequence of labels, got the single label {values!r}")
    seq = values if isinstance(values, (list, tuple)) else list(values)
    kinds = set(map(type, seq))
    if kinds and kinds <= {str}:
        import pyarrow as pa

        return _factorize_arrow(pa.array(seq, type=pa.string()))
    if kinds and kinds <= {int} and _fits_int64(seq):
        return _factorize_int(np.array(seq, dtype=np.int64))
    return _factorize_objects(seq)


def factorize_pairs(src, dst) -> tuple[np.ndarray, np.ndarray, list]:
    """Factorize two label arrays jointly, in networkx's order of first appearance.

    The distinct labels come in the order ``src[0], dst[0], src[1], dst[1],
    ...``: the order in which ``nx.Graph().add_edges_from(zip(src, dst))``
    creates nodes.

    Parameters
    ----------
    src, dst : array_like, 1-D, of equal length
        As for :func:`factorize`.

    Returns
    -------
    src_codes, dst_codes : numpy.ndarray of intp
    uniques : list

    Raises
    ------
    ValueError, TypeError
        As :func:`factorize`; ValueError if the lengths differ.

    Notes
    -----
    One :func:`factorize` of the two arrays end to end (a pyarrow chunked
    array or one numpy concatenation, O(n) memory), then a reorder of the
    uniques: O(n + k log k) for k distinct labels.

    Examples
    --------
    >>> from graphstore._factorize import factorize_pairs
    >>> s, d, uniques = factorize_pairs(["a", "c"], ["b", "a"])
    >>> uniques, s, d
    (['a', 'b', 'c'], array([0, 2]), array([1, 0]))
    """
    m = _length(src, "src")
    if _length(dst, "dst") != m:
        raise ValueError(f"src has {m} labels but dst has {_length(dst, 'dst')}")
    both = _concat(src, dst)
    codes, uniques = factorize(both)
    k = len(uniques)
    if k == 0:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty.copy(), uniques
    # first position of each code in the interleaved order: 2i for src[i], 2i + 1 for dst[i]
    first = np.full(k, 2 * m, dtype=np.intp)
    pos = np.arange(m, dtype=np.intp) * 2
    np.minimum.at(first, codes[:m], pos)
    pos += 1
    np.minimum.at(first, codes[m:], pos)
    order = np.argsort(first, kind="stable")
    if not _one_representative(both):
        # labels equal as dict keys may differ (1 and 1.0, 0.0 and -0.0): keep the
        # one seen first in the interleaved order, not in src-then-dst order
        at = first[order]
        uniques = _take(both, at // 2 + (at % 2) * m)
        order_kept = True
    else:
        order_kept = False
    if np.array_equal(order, np.arange(k)):
        return codes[:m], codes[m:], uniques
    rank = np.empty(k, dtype=np.intp)
    rank[order] = np.arange(k, dtype=np.intp)
    codes = rank[codes]
    if not order_kept:
        uniques = list(map(uniques.__getitem__, order.tolist()))
    return codes[:m], codes[m:], uniques


def _one_representative(both) -> bool:
    """Whether labels equal as dict keys are always the same value of one type in `both`."""
    if isinstance(both, np.ndarray):
        return both.dtype.kind in "iubUS"
    import pyarrow as pa

    typ = both.type
    if pa.types.is_dictionary(typ):
        typ = typ.value_type
    return (pa.types.is_string(typ) or pa.types.is_large_string(typ) or pa.types.is_binary(typ)
            or pa.types.is_large_binary(typ) or pa.types.is_integer(typ))


def _take(both, idx: np.ndarray) -> list:
    """The labels of `both` at `idx`, as factorize returns them (Python objects)."""
    if not isinstance(both, np.ndarray):  # pyarrow
        import pyarrow as pa

        return both.take(pa.array(idx)).to_pylist()
    if both.dtype.kind == "O":
        return list(map(both.__getitem__, idx.tolist()))
    return both[idx].tolist()


# ----------------------------------------------------------------------
# the three paths


def _factorize_array(a: np.ndarray):
    kind = a.dtype.kind
    if kind in "US":
        arr = text_array(a)
        if arr is not None:
            return _factorize_arrow(arr)
        return _factorize_objects(a.tolist())
    if kind in "iu":
        return _factorize_int(a)
    if kind == "b":
        codes, _ = _factorize_int(a.view(np.uint8))
        return codes, _firsts(a, codes)
    if kind == "f":
        bad = np.flatnonzero(np.isnan(a))
        if len(bad):
            raise ValueError(f"label {a[bad[0]]!r} at position {bad[0]} is NaN; "
                             "NaN cannot be a vertex label")
        return _factorize_sorted(a)
    if kind == "O":
        kinds = set(map(type, a))
        if kinds and all(issubclass(t, _STR_TYPES) for t in kinds):
            import pyarrow as pa

            return _factorize_arrow(pa.array(a, type=pa.string()))
        if kinds and all(issubclass(t, _BYTES_TYPES) for t in kinds):
            import pyarrow as pa

            return _factorize_arrow(pa.array(a, type=pa.binary()))
    return _factorize_objects(a.tolist() if kind not in "OV" else list(a))


def text_array(a: np.ndarray):
    """A numpy ``U`` / ``S`` array as a pyarrow string / binary array, label for label.

    pyarrow's direct conversion (about 2x faster than through Python
    objects) ends a string at its first NUL; numpy keeps embedded NULs
    (``"a\\x00b"``) and drops only trailing ones. So the direct result is
    kept only when its total length equals the count of non-NUL code units,
    a check that reads the buffer once (O(n L) in numpy); otherwise the
    conversion goes through Python objects. None for text pyarrow cannot
    hold (lone surrogates).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    text = a.dtype.kind == "U"
    typ = pa.string() if text else pa.binary()
    try:
        if a.dtype.itemsize and len(a):
            arr = pa.array(a, type=typ)
            unit = np.uint32 if text else np.uint8
            units = np.count_nonzero(np.ascontiguousarray(a).view(unit))
            got = pc.sum(pc.utf8_length(arr) if text else pc.binary_length(arr)).as_py() or 0
            if units == got:
                return arr
        return pa.array(a.astype(object), type=typ)
    except (pa.ArrowException, UnicodeError):
        return None


def _factorize_int(a: np.ndarray):
    """Integers: a direct table over a small span, else a sort."""
    n = len(a)
    if n == 0:
        return np.zeros(0, dtype=np.intp), []
    lo, hi = int(a.min()), int(a.max())
    span = hi - lo + 1
    if span > max(_SPAN_FACTOR * n, _SPAN_MIN) or hi > np.iinfo(np.intp).max:
        return _factorize_sorted(a)
    off = a.astype(np.intp, copy=False)
    if lo:
        off = off - lo
    first = np.full(span, n, dtype=np.intp)
    np.minimum.at(first, off, np.arange(n, dtype=np.intp))
    present = np.flatnonzero(first < n)  # offsets, increasing
    order = present[np.argsort(first[present], kind="stable")]  # offsets by first appearance
    table = np.empty(span, dtype=np.intp)
    table[order] = np.arange(len(order), dtype=np.intp)
    codes = table[off]
    return codes, a[first[order]].tolist()


def _factorize_sorted(a: np.ndarray):
    """Any sortable numbers: np.unique, then the uniques reordered by first index."""
    if len(a) == 0:
        return np.zeros(0, dtype=np.intp), []
    _, first, inv = np.unique(a, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(first), dtype=np.intp)
    rank[order] = np.arange(len(first), dtype=np.intp)
    return rank[inv.reshape(-1)], a[first[order]].tolist()


def _factorize_arrow(arr):
    """pyarrow string/binary (or numeric) Array or ChunkedArray: dictionary_encode."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(arr, pa.ChunkedArray):
        chunks = [c for c in arr.chunks if len(c)]
    else:
        chunks = [arr] if len(arr) else []
    if not chunks:
        return np.zeros(0, dtype=np.intp), []
    typ = chunks[0].type
    if not (pa.types.is_string(typ) or pa.types.is_large_string(typ)
            or pa.types.is_binary(typ) or pa.types.is_large_binary(typ)):
        if pa.types.is_dictionary(typ):
            chunks = [c.dictionary_decode() for c in chunks]
        else:
            return _factorize_array(pa.chunked_array(chunks).to_numpy())
    nulls = sum(c.null_count for c in chunks)
    if nulls:
        pos = _first_null(chunks)
        raise ValueError(f"label at position {pos} is null (None); None cannot be a vertex label")
    enc = pc.dictionary_encode(pa.chunked_array(chunks) if len(chunks) > 1 else chunks[0])
    parts = enc.chunks if isinstance(enc, pa.ChunkedArray) else [enc]
    dictionary = parts[-1].dictionary
    # the kernel keeps one hash table across chunks, so every chunk's indices
    # refer to the final dictionary; check it rather than trust it
    if any(len(p.dictionary) != len(dictionary) for p in parts):  # pragma: no cover
        enc = pc.dictionary_encode(pa.concat_arrays(chunks))
        parts, dictionary = [enc], enc.dictionary
    codes = np.concatenate([arrow_numpy(p.indices) for p in parts], dtype=np.intp)  # one pass
    return codes, dictionary.to_pylist()


_ARROW_NUMPY = {"int8": np.int8, "int16": np.int16, "int32": np.int32, "int64": np.int64,
                "uint8": np.uint8, "uint16": np.uint16, "uint32": np.uint32, "uint64": np.uint64,
                "float": np.float32, "double": np.float64}


def arrow_numpy(arr) -> np.ndarray:
    """A zero-copy numpy view of a pyarrow numeric Array without nulls.

    ``Array.to_numpy()`` imports pandas (about a second, once) when it is
    installed; reading the data buffer does not.
    """
    dtype = _ARROW_NUMPY.get(str(arr.type))
    if dtype is None or arr.null_count:
        return arr.to_numpy(zero_copy_only=False)
    if not len(arr):
        return np.zeros(0, dtype=dtype)
    itemsize = np.dtype(dtype).itemsize
    return np.frombuffer(arr.buffers()[1], dtype=dtype, count=len(arr),
                         offset=arr.offset * itemsize)


def _factorize_objects(seq):
    """The reference: a dict, in Python. Also the path for mixed kinds."""
    index = {}
    setdefault = index.setdefault
    codes = np.empty(len(seq), dtype=np.intp)
    try:
        for i, x in enumerate(seq):
            codes[i] = setdefault(x, len(index))
    except TypeError as err:
        raise TypeError(
            f"label {x!r} at position {i} is unhashable ({type(x).__name__}); "
            "labels must be hashable like dict keys"
        ) from err
    uniques = list(index)
    for x in uniques:  # NaN and None: k checks, not n
        if x is None:
            i = next(i for i, y in enumerate(seq) if y is None)
            raise ValueError(f"label at position {i} is None; None cannot be a vertex label")
        if x != x:
            i = next(i for i, y in enumerate(seq) if y is x)
            raise ValueError(f"label {x!r} at position {i} is NaN; NaN cannot be a vertex label")
    return codes, uniques


# ----------------------------------------------------------------------
# helpers


def _is_arrow(x) -> bool:
    """A pyarrow Array or ChunkedArray (pyarrow is imported only if it could be one)."""
    if not type(x).__module__.startswith("pyarrow"):
        return False
    import pyarrow as pa

    return isinstance(x, (pa.Array, pa.ChunkedArray))


def _firsts(a: np.ndarray, codes: np.ndarray) -> list:
    """The first-seen element of each code, as Python objects."""
    k = int(codes.max()) + 1 if len(codes) else 0
    first = np.full(k, len(codes), dtype=np.intp)
    np.minimum.at(first, codes, np.arange(len(codes), dtype=np.intp))
    return a[first].tolist()


def _first_null(chunks) -> int:
    offset = 0
    for c in chunks:
        if c.null_count:
            return offset + int(np.flatnonzero(c.is_null().to_numpy(zero_copy_only=False))[0])
        offset += len(c)
    return -1  # pragma: no cover


def _fits_int64(seq) -> bool:
    return -(2**63) <= min(seq) and max(seq) < 2**63


def _length(x, what: str) -> int:
    if isinstance(x, np.ndarray) and x.ndim != 1:
        raise ValueError(f"{what} must be 1-D, got an array of shape {x.shape}")
    return len(x)


def _concat(src, dst):
    """src then dst as one array, without a copy for pyarrow input."""
    if _is_arrow(src) and _is_arrow(dst):
        import pyarrow as pa

        def chunks(x):
            return list(x.chunks) if isinstance(x, pa.ChunkedArray) else [x]

        parts = chunks(src) + chunks(dst)
        if len({p.type for p in parts}) == 1:
            return pa.chunked_array(parts)
        src, dst = src.to_numpy(zero_copy_only=False), dst.to_numpy(zero_copy_only=False)
    if isinstance(src, list) and isinstance(dst, list) and src and dst:
        kinds = set(map(type, src)) | set(map(type, dst))
        if kinds <= {str}:  # lists of text (a parser's output): straight to pyarrow
            import pyarrow as pa

            return pa.chunked_array([pa.array(src, type=pa.string()),
                                     pa.array(dst, type=pa.string())])
    a = _as_array(src)
    b = _as_array(dst)
    if a.dtype.kind in "US" and a.dtype.kind == b.dtype.kind:
        # two pyarrow chunks: no numpy concatenation (which pads to the wider itemsize)
        ta, tb = text_array(a), text_array(b)
        if ta is not None and tb is not None:
            import pyarrow as pa

            return pa.chunked_array([ta, tb])
    if a.dtype.kind != b.dtype.kind or a.dtype.kind in "O":
        if np.result_type(a.dtype, b.dtype).kind in "iu":  # int64 with uint64 would be float
            return np.concatenate([a, b])
        return np.fromiter(itertools.chain(_items(a), _items(b)), dtype=object,
                           count=len(a) + len(b))
    return np.concatenate([a, b])


def _items(a: np.ndarray):
    """The labels of `a` as Python objects (object arrays: the objects themselves)."""
    return iter(a) if a.dtype.kind == "O" else iter(a.tolist())


def _as_array(x) -> np.ndarray:
    """A 1-D array keeping each label's kind (a list of mixed kinds becomes object)."""
    if isinstance(x, np.ndarray):
        return x
    if _is_arrow(x):
        return x.to_numpy(zero_copy_only=False)
    seq = x if isinstance(x, (list, tuple)) else list(x)
    kinds = set(map(type, seq))
    # (text stays objects: a numpy U array would drop trailing NULs)
    if kinds and (kinds <= {float} or (kinds <= {int} and _fits_int64(seq))):
        return np.array(seq)
    return np.fromiter(seq, dtype=object, count=len(seq))
