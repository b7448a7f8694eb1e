"""Each operator's window layout in the profile folder: one table per operator, owner-only,
replaced whole; a file this console cannot read never stops a logon, a newer one is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.storage.layout import LAYOUT_FILE, LayoutError, LayoutFile

A = {"size": [1260, 780], "splitters": {"askingColumn": [190, 281]}, "docks": "AAAA/w=="}
B = {"size": [1900, 1050], "splitters": {"askingColumn": [300, 600]}, "docks": ""}


def test_each_operator_gets_their_own_layout_back(tmp_path: Path) -> None:
    layouts = LayoutFile(tmp_path)
    assert layouts.load("OPR1") == {}
    layouts.save("OPR1", A)
    layouts.save("OPR2", B)
    assert layouts.load("OPR1") == A
    again = LayoutFile(tmp_path)  # the next logon reads the file afresh
    assert again.load("OPR2") == B
    assert again.load("OPR3") == {}
    assert (tmp_path / LAYOUT_FILE).stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("text", ["not = [toml", 'version = 1\noperators = "x"', "\xff"])
def test_an_unreadable_file_gives_the_default_layout_and_is_rewritten(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / LAYOUT_FILE
    path.write_bytes(text.encode("latin-1"))
    layouts = LayoutFile(tmp_path)
    assert layouts.load("OPR1") == {}
    layouts.save("OPR1", A)
    assert layouts.load("OPR1") == A


def test_a_newer_consoles_file_is_kept(tmp_path: Path) -> None:
    path = tmp_path / LAYOUT_FILE
    newer = "version = 2\n[operators.OPR1]\nsize = [1, 2]\n"
    path.write_text(newer, "utf-8")
    layouts = LayoutFile(tmp_path)
    assert layouts.load("OPR1") == {}
    layouts.save("OPR1", A)
    assert path.read_text("utf-8") == newer


def test_a_file_that_cannot_be_written_says_so_plainly(tmp_path: Path) -> None:
    (tmp_path / LAYOUT_FILE).mkdir()  # in the way: nothing can replace it
    layouts = LayoutFile(tmp_path)
    assert layouts.load("OPR1") == {}
    with pytest.raises(
        LayoutError, match=r"the window layout was not saved to .*layout\.toml: Is a directory"
    ):
        layouts.save("OPR1", A)
