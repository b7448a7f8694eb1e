"""The agency's settings at a position of a centre: copied from the centre at each logon,
saved there by a supervisor at any position.

Which settings are the agency's is console.center.agency.AGENCY_SETTINGS (how long answers
live and are kept, the pace of the link, the idle lock); each position keeps the rest. The
centre holds them as one sealed value with a version, who saved it and when. A logon with the
centre reachable takes the centre's values into the profile's settings (saved there, so the
next logon without the centre keeps them), one by one: a value that cannot apply at this
position is refused alone and recorded, the others taken. The position remembers the newest
version it took and refuses an older one (a genuine earlier value put back at the centre) or
another with the same version. A supervisor's change goes to the centre first, built on what
the centre holds at that moment (the row locked), so a change made meanwhile at another
position stays; it is refused while the centre cannot be reached: a policy set in one place
only would be worse than one set a little later.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from console.center import agency
from console.center.errors import CenterError
from console.center.position import CenterLink
from console.domain.errors import ConsoleError
from console.storage import CorruptData, Store
from console.storage.settings import Profile, Settings, SettingsError

_REFUSED = "refused from the centre"


@dataclass(frozen=True)
class Policy:
    """The agency's settings as saved at the centre: which version, by whom, where and when."""

    version: int
    saved_by: str
    workstation: str
    saved_at: str
    values: dict[str, Any]

    def text(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)


_NONE = Policy(0, "", "", "", {})


