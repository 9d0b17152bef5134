"""The one benchmark harness: timing, agreement checks, targets, tables, JSON and plots.

A workload module (``benchmarks/w<N>_<name>.py``) declares what to run; this
module runs it. ``benchmarks/README.md`` ("Writing a workload") shows the
declaration; the short version:

```python
NAME = "W7"                       # the --only key
SYSTEMS = ("graphstore", "networkx")
SIZES = {"tiny": [...], "quick": [...], "full": [...]}
BASELINE = "networkx"             # the row every ratio column divides by

def cases(size, systems):         # yields Case objects; systems: installed and selected
    yield Case("label", {"graphstore": Run(fn, answer=...), ...}, expect=ref, units=k)

def targets(r):                   # r: Results; returns a list of Target
    return [r.ratio("name", ("label", "graphstore"), ("label", "networkx"), "<=", 1.5)]
```

Method, for every workload alike:

* The runs of one case are **interleaved** round by round (warm-up rounds,
  then timed rounds; each run once per round), with one ``gc.collect()`` per
  round and the collector left on, so load from other processes slows every
  system alike. ``time.perf_counter`` is read around the timed call only;
  ``Run.prepare`` builds per-round state untimed.
* **Agreement before time**: each run's output of its first round is checked
  (``Case.compare(expect, Run.answer(out))``) right after that round, before
  any further round; a run that disagrees or raises is dropped and its row
  says ``DISAGREES: ...`` or ``FAILED: ...`` in place of a time.
* Rows report the median and the minimum, and the cost per unit
  (median of time / units over the timed rounds).
* A workload runs in a **fresh interpreter** (``python -m benchmarks
  --child``); with ``ISOLATE = True``, each of its systems gets its own.
"""

from __future__ import annotations

import dataclasses
import gc
import importlib
import importlib.util
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
import traceback
from datetime import datetime, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(ROOT, "benchmarks")
MODES = ("tiny", "quick", "full")
# tiers a workload may add to its SIZES (sizes too big or slow for every run); the
# runner's --tier heavy runs only the workloads that declare it
OPTIONAL_MODES = ("heavy",)

# (warm-up, timed) rounds per mode, unless a module's ROUNDS or a Run's rounds says otherwise
ROUNDS = {"tiny": (0, 1), "quick": (1, 2), "full": (1, 5), "heavy": (1, 2)}

# system -> the import names it needs besides numpy, scipy, networkx and graphstore;
# a workload module may add its own with a NEEDS dict of the same shape
NEEDS = {
    "rustworkx": ("rustworkx",),
    "igraph": ("igraph",),
    "networkit": ("networkit",),
    "graphblas": ("graphblas",),
    "psutil": ("psutil",),
}


# ----------------------------------------------------------------------
# what a workload module declares


@dataclasses.dataclass
class Measured:
    """What a run may return instead of a bare output.

    ``value`` replaces the elapsed time as the row's figure (e.g. bytes for a
    memory workload); ``units`` replaces the case's units for this round
    (e.g. the number of operations a time-budgeted loop completed).
    """

    out: object = None
    value: float | None = None
    units: float | None = None


@dataclasses.dataclass
class Run:
    """One row of a case: a timed callable and how to check what it returns.

    run        called as ``run()``, or ``run(state)`` with ``state = prepare()``
               (prepare is untimed and runs before each round).
    answer     turns run's output into what ``Case.compare`` takes (untimed);
               default: the output itself.
    system     the system this row belongs to (``--systems``, ISOLATE, NEEDS);
               default: the row's name.
    rounds     (warm-up, timed) for this row, overriding the mode's.
    budget     seconds: after a timed round longer than this, no more rounds.
    note       shown beside the row.
    """

    run: object
    prepare: object = None
    answer: object = None
    system: str | None = None
    rounds: tuple | None = None
    budget: float | None = None
    note: str = ""


@dataclasses.dataclass
class Case:
    """One measured situation: several rows, one reference, one comparison.

    label    names the case in tables and targets (include the size).
    runs     {row name: Run}.
    expect   the reference answer, or a callable returning it (computed once,
             on the first check; build it independently of the systems).
    compare  compare(expect, got) raises AssertionError on disagreement;
             default: ``assert_equal`` (``==``, with the first difference named).
    units    what the per-unit column divides by (int or float), ``unit`` its name.
    x        a number for plots (the size), ``group`` which curve it belongs to.
    """

    label: str
    runs: dict
    expect: object = None
    compare: object = None
    units: float = 1
    unit: str = ""
    x: float | None = None
    group: str | None = None
    metric: str = "time"  # "time" (seconds) or the name of what Measured.value holds
    skipped: dict = dataclasses.field(default_factory=dict)  # {row name: why}


