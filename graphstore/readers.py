"""Files in and out: edge lists, CSV/TSV, Matrix Market, GraphML, GML, one read/write.

Every reader returns a :class:`GraphStore` built through its public batch
API: labels are factorized once (:mod:`graphstore._factorize`), then
``add_vertices(uniques)`` and ``add_edges(src_ids, dst_ids, w, by="id")``.
The store merges the batch at its first read (``adjacency()``, ...).

Formats, chosen by :func:`read` / :func:`write` from the file name (a
``.gz``, ``.bz2`` or ``.xz`` suffix compresses any text format):

================================  ==========================================
``.txt .edges .edgelist .el``     edge list, ``u v [weight]``, networkx's format
``.csv`` / ``.tsv``               edge list, comma / tab separated, CSV quoting
``.mtx``                          Matrix Market (``scipy.io``), labels in comments
``.graphml`` / ``.gml``           through networkx (the slow path)
``.npz``                          graphstore's own file (:func:`graphstore.save`)
directory with ``_manifest.json``  the Parquet layout (``graphstore.parquet``)
================================  ==========================================

pyarrow (CSV parsing, hashing) is imported inside the functions that use it,
so ``import graphstore`` stays light.
"""

from __future__ import annotations

import bz2
import contextlib
import csv
import gzip
import io
import json
import lzma
import os
import re
import shutil
import tempfile
from pathlib import Path

import numpy as np

from ._factorize import arrow_numpy, factorize, factorize_pairs
from ._store import GraphStore

__all__ = [
    "read",
    "write",
    "read_edgelist",
    "write_edgelist",
    "read_mtx",
    "write_mtx",
    "read_graphml",
    "write_graphml",
    "read_gml",
    "write_gml",
    "from_pandas",
    "from_arrow",
    "FORMATS",
]

_COMPRESSION = {".gz": gzip, ".bz2": bz2, ".xz": lzma}
#: file-name suffix -> format name understood by :func:`read` and :func:`write`
FORMATS = {
    ".txt": "edgelist", ".edges": "edgelist", ".edgelist": "edgelist", ".el": "edgelist",
    ".csv": "csv", ".tsv": "tsv", ".mtx": "mtx", ".graphml": "graphml", ".gml": "gml",
    ".npz": "npz", ".parquet": "parquet",
}
_COMBINE = ("last", "sum", "min", "max")
_LABELS_TAG = "graphstore-labels"  # Matrix Market comment lines that carry labels
_LABELS_PER_LINE = 1000
_WHITESPACE = re.compile(r"\s")


# ----------------------------------------------------------------------
# edge lists


