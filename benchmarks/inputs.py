"""Seeded inputs, independent references, matrix comparisons and exports shared by workloads.

Everything here is untimed: it builds what a workload feeds its systems, and
what their answers are compared with. References use numpy/scipy (or plain
Python sets and dicts), never graphstore.
"""

from __future__ import annotations

import gc
import os
from math import comb

import numpy as np
import scipy.sparse as sp

SEED = 20_241_126
CHUNK = 100_000  # edges per add_edges call in the batch workloads


# ----------------------------------------------------------------------
# inputs


def random_edges(n, m, seed=SEED):
    """m distinct undirected edges on n vertices, no self-loops, random order and orientation.

    Returns int64 ``src``, ``dst`` and float64 weights in [0.5, 1.5).
    """
    rng = np.random.default_rng(seed)
    k = m + m // 10 + 100
    while True:
        s = rng.integers(0, n, k)
        d = rng.integers(0, n, k)
        keep = s != d
        s, d = s[keep], d[keep]
        key = np.minimum(s, d) * n + np.maximum(s, d)
        _, first = np.unique(key, return_index=True)
        if len(first) >= m:
            break
        k *= 2
    first = np.sort(first)[:m]  # first occurrences, in generated (random) order
    src, dst = s[first], d[first]
    w = rng.random(m) + 0.5
    return src, dst, w


