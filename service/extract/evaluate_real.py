"""Score a dataset against a real-set gold annotation (``service.extract.real_set``).

Pure: a ``Dataset`` and a ``RealGold`` in, a report out. Every metric is defined in docs/extraction.md
("Real development set"); in short:

- events are matched to gold events article by article, one to one, on a fitting PLOVER type;
- actors match when a name, alias or mention of the extracted actor has the match key of a gold
  surface form and the actor is mentioned in one of the gold actor's articles;
- claims match when their span overlaps the gold content in the same article.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import msgspec

from service.extract.real_set import (
    GoldActor,
    GoldClaim,
    GoldEvent,
    RealGold,
    UnnamedOf,
    occurs_in,
    remove_forms,
)
from service.merge.dataset import Dataset
from service.models.resources import Actor, Claim, Event, EventDate
from service.text import match_key

# A generic place noun before a name ("مدينة بوزانتي", "إقليم كارس") is not part of the name.
GENERIC_HEADS = frozenset(
    match_key(w) for w in ("مدينة", "بلدة", "قرية", "محافظة", "إقليم", "منطقة", "قضاء", "ولاية")
)


def name_key(text: str) -> str:
    """The match key of a name, without a leading generic place noun."""
    key = match_key(text)
    head, _, rest = key.partition(" ")
    return rest if head in GENERIC_HEADS and rest else key


# A word that makes what follows part of a longer name ("محمد بن سلمان" is not "سلمان").
NAME_PARTICLES = frozenset(match_key(w) for w in ("بن", "ابن", "بنت", "أبو", "أبي", "أم", "آل", "عبد"))


def form_matches(extracted: str, gold: str, *, person: bool) -> bool:
    """An extracted name key against a gold surface key: equal, or, when both name a person, the gold
    name after at most two leading words (a title or role kept in the span: "الامير محمد بن سلمان")."""
    if extracted == gold:
        return True
    if not person or not extracted.endswith(" " + gold):
        return False
    before = extracted[: -len(gold)].split()
    return len(before) <= 2 and before[-1] not in NAME_PARTICLES


class Ratio(msgspec.Struct):
    """``hit`` of ``total``; the value is None when nothing was there to count."""

    hit: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.hit += bool(ok)
        self.total += 1

    @property
    def value(self) -> float | None:
        return round(self.hit / self.total, 3) if self.total else None

    def row(self) -> dict[str, Any]:
        return {"value": self.value, "hit": self.hit, "total": self.total}


def date_fits(extracted: EventDate, accepted: list[str | None]) -> bool:
    """Whether an extracted date is one of the gold's accepted values.

    ``None`` accepts an unknown date; ``YYYY-MM-DD`` that day (at day precision); ``YYYY-MM`` and
    ``YYYY`` any start inside them; ``A/B`` any start from A to B."""
    start = extracted.start
    for value in accepted:
        if value is None:
            if start is None:
                return True
            continue
        if start is None:
            continue
        if "/" in value:
            low, high = (date.fromisoformat(v) for v in value.split("/"))
            if low <= start <= high:
                return True
        elif len(value) == 10:
            day_precise = extracted.precision == "day" or (
                extracted.precision == "range" and extracted.end == start
            )
            if start.isoformat() == value and day_precise:
                return True
        elif start.isoformat().startswith(value):
            return True
    return False


class RealEvaluation:
    """Matches a dataset to a real-set gold; ``report()`` gives every metric with its counts."""

    def __init__(self, dataset: Dataset, gold: RealGold) -> None:
        self.dataset = dataset
        self.gold = gold
        by_ref = {a.ref: a.key for a in gold.articles}
        self.article_of = {
            r.source.id: by_ref[r.source.external_id]
            for r in dataset.sources
            if r.source.external_id in by_ref
        }
        self.source_of = {k: s for s, k in self.article_of.items()}
        self.texts = {
            self.article_of[r.source.id]: r.text for r in dataset.sources if r.source.id in self.article_of
        }
        self.actor_articles = self._actor_articles()
        self.actor_keys = self._actor_keys()
        self.candidates = {g.key: self._candidates(g) for g in gold.actors}
        self.gold_actors = {g.key: g for g in gold.actors}
        self.pairs = self._match_events()

    # actors

    def _actor_articles(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for m in self.dataset.mentions:
            if m.source_id in self.article_of:
                out[m.actor_id].add(self.article_of[m.source_id])
        for a in self.dataset.actors:
            for alias in a.aliases:
                for att in alias.attributions:
                    if att.source_id in self.article_of:
                        out[a.id].add(self.article_of[att.source_id])
        return out

    def _actor_keys(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for a in self.dataset.actors:
            out[a.id] |= {name_key(a.name.ar)} | {name_key(alias.text) for alias in a.aliases}
        for m in self.dataset.mentions:
            out[m.actor_id].add(name_key(m.quote))
        return out

    def _candidates(self, g: GoldActor) -> list[Actor]:
        """Extracted actors that share a surface key with ``g`` and are mentioned where it is."""
        surfaces = {name_key(s) for s in g.surface}
        return [
            a
            for a in self.dataset.actors
            if self.actor_articles[a.id] & set(g.sources)
            and any(
                form_matches(k, f, person=a.kind == g.kind == "person")
                for k in self.actor_keys[a.id]
                for f in surfaces
            )
        ]

    def is_actor(self, actor_id: str | None, key: str) -> bool:
        return actor_id is not None and any(a.id == actor_id for a in self.candidates.get(key, []))

    def _kind_found(self, kind: str) -> tuple[Ratio, list[str]]:
        found, missed = Ratio(), []
        for g in self.gold.actors:
            if g.kind == kind and g.core:
                ok = any(a.kind == kind for a in self.candidates[g.key])
                found.add(ok)
                if not ok:
                    missed.append(g.key)
        return found, missed

    def _kind_precision(self, kind: str) -> tuple[Ratio, list[str]]:
        """Extracted actors of ``kind`` in the set's articles that are a gold actor of that kind;
        a second actor for the same gold actor (a split) counts as wrong."""
        precision, wrong = Ratio(), []
        claimed: set[str] = set()
        for a in sorted(self.dataset.actors, key=lambda a: a.id):
            if a.kind != kind or not self.actor_articles[a.id]:
                continue
            golds = {g.key for g in self.gold.actors if g.kind == kind and a in self.candidates[g.key]}
            ok = bool(golds - claimed)
            claimed |= golds
            precision.add(ok)
            if not ok:
                wrong.append(a.name.ar)
        return precision, wrong

    def _written_keys(self, actor_id: str) -> set[str]:
        """The forms an extracted actor has in the set's texts: mention quotes, and aliases with an
        attribution in one of the articles (not knowledge-base spellings no article uses)."""
        keys = {name_key(m.quote) for m in self.dataset.mentions if m.actor_id == actor_id}
        for a in self.dataset.actors:
            if a.id == actor_id:
                for alias in a.aliases:
                    if any(att.source_id in self.article_of for att in alias.attributions):
                        keys.add(name_key(alias.text))
        return keys

    def variant_keys(self, g: GoldActor) -> set[str]:
        """The gold forms that name the actor on their own somewhere in its articles, not only as
        part of a longer listed form ("محمد بن سلمان" inside "محمد بن سلمان بن عبدالعزيز")."""
        forms = sorted({name_key(s) for s in g.surface}, key=len, reverse=True)
        texts = [match_key(self.texts[a]) for a in g.sources if a in self.texts]
        standalone = set()
        for form in forms:
            longer = [f for f in forms if len(f) > len(form) and f" {form} " in f" {f} "]
            if any(occurs_in(remove_forms(text, longer), form) for text in texts):
                standalone.add(form)
        return standalone

    def _variants(self, kind: str) -> tuple[Ratio, list[str]]:
        """Core gold actors that the articles name in two or more ways: exactly one extracted actor
        matches, and it has every one of those ways in the texts (a mention or an attributed alias)."""
        merged, split = Ratio(), []
        for g in self.gold.actors:
            if g.kind != kind or not g.core:
                continue
            variants = self.variant_keys(g)
            if len(variants) < 2:
                continue
            found = self.candidates[g.key]
            written = self._written_keys(found[0].id) if len(found) == 1 else set()
            person = bool(found) and found[0].kind == g.kind == "person"
            missing = {v for v in variants if not any(form_matches(w, v, person=person) for w in written)}
            ok = len(found) == 1 and not missing
            merged.add(ok)
            if not ok:
                split.append(f"{g.key} ({len(found)} actors; unlinked: {', '.join(sorted(missing))})")
        return merged, split

    def score_actors(self) -> dict[str, Any]:
        report: dict[str, Any] = {}
        for kind in ("person", "organization", "place", "country"):
            found, missed = self._kind_found(kind)
            precision, wrong = self._kind_precision(kind)
            merged, split = self._variants(kind)
            report[kind] = {
                "found": found.row(),
                "precision": precision.row(),
                "variants_merged": merged.row(),
                "missed": missed,
                "false_positives": wrong,
                "not_merged": split,
            }
        return report

    # events

    def _event_articles(self, event: Event) -> dict[str, list[tuple[int, int]]]:
        out: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for att in event.attributions:
            if att.source_id in self.article_of:
                out[self.article_of[att.source_id]].append(att.span)
        return out

    def _pair_score(self, g: GoldEvent, e: Event, article: str, spans: list[tuple[int, int]]) -> tuple:
        text = self.texts.get(article, "")
        quote = g.evidence.get(article)
        start = text.find(quote) if quote else -1
        overlaps = start >= 0 and any(s < start + len(quote or "") and start < t for s, t in spans)
        actors = {ea.actor.id for ea in e.actors}
        hits = sum(1 for k in g.participants if any(a.id in actors for a in self.candidates.get(k, [])))
        place = g.location is not None and e.location is not None and self.is_actor(e.location.id, g.location)
        return (overlaps, hits, place, date_fits(e.date, g.dates), g.core)

    def _match_events(self) -> dict[tuple[str, str], Event]:
        """(gold event key, article key) -> the extracted event matched there, one to one per article."""
        by_article: dict[str, list[tuple[Event, list[tuple[int, int]]]]] = defaultdict(list)
        for e in self.dataset.events:
            for article, spans in self._event_articles(e).items():
                by_article[article].append((e, spans))
        pairs: dict[tuple[str, str], Event] = {}
        for article, extracted in by_article.items():
            options = [
                (self._pair_score(g, e, article, spans), g.key, e.id, e)
                for g in self.gold.events
                if article in g.sources
                for e, spans in extracted
                if e.type in g.types
            ]
            options.sort(key=lambda o: (o[0], o[1], o[2]), reverse=True)
            used_gold: set[str] = set()
            used_events: set[str] = set()
            for _, gkey, eid, e in options:
                if gkey not in used_gold and eid not in used_events:
                    pairs[(gkey, article)] = e
                    used_gold.add(gkey)
                    used_events.add(eid)
        return pairs

    def matched_events(self, g: GoldEvent) -> list[Event]:
        return [self.pairs[(g.key, a)] for a in g.sources if (g.key, a) in self.pairs]

    def _best(self, g: GoldEvent) -> Event | None:
        """The extracted event matched in most of the gold event's articles (first article wins ties)."""
        matched = self.matched_events(g)
        if not matched:
            return None
        counts: dict[str, int] = defaultdict(int)
        for e in matched:
            counts[e.id] += 1
        return max(matched, key=lambda e: counts[e.id])

    def score_events(self) -> dict[str, Any]:
        found, dated, attributed, merged = Ratio(), Ratio(), Ratio(), Ratio()
        status, place = Ratio(), Ratio()
        missing, wrong_date, partial = [], [], []
        for g in self.gold.events:
            if not g.core:
                continue
            best = self._best(g)
            found.add(best is not None)
            if best is None:
                missing.append(g.key)
            date_ok = best is not None and date_fits(best.date, g.dates)
            dated.add(date_ok)
            if best is not None and not date_ok:
                wrong_date.append(f"{g.key}: {best.date.start} ({best.date.precision})")
            ids = {self.pairs[(g.key, a)].id if (g.key, a) in self.pairs else None for a in g.sources}
            everywhere = len(ids) == 1 and None not in ids
            attributed.add(everywhere)
            if len(g.sources) > 1:
                merged.add(everywhere)
                if not everywhere:
                    partial.append(g.key)
            if best is not None:
                status.add(best.status in g.statuses)
                if g.location is not None:
                    place.add(best.location is not None and self.is_actor(best.location.id, g.location))
        in_set = [e for e in self.dataset.events if self._event_articles(e)]
        matched_ids = {e.id for e in self.pairs.values()}
        precision = Ratio(hit=sum(1 for e in in_set if e.id in matched_ids), total=len(in_set))
        return {
            "found": found.row(),
            "date_right": dated.row(),
            "attributed_to_every_article": attributed.row(),
            "multi_article_merged": merged.row(),
            "precision": precision.row(),
            "status_right": status.row(),
            "place_right": place.row(),
            "missing": missing,
            "wrong_date": wrong_date,
            "not_attributed_everywhere": partial,
            "unmatched": [e.summary.en for e in in_set if e.id not in matched_ids],
        }

    # claims

    def _claim_hit(self, g: GoldClaim) -> Claim | None:
        source_id = self.source_of.get(g.source)
        if source_id is None:
            return None
        start = self.texts[g.source].find(g.content)
        if start < 0:
            return None
        end = start + len(g.content)
        best, overlap = None, 0
        for c in self.dataset.claims:
            if c.attribution.source_id != source_id:
                continue
            shared = min(end, c.attribution.span[1]) - max(start, c.attribution.span[0])
            if shared > overlap:
                best, overlap = c, shared
        return best

    def _speaker_right(self, g: GoldClaim, c: Claim) -> bool | None:
        spoken = c.speaker.id if c.speaker else None
        if isinstance(g.speaker, UnnamedOf):
            return spoken is None or self.is_actor(spoken, g.speaker.unnamed_of)
        accepted = g.speaker if isinstance(g.speaker, list) else [g.speaker]
        if "*" in accepted:
            return None
        return any(
            (k is None and spoken is None) or (k is not None and self.is_actor(spoken, k)) for k in accepted
        )

    def _relay_right(self, g: GoldClaim, c: Claim) -> bool:
        if not g.via:
            return c.via is None
        return c.via is not None and any(self.is_actor(c.via.id, k) for k in g.via)

    def score_claims(self) -> dict[str, Any]:
        found, speaker, stance, relay = Ratio(), Ratio(), Ratio(), Ratio()
        missing, wrong = [], []
        matched: set[str] = set()
        for g in self.gold.claims:
            hit = self._claim_hit(g)
            if hit is not None:
                matched.add(hit.id)
            if not g.core:
                continue
            found.add(hit is not None)
            if hit is None:
                missing.append(g.key)
                continue
            right = self._speaker_right(g, hit)
            if right is not None:
                speaker.add(right)
            stance.add(hit.stance in g.stances)
            relay.add(self._relay_right(g, hit))
            faults = [
                name
                for name, ok in (
                    ("speaker", right is not False),
                    ("stance", hit.stance in g.stances),
                    ("relay", self._relay_right(g, hit)),
                )
                if not ok
            ]
            if faults:
                who = hit.speaker.name_ar if hit.speaker else None
                via = hit.via.name_ar if hit.via else None
                wrong.append(f"{g.key}: {'/'.join(faults)} (speaker {who}, stance {hit.stance}, via {via})")
        in_set = [c for c in self.dataset.claims if c.attribution.source_id in self.article_of]
        precision = Ratio(hit=sum(1 for c in in_set if c.id in matched), total=len(in_set))
        return {
            "found": found.row(),
            "speaker_right": speaker.row(),
            "stance_right": stance.row(),
            "relay_right": relay.row(),
            "precision": precision.row(),
            "missing": missing,
            "wrong": wrong,
        }

    # conflicts

    def score_conflicts(self) -> dict[str, Any]:
        found, missing = Ratio(), []
        for g in self.gold.conflicts:
            ok = False
            if g.subject_event is not None:
                gold_event = next(e for e in self.gold.events if e.key == g.subject_event)
                ids = {e.id for e in self.matched_events(gold_event)}
                ok = any(
                    k.subject.kind == "event" and k.subject.id in ids and _field_fits(g.kind, k.field)
                    for k in self.dataset.conflicts
                )
                if g.kind == "status":
                    ok = ok or any(c.contradicts and c.event_id in ids for c in self.dataset.claims)
            elif g.subject is not None:
                ids = {a.id for a in self.candidates.get(g.subject, [])}
                ok = any(k.subject.id in ids and _field_fits(g.kind, k.field) for k in self.dataset.conflicts)
            found.add(ok)
            if not ok:
                missing.append(g.key)
        return {"found": found.row(), "missing": missing, "extracted": len(self.dataset.conflicts)}

    def report(self) -> dict[str, Any]:
        return {
            "set": self.gold.set,
            "articles": len(self.gold.articles),
            "events": self.score_events(),
            "claims": self.score_claims(),
            "actors": self.score_actors(),
            "conflicts": self.score_conflicts(),
        }


