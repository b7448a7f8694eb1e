"""The catalog: imported public notices keep EIDs and thumbnails beside synthetic ones."""

import json
from pathlib import Path

from console.switch.catalog import build_dataset

LIST_PAGE = {
    "total": 2,
    "query": {"page": 1, "resultPerPage": 20},
    "_embedded": {
        "notices": [
            {
                "entity_id": "2023/99001",
                "name": "VELLACOTT",
                "forename": "ORIN",
                "date_of_birth": "1979/04/02",
                "nationalities": ["NZ"],
                "_links": {
                    "self": {"href": "https://example.invalid/notices/v1/red/2023-99001"},
                    "thumbnail": {"href": "https://example.invalid/thumb.jpg"},
                },
            },
            {
                "entity_id": "2023/99002",
                "name": "QUARLEBY",
                "forename": "-",
                "date_of_birth": "1985",
                "nationalities": None,
                "_links": {"self": {"href": "https://example.invalid/notices/v1/red/2023-99002"}},
            },
        ]
    },
}


def test_imported_and_synthetic_records_are_served_together(tmp_path: Path) -> None:
    source = tmp_path / "red.json"
    source.write_text(json.dumps(LIST_PAGE))
    dataset = build_dataset(50, 1, [source])
    assert len(dataset) == 52
    assert dataset.has_photo("2023/99001") and not dataset.has_photo("2023/99002")
    record = dataset.get("2023/99001")
    assert record is not None and record.photos and record.nam == "VELLACOTT, ORIN"
    candidates, total = dataset.search("VELLACOTT, ORIN")
    assert total >= 1 and candidates[0].eid == "2023/99001"


def test_synthetic_only_is_deterministic() -> None:
    first = [n.eid for n in build_dataset(30, 5, [])]
    assert first == [n.eid for n in build_dataset(30, 5, [])]
    assert first != [n.eid for n in build_dataset(30, 6, [])]
