"""Code tables: message keys, sex codes, INTERPOL notice colours, Nlets error codes."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class MessageKey(StrEnum):
    """Nlets message keys the console knows (domain.md section 1)."""

    IPQ = "IPQ"  # INTERPOL person inquiry -> list of possible matches
    FPQ = "FPQ"  # INTERPOL full person record by EID
    IPR = "IPR"
    FPR = "FPR"
    IVQ = "IVQ"  # stolen motor vehicle inquiry (VIN, engine number)
    FVQ = "FVQ"
    IVR = "IVR"
    FVR = "FVR"
    ITQ = "ITQ"  # stolen or lost travel document inquiry
    FTQ = "FTQ"
    ITR = "ITR"
    FTR = "FTR"
    IGQ = "IGQ"  # stolen, lost or trafficked gun inquiry (serial)
    FGQ = "FGQ"
    IGR = "IGR"
    FGR = "FGR"
    YQ = "YQ"  # hit confirmation request
    YR = "YR"  # hit confirmation response
    ER = "ER"  # error from Nlets
    AM = "AM"  # administrative message
    SM = "SM"  # status message

    @property
    def is_query(self) -> bool:
        """An INTERPOL inquiry: answered by the gateway with one response."""
        return self in QUERY_KEYS

    @property
    def family(self) -> Family | None:
        """The INTERPOL database an inquiry or its response belongs to."""
        return FAMILY_OF.get(self)

    @property
    def is_full_record(self) -> bool:
        """The F step (full record by EID) of an inquiry family, query or response."""
        return self in FULL_RECORD_KEYS


class Family(StrEnum):
    """INTERPOL databases reached through Nlets (domain.md section 1)."""

    PERSON = "person"
    VEHICLE = "vehicle"
    DOCUMENT = "document"
    GUN = "gun"


# family: (I query, I response, F query, F response)
FAMILY_KEYS = {
    Family.PERSON: (MessageKey.IPQ, MessageKey.IPR, MessageKey.FPQ, MessageKey.FPR),
    Family.VEHICLE: (MessageKey.IVQ, MessageKey.IVR, MessageKey.FVQ, MessageKey.FVR),
    Family.DOCUMENT: (MessageKey.ITQ, MessageKey.ITR, MessageKey.FTQ, MessageKey.FTR),
    Family.GUN: (MessageKey.IGQ, MessageKey.IGR, MessageKey.FGQ, MessageKey.FGR),
}
FAMILY_OF = {key: family for family, keys in FAMILY_KEYS.items() for key in keys}
QUERY_KEYS = frozenset(k for keys in FAMILY_KEYS.values() for k in (keys[0], keys[2]))
FULL_RECORD_KEYS = frozenset(k for keys in FAMILY_KEYS.values() for k in keys[2:])
RESPONSE_FOR = {q: r for keys in FAMILY_KEYS.values() for q, r in (keys[:2], keys[2:])}
RECORD_QUERY_OF = {family: keys[2] for family, keys in FAMILY_KEYS.items()}
# ORIs one message may be addressed to: an AM up to five, a hit confirmation up to three
MAX_DESTINATIONS = {MessageKey.AM: 5, MessageKey.YQ: 3, MessageKey.YR: 3}


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


class DocumentType(StrEnum):
    """Travel document types of the SLTD database (*ours*: ICAO 9303 first letters)."""

    PASSPORT = "P"
    IDENTITY_CARD = "I"
    VISA = "V"
    RESIDENCE_PERMIT = "R"
    TRAVEL_DOCUMENT = "T"  # refugee or stateless person's travel document

    @property
    def meaning(self) -> str:
        return DOCUMENT_TYPE_MEANINGS[self]


DOCUMENT_TYPE_MEANINGS = {
    DocumentType.PASSPORT: "Passport",
    DocumentType.IDENTITY_CARD: "Identity card",
    DocumentType.VISA: "Visa",
    DocumentType.RESIDENCE_PERMIT: "Residence permit",
    DocumentType.TRAVEL_DOCUMENT: "Refugee or stateless travel document",
}


class Priority(StrEnum):
    """Hit confirmation priority (domain.md section 4): U within 10 minutes, R within 1 hour."""

    URGENT = "U"
    ROUTINE = "R"

    @property
    def deadline_minutes(self) -> int:
        return 10 if self is Priority.URGENT else 60


class SendPriority(IntEnum):
    """The outbox's order, most urgent first; stored as its number."""

    HIT_CONFIRMATION = 0
    URGENT = 1
    ROUTINE = 2
    BACKGROUND = 3  # the watch list

    @property
    def label(self) -> str:
        return SEND_PRIORITY_LABELS[self]


SEND_PRIORITY_LABELS = {
    SendPriority.HIT_CONFIRMATION: "hit confirmation",
    SendPriority.URGENT: "urgent",
    SendPriority.ROUTINE: "routine",
    SendPriority.BACKGROUND: "watch list",
}


class AlertPriority(IntEnum):
    """An alert's urgency, most urgent first: URGENT and HIGH sound and stay on top."""

    URGENT = 0
    HIGH = 1
    NORMAL = 2

    @property
    def sounds(self) -> bool:
        return self <= AlertPriority.HIGH


class RequestType(StrEnum):
    """RTY/ of a hit confirmation: what kind of record the hit was on (*ours* beyond WP, SV)."""

    WANTED_PERSON = "WP"
    MISSING_PERSON = "MP"
    OTHER_PERSON = "OP"  # blue, green, orange, black, UN special notices and diffusions
    STOLEN_VEHICLE = "SV"
    STOLEN_DOCUMENT = "SD"
    STOLEN_GUN = "SG"

    @property
    def family(self) -> Family:
        return REQUEST_FAMILY[self]


REQUEST_FAMILY = {
    RequestType.WANTED_PERSON: Family.PERSON,
    RequestType.MISSING_PERSON: Family.PERSON,
    RequestType.OTHER_PERSON: Family.PERSON,
    RequestType.STOLEN_VEHICLE: Family.VEHICLE,
    RequestType.STOLEN_DOCUMENT: Family.DOCUMENT,
    RequestType.STOLEN_GUN: Family.GUN,
}


class Confirmation(StrEnum):
    """CON/ of a hit confirmation response: the record holds, does not, or will be checked."""

    CONFIRMED = "Y"
    NOT_CONFIRMED = "N"
    PENDING = "P"  # the answer names a time by which the confirmation will come


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
