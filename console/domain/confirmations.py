"""Hit confirmation rules: which fields a YQ carries, and when its answer is due."""

from __future__ import annotations

from datetime import datetime, timedelta

from console.domain.codes import Family, Priority, RequestType
from console.domain.errors import FieldError
from console.domain.messages import HitConfirmationRequest

MAX_REQUESTS = 3  # a first request, then a second and a third when no answer comes in time
PERSON_ONLY = ("name", "NAM"), ("dob", "DOB"), ("sex", "SEX")
OBJECT_FIELD = {
    RequestType.STOLEN_VEHICLE: ("vin", "VIN"),
    RequestType.STOLEN_DOCUMENT: ("document", "DID"),
    RequestType.STOLEN_GUN: ("serial", "SER"),
}


def check_confirmation(body: HitConfirmationRequest) -> None:
    """The fields a YQ may carry depend on what the hit was on (domain.md section 4)."""
    kind = body.request_type
    if kind.family is Family.PERSON:
        if body.name is None:
            raise FieldError("NAM", f"is required in a {kind.value} hit confirmation")
        for attr, prefix in OBJECT_FIELD.values():
            if getattr(body, attr) is not None:
                raise FieldError(prefix, f"does not belong in a person ({kind.value}) confirmation")
        return
    own_attr, own_prefix = OBJECT_FIELD[kind]
    if getattr(body, own_attr) is None:
        raise FieldError(own_prefix, f"is required in a {kind.value} hit confirmation")
    for attr, prefix in (*PERSON_ONLY, *OBJECT_FIELD.values()):
        if attr != own_attr and getattr(body, attr) is not None:
            raise FieldError(prefix, f"does not belong in a {kind.value} hit confirmation")


def answer_due(sent_at: datetime, priority: Priority) -> datetime:
    """When the holder's answer is due: 10 minutes for urgent, 1 hour for routine."""
    return sent_at + timedelta(minutes=priority.deadline_minutes)
