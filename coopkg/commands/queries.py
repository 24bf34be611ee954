"""`coopkg queries`: the named queries, the question each answers, and what --bind accepts."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "queries",
        help="list the named queries with the question each answers and what --bind accepts",
        description="List the named queries (queries/*.rq): the question from each header, the "
        "variables `coopkg query NAME --bind VAR=VALUE` can bind, and an example binding (from "
        "the header, else from the query's expected result). Wrapped to the terminal.",
    )
    p.add_argument("--lang", choices=("en", "vi"), default="en", help="question language (en)")
    p.add_argument(
        "--width",
        type=int,
        metavar="COLUMNS",
        help="wrap to this many columns (default: $COLUMNS, else the terminal's width)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from coopkg import query, results
    from coopkg.errors import CoopkgError
    from coopkg.paths import display, queries_dir

    named = query.named_queries()
    if not named:
        raise CoopkgError(f"no named query found in {display(queries_dir())}/*.rq")
    width = results.terminal_width(args.width)
    blocks = []
    for name, path in named.items():
        text = query.read_query_file(path).text
        blocks.append("\n".join(describe(name, path, text, args.lang, width)))
    sys.stdout.write("\n\n".join(blocks) + "\n")
    return 0


INDENT = 4


def describe(name, path, text: str, lang: str, width: int | None) -> list[str]:
    """A query's lines: its name and question, then what --bind accepts, wrapped to width."""
    from coopkg import sparqltext

    question = sparqltext.question(text, lang)
    # A SELECT's projected variables; a CONSTRUCT's, DESCRIBE's or ASK's are in its pattern.
    variables = sparqltext.projected(text) or sorted(sparqltext.variables(text) - {"lang"})
    examples = dict(sparqltext.bind_examples(text))
    if not examples:
        example = _example_from_expected(path, variables)
        if example:
            examples = dict([example])
    names = list(examples) + [v for v in variables if v not in examples]
    shown = [f"{n} (e.g. --bind {_shell(n, examples[n])})" if n in examples else n for n in names]
    bind = "bind: " + (", ".join(shown) or "nothing (no variable)")
    if "lang" in sparqltext.variables(text):
        bind += "; labels: --lang vi|en"
    return [name] + _wrap(question, width) + _wrap(bind, width)


def _shell(name: str, value: str) -> str:
    """NAME=VALUE as a shell word (quoted when the value has quotes or spaces)."""
    word = f"{name}={value}"
    return f"'{word}'" if any(c in value for c in "\"' ()*?$<>&;|") else word


def _example_from_expected(path, variables: list[str]) -> tuple[str, str] | None:
    """A binding that gives rows: a projected variable's value in the expected result's first
    row (an IRI preferred), written as a Turtle term."""
    import json

    from coopkg import terms

    expected = path.parent / "expected" / f"{path.stem}.srj"
    try:
        rows = json.loads(expected.read_text(encoding="utf-8"))["results"]["bindings"]
    except (OSError, ValueError, KeyError):
        return None
    if not rows:
        return None
    first = rows[0]
    candidates = [v for v in variables if v in first and v != "lang"]
    iris = [v for v in candidates if first[v]["type"] == "uri"]
    for name in iris or candidates:
        term = first[name]
        if term["type"] == "uri":
            return name, terms.compact(term["value"])
        if term["type"] in ("literal", "typed-literal"):
            value = json.dumps(term["value"], ensure_ascii=False)
            if "xml:lang" in term:
                return name, f"{value}@{term['xml:lang']}"
            datatype = term.get("datatype")
            if datatype and not datatype.endswith("#string"):
                return name, f"{value}^^{terms.compact(datatype)}"
            return name, value
    return None


def _wrap(text: str, width: int | None) -> list[str]:
    """Indented lines of at most width columns (words kept whole where they fit)."""
    from coopkg.results import wrap

    room = None if width is None else max(width - INDENT, 20)
    lines = [text] if room is None else wrap(text, room)
    return [" " * INDENT + line for line in lines]
