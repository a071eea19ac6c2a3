"""The tagger pass of the actors stage: person, organisation and place names the rules did not
find, proposed by the statistical name tagger (``tagger.py``), with precision safeguards.

A tagged span becomes a mention only when none of its tokens is already claimed by a rule,
skipped (bylines) or a stopword (alone or with a pronoun suffix: "ضده"), its class is one the
pass takes, it is not a lone definite word tagged as a person (mostly a group: "الشيعة") nor
starts with an unlisted word after "و" ("وروى"), an organisation or place is not made only of
words of ordinary prose (``names.ordinary_word``: "عجل" in "على عجل"), and the tagger is
confident of every tag in it (the lowest marginal probability at least the class threshold,
chosen on the NewsFANE dev fifth). The mention keeps an exact span (a proclitic before it is
left out) and the method "model", so the merge and the API can tell it from rule mentions.

Who reads first is a ``TaggerPolicy``: the shipped one lets the rules read first and the tagger
add (docs/extraction.md, "Names: tagger first (eighth session)", measures the tagger-first
alternative, which lost on the real dev sets)."""

from __future__ import annotations

from functools import cache

import msgspec

from service.extract import datafiles
from service.extract.actors import names
from service.extract.actors.knowledge import strip_article
from service.extract.actors.scan import Found, Scan, role_head_at
from service.extract.actors.tagger import TaggedSpan, name_tagger, tag_scan
from service.extract.document import ActorKind
from service.text import fold

KINDS: dict[str, ActorKind] = {"PER": "person", "ORG": "organization", "LOC": "place"}
CONFIDENCE = 0.7  # below the rules' own (title 1.0, surname 0.85) and above anaphora (0.6)


