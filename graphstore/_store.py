"""GraphStore: the lock, the version, growth, and the public verbs."""

from __future__ import annotations

import copy
import threading
import warnings
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from . import _merge, _owned
from ._csr import Base, readonly_view
from ._labels import LabelRegistry
from ._operator_methods import OperatorMethods
from ._owned import owned_chunk, owned_pairs_mask, promote, row_entries
from ._pending import ABSENT, Pending, resolve, run_key
from ._validate import (
    COMBINE,
    FORMATS,
    check_attrs,
    check_choice,
    check_count,
    check_dtype,
    check_label,
    check_value,
    check_value_array,
)

__all__ = ["GraphStore", "Snapshot", "load", "save", "to_networkx"]

_UNSET = object()  # an argument not passed


class Snapshot(NamedTuple):
    """A frozen view of a store, taken under one lock (see :meth:`GraphStore.snapshot`)."""

    matrix: sp.csr_array  #: the adjacency, read-only, rows in `labels` order
    labels: tuple  #: the live labels, the row order of `matrix`
    version: int  #: the store's version when the view was taken


def _require(cond, what: str) -> None:
    """An assert that -O cannot strip: invariants guard loaded files too."""
    if not cond:
        raise AssertionError(f"invariant violated: {what}")


class GraphStore(OperatorMethods):
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
    **Design.** Writes are cheap, whole reads are compact, point reads never
    wait for a merge. ``add_edge`` appends to a pending log (amortized O(1));
    ``add_edges`` appends a validated batch (O(batch)); ``remove_edge`` marks
    the stored entry dead in place (a *zombie*, O(1) after the row's first
    query). Point queries (``has_edge``, ``weight``, ``neighbors``,
    ``degree(u)``, ...) read the merged CSR *base* row and the pending writes
    of that row. A whole-graph read (``adjacency``, exports, operators,
    ``edges``, ``save``, degree arrays) merges everything in one vectorized
    pass (O(nnz + pending)) into a new read-only base. So that memory and
    lookups stay bounded in endless edit loops, a point query also merges
    once pending writes plus zombies exceed :attr:`MERGE_FRACTION` of the
    stored entries (plus :attr:`MERGE_MIN`): amortized O(1) a write.

    **Edit loops.** Once a point query has folded the pending writes (an
    edit loop), an undirected single-attribute float64 store moves each
    short row it edits into a dict of its live entries (an *owned* row, see
    :mod:`graphstore._owned`): edits and queries of a pair of owned rows are
    then dict operations, with no zombie, no pending write and no merge.
    Owned entries stay below twice the stored entries plus MERGE_MIN (a
    merge runs past that: amortized O(1) a write). A whole read merges them
    and keeps them while the loop goes on (rows written since the previous
    merge), and drops them otherwise; a batch write touching an owned row
    merges and drops them first (O(nnz)).

    **Growth.** Vertex ids ``0, 1, ...`` are handed out in order and never
    reused. When the id space is full, :meth:`_grow` doubles it (or jumps to
    what a batch needs), padding the base's row pointer with empty rows, the
    block-matrix way: no stored value moves. n single adds cost O(n) in total.

    **Thread safety.** One lock serializes every operation, so threads may
    share a store; :meth:`snapshot` gives a matrix and its labels consistent
    with each other. Not process-safe. Exports never share a writable buffer
    or a scipy object with the store.

    **Invariants** (:meth:`_check` asserts each, by name):

    * ids: ``len(labels) <= capacity``; ids past those handed out are not
      alive; the label dict maps exactly the live explicit labels to their
      ids; implicit labels are never also explicit.
    * base: a CSR over ``capacity`` rows, indices sorted and unique within a
      row and inside the ids handed out, arrays read-only, values finite and
      of the store's dtype; every entry touching a removed vertex is a
      zombie; undirected bases are symmetric (values and zombies too).
    * pending: writes touch live vertices (or are dropped at the merge as
      writes of removed ids); undirected pairs are ``i <= j``; the folded
      index lists exactly the pairs with folded writes.
    * owned rows (undirected float64 single-attribute stores only): rows of
      live vertices holding finite floats; two owned rows agree on their
      pair; for a column whose row is not owned, an owned row equals what
      the base and the pending writes say; the owned-entry count is exact.
    * counts: ``num_edges`` and the self-loop count equal what the base and
      the pending writes hold.

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

    # slots: past 30 instance attributes CPython 3.11 stops sharing an instance dict's
    # keys, and every attribute read of the hot paths gets slower (~10% of add_edge)
    __slots__ = ("_lock", "_acquire", "_release", "_directed", "_dtype", "_attrs", "_w",
                 "_multi", "_missing", "_capacity", "_n_grows", "_reg", "_base", "_p", "_prows",
                 "_pcols", "_rowcache", "_rowmemo", "_fold_version", "_eager", "_eager_left",
                 "_n_edges", "_n_loops", "_version", "_snap", "_nx_cache", "_fast",
                 "_log_append", "_owns", "_hot", "_n_hot", "_dirty", "__dict__", "__weakref__")

    #: capacity of a new store when none is given (tests set it small)
    INITIAL_CAPACITY = 16
    #: a point query merges when pending writes + zombies exceed this share of nnz ...
    MERGE_FRACTION = 0.125
    #: ... plus this many (tests set both small, to merge often)
    MERGE_MIN = 4096
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
        self._missing = np.nan if dt.kind == "f" else None  # "not given" marker
        self._capacity = cap  # room in the id space
        self._n_grows = 0  # how many times _grow ran
        self._reg = LabelRegistry(cap)  # labels <-> ids, alive flags
        self._base = Base(cap, dt, len(attrs))  # merged edges (read-only CSR, zombies)
        self._p = Pending(dt, len(attrs))  # pending writes and their folded index
        # direct references for the point-query hot paths (emptied in place, never rebound)
        self._prows, self._pcols = self._p.rows, self._p.cols
        self._rowcache = self._base.rowcache
        self._rowmemo = self._base.rowmemo
        self._fold_version = 0  # the version at which pending writes were last folded
        # edit-loop mode: a query folded since the last merge, so add_edge folds each
        # write as it is made, while this many more writes + zombies stay under the
        # merge threshold
        self._eager = False
        self._eager_left = 0
        self._n_edges = 0  # edges, once pending writes are folded (undirected: once)
        self._n_loops = 0  # self-loops, likewise
        self._version = 0  # bumped by every mutation
        self._snap = None  # (version, {attr: read-only CSR arrays}) of the last export
        self._nx_cache = None  # (version, dict) behind __networkx_cache__
        # the add_edge hot path of a single-attribute float64 store appends
        # straight to the log's buffers (they are emptied in place, never replaced)
        self._fast = dt == np.float64 and len(attrs) == 1
        self._log_append = (self._p.li.append, self._p.lj.append, self._p.lv[0].append)
        # owned rows (graphstore._owned): row -> {column: value}, the edit-loop path of
        # undirected float64 stores; emptied in place by a merge, never rebound
        self._owns = self._fast and not self._directed  # whether rows may be owned
        self._hot: dict = {}
        self._n_hot = 0  # entries in the owned rows
        # owned rows written (or promoted) since the last merge; a merge keeps the owned
        # rows while this is not empty (the edit loop goes on), else it drops them
        self._dirty: set = set()

    # ------------------------------------------------------------------
    # networkx's graph protocol
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

    # ------------------------------------------------------------------
    # properties
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
        return self._reg.n_live

    @property
    def num_ids(self) -> int:
        """The number of vertex ids handed out, including removed ones. O(1)."""
        return len(self._reg.labels)

    @property
    def version(self) -> int:
        """A counter bumped by every change of the store. O(1)."""
        return self._version

    @property
    def nbytes(self) -> int:
        """Bytes held in arrays: the base (and its transpose, once built), vertex flags, pending writes.

        Python objects (labels, the label dict, the folded pending index, row
        caches, owned rows) are not counted. O(1) plus the number of pending batches.
        """
        with self._lock:
            return self._base.nbytes() + len(self._reg.alive) + self._p.nbytes()

    def __len__(self) -> int:
        return self._reg.n_live

    def __contains__(self, label) -> bool:
        try:
            return self._reg.find(label) >= 0
        except TypeError:
            return False

    def __iter__(self):
        return iter(self.labels)

    def __repr__(self) -> str:
        kind = "directed" if self._directed else "undirected"
        return (
            f"<GraphStore {kind}, {self.num_vertices} vertices, {self.num_edges} edges, "
            f"capacity {self._capacity}, dtype {self._dtype}>"
        )

    @property
    def shape(self) -> tuple:
        """``(n, n)`` for n live vertices: the shape of every export."""
        n = self._reg.n_live
        return (n, n)

    # ------------------------------------------------------------------
    # vertices
    @property
    def labels(self) -> list:
        """Live labels in insertion order: the row order of every export. O(n)."""
        with self._lock:
            return self._reg.live_labels()

    def has_vertex(self, label) -> bool:
        """Whether `label` names a live vertex. O(1)."""
        return label in self

    def index(self, label) -> int:
        """The row of vertex `label` in every export. O(1), O(n) once after a removal."""
        with self._lock:
            return self._reg.row(self._reg.id(label))

    def vertex_id(self, label) -> int:
        """The stable id of vertex `label`. O(1)."""
        with self._lock:
            return self._reg.id(label)

    def label_of(self, vid: int):
        """The label of the live vertex with id `vid`. O(1)."""
        with self._lock:
            return self._reg.label(self._reg.check_id(vid))

    def _grow(self, needed: int) -> None:
        """Make room for `needed` ids: double the capacity, or jump to `needed`.

        The one place capacity changes. New buffers are allocated before the old
        ones are released, so a MemoryError leaves the store as it was. O(capacity),
        amortized O(1) per vertex; no stored entry moves.
        """
        cap = max(2 * self._capacity, needed)
        alive = self._reg.grow(cap)
        indptr, indices = self._base.padded(cap)
        self._reg.install_alive(alive)
        self._base.install_padded(indptr, indices)
        self._capacity = cap
        self._n_grows += 1

    def _room(self, k: int) -> None:
        """Make room for `k` more ids."""
        need = len(self._reg.labels) + k
        if need > self._capacity:
            self._grow(need)

    def add_vertex(self, label=None) -> int:
        """Add a vertex and return its id. Amortized O(1).

        Parameters
        ----------
        label : hashable, optional
            Its label; by default its id.

        Raises
        ------
        ValueError
            If `label` already names a vertex, or does not equal itself (NaN).
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
            reg = self._reg
            if label is None or label.__class__ is int and label == len(reg.labels):
                if reg.default:  # its label is its new id: implicit, no dict entry needed
                    i = len(reg.labels)
                    if i >= self._capacity:
                        self._grow(i + 1)
                    reg.add_implicit()
                    self._version += 1
                    return i
                if label is None:
                    label = len(reg.labels)
            reg.check_new(label)
            self._room(1)
            i = reg.add(label)
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
            labels, implicit = self._reg.plan_many(labels_or_count)
            self._room(len(labels))
            ids = self._reg.add_many(labels, implicit)
            if len(ids):
                self._version += 1
            return ids

    def _endpoint(self, label) -> int:
        """The id of `label`, creating the vertex if it is new (networkx semantics)."""
        reg = self._reg
        try:
            i = reg.find(label)
        except TypeError:
            check_label(label)
            raise
        if i >= 0:
            return i
        check_label(label)
        self._room(1)
        return reg.add(label)

    def remove_vertex(self, label) -> None:
        """Remove a vertex and its edges; other ids are unchanged.

        O(deg(u) log deg + pending writes of u); the in-edges of a directed
        store come from a transpose of the base built at the first in-edge
        query after a merge (O(nnz) once).

        Examples
        --------
        >>> g = gs.GraphStore()
        >>> g.add_edge("a", "b"); g.add_edge("b", "c")
        >>> g.remove_vertex("b")
        >>> g.labels, g.num_edges
        (['a', 'c'], 0)
        """
        with self._lock:
            reg = self._reg
            i = reg.id(label)
            self._settle()
            base = self._base
            gone = self._p.drop_vertex(i)  # its pending pairs, canonical
            dead0 = base.n_dead
            out = base.kill_row(i, not self._directed)  # and the mirrors (c, i) if undirected
            inn = base.kill_col(i) if self._directed else ()  # rows r != i of its in-edges
            self._eager_left -= base.n_dead - dead0  # zombies count toward the next merge
            hot = self._hot
            h = hot.pop(i, None) if hot else None
            if h is not None:  # an owned row lists its edges (the base is stale for owned pairs)
                self._n_hot -= len(h)
                self._n_edges -= len(h)
                self._n_loops -= i in h
                others = h
            else:  # its distinct pairs: the entries just killed, and its pending pairs
                if self._directed:
                    pairs = [(i, c) for c in out] + [(r, i) for r in inn]
                else:
                    pairs = [(c, i) if c < i else (i, c) for c in out]
                if gone:  # a pending pair may also be a base edge (an update): count it once
                    pairs = set(pairs)
                    pairs.update(gone)
                self._n_edges -= len(pairs)
                self._n_loops -= ((i, i) in pairs) if gone else (i in out)
                others = [c for pair in pairs for c in pair] if hot else ()
            for c in others:  # the owned rows of its neighbors drop it
                hc = hot.get(c)
                if hc is not None and c != i and hc.pop(i, None) is not None:
                    self._n_hot -= 1
                    self._dirty.add(c)
            self._dirty.discard(i)
            reg.remove(i)
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
            reg, base = self._reg, self._base
            pos = reg.positions().copy()
            n = reg.n_live
            if n == len(reg.labels):
                return pos
            self._drop_owned()  # their ids are renumbered
            alive = reg.alive_mask()
            counts = np.diff(base.indptr)[: len(reg.labels)][alive]
            indptr = np.zeros(self._capacity + 1, dtype=np.int64)
            np.cumsum(counts, out=indptr[1 : n + 1])
            indptr[n + 1 :] = indptr[n]
            indices = pos[base.indices].astype(base.index_dtype)
            base.install(indptr, indices, list(base.vals), base.n_loops)
            reg.renumber()
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

        The write is appended to the pending log; in an edit loop of an
        undirected float64 store it goes to the rows' owned dicts instead
        (promoting a short row costs O(SMALL_ROW) once per merge; see the
        class notes). Missing endpoints are created, as networkx does. An attribute not given
        keeps its stored value on an existing edge and is 1 on a new one, so
        ``add_edge(u, v)`` is networkx's ``G.add_edge(u, v)``.

        Parameters
        ----------
        u, v : hashable
            Endpoint labels.
        weight : real number, optional
            The edge's weight; finite and representable in the store's dtype.
        **attrs
            Values of the store's other edge attributes.

        Raises
        ------
        ValueError
            NaN or infinite values, a NaN label, or an attribute the store does not have.
        OverflowError
            A value outside the range of the store's dtype.
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
            elif type(weight) is float and self._fast and weight - weight == 0.0:
                value = weight  # the common case: a finite Python float, float64 store
            else:
                value = check_value(weight, self._dtype)
            reg = self._reg
            try:  # LabelRegistry.find2, its common cases inlined (hot path)
                n = reg.dense  # ids 0..n-1 are the labels, all alive
                if n and u.__class__ is int and v.__class__ is int and 0 <= u < n and 0 <= v < n:
                    i, j = u, v
                elif reg.n_implicit:  # implicit labels are ints: check those first
                    i, j = reg.find2(u, v)
                else:
                    index = reg.index
                    i, j = index.get(u, -1), index.get(v, -1)
            except TypeError:
                check_label(u)
                check_label(v)
                raise
            if i < 0 or j < 0:
                check_label(u)
                check_label(v)
                i = self._endpoint(u)
                j = self._endpoint(v)
            if i > j and not self._directed:
                i, j = j, i
            hot = self._hot
            if (hot or self._eager) and self._owns:  # an edit loop: rows are owned
                if self._version != self._fold_version:
                    self._settle()  # (may merge)
                if hot or self._eager:
                    hi = hot.get(i)
                    hj = hi if i == j else hot.get(j)
                    if hi is None or hj is None:
                        hi, hj = self._own_pair(i, j)  # promotes a short row
                    if hi is not None and hj is not None:  # the pair lives in the owned rows
                        old = hi.get(j)
                        if old is None:  # a new edge
                            if value != value:
                                value = 1.0
                            hi[j] = value
                            hj[i] = value
                            self._n_edges += 1
                            if i == j:
                                self._n_hot += 1
                                self._n_loops += 1
                            else:
                                self._n_hot += 2
                        elif value == value:  # given: the last write wins
                            hi[j] = value
                            hj[i] = value
                        dirty = self._dirty
                        dirty.add(i)
                        dirty.add(j)
                        self._version += 1
                        self._fold_version = self._version
                        if self._n_hot > 2 * len(self._base.indices) + self.MERGE_MIN:
                            self._flush()  # owned rows stay within their bound: amortized O(1)
                        return
                    h, k = (hi, j) if hi is not None else (hj, i)
                    if h is not None:  # one end owned: the log's write decides, its row follows
                        self._dirty.add(i if hi is not None else j)
                        old = h.get(k)
                        if old is None:
                            self._n_hot += 1
                            h[k] = 1.0 if value != value else value
                        elif value == value:
                            h[k] = value
            if self._fast:
                ai, aj, av = self._log_append
                ai(i)
                aj(j)
                av(value)
                if self._eager and self._fold_version == self._version:
                    # an edit loop: fold now (O(1)), so the next query need not
                    if self._p.fold_last(i, j, value) and not self._base.has(i, j):
                        self._n_edges += 1
                        if i == j:
                            self._n_loops += 1
                    self._eager_left -= 1
                    if self._eager_left <= 0:  # the next query checks for a merge
                        self._eager = False
                    self._version += 1
                    self._fold_version = self._version
                    return
            else:
                self._p.append(i, j, value)
            self._version += 1
        finally:
            self._release()

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
                if data or self._multi:
                    value = self._values_tuple(w, data)
                else:
                    value = self._missing if w is None else check_value(w, self._dtype)
                parsed.append((u, v, value))
            p = self._p
            ids = []
            for u, v, value in parsed:
                i, j = self._endpoint(u), self._endpoint(v)
                ids.append((j, i, value) if i > j and not self._directed else (i, j, value))
            hot = self._hot
            if hot and any(i in hot or j in hot for i, j, _ in ids):
                self._disown()  # batches do not write owned rows
            for i, j, value in ids:
                p.append(i, j, value)
            if parsed:
                self._version += 1

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

        Raises
        ------
        OverflowError
            A value, or a ``combine="sum"`` result, outside the range of the
            store's dtype; nothing is added.

        Notes
        -----
        Atomic: everything is validated before anything changes, and the
        capacity grows at most once, straight to what the batch needs. O(k)
        now (plus, for ``combine="sum"`` where a sum could leave the dtype's
        range, an exact check: O(k log k) and a look-up of each pair), and the
        merge at the next whole-graph read.

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
            reg = self._reg
            plan = reg.plan_edges(src, dst, by)
            k = len(plan.src)
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
            # the ids the new labels will get, in networkx's first-seen order
            new = plan.new
            first = len(reg.labels)
            src_ids, dst_ids = plan.src, plan.dst
            if not self._directed:
                src_ids, dst_ids = np.minimum(src_ids, dst_ids), np.maximum(src_ids, dst_ids)
            if combine == "sum" and k:
                self._check_sums(src_ids, dst_ids, vals, gmask, first, new)
            if self._hot and k and self._touches_owned(src_ids, dst_ids):
                self._disown()  # batches do not write owned rows
            # everything is valid: create the new vertices, then record the batch
            if new:
                self._room(len(new))
                reg.add_many(new, plan.implicit)
            if k:
                # our own copies (the caller may reuse its arrays), in the base's
                # index dtype: pending batches cost 8 bytes an edge for ids
                it = self._base.index_dtype
                self._p.add_chunk(combine, src_ids.astype(it), dst_ids.astype(it), vals, gmask)
            if k or new:
                self._version += 1

    def _touches_owned(self, rows: np.ndarray, cols: np.ndarray) -> bool:
        """Whether a pair of the batch has an owned row at an end. O(k + owned rows)."""
        owned = np.fromiter(self._hot, dtype=np.int64, count=len(self._hot))
        return bool(np.isin(rows, owned).any() or np.isin(cols, owned).any())

    def _check_sums(self, rows, cols, vals, gmask, first, new) -> None:
        """Raise OverflowError if combine="sum" would leave the dtype's range anywhere.

        A cheap bound first (stored max |value| plus every pending and new
        |value|); only if it could overflow, the exact per-pair totals,
        computed in a wider type.
        """
        dt = self._dtype
        if dt.kind == "f":
            lim, wide = float(np.finfo(dt).max), np.longdouble
        else:
            info = np.iinfo(dt)
            lim, wide = float(min(-(info.min + 1) if info.min else info.max, info.max)), object
        for a, name in enumerate(self._attrs):
            if gmask[a] is not None and not gmask[a].any():
                continue
            bound = self._base.max_abs(a) + self._pending_abs(a)
            bound += float(np.abs(vals[a].astype(np.float64)).sum())
            if bound < lim:
                continue
            self._exact_sums(a, name, rows, cols, vals[a], gmask[a], first, new, wide)

    def _pending_abs(self, a: int) -> float:
        """The sum of |value| over the pending writes of attribute `a`. O(pending)."""
        p = self._p
        total = sum(float(np.abs(c.vals[a].astype(np.float64)).sum()) for c in p.chunks)
        if len(p.li):
            v = np.abs(np.array(p.lv[a], dtype=np.float64))
            total += float(np.nansum(v))
        return total

    def _exact_sums(self, a, name, rows, cols, v, g, first, new, wide) -> None:
        dt = self._dtype
        m = max(first + len(new), 1)
        key = rows.astype(np.int64) * m + cols
        order = np.argsort(key, kind="stable")
        key = key[order]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        x = v.astype(wide) if g is None else np.where(g, v, 0).astype(wide)
        total = np.add.reduceat(x[order], starts)
        has = np.ones(len(starts), bool) if g is None else np.logical_or.reduceat(g[order], starts)
        ur, uc = rows[order][starts], cols[order][starts]
        old = (ur < first) & (uc < first)  # pairs of vertices that exist now
        if old.any():
            self._settle()
            base, p = self._base, self._p
            idx = np.flatnonzero(old)
            pos, found = base.find_many(ur[idx], uc[idx])
            cur = np.zeros(len(idx), dtype=wide)
            cur[found] = base.vals[a][pos[found]].astype(wide)
            exists = found.copy()
            if p.rows:
                for n, (i, j) in enumerate(zip(ur[idx].tolist(), uc[idx].tolist(), strict=True)):
                    e = p.entry(i, j)
                    if e is not ABSENT:
                        stored = base.value(int(pos[n]), a) if found[n] else ABSENT
                        cur[n] = resolve(e, stored, a, self._multi, dt)
                        exists[n] = True
            total[idx[exists]] += cur[exists]
        if dt.kind == "f":
            bad = has & (np.abs(total) > np.finfo(dt).max)
        else:
            info = np.iinfo(dt)
            bad = has & ((total < info.min) | (total > info.max))
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            labels = self._reg.labels
            inv = {first + n: lab for n, lab in enumerate(new)}

            def lab(i):
                return inv[i] if i >= first else (i if labels[i] is None else labels[i])

            u, w = lab(int(ur[k])), lab(int(uc[k]))
            raise OverflowError(
                f"combine='sum' gives {name} {total[k]} on edge ({u!r}, {w!r}), "
                f"outside the range of the store's dtype {dt}; nothing was added"
            )

    def remove_edge(self, u, v) -> None:
        """Remove the edge u -> v (u - v if undirected). O(log deg).

        The stored entry is marked dead in place (a zombie) and purged at the
        next merge: a binary search of the row at its first look-up after a
        merge, O(1) once the row is indexed. In an edit loop of an undirected
        float64 store, a pair of owned rows is two dict deletions (short rows
        are promoted, O(SMALL_ROW) once per merge; see the class notes).

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
        self._acquire()  # the lock, without with-statement overhead (hot path)
        try:
            n = self._reg.dense  # ids 0..n-1 are the labels, all alive
            if n and u.__class__ is int and v.__class__ is int and 0 <= u < n and 0 <= v < n:
                i, j = u, v
            else:
                try:
                    i, j = self._reg.find2(u, v)
                except TypeError:
                    i = j = -1
            if i < 0 or j < 0:
                self._reg.id(u)  # raises the KeyError (or TypeError) naming the vertex
                self._reg.id(v)
            if self._version != self._fold_version:
                self._settle()
            if i > j and not self._directed:
                i, j = j, i
            hot = self._hot
            hi = hot.get(i)
            hj = hot.get(j)
            if hi is not None and hj is not None and i != j:  # _drop_edge's owned pair, inlined
                if j not in hi:
                    raise KeyError(f"edge ({u!r}, {v!r}) is not in the store")
                del hi[j]
                del hj[i]
                dirty = self._dirty
                dirty.add(i)
                dirty.add(j)
                self._n_hot -= 2
                self._n_edges -= 1
            elif not self._drop_edge(i, j):
                raise KeyError(f"edge ({u!r}, {v!r}) is not in the store")
            self._version += 1
            self._fold_version = self._version  # settled above; a removal leaves nothing to fold
        finally:
            self._release()

    def _drop_edge(self, i: int, j: int) -> bool:
        """Remove the canonical pair (i, j) if it is an edge; whether it was. Settled stores only.

        In an edit loop of a store that owns rows (see :meth:`add_edge`), both
        rows are promoted first if they are short; a pair of two owned rows is
        two dict deletions. Otherwise the base entry becomes a zombie.
        """
        hi = hj = None
        if self._owns and (self._eager or self._hot):
            hi, hj = self._own_pair(i, j)
            if hi is not None and hj is not None:  # the pair lives in the owned rows only
                if j not in hi:
                    return False
                del hi[j]
                self._dirty.add(i)
                self._dirty.add(j)
                if i == j:
                    self._n_hot -= 1
                    self._n_loops -= 1
                else:
                    del hj[i]
                    self._n_hot -= 2
                self._n_edges -= 1
                return True
        r = self._prows.get(i)
        pending = r is not None and j in r
        if pending:
            self._p.delete(i, j)
        killed = self._base.kill_pair(i, j, not self._directed)
        if not killed and not pending:
            return False
        self._eager_left -= killed
        self._n_edges -= 1
        if i == j:
            self._n_loops -= 1
        if hi is not None:  # one end owned: its row follows the base
            del hi[j]
            self._n_hot -= 1
            self._dirty.add(i)
        elif hj is not None:
            del hj[i]
            self._n_hot -= 1
            self._dirty.add(j)
        return True

    def _own(self, i: int):
        """Make row `i` owned if short and within the bound (below); its dict, or None.

        The bound: owned entries at most twice the stored entries plus
        MERGE_MIN (past it, edits take the zombie path until the merge it
        brings). Settled stores only. O(SMALL_ROW).
        """
        base = self._base
        if self._n_hot > 2 * len(base.indices) + self.MERGE_MIN:
            return None
        ip = base.ip
        lo, hi = ip[i], ip[i + 1]
        if hi - lo <= _owned.SMALL_ROW and i not in self._prows and i not in self._pcols \
                and i not in base.zombies:  # promote's common case, inlined
            h = dict(zip(base.ix[lo:hi].tolist(), base.iv[lo:hi].tolist()))
        else:
            h = promote(base, self._prows, self._pcols, i, self._dtype)
            if h is None:
                return None
        self._hot[i] = h
        self._n_hot += len(h)
        self._dirty.add(i)  # its pending pairs with owned rows now merge from it
        return h

    def _own_pair(self, i: int, j: int) -> tuple:
        """The owned rows of i and j, each promoted if short (None where not owned)."""
        hot = self._hot
        hi = hot.get(i)
        if hi is None:
            hi = self._own(i)
        hj = hi if i == j else hot.get(j)
        if hj is None:
            hj = self._own(j)
        return hi, hj

    def remove_edges(self, src, dst, *, by: str = "label") -> None:
        """Remove a batch of edges; atomic: all must exist. O(k log deg + k).

        A pair listed twice is removed once.

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
            reg = self._reg
            if by == "label":
                src, dst = list(src), list(dst)
                if len(src) != len(dst):
                    raise ValueError(f"src has {len(src)} entries but dst has {len(dst)}")
                s = [reg.id(x) for x in src]
                d = [reg.id(x) for x in dst]
            else:
                s = reg.check_ids(src, "src").tolist()
                d = reg.check_ids(dst, "dst").tolist()
                if len(s) != len(d):
                    raise ValueError(f"src has {len(s)} entries but dst has {len(d)}")
            self._settle()
            pairs = dict.fromkeys((i, j) if i <= j or self._directed else (j, i)
                                  for i, j in zip(s, d, strict=True))
            if pairs:
                keys = list(pairs)
                _, found = self._base.find_many([i for i, _ in keys], [j for _, j in keys])
                p, hot = self._p, self._hot
                for n, (i, j) in enumerate(keys):
                    h = hot.get(i)
                    gone = (j not in h) if h is not None else (
                        not found[n] and p.entry(i, j) is ABSENT)
                    if gone:
                        a, b = reg.label(i), reg.label(j)
                        raise KeyError(f"edge ({a!r}, {b!r}) is not in the store")
                for i, j in keys:
                    self._drop_edge(i, j)
                self._version += 1

    # ------------------------------------------------------------------
    # pending writes: folding and merging
    def _settle(self) -> None:
        """Make the folded pending index current for point queries.

        Folds the writes made since the last query (O(new writes)); merges
        instead when pending writes plus zombies exceed MERGE_FRACTION of the
        stored entries plus MERGE_MIN (amortized O(1) a write).
        """
        self._fold_version = self._version
        p = self._p
        if p.log_seq0 + len(p.li) == p.fold_seq:
            return
        base = self._base
        left = self.MERGE_FRACTION * base.nnz + self.MERGE_MIN - p.count() - base.n_dead
        if left < 0:
            self._flush()
            return
        self._eager, self._eager_left = True, left  # an edit loop: fold add_edge at once
        new = p.fold()
        if not new:
            return
        if len(new) < 64:
            has = base.has
            fresh = [(i, j) for i, j in new if not has(i, j)]
        else:
            _, found = base.find_many([i for i, _ in new], [j for _, j in new])
            fresh = [ij for ij, f in zip(new, found.tolist(), strict=True) if not f]
        self._n_edges += len(fresh)
        self._n_loops += sum(1 for i, j in fresh if i == j)

    def _flush(self) -> None:
        """Merge pending writes and zombies into a new base. O(nnz + pending).

        Batches merge run by run (see :func:`graphstore._pending.run_key`); the
        new base replaces the old one only once every run has merged, so an
        exception (a MemoryError) leaves the store as it was.
        """
        p, base, hot, dirty = self._p, self._base, self._hot, self._dirty
        self._eager = False  # until a query folds again
        if not p.count() and not base.n_dead and not dirty:
            if hot:  # nothing written since the last merge: the edit loop is over
                self._drop_owned()
            return
        reg = self._reg
        chunks = p.drained(None if reg.n_live == len(reg.labels) else reg.alive_mask(),
                           self._capacity)
        if dirty:  # pairs of two owned rows, one dirty: from the owned rows, stale elsewhere
            owned = np.zeros(self._capacity, dtype=bool)
            owned[np.fromiter(hot, dtype=np.int64, count=len(hot))] = True
            changed = np.zeros(self._capacity, dtype=bool)
            changed[np.fromiter(dirty, dtype=np.int64, count=len(dirty))] = True
            chunks = [c.subset(~owned_pairs_mask(owned, c.rows, c.cols)) for c in chunks]
            chunks.append(owned_chunk(hot, dirty, p.seq, self._dtype, base.index_dtype))
            rows = base.rows_of_entries()
            stale = owned_pairs_mask(owned, rows, base.indices, changed)
            if base.n_dead:
                stale &= ~base.dead
            # live self-loops the stale entries drop (the owned chunk adds them back)
            n_loops = base.n_loops - int(np.count_nonzero(stale & (rows == base.indices)))
            indptr, indices, vals = base.purged(stale)
            del rows, stale, owned, changed
        else:
            indptr, indices, vals = base.purged()
            n_loops = base.n_loops  # live self-loops (zombies were uncounted when killed)
        start = 0
        while start < len(chunks):
            key = run_key(chunks[start])
            stop = start
            while stop < len(chunks) and run_key(chunks[stop]) == key:
                stop += 1
            run = [c for c in chunks[start:stop] if len(c.rows)]
            if run:
                # self-loops this run adds: its diagonal pairs not stored yet
                diag = np.unique(np.concatenate([c.rows[c.rows == c.cols] for c in run]))
                if len(diag):
                    n_loops += int((~_merge.find(indptr, indices, diag, diag)[1]).sum())
                indptr, indices, vals = self._merge_run(indptr, indices, vals, run)
            start = stop
        del chunks
        base.install(indptr, indices, vals, n_loops)
        p.clear()
        if dirty:  # an edit loop: the owned rows equal their merged rows, and stay
            dirty.clear()
        else:
            self._drop_owned()
        nnz = len(indices)
        self._n_loops = n_loops
        self._n_edges = nnz if self._directed else (nnz + n_loops) // 2

    def _disown(self) -> None:
        """Merge, then forget the owned rows (before a batch write touching one). O(nnz)."""
        self._flush()
        self._drop_owned()

    def _drop_owned(self) -> None:
        """Forget the owned rows (a merged store: they hold what the base holds)."""
        self._hot.clear()
        self._dirty.clear()
        self._n_hot = 0

    def _merge_run(self, indptr, indices, vals, run):
        """Merge chunks that share one combine mode (and given attributes) into a base."""
        mode = run[0].combine
        if len(run) == 1:  # no concatenation (a copy) for a single batch
            c = run[0]
            delta = _merge.canonical_delta(c.rows, c.cols, c.vals, c.given, mode, self._capacity,
                                           symmetric=not self._directed)
            return _merge.merge(indptr, indices, vals, delta, mode, self._base.index_dtype)
        rows = np.concatenate([c.rows for c in run])
        cols = np.concatenate([c.cols for c in run])
        dvals, dgiven = [], []
        for a in range(len(self._attrs)):
            dvals.append(np.concatenate([c.vals[a] for c in run]))
            if all(c.given[a] is None for c in run):
                dgiven.append(None)
            else:
                dgiven.append(np.concatenate([
                    np.ones(len(c.rows), bool) if c.given[a] is None else c.given[a] for c in run
                ]))
        delta = _merge.canonical_delta(
            rows, cols, dvals, dgiven, mode, self._capacity, symmetric=not self._directed
        )
        del rows, cols, dvals, dgiven
        return _merge.merge(indptr, indices, vals, delta, mode, self._base.index_dtype)

    # ------------------------------------------------------------------
    # edges: point queries (no merge)
    def has_edge(self, u, v) -> bool:
        """Whether the edge u -> v (u - v if undirected) exists. O(1) expected.

        A row is binary-searched at its first query after a merge, O(log
        deg), and indexed at its second, O(deg): a list scanned after (rows
        of at most 64 entries) or a dict.

        Examples
        --------
        >>> g = gs.GraphStore(directed=True)
        >>> g.add_edge("a", "b")
        >>> g.has_edge("a", "b"), g.has_edge("b", "a"), g.has_edge("a", "zz")
        (True, False, False)
        """
        self._acquire()  # the lock, without with-statement overhead (hot path)
        try:
            # LabelRegistry.find2, inlined: this is the hottest path
            reg = self._reg
            try:
                n = reg.dense  # ids 0..n-1 are the labels, all alive
                if n and u.__class__ is int and v.__class__ is int and 0 <= u < n and 0 <= v < n:
                    i, j = u, v
                elif reg.n_implicit:  # implicit labels are ints: check those first
                    i, j = reg.find2(u, v)
                else:
                    index = reg.index
                    try:
                        i, j = index[u], index[v]
                    except KeyError:
                        return False
            except TypeError:  # unhashable: not a vertex
                return False
            if i < 0 or j < 0:
                return False
            if i > j and not self._directed:
                i, j = j, i
            if self._version != self._fold_version:
                self._settle()
            h = self._hot.get(i)
            if h is not None:  # an owned row lists its live entries
                return j in h
            r = self._prows.get(i)
            if r is not None and j in r:
                return True
            rc = self._rowcache.get(i)
            if rc is None:
                return self._base.lookup(i, j) >= 0
            return j in rc  # a row index: a dict, or a list with -1 for zombies
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
            reg = self._reg
            n = reg.dense  # ids 0..n-1 are the labels, all alive
            if n and u.__class__ is int and v.__class__ is int and 0 <= u < n and 0 <= v < n:
                i, j = u, v
            else:
                try:
                    if reg.n_implicit:
                        i, j = reg.find2(u, v)
                    else:
                        index = reg.index
                        try:
                            i, j = index[u], index[v]
                        except KeyError:
                            i = j = -1
                except TypeError:
                    i = j = -1
            if i >= 0 and j >= 0:
                if i > j and not self._directed:
                    i, j = j, i
                if self._version != self._fold_version:
                    self._settle()
                h = self._hot.get(i)
                if h is not None:  # an owned row (single-attribute stores only)
                    x = h.get(j)
                    if x is not None:
                        return x
                    if default is not None:
                        return default
                    raise KeyError(f"edge ({u!r}, {v!r}) is not in the store")
                base = self._base
                rc = self._rowcache.get(i)  # Base.lookup, its indexed-row cases inlined
                if rc is None:
                    pos = base.lookup(i, j)
                elif rc.__class__ is list:
                    pos = base.ip[i] + rc.index(j) if j in rc else -1
                else:
                    pos = rc.get(j, -1)
                r = self._prows.get(i)
                e = ABSENT if r is None else r.get(j, ABSENT)
                if e is ABSENT:
                    if pos >= 0:
                        return base.vals[a].item(pos)
                else:
                    stored = base.vals[a].item(pos) if pos >= 0 else ABSENT
                    return resolve(e, stored, a, self._multi, self._dtype)
            if default is not None:
                return default
            raise KeyError(f"edge ({u!r}, {v!r}) is not in the store")
        finally:
            self._release()

    def _attr_number(self, attr: str) -> int:
        try:
            return self._attrs.index(attr)
        except (ValueError, TypeError):
            allowed = ", ".join(map(repr, self._attrs))
            raise ValueError(f"edge attribute {attr!r} is not one of the store's: {allowed}") from None

    def _incident(self, i: int, a, side: str = "out") -> dict:
        """``{other id: value}`` of the edges at id `i` (values None if `a` is None).

        ``side="out"``: successors (neighbors if undirected); ``"in"``:
        predecessors of a directed store. Keys are sorted ids. Settled stores
        only. O(deg(i) + pending writes of i); the in side reads the transpose.
        """
        base, p = self._base, self._p
        multi, dt = self._multi, self._dtype
        if side == "out":
            h = self._hot.get(i)
            if h is not None:  # an owned row lists its live entries
                return {k: None if a is None else h[k] for k in sorted(h)}
            rc = base.row_index(i)
            out = dict.fromkeys(rc) if a is None else {c: base.vals[a].item(q) for c, q in rc.items()}
            pend = [(i, j) for j in p.rows.get(i, ())]
            if not self._directed:
                pend.extend((k, i) for k in p.cols.get(i, ()))
        else:
            pos, rows = base.col_entries(i)
            rows = rows.tolist()
            out = dict.fromkeys(rows) if a is None else dict(
                zip(rows, base.vals[a][pos].tolist(), strict=True))
            pend = [(k, i) for k in p.cols.get(i, ())]
            if i in p.rows.get(i, ()):
                pend.append((i, i))
        if not pend:
            return out
        for r, c in pend:
            other = c if r == i else r
            if a is None:
                out[other] = None
            else:
                q = base.lookup(r, c)
                stored = base.vals[a].item(q) if q >= 0 else ABSENT
                out[other] = resolve(p.rows[r][c], stored, a, multi, dt)
        return {k: out[k] for k in sorted(out)}

    def neighbors(self, u):
        """An iterator over the neighbors of `u` (successors if directed), in row order.

        It lists the neighbors at the time of the call, so the store may be
        changed while iterating. O(deg(u) + pending writes of u); a row
        without pending writes memoizes its neighbors' labels (a tuple) at
        its second query, and later queries iterate that tuple until an
        entry of the row dies or a merge runs. An owned row (see the class
        notes) is listed from its dict, sorted: O(deg(u)) plus sorting the
        edges added since the merge.

        Examples
        --------
        >>> g = gs.GraphStore()
        >>> g.add_edges_from([("a", "b"), ("a", "c")])
        >>> list(g.neighbors("a"))
        ['b', 'c']
        """
        self._acquire()  # the lock, without with-statement overhead (hot path)
        try:
            reg = self._reg
            try:  # LabelRegistry.find, with its two common cases inlined (hot path)
                n = reg.dense  # ids 0..n-1 are the labels, all alive
                if n and u.__class__ is int and 0 <= u < n:
                    i = u
                elif reg.n_implicit:
                    i = reg.find(u)
                else:
                    i = reg.index.get(u, -1)
            except TypeError:
                i = -1
            if i < 0:
                i = reg.id(u)  # raises the KeyError (or TypeError) naming u
            if self._version != self._fold_version:
                self._settle()
            h = self._hot.get(i)
            if h is not None:  # an owned row: its live entries, in row order
                return iter(sorted(h)) if n else iter(reg.label_list(sorted(h)))
            pr = self._prows.get(i)
            pc = None if self._directed else self._pcols.get(i)
            if pr is None and pc is None:  # the base row alone: its labels are memoized
                t = self._rowmemo.get(i)
                if t is None:
                    base = self._base
                    seen = i in base.touched or i in self._rowcache  # queried since the merge
                    t = tuple(reg.label_list(base.row_list(i)))
                    if seen:  # memoize a row's second query, as lookups index it
                        self._rowmemo[i] = t
                return iter(t)
            ids = set(self._base.row_list(i))  # merge in the pending neighbors, in row order
            if pr is not None:
                ids.update(pr)
            if pc is not None:
                ids.update(pc)
            return iter(reg.label_list(sorted(ids)))
        finally:
            self._release()

    successors = neighbors

    def predecessors(self, u):
        """An iterator over the vertices with an edge to `u` (directed stores), in row order.

        O(deg_in(u) + pending writes of u); the first in-edge query after a
        merge builds the base's transpose, O(nnz) once.

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
            i = self._reg.id(u)
            self._settle()
            return iter(self._reg.label_list(list(self._incident(i, None, "in"))))

    def degree(self, u=None, *, weight: str | None = None, direction: str = "all"):
        """Degree of vertex `u`, or of every vertex as an array in row order.

        networkx's degree: a self-loop counts twice (once as each end); with
        `weight` (an attribute name) the degree sums it. For directed stores
        `direction` is ``"out"``, ``"in"`` or ``"all"`` (their sum). One
        vertex: O(deg(u) + pending writes of u), no merge; every vertex: a
        whole-graph read, O(nnz).

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
            if u is not None:
                i = self._reg.id(u)
                self._settle()
                sides = ["out"]
                if self._directed:
                    sides = {"out": ["out"], "in": ["in"], "all": ["out", "in"]}[direction]
                total = 0 if a is None else self._dtype.type(0).item()
                for side in sides:
                    items = self._incident(i, a, side)
                    if a is None:
                        total += len(items)
                        if not self._directed and i in items:
                            total += 1
                    else:
                        total += sum(items.values())
                        if not self._directed and i in items:
                            total += items[i]
                return total
            self._flush()
            deg = self._degrees(a, direction)
            reg = self._reg
            n_ids = len(reg.labels)
            if reg.n_live == n_ids:
                return deg[:n_ids]
            return deg[:n_ids][reg.alive_mask()]

    def _degrees(self, a, direction):
        base = self._base
        cap = self._capacity
        indptr, indices = base.indptr, base.indices
        rows = base.rows_of_entries()
        w = None if a is None else base.vals[a]
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

    @property
    def num_edges(self) -> int:
        """The number of edges (an undirected edge counts once). O(1) plus folding new writes."""
        with self._lock:
            self._settle()
            return self._n_edges

    @property
    def nnz(self) -> int:
        """Stored entries of the adjacency (2 per undirected non-loop edge). O(1) plus folding."""
        with self._lock:
            self._settle()
            if self._directed:
                return self._n_edges
            return 2 * self._n_edges - self._n_loops

    # ------------------------------------------------------------------
    # whole-graph reads (merge first)
    def edges(self, data=False, default=None):
        """An iterator over edges ``(u, v)`` in row-major order (``u <= v`` by row if undirected).

        Parameters
        ----------
        data : bool or str
            False: ``(u, v)``; True: ``(u, v, {attr: value})``; an attribute
            name: ``(u, v, value)``.

        Notes
        -----
        A whole-graph read: O(nnz + pending). It lists the edges at the time
        of the call, so the store may change while iterating.

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
            u = self._reg.label_list(rows[keep])
            v = self._reg.label_list(cols[keep])
            base = self._base
            if data is False:
                items = list(zip(u, v, strict=True))
            elif data is True:
                cols_vals = [x[keep].tolist() for x in base.vals]
                items = [
                    (a_, b_, dict(zip(self._attrs, vs, strict=True)))
                    for a_, b_, vs in zip(u, v, zip(*cols_vals, strict=True), strict=True)
                ]
            else:
                items = list(zip(u, v, base.vals[a][keep].tolist(), strict=True))
            return iter(items)

    def _edge_arrays(self):
        """Rows, columns (ids) of the merged base and the mask of entries that are edges."""
        base = self._base
        rows = base.rows_of_entries()
        cols = base.indices.astype(np.intp)
        keep = np.ones(len(cols), dtype=bool) if self._directed else rows <= cols
        return rows, cols, keep

    def _matrix(self, a) -> sp.csr_array:
        """A new csr_array of attribute `a` (None: ones) over read-only arrays (lock held).

        The first call after a change merges and builds the export (O(nnz));
        later calls shallow-copy the cached one: O(1), a new object whose
        in-place methods can rebind only its own attributes.
        """
        snap = self._snap
        if snap is None or snap[0] != self._version:
            self._flush()
            snap = self._snap = (self._version, {})
        A = snap[1].get(a)
        if A is None:
            reg = self._reg
            data, indices, indptr = self._base.snapshot(
                a, len(reg.labels), reg.n_live, reg.positions(), self._dtype)
            n = reg.n_live
            A = sp.csr_array((readonly_view(data), readonly_view(indices), readonly_view(indptr)),
                             shape=(n, n), copy=False)
            A.has_canonical_format = True
            snap[1][a] = A
        return copy.copy(A)

    def adjacency(self, format: str = "csr", weight: str | None = "weight", dtype=None, *,
                  copy: bool = False, attr=_UNSET):
        """The n x n adjacency as a scipy sparse array, rows in :attr:`labels` order.

        ``A[i, j]`` is attribute `weight` of the edge from row i to row j.
        Stored zeros are edges and stay stored.

        Parameters
        ----------
        format : {"csr", "csc", "coo", "lil", "dok"}
        weight : str or None
            The edge attribute that fills the matrix; None: 1 for every edge.
        dtype : numpy dtype, optional
            Cast the values.
        copy : bool, default False
            ``format="csr"`` of an unchanged store is O(1): a new csr_array
            over the store's read-only arrays, so in-place methods either raise
            (``eliminate_zeros``, writes to ``data``) or change only the
            caller's object (``setdiag`` on a new entry, ``resize``); the store
            never changes. ``copy=True`` gives a writable copy for in-place
            work; other formats and dtypes are always new, writable arrays.
        attr : str
            Deprecated spelling of `weight`.

        Notes
        -----
        A whole-graph read: the first call after a change merges, O(nnz +
        pending); later calls are O(1).

        Examples
        --------
        >>> g = gs.GraphStore(directed=True)
        >>> g.add_edge("a", "b", weight=3.0)
        >>> A = g.adjacency()
        >>> A.shape, A[0, 1]
        ((2, 2), np.float64(3.0))
        >>> A.resize((5, 5)); g.adjacency().shape  # the caller's object only
        (2, 2)
        """
        if attr is not _UNSET:
            warnings.warn("adjacency(attr=...) is deprecated; use weight=...",
                          DeprecationWarning, stacklevel=2)
            weight = attr
        check_choice("format", format, FORMATS)
        with self._lock:
            a = None if weight is None else self._attr_number(weight)
            A = self._matrix(a)
        if dtype is not None and np.dtype(dtype) != A.dtype:
            return A.astype(dtype).asformat(format, copy=False)
        if format == "csr":
            return A.copy() if copy else A
        return A.asformat(format, copy=True)

    def snapshot(self, weight: str | None = "weight") -> Snapshot:
        """A frozen, consistent view: the adjacency, its labels and the version, under one lock.

        ``adjacency()`` and ``labels`` are two calls, which another thread's
        write may separate; a snapshot is one. O(1) on an unchanged store
        plus O(n) for the labels; the first read after a change merges.

        Examples
        --------
        >>> g = gs.GraphStore()
        >>> g.add_edge("a", "b")
        >>> s = g.snapshot()
        >>> s.labels, s.matrix.shape
        (('a', 'b'), (2, 2))
        """
        with self._lock:
            a = None if weight is None else self._attr_number(weight)
            return Snapshot(self._matrix(a), tuple(self._reg.live_labels()), self._version)

    # ------------------------------------------------------------------
    def _check(self) -> None:
        """Raise AssertionError unless every invariant of the class docstring holds. O(nnz + n).

        Each rule names what it checks. Tests call it after every operation;
        :meth:`load` calls it on what it read.
        """
        with self._lock:
            reg, base, p = self._reg, self._base, self._p
            cap = self._capacity
            reg.check(_require, cap)
            alive = np.zeros(cap, dtype=bool)
            alive[: len(reg.labels)] = reg.alive_mask()
            base.check(_require, cap, len(reg.labels), alive[: len(reg.labels)],
                       self._directed, self._dtype)
            p.check(_require, alive, self._directed)
            dead = base.dead
            for i, t in base.rowmemo.items():
                lo, hi = int(base.indptr[i]), int(base.indptr[i + 1])
                cols = [int(base.indices[q]) for q in range(lo, hi) if dead is None or not dead[q]]
                _require(t == tuple(reg.label_list(cols)),
                         f"the neighbor memo of row {i} lists the labels of its live entries")
            hot = self._hot
            owned = np.zeros(cap, dtype=bool)
            owned[list(hot)] = True
            self._check_owned(owned)
            # counts: live base edges plus pending pairs not live in the base, where a
            # row is not owned; plus the pairs of two owned rows
            rows = base.rows_of_entries()
            live = np.ones(base.nnz, bool) if base.dead is None else ~base.dead
            live &= ~(owned[rows] & owned[base.indices])
            if not self._directed:
                live &= rows <= base.indices
            n_edges, n_loops = int(live.sum()), int((live & (rows == base.indices)).sum())
            for i, r in p.rows.items():
                for j in r:
                    if base.lookup(i, j) < 0 and not (owned[i] and owned[j]):
                        n_edges += 1
                        n_loops += i == j
            for i, h in hot.items():
                for j in h:
                    if j >= i and owned[j]:
                        n_edges += 1
                        n_loops += i == j
            if p.unfolded() == 0:
                _require(self._n_edges == n_edges, "num_edges counts the live edges")
                _require(self._n_loops == n_loops, "the self-loop count is exact")

    def _check_owned(self, owned: np.ndarray) -> None:
        """The owned-row rules of the class docstring (see :mod:`graphstore._owned`)."""
        hot, reg = self._hot, self._reg
        _require(not hot or self._owns, "only undirected single-attribute float64 stores own rows")
        _require(self._n_hot == sum(len(h) for h in hot.values()), "the owned-entry count is exact")
        _require(self._dirty <= hot.keys(), "dirty rows are owned rows")
        alive = reg.alive_mask()
        for i, h in hot.items():
            _require(i < len(alive) and alive[i], f"owned row {i} is a live vertex")
            for j, x in h.items():
                _require(j < len(alive) and alive[j], f"owned row {i} lists live vertices")
                _require(x.__class__ is float and x - x == 0.0,
                         f"owned row {i} holds finite floats")
                if owned[j]:
                    _require(hot[j].get(i) == x, f"owned rows {i} and {j} agree on their pair")
            if self._p.unfolded() == 0:
                want = row_entries(self._base, self._p.rows, self._p.cols, i, self._dtype)
                _require({c: x for c, x in h.items() if not owned[c]}
                         == {c: x for c, x in want.items() if not owned[c]},
                         f"owned row {i} follows the base and pending writes for rows not owned")
                if i not in self._dirty:
                    _require(h == want,
                             f"owned row {i}, not written since the merge, equals its base row")

    # ------------------------------------------------------------------
    # conversions and persistence: graphstore.convert and graphstore.io
    # produce and consume plain arrays; these methods build and read stores
    def to_networkx(self):
        """A networkx Graph or DiGraph with every attribute (a whole-graph read, O(nnz)).

        Nodes are added in ``g.labels`` order and edges in row-major order, so
        ``nx.to_scipy_sparse_array(g.to_networkx())`` equals ``g.adjacency()``.

        Examples
        --------
        >>> g = gs.GraphStore()
        >>> g.add_edge("a", "b", weight=2.0)
        >>> list(g.to_networkx().edges(data=True))
        [('a', 'b', {'weight': 2.0})]
        """
        from .convert import to_networkx as build

        if len(self._attrs) == 1:
            return build(self.labels, self._directed, self.edges(data="weight"), "weight")
        return build(self.labels, self._directed, self.edges(data=True))

    @classmethod
    def _from_edge_arrays(cls, ea) -> GraphStore:
        """A store from a :class:`graphstore.convert.EdgeArrays` record."""
        n = ea.labels if isinstance(ea.labels, int) else len(ea.labels)
        g = cls(ea.directed, capacity=max(n, 1), dtype=ea.dtype, edge_attrs=ea.edge_attrs)
        g.add_vertices(ea.labels)
        values = dict(ea.values)
        w = values.pop("weight", None)
        g.add_edges(ea.src, ea.dst, w, by="id", combine=ea.combine, **values)
        return g

    @classmethod
    def from_networkx(cls, G, weight="weight", nodelist=None, *, edge_attrs=None,
                      dtype=np.float64) -> GraphStore:
        """Build a store from a networkx graph (Graph, DiGraph, MultiGraph, MultiDiGraph).

        Parameters
        ----------
        G : networkx graph
        weight : str or None
            The edge attribute read as the store's weight; None: every edge
            weighs 1. A missing attribute reads as 1, as
            ``nx.to_scipy_sparse_array`` does.
        nodelist : list, optional
            Vertices and their order (default ``list(G)``); edges leaving it are dropped.
        edge_attrs : tuple of str, optional
            Other numeric attributes to carry (``"weight"`` is always carried).
        dtype : numpy dtype

        Notes
        -----
        Parallel edges of multigraphs are summed, attribute by attribute, as
        ``nx.to_scipy_sparse_array`` sums their weights. O(n + m).

        Examples
        --------
        >>> G = nx.MultiGraph([(0, 1), (0, 1), (1, 2)])
        >>> gs.GraphStore.from_networkx(G).adjacency().toarray()
        array([[0., 2., 0.],
               [2., 0., 1.],
               [0., 1., 0.]])
        """
        from .convert import from_networkx

        return cls._from_edge_arrays(from_networkx(G, weight, nodelist, edge_attrs=edge_attrs,
                                                   dtype=dtype))

    @classmethod
    def from_scipy(cls, A, directed=None, labels=None, *, symmetrize=None,
                   dtype=None) -> GraphStore:
        """Build a store from a square scipy sparse matrix (or array, or 2-D ndarray).

        Parameters
        ----------
        A : sparse or dense, shape (n, n)
            ``A[i, j]`` is the weight of edge i -> j; stored zeros are edges.
            Duplicate COO entries are summed, as scipy does.
        directed : bool, optional
            Default: directed unless `A` is symmetric.
        labels : sequence, optional
            Vertex labels in row order; default ``0..n-1``.
        symmetrize : {"max", "min", "sum", "upper", "lower"}, optional
            How an undirected store reads an asymmetric `A` (the pair's max,
            min or sum, or one triangle); without it an asymmetric `A` with
            ``directed=False`` is a ValueError naming an offending entry. An
            entry whose mirror is not stored is taken as it is; the diagonal
            is read once.
        dtype : numpy dtype, optional
            Default: A's dtype if it is real, else float64.

        Examples
        --------
        >>> A = sp.csr_array(np.array([[0, 2], [1, 0]]))
        >>> gs.GraphStore.from_scipy(A).directed
        True
        >>> gs.GraphStore.from_scipy(A, directed=False, symmetrize="max").adjacency().toarray()
        array([[0, 2],
               [2, 0]])
        """
        from .convert import from_scipy

        return cls._from_edge_arrays(from_scipy(A, directed, labels, symmetrize=symmetrize,
                                                dtype=dtype))

    @classmethod
    def from_edges(cls, src, dst, weight=None, *, directed=False, labels=None, combine="last",
                   dtype=np.float64, edge_attrs=("weight",), **attrs) -> GraphStore:
        """Build a store from edge arrays (see :meth:`add_edges`). O(k).

        Examples
        --------
        >>> g = gs.GraphStore.from_edges(["a", "b"], ["b", "c"], [1.0, 2.0])
        >>> g.labels, g.num_edges
        (['a', 'b', 'c'], 2)
        """
        g = cls(directed, dtype=dtype, edge_attrs=edge_attrs)
        if labels is not None:
            g.add_vertices(labels)
        g.add_edges(src, dst, weight, combine=combine, **attrs)
        return g

    def _state(self):
        """The store as a :class:`graphstore.io.StoreState` (a whole-graph read)."""
        from .io import StoreState

        with self._lock:
            self._flush()
            reg, base = self._reg, self._base
            n_ids = len(reg.labels)
            return StoreState(
                directed=self._directed, dtype=self._dtype, attrs=self._attrs,
                labels=list(reg.labels), alive=reg.alive_mask().copy(), capacity=self._capacity,
                indptr=base.indptr[: n_ids + 1], indices=base.indices, vals=list(base.vals),
            )

    @classmethod
    def _from_state(cls, st) -> GraphStore:
        """A store from a :class:`graphstore.io.StoreState`; ValueError if it is inconsistent."""
        n_ids = len(st.labels)
        g = cls(st.directed, capacity=max(st.capacity, n_ids, 1), dtype=st.dtype,
                edge_attrs=st.attrs)
        indptr = np.empty(g._capacity + 1, dtype=np.int64)
        src = np.asarray(st.indptr, dtype=np.int64)
        if len(src) != n_ids + 1:
            raise ValueError("row pointer and labels differ in length")
        indptr[: n_ids + 1] = src
        indptr[n_ids + 1 :] = src[-1]
        if not (indptr[0] == 0 and indptr[-1] == len(st.indices) and np.all(np.diff(indptr) >= 0)):
            raise ValueError("row pointer is not a valid CSR row pointer")
        indices = np.array(st.indices, dtype=g._base.index_dtype)
        if len(indices) and (indices.min() < 0 or indices.max() >= n_ids):
            raise ValueError("column index out of range")
        vals = [np.array(v, dtype=g._dtype) for v in st.vals]
        if len(vals) != len(st.attrs) or any(len(v) != len(indices) for v in vals):
            raise ValueError("values and indices differ in length")
        g._reg.restore(st.labels, np.asarray(st.alive, dtype=bool))
        rows = np.repeat(np.arange(g._capacity, dtype=np.intp), np.diff(indptr))
        g._base.install(indptr, indices, vals, int(np.count_nonzero(rows == indices)))
        g._n_loops = g._base.n_loops
        nnz = len(indices)
        g._n_edges = nnz if g._directed else (nnz + g._n_loops) // 2
        g._version += 1
        try:
            g._check()
        except AssertionError as err:
            raise ValueError(f"stored graph breaks an invariant: {err}") from err
        return g

    def save(self, path) -> None:
        """Write the store atomically to `path` (.npz); see :func:`graphstore.save`. O(nnz)."""
        from .io import save_state

        save_state(self._state(), path)

    @classmethod
    def load(cls, path) -> GraphStore:
        """Read a store written by :meth:`save`; see :func:`graphstore.load`. O(nnz)."""
        from .io import StoreFormatError, load_state

        st = load_state(path)
        try:
            return cls._from_state(st)
        except (KeyError, TypeError, ValueError, IndexError) as err:
            raise StoreFormatError(f"{path!s} is not a valid graphstore file: {err}") from err


def to_networkx(g: GraphStore):
    """A networkx graph with every attribute; see :meth:`GraphStore.to_networkx`.

    Examples
    --------
    >>> g = gs.GraphStore()
    >>> g.add_edge("a", "b", weight=2.0)
    >>> list(gs.to_networkx(g).edges(data=True))
    [('a', 'b', {'weight': 2.0})]
    """
    return g.to_networkx()


def save(g: GraphStore, path) -> None:
    """Write `g` to `path` (.npz) atomically: temp file, fsync, rename. O(nnz).

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
    g.save(path)


def load(path) -> GraphStore:
    """Read a store written by :func:`save`. O(nnz).

    Truncated, corrupted (checksum), foreign or other-version files raise
    :class:`graphstore.StoreFormatError` (a ValueError); nothing is ever unpickled.
    """
    return GraphStore.load(path)