def read_edgelist(path, *, comments: str | None = "#", delimiter: str | None = None,
                  directed: bool = False, nodetype=None, weight=True, combine: str = "last",
                  encoding: str = "utf-8", header: bool | None = None, dtype=np.float64,
                  progress=None) -> GraphStore:
    """Read an edge list: one edge ``u v [weight]`` a line, networkx's format.

    Parameters
    ----------
    path : str or path-like
        A ``.gz``, ``.bz2`` or ``.xz`` suffix is decompressed.
    comments : str or None, default "#"
        Text from this marker to the end of the line is ignored (in CSV/TSV
        files, a line that starts with it). None: no comments.
    delimiter : str or None
        None: any run of whitespace (``str.split()``), or ``","`` / tab for a
        ``.csv`` / ``.tsv`` name. A comma or a tab reads the file as CSV does:
        quoted fields, and a header line (see `header`). Any other delimiter
        splits as ``line.split(delimiter)`` does.
    directed : bool, default False
    nodetype : callable, optional
        Applied to each label (``int``, ``float``, ...). None keeps labels as
        strings, so ``"01"`` and ``"1"`` are two vertices; with ``int`` they
        are one. It is called once per distinct label.
    weight : bool, default True
        Read the third field as the weight; a line of two fields is an edge
        of weight 1 (or, if it repeats an edge, keeps its weight). False (or
        None): ignore every field after the second. networkx splits this
        choice over two functions (``read_weighted_edgelist`` and
        ``read_edgelist(data=False)``); the store holds one number an edge,
        so one flag says whether the file gives it. An attribute name (as
        the store's ``weight="weight"``) is a TypeError, not a true value.
    combine : {"last", "sum", "min", "max"}
        How a repeated edge combines; "last" is networkx's rule.
    encoding : str, default "utf-8"
    header : bool or None
        Whether the first line of a CSV/TSV file is a header. None: it is one
        when its third field is not a number. Edge lists have none.
    dtype : numpy dtype, default float64
        The store's weight dtype.
    progress : callable, optional
        Called with the number of (compressed) bytes read since its last call,
        as reading goes (``tqdm.update`` fits); with a negative number if the
        reader starts over (the Python parser after the fast one declined).

    Returns
    -------
    GraphStore
        Vertices in first-appearance order (``u`` before ``v``, line by
        line), as networkx gives them; edges pending until the first read.

    Raises
    ------
    ValueError
        For a malformed line: ``"edges.txt:4: weight 'x' is not a number: 'a b x'"``,
        naming the file, the line number and the line. Nothing is returned.
    OSError
        For a file that cannot be opened.

    Notes
    -----
    A file of one delimiter between fields, no comments and no quotes is
    parsed by pyarrow's multithreaded CSV reader and its labels hashed in
    C++: O(file size) with a small constant. Anything else (comments, runs of
    mixed whitespace, malformed lines) goes through a Python parser, about
    1 us a line, which is also the one that words the errors. networkx's
    dict-literal data column (``u v {'weight': 3}``) is not read: the store
    holds numbers. Lines are split at ``\\n``, ``\\r\\n`` or ``\\r``.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "g.txt")
    >>> with open(path, "w") as f:
    ...     _ = f.write("# a comment\\nx y 2.5\\ny z\\n")
    >>> g = gs.read_edgelist(path)
    >>> g.labels
    ['x', 'y', 'z']
    >>> g.adjacency().toarray()
    array([[0. , 2.5, 0. ],
           [2.5, 0. , 1. ],
           [0. , 1. , 0. ]])
    """
    if combine not in _COMBINE:
        raise ValueError(f"combine={combine!r} is not one of {', '.join(map(repr, _COMBINE))}")
    weight = _check_flag("weight", weight)
    path = os.fspath(path)
    open(path, "rb").close()  # Python's own error for a missing or unreadable file
    mode = _text_mode(path, delimiter)
    delim = delimiter if delimiter is not None else {"csv": ",", "tsv": "\t"}.get(mode)
    csv_mode = delim in (",", "\t")
    if csv_mode and header is None:
        header = _sniff_header(path, delim, comments, encoding)
    parsed = None
    tally = None if progress is None else _Tally(progress)
    if _fast_ok(delim, encoding):
        parsed = _read_fast(path, delim, csv_mode, bool(header), comments, weight, nodetype,
                            tally)
    if parsed is None:
        if tally is not None:
            tally.rewind()
        parsed = _read_slow(path, delim, csv_mode, bool(header), comments, weight, nodetype,
                            encoding, tally)
    uniques, runs = parsed
    g = GraphStore(directed=directed, capacity=max(len(uniques), 1), dtype=dtype)
    g.add_vertices(uniques)
    for s, d, w in runs:
        g.add_edges(s, d, w, combine=combine, by="id")
    return g


