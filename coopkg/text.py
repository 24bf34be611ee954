"""Vietnamese text folding: the one place that says how a name loses its diacritics.

`đ`/`Đ` are letters of their own, not `d` with a mark, so Unicode decomposition leaves them
alone; they are mapped by hand. Every other mark (tones, `ơ`, `ư`, `ă`, `â`, `ê`, `ô`) goes
with NFD decomposition. Curly quotes, which labels keep as the article prints them, fold to
the ASCII quote.
"""

from __future__ import annotations

import re
import unicodedata

_BY_HAND = str.maketrans({"đ": "d", "Đ": "D", "“": '"', "”": '"', "‘": "'", "’": "'"})


def ascii_fold(text: str) -> str:
    """The text without diacritics, case kept: 'Nguyễn Đức Chung' -> 'Nguyen Duc Chung'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_BY_HAND))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_key(text: str) -> str:
    """Case-, accent- and punctuation-free form for matching: 'Lào Cai' == 'lao  cai'."""
    folded = ascii_fold(text.casefold())
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def slug(text: str) -> str:
    """The IRI slug of a name: folded, lower case, ASCII letters and digits joined by '-'."""
    out = [ch if ch.isascii() and ch.isalnum() else " " for ch in ascii_fold(text).lower()]
    return "-".join("".join(out).split())
