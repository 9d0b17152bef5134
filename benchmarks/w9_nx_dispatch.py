"""W9 networkx dispatch: networkx's functions run by graphstore as a networkx backend.

Each served function on the same random graph three ways: ``networkx`` on its
own graph; ``graphstore from nx``, the networkx graph handed to networkx with
``nx.config.backend_priority = ["graphstore"]`` (automatic dispatch: the
conversion to a store is included, networkx's conversion cache is cleared
untimed before every round; where ``should_run`` declines, networkx runs);
and ``graphstore``, the same call on a ``GraphStore`` (no conversion; its CSR,
and what the backend derives from it per store version, is cached, as on any
store that has been read once). For the traversal functions a ``floor`` row
does the least work that gives networkx's answer: the fastest
``scipy.sparse.csgraph`` route on a prebuilt CSR (the one graphstore takes),
then the output dicts and sets. Generators are consumed inside the timed call
by every row.

By hand, outside the suite: ``python -m benchmarks.w9_nx_dispatch headline``
(the 10^6-edge case alone), ``python -m benchmarks.w9_nx_dispatch
calibrate`` (the measurements behind ``should_run``'s table) and ``python -m
benchmarks.w9_nx_dispatch overhead`` (what automatic dispatch adds to a
declined call, networkx's part and graphstore's).

Two more cases time the conversions themselves: ``convert_from_nx`` beside
``nx.to_scipy_sparse_array`` of the same graph, and ``GraphStore.to_networkx``
beside ``nx.from_scipy_sparse_array``.

The reference is networkx's own result on its own graph (never graphstore's):
matrices to 1e-12 relative, pagerank within its ``N * tol``, HITS and the
eigenvector functions within 1e-6, integers, sets and dicts exactly.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from benchmarks.harness import Case, Run, Target, fmt_time, judge
from benchmarks.inputs import SEED, close, random_edges

NAME = "W9"
SYSTEMS = ("graphstore", "networkx", "floor")
BASELINE = "networkx"
# (kind, n, m): "sparse" runs every function with sparse output, "dense" the
# functions whose output (or networkx's work) is n x n, "spectral" the Fiedler
# functions (seconds each in networkx at 10^5 edges), "conv" the conversions.
# The quick tier (CI-like, a few minutes) has a case for every target; the full
# tier adds 10^6 edges for the headline functions (HEADLINE below).
SIZES = {
    "tiny": [("sparse", 300, 1_500), ("dense", 100, 400), ("spectral", 300, 1_500),
             ("conv", 300, 1_500), ("dispatch", 100, 500)],
    "quick": [("sparse", 10**4, 10**5), ("dense", 300, 3_000), ("spectral", 1_000, 5_000),
              ("conv", 10**4, 10**5), ("dispatch", 100, 500)],
    "full": [("sparse", 10**4, 10**5), ("sparse", 10**5, 10**6), ("dense", 2_000, 2 * 10**4),
             ("spectral", 10**4, 10**5), ("conv", 10**5, 10**6), ("dispatch", 100, 500)],
}
ROUNDS = {"tiny": (0, 1), "quick": (1, 3), "full": (1, 3)}

# the functions timed, by kind of graph and of output
SPARSE = [
    # name, directed, kwargs
    ("pagerank", True, {}),
    ("hits", True, {}),
    ("laplacian_matrix", False, {}),
    ("normalized_laplacian_matrix", False, {}),
    ("adjacency_matrix", True, {}),
    ("to_scipy_sparse_array", True, {}),
    ("incidence_matrix", False, {"oriented": True}),
    ("bethe_hessian_matrix", False, {}),
    ("degree_centrality", False, {}),
    ("in_degree_centrality", True, {}),
    ("connected_components", False, {}),
    ("number_connected_components", False, {}),
    ("is_connected", False, {}),
    ("strongly_connected_components", True, {}),
    ("weakly_connected_components", True, {}),
    ("isolates", False, {}),
    ("number_of_isolates", False, {}),
    ("node_connected_component", False, {"n": 0}),
    ("single_source_shortest_path_length", True, {"source": 0}),
    ("single_source_dijkstra_path_length", True, {"source": 0}),
    ("shortest_path_length", False, {"source": 0, "weight": "weight"}),
    ("has_path", True, {"source": 0, "target": 1}),
]
SPECTRAL = [
    ("algebraic_connectivity", False, {"seed": 1}),
    ("fiedler_vector", False, {"seed": 1}),
]
# at 10^6 edges (full tier): the headline functions, and has_path ("never slower than
# networkx" at every size); networkx's own runs of the rest would take minutes
HEADLINE = ("pagerank", "hits", "laplacian_matrix", "adjacency_matrix", "connected_components",
            "single_source_shortest_path_length", "has_path")
DENSE = [
    ("to_numpy_array", True, {}),
    ("google_matrix", True, {}),
    ("modularity_matrix", False, {}),
    ("directed_modularity_matrix", True, {}),
    ("laplacian_spectrum", False, {}),
    ("adjacency_spectrum", False, {}),
    ("eigenvector_centrality_numpy", False, {}),
    ("katz_centrality_numpy", False, {}),
    ("directed_laplacian_matrix", True, {"walk_type": "pagerank"}),
    ("all_pairs_shortest_path_length", False, {}),
    ("all_pairs_dijkstra_path_length", False, {}),
    ("floyd_warshall_numpy", False, {}),
]
# the dense functions cubic in n (eigendecompositions, Floyd-Warshall, solves) at n <= 500
CUBIC = {"laplacian_spectrum", "adjacency_spectrum", "katz_centrality_numpy",
         "floyd_warshall_numpy", "directed_laplacian_matrix", "eigenvector_centrality_numpy",
         "all_pairs_shortest_path_length", "all_pairs_dijkstra_path_length"}
CUBIC_N = 500

# tolerances of the agreement check, by function (default: exact, or 1e-12 for floats)
TOL = {"pagerank": 1e-6, "hits": 1e-6, "eigenvector_centrality_numpy": 1e-6,
       "algebraic_connectivity": 1e-6, "fiedler_vector": 1e-5,
       "directed_laplacian_matrix": 1e-8, "laplacian_spectrum": 1e-9,
       "adjacency_spectrum": 1e-9, "katz_centrality_numpy": 1e-9}


def plain():
    """No automatic dispatch: networkx's graphs run networkx (untimed, in prepare)."""
    import networkx as nx

    nx.config.backend_priority.algos = []


