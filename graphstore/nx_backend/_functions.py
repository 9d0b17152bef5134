"""The functions graphstore serves for networkx, on a store's CSR.

Each takes networkx's parameters by name (the dispatcher binds networkx's
signature first) and returns what networkx returns. Only the public API of
:class:`GraphStore` is used.
"""

from __future__ import annotations

import inspect
import math

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


def _has_attr(g, weight) -> bool:
    """Whether `weight` names a stored edge attribute (else every edge weighs 1)."""
    return isinstance(weight, str) and weight in g.edge_attrs


def _stored(g, weight):
    """The cached read-only CSR of `weight`, or the pattern with int64 ones.

    networkx reads a missing attribute as 1, so an attribute the store does
    not have (or ``weight=None``) gives every edge weight 1. O(1) when the
    store is unchanged (O(nnz) for the ones).
    """
    A = g.adjacency(**{_ADJ_KW: weight if _has_attr(g, weight) else "weight"})
    if _has_attr(g, weight):
        return A
    return sp.csr_array((np.ones(A.nnz, dtype=np.int64), A.indices, A.indptr), shape=A.shape)


def _structure(g):
    """The store's cached CSR, read for its pattern only (csgraph searches, degrees). O(1)."""
    return g.adjacency()


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
    labels = g.labels
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
    labels = g.labels
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


def _degrees(A, directed):
    """networkx's degree of every row of an adjacency CSR: a self-loop counts twice."""
    out = np.diff(A.indptr)
    if directed:
        return out + np.bincount(A.indices, minlength=A.shape[0])
    loops = np.zeros(A.shape[0], dtype=out.dtype)
    rows = np.repeat(np.arange(A.shape[0]), out)
    np.add.at(loops, rows[rows == A.indices], 1)
    return out + loops


def _check_weights(A, what):
    """NotImplementedError when a weight is negative (csgraph's paths need >= 0)."""
    if A.nnz and A.data.min() < 0:
        raise NotImplementedError(f"{what} with negative weights runs networkx's code")


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
        labels = G.labels
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
        d = _degrees(_structure(G), G.directed).tolist()
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
    labels = G.labels
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
    labels = G.labels
    A = _stored(G, weight).astype(float)
    S = A.sum(axis=1)
    nz = S != 0
    S[nz] = 1.0 / S[nz]
    # P = diag(S) A, row-stochastic except at dangling rows; x @ P is P.T @ x
    P = sp.csr_array((A.data * np.repeat(S, np.diff(A.indptr)), A.indices, A.indptr),
                     shape=A.shape)
    PT = P.T.tocsr()
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
    rows = G.labels if nodelist is None else list(nodelist)
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


@_serve()
def hits(G, max_iter=100, tol=1e-08, nstart=None, normalized=True):
    nx = _nx()
    if G.num_vertices == 0:
        return {}, {}
    A = _stored(G, "weight").astype(float)
    if nstart is not None:
        nstart = np.array(list(nstart.values()))
    if max_iter <= 0:
        raise nx.PowerIterationFailedConvergence(max_iter)
    try:
        _, _, vt = sp.linalg.svds(A, k=1, v0=nstart, maxiter=max_iter, tol=tol)
    except sp.linalg.ArpackNoConvergence as exc:
        raise nx.PowerIterationFailedConvergence(max_iter) from exc
    a = vt.flatten().real
    h = A @ a
    if normalized:
        h /= h.sum()
        a /= a.sum()
    labels = G.labels
    return dict(zip(labels, h.tolist(), strict=True)), dict(zip(labels, a.tolist(), strict=True))


def _centrality(G, deg):
    labels = G.labels
    if len(labels) <= 1:
        return {u: 1 for u in labels}
    s = 1.0 / (len(labels) - 1.0)
    return {u: d * s for u, d in zip(labels, deg.tolist(), strict=True)}


@_serve()
def degree_centrality(G):
    return _centrality(G, _degrees(_structure(G), G.directed))


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
    return dict(zip(G.labels, (largest / norm).tolist(), strict=True))


@_serve()
def katz_centrality_numpy(G, alpha=0.1, beta=1.0, normalized=True, weight=None):
    nx = _nx()
    if G.num_vertices == 0:
        return {}
    try:
        nodelist = beta.keys()
        if set(nodelist) != set(G.labels):
            raise nx.NetworkXError("beta dictionary must have a value for every node")
        b = np.array(list(beta.values()), dtype=float)
    except AttributeError:
        nodelist = G.labels
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


def _labels_by_component(G, connection):
    """Components as lists of rows, ordered by their first row (networkx's order)."""
    from scipy.sparse import csgraph

    A = _structure(G)
    k, lab = csgraph.connected_components(A, directed=G.directed, connection=connection)
    order = np.argsort(lab, kind="stable")
    starts = np.searchsorted(lab[order], np.arange(k + 1))
    groups = [order[starts[i]: starts[i + 1]] for i in range(k)]
    groups.sort(key=lambda rows: rows[0])
    return groups


