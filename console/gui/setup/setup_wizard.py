"""The first-run setup wizard: agency, switch, certificates and first supervisor, then the same
profile ``profile init`` makes, announced by ``created`` (opened with open(), never exec())."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from qasync import asyncSlot

from console.broker.profile import Profile
from console.broker.setup_plan import SetupPlan, create_profile
from console.domain.errors import ConsoleError
from console.gui.base.presenter import present
from console.gui.base.widgets import label, named
from console.gui.setup.setup_pages import (
    AgencyPage,
    OperatorPage,
    PkiPage,
    SwitchPage,
    WelcomePage,
)

# a training PKI's switch, started in this console: its address as it listens
SwitchStarter = Callable[[SetupPlan], Awaitable[str]]

BUTTON_NAMES = {
    QWizard.WizardButton.BackButton: "Back to the previous step",
    QWizard.WizardButton.NextButton: "Next step",
    QWizard.WizardButton.FinishButton: "Finish: create the profile",
    QWizard.WizardButton.CancelButton: "Cancel the setup",
}


class SummaryPage(QWizardPage):
    """What will be made, the headless command that makes the same, and how the making went."""

    def __init__(
        self, plan: Callable[[], SetupPlan], finish: Callable[[], bool], *, can_start: bool
    ) -> None:
        super().__init__()
        self._plan = plan
        self._finish = finish
        self._can_start = can_start
        self.busy = False
        self.setTitle("Summary")
        self.setSubTitle("Check the values, then press Finish to create the profile.")
        self.summary = label("", "setupSummary", wrap=True, accessible="Summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.twin = named(QPlainTextEdit(), "setupHeadlessTwin", "The same as a command")
        self.twin.setReadOnly(True)
        self.twin.setTabChangesFocus(True)  # Tab goes on to the buttons, as everywhere else
        self.status = label("", "setupStatus", wrap=True, accessible="Progress")
        self.error = label("", "fieldError", wrap=True, accessible="Why the profile was not made")
        self.error.hide()
        self.start_switch = named(
            QCheckBox("S&tart the training switch in this console now"),
            "setupStartSwitch",
            "Start the training switch in this console",
        )
        self.start_switch.setChecked(True)
        self.start_switch.hide()
        self.start_switch.toggled.connect(self.initializePage)  # the summary and twin follow
        layout = QVBoxLayout(self)
        for widget in (self.summary, self.start_switch, self.twin, self.status, self.error):
            layout.addWidget(widget)

    def initializePage(self) -> None:
        plan = self._plan()
        settings = plan.settings()
        offered = plan.training and self._can_start
        starting = plan.training_switch
        self.start_switch.setVisible(offered)
        if offered:
            self.start_switch.setToolTip(
                f"A simulated switch with synthetic records listens on {plan.switch} while this "
                "console runs, as in demo mode; unchecked, run it in a shell with "
                f"dispatch-console switch --pki {plan.pki_source} --listen {plan.switch}"
            )
            self.start_switch.setAccessibleDescription(self.start_switch.toolTip())
        if starting:
            pki = (
                f"TRAINING PKI made in {plan.pki_source} (classroom or demo only; the profile "
                f"is marked DEMO). Its switch, with synthetic records, runs in this console "
                f"on {plan.switch} whenever this profile opens (unless another listens there; "
                "kept in the profile's settings as training_switch = true)."
            )
        elif plan.training:
            pki = (
                f"TRAINING PKI made in {plan.pki_source} (classroom or demo only; the profile "
                f"is marked DEMO). Run its switch with: dispatch-console switch --pki "
                f"{plan.pki_source} --listen {plan.switch}"
            )
        else:
            pki = f"taken from {plan.pki_source}"
        rows = [
            f"Profile folder: {plan.profile_dir}",
            f"Agency ORI: {settings.ori}, terminal {settings.terminal}",
            f"Switch: {plan.switch}, certificate name {settings.switch_name}",
            f"Certificates: {pki}",
            (
                f"Dispatch centre: {plan.center_url}, this position {plan.workstation}; "
                f"let in by the centre's supervisor {plan.operator}"
                if plan.center_url
                else f"First supervisor: {plan.operator}"
            ),
            f"Physically secure location: {'yes' if settings.secure_location else 'no'}",
        ]
        self.summary.setText("\n".join(rows))
        self.twin.setPlainText(plan.headless_twin())
        self.error.hide()

    def isComplete(self) -> bool:
        return not self.busy

    def validatePage(self) -> bool:
        """Finish pressed: let the wizard close only once the profile exists."""
        return self._finish()

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.status.setText("Creating the profile…" if busy else "")
        if busy:
            self.error.hide()
        self.completeChanged.emit()

    def refuse(self, message: str) -> None:
        self.error.setText(f"The profile was not created: {message}")
        self.error.show()

    def switch_refused(self, message: str) -> None:
        plan = self._plan()
        self.error.setText(
            f"The profile is made, but the training switch did not start: {message}. Press "
            f"Finish to go on to the logon, and run the switch with: dispatch-console switch "
            f"--pki {plan.pki_source} --listen {plan.switch}"
        )
        self.error.show()


JOINING_HEIGHT = 780  # px: the welcome page with the centre's fields, nothing cut


class SetupWizard(QWizard):
    created = Signal(Profile, str)  # the new profile and its first supervisor's id

    def __init__(
        self,
        profile_dir: Path,
        parent: QWidget | None = None,
        *,
        start_switch: SwitchStarter | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setupWizard")
        self.setWindowTitle("Set up the INTERPOL dispatch console")
        self.profile_dir = profile_dir
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.welcome = WelcomePage(profile_dir)
        self.agency = AgencyPage(profile_dir)
        self.switch = SwitchPage()
        self.pki = PkiPage(self.agency, profile_dir)
        self.center = self.welcome.center
        self.operator = OperatorPage(self.agency, self.center)
        self._start_switch = start_switch
        self.summary = SummaryPage(self.plan, self.finish, can_start=start_switch is not None)
        pages = (self.welcome, self.agency, self.switch, self.pki, self.operator, self.summary)
        for page in pages:
            self.addPage(page)
        for which, accessible in BUTTON_NAMES.items():
            self.button(which).setAccessibleName(accessible)
        self.creating: asyncio.Task[None] | None = None  # the profile being made
        self._created: tuple[Profile, str] | None = None
        self._announce_on_finish = False
        self.switch_address = ""  # where the training switch started here listens
        self.resize(720, 560)
        self.center.join.toggled.connect(self._fit_joining)

    def _fit_joining(self, joining: bool) -> None:
        # The centre's three fields and their rules need about 200 px more than the welcome
        # alone: grown (within the screen) so no rule is squeezed under its field.
        if not joining:
            return
        screen = self.screen().availableGeometry()
        self.resize(self.width(), max(self.height(), min(JOINING_HEIGHT, screen.height() - 40)))

    def plan(self) -> SetupPlan:
        return SetupPlan(
            profile_dir=self.profile_dir,
            ori=self.agency.ori_value,
            terminal=self.agency.terminal_value,
            switch=self.switch.address.text.strip(),
            switch_name=self.switch.name.text.strip(),
            operator=self.operator.operator.text.strip(),
            pki_folder=self.pki.chosen_folder,
            secure_location=self.operator.secure.isChecked(),
            center_url=self.center.url.text.strip() if self.center.joining else "",
            workstation=self.center.workstation.text.strip() if self.center.joining else "",
            # the choice is saved in the settings: the next start runs the switch again
            training_switch=self.pki.chosen_folder is None
            and self._start_switch is not None
            and self.summary.start_switch.isChecked(),
        )

    def finish(self) -> bool:
        """Finish pressed: True once the profile exists; until then, start making it."""
        if self._created is not None:
            if self._announce_on_finish:  # made, but the training switch did not start
                self._announce_on_finish = False
                self.created.emit(*self._created)
            return True
        if self.creating is None:
            self._set_busy(True)  # at once: a second Enter must not start a second making
            self.creating = self._create(self.plan())
        return False

    def _set_busy(self, busy: bool) -> None:
        self.summary.set_busy(busy)
        for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton):
            self.button(which).setEnabled(not busy)

    @asyncSlot()
    async def _create(self, plan: SetupPlan) -> None:
        try:
            center_password = self.center.password.text if plan.center_url else ""
            profile = await create_profile(plan, self.operator.password.text, center_password)
            self.operator.forget_password()  # it lives on only in the key slot
            self.center.forget_password()  # it lives on only in the owner-only center.secret
            if plan.training_switch and self._start_switch is not None:
                self._created = (profile, plan.operator)  # made: never a second making
                self.switch_address = await self._start_switch(plan)
        except (ConsoleError, OSError) as exc:
            made = self._announce_on_finish = self._created is not None  # Finish: logon
            present(self.summary.switch_refused if made else self.summary.refuse, "", exc)
            return
        finally:
            self.creating = None
            self._set_busy(False)
        self._created = (profile, plan.operator)
        self.accept()
        self.created.emit(profile, plan.operator)

    def reject(self) -> None:
        if self.creating is None:  # half a profile must not be left behind by Esc
            super().reject()


def open_setup_wizard(
    profile_dir: Path,
    parent: QWidget | None = None,
    *,
    start_switch: SwitchStarter | None = None,
) -> SetupWizard:
    """Show the wizard for a profile in ``profile_dir``; connect to ``created`` to log on.
    With ``start_switch``, a training PKI's switch may run in this console."""
    wizard = SetupWizard(profile_dir, parent, start_switch=start_switch)
    wizard.open()
    return wizard
