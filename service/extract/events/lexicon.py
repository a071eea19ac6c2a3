"""The event lexicon: PLOVER types, role frames, trigger surface forms and slot words.

Everything is read once from ``data/event_types.json`` and folded like the text, so the event
stage compares folded tokens only. Adding a trigger, a type or a cue is a data change.
"""

from __future__ import annotations

from functools import cache, lru_cache

import msgspec

from service.extract import datafiles
from service.extract.document import EventRole
from service.extract.events.lemmas import with_inflections
from service.extract.text.clauses import PhraseLexicon, morphology, word_set
from service.text import fold

ACTOR_KINDS = frozenset({"person", "organization", "country"})


# One lexicon entry: surface forms and the event they signal (``needs_for`` keys folded at load).
TriggerEntry = datafiles.TriggerData


class RoleFrame(msgspec.Struct, frozen=True):
    """Which role each syntactic slot of a trigger's clause gets."""

    subject: EventRole
    object: EventRole
    genitive: EventRole
    preps: dict[str, EventRole] = {}


class EventLexicon(msgspec.Struct, frozen=True):
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
    specific_modes: frozenset[str]
    purpose_of: dict[str, frozenset[str]]
    collective: frozenset[str]
    nisba_endings: tuple[str, ...]
    origin_prep: str
    partitive: frozenset[str]
    generic_subjects: frozenset[str]
    force_arms: frozenset[str]
    relation_words: frozenset[str]
    generic_institutions: frozenset[str]
    involvement: frozenset[str]
    mode_modifiers: PhraseLexicon[str]
    trailers: frozenset[str]
    during: frozenset[str]
    continuers: frozenset[str]
    window_before: int
    light_verbs: frozenset[str]
    time_after_stop: frozenset[str]
    agent_types: frozenset[str]
    agent_cues: PhraseLexicon[str]
    locative_words: frozenset[str]
    patient_words: tuple[str, ...]
    casualty_types: frozenset[str] = frozenset({"ASSAULT"})
    patient_types: frozenset[str] = frozenset({"COERCE", "PROTEST"})
    pronoun_endings: tuple[str, ...] = ("ه", "ها", "هم", "هما")
    background_days: int = 0  # a report dated longer before publication is background


@cache
def event_lexicon() -> EventLexicon:
    """The event lexicon, loaded from ``data/event_types.json`` and folded once per process."""
    data = datafiles.event_types()
    entries = [
        msgspec.structs.replace(t, needs_for={fold(k): v for k, v in t.needs_for.items()})
        for t in data.triggers
    ]
    slot_words = data.slot_words
    frames = {
        k: RoleFrame(f.subject, f.object, f.genitive, {fold(p): r for p, r in f.preps.items()})
        for k, f in data.role_frames.items()
    }
    words: dict[str, frozenset[str]] = {}
    phrases: dict[str, tuple[str, ...]] = {}
    for name, items in data.wordlists.items():
        folded = [fold(w) for w in items]
        words[name] = frozenset(w for w in folded if " " not in w)
        phrases[name] = tuple(w for w in folded if " " in w)
    return EventLexicon(
        triggers=PhraseLexicon(
            [(f, e.pos, e) for e in entries for f in with_inflections(e.forms)], enclitics=True
        ),
        cameo={t: spec.modes for t, spec in data.types.items()},
        type_cameo={t: spec.cameo for t, spec in data.types.items()},
        frames=frames,
        merge_groups=data.merge_groups,
        mode_priority=data.mode_priority,
        prepositions=word_set(data.prepositions),
        delegation=word_set(data.delegation_nouns),
        heads=word_set(data.delegation_heads),
        object_markers=word_set(data.object_markers),
        anaphoric=word_set(data.anaphoric_determiners),
        negators=word_set(data.negators),
        stops=word_set(data.clause_stops),
        planned=PhraseLexicon([(f, "particle", "planned") for f in data.status_cues.planned]),
        speculative=PhraseLexicon(
            [(f, "particle", "speculative") for f in data.status_cues.speculative]
            + [(f, "particle", "hypothetical") for f in data.status_cues.hypothetical]
            + [(f, "particle", "planned:CONSULT") for f in data.status_cues.planned_for_consult]
        ),
        window_after=data.status_window_after,
        words=words,
        phrases=phrases,
        dative_prefixes=word_set(slot_words.dative_prefixes),
        locative_prefixes=word_set(slot_words.locative_prefixes),
        dative_slot=fold(slot_words.dative_slot),
        locative_slot=fold(slot_words.locative_slot),
        agent_phrase=fold(slot_words.agent_phrase),
        location_preps=word_set(slot_words.location_preps),
        locative_preps=word_set(slot_words.locative_preps),
        place_heads=word_set(slot_words.place_heads),
        location_verbs=word_set(slot_words.location_verbs),
        linking=word_set(slot_words.linking_words),
        need_specifics=frozenset(data.need_specifics.types),
        specific_modes=frozenset(data.need_specifics.except_modes),
        purpose_of={k: frozenset(v) for k, v in data.purpose_of.items()},
        collective=word_set(slot_words.collective_anaphors),
        nisba_endings=tuple(fold(w) for w in slot_words.nisba_endings),
        origin_prep=fold(slot_words.origin_preposition),
        partitive=word_set(slot_words.partitive_heads),
        generic_subjects=word_set(slot_words.generic_subjects),
        force_arms=word_set(slot_words.force_arms),
        relation_words=word_set(slot_words.relation_words),
        generic_institutions=word_set(slot_words.generic_institutions),
        involvement=word_set(slot_words.involvement_words),
        mode_modifiers=PhraseLexicon(
            [(f, "particle", mode) for mode, forms in data.mode_modifiers.items() for f in forms]
        ),
        trailers=word_set(slot_words.span_trailers),
        during=word_set(slot_words.during_words),
        continuers=word_set(slot_words.np_continuers),
        window_before=data.status_window_before,
        light_verbs=word_set(slot_words.light_verbs),
        time_after_stop=word_set(slot_words.time_after_stop),
        agent_types=frozenset(slot_words.agent_types),
        agent_cues=PhraseLexicon([(f, "particle", "agent") for f in slot_words.agent_cues]),
        locative_words=word_set(slot_words.locative_words),
        patient_words=tuple(data.patient_words),
        background_days=data.background_days,
    )


def strip_article(word: str) -> str:
    """The word without its definite article ("العاصمة" -> "عاصمة")."""
    art = morphology().article
    return word[len(art) :] if word.startswith(art) else word


@cache
def ta_marbuta() -> str:
    """The unfolded ta marbuta letter (from the morphology data)."""
    return datafiles.event_types().morphology.ta_marbuta


def preposition(text: str, lex: EventLexicon) -> str:
    """The preposition a token is, with or without a conjunction ("وفي" is "في"), else ''."""
    return _preposition_of(text)


@lru_cache(maxsize=8192)
def _preposition_of(text: str) -> str:
    prepositions = event_lexicon().prepositions
    if text in prepositions:
        return text
    for conj in morphology().conjunctions:
        if text.startswith(conj) and text[len(conj) :] in prepositions:
            return text[len(conj) :]
    return ""


def dative_form(text: str, lex: EventLexicon) -> str:
    """The word without a dative prefix (or '' when it has none)."""
    return next(
        (text[len(p) :] for p in lex.dative_prefixes if text.startswith(p) and len(text) > len(p) + 2), ""
    )


@cache
def folded(words: tuple[str, ...]) -> frozenset[str]:
    """A folded word set for a tuple of words from the data (memoised)."""
    return word_set(words)
