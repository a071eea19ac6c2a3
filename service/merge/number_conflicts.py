"""Count conflicts: merged reports of one event that give different numbers for the same thing.

A number followed by a noun listed in ``counted_nouns`` (``data/merge_rules.json``) is a
count of that thing ("6993 مدنيًا" counts civilians). When the reports and claims merged into
one event give different counts of one thing, the event gets a ``count:<thing>`` conflict
with each number's attributions. Numbers are read from the attributed quotes only.

A toll that another party claims in one of the event's articles ("the armed wing said it killed 8
soldiers", against the officials' two dead) is a competing count too, though the per-article stage
makes the claimed report an event of its own (``claimed_counts``): the claim's speaker is one more
voice, so one article can hold both sides.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache

from service.extract.document import Document, EventMention
from service.extract.events.casualties import read_casualties
from service.merge.common import attribution, source_id, stable_id
from service.merge.keys import kb_category
from service.merge.rules import MergeRules, merge_rules
from service.models.resources import Attribution, Claim, Conflict, ConflictValue, Event, SubjectRef
from service.text import fold, match_key

_NUMBER = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)*)\s+(?=(\S+(?:\s+\S+)?))")


@lru_cache(maxsize=1)
def _packaged_nouns() -> dict[str, str]:
    return noun_table(merge_rules())


def noun_table(rules: MergeRules) -> dict[str, str]:
    """Folded noun (one or two words) -> the thing it counts."""
    return {match_key(noun): field for field, nouns in rules.counted_nouns.items() for noun in nouns}


_DIGIT = re.compile(r"\d")


def counts(quote: str, table: dict[str, str]) -> list[tuple[str, str]]:
    """(thing counted, number) pairs in a quote, numbers normalised (digits only): a number before
    a counted noun, and the killed and wounded of a casualty report in words or digits
    ("مقتل خمسة", "أسفر عن مقتل 30 شخصاً")."""
    found: list[tuple[str, str]] = []
    toll = read_casualties(match_key(quote).split())
    if toll.killed is not None:
        found.append(("killed", str(toll.killed)))
    if toll.wounded is not None:
        found.append(("wounded", str(toll.wounded)))
    told = {field for field, _ in found}
    if not _DIGIT.search(quote):  # folding keeps digits digits (Arabic-Indic ones become ASCII)
        return found
    for m in _NUMBER.finditer(fold(quote)):
        number = (
            re.sub(r"[.,]", "", m.group(1))
            if re.fullmatch(r"\d{1,3}([.,]\d{3})+", m.group(1))
            else m.group(1)
        )
        words = match_key(m.group(2)).split()
        for size in (2, 1):
            field = table.get(" ".join(words[:size]))
            if field:
                if field not in told:  # the casualty reader already gave this quote's toll
                    found.append((field, number))
                break
    return found


@lru_cache(maxsize=1 << 14)
def quote_counts(quote: str) -> dict[str, str]:
    """The first number a quote gives for each thing it counts (``counts`` with the packaged
    rules' nouns), by thing."""
    out: dict[str, str] = {}
    for field, number in counts(quote, _packaged_nouns()):
        out.setdefault(field, number)
    return out


@lru_cache(maxsize=1 << 15)
def _packaged_counts(quote: str) -> tuple[tuple[str, str], ...]:
    """``counts`` with the packaged rules' nouns (a merge re-reads the quotes of every event it
    rebuilds, most of them read by earlier merges)."""
    return tuple(counts(quote, _packaged_nouns()))


def _disputed(values: dict[str, list[Attribution]], voices: dict[Attribution, str] | None = None) -> bool:
    """Whether sources disagree: at least two numbers are each given by a source that gives no
    other. A source that gives both numbers reports two things (two attacks merged, a toll and a
    part of it), not a disagreement. ``voices``: attributions that speak for someone other than
    their source (a claimed toll), by that voice."""
    by_source: dict[str, set[str]] = defaultdict(set)
    for number, atts in values.items():
        for a in atts:
            by_source[(voices or {}).get(a, a.source_id)].add(number)
    alone = {next(iter(numbers)) for numbers in by_source.values() if len(numbers) == 1}
    return len(alone) >= 2


def _days_apart(doc: Document, a: EventMention, b: EventMention) -> int | None:
    """Days between two reports of one article, when both are dated (None otherwise)."""
    da = doc.dates[a.date].start_date if a.date is not None and 0 <= a.date < len(doc.dates) else None
    db = doc.dates[b.date].start_date if b.date is not None and 0 <= b.date < len(doc.dates) else None
    return abs((da - db).days) if da is not None and db is not None else None


def _near(a: str, b: str, ratio: float) -> bool:
    """Two counts of one thing within ``ratio`` of each other (a group's 14 against nine dead; not a
    campaign's thousand against one attack's seven)."""
    if not (a.isdigit() and b.isdigit()):
        return False
    lo, hi = sorted((int(a), int(b)))
    return lo > 0 and hi / lo <= ratio


def claimed_counts(
    event: Event,
    docs: dict[str, Document],
    rules: MergeRules,
    counts_of: Callable[[str], Sequence[tuple[str, str]]],
) -> list[tuple[str, str, Attribution]]:
    """(thing, number, attribution) of tolls claimed by another party in the articles of ``event``.

    In an article that reports the event, a claim (an assertion) whose own report is of the
    event's type but not one of the event's reports, at a compatible place and date (the same
    place entity or none, dates at most ``date_tolerance_days`` apart or unknown), counting a thing
    that the event's reports in that article count differently, within ``claimed_count_ratio``:
    the group's "we killed 14 soldiers" against the ministry's nine dead. An article whose reports
    of that type give a third number for the thing is a round-up of several attacks, and is
    skipped; so is an article whose reports of the event give two numbers. Only the articles' own reports and claims are
    read, so the result depends on the event alone (an incremental merge agrees with a full build).
    """
    ratio = rules.match.claimed_count_ratio
    if not ratio:
        return []
    found: list[tuple[str, str, Attribution]] = []
    spans: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for att in event.attributions:
        spans[att.source_id].add(att.span)
    for sid in sorted(spans):
        doc = docs.get(sid)
        if doc is None:
            continue
        own = [m for m in doc.events if (m.start, m.end) in spans[sid]]
        told: dict[str, set[str]] = defaultdict(set)
        for m in own:
            for field, number in counts_of(m.quote):
                told[field].add(number)
        if not told:
            continue
        places = {m.location for m in own}
        given: dict[str, set[str]] | None = None  # read only for an article with a group's claim
        for claim in doc.claims:
            if claim.stance != "asserts" or claim.event is None or not 0 <= claim.event < len(doc.events):
                continue
            speaker = doc.entities.get(claim.speaker) if claim.speaker else None
            if speaker is None or kb_category(speaker.kb_id) not in rules.claimant_categories:
                continue  # the outlet's narration, an official or a witness: not a group's claim
            report = doc.events[claim.event]
            if (report.start, report.end) in spans[sid] or report.plover_type != event.type:
                continue
            if report.location is not None and places != {None} and report.location not in places:
                continue
            gaps = [g for m in own if (g := _days_apart(doc, m, report)) is not None]
            if gaps and min(gaps) > rules.match.date_tolerance_days:
                continue
            for field, number in counts_of(claim.quote):
                if field not in told or number in told[field] or len(told[field]) != 1:
                    continue
                if given is None:
                    given = _numbers_given(doc, event.type, counts_of)
                if given[field] - told[field] - {number} or not _near(number, next(iter(told[field])), ratio):
                    continue
                found.append((field, number, attribution(doc, claim.start, claim.end)))
    return found


def _numbers_given(
    doc: Document, plover_type: str, counts_of: Callable[[str], Sequence[tuple[str, str]]]
) -> dict[str, set[str]]:
    """Every number the article gives for each thing in its reports of ``plover_type``: with more
    than the event's and one claimed, the article is a round-up of several attacks."""
    given: dict[str, set[str]] = defaultdict(set)
    for m in doc.events:
        if m.plover_type == plover_type:
            for field, number in counts_of(m.quote):
                given[field].add(number)
    return given


def count_conflicts(
    events: list[Event], claims: list[Claim], rules: MergeRules, docs: dict[str, Document] | None = None
) -> list[Conflict]:
    """A conflict for every thing whose count differs between the sources of one event (with
    ``docs``, the documents by sha256: also against a toll another party claims, ``claimed_counts``)."""
    packaged = rules is merge_rules()
    table = _packaged_nouns() if packaged else noun_table(rules)
    found: dict[str, list[tuple[str, str]]] = {}

    def counts_of(quote: str) -> Sequence[tuple[str, str]]:
        if packaged:  # the merge's rules: read each quote once per process, not once per merge
            return _packaged_counts(quote)
        if quote not in found:
            found[quote] = counts(quote, table)
        return found[quote]

    claims_of: dict[str, list[Attribution]] = defaultdict(list)
    for claim in claims:
        if claim.event_id:
            claims_of[claim.event_id].append(claim.attribution)
    by_source = {source_id(sha): doc for sha, doc in (docs or {}).items()}
    conflicts = []
    for event in events:
        by_field: dict[str, dict[str, list[Attribution]]] = defaultdict(lambda: defaultdict(list))
        for att in [*event.attributions, *claims_of[event.id]]:
            for field, number in counts_of(att.quote):
                by_field[field][number].append(att)
        voices: dict[Attribution, str] = {}
        for field, number, att in claimed_counts(event, by_source, rules, counts_of) if docs else []:
            by_field[field][number].append(att)
            voices[att] = f"{att.source_id}@{att.span[0]}"  # the claimant, not the outlet
        for field in sorted(by_field):
            values = by_field[field]
            sources = {voices.get(a, a.source_id) for atts in values.values() for a in atts}
            if len(values) < 2 or len(sources) < 2 or not _disputed(values, voices):
                continue
            conflict = Conflict(
                id=stable_id("cfl", event.id, f"count:{field}"),
                kind="attribute",
                subject=SubjectRef(
                    kind="event",
                    id=event.id,
                    name_en=event.summary.en or None,
                    name_ar=event.summary.ar or None,
                ),
                field=f"count:{field}",
                values=[
                    ConflictValue(
                        value=number, attributions=sorted(set(atts), key=lambda a: (a.source_id, a.span))
                    )
                    for number, atts in sorted(
                        values.items(), key=lambda kv: (int(kv[0]) if kv[0].isdigit() else 0, kv[0])
                    )
                ],
            )
            event.conflicts = [*event.conflicts, conflict]
            conflicts.append(conflict)
    return conflicts