def write_edgelist(g: GraphStore, path, *, delimiter: str = " ", weight: bool = True,
                   progress=None) -> None:
    """Write `g` as an edge list, ``u v weight`` a line, in ``g.edges()`` order.

    Parameters
    ----------
    g : GraphStore
    path : str or path-like
        A ``.gz``, ``.bz2`` or ``.xz`` suffix compresses; a ``.csv`` / ``.tsv``
        name with the default delimiter writes commas / tabs.
    delimiter : str, default " "
    weight : bool, default True
        Write the weight as a third field (Python's shortest repr, so reading
        it back gives the same float). False (or None): ``u v`` lines.
    progress : callable, optional
        Called with the number of edges written.

    Raises
    ------
    ValueError
        If a label, written with ``str()``, contains the delimiter (or, for a
        space, any whitespace), a line break or the comment marker ``#``, or
        is empty; CSV/TSV files quote such labels instead. Nothing is written.

    Notes
    -----
    O(nnz + k) for k vertices: the edge arrays come from one ``adjacency()``
    (the upper triangle for an undirected store) and pyarrow's CSV writer
    formats them. The file is written to a temporary name and renamed, so a
    failure leaves no partial file.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "g.txt")
    >>> g = gs.from_edges(["a", "b"], ["b", "c"], [0.5, 2.0])
    >>> gs.write_edgelist(g, path)
    >>> with open(path) as f:
    ...     print(f.read())
    a b 0.5
    b c 2
    <BLANKLINE>
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    weight = _check_flag("weight", weight)
    path = os.fspath(path)
    mode = _text_mode(path, None)
    if delimiter == " " and mode in ("csv", "tsv"):
        delimiter = "," if mode == "csv" else "\t"
    csv_mode = delimiter in (",", "\t")
    rows, cols, vals = _edge_arrays(g)
    names = [str(x) for x in g.labels]
    if not csv_mode:
        _check_writable_labels(names, g.labels, delimiter)
    label_arr = pa.array(names, type=pa.string())
    columns = {"u": label_arr.take(pa.array(rows)), "v": label_arr.take(pa.array(cols))}
    if weight:
        columns["w"] = pa.array(vals)
    table = pa.table(columns)
    opts = pcsv.WriteOptions(include_header=False, delimiter=delimiter,
                             quoting_style="needed" if csv_mode else "none")
    with _atomic_output(path) as f:
        pcsv.write_csv(table, f, opts)
    if progress is not None:
        progress(len(rows))


def _check_flag(name: str, value) -> bool:
    """A bool flag (None reads as False); anything else is a TypeError naming it."""
    if value is None:
        return False
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"{name}={value!r} must be True or False (whether the file has a weight "
                    "column); the store's weights are always its 'weight' attribute")


def _edge_arrays(g: GraphStore):
    """Rows, columns and weights of every edge in ``g.edges()`` order: row-major, upper triangle."""
    A = g.adjacency(format="coo")
    r, c, v = A.row, A.col, A.data
    if not g.directed:
        keep = r <= c
        r, c, v = r[keep], c[keep], v[keep]
    order = np.lexsort((c, r))
    return r[order], c[order], v[order]


def _check_writable_labels(names, labels, delimiter) -> None:
    """Each label must come back as itself from ``line.split(delimiter)``."""
    for text, lab in zip(names, labels, strict=True):
        if delimiter == " ":
            ok = text.split() == [text]  # no whitespace of any kind, not empty
        else:
            ok = bool(text) and delimiter not in text and "\n" not in text and "\r" not in text
        if not ok or "#" in text:
            what = "whitespace" if delimiter == " " else f"the delimiter {delimiter!r}"
            raise ValueError(
                f"label {lab!r} cannot be written to an edge list: it is empty or contains "
                f"{what}, a line break or '#'; write a .csv file, which quotes labels"
            )


def _text_mode(path: str, delimiter) -> str:
    """'csv', 'tsv' or 'edgelist', from the name (compression suffix dropped)."""
    base, ext = _split_ext(path)
    return {".csv": "csv", ".tsv": "tsv"}.get(ext, "edgelist")


def _split_ext(path: str):
    """(compression suffix or '', format suffix), lower case."""
    p = Path(path)
    suffixes = [s.lower() for s in p.suffixes]
    comp = suffixes[-1] if suffixes and suffixes[-1] in _COMPRESSION else ""
    rest = suffixes[:-1] if comp else suffixes
    return comp, (rest[-1] if rest else "")


def _open_binary(path: str, progress=None):
    """The file, decompressed by its suffix; `progress` counts the raw bytes read."""
    raw = open(path, "rb")  # noqa: SIM115 -- closed by the returned reader
    if progress is not None:
        raw = _CountingReader(raw, progress)
    comp, _ = _split_ext(path)
    if comp:
        # the decompressor does not close a file object it was given; _Reader does
        return io.BufferedReader(_Reader(_COMPRESSION[comp].open(raw, "rb"), raw))
    return raw


class _Tally:
    """Forwards byte counts to `progress` and can take them back."""

    def __init__(self, progress):
        self._progress = progress
        self.total = 0

    def __call__(self, n: int) -> None:
        self.total += n
        self._progress(n)

    def rewind(self) -> None:
        if self.total:
            self._progress(-self.total)
            self.total = 0


class _Reader(io.RawIOBase):
    """A binary stream over `f` that closes `f` and `also` when closed."""

    def __init__(self, f, also=None):
        self._f = f
        self._also = also

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        return self._f.readinto(b)

    def close(self) -> None:
        if not self.closed:
            self._f.close()
            if self._also is not None:
                self._also.close()
        super().close()


class _CountingReader(_Reader):
    """A binary file that reports how many bytes were read from it."""

    def __init__(self, f, progress):
        super().__init__(f)
        self._progress = progress

    def readinto(self, b) -> int:
        n = self._f.readinto(b)
        if n:
            self._progress(n)
        return n


def _fast_ok(delim, encoding: str) -> bool:
    enc = encoding.lower().replace("_", "-")
    return (delim is None or len(delim) == 1) and enc in ("utf-8", "utf8", "ascii")


def _sniff_header(path, delim, comments, encoding) -> bool:
    """A CSV/TSV file has a header when the first row's third field is not a number."""
    with io.TextIOWrapper(_open_binary(path), encoding=encoding, newline="") as f:
        for line in f:
            if not line.strip() or (comments and line.startswith(comments)):
                continue
            row = next(csv.reader([line], delimiter=delim))
            if len(row) < 3:
                return False
            try:
                float(row[2])
            except ValueError:
                return True
            return False
    return False


