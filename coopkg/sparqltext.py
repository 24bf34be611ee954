"""Light lexical facts about SPARQL text: its form, its variables, its header comment.

This is not a parser (pyoxigraph parses); it only blanks out comments, strings and IRIs so that
keywords and variables can be found without being fooled by text inside them.
"""

from __future__ import annotations

import re

UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD"}
QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}

# Order matters: long strings before short ones; IRIREF as the SPARQL grammar defines it.
_SKIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*",
    re.DOTALL,
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*:?")
_VAR = re.compile(r"[?$]([A-Za-z0-9_\u00b7\u00c0-\ufffd]+)")


def blank(text: str) -> str:
    """The text with comments, strings and IRIs replaced by spaces (positions kept)."""
    return _SKIP.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def first_keyword(text: str) -> str | None:
    """The first keyword after the prologue (PREFIX/BASE): SELECT, INSERT, WITH, ... upper-cased."""
    words = _WORD.findall(blank(text))
    i = 0
    while i < len(words):
        word = words[i].upper()
        if word == "PREFIX":
            i += 2  # PREFIX pname: <iri> (the IRI is blanked)
            continue
        if word == "BASE":
            i += 1
            continue
        return word
    return None


def is_update(text: str) -> bool:
    word = first_keyword(text)
    return word in UPDATE_KEYWORDS or word == "WITH"


def variables(text: str) -> set[str]:
    """Names of the variables the text mentions (outside comments, strings and IRIs)."""
    return set(_VAR.findall(blank(text)))


def where_group_start(text: str) -> int | None:
    """The offset of the '{' that opens the query's outermost WHERE group, or None when there
    is none to bind in (DESCRIBE without WHERE) or the query aggregates at its top level
    (GROUP BY, or an aggregate in the SELECT clause, after the WHERE group)."""
    blanked = blank(text)
    words = list(re.finditer(r"[A-Za-z_][A-Za-z0-9_-]*|[{}]", blanked))
    depth = 0
    form = None
    opened = None
    for m in words:
        token = m.group(0)
        if token == "{":
            if depth == 0 and opened is None and form in ("SELECT", "ASK"):
                opened = m.start()
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            word = token.upper()
            if form is None and word in QUERY_FORMS:
                form = word
            elif word == "WHERE" and opened is None:
                form = "SELECT"  # the next '{' at the top level opens the WHERE group
            elif word in ("GROUP", "HAVING") and opened is not None:
                return None
    if opened is None:
        return None
    head = blanked[:opened].upper()
    if form == "SELECT" and re.search(
        r"(?<![?$\w])(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", head
    ):
        return None
    return opened


def assigned_variables(text: str) -> set[str]:
    """Names the query assigns with ``AS ?name`` (BIND or a SELECT expression)."""
    return set(re.findall(r"\bAS\s+[?$]([A-Za-z0-9_\u00b7\u00c0-\ufffd]+)", blank(text), re.I))


def header_lines(text: str) -> list[str]:
    """The leading comment block's entries, without '#'. A line indented after '#' by two or
    more spaces continues the entry above it (headers wrap long questions that way)."""
    entries: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        body = stripped[1:]
        if body.startswith("  ") and body.strip() and entries:
            entries[-1] = f"{entries[-1]} {body.strip()}"
        else:
            entries.append(body.strip())
    return entries


_LABELLED = re.compile(
    r"^(?P<key>[^\W\d_][\w ]*?)\s*(?:\((?P<lang>[a-z]{2})\))?\s*:\s*(?P<text>.+)$"
)
_KEYS = {
    "en": ("question", "q", "en", "cq"),
    "vi": ("câu hỏi", "cau hoi", "vi"),
}


def question(text: str, lang: str = "en") -> str:
    """The question a query answers, from its header comment.

    Recognises ``Question (en): …`` / ``Câu hỏi (vi): …``, ``Question: …``, ``Câu hỏi: …`` and
    ``EN: …``/``VI: …`` (wrapped over indented lines); otherwise the first header entry.
    """
    entries = [e for e in header_lines(text) if e]
    for entry in entries:
        m = _LABELLED.match(entry)
        if not m:
            continue
        key = m.group("key").strip().lower()
        tagged = m.group("lang")
        if tagged:
            if tagged == lang and key in _KEYS["en"] + _KEYS["vi"]:
                return m.group("text").strip()
            continue
        if key in _KEYS[lang]:
            return m.group("text").strip()
    return entries[0] if entries else ""
