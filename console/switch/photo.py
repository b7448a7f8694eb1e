"""Placeholder photos for the simulated switch: mugshots and vehicles, small deterministic
PNGs, stdlib only."""

from __future__ import annotations

import functools
import hashlib
import math
import struct
import zlib
from collections.abc import Callable

from console.domain.codes import Sex

WIDTH = 160
HEIGHT = 200
CAR_WIDTH = 240
CAR_HEIGHT = 150
MEDIA_TYPE = "image/png"

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SHADES = 40  # background gradient steps (palette entries 0..39)
_FIGURE, _HAIR, _FRAME, _CHART = _SHADES, _SHADES + 1, _SHADES + 2, _SHADES + 3
_BORDER = 3
_CHART_STEP = 25  # faint height-chart lines behind the subject, as on a booking photo

Span = tuple[int, int, int]  # x from, x to (exclusive), palette index


@functools.lru_cache(maxsize=2048)  # ~1 KB each; a busy class reopens the same records
def placeholder_photo(eid: str, sex: Sex | str = Sex.UNKNOWN) -> bytes:
    """A 160x200 head-and-shoulders silhouette, tinted and shaped by the EID: same EID, same PNG."""
    digest = hashlib.sha256(f"{eid}|{sex}".encode()).digest()
    shape = _Shape(digest, Sex(sex) if sex in set(Sex) else Sex.UNKNOWN)
    return _png(WIDTH, HEIGHT, shape.row, _palette(digest))


@functools.lru_cache(maxsize=1024)
def placeholder_vehicle(eid: str, colour: str | None = None) -> bytes:
    """A 240x150 side view of a car in the record's colour (drawn from the EID when the record
    names none we know), its shape drawn from the EID."""
    digest = hashlib.sha256(f"vehicle|{eid}".encode()).digest()
    body = _CAR_COLOURS.get(colour or "") or _car_colour(digest)
    return _png(CAR_WIDTH, CAR_HEIGHT, _Car(digest).row, _palette(digest, body))


def _png(width: int, height: int, row: Callable[[int], bytes], palette: bytes) -> bytes:
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type None: the rows are flat runs, zlib does the rest
        rows += row(y)
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)  # 8-bit palette image
    return b"".join(
        (
            _SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"PLTE", palette),
            _chunk(b"IDAT", zlib.compress(bytes(rows), 9)),
            _chunk(b"IEND", b""),
        )
    )


