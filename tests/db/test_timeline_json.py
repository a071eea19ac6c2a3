"""The default timeline's JSON built from the groups' arrays (``series.bucket_pieces``, what
/v1/stats/timeline sends when the rollups cover the filter) is byte for byte the encoding of the
buckets that ``series.to_buckets`` lays out: same order (period, count descending, the group's
place), ties, negative offsets (events running at ``from``), every interval, keys and labels that
JSON must escape, counts of any size."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.db import series, stats
from service.errors import InvalidParameter

TEXT = st.one_of(st.none(), st.text(max_size=6), st.sampled_from(['q"\\', "عربي", "\u2028\n\t", "act_00001"]))


@st.composite
def groups(draw: st.DrawFn) -> list[series.Points]:
    out: list[series.Points] = []
    for _ in range(draw(st.integers(1, 6))):
        offsets = sorted(draw(st.sets(st.integers(-4, 30), max_size=12)))
        counts = [draw(st.one_of(st.integers(1, 3), st.integers(1, 10**12))) for _ in offsets]
        out.append((draw(TEXT), draw(TEXT), offsets, counts))
    return out


@settings(max_examples=300, deadline=None)
@given(
    interval=st.sampled_from(["day", "week", "month", "year"]),
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    points=groups(),
)
def test_the_pieces_are_the_encoded_buckets(interval: str, day: date, points: list[series.Points]) -> None:
    anchor = series.period_start(interval, day)
    expected = msgspec.json.encode(series.to_buckets(interval, anchor, points))
    assert b"[" + b"".join(series.bucket_pieces(interval, anchor, points)) + b"]" == expected


def test_the_bucket_limit_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stats, "MAX_TIMELINE_BUCKETS", 3)
    points: list[series.Points] = [("a", None, [0, 1], [1, 1]), ("b", None, [0, 2], [2, 1])]
    with pytest.raises(InvalidParameter):
        series.bucket_pieces("day", date(2025, 1, 1), points)
