"""Romanisation of Arabic personal names for people the knowledge base does not list.

Lookup first (``data/names/given.tsv`` and ``parts.tsv`` give the usual English forms of given
names, family names and particles), then a rule-based romanisation: consonants by a fixed
table, ا/و/ي read as vowels or glides from their neighbours, a short "a" after a word-initial
consonant cluster, and the article written "al-". Unvowelled Arabic does not determine the
vowels, so the result is a readable approximation ("غليون" -> "Ghalyun"), not a standard.
"""

from __future__ import annotations

from functools import cache

from service.extract import datafiles
from service.extract.actors.knowledge import knowledge, light_key, strip_article
from service.text import match_key

CONSONANTS = {
    "ب": "b",
    "ت": "t",
    "ث": "th",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "ع": "'",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "ء": "'",
    "پ": "p",
    "چ": "ch",
    "گ": "g",
    "ڤ": "v",
}
VOWEL_LETTERS = {"ا", "و", "ي", "ى", "ة"}


def _units(word: str) -> list[tuple[str, bool]]:
    """Letters as (latin, is_vowel), deciding whether و/ي are vowels or glides."""
    units: list[tuple[str, bool]] = []
    n = len(word)
    for i, ch in enumerate(word):
        prev_vowel = bool(units) and units[-1][1] and units[-1][0] != ""
        next_char = word[i + 1] if i + 1 < n else ""
        if ch == "ا" or ch in ("ى", "ة"):
            units.append(("a", True))
        elif ch == "و":
            if i == 0 or prev_vowel or next_char == "ا":
                units.append(("w", False))
            elif i == n - 2 and next_char == "ف":
                units.append(("o", True))
            else:
                units.append(("o" if i == n - 1 else "u", True))
        elif ch == "ي":
            if i == 0 or word[i - 1] == "ا" or next_char in ("ا", "و"):
                units.append(("y", False))
            elif i == n - 2 and next_char == "ف":
                units.append(("e", True))
            elif i == n - 2 and next_char == "ة" and i > 0:
                units.append(("iy", True))  # "هنية" -> "Haniya"
            elif i == n - 1 and word.endswith("سكي"):
                units.append(("y", True))
            else:
                units.append(("i", True))
        elif ch == "ف" and i == n - 1 and i > 1 and word[i - 1] in ("و", "ي"):
            units.append(("v", False))
        elif ch == "ت" and next_char == "ش":
            units.append(("ch", False))
        elif ch == "ش" and i > 0 and word[i - 1] == "ت":
            continue
        elif ch == "ع" and i == 0:
            units.append(("" if next_char == "ا" else "a", True))
        elif ch in CONSONANTS:
            units.append((CONSONANTS[ch], False))
        elif ch.isascii() and ch.isalnum():
            units.append((ch, ch in "aeiou"))
    return units


def romanize_word(word: str) -> str:
    """Rule-based romanisation of one folded Arabic word (no table lookup)."""
    if word.startswith("ال") and len(word) > 3:
        rest = romanize_word(word[2:])
        return "al-" + rest[:1].upper() + rest[1:]
    units = _units(word)
    out: list[str] = []
    for i, (latin, vowel) in enumerate(units):
        out.append(latin)
        following_consonant = i + 1 < len(units) and not units[i + 1][1]
        if i == 0 and not vowel and following_consonant:
            out.append("a")
    text = "".join(out).replace("''", "'").strip("'")
    return text[:1].upper() + text[1:]


def _lookup(table: dict[str, str], word: str) -> str | None:
    found = table.get(word)
    if found is None and word.startswith("ال"):
        rest = table.get(word[2:])
        if rest is not None:
            return "al-" + rest
    return found


@cache
def romanised() -> tuple[dict[str, str], dict[str, int]]:
    """``data/names/romanised.tsv`` by light key (conventional English forms of foreign and
    established names, read only here), and the longest entry starting with each word."""
    table: dict[str, str] = {}
    for arabic, english in datafiles.name_table("romanised"):
        table.setdefault(light_key(arabic), english)
    first: dict[str, int] = {}
    for key in table:
        words = key.split(" ")
        first[words[0]] = max(first.get(words[0], 0), len(words))
    return table, first


def _listed_span(words: list[str], i: int) -> tuple[str, int] | None:
    """The English form of the longest listed name at ``words[i]`` (given names first, then the
    conventional forms of ``romanised.tsv``), with the number of words it covers."""
    kb = knowledge()
    forms, first = romanised()
    for table, starts in ((kb.given, kb.given_first), (forms, first)):
        for k in range(min(starts.get(words[i], 0), len(words) - i), 0, -1):
            english = table.get(" ".join(words[i : i + k]))
            if english is not None:
                return english, k
    return None


