"""The profile as the GUI sees it: the folder, its settings with their bounds, and the PKI
error; the GUI reaches storage and transport only through the broker, so it reads them here."""

from __future__ import annotations

from console.storage.settings import THEMES as THEMES
from console.storage.settings import Profile as Profile
from console.storage.settings import Settings as Settings
from console.storage.settings import SettingsError as SettingsError
from console.storage.settings import bounds_of as bounds_of
from console.transport.pki import PkiError as PkiError
