"""Quality checks: every queries/qc/*-violation.rq must return no rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from coopkg import paths, query
from coopkg.errors import CoopkgError


@dataclass
class CheckResult:
    path: Path
    variables: list[str]
    rows: list[list[object]]


def check_files() -> list[Path]:
    """The quality-check queries; none found is an error (a wrong glob must not pass)."""
    files = sorted(paths.qc_dir().glob("*-violation.rq")) if paths.qc_dir().is_dir() else []
    if not files:
        raise CoopkgError(
            f"no quality checks found: {paths.display(paths.qc_dir())}/*-violation.rq"
        )
    return files


def run_checks(store: ox.Store, files: list[Path] | None = None) -> list[CheckResult]:
    out = []
    for path in check_files() if files is None else files:
        q = query.read_query_file(path)
        result = query.run_embedded(store, q)
        if not isinstance(result, ox.QuerySolutions):
            raise CoopkgError(f"{q.source}: a quality check must be a SELECT query")
        names = [v.value for v in result.variables]
        rows = [[sol[n] for n in names] for sol in result]
        out.append(CheckResult(path, names, rows))
    return out
