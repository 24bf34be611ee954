"""Where a quoted text lies in an article: the one anchoring rule of the project.

Offsets count code points of the whole article text (Python ``str`` indices), end exclusive;
``oa:prefix``/``oa:suffix`` hold up to CONTEXT code points, shorter only at the start or end of
the text (docs/model.md, "Grounding"). scripts/anchor_spans.py (the curated graph) and
``coopkg draft`` (drafted graphs) both compute their selectors here, so a drafted span and a
curated span of the same words are identical.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT = 32  # code points of prefix/suffix, as docs/model.md fixes


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    prefix: str
    suffix: str


def locate(text: str, exact: str, prefix: str | None) -> int:
    """Return the start offset of the one occurrence of ``exact`` (after ``prefix`` if given).

    Raises ValueError with a reason when the text is empty, absent or ambiguous.
    """
    if not exact:
        raise ValueError("oa:exact is empty")
    starts = []
    at = text.find(exact)
    while at != -1:
        starts.append(at)
        at = text.find(exact, at + 1)
    if not starts:
        raise ValueError(f"oa:exact {exact[:40]!r} does not occur in the article")
    if len(starts) == 1:
        return starts[0]
    if not prefix:
        raise ValueError(
            f"oa:exact {exact[:40]!r} occurs {len(starts)} times at {starts}; "
            "add a disambiguating oa:prefix"
        )
    chosen = [s for s in starts if text[:s].endswith(prefix)]
    if len(chosen) != 1:
        raise ValueError(
            f"oa:exact {exact[:40]!r} with oa:prefix {prefix!r} matches {len(chosen)} of "
            f"{len(starts)} occurrences; make the prefix longer"
        )
    return chosen[0]


def at(text: str, start: int, end: int) -> Anchor:
    """The anchor of the span text[start:end] (a position already known)."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}-{end} is not inside a text of {len(text)} code points")
    return Anchor(
        start=start,
        end=end,
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
    )


def anchor(text: str, exact: str, prefix: str | None = None) -> Anchor:
    """The anchor of the one occurrence of ``exact`` (after ``prefix`` where it repeats)."""
    start = locate(text, exact, prefix)
    return at(text, start, start + len(exact))
