"""Scenario files: the shipped ones load, mistakes are named with their line, debriefs score."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from console.broker.debrief import NoExercise, debrief, render_text
from console.scenario.loader import ScenarioError, load_scenario, parse_scenario, shipped_scenarios
from console.scenario.model import Action, EventKind
from console.storage import AuditRecord

MINIMAL = """\
[scenario]
id = "t"
title = "Test"
summary = "s"
briefing = "b"
duration = "30m"

[[person]]
eid = "2026/99001"
colour = "RED"
family_name = "Testperson"
forename = "Alpha"
date_of_birth = 1980-01-02

[[expect]]
id = "ask"
do = "query"
key = "IPQ"
contains = ["NAM/TESTPERSON"]
points = 40
within = "5m"
explain = "e"

[[expect]]
id = "confirm"
do = "query"
key = "YQ"
contains = "PRI/U"
after = "ask"
within = "10m"
points = 40
explain = "e"

[[expect]]
id = "no-export"
do = "avoid"
event = "export"
points = 20
explain = "e"
"""


def test_shipped_scenarios_load_and_cover_the_five_situations() -> None:
    scenarios = {s.id: s for s in shipped_scenarios()}
    assert {
        "red-notice-traffic-stop",
        "stolen-vehicle-border",
        "lost-passport-counter",
        "missing-child-yellow",
        "network-outage",
    } <= set(scenarios)
    for scenario in scenarios.values():
        assert scenario.total_points == 100
        assert scenario.briefing and scenario.expectations
    outage = scenarios["network-outage"]
    assert [e.kind for e in outage.events] == [EventKind.OUTAGE, EventKind.SLOW]
    assert outage.events[0].at == 30 and outage.events[0].length == 180


def test_a_minimal_scenario_reads_every_part() -> None:
    scenario = parse_scenario(MINIMAL)
    assert scenario.duration == 1800
    assert scenario.persons[0].nam == "TESTPERSON, ALPHA"
    confirm = scenario.expectations[1]
    assert (confirm.action, confirm.contains, confirm.after, confirm.within) == (
        Action.QUERY,
        ("PRI/U",),
        "ask",
        600,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('colour = "RED"', 'colour = "MAUVE"'),
            "scenario.toml:8: [person] colour: colour must be",
        ),
        (
            ('within = "5m"', 'within = "five"'),
            "scenario.toml:15: [expect] within must be a duration",
        ),
        (('after = "ask"', 'after = "nothing"'), "comes after unknown 'nothing'"),
        (("points = 20", "points = 0"), "scenario.toml:34: [expect] points must be more than 0"),
        (("points = 20", 'points = "20"'), "[expect] points must be a whole number"),
        (
            ('event = "export"', 'eventt = "export"'),
            "scenario.toml:34: [expect] do = 'avoid' needs event",
        ),
        (('eid = "2026/99001"', 'eid = "99001"'), "scenario.toml:8: [person] eid: EID: must be"),
        (('duration = "30m"', 'duration = "30m"\nmood = "calm"'), "has unknown key 'mood'"),
        (('[[expect]]\nid = "ask"', '[[expect]]\nid = "ask"\n['), "not valid TOML"),
    ],
)
def test_mistakes_are_named_with_file_and_line(change: tuple[str, str], message: str) -> None:
    text = MINIMAL.replace(*change, 1)
    assert text != MINIMAL
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "scenario.toml")
    assert message in str(caught.value)


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot be read"):
        load_scenario(tmp_path / "missing.toml")


START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def record(seq: int, minutes: float, event: str, outcome: str, obj: str = "") -> AuditRecord:
    at = START + timedelta(minutes=minutes)
    return AuditRecord(seq, at, "WS1", "TRAINEE", "WA0340000", event, outcome, obj)


def test_debrief_scores_in_time_late_and_broken() -> None:
    scenario = parse_scenario(MINIMAL)
    trail = [
        record(1, -5, "logon", "success"),
        record(2, 0, "training", "started", "t"),
        record(3, 2, "query", "queued", "IPQ.WA0340000.IP.C1.TXT NAM/TESTPERSON, ALPHA"),
        record(4, 14, "query", "queued", "YQ.WA0340000.DCINTER00.C2.TXT RTY/WP.PRI/U"),
    ]
    result = debrief(scenario, trail)
    notes = {o.expectation.id: (o.met, o.note) for o in result.outcomes}
    assert notes["ask"] == (True, "done after 2 min 00 s")
    assert notes["confirm"] == (False, "done 2 min 00 s late")  # 12 minutes after the ask
    assert notes["no-export"] == (True, "never done")
    assert (result.score, result.total) == (60, 100)
    assert [s.marks for s in result.steps] == [("ask",), ("confirm: done 2 min 00 s late",)]

    exported = debrief(scenario, [*trail, record(5, 15, "export", "pdf", "record")])
    assert exported.score == 40
    text = render_text(exported)
    assert "Score 40 of 100" in text and "[MISSED] no-export" in text


def test_debrief_uses_the_last_run_and_ignores_what_came_before() -> None:
    scenario = parse_scenario(MINIMAL)
    trail = [
        record(1, -30, "training", "started", "t"),
        record(2, -29, "query", "queued", "IPQ.WA0340000.IP.TXT NAM/TESTPERSON, ALPHA"),
        record(3, 0, "training", "started", "t"),
    ]
    result = debrief(scenario, trail)
    assert result.score == 20  # only the avoid-export points: the earlier run does not count
    with pytest.raises(NoExercise):
        debrief(scenario, trail[1:2])
