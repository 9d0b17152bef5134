"""The label registry: labels <-> vertex ids, implicit labels, vectorized lookup.

Vertex ids ``0, 1, ...`` are handed out in order and never reused. Each id
has a label; a label equal to its id can be stored *implicitly* (``None`` in
the label list, no dict entry: 8 bytes a vertex). The registry knows nothing
of edges; the store calls it under its lock.
"""

from __future__ import annotations

import itertools
import operator
from typing import NamedTuple

import numpy as np

from ._factorize import _is_arrow, factorize_pairs
from ._validate import check_count, check_id_array, check_label

__all__ = ["EdgePlan", "LabelRegistry", "label_array"]


class EdgePlan(NamedTuple):
    """A batch of edges mapped to ids by :meth:`LabelRegistry.plan_edges`; nothing changed yet."""

    src: np.ndarray  # the id of each source endpoint (intp); new labels have their future ids
    dst: np.ndarray  # the id of each target endpoint
    new: list  # the labels to create, in order: they get ids n_ids, n_ids + 1, ...
    implicit: bool  # `new` can be stored implicitly (add_many's flag)


class LabelRegistry:
    """Labels of the vertex ids, which ids are alive, and the label -> id map.

    State (listed once):

    * ``labels``: the label of every id handed out; ``None`` marks an implicit
      label (the id itself), which ``index`` does not hold.
    * ``alive``: a bytearray over the capacity, 1 where the id is a live vertex.
    * ``index``: live explicit label -> id.
    * ``n_live``: the number of live vertices.
    * ``default``: True while every live label equals its id.
    * ``dense``: the number of ids while every id handed out is alive with
      an implicit label (ids 0..dense-1 are the labels), else 0: the query
      hot paths resolve a pair of such labels with two comparisons.
    * ``vversion``: bumped by every vertex change (the positions cache key).
    """

    __slots__ = ("labels", "alive", "index", "n_live", "default", "dense", "vversion", "n_implicit",
                 "_pos")

    def __init__(self, capacity: int) -> None:
        self.labels: list = []  # label of each id; None = implicit (the id)
        self.alive = bytearray(capacity)  # 1 where the id is a live vertex
        self.index: dict = {}  # live explicit label -> id
        self.n_live = 0  # live vertices
        self.default = True  # every live label equals its id
        self.dense = 0  # len(labels) while all ids are alive and implicit, else 0
        self.vversion = 0  # bumped by every vertex change
        self.n_implicit = 0  # ids (live or not) whose label is implicit
        self._pos = None  # (vversion, row of each id) when ids have holes

    # ------------------------------------------------------------------
    # lookups
    @property
    def n_ids(self) -> int:
        return len(self.labels)

    def find(self, label) -> int:
        """The id of live vertex `label`, or -1. Raises TypeError if unhashable. O(1)."""
        i = self.index.get(label, -1)
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
        labels = self.labels
        if 0 <= k < len(labels) and labels[k] is None and self.alive[k]:
            return k
        return -1

    def find2(self, u, v):
        """``(find(u), find(v))`` with the two common cases inlined (the query hot path).

        An implicit label (an int id) costs one list check, an explicit one a
        dict lookup; a shared helper call per label would cost more than both.
        """
        labels, alive = self.labels, self.alive
        n = len(labels)
        if u.__class__ is int and 0 <= u < n and labels[u] is None and alive[u]:
            i = u
        else:
            i = self.index.get(u, -1)
            if i < 0:
                i = self.find(u)
        if v.__class__ is int and 0 <= v < n and labels[v] is None and alive[v]:
            j = v
        else:
            j = self.index.get(v, -1)
            if j < 0:
                j = self.find(v)
        return i, j

    def id(self, label) -> int:
        """The id of live vertex `label`; KeyError if there is none. O(1)."""
        try:
            i = self.find(label)
        except TypeError:
            check_label(label)
            raise
        if i < 0:
            raise KeyError(f"vertex {label!r} is not in the store")
        return i

    def check_id(self, vid) -> int:
        """`vid` as a live id: TypeError if not an integer, IndexError, KeyError if removed."""
        if isinstance(vid, (float, np.floating, bool, np.bool_)):
            raise TypeError(f"vertex id {vid!r} is not an integer")
        try:
            i = operator.index(vid)
        except TypeError:
            raise TypeError(f"vertex id {vid!r} is not an integer") from None
        if not 0 <= i < len(self.labels):
            raise IndexError(f"vertex id {i} is out of range for {len(self.labels)} ids")
        if not self.alive[i]:
            raise KeyError(f"vertex id {i} was removed")
        return i

    def label(self, i: int):
        """The label of id `i`."""
        lab = self.labels[i]
        return i if lab is None else lab

    def label_list(self, ids) -> list:
        """The labels of the vertex ids `ids` (an array or a list of ints). O(len(ids))."""
        ids = ids.tolist() if isinstance(ids, np.ndarray) else ids
        if self.default:
            return list(ids)
        lab = self.labels
        if not self.n_implicit:
            return list(map(lab.__getitem__, ids))
        return [i if lab[i] is None else lab[i] for i in ids]

    def alive_mask(self) -> np.ndarray:
        """A read-only bool view of the alive flags of the ids handed out. O(1)."""
        return np.frombuffer(self.alive, dtype=np.bool_)[: len(self.labels)]

    def live_labels(self) -> list:
        """Labels of the live vertices in id order. O(n)."""
        labels = self.labels
        if self.n_live == len(labels):
            if self.n_implicit == 0:
                return list(labels)  # a copy, in C
            if self.n_implicit == len(labels):
                return list(range(len(labels)))
        alive = self.alive_mask().tolist()
        return [k if lab is None else lab
                for k, (lab, a) in enumerate(zip(labels, alive, strict=True)) if a]

    def positions(self) -> np.ndarray:
        """Row of each id in exports (removed ids map to -1). O(n), cached per vertex change."""
        if self._pos is None or self._pos[0] != self.vversion:
            alive = self.alive_mask()
            pos = np.cumsum(alive, dtype=np.int64) - 1
            pos[~alive] = -1
            pos.flags.writeable = False
            self._pos = (self.vversion, pos)
        return self._pos[1]

    def row(self, i: int) -> int:
        """The export row of live id `i`: O(1) without removals, O(n) once after one."""
        if self.n_live == len(self.labels):
            return i
        return int(self.positions()[i])

    # ------------------------------------------------------------------
    # changes (the caller has made room: len(labels) + k <= capacity)
    def grow(self, capacity: int) -> bytearray:
        """A new alive buffer of `capacity` (installed by :meth:`install_alive`)."""
        alive = bytearray(capacity)
        alive[: len(self.alive)] = self.alive
        return alive

    def install_alive(self, alive: bytearray) -> None:
        self.alive = alive

    def add_implicit(self) -> int:
        """Add one vertex whose label is its id, stored implicitly (default stores)."""
        i = len(self.labels)
        self.labels.append(None)
        self.n_implicit += 1
        self.alive[i] = 1
        self.n_live += 1
        self.vversion += 1
        if self.dense == i:
            self.dense = i + 1
        return i

    def add(self, label) -> int:
        """Add one vertex with a new, checked `label`; return its id."""
        i = len(self.labels)
        self.labels.append(label)
        self.index[label] = i
        self.dense = 0
        self.alive[i] = 1
        self.n_live += 1
        self.vversion += 1
        if self.default and label != i:
            self.default = False
        return i

    def check_new(self, label):
        """Raise unless `label` can name a new vertex; return it."""
        try:
            taken = label in self.index
        except TypeError:
            check_label(label)
            raise
        check_label(label)
        if not taken and label.__class__ is not str:
            taken = self.find(label) >= 0  # an implicit label: an int-like id
        if taken:
            raise ValueError(f"vertex {label!r} is already in the store")
        return label

    def plan_many(self, labels_or_count):
        """Validate a batch of new vertices; return ``(labels, implicit)`` without changing anything.

        `labels` is a range for a count. ``implicit`` says the labels can be
        stored implicitly (each an int equal to its new id on a default store).
        """
        start = len(self.labels)
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
            labels = _label_list(labels_or_count)
            self._check_new_labels(labels)
        implicit = self.default and (isinstance(labels, range) or all(
            lab.__class__ is int and lab == i for i, lab in enumerate(labels, start)
        ))
        if isinstance(labels, range) and not implicit:
            clash = next((lab for lab in labels if lab in self.index), None)
            if clash is not None:
                raise ValueError(f"vertex {clash!r} is already in the store")
        return labels, implicit

    def _check_new_labels(self, labels: list) -> None:
        """Raise unless `labels` are valid, distinct and new. O(k), set operations in C."""
        try:
            distinct = set(labels)
        except TypeError:
            for lab in labels:
                check_label(lab)  # raises, naming the unhashable label
            raise
        # a label that does not equal itself (NaN): all(map(eq)) runs in C
        if None in distinct or not all(map(operator.eq, distinct, distinct)):
            for lab in labels:
                check_label(lab)  # raises, naming None or the NaN
        taken = distinct & self.index.keys() if self.index else set()
        if self.n_implicit:  # int-like labels may name implicit ids
            taken |= {lab for lab in distinct if lab.__class__ is not str and self.find(lab) >= 0}
        if taken or len(distinct) != len(labels):
            seen = set()
            for lab in labels:
                if lab in seen or lab in taken:
                    raise ValueError(f"vertex {lab!r} is already in the store or repeated")
                seen.add(lab)

    def add_many(self, labels, implicit: bool) -> np.ndarray:
        """Add the vertices :meth:`plan_many` validated; return their ids."""
        start = len(self.labels)
        k = len(labels)
        if implicit:
            self.labels.extend(itertools.repeat(None, k))
            self.n_implicit += k
        else:
            self.labels.extend(labels)
            self.index.update(zip(labels, range(start, start + k), strict=True))
            if self.default:
                self.default = all(lab == i for i, lab in enumerate(labels, start))
        self.alive[start : start + k] = b"\x01" * k
        self.n_live += k
        if k:
            self.vversion += 1
        self._redense()
        return np.arange(start, start + k)

    def _redense(self) -> None:
        n = len(self.labels)
        self.dense = n if self.n_implicit == self.n_live == n else 0

    def remove(self, i: int) -> None:
        """Mark live id `i` removed; its label may name a new vertex afterwards."""
        lab = self.labels[i]
        if lab is not None:
            del self.index[lab]
        self.alive[i] = 0
        self.n_live -= 1
        self.dense = 0
        self.vversion += 1

    def renumber(self) -> None:
        """Make the live vertices ids ``0..n-1`` in order (the store moves the edges)."""
        labels = self.live_labels()
        n = len(labels)
        self.alive[:] = bytes(len(self.alive))
        self.alive[:n] = b"\x01" * n
        self.default = all(lab.__class__ is int and lab == i for i, lab in enumerate(labels))
        if self.default:
            self.labels, self.index = [None] * n, {}
            self.n_implicit = n
        else:
            self.n_implicit = 0
            self.labels = labels
            self.index = dict(zip(labels, range(n), strict=True))
        self._redense()
        self.vversion += 1

    def restore(self, labels: list, alive: np.ndarray) -> None:
        """Install labels (None = implicit) and alive flags read from a file; ValueError if inconsistent."""
        n_ids = len(labels)
        if len(alive) != n_ids:
            raise ValueError("labels and alive mask differ in length")
        self.labels = labels
        self.n_implicit = sum(1 for lab in labels if lab is None)
        self.alive[:n_ids] = alive.astype(bool).tobytes()
        self.index = {lab: i for i, lab in enumerate(labels) if alive[i] and lab is not None}
        self.n_live = int(alive.sum())
        self._redense()
        explicit = sum(1 for i, lab in enumerate(labels) if alive[i] and lab is not None)
        if len(self.index) != explicit:
            raise ValueError("two live vertices share a label")
        for lab in self.index:
            check_label(lab)
        self.default = all(lab == i for lab, i in self.index.items())
        self.vversion += 1

    # ------------------------------------------------------------------
    # vectorized lookup for batches
    def plan_edges(self, src, dst, by: str) -> EdgePlan:
        """Map a batch of edge endpoints to ids and list the labels to create; change nothing.

        ``by="id"``: `src` and `dst` are live ids (checked as :meth:`check_ids`
        does). ``by="label"``: known labels map to their ids; unknown ones
        are listed in ``plan.new`` in networkx's order of first appearance
        (``src[0], dst[0], src[1], dst[1], ...``) and mapped to the ids they
        will get, ``n_ids, n_ids + 1, ...``. The caller creates them with
        ``add_many(plan.new, plan.implicit)`` once the whole batch is valid.

        Raises ValueError for arrays that are not 1-D or differ in length,
        and as :meth:`check_ids` for bad ids.

        Cost: O(m) expected for m edges: one hash factorization of both
        arrays (:func:`graphstore._factorize.factorize_pairs`), then one dict
        lookup per distinct label, run in C (``map(dict.get, ...)``); none
        when the store has no explicit labels yet. Python-level work per label
        happens only for labels that are neither text nor known, in a store
        that holds implicit labels (ints that may name an implicit id).
        """
        if by == "id":
            s = self.check_ids(src, "src")
            d = self.check_ids(dst, "dst")
            _same_length(len(s), len(d))
            return EdgePlan(s, d, [], False)
        s, d = self._live_ids(src), self._live_ids(dst)
        if s is not None and d is not None:  # a default store's labels are its ids
            _same_length(len(s), len(d))
            return EdgePlan(s, d, [], False)
        src, dst = _sized(src, "src"), _sized(dst, "dst")
        _same_length(len(src), len(dst))
        s, d, uniques = factorize_pairs(src, dst)
        n_ids = len(self.labels)
        mapped = self._lookup(uniques)
        miss = np.flatnonzero(mapped < 0)
        k = len(miss)
        if k == len(uniques):
            new = uniques  # all new: no per-label work
        else:
            new = list(map(uniques.__getitem__, miss.tolist()))
        if k:
            mapped[miss] = np.arange(n_ids, n_ids + k, dtype=np.intp)
        return EdgePlan(mapped[s], mapped[d], new, self._implicit_ok(new, n_ids))

    def _live_ids(self, arr):
        """A default store's 1-D integer label array as ids, if each is a live id; else None."""
        if not (self.default and isinstance(arr, np.ndarray) and arr.dtype.kind in "iu"
                and arr.ndim == 1):
            return None
        if len(arr) == 0:
            return arr.astype(np.intp)
        lo, hi = arr.min(), arr.max()
        n_ids = len(self.labels)
        if lo < 0 or hi >= n_ids:
            return None
        ids = arr.astype(np.intp, copy=False)
        if self.n_live == n_ids or self.alive_mask()[ids].all():
            return ids
        return None

    def _lookup(self, keys: list) -> np.ndarray:
        """The id of each of the distinct, valid labels `keys`, -1 where there is none. O(k)."""
        k = len(keys)
        if not self.index and not self.n_implicit:
            return np.full(k, -1, dtype=np.intp)
        mapped = np.fromiter(map(self.index.get, keys, itertools.repeat(-1)), dtype=np.intp,
                             count=k)
        if self.n_implicit:
            self._find_implicit(keys, mapped)
        return mapped

    def _find_implicit(self, keys: list, mapped: np.ndarray) -> None:
        """Fill in the implicit ids among the keys `mapped` has as -1.

        Python ints (what factorize makes of integer arrays) are checked
        together: range, implicit, alive, in C. Other kinds that may equal an
        int (floats, bools, numpy scalars) go through :meth:`find` one by one;
        text never names an implicit id.
        """
        miss = np.flatnonzero(mapped < 0)
        if not len(miss):
            return
        sub = list(map(keys.__getitem__, miss.tolist()))
        kinds = set(map(type, sub))
        if kinds == {int}:
            try:
                kk = np.array(sub, dtype=np.int64)
            except OverflowError:  # beyond int64: no id that large
                kk = None
            if kk is not None:
                inside = (kk >= 0) & (kk < len(self.labels))
                j, kj = miss[inside], kk[inside]
                if len(kj):
                    labs = operator.itemgetter(*kj.tolist())(self.labels)
                    labs = (labs,) if len(kj) == 1 else labs
                    hit = np.fromiter(map(operator.is_, labs, itertools.repeat(None)),
                                      dtype=bool, count=len(kj))
                    hit &= self.alive_mask()[kj]
                    mapped[j[hit]] = kj[hit]
                return
        if kinds <= {str, bytes}:
            return
        for j, key in zip(miss.tolist(), sub, strict=True):
            if key.__class__ not in (str, bytes):
                mapped[j] = self.find(key)

    def _implicit_ok(self, new: list, first: int) -> bool:
        """Whether `new` are the ints ``first, first + 1, ...`` of a default store. O(k) in C."""
        if not (new and self.default and new[0].__class__ is int and new[0] == first):
            return False
        if set(map(type, new)) != {int}:
            return False
        try:
            arr = np.array(new, dtype=np.int64)
        except OverflowError:
            return False
        return bool((arr == np.arange(first, first + len(new))).all())

    def check_ids(self, ids, what: str) -> np.ndarray:
        """`ids` as an array of live ids, without changing anything. O(k).

        Raises TypeError (not integers), ValueError (not 1-D), IndexError (out
        of range) or KeyError (a removed id), naming the bad value and `what`.
        """
        n_ids = len(self.labels)
        ids = check_id_array(ids, what)
        if len(ids):
            lo, hi = ids.min(), ids.max()
            if lo < 0 or hi >= n_ids:
                bad = lo if lo < 0 else hi
                raise IndexError(f"vertex id {bad} in {what} is out of range for {n_ids} ids")
            if self.n_live != n_ids:
                ok = self.alive_mask()[ids]
                if not ok.all():
                    raise KeyError(f"vertex id {ids[~ok][0]} in {what} was removed")
        return ids

    # ------------------------------------------------------------------
    def check(self, require, capacity: int) -> None:
        """Raise AssertionError (through `require`) unless the registry's invariants hold."""
        n_ids = len(self.labels)
        require(n_ids <= capacity and len(self.alive) == capacity,
                "ids handed out fit the capacity; the alive flags span it")
        require(not any(self.alive[n_ids:]), "ids past the ones handed out are not alive")
        alive = self.alive_mask()
        require(int(alive.sum()) == self.n_live, "n_live counts the live ids")
        for lab, i in self.index.items():
            require(0 <= i < n_ids and alive[i] and self.labels[i] == lab,
                    f"label {lab!r} maps to its own live id")
            require(lab == lab, f"label {lab!r} equals itself")
        require(self.n_implicit == sum(1 for lab in self.labels if lab is None),
                "n_implicit counts the implicit labels")
        implicit = [k for k, lab in enumerate(self.labels) if lab is None and alive[k]]
        require(len(implicit) + len(self.index) == self.n_live,
                "every live id has exactly one label, implicit or explicit")
        for k in implicit:
            require(k not in self.index, f"implicit label {k} is not also an explicit label")
        if self.default:
            require(all(lab == i for lab, i in self.index.items()),
                    "default flag: every live label equals its id")
        require(self.dense == (n_ids if self.n_implicit == self.n_live == n_ids else 0),
                "dense: the id count while every id is alive and implicit, else 0")


