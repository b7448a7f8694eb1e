"""The broker's small rules: what makes two queries the same, how long answers keep, what alerts."""

from __future__ import annotations

from datetime import timedelta

from console.domain.codes import QUERY_KEYS, AlertPriority, MessageKey
from console.domain.messages import (
    CandidateList,
    ErrorReply,
    Header,
    HitConfirmationResponse,
    Message,
    ObjectList,
    ObjectResponse,
    RecordResponse,
)
from console.protocol import legacy, xmlcodec

# Unsolicited messages become alerts; 0 is the most urgent. A tampered audit trail and status
# (SM) outrank everything, then hit confirmation answers (YR) and watch-list changes, then
# errors and admin messages.
ALERT_PRIORITY: dict[str, AlertPriority] = {
    "AUDIT": AlertPriority.URGENT,
    "SM": AlertPriority.URGENT,
    "YR": AlertPriority.HIGH,
    "WATCH": AlertPriority.HIGH,
    "ER": AlertPriority.NORMAL,
    "AM": AlertPriority.NORMAL,
    "TRAINING": AlertPriority.NORMAL,  # an exercise started: its briefing, normal priority
}
DEFAULT_ALERT_PRIORITY = AlertPriority.NORMAL
TRAINING_ALERT = "TRAINING"


def cache_identity(query: Message) -> bytes:
    """What makes two queries the same question: key and normalized fields, not the header."""
    line = legacy.format_query(query)
    return f"{query.key.value}|{line.partition('.TXT ')[2]}".encode()


def cache_ttls(minutes: float) -> dict[MessageKey, timedelta]:
    """How long an INTERPOL answer is reused without asking again; notices and stolen-property
    records are cancelled without warning, so one short lifetime serves every family."""
    lifetime = timedelta(minutes=minutes)
    return {key: lifetime for key in QUERY_KEYS}


def answer_outcome(answer: Message) -> str:
    """A short, CJI-free outcome for the audit trail."""
    body = answer.body
    if isinstance(body, CandidateList):
        return f"{answer.key.value} {len(body.candidates)} candidates"
    if isinstance(body, RecordResponse):
        return f"{answer.key.value} {'record' if body.notice else 'no record'}"
    if isinstance(body, ObjectList):
        return f"{answer.key.value} {len(body.matches)} candidates"
    if isinstance(body, ObjectResponse):
        return f"{answer.key.value} {'record' if body.record else 'no record'}"
    if isinstance(body, HitConfirmationResponse):
        return f"YR {body.nic} {body.status.name.lower().replace('_', ' ')}"
    if isinstance(body, ErrorReply):
        return f"ER .{body.code.value}."
    return answer.key.value


def answer_content(answer: Message) -> bytes:
    """The answer without its clocks and numbers, so a watch list sees only real changes."""
    return xmlcodec.encode(Message(Header(answer.key, "-", "-"), answer.body))
