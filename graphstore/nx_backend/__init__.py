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
and a graph size where converting and running here was measured faster than
networkx's run: :data:`CONVERT_PAYS_FROM_N`), so automatic dispatch does not
make a call slower; ``backend="graphstore"`` always converts.

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


# networkx's dispatchable functions by name, as found (can_run and should_run
# run on every dispatched call, inner calls included, under backend_priority)
_FUNCS = {}


def _dispatchable(name):
    """networkx's dispatchable function `name`, or None. O(1)."""
    func = _FUNCS.get(name)
    if func is None:
        func = F._nx().utils.backends._registered_algorithms.get(name)
        if func is not None:  # only found ones are kept: tests register functions late
            _FUNCS[name] = func
    return func


def _takes_one_graph(func) -> bool:
    """Whether `func`'s only graph argument is G, its first parameter (most functions)."""
    graphs = func.graphs
    return len(graphs) == 1 and not func.list_graphs and graphs.get("G") == 0


def _nx_graph_first(name, args):
    """The networkx graph `args[0]` when it is the call's only graph, else None. O(1)."""
    if not args or getattr(args[0], "__networkx_backend__", None) != "networkx":
        return None
    func = _dispatchable(name)
    return args[0] if func is not None and _takes_one_graph(func) else None


def _graph_args(func, args, kwargs):
    """The graph arguments of a dispatchable call (lists of graphs flattened)."""
    if args and _takes_one_graph(func):
        return [args[0]]  # the common form: one graph, G, given first
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


@functools.lru_cache(maxsize=None)
def _plain_parameters(name):
    """(positional names, defaults) of `name` when every parameter is named, else None."""
    params = _signature(name).parameters.values()
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD, p.POSITIONAL_ONLY) for p in params):
        return None
    positional = tuple(p.name for p in params if p.kind == p.POSITIONAL_OR_KEYWORD)
    defaults = {p.name: p.default for p in params if p.default is not p.empty}
    return positional, defaults, frozenset(p.name for p in params)


def _arguments(name, args, kwargs) -> dict:
    """networkx's arguments of a call to `name`, defaults applied, as a dict.

    ``inspect.Signature.bind`` costs several microseconds a call; for the
    common case (named parameters, every one given or defaulted) a dict built
    directly is the same answer. Anything else (a missing or unknown argument,
    too many positional ones) goes through ``bind``, for its TypeError.
    """
    plain = _plain_parameters(name)
    if plain is not None:
        positional, defaults, names = plain
        if len(args) <= len(positional) and names.issuperset(kwargs):
            a = dict(defaults)
            a.update(zip(positional, args))
            if not kwargs or kwargs.keys().isdisjoint(positional[:len(args)]):
                a.update(kwargs)
                if len(a) == len(names):
                    return a
    return _bind(name, args, kwargs).arguments


def _bind(name, args, kwargs):
    bound = _signature(name).bind(*args, **kwargs)
    bound.apply_defaults()
    return bound


