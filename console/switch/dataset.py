"""The simulated gateway's records: synthetic red and yellow person notices, searchable by name."""

from __future__ import annotations

import dataclasses
import random
import re
import unicodedata
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from anyascii import anyascii
from faker import Faker

from console.domain import fields
from console.domain.codes import NoticeColour, Sex
from console.domain.errors import FieldError
from console.domain.records import Candidate, LinkedNotice, Photo, PersonNotice, Warrant
from console.switch.matching import RESULT_CAP, NameIndex
from console.switch.photo import MEDIA_TYPE, placeholder_photo

PHOTO_SHARE = 80  # percent of records with a photo, as on INTERPOL's public notices
RED_SHARE = 0.7
FIRST_YEAR, LAST_YEAR = 2000, 2024  # notice years: fixed, so the data does not age with the clock


class Dataset:
    """The records the simulated INTERPOL gateway answers from, with their name index."""

    def __init__(self, notices: Sequence[PersonNotice], with_photo: set[str] | None = None) -> None:
        self._by_eid = {notice.eid: notice for notice in notices}
        if with_photo is None:  # decided by a stable hash, so a record keeps its photo across runs
            with_photo = {eid for eid in self._by_eid if zlib.crc32(eid.encode()) % 100 < PHOTO_SHARE}
        self._with_photo = frozenset(with_photo & self._by_eid.keys())
        self._index = NameIndex(list(self._by_eid.values()), self._with_photo)

    @classmethod
    def synthetic(cls, count: int, seed: int = 0) -> Dataset:
        return cls(synthetic_notices(count, seed))

    def __len__(self) -> int:
        return len(self._by_eid)

    def __iter__(self) -> Iterator[PersonNotice]:
        return iter(self._by_eid.values())

    def has_photo(self, eid: str) -> bool:
        return eid in self._with_photo

    def get(self, eid: str) -> PersonNotice | None:
        """The full record (FPR), with its photo when it has one; None when there is no such EID."""
        try:
            key = fields.eid(eid)
        except FieldError:
            return None
        notice = self._by_eid.get(key)
        if notice is None or key not in self._with_photo:
            return notice
        photo = Photo(placeholder_photo(key, notice.sex), MEDIA_TYPE)
        return dataclasses.replace(notice, photos=(photo,))

    def search(
        self, name: str, dob: date | None = None, sex: Sex | None = None, limit: int = RESULT_CAP
    ) -> tuple[list[Candidate], int]:
        """Possible matches (IPR), best first, at most ``limit``; plus the total before the cap."""
        return self._index.search(name, dob, sex, limit)


def synthetic_notices(count: int, seed: int = 0) -> list[PersonNotice]:
    """``count`` synthetic red (~70%) and yellow (~30%) notices; the same seed, the same set."""
    maker = _NoticeMaker(seed)
    notices = [maker.notice(index) for index in range(count)]
    return _link_some(notices, random.Random(f"links:{seed}"))


# -- where the synthetic people come from


@dataclass(frozen=True, slots=True)
class _Origin:
    locale: str  # a Faker locale, or a key of _NAME_PAIRS where anyascii would drop the vowels
    countries: tuple[str, ...]  # nationalities, repeated to weight them
    language: str  # INTERPOL-style 3-letter language code
    weight: int
    light: float = 0.0  # share of light eyes and fair hair
    compound: float = 0.0  # share with two family names (Iberian custom)
    middle: float = 0.15  # share with a second forename (a patronymic in ru/uk)


