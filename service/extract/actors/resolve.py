"""Person-name matching: are two entities the same actor?

Fuzzy string ratios cannot tell "النصّان"/"النعسان" (one man, two spellings) from
"الشرع"/"الشاعر" (two men). Names are compared token by token instead: the given names must be
the same name, the surnames must have the same *consonant skeleton* (confusable letters folded
into one class, interior long vowels and ع/hamza dropped), and the match must be corroborated by
something other than the name: a shared role word or the same country. The merge step calls
``same_actor`` on pairs that share a ``blocking_keys`` value; actor recognition uses the same
functions inside one article and to attach unlisted spellings to knowledge-base people.
"""

from __future__ import annotations

from functools import lru_cache

import msgspec

from service.extract.actors.knowledge import KbEntry, knowledge, light_key, strip_article
from service.extract.document import Entity, RoleMention
from service.text import match_key

CONFUSABLE = str.maketrans(
    {
        "ص": "س",
        "ث": "س",
        "ض": "د",
        "ط": "ت",
        "ظ": "ز",
        "ذ": "ز",
        "ق": "ك",
        "ة": "ه",
        "ى": "ي",
        "ء": "ا",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ئ": "ي",
        "ؤ": "و",
        "ع": "ا",
        "غ": "ج",
        "گ": "ك",
        "چ": "ج",
        "پ": "ب",
        "ڤ": "ف",
    }
)
WEAK = frozenset("اوي")
FILIATION = frozenset({"بن", "ابن", "بنت"})


class MatchResult(msgspec.Struct, frozen=True):
    """The verdict on one pair, with the rule that decided it and its evidence."""

    matched: bool
    score: float
    rule: str
    evidence: dict[str, str] = {}


@lru_cache(maxsize=1 << 14)
def skeleton(word: str) -> str:
    """The consonant skeleton of one name word: article dropped, confusables folded,
    interior alef/waw/ya/ain/hamza dropped, doubled letters collapsed."""
    folded = strip_article(match_key(word).replace(" ", "")).translate(CONFUSABLE)
    if len(folded) <= 2:
        return folded
    inner = "".join(ch for ch in folded[1:-1] if ch not in WEAK)
    out = folded[0] + inner + folded[-1]
    collapsed = [ch for i, ch in enumerate(out) if i == 0 or ch != out[i - 1]]
    return "".join(collapsed)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (small strings only)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def name_tokens(name: str) -> list[str]:
    """The words of a name in light form, honorifics and ranks removed from the front."""
    return list(_name_tokens(name))


@lru_cache(maxsize=8192)
def _name_tokens(name: str) -> tuple[str, ...]:
    kb = knowledge()
    words = light_key(name).split(" ")
    while len(words) > 1 and (words[0].replace("ى", "ي") in kb.honorifics or words[0] in kb.ranks):
        words = words[1:]
    return tuple(w for w in words if w)


def joined_name(words: list[str] | tuple[str, ...]) -> list[str]:
    """The words of a name with "عبد" joined to the divine name after it ("عبد المحسن" ->
    "عبدالمحسن"), so the two spellings of one compound compare word for word; also a family name
    made of the compound with the article ("العبد الله" -> "العبدالله")."""
    heads = knowledge().theophoric_heads
    out: list[str] = []
    i = 0
    while i < len(words):
        if i + 1 < len(words) and (
            words[i] in heads or (words[i][2:] in heads and words[i][:2] == words[i + 1][:2] == "ال")
        ):
            out.append(words[i] + words[i + 1])
            i += 2
        else:
            out.append(words[i])
            i += 1
    return out


