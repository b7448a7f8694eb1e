"""Property: every id the importer reads comes back byte-identical in every layout: the legacy
and XML answers, the candidate list, the record viewer, the YQ it prefills and the export."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.domain.codes import INTERPOL_WASHINGTON_ORI, MessageKey
from console.domain.hits import confirmation_values, message_json
from console.domain.messages import (
    Body,
    CandidateList,
    Header,
    HitConfirmationRequest,
    Message,
    PersonInquiry,
    RecordInquiry,
    RecordResponse,
)
from console.gui.results.models import EID_COLUMN, shown_candidate
from console.gui.results.render import render_notice
from console.protocol import legacy, xmlcodec
from console.switch.dataset import Dataset
from console.switch.gateway import lookup
from console.switch.importer import import_notices
from tests.helpers.interpol_json import detail, list_page, write
from tests.helpers.network import ORI

# INTERPOL's own ids (1 to 6 serial digits, leading zeros as issued) and anything else the
# Nlets rule allows (1-30 letters and digits divided by one slash)
INTERPOL_IDS = st.builds(
    lambda year, serial: f"{year}/{serial}",
    st.integers(1946, 2030),
    st.from_regex(r"[0-9]{1,6}", fullmatch=True),
)
NLETS_IDS = st.from_regex(r"[A-Za-z0-9]{1,14}/[A-Za-z0-9]{1,15}", fullmatch=True)


def answered(key: MessageKey, body: Body) -> Message:
    """The answer as the console receives it: through the XML codec."""
    header = Header(key, INTERPOL_WASHINGTON_ORI, ORI, "C1")
    return xmlcodec.decode(xmlcodec.encode(Message(header, body)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(eid=st.one_of(INTERPOL_IDS, NLETS_IDS), listed_first=st.booleans())
def test_every_imported_id_comes_back_byte_identical(eid: str, listed_first: bool) -> None:
    source = {
        "entity_id": eid,
        "name": "SAMPLEWORTH",
        "forename": "Anna",
        "date_of_birth": "1980/01/02",
        "sex_id": "F",
        "nationalities": ["XX"],
        "arrest_warrants": [{"charge": "Fraud", "issuing_country_id": "XX"}],
        "thumbnail": True,
    }
    with tempfile.TemporaryDirectory() as folder:
        red = write(Path(folder) / "detail.json", detail("red", source))
        page = write(Path(folder) / "page.json", list_page("red", [source], 1, 1, 1))
        imported = import_notices([page, red] if listed_first else [red, page])
    (notice,) = imported.records()
    assert notice.eid == eid
    dataset = Dataset(imported.records(), imported.with_photo)

    search = lookup(dataset, MessageKey.IPQ, PersonInquiry("SAMPLEWORTH, ANNA", date(1980, 1, 2)))
    candidates = answered(MessageKey.IPR, search)
    assert isinstance(candidates.body, CandidateList)
    (cand,) = candidates.body.candidates
    assert cand.eid == eid
    assert f" EID/{eid} RED " in legacy.render_body(candidates.body)
    assert shown_candidate(cand).cells[EID_COLUMN] == eid == shown_candidate(cand).eid

    record = answered(MessageKey.FPR, lookup(dataset, MessageKey.FPQ, RecordInquiry(cand.eid)))
    assert isinstance(record.body, RecordResponse) and record.body.notice is not None
    shown = record.body.notice
    assert (record.body.eid, shown.eid) == (eid, eid)
    assert legacy.render_body(record.body).splitlines()[0].endswith(f" EID/{eid}")
    assert f"INTERPOL record <b>{eid}</b>" in render_notice(shown, record.body.eid)

    values = confirmation_values(shown)
    line = ".".join(f"{k}/{v}" for k, v in values.items() if k in ("RTY", "NIC", "NAM"))
    request = legacy.parse_line(f"YQ.{ORI}.{INTERPOL_WASHINGTON_ORI}.TXT {line}.PRI/U")
    assert isinstance(request.body, HitConfirmationRequest) and request.body.nic == eid
    sent = xmlcodec.decode(xmlcodec.encode(request)).body
    assert isinstance(sent, HitConfirmationRequest) and sent.nic == eid
    assert f"NIC/{eid}." in legacy.format_query(request) + "."

    exported = json.loads(message_json(record, exported_by="OPR1", ori=ORI))
    assert exported["body"]["eid"] == exported["body"]["notice"]["eid"] == eid
