"""The functions graphstore serves for networkx, on a store's CSR.

Each takes networkx's parameters by name (the dispatcher binds networkx's
signature first) and returns what networkx returns. Only the public API of
:class:`GraphStore` is used.
"""

from __future__ import annotations

import copy
import inspect
import math
from itertools import chain

import numpy as np
import scipy.sparse as sp

from .._store import GraphStore

# ----------------------------------------------------------------------
# reading the store (public API only)

# the lead is renaming adjacency(attr=) to adjacency(weight=); one place to switch
_ADJ_KW = "weight" if "weight" in inspect.signature(GraphStore.adjacency).parameters else "attr"

_native = [0]  # calls served by graphstore's own code (tests read it)


def native_calls() -> int:
    """How many calls graphstore's own code has served in this process.

    Tests and the networkx test-suite counter compare it before and after a
    call to prove the backend ran (not networkx on a copy).

    Examples
    --------
    >>> g = gs.from_edges(["a"], ["b"])
    >>> before = gs.nx_backend.native_calls()
    >>> nx.number_connected_components(g), gs.nx_backend.native_calls() - before
    (1, 1)
    """
    return _native[0]


# ----------------------------------------------------------------------
# per-version cache of what the served functions derive from a store

_DERIVED = "graphstore.nx_backend"  # our key in the store's __networkx_cache__


def _derived(g) -> dict:
    """The dict caching what the backend derives from `g`'s current version.

    It lives in ``g.__networkx_cache__``, which the store replaces by a fresh
    dict at every change, so nothing cached here outlives the version it was
    built from. Fetch it *before* reading the store: a write in between then
    leaves the new value on the old version's dict, never the reverse. O(1).
    """
    cache = g.__networkx_cache__
    d = cache.get(_DERIVED)
    if d is None:
        d = cache[_DERIVED] = {}
    return d


def _labels(g) -> list:
    """``g.labels``, built once per version (O(n) the first time, then O(1)). Read-only."""
    d = _derived(g)
    labels = d.get("labels")
    if labels is None:
        labels = d["labels"] = g.labels
    return labels


def _row_labels(g, rows) -> list:
    """The labels of rows (an array or a list), as a list. O(len(rows)).

    A store whose labels are its rows (the ints ``0..n-1``, checked once per
    version) needs no lookup: ``rows.tolist()`` is the answer.
    """
    d = _derived(g)
    ident = d.get("ident")
    if ident is None:
        labels = _labels(g)
        ident = d["ident"] = (all(type(u) is int for u in labels)
                              and labels == list(range(len(labels))))
    if not isinstance(rows, list):
        rows = rows.tolist()
    if ident:
        return rows
    return list(map(_labels(g).__getitem__, rows))


def _transposed(g, A, key):
    """The transpose of `A` (a CSR of `g`) as a CSR, built once per version. O(nnz) once."""
    d = _derived(g)
    AT = d.get(("T", key))
    if AT is None:
        AT = d[("T", key)] = A.T.tocsr()
    return AT


def _has_attr(g, weight) -> bool:
    """Whether `weight` names a stored edge attribute (else every edge weighs 1)."""
    return isinstance(weight, str) and weight in g.edge_attrs


def _stored(g, weight):
    """The cached read-only CSR of `weight`, or the pattern with int64 ones.

    networkx reads a missing attribute as 1, so an attribute the store does
    not have (or ``weight=None``) gives every edge weight 1. O(1) when the
    store is unchanged (the ones are built once per version, O(nnz)); a new
    object each call over read-only arrays, as ``g.adjacency()``.
    """
    if _has_attr(g, weight):
        return g.adjacency(**{_ADJ_KW: weight})
    d = _derived(g)
    ones = d.get("ones")
    if ones is None:
        A = g.adjacency()
        ones = d["ones"] = sp.csr_array((np.ones(A.nnz, dtype=np.int64), A.indices, A.indptr),
                                        shape=A.shape)
        ones.data.flags.writeable = False
    return copy.copy(ones)


def _structure(g):
    """The store's cached CSR, read for its pattern only (csgraph searches, degrees). O(1).

    The same object for every call on one version (never modified in place).
    """
    d = _derived(g)
    A = d.get("A")
    if A is None:
        A = d["A"] = g.adjacency()
    return A


def _nx():
    import networkx as nx

    return nx


def _rows(g, nodelist):
    """Rows of `nodelist` in the store, or None when it is ``g.labels`` itself.

    Raises networkx's errors of ``to_scipy_sparse_array``. O(len(nodelist)).
    """
    nx = _nx()
    if nodelist is None:
        return None
    nodelist = list(nodelist)
    if not nodelist:
        raise nx.NetworkXError("nodelist has no nodes")
    labels = _labels(g)
    if nodelist == labels:
        return None
    rows = []
    for u in nodelist:
        try:
            rows.append(g.index(u))
        except (KeyError, TypeError) as err:
            raise nx.NetworkXError(f"Node {u} in nodelist is not in G") from err
    if len(set(rows)) != len(rows):
        raise nx.NetworkXError("nodelist contains duplicates.")
    return np.asarray(rows, dtype=np.intp)


def _matrix(g, nodelist=None, weight="weight", dtype=None):
    """``nx.to_scipy_sparse_array(G, nodelist, dtype, weight)`` as a fresh csr_array.

    O(nnz) (a copy); the submatrix of a `nodelist` subset is scipy's fancy
    indexing, which keeps stored zeros.
    """
    if g.num_vertices == 0:
        raise _nx().NetworkXError("Graph has no nodes or edges")
    rows = _rows(g, nodelist)
    A = _stored(g, weight)
    if rows is not None:
        A = A[rows][:, rows]
    if dtype is None and A.nnz == 0:
        dtype = np.float64  # numpy's dtype of an empty list of weights
    if dtype is not None:
        return A.astype(dtype)
    return A.copy()


