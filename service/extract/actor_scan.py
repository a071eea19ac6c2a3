"""Actor recognition passes over the folded tokens of one document (used by ``actors.py``).

1. knowledge-base aliases (token n-gram dict lookups, proclitics allowed, longest first);
2. titles: ranks, honorifics and role phrases ("وزير الدفاع الروسي"), with the person they
   introduce (a listed person, an apposition "Role، Name،", or a name after a rank or a
   given name) and the role/rank recorded per mention;
3. unlisted people from the given-name list ("رامي الشاعر");
4. organisations from head nouns ("وزارة الزراعة التركية", "هيئة التدريب");
5. countries from nisba adjectives ("الجانب الروسي", a bare "الإسرائيلية").

Each pass claims tokens so later passes never re-read them; everything is found on
``doc.norm`` and mapped back to verbatim spans when entities are built.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

from service.extract.document import ActorKind, Document
from service.extract.knowledge import KbEntry, Knowledge, clitic_variants, knowledge, strip_article

TOKEN_RE = re.compile(r"[^\W_]+")
NAME_BREAKS = set(",.;:!?()[]{}\"'/|-")
MAX_COMPLEMENT = 8


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
        self.tokens: list[str] = []
        self.light: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in TOKEN_RE.finditer(doc.norm):
            tok = m.group()
            self.tokens.append(tok)
            last_char = doc.text[doc.offsets[m.end() - 1]]
            self.light.append(tok[:-1] + "ى" if last_char == "ى" and tok.endswith("ي") else tok)
            self.starts.append(m.start())
            self.ends.append(m.end())
        self.n = len(self.tokens)
        self.waw = [False] * self.n
        for i, light in enumerate(self.light):
            if light[:1] == "و" and light not in kb.given_first and light[1:] in kb.given_first:
                self.waw[i] = True
                self.light[i] = light[1:]
        self.owner: list[Found | None] = [None] * self.n
        self.in_title = [False] * self.n
        self.skip = [False] * self.n
        for seg in doc.segments:
            if seg.kind == "byline":
                for i in range(self.n):
                    if seg.start <= doc.offsets[self.starts[i]] < seg.end:
                        self.skip[i] = True
        self.found: list[Found] = []
        self.titles: list[Title] = []
        norm = doc.norm
        self.gaps = [""] + [norm[self.ends[i - 1] : self.starts[i]].strip() for i in range(1, self.n)]
        info = [_token_info(t) for t in self.tokens]
        self.vars = [v for v, _ in info]
        self.hot = [h for _, h in info]
        self.memo: dict[tuple[str, int], object] = {}

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

    def variants(self, i: int) -> list[tuple[int, str]]:
        return self.vars[i]

    def match_table(self, i: int, table: dict[str, str] | dict[str, tuple[str, ...]],
                    first: dict[str, int], article: bool = False) -> tuple[int, int, str] | None:
        """Longest entry of ``table`` starting at token i: (token count, clitic offset, key)."""
        best: tuple[int, int, str] | None = None
        for offset, stem in self.variants(i):
            stems = [stem, strip_article(stem)] if article else [stem]
            for s in stems:
                longest = min(first.get(s, 0), self.n - i)
                for k in range(longest, 0, -1):
                    if k > 1 and not all(self.joined(j, hyphen=True) for j in range(i + 1, i + k)):
                        continue
                    key = " ".join([s, *self.tokens[i + 1 : i + k]])
                    if key in table and (best is None or k > best[0]):
                        best = (k, offset, key)
                        break
        return best


def kb_pass(scan: Scan) -> None:
    kb = scan.kb
    i = 0
    while i < scan.n:
        if scan.skip[i] or not scan.hot[i]:
            i += 1
            continue
        hit = scan.match_table(i, kb.alias_index, kb.alias_first)
        if hit is None:
            i += 1
            continue
        k, offset, key = hit
        entry = kb.entries[kb.alias_index[key][0]]
        single_person = entry.kind == "person" and k == 1
        scan.claim(Found(first=i, last=i + k - 1, start=scan.starts[i] + offset, end=scan.ends[i + k - 1],
                         key="kb:" + entry.id, kind=entry.kind, method="kb",
                         confidence=0.8 if single_person else 1.0, kb=entry, country=entry.country,
                         category=entry.category))
        i += k


T = TypeVar("T")


def _memo(fn: Callable[[Scan, int], T]) -> Callable[[Scan, int], T]:
    """Cache a per-token predicate on the scan (each is asked many times per token)."""
    name = fn.__name__

    def cached(scan: Scan, i: int) -> T:
        key = (name, i)
        if key not in scan.memo:
            scan.memo[key] = fn(scan, i)
        return scan.memo[key]  # type: ignore[return-value]

    return cached


@lru_cache(maxsize=1)
def _hot_words() -> frozenset[str]:
    """First words of everything a pass can start on, so other tokens are skipped at once."""
    kb = knowledge()
    words: set[str] = set(kb.alias_first) | set(kb.honorifics) | set(kb.side_nouns) | set(kb.side_modifiers)
    words |= {k.split(" ")[0] for k in (*kb.role_heads, *kb.ranks, *kb.org_heads, *kb.demonyms)}
    return frozenset(words)


@lru_cache(maxsize=65536)
def _token_info(token: str) -> tuple[list[tuple[int, str]], bool]:
    """A token's proclitic variants and whether any pass can start on it (cached per word)."""
    hot = _hot_words()
    variants = clitic_variants(token)
    return variants, any(s in hot or s[2:] in hot for _, s in variants)


