"""Reporting frames: who says something, through which outlet, how, with what stance, and
where the reported content lies.

A *reporting frame* is a cue (a reporting verb, a participle, "وفقاً لـ"/"بحسب", a relay verb
such as "نقلت ... عن", an impersonal "من المتوقع أن", or a "Speaker: content" headline) plus its
speaker, relay, channel and the content it introduces. ``find_frames`` (the ``reporting`` stage
of ``pipeline.STAGES``) finds them sentence by sentence into ``doc.frames``, with every cue of
each sentence in ``doc.cues``; the claim stage turns frames into claims and the event stage uses
them for status and relay (an event inside a denial is denied, inside "وفقاً لما نقلته سانا" it
is relayed by SANA).

Conventions: speaker None means the outlet's own voice *or* an unnamed source ("مصادر",
"محللين"); unnamed sources keep the frame, with ``unnamed`` set and a lower confidence.
"لم تعلق X", "فشلت محاولات التعليق من X" and the like are never frames for X. Participles
("موضحاً", "مؤكداً") and continuations ("وأضاف") inherit the previous speaker.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from typing import Literal, cast

import msgspec

from service.extract import datafiles
from service.extract.actors.knowledge import knowledge
from service.extract.claims.conjugation import conjugations
from service.extract.document import (
    Channel,
    CueKind,
    CueSpan,
    Document,
    MentionSpan,
    ReportingFrame,
    Sentence,
    Stance,
)
from service.extract.text.clauses import (
    PhraseLexicon,
    PhraseMatch,
    dates_between,
    is_outlet,
    mentions_between,
    morphology,
    norm_pos,
    trim,
    word_set,
)
from service.text import fold, match_key

_SPEAKER_KINDS = frozenset({"person", "organization", "country"})
_CHANNEL_PRIORITY: tuple[Channel, ...] = (
    "press_conference",
    "social_media",
    "interview",
    "statement",
    "report",
)
_MAX_SUBJECT_TOKENS = 16
ANTECEDENT_REACH = 3  # sentences back to the unnamed source a definite "المصدر" refers to


class Cue(msgspec.Struct, frozen=True):
    kind: CueKind
    stance: Stance
    weak: bool = False
    guard: int | None = None  # index in ``_Lexicons.guards``: a form that is also another word


class _Guard(msgspec.Struct, frozen=True):
    """What must stand around a guarded cue (``claim_cues.json``, "guarded_cues")."""

    opening: bool  # the head of a clause and a follower; else a pause before or a follower
    reach: int
    followers: frozenset[str]
    objects: tuple[str, ...]
    next_words: frozenset[str]


Frame = ReportingFrame


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
    assimilated_datives: frozenset[str]
    openers: frozenset[str]
    trailing: frozenset[str]
    preposed_markers: frozenset[str]
    relay_source: str
    non_frame_followers: frozenset[str]
    np_breakers: frozenset[str]
    svo_gap: frozenset[str]
    content_stops: PhraseLexicon[str]
    np_max_gap: int
    nisba_endings: tuple[str, ...]
    inline_relay: PhraseLexicon[str]
    allegations: frozenset[str]
    relay_clause: PhraseLexicon[str]
    title_gap: frozenset[str]
    object_preps: frozenset[str]
    denial_openers: PhraseLexicon[str]
    relatives: frozenset[str]
    guards: tuple[_Guard, ...]
    guard_openers: frozenset[str]
    honorifics: frozenset[str]
    relative_openers: frozenset[str]
    byline_dashes: int
    trailing_markers: frozenset[str]
    title_back_words: int
    role_heads: frozenset[str]
    title_links: frozenset[str]
    negated_beliefs: PhraseLexicon[str]


_ASSIMILATED_DATIVE = ("لل", "ولل")


def _verb_cue(stance: str, weak: frozenset[str], guard_of: dict[str, int], form: str) -> Cue:
    return Cue("verb", cast(Stance, stance), weak=form in weak, guard=guard_of.get(form))


def _participle_cue(stance: str, guard_of: dict[str, int], form: str) -> Cue:
    return Cue("participle", cast(Stance, stance), guard=guard_of.get(form))


@cache
def _lexicons() -> _Lexicons:
    data = datafiles.claim_cues()
    weak = word_set(data.weak_cues)
    entries: list[tuple[str, Literal["verb", "noun", "particle"], Cue]] = []
    excluded = word_set(data.not_conjugations)
    guard_of = {fold(f): gi for gi, g in enumerate(data.guarded_cues) for f in g.forms}

    def add(forms: list[str], pos: Literal["verb", "particle"], cue: Callable[[str], Cue]) -> None:
        """The listed forms and their dual and plural conjugations, each with its form's cue."""
        entries.extend((f, pos, cue(fold(f))) for f in forms)
        more = conjugations(forms, participle=pos == "particle")
        entries.extend((f, pos, cue(base)) for f, base in more.items() if f not in excluded)

    for stance, forms in data.verbs.items():
        add(forms, "verb", partial(_verb_cue, stance, weak, guard_of))
    for stance, forms in data.participles.items():
        add(forms, "particle", partial(_participle_cue, stance, guard_of))
    for stance, forms in data.impersonal.items():
        entries += [(f, "particle", Cue("impersonal", stance)) for f in forms]
    add(data.social_verbs, "verb", lambda f: Cue("social", "asserts"))
    add(data.calls, "verb", lambda f: Cue("call", "asserts", weak=True))
    add(data.continuations, "verb", lambda f: Cue("continuation", "asserts"))
    add(data.relay_verbs, "verb", lambda f: Cue("relay", "asserts"))
    entries += [(f, "particle", Cue("according", "asserts")) for f in data.according_to]
    channels: list[tuple[str, Literal["verb", "noun", "particle"], Channel]] = [
        (f, "particle", ch) for ch, forms in data.channels.items() for f in forms
    ]
    return _Lexicons(
        cues=PhraseLexicon(entries),
        channels=PhraseLexicon(channels),
        non_claim=PhraseLexicon([(f, "particle", f) for f in data.non_claim]),
        denial=PhraseLexicon([(f, "particle", f) for f in data.denial_phrases]),
        strong_comp=word_set(data.strong_complementizers),
        comp_blockers=word_set(data.complementizer_blockers),
        unnamed=word_set(data.unnamed_sources),
        anaphors=word_set(data.anaphors),
        collective=word_set(data.collective_subjects),
        dative_heads=word_set(data.dative_heads),
        dative_prefixes=word_set(data.dative_prefixes),
        assimilated_datives=frozenset(
            p + fold(h) for h in data.broadcaster_heads for p in _ASSIMILATED_DATIVE
        ),
        openers=word_set(data.content_openers),
        trailing=word_set(data.trailing_conjunctions),
        preposed_markers=word_set(data.preposed_content_markers),
        relay_source=fold(data.relay_source_marker),
        non_frame_followers=word_set(data.non_frame_followers),
        np_breakers=word_set(data.np_breakers),
        svo_gap=word_set(data.svo_gap_words),
        content_stops=PhraseLexicon([(f, "particle", f) for f in data.content_stops]),
        np_max_gap=data.np_max_gap_tokens,
        nisba_endings=tuple(fold(w) for w in data.nisba_endings),
        inline_relay=PhraseLexicon([(f, "particle", f) for f in data.inline_relay]),
        allegations=frozenset(v for w in data.allegations for v in (fold(w), "و" + fold(w))),
        relay_clause=PhraseLexicon([(f, "particle", f) for f in data.relay_clause_words]),
        title_gap=_title_words(data.title_gap_words),
        object_preps=word_set(data.object_prepositions),
        denial_openers=PhraseLexicon([(f, "particle", f) for f in data.denial_openers]),
        relatives=frozenset(v for w in data.relatives for v in (fold(w), "ال" + fold(w), "و" + fold(w))),
        guards=tuple(
            _Guard(
                g.needs == "opening",
                g.reach,
                word_set(g.followers),
                tuple(fold(o) for o in g.objects),
                word_set(g.next_words),
            )
            for g in data.guarded_cues
        ),
        guard_openers=word_set(data.guard_openers),
        honorifics=word_set(data.honorific_pronouns),
        relative_openers=word_set(data.relative_openers),
        byline_dashes=data.byline_dashes,
        trailing_markers=word_set(data.trailing_markers),
        title_back_words=data.title_back_reference_words,
        role_heads=frozenset(knowledge().role_heads),
        title_links=word_set(data.title_links),
        negated_beliefs=PhraseLexicon([(f, "particle", f) for f in data.negated_beliefs]),
    )


