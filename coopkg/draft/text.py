"""Reading an article: NFC text, the corpus header, sentences and clauses with their offsets,
ASCII folding and slugs.

The sentence splitter is a rule, not a model: a sentence ends at ``.``, ``!``, ``?`` or ``…``
followed by white space and an upper-case letter, or at a paragraph break; abbreviations
written with a dot inside a word ("T.Ư", "TP.") do not end one because no space follows the
dot. Offsets are Python ``str`` indices of the NFC text (docs/model.md, "Grounding").
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from coopkg.errors import CoopkgError

# The corpus header: " date 2017-05 " at the start of one of the first lines.
HEADER = re.compile(r"^[ \t]*date[ \t]+(\d{4})-(\d{2})(?=[ \t])", re.MULTILINE)


@dataclass(frozen=True)
class Article:
    path: Path
    text: str  # NFC
    sha256: str  # of the file's bytes, as they are on disk
    was_nfc: bool
    header_year: int | None
    header_month: int | None
    body_start: int  # offset just after the corpus header (0 when there is none)


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


def read_article(path: Path) -> Article:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CoopkgError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CoopkgError(f"{path}:{line}: not UTF-8 (byte {exc.start})") from None
    if decoded.startswith("\ufeff"):
        raise CoopkgError(f"{path}:1: starts with a byte-order mark; remove it first")
    text = unicodedata.normalize("NFC", decoded)
    if not text.strip():
        raise CoopkgError(f"{path}:1: the article is empty")
    year = month = None
    body_start = 0
    head = HEADER.search(text, 0, _end_of_line(text, 3))
    if head:
        year, month = int(head.group(1)), int(head.group(2))
        body_start = head.end()
        while body_start < len(text) and text[body_start] in " \t":
            body_start += 1
    return Article(
        path=Path(path),
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        was_nfc=text == decoded,
        header_year=year,
        header_month=month,
        body_start=body_start,
    )


def _end_of_line(text: str, lines: int) -> int:
    at = -1
    for _ in range(lines):
        at = text.find("\n", at + 1)
        if at == -1:
            return len(text)
    return at


# Letter classes of the Latin script as Vietnamese uses it (re has no \p{Lu}).
UPPER = "[" + "".join(re.escape(chr(c)) for c in range(0x41, 0x2000) if chr(c).isupper()) + "]"
LOWER = "[" + "".join(re.escape(chr(c)) for c in range(0x61, 0x2000) if chr(c).islower()) + "]"

_SENTENCE_END = re.compile(r"[.!?…]+(?=\s+[\"“(]?" + UPPER + r")|[.!?…]+\s*$|\n\s*\n|\n")


def paragraphs(text: str, start: int = 0) -> list[Span]:
    """Paragraphs (runs of non-empty lines) from ``start`` on, trimmed of white space."""
    out = []
    for match in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text[start:]):
        s, e = match.start() + start, match.end() + start
        s, e = _trim(text, s, e)
        if s < e:
            out.append(Span(s, e))
    return out


def sentences(text: str, within: Span) -> list[Span]:
    """The sentences of one paragraph, each ending with its punctuation."""
    out = []
    begin = within.start
    for match in _SENTENCE_END.finditer(text, within.start, within.end):
        end = match.end() if text[match.start()] not in "\n" else match.start()
        end = min(end, within.end)
        s, e = _trim(text, begin, end)
        if s < e:
            out.append(Span(s, e))
        begin = match.end()
    s, e = _trim(text, begin, within.end)
    if s < e:
        out.append(Span(s, e))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def key(value: str) -> str:
    """A comparison key for names: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())