def _policy(text: str) -> Policy:
    """The policy in an opened value; ``ValueError`` when it is not one."""
    data = json.loads(text)
    if not isinstance(data, dict) or set(data) != {f.name for f in dataclasses.fields(Policy)}:
        raise ValueError("not the agency's settings")
    version, values = data["version"], data["values"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError("version: must be a whole number from 1")
    if not isinstance(values, dict):
        raise ValueError("values: must be a table of settings")
    return Policy(
        version, str(data["saved_by"]), str(data["workstation"]), str(data["saved_at"]), values
    )


def _opened(store: Store, sealed: bytes) -> tuple[Policy, str]:
    text = store.shelf.open_setting(agency.KEY, sealed)
    return _policy(text), text


def _changed(before: Settings, after: Settings) -> list[str]:
    return [
        name for name in agency.AGENCY_SETTINGS if getattr(before, name) != getattr(after, name)
    ]


async def _merged(store: Store, settings: Settings, values: dict[str, Any]) -> Settings:
    """``settings`` with each of the agency's ``values`` that can apply here; each that cannot
    (out of range, or the idle lock off at a position outside a secure location) refused and
    recorded alone."""
    merged = settings
    for name in agency.AGENCY_SETTINGS:
        if name not in values or getattr(merged, name) == values[name]:
            continue
        try:
            merged = dataclasses.replace(merged, **{name: values[name]})
        except (SettingsError, TypeError) as exc:
            await store.audit("settings", _REFUSED, str(exc))
    return merged


async def _taken(store: Store) -> tuple[int, str] | None:
    """The version this position took last and its value; ``None`` (recorded) when the local
    row was altered."""
    try:
        return await store.shelf.agency_taken()
    except (CorruptData, ValueError):
        why = "the version this position took last fails its check (altered here)"
        await store.audit("settings", _REFUSED, why)
        return None


def _not_newer(policy: Policy, text: str, taken: tuple[int, str]) -> str | None:
    """Why ``policy`` may not be taken after ``taken`` (``None``: it may)."""
    version, value = taken
    said = f"version {policy.version} (saved by {policy.saved_by} at {policy.workstation})"
    if policy.version < version:
        return f"{said}: older than version {version}, which this position took (put back)"
    if policy.version == version and text != value:
        return f"{said}: not the version {version} this position took (changed at the centre)"
    return None


async def copied_from_centre(
    profile: Profile, settings: Settings, store: Store, link: CenterLink, engine: Engine
) -> Settings:
    """The settings to run with: the centre's agency values over the profile's own, or the
    profile's own when the centre does not answer (or holds none, or an older version).
    Read on ``engine``: the logon's own, its connection to the centre just made."""
    try:
        sealed = await asyncio.to_thread(agency.read, engine, link.address)
    except CenterError:
        return settings  # the copy from the last logon with the centre stands
    if sealed is None:
        return settings
    try:
        policy, text = _opened(store, sealed)
    except (CorruptData, ValueError):
        await store.audit("settings", _REFUSED, "the agency's settings fail their check")
        return settings
    taken = await _taken(store)
    if taken is None:
        return settings
    if (why := _not_newer(policy, text, taken)) is not None:
        await store.audit("settings", _REFUSED, why)
        return settings
    merged = await _merged(store, settings, policy.values)
    if policy.version > taken[0]:
        await store.shelf.set_agency_taken(policy.version, text)
    changed = _changed(settings, merged)
    if changed:
        profile.save(merged)
        await store.audit("settings", "copied from the centre", ", ".join(changed))
    return merged


def _valid_everywhere(after: Settings, changed: list[str]) -> None:
    """Refuse a changed value that a position outside a secure location could not take."""
    try:
        dataclasses.replace(after, secure_location=False, demo=False, training_switch=False)
    except SettingsError as exc:
        if str(exc).partition(":")[0] in changed:
            raise ConsoleError(
                f"{exc}: the agency's settings apply at every position, those outside a secure "
                "location too; nothing was saved"
            ) from None


@dataclass
class _Save:
    """One save's step at the centre, run in the transaction that holds the row locked."""

    store: Store
    after: Settings
    changed: list[str]
    taken: tuple[int, str]
    written: Policy = _NONE
    note: str = ""

    def __call__(self, current: bytes | None) -> bytes:
        base = self._base(current)
        values = dict(base.values)  # names a newer console saved are kept as they are
        for name in agency.AGENCY_SETTINGS:
            if name in self.changed or name not in values:
                values[name] = getattr(self.after, name)
        self.written = Policy(
            max(base.version, self.taken[0]) + 1,
            self.store.operator,
            self.store.workstation,
            datetime.now(UTC).isoformat(timespec="seconds"),
            values,
        )
        return self.store.shelf.seal_setting(agency.KEY, self.written.text())

    def _base(self, current: bytes | None) -> Policy:
        """What this save builds on: the centre's value, or the one this position took when
        the centre's is older, the same version changed, or fails its check."""
        mine = _policy(self.taken[1]) if self.taken[0] else _NONE
        if current is None:
            return mine
        try:
            policy, text = _opened(self.store, current)
        except (CorruptData, ValueError):
            self.note = "; the value at the centre failed its check and was replaced"
            return mine
        if _not_newer(policy, text, self.taken) is not None:
            self.note = f"; version {policy.version} at the centre was not newer and was replaced"
            return mine
        return policy


async def saved_at_centre(
    store: Store, link: CenterLink, before: Settings, after: Settings
) -> Settings:
    """Store at the centre the agency settings ``after`` changes, over what the centre holds
    now; the settings to keep here (``after`` with the centre's other values)."""
    changed = _changed(before, after)
    if not changed:
        return after
    _valid_everywhere(after, changed)
    save = _Save(store, after, changed, await _taken(store) or (0, ""))
    engine = link.engine()
    try:
        await asyncio.to_thread(agency.update, engine, link.address, save)
    except CenterError as exc:
        raise ConsoleError(
            f"{', '.join(changed)}: the agency's settings are kept at the centre, and {exc}; "
            "nothing was saved (try again once the centre is back)"
        ) from None
    finally:
        await asyncio.to_thread(engine.dispose)
    await store.shelf.set_agency_taken(save.written.version, save.written.text())
    said = f"{', '.join(changed)} (version {save.written.version}){save.note}"
    await store.audit("settings", "changed at the centre", said)
    return await _merged(store, after, save.written.values)
