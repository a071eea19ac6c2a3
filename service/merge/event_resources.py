"""Event resources from clusters of event mentions.

A merged event takes the most specific mode reported (``mode_precedence``), each actor's
role by vote (a "host" report counts its source as the target of a "visit" event), the
location most reports give, and the best date: day precision before month or year, explicit
before relative before inferred; an event no report dates from its text takes the lead day
its undated lead reports were given (``EventUnit.lead``). Its status follows ``status_precedence``: a denial wins
(it is the most specific statement about whether the event is real), then a report that it
occurred, then a plan, then speculation; disagreement is surfaced as a conflict (see
``conflicts.py``), so no side is lost. Confidence grows with the number of independent sources
(reports relayed through the same agency count once).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import cast

from service.extract.document import DateBasis, DatePrecision, Document
from service.merge.actor_clusters import ActorIndex
from service.merge.common import attribution, attribution_key, noisy_or, source_id, stable_id
from service.merge.dataset import MergeDecision
from service.merge.event_clusters import EventClusters
from service.merge.event_units import EventUnit, UnitKey
from service.merge.rules import MergeRules
from service.models.resources import Attribution, Event, EventActor, EventDate, Location, Summary

_PRECISION_RANK = {"day": 0, "range": 1, "month": 2, "year": 3}
_BASIS_RANK = {"explicit": 0, "relative": 1, "inferred": 2}
_ROLE_ORDER = ("source", "target", "participant", "mentioned")


def event_id(group: list[EventUnit], docs: dict[str, Document]) -> str:
    """The id of an event: from its earliest attribution key (source sha256, span start)."""
    sha, start = min((u.key[0], docs[u.key[0]].events[u.key[1]].start) for u in group)
    return stable_id("evt", sha, str(start))


def _mode(group: list[EventUnit], rules: MergeRules) -> str | None:
    modes = sorted({u.mode for u in group if u.mode})
    order = {m: i for i, m in enumerate(rules.mode_precedence)}
    return min(modes, key=lambda m: (order.get(m, len(order)), m)) if modes else None


def effective_status(unit: EventUnit, event_start: date | None, docs: dict[str, Document]) -> str:
    """A report published before the event's date cannot attest that it occurred: it is a plan."""
    published = docs[unit.key[0]].publication.date
    if (
        unit.status == "occurred"
        and event_start is not None
        and published is not None
        and published < event_start
    ):
        return "planned"
    return unit.status


def _status(group: list[EventUnit], start: date | None, docs: dict[str, Document], rules: MergeRules) -> str:
    order = {s: i for i, s in enumerate(rules.status_precedence)}
    statuses = {effective_status(u, start, docs) for u in group}
    return min(statuses, key=lambda s: (order.get(s, len(order)), s))


def _date_rank(u: EventUnit) -> tuple[int, int, int, UnitKey]:
    """Which report dates a merged event: the most precise, then explicit before relative, then, of
    relative dates, the earliest. A relative date ("اليوم", "أمس") is read against the article's
    publication date, and a crawl or an agency copy can only put that date late, never early, so
    of two outlets' "today" and "yesterday" a day apart the earlier is the more likely day."""
    assert u.start is not None
    relative = u.start.toordinal() if u.basis == "relative" else 0
    return _PRECISION_RANK.get(u.precision, 9), _BASIS_RANK.get(u.basis or "", 9), relative, u.key


def _date(group: list[EventUnit], docs: dict[str, Document]) -> EventDate:
    dated = [u for u in group if u.start is not None]
    if not dated:
        return _lead_date(group, docs)
    best = min(dated, key=_date_rank)
    doc = docs[best.key[0]]
    index = doc.events[best.key[1]].date
    text = doc.dates[index].text if index is not None else ""
    reason = f"«{text}» in {source_id(doc.sha256)}"
    if best.basis == "inferred" and doc.publication.reason:
        reason += f", published on {doc.publication.date} (inferred: {doc.publication.reason})"
    return EventDate(
        start=best.start,
        end=best.end,
        precision=cast("DatePrecision", best.precision),
        basis=cast("DateBasis | None", best.basis),
        reason=reason,
    )


def _lead_date(group: list[EventUnit], docs: dict[str, Document]) -> EventDate:
    """The date of an event no report dates from its text: the lead day its reports were given
    (``EventUnit.lead``), the one most of them give, of a tie the earliest; unknown without one."""
    leads = Counter(u.lead for u in group if u.lead is not None)
    if not leads:
        return EventDate(start=None, end=None, precision="unknown", basis=None)
    day = min(leads, key=lambda d: (-leads[d], d))
    first = min(u.key for u in group if u.lead == day)
    doc = docs[first[0]]
    reason = (
        f"undated in the lead of {source_id(doc.sha256)}, published on {doc.publication.date}:"
        " the outlet's lead day (calendar.json)"
    )
    return EventDate(start=day, end=day, precision="day", basis="inferred", reason=reason)