def split_name(words: list[str]) -> tuple[list[str], list[str]]:
    """(given-name words, surname words) of a tokenised name.

    The given name is the longest given-name table entry at the start (one word when none
    matches); the surname is the last word with the connector before it ("أبو قصرة").
    """
    kb = knowledge()
    if len(words) < 2:
        return [], words
    size = 1
    for k in range(min(kb.given_first.get(words[0], 1), len(words) - 1), 1, -1):
        if " ".join(words[:k]) in kb.given:
            size = k
            break
    surname = words[-1:]
    if len(words) - size >= 2 and words[-2].replace("ى", "ي") in kb.connectors:
        surname = words[-2:]
    return words[:size], surname


@lru_cache(maxsize=8192)
def surname_keys(name: str) -> tuple[str, ...]:
    """Folded forms a later surname-only mention of this person may take ("الشيباني", "أبو قصرة")."""
    words = name_tokens(name)
    if len(words) < 2 or words[-1].replace("ى", "ي") in knowledge().connectors:
        return ()  # a name cut after "بن" has no surname to refer back by
    _, surname = split_name(words)
    keys = [match_key(" ".join(surname))]
    if len(surname) == 2:
        keys.append(match_key(surname[-1]))
    return tuple(keys)


def same_given(a: list[str], b: list[str]) -> bool:
    """Whether two given names are the same name (spelling variants via the given-name table)."""
    if a == b:
        return True
    kb = knowledge()
    ea, eb = kb.given.get(" ".join(a)), kb.given.get(" ".join(b))
    if ea is not None and eb is not None:
        return ea == eb
    return [skeleton(w) for w in a] == [skeleton(w) for w in b]


def _english_form(word: str) -> str | None:
    kb = knowledge()
    stem = strip_article(word.replace("ى", "ي"))
    return (
        kb.parts.get(word.replace("ى", "ي")) or kb.parts.get(stem) or kb.given.get(word) or kb.given.get(stem)
    )


def _known_distinct(a: str, b: str) -> bool:
    """Both words are listed names with different English forms (الحسن / الحسين)."""
    if a == b:
        return False
    ea, eb = _english_form(a), _english_form(b)
    return (
        ea is not None and eb is not None and ea.lower().removeprefix("al-") != eb.lower().removeprefix("al-")
    )


def role_words(entity: Entity) -> set[str]:
    """Content words of the roles an entity is given (generic words like رئيس/هيئة left out)."""
    return set(_role_words(tuple(r.role or r.text for r in entity.roles), entity.kb_id))


@lru_cache(maxsize=1 << 15)
def _role_words(role_texts: tuple[str, ...], kb_id: str | None) -> frozenset[str]:
    """``role_words`` of an entity with these role texts and KB id: a function of those values,
    computed once for each (the merge compares one group's representative with hundreds of others,
    each comparison reading both entities' role words several times)."""
    kb = knowledge()
    texts = list(role_texts)
    if kb_id and kb_id in kb.entries:
        texts.extend(kb.entries[kb_id].roles)
    words: set[str] = set()
    for text in texts:
        for word in match_key(text).split(" "):
            stem = strip_article(word)
            if (
                len(stem) < 3
                or word in kb.demonyms
                or stem in kb.generic_role_words
                or word in kb.generic_role_words
            ):
                continue
            words.add(stem)
    return frozenset(words)


def _names(entity: Entity) -> list[list[str]]:
    """The tokenised Arabic names of an entity (its name, aliases and KB names), each once."""
    return [list(words) for words in _names_of(entity.name_ar, tuple(entity.aliases), entity.kb_id)]


@lru_cache(maxsize=1 << 15)
def _names_of(name_ar: str, aliases: tuple[str, ...], kb_id: str | None) -> tuple[tuple[str, ...], ...]:
    """``_names`` of an entity with these names and KB id, computed once for each (as ``_role_words``)."""
    surfaces = [name_ar, *aliases]
    if kb_id and kb_id in knowledge().entries:
        kb_entry = knowledge().entries[kb_id]
        surfaces += [kb_entry.name_ar, *kb_entry.aliases]
    seen: set[str] = set()
    out: list[tuple[str, ...]] = []
    for surface in surfaces:
        words = joined_name(_name_tokens(surface))
        key = " ".join(words)
        if words and key not in seen and any("\u0600" <= ch <= "\u06ff" for ch in key):
            seen.add(key)
            out.append(tuple(words))
    return tuple(out)


