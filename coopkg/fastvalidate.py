"""A second SHACL engine: the project's shapes compiled to SPARQL and run on pyoxigraph.

pyshacl walks every focus node in Python over an rdflib graph: about two minutes for a million
triples. Here each constraint of each shape becomes one SPARQL query over all its focus nodes
at once, run by Oxigraph, so the cost is a few dozen indexed scans. The report is meant to be
exactly pyshacl's (the same results: focus node, path, value, source shape, constraint
component, severity and messages, as `coopkg validate` calls pyshacl: ontology mixed into the
data, no inference), and tests compare the two on the real graph and on injected violations.

Only the SHACL Core components and SPARQL-based constraints listed in COMPONENTS are compiled.
`Unsupported` is raised for anything else (another component, sh:closed, a custom target, a
shape without sh:message, whose generic pyshacl message we do not reproduce). A pyoxigraph Store
rewrites literals, so the data must also be such that the store keeps it as written: the caller
(coopkg/shacl_engines.py) checks that before running and otherwise, like on Unsupported, hands
the job to an exact engine: a faster answer is never traded for a different one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox

from coopkg.namespaces import OWL, RDF, RDFS, SH, XSD

RDF_TYPE = ox.NamedNode(RDF + "type")
VIOLATION = ox.NamedNode(SH + "Violation")


class Unsupported(Exception):
    """The shapes use something this engine does not compile; use pyshacl instead."""


def sh(name: str) -> ox.NamedNode:
    return ox.NamedNode(SH + name)


def cc(name: str) -> ox.NamedNode:
    """A SHACL constraint component IRI, e.g. cc('MinCount')."""
    return ox.NamedNode(f"{SH}{name}ConstraintComponent")


def nt(term) -> str:
    """A term in SPARQL/N-Triples syntax (pyoxigraph's str() is exactly that)."""
    return str(term)


@dataclass(frozen=True)
class Result:
    """One validation result, in the terms pyshacl's report uses."""

    focus: object
    path: object | None  # the sh:path node (an IRI, or a blank node for complex paths)
    value: object | None
    shape: object
    component: ox.NamedNode
    severity: ox.NamedNode
    messages: tuple = ()
    constraint: object | None = None  # sh:sourceConstraint (the sh:sparql node)
    details: tuple = ()  # sh:detail: for sh:node, the value node's own results


@dataclass
class Shape:
    node: object
    path_node: object | None = None
    path: str | None = None  # SPARQL property path text
    severity: ox.NamedNode = VIOLATION
    messages: tuple = ()
    deactivated: bool = False
    params: dict[str, list] = field(default_factory=dict)  # sh:local name -> objects
    properties: list[Shape] = field(default_factory=list)
    sparql: list[object] = field(default_factory=list)

    @property
    def is_property(self) -> bool:
        return self.path_node is not None


# Parameters of the components compiled here (sh:local names). Anything else present on a
# shape is an unsupported component.
COMPONENTS = {
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minInclusive", "maxInclusive",
    "minExclusive", "maxExclusive", "minLength", "maxLength", "pattern", "flags", "languageIn",
    "uniqueLang", "in", "hasValue", "node", "not", "and", "or", "xone", "equals", "disjoint",
    "lessThan", "lessThanOrEquals", "qualifiedValueShape", "qualifiedMinCount",
    "qualifiedMaxCount", "qualifiedValueShapesDisjoint",
}  # fmt: skip
# Shape attributes that are not constraints.
NON_CONSTRAINTS = {
    "path", "property", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf",
    "severity", "message", "deactivated", "name", "description", "order", "group",
    "defaultValue", "sparql",
}  # fmt: skip
UNSUPPORTED = {"closed", "ignoredProperties", "target", "rule", "js"}


class ShapesGraph:
    """The shapes, parsed once with pyoxigraph, and the shapes compiled from them."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._shapes: dict[object, Shape] = {}
        self._subclasses: dict[str, list] = {}
        self.data: ox.Store | None = None  # the data graph, for rdfs:subClassOf

    @classmethod
    def from_files(cls, files: Iterable[Path]) -> ShapesGraph:
        store = ox.Store()
        for path in files:
            store.load(path=str(path), base_iri=Path(path).resolve().as_uri())
        return cls(store)

    # -- graph access
    def objects(self, s, p: ox.NamedNode) -> list:
        return [q.object for q in self.store.quads_for_pattern(s, p, None, None)]

    def value(self, s, p: ox.NamedNode):
        found = self.objects(s, p)
        return found[0] if found else None

    def rdf_list(self, head) -> list:
        items, nil = [], ox.NamedNode(RDF + "nil")
        while head is not None and head != nil:
            items.append(self.value(head, ox.NamedNode(RDF + "first")))
            head = self.value(head, ox.NamedNode(RDF + "rest"))
        return items

    # -- the five methods by which coopkg.validate.show_path and show_shape read shapes
    def iri(self, node) -> str | None:
        return node.value if isinstance(node, ox.NamedNode) else None

    def text(self, node) -> str:
        return node.value

    def object_of(self, subject, predicate: str):
        return self.value(subject, ox.NamedNode(predicate))

    def subject_of(self, predicate: str, obj):
        found = self.store.quads_for_pattern(None, ox.NamedNode(predicate), obj)
        return next((q.subject for q in found), None)

    def items(self, head) -> list:
        return self.rdf_list(head)

    # -- shapes
    def node_shapes_with_targets(self) -> list[object]:
        """Every shape with a target (explicit, or implicit: a shape that is also a class)."""
        found = set()
        for name in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"):
            found.update(q.subject for q in self.store.quads_for_pattern(None, sh(name), None))
        for cls_iri in (RDFS + "Class", OWL + "Class"):
            for q in self.store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(cls_iri)):
                kinds = self.objects(q.subject, RDF_TYPE)
                if sh("NodeShape") in kinds or sh("PropertyShape") in kinds:
                    found.add(q.subject)
        if any(self.store.quads_for_pattern(None, sh("target"), None)):
            raise Unsupported("sh:target (SHACL-AF custom targets)")
        return sorted(found, key=str)

    def shape(self, node) -> Shape:
        if node in self._shapes:
            return self._shapes[node]
        s = Shape(node)
        self._shapes[node] = s
        for quad in self.store.quads_for_pattern(node, None, None):
            pred = quad.predicate.value
            if not pred.startswith(SH):
                continue
            local = pred[len(SH) :]
            if local in UNSUPPORTED:
                raise Unsupported(f"sh:{local} on shape {node}")
            if local in COMPONENTS:
                s.params.setdefault(local, []).append(quad.object)
            elif local not in NON_CONSTRAINTS:
                raise Unsupported(f"sh:{local} on shape {node}")
        s.path_node = self.value(node, sh("path"))
        if s.path_node is not None:
            s.path = self.path_text(s.path_node)
        s.severity = self.value(node, sh("severity")) or VIOLATION
        s.messages = tuple(sorted(self.objects(node, sh("message")), key=str))
        deact = self.value(node, sh("deactivated"))
        s.deactivated = deact is not None and deact.value == "true"
        s.properties = [self.shape(p) for p in self.objects(node, sh("property"))]
        s.sparql = self.objects(node, sh("sparql"))
        return s

    def path_text(self, node) -> str:
        if isinstance(node, ox.NamedNode):
            return nt(node)
        inverse = self.value(node, sh("inversePath"))
        if inverse is not None:
            return f"^({self.path_text(inverse)})"
        alternatives = self.value(node, sh("alternativePath"))
        if alternatives is not None:
            return "(" + "|".join(self.path_text(p) for p in self.rdf_list(alternatives)) + ")"
        for name, op in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
            inner = self.value(node, sh(name))
            if inner is not None:
                return f"({self.path_text(inner)}){op}"
        if self.value(node, ox.NamedNode(RDF + "first")) is not None:
            return "(" + "/".join(self.path_text(p) for p in self.rdf_list(node)) + ")"
        raise Unsupported(f"path {node}")

    def instances(self, var: str, cls) -> str:
        """`var a/rdfs:subClassOf* cls` with the subclasses listed (they are in the shapes'
        data: set by Engine from the data store before any query), which Oxigraph joins
        much faster than it walks the path from every typed node."""
        classes = self.subclasses(cls)
        values = " ".join(nt(c) for c in classes)
        return f"VALUES ?_cls{len(classes)} {{ {values} }} {var} a ?_cls{len(classes)} ."

    def subclasses(self, cls) -> list:
        if self.data is None:
            raise RuntimeError("ShapesGraph.data must be set to the data store first")
        key = str(cls)
        if key not in self._subclasses:
            query = f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS}subClassOf>* {nt(cls)} }}"
            found = {r["c"] for r in self.data.query(query)} | {cls}
            self._subclasses[key] = sorted(found, key=str)
        return self._subclasses[key]

    def targets(self, node) -> str:
        """A SPARQL group binding ?this to every target of a shape (distinct)."""
        parts = []
        for c in self.objects(node, sh("targetClass")):
            parts.append(self.instances("?this", c))
        kinds = self.objects(node, RDF_TYPE)
        if ox.NamedNode(RDFS + "Class") in kinds or ox.NamedNode(OWL + "Class") in kinds:
            parts.append(self.instances("?this", node))
        nodes = self.objects(node, sh("targetNode"))
        if nodes:
            parts.append("VALUES ?this { " + " ".join(nt(n) for n in nodes) + " }")
        for p in self.objects(node, sh("targetSubjectsOf")):
            parts.append(f"?this {nt(p)} [] .")
        for p in self.objects(node, sh("targetObjectsOf")):
            parts.append(f"[] {nt(p)} ?this .")
        union = " UNION ".join("{ " + p + " }" for p in parts)
        return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"


def values_clause(nodes: Sequence) -> str:
    return "VALUES ?this { " + " ".join(nt(n) for n in nodes) + " }"


class Engine:
    """Runs compiled shapes on a data store (the ontology and data in its default graph)."""

    def __init__(self, data: ox.Store, shapes: ShapesGraph) -> None:
        self.data = data
        self.shapes = shapes
        shapes.data = data
        shapes._subclasses.clear()
        self.nested = 0  # > 0 while deciding conformance for sh:node etc. (nothing reported)

    def select(self, query: str) -> Iterator:
        return iter(self.data.query(query))

    # -- entry point
    def validate(self, stop_at: Callable[[Result], bool] | None = None) -> list[Result]:
        """Core constraints first, SPARQL-based ones after (deferred), so that their engine
        can be chosen knowing whether the core constraints found the data clean. With
        `stop_at`, the results so far are returned as soon as a core constraint gives a result
        it holds true for (the SPARQL-based constraints are then not run)."""
        results: list[Result] = []
        self.deferred: list | None = []
        for node in self.shapes.node_shapes_with_targets():
            shape = self.shapes.shape(node)
            found = self.evaluate(shape, self.shapes.targets(node))
            results.extend(found)
            if stop_at is not None and any(stop_at(r) for r in found):
                self.deferred = None
                return results
        deferred, self.deferred = self.deferred, None
        # Clean data: every value is of the type, class and count the shapes say, and there
        # Oxigraph and rdflib (pyshacl's engine) evaluate SPARQL alike. Data with violations
        # may hold values where the two differ (the truth value of a language-tagged string,
        # comparisons of ill-typed literals): then rdflib runs them, as pyshacl does.
        self.sparql_engine = "oxigraph" if not results else "rdflib"
        for shape, node, focus in deferred:
            results.extend(self.sparql_constraint(shape, node, focus))
        return results

    def evaluate(self, shape: Shape, focus: str) -> list[Result]:
        """All results of a shape for the focus nodes that the SPARQL group `focus` binds."""
        if shape.deactivated:
            return []
        out: list[Result] = []
        if shape.is_property:
            values = f"{focus} ?this {shape.path} ?value ."
        else:
            values = f"{focus} BIND(?this AS ?value)"
        for local, objs in sorted(shape.params.items()):
            handler = HANDLERS.get(local)
            if handler is None:
                continue  # parameters used by another handler (flags)
            for obj in objs:
                out.extend(handler(self, shape, obj, focus, values))
        for sparql in shape.sparql:
            if getattr(self, "deferred", None) is not None and not self.nested:
                self.deferred.append((shape, sparql, focus))
            else:
                out.extend(self.sparql_constraint(shape, sparql, focus))
        for prop in shape.properties:
            out.extend(self.evaluate(prop, focus))
        return out

    def result(self, shape: Shape, component: str, focus, value=None, messages=None) -> Result:
        if not shape.messages and messages is None and not self.nested:
            # pyshacl would write its own generic message here, which we do not reproduce.
            raise Unsupported(f"a result of shape {shape.node}, which has no sh:message")
        return Result(
            focus=focus,
            path=shape.path_node,
            value=value,
            shape=shape.node,
            component=cc(component),
            severity=shape.severity,
            messages=shape.messages if messages is None else messages,
        )

    def value_filter(self, shape: Shape, component: str, values: str, condition: str):
        """Results for each value node for which `condition` (a SPARQL expression) holds."""
        query = f"SELECT DISTINCT ?this ?value WHERE {{ {values} FILTER({condition}) }}"
        return [self.result(shape, component, r["this"], r["value"]) for r in self.select(query)]

    def failing(self, shape: Shape, nodes: Sequence, report: bool = False) -> dict:
        """{node: its results} for the nodes among `nodes` that do not conform to `shape`.
        With report, the results are reported (as sh:node's details), so need messages."""
        failed: dict = {}
        self.nested += 0 if report else 1
        try:
            for start in range(0, len(nodes), 5000):
                chunk = nodes[start : start + 5000]
                for r in self.evaluate(shape, values_clause(chunk)):
                    failed.setdefault(r.focus, []).append(r)
        finally:
            self.nested -= 0 if report else 1
        return failed

    def value_nodes(self, values: str) -> list[tuple]:
        return [(r["this"], r["value"]) for r in self.select(
            f"SELECT DISTINCT ?this ?value WHERE {{ {values} }}")]  # fmt: skip

    # -- SPARQL-based constraints (sh:sparql with sh:select)
    def sparql_constraint(self, shape: Shape, node, focus: str) -> list[Result]:
        """Run by rdflib, as pyshacl does (the engines differ on corner cases, e.g. the truth
        value of a language-tagged string), but only over the slice of the data the query can
        see: the triples whose predicate the query names. That slice is small."""
        g = self.shapes
        deact = g.value(node, sh("deactivated"))
        if deact is not None and deact.value == "true":
            return []
        select = g.value(node, sh("select"))
        if select is None:
            raise Unsupported(f"sh:sparql {node} without sh:select")
        text = prefixes(g, node) + select.value
        # pyshacl reports the constraint's messages (minus those the shape also has) and then
        # the shape's own, all formatted with the row's variables (which drops language tags).
        own = tuple(sorted(g.objects(node, sh("message")), key=str))
        messages = tuple(m for m in own if m not in shape.messages) + tuple(shape.messages)
        if not messages:
            raise Unsupported(f"sh:sparql {node} without sh:message")
        if "$PATH" in text:
            if shape.path is None:
                raise Unsupported(f"$PATH in {node} on a node shape")
            text = text.replace("$PATH", shape.path)
        for var in ("$currentShape", "$shapesGraph"):
            if var in text:
                raise Unsupported(f"{var} in {node}")
        if not _projects(text, "this"):
            raise Unsupported(f"sh:sparql {node} does not select $this")
        focus_nodes = {r["this"] for r in self.select(f"SELECT ?this WHERE {{ {focus} }}")}
        if not focus_nodes:
            return []
        rows: dict = {}
        if getattr(self, "sparql_engine", "rdflib") == "oxigraph":
            found = self.oxigraph_select(text, focus)
        else:
            found = self.rdflib_select(text, focus_nodes)
        for f, binding in found:
            if f not in focus_nodes:
                continue
            key = tuple(sorted((k, nt(v)) for k, v in binding.items()))
            rows.setdefault(f, {}).setdefault(key, binding)
        out = []
        for f, found in rows.items():
            for binding in found.values():
                binding = dict(binding)
                if binding.pop("failure", None) is not None:
                    raise Unsupported("?failure in a SPARQL constraint")
                path = binding.pop("path", None)
                value = binding.pop("value", None)
                if value is None and not shape.is_property:
                    value = f
                fmt = dict(binding)
                fmt["this"] = f
                if path is not None:
                    fmt["path"] = path
                if value is not None:
                    fmt["value"] = value
                msgs = tuple(ox.Literal(_format(m.value, fmt)) for m in messages)
                result_path = path if path is not None else shape.path_node
                out.append(
                    Result(
                        f,
                        result_path,
                        value,
                        shape.node,
                        cc("SPARQL"),
                        shape.severity,
                        msgs,
                        constraint=node,
                    )  # fmt: skip
                )
        return out

    def oxigraph_select(self, text: str, focus: str) -> list[tuple]:
        """(focus node, row) pairs of the constraint run by Oxigraph, ?this bound first to
        the focus nodes inside the query's WHERE (pyshacl pre-binds $this)."""
        solutions = self.data.query(_inject(text.replace("$this", "?this"), focus, False))
        names = [v.value for v in solutions.variables]
        out = []
        for row in solutions:
            binding = {n: row[n] for n in names if row[n] is not None}
            out.append((binding.pop("this", None), binding))
        return out

    def rdflib_select(self, text: str, focus_nodes: set) -> list[tuple]:
        """(focus node, row) pairs of a SELECT evaluated by rdflib over the slice of the data
        it can match. When the query's own top-level triple patterns bind $this, evaluating it
        once and keeping the rows of focus nodes equals pyshacl's pre-binding of $this per
        focus node; otherwise (e.g. $this only inside FILTER NOT EXISTS) it is pre-bound per
        focus node, as pyshacl does."""
        import rdflib

        query, predicates = _prepared(text)
        this = rdflib.Variable("this")
        graph = rdflib.Graph()
        default = ox.DefaultGraph()

        def take(s, p) -> None:
            for q in self.data.quads_for_pattern(s, p, None, default):
                graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))

        if predicates is None:
            # A variable predicate can match any triple: the slice is the whole data (exact,
            # but as slow as rdflib; the ontology shapes do this, on the small ontology).
            take(None, None)
        else:
            for p, only_this in sorted(predicates.items()):
                # A predicate used only as `$this p ?x` can only match focus nodes' triples.
                for subject in sorted(focus_nodes, key=str) if only_this else [None]:
                    take(subject, ox.NamedNode(p))

        def rows(result, focus=None):
            names = [str(v) for v in result.vars]
            for row in result:
                binding = {n: to_ox(row[i]) for i, n in enumerate(names) if row[i] is not None}
                found = binding.pop("this", None)
                yield (found if focus is None else focus), binding

        if _binds_at_top(query.algebra, this):
            return list(rows(graph.query(query)))
        out = []
        for f in sorted(focus_nodes, key=str):
            out.extend(rows(graph.query(query, initBindings={this: to_rdflib(f)}), f))
        return out


