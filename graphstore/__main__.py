"""The command line: ``graphstore`` (or ``python -m graphstore``).

Subcommands ``info``, ``convert``, ``plot`` and ``demo``; with no arguments
it runs the demo, the main job: a real weighted graph that ships with
networkx (the Les Misérables character co-occurrences) built one edge at a
time, its summary, per-vertex growth cost across capacity doublings, and a
figure of the graph written to the current directory.

Errors a person makes (a missing file, a malformed line, an unknown format,
a negative size, an unwritable output) print one line on stderr and exit
with status 2; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
import time

import numpy as np

EXAMPLES = {
    None: """examples:
  graphstore                              the demo: summary, growth, graphstore-demo.png
  graphstore info edges.txt.gz            summary of any readable graph file
  graphstore convert edges.csv graph.mtx  any format to any format
  graphstore plot graph.mtx -o graph.png  degree distribution, spy plot, Laplacian spectrum
  graphstore demo --growth 20000          the demo with a smaller growth run""",
    "info": """examples:
  graphstore info edges.txt               'u v [weight]' lines, '#' comments
  graphstore info edges.csv --directed    CSV with quoting and an optional header
  graphstore info matrix.mtx.gz           Matrix Market, symmetric = undirected
  graphstore info edges.dat --format edgelist --nodetype int""",
    "convert": """examples:
  graphstore convert edges.txt graph.mtx          labels kept in comment lines
  graphstore convert graph.mtx edges.csv.gz       compressed by suffix
  graphstore convert edges.tsv graph.npz          graphstore's own file
  graphstore convert graph.graphml edges.txt""",
    "plot": """examples:
  graphstore plot edges.txt -o edges.png
  graphstore plot graph.mtx --eigenvalues 30 -o spectrum.png""",
    "demo": """examples:
  graphstore demo                          the main job, plot in graphstore-demo.png
  graphstore demo --growth 0 --no-plot     the summary only
  graphstore demo --plot /tmp/lesmis.png""",
}
DEMO_PLOT = "graphstore-demo.png"


class UsageError(Exception):
    """A mistake on the command line: one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line (the usage is in --help)."""

    def error(self, message):
        raise UsageError(f"{message} (see '{self.prog} --help')")


# ----------------------------------------------------------------------
# progress


class Progress:
    """Progress bars (tqdm) on stderr, only when it is a terminal and not --quiet."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    @contextlib.contextmanager
    def step(self, desc: str, total: int | None = None):
        """A bar for a step, drawn once the step passes a second; yields ``update(n)``.

        With `total` (bytes), a bar of the bytes counted by ``update``; without,
        the seconds elapsed. A thread redraws it five times a second, so a step
        that reports nothing for a while (pyarrow parsing after it has read the
        file, an eigensolve) still shows that it is running.
        """
        done = [0]

        def update(n: int = 1) -> None:
            done[0] += n

        if not self.enabled:
            yield update
            return
        finished = threading.Event()
        start = time.perf_counter()

        def tick():
            if finished.wait(1.0):
                return
            from tqdm import tqdm

            if total:
                bar = tqdm(total=total, desc=desc, unit="B", unit_scale=True, leave=False,
                           file=sys.stderr)
                bar.start_t -= time.perf_counter() - start  # elapsed from the step's start
            else:
                bar = tqdm(total=None, bar_format="{desc}", leave=False, file=sys.stderr)
            while True:
                if total:
                    bar.n = min(max(done[0], 0), total)
                else:
                    bar.set_description_str(f"{desc}: {time.perf_counter() - start:.1f} s",
                                            refresh=False)
                bar.refresh()
                if finished.wait(0.2):
                    break
            bar.close()

        t = threading.Thread(target=tick, daemon=True)
        t.start()
        try:
            yield update
        finally:
            finished.set()
            t.join()


# ----------------------------------------------------------------------
# the library calls


def read_graph(path: str, args, progress: Progress):
    """Read any supported file with a byte-count bar; merged before it returns."""
    from .readers import read

    if not os.path.exists(path):
        raise FileNotFoundError(f"{path}: no such file or directory")
    kw = {}
    fmt = getattr(args, "format", None)
    text = _is_text(path, fmt)
    if text:
        kw["directed"] = args.directed
        if args.nodetype:
            kw["nodetype"] = {"int": int, "float": float, "str": str}[args.nodetype]
    elif args.directed or args.nodetype:
        raise UsageError(f"--directed and --nodetype apply to edge lists, not to {path}")
    size = os.path.getsize(path) if os.path.isfile(path) and text else None
    t0 = time.perf_counter()
    with progress.step(f"reading {os.path.basename(path)}", size) as update:
        if size and progress.enabled:
            kw["progress"] = update
        g = read(path, format=fmt, **kw)
    with progress.step("merging"):
        g.adjacency()
    return g, time.perf_counter() - t0


