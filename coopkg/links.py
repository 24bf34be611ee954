"""External identifiers of the graph's entities: find an entity, list its identifiers, and check
its Wikidata links against a SPARQL endpoint (item exists, a vi or en label matches ours).

The identifiers come from coopkg/sparql/links-identifiers.rq; a test keeps it giving the same
rows as the competency question queries/external-identifiers.rq. The endpoint check goes
through coopkg.endpoint (imported only then).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

import pyoxigraph as ox

from coopkg import namespaces, paths
from coopkg import query as q
from coopkg.errors import CoopkgError
from coopkg.text import search_key

KG = namespaces.PREFIXES["kg"]
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
_LABELS = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.w3.org/2004/02/skos/core#hiddenLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
)
_PREF_LABEL = _LABELS[0]


@dataclass
class ExternalId:
    """One identifier row of coopkg/sparql/links-identifiers.rq."""

    entity: str
    scheme: str
    value: str
    url: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    checked_against: str = ""

    @property
    def validity(self) -> str:
        """'' when always valid as far as the sources say, else e.g. 'valid until 2025-06-30'."""
        if self.valid_from and self.valid_to:
            return f"valid {self.valid_from} to {self.valid_to}"
        if self.valid_from:
            return f"valid from {self.valid_from}"
        if self.valid_to:
            return f"valid until {self.valid_to}"
        return ""


@dataclass
class Entity:
    iri: str
    labels: dict[str, str] = field(default_factory=dict)  # language -> skos:prefLabel
    identifiers: list[ExternalId] = field(default_factory=list)

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.labels.get("vi") or ""


# --- names ---------------------------------------------------------------------------------------


def short(iri: str) -> str:
    return "kg:" + iri[len(KG) :] if iri.startswith(KG) else iri


def _labels_by_entity(store: ox.Store) -> dict[str, list[tuple[str, str]]]:
    """Every named node's labels: iri -> [(predicate, text)]."""
    values = " ".join(f"<{p}>" for p in _LABELS)
    rows = store.query(
        f"SELECT ?s ?p ?l WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?l FILTER(isIRI(?s)) }}"
    )
    found: dict[str, list[tuple[str, str]]] = {}
    for r in rows:
        found.setdefault(r["s"].value, []).append((r["p"].value, r["l"].value))
    return found


def resolve_entities(store: ox.Store, name: str) -> list[str]:
    """IRIs named by an IRI (<…> or http…), a kg: name or slug, or a label (accents optional).

    An exact label (case-insensitive) wins over an accent-folded one; several entities with
    the same label are all returned. Unknown names raise with the closest known ones.
    """
    text = name.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    candidates: list[str] = []
    if text.startswith(("http://", "https://")):
        candidates = [text]
    elif re.fullmatch(r"(kg:)?[a-z0-9][a-z0-9-]*", text):
        candidates = [KG + text.removeprefix("kg:")]
    for iri in candidates:
        try:
            node = ox.NamedNode(iri)  # validated here, never pasted into query text
        except ValueError as exc:
            raise CoopkgError(f"not a valid IRI: {name!r} ({exc})") from exc
        if any(True for _ in store.quads_for_pattern(node, None, None)) or any(
            True for _ in store.quads_for_pattern(None, None, node)
        ):
            return [iri]
    labels = _labels_by_entity(store)
    wanted = unicodedata.normalize("NFC", text).casefold()
    exact = sorted(i for i, ls in labels.items() if any(t.casefold() == wanted for _, t in ls))
    if exact:
        return exact
    folded = search_key(text)
    loose = sorted(i for i, ls in labels.items() if any(search_key(t) == folded for _, t in ls))
    if loose:
        return loose
    known = {search_key(t): t for ls in labels.values() for _, t in ls}
    known.update({short(i): short(i) for i in labels if i.startswith(KG)})
    close = difflib.get_close_matches(folded, list(known), n=3, cutoff=0.6)
    hint = f"; did you mean: {', '.join(known[c] for c in close)}?" if close else ""
    raise CoopkgError(f"no entity named {name!r} in the graph{hint}")