@dataclasses.dataclass
class Target:
    """A target's verdict: ``value op bound`` (met is None when not measured)."""

    name: str
    value: float | None
    op: str
    bound: float
    unit: str = "x"
    met: bool | None = None
    detail: str = ""

    def line(self):
        if self.value is None:
            return f"[  n/a  ] {self.name}: not measured" + (f" ({self.detail})"
                                                           if self.detail else "")
        tag = "met" if self.met else "NOT MET"
        det = f"  ({self.detail})" if self.detail else ""
        return (f"[{tag:>7}] {self.name}: {fmt_value(self.value, self.unit)} "
                f"(target {self.op} {fmt_value(self.bound, self.unit)}){det}")


def judge(value, op, bound):
    if value is None or not math.isfinite(value):
        return None
    return {"<=": value <= bound, "<": value < bound, ">=": value >= bound,
            ">": value > bound}[op]


def assert_equal(expect, got):
    """``got == expect``, or an AssertionError naming the first difference."""
    if got == expect:
        return
    if isinstance(expect, (list, tuple)) and isinstance(got, (list, tuple)):
        if len(got) != len(expect):
            raise AssertionError(f"{len(got)} answers, expected {len(expect)}")
        i = next(i for i, (a, b) in enumerate(zip(got, expect, strict=True)) if a != b)
        raise AssertionError(f"answer {i}: {got[i]!r} != {expect[i]!r}")
    raise AssertionError(f"{_short(got)} != {_short(expect)}")


def _short(x):
    s = repr(x)
    return s if len(s) < 120 else s[:117] + "..."


# ----------------------------------------------------------------------
# measurement


def _rounds(run, mode, module_rounds):
    if mode == "tiny":
        return ROUNDS["tiny"]
    if run.rounds is not None:
        return run.rounds
    return (module_rounds or {}).get(mode, ROUNDS[mode])


def measure_case(case, mode, module_rounds=None, workload=""):
    """Run every row of `case` interleaved; return its row dicts (checked, timed)."""
    names = list(case.runs)
    plan = {k: _rounds(case.runs[k], mode, module_rounds) for k in names}
    rows = {k: {"workload": workload, "case": case.label, "system": k,
                "base_system": case.runs[k].system or k, "times": [], "units_per_round": [],
                "units": case.units, "unit": case.unit, "x": case.x, "group": case.group,
                "metric": case.metric, "status": "ok", "checked": False,
                "note": case.runs[k].note} for k in names}
    live = set(names)
    expect = []  # lazily computed reference, at most once

    def reference():
        if not expect:
            expect.append(case.expect() if callable(case.expect) else case.expect)
        return expect[0]

    compare = case.compare or assert_equal
    if mode != "tiny":
        # the inputs and the libraries, frozen out of the collector's way: the collection
        # before each round then walks only what the rows made; a full walk of the heap
        # evicted the caches, and the first row of every round (graphstore's) paid
        # 0.35-0.7 ms for it, whichever system sat there
        gc.collect()
        gc.freeze()
    try:
        _rounds_of(case, mode, names, plan, rows, live, reference, compare)
    finally:
        if mode != "tiny":
            gc.unfreeze()
    out = []
    for name in names:
        out.append(rows[name])
    for name, why in case.skipped.items():
        out.append({"workload": workload, "case": case.label, "system": name,
                    "base_system": name, "times": [], "units_per_round": [], "units": case.units,
                    "unit": case.unit, "x": case.x, "group": case.group, "metric": case.metric,
                    "status": f"skipped: {why}", "checked": False, "note": ""})
    return out


