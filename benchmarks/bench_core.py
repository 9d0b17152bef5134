"""Core benchmarks: graphstore beside networkx, scipy and the numpy/Python floor.

Workloads (each a small class in the asv shape: ``params``, ``param_names``,
``setup``, one ``time_<system>`` method per system):

W1  per-call growth: add vertices one at a time by label, each with 5
    ``add_edge`` calls to random earlier vertices.
W2  batch ingest: numpy edge arrays in chunks of 10^5, then a symmetric CSR.
W3  snapshot after a small mutation: 1,000 new edges on a merged graph, then
    the CSR; and the cached CSR of an unchanged store.
W6  point queries: has_edge, weight, neighbors, one Python call each.
MEM resident bytes per stored undirected edge, one fresh interpreter per system.

Method (``benchmarks/README.md`` has the details): every system of a
workload runs in the same process, interleaved round by round (warm-up
rounds, then timed rounds) so that load from other processes on the shared
machine hits all systems alike; times are ``time.perf_counter`` around the
timed call only, with the garbage collector left on (as users have it) and
a ``gc.collect()`` before each round; inputs come from ``np.random.default_rng`` with fixed
seeds; before any time is reported, every system's result is checked to be
the same adjacency as the reference (same shape, same sorted coordinates,
exactly equal values, no duplicate entries).

Ratios: ``nx/this`` is networkx's median time over this system's (above 1:
faster than networkx); ``this/floor`` is this system's median over the
floor's (1.0: at the floor).
"""

from __future__ import annotations

import gc
import itertools
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphstore import GraphStore

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = 20_241_126
CHUNK = 100_000  # W2: edges per add_edges call


def _optional(name):
    """Import an optional comparison library, or None if it is not installed."""
    try:
        return __import__(name)
    except Exception:  # noqa: BLE001 - any import failure means "skipped"
        return None


rx = _optional("rustworkx")
gb = None  # python-graphblas is imported on first use: its import takes seconds


def _graphblas():
    global gb
    if gb is None:
        try:
            import graphblas

            gb = graphblas
        except Exception:  # noqa: BLE001
            gb = False
    return gb or None


# ----------------------------------------------------------------------
# measurement


@dataclass
class System:
    """One contender of a workload.

    run(state) is timed; prepare() builds untimed per-run state (or None);
    adjacency(out) turns run's result into a scipy sparse matrix, untimed,
    for the agreement check (None: the workload checks it itself).
    """

    name: str
    run: object
    prepare: object = None
    adjacency: object = None
    note: str = ""
    rounds: tuple | None = None  # (warm-up, timed) for this system, if not the workload's


@dataclass
class Row:
    workload: str
    size: str
    system: str
    times: list = field(default_factory=list)  # seconds per timed run
    units: int = 1  # what per_unit divides by
    unit: str = ""  # e.g. "vertex", "edge", "call"
    note: str = ""
    status: str = "ok"  # "ok", "skipped", or "DISAGREES: ..."
    ref_nx: str | None = "networkx"  # system names the ratios use
    ref_floor: str | None = "floor"

    @property
    def median(self):
        return statistics.median(self.times) if self.times else math.nan

    @property
    def min(self):
        return min(self.times) if self.times else math.nan

    @property
    def per_unit(self):
        return self.median / self.units

    def as_dict(self):
        ok = bool(self.times)
        return {
            "workload": self.workload, "size": self.size, "system": self.system,
            "times_s": self.times, "median_s": self.median if ok else None,
            "min_s": self.min if ok else None, "units": self.units, "unit": self.unit,
            "per_unit_s": self.per_unit if ok else None,
            "note": self.note, "status": self.status,
        }


def measure(systems, *, repeat, warmup=1):
    """Run every system `warmup` + `repeat` rounds, interleaved; return times and last results.

    Each round runs each system once, in order, after one full ``gc.collect()``
    (a full collection scans every live object: tens of ms with big inputs,
    so once a round rather than once a run). A system's previous result is
    dropped before it runs again, so two results of one system never coexist.
    """
    times = {s.name: [] for s in systems}
    outs = {s.name: None for s in systems}
    plan = {s.name: s.rounds or (warmup, repeat) for s in systems}
    for k in range(max(w + r for w, r in plan.values())):
        gc.collect()
        for s in systems:
            w, r = plan[s.name]
            if k >= w + r:
                continue
            outs[s.name] = None
            state = s.prepare() if s.prepare is not None else None
            if s.prepare is not None:
                t0 = time.perf_counter()
                out = s.run(state)
                t1 = time.perf_counter()
            else:
                t0 = time.perf_counter()
                out = s.run()
                t1 = time.perf_counter()
            del state
            if k >= w:
                times[s.name].append(t1 - t0)
            outs[s.name] = out
            del out
    return times, outs


def canonical(A):
    """A as a csr_array with sorted indices; raise AssertionError on duplicate entries."""
    A = sp.csr_array(A)
    A = A.copy()
    A.sort_indices()
    ind, ptr = A.indices, A.indptr
    if len(ind) > 1:
        same = np.flatnonzero(ind[1:] == ind[:-1]) + 1  # position equal to its predecessor
        row_start = np.zeros(len(ind), dtype=bool)
        row_start[ptr[:-1][ptr[:-1] < len(ind)]] = True
        dup = same[~row_start[same]]
        if len(dup):
            r = int(np.searchsorted(ptr, dup[0], side="right") - 1)
            raise AssertionError(f"duplicate stored entries at ({r}, {int(ind[dup[0]])})")
    return A


def assert_same(ref, A, what="adjacency"):
    """Raise AssertionError unless A and ref are the same matrix (shape, pattern, values)."""
    R, B = canonical(ref), canonical(A)
    if R.shape != B.shape:
        raise AssertionError(f"{what}: shape {B.shape} != {R.shape}")
    if R.nnz != B.nnz:
        raise AssertionError(f"{what}: {B.nnz} stored entries != {R.nnz}")
    if not np.array_equal(R.indptr, B.indptr) or not np.array_equal(R.indices, B.indices):
        diff = (R != 0).astype(np.int8) - (B != 0).astype(np.int8)
        diff = sp.coo_array(diff)
        k = 0
        raise AssertionError(
            f"{what}: pattern differs, e.g. at ({diff.row[k]}, {diff.col[k]})"
            if diff.nnz else f"{what}: pattern differs"
        )
    bad = np.flatnonzero(R.data != B.data)
    if len(bad):
        p = bad[0]
        r = int(np.searchsorted(R.indptr, p, side="right") - 1)
        raise AssertionError(
            f"{what}: value at ({r}, {R.indices[p]}) is {B.data[p]!r}, expected {R.data[p]!r}"
        )