@lru_cache(maxsize=1)
def rank_words() -> frozenset[str]:
    """The words of military and police ranks (``titles.json`` ranks: العقيد، الفريق ركن ...), without
    the article: one-word ranks and the qualifiers after them (ركن، طيار)."""
    ranks = knowledge().ranks
    return frozenset(
        strip_article(w) for rank in ranks if rank.split(" ")[0] in ranks for w in rank.split(" ")
    )


def office_words(entity: Entity) -> set[str]:
    """``role_words`` without courtesy titles (``courtesy_titles``: الدكتور، معالي، المهندس ...) and
    without military ranks: what two mentions of one person must not contradict. "الدكتور مساعد
    العيبان" in one outlet and "معالي الوزير مساعد بن محمد العيبان" in another are one man addressed
    two ways; an officer is named by his rank in one ("الفريق ركن حمد الرميثي") and by his office in
    another ("رئيس هيئة الأركان حمد بن محمد الرميثي"), or by a rank beside a coordinated office."""
    courtesy = knowledge().courtesy_titles
    ranks = rank_words()
    return {w for w in role_words(entity) if w not in courtesy and w not in ranks}


def titles_contradict(a: Entity, b: Entity) -> bool:
    """Both have office titles and they share no content word (a minister and a footballer)."""
    ra, rb = office_words(a), office_words(b)
    return bool(ra) and bool(rb) and ra.isdisjoint(rb)


def _roles_conflict(a: Entity, b: Entity) -> bool:
    return titles_contradict(a, b)


def _corroboration(a: Entity, b: Entity) -> str | None:
    shared = sorted(role_words(a) & role_words(b))
    if shared:
        return "role:" + shared[0]
    if a.country and a.country == b.country:
        return "country:" + a.country
    return None


def _compare_names(wa: list[str], wb: list[str]) -> tuple[str, dict[str, str]] | None:
    """How the surnames of two full names agree ("skeleton" / "skeleton_near"), or None."""
    ga, sa = split_name(wa)
    gb, sb = split_name(wb)
    if not ga or not gb or not same_given(ga, gb) or _fathers_differ(wa[len(ga) :], wb[len(gb) :]):
        return None
    if (
        len(wa) - len(ga) != len(wb) - len(gb)
        or len(sa) != len(sb)
        or (len(sa) == 2 and skeleton(sa[0]) != skeleton(sb[0]))
    ):
        joined_a, joined_b = "".join(wa[len(ga) :]), "".join(wb[len(gb) :])
        if skeleton(joined_a) != skeleton(joined_b):
            return None
        sa, sb = [joined_a], [joined_b]
    if _known_distinct(sa[-1], sb[-1]):
        return None
    ka, kb_ = skeleton(sa[-1]), skeleton(sb[-1])
    evidence = {
        "given": " ".join(ga),
        "surname_a": " ".join(sa),
        "surname_b": " ".join(sb),
        "skeleton_a": ka,
        "skeleton_b": kb_,
    }
    if ka == kb_:
        return "skeleton", evidence
    if min(len(ka), len(kb_)) >= 4 and edit_distance(ka, kb_) == 1:
        return "skeleton_near", evidence
    return None


def _fathers_differ(rest_a: list[str], rest_b: list[str]) -> bool:
    """Both names go on with a father's name before the last word, and the fathers differ:
    "نايف بن سلمان بن عبدالعزيز" is not "نايف بن سلطان بن عبدالعزيز" (brothers' sons share the
    grandfather, not the father)."""
    connectors = knowledge().connectors
    fa = [w for w in joined_name(rest_a)[:-1] if w.replace("ى", "ي") not in connectors]
    fb = [w for w in joined_name(rest_b)[:-1] if w.replace("ى", "ي") not in connectors]
    return bool(fa) and bool(fb) and skeleton(fa[0]) != skeleton(fb[0])


