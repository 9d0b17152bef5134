"""Pure array functions behind the store's merge of pending edges into its CSR base.

A *delta* is a batch of entries ``(rows, cols, vals, given)``: ``vals`` holds
one array per edge attribute and ``given[a]`` is a boolean mask of the entries
that set attribute ``a`` (``None`` means all of them do). An entry that does
not give an attribute keeps the stored value of an existing edge, or takes
:data:`DEFAULT` for a new one.

A *base* is ``(indptr, indices, vals)``: a CSR over the store's whole id space
(``len(indptr) == capacity + 1``), sorted and without duplicates. Bases are
never written in place: every function here returns new arrays, so a snapshot
handed to a user can share them read-only.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

# the value of an attribute that an edge was created without (what networkx's
# exporters read for a missing weight)
DEFAULT = 1

#: the ufunc of each reducing combine mode
REDUCE = {"sum": np.add, "min": np.minimum, "max": np.maximum}


def identity(mode: str, dtype: np.dtype):
    """The neutral element of a reduction, so not-given entries drop out of it."""
    if mode == "sum":
        return 0
    big = np.inf if dtype.kind == "f" else np.iinfo(dtype).max
    small = -np.inf if dtype.kind == "f" else np.iinfo(dtype).min
    return big if mode == "min" else small


def _csr(vals, rows, cols, n):
    """scipy's COO -> CSR: a counting sort by row, then within rows, summing repeats.

    Callers pass int32 coordinates when the ids fit (:func:`_index_dtype`):
    scipy keeps int64 input as int64, and its counting sort then moves twice
    the bytes.
    """
    return sp.csr_array((vals, (rows, cols)), shape=(n, n))


def sort_unique(rows, cols, n):
    """Return the permutation that sorts ``(rows, cols)`` row-major, or None if a pair repeats.

    One scipy COO -> CSR pass (a counting sort, O(N + n)) carries each entry's
    position as its value; if no pair repeats, no value was summed and the
    values are the permutation. Returns ``(P, perm)``. O(N + n).
    """
    N = len(rows)
    P = _csr(np.arange(1, N + 1, dtype=np.int64), rows, cols, n)
    if P.nnz != N:
        return None, None
    return P, P.data - 1


def reduce_duplicates(rows, cols, vals, given, mode, n):
    """Sort a delta row-major and reduce entries that share a pair with `mode`.

    ``"last"`` keeps each attribute's last given value, ``"sum"``, ``"min"``
    and ``"max"`` reduce the given values. O(N log N): a stable sort.
    """
    key = rows.astype(np.int64) * n + cols
    order = np.argsort(key, kind="stable")
    key = key[order]
    N = len(key)
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if N else np.zeros(0, np.intp)
    rows, cols = rows[order][starts], cols[order][starts]
    out_vals, out_given = [], []
    for v, g in zip(vals, given, strict=True):
        v = v[order]
        g = None if g is None else g[order]
        if mode == "last":
            if g is None:
                ends = np.r_[starts[1:], N] - 1
                out_vals.append(v[ends])
                out_given.append(None)
            else:
                last = np.maximum.reduceat(np.where(g, np.arange(N), -1), starts)
                has = last >= 0
                out_vals.append(v[np.maximum(last, 0)])
                out_given.append(None if has.all() else has)
        else:
            ufunc = REDUCE[mode]
            if g is not None:
                v = np.where(g, v, np.array(identity(mode, v.dtype), dtype=v.dtype))
            out_vals.append(ufunc.reduceat(v, starts).astype(v.dtype, copy=False))
            if g is None:
                out_given.append(None)
            else:
                has = np.logical_or.reduceat(g, starts)
                out_given.append(None if has.all() else has)
    return rows, cols, out_vals, out_given


def _index_dtype(n: int):
    """int32 coordinates while ids fit, else int64."""
    return np.int32 if n <= np.iinfo(np.int32).max else np.int64


def mirror(rows, cols, vals, given, dtype):
    """Add the transpose of every off-diagonal entry (undirected stores keep both).

    Coordinates come out as `dtype` (cast in the same pass).
    """
    off = rows != cols
    if off.all():  # no self-loop (the common case): no masked copies
        off = slice(None)
    rows2 = np.concatenate([rows, cols[off]], dtype=dtype, casting="same_kind")
    cols2 = np.concatenate([cols, rows[off]], dtype=dtype, casting="same_kind")
    vals2 = [np.concatenate([v, v[off]]) for v in vals]
    given2 = [None if g is None else np.concatenate([g, g[off]]) for g in given]
    return rows2, cols2, vals2, given2


class Delta:
    """A delta sorted row-major with unique pairs: columns, values, given masks.

    Rows are kept as a row pointer over the capacity (``indptr``, from a
    counting sort) or as an explicit array (``rows``, from a comparison sort
    of a small delta), and the other form is derived only if asked for.
    """

    __slots__ = ("_indptr", "_rows", "cols", "vals", "given", "n")

    def __init__(self, cols, vals, given, n, *, indptr=None, rows=None):
        self._indptr, self._rows = indptr, rows
        self.cols, self.vals, self.given, self.n = cols, vals, given, n

    @property
    def rows(self):
        if self._rows is None:
            self._rows = np.repeat(np.arange(self.n, dtype=np.int64), np.diff(self._indptr))
        return self._rows

    @property
    def indptr(self):
        if self._indptr is None:
            ptr = np.zeros(self.n + 1, dtype=np.int64)
            np.cumsum(np.bincount(self._rows, minlength=self.n), out=ptr[1:])
            self._indptr = ptr
        return self._indptr


def _sort_small(rows, cols, n):
    """Sort a small delta by comparison, O(N log N), or None if a pair repeats.

    Avoids the O(capacity) row pointer of a counting sort when N << capacity.
    """
    key = rows.astype(np.int64) * n + cols
    perm = np.argsort(key)
    key = key[perm]
    if len(key) > 1 and not (key[1:] != key[:-1]).all():
        return None
    return perm


def canonical_delta(rows, cols, vals, given, mode, n, symmetric) -> Delta:
    """Return the delta sorted row-major with unique pairs (mirrored if `symmetric`).

    A small delta (N < capacity / 4) is sorted by comparison. A large one
    costs one counting sort: with one attribute, all values given, it is
    scipy's own COO -> CSR of the values when no pair repeats; otherwise the
    sort carries positions.
    Repeated pairs under another mode cost a stable sort plus reductions
    (:func:`reduce_duplicates`).
    """
    idx = _index_dtype(n)

    def coords(rows, cols, vals, given):  # mirrored if undirected; int32 while ids fit
        if symmetric:
            return mirror(rows, cols, vals, given, idx)
        return rows.astype(idx, copy=False), cols.astype(idx, copy=False), vals, given

    r, c, v, g = coords(rows, cols, vals, given)
    N = len(r)
    if 4 * N < n:
        perm = _sort_small(r, c, n)
        if perm is None:
            rows, cols, vals, given = reduce_duplicates(rows, cols, vals, given, mode, n)
            r, c, v, g = coords(rows, cols, vals, given)
            perm = _sort_small(r, c, n)
        return Delta(c[perm], [x[perm] for x in v], [None if x is None else x[perm] for x in g],
                     n, rows=r[perm].astype(np.int64))
    if len(v) == 1 and g[0] is None:
        # without repeats no value is summed; with repeats, scipy would sum them
        # in its own order, while point queries reduce them as reduce_duplicates does
        P = _csr(v[0], r, c, n)
        if P.nnz == N:
            return Delta(P.indices, [P.data.astype(v[0].dtype, copy=False)], [None], n,
                         indptr=_indptr64(P))
        P = None
    else:
        P, perm = sort_unique(r, c, n)
    if P is None:
        rows, cols, vals, given = reduce_duplicates(rows, cols, vals, given, mode, n)
        r, c, v, g = coords(rows, cols, vals, given)
        P, perm = sort_unique(r, c, n)
    return Delta(P.indices, [x[perm] for x in v], [None if x is None else x[perm] for x in g],
                 n, indptr=_indptr64(P))


def _indptr64(P):
    return P.indptr.astype(np.int64, copy=False)


def lower_bound(indptr, indices, rows, cols):
    """For each (row, col): the first position in that row of `indices` not below col.

    A binary search in every row at once: O(k log max_degree) with k pairs,
    and no O(nnz) key array.
    """
    lo = indptr[rows]
    hi = indptr[rows + 1]
    while True:
        active = np.flatnonzero(lo < hi)
        if not len(active):
            return lo
        mid = (lo[active] + hi[active]) >> 1
        less = indices[mid] < cols[active]
        lo[active[less]] = mid[less] + 1
        hi[active[~less]] = mid[~less]


def row_of(indptr, positions):
    """The row of each stored position in a CSR with row pointer `indptr`."""
    return np.searchsorted(indptr, positions, side="right") - 1


def purge(indptr, indices, vals, dead):
    """Drop the entries marked in `dead` (a boolean mask over stored positions)."""
    gone = np.flatnonzero(dead)
    counts = np.bincount(row_of(indptr, gone), minlength=len(indptr) - 1)
    new_indptr = indptr.copy()
    new_indptr[1:] -= np.cumsum(counts)
    keep = ~dead
    return new_indptr, indices[keep], [v[keep] for v in vals]


def find(indptr, indices, rows, cols):
    """Positions of the pairs (rows, cols) in a CSR, and whether each is stored.

    Where a pair is not stored, its position is where it would be inserted.
    """
    pos = lower_bound(indptr, indices, rows, cols)
    found = pos < indptr[rows + 1]
    found[found] = indices[pos[found]] == cols[found]
    return pos, found


def merge(indptr, indices, vals, delta: Delta, mode, index_dtype):
    """Merge a canonical :class:`Delta` into a base.

    Pairs already stored are combined with `mode` where the delta gives a
    value; new pairs are inserted in order. Returns the new
    ``(indptr, indices, vals)``. O(nnz + capacity + k log degree) for a delta
    of k pairs, a copy-class cost; an empty base takes the delta as it is.
    """
    cap = len(indptr) - 1
    nnz = len(indices)
    dvals, dgiven, dcols = delta.vals, delta.given, delta.cols
    if nnz == 0:
        fresh = [v if g is None else np.where(g, v, np.array(DEFAULT, dtype=v.dtype))
                 for v, g in zip(dvals, dgiven, strict=True)]
        dptr = delta.indptr
        return dptr.copy() if dptr.base is not None else dptr, dcols.astype(index_dtype, copy=False), fresh
    rows = delta.rows
    pos, hit = find(indptr, indices, rows, dcols)
    miss = ~hit
    ins_pos = pos[miss]
    new_vals = []
    for v, dv, g in zip(vals, dvals, dgiven, strict=True):
        hp = pos[hit]
        if len(hp):
            cur = v[hp]
            new = dv[hit]
            if mode != "last":
                new = REDUCE[mode](cur, new).astype(v.dtype, copy=False)
            if g is not None:
                new = np.where(g[hit], new, cur)
            v = v.copy()
            v[hp] = new
        fresh = dv[miss]
        if g is not None:
            fresh = np.where(g[miss], fresh, np.array(DEFAULT, dtype=fresh.dtype))
        new_vals.append(np.insert(v, ins_pos, fresh) if len(ins_pos) else v)
    if not len(ins_pos):
        return indptr, indices, new_vals
    new_indices = np.insert(indices, ins_pos, dcols[miss].astype(index_dtype))
    counts = np.bincount(rows[miss], minlength=cap)
    new_indptr = indptr.copy()
    new_indptr[1:] += np.cumsum(counts)
    return new_indptr, new_indices, new_vals
