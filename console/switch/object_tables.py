"""Tables for synthetic object records: makers and their VIN prefixes, document number shapes
per issuing country, firearm makers and calibres, the countries that report them."""

from __future__ import annotations

from dataclasses import dataclass


def weighted(text: str) -> tuple[tuple[str, int], ...]:
    """``"IT 9 DE 8"`` as ``(("IT", 9), ("DE", 8))``: long weight tables stay readable."""
    words = text.split()
    return tuple((code, int(weight)) for code, weight in zip(words[::2], words[1::2], strict=True))


@dataclass(frozen=True, slots=True)
class Maker:
    """A vehicle maker's world manufacturer identifier (VIN positions 1-3) and its models."""

    wmi: str
    make: str
    models: tuple[str, ...]
    vehicle_type: str = "PASSENGER CAR"
    weight: int = 1


# The WMI's first character is the region: 1-5 North America, J Japan, K Korea, L China,
# S United Kingdom, V France/Spain, W Germany, Y Sweden, Z Italy. Public assignments.
MAKERS = (
    Maker("1FT", "FORD", ("F-150", "F-250", "RANGER", "TRANSIT"), "PICKUP TRUCK", 5),
    Maker("1FA", "FORD", ("MUSTANG", "FUSION", "FOCUS"), weight=3),
    Maker("1G1", "CHEVROLET", ("MALIBU", "IMPALA", "CAMARO", "CRUZE"), weight=4),
    Maker("1GC", "CHEVROLET", ("SILVERADO", "COLORADO"), "PICKUP TRUCK", 4),
    Maker("1C4", "JEEP", ("GRAND CHEROKEE", "WRANGLER", "CHEROKEE"), "SPORT UTILITY", 3),
    Maker("5YJ", "TESLA", ("MODEL 3", "MODEL Y", "MODEL S"), weight=2),
    Maker("4T1", "TOYOTA", ("CAMRY", "AVALON"), weight=3),
    Maker("2T3", "TOYOTA", ("RAV4",), "SPORT UTILITY", 3),
    Maker("2HG", "HONDA", ("CIVIC",), weight=3),
    Maker("3N1", "NISSAN", ("SENTRA", "VERSA"), weight=2),
    Maker("3VW", "VOLKSWAGEN", ("JETTA", "PASSAT"), weight=2),
    Maker("JTD", "TOYOTA", ("COROLLA", "YARIS", "PRIUS"), weight=4),
    Maker("JTE", "TOYOTA", ("LAND CRUISER", "4RUNNER"), "SPORT UTILITY", 4),
    Maker("JTM", "TOYOTA", ("HILUX",), "PICKUP TRUCK", 3),
    Maker("JHM", "HONDA", ("ACCORD", "CR-V", "FIT"), weight=3),
    Maker("JN1", "NISSAN", ("X-TRAIL", "PATROL", "QASHQAI"), "SPORT UTILITY", 3),
    Maker("JMZ", "MAZDA", ("MAZDA3", "CX-5", "MAZDA6"), weight=2),
    Maker("JYA", "YAMAHA", ("YZF-R1", "MT-07", "TMAX"), "MOTORCYCLE", 1),
    Maker("KMH", "HYUNDAI", ("TUCSON", "SANTA FE", "ELANTRA"), weight=3),
    Maker("KNA", "KIA", ("SPORTAGE", "SORENTO", "RIO"), weight=3),
    Maker("LSV", "VOLKSWAGEN", ("LAVIDA", "TIGUAN L"), weight=1),
    Maker("LRW", "TESLA", ("MODEL 3", "MODEL Y"), weight=1),
    Maker("SAL", "LAND ROVER", ("RANGE ROVER", "DISCOVERY", "DEFENDER"), "SPORT UTILITY", 4),
    Maker("SAJ", "JAGUAR", ("F-PACE", "XF"), weight=1),
    Maker("VF1", "RENAULT", ("CLIO", "MEGANE", "CAPTUR"), weight=3),
    Maker("VF3", "PEUGEOT", ("208", "308", "3008"), weight=3),
    Maker("VSS", "SEAT", ("IBIZA", "LEON"), weight=1),
    Maker("WVW", "VOLKSWAGEN", ("GOLF", "POLO", "PASSAT"), weight=5),
    Maker("WV1", "VOLKSWAGEN", ("TRANSPORTER", "CRAFTER"), "VAN", 2),
    Maker("WBA", "BMW", ("320I", "530D", "X5"), weight=5),
    Maker("WBS", "BMW", ("M3", "M5"), weight=1),
    Maker("WDD", "MERCEDES-BENZ", ("C 200", "E 220 D", "S 500", "GLE 350"), weight=5),
    Maker("WDB", "MERCEDES-BENZ", ("SPRINTER", "VITO"), "VAN", 2),
    Maker("WAU", "AUDI", ("A4", "A6", "Q7"), weight=4),
    Maker("WP0", "PORSCHE", ("911", "CAYENNE"), weight=2),
    Maker("WMA", "MAN", ("TGX",), "TRUCK", 1),
    Maker("YV1", "VOLVO", ("XC90", "XC60", "V70"), weight=2),
    Maker("ZFA", "FIAT", ("500", "PANDA", "DUCATO"), weight=2),
    Maker("ZAR", "ALFA ROMEO", ("GIULIA", "STELVIO"), weight=1),
    Maker("ZFF", "FERRARI", ("488", "ROMA"), weight=1),
    Maker("ZDM", "DUCATI", ("MONSTER", "PANIGALE"), "MOTORCYCLE", 1),
)
# Makes before 1981 numbered vehicles their own way: 9 to 13 characters.
PRE_1981 = (
    ("FORD", "MUSTANG", "9F02", 1969),
    ("CHEVROLET", "CORVETTE", "19437S", 1967),
    ("VOLKSWAGEN", "BEETLE", "11", 1972),
    ("MERCEDES-BENZ", "280 SL", "11304412", 1970),
    ("PORSCHE", "911", "911", 1974),
)
COLOURS = ("WHITE", "BLACK", "SILVER", "GREY", "BLUE", "RED", "GREEN", "BEIGE", "BROWN")
COLOUR_WEIGHTS = (25, 20, 15, 13, 10, 8, 3, 3, 3)
# VIN position 10: model year, letters and digits in a 30-year cycle (49 CFR 565.15).
YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"  # 1980/2010 A ... 2000 Y, 2001-2009 1-9
VIN_CHARACTERS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"  # never I, O, Q


