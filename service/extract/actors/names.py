"""Titles and person names: ranks, honorifics, role phrases and the names they introduce.

A title ("وزير الدفاع الروسي", "اللواء", "الدكتور") is read with its complement, then the person
it introduces is found: a listed person, an apposition "Role، Name،", a name after a rank or
honorific, a name opening with a known given name, or (for a role that ends its phrase) the
person named just before it. People nobody titled are found from the given-name list, and
names after "برئاسة"/"بقيادة". Roles and ranks are recorded on the mention they belong to.
"""

from __future__ import annotations

from service.extract.actors.knowledge import strip_article
from service.extract.actors.scan import (
    MAX_COMPLEMENT,
    NAME_BREAKS,
    Found,
    Scan,
    Title,
    demonym_at,
    given_length,
    indefinite_construct,
    is_honorific,
    joined_theophoric,
    rank_at,
    role_head_at,
    span_of,
    title_starts,
)
from service.extract.actors.tagger import ordinary_words

MAX_NAME_WITH_PARTICLES = 6
MAX_CHAINED_NAME = 5
PRONOUN_SUFFIXES = ("هما", "هم", "ها", "ه")


def _claim_person(
    scan: Scan, first: int, last: int, method: str, confidence: float, clitic: int = 0
) -> Found | None:
    """Claim tokens ``first`` .. ``last`` (less a leading clitic of ``clitic`` characters) as a
    person whose name is not listed."""
    start, end = span_of(scan, first, last, clitic)
    return scan.claim(
        Found(
            first=first,
            last=last,
            start=start,
            end=end,
            key="",
            kind="person",
            method=method,
            confidence=confidence,
        )
    )


def _name_word(scan: Scan, i: int) -> bool:
    """Token i may be part of a person's name."""
    kb = scan.kb
    tok = scan.tokens[i]
    if (
        not scan.free(i)
        or scan.in_title[i]
        or len(tok) < 2
        or not tok.isalpha()
        or not ("\u0600" <= tok[0] <= "\u06ff")
    ):
        return False
    if scan.light[i] in kb.stopwords or tok in kb.stopwords:
        return False
    bare = strip_article(tok)
    if (
        tok in kb.ranks
        or tok in kb.honorifics
        or (bare in kb.role_heads and role_head_at(scan, i) is not None)  # not "مساعد بن محمد"
        or tok in kb.org_heads
        or bare in kb.org_heads
    ):
        return False
    if tok.startswith("و") and (strip_article(tok[1:]) in kb.role_first or tok[1:] in kb.stopwords):
        return False  # "ورئيس الوزراء", "وعن": the next title or clause, not a name word
    if inflected_noun(scan, i):
        return False
    # "خالد الدولي"; a relation adjective ends a person's name as it ends an organisation's
    # ("اللواء X الموالي للحوثيين", "X المقرب من الرئيس")
    return (
        tok not in kb.anaphora
        and tok not in kb.side_nouns
        and tok not in kb.name_stops
        and tok not in kb.relation_adjectives
    )


def listed_name_word(scan: Scan, i: int) -> bool:
    """Token i is a listed given name or name particle (also after a proclitic: "ومحمد")."""
    kb = scan.kb
    return scan.light[i] in kb.given or scan.light[i] in kb.parts or scan.tokens[i] in kb.parts


def ordinary_word(scan: Scan, i: int) -> bool:
    """Token i is a word of ordinary prose that no unlisted name is made of: the name tagger's
    training sentences use it outside every name and never inside one ("إعجاب", "مباشرة")."""
    return scan.tokens[i] in ordinary_words() and not listed_name_word(scan, i)


def _prefixed_word(scan: Scan, i: int) -> bool:
    """A preposition or conjunction attached to a definite or ordinary word ("بالرخاء", "لانتقادات",
    "بشكل", "فيما"): prose after a name, not a name word."""
    if listed_name_word(scan, i) or _given_nisba(scan, i):
        return False
    words = ordinary_words()
    tok = scan.tokens[i]
    return any(
        offset
        and ((stem.startswith("ال") and len(stem) > 3) or (len(stem) > 3 and stem in words))
        # ك never stands before an imperfect verb: "كيربي", "كيري" are names, not ك + "يربي"
        and not (tok[offset - 1] == "ك" and stem.startswith("ي"))
        for offset, stem in scan.variants(i)
    )


def _given_nisba(scan: Scan, i: int) -> bool:
    """A nisba of a listed given name ("بشيري", "حسني", "سعيدي"): a family name, not a preposition
    on a word ("ب" + "شيري")."""
    light = scan.light[i]
    return len(light) >= 5 and light.endswith("ي") and light[:-1] in scan.kb.given


def _conjoined_word(scan: Scan, i: int) -> bool:
    """The conjunction "و" on a word that is known without it: a definite or ordinary word, a
    listed given name or a title ("وعدد", "ومحمد", "ومعالي"); a foreign family name that starts
    with و ("وودز") is not conjoined."""
    tok = scan.tokens[i]
    if not tok.startswith("و") or len(tok) < 4:
        return False
    rest = tok[1:]
    kb = scan.kb
    return (
        rest.startswith("ال")
        or rest in ordinary_words()
        or rest in kb.given
        or rest in kb.parts
        or rest in title_starts()
    )


def verb_shaped(scan: Scan, i: int) -> bool:
    """Token i has the shape of a finite verb (``titles.json`` ``verb_templates``: "يحتضن",
    "يتولى", "تمكنت") and is no listed name."""
    return bool(scan.kb.verb_shape.fullmatch(scan.light[i])) and not listed_name_word(scan, i)


def not_a_first_name(scan: Scan, i: int) -> bool:
    """An unlisted word that cannot open a name: ordinary prose, a verb, or a word with a
    preposition attached ("بعدما", "يبدو", "إطلاق" after a title, "لكرة" after "الفريق الأول")."""
    return ordinary_word(scan, i) or verb_shaped(scan, i) or _prefixed_word(scan, i) or _lam_noun(scan, i)


LAM_NAME_STARTS = "اوي"
"""After "ل", the letters that foreign names begin with ("لويس", "لوران", "ليونيل", "لازلو"); an
Arabic noun after the preposition begins with a consonant or a written hamza ("لكرة", "لإطارات")."""


