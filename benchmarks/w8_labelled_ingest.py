"""W8 labelled ingest: an edge list with string labels, read to a merged store.

Case "file": m distinct undirected edges on n vertices labelled ``user<i>``,
one ``u v w`` line each, single spaces, no comments, written once to the
temporary directory (not the repository) by pyarrow's CSV writer. Rows:
graphstore ``gs.read_edgelist(path)`` then ``adjacency()``; networkx
``read_weighted_edgelist`` (up to m = 10^6); igraph ``Graph.Read_Ncol``
(undirected, weights); the floor: pyarrow ``read_csv`` + one
``dictionary_encode`` of both label columns + ``sp.csr_array`` of both
directions (issue 10: graphstore <= 1.5x the floor, >= 10x networkx).

Case "messy file": the same kind of edges with a ``#`` comment every 100
lines, tabs and runs of spaces between fields: graphstore's Python parser
beside networkx's (time only, no target).

Case "arrays": the labelled batch as numpy ``U`` arrays given to
``GraphStore.add_edges`` then ``adjacency()``, beside the floor's
factorization (pyarrow array + ``dictionary_encode``) + CSR (issue 10:
<= 1.5x).

Case "memory" (full only): a fresh interpreter reads the 10^7-edge file; the
figure is its peak resident memory over the one after imports, beside the
bound 2 x (final store) + (the file's column buffers), both measured in that
interpreter: the store as the anonymous memory still held after
``gc.collect()`` and ``malloc_trim``, the columns as the pyarrow table's
``nbytes`` (issue 10: peak <= bound).

Every row's answer is mapped to vertex ids by its labels (``user<i>`` -> i),
so systems with different vertex orders compare, and must equal the
symmetric CSR built by numpy/scipy from the generator's arrays.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import scipy.sparse as sp

from benchmarks.harness import ROOT, Case, Measured, Run
from benchmarks.inputs import SEED, exact, random_edges, symmetric_csr

NAME = "W8"
SYSTEMS = ("graphstore", "floor", "networkx", "igraph")
BASELINE = "floor"
NEEDS = {"floor": ("pyarrow",), "graphstore": ("pyarrow",)}
SIZES = {
    "tiny": [("file", 300, 1_500), ("messy file", 300, 1_500), ("arrays", 300, 1_500)],
    "quick": [("file", 10**4, 10**5), ("messy file", 10**4, 10**5), ("arrays", 10**4, 10**5)],
    "full": [("file", 10**5, 10**6), ("file", 10**6, 10**7), ("messy file", 10**5, 10**6),
             ("arrays", 10**5, 10**6), ("memory", 10**6, 10**7)],
}
NX_MAX_M = 10**6  # networkx reads up to this many edges (10^7 takes minutes and ~10 GB)
BIG_ROUNDS = (0, 3)  # rounds for the 10^7-edge case


def label(kind, n, m):
    return f"{kind} n={n:,} m={m:,}"


# ----------------------------------------------------------------------
# inputs


def edges(n, m):
    src, dst, _ = random_edges(n, m, SEED + 8)
    rng = np.random.default_rng(SEED + 80)
    w = rng.integers(1, 1000, m) / 1000  # short decimals, as real files have
    return src, dst, w


def names(n):
    return np.char.add("user", np.arange(n).astype(str))


def edge_file(kind, n, m):
    """The input file, written once per (kind, n, m) to the temporary directory."""
    name = f"graphstore-w8-{kind.replace(' ', '-')}-{n}-{m}.txt"
    path = os.path.join(tempfile.gettempdir(), name)
    if os.path.exists(path):
        return path
    import pyarrow as pa
    import pyarrow.csv as pcsv

    src, dst, w = edges(n, m)
    lab = pa.array(names(n).astype(object), type=pa.string())
    table = pa.table({"u": lab.take(pa.array(src)), "v": lab.take(pa.array(dst)), "w": pa.array(w)})
    tmp = path + f".{os.getpid()}.tmp"
    opts = pcsv.WriteOptions(include_header=False, delimiter=" ", quoting_style="none")
    if kind == "file":
        pcsv.write_csv(table, tmp, opts)
    else:  # comments, tabs and runs of spaces
        import io

        buf = io.BytesIO()
        pcsv.write_csv(table, buf, opts)
        lines = buf.getvalue().decode().splitlines()
        with open(tmp, "w") as f:
            for i, line in enumerate(lines):
                if i % 100 == 0:
                    f.write(f"# block {i // 100}\n")
                u, v, x = line.split(" ")
                f.write(f"{u}\t{v}  {x}\n" if i % 2 else f"  {u} {v}\t{x} # edge {i}\n")
    os.replace(tmp, path)
    return path


def by_id(A, labels, n):
    """A (rows in `labels` order) renumbered so row i is vertex ``user<i>``."""
    ids = np.fromiter((int(x[4:]) for x in labels), dtype=np.int64, count=len(labels))
    coo = sp.coo_array(A)
    return sp.csr_array((coo.data, (ids[coo.row], ids[coo.col])), shape=(n, n))


# ----------------------------------------------------------------------
# the systems


def floor_file(path):
    """pyarrow read_csv + one dictionary_encode of both label columns + csr_array."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    t = pcsv.read_csv(
        path,
        read_options=pcsv.ReadOptions(column_names=["u", "v", "w"]),
        parse_options=pcsv.ParseOptions(delimiter=" ", quote_char=False),
        convert_options=pcsv.ConvertOptions(
            column_types={"u": pa.string(), "v": pa.string(), "w": pa.float64()}),
    )
    return _floor_csr(t.column("u").chunks + t.column("v").chunks,
                      np.concatenate([c.to_numpy() for c in t.column("w").chunks]))


