"""The validation results depend on exact library behaviour: pySHACL's internals that
coopkg/fastvalidate.py imports (its ontology mix-in), how rdflib and pyoxigraph read and write
literals, the Rust `shacl` engine's coverage of the W3C suite, and the canonical Turtle form
(rdflib's serializer). pyproject.toml bounds each of them; this test fails loudly when an
installed version is outside the range the suite was run with, so a move is a decision, not a
surprise.

To move a dependency: install the new version, run tests/test_w3c_shacl.py,
tests/test_fastvalidate.py, tests/test_validate_exact.py and `make lint`, then widen TESTED and
the bound in pyproject.toml together.
"""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Package -> the release series (major.minor) the results were checked with.
TESTED = {
    "pyshacl": "0.40",
    "rdflib": "7.6",
    "pyoxigraph": "0.5",
    "shacl": "0.3",
}


def series(v: str) -> str:
    return ".".join(v.split(".")[:2])


@pytest.mark.parametrize("package", sorted(TESTED))
def test_installed_version_is_the_tested_one(package):
    installed = version(package)
    assert series(installed) == TESTED[package], (
        f"{package} {installed} is installed, but coopkg's validation was checked with "
        f"{TESTED[package]}.x: run the W3C SHACL suite and the engine tests with it, then update "
        "TESTED in tests/test_pins.py and the bound in pyproject.toml"
    )


@pytest.mark.parametrize("package", sorted(TESTED))
def test_pyproject_bounds_the_tested_series(package):
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "dependencies"
    ]
    (spec,) = [d for d in deps if re.match(rf"{re.escape(package)}\s*[<>=!~]", d)]
    upper = re.search(r"<\s*([\d.]+)", spec)
    assert upper, f"{spec}: no upper bound"
    tested = tuple(int(x) for x in TESTED[package].split("."))
    bound = tuple(int(x) for x in upper.group(1).split("."))
    assert tested < bound <= (tested[0], tested[1] + 1), f"{spec} does not bound {TESTED[package]}"