def check_all(rows, outs, systems, ref_name, ref):
    """Compare each system's adjacency to `ref`; mark rows of those that disagree."""
    for s in systems:
        if s.adjacency is None:
            continue
        row = rows[s.name]
        try:
            assert_same(ref, s.adjacency(outs[s.name]), f"{s.name} vs {ref_name}")
        except AssertionError as exc:
            row.status = f"DISAGREES: {exc}"
            row.times = []


def anon_rss() -> int:
    """Anonymous resident bytes of this process: RSS minus file-backed and shared pages."""
    try:
        import psutil

        mi = psutil.Process().memory_info()
        return mi.rss - mi.shared
    except Exception:  # noqa: BLE001 - psutil missing: read /proc/self/statm
        with open("/proc/self/statm") as f:
            _, resident, shared = (int(x) for x in f.read().split()[:3])
        return (resident - shared) * os.sysconf("SC_PAGE_SIZE")


def _trim():
    """Collect garbage and hand freed heap back to the OS (glibc), so RSS shows live data."""
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except Exception:  # noqa: BLE001 - not glibc: RSS may include freed heap
        pass


# ----------------------------------------------------------------------
# inputs


def growth_ops(n, seed=SEED):
    """W1 operations: ops[v] lists the (u, w) of vertex v's add_edge calls, u < v.

    Vertex 0 has none; the others have 5 targets drawn uniformly from the
    earlier vertices, so low vertices repeat a pair (v = 1 calls (1, 0) five
    times): the last write wins in every system.
    """
    rng = np.random.default_rng(seed)
    tgt = (rng.random((n, 5)) * np.arange(n)[:, None]).astype(np.int64)
    wts = rng.random((n, 5)) + 0.5  # in [0.5, 1.5): never an implicit zero
    ops = [list(zip(t, w)) for t, w in zip(tgt.tolist(), wts.tolist())]
    ops[0] = []
    return ops


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


def symmetric_csr(n, src, dst, w):
    """The symmetric CSR of distinct undirected edges (the reference builder)."""
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


# ----------------------------------------------------------------------
# W1 per-call growth


