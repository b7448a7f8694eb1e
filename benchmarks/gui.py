"""GUI responsiveness: event-loop lag of the real main window while answers and alerts arrive,
beside an idle baseline and the broker alone, and the time to show a list of 160 candidates.

The console runs as it does for an operator, offscreen: the main window on a Session over
mutual TLS to a simulated switch on loopback. The switch runs in a process of its own, as a
real switch runs elsewhere, so its searches do not count against the console's loop.
Usage: python benchmarks/gui.py [SCALE]; SCALE (default 1) multiplies the answers, alerts,
repetitions and idle time, so 0.1 gives a quick run. Goal: p99 lag under one frame (16 ms).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import html
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from switch_process import SwitchProcess  # beside this file

from console.broker.broker import Broker
from console.broker.events import AlertRaised, BrokerEvent
from console.broker.session import Session, init_profile
from console.domain.codes import INTERPOL_WASHINGTON_ORI, Family
from console.domain.errors import FieldError
from console.domain.messages import CandidateList, Message
from console.gui.panels.form import QueryForm
from console.gui.shell import startup
from console.gui.shell.composition import open_console
from console.gui.shell.main_window import MainWindow
from console.storage.settings import Profile, Settings
from console.switch.catalog import build_dataset
from console.switch.server import SwitchServer
from console.transport.pki import init_pki, server_context

ORI = "WA0340000"
OPERATOR = "BENCH"
SECRET = "benchmark passphrase"
NOTICES = 2000
# 200 more notices carry this name, so its IPR holds INTERPOL's cap of 160 candidates
COMMON_FAMILY, COMMON_FORENAME = "HERNANDEZ", "JOSE"
ANSWERS = 1000
ALERTS = 100
SHOWINGS = 100  # lists of 160 candidates shown, each timed
IDLE_SECONDS = 5.0
TICK_MS = 5
FRAME_MS = 16.0
WAIT = 30.0  # seconds any one step may take before the run gives up, saying which


# the switch, in its own process


def serve_switch(pki: Path, notices: int, conn: Connection) -> None:
    """The switch process: serves on loopback, sends an AM each time ``conn`` asks for one."""
    asyncio.run(_serve(pki, notices, conn))


async def _serve(pki: Path, notices: int, conn: Connection) -> None:
    dataset = build_dataset(notices, 0, [])
    named = [notice for notice in dataset if notice.forename]
    cast = [
        dataclasses.replace(
            notice,
            eid=f"1950/{90000 + at:05d}",
            family_name=COMMON_FAMILY,
            forename=COMMON_FORENAME,
        )
        for at, notice in enumerate(named[:200])
    ]
    dataset.add_records(persons=cast)
    # no rate limits on either side: answers arrive as fast as the console takes them
    switch = SwitchServer(dataset, server_context(pki), rate=1e9, burst=10**9)
    host, port = await switch.start()
    objects = dataset.objects
    conn.send(
        {
            "address": (host, port),
            "persons": [(n.nam, n.dob_text if n.date_of_birth else "", n.eid) for n in named],
            "vins": [vehicle.vin for vehicle in objects.vehicles],
            "documents": [document.number for document in objects.documents],
            "serials": [gun.serial for gun in objects.guns],
        }
    )
    texts: asyncio.Queue[str | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def readable() -> None:
        try:
            command = conn.recv()
        except (EOFError, OSError):  # the console side is gone: stop
            command = None
        texts.put_nowait(command)

    loop.add_reader(conn.fileno(), readable)
    try:
        while (text := await texts.get()) is not None:
            await switch.announce(INTERPOL_WASHINGTON_ORI, text)
    finally:
        loop.remove_reader(conn.fileno())
        await switch.close()


# measuring


class LagProbe:
    """A timer re-armed every TICK_MS; each tick records how late it fired, in ms."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._due = 0.0

    def start(self) -> None:
        self.samples = []
        self._arm()

    def stop(self) -> list[float]:
        self._timer.stop()
        return self.samples

    def _arm(self) -> None:
        self._due = time.perf_counter() + TICK_MS / 1000
        self._timer.start(TICK_MS)

    def _tick(self) -> None:
        self.samples.append(max(0.0, (time.perf_counter() - self._due) * 1000))
        self._arm()


