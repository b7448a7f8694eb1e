"""Generated valid messages of every key: both codecs give back exactly what they were given."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.domain import fields
from console.domain.codes import (
    FAMILY_KEYS,
    INTERPOL_DESTINATION,
    INTERPOL_WASHINGTON_ORI,
    MAX_DESTINATIONS,
    Confirmation,
    DocumentType,
    Family,
    MessageKey,
    Priority,
    RequestType,
    Sex,
)
from console.domain.messages import (
    Body,
    DocumentInquiry,
    FreeText,
    GunInquiry,
    Header,
    HitConfirmationRequest,
    HitConfirmationResponse,
    Message,
    ObjectList,
    ObjectResponse,
    PersonInquiry,
    RecordInquiry,
    VehicleInquiry,
)
from console.domain.objects import (
    Gun,
    ObjectMatch,
    ObjectRecord,
    StolenVehicle,
    TravelDocument,
)
from console.domain.records import Photo
from console.protocol import legacy, xmlcodec

# Modest budgets: each property runs in a few seconds; no example database in the work tree.
PROPERTY = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
STAMP = datetime(2026, 11, 24, 14, 5, 7, tzinfo=UTC)
YEAR_1900, YEAR_2100 = datetime(1900, 1, 1), datetime(2100, 1, 1)
optional = partial(st.one_of, st.none())
ORIS = st.from_regex(r"[A-Z]{2}[A-Z0-9]{7}", fullmatch=True)
# ids as issued: INTERPOL's (1-6 serial digits, leading zeros or not) and any the Nlets rule takes
EIDS = st.one_of(
    st.builds("{}/{}".format, st.integers(1946, 2999), st.integers(0, 999_999)),
    st.builds("{}/{:05d}".format, st.integers(1946, 2999), st.integers(0, 999_999)),
    st.from_regex(r"[A-Za-z0-9]{1,14}/[A-Za-z0-9]{1,15}", fullmatch=True),
)
WORD = st.from_regex(r"[A-Z]{1,12}", fullmatch=True)
NAMES = st.one_of(
    st.builds("{}, {}".format, WORD, WORD).filter(
        lambda nam: nam.split(", ")[1] not in fields.NAME_TITLES
    ),
    st.builds("{},".format, WORD),  # one name, as NCIC writes it
)
IDENTS = st.from_regex(r"[A-Z0-9]{1,8}([ -][A-Z0-9]{1,8})?", fullmatch=True)
DOC_NUMBERS = st.from_regex(r"[A-Z0-9]{1,10}([ -][A-Z0-9]{1,10})?", fullmatch=True)
COUNTRIES = st.sampled_from(["DE", "FR", "US", "GB", "JP"])
RECORD_COUNTRIES = st.sampled_from(["DE", "FR", "XK", "ZZ", ""])  # records: kept as they came
DOBS = st.dates(date(1900, 1, 1), date(2020, 12, 31))
# record texts as an entering country writes them: any letters, digits, punctuation, spaces
RECORD_TEXT = st.text(st.characters(categories=("L", "N", "P", "Zs")), max_size=24)
VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"


@st.composite
def vins(draw: st.DrawFn) -> str:
    """A 17-character VIN with its check digit, a European one with any 9th character, or a
    short pre-1981 number."""
    kind = draw(st.sampled_from(["checked", "european", "short"]))
    if kind == "short":
        return draw(st.from_regex(r"[A-Z0-9]{1,16}", fullmatch=True))
    body = draw(st.text(st.sampled_from(VIN_CHARS), min_size=16, max_size=16))
    if kind == "european":
        return "W" + body[1:8] + draw(st.sampled_from(VIN_CHARS)) + body[8:]
    vin = body[:8] + "0" + body[8:]
    return vin[:8] + fields.vin_check_digit(vin) + vin[9:]


def free_texts(maximum: int) -> st.SearchStrategy[str]:
    """Text as an operator types it, normalized the way the field rule keeps it."""
    lines = st.lists(RECORD_TEXT.map(lambda line: " ".join(line.split())), min_size=1, max_size=4)
    return lines.map(lambda parts: "\n".join(parts).strip()).filter(
        lambda text: 0 < len(text) <= maximum
    )


@st.composite
def hit_confirmations(draw: st.DrawFn) -> HitConfirmationRequest:
    kind = draw(st.sampled_from(RequestType))
    person = kind.family is Family.PERSON
    return HitConfirmationRequest(
        request_type=kind,
        nic=draw(EIDS),
        priority=draw(st.sampled_from(Priority)),
        number=draw(st.integers(1, 3)),
        case=draw(optional(IDENTS)),
        name=draw(NAMES) if person else None,
        dob=draw(optional(DOBS)) if person else None,
        sex=draw(optional(st.sampled_from(Sex))) if person else None,
        vin=draw(vins()) if kind is RequestType.STOLEN_VEHICLE else None,
        document=draw(DOC_NUMBERS) if kind is RequestType.STOLEN_DOCUMENT else None,
        serial=draw(IDENTS) if kind is RequestType.STOLEN_GUN else None,
        remarks=draw(optional(free_texts(fields.REMARKS_MAX))),
    )


SENT_BODIES: st.SearchStrategy[tuple[MessageKey, Body]] = st.one_of(
    st.tuples(
        st.just(MessageKey.IPQ),
        st.builds(PersonInquiry, NAMES, optional(DOBS), optional(st.sampled_from(Sex))),
    ),
    st.tuples(
        st.just(MessageKey.IVQ),
        st.builds(VehicleInquiry, optional(vins()), optional(IDENTS)).filter(
            lambda body: body.vin is not None or body.engine is not None
        ),
    ),
    st.tuples(
        st.just(MessageKey.ITQ),
        st.builds(
            DocumentInquiry,
            DOC_NUMBERS,
            optional(st.sampled_from(DocumentType)),
            optional(COUNTRIES),
        ),
    ),
    st.tuples(st.just(MessageKey.IGQ), st.builds(GunInquiry, IDENTS)),
    st.tuples(
        st.sampled_from([MessageKey.FPQ, MessageKey.FVQ, MessageKey.FTQ, MessageKey.FGQ]),
        st.builds(RecordInquiry, EIDS),
    ),
    st.tuples(st.just(MessageKey.YQ), hit_confirmations()),
    st.tuples(st.just(MessageKey.AM), st.builds(FreeText, free_texts(fields.MESSAGE_MAX))),
)


@st.composite
def sent_messages(draw: st.DrawFn) -> Message:
    key, body = draw(SENT_BODIES)
    if key in MAX_DESTINATIONS:
        found = draw(st.lists(ORIS, min_size=1, max_size=MAX_DESTINATIONS[key], unique=True))
        destination = ",".join(found)
    else:
        destination = INTERPOL_DESTINATION
    control = draw(st.one_of(st.just(""), st.from_regex(r"[A-Z0-9-]{1,20}", fullmatch=True)))
    return Message(Header(key, draw(ORIS), destination, control), body)


@PROPERTY
@given(sent_messages())
def test_every_sent_message_round_trips_both_codecs(message: Message) -> None:
    assert legacy.parse_line(legacy.format_query(message)) == message
    assert xmlcodec.decode(xmlcodec.encode(message)) == message


PHOTOS = st.lists(
    st.builds(Photo, st.binary(min_size=1, max_size=20), st.sampled_from(["image/png", "x"]))
)
VEHICLES = st.builds(
    StolenVehicle,
    eid=EIDS,
    vin=vins(),
    make=RECORD_TEXT,
    model=RECORD_TEXT,
    reported_by=RECORD_COUNTRIES,
    engine_number=optional(RECORD_TEXT),
    year=optional(st.integers(1900, 2100)),
    colour=optional(RECORD_TEXT),
    vehicle_type=optional(RECORD_TEXT),
    plate=optional(RECORD_TEXT),
    plate_country=optional(RECORD_COUNTRIES),
    date_stolen=optional(DOBS),
    place_stolen=optional(RECORD_TEXT),
    photos=PHOTOS.map(tuple),
)
DOCUMENTS = st.builds(
    TravelDocument,
    eid=EIDS,
    number=DOC_NUMBERS,
    doc_type=st.sampled_from(DocumentType),
    issuing_country=RECORD_COUNTRIES,
    status=RECORD_TEXT,  # an unknown status is kept as it came
    holder_family_name=optional(RECORD_TEXT),
    holder_forename=optional(RECORD_TEXT),
    holder_date_of_birth=optional(DOBS),
    holder_nationality=optional(RECORD_COUNTRIES),
    date_of_issue=optional(DOBS),
    date_of_expiry=optional(DOBS),
    date_reported=optional(DOBS),
    place_reported=optional(RECORD_TEXT),
)
GUNS = st.builds(
    Gun,
    eid=EIDS,
    serial=IDENTS,
    make=RECORD_TEXT,
    model=RECORD_TEXT,
    reported_by=RECORD_COUNTRIES,
    status=RECORD_TEXT,
    gun_type=optional(RECORD_TEXT),
    calibre=optional(RECORD_TEXT),
    date_reported=optional(DOBS),
    place_reported=optional(RECORD_TEXT),
)
RECORDS: dict[Family, st.SearchStrategy[ObjectRecord]] = {
    Family.VEHICLE: VEHICLES,
    Family.DOCUMENT: DOCUMENTS,
    Family.GUN: GUNS,
}


def full_record(record: ObjectRecord) -> ObjectResponse:
    return ObjectResponse(record.eid, record)


@st.composite
def answers(draw: st.DrawFn) -> Message:
    """IVR/ITR/IGR lists (maybe empty), FVR/FTR/FGR records or no record, and YR answers."""
    family = draw(st.sampled_from(list(RECORDS)))
    _, search, _, full = FAMILY_KEYS[family]
    records = RECORDS[family]
    match = st.builds(ObjectMatch, records, st.integers(0, 100), RECORD_TEXT, st.booleans())
    matches = st.lists(match, max_size=3).map(tuple)
    key, body = draw(
        st.one_of(
            st.tuples(st.just(search), st.builds(ObjectList, matches, st.integers(0, 500))),
            st.tuples(st.just(full), records.map(full_record)),
            st.tuples(st.just(full), st.builds(ObjectResponse, EIDS)),
            st.tuples(
                st.just(MessageKey.YR),
                st.builds(
                    HitConfirmationResponse,
                    st.sampled_from(RequestType),
                    EIDS,
                    st.sampled_from(Priority),
                    st.sampled_from(Confirmation),
                    st.integers(1, 3),
                    optional(IDENTS),
                    optional(st.datetimes(YEAR_1900, YEAR_2100, timezones=st.just(UTC))),
                    RECORD_TEXT,
                ),
            ),
        )
    )
    header = Header(key, INTERPOL_WASHINGTON_ORI, draw(ORIS), "C1", STAMP, STAMP, 1, 2)
    return Message(header, body, response_text=legacy.render_body(body, key))


@PROPERTY
@given(answers())
def test_every_answer_round_trips_and_reads(message: Message) -> None:
    decoded = xmlcodec.decode(xmlcodec.encode(message))
    assert decoded == message
    assert decoded.response_text == message.response_text
    text = legacy.format_message(decoded)
    if isinstance(message.body, ObjectList) and message.body.matches:
        assert text.endswith(legacy.CAUTION)