_ORIGINS = (
    _Origin("ru_RU", ("RU", "RU", "RU", "KZ", "BY"), "RUS", 5, 0.4, middle=0.6),
    _Origin("uk_UA", ("UA",), "UKR", 3, 0.4, middle=0.5),
    _Origin("zh_CN", ("CN",), "CHI", 4, middle=0),
    _Origin("ja_JP", ("JP",), "JPN", 2, middle=0),
    _Origin("ko_KR", ("KR",), "KOR", 2, middle=0),
    _Origin("ar", ("SA", "EG", "JO", "LB", "SY", "IQ", "MA", "DZ", "TN", "AE", "YE"), "ARA", 6),
    _Origin("fa", ("IR", "IR", "IR", "AF"), "PER", 2, 0.05),
    _Origin("he", ("IL",), "HEB", 1, 0.2),
    _Origin("el_GR", ("GR",), "GRE", 1, 0.15),
    _Origin("hi_IN", ("IN",), "HIN", 3, middle=0.05),
    _Origin("th_TH", ("TH",), "THA", 2, middle=0),
    _Origin("tr_TR", ("TR",), "TUR", 3, 0.1),
    _Origin("pl_PL", ("PL",), "POL", 2, 0.4),
    _Origin("de_DE", ("DE", "DE", "AT", "CH"), "GER", 2, 0.5),
    _Origin("fr_FR", ("FR", "FR", "BE"), "FRE", 2, 0.3),
    _Origin("es_MX", ("MX",), "SPA", 4, 0.05, compound=0.7, middle=0.25),
    _Origin("es_ES", ("ES",), "SPA", 1, 0.15, compound=0.8, middle=0.25),
    _Origin("es_CO", ("CO",), "SPA", 3, 0.05, compound=0.7, middle=0.25),
    _Origin("pt_BR", ("BR",), "POR", 4, 0.1, compound=0.3, middle=0.25),
    _Origin("it_IT", ("IT",), "ITA", 2, 0.15),
    _Origin("vi_VN", ("VN",), "VIE", 2, middle=0.8),  # Vietnamese middle names: VAN, THI ...
    _Origin("en_GB", ("GB",), "ENG", 1, 0.5),
    _Origin("en_US", ("US",), "ENG", 2, 0.4),
    _Origin("nl_NL", ("NL",), "DUT", 1, 0.5),
    _Origin("cs_CZ", ("CZ",), "CZE", 1, 0.4),
    _Origin("hu_HU", ("HU",), "HUN", 1, 0.3),
    _Origin("ro_RO", ("RO",), "RUM", 2, 0.2),
    _Origin("ka_GE", ("GE",), "GEO", 1, 0.1),
    _Origin("hy_AM", ("AM",), "ARM", 1, 0.05),
    _Origin("en_NG", ("NG",), "ENG", 2),
    _Origin("id_ID", ("ID",), "IND", 1),
    _Origin("sv_SE", ("SE",), "SWE", 1, 0.6),
)

# Arabic, Persian and Hebrew spell few vowels, so anyascii cannot romanize their names; these
# pairs give each native name its usual Latin spelling. "native=LATIN" entries, ";"-separated.
_NAME_PAIRS = {
    "ar": (
        "محمد=MOHAMMED;أحمد=AHMED;علي=ALI;عمر=OMAR;خالد=KHALED;يوسف=YOUSSEF;حسن=HASSAN;"
        "حسين=HUSSEIN;إبراهيم=IBRAHIM;عبد الله=ABDULLAH;مصطفى=MOSTAFA;طارق=TAREK;كريم=KARIM;"
        "فيصل=FAISAL;ناصر=NASSER;وليد=WALID;هشام=HISHAM;سامي=SAMI",
        "فاطمة=FATIMA;عائشة=AISHA;مريم=MARIAM;نور=NOUR;ليلى=LAYLA;سارة=SARA;هدى=HUDA;"
        "زينب=ZAINAB;رنا=RANA;ياسمين=YASMINE;سلمى=SALMA;هالة=HALA",
        "الزهراني=AL-ZAHRANI;القحطاني=AL-QAHTANI;الشمري=AL-SHAMMARI;العتيبي=AL-OTAIBI;"
        "المصري=AL-MASRI;حداد=HADDAD;منصور=MANSOUR;خوري=KHOURY;نصار=NASSAR;عباس=ABBAS;"
        "صالح=SALEH;حمدان=HAMDAN;السيد=EL-SAYED;عبد الرحمن=ABDEL RAHMAN;الخطيب=AL-KHATIB;"
        "بن علي=BEN ALI;العمري=AL-OMARI;التميمي=AL-TAMIMI;الجبوري=AL-JUBOURI;بوزيد=BOUZID;"
        "الفاسي=EL FASSI;عثمان=OSMAN",
    ),
    "fa": (
        "محمد=MOHAMMAD;علی=ALI;رضا=REZA;حسین=HOSSEIN;مهدی=MEHDI;امیر=AMIR;سعید=SAEED;"
        "مجید=MAJID;بهرام=BAHRAM;کوروش=KOUROSH;داریوش=DARIUSH;فرهاد=FARHAD",
        "مریم=MARYAM;زهرا=ZAHRA;فاطمه=FATEMEH;نرگس=NARGES;شیرین=SHIRIN;لیلا=LEILA;"
        "پریسا=PARISA;نازنین=NAZANIN;سارا=SARA;مینا=MINA",
        "احمدی=AHMADI;حسینی=HOSSEINI;رضایی=REZAEI;محمدی=MOHAMMADI;کریمی=KARIMI;"
        "موسوی=MOUSAVI;جعفری=JAFARI;رحیمی=RAHIMI;صادقی=SADEGHI;نوری=NOURI;کاظمی=KAZEMI;"
        "اکبری=AKBARI;قاسمی=GHASEMI;شریفی=SHARIFI",
    ),
    "he": (
        "יוסף=YOSEF;דוד=DAVID;משה=MOSHE;אברהם=AVRAHAM;יעקב=YAAKOV;איתי=ITAI;עומר=OMER;"
        "נועם=NOAM;אריאל=ARIEL;דניאל=DANIEL",
        "שרה=SARA;רחל=RACHEL;מיכל=MICHAL;נועה=NOA;תמר=TAMAR;יעל=YAEL;שירה=SHIRA;אורית=ORIT",
        "כהן=COHEN;לוי=LEVI;מזרחי=MIZRAHI;פרץ=PERETZ;ביטון=BITON;פרידמן=FRIEDMAN;שפירא=SHAPIRA;"
        "אזולאי=AZULAY;דהן=DAHAN;אוחיון=OHAYON;גולן=GOLAN;כץ=KATZ;אשכנזי=ASHKENAZI",
    ),
}

