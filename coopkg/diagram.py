"""Who committed what to whom: read the commitments from the graph and draw them.

The picture is always drawn from the graph (the SPARQL queries in coopkg/sparql/diagram-*.rq),
never copied by hand. One arrow per commitment, from its debtor(s) to its creditor(s); a joint
commitment (both sides bound to each other) is one double-headed arrow. Arrows are grouped and
coloured by broad field (the top concept above the commitment's fields in the fields scheme),
and their labels name the fields, so the grouping survives a black-and-white print.
Output formats: Mermaid (.mmd), Graphviz source (.dot) and SVG (.svg, drawn here in Python so
that no system tool is needed; see coopkg/diagram_svg.py).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from coopkg import paths
from coopkg.errors import CoopkgError

LANGS = ("vi", "en")
FORMATS = {".mmd": "mermaid", ".dot": "dot", ".svg": "svg"}

# Okabe–Ito colours: distinguishable by readers with the common colour-vision deficiencies.
PALETTE = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#8C6D00",
    "#000000",
    # Then darker tints of the same hues, for more broad fields than eight.
    "#004B75",
    "#8F3F00",
    "#006A4D",
    "#8A4F72",
)
NO_FIELD_COLOUR = "#777777"

# The words the picture adds around the graph's own labels, in each language.
WORDS = {
    "en": {
        "title": "Who committed what to whom",
        "date": "{day} {month} {year}",
        "months": (
            "January February March April May June July August September October November December"
        ).split(),
        "joint": "joint",
        "for": "for",
        "fields": "Fields",
        "no field": "no field stated",
        "not stated": "(not stated)",
        "legend arrow": "→  the debtor commits to the creditor",
        "legend joint": "↔  joint commitment: both sides commit to each other",
        "empty": "The graph has no commitments.",
    },
    "vi": {
        "title": "Ai cam kết gì với ai",
        "date": "ngày {day}/{month_number}/{year}",
        "months": [],
        "joint": "cam kết chung",
        "for": "vì",
        "fields": "Lĩnh vực",
        "no field": "không nêu lĩnh vực",
        "not stated": "(không nêu)",
        "legend arrow": "→  bên có nghĩa vụ cam kết với bên kia",
        "legend joint": "↔  cam kết chung: hai bên cam kết với nhau",
        "empty": "Đồ thị không có cam kết nào.",
    },
}


@dataclass(frozen=True)
class Party:
    """A node: a locality, a body, or (when a commitment binds several) a set of them."""

    key: str  # a stable identifier for the node, safe in Mermaid and DOT
    label: str


@dataclass(frozen=True)
class Field:
    """A field concept; a broad field (a group of arrows) also has a colour."""

    iri: str
    label: str
    colour: str = NO_FIELD_COLOUR


@dataclass(frozen=True)
class Edge:
    """One commitment, drawn as one arrow."""

    commitment: str  # its IRI
    source: Party  # the debtor side
    target: Party  # the creditor side
    joint: bool
    action: str
    fields: tuple[Field, ...]  # as the commitment names them, in scheme order
    group: Field | None  # the broad field it is drawn under (None: no field stated)
    beneficiaries: tuple[str, ...]

    @property
    def colour(self) -> str:
        return self.group.colour if self.group else NO_FIELD_COLOUR


@dataclass(frozen=True)
class Diagram:
    lang: str
    title: str
    parties: tuple[Party, ...]
    groups: tuple[Field, ...]  # the broad fields, in drawing order, with their colours
    edges: tuple[Edge, ...]

    def words(self, key: str) -> str:
        return WORDS[self.lang][key]

    def edge_heading(self, edge: Edge) -> str:
        """The first line of an arrow's label: its fields, and 'joint' when it is."""
        names = [f.label for f in edge.fields] or [self.words("no field")]
        heading = " · ".join(names)
        return f"{heading} ({self.words('joint')})" if edge.joint else heading

    def edge_text(self, edge: Edge) -> str:
        """The rest of an arrow's label: the action, and for whom when the graph says."""
        if edge.beneficiaries:
            return f"{edge.action} [{self.words('for')}: {', '.join(edge.beneficiaries)}]"
        return edge.action


# --- reading the graph ---------------------------------------------------------------------


def _query(store: ox.Store, name: str) -> list[dict[str, ox.Literal | ox.NamedNode]]:
    text = paths.package_file(f"sparql/{name}.rq").read_text(encoding="utf-8")
    solutions = store.query(text)
    names = [v.value for v in solutions.variables]
    return [{n: row[n] for n in names if row[n] is not None} for row in solutions]


def _pick(literals: list[ox.Literal], lang: str) -> str | None:
    """The text in `lang`, else an untagged one, else another language's, marked as such."""
    ranked = sorted(
        literals,
        key=lambda lit: (
            0 if lit.language == lang else 1 if not lit.language else 2,
            lit.language or "",
            lit.value,
        ),
    )
    if not ranked:
        return None
    best = ranked[0]
    if best.language and best.language != lang:
        return f"{best.value} ({best.language})"  # say so rather than pass it off as `lang`
    return best.value


