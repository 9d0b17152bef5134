"""graphstore as a networkx backend: every served function against networkx itself.

The reference is networkx's own code on ``g.to_networkx()`` (a networkx graph
with no backend priority set runs networkx). Each served call must also move
``nx_backend.native_calls()``, so a test cannot pass by networkx running on a
copy.
"""

from __future__ import annotations

import importlib.metadata
import inspect

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import _graphstore_nx
import graphstore as gs
from graphstore import nx_backend
from graphstore.nx_backend import _functions


# ----------------------------------------------------------------------
# random stores: self-loops, isolated vertices, labels of mixed kinds


def random_store(seed, n=None, directed=None, weighted=None, p=None):
    """A store and its networkx twin; labels are strings and tuples, never 0..n-1."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 11)) if n is None else n
    directed = bool(rng.integers(2)) if directed is None else directed
    weighted = ("int", "float", None)[int(rng.integers(3))] if weighted is None else weighted
    p = float(rng.uniform(0.1, 0.6)) if p is None else p
    labels = [f"v{i}" if i % 3 else (i, "t") for i in rng.permutation(n).tolist()]
    mask = rng.random((n, n)) < p
    if not directed:
        mask = np.triu(mask)
    isolated = rng.random(n) < 0.2  # these vertices keep no edge at all
    mask[isolated, :] = False
    mask[:, isolated] = False
    r, c = np.nonzero(mask)
    # unweighted: every edge weighs 1 (an int store, as networkx's default weight)
    dtype = np.float64 if weighted == "float" else np.int64
    g = gs.GraphStore(directed, dtype=dtype)
    g.add_vertices(labels)
    if weighted == "int":
        w = rng.integers(0, 6, len(r))
    elif weighted == "float":
        w = np.round(rng.uniform(0.0, 3.0, len(r)), 3)
    else:
        w = None
    src = [labels[i] for i in r.tolist()]
    dst = [labels[j] for j in c.tolist()]
    if src:
        g.add_edges(src, dst, w)
    return g, g.to_networkx(), rng


def pick_nodelist(labels, rng):
    """A shuffled nonempty subset of the labels."""
    k = int(rng.integers(1, len(labels) + 1))
    return [labels[i] for i in rng.permutation(len(labels))[:k].tolist()]


# ----------------------------------------------------------------------
# comparing results of networkx and of graphstore


def assert_same(ours, ref, atol=0.0, rtol=0.0, sign=False, as_set=False):
    """Equal values and types; floats within (atol, rtol); vectors up to sign if asked.

    Integers and structure are compared exactly; floats with no tolerance given
    to 1e-12 relative (the same sums taken in another order).
    """
    if as_set:  # an order that ties in floating point may break either way
        assert type(ours) is type(ref) and len(ours) == len(ref)
        assert sorted(map(repr, ours)) == sorted(map(repr, ref))
    elif sp.issparse(ref):
        assert sp.issparse(ours) and ours.format == ref.format, (ours, ref)
        assert ours.shape == ref.shape and ours.dtype == ref.dtype
        assert_same(ours.toarray(), ref.toarray(), atol, rtol, sign)
    elif isinstance(ref, np.ndarray):
        assert isinstance(ours, np.ndarray) and ours.shape == ref.shape, (ours, ref)
        assert ours.dtype == ref.dtype, (ours.dtype, ref.dtype)
        if sign and ref.size and np.dot(ours.ravel(), ref.ravel()) < 0:
            ours = -ours
        if atol == rtol == 0.0 and ref.dtype.kind in "fc":
            # a sum of floats in another order: equal to the last bits
            np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-13)
        elif atol == rtol == 0.0:
            np.testing.assert_array_equal(ours, ref)
        else:
            np.testing.assert_allclose(ours, ref, atol=atol, rtol=rtol)
    elif isinstance(ref, dict):
        assert isinstance(ours, dict) and ours.keys() == ref.keys(), (ours, ref)
        for k in ref:
            assert_same(ours[k], ref[k], atol, rtol)
    elif isinstance(ref, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(ref)
        for a, b in zip(ours, ref, strict=True):
            assert_same(a, b, atol, rtol)
    elif isinstance(ref, list) and ref and isinstance(ref[0], set):
        assert sorted(map(sorted_key, ours)) == sorted(map(sorted_key, ref))
    else:
        assert type(ours) is type(ref), (ours, ref)
        if isinstance(ref, float):
            assert ours == pytest.approx(ref, abs=atol or 1e-13, rel=rtol or 1e-12)
        else:
            assert ours == ref


def sorted_key(s):
    return sorted(map(repr, s))


def materialize(x):
    """Generators become lists (of sets, or of (node, dict) pairs turned into a dict)."""
    if inspect.isgenerator(x):
        x = list(x)
        if x and isinstance(x[0], tuple):
            return dict(x)
    return x


def run_both(name, g, G, kwargs, **tol):
    """networkx on G and graphstore on g: the same result or the same exception type."""
    f = getattr(nx, name)
    try:
        ref = materialize(f(G, **kwargs))
    except Exception as exc:  # noqa: BLE001 - the point is to compare exception types
        with pytest.raises(type(exc)):
            materialize(f(g, **kwargs))
        return None
    before = nx_backend.native_calls()
    ours = materialize(f(g, **kwargs))
    assert nx_backend.native_calls() == before + 1, f"{name} did not run graphstore's code"
    assert_same(ours, ref, **tol)
    return ours


# ----------------------------------------------------------------------
# the calls: each served function with networkx's arguments


def calls(g, rng):
    """(name, kwargs, tolerances) for every served function that applies to `g`."""
    labels = g.labels
    sub = pick_nodelist(labels, rng)
    u, v = labels[int(rng.integers(len(labels)))], labels[int(rng.integers(len(labels)))]
    out = [
        ("to_scipy_sparse_array", {}, {}),
        ("to_scipy_sparse_array", {"nodelist": sub, "weight": None, "format": "coo"}, {}),
        ("to_scipy_sparse_array", {"dtype": np.float32, "format": "csc"}, {}),
        ("adjacency_matrix", {"nodelist": sub}, {}),
        ("to_numpy_array", {}, {}),
        ("to_numpy_array", {"nodelist": sub, "nonedge": -1.0, "weight": None}, {}),
        ("laplacian_matrix", {}, {}),
        ("laplacian_matrix", {"nodelist": sub, "weight": None}, {}),
        ("normalized_laplacian_matrix", {"nodelist": sub}, {"rtol": 1e-12, "atol": 1e-12}),
        ("incidence_matrix", {}, {}),
        ("incidence_matrix", {"nodelist": labels[::-1], "oriented": True, "weight": "weight"}, {}),
        ("bethe_hessian_matrix", {}, {"rtol": 1e-12}) if not g.directed else None,
        ("bethe_hessian_matrix", {"r": 1.5, "nodelist": sub}, {}) if not g.directed else None,
        ("laplacian_spectrum", {}, {"atol": 1e-9}),
        ("normalized_laplacian_spectrum", {}, {"atol": 1e-9}),
        ("adjacency_spectrum", {"weight": None}, {"atol": 1e-9}),
        ("pagerank", {}, {"atol": len(labels) * 1e-6}),
        ("pagerank", {"alpha": 0.6, "personalization": {u: 1, v: 2}, "dangling": {v: 1},
                      "tol": 1e-9}, {"atol": len(labels) * 1e-9}),
        ("google_matrix", {"nodelist": labels}, {"rtol": 1e-12}),
        ("google_matrix", {"alpha": 0.5, "personalization": {u: 1.0}}, {"rtol": 1e-12}),
        ("hits", {}, {"atol": 1e-6}) if simple_top_singular_value(g) else None,
        ("degree_centrality", {}, {}),
        ("katz_centrality_numpy", {"alpha": 0.05}, {"atol": 1e-9}),
        ("katz_centrality_numpy", {"alpha": 0.05, "weight": "weight", "normalized": False},
         {"atol": 1e-9}),
        ("eigenvector_centrality_numpy", {}, {"atol": 1e-6}),
        ("isolates", {}, {}),
        ("number_of_isolates", {}, {}),
        ("is_isolate", {"n": u}, {}),
        ("single_source_shortest_path_length", {"source": u}, {}),
        ("single_source_shortest_path_length", {"source": v, "cutoff": 2}, {}),
        ("single_source_dijkstra_path_length", {"source": u}, {"rtol": 1e-12}),
        ("single_source_dijkstra_path_length", {"source": u, "cutoff": 2.5}, {"rtol": 1e-12}),
        ("shortest_path_length", {}, {}),
        ("shortest_path_length", {"source": u}, {}),
        ("shortest_path_length", {"target": v, "weight": "weight"}, {"rtol": 1e-12}),
        ("shortest_path_length", {"source": u, "target": v}, {}),
        ("shortest_path_length", {"source": u, "target": v, "weight": "weight"}, {"rtol": 1e-12}),
        ("all_pairs_shortest_path_length", {"cutoff": 3}, {}),
        ("all_pairs_dijkstra_path_length", {}, {"rtol": 1e-12}),
        ("has_path", {"source": u, "target": v}, {}),
        ("floyd_warshall_numpy", {"nodelist": labels[::-1]}, {"rtol": 1e-12}),
    ]
    if g.directed:
        out += [
            ("in_degree_centrality", {}, {}),
            ("out_degree_centrality", {}, {}),
            ("strongly_connected_components", {}, {}),
            ("number_strongly_connected_components", {}, {}),
            ("is_strongly_connected", {}, {}),
            ("weakly_connected_components", {}, {}),
            ("number_weakly_connected_components", {}, {}),
            ("is_weakly_connected", {}, {}),
            ("directed_modularity_matrix", {"nodelist": sub}, {"rtol": 1e-12}),
            ("directed_laplacian_matrix", {"walk_type": "pagerank", "alpha": 0.9},
             {"atol": 1e-8}),
            ("directed_laplacian_matrix", {}, {"atol": 1e-8}),
            ("directed_combinatorial_laplacian_matrix", {"nodelist": sub}, {"atol": 1e-8}),
        ]
    else:
        out += [
            ("connected_components", {}, {}),
            ("number_connected_components", {}, {}),
            ("is_connected", {}, {}),
            ("node_connected_component", {"n": v}, {}),
            ("modularity_matrix", {"nodelist": sub, "weight": "weight"}, {"rtol": 1e-12}),
            ("algebraic_connectivity", {"seed": 7}, {"rtol": 1e-6, "atol": 1e-8}),
            ("algebraic_connectivity", {"method": "lanczos", "normalized": True},
             {"rtol": 1e-6, "atol": 1e-8}),
            ("fiedler_vector", {"seed": 7, "tol": 1e-10}, {"atol": 1e-5, "sign": True}),
        ]
    out.append(("spectral_ordering", {"seed": 3}, {"as_set": True}))
    return [c for c in out if c is not None]


def simple_top_singular_value(g) -> bool:
    """Whether HITS is well defined: the largest singular value of A is simple.

    With a repeated top singular value, any vector of its space is a HITS
    answer and ARPACK's random start picks one; networkx's result is then
    not reproducible by networkx itself.
    """
    s = np.linalg.svd(g.adjacency().toarray().astype(float), compute_uv=False)
    return len(s) < 2 or s[0] - s[1] > 1e-3 * s[0]


def check_all(seed, **kw):
    g, G, rng = random_store(seed, **kw)
    for name, kwargs, tol in calls(g, rng):
        try:
            run_both(name, g, G, kwargs, **tol)
        except AssertionError as err:
            raise AssertionError(f"{name}({kwargs}) on seed {seed}: {err}") from err


@pytest.fixture(params=["python", "numpy", "mixed"])
def search(request, monkeypatch):
    """Every route of the traversals: Python lists (small stores), numpy/csgraph, and the
    bidirectional search switching from Python levels to numpy ones midway."""
    python = request.param == "python"
    monkeypatch.setattr(_functions, "SMALL_NNZ", 10**9 if python else -1)
    meet = {"python": 10**9, "numpy": -1, "mixed": 8}[request.param]
    monkeypatch.setattr(_functions, "MEET_NUMPY", meet)
    return request.param


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("weighted", ["int", "float", None])
@pytest.mark.parametrize("seed", range(4))
def test_every_served_function_equals_networkx(seed, directed, weighted, search):
    check_all(seed, directed=directed, weighted=weighted, n=8 + seed)


TRAVERSALS = ["connected_components", "number_connected_components", "is_connected",
              "strongly_connected_components", "number_strongly_connected_components",
              "is_strongly_connected", "weakly_connected_components",
              "number_weakly_connected_components", "is_weakly_connected", "isolates",
              "number_of_isolates"]


def sparse_store(seed, n, directed, labels):
    """A sparse random store of n vertices: many components, isolated vertices, self-loops."""
    rng = np.random.default_rng(seed)
    m = int(n * rng.uniform(0.4, 1.5))
    r, c = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = rng.random(n) < 0.9  # the others stay isolated
    r, c = r[keep[r] & keep[c]], c[keep[r] & keep[c]]
    names = list(range(n)) if labels == "rows" else [f"v{i}" for i in rng.permutation(n)]
    g = gs.GraphStore(directed, dtype=np.int64)
    g.add_vertices(names)
    if len(r):
        g.add_edges([names[i] for i in r.tolist()], [names[j] for j in c.tolist()],
                    rng.integers(1, 5, len(r)))
    return g, g.to_networkx(), names


@pytest.mark.parametrize("labels", ["rows", "strings"])
@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("seed", range(3))
def test_traversals_on_larger_sparse_stores(seed, directed, labels, search):
    """Past the small-store route: csgraph, the BFS levels, the bidirectional search."""
    g, G, names = sparse_store(seed, 300, directed, labels)
    rng = np.random.default_rng(seed)
    for name in TRAVERSALS:
        if (name in ("connected_components", "number_connected_components", "is_connected")
                and directed) or ("strongly" in name or "weakly" in name) and not directed:
            continue
        run_both(name, g, G, {})
    for u, v in rng.choice(names, (12, 2)).tolist():
        u, v = type(names[0])(u), type(names[0])(v)
        run_both("has_path", g, G, {"source": u, "target": v})
        run_both("shortest_path_length", g, G, {"source": u, "target": v})
        run_both("single_source_shortest_path_length", g, G, {"source": u})
        run_both("single_source_shortest_path_length", g, G, {"source": v, "cutoff": 3})
        run_both("shortest_path_length", g, G, {"target": v})
        run_both("single_source_dijkstra_path_length", g, G, {"source": u, "weight": "weight"})
        if not directed:
            run_both("node_connected_component", g, G, {"n": u})
    run_both("all_pairs_shortest_path_length", g, G, {"cutoff": 4})


def test_unweighted_bfs_keys_come_in_networkx_order(search):
    """BFS distances list their keys in BFS order, as networkx's dict (same neighbor order)."""
    g, G, names = sparse_store(5, 200, False, "rows")
    ours = nx.single_source_shortest_path_length(g, 0)
    ref = nx.single_source_shortest_path_length(G, 0)
    assert ours == ref
    # levels are contiguous in both; within a level networkx follows insertion order
    assert [ours[u] for u in ours] == sorted(ours.values())