def chain_prefix(a: list[str], b: list[str]) -> bool:
    """One name is the first three words of the other's patronymic chain ("محمد بن نايف" /
    "محمد بن نايف بن عبدالعزيز"): a person and his father, then the grandfather added."""
    if FILIATION.isdisjoint(a) or FILIATION.isdisjoint(b):
        return False
    short, long_ = sorted((joined_name(a), joined_name(b)), key=len)
    return (
        len(short) == 3
        and len(long_) >= 5
        and short[1] in FILIATION
        and long_[1] in FILIATION
        and long_[3] in FILIATION
        and same_given(short[:1], long_[:1])
        and skeleton(short[2]) == skeleton(long_[2])
    )


def _listed_part(word: str) -> bool:
    kb = knowledge()
    folded = word.replace("ى", "ي")
    stem = strip_article(folded)
    return any(w in kb.parts or w in kb.given for w in (word, folded, stem))


TRANSLITERATED_MIN = 4
"""Shortest consonant skeleton of a word that may differ in spelling across outlets without other
evidence: shorter words ("أمين" / "أمان") are too often two names."""


def transliterated(wa: list[str], wb: list[str]) -> bool:
    """One unlisted (mostly foreign) name transliterated twice: the same number of words (connectors
    left out), every word with the same consonant skeleton, and every word that differs neither a
    listed Arabic name part nor written with the article ("بريت ماكغيرك" / "بريت مكجيرك",
    "أوهورو كينياتا" / "أوهورو كيناتا"). Arabic family names that differ by a long vowel
    ("السباعي" / "السبيعي", "العمري" / "العامري") are different families, so they stay apart."""
    connectors = knowledge().connectors
    a = [w for w in wa if w.replace("ى", "ي") not in connectors]
    b = [w for w in wb if w.replace("ى", "ي") not in connectors]
    if len(a) != len(b) or len(a) < 2 or a == b:
        return False
    for x, y in zip(a, b, strict=True):
        if x == y:
            continue
        key = skeleton(x)
        if (
            key != skeleton(y)
            or len(key) < TRANSLITERATED_MIN
            or x.startswith("ال")
            or y.startswith("ال")
            or _listed_part(x)
            or _listed_part(y)
        ):
            return False
    return True


def article_variant(wa: list[str], wb: list[str]) -> bool:
    """One name written with and without the article on a family name by two outlets ("باسم
    المنتشري" / "باسم منتشري", "عبدالرحيم الجيزاوي" / "عبدالرحيم جيزاوي"): the same words but
    for an article, on a word that is not a listed given name ("محمد الخالد" is of the Al-Khalid
    family, "محمد خالد" Khalid's son) nor a courtesy title ("محمد السيد"), and not the first word."""
    connectors = knowledge().connectors
    a = [w for w in wa if w.replace("ى", "ي") not in connectors]
    b = [w for w in wb if w.replace("ى", "ي") not in connectors]
    if len(a) != len(b) or len(a) < 2 or a == b or a[0] != b[0]:
        return False
    given = knowledge().given
    for x, y in zip(a[1:], b[1:], strict=True):
        if x == y:
            continue
        short, long_ = sorted((x, y), key=len)
        if (
            long_ != "ال" + short
            or len(short) < 3
            or short in given
            or _listed_given_part(short)
            or short in knowledge().courtesy_titles
        ):
            return False
    return True


def _listed_given_part(word: str) -> bool:
    """A word the given-name table lists (also with "ى" for a final "ي")."""
    given = knowledge().given
    return word in given or word.replace("ي", "ى") in given or word.replace("ى", "ي") in given


