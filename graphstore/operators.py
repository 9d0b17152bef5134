"""Graph operators on scipy sparse matrices: Laplacians, incidence, differences, normalization.

Every function is pure: it reads a scipy sparse array or matrix in any format
and returns a new scipy sparse *array* (``csr_array``, ``csc_array``), never a
densified copy of a sparse input. ``diff`` and ``normalize`` return the input's
own format and kind (array or matrix), as ``np.diff`` returns its input's type.

Public names
------------
laplacian            L = D - A, I - D^-1/2 A D^-1/2, I - D^-1 A (array or LinearOperator)
directed_laplacian   Chung's directed Laplacians (random, lazy, pagerank walks)
incidence            n x m vertex-edge incidence B (networkx's incidence_matrix)
difference_operator  graph trend-filtering operators D(k) (Wang et al. 2016)
diff                 np.diff of 2-D sparse input, bit for bit (dia stays banded)
difference_matrix    np.diff(np.eye(size), n, axis) as a sparse band: x @ D == np.diff(x, n)
normalize            y = x / sum(x, axis), dense (any ndim) or 2-D sparse
normalize_vjp        its backward pass (vector-Jacobian product)
normalize_jvp        its forward-mode derivative (Jacobian-vector product)
transition_matrix    D^-1 A (row-stochastic) or A D^-1 (column-stochastic)
norm                 scipy.sparse.linalg.norm, every ord it takes; empty and 1 x n too
pairwise             f over every pair of a and b, as np.ix_ broadcasting

Conventions
-----------
``A[i, j]`` is the weight of the edge i -> j; an undirected graph is a
symmetric ``A`` with each self-loop stored once on the diagonal (networkx's
``to_scipy_sparse_array``)::

        directed                    undirected
    0 --2--> 1                  0 --2-- 1,  1 --1-- 1 (self-loop)

    A = [[0, 2],                A = [[0, 2],
         [0, 0]]                     [2, 1]]

* Degrees: ``degree="out"`` is the row sum ``A @ 1`` (networkx's Laplacians),
  ``degree="in"`` the column sum ``1 @ A`` (scipy.sparse.csgraph.laplacian's
  default). A self-loop adds ``A[i, i]`` once.
* A stored entry is an edge, even a stored 0: with ``weighted=False`` it
  counts 1, with ``weighted=True`` it contributes its value 0 (scipy.csgraph's
  view).
* Zero degree: ``1/0`` and ``1/sqrt(0)`` are taken as 0, so isolated vertices
  give zero rows in normalized operators, and zero-sum slices normalize to
  zero, never NaN (networkx's ``normalized_laplacian_matrix``).
* Edge order and sign: edges are the stored entries in row-major order; for
  an undirected graph only the upper triangle ``i <= j``. The incidence column
  of edge (u, v) holds -1 at the tail u and +1 at the head v (networkx), so
  the difference operator of the path 0 - 1 - ... - (n-1) is
  ``np.diff(np.eye(n), axis=0)``. A self-loop's column is zero (networkx).
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable

import numpy as np
import scipy.sparse as sp
from numpy.lib.array_utils import normalize_axis_index
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import LinearOperator

from ._validate import check_choice

__all__ = [
    "diff",
    "difference_matrix",
    "difference_operator",
    "directed_laplacian",
    "incidence",
    "laplacian",
    "norm",
    "normalize",
    "normalize_jvp",
    "normalize_vjp",
    "pairwise",
    "transition_matrix",
]

_FORMATS = ("csr", "csc", "coo", "lil", "dok", "dia", "bsr")
# A minor-axis diff runs one cache-friendly product when the differenced axis
# is at most this long; longer axes go through the other compressed format
# (benchmarks/w5_diff.py and benchmarks/w5b_diff_exact.py measure both).
_MINOR_AXIS_DIRECT = 1 << 16


# --------------------------------------------------------------------------
# shared private helpers: input checks, the one degree function, scaling


def _check_bool(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _as_csr(A, name: str = "A", *, square: bool = True) -> sp.csr_array:
    """Return `A` as a canonical csr_array (sorted, no duplicates), sharing data if it can."""
    if not sp.issparse(A):
        raise TypeError(f"{name} must be a scipy sparse array or matrix, got {type(A).__name__}")
    if A.ndim != 2:
        raise ValueError(f"{name} must be 2-D, got a {A.ndim}-D sparse array")
    if square and A.shape[0] != A.shape[1]:
        raise ValueError(f"{name} must be square, got shape {A.shape}")
    # The O(nnz) canonical check is asked of `A` itself, which caches the answer (a
    # store's adjacency() comes flagged): a new wrapper would check its arrays again.
    canonical = A.format == "csr" and A.has_canonical_format
    A = sp.csr_array(A)
    if canonical:
        A.has_canonical_format = True
    elif not A.has_canonical_format:
        A = A.copy()
        A.sum_duplicates()
    return A


def _float_dtype(dtype) -> np.dtype:
    """Floating and complex dtypes stay; integers and bool compute in float64."""
    dtype = np.dtype(dtype)
    return dtype if dtype.kind in "fc" else np.dtype(np.float64)


def _degree(A, axis: int) -> np.ndarray:
    """Sums of the stored values of a csr/csc `A` along `axis`: 1 -> row sums (out-degrees),
    0 -> column sums (in-degrees), in `A`'s dtype.

    The one degree function of this module: Laplacians, transition matrices and
    normalization (and its derivatives) use it. An unweighted degree is the
    degree of the pattern with values 1.
    """
    if axis == 1:
        return A @ np.ones(A.shape[1], dtype=A.dtype)
    return A.T @ np.ones(A.shape[0], dtype=A.dtype)


def _reciprocal(d: np.ndarray, power: float = 1.0) -> np.ndarray:
    """``d ** -power`` with 0 where ``d == 0`` (the 1/0 = 0 convention), without warnings."""
    d = np.asarray(d)
    base = np.sqrt(d) if power == 0.5 else d
    return np.divide(1, base, out=np.zeros_like(base), where=d != 0)


def _major_index(A) -> np.ndarray:
    """Row (csr) or column (csc) index of each stored entry of a compressed `A`."""
    counts = np.diff(A.indptr)
    return np.repeat(np.arange(len(counts), dtype=A.indices.dtype), counts)


def _entry_index(A, axis: int) -> np.ndarray:
    """Index of each stored entry along the axis that survives a sum over `axis`."""
    return _major_index(A) if (A.format == "csr") == (axis == 1) else A.indices


def _blocks(n: int, size: int = 1 << 16):
    """Consecutive slices of ``range(n)``, `size` long: a loop over them keeps an
    O(nnz) pipeline's per-block temporaries in cache (one pass over memory, not one
    per operation)."""
    return (slice(i, min(i + size, n)) for i in range(0, n, size))


def _same_values(a: np.ndarray, b: np.ndarray) -> bool:
    """``np.array_equal(a, b)``, at no cost when both view the same memory the same way."""
    if (a.dtype == b.dtype and a.shape == b.shape and a.strides == b.strides
            and a.__array_interface__["data"][0] == b.__array_interface__["data"][0]):
        return True
    return np.array_equal(a, b)


def _with_data(A, data: np.ndarray, copy: bool = False):
    """`A`'s compressed pattern with new stored values.

    Without `copy` the index arrays are `A`'s own: fine for an intermediate,
    but nothing may then sort or prune the result in place, and a result handed
    to the caller must be built with ``copy=True`` (as scipy's ``A * 2`` is).
    """
    if copy:
        return type(A)((data, A.indices.copy(), A.indptr.copy()), shape=A.shape)
    return type(A)((data, A.indices, A.indptr), shape=A.shape)


def _scale(A, left: np.ndarray | None = None, right: np.ndarray | None = None):
    """``diag(left) @ A @ diag(right)`` for a csr/csc `A`, keeping its pattern (O(nnz)).

    Each value is ``(a * left[i]) * right[j]``, in that order. The major axis's
    factors are spread with ``np.repeat`` (no index array), the minor axis's are
    gathered block by block into the one result array: a single nnz-long
    allocation, where whole-array temporaries made three or four and, freed
    together, had their pages returned to the system and faulted in again on the
    next call (W4's sym Laplacian spent 1.9 ms in this step instead of 0.5 ms).
    """
    factors = [v for v in (left, right) if v is not None]
    if not factors:
        return _with_data(A, A.data.copy())
    dtype = np.result_type(A.data, *factors)
    csr, data = A.format == "csr", None
    for vec, major in ((left, csr), (right, not csr)):
        if vec is None:
            continue
        if major:  # the factor of each entry's row (csr) or column (csc), spread
            spread = np.repeat(vec.astype(dtype, copy=False), np.diff(A.indptr))
            if data is None:
                data = np.multiply(A.data, spread, out=spread)
            else:
                data *= spread
        else:  # gathered by the entries' indices, a block at a time
            if data is None:
                data = A.data.astype(dtype)  # a copy
            for b in _blocks(A.nnz, 1 << 13):
                data[b] *= vec[A.indices[b]]
    return _with_data(A, data)


def _like(R, x):
    """Return `R` in the format and kind (array or matrix) of `x`."""
    fmt = x.format
    if fmt == "bsr":
        r, c = x.blocksize
        fits = R.shape[0] % r == 0 and R.shape[1] % c == 0
        R = R.tobsr(blocksize=x.blocksize) if fits else R.tobsr()
    else:
        R = R.asformat(fmt)
    cls = getattr(sp, f"{fmt}_matrix" if isinstance(x, sp.spmatrix) else f"{fmt}_array")
    return R if type(R) is cls else cls(R)


def _compressed(x):
    """Canonical csr_array or csc_array of a sparse `x`, sharing its data if it can.

    csr and csc inputs keep their format (no conversion); others become csr. The
    O(nnz) canonical check is asked of `x` itself, which caches the answer as scipy
    does (a flag on the object, never its arrays), so a repeated call skips it.
    """
    if x.format not in ("csr", "csc"):
        x = x.tocsr()
    X = sp.csr_array(x) if x.format == "csr" else sp.csc_array(x)
    if x.has_canonical_format:  # X shares x's arrays
        X.has_canonical_format = True
    else:
        X = X.copy()
        X.sum_duplicates()
    return X


def _diag_minus_scaled(A, diag, left, right):
    """``diag(diag) - diag(left) @ A @ diag(right)`` as a canonical csr_array, A canonical csr.

    One scipy subtraction, which merges the rows of two canonical operands into new
    arrays, storing only results != 0: an unscaled `A` goes in as it is, uncopied.
    (A vectorized numpy merge, the diagonal slots found by binary search and inserted,
    measured 4-5x slower than scipy's compiled merge at 10^5 entries.)
    """
    S = A if left is None and right is None else _scale(A, left, right)
    L = sp.diags_array(diag, format="csr") - S
    L.has_canonical_format = True  # the merge of canonical rows is sorted, without duplicates
    return L


def _diag_minus_scaled_operator(A, diag, left, right) -> LinearOperator:
    """The LinearOperator of ``diag(diag) - diag(left) @ A @ diag(right)``; L is never built.

    The adjoint (rmatvec, rmatmat) is
    ``diag(conj(diag)) - diag(conj(right)) A^H diag(conj(left))``.
    """
    n = A.shape[0]
    cplx = A.dtype.kind == "c"

    def conj(v):
        return np.conj(v) if cplx and v is not None else v

    forward = (A, diag, left, right)
    adjoint = (A.T.conj() if cplx else A.T, conj(diag), conj(right), conj(left))

    def apply(X, M, d, lft, rgt):
        X = np.asarray(X)
        V = X[:, None] if X.ndim == 1 else X
        W = M @ (V if rgt is None else rgt[:, None] * V)
        if lft is not None:
            W = lft[:, None] * W
        return (d[:, None] * V - W).reshape(X.shape)

    return LinearOperator(
        (n, n),
        matvec=lambda x: apply(x, *forward),
        rmatvec=lambda x: apply(x, *adjoint),
        matmat=lambda X: apply(X, *forward),
        rmatmat=lambda X: apply(X, *adjoint),
        dtype=np.result_type(A.dtype, diag.dtype),
    )


# --------------------------------------------------------------------------
# Laplacians


def laplacian(A, *, kind: str = "combinatorial", degree: str = "out", weighted: bool = True,
              form: str = "array"):
    """Laplacian of the graph with adjacency `A`: ``L = D - A`` and its normalizations.

    ``kind="combinatorial"``: ``L = D - A``;
    ``kind="sym"``: ``L = D^-1/2 (D - A) D^-1/2 = I - D^-1/2 A D^-1/2``;
    ``kind="rw"``: ``L = D^-1 (D - A) = I - D^-1 A`` for out-degrees and
    ``L = (D - A) D^-1 = I - A D^-1`` for in-degrees,
    where ``D = diag(d)`` holds the out- or in-degrees and ``1/0`` is read as 0.

    Parameters
    ----------
    A : scipy sparse array or matrix, shape (n, n)
        ``A[i, j]`` is the weight of the edge i -> j; any format.
    kind : {"combinatorial", "sym", "rw"}
        Which Laplacian.
    degree : {"out", "in"}
        ``"out"``: row sums (networkx); ``"in"``: column sums (scipy csgraph's
        default). The same for a symmetric `A`.
    weighted : bool
        ``True``: the stored values are the weights; ``False``: the pattern,
        every stored entry (explicit zeros included) counting 1.
    form : {"array", "operator"}
        ``"array"`` returns a csr_array; ``"operator"`` a
        ``scipy.sparse.linalg.LinearOperator`` applying L through `A` and the
        degree vector (matvec, rmatvec, matmat), never building L.

    Returns
    -------
    L : csr_array or LinearOperator, shape (n, n)
        float64, or `A`'s floating or complex dtype.

    Raises
    ------
    TypeError
        `A` is not sparse, `weighted` is not a bool, or ``kind="sym"`` on complex `A`.
    ValueError
        `A` is not square; `kind`, `degree` or `form` is not an allowed value;
        ``kind="sym"`` with a negative degree.

    See Also
    --------
    directed_laplacian, incidence, transition_matrix

    Notes
    -----
    Convention: isolated vertices (degree 0) give zero rows and columns in the
    normalized Laplacians, not NaN and not a 1 on the diagonal. A self-loop
    adds ``A[i, i]`` to the degree once, so in ``D - A`` it cancels. Matches
    ``nx.laplacian_matrix(G)`` and ``nx.normalized_laplacian_matrix(G)``
    (out-degree, ``D^-1/2 (D - A) D^-1/2``) with ``degree="out"``, and
    ``scipy.sparse.csgraph.laplacian(A, normed=...)`` with ``degree="in"``
    (the combinatorial form always; the normed form when there are no
    self-loops, which csgraph drops from the degree). The array form costs one
    O(nnz) pass and one sparse subtraction, about ``sp.diags_array(d) - A``.

    Examples
    --------
    >>> import numpy as np
    >>> import scipy.sparse as sp
    >>> from graphstore.operators import laplacian
    >>> A = sp.csr_array(np.array([[0, 1, 1, 0], [1, 0, 1, 0], [1, 1, 0, 0], [0, 0, 0, 0.]]))
    >>> L = laplacian(A)
    >>> print(L.toarray())
    [[ 2. -1. -1.  0.]
     [-1.  2. -1.  0.]
     [-1. -1.  2.  0.]
     [ 0.  0.  0.  0.]]
    >>> print(L @ np.ones(4))
    [0. 0. 0. 0.]
    >>> Ls = laplacian(A, kind="sym", form="operator")  # L D^1/2 1 = 0
    >>> bool(np.allclose(Ls @ np.sqrt([2, 2, 2, 0]), 0))
    True
    """
    check_choice("kind", kind, ("combinatorial", "sym", "rw"))
    check_choice("degree", degree, ("out", "in"))
    check_choice("form", form, ("array", "operator"))
    weighted = _check_bool("weighted", weighted)
    A = _as_csr(A)
    dtype = _float_dtype(A.dtype)
    if kind == "sym" and dtype.kind == "c":
        raise TypeError(f"kind='sym' needs real weights, got dtype {A.dtype}")
    A = A.astype(dtype, copy=False) if weighted else _with_data(A, np.ones(A.nnz, dtype=dtype))
    d = _degree(A, 1 if degree == "out" else 0)
    if kind == "combinatorial":
        diag, left, right = d, None, None
    else:
        diag = (d != 0).astype(dtype)
        if kind == "sym":
            bad = np.flatnonzero(d < 0)
            if bad.size:
                raise ValueError(
                    f"kind='sym' needs non-negative degrees; vertex {bad[0]} has "
                    f"{degree}-degree {d[bad[0]].item()!r}"
                )
            left = right = _reciprocal(d, 0.5)
        elif degree == "out":
            left, right = _reciprocal(d), None
        else:
            left, right = None, _reciprocal(d)
    if form == "operator":
        return _diag_minus_scaled_operator(A, diag, left, right)
    return _diag_minus_scaled(A, diag, left, right)


def _stationary(PT: Callable[[np.ndarray], np.ndarray], n: int, beta: float, tol: float,
                maxiter: int) -> np.ndarray:
    """Perron vector of a stochastic P by power iteration on ``beta I + (1 - beta) P``.

    ``PT(x)`` returns ``P.T @ x``. ``beta > 0`` makes a periodic chain aperiodic
    without moving its stationary distribution. Stops when the L1 change of one
    step is at most `tol`.
    """
    x = np.full(n, 1.0 / n)
    delta = np.inf
    for _ in range(maxiter):
        y = PT(x)
        if beta:
            y = beta * x + (1 - beta) * y
        y /= y.sum()
        delta = np.abs(y - x).sum()
        x = y
        if delta <= tol:
            return x
    raise RuntimeError(
        f"the stationary distribution did not converge in maxiter={maxiter} power "
        f"iterations (last L1 change {delta:.3g} > tol={tol}); the walk mixes slowly: "
        "raise maxiter or tol"
    )


def directed_laplacian(A, *, walk: str = "random", alpha: float = 0.95,
                       kind: str = "normalized", form: str | None = None, tol: float = 1e-10,
                       maxiter: int = 10_000):
    """Chung's Laplacian of a directed graph, from a random walk and its stationary distribution.

    ``kind="normalized"``: ``L = I - (Phi^1/2 P Phi^-1/2 + Phi^-1/2 P^T Phi^1/2) / 2``;
    ``kind="combinatorial"``: ``L = Phi - (Phi P + P^T Phi) / 2``,
    where ``Phi = diag(phi)``, ``phi P = phi`` and ``sum(phi) = 1``. The walk P
    is ``S = D^-1 A`` (``walk="random"``), ``(I + S) / 2`` (``"lazy"``) or
    ``alpha S' + (1 - alpha) / n`` (``"pagerank"``), with ``S'`` being `S`
    whose zero rows (dangling vertices) are replaced by ``1/n``.

    Parameters
    ----------
    A : scipy sparse array or matrix, shape (n, n)
        Non-negative finite weights; ``A[i, j]`` is the edge i -> j.
    walk : {"random", "lazy", "pagerank"}
        The random walk P.
    alpha : float
        Damping of the pagerank walk, ``0 < alpha < 1``; unused otherwise.
    kind : {"normalized", "combinatorial"}
        Which Laplacian.
    form : {None, "array", "operator"}
        None: ``"array"`` for the random and lazy walks, ``"operator"`` for
        pagerank. ``"array"`` is a csr_array for random and lazy walks and a
        dense ``numpy.ndarray`` (n x n, as networkx builds it) for pagerank,
        whose P is dense; ``"operator"`` is a LinearOperator that applies P
        as sparse plus rank one and never forms L.
    tol : float
        Stop the power iteration for ``phi`` when one step changes it by at
        most `tol` in L1 norm.
    maxiter : int
        Most power iterations; each costs O(nnz).

    Returns
    -------
    L : csr_array, numpy.ndarray or LinearOperator, shape (n, n)
        Real symmetric, float64.

    Raises
    ------
    TypeError
        `A` is not sparse, or is complex.
    ValueError
        A bad `walk`, `kind`, `form`, `alpha`, `tol` or `maxiter`; `A` not
        square, with a negative or non-finite weight; for the random and lazy
        walks, a vertex without an out-edge of positive weight, or `A` not
        strongly connected.
    RuntimeError
        The power iteration did not converge in `maxiter` steps.

    See Also
    --------
    laplacian, transition_matrix

    Notes
    -----
    Matches ``nx.directed_laplacian_matrix(G, walk_type=walk, alpha=alpha)``
    (``kind="normalized"``) and ``nx.directed_combinatorial_laplacian_matrix``
    (``kind="combinatorial"``) for a DiGraph G with adjacency `A`, when the
    walk has one stationary distribution.

    networkx computes ``phi`` with ``eigs(P.T, k=1)``; on a graph that is not
    strongly connected it returns a ``phi`` with zeros (finite but
    meaningless entries, or values near 1e8 next to a dangling vertex), and
    on a periodic strongly connected graph ``eigs`` may return the
    eigenvector of another root of unity than 1 (seen with period 3, errors
    of 0.1 to 0.5 in L). Here the random and
    lazy walks raise ValueError unless `A` is strongly connected with
    positive out-degrees (the pagerank walk always is), and ``phi`` comes from
    a power iteration on ``0.1 I + 0.9 P`` for the random walk (on P for the
    lazy and pagerank walks), which converges for periodic walks too and has
    the same ``phi``. Cost: O(nnz) per iteration; the number of iterations
    grows as the walk mixes slowly. Like networkx, ``sqrt(|phi|)`` guards
    against round-off below zero.

    References
    ----------
    F. Chung, "Laplacians and the Cheeger inequality for directed graphs",
    Annals of Combinatorics 9 (2005) 1-19.

    Examples
    --------
    >>> import numpy as np
    >>> import scipy.sparse as sp
    >>> from graphstore.operators import directed_laplacian
    >>> A = sp.csr_array(np.array([[0, 1, 1.], [0, 0, 1], [1, 0, 0]]))
    >>> L = directed_laplacian(A, kind="combinatorial")
    >>> Ld = L.toarray()
    >>> L.format, bool(np.allclose(Ld @ np.ones(3), 0)), bool(np.allclose(Ld, Ld.T))
    ('csr', True, True)
    >>> Lp = directed_laplacian(A, walk="pagerank", kind="combinatorial")  # a LinearOperator
    >>> Lp.shape, bool(np.allclose(Lp @ np.ones(3), 0))
    ((3, 3), True)
    """
    check_choice("walk", walk, ("random", "lazy", "pagerank"))
    check_choice("kind", kind, ("normalized", "combinatorial"))
    if form is not None:
        check_choice("form", form, ("array", "operator"))
    if walk == "pagerank" and not (isinstance(alpha, (int, float, np.floating, np.integer))
                                   and 0 < alpha < 1):
        raise ValueError(f"alpha must satisfy 0 < alpha < 1, got {alpha!r}")
    if not (isinstance(tol, (int, float, np.floating, np.integer)) and tol > 0):
        raise ValueError(f"tol must be a positive number, got {tol!r}")
    try:
        maxiter = operator.index(maxiter)
    except TypeError as err:
        raise TypeError(f"maxiter must be an integer, got {maxiter!r}") from err
    if maxiter < 1:
        raise ValueError(f"maxiter must be a positive integer, got {maxiter!r}")
    A = _as_csr(A)
    if A.dtype.kind == "c":
        raise TypeError(f"directed_laplacian needs real weights, got dtype {A.dtype}")
    A = A.astype(np.float64, copy=False)
    if A.nnz:
        bad = np.flatnonzero(~(np.isfinite(A.data) & (A.data >= 0)))
        if bad.size:
            i, j = _major_index(A)[bad[0]], A.indices[bad[0]]
            raise ValueError(
                f"directed_laplacian needs non-negative finite weights; A[{i}, {j}] = "
                f"{A.data[bad[0]].item()!r}"
            )
    n = A.shape[0]
    if form is None:
        form = "operator" if walk == "pagerank" else "array"
    d = _degree(A, 1)
    S = _scale(A, _reciprocal(d))  # row-stochastic except zero rows at d == 0
    if not S.data.all():  # weight-0 edges are no transitions (copy: S shares A's index arrays)
        S = S.copy()
        S.eliminate_zeros()
    if walk == "pagerank":
        c_eye, a, w = 0.0, float(alpha), alpha * (d == 0) + (1 - alpha)
    else:
        dangling = np.flatnonzero(d == 0)
        if dangling.size:
            raise ValueError(
                f"walk={walk!r} needs every vertex to have an out-edge of positive weight; "
                f"vertex {dangling[0]} has none (use walk='pagerank')"
            )
        ncomp = connected_components(S, directed=True, connection="strong")[0] if n else 0
        if ncomp > 1:
            raise ValueError(
                f"walk={walk!r} needs a strongly connected graph, but A has {ncomp} strongly "
                "connected components, so its stationary distribution is not unique "
                "(use walk='pagerank')"
            )
        c_eye, a, w = (0.0, 1.0, None) if walk == "random" else (0.5, 0.5, None)
    ST = S.T.tocsr()

    def PT(x):  # P.T @ x for P = c_eye I + a S + w 1^T / n
        y = a * (ST @ x)
        if c_eye:
            y += c_eye * x
        if w is not None:
            y += (w @ x) / n
        return y

    phi = _stationary(PT, n, 0.1 if walk == "random" else 0.0, tol, maxiter) if n else np.zeros(0)
    if kind == "normalized":
        h = np.sqrt(np.abs(phi))
        left, right, diag = h, _reciprocal(h), np.ones(n)
    else:
        left, right, diag = phi, None, phi

    if form == "operator":
        rt = np.ones(n) if right is None else right

        def apply(X):
            X = np.asarray(X)
            V = X[:, None] if X.ndim == 1 else X
            # M V with M = diag(left) P diag(rt), then M^T V; L V = diag V - (M V + M^T V) / 2
            U = rt[:, None] * V
            MV = a * (S @ U) + c_eye * U
            if w is not None:
                MV += w[:, None] * U.sum(axis=0) / n
            MV *= left[:, None]
            U = left[:, None] * V
            MtV = a * (ST @ U) + c_eye * U
            if w is not None:
                MtV += (w @ U) / n
            MtV *= rt[:, None]
            return (diag[:, None] * V - (MV + MtV) / 2).reshape(X.shape)

        return LinearOperator((n, n), matvec=apply, rmatvec=apply, matmat=apply,
                              rmatmat=apply, dtype=np.float64)
    if walk == "pagerank":  # dense on request, as networkx
        P = a * S.toarray() + w[:, None] / n
        M = left[:, None] * P * (np.ones(n) if right is None else right)[None, :]
        return np.diag(diag) - (M + M.T) / 2
    P = S if not c_eye else (sp.eye_array(n, format="csr") * c_eye + S * a)
    M = _scale(P, left, right)
    return sp.diags_array(diag, format="csr") - (M + M.T.tocsr()) * 0.5


# --------------------------------------------------------------------------
# incidence and difference operators


def _check_symmetric(A: sp.csr_array, values: bool) -> None:
    """Raise ValueError naming an entry if the canonical `A` is not symmetric."""
    T = A.T.tocsr()
    same = np.array_equal(A.indptr, T.indptr) and np.array_equal(A.indices, T.indices)
    if same and (not values or np.array_equal(A.data, T.data)):
        return
    n = A.shape[0]
    keys = _major_index(A).astype(np.int64) * n + A.indices
    tkeys = _major_index(T).astype(np.int64) * n + T.indices
    pos = np.minimum(np.searchsorted(tkeys, keys), max(len(tkeys) - 1, 0))
    found = tkeys[pos] == keys if len(tkeys) else np.zeros(len(keys), bool)
    bad = ~found | (values & (A.data != T.data[pos]))
    k = np.flatnonzero(bad)[0]
    i, j = _major_index(A)[k], A.indices[k]
    other = T.data[pos[k]].item() if found[k] else "not stored"
    raise ValueError(
        f"A is not symmetric: A[{i}, {j}] = {A.data[k].item()!r} but A[{j}, {i}] is {other!r}; "
        "pass directed=True for a directed graph"
    )


def incidence(A, *, directed: bool, oriented: bool = True,
              weighted: bool = False) -> sp.csc_array:
    """Vertex-edge incidence matrix B (n x m) of the graph with adjacency `A`.

    Column k of B belongs to edge k = (u, v): ``B[u, k] = -w``, ``B[v, k] = +w``
    when `oriented`, ``B[u, k] = B[v, k] = w`` otherwise, with ``w = A[u, v]``
    if `weighted` else 1; a self-loop's column is zero. For an undirected graph,
    ``B B^T = D - A`` without self-loops (unweighted) and ``B W B^T`` with
    ``W = diag(w)`` is the weighted Laplacian.

    Parameters
    ----------
    A : scipy sparse array or matrix, shape (n, n)
        Adjacency; symmetric when ``directed=False``.
    directed : bool
        True: every stored entry (u, v) is an edge u -> v. False: the stored
        entries of the upper triangle ``u <= v`` are the edges.
    oriented : bool
        Signed (-1 at the tail, +1 at the head) or unsigned entries.
    weighted : bool
        ``True``: scale each column by its edge weight, the stored value
        (networkx's ``weight="weight"``); ``False``: the pattern, every edge 1.

    Returns
    -------
    B : csc_array, shape (n, m)
        m edges in row-major order of the stored entries; float64 (or `A`'s
        floating dtype when `weighted`).

    Raises
    ------
    TypeError
        `A` is not sparse; a flag is not a bool.
    ValueError
        `A` is not square, or ``directed=False`` and `A` is not symmetric
        (its pattern; with ``weighted=True`` also its values).

    See Also
    --------
    difference_operator, laplacian

    Notes
    -----
    Matches ``nx.incidence_matrix(G, oriented=oriented, weight=...)`` with its
    default edge list, for G built by adding the edges in that row-major order
    (then ``G.edges()`` lists them in the same order): the same sign (-1 at
    the tail u, +1 at the head v of ``(u, v)``), zero columns for self-loops
    (oriented and unoriented), and weights multiplying the entries (so the
    weighted ``B B^T`` has squared weights). An edge of weight 0 has a zero
    column when ``weighted=True``, as networkx's. Cost O(nnz).

    Examples
    --------
    >>> import numpy as np
    >>> import scipy.sparse as sp
    >>> from graphstore.operators import incidence, laplacian
    >>> A = sp.csr_array(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0.]]))  # path 0 - 1 - 2
    >>> B = incidence(A, directed=False)
    >>> print(B.toarray())
    [[-1.  0.]
     [ 1. -1.]
     [ 0.  1.]]
    >>> bool(np.allclose((B @ B.T).toarray(), laplacian(A).toarray()))
    True
    """
    directed = _check_bool("directed", directed)
    oriented = _check_bool("oriented", oriented)
    weighted = _check_bool("weighted", weighted)
    A = _as_csr(A)
    n = A.shape[0]
    if not directed:
        _check_symmetric(A, values=weighted)
    u, v = _major_index(A), A.indices
    dtype = _float_dtype(A.dtype) if weighted else np.dtype(np.float64)
    w = A.data.astype(dtype, copy=False) if weighted else np.ones(A.nnz, dtype=dtype)
    if not directed:
        upper = v >= u
        u, v, w = u[upper], v[upper], w[upper]
    m = len(u)
    edge = u != v  # self-loops give empty columns
    idx = np.int64 if max(2 * m, n) >= np.iinfo(np.int32).max else np.int32
    indptr = np.zeros(m + 1, dtype=idx)
    np.cumsum(2 * edge, out=indptr[1:])
    u, v, w = u[edge], v[edge], w[edge]
    forward = u < v
    indices = np.column_stack([np.where(forward, u, v), np.where(forward, v, u)]).astype(idx)
    if oriented:  # -w at the tail u, +w at the head v; rows in increasing order
        data = np.column_stack([np.where(forward, -w, w), np.where(forward, w, -w)])
    else:
        data = np.column_stack([w, w])
    B = sp.csc_array((data.ravel(), indices.ravel(), indptr), shape=(n, m))
    if weighted:
        B.eliminate_zeros()
    return B


def difference_operator(A, order: int = 1, *, directed: bool = False, weighted: bool = False):
    """Graph trend-filtering difference operator ``D(k)`` of Wang, Sharpnack, Smola and Tibshirani.

    ``D(1) = B^T`` (m x n), the transposed oriented incidence matrix, and
    ``D(k+1) = D(1)^T D(k)`` for odd k, ``D(1) D(k)`` for even k; so
    ``D(2) = B B^T = L``, ``D(2j) = L^j`` (n x n) and ``D(2j+1) = D(1) L^j`` (m x n).

    Parameters
    ----------
    A : scipy sparse array or matrix, shape (n, n)
        Adjacency, symmetric unless `directed`.
    order : int
        k >= 0; ``order=0`` gives the n x n identity (the recursion's start:
        ``D(1) = D(1) D(0)``).
    directed, weighted : bool
        As in :func:`incidence`.

    Returns
    -------
    D : csr_array
        Shape (m, n) for odd `order`, (n, n) for even; float64.

    Raises
    ------
    TypeError
        `order` is not an integer; `A` is not sparse; a flag is not a bool.
    ValueError
        `order` is negative; `A` as in :func:`incidence`.

    See Also
    --------
    incidence, diff, laplacian

    Notes
    -----
    Sign and edge order are :func:`incidence`'s: row k of ``D(1)`` is
    ``e_v - e_u`` for edge k = (u, v), the networkx incidence column
    transposed, so on the path 0 - 1 - ... - (n-1) ``D(1)`` is
    ``np.diff(np.eye(n), axis=0)`` and ``D(1) @ x == np.diff(x)``. A
    self-loop has a zero row. With ``weighted=True`` row k is scaled by ``w_k``,
    so ``D(2) = B W^2 B^T``: pass ``A.sqrt()`` to get the weighted Laplacian.
    With ``directed=True`` on a symmetric `A` each edge appears twice and
    ``D(2) = 2 L``. Cost: one sparse product per order.

    References
    ----------
    Y.-X. Wang, J. Sharpnack, A. Smola, R. J. Tibshirani, "Trend Filtering on
    Graphs", JMLR 17 (2016) 1-41, eq. (5).

    Examples
    --------
    >>> import numpy as np
    >>> import scipy.sparse as sp
    >>> from graphstore.operators import difference_operator
    >>> path = sp.diags_array([np.ones(3), np.ones(3)], offsets=[-1, 1])
    >>> print(difference_operator(path).toarray())
    [[-1.  1.  0.  0.]
     [ 0. -1.  1.  0.]
     [ 0.  0. -1.  1.]]
    >>> print(difference_operator(path, 2).toarray())
    [[ 1. -1.  0.  0.]
     [-1.  2. -1.  0.]
     [ 0. -1.  2. -1.]
     [ 0.  0. -1.  1.]]
    """
    try:
        order = operator.index(order)
    except TypeError as err:
        raise TypeError(f"order must be an integer, got {order!r}") from err
    if order < 0:
        raise ValueError(f"order must be non-negative, got {order}")
    B = incidence(A, directed=directed, oriented=True, weighted=weighted).tocsr()
    if order == 0:
        return sp.eye_array(B.shape[0], format="csr")
    D1 = B.T.tocsr()
    D = D1
    for k in range(1, order):
        D = B @ D if k % 2 else D1 @ D
    D = sp.csr_array(D)
    D.sort_indices()
    return D


@functools.lru_cache(maxsize=64)
def _coefficients(n: int, dtype: np.dtype) -> tuple[np.ndarray, np.ndarray]:
    """Offsets k and coefficients ``(-1)^(n-k) C(n, k)`` of the n-th difference, in `dtype`.

    Integer dtypes take the coefficients modulo 2**bits (the ring numpy's
    wrapping subtraction works in), bool modulo 2 (numpy's diff of bool is
    repeated ``!=``, i.e. XOR). Zero coefficients are dropped. Cached, so the
    arrays are read-only: a diff of a long band spends little besides its one pass.
    """
    exact = [(-1) ** (n - k) * math.comb(n, k) for k in range(n + 1)]
    if dtype.kind == "b":
        values = np.array([c % 2 for c in exact], dtype=bool)
    elif dtype.kind in "iu":
        bits = 8 * dtype.itemsize
        wrapped = [c % (1 << bits) for c in exact]  # in [0, 2**bits)
        values = np.array(wrapped, dtype=np.uint64).view(np.int64) if bits == 64 else np.array(
            wrapped, dtype=np.int64)
        values = values.astype(dtype)
    else:
        try:
            values = np.array([float(c) for c in exact], dtype=dtype)
        except OverflowError as err:
            raise ValueError(
                f"n={n} is too large: its binomial coefficients overflow {dtype}"
            ) from err
    keep = values != 0
    offsets, values = np.flatnonzero(keep), values[keep]
    offsets.flags.writeable = values.flags.writeable = False
    return offsets, values


def difference_matrix(size: int, n: int = 1, *, axis: int = -1, dtype=np.float64,
                      format: str = "csr"):
    """``np.diff(np.eye(size), n, axis)`` as a banded sparse matrix: ``x @ Dm == np.diff(x, n)``.

    With ``axis=-1`` (numpy's default) `Dm` is size x (size - n) and column j
    holds ``(-1)^(n-k) C(n, k)`` at row ``j + k`` for k = 0..n, so
    ``x @ Dm == np.diff(x, n)`` (the differences along the last axis of `x`).
    With ``axis=0`` it is the transpose, (size - n) x size, and
    ``Dm @ x == np.diff(x, n, axis=0)``.

    Parameters
    ----------
    size : int
        Length L of the differenced axis, L >= 0.
    n : int
        Order, n >= 0; ``n >= size`` gives an empty (size, 0) or (0, size)
        matrix, ``n = 0`` the identity.
    axis : int
        The axis of ``np.eye(size)`` that is differenced: -1 or 1 gives
        size x (size - n), 0 or -2 gives (size - n) x size.
    dtype : dtype
        Entry type. Integer dtypes hold the coefficients modulo 2**bits and
        bool modulo 2, so the identity above holds for them too (numpy wraps
        integers and takes the diff of bool as XOR).
    format : {"csr", "csc", "coo", "lil", "dok", "dia", "bsr"}
        Sparse format of the result.

    Returns
    -------
    Dm : sparse array, shape (size, max(size - n, 0)) or (max(size - n, 0), size)

    Raises
    ------
    TypeError
        `size` or `n` is not an integer.
    ValueError
        `size` or `n` is negative, `format` is not allowed, or a floating
        `dtype` cannot hold the binomial coefficients of order n.
    numpy.exceptions.AxisError
        `axis` is not one of 0, 1, -1, -2.

    See Also
    --------
    diff, difference_operator

    Notes
    -----
    Changed (see the README's changelog): the default is now numpy's
    orientation, ``axis=-1``; the earlier (size - n) x size matrix is ``axis=0``.
    Built by :func:`scipy.sparse.diags_array` from the n + 1 binomial
    coefficients (the zero ones of integer and bool dtypes left out):
    O(size * (n + 1)).

    Examples
    --------
    >>> import numpy as np
    >>> from graphstore.operators import difference_matrix
    >>> print(difference_matrix(4, 2).toarray())
    [[ 1.  0.]
     [-2.  1.]
     [ 1. -2.]
     [ 0.  1.]]
    >>> x = np.arange(6.0) ** 3
    >>> print(x @ difference_matrix(6, 3), np.diff(x, 3))
    [6. 6. 6.] [6. 6. 6.]
    >>> print(difference_matrix(5, 2, axis=0).toarray())  # the transpose: Dm @ x
    [[ 1. -2.  1.  0.  0.]
     [ 0.  1. -2.  1.  0.]
     [ 0.  0.  1. -2.  1.]]
    """
    try:
        size = operator.index(size)
        n = operator.index(n)
    except TypeError as err:
        raise TypeError(f"size and n must be integers, got size={size!r}, n={n!r}") from err
    if size < 0:
        raise ValueError(f"size must be non-negative, got {size}")
    if n < 0:
        raise ValueError("order must be non-negative but got " + repr(n))
    check_choice("format", format, _FORMATS)
    axis = normalize_axis_index(axis, 2)
    dtype = np.dtype(dtype)
    short = max(size - n, 0)
    shape = (size, short) if axis == 1 else (short, size)
    if short == 0:  # no band to place (diags_array rejects offsets past an empty side)
        return sp.csr_array(shape, dtype=dtype).asformat(format)
    offsets, values = _coefficients(n, dtype)
    # axis=1: column j holds c_k at row j + k (diagonal -k); axis=0: row i at column i + k
    sign = -1 if axis == 1 else 1
    return sp.diags_array(list(values), offsets=(sign * offsets).tolist(), shape=shape,
                          format=format, dtype=dtype)


def _repeated(x):
    """The one value of a real dia `x` with one diagonal whose data repeat one nonzero value
    (an identity, a scaled one), else None. One comparison pass; nonzero equal reals have
    equal bits, so the value stands for every stored one."""
    if len(x.offsets) != 1 or x.dtype.kind != "f" or not x.data.size:
        return None
    v = x.data[0]
    first = v[0]
    if first != 0 and (v[:1024] == first).all() and (v == first).all():
        return first
    return None


def _diff_dia(x, n: int, axis: int, fill=None):
    """``np.diff(x, n, axis)`` of a dia `x`, as dia like `x`: O((n + 1) * data.size).

    The result of a banded input is banded. The diagonal of offset o (``x[i, i + o]``,
    kept in ``data[., j]`` at its column ``j = i + o``) puts ``c_k x[i, j + k]`` into
    ``y[i, j]`` along axis 1: the diagonal o - k, read k columns further on; and
    ``c_k x[i + k, j]`` along axis 0: the diagonal o + k, at the same columns. Both
    keep the row of the input entry, so values scipy ignores (positions outside the
    matrix) only land outside the result, where they are zeroed; all-zero diagonals
    are dropped. Sums run in `x`'s dtype with the coefficients of :func:`_coefficients`
    (integers wrap, bool is XOR), so integers and bool are exact as in :func:`diff`.
    One vectorized pass per (diagonal, k) pair: dia inputs have few diagonals. With one
    diagonal (an identity) every result value is a single term: one product each.
    """
    M, N = x.shape
    rows, cols = (M, max(N - n, 0)) if axis == 1 else (max(M - n, 0), N)
    ks, coefs = _coefficients(n, x.dtype)
    ks = ks.tolist()
    offsets = x.offsets.tolist()
    step = -1 if axis == 1 else 1  # diagonal o feeds the result's o + step * k
    # Python sets and dicts, not np.unique and searchsorted: a dia input has few diagonals,
    # and on a long band (an identity) this fixed cost is what separates diff from writing
    # the band down (benchmark W5)
    out_offsets = sorted({o + step * k for o in offsets for k in ks})
    slot = {q: r for r, q in enumerate(out_offsets)}
    out = np.empty((len(out_offsets), cols), dtype=x.dtype)  # every element is written once
    written = [False] * len(out_offsets)
    data, bool_ = x.data, x.dtype.kind == "b"
    one = len(offsets) == 1 and data.shape[1] >= cols + (ks[-1] if axis == 1 else 0)
    with np.errstate(all="ignore"):  # as the sparse product: no warnings (inf - inf, overflow)
        if one:  # one diagonal v (an identity): term k alone makes result diagonal o + step k,
            # c_k v[j + k] (axis 1) or c_k v[j] (axis 0), one product each, nothing to add
            v = data[0]
            for k, c in zip(ks, coefs, strict=True):
                if fill is not None:  # every value of v is `fill`: write c * fill, read nothing
                    out[slot[offsets[0] + step * k]].fill(c * fill)
                    continue
                src = v[k:k + cols] if axis == 1 else v[:cols]
                np.multiply(src, c, out=out[slot[offsets[0] + step * k]])
            written = [True] * len(out_offsets)
        else:  # several diagonals: sums, one vectorized pass per (diagonal, k) pair
            for k, c in zip(ks, coefs, strict=True):
                first = k if axis == 1 else 0  # data column read for result column 0
                width = min(data.shape[1] - first, cols)
                if width <= 0:
                    continue
                for o, src in zip(offsets, data[:, first:first + width], strict=True):
                    r = slot[o + step * k]
                    dest = out[r, :width]
                    if not written[r]:  # the first term is written, not added to zeros
                        np.multiply(src, c, out=dest)
                        out[r, width:] = 0
                        written[r] = True
                    elif bool_:  # every kept coefficient is odd: XOR
                        dest ^= src
                    elif c == 1:
                        dest += src
                    elif c == -1:
                        dest -= src
                    else:
                        dest += src * c
    keep = []
    for r, q in enumerate(out_offsets):  # result row j - q of column j must be in range
        lo, hi = min(max(q, 0), cols), min(max(q + rows, 0), cols)
        if not written[r]:
            keep.append(False)
            continue
        if lo:
            out[r, :lo] = 0
        if hi < cols:
            out[r, hi:] = 0
        keep.append(_any_nonzero(out[r, lo:hi]))
    out_offsets = np.array(out_offsets, dtype=x.offsets.dtype)
    if not all(keep):
        out, out_offsets = out[keep], out_offsets[keep]
    cls = sp.dia_matrix if isinstance(x, sp.spmatrix) else sp.dia_array
    return cls((out, out_offsets), shape=(rows, cols))


def _any_nonzero(v: np.ndarray, block: int = 1 << 14) -> bool:
    """``v.any()`` for a 1-D `v`, stopping at the first block holding a nonzero.

    The first 1024 values are counted (the cheapest call on a short slice), then
    blocks are reduced (faster per value on long ones)."""
    if np.count_nonzero(v[:1024]):
        return True
    return any(np.logical_or.reduce(v[i:i + block]) for i in range(1024, len(v), block))


def _separated(X, n: int) -> bool:
    """Whether the entries of each row of the canonical csr `X` lie more than n columns apart."""
    if np.diff(X.indptr).max(initial=0) <= 1:  # at most one entry per row
        return True
    gaps = np.diff(X.indices)  # may be negative from one row to the next
    ends = X.indptr[1:-1] - 1  # position of each row's last entry, for rows before the last
    gaps[ends[(ends >= 0) & (ends < gaps.size)]] = np.iinfo(gaps.dtype).max  # across rows
    return bool(gaps.min() > n)


def _diff_separated(X, n: int) -> sp.csr_array:
    """``np.diff(X, n, axis=1)`` of a canonical csr `X` whose row entries are over n apart.

    Entry ``X[i, j]`` alone gives ``c_k X[i, j]`` at columns ``j - k``; as no two
    entries of a row share a result column, each entry's terms (k = n..0) follow
    each other in column order: the csr arrays are written directly, no product and
    no sort. O(nnz * (n + 1)) in `X`'s dtype (integers wrap, bool keeps the odd
    coefficients); terms outside the result get the value 0 and go with the zero
    products (stored zeros, wrapped integers) in one ``eliminate_zeros``.
    """
    ks, coefs = _coefficients(n, X.dtype)
    K, cols = len(ks), max(X.shape[1] - n, 0)
    idx = np.int64 if max(X.nnz * K, X.shape[1]) >= np.iinfo(np.int32).max else np.int32
    values = np.empty((X.nnz, K), dtype=X.dtype)
    columns = np.empty((X.nnz, K), dtype=idx)
    with np.errstate(all="ignore"):  # as the sparse product: no overflow warnings
        for t, (k, c) in enumerate(zip(ks[::-1].tolist(), coefs[::-1], strict=True)):
            np.multiply(X.data, c, out=values[:, t])  # increasing column j - k
            np.subtract(X.indices, k, out=columns[:, t], casting="unsafe")
    outside = (columns < 0) | (columns >= cols)
    np.copyto(values, np.zeros((), values.dtype), where=outside)
    np.copyto(columns, 0, where=outside)
    R = sp.csr_array((values.ravel(), columns.ravel(), X.indptr.astype(idx) * K),
                     shape=(X.shape[0], cols))
    R.eliminate_zeros()
    return R


def _binomial_is_exact(values: np.ndarray, n: int) -> bool:
    """Whether the one-pass binomial stencil of order n is exact on these float/complex values.

    It is when every value (real and imaginary part) is an integer of magnitude at
    most ``2**(p - n)``, p being the dtype's significand bits: each product
    ``C(n, k) v`` and each partial sum is then an integer of magnitude at most
    ``2**p``, represented exactly, so any order of summation gives numpy's
    repeated differences. When every value is one value (an identity, a 0/1
    pattern: one comparison pass finds it) that scalar is checked; otherwise
    the bound takes a min and a max, and each block is checked with
    the round-to-integer trick ``(v + 1.5 * 2**(p-1)) - 1.5 * 2**(p-1)``, which
    equals v exactly when v is an integer. NaN and inf fail.
    """
    finfo = np.finfo(values.dtype)
    p = finfo.nmant + 1
    if n >= p - 1:
        return False
    parts = (values.real, values.imag) if values.dtype.kind == "c" else (values,)
    real = finfo.dtype.type
    bound, magic = real(2.0 ** (p - n)), real(1.5 * 2.0 ** finfo.nmant)
    for part in parts:
        v = part.reshape(-1)
        if not v.size:
            continue
        first = v[0]
        if (v[:1024] == first).all() and (v == first).all():  # one value: one pass, not two
            lo = hi = first
        else:
            lo, hi = v.min(), v.max()
        if not (-bound <= lo and hi <= bound):  # also NaN: the comparisons are False
            return False
        if lo == hi:  # one value: one scalar to check
            if (lo + magic) - magic != lo:
                return False
            continue
        size = min(v.size, 1 << 16)
        rounded, differs = np.empty(size, dtype=v.dtype), np.empty(size, dtype=bool)
        for b in _blocks(v.size, size):
            blk = v[b]
            r, d = rounded[:len(blk)], differs[:len(blk)]
            np.add(blk, magic, out=r)
            np.subtract(r, magic, out=r)
            np.not_equal(r, blk, out=d)
            if d.any():
                return False
    return True


def _empty_diff(x, n: int, axis: int):
    """The empty result of ``np.diff`` when n >= the axis length, in `x`'s format and kind."""
    M, N = x.shape
    shape = (M, 0) if axis == 1 else (0, N)
    return _like(sp.csr_array(shape, dtype=x.dtype), x)


def _shifted_rows(X, start: int, stop: int) -> sp.csr_array:
    """Rows ``start:stop`` of the canonical csr `X` as a canonical csr_array viewing its arrays."""
    a, b = X.indptr[start], X.indptr[stop]
    R = sp.csr_array((X.data[a:b], X.indices[a:b], X.indptr[start:stop + 1] - a),
                     shape=(stop - start, X.shape[1]))
    R.has_canonical_format = True
    return R


def _diff_rows_stepwise(X, steps: int) -> sp.csr_array:
    """``np.diff(X, steps, axis=0)`` of a canonical csr `X`, as numpy computes it: first
    differences ``X[1:] - X[:-1]`` repeated.

    Each step is one scipy sparse subtraction of two views of the previous result (no
    copy), which computes ``a - b`` per stored pair, ``a`` and ``-b`` where only one side
    stores a value, exactly as numpy's subtraction does, and stores only results != 0.
    """
    for _ in range(steps):
        M = X.shape[0]
        X = _shifted_rows(X, 1, M) - _shifted_rows(X, 0, M - 1)
    return sp.csr_array(X)


def _diff_columns_stepwise(X, steps: int) -> sp.csr_array:
    """``np.diff(X, steps, axis=1)`` of a canonical csr `X` by repeated first differences.

    Works in a frame that widens by one column a step instead of trimming: ``Z_0 = X``
    and ``Z_{s+1}[:, j] = Z_s[:, j] - Z_s[:, j - 1]``, one scipy subtraction of Z_s and
    Z_s with its column indices shifted by one (the data array is shared). Then
    ``Z_s[:, j] = np.diff(X, s, axis=1)[:, j - s]`` for s <= j < N, by induction (those
    columns read only columns s - 1 <= j - 1 < N of Z_(s-1)), and the columns outside
    are boundary terms dropped once at the end: no per-step filtering pass.
    """
    M, N = X.shape
    indices = X.indices
    if N + steps > np.iinfo(indices.dtype).max:
        indices = indices.astype(np.int64)
    one = indices.dtype.type(1)
    Z = sp.csr_array((X.data, indices, X.indptr.astype(indices.dtype, copy=False)), shape=(M, N))
    Z.has_canonical_format = True
    for s in range(steps):
        width = N + s + 1
        hi = sp.csr_array((Z.data, Z.indices, Z.indptr), shape=(M, width))
        lo = sp.csr_array((Z.data, Z.indices + one, Z.indptr), shape=(M, width))
        hi.has_canonical_format = lo.has_canonical_format = True
        Z = hi - lo
    c = Z.indices
    outside = np.flatnonzero((c < steps) | (c >= N))
    keep = np.ones(len(c), dtype=bool)
    keep[outside] = False
    indptr = Z.indptr - np.searchsorted(outside, Z.indptr).astype(Z.indptr.dtype)
    return sp.csr_array((Z.data[keep], c[keep] - c.dtype.type(steps), indptr),
                        shape=(M, N - steps))


def _check_diff_args(x, n, axis) -> tuple[int, int]:
    if not sp.issparse(x):
        raise TypeError(
            f"diff needs a scipy sparse array or matrix, got {type(x).__name__}; "
            "use np.diff for dense arrays"
        )
    if x.ndim != 2:
        raise TypeError(f"diff needs a 2-D sparse array, got a {x.ndim}-D one")
    try:
        n = operator.index(n)
    except TypeError as err:
        raise TypeError(f"order n must be an integer, got {n!r}") from err
    if n < 0:
        raise ValueError("order must be non-negative but got " + repr(n))
    return n, normalize_axis_index(axis, 2)


def diff(x, n: int = 1, axis: int = -1):
    """Sparse ``np.diff``: the n-th discrete difference of a 2-D sparse `x` along `axis`.

    ``diff(x, n, axis)`` equals ``np.diff(x.toarray(), n, axis)`` bit for bit
    (``np.array_equal``), kept sparse. Two routes, chosen by what is exact:

    * floating and complex values: numpy's own order, n first differences
      ``y[i] = x[i + 1] - x[i]``, each one vectorized sparse subtraction
      (scipy's, which rounds as numpy's does); a dia `x` stays dia;
    * integers and bool: one pass with the binomial stencil
      ``(-1)^(n-k) C(n, k)``, a product with :func:`difference_matrix`.

    Two inputs skip both for a direct one-pass construction: a dia `x` gives
    a dia result built diagonal by diagonal, and when the entries of each row
    (column, for ``axis=0``) lie more than n apart, as in a permutation or the
    identity, each entry's n + 1 terms are written in place, already sorted.
    For floating input they are used when ``n = 1`` or when every value is an
    integer small enough that each product and sum is exact (an identity, a
    0/1 pattern), so they round as numpy does.

    Parameters
    ----------
    x : scipy sparse array or matrix, 2-D
        Any format (csr, csc, coo, lil, dok, bsr, dia) and dtype scipy supports.
    n : int
        Order, n >= 0. ``n = 0`` returns `x` itself, as ``np.diff`` does; n at
        or past the axis length gives an empty (M, 0) or (0, N) result.
    axis : int
        0, 1, -1 or -2.

    Returns
    -------
    y : sparse, `x`'s format and kind (array or matrix)
        Shape and dtype of ``np.diff``'s result; no explicit zeros (a value
        that numpy's result has as 0 is not stored), except inside the
        diagonals of a dia result and the blocks of a bsr one, which those
        formats store whole.

    Raises
    ------
    TypeError
        `x` is not a 2-D scipy sparse array or matrix (use ``np.diff`` for
        dense arrays); `n` is not an integer.
    ValueError
        `n` is negative (numpy's message).
    numpy.exceptions.AxisError
        `axis` is out of range.

    See Also
    --------
    difference_matrix, difference_operator

    Notes
    -----
    Integers wrap around modulo 2**bits as numpy's do (the product runs in
    int64, or uint64 for uint64, and is cast back; the direct routes work in
    `x`'s dtype), and bool takes numpy's XOR (``np.not_equal`` repeated; the
    parity of the binomial sum). Floating values: the stencil sums its n + 1
    terms at once, which rounds differently from n subtractions in the last
    bits, so it is used only where both are exact; the stepwise route equals
    numpy's rounding by construction, and on random input it is also faster
    than the stencil's product (benchmark W5b). Unlike ``np.diff``,
    ``inf - inf`` gives NaN without a RuntimeWarning (scipy's arithmetic does
    not warn).

    Cost: one pass O(nnz * (n + 1)) (dia: O(data.size * (n + 1))); the check
    that floating values are small integers O(nnz) (one comparison pass when
    they repeat one value, as an identity's do: its band is then filled, not
    computed; else a min, a max and blocks, usually stopping at the first); stepwise, one
    subtraction per order, O(nnz_0 + ... + nnz_n) for the nnz of the
    intermediate differences (at most (k + 1) nnz(x) after k steps, plus up to
    2k boundary terms per row along ``axis=1``, dropped at the end). No dense
    intermediate.

    Examples
    --------
    >>> import numpy as np
    >>> import scipy.sparse as sp
    >>> from graphstore.operators import diff
    >>> x = sp.csr_array(np.array([[1, 0, 0, 4], [0, 2, 2, 0]]))
    >>> print(diff(x).toarray())
    [[-1  0  4]
     [ 2  0 -2]]
    >>> y = diff(x, 2, axis=1)
    >>> y.format, y.dtype, bool(np.array_equal(y.toarray(), np.diff(x.toarray(), 2, axis=1)))
    ('csr', dtype('int64'), True)
    >>> z = sp.csr_array(np.array([[0, 0.1, 0.2, 0.3]]))  # (0.3 - 0.2) - (0.2 - 0.1)
    >>> print(diff(z, 2).toarray(), np.diff(z.toarray(), 2))
    [[ 0.00000000e+00 -2.77555756e-17]] [[ 0.00000000e+00 -2.77555756e-17]]
    """
    n, axis = _check_diff_args(x, n, axis)
    if n == 0:
        return x
    return _diff(x, n, axis, exact=True)


def _diff_onepass(x, n: int = 1, axis: int = -1):
    """:func:`diff` by the one-pass binomial stencil for every dtype.

    Bit for bit ``np.diff`` only where :func:`diff` uses it (integers, bool,
    ``n = 1``, small integer values); for other floating input it differs from
    numpy in the last bits. Kept so that benchmark W5b can time the exact route
    against it.
    """
    n, axis = _check_diff_args(x, n, axis)
    if n == 0:
        return x
    return _diff(x, n, axis, exact=False)


def _diff(x, n: int, axis: int, exact: bool):
    """:func:`diff` after its checks (n >= 1, axis 0 or 1); `exact` picks the route."""
    if n >= x.shape[axis]:
        return _empty_diff(x, n, axis)
    kind = x.dtype.kind
    floating = exact and kind in "fc"
    if x.format == "dia":  # banded stays banded
        if floating and n > 1:
            v0 = _repeated(x)
            if v0 is not None:  # an identity: its one value decides, and fills the band
                if _binomial_is_exact(np.array([v0]), n):
                    return _diff_dia(x, n, axis, fill=v0)
            elif _binomial_is_exact(x.data, n):
                return _diff_dia(x, n, axis)
            for _ in range(n):
                x = _diff_dia(x, 1, axis)
            return x
        return _diff_dia(x, n, axis)
    X = _compressed(x)
    # Work on csr, differencing the rows (axis 0) or the columns (axis 1); a csc
    # input is the csr of its transpose, with the axis swapped.
    transposed = X.format == "csc"
    if transposed:
        X, axis = X.T, 1 - axis
    if axis == 1 and _separated(X, n) and (
            not floating or n == 1 or _binomial_is_exact(X.data, n)):
        R = _diff_separated(X, n)  # e.g. a permutation: no product, no sort
        return _like(R.T if transposed else R, x)
    if floating:  # exact, and faster than the product (benchmark W5b)
        R = _diff_rows_stepwise(X, n) if axis == 0 else _diff_columns_stepwise(X, n)
        return _like(R.T if transposed else R, x)
    acc = (np.dtype(np.uint64) if x.dtype == np.uint64 else np.dtype(np.int64)) \
        if kind in "biu" else x.dtype
    if X.dtype != acc:
        X = X.astype(acc)
    L = X.shape[axis]
    if axis == 0:  # combine consecutive rows: cache-friendly
        R = difference_matrix(L, n, axis=0, dtype=acc) @ X
    elif X.shape[1] <= _MINOR_AXIS_DIRECT:
        R = X @ difference_matrix(L, n, axis=1, dtype=acc)
    else:  # long rows: difference the rows of X^T instead, then transpose back
        R = (difference_matrix(L, n, axis=0, dtype=acc) @ X.T.tocsr()).T.tocsr()
    R = sp.csr_array(R)
    R.sort_indices()
    if kind in "biu":  # back to x's dtype modulo 2**bits (bool: parity); may create zeros
        R = _with_data(R, (R.data & 1).astype(bool) if kind == "b" else R.data.astype(x.dtype))
        R.eliminate_zeros()
    # (floating products already drop zeros: scipy's csr_matmat stores only sums != 0)
    if transposed:
        R = R.T
    return _like(R, x)


# --------------------------------------------------------------------------
# normalization and its derivatives


def _normalize_parts(x, axis):
    """Common start of normalize and its derivatives.

    Returns ``(X, axis, inv, seg)``: X dense float, or a canonical csr/csc
    sparse array; `axis` normalized; ``inv = 1/s`` (0 where ``s == 0``) shaped
    to broadcast against X (dense) or indexed per stored entry by `seg` (sparse).
    """
    if sp.issparse(x):
        if x.ndim != 2:
            raise ValueError(f"sparse x must be 2-D, got a {x.ndim}-D sparse array")
        axis = normalize_axis_index(axis, 2)
        X = _compressed(x)
        X = X.astype(_float_dtype(X.dtype), copy=False)
        return X, axis, _reciprocal(_degree(X, axis)), _entry_index(X, axis)
    X = np.asarray(x)
    X = X.astype(_float_dtype(X.dtype), copy=False)
    axis = normalize_axis_index(axis, X.ndim)
    return X, axis, _reciprocal(X.sum(axis=axis, keepdims=True)), None


def _values_at(g, X) -> np.ndarray:
    """Values of `g` (dense of X's shape, or sparse) at the stored positions of the csr/csc X."""
    if not sp.issparse(g):
        g = np.asarray(g)
    if g.shape != X.shape:
        raise ValueError(f"expected shape {X.shape}, got {g.shape}")
    if not sp.issparse(g):
        major, minor = _major_index(X), X.indices
        return g[major, minor] if X.format == "csr" else g[minor, major]
    G = g if g.format == X.format else g.asformat(X.format)
    if (len(G.data) == X.nnz and _same_values(G.indptr, X.indptr)
            and _same_values(G.indices, X.indices)):
        return G.data  # the canonical pattern of X: no search
    G = _compressed(G)
    major, minor = _major_index(X), X.indices
    width = X.shape[1] if X.format == "csr" else X.shape[0]
    keys = major.astype(np.int64) * width + minor
    gkeys = _major_index(G).astype(np.int64) * width + G.indices
    if not len(gkeys):
        return np.zeros(len(keys), dtype=G.dtype)
    pos = np.minimum(np.searchsorted(gkeys, keys), len(gkeys) - 1)
    return np.where(gkeys[pos] == keys, G.data[pos], 0)


def normalize(x, axis: int = 0):
    """Divide `x` by its sums along `axis`: ``y = x / x.sum(axis, keepdims=True)``.

    Parameters
    ----------
    x : array_like of any ndim, or 2-D scipy sparse array or matrix
        Dense input may be batched, e.g. (N, H, W) normalized along ``axis=1``.
    axis : int
        The summed axis; each slice along it sums to 1 afterwards (or is 0).

    Returns
    -------
    y : numpy.ndarray, or sparse in `x`'s format and kind
        float64, or `x`'s floating or complex dtype. A sparse result keeps
        the stored pattern of `x` (after summing duplicates), explicit zeros
        included.

    Raises
    ------
    numpy.exceptions.AxisError
        `axis` is out of range.
    ValueError
        Sparse `x` is not 2-D.

    See Also
    --------
    normalize_vjp, normalize_jvp, transition_matrix

    Notes
    -----
    A slice whose sum is 0 stays 0 (``1/0`` is read as 0): no NaN and no
    warning. Computed as ``x * (1/s)``, so equal to ``x / s`` within one
    rounding. Cost O(size) dense, O(nnz) sparse.

    Examples
    --------
    >>> import numpy as np
    >>> from graphstore.operators import normalize
    >>> print(normalize(np.array([[1., 0.], [3., 0.]])))
    [[0.25 0.  ]
     [0.75 0.  ]]
    >>> print(normalize(np.ones((2, 4, 3)), axis=1).sum(axis=1))
    [[1. 1. 1.]
     [1. 1. 1.]]
    """
    X, axis, inv, seg = _normalize_parts(x, axis)
    if seg is None:
        return X * inv
    return _like(_with_data(X, X.data * inv[seg], copy=True), x)


def normalize_vjp(x, grad_y, axis: int = 0):
    """Backward pass of :func:`normalize`: ``grad_x = (grad_y - sum(grad_y * y, axis)) / s``.

    With ``s = sum(x, axis)`` and ``y = x / s``, ``dy_k/dx_j = (delta_kj - y_k) / s``
    within a slice, so ``grad_x_j = (grad_y_j - sum_k grad_y_k y_k) / s``: the
    Jacobian-transpose product, off-diagonal terms included.

    Parameters
    ----------
    x : array_like of any ndim, or 2-D scipy sparse array or matrix
        The input of :func:`normalize`.
    grad_y : array_like or scipy sparse, x's shape
        The gradient with respect to y. For sparse `x` it may be dense or
        sparse; only its values at x's stored positions are read (y is
        identically 0 elsewhere).
    axis : int
        As in :func:`normalize`.

    Returns
    -------
    grad_x : numpy.ndarray, or sparse in `x`'s format and kind
        For sparse `x`, the gradient with respect to its stored values, on
        its pattern.

    Raises
    ------
    ValueError
        `grad_y` does not have x's shape.
    numpy.exceptions.AxisError
        `axis` is out of range.

    See Also
    --------
    normalize, normalize_jvp

    Notes
    -----
    Zero-sum slices get a zero gradient (normalize maps them to 0). No
    complex conjugation: this is ``J^T grad_y``. Cost O(size) dense, O(nnz)
    sparse (plus O(nnz log nnz) to align a sparse `grad_y`).

    Examples
    --------
    >>> import numpy as np
    >>> from graphstore.operators import normalize_vjp
    >>> x = np.array([1., 3.])
    >>> print(normalize_vjp(x, np.array([1., 0.])))  # d(x0 / (x0 + x1)) / dx
    [ 0.1875 -0.0625]
    >>> print(normalize_vjp(x, np.ones(2)))  # y sums to 1 whatever x is
    [0. 0.]
    """
    X, axis, inv, seg = _normalize_parts(x, axis)
    if seg is None:
        g = np.asarray(grad_y)
        if g.shape != X.shape:
            raise ValueError(f"grad_y must have x's shape {X.shape}, got {g.shape}")
        c = (g * (X * inv)).sum(axis=axis, keepdims=True)
        return (g - c) * inv
    try:
        g = _values_at(grad_y, X)
    except ValueError as err:
        raise ValueError(f"grad_y must have x's shape {X.shape}: {err}") from err
    # Per stored entry: scale = 1/s of its slice, y = x * scale, then grad_y * y, whose
    # sums along `axis` are c; then grad_x = (grad_y - c) * scale, in the same buffer.
    # Block by block, so the two gathers and four products make few passes over memory.
    scale = np.empty(X.nnz, dtype=inv.dtype)
    grad = np.empty(X.nnz, dtype=np.result_type(X.dtype, g.dtype))
    for b in _blocks(X.nnz):
        np.take(inv, seg[b], out=scale[b], mode="clip")  # in range: "clip" skips the check
        np.multiply(X.data[b], scale[b], out=grad[b])
        grad[b] *= g[b]
    c = _degree(_with_data(X, grad), axis)
    for b in _blocks(X.nnz):
        np.take(c, seg[b], out=grad[b], mode="clip")
        np.subtract(g[b], grad[b], out=grad[b])
        grad[b] *= scale[b]
    return _like(_with_data(X, grad, copy=True), x)


def normalize_jvp(x, dx, axis: int = 0):
    """Forward-mode derivative of :func:`normalize`: ``dy = (dx - y * sum(dx, axis)) / s``.

    Parameters
    ----------
    x : array_like of any ndim, or 2-D scipy sparse array or matrix
        The input of :func:`normalize`.
    dx : array_like or scipy sparse, x's shape
        The tangent. For sparse `x` only its values at x's stored positions
        are read: the sparse function's inputs are the stored values.
    axis : int
        As in :func:`normalize`.

    Returns
    -------
    dy : numpy.ndarray, or sparse in `x`'s format and kind, on x's pattern

    Raises
    ------
    ValueError
        `dx` does not have x's shape.
    numpy.exceptions.AxisError
        `axis` is out of range.

    See Also
    --------
    normalize, normalize_vjp

    Notes
    -----
    ``J dx`` with the Jacobian of :func:`normalize_vjp`; zero-sum slices give
    0. Cost O(size) dense, O(nnz) sparse.

    Examples
    --------
    >>> import numpy as np
    >>> from graphstore.operators import normalize_jvp
    >>> print(normalize_jvp(np.array([1., 3.]), np.array([1., 0.])))
    [ 0.1875 -0.1875]
    """
    X, axis, inv, seg = _normalize_parts(x, axis)
    if seg is None:
        t = np.asarray(dx)
        if t.shape != X.shape:
            raise ValueError(f"dx must have x's shape {X.shape}, got {t.shape}")
        return (t - X * inv * t.sum(axis=axis, keepdims=True)) * inv
    try:
        t = _values_at(dx, X)
    except ValueError as err:
        raise ValueError(f"dx must have x's shape {X.shape}: {err}") from err
    tsum = _degree(_with_data(X, t), axis)
    yv = X.data * inv[seg]
    return _like(_with_data(X, (t - yv * tsum[seg]) * inv[seg], copy=True), x)


def transition_matrix(A, kind: str = "row") -> sp.csr_array:
    """Random-walk transition matrix: ``D^-1 A`` (``kind="row"``) or ``A D^-1`` (``"column"``).

    Parameters
    ----------
    A : scipy sparse array or matrix, shape (n, n)
        ``A[i, j]`` is the weight of the edge i -> j.
    kind : {"row", "column"}
        ``"row"``: divide each row by the out-degree (row-stochastic, the walk
        i -> j with probability ``A[i, j] / d_out[i]``); ``"column"``: divide
        each column by the in-degree (column-stochastic).

    Returns
    -------
    P : csr_array, shape (n, n)
        `A`'s stored pattern; float64 or `A`'s floating dtype. Zero rows
        (columns) stay zero.

    Raises
    ------
    TypeError
        `A` is not sparse.
    ValueError
        `A` is not square, or `kind` is not allowed.

    See Also
    --------
    normalize, laplacian, directed_laplacian

    Notes
    -----
    ``transition_matrix(A) == normalize(A, axis=1)`` and
    ``laplacian(A, kind="rw") == I - transition_matrix(A)`` on vertices of
    non-zero degree; the row case is networkx's ``_transition_matrix`` for the
    random walk.

    Examples
    --------
    >>> import numpy as np
    >>> import scipy.sparse as sp
    >>> from graphstore.operators import transition_matrix
    >>> A = sp.csr_array(np.array([[0, 1, 3], [0, 0, 2], [0, 0, 0]]))
    >>> print(transition_matrix(A).toarray())
    [[0.   0.25 0.75]
     [0.   0.   1.  ]
     [0.   0.   0.  ]]
    """
    check_choice("kind", kind, ("row", "column"))
    return normalize(_as_csr(A), axis=1 if kind == "row" else 0)


# --------------------------------------------------------------------------
# norms


def _check_ord(ord) -> None:
    """Raise ValueError unless scipy.sparse.linalg.norm computes the matrix norm `ord`.

    Asks scipy itself, on the 2 x 2 identity, so the allowed ords stay scipy's.
    """
    import scipy.sparse.linalg as spla

    try:
        spla.norm(sp.eye_array(2, format="csr"), ord)
    except (ValueError, TypeError, NotImplementedError) as err:
        raise ValueError(
            f"ord={ord!r} is not a matrix norm scipy.sparse.linalg.norm computes; it takes "
            "None or 'fro', 1, -1, inf, -inf and 2"
        ) from err


def norm(A, ord="fro") -> float:
    """A matrix norm of the sparse `A`, never densified: ``scipy.sparse.linalg.norm(A, ord)``.

    ``ord=None`` or ``"fro"``: ``sqrt(sum |a_ij|^2)``; ``1`` / ``-1``: the
    largest / smallest column sum of ``|A|``; ``inf`` / ``-inf``: the largest
    / smallest row sum; ``2``: the largest singular value.

    Parameters
    ----------
    A : scipy sparse array or matrix, 2-D
        Any format, shape and dtype.
    ord : {None, "fro", 1, -1, inf, -inf, 2}
        Every matrix norm :func:`scipy.sparse.linalg.norm` computes (its
        ``ord=-2`` and the nuclear norm are not implemented there).

    Returns
    -------
    float
        0.0 for an empty `A` (a side of length 0), whatever the ord.

    Raises
    ------
    TypeError
        `A` is not a scipy sparse array or matrix.
    ValueError
        `A` is not 2-D, or scipy does not compute `ord`.

    See Also
    --------
    scipy.sparse.linalg.norm, numpy.linalg.norm

    Notes
    -----
    Delegates to scipy, except where scipy cannot answer or warns: an empty
    `A` gives 0.0, and ``ord=2`` on an `A` with at most two rows or columns
    is the square root of the largest eigenvalue of the 1 x 1 or 2 x 2 Gram
    matrix (``A A^H`` or ``A^H A``), or 0.0 when `A` holds no nonzero value:
    scipy's ARPACK solver needs ``k < min(A.shape) - 1`` and a nonzero start.
    Integer and bool values are read as float64, as ``numpy.linalg.norm``
    reads them (scipy would sum int64 and could wrap around).

    ``ord=2`` is scipy's iterative estimate (``svds(A, k=1)`` by ARPACK from
    a random start): accurate to about machine precision relative to the
    norm, but not bit for bit ``np.linalg.norm(A, 2)``, and its last bits
    may change from call to call. Cost O(nnz) for every ord but 2;
    ``ord=2`` costs one product with `A` and one with ``A^H`` per ARPACK
    iteration.

    Examples
    --------
    >>> import numpy as np
    >>> import scipy.sparse as sp
    >>> from graphstore.operators import norm
    >>> A = sp.csr_array(np.array([[3.0, 0.0], [4.0, -1.0]]))
    >>> norm(A), norm(A, 1), norm(A, np.inf)
    (5.0990195135927845, 7.0, 5.0)
    >>> bool(np.isclose(norm(A, 2), np.linalg.norm(A.toarray(), 2)))
    True
    """
    import scipy.sparse.linalg as spla

    A = _as_csr(A, square=False)
    if 0 in A.shape:
        _check_ord(ord)
        return 0.0
    if A.dtype.kind not in "fc":
        A = A.astype(np.float64)
    if isinstance(ord, (int, float, np.integer, np.floating)) and ord == 2:
        if not A.data.any():
            return 0.0
        if min(A.shape) <= 2:
            G = (A @ A.T.conj() if A.shape[0] <= 2 else A.T.conj() @ A).toarray()
            return float(np.sqrt(max(np.linalg.eigvalsh(G)[-1], 0.0)))
    try:
        return float(spla.norm(A, ord))
    except (ValueError, TypeError, NotImplementedError):
        _check_ord(ord)  # a clear ValueError if scipy refused the ord
        raise


# --------------------------------------------------------------------------
# pairwise


def pairwise(f: Callable, a, b) -> np.ndarray:
    """Evaluate ``f`` on every pair: ``out[i, j] = f(a[i], b[j])``, shape (p, q).

    First tries one vectorized call with ``np.ix_``-style broadcasting:
    ``f(a[:, None], b[None, :])`` for 1-D `a` (p,) and `b` (q,), or
    ``f(a[:, None, :], b[None, :, :])`` for point sets (p, d) and (q, d),
    where `f` must reduce the last axis (e.g. ``np.linalg.norm(x - y,
    axis=-1)``). If that call raises TypeError or ValueError, or its result
    does not have shape (p, q), `f` is treated as scalar-only and mapped over
    the pairs with ``np.vectorize`` (signature ``"(d),(d)->()"`` for points).

    Parameters
    ----------
    f : callable
        ``f(x, y) -> scalar``, ideally vectorized as above.
    a, b : array_like
        1-D of lengths p and q, or 2-D (p, d) and (q, d).

    Returns
    -------
    out : numpy.ndarray, shape (p, q)

    Raises
    ------
    ValueError
        `a` and `b` are not both 1-D or both 2-D with the same d.

    Notes
    -----
    The fallback costs one Python call per pair. A vectorized `f` that
    broadcasts to (p, q) but computes something else per pair (it must not
    mix pairs) cannot be detected; the result is trusted.

    Examples
    --------
    >>> import numpy as np
    >>> from graphstore.operators import pairwise
    >>> print(pairwise(np.subtract, [1, 2, 3], [10, 20]))
    [[ -9 -19]
     [ -8 -18]
     [ -7 -17]]
    >>> pts = np.array([[0., 0.], [3., 4.]])
    >>> print(pairwise(lambda x, y: np.linalg.norm(x - y, axis=-1), pts, pts))
    [[0. 5.]
     [5. 0.]]
    >>> import math
    >>> print(pairwise(math.hypot, [3.], [4., 0.]))  # scalar-only f
    [[5. 3.]]
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim != b.ndim or a.ndim not in (1, 2) or (a.ndim == 2 and a.shape[1] != b.shape[1]):
        raise ValueError(
            f"a and b must both be 1-D, or 2-D with the same number of columns; got shapes "
            f"{a.shape} and {b.shape}"
        )
    p, q = len(a), len(b)
    if a.ndim == 1:
        args, signature = (a[:, None], b[None, :]), None
    else:
        args, signature = (a[:, None, :], b[None, :, :]), "(d),(d)->()"
    try:
        out = np.asarray(f(*args))
        if out.shape == (p, q):
            return out
    except (TypeError, ValueError):
        pass
    if p == 0 or q == 0:
        return np.zeros((p, q))
    return np.asarray(np.vectorize(f, signature=signature)(*args))
