"""The composition root: builds storage, transport, broker and GUI; owns start-up and shutdown."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import logging
import secrets
import sys
import tempfile
from collections.abc import Awaitable, Callable, Generator, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import platformdirs
from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from console.broker.session import Session, init_profile, parse_address
from console.broker.setup_plan import TRAINING_PKI, SetupPlan
from console.domain.access import Permission
from console.domain.codes import NoticeColour
from console.domain.errors import ConsoleError
from console.gui.access.enrollment import EnrollmentWindow
from console.gui.access.logon import LogonWindow
from console.gui.shell import crash, startup
from console.gui.shell.composition import Console
from console.gui.shell.theme import apply_theme
from console.scenario.loader import available_scenarios
from console.scenario.model import Scenario
from console.storage.settings import Profile, Settings
from console.switch.catalog import build_dataset
from console.switch.dataset import Dataset
from console.switch.scenario_run import ScenarioRun, cast_into
from console.switch.server import SwitchServer
from console.transport.pki import SWITCH_KEY, init_pki, server_context

log = logging.getLogger(__name__)
T = TypeVar("T")

DEMO_ORI = "WA0340000"
DEMO_OPERATOR = "DEMO"
DEMO_NOTICES = 2000
# a demo password is read off the lock screen and typed: capitals and digits no one confuses
# (no O/0/Q/D, I/1/L, S/5, Z/2, B/8, G/6), in groups of four; 16 of 21 signs: about 70 bits
DEMO_SECRET_SIGNS = "ACEFHJKMNPRTUVWXY3479"


def demo_secret(groups: int = 4) -> str:
    """A random demo password such as ``KX7M-P4RT-WY3C-9HNA``."""
    return "-".join(
        "".join(secrets.choice(DEMO_SECRET_SIGNS) for _ in range(4)) for _ in range(groups)
    )


APP_NAME = "dispatch-console"


class DemoNetwork:
    """Demo mode's private world: a throw-away profile, a fresh PKI and an embedded switch.

    Everything lives in one temporary folder removed on exit, so demo data never mixes
    with a live profile.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.profile = Profile(root / "profile")
        self.secret = demo_secret()
        self.server: SwitchServer | None = None
        self.run: ScenarioRun | None = None
        self.sample_names: list[str] = []
        self.sample_objects: list[str] = []

    @property
    def hints(self) -> list[str]:
        """What the results pane suggests trying: people first, then one of each object."""
        return [*self.sample_names, *self.sample_objects]

    async def start(self, notices: int = DEMO_NOTICES, seed: int = 0) -> None:
        pki = self.root / "pki"
        await asyncio.to_thread(init_pki, pki, DEMO_ORI, "T01")
        dataset = await asyncio.to_thread(build_dataset, notices, seed, [])
        self.sample_names = sample_names(dataset)
        self.sample_objects = sample_objects(dataset)
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


class TrainingSwitch:
    """The switch of a training PKI the first-run setup made, run inside this console while it
    runs (as demo mode runs its own), so a sheriff alone needs no shell."""

    def __init__(self) -> None:
        self.server: SwitchServer | None = None

    async def start(self, plan: SetupPlan) -> str:
        """Listen on the plan's address with synthetic records; OSError when it cannot."""
        host, port = parse_address(plan.switch)
        return await self.serve(plan.pki_source, host, port)

    async def start_again(self, profile: Profile, settings: Settings) -> None:
        """A later start of a profile whose setup chose to run its training PKI's switch in
        the console (``training_switch``): it runs here again, unless something already
        listens there (a switch started from a shell)."""
        pki = profile.root / TRAINING_PKI
        if not settings.training_switch or not (pki / SWITCH_KEY).exists():
            return  # the setup's choice, kept in the settings: a shell may run it instead
        try:
            await self.serve(pki, settings.switch_host, settings.switch_port)
        except OSError as exc:
            log.warning("training switch not started here: %s", exc)

    async def serve(self, pki: Path, host: str, port: int) -> str:
        dataset = await asyncio.to_thread(build_dataset, DEMO_NOTICES, 0, [])
        server = SwitchServer(dataset, server_context(pki))
        try:
            bound_host, bound_port = await server.start(host, port)
        except OSError:
            await server.close()
            raise
        self.server = server
        return f"{bound_host}:{bound_port}"

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()
            self.server = None