def _title_words(extra: list[str]) -> frozenset[str]:
    """Words that may stand inside one speaker's titles: honorifics, ranks, role words."""
    kb = knowledge()
    words = {w for key in (*kb.honorifics, *kb.ranks, *kb.role_heads, *kb.role_nouns) for w in key.split()}
    words |= {match_key(w) for w in extra}
    return frozenset(words | {"ال" + w for w in words} | {"و" + w for w in words})


def no_comment_spans(s: Sentence) -> list[tuple[int, int]]:
    """Token ranges of "no comment"/"did not publish" phrases ("لم تعلق", "لم تصدر")."""
    return [(m.first, m.last) for m in _lexicons().non_claim.find(s.tokens)]


_PAUSES = ",،:;؛"
_DASHES = "-–—"


def _guard_ok(norm: str, s: Sentence, m: PhraseMatch[Cue], lex: _Lexicons) -> bool:
    """Whether a cue that is also another word ('بين', 'عبر', 'مشددة') reports here."""
    if m.payload.guard is None:
        return True
    g = lex.guards[m.payload.guard]
    toks = s.tokens
    follows = False
    for k in range(m.last + 1, min(len(toks), m.last + 1 + g.reach)):
        if toks[k].text in g.followers:
            follows = not g.objects or (k + 1 < len(toks) and toks[k + 1].text.startswith(g.objects))
            break
    follows = follows or (m.last + 1 < len(toks) and toks[m.last + 1].text in g.next_words)
    pause = m.first == 0 or any(ch in _PAUSES for ch in norm[toks[m.first - 1].end : toks[m.first].start])
    if g.opening:
        return follows and (pause or toks[m.first - 1].text in lex.guard_openers)
    # "مؤكداً – أيده الله – عمق": a parenthesis after the participle
    aside = m.last + 1 < len(toks) and any(
        ch in _DASHES for ch in norm[toks[m.last].end : toks[m.last + 1].start]
    )
    return pause or follows or aside


def _follower(s: Sentence, m: PhraseMatch[Cue], lex: _Lexicons, end_i: int) -> int | None:
    """Token index just before a guarded cue's follower (so that the content opens with it)."""
    g = lex.guards[m.payload.guard] if m.payload.guard is not None else None
    if g is None:
        return None
    k = next(
        (k for k in range(m.last + 1, min(end_i, m.last + 1 + g.reach)) if s.tokens[k].text in g.followers),
        None,
    )
    return k - 1 if k is not None and k - 1 > m.last else None


def _cue_matches(s: Sentence, lex: _Lexicons, norm: str) -> list[PhraseMatch[Cue]]:
    blocked: set[int] = set()
    for b in lex.non_claim.find(s.tokens):
        blocked.update(range(b.first, min(b.last + 6, len(s.tokens))))
    out: list[PhraseMatch[Cue]] = []
    for m in lex.cues.find(s.tokens):
        if m.first in blocked or s.in_quote(s.tokens[m.first].start) or not _guard_ok(norm, s, m, lex):
            continue
        if m.payload.kind == "impersonal" and m.first > 1:
            continue
        if out and out[-1].payload.kind == "according" and m.first - out[-1].last <= 2:
            continue
        if (
            m.payload.kind == "according"
            and out
            and out[-1].payload.kind == "verb"
            and m.first - out[-1].last <= 6
            and lex.inline_relay.match_at(s.tokens, m.first) is not None
        ):
            continue  # "أفادت وكالة تاس نقلاً عن مصدر": read by the verb's frame
        nxt = s.tokens[m.last + 1].text if m.last + 1 < len(s.tokens) else ""
        if nxt in lex.non_frame_followers:
            continue
        if m.payload.kind == "verb" and m.first > 0 and s.tokens[m.first - 1].text in lex.relative_openers:
            continue  # "بين ما أشار إليه X": what someone said, named as an object, states nothing
        if (
            m.payload.kind == "social"
            and m.first > 0
            and lex.channels.match_at(s.tokens, m.first - 1) is not None
        ):
            continue  # "في بيان نشر اليوم": the statement's relative clause, not a frame of its own
        if m.payload.kind == "relay" and not any(
            t.text == lex.relay_source for t in s.tokens[m.last + 1 : m.last + 10]
        ):
            continue
        out.append(m)
    return out


def _complementizer(
    s: Sentence, lo: int, hi: int, lex: _Lexicons, bounds: frozenset[int] = frozenset()
) -> int | None:
    """Token index of the first complementizer in tokens[lo:hi] that opens the content."""
    for i in range(lo, min(hi, lo + _MAX_SUBJECT_TOKENS)):
        if i in bounds:
            return None
        tok = s.tokens[i]
        if s.in_quote(tok.start):
            continue
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
    if i < len(s.tokens) and m.start == s.tokens[i].start and s.tokens[i].text in lex.assimilated_datives:
        return True  # "للإذاعة العامة": an outlet's span takes the whole word of "لـ" + "الـ"
    return any(s.tokens[j].text in lex.dative_heads for j in range(max(0, i - 2), i))


def _channel(s: Sentence, lo: int, hi: int, lex: _Lexicons) -> Channel | None:
    lo_i, hi_i = s.token_index(lo), s.token_index(hi)
    found = {m.payload for m in lex.channels.find(s.tokens, lo_i, hi_i)}
    return next((ch for ch in _CHANNEL_PRIORITY if ch in found), None)


class _Context(msgspec.Struct):
    """What frame building needs about the document, computed once."""

    doc: Document
    spans: list[MentionSpan]
    titles: list[tuple[int, int]]
    lex: _Lexicons
    frames: list[Frame]
    bounds: frozenset[int] = frozenset()

    def antecedent(self, sentence: int) -> Frame | None:
        """The latest frame of an unnamed source within a few sentences (what "المصدر" refers to)."""
        for f in reversed(self.frames):
            if sentence - f.sentence > ANTECEDENT_REACH:
                return None
            if f.unnamed:
                return f
        return None

    def latest(self, sentence: int) -> Frame | None:
        """The latest frame within a few sentences (what "البيان" or "المصدر" after "بحسب" refers to)."""
        f = self.frames[-1] if self.frames else None
        return f if f is not None and sentence - f.sentence <= ANTECEDENT_REACH else None

    def recent(self, sentence: int, named: bool = False) -> Frame | None:
        """The latest frame of this or the previous sentence (with a named speaker if asked)."""
        for f in reversed(self.frames):
            if sentence - f.sentence > 1:
                return None
            if not named or f.speaker is not None:
                return f
        return None


