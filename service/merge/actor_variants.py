"""Name variants that need evidence from the articles: a kunya, a short name, an uncorroborated spelling.

``resolve.same_actor`` joins two spellings of one person when a role word or the country
corroborates them. Across outlets that corroboration is often missing: an unlisted militant
named "أبو أحمد الكازمي" by one outlet and "أحمد الكاظمي" by another, a minister's full name
and his first + last name, a foreign name transliterated with and without a long vowel, none
with a country or a shared title. Such a pair is the same person only when the articles say so
in another way: both name the person in a paragraph that also names the same place,
organisation, weapon or listed person (an *anchor*; never a country, a news agency or an outlet),
in articles published within ``context_days`` of each other.

Each member contributes *context tokens*: anchor + publication-date bucket, kept with its names
(prefixed ``CONTEXT``) because the names are what the merge re-compares a group on when they
change. Two groups sharing a token may match (``actor_groups.may_match``); ``variant_match``
then decides on the names:

- ``kunya``: one name is the other with a leading kunya particle ("أبو أحمد الكازمي" /
  "أحمد الكاظمي", surnames compared by skeleton);
- ``short_name``: a two-word name is the first and last word of a longer one ("عادل الجبير" /
  "عادل بن أحمد الجبير"), never a patronymic chain ("محمد بن عبدالعزيز" is not
  "محمد بن سلمان بن عبدالعزيز"); or a name of three words or more is a longer one with middle
  names left out ("سامي معوض الحربي" / "سامي معوض عوض الله الحربي");
- ``skeleton_context``: the same words up to spelling (``same_words``: every word's consonant
  skeleton equal, middle names included), without ``same_actor``'s role or country corroboration.
- ``surname_only``: a family name alone ("دوابشة") and one full name ending in it ("علي
  دوابشة"); ``actor_clusters`` refuses it when the family name would fit two full names with
  different given names (a father and his son).
- ``same_surname``: one family name alone in both ("سولفانغ" in two outlets' copies of a rights
  group's statement, each beside the group); ``actor_clusters`` refuses it, as ``surname_only``,
  when the join would put full names with two different given names into one actor.

A listed (KB) person carries no context tokens (he is in too many articles); an unlisted spelling
of him joins him by ``skeleton_context`` or ``kunya`` when an anchor beside it is a KB place or body
of his country (a Russian diplomat's other spelling beside Moscow), never by a short name.

Titles must not contradict (two sets of role words sharing none) and countries must not differ.
A short name may be the short form of only one full name: ``actor_clusters`` refuses a variant
join that would put two full names differing in a middle name ("أحمد حسن عسيري" and
"أحمد عبدالله عسيري" through "أحمد عسيري") into one actor (``middle_names``).
The particles, window and kinds are data (``data/merge_rules.json``, ``variants``).
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta
from functools import lru_cache

import msgspec

from service.extract.actors.knowledge import knowledge
from service.extract.actors.resolve import (
    FILIATION,
    HOUSE,
    _names,
    chain_prefix,
    same_given,
    skeleton,
    titles_contradict,
    unlisted_family,
    unlisted_house,
)
from service.extract.document import Document, Entity
from service.merge import keys as K
from service.merge.rules import MergeRules, merge_rules
from service.text import match_key

_folded = lru_cache(maxsize=1 << 16)(match_key)
"""Organisation and place names recur across articles: fold each once per process."""

CONTEXT = "\x1dctx:"
"""Prefix of a context token among a member's names (never an Arabic name)."""


class VariantMatch(msgspec.Struct, frozen=True):
    """A name-variant match: the rule, its score and evidence."""

    rule: str
    score: float
    evidence: dict[str, str]


def is_context(name: str) -> bool:
    return name.startswith(CONTEXT)


def _anchor(entity: Entity, rules: MergeRules) -> str | None:
    """How an entity names the place, organisation, weapon or listed person it is (None: not an anchor)."""
    if entity.kind not in rules.variants.anchor_kinds or not K.cross_anchor(entity.kind, entity.kb_id, rules):
        return None
    if entity.kb_id:
        return "kb:" + entity.kb_id
    if entity.kind == "person":
        return None  # unlisted people are what this module merges: their names vary
    return f"{entity.kind}:{_folded(entity.name_ar)}"


