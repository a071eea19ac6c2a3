"""Reading a trigger's clause: who plays which role, and where the event takes place.

The clause after a trigger is read token by token as a sequence of slots: the bare slot
(subject of a verb, genitive of a noun, then objects), preposition slots ("مع", "إلى", "من قبل"),
the delegation-head slot ("برئاسة", "ترأسه") and the object slot after "نظيره". Each actor
mention takes the role its trigger's role frame gives that slot; see ``events`` for the
convention (roles follow the direction of the CAMEO code: the visitor of a visit, the host of a
hosted visit, the giver of aid is the source).
"""

from __future__ import annotations

from service.extract.actors.knowledge import knowledge
from service.extract.document import Document, EventRole, MentionSpan, Sentence
from service.extract.events.casualties import number_at
from service.extract.events.lexicon import (
    ACTOR_KINDS,
    EventLexicon,
    TriggerEntry,
    dative_form,
    preposition,
    strip_article,
)
from service.extract.text.clauses import PhraseMatch, mentions_between, morphology


def _slot_of(s: Sentence, m: MentionSpan, slots: list[str], lex: EventLexicon) -> str:
    i = min(s.token_index(m.start), len(slots) - 1)
    tok = s.tokens[i]
    if m.start > tok.start:
        head = tok.text[: m.start - tok.start]
        if head in lex.dative_prefixes:
            return lex.dative_slot
        if head in lex.locative_prefixes:
            return lex.locative_slot
    return slots[i]


def _left_slot(s: Sentence, m: MentionSpan, lex: EventLexicon) -> str:
    """The preposition governing a mention before the trigger ("direct" when none)."""
    i = s.token_index(m.start)
    if i >= len(s.tokens):
        return "direct"
    tok = s.tokens[i]
    if m.start > tok.start:
        head = tok.text[: m.start - tok.start]
        if head in lex.dative_prefixes:
            return lex.dative_slot
        if head in lex.locative_prefixes:
            return lex.locative_slot
    if i > 0 and preposition(s.tokens[i - 1].text, lex):
        if (
            i > 1
            and preposition(s.tokens[i - 1].text, lex) == lex.origin_prep
            and s.tokens[i - 2].text in lex.partitive
        ):
            return "direct"  # "قوة من الجيش العراقي اعتقلت": the subject
        return preposition(s.tokens[i - 1].text, lex)
    return "direct"


