"""RDF terms as the user types them (Turtle term syntax) and as a table shows them."""

from __future__ import annotations

import re

import pyoxigraph as ox

from coopkg import namespaces
from coopkg.errors import CoopkgError

_SUBJECT = "urn:coopkg:bind:subject"
_PREDICATE = "urn:coopkg:bind:predicate"
_VARNAME = re.compile(r"^[A-Za-z0-9_\u00b7\u00c0-\ufffd]+$")


def parse_term(value: str) -> ox.NamedNode | ox.Literal:
    """One RDF term from Turtle term syntax: <iri>, "text"@vi, 42, true, or kg:ha-noi.

    The value is parsed as the object of a one-triple Turtle document with the project's
    prefixes; anything that is not exactly one object term (extra triples, a blank node, a
    syntax error) is refused, so no value can smuggle in more than itself.
    """
    prologue = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in namespaces.PREFIXES.items())
    doc = f"{prologue}<{_SUBJECT}> <{_PREDICATE}> {value}\n."
    try:
        triples = list(ox.parse(doc.encode("utf-8"), ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise CoopkgError(
            f"not a valid RDF term in Turtle syntax: {value!r}{_term_hint(value)}"
        ) from exc
    if len(triples) != 1:
        raise CoopkgError(f"not a single RDF term: {value!r}")
    triple = triples[0]
    if triple.subject.value != _SUBJECT or triple.predicate.value != _PREDICATE:
        raise CoopkgError(f"not a single RDF term: {value!r}")
    term = triple.object
    if not isinstance(term, ox.NamedNode | ox.Literal):
        raise CoopkgError(f"only an IRI or a literal can be bound, not {value!r}")
    return term


_DATATYPED = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "xsd:date"),
    (
        re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$"),
        "xsd:dateTime",
    ),
    (re.compile(r"^\d{4}-\d{2}$"), "xsd:gYearMonth"),
)


def _term_hint(value: str) -> str:
    """How to write what the value looks like, as a Turtle term."""
    value = value.strip()
    for pattern, datatype in _DATATYPED:
        if pattern.match(value):
            return f'; write a {datatype[4:]} as "{value}"^^{datatype}'
    if re.fullmatch(r"[\w.-]+", value) and not value[0].isdigit():
        return (
            f"; write an IRI as <…> or kg:{value} (a project prefix), "
            f'or text as "{value}" or "{value}"@vi'
        )
    if re.fullmatch(r"[\w ,.'-]+", value) and " " in value:
        return f'; write text in quotes: "{value}"'
    return ""


def parse_binding(text: str) -> tuple[str, ox.NamedNode | ox.Literal]:
    """NAME=VALUE (NAME may start with ? or $) into (name, term)."""
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not _VARNAME.match(name):
        raise CoopkgError(f"--bind expects NAME=VALUE, got {text!r}")
    return name, parse_term(value.strip())


_LOCAL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


def compact(iri: str) -> str:
    """prefix:local when a project prefix covers the IRI and the rest is a plain name."""
    for prefix, ns in namespaces.PREFIXES.items():
        if iri.startswith(ns):
            local = iri[len(ns) :]
            if _LOCAL.match(local) and not local.endswith("."):
                return f"{prefix}:{local}"
    return f"<{iri}>"


def display(term: object) -> str:
    """How a table cell shows a term: compact IRIs, bare literal text, _:id for blank nodes."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return str(term)