def find_frames(doc: Document) -> None:
    """The reporting stage: every reporting frame of the document in text order (``doc.frames``)
    and the reporting cues of each sentence (``doc.cues``)."""
    ctx = _Context(doc, doc.mention_spans, doc.title_spans, _lexicons(), [])
    all_cues = [_cue_matches(s, ctx.lex, doc.norm) for s in doc.sentences]
    doc.cues = [[CueSpan(c.first, c.last, c.payload.kind) for c in cues] for cues in all_cues]
    for si, s in enumerate(doc.sentences):
        cues = all_cues[si]
        kept = len(ctx.frames)
        # ", ووصفت ..." / ", بحسب ...": a cue after a comma closes the content before it, even
        # when it opens no frame of its own
        ctx.bounds = frozenset(
            c.first
            for c in ctx.lex.cues.find(s.tokens)
            if c.first > 0
            and "," in doc.norm[s.tokens[c.first - 1].end : s.tokens[c.first].start]
            and _guard_ok(doc.norm, s, c, ctx.lex)
        )
        headline = _colon_frame(ctx, s, si)
        if headline is not None:  # "الخارجية الروسية: لا صحة للأنباء عن ..."
            ctx.frames.append(headline)
            continue
        # a cue that opens no frame ("يُعتقد" with no speaker) must not cut its neighbour's content
        for _ in range(2):
            del ctx.frames[kept:]
            live: list[PhraseMatch[Cue]] = []
            region_start = s.start
            for ci, cue in enumerate(cues):
                region_end = s.tokens[cues[ci + 1].first].start if ci + 1 < len(cues) else s.end
                frame = _frame(ctx, s, si, cue, region_start, region_end)
                region_start = region_end
                if frame is not None:
                    ctx.frames.append(frame)
                    live.append(cue)
            if len(live) == len(cues):
                break
            cues = live
    agency = dateline_agency(doc)
    if agency is not None:
        for f in ctx.frames:
            if f.via is None and (f.speaker is None or not is_outlet(doc, f.speaker)):
                f.via = agency
    doc.frames = ctx.frames


OPENING_PARAGRAPHS = 1  # the dateline stands in the article's first (or second) paragraph


def dateline_agency(doc: Document) -> str | None:
    """The news agency of the article's dateline ("واس- القدس:", "واشنطن ... واس", "الرياض - واس"):
    the article passes on what the agency wrote, so the agency is the relay of every statement
    that names no other (the speaker's own words reached the outlet through it)."""
    agencies = _dateline_agencies()
    for seg in doc.segments:
        if seg.paragraph > OPENING_PARAGRAPHS:
            break
        if seg.kind not in ("dateline", "headline"):
            continue
        lo, hi = norm_pos(doc, seg.start), norm_pos(doc, seg.end)
        for m in mentions_between(doc.mention_spans, lo, hi):
            if not is_outlet(doc, m.entity) or match_key(doc.norm[m.start : m.end]) not in agencies:
                continue
            # in a headline, only an agency that closes the line ("واشنطن 15 شوال ... واس")
            if seg.kind == "dateline" or not doc.norm[m.end : hi].strip(" -:/)"):
                return m.entity
    return None


@cache
def _dateline_agencies() -> frozenset[str]:
    return frozenset(match_key(w) for w in datafiles.layout().dateline_agencies)


def _colon_frame(ctx: _Context, s: Sentence, si: int) -> Frame | None:
    """A statement written "Speaker: content", as headlines and breaking news do."""
    norm = ctx.doc.norm
    colon = norm.find(":", s.start, min(s.end, s.start + 80))
    if colon < 0 or s.in_quote(colon):
        return None
    if sum(norm.count(d, s.start, colon) for d in _DASHES) >= ctx.lex.byline_dashes:
        return None  # "فلان- سبق- الرياض:": a byline, no speaker
    np = _noun_phrase(ctx, s, s.start, colon)
    if not np or norm[np[-1].end : colon].strip(" )\"'") or norm[s.start : np[0].start].strip(" \"'"):
        return None
    speaker, via = _speaker_of(ctx, np, s)
    if speaker is None:
        return None
    start, end = _content(ctx.doc, s, colon + 1, s.end)
    if end - start < 3:
        return None
    stance: Stance = "denies" if _has_denial(s, start, end, ctx.lex) else "asserts"
    channel: Channel = "report" if is_outlet(ctx.doc, speaker) else "statement"
    return Frame(
        si, colon, colon + 1, "verb", stance, start, end, speaker, via, channel, None, confidence=0.7
    )


def _noun_phrase(ctx: _Context, s: Sentence, start: int, limit: int) -> list[MentionSpan]:
    """Mentions forming the noun phrase that starts at ``start``: names, the titles the actor
    stage recorded, appositions; without a recorded title, up to a few title-like words. Inside
    the phrase, title words ("رئيس ... الشيخ الدكتور") and a place's preposition ("بمنطقة
    الرياض") do not end it."""
    out: list[MentionSpan] = []
    pos = start
    norm = ctx.doc.norm
    for m in mentions_between(ctx.spans, start, limit):
        gap = norm[pos : m.start]
        if m.start > 0 and norm[m.start - 1] != " ":
            gap = gap.rsplit(" ", 1)[0] if " " in gap else ""
        if gap.strip(" ,-()\"'") and not any(ts <= pos + 1 and te >= m.start - 1 for ts, te in ctx.titles):
            words = gap.replace(",", " ").split()
            inner = out and (
                all(w in ctx.lex.title_gap for w in words) or (len(words) <= 2 and m.kind == "place")
            )
            if not inner and (
                out or len(words) > ctx.lex.np_max_gap or any(w in ctx.lex.np_breakers for w in words)
            ):
                break
        out.append(m)
        pos = max(pos, m.end)
    return out


def _relative_of(ctx: _Context, s: Sentence, m: MentionSpan) -> bool:
    """A person named after a kinship or representation noun ("شقيق X", "محامي X"): the relative
    speaks, not the person named."""
    i = s.token_index(m.start)
    while i > 0 and (_in_title(ctx, s.tokens[i - 1].start) or s.tokens[i - 1].text in ctx.lex.title_gap):
        i -= 1  # "شقيق الناشط X": past the title
    return i > 0 and s.tokens[i - 1].text in ctx.lex.relatives


def _demonym(ctx: _Context, m: MentionSpan) -> bool:
    """A country named by a nisba phrase ("مسؤولون أتراك", "وسائل إعلام تركية"), not by its name:
    officials or media of a country are not the country speaking."""
    if m.kind != "country":
        return False
    words = ctx.doc.norm[m.start : m.end].split()
    return bool(words) and match_key(words[-1]) in knowledge().demonyms


def _speaker_of(ctx: _Context, np: list[MentionSpan], s: Sentence) -> tuple[str | None, str | None]:
    """(speaker, via) from a subject noun phrase: a person first, else an organisation, else a
    country; an outlet is the relay too, and an addressee ("لوكالة X") is only the relay."""
    via: str | None = None
    people = [m for m in np if m.kind == "person" and not _relative_of(ctx, s, m)]
    orgs = [m for m in np if m.kind == "organization"]
    for m in orgs:
        if is_outlet(ctx.doc, m.entity) and (_is_dative(s, m, ctx.lex) or people or via is None):
            via = via or m.entity
    if people:
        return people[0].entity, via
    for m in orgs:
        if not _is_dative(s, m, ctx.lex):
            return m.entity, via
    countries = [m for m in np if m.kind == "country" and not _demonym(ctx, m)]
    return (countries[0].entity if countries else None), via


