"""Pending edge writes: the ``add_edge`` log, batch chunks, deletions, per-row lookups.

Writes wait here until a whole-graph read merges them into the CSR base
(SuiteSparse:GraphBLAS calls them *pending tuples*). Every write has a
sequence number; the order is base < chunks (in call order) < log.

* The **log** holds ``add_edge`` writes in typed ``array.array`` buffers (ids
  and one buffer per attribute), so a merge reads them as numpy arrays with
  one memcpy, never a pass over Python objects.
* A **chunk** is a validated ``add_edges`` batch (:class:`Chunk`).
* The **folded index** answers point queries without a merge: ``rows[i][j]``
  is the pending *entry* of the pair (i, j) (canonical ``i <= j`` if
  undirected) and ``cols[j]`` the rows with a pending entry in column j.
  Writes are folded into it lazily, at the first point query after them;
  in an edit loop (a query has folded since the last merge) the store folds
  each ``add_edge`` as it is made instead (:meth:`Pending.fold_last`).
* **Deletions** of pairs with pending writes record the sequence number at
  which they happened; the merge drops the writes made before it.

An *entry* is what the pair's pending writes do to the stored value: a plain
value (a scalar, or a tuple over attributes) for ``combine="last"`` writes,
where the missing marker (NaN in float stores, None in integer ones) means
"not given: keep the stored value, or 1 on a new edge"; or an :class:`Ops`
list when another combine mode is involved. :func:`resolve` computes the
value exactly as the merge will.
"""

from __future__ import annotations

import math
from array import array
from typing import NamedTuple

import numpy as np

from ._merge import DEFAULT, REDUCE, identity

__all__ = ["Chunk", "Ops", "Pending", "resolve", "run_key", "ABSENT"]

#: marks "no stored value" (no base entry, or no pending entry)
ABSENT = object()


class Chunk(NamedTuple):
    """A batch of pending writes: canonical ids, values and given masks."""

    combine: str  # "last", "sum", "min" or "max"
    rows: np.ndarray  # source ids (i <= j for undirected stores)
    cols: np.ndarray  # target ids
    vals: list  # one array per attribute, in the store's dtype
    given: list  # per attribute: bool mask of the entries that set it, or None (all)
    seq0: int  # sequence number of the first entry

    def subset(self, keep: np.ndarray) -> Chunk:
        """The entries where `keep` is True (the chunk itself if all are)."""
        if keep.all():
            return self
        return self._replace(rows=self.rows[keep], cols=self.cols[keep],
                             vals=[v[keep] for v in self.vals],
                             given=[None if g is None else g[keep] for g in self.given])


def run_key(chunk: Chunk) -> tuple:
    """Chunks with equal keys merge in one pass.

    ``combine`` is associative, so a run of one mode reduces at once. Under
    "sum", "min" and "max" an entry without a value creates the edge with
    value 1, which later entries then combine with; so such chunks only share
    a run with chunks that give (or omit) the same attributes.
    """
    if chunk.combine == "last":
        return ("last",)
    return (chunk.combine, tuple(g is None for g in chunk.given))


_LAST = ("last",)


class Ops(list):
    """A pending entry that involves a combine mode other than "last".

    Items are ``(run, mode, value)`` in write order; consecutive items of one
    run reduce together, as in the merge.
    """

    __slots__ = ()


def _log_typecode(dtype: np.dtype) -> str:
    if dtype.kind == "f":
        return "d"
    if dtype == np.uint64:
        return "Q"
    return "q"


