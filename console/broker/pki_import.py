"""Taking a terminal's certificate into the profile from a PKI folder (as ``pki init`` makes
one): checked as a working pair first, then copied owner-only, used from the next logon."""

from __future__ import annotations

from pathlib import Path

from console.domain.files import write_private
from console.transport.pki import check_bundle, terminal_files


def import_pki(source: Path, target: Path, ori: str, terminal: str) -> None:
    """Copy the terminal's CA, certificate and key from ``source`` into ``target``."""
    have = check_bundle(source, ori, terminal)
    if source.resolve() == target.resolve():
        return
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    want = terminal_files(target, ori, terminal)
    for src, dst in ((have.ca, want.ca), (have.cert, want.cert), (have.key, want.key)):
        write_private(dst, src.read_bytes())
