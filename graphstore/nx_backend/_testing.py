"""networkx's own test suite with graphstore as its backend (``on_start_tests``)."""

from ._functions import _native

# ----------------------------------------------------------------------
# networkx's own test suite (NETWORKX_TEST_BACKEND=graphstore)

# tests whose networkx expectation graphstore cannot match, by test name
# (the part of the node id after "::"), with the reason
XFAIL = {
    "TestStronglyConnected::test_condensation_mapping_and_members":
        "expects networkx's DFS order of strongly connected components, which follows "
        "adjacency insertion order; a store keeps rows sorted",
}


def on_start_tests(items):
    """Mark :data:`XFAIL` tests and count, per module, tests graphstore's code ran in.

    A test counts as run on graphstore when it passed and at least one
    served call ran graphstore's code during its call phase (not networkx
    on a copy, not a fallback). The table is printed at the end of the run;
    with ``GRAPHSTORE_NX_COUNTS=path`` it is also written there as JSON.
    """
    import pytest

    for item in items:
        reason = XFAIL.get(item.nodeid.split("::", 1)[-1])
        if reason is not None:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True))
    if items:
        items[0].config.pluginmanager.register(_TestCounter(), "graphstore-nx-counter")


class _TestCounter:
    """pytest plugin: per module, tests run / tests that ran graphstore's code and passed."""

    def __init__(self):
        self.tests = {}  # module -> tests whose call phase ran
        self.native = {}  # module -> passed tests that ran graphstore's code
        self.delta = {}  # nodeid -> native calls counted when its setup ended
        self.module = {}  # nodeid -> its module's dotted name

    def pytest_runtest_setup(self, item):
        self.module[item.nodeid] = getattr(getattr(item, "module", None), "__name__", "?")

    def pytest_runtest_logreport(self, report):
        # the setup report comes after setup ran, the call report after the test
        if report.when == "setup":
            self.delta[report.nodeid] = _native[0]
        if report.when != "call":
            return
        ran = _native[0] - self.delta.pop(report.nodeid, _native[0])
        module = self.module.pop(report.nodeid, "?")
        self.tests[module] = self.tests.get(module, 0) + 1
        if report.passed and ran > 0:
            self.native[module] = self.native.get(module, 0) + 1

    def pytest_terminal_summary(self, terminalreporter):
        import json
        import os

        rows = sorted((m, self.native[m], self.tests[m]) for m in self.native)
        tr = terminalreporter
        tr.write_sep("=", "tests that ran graphstore's code (passed), per module")
        for m, k, t in rows:
            tr.write_line(f"{k:6d} / {t:<6d} {m}")
        tr.write_line(f"{sum(r[1] for r in rows):6d} in all")
        path = os.environ.get("GRAPHSTORE_NX_COUNTS")
        if path:
            with open(path, "w") as f:
                json.dump({m: {"native": k, "tests": t} for m, k, t in rows}, f, indent=1)


