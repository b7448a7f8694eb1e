"""Storage layer (above domain, below broker): the encrypted SQLite store of one profile."""

from console.storage.alerts import AlertEntry
from console.storage.audit import AuditNote, AuditRecord
from console.storage.cache import CachedAnswer
from console.storage.crypto import FieldCipher
from console.storage.errors import (
    AlertStateError,
    AuditChainBroken,
    AuditRolledBack,
    CorruptData,
    DiskFull,
    OperatorExists,
    OutboxStateError,
    StorageError,
    StoreExists,
    StoreLocked,
    StoreMissing,
    UnsupportedSchema,
    WatchExists,
    WatchMissing,
    WrongSecret,
)
from console.storage.outbox import BatchRequest, OutboxEntry, OutboxState
from console.storage.store import Store
from console.storage.watch import WatchEntry

__all__ = [
    "AlertEntry",
    "AlertStateError",
    "AuditChainBroken",
    "AuditNote",
    "AuditRecord",
    "AuditRolledBack",
    "BatchRequest",
    "CachedAnswer",
    "CorruptData",
    "DiskFull",
    "FieldCipher",
    "OperatorExists",
    "OutboxEntry",
    "OutboxState",
    "OutboxStateError",
    "StorageError",
    "Store",
    "StoreExists",
    "StoreLocked",
    "StoreMissing",
    "UnsupportedSchema",
    "WatchEntry",
    "WatchExists",
    "WatchMissing",
    "WrongSecret",
]
