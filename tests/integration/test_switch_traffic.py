"""Agency traffic over real TLS: AM between terminals, hit confirmation (YQ/YR), status."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.domain.codes import (
    INTERPOL_WASHINGTON_ORI,
    NLETS_ORI,
    Confirmation,
    ErrorCode,
    MessageKey,
    NoticeColour,
)
from console.domain.messages import (
    ErrorReply,
    FreeText,
    Header,
    HitConfirmationResponse,
    Message,
)
from console.switch.confirmations import ConfirmationPolicy
from console.switch.dataset import Dataset
from tests.helpers.desk import (
    ADMIN_REPLY_DELAY,
    RecordedSleep,
    ask,
    context_of,
    desk_switch,
    policy,
    receive,
    send,
    send_line,
    sleep,
    wait_linked,
)
from tests.helpers.network import ORI, OTHER_ORI, RunningSwitch, terminal
from tests.helpers.waiting import wait_until

__all__ = ["desk_switch", "policy", "sleep"]  # fixtures used by the tests below


def text_of(message: FreeText | object) -> str:
    assert isinstance(message, FreeText)
    return message.text


async def test_am_reaches_every_terminal_of_the_agency(
    desk_switch: RunningSwitch, pki_dir: Path
) -> None:
    async with (
        terminal(desk_switch, context_of(pki_dir, OTHER_ORI, "T02")) as oregon,
        terminal(desk_switch, context_of(pki_dir)) as wa_1,
        terminal(desk_switch, context_of(pki_dir, ORI, "T03")) as wa_3,
    ):
        await wait_linked(desk_switch, 3)
        status = await ask(oregon, f"AM.{OTHER_ORI}.{ORI}.A1.TXT PLEASE CALL OUR DESK.\nREF 24-1")
        assert (status.key, status.control, status.header.origin) == (
            MessageKey.SM,
            "A1",
            NLETS_ORI,
        )
        assert f"{ORI} DELIVERED (2 TERMINALS)" in text_of(status.body)
        for streams in (wa_1, wa_3):
            am = await receive(streams)
            assert (am.key, am.header.origin, am.control) == (MessageKey.AM, OTHER_ORI, "")
            assert text_of(am.body) == "PLEASE CALL OUR DESK.\nREF 24-1"


async def test_am_for_an_agency_offline_is_held_until_it_connects(
    desk_switch: RunningSwitch, pki_dir: Path
) -> None:
    async with terminal(desk_switch, context_of(pki_dir)) as wa:
        status = await ask(wa, f"AM.{ORI}.{OTHER_ORI}.A2.TXT BOLO FOR A WHITE VAN")
    code = ErrorCode.OUT_OF_SERVICE
    assert f"{OTHER_ORI} .{code.value}. {code.text}" in text_of(status.body)
    async with terminal(desk_switch, context_of(pki_dir, OTHER_ORI, "T02")) as oregon:
        am = await receive(oregon)
    assert (am.key, am.header.origin, text_of(am.body)) == (
        MessageKey.AM,
        ORI,
        "BOLO FOR A WHITE VAN",
    )


async def test_am_to_interpol_washington_is_acknowledged(
    desk_switch: RunningSwitch, pki_dir: Path, sleep: RecordedSleep
) -> None:
    async with terminal(desk_switch, context_of(pki_dir)) as wa:
        status = await ask(wa, f"AM.{ORI}.{INTERPOL_WASHINGTON_ORI}.A3.TXT REQUEST CALLBACK")
        assert "DELIVERED (INTERPOL WASHINGTON)" in text_of(status.body)
        reply = await receive(wa)
    assert (reply.key, reply.header.origin) == (MessageKey.AM, INTERPOL_WASHINGTON_ORI)
    assert "REF A3" in text_of(reply.body)
    assert ADMIN_REPLY_DELAY in sleep.delays


async def test_am_to_too_many_agencies_gets_er(desk_switch: RunningSwitch, pki_dir: Path) -> None:
    many = ",".join(f"WA03400{n:02d}" for n in range(1, 7))
    message = Message(Header(MessageKey.AM, ORI, many, "A4"), FreeText("HELLO"))
    async with terminal(desk_switch, context_of(pki_dir)) as wa:
        await send(wa, message)  # composed directly: the operator's parser refuses six ORIs
        er = await receive(wa)
    assert isinstance(er.body, ErrorReply)
    assert (er.body.code, er.control) == (ErrorCode.INVALID_FIELD, "A4")


def red_with_warrant(dataset: Dataset) -> tuple[str, str, str]:
    notice = next(
        n for n in dataset if n.colour is NoticeColour.RED and n.forename and n.date_of_birth
    )
    return notice.eid, notice.nam, notice.dob_text


async def test_urgent_hit_confirmation_is_confirmed_after_its_delay(
    desk_switch: RunningSwitch, pki_dir: Path, dataset: Dataset, sleep: RecordedSleep
) -> None:
    eid, nam, dob = red_with_warrant(dataset)
    line = (
        f"YQ.{ORI}.{INTERPOL_WASHINGTON_ORI}.Y1.TXT RTY/WP.NIC/{eid}.PRI/U.RNO/1"
        f".OCA/24-000123.NAM/{nam}.DOB/{dob}"
    )
    async with terminal(desk_switch, context_of(pki_dir)) as wa:
        yr = await ask(wa, line)
    assert (yr.key, yr.control, yr.header.origin) == (MessageKey.YR, "Y1", INTERPOL_WASHINGTON_ORI)
    assert isinstance(yr.body, HitConfirmationResponse)
    assert (yr.body.status, yr.body.nic, yr.body.case) == (Confirmation.CONFIRMED, eid, "24-000123")
    assert "NOT AN ARREST WARRANT" in yr.body.text
    assert "CONFIRMED" in yr.response_text and eid in yr.response_text
    assert 7 in sleep.delays  # urgent: the policy's urgent delay, not the routine one


async def test_a_name_that_is_not_the_record_is_not_confirmed(
    desk_switch: RunningSwitch, pki_dir: Path, dataset: Dataset, sleep: RecordedSleep
) -> None:
    eid, _, _ = red_with_warrant(dataset)
    line = f"YQ.{ORI}.{INTERPOL_WASHINGTON_ORI}.Y2.TXT RTY/WP.NIC/{eid}.PRI/R.NAM/QWERTY, ZXCV"
    async with terminal(desk_switch, context_of(pki_dir)) as wa:
        yr = await ask(wa, line)
    assert isinstance(yr.body, HitConfirmationResponse)
    assert yr.body.status is Confirmation.NOT_CONFIRMED
    assert "DO NOT ACT" in yr.body.text
    assert 30 in sleep.delays  # routine


@pytest.mark.parametrize("policy", [ConfirmationPolicy(urgent_delay=0, answer_from_request=2)])
async def test_first_request_unanswered_second_request_answered(
    desk_switch: RunningSwitch, pki_dir: Path, dataset: Dataset
) -> None:
    eid, nam, _ = red_with_warrant(dataset)
    base = f"YQ.{ORI}.{INTERPOL_WASHINGTON_ORI}.{{ctl}}.TXT RTY/WP.NIC/{eid}.PRI/U.RNO/{{rno}}"
    async with terminal(desk_switch, context_of(pki_dir)) as wa:
        await send_line(wa, base.format(ctl="Y3", rno=1) + f".NAM/{nam}")
        yr = await ask(wa, base.format(ctl="Y4", rno=2) + f".NAM/{nam}")
    # frames come in order: had the first request been answered, its YR would come first
    assert isinstance(yr.body, HitConfirmationResponse)
    assert (yr.control, yr.body.number) == ("Y4", 2)


@pytest.mark.parametrize("policy", [ConfirmationPolicy(urgent_delay=1, pending_for=120)])
async def test_pending_answer_then_the_confirmation(
    desk_switch: RunningSwitch, pki_dir: Path, dataset: Dataset, sleep: RecordedSleep
) -> None:
    eid, nam, _ = red_with_warrant(dataset)
    line = f"YQ.{ORI}.{INTERPOL_WASHINGTON_ORI}.Y5.TXT RTY/WP.NIC/{eid}.PRI/U.NAM/{nam}"
    async with terminal(desk_switch, context_of(pki_dir)) as wa:
        pending = await ask(wa, line)
        final = await receive(wa)
    assert isinstance(pending.body, HitConfirmationResponse)
    assert isinstance(final.body, HitConfirmationResponse)
    assert (pending.control, pending.body.status) == ("Y5", Confirmation.PENDING)
    assert pending.body.respond_by is not None
    assert (final.control, final.body.status) == ("", Confirmation.CONFIRMED)
    assert sorted(sleep.delays)[-2:] == [1, 121]


async def test_yq_and_yr_between_agencies(
    desk_switch: RunningSwitch, pki_dir: Path, dataset: Dataset
) -> None:
    """A domestic confirmation: the request goes to the holding agency, whose terminal answers."""
    eid, nam, _ = red_with_warrant(dataset)
    async with (
        terminal(desk_switch, context_of(pki_dir)) as wa,
        terminal(desk_switch, context_of(pki_dir, OTHER_ORI, "T02")) as oregon,
    ):
        await wait_linked(desk_switch, 2)
        status = await ask(wa, f"YQ.{ORI}.{OTHER_ORI}.Y6.TXT RTY/WP.NIC/{eid}.PRI/U.NAM/{nam}")
        assert f"{OTHER_ORI} DELIVERED (1 TERMINAL)" in text_of(status.body)
        yq = await receive(oregon)
        assert (yq.key, yq.header.origin) == (MessageKey.YQ, ORI)
        answer = await ask(oregon, f"AM.{OTHER_ORI}.{ORI}.R1.TXT CONFIRMING, STAND BY")
        assert "DELIVERED" in text_of(answer.body)
        am = await receive(wa)
    assert text_of(am.body) == "CONFIRMING, STAND BY"


async def test_hit_confirmation_is_held_through_a_gateway_outage(
    desk_switch: RunningSwitch, pki_dir: Path, dataset: Dataset
) -> None:
    eid, nam, _ = red_with_warrant(dataset)
    line = f"YQ.{ORI}.{INTERPOL_WASHINGTON_ORI}.Y7.TXT RTY/WP.NIC/{eid}.PRI/U.NAM/{nam}"
    async with terminal(desk_switch, context_of(pki_dir)) as wa:
        await wait_linked(desk_switch, 1)
        await desk_switch.server.set_gateway(False)
        down = await receive(wa)
        assert down.key is MessageKey.SM and "OUT OF SERVICE" in text_of(down.body)
        await send_line(wa, line)
        await wait_until(lambda: desk_switch.server.faults.held >= 1)
        await desk_switch.server.set_gateway(True)
        up = await receive(wa)
        yr = await receive(wa)
    assert up.key is MessageKey.SM and "BACK IN SERVICE" in text_of(up.body)
    assert (yr.key, yr.control) == (MessageKey.YR, "Y7")
