"""Command-line options of ``operator``: accounts managed by a supervisor, headless."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from console.commands import NEW_PASSWORD_ENV

ACTIONS = {
    "add": "add an operator (the new password from $" + NEW_PASSWORD_ENV + " or a prompt)",
    "list": "list the accounts: role, state, one-time codes, lock",
    "reset": "set a new password for TARGET (releases a lock too)",
    "unlock": "release TARGET from a lock after failed logons",
    "disable": "disable TARGET's account (kept for the audit trail, never deleted)",
    "enable": "enable a disabled account again",
    "role": "change TARGET's role (--role)",
    "withdraw-codes": "withdraw TARGET's one-time codes (a lost phone): they enroll again",
    "enroll": "enroll yourself for one-time codes: shows the secret and a QR code",
    "password": "change your own password (the new one from $" + NEW_PASSWORD_ENV + ")",
}
NEEDS_TARGET = frozenset({"add", "reset", "unlock", "disable", "enable", "role", "withdraw-codes"})


def add_operator_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    profile_args: Callable[[argparse.ArgumentParser], None],
) -> None:
    """``operator ACTION --profile DIR --operator ID [TARGET] [--role R]``."""
    operator = sub.add_parser(
        "operator",
        help="operator accounts: add, list, reset, unlock, disable (supervisors), enroll",
        description="--operator names who is acting (a supervisor for the account actions); "
        "TARGET is the account acted on.",
    )
    actions = operator.add_subparsers(dest="operator_command", metavar="ACTION", required=True)
    for name, text in ACTIONS.items():
        action = actions.add_parser(name, help=text, description=text)
        profile_args(action)
        if name in NEEDS_TARGET:
            action.add_argument("target", metavar="TARGET", help="the operator id acted on")
        if name in ("add", "role"):
            action.add_argument(
                "--role",
                choices=("operator", "supervisor", "trainer"),
                default="operator" if name == "add" else None,
                required=name == "role",
                help="operator (queries, alerts), supervisor (also accounts, settings, "
                "audit review) or trainer (demo and training profiles only)",
            )