def _field_fits(kind: str, field: str) -> bool:
    if kind == "count":
        return field.startswith("count")
    if kind == "status":
        return field in ("status", "stance")
    return field == kind


def evaluate_real(dataset: Dataset, gold: RealGold) -> dict[str, Any]:
    """Every real-set metric of ``dataset`` against ``gold`` (see docs/extraction.md)."""
    return RealEvaluation(dataset, gold).report()


SUMMARY_ROWS = [
    ("events found (same article, fitting type)", ("events", "found")),
    ("events with the right date (of all gold events)", ("events", "date_right")),
    ("events attributed to every article that reports them", ("events", "attributed_to_every_article")),
    ("  of them reported by several articles", ("events", "multi_article_merged")),
    ("events precision", ("events", "precision")),
    ("claims found", ("claims", "found")),
    ("claims: speaker right (of found)", ("claims", "speaker_right")),
    ("claims: stance right (of found)", ("claims", "stance_right")),
    ("claims: relay right (of found)", ("claims", "relay_right")),
    ("persons found", ("actors", "person", "found")),
    ("persons precision", ("actors", "person", "precision")),
    ("persons: name variants merged into one actor", ("actors", "person", "variants_merged")),
    ("organisations found", ("actors", "organization", "found")),
    ("organisations precision", ("actors", "organization", "precision")),
    ("places found", ("actors", "place", "found")),
    ("conflicts between sources found", ("conflicts", "found")),
]


def summary_table(report: dict[str, Any]) -> str:
    """The headline metrics as a text table: metric, value, hit/total."""
    lines = [f"{report['set']} ({report['articles']} articles)"]
    for label, path in SUMMARY_ROWS:
        row: Any = report
        for part in path:
            row = row[part]
        value = "n/a" if row["value"] is None else f"{row['value']:.2f}"
        lines.append(f"  {label:<56} {value:>5}  ({row['hit']}/{row['total']})")
    return "\n".join(lines)