def read_roles(
    doc: Document,
    s: Sentence,
    hit: PhraseMatch[TriggerEntry],
    lo: int,
    hi: int,
    spans: list[MentionSpan],
    lex: EventLexicon,
    shared_subject: bool = False,
    frame_name: str | None = None,
) -> tuple[dict[str, EventRole], str | None]:
    """Actors of the clause with their roles (see the module docstring), and its location."""
    entry = hit.payload
    frame = lex.frames[frame_name or entry.frame]
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
    needs_support = entry.pos == "noun" and entry.type in lex.agent_types
    for m in window:
        if m.start >= t_lo:
            break
        if m.kind == "weapon":
            add(m.entity, "mentioned")
        elif (
            m.kind in ACTOR_KINDS
            and not (m.kind == "country" and beside_place(m))
            and not _locative(s, m, lex)
        ):
            where = _left_slot(s, m, lex)
            if where in ("direct", lex.origin_prep) and needs_support and _exposed(s, m, hit, lex):
                add(m.entity, "target")  # "تعرض مركز X لقذائف"، "تعرضت دورية لإطلاق نار": X was hit
                continue
            if where == "direct":
                if needs_support and not _supported(s, m, hit, lex):
                    continue  # "ندد X بالهجوم", "شهدت تركيا هجوماً": X is not the attacker
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
    if (
        entry.pos == "noun"
        and hit.first == hit.last
        and not token.endswith(hit.core)
        and (token != hit.prefix + hit.core)
    ):
        # "استقباله المبعوث": the pronoun is the genitive, the noun phrase after it the object
        direct_role = frame.object
    if entry.pos == "verb" and not subject_seen and _subject_before(s, hit, lo, lex):
        subject_seen = True  # "قواته أسقطت طائرة هندية": the noun after the verb is its object
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
    agent_head, _, agent_tail = lex.agent_phrase.partition(" ")
    agent_until = -1
    related: set[int] = set()  # tokens after a relation word: their actor describes the noun before
    for i in range(hit.last + 1, s.token_index(hi)):
        tok = s.tokens[i]
        text = tok.text
        agent_cue = lex.agent_cues.match_at(s.tokens, i) if i > agent_until else None
        if agent_cue is not None:
            agent_until = agent_cue.last  # "هجوم نفذته المنظمة", "على يد مسلحين": the agent follows
        starts_mention = i in start_tokens
        if text in lex.relation_words:
            j = i + 2 if i + 2 < len(s.tokens) and s.tokens[i + 1].text in ("من", "مع") else i + 1
            related.add(j)
            while j in s.title_tokens and j + 1 < len(s.tokens) and j not in start_tokens:
                j += 1  # "الموالية للرئيس عبد ربه منصور هادي": through the title to the name
                related.add(j)
        # words of a title ("المبعوث الأممي إلى اليمن") open no slot
        in_title = not starts_mention and i in s.title_tokens
        pair = (
            lex.agent_phrase
            if (text == agent_head and i + 1 < len(s.tokens) and s.tokens[i + 1].text == agent_tail)
            else text
        )
        if by_prep and i in s.date_tokens:
            slot, by_prep = "direct", False  # "استقبل في 12 آب المبعوث": the date ends the phrase
        if (
            i == hit.last + 1
            and entry.pos == "verb"
            and (
                (text in lex.generic_subjects and not starts_mention)
                or (text in lex.generic_institutions and not starts_mention)
                or (
                    not starts_mention
                    and not in_title
                    and _unnamed_title(text)
                    and _delegation_follows(s, after, lex)
                )
            )
        ):
            subject_seen = True  # "وطالب المحتجون حكومة ...", "استقبل نائب الوزير الوفد": an unnamed subject
        if (
            i == hit.last + 1
            and text in lex.force_arms
            and not starts_mention
            and not _listed_owner(s, i, start_tokens)
            and entry.type in lex.agent_types
        ):
            # "قصف طيران التحالف مواقع الحوثيين": a force's arms whose owner no one listed are the
            # act's agent, so the next actor is its object ("طيران التحالف" listed is the agent)
            subject_seen, direct_role = True, frame.object
        if text in lex.object_markers:
            slot, by_prep = "direct_obj", False
        elif in_title:
            pass
        elif starts_mention and by_prep and "," in doc.norm[s.tokens[i - 1].end : tok.start]:
            slot, by_prep = last_slot, False
        elif pair == lex.agent_phrase or agent_until >= i:
            slot, by_prep = lex.agent_phrase, False
        elif starts_mention and tok.start in starts:
            pass
        elif (
            preposition(text, lex) == lex.origin_prep
            and i > 0
            and (
                s.tokens[i - 1].text in lex.delegation
                or dative_form(s.tokens[i - 1].text, lex) in lex.delegation
            )
        ):
            slot, by_prep = "head", False  # "وفداً من حركة حماس": the delegation's members
        elif (
            preposition(text, lex) == lex.origin_prep
            and i > 0
            and entry.type in lex.agent_types
            and slot != lex.agent_phrase
            and _counted(s, i - 1, lex)
        ):
            slot, by_prep = VICTIMS_SLOT, False  # "قتلت عضوين من حزب الله": whose members were hit
        elif preposition(text, lex) == lex.origin_prep and i > 0 and s.tokens[i - 1].text in lex.partitive:
            pass  # "ثلاثة عناصر من تنظيم داعش": a part of the phrase before, not a new slot
        elif preposition(text, lex) and not (slot == lex.agent_phrase and lex.agent_phrase.endswith(text)):
            slot, by_prep = preposition(text, lex), True
        elif text in lex.heads:
            slot, by_prep = "head", False
        elif text in lex.delegation or dative_form(text, lex) in lex.delegation:
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
            if m.kind not in ACTOR_KINDS or (m.kind == "country" and beside_place(m)) or _locative(s, m, lex):
                continue
            if s.token_index(m.start) in related:
                add(m.entity, "mentioned")  # "قائد موال لجماعة الحوثي": who the commander is loyal to
                continue
            where = _slot_of(s, m, slots, lex)
            last_slot = where
            role: EventRole
            if where == "direct":
                if entry.pos == "verb" and (
                    not subject_seen or _continues_subject(doc, m, last_subject, lex)
                ):
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
            elif where == VICTIMS_SLOT:
                role = "target"
            elif where == lex.dative_slot and where not in frame.preps and entry.type in lex.agent_types:
                # "قصفت مواقع لحزب العمال": whose positions, the target; "هجوم لحزب العمال": whose attack
                role = frame.object if entry.pos == "verb" else frame.genitive
            else:
                role = frame.preps.get(where, "participant")
            add(m.entity, role)
    return actors, _location(doc, s, hit, window, places, lex)