class _Shape:
    """Head, neck, shoulders and hair as ellipses and a box; a row is a list of filled spans."""

    def __init__(self, digest: bytes, sex: Sex) -> None:
        self.cx = WIDTH // 2 + digest[0] % 9 - 4
        self.head_y = 76 + digest[1] % 9 - 4
        self.head_rx = 29 + digest[2] % 7
        self.head_ry = 37 + digest[3] % 7
        self.shoulder_rx = 68 + digest[4] % 10
        self.shoulder_ry = 58 + digest[5] % 10
        self.shoulder_y = HEIGHT + 4
        self.sex = sex

    def row(self, y: int) -> bytes:
        line = bytearray([y * _SHADES // HEIGHT]) * WIDTH
        if y % _CHART_STEP == 0:
            line[_BORDER : WIDTH - _BORDER] = bytes([_CHART]) * (WIDTH - 2 * _BORDER)
        for x0, x1, index in self._spans(y):
            x0, x1 = max(x0, 0), min(x1, WIDTH)
            if x1 > x0:
                line[x0:x1] = bytes([index]) * (x1 - x0)
        if y < _BORDER or y >= HEIGHT - _BORDER:
            line[:] = bytes([_FRAME]) * WIDTH
        else:
            line[:_BORDER] = line[WIDTH - _BORDER :] = bytes([_FRAME]) * _BORDER
        return bytes(line)

    def _spans(self, y: int) -> list[Span]:
        spans: list[Span] = []
        if self.sex is Sex.FEMALE:  # long hair falls behind the head down to the shoulders
            spans += _ellipse(
                y, self.cx, self.head_y + 18, self.head_rx + 9, self.head_ry + 24, _HAIR
            )
        spans += _ellipse(y, self.cx, self.shoulder_y, self.shoulder_rx, self.shoulder_ry, _FIGURE)
        if self.head_y + self.head_ry - 8 <= y < self.shoulder_y - self.shoulder_ry + 8:
            spans.append((self.cx - 15, self.cx + 15, _FIGURE))  # the neck
        spans += _ellipse(y, self.cx, self.head_y, self.head_rx, self.head_ry, _FIGURE)
        if self.sex is Sex.MALE and y < self.head_y - self.head_ry // 3:  # short hair: a cap
            spans += _ellipse(
                y, self.cx, self.head_y - 3, self.head_rx + 2, self.head_ry + 1, _HAIR
            )
        return spans


def _ellipse(y: int, cx: int, cy: int, rx: int, ry: int, index: int) -> list[Span]:
    dy = (y - cy) / ry
    if abs(dy) > 1:
        return []
    half = rx * math.sqrt(1 - dy * dy)
    return [(round(cx - half), round(cx + half), index)]


def _palette(digest: bytes, figure: tuple[int, int, int] | None = None) -> bytes:
    # A subtle tint per record so a list of photos does not look like one photo repeated.
    tint = (digest[6] % 24 - 12, digest[7] % 24 - 12, digest[8] % 24 - 12)
    entries = bytearray()
    for step in range(_SHADES):
        grey = 222 - step * 60 // _SHADES
        entries += bytes(_clamp(grey + t) for t in tint)
    for grey in (70, 45, 110, 200):  # figure, hair (or glass and tyres), frame, chart line
        entries += bytes(_clamp(grey + t // 2) for t in tint)
    if figure is not None:
        entries[_FIGURE * 3 : _FIGURE * 3 + 3] = bytes(figure)
    return bytes(entries)


_CAR_COLOURS = {
    "WHITE": (236, 236, 232),
    "BLACK": (34, 34, 38),
    "SILVER": (190, 194, 198),
    "GREY": (120, 124, 128),
    "BLUE": (36, 70, 140),
    "RED": (168, 30, 36),
    "GREEN": (40, 100, 60),
    "BEIGE": (214, 200, 170),
    "BROWN": (110, 74, 50),
}


def _car_colour(digest: bytes) -> tuple[int, int, int]:
    colours = list(_CAR_COLOURS.values())
    return colours[digest[9] % len(colours)]


class _Car:
    """A car side-on: body, cabin with its glass, two wheels, the ground line."""

    def __init__(self, digest: bytes) -> None:
        self.ground = 122
        self.wheel_r = 16 + digest[0] % 5
        self.front_x = 178 + digest[1] % 9 - 4
        self.rear_x = 62 + digest[2] % 9 - 4
        self.body_top = 76 + digest[3] % 9 - 4
        self.roof = 44 + digest[4] % 11 - 5
        self.cabin = (70 + digest[5] % 11 - 5, 168 + digest[6] % 11 - 5)

    def row(self, y: int) -> bytes:
        line = bytearray([y * _SHADES // CAR_HEIGHT]) * CAR_WIDTH
        if y == self.ground:
            line[_BORDER : CAR_WIDTH - _BORDER] = bytes([_CHART]) * (CAR_WIDTH - 2 * _BORDER)
        for x0, x1, index in self._spans(y):
            x0, x1 = max(x0, 0), min(x1, CAR_WIDTH)
            if x1 > x0:
                line[x0:x1] = bytes([index]) * (x1 - x0)
        if y < _BORDER or y >= CAR_HEIGHT - _BORDER:
            line[:] = bytes([_FRAME]) * CAR_WIDTH
        else:
            line[:_BORDER] = line[CAR_WIDTH - _BORDER :] = bytes([_FRAME]) * _BORDER
        return bytes(line)

    def _spans(self, y: int) -> list[Span]:
        spans: list[Span] = []
        left, right = self.cabin
        if self.roof <= y < self.body_top:  # the cabin narrows towards the roof
            rise = (self.body_top - y) / max(self.body_top - self.roof, 1)
            x0, x1 = round(left - 18 + 18 * rise), round(right + 22 - 22 * rise)
            spans.append((x0, x1, _FIGURE))
            if y > self.roof + 4:
                spans.append((x0 + 6, x1 - 6, _HAIR))  # the glass
        bottom = self.ground - self.wheel_r // 2
        if self.body_top <= y < bottom:
            spans.append((20, CAR_WIDTH - 20, _FIGURE))
        for cx in (self.rear_x, self.front_x):
            cy = self.ground - self.wheel_r
            spans += _ellipse(y, cx, cy, self.wheel_r + 3, self.wheel_r + 3, _FRAME)
            spans += _ellipse(y, cx, cy, self.wheel_r, self.wheel_r, _HAIR)
            spans += _ellipse(y, cx, cy, self.wheel_r // 2, self.wheel_r // 2, _CHART)
        return spans


def _clamp(value: int) -> int:
    return max(0, min(255, value))


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
