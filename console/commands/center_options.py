"""Command-line options of ``center``: a dispatch centre's shared PostgreSQL database."""

from __future__ import annotations

import argparse

from console.commands import CENTER_OWNER_PASSWORD_ENV, CENTER_PASSWORD_ENV, PASSWORD_ENV


def add_center_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``center ACTION``; each action is added by a function of its own."""
    center = sub.add_parser(
        "center",
        help="a dispatch centre: many positions on one PostgreSQL database",
        description="A dispatch centre keeps the operator accounts (and their lockout) and "
        "the audit trail of all its positions in one PostgreSQL database.",
    )
    actions = center.add_subparsers(dest="center_command", metavar="ACTION", required=True)
    _add_init(actions)
    _add_upgrade(actions)
    add_status(actions)


def _add_init(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = actions.add_parser(
        "init",
        help="make a centre: schema, the console role, the agency key, the first supervisor",
        description="Run once, as the database's owner. The owner's password comes from "
        f"${CENTER_OWNER_PASSWORD_ENV} (else libpq's own: $PGPASSWORD or ~/.pgpass); the "
        f"console role's password (the one every position joins with) from "
        f"${CENTER_PASSWORD_ENV}; the first supervisor's from ${PASSWORD_ENV}. Never on "
        "the command line. A centre already initialised is refused and left as it was.",
    )
    _owner_url(init)
    init.add_argument("--ori", required=True, help="the agency's ORI")
    init.add_argument("--operator", required=True, metavar="ID", help="the first supervisor's id")


def _owner_url(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url",
        required=True,
        metavar="URL",
        help="postgresql://OWNER@HOST:PORT/DATABASE, no password in it; "
        "?sslmode=verify-full&sslrootcert=CA.pem pins the agency's CA",
    )


def _add_upgrade(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    upgrade = actions.add_parser(
        "upgrade",
        help="bring a centre's schema up to this console's (as the database's owner)",
        description="Run as the database's owner (password as for init) after the consoles "
        "are upgraded: the new tables and the console role's grants on them, in one "
        "transaction. Positions keep working meanwhile; what a newer schema adds (version 2: "
        "the agency's shared answer cache and watch list) starts at their next logon.",
    )
    _owner_url(upgrade)


def add_status(center_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    status = center_sub.add_parser(
        "status",
        help="positions seen, who is logged on where, schema version, each position's chain",
        description="Show the centre: each position (workstation, when it joined, last seen, "
        "the operator logged on there, how far its audit trail has arrived), the schema "
        "version and each chain's shape (records, first and last seq, gaps). Connects as the "
        f"centre's console role, password from {CENTER_PASSWORD_ENV} (or its client certificate: "
        "&sslcert=CERT&sslkey=KEY in the URL). It holds no key, so it "
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
