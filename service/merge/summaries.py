"""English and Arabic one-sentence event summaries generated from the event's structure.

Templates, type/mode/status labels, English role labels and demonyms live in
``data/summaries.json``; this module only fills slots. For each event it walks the
templates from the most specific (type, mode, status) to the generic fallback and uses the
first candidate whose slots are all filled, so an event with no named target still gets a
grammatical sentence. English summaries carry no Arabic: actors without an English name are
rendered by ``actors.transliterate`` (people romanised, organisations and places translated where
their words are known). Violent events carry their toll, as most reports give it.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

import msgspec

from service.extract.actors.transliterate import english_name, transliterate
from service.extract.datafiles import without_notes
from service.extract.events.casualties import read_casualties
from service.models.resources import Actor, ActorRef, Event, Location, Summary
from service.text import match_key

_PATH = Path(__file__).parent / "data" / "summaries.json"
Languages = ("en", "ar")
Templates = dict[str, dict[str, dict[str, dict[str, list[str]]]]]


class ArabicAgreement(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Which actors are grammatically feminine, and the feminine forms of the templates' verbs."""

    feminine: dict[str, str]
    pronouns: dict[str, str]
    masculine_countries: frozenset[str]
    feminine_heads: frozenset[str]
    feminine_names: frozenset[str]
    masculine_heads: frozenset[str]
    honorifics: frozenset[str]


