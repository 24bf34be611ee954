"""The `coopkg` command: argparse, one module per verb in coopkg/commands/.

Each command module has ``register(subparsers)`` which adds its parser and sets ``func`` (a
function of the parsed arguments returning an exit code). Library modules do the work.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import sys
from pathlib import Path

from coopkg import __version__
from coopkg.errors import CoopkgError

# Verbs in the order --help lists them. Modules that do not exist yet are skipped (others are
# still writing them), but an import error inside an existing module is not hidden.
COMMANDS = [
    "query",
    "queries",
    "validate",
    "check",
    "export",
    "stats",
    "build",
    "load",
    "serve",
    "site",
    "links",
    "diagram",
    "draft",
]

EPILOG = """\
exit codes:
  0  success (validate: the data conforms; check: no violation; links --check: every link holds)
  1  violations found (validate, check, links --check)
  2  usage, input, parse, network or runtime error (one line on stderr)

Run `coopkg COMMAND --help` for a command's options."""


def _terminal_width() -> int:
    """What argparse computes through shutil (a slow import), from os directly."""
    try:
        columns = int(os.environ.get("COLUMNS", "")) or os.get_terminal_size(2).columns
    except (ValueError, OSError):
        columns = 80
    return max(columns - 2, 40)


# Errors that only a write can cause: the answer could not be written (disk full, file too big).
# Files coopkg writes itself (atomic.py) already raise CoopkgError, so these come from stdout.
_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that Python's flush at exit does not fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


class Formatter(argparse.HelpFormatter):
    def __init__(self, prog: str, **kwargs) -> None:
        kwargs.setdefault("width", _terminal_width())
        super().__init__(prog, **kwargs)


class RawFormatter(argparse.RawDescriptionHelpFormatter, Formatter):
    pass


class Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors (exit 2), like every other coopkg error."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise CoopkgError(f"{message} (see `{self.prog} --help`)")


def build_parser(only: str | None = None) -> Parser:
    """The parser with every command, or with only the named one (start-up speed: a command
    module is imported only when it runs; --help and errors build the full parser)."""
    parser = Parser(
        prog="coopkg",
        description="Query, validate and export the Hà Nội–Lào Cai 2017 cooperation graph.",
        epilog=EPILOG,
        formatter_class=RawFormatter,
    )
    parser.add_argument("--version", action="version", version=f"coopkg {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    parser.add_argument(
        "--project",
        metavar="DIR",
        help="the project folder to read (ontology/, data/, shapes/, queries/); default: "
        "$COOPKG_HOME, else the checkout or the copy installed with the package",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in [only] if only else COMMANDS:
        try:
            module = importlib.import_module(f"coopkg.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"coopkg.commands.{name}":
                raise
            continue
        module.register(subparsers)
    return parser


def _global_options_removed(argv: list[str]) -> list[str]:
    """argv without --debug and --project DIR / --project=DIR (the options before a verb)."""
    words: list[str] = []
    skip = False
    for a in argv:
        if skip:
            skip = False
        elif a == "--project":
            skip = True
        elif a != "--debug" and not a.startswith("--project="):
            words.append(a)
    return words


def _use_project(folder: str) -> None:
    """Point every part of coopkg (and the processes it starts) at this project folder."""
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise CoopkgError(f"--project {folder}: no such directory")
    os.environ["COOPKG_HOME"] = str(path.resolve())


def _invoked_command(argv: list[str]) -> str | None:
    """The verb on the command line, when it is plainly there (first word, a known verb)."""
    words = _global_options_removed(argv)
    if words and words[0] in COMMANDS and not any(a in ("-h", "--help") for a in words[:1]):
        return words[0]
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    debug = "--debug" in argv
    try:
        parser = build_parser(_invoked_command(argv))
        args = parser.parse_args(argv)
        if args.project is not None:
            _use_project(args.project)
        if not getattr(args, "func", None):
            parser.print_help(sys.stderr)
            return 2
        code = args.func(args)
        sys.stdout.flush()  # inside the try: a full disk is reported like any other error
        return code
    except CoopkgError as exc:
        if debug:
            raise
        print(f"coopkg: error: {exc.message}", file=sys.stderr)
        for line in exc.context:
            print(line, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("coopkg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `coopkg query … | head` closed the pipe: not an error worth a message.
        sys.stderr.close()
        return 0
    except OSError as exc:
        if exc.errno not in _FULL or debug:
            raise
        _silence_stdout()
        print(f"coopkg: error: standard output: {exc.strerror}", file=sys.stderr)
        return 2