def _rounds_of(case, mode, names, plan, rows, live, reference, compare):
    """The rounds of :func:`measure_case`: every live row once a round, interleaved."""
    for k in range(max((w + t for w, t in plan.values()), default=0)):
        if mode != "tiny":  # a full collection costs ~0.1 s in a big process; tiny only checks
            gc.collect()
        for name in names:
            if name not in live:
                continue
            warm, timed = plan[name]
            if k >= warm + timed:
                continue
            r = case.runs[name]
            row = rows[name]
            try:
                state = r.prepare() if r.prepare is not None else None
                if r.prepare is not None:
                    t0 = time.perf_counter()
                    out = r.run(state)
                    t1 = time.perf_counter()
                else:
                    t0 = time.perf_counter()
                    out = r.run()
                    t1 = time.perf_counter()
                del state
                value, units = t1 - t0, case.units
                if isinstance(out, Measured):
                    value = out.value if out.value is not None else value
                    units = out.units if out.units is not None else units
                    out = out.out
                if not row["checked"]:
                    got = r.answer(out) if r.answer is not None else out
                    compare(reference(), got)
                    row["checked"] = True
                    del got
                del out
            except AssertionError as exc:
                row["status"] = f"DISAGREES: {exc}"[:300]
                row["times"], row["units_per_round"] = [], []
                live.discard(name)
                continue
            except Exception as exc:  # noqa: BLE001 - reported in the row, the run goes on
                traceback.print_exc()
                row["status"] = f"FAILED: {type(exc).__name__}: {exc}"[:300]
                row["times"], row["units_per_round"] = [], []
                live.discard(name)
                continue
            if k >= warm:
                row["times"].append(value)
                row["units_per_round"].append(units)
                if r.budget is not None and value > r.budget:
                    live.discard(name)


def load_module(name):
    """Import a workload module by its module name (``w7_churn``) or its NAME (``W7``)."""
    mods = discover()
    if name in mods.values():
        return importlib.import_module(f"benchmarks.{name}")
    for key, mod in mods.items():
        if key.upper() == name.upper():
            return importlib.import_module(f"benchmarks.{mod}")
    raise KeyError(f"no workload {name!r}; known: {', '.join(mods)}")


def discover():
    """{NAME: module name} of every ``benchmarks/w*.py`` that declares NAME, in NAME order."""
    found = {}
    for fn in sorted(os.listdir(HERE)):
        if not (fn.startswith("w") and fn.endswith(".py") and "_" in fn):
            continue
        mod = fn[:-3]
        try:
            with open(os.path.join(HERE, fn)) as f:
                src = f.read()
        except OSError:
            continue
        for line in src.splitlines():
            if line.startswith("NAME = "):
                found[line.split("=", 1)[1].strip().strip("\"'")] = mod
                break
    return dict(sorted(found.items(), key=lambda kv: _name_key(kv[0])))


def _name_key(name):
    """W1 < W2 < W5b < W10 < other names (MEM)."""
    digits = "".join(ch for ch in name[1:] if ch.isdigit())
    return (name[0] != "W", int(digits) if digits else 10**6, name)


def needs(module, system):
    return tuple(getattr(module, "NEEDS", {}).get(system, NEEDS.get(system, ())))


def installed(module, system):
    return all(importlib.util.find_spec(m) is not None for m in needs(module, system))


def run_workload_skips(module, wanted):
    """A ``skipped (not installed: ...)`` row for each wanted system that is not installed."""
    return [{"workload": module.NAME, "case": "-", "system": s, "base_system": s, "times": [],
             "units_per_round": [], "units": 1, "unit": "", "x": None, "group": None,
             "metric": "time", "status": "skipped (not installed: "
             + ", ".join(needs(module, s)) + ")", "checked": False, "note": ""}
            for s in wanted if not installed(module, s)]


def run_workload(module, mode, systems=None, progress=None):
    """Run one workload module in this process; return its row dicts.

    `systems` restricts the module's SYSTEMS; systems not installed get a
    ``skipped (not installed)`` row. `progress`, if given, is called with
    the rows so far after each size.
    """
    wanted = [s for s in module.SYSTEMS if systems is None or s in systems]
    have = tuple(s for s in wanted if installed(module, s))
    name = module.NAME
    rows = run_workload_skips(module, wanted)
    if not have:
        return rows
    for size in module.SIZES.get(mode, ()):
        try:
            for case in module.cases(size, have):
                case.runs = {k: r for k, r in case.runs.items() if (r.system or k) in have}
                rows += measure_case(case, mode, getattr(module, "ROUNDS", None), name)
                del case
        except Exception as exc:  # noqa: BLE001 - the rest of the suite goes on
            traceback.print_exc()
            rows.append({"workload": name, "case": f"size {size}", "system": ",".join(have),
                         "base_system": None, "times": [], "units_per_round": [], "units": 1,
                         "unit": "", "x": None, "group": None, "metric": "time",
                         "status": f"FAILED: {type(exc).__name__}: {exc}"[:300],
                         "checked": False, "note": ""})
        if progress is not None:
            progress(rows)
    return rows


