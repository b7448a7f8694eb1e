"""``scenario list|check`` and ``debrief``: training scenarios and a trainee's score, headless."""

from __future__ import annotations

import argparse
from pathlib import Path

from console.broker.debrief import NoExercise, debrief, render_text
from console.commands import EXIT_INVALID, EXIT_OK
from console.commands.common import store_on
from console.domain.errors import ConsoleError
from console.scenario.loader import load_scenario, shipped_scenarios
from console.scenario.model import Scenario
from console.storage.settings import Profile


def find_scenario(text: str) -> Scenario:
    """A shipped scenario by id, or a scenario file."""
    for scenario in shipped_scenarios():
        if scenario.id == text:
            return scenario
    path = Path(text)
    if path.suffix == ".toml" or path.exists():
        return load_scenario(path)
    known = ", ".join(s.id for s in shipped_scenarios())
    raise ConsoleError(f"no scenario {text!r}: give a file or one of {known}")


def list_scenarios(_: argparse.Namespace) -> int:
    for scenario in shipped_scenarios():
        print(f"{scenario.id:<28} {scenario.title} ({scenario.total_points} points)")
    return EXIT_OK


def check_scenario(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.file)  # ScenarioError names file, line and rule
    print(
        f"{args.file}: OK - {scenario.title}: {len(scenario.events)} events, "
        f"{len(scenario.expectations)} expectations, {scenario.total_points} points"
    )
    return EXIT_OK


async def show_debrief(args: argparse.Namespace) -> int:
    scenario = find_scenario(args.scenario)
    async with store_on(args.profile_dir, args.operator, args.otp) as (store, _):
        if not Profile(args.profile_dir).load().demo:  # a live trail is for supervisors only
            raise ConsoleError("debriefs are for demo and training profiles")
        records = await store.audit_records()
        try:
            result = debrief(scenario, records)
        except NoExercise as exc:
            print(f"dispatch-console: {exc}")
            return EXIT_INVALID
        await store.audit("training", "debriefed", scenario.id)
    print(render_text(result))
    return EXIT_OK