def consume(x):
    """A generator's items as a list (timed: networkx's callers pay for them too)."""
    import inspect

    if inspect.isgenerator(x):
        return list(x)
    return x


def compare_for(name, n):
    tol = TOL.get(name, 1e-12)
    if name == "pagerank":
        tol = n * 1e-6  # pagerank's own promise: L1 error below N * tol

    def compare(ref, got):
        if sp.issparse(ref):
            if not sp.issparse(got) or got.format != ref.format or got.dtype != ref.dtype:
                raise AssertionError(f"{type(got).__name__} {getattr(got, 'dtype', '')}, "
                                     f"expected {ref.format} {ref.dtype}")
            close(ref, got, tol)
        elif isinstance(ref, np.ndarray):
            if got.shape != ref.shape:
                raise AssertionError(f"shape {got.shape} != {ref.shape}")
            if name == "fiedler_vector" and np.dot(ref, got) < 0:
                got = -got
            if not np.allclose(got, ref, rtol=tol, atol=tol):
                raise AssertionError(f"max |difference| {np.abs(got - ref).max():.3g}")
        elif isinstance(ref, tuple):
            for a, b in zip(ref, got, strict=True):
                compare(a, b)
        elif isinstance(ref, dict) and ref and isinstance(next(iter(ref.values())), dict):
            if ref.keys() != got.keys():
                raise AssertionError("different sources")
            for k in ref:
                compare(ref[k], got[k])
        elif isinstance(ref, dict):
            if ref.keys() != got.keys():
                raise AssertionError("different keys")
            if all(type(v) is int for v in ref.values()):
                if ref != got:
                    raise AssertionError("different values")
                return
            a = np.array([ref[k] for k in ref], dtype=float)
            b = np.array([got[k] for k in ref], dtype=float)
            if not np.allclose(b, a, rtol=tol, atol=tol):
                raise AssertionError(f"max |difference| {np.abs(a - b).max():.3g}")
        elif isinstance(ref, list) and ref and isinstance(ref[0], set):
            if set(map(frozenset, ref)) != set(map(frozenset, got)):
                raise AssertionError("different components")
        elif isinstance(ref, list) and ref and isinstance(ref[0], tuple):  # all-pairs
            compare(dict(ref), dict(got))
        elif isinstance(ref, float):
            if abs(ref - got) > tol * max(1.0, abs(ref)):
                raise AssertionError(f"{got!r} != {ref!r}")
        elif ref != got:
            raise AssertionError(f"{got!r} != {ref!r}")

    return compare


def graphs(n, m, directed):
    """The same random graph as a networkx graph, a store and a CSR (all untimed)."""
    import networkx as nx

    import graphstore as gs

    src, dst, w = random_edges(n, m, SEED + 90)
    g = gs.GraphStore(directed, capacity=n)
    g.add_vertices(n)
    g.add_edges(src, dst, w)
    A = g.adjacency()  # merges and caches the CSR, as a store read once has it
    # networkx's graph, built by networkx from the same edges in the store's edge
    # order (incidence_matrix numbers its columns in G.edges() order)
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(range(n))
    C = sp.triu(A).tocoo() if not directed else A.tocoo()
    G.add_weighted_edges_from(zip(C.row.tolist(), C.col.tolist(), C.data.tolist(), strict=True))
    return G, g, A


