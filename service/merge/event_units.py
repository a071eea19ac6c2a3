"""Event mentions resolved against the global actors: the units the event merge compares.

An ``EventUnit`` is one event mention with its entities mapped to global actor ids, its
participants split into the ones that can tie two reports together (``core``, ``people``),
the people named beside it (``context``), its countries, place and resolved date, or, for a
yearless date in an undated article, the month and day it still fixes (``calendar``).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from functools import cache, lru_cache
from itertools import pairwise

import msgspec

from service.extract.document import DateMention, Document, EventMention, Segment
from service.merge import keys as K
from service.merge.actor_clusters import ActorIndex
from service.merge.number_conflicts import quote_counts
from service.merge.rules import MergeRules, merge_rules
from service.text import match_key

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
    published: date | None = None
    """The publication date of the report's article (its news window, ``news_window``)."""
    place: str | None = None
    """The place key of ``location`` (``place_key``): one key for one place named at different
    granularity ("قرية سترة", "منطقة سترة"); None for a facility or no place. For a report with no
    place or only a country, the key of a place its sentence names after a head (``quote_place``)."""
    lead: date | None = None
    """The lead day an undated act of the lead was given (``dates.lead_day``, basis ``inferred``):
    no date the text writes, so the report blocks and matches as undated (``start`` None) and the
    day dates the merged event only when no report of it has a date from the text
    (``event_resources._date``)."""
    quoted: bool = False
    """``place`` was read from the sentence (``quote_place``), not from a resolved location: it ties
    only reports of different articles that are both dated (``same_place``)."""
    named: tuple[str, ...] = ()
    """For a report with a resolved place or facility: the other place keys its sentence names
    after a head (``quote_places``: "في مدينة لافاييت بولاية لويزيانا" names Louisiana beside
    Lafayette, "في شارع تجاري في منطقة البياع" al-Bayaa beside a street). They tie it, across
    articles, to a report whose place is one of them (``same_place``), and are cross-article
    blocking anchors."""
    words: frozenset[str] = frozenset()
    """For a report that counts the dead, the wounded or the arrested (``count_keys``): the
    distinctive content words of its whole sentence (``sentence_words``), which tie it to another
    outlet's report of one act with a near count when one of them names no place
    (``event_clusters._near_counts``)."""
    spoken: frozenset[str] = frozenset()
    """For a report with ``words``: the place keys its whole sentence names, as places the articles
    resolve or after an administrative head ("قائد الشرطة في إقليم بغلان"): two reports whose
    sentences name only different places are never tied by their words."""


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


def dated_to_the_day(doc: Document, mention: EventMention) -> bool:
    """Whether ``unit_of`` gives this mention a start date of day precision: only then has its
    report ``pins`` (a merge asks for the pins of every report of a dirty article, and resolves
    only these)."""
    if mention.date is None or not 0 <= mention.date < len(doc.dates):
        return False
    dm = doc.dates[mention.date]
    return dm.start_date is not None and dm.precision == "day" and not lead_day(dm)


