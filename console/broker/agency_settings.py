"""The agency's settings at a position of a centre: copied from the centre at each logon,
saved there by a supervisor at any position.

Which settings are the agency's is console.center.agency.AGENCY_SETTINGS (how long answers
live and are kept, the pace of the link, the idle lock); each position keeps the rest. A
logon with the centre reachable takes the centre's values into the profile's settings (saved
there, so the next logon without the centre keeps them) and records which changed. A
supervisor's change to any of them goes to the centre first, all of them together, and is
refused while the centre cannot be reached: a policy set in one place only would be worse
than one set a little later.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import Any

from console.center import agency
from console.center.errors import CenterError
from console.center.position import CenterLink
from console.domain.errors import ConsoleError
from console.storage import CorruptData, Store
from console.storage.settings import Profile, Settings, SettingsError


def _changed(before: Settings, after: Settings) -> list[str]:
    return [
        name for name in agency.AGENCY_SETTINGS if getattr(before, name) != getattr(after, name)
    ]


async def copied_from_centre(
    profile: Profile, settings: Settings, store: Store, link: CenterLink
) -> Settings:
    """The settings to run with: the centre's agency values over the profile's own, or the
    profile's own when the centre does not answer (or holds none)."""
    engine = link.engine()
    try:
        sealed = await asyncio.to_thread(agency.read, engine, link.address)
    except CenterError:
        return settings  # the copy from the last logon with the centre stands
    finally:
        await asyncio.to_thread(engine.dispose)
    values: dict[str, Any] = {}
    for name, blob in sealed.items():
        try:
            values[name] = json.loads(store.shelf.open_setting(name, blob))
        except (CorruptData, ValueError):
            await store.audit("settings", "refused from the centre", f"{name}: fails its check")
    try:
        merged = dataclasses.replace(settings, **values)
    except (SettingsError, TypeError) as exc:
        await store.audit("settings", "refused from the centre", str(exc))
        return settings
    changed = _changed(settings, merged)
    if changed:
        profile.save(merged)
        await store.audit("settings", "copied from the centre", ", ".join(changed))
    return merged


async def saved_at_centre(
    store: Store, link: CenterLink, before: Settings, after: Settings
) -> list[str]:
    """Store the agency's settings at the centre when ``after`` changes any of them (every
    one of them, so all positions hold the same policy); the names that changed."""
    changed = _changed(before, after)
    if not changed:
        return []
    sealed = {
        name: store.shelf.seal_setting(name, json.dumps(getattr(after, name)))
        for name in agency.AGENCY_SETTINGS
    }
    engine = link.engine()
    try:
        await asyncio.to_thread(agency.write, engine, link.address, sealed)
    except CenterError as exc:
        raise ConsoleError(
            f"{', '.join(changed)}: the agency's settings are kept at the centre, and {exc}; "
            "nothing was saved (try again once the centre is back)"
        ) from None
    finally:
        await asyncio.to_thread(engine.dispose)
    await store.audit("settings", "changed at the centre", ", ".join(changed))
    return changed
