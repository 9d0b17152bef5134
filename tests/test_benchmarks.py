"""The benchmark harness and every workload's agreement check, at tiny sizes.

Each (workload, system) pair declared by a ``benchmarks/w*.py`` module runs
once in this process at the module's "tiny" sizes: every row must have
agreed with its reference (the check ran and passed) and produced its timed
rounds. A system whose library is not installed FAILS here rather than being
skipped: CI installs the bench extra, so a missing library is a broken setup.
No time is compared with anything (speed targets live in benchmarks/).
"""

import importlib
import importlib.util
import math
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from benchmarks import harness, inputs  # noqa: E402

MODULES = {name: harness.load_module(mod) for name, mod in harness.discover().items()}

# Import the comparison libraries once, up front, under one narrow filter: networkit's
# import reads deprecated names from IPython.core.display (a DeprecationWarning that
# pytest's filterwarnings=error would turn into an import failure of networkit itself).
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", r"Importing \w+ from IPython\.core\.display",
                            DeprecationWarning)
    for _mods in harness.NEEDS.values():
        for _mod in _mods:
            if importlib.util.find_spec(_mod) is not None:
                importlib.import_module(_mod)
CASES = [(name, s) for name, m in MODULES.items() for s in m.SYSTEMS]


def test_every_workload_is_discovered():
    for name in ("W1", "W2", "W3", "W4", "W5", "W5b", "W6", "W7", "W8", "W9", "W10", "MEM"):
        assert name in MODULES, sorted(MODULES)


def test_modules_declare_the_protocol():
    for name, m in MODULES.items():
        assert m.NAME == name
        assert set(harness.MODES) <= set(m.SIZES), name  # a module may add its own modes
        assert all(m.SIZES[mode] for mode in harness.MODES), name
        assert callable(m.cases) and callable(m.targets), name
        assert m.SYSTEMS and len(set(m.SYSTEMS)) == len(m.SYSTEMS), name
        assert getattr(m, "BASELINE", None) in (None, *m.SYSTEMS), name
        assert (m.__doc__ or "").strip(), f"{name}: the docstring is the workload's title"


@pytest.mark.parametrize(("workload", "system"), CASES, ids=[f"{w}-{s}" for w, s in CASES])
def test_agreement(workload, system):
    module = MODULES[workload]
    if not harness.installed(module, system):
        pytest.fail(f"{system} is not installed ({', '.join(harness.needs(module, system))}): "
                    'install the bench extra, pip install -e ".[bench]"')
    rows = harness.run_workload(module, "tiny", [system])
    mine = [r for r in rows if r["base_system"] == system]
    assert mine, f"{workload} made no row for {system} at its tiny sizes"
    for r in mine:
        where = f"{r['case']} / {r['system']}"
        assert r["status"] == "ok" or r["status"].startswith("skipped:"), (where, r["status"])
        if r["status"] != "ok":
            continue
        assert r["checked"], f"{where}: timed without its agreement check"
        assert len(r["times"]) == harness.ROUNDS["tiny"][1], where
        if r["metric"] == "time":
            assert all(math.isfinite(t) and t > 0 for t in r["times"]), (where, r["times"])
        else:  # a resident-memory delta of a tiny graph is page noise and may be negative
            assert all(math.isfinite(t) for t in r["times"]), (where, r["times"])
        assert all(u > 0 for u in r["units_per_round"]), (where, r["units_per_round"])
    assert any(r["status"] == "ok" for r in mine), f"{workload}: every {system} row skipped"


# ----------------------------------------------------------------------
# the harness itself: a disagreeing or failing system is caught, never timed


def _case(runs, expect=3, **kw):
    return harness.Case("c", runs, expect=expect, **kw)


def test_a_wrong_answer_is_reported_and_not_timed():
    calls = []

    def wrong():
        calls.append(1)
        return 4

    case = _case({"good": harness.Run(lambda: 3), "bad": harness.Run(wrong)})
    rows = {r["system"]: r for r in harness.measure_case(case, "quick")}
    assert rows["good"]["status"] == "ok" and rows["good"]["checked"]
    assert len(rows["good"]["times"]) == harness.ROUNDS["quick"][1]
    assert rows["bad"]["status"].startswith("DISAGREES: 4 != 3")
    assert rows["bad"]["times"] == []
    assert len(calls) == 1, "a system that disagreed ran again"