VICTIMS_SLOT = "victims"  # the group of counted victims after an act ("عضوين من حزب الله")


def _counted(s: Sentence, i: int, lex: EventLexicon) -> bool:
    """Whether token ``i`` counts people: a number or a dual ("عضوين", "13"), or a head of counted
    people ("عناصر", "أعضاء") right after a number ("ثلاثة عناصر من تنظيم داعش")."""
    words = [t.text for t in s.tokens]
    if number_at(words, i) is not None or words[i] in lex.words.get("casualty_nouns", frozenset()):
        return True
    return words[i] in lex.partitive and i > 0 and number_at(words, i - 1) is not None


def _exposed(s: Sentence, m: MentionSpan, hit: PhraseMatch[TriggerEntry], lex: EventLexicon) -> bool:
    """Whether the actor before an act's noun is the subject of a word of exposure ("تعرض",
    "تعرضت") just before it: it came under the act ("تعرضت دورية من قوة X لمقذوف"); not a report
    of someone's exposure ("بلاغاً عن تعرض أحد المواطنين")."""
    words = lex.words.get("exposure_words", frozenset())
    at = s.token_index(m.start)
    before = s.tokens[max(0, at - EXPOSED_REACH) : at + 1]  # "تعرضت دورية مساندة من قوة X"
    return any(
        (t.text in words or t.text[1:] in words) and (k == 0 or before[k - 1].text != "عن")
        for k, t in enumerate(before)
    )


EXPOSED_REACH = 4  # tokens from the word of exposure to the actor it is said of


def _listed_owner(s: Sentence, i: int, start_tokens: set[int]) -> bool:
    """Whether the force whose arms token i names is a listed actor: the word after them, or the
    first after their adjectives ("طائرات حربية تركية": the nisba after "حربية")."""
    j = i + 1
    while (
        j < len(s.tokens) and j not in start_tokens and j - i <= 2 and s.tokens[j].text.endswith(("يه", "ي"))
    ):
        j += 1  # adjectives of the arms ("حربية", "الحربي"); the text is folded, ة is written ه
    return j in start_tokens


def _subject_before(s: Sentence, hit: PhraseMatch[TriggerEntry], lo: int, lex: EventLexicon) -> bool:
    """Whether the verb follows its subject (SVO): a definite noun, a noun with a pronoun, or a
    complementizer with a pronoun ("أنه") right before it, in the same clause and with no comma."""
    i = hit.first - 1
    if i < 0 or s.tokens[i].start < lo or i in s.date_tokens or hit.first in s.comma_before:
        return False
    if hit.prefix[:1] in morphology().conjunctions:
        return False  # "... وقصفت": a new clause
    word = s.tokens[i].text
    art = morphology().article
    if word.startswith(art) and len(word) > 4 and word not in lex.stops and not preposition(word, lex):
        return True
    return len(word) > 3 and word.endswith(lex.pronoun_endings) and not preposition(word, lex)


def _supported(s: Sentence, m: MentionSpan, hit: PhraseMatch[TriggerEntry], lex: EventLexicon) -> bool:
    """Whether a support verb makes the subject before an act's noun its agent: between the two
    ("الجيش شن هجوماً") or right before the subject ("شن الجيش هجوماً")."""
    first = max(0, s.token_index(m.start) - 1)
    for tok in s.tokens[first : hit.first]:
        text = tok.text
        if text in lex.light_verbs or (text[:1] in ("و", "ف") and text[1:] in lex.light_verbs):
            return True
    return False


