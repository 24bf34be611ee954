"""Atomic output: write to a temporary file beside the target, then rename over it.

A reader never sees a half-written file, and a failed write (disk full, read-only place)
leaves the previous file as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from coopkg.errors import CoopkgError


def write_bytes(path: Path, data: bytes) -> None:
    """Replace path's content with data atomically, or raise a one-line CoopkgError."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise CoopkgError(f"{path}: directory {folder} does not exist")
    if path.is_dir():
        raise CoopkgError(f"{path}: is a directory")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise CoopkgError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
