"""Publication dates across articles: metadata, else dateline, else inferred from other articles.

An undated article that reports an event relative to its publication ("أمس") can be dated
when a dated article pins the same event down: if the event was on 2 October and the undated
article calls it "yesterday", it was published on 3 October. The inference runs as a
worklist of at most one pass per document (each pass dates at least one more article or
stops), so it is deterministic and cannot loop; when two dates are about equally supported
the article stays undated rather than guessing; newly dated articles can date others in
the next pass. Every inferred date records its reason.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import msgspec

from service.extract.document import DateMention, Document, Publication
from service.extract.text.dates import infer_publication, resolve_relative
from service.merge import keys as K
from service.merge.actor_clusters import ActorIndex
from service.merge.common import source_id
from service.merge.event_clusters import cluster_events, match_score
from service.merge.event_units import EventUnit, lead_day, unit_of
from service.merge.rules import MergeRules


class Inference(msgspec.Struct, frozen=True):
    """One inferred publication date and the evidence behind it."""

    sha256: str
    published: date
    score: float
    reason: str


def with_metadata_date(doc: Document) -> None:
    """Use the manifest's publication date when the segment stage has not set one."""
    if doc.publication.date is None and doc.meta.published is not None:
        doc.publication = Publication(date=doc.meta.published, precision="day", basis="metadata")


def resolve_relative_dates(doc: Document) -> None:
    """Resolve every still-unresolved relative date of ``doc`` against its publication date."""
    published = doc.publication.date
    if published is None:
        return
    for i, dm in enumerate(doc.dates):
        if dm.relative is not None and dm.start_date is None:
            try:
                start, end, precision = resolve_relative(dm.relative, published)
            except ValueError:  # an impossible date such as 30 February stays unresolved
                continue
            doc.dates[i] = msgspec.structs.replace(dm, start_date=start, end_date=end, precision=precision)


def consistent(doc: Document, published: date) -> bool:
    """Would ``doc`` make sense if published on ``published``?

    No event it reports as having occurred may then lie after publication, and none it reports
    as planned may lie wholly before it.
    """
    for mention in doc.events:
        if mention.date is None or not 0 <= mention.date < len(doc.dates):
            continue
        dm = doc.dates[mention.date]
        start, end = dm.start_date, dm.end_date or dm.start_date
        if start is None and dm.relative is not None:
            try:
                start, end, _ = resolve_relative(dm.relative, published)
            except ValueError:
                continue
        if start is None or end is None:
            continue
        if (mention.status == "occurred" and start > published) or (
            mention.status == "planned" and end < published
        ):
            return False
    return True


def _relative_mention(doc: Document, unit: EventUnit) -> DateMention | None:
    index = doc.events[unit.key[1]].date
    if index is None or not 0 <= index < len(doc.dates):
        return None
    dm = doc.dates[index]
    # the lead day is no evidence of the publication day: it is read from it
    return dm if dm.relative is not None and dm.start_date is None and not lead_day(dm) else None


def _pooled(group: list[EventUnit], unit: EventUnit) -> EventUnit:
    """``unit`` seen with the participants and place of its in-article cluster."""
    location = unit.location or next((u.location for u in group if u.location), None)
    return msgspec.structs.replace(
        unit,
        core=frozenset().union(*(u.core for u in group)),
        people=frozenset().union(*(u.people for u in group)),
        context=frozenset().union(*(u.context for u in group)),
        countries=frozenset().union(*(u.countries for u in group)),
        location=location,
    )


def probe_keys(probe: EventUnit, actors: ActorIndex, rules: MergeRules) -> list[str]:
    """The keys a relative date looks dated reports up by: type and a participant or the place."""
    anchors = [f"a:{a}" for a in sorted(probe.core) if _crosses(a, actors, rules)]
    if probe.location and _crosses(probe.location, actors, rules):
        anchors.append(f"l:{probe.location}")
    return K.pin_keys(probe.type, anchors)


def _crosses(actor_id: str, actors: ActorIndex, rules: MergeRules) -> bool:
    ref = actors.refs.get(actor_id)
    return ref is not None and K.cross_anchor(ref.kind, actors.kb_of.get(actor_id), rules)


def _probe_candidates(
    probe: EventUnit, dated: dict[str, list[EventUnit]], actors: ActorIndex, rules: MergeRules
) -> list[EventUnit]:
    """Dated reports sharing a key with the probe: same type and a participant or the place."""
    found = {u.key: u for k in probe_keys(probe, actors, rules) for u in dated.get(k, [])}
    return [found[k] for k in sorted(found)]


