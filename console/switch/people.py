"""Name, place and charge tables for synthetic notices: many countries, scripts and spellings."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Origin:
    locale: str  # a Faker locale, or a key of NAME_PAIRS where anyascii would drop the vowels
    countries: tuple[str, ...]  # nationalities, repeated to weight them
    language: str  # INTERPOL-style 3-letter language code
    weight: int
    light: float = 0.0  # share of light eyes and fair hair
    compound: float = 0.0  # share with two family names (Iberian custom)
    middle: float = 0.15  # share with a second forename (a patronymic in ru/uk)


ORIGINS = (
    Origin("ru_RU", ("RU", "RU", "RU", "KZ", "BY"), "RUS", 5, 0.4, middle=0.6),
    Origin("uk_UA", ("UA",), "UKR", 3, 0.4, middle=0.5),
    Origin("zh_CN", ("CN",), "CHI", 4, middle=0),
    Origin("ja_JP", ("JP",), "JPN", 2, middle=0),
    Origin("ko_KR", ("KR",), "KOR", 2, middle=0),
    Origin("ar", ("SA", "EG", "JO", "LB", "SY", "IQ", "MA", "DZ", "TN", "AE", "YE"), "ARA", 6),
    Origin("fa", ("IR", "IR", "IR", "AF"), "PER", 2, 0.05),
    Origin("he", ("IL",), "HEB", 1, 0.2),
    Origin("el_GR", ("GR",), "GRE", 1, 0.15),
    Origin("hi_IN", ("IN",), "HIN", 3, middle=0.05),
    Origin("th_TH", ("TH",), "THA", 2, middle=0),
    Origin("tr_TR", ("TR",), "TUR", 3, 0.1),
    Origin("pl_PL", ("PL",), "POL", 2, 0.4),
    Origin("de_DE", ("DE", "DE", "AT", "CH"), "GER", 2, 0.5),
    Origin("fr_FR", ("FR", "FR", "BE"), "FRE", 2, 0.3),
    Origin("es_MX", ("MX",), "SPA", 4, 0.05, compound=0.7, middle=0.25),
    Origin("es_ES", ("ES",), "SPA", 1, 0.15, compound=0.8, middle=0.25),
    Origin("es_CO", ("CO",), "SPA", 3, 0.05, compound=0.7, middle=0.25),
    Origin("pt_BR", ("BR",), "POR", 4, 0.1, compound=0.3, middle=0.25),
    Origin("it_IT", ("IT",), "ITA", 2, 0.15),
    Origin("vi_VN", ("VN",), "VIE", 2, middle=0.8),  # Vietnamese middle names: VAN, THI ...
    Origin("en_GB", ("GB",), "ENG", 1, 0.5),
    Origin("en_US", ("US",), "ENG", 2, 0.4),
    Origin("nl_NL", ("NL",), "DUT", 1, 0.5),
    Origin("cs_CZ", ("CZ",), "CZE", 1, 0.4),
    Origin("hu_HU", ("HU",), "HUN", 1, 0.3),
    Origin("ro_RO", ("RO",), "RUM", 2, 0.2),
    Origin("ka_GE", ("GE",), "GEO", 1, 0.1),
    Origin("hy_AM", ("AM",), "ARM", 1, 0.05),
    Origin("en_NG", ("NG",), "ENG", 2),
    Origin("id_ID", ("ID",), "IND", 1),
    Origin("sv_SE", ("SE",), "SWE", 1, 0.6),
)

# Arabic, Persian and Hebrew spell few vowels, so anyascii cannot romanize their names; these
# pairs give each native name its usual Latin spelling. "native=LATIN" entries, ";"-separated.
NAME_PAIRS = {
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

CITIES = {
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
COUNTRIES = tuple(CITIES)
SECOND_NATIONALITIES = ("US", "GB", "FR", "DE", "CA", "ES", "IT", "TR", "RU", "AE", "BR", "AU")
ABROAD_ISSUERS = ("US", "DE", "FR", "ES", "IT", "GB", "AR", "BR", "TR", "NL", "BE", "CO", "AE")

CHARGES = (
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
# Charges as a warrant's country writes them ("native=English"); the translation is often absent.
LOCAL_CHARGES = {
    "FRE": "Escroquerie en bande organisée=Organised fraud;Meurtre=Murder;"
    "Trafic de stupéfiants=Drug trafficking;Vol à main armée=Armed robbery",
    "SPA": "Homicidio calificado=Aggravated homicide;Tráfico de estupefacientes=Drug trafficking;"
    "Secuestro extorsivo=Kidnapping for ransom;Lavado de activos=Money laundering",
    "GER": "Gewerbsmäßiger Bandenbetrug=Organised commercial fraud;Mord=Murder;"
    "Schwerer Raub=Aggravated robbery",
    "POR": "Tráfico de pessoas=Human trafficking;Homicídio qualificado=Aggravated homicide",
    "RUS": "Мошенничество в особо крупном размере=Fraud on an especially large scale;"
    "Убийство=Murder;Незаконный сбыт наркотических средств=Drug dealing",
    "ITA": "Associazione di tipo mafioso=Mafia-type association;Estorsione=Extortion;"
    "Omicidio=Murder",
}
LANGUAGE_OF = {country: origin.language for origin in ORIGINS for country in origin.countries}
EURO = frozenset(("FR", "BE", "ES", "DE", "AT", "IT", "NL", "PT", "GR"))
MARKS = (
    "Scar on {side} cheek",
    "Scar above {side} eyebrow",
    "Tattoo of a {motif} on {side} forearm",
    "Tattoo of a {motif} on the neck",
    "Tattoo of a {motif} on {side} hand",
    "Mole on {side} cheek",
    "Birthmark on {side} side of the neck",
    "Burn scar on {side} hand",
    "Missing upper front tooth",
    "Walks with a limp",
)
MOTIFS = ("dragon", "rose", "skull", "anchor", "snake", "eagle", "cross", "star", "tiger")
NOT_NAM = re.compile(r"[^A-Z' -]+")
# Why a notice other than red or yellow was published, as its summary says it ({place},
# {country}, {year}, {crime}, {age}, {mark} filled per record).
SUMMARIES = {
    "BLUE": (
        "Information sought on the identity and whereabouts of a person linked to {crime} "
        "in {place} in {year}.",
        "Whereabouts sought: a witness to {crime} committed in {place}; not wanted for arrest.",
        "Identity sought: the person used several names and passports while travelling "
        "through {country}.",
    ),
    "GREEN": (
        "Warning: convicted in {country} of {crime}; considered likely to repeat the offence "
        "in other countries.",
        "Warning: a registered sex offender who left {country} without notifying the authorities.",
        "Warning: a known member of a criminal network active in {crime}.",
    ),
    "ORANGE": (
        "Serious and imminent threat: believed to be preparing an attack with explosives; "
        "may be armed. Do not approach alone.",
        "Threat to public safety: parcel bombs sent from {place} in {year}; devices may "
        "look like books or electronics.",
        "Escaped prisoner considered dangerous: violent offences, may be armed.",
    ),
    "PURPLE": (
        "Modus operandi: fraudsters posing as bank security staff by telephone; victims "
        "moved savings to accounts controlled by the group ({place}, {year}).",
        "Concealment method: drugs hidden in the frames of imported furniture, detected in "
        "{place} in {year}.",
        "Modus operandi: thefts of luxury vehicles with relay devices that amplify key-fob "
        "signals.",
    ),
    "UN": (
        "Subject to United Nations Security Council sanctions: asset freeze, travel ban and "
        "arms embargo (ISIL and Al-Qaida sanctions list).",
        "Subject to United Nations Security Council sanctions: travel ban and asset freeze "
        "for support of armed groups.",
    ),
    "DIFFUSION": (
        "Diffusion from the National Central Bureau of {country}: locate and arrest with a "
        "view to extradition for {crime}.",
        "Diffusion from the National Central Bureau of {country}: locate and inform; an "
        "arrest warrant was issued in {year}.",
    ),
    "BLACK": (
        "Unidentified body found in {place}, {country}, in {year}. Estimated age {age}. {mark}.",
        "Unidentified remains recovered near {place} in {year}. Estimated age {age}; "
        "clothing and a {mark} photographed.",
    ),
}
SUMMARY_CRIMES = (
    "fraud",
    "drug trafficking",
    "armed robbery",
    "money laundering",
    "human trafficking",
    "the smuggling of migrants",
    "cybercrime",
    "the trafficking of firearms",
)
