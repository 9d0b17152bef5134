"""graphstore: a growable sparse graph adjacency store on numpy and scipy.

Public names
------------
GraphStore           the store: vertices, weighted edges, queries, exports
from_networkx        networkx graph -> GraphStore (also GraphStore.from_networkx)
to_networkx          GraphStore -> networkx graph
from_scipy           scipy sparse square matrix -> GraphStore
from_edges           edge arrays -> GraphStore
save, load           versioned, checksummed .npz files, written atomically
StoreFormatError     ValueError raised by load for a broken or foreign file

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
  removes one. NaN and infinite values are rejected.
* Adding an existing edge updates it (networkx); an attribute not given keeps
  its value, and is 1 on a new edge (what networkx exporters read for a
  missing weight). Batches choose ``combine="last" | "sum" | "min" | "max"``
  for repeated pairs, within the batch and against stored edges.
* Labels are dict keys: ``1``, ``1.0``, ``True`` and ``np.int64(1)`` are the
  same vertex. Vertex ids are stable and never reused; ``compact()``
  renumbers.
"""

from ._store import GraphStore
from .convert import from_edges, from_networkx, from_scipy, to_networkx
from .io import StoreFormatError, load, save

__all__ = [
    "GraphStore",
    "StoreFormatError",
    "from_edges",
    "from_networkx",
    "from_scipy",
    "load",
    "save",
    "to_networkx",
]
__version__ = "0.1.0"
