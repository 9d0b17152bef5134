"""GraphStore: state, invariants, growth, mutation and queries."""

from __future__ import annotations

import itertools
import math
import operator
import threading

import numpy as np
import scipy.sparse as sp

from . import _merge
from ._validate import (
    COMBINE,
    FORMATS,
    check_attrs,
    check_choice,
    check_count,
    check_dtype,
    check_id_array,
    check_label,
    check_value,
    check_value_array,
)

__all__ = ["GraphStore"]

_INT32_MAX = np.iinfo(np.int32).max


def _freeze(*arrays):
    """Mark arrays read-only: a base is shared with snapshots and never written."""
    for a in arrays:
        a.flags.writeable = False


class GraphStore:
    """A growable sparse graph: vertices with labels, weighted edges, scipy exports.

    Parameters
    ----------
    directed : bool, default False
        Whether ``A[i, j]`` (the edge i -> j) and ``A[j, i]`` are independent.
    capacity : int, optional
        Initial number of vertex ids with room reserved; the capacity doubles
        whenever it is exceeded. Default :attr:`INITIAL_CAPACITY`.
    dtype : numpy dtype, default float64
        The dtype of every edge attribute (a real integer or floating type).
    edge_attrs : tuple of str, default ("weight",)
        The numeric attributes each edge carries; must include ``"weight"``.

    Notes
    -----
    **Design.** Writes are cheap, reads are compact. ``add_edge`` appends
    the vertex-id pair and value to a pending log (amortized O(1));
    ``add_edges`` appends its validated arrays as a pending chunk (O(batch)).
    ``remove_edge`` marks the stored entry dead. The first read that needs the
    whole structure (``adjacency``, ``edges``, ``neighbors``, ``degree``,
    ``num_edges``) merges pending entries and dead marks into a CSR *base* in
    one vectorized pass (O(nnz + pending), a sort only when a batch repeats a
    pair). The base is never written in place; the CSR snapshot built on it
    is cached, read-only, until the next change. ``has_edge`` and ``weight``
    answer without merging, from an index of the pending log (extended with
    the writes made since the last query) and a hash of the base built on
    the first query after a merge (O(nnz) once).

    **Growth.** Vertex ids ``0, 1, ...`` are handed out in order and never
    reused. The id space has a capacity; when it is full, :meth:`_grow`
    doubles it (or jumps straight to what a batch needs), padding the base's
    row pointer with empty rows, the block-matrix way: no stored value moves.
    Adding n vertices one at a time costs O(n) in total.

    **Thread safety.** One lock serializes every operation on a store, so
    threads may share it; operations do not run in parallel. A store is not
    process-safe. Exports never share a buffer that the store writes again.

    **Invariants** (checked by :meth:`_check`):

    * ``n_ids = len(labels) <= capacity``; ids ``>= n_ids`` are not alive.
    * the label index maps exactly the live labels to their ids.
    * the base is a CSR over ``capacity`` rows, indices sorted and unique
      within a row, all inside ``[0, n_ids)``, arrays read-only.
    * every base entry touching a removed vertex is marked dead; pending
      entries touch live vertices only; the pending index covers exactly
      the log's first ``_pend_n`` writes.
    * an undirected base is symmetric (pattern and values, dead marks too),
      and its pending keys are ordered ``i <= j``.
    * every stored value is finite and of the store's dtype.

    Examples
    --------
    >>> import graphstore as gs
    >>> g = gs.GraphStore()
    >>> g.add_vertices(["X", "Y", "Z"])
    array([0, 1, 2])
    >>> g.add_edge("X", "Y", weight=2.0)
    >>> g.add_edge("Z", "A")  # "A" is new: created, as networkx does
    >>> g.labels
    ['X', 'Y', 'Z', 'A']
    >>> print(g.adjacency().toarray())
    [[0. 2. 0. 0.]
     [2. 0. 0. 0.]
     [0. 0. 0. 1.]
     [0. 0. 1. 0.]]
    """

    #: capacity of a new store when none is given (tests set it small)
    INITIAL_CAPACITY = 16
    #: networkx dispatches functions called on a store to this backend
    __networkx_backend__ = "graphstore"
    # numpy defers ``ndarray @ g`` (and other operators) to GraphStore
    __array_ufunc__ = None

    def __init__(
        self,
        directed: bool = False,
        *,
        capacity: int | None = None,
        dtype=np.float64,
        edge_attrs=("weight",),
    ) -> None:
        if not isinstance(directed, (bool, np.bool_)):
            raise TypeError(f"directed must be a bool, got {directed!r}")
        cap = self.INITIAL_CAPACITY if capacity is None else check_count(capacity, "capacity")
        cap = max(cap, 1)
        dt = check_dtype(dtype)
        attrs = check_attrs(edge_attrs)
        self._lock = threading.Lock()  # serializes every operation
        # its bound methods: hot paths call them directly (30% cheaper than `with`)
        self._acquire, self._release = self._lock.acquire, self._lock.release
        self._directed = bool(directed)  # A[i, j] and A[j, i] independent
        self._dtype = dt  # dtype of every edge attribute
        self._attrs = attrs  # names of the edge attributes; "weight" among them
        self._w = attrs.index("weight")  # position of "weight" in _attrs
        self._multi = len(attrs) > 1  # pending values are tuples
        self._float = dt.kind == "f"  # a finite Python float is stored as is
        # missing-value marker in pending values: NaN for float stores
        # (NaN is never a valid value), None otherwise
        self._missing = math.nan if dt.kind == "f" else None
        # vertices
        self._capacity = cap  # room in the id space
        # label of each id ever handed out (len == n_ids); None marks an
        # implicit label, the id itself, which _index does not hold, so
        # add_vertices(count) costs 8 bytes a vertex, not a dict entry
        self._labels = []
        self._alive = bytearray(cap)  # 1 where the id is a live vertex
        self._index = {}  # live explicit label -> id
        self._n_live = 0  # live vertices
        self._default = True  # every live label equals its id
        self._n_grows = 0  # how many times _grow ran
        # edges: the CSR base over the id space, never written in place
        self._index_dtype = np.int32
        self._indptr = np.zeros(cap + 1, dtype=np.int64)
        self._indices = np.zeros(0, dtype=np.int32)
        self._vals = [np.zeros(0, dtype=dt) for _ in attrs]
        _freeze(self._indptr, self._indices, *self._vals)
        self._dead = None  # bool mask of base entries marked removed, or None
        self._n_dead = 0  # entries marked in _dead
        # edges: pending writes, in order: base < chunks < dict
        # add_edge appends to this log (ids, canonical i <= j if undirected,
        # and the value: a tuple if several attributes, NaN/None if not given)
        self._log_i, self._log_j, self._log_v = [], [], []
        self._pend = {}  # (i, j) -> resolved value of the log's first _pend_n writes
        self._pend_n = 0  # log entries folded into _pend (point queries fold lazily)
        self._chunks = []  # [(combine, rows, cols, vals, given)]; add_edges
        # caches, all invalidated by a change of _version or of the base
        self._version = 0  # bumped by every mutation
        self._qidx = None  # (i, j) -> base position, for point queries
        self._snap = {}  # (version, attr) -> read-only csr snapshot
        self._csc = None  # (version, csc of the base) for predecessors
        self._pos = None  # (version, row of each id) when ids have holes
        self._nx_cache = None  # (version, dict) behind __networkx_cache__

    # ------------------------------------------------------------------
    # properties
    @property
    def __networkx_cache__(self) -> dict:
        """The dict networkx caches conversions in; a fresh one after every change."""
        cache = self._nx_cache
        if cache is None or cache[0] != self._version:
            cache = self._nx_cache = (self._version, {})
        return cache[1]

    def is_directed(self) -> bool:
        """Whether the store is directed (networkx's graph protocol)."""
        return self._directed

    def is_multigraph(self) -> bool:
        """Always False: a pair of vertices holds at most one edge."""
        return False

    @property
    def directed(self) -> bool:
        """Whether the store is directed."""
        return self._directed

    @property
    def dtype(self) -> np.dtype:
        """The dtype of every edge attribute."""
        return self._dtype

    @property
    def edge_attrs(self) -> tuple:
        """The names of the numeric edge attributes."""
        return self._attrs

    @property
    def capacity(self) -> int:
        """Room in the id space before the next doubling; ``>= num_ids``."""
        return self._capacity

    @property
    def num_grows(self) -> int:
        """How many times the capacity has grown."""
        return self._n_grows

    @property
    def num_vertices(self) -> int:
        """The number of live vertices. O(1)."""
        return self._n_live

    @property
    def num_ids(self) -> int:
        """The number of vertex ids handed out, including removed ones. O(1)."""
        return len(self._labels)

    @property
    def nbytes(self) -> int:
        """Bytes held by the store's arrays (base CSR, vertex mask, pending chunks).

        Python objects (labels, the label dict, the pending log and index, the
        point-query hash) are not counted. O(1) plus the number of chunks.
        """
        with self._lock:
            total = self._indptr.nbytes + self._indices.nbytes + len(self._alive)
            total += sum(v.nbytes for v in self._vals)
            if self._dead is not None:
                total += self._dead.nbytes
            for _, r, c, vals, given in self._chunks:
                total += r.nbytes + c.nbytes + sum(v.nbytes for v in vals)
                total += sum(g.nbytes for g in given if g is not None)
            return total

    def __len__(self) -> int:
        return self._n_live

    def __contains__(self, label) -> bool:
        try:
            return self._find(label) >= 0
        except TypeError:
            return False

    def __iter__(self):
        return self._guard(self.labels)

    def __repr__(self) -> str:
        kind = "directed" if self._directed else "undirected"
        return (
            f"<GraphStore {kind}, {self.num_vertices} vertices, {self.num_edges} edges, "
            f"capacity {self._capacity}, dtype {self._dtype}>"
        )

    @property
    def shape(self) -> tuple:
        """``(n, n)`` for n live vertices: the shape of every export."""
        n = self._n_live
        return (n, n)

    @property
    def labels(self) -> list:
        """Live labels in insertion order: the row order of every export. O(n)."""
        with self._lock:
            return self._live_labels()

    def has_vertex(self, label) -> bool:
        """Whether `label` names a live vertex. O(1)."""
        return label in self

    def index(self, label) -> int:
        """The row of vertex `label` in every export. O(1), O(n) after a removal."""
        with self._lock:
            i = self._id(label)
            if self._n_live == len(self._labels):
                return i
            return int(self._positions()[i])

    def vertex_id(self, label) -> int:
        """The stable id of vertex `label`. O(1)."""
        with self._lock:
            return self._id(label)

    def label_of(self, vid: int):
        """The label of the live vertex with id `vid`. O(1)."""
        with self._lock:
            i = self._check_id(vid)
            lab = self._labels[i]
            return i if lab is None else lab

    # ------------------------------------------------------------------
    # internal helpers (callers hold the lock)
    def _find(self, label) -> int:
        """The id of live vertex `label`, or -1. Raises TypeError if unhashable."""
        i = self._index.get(label, -1)
        if i >= 0:
            return i
        # an implicit label is its id: int-like, in range, alive, not explicit
        if label.__class__ is int:
            k = label
        elif isinstance(label, (float, np.floating)):
            if not float(label).is_integer():
                return -1
            k = int(label)
        else:
            try:
                k = operator.index(label)
            except TypeError:
                return -1
        labels = self._labels
        if 0 <= k < len(labels) and labels[k] is None and self._alive[k]:
            return k
        return -1

    def _find2(self, u, v):
        """``(_find(u), _find(v))``, with the two common cases inlined.

        Point queries are dominated by interpreter overhead: an implicit label
        (an int id) costs one list check, an explicit one a dict lookup.
        """
        labels, alive = self._labels, self._alive
        n = len(labels)
        if u.__class__ is int and 0 <= u < n and labels[u] is None and alive[u]:
            i = u
        else:
            i = self._index.get(u, -1)
            if i < 0:
                i = self._find(u)
        if v.__class__ is int and 0 <= v < n and labels[v] is None and alive[v]:
            j = v
        else:
            j = self._index.get(v, -1)
            if j < 0:
                j = self._find(v)
        return i, j

    def _id(self, label) -> int:
        try:
            i = self._find(label)
        except TypeError:
            check_label(label)
            raise
        if i < 0:
            raise KeyError(f"vertex {label!r} is not in the store")
        return i

    def _live_labels(self) -> list:
        """Labels of the live vertices in id order. O(n)."""
        labels = self._labels
        if self._default and self._n_live == len(labels):
            return list(range(len(labels)))
        alive = self._alive_mask().tolist()
        return [k if lab is None else lab for k, (lab, a) in enumerate(zip(labels, alive, strict=False)) if a]

    def _check_id(self, vid) -> int:
        try:
            i = int(np.asarray(vid).item()) if not isinstance(vid, int) else vid
        except (TypeError, ValueError):
            raise TypeError(f"vertex id {vid!r} is not an integer") from None
        if isinstance(vid, (float, np.floating, bool, np.bool_)):
            raise TypeError(f"vertex id {vid!r} is not an integer")
        if not 0 <= i < len(self._labels):
            raise IndexError(f"vertex id {i} is out of range for {len(self._labels)} ids")
        if not self._alive[i]:
            raise KeyError(f"vertex id {i} was removed")
        return i

    def _alive_mask(self) -> np.ndarray:
        return np.frombuffer(self._alive, dtype=np.bool_)[: len(self._labels)]

    def _positions(self) -> np.ndarray:
        """Row of each id in exports (removed ids map to -1). O(n), cached."""
        if self._pos is None or self._pos[0] != self._version:
            alive = self._alive_mask()
            pos = np.cumsum(alive, dtype=np.int64) - 1
            pos[~alive] = -1
            self._pos = (self._version, pos)
        return self._pos[1]

    def _grow(self, needed: int) -> None:
        """Make room for `needed` ids: double the capacity, or jump to `needed`.

        The one place capacity changes. New buffers are allocated before the old
        ones are released, so a MemoryError leaves the store as it was. The base
        is padded with empty rows (its last row pointer repeated): O(capacity),
        amortized O(1) per vertex; no stored entry moves.
        """
        new_cap = max(2 * self._capacity, needed)
        alive = bytearray(new_cap)
        alive[: self._capacity] = self._alive
        indptr = np.empty(new_cap + 1, dtype=np.int64)
        indptr[: self._capacity + 1] = self._indptr
        indptr[self._capacity + 1 :] = self._indptr[-1]
        indices = self._indices
        if new_cap > _INT32_MAX and indices.dtype != np.int64:
            indices = indices.astype(np.int64)
        _freeze(indptr, indices)
        self._alive, self._indptr, self._indices = alive, indptr, indices
        self._index_dtype = indices.dtype
        self._capacity = new_cap
        self._n_grows += 1

    def _new_vertex(self, label) -> int:
        i = len(self._labels)
        if i >= self._capacity:
            self._grow(i + 1)
        self._labels.append(label)
        self._index[label] = i
        self._alive[i] = 1
        self._n_live += 1
        if self._default and label != i:
            self._default = False
        return i

    def _endpoint(self, label) -> int:
        """The id of `label`, creating the vertex if it is new (networkx semantics)."""
        try:
            i = self._find(label)
        except TypeError:
            check_label(label)
            raise
        return i if i >= 0 else self._new_vertex(check_label(label))

    def _guard(self, items):
        """Iterate `items`, raising RuntimeError if the store changes meanwhile."""
        version = self._version
        for x in items:
            if self._version != version:
                raise RuntimeError("GraphStore changed during iteration")
            yield x
        if self._version != version:
            raise RuntimeError("GraphStore changed during iteration")

    # ------------------------------------------------------------------
    # vertices
    def add_vertex(self, label=None) -> int:
        """Add a vertex and return its id. Amortized O(1).

        Parameters
        ----------
        label : hashable, optional
            Its label; by default its id.

        Raises
        ------
        ValueError
            If `label` already names a vertex, or is None-like and the id is taken
            as a label.
        TypeError
            If `label` is unhashable.

        Examples
        --------
        >>> g = gs.GraphStore()
        >>> g.add_vertex("a"), g.add_vertex()
        (0, 1)
        >>> g.labels
        ['a', 1]
        """
        self._acquire()  # the lock, without with-statement overhead (hot path)
        try:
            if label is None:
                label = len(self._labels)
                if self._default:  # implicit: no dict entry needed
                    if label >= self._capacity:
                        self._grow(label + 1)
                    self._labels.append(None)
                    self._alive[label] = 1
                    self._n_live += 1
                    self._version += 1
                    return label
            try:
                taken = label in self._index
            except TypeError:
                check_label(label)
                raise
            if not taken and label.__class__ is not str:
                taken = self._find(label) >= 0  # an implicit label: an int-like id
            if taken:
                raise ValueError(f"vertex {label!r} is already in the store")
            i = self._new_vertex(label)
            self._version += 1
            return i
        finally:
            self._release()

    def add_vertices(self, labels_or_count) -> np.ndarray:
        """Add several vertices (labels, or a count of default-labelled ones); return ids.

        Atomic: every label is checked before any vertex is added. The capacity
        grows at most once, straight to what is needed. O(k) amortized.

        Examples
        --------
        >>> g = gs.GraphStore()
        >>> g.add_vertices(3)
        array([0, 1, 2])
        >>> g.add_vertices(["x", "y"])
        array([3, 4])
        """
        with self._lock:
            start = len(self._labels)
            if isinstance(labels_or_count, (int, np.integer)) and not isinstance(
                labels_or_count, (bool, np.bool_)
            ):
                k = check_count(labels_or_count)
                labels = range(start, start + k)
            else:
                if isinstance(labels_or_count, (str, bytes)):
                    raise TypeError(
                        f"add_vertices takes an iterable of labels or a count, got {labels_or_count!r}"
                    )
                labels = list(labels_or_count)
                seen = set()
                for lab in labels:
                    check_label(lab)
                    if lab in seen or self._find(lab) >= 0:
                        raise ValueError(f"vertex {lab!r} is already in the store or repeated")
                    seen.add(lab)
                k = len(labels)
            # labels that are their ids (ints) are stored implicitly; they cannot
            # clash while every existing label is its id (all < start)
            implicit = self._default and (isinstance(labels, range) or all(
                lab.__class__ is int and lab == i for i, lab in enumerate(labels, start)
            ))
            if isinstance(labels, range) and not implicit and any(
                lab in self._index for lab in labels
            ):
                clash = next(lab for lab in labels if lab in self._index)
                raise ValueError(f"vertex {clash!r} is already in the store")
            if start + k > self._capacity:
                self._grow(start + k)
            if implicit:
                self._labels.extend(itertools.repeat(None, k))
            else:
                self._labels.extend(labels)
                self._index.update(zip(labels, range(start, start + k), strict=True))
            self._alive[start : start + k] = b"\x01" * k
            self._n_live += k
            if self._default and not isinstance(labels, range):
                self._default = all(lab == i for i, lab in enumerate(labels, start))
            if k:
                self._version += 1
            return np.arange(start, start + k)

    def remove_vertex(self, label) -> None:
        """Remove a vertex and its edges; other ids are unchanged. O(nnz).

        Examples
        --------
        >>> g = gs.GraphStore()
        >>> g.add_edge("a", "b"); g.add_edge("b", "c")
        >>> g.remove_vertex("b")
        >>> g.labels, g.num_edges
        (['a', 'c'], 0)
        """
        with self._lock:
            i = self._id(label)
            self._flush()
            indptr, indices = self._indptr, self._indices
            rows = np.repeat(np.arange(self._capacity), np.diff(indptr))
            touch = (rows == i) | (indices == i)
            if touch.any():
                self._kill(touch)
            self._index.pop(label, None)
            self._alive[i] = 0
            self._n_live -= 1
            self._version += 1

    def compact(self) -> np.ndarray:
        """Renumber the live vertices ``0..n-1`` in order; return old id -> new id.

        Removed ids map to -1. O(nnz + n).

        Examples
        --------
        >>> g = gs.GraphStore()
        >>> g.add_vertices(["a", "b", "c"])
        array([0, 1, 2])
        >>> g.remove_vertex("a")
        >>> g.compact()
        array([-1,  0,  1])
        >>> g.vertex_id("c")
        1
        """
        with self._lock:
            self._flush()
            pos = self._positions().copy()
            n = self._n_live
            if n == len(self._labels):
                return pos
            alive = self._alive_mask()
            counts = np.diff(self._indptr)[: len(self._labels)][alive]
            indptr = np.zeros(self._capacity + 1, dtype=np.int64)
            np.cumsum(counts, out=indptr[1 : n + 1])
            indptr[n + 1 :] = indptr[n]
            indices = pos[self._indices].astype(self._index_dtype)
            vals = list(self._vals)
            labels = self._live_labels()
            alive_new = bytearray(self._capacity)
            alive_new[:n] = b"\x01" * n
            self._set_base(indptr, indices, vals)
            self._labels = labels
            self._index = dict(zip(labels, range(n), strict=False))
            self._alive = alive_new
            self._default = all(lab == i for i, lab in enumerate(labels))
            self._version += 1
            return pos

    # ------------------------------------------------------------------
    # edges: writes
    def _values_tuple(self, weight, attrs):
        """Validate one edge's attributes into the pending log's value form."""
        for name in attrs:
            if name not in self._attrs or name == "weight":
                allowed = ", ".join(map(repr, self._attrs))
                raise ValueError(f"edge attribute {name!r} is not one of the store's: {allowed}")
        miss = self._missing
        out = []
        for name in self._attrs:
            v = weight if name == "weight" else attrs.get(name)
            out.append(miss if v is None else check_value(v, self._dtype, name))
        return out[0] if len(out) == 1 else tuple(out)

    def add_edge(self, u, v, weight=None, **attrs) -> None:
        """Add the edge u -> v (u - v if undirected), or update it. Amortized O(1).

        Missing endpoints are created, as networkx does. An attribute not given
        keeps its stored value on an existing edge and is 1 on a new one, so
        ``add_edge(u, v)`` is networkx's ``G.add_edge(u, v)``.

        Parameters
        ----------
        u, v : hashable
            Endpoint labels.
        weight : real number, optional
            The edge's weight; finite.
        **attrs
            Values of the store's other edge attributes.

        Raises
        ------
        ValueError
            NaN or infinite values, or an attribute the store does not have.
        TypeError
            Unhashable labels or non-numeric values.

        Examples
        --------
        >>> g = gs.GraphStore(edge_attrs=("weight", "capacity"))
        >>> g.add_edge("a", "b", weight=2.5, capacity=4)
        >>> g.add_edge("a", "b", capacity=5)  # the weight stays
        >>> g.weight("a", "b"), g.weight("a", "b", attr="capacity")
        (2.5, 5.0)
        """
        self._acquire()  # the lock, without with-statement overhead (hot path)
        try:
            if attrs or self._multi:
                value = self._values_tuple(weight, attrs)
            elif weight is None:
                value = self._missing
            elif type(weight) is float and self._float and weight - weight == 0.0:
                value = weight  # the common case: a finite Python float
            else:
                value = check_value(weight, self._dtype)
            index = self._index
            try:
                i = index[u]
                j = index[v]
            except (KeyError, TypeError):
                check_label(u)
                check_label(v)
                i = self._endpoint(u)
                j = self._endpoint(v)
            # _put, inlined: this is the per-call hot path
            if i > j and not self._directed:
                i, j = j, i
            self._log_i.append(i)
            self._log_j.append(j)
            self._log_v.append(value)
            self._version += 1
        finally:
            self._release()

    def _put(self, i: int, j: int, value) -> None:
        """Append one validated edge write to the pending log (caller holds the lock)."""
        if i > j and not self._directed:
            i, j = j, i
        self._log_i.append(i)
        self._log_j.append(j)
        self._log_v.append(value)
        self._version += 1

    def _sync_pend(self) -> dict:
        """Fold the log's newer writes into the pending index; returns it. O(new writes).

        A value not given keeps what an earlier pending write gave (networkx's
        attribute update), per attribute.
        """
        pend, miss = self._pend, self._missing
        log_i, log_j, log_v = self._log_i, self._log_j, self._log_v
        for k in range(self._pend_n, len(log_i)):
            key, value = (log_i[k], log_j[k]), log_v[k]
            if value.__class__ is tuple:
                old = pend.get(key)
                if old is not None:
                    value = tuple(o if _is_missing(x, miss) else x for x, o in zip(value, old, strict=False))
                pend[key] = value
            elif value is None or value != value:  # not given: keep what is pending
                pend.setdefault(key, value)
            else:
                pend[key] = value
        self._pend_n = len(log_i)
        return pend

    def add_edges_from(self, edges) -> None:
        """Add edges given as ``(u, v)``, ``(u, v, w)`` or ``(u, v, {attrs})`` tuples.

        networkx's ``add_edges_from``, but atomic: every edge is validated
        before any is added. O(k) amortized.

        Examples
        --------
        >>> g = gs.GraphStore()
        >>> g.add_edges_from([(0, 1), (1, 2, 3.0), (2, 0, {"weight": 0.5})])
        >>> g.num_edges, g.weight(1, 2)
        (3, 3.0)
        """
        with self._lock:
            parsed = []
            for e in edges:
                if not isinstance(e, (tuple, list)) or len(e) not in (2, 3):
                    raise ValueError(
                        f"edge {e!r} is not a (u, v), (u, v, w) or (u, v, dict) tuple"
                    )
                u, v = check_label(e[0]), check_label(e[1])
                data = {}
                if len(e) == 3:
                    data = dict(e[2]) if isinstance(e[2], dict) else {"weight": e[2]}
                w = data.pop("weight", None)
                if data or len(self._attrs) > 1:
                    value = self._values_tuple(w, data)
                else:
                    value = self._missing if w is None else check_value(w, self._dtype)
                parsed.append((u, v, value))
            for u, v, value in parsed:
                self._put(self._endpoint(u), self._endpoint(v), value)

    def _ids_of(self, labels, by: str, what: str):
        """Map an array of labels (or ids) to ids without changing anything.

        Returns ``(mapped, inv, keys, missing)``: the ids are ``mapped[inv]``
        (``mapped`` itself when `inv` is None); ``keys[k]`` for k in `missing`
        are labels not in the store yet (mapped to -1).
        """
        if by == "id":
            ids = check_id_array(labels, what)
            n_ids = len(self._labels)
            if len(ids):
                lo, hi = ids.min(), ids.max()
                if lo < 0 or hi >= n_ids:
                    bad = lo if lo < 0 else hi
                    raise IndexError(f"vertex id {bad} in {what} is out of range for {n_ids} ids")
                if self._n_live != n_ids:
                    ok = self._alive_mask()[ids]
                    if not ok.all():
                        raise KeyError(f"vertex id {ids[~ok][0]} in {what} was removed")
            return ids, None, None, []
        arr = labels if isinstance(labels, np.ndarray) else _label_array(labels)
        if arr.ndim != 1:
            raise ValueError(f"{what} must be 1-D, got an array of shape {arr.shape}")
        n_ids = len(self._labels)
        if self._default and arr.dtype.kind in "iu":
            # labels are ids: no lookup, when every one names a live vertex
            ids = arr.astype(np.intp, copy=False)
            if len(ids) == 0:
                return ids, None, None, []
            lo, hi = ids.min(), ids.max()
            if lo >= 0 and hi < n_ids and (
                self._n_live == n_ids or self._alive_mask()[ids].all()
            ):
                return ids, None, None, []
        # general path: one dict lookup per distinct label
        try:
            uniq, inv = np.unique(arr, return_inverse=True)
            keys = uniq.tolist()
        except TypeError:  # labels of mixed types do not sort
            keys = arr.tolist()
            inv = np.arange(len(keys))
        mapped = np.empty(len(keys), dtype=np.intp)
        missing = []
        for k, lab in enumerate(keys):
            i = self._find(check_label(lab))
            mapped[k] = i
            if i < 0:
                missing.append(k)
        return mapped, inv, keys, missing

    def add_edges(
        self,
        src,
        dst,
        weight=None,
        *,
        combine: str = "last",
        by: str = "label",
        **attrs,
    ) -> None:
        """Add a batch of edges from arrays: the fast path, no Python loop per edge.

        Parameters
        ----------
        src, dst : array_like, 1-D
            Endpoint labels (``by="label"``) or vertex ids (``by="id"``). While the
            store's labels are its ids, integer label arrays are used as ids
            directly. Missing labels are created in order of first appearance
            (``src[0], dst[0], src[1], ...``), as networkx does.
        weight : scalar or array_like, optional
            Weights; not given keeps existing weights (1 for new edges).
        combine : {"last", "sum", "min", "max"}
            How duplicates within the batch, and against stored edges, combine.
        by : {"label", "id"}
            What `src` and `dst` hold. Ids must be integers: a float id array
            is a TypeError, never truncated; a negative id is an IndexError.
        **attrs : scalar or array_like
            The store's other edge attributes.

        Notes
        -----
        Atomic: everything is validated before anything changes, and the
        capacity grows at most once, straight to what the batch needs. O(k)
        now, plus the merge at the next read (a counting sort; a stable sort
        when a pair repeats).

        Examples
        --------
        >>> g = gs.GraphStore(directed=True)
        >>> g.add_vertices(4)
        array([0, 1, 2, 3])
        >>> g.add_edges(np.array([0, 1, 1]), np.array([1, 2, 2]), [1.0, 2.0, 3.0], combine="sum")
        >>> g.weight(1, 2)
        5.0
        """
        check_choice("combine", combine, COMBINE)
        check_choice("by", by, ("label", "id"))
        for name in attrs:
            if name not in self._attrs or name == "weight":
                allowed = ", ".join(map(repr, self._attrs))
                raise ValueError(f"edge attribute {name!r} is not one of the store's: {allowed}")
        with self._lock:
            s = self._ids_of(src, by, "src")
            d = self._ids_of(dst, by, "dst")
            ks = len(s[0]) if s[1] is None else len(s[1])
            kd = len(d[0]) if d[1] is None else len(d[1])
            if ks != kd:
                raise ValueError(f"src has {ks} entries but dst has {kd}")
            k = ks
            given = {"weight": weight, **attrs}
            vals, gmask = [], []
            for name in self._attrs:
                x = given.get(name)
                if x is None:
                    vals.append(np.zeros(k, dtype=self._dtype))
                    gmask.append(np.zeros(k, dtype=bool))
                else:
                    vals.append(check_value_array(x, k, self._dtype, name))
                    gmask.append(None)
            # everything is valid: create missing endpoints, then record the chunk
            self._create_missing(s, d)
            src_ids, dst_ids = self._resolve(s), self._resolve(d)
            # our own copies (the caller may reuse its arrays), in the base's
            # index dtype: pending chunks cost 8 bytes an edge for ids
            it = self._index_dtype
            if not self._directed:
                src_ids, dst_ids = np.minimum(src_ids, dst_ids), np.maximum(src_ids, dst_ids)
                src_ids, dst_ids = src_ids.astype(it), dst_ids.astype(it)
            else:
                src_ids, dst_ids = src_ids.astype(it), dst_ids.astype(it)
            if k:
                self._push_log()
                self._chunks.append((combine, src_ids, dst_ids, vals, gmask))
                self._version += 1

    def _create_missing(self, s, d) -> None:
        """Create the labels :meth:`_ids_of` found missing, in interleaved first-seen order."""
        firsts = {}
        for tag, (_, inv, keys, missing) in enumerate((s, d)):
            if not missing:
                continue
            miss = np.zeros(len(keys), dtype=bool)
            miss[missing] = True
            where = np.flatnonzero(miss[inv])
            codes = inv[where]
            _, first = np.unique(codes, return_index=True)
            for p in where[first].tolist():
                key = keys[inv[p]]
                firsts[key] = min(firsts.get(key, 2 * p + tag), 2 * p + tag)
        need = len(self._labels) + len(firsts)
        if need > self._capacity:
            self._grow(need)
        for key in sorted(firsts, key=firsts.__getitem__):
            self._new_vertex(key)

    def _resolve(self, part) -> np.ndarray:
        mapped, inv, keys, missing = part
        if inv is None:
            return mapped
        for k in missing:
            mapped[k] = self._find(keys[k])
        return mapped[inv]

    def _push_log(self) -> None:
        """Turn the pending log into a "last" chunk, keeping the write order.

        Repeated pairs resolve at the merge: the last given value wins, per
        attribute, which is what :meth:`_sync_pend` computes for queries.
        """
        if not self._log_i:
            return
        rows = np.array(self._log_i, dtype=np.intp)
        cols = np.array(self._log_j, dtype=np.intp)
        raw = self._log_v
        columns = [raw] if len(self._attrs) == 1 else [list(c) for c in zip(*raw, strict=False)]
        vals, given = [], []
        for col in columns:
            if self._dtype.kind == "f":
                v = np.array(col, dtype=np.float64)
                g = ~np.isnan(v)
                v = v.astype(self._dtype)
            else:
                g = np.array([x is not None for x in col], dtype=bool)
                v = np.array([0 if x is None else x for x in col], dtype=self._dtype)
            vals.append(v)
            given.append(None if g.all() else g)
        self._chunks.append(("last", rows, cols, vals, given))
        self._log_i, self._log_j, self._log_v = [], [], []
        self._pend, self._pend_n = {}, 0

    def _set_base(self, indptr, indices, vals) -> None:
        _freeze(indptr, indices, *vals)
        self._indptr, self._indices, self._vals = indptr, indices, vals
        self._dead, self._n_dead = None, 0
        self._qidx = None
        self._csc = None

    def _flush(self) -> None:
        """Merge pending writes and dead marks into the base. O(nnz + pending).

        Pending chunks merge run by run (see :func:`_run_key`); the new base
        replaces the old one only once every run has merged, so an exception
        (a MemoryError) leaves the store as it was.
        """
        if not self._log_i and not self._chunks and not self._n_dead:
            return
        indptr, indices, vals = self._indptr, self._indices, self._vals
        if self._n_dead:
            indptr, indices, vals = _merge.purge(indptr, indices, vals, self._dead)
        self._push_log()
        chunks = self._chunks
        pending_bytes = sum(c[1].nbytes + c[2].nbytes + sum(v.nbytes for v in c[3])
                            for c in chunks)
        start = 0
        while start < len(chunks):
            key = _run_key(chunks[start])
            stop = start
            while stop < len(chunks) and _run_key(chunks[stop]) == key:
                stop += 1
            indptr, indices, vals = self._merge_run(indptr, indices, vals, chunks[start:stop])
            start = stop
        del chunks
        self._chunks = []
        self._set_base(indptr, indices, vals)
        if pending_bytes > _TRIM_BYTES:
            _release_freed_memory()

    def _merge_run(self, indptr, indices, vals, run):
        """Merge chunks that share one combine mode (and given attributes) into a base."""
        mode = run[0][0]
        rows = np.concatenate([c[1] for c in run])
        cols = np.concatenate([c[2] for c in run])
        dvals, dgiven = [], []
        for a in range(len(self._attrs)):
            dvals.append(np.concatenate([c[3][a] for c in run]))
            if all(c[4][a] is None for c in run):
                dgiven.append(None)
            else:
                dgiven.append(np.concatenate([
                    np.ones(len(c[1]), bool) if c[4][a] is None else c[4][a] for c in run
                ]))
        delta = _merge.canonical_delta(
            rows, cols, dvals, dgiven, mode, self._capacity, symmetric=not self._directed
        )
        del rows, cols, dvals, dgiven
        return _merge.merge(indptr, indices, vals, delta, mode, self._index_dtype)

    def _kill(self, mask) -> None:
        """Mark base entries dead (removed at the next flush)."""
        dead = mask if self._dead is None else (self._dead | mask)
        self._dead = dead
        self._n_dead = int(dead.sum())
        self._qidx = None

    def remove_edge(self, u, v) -> None:
        """Remove the edge u -> v (u - v if undirected). O(log deg), O(nnz) merges later.

        Raises
        ------
        KeyError
            If a vertex or the edge is not in the store.

        Examples
        --------
        >>> g = gs.GraphStore()
        >>> g.add_edge(0, 1)
        >>> g.remove_edge(1, 0)
        >>> g.has_edge(0, 1)
        False
        """
        self.remove_edges([u], [v])

    def remove_edges(self, src, dst, *, by: str = "label") -> None:
        """Remove a batch of edges; atomic: all must exist. O(nnz + k log degree).

        Examples
        --------
        >>> g = gs.GraphStore()
        >>> g.add_edges_from([(0, 1), (1, 2), (2, 3)])
        >>> g.remove_edges([0, 2], [1, 3])
        >>> g.num_edges
        1
        """
        check_choice("by", by, ("label", "id"))
        with self._lock:
            if by == "label":
                src, dst = list(src), list(dst)
                if len(src) != len(dst):
                    raise ValueError(f"src has {len(src)} entries but dst has {len(dst)}")
                s = np.array([self._id(x) for x in src], dtype=np.intp)
                d = np.array([self._id(x) for x in dst], dtype=np.intp)
            else:
                s = self._ids_of(src, "id", "src")[0]
                d = self._ids_of(dst, "id", "dst")[0]
                if len(s) != len(d):
                    raise ValueError(f"src has {len(s)} entries but dst has {len(d)}")
            self._flush()
            indptr, indices = self._indptr, self._indices
            pairs = [(s, d)] if self._directed else [(s, d), (d, s)]
            mask = np.zeros(len(indices), dtype=bool)
            for rows, cols in pairs:
                pos, ok = _merge.find(indptr, indices, rows, cols)
                if not ok.all():
                    k = int(np.flatnonzero(~ok)[0])
                    a, b = self._label_list([s[k], d[k]])
                    raise KeyError(f"edge ({a!r}, {b!r}) is not in the store")
                mask[pos] = True
            if len(s):
                self._kill(mask)
                self._version += 1

    # ------------------------------------------------------------------
    # edges: queries
    def _build_qidx(self) -> dict:
        """Hash of the live base entries for point queries: O(nnz) once per base."""
        indptr, indices = self._indptr, self._indices
        rows = np.repeat(np.arange(self._capacity, dtype=np.intp), np.diff(indptr))
        pos = np.arange(len(indices))
        keep = np.ones(len(indices), dtype=bool) if self._dead is None else ~self._dead
        if not self._directed:
            keep &= rows <= indices
        r, c, p = rows[keep].tolist(), indices[keep].tolist(), pos[keep].tolist()
        self._qidx = dict(zip(zip(r, c, strict=False), p, strict=False))
        return self._qidx

    def has_edge(self, u, v) -> bool:
        """Whether the edge u -> v (u - v if undirected) exists. O(1) expected.

        Examples
        --------
        >>> g = gs.GraphStore(directed=True)
        >>> g.add_edge("a", "b")
        >>> g.has_edge("a", "b"), g.has_edge("b", "a"), g.has_edge("a", "zz")
        (True, False, False)
        """
        self._acquire()  # the lock, without with-statement overhead (hot path)
        try:
            try:
                i, j = self._find2(u, v)
            except TypeError:  # unhashable: not a vertex
                return False
            if i < 0 or j < 0:
                return False
            key = (j, i) if i > j and not self._directed else (i, j)
            if self._log_i:
                pend = self._pend if self._pend_n == len(self._log_i) else self._sync_pend()
                if key in pend:
                    return True
            if self._chunks:
                self._flush()
            qidx = self._qidx
            if qidx is None:
                qidx = self._build_qidx()
            return key in qidx
        finally:
            self._release()

    def weight(self, u, v, default=None, *, attr: str = "weight"):
        """The weight (or attribute `attr`) of edge u -> v. O(1) expected.

        Returns `default` if the edge does not exist and a default is given;
        raises KeyError otherwise.

        Examples
        --------
        >>> g = gs.GraphStore()
        >>> g.add_edge("a", "b", weight=0.5)
        >>> g.weight("b", "a"), g.weight("a", "c", default=0.0)
        (0.5, 0.0)
        """
        self._acquire()  # the lock, without with-statement overhead (hot path)
        try:
            a = self._w if attr == "weight" else self._attr_number(attr)
            try:
                i, j = self._find2(u, v)
            except TypeError:
                i = j = -1
            if i >= 0 and j >= 0:
                if i > j and not self._directed:
                    i, j = j, i
                key = (i, j)
                x = _ABSENT
                if self._log_i:
                    pend = self._pend if self._pend_n == len(self._log_i) else self._sync_pend()
                    x = pend.get(key, _ABSENT)
                if x is not _ABSENT:
                    y = x[a] if x.__class__ is tuple else x
                    if not (y is None or y != y):  # given, not the missing marker
                        return y
                if self._chunks:
                    self._flush()
                qidx = self._qidx
                if qidx is None:
                    qidx = self._build_qidx()
                pos = qidx.get(key)
                if pos is not None:
                    return self._vals[a].item(pos)
                if x is not _ABSENT:  # a new edge whose value was not given
                    return self._dtype.type(_merge.DEFAULT).item()
            if default is not None:
                return default
            raise KeyError(f"edge ({u!r}, {v!r}) is not in the store")
        finally:
            self._release()

    def _attr_number(self, attr: str) -> int:
        try:
            return self._attrs.index(attr)
        except ValueError:
            allowed = ", ".join(map(repr, self._attrs))
            raise ValueError(f"attr={attr!r} is not one of the store's: {allowed}") from None

    @property
    def num_edges(self) -> int:
        """The number of edges (an undirected edge counts once). O(1) after a merge."""
        with self._lock:
            self._flush()
            nnz = len(self._indices)
            if self._directed:
                return nnz
            return (nnz + self._n_loops()) // 2

    def _n_loops(self) -> int:
        rows = np.repeat(np.arange(self._capacity, dtype=np.intp), np.diff(self._indptr))
        return int(np.count_nonzero(rows == self._indices))

    @property
    def nnz(self) -> int:
        """The number of stored entries of the adjacency (2 per undirected non-loop edge)."""
        with self._lock:
            self._flush()
            return len(self._indices)

    def _label_list(self, ids) -> list:
        """The labels of the vertex ids `ids` (an array or a list)."""
        ids = ids.tolist() if isinstance(ids, np.ndarray) else [int(i) for i in ids]
        if self._default:
            return ids
        lab = self._labels
        return [i if lab[i] is None else lab[i] for i in ids]

    def neighbors(self, u):
        """Iterate over the neighbors of `u` (successors if directed), in row order.

        Changing the store during the iteration raises RuntimeError.

        Examples
        --------
        >>> g = gs.GraphStore()
        >>> g.add_edges_from([("a", "b"), ("a", "c")])
        >>> list(g.neighbors("a"))
        ['b', 'c']
        """
        self._acquire()  # the lock, without with-statement overhead (hot path)
        try:
            i = self._find2(u, u)[0]
            if i < 0:
                i = self._id(u)  # raises the KeyError (or TypeError) naming u
            self._flush()
            indptr = self._indptr
            row = self._indices[indptr.item(i) : indptr.item(i + 1)]
            return self._guard(self._label_list(row))
        finally:
            self._release()

    successors = neighbors

    def predecessors(self, u):
        """Iterate over the vertices with an edge to `u` (directed stores).

        Examples
        --------
        >>> g = gs.GraphStore(directed=True)
        >>> g.add_edges_from([("a", "c"), ("b", "c")])
        >>> list(g.predecessors("c"))
        ['a', 'b']
        """
        if not self._directed:
            raise TypeError("predecessors is for directed stores; use neighbors")
        with self._lock:
            i = self._id(u)
            self._flush()
            csc = self._base_csc()
            col = csc.indices[csc.indptr[i] : csc.indptr[i + 1]]
            return self._guard(self._label_list(col))

    def _base_csc(self):
        if self._csc is None or self._csc[0] is not self._indptr or self._csc[1] is not self._indices:
            A = sp.csr_array(
                (np.ones(len(self._indices), np.int8), self._indices, self._indptr),
                shape=(self._capacity, self._capacity),
            )
            self._csc = (self._indptr, self._indices, A.tocsc())
        return self._csc[2]

    def degree(self, u=None, *, weight: str | None = None, direction: str = "all"):
        """Degree of vertex `u`, or of every vertex as an array in row order.

        networkx's degree: a self-loop counts twice (once as each end); with
        `weight` (an attribute name) the degree sums it. For directed stores
        `direction` is ``"out"``, ``"in"`` or ``"all"`` (their sum).

        Examples
        --------
        >>> g = gs.GraphStore()
        >>> g.add_edges_from([("a", "b", 2.0), ("b", "b", 1.0)])
        >>> g.degree("b"), g.degree("b", weight="weight")
        (3, 4.0)
        >>> g.degree()
        array([1, 3])
        """
        check_choice("direction", direction, ("all", "out", "in"))
        with self._lock:
            a = None if weight is None else self._attr_number(weight)
            i = None if u is None else self._id(u)
            self._flush()
            deg = self._degrees(a, direction)
            if i is not None:
                return deg[i].item()
            if self._n_live == len(self._labels):
                return deg[: len(self._labels)]
            return deg[: len(self._labels)][self._alive_mask()]

    def _degrees(self, a, direction):
        cap = self._capacity
        indptr, indices = self._indptr, self._indices
        rows = np.repeat(np.arange(cap, dtype=np.intp), np.diff(indptr))
        w = None if a is None else self._vals[a]
        out = np.diff(indptr) if w is None else np.bincount(rows, weights=w, minlength=cap)
        if not self._directed:
            loops = rows == indices
            extra = np.bincount(rows[loops], weights=None if w is None else w[loops],
                                minlength=cap)
            deg = out + extra
        else:
            inn = np.bincount(indices, weights=w, minlength=cap)
            deg = {"out": out, "in": inn, "all": out + inn}[direction]
        if w is None:
            return deg.astype(np.int64)
        return deg.astype(np.result_type(self._dtype, np.float64) if self._dtype.kind == "f"
                          else self._dtype)

    def edges(self, data=False, default=None):
        """Iterate over edges ``(u, v)`` in row-major order (``u <= v`` by row if undirected).

        Parameters
        ----------
        data : bool or str
            False: ``(u, v)``; True: ``(u, v, {attr: value})``; an attribute
            name: ``(u, v, value)``.

        Examples
        --------
        >>> g = gs.GraphStore()
        >>> g.add_edges_from([("a", "b", 2.0), ("b", "c", 1.0)])
        >>> list(g.edges(data="weight"))
        [('a', 'b', 2.0), ('b', 'c', 1.0)]
        """
        with self._lock:
            if isinstance(data, str):
                a = self._attr_number(data)
            self._flush()
            rows, cols, keep = self._edge_arrays()
            u = self._label_list(rows[keep])
            v = self._label_list(cols[keep])
            if data is False:
                items = list(zip(u, v, strict=False))
            elif data is True:
                cols_vals = [x[keep].tolist() for x in self._vals]
                items = [
                    (a_, b_, dict(zip(self._attrs, vs, strict=False)))
                    for a_, b_, vs in zip(u, v, zip(*cols_vals, strict=False), strict=False)
                ]
            else:
                items = list(zip(u, v, self._vals[a][keep].tolist(), strict=False))
            return self._guard(items)

    def _edge_arrays(self):
        """Rows, columns (ids) of the base and the mask of entries that are edges."""
        rows = np.repeat(np.arange(self._capacity, dtype=np.intp), np.diff(self._indptr))
        cols = self._indices.astype(np.intp)
        keep = np.ones(len(cols), dtype=bool) if self._directed else rows <= cols
        return rows, cols, keep

    # ------------------------------------------------------------------
    # exports
    def _snapshot(self, a: int):
        """The read-only CSR of attribute `a` over live vertices, cached. O(nnz) once."""
        key = a
        hit = self._snap.get(key)
        if hit is not None and hit[0] == self._version:
            return hit[1]
        self._flush()
        n_ids, n = len(self._labels), self._n_live
        indptr, indices, vals = self._indptr[: n_ids + 1], self._indices, self._vals[a]
        if n != n_ids:
            alive = self._alive_mask()
            counts = np.diff(indptr)[alive]
            indptr = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(counts, out=indptr[1:])
            indices = self._positions()[indices].astype(self._index_dtype)
            _freeze(indptr, indices)
        # one index dtype for both, or scipy would cast `indices` (a copy of nnz)
        it = np.int32 if len(indices) <= _INT32_MAX and indices.dtype == np.int32 else np.int64
        indptr, indices = indptr.astype(it, copy=False), indices.astype(it, copy=False)
        A = sp.csr_array((vals, indices, indptr), shape=(n, n), copy=False)
        A.has_canonical_format = True
        # scipy may hand back new views or index casts of our arrays: freeze those too
        _freeze(A.data, A.indices, A.indptr)
        self._snap = {k: v for k, v in self._snap.items() if v[0] == self._version}
        self._snap[key] = (self._version, A)
        return A

    def adjacency(self, format: str = "csr", attr: str = "weight", dtype=None, *, copy=False):
        """The n x n adjacency as a scipy sparse array, rows in :attr:`labels` order.

        ``A[i, j]`` is attribute `attr` of the edge from row i to row j. Stored
        zeros are edges and stay stored.

        Parameters
        ----------
        format : {"csr", "csc", "coo", "lil", "dok"}
        attr : str
            Which edge attribute fills the matrix.
        dtype : numpy dtype, optional
            Cast the values.
        copy : bool, default False
            The csr result of an unchanged store is one cached, read-only
            array, returned in O(1). ``copy=True`` gives a writable copy;
            other formats and dtypes are always new arrays.

        Examples
        --------
        >>> g = gs.GraphStore(directed=True)
        >>> g.add_edge("a", "b", weight=3.0)
        >>> A = g.adjacency()
        >>> A.shape, A[0, 1], g.adjacency() is A
        ((2, 2), np.float64(3.0), True)
        """
        check_choice("format", format, FORMATS)
        with self._lock:
            A = self._snapshot(self._attr_number(attr))
        if dtype is not None and np.dtype(dtype) != A.dtype:
            A = A.astype(dtype)
            copy = False
        if format == "csr":
            return A.copy() if copy else A
        return A.asformat(format, copy=True)

    # ------------------------------------------------------------------
    # operators: pure functions of the cached snapshot (graphstore.operators)
    def _operand(self, weight):
        """The snapshot to build an operator from, and whether it is weighted."""
        attr = "weight" if weight is None else weight
        return self.adjacency(attr=attr), weight is not None

    def laplacian(self, kind: str = "combinatorial", *, degree: str = "out",
                  weight: str | None = "weight", form: str = "array"):
        """The graph Laplacian ``L = D - A`` or a normalization of it.

        See :func:`graphstore.operators.laplacian`; `weight` names the edge
        attribute to use (None: every edge counts 1).

        Examples
        --------
        >>> g = gs.GraphStore()
        >>> g.add_edges_from([(0, 1, 2.0), (1, 2, 1.0)])
        >>> g.laplacian().toarray()
        array([[ 2., -2.,  0.],
               [-2.,  3., -1.],
               [ 0., -1.,  1.]])
        """
        from .operators import laplacian

        A, weighted = self._operand(weight)
        return laplacian(A, kind=kind, degree=degree, weight=weighted, form=form)

    def directed_laplacian(self, walk: str = "random", *, alpha: float = 0.95,
                           kind: str = "normalized", weight: str | None = "weight", **kwargs):
        """Chung's directed Laplacian; see :func:`graphstore.operators.directed_laplacian`."""
        from .operators import directed_laplacian

        A, weighted = self._operand(weight)
        if not weighted:
            A = A.astype(np.float64)
            A.data[:] = 1.0
        return directed_laplacian(A, walk=walk, alpha=alpha, kind=kind, **kwargs)

    def incidence(self, oriented: bool = True, *, weight: str | None = None):
        """The n x m incidence matrix, columns in :meth:`edges` order.

        See :func:`graphstore.operators.incidence` (networkx's ``incidence_matrix``).

        Examples
        --------
        >>> g = gs.GraphStore()
        >>> g.add_edges_from([("a", "b"), ("b", "c")])
        >>> g.incidence().toarray()
        array([[-1.,  0.],
               [ 1., -1.],
               [ 0.,  1.]])
        """
        from .operators import incidence

        A, weighted = self._operand(weight)
        return incidence(A, directed=self._directed, oriented=oriented, weight=weighted)

    def difference_operator(self, order: int = 1, *, weight: str | None = None):
        """The graph trend-filtering operator D(order); see :func:`graphstore.operators.difference_operator`."""
        from .operators import difference_operator

        A, weighted = self._operand(weight)
        return difference_operator(A, order, directed=self._directed, weight=weighted)

    def transition_matrix(self, kind: str = "row", *, weight: str | None = "weight"):
        """The random-walk matrix ``D^-1 A`` (``kind="row"``) or ``A D^-1`` (``"column"``).

        Examples
        --------
        >>> g = gs.GraphStore(directed=True)
        >>> g.add_edges_from([(0, 1, 1.0), (0, 2, 3.0)])
        >>> g.transition_matrix().toarray()
        array([[0.  , 0.25, 0.75],
               [0.  , 0.  , 0.  ],
               [0.  , 0.  , 0.  ]])
        """
        from .operators import transition_matrix

        A, weighted = self._operand(weight)
        if not weighted:
            A = A.astype(np.float64)
            A.data[:] = 1.0
        return transition_matrix(A, kind=kind)

    def norm(self, ord="fro", *, attr: str = "weight") -> float:
        """A matrix norm of the adjacency from the stored values, never densified.

        `ord` is ``"fro"``, ``1`` (max column sum), ``np.inf`` (max row sum),
        ``-1`` or ``-np.inf``, as :func:`scipy.sparse.linalg.norm`.

        Examples
        --------
        >>> g = gs.GraphStore()
        >>> g.add_edge(0, 1, weight=3.0)
        >>> g.norm(), g.norm(1)
        (4.242640687119285, 3.0)
        """
        import scipy.sparse.linalg as spla

        allowed = ("fro", 1, -1, np.inf, -np.inf)
        if not any(ord is a or (not isinstance(ord, str) and ord == a) for a in allowed) or (
            isinstance(ord, str) and ord != "fro"
        ):
            raise ValueError(f"ord={ord!r} is not one of 'fro', 1, -1, inf, -inf")
        A = self.adjacency(attr=attr)
        if A.shape[0] == 0:
            return 0.0
        return float(spla.norm(A, ord))

    def aslinearoperator(self, *, attr: str = "weight"):
        """The adjacency as a :class:`scipy.sparse.linalg.LinearOperator` (for eigsh, cg, ...)."""
        import scipy.sparse.linalg as spla

        return spla.aslinearoperator(self.adjacency(attr=attr))

    def __matmul__(self, x):
        """``g @ x``: the adjacency times `x`, with numpy's matmul shape rules."""
        return self._matmul(x, left=True)

    def __rmatmul__(self, x):
        """``x @ g``: `x` times the adjacency, with numpy's matmul shape rules."""
        return self._matmul(x, left=False)

    def _matmul(self, x, left: bool):
        if isinstance(x, GraphStore):
            return NotImplemented
        A = self.adjacency()
        n = A.shape[0]
        if not sp.issparse(x):
            x = np.asarray(x)
            if x.dtype.kind not in "biufc":
                raise TypeError(f"cannot multiply a GraphStore by an array of dtype {x.dtype}")
        if x.ndim not in (1, 2):
            raise ValueError(
                f"matmul: operand of shape {x.shape} must be 1-D or 2-D for a store of shape {A.shape}"
            )
        k = x.shape[0] if left else x.shape[-1]
        if k != n:
            shapes = f"{A.shape} @ {x.shape}" if left else f"{x.shape} @ {A.shape}"
            raise ValueError(f"matmul: shapes {shapes} do not align ({n} != {k})")
        return A @ x if left else x @ A

    @classmethod
    def from_pairwise(cls, values, f, *, threshold=None, k=None, block: int = 1024,
                      directed: bool = False, self_loops: bool = False,
                      labels=None) -> GraphStore:
        """An epsilon- or k-nearest-neighbour graph of `values` under distance `f`.

        Evaluates ``f`` block by block with :func:`graphstore.operators.pairwise`,
        so memory stays O(block x n), never n x n. Exactly one of `threshold`
        (an edge where ``f(a, b) <= threshold``) and `k` (each vertex's `k`
        smallest, ties broken by index) is given; the edge weight is the value
        of `f`. Undirected k-NN graphs keep an edge chosen by either end.

        Examples
        --------
        >>> x = np.array([0.0, 1.0, 3.0, 3.5])
        >>> g = gs.GraphStore.from_pairwise(x, lambda a, b: np.abs(a - b), threshold=1.0)
        >>> sorted(g.edges(data="weight"))
        [(0, 1, 1.0), (2, 3, 0.5)]
        """
        from .operators import pairwise

        if (threshold is None) == (k is None):
            raise ValueError("give exactly one of threshold= and k=")
        values = np.asarray(values)
        if values.ndim not in (1, 2):
            raise ValueError(f"values must be (n,) or (n, d), got shape {values.shape}")
        n = len(values)
        block = check_count(block, "block")
        if block == 0:
            raise ValueError("block must be positive")
        if k is not None:
            k = check_count(k, "k")
            if k > n - (0 if self_loops else 1):
                raise ValueError(f"k={k} exceeds the {n - (0 if self_loops else 1)} candidates")
        g = cls(directed, capacity=max(n, 1))
        g.add_vertices(n if labels is None else labels)
        for lo in range(0, n, block):
            hi = min(lo + block, n)
            D = np.asarray(pairwise(f, values[lo:hi], values), dtype=np.float64)
            rows = np.arange(lo, hi)
            if not self_loops:
                D[np.arange(hi - lo), rows] = np.inf
            if threshold is not None:
                r, c = np.nonzero(D <= threshold)
            else:
                c = np.argsort(D, axis=1, kind="stable")[:, :k]
                r = np.repeat(np.arange(hi - lo), k)
                c = c.ravel()
            g.add_edges(r + lo, c, D[r, c], by="id", combine="min")
        return g

    # ------------------------------------------------------------------
    def _check(self) -> None:
        """Raise AssertionError unless every invariant of the class docstring holds. O(nnz + n).

        Tests call it after every operation; :func:`load` calls it on what it read.
        """
        with self._lock:
            n_ids, cap = len(self._labels), self._capacity
            # n_ids <= capacity; buffers sized to the capacity; ids past n_ids dead
            _require(n_ids <= cap and len(self._alive) == cap and len(self._indptr) == cap + 1)
            _require(not any(self._alive[n_ids:]))
            # the label index maps exactly the live labels to their ids
            alive = self._alive_mask()
            _require(int(alive.sum()) == self._n_live)
            for lab, i in self._index.items():
                _require(alive[i] and self._labels[i] == lab)
            implicit = [k for k, lab in enumerate(self._labels) if lab is None and alive[k]]
            _require(len(implicit) + len(self._index) == self._n_live)
            for k in implicit:  # an implicit label is not also someone's explicit label
                _require(k not in self._index)
            # default flag: every live label equals its id
            if self._default:
                _require(all(lab == i for lab, i in self._index.items()))
            # base: CSR over capacity rows, sorted unique indices in [0, n_ids), read-only
            indptr, indices = self._indptr, self._indices
            _require(indptr[0] == 0 and indptr[-1] == len(indices))
            _require(np.all(np.diff(indptr) >= 0))
            _require(indptr[n_ids] == len(indices))
            _require(not indptr.flags.writeable and not indices.flags.writeable)
            _require(indices.dtype == self._index_dtype)
            rows = np.repeat(np.arange(cap, dtype=np.int64), np.diff(indptr))
            if len(indices):
                _require(indices.min() >= 0 and indices.max() < n_ids)
                key = rows * cap + indices
                _require(np.all(np.diff(key) > 0), "base indices not sorted/unique")
            for v in self._vals:
                _require(len(v) == len(indices) and v.dtype == self._dtype)
                _require(not v.flags.writeable)
                if v.dtype.kind == "f":
                    _require(np.isfinite(v).all())
            # dead marks: count, and every entry touching a removed vertex is dead
            dead = np.zeros(len(indices), bool) if self._dead is None else self._dead
            _require(int(dead.sum()) == self._n_dead)
            gone = ~alive
            if len(indices) and gone.any():
                touching = gone[rows] | gone[indices]
                _require(not (touching & ~dead).any())
            # undirected: base symmetric in pattern, values and dead marks
            if not self._directed and len(indices):
                tkey = indices.astype(np.int64) * cap + rows
                order = np.argsort(tkey)
                _require(np.array_equal(tkey[order], key))
                for v in self._vals:
                    _require(np.array_equal(v[order], v))
                _require(np.array_equal(dead[order], dead))
            # pending entries touch live vertices; undirected keys are i <= j
            log = self._log_i, self._log_j, self._log_v
            _require(len(set(map(len, log))) == 1 and self._pend_n <= len(self._log_i))
            for i, j in zip(self._log_i, self._log_j, strict=False):
                _require(alive[i] and alive[j])
                _require(self._directed or i <= j)
            _require(set(self._pend) == set(zip(self._log_i[: self._pend_n],
                                                self._log_j[: self._pend_n], strict=False)))
            for _, r, c, vals, _ in self._chunks:
                _require(alive[r].all() and alive[c].all())
                _require(self._directed or (r <= c).all())
                for v in vals:
                    _require(len(v) == len(r) and v.dtype == self._dtype)
            # the point-query hash, if built, lists exactly the live canonical entries
            if self._qidx is not None:
                keep = ~dead if self._directed else ~dead & (rows <= indices)
                _require(len(self._qidx) == int(keep.sum()))

    # ------------------------------------------------------------------
    # conversions and persistence (see graphstore.convert and graphstore.io)
    def to_networkx(self):
        """A networkx Graph or DiGraph with every attribute; see :func:`graphstore.to_networkx`."""
        from .convert import to_networkx

        return to_networkx(self)

    @classmethod
    def from_networkx(cls, G, weight="weight", nodelist=None, **kwargs) -> GraphStore:
        """A store from a networkx graph; see :func:`graphstore.from_networkx`."""
        from .convert import from_networkx

        return from_networkx(G, weight, nodelist, **kwargs)

    @classmethod
    def from_scipy(cls, A, directed=None, labels=None, **kwargs) -> GraphStore:
        """A store from a square sparse matrix; see :func:`graphstore.from_scipy`."""
        from .convert import from_scipy

        return from_scipy(A, directed, labels, **kwargs)

    @classmethod
    def from_edges(cls, src, dst, weight=None, **kwargs) -> GraphStore:
        """A store from edge arrays; see :func:`graphstore.from_edges`."""
        from .convert import from_edges

        return from_edges(src, dst, weight, **kwargs)

    def save(self, path) -> None:
        """Write the store atomically to `path`; see :func:`graphstore.save`."""
        from .io import save

        save(self, path)

    @classmethod
    def load(cls, path) -> GraphStore:
        """Read a store written by :meth:`save`; see :func:`graphstore.load`."""
        from .io import load

        return load(path)


