"""Profile settings carry a version; older files are migrated in order, newer ones refused."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path

import pytest
import tomli_w

from console.storage.settings import (
    SETTINGS_VERSION,
    Profile,
    Settings,
    SettingsError,
    bounds_of,
)

ORI = "WA0340000"


def written(profile: Profile, data: dict[str, object]) -> Profile:
    profile.root.mkdir(parents=True, exist_ok=True)
    profile.settings_path.write_text(tomli_w.dumps(data), "utf-8")
    return profile


def test_a_saved_file_says_its_version(tmp_path: Path) -> None:
    profile = Profile(tmp_path)
    profile.save(Settings(ori=ORI))
    saved = tomllib.loads(profile.settings_path.read_text("utf-8"))
    assert saved["version"] == SETTINGS_VERSION
    assert profile.load() == Settings(ori=ORI)


def test_a_file_from_before_versions_still_loads(tmp_path: Path) -> None:
    old = dataclasses.asdict(Settings(ori=ORI, theme="dark"))  # no version key at all
    assert written(Profile(tmp_path), old).load() == Settings(ori=ORI, theme="dark")


@pytest.mark.parametrize(
    ("version", "says"),
    [
        (SETTINGS_VERSION + 1, f"version {SETTINGS_VERSION + 1} was written by a newer console"),
        (-1, "version must be a whole number (got -1)"),
        ("one", "version must be a whole number (got 'one')"),
    ],
)
def test_a_version_this_console_cannot_read_is_refused(
    tmp_path: Path, version: object, says: str
) -> None:
    profile = written(Profile(tmp_path), {"version": version, "ori": ORI})
    with pytest.raises(SettingsError, match=re.escape(says)):
        profile.load()


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("window", 0, "window: must be 1-100 (got 0)"),
        ("lock_minutes", 45.0, "lock_minutes: must be 0-30 minutes (got 45)"),
        ("answer_timeout", 0.0, "answer_timeout: must be more than 0 seconds"),
        ("send_rate", -1.0, "send_rate: must be more than 0 a second"),
        ("font_size", 30.0, "font_size: must be 8-24 points (got 30)"),
    ],
)
def test_each_number_keeps_the_bounds_written_beside_its_help(
    name: str, value: float, says: str
) -> None:
    with pytest.raises(SettingsError, match=re.escape(says)):
        Settings(ori=ORI, **{name: value})  # type: ignore[arg-type]
    bounds = bounds_of(name)
    assert bounds.problem(value) is not None
    assert bounds.problem(getattr(Settings(ori=ORI), name)) is None  # the default keeps them


def test_the_training_switch_choice_is_saved_and_kept_off_live_profiles(tmp_path: Path) -> None:
    profile = Profile(tmp_path)
    assert Settings(ori=ORI).training_switch is False  # an older file: nothing runs by itself
    profile.save(Settings(ori=ORI, demo=True, training_switch=True))
    assert tomllib.loads(profile.settings_path.read_text("utf-8"))["training_switch"] is True
    assert profile.load().training_switch
    with pytest.raises(SettingsError, match=re.escape("training_switch: needs demo = true")):
        Settings(ori=ORI, training_switch=True)
