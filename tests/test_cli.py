"""The command line, driven as a person drives it: subprocesses, exit status, stdout, stderr."""

import os
import subprocess
import sys

import matplotlib.image as mpimg
import networkx as nx
import numpy as np
import pytest

import graphstore as gs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(*args, cwd=None, check=None):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-m", "graphstore", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=300)
    if check is not None:
        assert proc.returncode == check, proc.stderr
    return proc


def assert_one_line_error(proc, *needles):
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("graphstore: error: ")
    assert "Traceback" not in proc.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture
def edges(tmp_path):
    path = tmp_path / "edges.txt"
    path.write_text("# a small graph\na b 2.5\nb c 1\nc a\nd e 0.5\n")
    return path


def test_no_arguments_runs_the_demo_and_writes_its_plot(tmp_path):
    proc = run("--growth", "3000", cwd=tmp_path, check=0)  # the demo's options, no subcommand
    assert "Les Miserables" in proc.stdout and "vertices         77" in proc.stdout
    assert "growth: 3000 vertices" in proc.stdout
    png = tmp_path / "graphstore-demo.png"
    assert f"plot             {png}" in proc.stdout
    image = mpimg.imread(png)
    assert image.shape == (384, 1200, 4)  # 15 x 4.8 inches at 80 dpi
    assert image[..., :3].std() > 0.05  # not a blank canvas


def test_demo_subcommand(tmp_path):
    proc = run("demo", "--growth", "0", "--no-plot", cwd=tmp_path, check=0)
    assert "growth" not in proc.stdout and "plot " not in proc.stdout
    assert not list(tmp_path.iterdir())
    proc = run("demo", "--growth", "0", "--plot", tmp_path / "lm.png", check=0)
    assert mpimg.imread(tmp_path / "lm.png").shape == (384, 1200, 4)


def test_info_matches_the_library(edges):
    proc = run("info", edges, check=0)
    g = gs.read(edges)
    assert f"vertices         {g.num_vertices}" in proc.stdout
    assert f"edges            {g.num_edges} ({g.nnz} stored entries)" in proc.stdout
    assert "components       2 (largest 3 vertices)" in proc.stdout
    assert proc.stderr == ""  # no progress bars when stderr is not a terminal
    proc = run("info", edges, "--directed", check=0)
    assert "kind             directed" in proc.stdout


def test_info_nodetype(tmp_path):
    path = tmp_path / "ints.txt"
    path.write_text("01 1\n1 2\n")
    assert "vertices         3" in run("info", path, check=0).stdout
    assert "vertices         2" in run("info", path, "--nodetype", "int", check=0).stdout


@pytest.mark.parametrize("out", ["g.mtx", "g.csv.gz", "g.graphml", "g.npz", "g.txt.xz", "g.gml"])
def test_convert_round_trips(edges, tmp_path, out):
    target = tmp_path / out
    proc = run("convert", edges, target, check=0)
    assert proc.stdout.strip() == f"wrote {target}: 5 vertices, 4 edges"
    g, h = gs.read(edges), gs.read(target)
    assert [str(x) for x in h.labels] == g.labels
    np.testing.assert_array_equal(h.adjacency().toarray(), g.adjacency().toarray())
    assert run("convert", edges, target, "--quiet", check=0).stdout == ""


def test_convert_with_explicit_formats(edges, tmp_path):
    target = tmp_path / "graph.out"
    run("convert", edges, target, "--to", "mtx", check=0)
    proc = run("info", target, "--format", "mtx", check=0)
    assert "vertices         5" in proc.stdout


def test_plot(tmp_path):
    G = nx.karate_club_graph()
    path = tmp_path / "karate.mtx"
    gs.write(gs.from_networkx(G), path)
    proc = run("plot", path, "-o", tmp_path / "k.png", "--eigenvalues", "5", check=0)
    assert proc.stdout.strip() == f"wrote {tmp_path / 'k.png'}"
    image = mpimg.imread(tmp_path / "k.png")
    assert image.shape == (384, 1200, 4) and image[..., :3].std() > 0.05
    # the default output: the input's name with .png, in the current directory
    run("plot", path, cwd=tmp_path / "..", check=0)
    assert (tmp_path / ".." / "karate.png").exists()


