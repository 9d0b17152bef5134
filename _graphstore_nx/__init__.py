"""networkx's ``backend_info`` entry point for graphstore.

networkx calls :func:`get_info` while it is imported, so this package is tiny
and must not import graphstore (nor numpy or scipy): the backend itself,
``graphstore.nx_backend``, loads only when a call is dispatched to it.
"""

__all__ = ["get_info", "FUNCTIONS"]

# Each function graphstore runs natively, with a line for networkx's docstring.
# graphstore.nx_backend serves exactly these (its tests check the two agree).
_MATRIX = "Built from the store's cached CSR; rows in ``nodelist`` order."
_ITER = "scipy.sparse.csgraph on the store's CSR, then networkx's output containers."
_EIG = "graphstore's sparse matrices, then networkx's eigensolver call on them."
FUNCTIONS = {
    # matrices
    "adjacency_matrix": _MATRIX,
    "to_scipy_sparse_array": _MATRIX,
    "to_numpy_array": _MATRIX,
    "laplacian_matrix": _MATRIX,
    "normalized_laplacian_matrix": _MATRIX,
    "directed_laplacian_matrix": _EIG,
    "directed_combinatorial_laplacian_matrix": _EIG,
    "incidence_matrix": "Columns in the store's edge order (row-major), as ``G.edges()``.",
    "modularity_matrix": _MATRIX,
    "directed_modularity_matrix": _MATRIX,
    "bethe_hessian_matrix": _MATRIX,
    # spectra
    "laplacian_spectrum": _EIG,
    "normalized_laplacian_spectrum": _EIG,
    "adjacency_spectrum": _EIG,
    "algebraic_connectivity": _EIG,
    "fiedler_vector": _EIG,
    "spectral_ordering": _EIG,
    # link analysis and centrality
    "pagerank": "Power iteration on the store's CSR (networkx's scipy formulation).",
    "google_matrix": _MATRIX,
    "hits": _EIG,
    "degree_centrality": "Degrees from the store's CSR in one pass.",
    "in_degree_centrality": "Degrees from the store's CSR in one pass.",
    "out_degree_centrality": "Degrees from the store's CSR in one pass.",
    "eigenvector_centrality_numpy": _EIG,
    "katz_centrality_numpy": _EIG,
    # components
    "connected_components": _ITER,
    "number_connected_components": _ITER,
    "is_connected": _ITER,
    "node_connected_component": _ITER,
    "strongly_connected_components": _ITER,
    "number_strongly_connected_components": _ITER,
    "is_strongly_connected": _ITER,
    "weakly_connected_components": _ITER,
    "number_weakly_connected_components": _ITER,
    "is_weakly_connected": _ITER,
    "isolates": "Degrees from the store's CSR in one pass.",
    "number_of_isolates": "Degrees from the store's CSR in one pass.",
    "is_isolate": "One row of the store's CSR.",
    # shortest paths
    "single_source_shortest_path_length": _ITER,
    "shortest_path_length": _ITER + " ``method='bellman-ford'`` runs networkx's code.",
    "all_pairs_shortest_path_length": _ITER,
    "single_source_dijkstra_path_length": _ITER,
    "all_pairs_dijkstra_path_length": _ITER,
    "has_path": _ITER,
    "floyd_warshall_numpy": "scipy.sparse.csgraph.floyd_warshall on the store's CSR.",
}


def get_info() -> dict:
    """What networkx shows about the graphstore backend (``nx.utils.backends.backend_info``).

    Examples
    --------
    >>> from _graphstore_nx import get_info
    >>> get_info()["backend_name"], "pagerank" in get_info()["functions"]
    ('graphstore', True)
    """
    return {
        "backend_name": "graphstore",
        "project": "graphstore",
        "package": "graphstore",
        "short_summary": "Growable sparse graph store on numpy/scipy; networkx calls run on its CSR.",
        "functions": {name: {"additional_docs": doc} for name, doc in FUNCTIONS.items()},
        "default_config": {},
    }