def _frame(
    ctx: _Context, s: Sentence, si: int, cue: PhraseMatch[Cue], region_start: int, region_end: int
) -> Frame | None:
    doc, lex = ctx.doc, ctx.lex
    kind = cue.payload.kind
    if kind == "according":
        return _according(ctx, s, si, cue, region_start, region_end)
    if kind == "verb" and region_start == s.start:
        trailing = _trailing_frame(ctx, s, si, cue, region_end)
        if trailing is not None:
            return trailing
    cue_start, cue_end = s.tokens[cue.first].start, s.tokens[cue.last].end
    end_i = s.token_index(region_end)
    nxt = cue.last + 1
    first_tok = s.tokens[nxt].text if nxt < end_i else ""
    stance: Stance = cue.payload.stance
    speaker: str | None = None
    via: str | None = None
    unnamed = False
    found = False
    parent: Frame | None = None
    content_end = region_end
    emit = True
    relayed = False
    comp = _complementizer(s, nxt, end_i, lex, ctx.bounds)
    if comp is None and cue.payload.guard is not None and kind == "verb":
        comp = _follower(s, cue, lex, end_i)  # "وعبر X عن قلقه من ...": the content opens at "عن"
    if kind == "impersonal":
        comp = _complementizer(s, nxt, min(end_i, nxt + 2), lex)
        content_start = s.tokens[comp].end if comp is not None else _skip_preps(s, nxt, end_i)
        found = True
    elif kind in ("participle", "continuation"):
        parent = ctx.recent(si, named=True) or ctx.recent(si)
        if kind == "participle" and (parent is None or parent.sentence != si):
            subject = _main_subject(ctx, s, cue)
            if subject is not None:
                parent = None
                speaker, found = subject, True
        if parent is not None:
            speaker, via, unnamed, found = parent.speaker, parent.via, parent.unnamed, True
        comp = _complementizer(s, nxt, min(end_i, nxt + 3) if kind == "participle" else end_i, lex)
        np = (
            _noun_phrase(ctx, s, s.tokens[nxt].start, region_end)
            if kind == "continuation" and nxt < end_i
            else []
        )
        if np:
            own, own_via = _speaker_of(ctx, np, s)
            if own is not None:
                speaker, via, found = own, own_via or via, True
            elif own_via is not None:
                via = own_via  # "وأضافت المصادر لرويترز إن": the same source, through the outlet it spoke to
        content_start = s.tokens[comp].end if comp is not None else _skip_preps(s, nxt, end_i)
    else:
        zone_end = s.tokens[comp].start if comp is not None else region_end
        np = _noun_phrase(ctx, s, s.tokens[nxt].start, zone_end) if nxt < end_i else []
        named = [m for m in np if not _demonym(ctx, m)]
        subject_end = max((m.end for m in np), default=cue_end)
        if kind == "relay":
            speaker, via, unnamed, found = _relay(ctx, s, cue, zone_end)
        elif (
            (first_tok in lex.unnamed or first_tok in lex.collective)
            and not (
                named
                and (
                    named[0].start <= s.tokens[nxt].start + 1
                    or (  # 'وكالة "تاس"' is named, "المصادر لوكالة الأنباء" is not
                        named[0].kind == "organization"
                        and named[0].start <= s.tokens[min(nxt + 1, end_i - 1)].end + 1
                        and not _is_dative(s, named[0], lex)
                    )
                )
            )
            and not _in_title(ctx, s.tokens[nxt].start)
        ):
            unnamed, found = first_tok in lex.unnamed, True
            subject_end = _unnamed_end(ctx, s, nxt, end_i) if unnamed else s.tokens[nxt].end
            if unnamed and first_tok.startswith(morphology().article):
                # "ولفت المصدر إلى أن", "وقال الشهود إن": the source quoted before, through the same relay
                earlier = ctx.antecedent(si)
                via = earlier.via if earlier is not None else None
        elif np:
            speaker, via = _speaker_of(ctx, np, s)
            found = speaker is not None or via is not None
            if speaker is not None and _title_complement(ctx, s, speaker, np):
                # "وأوضح رئيس ديوان المظالم ... الشيخ X": the body is the title's, X speaks; with no
                # name, the person the article named before with this role ("وقال قائد شرطة المنطقة")
                person = _titled_subject(ctx, s, cue, zone_end)
                holder = _title_antecedent(ctx, s, cue, nxt, zone_end) if person is None else None
                speaker = person.entity if person is not None else (holder or speaker)
            if speaker is None:
                speaker = via
                addressee_only = via is not None and all(_is_dative(s, m, lex) for m in np if m.entity == via)
                if addressee_only:
                    # "اتهم X ...، وقال لرويترز إن", "وقالت لرويترز": the outlet spoken to only relays
                    speaker = _inherited_speaker(ctx, s, si, cue)
                    found = True
        if not found and kind in ("verb", "call") and nxt < end_i:
            # "نفى مساعد وزير الداخلية لقطاع السجون اللواء X ما تردد": a long title the phrase reader
            # cannot follow; the first person after the verb that nothing governs is its subject
            person = _titled_subject(ctx, s, cue, zone_end)
            if person is not None:
                speaker, found = person.entity, True
                subject_end = max(subject_end, person.end)
            else:
                # "وأكد مدير عام جمرك المطار على ...": the director the article named before
                speaker = _title_antecedent(ctx, s, cue, nxt, zone_end)
                found = speaker is not None
        if not found and kind == "verb" and not cue.payload.weak and _coordinated(cue):
            subject = _shared_subject(ctx, s, si, cue)  # "رفض X الحكم، وقال في مؤتمر صحفي إن"
            if subject is not None:
                speaker, found = subject, True
        inline = next((m for m in lex.inline_relay.find(s.tokens, nxt, s.token_index(zone_end))), None)
        if inline is not None and kind == "verb":
            after = inline.last + 1
            via = speaker if speaker is not None and is_outlet(doc, speaker) else via
            rest = _noun_phrase(ctx, s, s.tokens[after].start, zone_end) if after < end_i else []
            unnamed = after < end_i and s.tokens[after].text in lex.unnamed
            speaker = None if unnamed or not rest else _speaker_of(ctx, rest, s)[0]
            found = relayed = True
            subject_end = max(subject_end, s.tokens[min(after, end_i - 1)].end)
        if not found and nxt < end_i and first_tok.startswith(morphology().article):
            # "وأوضحت الإمارة أن": the head noun of an institution the article named before
            # ("إمارة منطقة مكة المكرمة"); "الخلية" for "خلية الصقور"
            named_head = _named_head(ctx, s, nxt)
            if named_head is not None:
                speaker, found = named_head, True
                subject_end = s.tokens[nxt].end
        if not found and first_tok in lex.honorifics:
            # "وأكد سموه على ...": the prince or minister the sentence before names
            speaker = _honoured(ctx, s, si)
            found = speaker is not None
            subject_end = s.tokens[nxt].end
        if not found:
            speaker, via, unnamed, found = _look_back(ctx, s, si, cue, region_start, first_tok)
        if (
            not found
            and kind == "verb"
            and not cue.payload.weak
            and (_no_subject_follows(ctx, s, nxt, end_i) or comp == nxt)
        ):
            speaker = _previous_subject(ctx, si, cue)
            if speaker is None and cue.first == 0:
                # "وعبر عن استغرابه من ...": the content opens right after the verb, whose subject
                # is the speaker quoted just before
                recent = ctx.recent(si, named=True)
                speaker = recent.speaker if recent is not None and recent.sentence < si else None
            found = speaker is not None
            if found and via is None:
                via = _previous_relay(ctx, si, speaker)  # "وأدانت X ... في نبأ أوردته وكالة Y. وشددت على أن"
        if not found and cue.payload.weak:
            return None
        if kind == "call" and speaker is None:
            return None  # "وطالب المحتجون ...": a crowd's demand is an event, not a statement
        content_start = (
            s.tokens[comp].end
            if comp is not None
            else _skip_preps(s, _skip_channel(ctx, s, s.token_index(subject_end), end_i), end_i)
        )
        if via is None:
            via = _outlet_before(ctx, region_start, content_start, speaker)
        if kind == "social":
            quotes = [(qs, qe) for qs, qe in s.quotes if qs >= cue_end and qe <= region_end]
            if quotes:
                qs, qe = max(quotes, key=lambda q: q[1] - q[0])
                content_start, content_end = qs + 1, qe
            elif _channel(s, cue_start, region_end, lex) == "social_media":
                emit = False  # "نشر توضيحاً عبر حسابه": its participles carry the content
            else:
                return None  # "نشرت الولايات المتحدة حاملة طائرات" publishes nothing
    if kind == "verb" and comp is None and not s.in_quote(content_start):
        opened = _quote_opening(doc, s, content_start, content_end)
        if via is None and opened > content_start:
            # 'وقالت مصادر لـ "سبق": "..."': the outlet spoken to, named in quotes before the quotation
            via = next(
                (
                    m.entity
                    for m in mentions_between(ctx.spans, content_start, opened)
                    if is_outlet(doc, m.entity) and m.entity != speaker and _is_dative(s, m, lex)
                ),
                None,
            )
        content_start = opened
    closing = next(
        (s.tokens[b].start for b in sorted(ctx.bounds) if content_start < s.tokens[b].start < content_end),
        None,
    )
    if closing is not None:
        content_end = closing
    if kind in ("verb", "call", "relay", "continuation") and not s.in_quote(content_start):
        content_start = _skip_date(ctx, s, content_start)
    content_start, content_end = _content(doc, s, content_start, content_end)
    if content_end - content_start < 3:
        if kind != "social" and parent is None and kind not in ("verb", "call"):
            return None
        emit = False
    if _has_denial(s, content_start, content_end, lex) or (
        comp is not None and lex.negated_beliefs.find(s.tokens, nxt, comp)
    ):
        stance = "denies"  # "قائلا "لا نعتقد أن هناك رهائن"": the speaker says it is not so
    channel = (
        _channel(s, region_start, content_start, lex)
        or _dative_quote(s, cue_end, content_start, lex)
        or _channel(s, content_start, content_end, lex)
    )
    if channel is None:
        if parent is not None:
            channel = parent.channel
        elif kind == "social":
            channel = "social_media"
        elif via is not None and (speaker == via or (speaker is None and (kind == "relay" or relayed))):
            channel = "report"
        elif via is not None and kind != "relay":
            channel = "interview"  # a statement given to an outlet ("قال ... للجزيرة نت إن")
        else:
            channel = "statement"
    said = dates_between(doc, region_start, content_start) if kind != "participle" else []
    said_on = said[-1] if said else (parent.said_on if parent is not None else None)
    confidence = 0.8 if speaker is not None else (0.55 if unnamed else 0.45)
    alleges = any(t.text in lex.allegations for t in s.tokens[cue.first : cue.last + 1])
    return Frame(
        si,
        cue_start,
        cue_end,
        kind,
        stance,
        content_start,
        content_end,
        speaker,
        via,
        channel,
        said_on,
        unnamed=unnamed,
        emit=emit,
        confidence=confidence,
        alleges=alleges,
    )