def _dense(g, nodelist=None, dtype=None, order=None, weight="weight", nonedge=0.0):
    """``nx.to_numpy_array`` of a store (no multigraphs, no structured dtypes). O(n^2)."""
    nx = _nx()
    labels = _labels(g)
    if nodelist is None:
        nodelist = labels
    nodelist = list(nodelist)
    nodeset = set(nodelist)
    if nodeset - set(labels):
        raise nx.NetworkXError(f"Nodes {nodeset - set(labels)} in nodelist is not in G")
    if len(nodeset) < len(nodelist):
        raise nx.NetworkXError("nodelist contains duplicates.")
    A = np.full((len(nodelist), len(nodelist)), fill_value=nonedge, dtype=dtype, order=order)
    if not nodelist or g.num_edges == 0:
        return A
    sub = _stored(g, weight)
    rows = _rows(g, nodelist)
    if rows is not None:
        sub = sub[rows][:, rows]
    coo = sub.tocoo()
    A[coo.row, coo.col] = coo.data
    return A


def _degree_of(g):
    """networkx's degree of every row of a store, once per version. O(n + nnz) once."""
    d = _derived(g)
    deg = d.get("degree")
    if deg is None:
        deg = d["degree"] = _degrees(_structure(g), g.directed)
    return deg


def _degrees(A, directed):
    """networkx's degree of every row of an adjacency CSR: a self-loop counts twice."""
    out = np.diff(A.indptr)
    if directed:
        return out + np.bincount(A.indices, minlength=A.shape[0])
    loops = np.zeros(A.shape[0], dtype=out.dtype)
    rows = np.repeat(np.arange(A.shape[0]), out)
    np.add.at(loops, rows[rows == A.indices], 1)
    return out + loops


# ----------------------------------------------------------------------
# served functions, one per networkx name; each is called with networkx's
# full signature bound and defaulted (see _Served)

_SERVED = {}  # name -> function taking networkx's parameters by name
_CHECKS = {}  # name -> function(arguments) -> reason it is not matched, or None


def _serve(check=None):
    def deco(f):
        _SERVED[f.__name__] = f
        if check is not None:
            _CHECKS[f.__name__] = check
        return f

    return deco


# --- matrices -----------------------------------------------------------


def _format_check(a):
    if a["format"] not in ("csr", "csc", "coo", "lil", "dok", "bsr", "dia"):
        return f"format={a['format']!r} is not a scipy sparse format"
    return None


@_serve(_format_check)
def to_scipy_sparse_array(G, nodelist=None, dtype=None, weight="weight", format="csr"):
    return _matrix(G, nodelist, weight, dtype).asformat(format)


@_serve()
def adjacency_matrix(G, nodelist=None, dtype=None, weight="weight"):
    return _matrix(G, nodelist, weight, dtype)


def _numpy_check(a):
    if a["dtype"] is not None and np.dtype(a["dtype"]).names:
        return "structured dtypes read several attributes per edge"
    return None


@_serve(_numpy_check)
def to_numpy_array(G, nodelist=None, dtype=None, order=None, multigraph_weight=sum,
                   weight="weight", nonedge=0.0):
    # a store is never a multigraph: multigraph_weight never applies
    return _dense(G, nodelist, dtype, order, weight, nonedge)


@_serve()
def laplacian_matrix(G, nodelist=None, weight="weight"):
    A = _matrix(G, nodelist, weight)
    n = A.shape[0]
    D = sp.dia_array((A.sum(axis=1), 0), shape=(n, n)).tocsr()
    return D - A


@_serve()
def normalized_laplacian_matrix(G, nodelist=None, weight="weight"):
    A = _matrix(G, nodelist, weight)
    n = A.shape[0]
    d = A.sum(axis=1)
    L = sp.dia_array((d, 0), shape=(n, n)).tocsr() - A
    with np.errstate(divide="ignore"):
        s = 1.0 / np.sqrt(d)
    s[np.isinf(s)] = 0
    S = sp.dia_array((s, 0), shape=(n, n)).tocsr()
    return S @ (L @ S)


def _is_aperiodic_sc(A) -> bool:
    """Whether a strongly connected digraph is aperiodic: gcd of BFS level cycles is 1.

    The gcd over every edge (u, v) of ``level[u] - level[v] + 1`` is the
    period (Jarvis and Shier); O(n + nnz).
    """
    from scipy.sparse import csgraph

    level = csgraph.shortest_path(A, method="D", unweighted=True, indices=0).astype(np.int64)
    r = np.repeat(np.arange(A.shape[0]), np.diff(A.indptr))
    return math.gcd(*np.abs(level[r] - level[A.indices] + 1).tolist(), 0) == 1


def _transition(G, nodelist, weight, walk_type, alpha):
    """The random-walk matrix P of networkx's directed Laplacians."""
    nx = _nx()
    from scipy.sparse import csgraph

    if walk_type is None:
        S = _structure(G)
        if G.num_vertices == 0:
            raise nx.NetworkXPointlessConcept("Connectivity is undefined for the null graph.")
        strong = csgraph.connected_components(S, directed=True, connection="strong")[0] == 1
        if strong:
            walk_type = "random" if _is_aperiodic_sc(S) else "lazy"
        else:
            walk_type = "pagerank"
    A = _matrix(G, nodelist, weight, dtype=float)
    n = A.shape[0]
    if walk_type in ("random", "lazy"):
        DI = sp.dia_array((1.0 / A.sum(axis=1), 0), shape=(n, n)).tocsr()
        if walk_type == "random":
            return DI @ A
        return (sp.eye_array(n, format="csr") + DI @ A) / 2.0
    if walk_type == "pagerank":
        if not 0 < alpha < 1:
            raise nx.NetworkXError("alpha must be between 0 and 1")
        A = A.toarray()
        A[A.sum(axis=1) == 0, :] = 1 / n
        A = A / A.sum(axis=1)[:, np.newaxis]
        return alpha * A + (1 - alpha) / n
    raise nx.NetworkXError("walk_type must be random, lazy, or pagerank")


def _stationary(P):
    """The stationary distribution p of P (ARPACK, as networkx), summing to 1."""
    _, vecs = sp.linalg.eigs(P.T, k=1)
    v = vecs.flatten().real
    return v / v.sum()


