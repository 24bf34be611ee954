"""Shapes strength: remove one triple of the seed article's graph (data/agreement.ttl,
data/spans.ttl and data/anchors.ttl, which holds the offsets) whose predicate a shape of
shapes/data-shapes.ttl constrains (as sh:path), or shift one selector offset by one, and check
that validation fails. Every required fact must be caught; what is not caught must be optional,
with the reason (OPTIONAL below, reported in docs/hardening.md).

Validation uses coopkg.fastvalidate (the shapes compiled to SPARQL on pyoxigraph, a few
hundredths of a second a run) after test_fast_engine_agrees_with_pyshacl shows it gives
pyshacl's verdict and results on the same mutations. The test checks a deterministic sample
(one mutation of each kind); the full sweep runs as a script and writes the table in
docs/hardening.md:

    .venv/bin/python tests/test_shapes_strength.py            # every mutation, fast engine
    .venv/bin/python tests/test_shapes_strength.py --pyshacl  # and cross-check each with pyshacl
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from coopkg.namespaces import SH

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # when run as a script
    sys.path.insert(0, str(ROOT))

from coopkg import fastvalidate as fv  # noqa: E402
from coopkg import graph, paths, terms  # noqa: E402

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
OA = "http://www.w3.org/ns/oa#"
OFFSETS = (ox.NamedNode(OA + "start"), ox.NamedNode(OA + "end"))
# The seed article's graph: its facts, its spans and their anchors (every selector offset).
DATA = [ROOT / name for name in paths.SEED_FILES]

# Names the model asks an ASCII-folded hidden label for (docs/model.md, Labels).
NAME_CLASSES = {
    "foaf:Person",
    "coop:AdministrativeUnit",
    "org:Organization",
    "org:FormalOrganization",
    "coop:UnitGroup",
    "coop:ActorGroup",
}
MULTI = (
    "one of several values: the shapes demand the model's minimum (at least one, or two where "
    "the model says so); which of several values the article names is content, checked by the "
    "competency queries' expected answers, not by a count"
)
# (predicate, class of the subject or None for any) -> why removing it may leave valid data.
OPTIONAL = {
    ("coop:quantity", None): "a quantity is given only where the article states a number; "
    "SHACL cannot read whether a quote states one",
    ("coop:intendedStatus", None): "only two commitments state a status to reach; SHACL "
    "cannot read from a quote whether it states one (the shape keeps a given status in "
    "kg:statuses)",
    ("coop:statedMemberCount", None): "only groups the article counts have a count (it does not "
    "count the northwest provinces)",
    ("prov:wasGeneratedBy", "coop:Proposal"): "the model asks prov:wasGeneratedBy of commitments "
    "and agreements; a proposal's speaker is coop:proposedBy, which is required",
    ("prov:wasGeneratedBy", "coop:Assessment"): "the model asks prov:wasGeneratedBy of "
    "commitments and agreements; an assessment's speaker is coop:assessedBy, which is required",
    ("skos:hiddenLabel", "not a name"): "the model asks an ASCII-folded hidden label for "
    "Vietnamese names (people, places, bodies, groups: required); on descriptive entities "
    "(commitments, memberships, periods, spans' facts) it is a courtesy",
}


@dataclass(frozen=True)
class Mutation:
    kind: str  # "remove" or "shift"
    triple: ox.Triple
    replacement: ox.Triple | None = None

    def __str__(self) -> str:
        s, p, o = (terms.display(t) for t in self.triple)
        text = f"{self.kind} {s} {p} {o}"
        if self.replacement is not None:
            text += f" -> {terms.display(self.replacement.object)}"
        return text


def shapes_graph() -> fv.ShapesGraph:
    return fv.ShapesGraph(graph.open_store(paths.data_shape_files()))


def constrained_predicates(shapes: fv.ShapesGraph) -> set[ox.NamedNode]:
    """Every IRI used as a shape's sh:path (simple paths: the data's predicates)."""
    quads = shapes.store.quads_for_pattern(None, ox.NamedNode(SH + "path"), None)
    return {q.object for q in quads if isinstance(q.object, ox.NamedNode)}


def project_store() -> ox.Store:
    return graph.open_store(paths.graph_files())


def mutations(shapes: fv.ShapesGraph, project: ox.Store) -> list[Mutation]:
    """Removals of constrained triples (unless another project file states the same triple,
    which makes the removal a no-op) and +1/-1 shifts of every selector offset."""
    data = graph.open_store(DATA)
    seed = {f.resolve() for f in DATA}
    others = graph.open_store([f for f in paths.graph_files() if f.resolve() not in seed])
    predicates = constrained_predicates(shapes)
    found = []
    for quad in sorted(data, key=str):
        triple = ox.Triple(quad.subject, quad.predicate, quad.object)
        if quad.predicate in predicates and quad not in others:
            found.append(Mutation("remove", triple))
        if quad.predicate in OFFSETS:
            value = int(quad.object.value)
            for delta in (1, -1):
                moved = ox.Literal(str(value + delta), datatype=quad.object.datatype)
                found.append(
                    Mutation("shift", triple, ox.Triple(triple.subject, triple.predicate, moved))
                )
    return found


def classes(store: ox.Store, node) -> set[str]:
    return {terms.compact(q.object.value) for q in store.quads_for_pattern(node, RDF_TYPE, None)}


def why_optional(mutation: Mutation, project: ox.Store) -> str | None:
    """None when the mutated fact is required; else the reason it may go."""
    if mutation.kind == "shift":
        return None
    s, p, o = mutation.triple
    # Several values: for a language-tagged literal, several in the same language.
    lang = getattr(o, "language", None)
    same = [q.object for q in project.quads_for_pattern(s, p, None)]
    if sum(1 for v in same if getattr(v, "language", None) == lang) > 1:
        return MULTI
    pred, kinds = terms.compact(p.value), classes(project, s)
    if pred == "skos:hiddenLabel" and not kinds & NAME_CLASSES:
        return OPTIONAL[(pred, "not a name")]
    for (opt_pred, opt_class), reason in OPTIONAL.items():
        if opt_pred == pred and (opt_class is None or opt_class in kinds):
            return reason
    return None


def apply(store: ox.Store, mutation: Mutation, undo: bool = False) -> None:
    quad = ox.Quad(*mutation.triple, ox.DefaultGraph())
    new = ox.Quad(*mutation.replacement, ox.DefaultGraph()) if mutation.replacement else None
    if undo:
        if new is not None:
            store.remove(new)
        store.add(quad)
    else:
        store.remove(quad)
        if new is not None:
            store.add(new)


def fast_caught(store: ox.Store, shapes: fv.ShapesGraph) -> bool:
    """The fast engine's verdict (fv.conforms: validate_store's, without running the SPARQL-based
    constraints once a core one has failed). The project store holds the ontology already, so
    mixing it in as `coopkg validate` does changes nothing (the setup checks this once)."""
    return not fv.conforms(store, shapes)


def mixed(store: ox.Store, ontology: ox.Store) -> ox.Store:
    copy = ox.Store()
    copy.bulk_extend(list(store))
    fv.inoculate(copy, ontology)
    return copy


def pyshacl_report(store: ox.Store):
    """(conforms, results graph) of `coopkg validate`'s pyshacl engine on the store's triples:
    coopkg.validate.validate itself, on the triples written to a file. The results graph holds
    the blank shape, path and constraint nodes it names (pyshacl copies them into the report),
    so it is also the graph their content is read from."""
    import tempfile

    import rdflib

    from coopkg import validate

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data.nq"
        data.write_bytes(ox.serialize(store, format=ox.RdfFormat.N_QUADS))
        report = validate.validate([data])
    return report.conforms, rdflib.Graph().parse(data=report.graph_turtle, format="turtle")


def sample(found: list[Mutation], project: ox.Store) -> list[Mutation]:
    """One required mutation of each kind: (kind, predicate, classes of the subject)."""
    seen, chosen = set(), []
    for m in found:
        key = (m.kind, m.triple.predicate, frozenset(classes(project, m.triple.subject)))
        if key not in seen and why_optional(m, project) is None:
            seen.add(key)
            chosen.append(m)
    return chosen


# --- the tests ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def setup():
    shapes = shapes_graph()
    project = project_store()
    ontology = graph.open_store(paths.ontology_files())
    assert len(mixed(project, ontology)) == len(project), "mixing the ontology in adds triples"
    return shapes, project, ontology, mutations(shapes, project)


def test_the_sweep_covers_every_constrained_predicate_in_the_data(setup):
    shapes, project, _, found = setup
    removed = {m.triple.predicate for m in found if m.kind == "remove"}
    data_predicates = {q.predicate for q in graph.open_store(DATA)}
    assert removed == constrained_predicates(shapes) & data_predicates
    assert sum(m.kind == "shift" for m in found) == 2 * sum(
        1 for q in graph.open_store([ROOT / "data" / "anchors.ttl"]) if q.predicate in OFFSETS
    )


@pytest.mark.slow
def test_fast_engine_agrees_with_pyshacl(setup):
    """On the unchanged data and a few mutations of different kinds, the fast engine's results
    are pyshacl's (focus, path, value, shape, component, severity, messages)."""
    shapes, project, ontology, found = setup
    picks = [None] + [m for m in sample(found, project)][::40][:2]
    for m in picks:
        if m is not None:
            apply(project, m)
        try:
            conforms, results_graph = pyshacl_report(project)
            fast_ok, fast_results = fv.validate_store(mixed(project, ontology), shapes)
            verdict_alone = not fast_caught(mixed(project, ontology), shapes)
        finally:
            if m is not None:
                apply(project, m, undo=True)
        assert fast_ok == bool(conforms), m
        assert verdict_alone == fast_ok, m  # fv.conforms, which the sample test uses
        assert fv.result_keys(fast_results, shapes) == fv.pyshacl_result_keys(
            results_graph, results_graph
        ), m


