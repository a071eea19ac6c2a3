"""The clause stage and the text units it shares with the reporting, event and claim stages.

``analyse(doc)`` (the ``clauses`` stage of ``pipeline.STAGES``) cuts the document into
sentences and tokens and lays the actor mentions, recorded titles and dates over them, in norm
coordinates (``doc.sentences``, ``doc.mention_spans``, ``doc.title_spans``, ``doc.date_starts``).
The lexicon matcher and span helpers here are used by the later stages; they convert back to
verbatim offsets only when a span is emitted. Lexicons match whole surface forms (after
folding) with the proclitics allowed for a part of speech and, where asked, attached pronouns;
there is no stemming, so "وزارة" never matches "زار" and "المستقبل" never matches "استقبل".
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import cache
from typing import Generic, Literal, TypeVar

import msgspec

from service.extract import datafiles
from service.extract.actors.knowledge import knowledge
from service.extract.document import Document, MentionSpan, Sentence, Token
from service.extract.text.words import split_words
from service.text import fold, fold_char, match_key

Pos = Literal["verb", "noun", "particle"]
T = TypeVar("T")

_TOKEN_RE = re.compile(r"\w+")
# a sentence ends at . ! ? before a space, but not after a one-letter word: "د." (doctor) and the
# agency initials "(د. ب. أ)", "(أ. ف. ب)" are abbreviations (the segmenter reads them the same way);
# the pattern starts with the punctuation, so the regex engine skips every other character at once
# (five times faster than putting the look-behind first, same matches)
_SENTENCE_END_RE = re.compile(r"[.!?](?<!(?<!\w)[^\W\d_][.!?])[.!?]*(?=\s|$)")
_PARAGRAPH_RE = re.compile(r"\n[ \t\u00a0]*\n\s*")
_SKIPPED_SEGMENTS = frozenset({"byline", "dateline", "boilerplate"})


class PhraseMatch(msgspec.Struct, Generic[T], frozen=True):
    """A lexicon hit: tokens [first, last] of a sentence, the entry payload and its proclitic."""

    first: int
    last: int
    payload: T
    prefix: str
    core: str


class PhraseLexicon(Generic[T]):
    """Whole-token matcher for (possibly multi-word) surface forms with proclitics.

    The first word of a form takes the proclitics of its part of speech (and attached pronouns
    when ``enclitics`` is true); later words must match exactly after folding.
    """

    def __init__(self, entries: Iterable[tuple[str, Pos, T]], enclitics: bool = False) -> None:
        self._index: dict[str, list[tuple[int, list[str], T, str, str]]] = {}
        for form, pos, payload in entries:
            words = fold(form).split()
            if not words:
                continue
            head, rest = words[0], words[1:]
            for variant, prefix in _variants(head, pos, enclitics and not rest):
                self._index.setdefault(variant, []).append((len(prefix), rest, payload, prefix, head))
        for options in self._index.values():
            options.sort(key=lambda o: (o[0], -len(o[1])))
        self._heads = frozenset(self._index)

    def match_at(self, tokens: list[Token], i: int) -> PhraseMatch[T] | None:
        """The best match starting at token ``i`` (shortest proclitic, then longest phrase)."""
        options = self._index.get(tokens[i].text)
        if not options:
            return None
        best: PhraseMatch[T] | None = None
        for plen, rest, payload, prefix, head in options:
            if best is not None and len(best.prefix) < plen:
                break
            last = i + len(rest)
            if last >= len(tokens):
                continue
            if any(tokens[i + 1 + k].text != word for k, word in enumerate(rest)):
                continue
            if best is None or last > best.last:
                best = PhraseMatch(i, last, payload, prefix, head)
        return best

    def _match_at(self, texts: list[str], i: int) -> PhraseMatch[T] | None:
        """``match_at`` inside ``find``: the later words of a phrase are compared as one slice of
        the sentence's word texts."""
        best: PhraseMatch[T] | None = None
        n = len(texts)
        for plen, rest, payload, prefix, head in self._index[texts[i]]:
            if best is not None and len(best.prefix) < plen:
                break
            last = i + len(rest)
            if last >= n:
                continue
            if rest and texts[i + 1 : last + 1] != rest:
                continue
            if best is None or last > best.last:
                best = PhraseMatch(i, last, payload, prefix, head)
        return best

    def find(self, tokens: list[Token], lo: int = 0, hi: int | None = None) -> list[PhraseMatch[T]]:
        """All non-overlapping matches in tokens[lo:hi], left to right."""
        hi = len(tokens) if hi is None else hi
        words = _words_of(tokens)
        heads = words.present & self._heads  # most sentences contain no head word of a given lexicon
        out: list[PhraseMatch[T]] = []
        if not heads:
            return out
        at = words.positions()
        if len(heads) == 1:
            starts: Iterable[int] = at[next(iter(heads))]
        else:
            starts = sorted([k for head in heads for k in at[head]])
        texts = words.texts
        i = lo
        for k in starts:
            if k >= hi:
                break
            if k < i:
                continue
            m = self._match_at(texts, k)
            if m is not None and m.last < hi:
                out.append(m)
                i = m.last + 1
        return out


