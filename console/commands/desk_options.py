"""``switch`` options for INTERPOL Washington's desk: hit confirmation and admin answers."""

from __future__ import annotations

import argparse

from console.domain.codes import Confirmation


def _delay(text: str) -> float:
    """Seconds, 0 or more (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 <= value < 1e7:
        raise argparse.ArgumentTypeError(f"must be 0 seconds or more: {text!r}")
    return value


def add_desk_options(switch: argparse.ArgumentParser) -> None:
    desk = switch.add_argument_group(
        "INTERPOL Washington desk",
        "how hit confirmations (YQ) and administrative messages (AM) to DCINTER00 are answered",
    )
    desk.add_argument(
        "--confirm-urgent",
        type=_delay,
        default=20.0,
        metavar="S",
        help="seconds before an urgent (PRI/U) request is answered (default 20; the "
        "deadline is 10 minutes)",
    )
    desk.add_argument(
        "--confirm-routine",
        type=_delay,
        default=60.0,
        metavar="S",
        help="seconds before a routine (PRI/R) request is answered (default 60; the "
        "deadline is 1 hour)",
    )
    desk.add_argument(
        "--confirm-from-request",
        type=int,
        choices=(1, 2, 3),
        default=1,
        metavar="N",
        help="leave requests before RNO/N unanswered, to practise second requests (default 1)",
    )
    desk.add_argument(
        "--confirm-pending",
        type=_delay,
        default=0.0,
        metavar="S",
        help="answer PENDING first and confirm S seconds later (default 0: confirm at once)",
    )
    desk.add_argument(
        "--confirm-outcome",
        choices=("Y", "N"),
        default=None,
        help="force every confirmation to Y (confirmed) or N (not confirmed); by default "
        "the desk checks the request against the record",
    )
    add_scenario_option(switch)
    desk.add_argument(
        "--am-reply",
        type=_delay,
        default=5.0,
        metavar="S",
        help="seconds before INTERPOL Washington acknowledges an AM sent to DCINTER00 (default 5)",
    )


def add_scenario_option(switch: argparse.ArgumentParser) -> None:
    switch.add_argument(
        "--scenario",
        metavar="ID|FILE",
        help="run a training scenario for a classroom: its records are served, its timeline "
        "starts when the switch does, and its desk settings replace the ones above "
        "('scenario list' names the shipped ones)",
    )


def outcome(args: argparse.Namespace) -> Confirmation | None:
    return Confirmation(args.confirm_outcome) if args.confirm_outcome else None
