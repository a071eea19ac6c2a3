"""A deterministic synthetic dataset for benchmarks, loaded through the real schema with COPY.

``generate(dsn, events, seed)`` migrates the (empty) database at ``dsn`` to head and fills it with
``events`` events over five years (2021-2025): Zipf-distributed actors (the knowledge base's
people, organisations, countries, places and weapons at the head, generated Arabic/English names in
the tail), PLOVER types/modes/CAMEO codes, statuses, date precisions, 1-8 attributions per event
over generated articles whose verbatim text contains every quote at its span, claims (with
contradictions for denied events), conflicts, event actors, actor mentions and roles. The tsvector
columns are computed by Postgres exactly as ``service.db.loader`` computes them. Rows are streamed
in chunks with ``COPY``; secondary indexes are dropped first and rebuilt afterwards, then the
database is vacuumed and analysed. The same ``seed`` always yields the same rows and ids.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import itertools
import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import asyncpg

from bench import vocabulary
from bench.vocabulary import (
    CHANNELS_AR,
    DATE_PHRASES,
    MONTHS_AR,
    PLACE_WORDS,
    ROLE_TITLES,
    STATUS_PREFIX,
    TYPE_WEIGHTS,
    load_kb,
    type_templates,
)
from service.db import migrate, renderings
from service.db import rows as R
from service.db.filters import UNDATED_VALUE
from service.db.loader import UPSERT_CLAIMS, UPSERT_EVENTS
from service.db.pool import init_connection
from service.extract.pipeline import EXTRACTOR_VERSION
from service.merge.common import stable_id
from service.text import DROPPED as _DROP
from service.text import FOLDED as _FOLD
from service.text import match_key

# Bump when a change here changes the rows a seed gives (tests/bench/test_generator.py pins them);
# with the vocabulary snapshot's hash it names a dataset, and a stored dataset is reused only under
# the same name (bench.runner.dataset).
GENERATOR_VERSION = 2

FIRST_DAY = date(2021, 1, 1)
LAST_DAY = date(2025, 12, 31)
SPAN_DAYS = (LAST_DAY - FIRST_DAY).days + 1
CHUNK_EVENTS = 20_000
ZIPF_S = 1.07

STATUSES = (("occurred", 75), ("planned", 11), ("speculative", 8), ("denied", 6))
PRECISIONS = (("day", 70), ("month", 13), ("year", 4), ("range", 7), ("unknown", 6))
BASES = (("explicit", 60), ("relative", 30), ("inferred", 10))
ATTRIBUTION_COUNTS = (1, 2, 3, 4, 5, 6, 7, 8)
ATTRIBUTION_WEIGHTS = (38, 22, 14, 9, 7, 4, 3, 3)
CHANNELS = (
    ("statement", 45),
    ("press_conference", 15),
    ("social_media", 15),
    ("interview", 10),
    ("report", 15),
)
PUBLISHED_BASES = (("metadata", 80), ("dateline", 8), ("inferred", 5), ("unknown", 7))

# Session settings for the bulk load: skip FK triggers (rows are consistent by construction; the
# generator test checks it), and give index builds room.
LOAD_SETTINGS = (
    "SET session_replication_role = replica",
    "SET maintenance_work_mem = '512MB'",
    "SET synchronous_commit = off",
)
SECONDARY_INDEXES = """
SELECT i.indexname, i.tablename, i.indexdef FROM pg_indexes i
WHERE i.schemaname = 'public'
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass)
ORDER BY i.indexname
"""
EVENT_STAGE_DDL = "CREATE TEMP TABLE _stage_events ({})"
CLAIM_STAGE_DDL = "CREATE TEMP TABLE _stage_claims ({})"
# The loader's own upserts, minus the conflict handling (the tables start empty).
INSERT_EVENTS = UPSERT_EVENTS.split("ON CONFLICT")[0]
INSERT_CLAIMS = UPSERT_CLAIMS.split("ON CONFLICT")[0]

_FOLD_TABLE = {ord(c): "" for c in _DROP} | {ord(k): v for k, v in _FOLD.items()}


def fingerprint() -> str:
    """What a generated dataset depends on: this generator's version and the vocabulary snapshot."""
    return f"{GENERATOR_VERSION}-{vocabulary.snapshot_hash()}"


