"""Person-group comparisons on real articles, with and without the given-name condition of
``may_match`` (``service/merge/actor_name_keys.py``): how many pairs each lets through to
``same_actor``, and whether any pair the rules match is dropped (it must be none).

    .venv/bin/python -m bench.person_blocking [--limit 5000] [--name person-blocking]

The first ``--limit`` SaudiNewsNet records (held-back days never read; extractions cached as
``bench/merge_replay.py`` caches them) are grouped (``actor_groups.members_of``); every pair of person
groups sharing a blocking key and passing ``may_match`` without the name condition is compared with
``actor_clusters.match_profiles``. Reported: pairs compared before and after, matches, matches the
condition would drop (the invariant: 0), and the largest candidate lists (the POST tail's hub keys).
Results: ``bench/results/NAME.json``. Counts only, no timings.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, os.environ.get("MARSAD_TREE") or str(Path(__file__).resolve().parents[1]))

import msgspec

from bench.merge_replay import documents
from service.merge.actor_clusters import Representatives, match_profiles
from service.merge.actor_groups import Profile, Signature, may_match, members_of, profile_from, signature

RESULTS = Path(__file__).resolve().parent / "results"


def person_groups(limit: int) -> dict[str, Profile]:
    members: dict[str, list] = defaultdict(list)
    for d in documents(limit):
        for g, cs in members_of(d).items():
            if cs[0].kind == "person":
                members[g].extend(cs)
    return {g: profile_from(cs) for g, cs in sorted(members.items())}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=5000, help="the first N corpus records")
    parser.add_argument("--name", default="person-blocking", help="results file name")
    args = parser.parse_args()
    groups = person_groups(args.limit)
    sigs: dict[str, Signature] = {g: signature(p) for g, p in groups.items()}
    unnamed = {g: msgspec.structs.replace(s, givens=None) for g, s in sigs.items()}
    blocks: dict[str, list[str]] = defaultdict(list)
    for g, s in sigs.items():
        for k in s.keys:
            blocks[k].append(g)
    seen: set[tuple[str, str]] = set()
    before = after = matched = dropped_matches = 0
    per_group: dict[str, int] = defaultdict(int)
    per_group_after: dict[str, int] = defaultdict(int)
    reps = Representatives()
    for members in blocks.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if (a, b) in seen:
                    continue
                seen.add((a, b))
                if not may_match(unnamed[a], unnamed[b]):
                    continue
                before += 1
                per_group[a] += 1
                per_group[b] += 1
                kept = may_match(sigs[a], sigs[b])
                if kept:
                    after += 1
                    per_group_after[a] += 1
                    per_group_after[b] += 1
                if match_profiles(groups[a], groups[b], reps, a, b) is not None:
                    matched += 1
                    dropped_matches += not kept
    widest = sorted(per_group.values(), reverse=True)[:5]
    widest_after = sorted(per_group_after.values(), reverse=True)[:5]
    result = {
        "records": args.limit,
        "person_groups": len(groups),
        "pairs_sharing_a_key": len(seen),
        "compared_before": before,
        "compared_after": after,
        "matched": matched,
        "matches_dropped": dropped_matches,
        "widest_candidate_lists_before": widest,
        "widest_candidate_lists_after": widest_after,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    sys.exit(1 if dropped_matches else 0)


if __name__ == "__main__":
    main()
