"""Resolve a query (name, path, text or stdin), check it is a read query, run it with bindings.

The embedded run uses pyoxigraph directly; the endpoint run lives in coopkg.endpoint so that
SPARQLWrapper is imported only when a user asks for an endpoint.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

from coopkg import namespaces, paths
from coopkg.errors import CoopkgError
from coopkg.graph import syntax_error_message

Term = ox.NamedNode | ox.Literal


class Query:
    """A SPARQL query's text and where it came from (a file path, '<inline>' or '<stdin>').

    A plain class, not a dataclass: importing dataclasses costs milliseconds at start-up.
    """

    def __init__(
        self,
        text: str,
        source: str,
        path: Path | None = None,
        bindings: dict[str, Term] | None = None,
    ) -> None:
        self.text = text
        self.source = source
        self.path = path
        self.bindings: dict[str, Term] = dict(bindings or {})

    def __repr__(self) -> str:
        return f"Query(source={self.source!r}, bindings={self.bindings!r})"

    @property
    def form(self) -> str | None:
        from coopkg import sparqltext

        return sparqltext.first_keyword(self.text)


def named_queries() -> dict[str, Path]:
    """Named queries: the stems of queries/*.rq (a missing or empty queries/ is a CoopkgError)."""
    folder = paths.require_queries_dir()
    return {p.stem: p for p in sorted(folder.glob("*.rq"))}


def read_query_file(path: Path) -> Query:
    shown = paths.display(path)
    if path.is_dir():
        raise CoopkgError(f"{shown}: is a directory, not a query file")
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark is not part of the query
    except FileNotFoundError as exc:
        raise CoopkgError(f"{shown}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise CoopkgError(f"{shown}: not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise CoopkgError(f"{shown}: {exc.strerror or exc}") from exc
    return Query(text=text, source=shown, path=path)


def resolve(spec: str | None = None, *, text: str | None = None) -> Query:
    """A query from inline text, '-' (stdin), a .rq path, or a name in queries/."""
    if text is not None:
        return Query(text=text, source="<inline>")
    if spec is None:
        raise CoopkgError("no query given: name a query, give a .rq file, -e TEXT or -")
    if spec == "-":
        data = sys.stdin.buffer.read()
        try:
            return Query(text=data.decode("utf-8"), source="<stdin>")
        except UnicodeDecodeError as exc:
            raise CoopkgError(f"<stdin>: not UTF-8 text (byte {exc.start})") from exc
    path = Path(spec)
    if spec.endswith(".rq") or "/" in spec or path.is_file():
        # "qc/missing-label-violation" names a query in a folder of queries/.
        nested = paths.queries_dir() / f"{spec}.rq"
        if not path.exists() and not spec.endswith(".rq") and nested.is_file():
            return read_query_file(nested)
        return read_query_file(path)
    known = named_queries()
    if spec in known:
        return read_query_file(known[spec])
    import difflib  # only when a name is unknown

    close = difflib.get_close_matches(spec, list(known), n=3, cutoff=0.6)
    if close:
        hint = "did you mean: " + ", ".join(close) + "?"
    elif known:
        hint = "known: " + ", ".join(known)
    else:
        hint = f"no query in {paths.display(paths.queries_dir())}"
    raise CoopkgError(f"unknown query {spec!r}; {hint}")


def check_read_only(query: Query) -> None:
    """Refuse a SPARQL update with a clear message (before sending it to an endpoint)."""
    from coopkg import sparqltext

    lines = (line.strip() for line in query.text.splitlines())
    if all(not line or line.startswith("#") for line in lines):  # only blanks and comments
        raise CoopkgError(
            f"{query.source}: empty query (no SELECT, CONSTRUCT, DESCRIBE or ASK in it)"
        )
    if sparqltext.is_update(query.text):
        word = sparqltext.first_keyword(query.text)
        raise CoopkgError(
            f"{query.source}: this is a SPARQL update ({word}); coopkg runs only read queries "
            "(SELECT, CONSTRUCT, DESCRIBE, ASK)"
        )


def bind(query: Query, bindings: dict[str, Term], lang: str | None = None) -> Query:
    """Attach bindings after checking the query has each variable. --lang binds ?lang."""
    if not bindings and lang is None:
        return query
    from coopkg import sparqltext

    present = sparqltext.variables(query.text)
    for name in bindings:
        if name not in present:
            names = ", ".join("?" + v for v in sorted(present)) or "none"
            raise CoopkgError(
                f"--bind {name}: {query.source} has no variable ?{name} (it has {names})"
            )
    merged = dict(bindings)
    # --lang is a preference: it binds ?lang only in queries that ask for it.
    if lang is not None and "lang" in present and "lang" not in merged:
        merged["lang"] = ox.Literal(lang)
    query.bindings = merged
    return query


def values_clause(bindings: dict[str, Term]) -> str:
    """A VALUES clause built from parsed terms (their N-Triples form), never raw input."""
    if not bindings:
        return ""
    names = " ".join("?" + n for n in bindings)
    row = " ".join(str(t) for t in bindings.values())
    return f"VALUES ({names}) {{ ({row}) }}"


def with_bindings(text: str, bindings: dict[str, Term]) -> str:
    """The query text with its bindings as a VALUES block opening the outermost WHERE group.

    There the values join before every other pattern, as pyoxigraph's substitutions do, so a
    BIND, a FILTER or a SELECT expression sees them on every engine. A trailing VALUES clause
    would be joined only after the WHERE clause, and Virtuoso refuses one whose variable the
    WHERE clause does not bind (SQ200: No column). Variables the query assigns itself
    (``... AS ?x``), and every variable of a query grouped at its top level or with no WHERE
    group (DESCRIBE <iri>), keep the trailing clause, which then filters the solutions.
    """
    if not bindings:
        return text
    from coopkg import sparqltext

    at = sparqltext.where_group_start(text)
    assigned = sparqltext.assigned_variables(text)
    leading = {n: t for n, t in bindings.items() if at is not None and n not in assigned}
    trailing = {n: t for n, t in bindings.items() if n not in leading}
    if leading:
        text = f"{text[: at + 1]} {values_clause(leading)}\n{text[at + 1 :]}"
    if trailing:
        text = f"{text}\n{values_clause(trailing)}\n"
    return text


_NOT_PROJECTED = "does not contains variable"


def run_embedded(store: ox.Store, query: Query):
    """Run a read query on the store: QuerySolutions, QueryTriples or QueryBoolean.

    pyoxigraph's query parser itself refuses updates (Store.query never runs one); the lexical
    check only runs then, to turn its syntax error into a clear "this is an update" message.
    """
    subs = {ox.Variable(n): t for n, t in query.bindings.items()}
    try:
        try:
            return store.query(query.text, substitutions=subs or None)
        except RuntimeError as exc:
            # pyoxigraph substitutes only projected variables; bind the others the way an
            # endpoint run does, with a VALUES block made from the same terms.
            if _NOT_PROJECTED not in str(exc):
                raise
            return store.query(with_bindings(query.text, query.bindings))
    except SyntaxError as exc:
        check_read_only(query)
        raise sparql_error(query, exc) from exc
    except (RuntimeError, OSError, ValueError) as exc:
        raise CoopkgError(f"{query.source}: {exc}") from exc


def one_line(text: str, limit: int = 160) -> str:
    """Collapse whitespace; cut a long 'expected one of …' list so the error stays readable."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def sparql_error_message(query: Query, exc: SyntaxError) -> str:
    """'FILE:LINE:COL: SPARQL syntax error: …' in plain words (see sparql_error)."""
    return sparql_error(query, exc).message


def sparql_error(query: Query, exc: SyntaxError) -> CoopkgError:
    """A SPARQL syntax error people can act on: 'FILE:LINE:COL: SPARQL syntax error: …' in
    plain words, then the query's line with a caret under the column. A prefix the query uses
    without declaring it is named, with the prefixes it does declare."""
    from coopkg import sparqltext

    undeclared = sparqltext.undeclared_prefixes(query.text)
    if undeclared:
        name, line, col = undeclared[0]
        known = ", ".join(f"{p}:" for p in sparqltext.declared_prefixes(query.text)) or "none"
        hint = ""
        if name in namespaces.PREFIXES:
            hint = f"; add PREFIX {name}: <{namespaces.PREFIXES[name]}>"
        return CoopkgError(
            f"{query.source}:{line}:{col}: unknown prefix {name}: (the query declares {known})"
            + hint,
            context=sparqltext.excerpt(query.text, line, col),
        )
    text = str(exc)
    if text.startswith("error at "):
        where, _, reason = text[len("error at ") :].partition(": ")
        try:
            line, col = (int(n) for n in where.split(":"))
        except ValueError:
            return CoopkgError(f"{query.source}:{where}: SPARQL syntax error: {one_line(reason)}")
        plain = sparqltext.plain_syntax_error(query.text, line, col, reason)
        return CoopkgError(
            f"{query.source}:{line}:{col}: SPARQL syntax error: {one_line(plain)}",
            context=sparqltext.excerpt(query.text, line, col),
        )
    return CoopkgError(one_line(syntax_error_message(query.source, exc), 240))
