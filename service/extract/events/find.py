"""Event detection from a surface-form trigger lexicon (``data/event_types.json``).

For every trigger the clause around it is delimited (previous trigger, reporting frame, clause
stops such as "بهدف" or "حيث", the next trigger) and read for actors, place, date and status
(``event_roles`` reads the roles and the place):

* roles follow the trigger's role frame and the direction of its CAMEO code: source = the
  actor doing what the code says (the visitor of a visit 042, the host of a hosted visit 043,
  the giver, the accuser), target = the other side, participant when there is no direction;
  weapons are ``mentioned``. "زار X موسكو": X source (visit); "استقبل X وفداً برئاسة Y": X
  source, Y target (host) - the same meeting seen from the host, as the merge stage's
  visit/host inverse pair and the summaries expect.
* date: the date expression of the clause (after the trigger first), not the date a statement
  was made; location: a place governed by a locative preposition, the object of a visit, or the
  subject of "شهدت"/"عقدت".
* status: occurred unless the clause carries planned cues ("مرتقبة", "المقرر", future verbs,
  "أعلن عن زيارة"), speculative cues ("تكهنات", "المحتملة", "تدرس"), sits inside an expectation
  frame, has a resolved date after publication, or is denied: inside a denial, or an unconfirmed
  report of a kind of event the article reports denied. Hypothetical clauses ("في حال نشر
  المنظومة") report no event.
* relay: ``via`` is the outlet whose report the clause is ("قالت وكالة سانا إن", "نقلت رويترز عن").
* noise control: negated or anaphoric triggers ("هذه الزيارة") are skipped, as are reports
  without any actor, place or date, definite nouns naming no person, place or date, and noun
  reports of talks/agreements that name only countries; same-kind triggers of one sentence merge
  ("زار ... والتقى ..."); an event reported during another ("خلال اجتماع") or elaborated in the
  next sentence takes its place/date; a later report of an event already listed (same kind, no
  new participant, place or date) is not repeated (claims still link to it).
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import msgspec

from service.extract import datafiles
from service.extract.claims import reporting
from service.extract.document import (
    Document,
    Entity,
    EventActor,
    EventMention,
    EventRole,
    EventStatus,
    MentionSpan,
    ReportingFrame,
    Sentence,
)
from service.extract.events.casualties import number_at, read_casualties
from service.extract.events.lexicon import (
    ACTOR_KINDS,
    EventLexicon,
    TriggerEntry,
    event_lexicon,
    folded,
    ta_marbuta,
)
from service.extract.events.roles import read_roles
from service.extract.text.clauses import (
    PhraseMatch,
    dates_between,
    is_outlet,
    mentions_between,
    morphology,
    trim,
    verbatim_span,
)
from service.text import fold

REACH_TOKENS = 3  # the object a verb needs ("وقّع ... اتفاقية") follows within a few tokens, or after an aside
_STATUS_RANK: dict[EventStatus, int] = {"occurred": 0, "planned": 1, "speculative": 2, "denied": 3}
# What a reported event's status becomes under the stance of the statement that reports it.
_STANCE_STATUS: dict[str, EventStatus] = {
    "denies": "denied",
    "expects": "planned",
    "speculates": "speculative",
}


class _Draft(msgspec.Struct):
    """An event being read: its trigger, clause window [lo, hi) in norm and what it says."""

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
    self_report: bool = False  # the speaker reports an event they take part in
    said_on: int | None = None  # the date of the statement that reports it
    definite: bool = False  # a definite noun ("التفجير"), which may refer back to an event told before
    referring: bool = False  # a definite noun or one with a pronoun ("اللقاء", "وصوله"): names an event told
    pronoun: bool = False  # a noun with a pronoun ("وصوله"): names the event of the person just told
    killed: int | None = None
    wounded: int | None = None
    patient: bool = False  # the clause names who the act was done to ("اعتقال بعضهم")
    within: bool = False  # a meeting told inside a visit ("يلتقي خلالها"): not a repeat of the visit


def find_events(doc: Document) -> None:
    """Fill ``doc.events`` with the event mentions of the article, in text order."""
    lex = event_lexicon()
    spans = doc.mention_spans
    frames = doc.frames
    shifts = _topic_shifts(doc, lex)
    drafts: list[_Draft] = []
    retold: list[tuple[int, _Draft]] = []  # retellings and tolls of an act told before: (trigger, that act)
    for si, s in enumerate(doc.sentences):
        s_frames = [f for f in frames if f.sentence == si]
        inside = mentions_between(spans, s.start, s.end)
        muted = min((last for _, last in reporting.no_comment_spans(s)), default=len(s.tokens))
        cue_spans = [
            (s.tokens[c.first].start, s.tokens[c.last].end)
            for c in doc.cues[si]
            if c.kind != "social" or any(f.cue_start == s.tokens[c.first].start for f in s_frames)
        ]
        found = lex.triggers.find(s.tokens)
        words_of = _WordsOf(s)  # the sentence's bare word forms, built once if a trigger needs them
        agents = (
            {i for m in lex.agent_cues.find(s.tokens) for i in range(m.first, m.last + 1)} if found else set()
        )
        hits = [
            h
            for h in found
            if _admissible(s, h, lex)
            and not (h.first in agents and h.first > 0)  # "هجوم تم نسبه إلى": the agent of the act before
            and not _in_mention(s.tokens[h.first].start, s.tokens[h.last].end, inside)
            and not _verbatim_noun(doc, s, h)
            and (h.payload.statement or not any(a <= s.tokens[h.first].start < b for a, b in cue_spans))
            # "تفجير وقع الثلاثاء": a form whose needs nothing in the sentence meets ("وقع" signs
            # only an agreement) is no trigger here, and must not end the clause of the one before
            and _needs_met(doc, s, h, s.start, s.end, spans, lex, words_of)
            and not _characterising(s, h, lex)
        ]
        objects = _objects_of_verbs(doc, s, hits, lex)
        sentence_drafts: list[_Draft] = []
        status_cues = lex.speculative.find(s.tokens) + lex.planned.find(s.tokens) if hits else []
        for k, hit in enumerate(hits):
            if hit.first > muted:
                continue
            # the verb's window runs on over its participant object ("اعتقلت الشرطة عشرات المحتجين في X")
            nxt = next((h for j, h in enumerate(hits[k + 1 :], k + 1) if j not in objects), None)
            prev = hits[k - 1] if k else None
            draft = _draft(doc, s, si, hit, prev, nxt, s_frames, cue_spans, status_cues, lex)
            if (
                draft is not None
                and sentence_drafts
                and any(t.text in lex.linking for t in s.tokens[sentence_drafts[-1].last + 1 : hit.first])
            ):
                if not _has_arguments(draft):
                    draft.date = sentence_drafts[-1].date
                draft.location = draft.location or sentence_drafts[-1].location
            if draft is not None and draft.collective:
                # "وقّع الجانبان": the parties of the event just reported; the same kind of event
                # ("وبحث الجانبان") is that event again, not a new one
                earlier = next((d for d in reversed(drafts + sentence_drafts) if len(d.actors) >= 2), None)
                if earlier is not None and _group(earlier, lex) != _group(draft, lex):
                    draft.actors = {e: "participant" for e, r in earlier.actors.items() if r != "mentioned"}
            if draft is not None and sentence_drafts:
                _share_coordinated_subject(draft, hit, sentence_drafts, lex)
                if k in objects and sentence_drafts[-1].first == hits[k - 1].first:
                    _share_time_with_verb(draft, sentence_drafts[-1])
            if draft is not None:
                after_comma = (
                    hit.first > 0 and "," in doc.norm[s.tokens[hit.first - 1].end : s.tokens[hit.first].start]
                )
                _speaker_as_subject(draft, hit, s_frames, after_comma)
                if sentence_drafts:
                    _accused_as_agent(draft, hit, sentence_drafts[-1], lex)
            if draft is not None and _accidental(doc, s, draft, words_of, lex):
                draft = None
            if draft is not None:
                told = _retelling(s, hit, hits, draft, drafts + sentence_drafts, lex)
                if told is not None:
                    retold.append((draft.trigger_lo, told))
                    draft = None
            if draft is not None and sentence_drafts and _cause_of_toll(s, hit, sentence_drafts[-1], lex):
                _fold_cause(doc, sentence_drafts[-1], draft, lex)  # "قتل 5 ... أمس في سقوط قذيفة"
            elif (
                draft is not None and _has_arguments(draft) and not _bare_reference(draft, hit, doc.entities)
            ):
                sentence_drafts.append(draft)
        _relief_arrivals(s, sentence_drafts, lex)
        sentence_drafts = _drop_carriers(_drop_purposes(sentence_drafts, lex))
        _during(s, sentence_drafts, lex)
        _object_of_repression(sentence_drafts, lex)
        old = frozenset(id(d) for d in sentence_drafts if _background(doc, d, lex))
        merged = _merge_sentence(sentence_drafts, lex, _backdrop_end(s, lex), old, s)
        _count_casualties(s, merged, lex)
        _operation_place(doc, s, merged, lex)
        for d in [d for d in merged if d in merged]:
            toll_of = _toll_of_earlier(doc, s, d, merged, drafts, lex, shifts, hits)
            if toll_of is not None:
                _add_toll(toll_of, d)
                retold.append((d.trigger_lo, toll_of))
                merged.remove(d)
        drafts += merged

    _elaborate(drafts, lex, doc.entities, shifts)
    _fold_references(doc, drafts, lex, shifts)
    _date_from_later(doc, drafts, lex, shifts)
    _date_fronted_in_content(doc, drafts, frames)
    _date_from_setting(doc, drafts)
    _date_from_next_statement(doc, drafts, frames, shifts)
    _date_from_visit(doc, drafts, lex)
    _date_from_protest(doc, drafts, lex, shifts)
    _date_of_coordinates(doc, drafts, lex)
    _date_from_happened_on(doc, drafts, lex, shifts)
    drafts = [
        d
        for d in drafts
        if d.entry.pos != "noun"
        or d.entry.type not in lex.need_specifics
        or d.mode in lex.specific_modes
        or _specific(d, doc.entities)
    ]
    _apply_denials(doc, drafts, frames, lex)
    kept, aliases = _dedupe(doc, drafts, lex)
    aliases += retold
    for d in kept:
        if d.date is None and d.status == "occurred" and d.said_on is not None:
            d.date = d.said_on  # "قالت الوزارة أمس الاثنين إن انفجاراً ...": reported the day it happened
    _date_from_lead(doc, kept)
    doc.events = [_mention(doc, d, lex) for d in kept]
    index = {id(d): i for i, d in enumerate(kept)}
    # the claim stage links a statement to the event a dropped repeat reported
    for t, d in aliases:
        if id(d) in index:
            doc.events[index[id(d)]].repeats.append(doc.offsets[t])


def _characterising(s: Sentence, hit: PhraseMatch[TriggerEntry], lex: EventLexicon) -> bool:
    """A verb in the imperfect right after a relative pronoun says what someone or something
    habitually does or is for, not an act of the news: "المشروعات التي تستهدف المحتاجين", "أكراد
    تركيا الذين يتهمون الحكومة", "المعرض الذي تستضيفه محافظة جدة", "النظام الذي يقتل شعبه". A
    form in ت or ن is taken as imperfect only when the entry also lists its ي form ("تستهدف"/
    "يستهدف"): pasts start with them too ("الذي توعد بسحق التمرد", "الذي نفذ الهجوم", "الذي نسب")."""
    if hit.payload.pos != "verb" or hit.first < 1 or hit.prefix:
        return False
    if s.tokens[hit.first - 1].text not in lex.words.get("relative_pronouns", frozenset()):
        return False
    word = hit.core
    if word.startswith("ي"):
        return True
    return word.startswith(("ت", "ن")) and "ي" + word[1:] in folded(tuple(hit.payload.forms))


def _objects_of_verbs(
    doc: Document, s: Sentence, hits: list[PhraseMatch[TriggerEntry]], lex: EventLexicon
) -> set[int]:
    """Indexes of participant nouns ("عشرات المحتجين") right in the clause of another kind of event's
    verb ("واعتقلت الشرطة عشرات المحتجين في القاهرة"): that verb's object, so they must not end its
    window (they still report their own event: the protest the arrests ended)."""
    objects: set[int] = set()
    for k in range(1, len(hits)):
        verb, hit = hits[k - 1], hits[k]
        if (
            hit.payload.participants
            and verb.payload.pos == "verb"
            and verb.payload.type != hit.payload.type
            and "," not in doc.norm[s.tokens[verb.last].end : s.tokens[hit.first].start]
            and not any(t.text in lex.linking for t in s.tokens[verb.last + 1 : hit.first])
        ):
            objects.add(k)
    return objects


def _share_coordinated_subject(
    d: _Draft, hit: PhraseMatch[TriggerEntry], earlier: list[_Draft], lex: EventLexicon
) -> None:
    """ "منعت قوات الأمن ... واعتقلت عدداً منهم": a verb joined by و with no argument of its own
    shares the subject, date and place of the event reported just before it; one with objects but
    no subject of its own ("ويزور مدينة أوساكا غداً") shares the subject only."""
    conjunctions = morphology().conjunctions
    if hit.payload.pos != "verb" or not hit.prefix or hit.prefix[0] not in conjunctions:
        return
    if not _has_arguments(d):
        prev = earlier[-1]
        d.actors = {e: r for e, r in prev.actors.items() if r == "source"}
        d.date = prev.date
        d.location = prev.location
        return
    if any(r == "source" for r in d.actors.values()):
        return
    subject = next((p for p in reversed(earlier) if any(r == "source" for r in p.actors.values())), None)
    if subject is not None:
        d.actors = {**{e: r for e, r in subject.actors.items() if r == "source"}, **d.actors}


def _share_time_with_verb(d: _Draft, verb: _Draft) -> None:
    """ "فرقت الشرطة مساء الجمعة في اسطنبول مئات المتظاهرين": the participants the verb acts on were
    doing their own act then and there; it takes the verb's date and place when it states none."""
    if d.date is None:
        d.date = verb.date
    d.location = d.location or verb.location