def floor_for(name, A, directed, kwargs):
    """csgraph plus networkx's output containers, for the traversal functions (else None).

    Each floor uses the fastest csgraph route to the answer, the one graphstore
    takes (undirected components as the strong components of the symmetric
    matrix: no transpose; unweighted distances from ``breadth_first_order``
    and its parents, not csgraph's unweighted Dijkstra, 4x slower), and
    builds networkx's containers, keyed by row: the graphs here are labelled
    0..n-1, so rows are the labels.
    """
    from scipy.sparse import csgraph

    def groups(connection):
        if not directed:
            connection = "strong"  # the same components of a symmetric matrix
        k, lab = csgraph.connected_components(A, directed=True, connection=connection)
        order = np.argsort(lab, kind="stable")
        cuts = np.cumsum(np.bincount(lab, minlength=k))[:-1]
        return [set(part.tolist()) for part in np.split(order, cuts)]

    if name in ("connected_components", "weakly_connected_components"):
        return lambda: groups("weak")
    if name == "strongly_connected_components":
        return lambda: groups("strong")
    if name == "number_connected_components":
        return lambda: int(csgraph.connected_components(A, directed=True,
                                                        connection="strong")[0])
    if name == "is_connected":
        return lambda: len(csgraph.breadth_first_order(A, 0, return_predecessors=False)) == \
            A.shape[0]
    if name in ("isolates", "number_of_isolates"):
        def iso():
            deg = np.diff(A.indptr)
            out = np.flatnonzero(deg == 0).tolist()
            return out if name == "isolates" else len(out)

        return iso
    if name == "node_connected_component":
        return lambda: set(csgraph.breadth_first_order(A, kwargs["n"], directed=True,
                                                       return_predecessors=False).tolist())
    if name == "single_source_shortest_path_length":
        def bfs():
            order, pred = csgraph.breadth_first_order(A, kwargs["source"], directed=True)
            pos = np.empty(A.shape[0], dtype=np.intp)
            pos[order] = np.arange(len(order))
            parent = pred[order]
            parent[0] = order[0]
            up = pos[parent]
            dist = np.ones(len(order), dtype=np.int64)
            dist[0] = 0
            while up.any():  # pointer jumping: dist[j] spans order[j] .. order[up[j]]
                dist += dist[up]
                up = up[up]
            return dict(zip(order.tolist(), dist.tolist(), strict=True))

        return bfs
    if name in ("single_source_dijkstra_path_length", "shortest_path_length"):
        def sssp():
            d = csgraph.dijkstra(A, directed=True, indices=kwargs["source"])
            idx = np.flatnonzero(np.isfinite(d))
            return dict(zip(idx.tolist(), d[idx].tolist(), strict=True))

        return sssp
    return None


# rows of milliseconds get more timed rounds than the module's 3, so that their
# medians rest on enough samples on a shared machine: the graphstore and floor rows
# of the traversals (targets: 1.3x the floor, never slower than networkx) up to 10^5
# edges, and the networkx rows (alone and under automatic dispatch) of the functions
# networkx runs in under ~0.05 s at the quick sizes (mostly declined rows, whose
# ratio is networkx's run beside itself plus the dispatch)
FAST_ROUNDS = (1, 11)
CHEAP_ROUNDS = (1, 7)
CHEAP = {"degree_centrality", "in_degree_centrality", "connected_components",
         "number_connected_components", "is_connected", "weakly_connected_components",
         "isolates", "number_of_isolates", "node_connected_component",
         "single_source_shortest_path_length", "has_path", "to_numpy_array", "google_matrix",
         "modularity_matrix", "directed_modularity_matrix", "laplacian_spectrum",
         "eigenvector_centrality_numpy", "katz_centrality_numpy",
         "directed_laplacian_matrix"}


def built_graphs(built, n, m, directed):
    """The inputs of size (n, m), built once; then frozen out of the collector's way.

    ``gc.freeze()`` moves the inputs (networkx's graphs hold about 10^5 tracked
    dicts) to the permanent generation: the runner's ``gc.collect()`` before each
    round then costs microseconds, not 0.1-0.2 s, and no system's run pays for a
    full collection walking inputs it did not allocate. That favours networkx
    (its runs allocate the most), never graphstore. ``cases`` unfreezes them.
    """
    import gc

    key = (n, m, directed)
    if key not in built:
        built[key] = graphs(n, m, directed)
        gc.collect()
        gc.freeze()
    return built[key]


