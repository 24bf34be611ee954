"""The table format fits the terminal: long cells wrap inside their column, IRIs are compacted,
one language is shown unless asked, and `who-committed-what` shows the README's view."""

from __future__ import annotations

import csv
import io

import pytest
from cli_helpers import stdout_of

from coopkg import graph, namespaces, results
from coopkg import query as q
from coopkg.views import VIEWS


def widest(text: str) -> int:
    return max(results._width(line) for line in text.splitlines())


def column_texts(table: str) -> tuple[list[str], list[list[str]]]:
    """Headings and rows of a rendered table, each wrapped cell joined back into one text."""
    lines = table.splitlines()
    rule_at = next(i for i, line in enumerate(lines) if set(line) <= {"-", "+"} and line)
    rule = lines[rule_at]
    bounds, start = [], 0
    for part in rule.split("-+-"):
        bounds.append((start, start + len(part)))
        start += len(part) + 3

    def cells(block: list[str]) -> list[str]:
        out = []
        for a, b in bounds:
            pieces = [line[a:b].strip() for line in block]
            out.append(" ".join(p for p in pieces if p))
        return out

    header = cells(lines[:rule_at])
    rows, block = [], []
    for line in lines[rule_at + 1 :]:
        if line == rule:
            rows.append(cells(block))
            block = []
        else:
            block.append(line)
    if block:
        rows.append(cells(block))
    return header, rows


def squeezed(text: str) -> str:
    """Text without spaces: a word broken across lines joins back with a space between."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def csv_rows() -> list[dict[str, str]]:
    out = stdout_of("query", "who-committed-what", "--format", "csv")
    return list(csv.DictReader(io.StringIO(out)))


@pytest.mark.parametrize("how", [("COLUMNS", 80), ("--width", 120)])
def test_who_committed_what_fits_the_width_and_keeps_every_word(how, csv_rows):
    kind, width = how
    args = ["query", "who-committed-what", "--format", "table"]
    if kind == "--width":
        out = stdout_of(*args, "--width", str(width))
    else:
        out = stdout_of(*args, columns=width)
    assert widest(out) <= width
    count, _, table = out.partition("\n\n")
    assert count == "12 commitments:"
    header, rows = column_texts(table)
    assert header == [h for _, h in VIEWS["who-committed-what"].columns["en"]]
    assert len(rows) == len(csv_rows) == 12
    for row, want in zip(rows, csv_rows, strict=True):
        assert squeezed(row[2]) == squeezed(want["what_en"])  # What: every word, in order
        assert squeezed(row[4]) == squeezed(want["fields"])
        assert row[6] == {"true": "yes", "false": "no"}[want["joint"]]
    # One language: no Vietnamese action, no IRI.
    assert "Tiếp tục" not in out and "https://" not in out and "kg:commitment" not in out


def test_who_committed_what_in_vietnamese_has_vietnamese_headings():
    out = stdout_of(
        "query", "who-committed-what", "--lang", "vi", "--format", "table", "--width", "100"
    )
    assert out.startswith("12 cam kết:\n\n")
    header, rows = column_texts(out.partition("\n\n")[2])
    assert header == [h for _, h in VIEWS["who-committed-what"].columns["vi"]]
    assert any("Tiếp tục" in r[2] for r in rows) and widest(out) <= 100


def test_wide_shows_every_column_unwrapped(csv_rows):
    out = stdout_of("query", "who-committed-what", "--format", "table", "--wide", "--width", "80")
    header = [h.strip() for h in out.splitlines()[0].split(" | ")]
    assert header == list(csv_rows[0])  # all eleven variables
    assert len(out.splitlines()) == 2 + 12  # one line a row: nothing wrapped
    assert "kg:commitment-new-rural-communes" in out  # IRIs compacted with the prefixes


@pytest.mark.parametrize("width", [80, 120])
def test_every_named_query_table_fits(width):
    store = graph.open_store()
    for name in q.named_queries():
        query = q.bind(q.resolve(name), {}, lang="en")
        text = results.table(q.run_embedded(store, query), width=width)
        assert widest(text) <= width, (name, width)
        assert f"<{namespaces.PREFIXES['kg']}" not in text, name  # project IRIs are compacted


def test_a_pair_of_language_columns_shows_one_language():
    assert results.one_language(["c", "what_vi", "what_en"], None) == ["c", "what_en"]
    assert results.one_language(["c", "what_vi", "what_en"], "vi") == ["c", "what_vi"]
    assert results.one_language(["label_vi", "x"], "en") == ["label_vi", "x"]  # no pair


@pytest.mark.parametrize("width", [1, 3, 7, 20])
def test_wrap_keeps_lines_within_width_and_every_character(width):
    text = "Hà Nội giúp đỡ https://w3id.org/coopkg/id/commitment-new-rural-communes  x"
    lines = results.wrap(text, width)
    assert all(results._width(line) <= width for line in lines)
    assert squeezed("".join(lines)) == squeezed(text)


def test_table_without_width_is_not_wrapped():
    assert results.render_table(["a", "b"], [["x " * 50, "y"]]).count("\n") == 3
