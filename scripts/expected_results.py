#!/usr/bin/env python3
"""Write the expected result of each named query: queries/expected/<stem>.srj.

Usage: expected_results.py [--check] [NAME ...]

Runs queries/<NAME>.rq (every queries/*.rq when no NAME is given) on the project graph with
pyoxigraph, unbound, exactly as tests/test_queries.py does, and writes the answer as SPARQL 1.1
Query Results JSON (indented, UTF-8, rows in the query's order). It says which files changed.
The tests then hold the graph to these answers, so read `git diff queries/expected/` against the
article before committing: a changed row must be a change the article supports.

``--check`` writes nothing and exits 1 when a file would change. Exit codes: 0 written or up to
date, 1 stale with --check, 2 unknown query or a query that does not run.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
EXPECTED = QUERIES / "expected"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

sys.path.insert(0, str(ROOT))  # run as a script from a checkout: import coopkg from it


def answer(store, path: Path) -> str:
    import pyoxigraph as ox

    result = store.query(path.read_text(encoding="utf-8"))
    doc = json.loads(result.serialize(format=ox.QueryResultsFormat.JSON))
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def same_answer(a: dict, b: dict) -> bool:
    """The same variables and the same rows in any order (a plain literal is an xsd:string)."""

    def rows(doc: dict) -> list:
        def term(t: dict) -> tuple:
            lang = t.get("xml:lang")
            kind = "literal" if t["type"] == "typed-literal" else t["type"]
            datatype = None if lang or kind != "literal" else t.get("datatype", XSD_STRING)
            return (kind, t["value"], lang or "", datatype or "")

        return sorted(
            sorted((k, term(v)) for k, v in row.items()) for row in doc["results"]["bindings"]
        )

    if "boolean" in a or "boolean" in b:
        return a.get("boolean") == b.get("boolean")
    return a["head"]["vars"] == b["head"]["vars"] and rows(a) == rows(b)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write queries/expected/<name>.srj from a run of queries/<name>.rq.",
        epilog="Exit codes: 0 written or up to date, 1 stale (--check), 2 error.",
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="query names (default: all)")
    parser.add_argument("--check", action="store_true", help="report stale files, write nothing")
    args = parser.parse_args(argv)

    from coopkg import atomic, graph
    from coopkg.errors import CoopkgError

    paths = [QUERIES / f"{n.removesuffix('.rq')}.rq" for n in args.names] or sorted(
        QUERIES.glob("*.rq")
    )
    missing = [p for p in paths if not p.is_file()]
    if missing:
        print(
            f"expected_results: no such query: {', '.join(p.stem for p in missing)}",
            file=sys.stderr,
        )
        return 2
    try:
        store = graph.open_store()
        changed = []
        for path in paths:
            target = EXPECTED / f"{path.stem}.srj"
            text = answer(store, path)
            old = target.read_text(encoding="utf-8") if target.is_file() else None
            if old is not None and same_answer(json.loads(old), json.loads(text)):
                continue  # the tests compare rows order-insensitively; keep the reviewed file
            changed.append(target.relative_to(ROOT))
            if not args.check:
                atomic.write_bytes(target, text.encode("utf-8"))
    except (CoopkgError, SyntaxError, OSError) as exc:
        print(f"expected_results: {exc}", file=sys.stderr)
        return 2
    verb = "stale" if args.check else "wrote"
    for name in changed:
        print(f"{verb}: {name}")
    print(
        f"{len(changed)} of {len(paths)} expected result(s) {'stale' if args.check else 'changed'}"
    )
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