def _speaker_as_subject(
    d: _Draft, hit: PhraseMatch[TriggerEntry], s_frames: list[ReportingFrame], after_comma: bool = False
) -> None:
    """ "نفى X أن ...، واتهم الحكومة بـ": a verb joined by و after a statement, with no subject of
    its own, is the speaker's next act; so is a statement verb after a comma ("، مطالباً الرئيس
    بالتنحي")."""
    conjunctions = morphology().conjunctions
    joined = bool(hit.prefix) and hit.prefix[0] in conjunctions
    if (
        hit.payload.pos != "verb"
        or hit.first == 0
        or not (joined or (after_comma and hit.payload.statement))
        or any(r == "source" for r in d.actors.values())
    ):
        return
    before = [f for f in s_frames if f.content_end <= d.trigger_lo and f.speaker is not None]
    speaker = before[-1].speaker if before else None
    if speaker is not None and speaker not in d.actors:
        d.actors = {speaker: "source", **d.actors}


def _accused_as_agent(d: _Draft, hit: PhraseMatch[TriggerEntry], prev: _Draft, lex: EventLexicon) -> None:
    """ "اتهم X الجبهة بمهاجمة قاعدة": the accused is the agent of the act named after بـ."""
    if hit.payload.pos != "noun" or "ب" not in hit.prefix or prev.entry.frame != "accuser":
        return
    accused = [e for e, r in prev.actors.items() if r == "target"]
    if accused and accused[-1] not in d.actors and hit.first - prev.last <= ACCUSED_REACH:
        others = {e: ("target" if r == "source" else r) for e, r in d.actors.items()}
        d.actors = {accused[-1]: "source", **others}
        if not _has_arguments(d):
            d.date, d.location = prev.date, d.location


def _background(doc: Document, d: _Draft, lex: EventLexicon) -> bool:
    """Whether the draft is dated more than ``background_days`` (event_types.json) before the
    article's publication: a war or an attack of years ago recalled beside the news."""
    published = doc.publication.date
    if d.date is None or published is None:
        return False
    dm = doc.dates[d.date]
    end = dm.end_date or dm.start_date
    return end is not None and (published - end).days > lex.background_days


def _cause_of_toll(s: Sentence, hit: PhraseMatch[TriggerEntry], prev: _Draft, lex: EventLexicon) -> bool:
    """ "قتل خمسة ... أمس في سقوط قذيفة"، "مقتل سبعة جنود إثر تعرضهم لهجوم": a noun trigger of the
    same kind right after a toll, opened by a cause word (``cause_openers``, optionally then
    ``exposure_words``), is how the toll came about: one event, even when the noun names no one
    and no place of its own (it was dropped before, leaving the toll without its means)."""
    if hit.payload.pos != "noun" or hit.payload.type != prev.entry.type:
        return False
    if s.tokens[hit.first].text in lex.words.get("not_causes", frozenset()):
        return False  # "قتل أكثر من ألف مسلح في عملياته": a running campaign, no one incident
    if (
        prev.killed is None
        and prev.wounded is None
        and prev.mode not in lex.words.get("toll_modes", frozenset())
    ):
        return False
    words = lex.words
    i = hit.first - 1
    if i > prev.last and s.tokens[i].text in words.get("exposure_words", frozenset()):
        i -= 1
    if i <= prev.last:
        return False
    opener = s.tokens[i].text
    return opener in words.get("cause_openers", frozenset()) or (
        opener[:1] == "و" and opener[1:] in words.get("cause_openers", frozenset())
    )


def _fold_cause(doc: Document, toll: _Draft, cause: _Draft, lex: EventLexicon) -> None:
    """The toll and its cause are one event: the cause's parties, place and means join the toll's,
    and its clause extends the toll's. "قتل 18 شخصاً وأصيب العشرات أمس، في سقوط صاروخ": the date
    written between the two clauses is the event's. "الأحد 19 يوليو مقتل 9 جنود إثر تعرضهم لإطلاق
    نار مساء الجمعة": a date the cause gives is the event's; the toll's, before it, is the report's."""
    if cause.date is not None:
        toll.date = cause.date
    elif toll.date is None:
        gap = dates_between(doc, toll.hi, cause.trigger_lo)
        toll.date = gap[-1] if gap else None
    for entity, role in cause.actors.items():
        toll.actors.setdefault(entity, role)
    toll.location = toll.location or cause.location
    toll.via = toll.via or cause.via
    toll.hi = max(toll.hi, cause.hi)
    toll.confidence = max(toll.confidence, cause.confidence)
    prio = lex.mode_priority
    if cause.mode in prio and (toll.mode not in prio or prio.index(cause.mode) < prio.index(toll.mode)):
        toll.mode = cause.mode


CARGO_REACH = 30  # tokens after an arrival verb in which a carrier's cargo is named


def _relief_arrivals(s: Sentence, drafts: list[_Draft], lex: EventLexicon) -> None:
    """ "وصلت إلى مطار عدن الدولي عصر أمس طائرة عسكرية سعودية محملة بالمساعدات الإغاثية": an
    arrival whose clause names a carrier (wordlist ``relief_carriers``: a plane, ship, convoy or
    shipment) and relief cargo (``relief_cargo``, in the clause or up to ``CARGO_REACH`` tokens
    after the verb: "وصلت أمس ثاني طائرة إلى مطار عدن ... ، تحمل على متنها ... المواد الغذائية")
    is aid delivered, not a visit: the draft becomes
    humanitarian AID, its participants (the carrier's state by its nisba) the givers."""
    carriers, cargo = lex.words["relief_carriers"], lex.words["relief_cargo"]
    for d in drafts:
        if d.mode != "visit" or d.entry.pos != "verb":
            continue
        words = {f for t in s.tokens if d.lo <= t.start < d.hi for f in _bare_forms(t.text)}
        after = {f for t in s.tokens[d.last + 1 : d.last + 1 + CARGO_REACH] for f in _bare_forms(t.text)}
        if words & carriers and (words | after) & cargo:
            d.entry = msgspec.structs.replace(d.entry, type="AID", mode="humanitarian")
            d.mode = "humanitarian"


def _drop_carriers(drafts: list[_Draft]) -> list[_Draft]:
    """ "وصلت إلى مطار X اليوم طائرة مساعدات إماراتية": an arrival that names no one, whose
    subject is another kind of event (aid), is that event arriving: it gives its place and date."""
    dropped: list[_Draft] = []
    for d, e in itertools.pairwise(drafts):
        if (
            d.mode == "visit"
            and not d.actors
            and e.actors
            and e.entry.type != d.entry.type
            and e.trigger_lo <= d.hi
        ):
            e.location = e.location or d.location
            e.date = e.date if e.date is not None else d.date
            dropped.append(d)
    return [d for d in drafts if d not in dropped]


def _drop_purposes(drafts: list[_Draft], lex: EventLexicon) -> list[_Draft]:
    """A demand noun beside a protest is the protest's purpose ("للمطالبة بـ"), not an event."""
    types = {d.entry.type for d in drafts}
    return [
        d
        for d in drafts
        if not (d.entry.pos == "noun" and lex.purpose_of.get(d.entry.type, frozenset()) & types)
    ]


def _definite(hit: PhraseMatch[TriggerEntry]) -> bool:
    mo = morphology()
    return mo.article in hit.prefix or hit.core.startswith(mo.article) or hit.prefix.endswith(mo.li_article)


def _bare_reference(d: _Draft, hit: PhraseMatch[TriggerEntry], entities: dict[str, Entity]) -> bool:
    """A definite noun trigger ("المباحثات", "الزيارة الروسية") with no person, place or date
    refers back to an event rather than reporting one."""
    definite = hit.payload.pos == "noun" and _definite(hit)
    if d.patient or d.killed is not None or d.wounded is not None:
        return False  # "والقبض على عدد منهم", "التفجير الذي أسفر عن مقتل 7": it says what happened
    if not definite or d.location is not None or d.date is not None:
        return False
    return not any(e in entities and entities[e].kind == "person" for e in d.actors)


def _has_arguments(d: _Draft) -> bool:
    return (
        bool(d.actors)
        or d.location is not None
        or d.date is not None
        or d.killed is not None
        or d.wounded is not None
        or d.patient
    )


def _in_mention(pos: int, end: int, spans: list[MentionSpan]) -> bool:
    """Inside a name ("فيصل" is not ف + يصل); a demonym phrase ("الغارات الأمريكية") is no name. A
    trigger phrase that runs on past the name's end is not inside it: a name read too long ("الشرطة
    القبض" in "ألقت الشرطة القبض على") does not hide the phrase it swallowed the start of."""
    return any(m.start <= pos < m.end and end <= m.end and m.kind not in ("weapon", "country") for m in spans)


