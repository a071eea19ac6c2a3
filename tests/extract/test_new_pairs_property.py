"""``layer_events._new_pairs`` (integer pairs, stored reports gathered per new report) finds the same
pairs in the same order as the tuple version it replaced, kept here as the oracle: random reports
with random blocking keys, split into new and stored, the stored ones carrying the keys a store's
look-up returns (``UnitState.found_by``)."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from service.merge import layer_events
from service.merge.event_clusters import candidate_pairs, found_by, looks_up
from service.merge.event_units import EventUnit, UnitKey
from service.merge.state import UnitState


def oracle(
    new_units: dict[UnitKey, EventUnit], looked: dict[UnitKey, list[str]], stored: dict[UnitKey, UnitState]
) -> list[tuple[EventUnit, EventUnit]]:
    pairs = {(a.key, b.key) for a, b in candidate_pairs(list(new_units.values()))}
    holders: dict[str, list[UnitKey]] = defaultdict(list)
    for k, s in stored.items():
        for key in s.found_by:
            holders[key].append(k)
    for n, keys in looked.items():
        for key in keys:
            for k in holders.get(key, ()):
                pairs.add((n, k) if n < k else (k, n))
    units = {**{k: s.unit for k, s in stored.items()}, **new_units}
    return [(units[a], units[b]) for a, b in sorted(pairs)]


WINDOW = st.sampled_from(["ATTACK|p:a|2015-07-21", "ATTACK|p:b|2015-07-21", "MEET|p:a|2015-07-22"])
CROSS = st.sampled_from(["ATTACK|p:a", "ATTACK|p:b", "MEET|p:a", "ATTACK|q:1.77"])
COARSE = st.sampled_from(["ATTACK|p:a|w2205", "ATTACK|q:1.77|w2205", "MEET|p:a|w2205"])
UNIT = st.builds(
    lambda sha, idx, keys, coarse, cross, vague, wildcard: EventUnit(
        key=(sha, idx),
        type="ATTACK",
        mode=None,
        status="occurred",
        actors=(),
        core=frozenset(),
        countries=frozenset(),
        location=None,
        start=None,
        end=None,
        precision="day",
        basis=None,
        keys=tuple(keys),
        coarse=tuple(coarse),
        cross=tuple(cross),
        anchors=tuple(c.partition("|")[2] for c in cross),
        vague=vague,
        wildcard=wildcard,
    ),
    st.sampled_from(["a" * 64, "b" * 64, "c" * 64, "d" * 64, "e" * 64]),
    st.integers(0, 4),
    st.lists(WINDOW, max_size=3, unique=True),
    st.lists(COARSE, max_size=2, unique=True),
    st.lists(CROSS, max_size=3, unique=True),
    st.booleans(),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(units=st.lists(UNIT, max_size=25), fresh=st.sets(st.sampled_from(["a" * 64, "b" * 64, "c" * 64])))
def test_same_pairs_in_the_same_order_as_the_tuple_version(units: list[EventUnit], fresh: set[str]) -> None:
    new = {u.key: u for u in units if u.key[0] in fresh}
    looked = {k: looks_up(u, within=False) for k, u in new.items()}
    wanted = {k for ks in looked.values() for k in ks}
    stored = {}
    for u in units:
        if u.key[0] not in fresh:
            keys = tuple(k for k in found_by(u, within=False) if k in wanted)
            if keys:
                stored[u.key] = UnitState(unit=u, event_id="e", found_by=keys)
    got = layer_events._new_pairs(new, looked, stored)
    expected = oracle(new, looked, stored)
    assert [(a.key, b.key) for a, b in got] == [(a.key, b.key) for a, b in expected]
    assert all(x is y for p, q in zip(got, expected, strict=True) for x, y in zip(p, q, strict=True))