# after a merge that freed more pending bytes than this, hand the freed heap
# back to the operating system (batches of many small chunks are allocated
# on the heap, and glibc keeps freed heap memory otherwise)
_TRIM_BYTES = 64 << 20


def _release_freed_memory() -> None:
    """glibc's malloc_trim(0), where there is one; a no-op elsewhere."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            import ctypes

            _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim = None


def _run_key(chunk) -> tuple:
    """Chunks with equal keys merge in one pass.

    ``combine`` is associative, so a run of one mode reduces at once. Under
    "sum", "min" and "max" an entry without a value creates the edge with
    value 1, which later entries then combine with; so such chunks only share
    a run with chunks that give (or omit) the same attributes.
    """
    mode, given = chunk[0], chunk[4]
    if mode == "last":
        return (mode,)
    return (mode, tuple(g is None for g in given))


def _require(cond, msg: str = "invariant violated") -> None:
    """An assert that -O cannot strip: invariants guard loaded files too."""
    if not cond:
        raise AssertionError(msg)


def _label_array(labels) -> np.ndarray:
    """A 1-D array of labels that keeps each label as it is.

    numpy would turn ``["a", 1]`` into strings and ``[(0, 1), (2, 3)]`` into a
    2-D array; labels of one plain kind (all str, all int, all float) keep a
    typed array, anything else becomes an object array of the labels.
    """
    labels = labels if isinstance(labels, (list, tuple)) else list(labels)
    if not labels:
        return np.zeros(0, dtype=np.intp)
    kinds = {type(x) for x in labels}
    if len(kinds) == 1 and kinds <= {str, int, float}:
        return np.asarray(labels)
    if kinds <= {int, np.int64, np.int32, np.intp}:
        return np.asarray(labels)
    return np.fromiter(labels, dtype=object, count=len(labels))


_ABSENT = object()  # no entry in the pending index


def _is_missing(x, missing) -> bool:
    return x is None if missing is None else (x != x)
