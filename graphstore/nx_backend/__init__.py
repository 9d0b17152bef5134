"""graphstore as a networkx backend: networkx functions run on a store's CSR.

networkx (3.4 and later) dispatches a call to the backend named by its graph's
``__networkx_backend__``; :class:`GraphStore` names ``"graphstore"``, and the
``networkx.backends`` entry point in ``pyproject.toml`` points here, to
:data:`backend_interface`. So, unchanged::

    nx.pagerank(g)                          # g a GraphStore: runs here, no copy
    nx.pagerank(G, backend="graphstore")    # G a networkx graph: converted once
    nx.config.backend_priority.algos = ["graphstore"]   # automatic for networkx graphs

Three kinds of call
-------------------
* A served function (``_graphstore_nx.FUNCTIONS``) whose arguments graphstore
  matches exactly: graphstore's code on the store's cached CSR, returning what
  networkx returns (Python scalars in dicts, generators of sets, scipy sparse
  arrays in ``nodelist`` order) and raising networkx's exceptions.
* A served function with arguments graphstore does not match (a weight
  function, negative weights for Dijkstra, ``method="lobpcg"``, ...): on a
  store, networkx's own code runs on ``g.to_networkx()``; for a networkx
  graph, :func:`can_run` declines with the reason and networkx runs.
* Any other networkx function called on a store: networkx's code on
  ``g.to_networkx()`` (what ``nx.config.fallback_to_nx = True`` would do,
  without the user setting it). Functions that mutate their input are
  declined: they would change a copy, not the store.

From a networkx graph, :func:`should_run` accepts only what pays for the
conversion (a conversion networkx already cached on the graph, or a function
whose networkx run grows faster than the graph), so automatic dispatch never
makes a call slower; ``backend="graphstore"`` always converts.

Inside, networkx's dispatchable functions are never called (they would
re-dispatch); networkx's code is reached through ``.orig_func``.
"""

from __future__ import annotations

import functools
import inspect

import numpy as np

from .._store import GraphStore
from . import _functions as F
from ._functions import _SERVED, _CHECKS, _native, native_calls

__all__ = ["backend_interface", "BackendInterface", "convert_from_nx", "convert_to_nx",
           "can_run", "should_run", "native_calls"]

# ----------------------------------------------------------------------
# conversion


def convert_from_nx(G, *, edge_attrs=None, node_attrs=None, preserve_edge_attrs=False,
                    preserve_node_attrs=False, preserve_graph_attrs=False, name=None,
                    graph_name=None):
    """A :class:`GraphStore` of networkx graph `G` holding the edge attribute a call reads.

    networkx passes `edge_attrs` as ``{attribute: default}``. The store
    keeps one numeric attribute (the first named; a missing value is its
    default, 1, as networkx reads it); node and graph attributes are not
    kept (no served function reads them). Integer weights give an int64
    store, others float64, as ``nx.to_scipy_sparse_array`` infers.

    Raises NotImplementedError (networkx then runs its own code) for a
    multigraph, non-numeric or non-finite weights, a request to keep every
    attribute, or an input that is not a networkx graph.

    Cost: O(n + m) Python-level reads of `G`'s adjacency, then one sort.

    Examples
    --------
    >>> G = nx.Graph([("a", "b", {"weight": 2})])
    >>> g = gs.nx_backend.convert_from_nx(G, edge_attrs={"weight": 1})
    >>> g.labels, g.adjacency().toarray().tolist(), g.dtype
    (['a', 'b'], [[0, 2], [2, 0]], dtype('int64'))
    """
    nx = F._nx()
    if not isinstance(G, nx.Graph):
        raise NotImplementedError(f"graphstore converts networkx graphs, not {type(G).__name__}")
    if G.is_multigraph():
        raise NotImplementedError("a store has no parallel edges; networkx runs multigraphs")
    if preserve_edge_attrs is True:
        raise NotImplementedError("graphstore keeps one numeric edge attribute, not all of them")
    attr, default = None, 1
    if edge_attrs:
        (attr, default), *rest = edge_attrs.items()
        if rest:
            raise NotImplementedError("graphstore keeps one edge attribute per conversion")
        if default is None:
            default = 1
    labels = list(G)
    index = {u: k for k, u in enumerate(labels)}
    directed = G.is_directed()
    src, dst, wts = [], [], []
    get = index.__getitem__
    for u, nbrs in G._adj.items():
        i = get(u)
        if directed:
            vs = list(map(get, nbrs))
            src.extend([i] * len(vs))
            dst.extend(vs)
            if attr is not None:
                wts.extend([d.get(attr, default) for d in nbrs.values()])
        else:
            # each undirected edge once, from its lower row
            pairs = [(j, d) for j, d in zip(map(get, nbrs), nbrs.values(), strict=True) if j >= i]
            src.extend([i] * len(pairs))
            dst.extend([j for j, _ in pairs])
            if attr is not None:
                wts.extend([d.get(attr, default) for _, d in pairs])
    if attr is None:
        w = np.ones(len(src), dtype=np.int64)
    else:
        try:
            w = np.asarray(wts) if wts else np.zeros(0, dtype=np.int64)
        except (ValueError, TypeError) as err:
            raise NotImplementedError(f"edge attribute {attr!r} is not numeric") from err
        if w.dtype.kind == "b" or w.dtype not in (np.int64, np.float64):
            raise NotImplementedError(
                f"edge attribute {attr!r} has dtype {w.dtype}; graphstore stores int64 or float64")
        if w.dtype.kind == "f" and not np.isfinite(w).all():
            raise NotImplementedError(f"edge attribute {attr!r} has NaN or infinite values")
    extra = () if attr in (None, "weight") else (attr,)
    g = GraphStore(directed, capacity=max(len(labels), 1), dtype=w.dtype,
                   edge_attrs=("weight",) + extra)
    g.add_vertices(labels)
    values = {"weight": w} if not extra else {"weight": np.ones_like(w), attr: w}
    g.add_edges(np.asarray(src, dtype=np.intp), np.asarray(dst, dtype=np.intp), by="id",
                **values)
    return g