def _buckets(published: date, days: int) -> list[int]:
    lo, hi = published - timedelta(days=days), published + timedelta(days=days)
    return list(range(lo.toordinal() // days, hi.toordinal() // days + 1))


class ContextIndex(msgspec.Struct, frozen=True):
    """Per article, what the context tokens read: each paragraph's anchors, and the paragraphs
    each entity is named in (built once per article, ``context_index``)."""

    anchors: dict[int, frozenset[str]]
    paragraphs: dict[str, frozenset[int]]


def context_index(doc: Document, rules: MergeRules | None = None) -> ContextIndex:
    """The anchors of each paragraph of ``doc`` and the paragraphs that name each entity."""
    rules = rules or merge_rules()
    bounds = sorted((s.start, s.end, s.paragraph) for s in doc.segments)
    starts = [b[0] for b in bounds]
    anchors: dict[int, set[str]] = {}
    paragraphs: dict[str, set[int]] = {}
    for m in doc.mentions:
        i = bisect_right(starts, m.start) - 1
        if i < 0 or m.start >= bounds[i][1] or m.entity not in doc.entities:
            continue
        paragraph = bounds[i][2]
        paragraphs.setdefault(m.entity, set()).add(paragraph)
        anchor = _anchor(doc.entities[m.entity], rules)
        if anchor:
            anchors.setdefault(paragraph, set()).add(f"{m.entity}\x1f{anchor}")
    return ContextIndex(
        anchors={p: frozenset(a) for p, a in anchors.items()},
        paragraphs={k: frozenset(p) for k, p in paragraphs.items()},
    )


def context_tokens(
    doc: Document, key: str, rules: MergeRules | None = None, index: ContextIndex | None = None
) -> tuple[str, ...]:
    """The context tokens of entity ``key`` of ``doc``: the anchors named in the paragraphs that
    name it, each with the date buckets around the article's own publication date (none for a
    KB person, an undated article, or an inferred date). ``index``: the article's
    ``context_index``, when the caller reads several entities of one article."""
    rules = rules or merge_rules()
    entity = doc.entities[key]
    published = doc.publication.date
    if entity.kind != "person" or entity.kb_id or published is None or doc.publication.basis == "inferred":
        return ()
    index = index or context_index(doc, rules)
    anchors = {
        anchor
        for p in index.paragraphs.get(key, ())
        for owner, _, anchor in (a.partition("\x1f") for a in index.anchors.get(p, ()))
        if owner != key
    }
    days = rules.variants.context_days
    return tuple(sorted(f"{CONTEXT}{a}@{b}" for a in anchors for b in _buckets(published, days)))


def anchor_countries(context: tuple[str, ...] | set[str]) -> tuple[str, ...]:
    """The countries of the knowledge-base anchors among context tokens (a place of Russia, ...)."""
    entries = knowledge().entries
    found = set()
    for token in context:
        anchor = token.removeprefix(CONTEXT).rpartition("@")[0]
        if anchor.startswith("kb:") and (entry := entries.get(anchor[3:])) is not None and entry.country:
            found.add(entry.country)
    return tuple(sorted(found))


def _listed_evidence(a: Entity, b: Entity, context_a: set[str], context_b: set[str]) -> str | None:
    """For a listed (KB) person and an unlisted one: a country of the listed person that an anchor
    beside the unlisted one belongs to (a Russian diplomat's spelling beside Moscow), else None.
    Listed people carry no context (they are in too many articles); their KB country stands in."""
    for listed, other, context in ((a, b, context_b), (b, a, context_a)):
        if (
            listed.kb_id
            and not other.kb_id
            and listed.country
            and listed.country in anchor_countries(context)
        ):
            return listed.country
    return None


def _strip_kunya(words: list[str], particles: frozenset[str]) -> list[str] | None:
    """The name without a leading kunya particle ("ابو احمد الكازمي" -> "احمد الكازمي")."""
    if len(words) >= 3 and words[0] in particles:
        return words[1:]
    return None


def same_words(a: list[str], b: list[str]) -> bool:
    """Two names word for word: the same given name, then every word with the same skeleton
    (``resolve.skeleton``: confusable letters, long vowels and hamza forms folded). Stricter than
    ``resolve``'s surname rule, which ignores a middle name and allows one edit."""
    connectors = knowledge().connectors
    a = [w for w in a if w.replace("ى", "ي") not in connectors]
    b = [w for w in b if w.replace("ى", "ي") not in connectors]
    if len(a) != len(b) or len(a) < 2 or not same_given(a[:1], b[:1]):
        return False
    return all(skeleton(x) == skeleton(y) for x, y in zip(a[1:], b[1:], strict=True))


def middle_names(words: list[str]) -> tuple[tuple[str, str], tuple[str, ...]] | None:
    """((first, last) skeletons, middle skeletons) of a name of three or more words, connectors
    left out ("عادل بن زيد الطريفي" and "عادل زيد الطريفي" agree); None for shorter names."""
    connectors = knowledge().connectors
    kept = [skeleton(w) for w in words if w.replace("ى", "ي") not in connectors]
    if len(kept) < 3:
        return None
    return (kept[0], kept[-1]), tuple(kept[1:-1])


def _short_of(short: list[str], full: list[str]) -> bool:
    """Whether a two-word name is the first and last word of a longer name (not a patronymic)."""
    connectors = knowledge().connectors
    if len(short) != 2 or len(full) < 3 or any(w in connectors for w in short):
        return False
    if full[-2].replace("ى", "ي") in connectors:
        return False
    return same_given(short[:1], full[:1]) and skeleton(short[-1]) == skeleton(full[-1])


def _is_subsequence(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """Whether ``short`` is ``full`` with some words left out, in order."""
    rest = iter(full)
    return all(word in rest for word in short)


def middles_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two lists of middle-name skeletons that can name one person: equal, or one the other with
    names left out ("سامي معوض الحربي" within "سامي معوض عوض الله الحربي"); "أحمد حسن عسيري" and
    "أحمد عبدالله عسيري" are two people."""
    return _is_subsequence(a, b) if len(a) <= len(b) else _is_subsequence(b, a)


def _fewer_middles(short: list[str], full: list[str]) -> bool:
    """Whether a name of three or more words is a longer one with middle names left out: the same
    given and last name, its middle names in order among the longer one's ("سامي معوض الحربي" /
    "سامي معوض عوض الله الحربي"). Outlets cut a four- or five-part name at different lengths."""
    a, b = middle_names(short), middle_names(full)
    return (
        a is not None
        and b is not None
        and a[0] == b[0]
        and len(a[1]) < len(b[1])
        and same_given(short[:1], full[:1])
        and _is_subsequence(a[1], b[1])
    )


def _house_short_of(short: list[str], full: list[str]) -> bool:
    """Whether "given + آل + house" ("إدريس آل دريس") is the short form of a patronymic chain
    ending in the same house ("إدريس بن محمد آل دريس")."""
    return (
        len(short) == 3
        and short[1] == HOUSE
        and len(full) >= 5
        and full[-2] == HOUSE
        and not FILIATION.isdisjoint(full[1:-2])
        and same_given(short[:1], full[:1])
        and skeleton(short[-1]) == skeleton(full[-1])
    )


def _surname_of(bare: list[str], full: list[str]) -> bool:
    """A one-word name that is the family name of a longer one ("دوابشة" / "علي دوابشة"): not a
    given name, a particle or a short word, and the same skeleton as the longer name's last word."""
    kb = knowledge()
    if len(bare) != 1 or len(full) < 2:
        return False
    word = bare[0].replace("ى", "ي")
    if word in kb.connectors or bare[0] in kb.given or word in kb.given:
        return False
    key = skeleton(bare[0])
    return len(key) >= 3 and key == skeleton(full[-1])


def _bare_surname(word: str) -> bool:
    """A one-word name that can only be a family name: not a connector, a given name (also with
    the article), a listed name part or a large tribe's nisba, and at least three consonants."""
    kb = knowledge()
    folded = word.replace("ى", "ي")
    if folded in kb.connectors or word in kb.given or folded in kb.given:
        return False
    if folded in kb.parts or word in kb.parts or folded in kb.large_tribes:
        return False
    if folded.startswith("ال") and folded[2:] in kb.given:
        return False
    return len(skeleton(word)) >= 3


def _same_surname(a: list[str], b: list[str]) -> bool:
    """Two one-word names that are the same family name (``_bare_surname``, the same skeleton)."""
    return len(a) == 1 and len(b) == 1 and skeleton(a[0]) == skeleton(b[0]) and _bare_surname(a[0])


def _unlisted_family_short(
    names_a: list[list[str]], names_b: list[list[str]], rules: MergeRules
) -> VariantMatch | None:
    """``short_name_unlisted_family``: a first + last name and a full patronymic chain with the
    same given and family name ("مساعد العيبان" / "مساعد بن محمد العيبان"), without a shared
    anchor, when the family name is ``resolve.unlisted_family`` (not a large tribe's nisba)."""
    for wa in names_a:
        for wb in names_b:
            for x, y in ((wa, wb), (wb, wa)):
                if (
                    len(x) == 2 and not FILIATION.isdisjoint(y) and unlisted_family(y[-1]) and _short_of(x, y)
                ) or (unlisted_house(y) and _house_short_of(x, y)):
                    return VariantMatch(
                        "short_name_unlisted_family",
                        rules.variants.short_name_unlisted_family,
                        {"short": " ".join(x), "full": " ".join(y)},
                    )
    return None


def variant_match(
    a: Entity, b: Entity, context_a: set[str], context_b: set[str], rules: MergeRules | None = None
) -> VariantMatch | None:
    """The variant rule that joins two people sharing a context token, or None (see the module
    docstring). ``a`` and ``b`` are group representatives, with their groups' context tokens."""
    rules = rules or merge_rules()
    if a.kind != "person" or b.kind != "person" or (a.kb_id and b.kb_id):
        return None
    if a.country and b.country and a.country != b.country:
        return None
    shared = sorted(context_a & context_b)
    listed = _listed_evidence(a, b, context_a, context_b)
    if titles_contradict(a, b):
        return None
    if not shared and listed is None:
        return _unlisted_family_short(_names(a), _names(b), rules)
    particles = frozenset(match_key(p) for p in rules.variants.kunya_particles)
    if not shared:  # a listed person: the same words, or a kunya, beside a place of his country
        evidence = {"listed_country_anchor": listed or ""}
    else:
        evidence = {"context": shared[0].removeprefix(CONTEXT)}
    return _name_variant(_names(a), _names(b), particles, rules, evidence, short_names=bool(shared))


def _name_variant(
    names_a: list[list[str]],
    names_b: list[list[str]],
    particles: frozenset[str],
    rules: MergeRules,
    evidence: dict[str, str],
    *,
    short_names: bool,
) -> VariantMatch | None:
    """The first variant rule two sets of names meet: a kunya, a short name (only with shared
    context: ``short_names``), or the same words spelt differently."""
    weights = rules.variants
    for wa in names_a:
        for wb in names_b:
            for x, y in ((wa, wb), (wb, wa)):
                bare = _strip_kunya(x, particles)
                if bare is not None and same_words(bare, y):
                    return VariantMatch(
                        "kunya", weights.kunya, {**evidence, "kunya": " ".join(x), "name": " ".join(y)}
                    )
                if short_names and (
                    _short_of(x, y)
                    or _house_short_of(x, y)
                    or (len(x) < len(y) and chain_prefix(x, y))
                    or _fewer_middles(x, y)
                ):
                    return VariantMatch(
                        "short_name",
                        weights.short_name,
                        {**evidence, "short": " ".join(x), "full": " ".join(y)},
                    )
            if short_names and (_surname_of(wa, wb) or _surname_of(wb, wa)):
                return VariantMatch(
                    "surname_only",
                    weights.surname_only,
                    {
                        **evidence,
                        "surname": " ".join(wa if len(wa) == 1 else wb),
                        "full": " ".join(wb if len(wa) == 1 else wa),
                    },
                )
            if short_names and _same_surname(wa, wb):
                return VariantMatch(
                    "same_surname", weights.same_surname, {**evidence, "a": wa[0], "b": wb[0]}
                )
            if same_words(wa, wb):
                return VariantMatch(
                    "skeleton_context",
                    weights.skeleton_context,
                    {**evidence, "a": " ".join(wa), "b": " ".join(wb)},
                )
    return None
