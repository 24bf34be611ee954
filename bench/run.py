#!/usr/bin/env python3
"""The scale benchmark: load, query and validation at 10k / 100k / 1M triples.

Usage: run.py [--quick] [--runs N] [--workdir DIR] [--no-write] [--skip-cli]

For each size a synthetic corpus is generated (bench/generate.py, fixed seed) and the project
ontology is loaded beside it. Every figure is the median over N fresh processes; each process
is started through a small wrapper that reports the child's wall time and its peak memory
(getrusage(RUSAGE_CHILDREN).ru_maxrss of that one child). Measured:

  open        in-memory parse (coopkg.graph.open_store) vs a prebuilt persistent store
              (`coopkg build`, opened with Store.read_only), and rdflib's default store
  point       one province's commitments with labels (bench/queries/point-*.rq), the first
              query in a fresh process ("cold"; the OS page cache is warm)
  aggregate   commitments per field and debtor (bench/queries/aggregate-*.rq)
  validate    `coopkg validate` with the fast engine (files, and --store) and with pyshacl

plus the CLI cold start (bench/bench_cli.py, which writes its own section). --quick measures
10k and 100k only (under two minutes). Results: bench/results.md (the "## Scale" section,
between markers; other sections are kept) and bench/results.svg (log-log, time vs triples).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import bench_cli  # beside this script: shares the results.md block writer

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PLOT = BENCH / "results.svg"
START, END = "<!-- bench_scale:start -->", "<!-- bench_scale:end -->"
ONTOLOGY = [ROOT / "ontology/coopkg.ttl", ROOT / "ontology/concepts.ttl"]
POINT = BENCH / "queries/point-province-commitments.rq"
AGGREGATE = BENCH / "queries/aggregate-commitments-by-field-debtor.rq"
PROVINCE = "https://w3id.org/coopkg/id/ha-noi"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
PYTHON = sys.executable
LOAD_AT_START = os.getloadavg()[0]
COOPKG = [PYTHON, "-m", "coopkg"]


# ---------------------------------------------------------------- child processes
def worker(kind: str, target: str) -> dict:
    """Runs inside a fresh process: open the graph one way, run both queries once each."""
    t0 = time.perf_counter()
    if kind == "rdflib":
        import rdflib

        graph = rdflib.Graph()
        for f in target.split(os.pathsep):
            graph.parse(f, format="nt" if f.endswith(".nt") else "turtle")
        opened = time.perf_counter()

        def run(path: Path, bind: dict) -> int:
            binds = {k: rdflib.URIRef(v) for k, v in bind.items()}
            return len(list(graph.query(path.read_text(encoding="utf-8"), initBindings=binds)))
    else:
        import pyoxigraph as ox

        sys.path.insert(0, str(ROOT))
        if kind == "oxigraph-memory":
            from coopkg import graph as coopkg_graph

            store = coopkg_graph.open_store([Path(f) for f in target.split(os.pathsep)])
        else:
            from coopkg import persist

            store = persist.open_read_only(Path(target))
        opened = time.perf_counter()

        def run(path: Path, bind: dict) -> int:
            subs = {ox.Variable(k): ox.NamedNode(v) for k, v in bind.items()}
            return len(list(store.query(path.read_text(encoding="utf-8"), substitutions=subs)))

    point_rows = run(POINT, {"province": PROVINCE})
    pointed = time.perf_counter()
    aggregate_rows = run(AGGREGATE, {})
    done = time.perf_counter()
    return {
        "open": opened - t0,
        "point": pointed - opened,
        "aggregate": done - pointed,
        "point_rows": point_rows,
        "aggregate_rows": aggregate_rows,
    }


def measure(cmd: list[str]) -> dict:
    """Run cmd through the wrapper (a fresh process), return wall time, peak RSS, stdout."""
    wrapped = [PYTHON, str(Path(__file__).resolve()), "--measure", "--", *cmd]
    proc = subprocess.run(wrapped, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"bench: wrapper failed for {' '.join(cmd)}: {proc.stderr.strip()}")
    return json.loads(proc.stdout.splitlines()[-1])


def wrapper(cmd: list[str]) -> int:
    """In the wrapper process: time one child and read its peak memory."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    out = {
        "seconds": seconds,
        "peak_mb": peak_kb / 1024,
        "code": proc.returncode,
        "stdout_tail": proc.stdout[-2000:],
        "stderr_tail": proc.stderr[-500:],
    }
    print(json.dumps(out))
    return 0


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