def test_smallest_eigenvalues_against_dense():
    """The plot's eigenvalues: the Lanczos branch agrees with a dense solve."""
    from graphstore.__main__ import smallest_laplacian_eigenvalues

    G = nx.connected_watts_strogatz_graph(2500, 6, 0.2, seed=1)
    g = gs.from_networkx(G)
    vals, method = smallest_laplacian_eigenvalues(g, 6)
    assert method.startswith("Lanczos")
    ref = np.linalg.eigvalsh(nx.normalized_laplacian_matrix(G).toarray())[:6]
    np.testing.assert_allclose(vals, ref, atol=2e-3)  # the documented tolerance, 1e-3 of 2


def test_help_and_version():
    proc = run("--help", check=0)
    assert "examples:" in proc.stdout and "graphstore convert" in proc.stdout
    for sub in ("info", "convert", "plot", "demo"):
        proc = run(sub, "--help", check=0)
        assert "examples:" in proc.stdout and f"graphstore {sub}" in proc.stdout
    assert run("--version", check=0).stdout.strip() == f"graphstore {gs.__version__}"


def test_errors_are_one_line_with_status_2(tmp_path, edges):
    bad = tmp_path / "bad.txt"
    bad.write_text("a b 1\nb c x\n")
    assert_one_line_error(run("info", tmp_path / "missing.txt"), "missing.txt", "no such file")
    assert_one_line_error(run("info", bad), "bad.txt:2: weight 'x' is not a number")
    unknown = tmp_path / "g.docx"
    unknown.write_text("a b\n")
    assert_one_line_error(run("info", unknown), "unknown format '.docx'")
    assert_one_line_error(run("demo", "--growth", "-5"), "--growth", "must be >= 0, got -5")
    assert_one_line_error(run("plot", edges, "--eigenvalues", "-1"), "must be >= 0")
    assert_one_line_error(run("convert", edges, tmp_path / "no" / "dir" / "g.mtx"),
                          "does not exist")
    assert_one_line_error(run("convert", edges, tmp_path / "g.xyz"), "unknown format '.xyz'")
    assert_one_line_error(run("frobnicate"), "invalid choice")
    assert_one_line_error(run("info"), "the following arguments are required: path")
    mtx = tmp_path / "g.mtx"
    run("convert", edges, mtx, check=0)
    assert_one_line_error(run("info", mtx, "--directed"), "apply to edge lists")
    assert not (tmp_path / "no").exists()


def test_unwritable_output(tmp_path, edges):
    """An output that cannot be written (here a directory's name: even root cannot)."""
    target = tmp_path / "taken.mtx"
    target.mkdir()
    assert_one_line_error(run("convert", edges, target), "taken.mtx")
    assert target.is_dir() and not list(target.iterdir())
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp")] == []


def test_debug_shows_the_traceback(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("a\n")
    proc = run("info", bad, "--debug")
    assert proc.returncode != 0 and "Traceback" in proc.stderr
    assert "bad.txt:1: expected 'u v [weight]'" in proc.stderr


def test_progress_bars_only_when_enabled(capsys):
    """A step over a second shows its bar on stderr; a disabled Progress draws nothing."""
    import time

    from graphstore.__main__ import Progress

    with Progress(enabled=True).step("merging"):
        time.sleep(1.5)
    with Progress(enabled=True).step("quick step"):
        pass
    with Progress(enabled=True).step("reading edges.txt", total=2000) as update:
        update(1000)
        time.sleep(1.5)
    err = capsys.readouterr().err
    assert "merging: 1." in err  # seconds since the step began
    assert "quick step" not in err  # under a second: no bar
    assert "reading edges.txt:  50%" in err and "1.00k/2.00k" in err
    with Progress(enabled=False).step("merging") as update:
        update(5)
        time.sleep(1.2)
    assert capsys.readouterr().err == ""