class EnglishAgreement(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The plural forms of the templates' be/have verbs and the head words that make a name plural."""

    plural: dict[str, str]
    plural_heads: frozenset[str]


class Agreement(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    ar: ArabicAgreement
    en: EnglishAgreement


class SummaryData(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The contents of ``data/summaries.json``."""

    months: dict[str, list[str]]
    date: dict[str, dict[str, str]]
    place: dict[str, str]
    types: dict[str, dict[str, str]]
    modes: dict[str, dict[str, str]]
    statuses: dict[str, dict[str, str]]
    templates: Templates
    roles: dict[str, str]
    demonyms: dict[str, str]
    agreement: Agreement
    and_: dict[str, str] = msgspec.field(name="and")
    comma: dict[str, str] = msgspec.field(default_factory=dict)
    toll: dict[str, dict[str, str]] = msgspec.field(default_factory=dict)


@cache
def summary_data() -> SummaryData:
    """The labels and templates from the data file (cached)."""
    data = msgspec.convert(without_notes(msgspec.json.decode(_PATH.read_bytes())), SummaryData)
    roles = {match_key(k): v for k, v in data.roles.items()}
    ar = data.agreement.ar
    folded = msgspec.structs.replace(
        ar,
        masculine_countries=frozenset(map(match_key, ar.masculine_countries)),
        feminine_heads=frozenset(map(match_key, ar.feminine_heads)),
        feminine_names=frozenset(map(match_key, ar.feminine_names)),
        masculine_heads=frozenset(map(match_key, ar.masculine_heads)),
        honorifics=frozenset(map(match_key, ar.honorifics)),
    )
    return msgspec.structs.replace(data, roles=roles, agreement=Agreement(ar=folded, en=data.agreement.en))


def _role_label(text: str, data: SummaryData) -> str | None:
    """The English label of the longest known role that the role text starts with."""
    tokens = match_key(text).split()
    for n in range(len(tokens), 0, -1):
        label = data.roles.get(" ".join(tokens[:n]))
        if label:
            return label
    return None


def english(ref: ActorRef | Location) -> str:
    """An actor's English name: listed, else romanised (people) or translated (the rest)."""
    if ref.name_en:
        return ref.name_en
    kind = getattr(ref, "kind", "place")
    return transliterate(ref.name_ar) if kind == "person" else english_name(ref.name_ar)


def describe(ref: ActorRef, actor: Actor | None, lang: str, data: SummaryData) -> str:
    """An actor as a summary names it: for people, country adjective and role, then the name."""
    name = english(ref) if lang == "en" else ref.name_ar
    if actor is None or actor.kind != "person" or not actor.roles:
        return name
    texts = Counter(r.text for r in actor.roles if r.text)
    if not texts:
        return name
    if lang == "ar":
        role = min(texts, key=lambda t: (-texts[t], len(t), t))
        return f"{role} {name}"
    labels = Counter(label for t, n in texts.items() for label in [_role_label(t, data)] * n if label)
    if not labels:
        return name
    label = min(labels, key=lambda x: (-labels[x], -len(x), x))
    demonym = data.demonyms.get(actor.country.name_en or "") if actor.country else None
    return f"{demonym} {label} {name}" if demonym else f"{label} {name}"


def _join(items: list[str], lang: str, data: SummaryData) -> str:
    if len(items) <= 1:
        return "".join(items)
    return data.comma.get(lang, ", ").join(items[:-1]) + data.and_[lang] + items[-1]


def _day(d: date, lang: str, data: SummaryData) -> str:
    return f"{d.day} {data.months[lang][d.month - 1]} {d.year}"


def date_phrase(event: Event, lang: str, data: SummaryData) -> str:
    """The date as a phrase (" on 2 October 2025"), empty when unknown."""
    d = event.date
    if d.start is None:
        return ""
    forms = data.date[lang]
    if d.precision == "day" or (d.precision == "range" and d.end in (None, d.start)):
        return forms["day"].format(
            day=d.start.day, month=data.months[lang][d.start.month - 1], year=d.start.year
        )
    if d.precision == "month":
        return forms["month"].format(month=data.months[lang][d.start.month - 1], year=d.start.year)
    if d.precision == "year":
        return forms["year"].format(year=d.start.year)
    end = d.end or d.start
    return forms["range"].format(start=_day(d.start, lang, data), end=_day(end, lang, data))


def _covered_countries(event: Event, actors: dict[str, Actor]) -> set[str]:
    """Countries already named through one of their people or bodies in the event."""
    covered = set()
    for ea in event.actors:
        actor = actors.get(ea.actor.id)
        if ea.actor.kind not in ("country", "weapon") and actor is not None and actor.country is not None:
            covered.add(actor.country.id)
    return covered


_ACTOR_SLOTS = ("source", "target", "target_people", "target_place", "participants", "others")
_HARAKAT = re.compile("[\u064b-\u0652\u0640]")


def _head_word(name: str, honorifics: frozenset[str] = frozenset()) -> str:
    """The first word of an Arabic name or role, without diacritics, the article and honorifics."""
    words = _HARAKAT.sub("", name).split()
    while len(words) > 1 and match_key(words[0]) in honorifics:
        words = words[1:]
    head = words[0] if words else ""
    return head[2:] if head.startswith("ال") and len(head) > 3 else head


def _feminine_form(head: str, rules: ArabicAgreement) -> bool:
    if match_key(head) in rules.masculine_heads:
        return False
    return head.endswith(("ة", "ات")) or match_key(head) in rules.feminine_heads


def is_feminine(ref: ActorRef, actor: Actor | None, rules: ArabicAgreement) -> bool:
    """Whether an actor is grammatically feminine in Arabic (``agreement`` in the data file)."""
    key = match_key(ref.name_ar)
    if ref.kind == "country":
        return key not in rules.masculine_countries
    if ref.kind == "person":
        roles = Counter(r.text for r in (actor.roles if actor else []) if r.text)
        if not roles:
            return False
        role = min(roles, key=lambda t: (-roles[t], len(t), t))  # the role ``describe`` shows
        return _feminine_form(_head_word(role, rules.honorifics), rules)
    if key in rules.feminine_names:
        return True
    if ref.kind == "place" and len(ref.name_ar.split()) == 1:
        return True  # a city or a region
    return _feminine_form(_head_word(ref.name_ar), rules)


def is_plural(refs: list[ActorRef], rules: EnglishAgreement) -> bool:
    """Whether an English subject naming ``refs`` is plural: several actors, or one whose English
    head word (before "of", else the last word) is a plural noun."""
    if len(refs) != 1:
        return len(refs) > 1
    if refs[0].kind in ("country", "person"):
        return False
    words = english(refs[0]).split()
    head = words[words.index("of") - 1] if "of" in words[1:] else (words[-1] if words else "")
    return head in rules.plural_heads


def agree(template: str, lang: str, marked: dict[str, bool]) -> str:
    """The template with its verbs agreeing with the actors filling its slots (``marked``: per actor
    slot, whether its subject is feminine in Arabic, plural in English; ``subject_marks``): in Arabic
    the verb next to a marked slot is feminine (with the subject's possessive nouns); in English a
    be/have form after the slot that opens the sentence is plural for a plural subject, singular
    otherwise ("Members of {target_people} were" is left alone)."""
    agreement = summary_data().agreement
    words = template.split(" ")
    changed = False
    for i, word in enumerate(words):
        slot = next((s for s in _ACTOR_SLOTS if word.startswith("{" + s + "}")), None)
        if slot is None or slot not in marked:
            continue
        if lang == "ar" and marked[slot]:
            for j in (i - 1, i + 1):
                if 0 <= j < len(words) and words[j] in agreement.ar.feminine:
                    words[j] = agreement.ar.feminine[words[j]]
                    changed = True
        elif lang == "en" and i == 0 and len(words) > 1:  # the subject opens the sentence
            forms = agreement.en.plural if marked[slot] else _singular_forms()
            words[i + 1] = forms.get(words[i + 1], words[i + 1])
    if changed:
        words = [_with_pronoun(w, agreement.ar.pronouns) for w in words]
    return " ".join(words)


@cache
def _singular_forms() -> dict[str, str]:
    """The English plural be/have forms of ``agreement.en.plural`` mapped back to the singular."""
    return {v: k for k, v in summary_data().agreement.en.plural.items()}


def subject_marks(
    subjects: dict[str, list[ActorRef]], actors: dict[str, Actor], lang: str
) -> dict[str, bool]:
    """Per actor slot that names someone, whether its subject is feminine (Arabic: its first
    actor, ``is_feminine``) or plural (English, ``is_plural``); computed once per event and language."""
    agreement = summary_data().agreement
    if lang == "ar":
        return {s: is_feminine(r[0], actors.get(r[0].id), agreement.ar) for s, r in subjects.items() if r}
    return {s: is_plural(r, agreement.en) for s, r in subjects.items() if r}


def _with_pronoun(word: str, pronouns: dict[str, str]) -> str:
    """A word ending in a masculine possessive that the data lists ("رفضه"), made feminine; the
    word may carry slots glued after it ("رفضه{place}{date}.")."""
    stem = word.split("{", 1)[0]
    return pronouns[stem] + word[len(stem) :] if stem in pronouns else word


def _slots(
    event: Event, actors: dict[str, Actor], lang: str, data: SummaryData
) -> tuple[dict[str, str], dict[str, list[ActorRef]]]:
    """The text of every slot, and the actors each actor slot names (for agreement)."""
    covered = _covered_countries(event, actors)
    subjects: dict[str, list[ActorRef]] = {}

    def named(slot: str, roles: set[str], weapons: bool = False, kinds: set[str] | None = None) -> str:
        refs = [
            ea.actor
            for ea in event.actors
            if ea.role in roles
            and (ea.actor.kind == "weapon") == weapons
            and (kinds is None or ea.actor.kind in kinds)
        ]
        shown = [r for r in refs if r.id not in covered] or refs
        subjects[slot] = shown
        return _join([describe(r, actors.get(r.id), lang, data) for r in shown], lang, data)

    place = ""
    place_is_actor = event.location is not None and any(
        ea.actor.id == event.location.id for ea in event.actors
    )
    if event.location is not None:
        place = english(event.location) if lang == "en" else event.location.name_ar
    slots = {
        "source": named("source", {"source"}),
        "target": named("target", {"target"}),
        "target_people": named("target_people", {"target"}, kinds={"person", "organization"}),
        "target_place": named("target_place", {"target"}, kinds={"country", "place"}),
        "participants": named("participants", {"source", "target", "participant"}),
        "others": named("others", {"source", "target", "participant", "mentioned"}, weapons=True),
        "place": data.place[lang].format(place=place) if place and not place_is_actor else "",
        "place_name": place,
        "date": date_phrase(event, lang, data),
        "type_label": data.types.get(event.type, {}).get(lang, event.type),
        "mode_label": data.modes.get(event.mode or "", {}).get(lang, event.mode or ""),
        "status_label": data.statuses.get(event.status, {}).get(lang, event.status),
        "toll": _toll(event, lang, data),
    }
    return slots, subjects


@lru_cache(maxsize=1 << 15)
def _quote_toll(quote: str) -> tuple[int | None, int | None]:
    """The killed and wounded one report's sentence gives, read once per quote: every rebuild of an
    event re-summarises it in both languages, most of its reports read by earlier merges."""
    found = read_casualties(match_key(quote).split())
    return found.killed, found.wounded


def _toll(event: Event, lang: str, data: SummaryData) -> str:
    """ " (30 killed, 100 wounded)": the counts the reports of a violent event give most often
    (the larger on a tie), empty when none gives one."""
    if event.type != "ASSAULT" or lang not in data.toll:
        return ""
    killed: Counter[int] = Counter()
    wounded: Counter[int] = Counter()
    for att in event.attributions:
        dead, hurt = _quote_toll(att.quote)
        if dead is not None:
            killed[dead] += 1
        if hurt is not None:
            wounded[hurt] += 1
    k = max(killed, key=lambda n: (killed[n], n)) if killed else None
    w = max(wounded, key=lambda n: (wounded[n], n)) if wounded else None
    forms = data.toll[lang]
    if k is not None and w is not None:
        return forms["both"].format(killed=k, wounded=w)
    if k is not None:
        return forms["killed"].format(killed=k)
    if w is not None:
        return forms["wounded"].format(wounded=w)
    return ""


def _candidates(event: Event, lang: str, data: SummaryData) -> list[str]:
    found: list[str] = []
    for type_key, mode_key in ((event.type, event.mode or "*"), (event.type, "*"), ("*", "*")):
        by_lang = data.templates.get(type_key, {}).get(mode_key, {}).get(lang, {})
        found += by_lang.get(event.status, []) + by_lang.get("*", [])
    return found


def _render(template: str, slots: dict[str, str]) -> str | None:
    fields = [f for _, f, _, _ in string.Formatter().parse(template) if f]
    required = [f for f in fields if f not in ("place", "date", "toll")]
    if any(not slots.get(f) for f in required):
        return None
    text = template.format(**slots)
    return text[0].upper() + text[1:] if text else text


def summarize(event: Event, actors: dict[str, Actor]) -> Summary:
    """The English and Arabic one-sentence summaries of ``event``."""
    data = summary_data()
    texts = {}
    for lang in Languages:
        slots, subjects = _slots(event, actors, lang, data)
        marked = subject_marks(subjects, actors, lang)
        texts[lang] = next(
            (
                text
                for t in _candidates(event, lang, data)
                if (text := _render(agree(t, lang, marked), slots))
            ),
            slots["type_label"],
        )
    return Summary(en=texts["en"], ar=texts["ar"])