# ---------------------------------------------------------------- one size
def bench_size(
    name: str, target: int, workdir: Path, runs: int, validate_runs: int, pyshacl_runs: int
) -> dict:
    corpus = workdir / f"corpus-{name}.nt"
    if not corpus.exists():
        subprocess.run(
            [PYTHON, str(BENCH / "generate.py"), "--triples", str(target), "--out", str(corpus)],
            check=True,
            capture_output=True,
        )
    triples = sum(1 for _ in corpus.open("rb"))
    files = [*ONTOLOGY, corpus]
    joined = os.pathsep.join(str(f) for f in files)
    store = workdir / f"store-{name}"
    out: dict = {"name": name, "triples": triples, "files_mb": corpus.stat().st_size / 2**20}

    def log(what: str) -> None:
        print(f"bench: {name}: {what}", file=sys.stderr, flush=True)

    log("coopkg build")
    build = measure([*COOPKG, "build", *map(str, files), "--store", str(store)])
    out["build"] = build

    def repeat(kind: str, arg: str, n: int) -> dict:
        results = []
        for _ in range(n):
            m = measure([PYTHON, str(Path(__file__).resolve()), "--worker", kind, arg])
            if m["code"] != 0:
                raise SystemExit(f"bench: {kind} failed: {m['stderr_tail']}")
            inner = json.loads(m["stdout_tail"].splitlines()[-1])
            results.append({**inner, "wall": m["seconds"], "peak_mb": m["peak_mb"]})
        keys = ("open", "point", "aggregate", "wall", "peak_mb")
        summary = {k: median_of(results, k) for k in keys}
        summary["point_rows"] = results[0]["point_rows"]
        summary["aggregate_rows"] = results[0]["aggregate_rows"]
        return summary

    log("oxigraph in memory")
    out["memory"] = repeat("oxigraph-memory", joined, runs)
    log("oxigraph persistent store")
    out["store"] = repeat("oxigraph-store", str(store), runs)
    if target <= 100_000:
        log("rdflib default store")
        out["rdflib"] = repeat("rdflib", joined, runs)

    def validate(args: list[str], n: int) -> dict:
        results = [measure([*COOPKG, "validate", *args]) for _ in range(n)]
        codes = {r["code"] for r in results}
        if not codes <= {0, 1}:
            raise SystemExit(f"bench: validate {args} failed: {results[0]['stderr_tail']}")
        return {
            "seconds": median_of(results, "seconds"),
            "peak_mb": median_of(results, "peak_mb"),
            "conforms": codes == {0} if len(codes) == 1 else None,  # exit 0 = conforms
            "summary": results[0]["stdout_tail"].strip().splitlines()[-1],
        }

    log("coopkg validate (fast engine)")
    out["validate_fast"] = validate([*map(str, files), "--engine", "fast"], validate_runs)
    log("coopkg validate --store (fast engine)")
    out["validate_store"] = validate(["--store", str(store), "--engine", "fast"], validate_runs)
    if pyshacl_runs:
        log("coopkg validate (pyshacl)")
        out["validate_pyshacl"] = validate([*map(str, files), "--engine", "pyshacl"], pyshacl_runs)
    return out


# ---------------------------------------------------------------- report
def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{mem_kb / 2**20:.1f} GiB RAM"
    except (OSError, StopIteration):
        memory = "unknown RAM"
    return f"{os.cpu_count()} cores ({cpu}), {memory}, {platform.system()} {platform.release()}"


def versions() -> str:
    from importlib.metadata import version

    names = ("pyoxigraph", "rdflib", "pyshacl")
    found = ", ".join(f"{n} {version(n)}" for n in names)
    return f"Python {platform.python_version()}, {found}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}" if seconds >= 0.1 else f"{seconds * 1000:.1f}"


