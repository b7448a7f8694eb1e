"""The ``dispatch-console`` command: the GUI by default, headless subcommands for scripts."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

from console.commands import EXIT_DENIED, EXIT_INVALID, EXIT_UNREACHABLE, PASSWORD_ENV
from console.commands.center_options import add_center_commands
from console.commands.desk_options import add_desk_options
from console.commands.operator_options import add_operator_commands
from console.commands.training_options import add_training_commands
from console.domain.errors import ConsoleError, FieldError, MessageFormatError

EPILOG = f"""\
exit codes: 0 done; 1 the switch or the centre cannot be reached or did not answer (the
query stays queued for 'drain'), the audit chain is broken, or a file or port cannot be
used; 2 invalid input (the message names the field and the rule) or an ER answer; 3 wrong
operator or password, or a missing or broken profile, or a centre that refuses the console
or is not (or already) initialised.

The operator's password comes from the environment variable {PASSWORD_ENV}, or from a prompt
when a terminal is attached. Nothing is ever read from a command-line argument.
"""


def _seconds(text: str) -> float:
    """A positive number of seconds (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value < 1e7:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds: {text!r}")
    return value


def _milliseconds(text: str) -> float:
    """A number of milliseconds, 0 or more (argparse type), returned in seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of milliseconds: {text!r}") from None
    if not 0 <= value < 1e9:
        raise argparse.ArgumentTypeError(f"must be 0 ms or more: {text!r}")
    return value / 1000


def _share(text: str) -> float:
    """A share of the traffic between 0 and 1 (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a share between 0 and 1: {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1: {text!r}")
    return value


def _outage(text: str) -> object:
    """``START:LENGTH`` seconds after the switch starts (argparse type)."""
    from console.switch.faults import Outage

    try:
        return Outage.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_fault_options(switch: argparse.ArgumentParser) -> None:
    faults = switch.add_argument_group(
        "faults and timing", "all off by default; drawn per query in arrival order from --seed"
    )
    faults.add_argument(
        "--latency", type=_milliseconds, default=0.0, metavar="MS", help="mean answer delay"
    )
    faults.add_argument(
        "--jitter",
        type=_milliseconds,
        default=0.0,
        metavar="MS",
        help="spread the delay uniformly over latency +- MS (never below 0)",
    )
    faults.add_argument(
        "--slow",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="share of answers (0-1) delayed a further --slow-seconds",
    )
    faults.add_argument(
        "--slow-seconds",
        type=_seconds,
        default=75.0,
        metavar="S",
        help="extra delay of a slow answer (default 75: slower than a minute)",
    )
    faults.add_argument(
        "--drop",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="share of answers never sent; a resend of the same control field gets it",
    )
    faults.add_argument(
        "--disconnect",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="share of queries after which the link is closed, before any answer",
    )
    faults.add_argument(
        "--outage",
        type=_outage,
        action="append",
        default=[],
        metavar="START:LENGTH",
        help="INTERPOL gateway out of service from START for LENGTH seconds after start "
        "(repeatable): terminals get an SM, answers are held and sent when it ends",
    )


GIVE_UP = "give up waiting after S seconds (what is pending stays queued)"


def _profile_command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help_text: str
) -> argparse.ArgumentParser:
    """A subcommand working on a profile as one operator, with the exit codes in its help."""
    parser = sub.add_parser(
        name, help=help_text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    _profile_args(parser)
    return parser


def _timeout_arg(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--timeout", type=_seconds, default=None, metavar="S", help=help_text)


def _profile_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile",
        type=Path,
        required=True,
        metavar="DIR",
        dest="profile_dir",
        help="profile folder",
    )
    parser.add_argument("--operator", required=True, help="operator id")
    parser.add_argument(
        "--otp",
        metavar="CODE",
        default=None,
        help="the one-time code from the operator's authenticator (once enrolled)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dispatch-console",
        description="INTERPOL dispatch console: query INTERPOL records through Nlets.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start on a fresh demo profile with the built-in switch on loopback "
        "and synthetic data, marked DEMO everywhere",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installed copy, offscreen (no display needed): start the built-in "
        "switch, run one demo query and open its full record in the real window; exit 0 "
        "when it all works, else 1 with the reason",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        help="profile folder for the GUI: it shows the use notice and the logon (a folder "
        "without a profile starts the first-run setup)",
    )
    parser.add_argument("--operator", help="operator id to fill in at the logon")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    pki = sub.add_parser("pki", help="training PKI: CA, switch and terminal certificates")
    pki_sub = pki.add_subparsers(dest="pki_command", metavar="ACTION", required=True)
    pki_init = pki_sub.add_parser(
        "init",
        help="create a training CA and switch certificate in DIR (kept if present) and "
        "issue a terminal certificate carrying ORI and the terminal id",
    )
    pki_init.add_argument("dir", type=Path, metavar="DIR")
    pki_init.add_argument("--ori", required=True, help="agency ORI the terminal speaks for")
    pki_init.add_argument("--terminal", default="T01", help="terminal id (default T01)")

    switch = sub.add_parser("switch", help="run the simulated Nlets switch and INTERPOL gateway")
    switch.add_argument(
        "--listen",
        default="127.0.0.1:0",
        metavar="HOST:PORT",
        help="address to listen on (port 0 picks a free port; default "
        "127.0.0.1:0); prints 'listening on HOST:PORT' once ready",
    )
    switch.add_argument(
        "--pki",
        type=Path,
        required=True,
        metavar="DIR",
        help="PKI folder made by 'pki init' (CA and switch certificate)",
    )
    switch.add_argument(
        "--synthetic",
        type=int,
        default=2000,
        metavar="N",
        help="number of synthetic notices to generate (default 2000; 0 for none)",
    )
    switch.add_argument(
        "--objects",
        type=int,
        default=None,
        metavar="N",
        help="synthetic stolen vehicles, travel documents and guns to generate, N of each "
        "(default half of --synthetic)",
    )
    switch.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="seed of the synthetic data and of the fault draws (same seed and same "
        "traffic, same data and same faults; default 0)",
    )
    _add_fault_options(switch)
    add_desk_options(switch)
    switch.add_argument(
        "--dataset",
        type=Path,
        action="append",
        default=[],
        metavar="PATH",
        help="INTERPOL public notice JSON to serve: a file or a folder of list pages and "
        "detail records (a page's _links.next followed to the files beside it); repeatable, "
        "the copies of a notice merged field by field; a report of each is printed on stderr",
    )

    profile = sub.add_parser("profile", help="create a profile (settings, PKI, encrypted store)")
    profile_sub = profile.add_subparsers(dest="profile_command", metavar="ACTION", required=True)
    init = profile_sub.add_parser("init", help="create a profile non-interactively")
    init.add_argument("--profile", type=Path, required=True, metavar="DIR", dest="profile_dir")
    init.add_argument("--ori", required=True, help="agency ORI")
    init.add_argument("--terminal", default="T01", help="terminal id (default T01)")
    init.add_argument("--switch", required=True, metavar="HOST:PORT", help="switch address")
    init.add_argument(
        "--switch-name",
        default="localhost",
        help="name in the switch's certificate (default localhost)",
    )
    init.add_argument(
        "--pki",
        type=Path,
        required=True,
        metavar="DIR",
        help="PKI folder holding this ORI's terminal certificate",
    )
    init.add_argument(
        "--operator",
        required=True,
        help="the first operator's id (with --center: a supervisor of the centre)",
    )
    init.add_argument(
        "--center",
        metavar="URL",
        help="join a dispatch centre as a position: postgresql://HOST:PORT/DATABASE (the user "
        "is always the centre's console role, its password from $DISPATCH_CONSOLE_CENTER_"
        "PASSWORD, or --center-cert); the centre's supervisor --operator, with their "
        "password, lets the position in; operators log on with their centre accounts",
    )
    init.add_argument(
        "--center-cert",
        type=Path,
        metavar="FILE",
        help="with --center: a client certificate (PEM) the console role logs in with, "
        "copied owner-only into the profile; needs sslmode=verify-ca or verify-full in the "
        "URL; $DISPATCH_CONSOLE_CENTER_PASSWORD is then optional (used when set)",
    )
    init.add_argument(
        "--center-key",
        type=Path,
        metavar="FILE",
        help="--center-cert's private key (PEM, no passphrase), copied owner-only",
    )
    init.add_argument(
        "--workstation",
        metavar="NAME",
        help="this position's name at the centre, unique there (default: the host name)",
    )
    init.add_argument(
        "--secure-location",
        action="store_true",
        help="the terminal is inside a physically secure location (CJIS): one-time codes "
        "become optional and the idle lock may be turned off",
    )
    init.add_argument(
        "--training",
        action="store_true",
        help="a training profile for a classroom switch: marked DEMO everywhere, and an "
        "exercise the switch starts is recorded for the trainee's debrief",
    )
    init.add_argument(
        "--training-switch",
        action="store_true",
        help="with --training and the PKI made by 'pki init DIR/training-pki': the console "
        "runs that training switch itself each time the profile opens",
    )

    query = _profile_command(sub, "query", "send one legacy-format line and print the answer")
    _timeout_arg(
        query,
        "seconds to wait for the answer (default: the profile's "
        "answer_timeout); a query not answered stays queued for 'drain'",
    )
    query.add_argument(
        "--no-cache",
        action="store_true",
        help="always ask the switch, even when a fresh cached answer exists",
    )
    query.add_argument(
        "line", metavar="LINE", help="e.g. 'IPQ.WA0340000.IP.TXT NAM/SMITH, JOHN.DOB/19800101'"
    )

    batch = _profile_command(sub, "batch", "queue every line of FILE durably, then drain")
    batch.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help="one legacy line per line; blank lines and '#' comments skipped; "
        "one invalid line refuses the whole file, naming each bad line",
    )
    batch.add_argument(
        "--again",
        action="store_true",
        help="send every line even if an earlier run of the same file queued it already "
        "(by default such lines are skipped, so a rerun after a crash sends nothing twice)",
    )
    _timeout_arg(batch, GIVE_UP)

    drain = _profile_command(sub, "drain", "send what is still queued and print the answers")
    _timeout_arg(drain, GIVE_UP)

    audit = sub.add_parser("audit", help="verify the audit chain or export a review period")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_sub.add_parser(
        "verify",
        help="print 'OK <n> records', or exit 1 naming the first bad record; at a position "
        "of a centre, every position's chain at the centre too",
    )
    _profile_args(verify)
    export = audit_sub.add_parser(
        "export",
        help="write audit records as CSV (owner-only file); at a position of a centre, "
        "every position's records",
    )
    _profile_args(export)
    for command in (verify, export):
        command.add_argument(
            "--workstation", metavar="NAME", help="only this workstation's (position's) records"
        )
    export.add_argument("--csv", type=Path, required=True, metavar="FILE", help="CSV to write")
    export.add_argument("--from", dest="start", metavar="D", help="first day, YYYY-MM-DD (UTC)")
    export.add_argument("--to", dest="end", metavar="D", help="last day, YYYY-MM-DD (UTC)")
    add_training_commands(sub, _profile_args)
    add_operator_commands(sub, _profile_args)
    add_center_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        return _gui(args)
    try:
        return _run(args)
    except KeyboardInterrupt:
        return 130
    except (FieldError, MessageFormatError) as exc:
        return _fail(exc, EXIT_INVALID)
    except ConsoleError as exc:
        return _fail(exc, _exit_code_of(exc))
    except OSError as exc:  # a port in use, a folder we may not write: say which, no traceback
        return _fail(exc, EXIT_UNREACHABLE)


def _run(args: argparse.Namespace) -> int:
    """Headless commands; their modules are imported only when called (start-up stays quick)."""
    if args.command == "pki":
        from console.commands import network

        return network.pki_init(args)
    if args.command in ("switch", "profile"):
        from console.commands import network

        return asyncio.run(
            network.serve_switch(args) if args.command == "switch" else network.profile_init(args)
        )
    if args.command in ("scenario", "debrief"):
        from console.commands import training

        if args.command == "debrief":
            return asyncio.run(training.show_debrief(args))
        if args.scenario_command == "list":
            return training.list_scenarios(args)
        return training.check_scenario(args)
    if args.command == "center" and args.center_command in ("init", "upgrade"):
        from console.commands import center

        return asyncio.run(
            center.init(args) if args.center_command == "init" else center.upgrade(args)
        )
    if args.command == "operator":
        from console.commands import operators

        return asyncio.run(operators.run(args))
    if args.command == "center":
        from console.commands import center_status

        return center_status.status(args)
    if args.command == "audit":
        from console.commands import audit

        return asyncio.run(
            audit.verify(args) if args.audit_command == "verify" else audit.export(args)
        )
    from console.commands import queries

    runner = {"query": queries.query, "batch": queries.batch, "drain": queries.drain}
    return asyncio.run(runner[args.command](args))


def _gui(args: argparse.Namespace) -> int:
    if args.self_test:
        from console.selftest import run_self_test

        return run_self_test()
    if not args.demo and args.profile is None:
        return _fail(ConsoleError("give --demo, or --profile DIR"), EXIT_INVALID)
    if not _display_available():
        return _fail(
            ConsoleError(
                "no display: run under X11 or Wayland (or set "
                "QT_QPA_PLATFORM=offscreen for a headless check)"
            ),
            EXIT_INVALID,
        )
    from console import app  # Qt is imported only when a window is wanted

    return app.run_gui(demo=args.demo, profile=args.profile, operator=args.operator)


def _display_available() -> bool:
    if sys.platform != "linux":
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def _exit_code_of(exc: ConsoleError) -> int:
    from console.broker.broker import AnswerTimeout
    from console.center.audit import CenterAuditMismatch
    from console.center.errors import CenterUnreachable
    from console.commands import FileUnusable
    from console.storage import AuditChainBroken, DiskFull
    from console.transport.link import LinkDown

    unreachable = LinkDown | AnswerTimeout | AuditChainBroken | FileUnusable | DiskFull
    if isinstance(exc, unreachable | CenterUnreachable | CenterAuditMismatch):
        return EXIT_UNREACHABLE
    return EXIT_DENIED


def _fail(exc: Exception, code: int) -> int:
    print(f"dispatch-console: {exc}", file=sys.stderr)
    return code


def _version() -> str:
    with contextlib.suppress(Exception):
        return version("dispatch-console")
    return "unknown"