def year_code(year: int) -> str:
    return YEAR_CODES[(year - 1980) % 30]


# Countries that enter stolen vehicles, weighted roughly as INTERPOL's SMV sources are.
VEHICLE_REPORTERS = weighted(
    "IT 9 DE 8 FR 8 ES 6 GB 6 PL 5 RU 4 UA 3 BE 3 NL 3 CA 5 US 6 MX 3 TR 2 GR 1 SE 2 CZ 2 RO 2"
    " HU 1 JP 1 KR 1 AE 2 SA 1 BR 2 CO 1 AR 1 MA 1 NG 1 GE 1 AM 1"
)
# Plates by the reporting country: letters (L), digits (D) and literal characters.
PLATES = {
    "IT": "LL DDDLL",
    "DE": "LL LL DDDD",
    "FR": "LL-DDD-LL",
    "ES": "DDDD LLL",
    "GB": "LLDD LLL",
    "PL": "LLL DDDDD",
    "US": "DLLLDDD",
    "CA": "LLLL DDD",
    "NL": "DD-LLL-D",
    "BE": "D-LLL-DDD",
}
DEFAULT_PLATE = "LLL DDDD"
# Engine number shapes: a maker's engine code then a serial.
ENGINE_CODES = ("CAX", "DFG", "N47", "M276", "2AR", "K20C", "F16D", "G4KE", "QR25", "B47D")


@dataclass(frozen=True, slots=True)
class DocumentShape:
    """How an issuing country numbers its passports (P) and identity cards (I)."""

    country: str
    passport: str  # L letter, D digit, A either (ICAO 9303 allows both), others as they are
    identity: str
    weight: int


