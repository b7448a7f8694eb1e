"""A cheap key derivation for tests: the shipped default costs ~0.2 s a slot, too much for
hundreds of logons. Slots keep the parameters that made them, so a profile made cheap stays
cheap; ``tests/unit/test_storage_crypto.py`` checks the shipped default itself."""

from __future__ import annotations

from console.storage import keyslots
from console.storage.keyslots import KdfParams

CHEAP_KDF = KdfParams(memory_cost=8 * 1024, iterations=1, lanes=1)
SHIPPED_KDF = keyslots.DEFAULT_KDF


def use_cheap_kdf() -> None:
    """For a process of the command run by the tests (``python -m tests.helpers.console``)."""
    keyslots.DEFAULT_KDF = CHEAP_KDF
