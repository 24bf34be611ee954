"""`coopkg diagram`: one arrow per commitment, drawn from the graph, in Mermaid, DOT and SVG."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cli_helpers import PROJECT, ROOT, Run, assert_one_line_error, coopkg

from coopkg import diagram, graph, paths
from coopkg.errors import CoopkgError

FIXTURE = Path(__file__).parent / "fixtures" / "diagram" / "commitments.ttl"
SVG = "{http://www.w3.org/2000/svg}"
# A Mermaid edge line as coopkg writes it: `a -->|"label"| b` or `a <-->|"label"| b`.
MERMAID_EDGE = re.compile(r'^\s*(\S+) (-->|<-->)\|"(.*)"\| (\S+)$')
COUNT_COMMITMENTS = """
PREFIX coop: <https://w3id.org/coopkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a/rdfs:subClassOf* coop:Commitment }
"""


def mermaid_edges(text: str) -> list[tuple[str, str, str, str]]:
    return [m.groups() for line in text.splitlines() if (m := MERMAID_EDGE.match(line))]


def run_cli(*args: str, home: Path = ROOT) -> Run:
    return coopkg("diagram", *args, home=home)


@pytest.fixture(scope="module")
def fixture_store():
    return graph.open_store([FIXTURE])


@pytest.fixture
def fixture_home(tmp_path: Path) -> Path:
    """A project root whose facts are the fixture, for running the real CLI on it, with the CLI
    fixture project's small ontology and concept scheme (a project needs both)."""
    shutil.copytree(PROJECT / "ontology", tmp_path / "ontology")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "agreement.ttl").write_bytes(FIXTURE.read_bytes())
    return tmp_path


# --- the drawing, on a small graph whose answer we know -------------------------------------


def test_one_edge_per_commitment_with_debtor_to_creditor_direction(fixture_store):
    drawing = diagram.build(fixture_store, lang="en")
    edges = {e.commitment.rsplit("/", 1)[1]: e for e in drawing.edges}
    assert sorted(edges) == ["commitment-help", "commitment-tour", "commitment-two-fields"]
    help_ = edges["commitment-help"]
    assert (help_.source.label, help_.target.label, help_.joint) == ("Hanoi", "Lao Cai", False)
    back = edges["commitment-two-fields"]
    assert (back.source.label, back.target.label) == ("Lao Cai", "Hanoi")
    tour = edges["commitment-tour"]
    assert tour.joint and {tour.source.label, tour.target.label} == {"Hanoi", "Lao Cai"}


def test_title_names_the_meeting_its_date_and_the_period(fixture_store):
    en = diagram.build(fixture_store, lang="en").title
    assert "Hanoi & Lao Cai <working> session" in en
    assert "17 May 2017" in en and "2017–2020" in en
    vi = diagram.build(fixture_store, lang="vi").title
    assert "Buổi làm việc <Hà Nội> & Lào Cai" in vi and "17/5/2017" in vi


def test_title_does_not_repeat_a_date_the_meeting_label_gives():
    assert diagram._names_date("Buổi làm việc ngày 17-5-2017", "2017-05-17", "vi")
    assert diagram._names_date("Working session, 17 May 2017", "2017-05-17", "en")
    assert not diagram._names_date("Working session, 17 May 2016", "2017-05-17", "en")
    assert not diagram._names_date("Working session of 2017", "2017-05-17", "en")


def test_labels_follow_the_language_and_say_when_they_fall_back(fixture_store):
    vi = diagram.build(fixture_store, lang="vi")
    assert [p.label for p in vi.parties] == ["Hà Nội", "Lào Cai"]
    en = diagram.build(fixture_store, lang="en")
    back = next(e for e in en.edges if e.commitment.endswith("two-fields"))
    # The fixture gives this action only in Vietnamese: shown, and marked as Vietnamese.
    assert back.action == "làm việc chung (vi)"


def test_arrows_are_grouped_and_coloured_by_broad_field(fixture_store):
    drawing = diagram.build(fixture_store, lang="en")
    # Only broad fields that arrows are drawn under, in the scheme's notation order.
    assert [g.label for g in drawing.groups] == ["Agriculture", "Tourism"]
    colours = {g.label: g.colour for g in drawing.groups}
    assert colours["Agriculture"] != colours["Tourism"]
    tour = next(e for e in drawing.edges if e.commitment.endswith("tour"))
    assert tour.colour == colours["Tourism"]
    assert drawing.edge_heading(tour) == "Tourism (joint)"
    # Fields 1.1 (under 1, Agriculture) and 2: drawn under Agriculture, both named.
    both = next(e for e in drawing.edges if e.commitment.endswith("two-fields"))
    assert both.group.label == "Agriculture" and both.colour == colours["Agriculture"]
    assert drawing.edge_heading(both) == "Agricultural trade · Tourism"
    assert [e.group.label for e in drawing.edges] == ["Agriculture", "Agriculture", "Tourism"]
    help_ = next(e for e in drawing.edges if e.commitment.endswith("help"))
    assert drawing.edge_text(help_).endswith("[for: Lao Cai enterprises]")


