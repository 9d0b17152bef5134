"""The CSR base: read-only arrays over the id space, zombies, row search, snapshots.

The base holds every merged edge as a CSR over the store's whole id space
(``len(indptr) == capacity + 1``), rows sorted and unique. Its arrays are
never written in place: a merge, a purge or a growth makes new arrays, so
snapshots share them read-only. A removed edge stays stored but is marked
in the ``dead`` mask (a *zombie*) until the next merge purges it.

Point queries read one row: a lazily built dict ``column -> position`` for
each row actually queried (O(deg) once per row and merge), never an index of
every entry. In-edge queries of directed stores use a transpose built at the
first such query after a merge (O(nnz) once).
"""

from __future__ import annotations

from bisect import bisect_left

import numpy as np
import scipy.sparse as sp

from . import _merge

__all__ = ["Base", "freeze", "INT32_MAX"]

INT32_MAX = np.iinfo(np.int32).max
#: a row's index is a list of its columns (scanned) up to this many entries, a
#: dict beyond (a list of 20 ints is built 6x faster than a dict of them)
SMALL_ROW = 64


def freeze(*arrays) -> None:
    """Mark arrays read-only, and the arrays that own their memory too.

    A base is shared with snapshots and never written; freezing the owner of
    a view (a temporary's buffer) means no view of it can be made writable.
    """
    for a in arrays:
        while True:
            a.flags.writeable = False
            if not isinstance(a.base, np.ndarray):
                break
            a = a.base


def readonly_view(a: np.ndarray) -> np.ndarray:
    """A view that nobody can make writable (its base is read-only)."""
    v = a.view()
    v.flags.writeable = False
    return v