def _outlet_before(ctx: _Context, lo: int, hi: int, speaker: str | None) -> str | None:
    """The first outlet other than the speaker named between the cue's region start and the content."""
    return next(
        (
            m.entity
            for m in mentions_between(ctx.spans, lo, hi)
            if is_outlet(ctx.doc, m.entity) and m.entity != speaker
        ),
        None,
    )


def _inherited_speaker(ctx: _Context, s: Sentence, si: int, cue: PhraseMatch[Cue]) -> str | None:
    """The speaker of a reporting verb with no subject of its own: the shared subject of a
    coordinated verb, the speaker just quoted, else the previous sentence's subject."""
    if _coordinated(cue):
        shared = _shared_subject(ctx, s, si, cue)
        if shared is not None:
            return shared
    recent = ctx.recent(si, named=True)
    if recent is not None:
        return recent.speaker
    return _previous_subject(ctx, si, cue)


def _previous_subject(ctx: _Context, si: int, cue: PhraseMatch[Cue]) -> str | None:
    """ "ونسب رئيس الوزراء X الهجوم إلى ... . وقال أمام الصحافيين «...»": a sentence that opens with
    a reporting verb and names no speaker continues the subject of the sentence before it (its
    first person, organisation or named country, near its start)."""
    if cue.first != 0 or si == 0:
        return None
    prev = ctx.doc.sentences[si - 1]
    reach = prev.tokens[min(len(prev.tokens) - 1, SUBJECT_REACH)].end
    for m in mentions_between(ctx.spans, prev.start, reach):
        if m.title_of is not None or m.kind not in _SPEAKER_KINDS or _demonym(ctx, m):
            continue
        if _is_dative(prev, m, ctx.lex) or _governed(prev, m, ctx.lex):
            continue
        return m.entity if not is_outlet(ctx.doc, m.entity) else None
    return None


SUBJECT_REACH = 6  # tokens from a sentence's start within which its subject is looked for


def _named_head(ctx: _Context, s: Sentence, i: int) -> str | None:
    """The organisation, mentioned earlier in the article, whose name starts with the word that a
    definite subject repeats ("الإمارة" for "إمارة منطقة مكة المكرمة"); the latest one if several."""
    head = s.tokens[i].text[len(morphology().article) :]
    if len(head) < 3:
        return None
    found: str | None = None
    for m in ctx.spans:
        if m.start >= s.tokens[i].start:
            break
        if m.kind != "organization" or m.title_of is not None:
            continue
        words = fold(ctx.doc.norm[m.start : m.end]).split()
        if words and words[0] == head and len(words) > 1:
            found = m.entity
    return found


def _honoured(ctx: _Context, s: Sentence, si: int) -> str | None:
    """The person an honorific pronoun after a reporting verb stands for ("وأكد سموه"): the speaker
    quoted just before when a person, else the first person of the sentence before that no
    preposition governs (an order or a visit, "وجه أمير المنطقة الأمير X بـ ...")."""
    recent = ctx.recent(si, named=True)
    if recent is not None and recent.speaker is not None:
        entity = ctx.doc.entities.get(recent.speaker)
        if entity is not None and entity.kind == "person":
            return recent.speaker
    if si == 0:
        return None
    prev = ctx.doc.sentences[si - 1]
    for m in mentions_between(ctx.spans, prev.start, prev.end):
        if m.kind != "person" or m.title_of is not None or _demonym(ctx, m):
            continue
        if _is_dative(prev, m, ctx.lex) or _governed(prev, m, ctx.lex):
            continue
        return m.entity
    return None


def _previous_relay(ctx: _Context, si: int, speaker: str | None) -> str | None:
    """The outlet the previous sentence names as its source, for a sentence that continues it."""
    prev = ctx.doc.sentences[si - 1]
    return next(
        (
            m.entity
            for m in mentions_between(ctx.spans, prev.start, prev.end)
            if m.entity != speaker and is_outlet(ctx.doc, m.entity)
        ),
        None,
    )