def sample_names(dataset: Dataset, per_colour: int = 2) -> list[str]:
    """A few red and yellow names from the demo data, with a DOB, for the trainee to try."""
    picks: list[str] = []
    for colour in (NoticeColour.RED, NoticeColour.YELLOW):
        found = (n for n in dataset if n.colour is colour and n.forename and n.date_of_birth)
        picks += [f"{n.nam} ({n.dob_text})" for n in itertools.islice(found, per_colour)]
    return picks


def sample_objects(dataset: Dataset) -> list[str]:
    """One value of each object family in the demo data (a VIN, a document with its type and
    country, a gun serial), as the trainee types it in that family's panel."""
    picks: list[str] = []
    vehicle = next(iter(dataset.vehicles), None)
    if vehicle is not None:
        picks.append(f"VIN {vehicle.vin} ({vehicle.make})")
    document = next(iter(dataset.documents), None)
    if document is not None:
        kind = document.doc_type
        picks.append(
            f"{kind.meaning} {document.number} (type {kind.value}, {document.issuing_country})"
        )
    gun = next(iter(dataset.guns), None)
    if gun is not None:
        picks.append(f"gun serial {gun.serial} ({gun.make})")
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
    lock_hint: str = "",
) -> Ended:
    """Show the console until the operator quits or logs off (closing the window leaves it
    in the tray); returns how it ended."""
    # Qt widgets only when a window is wanted
    from console.gui.shell.composition import open_console

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
        # shown to everyone, saved by a supervisor (the broker refuses anyone else anyway)
        settings_file=(
            session.settings_file
            if profile is not None and session.access.allows(Permission.SETTINGS)
            else None
        ),
        scenarios=scenarios,
        start_scenario=start_scenario,
        lock_hint=lock_hint,
    )
    ended = FirstOf[Ended]()
    console.window.quit_requested.connect(lambda: ended.settle(Ended(quit=True)))
    console.window.logoff_requested.connect(lambda: ended.settle(Ended(quit=False)))
    console.device_lock.screen.logoff_requested.connect(lambda: ended.settle(Ended(quit=False)))
    console.device_lock.logoff_forced.connect(
        lambda why: ended.settle(Ended(quit=False, reason=why))
    )
    try:
        how = await ended
    finally:
        console.close()
    return dataclasses.replace(how, console=console)


class FirstOf(Generic[T]):
    """Whichever of several signals fires first, awaited as its value (later ones are
    ignored): how a window the loop waits on ends."""

    def __init__(self) -> None:
        self._future: asyncio.Future[T] = asyncio.get_running_loop().create_future()

    def settle(self, value: T) -> None:
        if not self._future.done():
            self._future.set_result(value)

    def __await__(self) -> Generator[Any, None, T]:
        return self._future.__await__()


@dataclass(frozen=True)
class Ended:
    """How a console ended: quit (the application ends) or logged off (the logon returns)."""

    quit: bool
    reason: str = ""
    console: Console | None = None  # disposed of once its session is closed


async def first_run(profile: Profile, switch: TrainingSwitch | None = None) -> str | None:
    """No profile in the folder yet: the setup wizard makes one (and may start the training
    switch it goes with); its first supervisor's id, or None when the wizard is cancelled."""
    from console.gui.setup.setup_wizard import open_setup_wizard

    made = FirstOf[str | None]()
    wizard = open_setup_wizard(profile.root, start_switch=switch.start if switch else None)
    wizard.created.connect(lambda _, operator: made.settle(operator))
    wizard.rejected.connect(lambda: made.settle(None))
    try:
        return await made
    finally:
        wizard.deleteLater()


