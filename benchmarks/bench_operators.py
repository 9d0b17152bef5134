"""Operator benchmarks: graphstore.operators beside the scipy/numpy floor, csgraph and networkx.

Workloads (each a small class in the asv shape: ``params``, ``setup``, one
``time_<system>`` method per system, and ``check`` which asserts that every
system computes the same result before anything is timed):

LAP     laplacian (combinatorial and sym) of a random undirected graph with
        ~10^6 stored entries (quick: 10^5), beside the hand-written floor
        ``sp.diags_array(d) - A`` (and ``I - D^-1/2 A D^-1/2``),
        scipy.sparse.csgraph.laplacian, and networkx ``laplacian_matrix`` /
        ``normalized_laplacian_matrix`` on a 10^5-entry graph (ns per entry).
DIFFI   diff(I, 3) with L = 10^6 (quick: 10^5) for ``I = sp.identity(L)``
        (dia, scipy's default: the result stays dia) and for
        ``sp.identity(L, format="csr")``, beside direct ``sp.diags_array``
        construction of the same matrix in the result's format (for dia also
        in csr), an iterative first-order COO diff applied 3 times with
        sum_duplicates, difference_matrix(L, 3) beside
        ``sp.diags_array(..., format="csr")``, and for L = 2,000 dense ``np.diff``.
DIFFR   diff of a random 10^4 x 10^4 csr with 10^6 stored entries (quick:
        10^5), n = 1, 2, 3, along both axes: ns per nnz * (n + 1) shows the
        cost is linear in nnz * n; the iterative diff beside it.
VJP     normalize_vjp on that sparse matrix (axis 0) beside the floor of one
        ``A.multiply(G)`` plus one column sum.
DIRLAP  directed_laplacian (random walk, csr; pagerank, LinearOperator) of a
        strongly connected random digraph with 10^6 vertices and 5 * 10^6
        edges (quick: 10^5), and at 500 vertices beside networkx
        ``directed_laplacian_matrix`` (dense).

Method: the systems of a workload run interleaved round by round (warm-up
rounds, then timed rounds) in one process; each time is
``time.perf_counter`` around the call; the table shows the median and the
minimum, and ratios of medians: ``this/floor`` (1.0 is at the floor).

Run ``python benchmarks/bench_operators.py [--quick]`` or, with the core
workloads, ``python -m benchmarks [--quick]``.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import statistics
import sys
import time

import networkx as nx
import numpy as np
import scipy
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from graphstore import operators as ops  # noqa: E402

SEED = 20_241_126


# --------------------------------------------------------------------------
# inputs and hand-written references


def random_undirected(n_stored: int, seed: int = SEED, avg_degree: int = 10) -> sp.csr_array:
    """Symmetric weighted csr_array with about `n_stored` stored entries, no self-loops."""
    rng = np.random.default_rng(seed)
    n = max(n_stored // avg_degree, 2)
    m = n_stored // 2
    r, c = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = r != c
    r, c, w = r[keep], c[keep], rng.uniform(0.5, 2.0, keep.sum())
    A = sp.coo_array((np.r_[w, w], (np.r_[r, c], np.r_[c, r])), shape=(n, n)).tocsr()
    A.sum_duplicates()
    return A


def random_strongly_connected(n: int, m: int, seed: int = SEED) -> sp.csr_array:
    """Random digraph with a Hamiltonian cycle (strongly connected) plus m random edges."""
    rng = np.random.default_rng(seed)
    r = np.r_[np.arange(n), rng.integers(0, n, m)]
    c = np.r_[(np.arange(n) + 1) % n, rng.integers(0, n, m)]
    A = sp.csr_array((rng.uniform(0.5, 2.0, n + m), (r, c)), shape=(n, n))
    A.sum_duplicates()
    return A


def iterative_diff(x, n: int, axis: int = 1):
    """n first-order COO differences, each followed by sum_duplicates (the naive route)."""
    x = x.tocoo()
    for _ in range(n):
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


def binomial_stencil(n: int) -> list[float]:
    return [float((-1) ** (n - k) * math.comb(n, k)) for k in range(n + 1)]


def max_abs_diff(X, Y) -> float:
    if sp.issparse(X) or sp.issparse(Y):
        D = sp.csr_array(X) - sp.csr_array(Y)
        return float(abs(D).max()) if D.nnz else 0.0
    return float(np.max(np.abs(np.asarray(X) - np.asarray(Y)), initial=0.0))


# --------------------------------------------------------------------------
# workloads


class Laplacian:
    """LAP: graphstore.laplacian beside the hand-written floor, csgraph and networkx."""

    params = {"quick": 100_000, "full": 1_000_000}
    nx_size = 100_000

    def setup(self, size):
        self.A = random_undirected(size)
        self.n = self.A.shape[0]

    def check(self):
        for k in ("combinatorial", "sym"):
            ref = getattr(self, f"time_floor_{k}")()
            for sys_ in (f"time_graphstore_{k}", f"time_csgraph_{k}"):
                err = max_abs_diff(getattr(self, sys_)(), ref)
                assert err < 1e-12, (sys_, err)

    def time_graphstore_combinatorial(self):
        return ops.laplacian(self.A)

    def time_floor_combinatorial(self):
        d = self.A.sum(axis=1)
        return sp.diags_array(d) - self.A

    def time_csgraph_combinatorial(self):
        return csgraph.laplacian(self.A)

    def time_graphstore_sym(self):
        return ops.laplacian(self.A, kind="sym")

    def time_floor_sym(self):  # D^-1/2 scaling of the stored values, then I - that
        A = self.A
        d = A.sum(axis=1)
        h = np.zeros_like(d)
        h[d > 0] = 1 / np.sqrt(d[d > 0])
        rows = np.repeat(np.arange(self.n), np.diff(A.indptr))
        S = sp.csr_array((A.data * h[rows] * h[A.indices], A.indices, A.indptr), shape=A.shape)
        return sp.diags_array((d > 0).astype(float)) - S

    def time_csgraph_sym(self):
        return csgraph.laplacian(self.A, normed=True)


class LaplacianNetworkx(Laplacian):
    """LAP at networkx's size: the nx graph is built outside the timing."""

    def setup(self, size):
        super().setup(size)
        self.G = nx.Graph()
        self.G.add_nodes_from(range(self.n))
        C = self.A.tocoo()
        up = C.row < C.col
        self.G.add_weighted_edges_from(zip(C.row[up].tolist(), C.col[up].tolist(),
                                           C.data[up].tolist(), strict=True))

    def check(self):
        super().check()
        for k, f in (("combinatorial", nx.laplacian_matrix),
                     ("sym", nx.normalized_laplacian_matrix)):
            err = max_abs_diff(f(self.G), getattr(self, f"time_graphstore_{k}")())
            assert err < 1e-12, (k, err)

    def time_networkx_combinatorial(self):
        return nx.laplacian_matrix(self.G)

    def time_networkx_sym(self):
        return nx.normalized_laplacian_matrix(self.G)