@functools.lru_cache(maxsize=512)
def _prepared(text: str) -> tuple:
    """The constraint's query parsed by rdflib once a process (coopkg.rdflib_queries.prepared:
    parsing takes most of an rdflib run, and a constraint's text is the same on every run), and
    the predicates it can match (_predicates)."""
    import rdflib

    from coopkg.rdflib_queries import prepared

    query = prepared(text)
    return query, _predicates(query.algebra, rdflib.Variable("this"))


def _binds_at_top(part, var) -> bool:
    """True if a triple pattern outside FILTER, OPTIONAL's right side, MINUS, UNION and
    sub-SELECTs binds `var` (so every solution has it bound by the data itself)."""
    name = getattr(part, "name", None)
    if name == "BGP":
        return any(var in t for t in part["triples"])
    if name == "Join":
        return _binds_at_top(part["p1"], var) or _binds_at_top(part["p2"], var)
    if name in ("LeftJoin", "Minus"):
        return _binds_at_top(part["p1"], var)
    if name in ("SelectQuery", "Project", "Distinct", "Reduced", "Slice", "OrderBy", "Filter",
                "Extend", "Graph", "AggregateJoin", "Group"):  # fmt: skip
        inner = part.get("p")
        return inner is not None and _binds_at_top(inner, var)
    return False


