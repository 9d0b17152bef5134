"""graphstore: a growable sparse graph adjacency store on numpy and scipy.

Public names
------------
GraphStore           the store: vertices, weighted edges, queries, exports
Snapshot             matrix, labels and version, taken under one lock (g.snapshot())
from_networkx        networkx graph -> GraphStore (also GraphStore.from_networkx)
to_networkx          GraphStore -> networkx graph
from_scipy           scipy sparse square matrix -> GraphStore
from_edges           edge arrays -> GraphStore
save, load           versioned, checksummed .npz files, written atomically
StoreFormatError     ValueError raised by load for a broken or foreign file
operators            the operator functions below, on any scipy sparse input:
laplacian            L = D - A, I - D^-1/2 A D^-1/2, I - D^-1 A
directed_laplacian   Chung's directed Laplacians (random, lazy, pagerank walks)
incidence            n x m incidence matrix (networkx's convention)
difference_operator  graph trend-filtering operators D(k)
diff                 np.diff of a sparse matrix, never densified
difference_matrix    np.diff(np.eye(L), n, axis) as a sparse band: x @ D == np.diff(x, n)
normalize            x / x.sum(axis), with normalize_vjp and normalize_jvp
transition_matrix    D^-1 A or A D^-1
pairwise             f over every pair of a and b (np.ix_ style)
norm                 scipy.sparse.linalg.norm for every ord it takes
write_parquet        a store as a partitioned, checksummed Parquet directory (read_parquet)
read, write          any graph file, by its suffix: edge lists, CSV/TSV, .mtx, GraphML,
                     GML, .npz, the Parquet layout (.gz/.bz2/.xz compressed too)
read_edgelist        'u v [weight]' lines, CSV/TSV; with write_edgelist
read_mtx, write_mtx  Matrix Market, labels kept in comment lines
read_graphml, read_gml, write_graphml, write_gml   through networkx (slow path)
from_pandas          DataFrame edge columns -> GraphStore (from_arrow: pyarrow Table)

Conventions
-----------
Every export has rows and columns in ``g.labels`` order: live vertices in
insertion order (networkx's node order after the same operations)::

        directed                       undirected
    a --2--> b                      a --2-- b,  b --1-- b (self-loop)

         a  b                            a  b
    a [[ 0, 2 ],                    a [[ 0, 2 ],
    b  [ 0, 0 ]]                    b  [ 2, 1 ]]

* ``A[i, j]`` is the edge from row i to row j; an undirected edge is stored
  at ``A[i, j]`` and ``A[j, i]``, a self-loop once on the diagonal
  (networkx's ``to_scipy_sparse_array``).
* An undirected edge counts once in ``num_edges``; ``degree`` counts a
  self-loop twice, as networkx does.
* A stored weight of 0 is an edge, stored explicitly; only ``remove_edge``
  removes one. NaN and infinite values are rejected (ValueError); values, and
  ``combine="sum"`` totals, outside the dtype's range raise OverflowError.
* Adding an existing edge updates it (networkx); an attribute not given keeps
  its value, and is 1 on a new edge (what networkx exporters read for a
  missing weight). Batches choose ``combine="last" | "sum" | "min" | "max"``
  for repeated pairs, within the batch and against stored edges.
* Labels are dict keys: ``1``, ``1.0``, ``True`` and ``np.int64(1)`` are the
  same vertex; a label must equal itself (NaN is refused). Vertex ids are
  stable and never reused; ``compact()`` renumbers.
* The store's read and operator methods choose an edge attribute with
  ``weight=`` (a name; None: every edge counts 1), as networkx does;
  functions on a bare matrix take ``weighted=True`` (its values) or False
  (its pattern). Write methods take ``weight=`` as the value written.
* Point operations (``has_edge``, ``weight``, ``neighbors``, ``degree(u)``,
  ``add_edge``, ``remove_edge``, ...) never assemble the whole matrix;
  whole-graph reads (``adjacency``, ``snapshot``, ``edges``, exports,
  operators) merge pending writes first. Exports are new scipy objects over
  read-only arrays: nothing a caller does to one changes the store.
* Operators (``graphstore.operators``): Laplacians use the out-degree (row
  sums, networkx) unless ``degree="in"`` (column sums, scipy's csgraph); a
  self-loop adds its weight once to the degree; zero-degree vertices give
  zero rows, never NaN. Edge order is ``g.edges()`` order: row-major, upper
  triangle for undirected stores. The incidence column of edge (u, v) is -1
  at u and +1 at v (networkx), D(1) is its transpose, and ``diff`` takes
  ``x[i + 1] - x[i]`` as ``np.diff`` does.
"""

from ._store import GraphStore, Snapshot, load, save, to_networkx
from .io import StoreFormatError
from .parquet import read_parquet, write_parquet
from .operators import (
    diff,
    difference_matrix,
    difference_operator,
    directed_laplacian,
    incidence,
    laplacian,
    norm,
    normalize,
    normalize_jvp,
    normalize_vjp,
    pairwise,
    transition_matrix,
)
from .readers import (
    from_arrow,
    from_pandas,
    read,
    read_edgelist,
    read_gml,
    read_graphml,
    read_mtx,
    write,
    write_edgelist,
    write_gml,
    write_graphml,
    write_mtx,
)

# the converters that build a store are its classmethods
from_edges = GraphStore.from_edges
from_networkx = GraphStore.from_networkx
from_scipy = GraphStore.from_scipy

__all__ = [
    "GraphStore",
    "Snapshot",
    "StoreFormatError",
    "diff",
    "difference_matrix",
    "difference_operator",
    "directed_laplacian",
    "from_edges",
    "from_networkx",
    "from_scipy",
    "incidence",
    "laplacian",
    "norm",
    "load",
    "normalize",
    "normalize_jvp",
    "normalize_vjp",
    "pairwise",
    "read_parquet",
    "save",
    "to_networkx",
    "transition_matrix",
    "write_parquet",
    "from_arrow",
    "from_pandas",
    "read",
    "read_edgelist",
    "read_gml",
    "read_graphml",
    "read_mtx",
    "write",
    "write_edgelist",
    "write_gml",
    "write_graphml",
    "write_mtx",
]
__version__ = "0.1.0"