TITLE_REACH = 12  # tokens from a reporting verb to the name its titles lead to


def _titled_subject(ctx: _Context, s: Sentence, cue: PhraseMatch[Cue], zone_end: int) -> MentionSpan | None:
    """The first person after a reporting verb, within a title's reach, when no word between them
    is a preposition that would make the person an object ("خلال لقائه مع", "لوكالة")."""
    first = cue.last + 1
    last = min(s.token_index(zone_end), first + TITLE_REACH)
    if last <= first:
        return None
    for m in mentions_between(ctx.spans, s.tokens[first].start, s.tokens[last - 1].end):
        if m.kind != "person" or m.title_of is not None or s.in_quote(m.start):
            continue
        between = s.tokens[first : s.token_index(m.start)]
        if any(t.text in ctx.lex.object_preps or t.text in ctx.lex.dative_heads for t in between):
            return None
        return None if _is_dative(s, m, ctx.lex) or _relative_of(ctx, s, m) else m
    return None


TRAILING_SUBJECT_TOKENS = 12  # words of a postposed frame's subject ("كما أعلن وزير النقل اليمني X اليوم")


def _trailing_frame(
    ctx: _Context, s: Sentence, si: int, cue: PhraseMatch[Cue], region_end: int
) -> Frame | None:
    """ "...، كما أعلنت الشرطة المحلية.": a reporting verb after a comma and a trailing marker, with
    only its subject before the clause ends, reports the clause before the comma (read as a
    postposed "بحسب"); None when it reports forward ("كما أوضح أنه ...") or names no speaker."""
    lex, norm = ctx.lex, ctx.doc.norm
    marker = cue.first - 1
    if marker < 1 or s.tokens[marker].text not in lex.trailing_markers:
        return None
    if "," not in norm[s.tokens[marker - 1].end : s.tokens[marker].start]:
        return None
    end_i = s.token_index(region_end)
    stop = next(
        (i for i in range(cue.last + 1, end_i) if "," in norm[s.tokens[i - 1].end : s.tokens[i].start]),
        end_i,
    )
    tail = s.tokens[cue.last + 1 : stop]
    if not tail or len(tail) > TRAILING_SUBJECT_TOKENS:
        return None
    if any(t.text in lex.strong_comp or t.text in lex.openers or s.in_quote(t.start) for t in tail):
        return None
    after = s.tokens[stop].text if stop < end_i else ""
    if after in lex.strong_comp or after in lex.openers or after in lex.preposed_markers:
        return None  # "من الممكن، كما يتوقع X، أن ...": a parenthesis, the content goes on after it
    postposed = PhraseMatch(marker, cue.last, Cue("according", "asserts"), "", s.tokens[marker].text)
    return _according(ctx, s, si, postposed, s.start, tail[-1].end)


MIN_ROLE_WORDS = 2  # a single role word ("المتحدث") is an anaphor of the latest frame instead


def _title_antecedent(
    ctx: _Context, s: Sentence, cue: PhraseMatch[Cue], first: int, zone_end: int
) -> str | None:
    """The person named earlier in the article with the role that a nameless subject gives ("وأكد
    مدير عام جمرك المطار" after "محمد العقيل مدير عام جمرك المطار"): the role words must stand
    right after that person's name or lead to it as his title; the latest such person."""
    lex = ctx.lex
    stop = min(s.token_index(zone_end), first + lex.title_back_words)
    words: list[str] = []
    for t in s.tokens[first:stop]:
        if t.text in lex.np_breakers or t.text in lex.strong_comp or s.in_quote(t.start):
            break
        words.append(match_key(t.text))
    if len(words) < MIN_ROLE_WORDS or not (
        words[0] in lex.role_heads or " ".join(words[:2]) in lex.role_heads
    ):
        return None
    people = [
        m
        for m in ctx.spans
        if m.kind == "person" and m.title_of is None and m.end <= s.tokens[cue.first].start
    ]
    if not people:
        return None
    # "وزير الموارد المائية والري المصري" is not the Sudanese minister of the same ministry
    own = _demonyms_in(
        s, first, min(s.token_index(zone_end), first + ROLE_REACH), lex.np_breakers | lex.object_preps
    )
    found: str | None = None
    for prev in ctx.doc.sentences:
        if prev.start >= s.tokens[cue.first].start:
            break
        keys = [match_key(t.text) for t in prev.tokens]
        for i in range(len(keys) - len(words) + 1):
            if keys[i : i + len(words)] != words or prev.tokens[i].start >= s.tokens[cue.first].start:
                continue
            person = _role_holder(ctx, prev, i, len(words), people)
            if person is not None and own <= _demonyms_in(prev, i, min(len(prev.tokens), i + ROLE_REACH)):
                found = person
    return found


def _demonyms_in(s: Sentence, lo: int, hi: int, stops: frozenset[str] = frozenset()) -> set[str]:
    """The nisbas of countries among tokens[lo:hi] ("المصري", "السوداني"), up to a stop word."""
    demonyms = knowledge().demonyms
    out: set[str] = set()
    for t in s.tokens[lo:hi]:
        if t.text in stops:
            break
        key = match_key(t.text)
        if key in demonyms:
            out.add(key)
    return out


ROLE_REACH = 12  # tokens from a role's first word to the name it is the title of


def _role_holder(ctx: _Context, s: Sentence, i: int, size: int, people: list[MentionSpan]) -> str | None:
    """The person whose role starts at token ``i`` (its first ``size`` words matched): the name
    right before it (an apposition, "X مدير عام ..."), else a name after it that only the rest of
    the title leads to (names, title words, "في"), not a later name in the clause ("وأزجى أمير
    المنطقة الشكر لرئيس الهيئة الأمير X" names the emir's addressee)."""
    start = s.tokens[i].start
    before = [m for m in people if s.start <= m.end <= start and s.token_index(m.end - 1) >= i - 1]
    if before:
        return before[-1].entity
    limit = s.tokens[min(len(s.tokens) - 1, i + ROLE_REACH)].end
    after = next((m for m in people if start <= m.start < limit), None)
    if after is None:
        return None
    names = mentions_between(ctx.spans, start, after.start)
    for t in s.tokens[i + size : s.token_index(after.start)]:
        if not (
            t.text in ctx.lex.title_gap
            or t.text in ctx.lex.title_links
            or _in_title(ctx, t.start)
            or any(m.start < t.end and t.start < m.end for m in names)
        ):
            return None
    return after.entity


def _title_complement(ctx: _Context, s: Sentence, entity: str, np: list[MentionSpan]) -> bool:
    """Whether an organisation in the subject phrase follows a role word ("رئيس ديوان المظالم")."""
    m = next((m for m in np if m.entity == entity), None)
    if m is None or m.kind != "organization":
        return False
    i = s.token_index(m.start)
    return i > 0 and s.tokens[i - 1].text in ctx.lex.title_gap


def _no_subject_follows(ctx: _Context, s: Sentence, nxt: int, end_i: int) -> bool:
    """Whether a reporting verb is followed directly by its content, a quotation, a channel or a
    preposition, not by a subject the actor stage did not recognise."""
    if nxt >= end_i:
        return True
    tok = s.tokens[nxt]
    return (
        tok.text in ctx.lex.strong_comp
        or tok.text in ctx.lex.np_breakers
        or tok.text in ctx.lex.object_preps
        or tok.text in ctx.lex.openers
        or s.in_quote(tok.start + 1)
        or ctx.lex.channels.match_at(s.tokens, nxt) is not None
    )