def _actors(
    group: list[EventUnit],
    plover_type: str,
    mode: str | None,
    location: Location | None,
    actors: ActorIndex,
    rules: MergeRules,
) -> list[EventActor]:
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    swap = {"source": "target", "target": "source"}
    for u in group:
        flip = rules.inverse(u.type, u.mode, mode)
        for actor_id, role in u.actors:
            votes[actor_id][swap.get(role, role) if flip else role] += 1
    roles = {
        actor_id: min(counter, key=lambda r: (-counter[r], _ROLE_ORDER.index(r) if r in _ROLE_ORDER else 9))
        for actor_id, counter in votes.items()
    }
    roles = _home_side(roles, plover_type, mode, location, actors, rules)
    result = [EventActor(actor=actors.refs[a], role=r) for a, r in roles.items()]  # type: ignore[arg-type]
    return sorted(result, key=lambda ea: (_ROLE_ORDER.index(ea.role), ea.actor.id))


def _home_side(
    roles: dict[str, str],
    plover_type: str,
    mode: str | None,
    location: Location | None,
    actors: ActorIndex,
    rules: MergeRules,
) -> dict[str, str]:
    """Directed roles of a visit follow the place: whoever is at home hosts, the others visit.

    Applies to the modes listed in ``home_roles`` when the place's country is known and the
    sides come from that country and from at least one other; actors of unknown country keep
    their voted role.
    """
    home_role = rules.home_roles.get(plover_type, {}).get(mode or "")
    home = actors.country_key(location.id) if location is not None else None
    if home_role is None or home is None:
        return roles
    directed = {a: actors.country_key(a) for a, r in roles.items() if r in ("source", "target")}
    countries = {c for c in directed.values() if c}
    if home not in countries or len(countries) < 2:
        return roles
    away_role = "target" if home_role == "source" else "source"
    return {
        a: (home_role if directed[a] == home else away_role) if directed.get(a) else r
        for a, r in roles.items()
    }


def _location(group: list[EventUnit], actors: ActorIndex) -> Location | None:
    counts = Counter(u.location for u in group if u.location)
    if not counts:
        return None
    best = min(counts, key=lambda a: (-counts[a], actors.refs[a].kind == "country", a))
    ref = actors.refs[best]
    lat, lon = actors.coords.get(best, (None, None))
    return Location(id=ref.id, name_ar=ref.name_ar, name_en=ref.name_en, lat=lat, lon=lon)


def _attributions(group: list[EventUnit], docs: dict[str, Document], actors: ActorIndex) -> list[Attribution]:
    result = []
    for u in group:
        doc = docs[u.key[0]]
        m = doc.events[u.key[1]]
        result.append(attribution(doc, m.start, m.end, actors.ref(doc.sha256, m.via)))
    return sorted(result, key=attribution_key)


def _confidence(group: list[EventUnit], docs: dict[str, Document], actors: ActorIndex) -> float:
    best: dict[str, float] = {}
    for u in group:
        m = docs[u.key[0]].events[u.key[1]]
        via = actors.ref(u.key[0], m.via)
        channel = via.id if via is not None else u.key[0]
        best[channel] = max(best.get(channel, 0.0), m.confidence)
    return noisy_or(list(best.values()))


def build_events(
    clusters: EventClusters, docs: dict[str, Document], actors: ActorIndex, rules: MergeRules
) -> tuple[list[Event], dict[UnitKey, str], list[MergeDecision]]:
    """Events (summaries still empty), the event id of every mention, and the merge decisions."""
    events: list[Event] = []
    event_of: dict[UnitKey, str] = {}
    for group in clusters.groups:
        eid = event_id(group, docs)
        mode = _mode(group, rules)
        when = _date(group, docs)
        where = _location(group, actors)
        attributions = _attributions(group, docs, actors)
        first = group[0]
        mention = docs[first.key[0]].events[first.key[1]]
        events.append(
            Event(
                id=eid,
                type=first.type,
                mode=mode,
                cameo=_cameo(group, docs, mode) or mention.cameo,
                status=_status(group, when.start, docs, rules),  # type: ignore[arg-type]
                date=when,
                location=where,
                actors=_actors(group, first.type, mode, where, actors, rules),
                summary=Summary(en="", ar=""),
                confidence=_confidence(group, docs, actors),
                attributions=attributions,
                source_count=len({a.source_id for a in attributions}),
            )
        )
        for u in group:
            event_of[u.key] = eid
    decisions = [
        MergeDecision(
            id=stable_id("mrg", "event", a[0], str(a[1]), b[0], str(b[1])),
            kind="event",
            target_id=event_of[a],
            member=f"{b[0]}:{b[1]}",
            rule=rule,
            evidence={"joined": f"{a[0]}:{a[1]}", **evidence},
        )
        for a, b, rule, evidence in clusters.joins
    ]
    events.sort(key=lambda e: e.id)
    return events, event_of, sorted(decisions, key=lambda d: d.id)


def _cameo(group: list[EventUnit], docs: dict[str, Document], mode: str | None) -> str | None:
    """The CAMEO code reported with the chosen mode (most frequent, then smallest)."""
    codes = Counter(
        docs[u.key[0]].events[u.key[1]].cameo
        for u in group
        if u.mode == mode and docs[u.key[0]].events[u.key[1]].cameo
    )
    return min(codes, key=lambda c: (-codes[c], c)) if codes else None