class DiffIdentity:
    """DIFFI: diff of the identity, n = 3, beside direct construction and the naive route."""

    params = {"quick": 100_000, "full": 1_000_000}
    order = 3

    def setup(self, size, fmt="csr"):
        self.L, self.fmt = size, fmt
        self.I = sp.identity(size, format=fmt)
        self.stencil = binomial_stencil(self.order)

    def check(self):
        ref = self.time_direct_diags()
        got = self.time_graphstore()
        assert got.format == self.fmt == ref.format and type(got) is type(self.I)
        assert max_abs_diff(got, ref) == 0
        assert max_abs_diff(self.time_iterative(), ref) == 0
        assert max_abs_diff(self.time_direct_diags_csr(), ref) == 0
        Dm = self.time_graphstore_difference_matrix()
        assert max_abs_diff(Dm, self.time_diags_difference_matrix()) == 0

    def time_graphstore(self):
        return ops.diff(self.I, self.order)

    def _diags(self, fmt):  # np.diff(I, 3, axis=1)[i, j] = c[i - j]
        return sp.diags_array(self.stencil, offsets=[0, -1, -2, -3],
                              shape=(self.L, self.L - self.order), format=fmt)

    def time_direct_diags(self):  # the result's format: the floor
        return self._diags(self.fmt)

    def time_direct_diags_csr(self):
        return self._diags("csr")

    def time_iterative(self):
        return iterative_diff(self.I, self.order)

    def time_graphstore_difference_matrix(self):
        return ops.difference_matrix(self.L, self.order)

    def time_diags_difference_matrix(self):
        return sp.diags_array(self.stencil, offsets=list(range(self.order + 1)),
                              shape=(self.L - self.order, self.L), format="csr")


