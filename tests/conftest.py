"""Test set-up shared by every layer: offscreen Qt before any QApplication, common fixtures."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from console.storage import keyslots
from tests.helpers.kdf import CHEAP_KDF

pytest_plugins = ["tests.helpers.network", "tests.helpers.cli", "tests.helpers.postgres"]


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """New key slots at a cheap Argon2id cost; the shipped default is tested on its own."""
    monkeypatch.setattr(keyslots, "DEFAULT_KDF", CHEAP_KDF)