def _is_text(path: str, fmt) -> bool:
    """Whether `path` is read as an edge list (ValueError for an unknown format)."""
    from .readers import _format_of

    return _format_of(path, fmt) in ("edgelist", "csv", "tsv")


def summarize(g, name: str, seconds: float) -> str:
    """The summary ``info`` and ``demo`` print."""
    import scipy.sparse.csgraph as csgraph

    A = g.adjacency()
    deg = g.degree()
    wdeg = g.degree(weight="weight")
    n_comp, comp = csgraph.connected_components(A, directed=g.directed, connection="weak")
    sizes = np.bincount(comp) if len(comp) else np.zeros(0, int)
    m = g.num_edges
    lines = [
        f"graph            {name}",
        f"kind             {'directed' if g.directed else 'undirected'}, dtype {g.dtype}",
        f"vertices         {g.num_vertices}",
        f"edges            {m} ({A.nnz} stored entries)",
        f"capacity         {g.capacity} after {g.num_grows} doublings",
    ]
    if len(deg):
        lines += [
            f"degree           min {deg.min()}, mean {deg.mean():.2f}, max {deg.max()} "
            f"({g.labels[int(np.argmax(deg))]!r})",
            f"weighted degree  min {wdeg.min():g}, mean {wdeg.mean():.2f}, max {wdeg.max():g}",
            f"components       {n_comp} (largest {sizes.max()} vertices)",
        ]
    per_edge = g.nbytes / m if m else float("nan")
    lines += [
        f"memory           {g.nbytes} bytes in arrays, {per_edge:.1f} bytes per edge",
        f"built in         {seconds * 1e3:.2f} ms",
    ]
    return "\n".join(lines)


def smallest_laplacian_eigenvalues(g, k: int):
    """The k smallest eigenvalues of the normalized Laplacian I - D^-1/2 A D^-1/2.

    A directed store is read through its symmetric part (A + A^T) / 2. Dense
    ``eigvalsh`` up to 2,000 vertices (O(n^3)), else Lanczos (``eigsh``, relative
    tolerance 1e-3, at most 300 restarts) on 2I - L, whose largest eigenvalues are
    2 minus L's smallest.
    """
    import scipy.linalg as sla
    import scipy.sparse as sp
    import scipy.sparse.linalg as spla

    from .operators import laplacian

    A = g.adjacency().astype(np.float64)
    A = abs(A)  # the normalized Laplacian needs non-negative weights
    if g.directed:
        A = (A + A.T) / 2
    n = A.shape[0]
    if n == 0:
        return np.zeros(0), "none"
    L = sp.csr_array(laplacian(A, kind="sym"))
    k = min(k, n)
    if n <= 2000:
        return sla.eigvalsh(L.toarray(), subset_by_index=[0, k - 1]), "dense"
    if k >= n - 1:  # pragma: no cover -- eigsh needs k < n
        k = n - 2
    M = sp.identity(n, format="csr") * 2.0 - L
    # a figure needs three digits: tol 1e-3 (the spectrum's low end is often
    # clustered, and 1e-8 costs minutes at 10^5 vertices); if ARPACK stops
    # first, plot the eigenvalues that converged
    try:
        vals = spla.eigsh(M, k=k, which="LA", tol=1e-3, return_eigenvectors=False,
                          ncv=min(n, max(2 * k + 1, 40)), maxiter=300)
    except spla.ArpackNoConvergence as err:
        vals = err.eigenvalues
    return np.sort(2.0 - vals), "Lanczos, tol 1e-3"


