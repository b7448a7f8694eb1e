"""Record ids as issued, found from another writing of them (extra or missing leading zeros)."""

from __future__ import annotations

from collections.abc import Container, Iterable

from console.domain.fields import eid_key


class IssuedIds:
    """Which issued id a typed one means: itself when held, else the one id that differs
    from it only in leading zeros (none when two held ids would both fit).

    The ids are keyed only at the first query that misses: most never do, and keying a
    million ids would slow every switch's start for them.
    """

    def __init__(self) -> None:
        self._by_key: dict[str, str | None] = {}
        self._unkeyed: list[str] = []

    def add(self, eids: Iterable[str]) -> None:
        self._unkeyed.extend(eids)

    def issued(self, asked: str, held: Container[str]) -> str:
        """The id as issued for ``asked``; ``asked`` itself when nothing else fits."""
        if asked in held:
            return asked
        for eid in self._unkeyed:
            key = eid_key(eid)
            known = self._by_key.get(key, eid)
            self._by_key[key] = eid if known == eid else None  # two ids, one key: exact only
        self._unkeyed.clear()
        return self._by_key.get(eid_key(asked)) or asked