def table(sizes: list[dict]) -> list[str]:
    head = "| measurement | " + " | ".join(f"{s['name']} ({s['triples']:,})" for s in sizes) + " |"
    lines = [head, "|---|" + "---:|" * len(sizes)]

    def row(label: str, get) -> None:
        cells = []
        for s in sizes:
            try:
                cells.append(get(s))
            except KeyError:
                cells.append("—")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("`coopkg build` (bulk load to disk), s", lambda s: f"{s['build']['seconds']:.2f}")
    row("open: in-memory parse, ms", lambda s: ms(s["memory"]["open"]))
    row("open: persistent store (read-only), ms", lambda s: ms(s["store"]["open"]))
    row("open: rdflib default store, ms", lambda s: ms(s["rdflib"]["open"]))
    row("point query, cold, persistent store, ms", lambda s: ms(s["store"]["point"]))
    row("point query, in-memory store, ms", lambda s: ms(s["memory"]["point"]))
    row("point query, rdflib, ms", lambda s: ms(s["rdflib"]["point"]))
    row("aggregate query, persistent store, ms", lambda s: ms(s["store"]["aggregate"]))
    row("aggregate query, in-memory store, ms", lambda s: ms(s["memory"]["aggregate"]))
    row("aggregate query, rdflib, ms", lambda s: ms(s["rdflib"]["aggregate"]))
    row("process: open + both queries, store, ms", lambda s: ms(s["store"]["wall"]))
    row("process: open + both queries, in-memory, ms", lambda s: ms(s["memory"]["wall"]))
    row("process: open + both queries, rdflib, ms", lambda s: ms(s["rdflib"]["wall"]))
    row("peak memory: store process, MB", lambda s: f"{s['store']['peak_mb']:.0f}")
    row("peak memory: in-memory process, MB", lambda s: f"{s['memory']['peak_mb']:.0f}")
    row("peak memory: rdflib process, MB", lambda s: f"{s['rdflib']['peak_mb']:.0f}")
    row("`coopkg validate` fast engine, files, s", lambda s: f"{s['validate_fast']['seconds']:.2f}")
    row(
        "`coopkg validate` fast engine, --store, s",
        lambda s: f"{s['validate_store']['seconds']:.2f}",
    )
    row(
        "`coopkg validate --engine pyshacl`, s", lambda s: f"{s['validate_pyshacl']['seconds']:.2f}"
    )
    row("validate peak memory: fast, files, MB", lambda s: f"{s['validate_fast']['peak_mb']:.0f}")
    row(
        "validate peak memory: fast, --store, MB", lambda s: f"{s['validate_store']['peak_mb']:.0f}"
    )
    row("validate peak memory: pyshacl, MB", lambda s: f"{s['validate_pyshacl']['peak_mb']:.0f}")
    row(
        "validate verdict fast / store / pyshacl",
        lambda s: " / ".join(
            str(s[k]["conforms"]) if k in s else "not run"
            for k in ("validate_fast", "validate_store", "validate_pyshacl")
        ),
    )
    row(
        "rows: point / aggregate (oxigraph = rdflib)",
        lambda s: (
            f"{s['store']['point_rows']} / {s['store']['aggregate_rows']}"
            + ("" if "rdflib" not in s else " " + ("✓" if same_rows(s) else "✗ differ"))
        ),
    )
    return lines


def same_rows(s: dict) -> bool:
    keys = ("point_rows", "aggregate_rows")
    return all(s["rdflib"][k] == s["store"][k] == s["memory"][k] for k in keys)