class PaintWatch(QObject):
    """Notes when each paint of a widget has ended (the frame it belongs to is done)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.ended: list[float] = []
        self._widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, lambda: self.ended.append(time.perf_counter()))
        return False

    def close(self) -> None:
        self._widget.removeEventFilter(self)


def percentiles(samples: Sequence[float]) -> tuple[float, float, float]:
    """Median, p99 and max."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered), p99, ordered[-1]


# the load


@dataclass(frozen=True)
class Workload:
    persons: list[Message]  # IPQ
    eids: list[str]  # FPQ, as Enter on a match asks it
    objects: list[Message]  # IVQ, ITQ and IGQ in turn


def workload(catalog: dict[str, Any], broker: Broker, answers: int) -> Workload:
    """Distinct questions, so the cache answers none: 40% IPQ, 40% FPQ, 20% objects."""
    compose = broker.compose
    people: list[tuple[str, str, str]] = catalog["persons"]
    share = max(1, round(answers * 0.4))
    if 2 * share > len(people):
        raise RuntimeError(f"{len(people)} named notices are too few for {answers} answers")
    makers: list[tuple[list[str], Callable[[str], Message]]] = [
        (catalog["vins"], compose.vehicle),
        (catalog["documents"], compose.document),
        (catalog["serials"], compose.gun),
    ]
    families: list[list[Message]] = []
    for numbers, make in makers:
        made: list[Message] = []
        for number in numbers:
            with contextlib.suppress(FieldError):  # a number the panel would refuse as well
                made.append(make(number))
        families.append(made)
    objects = [query for trio in zip(*families, strict=False) for query in trio]
    return Workload(
        persons=[compose.person(name, dob) for name, dob, _ in people[:share]],
        eids=[eid for _, _, eid in people[share : 2 * share]],
        objects=objects[: max(0, answers - 2 * share)],
    )


Step = tuple[str, Callable[[], Awaitable[object]]]  # what it asks, and asking it


def lanes_of(
    load: Workload,
    ask: Callable[[Message], Awaitable[object]],
    open_record: Callable[[str], Awaitable[object]],
) -> list[list[Step]]:
    """One lane per panel (and one for full records), each query sent when the last is shown:
    a panel's newest query replaces one still running."""
    by_key: dict[str, list[Message]] = {}
    for query in load.objects:
        by_key.setdefault(query.key.value, []).append(query)
    lanes = [load.persons, *by_key.values()]
    steps: list[list[Step]] = [
        [(query.key.value, partial(ask, query)) for query in lane] for lane in lanes
    ]
    steps.append([(f"FPQ {eid}", partial(open_record, eid)) for eid in load.eids])
    return steps


async def ask_panel(window: MainWindow, query: Message) -> None:
    """As a typed line is: shown in its panel and sent from there; the answer is shown."""
    panel: QueryForm = window.panel_for(query.key)
    panel.fill(query)
    if await panel.send(query) is None:
        raise RuntimeError(f"{query.key.value} not answered: {panel.error_label.text()}")


async def open_record(window: MainWindow, eid: str) -> None:
    """As Enter on a match does: the FPQ, and its record in the viewer (or, when another
    panel's query went out meanwhile, the viewer saying why it is not shown)."""
    await window.results.open_eid(eid, Family.PERSON)
    shown = window.record_view.notice
    if shown is not None and shown.eid == eid:
        return
    # Another panel's query left first: by the pane's rule the record that comes after it is
    # not shown (it would pass for that query's answer), and the pane says so.
    if f"Full record {html.escape(eid)} not shown" not in window.record_view.html:
        raise RuntimeError(f"FPQ {eid}: the record was not shown")


@dataclass(frozen=True)
class Phase:
    lag: list[float]
    seconds: float
    busy: float  # seconds of CPU the loop's thread spent
    answers: int
    alerts: int


class AlertCounter:
    """Counts the alerts the broker raises (after the window's bridge has relayed each)."""

    def __init__(self, broker: Broker, target: int) -> None:
        self.seen = 0
        self.target = target
        self.reached = asyncio.Event()
        self._unsubscribe = broker.events.subscribe(self._on_event)

    def _on_event(self, event: BrokerEvent) -> None:
        if isinstance(event, AlertRaised):
            self.seen += 1
            if self.seen >= self.target:
                self.reached.set()

    def close(self) -> None:
        self._unsubscribe()