def child_main(module_name, mode, systems):
    """Entry point of a fresh interpreter: print one JSON line with the rows."""
    module = load_module(module_name)

    def emit(rows):  # after each size, so a run cut short keeps what it measured
        print("\n" + json.dumps({"rows": rows}, default=float), flush=True)

    emit(run_workload(module, mode, systems, progress=emit))


def run_child(module, mode, systems, timeout):
    """Run one workload (some of its systems) in a fresh interpreter; return rows, seconds."""
    cmd = [sys.executable, "-m", "benchmarks", "--child", module.__name__.rsplit(".", 1)[-1],
           mode, ",".join(systems)]
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("MPLBACKEND", "Agg")
    t0 = time.perf_counter()

    def failed(why):
        return [{"workload": module.NAME, "case": "-", "system": s, "base_system": s,
                 "times": [], "units_per_round": [], "units": 1, "unit": "", "x": None,
                 "group": None, "metric": "time", "status": f"FAILED: {why}"[:300],
                 "checked": False, "note": ""} for s in systems]

    try:
        p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        done = [ln for ln in out.splitlines() if ln.startswith('{"rows"')]
        rows = json.loads(done[-1])["rows"] if done else []
        return rows + failed(f"timed out after {timeout} s"), time.perf_counter() - t0
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith('{"rows"')]
    if p.stderr.strip():
        sys.stderr.write(p.stderr)
    if p.returncode != 0 or not lines:
        err = (p.stderr.strip().splitlines() or ["no output"])[-1]
        return failed(err), time.perf_counter() - t0
    return json.loads(lines[-1])["rows"], time.perf_counter() - t0


# ----------------------------------------------------------------------
# results and targets


def median(xs):
    return statistics.median(xs) if xs else None


def per_unit_values(row):
    ups = row.get("units_per_round") or [row["units"]] * len(row["times"])
    return [t / u for t, u in zip(row["times"], ups, strict=True) if u]


class Results:
    """The rows of one workload, with the lookups targets need."""

    def __init__(self, rows, mode):
        self.rows, self.mode = rows, mode
        self.by = {(r["case"], r["system"]): r for r in rows}

    def row(self, case, system):
        r = self.by.get((case, system))
        return r if r is not None and r["times"] else None

    def per_unit(self, case, system):
        r = self.row(case, system)
        return median(per_unit_values(r)) if r else None

    def min_per_unit(self, case, system):
        r = self.row(case, system)
        return min(per_unit_values(r)) if r else None

    def cases(self, startswith=""):
        seen = []
        for r in self.rows:
            if r["case"].startswith(startswith) and r["case"] not in seen and r["case"] != "-":
                seen.append(r["case"])
        return seen

    def ratio(self, name, num, den, op, bound, detail=""):
        """Target on per-unit median(num) / per-unit median(den); (case, row) pairs."""
        a, b = self.per_unit(*num), self.per_unit(*den)
        value = a / b if a is not None and b else None
        amin, bmin = self.min_per_unit(*num), self.min_per_unit(*den)
        extra = []
        if value is not None and amin is not None and bmin:
            extra.append(f"from mins {amin / bmin:.2f}x")
            row = self.by[num]
            extra.append(f"{fmt_figure(row, a)} vs {fmt_figure(row, b)} per "
                         f"{row['unit'] or 'run'}")
        if detail:
            extra.append(detail)
        if value is None:
            missing = [f"{c} / {s}" for c, s in (num, den) if self.per_unit(c, s) is None]
            extra.append("no time for " + "; ".join(missing))
        return Target(name, value, op, bound, "x", judge(value, op, bound), "; ".join(extra))

    def value(self, name, cell, op, bound, unit, scale=1.0, detail=""):
        """Target on the per-unit median of one cell, times `scale` (e.g. 1e3 for ms)."""
        v = self.per_unit(*cell)
        v = v * scale if v is not None else None
        return Target(name, v, op, bound, unit, judge(v, op, bound),
                      detail or ("" if v is not None else f"no figure for {cell[0]} / {cell[1]}"))


# ----------------------------------------------------------------------
# formatting


