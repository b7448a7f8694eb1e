"""The one way every layer replaces a file: atomically, from a temporary file, owner-only."""

from __future__ import annotations

import os
from pathlib import Path


def write_private(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Atomically replace ``path`` with ``data`` (readable by its owner only unless ``mode``
    says otherwise): a crash leaves the old file or the new one, never half of either."""
    temp = path.with_name(f".{path.name}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    # a temporary file left by a crash keeps its old mode through O_TRUNC: set it every time
    os.fchmod(fd, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