async def under_load(
    lanes: list[list[Step]], broker: Broker, switch: SwitchProcess, alerts: int
) -> Phase:
    """Every lane's queries answered, and ``alerts`` AMs sent by the switch in between."""
    total = sum(len(lane) for lane in lanes)
    counter = AlertCounter(broker, alerts)
    done = announced = 0

    async def run(lane: list[Step]) -> None:
        nonlocal done, announced
        for label, step in lane:
            try:
                async with asyncio.timeout(WAIT):
                    await step()
            except TimeoutError:
                raise RuntimeError(f"{label}: no answer shown within {WAIT:g} s") from None
            done += 1
            while announced < alerts * done // total:
                announced += 1
                switch.send(f"ADMINISTRATIVE MESSAGE {announced} OF {alerts}: SHIFT NOTICE")

    probe = LagProbe()
    probe.start()
    start, cpu = time.perf_counter(), time.thread_time()
    try:
        try:
            async with asyncio.TaskGroup() as group:
                for lane in lanes:
                    group.create_task(run(lane))
        except ExceptionGroup as failed:  # the first lane's failure says what went wrong
            raise failed.exceptions[0] from None
        try:
            await asyncio.wait_for(counter.reached.wait(), WAIT)
        except TimeoutError:
            raise RuntimeError(f"{counter.seen} of {alerts} alerts came in {WAIT:g} s") from None
        seconds, busy = time.perf_counter() - start, time.thread_time() - cpu
        return Phase(probe.stop(), seconds, busy, total, counter.seen)
    finally:
        probe.stop()
        counter.close()


async def idle(seconds: float) -> list[float]:
    probe = LagProbe()
    probe.start()
    await asyncio.sleep(seconds)
    return probe.stop()


async def candidate_lists(broker: Broker) -> list[Message]:
    """Two real IPRs of 160 candidates (a common name, asked two ways)."""
    found = []
    for forename in (COMMON_FORENAME, f"{COMMON_FORENAME} LUIS"):
        query = broker.compose.person(f"{COMMON_FAMILY}, {forename}")
        answer = await asyncio.wait_for(broker.submit(query, use_cache=False), WAIT)
        body = answer.body
        if not isinstance(body, CandidateList) or len(body.candidates) != 160:
            raise RuntimeError(f"{query.key.value} {forename}: not 160 candidates")
        found.append(answer)
    return found


async def show_candidates(
    window: MainWindow, lists: list[Message], showings: int
) -> tuple[list[float], list[float]]:
    """Times each list from its arrival at the results model: the update itself (model and
    view, synchronous) and the end of the last frame it caused the table to paint."""
    settle = 0.1  # seconds for the frames an update causes (and any late layout) to be done
    results = window.results
    viewport = results.table.viewport()
    watch = PaintWatch(viewport)
    updated: list[float] = []
    painted: list[float] = []
    try:
        results.show_answer(lists[-1])  # once untimed: the first list pays for warming up
        await asyncio.sleep(settle)
        for at in range(showings):
            watch.ended.clear()
            start = time.perf_counter()
            results.show_answer(lists[at % len(lists)])  # what a panel's answer does
            updated.append((time.perf_counter() - start) * 1000)
            await asyncio.sleep(settle)
            if not watch.ended:
                raise RuntimeError(f"the results view did not paint within {settle:g} s")
            painted.append((watch.ended[-1] - start) * 1000)
    finally:
        watch.close()
    return updated, painted


# the run


async def open_session(folder: Path, pki: Path, address: tuple[str, int]) -> Session:
    profile = Profile(folder)
    settings = Settings(
        secure_location=True,
        ori=ORI,
        terminal="T01",
        switch_host=address[0],
        switch_port=address[1],
        send_rate=1e9,
        demo=True,
    )
    await init_profile(profile, settings, pki_source=pki, operator=OPERATOR, secret=SECRET)
    session = await Session.open(profile, OPERATOR, SECRET)
    await session.broker.link.wait_up(WAIT)
    return session


def lag_line(label: str, samples: list[float], extra: str = "") -> float:
    _, p99, worst = percentiles(samples)
    print(
        f"{label:<53} p99 {p99:6.2f} ms  max {worst:7.2f} ms  (n={len(samples)}{extra})",
        flush=True,
    )
    return p99


def phase_line(label: str, phase: Phase) -> float:
    rate = phase.answers / phase.seconds
    cpu = phase.busy / phase.answers * 1000
    extra = f", {phase.seconds:.1f} s, {rate:.0f} answers/s, loop CPU {cpu:.1f} ms/answer"
    label = f"{label}: {phase.answers} answers, {phase.alerts} alerts"
    return lag_line(label, phase.lag, extra)