@_serve()
def directed_laplacian_matrix(G, nodelist=None, weight="weight", walk_type=None, alpha=0.95):
    P = _transition(G, nodelist, weight, walk_type, alpha)
    n = P.shape[0]
    root = np.sqrt(np.abs(_stationary(P)))
    Q = (sp.dia_array((root, 0), shape=(n, n)).tocsr() @ P
         @ sp.dia_array((1.0 / root, 0), shape=(n, n)).tocsr())
    return np.identity(G.num_vertices) - (Q + Q.T) / 2.0


@_serve()
def directed_combinatorial_laplacian_matrix(G, nodelist=None, weight="weight", walk_type=None,
                                            alpha=0.95):
    P = _transition(G, nodelist, weight, walk_type, alpha)
    n = P.shape[0]
    Phi = sp.dia_array((_stationary(P), 0), shape=(n, n)).toarray()
    return Phi - (Phi @ P + P.T @ Phi) / 2.0


def _incidence_check(a):
    if a["edgelist"] is not None:
        return "an explicit edgelist runs networkx's code"
    return None


@_serve(_incidence_check)
def incidence_matrix(G, nodelist=None, edgelist=None, oriented=False, weight=None, *, dtype=None):
    nx = _nx()
    A = _stored(G, weight)
    n = A.shape[0]
    r = np.repeat(np.arange(n), np.diff(A.indptr))
    c = A.indices.astype(np.intp)
    w = A.data
    if not G.directed:
        keep = r <= c
        r, c, w = r[keep], c[keep], w[keep]
    m = len(r)
    cols = np.arange(m)
    proper = r != c  # a self-loop gives an empty column
    if nodelist is None:
        pos = np.arange(n)
        out_n = n
    else:
        nodelist = list(nodelist)
        index = {u: k for k, u in enumerate(nodelist)}
        labels = _labels(G)
        pos = np.full(n, -1, dtype=np.intp)
        for k, u in enumerate(labels):
            pos[k] = index.get(u, -1)
        out_n = len(nodelist)
        bad = proper & ((pos[r] < 0) | (pos[c] < 0))
        if bad.any():
            e = int(np.flatnonzero(bad)[0])
            raise nx.NetworkXError(
                f"node {labels[r[e]]} or {labels[c[e]]} in edgelist but not in nodelist")
    r, c, cols = pos[r[proper]], pos[c[proper]], cols[proper]
    wt = np.ones(len(cols), dtype=np.int64) if weight is None else w[proper]
    data = np.concatenate([-wt if oriented else wt, wt])
    B = sp.csc_array((data, (np.concatenate([r, c]), np.concatenate([cols, cols]))),
                     shape=(out_n, m), dtype=np.float64 if dtype is None else dtype)
    B.sort_indices()
    return B


@_serve()
def modularity_matrix(G, nodelist=None, weight=None):
    A = _matrix(G, nodelist, weight)
    k = A.sum(axis=1)
    m = k.sum() * 0.5
    return A - np.outer(k, k) / (2 * m)


@_serve()
def directed_modularity_matrix(G, nodelist=None, weight=None):
    A = _matrix(G, nodelist, weight)
    k_in, k_out = A.sum(axis=0), A.sum(axis=1)
    return A - np.outer(k_out, k_in) / k_in.sum()


@_serve()
def bethe_hessian_matrix(G, r=None, nodelist=None):
    if r is None:
        d = _degree_of(G).tolist()
        r = sum(x**2 for x in d) / sum(d) - 1
    A = _matrix(G, nodelist, "weight")
    n = A.shape[0]
    D = sp.dia_array((A.sum(axis=1), 0), shape=(n, n)).tocsr()
    return (r**2 - 1) * sp.eye_array(n, format="csr") - r * A + D


# --- spectra ------------------------------------------------------------


@_serve()
def laplacian_spectrum(G, weight="weight"):
    import scipy.linalg

    return scipy.linalg.eigvalsh(laplacian_matrix(G, weight=weight).todense())


@_serve()
def normalized_laplacian_spectrum(G, weight="weight"):
    import scipy.linalg

    return scipy.linalg.eigvalsh(normalized_laplacian_matrix(G, weight=weight).todense())


@_serve()
def adjacency_spectrum(G, weight="weight"):
    import scipy.linalg

    return scipy.linalg.eigvals(_matrix(G, None, weight).todense())


def _fiedler_check(a):
    if a["method"] == "lobpcg":
        return "method='lobpcg' starts from networkx's reverse Cuthill-McKee estimate"
    return None


def _simple_adjacency(G, weight):
    """The symmetric weights of the simple graph networkx's Fiedler solvers use.

    networkx (``_preprocess_graph``) drops self-loops, takes ``|w|`` (a
    missing weight is 1.0) and drops edges of weight 0; a directed store
    becomes undirected with ``|w(u, v)| + |w(v, u)|``. O(nnz).
    """
    if _has_attr(G, weight):
        A = G.adjacency(**{_ADJ_KW: weight})
    else:
        A = _stored(G, None).astype(float)
    coo = A.tocoo()
    keep = (coo.row != coo.col) & (coo.data != 0)
    A = sp.csr_array((np.abs(coo.data[keep]), (coo.row[keep], coo.col[keep])), shape=A.shape)
    if G.directed:
        A = (A + A.T).tocsr()
    A.sort_indices()
    return A


def _laplacian_of(A):
    """L = D - A with D the row sums (networkx's ``laplacian_matrix``)."""
    n = A.shape[0]
    return sp.dia_array((A.sum(axis=1), 0), shape=(n, n)).tocsr() - A


def _n_components(A) -> int:
    from scipy.sparse import csgraph

    return csgraph.connected_components(A, directed=True, connection="weak")[0]


