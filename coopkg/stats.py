"""Statistics of the project graph: triples, entities by class, commitments by debtor and by
field (the SPARQL is in coopkg/sparql/stats-*.rq)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from coopkg import paths, query, terms


@dataclass
class Stats:
    triples: int
    by_class: list[tuple[str, int]]
    by_debtor: list[tuple[str, str, int]]
    by_field: list[tuple[str, str, int]]
    # (debtor, debtor label, field, field label, count): the debtor x field table's cells.
    by_debtor_field: list[tuple[str, str, str, str, int]] = field(default_factory=list)


def _rows(store: ox.Store, name: str, lang: str) -> list[ox.QuerySolution]:
    q = query.read_query_file(paths.package_file(f"sparql/{name}.rq"))
    query.bind(q, {}, lang=lang)
    return list(query.run_embedded(store, q))


def stats(store: ox.Store, lang: str = "en") -> Stats:
    triples = len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph())))
    by_class = [
        (terms.compact(r["class"].value), int(r["n"].value))
        for r in _rows(store, "stats-entities-by-class", lang)
    ]

    def labelled(name: str, key: str) -> list[tuple[str, str, int]]:
        return [
            (terms.compact(r[key].value), r["label"].value if r["label"] else "", int(r["n"].value))
            for r in _rows(store, name, lang)
        ]

    def text(term) -> str:
        return term.value if term is not None else ""

    cells = [
        (
            terms.compact(r["debtor"].value),
            text(r["debtorLabel"]),
            terms.compact(r["field"].value),
            text(r["fieldLabel"]),
            int(r["n"].value),
        )
        for r in _rows(store, "stats-commitments-by-debtor-and-field", lang)
    ]
    return Stats(
        triples=triples,
        by_class=by_class,
        by_debtor=labelled("stats-commitments-by-debtor", "debtor"),
        by_field=labelled("stats-commitments-by-field", "field"),
        by_debtor_field=cells,
    )


def format_text(s: Stats, width: int | None = None, lang: str = "en") -> str:
    lines = [f"triples: {s.triples}", "", "entities by class:"]
    lines += _aligned([(c, "", n) for c, n in s.by_class])
    lines += ["", "commitments by debtor:"]
    lines += _aligned(s.by_debtor)
    lines += ["", "commitments by field and debtor:"]
    lines += _debtor_field_table(s, width, lang)
    return "\n".join(lines) + "\n"


def _debtor_field_table(s: Stats, width: int | None, lang: str) -> list[str]:
    """Fields down, debtors across (most commitments first), and each field's total (a joint
    commitment counts once in the total, once for each debtor)."""
    from coopkg.results import render_table

    if not s.by_field:
        return ["  (none)"]
    debtors = [(iri, label or iri) for iri, label, _ in s.by_debtor]
    count = {(d, f): n for d, _, f, _, n in s.by_debtor_field}
    field_heading, total_heading = ("lĩnh vực", "tổng") if lang == "vi" else ("field", "all")
    header = [field_heading] + [label for _, label in debtors] + [total_heading]
    rows = [
        [label or iri] + [str(count.get((d, iri), "-")) for d, _ in debtors] + [str(n)]
        for iri, label, n in s.by_field
    ]
    room = None if width is None else width - 2
    return ["  " + line for line in render_table(header, rows, room).splitlines()]


def _aligned(rows: list[tuple[str, str, int]]) -> list[str]:
    if not rows:
        return ["  (none)"]
    names = [f"{iri} ({label})" if label else iri for iri, label, _ in rows]
    width = max(len(n) for n in names)
    digits = max(len(str(n)) for *_, n in rows)
    return [f"  {name:<{width}}  {n:>{digits}}" for name, (*_, n) in zip(names, rows, strict=True)]


def format_json(s: Stats) -> str:
    import json

    doc = {
        "triples": s.triples,
        "entities_by_class": {c: n for c, n in s.by_class},
        "commitments_by_debtor": [
            {"debtor": i, "label": lb, "count": n} for i, lb, n in s.by_debtor
        ],
        "commitments_by_field": [{"field": i, "label": lb, "count": n} for i, lb, n in s.by_field],
        "commitments_by_debtor_and_field": [
            {"debtor": d, "debtor_label": dl, "field": f, "field_label": fl, "count": n}
            for d, dl, f, fl, n in s.by_debtor_field
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