class TaggerPolicy(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """How the tagger and the name rules share the text.

    ``first``: the classes the tagger decides before the name rules (after the knowledge-base,
    outlet and abbreviation passes, whose matches are strong evidence it cannot override); the
    rules then only add names over tokens it left free. For the other classes the rules read
    first and the tagger adds over what they left (``gated``: only around words the gate lets
    through). ``thresholds``: the lowest marginal probability a span of each class needs (a
    class absent is never taken)."""

    first: tuple[str, ...] = ()
    gated: bool = True
    thresholds: dict[str, float] = msgspec.field(default_factory=lambda: {"PER": 0.8, "ORG": 0.9, "LOC": 0.9})


SHIPPED = TaggerPolicy()
_policy = SHIPPED


def use_policy(policy: TaggerPolicy) -> None:
    """Share the text between tagger and rules by another policy (for evaluation)."""
    global _policy
    _policy = policy


def parse_policy(spec: str) -> TaggerPolicy:
    """A policy from its JSON form (the evaluation commands' ``--tagger-policy``)."""
    return msgspec.json.decode(spec, type=TaggerPolicy)


def current_policy() -> TaggerPolicy:
    """The policy in use (``SHIPPED`` unless ``use_policy`` set another)."""
    return _policy


def tagger_first_pass(scan: Scan) -> None:
    """Under a tagger-first policy: claim the confident tagged spans before the name rules read."""
    if _policy.first:
        _tag(scan, set(_policy.first), gated=False)


def tagger_pass(scan: Scan) -> None:
    """Add the confident tagged spans over tokens no rule claimed (the rules-first policy)."""
    classes = set(_policy.thresholds) - set(_policy.first)
    if classes:
        _tag(scan, classes, gated=_policy.gated)


def _tag(scan: Scan, classes: set[str], gated: bool) -> None:
    model = name_tagger()
    if model is None:
        return
    for tagged in tag_scan(scan, model, gated=gated):
        if tagged.cls not in classes or not _accepted(scan, tagged):
            continue
        span = _person_edges(scan, tagged) if tagged.cls == "PER" else tagged
        if span is not None and _accepted(scan, span):
            _claim(scan, span)


def _person_edges(scan: Scan, span: TaggedSpan) -> TaggedSpan | None:
    """A tagged person ends where a rule-read name would end: at a word of ordinary prose, a verb,
    a preposition on its noun or a conjoined word ("X أراد فعل", "X باستدعاء رجال", "X بابتسامة
    قائلا"); it cannot open with a word of ordinary prose or a verb, and a given name that is also
    a common word is no name alone ("سعيد جدا" after "أنه", "دمار هائل"). A foreign name that
    looks like a preposition on a definite word ("بالاسيوس", "كالديرون") is the tagger's to judge."""
    first = span.first
    if not names.listed_name_word(scan, first) and (
        names.ordinary_word(scan, first) or names.verb_shaped(scan, first)
    ):
        return None
    last = first
    while last < span.last and (
        names.connector(scan, last) or not names.ends_name(scan, last + 1, titled=False)
    ):
        last += 1  # after a particle the name goes on ("مبارك بن بنيه")
    while last > first and names.connector(scan, last):
        last -= 1
    if last == first and scan.light[first] in scan.kb.ambiguous_given:
        return None  # alone, a given name that is also a common word needs a title ("هائل", "سعيد")
    if last == first and role_head_at(scan, first) is not None and not _family_name_follows(scan, first):
        return None  # alone, a given name spelt like a role is the role ("محمد وارا، مساعد قائد الشرطة")
    return span._replace(last=last)


def _family_name_follows(scan: Scan, i: int) -> bool:
    """A definite word that is no role follows token i in the same phrase ("مساعد الزويهري")."""
    nxt = i + 1
    return (
        nxt < scan.n
        and scan.joined(nxt)
        and scan.tokens[nxt].startswith("ال")
        and role_head_at(scan, nxt) is None
    )


def _accepted(scan: Scan, span: TaggedSpan) -> bool:
    threshold = _policy.thresholds.get(span.cls)
    if threshold is None or span.confidence < threshold:
        return False
    words = range(span.first, span.last + 1)
    if not all(scan.free(i) and not _function_word(scan, i) for i in words):
        return False
    if span.cls != "PER" and all(names.ordinary_word(scan, i) for i in words):
        return False  # "الطريق", "المنطقة": words of ordinary prose are no organisation or place
    token = scan.tokens[span.first]
    # one definite word tagged as a person is mostly a group ("الشيعة", "المسلمون"): a surname
    # alone is left to the rules, which link it to the full name earlier in the article
    if span.cls == "PER" and span.first == span.last and token.startswith("ال"):
        return False
    # a word after the conjunction "و" that is no listed name is mostly a verb or a noun ("وروى")
    return not (
        token.startswith("و")
        and _clitic_offset(scan, span) == 0
        and scan.light[span.first] not in scan.kb.given
    )


def _function_word(scan: Scan, i: int) -> bool:
    """A stopword, or one with a pronoun suffix ("ضده", "عليهم": a preposition and its object)."""
    light = scan.light[i]
    stop = scan.kb.stopwords
    return light in stop or any(
        light.endswith(suffix) and light[: -len(suffix)] in stop for suffix in _pronoun_suffixes()
    )


@cache
def _pronoun_suffixes() -> tuple[str, ...]:
    return tuple(fold(x) for x in datafiles.event_types().morphology.noun_suffixes)


def _clitic_offset(scan: Scan, span: TaggedSpan) -> int:
    """Characters of a proclitic before the name: "والبنك" starts at "البنك", "ولأحمد" at
    "أحمد" when "أحمد" is a listed given name and "ولأحمد" is not."""
    i = span.first
    kb = scan.kb
    token = scan.tokens[i]
    for offset, stem in scan.variants(i):
        if offset == 0:
            continue
        if span.cls == "ORG" and stem.startswith("ال") and not token.startswith("ال"):
            return offset
        if span.cls == "PER" and stem in kb.given and token not in kb.given:
            return offset
    return 0


def _claim(scan: Scan, span: TaggedSpan) -> None:
    start = scan.starts[span.first] + _clitic_offset(scan, span)
    kind = KINDS[span.cls]
    words = scan.tokens[span.first : span.last + 1]
    head = scan.kb.org_heads.get(strip_article(words[0])) if kind == "organization" else None
    scan.claim(
        Found(
            first=span.first,
            last=span.last,
            start=start,
            end=scan.ends[span.last],
            key="",
            kind=kind,
            method="model",
            confidence=round(CONFIDENCE * span.confidence, 3),
            category=head.category if head is not None else None,
        )
    )