def function_case(name, directed, kwargs, n, m, systems, built):
    import networkx as nx

    # networkx's own runs at 10^6 edges take seconds each: fewer rounds for its rows
    slow = {"rounds": (0, 2)} if m >= 10**6 else {}
    cheap = {"rounds": CHEAP_ROUNDS} if m <= 10**5 and name in CHEAP else slow
    fast = {"rounds": FAST_ROUNDS} if m <= 10**5 and name in NEVER_SLOWER else {}

    G, g, A = built_graphs(built, n, m, directed)
    f = getattr(nx, name)
    runs = {}
    # backend_priority is set (untimed) by the prepare of the automatic-dispatch row and
    # cleared by every other row's: nx.config's context manager alone costs milliseconds.
    # Rows run in this order each round, so the pairs the targets compare run back to back
    # under the same load: networkx beside automatic dispatch, graphstore beside its floor.
    fl = floor_for(name, A, directed, kwargs)

    def warm(call, setup=plain, rows_warm=True):
        """`setup`, then an untimed call before the timed one, in the traversal cases.

        graphstore and its floor read the same arrays, and whichever ran first after
        networkx's rows paid alone for the caches and freed pages those left (a 15:47
        run: 1.4-1.5x the floor by median in the rounds with networkx's rows, 1.0-1.05x
        in the rounds without). networkx's rows are warmed the same way where they are
        cheap (the "never slower than networkx" and dispatch targets compare them).
        """
        if not (fast and rows_warm):
            return setup

        def prepare():
            setup()
            call()
            setup()  # the call may have left networkx's cache filled

        return prepare

    def on_nx():
        return consume(f(G, **kwargs))

    def on_store():
        return consume(f(g, **kwargs))

    def automatic():
        G.__networkx_cache__.clear()  # an uncached conversion every round
        nx.config.backend_priority.algos = ["graphstore"]

    nx_warm = name in CHEAP
    if "networkx" in systems:
        runs["networkx"] = Run(lambda _: on_nx(), prepare=warm(on_nx, plain, nx_warm),
                               note="networkx on nx.Graph", **cheap)
    if "graphstore" in systems and m < 10**6:
        # (at 10^6 edges it would repeat networkx's slow run: should_run declines)
        note = "backend_priority, conversion included" if runs_here(name, G, kwargs) else DECLINED
        runs["graphstore from nx"] = Run(lambda _: on_nx(),
                                         prepare=warm(on_nx, automatic, nx_warm),
                                         system="graphstore", note=note, **cheap)
    # graphstore and its floor: each timed call follows an untimed call of the other and
    # one of its own, so both sit as far from networkx's rows (see warm)
    if "graphstore" in systems:
        runs["graphstore"] = Run(lambda _: on_store(),
                                 prepare=warm(lambda: (fl and fl(), on_store())),
                                 note="nx call on a GraphStore", **fast)
    if fl is not None and "floor" in systems:
        runs["floor"] = Run(lambda _: fl(), prepare=warm(lambda: (on_store(), fl())),
                            note="csgraph + output containers", **fast)
    return Case(f"{name} n={n:,} m={m:,}", runs,
                # networkx's own run: G is a networkx graph and no priority is set
                expect=lambda: (plain(), consume(f(G, **kwargs)))[1],
                compare=compare_for(name, n), units=A.nnz, unit="nnz", x=A.nnz, group=name)


DECLINED = "backend_priority, declined: networkx ran"


def runs_here(name, G, kwargs) -> bool:
    """Whether automatic dispatch runs graphstore on networkx graph `G` (no cached conversion)."""
    from graphstore import nx_backend

    G.__networkx_cache__.clear()
    return (nx_backend.can_run(name, (G,), kwargs) is True
            and nx_backend.should_run(name, (G,), kwargs) is True)


# the declined calls of the dispatch case: functions networkx runs in about one pass
# over its graph, which should_run declines at every size, on a graph small enough
# for the dispatch to show
DISPATCH = [
    ("degree_centrality", {}),
    ("connected_components", {}),
    ("number_connected_components", {}),
    ("is_connected", {}),
    ("isolates", {}),
    ("number_of_isolates", {}),
    ("node_connected_component", {"n": 0}),
    ("single_source_shortest_path_length", {"source": 0}),
    ("has_path", {"source": 0, "target": 1}),
]
DISPATCH_LOOPS = 4  # calls of each function per block: 36 calls, about 2 ms
DISPATCH_ROUNDS = (2, 61)  # blocks of each row: the rows alternate block by block
FREE_HOOKS = "backend_priority, hooks that cost nothing: networkx's machinery alone"


def _can_at_once(name, args, kwargs):
    return True


def _declines_at_once(name, args, kwargs):
    return "declined at once"


def free_hooks(free):
    """graphstore's can_run and should_run, or (`free`) stand-ins that answer at once.

    The stand-ins say what graphstore's hooks say to a declined call (can run,
    should not), so networkx takes the same path; what a call costs with them
    is networkx's dispatch machinery alone. Set on the loaded backend object,
    over its own hooks; ``free_hooks(False)`` puts those back.
    """
    from networkx.utils.backends import _load_backend

    interface = _load_backend("graphstore")
    if free:
        interface.can_run, interface.should_run = _can_at_once, _declines_at_once
    else:
        vars(interface).pop("can_run", None)
        vars(interface).pop("should_run", None)