@_serve(_fiedler_check)
def spectral_ordering(G, weight="weight", normalized=False, tol=1e-08, method="tracemin_pcg",
                      seed=None):
    nx = _nx()
    from scipy.sparse import csgraph
    from networkx.linalg.algebraicconnectivity import _get_fiedler_func

    if G.num_vertices == 0:
        raise nx.NetworkXError("graph is empty.")
    A = _simple_adjacency(G, weight)
    find_fiedler = _get_fiedler_func(method)
    labels = _labels(G)
    order = []
    k, comp = csgraph.connected_components(A, directed=False)
    seen = np.zeros(k, dtype=bool)
    for first in range(A.shape[0]):  # components in order of their first vertex
        if seen[comp[first]]:
            continue
        seen[comp[first]] = True
        # networkx iterates the set its BFS built: insert labels in BFS order
        bfs = csgraph.breadth_first_order(A, first, directed=False, return_predecessors=False)
        component = {labels[i] for i in bfs.tolist()}
        if len(component) > 2:
            rows = np.array([G.index(u) for u in component], dtype=np.intp)
            L = _laplacian_of(A[rows][:, rows])
            _, fiedler = find_fiedler(L, None, normalized, tol, seed)
            order.extend(u for _, _, u in sorted(zip(fiedler, range(len(rows)), component,
                                                     strict=True)))
        else:
            order.extend(component)
    return order


@_serve(_fiedler_check)
def algebraic_connectivity(G, weight="weight", normalized=False, tol=1e-08,
                           method="tracemin_pcg", seed=None):
    nx = _nx()
    if G.num_vertices < 2:
        raise nx.NetworkXError("graph has less than two nodes.")
    L = _laplacian_of(_simple_adjacency(G, weight))
    if _n_components(L) > 1:
        return 0.0
    if L.shape[0] == 2:
        return 2.0 * float(L[0, 0]) if not normalized else 2.0
    from networkx.linalg.algebraicconnectivity import _get_fiedler_func

    sigma, _ = _get_fiedler_func(method)(L, None, normalized, tol, seed)
    return float(sigma)


@_serve(_fiedler_check)
def fiedler_vector(G, weight="weight", normalized=False, tol=1e-08, method="tracemin_pcg",
                   seed=None):
    nx = _nx()
    if G.num_vertices < 2:
        raise nx.NetworkXError("graph has less than two nodes.")
    L = _laplacian_of(_simple_adjacency(G, weight))
    if _n_components(L) > 1:
        raise nx.NetworkXError("graph is not connected.")
    if L.shape[0] == 2:
        return np.array([1.0, -1.0])
    from networkx.linalg.algebraicconnectivity import _get_fiedler_func

    return _get_fiedler_func(method)(L, None, normalized, tol, seed)[1]


# --- link analysis and centrality --------------------------------------


def _vector(d, labels):
    """A float vector of dict `d` over `labels` (0 where missing)."""
    return np.array([d.get(u, 0) for u in labels], dtype=float)


@_serve()
def pagerank(G, alpha=0.85, personalization=None, max_iter=100, tol=1e-06, nstart=None,
             weight="weight", dangling=None):
    nx = _nx()
    N = G.num_vertices
    if N == 0:
        return {}
    labels = _labels(G)
    d = _derived(G)
    key = ("pagerank", weight)
    if key not in d:  # the transition matrix, once per version and attribute: O(nnz)
        A = _stored(G, weight).astype(float, copy=False)
        S = A.sum(axis=1)
        nz = S != 0
        S[nz] = 1.0 / S[nz]
        # P = diag(S) A, row-stochastic except at dangling rows; x @ P is P.T @ x
        P = sp.csr_array((A.data * np.repeat(S, np.diff(A.indptr)), A.indices, A.indptr),
                         shape=A.shape)
        d[key] = (P.T.tocsr(), S)
    PT, S = d[key]
    if nstart is None:
        x = np.repeat(1.0 / N, N)
    else:
        x = _vector(nstart, labels)
        x /= x.sum()
    if personalization is None:
        p = np.repeat(1.0 / N, N)
    else:
        p = _vector(personalization, labels)
        if p.sum() == 0:
            raise ZeroDivisionError
        p /= p.sum()
    if dangling is None:
        dw = p
    else:
        dw = _vector(dangling, labels)
        dw /= dw.sum()
    is_dangling = np.flatnonzero(S == 0)
    for _ in range(max_iter):
        xlast = x
        x = alpha * (PT @ x + x[is_dangling].sum() * dw) + (1 - alpha) * p
        if np.abs(x - xlast).sum() < N * tol:
            return dict(zip(labels, x.tolist(), strict=True))
    raise nx.PowerIterationFailedConvergence(max_iter)


@_serve()
def google_matrix(G, alpha=0.85, personalization=None, nodelist=None, weight="weight",
                  dangling=None):
    A = _dense(G, nodelist, weight=weight)
    N = G.num_vertices
    if N == 0:
        return A
    rows = _labels(G) if nodelist is None else list(nodelist)
    if personalization is None:
        p = np.repeat(1.0 / N, N)
    else:
        p = _vector(personalization, rows)
        if p.sum() == 0:
            raise ZeroDivisionError
        p /= p.sum()
    if dangling is None:
        dw = p
    else:
        dw = _vector(dangling, rows)
        dw /= dw.sum()
    A[np.flatnonzero(A.sum(axis=1) == 0)] = dw
    A /= A.sum(axis=1)[:, np.newaxis]
    return alpha * A + (1 - alpha) * p


