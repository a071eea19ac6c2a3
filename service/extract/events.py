"""Event detection from a surface-form trigger lexicon (``data/event_types.json``).

For every trigger the clause around it is delimited (previous trigger, reporting frame, clause
stops such as "بهدف" or "حيث", the next trigger) and read for actors, place, date and status:

* roles follow the trigger's role frame: the grammatical subject (an actor before the trigger,
  or the first one after a verb) gets the frame's ``subject`` role, later bare objects its
  ``object`` role, actors after a preposition the role the frame gives that preposition, and
  actors after "برئاسة"/"ترأسه" the role of the delegation they lead. Convention: source =
  initiator / visitor / giver, target = host / recipient, participant otherwise; weapons are
  ``mentioned``.
* status: occurred unless the clause carries planned cues ("مرتقبة", "المقرر", future verbs),
  speculative cues ("تكهنات", "المحتملة"), sits inside an expectation frame, has a resolved date
  after publication, or is denied (inside a denial, or the same kind of event is denied
  elsewhere in the article).
* noise control: negated or anaphoric triggers ("هذه الزيارة") are skipped; same-kind triggers
  of one sentence merge; events with no actor, place or date are dropped; a later report of an
  event already listed (same kind, no new participant, place or date) is not repeated.
"""

from __future__ import annotations

import itertools
from functools import cache, lru_cache

import msgspec

from service.extract import claims
from service.extract.clauses import (
    MentionSpan,
    PhraseLexicon,
    PhraseMatch,
    Sentence,
    analyse,
    date_starts,
    dates_between,
    is_outlet,
    load_data,
    mentions_between,
    morphology,
    trim,
    verbatim_span,
    word_set,
)
from service.extract.document import Document, Entity, EventActor, EventMention, EventRole, EventStatus
from service.extract.normalize import fold

_STATUS_RANK: dict[EventStatus, int] = {"occurred": 0, "planned": 1, "speculative": 2, "denied": 3}
_ACTOR_KINDS = frozenset({"person", "organization", "country"})


class TriggerEntry(msgspec.Struct, frozen=True):
    """One lexicon entry: surface forms and the event they signal."""

    pos: str
    type: str
    mode: str
    frame: str
    forms: list[str]
    confidence: float = 0.6
    needs: list[str] = []
    needs_for: dict[str, list[str]] = {}
    exclude_next: list[str] = []
    indefinite_only: bool = False


class RoleFrame(msgspec.Struct, frozen=True):
    """Which role each syntactic slot of a trigger's clause gets."""

    subject: EventRole
    object: EventRole
    genitive: EventRole
    preps: dict[str, EventRole] = {}


class _Lexicon(msgspec.Struct, frozen=True):
    triggers: PhraseLexicon[TriggerEntry]
    cameo: dict[str, dict[str, str]]
    type_cameo: dict[str, str]
    frames: dict[str, RoleFrame]
    merge_groups: dict[str, str]
    mode_priority: list[str]
    prepositions: frozenset[str]
    delegation: frozenset[str]
    heads: frozenset[str]
    object_markers: frozenset[str]
    anaphoric: frozenset[str]
    negators: frozenset[str]
    stops: frozenset[str]
    planned: PhraseLexicon[str]
    speculative: PhraseLexicon[str]
    window_after: int
    words: dict[str, frozenset[str]]
    phrases: dict[str, tuple[str, ...]]
    dative_prefixes: frozenset[str]
    locative_prefixes: frozenset[str]
    dative_slot: str
    locative_slot: str
    agent_phrase: str
    location_preps: frozenset[str]
    locative_preps: frozenset[str]
    place_heads: frozenset[str]
    location_verbs: frozenset[str]
    linking: frozenset[str]
    need_specifics: frozenset[str]
    collective: frozenset[str]
    nisba_endings: tuple[str, ...]
    origin_prep: str
    partitive: frozenset[str]
    mode_modifiers: PhraseLexicon[str]
    trailers: frozenset[str]
    during: frozenset[str]
    continuers: frozenset[str]
    window_before: int