class DiffIdentityDense(DiffIdentity):
    """DIFFI at L = 2,000, where dense np.diff fits in memory."""

    def setup(self, size, fmt="csr"):
        super().setup(size, fmt)
        self.dense = self.I.toarray()

    def check(self):
        super().check()
        assert max_abs_diff(self.time_graphstore(), self.time_dense()) == 0

    def time_dense(self):
        return np.diff(self.dense, self.order, axis=1)


class DiffRandom:
    """DIFFR: diff of a random 10^4 x 10^4 csr, n = 1, 2, 3, along one axis."""

    params = {"quick": 100_000, "full": 1_000_000}

    def setup(self, size, order, axis):
        rng = np.random.default_rng(SEED)
        self.X = sp.random_array((10_000, 10_000), density=size / 1e8, rng=rng, format="csr")
        self.order, self.axis = order, axis

    def check(self):
        ref = self.time_iterative()
        err = max_abs_diff(self.time_graphstore(), ref)
        assert err < 1e-12 * 2 ** self.order, err

    def time_graphstore(self):
        return ops.diff(self.X, self.order, axis=self.axis)

    def time_iterative(self):
        return iterative_diff(self.X, self.order, axis=self.axis)


class NormalizeVjp:
    """VJP: sparse normalize_vjp beside one A.multiply plus one column sum."""

    params = {"quick": 100_000, "full": 1_000_000}

    def setup(self, size):
        rng = np.random.default_rng(SEED)
        self.X = sp.random_array((10_000, 10_000), density=size / 1e8, rng=rng, format="csr")
        self.G = sp.csr_array((rng.standard_normal(self.X.nnz), self.X.indices, self.X.indptr),
                              shape=self.X.shape)

    def check(self):  # reference by bincount over the COO entries (axis 0: per column)
        C, g = self.X.tocoo(), self.G.tocoo()
        assert np.array_equal(C.row, g.row) and np.array_equal(C.col, g.col)
        s = np.bincount(C.col, weights=C.data, minlength=C.shape[1])
        y = C.data / s[C.col]
        c = np.bincount(C.col, weights=g.data * y, minlength=C.shape[1])
        ref = sp.coo_array(((g.data - c[C.col]) / s[C.col], (C.row, C.col)), shape=C.shape)
        got = self.time_graphstore()
        assert got.nnz == self.X.nnz and max_abs_diff(got, ref) < 1e-9

    def time_graphstore(self):
        return ops.normalize_vjp(self.X, self.G, axis=0)

    def time_floor(self):
        return self.X.multiply(self.G).sum(axis=0)


class DirectedLaplacian:
    """DIRLAP: Chung's Laplacians at scale (random walk csr; pagerank operator + one matvec)."""

    params = {"quick": 100_000, "full": 1_000_000}

    def setup(self, size):
        self.A = random_strongly_connected(size, 4 * size)
        self.x = np.random.default_rng(SEED).standard_normal(size)

    def check(self):
        L = self.time_graphstore_random()
        assert isinstance(L, sp.csr_array)
        assert np.allclose(L @ np.ones(L.shape[0]), 0, atol=1e-8)  # combinatorial: L 1 = 0
        assert abs(L - L.T).max() == 0

    def time_graphstore_random(self):
        return ops.directed_laplacian(self.A, kind="combinatorial")

    def time_graphstore_pagerank_operator(self):
        return ops.directed_laplacian(self.A, walk="pagerank") @ self.x