def test_mermaid_has_one_arrow_per_commitment_and_a_double_head_for_joint(fixture_store):
    text = diagram.to_mermaid(diagram.build(fixture_store, lang="en"))
    edges = mermaid_edges(text)
    assert len(edges) == 3
    assert [arrow for _, arrow, _, _ in edges].count("<-->") == 1
    assert text.startswith("---\ntitle: ") and "\nflowchart LR\n" in text
    # A quote inside a label must not end Mermaid's quoted string.
    label = next(lbl for _, _, lbl, _ in edges if "market" in lbl)
    assert '"' not in label and "#quot;Hanoi#quot;" in label
    assert len(re.findall(r"^\s*linkStyle \d+ ", text, re.M)) == 3


def test_dot_marks_joint_commitments_as_both_ways(fixture_store):
    text = diagram.to_dot(diagram.build(fixture_store, lang="vi"))
    arrows = [line for line in text.splitlines() if " -> " in line]
    assert len(arrows) == 3
    assert sum("dir=both" in line for line in arrows) == 1
    assert '\\"Hà Nội\\"' in text  # quotes escaped inside a DOT string


def test_svg_is_well_formed_with_one_arrow_per_commitment(fixture_store):
    text = diagram.render(diagram.build(fixture_store, lang="vi"), "svg")
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{SVG}svg"
    arrows = [el for el in root.iter() if el.get("marker-end")]
    assert len(arrows) == 3
    assert sum(1 for el in arrows if el.get("marker-start")) == 1
    words = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Hà Nội" in words and "xây dựng tuyến du lịch" in words


def test_unknown_extension_is_refused():
    with pytest.raises(CoopkgError, match=r"unknown diagram file extension '\.png'"):
        diagram.format_for(Path("x.png"))


# --- the real command ------------------------------------------------------------------------


def test_cli_writes_each_format_by_extension(fixture_home: Path, tmp_path: Path):
    for name in ("x.mmd", "x.dot", "x.svg"):
        out = tmp_path / name
        done = run_cli("--out", str(out), home=fixture_home)
        assert done.code == 0, done.err
        assert done.out == ""
        assert out.stat().st_size > 0
    assert (tmp_path / "x.dot").read_text(encoding="utf-8").startswith("digraph ")
    ET.parse(tmp_path / "x.svg")
    stdout = run_cli(home=fixture_home).out
    assert stdout == (tmp_path / "x.mmd").read_text(encoding="utf-8")


def test_cli_bad_extension_is_one_line_exit_2(fixture_home: Path, tmp_path: Path):
    done = run_cli("--out", str(tmp_path / "x.png"), home=fixture_home)
    assert_one_line_error(done, "unknown diagram file extension '.png'")
    assert not (tmp_path / "x.png").exists()


def test_project_graph_mmd_has_exactly_one_edge_per_commitment(tmp_path: Path):
    store = graph.open_store()
    (count,) = (int(row["n"].value) for row in store.query(COUNT_COMMITMENTS))
    assert count > 0, "the project graph has no commitments: is data/agreement.ttl loaded?"
    out = tmp_path / "x.mmd"
    done = run_cli("--out", str(out), "--lang", "vi")
    assert done.code == 0, done.err
    assert len(mermaid_edges(out.read_text(encoding="utf-8"))) == count


def test_project_graph_svg_is_well_formed(tmp_path: Path):
    out = tmp_path / "x.svg"
    done = run_cli("--out", str(out))
    assert done.code == 0, done.err
    root = ET.parse(out).getroot()
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text.startswith("Who committed what to whom")


def test_committed_pictures_are_up_to_date():
    """docs/who-committed-what.* are drawn from the graph; redraw them when it changes."""
    store = graph.open_store()
    docs = paths.root() / "docs"
    for lang, suffix in (("en", ""), ("vi", ".vi")):
        drawing = diagram.build(store, lang=lang)
        for ext, fmt in (("mmd", "mermaid"), ("svg", "svg")):
            path = docs / f"who-committed-what{suffix}.{ext}"
            assert path.read_text(encoding="utf-8") == diagram.render(drawing, fmt), (
                f"{path} is out of date: run `make docs`"
            )