@cache
def _lexicon() -> _Lexicon:
    data = load_data("event_types.json")
    entries = [msgspec.convert(t, TriggerEntry) for t in data["triggers"]]
    entries = [msgspec.structs.replace(e, needs_for={fold(k): v for k, v in e.needs_for.items()}) for e in entries]
    slot_words = data["slot_words"]
    frames = {k: msgspec.convert(v, RoleFrame) for k, v in data["role_frames"].items()}
    frames = {k: RoleFrame(f.subject, f.object, f.genitive, {fold(p): r for p, r in f.preps.items()})
              for k, f in frames.items()}
    words: dict[str, frozenset[str]] = {}
    phrases: dict[str, tuple[str, ...]] = {}
    for name, items in data["wordlists"].items():
        folded = [fold(w) for w in items]
        words[name] = frozenset(w for w in folded if " " not in w)
        phrases[name] = tuple(w for w in folded if " " in w)
    return _Lexicon(
        triggers=PhraseLexicon([(f, e.pos, e) for e in entries for f in e.forms], enclitics=True),  # type: ignore[misc]
        cameo={t: spec["modes"] for t, spec in data["types"].items()},
        type_cameo={t: spec["cameo"] for t, spec in data["types"].items()},
        frames=frames,
        merge_groups=data["merge_groups"],
        mode_priority=data["mode_priority"],
        prepositions=word_set(data["prepositions"]),
        delegation=word_set(data["delegation_nouns"]),
        heads=word_set(data["delegation_heads"]),
        object_markers=word_set(data["object_markers"]),
        anaphoric=word_set(data["anaphoric_determiners"]),
        negators=word_set(data["negators"]),
        stops=word_set(data["clause_stops"]),
        planned=PhraseLexicon([(f, "particle", "planned") for f in data["status_cues"]["planned"]]),
        speculative=PhraseLexicon([(f, "particle", "speculative") for f in data["status_cues"]["speculative"]]
                                  + [(f, "particle", "hypothetical") for f in data["status_cues"]["hypothetical"]]
                                  + [(f, "particle", "planned:CONSULT")
                                     for f in data["status_cues"]["planned_for_consult"]]),
        window_after=data["status_window_after"],
        words=words,
        phrases=phrases,
        dative_prefixes=word_set(slot_words["dative_prefixes"]),
        locative_prefixes=word_set(slot_words["locative_prefixes"]),
        dative_slot=fold(slot_words["dative_slot"]),
        locative_slot=fold(slot_words["locative_slot"]),
        agent_phrase=fold(slot_words["agent_phrase"]),
        location_preps=word_set(slot_words["location_preps"]),
        locative_preps=word_set(slot_words["locative_preps"]),
        place_heads=word_set(slot_words["place_heads"]),
        location_verbs=word_set(slot_words["location_verbs"]),
        linking=word_set(slot_words["linking_words"]),
        need_specifics=frozenset(data["need_specifics"]["types"]),
        collective=word_set(slot_words["collective_anaphors"]),
        nisba_endings=tuple(fold(w) for w in slot_words["nisba_endings"]),
        origin_prep=fold(slot_words["origin_preposition"]),
        partitive=word_set(slot_words["partitive_heads"]),
        mode_modifiers=PhraseLexicon([(f, "particle", mode) for mode, forms in data["mode_modifiers"].items()
                                      if not mode.startswith("_") for f in forms]),
        trailers=word_set(slot_words["span_trailers"]),
        during=word_set(slot_words["during_words"]),
        continuers=word_set(slot_words["np_continuers"]),
        window_before=data["status_window_before"],
    )


class _Draft(msgspec.Struct):
    sentence: int
    first: int
    last: int
    entry: TriggerEntry
    mode: str
    lo: int
    hi: int
    trigger_lo: int
    trigger_hi: int
    actors: dict[str, EventRole]
    location: str | None
    date: int | None
    via: str | None
    status: EventStatus
    confidence: float
    collective: bool = False
    attributed: bool = False


def find_events(doc: Document) -> None:
    """Fill ``doc.events`` with the event mentions of the article, in text order."""
    lex = _lexicon()
    analysis = analyse(doc)
    spans = analysis.spans
    frames = claims.find_frames(doc)
    drafts: list[_Draft] = []
    for si, s in enumerate(analysis.sentences):
        s_frames = [f for f in frames if f.sentence == si]
        inside = mentions_between(spans, s.start, s.end)
        muted = min((last for _, last in claims.no_comment_spans(s)), default=len(s.tokens))
        cue_spans = [(s.tokens[c.first].start, s.tokens[c.last].end) for c in analysis.memo["cues"][si]
                     if c.payload.kind != "social" or any(f.cue_start == s.tokens[c.first].start for f in s_frames)]
        hits = [h for h in lex.triggers.find(s.tokens)
                if _admissible(s, h, lex) and not _in_mention(s.tokens[h.first].start, inside)
                and not _verbatim_noun(doc, s, h)
                and not any(a <= s.tokens[h.first].start < b for a, b in cue_spans)]
        sentence_drafts: list[_Draft] = []
        for k, hit in enumerate(hits):
            if hit.first > muted:
                continue
            nxt = hits[k + 1] if k + 1 < len(hits) else None
            prev = hits[k - 1] if k else None
            draft = _draft(doc, s, si, hit, prev, nxt, s_frames, cue_spans, spans, lex)
            if draft is not None and sentence_drafts and any(
                    t.text in lex.linking for t in s.tokens[sentence_drafts[-1].last + 1:hit.first]):
                if not _has_arguments(draft):
                    draft.date = sentence_drafts[-1].date
                draft.location = draft.location or sentence_drafts[-1].location
            if draft is not None and draft.collective:
                # "وقّع الجانبان": the parties of the event just reported; the same kind of event
                # ("وبحث الجانبان") is that event again, not a new one
                earlier = next((d for d in reversed(drafts + sentence_drafts) if len(d.actors) >= 2), None)
                if earlier is not None and _group(earlier, lex) != _group(draft, lex):
                    draft.actors = {e: "participant" for e, r in earlier.actors.items() if r != "mentioned"}
            if draft is not None and _has_arguments(draft) and not _bare_reference(draft, hit, doc.entities):
                sentence_drafts.append(draft)
        _during(s, sentence_drafts, lex)
        drafts += _merge_sentence(sentence_drafts, lex)
    _elaborate(drafts, lex, doc.entities)
    drafts = [d for d in drafts
              if d.entry.pos != "noun" or d.entry.type not in lex.need_specifics or _specific(d, doc.entities)]
    _apply_denials(doc, drafts, frames, lex)
    kept, aliases = _dedupe(doc, drafts, lex)
    doc.events = [_mention(doc, d, lex) for d in kept]
    index = {id(d): i for i, d in enumerate(kept)}
    # later stages (claims) link a statement to the event a dropped repeat reported
    analysis.memo["event_aliases"] = [(doc.offsets[t], index[id(d)]) for t, d in aliases if id(d) in index]


