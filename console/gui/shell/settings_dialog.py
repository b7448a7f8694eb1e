"""The settings dialog: the profile's typed settings with their help, checked by the schema;
a change is saved, audited, and the look (theme, text size, sounds) applies at once."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from console.broker.pki_import import import_pki
from console.broker.profile import THEMES, PkiError, Settings, SettingsError, bounds_of
from console.broker.session import parse_address
from console.domain.errors import ConsoleError, FieldError
from console.gui.base.ports import Auditor, SettingsFile
from console.gui.base.presenter import present
from console.gui.base.widgets import label, named

CONNECTION = ("ori", "terminal", "switch_host", "switch_port", "switch_name")
LOOK = ("theme", "sounds", "font_size")
NUMBERS = (  # shown as spin boxes, each with the range its setting keeps (bounds_of)
    "person_cache_minutes",
    "cache_retention_days",
    "watch_minutes",
    "answer_timeout",
    "lock_minutes",
    "font_size",
)
# the name an error gives a field -> the editor it is typed in
ERROR_FIELDS = {"ORI": "ori", "terminal": "terminal", "switch address": "switch"}


def help_of(name: str) -> str:
    found = next(f for f in dataclasses.fields(Settings) if f.name == name)
    return str(found.metadata.get("help", ""))


class SettingsDialog(QDialog):
    applied = Signal(object)  # Settings, once saved and audited

    def __init__(
        self,
        settings: Settings,
        *,
        settings_file: SettingsFile | None,
        audit: Auditor,
        unsaved_because: str = "these settings cannot be saved here",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settingsDialog")
        self.current = settings
        self._file = settings_file
        self._audit = audit
        self._agency = settings_file.agency if settings_file else ()
        self.edits: dict[str, QWidget] = {}
        form = QFormLayout()
        self._line(form, "ori", "Agency ORI", settings.ori)
        self._line(form, "terminal", "Terminal", settings.terminal)
        address = f"{settings.switch_host}:{settings.switch_port}"
        self._line(form, "switch", "Switch address", address, "switch address (HOST:PORT)")
        self._line(form, "switch_name", "Switch certificate name", settings.switch_name)
        pki = str(settings_file.pki_dir) if settings_file else ""
        self.pki_edit = named(QLineEdit(pki), "setting_pki", "PKI folder")
        pki_help = (
            "folder holding the terminal's certificate and key (as 'pki init' makes them); "
            "a certificate from another folder is checked and copied into the profile"
        )
        self.pki_edit.setToolTip(pki_help)
        self.pki_edit.setAccessibleDescription(pki_help)
        self.edits["pki"] = self.pki_edit
        browse = named(QPushButton("Choose…"), "choosePki", "Choose the PKI folder")
        browse.clicked.connect(self._choose_pki)
        pki_row = QWidget()
        row = QHBoxLayout(pki_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.pki_edit, 1)
        row.addWidget(browse)
        form.addRow("PKI folder", pki_row)
        for name in ("person_cache_minutes", "cache_retention_days", "watch_minutes"):
            self._number(form, name, getattr(settings, name))
        self._number(form, "answer_timeout", settings.answer_timeout)
        secure = named(
            QCheckBox("Inside a physically secure location (CJIS)"),
            "setting_secure_location",
            "Secure location",
        )
        secure.setChecked(settings.secure_location)
        self._row(form, "secure_location", "Secure location", secure)
        self._number(form, "lock_minutes", settings.lock_minutes)
        theme = named(QComboBox(), "setting_theme", "Theme")
        for value in THEMES:
            theme.addItem(value.capitalize(), value)
        theme.setCurrentIndex(max(0, theme.findData(settings.theme)))
        self._row(form, "theme", "Theme", theme)
        sounds = named(QCheckBox("Sound urgent alerts"), "setting_sounds", "Sounds")
        sounds.setChecked(settings.sounds)
        self._row(form, "sounds", "Sounds", sounds)
        self._number(form, "font_size", settings.font_size)
        self.error_label = label("", "fieldError", wrap=True, accessible="Settings error")
        self.error_label.hide()
        agency_note = (
            " Settings marked (agency) are saved at the dispatch centre and apply at every "
            "position from its next logon; they cannot be saved while the centre is unreachable."
            if self._agency
            else ""
        )
        self.note = label(
            "ORI, terminal, switch and PKI changes take effect at the next logon; the theme, "
            "text size and sounds at once. Every change is recorded in the audit trail."
            + agency_note,
            "settingsNote",
            wrap=True,
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        named(self.save_button, "saveSettings", "Save the settings")
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        named(cancel, "cancelSettings", "Close without saving")
        self.save_button.setEnabled(settings_file is not None)
        # a Save that cannot save says so, rather than looking live and doing nothing
        self.unsaved = label(
            f"Not saved: {unsaved_because}.", "settingsUnsaved", wrap=True, accessible="Why not"
        )
        self.unsaved.setVisible(settings_file is None)
        self.save_button.setToolTip("" if settings_file else f"Not saved: {unsaved_because}")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.note)
        layout.addWidget(self.unsaved)
        layout.addWidget(buttons)
        self.resize(620, 0)

    def _row(self, form: QFormLayout, name: str, caption: str, editor: QWidget) -> None:
        help_text = help_of(name) if name in {f.name for f in dataclasses.fields(Settings)} else ""
        if name in self._agency:  # a position of a centre: one value for every position
            caption += " (agency)"
            help_text = f"{help_text}; the agency's: saved at the centre for every position"
        editor.setToolTip(help_text)
        editor.setAccessibleDescription(help_text)
        form.addRow(caption, editor)
        self.edits[name] = editor

    def _line(
        self, form: QFormLayout, name: str, caption: str, value: str, help_text: str = ""
    ) -> QLineEdit:
        edit = named(QLineEdit(value), f"setting_{name}", caption)
        self._row(form, name, caption, edit)
        if help_text:
            edit.setToolTip(help_text)
            edit.setAccessibleDescription(help_text)
        return edit

    def _number(self, form: QFormLayout, name: str, value: float) -> None:
        bounds = bounds_of(name)
        spin = named(QDoubleSpinBox(), f"setting_{name}", name.replace("_", " ").capitalize())
        step = 10.0**-bounds.decimals  # the least a value above an open lower bound can be
        low = bounds.low + step if bounds.above_low else bounds.low
        spin.setRange(low, bounds.high if bounds.high is not None else 1e9)
        spin.setDecimals(bounds.decimals)
        spin.setSuffix(bounds.suffix)
        spin.setValue(value)
        self._row(form, name, name.replace("_", " ").capitalize(), spin)

    def _choose_pki(self) -> None:
        dialog = QFileDialog(self, "PKI folder", self.pki_edit.text())
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.fileSelected.connect(self.pki_edit.setText)
        dialog.open()

    def value(self, name: str) -> object:
        editor = self.edits[name]
        if isinstance(editor, QLineEdit):
            return editor.text().strip()
        if isinstance(editor, QDoubleSpinBox):
            return editor.value()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        assert isinstance(editor, QComboBox)
        return editor.currentData()

    def edited(self) -> Settings:
        """The settings as edited; SettingsError or FieldError names a wrong value."""
        terminal = str(self.value("terminal")).upper()
        if not (terminal.isascii() and terminal.isalnum() and len(terminal) <= 8):
            # the rule of the certificate's terminal id, which must fit the new value
            raise FieldError("terminal", "must be 1-8 letters or digits", terminal)
        try:
            host, port = parse_address(str(self.value("switch")))
        except FieldError as exc:
            raise FieldError("switch address", exc.rule, exc.value) from None
        changes: dict[str, object] = {
            "ori": str(self.value("ori")).upper(),
            "terminal": terminal,
            "switch_host": host,
            "switch_port": port,
            "switch_name": self.value("switch_name"),
        }
        for name in ("theme", "sounds", "secure_location", *NUMBERS):
            changes[name] = self.value(name)
        return dataclasses.replace(self.current, **changes)  # type: ignore[arg-type]

    def _take_pki(self, new: Settings, changed: list[str]) -> bool:
        """Take in the certificates the edit names; True when it did."""
        assert self._file is not None
        pki = Path(str(self.value("pki")))
        imported = pki.resolve() != self._file.pki_dir.resolve() or any(
            name in ("ori", "terminal") for name in changed
        )
        if imported:
            try:
                import_pki(pki, self._file.pki_dir, new.ori, new.terminal)
            except PkiError as exc:
                raise PkiError(f"PKI folder: {exc}") from None
        return imported

    @asyncSlot()
    async def save(self) -> None:
        try:
            new = self.edited()
            changed = [
                f.name
                for f in dataclasses.fields(Settings)
                if getattr(new, f.name) != getattr(self.current, f.name)
            ]
            if self._file is not None:
                imported = self._take_pki(new, changed)
                await self._file.save(new)  # a small TOML file (the agency's part: the centre)
                if imported:
                    changed.append("pki")
            await self._audit.audit("settings", "changed", ", ".join(changed) or "nothing")
        except (ConsoleError, OSError) as exc:
            self.refuse(exc)
            return
        self.error_label.hide()
        self.current = new
        self.applied.emit(new)
        self.accept()

    def refuse(self, error: ConsoleError | OSError) -> None:
        """Say what is wrong (the message names the field and its rule) and go to the field."""
        present(self.error_label, "", error)
        self.error_label.show()
        name = ""
        if isinstance(error, FieldError):
            name = ERROR_FIELDS.get(error.field, error.field)
        elif isinstance(error, PkiError):
            name = "pki"
        elif isinstance(error, SettingsError):
            name = str(error).split(":", 1)[0]
        editor = self.edits.get(name)
        if editor is not None:
            editor.setFocus()