def _lam_noun(scan: Scan, i: int) -> bool:
    """The preposition "ل" on a noun of three letters or more ("لكرة القدم", "لجمعية", "لمؤسسة",
    "لفريق"): what a role or the team sense of "الفريق" names next is what it belongs to, not a
    person. Listed names ("لطفي", "لبنى", "لجين") are names."""
    tok = scan.tokens[i]
    if not tok.startswith("ل") or tok.startswith("لل") or len(tok) < 4 or listed_name_word(scan, i):
        return False
    start = scan.doc.offsets[scan.starts[i]]
    written = scan.doc.text[start + 1 : start + 2]
    return written in ("أ", "إ") or tok[1] not in LAM_NAME_STARTS


def ends_name(scan: Scan, j: int, titled: bool) -> bool:
    """Token j, after a name's first word, does not continue the name: a word with the
    conjunction "و" ("وعدد", "ومعالي"), a preposition with its noun ("لانتقادات"), a verb ("يعين"),
    a role ("ولي العهد"), or, without a title to vouch for the
    name, a word of ordinary prose ("حياتي", "مسألة"). Listed given names and particles continue."""
    tok = scan.tokens[j]
    if listed_name_word(scan, j):
        return False
    if _conjoined_word(scan, j) or (
        not titled and tok.startswith("و") and len(tok) > 3 and not _waw_name_before_role(scan, j)
    ):
        return True  # "قضاء عادل وناجز": without a title, an unlisted word with "و" is not a name's
    if _prefixed_word(scan, j) or verb_shaped(scan, j) or role_head_at(scan, j) is not None:
        return True
    if tok.startswith("و") and scan.kb.verb_shape.fullmatch(tok[1:]):
        return True  # "يدعى خالد ويلقب بأبي البراء": a verb with "و" after the name
    return not titled and not tok.startswith("ال") and ordinary_word(scan, j) and not _between_names(scan, j)


def _between_names(scan: Scan, j: int) -> bool:
    """A word spelt like prose that a listed, unambiguous given name or a role follows is a
    father's or family name: "خالد مساوى حمدي" (a chain of names), "معصومة ابتكار رئيسة الهيئة"
    (a name and the role after it)."""
    nxt = j + 1
    return (
        nxt < scan.n
        and scan.joined(nxt)
        and not scan.clitic[nxt]
        and (
            _chained_given(scan, nxt)
            # an indefinite role head: "رئيسة الهيئة", not "عيد ميلاد الملكة"
            or (_role_follows(scan, nxt) and not scan.tokens[nxt].startswith("ال"))
        )
    )


def inflected_noun(scan: Scan, i: int) -> bool:
    """A word a name cannot contain: an indefinite noun with a possessive pronoun ("والده",
    "تمنياته", "نواياها") or with the accusative ending ("أمراً"), unless it is a listed name
    ("عبده", "طه"). Folding makes ة and ه one letter, so the verbatim text decides."""
    tok = scan.tokens[i]
    light = scan.light[i]
    if (
        tok.startswith("ال")
        or light in scan.kb.given
        or light in scan.kb.parts
        or len(tok) < 3
        or (i > 0 and scan.tokens[i - 1] in scan.kb.theophoric_heads)  # "عبد ربه"
    ):
        return False
    text, offsets = scan.doc.text, scan.doc.offsets
    start, end = offsets[scan.starts[i]], offsets[scan.ends[i] - 1] + 1
    while end < len(text) and text[end] in _DIACRITICS:
        end += 1
    word = text[start:end]
    if "\u064b" in word[-2:]:
        return True  # the accusative ending: "قراراً"
    bare = word.rstrip(_DIACRITICS)
    return bare.endswith(PRONOUN_SUFFIXES) and not bare.endswith("ة")


_DIACRITICS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640"


def connector(scan: Scan, i: int) -> bool:
    return scan.tokens[i] in scan.kb.connectors


def _particle_word(scan: Scan, i: int) -> bool:
    """An honorific word right after a name particle is part of the name ("ولد الشيخ", "بن الشيخ")."""
    return (
        i > 0
        and scan.joined(i)
        and scan.tokens[i - 1] in scan.kb.connectors
        and is_honorific(scan, i)
        and scan.free(i)
    )


def _role_follows(scan: Scan, j: int) -> bool:
    """A role head follows the name at token j ("بدر محمد باسملة وزير النقل"): the word before it
    is the last of the name, whatever its ending."""
    return j < scan.n and scan.joined(j) and role_head_at(scan, j) is not None


def _chained_given(scan: Scan, j: int) -> bool:
    """A listed, unambiguous given name continues a name as the father's or grandfather's name
    ("موسى فقي محمد", "علي محمد ثنيان الغانم")."""
    length = given_length(scan, j)
    # a compound given name ("عوض الله", "غرم الله") is a name whatever its first word means alone
    return length > 1 or (length > 0 and scan.light[j] not in scan.kb.ambiguous_given)


def _definite_given(scan: Scan, j: int) -> bool:
    """A listed given name with the article is a father's, grandfather's or family name in Gulf
    naming ("صباح الأحمد الجابر الصباح", "علي محمد ثنيان الغانم"); weekdays and other
    stopwords ("الخميس") are not."""
    tok = scan.tokens[j]
    if (
        not tok.startswith("ال")
        or tok.startswith("الل")
        or len(tok) < 5
        or scan.light[j] in scan.kb.stopwords
    ):
        return False
    bare = scan.light[j][2:]
    return bare in scan.kb.given and bare not in scan.kb.stopwords and " " not in bare


def _titled_given(scan: Scan, i: int) -> bool:
    """After a rank or honorific, a listed given name that is also a common word ("صباح") opens
    a name when a name word follows ("الشيخ صباح الأحمد")."""
    if (
        not given_length(scan, i)
        or not scan.free(i)
        or scan.in_title[i]
        or scan.light[i] not in scan.kb.ambiguous_given
    ):
        return False
    nxt = i + 1
    return (
        nxt < scan.n
        and scan.joined(nxt)
        and scan.free(nxt)
        and (_definite_given(scan, nxt) or _chained_given(scan, nxt))
    )


