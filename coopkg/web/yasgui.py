"""Oxigraph's query page (YASGUI), served by `coopkg serve` at /yasgui with the endpoint it prints.

The page's script and style sheet ship inside the `oxigraph` server binary (a dependency). They
are copied once per Oxigraph version into the cache: the binary is started on an empty
temporary store on a free loopback port, the files are fetched from it, and it is stopped by its
pid. Oxigraph's own page sets YASGUI's endpoint to `/sparql`; ours sets it to `/query`, the URL
`coopkg serve` prints. When the binary is missing or fails, /yasgui is simply not offered (the
plain query page at /query needs no script).
"""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ASSETS = ("yasgui.min.js", "yasgui.min.css", "logo.svg")
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def oxigraph_binary() -> Path | None:
    """The `oxigraph` server binary of the oxigraph package (beside this Python, else on PATH)."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return beside
    found = shutil.which("oxigraph")
    return Path(found) if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def assets(cache_dir: Path) -> Path | None:
    """The directory holding ASSETS (copied from the oxigraph binary once), or None."""
    binary = oxigraph_binary()
    if binary is None:
        return None
    try:
        version = subprocess.run(
            [str(binary), "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    target = Path(cache_dir) / f"yasgui-{hashlib.sha256(version.encode()).hexdigest()[:12]}"
    if all((target / name).is_file() for name in ASSETS):
        return target
    try:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".yasgui-", dir=cache_dir))
    except OSError:
        return None
    try:
        if not _copy_from_server(binary, work):
            return None
        shutil.rmtree(work / "store", ignore_errors=True)
        try:
            work.rename(target)
        except OSError:
            if not all((target / name).is_file() for name in ASSETS):
                return None
        return target
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def _copy_from_server(binary: Path, work: Path) -> bool:
    port = _free_port()
    log = open(work / "server.log", "wb")  # noqa: SIM115 - closed in finally
    child = subprocess.Popen(
        [str(binary), "serve", "--location", str(work / "store"), "--bind", f"127.0.0.1:{port}"],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        for name in ASSETS:
            while True:
                if child.poll() is not None or time.monotonic() > deadline:
                    return False
                try:
                    url = f"http://127.0.0.1:{port}/{name}"
                    with _DIRECT.open(url, timeout=5) as response:
                        (work / name).write_bytes(response.read())
                    break
                except OSError:
                    time.sleep(0.1)
        return True
    finally:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=10)
        log.close()
        (work / "server.log").unlink(missing_ok=True)


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>SPARQL query page (YASGUI) · coopkg</title>
<link href="/yasgui-assets/yasgui.min.css" rel="stylesheet" type="text/css">
<script src="/yasgui-assets/yasgui.min.js"></script>
<link rel="icon" type="image/svg+xml" href="/yasgui-assets/logo.svg">
</head>
<body>
<p><a href="/">coopkg</a> · endpoint <code id="endpoint">/query</code> (read-only)</p>
<div id="yasgui"></div>
<script>
  const endpoint = new URL("/query", window.location.href).href;
  window.yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: endpoint }]; },
      keys: [],
    },
  });
</script>
</body>
</html>
"""
