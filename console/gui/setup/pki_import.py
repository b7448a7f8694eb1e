"""Taking a terminal's certificate into the profile from a PKI folder (as ``pki init`` makes
one): checked as a working pair first, then copied owner-only, used from the next logon."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from console.transport.pki import PkiError, client_context, terminal_files


def check_pki(folder: Path, ori: str, terminal: str) -> None:
    """PkiError unless ``folder`` holds a CA and a loadable certificate and key for the terminal."""
    files = terminal_files(folder, ori, terminal)
    missing = [p.name for p in (files.ca, files.cert, files.key) if not p.exists()]
    if missing:
        raise PkiError(
            f"{folder} has no {', '.join(missing)} for ORI {ori} terminal {terminal}: "
            f"run 'pki init {folder} --ori {ori} --terminal {terminal}'"
        )
    client_context(files)  # a certificate that does not fit its key fails here, not at logon


def import_pki(source: Path, target: Path, ori: str, terminal: str) -> None:
    """Copy the terminal's CA, certificate and key from ``source`` into ``target``."""
    check_pki(source, ori, terminal)
    if source.resolve() == target.resolve():
        return
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    have, want = terminal_files(source, ori, terminal), terminal_files(target, ori, terminal)
    for src, dst in ((have.ca, want.ca), (have.cert, want.cert), (have.key, want.key)):
        temp = dst.with_name(f".{dst.name}.tmp")
        shutil.copyfile(src, temp)
        temp.chmod(0o600)
        os.replace(temp, dst)