def _bare_reference(d: _Draft, hit: PhraseMatch[TriggerEntry], entities: dict[str, Entity]) -> bool:
    """A definite noun trigger ("المباحثات", "الزيارة الروسية") with no person, place or date
    refers back to an event rather than reporting one."""
    mo = morphology()
    definite = hit.payload.pos == "noun" and (mo.article in hit.prefix or hit.core.startswith(mo.article)
                                              or hit.prefix.endswith(mo.li_article))
    if not definite or d.location is not None or d.date is not None:
        return False
    return not any(e in entities and entities[e].kind == "person" for e in d.actors)


def _has_arguments(d: _Draft) -> bool:
    return bool(d.actors) or d.location is not None or d.date is not None


def _strip_article(word: str) -> str:
    art = morphology().article
    return word[len(art):] if word.startswith(art) else word


@cache
def lex_ta_marbuta() -> str:
    """The unfolded ta marbuta letter (from the morphology data)."""
    return str(load_data("event_types.json")["morphology"]["ta_marbuta"])


def _prep(text: str, lex: _Lexicon) -> str:
    """The preposition a token is, with or without a conjunction ("وفي" is "في"), else ''."""
    return _prep_of(text)


@lru_cache(maxsize=8192)
def _prep_of(text: str) -> str:
    prepositions = _lexicon().prepositions
    if text in prepositions:
        return text
    for conj in morphology().conjunctions:
        if text.startswith(conj) and text[len(conj):] in prepositions:
            return text[len(conj):]
    return ""


def _dative_form(text: str, lex: _Lexicon) -> str:
    """The word without a dative prefix (or '' when it has none)."""
    return next((text[len(p):] for p in lex.dative_prefixes if text.startswith(p) and len(text) > len(p) + 2), "")


def _in_mention(pos: int, spans: list[MentionSpan]) -> bool:
    """Inside a name ("فيصل" is not ف + يصل); a demonym phrase ("الغارات الأمريكية") is no name."""
    return any(m.start <= pos < m.end and m.kind not in ("weapon", "country") for m in spans)


def _verbatim_noun(doc: Document, s: Sentence, hit: PhraseMatch[TriggerEntry]) -> bool:
    """A verb form read off a word written with ta marbuta ("وزارة" folds like و + زار + ه)."""
    tok = s.tokens[hit.first]
    end = doc.offsets[tok.end - 1]
    return hit.payload.pos == "verb" and doc.text[end] == lex_ta_marbuta()


@cache
def _folded(words: tuple[str, ...]) -> frozenset[str]:
    return word_set(words)


def _admissible(s: Sentence, hit: PhraseMatch[TriggerEntry], lex: _Lexicon) -> bool:
    entry = hit.payload
    before = [s.tokens[i].text for i in range(max(0, hit.first - 2), hit.first)]
    if any(w in lex.negators for w in before):
        return False
    if before and before[-1] in lex.anaphoric and entry.pos == "noun":
        return False
    nxt = s.tokens[hit.last + 1].text if hit.last + 1 < len(s.tokens) else ""
    if entry.exclude_next and nxt in _folded(tuple(entry.exclude_next)):
        return False
    mo = morphology()
    definite = mo.article in hit.prefix or hit.core.startswith(mo.article) or hit.prefix.endswith(mo.li_article)
    return not (entry.indefinite_only and definite)


def _draft(doc: Document, s: Sentence, si: int, hit: PhraseMatch[TriggerEntry], prev: PhraseMatch[TriggerEntry] | None,
           nxt: PhraseMatch[TriggerEntry] | None, s_frames: list[claims.Frame], cue_spans: list[tuple[int, int]],
           spans: list[MentionSpan], lex: _Lexicon) -> _Draft | None:
    entry = hit.payload
    t_lo, t_hi = s.tokens[hit.first].start, s.tokens[hit.last].end
    lo, hi, frame = _window(doc, s, hit, prev, nxt, s_frames, cue_spans, spans, lex)
    reach = s.tokens[min(len(s.tokens) - 1, hit.last + 3)].end  # "وقّع ... اتفاقية": the object may be the next trigger
    if not _needs_met(doc, s, hit, lo, max(hi, reach), spans, lex):
        return None
    shared = prev is not None and hit.payload.pos == "verb" and not any(
        m.kind in _ACTOR_KINDS for m in mentions_between(spans, lo, t_lo))
    actors, location = _roles(doc, s, hit, lo, hi, spans, lex, shared)
    date = _date(doc, lo, t_lo, hi)
    status = _status(doc, s, hit, lo, frame, date, lex)
    if status is None:
        return None
    via = None
    if frame is not None:
        via = frame.via or (frame.speaker if is_outlet(doc, frame.speaker) else None)
    collective = not actors and any(t.text in lex.collective
                                    for t in s.tokens[s.token_index(lo):s.token_index(hi)])
    mode = entry.mode
    if entry.type == "CONSULT":
        near = lex.mode_modifiers.find(s.tokens, hit.last + 1, min(len(s.tokens), s.token_index(hi) + 1))
        mode = near[0].payload if near else mode
    return _Draft(si, hit.first, hit.last, entry, mode, lo, hi, t_lo, t_hi, actors, location, date, via,
                  status, entry.confidence, collective, attributed=frame is not None)