def targets(sizes: list[dict]) -> list[str]:
    by = {s["name"]: s for s in sizes}
    lines = ["| target | measured | verdict |", "|---|---|---|"]

    def add(label: str, value: str, ok: bool | None) -> None:
        verdict = "not measured" if ok is None else ("met" if ok else "**NOT met**")
        lines.append(f"| {label} | {value} | {verdict} |")

    big = by.get("1M")
    if big:
        add("1M: point query ≤ 100 ms cold, persistent store", f"{ms(big['store']['point'])} ms",
            big["store"]["point"] <= 0.1)  # fmt: skip
        add("1M: aggregate query ≤ 2 s", f"{big['store']['aggregate']:.2f} s (store), "
            f"{big['memory']['aggregate']:.2f} s (in memory)",
            max(big["store"]["aggregate"], big["memory"]["aggregate"]) <= 2.0)  # fmt: skip
        v = big["validate_fast"]
        ran = [s for s in sizes if "validate_pyshacl" in s]
        if "validate_pyshacl" in big:
            shacl = f"pyshacl {big['validate_pyshacl']['seconds']:.1f} s"
        elif ran:  # not run at 1M: say what linear growth from the largest run predicts
            last = ran[-1]
            guess = last["validate_pyshacl"]["seconds"] * big["triples"] / last["triples"]
            shacl = (f"pyshacl not run at 1M (≈ {guess / 60:.0f} min if it grew linearly "
                     f"from {last['name']})")  # fmt: skip
        else:
            shacl = "pyshacl not run"
        add("1M: `coopkg validate` ≤ 30 s", f"{v['seconds']:.1f} s (files), "
            f"{big['validate_store']['seconds']:.1f} s (--store); {shacl}",
            v["seconds"] <= 30)  # fmt: skip
        stored = big["validate_store"]["peak_mb"]
        add("1M: validate peak memory ≤ 2 GB",
            f"{v['peak_mb']:.0f} MB (files), {stored:.0f} MB (--store)",
            v["peak_mb"] <= 2048)  # fmt: skip
    ran = [s for s in sizes if "validate_pyshacl" in s]
    same = [s for s in ran if s["validate_fast"]["conforms"] == s["validate_pyshacl"]["conforms"]]
    add("same verdict as pyshacl (where pyshacl ran)",
        ", ".join(f"{s['name']}: fast {s['validate_fast']['conforms']} / pyshacl "
                  f"{s['validate_pyshacl']['conforms']}" for s in ran) or "—",
        (len(same) == len(ran)) if ran else None)  # fmt: skip
    mid = by.get("100k")
    if mid and "rdflib" in mid:
        for label, key in (
            ("open", "open"),
            ("point query", "point"),
            ("aggregate query", "aggregate"),
            ("open + both queries (whole process)", "wall"),
            ("peak memory", "peak_mb"),
        ):
            theirs = mid["rdflib"][key]
            store, memory = theirs / mid["store"][key], theirs / mid["memory"][key]
            add(f"100k: {label} ≥ 10× better than rdflib",
                f"persistent store {store:.0f}×, in-memory {memory:.0f}×",
                max(store, memory) >= 10)  # fmt: skip
    if ran:
        last = ran[-1]
        ratio = last["validate_pyshacl"]["seconds"] / last["validate_fast"]["seconds"]
        add(f"{last['name']}: `coopkg validate` ≥ 10× faster than pyshacl",
            f"{ratio:.0f}× ({last['validate_fast']['seconds']:.1f} s vs "
            f"{last['validate_pyshacl']['seconds']:.1f} s)", ratio >= 10)  # fmt: skip
    if len(sizes) >= 2:
        a, b = sizes[0], sizes[-1]
        growth = b["validate_fast"]["seconds"] / a["validate_fast"]["seconds"]
        scale = b["triples"] / a["triples"]
        add(f"validate grows linearly ({a['name']}→{b['name']}: {scale:.0f}× triples)",
            f"{growth:.1f}× time", growth <= scale * 1.5)  # fmt: skip
    return lines


