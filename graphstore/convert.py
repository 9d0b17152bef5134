"""Conversions: networkx and scipy.sparse, both directions, as plain arrays.

This module never imports the store: the readers return an
:class:`EdgeArrays` record that :class:`graphstore.GraphStore`'s classmethods
build a store from (one edge-array path: ``add_edges`` with vertex ids), and
:func:`to_networkx` takes labels and edges. networkx is imported inside the
functions that need it, so ``import graphstore`` stays light.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from typing import NamedTuple

from ._validate import check_choice

__all__ = ["EdgeArrays", "to_networkx", "from_networkx", "from_scipy"]

SYMMETRIZE = ("max", "min", "sum", "upper", "lower")


class EdgeArrays(NamedTuple):
    """A graph as arrays: what a store is built from."""

    directed: bool
    labels: list | int  # vertex labels in row order, or a count (labels 0..n-1)
    src: np.ndarray  # edge sources, as positions in `labels`
    dst: np.ndarray  # edge targets, likewise
    values: dict  # attribute name -> values, "weight" included
    combine: str  # how repeated pairs combine ("last", "sum", ...)
    dtype: np.dtype
    edge_attrs: tuple


def to_networkx(labels, directed: bool, edges, weighted: str | None = None):
    """A networkx ``Graph`` (``DiGraph`` if `directed`) with `labels` as nodes, in order.

    `edges` yields ``(u, v, {attr: value})``, or ``(u, v, value)`` of the one
    attribute `weighted` names (networkx's ``add_weighted_edges_from``, its
    fast path); see :meth:`GraphStore.to_networkx`. O(n + m).
    """
    import networkx as nx

    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(labels)
    if weighted is None:
        G.add_edges_from(edges)
    else:
        G.add_weighted_edges_from(edges, weight=weighted)
    return G


def from_networkx(G, weight="weight", nodelist=None, *, edge_attrs=None,
                  dtype=np.float64) -> EdgeArrays:
    """The arrays of a networkx graph; see :meth:`GraphStore.from_networkx`.

    The parameters are those of :meth:`GraphStore.from_networkx`; parallel
    edges of multigraphs come back with ``combine="sum"``. O(n + m).

    Examples
    --------
    >>> from graphstore.convert import from_networkx
    >>> ea = from_networkx(nx.MultiGraph([(0, 1), (0, 1), (1, 2)]))
    >>> ea.src, ea.dst, ea.values["weight"], ea.combine
    (array([0, 0, 1]), array([1, 1, 2]), array([1, 1, 1]), 'sum')
    """
    labels = list(G) if nodelist is None else list(nodelist)
    if len(set(labels)) != len(labels):
        raise ValueError("nodelist contains a node twice")
    missing = [u for u in labels if u not in G]
    if missing:
        raise KeyError(f"node {missing[0]!r} in nodelist is not in the graph")
    extra = tuple(a for a in (edge_attrs or ()) if a != "weight")
    pos = {u: k for k, u in enumerate(labels)}
    src, dst = [], []
    cols = {a: [] for a in ("weight",) + extra}
    for u, v, d in G.edges(data=True):
        if u in pos and v in pos:
            src.append(pos[u])
            dst.append(pos[v])
            cols["weight"].append(1 if weight is None else d.get(weight, 1))
            for a in extra:
                cols[a].append(d.get(a, 1))
    combine = "sum" if G.is_multigraph() else "last"
    values = {a: np.asarray(c, dtype=np.float64 if not c else None) for a, c in cols.items()}
    return EdgeArrays(bool(G.is_directed()), labels, np.asarray(src, dtype=np.intp),
                      np.asarray(dst, dtype=np.intp), values, combine, np.dtype(dtype),
                      ("weight",) + extra)


def _coo(A):
    """A canonical COO copy (duplicates summed) of a square 2-D matrix."""
    if sp.issparse(A):
        coo = sp.coo_array(A)
    else:
        arr = np.asarray(A)
        if arr.ndim != 2:
            raise ValueError(f"expected a 2-D matrix, got shape {arr.shape}")
        coo = sp.coo_array(arr)
    if coo.ndim != 2 or coo.shape[0] != coo.shape[1]:
        raise ValueError(f"an adjacency matrix must be square, got shape {coo.shape}")
    coo = coo.copy()
    coo.sum_duplicates()
    return coo


def _asymmetry(r, c, v, n):
    """The first (i, j) where the entries differ from their transpose, or None."""
    key = r.astype(np.int64) * n + c
    tkey = c.astype(np.int64) * n + r
    order = np.argsort(tkey)
    if np.array_equal(tkey[order], key) and np.array_equal(v[order], v):
        return None
    in_t = np.isin(key, tkey)
    if not in_t.all():
        k = int(np.flatnonzero(~in_t)[0])
    else:
        k = int(np.flatnonzero(v[order] != v)[0])
    return int(r[k]), int(c[k])


def from_scipy(A, directed=None, labels=None, *, symmetrize=None, dtype=None) -> EdgeArrays:
    """The arrays of a square sparse (or dense) matrix; see :meth:`GraphStore.from_scipy`.

    The parameters are those of :meth:`GraphStore.from_scipy`. O(nnz) (a sort
    when checking the symmetry of an undirected matrix).

    Examples
    --------
    >>> from graphstore.convert import from_scipy
    >>> ea = from_scipy(sp.csr_array(np.array([[0, 2], [1, 0]])))
    >>> ea.directed, ea.src, ea.dst, ea.values["weight"]
    (True, array([0, 1]), array([1, 0]), array([2, 1]))
    """
    if symmetrize is not None:
        check_choice("symmetrize", symmetrize, SYMMETRIZE)
    coo = _coo(A)
    n = coo.shape[0]
    if labels is not None:
        labels = list(labels)
        if len(labels) != n:
            raise ValueError(f"{len(labels)} labels for a {n} x {n} matrix")
    if dtype is None:
        dtype = coo.dtype if coo.dtype.kind in "iuf" else np.float64
    r, c, v = coo.row.astype(np.intp), coo.col.astype(np.intp), coo.data
    if v.dtype.kind == "c":
        raise TypeError(f"complex matrix of dtype {v.dtype}: graphstore stores real numbers")
    bad = _asymmetry(r, c, v, n) if directed is not True else None
    if directed is None:
        directed = bad is not None and symmetrize is None
    combine = "last"
    if not directed and bad is not None:
        if symmetrize is None:
            i, j = bad
            raise ValueError(
                f"A is not symmetric: A[{i}, {j}] differs from A[{j}, {i}]; "
                "pass directed=True or symmetrize="
            )
        if symmetrize == "upper":
            keep = r <= c
        elif symmetrize == "lower":
            keep = r >= c
        else:
            keep = slice(None)
            # each off-diagonal pair combines its two entries; the diagonal is read once
            combine = symmetrize
        r, c, v = r[keep], c[keep], v[keep]
    elif not directed:
        keep = r <= c
        r, c, v = r[keep], c[keep], v[keep]
    return EdgeArrays(bool(directed), n if labels is None else labels, r, c, {"weight": v},
                      combine, np.dtype(dtype), ("weight",))
