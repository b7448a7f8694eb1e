"""The full-record viewer: notice colour banner, photo, identity, warrants, the hit caution."""

from __future__ import annotations

import html

import pycountry
from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from console.domain.records import PersonNotice
from console.gui.theme import NOTICE_COLOURS
from console.gui.widgets import label, named

CAUTION = (
    "A hit is not probable cause. Confirm with INTERPOL Washington (hit confirmation, YQ) "
    "before you act on it."
)
EYES = {
    "BLA": "black",
    "BRO": "brown",
    "BLU": "blue",
    "GRE": "green",
    "HAZ": "hazel",
    "GRY": "grey",
}
HAIR = {
    "BLA": "black",
    "BRO": "brown",
    "BLN": "blond",
    "GRY": "grey",
    "RED": "red",
    "WHI": "white",
    "BAL": "bald",
}


def country_name(code: str) -> str:
    """ISO-2 code to a readable name; unknown codes are shown raw, never refused."""
    found = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
    return f"{found.name} ({code})" if found else code


def language_name(code: str) -> str:
    """ISO 639 code (INTERPOL uses the bibliographic forms: GER, FRE, CHI) to a name."""
    found = None
    if len(code) == 3:
        found = pycountry.languages.get(alpha_3=code.lower()) or pycountry.languages.get(
            bibliographic=code.lower()
        )
    # pycountry names some languages by period ("Modern Greek (1453-)"): keep the plain name
    return str(found.name).split(" (")[0] if found else code


class RecordView(QWidget):
    """Shows one PersonNotice; ``show_notice`` replaces what is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.banner = label("", "noticeBanner", wrap=True)
        self.banner.setAccessibleName("Notice kind")
        self.browser = named(QTextBrowser(), "recordText")
        self.browser.setAccessibleName("Full record")
        self.browser.setOpenLinks(False)
        self.caution = label(CAUTION, "hitCaution", wrap=True)
        self.caution.setAccessibleName("Hit caution")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.note = label("", "recordNote", wrap=True, accessible="Record note")
        self.note.hide()
        layout.addWidget(self.banner)
        layout.addWidget(self.note)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.caution)
        self.notice: PersonNotice | None = None
        self.show_placeholder("Open a candidate (Enter or double-click) to see its full record.")

    def show_placeholder(self, text: str) -> None:
        self.notice = None
        self.note.hide()
        self.banner.hide()
        self.caution.hide()
        self.browser.setHtml(f"<p style='color:#888'>{html.escape(text)}</p>")

    def show_notice(self, notice: PersonNotice, note: str = "") -> None:
        """Show a full record; ``note`` says where it came from when not fresh from INTERPOL."""
        self.notice = notice
        self.note.setText(note)
        self.note.setVisible(bool(note))
        colour = NOTICE_COLOURS.get(notice.colour.value, "#555555")
        ink = "#000" if notice.colour.value in ("YELLOW", "ORANGE") else "#fff"
        self.banner.setText(f"{notice.colour.value} NOTICE — {notice.colour.meaning}")
        self.banner.setStyleSheet(f"background:{colour}; color:{ink};")
        self.banner.show()
        self.caution.show()
        document = self.browser.document()
        for number, photo in enumerate(notice.photos):
            image = QImage.fromData(photo.data)
            document.addResource(
                QTextDocument.ResourceType.ImageResource, QUrl(f"photo:{number}"), image
            )
        self.browser.setHtml(render_notice(notice))


def render_notice(notice: PersonNotice) -> str:
    esc = html.escape
    rows: list[tuple[str, str]] = [("Name", notice.nam)]
    if notice.native_name:
        rows.append(("Original script", notice.native_name))
    if notice.birth_name:
        rows.append(("Birth name", notice.birth_name))
    rows.append(("Sex", {"M": "male", "F": "female"}.get(notice.sex.value, "unknown")))
    born = notice.date_of_birth.isoformat() if notice.date_of_birth else notice.dob_text
    rows.append(("Date of birth", born or "unknown"))
    place = ", ".join(
        filter(None, [notice.place_of_birth, country_name(notice.country_of_birth or "")])
    )
    if place:
        rows.append(("Place of birth", place))
    rows.append(("Nationality", "; ".join(map(country_name, notice.nationalities)) or "unknown"))
    if notice.height_m:
        rows.append(("Height", f"{notice.height_m:.2f} m"))
    if notice.weight_kg:
        rows.append(("Weight", f"{notice.weight_kg:g} kg"))
    if notice.eye_colours:
        rows.append(("Eyes", ", ".join(EYES.get(c, c) for c in notice.eye_colours)))
    if notice.hair_colours:
        rows.append(("Hair", ", ".join(HAIR.get(c, c) for c in notice.hair_colours)))
    if notice.languages:
        rows.append(("Languages", ", ".join(map(language_name, notice.languages))))
    if notice.distinguishing_marks:
        rows.append(("Marks", notice.distinguishing_marks))
    if notice.date_of_event or notice.place_of_event:
        when = notice.date_of_event.isoformat() if notice.date_of_event else "unknown date"
        where = ", ".join(
            filter(None, [notice.place_of_event, country_name(notice.country_of_event or "")])
        )
        rows.append(("Missing since", f"{when} — {where}" if where else when))
    table = "".join(
        f"<tr><td class='k'>{esc(k)}</td><td><b>{esc(v)}</b></td></tr>" for k, v in rows
    )
    photo = (
        "<img src='photo:0' width='160'>"
        if notice.photos
        else "<div style='color:#888'>no photo</div>"
    )
    parts = [
        f"<h2>{esc(notice.nam)}</h2><p>INTERPOL record <b>{esc(notice.eid)}</b></p>",
        f"<table cellspacing='0' cellpadding='4'><tr><td valign='top'>{photo}</td>"
        f"<td valign='top'><table cellpadding='2'>{table}</table></td></tr></table>",
    ]
    if notice.warrants:
        parts.append("<h3>Arrest warrants</h3><ol>")
        for warrant in notice.warrants:
            charge = esc(warrant.charge).replace("\n", "<br>")
            parts.append(
                f"<li><b>{charge}</b><br>issued by {esc(country_name(warrant.issuing_country))}"
            )
            if warrant.charge_translation:
                parts.append(f"<br><i>Translation: {esc(warrant.charge_translation)}</i>")
            parts.append("</li>")
        parts.append("</ol>")
    if notice.linked:
        parts.append("<h3>Linked notices</h3><ul>")
        for link in notice.linked:
            colour = getattr(link.colour, "value", link.colour)
            parts.append(f"<li>{esc(str(colour))} {esc(link.eid)} — {esc(link.name)}</li>")
        parts.append("</ul>")
    return "".join(parts)