# should_run's cost model. From a networkx graph of n nodes, a call runs here only
# if converting the graph (convert_from_nx: one Python pass over G's adjacency,
# then a sort) plus graphstore's run costs less than networkx's own run. Both
# grow with n and m; their ratio, measured on random graphs of mean degree 10
# by `python -m benchmarks.w9_nx_dispatch calibrate`, crosses 1.1 at a size that
# depends on the function (conversion has a fixed cost of ~0.1 ms, so networkx
# wins on small graphs). CONVERT_PAYS_FROM_N[name] is that size: the smallest
# n of the measured grid (10, 30, 100, ..., 10^4) from which the converted call
# was at least 1.1x faster at every larger size. Functions absent from the table
# never pay: networkx runs them in about one Python pass over G (degrees,
# components, BFS, isolates), which is what the conversion alone costs, or
# stops early (has_path). A conversion networkx already cached on G costs
# nothing, so a call on such a graph always runs here.
CONVERT_PAYS_FROM_N = {
    "pagerank": 10,
    "hits": 30,
    "all_pairs_dijkstra_path_length": 30,
    "all_pairs_shortest_path_length": 100,
    "katz_centrality_numpy": 300,
    "floyd_warshall_numpy": 300,
    "normalized_laplacian_spectrum": 300,
    "adjacency_matrix": 1_000,
    "to_scipy_sparse_array": 1_000,
    "google_matrix": 1_000,
    "modularity_matrix": 1_000,
    "laplacian_spectrum": 1_000,
    "eigenvector_centrality_numpy": 1_000,
    "directed_laplacian_matrix": 1_000,
    "directed_combinatorial_laplacian_matrix": 1_000,
    "fiedler_vector": 1_000,
    "laplacian_matrix": 3_000,
    "normalized_laplacian_matrix": 3_000,
    "algebraic_connectivity": 3_000,
    "spectral_ordering": 3_000,
    "strongly_connected_components": 3_000,  # 1,000 measured; 3,000 as its number_ twin
    "number_strongly_connected_components": 3_000,
    "single_source_dijkstra_path_length": 10_000,
    # weakly connected components paid from 10^4 by calibrate's best-of-3, but beside a
    # warmed networkx run in W9 the converted call took 0.95-1.14x networkx's time at
    # 10^4: no margin, so they are declined at every size, as connected_components
}


def _cost_name(name, a):
    """The function whose cost `name` has with arguments `a` (shortest_path_length's forms)."""
    if name != "shortest_path_length":
        return name
    weighted = a.get("weight") is not None
    if a.get("source") is None and a.get("target") is None:
        return "all_pairs_dijkstra_path_length" if weighted else "all_pairs_shortest_path_length"
    if a.get("source") is None or a.get("target") is None:
        return ("single_source_dijkstra_path_length" if weighted
                else "single_source_shortest_path_length")
    return name if weighted else "has_path"


def _cache_key(name, a):
    """networkx's key of the conversion a call of `name` asks for (see _convert_arguments)."""
    func = _dispatchable(name)
    edge = False
    if name == "hits":  # its dispatch keeps the "weight" attribute, default 1
        edge = frozenset({("weight", 1)})
    elif isinstance(func.edge_attrs, str):
        w = a.get(func.edge_attrs)
        if w is not None and not callable(w):
            edge = frozenset({(w, 1)})
    return (edge, False)


def _may_hold_conversion(G) -> bool:
    """Whether networkx has cached any graphstore conversion of `G`. O(1)."""
    cache = getattr(G, "__networkx_cache__", None)
    return bool(cache) and bool(cache.get("backends", {}).get("graphstore"))


def _has_cached_conversion(G, name, a) -> bool:
    """Whether networkx holds a graphstore conversion of `G` this call can use. O(cache size)."""
    if not _may_hold_conversion(G):
        return False
    cache = G.__networkx_cache__
    try:
        from networkx.utils.backends import _get_from_cache

        _, rv = _get_from_cache(cache, _cache_key(name, a), backend_name="graphstore")
    except (ImportError, AttributeError, TypeError, ValueError):  # networkx's private API moved
        return True
    return rv is not None and not isinstance(rv, str)


def can_run(name, args, kwargs):
    """Whether graphstore runs `name` on these arguments (else a reason).

    On a store every function runs: served ones natively, the rest with
    networkx's code on ``g.to_networkx()`` (except functions that mutate
    their input). From a networkx graph, only served functions whose
    arguments graphstore matches exactly; multigraphs and the cases each
    function's check names are declined.

    Under ``backend_priority`` networkx asks this at every dispatchable call
    on its graphs, inner calls included, so the answer for a call of a shape
    seen before (see :func:`_remember`) is one dict lookup. O(1).
    """
    if args:
        cls = args[0].__class__
        if cls in _PLAIN_NX:
            # _remember's key, (name, cls, len(args), *kwargs), without the unpacking's
            # cost in the common case of no keywords
            known = _BY_SHAPE.get((name, cls, len(args), *kwargs) if kwargs
                                  else (name, cls, len(args)))
            if known is not None:
                if known.__class__ is not int:
                    return known
                # the one value the answer depends on: the weight, at this position
                return _weight_reason(kwargs["weight"] if known < 0 else args[known]) or True
        elif name in _SERVED and isinstance(args[0], GraphStore):
            return True  # the common case on a store: a served function
    if not _PLAIN_NX:
        nx = F._nx()
        _PLAIN_NX.update((nx.Graph, nx.DiGraph))
    answer = _can_run(name, args, kwargs)
    if args and args[0].__class__ in _PLAIN_NX:
        _remember(name, args, kwargs, answer)
    return answer


