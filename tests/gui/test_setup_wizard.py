"""The first-run setup wizard driven by typing: both kinds of certificates end in a profile that
logs on to a real switch as a supervisor; wrong values hold Next and name their rule; the
result is byte for byte what ``profile init`` writes."""

from __future__ import annotations

import shutil
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from console.broker.session import Session, init_profile
from console.broker.setup_plan import TRAINING_PKI
from console.cli import build_parser
from console.commands import PASSWORD_ENV
from console.commands.network import profile_init
from console.domain.access import Role
from console.domain.codes import LinkState
from console.gui.setup.setup_wizard import SetupWizard, open_setup_wizard
from console.gui.shell.theme import PALETTES, apply_theme
from console.storage.settings import Profile, Settings
from console.switch.dataset import Dataset
from console.switch.server import SwitchServer
from console.transport.pki import CA_CERT, SWITCH_CERT, SWITCH_KEY, terminal_files
from tests.gui.looks import restored_look
from tests.helpers.network import ORI, RunningSwitch
from tests.helpers.waiting import wait_until

PASSWORD = "violet anchor drizzle"
CONTROLS = (QLineEdit, QAbstractButton, QPlainTextEdit)
NEXT = QWizard.WizardButton.NextButton
__all__ = ["restored_look"]  # the fixture, used by name


class Created:
    """What the wizard's ``created`` signal carried."""

    def __init__(self, wizard: SetupWizard) -> None:
        self.calls: list[tuple[Profile, str]] = []
        wizard.created.connect(lambda profile, operator: self.calls.append((profile, operator)))


@pytest.fixture(autouse=True)
def stays_without_windows(qapp: QApplication) -> Iterator[None]:
    """As the console sets it up: the wizard closing, the last window, must not end the loop."""
    qapp.setQuitOnLastWindowClosed(False)
    yield
    qapp.setQuitOnLastWindowClosed(True)


@pytest.fixture
def bundle(tmp_path: Path, pki_dir: Path) -> Path:
    """An agency's bundle as it arrives: the CA and one terminal's certificate and key only."""
    folder = tmp_path / "from the agency"
    folder.mkdir()
    issued = terminal_files(pki_dir, ORI, "T01")
    for path in (issued.ca, issued.cert, issued.key):
        shutil.copyfile(path, folder / path.name)
    return folder


def opened(qtbot: QtBot, profile_dir: Path, *, past_welcome: bool = True) -> SetupWizard:
    wizard = open_setup_wizard(profile_dir)
    qtbot.addWidget(wizard)
    assert wizard.isVisible() and wizard.currentPage() is wizard.welcome
    if past_welcome:
        wizard.next()
        assert wizard.currentPage() is wizard.agency
    return wizard


def retype(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def press_enter(qtbot: QtBot, wizard: SetupWizard) -> None:
    """Enter, as typed in the focused field: the wizard's default button takes it."""
    qtbot.keyClick(wizard.focusWidget() or wizard, Qt.Key.Key_Return)


def unnamed_controls(wizard: SetupWizard) -> list[str]:
    return [
        f"{type(w).__name__} {w.objectName()!r}"
        for w in wizard.findChildren(QWidget)
        if isinstance(w, CONTROLS) and w.isVisible() and not w.accessibleName()
    ]


def fill_up_to_certificates(qtbot: QtBot, wizard: SetupWizard, address: str) -> None:
    retype(qtbot, wizard.agency.ori.edit, ORI.lower())
    press_enter(qtbot, wizard)
    assert wizard.currentPage() is wizard.switch
    qtbot.keyClicks(wizard.switch.address.edit, address)
    press_enter(qtbot, wizard)
    assert wizard.currentPage() is wizard.pki


def fill_supervisor(qtbot: QtBot, wizard: SetupWizard, *, secure: bool = False) -> None:
    page = wizard.operator
    qtbot.keyClicks(page.operator.edit, "OPR1")
    qtbot.keyClicks(page.password.edit, PASSWORD)
    qtbot.keyClicks(page.repeat.edit, PASSWORD)
    if secure:
        qtbot.keyClick(page.secure, Qt.Key.Key_Space)
        assert page.secure.isChecked()
    press_enter(qtbot, wizard)
    assert wizard.currentPage() is wizard.summary


async def finish(qtbot: QtBot, wizard: SetupWizard) -> None:
    """Press Finish and wait for the profile to be made (or refused)."""
    press_enter(qtbot, wizard)
    task = wizard.creating
    assert task is not None and not task.done()  # a task: the window stays responsive
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)  # no half-made profile left behind
    assert wizard.isVisible()
    await task


