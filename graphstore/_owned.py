"""Owned rows: the edit-loop path of undirected float64 stores.

In an edit loop (a point query has folded the pending writes since the last
merge), an undirected single-attribute float64 store moves each short row it
edits into a dict ``{column: value}`` holding the row's live entries, the way
networkx keeps its adjacency: the row is *owned*. Edits and queries of a pair
whose two rows are owned are then one or two dict operations, with no
zombie, no pending write and no merge, however long the loop runs.

The ownership rule, which keeps both representations exact:

* a pair (i, j) whose rows i and j are both owned lives in the owned rows
  only; its base entry and its pending writes are stale, and the merge
  drops them;
* a pair with at least one row not owned lives in the base and the pending
  writes, as in a store without owned rows; every write of it goes there,
  and also to the owned row of its other end, if any.

So an owned row always lists exactly the row's live entries, and a row that
is not owned is read as before. A row is promoted only while it is short
(at most :data:`SMALL_ROW` base entries and as many pending ones), so a
promotion costs O(1), and a hub keeps the zombie path (O(log deg) edits).
Batch writes (``add_edges``, ``add_edges_from``) that touch an owned row
merge and drop the owned rows first; a whole-graph read merges the owned
rows with everything else.

The store keeps the set of owned rows written or promoted since the last
merge (*dirty* rows). A merge takes from the owned rows only the pairs with
a dirty end (the base already holds the others), and keeps the owned rows,
which still equal their merged rows, while the edit loop goes on: a whole
read with no dirty row drops them, and gives their memory back.
"""

from __future__ import annotations

import numpy as np

from ._csr import SMALL_ROW
from ._pending import ABSENT, Chunk, resolve

__all__ = ["promote", "owned_chunk", "owned_pairs_mask", "row_entries"]


def row_entries(base, prows, pcols, i: int, dtype) -> dict:
    """``{column: value}`` of the live entries of row `i` from the base and the pending writes.

    For a single-attribute store whose pending index is current. O(deg(i) +
    pending entries of i).
    """
    lo, hi = base.ip[i], base.ip[i + 1]
    h = dict(zip(base.ix[lo:hi].tolist(), base.iv[lo:hi].tolist(), strict=True))
    z = base.zombies.get(i)
    if z:
        for c in z:
            del h[c]
    r = prows.get(i)
    if r:
        for j, e in r.items():
            if e.__class__ is float:  # a "last" write: NaN means "not given"
                h[j] = e if e == e else h.get(j, 1.0)
            else:
                h[j] = resolve(e, h.get(j, ABSENT), 0, False, dtype)
    c = pcols.get(i)
    if c:
        for k in c:  # pending (k, i), k < i: the mirror's value is the same
            e = prows[k][i]
            if e.__class__ is float:
                h[k] = e if e == e else h.get(k, 1.0)
            else:
                h[k] = resolve(e, h.get(k, ABSENT), 0, False, dtype)
    return h


def promote(base, prows, pcols, i: int, dtype):
    """Row `i` as an owned dict, or None if it is too long to promote in O(1)."""
    ip = base.ip
    lo, hi = ip[i], ip[i + 1]
    if hi - lo > SMALL_ROW:
        return None
    r, c = prows.get(i), pcols.get(i)
    if r is None and c is None and i not in base.zombies:  # the common case: the base row
        return dict(zip(base.ix[lo:hi].tolist(), base.iv[lo:hi].tolist()))
    if (r is not None and len(r) > SMALL_ROW) or (c is not None and len(c) > SMALL_ROW):
        return None
    return row_entries(base, prows, pcols, i, dtype)


def owned_pairs_mask(owned: np.ndarray, rows: np.ndarray, cols: np.ndarray,
                     dirty: np.ndarray | None = None) -> np.ndarray:
    """Where both ends of a pair are owned rows (and one is `dirty`, if given).

    These are the entries the merge drops as stale: their pairs come from
    the owned rows.
    """
    both = owned[rows] & owned[cols]
    if dirty is not None:
        both &= dirty[rows] | dirty[cols]
    return both


def owned_chunk(hot: dict, dirty, seq0: int, dtype, index_dtype) -> Chunk:
    """The pairs joining two owned rows, one of them `dirty`, canonical ``i <= j``, as a chunk.

    A "last" chunk; O(entries of the dirty rows), one pass over their dicts.
    (A pair of two owned rows written since the last merge makes both dirty.)
    """
    rows, cols, vals = [], [], []
    for i in dirty:
        for j, v in hot[i].items():
            if j in hot and (j >= i or j not in dirty):
                rows.append(min(i, j))
                cols.append(max(i, j))
                vals.append(v)
    return Chunk("last", np.array(rows, dtype=index_dtype), np.array(cols, dtype=index_dtype),
                 [np.array(vals, dtype=dtype)], [None], seq0)
