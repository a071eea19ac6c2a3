"""Which event mentions report the same real-world event, across and within articles.

Rule (deterministic, scored, recorded as a ``MergeDecision``): two mentions are the same
event when they have the same PLOVER type, compatible modes, compatible dates (unknown is
compatible; known intervals must overlap) and compatible locations (same place, or a place
inside the other's country), and they either share a participant that is not a country or
name the same location with overlapping participant countries. Candidate pairs come only
from shared blocking keys (``merge/keys.py``: type, participant or place, and a date window);
clusters are joined best pair first, and a join that would make a cluster's dates or modes inconsistent is refused,
so transitive chains cannot glue different events together.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

import msgspec

from service.merge.actor_clusters import ActorIndex
from service.merge.event_units import (
    NEAR_FIELDS,
    EventUnit,
    UnitKey,
    anchored,
    calendar_compatible,
    calendars_fit,
    copies,
    counts_agree,
    crosses,
    date_gap,
    locations_compatible,
    named_beside,
    news_window,
    overlap_as_copies,
    same_place,
)
from service.merge.keys import copy_windows
from service.merge.number_conflicts import quote_counts
from service.merge.pair_index import shared_key_pairs
from service.merge.rules import MergeRules
from service.text import fold


def _dated(unit: EventUnit) -> bool:
    return unit.start is not None or unit.calendar is not None


def _evidence_ok(
    a: EventUnit,
    b: EventUnit,
    shared: list[str],
    same_place: bool,
    context: list[str],
    inferring: bool,
    carried: bool = False,
) -> bool:
    """Is there enough shared evidence, given what is known about the dates?

    A shared person or weapon, two shared participants, or a shared participant at the same
    place are enough on their own, except that one shared person met by different
    counterparts (a minister received by X in one report, by Y in another) needs the dates.
    Weaker ties (one shared organisation, the same place and countries, a person named next to
    both reports) also need both dates known, unless the two mentions are near each other in
    one article (same or adjacent paragraph, or one of them in the headline, which states the
    article's news), or one date is being inferred from the other. Reports naming no
    participant at all tie by place and day. Inferring a date needs a shared participant or a
    shared person named beside both reports: place and countries alone are too weak.

    ``carried``: the two sentences are near copies of one wire sentence (``_near_copy``). The
    copy stands in for the dates (one story relayed the same day needs no date to be one), and
    the same participant countries then tie them too (a country alone ties no two articles).
    """
    if inferring and not (shared or context):
        return False
    nearby = a.key[0] == b.key[0] and (abs(a.paragraph - b.paragraph) <= 1 or a.headline or b.headline)
    dated = (_dated(a) and _dated(b)) or nearby or inferring or carried
    if len(shared) >= 2 or (shared and same_place):
        return True
    if a.people & b.people:
        others_a, others_b = a.people - b.people, b.people - a.people
        return dated or not (others_a and others_b)
    if not dated:
        return False
    countries = a.countries & b.countries
    same_countries = bool(countries) and (a.countries <= b.countries or b.countries <= a.countries)
    if carried and same_countries:
        return True
    anonymous = not (a.core and b.core) and not (a.countries and b.countries)
    return (
        bool(shared) or (same_place and (same_countries or (anonymous and _same_days(a, b)))) or bool(context)
    )


def _same_days(a: EventUnit, b: EventUnit) -> bool:
    """Both reports are dated to the same day, or one to a day inside the other's short range
    ("early this week"); ``_evidence_ok`` lets a report naming no participant join another at the
    same place only then."""
    if a.start is None or b.start is None:
        return False
    if a.precision == b.precision == "day":
        return a.start == b.start
    for day, other in ((a, b), (b, a)):
        if day.precision == "day" and other.precision == "range" and other.end is not None:
            return other.start <= day.start <= other.end  # type: ignore[operator]
    return False


def _same_toll(a: EventUnit, b: EventUnit, gap: int, rules: MergeRules, actors: ActorIndex) -> bool:
    """Two reports dated to one day in two articles that give the same toll (at least
    ``same_toll_min`` killed, ``EventUnit.killed``): one attack in two outlets, even when neither
    names who did it. Both name a place, or one does, the toll is at least ``unplaced_toll_min``
    and their countries are not disjoint ("18 killed yesterday when a rocket fell" and "18 killed
    yesterday in Aleppo"): small tolls of a day are too common to tie unplaced reports. When one
    of them is undated, both must name one place and the toll be at least ``undated_placed_toll_min``."""
    if a.killed is None or a.killed != b.killed or a.key[0] == b.key[0] or gap:
        return False
    if a.start is None or b.start is None:
        # one of them undated in a dated article: the same place and a toll large enough that two
        # attacks there in one week rarely share it ("the attack that killed 32 in Suruc")
        least = rules.match.undated_placed_toll_min
        return (
            bool(least)
            and a.killed >= least
            and same_place(a, b)
            and a.location is not None
            and crosses(a.location, actors, rules)  # never through a country alone
            and _days_meet(a, b, rules, rules.blocking.undated_days)
        )
    if a.location is None or b.location is None:
        placed = a.location is not None or b.location is not None
        least = rules.match.unplaced_toll_min
        return bool(least) and placed and a.killed >= least and not _disjoint_countries(a, b)
    return True


def _near_counts(a: EventUnit, b: EventUnit, rules: MergeRules, actors: ActorIndex) -> bool:
    """Two reports of different articles at one place whose counts of one thing disagree but are
    near: "18 killed in a car bomb in al-Bayaa" claimed by the group, "16 killed by a car bomb in
    a commercial street in al-Bayaa" the same day from the police. The per-article counts of one
    act differ between sources (a provisional toll, another source's), so a toll that must be equal
    (``_same_toll``) misses them; the difference becomes a count conflict (``number_conflicts``).

    Both give a count of one of ``NEAR_FIELDS`` within ``near_count_ratio`` of each other, the
    larger at least ``near_count_min``, and no count of those fields further apart; both name one
    place key (``place``, at least one of them resolved, not only read from its sentence; or one's
    place is named in the other's sentence beside its own, ``named_beside``), their days meet (``_days_meet``: dated, or undated in an article of the days'
    news), their countries are not disjoint, if both name people they share one, and if both name
    targets they share one (four fighters of one side killed and six of the other are two counts).

    When one of them names no place at all, their sentences sharing ``near_count_words``
    distinctive words (``EventUnit.words``: "a wedding" and "Baghlan") stand in for the place
    (``_words_tie``): an agency's "21 of the guests killed and eight wounded" and another's "20
    killed and 10 wounded in the district of Deh Salah"."""
    ratio, least = rules.match.near_count_ratio, rules.match.near_count_min
    if not ratio or a.key[0] == b.key[0]:
        return False
    one_place = a.place is not None and a.place == b.place and not (a.quoted and b.quoted)
    if not (one_place or named_beside(a, b) or named_beside(b, a) or _words_tie(a, b, rules, actors)):
        return False
    if _disjoint_countries(a, b) or (a.people and b.people and a.people.isdisjoint(b.people)):
        return False
    ta, tb = _targets(a), _targets(b)
    if ta and tb and ta.isdisjoint(tb):
        return False  # four of one side killed, six of the other: two counts of two things
    ca, cb = quote_counts(a.quote), quote_counts(b.quote)
    near = False
    for field in NEAR_FIELDS:
        x, y = ca.get(field), cb.get(field)
        if x is None or y is None:
            continue
        if not (x.isdigit() and y.isdigit()):
            return False
        lo, hi = sorted((int(x), int(y)))
        if lo <= 0 or hi / lo > ratio:
            return False
        near = near or hi >= least
    return near and _days_meet(a, b, rules)


def _words_tie(a: EventUnit, b: EventUnit, rules: MergeRules, actors: ActorIndex) -> bool:
    """Whether two reports of different articles, one of which has no place of its own
    (``_placeless``), have sentences sharing at least ``near_count_words`` distinctive words
    (``EventUnit.words``; ``near_count_words_undated`` when one of them is undated: its days are
    only its article's news window). When only one has no place, its sentence must name the other's
    (``EventUnit.spoken``: "the police chief of Baghlan province" against a report in a district
    of Baghlan); when neither has, their sentences must not name only different places. Two
    reports that both have a place are tied by it or not at all."""
    m = rules.match
    need = m.near_count_words if a.start is not None and b.start is not None else m.near_count_words_undated
    if (
        not (need and m.near_count_words)
        or len(a.words) < need
        or len(b.words) < need
        or a.key[0] == b.key[0]
    ):
        return False
    bare_a, bare_b = _placeless(a, actors), _placeless(b, actors)
    if not (bare_a or bare_b):
        return False
    if bare_a != bare_b:  # the report without a place must name the other's in its sentence
        bare, placed = (a, b) if bare_a else (b, a)
        if bare.spoken.isdisjoint(_places_named(placed)):
            return False  # "in Fotokol" against a sentence naming no place of it: maybe elsewhere
    elif a.spoken and b.spoken and a.spoken.isdisjoint(b.spoken):
        return False  # "in Baghlan" and "in Kunduz": two places, however alike the words
    return len(a.words & b.words) >= need


def _placeless(u: EventUnit, actors: ActorIndex) -> bool:
    """A report with no place of its own: none resolved but a country, none read from its quote."""
    if u.place is not None or u.named:
        return False
    return u.location is None or actors.refs[u.location].kind == "country"


def _places_named(u: EventUnit) -> frozenset[str]:
    """The place keys a report has or its sentence names (``EventUnit.spoken``)."""
    return u.spoken | frozenset(u.named) | ({u.place} if u.place is not None else frozenset())


def _targets(u: EventUnit) -> frozenset[str]:
    """The participants a report names as targets (``_near_counts``)."""
    return frozenset(actor for actor, role in u.actors if role == "target")


def _disjoint_countries(a: EventUnit, b: EventUnit) -> bool:
    return bool(a.countries and b.countries and a.countries.isdisjoint(b.countries))


def _days_meet(a: EventUnit, b: EventUnit, rules: MergeRules, window: int | None = None) -> bool:
    """Both reports are dated, or (for reports of different articles) undated in a dated article
    (``news_window`` of ``window`` days, by default ``news_days``), and their days overlap."""
    days = (rules.match.news_days if window is None else window) if a.key[0] != b.key[0] else 0
    wa, wb = news_window(a, days), news_window(b, days)
    return wa is not None and wb is not None and wa[0] <= wb[1] and wb[0] <= wa[1]


def _same_tolls(a: EventUnit, b: EventUnit, gap: int, rules: MergeRules) -> bool:
    """Two reports that give the same killed and wounded (``EventUnit.tolls``), on the same day or,
    when one is dated relative to its publication, a day apart (``_day_apart_ok``), with no
    disjoint countries: one attack told twice, by one outlet or two, even when neither names
    who did it or where ("قتل جنديان وجرح أربعة آخرون مساء السبت")."""
    if a.tolls is None or a.tolls != b.tolls or _disjoint_countries(a, b):
        return False
    if a.start is None or b.start is None:
        # an undated report across articles: any day its article's blocking window covers, when
        # the toll is large enough (``undated_tolls_min``) that two attacks rarely share it
        least = rules.match.undated_tolls_min
        big = bool(least) and sum(a.tolls) >= least
        return big and _days_meet(a, b, rules, rules.blocking.undated_days)
    relative = "relative" in (a.basis, b.basis) and a.key[0] != b.key[0]
    return gap <= (rules.match.date_tolerance_days if relative else 0)


def _counts_differ(a: EventUnit, b: EventUnit) -> bool:
    """Whether two reports of one article count the same thing differently (33 killed here, 19
    there): one article gives one toll per event, so these are two events. Across articles the
    same difference is a count conflict between sources (``number_conflicts``)."""
    if a.key[0] != b.key[0] or a.quote == b.quote:
        return False
    ca, cb = quote_counts(a.quote), quote_counts(b.quote)
    return any(field in cb and cb[field] != number for field, number in ca.items())


def _tolls_near(a: EventUnit, b: EventUnit, rules: MergeRules) -> bool:
    """Whether two reports joined only through ``cross_article_modes`` may be one event: the
    toll-only report must count its dead in figures ("مئات" or "أكثر من ألف في عملياته" is a
    running campaign's toll, not an incident's), and if both count them, the counts must be
    within ``cross_toll_ratio`` of each other (competing counts of one attack are near: 9 and 14)."""
    ratio = rules.match.cross_toll_ratio
    ca, cb = quote_counts(a.quote).get("killed"), quote_counts(b.quote).get("killed")
    toll, other = (ca, cb) if a.mode in rules.toll_modes else (cb, ca)
    if toll is None or not toll.isdigit():
        return False
    if not ratio or other is None or not other.isdigit():
        return True
    lo, hi = sorted((int(toll), int(other)))
    return lo > 0 and hi / lo <= ratio


def _tolls_apart(a: EventUnit, b: EventUnit, rules: MergeRules) -> bool:
    """Whether two reports of different articles count their dead in figures further apart than
    ``cross_toll_ratio``: tied by nothing but one place and day, they are two attacks there (a
    bomb that killed 3 and one that killed 20 in one city), not one attack counted twice (14
    and 10, a count conflict)."""
    ratio = rules.match.cross_toll_ratio
    if not ratio or a.key[0] == b.key[0]:
        return False
    ca, cb = quote_counts(a.quote).get("killed"), quote_counts(b.quote).get("killed")
    if ca is None or cb is None or not (ca.isdigit() and cb.isdigit()):
        return False
    lo, hi = sorted((int(ca), int(cb)))
    return lo == 0 or hi / lo > ratio


def _day_apart_ok(
    a: EventUnit, b: EventUnit, shared: list[str], same_place: bool, rules: MergeRules, actors: ActorIndex
) -> bool:
    """May two reports whose days differ by up to ``date_tolerance_days`` still be one event?

    When they share a participant and name the same place; or, for reports of different articles
    of which one is dated relative to its publication ("اليوم", "مساء أمس", a weekday), when they
    share ``relative_gap_shared`` people (``strong_kinds``; their places are already compatible):
    an agency copy crawled the next day, or an outlet's "today" against another's "yesterday",
    puts one event a day apart, and the difference is kept as a date conflict. Organisations do
    not count: the two sides of a running war are named together every day.

    One shared person is enough when he is not listed in the knowledge base and is the target in
    both (a soldier shot, a suspect arrested: ``relative_gap_unlisted``), and neither report names
    a counterpart the other does not (``counterparts_differ``): a listed official, or anyone who
    acts, may be in the news every day; an unlisted man something happened to is one story, so
    "shot on Tuesday evening" and "the evening before yesterday" in a copy crawled two days later
    are one event with a date conflict.
    """
    if shared and same_place:
        return True
    relative = "relative" in (a.basis, b.basis)
    if not relative or a.key[0] == b.key[0]:
        return False
    people = a.people & b.people
    need = rules.match.relative_gap_shared
    if need and len(people) >= need:
        return True
    roles_a, roles_b = dict(a.actors), dict(b.actors)
    unlisted = [
        p for p in people if actors.kb_of.get(p) is None and roles_a.get(p) == roles_b.get(p) == "target"
    ]
    least = rules.match.relative_gap_unlisted
    return bool(least) and len(unlisted) >= least and not counterparts_differ(a, b)


def _vouches(bare: EventUnit, person: str, actors: ActorIndex) -> bool:
    """May a person named nearby stand in for the participants of a report that names no person?

    Only if the report names no participant at all ("a delegation arrived"), or the person
    comes from the country of one it names (a Syrian minister leading "a delegation of the
    Syrian ministry of defence"). A joint committee that "will meet" is not led by the head of
    state who "will visit" in the next sentence: those are two planned events.
    """
    if not bare.core:
        return True
    countries = {actors.country_key(c) for c in bare.core} - {None}
    return actors.country_key(person) in countries


def _near_copy(a: EventUnit, b: EventUnit, rules: MergeRules) -> bool:
    """Whether two reports of different articles, published within ``copy_days``, tell one wire
    sentence reworded or cut differently: their content words overlap by ``near_copy_similarity``
    (below ``copy_similarity``, where ``copies`` joins them outright), they name no two different
    people, no counterpart the other lacks, and no count the other gives differently. A near copy
    is not enough alone: it stands in for the dates of ``_evidence_ok``'s weaker ties (a place,
    an organisation, a person named beside both, the same countries)."""
    if not overlap_as_copies(a, b, rules, rules.match.near_copy_similarity):
        return False
    if (a.people and b.people and a.people.isdisjoint(b.people)) or counterparts_differ(a, b):
        return False
    return not _figures_differ(a, b) and counts_agree(a, b)


def _near_copy_a_day_apart(
    a: EventUnit, b: EventUnit, gap: int, one_place: bool, rules: MergeRules, actors: ActorIndex
) -> bool:
    """Whether two reports of different articles a day apart are one agency story crawled or
    rewritten the next day ("هذا اليوم الخميس" in three outlets, "ظهر اليوم" under the Friday crawl
    in the fourth): near copies (``_near_copy``) whose days differ by at most
    ``date_tolerance_days``, one dated relative to its publication, the later day not in the article
    published earlier, both at one resolved place that ties articles (never a country, never a place
    only read from a sentence), naming no different targets and each no person the other lacks
    (``match.near_copy_day_apart``). The
    difference becomes a date conflict (``conflicts``)."""
    if not rules.match.near_copy_day_apart or not 0 < gap <= rules.match.date_tolerance_days:
        return False
    if a.key[0] == b.key[0] or "relative" not in (a.basis, b.basis) or not one_place:
        return False
    if (
        a.quoted
        or b.quoted
        or a.place is None
        or a.place != b.place
        or a.location is None
        or b.location is None
    ):
        return False  # one resolved place key, not one read from a sentence
    if not (crosses(a.location, actors, rules) and crosses(b.location, actors, rules)):
        return False
    if a.start is None or b.start is None or a.published is None or b.published is None:
        return False
    later, earlier = (a, b) if a.start > b.start else (b, a)
    if later.published < earlier.published:  # type: ignore[operator]
        return False  # the later day is never in the earlier crawl
    ta, tb = _targets(a), _targets(b)
    if ta and tb and ta.isdisjoint(tb):
        return False  # a strike on a camp, the next day one on a market: two strikes
    if a.people - b.people and b.people - a.people:
        return False  # one template, one host, a guest each day: two meetings
    return _near_copy(a, b, rules)


_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


@lru_cache(maxsize=1 << 15)
def _figures(quote: str) -> frozenset[str]:
    """The figures a sentence gives (folded digits), read once per quote: a report is compared
    with many candidates, in many merges."""
    return frozenset(_FIGURE.findall(fold(quote)))


def _figures_differ(a: EventUnit, b: EventUnit) -> bool:
    """Whether two sentences both give figures and share none: one template filled on two days
    (a bourse "rose yesterday by 18.36 points" and "by 28.63 points"), not one sentence relayed."""
    fa, fb = _figures(a.quote), _figures(b.quote)
    return bool(fa and fb) and fa.isdisjoint(fb)


_SWAP = {"source": "target", "target": "source"}


def counterparts_differ(a: EventUnit, b: EventUnit) -> bool:
    """True when two reports sharing exactly one person each name, in the role of initiator or
    target, another person the other does not name at all (not even beside it). Such sentences are
    one agency template about two receptions (the King receiving the French minister, the King
    receiving the German one), not copies of one; other evidence may still join them (one person
    meeting two counterparts at one place on one day may be one round of talks)."""
    if len(a.people & b.people) != 1:
        return False

    def others(x: EventUnit, y: EventUnit) -> bool:
        named = y.people | y.context
        return any(r in _SWAP and p in x.people and p not in named for p, r in x.actors)

    return others(a, b) and others(b, a)


def roles_clash(a: EventUnit, b: EventUnit, rules: MergeRules) -> bool:
    """True when a shared person initiates one report and is the target of the other.

    Used only when the reports share fewer than two participants: with more shared, identity
    evidence outweighs a role the per-article stage may have got wrong.
    """
    if a.people.isdisjoint(actor for actor, _ in b.actors):
        return False
    flip = rules.inverse(a.type, a.mode, b.mode)
    roles_b = dict(b.actors)
    for actor, role in a.actors:
        other = roles_b.get(actor)
        if other is None or actor not in a.people:
            continue
        mine = _SWAP.get(role, role) if flip else role
        if {mine, other} == {"source", "target"}:
            return True
    return False


def _background(a: EventUnit, b: EventUnit, published: date | None, days: int) -> bool:
    """Within one article, an undated report and one dated more than ``days`` before publication:
    the dated one is background (a war of years ago, an earlier attack), the undated one the news."""
    if not days or published is None or a.key[0] != b.key[0] or (a.start is None) == (b.start is None):
        return False
    dated = a if a.start is not None else b
    end = dated.end or dated.start
    return end is not None and (published - end).days > days


def _recency(a: EventUnit, b: EventUnit, published: date | None, horizon: int) -> float:
    """How recent the dated one of an undated/dated pair in one article is (1 = published day).

    An undated mention in a news article most often refers to the article's news, the most
    recent event, not to the background it recalls.
    """
    dated = [u for u in (a, b) if u.start is not None]
    if published is None or len(dated) != 1:
        return 0.0
    days = (published - (dated[0].end or dated[0].start)).days  # type: ignore[operator]
    return max(0.0, 1.0 - abs(days) / horizon)


def _may_copy(a: EventUnit, b: EventUnit, rules: MergeRules) -> bool:
    """Whether two reports' words overlap enough for ``copies`` or ``_near_copy`` (what they test
    first): without, a pair no anchor ties is refused whatever the rest of ``match_score`` finds."""
    m = rules.match
    return overlap_as_copies(a, b, rules, m.copy_similarity) or overlap_as_copies(
        a, b, rules, m.near_copy_similarity
    )


def match_score(
    a: EventUnit,
    b: EventUnit,
    actors: ActorIndex,
    rules: MergeRules,
    inferring: bool = False,
    published: date | None = None,
) -> tuple[float, dict[str, Any]] | None:
    """Score two mentions as one event, or None when the rule rejects the pair.

    A person named beside a report (``context``) only counts when one of the two reports
    names no person itself: it is how "a delegation arrived" learns who led it.
    ``inferring`` is set when ``a`` comes from an undated article whose date is being inferred
    from ``b``: its date is then unknown by construction, not for lack of evidence.
    """
    if a.type != b.type:
        return None  # the cheapest refusals first; the gap is checked exactly below
    gap = date_gap(a, b)
    if gap > rules.match.date_tolerance_days:
        return None
    if not anchored(a, b) and not _may_copy(a, b, rules) and not _words_tie(a, b, rules, actors):
        return None  # found only by copy or count keys, and no (near) copy nor words: refused below
    if not rules.modes_compatible(a.type, a.mode, b.mode, across=a.key[0] != b.key[0]):
        return None
    if not rules.modes_compatible(a.type, a.mode, b.mode) and not _tolls_near(a, b, rules):
        return None  # a toll without its means joins a report of the means only by a near count
    if a.key[0] == b.key[0] and {a.status, b.status} == {"occurred", "planned"}:
        return None  # one article does not call the same event both done and upcoming
    if not locations_compatible(a.location, b.location, actors, rules) or not calendar_compatible(a, b):
        return None
    if _background(a, b, published, rules.match.background_days):
        return None
    shared = sorted(a.core & b.core)
    if a.key[0] != b.key[0]:  # never through an outlet or agency alone, however the pair was found
        shared = [x for x in shared if crosses(x, actors, rules)]
    if len(shared) < 2 and roles_clash(a, b, rules):
        return None
    if a.mode in rules.two_party_modes and len(a.people | b.people) > 2:
        return None  # a call with one president and a call with another are two calls
    one_place = same_place(a, b)
    tolls = _same_tolls(a, b, gap, rules)
    # a copy may be a day apart when one of them is dated relative to its crawl (a date conflict)
    copy = (
        not inferring
        and gap <= (rules.match.date_tolerance_days if "relative" in (a.basis, b.basis) else 0)
        and copies(a, b, rules)
        and not counterparts_differ(a, b)
        and not _figures_differ(a, b)
    )
    day_copy = not (inferring or copy) and _near_copy_a_day_apart(a, b, gap, one_place, rules, actors)
    if not (tolls or copy or day_copy) and gap > (
        rules.match.date_tolerance_days if _day_apart_ok(a, b, shared, one_place, rules, actors) else 0
    ):
        return None
    context: list[str] = []
    if not (a.people and b.people):
        near = (a.context & (b.people | b.context)) | (b.context & a.people)
        context = sorted(p for p in near if all(_vouches(u, p, actors) for u in (a, b) if not u.people))
    toll = _same_toll(a, b, gap, rules, actors) or tolls
    near_counts = not (inferring or toll) and _near_counts(a, b, rules, actors)
    toll = toll or near_counts
    carried = not (inferring or copy) and gap == 0 and _near_copy(a, b, rules)
    if not (copy or carried or day_copy or near_counts or anchored(a, b)):
        return None  # found only by the copy or count keys: only a (near) copy or near counts join
    if not (toll or copy or day_copy or _evidence_ok(a, b, shared, one_place, context, inferring, carried)):
        return None
    if not (shared or toll or copy or carried or day_copy or context) and _tolls_apart(a, b, rules):
        return None  # tied by the place alone: 3 killed and 20 killed there are two attacks
    if _counts_differ(a, b):
        return None
    countries = sorted(a.countries & b.countries)
    w = rules.match
    score = (
        w.shared_participant if shared or toll or copy or day_copy else 0.0
    ) + w.same_location * one_place
    score += w.shared_country * bool(countries) + w.same_mode * (a.mode is not None and a.mode == b.mode)
    same_day = a.start is not None and a.precision == b.precision == "day" and a.start == b.start
    score += w.same_day * same_day + w.shared_context * bool(context)
    if a.key[0] == b.key[0]:
        score += w.proximity * max(0.0, 1.0 - abs(a.offset - b.offset) / w.proximity_chars)
        score += w.recency * _recency(a, b, published, w.recency_days)
    evidence: dict[str, Any] = {
        "type": a.type,
        "modes": sorted({m for m in (a.mode, b.mode) if m}),
        "shared_participants": shared,
        "shared_context_people": context,
        "same_location": a.location if one_place else None,
        "shared_countries": countries,
        "dates": [d.isoformat() if d else None for d in (a.start, b.start)],
        "date_gap_days": gap,
    }
    if near_counts:
        evidence["near_counts"] = True
        if not one_place and _words_tie(a, b, rules, actors):
            evidence["shared_words"] = sorted(a.words & b.words)  # what stood in for the place
    elif toll:
        evidence["same_toll"] = a.killed if a.killed is not None else a.tolls[0]  # type: ignore[index]
    if tolls:
        evidence["same_tolls"] = list(a.tolls)  # type: ignore[arg-type]
    if copy:
        evidence["copied_wording"] = True
    if carried:
        evidence["near_copy"] = True
    if day_copy:
        evidence["near_copy_a_day_apart"] = True
    return round(min(score, 1.0), 4), evidence


def candidate_pairs(
    units: list[EventUnit], only: set[UnitKey] | None = None
) -> list[tuple[EventUnit, EventUnit]]:
    """Pairs of reports that share a blocking key (``merge/keys.py``), each once, in key order
    (with ``only``: just the pairs involving one of those reports).

    Reports of one article pair on any shared anchor; reports of different articles on a shared
    fine window key, on a shared coarse key when one of them is vague, or on a shared anchor when
    one of them is a wildcard (undated, in an undated article).
    """
    return shared_key_pairs(units, only, found_by, looks_up)  # the index mechanics: merge/pair_index.py


def found_by(u: EventUnit, within: bool = True) -> list[str]:
    """The keys other reports find ``u`` by (``looks_up`` is the other side of each rule);
    ``within``: with the anchors reports of its own article find it by. Copy keys are in coarse
    windows only and pair whatever the vagueness (``s:``, ``keys.copy_windows``)."""
    plain, copy = copy_windows(u.coarse)
    keys = [f"w:{k}" for k in u.keys] + [f"v:{k}" for k in plain] + [f"c:{k}" for k in u.cross]
    keys += [f"s:{k}" for k in copy]
    if within:
        keys += [f"d:{u.key[0]}|{a}" for a in u.anchors]
    if u.vague:
        keys += [f"u:{k}" for k in plain]
    if u.wildcard:
        keys += [f"x:{k}" for k in u.cross]
    return keys


def looks_up(u: EventUnit, within: bool = True) -> list[str]:
    """The keys ``u`` finds its candidates by (the other side of each is in ``found_by``)."""
    plain, copy = copy_windows(u.coarse)
    keys = [f"w:{k}" for k in u.keys] + [f"x:{k}" for k in u.cross] + [f"s:{k}" for k in copy]
    if within:
        keys += [f"d:{u.key[0]}|{a}" for a in u.anchors]
    keys += [f"v:{k}" for k in plain] if u.vague else [f"u:{k}" for k in plain]
    if u.wildcard:
        keys += [f"c:{k}" for k in u.cross]
    return keys


def _tolls_clash(a: list[EventUnit], b: list[EventUnit]) -> bool:
    """Whether some article counts one thing differently in a report of ``a`` and one of ``b``."""
    shared = {u.key[0] for u in a} & {u.key[0] for u in b}
    told: dict[tuple[str, str], str] = {}
    for u in a:
        if u.key[0] in shared:
            for field, number in quote_counts(u.quote).items():
                told.setdefault((u.key[0], field), number)
    return any(
        told.get((u.key[0], field), number) != number
        for u in b
        if u.key[0] in shared
        for field, number in quote_counts(u.quote).items()
    )


class _Cluster:
    """Mentions joined so far; ``latest_start``/``earliest_end`` bound how far their dates spread;
    ``articles`` are the articles of its mentions."""

    def __init__(self, unit: EventUnit) -> None:
        self.units = [unit]
        self.latest_start, self.earliest_end = unit.start, unit.end or unit.start
        self.modes = {unit.mode} - {None}
        self.places = {unit.location} - {None}
        self.calendars = {unit.calendar} if unit.calendar is not None else set()
        self.intervals = {(unit.start, unit.end or unit.start)} if unit.start is not None else set()
        self.articles = {unit.key[0]}
        self.parties = set(unit.people) if unit.mode is not None else set()
        self.two_party = unit.mode

    def spread(self) -> int:
        """How many days the known dates of the cluster already spread over."""
        if self.latest_start is None or self.earliest_end is None:
            return 0
        return max(0, (self.latest_start - self.earliest_end).days)

    def accepts(
        self, other: _Cluster, plover_type: str, gap: int, rules: MergeRules, actors: ActorIndex
    ) -> bool:
        """Join only if the dates spread no further than the pair's accepted gap already allows."""
        if (
            self.latest_start is not None
            and other.latest_start is not None
            and self.earliest_end is not None
            and other.earliest_end is not None
        ):  # a cluster's latest start and earliest end are known together
            spread = max(self.latest_start, other.latest_start) - min(self.earliest_end, other.earliest_end)
            if spread.days > max(gap, self.spread(), other.spread()):
                return False
        across = self.articles.isdisjoint(other.articles)
        if not all(
            rules.modes_compatible(plover_type, a, b, across) for a in self.modes for b in other.modes
        ):
            return False
        if not all(locations_compatible(a, b, actors, rules) for a in self.places for b in other.places):
            return False
        if self.two_party in rules.two_party_modes and len(self.parties | other.parties) > 2:
            return False  # a cluster of calls names two parties at most
        if not self.articles.isdisjoint(other.articles) and _tolls_clash(self.units, other.units):
            return False  # one article's two tolls of one thing are two events (``_counts_differ``)
        return calendars_fit(self.calendars, self.intervals, other.calendars, other.intervals)

    def absorb(self, other: _Cluster) -> None:
        """Take over the mentions, dates, modes and places of ``other``."""
        self.units += other.units
        if other.latest_start is not None:
            if self.latest_start is None:
                self.latest_start, self.earliest_end = other.latest_start, other.earliest_end
            else:
                assert self.earliest_end is not None and other.earliest_end is not None  # known together
                self.latest_start = max(self.latest_start, other.latest_start)
                self.earliest_end = min(self.earliest_end, other.earliest_end)
        self.modes |= other.modes
        self.places |= other.places
        self.calendars |= other.calendars
        self.intervals |= other.intervals
        self.articles |= other.articles
        self.parties |= other.parties


class EventClusters(msgspec.Struct):
    """Groups of mentions that are one event, and the pair decisions that joined them."""

    groups: list[list[EventUnit]]
    joins: list[tuple[UnitKey, UnitKey, str, dict[str, Any]]]


def cluster_events(
    units: list[EventUnit],
    actors: ActorIndex,
    rules: MergeRules,
    published: dict[str, date | None] | None = None,
    fixed: list[list[UnitKey]] | None = None,
    known: dict[tuple[UnitKey, UnitKey], tuple[float, dict[str, Any]] | None] | None = None,
) -> EventClusters:
    """Join mentions into events, best-scoring pair first, refusing inconsistent joins.

    ``fixed``: groups of mentions (events already built, held as they are) that start as one
    cluster each; pairs within one of them, or between two of them, are not compared again.
    ``known``: ``match_score`` results the caller computed already for some pairs (same units,
    actors, rules and publication dates), taken instead of scoring those pairs again.
    """
    held = {k for group in fixed or [] for k in group}
    scored: list[tuple[float, UnitKey, UnitKey, dict[str, Any]]] = []
    known = known or {}
    for a, b in candidate_pairs(units, {u.key for u in units} - held if held else None):
        pair = (a.key, b.key)
        if pair in known:
            result = known[pair]
        else:
            result = match_score(a, b, actors, rules, published=(published or {}).get(a.key[0]))
        if result is not None:
            scored.append((-result[0], a.key, b.key, result[1] | {"score": result[0]}))
    clusters = {u.key: _Cluster(u) for u in units}
    owner = {u.key: u.key for u in units}
    for group in fixed or []:
        keep = min(group)
        for k in sorted(group):
            if k != keep:
                clusters[keep].absorb(clusters.pop(k))
                owner[k] = keep
    joins: list[tuple[UnitKey, UnitKey, str, dict[str, Any]]] = []
    for _, ka, kb, evidence in sorted(scored, key=lambda s: s[:3]):
        ra, rb = owner[ka], owner[kb]
        gap = evidence["date_gap_days"]
        if ra == rb or not clusters[ra].accepts(clusters[rb], evidence["type"], gap, rules, actors):
            continue
        keep, drop = min(ra, rb), max(ra, rb)
        clusters[keep].absorb(clusters.pop(drop))
        for u in clusters[keep].units:
            owner[u.key] = keep
        joins.append((ka, kb, "same_event", evidence))
    groups = [sorted(c.units, key=lambda u: u.key) for _, c in sorted(clusters.items())]
    return EventClusters(groups=groups, joins=joins)
