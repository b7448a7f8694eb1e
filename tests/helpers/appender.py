"""``python -m tests.helpers.appender DB N``: a console process that appends N audit records,
waits until its witness covers them, prints ``ready`` and then waits to be killed."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from console.storage import Store
from console.storage.witness import path_for
from tests.helpers.kdf import use_cheap_kdf
from tests.helpers.storage import SECRET, WHERE


def witnessed(path: Path) -> int:
    try:
        return int(json.loads(path_for(path).read_bytes().splitlines()[0])["seq"])
    except (OSError, ValueError, IndexError, KeyError):
        return -1


async def main(path: Path, count: int) -> None:
    store = await Store.open(path, "OP1", SECRET, **WHERE)
    for number in range(count):
        await store.audit("query", "queued", f"NAM/KOWALSKA, ANNA #{number}")
    target = await store.audit_count()
    for _ in range(6000):  # a minute at most; the upkeep thread writes it 4 times a second
        if witnessed(path) >= target:
            break
        await asyncio.sleep(0.01)
    print("ready" if witnessed(path) >= target else "never witnessed", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    use_cheap_kdf()
    asyncio.run(main(Path(sys.argv[1]), int(sys.argv[2])))