def _window(doc: Document, s: Sentence, hit: PhraseMatch[TriggerEntry], prev: PhraseMatch[TriggerEntry] | None,
            nxt: PhraseMatch[TriggerEntry] | None, s_frames: list[claims.Frame], cue_spans: list[tuple[int, int]],
            spans: list[MentionSpan], lex: _Lexicon) -> tuple[int, int, claims.Frame | None]:
    """The clause of a trigger: [lo, hi) in norm, and the reporting frame it sits in."""
    t_lo, t_hi = s.tokens[hit.first].start, s.tokens[hit.last].end
    lo, hi = s.start, s.end
    frame = next((f for f in s_frames if f.content_start <= t_lo < f.content_end), None)
    if frame is not None:
        lo, hi = max(lo, frame.content_start), min(hi, frame.content_end)
    for f in s_frames:
        if f.cue_end <= t_lo and f is not frame:
            lo = max(lo, f.content_end if f.content_end <= t_lo else min(f.content_start, f.cue_end))
    for a, b in cue_spans:
        if b <= t_lo and (frame is None or a >= frame.content_start):
            lo = max(lo, b)
        if a >= t_hi:
            hi = min(hi, a)
    info = _info(doc, s, lex)
    toks = s.tokens
    if prev is not None:
        cut = t_lo
        for i in range(prev.last + 1, hit.first):
            if info.stop[i] or info.comma_before[i]:
                cut = toks[i].end if info.stop[i] else toks[i].start
        lo = max(lo, cut)
    if nxt is not None:
        hi = min(hi, toks[nxt.first].start)
    for f in s_frames:  # "أكد X خلال لقائه Y أن ...": the meeting ends where the statement starts
        if f.cue_end <= t_lo < f.content_start:
            hi = min(hi, f.content_start)
    for i in range(s.token_index(lo), hit.first - 1):
        if info.stop[i]:
            lo = max(lo, toks[i].end)
    noun = hit.payload.pos == "noun"
    agent_head, _, agent_tail = lex.agent_phrase.partition(" ")
    for i in range(hit.last + 1, s.token_index(hi)):
        tok = toks[i]
        if info.stop[i] and not (tok.text == agent_tail and toks[i - 1].text == agent_head):
            hi = min(hi, tok.start)
            break
        if noun and i > hit.last + 1 and info.comma_before[i] and not (
                i in info.mention_starts or i in info.date_tokens or tok.text in lex.prepositions
                or tok.text in lex.heads or tok.text in lex.delegation or tok.text in lex.continuers):
            hi = min(hi, toks[i - 1].end)
            break
    return lo, hi, frame


class _Info(msgspec.Struct, frozen=True):
    """Per-sentence token facts the clause and role readers look up repeatedly."""

    stop: list[bool]
    comma_before: list[bool]
    mention_starts: frozenset[int]
    date_tokens: frozenset[int]


def _info(doc: Document, s: Sentence, lex: _Lexicon) -> _Info:
    analysis = analyse(doc)
    memo: dict[int, _Info] = analysis.memo.setdefault("sentence_info", {})
    found = memo.get(s.start)
    if found is None:
        norm, toks = doc.norm, s.tokens
        found = _Info(
            stop=[t.text in lex.stops for t in toks],
            comma_before=[i > 0 and "," in norm[toks[i - 1].end:t.start] for i, t in enumerate(toks)],
            mention_starts=frozenset(s.token_index(m.start) for m in mentions_between(analysis.spans, s.start, s.end)),
            date_tokens=frozenset(s.token_index(p) for p in date_starts(doc) if s.start <= p < s.end),
        )
        memo[s.start] = found
    return found


def entry_is_noun(hit: PhraseMatch[TriggerEntry]) -> bool:
    """Whether a trigger is a noun (its clause ends at a comma that starts a new clause)."""
    return hit.payload.pos == "noun"


def _needs_met(doc: Document, s: Sentence, hit: PhraseMatch[TriggerEntry], lo: int, hi: int,
               spans: list[MentionSpan], lex: _Lexicon) -> bool:
    entry = hit.payload
    needs = entry.needs_for.get(hit.core) or entry.needs
    if not needs:
        return True
    kinds = {m.kind for m in mentions_between(spans, lo, hi)}
    tokens = {t.text for t in s.tokens[s.token_index(lo):s.token_index(hi)]}
    text = doc.norm[lo:hi]
    for need in needs:
        if need in ("place", "weapon") and need in kinds:
            return True
        if need == "actor" and kinds & _ACTOR_KINDS:
            return True
        if need == "date" and dates_between(doc, lo, hi):
            return True
        if need in lex.words and (tokens & lex.words[need] or any(p in text for p in lex.phrases[need])):
            return True
    return False


