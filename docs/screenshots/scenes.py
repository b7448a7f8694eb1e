"""Puts the real console, on a demo world, into one of its main screens and keeps it there,
so a screenshot of a real X display can be taken (the images in this folder).

Usage: python docs/screenshots/scenes.py SCENE   (SCENE: see SCENES below)
Everything is synthetic: the demo network's generated records and a throw-away profile.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from centre_world import SECRET, SUPERVISOR, two_positions  # beside this file
from PySide6.QtWidgets import QApplication

from console.app import DEMO_OPERATOR, DemoNetwork
from console.broker.session import Session, init_profile
from console.domain.access import Role
from console.domain.codes import INTERPOL_WASHINGTON_ORI, Family, NoticeColour
from console.domain.messages import ObjectList
from console.gui.access.logon import LogonWindow
from console.gui.shell import startup
from console.gui.shell.composition import Console, open_console
from console.gui.shell.theme import apply_theme
from console.scenario.loader import shipped_scenarios
from console.storage import WrongSecret
from console.storage.settings import Profile, Settings
from console.switch.dataset import Dataset

Scene = Callable[["World"], Awaitable[None]]


class World:
    def __init__(self, app: QApplication, root: Path, theme: str = "light") -> None:
        self.app, self.root, self.theme = app, root, theme
        self.network = DemoNetwork(root)
        self.session: Session | None = None
        self.console: Console | None = None

    async def open(self) -> Console:
        await self.network.start(notices=2000)
        self.session = await Session.open(self.network.profile, DEMO_OPERATOR, self.network.secret)
        if self.theme != "light":
            self.session.settings = dataclasses.replace(self.session.settings, theme=self.theme)
        assert self.network.server is not None
        self.console = open_console(
            self.app,
            self.session,
            demo=True,
            sample_names=self.network.hints,
            scenarios=shipped_scenarios(),
            start_scenario=self.network.start_scenario,
            lock_hint=f"Demo: the password is {self.network.secret}",  # as --demo shows it
        )
        # the whole screen but a margin, whatever its size (1280x800 in docs/screenshots)
        self.console.window.setGeometry(
            self.app.primaryScreen().availableGeometry().adjusted(10, 10, -10, -10)
        )
        await until(lambda: "Link up" in self.console.window.status.link_label.text())  # type: ignore[union-attr]
        return self.console

    @property
    def dataset(self) -> Dataset:
        assert self.network.server is not None
        return self.network.server.dataset


async def until(predicate: Callable[[], object], timeout: float = 30) -> None:
    """Poll a widget's state: Qt has no awaitable for "the view shows it now"."""
    async with asyncio.timeout(timeout):
        while not predicate():  # noqa: ASYNC110
            await asyncio.sleep(0.05)


def red_notice(dataset: Dataset) -> object:
    return next(
        n
        for n in dataset
        if n.colour is NoticeColour.RED and dataset.has_photo(n.eid) and len(n.warrants) > 1
    )


async def hit(world: World) -> None:
    window = (await world.open()).window
    target = red_notice(world.dataset)
    panel = window.person_panel
    panel.name_edit.setText(target.nam)  # type: ignore[attr-defined]
    panel.dob_edit.setText(target.dob_text)  # type: ignore[attr-defined]
    await panel.send(panel.compose())
    await until(lambda: window.candidates.rowCount() > 0)
    await window.results.open_eid(target.eid, Family.PERSON)  # type: ignore[attr-defined]
    await until(lambda: window.record_view.notice is not None)


async def start(world: World) -> None:
    await world.open()


def panel_scene(at: int, fill: Callable[[World], None], family: Family | None = None) -> Scene:
    """A panel filled in; with ``family``, sent, and its first match opened."""

    async def scene(world: World) -> None:
        window = (await world.open()).window
        window.show_panel(at)
        fill(world)
        if family is not None:
            panel = window.panels[at]
            answer = await panel.send(panel.compose())
            assert answer is not None and isinstance(answer.body, ObjectList)
            await window.results.open_eid(answer.body.matches[0].eid, family)

    return scene


def fill_vehicle(world: World) -> None:
    car = next(v for v in world.dataset.vehicles if len(v.vin) == 17 and v.engine_number)
    panel = world.console.window.vehicle_panel  # type: ignore[union-attr]
    panel.vin_edit.setText(car.vin)
    panel.engine_edit.setText(car.engine_number or "")


def fill_document(world: World) -> None:
    doc = next(d for d in world.dataset.documents if d.holder_family_name)
    panel = world.console.window.document_panel  # type: ignore[union-attr]
    panel.number_edit.setText(doc.number)


