"""The one RDF format table, built on pyoxigraph's: every name and extension the CLI documents
resolves, and a name comes back from its format."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from coopkg import formats


@pytest.mark.parametrize("name", formats.NAMES)
def test_every_format_name_resolves_and_comes_back(name):
    fmt = formats.by_name(name)
    assert isinstance(fmt, ox.RdfFormat)
    assert formats.name_of(fmt) == name


@pytest.mark.parametrize(
    "suffix, want",
    [
        (".ttl", ox.RdfFormat.TURTLE),
        (".TTL", ox.RdfFormat.TURTLE),
        (".nq", ox.RdfFormat.N_QUADS),
        (".json", ox.RdfFormat.JSON_LD),
        (".rdf", ox.RdfFormat.RDF_XML),
        (".owl", ox.RdfFormat.RDF_XML),
        (".txt", None),
        (".n3", None),  # pyoxigraph reads N3, but the CLI does not offer it
        ("", None),
    ],
)
def test_extensions(suffix, want):
    assert formats.by_extension(suffix) == want


def test_media_types_carry_the_charset():
    assert formats.media_type("ttl") == "text/turtle; charset=utf-8"
    assert formats.media_type("jsonld") == "application/ld+json; charset=utf-8"
    assert formats.by_name("csv") is None