class _Words:
    """A sentence's word texts, their set and (built on first use) each word's positions."""

    __slots__ = ("_at", "present", "texts", "tokens")

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.texts = [t.text for t in tokens]
        self.present = frozenset(self.texts)
        self._at: dict[str, list[int]] | None = None

    def positions(self) -> dict[str, list[int]]:
        """Word text -> its token indices, ascending."""
        if self._at is None:
            at: dict[str, list[int]] = {}
            for k, word in enumerate(self.texts):
                if word in at:
                    at[word].append(k)
                else:
                    at[word] = [k]
            self._at = at
        return self._at


_LAST_WORDS = _Words([])


def _words_of(tokens: list[Token]) -> _Words:
    """The words of a sentence's tokens, kept for the last sentence asked about (every lexicon of
    a stage is matched over the same sentence in turn)."""
    global _LAST_WORDS
    if _LAST_WORDS.tokens is tokens:
        return _LAST_WORDS
    _LAST_WORDS = _Words(tokens)
    return _LAST_WORDS


class Morphology(msgspec.Struct, frozen=True):
    """Clitics (folded) from ``event_types.json``: what may precede or follow a surface form."""

    conjunctions: tuple[str, ...]
    verb_prefixes: tuple[str, ...]
    noun_prefixes: tuple[str, ...]
    article: str
    li_article: str
    verb_suffixes: tuple[str, ...]
    noun_suffixes: tuple[str, ...]
    ta_marbuta: str
    ta_construct: str
    future_prefix: str


@cache
def morphology() -> Morphology:
    """The clitic inventory, folded, loaded once."""
    raw = datafiles.event_types().morphology
    return Morphology(
        conjunctions=tuple(fold(w) for w in raw.conjunctions),
        verb_prefixes=tuple(fold(w) for w in raw.verb_prefixes),
        noun_prefixes=tuple(fold(w) for w in raw.noun_prefixes),
        article=fold(raw.article),
        li_article=fold(raw.li_article),
        verb_suffixes=tuple(fold(w) for w in raw.verb_suffixes),
        noun_suffixes=tuple(fold(w) for w in raw.noun_suffixes),
        ta_marbuta=fold(raw.ta_marbuta),
        ta_construct=fold(raw.ta_construct),
        future_prefix=fold(raw.future_prefix),
    )


def _variants(head: str, pos: Pos, enclitics: bool) -> list[tuple[str, str]]:
    """Surface variants of one word with the proclitics (and enclitics) of its part of speech."""
    mo = morphology()
    cores: list[tuple[str, str]]
    if pos == "verb":
        cores = [(head, "")] + [(m + head, m) for m in mo.verb_prefixes]
        if enclitics:
            cores = [(c + x, p) for c, p in cores for x in ("", *mo.verb_suffixes)]
    elif pos == "noun":
        art, li = mo.article, mo.li_article
        cores = [(head, "")]
        if head.startswith(art):
            bare = head[len(art) :]
            cores += [(m + head, m) for m in mo.noun_prefixes if m + head != li + bare]
            cores.append((li + bare, li))
        else:
            cores += [(m + head, m) for m in mo.noun_prefixes]
            cores += [(m + art + head, m + art) for m in ("", *mo.noun_prefixes) if m + art != li]
            cores.append((li + head, li))
            if enclitics:
                stem = head[:-1] + mo.ta_construct if head.endswith(mo.ta_marbuta) else head
                cores += [(m + stem + x, m) for m in ("", *mo.noun_prefixes) for x in mo.noun_suffixes]
    else:
        cores = [(head, "")]
    return [(p + c, p + m) for c, m in cores for p in ("", *mo.conjunctions)]


def word_set(words: Iterable[str]) -> frozenset[str]:
    """Folded single words as a set (for membership tests on tokens)."""
    return frozenset(fold(w) for w in words)


def norm_pos(doc: Document, verbatim: int) -> int:
    """The norm index of the first norm character at or after verbatim offset ``verbatim``."""
    return bisect_left(doc.offsets, verbatim)