def lead_day(dm: DateMention) -> bool:
    """Whether a date is an article's lead day (``dates.lead_day``): inferred, written nowhere.
    A report given it is undated to the merge (``EventUnit.lead``)."""
    return dm.basis == "inferred"


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
    lead = None
    if mention.date is not None and 0 <= mention.date < len(doc.dates):
        dm = doc.dates[mention.date]
        date_text = dm.text
        if lead_day(dm):
            lead = dm.start_date  # undated to blocking and matching (None while unpublished)
        elif dm.start_date is not None:
            start, end = dm.start_date, dm.end_date or dm.start_date
            precision = dm.precision
            basis = "inferred" if dm.basis == "relative" and doc.publication.basis == "inferred" else dm.basis
        elif dm.relative is not None and dm.relative.month is not None:
            calendar = (dm.relative.month, dm.relative.day)
    context = _context_people(doc, mention.start, actors)
    t = mention.plover_type
    named = [f"a:{a}" for a in sorted(core | context)]
    place = place_key(location.id, actors, rules) if location else None
    quoted = False
    # the place's id (publication probes look it up) and its key across granularity ("l:p:<name>")
    placed = [f"l:{location.id}", *([f"l:{place}"] if place else [])] if location else []
    cross = [a for a in named if crosses(a[2:], actors, rules)]
    cross += [p for p in placed if location is not None and crosses(location.id, actors, rules)]
    beside: tuple[str, ...] = ()
    if location is None or actors.refs[location.id].kind == "country":
        place = quote_place(mention.quote)  # "بمنطقة سترة": a place the gazetteer does not know
        if place is not None and _named_place(doc, place, actors, rules):
            place = None  # a known place the extractor did not give the report ("تحرير محافظة عدن")
        quoted = place is not None
        if place is not None:
            cross.append(f"l:{place}")  # across articles only: one article's reports have their places
    else:
        beside = tuple(
            sorted(
                p for p in quote_places(mention.quote) - {place} if not _named_place(doc, p, actors, rules)
            )
        )
        cross += [f"l:{p}" for p in beside]  # across articles only, as a quoted place
    toll_min = rules.match.same_toll_min
    killed = (
        mention.killed if toll_min and mention.killed is not None and mention.killed >= toll_min else None
    )
    least = rules.match.unplaced_toll_min
    if killed is not None and (location is not None or (least and killed >= least)):
        cross.append(f"k:{killed}")  # "12 killed" in two outlets' reports of one attack
    cross += copy_keys(mention.quote, rules)  # one wire story relayed by several outlets
    counted = count_keys(mention.quote, rules)
    cross += counted  # "21 killed" and "20 killed" in two outlets: compared, joined only by near counts
    words, spoken = (
        sentence_words(doc, segment, actors, rules)
        if counted and segment is not None
        else (frozenset(), frozenset())
    )
    tolls = _tolls(mention.killed, mention.wounded, rules.match.same_tolls_min)
    placed_or_tolled = [*placed, f"t:{tolls[0]}+{tolls[1]}"] if tolls else placed
    if tolls:
        cross.append(placed_or_tolled[-1])  # "2 killed and 4 wounded" in two reports of one bomb
    pinned = [f"a:{a}" for a in sorted(core) if crosses(a, actors, rules)] + [p for p in placed if p in cross]
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
        keys=tuple(sorted(K.window_keys(t, cross, fine, copies=False))),
        coarse=tuple(sorted(K.window_keys(t, cross, coarse))),
        vague=vague,
        cross=tuple(sorted(K.pin_keys(t, cross))),
        wildcard=not coarse,
        pins=tuple(K.pin_keys(t, pinned)) if start is not None and precision == "day" else (),
        pinnable=tuple(K.pin_keys(t, pinned)),
        killed=killed,
        tolls=tolls,
        published=doc.publication.date,
        place=place,
        lead=lead,
        quoted=quoted,
        named=beside,
        words=words,
        spoken=spoken,
    )


NEAR_FIELDS = ("killed", "wounded", "arrested")
"""The counts two outlets' reports of one act may give differently (``event_clusters._near_counts``)."""


def count_keys(quote: str, rules: MergeRules) -> list[str]:
    """Blocking anchors of the counts a report's sentence gives of ``NEAR_FIELDS``: two anchors
    per count, ``n:<field>:<b>`` and ``n:<field>:<b+1>`` with ``b`` the count's bucket on a
    logarithmic scale of base ``near_count_ratio``, so two counts within that ratio share one
    (21 and 20 killed, 297 and 251 arrested). Counts that cannot be near one of at least
    ``near_count_min`` have none. Across articles only, and they join nothing but near counts."""
    ratio, least = rules.match.near_count_ratio, rules.match.near_count_min
    if not ratio or not rules.match.near_count_words:
        return []
    if not _scale_words().isdisjoint(match_key(quote).split()):
        return []  # "more than 14 thousand killed": a war's toll, not one act's
    keys = []
    for field, number in quote_counts(quote).items():
        if field in NEAR_FIELDS and number.isdigit() and int(number) * ratio >= least:
            bucket = int(math.log(int(number)) / math.log(ratio))
            keys += [f"n:{field}:{bucket}", f"n:{field}:{bucket + 1}"]
    return keys


