"""`coopkg serve --store DIR` serves a store built by `coopkg build` (how a large corpus is
served without parsing it at start): its pages and its SPARQL endpoint answer."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
from cli_helpers import ROOT, coopkg
from servers import coopkg_serve

DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))

pytestmark = [pytest.mark.server, pytest.mark.slow]


def test_a_built_store_is_served(tmp_path):
    store = tmp_path / "store"
    built = coopkg("build", "--store", str(store), home=ROOT)
    assert built.code == 0, built.err
    with coopkg_serve("--store", str(store), home=ROOT) as served:
        base, lines = served.url, served.lines
        assert f"store:           {store}" in lines
        with DIRECT.open(f"{base}/doc/hoang-trung-hai.html", timeout=20) as response:
            assert "<h1>Hoàng Trung Hải</h1>" in response.read().decode("utf-8")
        ask = "ASK { <https://w3id.org/coopkg/id/ha-noi> ?p ?o }"
        url = f"{base}/query?" + urllib.parse.urlencode({"query": ask})
        with DIRECT.open(url, timeout=20) as response:
            assert json.loads(response.read())["boolean"] is True