def _locative(s: Sentence, m: MentionSpan, lex: EventLexicon) -> bool:
    """A country named as where something happens, not who takes part: after a locative word or
    prefix ("في البحرين", "بجنوب شرق تركيا", "قرب الحدود السورية")."""
    if m.kind != "country":
        return False
    i = s.token_index(m.start)
    if i >= len(s.tokens):
        return False
    tok = s.tokens[i]
    if m.start > tok.start and tok.text[: m.start - tok.start] in lex.locative_prefixes:
        return True
    prev = s.tokens[i - 1].text if i > 0 else ""
    if prev[:1] in ("و", "ف") and prev[1:] in lex.locative_words:
        prev = prev[1:]
    return prev in lex.locative_words or (
        prev == "مع" and i > 1 and s.tokens[i - 2].text in lex.locative_words
    )


def _unnamed_title(word: str) -> bool:
    """A role head that opens a title nobody is named in ("نائب وزير الدفاع" as a subject)."""
    kb = knowledge()
    return strip_article(word) in kb.role_first or word in kb.role_first


def _delegation_follows(s: Sentence, after: list[MentionSpan], lex: EventLexicon) -> bool:
    """The first actor after the trigger is a delegation ("الوفد السوري", "وفداً من ..."), so a
    title before it is an unnamed subject, not the delegation's own head."""
    first = next((m for m in after if m.kind in ACTOR_KINDS), None)
    if first is None:
        return False
    i = s.token_index(first.start)
    words = [s.tokens[j].text for j in (i - 1, i) if 0 <= j < len(s.tokens)]
    return any(w in lex.delegation or dative_form(w, lex) in lex.delegation for w in words)


def _continues_subject(doc: Document, m: MentionSpan, prev: MentionSpan | None, lex: EventLexicon) -> bool:
    """Whether a mention still belongs to the subject noun phrase that ``prev`` started
    (an apposition after a comma, or a nationality adjective after a title or name)."""
    if prev is None:
        return False
    gap = doc.norm[prev.end : m.start]
    if len(gap.split()) > 2:
        return False
    if "," in gap or "-" in gap:
        return True
    if m.start <= prev.end:
        return True
    if m.kind == "country":  # "وزير الدفاع السوري": a one-word nationality adjective after a title or name
        word = doc.norm[m.start : m.end]
        return (
            " " not in word and word.endswith(lex.nisba_endings) and prev.kind in ("person", "organization")
        )
    # "وزير الخارجية الإيراني عباس عراقجي": the name after a nationality adjective
    return prev.kind == "country" and doc.norm[prev.start : prev.end].endswith(lex.nisba_endings)


def _location(
    doc: Document,
    s: Sentence,
    hit: PhraseMatch[TriggerEntry],
    window: list[MentionSpan],
    places: list[MentionSpan],
    lex: EventLexicon,
) -> str | None:
    """The place the clause situates the event in: after a locative preposition or prefix, as the
    object of a visit, or as the subject of "شهدت"/"عقدت"; else a country after "إلى"/"في"."""
    t_hi = s.tokens[hit.last].end

    def governed(m: MentionSpan, preps: frozenset[str]) -> bool:
        i = s.token_index(m.start)
        if i >= len(s.tokens):
            return False
        tok = s.tokens[i]
        if m.start > tok.start:
            return m.kind == "place" and tok.text[: m.start - tok.start] in lex.locative_prefixes
        j = i - 1
        while j >= 0 and s.tokens[j].text in lex.place_heads:
            j -= 1
        if j >= 0 and any(
            s.tokens[j].text.startswith(p) and strip_article(s.tokens[j].text[len(p) :]) in lex.place_heads
            for p in lex.locative_prefixes
        ):
            return True
        if j < 0:
            return False
        prev = s.tokens[j].text
        if prev in preps or preposition(prev, lex) in preps or prev in lex.location_verbs:
            return True
        return (
            m.kind == "place"
            and hit.payload.mode == "visit"
            and m.start >= t_hi
            and prev not in lex.prepositions
        )

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
