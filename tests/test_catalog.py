"""data/catalog.ttl: a DCAT-AP 3.0.0 description portals can harvest, with true VoID counts.

Mandatory DCAT-AP shapes (shapes.ttl) and class ranges (range.ttl) must report no violation; the
recommended shapes' warnings are reported as pytest warnings (see the run's warnings summary).
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sys
import warnings
from pathlib import Path

import pytest
from cli_helpers import coopkg
from rdflib import RDF, Graph, Literal, Namespace, URIRef

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "data" / "catalog.ttl"
SHAPES = ROOT / "shapes" / "dcat-ap"
KG = Namespace("https://w3id.org/coopkg/id/")
DATASET = KG["dataset-ha-noi-lao-cai-2017"]
SH = Namespace("http://www.w3.org/ns/shacl#")
# Plain namespaces: rdflib's closed DCAT/DCTERMS classes trip pytest's module introspection.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
VOID = Namespace("http://rdfs.org/ns/void#")
PROV = Namespace("http://www.w3.org/ns/prov#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")


def load_update_void():
    spec = importlib.util.spec_from_file_location(
        "update_void", ROOT / "scripts" / "update_void.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["update_void"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def catalog() -> Graph:
    return Graph().parse(CATALOG, format="turtle")


def shacl(data: Graph, shapes_file: str):
    from pyshacl import validate

    shapes = Graph().parse(SHAPES / shapes_file, format="turtle")
    assert len(shapes) > 100, f"{shapes_file} looks empty: the check would pass vacuously"
    conforms, report, text = validate(data, shacl_graph=shapes, allow_warnings=True)
    results = [
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultPath)),
            str(report.value(r, SH.resultSeverity)),
            str(report.value(r, SH.resultMessage)),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    ]
    return conforms, results


# --- DCAT-AP 3.0.0 ------------------------------------------------------------------------------


@pytest.mark.parametrize("shapes_file", ["shapes.ttl", "range.ttl"])
def test_catalog_has_no_dcat_ap_violation(catalog, shapes_file):
    conforms, results = shacl(catalog, shapes_file)
    violations = [r for r in results if r[2].endswith("Violation")]
    assert conforms and not violations, "\n".join(map(str, violations))


def test_recommended_dcat_ap_properties_are_reported(catalog):
    conforms, results = shacl(catalog, "shapes_recommended.ttl")
    assert conforms  # only warnings in this file
    if results:  # one warning listing them all, shown in pytest's warnings summary
        lines = [f"  {focus} {path}: {message}" for focus, path, _s, message in sorted(results)]
        warnings.warn(
            f"DCAT-AP 3.0.0 recommended properties missing ({len(results)}):\n" + "\n".join(lines),
            stacklevel=1,
        )
    # The dataset itself lacks none of the recommended properties we can state truthfully.
    assert not [r for r in results if r[0] == str(DATASET)], results


def test_dcat_ap_check_fails_for_a_dataset_without_title(catalog):
    broken = Graph()
    for t in catalog:
        broken.add(t)
    broken.remove((DATASET, DCTERMS["title"], None))
    conforms, results = shacl(broken, "shapes.ttl")
    assert not conforms
    assert (str(DATASET), str(DCTERMS["title"])) in {(r[0], r[1]) for r in results}


def test_dcat_ap_shapes_are_the_published_copies():
    readme = (SHAPES / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "European Union" in readme
    sums = dict(re.findall(r"\| `([\w.]+\.ttl)` \| `([0-9a-f]{64})` \|", readme))
    assert set(sums) == {"shapes.ttl", "range.ttl", "shapes_recommended.ttl"}
    for name, want in sums.items():
        assert hashlib.sha256((SHAPES / name).read_bytes()).hexdigest() == want, name


# --- what the description says ------------------------------------------------------------------


def langs(graph: Graph, subject, prop) -> set[str]:
    return {o.language for o in graph.objects(subject, prop) if isinstance(o, Literal)}


def test_dataset_is_described_in_vietnamese_and_english(catalog):
    for prop in (DCTERMS["title"], DCTERMS["description"], DCAT.keyword):
        assert langs(catalog, DATASET, prop) >= {"vi", "en"}, prop


def test_temporal_coverage_is_2011_to_2020(catalog):
    period = catalog.value(DATASET, DCTERMS["temporal"])
    assert str(catalog.value(period, DCAT.startDate)) == "2011"
    assert str(catalog.value(period, DCAT.endDate)) == "2020"


def test_spatial_coverage_is_the_two_provinces_checked_identifiers(catalog):
    spatial = {str(o) for o in catalog.objects(DATASET, DCTERMS["spatial"])}
    assert spatial == {
        "http://www.wikidata.org/entity/Q1858",
        "http://www.wikidata.org/entity/Q36446",
        "https://sws.geonames.org/1581129/",
        "https://sws.geonames.org/1562412/",
    }


def test_license_themes_distributions_and_local_service(catalog):
    cc_by = URIRef("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0")
    assert catalog.value(DATASET, DCTERMS["license"]) == cc_by
    themes = {str(o) for o in catalog.objects(DATASET, DCAT.theme)}
    assert themes and all(
        t.startswith("http://publications.europa.eu/resource/authority/data-theme/") for t in themes
    )
    formats = {
        str(catalog.value(d, DCTERMS["format"])).rsplit("/", 1)[-1]
        for d in catalog.objects(DATASET, DCAT.distribution)
    }
    assert {"RDF_TURTLE", "RDF_N_TRIPLES", "JSON_LD"} <= formats
    service = catalog.value(None, DCAT.servesDataset, DATASET)
    assert (service, RDF.type, DCAT.DataService) in catalog
    assert str(catalog.value(service, DCAT.endpointURL)) == "http://127.0.0.1:7878/query"
    assert str(catalog.value(DATASET, VOID.sparqlEndpoint)) == "http://127.0.0.1:7878/query"
    assert len(set(catalog.objects(DATASET, VOID.dataDump))) == 3


def test_one_linkset_per_target_dataset(catalog):
    linksets = list(catalog.objects(DATASET, VOID.subset))
    targets = {str(catalog.value(ls, VOID.objectsTarget)) for ls in linksets}
    assert len(linksets) == len(targets) == 3
    for ls in linksets:
        assert catalog.value(ls, DCTERMS["source"]) == KG["external-ids-table"]


# --- VoID counts are the graph's -----------------------------------------------------------------


def test_void_statistics_are_up_to_date():
    uv = load_update_void()
    catalog = uv.load_catalog()
    problems = uv.stale(catalog, uv.compute(uv.open_project_store(), catalog))
    assert not problems, "data/catalog.ttl is stale, run scripts/update_void.py:\n" + "\n".join(
        problems
    )


def export_lines(*args: str) -> int:
    run = coopkg("export", "--format", "nt", *args, home=ROOT)
    assert run.code == 0, run.err
    return len([line for line in run.out.splitlines() if line.strip()])


def test_void_triples_equals_what_coopkg_export_writes(catalog):
    """The dataset counts the asserted triples; its -rdfs sibling what `coopkg export` writes
    by default (asserted + RDFS entailments), and says so."""
    assert int(catalog.value(DATASET, VOID.triples)) == export_lines("--entailment", "none"), (
        "void:triples differs from `coopkg export --format nt --entailment none`: "
        "run scripts/update_void.py"
    )
    entailed = KG["dataset-ha-noi-lao-cai-2017-rdfs"]
    assert (entailed, PROV.wasDerivedFrom, DATASET) in catalog
    assert int(catalog.value(entailed, VOID.triples)) == export_lines(), (
        "the -rdfs dataset's void:triples differs from `coopkg export --format nt`: "
        "run scripts/update_void.py"
    )
    assert int(catalog.value(entailed, VOID.triples)) > int(catalog.value(DATASET, VOID.triples))
    comment = {str(c) for c in catalog.objects(DATASET, RDFS.comment) if c.language == "en"}
    assert any("asserted" in c and "entailments" in c for c in comment)


def test_linkset_counts_equal_the_links_in_links_ttl(catalog):
    links = Graph().parse(ROOT / "data" / "links.ttl", format="turtle")
    for ls in catalog.objects(DATASET, VOID.subset):
        predicate = catalog.value(ls, VOID.linkPredicate)
        space = str(catalog.value(catalog.value(ls, VOID.objectsTarget), VOID.uriSpace))
        n = sum(1 for _, _, o in links.triples((None, predicate, None)) if str(o).startswith(space))
        assert int(catalog.value(ls, VOID.triples)) == n, f"{ls}: run scripts/update_void.py"


def test_stale_counts_are_reported_with_the_fix(catalog):
    uv = load_update_void()
    stats = uv.compute(uv.open_project_store(), catalog)
    stats.triples[str(DATASET)] += 1
    problems = uv.stale(catalog, stats)
    assert len(problems) == 1 and "void:triples" in problems[0]
