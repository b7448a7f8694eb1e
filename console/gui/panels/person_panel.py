"""The Person panel (IPQ): name, date of birth and sex, validated as typed, Enter to search."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from console.domain import fields
from console.domain.messages import Message, PersonInquiry
from console.gui.base.ports import QueryDesk
from console.gui.panels.form import QueryForm, combo, line

SEXES = [("—", ""), ("M male", "M"), ("F female", "F"), ("U unknown", "U")]


class PersonPanel(QueryForm):
    """Emits ``answered`` with the IPQ and its IPR; the newest search replaces one still running."""

    SEND_TEXT = "Search INTERPOL"

    def __init__(self, desk: QueryDesk, parent: QWidget | None = None) -> None:
        super().__init__("Person — INTERPOL wanted / missing (IPQ)", desk, parent)
        self.name_edit = line("personName", "LAST, FIRST MIDDLE", fields.NAME_MAX)
        self.dob_edit = line("personDob", "CCYYMMDD", 8)
        self.sex_combo = combo("personSex", SEXES)
        self.add_field(
            "NAM",
            "Name",
            self.name_edit,
            "LAST, FIRST MIDDLE SUFFIX: the family name, a comma, then the given names; "
            "letters, spaces, hyphens and apostrophes; no titles; up to 100 characters. "
            "Someone with one name: the name and a comma (DEVRAJ,). "
            "Accents are dropped (MÜLLER is searched as MULLER).",
            rule=fields.name,
            ready=lambda text: "," in text,
        )
        self.add_field(
            "DOB",
            "Date of birth",
            self.dob_edit,
            "CCYYMMDD (e.g. 19800131), or MMDDYY as state systems write it. Optional: a date "
            "of birth ranks the true match first.",
            rule=fields.dob,
            ready=lambda text: len(text.strip()) == 8,
        )
        self.add_field("SEX", "Sex", self.sex_combo, "M male, F female, U unknown. Optional.")
        self.send_button.setAccessibleName("Search INTERPOL notices")
        self.clear_button.setAccessibleName("Clear the person form")

    def compose(self) -> Message:
        return self.desk.compose.person(
            self.name_edit.text(), self.dob_edit.text(), self.sex_combo.currentData() or ""
        )

    def fill(self, message: Message) -> None:
        body = message.body
        if not isinstance(body, PersonInquiry):
            return
        self.name_edit.setText(body.name)
        self.dob_edit.setText(f"{body.dob:%Y%m%d}" if body.dob else "")
        self.sex_combo.setCurrentIndex(
            max(0, self.sex_combo.findData(body.sex.value if body.sex else ""))
        )
        self.check_as_typed()
