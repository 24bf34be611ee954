"""Write query results: SPARQL 1.1 CSV/TSV/JSON/XML (pyoxigraph's W3C serializers), an aligned
table for people, RDF for CONSTRUCT/DESCRIBE, true/false for ASK."""

from __future__ import annotations

import pyoxigraph as ox

from coopkg import formats
from coopkg.errors import CoopkgError

SOLUTION_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
GRAPH_FORMATS = {name: formats.by_name(name) for name in ("ttl", "nt", "jsonld")}
ALL_FORMATS = ("table", *SOLUTION_FORMATS, *GRAPH_FORMATS)


def default_format(result: object, is_tty: bool) -> str:
    if isinstance(result, ox.QueryTriples | list):
        return "ttl"
    return "table" if is_tty else "csv"


def write(result: object, fmt: str, out, **table_options) -> None:
    """Write any query result in the named format (table_options: see table())."""
    if isinstance(result, ox.QueryBoolean):
        write_boolean(result, fmt, out)
    elif isinstance(result, ox.QueryTriples | list):  # a list: triples from an endpoint
        if fmt not in GRAPH_FORMATS:
            raise CoopkgError(
                f"a CONSTRUCT/DESCRIBE result is RDF: use --format {'|'.join(GRAPH_FORMATS)}"
            )
        write_triples(list(result), fmt, out)
    else:
        if fmt == "table":
            out.write(table(result, **table_options).encode("utf-8"))
        elif fmt in SOLUTION_FORMATS:
            out.write(_ending_in_newline(result.serialize(format=SOLUTION_FORMATS[fmt])))
        else:
            raise CoopkgError(
                f"a SELECT result is a table: use --format table|{'|'.join(SOLUTION_FORMATS)}"
            )


def _ending_in_newline(data: bytes) -> bytes:
    """pyoxigraph's JSON and XML results end without a newline; a terminal prompt then sits on
    the last line. CSV and TSV already end with one."""
    return data if data.endswith(b"\n") else data + b"\n"


def write_boolean(result: ox.QueryBoolean, fmt: str, out) -> None:
    if fmt in ("json", "xml"):
        out.write(_ending_in_newline(result.serialize(format=SOLUTION_FORMATS[fmt])))
    elif fmt in ("table", "csv", "tsv"):
        out.write(b"true\n" if bool(result) else b"false\n")
    else:
        raise CoopkgError(f"an ASK result is true/false: --format {fmt} does not apply")


def write_triples(triples: list[ox.Triple], fmt: str, out) -> None:
    if fmt == "jsonld":
        # Compacted with the project's context, exactly as `coopkg export --format jsonld`.
        from coopkg import export

        out.write(export.jsonld(triples))
        return
    prefixes = formats.used_prefixes(triples) if fmt != "nt" else None
    out.write(ox.serialize(triples, format=GRAPH_FORMATS[fmt], prefixes=prefixes))


def _width(text: str) -> int:
    """Display width: East Asian wide characters take two cells, combining marks none."""
    import unicodedata

    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def terminal_width(given: int | None = None) -> int | None:
    """--width, else $COLUMNS, else the width of the terminal stdout is; None (no wrapping) when
    stdout is a pipe or a file and nothing is set."""
    import os
    import sys

    if given is not None:
        if given < 20:
            raise CoopkgError(f"--width {given}: too narrow (20 columns at least)")
        return given
    try:
        columns = int(os.environ.get("COLUMNS", ""))
        if columns > 0:
            return max(columns, 20)
    except ValueError:
        pass
    try:
        columns = os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        return None
    return columns if columns > 0 else None  # a terminal that does not know its size


SEPARATOR = " | "
MIN_COLUMN = 7  # "Hà Nội," and "Lào Cai" stay whole
NARROWEST = 3  # what a column may shrink to on a very narrow terminal
BROKEN_WORD = 3  # a word broken across lines costs as much as three more lines
LOOK_AHEAD = 12  # how many cells further a column is tried when one more cell gains nothing


def _break_word(word: str, width: int) -> list[str]:
    """A word cut into pieces of at most width display cells."""
    pieces, piece = [], ""
    for ch in word:
        if piece and _width(piece + ch) > width:
            pieces.append(piece)
            piece = ""
        piece += ch
    return pieces + ([piece] if piece else [])


def wrap(text: str, width: int) -> list[str]:
    """The text in lines of at most width display cells, broken between words where it can."""
    if _width(text) <= width:
        return [text]
    lines: list[str] = []
    line, used = "", 0
    for word in text.split(" "):
        size = _width(word)
        if line and used + 1 + size <= width:
            line, used = f"{line} {word}", used + 1 + size
            continue
        if line:
            lines.append(line)
        if size <= width:
            line, used = word, size
        else:
            *full, line = _break_word(word, width)
            lines.extend(full)
            used = _width(line)
    lines.append(line)
    return lines


def _cost(cells: list[str], width: int) -> tuple[list[int], int]:
    """Lines each cell takes at this width, and how many words had to be broken."""
    heights, broken = [], 0
    for cell in cells:
        heights.append(len(wrap(cell, width)))
        broken += sum(1 for w in cell.split(" ") if _width(w) > width)
    return heights, broken