@pytest.mark.parametrize("directed", [False, True])
def test_hits_lanczos_matches_networkx_on_larger_graphs(directed):
    g, G, _ = sparse_store(7, 400, directed, "strings")
    # HITS is defined when the top singular value is simple
    assert simple_top_singular_value(g)
    for kwargs in ({}, {"tol": 1e-10}):
        run_both("hits", g, G, kwargs, atol=1e-6)
    # unnormalized, the singular vectors' sign is ARPACK's (random) choice: compare up to it
    (h, a), (h0, a0) = nx.hits(g, normalized=False), nx.hits(G, normalized=False)
    ours, ref = np.array([*h.values(), *a.values()]), np.array([*h0.values(), *a0.values()])
    np.testing.assert_allclose(ours * np.sign(ours @ ref), ref, atol=1e-6)
    with pytest.raises(nx.PowerIterationFailedConvergence):
        nx.hits(g, max_iter=1, tol=1e-14)


def test_derived_data_follows_every_change(search):
    """Labels, transposes, lists and isolates are cached per version: a change renews them."""
    g = gs.GraphStore(directed=True)
    g.add_edges(["a", "b"], ["b", "c"])
    g.add_vertex("z")
    assert nx.has_path(g, "a", "c") and not nx.has_path(g, "c", "a")
    assert list(nx.isolates(g)) == ["z"]
    assert nx.shortest_path_length(g, target="c") == {"c": 0, "b": 1, "a": 2}
    g.add_edge("c", "z")
    g.add_edge("z", "a")
    assert nx.has_path(g, "c", "a") and list(nx.isolates(g)) == []
    assert nx.shortest_path_length(g, target="c") == {"c": 0, "b": 1, "a": 2, "z": 3}
    g.remove_vertex("b")
    assert not nx.has_path(g, "a", "c")
    assert nx.is_strongly_connected(g) is False
    assert sorted(map(sorted, nx.strongly_connected_components(g))) == [["a"], ["c"], ["z"]]


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.integers(0, 2**32 - 1))
def test_every_served_function_equals_networkx_hypothesis(seed):
    check_all(seed)


