"""The exercise start notice: how a training switch tells each console that a scenario began.

The switch sends it as an AM from the exercise control ORI to every terminal, once per
terminal and run (a terminal that links later gets it when it links: its trainee's clock
starts then). A console on a demo profile records the start in its audit trail, where the
debrief finds it; a live profile treats it as any other AM.
"""

from __future__ import annotations

import re

from console.domain.fields import MESSAGE_MAX
from console.scenario.model import Scenario

EXERCISE_ORI = "XX0TRAIN0"  # the trainer's desk in a classroom: no real agency has XX
_FIRST_LINE = re.compile(r"^TRAINING EXERCISE (\S+) STARTS NOW\b")


def start_notice(scenario: Scenario) -> str:
    """The AM text: the start line the console reads, then the briefing the trainee reads."""
    text = (
        f"TRAINING EXERCISE {scenario.id} STARTS NOW\n"
        f"{scenario.title}. Time: {int(scenario.duration // 60)} minutes.\n"
        f"{scenario.briefing.strip()}"
    )
    return text[:MESSAGE_MAX]


def started_exercise(text: str) -> str | None:
    """The scenario id of a start notice, or None for any other text."""
    match = _FIRST_LINE.match(text.strip())
    return match.group(1) if match else None