def _local_name(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1]


def _node_key(iris: list[str]) -> str:
    """'ha_noi', or 'ha_noi__lao_cai' for a set; Mermaid and DOT accept both as ids."""
    slug = "__".join(re.sub(r"[^A-Za-z0-9]+", "_", _local_name(i)) for i in sorted(iris))
    return f"n_{slug or 'none'}"


def _format_date(lexical: str, lang: str) -> str:
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", lexical)
    if not match:
        return lexical
    year, month, day = (int(g) for g in match.groups())
    words = WORDS[lang]
    month_name = words["months"][month - 1] if words["months"] else ""
    return words["date"].format(day=day, month=month_name, month_number=month, year=year)


def build(store: ox.Store, lang: str = "en") -> Diagram:
    """Read the commitments, their parties, fields, meeting and period from the store."""
    if lang not in LANGS:
        raise CoopkgError(f"unknown language {lang!r} (choose one of: {', '.join(LANGS)})")
    texts: dict[tuple[str, str], list[ox.Literal]] = {}
    for row in _query(store, "diagram-texts"):
        texts.setdefault((row["thing"].value, row["kind"].value), []).append(row["text"])

    def label(iri: str) -> str:
        return _pick(texts.get((iri, "label"), []), lang) or _local_name(iri)

    rows = _query(store, "diagram-commitments")

    def iris(row: dict, column: str) -> list[str]:
        return sorted(row[column].value.split()) if column in row else []

    def by_notation(iri: str) -> tuple:
        # Notations like "03.1" sort as numbers part by part; concepts without one go last.
        code = _pick(texts.get((iri, "notation"), []), lang) or ""
        parts = tuple(int(p) if p.isdigit() else 10**6 for p in code.split(".")) if code else ()
        return (not parts, parts, label(iri), iri)

    tops: dict[str, list[str]] = {}
    for row in _query(store, "diagram-field-groups"):
        tops.setdefault(row["field"].value, []).append(row["group"].value)
    top_of = {f: min(groups, key=by_notation) for f, groups in tops.items()}

    def first_field(row: dict) -> str | None:
        fields = sorted(iris(row, "fields"), key=by_notation)
        return fields[0] if fields else None

    # An arrow is drawn under the broad field of its first field in scheme order; only those
    # broad fields get a colour and a legend entry, in the scheme's order.
    used = {top_of.get(f, f) for row in rows if (f := first_field(row))}
    group_iris = sorted(used, key=by_notation)
    groups = {
        iri: Field(iri, label(iri), PALETTE[i % len(PALETTE)]) for i, iri in enumerate(group_iris)
    }

    def party(members: list[str]) -> Party:
        if not members:
            return Party("n_not_stated", WORDS[lang]["not stated"])
        return Party(_node_key(members), " + ".join(label(m) for m in members))

    edges = []
    for row in rows:
        commitment = row["commitment"].value
        debtors, creditors = iris(row, "debtors"), iris(row, "creditors")
        joint = row["joint"].value == "true"
        if joint and set(debtors) == set(creditors) and len(debtors) == 2:
            # Both bound to each other: one arrow between the two, heads at both ends.
            source, target = party(debtors[:1]), party(debtors[1:])
        else:
            source, target = party(debtors), party(creditors)
        fields = sorted(iris(row, "fields"), key=by_notation)
        group = groups[top_of.get(fields[0], fields[0])] if fields else None
        edges.append(
            Edge(
                commitment=commitment,
                source=source,
                target=target,
                joint=joint,
                action=_pick(texts.get((commitment, "action"), []), lang)
                or _local_name(commitment),
                fields=tuple(Field(f, label(f)) for f in fields),
                group=group,
                beneficiaries=tuple(label(b) for b in iris(row, "beneficiaries")),
            )
        )
    # Grouped by broad field, then by who commits, then by IRI: a stable order.
    order = {iri: i for i, iri in enumerate(groups)}
    edges.sort(
        key=lambda e: (
            order[e.group.iri] if e.group else len(order),
            e.source.label,
            e.target.label,
            e.commitment,
        )
    )
    parties: dict[str, Party] = {}
    for edge in edges:
        for p in (edge.source, edge.target):
            parties.setdefault(p.key, p)
    return Diagram(
        lang=lang,
        title=_title(store, rows, label, lang),
        parties=tuple(sorted(parties.values(), key=lambda p: (p.label, p.key))),
        groups=tuple(groups.values()),
        edges=tuple(edges),
    )


