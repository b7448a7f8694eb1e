"""Imported INTERPOL notices (public JSON shape, synthetic people) end to end through the real
switch over mutual TLS: found by name with and without date of birth, the full record with its
id as issued, first charge line and issuing country, the YQ it prefills confirmed with its NIC
as issued, the JSON export keeping it; and the switch's import report at start."""

from __future__ import annotations

import asyncio
import json
import re
import sys
from pathlib import Path

import pytest

from console.broker.session import Session
from console.domain.codes import Confirmation
from console.domain.hits import confirmation_values, message_json
from console.domain.messages import CandidateList, HitConfirmationResponse, RecordResponse
from console.domain.script import text_lines
from console.protocol import legacy
from console.switch.catalog import build_dataset
from console.switch.confirmations import ConfirmationPolicy
from console.switch.dataset import Dataset
from tests.helpers.cli import run
from tests.helpers.desk import desk_session, desk_switch, sleep
from tests.helpers.interpol_json import Fixtures, write_fixtures
from tests.helpers.network import OPERATOR, ORI

__all__ = ["desk_session", "desk_switch", "sleep"]  # fixtures used by the tests below


@pytest.fixture
def files(tmp_path: Path) -> Fixtures:
    return write_fixtures(tmp_path / "interpol")


@pytest.fixture
def dataset(files: Fixtures) -> Dataset:
    """The switch serves the imported notices alone, list pages read before the details."""
    return build_dataset(0, 0, [files.lists, files.details])


@pytest.fixture
def policy() -> ConfirmationPolicy:
    return ConfirmationPolicy(urgent_delay=0, routine_delay=0)


async def test_every_imported_record_is_found_shown_confirmed_and_exported_as_issued(
    desk_session: Session, files: Fixtures, dataset: Dataset
) -> None:
    broker = desk_session.broker
    for colour, source in files.sources:
        eid = source["entity_id"]
        notice = dataset.get(eid)
        assert notice is not None and notice.eid == eid
        by_name = await broker.submit(broker.person_query(notice.nam), timeout=20)
        assert isinstance(by_name.body, CandidateList)
        assert eid in [c.eid for c in by_name.body.candidates], notice.nam
        if notice.date_of_birth:
            dated = await broker.submit(broker.person_query(notice.nam, notice.dob_text))
            assert isinstance(dated.body, CandidateList)
            assert dated.body.candidates[0].eid == eid and dated.body.candidates[0].score == 100

        fpr = await broker.submit(broker.record_query(eid), timeout=20)
        assert isinstance(fpr.body, RecordResponse) and fpr.body.notice is not None
        shown = fpr.body.notice
        text = legacy.format_message(fpr)
        assert f"FULL RECORD EID/{eid}\n" in text and fpr.response_text in text
        if colour == "red":
            warrant = source["arrest_warrants"][0]
            first = text_lines(warrant["charge"])[0]
            assert f"WARRANT 1. ISSUED BY {warrant['issuing_country_id']}: {first}" in text

        values = confirmation_values(shown)
        assert values["NIC"] == eid
        request = broker.compose.hit_confirmation(
            values["RTY"],
            values["NIC"],
            "U",
            name=values["NAM"],
            dob=values.get("DOB", ""),
            sex=values["SEX"],
        )
        assert f"NIC/{eid}." in legacy.format_query(request)
        yr = await broker.submit(request, timeout=20)
        assert isinstance(yr.body, HitConfirmationResponse)
        assert yr.body.nic == eid and yr.body.status is Confirmation.CONFIRMED, yr.body.text

        exported = json.loads(message_json(fpr, exported_by=OPERATOR, ori=ORI))
        assert exported["body"]["notice"]["eid"] == eid
    events = [(r.event, r.outcome) for r in await desk_session.store.audit_records()]
    assert ("answer", "FPR record") in events


async def test_an_id_typed_with_a_leading_zero_is_answered_as_issued(
    desk_session: Session,
) -> None:
    broker = desk_session.broker
    fpr = await broker.submit(broker.record_query("2013/07678"), timeout=20)
    assert isinstance(fpr.body, RecordResponse) and fpr.body.notice is not None
    assert (fpr.body.eid, fpr.body.notice.eid) == ("2013/07678", "2013/7678")
    assert "EID/2013/07678 ASKED: FOUND AS EID/2013/7678" in fpr.response_text
    missing = await broker.submit(broker.person_query("QWERTYZ, XAVER", "19800101"))
    assert "MATCHES THE NAME AND DATE OF BIRTH GIVEN." in missing.response_text


async def test_the_switch_prints_its_import_report_at_start(
    tmp_path: Path, files: Fixtures
) -> None:
    pki = tmp_path / "pki"
    assert (await run("pki", "init", str(pki), "--ori", ORI)).code == 0
    (files.lists / "broken.json").write_text(
        json.dumps({"_embedded": {"notices": [{"name": "NOBODY"}]}}), "utf-8"
    )
    switch = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "console", "switch", "--listen", "127.0.0.1:0"),
        *("--pki", str(pki), "--synthetic", "0"),
        *("--dataset", str(files.lists), "--dataset", str(files.details)),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert switch.stdout is not None and switch.stderr is not None
        line = (await asyncio.wait_for(switch.stdout.readline(), 90)).decode()
        assert re.fullmatch(r"listening on 127\.0\.0\.1:\d+\n", line), line
        report = [(await switch.stderr.readline()).decode().rstrip("\n") for _ in range(3)]
    finally:
        switch.terminate()
        await asyncio.wait_for(switch.wait(), 30)
    assert report == [
        f"dataset {files.lists}: 7 records from 7 entries, 0 merged, 1 skipped",
        f"  skipped {files.lists / 'broken.json'} notice 0: no entity_id",
        f"dataset {files.details}: 7 records from 7 entries, 7 merged, 0 skipped",
    ]