def test_the_check_runs_before_the_timed_rounds():
    seen = []

    def run():
        seen.append("run")
        return 3

    def compare(expect, got):
        seen.append("check")
        assert got == expect

    case = _case({"a": harness.Run(run, rounds=(1, 2))}, compare=compare)
    harness.measure_case(case, "quick")
    assert seen == ["run", "check", "run", "run"]


def test_an_exception_is_reported_as_failed():
    def boom():
        raise ValueError("no such vertex 7")

    case = _case({"a": harness.Run(boom), "b": harness.Run(lambda: 3)})
    rows = {r["system"]: r for r in harness.measure_case(case, "tiny")}
    assert rows["a"]["status"] == "FAILED: ValueError: no such vertex 7"
    assert rows["b"]["status"] == "ok"


def test_measured_units_and_values():
    case = _case({"a": harness.Run(lambda: harness.Measured(3, value=2.5, units=5))},
                 units=100, metric="bytes")
    (row,) = harness.measure_case(case, "quick")
    assert row["times"] == [2.5] * harness.ROUNDS["quick"][1]
    assert row["units_per_round"] == [5] * harness.ROUNDS["quick"][1]
    assert harness.Results([row], "quick").per_unit("c", "a") == 0.5


def test_prepare_is_untimed_and_budget_stops_rounds():
    import time

    case = _case({"a": harness.Run(lambda s: s, prepare=lambda: (time.sleep(0.05), 3)[1],
                                   rounds=(0, 3)),
                  "slow": harness.Run(lambda: (time.sleep(0.02), 3)[1], rounds=(0, 5),
                                      budget=0.01)})
    rows = {r["system"]: r for r in harness.measure_case(case, "quick")}
    assert max(rows["a"]["times"]) < 0.04
    assert len(rows["slow"]["times"]) == 1


def test_targets_judge_ratios():
    rows = [{"case": "c", "system": s, "times": [t], "units_per_round": [1], "units": 1,
             "unit": "op", "status": "ok", "metric": "time"}
            for s, t in (("graphstore", 3.0), ("networkx", 2.0))]
    r = harness.Results(rows, "quick")
    t = r.ratio("gs <= 1.5x nx", ("c", "graphstore"), ("c", "networkx"), "<=", 1.5)
    assert t.value == 1.5 and t.met is True
    t = r.ratio("gs <= 1.2x nx", ("c", "graphstore"), ("c", "networkx"), "<=", 1.2)
    assert t.met is False and "NOT MET" in t.line()
    t = r.ratio("missing", ("c", "graphstore"), ("c", "rustworkx"), "<=", 1.2)
    assert t.value is None and t.met is None and "n/a" in t.line()
    assert "graphstore" in harness.table(rows, "networkx")
    assert harness.table(rows, "networkx", markdown=True).startswith("| case |")


def test_plot_is_written(tmp_path):
    pytest.importorskip("matplotlib")
    rows = [{"case": f"n={n}", "system": s, "times": [n * t], "units_per_round": [n],
             "units": n, "unit": "vertex", "status": "ok", "metric": "time", "x": n,
             "group": "growth"} for n in (10, 100) for s, t in (("graphstore", 1), ("floor", 2))]
    path = harness.plot_workload("W0", "test", rows, "floor", str(tmp_path))
    assert os.path.getsize(path) > 1000


def test_references_catch_a_wrong_answer():
    ref = inputs.direct_diags(10, 2, format="csr")
    bad = ref.copy()
    bad.data[0] += 1
    with pytest.raises(AssertionError, match="value at"):
        inputs.exact(ref, bad)
    with pytest.raises(AssertionError, match="max"):
        inputs.close(ref, bad)
    with pytest.raises(AssertionError, match="duplicate"):
        inputs.canonical(sp.csr_array((np.ones(2), np.array([1, 1]), np.array([0, 2])),
                                      shape=(1, 2)))
    with pytest.raises(AssertionError, match="answer 1"):
        harness.assert_equal([1, 2, 3], [1, 5, 3])
    # the stencil is numpy's: identity differenced n times
    for n in range(4):
        assert np.array_equal(inputs.direct_diags(8, n).toarray(), np.diff(np.eye(8), n, axis=1))


def test_cli_rejects_an_unknown_workload():
    p = subprocess.run([sys.executable, "-m", "benchmarks", "--only", "W99", "--no-plots"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode == 2
    assert "unknown workload W99" in p.stderr and len(p.stderr.strip().splitlines()) == 1
