"""The W3C SHACL test suite (tests/w3c-shacl): its manifests read into cases, and a validation
report reduced to what the suite compares: conforms and the multiset of
(focus node, path, constraint component, value, severity) results.

Blank nodes cannot be matched across graphs by label, so a blank focus node or value is "_:"
and a blank-node path is written out as its structure, as `coopkg validate` shows it (e.g.
"^<p>", "(<p>/<q>)*").
"""

from __future__ import annotations

import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.request import url2pathname

import rdflib
from rdflib.collection import Collection

from coopkg import validate

SUITE = Path(__file__).parent / "w3c-shacl"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
RDF = rdflib.RDF


@dataclass(frozen=True)
class Case:
    name: str  # e.g. "core/node/datatype-001"
    data: Path
    shapes: Path
    failure: bool  # the suite expects the processor to fail (report an error)
    conforms: bool | None
    results: Counter  # of key tuples

    def __str__(self) -> str:
        return self.name


def _parse(path: Path) -> rdflib.Graph:
    g = rdflib.Graph()
    with warnings.catch_warnings():  # the suite holds ill-formed literals on purpose
        warnings.simplefilter("ignore")
        g.parse(path, format="turtle", publicID=path.resolve().as_uri())
    return g


def cases(section: str) -> list[Case]:
    """Every sht:Validate test under SUITE/section (core or sparql), in manifest order."""
    out: list[Case] = []
    _collect(SUITE / section / "manifest.ttl", out)
    return out


def _collect(manifest: Path, out: list[Case]) -> None:
    g = _parse(manifest)
    me = rdflib.URIRef(manifest.resolve().as_uri())
    for inc in g.objects(me, MF.include):
        _collect(Path(url2pathname(str(inc).removeprefix("file://"))), out)
    for entries in g.objects(me, MF.entries):
        for test in Collection(g, entries):
            if (test, RDF.type, SHT.Validate) not in g:
                continue
            action = g.value(test, MF.action)
            result = g.value(test, MF.result)

            def local(node) -> Path:
                return Path(url2pathname(str(node).removeprefix("file://")))

            name = str(local(test).relative_to(SUITE.resolve()))
            name = name.removesuffix(".ttl")
            if "#" in str(test):
                name = str(local(str(test).split("#")[0]).relative_to(SUITE.resolve()))
                name = name.removesuffix(".ttl") + "#" + str(test).split("#")[1]
            failure = result == SHT.Failure
            out.append(
                Case(
                    name=name,
                    data=local(g.value(action, SHT.dataGraph)),
                    shapes=local(g.value(action, SHT.shapesGraph)),
                    failure=failure,
                    conforms=None if failure else bool(g.value(result, SH.conforms).toPython()),
                    results=Counter() if failure else report_keys(g, result),
                )
            )


def term_key(node) -> str:
    if isinstance(node, rdflib.BNode):
        return "_:"
    return node.n3()


def path_key(g: rdflib.Graph, path) -> str:
    """A result path as `coopkg validate` writes it, which brackets nested sequences so that
    no two paths read alike."""
    return "" if path is None else validate.show_path(validate.RdflibShapes(g), path)


def report_keys(g: rdflib.Graph, report) -> Counter:
    keys: Counter = Counter()
    for r in g.objects(report, SH.result):
        value = g.value(r, SH.value)
        keys[
            (
                term_key(g.value(r, SH.focusNode)),
                path_key(g, g.value(r, SH.resultPath)),
                term_key(g.value(r, SH.sourceConstraintComponent)),
                term_key(value) if value is not None else "",
                term_key(g.value(r, SH.resultSeverity)),
            )
        ] += 1
    return keys


def read_report(turtle: str) -> tuple[bool, Counter]:
    """(conforms, keys) of a validation report graph given as Turtle."""
    g = rdflib.Graph()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g.parse(data=turtle, format="turtle")
    report = g.value(None, RDF.type, SH.ValidationReport, any=False)
    conforms = g.value(report, SH.conforms)
    return bool(conforms.toPython()), report_keys(g, report)
