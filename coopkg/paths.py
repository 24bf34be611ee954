"""Where the project's files are: root (`--project`, env COOPKG_HOME, the checkout or the copy
an installed wheel carries) and the project's files; the IRIs are in coopkg.namespaces.

The repository's top-level folders (ontology/, data/, shapes/, queries/) are the one source of
truth. A wheel or sdist carries a copy of them under coopkg/project/ (pyproject.toml maps them
there at build time), so an installed `coopkg` finds the same files from any directory."""

from __future__ import annotations

import os
import re
from pathlib import Path

from coopkg.namespaces import GRAPH_BASE, GRAPH_IRI

# The project graph, in load order (docs/model.md "Files"). The ontology, the concept schemes
# and the facts are required: without the facts every answer would be a silent, partial zero;
# without the ontology's class and property axioms, or the concept schemes' labels and
# hierarchy, a query would miss the instances of subclasses and the concepts' names, and
# validation the classes the shapes refer to, all without a word. The links are loaded when
# present: they are external identifiers kept apart from the facts (no answer about the facts
# changes without them), and a project not linked yet has none.
# A file that is there and holds no triples is an error (graph.open_store).
ONTOLOGY_FILES = ("ontology/coopkg.ttl", "ontology/concepts.ttl")
REQUIRED_GRAPH_FILES = (*ONTOLOGY_FILES, "data/agreement.ttl")
# The seed article's graph is three files: its facts (written by hand), the spans they are
# derived from with the text each quotes (written by hand), and where each quote lies in the
# article (generated from the spans by scripts/anchor_spans.py). The spans and their anchors go
# together: a project that has one of the two files needs the other (spans without anchors, or
# anchors of no declared span, are a partial graph).
SEED_ARTICLE = "data/agreement.ttl"
SEED_GROUNDING = ("data/spans.ttl", "data/anchors.ttl")
SEED_FILES = (SEED_ARTICLE, *SEED_GROUNDING)
GRAPH_FILES = (
    *ONTOLOGY_FILES,
    *SEED_FILES,
    "data/links.ttl",
)
# Every further article is data/articles/<slug>.ttl (its facts, spans and anchors in one file),
# loaded after the seed's files in name order, in the named graph GRAPH_BASE + <slug> on a quad
# export.
ARTICLES_DIR = "data/articles"
ARTICLE_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ONTOLOGY_SHAPES = "ontology-shapes.ttl"
DATA_SHAPES = "data-shapes.ttl"


_PACKAGE = Path(__file__).resolve().parent
# The copy of the project's folders inside an installed wheel (absent in a checkout).
PACKAGED_ROOT = _PACKAGE / "project"
_CHECKOUT = _PACKAGE.parent


def root() -> Path:
    """The project root: $COOPKG_HOME if set (`coopkg --project DIR` sets it), else the checkout
    this package lives in (a source tree or an editable install), else the copy in the wheel."""
    home = os.environ.get("COOPKG_HOME")
    if home:
        return Path(home)
    if (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "coopkg").is_dir():
        return _CHECKOUT
    return PACKAGED_ROOT


def is_packaged() -> bool:
    """True when the project root is the read-only copy inside an installed package."""
    try:
        return root().resolve() == PACKAGED_ROOT.resolve()
    except OSError:
        return False


def where() -> str:
    """The project root for messages: '(project: DIR)'."""
    return f"(project: {root()})"


def require_complete(base: Path | None = None) -> Path:
    """The project root (default root()), once it holds every required graph file, and the
    seed's spans and anchors both or neither; else a one-line CoopkgError naming the first
    file missing (so no command answers from, validates or exports a partial graph)."""
    base = root() if base is None else Path(base)
    grounded = base.is_dir() and any((base / name).exists() for name in SEED_GROUNDING)
    return _require(base, (*REQUIRED_GRAPH_FILES, *(SEED_GROUNDING if grounded else ())))


def _require(base: Path, names) -> Path:
    from coopkg.errors import CoopkgError

    if not base.is_dir():
        raise CoopkgError(f"{base}: no such project directory (COOPKG_HOME or --project)")
    for name in names:
        if not (base / name).is_file():
            raise CoopkgError(
                f"{name}: no such file, the project graph is incomplete (project: {base})"
            )
    return base


