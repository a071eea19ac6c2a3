"""Disagreements between sources, each side with its attributions.

Attribute conflicts: a person's rank differs between sources (الفريق أول / اللواء), or the
reports merged into one event give different dates or contradicting statuses. Claim
conflicts: statements about one event whose stances contradict (a denial against an
assertion, expectation or speculation); both claims then list each other in
``contradicts`` and the event's status conflict becomes kind "claim". Conflict ids come
from the subject id and the field, so they are stable.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from service.extract.document import Document
from service.merge.common import attribution, attribution_key, stable_id
from service.merge.event_resources import effective_status
from service.merge.event_units import EventUnit, UnitKey
from service.merge.rules import MergeRules
from service.models.resources import Actor, Attribution, Claim, Conflict, ConflictValue, Event, SubjectRef
from service.text import match_key


def conflict_id(subject_id: str, field: str) -> str:
    """The stable id of the conflict about ``field`` of ``subject_id``."""
    return stable_id("cfl", subject_id, field)


def _values(
    groups: dict[str, list[Attribution]], claims: dict[str, list[str]] | None = None
) -> list[ConflictValue]:
    return [
        ConflictValue(
            value=value,
            attributions=sorted(set(atts), key=attribution_key),
            claim_ids=sorted(set((claims or {}).get(value, []))),
        )
        for value, atts in sorted(groups.items())
    ]


def rank_conflicts(actors: list[Actor]) -> list[Conflict]:
    """A conflict for every person whose sources give different ranks."""
    conflicts = []
    for actor in actors:
        if actor.kind != "person":
            continue
        by_key: dict[str, list[Attribution]] = defaultdict(list)
        shown: dict[str, str] = {}
        for role in actor.roles:
            if role.rank:
                key = match_key(role.rank)
                by_key[key].append(role.attribution)
                shown[key] = min(shown.get(key, role.rank), role.rank)
        if len(by_key) < 2 or len({a.source_id for atts in by_key.values() for a in atts}) < 2:
            continue
        subject = SubjectRef(kind="actor", id=actor.id, name_en=actor.name.en, name_ar=actor.name.ar)
        conflicts.append(
            Conflict(
                id=conflict_id(actor.id, "rank"),
                kind="attribute",
                subject=subject,
                field="rank",
                values=_values({shown[k]: atts for k, atts in by_key.items()}),
            )
        )
    return conflicts


def _date_value(unit: EventUnit) -> str | None:
    if unit.start is None:
        return None
    if unit.precision == "month":
        return unit.start.isoformat()[:7]
    if unit.precision == "year":
        return unit.start.isoformat()[:4]
    end = unit.end or unit.start
    return unit.start.isoformat() if end == unit.start else f"{unit.start.isoformat()}/{end.isoformat()}"


def _overlap(a: EventUnit, b: EventUnit) -> bool:
    return (
        a.start is not None
        and b.start is not None
        and a.start <= (b.end or b.start)
        and b.start <= (a.end or a.start)
    )


def event_conflicts(
    events: list[Event],
    groups: dict[str, list[EventUnit]],
    docs: dict[str, Document],
    claims: list[Claim],
    rules: MergeRules,
) -> list[Conflict]:
    """Date and status conflicts among the reports merged into each event; marks contradicting claims."""
    claims_of: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.event_id:
            claims_of[claim.event_id].append(claim)
    conflicts = []
    for event in events:
        units = groups[event.id]
        subject = SubjectRef(
            kind="event", id=event.id, name_en=event.summary.en or None, name_ar=event.summary.ar or None
        )
        found = [
            c
            for c in (
                _date_conflict(units, docs, subject),
                _status_conflict(units, claims_of[event.id], docs, subject, rules, event.date.start),
            )
            if c
        ]
        event.conflicts = found
        conflicts.extend(found)
    return conflicts


def _unit_attribution(unit: EventUnit, docs: dict[str, Document]) -> Attribution:
    doc = docs[unit.key[0]]
    mention = doc.events[unit.key[1]]
    return attribution(doc, mention.start, mention.end)


def _date_conflict(units: list[EventUnit], docs: dict[str, Document], subject: SubjectRef) -> Conflict | None:
    dated = [u for u in units if u.start is not None and u.precision in ("day", "range")]
    disjoint = any(not _overlap(a, b) for i, a in enumerate(dated) for b in dated[i + 1 :])
    if not disjoint:
        return None
    by_value: dict[str, list[Attribution]] = defaultdict(list)
    for u in dated:
        by_value[_date_value(u) or ""].append(_unit_attribution(u, docs))
    return Conflict(
        id=conflict_id(subject.id, "date"),
        kind="attribute",
        subject=subject,
        field="date",
        values=_values(by_value),
    )


def _status_conflict(
    units: list[EventUnit],
    claims: list[Claim],
    docs: dict[str, Document],
    subject: SubjectRef,
    rules: MergeRules,
    start: date | None,
) -> Conflict | None:
    by_status: dict[str, list[Attribution]] = defaultdict(list)
    claim_ids: dict[str, list[str]] = defaultdict(list)
    for u in units:
        by_status[effective_status(u, start, docs)].append(_unit_attribution(u, docs))
    for claim in claims:
        status = rules.stance_status.get(claim.stance)
        if status:
            by_status[status].append(claim.attribution)
            claim_ids[status].append(claim.id)
    statuses = sorted(by_status)
    if not any(rules.statuses_contradict(a, b) for a in statuses for b in statuses):
        return None
    contradicting = mark_contradictions(claims, rules)
    return Conflict(
        id=conflict_id(subject.id, "status"),
        kind="claim" if contradicting else "attribute",
        subject=subject,
        field="status",
        values=_values(by_status, claim_ids),
    )


def mark_contradictions(claims: list[Claim], rules: MergeRules) -> bool:
    """Fill ``contradicts`` both ways for claims whose stances contradict; True if any do."""
    found = False
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            if (
                a.attribution.source_id == b.attribution.source_id
                and a.speaker == b.speaker
                and a.stance == b.stance
            ):
                continue
            if rules.stances_contradict(a.stance, b.stance):
                a.contradicts = sorted({*a.contradicts, b.id})
                b.contradicts = sorted({*b.contradicts, a.id})
                found = True
    return found


def claim_conflicts(claims: list[Claim], rules: MergeRules) -> list[Conflict]:
    """Claims not tied to one event that contradict each other about the same thing.

    Two claims contradict when their stances do and they are about a common actor of a kind in
    ``claim_subject_kinds`` (a weapon system: "talk of an S-400 deal" against "reports of arms
    purchases are untrue"). Claims on two different events never contradict; claims on the same
    event are handled with the event's status conflict.
    """
    kinds = set(rules.claim_subject_kinds)
    by_subject: dict[str, list[Claim]] = defaultdict(list)
    refs = {}
    for claim in claims:
        for ref in claim.about:
            if ref.kind in kinds:
                by_subject[ref.id].append(claim)
                refs[ref.id] = ref
    conflicts = []
    for subject_id in sorted(by_subject):
        group = by_subject[subject_id]
        pairs = [
            (a, b)
            for i, a in enumerate(group)
            for b in group[i + 1 :]
            if rules.stances_contradict(a.stance, b.stance)
            and (a.event_id is None or a.event_id != b.event_id)
            and not (a.event_id and b.event_id)
        ]
        if not pairs:
            continue
        involved: dict[str, Claim] = {}
        for a, b in pairs:
            a.contradicts = sorted({*a.contradicts, b.id})
            b.contradicts = sorted({*b.contradicts, a.id})
            involved |= {a.id: a, b.id: b}
        by_stance: dict[str, list[Attribution]] = defaultdict(list)
        ids: dict[str, list[str]] = defaultdict(list)
        for claim in involved.values():
            by_stance[claim.stance].append(claim.attribution)
            ids[claim.stance].append(claim.id)
        ref = refs[subject_id]
        conflicts.append(
            Conflict(
                id=conflict_id(subject_id, "stance"),
                kind="claim",
                subject=SubjectRef(kind="actor", id=ref.id, name_en=ref.name_en, name_ar=ref.name_ar),
                field="stance",
                values=_values(by_stance, ids),
            )
        )
    return conflicts


def unit_groups(event_of: dict[UnitKey, str], units: list[EventUnit]) -> dict[str, list[EventUnit]]:
    """The mentions of each event, by event id."""
    groups: dict[str, list[EventUnit]] = defaultdict(list)
    for u in units:
        groups[event_of[u.key]].append(u)
    return groups