def _top_gram_vector(A, AT, v, tol, max_iter, ncv=20):
    """The top eigenvector of ``A.T @ A``: ARPACK's answer to ``svds(A, k=1)``, faster.

    Lanczos on the Gram operator ``x -> AT @ (A @ x)`` with full
    reorthogonalization, from `v`, restarted from its Ritz vector every `ncv`
    steps, at most `max_iter` restarts (ARPACK's iteration count). The stop
    test is ARPACK's: residual ``|beta_j s_j| <= tol * theta`` (``tol=0``:
    machine precision). Each step is two CSR products (``AT`` is a CSR of the
    transpose, faster than ``A``'s CSC view) and O(n j) numpy work, without
    ARPACK's reverse-communication loop in Python. Raises
    ``ArpackNoConvergence`` after `max_iter` restarts.
    """
    from scipy.linalg import eigh_tridiagonal

    n = A.shape[1]
    eps = np.finfo(float).eps
    tol = tol if tol > 0 else eps
    k = min(ncv, n)
    V = np.empty((k + 1, n))
    for _ in range(max_iter):
        V[0] = v / np.linalg.norm(v)
        alpha, beta = np.zeros(k), np.zeros(k)
        for j in range(k):
            w = AT @ (A @ V[j])
            alpha[j] = w @ V[j]
            Q = V[: j + 1]
            w -= (Q @ w) @ Q  # twice is enough (Kahan, Parlett)
            w -= (Q @ w) @ Q
            beta[j] = np.linalg.norm(w)
            if j == 0:
                theta, S = alpha[:1], np.ones((1, 1))
            else:
                theta, S = eigh_tridiagonal(alpha[: j + 1], beta[:j])
            s = S[:, -1]
            if beta[j] * abs(s[-1]) <= tol * abs(theta[-1]) or beta[j] <= eps * abs(theta[-1]):
                return s @ Q
            if j + 1 < k:
                V[j + 1] = w / beta[j]
        v = s @ V[:k]
    raise sp.linalg.ArpackNoConvergence("hits: no convergence", [], [])


@_serve()
def hits(G, max_iter=100, tol=1e-08, nstart=None, normalized=True):
    nx = _nx()
    if G.num_vertices == 0:
        return {}, {}
    A = _stored(G, "weight").astype(float, copy=False)
    if nstart is not None:
        nstart = np.array(list(nstart.values()))
    if max_iter <= 0:
        raise nx.PowerIterationFailedConvergence(max_iter)
    try:
        if nstart is not None or A.shape[0] < 3 or not A.data.any():
            # networkx's own call (its start vector, its small-size rules)
            _, _, vt = sp.linalg.svds(A, k=1, v0=nstart, maxiter=max_iter, tol=tol)
            a = vt.flatten().real
        else:
            # from the in-degrees (a close guess of the authorities) instead of
            # ARPACK's random start: the same vector within tol, fewer steps
            v0 = np.bincount(A.indices, minlength=A.shape[1]) + 1.0
            a = _top_gram_vector(A, _transposed(G, A, ("hits", "float")), v0, tol, max_iter)
    except sp.linalg.ArpackNoConvergence as exc:
        raise nx.PowerIterationFailedConvergence(max_iter) from exc
    h = A @ a
    if normalized:
        h /= h.sum()
        a /= a.sum()
    labels = _labels(G)
    return dict(zip(labels, h.tolist(), strict=True)), dict(zip(labels, a.tolist(), strict=True))


def _centrality(G, deg):
    labels = _labels(G)
    if len(labels) <= 1:
        return {u: 1 for u in labels}
    s = 1.0 / (len(labels) - 1.0)
    return {u: d * s for u, d in zip(labels, deg.tolist(), strict=True)}


@_serve()
def degree_centrality(G):
    return _centrality(G, _degree_of(G))


@_serve()
def in_degree_centrality(G):
    A = _structure(G)
    return _centrality(G, np.bincount(A.indices, minlength=A.shape[0]))


@_serve()
def out_degree_centrality(G):
    return _centrality(G, np.diff(_structure(G).indptr))


@_serve()
def eigenvector_centrality_numpy(G, weight=None, max_iter=50, tol=0):
    nx = _nx()
    if G.num_vertices == 0:
        raise nx.NetworkXPointlessConcept("cannot compute centrality for the null graph")
    if not _is_connected(G):
        raise nx.AmbiguousSolution(
            "`eigenvector_centrality_numpy` does not give consistent results for "
            "disconnected graphs")
    M = _matrix(G, None, weight, dtype=float)
    _, vec = sp.linalg.eigs(M.T, k=1, which="LR", maxiter=max_iter, tol=tol)
    largest = vec.flatten().real
    norm = np.sign(largest.sum()) * np.linalg.norm(largest)
    return dict(zip(_labels(G), (largest / norm).tolist(), strict=True))


@_serve()
def katz_centrality_numpy(G, alpha=0.1, beta=1.0, normalized=True, weight=None):
    nx = _nx()
    if G.num_vertices == 0:
        return {}
    try:
        nodelist = beta.keys()
        if set(nodelist) != set(_labels(G)):
            raise nx.NetworkXError("beta dictionary must have a value for every node")
        b = np.array(list(beta.values()), dtype=float)
    except AttributeError:
        nodelist = _labels(G)
        try:
            b = np.ones((len(nodelist), 1)) * beta
        except (TypeError, ValueError, AttributeError) as err:
            raise nx.NetworkXError("beta must be a number") from err
    A = _matrix(G, list(nodelist), weight).todense().T
    n = A.shape[0]
    c = np.linalg.solve(np.eye(n, n) - alpha * A, b).squeeze()
    norm = np.sign(sum(c)) * np.linalg.norm(c) if normalized else 1
    return dict(zip(nodelist, (c / norm).tolist(), strict=True))


# --- components ---------------------------------------------------------


def _components(G, connection):
    """Rows of each component, grouped: ``(rows, starts)`` in order of first row.

    Component c is ``rows[starts[c]:starts[c + 1]]``, rows ascending, and the
    components come in order of their first row (networkx's order for
    connected and weakly connected components). One csgraph pass and one
    stable sort: O(n + nnz). An undirected store is symmetric, so its
    connected components are the strongly connected ones of its matrix,
    which csgraph finds without building a transpose.
    """
    from scipy.sparse import csgraph

    A = _structure(G)
    if not G.directed:
        connection = "strong"
    k, lab = csgraph.connected_components(A, directed=True, connection=connection)
    rows = np.argsort(lab, kind="stable")
    starts = np.zeros(k + 1, dtype=np.intp)
    np.cumsum(np.bincount(lab, minlength=k), out=starts[1:])
    first = rows[starts[:-1]]
    if k > 1 and (first[1:] < first[:-1]).any():
        # put the groups in order of their first row: move each group whole (its rows
        # stay ascending), O(n) after an O(k log k) sort of the first rows
        perm = np.argsort(first)
        sizes = np.diff(starts)[perm]
        new = np.zeros(k + 1, dtype=np.intp)
        np.cumsum(sizes, out=new[1:])
        rows = rows[np.arange(len(rows)) + np.repeat(starts[:-1][perm] - new[:-1], sizes)]
        starts = new
    return rows, starts


