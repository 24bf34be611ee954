#!/usr/bin/env python3
"""Create .venv (if missing) and install coopkg into it, editable, with the [test] extra.

Usage: bootstrap_venv.py [--extras test,docs] [--venv DIR]

Run with the Python you want the project to use (3.11 or newer). An existing .venv is kept
and only re-installed into; it is never deleted. Exit codes: 0 done, 2 error.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv", help="virtualenv directory")
    parser.add_argument("--extras", default="test", help="comma-separated extras (default: test)")
    args = parser.parse_args(argv)
    # Run by whatever `python3` the machine has, which may be older than the project's floor.
    if sys.version_info < (3, 11):  # noqa: UP036
        found = sys.version.split()[0]
        print(f"bootstrap: Python >= 3.11 needed, this is {found}", file=sys.stderr)
        return 2
    python = args.venv / "bin" / "python"
    if not python.exists():
        print(f"bootstrap: creating {args.venv}", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(args.venv)
    target = f"{ROOT}[{args.extras}]" if args.extras else str(ROOT)
    cmd = [str(python), "-m", "pip", "install", "--quiet", "--editable", target]
    print("bootstrap: " + " ".join(cmd), file=sys.stderr)
    return 0 if subprocess.run(cmd).returncode == 0 else 2


if __name__ == "__main__":
    sys.exit(main())