def column_widths(header: list[str], rows: list[list[str]], width: int | None) -> list[int]:
    """Each column's width: its natural width when the table fits in width cells. Otherwise
    every column starts at MIN_COLUMN (or less when it needs less) and the room left goes, one
    cell at a time, to the column where it shortens the table most (a broken word counts as a
    line), ties to the column that lacks the most: long text columns get the room."""
    cells = [[header[i]] + [r[i] for r in rows] for i in range(len(header))]
    natural = [max(_width(c) for c in col) for col in cells]
    room = None if width is None else width - len(SEPARATOR) * (len(header) - 1)
    if room is None or sum(natural) <= room:
        return natural
    # A heading's words stay whole ("committed"), unless the terminal is very narrow.
    heading = [max(_width(w) for w in h.split(" ")) for h in header]
    widths = [min(n, max(MIN_COLUMN, h)) for n, h in zip(natural, heading, strict=True)]
    while sum(widths) > room and max(widths) > NARROWEST:  # a very narrow terminal
        widths[widths.index(max(widths))] -= 1
    if sum(widths) >= room:
        return widths
    cache: dict[tuple[int, int], tuple[list[int], int]] = {}

    def cost_at(i: int, w: int) -> tuple[list[int], int]:
        if (i, w) not in cache:
            cache[(i, w)] = _cost(cells[i], w)
        return cache[(i, w)]

    def total(ws: list[int]) -> int:
        per = [cost_at(i, w) for i, w in enumerate(ws)]
        height = sum(max(p[0][r] for p in per) for r in range(len(rows) + 1))
        return height + BROKEN_WORD * sum(p[1] for p in per)

    left = room - sum(widths)
    while left > 0:
        growable = [i for i in range(len(widths)) if widths[i] < natural[i]]
        if not growable:
            break
        base = total(widths)
        best = None  # (gain per cell, lack, column, cells)
        for i in growable:
            lack = (natural[i] - widths[i]) / natural[i]
            for k in range(1, min(LOOK_AHEAD, natural[i] - widths[i], left) + 1):
                trial = list(widths)
                trial[i] += k
                gain = (base - total(trial)) / k
                if gain > 0 and (best is None or (gain, lack) > best[:2]):
                    best = (gain, lack, i, k)
        if best is None:  # no width shortens the table now: widen the column lacking most
            i = max(growable, key=lambda i: (natural[i] - widths[i]) / natural[i])
            widths[i] += 1
            left -= 1
        else:
            widths[best[2]] += best[3]
            left -= best[3]
    return widths


def render_table(header: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """An aligned table: header, a rule, the rows; columns joined by ' | '. With a width, long
    cells wrap inside their column so that the table fits (a rule then separates the rows)."""
    widths = column_widths(header, rows, width)

    def lines(cells: list[str]) -> list[str]:
        wrapped = [wrap(c, w) for c, w in zip(cells, widths, strict=True)]
        height = max(len(w) for w in wrapped)
        out = []
        for k in range(height):
            parts = [(w[k] if k < len(w) else "") for w in wrapped]
            padded = [p + " " * (w - _width(p)) for p, w in zip(parts, widths, strict=True)]
            out.append(SEPARATOR.join(padded).rstrip() + "\n")
        return out

    rule = "-+-".join("-" * w for w in widths) + "\n"
    body = [lines(r) for r in rows]
    text = "".join(lines(header)) + rule
    tall = any(len(b) > 1 for b in body)
    return text + (rule if tall else "").join("".join(b) for b in body)


def one_language(names: list[str], lang: str | None) -> list[str]:
    """The columns to show: of a pair NAME_vi / NAME_en, only the one in lang (English unless
    asked), so that a table speaks one language."""
    lang = lang or "en"
    keep = []
    for name in names:
        stem, _, tag = name.rpartition("_")
        if stem and tag in ("vi", "en") and tag != lang and f"{stem}_{lang}" in names:
            continue
        keep.append(name)
    return keep


def table(
    solutions: ox.QuerySolutions,
    *,
    width: int | None = None,
    lang: str | None = None,
    view=None,
    wide: bool = False,
) -> str:
    """SELECT results for people: IRIs compacted with the project prefixes, one language, long
    cells wrapped to width. A view (coopkg.views) picks and names the columns; wide shows every
    column, unwrapped."""
    from coopkg import terms

    names = [v.value for v in solutions.variables]
    if wide:
        rows = [[terms.display(sol[n]) for n in names] for sol in solutions]
        return render_table(names, rows)
    if view is not None and all(c[0] in names for c in view.columns[lang or "en"]):
        lang = lang or "en"
        columns = list(view.columns[lang])
        flags = view.yes_no[lang]
        rows = []
        for sol in solutions:
            cells = []
            for name, _ in columns:
                cell = terms.display(sol[name])
                is_flag = isinstance(sol[name], ox.Literal) and cell in flags
                cells.append(flags[cell] if is_flag else cell)
            rows.append(cells)
        count = view.count_phrase[lang].format(n=len(rows))
        return count + "\n\n" + render_table([h for _, h in columns], rows, width)
    shown = one_language(names, lang)
    rows = [[terms.display(sol[n]) for n in shown] for sol in solutions]
    return render_table(shown, rows, width)
