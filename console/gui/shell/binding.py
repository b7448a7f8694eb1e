"""A guard around the Qt binding: PySide6 6.12.0 on Python 3.11 loses a reference to None at
every Qt call that returns nothing, and one to True at every signal emitted.

None, True and False are ordinary objects before Python 3.12 (PEP 683 made them immortal):
once their counts reach zero, CPython aborts ("Fatal Python error: none_dealloc"). A busy
console makes some fifty such calls per answer, so it would die after several hundred answers,
mid-shift. The older bindings that do not leak (6.10, 6.11) crash instead in QScreen lookups
when windows come and go offscreen, so the console keeps 6.12 and gives these three objects
what 3.12 gives them: a count so high no shift can use it up.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject

HEADROOM = 1 << 40  # references added: 10^12 calls before the count could reach zero again
PROBE_CALLS = 200


def drops_references() -> bool:
    """Whether void Qt calls of this binding lose references to None."""
    if sys.version_info >= (3, 12):
        return False  # immortal singletons: nothing to lose
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before - PROBE_CALLS // 2


def protect_singletons() -> bool:
    """Give None, True and False headroom when the binding leaks them; True if it did.

    ``ob_refcnt`` is the first field of every object in CPython's (non-debug) layout; the
    write is checked against ``sys.getrefcount`` first and skipped if the layout differs.
    """
    if not drops_references():
        return False
    counts = [ctypes.c_ssize_t.from_address(id(item)) for item in (None, True, False)]
    for count, item in zip(counts, (None, True, False), strict=True):
        if count.value != sys.getrefcount(item) - 1:  # getrefcount holds one itself
            return False
    for count in counts:
        if count.value < HEADROOM:  # once is enough (the app and its self-test both ask)
            count.value += HEADROOM
    return True
