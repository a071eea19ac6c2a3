"""Score an extraction against a hand annotation (gold file): precision, recall and field accuracy.

Usage: ``python -m service.extract.evaluate --gold tests/golden/seeds.gold.json seeds`` for the
self-written sets, ``python -m service.extract.evaluate --set real-dev`` (or ``real-heldback``) for the
real development set, whose articles are read from the shared corpus by reference
(``service.extract.real_set``, scored by ``service.extract.evaluate_real``).
The gold formats are documented in docs/extraction.md. In the self-written sets, gold sources are
named by a prefix of the article's external id (file name); actors match when an extracted alias and
a gold surface form share a match key.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import msgspec

from service.merge.dataset import Dataset
from service.models.resources import Actor, Claim, Event
from service.text import match_key


class Score(msgspec.Struct):
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


class Evaluation:
    """Matches a dataset to a gold annotation; each ``score_*`` method returns a report section."""

    def __init__(self, dataset: Dataset, gold: dict[str, Any]) -> None:
        self.dataset = dataset
        self.gold = gold
        self.texts = {r.source.id: r.text for r in dataset.sources}
        self.prefix_of: dict[str, str] = {}
        gold_names = {s for a in gold["actors"] for s in a["sources"]} | {c["source"] for c in gold["claims"]}
        for record in dataset.sources:
            ext = record.source.external_id or ""
            for name in gold_names:
                if ext.startswith(name):
                    self.prefix_of[record.source.id] = name
        self.source_of = {v: k for k, v in self.prefix_of.items()}
        self.gold_actors = {a["key"]: a for a in gold["actors"]}
        self.actor_match = self._match_actors()

    def _keys(self, actor: Actor) -> set[str]:
        return {match_key(a.text) for a in actor.aliases} | {match_key(actor.name.ar)}

    def _match_actors(self) -> dict[str, list[str]]:
        """gold key -> ids of extracted actors sharing a surface form with it."""
        out: dict[str, list[str]] = {}
        for key, g in self.gold_actors.items():
            surfaces = {match_key(s) for s in g["surface"]}
            out[key] = sorted(a.id for a in self.dataset.actors if self._keys(a) & surfaces)
        return out

    def gold_of_actor(self, actor_id: str | None) -> set[str]:
        return {k for k, ids in self.actor_match.items() if actor_id in ids}

    def score_actors(self) -> dict[str, Any]:
        report: dict[str, Any] = {}
        for kind in ("person", "organization", "place", "country", "weapon"):
            score = Score()
            golds = [g for g in self.gold_actors.values() if g["kind"] == kind]
            for g in golds:
                if g["core"]:
                    if self.actor_match[g["key"]]:
                        score.tp += 1
                    else:
                        score.fn += 1
            matched_ids = {i for g in golds for i in self.actor_match[g["key"]]}
            counted: set[str] = set()
            false_positives = []
            for a in self.dataset.actors:
                if a.kind != kind or a.mention_count == 0:
                    continue
                golds_hit = self.gold_of_actor(a.id)
                if a.id not in matched_ids or not golds_hit or golds_hit & counted:
                    # not in the gold, or a second actor for the same gold actor (a missed merge)
                    score.fp += 1
                    false_positives.append(a.name.ar)
                counted |= golds_hit
            report[kind] = {
                **score.row(),
                "false_positives": false_positives,
                "missed": [g["key"] for g in golds if g["core"] and not self.actor_match[g["key"]]],
            }
        merged = [
            g["key"]
            for g in self.gold_actors.values()
            if g["core"] and len(g["surface"]) > 1 and len(self.actor_match[g["key"]]) == 1
        ]
        split = [
            g["key"] for g in self.gold_actors.values() if g["core"] and len(self.actor_match[g["key"]]) > 1
        ]
        report["variants_merged"] = merged
        report["split_actors"] = split
        return report

    def score_roles(self) -> dict[str, Any]:
        found, missing = 0, []
        by_id = {a.id: a for a in self.dataset.actors}
        for r in self.gold["roles"]:
            ok = False
            for actor_id in self.actor_match.get(r["actor"], []):
                for role in by_id[actor_id].roles:
                    if self.prefix_of.get(role.attribution.source_id) != r["source"]:
                        continue
                    rank_ok = "rank" not in r or (role.rank and match_key(role.rank) == match_key(r["rank"]))
                    text_ok = "role" not in r or (
                        role.text
                        and (
                            match_key(r["role"]) in match_key(role.text)
                            or match_key(role.text) in match_key(r["role"])
                        )
                    )
                    ok = ok or bool(rank_ok and text_ok)
            found += ok
            if not ok:
                missing.append(f"{r['actor']}@{r['source']}")
        return {"recall": round(found / len(self.gold["roles"]), 3), "missing": missing}

    def _event_sources(self, event: Event) -> set[str]:
        return {self.prefix_of.get(a.source_id, "?") for a in event.attributions}

    def _participant_hits(self, g: dict[str, Any], event: Event) -> int:
        actors = {ea.actor.id for ea in event.actors}
        return sum(1 for p in g["participants"] if set(self.actor_match.get(p, [])) & actors)

    def _event_match(self, g: dict[str, Any], event: Event) -> bool:
        if g["type"] and event.type != g["type"]:
            return False
        if not (self._event_sources(event) & set(g["sources"])):
            return False
        wanted = g["participants"]
        return self._participant_hits(g, event) >= max(1, (len(wanted) + 1) // 2) if wanted else True

    def score_events(self) -> dict[str, Any]:
        score = Score()
        fields = {"location": [0, 0], "date": [0, 0], "status": [0, 0], "all_sources": [0, 0]}
        missing, matched_ids = [], set()
        for g in self.gold["events"]:
            candidates = [e for e in self.dataset.events if self._event_match(g, e)]
            matched_ids |= {e.id for e in candidates}
            if not g["core"]:
                continue
            if not candidates:
                score.fn += 1
                missing.append(g["key"])
                continue
            score.tp += 1
            best = max(
                candidates,
                key=lambda e: (
                    self._participant_hits(g, e),
                    len(self._event_sources(e) & set(g["sources"])),
                    e.id,
                ),
            )
            if g["location"] is not None:
                fields["location"][1] += 1
                fields["location"][0] += bool(
                    best.location and best.location.id in self.actor_match[g["location"]]
                )
            if g["date"] is not None:
                fields["date"][1] += 1
                fields["date"][0] += bool(best.date.start and best.date.start.isoformat() == g["date"])
            fields["status"][1] += 1
            fields["status"][0] += best.status in _as_list(g["status"]) or (
                len(_as_list(g["status"])) > 1 and bool(best.conflicts)
            )
            fields["all_sources"][1] += 1
            fields["all_sources"][0] += self._event_sources(best) >= set(g["sources"])
        score.fp = sum(1 for e in self.dataset.events if e.id not in matched_ids)
        return {
            **score.row(),
            "missing": missing,
            "field_accuracy": {k: round(a / n, 3) if n else None for k, (a, n) in fields.items()},
            "unmatched": [e.summary.en for e in self.dataset.events if e.id not in matched_ids],
        }

    def _claim_hits(self, source: str, content: str) -> list[Claim]:
        source_id = self.source_of.get(source)
        if source_id is None:
            return []
        start = self.texts[source_id].find(content)
        end = start + len(content)
        return [
            c
            for c in self.dataset.claims
            if c.attribution.source_id == source_id
            and c.attribution.span[0] < end
            and start < c.attribution.span[1]
        ]

    def score_claims(self) -> dict[str, Any]:
        score = Score()
        fields = {"speaker": [0, 0], "stance": [0, 0], "via": [0, 0]}
        missing, matched = [], set()
        for g in self.gold["claims"]:
            hits = self._claim_hits(g["source"], g["content"])
            matched |= {c.id for c in hits}
            if not g["core"]:
                continue
            if not hits:
                score.fn += 1
                missing.append(g["key"])
                continue
            score.tp += 1
            claim = hits[0]
            speakers = [s for s in _as_list(g["speaker"])]
            fields["speaker"][1] += 1
            fields["speaker"][0] += "*" in speakers or any(
                (s is None and claim.speaker is None)
                or (
                    s is not None
                    and claim.speaker is not None
                    and claim.speaker.id in self.actor_match.get(s, [])
                )
                for s in speakers
            )
            fields["stance"][1] += 1
            fields["stance"][0] += claim.stance in _as_list(g["stance"])
            fields["via"][1] += 1
            fields["via"][0] += any(
                (v is None and claim.via is None)
                or (v is not None and claim.via is not None and claim.via.id in self.actor_match.get(v, []))
                for v in _as_list(g["via"])
            )
        unmatched = [c for c in self.dataset.claims if c.id not in matched]
        score.fp = len(unmatched)
        violations = [
            n["content"]
            for n in self.gold["non_claims"]
            if any(
                c.speaker and c.speaker.id in self.actor_match.get(n["speaker"], [])
                for c in self._claim_hits(n["source"], n["content"])
            )
        ]
        return {
            **score.row(),
            "missing": missing,
            "non_claim_violations": violations,
            "unmatched": [
                f"{self.prefix_of.get(c.attribution.source_id)}: {c.attribution.quote[:80]}"
                for c in unmatched
            ],
            "field_accuracy": {k: round(a / n, 3) if n else None for k, (a, n) in fields.items()},
        }

    def score_conflicts(self) -> dict[str, Any]:
        found, missing = 0, []
        for g in self.gold["conflicts"]:
            if "subject" in g:
                ids = set(self.actor_match.get(g["subject"], []))
                ok = any(k.subject.id in ids and k.field == g["field"] for k in self.dataset.conflicts)
            else:
                gold_event = next(e for e in self.gold["events"] if e["key"] == g["subject_event"])
                events = {e.id for e in self.dataset.events if self._event_match(gold_event, e)}
                claim_events = {c.event_id for c in self.dataset.claims if c.contradicts}
                ok = any(k.subject.id in events for k in self.dataset.conflicts) or bool(
                    events & claim_events
                )
            found += ok
            if not ok:
                missing.append(g["key"])
        total = len(self.gold["conflicts"])
        return {
            "recall": round(found / total, 3) if total else None,
            "missing": missing,
            "extracted": len(self.dataset.conflicts),
        }

    def report(self) -> dict[str, Any]:
        return {
            "actors": self.score_actors(),
            "roles": self.score_roles(),
            "events": self.score_events(),
            "claims": self.score_claims(),
            "conflicts": self.score_conflicts(),
        }


def evaluate(dataset: Dataset, gold: dict[str, Any]) -> dict[str, Any]:
    """Precision/recall of ``dataset`` against the ``gold`` annotation."""
    return Evaluation(dataset, gold).report()


def main(argv: list[str] | None = None) -> int:
    from service.articles import read_articles
    from service.merge import extract

    parser = argparse.ArgumentParser(
        prog="python -m service.extract.evaluate",
        description="Score the extractor against a gold annotation.",
    )
    parser.add_argument("--gold", help="gold annotation JSON of a self-written set (with PATHS)")
    parser.add_argument(
        "--set",
        dest="real_set",
        help="a real set read from the shared corpus: real-dev, real-dev2, real-dev3, real-dev4, real-dev5, real-dev6, real-dev7, real-dev8, real-dev9, real-dev10, real-heldback",
    )
    parser.add_argument("--json", action="store_true", help="with --set: the whole report as JSON")
    parser.add_argument(
        "--tagger-policy",
        help="with --set: another name-tagger policy as JSON (actors/tagged.py TaggerPolicy), for measuring",
    )
    parser.add_argument("paths", nargs="*", help="article files or folders (with --gold)")
    args = parser.parse_args(argv)
    if args.tagger_policy:
        from service.extract.actors import tagged

        tagged.use_policy(tagged.parse_policy(args.tagger_policy))
    if args.real_set:
        return _main_real(args.real_set, as_json=args.json)
    if not args.gold or not args.paths:
        parser.error("give --gold GOLD PATH... or --set NAME")
    gold = json.loads(Path(args.gold).read_text())
    articles = read_articles([Path(p) for p in args.paths])
    report = evaluate(extract([(a.text, a.meta) for a in articles]), gold)
    json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _main_real(name: str, *, as_json: bool) -> int:
    from service.corpora import CorpusMissing
    from service.extract.evaluate_real import evaluate_real, summary_table
    from service.extract.real_set import ChecksumMismatch, load_set, read_articles
    from service.merge import extract

    try:
        gold = load_set(name)
        articles = read_articles(gold)
    except (KeyError, FileNotFoundError, CorpusMissing, ChecksumMismatch) as exc:
        sys.stderr.write(f"error: {exc.args[0]}\n")
        return 2
    report = evaluate_real(extract(articles), gold)
    if as_json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(summary_table(report) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
