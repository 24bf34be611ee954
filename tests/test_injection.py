"""Injection: no --bind value, however crafted, changes which rows a query returns
beyond the value itself.

The property, for any text V typed after `--bind NAME=`: either coopkg refuses V with a one-line
error, or V is read as exactly one RDF term T and the rows returned are exactly the rows of the
unbound query whose ?NAME is T (computed here in Python from the unbound answer). It is checked
on the embedded store and through --endpoint on a real Oxigraph server holding the same graph,
for a projected variable (pyoxigraph substitution) and an unprojected one (VALUES clause).

The generated values mix real labels and IRIs of the graph (so that many bindings match) with
the pieces an attacker would use: quotes, braces, '#', newlines, UNION, '.', '>', spaces in IRIs.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from cli_helpers import ROOT, assert_one_line_error, coopkg, make_project
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coopkg import endpoint, graph, paths, terms
from coopkg import query as q
from coopkg.errors import CoopkgError
from coopkg.text import search_key

PREFIXES = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
PREFIXES += "PREFIX coop: <https://w3id.org/coopkg/ontology#>\n"
# Projected: pyoxigraph substitutes ?label. Unprojected: ?debtor goes in a VALUES clause.
LABELS = PREFIXES + "SELECT ?entity ?label WHERE { ?entity skos:prefLabel ?label }"
DEBTS = PREFIXES + "SELECT ?commitment WHERE { ?commitment coop:debtor ?debtor }"

FILES = [ROOT / f for f in paths.GRAPH_FILES if (ROOT / f).is_file()]
STORE = graph.open_store(FILES)


def _rows(result, names: list[str]) -> list[tuple[str, ...]]:
    return sorted(tuple(str(row[n]) for n in names) for row in result)


def _unbound(text: str, var: str, names: list[str]) -> list[tuple]:
    """(value of var, row) for every row of the unbound query with var projected too."""
    select = text.replace("SELECT ", f"SELECT ?{var} ", 1) if var not in names else text
    rows = STORE.query(select)
    return [(row[var], tuple(str(row[n]) for n in names)) for row in rows]


BASE = {
    ("label", LABELS): _unbound(LABELS, "label", ["entity", "label"]),
    ("debtor", DEBTS): _unbound(DEBTS, "debtor", ["commitment"]),
}


def expected_rows(text: str, var: str, names: list[str], term) -> list[tuple]:
    return sorted(row for value, row in BASE[(var, text)] if value == term)


# --- what an attacker types -------------------------------------------------------------------

REAL_LABELS = sorted({str(v) for v, _ in BASE[("label", LABELS)]})
REAL_DEBTORS = sorted({str(v) for v, _ in BASE[("debtor", DEBTS)]})
PIECES = [
    '"',
    "'",
    '"""',
    "}",
    "{",
    " } UNION { ?entity ?p ?label } ",
    " UNION ",
    "#",
    "\n",
    "\r\n",
    " . ",
    " ; ",
    " , ",
    ">",
    "<",
    " ",
    "\\",
    "@vi",
    "@en",
    "^^xsd:string",
    "kg:ha-noi",
    "<https://w3id.org/coopkg/id/ha-noi>",
    "FILTER(true)",
    "?entity",
    "VALUES ?label { } ",
    ") (",
]
pieces = st.sampled_from(PIECES)
real = st.sampled_from(REAL_LABELS + REAL_DEBTORS)
crafted = st.lists(st.one_of(pieces, real, st.text(max_size=6)), min_size=1, max_size=6).map(
    "".join
)