def _verbatim_noun(doc: Document, s: Sentence, hit: PhraseMatch[TriggerEntry]) -> bool:
    """A verb form read off a word written with ta marbuta ("وزارة" folds like و + زار + ه)."""
    tok = s.tokens[hit.first]
    end = doc.offsets[tok.end - 1]
    return hit.payload.pos == "verb" and doc.text[end] == ta_marbuta()


def _admissible(s: Sentence, hit: PhraseMatch[TriggerEntry], lex: EventLexicon) -> bool:
    entry = hit.payload
    before = [s.tokens[i].text for i in range(max(0, hit.first - 2), hit.first)]
    if any(w in lex.negators for w in before):
        return False
    if before and before[-1] in lex.anaphoric and entry.pos == "noun":
        return False
    nxt = s.tokens[hit.last + 1].text if hit.last + 1 < len(s.tokens) else ""
    if entry.exclude_next and nxt in folded(tuple(entry.exclude_next)):
        return False
    if entry.next_in and not _next_fits(s, hit.last + 1, entry.next_in, lex):
        return False
    if entry.exclude_next_in and _next_fits(s, hit.last + 1, entry.exclude_next_in, lex):
        return False
    if entry.no_enclitics and s.tokens[hit.first].text != hit.prefix + hit.core:
        return False  # "سيطرتهم": their control, a noun with a pronoun
    mo = morphology()
    definite = (
        mo.article in hit.prefix or hit.core.startswith(mo.article) or hit.prefix.endswith(mo.li_article)
    )
    return not (entry.indefinite_only and definite)


def _next_fits(s: Sentence, i: int, kinds: list[str], lex: EventLexicon) -> bool:
    """Whether token ``i`` is a number ("number" in ``kinds``) or a word of one of the wordlists
    ``kinds`` ("إيقاف أربعة إرهابيين", "توقيف متظاهرين"; not "إيقاف العمل")."""
    if i >= len(s.tokens):
        return False
    if "number" in kinds and number_at([t.text for t in s.tokens[i : i + 2]], 0) is not None:
        return True
    forms = set(_bare_forms(s.tokens[i].text))
    return any(forms & lex.words.get(k, frozenset()) for k in kinds if k != "number")


VICTIM_FRAME = "victim"  # the role frame whose bare slots are the victims ("مقتل 30 شخصاً")


def _victims_follow(s: Sentence, hit: PhraseMatch[TriggerEntry], lex: EventLexicon) -> bool:
    """A violent act or an arrest whose victims are named right after it, by a number or a
    casualty noun ("مقتل عنصر إرهابي"، "اعتقال 13 آخرين"، "قتل شاب"): it says what happened, even
    with no actor, place or date of its own."""
    entry = hit.payload
    if entry.type not in lex.patient_types and VICTIM_FRAME not in (entry.frame, entry.count_frame):
        return False  # "استهدفت مدنيين" names the target, not what was done to them
    return _next_fits(s, hit.last + 1, ["number", "casualty_nouns"], lex)


def _draft(
    doc: Document,
    s: Sentence,
    si: int,
    hit: PhraseMatch[TriggerEntry],
    prev: PhraseMatch[TriggerEntry] | None,
    nxt: PhraseMatch[TriggerEntry] | None,
    s_frames: list[ReportingFrame],
    cue_spans: list[tuple[int, int]],
    status_cues: list[PhraseMatch[str]],
    lex: EventLexicon,
) -> _Draft | None:
    entry = hit.payload
    spans = doc.mention_spans
    t_lo, t_hi = s.tokens[hit.first].start, s.tokens[hit.last].end
    lo, hi, frame = _window(doc, s, hit, prev, nxt, s_frames, cue_spans, lex)
    # "وقّع ... اتفاقية": the object may be the next trigger
    reach = s.tokens[
        min(
            len(s.tokens) - 1,
            max(
                hit.last + REACH_TOKENS + _aside_after(doc, s, hit.last, lex),
                nxt.last if nxt is not None else 0,
            ),
        )
    ].end
    if not _needs_met(doc, s, hit, lo, max(hi, reach), spans, lex):
        return None
    shared = (
        prev is not None
        and hit.payload.pos == "verb"
        and not any(m.kind in ACTOR_KINDS for m in mentions_between(spans, lo, t_lo))
    )
    # "قتل 3 من أفراد الشرطة", "قتل عنصر من الحزب": a count or a bare casualty noun after the verb
    # marks the passive, whose bare slot is the victims
    words = [t.text for t in s.tokens]
    count_follows = entry.count_frame is not None and (
        (
            hit.last + 1 < len(s.tokens)
            and (
                number_at(words, hit.last + 1) is not None
                or s.tokens[hit.last + 1].text in lex.words.get("casualty_nouns", frozenset())
                # "X قتل في غارة": an unvocalised verb followed at once by a preposition is passive
                or (
                    hit.payload.pos == "verb"
                    and words[hit.last + 1] in lex.words.get("passive_openers", frozenset())
                )
            )
        )
        # "خمسة عناصر من التنظيم ... قتلوا أمس": counted victims before the verb
        or any(number_at(words, i) is not None for i in range(s.token_index(lo), hit.first))
    )
    frame_name = entry.count_frame if count_follows else None
    actors, location = read_roles(doc, s, hit, lo, hi, spans, lex, shared, frame_name)
    actors = {e: r for e, r in actors.items() if not is_outlet(doc, e)}  # outlets report, not take part
    if entry.type in lex.agent_types:
        actors = _without_own_country(doc, actors)
    if (
        frame is not None
        and frame.speaker is not None
        and entry.frame not in lex.words.get("agentless_frames", frozenset())  # "أوضح أنه استشهد تسعة"
        and _self_reference(doc, frame, s, hit)
        and hit.first - s.token_index(frame.content_start) <= SELF_REACH
        and not any(doc.entities[e].kind == "person" for e in actors if e in doc.entities)
    ):
        actors = {frame.speaker: "source", **actors}  # "أعلن X أنه أمر بشن عملية": X acts
    # "سيعودون الشهر المقبل، بعد اتفاق توصل إليه": an event named after "بعد" came earlier; the
    # dates and future cues before it belong to the main clause
    prior = hit.first > 0 and s.tokens[hit.first - 1].text in PRIOR_MARKERS
    date = _date(doc, t_lo if prior else lo, t_lo, hi)
    status = _status(doc, s, hit, lo, frame, date, status_cues, lex, prior)
    if status is None:
        return None
    via = None
    if frame is not None:
        via = frame.via or (frame.speaker if is_outlet(doc, frame.speaker) else None)
    collective = not actors and any(
        t.text in lex.collective for t in s.tokens[s.token_index(lo) : s.token_index(hi)]
    )
    mode = entry.mode
    if entry.type == "CONSULT":
        near = lex.mode_modifiers.find(s.tokens, hit.last + 1, min(len(s.tokens), s.token_index(hi) + 1))
        mode = near[0].payload if near else mode
    return _Draft(
        si,
        hit.first,
        hit.last,
        entry,
        mode,
        lo,
        hi,
        t_lo,
        t_hi,
        actors,
        location,
        date,
        via,
        status,
        entry.confidence,
        collective,
        attributed=frame is not None,
        self_report=frame is not None and _party_to(doc, frame.speaker, actors),
        said_on=frame.said_on if frame is not None else None,
        definite=entry.pos == "noun" and _definite(hit),
        referring=entry.pos == "noun" and (_definite(hit) or _with_pronoun(s, hit)),
        pronoun=entry.pos == "noun" and _with_pronoun(s, hit),
        patient=(entry.type in lex.patient_types and _names_patient(doc, s, lo, max(hi, t_hi, reach), lex))
        or _victims_follow(s, hit, lex),
        within=False,
        **_clause_casualties(s, lo, hi, t_lo, t_hi, entry, lex),
    )


ACCUSED_REACH = 8  # tokens from the accusation verb to the act it names
PRIOR_MARKERS = frozenset({"بعد", "عقب", "اثر", "إثر"})
SELF_COMPLEMENTIZERS = frozenset({"انه", "انها", "انهم", "انهما"})
NOT_SELF_COMPLEMENTIZERS = frozenset({"ان", "بان", "لان"})  # "قال إن الهجوم": someone else's act
OTHERS_ACTS = frozenset({"kill"})  # "أعلنت وزارة الصحة مقتل 8 أشخاص": the ministry counts, it did not kill
ANNOUNCE_CUES = frozenset({"اعلن", "اعلنت", "يعلن", "تعلن"})  # "أعلنت الجماعة ... استهداف ناقلة"
SELF_REACH = 4  # tokens from "أنه" to the trigger: further on, the pronoun may be anything else


def _self_reference(
    doc: Document,
    frame: ReportingFrame,
    s: Sentence | None = None,
    hit: PhraseMatch[TriggerEntry] | None = None,
) -> bool:
    """A statement opening with "أنه/أنها" is about the speaker's own act; so is an announcement
    whose content opens with the act's verbal noun ("أعلنت الجماعة ... استهداف ناقلة")."""
    words = doc.norm[max(0, frame.content_start - 8) : frame.content_start].split()
    if bool(words) and words[-1] in SELF_COMPLEMENTIZERS:
        return True
    if (
        s is None
        or hit is None
        or hit.payload.pos != "noun"
        or hit.payload.mode in OTHERS_ACTS
        or hit.prefix
        or not 0 <= hit.first - s.token_index(frame.content_start) <= SELF_REACH
    ):
        return False  # "متهماً إيران بتزويد": an act named after بـ is someone else's
    cue = doc.norm[frame.cue_start : frame.cue_end].split(" ")[0]
    if frame.stance != "asserts" or cue.lstrip("وف") not in ANNOUNCE_CUES:
        return False  # only an announcement reports the speaker's own act by its noun
    between = mentions_between(doc.mention_spans, frame.content_start, s.tokens[hit.first].start)
    if any(m.kind in ("person", "organization") for m in between):
        return False
    return not words or words[-1] not in NOT_SELF_COMPLEMENTIZERS


def _aside_after(doc: Document, s: Sentence, last: int, lex: EventLexicon) -> int:
    """Length in tokens of an aside between commas that opens within two tokens after a trigger
    ("وقّع الجانبان، في ختام اللقاء، مذكرة تفاهم"): the object follows it."""
    comma = s.comma_before
    n = len(s.tokens)
    opening = next((i for i in range(last + 1, min(n, last + 3)) if i in comma), None)
    if opening is None:
        return 0
    closing = next((i for i in range(opening + 1, min(n, opening + 6)) if i in comma), None)
    return closing - opening if closing is not None else 0


