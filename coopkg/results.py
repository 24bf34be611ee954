"""Write query results: SPARQL 1.1 CSV/TSV/JSON/XML (pyoxigraph's W3C serializers), an aligned
table for people, RDF for CONSTRUCT/DESCRIBE, true/false for ASK."""

from __future__ import annotations

import pyoxigraph as ox

from coopkg import paths
from coopkg.errors import CoopkgError

SOLUTION_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
GRAPH_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}
ALL_FORMATS = ("table", *SOLUTION_FORMATS, *GRAPH_FORMATS)


def default_format(result: object, is_tty: bool) -> str:
    if isinstance(result, ox.QueryTriples | list):
        return "ttl"
    return "table" if is_tty else "csv"


def write(result: object, fmt: str, out) -> None:
    """Write any query result in the named format."""
    if isinstance(result, ox.QueryBoolean):
        write_boolean(result, fmt, out)
    elif isinstance(result, ox.QueryTriples | list):  # a list: triples from an endpoint
        if fmt not in GRAPH_FORMATS:
            raise CoopkgError(
                f"a CONSTRUCT/DESCRIBE result is RDF: use --format {'|'.join(GRAPH_FORMATS)}"
            )
        write_triples(list(result), fmt, out)
    else:
        if fmt == "table":
            out.write(table(result).encode("utf-8"))
        elif fmt in SOLUTION_FORMATS:
            result.serialize(out, SOLUTION_FORMATS[fmt])
        else:
            raise CoopkgError(
                f"a SELECT result is a table: use --format table|{'|'.join(SOLUTION_FORMATS)}"
            )


def write_boolean(result: ox.QueryBoolean, fmt: str, out) -> None:
    if fmt in ("json", "xml"):
        result.serialize(out, SOLUTION_FORMATS[fmt])
    elif fmt in ("table", "csv", "tsv"):
        out.write(b"true\n" if bool(result) else b"false\n")
    else:
        raise CoopkgError(f"an ASK result is true/false: --format {fmt} does not apply")


def used_prefixes(triples: list[ox.Triple]) -> dict[str, str]:
    """The project prefixes that the triples use, so Turtle output has no unused @prefix."""
    iris = {t.value for tr in triples for t in tr if isinstance(t, ox.NamedNode)}
    return {p: ns for p, ns in paths.PREFIXES.items() if any(i.startswith(ns) for i in iris)}


def write_triples(triples: list[ox.Triple], fmt: str, out) -> None:
    prefixes = used_prefixes(triples) if fmt != "nt" else None
    out.write(ox.serialize(triples, format=GRAPH_FORMATS[fmt], prefixes=prefixes))


def _width(text: str) -> int:
    """Display width: East Asian wide characters take two cells, combining marks none."""
    import unicodedata

    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def table(solutions: ox.QuerySolutions) -> str:
    """An aligned table: header, a rule, one line per row; columns joined by ' | '."""
    from coopkg import terms

    names = [v.value for v in solutions.variables]
    rows = [[terms.display(sol[n]) for n in names] for sol in solutions]
    widths = [max([_width(n)] + [_width(r[i]) for r in rows]) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        padded = [c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)]
        return " | ".join(padded).rstrip() + "\n"

    rule = "-+-".join("-" * w for w in widths) + "\n"
    return line(names) + rule + "".join(line(r) for r in rows)
