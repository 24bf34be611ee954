"""Where the project's files are: root (env COOPKG_HOME overrides), graph files, GRAPH_IRI."""

from __future__ import annotations

import os
from pathlib import Path

GRAPH_IRI = "https://w3id.org/coopkg/graph/ha-noi-lao-cai-2017"

# The project graph, in load order (docs/model.md "Files"). Missing files are skipped so that
# the tool works while the graph is still being written.
GRAPH_FILES = (
    "ontology/coopkg.ttl",
    "ontology/concepts.ttl",
    "data/agreement.ttl",
    "data/links.ttl",
)
ONTOLOGY_FILES = ("ontology/coopkg.ttl", "ontology/concepts.ttl")
ONTOLOGY_SHAPES = "ontology-shapes.ttl"

# The one prefix map: the CLI prints IRIs with it and scripts/fmt_turtle.py writes every Turtle
# file with it, so IRIs print the same way everywhere.
PREFIXES = {
    "coop": "https://w3id.org/coopkg/ontology#",
    "kg": "https://w3id.org/coopkg/id/",
    "org": "http://www.w3.org/ns/org#",
    "cv": "http://data.europa.eu/m8g/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "time": "http://www.w3.org/2006/time#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "schema": "http://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "spdx": "http://spdx.org/rdf/terms#",
    "sh": "http://www.w3.org/ns/shacl#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "vann": "http://purl.org/vocab/vann/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "adms": "http://www.w3.org/ns/adms#",
    "locn": "http://www.w3.org/ns/locn#",
    "coopsh": "https://w3id.org/coopkg/shapes#",
    # EU authority tables the catalog and the field concepts point to.
    "ftype": "http://publications.europa.eu/resource/authority/file-type/",
    "lang": "http://publications.europa.eu/resource/authority/language/",
    "theme": "http://publications.europa.eu/resource/authority/data-theme/",
}


def root() -> Path:
    """The project root: $COOPKG_HOME if set, else the checkout this package lives in."""
    home = os.environ.get("COOPKG_HOME")
    if home:
        return Path(home)
    return Path(__file__).resolve().parent.parent


def graph_files() -> list[Path]:
    """The project graph's files that exist now."""
    base = root()
    return [base / f for f in GRAPH_FILES if (base / f).is_file()]


def ontology_files() -> list[Path]:
    base = root()
    return [base / f for f in ONTOLOGY_FILES if (base / f).is_file()]


def queries_dir() -> Path:
    return root() / "queries"


def qc_dir() -> Path:
    return queries_dir() / "qc"


def data_shape_files() -> list[Path]:
    """shapes/data-shapes.ttl and every other shapes/*-shapes.ttl except the ontology's."""
    folder = root() / "shapes"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*-shapes.ttl") if p.name != ONTOLOGY_SHAPES)


def package_file(name: str) -> Path:
    """A data file shipped inside the package (context.jsonld, sparql/*.rq)."""
    return Path(__file__).resolve().parent / name


def display(path: Path) -> str:
    """A path as the user should see it: relative to the project root when inside it."""
    try:
        return str(Path(path).resolve().relative_to(root().resolve()))
    except ValueError:
        return str(path)