def _can_run(name, args, kwargs):
    """:func:`can_run`'s answer, worked out from the arguments."""
    if name in _SERVED and _nx_graph_first(name, args) is not None:
        # a served function on a networkx graph (checked by attribute: no graph scan)
        return _matched_from_nx(name, args, kwargs, args[:1])
    func = _dispatchable(name)
    if func is None:
        return f"{name!r} is not a networkx dispatchable function"
    if name not in _SERVED and not func.list_graphs and not any(
            isinstance(x, GraphStore) for x in (*args, *kwargs.values())):
        # networkx's inner calls under backend_priority, fast
        return f"graphstore does not serve {name!r}; networkx's code runs"
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
    return _matched_from_nx(name, args, kwargs, graphs)


# networkx's Graph and DiGraph (filled at the first call from networkx): graphs of these
# exact classes are never multigraphs (a subclass may say otherwise)
_PLAIN_NX = set()
# can_run's answers by call shape: (name, graph class, number of positional arguments,
# keyword names in order) -> the answer, or the position of the weight argument (-1: by
# keyword) when the answer depends on that value alone; see _remember
_BY_SHAPE = {}


def _remember(name, args, kwargs, answer):
    """Keep `answer` for calls of this shape if it depends on nothing else.

    True for calls whose only graph is the first argument, a networkx Graph or
    DiGraph: of a function graphstore does not serve (always declined), or of
    a served one whose arguments bind, which no check of argument values
    covers, except the weight (kept as its position, checked per call). Calls
    that do not bind are not kept (their shapes are unbounded). O(1) after the
    first call of a shape.
    """
    func = _dispatchable(name)
    if func is None or not _takes_one_graph(func):
        return
    key = (name, args[0].__class__, len(args), *kwargs)
    if name not in _SERVED or name in _DECLINED_FROM_NX:
        _BY_SHAPE[key] = answer
        return
    if name in _CHECKS or _plain_parameters(name) is None:
        return
    try:
        _arguments(name, args, kwargs)
    except TypeError:
        return
    positional = _plain_parameters(name)[0]
    if "weight" in kwargs:
        _BY_SHAPE[key] = -1
    elif "weight" in positional[:len(args)]:
        _BY_SHAPE[key] = positional.index("weight")
    else:
        _BY_SHAPE[key] = answer


def _weight_reason(w):
    """Why graphstore cannot read weight argument `w` (a store names attributes), or None."""
    if w is not None and not isinstance(w, str) and not callable(w):
        return f"weight={w!r}: a store names its edge attributes with strings"
    return None


# served functions graphstore never runs from a networkx graph, and why
_DECLINED_FROM_NX = {
    "incidence_matrix": "incidence columns follow G.edges() order, which a store does not keep",
    # it reads the "weight" attribute, but its dispatch declares no edge attribute,
    # so networkx would hand the backend an unweighted conversion
    "bethe_hessian_matrix": "networkx converts the graph for it without its weights",
}