def _given_role_word(scan: Scan, i: int) -> bool:
    """After a rank or honorific, a listed given name that is also a role head opens a name when
    a family name follows ("الدكتور مساعد العيبان", not "الدكتور مساعد الوزير")."""
    nxt = i + 1
    return (
        given_length(scan, i) == 1
        and scan.free(i)
        and not scan.in_title[i]
        and role_head_at(scan, i) is not None
        and nxt < scan.n
        and scan.joined(nxt)
        and scan.free(nxt)
        and scan.tokens[nxt].startswith("ال")
        and role_head_at(scan, nxt) is None
        and strip_article(scan.tokens[nxt]) not in scan.kb.org_heads
        and not _prefixed_word(scan, nxt)
    )


def _nisba_surname(scan: Scan, j: int) -> bool:
    """A definite nisba of a family name's length ("الغامدي", "القحطاني"), not a demonym."""
    tok = scan.tokens[j]
    return tok.endswith("ي") and len(tok) >= 6 and tok not in scan.kb.demonyms


def _masdar_shaped(token: str) -> bool:
    """A definite verbal noun of the derived forms (التوسط، الاستقرار، الانسحاب): family names of
    that shape are nisbas and end in ي."""
    return token.startswith(("الت", "الاست", "الان")) and not token.endswith("ي") and len(token) >= 6


def _parse_name(scan: Scan, i: int, mode: str) -> int:
    """Length in tokens of a person name starting at token i (0 when there is none).

    mode "given": token i is a known given name; "rank": after a rank (any name words);
    "role": after a role (needs a given name or a known name part); "apposition": between
    commas after a role.
    """
    kb = scan.kb
    if not _name_word(scan, i) and not (
        mode == "rank" and (_titled_given(scan, i) or _given_role_word(scan, i))
    ):
        return 0
    given = given_length(scan, i)
    if scan.tokens[i].startswith("ال") and not given:
        return 0
    if mode == "role" and not given and scan.tokens[i] not in kb.parts:
        return 0
    if mode == "given" and not given:
        return 0
    if not given and scan.tokens[i] not in kb.parts and not_a_first_name(scan, i):
        return 0
    titled = mode != "given"
    j = i + max(given, 1)
    prev_open = given > 0
    closed = False
    limit = 4
    while (
        j < scan.n
        and j - i < limit
        and scan.joined(j)
        and not scan.clitic[j]
        and (_name_word(scan, j) or _particle_word(scan, j))
    ):
        if j > i and _masdar_shaped(scan.tokens[j]):
            break  # "موسى فقي محمد التوسط": a verbal noun ends the name
        after_particle = scan.joined(j) and connector(scan, j - 1)  # "بن قرينة"
        if not after_particle and ends_name(scan, j, titled):
            break
        if mode == "rank" and j - i >= 2 and not after_particle and _prose_after_ranked_name(scan, j):
            break  # "السيناتور بوب كوركر هجوما عنيفا": an object of the verb after the name
        if (
            closed
            and not scan.tokens[j].startswith("ال")
            and not connector(scan, j)
            and not _chained_given(scan, j)
        ):
            if _family_after_patronym(scan, i, j):
                j += 1  # "زينب بنت محمد لباد في": an unlisted family name after the father's name
            break  # "الأمير خالد الفيصل لسوق", "بندر بن سلطان بشكل": a family name closes the name
        if (
            closed
            and scan.tokens[j - 1].startswith("ال")
            and scan.tokens[j].startswith("ال")
            and ordinary_word(scan, j)
            and not _nisba_surname(scan, j)
        ):
            break  # "يدعى غياث المهاجر الهجوم": a definite word of prose after a definite family name
        if (
            j - i >= 4
            and limit < MAX_NAME_WITH_PARTICLES
            and not scan.tokens[j].startswith("ال")
            and not _chained_given(scan, j)
        ):
            break  # a fifth name word is a family name ("الزعابي") or a listed name, not "اجتماعاً"
        if (
            j - i >= 2
            and _ends_in_ta_marbuta(scan, j)
            and not scan.tokens[j].startswith("ال")
            and not given_length(scan, j)
            and scan.light[j] not in scan.kb.parts  # "نعمت زادة": a listed family part
            and not connector(scan, j - 1)
            and not _role_follows(scan, j + 1)
        ):
            break  # "صباح الأحمد الجابر الصباح جلسة": a feminine noun after the name (not "بن قرينة")
        chained = _chained_given(scan, j) or _definite_given(scan, j)
        if chained:
            limit = max(limit, MAX_CHAINED_NAME)  # "حمد عبيد إبراهيم سالم الزعابي"
        # "محمد رضا نعمت زادة", "أحمد داود أوغلو": a listed family part without the article
        # and "سامي معوض الحربي": a listed family nisba with the article
        listed_part = scan.light[j] in kb.parts and (
            not scan.tokens[j].startswith("ال") or _nisba_surname(scan, j)
        )
        if (
            prev_open
            or mode in ("rank", "apposition")
            or connector(scan, j)
            or chained
            or listed_part
            or _tribe_after_family(scan, i, j)
            or _last_before_role(scan, i, j)
        ):
            compound = given_length(scan, j)
            if compound > 1 and j + compound - i <= limit:
                j += compound
                prev_open = True
                continue
            is_conn = connector(scan, j)
            if is_conn and not (
                j + 1 < scan.n
                and scan.joined(j + 1)
                and (_name_word(scan, j + 1) or _particle_word(scan, j + 1))
            ):
                break
            if is_conn:
                limit = MAX_NAME_WITH_PARTICLES  # "محمد ولد الشيخ محمد أحمد الغزواني"
            closed = not is_conn and (scan.tokens[j].startswith("ال") or (j > i and connector(scan, j - 1)))
            prev_open = is_conn or given_length(scan, j) > 0
            j += 1
            continue
        break
    if j - i >= limit:
        j = _past_trailing_connector(scan, i, j)
    length = j - i
    if mode == "given" and length <= given:
        return 0
    if (
        mode == "given"
        and given == 1
        and length == 2
        and scan.tokens[i + 1].startswith("ال")
        and ordinary_word(scan, i + 1)
        and not _nisba_surname(scan, i + 1)
    ):
        return 0  # "علي البر", "علي العفو": a preposition spelt like the name, or a phrase
    if mode == "given" and given == 1 and scan.light[i] in kb.ambiguous_given:
        nxt = scan.tokens[i + 1]
        # "حسن الجوار" is a phrase, "كمال اللبواني" a name: a family nisba ends in ي
        nisba_surname = nxt.endswith("ي") and len(nxt) >= 6 and nxt not in kb.demonyms
        if nxt.startswith("ال") and nxt not in kb.parts and length < 3 and not nisba_surname:
            return 0
        # "باسم حركة ..." / "باسم وزارة ...": an organisation or role noun follows the word reading
        if any(
            strip_article(s) in kb.org_heads or strip_article(s) in kb.role_nouns
            for _, s in scan.variants(i + 1)
        ):
            return 0
    if mode == "apposition":
        if scan.tokens[i][0] in ("و", "ف") and not given:
            return 0
        if any(scan.tokens[k].startswith(("بال", "لل", "كال")) for k in range(i, j)):
            return 0  # "، تتعلق بالعلاقات الثنائية،": a clause, not a name
        closing = scan.gap(j).strip() if j < scan.n else "."
        if not closing or closing[0] not in NAME_BREAKS:
            return 0
        if length < 2 and scan.tokens[i] not in kb.parts:
            return 0
    if mode == "role" and length < 2:
        return 0
    if mode == "rank" and length == 1 and not given and scan.tokens[i] not in kb.parts:
        after = i + 1
        closed = after >= scan.n or scan.gap(after) != "" or scan.light[after] in kb.stopwords
        if not closed or scan.tokens[i][-1] in ("ا", "ه"):
            return 0
    return length