def fmt_time(t):
    if t is None or not math.isfinite(t):
        return "-"
    for scale, unit in ((1, "s"), (1e-3, "ms"), (1e-6, "us")):
        if t >= scale:
            v = t / scale
            return f"{v:.3g} {unit}" if v < 100 else f"{v:.0f} {unit}"
    return f"{t * 1e9:.0f} ns"


def fmt_ratio(x):
    if x is None:
        return "-"
    return f"{x:.0f}" if x >= 100 else f"{x:.2f}" if x >= 0.1 else f"{x:.3f}"


def fmt_value(v, unit):
    if unit == "x":
        return f"{v:.2f}x"
    if unit == "s":
        return fmt_time(v)
    return f"{v:.3g} {unit}"


def fmt_figure(r, v):
    return fmt_time(v) if r["metric"] == "time" else f"{v:.3g}"


def table(rows, baseline=None, markdown=False):
    """One workload's rows: median, min, per unit, this/baseline, networkx/this."""
    res = Results(rows, None)
    head = ["case", "system", "median", "min", "per unit", f"this/{baseline or '-'}",
            "networkx/this", "note"]
    body = []
    for r in rows:
        if not r["times"]:
            body.append([r["case"], r["system"], r["status"], "", "", "", "", r.get("note", "")])
            continue
        pu = res.per_unit(r["case"], r["system"])
        base = res.per_unit(r["case"], baseline) if baseline else None
        nxv = res.per_unit(r["case"], "networkx")
        unit = r["unit"] or "run"
        if r["metric"] == "time":
            med, mn = fmt_time(median(r["times"])), fmt_time(min(r["times"]))
            per = f"{fmt_time(pu)}/{unit}"
        else:
            med, mn = f"{median(r['times']):.3g}", f"{min(r['times']):.3g}"
            per = f"{pu:.3g} {unit}"
        body.append([r["case"], r["system"], med, mn, per,
                     fmt_ratio(pu / base) if base else "-",
                     fmt_ratio(nxv / pu) if nxv and pu else "-", r.get("note", "")])
    if markdown:
        esc = [[str(c).replace("|", "\\|") for c in line] for line in body]
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(line) + " |" for line in esc]
        return "\n".join(out)
    widths = [max(len(str(line[i])) for line in [head] + body) for i in range(len(head) - 1)]
    widths = [min(w, 44) for w in widths]
    fmt_line = lambda line: "  ".join(  # noqa: E731
        (str(c).ljust(w) if i < 2 or i == len(widths) else str(c).rjust(w))
        for i, (c, w) in enumerate(zip(line, widths + [0], strict=True))).rstrip()
    out = [fmt_line(head), "-" * (sum(widths) + 2 * len(widths))]
    out += [fmt_line(line) for line in body]
    return "\n".join(out)


# ----------------------------------------------------------------------
# environment


def _dist_version(dist):
    try:
        from importlib.metadata import version

        return version(dist)
    except Exception:  # noqa: BLE001 - not installed
        return "not installed"


def _git(*args):
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except Exception:  # noqa: BLE001 - no git: the record says "?"
        return ""


def blas():
    """numpy's BLAS: name, version, the kernel OpenBLAS chose at run time, its threads."""
    try:
        import numpy as np

        b = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
        text = f"{b.get('name', '?')} {b.get('version', '')}".strip()
    except Exception:  # noqa: BLE001 - older numpy: no dict mode
        return "?"
    try:  # the kernel and threads actually in use, from the loaded OpenBLAS
        import ctypes

        with open("/proc/self/maps") as f:
            libs = sorted({ln.split()[-1] for ln in f
                           if "openblas" in ln and ln.rstrip().endswith(".so")})
        for lib in libs:
            L = ctypes.CDLL(lib)
            for prefix, suffix in (("scipy_openblas", "64_"), ("scipy_openblas", ""),
                                   ("openblas", "")):
                core = getattr(L, f"{prefix}_get_corename{suffix}", None)
                nth = getattr(L, f"{prefix}_get_num_threads{suffix}", None)
                if core is not None:
                    core.restype = ctypes.c_char_p
                    text += f", kernel {core().decode()}"
                    if nth is not None:
                        nth.restype = ctypes.c_int
                        text += f", {nth()} threads"
                    return text
    except (OSError, AttributeError):
        pass
    return text