def fill_gun(world: World) -> None:
    panel = world.console.window.gun_panel  # type: ignore[union-attr]
    panel.serial_edit.setText(next(iter(world.dataset.guns)).serial)


def fill_nothing(world: World) -> None:
    return None


async def confirmation(world: World) -> None:
    await hit(world)
    window = world.console.window  # type: ignore[union-attr]
    shown = window.record_view.shown_record
    assert shown is not None
    window.confirm_hit(shown)
    panel = window.confirmation_panel
    await panel.send(panel.compose())
    await asyncio.sleep(1)


async def vehicle_hit(world: World) -> None:
    window = (await world.open()).window
    car = next(
        v
        for v in world.dataset.vehicles
        if len(v.vin) == 17 and world.dataset.objects.has_photo(v.eid)
    )
    window.show_panel(1)
    window.vehicle_panel.vin_edit.setText(car.vin)
    answer = await window.vehicle_panel.send(window.vehicle_panel.compose())
    assert answer is not None and isinstance(answer.body, ObjectList)
    await window.results.open_eid(car.eid, Family.VEHICLE)
    await asyncio.sleep(1)


async def queue(world: World) -> None:
    window = (await world.open()).window
    broker = world.session.broker  # type: ignore[union-attr]
    for notice in list(world.dataset)[:6]:
        if notice.forename:
            await broker.queue(broker.compose.line(f"IPQ.{broker.ori}.IP.TXT NAM/{notice.nam}"))
    await world.network.server.set_gateway(False)  # type: ignore[union-attr]
    for notice in list(world.dataset)[10:13]:
        if notice.forename:
            await broker.queue(broker.compose.line(f"IPQ.{broker.ori}.IP.TXT NAM/{notice.nam}"))
    window.queue_dock.show()
    window.queue_dock.raise_()
    await asyncio.sleep(2)


async def alerts(world: World) -> None:
    window = (await world.open()).window
    server = world.network.server
    assert server is not None
    await server.announce(
        INTERPOL_WASHINGTON_ORI,
        "INTERPOL WASHINGTON. BOLO: A WHITE FORD F-150 STOLEN IN CANADA MAY CROSS THE "
        "NORTHERN BORDER THIS WEEK. ACKNOWLEDGE RECEIPT.",
    )
    await server.set_gateway(False)
    await until(lambda: window.alert_model.rowCount() >= 2)
    window.show_alerts()


async def quitting(world: World) -> None:
    await alerts(world)
    assert world.console is not None
    world.console.window.quit()  # alerts open: the console asks before it ends


async def settings(world: World) -> None:
    window = (await world.open()).window
    window.open_settings()


async def lock(world: World) -> None:
    await hit(world)  # a record on screen: the lock must hide it
    console = world.console
    assert console is not None
    await world.network.server.announce(INTERPOL_WASHINGTON_ORI, "PLEASE CALL THE DUTY DESK.")  # type: ignore[union-attr]
    await until(lambda: console.window.alert_model.rowCount() >= 1)
    console.device_lock.lock("locked by the operator")
    screen = console.device_lock.screen
    screen.password_edit.setText("not the password")  # one wrong entry: the attempts left
    screen.unlock_button.click()
    await until(screen.error_label.isVisible)


async def debrief(world: World) -> None:
    console = await world.open()
    training = console.window.training
    assert training is not None
    red = next(s for s in training.scenarios if s.id == "red-notice-traffic-stop")
    await training.start(red)
    await until(lambda: training.current is red)
    broker = world.session.broker  # type: ignore[union-attr]
    ori = broker.ori
    await broker.submit(
        broker.compose.line(f"IPQ.{ori}.IP.TXT NAM/VESTRANOV, ILYAS KARIMOVICH.DOB/19860411")
    )
    record = await broker.submit(broker.compose.line(f"FPQ.{ori}.IP.TXT EID/2026/99001"))
    await broker.record_viewed(record)
    await training.finish()
    assert training.view is not None
    training.view.move(40, 40)


async def live_profile(world: World) -> tuple[Profile, str]:
    """A live (non-demo) profile on the demo network's switch, for the logon screens."""
    await world.network.start(notices=200)
    assert world.network.server is not None
    source = world.network.profile
    settings = source.load()
    profile = Profile(world.root / "live")
    live = Settings(
        ori=settings.ori,
        terminal=settings.terminal,
        switch_host=settings.switch_host,
        switch_port=settings.switch_port,
        secure_location=True,
    )
    secret = "the night shift starts at six"
    await init_profile(profile, live, pki_source=world.root / "pki", operator="SUP1", secret=secret)
    return profile, secret


