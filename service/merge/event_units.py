"""Event mentions resolved against the global actors: the units the event merge compares.

An ``EventUnit`` is one event mention with its entities mapped to global actor ids, its
participants split into the ones that can tie two reports together (``core``, ``people``),
the people named beside it (``context``), its countries, place and resolved date, or, for a
yearless date in an undated article, the month and day it still fixes (``calendar``).
"""

from __future__ import annotations

from datetime import date

import msgspec

from service.extract.document import Document, EventMention
from service.merge import keys as K
from service.merge.actor_clusters import ActorIndex
from service.merge.rules import MergeRules

UnitKey = tuple[str, int]
"""One event mention: (document sha256, index in ``Document.events``)."""


class EventUnit(msgspec.Struct, frozen=True):
    """An event mention with its entities resolved to global actors and its date resolved."""

    key: UnitKey
    type: str
    mode: str | None
    status: str
    actors: tuple[tuple[str, str], ...]
    core: frozenset[str]
    countries: frozenset[str]
    location: str | None
    start: date | None
    end: date | None
    precision: str
    basis: str | None
    calendar: tuple[int, int | None] | None = None
    people: frozenset[str] = frozenset()
    context: frozenset[str] = frozenset()
    offset: int = 0
    paragraph: int = -1
    headline: bool = False
    quote: str = ""
    date_text: str = ""
    anchors: tuple[str, ...] = ()
    """Type + participant or place: reports of one article sharing one are compared."""
    keys: tuple[str, ...] = ()
    """Fine blocking keys across articles (``merge/keys.py``): reports sharing one are compared."""
    coarse: tuple[str, ...] = ()
    """Coarse blocking keys: reports sharing one are compared when one of them is ``vague``."""
    vague: bool = False
    cross: tuple[str, ...] = ()
    """Type + anchor, without a window, of the anchors that tie reports across articles."""
    wildcard: bool = False
    """An undated report in an undated article: compared with every report sharing a ``cross`` key."""
    pins: tuple[str, ...] = ()
    """Keys a day-precision report is found by when inferring publication dates."""
    pinnable: tuple[str, ...] = ()
    """The ``pins`` a report has once dated to the day (undated articles are linked by them)."""
    killed: int | None = None
    """The toll the report gives, when it is at least ``same_toll_min`` (an anchor ``k:<n>`` too)."""
    tolls: tuple[int, int] | None = None
    """Killed and wounded, when the report gives both and they add up to ``same_tolls_min``
    (an anchor ``t:<killed>+<wounded>`` too, within and across articles)."""


def _context_people(doc: Document, at: int, actors: ActorIndex) -> frozenset[str]:
    """People named in the paragraph of offset ``at`` and the paragraph after it.

    A report often says who led a visit one sentence or paragraph away from the sentence
    that states the visit ("A delegation arrived in Moscow on 2 October. It was led by ...").
    """
    paragraph = next((s.paragraph for s in doc.segments if s.start <= at < s.end), None)
    if paragraph is None:
        return frozenset()
    people = _people_by_paragraph(doc, actors)
    return people.get(paragraph, frozenset()) | people.get(paragraph + 1, frozenset())


def _people_by_paragraph(doc: Document, actors: ActorIndex) -> dict[int, frozenset[str]]:
    """The people each paragraph of ``doc`` names (computed once per document and actor index)."""
    cached = actors.paragraph_people.get(doc.sha256)
    if cached is not None:
        return cached
    found: dict[int, set[str]] = {}
    segments = sorted((s.start, s.end, s.paragraph) for s in doc.segments)
    for m in doc.mentions:
        ref = actors.ref(doc.sha256, m.entity)
        if ref is None or ref.kind != "person":
            continue
        for start, end, paragraph in segments:
            if start <= m.start < end:
                found.setdefault(paragraph, set()).add(ref.id)
    result = {p: frozenset(ids) for p, ids in found.items()}
    actors.paragraph_people[doc.sha256] = result
    return result


