"""``pair_index.shared_key_pairs`` (the mechanics of ``event_clusters.candidate_pairs``) finds the
same pairs in the same order as the plain tuple-set version it replaced, kept here as the oracle:
random reports (duplicated keys included) with random blocking keys, with and without ``only``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from service.merge.pair_index import shared_key_pairs


@dataclass
class Unit:
    key: tuple[str, int]
    finds: list[str] = field(default_factory=list)
    looks: list[str] = field(default_factory=list)


def oracle(units: list[Unit], only: set[tuple[str, int]] | None) -> list[tuple[Unit, Unit]]:
    index: dict[str, list[Unit]] = defaultdict(list)
    for u in units:
        for k in u.finds:
            index[k].append(u)
    pairs: set[tuple[tuple[str, int], tuple[str, int]]] = set()
    by_key = {u.key: u for u in units}
    for key in sorted(by_key if only is None else only & set(by_key)):
        u = by_key[key]
        for k in u.looks:
            pairs.update((min(key, b.key), max(key, b.key)) for b in index[k])
    return [(by_key[a], by_key[b]) for a, b in sorted(p for p in pairs if p[0] != p[1])]


KEYS = st.lists(st.sampled_from(["w:a", "w:b", "v:a", "u:a", "c:x", "x:x", "d:s1|a"]), max_size=4)
UNITS = st.lists(
    st.builds(
        Unit,
        key=st.tuples(st.sampled_from(["s0", "s1", "s2", "f" * 64, "0" * 64]), st.integers(0, 5)),
        finds=KEYS,
        looks=KEYS,
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(units=UNITS, pick=st.lists(st.booleans(), max_size=30), restrict=st.booleans())
def test_same_pairs_in_the_same_order_as_the_tuple_version(
    units: list[Unit], pick: list[bool], restrict: bool
) -> None:
    only = {u.key for u, p in zip(units, pick, strict=False) if p} | {("zz", 9)} if restrict else None
    found = shared_key_pairs(units, only, lambda u: u.finds, lambda u: u.looks)
    expected = oracle(units, only)
    assert [(a.key, b.key) for a, b in found] == [(a.key, b.key) for a, b in expected]
    assert all(
        x is y for pair, other in zip(found, expected, strict=True) for x, y in zip(pair, other, strict=True)
    )