def test_the_parity_cases_cover_every_served_function():
    names = set()
    for seed in range(2):
        g, _, rng = random_store(seed, n=6, directed=bool(seed))
        names |= {name for name, _, _ in calls(g, rng)}
    assert names == set(_functions._SERVED)
    assert set(_graphstore_nx.FUNCTIONS) == set(_functions._SERVED)


@pytest.mark.parametrize("name", sorted(_functions._SERVED))
def test_served_functions_have_networkx_signatures(name):
    ours = inspect.signature(getattr(nx_backend.backend_interface, name))
    ref = inspect.signature(nx.utils.backends._registered_algorithms[name].orig_func)
    assert list(ours.parameters) == list(ref.parameters)
    assert [p.default for p in ours.parameters.values()] == \
        [p.default for p in ref.parameters.values()]


# ----------------------------------------------------------------------
# networkx's exceptions


def test_exceptions_match_networkx():
    g, G, _ = random_store(3, n=5, directed=False, weighted="float")
    cases = [
        ("to_scipy_sparse_array", {"nodelist": ["nope"]}),
        ("to_scipy_sparse_array", {"nodelist": []}),
        ("to_scipy_sparse_array", {"nodelist": [g.labels[0], g.labels[0]]}),
        ("to_numpy_array", {"nodelist": ["nope"]}),
        ("laplacian_matrix", {"nodelist": [g.labels[1]] * 2}),
        ("single_source_shortest_path_length", {"source": "nope"}),
        ("single_source_dijkstra_path_length", {"source": "nope"}),
        ("shortest_path_length", {"source": "nope", "target": g.labels[0]}),
        ("shortest_path_length", {"source": g.labels[0], "target": "nope"}),
        ("shortest_path_length", {"source": g.labels[0], "method": "astar"}),
        ("has_path", {"source": "nope", "target": g.labels[0]}),
        ("node_connected_component", {"n": "nope"}),
        ("floyd_warshall_numpy", {"nodelist": g.labels[:2]}),
        ("pagerank", {"personalization": {"nope": 1}}),
        ("pagerank", {"max_iter": 1, "tol": 1e-12}),
        ("katz_centrality_numpy", {"beta": {"nope": 1}}),
        ("hits", {"max_iter": 0}),
    ]
    for name, kwargs in cases:
        f = getattr(nx, name)
        with pytest.raises(Exception) as ref:
            materialize(f(G, **kwargs))
        with pytest.raises(ref.type) as ours:
            materialize(f(g, **kwargs))
        if isinstance(ref.value, nx.NetworkXException):
            assert str(ours.value) == str(ref.value), name