def unlisted_family(word: str) -> bool:
    """A family name that tells a person apart well enough for a short name to join a full name
    across articles without other evidence: definite, at least four letters after the article,
    and neither a listed name part (``parts.tsv``) nor one of the ``large_tribes`` (tribal nisbas
    such as "الغامدي", "الشهراني", borne by thousands) nor a listed given name with the article ("الخالد")."""
    kb = knowledge()
    folded = word.replace("ى", "ي")
    stem = strip_article(folded)
    return (
        folded.startswith("ال")
        and len(stem) >= 4
        and folded not in kb.parts
        and word not in kb.parts
        and folded not in kb.large_tribes
        and not _listed_given_part(stem)
    )


HOUSE = "ال"
""""آل" (a family house: "آل دريس") as name words are folded."""


def unlisted_house(words: list[str]) -> bool:
    """The name ends in "آل" + a house that is not one of the ``large_houses`` (ruling houses,
    آل الشيخ): "إدريس بن محمد آل دريس", not "خالد بن فيصل آل سعود"."""
    return (
        len(words) >= 3
        and words[-2] == HOUSE
        and words[-1] not in knowledge().large_houses
        and len(skeleton(words[-1])) >= 3
    )


def short_name_key(words: list[str]) -> str | None:
    """The key a first + last name and the full name it shortens share when the family name is
    ``unlisted_family`` or an ``unlisted_house`` ("^" + given and family skeletons), for
    blocking; None otherwise."""
    if len(words) < 2 or not (unlisted_family(words[-1]) or unlisted_house(words)):
        return None
    return f"^{skeleton(words[0])}|{skeleton(words[-1])}"


def transliteration_key(words: list[str]) -> str:
    """The key two ``transliterated`` spellings share (every word's skeleton), for blocking."""
    connectors = knowledge().connectors
    return "~" + " ".join(skeleton(w) for w in words if w.replace("ى", "ي") not in connectors)


def compare_names(a: str, b: str) -> str | None:
    """How two person names agree without corroboration: "skeleton" (same given name, same
    surname skeleton), "skeleton_near" (surname skeletons one edit apart), or None."""
    compared = _compare_names(name_tokens(a), name_tokens(b))
    return compared[0] if compared else None


FILIATION_FREE_MIN = 3
"""Fewest words a name keeps without "بن" for its two spellings to be one person uncorroborated:
"محمد سلمان" may be of the Salman family, "راشد عبدالمنعم الراشد" is "راشد بن عبدالمنعم الراشد"."""


def filiation_free_keys(names: list[list[str]]) -> set[str]:
    """The names written without "بن"/"ابن"/"بنت", when at least ``FILIATION_FREE_MIN`` words remain
    and one was dropped or could have been: outlets write a patronymic chain with and without them."""
    out = set()
    for words in names:
        kept = [w for w in words if w not in FILIATION]
        if len(kept) >= FILIATION_FREE_MIN:
            out.add(" ".join(kept))
    return out