_CITIES = {
    code: tuple(names.split("|"))
    for code, names in (
        line.split(" ", 1)
        for line in """\
RU MOSCOW|SAINT PETERSBURG|NOVOSIBIRSK|YEKATERINBURG|KAZAN|ROSTOV-ON-DON
KZ ALMATY|ASTANA|SHYMKENT
BY MINSK|GOMEL|BREST
UA KYIV|KHARKIV|ODESA|DNIPRO|LVIV
CN BEIJING|SHANGHAI|GUANGZHOU|SHENZHEN|CHENGDU|WUHAN
JP TOKYO|OSAKA|YOKOHAMA|NAGOYA|SAPPORO|FUKUOKA
KR SEOUL|BUSAN|INCHEON|DAEGU|GWANGJU
SA RIYADH|JEDDAH|DAMMAM
EG CAIRO|ALEXANDRIA|GIZA
JO AMMAN|ZARQA|IRBID
LB BEIRUT|TRIPOLI|SIDON
SY DAMASCUS|ALEPPO|HOMS
IQ BAGHDAD|BASRA|MOSUL
MA CASABLANCA|RABAT|MARRAKECH|TANGIER
DZ ALGIERS|ORAN|CONSTANTINE
TN TUNIS|SFAX|SOUSSE
AE DUBAI|ABU DHABI|SHARJAH
YE SANAA|ADEN|TAIZ
IR TEHRAN|MASHHAD|ISFAHAN|SHIRAZ|TABRIZ
AF KABUL|HERAT|KANDAHAR
IL TEL AVIV|JERUSALEM|HAIFA
GR ATHENS|THESSALONIKI|PATRAS
IN MUMBAI|DELHI|KOLKATA|LUCKNOW|JAIPUR
TH BANGKOK|CHIANG MAI|PATTAYA
TR ISTANBUL|ANKARA|IZMIR|ANTALYA
PL WARSAW|KRAKOW|LODZ|GDANSK
DE BERLIN|HAMBURG|MUNICH|COLOGNE|FRANKFURT AM MAIN
AT VIENNA|GRAZ|LINZ
CH ZURICH|GENEVA|BASEL
FR PARIS|MARSEILLE|LYON|TOULOUSE|NICE
BE BRUSSELS|ANTWERP|LIEGE
MX MEXICO CITY|GUADALAJARA|MONTERREY|TIJUANA|CULIACAN
ES MADRID|BARCELONA|VALENCIA|SEVILLE|MALAGA
CO BOGOTA|MEDELLIN|CALI|BARRANQUILLA
BR SAO PAULO|RIO DE JANEIRO|BELO HORIZONTE|RECIFE
IT ROME|MILAN|NAPLES|TURIN|PALERMO
VN HANOI|HO CHI MINH CITY|DA NANG|HAI PHONG
GB LONDON|MANCHESTER|BIRMINGHAM|GLASGOW
US NEW YORK|LOS ANGELES|CHICAGO|HOUSTON|MIAMI
NL AMSTERDAM|ROTTERDAM|THE HAGUE
CZ PRAGUE|BRNO|OSTRAVA
HU BUDAPEST|DEBRECEN|SZEGED
RO BUCHAREST|CLUJ-NAPOCA|IASI|CONSTANTA
GE TBILISI|BATUMI|KUTAISI
AM YEREVAN|GYUMRI|VANADZOR
NG LAGOS|ABUJA|KANO|PORT HARCOURT
ID JAKARTA|SURABAYA|MEDAN|DENPASAR
SE STOCKHOLM|GOTHENBURG|MALMO
CA TORONTO|MONTREAL|VANCOUVER
AU SYDNEY|MELBOURNE|PERTH
AR BUENOS AIRES|CORDOBA|ROSARIO
PT LISBON|PORTO|FARO""".splitlines()
    )
}
_COUNTRIES = tuple(_CITIES)
_SECOND_NATIONALITIES = ("US", "GB", "FR", "DE", "CA", "ES", "IT", "TR", "RU", "AE", "BR", "AU")
_ABROAD_ISSUERS = ("US", "DE", "FR", "ES", "IT", "GB", "AR", "BR", "TR", "NL", "BE", "CO", "AE")