def _predicates(algebra, this) -> dict[str, bool] | None:
    """{IRI: used only as the plain predicate of `this IRI ?o` patterns} for every IRI in a
    query's algebra (a superset of the predicates it can match); None if a triple pattern has
    a variable predicate (it could match anything)."""
    import rdflib

    only_this: dict[str, bool] = {}

    def seen_iri(iri, flag: bool) -> None:
        only_this[str(iri)] = only_this.get(str(iri), True) and flag

    stack, seen = [algebra], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, rdflib.URIRef):
            seen_iri(item, False)
        elif isinstance(item, dict):
            triples = item.get("triples") if hasattr(item, "get") else None
            if isinstance(triples, list) and all(len(t) == 3 for t in triples):
                for s, p, o in triples:
                    if isinstance(p, rdflib.Variable):
                        return None
                    if isinstance(p, rdflib.URIRef):
                        seen_iri(p, s == this)
                    else:
                        stack.append(p)  # a path: its IRIs can match anything
                    stack.extend((s, o))
                stack.extend(v for k, v in item.items() if k != "triples")
            else:
                stack.extend(item.values())
        elif isinstance(item, (list, tuple, set)):
            stack.extend(item)
        elif isinstance(item, rdflib.paths.Path):
            stack.extend(vars(item).values())
    return only_this


