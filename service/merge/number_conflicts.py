"""Count conflicts: merged reports of one event that give different numbers for the same thing.

A number followed by a noun listed in ``counted_nouns`` (``data/merge_rules.json``) is a
count of that thing ("6993 مدنيًا" counts civilians). When the reports and claims merged into
one event give different counts of one thing, the event gets a ``count:<thing>`` conflict
with each number's attributions. Numbers are read from the attributed quotes only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

from service.extract.events.casualties import read_casualties
from service.merge.common import stable_id
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


def _disputed(values: dict[str, list[Attribution]]) -> bool:
    """Whether sources disagree: at least two numbers are each given by a source that gives no
    other. A source that gives both numbers reports two things (two attacks merged, a toll and a
    part of it), not a disagreement."""
    by_source: dict[str, set[str]] = defaultdict(set)
    for number, atts in values.items():
        for a in atts:
            by_source[a.source_id].add(number)
    alone = {next(iter(numbers)) for numbers in by_source.values() if len(numbers) == 1}
    return len(alone) >= 2


def count_conflicts(events: list[Event], claims: list[Claim], rules: MergeRules) -> list[Conflict]:
    """A conflict for every thing whose count differs between the sources of one event."""
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
    conflicts = []
    for event in events:
        by_field: dict[str, dict[str, list[Attribution]]] = defaultdict(lambda: defaultdict(list))
        for att in [*event.attributions, *claims_of[event.id]]:
            for field, number in counts_of(att.quote):
                by_field[field][number].append(att)
        for field in sorted(by_field):
            values = by_field[field]
            sources = {a.source_id for atts in values.values() for a in atts}
            if len(values) < 2 or len(sources) < 2 or not _disputed(values):
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