def _window(
    doc: Document,
    s: Sentence,
    hit: PhraseMatch[TriggerEntry],
    prev: PhraseMatch[TriggerEntry] | None,
    nxt: PhraseMatch[TriggerEntry] | None,
    s_frames: list[ReportingFrame],
    cue_spans: list[tuple[int, int]],
    lex: EventLexicon,
) -> tuple[int, int, ReportingFrame | None]:
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
    toks = s.tokens
    stops = {
        i
        for i, t in enumerate(toks)
        if t.text in lex.stops
        and not (i + 1 < len(toks) and toks[i + 1].text in lex.time_after_stop)  # "بعد ظهر الأحد"
    }
    if prev is not None:
        cut = t_lo
        for i in range(prev.last + 1, hit.first):
            if (i in stops) or i in s.comma_before:
                cut = toks[i].end if (i in stops) else toks[i].start
        lo = max(lo, cut)
    if nxt is not None:
        hi = min(hi, toks[nxt.first].start)
    for f in s_frames:  # "أكد X خلال لقائه Y أن ...": the meeting ends where the statement starts
        if f.cue_end <= t_lo < f.content_start:
            hi = min(hi, f.content_start)
    for i in range(s.token_index(lo), hit.first - 1):
        if i in stops:
            lo = max(lo, toks[i].end)
    lo = _after_backdrop(s, hit, lo, lex)
    noun = hit.payload.pos == "noun"
    agent_head, _, agent_tail = lex.agent_phrase.partition(" ")
    for i in range(hit.last + 1, s.token_index(hi)):
        tok = toks[i]
        if (i in stops) and not (tok.text == agent_tail and toks[i - 1].text == agent_head):
            hi = min(hi, tok.start)
            break
        if (
            noun
            and i > hit.last + 1
            and i in s.comma_before
            and not (
                i in s.mention_starts
                or i in s.date_tokens
                or _time_of_day(s, i, lex)
                or tok.text in lex.prepositions
                or tok.text in lex.heads
                or tok.text in lex.delegation
                or tok.text in lex.continuers
            )
        ):
            hi = min(hi, toks[i - 1].end)
            break
    return lo, hi, frame


DAY_PART_REACH = 3  # tokens of a time of day before its date ("، بعد ظهر يوم الأحد")


def _time_of_day(s: Sentence, i: int, lex: EventLexicon) -> bool:
    """Whether token ``i`` opens a time of day that ends in a date ("في صنعاء، صباح الأحد،"): after
    a comma it still belongs to the event's clause, as a bare date would (``day_parts``)."""
    parts = lex.words.get("day_parts", frozenset())
    for j in range(i, min(len(s.tokens), i + DAY_PART_REACH + 1)):
        if j in s.date_tokens:
            return j > i
        if s.tokens[j].text not in parts:
            return False
    return False


def _backdrop_end(s: Sentence, lex: EventLexicon) -> int | None:
    """The token after the comma that closes a sentence's fronted backdrop ("وبعد X، ..."), if any."""
    if not s.tokens:
        return None
    opener = s.tokens[0].text
    openers = lex.words.get("backdrop_openers", frozenset())
    if opener not in openers and not (opener[:1] in ("و", "ف") and opener[1:] in openers):
        return None
    return min(s.comma_before, default=None)


def _after_backdrop(s: Sentence, hit: PhraseMatch[TriggerEntry], lo: int, lex: EventLexicon) -> int:
    """ "وبعيد هذا التفجير في X، استهدف هجوم آخر ... في Y": a clause that opens with what came
    before (``backdrop_openers``: بعد، عقب، إثر ...) and is closed by a comma is the backdrop of the
    trigger after it; its place and date belong to the earlier event, so the trigger's clause
    starts after the comma."""
    first = s.token_index(lo)
    if first >= hit.first:
        return lo
    opener = s.tokens[first].text
    openers = lex.words.get("backdrop_openers", frozenset())
    if opener not in openers and not (opener[:1] in ("و", "ف") and opener[1:] in openers):
        return lo
    commas = [i for i in s.comma_before if first < i <= hit.first]
    return max(lo, s.tokens[max(commas)].start) if commas else lo


def _accidental(doc: Document, s: Sentence, d: _Draft, words_of: _WordsOf, lex: EventLexicon) -> bool:
    """ "لقي شخص مصرعه في حادث مروري", "توفي غرقاً": a death or injury in a sentence that names an
    accident (wordlist ``accidents``), with no one who caused it and no weapon (``ACCIDENT_BARS``:
    "هجوم بسيارة مفخخة ... بعد اصطدامها"), is no violent event."""
    if d.entry.type not in lex.casualty_types or any(r == "source" for r in d.actors.values()):
        return False
    text, words = doc.norm[s.start : s.end], words_of.get()

    def names(wordlist: str) -> bool:
        return bool(words & lex.words.get(wordlist, frozenset())) or any(
            p in text for p in lex.phrases.get(wordlist, ())
        )

    return names("accidents") and not any(names(w) for w in ACCIDENT_BARS)


ACCIDENT_BARS = ("bomb_words", "projectiles", "fire", "hostilities")


class _WordsOf:
    """The bare forms of a sentence's words, built on first use and kept."""

    def __init__(self, s: Sentence) -> None:
        self.s = s
        self.words: set[str] | None = None

    def get(self) -> set[str]:
        if self.words is None:
            self.words = set()
            for t in self.s.tokens:
                self.words.update(_bare_forms(t.text))
        return self.words


def _needs_met(
    doc: Document,
    s: Sentence,
    hit: PhraseMatch[TriggerEntry],
    lo: int,
    hi: int,
    spans: list[MentionSpan],
    lex: EventLexicon,
    whole: _WordsOf | None = None,
) -> bool:
    """Whether the clause [lo, hi) meets one of the trigger's needs; ``whole`` gives the words
    when the clause is the whole sentence."""
    entry = hit.payload
    word = s.tokens[hit.first].text[len(hit.prefix) :]  # with its attached pronoun ("أطلقها")
    needs = entry.needs_for.get(hit.core) or entry.needs_for.get(word) or entry.needs
    if not needs and not entry.vetoes:
        return True
    kinds = {m.kind for m in mentions_between(spans, lo, hi)}
    tokens: set[str] = set()
    if whole is not None:
        tokens = whole.get()
    else:
        for t in s.tokens[s.token_index(lo) : s.token_index(hi)]:
            tokens.update(_bare_forms(t.text))  # "بالأسلحة" counts as "الأسلحة" and "أسلحة"
    text = doc.norm[lo:hi]
    if any(tokens & lex.words[v] or any(p in text for p in lex.phrases[v]) for v in entry.vetoes):
        return False  # "سيطرت فرق الإطفاء على حريق": the word means something else here
    if not needs:
        return True
    for need in needs:
        if need in ("place", "weapon") and need in kinds:
            return True
        if need == "actor" and kinds & ACTOR_KINDS:
            return True
        if need == "date" and dates_between(doc, lo, hi):
            return True
        if need == "count" and read_casualties(
            [t.text for t in s.tokens[s.token_index(lo) : s.token_index(hi)]]
        ):
            return True
        if need in lex.words and (tokens & lex.words[need] or any(p in text for p in lex.phrases[need])):
            return True
    return False


def _names_patient(doc: Document, s: Sentence, lo: int, hi: int, lex: EventLexicon) -> bool:
    """Whether the clause names who the act was done to ("اعتقال بعضهم", "فرقت المتظاهرين")."""
    tokens: set[str] = set()
    for t in s.tokens[s.token_index(lo) : s.token_index(hi)]:
        tokens.update(_bare_forms(t.text))
    text = doc.norm[lo:hi]
    return any(
        tokens & lex.words.get(name, frozenset()) or any(p in text for p in lex.phrases.get(name, ()))
        for name in lex.patient_words
    )


@lru_cache(maxsize=1 << 17)  # every distinct word of a few thousand articles
def _bare_forms(word: str) -> tuple[str, ...]:
    """A word with and without one conjunction/preposition prefix and the article."""
    mo = morphology()
    forms = [word]
    for prefix in (*mo.conjunctions, *mo.noun_prefixes):
        if word.startswith(prefix) and len(word) > len(prefix) + 2:
            forms.append(word[len(prefix) :])
    for form in list(forms):
        if form.startswith(mo.article):
            forms.append(form[len(mo.article) :])
        elif form.startswith(mo.li_article):
            forms.append(form[len(mo.li_article) :])
    return tuple(forms)


RELATIVE_REACH = 3  # words from the trigger to a relative pronoun that may still describe the act itself


def _in_other_relative(doc: Document, t_lo: int, di: int) -> bool:
    """Whether a bare year after the trigger stands in a relative clause about another noun ("هجوم
    ... في ولاية البنجاب التي تم تقسيمها في 1947"): the year of that noun, not of the act. A relative
    pronoun within ``RELATIVE_REACH`` words of the trigger ("الهجوم الذي شنه ... في 2013") still
    tells the act itself."""
    if doc.dates[di].precision != "year":
        return False
    relatives = event_lexicon().words.get("relative_pronouns", frozenset())
    words = doc.norm[t_lo : doc.dates[di].start].split()
    return any(w.removeprefix("و") in relatives for w in words[RELATIVE_REACH + 1 :])


def _date(doc: Document, lo: int, t_lo: int, hi: int) -> int | None:
    after = [di for di in dates_between(doc, t_lo, hi) if not _in_other_relative(doc, t_lo, di)]
    if after:
        return after[0]
    before = dates_between(doc, lo, t_lo)
    return before[-1] if before else None


def _status(
    doc: Document,
    s: Sentence,
    hit: PhraseMatch[TriggerEntry],
    lo: int,
    frame: ReportingFrame | None,
    date: int | None,
    status_cues: list[PhraseMatch[str]],
    lex: EventLexicon,
    prior: bool = False,
) -> EventStatus | None:
    """The event's status, or None when the clause is hypothetical ("في حال نشر المنظومة")."""
    status: EventStatus = "occurred"
    if _feared(s, hit, lex):
        return None

    def bump(new: EventStatus) -> None:
        nonlocal status
        if _STATUS_RANK[new] > _STATUS_RANK[status]:
            status = new

    if frame is not None and not (prior and frame.stance == "expects"):
        bump(_STANCE_STATUS.get(frame.stance, "occurred"))
        if frame.alleges:
            bump("speculative")  # "متهماً إيران بتزويد الحوثيين بالأسلحة": alleged, not established
    comma = doc.norm.rfind(",", lo, s.tokens[hit.first].start)
    scope_lo = (
        hit.first
        if prior
        else max(0, s.token_index(max(lo, comma + 1) if comma >= 0 else lo) - lex.window_before)
    )
    scope_hi = min(len(s.tokens), hit.last + 1 + lex.window_after)
    for m in status_cues:
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


def _feared(s: Sentence, hit: PhraseMatch[TriggerEntry], lex: EventLexicon) -> bool:
    """ "خوفاً من استهدافهم"، "تحسباً لأي هجوم"، "خشية وقوع هجمات": an act named right after a
    word of fear (``fear_cues``, up to one word between) is feared, not reported."""
    words = lex.words.get("fear_cues", frozenset())
    before = [t.text for t in s.tokens[max(0, hit.first - 3) : hit.first]]
    for i, w in enumerate(before):
        tail = before[i + 1 :]
        if (
            (w in words or w.lstrip("و") in words)
            and len(tail) <= 2
            and all(t in lex.words.get("fear_links", frozenset()) for t in tail)
        ):
            return True
    return False


def _group(d: _Draft, lex: EventLexicon) -> tuple[str, str]:
    return d.entry.type, lex.merge_groups.get(d.mode, d.mode)


