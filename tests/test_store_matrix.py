"""One set of queries, the same answers on every store: the store x query matrix.

Every named query (queries/*.rq) is run embedded (pyoxigraph) and on real servers holding the
project graph in its dataset graph, as `coopkg load` puts it there: a plain `oxigraph serve`
(default graph NOT the union) and Virtuoso Open Source. Each is run without and with `--lang vi`
and `--lang en`, and with every binding its header documents (`--bind NAME=VALUE`, also with
`--lang` where the query has ?lang) plus the one queries/README.md documents for ?commitment.
The remote CSV must equal the embedded CSV byte for byte (row order included: every named query
has an ORDER BY; a query without one is compared order-insensitively).

The same code paths as `coopkg query` are used in-process (coopkg.query, coopkg.endpoint,
coopkg.results), to keep some 300 runs fast.
"""

from __future__ import annotations

import io
import os
import re
import shlex

import pytest
from cli_helpers import restore_environment
from virtuoso import missing

from coopkg import endpoint, graph, gsp, namespaces, results, sparqltext, terms
from coopkg import query as q

pytestmark = [pytest.mark.server]

README_BIND = "commitment=kg:commitment-new-rural-communes"  # queries/README.md
_BIND = re.compile(r"--bind\s+([A-Za-z_]\w*=(?:'[^']*'|\"[^\"]*\"|[^\s`)]+))")


def named_queries() -> list[str]:
    return sorted(q.named_queries())


def documented_binds(name: str) -> list[list[str]]:
    """The --bind sets a query documents: each header line's --bind options form one set, and
    each option alone; plus README_BIND where the query has ?commitment."""
    text = q.named_queries()[name].read_text(encoding="utf-8")
    sets: list[list[str]] = []
    for line in sparqltext.header_lines(text):
        found = [shlex.split(m)[0] for m in _BIND.findall(line)]
        if found:
            sets.append(found)
            if len(found) > 1:
                sets.extend([one] for one in found)
    if "commitment" in sparqltext.variables(text) and [README_BIND] not in sets:
        sets.append([README_BIND])
    return sets


def variants(name: str) -> list[tuple[list[str], str | None]]:
    """(bindings, lang) pairs to run the query with."""
    text = q.named_queries()[name].read_text(encoding="utf-8")
    has_lang = "lang" in sparqltext.variables(text)
    out: list[tuple[list[str], str | None]] = [([], None), ([], "vi"), ([], "en")]
    for binds in documented_binds(name):
        out.append((binds, None))
        if has_lang:
            out.append((binds, "vi"))
    return out


def render(result) -> bytes:
    buffer = io.BytesIO()
    results.write(result, "csv", buffer)
    return buffer.getvalue()


def prepared(name: str, binds: list[str], lang: str | None) -> q.Query:
    query = q.resolve(name)
    return q.bind(query, dict(terms.parse_binding(b) for b in binds), lang=lang)


def same(name: str, embedded: bytes, remote: bytes) -> bool:
    text = q.named_queries()[name].read_text(encoding="utf-8")
    if re.search(r"\bORDER\s+BY\b", sparqltext.blank(text), re.I):
        return embedded == remote
    return sorted(embedded.splitlines()) == sorted(remote.splitlines())


@pytest.fixture(scope="module")
def embedded_store():
    return graph.open_store()


@pytest.fixture(scope="module")
def plain_oxigraph(module_oxigraph_factory, embedded_store):
    """A plain `oxigraph serve` (no --union-default-graph) with the graph in the dataset graph."""
    server = module_oxigraph_factory()
    gsp.load_store(
        embedded_store, store_url=server.store_url, graph=namespaces.GRAPH_IRI, timeout=60
    )
    return server.query_url


@pytest.fixture(scope="module")
def loaded_virtuoso(virtuoso, embedded_store):
    """The session's Virtuoso with the graph loaded by the Digest-authenticated GSP endpoint."""
    saved = {k: os.environ.get(k) for k in ("COOPKG_USER", "COOPKG_PASSWORD")}
    os.environ.update(COOPKG_USER=virtuoso.user, COOPKG_PASSWORD=virtuoso.password)
    try:
        gsp.load_store(
            embedded_store,
            store_url=virtuoso.store_url,
            graph=namespaces.GRAPH_IRI,
            update_url=virtuoso.auth_url,
            query_url=virtuoso.query_url,
            timeout=60,
        )
    finally:
        restore_environment(saved)
    return virtuoso.query_url


