"""What the record pane says about where its record came from: the query it answers (subject,
time, control field), and for a cached record how old it is and why, both true when shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from console.broker.events import CACHED_OFFLINE
from console.broker.read_side import subject_of
from console.domain.codes import LinkState
from console.domain.messages import Message

LINK_WORDS = {LinkState.DOWN: "the link is down", LinkState.CONNECTING: "the link is connecting"}


@dataclass(frozen=True, slots=True)
class Asked:
    """The query an answer on screen answers: its key and subject, when, its control field;
    ``within`` names the search a full record was opened from, ``match`` how near it was."""

    key: str
    subject: str
    control: str
    when: datetime | None
    within: str = ""
    match: str = ""  # a near match: the typed value beside the found one

    @property
    def search(self) -> str:
        return f"{self.key} {self.subject}".strip()

    def header(self) -> str:
        """One line for the pane's header: what was asked, where from, when, which control."""
        parts = [f"ANSWERS {self.search}"]
        if self.within:
            parts.append(f"opened from {self.within}")
        if self.when is not None:
            parts.append(f"{self.when:%H:%M:%S} UTC")
        if self.control:
            parts.append(f"control {self.control}")
        return " · ".join(parts)


def asked_by(query: Message, answer: Message | None = None, within: str = "") -> Asked:
    """The provenance of ``answer`` to ``query`` (its control field as the switch echoed it)."""
    control = (answer.control if answer is not None else "") or query.control
    when = None
    if answer is not None:
        when = answer.header.received_at or answer.header.sent_at
    return Asked(query.key.value, subject_of(query), control, when or query.header.sent_at, within)


def search_of(query: Message) -> str:
    return f"{query.key.value} {subject_of(query)}".strip()


@dataclass(frozen=True, slots=True)
class CachedCopy:
    """A record the cache served: its age when served, the clock then, and why it was kept."""

    age: timedelta
    served_at: datetime
    because: str

    def note(self, now: datetime, link: LinkState) -> str:
        """The note as true at ``now`` with the link as it is: the age grows while the record
        is shown, and "the link is down" is said only while it is."""
        age = self.age + max(now - self.served_at, timedelta(0))
        reason = self.because
        if self.because == CACHED_OFFLINE:
            reason = LINK_WORDS.get(
                link,
                "kept from when the link was down; the link is up now: open the record again "
                "for a fresh copy",
            )
        return f"CACHED RECORD, {age_text(age)} old: {reason}"


def age_text(age: timedelta) -> str:
    minutes = int(age.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 120:
        return f"{minutes} min"
    return f"{minutes // 60} h"