def _family_after_patronym(scan: Scan, i: int, j: int) -> bool:
    """Token j, right after a given name + "بن"/"بنت" + the father's given name, is the family name
    when it is a name word no prose reading claims (not a listed given name, which would be a
    grandfather; not ordinary prose, a verb, a word with a preposition or a feminine noun) and
    the name plainly ends after it (punctuation, a stopword or the end): "زينب بنت محمد لباد في",
    not "بندر بن سلطان بشكل" or "محمد بن سلمان ولي العهد"."""
    if j - i != 3 or scan.tokens[j - 2] not in scan.kb.connectors or not given_length(scan, j - 1):
        return False
    if not _name_word(scan, j) or listed_name_word(scan, j) or len(scan.tokens[j]) < 3:
        return False
    if (
        ordinary_word(scan, j)
        or verb_shaped(scan, j)
        or _prefixed_word(scan, j)  # not _lam_noun: "لباد" is a family name, not "ل" + a noun here
        or inflected_noun(scan, j)
        or _ends_in_ta_marbuta(scan, j)
        or ends_name(scan, j, titled=False)
        or not _open_word(scan, j)  # a direction or a word no titled name takes ("شرق")
    ):
        return False
    doc = scan.doc
    if "\n" in doc.text[doc.offsets[scan.ends[j - 1] - 1] : doc.offsets[scan.starts[j]]]:
        return False  # a credit line's next line ("ألحان: سعود بن عبدالمجيد" / "غناء: ...")
    after = j + 1
    return after >= scan.n or scan.gap(after).strip() != "" or scan.light[after] in scan.kb.stopwords


def _prose_after_ranked_name(scan: Scan, j: int) -> bool:
    """After a rank and two name words, an indefinite word of ordinary prose is not the name's
    third word ("السيناتور بوب كوركر هجوما"), unless it has the shape of a nisba or a listed
    given name or a role follows it (then it is a father's or family name)."""
    tok = scan.tokens[j]
    return (
        not tok.startswith("ال")
        and not tok.endswith("ي")  # a nisba-shaped family name ("تونسي", "شعبي") stays
        and not connector(scan, j)
        and ordinary_word(scan, j)
        and not _between_names(scan, j)
    )


def _tribe_after_family(scan: Scan, i: int, j: int) -> bool:
    """A definite nisba right after "آل" + a family name is the tribe that ends a Gulf name ("علي
    بن عمير آل حرمان الشهراني", "أحمد بن صالح آل سلطان العمري"): the family word may be unlisted
    or spelt like prose ("حرمان"), the name still goes on to the tribe."""
    return (
        j - i >= 3
        and scan.tokens[j - 2] in scan.kb.family_particles
        and scan.tokens[j].startswith("ال")
        and scan.joined(j)
        and not scan.clitic[j]
        and _nisba_surname(scan, j)
        and not _masdar_shaped(scan.tokens[j])
        and scan.light[j] not in scan.kb.stopwords
        # an adjective or ordinal after the family is prose or a regnal number ("آل سعود الثاني")
        and scan.tokens[j] not in scan.kb.org_adjectives
        and scan.tokens[j] not in scan.kb.side_modifiers
        and scan.tokens[j] not in scan.kb.unit_ordinals
    )


def _last_before_role(scan: Scan, i: int, j: int) -> bool:
    """The third word of a name opened by a listed given name is its last when a role follows it,
    right after or after a comma ("محمد رحيم أمين حاكم المنطقة", "محمد رحيم أمين، حاكم"): the
    role vouches for the unlisted word before it, even one spelt like a title or a common noun."""
    if j - i != 2 or not given_length(scan, i) or scan.tokens[j].startswith("ال"):
        return False
    if ordinary_word(scan, j) or verb_shaped(scan, j) or _prefixed_word(scan, j) or inflected_noun(scan, j):
        return False
    return _role_after(scan, j + 1)


def _role_after(scan: Scan, k: int) -> bool:
    """A role starts at token k, right after the word before it or after a comma; an honorific
    before a name is no role of the word before ("أحمد نيازي بمركز الملك فهد")."""
    return (
        k < scan.n
        and scan.gap(k) in ("", "،", ",")
        and not scan.clitic[k]
        and role_head_at(scan, k) is not None
        and not is_honorific(scan, k)
    )


def _waw_name_before_role(scan: Scan, j: int) -> bool:
    """An unlisted word opening with و right after a listed given name is the family name when a
    role follows it ("محمد وارا، مساعد قائد الشرطة"): "و" + a noun or a verb is no name's."""
    rest = scan.tokens[j][1:]
    return (
        j > 0
        and scan.joined(j)
        and given_length(scan, j - 1) == 1
        and scan.light[j - 1] not in scan.kb.ambiguous_given  # "سلام وتحيات رئيس"
        and not listed_name_word(scan, j)
        and rest not in ordinary_words()
        and not scan.kb.verb_shape.fullmatch(rest)
        and not verb_shaped(scan, j)
        and not inflected_noun(scan, j)
        and _role_after(scan, j + 1)
    )