DOCUMENT_SHAPES = (
    DocumentShape("FR", "DDLLDDDDD", "DDDDLLDDDDDD", 6),
    DocumentShape("DE", "CAAAAAAAA", "LAAAAAAAA", 5),
    DocumentShape("GB", "DDDDDDDDD", "DDDDDDDDD", 5),
    DocumentShape("US", "DDDDDDDDD", "LDDDDDDDD", 6),
    DocumentShape("CA", "LLDDDDDD", "LLDDDDDD", 2),
    DocumentShape("IT", "LLDDDDDDD", "LLDDDDDLL", 4),
    DocumentShape("ES", "LLLDDDDDD", "DDDDDDDDL", 4),
    DocumentShape("NL", "LLAAAAAAD", "LLAAAAAAD", 2),
    DocumentShape("BE", "LLDDDDDDD", "DDDDDDDDDDDD", 2),
    DocumentShape("PL", "LLDDDDDDD", "LLLDDDDDD", 3),
    DocumentShape("RU", "DDDDDDDDD", "DDDDDDDDDD", 3),
    DocumentShape("UA", "LLDDDDDD", "DDDDDDDDD", 2),
    DocumentShape("TR", "LDDDDDDDD", "LDDLDDDDD", 2),
    DocumentShape("MX", "LDDDDDDDD", "DDDDDDDDDDDDD", 2),
    DocumentShape("BR", "LLDDDDDD", "DDDDDDDDD", 2),
    DocumentShape("CO", "LLDDDDDDD", "DDDDDDDDDD", 1),
    DocumentShape("CN", "LDDDDDDDD", "DDDDDDDDDDDDDDDDDL", 3),
    DocumentShape("IN", "LDDDDDDD", "DDDDDDDDDDDD", 2),
    DocumentShape("NG", "LDDDDDDDD", "DDDDDDDDDDD", 1),
    DocumentShape("SE", "DDDDDDDD", "DDDDDDDD", 1),
    DocumentShape("GR", "LLDDDDDDD", "LDDDDDD", 1),
    DocumentShape("IL", "DDDDDDDD", "DDDDDDDDD", 1),
    DocumentShape("JP", "LLDDDDDDD", "DDDDDDDDDDDD", 1),
    DocumentShape("KR", "LDDDDDDDD", "DDDDDDDDDDDDD", 1),
)
# German numbers draw from this set (no vowels, no B, D, Q, S): C then 8 of them.
GERMAN_CHARACTERS = "CFGHJKLMNPRTVWXYZ0123456789"
# SLTD: about 60% passports; the rest mostly identity cards.
DOCUMENT_TYPES = weighted("P 60 I 30 V 4 R 4 T 2")
DOCUMENT_STATUSES = (("LOST", 55), ("STOLEN", 35), ("REVOKED", 5), ("STOLEN BLANK", 5))


@dataclass(frozen=True, slots=True)
class GunModel:
    make: str
    model: str
    gun_type: str
    calibre: str
    serial: str  # L letter, D digit, literal otherwise
    country: str  # where it is made (ISO-2)
    weight: int = 1


GUN_MODELS = (
    GunModel("GLOCK", "17", "PISTOL", "9MM", "LLLDDD", "AT", 6),
    GunModel("GLOCK", "19", "PISTOL", "9MM", "LLLDDD", "AT", 6),
    GunModel("GLOCK", "43", "PISTOL", "9MM", "LLLLDDD", "AT", 2),
    GunModel("SIG SAUER", "P226", "PISTOL", "9MM", "UDDDDDD", "DE", 2),
    GunModel("SIG SAUER", "P320", "PISTOL", "9MM", "DDLDDDDDD", "US", 3),
    GunModel("BERETTA", "92FS", "PISTOL", "9MM", "LDDDDDDZ", "IT", 3),
    GunModel("BERETTA", "PX4 STORM", "PISTOL", ".40 S&W", "PXDDDDDD", "IT", 1),
    GunModel("SMITH & WESSON", "M&P9", "PISTOL", "9MM", "LLLDDDD", "US", 4),
    GunModel("SMITH & WESSON", "MODEL 686", "REVOLVER", ".357 MAGNUM", "LLLDDDD", "US", 2),
    GunModel("COLT", "M1911A1", "PISTOL", ".45 ACP", "DDDDDDD", "US", 1),
    GunModel("RUGER", "LCP", "PISTOL", ".380 ACP", "DDD-DDDDD", "US", 2),
    GunModel("RUGER", "10/22", "RIFLE", ".22 LR", "DDDD-DDDDD", "US", 1),
    GunModel("CZ", "75 B", "PISTOL", "9MM", "LDDDDDD", "CZ", 2),
    GunModel("WALTHER", "PPK", "PISTOL", ".380 ACP", "DDDDDDLL", "DE", 1),
    GunModel("HECKLER & KOCH", "USP", "PISTOL", "9MM", "DD-DDDDDD", "DE", 1),
    GunModel("FN HERSTAL", "FIVE-SEVEN", "PISTOL", "5.7X28MM", "3868DDDDD", "BE", 1),
    GunModel("KALASHNIKOV", "AK-74M", "RIFLE", "5.45X39MM", "DDDDDDDDD", "RU", 2),
    GunModel("ZASTAVA", "M70", "RIFLE", "7.62X39MM", "DDDDDD", "RS", 2),
    GunModel("TAURUS", "G2C", "PISTOL", "9MM", "LLLDDDDDD", "BR", 2),
    GunModel("REMINGTON", "870", "SHOTGUN", "12 GAUGE", "LDDDDDDDL", "US", 1),
    GunModel("MOSSBERG", "500", "SHOTGUN", "12 GAUGE", "LDDDDDD", "US", 1),
)
GUN_STATUSES = weighted("STOLEN 70 LOST 15 TRAFFICKED 15")
GUN_REPORTERS = weighted(
    "US 5 MX 4 BR 3 CO 2 FR 2 DE 2 IT 2 ES 1 GB 1 UA 2 TR 1 NG 1 CA 1 AR 1 RU 1 IL 1"
)
