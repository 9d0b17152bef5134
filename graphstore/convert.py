"""Conversions: networkx and scipy.sparse, both directions.

networkx is imported inside the functions that need it, so the core never
depends on it at import time. Every converter goes through one edge-array
path: :meth:`GraphStore.add_edges` with vertex ids.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ._store import GraphStore
from ._validate import check_choice

__all__ = ["to_networkx", "from_networkx", "from_scipy", "from_edges"]

SYMMETRIZE = ("max", "min", "sum", "upper", "lower")


def to_networkx(g: GraphStore):
    """Return a networkx ``Graph`` (``DiGraph`` if directed) with every attribute.

    Nodes are added in ``g.labels`` order and edges in row-major order, so
    ``nx.to_scipy_sparse_array(to_networkx(g))`` equals ``g.adjacency()``.

    Examples
    --------
    >>> g = gs.GraphStore()
    >>> g.add_edge("a", "b", weight=2.0)
    >>> G = gs.to_networkx(g)
    >>> list(G.edges(data=True))
    [('a', 'b', {'weight': 2.0})]
    """
    import networkx as nx

    G = nx.DiGraph() if g.directed else nx.Graph()
    G.add_nodes_from(g.labels)
    G.add_edges_from(g.edges(data=True))
    return G


def from_networkx(G, weight="weight", nodelist=None, *, edge_attrs=None, dtype=np.float64):
    """Build a store from a networkx graph (Graph, DiGraph, MultiGraph, MultiDiGraph).

    Parameters
    ----------
    G : networkx graph
    weight : str or None
        The edge attribute read as the store's weight; None: every edge weighs 1.
        A missing attribute reads as 1, as ``nx.to_scipy_sparse_array`` does.
    nodelist : list, optional
        Vertices and their order (default ``list(G)``); edges leaving it are dropped.
    edge_attrs : tuple of str, optional
        Other numeric attributes to carry (``"weight"`` is always carried).
    dtype : numpy dtype

    Notes
    -----
    Parallel edges of multigraphs are summed, attribute by attribute, as
    ``nx.to_scipy_sparse_array`` sums their weights.

    Examples
    --------
    >>> G = nx.MultiGraph([(0, 1), (0, 1), (1, 2)])
    >>> gs.from_networkx(G).adjacency().toarray()
    array([[0., 2., 0.],
           [2., 0., 1.],
           [0., 1., 0.]])
    """
    labels = list(G) if nodelist is None else list(nodelist)
    if len(set(labels)) != len(labels):
        raise ValueError("nodelist contains a node twice")
    missing = [u for u in labels if u not in G]
    if missing:
        raise KeyError(f"node {missing[0]!r} in nodelist is not in the graph")
    extra = tuple(a for a in (edge_attrs or ()) if a != "weight")
    g = GraphStore(G.is_directed(), capacity=max(len(labels), 1), dtype=dtype,
                   edge_attrs=("weight",) + extra)
    g.add_vertices(labels)
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
    g.add_edges(np.asarray(src, dtype=np.intp), np.asarray(dst, dtype=np.intp),
                by="id", combine=combine, **values)
    return g


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


def from_scipy(A, directed=None, labels=None, *, symmetrize=None, dtype=None):
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
        How an undirected store reads an asymmetric `A` (the pair's max, min
        or sum, or one triangle); without it an asymmetric `A` with
        ``directed=False`` is a ValueError naming an offending entry. An
        entry whose mirror is not stored is taken as it is; the diagonal is
        read once.
    dtype : numpy dtype, optional
        Default: A's dtype if it is real, else float64.

    Examples
    --------
    >>> A = sp.csr_array(np.array([[0, 2], [1, 0]]))
    >>> gs.from_scipy(A).directed
    True
    >>> gs.from_scipy(A, directed=False, symmetrize="max").adjacency().toarray()
    array([[0, 2],
           [2, 0]])
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
    g = GraphStore(bool(directed), capacity=max(n, 1), dtype=dtype)
    g.add_vertices(n if labels is None else labels)
    g.add_edges(r, c, v, by="id", combine=combine)
    return g


def from_edges(src, dst, weight=None, *, directed=False, labels=None, combine="last",
               dtype=np.float64, edge_attrs=("weight",), **attrs):
    """Build a store from edge arrays (see :meth:`GraphStore.add_edges`).

    Examples
    --------
    >>> g = gs.from_edges(["a", "b"], ["b", "c"], [1.0, 2.0])
    >>> g.labels, g.num_edges
    (['a', 'b', 'c'], 2)
    """
    g = GraphStore(directed, dtype=dtype, edge_attrs=edge_attrs)
    if labels is not None:
        g.add_vertices(labels)
    g.add_edges(src, dst, weight, combine=combine, **attrs)
    return g
