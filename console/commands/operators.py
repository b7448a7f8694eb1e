"""``operator ...``: accounts from the command line, with the same checks as in the console
(a supervisor's session, the password rules, the audit trail)."""

from __future__ import annotations

import argparse
import sys

import segno

from console.commands import EXIT_OK, NEW_PASSWORD_ENV
from console.commands.common import read_secret, say, session_on
from console.domain.access import role
from console.domain.errors import FieldError
from console.storage import otp
from console.storage.accounts import Account


async def run(args: argparse.Namespace) -> int:
    action = args.operator_command
    enrolling = action == "enroll"
    async with session_on(
        args.profile_dir, args.operator, args.otp, enrolled=not enrolling
    ) as session:
        desk = session.accounts
        ori = session.settings.ori
        if action == "list":
            for account in await desk.list():
                print(account_line(account))
        elif action == "add":
            password = read_secret(new=True, env=NEW_PASSWORD_ENV, context=(args.target, ori))
            await desk.add(args.target, password, role(args.role))
            say(f"added {args.target} as {args.role}; they enroll for one-time codes at logon")
        elif action == "reset":
            password = read_secret(new=True, env=NEW_PASSWORD_ENV, context=(args.target, ori))
            await desk.reset(args.target, password)
            say(f"new password set for {args.target}")
        elif action == "unlock":
            await desk.release(args.target)
            say(f"{args.target} released")
        elif action == "disable":
            await desk.disable(args.target)
            say(f"{args.target} disabled")
        elif action == "enable":
            await desk.enable(args.target)
            say(f"{args.target} enabled")
        elif action == "role":
            await desk.set_role(args.target, role(args.role))
            say(f"{args.target} is now {args.role}")
        elif action == "withdraw-codes":
            await desk.withdraw_codes(args.target)
            say(f"one-time codes of {args.target} withdrawn; they enroll again at logon")
        elif action == "password":
            new = read_secret(new=True, env=NEW_PASSWORD_ENV, context=(args.operator, ori))
            await desk.change_own_password(read_secret(), new)
            say("password changed")
        else:
            secret = otp.new_secret()
            show_enrollment(secret, otp.provisioning_uri(secret, args.operator, ori))
            await session.enroll(secret, read_code("Code shown by the authenticator: "))
            say(f"{args.operator} enrolled: log on with --otp CODE from now on")
    return EXIT_OK


def account_line(account: Account) -> str:
    state = "active" if account.active else "disabled"
    if account.locked:
        state += ", LOCKED"
    codes = "codes" if account.enrolled else "no codes"
    return f"{account.operator:<20} {account.role.value:<10} {state:<16} {codes}"


def show_enrollment(secret: bytes, uri: str) -> None:
    """The secret as text and as a QR code for the operator's authenticator app."""
    print(f"secret: {otp.secret_text(secret)}")
    print(f"uri: {uri}")
    if sys.stdout.isatty():
        segno.make(uri, error="m").terminal(compact=True)
    sys.stdout.flush()


def read_code(prompt: str) -> str:
    """The first code: asked at a terminal, else read as one line from stdin (a script pipes
    it in); no terminal and nothing on stdin is a plain error, not a traceback."""
    if sys.stdin.isatty():
        try:
            code = input(prompt).strip()
        except EOFError:
            code = ""
    else:
        code = sys.stdin.readline().strip()
        if not code:
            raise FieldError(
                "code",
                "is required and there is no terminal: run operator enroll at a terminal, "
                "or give the 6 digits the authenticator shows on stdin",
            )
    if not code:
        raise FieldError("code", "is required: the 6 digits the authenticator shows")
    return code