def convert_to_nx(obj, *, name=None):
    """A store as a networkx graph (every attribute); anything else unchanged.

    Cost: ``g.to_networkx()``, O(n + m) Python objects; O(1) for anything else.

    Examples
    --------
    >>> g = gs.from_edges(["a"], ["b"], [2.0])
    >>> list(gs.nx_backend.convert_to_nx(g).edges(data=True))
    [('a', 'b', {'weight': 2.0})]
    >>> gs.nx_backend.convert_to_nx({"a": 1})
    {'a': 1}
    """
    if not isinstance(obj, GraphStore):
        return obj
    if obj.edge_attrs != ("weight",):
        return obj.to_networkx()
    # one attribute: networkx's own fast path, add_weighted_edges_from (what
    # nx.from_scipy_sparse_array uses), in g.edges() order: the same graph as
    # g.to_networkx(), node order and adjacency order included
    nx = F._nx()
    G = nx.DiGraph() if obj.directed else nx.Graph()
    labels = obj.labels
    G.add_nodes_from(labels)
    A = F._structure(obj).tocoo()
    r, c, w = A.row, A.col, A.data
    if not obj.directed:
        keep = r <= c
        r, c, w = r[keep], c[keep], w[keep]
    at = labels.__getitem__
    G.add_weighted_edges_from(zip(map(at, r.tolist()), map(at, c.tolist()), w.tolist(),
                                  strict=True))
    return G


# ----------------------------------------------------------------------
# dispatch: can_run, should_run, networkx's code on a copy


def _dispatchable(name):
    return F._nx().utils.backends._registered_algorithms.get(name)


def _graph_args(func, args, kwargs):
    """The graph arguments of a dispatchable call (lists of graphs flattened)."""
    out = []
    for gname, pos in func.graphs.items():
        g = args[pos] if pos < len(args) else kwargs.get(gname)
        if g is None:
            continue
        if gname in func.list_graphs:
            out.extend(g)
        else:
            out.append(g)
    return out


@functools.lru_cache(maxsize=None)
def _signature(name):
    return inspect.signature(_dispatchable(name).orig_func)


def _bind(name, args, kwargs):
    bound = _signature(name).bind(*args, **kwargs)
    bound.apply_defaults()
    return bound


# Functions whose networkx run grows faster than its input (n^3 solvers, all pairs,
# Python-level preprocessing): from a networkx graph of at least SUPERLINEAR_MIN_N
# nodes, graphstore's run pays for an uncached conversion. Everything else networkx
# runs in O(n + m) with a constant close to the conversion's own (a Python pass over
# G's adjacency), so an uncached conversion would make the call slower.
SUPERLINEAR = frozenset({
    "floyd_warshall_numpy", "all_pairs_shortest_path_length", "all_pairs_dijkstra_path_length",
    "algebraic_connectivity", "fiedler_vector", "spectral_ordering",
    "eigenvector_centrality_numpy", "katz_centrality_numpy",
    "directed_laplacian_matrix", "directed_combinatorial_laplacian_matrix",
})
SUPERLINEAR_MIN_N = 500