def to_rdflib(term):
    """A pyoxigraph term as rdflib reads it from N-Triples (xsd:string literals untyped)."""
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == XSD + "string":
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _term_text(term) -> str:
    """str() of the rdflib term pyshacl formats messages with (IRI or lexical form)."""
    return term.value


def _format(msg: str, fdict: dict) -> str:
    for var, val in fdict.items():
        msg = re.sub(f"{{[?$]{var}}}", lambda _m, v=val: _term_text(v), msg)
    return msg


def prefixes(g: ShapesGraph, node) -> str:
    """PREFIX lines from the constraint's sh:prefixes (sh:declare with sh:prefix/sh:namespace)."""
    lines = []
    for decl_owner in g.objects(node, sh("prefixes")):
        for decl in g.objects(decl_owner, sh("declare")):
            prefix, ns = g.value(decl, sh("prefix")), g.value(decl, sh("namespace"))
            if prefix is not None and ns is not None:
                lines.append(f"PREFIX {prefix.value}: <{ns.value}>")
    return "\n".join(sorted(set(lines))) + ("\n" if lines else "")


_SELECT = re.compile(r"\bSELECT\b(?P<mods>\s+(?:DISTINCT|REDUCED))?", re.IGNORECASE)
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def _projects(text: str, var: str) -> bool:
    m = _SELECT.search(text)
    if m is None:
        raise Unsupported("SPARQL constraint that is not a SELECT")
    head = text[m.end() : _WHERE.search(text, m.end()).start()]
    return "*" in head or re.search(rf"[?$]{var}\b", head) is not None


def _inject(text: str, focus: str, add_this: bool) -> str:
    """Bind ?this to the focus nodes first inside the top-level WHERE (pyshacl pre-binds it)."""
    m = _SELECT.search(text)
    where = _WHERE.search(text, m.end())
    if where is None:
        raise Unsupported("SPARQL constraint without WHERE")
    if add_this:
        text = text[: m.end()] + " ?this" + text[m.end() :]
        where = _WHERE.search(text, m.end())
    return text[: where.end()] + f" {focus} " + text[where.end() :]


# ---------------------------------------------------------------- core components
def _min_count(e: Engine, s: Shape, obj, focus: str, values: str):
    n = int(obj.value)
    if n <= 0:
        return []
    if n == 1:
        query = f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {s.path} ?value }} }}"
    else:
        query = (
            f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {s.path} ?value }} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {n})"
        )
    return [e.result(s, "MinCount", r["this"]) for r in e.select(query)]


def _max_count(e: Engine, s: Shape, obj, focus: str, values: str):
    n = int(obj.value)
    query = (
        f"SELECT ?this WHERE {{ {values} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {n})"
    )
    return [e.result(s, "MaxCount", r["this"]) for r in e.select(query)]


# Datatypes whose lexical forms Oxigraph checks by casting (an ill-typed literal fails the cast,
# as rdflib marks it ill_typed for pyshacl).
_CASTABLE = {XSD + t for t in ("integer", "decimal", "double", "float", "boolean", "dateTime",
                               "date", "time")}  # fmt: skip


# Violation conditions of the components that judge each value node alone: a SPARQL
# expression over ?value, true when the value violates. Shared by the handlers and by the
# one-query count of sh:qualifiedValueShape (a value conforms when no condition holds).
def _datatype_violation(e: Engine, s: Shape, obj) -> str:
    if obj.value == RDFS + "Literal":
        return "!isLiteral(?value)"
    dt = nt(obj)
    cond = f"!isLiteral(?value) || datatype(?value) != {dt}"
    if obj.value in _CASTABLE:
        cond += f" || !COALESCE({dt}(STR(?value)) = ?value, false)"
    return cond


