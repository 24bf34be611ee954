"""Installable anywhere: build the sdist and, from it, the wheel (`python -m build`), install the
wheel into a fresh venv and run the main commands from a temporary directory; every output must
be byte for byte the checkout's.

The wheel carries ontology/, data/, shapes/ and queries/ under coopkg/project/ (pyproject.toml
maps them there at build time). The repository keeps one copy: the top-level folders.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import cli_helpers
import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

# The main commands, as a user would type them (stdout and exit code compared byte for byte).
COMMANDS = [
    ("query", "who-committed-what", "--format", "csv"),
    ("query", "who-committed-what", "--format", "csv", "--lang", "vi"),
    ("query", "qc/missing-label-violation", "--format", "tsv"),
    ("queries",),
    ("stats",),
    ("stats", "--format", "json", "--lang", "vi"),
    ("export", "--format", "ttl"),
    ("export", "--format", "nq", "--entailment", "none"),
    ("export", "--format", "jsonld"),
    ("validate",),
    ("check",),
    ("diagram",),
    ("links", "sa-pa"),
]
# What a command reads (the graph and the shapes), and what the commands cite or answer with.
PROJECT_FILES = [
    *cli_helpers.PROJECT_FILES,
    "data/catalog.ttl",
    "data/source/2017-05-17-ha-noi-lao-cai-working-session.vi.txt",
    "data/reference/external-ids.csv",
    "queries/who-committed-what.rq",
    "queries/qc/missing-label-violation.rq",
    "queries/expected/who-committed-what.srj",
]


def clean_env() -> dict[str, str]:
    # One hash seed for both sides: the JSON-LD export's key order follows rdflib's hashing of
    # terms, so it differs from run to run even in the checkout; the graph is the same.
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONHASHSEED="0")
    for name in ("COOPKG_HOME", "PYTHONPATH", "VIRTUAL_ENV"):
        env.pop(name, None)
    return env


def source_copy(target: Path) -> Path:
    """The checkout's files (tracked and untracked, not ignored) copied to target, so that the
    build writes nothing into the checkout and sees what a fresh clone would hold."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        cwd=ROOT,
    )
    if listed.returncode != 0:  # not a git checkout: everything but the usual build litter
        ignore = shutil.ignore_patterns(".git", ".venv", ".cache", "__pycache__", "*.egg-info")
        shutil.copytree(ROOT, target, ignore=ignore)
        return target
    for name in listed.stdout.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """`python -m build`: the sdist, then the wheel built from the unpacked sdist."""
    src = source_copy(tmp_path_factory.mktemp("src") / "coopkg")
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(src)],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return out


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory) -> Path:
    """A fresh venv with the wheel and its dependencies from PyPI (or pip's cache)."""
    where = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True, timeout=300)
    (wheel,) = dist.glob("coopkg-*.whl")
    done = subprocess.run(
        [str(where / "bin" / "pip"), "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return where


def run(command: list[str], cwd: Path, env: dict | None = None) -> tuple[int, bytes, bytes]:
    done = subprocess.run(
        command, capture_output=True, cwd=cwd, env=env or clean_env(), timeout=300
    )
    return done.returncode, done.stdout, done.stderr


def test_sdist_and_wheel_carry_the_project_graph(dist):
    (sdist,) = dist.glob("coopkg-*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    (wheel,) = dist.glob("coopkg-*.whl")
    with zipfile.ZipFile(wheel) as whl:
        in_wheel = set(whl.namelist())
    for name in PROJECT_FILES:
        assert name in names, f"sdist lacks {name}"
        assert f"coopkg/project/{name}" in in_wheel, f"wheel lacks {name}"
    for name in ("coopkg/sparql/stats-entities-by-class.rq", "coopkg/context.jsonld"):
        assert name in in_wheel
    # The graph in the wheel is the repository's, byte for byte.
    with zipfile.ZipFile(wheel) as whl:
        for name in PROJECT_FILES:
            assert whl.read(f"coopkg/project/{name}") == (ROOT / name).read_bytes(), name
    # And nothing tracked in those folders is left out (pyproject.toml lists them by pattern).
    tracked = subprocess.run(
        ["git", "ls-files", "ontology", "data", "shapes", "queries"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if tracked.returncode == 0:
        missing = [n for n in tracked.stdout.split() if f"coopkg/project/{n}" not in in_wheel]
        assert not missing, f"tracked but not in the wheel: {missing}"


def test_the_repository_keeps_one_copy_of_the_graph():
    tracked = subprocess.run(
        ["git", "ls-files", "coopkg/project"], capture_output=True, text=True, cwd=ROOT
    )
    if tracked.returncode != 0:
        pytest.skip("not a git checkout: " + tracked.stderr.strip()[:100])
    assert tracked.stdout == ""


def test_installed_coopkg_reads_the_copy_in_the_package(venv, tmp_path):
    code, out, err = run(
        [str(venv / "bin" / "python"), "-c", "import coopkg.paths as p; print(p.root())"],
        cwd=tmp_path,
    )
    assert code == 0, err
    assert Path(out.decode().strip()).is_relative_to(venv)
    assert out.decode().strip().endswith("site-packages/coopkg/project")


def test_installed_coopkg_gives_the_checkouts_output_from_anywhere(venv, tmp_path):
    """One test for all commands: xdist would otherwise build and install once per worker."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    differ = []
    for args in COMMANDS:
        here = run([sys.executable, "-m", "coopkg", *args], cwd=ROOT)
        assert here[0] in (0, 1) and here[1], f"checkout: coopkg {' '.join(args)}: {here[2]!r}"
        installed = run([str(venv / "bin" / "coopkg"), *args], cwd=elsewhere)
        if installed != here:
            differ.append(
                f"coopkg {' '.join(args)}: exit {installed[0]} vs {here[0]}, "
                f"stderr {installed[2][:200]!r}"
            )
    assert not differ, "\n".join(differ)
    assert list(elsewhere.iterdir()) == [], "a command wrote into the working directory"


def test_installed_coopkg_follows_project_and_coopkg_home(venv, tmp_path):
    """`--project DIR` and COOPKG_HOME point the installed command at a working copy."""
    coopkg = str(venv / "bin" / "coopkg")
    home = tmp_path / "copy"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, home / folder)
    (home / "data" / "agreement.ttl").unlink()
    env = dict(clean_env(), COOPKG_HOME=str(home))
    code, out, err = run([coopkg, "stats"], cwd=tmp_path, env=env)
    assert (code, out) == (2, b"")
    assert err.decode().startswith("coopkg: error: data/agreement.ttl: no such file")
    code, out, err = run([coopkg, "--project", str(ROOT), "stats"], cwd=tmp_path, env=env)
    assert code == 0, err
    assert out == run([sys.executable, "-m", "coopkg", "stats"], cwd=ROOT)[1]
    # A copy without its concept schemes or its ontology fails the same way, by either route.
    for name in ("ontology/concepts.ttl", "ontology/coopkg.ttl"):
        partial = tmp_path / name.replace("/", "-")
        for folder in ("ontology", "data", "shapes", "queries"):
            shutil.copytree(ROOT / folder, partial / folder)
        (partial / name).unlink()
        for route, call_env in (
            (["--project", str(partial)], clean_env()),
            ([], dict(clean_env(), COOPKG_HOME=str(partial))),
        ):
            code, out, err = run(
                [coopkg, *route, "query", "who-committed-what"], cwd=tmp_path, env=call_env
            )
            assert (code, out) == (2, b""), (name, route, err)
            assert err.decode().startswith(f"coopkg: error: {name}: no such file"), err
            assert len(err.decode().splitlines()) == 1, err