def _weak_small(G, A):
    """``(count, label of each row)`` of the weak components of a small store, in Python.

    A BFS over lists of the CSR (and of its transpose on a directed store)
    from each row not yet reached: O(n + nnz) Python steps, below csgraph's
    per-call cost on small stores. Components are numbered by first row.
    """
    ptr, idx, _ = _lists(G, A, False)
    if G.directed:
        tptr, tidx, _ = _lists(G, _transposed(G, A, None), True)
    n = A.shape[0]
    lab = [-1] * n
    k = 0
    for r in range(n):
        if lab[r] >= 0:
            continue
        lab[r] = k
        frontier = [r]
        while frontier:
            nxt = []
            for u in frontier:
                nbrs = idx[ptr[u]:ptr[u + 1]]
                if G.directed:
                    nbrs = nbrs + tidx[tptr[u]:tptr[u + 1]]
                for v in nbrs:
                    if lab[v] < 0:
                        lab[v] = k
                        nxt.append(v)
            frontier = nxt
        k += 1
    return k, lab


def _component_sets(G, connection):
    A = _structure(G)
    if A.nnz <= SMALL_NNZ and (connection == "weak" or not G.directed):
        k, lab = _weak_small(G, A)
        members = [[] for _ in range(k)]
        for u, c in zip(_labels(G), lab, strict=True):
            members[c].append(u)
        for m in members:
            yield set(m)
        return
    rows, starts = _components(G, connection)
    members = _row_labels(G, rows)
    s = starts.tolist()
    for a, b in zip(s[:-1], s[1:], strict=True):
        yield set(members[a:b])


def _count(G, connection) -> int:
    from scipy.sparse import csgraph

    A = _structure(G)
    if A.nnz <= SMALL_NNZ and (connection == "weak" or not G.directed):
        return _weak_small(G, A)[0]
    if not G.directed:
        connection = "strong"  # the same components on a symmetric matrix, no transpose
    return int(csgraph.connected_components(A, directed=True, connection=connection)[0])


def _reaches_all(A, i=0) -> bool:
    """Whether a BFS from row `i` of CSR `A` reaches every row. O(n + nnz)."""
    from scipy.sparse import csgraph

    return len(csgraph.breadth_first_order(A, i, directed=True,
                                           return_predecessors=False)) == A.shape[0]


def _is_connected(G) -> bool:
    """Whether a store is (strongly) connected: one BFS, two on a directed store."""
    A = _structure(G)
    if not _reaches_all(A):
        return False
    return not G.directed or _reaches_all(_transposed(G, A, None))


def _pointless(G):
    if G.num_vertices == 0:
        raise _nx().NetworkXPointlessConcept("Connectivity is undefined for the null graph.")


@_serve()
def connected_components(G):
    return _component_sets(G, "weak")


@_serve()
def number_connected_components(G):
    return _count(G, "weak")


@_serve()
def is_connected(G):
    _pointless(G)
    return _reaches_all(_structure(G))


@_serve()
def node_connected_component(G, n):
    from scipy.sparse import csgraph

    i = G.index(n)  # KeyError for a missing node, as networkx's BFS
    rows = csgraph.breadth_first_order(_structure(G), i, directed=True,
                                       return_predecessors=False)
    return set(_row_labels(G, rows))


@_serve()
def strongly_connected_components(G):
    return _component_sets(G, "strong")


@_serve()
def number_strongly_connected_components(G):
    return _count(G, "strong")


@_serve()
def is_strongly_connected(G):
    _pointless(G)
    return _is_connected(G)


@_serve()
def weakly_connected_components(G):
    return _component_sets(G, "weak")


@_serve()
def number_weakly_connected_components(G):
    return _count(G, "weak")


@_serve()
def is_weakly_connected(G):
    _pointless(G)
    return _count(G, "weak") == 1


def _isolated_rows(G):
    d = _derived(G)
    rows = d.get("isolated")
    if rows is None:
        rows = d["isolated"] = np.flatnonzero(_degree_of(G) == 0)
    return rows


@_serve()
def isolates(G):
    return (u for u in _row_labels(G, _isolated_rows(G)))


@_serve()
def number_of_isolates(G):
    return len(_isolated_rows(G))


@_serve()
def is_isolate(G, n):
    i = G.index(n)
    A = _structure(G)
    if A.indptr[i + 1] > A.indptr[i]:
        return False
    return not (G.directed and bool((A.indices == i).any()))


# --- shortest paths -----------------------------------------------------


def _callable_weight(a):
    if callable(a.get("weight")):
        return "a weight function needs networkx's graph"
    return None


# graphs with at most this many stored entries search in Python over lists of
# the CSR (cached per version): csgraph's and numpy's per-call costs (tens of
# microseconds) would exceed networkx's whole search on them
SMALL_NNZ = 512


def _lists(G, A, key):
    """``(indptr, indices, row lengths)`` of CSR `A` as Python lists, once per version.

    O(nnz) once.
    """
    d = _derived(G)
    out = d.get(("lists", key))
    if out is None:
        out = d[("lists", key)] = (A.indptr.tolist(), A.indices.tolist(),
                                   np.diff(A.indptr).tolist())
    return out


def _bfs_small(ptr, idx, i, cutoff):
    """Rows reached from `i` and their BFS levels, in BFS order (Python lists)."""
    level = {i: 0}
    frontier, d = [i], 0
    while frontier and (cutoff is None or d < cutoff):
        d += 1
        nxt = []
        for u in frontier:
            for v in idx[ptr[u]:ptr[u + 1]]:
                if v not in level:
                    level[v] = d
                    nxt.append(v)
        frontier = nxt
    return list(level), list(level.values())


