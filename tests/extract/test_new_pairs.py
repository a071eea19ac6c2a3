"""The event layer's candidate pairs of new reports against stored ones, built from the keys the
store's look-up returns (``layer_events._new_pairs``), are the pairs ``candidate_pairs`` finds by
computing every report's keys: checked on the reports of the written articles, split by article
into new and stored in several ways."""

from __future__ import annotations

from typing import Any

import pytest

from service.db.merge_state import unit_keys
from service.merge import layer_events
from service.merge.build import build_dataset
from service.merge.event_clusters import candidate_pairs, looks_up
from service.merge.event_units import EventUnit
from service.merge.state import UnitState
from tests.extract.test_merge_shortcuts import written_docs


def written_units(monkeypatch: pytest.MonkeyPatch) -> list[EventUnit]:
    """Every report a full build of the written articles makes (its last version per key)."""
    seen: dict[Any, EventUnit] = {}
    real = layer_events.unit_of

    def recorded(*args: Any, **kwargs: Any) -> EventUnit:
        u = real(*args, **kwargs)
        seen[u.key] = u
        return u

    monkeypatch.setattr(layer_events, "unit_of", recorded)
    build_dataset(written_docs(), "test")
    return [seen[k] for k in sorted(seen)]


def as_looked_up(stored: list[EventUnit], looked: set[str]) -> dict[Any, UnitState]:
    """What ``DbStore.unit_candidates`` returns: the stored reports holding a looked-up key among
    their stored keys (``unit_keys``), with those keys."""
    out = {}
    for u in stored:
        found = tuple(k for k in unit_keys(u) if k in looked)
        if found:
            out[u.key] = UnitState(unit=u, event_id="e", found_by=found)
    return out


@pytest.mark.parametrize("split", [2, 3, 5])
def test_new_pairs_are_the_candidate_pairs(monkeypatch: pytest.MonkeyPatch, split: int) -> None:
    units = written_units(monkeypatch)
    articles = sorted({u.key[0] for u in units})
    fresh_articles = set(articles[::split])
    new = {u.key: u for u in units if u.key[0] in fresh_articles}
    old = [u for u in units if u.key[0] not in fresh_articles]
    looked = {k: looks_up(u, within=False) for k, u in new.items()}
    stored = as_looked_up(old, {k for ks in looked.values() for k in ks})
    expected = candidate_pairs(list(new.values()) + [s.unit for s in stored.values()], set(new))
    got = layer_events._new_pairs(new, looked, stored)
    assert [(a.key, b.key) for a, b in got] == [(a.key, b.key) for a, b in expected]
    across = [p for p in got if (p[0].key in new) != (p[1].key in new)]
    assert len(across) >= 5 and len(got) > len(across), (len(got), len(across))