def unit_of(
    doc: Document, index: int, mention: EventMention, actors: ActorIndex, rules: MergeRules
) -> EventUnit:
    """Resolve one event mention of ``doc`` against the global actors."""
    roles: dict[str, str] = {}
    for ea in mention.actors:
        ref = actors.ref(doc.sha256, ea.entity)
        if ref is not None and ref.id not in roles:
            roles[ref.id] = ea.role
    core_roles = set(rules.core_roles)
    core = frozenset(
        a
        for a, r in roles.items()
        if actors.refs[a].kind != "country"
        and (r in core_roles or actors.refs[a].kind in rules.core_kinds_any_role)
    )
    countries = frozenset(
        c for a, r in roles.items() if r in core_roles for c in [actors.country_key(a)] if c is not None
    )
    people = frozenset(a for a in core if actors.refs[a].kind in rules.strong_kinds)
    location = actors.ref(doc.sha256, mention.location)
    segment = next((s for s in doc.segments if s.start <= mention.start < s.end), None)
    start = end = None
    precision, basis = "unknown", None
    calendar = None
    date_text = ""
    if mention.date is not None and 0 <= mention.date < len(doc.dates):
        dm = doc.dates[mention.date]
        date_text = dm.text
        if dm.start_date is not None:
            start, end = dm.start_date, dm.end_date or dm.start_date
            precision = dm.precision
            basis = "inferred" if dm.basis == "relative" and doc.publication.basis == "inferred" else dm.basis
        elif dm.relative is not None and dm.relative.month is not None:
            calendar = (dm.relative.month, dm.relative.day)
    context = _context_people(doc, mention.start, actors)
    t = mention.plover_type
    named = [f"a:{a}" for a in sorted(core | context)]
    placed = [f"l:{location.id}"] if location else []
    cross = [a for a in [*named, *placed] if _crosses(a[2:], actors, rules)]
    toll_min = rules.match.same_toll_min
    killed = (
        mention.killed if toll_min and mention.killed is not None and mention.killed >= toll_min else None
    )
    if killed is not None and location is not None:
        cross.append(f"k:{killed}")  # "12 killed" in two outlets' reports of one attack
    tolls = _tolls(mention.killed, mention.wounded, rules.match.same_tolls_min)
    placed_or_tolled = [*placed, f"t:{tolls[0]}+{tolls[1]}"] if tolls else placed
    if tolls:
        cross.append(placed_or_tolled[-1])  # "2 killed and 4 wounded" in two reports of one bomb
    pinned = [f"a:{a}" for a in sorted(core) if _crosses(a, actors, rules)] + [
        p for p in placed if p in cross
    ]
    fine, coarse, vague = K.windows(start, end, doc.publication.date, rules)
    return EventUnit(
        key=(doc.sha256, index),
        type=mention.plover_type,
        mode=mention.plover_mode,
        status=mention.status,
        actors=tuple(sorted(roles.items())),
        core=core,
        countries=countries,
        location=location.id if location else None,
        start=start,
        end=end,
        precision=precision,
        basis=basis,
        calendar=calendar,
        people=people,
        context=context,
        offset=mention.start,
        paragraph=segment.paragraph if segment else -1,
        headline=segment is not None and segment.kind == "headline",
        quote=mention.quote,
        date_text=date_text,
        anchors=tuple(f"{t}|{a}" for a in [*named, *placed_or_tolled]),
        keys=tuple(sorted(K.window_keys(t, cross, fine))),
        coarse=tuple(sorted(K.window_keys(t, cross, coarse))),
        vague=vague,
        cross=tuple(sorted(K.pin_keys(t, cross))),
        wildcard=not coarse,
        pins=tuple(K.pin_keys(t, pinned)) if start is not None and precision == "day" else (),
        pinnable=tuple(K.pin_keys(t, pinned)),
        killed=killed,
        tolls=tolls,
    )


def _tolls(killed: int | None, wounded: int | None, least: int) -> tuple[int, int] | None:
    """Killed and wounded of a report that gives both, adding up to ``least`` (0: never)."""
    if not least or not killed or not wounded or killed + wounded < least:
        return None
    return killed, wounded


def _crosses(actor_id: str, actors: ActorIndex, rules: MergeRules) -> bool:
    ref = actors.refs.get(actor_id)
    return ref is not None and K.cross_anchor(ref.kind, actors.kb_of.get(actor_id), rules)


def units_of(docs: list[Document], actors: ActorIndex, rules: MergeRules) -> list[EventUnit]:
    """Every event mention of every document, resolved, in a canonical order."""
    return sorted(
        (unit_of(d, i, m, actors, rules) for d in docs for i, m in enumerate(d.events)), key=lambda u: u.key
    )


Calendar = tuple[int, "int | None"]
Interval = tuple[date, date]


def calendar_compatible(a: EventUnit, b: EventUnit) -> bool:
    """A yearless date ("9 أيلول") in an undated article still fixes its month and day."""
    if a.calendar is None and b.calendar is None:
        return True
    return calendars_fit(_calendars(a), _intervals(a), _calendars(b), _intervals(b))


def _calendars(unit: EventUnit) -> set[Calendar]:
    return {unit.calendar} if unit.calendar is not None else set()


def _intervals(unit: EventUnit) -> set[Interval]:
    return {(unit.start, unit.end or unit.start)} if unit.start is not None else set()


def calendars_fit(
    calendars_a: set[Calendar],
    intervals_a: set[Interval],
    calendars_b: set[Calendar],
    intervals_b: set[Interval],
) -> bool:
    """``calendar_compatible`` for every pair of one group of mentions with another, given each
    group's distinct yearless dates and date intervals (a mention has at most one of the two)."""
    for calendars, intervals, others in (
        (calendars_a, intervals_a, calendars_b),
        (calendars_b, intervals_b, calendars_a),
    ):
        for month, day in others:
            for other_month, other_day in calendars:
                if other_month != month or (None not in (day, other_day) and day != other_day):
                    return False
            for start, end in intervals:
                if not _covers(start, end, month, day):
                    return False
    return True


def _covers(start: date, end: date, month: int, day: int | None) -> bool:
    """Whether [start, end] contains some date with this month (and day) in any year."""
    if (end - start).days >= 366:
        return True
    year = start.year
    while date(year, 1, 1) <= end:
        last = 29 if month == 2 else 31 if month in (1, 3, 5, 7, 8, 10, 12) else 30
        lo = date(year, month, day or 1) if (day or 1) <= last else None
        hi = date(year, month, day or last) if (day or last) <= last else None
        if lo and hi and lo <= end and hi >= start:
            return True
        year += 1
    return False


def date_gap(a: EventUnit, b: EventUnit) -> int:
    """Days between two known date intervals (0 when they overlap or either is unknown)."""
    if a.start is None or b.start is None:
        return 0
    return max(0, (max(a.start, b.start) - min(a.end or a.start, b.end or b.start)).days)


def locations_compatible(a: str | None, b: str | None, actors: ActorIndex) -> bool:
    """Same place, one unknown, or one is the country the other lies in."""
    if a is None or b is None or a == b:
        return True
    for outer, inner in ((a, b), (b, a)):
        if actors.refs[outer].kind == "country" and actors.country_key(inner) == actors.country_key(outer):
            return True
    return False
