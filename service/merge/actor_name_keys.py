"""Name keys of person groups: a cheap necessary condition for two groups to match.

Every rule that joins two person groups (``resolve.same_actor`` and ``actor_variants.variant_match``,
through ``actor_clusters.match_profiles``) needs one name of each group that agree on their given
name, or a one-word name equal to the other's family name:

- ``equal_alias``, ``equal_without_filiation``, ``transliteration``, ``article_variant`` and the
  surname rules (``skeleton``, ``skeleton_near``) compare the first word (after the connectors, or
  after "بن", are left out) with ``same_given`` or for equality;
- the variant rules (``kunya``, ``short_name``, ``skeleton_context``, ``short_name_unlisted_family``)
  do the same after a leading kunya particle is dropped, or on ``joined_name`` words
  (``chain_prefix``);
- ``surname_only`` compares a one-word name with the last word of a longer one.

``same_given`` is true only for equal word lists, lists with the same consonant skeletons (so the
same first skeleton) or two table entries with the same English form. So two names that can agree
share a ``givens`` key: "f:" + the skeleton of the first word, or "g:" + the English form of a
given-name table entry the name starts with, each for every way a rule reads the name's start; and
a one-word name meets a longer one through ``bare`` (its skeleton) and ``lasts`` (the skeletons of
the longer names' last words).

A hub blocking key (a common family-name prefix, many people of one country) finds hundreds of
stored groups; those with another given name are dropped by ``names_may_agree`` before
``same_actor`` runs. ``tests/merge/test_actor_name_keys.py`` checks on real articles that every
pair the rules match passes: if a rule is added that does not need the given name, this must follow.
"""

from __future__ import annotations

from functools import cache, lru_cache

from service.extract.actors.knowledge import knowledge
from service.extract.actors.resolve import FILIATION, joined_name, skeleton
from service.merge.rules import merge_rules
from service.text import match_key


def _readings(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The word lists whose start a matching rule compares: the name itself, without "بن"/"ابن",
    without connectors, joined (``joined_name``), and without a leading kunya particle and the
    connectors (``actor_variants._strip_kunya`` then ``same_words``)."""
    connectors = knowledge().connectors

    def kept(ws: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(w for w in ws if w.replace("ى", "ي") not in connectors)

    out = [words, tuple(w for w in words if w not in FILIATION), kept(words), tuple(joined_name(words))]
    if len(words) >= 3 and words[0] in _kunya_particles():
        out.append(kept(words[1:]))
    return [r for r in out if r]


@cache
def _kunya_particles() -> frozenset[str]:
    return frozenset(match_key(p) for p in merge_rules().variants.kunya_particles)


@lru_cache(maxsize=1 << 15)
def given_keys(words: tuple[str, ...]) -> frozenset[str]:
    """The keys of one tokenised name (``resolve._names``) that another name agreeing with it on
    the given name also has (see the module docstring)."""
    given = knowledge().given
    out: set[str] = set()
    for reading in _readings(words):
        out.add("f:" + skeleton(reading[0]))
        for k in range(1, len(reading) + 1):
            english = given.get(" ".join(reading[:k]))
            if english is not None:
                out.add("g:" + english)
    return frozenset(out)


def name_keys(names: list[list[str]]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(givens, bare, lasts) of a group's names, each sorted (the ``Signature`` fields)."""
    givens: set[str] = set()
    bare: set[str] = set()
    lasts: set[str] = set()
    for words in names:
        givens |= given_keys(tuple(words))
        if len(words) == 1:
            bare.add(skeleton(words[0]))
        else:
            lasts.add(skeleton(words[-1]))
    return tuple(sorted(givens)), tuple(sorted(bare)), tuple(sorted(lasts))


def names_may_agree(
    givens_a: tuple[str, ...] | None,
    bare_a: tuple[str, ...],
    lasts_a: tuple[str, ...],
    givens_b: tuple[str, ...] | None,
    bare_b: tuple[str, ...],
    lasts_b: tuple[str, ...],
) -> bool:
    """Whether two groups' names can agree (a shared given-name key, or a one-word name equal to a
    last word of the other's); True when either side's keys are unknown (``None``: a signature
    stored before they existed)."""
    if givens_a is None or givens_b is None:
        return True
    return (
        not set(givens_a).isdisjoint(givens_b)
        or not set(bare_a).isdisjoint(lasts_b)
        or not set(bare_b).isdisjoint(lasts_a)
    )