def graph_files() -> list[Path]:
    """The project graph's files, in load order: the ontology and concept schemes, the seed
    article's graph (its facts, spans and anchors), the other articles' graphs
    (article_files()), the links; a missing required file, or one of the seed's spans and
    anchors without the other, is a CoopkgError (require_complete())."""
    base = require_complete()
    files = [base / f for f in GRAPH_FILES if (base / f).exists()]
    seed = max(files.index(base / name) for name in SEED_FILES if base / name in files) + 1
    files[seed:seed] = [path for _iri, path in article_files()[1:]]
    return files


def seed_files() -> list[Path]:
    """The files of the seed article's graph that the project holds: data/agreement.ttl, then
    data/spans.ttl and data/anchors.ttl where present (graph_files() checks they go together)."""
    base = root()
    return [base / name for name in SEED_FILES if (base / name).exists()]


def article_files() -> list[tuple[str, Path]]:
    """(named graph IRI, file) of every article's graph, in load order: the seed article
    (data/agreement.ttl, GRAPH_IRI; its spans and anchors are seed_files()) first, then
    data/articles/<slug>.ttl by name, each in the graph GRAPH_BASE + <slug>. A file name that is
    no slug (a draft, `x.draft.ttl`) or that would reuse the seed's graph is a CoopkgError: it
    would otherwise be loaded unnoticed, or merged into another article's graph."""
    from coopkg.errors import CoopkgError

    base = root()
    found = [(GRAPH_IRI, base / SEED_ARTICLE)]
    folder = base / ARTICLES_DIR
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.ttl")):
        slug = path.name[: -len(".ttl")]
        if not ARTICLE_SLUG.fullmatch(slug):
            raise CoopkgError(
                f"{ARTICLES_DIR}/{path.name}: an article's graph file is named <slug>.ttl "
                f"(lower-case letters, digits and single hyphens); drafts stay outside "
                f"{ARTICLES_DIR}/ until reviewed {where()}"
            )
        if GRAPH_BASE + slug == GRAPH_IRI:
            raise CoopkgError(
                f"{ARTICLES_DIR}/{path.name}: its named graph <{GRAPH_IRI}> is the seed "
                f"article's ({SEED_ARTICLE}); rename the file {where()}"
            )
        found.append((GRAPH_BASE + slug, path))
    return found


def ontology_files() -> list[Path]:
    """ontology/coopkg.ttl and ontology/concepts.ttl, which `coopkg validate FILE` reads with
    the given files; a project without one of them is a CoopkgError, as for graph_files() (the
    given files stand for the facts, so those are not asked for)."""
    base = _require(root(), ONTOLOGY_FILES)
    return [base / f for f in ONTOLOGY_FILES]


def queries_dir() -> Path:
    return root() / "queries"


def require_queries_dir() -> Path:
    """queries/, which must hold at least one named query (*.rq)."""
    from coopkg.errors import CoopkgError

    folder = queries_dir()
    if not folder.is_dir():
        raise CoopkgError(f"queries: no such folder {where()}")
    if not any(folder.glob("*.rq")):
        raise CoopkgError(f"queries: no named query (*.rq) in it {where()}")
    return folder


def qc_dir() -> Path:
    return queries_dir() / "qc"


def data_shape_files() -> list[Path]:
    """shapes/data-shapes.ttl and every other shapes/*-shapes.ttl except the ontology's; a
    missing data-shapes.ttl is a CoopkgError (the other files, such as the draft shapes, check
    only part of the data, so validating against them alone would conform wrongly)."""
    from coopkg.errors import CoopkgError

    folder = root() / "shapes"
    if not (folder / DATA_SHAPES).is_file():
        raise CoopkgError(f"no shapes found: shapes/{DATA_SHAPES} is missing {where()}")
    found = sorted(folder.glob("*-shapes.ttl")) if folder.is_dir() else []
    found = [p for p in found if p.name != ONTOLOGY_SHAPES]
    if not found:
        raise CoopkgError(
            f"no shapes found: no shapes/*-shapes.ttl besides {ONTOLOGY_SHAPES} {where()}"
        )
    return found


def package_file(name: str) -> Path:
    """A data file shipped inside the package (context.jsonld, sparql/*.rq)."""
    return Path(__file__).resolve().parent / name


def display(path: Path) -> str:
    """A path as the user should see it: relative to the project root when inside it."""
    try:
        return str(Path(path).resolve().relative_to(root().resolve()))
    except ValueError:
        return str(path)