def test_empty_store_matches_networkx():
    g, G = gs.GraphStore(), nx.Graph()
    for name in ["pagerank", "hits", "degree_centrality", "number_of_isolates",
                 "number_connected_components", "katz_centrality_numpy"]:
        assert getattr(nx, name)(g) == getattr(nx, name)(G)
    for name in ["to_scipy_sparse_array", "is_connected", "eigenvector_centrality_numpy"]:
        with pytest.raises(nx.NetworkXException):
            getattr(nx, name)(G)
        with pytest.raises(nx.NetworkXException):
            getattr(nx, name)(g)


@pytest.mark.parametrize("method", ["tracemin_pcg", "tracemin_lu", "lanczos"])
def test_spectral_ordering_order_matches_networkx(method):
    # a path and a weighted cycle: Fiedler values without ties, so the order is defined
    rng = np.random.default_rng(5)
    G = nx.path_graph([f"p{i}" for i in rng.permutation(9).tolist()])
    # a cycle with distinct weights: no symmetry, so no two Fiedler values tie
    ring = ["c0", "c1", "c2", "c3", "c4"]
    G.add_weighted_edges_from((u, v, 1.0 + k) for k, (u, v) in
                              enumerate(zip(ring, ring[1:] + ring[:1], strict=True)))
    G.add_edge("c0", "c2", weight=0.5)
    G.add_nodes_from(["x", "y"])
    G.add_edge("x", "y")
    g = gs.GraphStore.from_networkx(G)
    before = nx_backend.native_calls()
    ours = nx.spectral_ordering(g, seed=1, method=method)
    assert nx_backend.native_calls() == before + 1
    ref = nx.spectral_ordering(G, seed=1, method=method)
    # each component is ordered by its Fiedler vector, whose sign is arbitrary (lanczos
    # starts ARPACK at random): a component's order may be read from either end
    for a, b in [(0, 9), (9, 14), (14, 16)]:
        assert ours[a:b] == ref[a:b] or ours[a:b] == ref[a:b][::-1], (a, ours, ref)


