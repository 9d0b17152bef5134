"""W5 sparse diff: identity and random input, difference_matrix, normalize_vjp.

Cases "identity": ``graphstore.diff(sp.identity(L), n)`` (dia, scipy's
default) for n = 1..3 beside the floor (the result written down with
``sp.diags_array``) and dense ``np.diff`` (small L); cases "identity routes":
graphstore again beside the identity times a band of binomial coefficients,
the product of first-order difference matrices (Pascal's row) and n
first-order COO differences (a case of their own: see the comment there).
Cases "random": diff of a random csr (density 10^-2, 10^4 x 10^4 at full
size) along each axis beside the first-order route; the reference is
numpy's np.diff of the dense array. "difference_matrix(L, 3)" beside
``sp.diags_array``; "normalize_vjp" beside one ``multiply`` and one column
sum.
"""

from __future__ import annotations

import inspect

import numpy as np
import scipy.sparse as sp

from benchmarks.harness import Case, Run
from benchmarks.inputs import SEED, close, direct_diags, exact, iterative_diff, stencil

NAME = "W5"
SYSTEMS = ("graphstore", "floor", "numpy", "scipy")
BASELINE = "floor"
SIZES = {
    "tiny": [("identity", 40), ("random", 2_000), ("difference_matrix", 40),
             ("normalize", 2_000)],
    "quick": [("identity", 10**5), ("random", 5 * 10**4), ("difference_matrix", 10**5),
              ("normalize", 10**5)],
    "full": [("identity", 10**4), ("identity", 10**5), ("identity", 10**6), ("random", 10**6),
             ("difference_matrix", 10**6), ("normalize", 10**6)],
}
# 9 timed rounds in quick runs: the sub-millisecond identity rows moved by 20% between
# runs with 2, and by 15% with 5
ROUNDS = {"quick": (1, 9)}
DENSE_MAX = 4_000  # dense np.diff up to this L


def first_order(L):
    """The (L, L - 1) matrix D with x @ D == np.diff(x, axis=1)."""
    return sp.diags_array([-1.0, 1.0], offsets=[0, -1], shape=(L, L - 1), format="csr")


def random_csr(nnz, seed=SEED):
    """A random csr with about `nnz` stored values at density 10^-2 (10^4 x 10^4 at most)."""
    rng = np.random.default_rng(seed)
    side = int(min(10_000, max(50, (nnz * 100) ** 0.5)))
    return sp.random_array((side, side), density=min(1.0, nnz / side**2), rng=rng, format="csr")


def dense_diff(X, order, axis, block=512):
    """np.diff of X.toarray() along `axis`, in blocks across the other axis (the reference)."""
    parts = []
    for i in range(0, X.shape[1 - axis], block):
        sl = X[i:i + block] if axis == 1 else X[:, i:i + block]
        parts.append(sp.csr_array(np.diff(sl.toarray(), order, axis=axis)))
    return sp.vstack(parts, format="csr") if axis == 1 else sp.hstack(parts, format="csr")


def cases(size, systems):
    kind, k = size
    if kind == "identity":
        yield from _identity(k, systems)
    elif kind == "random":
        yield from _random(k, systems)
    elif kind == "difference_matrix":
        yield from _difference_matrix(k, systems)
    else:
        yield from _normalize(k, systems)


def _identity(L, systems):
    from graphstore import operators

    I = sp.identity(L)  # dia, scipy's default, as the issue states the case
    for order in (1, 2, 3):
        runs = {}
        if "graphstore" in systems:
            runs["graphstore"] = Run(lambda order=order: operators.diff(I, order),
                                     note="graphstore.diff(I, n)")
        if "floor" in systems:
            runs["floor"] = Run(lambda order=order: direct_diags(L, order),
                                note="sp.diags_array(stencil, offsets, shape), dia")
        if "numpy" in systems and L <= DENSE_MAX:
            D = I.toarray()
            runs["dense np.diff"] = Run(lambda D=D, order=order: np.diff(D, order, axis=1),
                                        system="numpy", note="np.diff(I.toarray(), n, axis=1)")
        yield Case(f"identity L={L:,} n={order}", runs,
                   expect=lambda order=order: direct_diags(L, order, format="csr"),
                   compare=exact, units=L, unit="row", x=L, group=f"identity n={order}")
        if "scipy" not in systems:
            continue
        # the scipy routes in a case of their own: rows that allocate and free 10-100 times
        # more slow down the row that runs next (graphstore, first in the next round): 0.4 ms
        # on top of diff's 0.3 ms, and 1.5 ms after the band product, measured
        runs = {}
        if "graphstore" in systems:
            runs["graphstore"] = Run(lambda order=order: operators.diff(I, order),
                                     note="graphstore.diff(I, n)")
        band = sp.diags_array(stencil(order), offsets=[-j for j in range(order + 1)],
                              shape=(L, L - order), format="csr")
        runs["binomial band"] = Run(lambda band=band: I @ band, system="scipy",
                                    note="I @ band of binomial coefficients")

        def pascal(order=order):
            D = first_order(L)
            for j in range(1, order):
                D = D @ first_order(L - j)
            return I @ D

        runs["pascal"] = Run(pascal, system="scipy", note="I @ (D1 @ D1 @ ...)")
        runs["iterative"] = Run(lambda order=order: iterative_diff(I, order),
                                system="scipy", note="n first-order COO diffs")
        yield Case(f"identity routes L={L:,} n={order}", runs,
                   expect=lambda order=order: direct_diags(L, order, format="csr"),
                   compare=exact, units=L, unit="row")


