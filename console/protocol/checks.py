"""The field rules both codecs apply to what an agency composes, under the names the wire uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from console.domain import fields
from console.domain.codes import INTERPOL_DESTINATION, MAX_DESTINATIONS, QUERY_KEYS, MessageKey
from console.domain.errors import FieldError

T = TypeVar("T")

# what an operator may send, in the order the error lists them; responses come from others
SENDABLE = (*(key for key in MessageKey if key in QUERY_KEYS), MessageKey.YQ, MessageKey.AM)


def sendable_key(text: str) -> MessageKey:
    """MKE: a key an operator may send (an INTERPOL inquiry, YQ or AM)."""
    key = MessageKey.__members__.get(text.strip().upper())
    if key not in SENDABLE:
        raise FieldError("MKE", f"must be one of {', '.join(SENDABLE)}", text)
    assert key is not None
    return key


def is_composed(key: MessageKey) -> bool:
    """Sent by an agency (so checked like typed input), not by Nlets or INTERPOL's gateway."""
    return key in SENDABLE or key is MessageKey.YR


def destination(key: MessageKey, value: str) -> str:
    """DEST: INTERPOL inquiries go to IP; AM, YQ and YR to one or more ORIs, comma-separated."""
    if key in MAX_DESTINATIONS:
        return ",".join(fields.destinations(value, MAX_DESTINATIONS[key], "DEST"))
    if value.strip().upper() != INTERPOL_DESTINATION:
        raise FieldError(
            "DEST", f"INTERPOL queries go to destination {INTERPOL_DESTINATION}", value
        )
    return INTERPOL_DESTINATION


def nic(value: str) -> str:
    """NIC: the INTERPOL id (EID) of the record a hit confirmation is about."""
    try:
        return fields.eid(value)
    except FieldError as exc:
        raise FieldError("NIC", exc.rule, exc.value) from None


def remarks(value: str) -> str:
    """REM: free text of a hit confirmation request, line breaks kept."""
    return fields.free_text(value, "REM", fields.REMARKS_MAX)


def present(field: str, rule: Callable[[str], T], text: str | None) -> T | None:
    """A field's value by its rule, or None when absent; present but blank is refused."""
    if text is None:
        return None
    if not text.strip():
        raise FieldError(field, "is blank: leave an empty field out, element and all")
    return rule(text)
