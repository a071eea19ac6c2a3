"""Date arithmetic for relative expressions: resolve them against a publication date, or invert.

Pure functions over ``RelativeDate`` (see ``document.py`` for what each unit means), shared
by the date grammar (``dates.py``) and the cross-article inference that pins undated
articles down. Part-of-period bounds (early/mid/late) come from ``data/calendar.json``.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from service.extract import datafiles
from service.extract.document import DatePrecision, RelativeDate

PART_DAYS: dict[str, tuple[int, int]] = {k: v for k, v in datafiles.calendar().part_days.items()}
PART_MONTHS: dict[str, tuple[int, int]] = {k: v for k, v in datafiles.calendar().part_months.items()}
# A relative day named with its weekday ("أمس الأحد") that does not fit the publication date was
# written up to this many days before the date the article carries (an upload after midnight, or a
# crawl days later: on SaudiNewsNet such weekdays fall one to five days before the carried date).
WRITTEN_BEFORE_DAYS = 5


def month_range(year: int, month: int, part: str | None) -> tuple[date, date]:
    """The first and last day of a month, or of its early/mid/late part."""
    last = calendar.monthrange(year, month)[1]
    if part is None:
        return date(year, month, 1), date(year, month, last)
    lo, hi = PART_DAYS[part]
    return date(year, month, lo), date(year, month, min(hi, last))


def year_range(year: int, part: str | None) -> tuple[date, date]:
    """The first and last day of a year, or of its early/mid/late part."""
    if part is None:
        return date(year, 1, 1), date(year, 12, 31)
    lo, hi = PART_MONTHS[part]
    return date(year, lo, 1), month_range(year, hi, None)[1]


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + offset
    return index // 12, index % 12 + 1


def _resolve_calendar(rel: RelativeDate, published: date) -> tuple[date, date, DatePrecision]:
    if rel.month is None:
        raise ValueError("a calendar date needs a month")
    years = range(published.year - 8, published.year + 9)
    if rel.day is not None:
        days = [date(y, rel.month, rel.day) for y in years if rel.day <= calendar.monthrange(y, rel.month)[1]]
        if rel.direction == "past":
            days = [d for d in days if d <= published][-1:]
        elif rel.direction == "next":
            days = [d for d in days if d >= published][:1]
        if not days:
            raise ValueError(f"no such day: {rel.day}/{rel.month}")
        best = min(days, key=lambda d: (abs((d - published).days), d))
        return best, best, "day"
    here = published.year * 12 + published.month - 1
    keys = [y * 12 + rel.month - 1 for y in years]
    if rel.direction == "past":
        key = max(k for k in keys if k < here)
    elif rel.direction == "next":
        key = min(k for k in keys if k > here)
    else:
        key = min(keys, key=lambda k: (abs(k - here), k))
    start, end = month_range(key // 12, rel.month, rel.part)
    return start, end, "range" if rel.part else "month"


def resolve_relative(rel: RelativeDate, published: date) -> tuple[date, date, DatePrecision]:
    """The (start, end, precision) a relative expression denotes for an article published on ``published``.

    Pure, so the cross-article merge can re-resolve a mention once it infers a publication date.
    Raises ValueError when the expression names an impossible date (30 February).
    """
    if rel.unit == "day":
        d = published + timedelta(days=rel.offset_days)
        behind = (d.isoweekday() - rel.weekday) % 7 if rel.weekday is not None else 0
        if behind <= WRITTEN_BEFORE_DAYS:
            d -= timedelta(
                days=behind
            )  # "اليوم الاثنين" crawled on Tuesday: the article was written on Monday
        return d, d, "day"
    if rel.unit == "weekday":
        if rel.weekday is None:
            raise ValueError("a weekday expression needs a weekday")
        anchor = published + timedelta(days=rel.offset_days)
        d = (
            anchor
            - timedelta(days=(anchor.isoweekday() - rel.weekday) % 7)
            + timedelta(weeks=rel.offset_weeks)
        )
        return d, d, "day"
    if rel.unit == "week":
        monday = published - timedelta(days=published.isoweekday() - 1) + timedelta(weeks=rel.offset_weeks)
        return monday, monday + timedelta(days=6), "range"
    if rel.unit == "month":
        year, month = _shift_month(published.year, published.month, rel.offset_months)
        if rel.day is not None:
            if rel.day > calendar.monthrange(year, month)[1]:
                raise ValueError(f"no such day: {rel.day}/{month}/{year}")
            d = date(year, month, rel.day)
            return d, d, "day"
        start, end = month_range(year, month, rel.part)
        return start, end, "range" if rel.part else "month"
    if rel.unit == "year" and rel.month is not None:
        year = published.year + rel.offset_years
        if rel.day is not None:
            if rel.day > calendar.monthrange(year, rel.month)[1]:
                raise ValueError(f"no such day: {rel.day}/{rel.month}/{year}")
            d = date(year, rel.month, rel.day)
            return d, d, "day"
        start, end = month_range(year, rel.month, rel.part)
        return start, end, "range" if rel.part else "month"
    if rel.unit == "year":
        start, end = year_range(published.year + rel.offset_years, rel.part)
        return start, end, "range" if rel.part else "year"
    return _resolve_calendar(rel, published)


def written_on(relatives: list[RelativeDate], published: date) -> date:
    """The day the article was written: ``published`` unless every relative day it names with its
    weekday ("اليوم السبت", "أمس الجمعة") falls before it, by the same count of days, within
    ``WRITTEN_BEFORE_DAYS``; then the article is older than the date it carries, and its other
    relative dates ("أمس", "الخميس الماضي") count from the day it was written."""
    behind: set[int] = set()
    for rel in relatives:
        if rel.unit == "day" and rel.weekday is not None:
            d = published + timedelta(days=rel.offset_days)
            behind.add((d.isoweekday() - rel.weekday) % 7)
    if len(behind) != 1:
        return published
    days = behind.pop()
    return published - timedelta(days=days) if days <= WRITTEN_BEFORE_DAYS else published


def infer_publication(rel: RelativeDate, event_start: date) -> date | None:
    """The publication date implied when ``rel`` is known to denote a period starting on ``event_start``.

    Only day offsets ("yesterday", "two days ago") pin the publication to one day; a weekday,
    week, month, year or yearless date is consistent with many publication days, so None.
    """
    if rel.unit != "day":
        return None
    if rel.weekday is not None and event_start.isoweekday() != rel.weekday:
        return None
    return event_start - timedelta(days=rel.offset_days)