@lru_cache(maxsize=1)
def _title_starts() -> frozenset[str]:
    kb = knowledge()
    return frozenset(k.split(" ")[0] for k in (*kb.role_heads, *kb.ranks, *kb.honorifics))


@_memo
def _role_head(scan: Scan, i: int) -> tuple[int, int, str] | None:
    kb = scan.kb
    return scan.match_table(i, kb.role_heads, kb.role_first, article=True)


@_memo
def _rank(scan: Scan, i: int) -> tuple[int, int, str] | None:
    kb = scan.kb
    best = None
    for offset, stem in scan.variants(i):
        for k in (2, 1):
            if i + k > scan.n or (k == 2 and not scan.joined(i + 1)):
                continue
            key = " ".join([stem, *scan.tokens[i + 1 : i + k]])
            if key in kb.ranks and (best is None or k > best[0]):
                best = (k, offset, key)
    return best


@_memo
def _is_honorific(scan: Scan, i: int) -> bool:
    return any(stem in scan.kb.honorifics for _, stem in scan.variants(i))


@_memo
def _demonym(scan: Scan, i: int) -> str | None:
    for _, stem in scan.variants(i):
        country = scan.kb.demonyms.get(stem)
        if country:
            return country
    return None


@_memo
def _is_given(scan: Scan, i: int) -> int:
    """Number of tokens of a given name starting at token i (0 when none)."""
    kb = scan.kb
    light = scan.light[i]
    for k in range(min(kb.given_first.get(light, 0), scan.n - i), 0, -1):
        if all(scan.joined(j) for j in range(i + 1, i + k)) and " ".join([light, *scan.light[i + 1 : i + k]]) in kb.given:
            return k
    return 0


def _name_word(scan: Scan, i: int) -> bool:
    """Token i may be part of a person's name."""
    kb = scan.kb
    tok = scan.tokens[i]
    if not scan.free(i) or scan.in_title[i] or len(tok) < 2 or not tok.isalpha() or not ("\u0600" <= tok[0] <= "\u06ff"):
        return False
    if scan.light[i] in kb.stopwords or tok in kb.stopwords:
        return False
    bare = strip_article(tok)
    if tok in kb.ranks or tok in kb.honorifics or bare in kb.role_heads or tok in kb.org_heads or bare in kb.org_heads:
        return False
    return tok not in kb.anaphora and tok not in kb.side_nouns


def _connector(scan: Scan, i: int) -> bool:
    return scan.tokens[i] in scan.kb.connectors


def _parse_name(scan: Scan, i: int, mode: str) -> int:
    """Length in tokens of a person name starting at token i (0 when there is none).

    mode "given": token i is a known given name; "rank": after a rank (any name words);
    "role": after a role (needs a given name or a known name part); "apposition": between
    commas after a role.
    """
    kb = scan.kb
    if not _name_word(scan, i):
        return 0
    given = _is_given(scan, i)
    if scan.tokens[i].startswith("ال") and not given:
        return 0
    if mode == "role" and not given and scan.tokens[i] not in kb.parts:
        return 0
    if mode == "given" and not given:
        return 0
    j = i + max(given, 1)
    prev_open = given > 0
    while j < scan.n and j - i < 4 and scan.joined(j) and _name_word(scan, j) and not scan.waw[j]:
        if prev_open or mode in ("rank", "apposition") or _connector(scan, j):
            compound = _is_given(scan, j)
            if compound > 1 and j + compound - i <= 4:
                j += compound
                prev_open = True
                continue
            is_conn = _connector(scan, j)
            if is_conn and not (j + 1 < scan.n and scan.joined(j + 1) and _name_word(scan, j + 1)):
                break
            prev_open = is_conn or _is_given(scan, j) > 0
            j += 1
            continue
        break
    length = j - i
    if mode == "given" and length <= given:
        return 0
    if mode == "given" and given == 1 and scan.light[i] in kb.ambiguous_given:
        nxt = scan.tokens[i + 1]
        if nxt.startswith("ال") and nxt not in kb.parts and length < 3:
            return 0
    if mode == "apposition":
        if scan.tokens[i][0] in ("و", "ف") and not given:
            return 0
        closing = scan.gap(j).strip() if j < scan.n else "."
        if not closing or closing[0] not in NAME_BREAKS:
            return 0
        if length < 2 and scan.tokens[i] not in kb.parts:
            return 0
    if mode == "role" and length < 2:
        return 0
    return length


