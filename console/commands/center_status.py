"""``center status``: the centre's positions, who is logged on where, and its chains."""

from __future__ import annotations

import argparse
import os

from console.center.connection import CenterAddress
from console.center.overview import overview
from console.center.position import CenterLink
from console.center.schema import SCHEMA_VERSION
from console.commands import CENTER_PASSWORD_ENV, EXIT_OK, EXIT_UNREACHABLE
from console.domain.errors import FieldError


def status(args: argparse.Namespace) -> int:
    try:
        address = CenterAddress.parse(args.url)
    except ValueError as exc:
        raise FieldError("--url", str(exc)) from None
    password = os.environ.get(CENTER_PASSWORD_ENV)
    by_certificate = "sslcert" in address.url.query  # a centre that lets the role in by it
    if not password and not by_certificate:
        raise FieldError(
            "password",
            f"set {CENTER_PASSWORD_ENV} (the centre's console role's), or give the role's "
            "client certificate in the URL (sslcert, sslkey)",
        )
    link = CenterLink.of(address, password or None)
    engine = link.engine()
    try:
        found = overview(engine, link.address)
    finally:
        engine.dispose()
    print(
        f"centre {found.where}: schema version {found.schema_version}, "
        f"{len(found.positions)} positions"
    )
    if found.schema_version < SCHEMA_VERSION:
        print(
            f"this console knows schema version {SCHEMA_VERSION}: the database's owner "
            "upgrades the centre with 'dispatch-console center upgrade'"
        )
    counts = dict(found.shared)
    policy = "agency settings set" if counts.pop("center_setting", 0) else "agency settings not set"
    words = {"center_cache": "cached answers", "center_watch": "watched subjects"}
    shared = ", ".join([policy, *(f"{n} {words[table]}" for table, n in counts.items())])
    print(f"shared by the positions: {shared}")
    header = ("WORKSTATION", "JOINED", "LAST SEEN", "LOGGED ON", "ARRIVED", "RECORDS", "CHAIN")
    rows = [
        (
            p.workstation,
            p.joined_at or "-",
            p.last_seen or "-",
            p.operator or "-",
            str(p.last_seq),
            str(p.records),
            p.chain(),
        )
        for p in found.positions
    ]
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header) - 1)]
    for row in (header, *rows):
        print(
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1]
        )
    print("MACs unchecked here: 'audit verify' at a position walks every chain with the agency key")
    return EXIT_OK if all(p.whole for p in found.positions) else EXIT_UNREACHABLE