def literal(text: str, suffix: str) -> str:
    """text as a correctly escaped Turtle literal, with a language tag or datatype suffix."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped.replace("\r", "\\r") + '"' + suffix


REAL_LABEL_LITERALS = sorted(
    {literal(v.value, "@" + v.language) for v, _ in BASE[("label", LABELS)] if v.language}
)
bind_values = st.one_of(
    crafted,  # raw: most are refused, some are one term
    st.builds(literal, crafted, st.sampled_from(["@vi", "@en", "", "^^xsd:string"])),
    st.sampled_from(REAL_LABEL_LITERALS),  # real labels, correctly written: they match
    st.sampled_from(REAL_DEBTORS),  # real IRIs in <…> form
    st.builds(lambda s: f"<https://w3id.org/coopkg/id/{s}>", crafted),  # IRIs with anything
)


def check_bind(text: str, var: str, names: list[str], value: str, run) -> None:
    """The property: refused, or exactly the rows whose ?var is the one parsed term."""
    try:
        name, term = terms.parse_binding(f"{var}={value}")
    except CoopkgError as exc:
        assert "\n" not in exc.message
        return
    assert name == var
    assert isinstance(term, ox.NamedNode | ox.Literal)
    bound = q.bind(q.resolve(text=text), {var: term})
    assert _rows(run(bound), names) == expected_rows(text, var, names, term), value


def examples(**cases: list[str]):
    """One hypothesis @example for each value in the list of the one argument named."""
    ((name, values),) = cases.items()

    def decorate(test):
        for value in values:
            test = example(**{name: value})(test)
        return test

    return decorate


# Values built to break out of the query if they were pasted into its text: each is tried on
# every run, besides the generated ones.
CRAFTED_BINDS = [
    '"Hà Nội"@vi } UNION { ?entity ?p ?label } #',
    '"x"@vi . ?entity ?p ?label',
    "<https://w3id.org/coopkg/id/ha-noi> } UNION { ?s ?p ?o",
    "<https://w3id.org/coopkg/id/ha noi>",
    '"a\\" } UNION { ?entity ?p ?label } #"@vi',
]


def embedded(query: q.Query):
    return q.run_embedded(STORE, query)


CASES = [("label", LABELS, ["entity", "label"]), ("debtor", DEBTS, ["commitment"])]


@pytest.mark.parametrize("var, text, names", CASES, ids=["projected", "values-clause"])
@settings(max_examples=150, deadline=None)
@given(value=bind_values)
@examples(value=CRAFTED_BINDS)
def test_no_bind_value_widens_the_answer_embedded(var, text, names, value):
    check_bind(text, var, names, value, embedded)


def test_real_values_do_match():
    """The property is not vacuous: real labels and debtors bind to non-empty answers."""
    hits = 0
    values = REAL_LABEL_LITERALS[:5] + REAL_DEBTORS[:3]
    for value in values:
        var, text, names = CASES[0] if value.startswith('"') else CASES[1]
        name, term = terms.parse_binding(f"{var}={value}")
        hits += bool(expected_rows(text, var, names, term))
    assert hits == len(values)


@pytest.fixture(scope="module")
def endpoint_url(module_oxigraph_factory):
    """A real Oxigraph server on loopback holding the project graph in its default graph."""
    import urllib.request

    server = module_oxigraph_factory()
    data = STORE.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    request = urllib.request.Request(
        f"{server.store_url}?default",
        data=data,
        headers={"Content-Type": "application/n-triples"},
        method="PUT",
    )
    with urllib.request.urlopen(request, timeout=30):
        pass
    return server.query_url


@pytest.mark.server  # the module's Oxigraph server
@pytest.mark.parametrize("var, text, names", CASES, ids=["projected", "values-clause"])
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=bind_values)
@examples(value=CRAFTED_BINDS)
def test_no_bind_value_widens_the_answer_on_an_endpoint(endpoint_url, var, text, names, value):
    check_bind(text, var, names, value, lambda query: endpoint.run(endpoint_url, query, timeout=10))


@pytest.mark.parametrize(
    "value, phrase",
    [
        ('"Hà Nội"@vi } UNION { ?entity ?p ?label } #', "not a valid RDF term"),
        ("<https://w3id.org/coopkg/id/ha noi>", "not a valid RDF term"),
        ('"x"@vi , "y"@vi', "not a single RDF term"),
    ],
)
def test_the_cli_refuses_crafted_values_in_one_line(tmp_path, value, phrase):
    home = make_project(tmp_path / "project")
    run = coopkg("query", "labels", "--bind", f"label={value}", home=home, cwd=tmp_path)
    assert_one_line_error(run, phrase)


def test_the_cli_binds_a_crafted_but_valid_literal_as_text(tmp_path):
    """A literal holding SPARQL syntax is just text: it matches no label, so no rows at all."""
    home = make_project(tmp_path / "project")
    value = literal("Hà Nội } UNION { ?entity ?p ?label } #", "@vi")
    run = coopkg(
        "query", "labels", "--bind", f"label={value}", "--format", "csv", home=home, cwd=tmp_path
    )
    assert run.code == 0, run.err
    assert run.out.splitlines() == ["entity,label"]


# --- label search (`coopkg links ENTITY`) is text, never a pattern or query text ----------------

REGEX_META = list(".*+?[](){}|^$\\") + [".*", "\\w+", "[a-z]*", "(?i)", "|", "^.*$"]
LABEL_WORDS = sorted({w for label in REAL_LABELS for w in label.split()[:2]})[:60]
searches = st.lists(
    st.one_of(st.sampled_from(REGEX_META), st.sampled_from(LABEL_WORDS), st.just(" ")),
    min_size=1,
    max_size=5,
).map("".join)


# A search text that would break out of a SPARQL pattern if it were pasted into one.
PATTERN_BREAKOUT = "https://w3id.org/coopkg/id/x> ?p ?o } UNION { ?s ?p ?o } } #"


def labels_of(iri: str) -> list[str]:
    return [
        q.object.value
        for p in (
            "http://www.w3.org/2004/02/skos/core#prefLabel",
            "http://www.w3.org/2000/01/rdf-schema#label",
            "http://www.w3.org/2004/02/skos/core#hiddenLabel",
            "http://www.w3.org/2004/02/skos/core#altLabel",
        )
        for q in STORE.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(p), None)
    ]


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(text=searches)
@examples(text=[".*", "H.*", "L[aà]o Cai", "Hà Nội|Lào Cai", PATTERN_BREAKOUT])
def test_label_search_matches_text_only(text):
    import unicodedata

    from coopkg import links

    try:
        found = links.resolve_entities(STORE, text)
    except CoopkgError as exc:
        assert "\n" not in exc.message
        return
    wanted = unicodedata.normalize("NFC", text.strip()).casefold()
    for iri in found:
        names = labels_of(iri)
        assert any(
            n.casefold() == wanted or search_key(n) == search_key(text) for n in names
        ) or iri in (text.strip().strip("<>"), links.KG + text.strip().removeprefix("kg:")), (
            text,
            iri,
            names,
        )


@pytest.mark.parametrize(
    "text, phrase",
    [
        (".*", "no entity named '.*'"),
        ("H.*", "no entity named 'H.*'"),
        ("https://w3id.org/coopkg/id/x> ?p ?o } UNION { ?s ?p ?o } } #", "not a valid IRI"),
        ("https://w3id.org/coopkg/id/ha noi", "not a valid IRI"),
    ],
)
def test_links_refuses_patterns_and_crafted_iris_in_one_line(tmp_path, text, phrase):
    home = make_project(tmp_path / "project")
    run = coopkg("links", text, home=home, cwd=tmp_path)
    assert_one_line_error(run, phrase)