def check_query_on(url: str, name: str, store) -> None:
    failures = []
    for binds, lang in variants(name):
        label = " ".join([*(f"--bind {b}" for b in binds), *([f"--lang {lang}"] if lang else [])])
        expected = render(q.run_embedded(store, prepared(name, binds, lang)))
        assert expected.count(b"\r\n") >= 1, (name, label)
        try:
            answer = endpoint.ask(url, prepared(name, binds, lang), graph=namespaces.GRAPH_IRI)
            remote = render(answer.result)
        except Exception as exc:  # noqa: BLE001 - reported per variant below
            failures.append(f"{name} {label}: {exc}")
            continue
        if not same(name, expected, remote):
            failures.append(
                f"{name} {label or '(no options)'}:\n  embedded {expected[:300]!r}\n"
                f"  remote   {remote[:300]!r}"
            )
    assert not failures, "\n".join(failures)


def test_the_matrix_covers_every_named_query_and_documented_binding():
    names = named_queries()
    assert len(names) >= 17, names
    assert documented_binds("gso-code-as-of") == [
        ['date="2025-07-01"^^xsd:date', "entity=kg:yen-bai"],
        ['date="2025-07-01"^^xsd:date'],
        ["entity=kg:yen-bai"],
    ]
    assert documented_binds("external-identifiers") == [["entity=kg:lao-cai"]]
    assert [README_BIND] in documented_binds("who-committed-what")


@pytest.mark.parametrize("name", named_queries())
def test_named_query_on_plain_oxigraph(plain_oxigraph, embedded_store, name):
    check_query_on(plain_oxigraph, name, embedded_store)


@pytest.mark.skipif(missing() is not None, reason=missing() or "")
@pytest.mark.parametrize("name", named_queries())
def test_named_query_on_virtuoso(loaded_virtuoso, embedded_store, name):
    check_query_on(loaded_virtuoso, name, embedded_store)


def with_rdfs_entailments(store):
    """A copy of the store plus the instance-level RDFS entailments a loader may add (rules
    rdfs7 and rdfs9 to a fixpoint: statements with every superproperty, instances typed with
    every superclass), as `coopkg load`/`export` may include them for stores without a reasoner."""
    import pyoxigraph as ox

    copy = ox.Store()
    copy.bulk_extend(store.quads_for_pattern(None, None, None, None))
    rules = [
        "CONSTRUCT { ?s ?super ?o } WHERE { ?p rdfs:subPropertyOf+ ?super . ?s ?p ?o . "
        "FILTER (isIRI(?super)) }",
        "CONSTRUCT { ?s a ?super } WHERE { ?s a ?c . ?c rdfs:subClassOf+ ?super . "
        "FILTER (isIRI(?super)) }",
    ]
    prefix = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    while True:
        before = len(copy)
        for rule in rules:
            added = [ox.Quad(t.subject, t.predicate, t.object) for t in copy.query(prefix + rule)]
            copy.bulk_extend(added)
        if len(copy) == before:
            return copy, len(copy) - len(store)


def test_named_queries_give_the_same_rows_with_rdfs_entailed_triples(embedded_store):
    entailed, added = with_rdfs_entailments(embedded_store)
    # The closure adds something, or the test would compare the graph with itself: joint
    # commitments become coop:Commitment too.
    assert added > 0
    ask = (
        "ASK { <https://w3id.org/coopkg/id/commitment-tourism-products> "
        "a <https://w3id.org/coopkg/ontology#Commitment> }"
    )
    assert bool(entailed.query(ask)) and not bool(embedded_store.query(ask))
    failures = []
    for name in named_queries():
        for binds, lang in variants(name):
            plain = render(q.run_embedded(embedded_store, prepared(name, binds, lang)))
            more = render(q.run_embedded(entailed, prepared(name, binds, lang)))
            if not same(name, plain, more):
                failures.append(f"{name} {binds} {lang}: {plain[:200]!r} != {more[:200]!r}")
    assert not failures, "\n".join(failures)


def test_commitment_subclasses_are_one_level_deep(embedded_store):
    """The named queries match commitments as typed coop:Commitment or a direct subclass
    (a/rdfs:subClassOf* misbehaves on Virtuoso); this holds only while no class sits deeper."""
    sparql = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX coop: <https://w3id.org/coopkg/ontology#>\n"
        "SELECT ?c WHERE { ?c rdfs:subClassOf/rdfs:subClassOf+ coop:Commitment }"
    )
    assert list(embedded_store.query(sparql)) == []
    direct = (
        "ASK { ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
        "<https://w3id.org/coopkg/ontology#Commitment> }"
    )
    assert bool(embedded_store.query(direct))