def floor_arrays(src, dst, w):
    """pyarrow array of both label arrays + dictionary_encode + csr_array."""
    import pyarrow as pa

    return _floor_csr([pa.array(src), pa.array(dst)], w)


def _floor_csr(chunks, w):
    import pyarrow as pa
    import pyarrow.compute as pc

    enc = pc.dictionary_encode(pa.chunked_array(chunks))
    codes = np.concatenate([c.indices.to_numpy() for c in enc.chunks])
    labels = enc.chunks[-1].dictionary
    k = len(labels)
    m = len(w)
    s, d = codes[:m], codes[m:]
    A = sp.csr_array((np.concatenate([w, w]), (np.concatenate([s, d]), np.concatenate([d, s]))),
                     shape=(k, k))
    return A, labels


def floor_answer(n):
    return lambda out: by_id(out[0], out[1].to_pylist(), n)


def gs_answer(n):
    return lambda out: by_id(out[0], out[1], n)


def gs_read(path):
    import graphstore as gs

    g = gs.read_edgelist(path)
    return g.adjacency(), g.labels


def nx_read(path):
    import networkx as nx

    return nx.read_weighted_edgelist(path)


def nx_answer(n):
    import networkx as nx

    return lambda G: by_id(nx.to_scipy_sparse_array(G), list(G), n)


def ig_read(path):
    import igraph as ig

    return ig.Graph.Read_Ncol(path, names=True, weights=True, directed=False)