def _class_violation(e: Engine, s: Shape, obj) -> str:
    return f"isLiteral(?value) || NOT EXISTS {{ {e.shapes.instances('?value', obj)} }}"


_NODE_KINDS = {
    "IRI": "isIRI(?value)",
    "BlankNode": "isBlank(?value)",
    "Literal": "isLiteral(?value)",
    "BlankNodeOrIRI": "(isBlank(?value) || isIRI(?value))",
    "BlankNodeOrLiteral": "(isBlank(?value) || isLiteral(?value))",
    "IRIOrLiteral": "(isIRI(?value) || isLiteral(?value))",
}


def _node_kind_violation(e: Engine, s: Shape, obj) -> str:
    kind = _NODE_KINDS.get(obj.value.removeprefix(SH))
    if kind is None:
        raise Unsupported(f"sh:nodeKind {obj}")
    return f"!{kind}"


def _pattern_violation(e: Engine, s: Shape, obj) -> str:
    flags = s.params.get("flags", [])
    flag_arg = f", {nt(ox.Literal(flags[0].value))}" if flags else ""
    return f"isBlank(?value) || !REGEX(STR(?value), {nt(ox.Literal(obj.value))}{flag_arg})"


def _language_in_violation(e: Engine, s: Shape, obj) -> str:
    langs = [t.value for t in e.shapes.rdf_list(obj)]
    matches = " || ".join(f"langMatches(lang(?value), {nt(ox.Literal(x))})" for x in langs)
    return f"!isLiteral(?value) || !({matches or 'false'})"


def _in_violation(e: Engine, s: Shape, obj) -> str:
    members = e.shapes.rdf_list(obj)
    cond = " || ".join(f"sameTerm(?value, {nt(m)})" for m in members) or "false"
    return f"!({cond})"


def _length_violation(op: str):
    def condition(e: Engine, s: Shape, obj) -> str:
        return f"isBlank(?value) || !(STRLEN(STR(?value)) {op} {int(obj.value)})"

    return condition


VALUE_CONDITIONS: dict[str, tuple[str, Callable]] = {
    "datatype": ("Datatype", _datatype_violation),
    "class": ("Class", _class_violation),
    "nodeKind": ("NodeKind", _node_kind_violation),
    "pattern": ("Pattern", _pattern_violation),
    "languageIn": ("LanguageIn", _language_in_violation),
    "in": ("In", _in_violation),
    "minLength": ("MinLength", _length_violation(">=")),
    "maxLength": ("MaxLength", _length_violation("<=")),
}


def _value_condition(local: str):
    component, condition = VALUE_CONDITIONS[local]

    def handler(e: Engine, s: Shape, obj, focus: str, values: str):
        return e.value_filter(s, component, values, condition(e, s, obj))

    return handler


def conformance_condition(e: Engine, shape: Shape) -> str | None:
    """A SPARQL expression over ?value true exactly when the value conforms to `shape`, if
    the shape only has value-by-value conditions; else None."""
    if shape.is_property or shape.properties or shape.sparql:
        return None
    if shape.deactivated:
        return "true"
    if not set(shape.params) <= set(VALUE_CONDITIONS) | {"flags"}:
        return None
    violations = [
        f"({VALUE_CONDITIONS[local][1](e, shape, obj)})"
        for local, objs in sorted(shape.params.items())
        if local in VALUE_CONDITIONS
        for obj in objs
    ]
    return "!(" + " || ".join(violations) + ")" if violations else "true"


def _range(op: str, component: str, passes: Callable[[int], bool]):
    """sh:minInclusive etc. Values of the bound's own datatype that SPARQL finds in range pass
    in pyshacl too; every other value is judged by pyshacl's rule (rdflib comparison)."""

    def handler(e: Engine, s: Shape, obj, focus: str, values: str):
        bound = nt(obj)
        cond = (
            f"!(isLiteral(?value) && datatype(?value) = datatype({bound}) && ?value {op} {bound})"
        )
        query = f"SELECT DISTINCT ?this ?value WHERE {{ {values} FILTER({cond}) }}"
        from pyshacl.rdfutil.compare import compare_literal

        limit = to_rdflib(obj)
        out = []
        for r in e.select(query):
            v = to_rdflib(r["value"])
            flag = False
            if isinstance(v, type(limit)) and hasattr(v, "language"):  # a Literal
                if isinstance(limit.value, str) == isinstance(v.value, str):
                    try:
                        flag = passes(compare_literal(v, limit))
                    except (TypeError, NotImplementedError):
                        flag = False
            if not flag:
                out.append(e.result(s, component, r["this"], r["value"]))
        return out

    return handler


def _unique_lang(e: Engine, s: Shape, obj, focus: str, values: str):
    if obj.value != "true":
        return []
    query = (
        f"SELECT ?this ?lang WHERE {{ {values} FILTER(isLiteral(?value) && lang(?value) != '') "
        "BIND(LCASE(lang(?value)) AS ?lang) } "
        "GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?value) > 1)"
    )
    return [e.result(s, "UniqueLang", r["this"]) for r in e.select(query)]


def _has_value(e: Engine, s: Shape, obj, focus: str, values: str):
    if s.is_property:
        query = f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {s.path} {nt(obj)} }} }}"
    else:
        query = f"SELECT ?this WHERE {{ {focus} FILTER(!sameTerm(?this, {nt(obj)})) }}"
    return [e.result(s, "HasValue", r["this"]) for r in e.select(query)]


def _shape_based(component: str, decide: Callable[[list[bool]], bool], is_list: bool):
    """sh:node / sh:not / sh:and / sh:or / sh:xone: `decide(conforms per member)` -> ok.
    pyshacl nests the value node's own results under an sh:node result (sh:detail)."""

    def handler(e: Engine, s: Shape, obj, focus: str, values: str):
        members = e.shapes.rdf_list(obj) if is_list else [obj]
        pairs = e.value_nodes(values)
        nodes = sorted({v for _, v in pairs}, key=str)
        report = component == "Node"
        fails = [e.failing(e.shapes.shape(m), nodes, report) for m in members]
        bad = {v for v in nodes if not decide([v not in f for f in fails])}
        out = []
        for f, v in pairs:
            if v in bad:
                r = e.result(s, component, f, v)
                if report:
                    r = replace(r, details=tuple(fails[0].get(v, ())))
                out.append(r)
        return out

    return handler