async def linked_supervisor(profile: Profile) -> None:
    """The profile opens with the wizard's password, links over mutual TLS, as a supervisor."""
    session = await Session.open(profile, "OPR1", PASSWORD, watch=False)
    try:
        await wait_until(lambda: session.broker.link_state is LinkState.UP)
        assert session.role is Role.SUPERVISOR
        assert session.operator == "OPR1"
    finally:
        await session.close()


def password_nowhere_in_clear(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


async def test_the_agency_bundle_makes_a_profile_that_logs_on_to_the_switch(
    qtbot: QtBot, tmp_path: Path, bundle: Path, switch: RunningSwitch
) -> None:
    profile_dir = tmp_path / "profile"
    wizard = opened(qtbot, profile_dir)
    created = Created(wizard)
    fill_up_to_certificates(qtbot, wizard, f"127.0.0.1:{switch.port}")
    assert wizard.switch.name.text == "127.0.0.1"  # followed the address
    assert "ca.pem (the certificate authority)" in wizard.pki.contents.text()
    qtbot.keyClicks(wizard.pki.folder, str(bundle))
    assert not wizard.pki.problem.isVisible(), wizard.pki.problem.text()
    press_enter(qtbot, wizard)
    fill_supervisor(qtbot, wizard, secure=True)
    summary = wizard.summary.summary.text()
    assert f"Agency ORI: {ORI}, terminal T01" in summary
    assert "First supervisor: OPR1" in summary and "secure location: yes" in summary
    twin = wizard.summary.twin.toPlainText()
    assert twin.startswith("the same as:\ndispatch-console profile init --profile ")
    assert f"--ori {ORI} --terminal T01 --switch 127.0.0.1:{switch.port}" in twin
    assert "--secure-location" in twin and "--training" not in twin
    assert PASSWORD not in twin

    await finish(qtbot, wizard)

    profile = Profile(profile_dir)
    assert created.calls == [(profile, "OPR1")]
    assert not wizard.isVisible() and wizard.result() == QWizard.DialogCode.Accepted
    assert wizard.operator.password.text == "" and wizard.operator.repeat.text == ""
    settings = profile.load()
    assert (settings.ori, settings.switch_port, settings.secure_location) == (
        ORI,
        switch.port,
        True,
    )
    assert settings.demo is False
    taken = terminal_files(profile.pki_dir, ORI, "T01")
    assert taken.cert.read_bytes() == (bundle / taken.cert.name).read_bytes()
    password_nowhere_in_clear(profile_dir)
    await linked_supervisor(profile)


def late_server_context() -> ssl.SSLContext:
    """A switch's context whose certificates are loaded once the wizard has made them."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def type_here(qtbot: QtBot, text: str) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClicks(focused, text)


def key(
    qtbot: QtBot, which: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, which, modifier)


async def test_a_training_pki_by_keyboard_alone_logs_on_to_its_own_switch(
    qtbot: QtBot, tmp_path: Path, dataset: Dataset
) -> None:
    context = late_server_context()
    server = SwitchServer(dataset, context)
    host, port = await server.start("127.0.0.1", 0)
    try:
        profile_dir = tmp_path / "classroom"
        wizard = opened(qtbot, profile_dir, past_welcome=False)
        await wait_until(wizard.isActiveWindow)  # the platform activates it a moment later
        created = Created(wizard)
        assert unnamed_controls(wizard) == []
        key(qtbot, Qt.Key.Key_Return)  # past the welcome page
        assert wizard.currentPage() is wizard.agency
        assert wizard.agency.ori.edit.hasFocus()  # the first field takes the typing
        type_here(qtbot, ORI)
        key(qtbot, Qt.Key.Key_Tab)
        assert wizard.agency.terminal.edit.hasFocus()
        key(qtbot, Qt.Key.Key_Return)
        assert wizard.currentPage() is wizard.switch and unnamed_controls(wizard) == []
        type_here(qtbot, f"{host}:{port}")
        key(qtbot, Qt.Key.Key_Return)
        assert wizard.currentPage() is wizard.pki and unnamed_controls(wizard) == []
        assert not wizard.button(NEXT).isEnabled()  # no folder given yet
        key(qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # its underlined letter
        await wait_until(wizard.pki.training_choice.isChecked)  # a mnemonic clicks a moment later
        assert not wizard.pki.folder.isEnabled()
        assert "TRAINING ONLY" in wizard.pki.training_note.text()
        key(qtbot, Qt.Key.Key_Return)
        assert wizard.currentPage() is wizard.operator and unnamed_controls(wizard) == []
        type_here(qtbot, "OPR1")
        for _ in range(2):
            key(qtbot, Qt.Key.Key_Tab)
            type_here(qtbot, PASSWORD)
        key(qtbot, Qt.Key.Key_Tab)
        assert wizard.operator.secure.hasFocus()  # left unticked: a classroom
        key(qtbot, Qt.Key.Key_Return)
        assert wizard.currentPage() is wizard.summary and unnamed_controls(wizard) == []
        summary = wizard.summary.summary.text()
        assert "TRAINING PKI" in summary and "marked DEMO" in summary
        twin = wizard.summary.twin.toPlainText().splitlines()
        assert twin[1].startswith("dispatch-console pki init ")
        assert twin[2].endswith("--training") and PASSWORD not in "".join(twin)

        await finish(qtbot, wizard)

        profile = Profile(profile_dir)
        assert created.calls == [(profile, "OPR1")]
        assert profile.load().demo is True  # a self-made CA is for a simulated switch only
        training = profile_dir / TRAINING_PKI
        context.load_verify_locations(cafile=str(training / CA_CERT))
        context.load_cert_chain(str(training / SWITCH_CERT), str(training / SWITCH_KEY))
        password_nowhere_in_clear(profile_dir)
        await linked_supervisor(profile)
    finally:
        await server.close()


async def test_a_wrong_ori_address_or_password_holds_next_and_shows_the_rule(
    qtbot: QtBot, tmp_path: Path, bundle: Path
) -> None:
    wizard = opened(qtbot, tmp_path / "profile")
    ori = wizard.agency.ori
    assert ori.rule.isVisible() and "2-letter code" in ori.rule.text()
    retype(qtbot, ori.edit, "WA03")
    assert ori.error.isVisible() and ori.error.text() == (
        "ORI: must be 9 letters or digits, starting with a 2-letter state code (got 'WA03')"
    )
    assert not wizard.button(NEXT).isEnabled()
    press_enter(qtbot, wizard)
    assert wizard.currentPage() is wizard.agency
    retype(qtbot, wizard.agency.terminal.edit, "T 01!")
    assert wizard.agency.terminal.error.text().startswith("terminal: must be 1-8 letters")
    retype(qtbot, wizard.agency.terminal.edit, "T01")
    retype(qtbot, ori.edit, ORI)
    assert not ori.error.isVisible() and wizard.button(NEXT).isEnabled()
    press_enter(qtbot, wizard)

    address = wizard.switch.address
    for typed in ("localhost", "localhost:99999", ":5400"):
        retype(qtbot, address.edit, typed)
        assert address.error.text().startswith("address: must be HOST:PORT with a port of 0-65535")
        assert not wizard.button(NEXT).isEnabled()
        press_enter(qtbot, wizard)
        assert wizard.currentPage() is wizard.switch
    retype(qtbot, address.edit, "127.0.0.1:5400")
    retype(qtbot, wizard.switch.name.edit, " ")
    assert wizard.switch.name.error.text() == (
        "certificate name: must name the switch's certificate"
    )
    assert not wizard.button(NEXT).isEnabled()
    retype(qtbot, wizard.switch.name.edit, "localhost")
    press_enter(qtbot, wizard)
    qtbot.keyClicks(wizard.pki.folder, str(bundle))
    press_enter(qtbot, wizard)

    page = wizard.operator
    qtbot.keyClicks(page.operator.edit, "OPR1")
    for weak, rule in [
        ("short", "password: must be at least 8 characters"),
        ("password1", "password: is on the list of common or leaked passwords"),
        ("OPR1WA0340000", "password: is too easy to guess"),  # the id and ORI as context
    ]:
        retype(qtbot, page.password.edit, weak)
        retype(qtbot, page.repeat.edit, weak)
        assert page.password.error.isVisible() and page.password.error.text().startswith(rule)
        assert weak not in page.password.error.text()  # never shown back
        assert not wizard.button(NEXT).isEnabled()
        press_enter(qtbot, wizard)
        assert wizard.currentPage() is page
    retype(qtbot, page.password.edit, PASSWORD)
    retype(qtbot, page.repeat.edit, PASSWORD + "x")
    assert page.repeat.error.text() == "password: the two entries differ"
    assert not wizard.button(NEXT).isEnabled()
    retype(qtbot, page.repeat.edit, PASSWORD)
    assert not page.password.error.isVisible() and wizard.button(NEXT).isEnabled()


async def test_a_bundle_without_the_terminal_certificate_names_the_missing_file(
    qtbot: QtBot, tmp_path: Path, bundle: Path
) -> None:
    (bundle / f"terminal-{ORI}-T01.pem").unlink()
    wizard = opened(qtbot, tmp_path / "profile")
    fill_up_to_certificates(qtbot, wizard, "127.0.0.1:5400")
    qtbot.keyClicks(wizard.pki.folder, str(bundle))
    problem = wizard.pki.problem
    assert problem.isVisible()
    assert f"has no terminal-{ORI}-T01.pem (this terminal's certificate)" in problem.text()
    assert "ca.pem" not in problem.text() and ".key" not in problem.text()  # only what is missing
    assert not wizard.button(NEXT).isEnabled()
    retype(qtbot, wizard.pki.folder, str(bundle / "nowhere"))
    assert problem.text() == f"There is no folder {bundle / 'nowhere'}."
    press_enter(qtbot, wizard)
    assert wizard.currentPage() is wizard.pki


async def test_a_certificate_issued_for_another_terminal_is_named_with_its_key(
    qtbot: QtBot, tmp_path: Path, bundle: Path
) -> None:
    wizard = opened(qtbot, tmp_path / "profile")
    retype(qtbot, wizard.agency.terminal.edit, "T09")
    fill_up_to_certificates(qtbot, wizard, "127.0.0.1:5400")
    qtbot.keyClicks(wizard.pki.folder, str(bundle))
    text = wizard.pki.problem.text()
    assert f"terminal-{ORI}-T09.pem (this terminal's certificate)" in text
    assert f"terminal-{ORI}-T09.key (this terminal's private key)" in text
    assert "check both on the first page" in text
    assert not wizard.button(NEXT).isEnabled()


async def test_a_key_that_does_not_fit_the_certificate_is_refused(
    qtbot: QtBot, tmp_path: Path, bundle: Path, pki_dir: Path
) -> None:
    other = terminal_files(pki_dir, ORI, "T03")  # another terminal's key under this one's name
    shutil.copyfile(other.key, bundle / f"terminal-{ORI}-T01.key")
    wizard = opened(qtbot, tmp_path / "profile")
    fill_up_to_certificates(qtbot, wizard, "127.0.0.1:5400")
    qtbot.keyClicks(wizard.pki.folder, str(bundle))
    assert wizard.pki.problem.text().startswith(f"The files in {bundle} cannot be used: ")
    assert not wizard.button(NEXT).isEnabled()


@pytest.mark.parametrize("training", [False, True], ids=["import", "training"])
async def test_an_existing_profile_is_refused_and_left_alone(
    qtbot: QtBot, tmp_path: Path, bundle: Path, training: bool
) -> None:
    existing = Profile(tmp_path / "profile")
    settings = Settings(ori=ORI, switch_port=5400)
    await init_profile(existing, settings, pki_source=bundle, operator="OLD1", secret=PASSWORD)
    before = existing.settings_path.read_bytes()
    wizard = opened(qtbot, existing.root)
    created = Created(wizard)
    fill_up_to_certificates(qtbot, wizard, "127.0.0.1:5400")
    if training:
        wizard.pki.training_choice.click()
    else:
        qtbot.keyClicks(wizard.pki.folder, str(bundle))
    press_enter(qtbot, wizard)
    fill_supervisor(qtbot, wizard)

    await finish(qtbot, wizard)

    error = wizard.summary.error
    assert error.isVisible() and error.text() == (
        f"The profile was not created: a profile already exists at {existing.root}: "
        "log on to it instead (setup never overwrites a profile)"
    )
    assert wizard.isVisible() and wizard.currentPage() is wizard.summary
    assert created.calls == []
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()  # may try again
    assert existing.settings_path.read_bytes() == before
    assert not (existing.root / TRAINING_PKI).exists()


@pytest.mark.parametrize("training", [False, True], ids=["import", "training"])
async def test_the_profile_is_what_profile_init_writes_for_the_same_values(
    qtbot: QtBot,
    tmp_path: Path,
    bundle: Path,
    monkeypatch: pytest.MonkeyPatch,
    training: bool,
) -> None:
    wizard = opened(qtbot, tmp_path / "wizard")
    retype(qtbot, wizard.agency.terminal.edit, "t01")  # typed in lower case, as below
    fill_up_to_certificates(qtbot, wizard, "[::1]:5400")
    retype(qtbot, wizard.switch.name.edit, "switch.example.test")
    if training:
        wizard.pki.training_choice.click()
    else:
        qtbot.keyClicks(wizard.pki.folder, str(bundle))
    press_enter(qtbot, wizard)
    fill_supervisor(qtbot, wizard, secure=True)
    twin = wizard.plan().commands()[-1][1:]
    await finish(qtbot, wizard)
    made = Profile(tmp_path / "wizard")
    assert made.exists(), wizard.summary.error.text()

    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    pki = made.root / TRAINING_PKI if training else bundle
    typed = ["profile", "init", "--profile", str(tmp_path / "typed"), "--ori", ORI.lower()]
    typed += ["--terminal", "t01", "--switch", "[::1]:5400", "--switch-name"]
    typed += ["switch.example.test", "--pki", str(pki), "--operator", "OPR1"]
    typed += ["--secure-location"] + ["--training"] * training
    assert await profile_init(build_parser().parse_args(typed)) == 0
    at = twin.index("--profile") + 1  # the summary's own command, into a third folder
    twin[at] = str(tmp_path / "twin")
    assert await profile_init(build_parser().parse_args(twin)) == 0

    wanted = made.settings_path.read_text("utf-8")
    for other in ("typed", "twin"):
        assert Profile(tmp_path / other).settings_path.read_text("utf-8") == wanted
    if not training:
        copied = terminal_files(made.pki_dir, ORI, "T01")
        again = terminal_files(Profile(tmp_path / "typed").pki_dir, ORI, "T01")
        for mine, theirs in zip(
            (copied.ca, copied.cert, copied.key), (again.ca, again.cert, again.key), strict=True
        ):
            assert mine.read_bytes() == theirs.read_bytes()


def inked(button: QAbstractButton, ink: str) -> int:
    """How many pixels of the button are painted in exactly ``ink`` (its label's glyphs)."""
    image = button.grab().toImage()
    colour = QColor(ink)
    return sum(
        image.pixelColor(x, y) == colour
        for x in range(image.width())
        for y in range(image.height())
    )


def test_next_is_disabled_looks_it_and_never_moves_on_while_the_ori_is_wrong(
    qtbot: QtBot, tmp_path: Path, restored_look: QApplication
) -> None:
    apply_theme(restored_look, "light", 10.5)
    colours = PALETTES["light"]
    wizard = opened(qtbot, tmp_path / "profile")
    next_button = wizard.button(NEXT)
    ori = wizard.agency.ori
    retype(qtbot, ori.edit, "WA03")
    assert not next_button.isEnabled()
    # greyed as every disabled control is, not in the live text colour
    assert inked(next_button, colours["text"]) == 0
    assert inked(next_button, colours["disabled_text"]) > 0
    assert ori.error.isVisible() and ori.error.text().startswith("ORI: must be 9 letters")
    error_ink = ori.error.palette().color(QPalette.ColorRole.WindowText)
    assert error_ink == QColor(colours["error"])
    wizard.next()  # not even the wizard's own next() goes past a wrong field
    assert wizard.currentPage() is wizard.agency
    press_enter(qtbot, wizard)
    assert wizard.currentPage() is wizard.agency

    retype(qtbot, ori.edit, ORI)
    assert next_button.isEnabled() and not ori.error.isVisible()
    assert inked(next_button, colours["text"]) > 0
    wizard.next()
    assert wizard.currentPage() is wizard.switch
    retype(qtbot, wizard.switch.address.edit, "localhost")  # no port
    wizard.next()
    assert wizard.currentPage() is wizard.switch
