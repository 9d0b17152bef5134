"""The store's operator methods: thin delegations to :mod:`graphstore.operators`.

Each method reads the adjacency of one edge attribute (``weight=``, None for
every edge counting 1: networkx's convention) and calls the pure function of
the same name. They are a whole-graph read: the first call after a change
merges pending writes, O(nnz + pending).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ._validate import check_count

__all__ = ["OperatorMethods"]


class OperatorMethods:
    """Mixed into :class:`graphstore.GraphStore`; relies on ``adjacency`` and ``directed``."""

    __slots__ = ()

    def _operand(self, weight, dtype=None):
        """The adjacency to build an operator from, and whether it is weighted."""
        return self.adjacency(weight=weight, dtype=dtype), weight is not None

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
        return laplacian(A, kind=kind, degree=degree, weighted=weighted, form=form)

    def directed_laplacian(self, walk: str = "random", *, alpha: float = 0.95,
                           kind: str = "normalized", weight: str | None = "weight", **kwargs):
        """Chung's directed Laplacian; see :func:`graphstore.operators.directed_laplacian`."""
        from .operators import directed_laplacian

        A, _ = self._operand(weight, None if weight is not None else np.float64)
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
        return incidence(A, directed=self.directed, oriented=oriented, weighted=weighted)

    def difference_operator(self, order: int = 1, *, weight: str | None = None):
        """The graph trend-filtering operator D(order); see :func:`graphstore.operators.difference_operator`."""
        from .operators import difference_operator

        A, weighted = self._operand(weight)
        return difference_operator(A, order, directed=self.directed, weighted=weighted)

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

        A, _ = self._operand(weight, None if weight is not None else np.float64)
        return transition_matrix(A, kind=kind)

    def norm(self, ord="fro", *, weight: str | None = "weight") -> float:
        """A matrix norm of the adjacency, never densified; see :func:`graphstore.operators.norm`.

        Every `ord` :func:`scipy.sparse.linalg.norm` accepts; ``ord=2`` is
        scipy's iterative estimate of the largest singular value.

        Examples
        --------
        >>> g = gs.GraphStore()
        >>> g.add_edge(0, 1, weight=3.0)
        >>> g.norm(), g.norm(1)
        (4.242640687119285, 3.0)
        """
        from .operators import norm

        return norm(self.adjacency(weight=weight), ord)

    def aslinearoperator(self, *, weight: str | None = "weight"):
        """The adjacency as a :class:`scipy.sparse.linalg.LinearOperator` (for eigsh, cg, ...)."""
        import scipy.sparse.linalg as spla

        return spla.aslinearoperator(self.adjacency(weight=weight))

    def __matmul__(self, x):
        """``g @ x``: the adjacency times `x`, with numpy's matmul shape rules."""
        return self._matmul(x, left=True)

    def __rmatmul__(self, x):
        """``x @ g``: `x` times the adjacency, with numpy's matmul shape rules."""
        return self._matmul(x, left=False)

    def _matmul(self, x, left: bool):
        if isinstance(x, OperatorMethods):
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
                      directed: bool = False, self_loops: bool = False, labels=None):
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