class ListFloor:
    """The Python floor of W1: a label dict and three list.append buffers.

    The same bookkeeping a store needs per call (a new-vertex dict insert;
    two label lookups and three appends per edge), behind methods shaped like
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
    """The naive way: pad the matrix by a row and a column per new vertex, then set entries.

    `ops[v]` lists the (u, w) edges vertex v adds to earlier vertices.
    """
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


class W1Growth:
    """Add n vertices one at a time by label, each with 5 add_edge calls to earlier vertices."""

    params = [[10**3, 10**4, 10**5, 10**6]]
    param_names = ["n_vertices"]
    NAIVE_SIZES = (500, 1_000, 2_000)  # block_array per vertex: O(n) per vertex
    PREALLOC_MAX = 10**4  # lil/dok per-entry assignment: run up to this n
    NX_MAX = 10**5  # networkx: run up to this n (10^6 takes ~30 s and ~3 GB)

    def setup(self, n):
        self.n = n
        self.ops = growth_ops(n)

    def time_graphstore(self):
        g = GraphStore()
        for v, es in enumerate(self.ops):
            g.add_vertex(v)
            for u, w in es:
                g.add_edge(v, u, weight=w)
        return g

    def time_networkx(self):
        G = nx.Graph()
        for v, es in enumerate(self.ops):
            G.add_node(v)
            for u, w in es:
                G.add_edge(v, u, weight=w)
        return G

    def time_floor(self):
        f = ListFloor()
        for v, es in enumerate(self.ops):
            f.add_vertex(v)
            for u, w in es:
                f.add_edge(v, u, weight=w)
        return f

    def time_floor_inline(self):
        index, src, dst, wts = {}, [], [], []
        for v, es in enumerate(self.ops):
            index[v] = len(index)
            for u, w in es:
                src.append(index[v])
                dst.append(index[u])
                wts.append(w)
        return index, src, dst, wts

    def _preallocated(self, cls):
        n = len(self.ops)
        A = cls((n, n))
        for v, es in enumerate(self.ops):
            for u, w in es:
                A[v, u] = w
                A[u, v] = w
        return A

    def time_scipy_lil(self):
        return self._preallocated(sp.lil_array)

    def time_scipy_dok(self):
        return self._preallocated(sp.dok_array)

    def time_naive_block(self):
        return naive_block_growth(self.ops)


def w1(report, quick):
    wl = "W1 growth"
    bench = W1Growth()
    sizes = [10**3, 10**4, 10**5] if quick else W1Growth.params[0]
    # (warm-up rounds, timed rounds) per size
    # (warm-up, timed) rounds per size; the largest size is warmed by the smaller ones
    rounds = {10**3: (1, 5), 10**4: (1, 3), 10**5: (0, 1) if quick else (1, 5), 10**6: (0, 2)}
    prealloc_max = 10**3 if quick else W1Growth.PREALLOC_MAX
    curve, curve_min = {}, {}
    for n in sizes:
        bench.setup(n)
        systems = [
            System("graphstore", bench.time_graphstore, adjacency=lambda g: g.adjacency()),
            System("floor", bench.time_floor, adjacency=lambda f: f.csr(),
                   note="dict + 3 list.append, behind add_vertex/add_edge methods"),
            System("floor, inline", bench.time_floor_inline,
                   adjacency=lambda o: last_wins_csr(len(o[0]), o[1], o[2], o[3]),
                   note="the same bookkeeping written in the loop body, no calls"),
        ]
        if n <= W1Growth.NX_MAX:
            systems.insert(1, System("networkx", bench.time_networkx,
                                     adjacency=lambda G: nx.to_scipy_sparse_array(
                                         G, nodelist=range(len(G))),
                                     ))
        if n <= prealloc_max:
            systems += [
                System("scipy lil_array", bench.time_scipy_lil, adjacency=lambda A: A,
                       note=f"preallocated {n} x {n}, A[i, j] = w per entry",
                       rounds=(1, 2) if quick else None),
                System("scipy dok_array", bench.time_scipy_dok, adjacency=lambda A: A,
                       note=f"preallocated {n} x {n}, A[i, j] = w per entry",
                       rounds=(1, 2) if quick else None),
            ]
        warm, rep = rounds[n]
        times, outs = measure(systems, repeat=rep, warmup=warm)
        rows = {s.name: Row(wl, f"n={n:,}", s.name, times[s.name], n, "vertex", s.note)
                for s in systems}
        # untimed: the first adjacency() after the build (the merge of 5n pending edges)
        t0 = time.perf_counter()
        ref = outs["floor"].csr()
        t_floor_csr = time.perf_counter() - t0
        t0 = time.perf_counter()
        outs["graphstore"].adjacency()
        t_gs_csr = time.perf_counter() - t0
        rows["graphstore"].note = (f"then adjacency() {fmt_time(t_gs_csr)} "
                                   f"(floor's csr {fmt_time(t_floor_csr)}), untimed")
        check_all(rows, outs, systems, "floor", ref)
        del outs, ref
        for s in systems:
            report.add(rows[s.name])
        if n > W1Growth.NX_MAX:
            note = f"not run for n > {W1Growth.NX_MAX:,} (~30 s and ~3 GB at 10^6)"
            report.add(Row(wl, f"n={n:,}", "networkx", status="skipped: " + note))
        curve[n] = {name: r.per_unit for name, r in rows.items() if r.times}
        curve_min[n] = {name: r.min / r.units for name, r in rows.items() if r.times}
        gc.collect()
    # naive: block_array per vertex, small n only; fit the growth exponent
    naive_sizes = (250, 500) if quick else W1Growth.NAIVE_SIZES
    naive = {}
    for n in naive_sizes:
        bench.setup(n)
        systems = [
            System("naive block_array/vertex", bench.time_naive_block, adjacency=lambda A: A,
                   note="sp.block_array([[A, None], [None, 1x1]]) per vertex (bmat), then lil"),
            System("networkx", bench.time_networkx, rounds=(1, 3),
                   adjacency=lambda G: nx.to_scipy_sparse_array(G, nodelist=range(len(G)))),
            System("floor", bench.time_floor, rounds=(1, 3), adjacency=lambda f: f.csr()),
        ]
        # the naive build takes seconds: one timed run (two below n = 1,000), no warm-up
        times, outs = measure(systems, repeat=1 if n >= 1_000 else 2, warmup=0)
        rows = {s.name: Row(wl + " naive", f"n={n:,}", s.name, times[s.name], n, "vertex",
                            s.note) for s in systems}
        check_all(rows, outs, systems, "floor", outs["floor"].csr())
        for s in systems:
            report.add(rows[s.name])
        if rows["naive block_array/vertex"].times:
            naive[n] = rows["naive block_array/vertex"].median
            if rows["networkx"].times:
                report.note(wl, f"n={n:,}: naive block_array per vertex is "
                                f"{naive[n] / rows['networkx'].median:,.0f}x slower than networkx")
        del outs
    if len(naive) >= 2:
        x = np.log(list(naive))
        y = np.log(list(naive.values()))
        slope = float(np.polyfit(x, y, 1)[0])
        report.note(wl, f"naive block_array per vertex: total time ~ n^{slope:.2f}, "
                        f"so per-vertex cost ~ n^{slope - 1:.2f} (graphstore: flat, below)")
    # the per-vertex curve
    lines = ["per-vertex cost, us per vertex with its 5 add_edge calls (median / min):",
             f"  {'n':>9}  {'graphstore':>13}  {'floor':>13}  {'floor inline':>13}  "
             f"{'networkx':>13}  {'gs/floor':>8}"]
    for n, c in curve.items():
        cm = curve_min[n]
        cells = [f"{us(c.get(k))} / {us(cm.get(k))}" if k in c else "-"
                 for k in ("graphstore", "floor", "floor, inline", "networkx")]
        gs_, fl = c.get("graphstore"), c.get("floor")
        lines.append(f"  {n:>9,}  " + "  ".join(f"{x:>13}" for x in cells)
                     + f"  {(gs_ / fl if gs_ and fl else math.nan):>8.2f}")
    report.note(wl, "\n".join(lines))
    # targets
    big = 10**5
    if big in curve and "networkx" in curve[big] and "graphstore" in curve[big]:
        c, cm = curve[big], curve_min[big]
        report.target("W1 n=10^5: graphstore >= 3x faster than networkx",
                      c["networkx"] / c["graphstore"], ">=", 3.0, "x",
                      value_min=cm["networkx"] / cm["graphstore"])
        report.target("W1 n=10^5: graphstore within 2x of the Python floor (method calls)",
                      c["graphstore"] / c["floor"], "<=", 2.0, "x",
                      value_min=cm["graphstore"] / cm["floor"])
        if "floor, inline" in c:
            report.target("W1 n=10^5: (for reference) graphstore vs the inline floor",
                          c["graphstore"] / c["floor, inline"], "<=", 2.0, "x",
                          value_min=cm["graphstore"] / cm["floor, inline"])
    # flatness from the fastest run of each size (the least disturbed by other load)
    pts = {n: c["graphstore"] for n, c in curve_min.items() if "graphstore" in c}
    fl = {n: c["floor"] for n, c in curve_min.items() if "floor" in c}
    if len(pts) >= 2:
        n_lo, n_hi = min(pts), max(pts)
        report.target(f"W1 per-vertex cost flat from n={n_lo:,} to {n_hi:,} "
                      f"(largest/smallest per-vertex min time)",
                      max(pts.values()) / min(pts.values()), "<=", 1.5, "x",
                      detail=", ".join(f"{us(v)} us @ {n:,}" for n, v in pts.items())
                      + f"; the floor's own rises {max(fl.values()) / min(fl.values()):.2f}x")


# ----------------------------------------------------------------------
# W2 batch ingest


class W2Ingest:
    """m undirected edges on n vertices as numpy arrays in chunks of 10^5, then a symmetric CSR."""

    params = [[(10**5, 5 * 10**5), (10**6, 5 * 10**6)]]
    param_names = ["(n_vertices, n_edges)"]

    def setup(self, size):
        self.n, self.m = size
        src, dst, w = random_edges(self.n, self.m, SEED + 2)
        self.chunks = [(src[i:i + CHUNK], dst[i:i + CHUNK], w[i:i + CHUNK])
                       for i in range(0, self.m, CHUNK)]

    def time_graphstore(self):
        g = GraphStore()
        g.add_vertices(self.n)
        for s, d, w in self.chunks:
            g.add_edges(s, d, w)
        return g.adjacency()

    def time_floor(self):
        ch = self.chunks
        s = np.concatenate([c[0] for c in ch])
        d = np.concatenate([c[1] for c in ch])
        w = np.concatenate([c[2] for c in ch])
        # int32 coordinates, so scipy builds int32 indices (what a careful user does)
        r = np.concatenate([s, d], dtype=np.int32, casting="same_kind")
        c = np.concatenate([d, s], dtype=np.int32, casting="same_kind")
        return sp.csr_array((np.concatenate([w, w]), (r, c)), shape=(self.n, self.n))

    def time_networkx(self):
        G = nx.Graph()
        G.add_nodes_from(range(self.n))
        for s, d, w in self.chunks[: self.nx_chunks]:
            G.add_weighted_edges_from(zip(s.tolist(), d.tolist(), w.tolist()))
        return nx.to_scipy_sparse_array(G)

    def time_rustworkx(self):
        """Ingest, then the CSR; the ingest phase's time is kept in ``rx_ingest``."""
        t0 = time.perf_counter()
        g = rx.PyGraph(multigraph=False)  # a simple graph: a repeated pair updates, as above
        g.add_nodes_from(range(self.n))
        for s, d, w in self.chunks:
            g.add_edges_from(list(zip(s.tolist(), d.tolist(), w.tolist())))
        self.rx_ingest.append(time.perf_counter() - t0)
        return self.rustworkx_csr(g)

    def rustworkx_csr(self, g):
        m = g.num_edges()
        ij = np.fromiter(itertools.chain.from_iterable(g.edge_list()), np.int64, count=2 * m)
        w = np.fromiter(g.edges(), np.float64, count=m)  # same order as edge_list()
        return symmetric_csr(self.n, ij[0::2], ij[1::2], w)

    def time_graphblas(self):
        ch = self.chunks
        s = np.concatenate([c[0] for c in ch])
        d = np.concatenate([c[1] for c in ch])
        w = np.concatenate([c[2] for c in ch])
        M = gb.Matrix.from_coo(np.concatenate([s, d]), np.concatenate([d, s]),
                               np.concatenate([w, w]), nrows=self.n, ncols=self.n,
                               dup_op=gb.binary.second)
        return gb.io.to_scipy_sparse(M, format="csr")


