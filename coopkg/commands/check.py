"""`coopkg check`: run every queries/qc/*-violation.rq; each must return no rows."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "check",
        help="run the quality checks (queries/qc/*-violation.rq must return no rows)",
        description="Run every queries/qc/*-violation.rq on the project graph.",
        epilog="Exit codes: 0 no violation, 1 violations found, 2 error.",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from coopkg import check, graph, paths, terms

    results = check.run_checks(graph.open_store())
    failed = 0
    for r in results:
        shown = paths.display(r.path)
        if not r.rows:
            print(f"PASS {shown}")
            continue
        failed += 1
        print(f"FAIL {shown}: {len(r.rows)} violation(s)")
        for row in r.rows:
            cells = [f"{n}={terms.display(v)}" for n, v in zip(r.variables, row, strict=True) if v]
            print("  " + "  ".join(cells))
    print(f"{len(results)} check(s), {failed} failed")
    sys.stdout.flush()
    return 1 if failed else 0