def _read_fast(path, delim, csv_mode, header, comments, weight, nodetype, progress):
    """pyarrow's CSV reader and hashing; None where the Python parser must decide."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    types = {"f0": pa.string(), "f1": pa.string()}
    if weight:
        types["f2"] = pa.float64()
    comp, _ = _split_ext(path)
    try:
        # pyarrow reads plain, .gz and .bz2 files itself (native IO, threads)
        with contextlib.ExitStack() as stack:
            if progress is None and comp in ("", ".gz", ".bz2"):
                source = path
            else:
                source = stack.enter_context(_open_binary(path, progress))
            table = pcsv.read_csv(
                source,
                read_options=pcsv.ReadOptions(autogenerate_column_names=True,
                                              skip_rows=1 if header else 0),
                parse_options=pcsv.ParseOptions(delimiter=delim or " ",
                                                quote_char='"' if csv_mode else False,
                                                double_quote=csv_mode),
                convert_options=pcsv.ConvertOptions(column_types=types,
                                                    strings_can_be_null=False),
            )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError):
        return None
    if table.num_rows == 0 or table.num_columns < 2:
        return None
    if not csv_mode and weight and table.num_columns > 3:
        return None
    src, dst = table.column(0), table.column(1)
    w = None
    if weight and table.num_columns > 2:
        wcol = table.column(2)
        if wcol.null_count:
            return None
        else:
            w = np.concatenate([arrow_numpy(c) for c in wcol.chunks]) if wcol.num_chunks else None
            if not np.isfinite(w).all():
                return None
    try:
        s, d, uniques = factorize_pairs(src, dst)
    except (ValueError, TypeError):
        return None
    if not _labels_ok(uniques, delim, csv_mode, comments):
        return None
    if nodetype is not None:
        try:
            converted = [nodetype(x) for x in uniques]
            remap, uniques = factorize(converted)
        except Exception:  # noqa: BLE001 -- the Python parser names the line
            return None
        s, d = remap[s], remap[d]
    return uniques, [(s, d, w)]


def _labels_ok(uniques, delim, csv_mode, comments) -> bool:
    """Whether the labels pyarrow found are the ones the Python parser would find."""
    if not uniques:
        return True
    text = "\n".join(uniques)
    if comments and comments in text:
        return False
    if csv_mode:
        return True
    if delim is None:
        # every label one whitespace-free, non-empty token (str.split's whitespace:
        # re's \s for str is the same set, str.isspace's; line breaks are in it)
        return "" not in uniques and _WHITESPACE.search(text.replace("\n", "")) is None
    return True  # pyarrow split each line at the delimiter, as str.split(delimiter) does


def _read_slow(path, delim, csv_mode, header, comments, weight, nodetype, encoding, progress):
    """The reference parser, in Python: every rule, and the error messages."""
    src, dst, wts = [], [], []
    given = []  # whether each line gave a weight
    conv = {}  # label text -> nodetype(label text)
    name = os.path.basename(path)
    with io.TextIOWrapper(_open_binary(path, progress), encoding=encoding,
                          newline="" if csv_mode else None) as f:
        if csv_mode:
            rows = _csv_rows(enumerate(f, 1), delim, comments)
        else:
            rows = _split_rows(f, delim, comments)
        if header:
            next(rows, None)
        add_u, add_v, add_w, add_given = src.append, dst.append, wts.append, given.append
        most = 3 if weight and not csv_mode else None
        for lineno, line, fields in rows:
            k = len(fields)
            if k < 2 or (most is not None and k > most):
                raise ValueError(f"{name}:{lineno}: expected 'u v [weight]', got {k} "
                                 f"field{'s' * (k != 1)}: {line!r}")
            u, v = fields[0], fields[1]
            if nodetype is not None:
                u = conv[u] if u in conv else _convert(u, nodetype, conv, f"{name}:{lineno}", line)
                v = conv[v] if v in conv else _convert(v, nodetype, conv, f"{name}:{lineno}", line)
            add_u(u)
            add_v(v)
            if weight and k > 2:
                x = fields[2]
                try:
                    val = float(x)
                except ValueError:
                    raise ValueError(f"{name}:{lineno}: weight {x!r} is not a number: "
                                     f"{line!r}") from None
                if val - val:  # nan for inf and nan, 0.0 otherwise
                    raise ValueError(f"{name}:{lineno}: weight {x!r} is not finite: {line!r}")
                add_w(val)
                add_given(True)
            else:
                add_w(1.0)
                add_given(False)
    s, d, uniques = factorize_pairs(src, dst)
    w = np.asarray(wts, dtype=np.float64)
    flags = np.asarray(given, dtype=bool)
    # runs of lines with and without a weight: a line without one keeps the stored weight
    runs = []
    if len(flags):
        cuts = np.flatnonzero(flags[1:] != flags[:-1]) + 1
        bounds = [0, *cuts.tolist(), len(flags)]
        for a, b in zip(bounds[:-1], bounds[1:], strict=True):
            runs.append((s[a:b], d[a:b], w[a:b] if flags[a] else None))
    return uniques, runs


def _split_rows(f, delim, comments):
    """(line number, line, fields) of each line that is not blank once comments are cut."""
    for lineno, line in enumerate(f, 1):
        text = line
        if comments:
            p = text.find(comments)
            if p >= 0:
                text = text[:p]
        if delim is None:
            fields = text.split()
            if not fields:
                continue
        else:
            text = text.rstrip("\n")
            if not text:
                continue
            fields = text.split(delim)
        yield lineno, line.rstrip("\r\n"), fields


def _csv_rows(lines, delim, comments):
    def keep():
        for lineno, line in lines:
            if not line.strip() or (comments and line.startswith(comments)):
                continue
            yield lineno, line

    numbered = keep()
    current = [0, ""]

    def feed():
        for lineno, line in numbered:
            current[0], current[1] = lineno, line
            yield line

    for fields in csv.reader(feed(), delimiter=delim):
        yield current[0], current[1].rstrip("\r\n"), fields


def _convert(text, nodetype, cache, where, line):
    try:
        return cache[text]
    except KeyError:
        pass
    try:
        out = nodetype(text)
    except Exception as err:  # noqa: BLE001 -- any failure of the user's callable
        raise ValueError(f"{where}: label {text!r} is not a valid "
                         f"{getattr(nodetype, '__name__', nodetype)}: {line!r}") from err
    if out is None or out != out:
        raise ValueError(f"{where}: label {out!r} cannot name a vertex: {line!r}")
    cache[text] = out
    return out


# ----------------------------------------------------------------------
# data frames


def from_pandas(df, source, target, weight=None, *, directed: bool = False,
                combine: str = "last", dtype=np.float64) -> GraphStore:
    """A store from the edge columns of a pandas DataFrame.

    Parameters
    ----------
    df : pandas.DataFrame
    source, target : column names
        The endpoint labels; vertices come in first-appearance order
        (``source[0], target[0], source[1], ...``), as networkx's
        ``from_pandas_edgelist`` gives them.
    weight : column name, optional
        None: every edge weighs 1.
    directed, combine, dtype
        As for :class:`GraphStore` and :meth:`GraphStore.add_edges`.

    Notes
    -----
    O(m) expected: text columns are hashed by pyarrow (zero-copy for
    pyarrow-backed string columns), numbers by numpy.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": ["x", "y"], "b": ["y", "z"], "w": [1.5, 2.0]})
    >>> g = gs.from_pandas(df, "a", "b", "w")
    >>> g.labels, g.weight("y", "z")
    (['x', 'y', 'z'], 2.0)
    """
    for col in (source, target) + ((weight,) if weight is not None else ()):
        if col not in df.columns:
            raise KeyError(f"column {col!r} is not in the data frame; it has {list(df.columns)}")
    s = _pandas_labels(df[source])
    d = _pandas_labels(df[target])
    w = None if weight is None else df[weight].to_numpy()
    return _from_columns(s, d, w, directed, combine, dtype)


def from_arrow(table, source, target, weight=None, *, directed: bool = False,
               combine: str = "last", dtype=np.float64) -> GraphStore:
    """A store from the edge columns of a pyarrow Table (see :func:`from_pandas`).

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"a": ["x", "y"], "b": ["y", "x"], "w": [1.0, 3.0]})
    >>> g = gs.from_arrow(t, "a", "b", "w", directed=True)
    >>> g.weight("y", "x")
    3.0
    """
    names = table.column_names
    for col in (source, target) + ((weight,) if weight is not None else ()):
        if col not in names:
            raise KeyError(f"column {col!r} is not in the table; it has {names}")
    w = None
    if weight is not None:
        wcol = table.column(weight)
        if wcol.null_count:
            raise ValueError(f"weight column {weight!r} has {wcol.null_count} nulls")
        w = wcol.to_numpy()
    return _from_columns(table.column(source), table.column(target), w, directed, combine, dtype)


def _pandas_labels(col):
    """A column's labels: a pyarrow array for text columns (zero-copy when arrow-backed)."""
    import pandas as pd

    if pd.api.types.is_string_dtype(col.dtype) and col.dtype != object:
        import pyarrow as pa

        return pa.array(col)
    return col.to_numpy()