def plot(sizes: list[dict]) -> str:
    """A log-log plot of time against triples; returns a note on how it was drawn."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "(matplotlib is not installed: no plot)"
    series = {
        "open: in-memory parse": ("memory", "open"),
        "open: persistent store": ("store", "open"),
        "open: rdflib": ("rdflib", "open"),
        "point query: store (cold)": ("store", "point"),
        "point query: rdflib": ("rdflib", "point"),
        "aggregate: store": ("store", "aggregate"),
        "aggregate: rdflib": ("rdflib", "aggregate"),
        "validate: fast engine": ("validate_fast", "seconds"),
        "validate: pyshacl": ("validate_pyshacl", "seconds"),
    }
    fig, ax = plt.subplots(figsize=(8, 5.5))
    for label, (group, key) in series.items():
        points = [(s["triples"], s[group][key]) for s in sizes if group in s]
        if points:
            xs, ys = zip(*points, strict=True)
            style = "--" if "rdflib" in label or "pyshacl" in label else "-"
            ax.plot(xs, ys, style, marker="o", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("triples (synthetic corpus + ontology)")
    ax.set_ylabel("seconds (median)")
    ax.set_title(f"coopkg at scale ({datetime.date.today().isoformat()})")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.rcParams["svg.hashsalt"] = "coopkg"  # stable ids in the SVG
    fig.savefig(PLOT, format="svg", metadata={"Date": None})
    return f"Plot: `bench/results.svg` (matplotlib {matplotlib.__version__}), log-log."


def report(
    sizes: list[dict], runs: int, validate_runs: int, pyshacl_runs: dict, quick: bool, note: str
) -> str:
    kind = "quick run (10k, 100k)" if quick else "full run"
    lines = [
        "## Scale (`bench/run.py`)",
        "",
        f"Date: {datetime.date.today().isoformat()}; {kind}; machine: {machine()}; {versions()}; "
        f"load average at start / end: {LOAD_AT_START:.1f} / {os.getloadavg()[0]:.1f} "
        "(other sessions share the two cores).",
        f"Each figure is the median of {runs} fresh processes ({validate_runs} for the fast "
        f"validation, {', '.join(f'{v} at {k}' for k, v in pyshacl_runs.items())} for pyshacl, "
        "whose SPARQL constraints run once per focus node: about 90 s of CPU at 100k); "
        "times in a process are measured inside it, peak memory is the child's ru_maxrss. "
        "The corpus is `bench/generate.py` (seed 20170517) plus the two ontology files; the "
        "persistent store is built by `coopkg build`. Queries: `bench/queries/*.rq`; the point "
        "query binds ?province to kg:ha-noi. rdflib is not run at 1M (minutes and gigabytes).",
        "",
        *table(sizes),
        "",
        "### Targets",
        "",
        *targets(sizes),
        "",
        note,
    ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:2] == ["--measure", "--"]:
        return wrapper(argv[2:])
    if argv[:1] == ["--worker"]:
        print(json.dumps(worker(argv[1], argv[2])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k and 100k only (< 2 minutes)")
    parser.add_argument("--runs", type=int, help="processes per figure (default 5, quick 3)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/coopkg-bench"))
    parser.add_argument("--no-write", action="store_true", help="print, do not write results")
    parser.add_argument("--skip-cli", action="store_true", help="skip bench/bench_cli.py")
    parser.add_argument(
        "--pyshacl-max",
        choices=list(SIZES),
        help="largest size pyshacl runs at (10k; quick: none)",
    )
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 5)
    validate_runs = 2 if args.quick else 3
    # pyshacl runs the SPARQL constraints once per focus node: at 10k it already takes tens of
    # seconds on this machine, and it grows at least linearly; so once per size, up to
    # --pyshacl-max triples (default 10k; not at all when quick, to stay under two minutes).
    default = 0 if args.quick else SIZES["10k"]
    limit = SIZES[args.pyshacl_max] if args.pyshacl_max else default
    pyshacl_runs = {name: (1 if n <= limit else 0) for name, n in SIZES.items()}
    args.workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if not args.skip_cli and (BENCH / "bench_cli.py").exists():
        cli = [PYTHON, str(BENCH / "bench_cli.py"), "--runs", "15"]
        subprocess.run(cli + (["--no-write"] if args.no_write else []), check=True)
    names = ["10k", "100k"] if args.quick else list(SIZES)
    sizes = []
    for name in names:
        sizes.append(
            bench_size(name, SIZES[name], args.workdir, runs, validate_runs, pyshacl_runs[name])
        )
    note = plot(sizes) if not args.no_write else "(plot not written: --no-write)"
    (args.workdir / "results.json").write_text(json.dumps(sizes, indent=2), encoding="utf-8")
    text = report(sizes, runs, validate_runs, pyshacl_runs, args.quick, note)
    bench_cli.publish(text, not args.no_write, START, END)
    print(f"bench: done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
