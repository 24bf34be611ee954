"""Where coopkg puts --bind/--lang values in the query text (coopkg.query.with_bindings).

At the start of the outermost WHERE group, so BIND, FILTER and SELECT expressions see them on
every engine; as a trailing VALUES clause where that would change the query's meaning (a
variable the query assigns itself, a query grouped at its top level, no WHERE group)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from coopkg.query import with_bindings

VI = {"lang": ox.Literal("vi")}
LEADING = ' VALUES (?lang) { ("vi") }\n'
TRAILING = '\nVALUES (?lang) { ("vi") }\n'


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?x (COALESCE(?lang, 'en') AS ?l) WHERE { ?x ?p ?o }",
        'SELECT * { ?x ?p "}{" }',  # braces inside a string are no group
        "ASK { ?x ?p ?o }",
        "CONSTRUCT { ?x ?p ?lang } WHERE { ?x ?p ?o }",
        "# a comment with { braces }\nSELECT ?min ?max\n  (IF(?lang = 'vi', 1, 2) AS ?n) { }",
    ],
)
def test_values_open_the_where_group(text):
    out = with_bindings(text, VI)
    assert LEADING in out and not out.endswith(TRAILING)
    # The block sits right after the WHERE group's brace, and the query still parses.
    ox.Store().query(out)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?x WHERE { ?x ?p ?o . BIND(LANG(?o) AS ?lang) }",  # assigned by the query
        "SELECT ?x (COUNT(*) AS ?n) WHERE { ?x ?p ?o } GROUP BY ?x",  # grouped at the top
        "SELECT (COUNT(*) AS ?n) WHERE { ?x ?p ?o }",  # an aggregate: one implicit group
        "DESCRIBE <http://e/x>",  # no WHERE group
    ],
)
def test_values_trail_where_leading_would_change_the_meaning(text):
    out = with_bindings(text, VI)
    assert out.endswith(TRAILING) and LEADING not in out


def test_a_leading_binding_is_seen_by_bind_and_select_expressions():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/x"), ox.NamedNode("http://e/p"), ox.Literal("o")))
    text = (
        "SELECT (COALESCE(?lang, 'en') AS ?picked) ?seen "
        "WHERE { ?x ?p ?o BIND(COALESCE(?lang, 'none') AS ?seen) }"
    )
    rows = list(store.query(with_bindings(text, VI)))
    assert [(r["picked"].value, r["seen"].value) for r in rows] == [("vi", "vi")]