def _bfs_levels(G, i, cutoff=None, reverse=False):
    """Rows reached from row `i` and their BFS distances, in BFS order (arrays or lists).

    csgraph's ``breadth_first_order`` gives the order and each row's BFS
    parent; the distances follow by pointer jumping along parents, each pass
    doubling the span it covers: O(n log depth) on top of the O(n + nnz)
    search, far less than csgraph's unweighted Dijkstra. `cutoff` keeps
    distances <= cutoff. A small store searches in Python instead.
    """
    from scipy.sparse import csgraph

    A = _structure(G)
    if reverse:
        A = _transposed(G, A, None)
    if A.nnz <= SMALL_NNZ:
        return _bfs_small(*_lists(G, A, reverse)[:2], i, cutoff)  # Python lists
    order, pred = csgraph.breadth_first_order(A, i, directed=True, return_predecessors=True)
    pos = np.empty(A.shape[0], dtype=np.intp)
    pos[order] = np.arange(len(order))
    parent = pred[order]
    parent[0] = i  # the source is its own parent, at distance 0
    up = pos[parent]  # each reached row's parent, as a position in `order`
    dist = np.ones(len(order), dtype=np.int64)
    dist[0] = 0
    # invariant: dist[j] is the distance from order[j] to order[up[j]]
    while up.any():
        dist += dist[up]
        up = up[up]
    if cutoff is not None:
        keep = dist <= cutoff
        order, dist = order[keep], dist[keep]
    return order, dist


def _nonnegative(G, A, weight):
    """NotImplementedError when a weight is negative (csgraph's paths need >= 0).

    Checked once per version and attribute: O(nnz) once.
    """
    d = _derived(G)
    ok = d.get(("nonneg", weight))
    if ok is None:
        ok = d[("nonneg", weight)] = not (A.nnz and A.data.min() < 0)
    if not ok:
        raise NotImplementedError("negative weights (Dijkstra, Floyd-Warshall) run networkx's code")


def _weighted(G, weight):
    """The CSR csgraph's Dijkstra reads for attribute `weight` (checked >= 0)."""
    A = _stored(G, weight)
    _nonnegative(G, A, weight)
    return A


def _dijkstra(G, i, weight, cutoff=None, reverse=False):
    """Rows reached from row `i` and their weighted distances, and whether those are ints.

    csgraph's Dijkstra on the store's cached CSR, O(nnz log n). Negative
    weights raise NotImplementedError (networkx runs).
    """
    from scipy.sparse import csgraph

    A = _weighted(G, weight)
    integral = A.dtype.kind in "iub"
    if reverse:
        A = _transposed(G, A, weight)
    limit = np.inf if cutoff is None else cutoff
    d = csgraph.dijkstra(A, directed=True, indices=i, limit=limit)
    reached = np.flatnonzero(d < np.inf)
    dist = d[reached]
    return reached, (dist.astype(np.int64) if integral else dist), integral


def _lengths(G, i, weight, cutoff=None, reverse=False):
    """{label: distance} from row `i` (networkx's values; keys: BFS or row order).

    Unweighted: BFS order, as networkx. Weighted: row order (networkx: the
    order Dijkstra settles them). Python ints for unweighted or integer
    weights (networkx sums ints), else floats.
    """
    if weight is None:
        rows, dist = _bfs_levels(G, i, cutoff, reverse)
        if isinstance(dist, np.ndarray):
            dist = dist.tolist()
        return dict(zip(_row_labels(G, rows), dist, strict=True))
    rows, dist, _ = _dijkstra(G, i, weight, cutoff, reverse)
    out = dict(zip(_row_labels(G, rows), dist.tolist(), strict=True))
    out[_labels(G)[i]] = 0  # networkx's source distance is the int 0
    return out


def _source(G, source, msg):
    try:
        return G.index(source)
    except (KeyError, TypeError) as err:
        raise _nx().NodeNotFound(msg.format(source)) from err


@_serve()
def single_source_shortest_path_length(G, source, cutoff=None):
    return _lengths(G, _source(G, source, "Source {} is not in G"), None, cutoff)


@_serve(_callable_weight)
def single_source_dijkstra_path_length(G, source, cutoff=None, weight="weight"):
    return _lengths(G, _source(G, source, "Node {} not found in graph"), weight, cutoff)


# all-pairs lengths run csgraph on blocks of sources: about 2^22 distances (32 MiB) a block
ALL_PAIRS_BLOCK = 1 << 22