def _slot_of(s: Sentence, m: MentionSpan, slots: list[str], lex: _Lexicon) -> str:
    i = min(s.token_index(m.start), len(slots) - 1)
    tok = s.tokens[i]
    if m.start > tok.start:
        head = tok.text[: m.start - tok.start]
        if head in lex.dative_prefixes:
            return lex.dative_slot
        if head in lex.locative_prefixes:
            return lex.locative_slot
    return slots[i]


def _left_slot(s: Sentence, m: MentionSpan, lex: _Lexicon) -> str:
    """The preposition governing a mention before the trigger ("direct" when none)."""
    i = s.token_index(m.start)
    tok = s.tokens[i]
    if m.start > tok.start:
        head = tok.text[: m.start - tok.start]
        if head in lex.dative_prefixes:
            return lex.dative_slot
        if head in lex.locative_prefixes:
            return lex.locative_slot
    if i > 0 and _prep(s.tokens[i - 1].text, lex):
        if i > 1 and _prep(s.tokens[i - 1].text, lex) == lex.origin_prep and s.tokens[i - 2].text in lex.partitive:
            return "direct"  # "قوة من الجيش العراقي اعتقلت": the subject
        return _prep(s.tokens[i - 1].text, lex)
    return "direct"


def _roles(doc: Document, s: Sentence, hit: PhraseMatch[TriggerEntry], lo: int, hi: int,
           spans: list[MentionSpan], lex: _Lexicon, shared_subject: bool = False
           ) -> tuple[dict[str, EventRole], str | None]:
    """Actors of the clause with their roles (see the module docstring), and its location."""
    entry = hit.payload
    frame = lex.frames[entry.frame]
    t_lo, t_hi = s.tokens[hit.first].start, s.tokens[hit.last].end
    window = mentions_between(spans, lo, hi)
    present = {m.entity for m in window}
    trigger_quote = next(((a, b) for a, b in s.quotes if a < t_lo < b), None)

    def relevant(m: MentionSpan) -> bool:
        if m.title_of is not None and m.title_of in present:
            return False
        quote = next(((a, b) for a, b in s.quotes if a < m.start < b), None)
        return quote is None or quote == trigger_quote

    window = [m for m in window if relevant(m)]
    places = [m for m in window if m.kind == "place"]
    actors: dict[str, EventRole] = {}

    def add(entity: str, role: EventRole) -> None:
        actors.setdefault(entity, role)

    def beside_place(m: MentionSpan) -> bool:
        return any(0 <= m.start - p.end <= 2 or 0 <= p.start - m.end <= 2 for p in places)

    subject_seen = entry.pos == "noun" or shared_subject
    for m in window:
        if m.start >= t_lo:
            break
        if m.kind == "weapon":
            add(m.entity, "mentioned")
        elif m.kind in _ACTOR_KINDS and not (m.kind == "country" and beside_place(m)):
            where = _left_slot(s, m, lex)
            if where == "direct":
                add(m.entity, frame.subject)
                subject_seen = True
            elif where in frame.preps:
                add(m.entity, frame.preps[where])
                subject_seen = subject_seen or entry.pos == "verb"
    for m in window:
        if m.start < t_hi and m.end > t_lo and m.kind == "country" and entry.pos == "noun":
            add(m.entity, frame.genitive)  # "الغارات الأمريكية": the demonym names the actor
    direct_role: EventRole = frame.genitive if entry.pos == "noun" else frame.subject
    token = s.tokens[hit.last].text
    if entry.pos == "noun" and hit.first == hit.last and not token.endswith(hit.core) and (
            token != hit.prefix + hit.core):
        # "استقباله المبعوث": the pronoun is the genitive, the noun phrase after it the object
        direct_role = frame.object
    slots: list[str] = ["direct"] * len(s.tokens)
    slot = "direct"
    delegation_role: EventRole | None = None
    last_subject: MentionSpan | None = None
    last_slot = "direct"
    by_prep = False
    after = [m for m in window if m.start >= t_hi]
    starts = {m.start for m in after}
    start_tokens = {s.token_index(m.start) for m in after}
    k = 0
    title_tokens = _title_tokens(doc, s)
    agent_head, _, agent_tail = lex.agent_phrase.partition(" ")
    for i in range(hit.last + 1, s.token_index(hi)):
        tok = s.tokens[i]
        text = tok.text
        starts_mention = i in start_tokens
        # words of a title ("المبعوث الأممي إلى اليمن") open no slot
        in_title = not starts_mention and i in title_tokens
        pair = lex.agent_phrase if (text == agent_head and i + 1 < len(s.tokens)
                                    and s.tokens[i + 1].text == agent_tail) else text
        if text in lex.object_markers:
            slot, by_prep = "direct_obj", False
        elif in_title:
            pass
        elif starts_mention and by_prep and "," in doc.norm[s.tokens[i - 1].end:tok.start]:
            slot, by_prep = last_slot, False
        elif pair == lex.agent_phrase:
            slot, by_prep = pair, False
        elif starts_mention and tok.start in starts:
            pass
        elif _prep(text, lex) == lex.origin_prep and i > 0 and (
                s.tokens[i - 1].text in lex.delegation or _dative_form(s.tokens[i - 1].text, lex) in lex.delegation):
            slot, by_prep = "head", False  # "وفداً من حركة حماس": the delegation's members
        elif _prep(text, lex) == lex.origin_prep and i > 0 and s.tokens[i - 1].text in lex.partitive:
            pass  # "ثلاثة عناصر من تنظيم داعش": a part of the phrase before, not a new slot
        elif _prep(text, lex) and not (slot == lex.agent_phrase and lex.agent_phrase.endswith(text)):
            slot, by_prep = _prep(text, lex), True
        elif text in lex.heads:
            slot, by_prep = "head", False
        elif text in lex.delegation or _dative_form(text, lex) in lex.delegation:
            slot, by_prep = ("direct" if text in lex.delegation else lex.dative_slot), False
            last_subject = None
            if slot != "direct" or entry.pos == "noun":
                delegation_role = frame.preps.get(slot, frame.genitive) if slot != "direct" else direct_role
            elif not subject_seen:
                delegation_role, subject_seen = frame.subject, True
            else:
                delegation_role = frame.object
        slots[i] = slot
        while k < len(after) and after[k].start < tok.end:
            m = after[k]
            k += 1
            if m.kind == "weapon":
                add(m.entity, "mentioned")
                continue
            if m.kind == "place" and by_prep:
                slot, by_prep = "direct", False
            if m.kind not in _ACTOR_KINDS or (m.kind == "country" and beside_place(m)):
                continue
            where = _slot_of(s, m, slots, lex)
            last_slot = where
            role: EventRole
            if where == "direct":
                if entry.pos == "verb" and (not subject_seen or _continues_subject(doc, m, last_subject, lex)):
                    role = frame.subject
                    subject_seen = True
                    last_subject = m
                elif entry.pos == "verb":
                    role = frame.object
                else:
                    role = direct_role
            elif where == "head":
                role = delegation_role or (frame.genitive if entry.pos == "noun" else frame.object)
            elif where == "direct_obj":
                role = frame.object
            else:
                role = frame.preps.get(where, "participant")
            add(m.entity, role)
    return actors, _location(doc, s, hit, window, places, lex)