def _extend_repeated_names(scan: Scan, names: list[Found]) -> None:
    """A name the article spells out in full once ("محمد رحيم أمين حاكم المنطقة") is the same full
    name where its first words recur and the rest follows again ("وأوضح محمد رحيم أمين أن"),
    whatever the words after it."""
    full = {
        tuple(scan.light[f.first : f.last + 1]): f.last - f.first + 1 for f in names if f.last - f.first >= 2
    }
    if not full:
        return
    for f in names:
        words = tuple(scan.light[f.first : f.last + 1])
        for name, length in full.items():
            last = f.first + length - 1
            if (
                length > len(words)
                and name[: len(words)] == words
                and last < scan.n
                and all(scan.free(k) and scan.joined(k) for k in range(f.last + 1, last + 1))
                and tuple(scan.light[f.first : last + 1]) == name
            ):
                for k in range(f.last + 1, last + 1):
                    scan.owner[k] = f
                f.last, f.end = last, scan.ends[last]
                break


def _past_trailing_connector(scan: Scan, i: int, j: int) -> int:
    """A name the length limit cut (at token j) right after a particle takes the word the particle
    introduces: long patronymic chains with a family name after "آل" ("خالد بن فيصل بن تركي آل
    سعود", "صالح بن عبدالعزيز بن محمد آل الشيخ") or a grandfather after "بن" ("مشعل بن بدر بن
    سعود بن عبدالعزيز"). Such a name never ends in its particle; a tribe after the family name ends it ("تركي بن مفلح
    بن مرعي آل هادي القرني")."""
    while (
        j - i < MAX_NAME_WITH_PARTICLES + 2
        and j < scan.n
        and j > i + 1
        and connector(scan, j - 1)
        and scan.joined(j)
        and not scan.clitic[j]
        and (_name_word(scan, j) or _particle_word(scan, j))
    ):
        j += max(given_length(scan, j), 1)
    if j < scan.n and _tribe_after_family(scan, i, j) and _name_word(scan, j):
        j += 1
    return j


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
        if strip_article(tok) in kb.org_heads and not tok.startswith("ال"):
            construct = indefinite_construct(scan, j + 1)
            owner = scan.owner[construct] if construct else None
            if owner is not None:  # "رئيس مجلس إدارة غرفة تجارة وصناعة الكويت"
                j = owner.last + 1
                continue
        if _suffixed_role_word(scan, j):
            j += 1
            break
        if tok in kb.role_links:
            nxt = j + 1
            if (
                nxt < scan.n
                and scan.joined(nxt)
                and (
                    ((linked := scan.owner[nxt]) is not None and linked.kind != "person")
                    or scan.tokens[nxt].startswith("ال")
                    or strip_article(scan.tokens[nxt]) in kb.role_nouns
                )
            ):
                j += 1
                continue
            break
        if tok.startswith("ال") and (inner := role_head_at(scan, j)) is not None and not rank_at(scan, j):
            j += inner[0]  # "مبعوث الأمين العام للأمم المتحدة", "مستشار الرئيس": a role's own role
            continue
        if j == start and _indefinite_nisba(scan, j):
            j += 1  # "مسؤول تركي رفض الكشف عن هويته": the official's nationality, not "تركي"
            continue
        if rank_at(scan, j) or is_honorific(scan, j) or given_length(scan, j):
            break
        stem = tok[1:] if tok.startswith("و") and tok[1:].startswith("ال") else tok
        if any(s in kb.role_nouns for _, s in scan.variants(j)):
            j += 1
            continue
        if scan.light[j] in kb.stopwords or stem in kb.stopwords:
            break
        if stem.startswith("ال") or tok.startswith("لل") or demonym_at(scan, j):
            j += 1
            continue
        break
    return j


def _indefinite_nisba(scan: Scan, j: int) -> bool:
    """Token j, right after an indefinite role head, is a demonym spelt like a given name ("مسؤول
    تركي", "دبلوماسي تركي كبير") and no name goes on after it (no article, particle or given
    name: "الشاب تركي بن مفلح", "المستشار تركي الدخيل" are names)."""
    if j == 0 or scan.tokens[j - 1].startswith(("ال", "وال")) or demonym_at(scan, j) is None:
        return False
    nxt = j + 1
    return not (
        nxt < scan.n
        and scan.joined(nxt)
        and (scan.tokens[nxt].startswith("ال") or connector(scan, nxt) or given_length(scan, nxt))
    )


def _suffixed_role_word(scan: Scan, j: int) -> bool:
    """A role noun or link with an attached pronoun ("مكتبه", "مفوضيته", "باسمها") closes a role
    phrase: the possessor was named before."""
    kb, tok = scan.kb, scan.tokens[j]
    for suffix in PRONOUN_SUFFIXES:
        if tok.endswith(suffix) and len(tok) > len(suffix) + 2:
            stem = tok[: -len(suffix)]
            stems = (stem, stem[:-1] + "ه") if stem.endswith("ت") else (stem,)
            return any(st in kb.role_nouns or st in kb.role_links for st in stems)
    return False


