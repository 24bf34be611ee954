#!/usr/bin/env python3
"""Page timings of `coopkg serve` and the static site's build time.

Usage: bench_web.py [--runs N] [--million] [--workdir DIR] [--no-write]

1. A real `coopkg serve` on the project graph; every entity page (Vietnamese and English) is
   fetched over HTTP and the server's own render time (the `Server-Timing: render;dur=` header,
   measured around the page's rendering in the server) is collected: p50, p95 and max.
2. `coopkg site --out TMP`, `--runs` times in fresh processes: the build time it reports
   (median), and the wall time of the whole command.
3. With --million: the 1M-triple corpus (bench/generate.py, the seed bench/run.py uses) is
   built into a persistent store (`coopkg build --store`) and served (`coopkg serve --store`);
   the pages of 300 entities drawn with a fixed seed (plus the provinces with the most
   references) are timed the same way.
Writes its block of bench/results.md (between the bench_web markers) unless --no-write.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from coopkg.namespaces import KG

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cli import publish  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
START, END = "<!-- bench_web:start -->", "<!-- bench_web:end -->"
SEED = 20170517
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    def __init__(self, *args: str) -> None:
        self.port = free_port()
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.process = subprocess.Popen(
            [PYTHON, "-m", "coopkg", "serve", "--port", str(self.port), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        ready = threading.Event()

        def read() -> None:
            for line in self.process.stdout:
                if line.startswith("Ctrl-C stops"):
                    ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(300):
            self.process.kill()
            sys.exit(f"bench_web: coopkg serve did not start: {self.process.stderr.read()}")
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def render_ms(url: str) -> tuple[float, float, float]:
    """(server render time and its CPU time from Server-Timing, client wall time), in ms."""
    started = time.perf_counter()
    with DIRECT.open(urllib.request.Request(url, headers={"Accept": "text/html"}), timeout=60) as r:
        r.read()
        timing = r.headers.get("Server-Timing", "")
    wall = (time.perf_counter() - started) * 1000
    match = re.search(r"render;dur=([0-9.]+), cpu;dur=([0-9.]+)", timing)
    if not match:
        sys.exit(f"bench_web: no Server-Timing on {url}")
    return float(match.group(1)), float(match.group(2)), wall


def percentiles(values: list[float]) -> dict:
    ordered = sorted(values)

    def pick(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]

    return {"n": len(ordered), "p50": pick(0.5), "p95": pick(0.95), "max": ordered[-1]}


def time_pages(base: str, slugs: list[str]) -> tuple[dict, dict, dict]:
    """Every page once per language (the first visit of each: its labels are not cached yet,
    except those an earlier page already read)."""
    for slug in slugs[:20]:  # warm-up: the first requests also load the templates
        render_ms(f"{base}/doc/{slug}.html")
    server, cpu, wall = [], [], []
    worst = (0.0, "")
    for slug in slugs:
        for suffix in (".html", ".en.html"):
            s, c, w = render_ms(f"{base}/doc/{slug}{suffix}")
            server.append(s)
            cpu.append(c)
            wall.append(w)
            worst = max(worst, (s, f"doc/{slug}{suffix} ({s:.1f} ms, CPU {c:.1f} ms)"))
    slowest = percentiles(server)
    slowest["worst"] = worst[1]
    return slowest, percentiles(cpu), percentiles(wall)


def project_slugs() -> list[str]:
    from coopkg.graph import open_store
    from coopkg.web.describe import Graph, slug_of

    return [slug_of(i) for i in Graph(open_store()).entities()]


def site_build(runs: int) -> dict:
    reported, cpu, wall = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            started = time.perf_counter()
            done = subprocess.run(
                [PYTHON, "-m", "coopkg", "site", "--out", f"{tmp}/site{i}"],
                capture_output=True,
                text=True,
                cwd=ROOT,
                env=dict(os.environ, PYTHONPATH=str(ROOT)),
                check=True,
            )
            wall.append(time.perf_counter() - started)
            found = re.search(r"in ([0-9.]+) s \(CPU ([0-9.]+) s\)", done.stdout)
            reported.append(float(found.group(1)))
            cpu.append(float(found.group(2)))
            first = done.stdout.splitlines()[0]
    return {
        "build": statistics.median(reported),
        "cpu": statistics.median(cpu),
        "wall": statistics.median(wall),
        "line": first,
    }


def million(workdir: Path) -> tuple[dict, dict, dict, int]:
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / "corpus-1000000.nt"
    if not corpus.is_file():
        subprocess.run(
            [PYTHON, str(ROOT / "bench" / "generate.py"), "--triples", "1000000"]
            + ["--seed", str(SEED), "--out", str(corpus)],
            check=True,
        )
    store = workdir / "store-1000000"
    files = [str(ROOT / "ontology" / "coopkg.ttl"), str(ROOT / "ontology" / "concepts.ttl")]
    if not (store / "manifest.json").is_file():
        subprocess.run(
            [PYTHON, "-m", "coopkg", "build", *files, str(corpus), "--store", str(store)],
            check=True,
            cwd=ROOT,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
        )
    import pyoxigraph as ox

    st = ox.Store.read_only(str(store / "oxigraph"))
    subjects = [
        row["s"].value
        for row in st.query(f'SELECT DISTINCT ?s {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{KG}")) }}')
    ]
    triples = len(st)
    del st
    rng = random.Random(SEED)
    chosen = rng.sample(subjects, 300)
    chosen += [KG + "ha-noi", KG + "lao-cai", KG + "communist-party-of-viet-nam"]
    slugs = [iri[len(KG) :] for iri in chosen]
    served = Served("--store", str(store))
    try:
        return (*time_pages(served.url, slugs), triples)
    finally:
        served.stop()


def row(label: str, p: dict, target: float | None) -> str:
    verdict = ""
    if target is not None:
        verdict = f"p95 <= {target:g} ms: {'met' if p['p95'] <= target else 'NOT met'}"
    return f"| {label} | {p['n']} | {p['p50']:.1f} | {p['p95']:.1f} | {p['max']:.1f} | {verdict} |"


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="site builds (median)")
    parser.add_argument("--million", action="store_true", help="also the 1M-triple corpus")
    parser.add_argument("--workdir", type=Path, default=ROOT / ".cache" / "bench-web")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    started_load = load()
    slugs = project_slugs()
    with tempfile.TemporaryDirectory() as cache:
        served = Served("--cache-dir", cache)
        try:
            server, cpu, wall = time_pages(served.url, slugs)
        finally:
            served.stop()
    site = site_build(args.runs)
    lines = [
        "## Pages (`bench/bench_web.py`)",
        "",
        f"Date: {time.strftime('%Y-%m-%d')}; {os.cpu_count()} cores; load average at start / "
        f"end: {started_load} / {load()} (other sessions share the cores). Server time is the "
        "`Server-Timing` render duration the server measures around each page (wall clock, "
        "so it includes waiting for a core), its CPU time is the serving thread's; client time "
        "adds HTTP on loopback.",
        "",
        "| measurement | n | p50 (ms) | p95 (ms) | max (ms) | target |",
        "|---|---:|---:|---:|---:|---|",
        row("entity page, project graph: server time", server, 50),
        row("entity page, project graph: server CPU time", cpu, None),
        row("entity page, project graph: client time", wall, None),
    ]
    if args.million:
        m_server, m_cpu, m_wall, triples = million(args.workdir)
        lines += [
            row(f"entity page, 1M corpus ({triples:,} triples, store): server time", m_server, 100),
            row("entity page, 1M corpus: server CPU time", m_cpu, None),
            row("entity page, 1M corpus: client time", m_wall, None),
        ]
    met = "met" if site["build"] <= 5 else "NOT met"
    lines += ["", f"Slowest page, project graph: {server['worst']}."]
    if args.million:
        lines += [f"Slowest page, 1M corpus: {m_server['worst']}."]
    lines += [
        "",
        f"`coopkg site` (median of {args.runs}): build {site['build']:.2f} s wall "
        f"(target <= 5 s: {met}), {site['cpu']:.2f} s CPU, {site['wall']:.2f} s for the whole "
        f"command; last run: {site['line']}",
    ]
    publish("\n".join(lines), not args.no_write, START, END)
    return 0


if __name__ == "__main__":
    sys.exit(main())