def _complement(scan: Scan, j: int) -> int:
    """Index after the complement of a role phrase that starts at token j."""
    kb = scan.kb
    start = j
    while j < scan.n and j - start < MAX_COMPLEMENT and scan.joined(j) and not scan.skip[j]:
        owner = scan.owner[j]
        if owner is not None:
            if owner.kind == "person":
                break
            j = owner.last + 1
            continue
        tok = scan.tokens[j]
        if _rank(scan, j) or _is_honorific(scan, j) or _is_given(scan, j):
            break
        if tok in kb.role_links:
            nxt = j + 1
            if nxt < scan.n and scan.joined(nxt) and ((scan.owner[nxt] is not None and scan.owner[nxt].kind != "person")
                                                     or scan.tokens[nxt].startswith("ال")
                                                     or strip_article(scan.tokens[nxt]) in kb.role_nouns):
                j += 1
                continue
            break
        stem = tok[1:] if tok.startswith("و") and tok[1:].startswith("ال") else tok
        if any(s in kb.role_nouns for _, s in scan.variants(j)):
            j += 1
            continue
        if scan.light[j] in kb.stopwords or stem in kb.stopwords:
            break
        if stem.startswith("ال") or _demonym(scan, j):
            j += 1
            continue
        break
    return j


def _span(scan: Scan, first: int, last: int, offset: int = 0) -> tuple[int, int]:
    return scan.starts[first] + offset, scan.ends[last]


def titles_pass(scan: Scan) -> None:
    i = 0
    while i < scan.n:
        if not scan.hot[i] or not scan.free(i) or scan.in_title[i]:
            i += 1
            continue
        title = _read_title(scan, i)
        if title is None:
            i += 1
            continue
        for j in range(title.first, title.last + 1):
            scan.in_title[j] = True
        scan.titles.append(title)
        _attach_title(scan, title)
        i = title.last + 1


def _read_title(scan: Scan, i: int) -> Title | None:
    kb = scan.kb
    starts = _title_starts()
    if not any(stem in starts or strip_article(stem) in starts for _, stem in scan.variants(i)):
        return None
    role = _role_head(scan, i)
    rank = None if role else _rank(scan, i)
    if role is None and rank is None:
        return _read_honorific(scan, i)
    role_span = rank_span = None
    head = None
    words: list[str] = []
    country = None
    j = i
    definite = False
    if role is not None:
        k, offset, head = role
        definite = scan.variants(i)[-1][1].startswith("ال") or any(
            s.startswith("ال") for _, s in scan.variants(i)) or (k > 1 and scan.tokens[i + 1].startswith("ال"))
        end = _complement(scan, i + k)
        while end > i + k and scan.tokens[end - 1] in kb.role_links:
            end -= 1
        role_span = _span(scan, i, end - 1, offset)
        for t in range(i + k, end):
            words.append(strip_article(scan.tokens[t][1:] if scan.tokens[t].startswith("وال") else scan.tokens[t]))
            nisba = _demonym(scan, t)
            if nisba is not None and nisba.startswith("country."):
                country = nisba
            owner = scan.owner[t]
            if country is None and owner is not None and owner.kind != "person":
                country = owner.kb.id if owner.kb is not None and owner.kind == "country" else owner.country
        j = end
    apposition = False
    if j < scan.n and scan.gap(j).strip() == "," and role is not None:
        apposition = True
    if role is not None and j < scan.n and (scan.joined(j) or apposition):
        rank = _rank(scan, j)
    if rank is not None:
        rk, roff, _ = rank
        if j + rk <= scan.n:
            rank_span = _span(scan, j, j + rk - 1, roff)
            j += rk
    while j < scan.n and scan.joined(j) and _is_honorific(scan, j):
        j += 1
    return Title(first=i, last=max(j - 1, i), head=head, words=words, country=country, role_span=role_span,
                 rank_span=rank_span, name_at=j, apposition=apposition and rank_span is None, definite=definite)