def fast_fold(text: str) -> str:
    """``service.extract.text.normalize.fold`` through ``str.translate`` (same result, much faster)."""
    return " ".join(text.translate(_FOLD_TABLE).lower().split())


@functools.lru_cache(maxsize=200_000)
def _fold_part(text: str) -> str:
    return text.translate(_FOLD_TABLE).lower()


def fold_parts(parts: list[str]) -> str:
    """``fast_fold`` of the concatenation of ``parts``, caching each (recurring) part."""
    return " ".join("".join(map(_fold_part, parts)).split())


def _weighted(pairs: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    values = [p[0] for p in pairs]
    return values, list(itertools.accumulate(p[1] for p in pairs))


def _hash(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


@dataclass(slots=True)
class ActorSpec:
    id: str
    kind: str
    name_ar: str
    name_en: str | None
    country_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    wikidata: str | None = None
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (text, origin)
    role: str | None = None
    rank: str | None = None

    def row(self) -> tuple[Any, ...]:
        return (
            self.id,
            self.kind,
            self.name_ar,
            self.name_en,
            self.country_id,
            self.lat,
            self.lon,
            self.wikidata,
            1.0,
            _hash(self.id, self.name_ar),
        )


@dataclass(slots=True, eq=False)
class Article:
    """An article being written: quotes are appended and their spans recorded; rows that need the
    source id (known only once the text is final) wait in ``pending``."""

    outlet: ActorSpec
    number: int
    pieces: list[str]
    length: int
    target: int
    last_day: int = 0
    sentences: int = 0
    pending: list[tuple[str, list[Any], int]] = field(default_factory=list)
    id: str | None = None

    def append(self, sentence: str) -> int:
        sep = "\n" if self.sentences and self.sentences % 3 == 0 else " "
        if self.sentences:
            self.pieces.append(sep)
            self.length += 1
        start = self.length
        self.pieces.append(sentence)
        self.length += len(sentence)
        self.sentences += 1
        return start


class Generator:
    """Builds the rows; ``emit`` is called with (table, rows) whenever rows are ready."""

    def __init__(self, events: int, seed: int) -> None:
        self.n_events = events
        self.seed = seed
        self.rng = random.Random(seed)
        self.kb = load_kb()
        self.templates = type_templates()
        self.buffers: dict[str, list[tuple[Any, ...]]] = {}
        self.deferred_values: list[tuple[str, str, Article, int, int, str, str | None]] = []
        self._types, self._type_cum = _weighted(TYPE_WEIGHTS)
        self._status, self._status_cum = _weighted(STATUSES)
        self._prec, self._prec_cum = _weighted(PRECISIONS)
        self._basis, self._basis_cum = _weighted(BASES)
        self._channels, self._channel_cum = _weighted(CHANNELS)
        self._pub, self._pub_cum = _weighted(PUBLISHED_BASES)
        self._attr_cum = list(itertools.accumulate(ATTRIBUTION_WEIGHTS))
        self._build_actors()
        self.article_numbers = [0] * len(self.outlets)
        self.slots = [self._open_article(s) for s in range(len(self.outlets))]

    # ---- actors -------------------------------------------------------------------------------
    def _kb_actor(self, kind: str, item: dict[str, Any], countries: dict[str, str]) -> ActorSpec:
        spec = ActorSpec(
            id=stable_id("act", item["id"]),
            kind=kind,
            name_ar=item["name_ar"],
            name_en=item.get("name_en"),
            country_id=countries.get(item.get("country", "")),
            lat=item.get("lat"),
            lon=item.get("lon"),
            wikidata=item.get("wikidata"),
        )
        spec.aliases = [(item["name_ar"], "kb")] + [(a, "kb") for a in item.get("aliases", [])]
        if spec.name_en:
            spec.aliases.append((spec.name_en, "kb"))
        roles = item.get("roles") or []
        spec.role = roles[0] if roles else None
        return spec

    def _build_actors(self) -> None:
        rng, kb, n = self.rng, self.kb, self.n_events
        countries = {c["id"]: stable_id("act", c["id"]) for c in kb["countries"]}
        self.countries = [self._kb_actor("country", c, countries) for c in kb["countries"]]
        country_ids = [c.id for c in self.countries]
        orgs = [o for o in kb["organizations"] if o.get("category") not in ("outlet", "agency")]
        self.outlets = [
            self._kb_actor("organization", o, countries)
            for o in kb["organizations"]
            if o.get("category") == "outlet"
        ]
        self.agencies = [
            self._kb_actor("organization", o, countries)
            for o in kb["organizations"]
            if o.get("category") == "agency"
        ]
        self.orgs = [self._kb_actor("organization", o, countries) for o in orgs]
        self.people = [self._kb_actor("person", p, countries) for p in kb["people"]]
        self.places = [self._kb_actor("place", p, countries) for p in kb["places"]]
        self.weapons = [self._kb_actor("weapon", w, countries) for w in kb["weapons"]]

        given, family = kb["given"], kb["family"]
        seen: set[str] = {p.name_ar for p in self.people}
        for i in range(max(400, n // 40)):
            for _ in range(20):
                g, f = rng.choice(given), rng.choice(family)
                middle = rng.choice(given) if rng.random() < 0.25 else None
                name_ar = f"{g[0]} {middle[0]} {f[0]}" if middle else f"{g[0]} {f[0]}"
                if name_ar not in seen:
                    break
            seen.add(name_ar)
            name_en = f"{g[1]} {middle[1]} {f[1]}" if middle else f"{g[1]} {f[1]}"
            spec = ActorSpec(
                id=stable_id("act", str(self.seed), "person", str(i)),
                kind="person",
                name_ar=name_ar,
                name_en=name_en,
                country_id=rng.choice(country_ids),
            )
            spec.aliases = [(name_ar, "article"), (name_en, "transliteration")]
            if middle:
                spec.aliases.append((f"{g[0]} {f[0]}", "article"))
            if rng.random() < 0.6:
                title = rng.choice(ROLE_TITLES)
                spec.role, spec.rank = (None, title[0]) if title[1] == "rank" else (title[0], None)
            self.people.append(spec)
        for i in range(max(150, n // 100)):
            head = rng.choice(kb["org_heads"])
            place = rng.choice(self.places)
            name_ar = (
                f"{head[0]} {place.name_ar} {i % 97 + 1}"
                if rng.random() < 0.5
                else f"{head[0]} في {place.name_ar}"
            )
            name_en = f"{head[1]} of {place.name_en}"
            spec = ActorSpec(
                id=stable_id("act", str(self.seed), "organization", str(i)),
                kind="organization",
                name_ar=name_ar,
                name_en=name_en,
                country_id=place.country_id,
            )
            spec.aliases = [(name_ar, "article"), (name_en, "transliteration")]
            self.orgs.append(spec)
        for i in range(max(100, n // 250)):
            word = rng.choice(PLACE_WORDS)
            base = rng.choice(kb["family"])
            anchor = rng.choice([p for p in self.places[:60] if p.lat is not None])
            name_ar = f"{word[0]} {base[0].removeprefix('ال')}"
            name_en = f"{word[1]} {base[1].removeprefix('al-').title()}"
            spec = ActorSpec(
                id=stable_id("act", str(self.seed), "place", str(i)),
                kind="place",
                name_ar=name_ar,
                name_en=name_en,
                country_id=anchor.country_id,
                lat=round(anchor.lat + rng.uniform(-0.8, 0.8), 4),
                lon=round(anchor.lon + rng.uniform(-0.8, 0.8), 4),
            )
            spec.aliases = [(name_ar, "article"), (name_en, "transliteration")]
            self.places.append(spec)

        # Zipf ranks: the knowledge base's actors lead (shuffled), the generated tail follows.
        kb_players = self.countries + self.people[: len(kb["people"])] + self.orgs[: len(orgs)]
        rng.shuffle(kb_players)
        tail = self.people[len(kb["people"]) :] + self.orgs[len(orgs) :]
        rng.shuffle(tail)
        self.players = kb_players + tail
        self.player_cum = list(
            itertools.accumulate(1.0 / (r + 1) ** ZIPF_S for r in range(len(self.players)))
        )
        self.place_cum = list(itertools.accumulate(1.0 / (r + 1) ** ZIPF_S for r in range(len(self.places))))
        self.person_pool = [p for p in self.players if p.kind == "person"]
        self.person_cum = list(
            itertools.accumulate(1.0 / (r + 1) ** ZIPF_S for r in range(len(self.person_pool)))
        )
        self.all_actors = self.countries + self.people + self.orgs + self.places + self.weapons
        self.all_actors += self.outlets + self.agencies

    def actor_rows(self) -> None:
        for a in self.all_actors:
            self._add("actors", a.row())
            seen = set()
            for text, origin in a.aliases:
                if text in seen:
                    continue
                seen.add(text)
                self._add(
                    "actor_aliases", (a.id, text, match_key(text), "en" if text.isascii() else "ar", origin)
                )

    # ---- helpers ------------------------------------------------------------------------------
    def take(self) -> dict[str, list[tuple[Any, ...]]]:
        """The rows made since the last call."""
        buffers, self.buffers = self.buffers, {}
        return buffers

    def _add(self, table: str, row: tuple[Any, ...]) -> None:
        self.buffers.setdefault(table, []).append(row)

    def _pick(self, values: list[str], cum: list[int]) -> str:
        return self.rng.choices(values, cum_weights=cum)[0]

    def _player(self, exclude: set[str]) -> ActorSpec:
        for _ in range(8):
            a = self.rng.choices(self.players, cum_weights=self.player_cum)[0]
            if a.id not in exclude:
                return a
        return self.players[self.rng.randrange(len(self.players))]

    def _open_article(self, slot: int) -> Article:
        self.article_numbers[slot] += 1
        outlet = self.outlets[slot]
        city = self.rng.choices(self.places, cum_weights=self.place_cum)[0]
        head = f"{city.name_ar} ({outlet.name_ar}) -"
        return Article(
            outlet=outlet,
            number=self.article_numbers[slot],
            pieces=[head],
            length=len(head),
            target=self.rng.randint(6, 24),
        )

    def _close(self, art: Article) -> None:
        text = "".join(art.pieces)
        sha = hashlib.sha256(text.encode()).hexdigest()
        art.id = f"src_{sha[:16]}"
        rng = self.rng
        basis = self._pick(self._pub, self._pub_cum)
        published = (
            None if basis == "unknown" else FIRST_DAY + timedelta(days=art.last_day + rng.randint(0, 2))
        )
        first_line = art.pieces[2] if len(art.pieces) > 2 else art.pieces[0]
        self._add(
            "sources",
            (
                art.id,
                f"bench-{self.seed}-{art.outlet.id[4:]}-{art.number}",
                art.outlet.name_en,
                None,
                f"https://example.org/{art.outlet.id[4:]}/{art.number}",
                first_line[:80],
                "ar",
                published,
                "unknown" if published is None else "day",
                basis,
                None,
                sha,
                text,
                None,
                EXTRACTOR_VERSION,
                _hash(sha),
            ),
        )
        for table, row, index in art.pending:
            row[index] = art.id
            self._add(table, tuple(row))
        art.pending = []
        art.pieces = []

    # ---- events -------------------------------------------------------------------------------
    def _event_dates(self, day: int, precision: str) -> tuple[date | None, date | None]:
        d = FIRST_DAY + timedelta(days=day)
        if precision == "day":
            return d, d
        if precision == "month":
            start = d.replace(day=1)
            end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            return start, end
        if precision == "year":
            return d.replace(month=1, day=1), d.replace(month=12, day=31)
        if precision == "range":
            return d, d + timedelta(days=self.rng.randint(1, 14))
        return None, None

    def _render(self, template: str, names: dict[str, str]) -> tuple[list[str], dict[str, tuple[int, int]]]:
        out: list[str] = []
        spans, pos = {}, 0
        for part in template.split("|"):
            if part.startswith("{") and part.endswith("}"):
                key = part[1:-1]
                text = names[key]
                spans[key] = (pos, pos + len(text))
            else:
                text = part
            out.append(text)
            pos += len(text)
        return out, spans

    def _date_phrase(self, day: int) -> str:
        d = FIRST_DAY + timedelta(days=day)
        kind = self.rng.random()
        if kind < 0.45:
            return f" في {d.day} {MONTHS_AR[d.month - 1]} {d.year}"
        if kind < 0.75:
            return " " + self.rng.choice(DATE_PHRASES)
        return ""

    def run_events(self, days: list[tuple[int, int]]) -> None:
        """Generate events ``(number, day)`` in order, writing their quotes into open articles."""
        for i, day in days:
            self._one_event(i, day)

    def close_all(self) -> None:
        """Finish every open article and resolve the spans conflict values point to."""
        for art in self.slots:
            if art.sentences:
                self._close(art)
        for cid, value, art, s0, s1, quote, via_id, *claim in self.deferred_values:
            self._add(
                "conflict_values", (cid, value, art.id, s0, s1, quote, via_id, claim[0] if claim else None)
            )
        self.deferred_values = []

    def _one_event(self, i: int, day: int) -> None:
        rng, seed = self.rng, str(self.seed)
        eid = stable_id("evt", seed, str(i))
        etype = self._pick(self._types, self._type_cum)
        spec = self.templates[etype]
        mode = rng.choice(list(spec["modes"]))
        cameo = spec["modes"][mode]
        status = self._pick(self._status, self._status_cum)
        precision = self._pick(self._prec, self._prec_cum)
        start, end = self._event_dates(day, precision)
        basis = None if precision == "unknown" else self._pick(self._basis, self._basis_cum)

        src = self._player(set())
        tgt = self._player({src.id})
        used = {src.id, tgt.id}
        actors = [(src, "source")]
        if rng.random() < 0.85:
            actors.append((tgt, "target"))
        for _ in range(2):
            if rng.random() < 0.25:
                p = self._player(used)
                used.add(p.id)
                actors.append((p, "participant"))
        weapon = None
        if etype in ("AID", "MOBILIZE", "ASSAULT", "THREATEN") and rng.random() < 0.5:
            weapon = self.weapons[min(int(rng.paretovariate(1.2)) - 1, len(self.weapons) - 1)]
            actors.append((weapon, "mentioned"))
        location = rng.choices(self.places, cum_weights=self.place_cum)[0] if rng.random() < 0.7 else None
        for actor, role in actors:
            self._add("event_actors", (eid, actor.id, role, start or UNDATED_VALUE))

        loc_ar = location.name_ar if location else "المنطقة"
        loc_en = location.name_en if location else "the region"
        w_ar = weapon.name_ar if weapon else "معدات عسكرية"
        summary_en = spec["en"].format(
            a=src.name_en, b=tgt.name_en, loc=loc_en, w=weapon.name_en if weapon else "military equipment"
        )
        summary_ar = spec["ar"].replace("|", "").format(a=src.name_ar, b=tgt.name_ar, loc=loc_ar, w=w_ar)

        k = rng.choices(ATTRIBUTION_COUNTS, cum_weights=self._attr_cum)[0]
        slots = rng.sample(range(len(self.slots)), k)
        folded: list[str] = []
        spans: list[tuple[Article, int, int, str, str | None]] = []
        for j, slot in enumerate(slots):
            art = self.slots[slot]
            a_text = src.name_ar
            role_span = None
            if src.kind == "person" and (src.role or src.rank) and rng.random() < 0.5:
                title = src.rank or src.role
                a_text = f"{title} {src.name_ar}"
                role_span = (0, len(title))
            body, pos = self._render(
                rng.choice(spec["quotes"]), {"a": a_text, "b": tgt.name_ar, "loc": loc_ar, "w": w_ar}
            )
            via = rng.choice(self.agencies) if rng.random() < 0.3 else None
            parts = [
                STATUS_PREFIX[status],
                *body,
                self._date_phrase(day),
                f"، بحسب {via.name_ar}." if via is not None else ".",
            ]
            quote = "".join(parts)
            offset = art.append(quote) + len(STATUS_PREFIX[status])
            begin = offset - len(STATUS_PREFIX[status])
            art.last_day = max(art.last_day, day)
            via_id = via.id if via else None
            art.pending.append(
                (
                    "event_attributions",
                    [
                        stable_id("att", seed, eid, str(j)),
                        eid,
                        None,
                        begin,
                        begin + len(quote),
                        quote,
                        via_id,
                    ],
                    2,
                )
            )
            a0, a1 = pos["a"]
            if role_span is not None:
                title_text = a_text[: role_span[1]]
                art.pending.append(
                    (
                        "actor_roles",
                        [
                            stable_id("rol", seed, eid, str(j)),
                            src.id,
                            src.role,
                            src.rank,
                            None,
                            offset + a0,
                            offset + a0 + len(title_text),
                            title_text,
                        ],
                        4,
                    )
                )
                a0 += role_span[1] + 1
            art.pending.append(
                ("actor_mentions", [src.id, None, offset + a0, offset + a1, src.name_ar, "kb"], 1)
            )
            spans.append((art, begin, begin + len(quote), quote, via_id))
            folded.append(fold_parts(parts))
            if art.sentences >= art.target:
                self._close(art)
                self.slots[slot] = self._open_article(slot)

        has_conflict = False
        if k >= 2 and rng.random() < 0.06:
            has_conflict = True
            field_name = rng.choice(("date", "location", "status"))
            cid = stable_id("cfl", seed, eid, field_name)
            self._add("conflicts", (cid, "attribute", None, eid, field_name, _hash(cid)))
            for n, (art, s0, s1, quote, via_id) in enumerate(spans[:2]):
                value = {
                    "date": (FIRST_DAY + timedelta(days=day + n)).isoformat(),
                    "location": loc_ar if n == 0 else self.places[n].name_ar,
                    "status": status if n == 0 else "occurred" if status != "occurred" else "planned",
                }[field_name]
                self.deferred_values.append((cid, value, art, s0, s1, quote, via_id))

        if rng.random() < 0.4 or status == "denied":
            has_conflict |= self._claims(eid, status, day, src, tgt, actors, spans, summary_ar)

        confidence = round(0.5 + 0.5 * rng.random(), 3)
        self._add(
            "events",
            (
                eid,
                etype,
                mode,
                cameo,
                status,
                start,
                end,
                precision,
                basis,
                None,
                location.id if location else None,
                summary_en,
                summary_ar,
                confidence,
                k,
                has_conflict,
                " ".join([summary_ar, *folded]),
                _hash(eid, str(k)),
            ),
        )

    def _claims(
        self,
        eid: str,
        status: str,
        day: int,
        src: ActorSpec,
        tgt: ActorSpec,
        actors: list[tuple[ActorSpec, str]],
        spans: list[Any],
        summary_ar: str,
    ) -> bool:
        rng, seed = self.rng, str(self.seed)
        people = [a for a, _ in actors if a.kind == "person"]
        stances = {"denied": ("asserts", "denies"), "planned": ("expects",), "speculative": ("speculates",)}
        made = []
        for n, stance in enumerate(stances.get(status, ("asserts",))):
            art = (
                spans[min(n, len(spans) - 1)][0]
                if n == 0 or len(spans) > 1
                else self.slots[rng.randrange(len(self.slots))]
            )
            if art.id is not None:  # that article was closed in the meantime: use an open one
                art = self.slots[rng.randrange(len(self.slots))]
            speaker = (
                (
                    people[0]
                    if people and rng.random() < 0.6
                    else rng.choices(self.person_pool, cum_weights=self.person_cum)[0]
                )
                if rng.random() < 0.85
                else None
            )
            channel = self._pick(self._channels, self._channel_cum)
            verb = {"asserts": "أكد", "denies": "نفى", "expects": "توقع", "speculates": "رجّح"}[stance]
            who = speaker.name_ar if speaker else "مصدر مطلع"
            quote = f"و{verb} {who} في {CHANNELS_AR[channel]} أن {summary_ar}."
            via = rng.choice(self.agencies) if rng.random() < 0.2 else None
            start = art.append(quote)
            art.last_day = max(art.last_day, day)
            clm = stable_id("clm", seed, eid, str(n))
            said = FIRST_DAY + timedelta(days=day + rng.randint(0, 1)) if rng.random() < 0.9 else None
            art.pending.append(
                (
                    "claims",
                    [
                        clm,
                        None,
                        start,
                        start + len(quote),
                        quote,
                        speaker.id if speaker else None,
                        via.id if via else None,
                        channel,
                        stance,
                        said,
                        eid if rng.random() < 0.9 else None,
                        round(0.6 + 0.4 * rng.random(), 3),
                        fast_fold(quote),
                        _hash(clm),
                    ],
                    1,
                )
            )
            self._add("claim_about", (clm, tgt.id))
            if src.id != (speaker.id if speaker else None):
                self._add("claim_about", (clm, src.id))
            made.append((clm, stance, art, start, start + len(quote), quote, via.id if via else None))
            if art.sentences >= art.target and art in self.slots:
                slot = self.slots.index(art)
                self._close(art)
                self.slots[slot] = self._open_article(slot)
        if len(made) == 2:
            (c1, *_), (c2, *_) = made
            self._add("claim_contradictions", (c1, c2))
            self._add("claim_contradictions", (c2, c1))
            cid = stable_id("cfl", seed, eid, "claim")
            self._add("conflicts", (cid, "claim", None, eid, "status", _hash(cid)))
            for clm, stance, art, s0, s1, quote, via_id in made:
                self.deferred_values.append(
                    (cid, "occurred" if stance == "asserts" else "denied", art, s0, s1, quote, via_id, clm)
                )
            return True
        return False


async def _flush(
    conn: asyncpg.Connection, buffers: dict[str, list[tuple[Any, ...]]], counts: dict[str, int]
) -> None:
    for table, rows in buffers.items():
        if not rows:
            continue
        counts[table] = counts.get(table, 0) + len(rows)
        if table == "events":
            await conn.execute("TRUNCATE _stage_events")
            await conn.copy_records_to_table("_stage_events", records=rows, columns=list(R.EVENT_COLUMNS))
            await conn.execute(INSERT_EVENTS)
        elif table == "claims":
            await conn.execute("TRUNCATE _stage_claims")
            await conn.copy_records_to_table("_stage_claims", records=rows, columns=list(R.CLAIM_COLUMNS))
            await conn.execute(INSERT_CLAIMS)
        else:
            await conn.copy_records_to_table(table, records=rows, columns=list(COLUMNS[table]))


COLUMNS = {
    "sources": R.SOURCE_COLUMNS,
    "actors": R.ACTOR_COLUMNS,
    "actor_aliases": R.ALIAS_COLUMNS,
    "actor_mentions": R.MENTION_COLUMNS,
    "actor_roles": R.ROLE_COLUMNS,
    "event_actors": R.EVENT_ACTOR_COLUMNS,
    "event_attributions": R.ATTRIBUTION_COLUMNS,
    "claim_about": R.CLAIM_ABOUT_COLUMNS,
    "claim_contradictions": R.CONTRADICTION_COLUMNS,
    "conflicts": R.CONFLICT_COLUMNS,
    "conflict_values": R.CONFLICT_VALUE_COLUMNS,
}


async def generate(dsn: str, events: int, seed: int = 1) -> dict[str, Any]:
    """Migrate the empty database at ``dsn`` and fill it with ``events`` synthetic events.

    Returns the row counts per table, timings and a few handles (top actors, a sample event id)
    that workloads and tests use as query parameters.
    """
    started = time.perf_counter()
    await migrate.upgrade(dsn)
    conn = await asyncpg.connect(dsn)
    try:
        if await conn.fetchval("SELECT count(*) FROM events") or await conn.fetchval(
            "SELECT count(*) FROM sources"
        ):
            raise ValueError("generate() needs an empty database")
        for sql in LOAD_SETTINGS:
            await conn.execute(sql)
        indexes = await conn.fetch(SECONDARY_INDEXES)
        for ix in indexes:
            await conn.execute(f'DROP INDEX "{ix["indexname"]}"')
        from service.db.loader import STAGE_DDL

        await conn.execute(EVENT_STAGE_DDL.format(STAGE_DDL["events"]))
        await conn.execute(CLAIM_STAGE_DDL.format(STAGE_DDL["claims"]))
        gen = Generator(events, seed)
        counts: dict[str, int] = {}
        gen.actor_rows()
        await _flush(conn, gen.take(), counts)

        # Event days, sorted: articles are written in time order, as a newsroom would.
        days = sorted(gen.rng.randrange(SPAN_DAYS) for _ in range(events))
        chunks = [
            list(enumerate(days[lo : lo + CHUNK_EVENTS], start=lo)) for lo in range(0, events, CHUNK_EVENTS)
        ]

        def produce(chunk: list[tuple[int, int]] | None) -> dict[str, list[tuple[Any, ...]]]:
            if chunk is None:
                gen.close_all()
            else:
                gen.run_events(chunk)
            return gen.take()

        # Generate the next chunk in a thread while Postgres ingests the previous one.
        pending = asyncio.create_task(asyncio.to_thread(produce, chunks[0]))
        for chunk in [*chunks[1:], None]:
            ready = await pending
            pending = asyncio.create_task(asyncio.to_thread(produce, chunk))
            await _flush(conn, ready, counts)
        await _flush(conn, await pending, counts)
        generated = time.perf_counter() - started

        await conn.execute("UPDATE dataset_state SET version = 1, changed_at = now()")
        await conn.execute("SET session_replication_role = origin")
        # Each event's stored JSON is rendered by the service's own code from the rows just loaded,
        # once the indexes it reads through exist and before the events' own indexes do (each
        # rendered row is a new row version; no index entries to add for it yet); the table is
        # then rewritten without the pre-render versions.
        on_events = [ix for ix in indexes if ix["tablename"] == "events"]
        for ix in indexes:
            if ix not in on_events:
                await conn.execute(ix["indexdef"])
        indexed = time.perf_counter() - started
        await init_connection(conn)
        await renderings.fill_missing(conn)
        rendered = time.perf_counter() - started
        # The rollups' triggers were off during the load: count everything once (migrations 0005, 0006).
        await conn.execute("SELECT stats_rebuild()")
        rolled = time.perf_counter() - started
        await conn.execute("VACUUM (FULL) events")
        for ix in on_events:
            await conn.execute(ix["indexdef"])
        await conn.execute("VACUUM (ANALYZE)")
        top = [a.id for a in gen.players[:5]]
        sample = await conn.fetchval("SELECT id FROM events ORDER BY id LIMIT 1 OFFSET $1", events // 2)
        return {
            "events": events,
            "seed": seed,
            "counts": dict(sorted(counts.items())),
            "seconds": {
                "generate_and_copy": round(generated, 2),
                "indexes": round(indexed - generated, 2),
                "documents": round(rendered - indexed, 2),
                "rollups": round(rolled - rendered, 2),
                "total": round(time.perf_counter() - started, 2),
            },
            "top_actors": top,
            "mid_actor": gen.players[min(200, len(gen.players) - 1)].id,
            "top_place": gen.places[0].id,
            "sample_event": sample,
        }
    finally:
        await conn.close()