def sentence_words(
    doc: Document, segment: Segment, actors: ActorIndex, rules: MergeRules
) -> tuple[frozenset[str], frozenset[str]]:
    """The distinctive content words of the sentence ``segment`` and the place keys it names
    (``EventUnit.words``, ``EventUnit.spoken``). The words are its content words (``copy_words``)
    less digits, the words ``match.near_count_common_words`` lists (counted nouns, casualty and
    means words, days and months, reporting words: any report of a toll has them), and the words of
    the countries, organisations, agencies and outlets it names: never a tie across articles on
    their own (a participant shared is a tie of its own, ``_evidence_ok``; the two sides of a running
    war are named in every report of it)."""
    sentence = doc.text[segment.start : segment.end]
    ubiquitous: set[str] = set()
    places = set(quote_places(sentence))
    for m in doc.mentions:
        if segment.start <= m.start < segment.end:
            ref = actors.ref(doc.sha256, m.entity)
            if ref is None:
                continue
            if ref.kind not in ("person", "place") or not crosses(ref.id, actors, rules):
                ubiquitous |= copy_words(m.text)  # a country, an agency, a party to a running war
            elif ref.kind == "place" and (key := place_key(ref.id, actors, rules)) is not None:
                places.add(key)
    return _distinctive(sentence) - ubiquitous, frozenset(places)


@lru_cache(maxsize=1 << 14)
def _distinctive(sentence: str) -> frozenset[str]:
    common = _common_words()
    return frozenset(w for w in copy_words(sentence) if w not in common and not any(c.isdigit() for c in w))


@cache
def _scale_words() -> frozenset[str]:
    return frozenset(match_key(w) for w in merge_rules().match.near_count_scale_words)


@cache
def _common_words() -> frozenset[str]:
    rules = merge_rules()
    nouns = (n for group in rules.counted_nouns.values() for n in group)
    return frozenset(match_key(w) for w in (*rules.match.near_count_common_words, *nouns))


def _tolls(killed: int | None, wounded: int | None, least: int) -> tuple[int, int] | None:
    """Killed and wounded of a report that gives both, adding up to ``least`` (0: never)."""
    if not least or not killed or not wounded or killed + wounded < least:
        return None
    return killed, wounded


def crosses(actor_id: str, actors: ActorIndex, rules: MergeRules) -> bool:
    """Whether an actor may tie reports of different articles (``keys.cross_anchor``)."""
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


def locations_compatible(a: str | None, b: str | None, actors: ActorIndex, rules: MergeRules) -> bool:
    """Same place, one unknown, one is the country the other lies in, both name one place at
    different granularity (``place_key``), or one is a facility (a palace, an airport, a street)
    of the other's country or of no known country: a facility lies somewhere unknown."""
    if a is None or b is None or a == b:
        return True
    for outer, inner in ((a, b), (b, a)):
        if actors.refs[outer].kind == "country" and actors.country_key(inner) == actors.country_key(outer):
            return True
    ka, kb = place_key(a, actors, rules), place_key(b, actors, rules)
    if ka is not None and ka == kb:
        return True
    if _facility(a, actors, rules) or _facility(b, actors, rules):
        ca, cb = actors.country_key(a), actors.country_key(b)
        return ca is None or cb is None or ca == cb
    return False


def same_place(a: EventUnit, b: EventUnit) -> bool:
    """Both reports name one place (the same actor, or one place at different granularity); a
    facility is never the same place as another report's place unless it is the same actor."""
    if a.place is not None and a.place == b.place:
        # one place key, resolved or read from the sentence (``quote_place``): a sentence's place
        # ties only two articles' reports that are both dated (an undated "في منطقة X" is often
        # another act there, a response, a recalled attack)
        if not (a.quoted or b.quoted):
            return True
        return a.key[0] != b.key[0] and a.start is not None and b.start is not None
    if a.start is not None and b.start is not None and (named_beside(a, b) or named_beside(b, a)):
        return True  # dated, as a place read from a sentence
    if a.location is None or b.location is None:
        return False
    return a.location == b.location


def named_beside(a: EventUnit, b: EventUnit) -> bool:
    """Whether ``a``'s place is one ``b``'s sentence names beside ``b``'s resolved place or facility
    (``EventUnit.named``), in another article: "في لافايت بولاية لويزيانا" in one outlet, "في مدينة
    لافاييت بولاية لويزيانا" in another; "في حي البياع" and "في شارع تجاري في منطقة البياع".

    When ``b``'s own place is a town or district (not a facility), ``a``'s sentence must name it
    too, in any spelling of its long vowels ("لافايت", "لافاييت"): a report naming only the province
    may be of another town in it ("في شريفبورت بولاية لويزيانا")."""
    if a.place is None or a.place not in b.named or a.key[0] == b.key[0]:
        return False
    return b.place is None or b.place[2:].translate(_LONG_VOWELS) in _skeletons(a.quote)


_LONG_VOWELS = str.maketrans("", "", "اويى")
_CLITICS = "وفبل"