def _governed(s: Sentence, m: MentionSpan, lex: _Lexicons) -> bool:
    """Whether a preposition governs a mention (then it is no subject)."""
    i = s.token_index(m.start)
    if i < len(s.tokens) and m.start > s.tokens[i].start:
        return s.tokens[i].text[: m.start - s.tokens[i].start] in ("ب", "ل", "وب", "ول", "لل", "بال")
    return i > 0 and s.tokens[i - 1].text in lex.np_breakers


def _coordinated(cue: PhraseMatch[Cue]) -> bool:
    """A reporting verb joined by و inside a sentence shares the subject of the verb before it."""
    return cue.first > 0 and cue.prefix[:1] == "و"


def _shared_subject(ctx: _Context, s: Sentence, si: int, cue: PhraseMatch[Cue]) -> str | None:
    """The subject a coordinated reporting verb shares: the speaker of a statement earlier in the
    sentence ("نفت X ذلك، وقالت إن"), else the sentence's first person or organisation."""
    earlier = ctx.recent(si, named=True)
    if earlier is not None and earlier.sentence == si:
        return earlier.speaker
    return _main_subject(ctx, s, cue)


def _main_subject(ctx: _Context, s: Sentence, cue: PhraseMatch[Cue]) -> str | None:
    """The first person or organisation of the sentence before a participle: the subject of the
    main verb it attaches to ("اتهم X إسرائيل ...، مطالباً ...")."""
    before = [
        m
        for m in mentions_between(ctx.spans, s.start, s.tokens[cue.first].start)
        if m.kind in ("person", "organization") and m.title_of is None and not _is_dative(s, m, ctx.lex)
    ]
    return before[0].entity if before else None


def _dative_quote(s: Sentence, lo: int, hi: int, lex: _Lexicons) -> Channel | None:
    """'قال ... لـ"العربي الجديد" إن': a statement given to a named outlet is an interview."""
    for i in range(s.token_index(lo), s.token_index(hi)):
        if s.tokens[i].text in lex.dative_heads and any(
            qs < s.tokens[i].end + 3 and qs >= s.tokens[i].end for qs, _ in s.quotes
        ):
            return "interview"
    return None


def _skip_date(ctx: _Context, s: Sentence, start: int) -> int:
    """Content does not open with the date of the statement ("أعلن التحالف، اليوم الأحد، اعتراض")."""
    norm = ctx.doc.norm
    pos = start
    while pos < len(norm) and norm[pos] in " ,":
        pos += 1
    for d in ctx.doc.dates:
        d_start = norm_pos(ctx.doc, d.start)
        if d_start == pos:
            return norm_pos(ctx.doc, d.end)
    return start


def _in_title(ctx: _Context, pos: int) -> bool:
    """Whether a position lies in a title the actor stage recorded for a named actor."""
    return any(ts <= pos < te for ts, te in ctx.titles)


def _unnamed_end(ctx: _Context, s: Sentence, i: int, end_i: int) -> int:
    """End of an unnamed-source phrase: the source word and up to three adjectives after it
    ("مسؤول إسرائيلي", "مصادر دبلوماسية غربية")."""
    end = s.tokens[i].end
    for j in range(i + 1, min(end_i, i + 4)):
        tok = s.tokens[j]
        if (
            "," in ctx.doc.norm[s.tokens[j - 1].end : tok.start]
            or len(tok.text) < 4
            or not tok.text.endswith(ctx.lex.nisba_endings)
        ):
            break
        end = tok.end
    return end


def _relay(
    ctx: _Context, s: Sentence, cue: PhraseMatch[Cue], zone_end: int
) -> tuple[str | None, str | None, bool, bool]:
    """ "نقلت وكالة X عن Y أن": X relays, Y (or unnamed sources) speaks."""
    lex = ctx.lex
    an_i = next(i for i in range(cue.last + 1, len(s.tokens)) if s.tokens[i].text == lex.relay_source)
    outlets = [
        m
        for m in mentions_between(ctx.spans, s.tokens[cue.last].end, s.tokens[an_i].start)
        if is_outlet(ctx.doc, m.entity)
    ]
    via = outlets[0].entity if outlets else None
    if an_i + 1 < len(s.tokens) and s.tokens[an_i + 1].text in lex.unnamed:
        return None, via, True, True
    np = _noun_phrase(ctx, s, s.tokens[an_i].end + 1, zone_end) if an_i + 1 < len(s.tokens) else []
    speaker, _ = _speaker_of(ctx, np, s) if np else (None, None)
    return speaker, via, False, via is not None or speaker is not None


def _look_back(
    ctx: _Context, s: Sentence, si: int, cue: PhraseMatch[Cue], region_start: int, first_tok: str
) -> tuple[str | None, str | None, bool, bool]:
    """Speaker before the cue (SVO, "وكان الوزير ... قد أعلن"), or by anaphora / inheritance."""
    lex = ctx.lex
    cue_start = s.tokens[cue.first].start
    before = [
        m
        for m in mentions_between(ctx.spans, region_start, cue_start)
        if m.kind in ("person", "organization")
    ]
    if before:
        m = before[-1]
        gap = [t.text for t in s.tokens[s.token_index(m.end) : cue.first]]
        if all(w in lex.svo_gap for w in gap):
            return m.entity, None, False, True
    preceding = [t.text for t in s.tokens[max(0, cue.first - 3) : cue.first]]
    if any(w in lex.unnamed for w in preceding):
        return None, None, True, True  # "غير أن مصدراً دبلوماسياً أكد أن ..."
    nxt = cue.last + 1
    opens_content = first_tok in lex.strong_comp or (nxt < len(s.tokens) and s.in_quote(s.tokens[nxt].start))
    # a weak cue in the perfect ("ذكرت", "أشار") reports only when what follows is the content
    # itself: "وذكرت أن", "وأشار إلى أن"; the imperfect "ويذكر أن" is the outlet's aside
    direct = cue.core[:1] not in IMPERFECT_PREFIXES and (
        first_tok in lex.strong_comp
        or (
            first_tok in lex.openers and nxt + 1 < len(s.tokens) and s.tokens[nxt + 1].text in lex.strong_comp
        )
    )
    recent = ctx.recent(si)
    if recent is not None and (
        first_tok in lex.anaphors or (opens_content and not cue.payload.weak) or (cue.payload.weak and direct)
    ):
        return recent.speaker, recent.via, recent.unnamed, True
    return None, None, False, False


IMPERFECT_PREFIXES = ("ي", "ت")


def _skip_channel(ctx: _Context, s: Sentence, i: int, end_i: int) -> int:
    """Token index after a channel phrase and its outlet ("في تصريح لوكالة الأنباء العراقية")."""
    m = ctx.lex.channels.match_at(s.tokens, i) if i < end_i else None
    if m is None:
        return i
    j = m.last + 1
    if j < end_i and s.tokens[j].text in ctx.lex.dative_heads:
        j += 1
    quote = next(((qs, qe) for qs, qe in s.quotes if j < end_i and qs < s.tokens[j].start < qe), None)
    if quote is not None:  # 'لصحيفة "يديعوت أحرونوت"'
        return s.token_index(quote[1])
    for mention in mentions_between(
        ctx.spans, s.tokens[m.first].start, s.tokens[end_i - 1].end if end_i else s.end
    ):
        k = s.token_index(mention.start)
        if k > j + 1:
            break
        j = max(j, s.token_index(mention.end - 1) + 1)
    return min(j, end_i)