def _matched_from_nx(name, args, kwargs, graphs):
    """True if graphstore matches served `name` on networkx `graphs` exactly, else why not."""
    nx = F._nx()
    for g in graphs:
        if not isinstance(g, nx.Graph):
            return f"cannot convert {type(g).__name__}"
        if g.is_multigraph():
            return "a store has no parallel edges (multigraph)"
    if name in _DECLINED_FROM_NX:
        return _DECLINED_FROM_NX[name]
    try:
        a = _arguments(name, args, kwargs)
    except TypeError as err:
        return f"arguments do not bind: {err}"
    check = _CHECKS.get(name)
    reason = _weight_reason(a.get("weight")) or (check(a) if check is not None else None)
    return reason or True


def should_run(name, args, kwargs):
    """Whether running `name` here is worth it: a conversion must pay for itself.

    Always on a store (nothing to convert), and for a networkx graph that
    already holds a graphstore conversion this call can use (networkx's
    cache). Otherwise only where :data:`CONVERT_PAYS_FROM_N` says the
    conversion plus graphstore's run beats networkx's own run at this graph's
    size. O(1); the arguments are bound only to look a cached conversion up
    and for ``shortest_path_length`` (its cost depends on its form), so a
    declined call costs networkx little more than its own run.
    """
    if args:
        G = args[0]
        if G.__class__ in _PLAIN_NX:
            if not G.__networkx_cache__:
                # the common case, fast: a served function (its only graph is G: every
                # served function's) on a networkx graph holding no conversion, networkx's
                # inner calls included; what _should_run answers, binding nothing
                if name in _NEVER_PAYS:
                    return _NEVER_PAYS[name]
                start = CONVERT_PAYS_FROM_N.get(name)
                if start is not None:
                    return True if len(G) >= start else _too_small(name)
        elif isinstance(G, GraphStore):
            return True
    return _should_run(name, args, kwargs)


def _should_run(name, args, kwargs):
    """:func:`should_run`'s answer, worked out from the arguments."""
    func = _dispatchable(name)
    graphs = _graph_args(func, args, kwargs) if func is not None else []
    if not graphs or any(isinstance(g, GraphStore) for g in graphs):
        return True
    a = None
    if all(_may_hold_conversion(g) for g in graphs):
        try:
            a = _arguments(name, args, kwargs)
        except TypeError as err:
            return f"arguments do not bind: {err}"
        if all(_has_cached_conversion(g, name, a) for g in graphs):
            return True
    cost = name
    if name == "shortest_path_length":
        try:
            cost = _cost_name(name, a if a is not None else _arguments(name, args, kwargs))
        except TypeError as err:
            return f"arguments do not bind: {err}"
    start = CONVERT_PAYS_FROM_N.get(cost)
    if start is not None and all(len(g) >= start for g in graphs):
        return True
    if start is None:
        return _never_pays(name)
    return _too_small(name)


def _too_small(name):
    return (f"converting the graph would cost more than networkx's own {name} at this size "
            "(no usable conversion cached on it)")


def _never_pays(name):
    return (f"converting the graph would cost more than networkx's own {name} at any size "
            "measured (no usable conversion cached on it)")


# served functions whose conversion never pays (shortest_path_length's cost depends on
# its form), with should_run's answer
_NEVER_PAYS = {name: _never_pays(name) for name in _SERVED
               if name not in CONVERT_PAYS_FROM_N and name != "shortest_path_length"}


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
        a = _arguments(name, args, kwargs)
        if check is not None and check(a) is not None:
            return _on_copy(name, args, kwargs)
        try:
            result = impl(**a)
        except NotImplementedError:
            # a case only visible in the data (negative weights): networkx's code
            testing = F._nx().utils.backends._dispatchable._is_testing
            if isinstance(a.get("G"), GraphStore) and not testing:
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
        # kept: networkx asks hasattr(backend, name) at every dispatchable call
        call = _generic(name)
        setattr(self, name, call)
        return call

    @staticmethod
    def on_start_tests(items):
        """networkx's test suite with this backend: xfail what cannot match; count native runs."""
        from ._testing import on_start_tests

        on_start_tests(items)



backend_interface = BackendInterface()