def w2(report, quick):
    wl = "W2 ingest"
    bench = W2Ingest()
    sizes = W2Ingest.params[0][:1] if quick else W2Ingest.params[0]
    have_gb = _graphblas() is not None
    for size in sizes:
        n, m = size
        small = size == W2Ingest.params[0][0]
        bench.setup(size)
        # quick: networkx ingests the first 2 chunks only; ratios are per edge
        bench.nx_chunks = 2 if quick else len(bench.chunks)
        m_nx = sum(len(c[0]) for c in bench.chunks[: bench.nx_chunks])
        systems = [
            System("graphstore", bench.time_graphstore, adjacency=lambda A: A,
                   note="add_vertices(n); add_edges per chunk; adjacency()"),
            System("floor", bench.time_floor, adjacency=lambda A: A,
                   note="np.concatenate + sp.csr_array((w, (r, c))) both directions"),
        ]
        if small:
            sub = f"; the first {m_nx:,} edges only" if m_nx < m else ""
            systems.append(System("networkx", bench.time_networkx, adjacency=None,
                                  note="add_weighted_edges_from per chunk + "
                                       "to_scipy_sparse_array" + sub))
        if small:
            systems[-1].rounds = (0, 1) if quick else (0, 2)  # seconds a run; no JIT to warm
        bench.rx_ingest = []
        if rx is not None:
            systems.append(System("rustworkx + csr", bench.time_rustworkx, adjacency=lambda A: A,
                                  note="the same ingest, then edge_list()/edges() -> scipy csr",
                                  rounds=None if small else (0, 2)))
        if have_gb:
            nthreads = gb.ss.config["nthreads"]
            systems.append(System("graphblas", bench.time_graphblas, adjacency=lambda A: A,
                                  note=f"Matrix.from_coo(dup_op=second) + io.to_scipy_sparse; "
                                       f"{nthreads} threads"))
        times, outs = measure(systems, repeat=3, warmup=1)
        label = f"n={n:,} m={m:,}"
        rows = {s.name: Row(wl, label, s.name, times[s.name],
                            m_nx if s.name == "networkx" else m, "edge", s.note,
                            ref_nx="networkx" if small else None) for s in systems}
        if rx is not None:
            k = len(times["rustworkx + csr"])
            rows["rustworkx ingest only"] = Row(
                wl, label, "rustworkx ingest only", bench.rx_ingest[-k:], m, "edge",
                "PyGraph(multigraph=False).add_edges_from per chunk (tuples), no CSR",
                ref_nx="networkx" if small else None)
        ref = symmetric_csr(n, *(np.concatenate([c[k] for c in bench.chunks]) for k in range(3)))
        check_all(rows, outs, systems, "numpy reference", ref)
        if small:
            part = bench.chunks[: bench.nx_chunks]
            nx_ref = symmetric_csr(n, *(np.concatenate([c[k] for c in part]) for k in range(3)))
            check_all(rows, outs, [System("networkx", None, adjacency=lambda A: A)],
                      "numpy reference", nx_ref)
        if rx is not None and not rows["rustworkx + csr"].times:
            rows["rustworkx ingest only"].times = []
            rows["rustworkx ingest only"].status = rows["rustworkx + csr"].status
        del outs, ref
        order = [s.name for s in systems]
        if rx is not None:
            order.insert(order.index("rustworkx + csr"), "rustworkx ingest only")
        for name in order:
            report.add(rows[name])
        if rx is None:
            report.add(Row(wl, label, "rustworkx", status="skipped (not installed)"))
        if not have_gb:
            report.add(Row(wl, label, "graphblas", status="skipped (not installed)"))
        r = {k: v for k, v in rows.items() if v.times}
        tag = "full size" if not small else ("quick size" if quick else "small size")
        if "graphstore" in r and "floor" in r and (quick or not small):
            report.ratio_target(f"W2 {label}: graphstore within 1.5x of the floor",
                                r["graphstore"], r["floor"], "<=", 1.5)
        if "graphstore" in r and "networkx" in r:
            report.ratio_target(f"W2 {label}: graphstore >= 50x faster than networkx ({tag})",
                                r["networkx"], r["graphstore"], ">=", 50.0)
        if "graphstore" in r and (quick or not small):
            for other in ("rustworkx ingest only", "graphblas"):
                if other in r:
                    report.ratio_target(f"W2 {label}: graphstore faster than {other}",
                                        r[other], r["graphstore"], ">", 1.0)
        gc.collect()


