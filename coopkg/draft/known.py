"""What the project graph already knows, so that a draft reuses its IRIs and labels.

Read with pyoxigraph (fast): the data and concept files of the project graph. A draft describes
a reused node with the project's own types and labels (so that the draft merges without a second
label) and adds only the spans of the new article.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from coopkg import paths
from coopkg.draft.text import key
from coopkg.namespaces import KG, SKOS

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# Predicates that describe what a node is (copied for a reused node); never its spans.
DESCRIBING = {
    RDF_TYPE,
    "http://www.w3.org/2000/01/rdf-schema#label",
    SKOS + "prefLabel",
    SKOS + "altLabel",
    SKOS + "hiddenLabel",
    SKOS + "inScheme",
    SKOS + "topConceptOf",
    SKOS + "broader",
    SKOS + "notation",
    SKOS + "definition",
    "http://xmlns.com/foaf/0.1/familyName",
    "http://xmlns.com/foaf/0.1/givenName",
    "http://www.w3.org/ns/org#unitOf",
    "http://www.w3.org/ns/org#postIn",
    "http://www.w3.org/ns/org#role",
    "http://purl.org/dc/terms/spatial",
    "https://w3id.org/coopkg/ontology#unitType",
    "https://w3id.org/coopkg/ontology#withinUnit",
    "http://www.w3.org/2006/time#hasBeginning",
    "http://www.w3.org/2006/time#hasEnd",
    "http://www.w3.org/2006/time#inXSDDate",
    "http://www.w3.org/2006/time#inXSDgYear",
    "http://www.w3.org/ns/dcat#startDate",
    "http://www.w3.org/ns/dcat#endDate",
    "http://schema.org/inLanguage",
    "https://w3id.org/coopkg/ontology#localPath",
    "http://purl.org/dc/terms/date",
    "http://spdx.org/rdf/terms#checksum",
    "http://spdx.org/rdf/terms#algorithm",
    "http://spdx.org/rdf/terms#checksumValue",
}
# Objects described along with their subject (a reused node needs them to validate alone).
FOLLOWED = {
    "http://spdx.org/rdf/terms#checksum",
    "https://w3id.org/coopkg/ontology#unitType",
    "http://www.w3.org/ns/org#role",
    "http://www.w3.org/2004/02/skos/core#inScheme",
}

# The concept schemes and the seed article's graph (its facts, spans and anchors: the source
# article it describes is in its spans file).
FILES = ("ontology/concepts.ttl", *paths.SEED_FILES)


@dataclass
class Known:
    # (kind, key(label@vi)) -> IRI; kind: person, unit, body, post, role, field, unit-type
    by_label: dict[tuple[str, str], str] = field(default_factory=dict)
    description: dict[str, list[tuple[str, object]]] = field(default_factory=dict)
    checksums: dict[str, str] = field(default_factory=dict)  # sha256 -> article IRI
    fields: list[tuple[str, str]] = field(default_factory=list)  # (label@vi, IRI)
    iris: set[str] = field(default_factory=set)

    def find(self, kind: str, label: str) -> str | None:
        return self.by_label.get((kind, key(label)))


KIND_OF_CLASS = {
    "http://xmlns.com/foaf/0.1/Person": "person",
    "https://w3id.org/coopkg/ontology#AdministrativeUnit": "unit",
    "http://www.w3.org/ns/org#Organization": "body",
    "http://www.w3.org/ns/org#Post": "post",
    "http://www.w3.org/ns/org#Role": "role",
}


def load(root: Path | None = None) -> Known:
    import pyoxigraph as ox

    # The draft reuses the project's IRIs: from a partial project (no concept schemes, say) it
    # would mint new ones for what the project already names, without a word.
    base = paths.require_complete(root or paths.root())
    store = ox.Store()
    for name in FILES:
        path = base / name
        if path.is_file():
            try:
                store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
            except (SyntaxError, OSError, ValueError) as exc:
                from coopkg.errors import CoopkgError

                first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise CoopkgError(
                    f"{paths.display(path)}: cannot read the project graph: {first}"
                ) from None
    known = Known()
    for quad in store.quads_for_pattern(None, None, None, None):
        s, p, o = quad.subject, quad.predicate, quad.object
        if not isinstance(s, ox.NamedNode):
            continue
        known.iris.add(s.value)
        if p.value in DESCRIBING:
            known.description.setdefault(s.value, []).append((p.value, o))
    for iri, pairs in known.description.items():
        classes = {o.value for p, o in pairs if p == RDF_TYPE}
        label = next(
            (o.value for p, o in pairs if p == SKOS + "prefLabel" and o.language == "vi"), None
        )
        if label is None:
            continue
        for cls, kind in KIND_OF_CLASS.items():
            if cls in classes:
                known.by_label.setdefault((kind, key(label)), iri)
        schemes = {o.value for p, o in pairs if p == SKOS + "inScheme"}
        if KG + "fields" in schemes:
            known.fields.append((label, iri))
            known.by_label[("field", key(label))] = iri
        if KG + "unit-types" in schemes:
            known.by_label[("unit-type", key(label))] = iri
    spdx = "http://spdx.org/rdf/terms#"
    for quad in store.quads_for_pattern(None, ox.NamedNode(spdx + "checksumValue"), None, None):
        for article in store.quads_for_pattern(
            None, ox.NamedNode(spdx + "checksum"), quad.subject, None
        ):
            known.checksums[quad.object.value] = article.subject.value
    known.fields.sort(key=lambda pair: -len(pair[0]))
    return known