def same_actor(a: Entity, b: Entity) -> MatchResult:
    """Decide whether two entities (from one or two articles) denote the same actor.

    Same knowledge-base id, or for people: the same given name, surnames with the same
    consonant skeleton, and corroboration (a shared role word or the same country). An equal
    full name of two or more words needs no corroboration unless the countries conflict.
    """
    if a.kind != b.kind:
        return MatchResult(False, 0.0, "kind_differs")
    if a.kb_id and b.kb_id:
        same = a.kb_id == b.kb_id
        return MatchResult(
            same,
            1.0 if same else 0.0,
            "kb_id" if same else "kb_id_differs",
            {"kb_id": a.kb_id if same else f"{a.kb_id}|{b.kb_id}"},
        )
    if a.country and b.country and a.country != b.country:
        return MatchResult(False, 0.0, "country_differs", {"country_a": a.country, "country_b": b.country})
    names_a, names_b = _names(a), _names(b)
    keys_a = {" ".join(w) for w in names_a}
    equal = sorted(
        k for k in keys_a.intersection(" ".join(w) for w in names_b) if a.kind != "person" or " " in k
    )
    if equal:
        return MatchResult(True, 0.95, "equal_alias", {"alias": equal[0]})
    if a.kind != "person":
        return MatchResult(False, 0.0, "no_alias_in_common")
    same_chain = sorted(filiation_free_keys(names_a) & filiation_free_keys(names_b))
    if same_chain:
        return MatchResult(True, 0.9, "equal_without_filiation", {"name": same_chain[0]})
    corroboration = _corroboration(a, b)
    if corroboration is None and not _roles_conflict(a, b):
        for wa in names_a:
            for wb in names_b:
                if transliterated(wa, wb):
                    return MatchResult(True, 0.8, "transliteration", {"a": " ".join(wa), "b": " ".join(wb)})
                if article_variant(wa, wb):
                    return MatchResult(True, 0.85, "article_variant", {"a": " ".join(wa), "b": " ".join(wb)})
    best: MatchResult | None = None
    for wa in names_a:
        for wb in names_b:
            compared = _compare_names(wa, wb)
            if compared is None:
                continue
            rule, evidence = compared
            if corroboration is None:
                best = best or MatchResult(False, 0.4, "uncorroborated", evidence)
                continue
            score = 0.85 if rule == "skeleton" else 0.75
            return MatchResult(True, score, rule, {**evidence, "corroboration": corroboration})
    return best or MatchResult(False, 0.0, "names_differ")


def entity_match_key(entity: Entity) -> str:
    """One blocking key per entity: the KB id, else (people) the surname skeleton, else the name key."""
    if entity.kb_id:
        return "kb:" + entity.kb_id
    if entity.kind == "person":
        words = joined_name(_name_tokens(entity.name_ar))
        return "p:" + skeleton(words[-1]) if words else "p:"
    return f"{entity.kind}:{match_key(entity.name_ar)}"


def blocking_keys(entity: Entity) -> set[str]:
    """Keys under which an entity is compared: entities sharing none need not be compared."""
    keys = {entity_match_key(entity)}
    for words in _names(entity):
        if entity.kind == "person":
            sk = skeleton(words[-1])
            keys.add("p:" + sk)
            keys.add("p3:" + sk[:3])
            if len(words) >= 3 and words[1] in FILIATION:
                keys.add(f"pc:{skeleton(words[0])}|{skeleton(words[2])}")  # ``chain_prefix``'s pairs
        else:
            keys.add(f"{entity.kind}:{' '.join(words)}")
    return keys


def kb_entity(entry: KbEntry) -> Entity:
    """A knowledge-base entry as a (span-less) entity, for comparison with found entities."""
    roles = [RoleMention(start=0, end=0, text=r, role=r) for r in entry.roles]
    return Entity(
        key="kb:" + entry.id,
        kind=entry.kind,
        name_ar=entry.name_ar,
        name_en=entry.name_en,
        kb_id=entry.id,
        country=entry.country,
        aliases=list(entry.aliases),
        roles=roles,
    )


@lru_cache(maxsize=1)
def _kb_people_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for kb_entry in knowledge().entries.values():
        if kb_entry.kind != "person":
            continue
        for key in blocking_keys(kb_entity(kb_entry)):
            if key.startswith("p:"):
                index.setdefault(key, []).append(kb_entry.id)
    return {k: tuple(sorted(set(v))) for k, v in index.items()}


def match_kb_person(entity: Entity) -> tuple[KbEntry, MatchResult] | None:
    """The knowledge-base person an unlisted spelling denotes, if the name rule matches one."""
    kb = knowledge()
    index = _kb_people_index()
    candidates = sorted({i for key in blocking_keys(entity) for i in index.get(key, ())})
    for kb_id in candidates:
        result = same_actor(entity, kb_entity(kb.entries[kb_id]))
        if result.matched:
            return kb.entries[kb_id], result
    return None