def _component_sets(G, connection):
    at = G.labels.__getitem__
    for rows in _labels_by_component(G, connection):
        yield set(map(at, rows.tolist()))


def _count(G, connection) -> int:
    from scipy.sparse import csgraph

    return int(csgraph.connected_components(_structure(G), directed=G.directed,
                                            connection=connection)[0])


def _is_connected(G) -> bool:
    return _count(G, "strong" if G.directed else "weak") == 1


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
    return _count(G, "weak") == 1


@_serve()
def node_connected_component(G, n):
    from scipy.sparse import csgraph

    i = G.index(n)  # KeyError for a missing node, as networkx's BFS
    rows = csgraph.breadth_first_order(_structure(G), i, directed=False,
                                       return_predecessors=False)
    labels = G.labels
    return {labels[k] for k in rows.tolist()}


@_serve()
def strongly_connected_components(G):
    return _component_sets(G, "strong")


@_serve()
def number_strongly_connected_components(G):
    return _count(G, "strong")


@_serve()
def is_strongly_connected(G):
    _pointless(G)
    return _count(G, "strong") == 1


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
    return np.flatnonzero(_degrees(_structure(G), G.directed) == 0)


@_serve()
def isolates(G):
    labels = G.labels
    return (labels[i] for i in _isolated_rows(G).tolist())


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


def _distances(G, i, weight, cutoff=None, reverse=False):
    """Distances from row `i` (inf: unreached) and whether they are integers.

    csgraph's BFS (``unweighted``) or Dijkstra on the store's cached CSR;
    O(nnz log n). Negative weights raise NotImplementedError (networkx runs).
    """
    from scipy.sparse import csgraph

    A = _stored(G, weight) if weight is not None else _structure(G)
    integral = weight is None or A.dtype.kind in "iub"
    if weight is not None:
        _check_weights(A, "Dijkstra")
    if reverse:
        A = A.T.tocsr()
    limit = np.inf if cutoff is None else cutoff
    d = csgraph.dijkstra(A, directed=True, indices=i, unweighted=weight is None, limit=limit)
    return d, integral


def _lengths(G, i, weight, cutoff, reverse=False):
    """{label: distance} from row `i`, keys in row order (networkx: its search order)."""
    d, integral = _distances(G, i, weight, cutoff, reverse)
    reached = np.flatnonzero(np.isfinite(d))
    dist = d[reached]
    # Python ints for unweighted or integer weights (networkx sums ints), else floats
    vals = (dist.astype(np.int64) if integral else dist).tolist()
    labels = G.labels
    out = dict(zip(map(labels.__getitem__, reached.tolist()), vals, strict=True))
    out[labels[i]] = 0  # networkx's source distance is the int 0
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


def _all_pairs(G, weight, cutoff):
    for i, u in enumerate(G.labels):
        yield u, _lengths(G, i, weight, cutoff)


@_serve()
def all_pairs_shortest_path_length(G, cutoff=None):
    return _all_pairs(G, None, cutoff)


@_serve(_callable_weight)
def all_pairs_dijkstra_path_length(G, cutoff=None, weight="weight"):
    if weight is not None:
        _check_weights(_stored(G, weight), "Dijkstra")
    return _all_pairs(G, weight, cutoff)


def _path_length_check(a):
    if a["method"] == "bellman-ford" and a["weight"] is not None:
        return "method='bellman-ford' runs networkx's code"
    return _callable_weight(a)


def _pair_length(G, source, target, weight):
    """Length of a shortest path source -> target with networkx's errors. O(nnz log n)."""
    nx = _nx()
    if weight is None:
        s = _source(G, source, "Source {} is not in G")
        t = _source(G, target, "Target {} is not in G")
        msg = f"No path between {source} and {target}."
    else:
        s = _source(G, source, "Node {} not found in graph")
        if source == target:
            return 0
        try:
            t = G.index(target)
        except (KeyError, TypeError) as err:
            raise nx.NetworkXNoPath(f"Node {target} not reachable from {source}") from err
        msg = f"Node {target} not reachable from {source}"
    d, integral = _distances(G, s, weight)
    if not np.isfinite(d[t]):
        raise nx.NetworkXNoPath(msg)
    return int(d[t]) if integral else float(d[t])


@_serve(_path_length_check)
def shortest_path_length(G, source=None, target=None, weight=None, method="dijkstra"):
    if method not in ("dijkstra", "bellman-ford"):
        raise ValueError(f"method not supported: {method}")
    if source is None and target is None:
        if weight is not None:
            _check_weights(_stored(G, weight), "Dijkstra")
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
    try:
        _pair_length(G, source, target, None)
    except _nx().NetworkXNoPath:
        return False
    return True


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
        missing = set(nodelist) - set(G.labels)
        if missing:
            raise nx.NetworkXError(f"Nodes {missing} in nodelist is not in G")
    if n == 0:
        return np.zeros((0, 0))
    A = _stored(G, weight)
    _check_weights(A, "Floyd-Warshall")
    rows = _rows(G, nodelist)
    if rows is not None:
        A = A[rows][:, rows]
    return csgraph.floyd_warshall(A.astype(float), directed=True)


