"""The composition root: builds storage, transport, broker and GUI; owns start-up and shutdown."""

from __future__ import annotations

import asyncio
import itertools
import logging
import secrets
import sys
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from pathlib import Path

import platformdirs
from PySide6.QtWidgets import QApplication, QMessageBox

from console.broker.session import Session, init_profile
from console.domain.codes import NoticeColour
from console.gui import crash, startup
from console.scenario.loader import available_scenarios
from console.scenario.model import Scenario
from console.storage.settings import Profile, Settings
from console.switch.catalog import build_dataset
from console.switch.dataset import Dataset
from console.switch.scenario_run import ScenarioRun, cast_into
from console.switch.server import SwitchServer
from console.transport.pki import init_pki, server_context

log = logging.getLogger(__name__)

DEMO_ORI = "WA0340000"
DEMO_OPERATOR = "DEMO"
DEMO_NOTICES = 2000
APP_NAME = "dispatch-console"


class DemoNetwork:
    """Demo mode's private world: a throw-away profile, a fresh PKI and an embedded switch.

    Everything lives in one temporary folder removed on exit, so demo data never mixes
    with a live profile.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.profile = Profile(root / "profile")
        self.secret = secrets.token_urlsafe(24)
        self.server: SwitchServer | None = None
        self.run: ScenarioRun | None = None
        self.sample_names: list[str] = []

    async def start(self, notices: int = DEMO_NOTICES, seed: int = 0) -> None:
        pki = self.root / "pki"
        await asyncio.to_thread(init_pki, pki, DEMO_ORI, "T01")
        dataset = await asyncio.to_thread(build_dataset, notices, seed, [])
        self.sample_names = sample_names(dataset)
        self.server = SwitchServer(dataset, server_context(pki))
        host, port = await self.server.start("127.0.0.1", 0)
        settings = Settings(
            ori=DEMO_ORI,
            terminal="T01",
            switch_host=host,
            switch_port=port,
            demo=True,
            answer_timeout=30.0,
        )
        await init_profile(
            self.profile, settings, pki_source=pki, operator=DEMO_OPERATOR, secret=self.secret
        )

    async def start_scenario(self, scenario: Scenario) -> None:
        """The trainer's pick: the scenario's records join the demo data, its timeline starts
        (a scenario started again starts over: the debrief counts from the last start)."""
        assert self.server is not None, "start the demo network first"
        if self.run is not None:
            await self.run.close()
        cast_into(self.server.dataset, scenario)
        self.run = ScenarioRun(self.server, scenario)
        self.run.start()

    async def close(self) -> None:
        if self.run is not None:
            await self.run.close()
        if self.server is not None:
            await self.server.close()


def sample_names(dataset: Dataset, per_colour: int = 2) -> list[str]:
    """A few red and yellow names from the demo data, with a DOB, for the trainee to try."""
    picks: list[str] = []
    for colour in (NoticeColour.RED, NoticeColour.YELLOW):
        found = (n for n in dataset if n.colour is colour and n.forename and n.date_of_birth)
        picks += [f"{n.nam} ({n.dob_text})" for n in itertools.islice(found, per_colour)]
    return picks


def user_scenarios_folder() -> Path:
    """Where a trainer keeps scenarios of their own (the platform's user data folder)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "scenarios"


async def run_window(
    app: QApplication,
    session: Session,
    *,
    demo: bool,
    sample_names: Sequence[str] = (),
    profile: Profile | None = None,
    start_scenario: Callable[[Scenario], Awaitable[None]] | None = None,
) -> None:
    """Show the console until the operator quits (closing the window leaves it in the tray)."""
    from console.gui.shell import open_console

    scenarios: list[Scenario] = []
    if demo or session.settings.demo:  # training happens on demo and training profiles only
        scenarios, problems = available_scenarios(user_scenarios_folder())
        for problem in problems:
            log.warning("scenario skipped: %s", problem)
    console = open_console(
        app,
        session,
        demo=demo,
        sample_names=sample_names,
        settings_file=profile,
        scenarios=scenarios,
        start_scenario=start_scenario,
    )
    quitting = asyncio.Event()
    console.window.quit_requested.connect(quitting.set)
    try:
        await quitting.wait()
    finally:
        console.close()


async def _main(
    app: QApplication, *, demo: bool, profile: Path | None, operator: str | None, secret: str | None
) -> int:
    names: list[str] = []
    start_scenario: Callable[[Scenario], Awaitable[None]] | None = None
    async with AsyncExitStack() as stack:
        if demo:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dcdemo-")))
            network = DemoNetwork(root)
            stack.push_async_callback(network.close)
            await network.start()
            opened = network.profile
            session = await Session.open(opened, DEMO_OPERATOR, network.secret)
            names = network.sample_names
            start_scenario = network.start_scenario
        else:
            assert profile is not None and operator is not None and secret is not None
            opened = Profile(profile)
            session = await Session.open(opened, operator, secret)
        stack.push_async_callback(session.close)
        await run_window(
            app,
            session,
            demo=demo,
            sample_names=names,
            profile=opened,
            start_scenario=start_scenario,
        )
    return 0


def run_gui(*, demo: bool, profile: Path | None, operator: str | None, secret: str | None) -> int:
    """Start the GUI on qasync; returns the process exit code."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    app, loop = startup.qt_loop()
    crash.install(loop)
    try:
        with loop:
            return loop.run_until_complete(
                _main(app, demo=demo, profile=profile, operator=operator, secret=secret)
            )
    except Exception as exc:  # an expected error before the window exists: say it plainly
        log.exception("the console could not start")
        QMessageBox.critical(None, "Dispatch console", f"The console could not start:\n{exc}")
        return 1