class Base:
    """The merged edges of a store (see the module docstring).

    State (listed once):

    * ``indptr`` (capacity + 1, int64), ``indices`` (int32, int64 past 2^31 ids),
      ``vals`` (one array per attribute): the CSR, read-only; ``ip``, ``ix``
      and ``iv`` are memoryviews of the first two and of ``vals[0]``, for the
      point reads.
    * ``zombies``: row -> {column: position} of the zombies, ``zpos`` their
      positions in kill order (a list, read by the mask); ``n_dead`` counts
      them; :attr:`dead` is the same marks as a bool mask (built when asked).
    * ``rowcache``: the index of each queried row. A row of at most
      SMALL_ROW entries is a list of its columns, with -1 where an entry died
      (so an entry's position is ``indptr[row]`` plus its place in the list;
      a short list is scanned faster than a dict is built); a longer row is
      a dict {column: position} of its live entries.
    * ``rowmemo``: row -> a value the store derived from the row's live
      entries (the labels of a row's neighbors, as a tuple); dropped when an
      entry of the row dies, emptied by a merge.
    * ``csc``: ``(indptr, rows, positions)`` of the transpose, or None.
    * ``n_loops``: live self-loops, kept for edge counts.
    """

    __slots__ = ("indptr", "indices", "ip", "ix", "iv", "vals", "_dead", "n_dead", "zombies",
                 "zpos", "rowcache", "rowmemo", "touched", "csc", "n_loops", "_vmax")

    def __init__(self, capacity: int, dtype: np.dtype, nattr: int) -> None:
        self.indptr = np.zeros(capacity + 1, dtype=np.int64)
        self.indices = np.zeros(0, dtype=np.int32)
        self.vals = [np.zeros(0, dtype=dtype) for _ in range(nattr)]
        freeze(self.indptr, self.indices, *self.vals)
        self._views()
        self._dead = None  # cached zombie mask over positions (None: build it when asked)
        self.n_dead = 0  # zombies
        self.zombies: dict = {}  # row -> {col: pos} of the zombies
        # the same positions, in kill order (the mask is built from it); a list, as
        # array("q").append parses its argument (3x a list append), and its ints are
        # the ones the zombie dicts hold
        self.zpos: list = []
        # row -> its index (a list or a dict, see above); emptied in place, never rebound
        self.rowcache: dict = {}
        self.rowmemo: dict = {}  # row -> the store's value derived from its live entries
        self.touched: set = set()  # rows looked up once since the merge (no index yet)
        self.csc = None  # transpose for in-edge queries, built lazily
        self.n_loops = 0  # live self-loops
        self._vmax = None  # per attribute: max |value|, computed lazily

    # ------------------------------------------------------------------
    @property
    def nnz(self) -> int:
        """Stored entries, zombies included."""
        return len(self.indices)

    @property
    def index_dtype(self) -> np.dtype:
        return self.indices.dtype

    def nbytes(self) -> int:
        total = self.indptr.nbytes + self.indices.nbytes + sum(v.nbytes for v in self.vals)
        if self.n_dead:
            total += len(self.indices)  # the mask, once built
        if self.csc is not None:
            total += sum(a.nbytes for a in self.csc)
        return total

    def install(self, indptr, indices, vals, n_loops: int) -> None:
        """Replace the arrays (after a merge or a renumbering): no zombies, empty caches."""
        freeze(indptr, indices, *vals)
        self.indptr, self.indices, self.vals = indptr, indices, vals
        self._views()
        self._dead, self.n_dead = None, 0
        self.zombies.clear()
        del self.zpos[:]
        self.rowcache.clear()
        self.rowmemo.clear()
        self.touched.clear()
        self.csc = None
        self.n_loops = n_loops
        self._vmax = None

    def padded(self, capacity: int):
        """The row pointer and indices for a larger capacity (nothing installed yet).

        New rows are empty, the block-matrix padding of ``scipy.sparse.bmat``:
        O(capacity), and no stored entry moves.
        """
        old = self.indptr
        indptr = np.empty(capacity + 1, dtype=np.int64)
        indptr[: len(old)] = old
        indptr[len(old):] = old[-1]
        indices = self.indices
        if capacity > INT32_MAX and indices.dtype != np.int64:
            indices = indices.astype(np.int64)
        freeze(indptr, indices)
        return indptr, indices

    def install_padded(self, indptr, indices) -> None:
        self.indptr, self.indices = indptr, indices
        self._views()
        self.csc = None

    def _views(self) -> None:
        """Memoryviews of the row pointer and indices for the point reads.

        Indexing a memoryview gives a Python int at half the cost of
        ``ndarray.item``, and ``bisect`` over one runs twice as fast.
        """
        self.ip, self.ix = memoryview(self.indptr), memoryview(self.indices)
        self.iv = memoryview(self.vals[0])

    # ------------------------------------------------------------------
    # point reads
    def row_index(self, i: int) -> dict:
        """``{column: position}`` of the live entries of row `i`. O(deg)."""
        r = self._index(i)
        if r.__class__ is not list:
            return r
        lo = self.ip[i]
        return {c: lo + k for k, c in enumerate(r) if c >= 0}

    def _index(self, i: int):
        """The row's cached index (see ``rowcache``), built if missing. O(deg) once per merge."""
        r = self.rowcache.get(i)
        if r is None:
            ip = self.ip
            lo, hi = ip[i], ip[i + 1]
            cols = self.ix[lo:hi].tolist()
            z = self.zombies.get(i)
            if hi - lo <= SMALL_ROW:
                r = cols
                if z:
                    for q in z.values():
                        r[q - lo] = -1
            else:
                r = dict(zip(cols, range(lo, hi), strict=True))
                if z:
                    for c in z:
                        del r[c]
            self.rowcache[i] = r
        return r

    def lookup(self, i: int, j: int) -> int:
        """The position of the live entry (i, j), or -1.

        A row is binary-searched, O(log deg), the first time it is looked up
        after a merge; the second time builds its index, O(deg): a list of
        its columns for a row of at most SMALL_ROW entries (later look-ups
        scan it, O(SMALL_ROW) at most), a dict for a longer row (O(1)).
        (Indexing a row at once would cost O(deg) for rows queried only
        once, as in random edits of a large graph.)
        """
        r = self.rowcache.get(i)
        if r is None:
            ip = self.ip
            lo, hi = ip[i], ip[i + 1]
            if i not in self.touched:
                self.touched.add(i)
                ix = self.ix
                pos = bisect_left(ix, j, lo, hi)
                if pos < hi and ix[pos] == j:
                    z = self.zombies.get(i)
                    if z is None or j not in z:
                        return pos
                return -1
            r = self._index(i)
        if r.__class__ is list:
            return self.ip[i] + r.index(j) if j in r else -1
        return r.get(j, -1)

    def has(self, i: int, j: int) -> bool:
        """Whether (i, j) is a live entry; :meth:`lookup` without the position."""
        r = self.rowcache.get(i)
        if r is None:
            return self.lookup(i, j) >= 0
        return j in r  # a list (-1 marks zombies) or a dict of live entries

    def row_list(self, i: int) -> list:
        """Columns of the live entries of row `i`, sorted, as a new list. O(deg).

        Like :meth:`lookup`: a row's first read since the merge slices the
        base, the second builds the row's index, later ones list it.
        """
        r = self.rowcache.get(i)
        if r is None:
            ip = self.ip
            lo, hi = ip[i], ip[i + 1]
            if i not in self.touched:
                self.touched.add(i)
                cols = self.ix[lo:hi].tolist()
                z = self.zombies.get(i)
                return [c for c in cols if c not in z] if z else cols
            r = self._index(i)
        if r.__class__ is list:
            return [c for c in r if c >= 0] if i in self.zombies else r[:]
        return list(r)

    def value(self, pos: int, a: int):
        return self.vals[a].item(pos)

    def _transpose(self):
        if self.csc is None:
            n = len(self.indptr) - 1
            T = sp.csr_array(
                (np.arange(len(self.indices), dtype=np.int64), self.indices, self.indptr),
                shape=(n, n),
            ).T.tocsr()  # column-major: row j lists (i, position) of entries (i, j)
            T.sort_indices()
            self.csc = (T.indptr.astype(np.int64), T.indices, T.data)
        return self.csc

    def col_entries(self, j: int):
        """Positions and rows of the live entries of column `j` (the transpose, built once)."""
        ptr, rows, pos = self._transpose()
        lo, hi = ptr[j], ptr[j + 1]
        p, r = pos[lo:hi], rows[lo:hi]
        if self.n_dead:
            zombies = self.zombies
            live = np.array([j not in zombies.get(k, ()) for k in r.tolist()], dtype=bool)
            p, r = p[live], r[live]
        return p, r

    def find_many(self, rows, cols):
        """Positions of the pairs and whether each is a live entry. O(k log deg)."""
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        if not len(rows):
            return np.zeros(0, np.int64), np.zeros(0, bool)
        pos, found = _merge.find(self.indptr, self.indices, rows, cols)
        if self.n_dead and found.any():  # O(k) dict checks, never the O(nnz) mask
            idx = np.flatnonzero(found)
            zombies = self.zombies
            dead = [c in zombies.get(r, ()) for r, c in zip(rows[idx].tolist(),
                                                            cols[idx].tolist(), strict=True)]
            found[idx[np.array(dead, dtype=bool)]] = False
        return pos, found

    def max_abs(self, a: int) -> float:
        """max |value| of attribute `a` over stored entries (0 if none); O(nnz) once per merge."""
        if self._vmax is None:
            self._vmax = [None] * len(self.vals)
        if self._vmax[a] is None:
            v = self.vals[a]
            self._vmax[a] = float(np.abs(v.astype(np.float64)).max()) if len(v) else 0.0
        return self._vmax[a]

    # ------------------------------------------------------------------
    # zombies
    @property
    def dead(self):
        """Bool mask of the zombie positions, or None if there is none. O(nnz) once per change."""
        if not self.n_dead:
            return None
        if self._dead is None:
            mask = np.zeros(len(self.indices), dtype=bool)
            mask[np.array(self.zpos, dtype=np.int64)] = True
            self._dead = mask
        return self._dead

    def kill_pair(self, i: int, j: int, both: bool) -> int:
        """Mark the live entry (i, j) dead, and its mirror (j, i) too if `both`.

        Returns the number of entries killed: 0 if (i, j) is not a live entry.
        O(1) for a long row once indexed, O(SMALL_ROW) for a short one (see
        :meth:`lookup`); no numpy call but a row pointer read.
        """
        killed = 0
        rowcache = self.rowcache
        for row, col in ((i, j), (j, i)) if both and i != j else ((i, j),):
            r = rowcache.get(row)
            if r.__class__ is list:  # a short indexed row: the edit-loop hot path
                try:
                    k = r.index(col)  # one scan (a removal usually finds its edge)
                except ValueError:
                    break
                r[k] = -1
                self._bury(self.ip[row] + k, row, col)
            else:
                pos = self.lookup(row, col)
                if pos < 0:
                    break
                self._mark(pos, row, col)
            killed += 1  # only (i, j) can be absent: a live entry's mirror is live
        if killed:
            self.n_dead += killed
            self._dead = None
            if i == j:
                self.n_loops -= 1
        return killed

    def kill_row(self, i: int, mirror: bool) -> list:
        """Mark every live entry of row `i` dead, and each mirror (c, i) too if `mirror`.

        Returns the columns of the entries killed in row `i`, in order. One
        pass without a call per entry: O(deg) for row `i`, plus a scan of an
        indexed short row or a binary search of an unindexed one per mirror.
        `mirror` needs a symmetric pattern (undirected stores): every live
        (i, c) has a live (c, i).
        """
        ip, ix = self.ip, self.ix
        lo, hi = ip[i], ip[i + 1]
        cols = ix[lo:hi].tolist()
        zombies, zpos, rowcache, memo = self.zombies, self.zpos, self.rowcache, self.rowmemo
        zi = zombies.get(i)
        if zi:
            live = [(c, lo + k) for k, c in enumerate(cols) if c not in zi]
        else:
            live = [(c, lo + k) for k, c in enumerate(cols)]
        if not live:
            return []
        if zi is None:
            zi = zombies[i] = {}
        loop_was_dead = i in zi
        killed = len(live)
        for c, q in live:
            zi[c] = q
            zpos.append(q)
        if i in zi and not loop_was_dead:  # the live self-loop died
            self.n_loops -= 1
        rowcache.pop(i, None)  # an unindexed row reads its zombies
        memo.pop(i, None)
        out = [c for c, _ in live]
        if mirror:
            entries = []  # (row c, position of (c, i))
            for c in out:
                if c == i:
                    continue
                r = rowcache.get(c)
                if r is None:
                    q = bisect_left(ix, i, ip[c], ip[c + 1])
                elif r.__class__ is list:
                    k = r.index(i)
                    r[k] = -1
                    q = ip[c] + k
                else:
                    q = r.pop(i)
                entries.append((c, q))
            self._bury_column(i, entries)
            killed += len(entries)
        self.n_dead += killed
        self._dead = None
        return out

    def kill_col(self, j: int) -> list:
        """Mark the live entries (r, j) dead for every row r != j; return those rows.

        Reads the transpose (built at the first in-edge query after a
        merge, O(nnz) once), then O(in-degree) without a call per entry.
        """
        pos, rows = self.col_entries(j)
        rows = rows.tolist()
        if not rows:
            return []
        ip, rowcache = self.ip, self.rowcache
        entries = [(r, q) for q, r in zip(pos.tolist(), rows, strict=True)
                   if r != j]  # a self-loop is in row j: kill_row's
        for r, q in entries:
            rc = rowcache.get(r)
            if rc is not None:
                if rc.__class__ is list:
                    rc[q - ip[r]] = -1
                else:
                    del rc[j]
        self._bury_column(j, entries)
        self.n_dead += len(entries)
        self._dead = None
        return [r for r, _ in entries]

    def _bury_column(self, j: int, entries: list) -> None:
        """Record the zombies (r, j) at q for (r, q) in `entries` (their rows' indexes: done)."""
        zombies, memo = self.zombies, self.rowmemo
        for r, q in entries:
            z = zombies.get(r)
            if z is None:
                zombies[r] = {j: q}
            else:
                z[j] = q
            if r in memo:
                del memo[r]
        self.zpos.extend([q for _, q in entries])

    def _bury(self, pos: int, row: int, col: int) -> None:
        """Record the zombie in ``zombies`` and ``zpos``; forget the row's memo."""
        if row in self.rowmemo:
            del self.rowmemo[row]
        z = self.zombies.get(row)
        if z is None:
            self.zombies[row] = {col: pos}
        else:
            z[col] = pos
        self.zpos.append(pos)

    def _mark(self, pos: int, row: int, col: int) -> None:
        """Record the zombie and drop it from the row's index."""
        self._bury(pos, row, col)
        rc = self.rowcache.get(row)
        if rc is None:
            return
        if rc.__class__ is list:
            rc[pos - self.ip[row]] = -1
        else:
            del rc[col]

    def purged(self, stale=None):
        """``(indptr, indices, vals)`` without the zombies and the `stale` entries (a mask).

        New arrays, O(nnz); the arrays themselves when nothing is dropped.
        """
        drop = self.dead
        if stale is not None:
            drop = stale if drop is None else drop | stale
        if drop is None:
            return self.indptr, self.indices, self.vals
        return _merge.purge(self.indptr, self.indices, self.vals, drop)

    # ------------------------------------------------------------------
    # whole reads
    def rows_of_entries(self) -> np.ndarray:
        """The row of every stored position. O(nnz + capacity)."""
        n = len(self.indptr) - 1
        return np.repeat(np.arange(n, dtype=np.intp), np.diff(self.indptr))

    def snapshot(self, a, n_ids: int, n_live: int, positions, dtype):
        """Read-only CSR arrays ``(data, indices, indptr)`` over the live vertices.

        `a` is an attribute number, or None for the pattern (ones of `dtype`).
        Requires a merged base (no zombies). Rows are renumbered when ids have
        holes. O(nnz) once per merge and attribute.
        """
        indptr, indices = self.indptr[: n_ids + 1], self.indices
        vals = np.ones(len(indices), dtype=dtype) if a is None else self.vals[a]
        if n_live != n_ids:
            alive = positions >= 0
            counts = np.diff(indptr)[alive]
            indptr = np.zeros(n_live + 1, dtype=np.int64)
            np.cumsum(counts, out=indptr[1:])
            indices = positions[indices].astype(self.indices.dtype)
        # one index dtype for both, or scipy would cast `indices` (a copy of nnz)
        it = np.int32 if len(indices) <= INT32_MAX and indices.dtype == np.int32 else np.int64
        indptr, indices = indptr.astype(it, copy=False), indices.astype(it, copy=False)
        freeze(indptr, indices, vals)
        return vals, indices, indptr

    # ------------------------------------------------------------------
    def check(self, require, capacity: int, n_ids: int, alive: np.ndarray, directed: bool,
              dtype: np.dtype) -> None:
        """Raise AssertionError (through `require`) unless the base's invariants hold."""
        indptr, indices = self.indptr, self.indices
        require(len(indptr) == capacity + 1, "the row pointer spans the capacity")
        require(indptr[0] == 0 and indptr[-1] == len(indices), "row pointer starts at 0, ends at nnz")
        require(bool(np.all(np.diff(indptr) >= 0)), "row pointer is non-decreasing")
        require(indptr[n_ids] == len(indices), "no entry in rows of ids not handed out")
        require(not indptr.flags.writeable and not indices.flags.writeable,
                "base index arrays are read-only")
        require(indices.dtype == (np.int64 if capacity > INT32_MAX else np.int32),
                "index dtype fits the capacity")
        rows = self.rows_of_entries().astype(np.int64)
        key = rows * capacity + indices
        if len(indices):
            require(indices.min() >= 0 and indices.max() < n_ids, "columns are ids handed out")
            require(bool(np.all(np.diff(key) > 0)), "indices sorted and unique within each row")
        for v in self.vals:
            require(len(v) == len(indices) and v.dtype == dtype, "one value array per attribute")
            require(not v.flags.writeable, "base values are read-only")
            if v.dtype.kind == "f":
                require(bool(np.isfinite(v).all()), "stored values are finite")
        dead = np.zeros(len(indices), bool) if self.dead is None else self.dead
        require(len(dead) == len(indices) and int(dead.sum()) == self.n_dead,
                "the zombie count matches the mask")
        gone = ~alive
        if len(indices) and gone.any():
            touching = gone[rows] | gone[indices]
            require(not (touching & ~dead).any(), "every entry touching a removed vertex is a zombie")
        require(self.n_loops == int(np.count_nonzero((rows == indices) & ~dead)),
                "the self-loop count matches the live diagonal")
        if not directed and len(indices):
            tkey = indices.astype(np.int64) * capacity + rows
            order = np.argsort(tkey)
            require(np.array_equal(tkey[order], key), "undirected base: symmetric pattern")
            for v in self.vals:
                require(np.array_equal(v[order], v), "undirected base: symmetric values")
            require(np.array_equal(dead[order], dead), "undirected base: symmetric zombies")
        zcount = sum(len(z) for z in self.zombies.values())
        require(zcount == self.n_dead and all(
            indptr[r] <= q < indptr[r + 1] and indices[q] == c
            for r, z in self.zombies.items() for c, q in z.items()),
            "zombies by row name their own positions")
        require(sorted(self.zpos) == sorted(q for z in self.zombies.values() for q in z.values()),
                "the zombie position log lists the zombies")
        for i, r in self.rowcache.items():
            lo, hi = indptr[i], indptr[i + 1]
            if r.__class__ is list:
                want = [-1 if dead[p] else int(c)
                        for c, p in zip(indices[lo:hi].tolist(), range(lo, hi), strict=True)]
                require(hi - lo <= SMALL_ROW and r == want,
                        f"row cache of short row {i} lists its columns, -1 for zombies")
                continue
            want = {int(c): p for c, p in zip(indices[lo:hi].tolist(), range(lo, hi), strict=True)
                    if not dead[p]}
            require(r == want, f"row cache of row {i} lists its live entries")