def _pair(component: str, op: str):
    def handler(e: Engine, s: Shape, obj, focus: str, values: str):
        other = nt(obj)
        if component == "Equals":
            query = (
                f"SELECT DISTINCT ?this ?value WHERE {{ {{ {values} FILTER NOT EXISTS "
                f"{{ ?this {other} ?value }} }} UNION {{ {focus} ?this {other} ?value "
                f"FILTER NOT EXISTS {{ ?this {s.path or '<' + RDF + 'nil>'} ?value }} }} }}"
            )
            if not s.is_property:
                raise Unsupported("sh:equals on a node shape")
        elif component == "Disjoint":
            query = f"SELECT DISTINCT ?this ?value WHERE {{ {values} ?this {other} ?value }}"
        else:
            return _less_than(e, s, component, values, other, strict=op == "<")
        return [e.result(s, component, r["this"], r["value"]) for r in e.select(query)]

    return handler


def _qualified(e: Engine, s: Shape, obj, focus: str, values: str):
    disjoint = s.params.get("qualifiedValueShapesDisjoint", [])
    if disjoint and disjoint[0].value == "true":
        raise Unsupported("sh:qualifiedValueShapesDisjoint true")
    lo, hi = s.params.get("qualifiedMinCount", []), s.params.get("qualifiedMaxCount", [])
    conforms = conformance_condition(e, e.shapes.shape(obj))
    if conforms is not None and s.is_property:
        # One query: per focus node, the number of distinct values that conform.
        having = []  # HAVING cannot see SELECT's ?n alias: repeat the aggregate
        if lo:
            having.append(f"COUNT(DISTINCT ?value) < {int(lo[0].value)}")
        if hi:
            having.append(f"COUNT(DISTINCT ?value) > {int(hi[0].value)}")
        if not having:
            return []
        query = (
            f"SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {focus} OPTIONAL {{ "
            f"?this {s.path} ?value FILTER({conforms}) }} }} GROUP BY ?this "
            f"HAVING ({' || '.join(having)})"
        )
        out = []
        for r in e.select(query):
            n = int(r["n"].value)
            if lo and n < int(lo[0].value):
                out.append(e.result(s, "QualifiedMinCount", r["this"]))
            if hi and n > int(hi[0].value):
                out.append(e.result(s, "QualifiedMaxCount", r["this"]))
        return out
    pairs = e.value_nodes(values)
    nodes = sorted({v for _, v in pairs}, key=str)
    failed = e.failing(e.shapes.shape(obj), nodes)
    conforming: dict = {}
    for f, v in pairs:
        if v not in failed:
            conforming[f] = conforming.get(f, 0) + 1
    out = []
    for r in e.select(f"SELECT ?this WHERE {{ {focus} }}"):
        n = conforming.get(r["this"], 0)
        if lo and n < int(lo[0].value):
            out.append(e.result(s, "QualifiedMinCount", r["this"]))
        if hi and n > int(hi[0].value):
            out.append(e.result(s, "QualifiedMaxCount", r["this"]))
    return out


def _less_than(e: Engine, s: Shape, component: str, values: str, other: str, strict: bool):
    """pyshacl's rule: one result per (value, other value) pair that fails; IRIs and strings
    compare as Python strings, other literals as rdflib compares them. Pairs of the same
    numeric datatype that SPARQL finds in order pass in pyshacl too, so they are skipped."""
    import rdflib

    op = "<" if strict else "<="
    same_number = (
        "isNumeric(?value) && isNumeric(?other) && datatype(?value) = datatype(?other) "
        f"&& COALESCE(?value {op} ?other, false)"
    )
    query = (
        "SELECT ?this ?value ?other WHERE { "
        f"{{ SELECT DISTINCT ?this ?value WHERE {{ {values} }} }} "
        f"?this {other} ?other FILTER(!({same_number})) }}"
    )
    out = []
    for r in e.select(query):
        pair = []
        for term in (to_rdflib(r["value"]), to_rdflib(r["other"])):
            if isinstance(term, rdflib.BNode):
                raise Unsupported("sh:lessThan on a blank node (pyshacl raises)")
            if isinstance(term, rdflib.URIRef):
                pair.append((str(term), True))
            elif isinstance(term.value, str):
                pair.append((term.value, True))
            else:
                pair.append((term, False))
        (v, v_str), (c, c_str) = pair
        if v_str != c_str:
            failed = True
        else:
            try:
                failed = not (v < c if strict else v <= c)
            except TypeError:
                raise Unsupported("incomparable values for sh:lessThan") from None
        if failed:
            out.append(e.result(s, component, r["this"], r["value"]))
    return out


HANDLERS: dict[str, Callable] = {
    "qualifiedValueShape": _qualified,
    "minCount": _min_count,
    "maxCount": _max_count,
    "datatype": _value_condition("datatype"),
    "class": _value_condition("class"),
    "nodeKind": _value_condition("nodeKind"),
    "minInclusive": _range(">=", "MinInclusive", lambda c: c >= 0),
    "maxInclusive": _range("<=", "MaxInclusive", lambda c: c <= 0),
    "minExclusive": _range(">", "MinExclusive", lambda c: c > 0),
    "maxExclusive": _range("<", "MaxExclusive", lambda c: c < 0),
    "minLength": _value_condition("minLength"),
    "maxLength": _value_condition("maxLength"),
    "pattern": _value_condition("pattern"),
    "languageIn": _value_condition("languageIn"),
    "uniqueLang": _unique_lang,
    "in": _value_condition("in"),
    "hasValue": _has_value,
    "node": _shape_based("Node", lambda ok: ok[0], False),
    "not": _shape_based("Not", lambda ok: not ok[0], False),
    "and": _shape_based("And", all, True),
    "or": _shape_based("Or", any, True),
    "xone": _shape_based("Xone", lambda ok: sum(ok) == 1, True),
    "equals": _pair("Equals", "="),
    "disjoint": _pair("Disjoint", "="),
    "lessThan": _pair("LessThan", "<"),
    "lessThanOrEquals": _pair("LessThanOrEquals", "<="),
}