def _merge_sentence(
    drafts: list[_Draft],
    lex: EventLexicon,
    backdrop_end: int | None = None,
    old: frozenset[int] = frozenset(),
    s: Sentence | None = None,
) -> list[_Draft]:
    """Same-kind triggers of one sentence are one event ("زار ... والتقى ..."), unless their
    dates differ ("زيارة في يوليو، تلتها زيارة أمس") or one is in the fronted backdrop of the
    other ("وبعد يومين من الهجوم على X، قصفت ...": ``backdrop_end`` is the comma that closes it),
    or one is dated long before publication (``old``: "هجمات 11 سبتمبر 2001" in a clause about
    the victim) and the other is undated: the undated one is the news, the old one background."""
    out: list[_Draft] = []
    for d in drafts:
        prev = next((p for p in reversed(out) if _group(p, lex) == _group(d, lex)), None)
        behind = backdrop_end is not None and prev is not None and prev.first < backdrop_end <= d.first
        behind = behind or (
            prev is not None and (prev.date is None) != (d.date is None) and (id(prev) in old or id(d) in old)
        )
        if prev is not None and (behind or _separate(prev, d)):
            out.append(d)
            continue
        if prev is not None and s is not None and _meeting_in_visit(s, prev, d, lex):
            out.append(d)
            continue
        if prev is not None and prev.status != d.status and d.status == "occurred" and d.date is None:
            d.status = prev.status  # "زيارة مرتقبة ... يلتقي خلالها": the meeting shares the visit's status
        if (
            prev is not None
            and prev.status == d.status
            and (prev.date is None or d.date is None or prev.date == d.date)
        ):
            for entity, role in d.actors.items():
                prev.actors.setdefault(entity, role)
            prev.location = prev.location or d.location
            prev.date = prev.date if prev.date is not None else d.date
            prev.via = prev.via or d.via
            prev.definite = prev.definite and d.definite
            prev.killed = prev.killed if prev.killed is not None else d.killed
            prev.wounded = prev.wounded if prev.wounded is not None else d.wounded
            prev.hi = max(prev.hi, d.hi)
            prev.confidence = max(prev.confidence, d.confidence)
            prio = lex.mode_priority
            if d.mode in prio and (prev.mode not in prio or prio.index(d.mode) < prio.index(prev.mode)):
                prev.mode = d.mode
            continue
        out.append(d)
    return out


def _meeting_in_visit(s: Sentence, visit: _Draft, d: _Draft, lex: EventLexicon) -> bool:
    """ "في زيارة عمل يلتقي خلالها الرئيس"، "بعد زيارة التقى خلالها": a meeting told with a pronoun
    of "during" (``during_pronouns``) after a visit is its own event inside the visit, as the
    annotation counts it; the visitor is its source, and it shares the visit's place, date and
    status when it states none. (A meeting named without such a pronoun still folds into the visit.)"""
    if visit.mode != "visit" or d.mode == "visit" or d.entry.type != "CONSULT":
        return False
    during = lex.words.get("during_pronouns", frozenset())
    if not any(t.text in during for t in s.tokens[d.last + 1 : d.last + 3]):
        return False
    visitors = {e: r for e, r in visit.actors.items() if r == "source"}
    if not any(r == "source" for r in d.actors.values()):
        d.actors = {**visitors, **{e: r for e, r in d.actors.items() if e not in visitors}}
    d.location = d.location or visit.location
    if d.date is None:
        d.date = visit.date
    d.status = visit.status if d.status == "occurred" else d.status
    d.within = bool(d.actors.keys() - visitors.keys())
    return d.within


OPERATION_REACH = 12  # tokens after an operation noun in which the place it names is read


def _operation_place(doc: Document, s: Sentence, drafts: list[_Draft], lex: EventLexicon) -> None:
    """ "عملية أمنية ... شملت مدينتي X ... أسفرت عن مقتل ... وإيقاف ..."، "اعتقال 13 آخرين أثناء
    عملية أمنية في مدينة X": the results of an operation (``operation_nouns``) happened where it
    did; a violent act or an arrest of the sentence with no place takes the first place named
    within a few tokens after the operation noun."""
    todo = [
        d for d in drafts if d.location is None and d.entry.type in lex.casualty_types | lex.patient_types
    ]
    if not todo:
        return
    text = doc.norm[s.start : s.end]
    ops = lex.phrases.get("operation_nouns", ())
    at = min((i for i in (text.find(p) for p in ops) if i >= 0), default=-1)
    if at < 0:
        return
    first = s.token_index(s.start + at)
    end = s.tokens[min(len(s.tokens) - 1, first + OPERATION_REACH)].end
    place = next(
        (m for m in mentions_between(doc.mention_spans, s.start + at, end) if m.kind == "place"), None
    )
    if place is None:
        return
    for d in todo:
        d.location = place.entity


def _retelling(
    s: Sentence,
    hit: PhraseMatch[TriggerEntry],
    hits: list[PhraseMatch[TriggerEntry]],
    d: _Draft,
    earlier: list[_Draft],
    lex: EventLexicon,
) -> _Draft | None:
    """ "الجنود الذين استشهدوا هم ..."، "المركبة التي أطلقت النار على الشهيد": a violent act, an
    arrest or a protest told in a relative clause (``relative_pronouns`` right before a verb) about a
    person or thing, after a report of its kind, retells that report: no new event, unless it names
    another place or toll. Returns the report it retells. Not when the antecedent is itself an event
    noun ("الغارة التي استشهد فيها": the victims of that strike)."""
    if hit.payload.pos != "verb" or hit.first < 1 or hit.prefix:
        return None
    if d.entry.type not in lex.casualty_types | lex.patient_types:
        return None  # "الاتفاقية التي وقعها X" names the agreement's parties; only acts done to people are retold
    if s.tokens[hit.first - 1].text not in lex.words.get("relative_pronouns", frozenset()):
        return None
    if any(h.last == hit.first - 2 for h in hits):
        return None
    violent = d.entry.type in lex.casualty_types
    told = next(
        (
            e
            for e in reversed(earlier)
            if e.status == "occurred"
            and (_group(e, lex) == _group(d, lex) or (violent and e.entry.type in lex.casualty_types))
        ),
        None,
    )
    if told is None or d.location not in (None, told.location):
        return None  # "الشرطيين اللذين قتلا ... في مدينة X" after an attack elsewhere: another act
    if d.killed is not None and told.killed is not None and d.killed != told.killed:
        return None
    return told


def _toll_of_earlier(
    doc: Document,
    s: Sentence,
    d: _Draft,
    merged: list[_Draft],
    earlier: list[_Draft],
    lex: EventLexicon,
    shifts: set[int],
    hits: list[PhraseMatch[TriggerEntry]],
) -> _Draft | None:
    """ "... ما أسفر عن مقتل سبعة مسلحين"، "بالإضافة إلى مقتل خمسة آخرين"، "الحصيلة الأولية أشارت إلى
    مقتل شخصين": a toll tied by a result word (``result_cues``) to a cause its own sentence does not
    name as a violent act is the toll of the violent act told just before (up to ``LATER_REACH``
    sentences back, no opening on another matter between): no new event. Returns that act."""
    tolls = lex.words.get("toll_modes", frozenset())
    if d.mode not in tolls or d.entry.pos != "noun":
        return None
    if any(e is not d and e.entry.type in lex.casualty_types and e.first < d.first for e in merged):
        return None
    if any(
        h.payload.type in lex.casualty_types
        and h.payload.mode not in tolls
        and h.last < d.first
        and not _after_definite(s, h)
        for h in hits
    ):
        return None  # "كما انفجرت سيارة في منطقة X، ما أدى إلى مقتل أربعة": its own cause, told here
    if not _after_result_cue(s, d.first, lex):
        return None
    for e in reversed(earlier):
        if d.sentence - e.sentence > LATER_REACH or any(
            si in shifts for si in range(e.sentence + 1, d.sentence + 1)
        ):
            return None
        if e.entry.type in lex.casualty_types and e.status == d.status and not _background(doc, e, lex):
            return e
    return None


def _after_definite(s: Sentence, h: PhraseMatch[TriggerEntry]) -> bool:
    """Whether a verb follows a definite subject ("الحملة استهدفت عدداً من البؤر"): the act told
    before, told again; a new act is told verb first ("كما انفجرت سيارة")."""
    if h.first == 0 or h.payload.pos != "verb":
        return False
    word = s.tokens[h.first - 1].text
    return word.startswith(morphology().article) and len(word) > 4


def _add_toll(act: _Draft, toll: _Draft) -> None:
    """The toll told apart joins its act: the counts the act lacks, and whose people were hit."""
    if act.killed is None and act.wounded is None:
        act.killed, act.wounded = toll.killed, toll.wounded
    for entity, role in toll.actors.items():
        if role == "target":
            act.actors.setdefault(entity, role)


def _after_result_cue(s: Sentence, first: int, lex: EventLexicon) -> bool:
    """Whether the words right before token ``first`` are a result cue ("ما أسفر عن"، "إضافة إلى")."""
    words = lex.words.get("result_cues", frozenset())
    phrases = lex.phrases.get("result_cues", ())
    before = [t.text for t in s.tokens[max(0, first - 3) : first]]
    for k in range(1, len(before) + 1):
        tail = before[-k:]
        if tail[0][:1] in ("و", "ف") and len(tail[0]) > 3:
            tail = [tail[0][1:], *tail[1:]]
        joined = " ".join(tail)
        if (k == 1 and joined in words) or joined in phrases or " ".join(before[-k:]) in phrases:
            return True
    return False


def _separate(a: _Draft, b: _Draft) -> bool:
    """Two triggers of one kind in one sentence are two events when each names actors and, being
    of the same mode, they happen in different places ("هاجم ... في A، فيما هاجم ... B"), or when
    each has a party the other lacks ("استقبل X Y، ثم التقى Z"). Violent acts with different
    tolls are two events ("قتل 20 جندياً ...، فيما قتل 5 آخرون ...")."""
    if (a.killed is not None and b.killed is not None and a.killed != b.killed) or (
        a.wounded is not None and b.wounded is not None and a.wounded != b.wounded
    ):
        return True
    named_a = {e for e, r in a.actors.items() if r != "mentioned"}
    named_b = {e for e, r in b.actors.items() if r != "mentioned"}
    if not named_a or not named_b:
        return False
    if a.mode == b.mode and a.location is not None and b.location is not None and a.location != b.location:
        return True
    if a.mode != b.mode and "visit" in (a.mode, b.mode):
        return False  # "قام بزيارة ...، التقى خلالها": the meetings of a visit are the visit
    return bool(named_a - named_b) and bool(named_b - named_a) and len(named_a | named_b) >= 3


def _during(s: Sentence, drafts: list[_Draft], lex: EventLexicon) -> None:
    """ "وقعت قطر وتركيا اتفاقية خلال اجتماع ... في الدوحة يوم الأحد": an event reported as
    happening during another takes that event's place and date when it states none; a setting
    that names no one is not reported on its own."""
    backdrops: list[_Draft] = []
    for d, e in itertools.pairwise(drafts):
        if any(t.text in lex.during for t in s.tokens[d.last + 1 : e.first]):
            d.location = d.location or e.location
            if d.date is None:
                d.date = e.date
            if not e.actors and _group(d, lex) != _group(e, lex):
                backdrops.append(e)  # "خلال اجتماع في موسكو" with no one named is only the setting
    for e in backdrops:
        drafts.remove(e)


def _specific(d: _Draft, entities: dict[str, Entity]) -> bool:
    return (
        d.location is not None
        or d.date is not None
        or any(e in entities and entities[e].kind == "person" for e in d.actors)
    )