class DirectedLaplacianNetworkx(DirectedLaplacian):
    """DIRLAP at 500 vertices beside networkx (dense)."""

    def setup(self, size):
        self.A = random_strongly_connected(size, 4 * size)
        self.G = nx.DiGraph()
        self.G.add_nodes_from(range(size))
        C = self.A.tocoo()
        self.G.add_weighted_edges_from(zip(C.row.tolist(), C.col.tolist(), C.data.tolist(),
                                           strict=True))
        self.x = np.random.default_rng(SEED).standard_normal(size)

    def check(self):
        for walk in ("random", "pagerank"):
            ref = nx.directed_laplacian_matrix(self.G, walk_type=walk)
            L = ops.directed_laplacian(self.A, walk=walk)
            got = L.toarray() if sp.issparse(L) else L @ np.eye(L.shape[0])
            assert max_abs_diff(got, ref) < 1e-6, walk

    def time_graphstore_random(self):
        return ops.directed_laplacian(self.A)

    def time_networkx_random(self):
        return nx.directed_laplacian_matrix(self.G, walk_type="random")

    def time_graphstore_pagerank_operator(self):
        return ops.directed_laplacian(self.A, walk="pagerank") @ self.x

    def time_networkx_pagerank(self):
        return nx.directed_laplacian_matrix(self.G, walk_type="pagerank") @ self.x


# --------------------------------------------------------------------------
# runner


def measure(bench, systems, *, rounds: int, warmup: int = 1) -> dict[str, list[float]]:
    """Time each ``time_<system>`` of `bench`, interleaved round by round."""
    times = {s: [] for s in systems}
    for r in range(warmup + rounds):
        for s in systems:
            f = getattr(bench, f"time_{s}")
            gc.collect()
            t0 = time.perf_counter()
            f()
            t1 = time.perf_counter()
            if r >= warmup:
                times[s].append(t1 - t0)
    return times


def _rows(group, case, times, *, floor=None, per=None, per_label="", note=""):
    rows = []
    base = statistics.median(times[floor]) if floor else None
    for s, ts in times.items():
        med = statistics.median(ts)
        rows.append({
            "group": group, "case": case, "system": s, "median_s": med, "min_s": min(ts),
            "rounds": len(ts),
            "ratio_to_floor": (med / base) if base else None, "floor": floor,
            "ns_per_unit": (med / per * 1e9) if per else None, "unit": per_label, "note": note,
        })
    return rows