def dispatch_case(n, m, systems):
    """What automatic dispatch adds to a call graphstore declines, per call, on a small graph.

    A block calls each function of ``DISPATCH`` ``DISPATCH_LOOPS`` times on
    a networkx graph; networkx runs every call in every row. The rows differ
    only in the dispatch: ``networkx`` alone (no priority); ``graphstore from
    nx``, ``backend_priority = ["graphstore"]`` (graphstore's ``can_run`` and
    ``should_run`` at every dispatchable call networkx makes, inner ones
    included); and ``any backend``, the same priority with hooks that cost
    nothing (:func:`free_hooks`): networkx's machinery, which any backend
    declining through ``should_run`` costs. The rows alternate block by block
    (``DISPATCH_ROUNDS``), each timed block after an untimed one of its own,
    and the targets compare them round by round (paired): ``targets``. ``python
    -m benchmarks.w9_nx_dispatch overhead`` splits the same per function.
    """
    import networkx as nx

    G, _, _ = graphs(n, m, False)
    funcs = [(getattr(nx, name), kwargs) for name, kwargs in DISPATCH]

    def calls(_):
        return [consume(f(G, **kwargs)) for _ in range(DISPATCH_LOOPS) for f, kwargs in funcs]

    def setup(priority, free=False):
        def prepare():
            free_hooks(free)
            G.__networkx_cache__.clear()
            nx.config.backend_priority.algos = priority
            calls(None)  # untimed: the timed block follows one of its own kind

        return prepare

    def compare(ref, got):
        for a, b in zip(ref, got, strict=True):
            if (a != b).nnz if sp.issparse(a) else a != b:
                raise AssertionError(f"{b!r} != {a!r}"[:200])

    runs = {}
    if "networkx" in systems:
        runs["networkx"] = Run(calls, prepare=setup([]), note="networkx on nx.Graph",
                               rounds=DISPATCH_ROUNDS)
    if "graphstore" in systems:
        runs["graphstore from nx"] = Run(calls, prepare=setup(["graphstore"]),
                                         system="graphstore", note=DECLINED,
                                         rounds=DISPATCH_ROUNDS)
    if "networkx" in systems:
        runs["any backend"] = Run(calls, prepare=setup(["graphstore"], free=True),
                                  system="networkx", note=FREE_HOOKS, rounds=DISPATCH_ROUNDS)
    calls_per_round = DISPATCH_LOOPS * len(funcs)
    return Case(f"declined calls n={n:,} m={m:,}", runs,
                expect=lambda: (free_hooks(False), plain(), calls(None))[2], compare=compare,
                units=calls_per_round, unit="call", x=n, group="dispatch")


def conversion_cases(n, m, systems):
    import networkx as nx

    from graphstore import nx_backend

    G, g, A = built_graphs({}, n, m, False)
    runs = {}
    if "graphstore" in systems:
        runs["graphstore"] = Run(lambda: nx_backend.convert_from_nx(G, edge_attrs={"weight": 1}),
                                 answer=lambda s: s.adjacency(), note="convert_from_nx")
    if "networkx" in systems:
        runs["networkx"] = Run(lambda _: nx.to_scipy_sparse_array(G), prepare=plain,
                               note="nx.to_scipy_sparse_array")
    yield Case(f"nx -> CSR n={n:,} m={m:,}", runs, expect=lambda: A,
               compare=lambda ref, got: close(ref, got), units=A.nnz, unit="nnz", x=A.nnz,
               group="convert_from_nx")
    runs = {}
    if "graphstore" in systems:
        runs["graphstore"] = Run(g.to_networkx, answer=nx.to_scipy_sparse_array,
                                 note="GraphStore.to_networkx")
    if "networkx" in systems:
        runs["networkx"] = Run(lambda: nx.from_scipy_sparse_array(A),
                               answer=nx.to_scipy_sparse_array,
                               note="nx.from_scipy_sparse_array")
    yield Case(f"CSR -> nx n={n:,} m={m:,}", runs, expect=lambda: A,
               compare=lambda ref, got: close(ref, got), units=A.nnz, unit="nnz", x=A.nnz,
               group="to_networkx")
    unfreeze()


def cases(size, systems):
    kind, n, m = size
    if kind == "conv":
        yield from conversion_cases(n, m, systems)
        return
    if kind == "dispatch":
        yield dispatch_case(n, m, systems)
        free_hooks(False)
        plain()
        return
    built = {}
    largest = n >= 10**5
    for name, directed, kwargs in {"sparse": SPARSE, "dense": DENSE, "spectral": SPECTRAL}[kind]:
        if kind == "sparse" and largest and name not in HEADLINE:
            continue
        nn, mm = (n, m)
        if kind == "dense" and name in CUBIC and n > CUBIC_N:
            nn, mm = CUBIC_N, m * CUBIC_N // n
        yield function_case(name, directed, kwargs, nn, mm, systems, built)
    built.clear()
    unfreeze()
    plain()  # leave networkx as it was for whatever runs next in this process


