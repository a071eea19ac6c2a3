"""Compare two datasets written by ``bench/merge_replay.py --dump``: per table, the rows only in
one of them (by first column, the id), and whether the two are identical.

    .venv/bin/python bench/replay_diff.py A.json B.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    a, b = (json.loads(Path(p).read_text()) for p in sys.argv[1:3])
    same = True
    for table in sorted(set(a) | set(b)):
        ra, rb = set(a.get(table, [])), set(b.get(table, []))
        only_a, only_b = sorted(ra - rb), sorted(rb - ra)
        same &= not only_a and not only_b
        print(f"{table}: {len(ra):,} / {len(rb):,} rows, {len(only_a)} only in A, {len(only_b)} only in B")
        for row in only_a[:5]:
            print(f"  A: {row[:200]}")
        for row in only_b[:5]:
            print(f"  B: {row[:200]}")
    print("identical" if same else "DIFFERENT")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