def _from_columns(s, d, w, directed, combine, dtype):
    g = GraphStore(directed=directed, dtype=dtype)  # validate before the work
    s_codes, d_codes, uniques = factorize_pairs(s, d)
    g.add_vertices(uniques)
    g.add_edges(s_codes, d_codes, w, combine=combine, by="id")
    return g


# ----------------------------------------------------------------------
# Matrix Market


def read_mtx(path, *, dtype=None) -> GraphStore:
    """Read a Matrix Market file (``.mtx``, ``.mtx.gz``, ...) through ``scipy.io``.

    The ``symmetric`` header gives an undirected store, ``general`` a directed
    one; a ``pattern`` matrix has weight 1 on every edge. Labels written by
    :func:`write_mtx` (comment lines) are read back; otherwise the labels are
    the row numbers 0..n-1.

    Raises
    ------
    ValueError
        For a non-square matrix, a skew-symmetric or hermitian one, or a
        complex field, naming the header value.

    Notes
    -----
    O(nnz) after scipy's parser (``scipy.io.mmread``, fast_matrix_market
    in C++ in recent scipy); stored zeros are edges.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "g.mtx")
    >>> g = gs.from_edges(["a", "b"], ["b", "c"], [0.5, 2.0])
    >>> gs.write_mtx(g, path)
    >>> h = gs.read_mtx(path)
    >>> h.labels, h.directed, h.weight("b", "c")
    (['a', 'b', 'c'], False, 2.0)
    """
    import scipy.io as sio

    path = os.fspath(path)
    name = os.path.basename(path)
    rows, cols, field, symmetry, labels = _mtx_header(path)
    if rows != cols:
        raise ValueError(f"{name}: a {rows} x {cols} matrix is not square; an adjacency matrix is")
    if symmetry in ("skew-symmetric", "hermitian"):
        raise ValueError(f"{name}: {symmetry} matrices are not read (a graph store holds "
                         "real weights, symmetric or general)")
    if field == "complex":
        raise ValueError(f"{name}: complex matrices are not read; graphstore stores real numbers")
    with _open_binary(path) as f:
        A = sio.mmread(f)
    if labels is not None and len(labels) != rows:
        raise ValueError(f"{name}: {len(labels)} labels in the comments for a "
                         f"{rows} x {rows} matrix")
    if field == "pattern":
        import scipy.sparse as sp

        A = sp.coo_array(A)
        A.data = np.ones(len(A.data), dtype=dtype or np.float64)
    directed = symmetry == "general"
    if dtype is None:
        dtype = np.int64 if field == "integer" else np.float64
    return GraphStore.from_scipy(A, directed=directed, labels=labels, dtype=dtype)


