"""Person groups are compared only through blocking keys and ``may_match``: on real articles, no pair
that ``resolve.same_actor`` or the variant rules (``actor_clusters.match_profiles``) match is ever
skipped by either (the invariant the incremental merge
relies on; see docs/extraction.md, "Incremental merge"). And profiles add up in any order."""

from __future__ import annotations

import itertools
import random
from functools import cache

import pytest

from service.articles import read_articles
from service.config import PROJECT_ROOT
from service.extract.pipeline import extract_document
from service.merge.actor_clusters import match_profiles
from service.merge.actor_groups import (
    Profile,
    add_profiles,
    may_match,
    members_of,
    profile_from,
    profile_of,
    signature,
)

FOLDERS = [
    PROJECT_ROOT / "seeds",
    *sorted(p for p in (PROJECT_ROOT / "tests" / "golden").iterdir() if p.is_dir()),
]


@cache
def person_groups() -> dict[str, Profile]:
    docs = [extract_document(a.text, a.meta) for f in FOLDERS for a in read_articles([f])]
    members: dict[str, list] = {}
    for d in docs:
        for g, cs in members_of(d).items():
            members.setdefault(g, []).extend(cs)
    return {g: profile_from(cs) for g, cs in members.items() if cs[0].kind == "person"}


def test_every_pair_same_actor_matches_shares_a_key_and_passes_may_match() -> None:
    groups = person_groups()
    assert len(groups) > 50
    matched = 0
    for (a, pa), (b, pb) in itertools.combinations(sorted(groups.items()), 2):
        sa, sb = signature(pa), signature(pb)
        if sa.kb_id and sb.kb_id:
            continue  # different KB people are different groups: never compared, never merged
        if match_profiles(pa, pb) is None:
            continue
        matched += 1
        assert set(sa.keys) & set(sb.keys), f"{a} and {b} match but share no blocking key"
        if sa.doc != sb.doc:
            assert may_match(sa, sb), f"{a} and {b} match but may_match skips them"
    assert matched > 0


@pytest.mark.parametrize("seed", range(3))
def test_profiles_add_up_in_any_order(seed: int) -> None:
    docs = [extract_document(a.text, a.meta) for a in read_articles([FOLDERS[0]])]
    contributions = [c for d in docs for cs in members_of(d).values() for c in cs if c.kind == "country"]
    by_group: dict[str, list] = {}
    for c in contributions:
        by_group.setdefault(c.kb_id or c.name_ar, []).append(c)
    for cs in by_group.values():
        shuffled = cs[:]
        random.Random(seed).shuffle(shuffled)
        total = profile_of(shuffled[0])
        for c in shuffled[1:]:
            total = add_profiles(total, profile_of(c))
        assert total == profile_from(cs)
