"""Count constructions (regular expressions) over the unannotated SaudiNewsNet articles.

Usage::

    .venv/bin/python bench/construction_counts.py bench/data/dev5_constructions.json
    .venv/bin/python bench/construction_counts.py bench/data/evt13_constructions.json \
        --days 2015-07-21,2015-07-22,2015-07-23,2015-07-24,2015-07-25,2015-07-26,2015-07-27

Reads every article of the days that are not held back (``service.corpora.saudinewsnet()`` never
yields 2015-08-01/02), leaves out the articles of the development gold files (``real-dev`` ...;
the held-back gold is never opened) and, for each named pattern of the JSON file, prints how many
times it occurs and in how many articles. It counts a construction, not the extractor's errors on
it: the failure classes of a blind batch say which construction failed, this says how common it
is. It also counts agency copies: openings (the first 100 characters) that two or more outlets
share. Only counts are printed, never corpus text.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, os.environ.get("MARSAD_TREE") or str(Path(__file__).resolve().parents[1]))

from service import corpora
from service.extract.real_set import SETS, load_set

OPENING = 100  # characters of whitespace-normalised text that make two articles one agency copy


def annotated_refs() -> set[str]:
    """Refs of the development gold files (the held-back gold is not opened: its days are not read)."""
    return {a.ref for name in SETS if name.startswith("real-dev") for a in load_set(name).articles}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("patterns", help="a JSON list of {name, pattern} (a construction to count)")
    parser.add_argument("--days", help="comma-separated days (default: every day but the held-back ones)")
    args = parser.parse_args()
    patterns = [(p["name"], re.compile(p["pattern"])) for p in json.loads(Path(args.patterns).read_text())]
    skip = annotated_refs()
    articles = 0
    openings: dict[str, set[str]] = {}
    counts = {name: [0, 0] for name, _ in patterns}
    for article in corpora.saudinewsnet(args.days.split(",") if args.days else None):
        if article.ref in skip:
            continue
        articles += 1
        opening = " ".join(article.content.split())[:OPENING]
        if len(opening) == OPENING:
            openings.setdefault(opening, set()).add(article.outlet)
        for name, pattern in patterns:
            hits = len(pattern.findall(article.content))
            counts[name][0] += hits
            counts[name][1] += hits > 0
    print(f"{articles} unannotated articles (held-back days not read)")
    print(f"{'construction':<44} {'occurrences':>11} {'articles':>9}")
    for name, (hits, arts) in counts.items():
        print(f"{name:<44} {hits:>11,} {arts:>9,}")
    shared = [outlets for outlets in openings.values() if len(outlets) > 1]
    print(f"openings of {OPENING} characters told by two or more outlets (agency copies): {len(shared):,}")
    print(f"  articles in them, one per outlet: {sum(len(o) for o in shared):,}")


if __name__ == "__main__":
    main()