def test_disconnected_fiedler_and_algebraic_connectivity():
    g = gs.from_edges(["a", "c"], ["b", "d"])
    assert nx.algebraic_connectivity(g) == nx.algebraic_connectivity(g.to_networkx()) == 0.0
    with pytest.raises(nx.NetworkXError, match="not connected"):
        nx.fiedler_vector(g)


# ----------------------------------------------------------------------
# dispatch: from networkx graphs, declines, and the rest of networkx on a store


def random_nx_graph(seed, directed):
    rng = np.random.default_rng(seed)
    G = nx.gnp_random_graph(12, 0.3, seed=seed, directed=directed)
    for _, _, d in G.edges(data=True):
        d["weight"] = float(np.round(rng.uniform(0.1, 2.0), 2))
    G.add_edge(3, 3, weight=0.5)
    G.add_node("iso")
    return G


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("name, kwargs, tol", [
    ("pagerank", {}, {"atol": 13e-6}),
    ("hits", {}, {"atol": 1e-6}),
    ("laplacian_matrix", {}, {}),
    ("to_scipy_sparse_array", {"nodelist": [5, 1, "iso", 3]}, {}),
    ("to_numpy_array", {"weight": None}, {}),
    ("all_pairs_dijkstra_path_length", {}, {"rtol": 1e-12}),
    ("floyd_warshall_numpy", {}, {"rtol": 1e-12}),
    ("katz_centrality_numpy", {"weight": "weight"}, {"atol": 1e-9}),
])
def test_backend_keyword_converts_a_networkx_graph(directed, name, kwargs, tol):
    G = random_nx_graph(directed + 10, directed)
    ref = materialize(getattr(nx, name)(G, **kwargs))
    before = nx_backend.native_calls()
    ours = materialize(getattr(nx, name)(G, backend="graphstore", **kwargs))
    assert nx_backend.native_calls() == before + 1
    assert_same(ours, ref, **tol)


