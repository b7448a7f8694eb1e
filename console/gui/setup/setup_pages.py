"""The setup wizard's pages: agency, switch, certificates, first supervisor; each page lets
Next through only once what it holds keeps its rules."""

from __future__ import annotations

import html
import socket
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from console.broker.position import check_center_url, check_workstation
from console.broker.session import parse_address
from console.broker.setup_plan import TRAINING_PKI, bundle_contents, bundle_problem, terminal_id
from console.domain import fields
from console.domain.access import MIN_PASSWORD, OPERATOR_ID_LENGTH, check_password, operator_id
from console.domain.errors import FieldError
from console.gui.base.widgets import label, named
from console.gui.setup.setup_fields import Check, CheckedLine

SECURE_HELP = (
    "Check this only when the console stands in a room whose access is controlled, such as a "
    "dispatch center: one-time codes then become optional and the idle lock may be turned off. "
    "Otherwise each operator sets up a one-time code app at the first logon."
)


WELCOME = """<p>This console searches INTERPOL's notices and its databases of stolen
vehicles, travel documents and firearms through your state's Nlets switch, asks INTERPOL
Washington to confirm a hit, and carries administrative messages. Everything it keeps is
encrypted on this computer, and every search is recorded in its audit trail.</p>
<p>This setup makes the console's profile in <b>{folder}</b>. It asks, in four steps:</p>
<ol><li>your agency's ORI and this terminal's id;</li>
<li>the address of your state switch;</li>
<li>the terminal's certificates;</li>
<li>the first supervisor's operator id and password.</li></ol>
<p><b>What you need.</b> For live work: your agency's PKI bundle (the CA certificate and this
terminal's certificate and key, as your state's control terminal agency issued them) and the
switch address. To try the console alone or for a classroom: nothing more. The setup can make
a training PKI, and this console then runs a training switch with synthetic records itself.</p>
<p>A position of a dispatch centre joins the centre's database below: its operators are
the centre's, and the fourth step names the centre's supervisor who lets it in.</p>
<p>Nothing is written until you press Finish on the last page.</p>"""


class WelcomePage(QWizardPage):
    """What the console is, what the wizard asks, and what the sheriff needs at hand."""

    def __init__(self, profile_dir: Path) -> None:
        super().__init__()
        self.setTitle("Welcome to the INTERPOL dispatch console")
        self.setSubTitle("The first run: a few steps make this console's profile.")
        self.text = label(
            WELCOME.format(folder=html.escape(str(profile_dir))).replace("\n", " "),
            "setupWelcome",
            wrap=True,
            accessible="About the console and this setup",
        )
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.center = CenterChoice(self.completeChanged.emit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.center)
        layout.addStretch(1)

    def isComplete(self) -> bool:
        return self.center.complete


class CheckedPage(QWizardPage):
    """A page whose Next waits until each of its lines keeps its rule."""

    def __init__(self, title: str, subtitle: str) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.form = QFormLayout(self)
        # the whole height of the wizard: laid out at its preferred width, a page would be as
        # short as its rules on one line each, and a wrapped rule was cut once an error went
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.lines: list[CheckedLine] = []

    def line(
        self,
        caption: str,
        name: str,
        rule: str,
        check: Check,
        *,
        text: str = "",
        secret: bool = False,
    ) -> CheckedLine:
        made = CheckedLine(self.form, caption, name, rule, check, text=text, secret=secret)
        made.edit.textChanged.connect(self.completeChanged)
        self.lines.append(made)
        return made

    def isComplete(self) -> bool:
        return all(line.valid for line in self.lines)

    def validatePage(self) -> bool:
        """Next (the button, Enter, or the wizard's own next()) moves on only from a page
        whose lines all keep their rules: a disabled look is not the only guard."""
        for line in self.lines:
            line.refresh()
        return self.isComplete()


class AgencyPage(CheckedPage):
    def __init__(self, profile_dir: Path) -> None:
        super().__init__(
            "Agency and terminal",
            f"Who this console speaks for. The profile goes in {profile_dir}.",
        )
        self.ori = self.line(
            "Agency &ORI",
            "setupOri",
            "9 letters or digits, starting with your state's 2-letter code (e.g. WA0340000), "
            "as on your agency's Nlets papers",
            fields.ori,
        )
        self.terminal = self.line(
            "&Terminal id",
            "setupTerminal",
            "1-8 letters or digits naming this workstation, as on its certificate",
            terminal_id,
            text="T01",
        )

    @property
    def ori_value(self) -> str:
        return self.ori.text.strip().upper()

    @property
    def terminal_value(self) -> str:
        return self.terminal.text.strip().upper()