def _reason(relative: DateMention, unit: EventUnit, other: EventUnit) -> str:
    """Why a publication date was inferred: our relative date, the event, and who dates it."""
    event = f"{unit.type} {unit.mode}" if unit.mode else unit.type
    return (
        f"«{relative.text}» here reports the {event} event that {source_id(other.key[0])} dates to "
        f"{other.start.isoformat() if other.start else '?'} («{other.date_text}» in «{other.quote}»)"
    )


def probes(doc: Document, actors: ActorIndex, rules: MergeRules) -> list[tuple[DateMention, EventUnit]]:
    """The reports of an undated document whose relative dates could date it, each seen with the
    participants and place of the reports it merges with in the document."""
    units = [unit_of(doc, i, m, actors, rules) for i, m in enumerate(doc.events)]
    found = []
    for group in cluster_events(units, actors, rules).groups:
        for unit in group:
            relative = _relative_mention(doc, unit)
            if relative is not None and relative.relative is not None:
                found.append((relative, _pooled(group, unit)))
    return found


def _candidates(
    doc: Document, dated: dict[str, list[EventUnit]], actors: ActorIndex, rules: MergeRules
) -> list[Inference]:
    found: list[Inference] = []
    for relative, probe in probes(doc, actors, rules):
        assert relative.relative is not None
        for other in _probe_candidates(probe, dated, actors, rules):
            if other.key[0] == doc.sha256:
                continue
            result = match_score(probe, other, actors, rules, inferring=True)
            if result is None or other.start is None:
                continue
            published = infer_publication(relative.relative, other.start)
            if published is None or not consistent(doc, published):
                continue
            found.append(Inference(doc.sha256, published, result[0], _reason(relative, probe, other)))
    return found


def _choose(found: list[Inference], margin: float) -> Inference | None:
    """The publication date with the most total evidence; None when another date comes close."""
    if not found:
        return None
    totals: dict[date, float] = defaultdict(float)
    for f in found:
        totals[f.published] += f.score
    ranked = sorted(totals, key=lambda d: (-round(totals[d], 6), d))
    best = ranked[0]
    if len(ranked) > 1 and totals[best] - totals[ranked[1]] < margin:
        return None
    return min((f for f in found if f.published == best), key=lambda f: (-f.score, f.reason))


def pinned(units: list[EventUnit]) -> dict[str, list[EventUnit]]:
    """Day-precision reports by the keys inference looks them up by."""
    blocks: dict[str, list[EventUnit]] = defaultdict(list)
    for unit in units:
        for k in unit.pins:
            blocks[k].append(unit)
    return blocks


def prepare(doc: Document) -> None:
    """The publication date known before inference: metadata, then what the text resolves against it."""
    with_metadata_date(doc)
    resolve_relative_dates(doc)


def infer_publications(
    undated: list[Document],
    external: dict[str, list[EventUnit]],
    actors: ActorIndex,
    rules: MergeRules,
) -> list[Inference]:
    """Date undated documents from events that dated reports pin down (mutates ``undated``).

    ``external`` holds the day-precision reports of other documents, by pin key (``pinned``);
    reports of the undated documents join them as their documents get dated. Documents whose
    probes and reports share no key never affect each other, so this can run over any set of
    undated documents closed under that relation (``merge/engine.py`` runs it per component).
    """
    made: list[Inference] = []
    for _ in range(len(undated)):
        pending = [d for d in undated if d.publication.date is None]
        if not pending:
            break
        dated = {k: list(v) for k, v in external.items()}
        for k, v in pinned(
            [unit_of(d, i, m, actors, rules) for d in undated for i, m in enumerate(d.events)]
        ).items():
            dated.setdefault(k, []).extend(v)
        chosen = [
            c
            for d in pending
            if (c := _choose(_candidates(d, dated, actors, rules), rules.match.inference_margin))
        ]
        if not chosen:
            break
        by_sha = {d.sha256: d for d in pending}
        for c in chosen:
            doc = by_sha[c.sha256]
            doc.publication = Publication(
                date=c.published, precision="day", basis="inferred", reason=c.reason
            )
            resolve_relative_dates(doc)
        made.extend(chosen)
    return sorted(made, key=lambda m: m.sha256)
