"""Every data file has one typed loader: the files load, and a misspelt key or a wrong type fails loudly."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from service.extract import datafiles
from service.merge.summaries import SummaryData, summary_data


def test_every_data_file_loads_with_its_loader() -> None:
    datafiles.check_all()
    summary_data()


def test_notes_are_dropped_at_every_level_and_never_read_as_data() -> None:
    raw = {"_about": "x", "a": {"_doc": "y", "b": [{"_c": 1, "d": 2}]}}
    assert datafiles.without_notes(raw) == {"a": {"b": [{"d": 2}]}}


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("titles.json", datafiles.Titles),
        ("calendar.json", datafiles.Calendar),
        ("calendar_layout.json", datafiles.Layout),
        ("claim_cues.json", datafiles.ClaimCues),
        ("event_types.json", datafiles.EventTypes),
    ],
)
def test_a_misspelt_key_is_an_error(name: str, shape: type, tmp_path: Path) -> None:
    raw = json.loads((datafiles.DATA_DIR / name).read_text(encoding="utf-8"))
    first = next(k for k in raw if not k.startswith("_"))
    raw[first + "s"] = raw.pop(first)
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert(datafiles.without_notes(raw), shape)


def test_a_wrong_type_in_a_trigger_names_the_field() -> None:
    raw = json.loads((datafiles.DATA_DIR / "event_types.json").read_text(encoding="utf-8"))
    raw["triggers"][0]["forms"] = "زار"
    with pytest.raises(msgspec.ValidationError, match=r"triggers\[0\]\.forms"):
        msgspec.convert(datafiles.without_notes(raw), datafiles.EventTypes)


def test_an_unknown_field_in_a_knowledge_base_entry_is_an_error() -> None:
    record = {"id": "person.x", "name_ar": "س", "name_en": "X", "alias": ["ص"]}
    with pytest.raises(msgspec.ValidationError, match="alias"):
        msgspec.convert(record, datafiles.KbRecord)


def test_summary_templates_forbid_unknown_fields() -> None:
    raw = json.loads(Path(__file__).parents[2].joinpath("service/merge/data/summaries.json").read_text())
    raw["template"] = raw.pop("templates")
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert(datafiles.without_notes(raw), SummaryData)
