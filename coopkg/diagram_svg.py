"""Draw a who-committed-what Diagram as SVG, in Python, so that no system tool is needed.

The layout is a ladder (like a sequence diagram): each party is a column with a line running
down; each commitment is one row, an arrow from the debtor's column to the creditor's, with its
field and action written above it. Rows are grouped under a band per broad field, in its
colour. Text widths are estimated (no font metrics), so lines are wrapped generously.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from coopkg.diagram import Diagram, Edge, wrap

MARGIN = 30
BOX_W, BOX_H = 210, 40  # party boxes
SPACING = 460  # between neighbouring columns' centres
FONT = 13
LINE = 17  # line height for FONT
CHAR_W = 0.6 * FONT  # a generous average glyph width for a sans-serif font
TITLE_FONT = 18
FONT_FAMILY = "DejaVu Sans, Noto Sans, Arial, Helvetica, sans-serif"


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _text(x: float, y: float, content: str, **style: str) -> str:
    attrs = "".join(f' {k.replace("_", "-")}="{_attr(v)}"' for k, v in style.items())
    return f'<text x="{x:.0f}" y="{y:.0f}"{attrs}>{escape(content)}</text>'


def _markers(diagram: Diagram) -> list[str]:
    """An arrowhead for each colour used, pointing forward (end) and backward (start)."""
    colours = sorted({e.colour for e in diagram.edges})
    out = []
    for i, colour in enumerate(colours):
        out.append(
            f'<marker id="end-{i}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
            f'markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/>'
            "</marker>"
        )
        out.append(
            f'<marker id="start-{i}" viewBox="0 0 10 10" refX="1" refY="5" markerWidth="8" '
            f'markerHeight="8" orient="auto"><path d="M10,0 L0,5 L10,10 z" fill="{colour}"/>'
            "</marker>"
        )
    return out


def to_svg(diagram: Diagram) -> str:
    columns = {p.key: i for i, p in enumerate(diagram.parties)}
    colour_index = {c: i for i, c in enumerate(sorted({e.colour for e in diagram.edges}))}
    width = max(2 * MARGIN + BOX_W + max(len(columns) - 1, 0) * SPACING, 760)
    chars_across = int((width - 2 * MARGIN) / (CHAR_W * TITLE_FONT / FONT))

    def centre(key: str) -> float:
        return MARGIN + BOX_W / 2 + columns[key] * SPACING

    body: list[str] = []
    y = MARGIN
    for line in wrap(diagram.title, chars_across):
        y += TITLE_FONT + 6
        body.append(_text(MARGIN, y, line, font_size=str(TITLE_FONT), font_weight="bold"))
    y += 18
    boxes_top = y
    y += BOX_H + 16

    rows: list[str] = []
    current_band = None
    for edge in diagram.edges:
        band = edge.group.label if edge.group else diagram.words("no field")
        if band != current_band:  # a band heading for each field group
            current_band = band
            y += 10
            rows.append(
                f'<rect x="{MARGIN}" y="{y:.0f}" width="{width - 2 * MARGIN}" height="{LINE + 8}" '
                f'fill="{edge.colour}" fill-opacity="0.12" rx="4"/>'
            )
            rows.append(_text(MARGIN + 8, y + LINE, band, font_weight="bold", fill=edge.colour))
            y += LINE + 8 + 6
        y = _row(diagram, edge, centre, colour_index[edge.colour], y, rows)

    lifeline_end = y + 10
    for p in diagram.parties:
        x = centre(p.key)
        body.append(
            f'<line x1="{x:.0f}" y1="{boxes_top + BOX_H}" x2="{x:.0f}" y2="{lifeline_end:.0f}" '
            'stroke="#999999" stroke-dasharray="4 4"/>'
        )
        body.append(
            f'<rect x="{x - BOX_W / 2:.0f}" y="{boxes_top}" width="{BOX_W}" height="{BOX_H}" '
            'rx="8" fill="#f4f4f4" stroke="#333333"/>'
        )
        body.append(
            _text(x, boxes_top + BOX_H / 2 + 5, p.label, text_anchor="middle", font_weight="bold")
        )
    body.extend(rows)

    y = lifeline_end + 24
    if not diagram.edges:
        body.append(_text(MARGIN, y, diagram.words("empty")))
        y += LINE
    for key in ("legend arrow", "legend joint"):
        body.append(_text(MARGIN, y, diagram.words(key), fill="#333333"))
        y += LINE + 2
    if diagram.groups:
        y += 6
        body.append(_text(MARGIN, y, diagram.words("fields") + ":", font_weight="bold"))
        x = MARGIN + CHAR_W * (len(diagram.words("fields")) + 2)
        for f in diagram.groups:
            body.append(
                f'<rect x="{x:.0f}" y="{y - 11}" width="12" height="12" fill="{f.colour}"/>'
            )
            body.append(_text(x + 17, y, f.label))
            x += 17 + CHAR_W * len(f.label) + 22
            if x > width - MARGIN - 120:  # wrap the legend onto the next line
                x = MARGIN + CHAR_W * (len(diagram.words("fields")) + 2)
                y += LINE + 4
        y += LINE
    height = y + MARGIN

    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" xml:lang="{diagram.lang}" '
        f'font-family="{_attr(FONT_FAMILY)}" font-size="{FONT}" role="img">',
        f"<title>{escape(diagram.title)}</title>",
        "<defs>",
        *_markers(diagram),
        "</defs>",
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
    ]
    return "\n".join([*head, *body, "</svg>"]) + "\n"


def _row(diagram: Diagram, edge: Edge, centre, marker: int, y: float, out: list[str]) -> float:
    """Draw one commitment: its label lines, then its arrow. Returns the next row's top."""
    x1, x2 = centre(edge.source.key), centre(edge.target.key)
    span = abs(x2 - x1) or SPACING / 2
    chars = max(int((span - 40) / CHAR_W), 24)
    lines = wrap(diagram.edge_text(edge), chars)
    heading = wrap(diagram.edge_heading(edge), chars)
    mid = (x1 + x2) / 2 if x1 != x2 else x1 + span / 2
    title = f"{edge.commitment}"
    out.append(f"<g><title>{escape(title)}</title>")
    for line in heading:
        y += LINE
        out.append(_text(mid, y, line, text_anchor="middle", font_weight="bold", fill=edge.colour))
    for line in lines:
        y += LINE
        out.append(_text(mid, y, line, text_anchor="middle", fill="#222222"))
    y += 12
    stroke = 3 if edge.joint else 2
    ends = f'marker-end="url(#end-{marker})"'
    if edge.joint:
        ends += f' marker-start="url(#start-{marker})"'
    if x1 == x2:  # a party committing to itself: a small loop to the right
        out.append(
            f'<path d="M{x1 + 4:.0f},{y - 6:.0f} h{span / 2:.0f} v12 h-{span / 2 - 6:.0f}" '
            f'fill="none" stroke="{edge.colour}" stroke-width="{stroke}" {ends}/>'
        )
        y += 6
    else:
        pad = 6 if x2 > x1 else -6
        out.append(
            f'<line x1="{x1 + pad:.0f}" y1="{y:.0f}" x2="{x2 - pad:.0f}" y2="{y:.0f}" '
            f'stroke="{edge.colour}" stroke-width="{stroke}" {ends}/>'
        )
    out.append("</g>")
    return y + 14