@dataclass(frozen=True)
class Scale:
    notices: int
    answers: int
    alerts: int
    showings: int
    idle_seconds: float

    @classmethod
    def of(cls, scale: float) -> Scale:
        return cls(
            notices=max(NOTICES, round(ANSWERS * scale)),  # enough for distinct questions
            answers=max(10, round(ANSWERS * scale)),
            alerts=max(1, round(ALERTS * scale)),
            showings=max(5, round(SHOWINGS * scale)),
            idle_seconds=max(1.0, IDLE_SECONDS * scale),
        )


async def run(
    app: QApplication, root: Path, switch: SwitchProcess, catalog: dict[str, Any], size: Scale
) -> None:
    address = (str(catalog["address"][0]), int(catalog["address"][1]))
    pki = root / "pki"
    session = await open_session(root / "alone", pki, address)
    try:  # the broker alone, no window: what the console's loop costs without the GUI
        load = workload(catalog, session.broker, size.answers)
        lanes = lanes_of(load, session.broker.submit, session.broker.open_record)
        alone = await under_load(lanes, session.broker, switch, size.alerts)
    finally:
        await asyncio.wait_for(session.close(), WAIT)

    session = await open_session(root / "console", pki, address)
    console = open_console(app, session, demo=True)
    window = console.window
    try:
        await asyncio.sleep(0.5)  # the window's first frames and its load of earlier work
        quiet = await idle(size.idle_seconds)
        lanes = lanes_of(
            load,
            lambda query: ask_panel(window, query),
            lambda eid: open_record(window, eid),
        )
        busy = await under_load(lanes, session.broker, switch, size.alerts)
        lists = await candidate_lists(session.broker)
        updated, painted = await show_candidates(window, lists, size.showings)
    finally:
        console.close()
        await asyncio.wait_for(session.close(), WAIT)

    idle_p99 = lag_line(f"lag, window idle ({size.idle_seconds:g} s)", quiet)
    alone_p99 = phase_line("lag, broker alone (no window)", alone)
    busy_p99 = phase_line("lag, window", busy)
    _, _, busy_max = percentiles(busy.lag)
    _, _, idle_max = percentiles(quiet)
    floor = 0.1  # ms: below the timer's own precision a ratio says nothing
    print(
        f"lag ratio window under load / window idle: p99 {busy_p99 / max(idle_p99, floor):.1f}x, "
        f"max {busy_max / max(idle_max, floor):.1f}x; window / broker alone: "
        f"p99 {busy_p99 / max(alone_p99, floor):.1f}x",
        flush=True,
    )
    verdict = "met" if busy_p99 < FRAME_MS else "NOT met"
    print(f"goal: p99 lag under one frame ({FRAME_MS:g} ms) while answers arrive: {verdict}")
    for label, samples in (("model and view updated", updated), ("frame painted", painted)):
        median, p99, _ = percentiles(samples)
        print(
            f"160 candidates into the results view, {label:<22} median {median:6.2f} ms  "
            f"p99 {p99:6.2f} ms  (n={len(samples)})",
            flush=True,
        )


def main(scale: float) -> None:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any QApplication exists
    os.environ.setdefault("QT_LOGGING_RULES", "qt.text.font.db=false")
    size = Scale.of(scale)
    # startup.qt_loop() protects None, True and False from PySide6 6.12.0 on Python 3.11
    # (console/gui/shell/binding.py), as it does for the console
    with tempfile.TemporaryDirectory(prefix="dcgui-") as tmp:
        root = Path(tmp)
        init_pki(root / "pki", ORI, "T01")
        switch = SwitchProcess(serve_switch, root / "pki", size.notices)  # before Qt
        try:
            catalog = switch.catalog(WAIT * 4)
            print(
                f"{size.notices} synthetic notices (+200 named {COMMON_FAMILY}, "
                f"{COMMON_FORENAME}), switch in its own process, mutual TLS on loopback; "
                f"the loop's lag sampled every {TICK_MS} ms",
                flush=True,
            )
            app, loop = startup.qt_loop()
            run_for = 60 + 120 * max(1.0, scale)
            with loop:
                loop.run_until_complete(
                    asyncio.wait_for(run(app, root, switch, catalog, size), run_for)
                )
        finally:
            switch.stop()


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0)
