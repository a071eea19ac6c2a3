"""A cluster's yearless dates are checked against another's through their distinct values, which
must give the same answer as checking every pair of mentions one by one (the rule as first written,
kept here as the reference)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from service.merge.event_units import EventUnit, _covers, calendars_fit


def unit(i: int, when: tuple[str, int, int]) -> EventUnit:
    kind, a, b = when
    start = end = None
    calendar = None
    if kind == "calendar":
        calendar = (a, b if b <= 28 else None)
    elif kind == "interval":
        start = date(2024, 1, 1) + timedelta(days=a * 7)
        end = start + timedelta(days=b)
    return EventUnit(
        key=("d", i),
        type="CONSULT",
        mode=None,
        status="occurred",
        actors=(),
        core=frozenset(),
        countries=frozenset(),
        location=None,
        start=start,
        end=end,
        precision="day",
        basis=None,
        calendar=calendar,
    )


def reference(a: EventUnit, b: EventUnit) -> bool:
    for x, y in ((a, b), (b, a)):
        if x.calendar is None:
            continue
        month, day = x.calendar
        if y.calendar is not None and (
            y.calendar[0] != month or (None not in (day, y.calendar[1]) and day != y.calendar[1])
        ):
            return False
        if y.start is not None and not _covers(y.start, y.end or y.start, month, day):
            return False
    return True


whens = st.tuples(st.sampled_from(["calendar", "interval", "none"]), st.integers(1, 12), st.integers(0, 31))


def facts(units: list[EventUnit]) -> tuple[set, set]:
    calendars = {u.calendar for u in units if u.calendar is not None}
    intervals = {(u.start, u.end or u.start) for u in units if u.start is not None}
    return calendars, intervals


@given(st.lists(whens, min_size=1, max_size=5), st.lists(whens, min_size=1, max_size=5))
def test_distinct_values_decide_like_every_pair(left: list, right: list) -> None:
    a = [unit(i, w) for i, w in enumerate(left)]
    b = [unit(100 + i, w) for i, w in enumerate(right)]
    pairwise = all(reference(x, y) for x in a for y in b if x.calendar or y.calendar)
    assert calendars_fit(*facts(a), *facts(b)) == pairwise
