"""Candidate pairs by shared blocking key, found with an integer index: the mechanics behind
``event_clusters.candidate_pairs`` (whose key functions, ``found_by`` and ``looks_up``, are the
rules; this module only finds which reports share a key, fast).

A busy anchor (the king, Riyadh) puts hundreds of reports under one key, so the pairs a merge
considers grow with the square of that list. Reports are numbered in key order and a pair is one
integer (``i * n + j``, ``i < j``): building, de-duplicating and sorting integers costs a fraction
of doing it with pairs of ``(sha256, index)`` tuples, and sorting the integers gives the same order
as sorting the tuple pairs, so the result is the same list.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Protocol, TypeVar


class Keyed(Protocol):
    @property
    def key(self) -> tuple[str, int]: ...


U = TypeVar("U", bound=Keyed)


def shared_key_pairs(
    units: Sequence[U],
    only: set[tuple[str, int]] | None,
    found_by: Callable[[U], list[str]],
    looks_up: Callable[[U], list[str]],
) -> list[tuple[U, U]]:
    """Pairs ``(a, b)`` with ``a.key < b.key`` where ``b`` is found by a key ``a`` looks up or the
    other way round (each once, sorted by keys); with ``only``: just pairs where the looking unit is
    one of those. Of units sharing a key, the last one stands for it (as a dict by key would)."""
    by_key = {u.key: u for u in units}
    keys = sorted(by_key)
    n = len(keys)
    pos = {k: i for i, k in enumerate(keys)}
    lookers = sorted(by_key if only is None else only & by_key.keys())
    wanted = {key: looks_up(by_key[key]) for key in lookers}
    # Only keys some looking unit looks up are indexed: with ``only`` (a merge's new reports
    # against everything they may meet), most keys of the other reports are looked up by none.
    looked = {k for ks in wanted.values() for k in ks}
    index: dict[Hashable, list[int]] = {}
    for u in units:
        i = pos[u.key]
        for k in looked.intersection(found_by(u)):  # the filter in C; a key's list keeps unit order
            found = index.get(k)
            if found is None:
                index[k] = [i]
            else:
                found.append(i)
    # Each looking unit gathers the units its keys find into one set first (in C): two reports
    # sharing twenty keys make one pair, not twenty, before any integer is computed.
    pairs: set[int] = set()
    add = pairs.update
    for key in lookers:
        i = pos[key]
        near: set[int] = set()
        gather = near.update
        for k in wanted[key]:
            at = index.get(k)
            if at:
                gather(at)
        near.discard(i)
        if near:
            base = i * n
            add([j * n + i if j < i else base + j for j in near])
    ordered = [by_key[k] for k in keys]
    return [(ordered[p // n], ordered[p % n]) for p in sorted(pairs)]
