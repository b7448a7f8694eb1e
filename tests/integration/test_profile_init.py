"""Creating a profile leaves either a whole profile or nothing: a failed attempt can simply
be tried again (the setup wizard and ``profile init`` both rely on it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from console.broker.session import init_profile, log_on
from console.domain.access import Role
from console.domain.errors import FieldError
from console.storage.settings import Profile, Settings
from console.transport.pki import init_pki, terminal_files
from tests.helpers.network import OPERATOR, ORI, SECRET

SETTINGS = Settings(ori=ORI, terminal="T01", switch_host="127.0.0.1", switch_port=5400)


async def test_a_failed_creation_leaves_nothing_and_a_retry_works(tmp_path: Path) -> None:
    pki = tmp_path / "pki"
    init_pki(pki, ORI, "T01")
    key = terminal_files(pki, ORI, "T01").key
    kept = key.read_bytes()
    key.unlink()
    key.mkdir()  # a key that cannot be copied: the creation fails half-way
    profile = Profile(tmp_path / "profile")
    with pytest.raises(IsADirectoryError):
        await init_profile(profile, SETTINGS, pki_source=pki, operator=OPERATOR, secret=SECRET)
    assert not profile.root.exists()

    key.rmdir()
    key.write_bytes(kept)
    await init_profile(profile, SETTINGS, pki_source=pki, operator=f" {OPERATOR} ", secret=SECRET)
    store, access = await log_on(profile, OPERATOR, SECRET)  # the id was stored as typed, trimmed
    try:
        assert access.role is Role.SUPERVISOR
    finally:
        await store.close()
    shutil.rmtree(profile.root)


async def test_an_operator_id_that_breaks_the_rule_is_named(tmp_path: Path) -> None:
    pki = tmp_path / "pki"
    init_pki(pki, ORI, "T01")
    with pytest.raises(FieldError, match="operator: must be 1-20"):
        await init_profile(
            Profile(tmp_path / "p"), SETTINGS, pki_source=pki, operator="no spaces!", secret=SECRET
        )