def _compatible_people(a: _Draft, b: _Draft, entities: dict[str, Entity]) -> bool:
    """Whether two reports can be of one event: the first names no person, or they share one."""
    people_a = {e for e in a.actors if e in entities and entities[e].kind == "person"}
    return not people_a or bool(people_a & set(b.actors))


def _topic_shifts(doc: Document, lex: EventLexicon) -> set[int]:
    """Sentences that open on another matter ("ومن جهة ثانية،", "في سياق آخر")."""
    shifts = lex.phrases.get("topic_shift", ())
    conjunctions = morphology().conjunctions
    out: set[int] = set()
    for si, s in enumerate(doc.sentences):
        words = [t.text for t in s.tokens[:4]]
        if words and words[0][:1] in conjunctions and len(words[0]) > 2:
            words[0] = words[0][1:]
        opening = " ".join(words)
        if any(opening.startswith(p) for p in shifts):
            out.add(si)
    return out


def _elaborate(
    drafts: list[_Draft], lex: EventLexicon, entities: dict[str, Entity], shifts: set[int]
) -> None:
    """A report that follows an event of the same kind in the next sentence usually elaborates it
    ("بحث مسؤولون ... بالعاصمة دمشق" then "استقبل العميد ... اليوم وفداً"): it inherits the
    place and date it does not state itself, unless its sentence opens on another matter
    ("ومن جهة ثانية، قتل ..."; ``shifts``)."""
    for prev, d in itertools.pairwise(drafts):
        if (
            d.sentence == prev.sentence + 1
            and d.sentence not in shifts
            and _group(d, lex) == _group(prev, lex)
            and d.status == prev.status == "occurred"
            and _compatible_people(prev, d, entities)
        ):
            d.location = d.location or prev.location
            if d.date is None:
                d.date = prev.date


LATER_REACH = 3  # sentences after an undated report in which a later report of it may date it
LATER_RECENT_DAYS = 10  # ... with a date no older than this before publication: the news, not background


def _date_from_later(doc: Document, drafts: list[_Draft], lex: EventLexicon, shifts: set[int]) -> None:
    """ "استشهد اثنان من رجال الشرطة في تفجير بمنطقة X." ... "التفجير الذي وقع مساء الثلاثاء في X
    أسفر عن مقتل اثنين": a lead that tells an event without its day is often dated a few sentences
    on, by a later report of the same event: of the same type and merge group (or a toll and a
    violent act) that names the same town (not only the same country) or gives the same toll. The
    undated report takes that date when it is a day no older than ``LATER_RECENT_DAYS`` before
    publication; no opening on another matter (``shifts``) may stand between them, and a report
    that says it is another of its kind ("سلسلة غارات ثانية"; wordlist ``another``) or is told in
    the pluperfect ("وكانت ... قد قصفت") is not dated so."""
    published = doc.publication.date
    if published is None:
        return
    for i, d in enumerate(drafts):
        if d.date is not None or d.status != "occurred" or _another(doc, d, lex) or _pluperfect(doc, d):
            continue
        for later in drafts[i + 1 :]:
            if later.sentence - d.sentence > LATER_REACH or any(
                si in shifts for si in range(d.sentence + 1, later.sentence + 1)
            ):
                break
            if not _reports_again(d, later, lex, doc.entities) or later.date is None:
                continue
            dm = doc.dates[later.date]
            end = dm.end_date or dm.start_date
            if dm.precision == "day" and end is not None and 0 <= (published - end).days <= LATER_RECENT_DAYS:
                d.date = later.date
            break


def _recent_day(doc: Document, di: int) -> bool:
    """Whether date mention ``di`` is one day at most ``LATER_RECENT_DAYS`` before publication."""
    published = doc.publication.date
    dm = doc.dates[di]
    end = dm.end_date or dm.start_date
    return (
        published is not None
        and dm.precision == "day"
        and end is not None
        and 0 <= (published - end).days <= LATER_RECENT_DAYS
    )


COMPLEMENTIZERS = frozenset({"ان", "انه", "انها", "انهم", "بان", "بانه", "بانها", "بانهم"})
FRONT_REACH = 14  # tokens from a statement's complementizer to the time of day it opens with


def _date_fronted_in_content(doc: Document, drafts: list[_Draft], frames: list[ReportingFrame]) -> None:
    """ "صرح المتحدث بأنه عند الساعة العاشرة من صباح اليوم الجمعة، تعرض مركز ... لقذائف، وتم
    التصدي للعدوان": a statement that opens with the time sets it for every act it tells; an
    undated occurred event inside the content takes a recent day written in the first
    ``FRONT_REACH`` tokens of the content, before the event's own clause, with no other act
    between them; not an act told in the pluperfect or the imperfect."""
    for d in drafts:
        if d.date is not None or d.status != "occurred" or not d.attributed or _pluperfect(doc, d):
            continue
        s = doc.sentences[d.sentence]
        if _imperfect(s.tokens[d.first].text, d):
            continue
        between = [e.trigger_lo for e in drafts if e.sentence == d.sentence and e.trigger_lo < d.trigger_lo]
        for f in frames:
            if f.sentence != d.sentence or not f.content_start <= d.trigger_lo < f.content_end:
                continue
            first = s.token_index(f.content_start)
            if not any(t.text in COMPLEMENTIZERS for t in s.tokens[max(0, first - 1) : first + 1]):
                continue  # the content must be a clause ("بأنه عند الساعة ..."), not a phrase
            fronted = [
                i
                for i in dates_between(doc, f.content_start, d.lo)
                if s.token_index(doc.date_starts[i]) - first <= FRONT_REACH
                and _recent_day(doc, i)
                and not any(doc.date_starts[i] < t for t in between)  # it fronts this act, not another
            ]
            if fronted:
                d.date = fronted[-1]
                break


@lru_cache(maxsize=1)
@lru_cache(maxsize=1)
def _setting_openers() -> tuple[str, ...]:
    return tuple(fold(p) for p in datafiles.calendar().setting_openers)


def _opens_with(s: Sentence, phrases: tuple[str, ...]) -> bool:
    words = [t.text for t in s.tokens[:4]]
    if words and words[0][:1] in morphology().conjunctions and len(words[0]) > 2:
        words[0] = words[0][1:]
    opening = " ".join(words)
    return any(opening == p or opening.startswith(p + " ") for p in phrases)


SETTING_NOUN_REACH = 3  # tokens from "جاء ذلك" to the noun of the occasion ("خلال محادثات")


def _date_from_setting(doc: Document, drafts: list[_Draft]) -> None:
    """ "اتفقت السعودية ومصر على تعزيز التعاون." then "جاء ذلك خلال محادثات ... في القاهرة أمس":
    a sentence that opens with ``setting_openers`` (calendar.json) tells the occasion of what
    the sentence before it reported. Its first recent day dates the occasion's own event and the
    undated occurred events of the sentence before that the outlet tells in its own voice (or a
    speaker tells of themself; what a speaker says of others happened at another time); the
    occasion's place is theirs when they name none."""
    openers = _setting_openers()
    for si, s in enumerate(doc.sentences):
        if si == 0 or not _opens_with(s, openers):
            continue
        day = next((i for i in dates_between(doc, s.start, s.end) if _recent_day(doc, i)), None)
        own = [d for d in drafts if d.sentence == si and d.first <= SETTING_NOUN_REACH + 1]
        before = [
            d
            for d in drafts
            if d.sentence == si - 1 and _borrows_date(doc, d) and (not d.attributed or d.self_report)
        ]
        occasion = own[0] if own else None
        if day is not None:
            for d in ([occasion] if occasion is not None and occasion.status == "occurred" else []) + before:
                if d.date is None:
                    d.date = day
        if occasion is not None and occasion.location is not None:
            for d in before:
                d.location = d.location or occasion.location


def _borrows_date(doc: Document, d: _Draft, given: int | None = None) -> bool:
    """Whether an undated occurred report may take a date from the sentence after it: not one
    told in the pluperfect ("وكانت ... قد") or the imperfect ("ويتهم معارضون الرئيس", "وتطالب
    دول": a standing state, not the news), nor one whose sentence writes a date that its clause
    did not take ("مقتل 147 طالبا في أبريل": a date this stage may not have resolved), other than
    the date ``given`` to it (that of an event told in the same sentence)."""
    s = doc.sentences[d.sentence]
    words = event_lexicon().words
    return (
        d.date is None
        and d.status == "occurred"
        and not _pluperfect(doc, d)
        and not _imperfect(s.tokens[d.first].text, d)
        and s.tokens[0].text not in words["past_auxiliaries"]  # "وكانت النيابة نسبت ...": what came before
        and (d.first == 0 or s.tokens[d.first - 1].text not in words["since"])  # "منذ هجوم سوروتش"
        and all(i == given for i in dates_between(doc, s.start, s.end))
    )


def _date_from_lead(doc: Document, drafts: list[_Draft]) -> None:
    """An act the lead tells undated happened on the article's lead day (``dates.lead_day``:
    the day before publication for a print daily): the news of the day, where the article names
    no day for it. The lead is the first sentence of the body; the act must be
    one that may borrow a date (``_borrows_date``: occurred, not in the pluperfect or imperfect,
    no date written in its sentence that it did not take). Later sentences are left: background
    ("وكان التنظيم قد تبنى ...") is too often older news. An article that writes another recent day
    gives its lead none (its news may be of that day); the publication day itself does not count as
    another day (a dateline "الخميس 23 يوليو", "اليوم الأحد": the article's own day, not its news).
    The merge treats a report so dated as undated (``merge/event_units.EventUnit.lead``)."""
    if not doc.dates or doc.dates[-1].basis != "inferred":
        return
    lead_day = len(doc.dates) - 1
    day = doc.dates[lead_day].start_date
    own = {day, doc.publication.date}  # the article's own day (a dateline, "اليوم") is no other news day
    if any(dm.start_date not in own for i, dm in enumerate(doc.dates[:lead_day]) if _recent_day(doc, i)):
        return  # "مقتل تسعة جنود ..." in an article that writes "17 يوليو": its news may be of that day
    body = next((i for i, s in enumerate(doc.sentences) if s.kind == "body"), None)
    given = _today_of_next(doc, drafts, body) if body is not None else None
    for d in drafts:
        if d.sentence == body and _borrows_date(doc, d):
            d.date = lead_day if given is None else given


def _today_of_next(doc: Document, drafts: list[_Draft], body: int) -> int | None:
    """The "today" ("اليوم", "صباح اليوم") of an act told in the sentence right after the lead: a
    wire copied the day it was sent ("استدعت مملكة البحرين سفيرها ... . وأدانت المنامة ... اليوم")
    tells the news of its own day, so its undated lead takes that day, not the day before. A
    "today" further on or of a plan ("عرضه على مجلس الأمن اليوم") says nothing of the lead."""
    after = next((i for i in range(body + 1, len(doc.sentences)) if doc.sentences[i].kind == "body"), None)
    for d in drafts:
        if d.sentence != after or d.date is None or d.status != "occurred":
            continue
        dm = doc.dates[d.date]
        rel = dm.relative
        if (
            rel is not None
            and rel.unit == "day"
            and rel.offset_days == 0
            and dm.start_date == doc.publication.date
        ):
            return d.date
    return None


IMPERFECT_PREFIXES = ("ي", "ت", "ن")