async def notice(world: World) -> None:
    await live_profile(world)
    apply_theme(world.app, "light", 10.5)
    window = LogonWindow(_no_logon, agency="WA0340000, terminal T01", operator="SUP1")
    window.show()
    window.move(300, 200)
    world.keep = window  # type: ignore[attr-defined]


async def logon(world: World) -> None:
    profile, _ = await live_profile(world)

    async def opener(operator: str, password: str, code: str | None) -> Session:
        return await Session.open(profile, operator, password, code=code)

    apply_theme(world.app, "light", 10.5)
    window = LogonWindow(opener, agency="WA0340000, terminal T01", operator="SUP1")
    window.show()
    window.move(300, 200)
    window.acknowledge()
    window.password_edit.setText("not the password")
    await window.submit()
    window.password_edit.setText("••••••••")
    world.keep = window  # type: ignore[attr-defined]


async def _no_logon(operator: str, password: str, code: str | None) -> object:
    raise RuntimeError("the notice scene never logs on")


async def audit_review(world: World) -> None:
    profile, secret = await live_profile(world)
    session = await Session.open(profile, "SUP1", secret)
    await session.accounts.add("OPR2", "a second long passphrase")
    for attempt in range(2):  # refused, and audited: the review shows them
        with contextlib.suppress(WrongSecret):
            await Session.open(profile, "OPR2", f"guess {attempt}")
    world.session = session
    world.console = open_console(world.app, session, demo=False)  # fitted to the screen
    window = world.console.window.supervisor.open_audit_review()
    window.resize(1200, 700)  # inside a 1280x800 screen, the console's status bar below
    window.move(40, 40)
    await asyncio.sleep(2)


async def audit_review_centre(world: World) -> None:
    """The review at one position of a centre with two: both positions' records, each chain."""
    profile, _ = await live_profile(world)  # the demo network, its PKI and switch
    first, _ = await two_positions(world.root, world.root / "pki", profile.load())
    session = await Session.open(first, SUPERVISOR, SECRET)
    world.session = session
    world.console = open_console(world.app, session, demo=False)
    window = world.console.window.supervisor.open_audit_review()
    window.resize(1200, 700)
    window.move(40, 40)
    await until(lambda: "Centre chain" in window.chain_label.text())


async def settings_centre(world: World) -> None:
    """The settings at a position of a centre, as its supervisor sees them: the agency's marked."""
    profile, _ = await live_profile(world)
    first, _ = await two_positions(world.root, world.root / "pki", profile.load())
    session = await Session.open(first, SUPERVISOR, SECRET)
    world.session = session
    world.console = open_console(
        world.app, session, demo=False, settings_file=session.settings_file
    )
    world.console.window.open_settings()


async def accounts(world: World) -> None:
    profile, secret = await live_profile(world)
    session = await Session.open(profile, "SUP1", secret)
    await session.accounts.add("OPR2", "a second long passphrase")
    await session.accounts.add("TRN1", "a trainer's long passphrase", Role.TRAINER)
    world.session = session
    world.console = open_console(world.app, session, demo=False)
    world.console.window.setGeometry(world.app.primaryScreen().availableGeometry())
    window = world.console.window.supervisor.open_accounts()
    window.resize(1100, 620)
    window.move(160, 120)
    await asyncio.sleep(1)


async def setup(world: World) -> None:
    from console.gui.setup.setup_wizard import open_setup_wizard

    apply_theme(world.app, "light", 10.5)  # as the console does before its first run
    wizard = open_setup_wizard(Path("dispatch-profile"))  # as a sheriff would name it
    wizard.move(300, 150)
    world.keep = wizard  # type: ignore[attr-defined]


async def setup_training(world: World) -> None:
    """The wizard's last page after a training PKI was chosen: it offers to run the switch."""
    from console.gui.setup.setup_wizard import open_setup_wizard

    async def no_switch(plan: object) -> str:
        raise OSError("the scene starts no switch")

    apply_theme(world.app, "light", 10.5)
    wizard = open_setup_wizard(Path("dispatch-profile"), start_switch=no_switch)
    wizard.move(260, 110)
    wizard.next()
    wizard.agency.ori.edit.setText("WA0340000")
    wizard.next()
    wizard.switch.address.edit.setText("127.0.0.1:5400")
    wizard.next()
    wizard.pki.training_choice.setChecked(True)
    wizard.next()
    wizard.operator.operator.edit.setText("SHERIFF")
    wizard.operator.password.edit.setText("violet anchor drizzle")
    wizard.operator.repeat.edit.setText("violet anchor drizzle")
    wizard.operator.secure.setChecked(True)
    wizard.next()
    world.keep = wizard  # type: ignore[attr-defined]