def transliterate(name_ar: str) -> str:
    """An English rendering of an Arabic personal name ("رامي الشاعر" -> "Rami al-Shaer")."""
    kb = knowledge()
    pairs = [(key, raw) for raw in name_ar.split() if (key := light_key(raw))]
    words = [key for key, _ in pairs]
    out: list[str] = []
    i = 0
    while i < len(words):
        listed = _listed_span(words, i)
        if listed is not None:
            out.append(listed[0])
            i += listed[1]
        else:
            word = words[i].replace("ى", "ي")
            english = _lookup(kb.parts, word) or _lookup(kb.given, words[i])
            # romanised from the written letters, which keep a final ة ("باسلمة" -> "Baslma", not "Baslmh")
            written = _letters(pairs[i][1]).replace("ى", "ي")
            out.append(english if english is not None else romanize_word(written))
            i += 1
    name = " ".join(part for part in out if part)
    return name[:1].upper() + name[1:]


# Place heads that only classify the name after them ("بلدة المحفد" is al-Mahfad); the ones that
# are part of an English name keep their category as a word ("Mahfad Airport").
_CLASSIFIER_CATEGORIES = frozenset({"town", "village", "city", "neighbourhood", "province"})


def english_name(name_ar: str) -> str:
    """An English rendering of an unlisted organisation or place, so no Arabic is left: known
    words translated (organisation heads, their complements, common adjectives: "قوات الأمن" ->
    "Security Forces", "قوات المقاومة الشعبية" -> "Popular Resistance Forces"), else the head and
    the rest romanised ("ميليشيات الحوثي" -> "Houthi Militias", "مديرية المحفد" -> "Directorate of
    al-Mahfad"); a classifying place head is dropped ("بلدة المحفد" -> "al-Mahfad")."""
    from service.extract.actors.places import place_lexicon

    kb = knowledge()
    raw = name_ar.split()
    keys = [match_key(w) for w in raw]
    if not keys:
        return name_ar
    head_key = strip_article(keys[0])
    org = kb.org_heads.get(head_key)
    place = place_lexicon().heads.get(head_key) or place_lexicon().heads.get(keys[0])
    rest = [(w, k) for w, k in zip(raw[1:], keys[1:], strict=True) if k not in kb.demonyms]
    cut = next((i for i, (_, k) in enumerate(rest) if k in _AFFILIATION), len(rest))
    rest = rest[:cut]  # "وزارة الصحة التابعة للحكومة": the affiliation is not part of the name
    words = _english_words()
    glossed = [words.get(k) or kb.org_words.get(k) or _listed(k) for _, k in rest]
    if org is not None:
        if all(glossed):
            return " ".join([*reversed([g for g in glossed if g]), org.en])
        tail = " ".join(g or _romanized(w) for (w, _), g in zip(rest, glossed, strict=True))
        return f"{org.en} of {tail}" if rest else org.en
    if place is not None and rest:
        tail = " ".join(g or _romanized(w) for (w, _), g in zip(rest, glossed, strict=True))
        return tail if place[0] in _CLASSIFIER_CATEGORIES else f"{tail} {place[0].title()}"
    return " ".join(words.get(k) or _listed(k) or _romanized(w) for w, k in zip(raw, keys, strict=True))


_AFFILIATION = frozenset({"التابعه", "التابع", "التابعين", "في", "لدي"})


def _listed(key: str) -> str | None:
    """The English name of a listed actor named by this word ("عدن" -> "Aden")."""
    ids = knowledge().alias_index.get(key)
    return knowledge().entries[ids[0]].name_en if ids else None


@cache
def _english_words() -> dict[str, str]:
    return {match_key(k): v for k, v in datafiles.titles().english_words.items()}


def _romanized(word: str) -> str:
    """One word in English: a listed name or part, else romanised from its written form, which
    keeps ة and the hamza ("المقاومة" -> "al-Maqawma")."""
    kb = knowledge()
    key = light_key(word)
    found = _lookup(kb.given, key) or _lookup(kb.parts, key.replace("ى", "ي"))
    if found is not None:
        return found
    text = romanize_word(_letters(word))
    return text if text.startswith("al-") else text[:1].upper() + text[1:]


def _letters(word: str) -> str:
    """The word without diacritics and tatweel, with hamza carriers read as alef."""
    out = []
    for ch in word:
        if "\u064b" <= ch <= "\u0652" or ch == "\u0640":
            continue
        out.append("ا" if ch in "أإآ" else ("ي" if ch == "ئ" else ("و" if ch == "ؤ" else ch)))
    return "".join(out)