def _imperfect(word: str, d: _Draft) -> bool:
    """A verb trigger in the imperfect ("يتهم", "وتطالب"; not "تعرضت", whose final ت marks the past)."""
    if d.entry.pos != "verb":
        return False
    if word[:1] in ("و", "ف") and len(word) > 3:
        word = word[1:]
    return word.startswith(IMPERFECT_PREFIXES) and not word.endswith("ت")


STATEMENT_CHANNELS = frozenset({"statement", "press_conference"})
STATEMENT_OPENING = 3  # tokens: the next sentence opens with the statement ("ونعت الوزارة في بيان اليوم")


def _date_from_next_statement(
    doc: Document, drafts: list[_Draft], frames: list[ReportingFrame], shifts: set[int]
) -> None:
    """ "قتل مدير المنفذ في اشتباكات بالمدينة." then "ونعت وزارة الداخلية في بيان اليوم ...": an
    event the outlet tells undated, followed at once by the statement that announced it, dated
    ("في بيان اليوم/أمس"), happened by that day; it takes the statement's date, as an event told
    inside a dated statement does (``said_on``)."""
    said: dict[int, int] = {}
    for f in frames:
        if f.said_on is None or f.channel not in STATEMENT_CHANNELS or f.sentence in said:
            continue
        s = doc.sentences[f.sentence]
        if s.token_index(f.cue_start) <= STATEMENT_OPENING and _recent_day(doc, f.said_on):
            said[f.sentence] = f.said_on
    for d in drafts:
        nxt = d.sentence + 1
        if not d.attributed and nxt in said and nxt not in shifts and _borrows_date(doc, d):
            d.date = said[nxt]


def _date_from_visit(doc: Document, drafts: list[_Draft], lex: EventLexicon) -> None:
    """ "وصل فابيوس يوم الأربعاء إلى طهران في زيارة لمدة يوم" ... "ومن المقرر أن يلتقي فابيوس
    نظيره": a meeting with no day of its own, of a person whose dated visit was told up to
    ``LATER_REACH`` sentences before, is part of that visit: it takes its day (the visit's first)
    and place. Its status stays what its own clause says (planned here)."""
    for i, d in enumerate(drafts):
        if d.date is not None or d.entry.type != "CONSULT" or d.mode == "visit":
            continue
        people = {e for e in d.actors if e in doc.entities and doc.entities[e].kind == "person"}
        for v in reversed(drafts[:i]):
            if d.sentence - v.sentence > LATER_REACH:
                break
            if v.mode == "visit" and v.date is not None and people & set(v.actors):
                d.date = v.date
                d.location = d.location or v.location
                break


HAPPENED_RECENT_DAYS = 31  # a day "the operation took place on" is the news when no older than this
HAPPENED_REACH = 4  # tokens from a date back to the incident noun before "(التي) جرت في"


def _numbered(text: str) -> bool:
    """Whether a date expression writes its day as a number ("11 يوليو", "17/7")."""
    return any(ch.isdigit() for ch in text)


def _happened_on(doc: Document, si: int, lex: EventLexicon) -> int | None:
    """The first day of sentence ``si`` written after "incident noun (التي) happened-verb"
    ("العملية التي جرت في 11 يوليو", "في ضربة وقعت في 11 يوليو", "هذه الحادثة وقعت يوم 17
    يوليو 2015"): the sentence says when an act took place. A calendar day (day and month
    written as a number, ``_numbered``; a weekday or "أمس" may be the statement's own time), at most
    ``HAPPENED_RECENT_DAYS`` before publication, not after it."""
    s = doc.sentences[si]
    words = lex.words
    for di in dates_between(doc, s.start, s.end):
        dm = doc.dates[di]
        published = doc.publication.date
        if dm.precision != "day" or dm.start_date is None or published is None or not _numbered(dm.text):
            continue
        if not 0 <= (published - dm.start_date).days <= HAPPENED_RECENT_DAYS:
            continue
        k = s.token_index(doc.date_starts[di])
        j = k - 1
        while (
            j >= 0
            and k - j <= HAPPENED_REACH
            and (s.tokens[j].text in lex.prepositions or s.tokens[j].text in words["day_parts"])
        ):
            j -= 1
        if j < 1 or s.tokens[j].text not in words["happened_verbs"]:
            continue
        j -= 1
        if j >= 1 and s.tokens[j].text in words["relative_pronouns"]:
            j -= 1
        if any(f in words["incident_nouns"] for f in _bare_forms(s.tokens[j].text)):
            return di
    return None


def _date_from_happened_on(doc: Document, drafts: list[_Draft], lex: EventLexicon, shifts: set[int]) -> None:
    """ "أعلنت الوزارة اليوم (الجمعة) أن قياديا قتل في غارة" then "وأوضحت أن العملية التي جرت
    في 11 يوليو أدت الى مقتله": an occurred attack or arrest that is undated or dated only by the
    day of the statement that tells it (``said_on``) takes the day a sentence up to ``LATER_REACH`` on
    says the act took place (``_happened_on``; the nearest such sentence, in the act's own sentence
    only after its trigger), with no sentence opening on another matter between them. An act told
    as another of its kind or in the pluperfect is not dated so."""
    for d in drafts:
        if (
            (d.date is not None and d.date != d.said_on)
            or d.status != "occurred"
            or d.entry.type not in ("ASSAULT", "COERCE")
            or _another(doc, d, lex)
            or _pluperfect(doc, d)
        ):
            continue
        for si in range(d.sentence, min(d.sentence + LATER_REACH + 1, len(doc.sentences))):
            if si > d.sentence and si in shifts:
                break
            di = _happened_on(doc, si, lex)
            if di is None:
                continue
            if si > d.sentence or doc.date_starts[di] > doc.sentences[si].tokens[d.last].start:
                d.date = di
            break


COORDINATE_REACH = 6  # tokens from an act to a verbal noun joined to it by "و" ("مقتل X وإيقاف Y")


def _date_of_coordinates(doc: Document, drafts: list[_Draft], lex: EventLexicon) -> None:
    """ "عملية أمنية ... صباح الجمعة أسفرت عن مقتل أحد المطلوبين وإيقاف ثمانية آخرين": an
    undated verbal noun joined by "و" to a dated act of the same sentence, up to
    ``COORDINATE_REACH`` tokens after it with no clause stop or comma between, is another outcome
    of the same operation: it takes that act's date. Both must have occurred."""
    conjunctions = morphology().conjunctions
    for prev, d in itertools.pairwise(drafts):
        if (
            d.date is not None
            or prev.date is None
            or d.sentence != prev.sentence
            or d.status != "occurred"
            or prev.status != "occurred"
            or d.entry.pos != "noun"
            or not 0 < d.first - prev.last <= COORDINATE_REACH
        ):
            continue
        s = doc.sentences[d.sentence]
        word = s.tokens[d.first].text
        if word[:1] not in conjunctions or any(
            s.tokens[k].text in lex.stops or k in s.comma_before for k in range(prev.last + 1, d.first + 1)
        ):
            continue
        d.date = prev.date


PROTEST_OBJECT_REACH = 3  # tokens after an arrest or dispersal in which it names the protesters


def _date_from_protest(doc: Document, drafts: list[_Draft], lex: EventLexicon, shifts: set[int]) -> None:
    """ "المظاهرة التي انطلقت صباح الأربعاء ..." then "أن قوات الأمن فرقت المظاهرة بالقوة";
    "تفريق مظاهرة أمس (الخميس)" then "انتهت بتوقيف متظاهرين": an undated arrest or dispersal
    (COERCE) that names the protest or the protesters (wordlist ``protesters``, in its clause or
    within ``PROTEST_OBJECT_REACH`` tokens after its trigger) was done at the protest the article
    told before it: it takes the date of the latest dated protest before it, with no sentence
    opening on another matter (``shifts``) between them. Not an act that may not borrow a date
    (``_borrows_date``: pluperfect "وكان ... قد اعتقلا", imperfect, a date of its own sentence)."""
    protesters = lex.words["protesters"]
    for i, d in enumerate(drafts):
        if d.entry.type != "COERCE" or d.mode not in ("arrest", "repress") or d.date is not None:
            continue
        s = doc.sentences[d.sentence]
        near = [
            t
            for k, t in enumerate(s.tokens)
            if d.lo <= t.start < d.hi or d.last < k <= d.last + PROTEST_OBJECT_REACH
        ]
        if not any(f in protesters for t in near for f in _bare_forms(t.text)):
            continue
        protest = next(
            (e for e in reversed(drafts[:i]) if e.entry.type == "PROTEST" and e.date is not None), None
        )
        if (
            protest is None
            or any(si in shifts for si in range(protest.sentence + 1, d.sentence + 1))
            or not _borrows_date(doc, d, protest.date if protest.sentence == d.sentence else None)
        ):
            continue
        d.date = protest.date
        d.location = d.location or protest.location


def _object_of_repression(drafts: list[_Draft], lex: EventLexicon) -> None:
    """ "استخدمت الشرطة، أمس (الخميس)، القوة من أجل تفريق مظاهرة نظمها ناشطون في نواكشوط": a
    protest named as the object of its dispersal (``repress`` mode: right after its trigger, or
    with no clause stop between the two) happened then and there; the two share the date and the
    place either one states."""
    for d, e in itertools.pairwise(drafts):
        if (
            d.mode == "repress"
            and e.entry.type == "PROTEST"
            and (e.first - d.last <= REPRESSED_REACH or e.lo <= d.hi)
        ):
            if e.date is None:
                e.date = d.date
            if d.date is None:
                d.date = e.date
            d.location = d.location or e.location
            e.location = e.location or d.location


REPRESSED_REACH = 2  # tokens from a dispersal to the protest it disperses ("تفريق مظاهرة")


def _another(doc: Document, d: _Draft, lex: EventLexicon) -> bool:
    """ "سلسلة غارات ثانية"، "هجوم جديد": a report that says it is another of its kind (``another``
    words within two tokens after the trigger) is not the event a later report dates."""
    tokens = doc.sentences[d.sentence].tokens[d.last + 1 : d.last + 3]
    return any(t.text in lex.words.get("another", frozenset()) for t in tokens)


def _pinpoint(place: Entity | None) -> bool:
    """A town, district or site: not a country ("في تركيا": two arrests of one campaign) nor a
    region or sea the knowledge base gives no coordinates ("في سيناء": a campaign's toll and an
    attack's)."""
    if place is None or place.kind == "country":
        return False
    return place.kb_id is None or place.lat is not None


def _pluperfect(doc: Document, d: _Draft) -> bool:
    """ "وكانت الميليشيات قد قصفت ...": an act told in the pluperfect came before the news."""
    lists = event_lexicon().words
    words = [t.text for t in doc.sentences[d.sentence].tokens[: d.first]]
    at = next((i for i, w in enumerate(words) if w in lists["perfect_particles"]), None)
    return at is not None and any(w in lists["past_auxiliaries"] for w in words[:at])