def _mtx_header(path):
    """(rows, cols, field, symmetry, labels or None) from the banner, comments and size line.

    Read here rather than by ``scipy.io.mminfo``, which aborts the process on
    an open (decompressing) file object in scipy 1.17.
    """
    name = os.path.basename(path)
    labels = []
    with io.TextIOWrapper(_open_binary(path), encoding="utf-8") as f:
        banner = f.readline().split()
        if (len(banner) != 5 or banner[0].lower() != "%%matrixmarket"
                or banner[1].lower() != "matrix"):
            raise ValueError(f"{name}: not a Matrix Market file (its first line is not "
                             "'%%MatrixMarket matrix <format> <field> <symmetry>')")
        field, symmetry = banner[3].lower(), banner[4].lower()
        for line in f:
            if line.startswith("%"):
                body = line[1:].strip()
                if body.startswith(_LABELS_TAG):
                    labels.extend(json.loads(body[len(_LABELS_TAG):]))
                continue
            if line.strip():
                size = line.split()
                break
        else:
            raise ValueError(f"{name}: the Matrix Market size line is missing")
    try:
        rows, cols = int(size[0]), int(size[1])
    except (ValueError, IndexError):
        raise ValueError(f"{name}: bad Matrix Market size line {line.strip()!r}") from None
    return rows, cols, field, symmetry, (labels or None)


