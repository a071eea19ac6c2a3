"""The timeline chart: the period fits the range, counts add up, empty periods are drawn."""

from __future__ import annotations

from datetime import date

from service.models import TimelineBucket
from service.web.charts import MAX_BARS, choose_interval, timeline_chart


def day(iso: str, count: int) -> TimelineBucket:
    return TimelineBucket(period=date.fromisoformat(iso), key=None, label=None, count=count)


def test_interval_is_the_finest_that_fits() -> None:
    assert choose_interval(date(2025, 10, 1), date(2025, 10, 31)) == "day"
    assert choose_interval(date(2025, 1, 1), date(2025, 10, 31)) == "week"
    assert choose_interval(date(2021, 1, 1), date(2025, 12, 31)) == "month"
    assert choose_interval(date(2015, 9, 30), date(2025, 10, 15)) == "year"


def test_counts_roll_up_and_gaps_are_drawn() -> None:
    chart = timeline_chart([day("2015-09-30", 1), day("2025-10-02", 3), day("2025-10-15", 2)])
    assert chart is not None and chart.interval == "year"
    assert [b.label for b in chart.bars] == [str(y) for y in range(2015, 2026)]
    assert sum(b.count for b in chart.bars) == 6 and chart.peak == 5
    assert chart.bars[-1].start == date(2025, 1, 1) and chart.bars[-1].end == date(2025, 12, 31)
    assert chart.bars[1].height == 0 and chart.bars[-1].height > chart.bars[0].height


def test_weeks_start_on_monday_and_bars_fit() -> None:
    chart = timeline_chart([day("2025-01-01", 1), day("2025-06-30", 4)])
    assert chart is not None and chart.interval == "week"
    assert all(b.start.weekday() == 0 for b in chart.bars) and len(chart.bars) <= MAX_BARS
    assert round(sum(b.width for b in chart.bars)) == round(chart.width)


def test_no_dated_events_no_chart() -> None:
    assert timeline_chart([]) is None
