"""`coopkg site`: the graph's pages and RDF as a static site, with w3id redirect rules."""

from __future__ import annotations

import argparse

DEFAULT_BASE_URL = "https://example.org/coopkg"


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "site",
        help="write every entity page and its Turtle/JSON-LD/N-Triples as a static site",
        description="Write the pages that `coopkg serve` shows (home, every entity in Vietnamese "
        "and English, the article's evidence view, the named queries' results, search) and "
        "every entity's Turtle, JSON-LD and N-Triples into DIR, for any static host. "
        "DIR/w3id/coopkg/.htaccess holds the redirect rules for a w3id.org/coopkg entry: "
        "each https://w3id.org/coopkg/id/SLUG goes (303) to its page or data on --base-url by "
        "Accept. DIR is replaced as a whole once the new site is complete.",
        epilog="Exit codes: 0 written, 2 error (nothing changed).",
    )
    p.add_argument("--out", required=True, metavar="DIR", help="the site's directory")
    p.add_argument(
        "--base-url",
        default=DEFAULT_BASE_URL,
        metavar="URL",
        help=f"where the site will be published, for the redirect rules ({DEFAULT_BASE_URL})",
    )
    p.add_argument(
        "--store", metavar="DIR", help="a store built by `coopkg build --store DIR` instead"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from coopkg import graph, paths, persist
    from coopkg.errors import CoopkgError
    from coopkg.web import site
    from coopkg.web.describe import Graph

    if not args.base_url.startswith(("http://", "https://")):
        raise CoopkgError(f"--base-url {args.base_url!r}: not an http(s) URL")
    store = persist.open_read_only(Path(args.store)) if args.store else graph.open_store()
    done = site.build(Graph(store, paths.root()), Path(args.out), args.base_url)
    print(
        f"wrote {args.out}: {done['pages']} pages, {done['data_files']} data files for "
        f"{done['entities']} entities in {done['seconds']:.2f} s "
        f"(CPU {done['cpu_seconds']:.2f} s)"
    )
    print(f"w3id redirect rules: {Path(args.out) / 'w3id' / 'coopkg' / '.htaccess'}")
    return 0