def test_convert_from_nx_keeps_integer_weights_and_the_requested_attribute():
    G = nx.DiGraph([("a", "b", {"w": 3}), ("b", "a", {"w": 4, "weight": 2.5})])
    g = nx_backend.convert_from_nx(G, edge_attrs={"w": 1})
    assert g.dtype == np.int64 and g.directed and g.labels == ["a", "b"]
    assert g.weight("b", "a", attr="w") == 4
    g = nx_backend.convert_from_nx(G, edge_attrs={"weight": 1})
    assert g.dtype == np.float64 and g.weight("a", "b") == 1.0  # missing reads as 1
    for bad in [nx.MultiGraph([(0, 1)]), nx.Graph([(0, 1, {"weight": "x"})]),
                nx.Graph([(0, 1, {"weight": float("nan")})])]:
        with pytest.raises(NotImplementedError):
            nx_backend.convert_from_nx(bad, edge_attrs={"weight": 1})


@pytest.mark.parametrize("seed", range(6))
def test_convert_to_nx_is_the_stores_own_networkx_graph(seed):
    g, _, _ = random_store(seed)
    G, H = nx_backend.convert_to_nx(g), g.to_networkx()
    assert type(G) is type(H) and list(G) == list(H)
    assert list(G.edges(data=True)) == list(H.edges(data=True))
    assert [list(G.adj[u]) for u in G] == [list(H.adj[u]) for u in H]  # adjacency order
    two = gs.GraphStore(edge_attrs=("weight", "cost"))
    two.add_edge("a", "b", weight=2.0, cost=3.0)
    assert list(nx_backend.convert_to_nx(two).edges(data=True)) == \
        [("a", "b", {"weight": 2.0, "cost": 3.0})]


def test_can_run_declines_what_graphstore_cannot_match():
    MG = nx.MultiGraph([(0, 1), (0, 1)])
    assert "multigraph" in nx_backend.can_run("pagerank", (MG,), {})
    with pytest.raises(NotImplementedError):
        nx.pagerank(MG, backend="graphstore")
    G = nx.path_graph(4)
    assert isinstance(nx_backend.can_run("single_source_dijkstra_path_length",
                                         (G, 0), {"weight": lambda u, v, d: 1}), str)
    assert isinstance(nx_backend.can_run("fiedler_vector", (G,), {"method": "lobpcg"}), str)
    assert isinstance(nx_backend.can_run("incidence_matrix", (G,), {}), str)
    assert isinstance(nx_backend.can_run("bethe_hessian_matrix", (G,), {}), str)
    assert isinstance(nx_backend.can_run("betweenness_centrality", (G,), {}), str)
    assert nx_backend.can_run("pagerank", (G,), {}) is True
    # networkx passes arguments positionally too: only G is a graph
    assert nx_backend.can_run("pagerank", (G, 0.85, None, 100), {"weight": None}) is True
    assert "multigraph" in nx_backend.can_run("pagerank", (MG, 0.85), {})
    assert "do not bind" in nx_backend.can_run("pagerank", (G,), {"alpah": 0.85})


class _SubGraph(nx.Graph):
    """A networkx graph of a subclass: can_run works its answers out every call."""


def _can_run_calls():
    """Calls of served and unserved functions whose answers can_run may remember by shape."""
    calls = []
    for G in [nx.path_graph(4), nx.path_graph(4, create_using=nx.DiGraph),
              _SubGraph(nx.path_graph(4))]:
        pr = (G, 0.85, None, 100, 1e-6, None)  # pagerank's arguments before weight
        calls += [
            ("is_connected", (G,), {}), ("connected_components", (G,), {}),
            ("has_path", (G, 0, 1), {}), ("has_path", (G,), {"source": 0, "target": 1}),
            ("has_path", (G,), {"source": 0}),  # target missing: does not bind
            ("pagerank", (G,), {}), ("pagerank", (G,), {"weight": 2.5}),
            ("pagerank", (G,), {"weight": "w"}), ("pagerank", (G,), {"weight": None}),
            ("pagerank", pr + (3,), {}), ("pagerank", pr + ("weight",), {}),
            ("pagerank", (G,), {"alpah": 0.85}),
            ("to_scipy_sparse_array", (G,), {"format": "xyz"}),
            ("to_scipy_sparse_array", (G,), {"format": "csr"}),
            ("incidence_matrix", (G,), {}), ("bethe_hessian_matrix", (G,), {}),
            ("betweenness_centrality", (G,), {}), ("shortest_path", (G, 0, 1), {}),
        ]
    return calls


@settings(max_examples=30, deadline=None)
@given(st.permutations(_can_run_calls()))
def test_can_run_by_shape_gives_the_answer_worked_out_from_the_arguments(calls):
    nx_backend._BY_SHAPE.clear()
    for _ in range(2):
        for name, args, kwargs in calls:
            assert nx_backend.can_run(name, args, kwargs) == \
                nx_backend._can_run(name, args, kwargs), (name, args[1:], kwargs)
    # kept: shapes of plain Graphs and DiGraphs; not kept: subclasses, calls that do not
    # bind, answers a check of argument values gives (to_scipy_sparse_array's format)
    kept = {key[:2] for key in nx_backend._BY_SHAPE}
    assert ("is_connected", nx.Graph) in kept and ("pagerank", nx.DiGraph) in kept
    assert ("betweenness_centrality", nx.Graph) in kept
    assert not any(cls is _SubGraph for _, cls in kept)
    assert ("to_scipy_sparse_array", nx.Graph) not in kept
    assert ("has_path", nx.Graph, 1, "source") not in nx_backend._BY_SHAPE