# --- identifiers ---------------------------------------------------------------------------------


def _value(term) -> str | None:
    return None if term is None else term.value


def identifiers(store: ox.Store, entity: str | None = None) -> list[ExternalId]:
    """The external identifiers of one entity IRI, or of all entities."""
    query = q.read_query_file(paths.package_file("sparql/links-identifiers.rq"))
    q.bind(query, {"entity": ox.NamedNode(entity)} if entity else {})
    found = []
    for r in q.run_embedded(store, query):
        found.append(
            ExternalId(
                entity=_value(r["entity"]) or entity or "",
                scheme=_value(r["scheme"]) or "",
                value=_value(r["value"]) or "",
                url=_value(r["url"]),
                valid_from=_value(r["validFrom"]),
                valid_to=_value(r["validTo"]),
                checked_against=_value(r["checkedAgainst"]) or "",
            )
        )
    return found


def _pref_labels(store: ox.Store, iri: str) -> dict[str, str]:
    labels = store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(_PREF_LABEL), None)
    return {q.object.language: q.object.value for q in labels if q.object.language}


def entities(store: ox.Store, names: list[str] | None = None) -> list[Entity]:
    """The entities asked for (all that have identifiers when names is empty), with identifiers."""
    if names:
        iris = list(dict.fromkeys(i for n in names for i in resolve_entities(store, n)))
        rows = [x for iri in iris for x in identifiers(store, iri)]
    else:
        rows = identifiers(store)
        iris = list(dict.fromkeys(x.entity for x in rows))
    found = {iri: Entity(iri, _pref_labels(store, iri)) for iri in iris}
    for row in rows:
        found[row.entity].identifiers.append(row)
    return list(found.values())


def format_text(found: list[Entity], lang: str = "en") -> str:
    """Each entity, then one line per identifier: scheme, value, URL, validity."""
    lines: list[str] = []
    for ent in found:
        lines.append(f"{short(ent.iri)}  {ent.label(lang)}".rstrip())
        if not ent.identifiers:
            lines.append("  (no external identifier yet)")
        width = max((len(x.scheme) for x in ent.identifiers), default=0)
        vwidth = max((len(x.value) for x in ent.identifiers), default=0)
        for x in ent.identifiers:
            parts = [x.scheme.ljust(width), x.value.ljust(vwidth)]
            if x.url:
                parts.append(x.url)
            if x.validity:
                parts.append(f"({x.validity})")
            lines.append(("  " + "  ".join(parts)).rstrip())
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(found: list[Entity]) -> str:
    import json

    data = [
        {
            "entity": e.iri,
            "labels": e.labels,
            "identifiers": [
                {
                    "scheme": x.scheme,
                    "value": x.value,
                    "url": x.url,
                    "validFrom": x.valid_from,
                    "validTo": x.valid_to,
                    "checkedAgainst": x.checked_against,
                }
                for x in e.identifiers
            ],
        }
        for e in found
    ]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- checking Wikidata links at an endpoint ------------------------------------------------------


@dataclass
class Check:
    """The verdict on one owl:sameAs link to a Wikidata item."""

    entity: str
    item: str
    status: str  # "ok", "mismatch", "missing", "redirect"
    remote_labels: list[tuple[str, str]] = field(default_factory=list)  # (text, lang)
    our_labels: list[str] = field(default_factory=list)
    redirect_to: str | None = None


def wikidata_links(store: ox.Store, iris: list[str] | None = None) -> list[tuple[str, str]]:
    """(entity, item) for every owl:sameAs link to a Wikidata item, optionally for some entities."""
    rows = store.query(
        f"SELECT ?s ?o WHERE {{ ?s <{OWL_SAME_AS}> ?o "
        f'FILTER(isIRI(?s) && STRSTARTS(STR(?o), "{WIKIDATA_ENTITY}")) }} ORDER BY ?s ?o'
    )
    links = [(r["s"].value, r["o"].value) for r in rows]
    return [link for link in links if iris is None or link[0] in iris]