def label_array(labels) -> np.ndarray:
    """A 1-D array of labels that keeps each label as it is.

    numpy would turn ``["a", 1]`` into strings and ``[(0, 1), (2, 3)]`` into a
    2-D array; labels of one plain kind (all str, all int, all float) keep a
    typed array, anything else becomes an object array of the labels.
    """
    labels = labels if isinstance(labels, (list, tuple)) else list(labels)
    if not labels:
        return np.zeros(0, dtype=np.intp)
    kinds = {type(x) for x in labels}
    if len(kinds) == 1 and kinds <= {int, float}:
        return np.asarray(labels)  # (not str: a numpy U array drops trailing NULs)
    if kinds <= {int, np.int64, np.int32, np.intp}:
        return np.asarray(labels)
    return np.fromiter(labels, dtype=object, count=len(labels))


def _sized(x, what: str):
    """`x` as something with a length (arrays and lists as they are)."""
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{what} must be an array of labels, got the single label {x!r}")
    if isinstance(x, np.ndarray) and x.ndim != 1:
        raise ValueError(f"{what} must be 1-D, got an array of shape {x.shape}")
    if isinstance(x, (np.ndarray, list, tuple)) or _is_arrow(x):
        return x
    return list(x)


def _same_length(ks: int, kd: int) -> None:
    if ks != kd:
        raise ValueError(f"src has {ks} entries but dst has {kd}")


def _label_list(labels) -> list:
    """A batch of labels as a list of Python objects, the ones factorize gives for arrays.

    numpy arrays through ``tolist()`` (``str``, ``int``, ``float`` rather than
    numpy scalars; an object array's own objects), pyarrow arrays through
    ``to_pylist()`` (a null is None, which the checks refuse).
    """
    if isinstance(labels, np.ndarray):
        if labels.ndim != 1:
            raise ValueError(f"labels must be 1-D, got an array of shape {labels.shape}")
        return labels.tolist()
    if _is_arrow(labels):
        return labels.to_pylist()
    return list(labels)