def _read_honorific(scan: Scan, i: int) -> Title | None:
    """An honorific ("الشيخ", "الدكتور") introduces a name the way a rank does."""
    if not _is_honorific(scan, i):
        return None
    j = i + 1
    while j < scan.n and scan.joined(j) and _is_honorific(scan, j):
        j += 1
    offset = next((off for off, stem in scan.variants(i) if stem in scan.kb.honorifics), 0)
    return Title(first=i, last=j - 1, head=None, words=[], country=None, role_span=_span(scan, i, j - 1, offset),
                 rank_span=None, name_at=j, apposition=False, definite=False, honorific=True)


def _role_tuple(scan: Scan, title: Title) -> tuple[int, int, str | None, int, int, str | None]:
    rs = title.role_span or (0, 0)
    ks = title.rank_span or (0, 0)
    return (rs[0], rs[1], title.head, ks[0], ks[1], None)


def _attach_title(scan: Scan, title: Title) -> None:
    target = _person_after(scan, title) or _person_before(scan, title)
    if target is not None:
        _give(scan, target, title)


def _person_after(scan: Scan, title: Title) -> Found | None:
    """The person a title introduces: a listed person or a name parsed right after it."""
    j = title.name_at
    if j >= scan.n or not (scan.joined(j) or title.apposition or scan.gap(j) == ","):
        return None
    target = scan.owner[j]
    if target is not None:
        return target if target.kind == "person" else None
    mode = "rank" if title.rank_span or title.honorific else ("apposition" if title.apposition else "role")
    length = _parse_name(scan, j, mode)
    if mode == "apposition" and not length:
        length = _parse_name(scan, j, "role")
    if not length and _is_given(scan, j):
        length = _parse_name(scan, j, "given")
    if not length:
        return None
    start, end = _span(scan, j, j + length - 1, 1 if scan.waw[j] else 0)
    return scan.claim(Found(first=j, last=j + length - 1, start=start, end=end, key="", kind="person",
                            method="title", confidence=0.9))


def _person_before(scan: Scan, title: Title) -> Found | None:
    """A person named right before a role that ends its phrase ("نوفاك نائب رئيس الوزراء، ...")."""
    if title.role_span is None or title.head in scan.kb.counterpart_heads or title.first == 0:
        return None
    if scan.gap(title.first) not in ("", ","):
        return None
    before = scan.owner[title.first - 1]
    after = title.last + 1
    ends = (after >= scan.n or scan.gap(after) != "" or scan.light[after] in scan.kb.stopwords
            or scan.tokens[after].isdigit())
    if before is not None and before.kind == "person" and before.last == title.first - 1 and ends:
        return before
    return None


def _give(scan: Scan, target: Found, title: Title) -> None:
    target.roles.append(_role_tuple(scan, title))
    target.role_words.extend(title.words)
    if title.country and target.country is None and target.kb is None:
        target.country = title.country
    title.name_at = -1


def attach_pending_titles(scan: Scan) -> None:
    """Give roles that follow a name to people found after the titles pass (given names)."""
    for title in scan.titles:
        if title.name_at >= 0:
            target = _person_before(scan, title)
            if target is not None:
                _give(scan, target, title)


def given_pass(scan: Scan) -> None:
    given_first = scan.kb.given_first
    for i in range(scan.n):
        if scan.light[i] in given_first and scan.free(i) and not scan.in_title[i] and _is_given(scan, i):
            length = _parse_name(scan, i, "given")
            if length:
                start, end = _span(scan, i, i + length - 1, 1 if scan.waw[i] else 0)
                scan.claim(Found(first=i, last=i + length - 1, start=start, end=end, key="", kind="person",
                                 method="given_name", confidence=0.8))


def led_by_pass(scan: Scan) -> None:
    """Names right after "برئاسة"/"بقيادة" (two words at least), when no title intervenes."""
    led_by = scan.kb.led_by
    for i in range(scan.n - 1):
        j = i + 1
        if scan.light[i] in led_by and scan.joined(j) and scan.free(j) and not scan.in_title[j]:
            length = _parse_name(scan, j, "rank")
            if length >= 2:
                start, end = _span(scan, j, j + length - 1)
                scan.claim(Found(first=j, last=j + length - 1, start=start, end=end, key="", kind="person",
                                 method="title", confidence=0.75))


