"""Open the project graph (or given RDF files) in an embedded pyoxigraph Store.

Every load error becomes a CoopkgError naming the file and, for parse errors, line:column.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from coopkg import formats, paths
from coopkg.errors import CoopkgError

UTF8_BOM = b"\xef\xbb\xbf"

# pyoxigraph says "Parser error at line 3 column 10: msg" or "... between line 2 column 9 and ...".
_PREFIX = re.compile(r"^Parser error (?:at|between) [^:]*: ")


def rdf_format(path: Path) -> ox.RdfFormat:
    fmt = formats.by_extension(path.suffix)
    if fmt is None:
        known = ", ".join(sorted(formats.EXTENSIONS))
        raise CoopkgError(f"{path}: unknown RDF file extension {path.suffix!r} (known: {known})")
    return fmt


def syntax_error_message(path: Path | str, exc: SyntaxError) -> str:
    """'FILE:LINE:COL: message' from a pyoxigraph SyntaxError (location when it has one)."""
    text = str(exc.msg if exc.msg is not None else exc) or "syntax error"
    reason = _PREFIX.sub("", " ".join(text.split()))
    if exc.lineno is not None:
        col = exc.offset if exc.offset is not None else 1
        return f"{path}:{exc.lineno}:{col}: {reason}"
    return f"{path}: {reason}"


def _source(path: Path) -> tuple[str, ox.RdfFormat, dict]:
    """How to read one RDF file: its displayed name, format and the parser's input arguments.

    A byte-order mark (some editors write one) is not part of the text; Jena and rdflib skip it
    too, so it is cut off here. Line and column numbers stay those of the file."""
    shown = paths.display(path)
    if not path.exists():
        raise CoopkgError(f"{shown}: no such file")
    if path.is_dir():
        raise CoopkgError(f"{shown}: is a directory, not an RDF file")
    fmt = rdf_format(path)
    with _read_errors(shown):
        with open(path, "rb") as head:
            bom = head.read(len(UTF8_BOM)) == UTF8_BOM
        source = {"input": path.read_bytes()[len(UTF8_BOM) :]} if bom else {"path": str(path)}
    return shown, fmt, {**source, "format": fmt, "base_iri": path.resolve().as_uri()}


@contextlib.contextmanager
def _read_errors(shown: str):
    """Parser and file errors as one-line CoopkgErrors naming the file (and line:column)."""
    try:
        yield
    except SyntaxError as exc:
        raise CoopkgError(syntax_error_message(shown, exc)) from exc
    except OSError as exc:
        raise CoopkgError(f"{shown}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise CoopkgError(f"{shown}: {exc}") from exc


def load_file(store: ox.Store, path: Path) -> None:
    """Load one RDF file into the store's default graph, or raise a one-line CoopkgError.
    Quad formats keep their graphs; triples go to the default graph."""
    shown, _, source = _source(path)
    with _read_errors(shown):
        store.load(**source)


def parse_file(path: Path) -> Iterator[ox.Quad]:
    """One RDF file's quads as written: no store, so no literal is rewritten (a store keeps
    `"4.0"^^xsd:decimal` as `"4"`); errors as in load_file."""
    shown, _, source = _source(path)
    with _read_errors(shown):
        yield from ox.parse(**source)


def open_store(files: Iterable[Path] | None = None, *, each_nonempty: bool = False) -> ox.Store:
    """An in-memory Store holding the given files, or the project graph when files is None.

    For the project graph (and with each_nonempty) a file that adds no triple is a CoopkgError:
    an empty or truncated graph file would otherwise make every answer a silent zero."""
    store = ox.Store()
    strict = each_nonempty or files is None
    for path in paths.graph_files() if files is None else files:
        before = len(store)
        load_file(store, Path(path))
        if strict and len(store) == before:
            raise CoopkgError(f"{paths.display(Path(path))}: holds no triples {paths.where()}")
    return store
