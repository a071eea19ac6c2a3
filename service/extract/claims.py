"""Reported statements: who said what, through which outlet, how, and with what stance.

A *reporting frame* is a cue (a reporting verb, a participle, "وفقاً لـ"/"بحسب", a relay verb
such as "نقلت ... عن", or an impersonal "من المتوقع أن") plus its speaker, relay, channel and
the content it introduces. ``find_frames`` finds them sentence by sentence; the event stage
uses them too (an event inside a denial is denied, inside "وفقاً لما نقلته سانا" it is relayed
by SANA). ``find_claims`` turns frames with content into ``ClaimMention``s.

Conventions: speaker None means the outlet's own voice *or* an unnamed source ("مصادر",
"محللين"); unnamed sources keep the claim, with ``unnamed`` set on the frame and a lower
confidence. "لم تعلق X", "فشلت محاولات التعليق من X" and the like are never claims by X.
Participles ("موضحاً", "مؤكداً") and continuations ("وأضاف") inherit the previous speaker.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

import msgspec

from service.extract.clauses import (
    MentionSpan,
    PhraseLexicon,
    PhraseMatch,
    Sentence,
    dates_between,
    is_outlet,
    load_data,
    mention_spans,
    mentions_between,
    sentences,
    trim,
    verbatim_span,
    word_set,
)
from service.extract.document import Channel, ClaimMention, Document, Stance
from service.extract.normalize import fold

CueKind = Literal["verb", "social", "continuation", "participle", "relay", "according", "impersonal"]
_SPEAKER_KINDS = frozenset({"person", "organization", "country"})
_CHANNEL_PRIORITY: tuple[Channel, ...] = ("press_conference", "social_media", "interview", "statement", "report")
_MAX_SUBJECT_TOKENS = 16


class Cue(msgspec.Struct, frozen=True):
    kind: CueKind
    stance: Stance
    weak: bool = False


class Frame(msgspec.Struct):
    """A reporting frame in norm coordinates; ``content_*`` is the reported content."""

    sentence: int
    cue_start: int
    cue_end: int
    kind: CueKind
    stance: Stance
    content_start: int
    content_end: int
    speaker: str | None
    via: str | None
    channel: Channel
    said_on: int | None
    unnamed: bool = False
    emit: bool = True
    confidence: float = 0.6


class _Lexicons(msgspec.Struct, frozen=True):
    cues: PhraseLexicon[Cue]
    channels: PhraseLexicon[Channel]
    non_claim: PhraseLexicon[str]
    denial: PhraseLexicon[str]
    strong_comp: frozenset[str]
    comp_blockers: frozenset[str]
    unnamed: frozenset[str]
    anaphors: frozenset[str]
    collective: frozenset[str]
    dative_heads: frozenset[str]
    dative_prefixes: frozenset[str]
    openers: frozenset[str]
    trailing: frozenset[str]
    preposed_markers: frozenset[str]
    relay_source: str


@cache
def _lexicons() -> _Lexicons:
    data = load_data("claim_cues.json")
    weak = word_set(data["weak_cues"])
    entries: list[tuple[str, Literal["verb", "noun", "particle"], Cue]] = []
    for stance, forms in data["verbs"].items():
        entries += [(f, "verb", Cue("verb", stance, weak=fold(f) in weak)) for f in forms]
    for stance, forms in data["participles"].items():
        entries += [(f, "particle", Cue("participle", stance)) for f in forms]
    for stance, forms in data["impersonal"].items():
        entries += [(f, "particle", Cue("impersonal", stance)) for f in forms]
    entries += [(f, "verb", Cue("social", "asserts")) for f in data["social_verbs"]]
    entries += [(f, "verb", Cue("continuation", "asserts")) for f in data["continuations"]]
    entries += [(f, "verb", Cue("relay", "asserts")) for f in data["relay_verbs"]]
    entries += [(f, "particle", Cue("according", "asserts")) for f in data["according_to"]]
    channels: list[tuple[str, Literal["verb", "noun", "particle"], Channel]] = [
        (f, "particle", ch) for ch, forms in data["channels"].items() for f in forms
    ]
    return _Lexicons(
        cues=PhraseLexicon(entries),
        channels=PhraseLexicon(channels),
        non_claim=PhraseLexicon([(f, "particle", f) for f in data["non_claim"]]),
        denial=PhraseLexicon([(f, "particle", f) for f in data["denial_phrases"]]),
        strong_comp=word_set(data["strong_complementizers"]),
        comp_blockers=word_set(data["complementizer_blockers"]),
        unnamed=word_set(data["unnamed_sources"]),
        anaphors=word_set(data["anaphors"]),
        collective=word_set(data["collective_subjects"]),
        dative_heads=word_set(data["dative_heads"]),
        dative_prefixes=word_set(data["dative_prefixes"]),
        openers=word_set(data["content_openers"]),
        trailing=word_set(data["trailing_conjunctions"]),
        preposed_markers=word_set(data["preposed_content_markers"]),
        relay_source=fold(data["relay_source_marker"]),
    )


def _cue_matches(s: Sentence, lex: _Lexicons) -> list[PhraseMatch[Cue]]:
    blocked: set[int] = set()
    for m in lex.non_claim.find(s.tokens):
        blocked.update(range(m.first, min(m.last + 6, len(s.tokens))))
    out: list[PhraseMatch[Cue]] = []
    for m in lex.cues.find(s.tokens):
        if m.first in blocked or s.in_quote(s.tokens[m.first].start):
            continue
        if m.payload.kind == "impersonal" and m.first > 1:
            continue
        if out and out[-1].payload.kind == "according" and m.first - out[-1].last <= 2:
            continue
        if m.payload.kind == "relay" and not any(
                t.text == lex.relay_source for t in s.tokens[m.last + 1:m.last + 10]):
            continue
        out.append(m)
    return out


def _complementizer(s: Sentence, lo: int, hi: int, lex: _Lexicons) -> int | None:
    """Token index of the first complementizer in tokens[lo:hi] that opens the content."""
    for i in range(lo, min(hi, lo + _MAX_SUBJECT_TOKENS)):
        tok = s.tokens[i]
        if s.in_quote(tok.start):
            return None
        if tok.text in lex.strong_comp and not (i > 0 and s.tokens[i - 1].text in lex.comp_blockers):
            return i
    return None


def _is_dative(s: Sentence, m: MentionSpan, lex: _Lexicons) -> bool:
    """Whether a mention is the addressee of the statement ("لوكالة سبوتنيك", "لـ الجزيرة")."""
    i = s.token_index(m.start)
    if i < len(s.tokens) and m.start > s.tokens[i].start:
        head = s.tokens[i].text[: m.start - s.tokens[i].start]
        if head in lex.dative_prefixes:
            return True
    return any(s.tokens[j].text in lex.dative_heads for j in range(max(0, i - 2), i))


def _channel(s: Sentence, lo: int, hi: int, lex: _Lexicons) -> Channel | None:
    lo_i, hi_i = s.token_index(lo), s.token_index(hi)
    found = {m.payload for m in lex.channels.find(s.tokens, lo_i, hi_i)}
    return next((ch for ch in _CHANNEL_PRIORITY if ch in found), None)


class _State:
    """Speaker memory across frames of one document (for participles and anaphora)."""

    def __init__(self) -> None:
        self.last: Frame | None = None

    def recent(self, sentence: int) -> Frame | None:
        if self.last is not None and sentence - self.last.sentence <= 1:
            return self.last
        return None


def find_frames(doc: Document) -> list[Frame]:
    """Every reporting frame of the document, in text order."""
    lex = _lexicons()
    spans = mention_spans(doc)
    state = _State()
    frames: list[Frame] = []
    for si, s in enumerate(sentences(doc)):
        cues = _cue_matches(s, lex)
        region_start = s.start
        for ci, cue in enumerate(cues):
            region_end = s.tokens[cues[ci + 1].first].start if ci + 1 < len(cues) else s.end
            frame = _frame(doc, s, si, cue, region_start, region_end, spans, lex, state)
            region_start = region_end
            if frame is None:
                continue
            frames.append(frame)
            state.last = frame
    return frames


def _frame(doc: Document, s: Sentence, si: int, cue: PhraseMatch[Cue], region_start: int, region_end: int,
           spans: list[MentionSpan], lex: _Lexicons, state: _State) -> Frame | None:
    kind = cue.payload.kind
    cue_start, cue_end = s.tokens[cue.first].start, s.tokens[cue.last].end
    end_i = s.token_index(region_end)
    stance: Stance = cue.payload.stance
    speaker: str | None = None
    via: str | None = None
    unnamed = False
    found = False
    content_start: int
    content_end = region_end
    emit = True
    parent: Frame | None = None

    if kind == "according":
        return _according(doc, s, si, cue, region_start, region_end, spans, lex)
    if kind == "impersonal":
        comp = _complementizer(s, cue.last + 1, min(end_i, cue.last + 3), lex)
        content_start = s.tokens[comp].end if comp is not None else cue_end
        if cue.last + 1 < end_i and s.tokens[cue.last + 1].text in lex.openers:
            content_start = s.tokens[cue.last + 1].end
        found = True
    elif kind in ("participle", "continuation"):
        parent = state.recent(si)
        comp = _complementizer(s, cue.last + 1, min(end_i, cue.last + 4), lex)
        content_start = s.tokens[comp].end if comp is not None else _skip_preps(s, cue.last + 1, end_i)
        if parent is not None:
            speaker, via, unnamed, found = parent.speaker, parent.via, parent.unnamed, True
        zone = [m for m in mentions_between(spans, cue_end, content_start) if m.kind in _SPEAKER_KINDS]
        if kind == "continuation" and zone and not _is_dative(s, zone[0], lex):
            speaker, found = zone[0].entity, True
    else:
        comp = _complementizer(s, cue.last + 1, end_i, lex)
        zone_end = s.tokens[comp].start if comp is not None else region_end
        zone = [m for m in mentions_between(spans, cue_end, zone_end) if m.kind in _SPEAKER_KINDS]
        speaker, via, unnamed, found, subject_end = _subject(doc, s, cue, zone, kind, lex)
        if not found:
            speaker, via, unnamed, found = _look_back(doc, s, cue, spans, region_start, lex, state, si)
        if comp is not None:
            content_start = s.tokens[comp].end
        else:
            content_start = _skip_preps(s, s.token_index(subject_end), end_i) if subject_end > cue_end \
                else _skip_preps(s, cue.last + 1, end_i)
        if kind == "social":
            quote = next(((qs, qe) for qs, qe in s.quotes if qs >= cue_end and qe <= region_end), None)
            if quote is not None:
                content_start, content_end = quote[0] + 1, quote[1]
            else:
                emit = False
        if not found and cue.payload.weak:
            return None
        if via is None:
            via = next((m.entity for m in mentions_between(spans, region_start, cue_start)
                        if m.kind == "organization" and is_outlet(doc, m.entity)), None)
    content_start, content_end = _content(doc, s, content_start, content_end)
    if content_end - content_start < 3:
        if kind in ("social",) or (parent is None and kind != "verb"):
            return None
        emit = False
    if _has_denial(s, content_start, content_end, lex):
        stance = "denies"
    channel = _channel(s, region_start, content_start, lex) or _channel(s, content_start, content_end, lex)
    if channel is None:
        if parent is not None:
            channel = parent.channel
        elif kind == "social":
            channel = "social_media"
        elif speaker is not None and is_outlet(doc, speaker):
            channel = "report"
        else:
            channel = "statement"
    said = dates_between(doc, region_start, content_start) if kind != "participle" else []
    said_on = said[-1] if said else (parent.said_on if parent is not None else None)
    confidence = 0.8 if speaker is not None else (0.55 if unnamed else 0.45)
    return Frame(si, cue_start, cue_end, kind, stance, content_start, content_end, speaker, via, channel,
                 said_on, unnamed=unnamed, emit=emit, confidence=confidence)


def _subject(doc: Document, s: Sentence, cue: PhraseMatch[Cue], zone: list[MentionSpan], kind: CueKind,
             lex: _Lexicons) -> tuple[str | None, str | None, bool, bool, int]:
    """(speaker, via, unnamed, found, subject_end) from the mentions after the cue."""
    speaker: str | None = None
    via: str | None = None
    subject_end = s.tokens[cue.last].end
    first_i = cue.last + 1
    first_tok = s.tokens[first_i].text if first_i < len(s.tokens) else ""
    if kind == "relay":
        for m in zone:
            if via is None and is_outlet(doc, m.entity):
                via = m.entity
                subject_end = max(subject_end, m.end)
            elif speaker is None and m.kind != "country" and not is_outlet(doc, m.entity):
                speaker = m.entity
                subject_end = max(subject_end, m.end)
        an_i = next((i for i in range(first_i, min(first_i + 8, len(s.tokens))) if s.tokens[i].text == lex.relay_source), None)
        unnamed = an_i is not None and an_i + 1 < len(s.tokens) and s.tokens[an_i + 1].text in lex.unnamed
        if unnamed:
            speaker = None
        return speaker, via, unnamed, via is not None or speaker is not None or unnamed, subject_end
    if first_tok in lex.unnamed:
        return None, _first_outlet(doc, zone), True, True, s.tokens[first_i].end
    if first_tok in lex.collective:
        return None, _first_outlet(doc, zone), False, True, s.tokens[first_i].end
    for pos, m in enumerate(zone):
        if m.kind == "country" and pos > 0:
            continue
        if is_outlet(doc, m.entity):
            if _is_dative(s, m, lex) or speaker is not None:
                via = via or m.entity
                continue
            speaker = speaker or m.entity
            via = via or m.entity
            subject_end = max(subject_end, m.end)
            continue
        if _is_dative(s, m, lex):
            continue
        if speaker is None or (is_outlet(doc, speaker) and speaker == via and m.start <= subject_end + 2):
            speaker = m.entity
            subject_end = max(subject_end, m.end)
        elif m.start <= subject_end + 3:
            subject_end = max(subject_end, m.end)
    if speaker is None and first_tok in lex.anaphors:
        return None, via, False, False, s.tokens[first_i].end
    return speaker, via, False, speaker is not None, subject_end


def _first_outlet(doc: Document, zone: list[MentionSpan]) -> str | None:
    return next((m.entity for m in zone if is_outlet(doc, m.entity)), None)


def _look_back(doc: Document, s: Sentence, cue: PhraseMatch[Cue], spans: list[MentionSpan], region_start: int,
               lex: _Lexicons, state: _State, si: int) -> tuple[str | None, str | None, bool, bool]:
    """Speaker before the cue (SVO, "وكان الوزير ... قد أعلن"), or by anaphora / inheritance."""
    before = [m for m in mentions_between(spans, region_start, s.tokens[cue.first].start)
              if m.kind in ("person", "organization")]
    if before:
        m = before[-1]
        gap = s.token_index(s.tokens[cue.first].start) - s.token_index(m.end)
        if gap <= 2:
            return m.entity, None, False, True
    nxt = cue.last + 1
    tok = s.tokens[nxt].text if nxt < len(s.tokens) else ""
    recent = state.recent(si)
    opens_content = tok in lex.strong_comp or (nxt < len(s.tokens) and s.in_quote(s.tokens[nxt].start))
    if recent is not None and (tok in lex.anaphors or (opens_content and not cue.payload.weak)):
        return recent.speaker, recent.via, recent.unnamed, True
    return None, None, False, False


def _skip_preps(s: Sentence, i: int, end_i: int) -> int:
    openers = _lexicons().openers
    while i < end_i and s.tokens[i].text in openers:
        i += 1
    return s.tokens[i].start if i < end_i else (s.tokens[end_i - 1].end if end_i else s.end)


def _content(doc: Document, s: Sentence, start: int, end: int) -> tuple[int, int]:
    start, end = trim(doc.norm, start, end)
    if start > 0 and doc.norm[start - 1] == '"' and any(qs == start - 1 for qs, _ in s.quotes):
        start -= 1
    if start < end and doc.norm[start] == '"':
        closing = next((qe for qs, qe in s.quotes if qs == start), None)
        if closing is not None and closing <= end:
            return trim(doc.norm, start + 1, closing)
    words = doc.norm[start:end].rsplit(" ", 1)
    if len(words) == 2 and words[1] in _lexicons().trailing:
        end = start + len(words[0])
    return trim(doc.norm, start, end)


def _has_denial(s: Sentence, start: int, end: int, lex: _Lexicons) -> bool:
    return bool(lex.denial.find(s.tokens, s.token_index(start), s.token_index(end)))


def _according(doc: Document, s: Sentence, si: int, cue: PhraseMatch[Cue], region_start: int, region_end: int,
               spans: list[MentionSpan], lex: _Lexicons) -> Frame | None:
    """ "وفقاً لـ X، ..." / "بحسب X، فإن ..." (preposed) or "...، بحسب X" (postposed)."""
    cue_start, cue_end = s.tokens[cue.first].start, s.tokens[cue.last].end
    end_i = s.token_index(region_end)
    preposed = cue.first <= 1 or doc.norm[region_start:cue_start].strip(" ,") == ""
    if preposed:
        stop = next((i for i in range(cue.last + 1, end_i)
                     if s.tokens[i].text in lex.preposed_markers or doc.norm[s.tokens[i - 1].end:s.tokens[i].start].strip()
                     .startswith(",")), end_i)
        zone_end = s.tokens[stop].start if stop < end_i else region_end
        content = (s.tokens[stop].end if stop < end_i and s.tokens[stop].text in lex.preposed_markers else zone_end,
                   region_end)
    else:
        zone_end = region_end
        content = (region_start, cue_start)
    zone = [m for m in mentions_between(spans, cue_end, zone_end) if m.kind in _SPEAKER_KINDS]
    first_i = cue.last + 1
    words = [t.text for t in s.tokens[first_i:min(first_i + 3, end_i)]]
    unnamed = any(w in lex.unnamed for w in words[:2])
    speaker: str | None = None
    via: str | None = None
    if not unnamed:
        for m in zone:
            if is_outlet(doc, m.entity):
                via = via or m.entity
                speaker = speaker or m.entity
            elif speaker is None or speaker == via:
                if m.kind == "country" and zone[0] is not m:
                    continue
                speaker = m.entity
                break
    if speaker is None and not unnamed:
        return None
    start, end = _content(doc, s, *content)
    if end - start < 3:
        return None
    channel = _channel(s, cue_start, zone_end, lex) or ("report" if speaker is not None and speaker == via
                                                       else "statement")
    stance: Stance = "denies" if _has_denial(s, start, end, lex) else "asserts"
    said = dates_between(doc, cue_end, zone_end)
    return Frame(si, cue_start, cue_end, "according", stance, start, end, speaker, via, channel,
                 said[-1] if said else None, unnamed=unnamed,
                 confidence=0.75 if speaker is not None else 0.5)


def find_claims(doc: Document) -> None:
    """Fill ``doc.claims`` from the reporting frames, linking each to the event it reports."""
    claims: list[ClaimMention] = []
    frames = find_frames(doc)
    spans = mention_spans(doc)
    for frame in frames:
        if not frame.emit:
            continue
        start, end, quote = verbatim_span(doc, frame.content_start, frame.content_end)
        cue_start, _, cue = verbatim_span(doc, frame.cue_start, frame.cue_end)
        about: list[str] = []
        for m in mentions_between(spans, frame.content_start, frame.content_end):
            if m.entity not in about and m.entity != frame.speaker:
                about.append(m.entity)
        claims.append(ClaimMention(
            start=start, end=end, quote=quote, cue=cue, cue_start=cue_start, speaker=frame.speaker,
            via=frame.via, channel=frame.channel, stance=frame.stance, said_on=frame.said_on, about=about,
            event=_event_of(doc, start, end, frame.stance), confidence=frame.confidence,
        ))
    doc.claims = claims


def _event_of(doc: Document, start: int, end: int, stance: Stance) -> int | None:
    """The event a claim reports: one whose trigger lies in the content, else (for a denial) the
    denied event the content names."""
    inside = [i for i, e in enumerate(doc.events) if start <= e.trigger_start < end]
    if inside:
        denied = [i for i in inside if doc.events[i].status == "denied"]
        return (denied or inside)[0]
    if stance == "denies":
        denied = [i for i, e in enumerate(doc.events) if e.status == "denied"]
        if denied:
            return denied[0]
    return None