def _words(text: str) -> list[str]:
    return search_key(text).split()


def labels_match(ours: str, theirs: str) -> bool:
    """Same name up to case, accents, spacing ('Viet Nam' = 'Vietnam') or a qualifier
    ('Lào Cai' within 'Lào Cai Province'): one's words appear in a row in the other's."""
    a, b = _words(ours), _words(theirs)
    if not a or not b:
        return False
    if "".join(a) == "".join(b):
        return True
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return any(big[i : i + len(small)] == small for i in range(len(big) - len(small) + 1))


CHECK_QUERY = """\
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <http://schema.org/>
SELECT ?item ?exists ?label ?redirect WHERE {
  VALUES ?item { %s }
  BIND(EXISTS { ?item ?p ?o } AS ?exists)
  OPTIONAL { ?item rdfs:label|schema:name ?label FILTER(LANG(?label) IN ("vi", "en")) }
  OPTIONAL { ?item owl:sameAs ?redirect }
}"""


def check_wikidata(
    store: ox.Store, endpoint: str, *, iris: list[str] | None = None, timeout: float = 30.0
) -> list[Check]:
    """Ask the endpoint about every linked Wikidata item in one query; one Check per link."""
    from coopkg import endpoint as ep

    links = wikidata_links(store, iris)
    if not links:
        return []
    items = " ".join(sorted({f"<{item}>" for _, item in links}))
    query = q.Query(text=CHECK_QUERY % items, source=f"links check at {endpoint}")
    exists: dict[str, bool] = {}
    remote: dict[str, set[tuple[str, str]]] = {}
    redirect: dict[str, str] = {}
    for r in ep.run(endpoint, query, timeout=timeout):
        item = r["item"].value
        exists[item] = exists.get(item, False) or (
            r["exists"] is not None and r["exists"].value == "true"
        )
        if r["label"] is not None:
            remote.setdefault(item, set()).add((r["label"].value, r["label"].language or ""))
        if r["redirect"] is not None:
            redirect[item] = r["redirect"].value
    labels = _labels_by_entity(store)
    checks = []
    for entity, item in links:
        ours = sorted({t for _, t in labels.get(entity, [])})
        theirs = sorted(remote.get(item, set()))
        check = Check(entity, item, "ok", theirs, ours)
        if item in redirect:
            check.status, check.redirect_to = "redirect", redirect[item]
        elif not exists.get(item, False):
            check.status = "missing"
        elif not any(labels_match(o, t) for o in ours for t, _ in theirs):
            check.status = "mismatch"
        checks.append(check)
    return checks


def format_checks(checks: list[Check], endpoint: str) -> str:
    """One line per link, then a summary; problems say what the endpoint has instead."""
    lines = []
    for c in checks:
        head = f"{c.status.upper():<8}  {short(c.entity)}  {c.item}"
        if c.status == "ok":
            matched = next(
                (
                    f'"{t}"@{lang}'
                    for t, lang in c.remote_labels
                    if any(labels_match(o, t) for o in c.our_labels)
                ),
                "",
            )
            lines.append(f"{head}  {matched}".rstrip())
        elif c.status == "mismatch":
            got = ", ".join(f'"{t}"@{lang}' for t, lang in c.remote_labels) or "no vi/en label"
            lines.append(f"{head}  endpoint has {got}; ours: {', '.join(c.our_labels)}")
        elif c.status == "missing":
            lines.append(f"{head}  not found at the endpoint")
        else:
            lines.append(f"{head}  redirects to {c.redirect_to}")
    counts = {s: sum(1 for c in checks if c.status == s) for s in ("ok", "mismatch", "missing")}
    counts["redirect"] = sum(1 for c in checks if c.status == "redirect")
    summary = ", ".join(f"{n} {s}" for s, n in counts.items())
    lines.append(f"checked {len(checks)} Wikidata link(s) at {endpoint}: {summary}")
    return "\n".join(lines) + "\n"
