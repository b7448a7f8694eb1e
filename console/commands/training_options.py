"""Command-line options of the training commands (kept light: parsing imports nothing heavy)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path


def add_training_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    profile_args: Callable[[argparse.ArgumentParser], None],
) -> None:
    """``scenario`` and ``debrief``; ``profile_args`` adds --profile and --operator."""
    scenario = sub.add_parser("scenario", help="training scenarios: list them, check a file")
    actions = scenario.add_subparsers(dest="scenario_command", metavar="ACTION", required=True)
    actions.add_parser("list", help="the scenarios that come with the console")
    check = actions.add_parser(
        "check", help="read a scenario file and report each mistake with its line"
    )
    check.add_argument("file", type=Path, metavar="FILE")

    brief = sub.add_parser(
        "debrief",
        help="score a trainee's last run of a scenario from the profile's audit trail",
    )
    profile_args(brief)
    brief.add_argument(
        "--scenario", required=True, metavar="ID|FILE", help="a shipped scenario's id or a file"
    )