# ----------------------------------------------------------------------
# W3 snapshot after a small mutation


def merge_sorted_delta(indptr, indices, data, r, c, w, n):
    """The floor of W3: insert entries absent from a CSR, given sorted row-major.

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


class W3Snapshot:
    """1,000 new edges added to a merged 10^5-edge graph, then the CSR."""

    params = [[10**4, 10**5], [10**5], [1_000]]
    param_names = ["n_vertices", "n_edges", "n_new"]

    def setup(self, n, m=10**5, k=1_000):
        self.n, self.m, self.k = n, m, k
        src, dst, w = random_edges(n, m + 2 * k, SEED + 3)
        self.base = (src[:m], dst[:m], w[:m])
        # the delta: k further distinct edges, absent from the base
        ds, dd, dw = src[m:m + k], dst[m:m + k], w[m:m + k] + 1.0
        self.delta = list(zip(ds.tolist(), dd.tolist(), dw.tolist()))
        self.delta_arrays = (ds, dd, dw)
        B = symmetric_csr(n, *self.base)
        self.csr = (B.indptr.astype(np.int32), B.indices.astype(np.int32), B.data)
        self.G = nx.Graph()
        self.G.add_nodes_from(range(n))
        self.G.add_weighted_edges_from(zip(*(a.tolist() for a in self.base)))

    def merged_store(self):
        g = GraphStore()
        g.add_vertices(self.n)
        g.add_edges(*self.base)
        g.adjacency()
        return g

    def mutated_store(self):
        g = self.merged_store()
        for u, v, w in self.delta:
            g.add_edge(u, v, weight=w)
        return g

    def time_graphstore_snapshot(self, g):
        return g.adjacency()

    def time_floor_merge(self, _=None):
        ds, dd, dw = self.delta_arrays
        r = np.concatenate([ds, dd])
        c = np.concatenate([dd, ds])
        w = np.concatenate([dw, dw])
        order = np.lexsort((c, r))
        return merge_sorted_delta(*self.csr, r[order], c[order], w[order], self.n)

    def time_graphstore_full(self, g):
        for u, v, w in self.delta:
            g.add_edge(u, v, weight=w)
        return g.adjacency()

    def time_floor_full(self, _=None):
        src, dst, wts = [], [], []
        for u, v, w in self.delta:
            src.append(u)
            dst.append(v)
            wts.append(w)
        ds, dd, dw = np.array(src), np.array(dst), np.array(wts)
        r = np.concatenate([ds, dd])
        c = np.concatenate([dd, ds])
        w = np.concatenate([dw, dw])
        order = np.lexsort((c, r))
        return merge_sorted_delta(*self.csr, r[order], c[order], w[order], self.n)

    def time_networkx_full(self, G):
        for u, v, w in self.delta:
            G.add_edge(u, v, weight=w)
        return nx.to_scipy_sparse_array(G)


def w3(report, quick):
    wl = "W3 snapshot"
    bench = W3Snapshot()
    for n in W3Snapshot.params[0][1:] if quick else W3Snapshot.params[0]:
        bench.setup(n)
        label = f"n={n:,} m={bench.m:,} +{bench.k:,}"
        systems = [
            System("graphstore adjacency()", bench.time_graphstore_snapshot,
                   prepare=bench.mutated_store, adjacency=lambda A: A,
                   note="the 1,000 add_edge calls done untimed; times the merge + CSR"),
            System("floor", bench.time_floor_merge, prepare=lambda: None,
                   adjacency=lambda A: A,
                   note="mirror + lexsort the delta, binary search, np.insert, indptr"),
            System("graphstore add_edge x1000 + adjacency()", bench.time_graphstore_full,
                   prepare=bench.merged_store, adjacency=lambda A: A),
            System("floor + 1000 list.append", bench.time_floor_full, prepare=lambda: None,
                   adjacency=lambda A: A),
            System("networkx", bench.time_networkx_full, prepare=bench.G.copy,
                   adjacency=lambda A: A,
                   note="add_edge x1000 + to_scipy_sparse_array",
                   rounds=(0, 1) if quick else None),
        ]
        times, outs = measure(systems, repeat=2 if quick else 5, warmup=1)
        rows = {s.name: Row(wl, label, s.name, times[s.name], 1, "snapshot", s.note,
                            ref_nx=None, ref_floor="floor") for s in systems}
        for name in ("graphstore add_edge x1000 + adjacency()", "floor + 1000 list.append"):
            rows[name].ref_nx = "networkx"
            rows[name].ref_floor = "floor + 1000 list.append"
        rows["networkx"].ref_nx = "networkx"
        rows["networkx"].ref_floor = "floor + 1000 list.append"
        ds, dd, dw = bench.delta_arrays
        ref = symmetric_csr(n, *(np.concatenate([a, b]) for a, b in zip(bench.base,
                                                                          (ds, dd, dw))))
        check_all(rows, outs, systems, "numpy reference", ref)
        del outs
        # an unchanged store: the cached snapshot
        g = bench.merged_store()
        A0 = g.adjacency()
        calls = 1_000
        t_unch = []
        for _ in range(6):
            t0 = time.perf_counter()
            for _ in range(calls):
                A = g.adjacency()
            t_unch.append(time.perf_counter() - t0)
        same = A is A0
        unch = Row(wl, label, "graphstore adjacency(), unchanged", t_unch[1:], calls, "call",
                   f"cached snapshot returned ({'the same object' if same else 'a new object'})",
                   ref_nx=None, ref_floor=None)
        for s in systems:
            report.add(rows[s.name])
        report.add(unch)
        r = {k: v for k, v in rows.items() if v.times}
        if "graphstore adjacency()" in r and "floor" in r:
            report.ratio_target(f"W3 {label}: adjacency() within 2x of the sorted-delta merge",
                                r["graphstore adjacency()"], r["floor"], "<=", 2.0)
        full = "graphstore add_edge x1000 + adjacency()"
        if full in r and "networkx" in r:
            report.ratio_target(
                f"W3 {label}: add_edge x1000 + adjacency() >= 50x faster than networkx",
                r["networkx"], r[full], ">=", 50.0)
        report.target(f"W3 {label}: unchanged adjacency() is O(1) (us per call)",
                      unch.per_unit * 1e6, "<=", 10.0, " us")
        gc.collect()


# ----------------------------------------------------------------------
# W6 point queries


class W6Queries:
    """has_edge / weight / neighbors, one Python call each, on a merged graph."""

    params = [[(10**5, 5 * 10**5)], [10**5]]
    param_names = ["(n_vertices, n_edges)", "n_calls"]

    def setup(self, size, calls):
        n, m = size
        self.n, self.m = n, m
        src, dst, w = random_edges(n, m, SEED + 6)
        self.edges = (src, dst, w)
        rng = np.random.default_rng(SEED + 7)
        pick = rng.integers(0, m, calls)
        flip = rng.random(calls) < 0.5
        eu = np.where(flip, dst[pick], src[pick])
        ev = np.where(flip, src[pick], dst[pick])
        self.existing = list(zip(eu.tolist(), ev.tolist()))
        present = set(zip(np.minimum(src, dst).tolist(), np.maximum(src, dst).tolist()))
        absent = []
        while len(absent) < calls // 2:
            a, b = (int(x) for x in rng.integers(0, n, 2))
            if a != b and (min(a, b), max(a, b)) not in present:
                absent.append((a, b))
        mixed = self.existing[: calls - len(absent)] + absent
        order = rng.permutation(len(mixed))
        self.mixed = [mixed[i] for i in order]
        self.vertices = rng.integers(0, n, calls).tolist()

    def store(self):
        g = GraphStore()
        g.add_vertices(self.n)
        g.add_edges(*self.edges)
        g.adjacency()
        return g

    def graph(self):
        G = nx.Graph()
        G.add_nodes_from(range(self.n))
        G.add_weighted_edges_from(zip(*(a.tolist() for a in self.edges)))
        return G

    # the timed query loops, the same shape for every system; they keep no
    # results (a growing result list would trigger garbage collections that
    # scan every graph in the process); answers() collects them untimed
    def has_edge(self, has):
        for u, v in self.mixed:
            has(u, v)

    def weights(self, get):
        for u, v in self.existing:
            get(u, v)

    def neighbors(self, nbrs):
        for u in self.vertices:
            list(nbrs(u))

    def answers(self, kind, fn):
        if kind == "has_edge":
            return [fn(u, v) for u, v in self.mixed]
        if kind == "weight":
            return [fn(u, v) for u, v in self.existing]
        return [sorted(fn(u)) for u in self.vertices]


def w6(report, quick):
    wl = "W6 queries"
    bench = W6Queries()
    size, calls = ((10**4, 5 * 10**4), 10**4) if quick else ((10**5, 5 * 10**5), 10**5)
    bench.setup(size, calls)
    n, m = size
    label = f"n={n:,} m={m:,}"
    g, G = bench.store(), bench.graph()
    # agreement of the two graphs first
    try:
        ref = symmetric_csr(n, *bench.edges)
        assert_same(ref, g.adjacency(), "graphstore")
        assert_same(ref, nx.to_scipy_sparse_array(G), "networkx")
        ok = ""
    except AssertionError as exc:
        ok = f"DISAGREES: {exc}"
    # the one-off point-query hash, built on the first query after a merge
    first = []
    for _ in range(3):
        h = bench.store()
        u, v = bench.existing[0]
        t0 = time.perf_counter()
        h.has_edge(u, v)
        first.append(time.perf_counter() - t0)
    del h
    report.add(Row(wl, label, "graphstore first has_edge after a merge", first, 1, "call",
                   "builds the (i, j) -> position hash of the base once", ref_nx=None,
                   ref_floor=None))
    g.has_edge(*bench.existing[0])  # warm: hash built
    nxw = lambda u, v: G[u][v]["weight"]  # noqa: E731
    nxe = lambda u, v: G.edges[u, v]["weight"]  # noqa: E731
    kinds = [
        ("has_edge", bench.has_edge, [("graphstore", g.has_edge), ("networkx", G.has_edge)]),
        ("weight", bench.weights, [("graphstore", g.weight), ("networkx", nxw),
                                   ("networkx G.edges[u, v]", nxe)]),
        ("neighbors", bench.neighbors, [("graphstore", g.neighbors),
                                        ("networkx", G.neighbors)]),
    ]
    for kind, loop, contenders in kinds:
        systems = [System(name, lambda fn=fn: loop(fn)) for name, fn in contenders]
        times, _ = measure(systems, repeat=3 if quick else 5, warmup=1)
        outs = {name: bench.answers(kind, fn) for name, fn in contenders}
        expr = {"has_edge": "has_edge(u, v), half present",
                "weight": "weight(u, v) / G[u][v]['weight'], present edges",
                "neighbors": "list(neighbors(u))"}[kind]
        rows = {s.name: Row(wl, f"{label} {kind}", s.name, times[s.name], calls, "call",
                            expr if s.name == "graphstore" else "", ref_floor=None)
                for s in systems}
        # the answers must agree
        exp = outs["networkx"]
        for s in systems:
            res = outs[s.name]
            if res != exp:
                bad = next(i for i, (a, b) in enumerate(zip(res, exp)) if a != b)
                rows[s.name].status = f"DISAGREES: call {bad}: {res[bad]!r} != {exp[bad]!r}"
                rows[s.name].times = []
            if ok:
                rows[s.name].status, rows[s.name].times = ok, []
        for s in systems:
            report.add(rows[s.name])
        r = rows
        if r["graphstore"].times and r["networkx"].times:
            report.target(f"W6 {kind}: graphstore no slower than 1.5x networkx per call",
                          r["graphstore"].median / r["networkx"].median, "<=", 1.5, "x",
                          detail=f"{ns(r['graphstore'].per_unit)} vs "
                                 f"{ns(r['networkx'].per_unit)} ns per call",
                          value_min=r["graphstore"].min / r["networkx"].min)
        del outs
    del g, G
    gc.collect()


# ----------------------------------------------------------------------
# MEM bytes per edge, one fresh interpreter per (system, size)

MEM_SYSTEMS = ("graphstore", "floor", "networkx", "rustworkx", "graphblas")


def _mem_build(system, n, src, dst, w, chunk=CHUNK):
    """Build `system` from memory-mapped inputs, copying one chunk at a time.

    Returns the built object(s) and a dict of extra figures; the comparative
    suite (compare.py) builds through here too.
    """
    m = len(src)

    def chunks():
        for i in range(0, m, chunk):
            yield np.array(src[i:i + chunk]), np.array(dst[i:i + chunk]), np.array(w[i:i + chunk])

    if system == "graphstore":
        g = GraphStore()
        g.add_vertices(n)
        for s, d, x in chunks():
            g.add_edges(s, d, x)
        A = g.adjacency()
        return (g, A), {"nbytes_per_edge": g.nbytes / m,
                        "snapshot_index_dtypes": f"{A.indptr.dtype}/{A.indices.dtype}"}
    if system == "floor":
        s, d, x = (np.array(a) for a in (src, dst, w))
        r = np.concatenate([s, d], dtype=np.int32, casting="same_kind")
        c = np.concatenate([d, s], dtype=np.int32, casting="same_kind")
        v = np.concatenate([x, x])
        del s, d, x
        A = sp.csr_array((v, (r, c)), shape=(n, n))
        del r, c, v
        return A, {"nbytes_per_edge": (A.data.nbytes + A.indices.nbytes + A.indptr.nbytes) / m}
    if system == "networkx":
        G = nx.Graph()
        G.add_nodes_from(range(n))
        for s, d, x in chunks():
            G.add_weighted_edges_from(zip(s.tolist(), d.tolist(), x.tolist()))
        return G, {}
    if system == "rustworkx":
        import rustworkx

        g = rustworkx.PyGraph(multigraph=False)
        g.add_nodes_from(range(n))
        for s, d, x in chunks():
            g.add_edges_from(list(zip(s.tolist(), d.tolist(), x.tolist())))
        return g, {}
    if system == "graphblas":
        import graphblas

        s, d, x = (np.array(a) for a in (src, dst, w))
        M = graphblas.Matrix.from_coo(np.concatenate([s, d]), np.concatenate([d, s]),
                                      np.concatenate([x, x]), nrows=n, ncols=n,
                                      dup_op=graphblas.binary.second)
        M.wait()
        return M, {}
    raise ValueError(system)


def mem_child(system, prefix, n):
    """Entry point of the fresh interpreter: print one JSON line with the measurement."""
    if system == "rustworkx":
        import rustworkx  # noqa: F401 - imported before the baseline
    if system == "graphblas":
        import graphblas  # noqa: F401
    src = np.load(prefix + "_src.npy", mmap_mode="r")
    dst = np.load(prefix + "_dst.npy", mmap_mode="r")
    w = np.load(prefix + "_w.npy", mmap_mode="r")
    m = len(src)
    _trim()
    before = anon_rss()
    t0 = time.perf_counter()
    obj, extra = _mem_build(system, n, src, dst, w)
    t_build = time.perf_counter() - t0
    _trim()
    after = anon_rss()
    out = {"system": system, "n": n, "m": m, "bytes": after - before,
           "bytes_per_edge": (after - before) / m, "build_s": t_build, **extra}
    del obj
    print(json.dumps(out))


def mem(report, quick):
    wl = "MEM"
    if quick:
        plan = [((10**5, 5 * 10**5), ("graphstore", "floor", "networkx"))]
    else:
        plan = [((10**6, 5 * 10**6), ("graphstore", "floor", "rustworkx", "graphblas")),
                ((2 * 10**5, 10**6), ("graphstore", "floor", "networkx"))]
    have = {"rustworkx": rx is not None,
            "graphblas": quick or _graphblas() is not None}
    results = {}
    with tempfile.TemporaryDirectory(prefix="graphstore-bench-") as tmp:
        for (n, m), systems in plan:
            prefix = os.path.join(tmp, f"edges_{n}_{m}")
            src, dst, w = random_edges(n, m, SEED + 2)
            for name, a in (("src", src), ("dst", dst), ("w", w)):
                np.save(f"{prefix}_{name}.npy", a)
            del src, dst, w
            label = f"n={n:,} m={m:,}"
            for system in systems:
                if not have.get(system, True):
                    report.add(Row(wl, label, system, status="skipped (not installed)"))
                    continue
                code = ("import sys; from benchmarks.bench_core import mem_child; "
                        "mem_child(sys.argv[1], sys.argv[2], int(sys.argv[3]))")
                env = dict(os.environ)
                env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
                proc = subprocess.run([sys.executable, "-c", code, system, prefix, str(n)],
                                      cwd=ROOT, env=env, capture_output=True, text=True)
                if proc.returncode != 0:
                    report.add(Row(wl, label, system,
                                   status="FAILED: " + proc.stderr.strip().splitlines()[-1]))
                    continue
                res = json.loads(proc.stdout.strip().splitlines()[-1])
                results[(system, n)] = res
                note = f"{res['bytes'] / 2**20:,.0f} MiB anonymous RSS"
                if "nbytes_per_edge" in res:
                    note += f"; arrays {res['nbytes_per_edge']:.1f} B/edge"
                if "snapshot_index_dtypes" in res:
                    note += f"; snapshot indptr/indices {res['snapshot_index_dtypes']}"
                report.add(Row(wl, label, system, [res["bytes_per_edge"]], 1, "edge", note,
                               ref_nx=None, ref_floor=None, status="bytes"))
    for (system, n), res in results.items():
        if system == "graphstore":
            report.target(f"MEM n={n:,} m={res['m']:,}: graphstore <= 40 bytes per edge",
                          res["bytes_per_edge"], "<=", 40.0, " B/edge")
    nxr = [r for (s, _), r in results.items() if s == "networkx"]
    if nxr:
        report.note(wl, f"networkx: {nxr[0]['bytes_per_edge']:.0f} bytes per edge "
                        f"(n={nxr[0]['n']:,}, m={nxr[0]['m']:,})")


# ----------------------------------------------------------------------
# report


def fmt_time(t):
    if t is None or not math.isfinite(t):
        return "-"
    if t >= 1:
        return f"{t:.3f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.2f} ms"
    if t >= 1e-6:
        return f"{t * 1e6:.2f} us"
    return f"{t * 1e9:.0f} ns"


def ratio(x):
    return f"{x:.0f}" if x >= 100 else f"{x:.3g}" if x < 1 else f"{x:.2f}"


def us(t):
    return "-" if t is None else f"{t * 1e6:.2f}"


def ns(t):
    return "-" if t is None else f"{t * 1e9:.0f}"


class Report:
    """Rows, notes and targets; prints each workload's table as it completes."""

    def __init__(self):
        self.rows, self.targets, self.notes = [], [], []
        self._pending, self._pending_notes = [], []

    def add(self, row):
        self.rows.append(row)
        self._pending.append(row)

    def note(self, workload, text):
        self.notes.append((workload, text))
        self._pending_notes.append(text)

    def target(self, name, value, op, bound, unit, detail="", value_min=None):
        """Record a target, judged on `value` (a ratio of medians); `value_min`
        is the same ratio of the fastest runs, shown for context."""
        met = {"<=": value <= bound, ">=": value >= bound, ">": value > bound}[op]
        if value_min is not None:
            detail = f"from mins {value_min:.2f}{unit}" + (f"; {detail}" if detail else "")
        self.targets.append({"target": name, "value": value, "op": op, "bound": bound,
                             "unit": unit, "met": bool(met), "detail": detail,
                             "value_from_mins": value_min})

    def ratio_target(self, name, num, den, op, bound):
        """A target on the ratio of two Rows' median cost per unit."""
        self.target(name, num.per_unit / den.per_unit, op, bound, "x",
                    value_min=(num.min / num.units) / (den.min / den.units))

    def flush(self, title):
        rows, self._pending = self._pending, []
        notes, self._pending_notes = self._pending_notes, []
        if not rows and not notes:
            return
        print(f"\n== {title}")
        hdr = (f"{'size':<26} {'system':<42} {'median':>10} {'min':>10} {'per unit':>16} "
               f"{'nx/this':>8} {'this/floor':>10}")
        print(hdr)
        print("-" * len(hdr))
        by = {(r.workload, r.size, r.system): r for r in rows}
        for r in rows:
            if r.status == "bytes":
                print(f"{r.size:<26} {r.system:<42} {'':>10} {'':>10} "
                      f"{r.times[0]:>9.1f} B/edge {'':>8} {'':>10}  {r.note}")
                continue
            if not r.times:
                print(f"{r.size:<26} {r.system:<42} {r.status}")
                continue
            nxr = by.get((r.workload, r.size, r.ref_nx)) if r.ref_nx else None
            flr = by.get((r.workload, r.size, r.ref_floor)) if r.ref_floor else None
            a = ratio(nxr.per_unit / r.per_unit) if nxr is not None and nxr.times else "-"
            b = ratio(r.per_unit / flr.per_unit) if flr is not None and flr.times else "-"
            per = r.per_unit
            pu = f"{per * 1e6:.3f} us/{r.unit}" if per < 1e-3 else f"{fmt_time(per)}/{r.unit}"
            if r.units == 1:
                pu = ""
            print(f"{r.size:<26} {r.system:<42} {fmt_time(r.median):>10} {fmt_time(r.min):>10} "
                  f"{pu:>16} {a:>8} {b:>10}  {r.note}")
        for text in notes:
            print(text)

    def print_targets(self):
        print("\n== Targets")
        for t in self.targets:
            v = t["value"]
            fig = f"{v:.2f}{t['unit']}" if t["unit"] == "x" else f"{v:.1f}{t['unit']}"
            bound = f"{t['op']} {t['bound']:g}{t['unit']}"
            det = f"  ({t['detail']})" if t["detail"] else ""
            print(f"  [{'met' if t['met'] else 'NOT MET':>7}] {t['target']}: {fig} "
                  f"(target {bound}){det}")

    def as_dict(self):
        return {"rows": [r.as_dict() for r in self.rows], "targets": self.targets,
                "notes": [{"workload": w, "text": t} for w, t in self.notes]}

    @property
    def failed(self):
        return any(r.status.startswith(("DISAGREES", "FAILED")) for r in self.rows)


WORKLOADS = {
    "W1": ("W1 per-call growth (add_vertex + 5 add_edge per vertex)", w1),
    "W2": ("W2 batch ingest (numpy chunks of 10^5 -> symmetric CSR)", w2),
    "W3": ("W3 snapshot after 1,000 add_edge on a merged 10^5-edge graph", w3),
    "W6": ("W6 point queries (one Python call each)", w6),
    "MEM": ("MEM resident bytes per stored undirected edge (fresh interpreter each)", mem),
}


def run(quick=False, only=None, report=None):
    """Run the core workloads (all, or those named in `only`); return the Report."""
    report = report or Report()
    for key, (title, fn) in WORKLOADS.items():
        if only is not None and key not in only:
            continue
        print(f"\n#### {title}", flush=True)
        t0 = time.perf_counter()
        try:
            fn(report, quick)
        except Exception:  # noqa: BLE001 - report and go on with the next workload
            traceback.print_exc()
            report.add(Row(key, "-", "-", status="FAILED: " + traceback.format_exc(limit=1)
                           .strip().splitlines()[-1]))
        report.flush(f"{title}  [{time.perf_counter() - t0:.0f} s]")
        sys.stdout.flush()
    return report
