"""Centre layer: the expected failures of talking to the centre's database, said plainly."""

from __future__ import annotations

from console.storage.errors import StorageError


class CenterError(StorageError):
    """Base of every expected centre failure."""


class CenterUnreachable(CenterError):
    """The centre's database cannot be reached (down, network, refused): a position goes on
    with its local spool."""

    def __init__(self, where: str, why: str) -> None:
        self.where = where
        super().__init__(f"the centre database at {where} cannot be reached: {why}")


class CenterRefused(CenterError):
    """The centre answered but refused: wrong role password, missing privilege, bad TLS."""

    def __init__(self, where: str, why: str) -> None:
        self.where = where
        super().__init__(f"the centre database at {where} refused the console: {why}")


class CenterSchema(CenterError):
    """The centre's schema is missing, newer than this console, or already there at init."""