def _title_tokens(doc: Document, s: Sentence) -> frozenset[int]:
    """Indices of the sentence's tokens that lie inside a recorded title (memoised)."""
    analysis = analyse(doc)
    memo: dict[int, frozenset[int]] = analysis.memo.setdefault("title_tokens", {})
    found = memo.get(s.start)
    if found is None:
        hits: set[int] = set()
        for ts, te in analysis.titles:
            if ts < s.end and te > s.start:
                i = s.token_index(ts)
                while i < len(s.tokens) and s.tokens[i].start < te:
                    if s.tokens[i].start >= ts:
                        hits.add(i)
                    i += 1
        found = frozenset(hits)
        memo[s.start] = found
    return found


def _continues_subject(doc: Document, m: MentionSpan, prev: MentionSpan | None, lex: _Lexicon) -> bool:
    """Whether a mention still belongs to the subject noun phrase that ``prev`` started
    (an apposition after a comma, or a nationality adjective after a title or name)."""
    if prev is None:
        return False
    gap = doc.norm[prev.end:m.start]
    if len(gap.split()) > 2:
        return False
    if "," in gap or "-" in gap:
        return True
    if m.start <= prev.end:
        return True
    if m.kind == "country":  # "وزير الدفاع السوري": a one-word nationality adjective after a title or name
        word = doc.norm[m.start:m.end]
        return " " not in word and word.endswith(lex.nisba_endings) and prev.kind in ("person", "organization")
    # "وزير الخارجية الإيراني عباس عراقجي": the name after a nationality adjective
    return prev.kind == "country" and doc.norm[prev.start:prev.end].endswith(lex.nisba_endings)


def _location(doc: Document, s: Sentence, hit: PhraseMatch[TriggerEntry], window: list[MentionSpan],
              places: list[MentionSpan], lex: _Lexicon) -> str | None:
    """The place the clause situates the event in: after a locative preposition or prefix, as the
    object of a visit, or as the subject of "شهدت"/"عقدت"; else a country after "إلى"/"في"."""
    t_hi = s.tokens[hit.last].end

    def governed(m: MentionSpan, preps: frozenset[str]) -> bool:
        i = s.token_index(m.start)
        tok = s.tokens[i]
        if m.start > tok.start:
            return m.kind == "place" and tok.text[: m.start - tok.start] in lex.locative_prefixes
        j = i - 1
        while j >= 0 and s.tokens[j].text in lex.place_heads:
            j -= 1
        if j >= 0 and any(
                s.tokens[j].text.startswith(p) and _strip_article(s.tokens[j].text[len(p):]) in lex.place_heads
                for p in lex.locative_prefixes):
            return True
        if j < 0:
            return False
        prev = s.tokens[j].text
        if prev in preps or _prep(prev, lex) in preps or prev in lex.location_verbs:
            return True
        return (m.kind == "place" and hit.payload.mode == "visit" and m.start >= t_hi
                and prev not in lex.prepositions)

    located = [p for p in places if governed(p, lex.locative_preps)]
    after = [p for p in located if p.start >= t_hi]
    if after:
        return after[0].entity
    if located:
        return located[-1].entity
    for m in window:
        if m.kind == "country" and m.start >= t_hi and governed(m, lex.location_preps):
            return m.entity
    return None


def _date(doc: Document, lo: int, t_lo: int, hi: int) -> int | None:
    after = dates_between(doc, t_lo, hi)
    if after:
        return after[0]
    before = dates_between(doc, lo, t_lo)
    return before[-1] if before else None


