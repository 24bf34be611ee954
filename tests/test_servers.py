"""The oxigraph_server fixture starts a real server that answers SPARQL and stops by its pid."""

from __future__ import annotations

import json
import os
import urllib.request


def test_fixture_server_answers_a_query(oxigraph_server):
    body = oxigraph_server.query("SELECT (1 + 1 AS ?two) {}")
    rows = json.loads(body)["results"]["bindings"]
    assert rows == [
        {
            "two": {
                "type": "literal",
                "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                "value": "2",
            }
        }
    ]


def test_fixture_server_accepts_an_update_and_keeps_it(oxigraph_server):
    request = urllib.request.Request(
        oxigraph_server.update_url,
        data=b"INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }",
        headers={"Content-Type": "application/sparql-update"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status in (200, 204)
    body = oxigraph_server.query("ASK { <urn:x:s> <urn:x:p> <urn:x:o> }")
    assert json.loads(body)["boolean"] is True


def test_factory_servers_are_separate_and_stop_by_pid(oxigraph_server_factory):
    first = oxigraph_server_factory()
    second = oxigraph_server_factory()
    assert first.port != second.port
    assert first.location != second.location
    first.stop()
    assert first.process.poll() is not None
    # The process id no longer names a live child of ours.
    try:
        os.kill(first.pid, 0)
        alive = True
    except ProcessLookupError:
        alive = False
    assert not alive
    assert json.loads(second.query("ASK {}"))["boolean"] is True