_CHARGES = (
    "Fraud: obtained about {amount} {currency} from {victims} victims",
    "Aggravated fraud through a fictitious investment scheme ({amount} {currency})",
    "Drug trafficking: importation of {kg} kg of cocaine",
    "Drug trafficking (heroin) as a member of an organised criminal group",
    "Murder",
    "Attempted murder",
    "Armed robbery of a jewellery store",
    "Armed robbery of a cash-in-transit vehicle",
    "Human trafficking for the purpose of forced labour",
    "Human trafficking and sexual exploitation of {victims} persons",
    "Money laundering of {amount} {currency}",
    "Kidnapping for ransom",
    "Extortion",
    "Embezzlement of public funds ({amount} {currency})",
    "Smuggling of migrants",
    "Illegal possession of and trafficking in firearms",
    "Participation in a criminal organisation",
    "Sexual abuse of a minor",
    "Computer intrusion and fraud against online banking customers",
)
# Charges as a warrant's country writes them; the English translation is often absent.
_LOCAL_CHARGES = {
    "FRE": (("Escroquerie en bande organisée", "Organised fraud"), ("Meurtre", "Murder"),
            ("Trafic de stupéfiants", "Drug trafficking"), ("Vol à main armée", "Armed robbery")),
    "SPA": (("Homicidio calificado", "Aggravated homicide"),
            ("Tráfico de estupefacientes", "Drug trafficking"),
            ("Secuestro extorsivo", "Kidnapping for ransom"),
            ("Lavado de activos", "Money laundering")),
    "GER": (("Gewerbsmäßiger Bandenbetrug", "Organised commercial fraud"), ("Mord", "Murder"),
            ("Schwerer Raub", "Aggravated robbery")),
    "POR": (("Tráfico de pessoas", "Human trafficking"),
            ("Homicídio qualificado", "Aggravated homicide")),
    "RUS": (("Мошенничество в особо крупном размере", "Fraud on an especially large scale"),
            ("Убийство", "Murder"), ("Незаконный сбыт наркотических средств", "Drug dealing")),
    "ITA": (("Associazione di tipo mafioso", "Mafia-type association"),
            ("Estorsione", "Extortion"), ("Omicidio", "Murder")),
}
_LANGUAGE_OF = {
    **dict.fromkeys(("FR", "BE"), "FRE"), **dict.fromkeys(("ES", "MX", "CO", "AR"), "SPA"),
    **dict.fromkeys(("DE", "AT", "CH"), "GER"), **dict.fromkeys(("BR", "PT"), "POR"),
    **dict.fromkeys(("RU", "BY", "KZ"), "RUS"), "IT": "ITA",
}
_EURO = frozenset(("FR", "BE", "ES", "DE", "AT", "IT", "NL", "PT", "GR"))
_MARKS = (
    "Scar on {side} cheek", "Scar above {side} eyebrow", "Tattoo of a {motif} on {side} forearm",
    "Tattoo of a {motif} on the neck", "Tattoo of a {motif} on {side} hand",
    "Birthmark on {side} side of the neck", "Mole on {side} cheek", "Burn scar on {side} hand",
    "Missing upper front tooth", "Walks with a limp",
)
_MOTIFS = ("dragon", "rose", "skull", "anchor", "snake", "eagle", "cross", "star", "tiger")
_NOT_NAM = re.compile(r"[^A-Z' -]+")


