"""The ``center`` command group's options: a dispatch centre's shared database."""

from __future__ import annotations

import argparse

from console.commands import CENTER_PASSWORD_ENV


def add_center_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """The ``center`` group; returns its subparsers for each action to add itself."""
    center = sub.add_parser("center", help="a dispatch centre's shared PostgreSQL database")
    center_sub = center.add_subparsers(dest="center_command", metavar="ACTION", required=True)
    add_status(center_sub)
    return center_sub


def add_status(center_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    status = center_sub.add_parser(
        "status",
        help="positions seen, who is logged on where, schema version, each position's chain",
        description="Show the centre: each position (workstation, when it joined, last seen, "
        "the operator logged on there, how far its audit trail has arrived), the schema "
        "version and each chain's shape (records, first and last seq, gaps). Connects as the "
        f"centre's console role, password from {CENTER_PASSWORD_ENV}. It holds no key, so it "
        "checks no MAC: 'audit verify' at any position walks every chain with the agency key. "
        "Exit 0, or 1 when the centre cannot be reached or a chain has a gap or is cut short.",
    )
    status.add_argument(
        "--url",
        required=True,
        metavar="URL",
        help="the centre, postgresql://USER@HOST:PORT/DATABASE (no password; "
        "?sslmode=verify-full&sslrootcert=CA.pem for TLS)",
    )
