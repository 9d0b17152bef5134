"""Run the benchmarks: ``python -m benchmarks [--quick] [--only W1,W2,...] [--json PATH]``.

Runs the core workloads of :mod:`benchmarks.bench_core` (W1, W2, W3, W6, MEM)
and, if ``benchmarks/bench_operators.py`` exists and has ``run(quick)``, the
operator benchmarks too. Prints the versions and the machine first, a table
per workload, then each target as met / NOT MET. Exits 1 if any system
disagreed with the reference or a workload failed.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import inspect
import json
import os
import platform
import subprocess
import sys
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

CORE = ("W1", "W2", "W3", "W6", "MEM")
OPERATORS_ALL = ("OPS", "OPERATORS")  # --only names that select every operator benchmark


def _version(name, dist=None):
    """The installed version of a package; without importing it when `dist` is given."""
    try:
        if dist is not None:
            from importlib.metadata import version

            return version(dist)
        mod = importlib.import_module(name)
        return getattr(mod, "__version__", "?")
    except Exception:  # noqa: BLE001
        return "not installed"


def _git(*args):
    try:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10)
        return out.stdout.strip()
    except Exception:  # noqa: BLE001
        return ""


def environment():
    """Versions and machine facts, printed first and stored in the JSON."""
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = float("nan")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    dirty = _git("status", "--porcelain", "--", "graphstore")
    env = {
        "python": platform.python_version(),
        "numpy": _version("numpy"),
        "scipy": _version("scipy"),
        "networkx": _version("networkx"),
        "graphstore": _version("graphstore"),
        "graphstore_commit": (_git("rev-parse", "--short", "HEAD") or "?")
        + (" + uncommitted changes in graphstore/" if dirty else ""),
        "rustworkx": _version("rustworkx"),
        "python-graphblas": _version("graphblas", "python-graphblas"),
        "psutil": _version("psutil"),
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": cores,
        "memory_gib": round(mem, 1),
        "loadavg_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }
    return env


def _operators_module():
    if not os.path.exists(os.path.join(ROOT, "benchmarks", "bench_operators.py")):
        return None
    return importlib.import_module("benchmarks.bench_operators")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="graphstore beside networkx, scipy and the numpy/Python floor, as ratios.",
    )
    ap.add_argument("--quick", action="store_true", help="smaller sizes; under a minute")
    ap.add_argument("--only", metavar="W1,W2,...",
                    help=f"comma-separated workloads: {', '.join(CORE)}; other names "
                         f"(or OPS for all) go to bench_operators")
    ap.add_argument("--json", metavar="PATH", help="also write every row and target as JSON")
    args = ap.parse_args(argv)
    only = None
    if args.only:
        only = [x.strip().upper() for x in args.only.split(",") if x.strip()]

    t_start = time.perf_counter()
    env = environment()
    print(f"graphstore benchmarks ({'quick' if args.quick else 'full'})")
    for k, v in env.items():
        print(f"  {k:<18} {v}")
    print("  timing: time.perf_counter, systems interleaved round by round, gc on; "
          "ratios use medians")

    from benchmarks import bench_core

    core_only = None if only is None else [x for x in only if x in CORE]
    other = None if only is None else [x for x in only if x not in CORE]
    report = bench_core.Report()
    if core_only is None or core_only:
        bench_core.run(quick=args.quick, only=core_only, report=report)

    ops_result, ops_status = None, "not present"
    if only is None or other:
        try:
            ops = _operators_module()
        except Exception:  # noqa: BLE001
            traceback.print_exc()
            ops, ops_status = None, "FAILED to import"
        if ops is not None and callable(getattr(ops, "run", None)):
            print("\n#### operators (benchmarks/bench_operators.py)", flush=True)
            kwargs = {}
            params = inspect.signature(ops.run).parameters
            if other and "only" in params and not set(other) & set(OPERATORS_ALL):
                kwargs["only"] = other
            try:
                t0 = time.perf_counter()
                ops_result = ops.run(args.quick, **kwargs)
                ops_status = f"ran in {time.perf_counter() - t0:.0f} s"
            except Exception:  # noqa: BLE001
                traceback.print_exc()
                ops_status = "FAILED"
        elif ops is not None:
            ops_status = "present without run(quick): skipped"
        elif other and ops is None and ops_status == "not present":
            print(f"\nunknown workload(s) {','.join(other)}: core ones are {', '.join(CORE)}, "
                  f"and there is no benchmarks/bench_operators.py")
            return 2

    report.print_targets()
    total = time.perf_counter() - t_start
    env["loadavg_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(f"\noperators: {ops_status}")
    print(f"load average at start {env['loadavg_start']}, at end {env['loadavg_end']}")
    print(f"total {total:.0f} s")

    if args.json:
        data = {"mode": "quick" if args.quick else "full", "environment": env,
                "total_s": total, **report.as_dict(), "operators_status": ops_status}
        if ops_result is not None:
            try:
                json.dumps(ops_result)
                data["operators"] = ops_result
            except TypeError:
                data["operators"] = repr(ops_result)
        with open(args.json, "w") as f:
            json.dump(data, f, indent=1, default=str)
        print(f"wrote {args.json}")
    return 1 if report.failed or ops_status.startswith("FAILED") else 0


if __name__ == "__main__":
    sys.exit(main())