def _skip_preps(s: Sentence, i: int, end_i: int) -> int:
    openers = _lexicons().openers
    while i < end_i and s.tokens[i].text in openers:
        i += 1
    return s.tokens[i].start if i < end_i else (s.tokens[end_i - 1].end if end_i else s.end)


QUOTE_REACH = 8  # words between a verb's subject and the quotation it introduces
QUOTE_MIN_CHARS = 25  # a shorter quotation is a word quoted inside the content ("الهجوم «جبان»")


def _quote_opening(doc: Document, s: Sentence, start: int, end: int) -> int:
    """ "وقال أدهم باشو وهو سياسي محلي لرويترز عبر الهاتف «...»": with no complementizer, a quotation
    that opens a few words after the subject is what was said, and the words before it describe
    the speaker or the occasion; the content starts at the quotation."""
    q = doc.norm.find('"', start, end)
    closing = next((qe for qs, qe in s.quotes if qs == q), None)
    if closing is not None and _outlet_quoted(doc, s, q, closing):
        # 'وقالت مصادر لـ "سبق": "..."': the outlet's quoted name is the addressee, not the content
        q = doc.norm.find('"', closing + 1, end)
        closing = next((qe for qs, qe in s.quotes if qs == q), None)
    if q <= start or s.token_index(q) - s.token_index(start) > QUOTE_REACH or doc.norm[q - 1] not in " :":
        return start  # 'لـ«مواقعنا»': a quotation glued to a preposition is part of the content
    if closing is not None and closing - q < QUOTE_MIN_CHARS:
        return start
    return q


def _outlet_quoted(doc: Document, s: Sentence, q: int, closing: int) -> bool:
    """Whether the quotation at ``q`` is an outlet's name after a dative ('لـ "سبق"', 'لصحيفة "عكاظ"')."""
    if closing - q >= QUOTE_MIN_CHARS or doc.norm[closing + 1 : closing + 3].strip(" ") not in ("", ":"):
        return False
    i = s.token_index(q)
    lex = _lexicons()
    before = s.tokens[i - 1].text if i > 0 else ""
    return before in lex.dative_heads or before in lex.dative_prefixes


def _content(doc: Document, s: Sentence, start: int, end: int) -> tuple[int, int]:
    """Trimmed content range; a quotation that fills the content is unwrapped."""
    start, end = trim(doc.norm, start, end)
    if start > 0 and doc.norm[start - 1] == '"' and any(qs == start - 1 for qs, _ in s.quotes):
        start -= 1
    if start < end and doc.norm[start] == '"':
        closing = next((qe for qs, qe in s.quotes if qs == start), None)
        if closing is not None and closing <= end and not doc.norm[closing + 1 : end].strip(" .,;"):
            return trim(doc.norm, start + 1, closing)
        if closing is None or closing > end:
            start += 1
    lex = _lexicons()
    stop = next(
        (
            m
            for m in lex.content_stops.find(s.tokens, s.token_index(start), s.token_index(end))
            if s.tokens[m.first].start > start
        ),
        None,
    )
    if stop is not None:
        start, end = trim(doc.norm, start, s.tokens[stop.first].start)
    words = doc.norm[start:end].rsplit(" ", 1)
    if len(words) == 2 and words[1] in lex.trailing:
        end = start + len(words[0])
    return trim(doc.norm, start, end)


def _has_denial(s: Sentence, start: int, end: int, lex: _Lexicons) -> bool:
    """Whether a content span denies: a denial phrase anywhere ("عارية عن الصحة"), or a negated
    happening or existence as its main clause ("إنه لم يكن هناك أطفال في الحافلة")."""
    lo, hi = s.token_index(start), s.token_index(end)
    if lex.denial.find(s.tokens, lo, hi):
        return True
    for i in range(lo, min(hi, lo + DENIAL_OPENER_REACH)):
        if lex.denial_openers.match_at(s.tokens, i) is not None or lex.negated_beliefs.match_at(s.tokens, i):
            return True
    return False


DENIAL_OPENER_REACH = 2  # "إنه لم يكن هناك": the pronoun may stand before the denial


def _according(
    ctx: _Context, s: Sentence, si: int, cue: PhraseMatch[Cue], region_start: int, region_end: int
) -> Frame | None:
    """ "وفقاً لـ X، ..." / "بحسب X، فإن ..." (preposed) or "...، بحسب X" (postposed)."""
    doc, lex = ctx.doc, ctx.lex
    cue_start, cue_end = s.tokens[cue.first].start, s.tokens[cue.last].end
    end_i = s.token_index(region_end)
    preposed = cue.first <= 1 or doc.norm[region_start:cue_start].strip(" ,") == ""
    if preposed:
        stop = next(
            (
                i
                for i in range(cue.last + 1, end_i)
                if s.tokens[i].text in lex.preposed_markers
                or "," in doc.norm[s.tokens[i - 1].end : s.tokens[i].start]
            ),
            end_i,
        )
        zone_end = s.tokens[stop].start if stop < end_i else region_end
        marker = stop < end_i and s.tokens[stop].text in lex.preposed_markers
        content = (s.tokens[stop].end if marker else zone_end, region_end)
    else:
        zone_end = region_end
        content = (region_start, cue_start)
    first = cue.last + 1
    clause = lex.relay_clause.match_at(s.tokens, first) if first < end_i else None
    if clause is not None:  # "بحسب ما أوردته وكالة ..."
        first = clause.last + 1
    zone = [m for m in mentions_between(ctx.spans, cue_end, zone_end) if m.kind in _SPEAKER_KINDS]
    first_words = s.tokens[first : min(first + 2, end_i)]
    unnamed = any(
        t.text in lex.unnamed and not any(t.start <= m.start <= t.end + 1 for m in zone) for t in first_words
    )
    speaker: str | None = None
    via: str | None = None
    if not unnamed and zone:
        speaker, via = _speaker_of(ctx, zone, s)
        speaker = speaker or via
    lead = s.tokens[first].text if first < end_i else ""
    if speaker is None and (lead in lex.anaphors or unnamed) and lead.startswith(morphology().article):
        # "وحسب البيان، ..." / "وبحسب المصدر فإنه ...": the statement or source quoted just before
        earlier = ctx.latest(si)
        if earlier is not None and (earlier.unnamed or not unnamed):
            speaker, via, unnamed = earlier.speaker, earlier.via, earlier.unnamed
    host = ctx.frames[-1] if ctx.frames else None
    agency = next((m for m in zone if is_outlet(doc, m.entity)), None)
    if (
        preposed
        and cue.first > 1
        and agency is not None
        and speaker == agency.entity
        and host is not None
        and host.sentence == si
        and not host.emit
        and host.cue_start < cue_start
    ):
        # "وشدد السفير X، وفقاً لما نقلته وكالة Y، على ضرورة ...": the clause stands between a
        # speaker and his content, and the agency only relays him; without a comma after the
        # agency's name, the content starts right after it
        speaker, via, unnamed = host.speaker, speaker, host.unnamed
        content = (agency.end, region_end)
    if speaker is None and not unnamed:
        return None
    start, end = _content(doc, s, *content)
    if end - start < 3:
        return None
    channel = _channel(s, cue_start, zone_end, lex) or (
        "report" if speaker is not None and speaker == via else "statement"
    )
    stance: Stance = "denies" if _has_denial(s, start, end, lex) else "asserts"
    said = dates_between(doc, cue_end, zone_end)
    return Frame(
        si,
        cue_start,
        cue_end,
        "according",
        stance,
        start,
        end,
        speaker,
        via,
        channel,
        said[-1] if said else None,
        unnamed=unnamed,
        confidence=0.75 if speaker is not None else 0.5,
    )