def chunked(src, dst, w, chunk=CHUNK):
    """The edge arrays as a list of (src, dst, w) slices of `chunk` edges (views)."""
    m = len(src)
    step = chunk if m >= 5 * chunk else max(1, m // 5)
    return [(src[i:i + step], dst[i:i + step], w[i:i + step]) for i in range(0, m, step)]


def growth_ops(n, seed=SEED):
    """W1 operations: ops[v] lists the (u, w) of vertex v's add_edge calls, u < v.

    Vertex 0 has none; the others have 5 targets drawn uniformly from the
    earlier vertices, so low vertices repeat a pair (v = 1 calls (1, 0) five
    times): the last write wins in every system.
    """
    rng = np.random.default_rng(seed)
    tgt = (rng.random((n, 5)) * np.arange(n)[:, None]).astype(np.int64)
    wts = rng.random((n, 5)) + 0.5  # in [0.5, 1.5): never an implicit zero
    ops = [list(zip(t, w, strict=True)) for t, w in zip(tgt.tolist(), wts.tolist(), strict=True)]
    ops[0] = []
    return ops


# ----------------------------------------------------------------------
# references


def symmetric_csr(n, src, dst, w):
    """The symmetric CSR of distinct undirected edges (the reference builder)."""
    src, dst = np.asarray(src, np.int64), np.asarray(dst, np.int64)
    w = np.asarray(w, np.float64)
    r = np.concatenate([src, dst])
    c = np.concatenate([dst, src])
    return sp.csr_array((np.concatenate([w, w]), (r, c)), shape=(n, n))


def last_wins_csr(n, src, dst, w):
    """The symmetric CSR of undirected edges where a repeated pair keeps its last weight."""
    src, dst, w = np.asarray(src), np.asarray(dst), np.asarray(w, dtype=np.float64)
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    key = lo.astype(np.int64) * n + hi
    _, idx = np.unique(key[::-1], return_index=True)
    last = len(key) - 1 - idx
    return symmetric_csr(n, lo[last], hi[last], w[last])


def stencil(order):
    """The binomial stencil of np.diff of order `order`: c[k] = (-1)^(order-k) C(order, k)."""
    return [float((-1) ** (order - k) * comb(order, k)) for k in range(order + 1)]


def direct_diags(L, order, format="dia"):
    """np.diff(identity(L), order, axis=1) written down: entry (i, j) = stencil[i - j]."""
    return sp.diags_array(stencil(order), offsets=[-k for k in range(order + 1)],
                          shape=(L, L - order), format=format)


def iterative_diff(x, order, axis=1):
    """`order` first-order COO differences along `axis`, each with sum_duplicates (naive)."""
    x = x.tocoo()
    for _ in range(order):
        if axis == 1:
            N = x.shape[1]
            lo, hi = x.col < N - 1, x.col >= 1  # -x[:, j] into column j, +x[:, j] into j - 1
            row = np.r_[x.row[lo], x.row[hi]]
            col = np.r_[x.col[lo], x.col[hi] - 1]
            shape = (x.shape[0], max(N - 1, 0))
        else:
            N = x.shape[0]
            lo, hi = x.row < N - 1, x.row >= 1
            row = np.r_[x.row[lo], x.row[hi] - 1]
            col = np.r_[x.col[lo], x.col[hi]]
            shape = (max(N - 1, 0), x.shape[1])
        x = sp.coo_array((np.r_[-x.data[lo], x.data[hi]], (row, col)), shape=shape)
        x.sum_duplicates()
        x.eliminate_zeros()
    return x.tocsr()


def merge_sorted_delta(indptr, indices, data, r, c, w, n):
    """The W3 floor: insert entries absent from a CSR, given sorted row-major.

    Positions by a vectorized binary search inside each delta row,
    O(k log deg) (no O(nnz) key array); then one np.insert per array and
    the row pointer shifted by the cumulative count of new entries per row.
    """
    lo = indptr[r].astype(np.int64)
    hi = indptr[r + 1].astype(np.int64)
    while True:  # lower bound of c in indices[lo:hi], all rows at once
        open_ = lo < hi
        if not open_.any():
            break
        mid = (lo + hi) >> 1
        less = np.zeros(len(lo), dtype=bool)
        less[open_] = indices[mid[open_]] < c[open_]
        lo = np.where(open_ & less, mid + 1, lo)
        hi = np.where(open_ & ~less, mid, hi)
    new_indices = np.insert(indices, lo, c.astype(indices.dtype))
    new_data = np.insert(data, lo, w)
    new_indptr = indptr.copy()
    new_indptr[1:] += np.cumsum(np.bincount(r, minlength=n), dtype=indptr.dtype)
    return sp.csr_array((new_data, new_indices, new_indptr), shape=(n, n))


class ListFloor:
    """The Python floor of W1: a label dict and three list.append buffers.

    The bookkeeping a store needs per call (a dict insert per new vertex; two
    label lookups and three appends per edge), behind methods shaped like
    ``add_vertex`` / ``add_edge`` so it pays the same per-call cost as a library.
    """

    __slots__ = ("index", "src", "dst", "wts")

    def __init__(self):
        self.index, self.src, self.dst, self.wts = {}, [], [], []

    def add_vertex(self, label):
        index = self.index
        i = len(index)
        index[label] = i
        return i

    def add_edge(self, u, v, weight=1.0):
        index = self.index
        self.src.append(index[u])
        self.dst.append(index[v])
        self.wts.append(weight)

    def csr(self):
        return last_wins_csr(len(self.index), self.src, self.dst, self.wts)


def naive_block_growth(ops):
    """The naive way: pad the matrix by a row and a column per new vertex, then set entries."""
    A = None
    for v, es in enumerate(ops):
        if A is None:
            A = sp.lil_array((1, 1))
        else:
            A = sp.block_array([[A, None], [None, sp.lil_array((1, 1))]], format="lil")
        for u, w in es:
            A[v, u] = w
            A[u, v] = w
    return A


# ----------------------------------------------------------------------
# comparisons (raise AssertionError; Case.compare takes them)


def canonical(A):
    """A as a csr_array with sorted indices; raise AssertionError on duplicate entries."""
    A = sp.csr_array(A).copy()
    A.sort_indices()
    ind, ptr = A.indices, A.indptr
    if len(ind) > 1:
        same = np.flatnonzero(ind[1:] == ind[:-1]) + 1
        row_start = np.zeros(len(ind), dtype=bool)
        row_start[ptr[:-1][ptr[:-1] < len(ind)]] = True
        dup = same[~row_start[same]]
        if len(dup):
            r = int(np.searchsorted(ptr, dup[0], side="right") - 1)
            raise AssertionError(f"duplicate stored entries at ({r}, {int(ind[dup[0]])})")
    return A


def same_matrix(ref, got, what="matrix"):
    """Same shape, same sorted pattern, exactly equal values, no duplicates."""
    R, B = canonical(ref), canonical(got)
    if R.shape != B.shape:
        raise AssertionError(f"{what}: shape {B.shape} != {R.shape}")
    if R.nnz != B.nnz:
        raise AssertionError(f"{what}: {B.nnz} stored entries != {R.nnz}")
    if not np.array_equal(R.indptr, B.indptr) or not np.array_equal(R.indices, B.indices):
        D = sp.coo_array((R != 0).astype(np.int8) - (B != 0).astype(np.int8))
        raise AssertionError(f"{what}: pattern differs, e.g. at ({D.row[0]}, {D.col[0]})"
                             if D.nnz else f"{what}: pattern differs")
    bad = np.flatnonzero(R.data != B.data)
    if len(bad):
        p = bad[0]
        r = int(np.searchsorted(R.indptr, p, side="right") - 1)
        raise AssertionError(f"{what}: value at ({r}, {R.indices[p]}) is {B.data[p]!r}, "
                             f"expected {R.data[p]!r}")


def exact(ref, got):
    """`same_matrix` after dropping explicit zeros from both (Case.compare)."""
    R, G = sp.csr_array(ref).copy(), sp.csr_array(got).copy()
    R.eliminate_zeros()
    G.eliminate_zeros()
    same_matrix(R, G)


def close(ref, got, tol=1e-12):
    """Same shape and values up to `tol` relative to the largest |entry| (Case.compare)."""
    R, G = sp.csr_array(ref), sp.csr_array(got)
    if R.shape != G.shape:
        raise AssertionError(f"shape {G.shape} != {R.shape}")
    D = (R - G).tocsr()
    err = float(abs(D).max()) if D.nnz else 0.0
    scale = float(abs(R).max()) if R.nnz else 1.0
    if err > tol * max(scale, 1.0):
        raise AssertionError(f"max |difference| {err:.3g}")


# ----------------------------------------------------------------------
# each library's graph as a scipy CSR (untimed, for the checks)


def rx_csr(g, n):
    """A rustworkx PyGraph as a symmetric CSR of its edge weights."""
    m = g.num_edges()
    ij = np.fromiter((x for e in g.edge_list() for x in e), np.int64, count=2 * m)
    w = np.fromiter((1.0 if x is None else x for x in g.edges()), np.float64, count=m)
    return symmetric_csr(n, ij[0::2], ij[1::2], w)


def nk_csr(G, n):
    """A networkit Graph as a symmetric CSR of its edge weights."""
    e = list(G.iterEdgesWeights())
    if not e:
        return sp.csr_array((n, n))
    a = np.array(e, dtype=np.float64)
    return symmetric_csr(n, a[:, 0].astype(np.int64), a[:, 1].astype(np.int64), a[:, 2])


def ig_csr(g):
    return sp.csr_array(g.get_adjacency_sparse(attribute="weight"))


def gb_csr(M):
    import graphblas as gb

    return gb.io.to_scipy_sparse(M, format="csr")


# ----------------------------------------------------------------------
# memory


def anon_rss() -> int:
    """Anonymous resident bytes of this process: RSS minus file-backed and shared pages."""
    try:
        import psutil

        mi = psutil.Process().memory_info()
        return mi.rss - mi.shared
    except ImportError:  # psutil missing: read /proc/self/statm
        with open("/proc/self/statm") as f:
            _, resident, shared = (int(x) for x in f.read().split()[:3])
        return (resident - shared) * os.sysconf("SC_PAGE_SIZE")


def trim():
    """Collect garbage and hand freed heap back to the OS (glibc), so RSS shows live data."""
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: RSS may include freed heap
        pass