@dataclass(frozen=True, slots=True)
class _Name:
    family: str
    forename: str
    native: str | None


class _NoticeMaker:
    """Makes one notice per index; Faker instances are cached per locale, reseeded per record."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._fakers: dict[str, Faker] = {}
        self._weights = list(accumulate(origin.weight for origin in _ORIGINS))
        self._next_number: dict[int, int] = {}

    def notice(self, index: int) -> PersonNotice:
        # A string seed is hashed with SHA-512 by random: stable across runs and machines.
        rng = random.Random(f"notice:{self._seed}:{index}")
        origin = rng.choices(_ORIGINS, cum_weights=self._weights)[0]
        red = rng.random() < RED_SHARE
        year = FIRST_YEAR + int(rng.triangular(0, LAST_YEAR - FIRST_YEAR + 1, 22))  # recent years busier
        if red:
            sex = Sex.MALE if rng.random() < 0.87 else Sex.FEMALE
            age = int(rng.triangular(18, 72, 32))
        else:
            sex = rng.choices((Sex.FEMALE, Sex.MALE, Sex.UNKNOWN), (54, 45, 1))[0]
            age = int(rng.triangular(0, 90, 15))
        name = self._name(origin, rng, sex)
        nationalities = _nationalities(origin, rng)
        born = date(year - age, 1, 1) + timedelta(days=rng.randrange(365))
        roll = rng.random()  # ~5% only the year of birth known, ~1% nothing
        birth_country = nationalities[0] if nationalities and rng.random() < 0.9 else None
        birth_country = birth_country or rng.choice(_COUNTRIES)
        notice = PersonNotice(
            eid=self._eid(year, rng),
            colour=NoticeColour.RED if red else NoticeColour.YELLOW,
            family_name=name.family,
            forename=name.forename,
            sex=sex,
            date_of_birth=born if roll >= 0.06 else None,
            birth_year=born.year if roll < 0.05 else None,
            place_of_birth=rng.choice(_CITIES[birth_country]) if rng.random() < 0.9 else None,
            country_of_birth=birth_country,
            nationalities=nationalities,
            native_name=name.native,
            height_m=_height(sex, age, rng) if rng.random() < 0.85 else None,
            weight_kg=_weight(age, rng) if rng.random() < 0.8 else None,
            eye_colours=_eyes(origin, rng) if rng.random() < 0.9 else (),
            hair_colours=_hair(origin, age, rng) if rng.random() < 0.9 else (),
            distinguishing_marks=_mark(rng) if rng.random() < 0.3 else None,
            languages=_languages(origin, nationalities, rng),
        )
        if red:
            return dataclasses.replace(notice, warrants=_warrants(nationalities, rng))
        event = max(born, date(year, 1, 1) - timedelta(days=rng.randrange(400)))
        country = nationalities[0] if nationalities else rng.choice(_COUNTRIES)
        if rng.random() < 0.2:
            country = rng.choice(_COUNTRIES)  # went missing abroad
        maiden = sex is Sex.FEMALE and age > 22 and rng.random() < 0.25
        return dataclasses.replace(
            notice,
            birth_name=self._name(origin, rng, sex).family if maiden else None,
            date_of_event=event,
            place_of_event=rng.choice(_CITIES[country]),
            country_of_event=country,
        )

    def _name(self, origin: _Origin, rng: random.Random, sex: Sex) -> _Name:
        female = sex is Sex.FEMALE or (sex is Sex.UNKNOWN and rng.random() < 0.5)
        pairs = _NAME_PAIRS.get(origin.locale)
        if pairs:
            given = [_pair(pairs[1] if female else pairs[0], rng)]
            if origin.locale == "ar" and rng.random() < 0.4:
                given.append(_pair(pairs[0], rng))  # the father's name follows one's own
            family = _pair(pairs[2], rng)
            native = " ".join([*(g[0] for g in given), family[0]])
            return _Name(family[1], " ".join(g[1] for g in given), native)
        fake = self._faker(origin.locale, rng)
        if origin.locale == "ja_JP":  # kanji, kana and romaji come as matching triples
            last = fake.last_name_pair()
            first = fake.first_name_female_pair() if female else fake.first_name_male_pair()
            return _Name(_latin(last[2]), _latin(first[2]), last[0] + first[0])
        family = fake.last_name_female() if female else fake.last_name_male()
        given = fake.first_name_female() if female else fake.first_name_male()
        if rng.random() < origin.compound:
            family = f"{family} {fake.last_name()}"
        if rng.random() < origin.middle:
            if origin.locale in ("ru_RU", "uk_UA"):
                given += " " + (fake.middle_name_female() if female else fake.middle_name_male())
            elif origin.locale == "vi_VN":
                given = f"{fake.middle_name()} {given}"
            else:
                given += " " + (fake.first_name_female() if female else fake.first_name_male())
        native = None
        if not _is_latin(family + given):
            east_asian = origin.locale in ("zh_CN", "ko_KR")
            family_first = east_asian or origin.locale in ("ru_RU", "uk_UA")
            native = (family + ("" if east_asian else " ") + given) if family_first else None
            native = native or f"{given} {family}"
        devanagari = origin.locale == "hi_IN"
        return _Name(_latin(family, devanagari), _latin(given, devanagari), native)

    def _faker(self, locale: str, rng: random.Random) -> Faker:
        fake = self._fakers.get(locale)
        if fake is None:
            fake = self._fakers[locale] = Faker(locale)
        # Reseeding per record keeps each record independent of the ones before it, and
        # seed_instance gives the instance its own Random instead of Faker's shared one.
        fake.seed_instance(rng.getrandbits(64))
        return fake

    def _eid(self, year: int, rng: random.Random) -> str:
        # Numbers climb within a year in uneven steps, like a registry's; never reused.
        number = self._next_number.get(year, 100 + rng.randrange(3000)) + 1 + rng.randrange(3)
        if number > 99_999:
            raise ValueError(f"too many synthetic notices for {year}: EID numbers ran out")
        self._next_number[year] = number
        return f"{year}/{number:05d}"


def _pair(table: str, rng: random.Random) -> tuple[str, str]:
    native, latin = rng.choice(table.split(";")).split("=")
    return native, latin


def _is_latin(text: str) -> bool:
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in text)


def _latin(text: str, devanagari: bool = False) -> str:
    """Uppercase Latin a dispatcher can type into NAM: letters, spaces, hyphens, apostrophes."""
    if devanagari:
        latin = " ".join(map(_devanagari, text.split()))
    else:  # Greek OY is OU in the ELOT/ICAO romanization INTERPOL's records use
        latin = anyascii(text.replace("ου", "ou").replace("Ου", "Ou").replace("ού", "ou"))
    if not _is_latin(text):
        latin = latin.replace("'", "")  # transliteration marks (soft sign, ejectives), not names
    return " ".join(_NOT_NAM.sub(" ", latin.upper()).split()).strip("' -")


def _devanagari(word: str) -> str:
    # anyascii drops the vowel every Devanagari consonant carries; restore it unless a vowel
    # sign, a virama or the end of the word follows (राहुल -> RAHUL, भरत -> BHARAT).
    out = []
    for at, char in enumerate(word):
        out.append(anyascii(char))
        consonant = "\u0915" <= char <= "\u0939" or "\u0958" <= char <= "\u095f" or char == "\u093c"
        following = word[at + 1 : at + 2]
        if consonant and following and not "\u093c" <= following <= "\u094d":
            out.append("a")
    return "".join(out)


def _nationalities(origin: _Origin, rng: random.Random) -> tuple[str, ...]:
    if rng.random() < 0.02:
        return ()
    first = rng.choice(origin.countries)
    if rng.random() < 0.08:
        second = rng.choice([c for c in _SECOND_NATIONALITIES if c != first])
        return (first, second)
    return (first,)


def _height(sex: Sex, age: int, rng: random.Random) -> float:
    adult = rng.gauss(1.63, 0.065) if sex is Sex.FEMALE else rng.gauss(1.76, 0.075)
    child = 0.75 + 0.062 * age + rng.gauss(0, 0.04)
    return round(min(adult, child) if age < 18 else adult, 2)


def _weight(age: int, rng: random.Random) -> float:
    if age < 16:
        return float(round(4 + 3.2 * age + rng.gauss(0, 2)))
    return float(round(rng.gauss(74, 12)))


def _eyes(origin: _Origin, rng: random.Random) -> tuple[str, ...]:
    if rng.random() < origin.light:
        return (rng.choices(("BLU", "GRE", "HAZ"), (5, 3, 2))[0],)
    return (rng.choices(("BRO", "BLA"), (7, 3))[0],)


def _hair(origin: _Origin, age: int, rng: random.Random) -> tuple[str, ...]:
    if age > 55 and rng.random() < 0.6:
        return ("GRY",)
    if rng.random() < origin.light:
        return (rng.choices(("BLN", "BRO", "RED"), (4, 5, 1))[0],)
    return (rng.choices(("BLA", "BRO"), (6, 4))[0],)


def _mark(rng: random.Random) -> str:
    return rng.choice(_MARKS).format(side=rng.choice(("left", "right")), motif=rng.choice(_MOTIFS))


def _languages(
    origin: _Origin, nationalities: tuple[str, ...], rng: random.Random
) -> tuple[str, ...]:
    spoken = [origin.language]
    for country in nationalities[1:]:
        spoken.append(_LANGUAGE_OF.get(country, "ENG"))
    if rng.random() < 0.3:
        spoken.append("ENG")
    return tuple(dict.fromkeys(spoken))


def _warrants(nationalities: tuple[str, ...], rng: random.Random) -> tuple[Warrant, ...]:
    warrants = []
    for _ in range(rng.choices((1, 2, 3), (70, 22, 8))[0]):
        home = nationalities[0] if nationalities else None
        issuer = home if home and rng.random() < 0.65 else rng.choice(_ABROAD_ISSUERS)
        local = _LOCAL_CHARGES.get(_LANGUAGE_OF.get(issuer, ""))
        if local and rng.random() < 0.4:
            charge, translation = rng.choice(local)
            kept = translation if rng.random() < 0.7 else None
            warrants.append(Warrant(charge, issuer, kept))
            continue
        counts = rng.choices((1, 2), (85, 15))[0]
        texts = [_charge(issuer, rng) for _ in range(counts)]
        # Multi-count warrants arrive as one free-text charge with line breaks.
        charge = texts[0] if counts == 1 else "\n".join(f"{n}. {t}" for n, t in enumerate(texts, 1))
        warrants.append(Warrant(charge, issuer))
    return tuple(warrants)


def _charge(issuer: str, rng: random.Random) -> str:
    return rng.choice(_CHARGES).format(
        amount=f"{rng.randrange(5, 900) * 10_000:,}",
        currency="EUR" if issuer in _EURO else "USD",
        victims=rng.randrange(3, 400),
        kg=rng.randrange(20, 2500),
    )


def _link_some(notices: list[PersonNotice], rng: random.Random) -> list[PersonNotice]:
    """Link about one yellow notice in ten to another record (a missing sibling, an abductor)."""
    if len(notices) < 2:
        return notices
    result = list(notices)
    for at, notice in enumerate(notices):
        if notice.colour is not NoticeColour.YELLOW or rng.random() >= 0.1:
            continue
        other = rng.randrange(len(notices) - 1)
        other += other >= at  # never link a record to itself
        result[at] = _with_link(result[at], notices[other])
        result[other] = _with_link(result[other], notice)
    return result


def _with_link(notice: PersonNotice, other: PersonNotice) -> PersonNotice:
    link = LinkedNotice(other.eid, other.nam, other.colour)
    if link in notice.linked:
        return notice
    return dataclasses.replace(notice, linked=(*notice.linked, link))