def can_run(name, args, kwargs):
    """Whether graphstore runs `name` on these arguments (else a reason).

    On a store every function runs: served ones natively, the rest with
    networkx's code on ``g.to_networkx()`` (except functions that mutate
    their input). From a networkx graph, only served functions whose
    arguments graphstore matches exactly; multigraphs and the cases each
    function's check names are declined.
    """
    nx = F._nx()
    func = _dispatchable(name)
    if func is None:
        return f"{name!r} is not a networkx dispatchable function"
    graphs = _graph_args(func, args, kwargs)
    on_store = any(isinstance(g, GraphStore) for g in graphs)
    if name not in _SERVED:
        if not on_store:
            return f"graphstore does not serve {name!r}; networkx's code runs"
        if func.mutates_input:
            return f"{name!r} mutates its input; on a copy the store would not change"
        return True
    if on_store:
        return True
    for g in graphs:
        if not isinstance(g, nx.Graph):
            return f"cannot convert {type(g).__name__}"
        if g.is_multigraph():
            return "a store has no parallel edges (multigraph)"
    if name == "incidence_matrix":
        return "incidence columns follow G.edges() order, which a store does not keep"
    if name == "bethe_hessian_matrix":
        # it reads the "weight" attribute, but its dispatch declares no edge attribute,
        # so networkx would hand the backend an unweighted conversion
        return "networkx converts the graph for it without its weights"
    try:
        bound = _bind(name, args, kwargs)
    except TypeError as err:
        return f"arguments do not bind: {err}"
    w = bound.arguments.get("weight")
    if w is not None and not isinstance(w, str) and not callable(w):
        return f"weight={w!r}: a store names its edge attributes with strings"
    check = _CHECKS.get(name)
    reason = check(bound.arguments) if check is not None else None
    return reason or True


def should_run(name, args, kwargs):
    """Whether running `name` here is worth it: a conversion must pay for itself.

    Always on a store (nothing to convert), and for a networkx graph that
    already holds a graphstore conversion in its ``__networkx_cache__``.
    Otherwise only the :data:`SUPERLINEAR` functions on graphs of at least
    :data:`SUPERLINEAR_MIN_N` nodes: for the rest, converting costs about
    as much as networkx's own run (W9 in benchmarks/ measures both). O(1).
    """
    func = _dispatchable(name)
    graphs = _graph_args(func, args, kwargs) if func is not None else []
    if any(isinstance(g, GraphStore) for g in graphs):
        return True
    cached = [getattr(g, "__networkx_cache__", None) for g in graphs]
    if graphs and all(c and c.get("backends", {}).get("graphstore") for c in cached):
        return True
    if name == "shortest_path_length" and graphs:
        a = _bind(name, args, kwargs).arguments
        if a["source"] is None and a["target"] is None:
            name = "all_pairs_shortest_path_length"  # the all-pairs form
    if name in SUPERLINEAR and all(len(g) >= SUPERLINEAR_MIN_N for g in graphs):
        return True
    return (f"converting the graph costs about as much as networkx's own {name} "
            "(no cached conversion on it)")


def _on_copy(name, args, kwargs):
    """networkx's own code for `name`, with every store argument as a networkx graph.

    Cost: ``g.to_networkx()`` (O(n + m) Python objects) plus networkx's run.
    """
    func = _dispatchable(name)
    args, kwargs = list(args), dict(kwargs)
    for gname, pos in func.graphs.items():
        convert = ([convert_to_nx(x) for x in (args[pos] if pos < len(args) else kwargs[gname])]
                   if gname in func.list_graphs else None)
        if pos < len(args):
            args[pos] = convert if convert is not None else convert_to_nx(args[pos])
        elif gname in kwargs:
            kwargs[gname] = convert if convert is not None else convert_to_nx(kwargs[gname])
    return func.orig_func(*args, **kwargs)


def _served(name):
    """The backend attribute for served `name`: bind networkx's signature, then run."""
    impl, check = _SERVED[name], _CHECKS.get(name)

    @functools.wraps(impl)
    def call(*args, **kwargs):
        bound = _bind(name, args, kwargs)
        a = bound.arguments
        if check is not None and check(a) is not None:
            return _on_copy(name, args, kwargs)
        try:
            result = impl(**a)
        except NotImplementedError:
            # a case only visible in the data (negative weights): networkx's code
            if isinstance(a.get("G"), GraphStore) and not F._nx().utils.backends._dispatchable._is_testing:
                return _on_copy(name, args, kwargs)
            raise
        _native[0] += 1
        return result

    return call


def _generic(name):
    """networkx's code on a copy, for a function graphstore does not serve."""

    def call(*args, **kwargs):
        return _on_copy(name, args, kwargs)

    call.__name__ = call.__qualname__ = name
    return call


class BackendInterface:
    """The object networkx's ``networkx.backends`` entry point loads.

    It has one attribute per served function (networkx's signature), the
    conversions, :func:`can_run` and :func:`should_run`, and, for any other
    dispatchable name, networkx's own code on a converted copy.
    """

    convert_from_nx = staticmethod(convert_from_nx)
    convert_to_nx = staticmethod(convert_to_nx)
    can_run = staticmethod(can_run)
    should_run = staticmethod(should_run)

    def __init__(self):
        for name in _SERVED:
            setattr(self, name, _served(name))

    def __getattr__(self, name):
        if name.startswith("_") or name.endswith("__new__") or _dispatchable(name) is None:
            raise AttributeError(name)
        return _generic(name)

    @staticmethod
    def on_start_tests(items):
        """networkx's test suite with this backend: xfail what cannot match; count native runs."""
        from ._testing import on_start_tests

        on_start_tests(items)



backend_interface = BackendInterface()
