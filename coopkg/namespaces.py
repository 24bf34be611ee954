"""The project's namespaces: the one prefix map, the dataset's graph IRIs and the IRI bases the
code builds terms from. Every module takes them from here, so an IRI is written once."""

from __future__ import annotations

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

# Named graphs of the dataset: GRAPH_BASE + a slug (docs/model.md "Articles and named graphs");
# GRAPH_IRI is the seed article's graph, the one `coopkg load` writes by default.
GRAPH_BASE = "https://w3id.org/coopkg/graph/"
GRAPH_IRI = GRAPH_BASE + "ha-noi-lao-cai-2017"

COOP = PREFIXES["coop"]
KG = PREFIXES["kg"]
COOPSH = PREFIXES["coopsh"]
RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
XSD = PREFIXES["xsd"]
SH = PREFIXES["sh"]
SKOS = PREFIXES["skos"]