def titles_pass(scan: Scan) -> None:
    i = 0
    while i < scan.n:
        if not scan.hot[i] & 2 or not scan.free(i) or scan.in_title[i]:
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
    """The role (head + complement), rank and honorifics starting at token i, if any."""
    kb = scan.kb
    starts = title_starts()
    if not any(stem in starts or strip_article(stem) in starts for _, stem in scan.variants(i)):
        return None
    if _after_named_building(scan, i):
        return None  # "جامعة الملك سعود", "مركز الأمير سلطان": an institution named after a person
    role = role_head_at(scan, i)
    if (
        role is not None
        and role[0] == 1
        and rank_at(scan, i)
        and not (i + 1 < scan.n and scan.joined(i + 1) and scan.tokens[i + 1].startswith("ال"))
    ):
        role = None  # "النقيب أحمد" is a rank; "نقيب المحامين" a role
    rank = None if role else rank_at(scan, i)
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
        definite = (
            any(s.startswith("ال") for _, s in scan.variants(i))
            or (k > 1 and scan.tokens[i + 1].startswith("ال"))
            or (  # "وزير الدولة": a construct is definite
                i + k < scan.n and scan.joined(i + k) and scan.tokens[i + k].startswith(("ال", "لل"))
            )
        )
        end = _complement(scan, i + k)
        while end > i + k and scan.tokens[end - 1] in kb.role_links:
            end -= 1
        role_span = span_of(scan, i, end - 1, offset)
        for t in range(i + k, end):
            words.append(
                strip_article(scan.tokens[t][1:] if scan.tokens[t].startswith("وال") else scan.tokens[t])
            )
            if country is not None:
                continue
            owner = scan.owner[t]
            after_link = scan.tokens[t - 1] in kb.role_links
            nisba = demonym_at(scan, t) if owner is None else None
            if nisba is not None and nisba.startswith("country."):
                country = nisba
            elif owner is not None and owner.kind == "country" and owner.kb is not None and not after_link:
                country = owner.kb.id
            elif owner is not None and owner.category in kb.state_categories:
                country = owner.country
        j = end
    apposition = False
    if j < scan.n and scan.gap(j).strip() == "," and role is not None:
        apposition = True
    if role is not None and j < scan.n and (scan.joined(j) or apposition):
        rank = rank_at(scan, j)
    if rank is not None:
        rk, roff, _ = rank
        if j + rk <= scan.n:
            rank_span = span_of(scan, j, j + rk - 1, roff)
            j += rk
        if (
            role is None
            and country is None
            and not any(strip_article(stem) in kb.ambiguous_titles for _, stem in scan.variants(j - rk))
            and (nisba := _rank_nisba(scan, j)) is not None
        ):
            country = nisba  # "الجنرال الأمريكي", "السيناتورة الأمريكية": the rank's country
            j += 1
    while j < scan.n and scan.joined(j) and is_honorific(scan, j):
        j += 1
    return Title(
        first=i,
        last=max(j - 1, i),
        head=head,
        words=words,
        country=country,
        role_span=role_span,
        rank_span=rank_span,
        name_at=j,
        apposition=apposition and rank_span is None,
        definite=definite,
    )


def _rank_nisba(scan: Scan, j: int) -> str | None:
    """The country of a definite nisba right after a rank ("العقيد السوري", "السيناتورة
    الأمريكية"), which stands between the rank and the name. Not after a rank that is also a
    common noun ("الفريق العراقي" is mostly the Iraqi team)."""
    if j >= scan.n or not scan.joined(j) or scan.owner[j] is not None or not scan.tokens[j].startswith("ال"):
        return None
    nisba = demonym_at(scan, j)
    return nisba if nisba is not None and nisba.startswith("country.") else None


def _after_named_building(scan: Scan, i: int) -> bool:
    """Token i (a title word) follows a noun of a place or institution named after a person
    (``honorific_place_nouns``: "منطقة الشيخ رضوان", "جامعة الملك سعود"): no person starts here."""
    return (
        i > 0 and scan.joined(i) and any(s in scan.kb.honorific_place_nouns for _, s in scan.variants(i - 1))
    )


def names_building(scan: Scan, f: Found) -> bool:
    """An unlisted person found right after a building or institution noun, or after a title word
    that follows one ("جامعة الملك سعود", "جائزة الملك فيصل", "مدير مركز الأمير سلطان", "جامعة
    نايف العربية"): the name is the institution's, not a person's mention."""
    i = f.first
    if f.kind != "person" or f.kb is not None or not scan.joined(i):
        return False
    if i >= 2 and is_honorific(scan, i - 1) and _after_named_building(scan, i - 1):
        return True
    # an untitled name read from a given name or by the tagger: "جامعة نايف العربية", "دوري عبداللطيف جميل"
    return f.method in ("given_name", "model") and _after_named_building(scan, i)


def _read_honorific(scan: Scan, i: int) -> Title | None:
    """An honorific ("الشيخ", "الدكتور") introduces a name the way a rank does."""
    if not is_honorific(scan, i) or _particle_word(scan, i):
        return None
    j = i + 1
    while j < scan.n and scan.joined(j) and is_honorific(scan, j):
        j += 1
    offset = next((off for off, stem in scan.variants(i) if stem in scan.kb.honorifics), 0)
    return Title(
        first=i,
        last=j - 1,
        head=None,
        words=[],
        country=None,
        role_span=span_of(scan, i, j - 1, offset),
        rank_span=None,
        name_at=j,
        apposition=False,
        definite=False,
        honorific=True,
    )


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
    # "أمير البلاد الشيخ صباح ...": an honorific after the role introduces the name as a rank does
    honorific_last = title.last >= title.first and j > 0 and j - 1 <= title.last and is_honorific(scan, j - 1)
    mode = (
        "rank"
        if title.rank_span or title.honorific or honorific_last
        else ("apposition" if title.apposition else "role")
    )
    ambiguous = _ambiguous_title_word(scan, j - 1)
    if ambiguous and mode == "rank":
        mode = "role"  # "الفريق للموسم المقبل", "بسعادة إعجاب": a listed given name must follow
    length = _parse_name(scan, j, mode)
    if mode == "apposition" and not length:
        length = _parse_name(scan, j, "role")
    if not length and given_length(scan, j):
        length = _parse_name(scan, j, "given")
    confidence = 0.9
    if (
        not length
        and mode == "role"
        and not ambiguous
        and (title.definite or title.words)
        and ("في" not in title.words or _ends_in_place(scan, j - 1))
    ):
        length = _open_name(scan, j)
        confidence = 0.7
    if (
        not length
        and mode == "role"
        and not ambiguous
        and title.definite
        and not title.words
        and title.head in scan.kb.single_name_heads
        and _open_word(scan, j, first=True)
        and _closed_after(scan, j + 1)
    ):
        length, confidence = 1, 0.7  # "الإمبراطور أكيهيتو": a monarch's one name
    if not length:
        return None
    if confidence > 0.7:
        length = _trailing_open_word(scan, j, length)
    return _claim_person(scan, j, j + length - 1, "title", confidence, clitic=scan.clitic[j])


