"""Per-article fingerprints of the extractor's output, to prove that a speed change changes nothing.

Usage::

    .venv/bin/python bench/extraction_fingerprint.py --count 3000 --out /tmp/before.json
    # ... change the extractor ...
    .venv/bin/python bench/extraction_fingerprint.py --count 3000 --out /tmp/after.json --compare /tmp/before.json

Extracts ``count`` real SaudiNewsNet articles (every 3rd non-empty article of every day but the
held-back ones, which are never read; every other one with its outlet, title, author and URL as
metadata) and records the sha256 of the msgspec JSON of each whole ``Document`` (every field,
including the clause and reporting internals). ``--compare`` lists the articles whose digest
differs (their refs only; corpus text is never printed) and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

import msgspec

sys.path.insert(0, os.environ.get("MARSAD_TREE") or str(Path(__file__).resolve().parents[1]))

from service import corpora
from service.extract import pipeline

STRIDE = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--out", required=True, help="where to write {ref: digest} as JSON")
    parser.add_argument("--compare", help="an earlier --out file to compare against")
    args = parser.parse_args()
    records = [a for a in corpora.saudinewsnet() if a.content.strip()][::STRIDE][: args.count]
    encoder = msgspec.json.Encoder()
    digests: dict[str, str] = {}
    for n, article in enumerate(records):
        meta = pipeline.SourceMeta()
        if n % 2:
            meta = pipeline.SourceMeta(
                outlet=article.outlet or None,
                url=article.url or None,
                title=article.title or None,
                author=article.author or None,
            )
        doc = pipeline.extract_document(article.content, meta)
        digests[article.ref] = hashlib.sha256(encoder.encode(doc)).hexdigest()
    Path(args.out).write_text(json.dumps(digests, indent=0, sort_keys=True))
    print(f"{len(digests)} articles fingerprinted -> {args.out}")
    if args.compare:
        before = json.loads(Path(args.compare).read_text())
        changed = sorted(ref for ref in before.keys() | digests.keys() if before.get(ref) != digests.get(ref))
        if changed:
            print(f"{len(changed)} articles differ: {' '.join(changed[:30])}")
            raise SystemExit(1)
        print("identical")


if __name__ == "__main__":
    main()