def verbatim_span(doc: Document, start: int, end: int) -> tuple[int, int, str]:
    """Map a norm range to a verbatim (start, end, quote) with ``text[start:end] == quote``."""
    if end <= start:
        s = doc.offsets[start] if start < len(doc.offsets) else len(doc.text)
        return s, s, ""
    s, e = doc.span_of_norm(start, end)
    while e < len(doc.text) and not fold_char(doc.text[e]):
        e += 1
    return s, e, doc.text[s:e]


def trim(norm: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past spaces and punctuation at both ends."""
    while start < end and not norm[start].isalnum() and norm[start] not in "\"'(":
        start += 1
    while end > start and not norm[end - 1].isalnum() and norm[end - 1] not in "\")'":
        end -= 1
    return start, end


def _quotes(norm: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    i = norm.find('"', start, end)
    while i >= 0:
        j = norm.find('"', i + 1, end)
        if j < 0:
            break
        spans.append((i, j))
        i = norm.find('"', j + 1, end)
    return spans


def analyse(doc: Document) -> None:
    """The clause stage: sentences with their per-token facts, mention spans, title spans and
    date positions, all in norm coordinates."""
    doc.date_starts = [norm_pos(doc, d.start) for d in doc.dates]
    doc.mention_spans = mention_spans(doc)
    doc.title_spans = title_spans(doc)
    doc.sentences = [_with_token_facts(doc, s) for s in sentences(doc)]


def _with_token_facts(doc: Document, s: Sentence) -> Sentence:
    norm, toks = doc.norm, s.tokens
    titles: set[int] = set()
    for ts, te in doc.title_spans:
        if ts < s.end and te > s.start:
            i = s.token_index(ts)
            while i < len(toks) and toks[i].start < te:
                if toks[i].start >= ts:
                    titles.add(i)
                i += 1
    return msgspec.structs.replace(
        s,
        comma_before=frozenset(
            i for i in (s.token_index(c) for c in _comma_positions(norm, s.start, s.end)) if 0 < i < len(toks)
        ),
        mention_starts=frozenset(
            s.token_index(m.start) for m in mentions_between(doc.mention_spans, s.start, s.end)
        ),
        date_tokens=frozenset(s.token_index(p) for p in doc.date_starts if s.start <= p < s.end),
        title_tokens=frozenset(titles),
    )


def _comma_positions(norm: str, start: int, end: int) -> list[int]:
    out: list[int] = []
    i = norm.find(",", start, end)
    while i >= 0:
        out.append(i)
        i = norm.find(",", i + 1, end)
    return out


def sentences(doc: Document) -> list[Sentence]:
    """The document's sentences (from ``doc.segments``; without segments, the paragraphs of the
    verbatim text split at sentence punctuation)."""
    norm = doc.norm
    ranges: list[tuple[int, int, str]] = []
    if doc.segments:
        for seg in doc.segments:
            if seg.kind in _SKIPPED_SEGMENTS:
                continue
            ranges.append((norm_pos(doc, seg.start), norm_pos(doc, seg.end), seg.kind))
    else:
        cut = 0
        for m in _PARAGRAPH_RE.finditer(doc.text):
            ranges.append((norm_pos(doc, cut), norm_pos(doc, m.start()), "body"))
            cut = m.end()
        ranges.append((norm_pos(doc, cut), len(norm), "body"))
    out: list[Sentence] = []
    words = _NormWords(norm)
    for start, end, kind in ranges:
        cut = start
        for m in _SENTENCE_END_RE.finditer(norm, start, end):
            _append_sentence(out, words, cut, m.end(), kind)
            cut = m.end()
        _append_sentence(out, words, cut, end, kind)
    return out


class _NormWords:
    """The tokens (``_TOKEN_RE``) of any span of a text, sliced from the split the actor stage
    already made (``split_words``) instead of matched again span by span."""

    __slots__ = ("ends", "norm", "starts", "texts")

    def __init__(self, norm: str) -> None:
        self.norm = norm
        self.starts: list[int] | None = None
        self.ends: list[int] = []
        self.texts: tuple[str, ...] = ()
        if "_" not in norm:  # else ``split_words`` cuts words that ``_TOKEN_RE`` keeps whole
            parts, bounds = split_words(norm)
            self.starts, self.ends, self.texts = list(bounds[0:-1:2]), list(bounds[1::2]), parts[1::2]

    def tokens(self, start: int, end: int) -> list[Token]:
        """``_TOKEN_RE``'s tokens of ``norm[start:end]``, in norm coordinates."""
        starts, ends = self.starts, self.ends
        if starts is not None:
            a = bisect_right(ends, start)  # the first word that ends after ``start``
            b = bisect_left(starts, end, a)  # past the last word that starts before ``end``
            if a == b or (starts[a] >= start and ends[b - 1] <= end):  # no word cut by the span's ends
                return list(map(Token, starts[a:b], ends[a:b], self.texts[a:b]))
        return [Token(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(self.norm, start, end)]


def _append_sentence(out: list[Sentence], words: _NormWords, start: int, end: int, kind: str) -> None:
    norm = words.norm
    start, end = trim(norm, start, end)
    if end - start < 2:
        return
    tokens = words.tokens(start, end)
    if tokens:
        out.append(Sentence(start, end, kind, tokens, _quotes(norm, start, end), [t.end for t in tokens]))


def mention_spans(doc: Document) -> list[MentionSpan]:
    """All actor mentions in norm coordinates, sorted by start, with their entity kinds."""
    titles = sorted((r.start, r.end, key) for key, e in doc.entities.items() for r in e.roles)
    title_starts = [t[0] for t in titles]
    out: list[MentionSpan] = []
    for m in doc.mentions:
        entity = doc.entities.get(m.entity)
        near = titles[
            max(0, bisect_left(title_starts, m.start + 1) - 8) : bisect_left(title_starts, m.start + 1)
        ]
        owner = next(
            (key for ts, te, key in reversed(near) if ts <= m.start and m.end <= te and key != m.entity), None
        )
        out.append(
            MentionSpan(
                norm_pos(doc, m.start),
                norm_pos(doc, m.end),
                m.entity,
                entity.kind if entity is not None else None,
                owner,
            )
        )
    out.sort(key=lambda s: (s.start, -s.end))
    return out


def mentions_between(spans: list[MentionSpan], start: int, end: int) -> list[MentionSpan]:
    """Mentions that start inside [start, end)."""
    i = bisect_left(spans, start, key=lambda m: m.start)
    out: list[MentionSpan] = []
    while i < len(spans) and spans[i].start < end:
        out.append(spans[i])
        i += 1
    return out


def dates_between(doc: Document, start: int, end: int) -> list[int]:
    """Indices of ``doc.dates`` whose expression starts inside the norm range [start, end)."""
    return [i for i, pos in enumerate(doc.date_starts) if start <= pos < end]


def is_outlet(doc: Document, key: str | None) -> bool:
    """Whether an entity is a news outlet or agency (a relay), judged from its names."""
    entity = doc.entities.get(key) if key else None
    if entity is None or entity.kind != "organization":
        return False
    if entity.kb_id is not None and _listed_outlet(entity.kb_id):
        return True
    if entity.kb_id is None and _definite_outlet(entity.name_ar):
        return True  # "الإذاعة العامة الإسرائيلية", "التلفزيون المصري": unlisted, named by its head
    return _outlet_names(entity.name_en, entity.name_ar, tuple(entity.aliases))


@cache
def _definite_outlet(name_ar: str) -> bool:
    words = match_key(name_ar).split()
    return len(words) > 1 and words[0].startswith("ال") and words[0][2:] in _broadcaster_heads()


@cache
def _broadcaster_heads() -> frozenset[str]:
    return frozenset(match_key(w) for w in datafiles.claim_cues().broadcaster_heads)


@cache
def _listed_outlet(kb_id: str) -> bool:
    entry = knowledge().entries.get(kb_id)
    return entry is not None and entry.category == "outlet"


@cache
def _outlet_names(name_en: str | None, name_ar: str, aliases: tuple[str, ...]) -> bool:
    heads, names, names_en = _outlet_lexicon()
    if name_en and name_en.lower() in names_en:
        return True
    for name in (name_ar, *aliases):
        words = match_key(name).split()
        if words and (words[0] in heads or " ".join(words) in names or any(w in names for w in words)):
            return True
    return False


@cache
def _outlet_lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    cues = datafiles.claim_cues()
    return (
        frozenset(match_key(w) for w in cues.outlet_heads),
        frozenset(match_key(w) for w in cues.outlet_names),
        frozenset(n.lower() for n in cues.outlet_names_en),
    )


def title_spans(doc: Document) -> list[tuple[int, int]]:
    """Norm ranges of every title/role the actor stage recorded ("نائب وزير الدفاع")."""
    return sorted(
        (norm_pos(doc, r.start), norm_pos(doc, r.end)) for e in doc.entities.values() for r in e.roles
    )