# The sample (about 170 mutations, a tenth of a second each) is checked in slices, so that
# parallel test workers share it.
SLICES = 8


@pytest.mark.slow
@pytest.mark.parametrize("part", range(SLICES), ids=lambda i: f"slice-{i + 1}-of-{SLICES}")
def test_every_required_fact_of_the_sample_is_caught(setup, part):
    shapes, project, ontology, found = setup
    chosen = sample(found, project)
    assert len(chosen) >= SLICES, "the sample is smaller than the number of slices"
    missed = []
    for m in chosen[part::SLICES]:
        apply(project, m)
        try:
            if not fast_caught(project, shapes):
                missed.append(str(m))
        finally:
            apply(project, m, undo=True)
    assert not missed, "required facts whose loss the shapes do not notice:\n" + "\n".join(missed)


def test_the_unchanged_data_conforms(setup):
    shapes, project, ontology, _ = setup
    assert not fast_caught(project, shapes)


# --- the full sweep (script) ------------------------------------------------------------------


def sweep(cross_check: bool = False) -> None:
    shapes, project = shapes_graph(), project_store()
    ontology = graph.open_store(paths.ontology_files())
    assert len(mixed(project, ontology)) == len(project), "mixing the ontology in adds triples"
    found = mutations(shapes, project)
    tally: Counter = Counter()
    uncaught: Counter = Counter()
    disagree = []
    for m in found:
        reason = why_optional(m, project)
        apply(project, m)
        try:
            caught = fast_caught(project, shapes)
            if cross_check and caught != (not pyshacl_report(project)[0]):
                disagree.append(str(m))
        finally:
            apply(project, m, undo=True)
        status = "required" if reason is None else "optional"
        tally[(m.kind, status, caught)] += 1
        if not caught:
            key = (
                m.kind,
                terms.compact(m.triple.predicate.value),
                ", ".join(sorted(classes(project, m.triple.subject))),
                reason or "REQUIRED",
            )
            uncaught[key] += 1
    total = len(found)
    caught_all = sum(n for (_, _, c), n in tally.items() if c)
    required = sum(n for (_, s, _), n in tally.items() if s == "required")
    caught_required = sum(n for (_, s, c), n in tally.items() if s == "required" and c)
    print(
        f"mutations: {total} ({sum(m.kind == 'remove' for m in found)} removals, "
        f"{sum(m.kind == 'shift' for m in found)} offset shifts)"
    )
    print(f"caught: {caught_all}/{total} = {100 * caught_all / total:.1f}%")
    print(
        f"required caught: {caught_required}/{required} = {100 * caught_required / required:.1f}%"
    )
    for kind in ("remove", "shift"):
        for status in ("required", "optional"):
            n = tally[(kind, status, True)] + tally[(kind, status, False)]
            if n:
                print(f"  {kind} {status}: {tally[(kind, status, True)]}/{n} caught")
    if cross_check:
        print(f"pyshacl disagrees on {len(disagree)} of {total}: {disagree[:5]}")
    print("\n| mutation | predicate | subject classes | count | why it may go |")
    print("|---|---|---|---|---|")
    for (kind, pred, kinds, reason), n in sorted(uncaught.items()):
        short = "one of several values" if reason == MULTI else reason
        print(f"| {kind} | `{pred}` | {kinds} | {n} | {short} |")


if __name__ == "__main__":
    sweep(cross_check="--pyshacl" in sys.argv)