def run(quick: bool = False, only=None) -> list[dict]:
    """Run the operator workloads, print their table, return one dict per (workload, case, system).

    `only` selects workloads by name (LAP, DIFFI, DIFFR, VJP, DIRLAP).
    """
    mode = "quick" if quick else "full"
    rounds = 3 if quick else 5
    want = None if only is None else {x.upper() for x in only}
    rows: list[dict] = []

    def on(name):
        return want is None or name in want

    if on("LAP"):
        b = Laplacian()
        b.setup(Laplacian.params[mode])
        b.check()
        nnz = b.A.nnz
        for k in ("combinatorial", "sym"):
            t = measure(b, [f"floor_{k}", f"graphstore_{k}", f"csgraph_{k}"], rounds=rounds)
            rows += _rows("LAP", f"{k}, n={b.n}, nnz={nnz}", t, floor=f"floor_{k}", per=nnz,
                          per_label="entry")
        b = LaplacianNetworkx()
        b.setup(LaplacianNetworkx.nx_size)
        b.check()
        for k in ("combinatorial", "sym"):
            t = measure(b, [f"floor_{k}", f"graphstore_{k}", f"networkx_{k}"], rounds=3)
            rows += _rows("LAP", f"{k}, n={b.n}, nnz={b.A.nnz}", t, floor=f"floor_{k}",
                          per=b.A.nnz, per_label="entry")
        del b

    if on("DIFFI"):
        for fmt in ("dia", "csr"):
            b = DiffIdentity()
            b.setup(DiffIdentity.params[mode], fmt)
            b.check()
            systems = ["direct_diags", "graphstore", "iterative"]
            if fmt != "csr":
                systems.insert(1, "direct_diags_csr")
            t = measure(b, systems, rounds=rounds)
            rows += _rows("DIFFI", f"diff(identity({b.L}, {fmt!r}), 3)", t, floor="direct_diags",
                          per=b.L, per_label="row")
        t = measure(b, ["diags_difference_matrix", "graphstore_difference_matrix"], rounds=rounds)
        rows += _rows("DIFFI", f"difference_matrix({b.L}, 3)", t, floor="diags_difference_matrix",
                      per=b.L, per_label="row")
        b = DiffIdentityDense()
        b.setup(2_000)
        b.check()
        t = measure(b, ["dense", "graphstore", "iterative"], rounds=rounds)
        rows += _rows("DIFFI", "diff(identity(2000), 3)", t, floor="dense", per=2_000,
                      per_label="row")
        del b

    if on("DIFFR"):
        for axis in (1, 0):
            for order in (1, 2, 3):
                b = DiffRandom()
                b.setup(DiffRandom.params[mode], order, axis)
                b.check()
                t = measure(b, ["graphstore", "iterative"], rounds=rounds)
                rows += _rows("DIFFR", f"csr nnz={b.X.nnz}, n={order}, axis={axis}", t,
                              floor=None, per=b.X.nnz * (order + 1), per_label="nnz*(n+1)")
        del b

    if on("VJP"):
        b = NormalizeVjp()
        b.setup(NormalizeVjp.params[mode])
        b.check()
        t = measure(b, ["floor", "graphstore"], rounds=rounds)
        rows += _rows("VJP", f"csr nnz={b.X.nnz}, axis=0", t, floor="floor", per=b.X.nnz,
                      per_label="nnz")
        del b

    if on("DIRLAP"):
        b = DirectedLaplacianNetworkx()
        b.setup(500)
        b.check()
        t = measure(b, ["networkx_random", "graphstore_random", "networkx_pagerank",
                        "graphstore_pagerank_operator"], rounds=3)
        rows += _rows("DIRLAP", "n=500", t, floor=None, per=b.A.nnz, per_label="edge")
        b = DirectedLaplacian()
        b.setup(DirectedLaplacian.params[mode])
        b.check()
        t = measure(b, ["graphstore_random", "graphstore_pagerank_operator"], rounds=1, warmup=0)
        rows += _rows("DIRLAP", f"n={b.A.shape[0]}, nnz={b.A.nnz}", t, floor=None, per=b.A.nnz,
                      per_label="edge", note="no warm-up, 1 round")
        del b
    print_table(rows)
    return rows


def print_table(rows) -> None:
    head = f"{'group':<7} {'case':<38} {'system':<30} {'median ms':>10} {'min ms':>9} " \
           f"{'/floor':>7} {'ns/unit':>9}"
    print(head)
    print("-" * len(head))
    last = None
    for r in rows:
        key = (r["group"], r["case"])
        case = r["case"] if key != last else ""
        last = key
        ratio = f"{r['ratio_to_floor']:.2f}" if r["ratio_to_floor"] is not None else ""
        per = f"{r['ns_per_unit']:.1f}" if r["ns_per_unit"] is not None else ""
        print(f"{r['group']:<7} {case:<38} {r['system']:<30} {r['median_s'] * 1e3:>10.2f} "
              f"{r['min_s'] * 1e3:>9.2f} {ratio:>7} {per:>9} {r['unit'] if per else ''}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="10x smaller inputs, under 30 s")
    ap.add_argument("--only", metavar="LAP,DIFFI,...", help="LAP, DIFFI, DIFFR, VJP, DIRLAP")
    args = ap.parse_args(argv)
    only = [x.strip() for x in args.only.split(",")] if args.only else None
    t0 = time.perf_counter()
    run(args.quick, only=only)
    print(f"\nnumpy {np.__version__}, scipy {scipy.__version__}, "
          f"networkx {nx.__version__}; total {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