def plot_graph(g, path: str, title: str, progress: Progress, k: int = 20) -> None:
    """A PNG with the degree distribution, a spy plot and the Laplacian's smallest eigenvalues."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with progress.step("eigensolve"):
        eigs, method = smallest_laplacian_eigenvalues(g, k)
    with progress.step("plotting"):
        A = g.adjacency()
        n = A.shape[0]
        fig, axes = plt.subplots(1, 3, figsize=(15, 4.8), layout="constrained")
        fig.suptitle(f"{title}: {g.num_vertices} vertices, {g.num_edges} edges, "
                     f"{'directed' if g.directed else 'undirected'}", fontweight="bold")
        ax = axes[0]
        deg = np.asarray(g.degree())
        if len(deg):
            values, counts = np.unique(deg, return_counts=True)
            pos = values > 0
            ax.loglog(values[pos], counts[pos], "o", markersize=4, color="C0")
            zeros = int(counts[~pos].sum())
            ax.set_title("degree distribution" + (f" ({zeros} isolated)" if zeros else ""))
        ax.set_xlabel("degree")
        ax.set_ylabel("vertices")
        ax.grid(True, which="both", alpha=0.3)
        ax = axes[1]
        if n and A.nnz:
            coo = A.tocoo()
            bins = min(n, 400)
            H, _, _ = np.histogram2d(coo.row, coo.col, bins=bins, range=[[0, n], [0, n]])
            shown = np.ma.masked_equal(H, 0)
            ax.imshow(shown, cmap="viridis", norm=matplotlib.colors.LogNorm(),
                      extent=(0, n, n, 0), interpolation="nearest", aspect="equal")
            ax.set_title("adjacency (spy), rows in g.labels order")
            if bins < n:
                ax.text(0.98, 0.02, f"{bins} x {bins} bins, log colour", transform=ax.transAxes,
                        ha="right", va="bottom", fontsize=9, color="white")
        else:
            ax.set_title("adjacency (empty)")
        ax.set_xlabel("column")
        ax.set_ylabel("row")
        ax = axes[2]
        if len(eigs):
            ax.plot(np.arange(1, len(eigs) + 1), eigs, "o-", markersize=4, color="C2")
        ax.set_title(f"normalized Laplacian, {len(eigs)} smallest eigenvalues")
        ax.text(0.98, 0.03, f"{method}" + (", of (A + A^T) / 2" if g.directed else ""),
                transform=ax.transAxes, ha="right", va="bottom", fontsize=9, color="0.4")
        ax.set_xlabel("index")
        ax.set_ylabel("eigenvalue")
        ax.grid(True, alpha=0.3)
        fig.savefig(path, dpi=80)
        plt.close(fig)


def les_miserables():
    """Edges of networkx's Les Misérables co-occurrence graph, in file order."""
    import networkx as nx

    G = nx.les_miserables_graph()
    return [(u, v, d["weight"]) for u, v, d in G.edges(data=True)]


def growth_demo(n: int, k: int = 5, seed: int = 0, out=sys.stdout) -> None:
    """Add `n` vertices one at a time, each with `k` edges to earlier ones; print each doubling."""
    from ._store import GraphStore

    rng = np.random.default_rng(seed)
    targets = (rng.random((n, k)) * np.arange(n)[:, None]).astype(np.int64).tolist()
    weights = rng.random((n, k)).round(3).tolist()
    g = GraphStore(capacity=1)
    print(f"\ngrowth: {n} vertices added one at a time, each with up to {k} edges", file=out)
    print(f"{'capacity':>10} {'vertices':>10} {'us/vertex':>10}", file=out)
    add_vertex, add_edge = g.add_vertex, g.add_edge
    grows = g.num_grows
    start, t0 = 0, time.perf_counter()
    t_all = t0
    for v in range(n):
        add_vertex(v)
        if v:
            for u, w in zip(targets[v], weights[v], strict=False):
                add_edge(v, u, weight=w)
        if g.num_grows != grows or v == n - 1:
            t1 = time.perf_counter()
            count = v + 1 - start
            if count >= 1024 or v == n - 1:
                print(f"{g.capacity:>10} {v + 1:>10} {(t1 - t0) / count * 1e6:>10.2f}", file=out)
            grows, start, t0 = g.num_grows, v + 1, t1
    t_build = time.perf_counter() - t_all
    t1 = time.perf_counter()
    A = g.adjacency()
    t_merge = time.perf_counter() - t1
    print(f"total {t_build:.2f} s for {n} vertices ({t_build / n * 1e6:.2f} us each); "
          f"first adjacency() merged {A.nnz} entries in {t_merge * 1e3:.1f} ms", file=out)


# ----------------------------------------------------------------------
# subcommands


def cmd_info(args, progress: Progress) -> int:
    g, seconds = read_graph(args.path, args, progress)
    print(summarize(g, args.path, seconds))
    return 0


def cmd_convert(args, progress: Progress) -> int:
    from .readers import write

    _check_output(args.output)
    g, _ = read_graph(args.input, args, progress)
    with progress.step(f"writing {os.path.basename(args.output)}"):
        write(g, args.output, format=args.to)
    if not args.quiet:
        print(f"wrote {args.output}: {g.num_vertices} vertices, {g.num_edges} edges")
    return 0


def cmd_plot(args, progress: Progress) -> int:
    out = args.output or os.path.splitext(os.path.basename(args.path.rstrip("/")))[0] + ".png"
    _check_output(out)
    g, _ = read_graph(args.path, args, progress)
    plot_graph(g, out, os.path.basename(args.path), progress, k=args.eigenvalues)
    if not args.quiet:
        print(f"wrote {out}")
    return 0