async def shifts(app: QApplication, profile: Profile, operator: str = "") -> int:
    """A live profile: the use notice and logon, enrollment when owed, the console; after a
    logoff the notice and logon again, for whoever sits down next. A folder without a
    profile starts with the setup wizard; a training switch it starts stops at the end."""
    switch = TrainingSwitch()
    try:
        return await _shifts(app, profile, operator, switch)
    finally:
        await switch.close()


async def _shifts(
    app: QApplication, profile: Profile, operator: str, switch: TrainingSwitch
) -> int:
    if not profile.exists():
        # the wizard in the console's look from its first page (errors in the error colour)
        defaults = {f.name: f.default for f in dataclasses.fields(Settings)}
        apply_theme(app, str(defaults["theme"]), float(str(defaults["font_size"])))
        first = await first_run(profile, switch)
        if first is None:
            return 0
        operator = operator or first
    settings = profile.load()
    if switch.server is None:
        await switch.start_again(profile, settings)
    apply_theme(app, settings.theme, settings.font_size)  # the logon already in the look

    async def opener(op: str, password: str, code: str | None) -> Session:
        return await Session.open(profile, op, password, code=code)

    logon = LogonWindow(
        opener, agency=f"{settings.ori}, terminal {settings.terminal}", operator=operator
    )
    try:
        while True:
            logon.restart()  # the notice first, for whoever sits down
            session = await _next_logon(logon)
            if session is None:
                return 0
            try:
                if session.access.needs_enrollment:
                    window = EnrollmentWindow(
                        session.enroll, operator=session.operator, ori=settings.ori
                    )
                    enrolled = await _outcome(window, window.enrolled, window.logoff_requested)
                    window.deleteLater()
                    if not enrolled:
                        continue
                ended = await run_window(app, session, demo=False, profile=profile)
            finally:
                await session.close()
            if ended.console is not None:
                ended.console.dispose()
            if ended.quit:
                return 0
            if ended.reason:
                logon.error_label.setText(ended.reason)
                logon.error_label.setVisible(True)
    finally:
        logon.deleteLater()


async def _next_logon(logon: LogonWindow) -> Session | None:
    """The session the logon window opens, or None when the operator quits."""
    chosen = FirstOf[Session | None]()

    def quit_() -> None:
        chosen.settle(None)

    logon.logged_on.connect(chosen.settle)
    logon.quit_requested.connect(quit_)
    logon.show()
    try:
        return await chosen
    finally:  # the window serves the next logon: it must not settle this one again
        logon.logged_on.disconnect(chosen.settle)
        logon.quit_requested.disconnect(quit_)
        logon.hide()


async def _outcome(window: QWidget, done: SignalInstance, cancelled: SignalInstance) -> bool:
    """Show ``window`` until ``done`` (True) or ``cancelled`` (False) fires."""
    result = FirstOf[bool]()
    done.connect(lambda: result.settle(True))
    cancelled.connect(lambda: result.settle(False))
    window.show()
    try:
        return await result
    finally:
        window.hide()


async def _main(
    app: QApplication, *, demo: bool, profile: Path | None, operator: str | None
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
            names = network.hints
            start_scenario = network.start_scenario
        else:
            assert profile is not None
            return await shifts(app, Profile(profile), operator or "")
        stack.push_async_callback(session.close)
        await run_window(
            app,
            session,
            demo=demo,
            sample_names=names,
            start_scenario=start_scenario,
            # a demo's operator secret is random: a trainee practising the lock needs it
            lock_hint=f"Demo: the password is {network.secret}",
        )
    return 0


def run_gui(*, demo: bool, profile: Path | None, operator: str | None) -> int:
    """Start the GUI on qasync; returns the process exit code."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    app, loop = startup.qt_loop()
    crash.install(loop)
    try:
        with loop:
            return loop.run_until_complete(
                _main(app, demo=demo, profile=profile, operator=operator)
            )
    except ConsoleError as exc:  # expected, before the window exists: said plainly, no trace
        log.error("the console could not start: %s", type(exc).__name__)
        QMessageBox.critical(None, "Dispatch console", f"The console could not start:\n{exc}")
        return 1
