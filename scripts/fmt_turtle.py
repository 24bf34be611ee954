#!/usr/bin/env python3
"""Keep the project's Turtle files in one canonical serialization.

Usage: fmt_turtle.py [--check] [FILE ...]

Without FILE, every *.ttl under ontology/, data/ and shapes/ is handled. The canonical form is
rdflib's ``longturtle`` output with the project's fixed prefixes, so a diff shows only what
changed in meaning. ``--check`` rewrites nothing and exits 1 listing the files that drift.
Exit codes: 0 canonical (or rewritten), 1 drift found with --check, 2 a file does not parse.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIRS = ("ontology", "data", "shapes")
# Third-party files kept byte-identical to their published copies (DCAT-AP 3.0.0 shapes).
VERBATIM = ("shapes/dcat-ap",)

# One prefix map for every file, shared with the CLI (coopkg/paths.py), so the same IRI always
# prints the same way. Imported from the checkout so the script runs without installing coopkg.
sys.path.insert(0, str(ROOT))
from coopkg.paths import PREFIXES  # noqa: E402


def canonical(path: Path) -> str:
    """Return the canonical Turtle text of one file (raises on a parse error)."""
    import rdflib

    graph = rdflib.Graph(bind_namespaces="none")
    graph.parse(path, format="turtle")
    # Bind only what the file uses, so unused prefixes do not clutter it.
    used = {str(t) for triple in graph for t in triple}
    for prefix, iri in PREFIXES.items():
        if any(u.startswith(iri) for u in used):
            graph.bind(prefix, iri, override=True, replace=True)
    text = graph.serialize(format="longturtle")
    return text.rstrip("\n") + "\n"


def default_files() -> list[Path]:
    files: list[Path] = []
    for d in DIRS:
        files.extend(sorted((ROOT / d).rglob("*.ttl")))
    verbatim = [ROOT / v for v in VERBATIM]
    return [f for f in files if not any(f.is_relative_to(v) for v in verbatim)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Rewrite Turtle files in the project's canonical serialization.",
        epilog="Exit codes: 0 canonical or rewritten, 1 drift found (--check), 2 parse error.",
    )
    parser.add_argument("files", nargs="*", type=Path, help="Turtle files (default: all)")
    parser.add_argument("--check", action="store_true", help="report drift, rewrite nothing")
    args = parser.parse_args(argv)
    files = args.files or default_files()
    if not files:
        print("fmt_turtle: no Turtle file found", file=sys.stderr)
        return 2
    drift: list[Path] = []
    for path in files:
        try:
            want = canonical(path)
        except Exception as exc:  # rdflib raises several types; report them all in one line
            print(f"fmt_turtle: {path}: {exc}".splitlines()[0], file=sys.stderr)
            return 2
        have = path.read_text(encoding="utf-8")
        if have != want:
            drift.append(path)
            if not args.check:
                tmp = path.with_suffix(path.suffix + ".tmp")
                tmp.write_text(want, encoding="utf-8")
                tmp.replace(path)  # atomic: never a half-written file
    if args.check and drift:
        for path in drift:
            print(f"not canonical: {path} (run `make fmt`)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
