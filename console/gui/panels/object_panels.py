"""The object panels: stolen vehicles (IVQ), travel documents (ITQ) and guns (IGQ)."""

from __future__ import annotations

import pycountry
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from console.domain import fields
from console.domain.codes import DocumentType
from console.domain.errors import FieldError
from console.domain.messages import DocumentInquiry, GunInquiry, Message, VehicleInquiry
from console.gui.base.ports import QueryDesk
from console.gui.panels.form import QueryForm, combo, line

ANY = "—"


class VehiclePanel(QueryForm):
    """IVQ: a VIN, an engine number or both; a VIN's unusual check digit is a warning only."""

    SEND_TEXT = "Search stolen vehicles"

    def __init__(self, desk: QueryDesk, parent: QWidget | None = None) -> None:
        super().__init__("Vehicle — INTERPOL stolen motor vehicles (IVQ)", desk, parent)
        self.vin_edit = line("vehicleVin", "17-character VIN", fields.VIN_MAX)
        self.engine_edit = line("vehicleEngine", "engine number", 20)
        self.add_field(
            "VIN",
            "Vehicle identification number",
            self.vin_edit,
            "17 letters and digits, never I, O or Q; position 9 is a check digit, required "
            "for vehicles made for North America (1-5) and China (L). Makers elsewhere often "
            "put something else there: a mismatch is then only a warning. Pre-1981 and some "
            "trailers and motorcycles carry shorter numbers (up to 20).",
            rule=fields.vin,
            ready=lambda text: len("".join(text.split())) >= 17,
        )
        self.add_field(
            "ENG",
            "Engine number",
            self.engine_edit,
            "The engine number, 1-20 letters, digits, spaces or hyphens. Give it with or "
            "instead of the VIN.",
            rule=fields.engine_number,
        )

    def compose(self) -> Message:
        return self.desk.compose.vehicle(self.vin_edit.text(), self.engine_edit.text())

    def warn(self) -> str:
        text = "".join(self.vin_edit.text().split()).upper()
        if len(text) < 17:
            return ""
        try:
            return fields.vin_warning(fields.vin(text)) or ""
        except FieldError:
            return ""

    def fill(self, message: Message) -> None:
        body = message.body
        if isinstance(body, VehicleInquiry):
            self.vin_edit.setText(body.vin or "")
            self.engine_edit.setText(body.engine or "")
            self.check_as_typed()


def country_items() -> list[tuple[str, str]]:
    """Every ISO 3166 country: its two- and three-letter codes and its name, by name."""
    countries = sorted(pycountry.countries, key=lambda c: str(c.name))
    return [(f"{c.alpha_2} {c.alpha_3} — {c.name}", str(c.alpha_2)) for c in countries]


class CountryPicker(QComboBox):
    """CNT: pick from the list, or type a code (FR or FRA) or part of a name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentCountry")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(10)
        self.addItem(ANY, "")
        for text, code in country_items():
            self.addItem(text, code)
        completer = self.completer()
        edit = self.lineEdit()
        assert completer is not None and edit is not None  # an editable combo has both
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        edit.setPlaceholderText("country (FR, FRA or a name)")
        self.edit = edit
        self.setCurrentIndex(0)

    def code(self) -> str:
        """The picked country's alpha-2 code, or what was typed (checked by the CNT rule)."""
        text = self.currentText().strip()
        if text in ("", ANY):
            return ""
        found = self.findText(text)
        if found >= 0:
            return str(self.itemData(found) or "")
        return text.split()[0] if text else ""

    def set_code(self, code: str) -> None:
        self.setCurrentIndex(max(0, self.findData(code)))


class DocumentPanel(QueryForm):
    """ITQ: the document number, narrowed by its type and issuing country."""

    SEND_TEXT = "Search travel documents"

    def __init__(self, desk: QueryDesk, parent: QWidget | None = None) -> None:
        super().__init__("Travel document — INTERPOL stolen and lost (ITQ)", desk, parent)
        self.number_edit = line("documentNumber", "document number", 24)
        types = [(ANY, "")] + [(f"{t.value} — {t.meaning}", t.value) for t in DocumentType]
        self.type_combo = combo("documentType", types)
        self.country_picker = CountryPicker()
        self.add_field(
            "DID",
            "Document number",
            self.number_edit,
            "The number as printed, 1-20 letters and digits (spaces and hyphens are dropped).",
            rule=fields.document_number,
        )
        self.add_field(
            "TYP",
            "Document type",
            self.type_combo,
            "P passport, I identity card, V visa, R residence permit, T refugee or stateless "
            "person's travel document. Optional.",
        )
        self.add_field(
            "CNT",
            "Issuing country",
            self.country_picker,
            "The issuing country: pick it, or type its ISO code (FR or FRA, as in the "
            "passport's machine-readable zone). Optional.",
        )
        self.country_picker.edit.textEdited.connect(self.check_as_typed)
        self.country_picker.edit.returnPressed.connect(self.send_button.click)

    def check_as_typed(self) -> None:
        super().check_as_typed()
        code = self.country_picker.code()
        if not self.error_label.isVisible() and len(code) >= 2 and code.isalpha():
            try:
                fields.country(code)
            except FieldError as exc:
                self.show_error(str(exc))

    def compose(self) -> Message:
        return self.desk.compose.document(
            self.number_edit.text(),
            self.type_combo.currentData() or "",
            self.country_picker.code(),
        )

    def fill(self, message: Message) -> None:
        body = message.body
        if isinstance(body, DocumentInquiry):
            self.number_edit.setText(body.number)
            doc_type = body.doc_type.value if body.doc_type else ""
            self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(doc_type)))
            self.country_picker.set_code(body.country or "")
            self.check_as_typed()


class GunPanel(QueryForm):
    """IGQ: a gun's serial number."""

    SEND_TEXT = "Search firearms"

    def __init__(self, desk: QueryDesk, parent: QWidget | None = None) -> None:
        super().__init__("Gun — INTERPOL stolen, lost, trafficked (IGQ)", desk, parent)
        self.serial_edit = line("gunSerial", "serial number", 20)
        self.add_field(
            "SER",
            "Serial number",
            self.serial_edit,
            "The serial number as stamped on the frame, 1-20 letters, digits, spaces or "
            "hyphens. Check for worn or altered digits.",
            rule=fields.serial_number,
        )

    def compose(self) -> Message:
        return self.desk.compose.gun(self.serial_edit.text())

    def fill(self, message: Message) -> None:
        if isinstance(message.body, GunInquiry):
            self.serial_edit.setText(message.body.serial)
            self.check_as_typed()