def _title(store: ox.Store, rows: list[dict], label, lang: str) -> str:
    words = WORDS[lang]
    parts = [words["title"]]
    meetings = _query(store, "diagram-meeting")
    if meetings:  # the meeting that generated most commitments
        meeting = meetings[0]
        where = label(meeting["session"].value)
        if "date" in meeting and not _names_date(where, meeting["date"].value, lang):
            where += ", " + _format_date(meeting["date"].value, lang)
        parts.append(where)
    periods = sorted({p for row in rows for p in row.get("periods", ox.Literal("")).value.split()})
    if periods:  # their labels say "period" already ("Giai đoạn 2017 - 2020")
        parts.append("; ".join(label(p) for p in periods))
    return " — ".join(parts)


def _names_date(text: str, lexical: str, lang: str) -> bool:
    """Whether a label already gives the day, month and year (the title then does not repeat it):
    "… ngày 17-5-2017", "… 17 May 2017"."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", lexical)
    if not match:
        return False
    year, month, day = (int(g) for g in match.groups())
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    months = WORDS[lang]["months"]
    named_month = bool(months) and re.search(rf"\b{months[month - 1]}\b", text) is not None
    return year in numbers and day in numbers and (month in numbers or named_month)


# --- Mermaid ---------------------------------------------------------------------------------


def wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False) or [""]


def _mermaid_text(text: str) -> str:
    """Escape for a quoted Mermaid label: Mermaid reads #name; entity codes there."""
    return (
        text.replace("#", "#35;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("|", "#124;")
    )


def to_mermaid(diagram: Diagram) -> str:
    lines = ["---", f"title: {_mermaid_yaml(diagram.title)}", "---", "flowchart LR"]
    for p in diagram.parties:
        lines.append(f'    {p.key}["{_mermaid_text(p.label)}"]')
    for edge in diagram.edges:
        label = "<br/>".join(
            [f"<b>{_mermaid_text(diagram.edge_heading(edge))}</b>"]
            + [_mermaid_text(line) for line in wrap(diagram.edge_text(edge), 48)]
        )
        arrow = "<-->" if edge.joint else "-->"
        lines.append(f'    {edge.source.key} {arrow}|"{label}"| {edge.target.key}')
    if diagram.groups:
        # The legend: one box a broad field, in its colour (its arrows carry the same colour).
        lines.append(f'    subgraph legend["{_mermaid_text(diagram.words("fields"))}"]')
        for i, f in enumerate(diagram.groups):
            lines.append(f'        field_{i}["{_mermaid_text(f.label)}"]')
        lines.append("    end")
        for i, f in enumerate(diagram.groups):
            lines.append(f"    style field_{i} fill:{f.colour},stroke:{f.colour},color:#ffffff")
    for i, edge in enumerate(diagram.edges):
        width = 3 if edge.joint else 2
        lines.append(f"    linkStyle {i} stroke:{edge.colour},stroke-width:{width}px")
    return "\n".join(lines) + "\n"


def _mermaid_yaml(text: str) -> str:
    """The title as a YAML double-quoted scalar (it contains ':' and '—')."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- Graphviz DOT ----------------------------------------------------------------------------


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(diagram: Diagram) -> str:
    lines = [
        "digraph who_committed_what {",
        f"    label={_dot_string(diagram.title)};",
        '    labelloc="t"; fontsize=18; rankdir=LR; nodesep=0.6; ranksep=2.5;',
        '    node [shape=box, style="rounded,filled", fillcolor="#f4f4f4", fontname="sans-serif"];',
        '    edge [fontname="sans-serif", fontsize=10];',
    ]
    for p in diagram.parties:
        lines.append(f"    {p.key} [label={_dot_string(p.label)}];")
    for edge in diagram.edges:
        text = "\n".join([diagram.edge_heading(edge), *wrap(diagram.edge_text(edge), 40)])
        attrs = [
            f"label={_dot_string(text)}",
            f'color="{edge.colour}"',
            f'fontcolor="{edge.colour}"',
        ]
        if edge.joint:
            attrs += ["dir=both", "penwidth=2.5"]
        lines.append(f"    {edge.source.key} -> {edge.target.key} [{', '.join(attrs)}];")
    if diagram.groups:
        lines.append("    subgraph cluster_legend {")
        lines.append(f"        label={_dot_string(diagram.words('fields'))};")
        for i, f in enumerate(diagram.groups):
            lines.append(
                f'        field_{i} [label={_dot_string(f.label)}, fillcolor="{f.colour}", '
                'fontcolor="#ffffff"];'
            )
        lines.append("    }")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- output ----------------------------------------------------------------------------------


def render(diagram: Diagram, fmt: str) -> str:
    if fmt == "mermaid":
        return to_mermaid(diagram)
    if fmt == "dot":
        return to_dot(diagram)
    if fmt == "svg":
        from coopkg.diagram_svg import to_svg

        return to_svg(diagram)
    raise CoopkgError(f"unknown diagram format {fmt!r}")


def format_for(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise CoopkgError(
            f"{path}: unknown diagram file extension {path.suffix!r} (known: {known})"
        )
    return fmt


def write(diagram: Diagram, path: Path) -> None:
    text = render(diagram, format_for(path))
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CoopkgError(f"{path}: cannot write: {exc.strerror or exc}") from exc