def _breaks(allow_warnings: bool) -> Callable[[Result], bool]:
    """Whether a result breaks conformance, as pyshacl decides it: with allow_warnings (as
    `coopkg validate` calls it) sh:Warning and sh:Info results keep it, any other severity (a
    sh:Violation or a custom one) breaks it; without, every result breaks it."""
    allowed = (sh("Warning"), sh("Info")) if allow_warnings else ()
    return lambda result: result.severity not in allowed


def validate_store(
    data: ox.Store, shapes: ShapesGraph, allow_warnings: bool = True
) -> tuple[bool, list[Result]]:
    """(conforms, results) as pyshacl decides it (see _breaks)."""
    breaks = _breaks(allow_warnings)
    results = Engine(data, shapes).validate()
    return not any(breaks(r) for r in results), results


def conforms(data: ox.Store, shapes: ShapesGraph, allow_warnings: bool = True) -> bool:
    """validate_store's verdict alone, sooner: once a core constraint has a result that breaks
    conformance, the SPARQL-based constraints (on data with violations rdflib runs them, the
    slow part) cannot change the verdict, so they are not run."""
    breaks = _breaks(allow_warnings)
    return not any(breaks(r) for r in Engine(data, shapes).validate(stop_at=breaks))


# ---------------------------------------------------------------- comparing reports
def _describe(node, edges: Callable[[object], list], seen: frozenset = frozenset()) -> str:
    """A blank node written out as its (recursive) content, the same for any parser."""
    if not isinstance(node, ox.BlankNode):
        return nt(node)
    if node in seen:
        return "[cycle]"
    inner = sorted(f"{nt(p)} {_describe(o, edges, seen | {node})}" for p, o in edges(node))
    return "[" + "; ".join(inner) + "]"


def result_keys(results: Iterable[Result], shapes: ShapesGraph) -> list[tuple]:
    """Results as sorted comparable tuples (blank shape and path nodes written out)."""

    def edges(n):
        return [(q.predicate, q.object) for q in shapes.store.quads_for_pattern(n, None, None)]

    def flat(rs, level="result"):
        for r in rs:
            yield level, r
            yield from flat(r.details, "detail")

    return sorted(
        (
            level,
            nt(r.focus),
            _describe(r.path, edges) if r.path is not None else "",
            nt(r.value) if r.value is not None else "",
            _describe(r.shape, edges),
            nt(r.component),
            nt(r.severity),
            tuple(sorted(nt(m) for m in r.messages)),
            _describe(r.constraint, edges) if r.constraint is not None else "",
        )
        for level, r in flat(results)
    )


def to_ox(term):
    """An rdflib term as the equal pyoxigraph term."""
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def pyshacl_result_keys(results_graph, shapes_graph) -> list[tuple]:
    """pyshacl's report (rdflib graphs) as the same sorted tuples as `result_keys`."""
    import rdflib

    def edges(n):
        return [(to_ox(p), to_ox(o)) for p, o in shapes_graph.predicate_objects(_rdf(n))]

    def _rdf(n):
        return rdflib.BNode(n.value) if isinstance(n, ox.BlankNode) else rdflib.URIRef(n.value)

    s = rdflib.Namespace(SH)
    keys = []
    for r in results_graph.subjects(rdflib.RDF.type, s.ValidationResult):

        def one(p, r=r):
            v = results_graph.value(r, p)
            return None if v is None else to_ox(v)

        path, value, constraint = one(s.resultPath), one(s.value), one(s.sourceConstraint)
        level = "detail" if (None, s.detail, r) in results_graph else "result"
        keys.append(
            (
                level,
                nt(one(s.focusNode)),
                _describe(path, edges) if path is not None else "",
                nt(value) if value is not None else "",
                _describe(one(s.sourceShape), edges),
                nt(one(s.sourceConstraintComponent)),
                nt(one(s.resultSeverity)),
                tuple(sorted(nt(to_ox(m)) for m in results_graph.objects(r, s.resultMessage))),
                _describe(constraint, edges) if constraint is not None else "",
            )
        )
    return sorted(keys)


# ---------------------------------------------------------------- pyshacl's ontology mix-in
def inoculate(data: ox.Store, ontology: ox.Store) -> set:
    """Add to the data what pyshacl copies from its ontology graph (rdfutil.inoculate): the
    RDFS/OWL class and property declarations, the RDFS/OWL axiom triples (subClassOf, domain,
    rdfs:label, ...) with blank nodes cloned, and named individuals whole. Not the rest (SKOS
    concepts stay out, as in pyshacl). Returns the quads it added that were not there."""
    from pyshacl.rdfutil.consts import OWL_classes, OWL_properties, RDFS_classes, RDFS_properties

    graph = ox.DefaultGraph()
    clones: dict = {}
    added: set = set()

    def add(s, p, o) -> None:
        quad = ox.Quad(s, p, o, graph)
        if quad not in data:
            added.add(quad)
            data.add(quad)

    def clone(b):
        """A blank node and what hangs off it, copied under fresh blank nodes."""
        if b in clones:
            return clones[b]
        new = ox.BlankNode()
        clones[b] = new
        for q in ontology.quads_for_pattern(b, None, None, graph):
            add(
                new,
                q.predicate,
                clone(q.object) if isinstance(q.object, ox.BlankNode) else q.object,
            )
        return new

    def copy_all(s) -> None:
        for q in ontology.quads_for_pattern(s, None, None, graph):
            add(s, q.predicate, clone(q.object) if isinstance(q.object, ox.BlankNode) else q.object)

    individuals = []
    for cls in [*RDFS_classes, *OWL_classes]:
        cls_node = ox.NamedNode(str(cls))
        for q in ontology.quads_for_pattern(None, RDF_TYPE, cls_node, graph):
            s = q.subject
            if isinstance(s, ox.BlankNode):
                s = clone(s)
            elif str(cls) == OWL + "NamedIndividual":
                copy_all(s)
                individuals.append(s)
            add(s, RDF_TYPE, cls_node)
    for prop in [*RDFS_properties, *OWL_properties]:
        p = ox.NamedNode(str(prop))
        for q in ontology.quads_for_pattern(None, p, None, graph):
            s = clone(q.subject) if isinstance(q.subject, ox.BlankNode) else q.subject
            o = clone(q.object) if isinstance(q.object, ox.BlankNode) else q.object
            add(s, p, o)
    for ni in individuals:
        for q in ontology.quads_for_pattern(None, None, ni, graph):
            s = clone(q.subject) if isinstance(q.subject, ox.BlankNode) else q.subject
            add(s, q.predicate, ni)
    return added