class SwitchPage(CheckedPage):
    def __init__(self) -> None:
        super().__init__("Switch", "Where the state switch listens, as your state gave it.")
        self.address = self.line(
            "Switch &address",
            "setupSwitch",
            "HOST:PORT, e.g. switch.example.gov:5400 ([::1]:5400 for an IPv6 address)",
            parse_address,
        )
        self.name = self.line(
            "&Certificate name",
            "setupSwitchName",
            "the name the switch's certificate carries; filled in from the address, change it "
            "when your state gave another",
            _switch_name,
        )
        self._name_typed = False  # once typed, the name no longer follows the address
        self.name.edit.textEdited.connect(self._name_edited)
        self.address.edit.textChanged.connect(self._follow_address)

    def _name_edited(self) -> None:
        self._name_typed = True

    def _follow_address(self, text: str) -> None:
        if self.address.valid and not self._name_typed:
            self.name.edit.setText(parse_address(text)[0])


def _switch_name(text: str) -> str:
    if not text.strip():  # an empty name would switch off the host check
        raise FieldError("certificate name", "must name the switch's certificate")
    return text.strip()


class PkiPage(QWizardPage):
    """The agency's certificates from a folder, or a training PKI made in the profile."""

    def __init__(self, agency: AgencyPage, profile_dir: Path) -> None:
        super().__init__()
        self.agency = agency
        self.setTitle("Certificates")
        self.setSubTitle("The switch admits only terminals whose certificates it trusts.")
        self.import_choice = named(
            QRadioButton("&Import the agency's certificates from a folder"),
            "setupImportPki",
            "Import the agency's certificates from a folder",
        )
        self.import_choice.setChecked(True)
        self.training_choice = named(
            QRadioButton("Create a t&raining PKI (classroom or demo only)"),
            "setupTrainingPki",
            "Create a training PKI, for a classroom or demo only",
        )
        self.folder = named(QLineEdit(), "setupPkiFolder", "Certificate folder")
        self.browse = named(QPushButton("C&hoose…"), "setupChoosePki", "Choose the folder")
        self.contents = label("", "fieldHelp", wrap=True, accessible="What the folder holds")
        self.problem = label("", "fieldError", wrap=True, accessible="Certificate folder problem")
        self.training_note = label(
            f"TRAINING ONLY. Makes a practice certificate authority, switch certificate and "
            f"terminal certificate in {profile_dir / TRAINING_PKI}. A real Nlets switch refuses "
            "them, and the profile is marked DEMO everywhere.",
            "fieldHelp",
            wrap=True,
            accessible="About the training PKI",
        )
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.import_choice)
        layout.addLayout(row)
        for widget in (self.contents, self.problem, self.training_choice, self.training_note):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setTabOrder(self.import_choice, self.folder)
        self.setTabOrder(self.folder, self.browse)
        self.setTabOrder(self.browse, self.training_choice)
        self._problem: str | None = ""
        self.folder.textChanged.connect(self.refresh)
        self.import_choice.toggled.connect(self.refresh)
        self.browse.clicked.connect(self._choose)

    def initializePage(self) -> None:
        # on every arrival: the ORI or terminal, and so the file names, may have changed
        ori, terminal = self.agency.ori_value, self.agency.terminal_value
        self.contents.setText(f"The folder must hold {bundle_contents(ori, terminal)}.")
        self.refresh()

    @property
    def chosen_folder(self) -> Path | None:
        """The agency's folder, or None for a training PKI."""
        return None if self.training_choice.isChecked() else self._typed_folder()

    def _typed_folder(self) -> Path:
        return Path(self.folder.text().strip()).expanduser()

    def refresh(self) -> None:
        importing = self.import_choice.isChecked()
        self.folder.setEnabled(importing)
        self.browse.setEnabled(importing)
        text = self.folder.text().strip()
        if not importing:
            self._problem = None
        elif not text:
            self._problem = ""
        else:
            ori, terminal = self.agency.ori_value, self.agency.terminal_value
            self._problem = bundle_problem(self._typed_folder(), ori, terminal)
        self.problem.setText(self._problem or "")
        self.problem.setVisible(bool(self._problem))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self._problem is None

    def validatePage(self) -> bool:
        self.refresh()
        return self.isComplete()

    def _choose(self) -> None:
        dialog = QFileDialog(self, "Folder of the agency's certificates", self.folder.text())
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.fileSelected.connect(self.folder.setText)
        dialog.open()


