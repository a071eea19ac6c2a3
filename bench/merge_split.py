"""Where the merge's CPU goes, by part: a sampling profile of ``bench/merge_replay.py`` split into
the parts issue #10 asks about (reading stored state, candidate lookup, pair scoring, the actor
layer, clustering, rebuilding, writing and diffing, the collection after the merge).

    .venv/bin/pip install py-spy    # a profiling tool, not a dependency of the service
    .venv/bin/py-spy record -r 50 -f raw -o /tmp/spy.txt -- .venv/bin/python -m bench.merge_replay --limit 5000
    .venv/bin/python -m bench.merge_split /tmp/spy.txt [--ms 7.5]

Only samples inside ``merge_into`` (the critical section) count. Each sample goes to the first part
whose rule its stack matches (``PARTS``, in order), so the shares add up to 100 %. ``--ms``: the
Python CPU per article of an unprofiled run, to turn the shares into milliseconds an article.
Sampling (py-spy) rather than cProfile: cProfile inflates functions that make many small calls
(``match_score`` 22 % under cProfile, 16 % sampled).
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable
from pathlib import Path

Stack = list[str]

PAIRS = ("candidate_pairs", "_new_pairs", "looks_up", "found_by", "shared_key_pairs")


def _any(stack: Stack, names: tuple[str, ...]) -> bool:
    return any(f in names for f in stack)


PARTS: list[tuple[str, Callable[[Stack], bool]]] = [
    ("collection after the merge (gc re-enabled)", lambda s: "_GeneratorContextManager.__exit__" in s[:1]),
    ("write: derived tables (write_delta: content-hash diff, statements)", lambda s: "write_delta" in s),
    ("write: merge state (write_state)", lambda s: "write_state" in s),
    ("reading and decoding stored state (DbStore.*)", lambda s: any(f.startswith("DbStore.") for f in s)),
    ("candidate lookup (candidate_pairs, _new_pairs, keys)", lambda s: _any(s, PAIRS)),
    ("event pair scoring (match_score)", lambda s: "match_score" in s),
    (
        "actor layer: person groups compared (link_groups, signature)",
        lambda s: "ActorLayer.merge_actors" in s and _any(s, ("link_groups", "signature")),
    ),
    (
        "actor layer: contributions and profiles",
        lambda s: (
            "ActorLayer.merge_actors" in s
            and _any(s, ("MergeBase.members", "profile_of", "sum_profiles", "profile_from"))
        ),
    ),
    ("actor layer: clustering, ids, descriptors, decisions", lambda s: "ActorLayer.merge_actors" in s),
    ("event clustering (cluster_events' own loop)", lambda s: "cluster_events" in s),
    ("rebuilding: reports (unit_of)", lambda s: "unit_of" in s),
    ("rebuilding: events and summaries", lambda s: _any(s, ("build_events", "summarize"))),
    ("rebuilding: claims and conflicts (merge_claims)", lambda s: "ClaimLayer.merge_claims" in s),
    (
        "documents layer, documents loaded and prepared",
        lambda s: _any(s, ("DocumentLayer.merge_documents", "MergeBase._documents", "MergeBase._index")),
    ),
    ("other (engine glue, freeing the merge's objects)", lambda s: True),
]


def split(path: Path) -> tuple[int, Counter[str]]:
    """Samples inside ``merge_into``, and how many fell to each part."""
    parts: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        frames = [f.split(" (")[0] for f in stack.split(";")]
        if "merge_into" not in frames:
            continue
        inside = frames[frames.index("merge_into") + 1 :]
        total += int(count)
        parts[next(name for name, rule in PARTS if rule(inside))] += int(count)
    return total, parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path, help="py-spy record -f raw output")
    parser.add_argument("--ms", type=float, default=None, help="Python CPU ms per article, unprofiled")
    args = parser.parse_args()
    total, parts = split(args.raw)
    print(f"{total:,} samples inside merge_into")
    print("| part | share |" + (" ms an article |" if args.ms else ""))
    print("|---|---|" + ("---|" if args.ms else ""))
    for name, _ in PARTS:
        share = parts[name] / total if total else 0.0
        print(f"| {name} | {100 * share:.1f} % |" + (f" {share * args.ms:.2f} |" if args.ms else ""))


if __name__ == "__main__":
    main()