def _status(doc: Document, s: Sentence, hit: PhraseMatch[TriggerEntry], lo: int, frame: claims.Frame | None,
            date: int | None, lex: _Lexicon) -> EventStatus | None:
    """The event's status, or None when the clause is hypothetical ("في حال نشر المنظومة")."""
    status: EventStatus = "occurred"

    def bump(new: EventStatus) -> None:
        nonlocal status
        if _STATUS_RANK[new] > _STATUS_RANK[status]:
            status = new

    if frame is not None:
        bump({"denies": "denied", "expects": "planned", "speculates": "speculative"}.get(frame.stance, "occurred"))  # type: ignore[arg-type]
    comma = doc.norm.rfind(",", lo, s.tokens[hit.first].start)
    scope_lo = max(0, s.token_index(max(lo, comma + 1) if comma >= 0 else lo) - lex.window_before)
    scope_hi = min(len(s.tokens), hit.last + 1 + lex.window_after)
    for m in _status_cues(s, lex):
        if scope_lo <= m.first and m.last < scope_hi:
            if m.payload == "hypothetical":
                return None
            if m.payload.startswith("planned:"):  # "أعلن عن زيارة": only visits and talks are announced ahead
                if m.payload.split(":", 1)[1] == hit.payload.type:
                    bump("planned")
                continue
            bump("speculative" if m.payload == "speculative" else "planned")
    if hit.payload.pos == "verb" and hit.prefix.endswith(morphology().future_prefix):
        bump("planned")
    published = doc.publication.date
    if date is not None and published is not None:
        when = doc.dates[date].start_date
        if when is not None and when > published:
            bump("planned")
    return status


_status_memo: dict[int, tuple[Sentence, list[PhraseMatch[str]]]] = {}


def _status_cues(s: Sentence, lex: _Lexicon) -> list[PhraseMatch[str]]:
    """Planned and speculative cue matches of a sentence (memoised for the sentence object)."""
    hit = _status_memo.get(id(s))
    if hit is not None and hit[0] is s:
        return hit[1]
    found = lex.speculative.find(s.tokens) + lex.planned.find(s.tokens)
    if len(_status_memo) > 256:
        _status_memo.clear()
    _status_memo[id(s)] = (s, found)
    return found


def _group(d: _Draft, lex: _Lexicon) -> tuple[str, str]:
    return d.entry.type, lex.merge_groups.get(d.mode, d.mode)


def _merge_sentence(drafts: list[_Draft], lex: _Lexicon) -> list[_Draft]:
    """Same-kind triggers of one sentence are one event ("زار ... والتقى ..."), unless their
    dates differ ("زيارة في يوليو، تلتها زيارة أمس")."""
    out: list[_Draft] = []
    for d in drafts:
        prev = next((p for p in reversed(out) if _group(p, lex) == _group(d, lex)), None)
        if prev is not None and prev.status != d.status and d.status == "occurred" and d.date is None:
            d.status = prev.status  # "زيارة مرتقبة ... يلتقي خلالها": the meeting shares the visit's status
        if (prev is not None and prev.status == d.status
                and (prev.date is None or d.date is None or prev.date == d.date)):
            for entity, role in d.actors.items():
                prev.actors.setdefault(entity, role)
            prev.location = prev.location or d.location
            prev.date = prev.date if prev.date is not None else d.date
            prev.via = prev.via or d.via
            prev.hi = max(prev.hi, d.hi)
            prev.confidence = max(prev.confidence, d.confidence)
            prio = lex.mode_priority
            if d.mode in prio and (prev.mode not in prio or prio.index(d.mode) < prio.index(prev.mode)):
                prev.mode = d.mode
            continue
        out.append(d)
    return out


def _during(s: Sentence, drafts: list[_Draft], lex: _Lexicon) -> None:
    """"وقعت قطر وتركيا اتفاقية خلال اجتماع ... في الدوحة يوم الأحد": an event reported as
    happening during another takes that event's place and date when it states none."""
    for d, e in itertools.pairwise(drafts):
        if any(t.text in lex.during for t in s.tokens[d.last + 1:e.first]):
            d.location = d.location or e.location
            if d.date is None:
                d.date = e.date


def _specific(d: _Draft, entities: dict[str, Entity]) -> bool:
    return d.location is not None or d.date is not None or any(
        e in entities and entities[e].kind == "person" for e in d.actors)


def _compatible_people(a: _Draft, b: _Draft, entities: dict[str, Entity]) -> bool:
    """Whether two reports can be of one event: the first names no person, or they share one."""
    people_a = {e for e in a.actors if e in entities and entities[e].kind == "person"}
    return not people_a or bool(people_a & set(b.actors))


def _elaborate(drafts: list[_Draft], lex: _Lexicon, entities: dict[str, Entity]) -> None:
    """A report that follows an event of the same kind in the next sentence usually elaborates it
    ("بحث مسؤولون ... بالعاصمة دمشق" then "استقبل العميد ... اليوم وفداً"): it inherits the
    place and date it does not state itself."""
    for prev, d in itertools.pairwise(drafts):
        if (d.sentence == prev.sentence + 1 and _group(d, lex) == _group(prev, lex)
                and d.status == prev.status and _compatible_people(prev, d, entities)):
            d.location = d.location or prev.location
            if d.date is None:
                d.date = prev.date


