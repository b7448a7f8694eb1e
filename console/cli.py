"""The ``dispatch-console`` command: the GUI by default, headless subcommands for scripts."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import os
import signal
import sys
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

from console.domain.errors import ConsoleError, FieldError, MessageFormatError
from console.domain.messages import ErrorReply

EXIT_OK, EXIT_UNREACHABLE, EXIT_INVALID, EXIT_DENIED = 0, 1, 2, 3
PASSWORD_ENV = "DISPATCH_CONSOLE_PASSWORD"
MIN_PASSWORD = 8

EPILOG = f"""\
exit codes: 0 done; 1 the switch cannot be reached or did not answer; 2 invalid input (the
message names the field and the rule) or an ER answer; 3 wrong operator or password, or a
missing or broken profile.

The operator's password comes from the environment variable {PASSWORD_ENV}, or from a prompt
when a terminal is attached. Nothing is ever read from a command-line argument.
"""


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
    parser.add_argument("--profile", type=Path, help="profile folder for the GUI")
    parser.add_argument("--operator", help="operator id for the GUI (with --profile)")
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
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="seed of the synthetic data (same seed, same data; default 0)",
    )
    switch.add_argument(
        "--dataset",
        type=Path,
        action="append",
        default=[],
        metavar="PATH",
        help="INTERPOL public notice JSON to serve: a file or a folder; repeatable",
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
    init.add_argument("--operator", required=True, help="the first operator's id")

    query = sub.add_parser(
        "query",
        help="send one legacy-format line and print the answer",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    query.add_argument("--profile", type=Path, required=True, metavar="DIR", dest="profile_dir")
    query.add_argument("--operator", required=True, help="operator id")
    query.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds to wait for the answer (default: the profile's setting)",
    )
    query.add_argument(
        "line", metavar="LINE", help="e.g. 'IPQ.WA0340000.IP.TXT NAM/SMITH, JOHN.DOB/19800101'"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "pki":
            return _pki_init(args)
        if args.command == "switch":
            return asyncio.run(_serve_switch(args))
        if args.command == "profile":
            return asyncio.run(_profile_init(args))
        if args.command == "query":
            return asyncio.run(_query(args))
    except KeyboardInterrupt:
        return 130
    except (FieldError, MessageFormatError) as exc:
        return _fail(exc, EXIT_INVALID)
    except ConsoleError as exc:
        return _fail(exc, _exit_code_of(exc))
    return _gui(args)


def _gui(args: argparse.Namespace) -> int:
    secret = None
    if not args.demo:
        if args.profile is None or args.operator is None:
            return _fail(
                ConsoleError("give --demo, or --profile DIR and --operator ID"), EXIT_INVALID
            )
        try:
            secret = read_secret()
        except FieldError as exc:
            return _fail(exc, EXIT_INVALID)
    if not _display_available():
        return _fail(
            ConsoleError(
                "no display: run under X11 or Wayland (or set "
                "QT_QPA_PLATFORM=offscreen for a headless check)"
            ),
            EXIT_INVALID,
        )
    from console import app  # Qt is imported only when a window is wanted

    return app.run_gui(demo=args.demo, profile=args.profile, operator=args.operator, secret=secret)


def _display_available() -> bool:
    if sys.platform != "linux":
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def _pki_init(args: argparse.Namespace) -> int:
    from console.transport.pki import init_pki

    files = init_pki(args.dir, args.ori, args.terminal)
    print(f"training PKI in {args.dir}: CA, switch certificate, terminal {files.cert.name}")
    return EXIT_OK


async def _serve_switch(args: argparse.Namespace) -> int:
    from console.broker.session import parse_address
    from console.switch.catalog import build_dataset
    from console.switch.server import SwitchServer
    from console.transport.pki import server_context

    host, port = parse_address(args.listen)
    dataset = build_dataset(args.synthetic, args.seed, args.dataset)
    server = SwitchServer(dataset, server_context(args.pki))
    bound_host, bound_port = await server.start(host, port)
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    print(f"listening on {shown}:{bound_port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await server.close()
    return EXIT_OK


async def _profile_init(args: argparse.Namespace) -> int:
    from console.broker.session import init_profile, parse_address
    from console.storage.settings import Profile, Settings

    host, port = parse_address(args.switch)
    settings = Settings(
        ori=args.ori.upper(),
        terminal=args.terminal.upper(),
        switch_host=host,
        switch_port=port,
        switch_name=args.switch_name,
    )
    secret = read_secret(new=True)
    await init_profile(
        Profile(args.profile_dir),
        settings,
        pki_source=args.pki,
        operator=args.operator,
        secret=secret,
    )
    print(f"profile created in {args.profile_dir} for {settings.ori}, operator {args.operator}")
    return EXIT_OK


async def _query(args: argparse.Namespace) -> int:
    from console.broker.session import Session
    from console.protocol import legacy
    from console.storage.settings import Profile

    message = legacy.parse_line(args.line)  # invalid input fails before any logon
    session = await Session.open(Profile(args.profile_dir), args.operator, read_secret())
    try:
        if args.timeout is not None:
            session.broker.answer_timeout = args.timeout
        connect_timeout = min(args.timeout, 10.0) if args.timeout else 10.0
        answer = await session.broker.submit(message, connect_timeout=connect_timeout)
    finally:
        await session.close()
    print(legacy.format_message(answer))
    return EXIT_INVALID if isinstance(answer.body, ErrorReply) else EXIT_OK


def read_secret(*, new: bool = False) -> str:
    """The operator's password from the environment, or a prompt on a terminal."""
    secret = os.environ.get(PASSWORD_ENV)
    if secret is None:
        if not sys.stdin.isatty():
            raise FieldError("password", f"set {PASSWORD_ENV} or run from a terminal")
        secret = getpass.getpass("New operator password: " if new else "Operator password: ")
        if new and getpass.getpass("Repeat the password: ") != secret:
            raise FieldError("password", "the two entries differ")
    if new and len(secret) < MIN_PASSWORD:
        raise FieldError("password", f"must be at least {MIN_PASSWORD} characters")
    return secret


def _exit_code_of(exc: ConsoleError) -> int:
    from console.broker.broker import AnswerTimeout
    from console.transport.link import LinkDown

    return EXIT_UNREACHABLE if isinstance(exc, LinkDown | AnswerTimeout) else EXIT_DENIED


def _fail(exc: Exception, code: int) -> int:
    print(f"dispatch-console: {exc}", file=sys.stderr)
    return code


def _version() -> str:
    with contextlib.suppress(Exception):
        return version("dispatch-console")
    return "unknown"