def write_mtx(g: GraphStore, path, *, progress=None) -> None:
    """Write `g` as a Matrix Market coordinate file through ``scipy.io.mmwrite``.

    An undirected store is written ``symmetric`` (its lower triangle), a
    directed one ``general``. Labels other than the row numbers go in
    ``%graphstore-labels`` comment lines (JSON, 1000 a line), which
    :func:`read_mtx` reads back; other readers ignore them.

    Raises
    ------
    TypeError
        For a label JSON cannot carry (only str, int, float can). Nothing is
        written.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "g.mtx.gz")
    >>> g = gs.GraphStore(directed=True)
    >>> g.add_edge(0, 1, weight=3.0)
    >>> gs.write_mtx(g, path)
    >>> gs.read_mtx(path).adjacency().toarray()
    array([[0., 3.],
           [0., 0.]])
    """
    import scipy.io as sio
    import scipy.sparse as sp

    path = os.fspath(path)
    labels = g.labels
    comment = ""
    if labels != list(range(len(labels))):
        for x in labels:
            if type(x) not in (str, int, float) and not isinstance(x, (np.integer, np.floating)):
                raise TypeError(f"label {x!r} of type {type(x).__name__} cannot be written to "
                                "Matrix Market; str, int and float labels can")
        lines = []
        for k in range(0, len(labels), _LABELS_PER_LINE):
            chunk = [x.item() if isinstance(x, np.generic) else x
                     for x in labels[k:k + _LABELS_PER_LINE]]
            lines.append(_LABELS_TAG + " " + json.dumps(chunk, ensure_ascii=False))
        comment = "\n".join(lines)
    A = g.adjacency(format="coo")
    if not g.directed:
        keep = A.row >= A.col
        A = sp.coo_array((A.data[keep], (A.row[keep], A.col[keep])), shape=A.shape)
    field = "integer" if np.dtype(g.dtype).kind in "iu" else "real"
    symmetry = "general" if g.directed else "symmetric"
    with _atomic_output(path) as f:
        if _split_ext(path)[0]:
            # mmwrite seeks, which compressed streams cannot: write plain, then compress
            with tempfile.TemporaryFile(dir=os.path.dirname(os.path.abspath(path))) as tmp:
                sio.mmwrite(tmp, A, comment=comment, field=field, symmetry=symmetry)
                tmp.seek(0)
                shutil.copyfileobj(tmp, f)
        else:
            sio.mmwrite(f, A, comment=comment, field=field, symmetry=symmetry)
    if progress is not None:
        progress(A.nnz)


# ----------------------------------------------------------------------
# GraphML and GML (networkx)


def read_graphml(path, *, weight: str | None = "weight", dtype=np.float64) -> GraphStore:
    """Read GraphML through ``networkx.read_graphml``: the slow path (Python objects).

    Multigraph edges are summed; a missing weight reads as 1.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "g.graphml")
    >>> gs.write_graphml(gs.from_edges(["a"], ["b"], [2.0]), path)
    >>> gs.read_graphml(path).weight("a", "b")
    2.0
    """
    import networkx as nx

    with _open_binary(os.fspath(path)) as f:
        G = nx.read_graphml(f)
    return GraphStore.from_networkx(G, weight=weight, dtype=dtype)


def write_graphml(g: GraphStore, path) -> None:
    """Write GraphML through ``networkx.write_graphml`` (O(nnz) Python objects)."""
    import networkx as nx

    G = g.to_networkx()
    with _atomic_output(os.fspath(path)) as f:
        nx.write_graphml(G, f)


def read_gml(path, *, weight: str | None = "weight", label: str = "label",
             dtype=np.float64) -> GraphStore:
    """Read GML through ``networkx.read_gml`` (the slow path); see :func:`read_graphml`.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "g.gml")
    >>> gs.write_gml(gs.from_edges(["a"], ["b"], [2.0]), path)
    >>> gs.read_gml(path).labels
    ['a', 'b']
    """
    import networkx as nx

    with _open_binary(os.fspath(path)) as f:
        G = nx.read_gml(f, label=label)
    return GraphStore.from_networkx(G, weight=weight, dtype=dtype)


