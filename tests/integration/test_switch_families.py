"""Every INTERPOL family over real TLS: lines as operators type them, answers in both layouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.domain.codes import Family, MessageKey
from console.domain.messages import Message, ObjectList, ObjectResponse
from console.domain.objects import Gun, StolenVehicle, TravelDocument
from console.protocol import legacy
from console.switch.dataset import Dataset
from tests.helpers.desk import ask, context_of, desk_switch, policy, sleep
from tests.helpers.network import ORI, RunningSwitch, terminal

__all__ = ["desk_switch", "policy", "sleep"]  # fixtures used by the tests below


def matches_of(answer: Message) -> ObjectList:
    assert isinstance(answer.body, ObjectList)
    return answer.body


async def test_vehicle_by_vin_then_full_record(
    desk_switch: RunningSwitch, pki_dir: Path, dataset: Dataset
) -> None:
    car = next(v for v in dataset.vehicles if len(v.vin) == 17 and v.engine_number)
    async with terminal(desk_switch, context_of(pki_dir)) as streams:
        ivr = await ask(streams, f"IVQ.{ORI}.IP.V1.TXT VIN/{car.vin}")
        assert ivr.key is MessageKey.IVR and ivr.control == "V1"
        found = matches_of(ivr).matches[0]
        assert (found.eid, found.score) == (car.eid, 100)
        assert f"EID/{car.eid}" in ivr.response_text and car.vin in ivr.response_text

        fvr = await ask(streams, f"FVQ.{ORI}.IP.V2.TXT EID/{car.eid}")
        assert fvr.key is MessageKey.FVR
        assert isinstance(fvr.body, ObjectResponse)
        record = fvr.body.record
        assert isinstance(record, StolenVehicle)
        assert (record.vin, record.engine_number, record.make) == (
            car.vin,
            car.engine_number,
            car.make,
        )
        assert car.vin in fvr.response_text and legacy.CAUTION in fvr.response_text

        by_engine = await ask(streams, f"IVQ.{ORI}.IP.V3.TXT ENG/{car.engine_number}")
        assert car.eid in [m.eid for m in matches_of(by_engine).matches]


async def test_vin_misread_by_one_character_is_still_found(
    desk_switch: RunningSwitch, pki_dir: Path, dataset: Dataset
) -> None:
    car = next(v for v in dataset.vehicles if len(v.vin) == 17 and v.vin[0] not in "12345L")
    misread = car.vin[:-1] + ("7" if car.vin[-1] != "7" else "8")
    async with terminal(desk_switch, context_of(pki_dir)) as streams:
        ivr = await ask(streams, f"IVQ.{ORI}.IP.TXT VIN/{misread}")
    hit = next(m for m in matches_of(ivr).matches if m.eid == car.eid)
    assert hit.score < 100 and "1 CHARACTER" in hit.reason


async def test_travel_document_search_then_full_record(
    desk_switch: RunningSwitch, pki_dir: Path, dataset: Dataset
) -> None:
    doc = next(d for d in dataset.documents if d.holder_family_name)
    line = (
        f"ITQ.{ORI}.IP.D1.TXT DID/{doc.number}.TYP/{doc.doc_type.value}.CNT/{doc.issuing_country}"
    )
    async with terminal(desk_switch, context_of(pki_dir)) as streams:
        itr = await ask(streams, line)
        assert itr.key is MessageKey.ITR
        assert matches_of(itr).matches[0].eid == doc.eid
        assert doc.number in itr.response_text

        ftr = await ask(streams, f"FTQ.{ORI}.IP.D2.TXT EID/{doc.eid}")
    assert ftr.key is MessageKey.FTR
    assert isinstance(ftr.body, ObjectResponse)
    assert isinstance(ftr.body.record, TravelDocument)
    assert ftr.body.record.holder == doc.holder
    assert doc.number in ftr.response_text


async def test_gun_search_then_full_record(
    desk_switch: RunningSwitch, pki_dir: Path, dataset: Dataset
) -> None:
    gun = next(iter(dataset.guns))
    async with terminal(desk_switch, context_of(pki_dir)) as streams:
        igr = await ask(streams, f"IGQ.{ORI}.IP.G1.TXT SER/{gun.serial}")
        assert igr.key is MessageKey.IGR
        assert matches_of(igr).matches[0].eid == gun.eid

        fgr = await ask(streams, f"FGQ.{ORI}.IP.G2.TXT EID/{gun.eid}")
    assert isinstance(fgr.body, ObjectResponse)
    assert isinstance(fgr.body.record, Gun)
    assert (fgr.body.record.make, fgr.body.record.model) == (gun.make, gun.model)
    assert gun.serial in fgr.response_text


@pytest.mark.parametrize("key", ["FVQ", "FTQ", "FGQ"])
async def test_full_record_of_another_family_is_no_record(
    desk_switch: RunningSwitch, pki_dir: Path, dataset: Dataset, key: str
) -> None:
    person = next(iter(dataset))
    async with terminal(desk_switch, context_of(pki_dir)) as streams:
        answer = await ask(streams, f"{key}.{ORI}.IP.TXT EID/{person.eid}")
    assert answer.body == ObjectResponse(person.eid, None)
    assert "NO RECORD" in answer.response_text


async def test_unknown_serial_is_a_plain_no_record(
    desk_switch: RunningSwitch, pki_dir: Path
) -> None:
    async with terminal(desk_switch, context_of(pki_dir)) as streams:
        answer = await ask(streams, f"IGQ.{ORI}.IP.TXT SER/NOSUCHSERIAL000")
    assert matches_of(answer).matches == ()
    assert "NO RECORD" in answer.response_text


def test_every_object_record_is_fetchable_by_its_family_only(dataset: Dataset) -> None:
    car, doc, gun = (
        next(iter(dataset.vehicles)),
        next(iter(dataset.documents)),
        next(iter(dataset.guns)),
    )
    assert dataset.get_object(Family.VEHICLE, car.eid) is not None
    assert dataset.get_object(Family.GUN, car.eid) is None
    assert dataset.get_object(Family.DOCUMENT, doc.eid) is not None
    assert dataset.get_object(Family.GUN, gun.eid) is not None