class CenterChoice(QWidget):
    """On the welcome page: this PC alone, or a position joining a dispatch centre's shared
    database (its address, the position's name there, the centre's console role password)."""

    def __init__(self, changed: Callable[[], None]) -> None:
        super().__init__()
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.lines: list[CheckedLine] = []
        self.alone = named(
            QRadioButton("This PC &alone: its own accounts and audit trail"),
            "setupAlone",
            "This PC alone",
        )
        self.alone.setChecked(True)
        self.join = named(
            QRadioButton("&Join a dispatch centre as one of its positions"),
            "setupJoinCenter",
            "Join a dispatch centre",
        )
        self.form.addRow(self.alone)
        self.form.addRow(self.join)
        self.url = self._line(
            "Centre &database",
            "setupCenterUrl",
            "postgresql://HOST:PORT/DATABASE, as the centre's administrator gave it "
            "(add ?sslmode=verify-full&sslrootcert=CA.pem for the agency's CA)",
            check_center_url,
        )
        self.workstation = self._line(
            "&Position name",
            "setupWorkstation",
            "this position's name at the centre, unique there: 1-40 letters, digits, '.', "
            "'-' or '_'",
            check_workstation,
            text=socket.gethostname()[:40],
        )
        self.password = self._line(
            "Centre &role password",
            "setupCenterPassword",
            "the password of the centre's console role, from its administrator (kept "
            "readable by this profile's owner only)",
            _not_empty,
            secret=True,
        )
        self._changed: Callable[[], None] = lambda: None  # the page is not built yet
        self.refresh()
        self._changed = changed
        for line in self.lines:
            line.edit.textChanged.connect(lambda _text: changed())
        self.alone.toggled.connect(lambda _checked: self.refresh())

    def _line(
        self, caption: str, name: str, rule: str, check: Check, *, text: str = "", **kw: bool
    ) -> CheckedLine:
        made = CheckedLine(self.form, caption, name, rule, check, text=text, **kw)
        self.lines.append(made)
        return made

    @property
    def joining(self) -> bool:
        return self.join.isChecked()

    def refresh(self) -> None:
        for line in self.lines:  # in view only when joining: a sheriff alone never sees them
            line.caption.setVisible(self.joining)
            line.column.setVisible(self.joining)
        self._changed()

    @property
    def complete(self) -> bool:
        return not self.joining or all(line.valid for line in self.lines)

    def forget_password(self) -> None:
        self.password.edit.clear()


def _not_empty(text: str) -> str:
    if not text:
        raise FieldError("password", "is required")
    return text


class OperatorPage(CheckedPage):
    def __init__(self, agency: AgencyPage, center: CenterChoice | None = None) -> None:
        super().__init__(
            "First supervisor",
            "The first account is a supervisor, who then adds the other operators.",
        )
        self.agency = agency
        self.center = center
        self.operator = self.line(
            "&Operator id",
            "setupOperator",
            f"1-{OPERATOR_ID_LENGTH} letters, digits, '.', '-' or '_'",
            operator_id,
        )
        self.password = self.line(
            "&Password",
            "setupPassword",
            f"at least {MIN_PASSWORD} characters; a few unrelated words make a good one. "
            "Common, leaked and easily guessed passwords (such as your id or the ORI) are refused",
            self._check_password,
            secret=True,
        )
        self.repeat = self.line(
            "&Repeat the password",
            "setupPasswordAgain",
            "the same password again",
            self._check_repeat,
            secret=True,
        )
        self.secure = named(
            QCheckBox("This terminal is inside a physically &secure location (CJIS)"),
            "setupSecureLocation",
            "This terminal is inside a physically secure location (CJIS)",
        )
        self.secure.setAccessibleDescription(SECURE_HELP)
        self.form.addRow(self.secure)
        self.form.addRow(label(SECURE_HELP, "fieldHelp", wrap=True, accessible="About it"))
        # the password's rule depends on the id and the ORI, the repeat on the password
        self.operator.edit.textChanged.connect(self.password.refresh)
        self.password.edit.textChanged.connect(self.repeat.refresh)
        for edit in (self.operator.edit, self.password.edit):  # again, after those checks
            edit.textChanged.connect(self.completeChanged)

    @property
    def joining(self) -> bool:
        return self.center is not None and self.center.joining

    def initializePage(self) -> None:
        if self.joining:  # an existing account of the centre: no new password, no repeat
            self.setTitle("The centre's supervisor")
            self.setSubTitle(
                "A supervisor of the centre lets this position in with their password; no "
                "account is made here: operators log on with their centre accounts."
            )
        else:
            self.setTitle("First supervisor")
            self.setSubTitle(
                "The first account is a supervisor, who then adds the other operators."
            )
        self.repeat.edit.setVisible(not self.joining)
        self.repeat.rule.setVisible(not self.joining)
        self.password.refresh()  # the ORI, part of the password's rule, may have changed

    def isComplete(self) -> bool:
        if self.joining:
            return self.operator.valid and bool(self.password.text)
        return super().isComplete()

    def _check_password(self, text: str) -> None:
        if self.joining:
            return  # the centre judges it
        check_password(text, context=(self.operator.text.strip(), self.agency.ori_value))

    def _check_repeat(self, text: str) -> None:
        if text != self.password.text:
            raise FieldError("password", "the two entries differ")

    def forget_password(self) -> None:
        self.password.edit.clear()
        self.repeat.edit.clear()
