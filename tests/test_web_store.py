"""`coopkg serve --store DIR` serves a store built by `coopkg build` (how a large corpus is
served without parsing it at start): its pages and its SPARQL endpoint answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from servers import coopkg_serve

ROOT = Path(__file__).resolve().parent.parent
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))

pytestmark = [pytest.mark.server, pytest.mark.slow]


def test_a_built_store_is_served(tmp_path):
    env = dict(os.environ, COOPKG_HOME=str(ROOT), PYTHONPATH=str(ROOT))
    store = tmp_path / "store"
    subprocess.run(
        [sys.executable, "-m", "coopkg", "build", "--store", str(store)],
        check=True,
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    with coopkg_serve("--store", str(store), home=ROOT) as (base, _, lines):
        assert f"store:           {store}" in lines
        with DIRECT.open(f"{base}/doc/hoang-trung-hai.html", timeout=20) as response:
            assert "<h1>Hoàng Trung Hải</h1>" in response.read().decode("utf-8")
        ask = "ASK { <https://w3id.org/coopkg/id/ha-noi> ?p ?o }"
        url = f"{base}/query?" + urllib.parse.urlencode({"query": ask})
        with DIRECT.open(url, timeout=20) as response:
            assert json.loads(response.read())["boolean"] is True
