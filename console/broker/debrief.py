"""The training debrief: the trainee's audit trail held against a scenario's expectations.

The audit trail is the one truth of what the trainee did (it is what an auditor would read),
so the debrief needs no separate recording and cannot disagree with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from console.scenario.exercise import started_exercise as started_exercise
from console.scenario.model import Action, Expectation
from console.scenario.model import Scenario as Scenario
from console.storage import AuditRecord

TRAINING_EVENT = "training"  # audit event marking an exercise's start: outcome "started"


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one expectation went: met (when), missed, or broken (an AVOID that happened)."""

    expectation: Expectation
    met: bool
    at: datetime | None  # when it was met, or when an AVOID was broken
    deadline: datetime | None
    note: str

    @property
    def points(self) -> int:
        return self.expectation.points if self.met else 0


@dataclass(frozen=True, slots=True)
class Step:
    """One thing the trainee did, as the audit trail recorded it."""

    offset: timedelta
    record: AuditRecord
    marks: tuple[str, ...]  # expectations this step met ("id"), or met late / broke ("id: why")


@dataclass(frozen=True, slots=True)
class Debrief:
    scenario: Scenario
    operator: str
    started: datetime
    outcomes: tuple[Outcome, ...]
    steps: tuple[Step, ...]

    @property
    def score(self) -> int:
        return sum(o.points for o in self.outcomes)

    @property
    def total(self) -> int:
        return self.scenario.total_points


class NoExercise(LookupError):
    """The audit trail has no start of this scenario."""


def debrief(scenario: Scenario, records: Sequence[AuditRecord]) -> Debrief:
    """Score the last run of ``scenario`` found in ``records`` (oldest first)."""
    start_index = _last_start(scenario, records)
    started = records[start_index]
    ended = started.at + timedelta(seconds=scenario.duration)
    trail = [r for r in records[start_index + 1 :] if r.at <= ended]
    outcomes: dict[str, Outcome] = {}
    for expectation in scenario.expectations:  # an expectation's "after" is listed before it
        outcomes[expectation.id] = _judge(expectation, trail, started.at, outcomes)
    fulfilled: dict[int, list[str]] = {}
    for outcome in outcomes.values():
        for record in trail:
            if outcome.at == record.at and _matches(outcome.expectation, record):
                exp_id = outcome.expectation.id
                mark = exp_id if outcome.met else f"{exp_id}: {outcome.note}"
                fulfilled.setdefault(record.seq, []).append(mark)
                break
    steps = tuple(Step(r.at - started.at, r, tuple(fulfilled.get(r.seq, ()))) for r in trail)
    return Debrief(scenario, started.operator, started.at, tuple(outcomes.values()), steps)


def _last_start(scenario: Scenario, records: Sequence[AuditRecord]) -> int:
    for index in range(len(records) - 1, -1, -1):
        record = records[index]
        if (record.event, record.outcome, record.obj) == (TRAINING_EVENT, "started", scenario.id):
            return index
    raise NoExercise(f"no run of scenario {scenario.id!r} in this audit trail")


def _judge(
    expectation: Expectation,
    trail: Sequence[AuditRecord],
    started: datetime,
    earlier: dict[str, Outcome],
) -> Outcome:
    clock_from = started
    if expectation.after:
        before = earlier.get(expectation.after)
        if before is None or not before.met or before.at is None:
            return Outcome(
                expectation, False, None, None, f"not reached: {expectation.after} was not done"
            )
        clock_from = before.at
    deadline = (
        clock_from + timedelta(seconds=expectation.within)
        if expectation.within is not None
        else None
    )
    hits = [r for r in trail if r.at >= clock_from and _matches(expectation, r)]
    if expectation.action is Action.AVOID:
        if hits:
            return Outcome(expectation, False, hits[0].at, None, f"{expectation.event} done")
        return Outcome(expectation, True, None, None, "never done")
    if not hits:
        return Outcome(expectation, False, None, deadline, "not done")
    first = hits[0]
    if deadline is not None and first.at > deadline:
        late = first.at - deadline
        return Outcome(expectation, False, first.at, deadline, f"done {_minutes(late)} late")
    taken = first.at - clock_from
    return Outcome(expectation, True, first.at, deadline, f"done after {_minutes(taken)}")


def _matches(expectation: Expectation, record: AuditRecord) -> bool:
    action = expectation.action
    line = record.obj.upper()
    if action is Action.QUERY:
        return (
            (record.event, record.outcome) == ("query", "queued")
            and line.startswith(f"{expectation.key}.")
            and all(text in line for text in expectation.contains)
        )
    if action is Action.VIEW:
        return (record.event, record.outcome) == ("view", "shown") and all(
            text in line for text in expectation.contains
        )
    if action is Action.ACKNOWLEDGE:
        return (record.event, record.outcome) == ("alert", "acknowledged") and (
            line.split()[1:2] == [expectation.alert]
        )
    return record.event == expectation.event


def _minutes(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


def render_text(result: Debrief) -> str:
    """The debrief as plain text (the command line prints it; the PDF and screen lay it out)."""
    scenario = result.scenario
    lines = [
        f"DEBRIEF - {scenario.title}",
        f"Trainee {result.operator}, started {result.started:%Y-%m-%d %H:%M:%S} UTC",
        f"Score {result.score} of {result.total}",
        "",
        "Expectations:",
    ]
    for outcome in result.outcomes:
        mark = "MET   " if outcome.met else "MISSED"
        exp = outcome.expectation
        lines.append(f"  [{mark}] {exp.id}: {outcome.points}/{exp.points} - {outcome.note}")
        if not outcome.met:
            lines.append(f"           {exp.explain}")
    lines += ["", "What the trainee did:"]
    for step in result.steps:
        record = step.record
        seconds = int(step.offset.total_seconds())
        marks = f"  <- {'; '.join(step.marks)}" if step.marks else ""
        what = f"{record.event} {record.outcome}".strip()
        detail = f": {record.obj}" if record.obj else ""
        lines.append(f"  +{seconds // 60:02d}:{seconds % 60:02d} {what}{detail}{marks}")
    return "\n".join(lines)