def _ends_in_place(scan: Scan, k: int) -> bool:
    """Token k, the last of a role phrase, belongs to a listed country or place: a role "in" a
    country ends there ("المنسق الإنساني للأمم المتحدة في اليمن X")."""
    owner = scan.owner[k] if k >= 0 else None
    return owner is not None and owner.kind in ("country", "place") and owner.kb is not None


def _ambiguous_title_word(scan: Scan, k: int) -> bool:
    """The title word right before a name is also an ordinary word (``ambiguous_titles``: "الفريق"
    is a team, "سعادة" happiness), and not the end of a longer rank ("الفريق أول")."""
    longer = rank_at(scan, k - 1) if k > 0 and scan.joined(k) else None
    if k < 0 or (longer is not None and longer[0] > 1):
        return False
    return any(strip_article(stem) in scan.kb.ambiguous_titles for _, stem in scan.variants(k))


def _trailing_open_word(scan: Scan, j: int, length: int) -> int:
    """A titled name of 2-3 words takes one more unlisted name word when punctuation or the
    complementizer of a speech verb follows it ("قال المتحدث عبد الفتاح آدم حسن إن"), or when it is
    shaped like a family nisba ("مجيد تخت روانجي في"); before anything else the word may be the
    verb's object ("نفى المتحدث زكي أكتورك تقارير عن")."""
    k = j + length
    if (
        length < 2
        or length > 3
        or k >= scan.n
        or not scan.joined(k)
        or not _open_word(scan, k)
        or scan.tokens[k].startswith(("و", "ف", "سي", "ست"))
    ):
        return length
    after = k + 1
    closed = after >= scan.n or scan.gap(after) not in ("", "-") or scan.tokens[after] == "ان"
    # a family name shaped like a nisba ("روانجي", "بري") before a preposition or a definite object
    family = (
        scan.tokens[k].endswith("ي")
        and not _ends_in_ta_marbuta(scan, k)
        and not closed
        and (scan.light[after] in scan.kb.stopwords or scan.tokens[after].startswith("ال"))
    )
    return length + 1 if closed or family else length


def _open_word(scan: Scan, i: int, first: bool = False) -> bool:
    """Token i can be a word of an unlisted (often foreign) name right after a title: a name
    word with no article or attached preposition, not a nisba, verb or common word."""
    kb, tok = scan.kb, scan.tokens[i]
    if not _name_word(scan, i) or scan.skip[i] or len(tok) < 2:
        return False
    if (
        tok.startswith(("ال", "لل", "بال", "كال", "وال", "فال"))
        or tok.endswith(("ها", "هم", "هما", "هن", "كم"))
        or tok in kb.demonyms
        or demonym_at(scan, i)
    ):
        return False
    if (
        _ends_in_ta_marbuta(scan, i)
        and tok not in kb.parts
        and not first
        and not (i > 0 and scan.tokens[i - 1] in kb.connectors)
    ):
        return False  # "قاعدة جوية", "نودا جلسة": feminine nouns and adjectives; only a first name ("عقيلة")
        # or a family name after a particle ("بن قرينة") ends in ة
    if first and not listed_name_word(scan, i) and not_a_first_name(scan, i):
        return False  # "وزير الدفاع الفرنسي رجل", "الرئيس الحالي سيكون"
    if not first and ends_name(scan, i, titled=True):
        return False
    light = scan.light[i]
    return (
        light not in kb.title_name_stops
        and tok not in kb.title_name_stops
        and light not in kb.speech_verbs
        and tok not in kb.led_by
        and tok not in kb.role_links
        and tok not in kb.name_stops
    )


def _ends_in_ta_marbuta(scan: Scan, i: int) -> bool:
    """The word ends in ة in the text (the folded text writes it ه, as in "أندريه")."""
    doc = scan.doc
    return doc.text[doc.offsets[scan.ends[i] - 1]] == "ة"


def _inner_definite(scan: Scan, i: int) -> bool:
    """A definite name word between two open name words ("بيرام الداه اعبيد"): not a nisba,
    a verbal noun or a common word, and followed by another name word."""
    tok = scan.tokens[i]
    if not tok.startswith("ال") or tok.startswith("الل") or not _name_word(scan, i) or scan.skip[i]:
        return False
    bare = tok[2:]
    if (
        len(bare) < 3
        or _masdar_shaped(tok)
        or tok in scan.kb.demonyms
        or demonym_at(scan, i)
        or bare.endswith(("ي", "ية", "يه", "ين", "ون", "ات"))
        or tok in scan.kb.title_name_stops
        or scan.light[i] in scan.kb.title_name_stops
    ):
        return False
    nxt = i + 1
    return nxt < scan.n and scan.joined(nxt) and _open_word(scan, nxt)


def _open_name(scan: Scan, j: int) -> int:
    """Length of an unlisted name of 2-3 words right after a complete role phrase
    ("المبعوث الأمريكي ستيفن ويتكوف", "رئيسة الوزراء الإيطالية جورجيا ميلوني"), 0 when none.
    The words must be followed by punctuation, a stopword, a verb or a listed actor; a
    longer run of such words is prose, not a name."""
    if scan.tokens[j][0] in ("و", "ف") or not _open_word(scan, j, first=True):
        return 0
    end = j + 1
    while (
        end < scan.n
        and end - j < 4
        and scan.joined(end)
        and (_open_word(scan, end) or _inner_definite(scan, end))
    ):
        end += 1
    if (
        end < scan.n
        and end - j < 3
        and scan.joined(end)
        and scan.tokens[end].startswith("ال")
        and scan.tokens[end] in scan.kb.parts
        and _name_word(scan, end)
    ):
        end += 1  # "محافظ ديالى مثنى التميمي": a listed family name closes the name
    length = end - j
    if length < 2 or length > 3:
        return 0
    return length if _closed_after(scan, end) else 0


def _closed_after(scan: Scan, end: int) -> bool:
    """A name may end before token ``end``: punctuation, a stopword, a verb, a listed actor, a
    word with a proclitic or article, a feminine noun ("نودا جلسة مباحثات") or a title follows."""
    kb = scan.kb
    if end >= scan.n or not scan.joined(end):
        return True
    nxt, light = scan.tokens[end], scan.light[end]
    return (
        _ends_in_ta_marbuta(scan, end)
        or light in kb.stopwords
        or light in kb.title_name_stops
        or light in kb.speech_verbs
        or scan.owner[end] is not None
        or nxt.startswith(("ال", "لل", "ب", "ل", "و", "ف"))
        or scan.in_title[end]
        or any(strip_article(s) in kb.role_heads for _, s in scan.variants(end))
    )


