#!/usr/bin/env python3
"""Cold drafting time: `coopkg draft ARTICLE --out FILE`, each run a fresh process.

Usage: bench_draft.py [--runs N] [--no-write]

For the seed article and each test text of tests/fixtures/draft/, runs the real command N times
(each a new interpreter: imports, the gazetteer package, the project graph and the rules are all
loaded again; the first run is timed too, so the slowest figure includes a cold page cache for
this process's files where the machine had one). Reports the median and the slowest run.
Target: <= 2.0 s per article. Writes its block of bench/results.md (between the bench_draft
markers). Exit codes: 0 measured (whether or not the target is met), 2 a run failed.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from bench_cli import publish  # noqa: E402  (one block writer for bench/results.md)

START = "<!-- bench_draft:start -->"
END = "<!-- bench_draft:end -->"
TARGET = 2.0


def articles() -> list[Path]:
    seed = ROOT / "data/source/2017-05-17-ha-noi-lao-cai-working-session.vi.txt"
    return [seed] + sorted((ROOT / "tests/fixtures/draft").glob("*.vi.txt"))


def timed(article: Path, out: Path) -> float:
    cmd = [sys.executable, "-m", "coopkg", "draft", str(article), "--out", str(out)]
    env = dict(os.environ, COOPKG_HOME=str(ROOT))
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"bench_draft: {' '.join(cmd)} failed: {proc.stderr.decode().strip()}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per article (>= 3)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for article in articles():
            times = [timed(article, Path(tmp) / "draft.ttl") for _ in range(max(3, args.runs))]
            rows.append((article.name, statistics.median(times), max(times)))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "## `coopkg draft`: one article, cold (a fresh process per run)",
        "",
        f"{datetime.date.today().isoformat()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores, load average {load:.1f}; "
        f"{max(3, args.runs)} runs per article; target <= {TARGET:.1f} s",
        "",
        "| article | median (s) | slowest (s) | target met |",
        "|---|---:|---:|---|",
    ]
    for name, median, slowest in rows:
        lines.append(
            f"| {name} | {median:.2f} | {slowest:.2f} | {'yes' if slowest <= TARGET else 'no'} |"
        )
    publish("\n".join(lines) + "\n", not args.no_write, START, END)
    return 0


if __name__ == "__main__":
    sys.exit(main())