# ---------------------------------------------------------------- `coopkg validate` reports
def validate_files(
    data_files: Iterable[Path] | None = None,
    shape_files: Iterable[Path] | None = None,
    ontology_files: Iterable[Path] | None = None,
    store: ox.Store | None = None,
):
    """The same Report as coopkg.validate.validate (pyshacl), computed by this engine.

    `store` (e.g. a persistent store opened read-only) replaces parsing the data files; the
    ontology is then mixed into an in-memory copy only if it is not in the store already.
    Raises Unsupported when the shapes need something this engine does not compile.
    """
    from coopkg import graph, paths
    from coopkg.shacl_engines import shape_files_or_default

    shape_files = shape_files_or_default(shape_files)
    ontology_files = list(paths.ontology_files() if ontology_files is None else ontology_files)
    shapes = ShapesGraph(graph.open_store(shape_files, each_nonempty=True))
    mixed_in: set = set()  # labels are read from the data alone, as coopkg.validate does
    if store is None:
        store = graph.open_store(data_files)
        from coopkg.validate import require_triples

        require_triples(store, data_files)
        if ontology_files:
            mixed_in = inoculate(store, graph.open_store(ontology_files))
    elif ontology_files:
        # A read-only store cannot take the mix-in; it must hold the ontology already (as a
        # store built from the project graph does), which makes the mix-in a no-op for IRIs.
        ontology = graph.open_store(ontology_files)
        missing = next((q for q in ontology if q not in store and _iri_quad(q)), None)
        if missing is not None:
            raise Unsupported("the store does not hold the ontology; build it with the ontology")
    conforms, results = validate_store(store, shapes)
    return build_report(conforms, results, store, shapes, mixed_in)


def _iri_quad(q) -> bool:
    return not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)


def build_report(
    conforms: bool,
    results: list[Result],
    store: ox.Store,
    shapes: ShapesGraph,
    skip: set = frozenset(),
):
    """coopkg.validate's Report: one row per result, sh:detail results included as rows too
    (as coopkg.validate reads pyshacl's graph), sorted the same way."""
    from coopkg import terms
    from coopkg.validate import SEVERITIES, Report, show_path, show_shape
    from coopkg.validate import Result as Row

    def show(term) -> str:
        if isinstance(term, ox.NamedNode):
            return terms.compact(term.value)
        if isinstance(term, ox.BlankNode):
            return "[]"
        return term.value if term is not None else ""

    rows = []
    for r in _flatten(results):
        message = _first_message(r)
        rows.append(
            Row(
                severity=r.severity.value.removeprefix(SH),
                focus=show(r.focus),
                label=_label(store, r.focus, skip),
                path=show_path(shapes, r.path) if r.path is not None else "",
                message=message,
                shape=show_shape(shapes, r.shape),
                value=show(r.value) if r.value is not None else "",
            )
        )
    order = {s: i for i, s in enumerate(SEVERITIES)}
    rows.sort(key=lambda row: (order.get(row.severity, 9), row))
    return Report(conforms, rows, report_turtle(conforms, results, shapes))


def _flatten(results: Iterable[Result]) -> Iterator[Result]:
    for r in results:
        yield r
        yield from _flatten(r.details)


def _first_message(r: Result) -> str:
    # pyshacl writes a SPARQL constraint's own messages first, then the shape's.
    return r.messages[0].value if r.messages else ""


def _label(store: ox.Store, node, skip: set) -> str:
    """The node's label as the other engines' reports choose it (shacl_engines.label_rank),
    from the data without the quads in `skip`."""
    from coopkg.shacl_engines import LABEL_PREDICATES, label_rank

    if not isinstance(node, ox.NamedNode):
        return ""
    found = [
        label_rank(q)
        for pred in LABEL_PREDICATES
        for q in store.quads_for_pattern(node, ox.NamedNode(pred), None)
        if q not in skip
    ]
    return min(found)[1] if found else ""


def report_turtle(conforms: bool, results: list[Result], shapes: ShapesGraph) -> str:
    """The report as a SHACL validation report graph in Turtle (shape and path blank nodes
    are copied from the shapes graph, as pyshacl does)."""
    g = ox.DefaultGraph()
    out = ox.Store()
    report = ox.BlankNode()
    out.add(ox.Quad(report, RDF_TYPE, sh("ValidationReport"), g))
    verdict = ox.Literal("true" if conforms else "false", datatype=ox.NamedNode(XSD + "boolean"))
    out.add(ox.Quad(report, sh("conforms"), verdict, g))
    copied: dict = {}

    def copy(term):
        if not isinstance(term, ox.BlankNode):
            return term
        if term not in copied:
            copied[term] = ox.BlankNode()
            for q in shapes.store.quads_for_pattern(term, None, None):
                out.add(ox.Quad(copied[term], q.predicate, copy(q.object), g))
        return copied[term]

    def write(r: Result):
        node = ox.BlankNode()
        triples = [
            (RDF_TYPE, sh("ValidationResult")),
            (sh("focusNode"), r.focus),
            (sh("resultSeverity"), r.severity),
            (sh("sourceConstraintComponent"), r.component),
            (sh("sourceShape"), copy(r.shape)),
        ]
        if r.path is not None:
            triples.append((sh("resultPath"), copy(r.path)))
        if r.value is not None:
            triples.append((sh("value"), r.value))
        if r.constraint is not None:
            triples.append((sh("sourceConstraint"), copy(r.constraint)))
        triples += [(sh("resultMessage"), m) for m in r.messages]
        triples += [(sh("detail"), write(d)) for d in r.details]
        for p, o in triples:
            out.add(ox.Quad(node, p, o, g))
        return node

    for r in results:
        out.add(ox.Quad(report, sh("result"), write(r), g))
    return out.dump(format=ox.RdfFormat.TURTLE, from_graph=g, prefixes={"sh": SH}).decode()


def run(data_files, store_dir: Path | None = None, fallback: bool = True):
    """`coopkg validate` with this engine where it is exact: files (or a persistent store) ->
    Report; with fallback, what this engine cannot do exactly goes to an exact engine (see
    coopkg.shacl_engines), without it that is a CoopkgError."""
    from coopkg import shacl_engines

    return shacl_engines.validate(data_files, store_dir, "auto" if fallback else "fast")