class Pending:
    """The pending writes of one store (see the module docstring).

    State (listed once):

    * ``li``, ``lj``: the log's ids; ``lv``: one value buffer per attribute;
      ``lg``: per attribute, 1 where the value was given (integer stores only;
      float stores mark a missing value with NaN).
    * ``log_seq0``: sequence number of the log's first write.
    * ``chunks``: the :class:`Chunk` batches, in call order.
    * ``seq_base``: the sequence number at the last merge.
    * ``rows``, ``cols``: the folded index; ``fold_seq``: the first write not folded.
    * ``dels``: pair -> sequence number of its latest deletion.
    """

    __slots__ = ("dtype", "nattr", "multi", "float", "missing", "li", "lj", "lv", "lg",
                 "log_seq0", "chunks", "seq_base", "rows", "cols", "dels", "fold_seq",
                 "_fold_key", "_fold_run", "_n_entries")

    def __init__(self, dtype: np.dtype, nattr: int) -> None:
        self.dtype = dtype  # the store's dtype
        self.nattr = nattr  # number of edge attributes
        self.multi = nattr > 1  # values are tuples over attributes
        self.float = dtype.kind == "f"
        self.missing = math.nan if self.float else None  # "not given" marker
        code = _log_typecode(dtype)
        self.li, self.lj = array("q"), array("q")  # the log's ids
        self.lv = [array(code) for _ in range(nattr)]  # the log's values
        self.lg = None if self.float else [array("b") for _ in range(nattr)]
        self.log_seq0 = 0  # sequence number of the log's first write
        self.chunks: list[Chunk] = []  # add_edges batches, in call order
        self.seq_base = 0  # sequence number at the last merge
        # the folded index (emptied in place, never rebound: the store holds them)
        self.rows: dict = {}  # i -> {j: entry}
        self.cols: dict = {}  # j -> {i with a pending entry (i, j), i != j}
        self.dels: dict = {}  # (i, j) -> sequence number of its latest deletion
        self.fold_seq = 0  # the first write not folded into rows/cols
        self._fold_key = None  # run key of the last folded write
        self._fold_run = 0  # run number of the last folded write
        self._n_entries = 0  # entries in the folded index

    # ------------------------------------------------------------------
    # counts
    @property
    def seq(self) -> int:
        """The sequence number the next write gets. O(1)."""
        return self.log_seq0 + len(self.li)

    def count(self) -> int:
        """Writes since the last merge. O(1)."""
        return self.log_seq0 + len(self.li) - self.seq_base

    def unfolded(self) -> int:
        """Writes not yet folded into the index. O(1)."""
        return self.log_seq0 + len(self.li) - self.fold_seq

    def nbytes(self) -> int:
        total = sum(a.itemsize * len(a) for a in (self.li, self.lj, *self.lv))
        if self.lg is not None:
            total += sum(len(a) for a in self.lg)
        for c in self.chunks:
            total += c.rows.nbytes + c.cols.nbytes + sum(v.nbytes for v in c.vals)
            total += sum(g.nbytes for g in c.given if g is not None)
        return total

    # ------------------------------------------------------------------
    # writes
    def append(self, i: int, j: int, value) -> None:
        """Log one validated write (canonical ids; a scalar or per-attribute tuple). O(1)."""
        self.li.append(i)
        self.lj.append(j)
        vals = value if self.multi else (value,)
        if self.float:
            for buf, x in zip(self.lv, vals, strict=True):
                buf.append(x)
        else:
            for buf, gbuf, x in zip(self.lv, self.lg, vals, strict=True):
                buf.append(0 if x is None else x)
                gbuf.append(x is not None)

    def push_log(self) -> None:
        """Turn the log into a "last" chunk, keeping the write order. O(log), one memcpy."""
        k = len(self.li)
        if not k:
            return
        rows = np.array(self.li, dtype=np.int64)
        cols = np.array(self.lj, dtype=np.int64)
        vals, given = [], []
        for a in range(self.nattr):
            v = np.array(self.lv[a])
            if self.float:
                g = ~np.isnan(v)
                if not g.all():
                    v[~g] = 0
            else:
                g = np.array(self.lg[a], dtype=bool)
            vals.append(v.astype(self.dtype, copy=False))
            given.append(None if g.all() else g)
        self.chunks.append(Chunk("last", rows, cols, vals, given, self.log_seq0))
        del self.li[:], self.lj[:]
        for buf in self.lv:
            del buf[:]
        if self.lg is not None:
            for buf in self.lg:
                del buf[:]
        self.log_seq0 += k

    def add_chunk(self, combine, rows, cols, vals, given) -> None:
        """Append a validated batch after the log's writes. O(1) (the arrays are kept)."""
        self.push_log()
        self.chunks.append(Chunk(combine, rows, cols, vals, given, self.log_seq0))
        self.log_seq0 += len(rows)

    # ------------------------------------------------------------------
    # the folded index
    def fold(self) -> list:
        """Fold every unfolded write into the index; return the pairs that got an entry.

        O(unfolded writes), one dict update each.
        """
        new = []
        seq = self.fold_seq
        for c in (self.chunks if seq < self.log_seq0 else ()):
            end = c.seq0 + len(c.rows)
            if end <= seq:
                continue
            lo = seq - c.seq0
            key = run_key(c)
            rows, cols = c.rows[lo:].tolist(), c.cols[lo:].tolist()
            cols_vals = []
            for v, g in zip(c.vals, c.given, strict=True):
                x = v[lo:].tolist()
                if g is not None:
                    miss = self.missing
                    x = [y if ok else miss for y, ok in zip(x, g[lo:].tolist(), strict=True)]
                cols_vals.append(x)
            values = list(zip(*cols_vals, strict=True)) if self.multi else cols_vals[0]
            self._fold_many(rows, cols, values, c.combine, key, new)
            seq = end
        k0 = seq - self.log_seq0
        if k0 < len(self.li):
            rows, cols = self.li[k0:].tolist(), self.lj[k0:].tolist()
            cols_vals = []
            for a in range(self.nattr):
                x = self.lv[a][k0:].tolist()
                if self.lg is not None:
                    x = [y if ok else None for y, ok in zip(x, self.lg[a][k0:].tolist(), strict=True)]
                cols_vals.append(x)
            values = list(zip(*cols_vals, strict=True)) if self.multi else cols_vals[0]
            self._fold_many(rows, cols, values, "last", _LAST, new)
        self.fold_seq = self.seq
        return new

    def fold_last(self, i: int, j: int, value) -> bool:
        """Fold the log's newest write, a "last" write of a single-attribute float store.

        For a store whose index is current (every earlier write folded): the
        write folds as it is made, O(1), instead of at the next query. Returns
        whether the pair got a new entry. NaN `value` means "not given".
        """
        if self._fold_key != _LAST:
            self._fold_key = _LAST
            self._fold_run += 1
        self.fold_seq += 1
        r = self.rows.get(i)
        if r is None:
            self.rows[i] = {j: value}
        else:
            old = r.get(j, ABSENT)
            if old is not ABSENT:
                if old.__class__ is Ops:
                    old.append((self._fold_run, "last", value))
                elif value == value:  # given (not NaN): the last write wins
                    r[j] = value
                return False
            r[j] = value
        self._n_entries += 1
        if i != j:
            s = self.cols.get(j)
            if s is None:
                self.cols[j] = {i}
            else:
                s.add(i)
        return True

    def _fold_many(self, rows, cols, values, mode, key, new) -> None:
        if key != self._fold_key:
            self._fold_key = key
            self._fold_run += 1
        run = self._fold_run
        index, back = self.rows, self.cols
        multi, float_ = self.multi, self.float
        for i, j, value in zip(rows, cols, values, strict=True):
            r = index.get(i)
            if r is None:
                r = index[i] = {}
            old = r.get(j, ABSENT)
            if old is ABSENT:
                new.append((i, j))
                self._n_entries += 1
                if i != j:
                    s = back.get(j)
                    if s is None:
                        back[j] = {i}
                    else:
                        s.add(i)
                if mode == "last":
                    r[j] = value
                    continue
                r[j] = Ops([(run, mode, value)])
            elif mode == "last" and old.__class__ is not Ops:
                if multi:
                    r[j] = tuple(o if _missing(x, float_) else x
                                 for x, o in zip(value, old, strict=True))
                elif not _missing(value, float_):
                    r[j] = value
            elif old.__class__ is Ops:
                old.append((run, mode, value))
            else:
                r[j] = Ops([(0, "last", old), (run, mode, value)])

    def entry(self, i: int, j: int):
        """The pending entry of the canonical pair (i, j), or ABSENT (folded writes only)."""
        r = self.rows.get(i)
        if r is None:
            return ABSENT
        return r.get(j, ABSENT)

    def delete(self, i: int, j: int) -> None:
        """Drop the pending writes of the canonical pair (i, j) made so far."""
        r = self.rows[i]
        del r[j]
        if not r:
            del self.rows[i]
        if i != j:
            s = self.cols[j]
            s.discard(i)
            if not s:
                del self.cols[j]
        self._n_entries -= 1
        self.dels[(i, j)] = self.log_seq0 + len(self.li)  # self.seq, inlined (hot path)

    def drop_vertex(self, i: int) -> list:
        """Forget the entries touching id `i` (the merge drops writes of removed ids).

        Returns the canonical pairs forgotten. O(pending entries of i).
        """
        gone = []
        r = self.rows.pop(i, None)
        if r is not None:
            for j in r:
                gone.append((i, j))
                if i != j:
                    s = self.cols[j]
                    s.discard(i)
                    if not s:
                        del self.cols[j]
        for k in self.cols.pop(i, ()):
            gone.append((k, i))
            rk = self.rows[k]
            del rk[i]
            if not rk:
                del self.rows[k]
        self._n_entries -= len(gone)
        return gone

    # ------------------------------------------------------------------
    # the merge
    def drained(self, alive, capacity: int) -> list:
        """The chunks to merge, with writes of removed ids and deleted pairs dropped.

        `alive` is the alive mask of the ids, or None when no vertex was ever
        removed (nothing to drop then). Changes nothing (the store calls
        :meth:`clear` once the merge has succeeded). O(pending log(deletions)).
        """
        self.push_log()
        if not self.dels:
            dkeys = None
        else:
            pairs = np.array(list(self.dels), dtype=np.int64).reshape(-1, 2)
            dk = pairs[:, 0] * capacity + pairs[:, 1]
            order = np.argsort(dk)
            dkeys, dseq = dk[order], np.fromiter(self.dels.values(), np.int64, len(dk))[order]
        if alive is None and dkeys is None:
            return list(self.chunks)
        out = []
        for c in self.chunks:
            keep = np.ones(len(c.rows), bool) if alive is None else alive[c.rows] & alive[c.cols]
            if dkeys is not None:
                key = c.rows.astype(np.int64) * capacity + c.cols
                pos = np.minimum(np.searchsorted(dkeys, key), len(dkeys) - 1)
                seqs = c.seq0 + np.arange(len(key))
                keep &= ~((dkeys[pos] == key) & (seqs < dseq[pos]))
            out.append(c.subset(keep))  # an emptied chunk stays: it separates the runs around it
        return out

    def clear(self) -> None:
        """Forget every pending write (after a merge). O(1) plus freeing."""
        self.push_log()
        self.chunks = []
        self.seq_base = self.fold_seq = self.log_seq0
        self.rows.clear()
        self.cols.clear()
        self.dels.clear()
        self._fold_key, self._n_entries = None, 0

    # ------------------------------------------------------------------
    def check(self, require, alive: np.ndarray, directed: bool) -> None:
        """Raise AssertionError (through `require`) unless the pending invariants hold."""
        require(len(self.li) == len(self.lj) and all(len(b) == len(self.li) for b in self.lv),
                "log buffers have one length")
        require(self.seq_base <= self.fold_seq <= self.seq, "fold position within the pending writes")
        seq = self.seq_base
        for c in self.chunks:
            require(c.seq0 == seq, "chunks are contiguous in sequence")
            seq += len(c.rows)
            require(all(len(v) == len(c.rows) and v.dtype == self.dtype for v in c.vals),
                    "chunk values: one array per attribute, of the store's dtype")
            require(directed or bool((c.rows <= c.cols).all()), "undirected chunk pairs are i <= j")
        require(seq == self.log_seq0, "the log follows the last chunk")
        li, lj = np.array(self.li, np.int64), np.array(self.lj, np.int64)
        require(directed or bool((li <= lj).all()), "undirected log pairs are i <= j")
        # writes touching a removed vertex may remain in the log and the chunks:
        # the merge drops them (ids are never reused)
        n = 0
        for i, r in self.rows.items():
            require(bool(r), "no empty row dict in the folded index")
            for j in r:
                n += 1
                require(alive[i] and alive[j], f"pending entry ({i}, {j}) touches live vertices")
                require(directed or i <= j, f"undirected pending entry ({i}, {j}) is canonical")
                require(i == j or i in self.cols.get(j, ()), f"entry ({i}, {j}) is in the column index")
        require(n == self._n_entries, "entry count matches the folded index")
        back = sum(len(s) for s in self.cols.values())
        require(back == n - sum(1 for i, r in self.rows.items() if i in r),
                "the column index lists exactly the off-diagonal entries")


