"""Placeholder photos: valid, small, deterministic PNGs."""

from __future__ import annotations

import struct
import zlib

from console.domain.codes import Sex
from console.switch.photo import HEIGHT, WIDTH, placeholder_photo

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """Every chunk as (type, data), checking each CRC on the way."""
    assert png[:8] == SIGNATURE
    found = []
    at = 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        tag = png[at + 4 : at + 8]
        data = png[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(tag + data), tag
        found.append((tag, data))
        at += 12 + length
    assert at == len(png)
    return found


def pixels(png: bytes) -> list[bytes]:
    """The rows of palette indexes (every row uses filter type 0)."""
    raw = zlib.decompress(b"".join(data for tag, data in chunks(png) if tag == b"IDAT"))
    rows = [raw[y * (WIDTH + 1) : (y + 1) * (WIDTH + 1)] for y in range(HEIGHT)]
    assert all(row[0] == 0 for row in rows)
    return [row[1:] for row in rows]


def test_is_a_valid_png_of_the_stated_size() -> None:
    png = placeholder_photo("2021/01234", Sex.MALE)
    found = chunks(png)
    tags = [tag for tag, _ in found]
    assert tags[0] == b"IHDR" and tags[-1] == b"IEND" and b"IDAT" in tags
    width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", found[0][1])
    assert (width, height, depth, colour_type, interlace) == (160, 200, 8, 3, 0)
    palette = dict(found)[b"PLTE"]
    assert len(palette) % 3 == 0
    rows = pixels(png)
    assert len(rows) == HEIGHT and all(len(row) == WIDTH for row in rows)
    assert max(max(row) for row in rows) < len(palette) // 3


def test_shows_a_figure_inside_a_frame() -> None:
    rows = pixels(placeholder_photo("2021/01234", Sex.UNKNOWN))
    frame = rows[0][0]
    assert rows[HEIGHT // 2][0] == frame and rows[-1][WIDTH // 2] == frame
    figure = rows[HEIGHT - 10][WIDTH // 2]  # the shoulders
    assert rows[HEIGHT * 2 // 5][WIDTH // 2] == figure  # the head
    assert rows[20][10] not in (figure, frame)  # background beside the head


def test_is_deterministic_per_record_and_varies_between_records() -> None:
    assert placeholder_photo("2019/00042", Sex.FEMALE) == placeholder_photo("2019/00042", "F")
    assert placeholder_photo("2019/00042", Sex.FEMALE) != placeholder_photo("2019/00043", "F")
    assert placeholder_photo("2019/00042", Sex.FEMALE) != placeholder_photo("2019/00042", "M")


def test_is_small_and_takes_any_sex_code() -> None:
    for sex in (*Sex, "X"):
        assert len(placeholder_photo("2020/00001", sex)) < 4096