def _person_before(scan: Scan, title: Title) -> Found | None:
    """A person named right before a role that ends its phrase ("نوفاك نائب رئيس الوزراء، ...")."""
    if title.role_span is None or title.head in scan.kb.counterpart_heads or title.first == 0:
        return None
    if scan.gap(title.first) not in ("", ","):
        return None
    before = scan.owner[title.first - 1]
    after = title.last + 1
    ends = (
        after >= scan.n
        or scan.gap(after) != ""
        or scan.light[after] in scan.kb.stopwords
        or scan.tokens[after].isdigit()
    )
    titled = (
        before is not None
        and scan.gap(title.first) == ""
        and any(
            t.last == before.first - 1 and t.name_at < 0 and not t.honorific and t.words for t in scan.titles
        )
    )
    if (
        before is not None
        and before.kind == "person"
        and before.last == title.first - 1
        and ends
        and not titled
    ):
        return before
    return None


def _give(scan: Scan, target: Found, title: Title) -> None:
    target.roles.append(_role_tuple(scan, title))
    target.role_words.extend(title.words)
    if title.country and target.country is None and target.kb is None:
        target.country = title.country
    title.name_at = -1


def attach_pending_titles(scan: Scan) -> None:
    """Give roles that follow a name to people found after the titles pass (given names), or
    to a name between a speech verb and the role ("قال تشارلز ليستر، الباحث في ...")."""
    for title in scan.titles:
        if title.name_at >= 0:
            target = _person_before(scan, title) or _name_after_speech_verb(scan, title)
            if target is not None:
                _give(scan, target, title)


def _name_after_speech_verb(scan: Scan, title: Title) -> Found | None:
    if title.role_span is None or title.first < 2 or scan.gap(title.first) not in (",", ""):
        return None  # "قال X، المتحدث باسم ..." and, without the comma, "قال X المتحدث باسم ..."
    last = title.first - 1
    first = last
    verbs = scan.kb.speech_verbs
    while (
        first > 0
        and last - first < 3
        and scan.joined(first)
        and scan.tokens[first - 1] not in verbs
        and _name_word(scan, first - 1)
    ):
        first -= 1
    if first == 0 or not scan.joined(first) or scan.tokens[first - 1] not in scan.kb.speech_verbs:
        return None
    if (
        first == last
        or scan.tokens[first].startswith("ال")
        or not all(_name_word(scan, k) for k in range(first, last + 1))
        or (not listed_name_word(scan, first) and not_a_first_name(scan, first))
        or any(ends_name(scan, k, titled=False) for k in range(first + 1, last + 1))
    ):
        return None
    return _claim_person(scan, first, last, "title", 0.75)


def _kunya_before(scan: Scan, i: int) -> int:
    """When the word before the given name at token i is a kunya's "أبو" that belongs to the name
    ("أبو مصعب الزرقاوي", "وأبو محمد المقدسي"), 1 + the length of its proclitic ("و"), else 0.
    The word must be free, joined to the name, and not itself after a name particle ("علي بن أبي
    طالب" is read from its first word)."""
    k = i - 1
    if k < 0 or not scan.joined(i) or not scan.free(k) or scan.in_title[k]:
        return 0
    if k > 0 and scan.joined(k) and connector(scan, k - 1):
        return 0
    tok, kunya = scan.tokens[k], scan.kb.kunya_particles
    if tok in kunya:
        return 1
    return 2 if tok[:1] in ("و", "ف") and tok[1:] in kunya else 0


def given_pass(scan: Scan) -> None:
    given_first = scan.kb.given_first
    names: list[Found] = []
    for i in range(scan.n):
        if (
            (
                scan.light[i] in given_first
                or (scan.light[i][:5] == "عبدال" and joined_theophoric(scan.light[i]))
            )
            and scan.free(i)
            and not scan.in_title[i]
            and given_length(scan, i)
        ):
            length = _parse_name(scan, i, "given")
            if length:
                kunya = _kunya_before(scan, i)
                first, clitic = (i - 1, kunya - 1) if kunya else (i, scan.clitic[i])
                found = _claim_person(scan, first, i + length - 1, "given_name", 0.8, clitic=clitic)
                if found is not None:
                    names.append(found)
    _extend_repeated_names(scan, names)


def led_by_pass(scan: Scan) -> None:
    """Names right after "برئاسة"/"بقيادة" or "يدعى"/"المدعو" (two words at least), when no title
    intervenes."""
    led_by = scan.kb.led_by
    for i in range(scan.n - 1):
        j = i + 1
        cue = scan.light[i] in led_by or scan.tokens[i] in led_by  # "يدعى" folds to "يدعي"
        if cue and scan.joined(j) and scan.free(j) and not scan.in_title[j]:
            length = _parse_name(scan, j, "rank")
            if length >= 2:
                _claim_person(scan, j, j + length - 1, "title", 0.75)


def patronymic_chain_pass(scan: Scan) -> None:
    """An unlisted first name opening a chain with two name particles ("بيرام ولد الداه ولد
    اعبيدي", a Mauritanian name; "X بن Y بن Z"): two particles in a row of name words are a
    patronymic chain whatever the first word is, so the whole chain is one person."""
    for i in range(scan.n - 4):
        if not (
            scan.free(i)
            and not scan.in_title[i]
            and connector(scan, i + 1)
            and connector(scan, i + 3)
            and all(scan.joined(k) and not scan.clitic[k] for k in range(i + 1, i + 5))
            and not scan.tokens[i].startswith("ال")
            and not connector(scan, i)
            and _name_word(scan, i)
            and (_name_word(scan, i + 2) or _particle_word(scan, i + 2))
            and (_name_word(scan, i + 4) or _particle_word(scan, i + 4))
        ):
            continue
        length = _parse_name(scan, i, "rank")
        if length >= 5:
            _claim_person(scan, i, i + length - 1, "title", 0.75, clitic=scan.clitic[i])