def _random(nnz, systems):
    from graphstore import operators

    X = random_csr(nnz)
    for axis in (1, 0):
        for order in (1, 2, 3):
            runs = {}
            if "graphstore" in systems:
                runs["graphstore"] = Run(lambda order=order, axis=axis: operators.diff(
                    X, order, axis=axis), note="graphstore.diff(X, n, axis)")
            if "scipy" in systems:
                runs["iterative"] = Run(lambda order=order, axis=axis: iterative_diff(
                    X, order, axis), system="scipy", rounds=(1, 3),
                    note="n first-order COO diffs")
            yield Case(f"random nnz={X.nnz:,} n={order} axis={axis}", runs,
                       expect=lambda order=order, axis=axis: dense_diff(X, order, axis),
                       compare=lambda ref, got, order=order: close(ref, got,
                                                                   1e-12 * 2 ** order),
                       units=X.nnz * (order + 1), unit="nnz*(n+1)")


def _difference_matrix(L, systems):
    import graphstore as gs

    order = 3
    axis_param = "axis" in inspect.signature(gs.difference_matrix).parameters
    runs = {}
    if "graphstore" in systems:
        if axis_param:  # numpy's orientation: x @ D == np.diff(x, n)
            runs["graphstore"] = Run(lambda: gs.difference_matrix(L, order, axis=-1),
                                     note="difference_matrix(L, 3, axis=-1)")
        else:  # before the axis parameter: D @ x == np.diff(x, n, axis=0); compare D.T
            runs["graphstore"] = Run(lambda: gs.difference_matrix(L, order),
                                     answer=lambda D: sp.csr_array(D).T,
                                     note="difference_matrix(L, 3) (checked transposed)")
    if "floor" in systems:
        runs["floor"] = Run(lambda: direct_diags(L, order, format="csr"),
                            note="sp.diags_array(..., format='csr')")
    yield Case(f"difference_matrix L={L:,} n={order}", runs,
               expect=lambda: direct_diags(L, order, format="csr"), compare=exact, units=L,
               unit="row")


def _normalize(nnz, systems):
    from graphstore import operators

    rng = np.random.default_rng(SEED)
    X = random_csr(nnz)
    Gr = sp.csr_array((rng.standard_normal(X.nnz), X.indices, X.indptr), shape=X.shape)

    def floor():  # by bincount over the COO entries (axis 0: per column)
        C, g = X.tocoo(), Gr.tocoo()
        s = np.bincount(C.col, weights=C.data, minlength=C.shape[1])
        y = C.data / s[C.col]
        c = np.bincount(C.col, weights=g.data * y, minlength=C.shape[1])
        return sp.coo_array(((g.data - c[C.col]) / s[C.col], (C.row, C.col)), shape=C.shape)

    def ref():  # the same formula through scipy's own column sums and broadcasting
        s = np.asarray(X.sum(axis=0)).ravel()
        inv = np.divide(1.0, s, out=np.zeros_like(s), where=s != 0)
        c = np.asarray(Gr.multiply(X.multiply(inv[None, :])).sum(axis=0)).ravel()
        P = X.copy()
        P.data[:] = 1.0
        return sp.csr_array(Gr.multiply(inv[None, :]) - P.multiply((c * inv)[None, :]))

    runs = {}
    if "graphstore" in systems:
        runs["graphstore"] = Run(lambda: operators.normalize_vjp(X, Gr, axis=0),
                                 note="normalize_vjp(X, G, axis=0)")
    if "floor" in systems:
        runs["floor"] = Run(floor, note="two np.bincount column sums over the COO entries")
    yield Case(f"normalize_vjp nnz={X.nnz:,}", runs, expect=ref,
               compare=lambda a, b: close(a, b, 1e-9), units=X.nnz, unit="nnz")


def targets(r):
    out = []
    ident = [c for c in r.cases("identity L=") if r.per_unit(c, "graphstore") is not None]
    if ident:
        L = ident[-1].split(" n=")[0]
        for order in (1, 2, 3):
            c = f"{L} n={order}"
            out.append(r.ratio(f"W5 {c}: graphstore <= 1.5x direct diags", (c, "graphstore"),
                               (c, "floor"), "<=", 1.5))
        c = f"{L} n=3".replace("identity", "identity routes")
        out.append(r.ratio(f"W5 {c}: graphstore >= 3x faster than iterative first-order diffs",
                           (c, "iterative"), (c, "graphstore"), ">=", 3))
    return out
