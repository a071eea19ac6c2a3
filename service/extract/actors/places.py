"""Sub-city places and settlements nobody listed: squares, crossings, airports, ports, prisons,
camps, neighbourhoods, villages ("ساحة الساعة", "معبر القائم", "مطار بيروت", "قرية الجينة").

A name starts at an indefinite place head (``titles.json`` ``place_heads``; "الساحة السياسية" is
a figure of speech, not a place) followed by a proper name: a listed place ("مطار بيروت"), a
definite word ("ساحة الساعة"), or an undefined word with an optional definite word after it
("معبر باب الهوى"); adjectives such as "الدولي" continue it. The enclosing city is the listed
place the name contains or the one the text puts it in ("وسط العاصمة بغداد"); the new place
takes that city's country and, as an approximation, its coordinates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from service.extract import datafiles
from service.extract.actors.knowledge import KbEntry, clitic_variants, strip_article
from service.extract.actors.scan import Found, Scan, given_length, is_honorific, rank_at
from service.text import match_key

MAX_CUE_TOKENS = 4


@dataclass(frozen=True)
class PlaceLexicon:
    heads: dict[str, tuple[str, bool]]
    early: frozenset[str]
    adjectives: frozenset[str]
    stops: frozenset[str]
    cues: frozenset[str]
    enclosing_nouns: frozenset[str]
    name_starters: frozenset[str]
    whole_names: frozenset[str]
    name_nouns: frozenset[str]
    list_heads: dict[str, str]
    list_openers: frozenset[str]
    dual_heads: frozenset[str]
    asides: frozenset[str]
    areas: frozenset[str]
    place_only: frozenset[str]
    place_only_stops: frozenset[str]
    descriptors: frozenset[str]


@lru_cache(maxsize=1)
def place_lexicon() -> PlaceLexicon:
    """The place heads and their companions from ``titles.json``, folded once."""
    raw = datafiles.titles()

    def keys(words: list[str]) -> frozenset[str]:
        return frozenset(match_key(w) for w in words)

    return PlaceLexicon(
        heads={match_key(h.ar): (h.category, h.within_city) for h in raw.place_heads},
        early=frozenset(match_key(h.ar) for h in raw.place_heads if h.before_titles),
        adjectives=keys(raw.place_adjectives),
        stops=keys(raw.place_complement_stops),
        cues=keys([c for c in raw.enclosing_cues if " " not in c]),
        enclosing_nouns=keys(raw.enclosing_nouns),
        name_starters=keys(raw.place_name_starters),
        whole_names=frozenset(match_key(h.ar) for h in raw.place_heads if h.whole_name),
        name_nouns=keys(raw.quoted_name_nouns),
        list_heads={match_key(h.ar): h.category for h in raw.place_list_heads},
        list_openers=keys(raw.place_list_openers),
        dual_heads=frozenset(match_key(h.ar) for h in raw.place_list_heads if h.dual),
        asides=keys(raw.place_list_asides),
        areas=frozenset(match_key(h.ar) for h in raw.place_heads if h.area),
        place_only=frozenset(match_key(h.ar) for h in raw.place_heads if h.place_only),
        place_only_stops=keys(raw.place_only_stops),
        descriptors=keys(raw.place_descriptors),
    )


def _listed_place(scan: Scan, j: int) -> Found | None:
    owner = scan.owner[j] if 0 <= j < scan.n else None
    if owner is not None and owner.first == j and owner.kb is not None and owner.kind == "place":
        return owner
    return None


def _listed_country(scan: Scan, j: int) -> Found | None:
    owner = scan.owner[j] if 0 <= j < scan.n else None
    if (
        owner is not None
        and owner.first == j
        and owner.kb is not None
        and owner.kind == "country"
        and owner.method == "kb"
    ):
        return owner
    return None


def _title_word(scan: Scan, j: int) -> bool:
    kb = scan.kb
    return is_honorific(scan, j) or strip_article(scan.tokens[j]) in kb.role_heads


def _person_at(scan: Scan, j: int, titled: bool = False) -> Found | None:
    """A person read right after a place head, with no role of their own (or only the title
    inside the place name): the place is named after them ("مطار نور خان", "ساحة محمد الخامس")."""
    owner = scan.owner[j] if 0 <= j < scan.n else None
    if (
        owner is not None
        and owner.first == j
        and owner.kind == "person"
        and (titled or not owner.roles)
        and owner.method in ("given_name", "title", "kb")
        and owner in scan.found
    ):
        return owner
    return None


def _name_word(scan: Scan, j: int, lex: PlaceLexicon, definite: bool, adjective: bool = False) -> bool:
    """Whether token j can be (the first word of) a place name; ``adjective`` lets a place adjective
    be the name itself after a head that heads only places ("بمحافظة الشرقية")."""
    tok = scan.tokens[j]
    if not scan.free(j) or not scan.joined(j) or tok in lex.stops or scan.light[j] in scan.kb.stopwords:
        return False
    if tok.isdigit() or len(tok) < 2 or tok in scan.kb.demonyms or rank_at(scan, j):
        return False
    if definite:
        return tok.startswith("ال") and (adjective or tok not in lex.adjectives)
    # "ساحة لتصفية الحسابات": a preposition "لـ" opens a purpose, not a name
    return (
        not tok.startswith(("ال", "لل", "ل", "و", "ف"))
        and not is_honorific(scan, j)
        and not _placing_head(tok)
        and tok not in lex.descriptors  # "مطار دولي", "شارع تجاري": a description, not a name
        and tok not in lex.asides  # "قرية شمالي حلب": a direction
    )


PROCLITIC_LETTERS = ("و", "ف", "ل")
IMPERFECT_PREFIXES = ("ي", "ت")  # "شارع ويبدو", "مدينة وتعمل": و and a verb, not a name


def _placing_head(token: str) -> bool:
    """A head with a proclitic ("بمحافظة", "بحي") places the name before it; it does not continue it."""
    hit = _head_of(token)
    return hit is not None and hit[0] > 0


def _letter_initial_name(scan: Scan, i: int, j: int, lex: PlaceLexicon) -> bool:
    """Whether the indefinite word j after the place head i is a name that begins with و, ف or ل
    ("ولاية لوغار جنوب كابول", "بمدينة ليون الفرنسية", "بولاية فلوريدا،"), not a proclitic and a
    common noun or a verb ("ساحة لتصفية الحسابات", "مطار وميناء عدن", "شارع ويبدو أن"): the word is
    no definite or "لل" form, no head and no function word, and what follows it ends the name
    (punctuation, a function word, a direction or "بـ" + a place; after ف or ل also a nisba)."""
    tok = scan.tokens[j]
    if (
        not tok.startswith(PROCLITIC_LETTERS)
        or tok.startswith("لل")
        or tok[1:].startswith("ال")
        or len(tok) < 4
    ):
        return False
    if scan.doc.text[scan.doc.offsets[scan.ends[i] - 1]] == "ه":
        return False  # "بلده وأهله": a noun with a pronoun, not the head "بلدة"
    kb = scan.kb
    conjunction = tok.startswith("و")
    if (
        not scan.free(j)
        or not scan.joined(j)
        or tok in lex.stops
        or tok in kb.stopwords
        or tok[1:] in kb.stopwords
        or scan.light[j] in kb.stopwords
        or tok in kb.demonyms
        or _head_of(tok) is not None
        or strip_article(tok[1:]) in kb.org_heads
        or rank_at(scan, j)
        or (conjunction and tok.startswith(IMPERFECT_PREFIXES, 1))
        or not _area_word(scan, j, lex)
    ):
        return False
    k = j + 1
    if k >= scan.n or not scan.joined(k):
        return True
    nxt = scan.tokens[k]
    return (
        nxt in kb.stopwords
        or scan.light[k] in kb.stopwords
        or _located(scan, k, lex)
        or (not conjunction and nxt.startswith("ال") and _nisba_shaped(nxt))
    )


def _starter_name(scan: Scan, j: int, lex: PlaceLexicon) -> bool:
    """Whether a definite name starter ("الشيخ") and the indefinite word j after it name an area
    ("بمنطقة الشيخ زويد", "منطقة الشيخ عثمان"): a two-word settlement name needs no direction or
    enclosing place after it to be told from a common noun."""
    return (
        j < scan.n
        and scan.tokens[j - 1] in lex.name_starters
        and scan.tokens[j - 1].startswith("ال")
        and (_name_word(scan, j, lex, definite=False) or _person_at(scan, j, titled=True) is not None)
    )


def _area_word(scan: Scan, j: int, lex: PlaceLexicon) -> bool:
    """Whether the indefinite word j can name an area ("ناحية كنعان", "ولاية بنزرت"): the area
    nouns are feminine, so a word in ة after them is their adjective or a noun ("منطقة عازلة",
    "منطقة آمنة", "ولاية ثانية"), not a name."""
    return scan.doc.text[scan.doc.offsets[scan.ends[j] - 1]] != "ة"


def _place_only_name(scan: Scan, stem: str, j: int, lex: PlaceLexicon) -> bool:
    """Whether the definite word before token j names an area after a head that heads nothing but
    places ("بمحافظة الجفرة", "لمحافظة الوسطى"): no direction or enclosing place is needed, only no
    "على" after it ("محافظة الدولة على أمنها" is the verbal noun "keeping")."""
    if stem not in lex.place_only:
        return False
    return j >= scan.n or not scan.joined(j) or scan.tokens[j] not in lex.place_only_stops


def _counted(scan: Scan, i: int) -> bool:
    """Whether a number stands right before token i ("شملت 13 ولاية")."""
    return i > 0 and scan.joined(i) and scan.tokens[i - 1].isdigit()


def _located(scan: Scan, j: int, lex: PlaceLexicon) -> bool:
    """Whether token j places the area before it: a direction ("شمال", "(جنوب)") or "بـ" + a
    listed place or another area noun ("بمديرية كريتر", "بمحافظة الأنبار", "ببغداد")."""
    if j >= scan.n or (not scan.joined(j) and scan.gap(j) != "("):
        return False
    token = scan.tokens[j]
    if token in lex.asides and token not in lex.enclosing_nouns:
        return True
    if not token.startswith("ب"):
        return False
    listed = _listed_place(scan, j)
    if listed is not None and listed.start == scan.starts[j] + 1:
        return True
    return token[1:] in lex.areas or token[1:] in lex.heads or token[1:] in lex.enclosing_nouns


def _nisba_shaped(word: str) -> bool:
    """A definite relational adjective ("الفلبينية", "الساحلي") describes the place; it does not
    continue its name."""
    return word.endswith(("يه", "يين", "يون")) or (word.endswith("ي") and len(word) >= 6)


def _enclosing(scan: Scan, j: int, lex: PlaceLexicon) -> KbEntry | None:
    """A listed city named right after a place ("وسط العاصمة بغداد", "في مدينة حمص", "بريف حلب")."""
    listed = _listed_place(scan, j)
    if listed is not None and scan.joined(j) and scan.tokens[j].startswith("ب"):
        return listed.kb
    if j >= scan.n or not any(s in lex.cues or s in lex.enclosing_nouns for _, s in scan.variants(j)):
        return None
    k = j + 1
    while k < scan.n and k - j <= MAX_CUE_TOKENS and scan.joined(k):
        listed = _listed_place(scan, k)
        if listed is not None:
            return listed.kb
        tok = scan.tokens[k]
        if tok not in lex.enclosing_nouns and tok not in scan.kb.demonyms:
            return None
        k += 1
    return None


@lru_cache(maxsize=65536)
def _head_of(token: str) -> tuple[int, str] | None:
    """(proclitic length, head) when a token is a place head ("بساحة", "ومعبر"); cached per word."""
    heads = place_lexicon().heads
    return next(((off, s) for off, s in clitic_variants(token) if s in heads), None)


def landmark_pass(scan: Scan, before_titles: bool = False) -> None:
    """Claim unlisted places named after a place head; record their enclosing city. Heads marked
    ``before_titles`` (regions: "رئيس إقليم تيغراي") run first, so a role phrase can contain them."""
    lex = place_lexicon()
    kb = scan.kb
    tokens = scan.tokens
    positions: Iterable[int]
    if before_titles:
        positions = sorted(
            {
                i
                for head in lex.early
                if head in scan.doc.norm
                for i, token in enumerate(tokens)
                if head in token
            }
        )
    else:
        positions = [i for i, hot in enumerate(scan.hot) if hot & 16]  # a place head may start here
    for i in positions:
        token = tokens[i]
        hit = _head_of(token)
        if hit is None or not scan.free(i) or i + 1 >= scan.n or not scan.joined(i + 1):
            continue
        offset, stem = hit
        if before_titles and stem not in lex.early:
            continue
        category, within_city = lex.heads[stem]
        whole_name = stem in lex.whole_names
        area = stem in lex.areas
        if area and (_counted(scan, i) or _head_of(scan.tokens[i + 1]) is not None):
            continue  # "13 ولاية": a count of areas; "منطقة قصر الحكم": the next head names it
        j, parent = i + 1, None
        listed = _listed_place(scan, j)
        if listed is None and whole_name:
            listed = _listed_country(scan, j)
        person = _person_at(scan, j)
        if listed is not None:
            if within_city:
                continue  # "مدينة حلب" is the listed city itself
            j = listed.last + 1
            if whole_name:  # "خليج عدن" names a gulf, not Aden
                scan.found.remove(listed)
            else:
                parent = listed.kb
        elif person is not None:
            # "مطار نور خان", "ميدان رابعة العدوية": a place named after a person
            scan.found.remove(person)
            j = person.last + 1
        elif _name_word(scan, j, lex, definite=True, adjective=stem in lex.place_only):
            j += 1
            if (
                area
                and not _located(scan, j, lex)
                and not _starter_name(scan, j, lex)
                and not _place_only_name(scan, stem, j, lex)
            ):
                continue  # "منطقة الحدود مع العراق": a common noun, not a name
            titled = _person_at(scan, j, titled=True) if _title_word(scan, j - 1) else None
            if titled is not None:  # "مطار الملك خالد الدولي": named after a king or a sheikh
                scan.found.remove(titled)
                j = titled.last + 1
                while j - 1 > i + 2 and scan.tokens[j - 1] in lex.asides:
                    j -= 1  # "منطقة الشيخ رضوان شمال غزة": the direction is no surname
            elif (
                j < scan.n
                and (scan.light[j - 1][2:] in kb.given or scan.tokens[j - 1] in lex.name_starters)
                and _name_word(scan, j, lex, definite=False)
            ):
                # "شارع الحبيب بورقيبة": a definite given name and a family name; "مدينة الشيخ
                # زويد": a definite first word of a two-word settlement name
                j += 1
        elif _name_word(scan, j, lex, definite=False):
            if area and not _area_word(scan, j, lex):
                continue
            j += 1
            given = given_length(scan, j - 1) > 0 and not area  # "بمحافظة بدر بإجمالي": no person's name
            if j < scan.n and (
                (
                    _name_word(scan, j, lex, definite=True)
                    and (
                        given or scan.tokens[j - 1] in lex.name_starters or not _nisba_shaped(scan.tokens[j])
                    )
                )
                or (
                    (scan.tokens[j - 1] in lex.name_starters or given)
                    and _name_word(scan, j, lex, definite=False)
                )
            ):
                j += 1
        elif _letter_initial_name(scan, i, j, lex):
            j += 1  # "ولاية لوغار", "بمدينة ليل الفرنسية": a name that begins with و, ف or ل
        else:
            continue
        while j < scan.n and scan.joined(j) and scan.free(j) and scan.tokens[j] in lex.adjectives:
            j += 1
        parent = parent or _enclosing(scan, j, lex)
        start, end = scan.starts[i] + offset, scan.ends[j - 1]
        text = " ".join([strip_article(stem), *scan.tokens[i + 1 : j]])
        if area:  # "منطقة الزعفرانية": the area noun describes the place; its name is the rest
            i, start, text = i + 1, scan.starts[i + 1], " ".join(scan.tokens[i + 1 : j])
        listed_ids = kb.alias_index.get(text)
        if listed_ids:
            entry = kb.entries[listed_ids[0]]
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
            continue
        country = None if parent is None else (parent.id if parent.kind == "country" else parent.country)
        scan.claim(
            Found(
                first=i,
                last=j - 1,
                start=start,
                end=end,
                key="new:" + text,
                kind="place",
                method="pattern",
                confidence=0.7,
                country=country,
                category=category,
                parent=parent,
            )
        )


def drop_places_in_quoted_names(scan: Scan) -> None:
    """A listed place inside the quoted name of a ship or an operation ("السفينة "مارلين لواندا"",
    "عملية "درع الفرات"") is part of that name, not a mention of the place, for the rules and
    the name tagger alike."""
    nouns = place_lexicon().name_nouns
    if '"' not in scan.doc.norm:
        return
    for f in list(scan.found):
        if f.method != "kb" or f.kind not in ("place", "country"):
            continue
        k = f.first
        while k > 0 and f.first - k < 3 and not scan.gap(k).startswith('"') and scan.joined(k):
            k -= 1
        if k == 0 or not scan.gap(k).startswith('"'):
            continue
        if not any(strip_article(s) in nouns for _, s in scan.variants(k - 1)):
            continue
        end = f.last + 1
        while end < scan.n and end - f.last <= 3 and scan.joined(end):
            end += 1
        if end < scan.n and not scan.gap(end).startswith('"'):
            continue
        scan.found.remove(f)
        for t in range(f.first, f.last + 1):
            if scan.owner[t] is f:
                scan.owner[t] = None
            scan.skip[t] = True  # nor a place the name tagger reads there later


def place_list_pass(scan: Scan) -> None:
    """Unlisted places coordinated after a plural place noun ("أقاليم السند وبلوشستان وخيبر
    بختونخوا", "ميادين الإسكندرية والمنصورة وبورسعيد"): a list of two or more names of one or two
    words each, joined by و, is a list of places of that kind."""
    heads = place_lexicon().list_heads
    if not any(h in scan.doc.norm for h in heads):
        return
    for i in range(scan.n - 2):
        stem = next((s for _, s in scan.variants(i) if s in heads), None)
        if stem is None or not (scan.joined(i + 1) or scan.gap(i + 1) in _BRACKETS) or not scan.free(i):
            continue
        category = heads[stem]
        if scan.gap(i + 1) in _BRACKETS:
            _claim_items(scan, _bracketed_items(scan, i + 1), category)
            continue
        items = _list_items(scan, i + 1)
        if stem in place_lexicon().dual_heads:
            items = items[:2]  # "مدينتي أ وب": a dual names exactly two places
        elif len(items) < 2:  # "مدناً عراقية عدة، بينها كركوك والناصرية"
            openers = place_lexicon().list_openers
            opener = next(
                (k for k in range(i + 1, min(scan.n - 1, i + 5)) if scan.tokens[k] in openers), None
            )
            items = _list_items(scan, opener + 1) if opener is not None else items
        listed = sum(scan.owner[first] is not None for first, _, _ in items)
        sure = stem in place_lexicon().dual_heads or any(
            _after_aside(scan, last + 1, place_lexicon()) > last + 1 for _, last, _ in items
        )  # a dual, or directions in parentheses: a list even of two unlisted names
        if len(items) < 2 or (not listed and len(items) < 3 and not sure):
            continue  # two unlisted words joined by و may be prose; three names, or one listed, are a list
        _claim_items(scan, items, category)


def _claim_items(scan: Scan, items: list[tuple[int, int, int]], category: str) -> None:
    """Claim each unclaimed item of a place list as an unlisted place of that category."""
    for first, last, offset in items:
        if scan.owner[first] is not None:
            continue
        text = " ".join([scan.tokens[first][offset:], *scan.tokens[first + 1 : last + 1]])
        scan.claim(
            Found(
                first=first,
                last=last,
                start=scan.starts[first] + offset,
                end=scan.ends[last],
                key="new:" + text,
                kind="place",
                method="pattern",
                confidence=0.7,
                category=category,
            )
        )


_BRACKETS = {"(": ")", '"': '"'}
"""A list of names inside brackets or quotes right after a plural place noun ("بمحافظات (المنوفية،
كفرالشيخ، دمياط)", "قرى "المدراء، المروة، الحيفة""): the brackets close the list."""
MAX_ITEM_WORDS = 2
_ITEM_SEPARATORS = frozenset({"،", ",", "-", "–"})


def _bracket_word(scan: Scan, k: int, offset: int, lex: PlaceLexicon) -> bool:
    """Whether token k can be (part of) a name in a bracketed list: a place-list word, or a word in
    "ية" ("المنوفية"; the brackets tell a name from an adjective here), but no direction ("الشمال")
    and no nisba of a listed country."""
    word = scan.tokens[k][offset:]
    if strip_article(word) in lex.asides or word in lex.asides or word in scan.kb.demonyms:
        return False
    if _item_word(scan, k, offset, lex, feminine=True):
        return True
    return scan.free(k) and word.isalpha() and len(word) >= 4 and word.endswith("يه")


def _bracketed_items(scan: Scan, k: int) -> list[tuple[int, int, int]]:
    """(first, last, proclitic length) of the names of a bracketed list that opens at token k:
    two or more names of one or two words, separated by commas (and و), the bracket closing right
    after the last; any other word in the brackets makes it no list (an empty result)."""
    lex = place_lexicon()
    close = _BRACKETS[scan.gap(k)]
    items: list[tuple[int, int, int]] = []
    first = k
    while first < scan.n:
        offset = 1 if items and scan.tokens[first].startswith("و") and len(scan.tokens[first]) > 4 else 0
        owner = scan.owner[first]
        if owner is not None:
            if owner.first != first or owner.kind not in ("place", "country"):
                return []
            last = owner.last
        else:
            if not _bracket_word(scan, first, offset, lex):
                return []
            last = first
            while last + 1 < scan.n and scan.joined(last + 1) and last + 1 - first < MAX_ITEM_WORDS:
                if scan.tokens[last + 1].startswith("و"):
                    break  # the next name, joined by و
                if not _bracket_word(scan, last + 1, 0, lex):
                    return []
                last += 1
        items.append((first, last, offset))
        gap = scan.gap(last + 1) if last + 1 < scan.n else close
        if gap.startswith(close) or last + 1 >= scan.n:
            return items if len(items) >= 2 else []
        if gap not in _ITEM_SEPARATORS and not (gap == "" and scan.tokens[last + 1].startswith("و")):
            return []
        first = last + 1
    return []


def _list_items(scan: Scan, k: int) -> list[tuple[int, int, int]]:
    """(first, last, proclitic length) of each coordinated name from token k on."""
    lex = place_lexicon()
    items: list[tuple[int, int, int]] = []
    while k < scan.n and (scan.joined(k) or (items and scan.gap(k) in _LIST_GAPS)):
        offset = 1 if items else 0
        tok = scan.tokens[k]
        if items and not tok.startswith("و"):
            break
        comma = scan.gap(k) in ("،", ",")
        owner = scan.owner[k]
        if comma and owner is None and _after_aside(scan, k + 1, lex) == k + 1:
            break  # "...، وتمثلت": after a comma only a listed place or a name with an aside
        if owner is not None:
            if (
                owner.first != k
                or owner.kind not in ("place", "country")
                or owner.start - scan.starts[k] != offset
            ):
                break
            items.append((k, owner.last, offset))
            k = _after_aside(scan, owner.last + 1, lex)
            continue
        if not _item_word(scan, k, offset, lex) and not (
            _after_aside(scan, k + 1, lex) > k + 1 and _item_word(scan, k, offset, lex, feminine=True)
        ):
            break  # an indefinite feminine word is a name only when a direction aside follows it
        last = k
        nxt = k + 1
        if (
            nxt < scan.n
            and scan.joined(nxt)
            and not scan.tokens[nxt].startswith(("و", "ال", "لل"))
            and _item_word(scan, nxt, 0, lex)
            and (nxt + 1 >= scan.n or not scan.joined(nxt + 1) or scan.tokens[nxt + 1].startswith("و"))
        ):
            last = nxt  # "خيبر بختونخوا"
        items.append((k, last, offset))
        k = _after_aside(scan, last + 1, lex)
    return items


_LIST_GAPS = frozenset({"،", ",", ")", ")،", "),"})
"""What may stand between two items of a place list besides spaces: a comma before "و", or the
closing parenthesis of an aside ("خريبكة (وسط)، وتاونات")."""


def _after_aside(scan: Scan, k: int, lex: PlaceLexicon) -> int:
    """The token after a parenthesised direction that follows a list item ("(شمال)", "(جنوب
    غرب)"), or k itself when there is none."""
    if k >= scan.n or scan.gap(k) != "(" or scan.tokens[k] not in lex.asides:
        return k
    end = k + 1
    while end < scan.n and scan.joined(end) and scan.tokens[end] in lex.asides and end - k < 3:
        end += 1
    return end if end < scan.n and scan.gap(end).startswith(")") else k


def _item_word(scan: Scan, k: int, offset: int, lex: PlaceLexicon, *, feminine: bool = False) -> bool:
    """Whether token k (after ``offset`` proclitic letters) can be a name in a place list; an
    indefinite word ending in ة ("عديدة") only with ``feminine``."""
    word = scan.tokens[k][offset:]
    kb = scan.kb
    indefinite_feminine = (
        not feminine
        and not word.startswith("ال")
        and scan.doc.text[scan.doc.offsets[scan.ends[k] - 1]] == "ة"
    )
    return (
        scan.free(k)
        and word.isalpha()
        and len(word) >= 3
        and word not in lex.stops
        and word not in lex.list_heads
        and word not in lex.heads
        and not indefinite_feminine
        and not word.endswith(("ها", "هم", "هما"))  # "عديدة", "بكاملها": descriptions, not names
        and word not in kb.stopwords
        and scan.light[k][offset:] not in kb.stopwords
        and word not in kb.demonyms
        and not word.startswith(("لل", "بال", "كال", "فال"))
        and strip_article(word) not in kb.org_heads
        and not _nisba_shaped(word)
    )