async def setup_join(world: World) -> None:
    """The welcome page with "join a dispatch centre" chosen: the centre's database, the
    position's name and the role password (the supervisor who lets it in comes later)."""
    from console.gui.setup.setup_wizard import open_setup_wizard

    apply_theme(world.app, "light", 10.5)
    wizard = open_setup_wizard(Path("dispatch-profile"))
    wizard.move(260, 0)
    center = wizard.center
    center.join.setChecked(True)
    center.url.edit.setText(
        "postgresql://centre-db.county.example:5432/dispatch?sslmode=verify-full"
    )
    center.workstation.edit.setText("DISPATCH-07")
    center.password.edit.setText("role password from the centre")
    world.keep = wizard  # type: ignore[attr-defined]


async def setup_error(world: World) -> None:
    """The agency page with a wrong ORI: the rule in the help colour, the error in red."""
    from console.gui.setup.setup_wizard import open_setup_wizard

    apply_theme(world.app, "light", 10.5)
    wizard = open_setup_wizard(Path("dispatch-profile"))
    wizard.move(260, 110)
    wizard.next()
    wizard.agency.ori.edit.setText("WA03")
    world.keep = wizard  # type: ignore[attr-defined]


async def scenarios(world: World) -> None:
    window = (await world.open()).window
    dialog = window.pick_scenario()
    dialog.move(120, 90)
    dialog.choices.setCurrentRow(3)


async def link_down(world: World) -> None:
    """A live profile whose switch is not running: the status bar says so in plain words, and
    a person query is held."""
    await world.network.start(notices=200)
    settings = world.network.profile.load()
    profile = Profile(world.root / "alone")
    alone = Settings(
        ori=settings.ori,
        terminal=settings.terminal,
        switch_host="127.0.0.1",
        switch_port=5400,
        secure_location=True,
    )
    secret = "the night shift starts at six"
    pki = world.root / "pki"
    await init_profile(profile, alone, pki_source=pki, operator="SUP1", secret=secret)
    session = await Session.open(profile, "SUP1", secret)
    world.session = session
    world.console = open_console(world.app, session, demo=False)
    window = world.console.window
    window.resize(1260, 780)
    window.move(10, 10)
    await until(lambda: "Link down:" in window.status.link_label.text())
    panel = window.person_panel
    panel.name_edit.setText("ZHAO, YUHUA")
    panel.dob_edit.setText("19460110")
    panel.submit()
    await until(lambda: "held" in panel.state_label.text())


SCENES: dict[str, tuple[Scene, str]] = {
    "start": (start, "light"),
    "hit": (hit, "light"),
    "hit-dark": (hit, "dark"),
    "vehicle": (panel_scene(1, fill_vehicle), "light"),
    "vehicle-hit": (vehicle_hit, "light"),
    "document": (panel_scene(2, fill_document, Family.DOCUMENT), "light"),
    "gun": (panel_scene(3, fill_gun, Family.GUN), "dark"),
    "confirmation": (confirmation, "light"),
    "admin": (panel_scene(5, fill_nothing), "light"),
    "queue": (queue, "light"),
    "alerts": (alerts, "dark"),
    "quit": (quitting, "light"),
    "settings": (settings, "light"),
    "lock": (lock, "light"),
    "debrief": (debrief, "light"),
    "notice": (notice, "light"),
    "logon": (logon, "light"),
    "audit-review": (audit_review, "light"),
    "audit-review-centre": (audit_review_centre, "light"),
    "settings-centre": (settings_centre, "light"),
    "accounts": (accounts, "light"),
    "setup": (setup, "light"),
    "setup-error": (setup_error, "light"),
    "setup-training": (setup_training, "light"),
    "setup-join": (setup_join, "light"),
    "scenarios": (scenarios, "light"),
    "link-down": (link_down, "light"),
}


def main(name: str) -> None:
    scene, theme = SCENES[name]
    app, loop = startup.qt_loop()
    with tempfile.TemporaryDirectory(prefix="dcshots-") as tmp, loop:
        world = World(app, Path(tmp), theme)
        loop.run_until_complete(scene(world))
        loop.run_forever()  # until the screenshot is taken and the process is stopped


if __name__ == "__main__":
    main(sys.argv[1])