def unfreeze():
    """Hand the frozen inputs back to the collector (see ``built_graphs``)."""
    import gc

    gc.unfreeze()
    gc.collect()


# targets: >= 10x networkx on a store for these (pagerank, hits, the matrices)
FAST = ("pagerank", "hits", "laplacian_matrix", "normalized_laplacian_matrix",
        "adjacency_matrix", "to_scipy_sparse_array", "incidence_matrix")
# within 1.3x of the floor and never slower than networkx
TRAVERSAL = ("connected_components", "number_connected_components",
             "strongly_connected_components", "weakly_connected_components",
             "single_source_shortest_path_length", "single_source_dijkstra_path_length")


# on a store, never slower than networkx (every size benchmarked)
NEVER_SLOWER = TRAVERSAL + ("is_connected", "node_connected_component", "isolates",
                            "number_of_isolates", "shortest_path_length", "has_path",
                            "all_pairs_shortest_path_length", "all_pairs_dijkstra_path_length")


def targets(r):
    out = []

    def last(prefix):
        cs = [c for c in r.cases(prefix + " n=")
              if r.per_unit(c, "graphstore") is not None]
        return cs[-1] if cs else None

    for name in FAST:
        c = last(name)
        if c:
            out.append(r.ratio(f"W9 {c}: networkx / graphstore on a store", (c, "networkx"),
                               (c, "graphstore"), ">=", 10))
    for name in TRAVERSAL:
        c = last(name)
        if c:
            out.append(r.ratio(f"W9 {c}: graphstore / floor", (c, "graphstore"),
                               (c, "floor"), "<=", 1.3))
    # components and path lengths: never slower than networkx, at every size
    for name in NEVER_SLOWER:
        for c in r.cases(name + " n="):
            if r.per_unit(c, "graphstore") is not None and r.per_unit(c, "networkx") is not None:
                out.append(r.ratio(f"W9 {c}: graphstore / networkx", (c, "graphstore"),
                                   (c, "networkx"), "<=", 1.0))
    for c in r.cases(""):
        if r.per_unit(c, "graphstore from nx") is not None and " n=" in c \
                and r.per_unit(c, "networkx") is not None and not c.startswith(("nx ", "CSR ")):
            if r.row(c, "graphstore from nx")["note"] == DECLINED:
                out.append(paired_dispatch(r, c))
            else:
                out.append(r.ratio(f"W9 {c}: automatic dispatch from nx / networkx",
                                   (c, "graphstore from nx"), (c, "networkx"), "<=", 1.0))
    for prefix in ("nx -> CSR", "CSR -> nx"):
        for c in r.cases(prefix):
            out.append(r.ratio(f"W9 {c}: graphstore / networkx", (c, "graphstore"),
                               (c, "networkx"), "<=", 1.0))
    return out


def paired_dispatch(r, c):
    """A declined row's target, paired: the median over rounds of each round's ratio.

    networkx ran both rows (should_run declined), which run back to back in
    every round, so each round's two times were taken under the same load;
    the detail gives the median paired difference per call. In the declined
    calls case (rows alternated block by block, ``unit`` a call) it is split
    into networkx's machinery (the ``any backend`` row) and graphstore's hooks
    (the rest); elsewhere a round is one call.
    """
    name = f"W9 {c}: automatic dispatch from nx / networkx"
    rows = [r.row(c, k) for k in ("graphstore from nx", "networkx", "any backend")]
    if rows[0] is None or rows[1] is None:
        return Target(name, None, "<=", 1.0, detail="no time for one of the rows")

    def per_call(row, k):
        return np.array(row["times"][:k]) / (row["units"] if row["unit"] == "call" else 1)

    k = min(len(rows[0]["times"]), len(rows[1]["times"]))
    auto, alone = per_call(rows[0], k), per_call(rows[1], k)
    value = float(np.median(auto / alone))

    def us(x):
        d = float(np.median(x))
        return ("+" if d >= 0 else "-") + fmt_time(abs(d))

    parts = [f"paired over {k} rounds", f"from mins {auto.min() / alone.min():.2f}x",
             f"{fmt_time(float(np.median(alone)))} a call alone, {us(auto - alone)} under "
             "automatic dispatch"]
    if rows[2] is not None:
        free = per_call(rows[2], k)
        parts.append(f"of which networkx's machinery {us(free - alone)} (any backend), "
                     f"graphstore's hooks {us(auto - free)}")
    parts.append("declined: networkx ran both rows")
    return Target(name, value, "<=", 1.0, "x", judge(value, "<=", 1.0), "; ".join(parts))


# ----------------------------------------------------------------------
# calibrating should_run's cost model (by hand: python -m benchmarks.w9_nx_dispatch calibrate)

