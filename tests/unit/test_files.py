"""The one owner-only atomic write: the file it leaves is 0600 whatever was there before."""

from __future__ import annotations

import stat
from pathlib import Path

from console.domain.files import write_private


def test_the_written_file_is_owner_only_even_over_readable_leftovers(tmp_path: Path) -> None:
    target = tmp_path / "settings.toml"
    target.write_bytes(b"old")
    target.chmod(0o644)
    leftover = tmp_path / ".settings.toml.tmp"  # what a crash mid-write leaves behind
    leftover.write_bytes(b"half")
    leftover.chmod(0o644)
    write_private(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not leftover.exists()