@pytest.mark.parametrize("cached", [False, True])
def test_should_run_fast_gives_the_answer_worked_out_from_the_arguments(cached):
    nx_backend.can_run("is_connected", (nx.path_graph(2),), {})  # networkx asks can_run first
    start = nx_backend.CONVERT_PAYS_FROM_N["laplacian_matrix"]
    for G in [nx.path_graph(start - 1), nx.path_graph(start),
              nx.path_graph(start, create_using=nx.DiGraph), _SubGraph(nx.path_graph(start))]:
        if cached:
            nx.adjacency_matrix(G, backend="graphstore")  # caches a conversion
        for name in sorted(_functions._SERVED):
            args = (G, 0, 1) if name in ("has_path", "shortest_path_length") else (G,)
            for kwargs in [{}, {"weight": None}] if name == "laplacian_matrix" else [{}]:
                assert nx_backend.should_run(name, args, kwargs) == \
                    nx_backend._should_run(name, args, kwargs), (name, len(G), kwargs)


def test_every_served_function_takes_one_graph_first():
    # should_run's fast decline reads the first argument as the call's only graph
    for name in _functions._SERVED:
        assert nx_backend._takes_one_graph(nx_backend._dispatchable(name)), name


def test_a_repeated_declined_call_works_nothing_out_again(monkeypatch):
    G = nx.path_graph(10)
    with nx.config(backend_priority=["graphstore"]):
        for f, args in [(nx.is_connected, ()), (nx.has_path, (0, 9)),
                        (nx.degree_centrality, ())]:
            ref = f(G, *args)  # the first call of each shape works its answers out
            looked_up = []
            monkeypatch.setattr(nx_backend, "_dispatchable",
                                lambda name: looked_up.append(name))
            before = nx_backend.native_calls()
            assert f(G, *args) == ref  # declined (networkx ran) from the remembered answers
            assert looked_up == [] and nx_backend.native_calls() == before
            monkeypatch.undo()
    assert not G.__networkx_cache__  # nothing converted


def test_should_run_asks_a_conversion_to_pay_for_itself():
    G = nx.path_graph(4)
    for name in ["degree_centrality", "pagerank", "laplacian_matrix", "has_path"]:
        args = (G, 0, 1) if name == "has_path" else (G,)
        assert isinstance(nx_backend.should_run(name, args, {}), str), name
    # a function networkx runs in one pass never pays for a conversion, at any size
    big = nx.path_graph(20_000)
    for name, args in [("degree_centrality", (big,)), ("has_path", (big, 0, 5)),
                       ("connected_components", (big,)), ("shortest_path_length", (big, 0, 5)),
                       ("single_source_shortest_path_length", (big, 0))]:
        assert isinstance(nx_backend.should_run(name, args, {}), str), name
    # one that pays from a size on: below it networkx runs, from it graphstore
    for name, start in nx_backend.CONVERT_PAYS_FROM_N.items():
        assert 1 <= start <= 10_000, name
    start = nx_backend.CONVERT_PAYS_FROM_N["laplacian_matrix"]
    assert isinstance(nx_backend.should_run("laplacian_matrix",
                                            (nx.path_graph(start - 1),), {}), str)
    assert nx_backend.should_run("laplacian_matrix", (nx.path_graph(start),), {}) is True
    # shortest_path_length costs what its form costs: all pairs, one source, one pair
    a = nx_backend._cost_name
    assert a("shortest_path_length", {"source": None, "target": None, "weight": None}) == \
        "all_pairs_shortest_path_length"
    assert a("shortest_path_length", {"source": 1, "target": None, "weight": "w"}) == \
        "single_source_dijkstra_path_length"
    assert a("shortest_path_length", {"source": 1, "target": 2, "weight": None}) == "has_path"
    g = gs.GraphStore.from_networkx(G)
    assert nx_backend.should_run("degree_centrality", (g,), {}) is True


def test_should_run_accepts_a_usable_cached_conversion():
    G = nx.path_graph(4)
    nx.number_connected_components(G, backend="graphstore")  # cached without weights
    assert nx_backend.should_run("degree_centrality", (G,), {}) is True
    # pagerank reads "weight": the unweighted conversion does not serve it
    assert isinstance(nx_backend.should_run("pagerank", (G,), {}), str)
    nx.pagerank(G, backend="graphstore")  # networkx caches the weighted conversion on G
    assert nx_backend.should_run("pagerank", (G,), {}) is True
    assert nx_backend.should_run("laplacian_matrix", (G,), {"weight": None}) is True
    assert isinstance(nx_backend.should_run("laplacian_matrix", (G,), {"weight": "w"}), str)
    G.add_edge(7, 8)  # networkx clears its cache on a change
    assert isinstance(nx_backend.should_run("pagerank", (G,), {}), str)
    assert isinstance(nx_backend.should_run("degree_centrality", (G,), {}), str)