def org_pass(scan: Scan) -> list[tuple[int, int, str]]:
    """Organisations from head nouns; returns bare definite heads ("الوكالة") for anaphora."""
    kb = scan.kb
    anaphors: list[tuple[int, int, str]] = []
    for i in range(scan.n):
        if not scan.hot[i] or not scan.free(i):
            continue
        hit = next(((off, stem) for off, stem in scan.variants(i) if strip_article(stem) in kb.org_heads), None)
        if hit is None:
            continue
        offset, stem = hit
        head = kb.org_heads[strip_article(stem)]
        j, country, words = i + 1, None, [strip_article(stem)]
        while j < scan.n and j - i <= 6 and scan.joined(j) and not scan.skip[j]:
            owner, tok = scan.owner[j], scan.tokens[j]
            if owner is not None or _rank(scan, j) or _is_honorific(scan, j):
                break
            if tok == "في" and head.located and j + 1 < scan.n and scan.owner[j + 1] is not None \
                    and scan.owner[j + 1].kind in ("country", "place"):
                place = scan.owner[j + 1]
                country = country or (place.kb.id if place.kind == "country" and place.kb else place.country)
                words += [tok, *scan.tokens[j + 1 : place.last + 1]]
                j = place.last + 1
                break
            bare = tok[1:] if tok.startswith("وال") else tok
            linked = tok.startswith("ل") and j + 1 < scan.n and scan.tokens[j + 1].startswith("ال") and scan.joined(j + 1)
            if tok != bare and strip_article(bare) in kb.org_heads:
                break
            continues = len(words) == 1 or tok != bare or tok.startswith("لل") or linked \
                or tok in kb.org_adjectives or tok in kb.demonyms or tok in kb.org_words
            if continues and (((bare.startswith("ال") or tok.startswith("لل")) and scan.light[j] not in kb.stopwords)
                              or linked):
                words.append(tok)
                nisba = _demonym(scan, j)
                country = nisba if nisba is not None and nisba.startswith("country.") else country
                j += 1
                continue
            break
        if len(words) == 1:
            if stem.startswith("ال") and stem in kb.anaphora:
                anaphors.append((i, offset, head.category))
            continue
        if head.category == "military" and country is None and all(w in kb.generic_force_words for w in words[1:]):
            continue
        text = " ".join(words)
        listed = kb.alias_index.get(text) or kb.alias_index.get(" ".join([stem, *words[1:]]))
        start, end = _span(scan, i, j - 1, offset)
        if listed:
            entry = kb.entries[listed[0]]
            scan.claim(Found(first=i, last=j - 1, start=start, end=end, key="kb:" + entry.id, kind=entry.kind,
                             method="kb", confidence=1.0, kb=entry, country=entry.country, category=entry.category))
        else:
            prefix = stem[: len(stem) - (len(scan.tokens[i]) - offset)] if offset else ""
            scan.claim(Found(first=i, last=j - 1, start=start, end=end, key="new:" + text, kind="organization",
                             method="pattern", confidence=0.8, country=country, category=head.category,
                             prefix=prefix if prefix.startswith("ا") else ""))
    return anaphors


def nisba_pass(scan: Scan) -> None:
    """Actors named by nisba adjectives: "الجانب الروسي" (0.9); a bare "الإسرائيلية", or the
    nisba of a role ("وزير الطاقة الروسي"), at 0.5. Most point to countries ("الأممي": the UN)."""
    kb = scan.kb
    for i in range(scan.n):
        if not scan.hot[i] or not scan.free(i):
            continue
        target = _demonym(scan, i)
        if not target or target not in kb.entries:
            continue
        j = i - 1
        while j >= 0 and scan.joined(j + 1) and scan.free(j) and scan.tokens[j] in kb.side_modifiers:
            j -= 1
        side = not scan.in_title[i] and j >= 0 and scan.joined(j + 1) and scan.free(j) and not scan.in_title[j] \
            and any(stem in kb.side_nouns for _, stem in scan.variants(j))
        first = j if side else i
        offset = next((off for off, stem in scan.variants(first) if stem in kb.side_nouns), 0) if side else 0
        offset = offset if side else next((off for off, stem in scan.variants(i) if stem in kb.demonyms), 0)
        start, end = _span(scan, first, i, offset)
        entry = kb.entries[target]
        scan.claim(Found(first=first, last=i, start=start, end=end, key="kb:" + target, kind=entry.kind,
                         method="pattern", confidence=0.9 if side else 0.5, kb=entry, country=entry.country,
                         category=entry.category))