@lru_cache(maxsize=1 << 14)
def _skeletons(quote: str) -> frozenset[str]:
    """The place-name skeletons a sentence holds: its words and two-word runs without long vowels,
    also without a leading clitic (``named_beside``)."""
    words = [w.translate(_LONG_VOWELS) for w in match_key(quote).split()]
    bare = [w[1:] if len(w) > 2 and w[0] in _CLITICS else w for w in words]
    runs = [*words, *bare, *(f"{x} {y}" for x, y in pairwise(words))]
    return frozenset(r for r in runs if r)


def news_window(unit: EventUnit, days: int) -> tuple[date, date] | None:
    """The days a report is about: its dates, or, for an undated report in a dated article, the
    ``days`` before its publication (the article's news); None when neither is known."""
    if unit.start is not None:
        return unit.start, unit.end or unit.start
    if unit.calendar is None and unit.published is not None and days:
        return unit.published - timedelta(days=days), unit.published
    return None


@cache
def _place_words() -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    places = merge_rules().places
    synonyms = {match_key(w): match_key(group[0]) for group in places.synonyms for w in group}
    heads = frozenset(match_key(w) for w in places.admin_heads)
    return heads, frozenset(match_key(w) for w in places.facility_heads), synonyms


@lru_cache(maxsize=1 << 14)
def _name_scope(name: str) -> tuple[bool, str]:
    """Whether a place name names a facility, and its key: the name without leading
    administrative heads, with synonymous head words folded to one."""
    heads, facilities, synonyms = _place_words()
    words = match_key(name).split()
    while len(words) > 1 and words[0] in heads:
        words = words[1:]
    words = [synonyms.get(w, w) for w in words]
    return bool(words) and words[0] in facilities, " ".join(words)


@cache
def _quote_place_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Head tokens as a sentence writes them (with their prefixes), name stopwords, compound
    first words, folded (``places.quote_*``)."""
    places = merge_rules().places
    heads = {match_key(w) for w in places.admin_heads if len(match_key(w)) >= 3}
    prefixes = ["", *(match_key(p) for p in places.quote_head_prefixes)]
    tokens = frozenset(p + h for h in heads for p in prefixes)
    stop = frozenset(match_key(w) for w in places.quote_name_stopwords)
    return tokens, stop, frozenset(match_key(w) for w in places.quote_compound_words)


@lru_cache(maxsize=1 << 15)
def quote_place(quote: str) -> str | None:
    """One place key (``quote_places``) of a report's sentence; None when it names none, or two."""
    found = quote_places(quote)
    return next(iter(found)) if len(found) == 1 else None


@lru_cache(maxsize=1 << 15)
def quote_places(quote: str) -> frozenset[str]:
    """The place keys ("p:<name>", as ``place_key``) of a place a report's sentence names after an
    administrative head ("بمنطقة سترة", "في ولاية لوغار"), for a report whose mention has no place
    or only a country: the gazetteer does not know every district, and two outlets naming the
    same one are at the same place."""
    heads, stop, compound = _quote_place_words()
    if not heads:
        return frozenset()
    words = match_key(quote).split()
    _, _, synonyms = _place_words()
    found: set[str] = set()
    for i, word in enumerate(words[:-1]):
        if word not in heads or words[i + 1] in stop or len(words[i + 1]) < 3 or words[i + 1].isdigit():
            continue
        name = (
            words[i + 1 : i + 3] if words[i + 1] in compound and i + 2 < len(words) else words[i + 1 : i + 2]
        )
        found.add("p:" + " ".join(synonyms.get(w, w) for w in name))
    return frozenset(found)


def _named_place(doc: Document, key: str, actors: ActorIndex, rules: MergeRules) -> bool:
    """Whether ``doc`` names a place (or country) the knowledge base lists under place key ``key``:
    then the per-article stage knew the place and chose not to make it the report's (a battle "to
    free Aden", a journey "from the seat of the Najran emirate"), and ``quote_place`` must not
    overrule it. A place new to the knowledge base is attached to reports less surely."""
    for m in doc.mentions:
        ref = actors.ref(doc.sha256, m.entity)
        if ref is None or ref.kind not in ("place", "country") or actors.kb_of.get(ref.id) is None:
            continue
        if f"p:{_name_scope(m.text)[1]}" == key or f"p:{_name_scope(ref.name_ar)[1]}" == key:
            return True
    return False