EXTRA = [
    ("normalized_laplacian_spectrum", False, {}),
    ("directed_combinatorial_laplacian_matrix", True, {"walk_type": "pagerank"}),
    ("spectral_ordering", False, {"seed": 1}),
    ("out_degree_centrality", True, {}),
    ("number_strongly_connected_components", True, {}),
    ("is_strongly_connected", True, {}),
    ("number_weakly_connected_components", True, {}),
    ("is_weakly_connected", True, {}),
    ("is_isolate", False, {"n": 0}),
]
CALIBRATE_N = (10, 30, 100, 300, 1000, 3000, 10_000)
CALIBRATE_DENSE_N = 1000  # dense and cubic functions stop here


def calibrate(sizes=CALIBRATE_N, names=None):
    """networkx's own time beside ``backend="graphstore"`` (conversion included), by size.

    Random graphs with m = 5 n edges (mean degree 10 undirected; fewer below 21 nodes). Prints, per
    function, the smallest n from which the converted call is at least 1.1x
    faster at every larger size: the thresholds ``should_run`` uses.
    """
    import time

    import networkx as nx

    plain()
    rows = [c for c in SPARSE + DENSE + EXTRA if names is None or c[0] in names]
    skip = {"incidence_matrix", "bethe_hessian_matrix"}  # can_run declines them from nx
    dense = {name for name, _, _ in DENSE} | {"normalized_laplacian_spectrum",
                                              "directed_combinatorial_laplacian_matrix"}
    out = {}
    for name, directed, kwargs in rows:
        if name in skip:
            continue
        f = getattr(nx, name)
        line = []
        for n in sizes:
            if name in dense | CUBIC and n > CALIBRATE_DENSE_N:
                break
            if name in ("algebraic_connectivity", "fiedler_vector", "spectral_ordering") \
                    and n > 3000:
                break
            G, _, _ = graphs(n, min(5 * n, n * (n - 1) // 4), directed)

            def best(run, k):
                ts = []
                for _ in range(k):
                    G.__networkx_cache__.clear()
                    t0 = time.perf_counter()
                    consume(run())
                    ts.append(time.perf_counter() - t0)
                return min(ts)

            k = 5 if n <= 1000 else 3
            try:
                t_nx = best(lambda: f(G, **kwargs), k)
                t_gs = best(lambda: f(G, backend="graphstore", **kwargs), k)
            except Exception as err:  # noqa: BLE001 - a size networkx refuses: report it
                line.append((n, None, None))
                print(f"{name} n={n}: {type(err).__name__}: {err}")
                continue
            line.append((n, t_nx, t_gs))
        wins = [t_gs is not None and t_gs * 1.1 <= t_nx for _, t_nx, t_gs in line]
        start = next((i for i in range(len(wins)) if all(wins[i:])), None)
        out[name] = None if start is None else line[start][0]
        cells = " ".join(f"{n}:{t_nx / t_gs:.2f}" for n, t_nx, t_gs in line if t_gs)
        print(f"{name:42s} from n={out[name]}  (networkx / converted: {cells})", flush=True)
    return out


def headline(names=None):
    """The full tier's 10^6-edge case alone (the headline functions), as a markdown table.

    ``python -m benchmarks.w9_nx_dispatch headline [name ...]``: the same
    cases, rows and checks as the suite's full run, without its other sizes;
    only the functions named, if any.
    """
    import statistics

    from benchmarks.harness import measure_case

    print("| case | system | median | min | networkx / this |")
    print("|---|---|---|---|---|")
    for case in cases(("sparse", 10**5, 10**6), SYSTEMS):
        if names and case.group not in names:
            continue
        rows = {r["system"]: r for r in measure_case(case, "full", ROUNDS, NAME)}
        ref = rows.get("networkx")
        ref_t = statistics.median(ref["times"]) if ref and ref["times"] else None
        for name, r in rows.items():
            if not r["times"]:
                print(f"| {case.label} | {name} | {r['status']} | | |")
                continue
            med, low = statistics.median(r["times"]), min(r["times"])
            ratio = f"{ref_t / med:.2f}" if ref_t else "-"
            print(f"| {case.label} | {name} | {med * 1e3:.3g} ms | {low * 1e3:.3g} ms | {ratio} |",
                  flush=True)


def overhead(n=100, m=500, rounds=40, loops=50):
    """What automatic dispatch adds to a declined call, split into networkx's part and ours.

    ``python -m benchmarks.w9_nx_dispatch overhead``: for each function of
    ``DISPATCH`` on a graph of n nodes, four ways alternated call loop by
    call loop (``rounds`` of ``loops`` calls each way, the order reversed every
    other round, in process CPU time, which other processes on a shared
    machine inflate less than wall time): networkx alone;
    ``backend_priority = ["graphstore"]`` (graphstore's ``can_run`` and
    ``should_run`` consulted at every dispatchable call, inner ones
    included, then networkx runs); the same priority with hooks that cost
    nothing and answer as graphstore's do (can run, should not:
    :func:`free_hooks`), networkx's machinery for any backend declining
    through ``should_run``; and with a ``can_run`` that declines at once
    (networkx's machinery when the backend declines first). Prints medians of
    the paired differences, in microseconds per call, and the cost of one
    ``can_run`` and ``should_run`` each, called alone.
    """
    import time

    import networkx as nx
    from networkx.utils.backends import _load_backend

    from graphstore import nx_backend

    G, _, _ = graphs(n, m, False)
    interface = _load_backend("graphstore")
    clock = time.process_time

    def loop(f, kwargs):
        t0 = clock()
        for _ in range(loops):
            consume(f(G, **kwargs))
        return (clock() - t0) / loops

    modes = ("plain", "auto", "free", "null")
    print(f"declined calls on a graph of {n} nodes and {m} edges, CPU microseconds per call")
    print("| function | networkx | + automatic dispatch | of which networkx's machinery "
          "| of which graphstore's hooks | networkx's machinery, can_run declining "
          "| can_run | should_run |")
    print("|---|---|---|---|---|---|---|---|")
    for name, kwargs in DISPATCH:
        f = getattr(nx, name)
        t = {mode: [] for mode in modes}
        for r in range(rounds + 2):
            for mode in modes if r % 2 else modes[::-1]:
                G.__networkx_cache__.clear()
                nx.config.backend_priority.algos = [] if mode == "plain" else ["graphstore"]
                free_hooks(mode == "free")
                if mode == "null":
                    interface.can_run = _declines_at_once
                try:
                    took = loop(f, kwargs)
                finally:
                    free_hooks(False)
                if r >= 2:
                    t[mode].append(took)
        plain()
        p, a, z, c = (np.array(t[k]) for k in modes)
        args = (G,)
        each = {}
        for which in ("can_run", "should_run"):
            fn = getattr(nx_backend, which)
            fn(name, args, kwargs)
            t0 = clock()
            for _ in range(20 * loops):
                fn(name, args, kwargs)
            each[which] = (clock() - t0) / (20 * loops)
        print(f"| {name} | {np.median(p) * 1e6:.1f} | {np.median(a - p) * 1e6:+.1f} "
              f"| {np.median(z - p) * 1e6:+.1f} | {np.median(a - z) * 1e6:+.1f} "
              f"| {np.median(c - p) * 1e6:+.1f} | {each['can_run'] * 1e6:.2f} "
              f"| {each['should_run'] * 1e6:.2f} |", flush=True)


def loop(mode, loops, name="is_connected"):
    """Calls to count instructions of, by hand: ``python -m benchmarks.w9_nx_dispatch loop``.

    ``mode`` is ``plain`` (networkx alone), ``auto`` (``backend_priority =
    ["graphstore"]``), ``free`` (the same with hooks that cost nothing:
    :func:`free_hooks`) or ``null`` (a ``can_run`` that declines at once);
    ``name`` one function of ``DISPATCH`` on 10 nodes, or ``all``: the
    declined calls case's nine on its 100-node graph. 50 untimed calls of
    each first, then ``loops`` of each. Instructions a call are the
    difference of two runs under cachegrind, one with ``loops`` = 0 (the
    interpreter itself, not a launcher script; one BLAS thread, whose idle
    threads would otherwise make the counts vary; and a tree no one edits
    between the two runs, or a recompiled module lands in one count)::

        PY=$(python -c "import sys; print(sys.executable)")
        PYTHONHASHSEED=0 OPENBLAS_NUM_THREADS=1 valgrind --tool=cachegrind --cache-sim=no \\
            $PY -m benchmarks.w9_nx_dispatch loop auto 4000 is_connected
    """
    import gc

    import networkx as nx
    from networkx.utils.backends import _load_backend

    if name == "all":
        G, _, _ = graphs(100, 500, False)
        funcs = [(getattr(nx, f), kwargs) for f, kwargs in DISPATCH]
    else:
        G, _, _ = graphs(10, 20, False)
        funcs = [(getattr(nx, name), dict(DISPATCH)[name])]
    free_hooks(mode == "free")
    if mode == "null":
        _load_backend("graphstore").can_run = _declines_at_once
    nx.config.backend_priority.algos = [] if mode == "plain" else ["graphstore"]
    G.__networkx_cache__.clear()
    for _ in range(50):
        for f, kwargs in funcs:
            consume(f(G, **kwargs))
    gc.collect()
    gc.disable()
    for _ in range(loops):
        for f, kwargs in funcs:
            consume(f(G, **kwargs))
    gc.enable()
    free_hooks(False)
    plain()


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["calibrate"]:
        calibrate(names=set(sys.argv[2:]) or None)
    elif sys.argv[1:2] == ["headline"]:
        headline(set(sys.argv[2:]) or None)
    elif sys.argv[1:2] == ["overhead"]:
        overhead()
    elif sys.argv[1:2] == ["loop"]:
        loop(sys.argv[2], int(sys.argv[3]), *sys.argv[4:5])
