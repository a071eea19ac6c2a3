"""The timeline chart: daily counts rolled up to a period that fits, as bars for an inline SVG."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from service.models import TimelineBucket

MAX_BARS = 60
WIDTH = 720.0
HEIGHT = 80.0


@dataclass(frozen=True)
class Bar:
    start: date
    end: date
    count: int
    label: str
    x: float
    width: float
    height: float

    @property
    def y(self) -> float:
        return HEIGHT - self.height


@dataclass(frozen=True)
class Chart:
    interval: str
    bars: list[Bar]
    peak: int
    width: float = WIDTH
    height: float = HEIGHT

    @property
    def ticks(self) -> list[Bar]:
        """About six bars whose labels are written under the axis."""
        step = max(1, len(self.bars) // 6)
        return self.bars[::step]


def _period_start(day: date, interval: str) -> date:
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    if interval == "year":
        return day.replace(month=1, day=1)
    return day


def _period_end(start: date, interval: str) -> date:
    if interval == "week":
        return start + timedelta(days=6)
    if interval == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if interval == "year":
        return start.replace(month=12, day=31)
    return start


def _next(start: date, interval: str) -> date:
    return _period_end(start, interval) + timedelta(days=1)


def _label(start: date, interval: str) -> str:
    if interval == "year":
        return f"{start.year}"
    if interval == "month":
        return f"{start.year}-{start.month:02d}"
    return start.isoformat()


def choose_interval(first: date, last: date) -> str:
    """The finest of day, week, month and year that draws the range in at most MAX_BARS bars."""
    days = (last - first).days + 1
    if days <= MAX_BARS:
        return "day"
    if days <= MAX_BARS * 7:
        return "week"
    if (last.year - first.year) * 12 + last.month - first.month < MAX_BARS:
        return "month"
    return "year"


def timeline_chart(buckets: Iterable[TimelineBucket]) -> Chart | None:
    """Bars for daily ``buckets`` (one per period, empty periods included); None without dated events."""
    daily = [(b.period, b.count) for b in buckets]
    if not daily:
        return None
    first, last = min(d for d, _ in daily), max(d for d, _ in daily)
    interval = choose_interval(first, last)
    counts: dict[date, int] = {}
    for day, count in daily:
        start = _period_start(day, interval)
        counts[start] = counts.get(start, 0) + count
    periods = []
    start = _period_start(first, interval)
    while start <= last:
        periods.append(start)
        start = _next(start, interval)
    peak = max(counts.values())
    width = WIDTH / len(periods)
    bars = [
        Bar(
            start=p,
            end=_period_end(p, interval),
            count=counts.get(p, 0),
            label=_label(p, interval),
            x=round(i * width, 2),
            width=round(width, 2),
            height=round((HEIGHT - 4) * counts.get(p, 0) / peak, 2),
        )
        for i, p in enumerate(periods)
    ]
    return Chart(interval=interval, bars=bars, peak=peak)