def environment():
    """Machine, date, versions and load: printed first, stored in the JSON."""
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = float("nan")
    dirty = _git("status", "--porcelain", "--", "graphstore")
    env = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
           "python": platform.python_version()}
    for dist in ("numpy", "scipy", "networkx", "graphstore", "rustworkx", "python-igraph",
                 "networkit", "python-graphblas", "psutil", "matplotlib"):
        env[dist] = _dist_version(dist)
    env.update({
        "blas": blas(),
        "graphstore_commit": (_git("rev-parse", "--short", "HEAD") or "?")
        + (" + uncommitted changes in graphstore/" if dirty else ""),
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "memory_gib": round(mem, 1),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    })
    return env


# ----------------------------------------------------------------------
# plots


def plot_workload(name, title, rows, baseline, outdir):
    """One PNG per workload: per-unit cost against x for curves, else ratio bars per case."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    res = Results(rows, None)
    timed = [r for r in rows if r["times"]]
    if not timed:
        return None
    groups = {}
    for r in timed:
        if r["group"] is not None and r["x"] is not None:
            groups.setdefault(r["group"], {}).setdefault(r["system"], []).append(
                (r["x"], res.per_unit(r["case"], r["system"])))
    curves = {g: v for g, v in groups.items() if len({x for s in v.values() for x, _ in s}) > 1}
    cases = [c for c in res.cases() if any(r["case"] == c and r["times"] for r in rows)
             and not any(r["case"] == c and r["group"] in curves for r in timed)]
    panels = len(curves) + len(cases)
    if not panels:
        return None
    ncol = min(3, panels)
    nrow = -(-panels // ncol)
    width = max(5.6 * ncol, 9.0)
    fig, axes = plt.subplots(nrow, ncol, figsize=(width, 3.8 * nrow), squeeze=False)
    axs = list(axes.flat)
    others = [f"C{i}" for i in (0, 1, 2, 4, 5, 6, 7, 8, 9)]  # C3 (red) is graphstore's
    systems = sorted({r["system"] for r in timed if not r["system"].startswith("graphstore")})
    color = {s: others[i % len(others)] for i, s in enumerate(systems)}
    i = 0
    for g, series in curves.items():
        ax = axs[i]
        i += 1
        for s, pts in sorted(series.items(), key=lambda kv: not kv[0].startswith("graphstore")):
            pts.sort()
            if s == "graphstore":
                st = dict(lw=2.5, color="C3", zorder=5)
            elif s.startswith("graphstore"):
                st = dict(lw=1.5, color="C3", ls="--", zorder=4)
            else:
                st = dict(lw=1, color=color[s])
            ax.loglog([p[0] for p in pts], [p[1] for p in pts], marker="o", ms=3, label=s, **st)
        unit = next(r["unit"] for r in timed if r["group"] == g)
        ax.set_title(f"{name} {g}", fontsize=9)
        ax.set_xlabel("size", fontsize=8)
        ax.set_ylabel(f"seconds per {unit or 'run'} (median)", fontsize=8)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    for case in cases:
        ax = axs[i]
        i += 1
        peers = [r for r in timed if r["case"] == case]
        base = res.per_unit(case, baseline) if baseline else None
        metric = peers[0]["metric"]
        vals = [(r["system"], res.per_unit(case, r["system"])) for r in peers]
        if base and metric == "time":
            vals = [(s, v / base) for s, v in vals]
            xlabel = f"time / {baseline} (lower is faster)"
        else:
            xlabel = (f"seconds per {peers[0]['unit'] or 'run'}" if metric == "time"
                      else f"{metric} per {peers[0]['unit']}")
        vals.sort(key=lambda kv: kv[1])
        ys = [v for _, v in vals]
        ax.barh([s for s, _ in vals], ys,
                color=["C3" if s.startswith("graphstore") else "0.6" if s == baseline
                       else "C0" for s, _ in vals])
        if metric == "time":
            ax.set_xscale("log")
            ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
            ax.set_xlim(min(ys) / 1.5, max(ys) * 4)
        for yv, v in enumerate(ys):
            ax.text(v, yv, f" {v:.3g}", va="center", fontsize=7)
        ax.set_title(f"{name} {case}", fontsize=8)
        ax.set_xlabel(xlabel, fontsize=8)
        ax.tick_params(axis="y", labelsize=7)
    for ax in axs[i:]:
        ax.axis("off")
    fig.suptitle(title if len(title) < 12 * width else name, fontsize=10)
    fig.tight_layout()
    path = os.path.join(outdir, f"{name.lower()}.png")
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path