def _apply_denials(doc: Document, drafts: list[_Draft], frames: list[claims.Frame], lex: _Lexicon) -> None:
    """A denial ("نفى", "غير صحيح") denies the event it names, and every unconfirmed report of
    that kind in the article (planned, speculated, attributed to someone, or undated: the rumoured
    deal in the headline), but not a dated fact in the outlet's own voice; a denial of "these
    reports" ("هذه الأنباء عارية عن الصحة") denies what the previous statement reported."""
    all_sentences = analyse(doc).sentences
    denied: set[tuple[str, str]] = set()
    spans: list[tuple[int, int]] = []
    for k, f in enumerate(frames):
        if f.stance != "denies" or f.sentence >= len(all_sentences):
            continue
        named = _kinds_in(f, all_sentences, lex)
        spans.append((f.content_start, f.content_end))
        if not named and k > 0 and f.sentence - frames[k - 1].sentence <= 1 and _anaphoric(f, all_sentences, lex):
            named = _kinds_in(frames[k - 1], all_sentences, lex)
            spans.append((frames[k - 1].content_start, frames[k - 1].content_end))
        denied |= named
    for d in drafts:
        inside = any(a <= d.trigger_lo < b for a, b in spans)
        if _group(d, lex) in denied and (inside or d.status != "occurred" or d.attributed or d.date is None):
            d.status = "denied"


def _anaphoric(f: claims.Frame, all_sentences: list[Sentence], lex: _Lexicon) -> bool:
    """Whether a frame's content opens with a demonstrative ("هذه الأنباء", "ذلك")."""
    s = all_sentences[f.sentence]
    i = s.token_index(f.content_start)
    return any(t.text in lex.anaphoric for t in s.tokens[i:i + 2])


def _kinds_in(f: claims.Frame, all_sentences: list[Sentence], lex: _Lexicon) -> set[tuple[str, str]]:
    """The event kinds whose triggers occur in a frame's content."""
    s = all_sentences[f.sentence]
    hits = lex.triggers.find(s.tokens, s.token_index(f.content_start), s.token_index(f.content_end))
    return {(h.payload.type, lex.merge_groups.get(h.payload.mode, h.payload.mode)) for h in hits}


def _dedupe(doc: Document, drafts: list[_Draft], lex: _Lexicon) -> tuple[list[_Draft], list[tuple[int, _Draft]]]:
    """Drop later reports of an event already listed (no new participant, place or date);
    returns the kept drafts and, for each dropped one, (its trigger offset, the draft kept)."""
    kept: list[_Draft] = []
    aliases: list[tuple[int, _Draft]] = []
    for d in drafts:
        same = next((k for k in kept if _repeats(doc, d, k, lex)), None)
        if same is not None:
            aliases.append((d.trigger_lo, same))
            continue
        for k in kept:
            if k.sentence != d.sentence and _repeats(doc, k, d, lex):
                aliases.append((k.trigger_lo, d))
        kept = [k for k in kept if not (k.sentence != d.sentence and _repeats(doc, k, d, lex))]
        kept.append(d)
    return sorted(kept, key=lambda d: d.trigger_lo), aliases


def _repeats(doc: Document, d: _Draft, k: _Draft, lex: _Lexicon) -> bool:
    """Whether ``d`` says nothing that ``k`` does not (same kind and status)."""
    return (_group(d, lex) == _group(k, lex) and d.status == k.status
            and set(d.actors.items()) <= set(k.actors.items())
            and d.location in (None, k.location) and _same_date(doc, d.date, k.date))


def _same_date(doc: Document, a: int | None, b: int | None) -> bool:
    if a is None or a == b:
        return True
    if b is None:
        return False
    da, db = doc.dates[a], doc.dates[b]
    if da.start_date is not None and da.start_date == db.start_date and da.end_date == db.end_date:
        return True
    fa, fb = fold(da.text), fold(db.text)
    return fa in fb or fb in fa


def _mention(doc: Document, d: _Draft, lex: _Lexicon) -> EventMention:
    lo, hi = trim(doc.norm, min(d.lo, d.trigger_lo), max(d.hi, d.trigger_hi))
    while hi > d.trigger_hi:
        cut = doc.norm.rfind(" ", lo, hi)
        if cut < d.trigger_hi or doc.norm[cut + 1:hi] not in lex.trailers:
            break
        lo, hi = trim(doc.norm, lo, cut)
    start, end, quote = verbatim_span(doc, lo, hi)
    t_start, _, trigger = verbatim_span(doc, d.trigger_lo, d.trigger_hi)
    confidence = d.confidence + 0.05 * (len(d.actors) >= 2) + 0.05 * (d.location is not None) \
        + 0.05 * (d.date is not None) - 0.1 * (d.status == "speculative")
    return EventMention(
        start=start, end=end, quote=quote, trigger=trigger, trigger_start=t_start,
        plover_type=d.entry.type, plover_mode=d.mode,
        cameo=lex.cameo.get(d.entry.type, {}).get(d.mode) or lex.type_cameo.get(d.entry.type),
        status=d.status, actors=[EventActor(entity=e, role=r) for e, r in d.actors.items()],
        location=d.location, date=d.date, via=d.via, confidence=round(min(0.95, max(0.1, confidence)), 2),
    )