def write_gml(g: GraphStore, path) -> None:
    """Write GML through ``networkx.write_gml`` (labels written with ``str``)."""
    import networkx as nx

    G = g.to_networkx()
    with _atomic_output(os.fspath(path)) as f:
        nx.write_gml(G, f, stringizer=str)


# ----------------------------------------------------------------------
# one entry point


def _format_of(path, fmt) -> str:
    if fmt is not None:
        if fmt not in set(FORMATS.values()):
            known = ", ".join(sorted(set(FORMATS.values())))
            raise ValueError(f"format {fmt!r} is not one of {known}")
        return fmt
    p = os.fspath(path)
    if os.path.isdir(p) and os.path.exists(os.path.join(p, "_manifest.json")):
        return "parquet"
    _, ext = _split_ext(p)
    try:
        return FORMATS[ext]
    except KeyError:
        known = " ".join(FORMATS)
        raise ValueError(f"{os.path.basename(p)!r}: unknown format {ext or '(no suffix)'!r}; "
                         f"known suffixes: {known} (optionally .gz, .bz2, .xz), "
                         "or pass format=") from None


def read(path, *, format: str | None = None, **kw) -> GraphStore:
    """Read a graph from any supported file, choosing the reader by the name.

    Parameters
    ----------
    path : str or path-like
    format : str, optional
        One of the values of :data:`FORMATS` ("edgelist", "csv", "tsv",
        "mtx", "graphml", "gml", "npz", "parquet"); default from the suffix.
    **kw
        Passed to the reader (:func:`read_edgelist`, :func:`read_mtx`, ...).

    Raises
    ------
    ValueError
        For an unknown suffix or format, listing the known ones.

    Examples
    --------
    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> g = gs.from_edges(["a", "b"], ["b", "c"], [0.5, 2.0])
    >>> for name in ["g.txt.gz", "g.csv", "g.mtx", "g.graphml", "g.npz"]:
    ...     gs.write(g, os.path.join(d, name))
    ...     assert gs.read(os.path.join(d, name)).labels == ["a", "b", "c"]
    """
    fmt = _format_of(path, format)
    if fmt == "npz":
        return GraphStore.load(path)
    if fmt == "parquet":
        return _parquet().read_parquet(path, **kw)
    if fmt in ("edgelist", "csv", "tsv"):
        if fmt != "edgelist":
            kw.setdefault("delimiter", "," if fmt == "csv" else "\t")
        return read_edgelist(path, **kw)
    return {"mtx": read_mtx, "graphml": read_graphml, "gml": read_gml}[fmt](path, **kw)


def write(g: GraphStore, path, *, format: str | None = None, **kw) -> None:
    """Write `g` to a file whose format is chosen by its name (see :func:`read`).

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "g.mtx")
    >>> gs.write(gs.from_edges([0], [1]), path)
    >>> gs.read(path).num_edges
    1
    """
    fmt = _format_of(path, format)
    if fmt == "npz":
        return g.save(path)
    if fmt == "parquet":
        return _parquet().write_parquet(g, path, **kw)
    if fmt in ("edgelist", "csv", "tsv"):
        if fmt != "edgelist":
            kw.setdefault("delimiter", "," if fmt == "csv" else "\t")
        return write_edgelist(g, path, **kw)
    return {"mtx": write_mtx, "graphml": write_graphml, "gml": write_gml}[fmt](g, path, **kw)


def _parquet():
    try:
        from . import parquet
    except ImportError as err:
        raise ValueError("the Parquet layout needs the graphstore.parquet module, "
                         "which this installation lacks") from err
    return parquet


@contextlib.contextmanager
def _atomic_output(path: str):
    """A binary file object for `path`, compressed by suffix; renamed into place on success."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    except OSError as err:  # name the target, not the temporary file
        raise type(err)(err.errno, err.strerror, path) from err
    try:
        with os.fdopen(fd, "wb") as raw:
            comp, _ = _split_ext(path)
            if comp:
                with _COMPRESSION[comp].open(raw, "wb") as f:
                    yield f
            else:
                yield raw
        try:
            os.replace(tmp, path)
        except OSError as err:  # name the target, not the temporary file
            raise type(err)(err.errno, err.strerror, path) from err
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
