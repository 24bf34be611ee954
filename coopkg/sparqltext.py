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


# --- syntax errors in plain words ---------------------------------------------------------------

_PREFIX_DECL = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?:")
# A prefixed name's prefix: not inside a variable, a word or another prefixed name.
_PNAME = re.compile(r"(?<![\w?$:.-])([A-Za-z][\w.-]*)?:(?=[\w%\\]|[\s,;.)}\]]|$)")


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of an offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def undeclared_prefixes(text: str) -> list[tuple[str, int, int]]:
    """Prefixes used but never declared with PREFIX: (prefix, line, column) of each first use."""
    blanked = blank(text)
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(blanked)}
    declaring = {m.start(1) if m.group(1) else m.end() - 1 for m in _PREFIX_DECL.finditer(blanked)}
    found, seen = [], set()
    for m in _PNAME.finditer(blanked):
        name = m.group(1) or ""
        if m.start() in declaring or name in declared or name in seen:
            continue
        seen.add(name)
        found.append((name, *position(text, m.start())))
    return found


def declared_prefixes(text: str) -> list[str]:
    return sorted({m.group(1) or "" for m in _PREFIX_DECL.finditer(blank(text))})


def excerpt(text: str, line: int, column: int) -> list[str]:
    """The line of the text, and a caret under the column (tabs kept so the caret lines up)."""
    lines = text.splitlines() or [""]
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    lead = "".join(ch if ch == "\t" else " " for ch in source[: max(column - 1, 0)])
    lead += " " * max(column - 1 - len(source), 0)
    return [f"  {source}", f"  {lead}^"]


_EXPECTED = re.compile(r"^expected (?:one of )?(?P<items>.*)$", re.S)


def _readable(items: str) -> list[str]:
    """pyoxigraph's expected-token list without its character classes: keywords and quoted
    punctuation; character classes of digits become "a number"."""
    words, number = [], False
    for item in re.split(r",\s*(?![^\[]*\])", items):
        item = item.strip().rstrip("…")
        if not item or "not found" in item:
            continue
        if item.startswith("["):
            number = number or "'0'" in item
            continue
        if re.fullmatch(r'"[^"]+"|[A-Za-z][A-Za-z_]*', item):
            words.append(item)
    return words + (["a number"] if number else [])


def plain_syntax_error(text: str, line: int, column: int, reason: str) -> str:
    """pyoxigraph's reason in plain words: what stands at line:column, and what may stand there."""
    lines = text.splitlines()
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    rest_of_text = "\n".join([source[column - 1 :], *lines[line:]]).strip()
    if not rest_of_text:
        found = "the query ends here"
    else:
        start = column - 1
        while 0 < start <= len(source) and re.match(r"[\w:?$-]", source[start - 1]):
            start -= 1  # the whole word the column falls in
        token = re.match(r"[\w:?$-]+|\S", source[start:].lstrip() or rest_of_text).group(0)
        found = f"unexpected {token!r}"
    m = _EXPECTED.match(" ".join(reason.split()))
    if not m:
        return f"{found}: {reason}"
    expected = _readable(m.group("items"))
    if not expected:
        return found
    shown = expected[:8] + (["…"] if len(expected) > 8 else [])
    return f"{found}; expected {', '.join(shown)}"


# --- what --bind accepts ------------------------------------------------------------------------

_BIND_EXAMPLE = re.compile(r"--bind\s+(?:'(\w+)=([^']*)'|(\w+)=('[^']*'|\"[^\"]*\"|[^\s`]+))")


def projected(text: str) -> list[str]:
    """The variables a SELECT projects, in order (every variable for SELECT *)."""
    blanked = blank(text)
    m = re.search(
        r"(?i)\bSELECT\b(?:\s+(?:DISTINCT|REDUCED)\b)?(.*?)(?:\bWHERE\b|\{)", blanked, re.S
    )
    if not m:
        return []
    clause = m.group(1)
    if clause.strip() == "*":
        return sorted(variables(text))
    names, depth, i = [], 0, 0
    while i < len(clause):
        ch = clause[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch in "?$":
            var = _VAR.match(clause, i)
            if var:
                before = clause[:i].rstrip()
                if depth == 0 or re.search(r"(?i)\bAS$", before):
                    if var.group(1) not in names:
                        names.append(var.group(1))
                i = var.end()
                continue
        i += 1
    return names


def bind_examples(text: str) -> list[tuple[str, str]]:
    """`--bind NAME=VALUE` examples that the header comment gives, as (NAME, VALUE)."""
    header = "\n".join(header_lines(text))
    out = []
    for m in _BIND_EXAMPLE.finditer(header):
        name, value = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if value[:1] == value[-1:] and value[:1] in "'\"" and value.count(value[0]) == 2:
            value = value[1:-1] if value[0] == "'" else value
        out.append((name, value))
    return out