def ig_answer(n):
    def answer(g):
        e = np.array(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        w = np.asarray(g.es["weight"], dtype=np.float64) if len(e) else np.zeros(0)
        k = g.vcount()
        r = np.concatenate([e[:, 0], e[:, 1]])
        c = np.concatenate([e[:, 1], e[:, 0]])
        A = sp.csr_array((np.concatenate([w, w]), (r, c)), shape=(k, k))
        return by_id(A, g.vs["name"], n)

    return answer


# ----------------------------------------------------------------------
# cases


def cases(size, systems):
    kind, n, m = size
    if kind == "memory":
        yield from _memory_case(n, m, systems)
        return
    src, dst, w = edges(n, m)
    ref = lambda: symmetric_csr(n, src, dst, w)  # noqa: E731
    big = m > NX_MAX_M
    rounds = BIG_ROUNDS if big else None
    runs = {}
    if kind in ("file", "messy file"):
        path = edge_file(kind, n, m)
        size_mb = os.path.getsize(path) / 1e6
        if "graphstore" in systems:
            runs["graphstore"] = Run(lambda: gs_read(path), answer=gs_answer(n), rounds=rounds,
                                     note="gs.read_edgelist + adjacency()"
                                     + (" (Python parser)" if kind != "file" else ""))
        if "floor" in systems and kind == "file":
            runs["floor"] = Run(lambda: floor_file(path), answer=floor_answer(n), rounds=rounds,
                                note="pyarrow read_csv + dictionary_encode + csr_array")
        if "networkx" in systems and not big:
            runs["networkx"] = Run(lambda: nx_read(path), answer=nx_answer(n), rounds=(0, 2),
                                   note="read_weighted_edgelist (graph only)")
        if "igraph" in systems and kind == "file":
            runs["igraph"] = Run(lambda: ig_read(path), answer=ig_answer(n), rounds=rounds,
                                 note="Graph.Read_Ncol (graph only)")
        skipped = {"networkx": f"m > {NX_MAX_M:,}"} if big and "networkx" in systems else {}
        yield Case(label(kind, n, m) + f" ({size_mb:.0f} MB)", runs, expect=ref, compare=exact,
                   units=m, unit="edge", x=m, group=kind, skipped=skipped)
        return
    # arrays
    lab = names(n)
    su, du = lab[src], lab[dst]
    if "graphstore" in systems:
        from graphstore import GraphStore

        def gs_arrays():
            g = GraphStore()
            g.add_edges(su, du, w)
            return g.adjacency(), g.labels

        runs["graphstore"] = Run(gs_arrays, answer=gs_answer(n),
                                 note="add_edges(U arrays) + adjacency()")
    if "floor" in systems:
        runs["floor"] = Run(lambda: floor_arrays(su, du, w), answer=floor_answer(n),
                            note="pa.array + dictionary_encode + csr_array")
    if "networkx" in systems:
        import networkx as nx

        def nx_arrays():
            G = nx.Graph()
            G.add_weighted_edges_from(zip(su.tolist(), du.tolist(), w.tolist(), strict=True))
            return G

        runs["networkx"] = Run(nx_arrays, answer=nx_answer(n), rounds=(0, 2),
                               note="add_weighted_edges_from (graph only)")
    if "igraph" in systems:
        import igraph as ig

        def ig_arrays():
            return ig.Graph.TupleList(zip(su.tolist(), du.tolist(), w.tolist(), strict=True),
                                      weights=True)

        runs["igraph"] = Run(ig_arrays, answer=ig_answer(n), rounds=(0, 2),
                             note="Graph.TupleList (graph only)")
    yield Case(label(kind, n, m), runs, expect=ref, compare=exact, units=m, unit="edge",
               x=m, group=kind)


# a fresh interpreter: peak and final resident memory around gs.read_edgelist; a
# thread samples the resident set every 5 ms (ru_maxrss would include import peaks)
_MEMORY_CHILD = r"""
import json, os, sys, threading
from benchmarks.inputs import anon_rss, trim
import numpy as np, scipy.sparse, pyarrow, pyarrow.csv, pyarrow.compute, graphstore as gs

page = os.sysconf("SC_PAGE_SIZE")
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * page
path = sys.argv[1]
trim()
base, base_anon = rss(), anon_rss()
top, done = [base], threading.Event()
def sample():
    while not done.wait(0.005):
        top[0] = max(top[0], rss())
t = threading.Thread(target=sample)
t.start()
g = gs.read_edgelist(path)
g.adjacency()
done.set()
t.join()
top[0] = max(top[0], rss())
trim()
store = anon_rss() - base_anon
t = pyarrow.csv.read_csv(path, read_options=pyarrow.csv.ReadOptions(autogenerate_column_names=True),
                         parse_options=pyarrow.csv.ParseOptions(delimiter=" ", quote_char=False),
                         convert_options=pyarrow.csv.ConvertOptions(column_types={
                             "f0": pyarrow.string(), "f1": pyarrow.string(),
                             "f2": pyarrow.float64()}))
print(json.dumps({"peak": top[0] - base, "store": store, "columns": t.nbytes,
                  "nbytes": g.nbytes, "n": g.num_vertices, "m": g.num_edges}))
"""


def _memory_case(n, m, systems):
    if "graphstore" not in systems:
        return
    path = edge_file("file", n, m)
    seen = {}

    def child():
        proc = subprocess.run([sys.executable, "-c", _MEMORY_CHILD, path], cwd=ROOT,
                              capture_output=True, text=True, check=True)
        seen.update(json.loads(proc.stdout))
        return seen

    def peak():
        out = child()
        return Measured(out=out, value=out["peak"])

    def bound():
        out = seen or child()
        return Measured(out=out, value=2 * out["store"] + out["columns"])

    runs = {
        "graphstore peak": Run(peak, system="graphstore", rounds=(0, 1),
                               note="peak RSS over the post-import baseline, fresh interpreter"),
        "bound": Run(bound, system="graphstore", rounds=(0, 1),
                     note="2 x final store (anonymous RSS) + pyarrow column buffers"),
    }

    def compare(expect, got):  # the child read every edge
        assert got["n"] == expect[0] and got["m"] == expect[1], (got, expect)

    yield Case(label("memory", n, m), runs, expect=(n, m), compare=compare, units=m,
               unit="edge", metric="bytes")


def targets(r):
    out = []
    for c in r.cases("file n="):
        out.append(r.ratio(f"W8 {c}: graphstore <= 1.5x the floor",
                           (c, "graphstore"), (c, "floor"), "<=", 1.5))
        if r.row(c, "networkx") is not None:
            out.append(r.ratio(f"W8 {c}: networkx >= 10x graphstore",
                               (c, "networkx"), (c, "graphstore"), ">=", 10))
    for c in r.cases("arrays"):
        out.append(r.ratio(f"W8 {c}: add_edges(U arrays) <= 1.5x the floor",
                           (c, "graphstore"), (c, "floor"), "<=", 1.5))
    for c in r.cases("memory"):
        out.append(r.ratio(f"W8 {c}: peak while reading <= 2 x store + columns",
                           (c, "graphstore peak"), (c, "bound"), "<=", 1.0))
    return out
