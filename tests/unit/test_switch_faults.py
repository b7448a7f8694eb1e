"""The switch's fault plan: defaults do nothing, the same seed draws the same faults."""

from __future__ import annotations

import dataclasses

import pytest

from console.switch.faults import Decision, FaultPlan, Outage


def draw(plan: FaultPlan, n: int = 200) -> list[Decision]:
    decisions = plan.decisions()
    return [decisions.next() for _ in range(n)]


def test_the_default_plan_has_no_faults() -> None:
    assert set(draw(FaultPlan())) == {Decision()}


def test_the_same_seed_draws_the_same_faults() -> None:
    plan = FaultPlan(seed=7, latency=0.2, jitter=0.1, slow=0.1, drop=0.2, disconnect=0.1)
    assert draw(plan) == draw(plan)
    assert draw(plan) == draw(dataclasses.replace(plan))
    assert draw(plan) != draw(dataclasses.replace(plan, seed=8))


def test_one_share_does_not_shift_the_others() -> None:
    """Every query takes the same number of draws, so turning on drops keeps the delays."""
    quiet = FaultPlan(seed=3, latency=0.1, jitter=0.05)
    dropping = FaultPlan(seed=3, latency=0.1, jitter=0.05, drop=0.5)
    assert [d.delay for d in draw(quiet)] == [d.delay for d in draw(dropping)]


def test_shares_and_delays_are_roughly_as_asked() -> None:
    plan = FaultPlan(seed=1, latency=0.1, jitter=0.1, slow=0.25, slow_seconds=75, drop=0.5)
    decisions = draw(plan, 2000)
    slow = [d for d in decisions if d.delay >= 75]
    assert 400 < len(slow) < 600
    assert 900 < sum(d.drop for d in decisions) < 1100
    assert not any(d.disconnect for d in decisions)
    fast = [d.delay for d in decisions if d.delay < 75]
    assert min(fast) >= 0 and max(fast) <= 0.2
    assert 0.09 < sum(fast) / len(fast) < 0.11


def test_outages_parse_sort_and_must_not_overlap() -> None:
    assert Outage.parse("30:120") == Outage(30, 120)
    plan = FaultPlan(outages=(Outage(300, 10), Outage(30, 120)))
    assert plan.outages == (Outage(30, 120), Outage(300, 10))
    with pytest.raises(ValueError, match="overlap"):
        FaultPlan(outages=(Outage(0, 60), Outage(30, 10)))
    for bad in ("30", "x:10", "10:0", "-1:5"):
        with pytest.raises(ValueError):
            Outage.parse(bad)


@pytest.mark.parametrize(
    "settings",
    [{"drop": 1.5}, {"slow": -0.1}, {"disconnect": 2.0}, {"latency": -1.0}, {"jitter": -0.5}],
)
def test_out_of_range_settings_are_refused(settings: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        FaultPlan(**settings)  # type: ignore[arg-type]