def _facility(actor_id: str, actors: ActorIndex, rules: MergeRules) -> bool:
    ref = actors.refs[actor_id]
    return ref.kind != "country" and bool(rules.places.facility_heads) and _name_scope(ref.name_ar)[0]


def place_key(actor_id: str, actors: ActorIndex, rules: MergeRules) -> str | None:
    """The key one place has whatever its granularity head ("محافظة ديالى" and "ديالى"), or None
    for a facility and a country (compared by ``locations_compatible`` instead)."""
    ref = actors.refs.get(actor_id)
    if ref is None or ref.kind == "country" or not rules.places.admin_heads:
        return None
    facility, key = _name_scope(ref.name_ar)
    return None if facility or not key else f"p:{key}"


@lru_cache(maxsize=1 << 15)
def copy_words(quote: str) -> frozenset[str]:
    """The content words of a report's sentence that wire copies share (``match.copy_*``)."""
    stop = _copy_stopwords()
    return frozenset(w for w in match_key(quote).split() if len(w) >= 3 and w not in stop)


@cache
def _copy_stopwords() -> frozenset[str]:
    return frozenset(match_key(w) for w in merge_rules().copy_stopwords)


def copy_keys(quote: str, rules: MergeRules) -> list[str]:
    """Min-hash keys of a sentence's content words: two copies of one wire sentence share one
    with probability 1-(1-J)^n, J their word overlap (``match.copy_hashes`` = n)."""
    m = rules.match
    words = copy_words(quote)
    if not m.copy_hashes or len(words) < m.copy_min_words:
        return []
    return list(K.min_hash_keys(words, m.copy_hashes))  # q:<i>.<least CRC-32 of "<i>:<word>">


def anchored(a: EventUnit, b: EventUnit) -> bool:
    """Whether two reports share an anchor other than a copy key (``q:``) or a count anchor
    (``n:``): every pair the merge compared before those keys existed. A pair found only by them
    is joined by nothing but the copy rule (``copies``) or near counts
    (``event_clusters._near_counts``), so the keys widen no other rule."""
    keyed_a, plain_a = K.copy_split(a.cross)
    if not keyed_a:
        return True  # no copy key in common is possible: the pair was found by another anchor
    keyed_b, plain_b = K.copy_split(b.cross)
    if not keyed_b:
        return True
    if a.key[0] == b.key[0]:  # within one article any anchor (``anchors`` hold no copy key)
        return not set(a.anchors).isdisjoint(b.anchors)
    return not plain_a.isdisjoint(plain_b)


def _copy_keyed(u: EventUnit) -> bool:
    return K.copy_split(u.cross)[0]


def _plain_anchors(u: EventUnit, within: bool) -> set[str]:
    """Within one article any anchor; across articles only those that may tie articles."""
    return {k for k in (u.anchors if within else u.cross) if not K.is_copy_key(k)}


def copies(a: EventUnit, b: EventUnit, rules: MergeRules) -> bool:
    """Whether two reports of different articles, published within ``copy_days``, tell one wire
    sentence (their content words overlap by at least ``copy_similarity``)."""
    if not overlap_as_copies(a, b, rules, rules.match.copy_similarity):
        return False
    if a.people and b.people and a.people.isdisjoint(b.people):
        return False  # one template naming two different people: two events
    return counts_agree(a, b)  # a count differs: not a copy


def overlap_as_copies(a: EventUnit, b: EventUnit, rules: MergeRules, similarity: float) -> bool:
    """Whether two reports of different articles, published within ``copy_days`` of each other,
    each have ``copy_min_words`` content words and share at least ``similarity`` of them (0: off)."""
    m = rules.match
    if not similarity or a.key[0] == b.key[0]:
        return False
    if (
        a.published is not None
        and b.published is not None
        and abs((a.published - b.published).days) > m.copy_days
    ):
        return False
    wa, wb = copy_words(a.quote), copy_words(b.quote)
    na, nb = len(wa), len(wb)
    if min(na, nb) < m.copy_min_words or min(na, nb) / max(na, nb) < similarity:
        return False  # the overlap is at most the smaller set over the larger: no set built
    return len(wa & wb) / len(wa | wb) >= similarity


def counts_agree(a: EventUnit, b: EventUnit) -> bool:
    """Whether every count ``a``'s sentence gives is given the same by ``b``'s, or not at all."""
    ca, cb = quote_counts(a.quote), quote_counts(b.quote)
    return all(cb.get(field, number) == number for field, number in ca.items())