def _reports_again(d: _Draft, later: _Draft, lex: EventLexicon, entities: dict[str, Entity]) -> bool:
    """Whether ``later`` can be a later report of the event ``d`` tells (see ``_date_from_later``)."""
    same_kind = _group(d, lex) == _group(later, lex)
    tolls = lex.words.get("toll_modes", frozenset())
    toll_and_act = (  # "قتل اثنان" ... "التفجير المزدوج ... مساء الأربعاء": a toll and its act
        d.entry.type in lex.casualty_types
        and later.entry.type in lex.casualty_types
        and (d.mode in tolls or later.mode in tolls)
    )
    if later.status != "occurred" or not (same_kind or toll_and_act):
        return False
    if d.location is not None and later.location is not None and d.location != later.location:
        return False
    if d.killed is not None and later.killed is not None and d.killed != later.killed:
        return False
    if not _compatible_people(d, later, entities):
        return False
    same_place = (
        d.location is not None and d.location == later.location and _pinpoint(entities.get(d.location))
    )
    same_toll = d.killed is not None and d.killed == later.killed
    return same_place or same_toll


def _with_pronoun(s: Sentence, hit: PhraseMatch[TriggerEntry]) -> bool:
    """A one-word noun trigger written with an attached pronoun ("وصوله", "استقباله")."""
    if hit.first != hit.last:
        return False
    return s.tokens[hit.first].text != hit.prefix + hit.core


def _fold_references(doc: Document, drafts: list[_Draft], lex: EventLexicon, shifts: set[int]) -> None:
    """ "التقى X Y في جدة ... وجرى خلال اللقاء ..."، "حضر اللقاء Z"، "وكان في استقباله لدى وصوله W":
    a definite or pronoun-bearing noun of the same kind, in the same or the next sentence, names the
    event just told; the people it adds take part in that event (no new event), and its place
    fills a place the event lacks. ``_dedupe`` then drops it as a repeat."""
    last: _Draft | None = None
    for d in drafts:
        prev = last
        last = d
        if (
            prev is None
            or not d.referring
            or d.sentence not in (prev.sentence, prev.sentence + 1)
            or (d.sentence != prev.sentence and d.sentence in shifts)
            or _group(d, lex) != _group(prev, lex)
            or d.status != prev.status
            or d.killed is not None
            or d.wounded is not None
        ):
            continue
        if d.date is not None and not _same_date(doc, d.date, prev.date):
            continue
        if (
            d.location is not None
            and prev.location is not None
            and d.location != prev.location
            and not d.pronoun
        ):
            continue  # "لدى وصوله مطار X" after "وصل إلى جدة": the airport is where he arrived
        for entity, role in d.actors.items():
            if entity in prev.actors:
                d.actors[entity] = prev.actors[entity]
            else:
                prev.actors[entity] = role if role not in prev.actors.values() else "participant"
                d.actors[entity] = prev.actors[entity]
        prev.location = prev.location or d.location
        if prev.date is None:
            prev.date = d.date
        d.location, d.date = prev.location, prev.date
        last = prev  # "وصوله ... استقباله": a second reference still names the first event


def _apply_denials(
    doc: Document, drafts: list[_Draft], frames: list[ReportingFrame], lex: EventLexicon
) -> None:
    """A denial ("نفى", "غير صحيح") denies the event it names, and every unconfirmed report of
    that kind in the article (planned, speculated, attributed to someone, or undated: the rumoured
    deal in the headline), but not a dated fact in the outlet's own voice; a denial of "these
    reports" ("هذه الأنباء عارية عن الصحة") denies what the previous statement reported."""
    all_sentences = doc.sentences
    denied: set[tuple[str, str]] = set()
    spans: list[tuple[int, int]] = []
    for k, f in enumerate(frames):
        if f.stance != "denies" or f.sentence >= len(all_sentences):
            continue
        named = _kinds_in(f, all_sentences, lex)
        spans.append((f.content_start, f.content_end))
        if (
            not named
            and k > 0
            and f.sentence - frames[k - 1].sentence <= 1
            and _anaphoric(f, all_sentences, lex)
        ):
            named = _kinds_in(frames[k - 1], all_sentences, lex)
            spans.append((frames[k - 1].content_start, frames[k - 1].content_end))
        denied |= named
    in_spans = [d for d in drafts if any(a <= d.trigger_lo < b for a, b in spans)]
    for d in drafts:
        inside = d in in_spans
        if _group(d, lex) in denied and (
            inside
            or (
                (d.status != "occurred" or ((d.attributed or d.date is None) and not d.self_report))
                and not any(_group(n, lex) == _group(d, lex) and _distinct(n, d) for n in in_spans)
            )
        ):
            d.status = "denied"


def _distinct(a: _Draft, b: _Draft) -> bool:
    """Whether two reports of one kind are about different things: different weapons or a
    different receiving side ("نفى أن تكون روسيا سلمت إيران إس-400" does not deny the S-300
    delivered to Syria)."""
    for role in ("mentioned", "target"):
        ra = {e for e, r in a.actors.items() if r == role}
        rb = {e for e, r in b.actors.items() if r == role}
        if ra and rb and not ra & rb:
            return True
    return False


def _without_own_country(doc: Document, actors: dict[str, EventRole]) -> dict[str, EventRole]:
    """An attacker's own country is not the other side ("قوات النظام السوري هاجمت مواقع للمعارضة
    السورية": the nisba says whose opposition it is, not that Syria was attacked)."""
    own: set[str] = set()
    for e, r in actors.items():
        entity = doc.entities.get(e)
        if r == "source" and entity is not None:
            own.add(entity.kb_id if entity.kind == "country" and entity.kb_id else entity.country or "")
    return {
        e: r
        for e, r in actors.items()
        if not (
            r != "source"
            and e in doc.entities
            and doc.entities[e].kind == "country"
            and (doc.entities[e].kb_id or e) in own
        )
    }


def _party_to(doc: Document, speaker: str | None, actors: dict[str, EventRole]) -> bool:
    """Whether the speaker takes part in the event, in person or through their country
    ("أعلنت وزارة الدفاع الروسية أن روسيا سلمت ..." is Russia's own report)."""
    if speaker is None:
        return False
    if speaker in actors:
        return True
    entity = doc.entities.get(speaker)
    if entity is None or entity.country is None:
        return False
    return any(
        (doc.entities[e].kb_id or e) == entity.country or e == entity.country
        for e in actors
        if e in doc.entities and doc.entities[e].kind == "country"
    )


def _anaphoric(f: ReportingFrame, all_sentences: list[Sentence], lex: EventLexicon) -> bool:
    """Whether a frame's content opens with a demonstrative ("هذه الأنباء", "ذلك")."""
    s = all_sentences[f.sentence]
    i = s.token_index(f.content_start)
    return any(t.text in lex.anaphoric for t in s.tokens[i : i + 2])


def _kinds_in(f: ReportingFrame, all_sentences: list[Sentence], lex: EventLexicon) -> set[tuple[str, str]]:
    """The event kinds whose triggers occur in a frame's content, unless what is denied is
    someone's involvement in it ("نفت أي علاقة لطهران بالهجوم" does not deny the attack)."""
    s = all_sentences[f.sentence]
    lo = s.token_index(f.content_start)
    hits = lex.triggers.find(s.tokens, lo, s.token_index(f.content_end))
    return {
        (h.payload.type, lex.merge_groups.get(h.payload.mode, h.payload.mode))
        for h in hits
        if not any(t.text in lex.involvement for t in s.tokens[lo : h.first])
    }


def _dedupe(
    doc: Document, drafts: list[_Draft], lex: EventLexicon
) -> tuple[list[_Draft], list[tuple[int, _Draft]]]:
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


def _repeats(doc: Document, d: _Draft, k: _Draft, lex: EventLexicon) -> bool:
    """Whether ``d`` says nothing that ``k`` does not (same kind and status). A report of a
    violent act repeats an earlier one only when it refers back to it ("التفجير") or happens at
    the same place, and gives no other count: an article often reports several attacks."""
    if d.entry.type in lex.casualty_types and (
        not (d.definite or (d.location is not None and d.location == k.location))
        or (d.killed is not None and k.killed is not None and d.killed != k.killed)
        or (d.wounded is not None and k.wounded is not None and d.wounded != k.wounded)
    ):
        return False
    if d.date is None and k.date is not None and _background(doc, k, lex):
        return False  # the undated report is the news; the one dated years before is background
    if d.within != k.within:
        return False  # a visit and the meeting inside it are two events
    prio = lex.mode_priority
    if d.mode in prio and k.mode in prio and prio.index(d.mode) < prio.index(k.mode) and k.patient:
        return False  # "هجوم بسيارة مفخخة" is no repeat of a later "مقتل عسكريين ... في الهجوم"
    if d.mode != k.mode and d.patient and d.sentence != k.sentence and d.entry.type not in lex.casualty_types:
        return False  # "فرقت الشرطة مظاهرة ..." then "انتهت بتوقيف متظاهرين": another act, on named people
    if d.date is None and _pluperfect(doc, k) and not _pluperfect(doc, d):
        return False  # "وكان ... قد اعتقلا في نوفمبر" is background: the undated news is not it
    return (
        _group(d, lex) == _group(k, lex)
        and d.status == k.status
        and set(d.actors.items()) <= set(k.actors.items())
        and d.location in (None, k.location)
        and _same_date(doc, d.date, k.date)
    )


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


def _clause_casualties(
    s: Sentence, lo: int, hi: int, t_lo: int, t_hi: int, entry: TriggerEntry, lex: EventLexicon
) -> dict[str, int | None]:
    if entry.type not in lex.casualty_types:
        return {}
    found = read_casualties(
        [t.text for t in s.tokens[s.token_index(min(lo, t_lo)) : s.token_index(max(hi, t_hi))]]
    )
    return {"killed": found.killed, "wounded": found.wounded}


def _count_casualties(s: Sentence, drafts: list[_Draft], lex: EventLexicon) -> None:
    """Killed and wounded counts of a sentence's violent events: from the event's clause, else
    from the sentence when it reports one violent event ("أسفر عن مقتل 30 شخصاً وإصابة نحو 100")."""
    violent = [d for d in drafts if d.entry.type in lex.casualty_types]
    if len(violent) != 1 or violent[0].killed is not None or violent[0].wounded is not None:
        return
    found = read_casualties([t.text for t in s.tokens])
    violent[0].killed, violent[0].wounded = found.killed, found.wounded


def _mention(doc: Document, d: _Draft, lex: EventLexicon) -> EventMention:
    lo, hi = trim(doc.norm, min(d.lo, d.trigger_lo), max(d.hi, d.trigger_hi))
    while hi > d.trigger_hi:
        cut = doc.norm.rfind(" ", lo, hi)
        if cut < d.trigger_hi or doc.norm[cut + 1 : hi] not in lex.trailers:
            break
        lo, hi = trim(doc.norm, lo, cut)
    start, end, quote = verbatim_span(doc, lo, hi)
    t_start, _, trigger = verbatim_span(doc, d.trigger_lo, d.trigger_hi)
    confidence = (
        d.confidence
        + 0.05 * (len(d.actors) >= 2)
        + 0.05 * (d.location is not None)
        + 0.05 * (d.date is not None)
        - 0.1 * (d.status == "speculative")
    )
    return EventMention(
        start=start,
        end=end,
        quote=quote,
        trigger=trigger,
        trigger_start=t_start,
        plover_type=d.entry.type,
        plover_mode=d.mode,
        cameo=lex.cameo.get(d.entry.type, {}).get(d.mode) or lex.type_cameo.get(d.entry.type),
        status=d.status,
        actors=[EventActor(entity=e, role=r) for e, r in d.actors.items()],
        location=d.location,
        date=d.date,
        via=d.via,
        confidence=round(min(0.95, max(0.1, confidence)), 2),
        killed=d.killed,
        wounded=d.wounded,
    )
