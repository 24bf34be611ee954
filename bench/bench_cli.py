#!/usr/bin/env python3
"""Cold start of `coopkg query` against `python -c "import pyoxigraph"`.

Usage: bench_cli.py [--runs N] [--query NAME] [--no-write]

Runs the two commands alternately, N times each (after one untimed warm-up of each, so both
read from the page cache), each a fresh process with the same interpreter, and takes the
medians. Target: coopkg / import pyoxigraph <= 2.0. Writes its section of bench/results.md
(between the bench_cli markers, the rest of the file is kept) with the date and the machine.
Exit codes: 0 measured (whether or not the target is met), 2 the query failed.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.md"
START = "<!-- bench_cli:start -->"
END = "<!-- bench_cli:end -->"
TARGET = 2.0


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"bench_cli: {' '.join(cmd)} failed: {proc.stderr.decode().strip()}")
    return elapsed


def write_section(text: str, start: str = START, end: str = END) -> None:
    """Replace the block between the markers in bench/results.md (or append it), atomically;
    each benchmark script owns its own block (bench/run.py calls this with its markers)."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    block = f"{start}\n{text.rstrip()}\n{end}"
    if start in old and end in old:
        head, _, rest = old.partition(start)
        _, _, tail = rest.partition(end)
        new = head + block + tail
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    tmp = RESULTS.with_suffix(".md.tmp")
    tmp.write_text(new, encoding="utf-8")
    tmp.replace(RESULTS)


def publish(text: str, write: bool, start: str = START, end: str = END) -> None:
    """Print a benchmark's block and, unless --no-write, put it in bench/results.md."""
    print(text)
    if write:
        write_section(text, start, end)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="timed runs of each (>= 15)")
    parser.add_argument("--query", default="who-committed-what", help="named query to run")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    runs = max(args.runs, 15)
    python = sys.executable
    coopkg_cmd = [str(Path(python).parent / "coopkg"), "query", args.query, "--format", "csv"]
    baseline_cmd = [python, "-c", "import pyoxigraph"]
    bare_cmd = [python, "-c", "pass"]
    for cmd in (coopkg_cmd, baseline_cmd, bare_cmd):  # warm the page cache, check they work
        timed(cmd)
    times: dict[str, list[float]] = {"coopkg": [], "pyoxigraph": [], "bare": []}
    for _ in range(runs):
        times["coopkg"].append(timed(coopkg_cmd))
        times["pyoxigraph"].append(timed(baseline_cmd))
        times["bare"].append(timed(bare_cmd))
    med = {k: statistics.median(v) for k, v in times.items()}
    ratio = med["coopkg"] / med["pyoxigraph"]
    import pyoxigraph

    verdict = "met" if ratio <= TARGET else "NOT met"
    lines = [
        "## CLI cold start (`bench/bench_cli.py`)",
        "",
        f"Date: {datetime.date.today().isoformat()}; machine: {platform.machine()}, "
        f"{os.cpu_count()} cores, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; pyoxigraph {pyoxigraph.__version__}; "
        f"median of {runs} alternating runs each, after one warm-up.",
        "",
        "| command | median (ms) |",
        "|---|---:|",
        f"| `coopkg query {args.query} --format csv` | {med['coopkg'] * 1000:.1f} |",
        f'| `python -c "import pyoxigraph"` | {med["pyoxigraph"] * 1000:.1f} |',
        f'| `python -c "pass"` (bare interpreter, for scale) | {med["bare"] * 1000:.1f} |',
        "",
        f"Ratio coopkg / import pyoxigraph: **{ratio:.2f}** (target <= {TARGET}: {verdict}).",
    ]
    publish("\n".join(lines) + "\n", not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