def test_automatic_dispatch_by_backend_priority():
    G = random_nx_graph(5, True)
    ref, ref_degree = nx.pagerank(G), nx.degree_centrality(G)
    before = nx_backend.native_calls()
    with nx.config(backend_priority=["graphstore"]):
        assert nx.degree_centrality(G) == ref_degree  # never pays for a conversion: networkx
        assert nx_backend.native_calls() == before
        nx.adjacency_matrix(G, backend="graphstore")  # converts, and networkx caches it
        with pytest.warns(UserWarning, match="cache"):  # networkx's note on reusing it
            ours = nx.pagerank(G)
        with pytest.warns(UserWarning, match="cache"):
            assert nx.degree_centrality(G) == ref_degree
    assert nx_backend.native_calls() == before + 3
    assert_same(ours, ref, atol=13e-6)


def test_unserved_functions_run_networkx_on_a_copy_of_the_store():
    g, G, _ = random_store(11, n=9, directed=True, weighted="float")
    before = nx_backend.native_calls()
    assert nx.betweenness_centrality(g, weight="weight") == \
        nx.betweenness_centrality(G, weight="weight")
    assert nx.closeness_centrality(g) == nx.closeness_centrality(G)
    # served functions with arguments graphstore does not match also run networkx's code
    assert dict(nx.shortest_path_length(g, weight=lambda u, v, d: 2)) == \
        dict(nx.shortest_path_length(G, weight=lambda u, v, d: 2))
    assert nx_backend.native_calls() == before


def test_functions_that_mutate_their_input_are_refused_on_a_store():
    g = gs.from_edges(["a"], ["b"])
    assert "mutates" in nx_backend.can_run("relabel_nodes", (g, {"a": "z"}), {"copy": False})
    with pytest.raises(NotImplementedError):
        nx.set_edge_attributes(g, 5, "weight")
    assert g.weight("a", "b") == 1.0  # unchanged


def test_a_changed_store_is_never_served_a_stale_conversion():
    g = gs.from_edges(["a", "b"], ["b", "c"])
    assert nx.number_connected_components(g) == 1
    assert nx.betweenness_centrality(g)["b"] == 1.0
    g.add_edge("x", "y")
    assert nx.number_connected_components(g) == 2
    assert nx.betweenness_centrality(g) == nx.betweenness_centrality(g.to_networkx())
    assert nx.betweenness_centrality(g)["b"] == pytest.approx(1 / 6)  # one pair of 4 * 3 / 2


# ----------------------------------------------------------------------
# installation: the entry points networkx reads


def test_entry_points_are_installed():
    eps = importlib.metadata.entry_points(group="networkx.backends")
    ep = next(ep for ep in eps if ep.name == "graphstore")
    assert ep.load() is nx_backend.backend_interface
    info = importlib.metadata.entry_points(group="networkx.backend_info")
    assert next(ep for ep in info if ep.name == "graphstore").load() is _graphstore_nx.get_info
    assert "graphstore" in nx.utils.backends.backends
    assert nx.utils.backends.backend_info["graphstore"]["functions"].keys() == \
        _graphstore_nx.FUNCTIONS.keys()


def test_backend_info_does_not_import_graphstore():
    import subprocess
    import sys

    code = ("import sys, networkx, _graphstore_nx; _graphstore_nx.get_info(); "
            "print('graphstore' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("name", sorted(_functions._SERVED))
def test_fast_argument_binding_equals_inspect(name):
    sig = inspect.signature(nx.utils.backends._registered_algorithms[name].orig_func)
    required = [p.name for p in sig.parameters.values() if p.default is p.empty]
    args = tuple(f"<{p}>" for p in required)
    ref = nx_backend._bind(name, args, {}).arguments
    assert nx_backend._arguments(name, args, {}) == dict(ref)
    # the same with the last required one by keyword, and every default given by keyword
    if len(required) > 1:
        kw = {required[-1]: args[-1]}
        assert nx_backend._arguments(name, args[:-1], kw) == dict(ref)
    defaults = {p.name: p.default for p in sig.parameters.values() if p.default is not p.empty}
    assert nx_backend._arguments(name, args, defaults) == dict(ref)
    # mistakes still raise inspect's TypeError
    with pytest.raises(TypeError):
        nx_backend._arguments(name, args, {"no_such_argument": 1})
    with pytest.raises(TypeError):
        nx_backend._arguments(name, args + (None,) * (len(sig.parameters) + 1), {})
    if required:
        with pytest.raises(TypeError):
            nx_backend._arguments(name, args, {required[0]: 1})