def _all_pairs(G, weight, cutoff):
    """(label, {label: distance}) for every source, networkx's all-pairs generator.

    csgraph's BFS (``unweighted``) or Dijkstra on blocks of sources: one call
    per block instead of one per source. O(n (n + nnz log n)) time, O(block)
    memory. Keys in row order.
    """
    from scipy.sparse import csgraph

    A = _structure(G) if weight is None else _weighted(G, weight)
    integral = weight is None or A.dtype.kind in "iub"
    labels = _labels(G)
    n = len(labels)
    limit = np.inf if cutoff is None else cutoff
    step = max(1, ALL_PAIRS_BLOCK // max(n, 1))
    for lo in range(0, n, step):
        src = np.arange(lo, min(n, lo + step))
        D = csgraph.dijkstra(A, directed=True, indices=src, unweighted=weight is None,
                             limit=limit)
        for k, i in enumerate(src.tolist()):
            d = D[k]
            reached = np.flatnonzero(d < np.inf)
            dist = d[reached]
            out = dict(zip(_row_labels(G, reached),
                           (dist.astype(np.int64) if integral else dist).tolist(), strict=True))
            out[labels[i]] = 0
            yield labels[i], out


@_serve()
def all_pairs_shortest_path_length(G, cutoff=None):
    return _all_pairs(G, None, cutoff)


@_serve(_callable_weight)
def all_pairs_dijkstra_path_length(G, cutoff=None, weight="weight"):
    if weight is not None:
        _weighted(G, weight)
    return _all_pairs(G, weight, cutoff)


def _path_length_check(a):
    if a["method"] == "bellman-ford" and a["weight"] is not None:
        return "method='bellman-ford' runs networkx's code"
    return _callable_weight(a)


def _expand(ptr, idx, frontier):
    """Every entry of the CSR rows in `frontier` (an array), concatenated. O(their count)."""
    a = ptr[frontier]
    lens = ptr[frontier + 1] - a
    ends = np.cumsum(lens)
    if not len(ends) or ends[-1] == 0:
        return idx[:0]
    return idx[np.repeat(a - ends + lens, lens) + np.arange(ends[-1])]


# once both frontiers of the bidirectional search hold more rows than this, its
# levels run in numpy (about 1,000 entries a level at mean degree 10)
MEET_NUMPY = 128


def _meet(G, s, t):
    """The length of a shortest path from row `s` to row `t` (-1: none). Unweighted.

    A bidirectional BFS, a level at a time, always expanding the side whose
    frontier holds fewer rows (networkx's ``bidirectional_shortest_path``
    rule), over the CSR (the transpose for the backward side of a directed
    store). The first level that reaches the other side's visited set gives
    the length, so it stops as soon as the searches meet: O(entries of the rows
    expanded), often far below O(nnz). Levels run in Python over lists of the
    CSR (list slices and set operations) until both frontiers hold more than
    :data:`MEET_NUMPY` rows, then as one numpy gather each. The lists and the transpose are built once per store version
    (O(nnz); the lists take about 36 bytes an entry while the store is
    unchanged).
    """
    if s == t:
        return 0
    A = _structure(G)
    B = _transposed(G, A, None) if G.directed else A
    lists = (_lists(G, A, False), _lists(G, B, True) if G.directed else _lists(G, A, False))
    seen = [{s}, {t}]
    frontier = [[s], [t]]
    depth = [0, 0]
    while min(len(frontier[0]), len(frontier[1])) <= MEET_NUMPY:
        k = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        ptr, idx, _ = lists[k]
        mine = seen[k]
        # one level with C-level list and set operations
        nbrs = list(chain.from_iterable([idx[ptr[u]:ptr[u + 1]] for u in frontier[k]]))
        if not seen[1 - k].isdisjoint(nbrs):
            return depth[0] + depth[1] + 1
        nxt = set(nbrs)
        nxt -= mine
        if not nxt:
            return -1
        mine |= nxt
        frontier[k] = nxt
        depth[k] += 1
    # both frontiers are large: numpy levels from here
    n = A.shape[0]
    marks = []
    for k in (0, 1):
        m = np.zeros(n, dtype=bool)
        m[list(seen[k])] = True
        marks.append(m)
        frontier[k] = np.fromiter(frontier[k], dtype=np.intp, count=len(frontier[k]))
    csr = ((A.indptr, A.indices), (B.indptr, B.indices))
    while True:
        k = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        ptr, idx = csr[k]
        nb = _expand(ptr, idx, frontier[k])
        if marks[1 - k][nb].any():
            return depth[0] + depth[1] + 1
        nb = np.unique(nb[~marks[k][nb]])
        if not len(nb):
            return -1
        marks[k][nb] = True
        frontier[k] = nb
        depth[k] += 1


def _pair_length(G, source, target, weight):
    """Length of a shortest path source -> target with networkx's errors.

    Unweighted: a bidirectional BFS that stops where the searches meet;
    weighted: csgraph's Dijkstra, O(nnz log n).
    """
    nx = _nx()
    if weight is None:
        s = _source(G, source, "Source {} is not in G")
        t = _source(G, target, "Target {} is not in G")
        length = _meet(G, s, t)
        if length < 0:
            raise nx.NetworkXNoPath(f"No path between {source} and {target}.")
        return length
    s = _source(G, source, "Node {} not found in graph")
    if source == target:
        return 0
    try:
        t = G.index(target)
    except (KeyError, TypeError) as err:
        raise nx.NetworkXNoPath(f"Node {target} not reachable from {source}") from err
    rows, dist, integral = _dijkstra(G, s, weight)
    k = np.searchsorted(rows, t)
    if k == len(rows) or rows[k] != t:
        raise nx.NetworkXNoPath(f"Node {target} not reachable from {source}")
    return int(dist[k]) if integral else float(dist[k])


@_serve(_path_length_check)
def shortest_path_length(G, source=None, target=None, weight=None, method="dijkstra"):
    if method not in ("dijkstra", "bellman-ford"):
        raise ValueError(f"method not supported: {method}")
    if source is None and target is None:
        if weight is not None:
            _weighted(G, weight)
        return _all_pairs(G, weight, None)
    if source is None:
        msg = "Source {} is not in G" if weight is None else "Node {} not found in graph"
        return _lengths(G, _source(G, target, msg), weight, None, reverse=G.directed)
    if target is None:
        msg = "Source {} is not in G" if weight is None else "Node {} not found in graph"
        return _lengths(G, _source(G, source, msg), weight, None)
    return _pair_length(G, source, target, weight)


@_serve()
def has_path(G, source, target):
    s = _source(G, source, "Source {} is not in G")
    t = _source(G, target, "Target {} is not in G")
    return _meet(G, s, t) >= 0


@_serve()
def floyd_warshall_numpy(G, nodelist=None, weight="weight"):
    nx = _nx()
    from scipy.sparse import csgraph

    n = G.num_vertices
    if nodelist is not None:
        if not len(nodelist) == n == len(set(nodelist)):
            raise nx.NetworkXError(
                "nodelist must contain every node in G with no repeats."
                "If you wanted a subgraph of G use G.subgraph(nodelist)")
        missing = set(nodelist) - set(_labels(G))
        if missing:
            raise nx.NetworkXError(f"Nodes {missing} in nodelist is not in G")
    if n == 0:
        return np.zeros((0, 0))
    A = _weighted(G, weight)
    rows = _rows(G, nodelist)
    if rows is not None:
        A = A[rows][:, rows]
    return csgraph.floyd_warshall(A.astype(float), directed=True)