def _missing(x, float_: bool) -> bool:
    return x != x if float_ else x is None


def resolve(entry, stored, a: int, multi: bool, dtype: np.dtype):
    """The value of attribute `a` after a pending `entry`, from `stored` (or ABSENT).

    Follows the merge exactly: "last" takes the last given value; a run of
    "sum" / "min" / "max" writes reduces its given values with numpy's
    ``reduceat`` in the store's dtype, then combines with the stored value.
    An attribute never given is the stored value, or 1 on a new edge.
    """
    float_ = dtype.kind == "f"
    default = dtype.type(DEFAULT).item()  # 1.0 in a float store, 1 in an integer one
    if entry.__class__ is not Ops:
        y = entry[a] if multi else entry
        if _missing(y, float_):
            return default if stored is ABSENT else stored
        return y
    x = stored
    k, n = 0, len(entry)
    while k < n:
        run, mode = entry[k][0], entry[k][1]
        ys = []
        while k < n and entry[k][0] == run:
            v = entry[k][2]
            ys.append(v[a] if multi else v)
            k += 1
        given = [not _missing(y, float_) for y in ys]
        if mode == "last":
            for y, ok in zip(ys, given, strict=True):
                if ok:
                    x = y
        elif any(given):
            fill = identity(mode, dtype)
            arr = np.array([y if ok else fill for y, ok in zip(ys, given, strict=True)], dtype=dtype)
            red = REDUCE[mode].reduceat(arr, [0])[0] if len(arr) > 1 else arr[0]
            x = red if x is ABSENT else REDUCE[mode](dtype.type(x), red)
            x = x.item()
        if x is ABSENT:
            x = default
    return x
