"""The token scan of one document and the recognition passes that need no name grammar.

``Scan`` holds the folded tokens of ``doc.norm`` (with their proclitic variants and light
forms) and which tokens each pass has claimed. Passes here: knowledge-base aliases (token
n-gram dict lookups, proclitics allowed, longest first), organisations from head nouns
("وزارة الزراعة التركية", "هيئة التدريب") and nisba adjectives ("الجانب الروسي", a bare
"الإسرائيلية"). Titles and names are in ``actor_names``. Everything is found on ``doc.norm``
and mapped back to verbatim spans when entities are built.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

from service.extract import datafiles
from service.extract.actors.knowledge import (
    KbEntry,
    Knowledge,
    OrgHead,
    clitic_variants,
    knowledge,
    light_key,
    strip_article,
)
from service.extract.document import ActorKind, Document
from service.extract.text.words import WORD_RE, split_words
from service.text import match_key

TOKEN_RE = WORD_RE
NAME_BREAKS = set(",.;:!?()[]{}\"'/|-")
MAX_COMPLEMENT = 10
CLITICS_BEFORE_NAMES = frozenset({"و", "ب", "ل", "وب", "ول"})
_JOINERS = frozenset({"", "-"})  # the gaps that ``Scan.joined`` accepts with a hyphen allowed


@dataclass(slots=True)
class Found:
    """A mention under construction (norm offsets, token range) before entities are built."""

    first: int
    last: int
    start: int
    end: int
    key: str
    kind: ActorKind
    method: str
    confidence: float
    kb: KbEntry | None = None
    country: str | None = None
    category: str | None = None
    roles: list[tuple[int, int, str | None, int, int, str | None]] = field(default_factory=list)
    role_words: list[str] = field(default_factory=list)
    prefix: str = ""
    parent: KbEntry | None = None  # the listed place an unlisted place lies in


@dataclass(slots=True)
class Title:
    """A rank and/or role phrase in the text, and where the name it introduces would start."""

    first: int
    last: int
    head: str | None
    words: list[str]
    country: str | None
    role_span: tuple[int, int] | None
    rank_span: tuple[int, int] | None
    name_at: int
    apposition: bool
    definite: bool
    honorific: bool = False


class Scan:
    """The tokens of one document and what has been claimed so far."""

    def __init__(self, doc: Document, kb: Knowledge) -> None:
        self.doc = doc
        self.kb = kb
        norm, text, offsets = doc.norm, doc.text, doc.offsets
        # the words and the runs between them from one regex pass, shared with the clause stage
        parts, bounds = split_words(norm)
        self.tokens = tokens = list(parts[1::2])
        between = parts[0::2]  # the text before each word, then after the last
        self.starts = starts = list(bounds[0:-1:2])
        self.ends = ends = list(bounds[1::2])
        self.n = n = len(tokens)
        # everything per word (``_word_facts``) is looked up once per distinct word; a final "ي"
        # written "ى" in the verbatim text keeps its own light form
        cached = _word_facts(kb, tokens)
        facts = list(map(cached.__getitem__, tokens))
        light, clitic, variants, hot = map(list, zip(*facts, strict=True)) if facts else ([], [], [], [])
        if "ى" in text:
            for m in _FINAL_YA_RE.finditer(norm):
                if text[offsets[m.start()]] == "ى":
                    i = bisect_left(ends, m.end())
                    light[i], clitic[i] = _light_form(kb, tokens[i], True)
        self.light: list[str] = light
        self.clitic: list[int] = clitic  # "وسامر", "لأحمد"
        self.owner: list[Found | None] = [None] * n
        self.in_title = [False] * n
        self.skip = [False] * n
        for seg in doc.segments:
            if seg.kind in ("byline", "boilerplate"):
                # a byline names its author, boilerplate (a footer's tag list) no actor of the news;
                # norm offsets map monotonically to verbatim ones: the segment is one token run
                lo = bisect_left(starts, bisect_left(offsets, seg.start))
                hi = bisect_left(starts, bisect_left(offsets, seg.end))
                for i in range(lo, hi):
                    if seg.start <= offsets[starts[i]] < seg.end:
                        self.skip[i] = True
        self.found: list[Found] = []
        self.titles: list[Title] = []
        self.gaps = ["", *map(str.strip, between[1:-1])]
        if "\u0640" in text:
            self._tatweel_dashes(text, offsets)
        self.vars: list[tuple[tuple[int, str], ...]] = variants
        self.hot: list[int] = hot  # passes that can start on each token (``_token_info``)
        self.memo: dict[tuple[str, int], object] = {}

    def _tatweel_dashes(self, text: str, offsets: list[int]) -> None:
        """A tatweel standing alone between spaces is a dash ("محمد عباس ـ يحيى الشهري ـ أحمد
        عكاش", a list of players or photographers): normalisation drops it, so the gap it
        leaves is marked here and the two words are not one phrase."""
        for m in _STANDALONE_TATWEEL_RE.finditer(text):
            i = bisect_left(self.starts, bisect_left(offsets, m.end()))
            if 0 < i < self.n and not self.gaps[i]:
                self.gaps[i] = "\u0640"

    def gap(self, i: int) -> str:
        """The norm text between token i-1 and token i, without spaces."""
        return self.gaps[i] if 0 < i < self.n else ""

    def joined(self, i: int, hyphen: bool = False) -> bool:
        """Token i continues token i-1 within one phrase (only spaces, or a hyphen if allowed)."""
        gap = self.gaps[i]
        return gap == "" or (hyphen and gap == "-")

    def free(self, i: int) -> bool:
        return 0 <= i < self.n and self.owner[i] is None and not self.skip[i]

    def claim(self, f: Found) -> Found:
        for i in range(f.first, f.last + 1):
            self.owner[i] = f
        self.found.append(f)
        return f

    def variants(self, i: int) -> tuple[tuple[int, str], ...]:
        return self.vars[i]

    def match_table(
        self,
        i: int,
        table: dict[str, str] | dict[str, tuple[str, ...]],
        first: dict[str, int],
        article: bool = False,
    ) -> tuple[int, int, str] | None:
        """Longest entry of ``table`` starting at token i: (token count, clitic offset, key)."""
        best: tuple[int, int, str] | None = None
        for offset, stem in self.variants(i):
            stems = [stem, strip_article(stem)] if article else [stem]
            for s in stems:
                longest = min(first.get(s, 0), self.n - i)
                for k in range(longest, 0, -1):
                    if k > 1 and not _JOINERS.issuperset(self.gaps[i + 1 : i + k]):
                        continue  # every later word ``joined`` to the one before (hyphen allowed)
                    key = " ".join([s, *self.tokens[i + 1 : i + k]])
                    if key in table and (best is None or k > best[0]):
                        best = (k, offset, key)
                        break
        return best


def kb_pass(scan: Scan) -> None:
    kb = scan.kb
    ambiguous: list[tuple[Found, tuple[str, ...]]] = []
    i = 0
    while i < scan.n:
        if scan.skip[i] or not scan.hot[i] & 1:
            i += 1
            continue
        hit = scan.match_table(i, kb.alias_index, kb.alias_first)
        if hit is None:
            i += 1
            continue
        k, offset, key = hit
        ids = kb.alias_index[key]
        entry = kb.entries[ids[0]]
        if entry.kind == "person" and offset == 0 and _in_patronymic_chain(scan, i):
            i += 1  # "الأمير سعود بن سلمان بن عبدالعزيز": a listed name as the father's name
            continue
        single_person = entry.kind == "person" and k == 1
        found = scan.claim(
            Found(
                first=i,
                last=i + k - 1,
                start=scan.starts[i] + offset,
                end=scan.ends[i + k - 1],
                key="kb:" + entry.id,
                kind=entry.kind,
                method="kb",
                confidence=0.8 if single_person else 1.0,
                kb=entry,
                country=entry.country,
                category=entry.category,
            )
        )
        if len(ids) > 1:
            ambiguous.append((found, ids))
        if entry.kind == "person":
            _extend_listed_name(scan, found)
            _extend_listed_name_back(scan, found)
        i = found.last + 1
    for found, ids in ambiguous:
        _disambiguate(scan, found, ids)


def _extend_listed_name(scan: Scan, found: Found) -> None:
    """A listed person's alias followed by the rest of the name ("الملك سلمان" + "بن عبدالعزيز آل
    سعود"): the patronymic and family name belong to the same mention, not to a new person."""
    j = found.last + 1
    while (
        j + 1 < scan.n
        and scan.tokens[j] in PATRONYMIC
        and scan.joined(j)
        and scan.joined(j + 1)
        and scan.free(j)
        and scan.free(j + 1)
        and scan.tokens[j + 1].isalpha()
        and scan.light[j + 1] not in scan.kb.stopwords
    ):
        j += 2
        if scan.light[j - 1] in scan.kb.theophoric_heads and j < scan.n and scan.joined(j) and scan.free(j):
            j += 1  # "بن عبد العزيز": the divine name after "عبد" is part of the name
    if j > found.last + 1:
        for k in range(found.last + 1, j):
            scan.owner[k] = found
        found.last, found.end = j - 1, scan.ends[j - 1]


def _extend_listed_name_back(scan: Scan, found: Found) -> None:
    """A listed person named with his father's name before the listed family name ("عادل بن أحمد
    الجبير" for the listed "عادل الجبير"): the given name and the patronymic belong to the
    mention, which would otherwise leave "عادل بن أحمد" as a second, unlisted person."""
    entry = found.kb
    if entry is None:
        return
    given = light_key(entry.name_ar).split(" ")[0]
    i = found.first
    while (
        i >= 2
        and scan.tokens[i - 2] in FILIATION
        and scan.joined(i)
        and scan.joined(i - 1)
        and scan.free(i - 1)
        and scan.free(i - 2)
        and scan.tokens[i - 1].isalpha()
    ):
        i -= 2
    if i < found.first and i >= 1 and scan.joined(i) and scan.free(i - 1) and scan.light[i - 1] == given:
        first = i - 1
        for k in range(first, found.first):
            scan.owner[k] = found
        found.first, found.start = first, scan.starts[first] + scan.clitic[first]


PATRONYMIC = frozenset({"بن", "ابن", "بنت", "ال"})  # folded: "آل" is "ال"
FILIATION = frozenset({"بن", "ابن", "بنت"})


def _in_patronymic_chain(scan: Scan, i: int) -> bool:
    """Token i follows "بن/ابن/بنت" that follows a name word ("سعود بن سلمان بن عبدالعزيز"):
    what starts at i is the father's (or grandfather's) name inside someone else's name, not a
    mention of the listed person who bears it."""
    return (
        i >= 2
        and scan.tokens[i - 1] in FILIATION
        and scan.joined(i)
        and scan.joined(i - 1)
        and scan.tokens[i - 2].isalpha()
        and scan.light[i - 2] not in scan.kb.stopwords
    )


def _disambiguate(scan: Scan, found: Found, ids: tuple[str, ...]) -> None:
    """An alias shared by several entries ("طرابلس" in Libya and in Lebanon) takes the entry
    whose country the rest of the article names most (listed actors, country nisbas); the
    first listed entry on a tie."""
    kb = scan.kb
    votes: dict[str, int] = {}
    for other in scan.found:
        if other is not found and other.kb is not None:
            country = other.kb.id if other.kind == "country" else other.country
            if country:
                votes[country] = votes.get(country, 0) + 1
    for i in range(scan.n):
        if scan.hot[i] & 8 and scan.owner[i] is None:
            nisba = demonym_at(scan, i)
            if nisba:
                votes[nisba] = votes.get(nisba, 0) + 1
    best = max(ids, key=lambda e: (votes.get(kb.entries[e].country or "", 0), -ids.index(e)))
    entry = kb.entries[best]
    found.key, found.kb, found.country, found.category = (
        "kb:" + entry.id,
        entry,
        entry.country,
        entry.category,
    )


T = TypeVar("T")
# a run of tatweels between spaces; written from the tatweel (the space before it is a look-behind
# after it) so that a search jumps from tatweel to tatweel
_STANDALONE_TATWEEL_RE = re.compile(r"\u0640(?<=\s\u0640)\u0640*(?=\s)")
_FINAL_YA_RE = re.compile(r"ي(?![^\W_])")  # the last letter of a token (``TOKEN_RE``)


_WordFacts = tuple[str, int, tuple[tuple[int, str], ...], int]
_WORD_FACTS: list[tuple[Knowledge, dict[str, _WordFacts]]] = []


def _word_facts(kb: Knowledge, tokens: list[str]) -> dict[str, _WordFacts]:
    """The cache of ``_new_word_facts`` for this knowledge base, with every word of ``tokens`` in it
    (one knowledge base at a time: a test that builds its own starts the cache afresh)."""
    if not _WORD_FACTS or _WORD_FACTS[0][0] is not kb:
        _WORD_FACTS[:] = [(kb, {})]
    cached = _WORD_FACTS[0][1]
    new = set(tokens).difference(cached)
    if new:
        if len(cached) + len(new) > 1 << 17:
            cached.clear()
            new = set(tokens)
        for token in new:
            cached[token] = _new_word_facts(kb, token)
    return cached


def _new_word_facts(kb: Knowledge, token: str) -> _WordFacts:
    """A word's light form and given-name proclitic (``_light_form``), proclitic variants and
    pass bits (``_token_info``), in one tuple so that ``Scan`` looks each token up once."""
    light, size = _light_form(kb, token, False)
    variants, hot = _token_info(token)
    return light, size, variants, hot


def _light_form(kb: Knowledge, token: str, maqsura: bool) -> tuple[str, int]:
    """(light form, given-name proclitic length) of a word (cached with the word's other facts,
    ``_word_facts``; a final "ى" of the verbatim text is rare enough to be read each time).

    The light form keeps a final alef maqsura ("على" is not "علي") and drops a proclitic
    before a given name ("وسامر", "لأحمد")."""
    light = token[:-1] + "ى" if maqsura else token
    if light not in kb.given_first:
        for k in (1, 2):
            stem = light[k:]
            if (
                light[:k] in CLITICS_BEFORE_NAMES
                and stem in kb.given_first
                and ((light[0] == "و" and k == 1) or stem not in kb.ambiguous_given)
            ):
                return light[k:], k
    return light, 0


def _memo(fn: Callable[[Scan, int], T]) -> Callable[[Scan, int], T]:
    """Cache a per-token predicate on the scan (each is asked many times per token)."""
    name = fn.__name__

    def cached(scan: Scan, i: int) -> T:
        key = (name, i)
        found = scan.memo.get(key, scan)  # the scan itself marks a miss (no predicate returns it)
        if found is scan:
            found = scan.memo[key] = fn(scan, i)
        return found  # type: ignore[return-value]

    return cached


@lru_cache(maxsize=1)
def _pass_starts() -> tuple[frozenset[str], ...]:
    """First words each pass can start on (aliases, titles, organisations, nisbas, place heads),
    so a pass skips every other token at once."""
    from service.extract.actors.places import place_lexicon  # places builds on this module

    kb = knowledge()
    first = lambda keys: frozenset(k.split(" ")[0] for k in keys)  # noqa: E731
    return (
        frozenset(kb.alias_first),
        first((*kb.role_heads, *kb.ranks, *kb.honorifics)),
        first(kb.org_heads),
        first(kb.demonyms),
        frozenset(place_lexicon().heads),
    )


@lru_cache(maxsize=1)
def _start_bits() -> dict[str, int]:
    """Word -> the bits of the passes (``_pass_starts``) that can start on it."""
    bits: dict[str, int] = {}
    for bit, words in enumerate(_pass_starts()):
        for word in words:
            bits[word] = bits.get(word, 0) | 1 << bit
    return bits


@lru_cache(maxsize=1 << 17)
def _token_info(token: str) -> tuple[tuple[tuple[int, str], ...], int]:
    """A token's proclitic variants and a bit mask of the passes that can start on it
    (1 alias, 2 title, 4 organisation, 8 nisba, 16 place head), the stem with or without its
    first two letters (an article); cached per word.

    All tuples of strings and ints: the collector stops tracking them after their first young
    collection, so the per-word caches (about 36 new words an article) do not grow the old
    generation that every full collection walks."""
    variants = tuple(clitic_variants(token))
    bits = _start_bits().get
    mask = 0
    for _, s in variants:
        mask |= bits(s, 0) | bits(s[2:], 0)
    return variants, mask


def word_variants(token: str) -> tuple[tuple[int, str], ...]:
    """A word's proclitic variants (``clitic_variants``), cached per word."""
    return _token_info(token)[0]


@lru_cache(maxsize=1)
def title_starts() -> frozenset[str]:
    kb = knowledge()
    return frozenset(k.split(" ")[0] for k in (*kb.role_heads, *kb.ranks, *kb.honorifics))


@_memo
def role_head_at(scan: Scan, i: int) -> tuple[int, int, str] | None:
    kb = scan.kb
    found = scan.match_table(i, kb.role_heads, kb.role_first, article=True)
    if (
        found is not None
        and found[0] == 1
        and i + 2 < scan.n
        and scan.tokens[i + 1] in FILIATION
        and scan.joined(i + 1)
        and scan.joined(i + 2)
        and scan.tokens[i + 2].isalpha()
    ):
        return None  # "مساعد بن محمد": a given name spelt like a role noun, before "بن"
    return found


@_memo
def rank_at(scan: Scan, i: int) -> tuple[int, int, str] | None:
    kb = scan.kb
    best = None
    for offset, stem in scan.variants(i):
        for k in (3, 2, 1):  # "الفريق أول ركن"
            if i + k > scan.n or not all(scan.joined(j) for j in range(i + 1, i + k)):
                continue
            key = " ".join([stem, *scan.tokens[i + 1 : i + k]])
            if key in kb.ranks and (best is None or k > best[0]):
                best = (k, offset, key)
    return best


@_memo
def is_honorific(scan: Scan, i: int) -> bool:
    return any(stem in scan.kb.honorifics for _, stem in scan.variants(i))


@_memo
def demonym_at(scan: Scan, i: int) -> str | None:
    for _, stem in scan.variants(i):
        country = scan.kb.demonyms.get(stem)
        if country:
            return country
    return None


@_memo
def given_length(scan: Scan, i: int) -> int:
    """Number of tokens of a given name starting at token i (0 when none)."""
    kb = scan.kb
    light = scan.light[i]
    for k in range(min(kb.given_first.get(light, 0), scan.n - i), 0, -1):
        if (
            all(scan.joined(j) for j in range(i + 1, i + k))
            and " ".join([light, *scan.light[i + 1 : i + k]]) in kb.given
        ):
            return k
    if light in kb.theophoric_heads and i + 1 < scan.n and scan.joined(i + 1):
        nxt = scan.tokens[i + 1]
        if nxt.startswith("ال") and len(nxt) >= 5 and not nxt.startswith("الل"):
            return 2  # "عبد الستار", "عبد الودود": عبد + a divine name
    if joined_theophoric(light):
        return 1  # "عبدالنور", "عبدالودود": the same compound written as one word
    return 0


def joined_theophoric(light: str) -> bool:
    """A word that is "عبد" + a definite divine name written as one ("عبدالنور")."""
    return light.startswith("عبدال") and len(light) >= 8 and not light.startswith("عبدالل")


def span_of(scan: Scan, first: int, last: int, offset: int = 0) -> tuple[int, int]:
    return scan.starts[first] + offset, scan.ends[last]


def org_pass(scan: Scan) -> list[tuple[int, int, str]]:
    """Organisations from head nouns; returns bare definite heads ("الوكالة") for anaphora."""
    kb = scan.kb
    anaphors: list[tuple[int, int, str]] = []
    for i in range(scan.n):
        if not scan.hot[i] & 4 or not scan.free(i):
            continue
        hit = next(
            ((off, stem) for off, stem in scan.variants(i) if strip_article(stem) in kb.org_heads), None
        )
        if hit is None:
            continue
        offset, stem = hit
        head = kb.org_heads[strip_article(stem)]
        if head.quoted:
            _quoted_org(scan, i, offset, stem, head.category)
            continue
        if scan.tokens[i] in kb.led_by:
            continue  # "بقيادة": who leads, not a command
        if head.numbered:
            _numbered_unit(scan, i, offset, stem, head.category)
            continue
        if head.organ:
            _organ(scan, i, offset, stem, head.category)
            continue
        j, country, words = i + 1, None, [strip_article(stem)]
        after_link = nested = False
        construct = indefinite_construct(scan, i + 1)
        if construct:  # "غرفة تجارة وصناعة الكويت": indefinite nouns up to a listed country or place
            owner = scan.owner[construct]
            assert owner is not None  # the construct ends on a listed country or place
            words += [*scan.tokens[i + 1 : construct], *scan.tokens[construct : owner.last + 1]]
            country = owner.kb.id if owner.kind == "country" and owner.kb else owner.country
            j = owner.last + 1
        while j < scan.n and j - i <= 6 and scan.joined(j) and not scan.skip[j]:
            owner, tok = scan.owner[j], scan.tokens[j]
            if (
                owner is not None
                and (head.located or _nisba_body(kb, head, stem))
                and len(words) == 1
                and _nisba_country(scan, owner, j)
            ):
                # "القنصلية السعودية", "القوات السعودية": the nisba names the body's country
                release(scan, owner)
                owner = None
            elif (
                owner is not None
                and len(words) > 1
                and words[-1] in kb.org_adjectives
                and _nisba_country(scan, owner, j)
            ):
                release(scan, owner)  # "القوات الجوية الملكية السعودية": a nisba after the name's adjective
                owner = None
            elif (
                owner is not None
                and len(words) == 2
                and not head.names
                and not stem.startswith("ال")
                and words[-1].startswith("ال")
                and words[-1] not in kb.demonyms
                and _nisba_country(scan, owner, j)
            ):
                release(scan, owner)  # "وزارة الصحة السعودية": a nisba after a head and its complement
                owner = None
            if (
                owner is not None
                and len(words) == 1
                and not construct
                and not stem.startswith("ال")
                and owner.kind == "place"
                and owner.kb is not None
                and owner.first == j
                and owner.start == scan.starts[j]
            ):
                # "شرطة القطيف", "شرطة المنطقة الشرقية", "إمارة منطقة الرياض": an indefinite head
                # in construct with a listed place is that place's body
                country = owner.kb.country
                words += scan.tokens[j : owner.last + 1]
                j = owner.last + 1
                break
            if owner is not None or rank_at(scan, j) or is_honorific(scan, j):
                break
            if (
                len(words) == 1
                and not stem.startswith("ال")
                and not tok.startswith("ال")
                and tok in kb.org_heads
                and not kb.org_heads[tok].nisba_only
                and j + 1 < scan.n
                and scan.joined(j + 1)
                and scan.tokens[j + 1].startswith("ال")
            ):
                words.append(tok)  # "جبهة حزب التحرير ...": a head in construct with another head
                nested = True
                j += 1
                continue
            if tok in kb.relation_adjectives:
                break  # "وزارة الصحة التابعة للحكومة اليمنية": what follows is another actor
            if (
                len(words) == 1
                and not construct
                and stem.startswith("ال")
                and _describes_another(scan, head, j)
            ):
                break  # "ضربات التحالف الجوية", "فأطلقت الشرطة النار": the word is not the head's
            body = scan.owner[j + 1] if j + 1 < scan.n and scan.joined(j + 1) else None
            if (
                len(words) == 1 + nested
                and tok in kb.org_construct_nouns
                and body is not None
                and body.kind == "organization"
                and body.first == j + 1
                and body.start == scan.starts[j + 1]
            ):
                # "هيئة أركان الجيش التركي": a construct noun before a listed body is its organ
                country = country or body.country
                words += [tok, *scan.tokens[j + 1 : body.last + 1]]
                j = body.last + 1
                release(scan, body)
                break
            if (
                len(words) == 1 + nested
                and tok in kb.org_construct_nouns
                and j + 1 < scan.n
                and scan.joined(j + 1)
                and scan.free(j + 1)
                and scan.tokens[j + 1].startswith("ال")
                and scan.light[j + 1] not in kb.stopwords
            ):
                words += [tok, scan.tokens[j + 1]]  # "جهاز مكافحة الإرهاب", "قوات حفظ السلام"
                j += 2
                after_link = True
                continue
            place = scan.owner[j + 1] if j + 1 < scan.n else None
            if tok == "في" and head.located and place is not None and place.kind in ("country", "place"):
                country = country or (place.kb.id if place.kind == "country" and place.kb else place.country)
                words += [tok, *scan.tokens[j + 1 : place.last + 1]]
                j = place.last + 1
                break
            if tok in kb.led_by and j + 1 < scan.n and scan.joined(j + 1) and _led_by_owner(scan, j + 1):
                owner = scan.owner[j + 1]  # "التحالف بقيادة فرنسا": the leader is part of the name
                assert owner is not None  # _led_by_owner found it
                country = country or (owner.kb.id if owner.kind == "country" and owner.kb else owner.country)
                words += [tok, *scan.tokens[j + 1 : owner.last + 1]]
                j = owner.last + 1
                break
            if len(words) == 1 and head.names and not stem.startswith("ال") and _proper_name_word(scan, j):
                words.append(tok)  # "جماعة جند الأقصى", "ميليشيا فاغنر": an unlisted proper name
                j += 1
                if tok in kb.connectors and j < scan.n and scan.joined(j) and scan.free(j):
                    words.append(scan.tokens[j])  # "جماعة أبو سياف"
                    j += 1
                elif (
                    j < scan.n
                    and scan.joined(j)
                    and scan.free(j)
                    and scan.tokens[j].startswith("ال")
                    and scan.light[j] not in kb.stopwords
                    and scan.tokens[j] not in kb.name_stops
                ):
                    words.append(scan.tokens[j])
                    j += 1
                continue
            if (
                tok == "من"
                and j + 2 < scan.n
                and scan.tokens[j + 1] == "اجل"
                and scan.joined(j + 1)
                and scan.joined(j + 2)
                and scan.tokens[j + 2].startswith("ال")
                and scan.free(j + 2)
            ):
                words += scan.tokens[j : j + 3]  # "حزب الاتحاد من أجل الجمهورية"
                j += 3
                continue
            if (
                head.names
                and tok.startswith("ل")
                and not tok.startswith("لل")
                and len(tok) >= 5
                and tok[1:] not in kb.name_stops
                and tok[1:] not in kb.stopwords
                and len(words) > 1
                and j + 1 < scan.n
                and scan.joined(j + 1)
                and _proper_name_word(scan, j + 1)
                and (j + 2 >= scan.n or not scan.joined(j + 2) or not _proper_name_word(scan, j + 2))
            ):
                words += [tok, scan.tokens[j + 1]]  # "الجبهة الشعبية لتحرير تيغراي"
                j += 2
                break
            if len(words) == 1 and not construct and tok.startswith("ل") and not tok.startswith("ال"):
                break  # "الوزارة للتفتيش", "لجنة للتحقيق", "الجماعة لحكومة ...": a purpose, not a name
            bare = tok[1:] if tok.startswith("وال") else tok
            linked = (
                tok.startswith("ل")
                and tok[1:] not in kb.stopwords  # "إدارة السجون لهم الزيارات"
                and tok not in kb.stopwords  # "السفارة الإيرانية لدى البحرين": a preposition
                and j + 1 < scan.n
                and scan.tokens[j + 1].startswith("ال")
                and scan.joined(j + 1)
            )
            if tok != bare and strip_article(bare) in kb.org_heads:
                break
            if tok != bare and (
                (len(words) == 1 and stem.startswith("ال"))
                or (bare.startswith("الم") and bare.endswith(("ين", "ون")) and len(bare) >= 7)
            ):
                break  # "الشرطة والمتظاهرين", "تنظيم الإخوان والموالين": a second party, not the name
            if (
                tok.startswith("لل")
                and j + 1 < scan.n
                and scan.joined(j + 1)
                and scan.tokens[j + 1] in kb.purpose_prepositions
            ):
                break  # "القوات البرية للتعامل مع": a purpose, not the name
            continues = (
                len(words) == 1
                or (nested and len(words) == 2)
                or tok != bare
                or tok.startswith("لل")
                or linked
                or after_link
                or tok in kb.org_adjectives
                or tok in kb.demonyms
                or tok in kb.org_words
            )
            if construct:
                continues = tok in kb.org_adjectives or tok in kb.demonyms
            if continues and (
                (
                    (bare.startswith("ال") or tok.startswith("لل"))
                    and scan.light[j] not in kb.stopwords
                    and bare not in kb.relative_pronouns  # "تنظيم الإخوان الإرهابي والتي تستهدف"
                )
                or linked
            ):
                words.append(tok)
                after_link = linked  # "لإدارة الكوارث": the genitive after "لـ" belongs to the name
                nisba = demonym_at(scan, j)
                country = nisba if nisba is not None and nisba.startswith("country.") else country
                j += 1
                continue
            break
        if len(words) == 1:
            if stem.startswith("ال") and stem in kb.anaphora:
                anaphors.append((i, offset, head.category))
            continue
        if head.names and all(w in kb.generic_force_words for w in words[1:]):
            continue  # "فصائل المعارضة المسلحة": a description, not a name
        if (head.names or head.department) and strip_article(words[1]) in kb.name_stops:
            continue  # "حركة المرور", "إدارة الأزمة": an activity, not a body
        if (
            len(words) == 2
            and words[1].startswith("ال")
            and strip_article(words[1]) in kb.org_heads
            and not kb.org_heads[strip_article(words[1])].nisba_only  # "مؤسسة الرئاسة", "إدارة الجمارك"
        ):
            continue  # "أنصار الحركة", "قوات الجيش": a body named before, not a new one
        if country is None and all(w in kb.generic_force_words for w in words[1:]):
            # "الحكومة الجديدة", "التنظيم المتطرف", "قوات الأمن": a description that may refer back
            if stem.startswith("ال") and stem in kb.anaphora:
                anaphors.append((i, offset, head.category))
            continue
        if len(words) == 2 and stem.startswith("ال") and _described_by_participle(scan, words[1], j):
            continue  # "اللجنة الهادفة إلى", "القوات المشاركة في": a description, not a name
        if head.qualifiers and not _qualified(scan, words[1], head.qualifiers):
            continue  # "الاستخبارات الدولية", "استخبارات الأقمار": no service of a state or a body
        if head.nisba_only and not _nisba_named(scan, i, offset, stem, words[1]):
            continue  # "رئاسة الحكومة", "إذاعة البيان", "انتخابات الرئاسة الأمريكية": no body
        if head.department and _within_body(scan, j):
            continue  # "إدارة الإعلام بوزارة الخارجية": a department of the body named after it
        text = " ".join(words)
        listed = kb.alias_index.get(text) or kb.alias_index.get(" ".join([stem, *words[1:]]))
        start, end = span_of(scan, i, j - 1, offset)
        if listed:
            entry = kb.entries[listed[0]]
            scan.claim(
                Found(
                    first=i,
                    last=j - 1,
                    start=start,
                    end=end,
                    key="kb:" + entry.id,
                    kind=entry.kind,
                    method="kb",
                    confidence=1.0,
                    kb=entry,
                    country=entry.country,
                    category=entry.category,
                )
            )
        else:
            prefix = stem[: len(stem) - (len(scan.tokens[i]) - offset)] if offset else ""
            scan.claim(
                Found(
                    first=i,
                    last=j - 1,
                    start=start,
                    end=end,
                    key="new:" + text,
                    kind="organization",
                    method="pattern",
                    confidence=0.8,
                    country=country,
                    category=head.category,
                    prefix=prefix if prefix.startswith("ا") else "",
                )
            )
    return anaphors


def _pattern_org(
    scan: Scan, i: int, last: int, offset: int, stem: str, words: list[str], **kw: object
) -> Found:
    """Claim tokens ``i`` .. ``last`` as an unlisted organisation keyed by ``words``."""
    start, end = span_of(scan, i, last, offset)
    prefix = stem[: len(stem) - (len(scan.tokens[i]) - offset)] if offset else ""
    return scan.claim(
        Found(
            first=i,
            last=last,
            start=start,
            end=end,
            key="new:" + " ".join(words),
            kind="organization",
            method="pattern",
            confidence=0.8,
            prefix=prefix if prefix.startswith("ا") else "",
            **kw,  # type: ignore[arg-type]
        )
    )


def _standalone_head(kb: Knowledge, word: str) -> bool:
    """An organisation head that names a body without a nisba after it ("برئاسة" is who chairs)."""
    head = kb.org_heads.get(word)
    return head is not None and not head.nisba_only


def _within_body(scan: Scan, j: int) -> bool:
    """Tokens from j say that what precedes lies within a body: "في وزارة ...", "بوزارة ...",
    "في القوى الجوية" (an organisation head, a listed organisation, or a noun with an
    organisation's adjective, after في or بـ)."""
    kb = scan.kb

    def body_at(k: int, clitic: bool) -> bool:
        owner = scan.owner[k]
        if owner is not None and owner.kind == "organization" and owner.first == k:
            return True
        if any(
            (off > 0) == clitic and _standalone_head(kb, strip_article(st)) for off, st in scan.variants(k)
        ):
            return True
        # "في القوى الجوية": a definite noun and an organisation's adjective
        return k + 1 < scan.n and scan.joined(k + 1) and scan.tokens[k + 1] in kb.org_adjectives

    if j >= scan.n or not scan.joined(j):
        return False
    if scan.tokens[j] == "في":
        return j + 1 < scan.n and scan.joined(j + 1) and body_at(j + 1, False)
    return scan.tokens[j].startswith("ب") and body_at(j, True)


def _numbered_unit(scan: Scan, i: int, offset: int, stem: str, category: str) -> None:
    """A military unit named by its number or ordinal ("الفرقة 30", "اللواء 93", "الفرقة
    الرابعة"); the same head before anything else names no unit ("فرقة موسيقية")."""
    j = i + 1
    if j >= scan.n or not scan.joined(j) or not scan.free(j):
        return
    tok = scan.tokens[j]
    if not (tok.isdigit() and len(tok) <= 4) and tok not in scan.kb.unit_ordinals:
        return
    _pattern_org(scan, i, j, offset, stem, [strip_article(stem), tok], category=category)


def _organ(scan: Scan, i: int, offset: int, stem: str, category: str) -> None:
    """An organ of a named body, kept as its own actor ("القيادة المشتركة لقوات التحالف الدولي",
    "القيادة العامة للقوات المسلحة", "قيادة الجيش"): the head, its adjectives, then the body,
    listed or built from a head ("لقوات" + the listed coalition). Its country is the body's."""
    kb = scan.kb
    j = i + 1
    while j < scan.n and scan.joined(j) and scan.free(j) and scan.tokens[j] in kb.org_adjectives:
        j += 1
    if j >= scan.n or not scan.joined(j):
        return
    body = scan.owner[j]
    last = -1
    place = scan.owner[j + 1] if j + 1 < scan.n and scan.joined(j + 1) else None
    if j == i + 1 and scan.tokens[j] in kb.org_construct_nouns and j + 1 < scan.n and scan.joined(j + 1):
        # "قيادة عمليات دجلة", "قيادة عمليات بغداد": a command named by its area
        if place is not None and place.kind in ("place", "country") and place.first == j + 1:
            _pattern_org(
                scan,
                i,
                place.last,
                offset,
                stem,
                [strip_article(stem), *scan.tokens[j : place.last + 1]],
                category=category,
                country=place.country if place.kind == "place" else (place.kb.id if place.kb else None),
            )
            return
        if _proper_name_word(scan, j + 1):
            _pattern_org(
                scan,
                i,
                j + 1,
                offset,
                stem,
                [strip_article(stem), *scan.tokens[j : j + 2]],
                category=category,
            )
        return
    if body is not None and body.kind == "organization" and body.first == j and body.start == scan.starts[j]:
        last = body.last  # "قيادة الجيش"
    elif scan.free(j) and any(off and strip_article(st) in kb.org_heads for off, st in scan.variants(j)):
        k = j + 1  # "لقوات التحالف", "للقوات المسلحة"
        body = scan.owner[k] if k < scan.n and scan.joined(k) else None
        if body is not None and body.kind == "organization" and body.first == k:
            last = body.last
        else:
            while k < scan.n and scan.joined(k) and scan.free(k) and scan.tokens[k] in kb.org_adjectives:
                k += 1
            last = k - 1 if k > j + 1 else -1
            body = None
    if last < 0:
        return
    country = body.country if body is not None else None
    if body is not None:
        release(scan, body)
    words = [strip_article(stem), *scan.tokens[i + 1 : last + 1]]
    _pattern_org(scan, i, last, offset, stem, words, category=category, country=country)


def _nisba_country(scan: Scan, owner: Found, j: int) -> bool:
    """A listed country matched on one word that is also its nisba ("السعودية")."""
    return (
        owner.kind == "country"
        and owner.method == "kb"
        and owner.first == owner.last == j
        and scan.tokens[j] in scan.kb.demonyms
    )


def _described_by_participle(scan: Scan, word: str, j: int) -> bool:
    """Whether a definite head's second word is a participle that a preposition continues
    ("اللجنة الهادفة إلى", "المجلس المؤلف من"): the phrase describes a body, it does not name one.
    Listed organisation adjectives and nisbas ("الهيئة المستقلة في") keep the name."""
    kb = scan.kb
    if word in kb.org_adjectives or word in kb.demonyms or word in kb.org_words:
        return False
    if j >= scan.n or not scan.joined(j) or scan.tokens[j] not in _participle_prepositions():
        return False
    stem = word[2:]
    return (stem.startswith("م") and len(stem) >= 4) or (len(stem) in (4, 5) and stem[1] == "ا")


@lru_cache(maxsize=1)
def _participle_prepositions() -> frozenset[str]:
    """The prepositions after a participle that make a head and the participle a description."""
    return frozenset(match_key(w) for w in datafiles.titles().participle_prepositions)


def _nisba_body(kb: Knowledge, head: OrgHead, stem: str) -> bool:
    """Whether a definite head takes a country's name spelt like its nisba as its own country
    ("القوات السعودية", "الجمارك السعودية"): a feminine head of a state body."""
    return head.gender == "f" and stem.startswith("ال") and head.category in kb.nisba_body_categories


def _nisba_named(scan: Scan, i: int, offset: int, stem: str, word: str) -> bool:
    """Whether a ``nisba_only`` head at i names a body: definite, with no proclitic, a country's
    nisba after it and no office word before it ("الرئاسة الفلسطينية"; not "للرئاسة الأميركية",
    "انتخابات الرئاسة الأمريكية")."""
    kb = scan.kb
    if offset or not stem.startswith("ال") or word not in kb.demonyms:
        return False
    return i == 0 or scan.tokens[i - 1] not in kb.office_words


def _describes_another(scan: Scan, head: OrgHead, j: int) -> bool:
    """Whether the definite word j after a definite head cannot be part of the head's name: the
    object of the verb before the head ("فأطلقت الشرطة النار", "ألقت الشرطة القبض"), a plural in
    -ين/-ون ("الشركة المسجلين"), or a word of the other gender, which agrees with the noun before the
    head ("ضربات التحالف الجوية", "موقع الوزارة الإلكتروني")."""
    kb, tok = scan.kb, scan.tokens[j]
    if not tok.startswith("ال"):
        return False
    if tok in kb.org_object_stops:
        return True
    if len(tok) >= 7 and tok.endswith(("ين", "ون")):
        return True
    if head.gender == "m":
        return tok.endswith("ه") and len(tok) >= 5
    # a final "ى" in the verbatim text ("الكبرى", "الأولى") is feminine; only "ي" is masculine
    return head.gender == "f" and scan.light[j].endswith("ي") and len(tok) >= 5


def _qualified(scan: Scan, word: str, qualifiers: tuple[str, ...]) -> bool:
    """Whether the word after a head with ``qualifiers`` makes it a body: a nisba of a country, a
    body's head ("استخبارات الجيش") or one of the head's qualifiers ("المخابرات الحربية")."""
    kb = scan.kb
    return word in kb.demonyms or strip_article(word) in kb.org_heads or word in _folded(qualifiers)


@lru_cache(maxsize=64)
def _folded(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(match_key(w) for w in words)


def release(scan: Scan, f: Found) -> None:
    """Give a mention's tokens back (a later reading of them wins)."""
    for k in range(f.first, f.last + 1):
        if scan.owner[k] is f:
            scan.owner[k] = None
    scan.found.remove(f)


def _led_by_owner(scan: Scan, j: int) -> bool:
    """Token j starts a listed country or organisation named as the leader of a body."""
    owner = scan.owner[j]
    return (
        owner is not None
        and owner.first == j
        and owner.kb is not None
        and owner.kind in ("country", "organization")
    )


def _proper_name_word(scan: Scan, j: int) -> bool:
    """Token j can be an unlisted proper name after a name-taking head: no article, proclitic
    conjunction, stopword, number or ordinary description ("مسلحة", "نزوح")."""
    kb, tok = scan.kb, scan.tokens[j]
    if not scan.free(j) or tok.startswith(("ال", "لل", "و", "ف")) or tok.isdigit() or len(tok) < 3:
        return False
    if scan.light[j] in kb.stopwords or tok in kb.name_stops or tok in kb.demonyms or tok in kb.led_by:
        return False
    if len(tok) >= 5 and tok.endswith(kb.pronoun_suffixes):
        return False  # "جماعة مسؤوليتها", "الشركة نتائجها": a noun with a possessive pronoun
    if len(tok) >= 5 and tok.endswith("يه"):
        return False  # "حركة حقوقية", "جماعة إسلامية": an indefinite nisba describes the body
    if any(
        off and (strip_article(stem) in kb.org_heads or stem in kb.role_nouns)
        for off, stem in scan.variants(j)
    ):
        return False  # "الجماعة لحكومة ...": a preposition before another body, not a name
    return not (rank_at(scan, j) or is_honorific(scan, j) or strip_article(tok) in kb.org_heads)


def nisba_pass(scan: Scan) -> None:
    """Actors named by nisba adjectives: "الجانب الروسي" (0.9); a bare "الإسرائيلية", or the
    nisba of a role ("وزير الطاقة الروسي"), at 0.5. Most point to countries ("الأممي": the UN)."""
    kb = scan.kb
    for i in range(scan.n):
        if not scan.hot[i] & 8 or not scan.free(i):
            continue
        target = demonym_at(scan, i)
        if not target or target not in kb.entries:
            continue
        j = i - 1
        while j >= 0 and scan.joined(j + 1) and scan.free(j) and scan.tokens[j] in kb.side_modifiers:
            j -= 1
        side = (
            not scan.in_title[i]
            and j >= 0
            and scan.joined(j + 1)
            and scan.free(j)
            and not scan.in_title[j]
            and any(stem in kb.side_nouns for _, stem in scan.variants(j))
        )
        first = j if side else i
        offset = next((off for off, stem in scan.variants(first) if stem in kb.side_nouns), 0) if side else 0
        offset = offset if side else next((off for off, stem in scan.variants(i) if stem in kb.demonyms), 0)
        start, end = span_of(scan, first, i, offset)
        entry = kb.entries[target]
        scan.claim(
            Found(
                first=first,
                last=i,
                start=start,
                end=end,
                key="kb:" + target,
                kind=entry.kind,
                method="pattern",
                confidence=0.9 if side else 0.5,
                kb=entry,
                country=entry.country,
                category=entry.category,
            )
        )


def indefinite_construct(scan: Scan, j: int) -> int:
    """Index of the listed country or place that closes an indefinite construct after an
    organisation head ("غرفة تجارة وصناعة الكويت": تجارة, وصناعة, then Kuwait), 0 when none."""
    kb = scan.kb
    k = j
    while k < scan.n and k - j < 3 and scan.joined(k) and scan.free(k):
        tok = scan.tokens[k]
        bare = tok[1:] if k > j and tok.startswith("و") else tok
        if (
            bare.startswith(("ال", "لل", "ب", "ل"))
            or not bare.isalpha()
            or len(bare) < 3
            or scan.light[k] in kb.stopwords
            or bare in kb.stopwords
            or bare in kb.org_heads
            or strip_article(bare) in kb.role_heads
            or bare in kb.demonyms
        ):
            return 0
        k += 1
    if k == j or k >= scan.n or not scan.joined(k):
        return 0
    owner = scan.owner[k]
    if (
        owner is not None
        and owner.first == k
        and owner.start == scan.starts[k]
        and owner.kb is not None
        and owner.kind in ("country", "place")
    ):
        return k  # a construct, with no preposition before the country ("موالية لأنقرة" is none)
    return 0


def _quoted_org(scan: Scan, i: int, offset: int, stem: str, category: str) -> None:
    """A head that names only in quotes ("حملة "تمرد""): the quoted one to three words."""
    j = i + 1
    if j >= scan.n or not scan.gap(j).startswith('"') or not scan.free(j):
        return
    k = j
    while k < scan.n and k - j < 3 and scan.free(k) and (k == j or scan.joined(k)):
        if k + 1 >= scan.n or scan.gap(k + 1).startswith('"'):
            start, end = span_of(scan, i, k, offset)
            end += scan.doc.norm[end : end + 1] == '"'  # the span closes the quote it opened
            text = " ".join([strip_article(stem), *scan.tokens[j : k + 1]])
            scan.claim(
                Found(
                    first=i,
                    last=k,
                    start=start,
                    end=end,
                    key="new:" + text,
                    kind="organization",
                    method="pattern",
                    confidence=0.8,
                    category=category,
                )
            )
            return
        k += 1


DATIVE_OUTLET_REACH = 9
"""Tokens before "لـ" within which a speech verb makes a quoted name the outlet spoken to."""
OUTLET_CATEGORIES = frozenset({"outlet", "agency"})


@lru_cache(maxsize=1)
def _outlet_heads() -> tuple[str, ...]:
    """The head nouns of outlet names ("صحيفة", "قناة"), folded, from ``claim_cues.json``."""
    return tuple(match_key(h) for h in datafiles.claim_cues().outlet_heads)


def dative_outlet_pass(scan: Scan) -> None:
    """ "أكد ... لـ«الوطن» أن": a quoted name after "لـ" that follows a speech verb is the outlet the
    statement was given to, when a listed outlet has that name with its head noun ("صحيفة الوطن",
    "جريدة الرياض"); the word or city it also spells ("الرياض") is no mention there."""
    kb = scan.kb
    for i in range(2, scan.n):
        if scan.tokens[i - 1] != "ل" or scan.gap(i) != '"':
            continue
        j = i
        while j + 1 < scan.n and scan.joined(j + 1) and j - i < 3:
            j += 1
        if j + 1 >= scan.n or not scan.gap(j + 1).startswith('"'):
            continue
        if not any(scan.tokens[k] in kb.speech_verbs for k in range(max(0, i - DATIVE_OUTLET_REACH), i - 1)):
            continue
        name = " ".join(scan.tokens[i : j + 1])
        entry = None
        for form in (name, *(f"{head} {name}" for head in _outlet_heads())):
            ids = [e for e in kb.alias_index.get(form, ()) if kb.entries[e].kind == "organization"]
            if ids:  # the first listed ("صحيفة الوطن": the Saudi paper before the Syrian one)
                entry = kb.entries[ids[0]]
                break
        if entry is None or entry.category not in OUTLET_CATEGORIES:
            continue
        owners = {id(o): o for o in (scan.owner[k] for k in range(i, j + 1)) if o is not None}
        if any(o.first < i or o.last > j for o in owners.values()):
            continue
        for o in owners.values():
            release(scan, o)
        start, end = span_of(scan, i, j)
        scan.claim(
            Found(
                first=i,
                last=j,
                start=start,
                end=end,
                key="kb:" + entry.id,
                kind="organization",
                method="kb",
                confidence=0.9,
                kb=entry,
                country=entry.country,
                category=entry.category,
            )
        )


DATIVE_OUTLET_WORDS = 4
"""Definite words after an outlet head that may name it ("للإذاعة العامة الإسرائيلية")."""


@lru_cache(maxsize=1)
def _broadcaster_heads() -> frozenset[str]:
    """Outlet heads that name no other thing when definite ("إذاعة", "تلفزيون"), folded."""
    return frozenset(match_key(h) for h in datafiles.claim_cues().broadcaster_heads)


def dative_broadcaster_pass(scan: Scan) -> None:
    """ "قال مصدر عسكري للإذاعة العامة الإسرائيلية إن", "قال للتلفزيون المصري": after a speech
    verb, an outlet head with "لـ" and the definite words that describe it is the (unlisted)
    outlet the statement was given to, so the statement keeps it as its relay. Listed outlets
    ("لقناة الجزيرة") are the knowledge base's; an outlet head alone ("للصحيفة") names none."""
    kb = scan.kb
    heads = _broadcaster_heads()
    for i in range(1, scan.n):
        if not scan.free(i) or not scan.tokens[i].startswith("ل"):
            continue
        hit = next(
            ((off, stem) for off, stem in scan.variants(i) if off and strip_article(stem) in heads), None
        )
        if hit is None:
            continue
        if not any(scan.tokens[k] in kb.speech_verbs for k in range(max(0, i - DATIVE_OUTLET_REACH), i)):
            continue
        offset, stem = hit
        j = i + 1
        while (
            j < scan.n
            and j - i <= DATIVE_OUTLET_WORDS
            and scan.joined(j)
            and scan.free(j)
            and scan.tokens[j].startswith("ال")
            and scan.light[j] not in kb.stopwords
            and scan.tokens[j] not in kb.speech_verbs
        ):
            j += 1
        if j == i + 1:
            continue
        start, end = span_of(scan, i, j - 1, offset)
        prefix = stem[: len(stem) - (len(scan.tokens[i]) - offset)]
        scan.claim(
            Found(
                first=i,
                last=j - 1,
                start=start,
                end=end,
                key="new:" + " ".join([stem, *scan.tokens[i + 1 : j]]),
                kind="organization",
                method="pattern",
                confidence=0.8,
                category="outlet",
                prefix=prefix if prefix.startswith("ا") else "",
            )
        )


def outlet_pass(scan: Scan) -> None:
    """The outlet named in the article's own dateline or byline ("القاهرة - الأهرام", "هسبريس -
    Author") is an organisation mentioned there, even when nobody listed it."""
    doc, kb = scan.doc, scan.kb
    outlet = doc.meta.outlet or doc.outlet
    key = match_key(outlet) if outlet else ""
    if not key:
        return
    words = key.split(" ")
    for seg in doc.segments:
        if seg.kind not in ("dateline", "byline", "headline") or seg.paragraph > 1:
            continue
        lo = bisect_left(scan.starts, bisect_left(doc.offsets, seg.start))
        hi = bisect_left(scan.starts, bisect_left(doc.offsets, seg.end))
        for i in range(lo, hi - len(words) + 1):
            if scan.tokens[i : i + len(words)] != words:
                continue
            owner = scan.owner[i]
            if owner is not None and owner.kind == "organization":
                return
            if any(scan.owner[t] is not owner for t in range(i, i + len(words))) or (
                owner is not None and (owner.first, owner.last) != (i, i + len(words) - 1)
            ):
                continue
            if owner is not None:
                scan.found.remove(owner)
            # "الشرق الأوسط" is a region and a newspaper: the outlet is the organisation
            entry = next(
                (kb.entries[e] for e in kb.alias_index.get(key, ()) if kb.entries[e].kind == "organization"),
                None,
            )
            start, end = span_of(scan, i, i + len(words) - 1)
            scan.claim(
                Found(
                    first=i,
                    last=i + len(words) - 1,
                    start=start,
                    end=end,
                    key="kb:" + entry.id if entry else "new:" + key,
                    kind=entry.kind if entry else "organization",
                    method="kb" if entry else "pattern",
                    confidence=0.9,
                    kb=entry,
                    country=entry.country if entry else None,
                    category=entry.category if entry else "outlet",
                )
            )
            return
