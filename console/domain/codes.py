"""Code tables: message keys, sex codes, INTERPOL notice colours, Nlets error codes."""

from __future__ import annotations

from enum import StrEnum


class MessageKey(StrEnum):
    """Nlets message keys the console knows (domain.md section 1)."""

    IPQ = "IPQ"  # INTERPOL person inquiry -> list of possible matches
    FPQ = "FPQ"  # INTERPOL full person record by EID
    IPR = "IPR"
    FPR = "FPR"
    ER = "ER"  # error from Nlets
    AM = "AM"  # administrative message
    SM = "SM"  # status message

    @property
    def is_query(self) -> bool:
        return self in QUERY_KEYS


QUERY_KEYS = frozenset({MessageKey.IPQ, MessageKey.FPQ})
RESPONSE_FOR = {MessageKey.IPQ: MessageKey.IPR, MessageKey.FPQ: MessageKey.FPR}


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"
    UNKNOWN = "U"


class NoticeColour(StrEnum):
    """INTERPOL notice kinds (domain.md section 5)."""

    RED = "RED"
    YELLOW = "YELLOW"
    BLUE = "BLUE"
    BLACK = "BLACK"
    GREEN = "GREEN"
    ORANGE = "ORANGE"
    PURPLE = "PURPLE"
    UN_SPECIAL = "UN"
    DIFFUSION = "DIFFUSION"

    @property
    def meaning(self) -> str:
        return NOTICE_MEANINGS[self]


NOTICE_MEANINGS = {
    NoticeColour.RED: "Wanted: locate and provisionally arrest for prosecution or a sentence",
    NoticeColour.YELLOW: "Missing person, or a person unable to identify themselves",
    NoticeColour.BLUE: "More information sought on identity, location or activities",
    NoticeColour.BLACK: "Unidentified body",
    NoticeColour.GREEN: "Warning about a person's criminal activity",
    NoticeColour.ORANGE: "Serious and imminent threat",
    NoticeColour.PURPLE: "Modus operandi, objects, devices or concealment methods",
    NoticeColour.UN_SPECIAL: "INTERPOL-UN Security Council Special Notice (sanctions)",
    NoticeColour.DIFFUSION: "Diffusion sent directly by a member country's bureau",
}


class ErrorCode(StrEnum):
    """Nlets-style error codes carried by ER messages as ``.NN. TEXT``."""

    NOT_FORWARDED = "01"
    OUT_OF_SERVICE = "02"
    INVALID_FORMAT = "22"
    INVALID_ORI = "23"
    INVALID_FIELD = "24"
    NO_RECORD = "25"
    TOO_LARGE = "26"
    UNSUPPORTED_KEY = "27"
    RATE_LIMITED = "28"  # the terminal sent faster than its link may

    @property
    def text(self) -> str:
        return ERROR_TEXTS[self]


ERROR_TEXTS = {
    ErrorCode.NOT_FORWARDED: "USER DOES NOT RESPOND TO MSG TYPE, NLETS WILL NOT FORWARD",
    ErrorCode.OUT_OF_SERVICE: "USER OUT OF SERVICE FOR MSG TYPE, NLETS WILL FORWARD",
    ErrorCode.INVALID_FORMAT: "INVALID MESSAGE FORMAT",
    ErrorCode.INVALID_ORI: "ORIGINATING ORI DOES NOT MATCH TERMINAL",
    ErrorCode.INVALID_FIELD: "INVALID FIELD",
    ErrorCode.NO_RECORD: "NO RECORD",
    ErrorCode.TOO_LARGE: "MESSAGE TOO LARGE",
    ErrorCode.UNSUPPORTED_KEY: "MESSAGE KEY NOT SUPPORTED",
    ErrorCode.RATE_LIMITED: "TOO MANY MESSAGES, SLOW DOWN",
}

NLETS_ORI = "NL0000000"
INTERPOL_WASHINGTON_ORI = "DCINTER00"  # the US National Central Bureau answers INTERPOL traffic
INTERPOL_DESTINATION = "IP"


class LinkState(StrEnum):
    """State of the terminal's link to the switch, as the status bar shows it."""

    CONNECTING = "connecting"
    UP = "up"
    DOWN = "down"
