"""The dispatcher when a send fails while the link drops or the query is cancelled."""

from __future__ import annotations

import asyncio

from console.broker.dispatch import ROUTINE, Dispatcher
from console.broker.events import EventHub
from console.domain.codes import LinkState
from console.storage import Store
from console.transport.link import LinkDown
from tests.helpers.waiting import wait_until


class StallingLink:
    """A link whose send hangs until released, then fails: a real link does this when the
    kernel's buffer is full and the peer vanishes. No real link can be made to on cue."""

    def __init__(self) -> None:
        self.state = LinkState.UP
        self.sending = asyncio.Event()
        self.release = asyncio.Event()

    async def send_payload(self, payload: bytes) -> None:
        self.sending.set()
        await self.release.wait()
        raise LinkDown("link lost while sending")


async def _dispatcher(store: Store) -> tuple[Dispatcher, StallingLink]:
    link = StallingLink()
    dispatch = Dispatcher(link, store, EventHub(), window=1, still_waiting_after=60)  # type: ignore[arg-type]
    await store.enqueue("C1", "IPQ", b"<q/>")
    dispatch.add("C1", b"<q/>", ROUTINE)
    dispatch.start()
    await wait_until(link.sending.is_set)
    return dispatch, link


async def test_a_drop_during_a_failed_send_requeues_the_query_once(store: Store) -> None:
    dispatch, link = await _dispatcher(store)
    link.state = LinkState.DOWN
    dispatch.link_changed(LinkState.DOWN)  # the supervisor noticed first
    link.release.set()
    await asyncio.sleep(0)  # the hung send now fails and does its bookkeeping
    assert (dispatch.queued, dispatch.in_flight) == (1, 0)
    await dispatch.close()


async def test_a_cancel_during_a_failed_send_is_not_undone(store: Store) -> None:
    dispatch, link = await _dispatcher(store)
    dispatch.settle("C1")  # the operator cancelled while the send hung
    link.release.set()
    await asyncio.sleep(0)  # the hung send now fails and does its bookkeeping
    assert (dispatch.queued, dispatch.in_flight) == (0, 0)
    await dispatch.close()
