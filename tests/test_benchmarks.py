"""The comparative suite's agreement checks at tiny sizes, so they cannot rot.

Each (workload, system) of ``benchmarks/compare.py`` runs once in this
process at its "tiny" sizes; every row must agree with the numpy/scipy
reference. No timing is asserted. Optional systems are skipped when not
installed (the CI installs only numpy, scipy, networkx and the test extra).
"""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

compare = pytest.importorskip("benchmarks.compare")

CASES = [(wl, s) for wl, systems in compare.SYSTEMS.items() for s in systems]


@pytest.mark.parametrize(("workload", "system"), CASES, ids=[f"{w}-{s}" for w, s in CASES])
def test_agreement(workload, system):
    for mod in compare.NEEDS.get(system, []):
        pytest.importorskip(mod)
    rows = compare.run_case(workload, system, "tiny")
    assert rows, "no rows"
    for r in rows:
        assert r["status"] == "ok" or r["status"].startswith("not available"), (r["case"],
                                                                               r["status"])
        if r["status"] == "ok":  # MEM's "time" is bytes per edge: noise at tiny sizes
            assert r["times"] and (workload == "MEM" or min(r["times"]) >= 0)


def test_references_catch_a_wrong_answer():
    """The checks themselves fail on a wrong matrix (a one-entry change)."""
    import numpy as np
    import scipy.sparse as sp

    ref = compare.direct_diags(10, 2)
    bad = ref.copy()
    bad.data[0] += 1
    with pytest.raises(AssertionError):
        compare.exact(ref, bad)
    A = compare.symmetric_csr(5, np.array([0, 1]), np.array([1, 2]), np.array([1.0, 2.0]))
    with pytest.raises(AssertionError):
        compare.close(compare.laplacian_ref(A, "combinatorial"), sp.csr_array(A))