def cmd_demo(args, progress: Progress) -> int:
    from ._store import GraphStore

    if args.plot:
        _check_output(args.plot)
    edges = les_miserables()
    t0 = time.perf_counter()
    g = GraphStore(capacity=1)
    for u, v, w in edges:
        g.add_edge(u, v, weight=w)
    g.adjacency()
    seconds = time.perf_counter() - t0
    name = "Les Miserables co-occurrences (networkx)"
    print(summarize(g, name, seconds))
    if args.plot:
        plot_graph(g, args.plot, "Les Miserables co-occurrences", progress)
        print(f"\nplot             {os.path.abspath(args.plot)}")
    if args.growth:
        growth_demo(args.growth)
    return 0


def _check_output(path: str) -> None:
    """Fail before the work if `path` cannot be written."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"{path}: directory {directory} does not exist")
    if os.path.isdir(path):
        raise IsADirectoryError(f"{path}: is a directory, not a file name")
    if not os.access(directory, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise PermissionError(f"{path}: not writable")


def count(text: str) -> int:
    """A non-negative integer option."""
    try:
        k = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if k < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {k}")
    return k


def build_parser() -> Parser:
    from . import __version__

    common = Parser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="no progress bars or 'wrote' lines")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the traceback of an error")
    reading = Parser(add_help=False)
    reading.add_argument("--directed", action="store_true",
                         help="read an edge list as directed (other formats say it themselves)")
    reading.add_argument("--nodetype", choices=["int", "float", "str"],
                         help="convert edge-list labels (default: keep them as text)")
    reading.add_argument("--format", help="input format when the suffix does not say "
                         "(edgelist, csv, tsv, mtx, graphml, gml, npz, parquet)")
    fmt = argparse.RawDescriptionHelpFormatter
    parser = Parser(prog="graphstore", description=__doc__.split("\n\n")[1].replace("\n", " "),
                    epilog=EXAMPLES[None], formatter_class=fmt, parents=[common])
    parser.add_argument("--version", action="version", version=f"graphstore {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("info", help="summary of a graph file", epilog=EXAMPLES["info"],
                       formatter_class=fmt, parents=[common, reading])
    p.add_argument("path", help="a graph file (edge list, CSV/TSV, .mtx, .graphml, .gml, .npz)")
    p.set_defaults(func=cmd_info)
    p = sub.add_parser("convert", help="write a graph file in another format",
                       epilog=EXAMPLES["convert"], formatter_class=fmt, parents=[common, reading])
    p.add_argument("input")
    p.add_argument("output", help="its suffix picks the format (.gz, .bz2, .xz compress)")
    p.add_argument("--to", metavar="FORMAT", help="output format when the suffix does not say")
    p.set_defaults(func=cmd_convert)
    p = sub.add_parser("plot", help="degree distribution, spy plot, Laplacian spectrum (PNG)",
                       epilog=EXAMPLES["plot"], formatter_class=fmt, parents=[common, reading])
    p.add_argument("path")
    p.add_argument("-o", "--output", metavar="OUT.png",
                   help="default: the input's name with .png, in the current directory")
    p.add_argument("--eigenvalues", type=count, default=20, metavar="K",
                   help="how many of the smallest Laplacian eigenvalues (default 20)")
    p.set_defaults(func=cmd_plot)
    p = sub.add_parser("demo", help="the main job (also what no arguments run)",
                       epilog=EXAMPLES["demo"], formatter_class=fmt, parents=[common])
    p.add_argument("--growth", type=count, default=100_000, metavar="N",
                   help="vertices in the growth demonstration (0 skips it; default 100000)")
    p.add_argument("--plot", default=DEMO_PLOT, metavar="OUT.png",
                   help=f"where the figure goes (default ./{DEMO_PLOT})")
    p.add_argument("--no-plot", dest="plot", action="store_const", const=None,
                   help="write no figure")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in argv
    try:
        parser = build_parser()
        if not argv or argv[0].startswith("-") and not set(argv) & {
            "info", "convert", "plot", "demo", "-h", "--help", "--version"
        }:
            argv = ["demo", *argv]  # no subcommand: the demo, with the options given
        args = parser.parse_args(argv)
        args.quiet = getattr(args, "quiet", False)
        debug = getattr(args, "debug", False)
        progress = Progress(enabled=not args.quiet and sys.stderr.isatty())
        return args.func(args, progress)
    except UsageError as err:
        print(f"graphstore: error: {err}", file=sys.stderr)
        return 2
    except (OSError, ValueError, TypeError, KeyError, IndexError, MemoryError) as err:
        if debug:
            raise
        print(f"graphstore: error: {_one_line(err)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("graphstore: interrupted", file=sys.stderr)
        return 130


def _one_line(err: BaseException) -> str:
    if isinstance(err, OSError) and err.filename is not None and err.strerror:
        text = f"{err.filename}: {err.strerror}"
    elif isinstance(err, KeyError) and err.args:
        text = str(err.args[0])
    else:
        text = str(err) or type(err).__name__
    return " ".join(text.split())


if __name__ == "__main__":
    raise SystemExit(main())
