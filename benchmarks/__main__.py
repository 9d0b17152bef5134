"""The one benchmark runner: ``python -m benchmarks [--quick | --tier heavy] [--only W2,W7]``.

Discovers every workload module ``benchmarks/w*.py`` (each declares NAME,
SYSTEMS, SIZES, cases() and targets(); see ``benchmarks/README.md``), runs
each in a fresh interpreter (each system in its own when the module sets
ISOLATE), prints the environment, one table per workload and each target as
met / NOT MET, and writes ``benchmarks/results/<mode>/results.json`` and one
PNG per workload beside it, after each workload. A full run also rewrites the
results section of ``benchmarks/README.md`` (workloads not run keep their
last tables). ``--tier heavy`` runs the workloads that declare heavy sizes
(larger than any CI run, minutes to hours: run it by hand, under the
machine's lock) and writes ``<out>/heavy/``, never the README.

Exit status: 0 when every system agreed with its reference, 1 when one
disagreed or failed, 2 for a bad command line. Missed targets are reported,
not turned into a failure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from benchmarks import harness  # noqa: E402

README = os.path.join(ROOT, "benchmarks", "README.md")
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"


def _parse(argv):
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="graphstore beside networkx, scipy, rustworkx, igraph, networkit, "
                    "python-graphblas and the numpy/Python floor, as ratios.")
    ap.add_argument("--quick", action="store_true",
                    help="smaller sizes and fewer rounds (under 2 minutes)")
    ap.add_argument("--tier", choices=("quick", "full", "heavy"),
                    help="the sizes to run: quick (as --quick), full (the default) or heavy "
                         "(only the workloads that declare heavy sizes; minutes to hours and "
                         "GiBs of memory; never rewrites the README)")
    ap.add_argument("--timeout", type=float, metavar="SECONDS",
                    help="stop a workload after this long, keeping the sizes it finished "
                         "(default: 600 quick, 1800 full, 14400 heavy)")
    ap.add_argument("--only", metavar="W1,W7", help="comma-separated workload names")
    ap.add_argument("--systems", metavar="graphstore,networkx",
                    help="comma-separated systems (default: every system of each workload)")
    ap.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results"),
                    help="directory for <mode>/results.json and the plots")
    ap.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    ap.add_argument("--no-readme", action="store_true",
                    help="a full run does not rewrite benchmarks/README.md")
    ap.add_argument("--readme", action="store_true",
                    help="a quick run rewrites benchmarks/README.md too (its tables say --quick)")
    ap.add_argument("--list", action="store_true", help="list the workloads and exit")
    ap.add_argument("--replot", action="store_true",
                    help="redraw the plots (and, for a full run, the README tables) from "
                         "<out>/<mode>/results.json without running anything")
    ap.add_argument("--child", nargs=3, metavar=("MODULE", "MODE", "SYSTEMS"),
                    help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def _title(module):
    doc = (module.__doc__ or module.NAME).strip().splitlines()[0]
    return doc.rstrip(".")


def main(argv=None) -> int:
    args = _parse(argv)
    if args.child:
        mod, mode, systems = args.child
        harness.child_main(mod, mode, systems.split(",") if systems else None)
        return 0
    found = harness.discover()
    if args.list:
        for name, mod in found.items():
            m = harness.load_module(mod)
            print(f"{name:<6} {mod + '.py':<24} {_title(m)}; systems: {', '.join(m.SYSTEMS)}")
        return 0
    only = [x.strip() for x in args.only.split(",") if x.strip()] if args.only else None
    if only:
        upper = {k.upper(): k for k in found}
        bad = [x for x in only if x.upper() not in upper]
        if bad:
            print(f"python -m benchmarks: unknown workload {', '.join(bad)}; "
                  f"known: {', '.join(found)}", file=sys.stderr)
            return 2
        only = [upper[x.upper()] for x in only]
    systems = ([x.strip() for x in args.systems.split(",") if x.strip()]
               if args.systems else None)
    if args.quick and args.tier not in (None, "quick"):
        print(f"python -m benchmarks: --quick contradicts --tier {args.tier}", file=sys.stderr)
        return 2
    mode = args.tier or ("quick" if args.quick else "full")
    outdir = os.path.join(args.out, mode)
    write = (mode == "full" or args.readme) and not args.no_readme and mode != "heavy"
    os.makedirs(outdir, exist_ok=True)

    t_start = time.perf_counter()
    env = harness.environment()
    print(f"graphstore benchmarks ({mode})")
    for k, v in env.items():
        print(f"  {k:<18} {v}")
    print("  method: a fresh interpreter per workload (per system where the module says "
          "ISOLATE); runs interleaved round by round, warm-up first; time.perf_counter; "
          "each answer checked before any time is printed; ratios of per-unit medians",
          flush=True)

    path = os.path.join(outdir, "results.json")
    try:
        with open(path) as f:
            saved = json.load(f)["workloads"]
    except (OSError, ValueError, KeyError):
        saved = {}
    if args.replot:
        for name, w in saved.items():
            plot = None if args.no_plots else harness.plot_workload(
                name, w["title"], w["rows"], w["baseline"], outdir)
            w["plot"] = os.path.relpath(plot, os.path.dirname(README)) if plot else None
        with open(path, "w") as f:
            json.dump({"workloads": saved}, f, indent=1, default=float)
        if write:
            write_readme(saved)
        print(f"redrew {len(saved)} workloads from {path}")
        return 0
    failed = False
    timeout = args.timeout or {"quick": 600, "full": 1800, "heavy": 4 * 3600}[mode]
    for name, modname in found.items():
        if only is not None and name not in only:
            continue
        module = harness.load_module(modname)
        wanted = [s for s in module.SYSTEMS if systems is None or s in systems]
        if not wanted or not module.SIZES.get(mode):
            continue
        t0 = time.perf_counter()
        rows = []
        have = [s for s in wanted if harness.installed(module, s)]
        rows += [r for r in harness.run_workload_skips(module, wanted)]
        if have:
            iso = getattr(module, "ISOLATE", False)
            iso = mode in iso if isinstance(iso, (tuple, list, set, frozenset)) else bool(iso)
            groups = [[s] for s in have] if iso else [have]
            for group in groups:
                got, _ = harness.run_child(module, mode, group, timeout)
                rows += got
        baseline = getattr(module, "BASELINE", None)
        results = harness.Results(rows, mode)
        try:
            targets = list(module.targets(results)) if hasattr(module, "targets") else []
        except Exception as exc:  # noqa: BLE001 - a broken target must not lose the table
            targets = [harness.Target(f"{name} targets", None, "<=", 0,
                                      detail=f"FAILED: {type(exc).__name__}: {exc}")]
        secs = time.perf_counter() - t0
        print(f"\n== {name}: {_title(module)}  [{secs:.0f} s]")
        print(harness.table(rows, baseline))
        for t in targets:
            print("  " + t.line())
        sys.stdout.flush()
        plot = None
        if not args.no_plots:
            try:
                plot = harness.plot_workload(name, _title(module), rows, baseline, outdir)
            except ImportError:
                print("  (matplotlib not installed: no plot)")
        failed |= any(r["status"].startswith(("DISAGREES", "FAILED")) for r in rows)
        saved[name] = {"title": _title(module), "module": modname, "baseline": baseline,
                       "mode": mode, "seconds": round(secs, 1), "environment": env,
                       "load_end": [round(x, 2) for x in os.getloadavg()],
                       "plot": os.path.relpath(plot, os.path.dirname(README)) if plot else None,
                       "rows": rows, "targets": [t.__dict__ for t in targets],
                       "command": "python -m benchmarks" + (" --quick" if mode == "quick" else "")
                       + (" --tier heavy" if mode == "heavy" else "")
                       + (f" --only {args.only}" if args.only else "")
                       + (f" --systems {args.systems}" if args.systems else "")}
        # saved after every workload, so an interrupted run keeps what it measured
        saved = dict(sorted(saved.items(), key=lambda kv: harness._name_key(kv[0])))
        with open(path, "w") as f:
            json.dump({"workloads": saved}, f, indent=1, default=float)
        if write:
            write_readme(saved)
    total = time.perf_counter() - t_start
    print("\n== Targets")
    for name in sorted(saved, key=harness._name_key):
        if only is None or name in only:
            for t in saved[name]["targets"]:
                print("  " + harness.Target(**t).line())
    print(f"\nload average at start {env['loadavg_start']}, at end "
          f"{[round(x, 2) for x in os.getloadavg()]}")
    print(f"total {total:.0f} s; wrote {path}")
    if write:
        print(f"rewrote the results section of {os.path.relpath(README, ROOT)}")
    return 1 if failed else 0


def write_readme(saved):
    """Replace the text between the results markers of benchmarks/README.md."""
    with open(README) as f:
        text = f.read()
    if BEGIN not in text or END not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    parts = [BEGIN, "<!-- written by `python -m benchmarks`; edits here are lost -->"]
    for name, w in saved.items():
        env = w["environment"]
        parts.append(f"\n### {name}: {w['title']}\n")
        parts.append(f"`{w['command']}` on {env['date']}: {env['cpu']}, {env['cores']} cores, "
                     f"{env['memory_gib']} GiB, Python {env['python']}, numpy {env['numpy']}, "
                     f"scipy {env['scipy']}, networkx {env['networkx']}, BLAS {env['blas']}; "
                     f"graphstore {env['graphstore_commit']}. Load average "
                     f"{env['loadavg_start'][0]} at the start of the run, {w['load_end'][0]} "
                     f"after this workload (2 cores shared with other jobs). "
                     f"{w['seconds']:.0f} s.\n")
        parts.append(harness.table(w["rows"], w["baseline"], markdown=True))
        if w["targets"]:
            parts.append("")
            for t in w["targets"]:
                t = harness.Target(**t)
                verdict = ("**met**" if t.met else "**not met**" if t.met is not None
                           else "not measured")
                parts.append(f"- {verdict}: {t.line().split('] ', 1)[1]}")
        if w["plot"]:
            parts.append(f"\n![{name}]({w['plot']})")
    parts.append(END)
    with open(README, "w") as f:
        f.write(head + "\n".join(parts) + tail)


if __name__ == "__main__":
    sys.exit(main())
