"""The ``actors`` stage: recognition (``actor_scan``, ``actor_names``), resolution, entities.

Reads ``doc.norm``, ``doc.offsets`` and ``doc.segments`` (bylines are skipped); fills
``doc.mentions`` (sorted by position, each span slicing ``doc.text`` to its text) and
``doc.entities`` keyed "kb:<id>" for knowledge-base actors and "new:<match key>" for others.

Resolution inside one article, after recognition:
- an unlisted spelling of a listed person joins the listed person (``resolve.match_kb_person``);
- spelling variants of one unlisted person merge (same given name, same surname skeleton);
- a later surname-only mention ("الشيباني", "أبو قصرة") links to the person named earlier;
- a definite role or head noun used alone ("المسؤول", "الوزير", "الرئيس الروسي", "الوكالة")
  links to the most recent earlier entity with that role or category (method "anaphora").
"""

from __future__ import annotations

from functools import lru_cache

from service.extract.actors.knowledge import knowledge, strip_article
from service.extract.actors.metonymy import metonymy_pass
from service.extract.actors.names import (
    attach_pending_titles,
    given_pass,
    inflected_noun,
    led_by_pass,
    names_building,
    patronymic_chain_pass,
    titles_pass,
)
from service.extract.actors.orgs import (
    dotted_abbreviation_pass,
    eponym_pass,
    kingdom_pass,
    leader_countries,
    link_described_listed,
    link_outlet_heads,
    link_shortened_forms,
    ministry_domain_pass,
    quoted_name_pass,
)
from service.extract.actors.places import (
    drop_places_in_quoted_names,
    landmark_pass,
    place_lexicon,
    place_list_pass,
)
from service.extract.actors.resolve import (
    chain_prefix,
    compare_names,
    match_kb_person,
    name_tokens,
    same_actor,
    split_name,
    surname_keys,
)
from service.extract.actors.scan import (
    Found,
    Scan,
    Title,
    dative_broadcaster_pass,
    dative_outlet_pass,
    is_honorific,
    kb_pass,
    nisba_pass,
    org_pass,
    outlet_pass,
    release,
    role_head_at,
    word_variants,
)
from service.extract.actors.tagged import tagger_first_pass, tagger_pass
from service.extract.actors.title_holders import title_holder_pass
from service.extract.actors.transliterate import transliterate
from service.extract.document import ActorMention, Document, Entity, RoleMention
from service.text import fold_char, match_key

CONFIDENCE = {"surname": 0.85, "given_name": 0.7, "anaphora": 0.6}
KB = knowledge()  # loaded and indexed once, when the pipeline is imported


def find_actors(doc: Document) -> None:
    """Fill ``doc.mentions`` and ``doc.entities`` from the folded text of one article."""
    scan = Scan(doc, KB)
    kb_pass(scan)
    dotted_abbreviation_pass(scan)
    outlet_pass(scan)
    dative_outlet_pass(scan)
    dative_broadcaster_pass(scan)
    drop_places_in_quoted_names(scan)
    tagger_first_pass(scan)  # under a tagger-first policy only (``tagged.TaggerPolicy``)
    metonymy_pass(scan)
    landmark_pass(scan, before_titles=True)
    titles_pass(scan)
    given_pass(scan)
    led_by_pass(scan)
    patronymic_chain_pass(scan)
    attach_pending_titles(scan)
    title_holder_pass(scan)
    org_anaphors = org_pass(scan)
    eponym_pass(scan)
    quoted_name_pass(scan)
    ministry_domain_pass(scan)
    leader_countries(scan)
    landmark_pass(scan)
    place_list_pass(scan)
    tagger_pass(scan)  # the statistical tagger, only over tokens no rule claimed
    _drop_inflected_names(scan)
    _key_unlisted(scan)
    _merge_place_forms(scan)
    _merge_org_forms(scan)
    link_outlet_heads(scan)
    link_described_listed(scan)
    link_shortened_forms(scan)
    _link_kb_spellings(scan)
    _merge_variants(scan)
    _link_surnames(scan)
    _link_given_names(scan)
    nisba_pass(scan)
    kingdom_pass(scan)
    _country_of_leaders(scan)
    _link_role_anaphora(scan)
    _link_honorific_pronouns(scan)
    _link_org_anaphora(scan, org_anaphors)
    _build(doc, scan)


def _drop_inflected_names(scan: Scan) -> None:
    """A tagged person whose words include an inflected noun ("رفعت ضده دعوى") is an ordinary
    phrase, as the rules already hold for the names they read (``names.inflected_noun``)."""
    for f in [f for f in scan.found if f.method == "model" and f.kind == "person"]:
        if any(inflected_noun(scan, i) for i in range(f.first, f.last + 1)):
            release(scan, f)
    for f in [f for f in scan.found if f.kind == "person" and f.kb is None]:
        if names_building(scan, f):
            release(scan, f)  # "جامعة الملك سعود": an institution named after a person
            for k in range(f.first, f.last + 1):
                scan.skip[k] = True  # nor a surname, a given name or a nisba later


def _verbatim(doc: Document, start: int, end: int) -> tuple[int, int]:
    """Verbatim span of a norm range, extended over trailing diacritics."""
    vs, ve = doc.span_of_norm(start, end)
    while ve < len(doc.text) and fold_char(doc.text[ve]) == "" and not doc.text[ve].isspace():
        ve += 1
    return vs, ve


def _name_text(scan: Scan, f: Found) -> str:
    vs, ve = _verbatim(scan.doc, f.start, f.end)
    return scan.doc.text[vs:ve]


def _country_of_leaders(scan: Scan) -> None:
    """A person introduced by "برئاسة"/"بقيادة" after "وفد روسي" belongs to that country."""
    kb = scan.kb
    title_before = {t.last + 1: t for t in scan.titles}
    for f in list(scan.found):
        if f.kind != "person" or f.country is not None or f.kb is not None:
            continue
        i = f.first
        while i in title_before and title_before[i].first < i:
            i = title_before[i].first
        if i == 0 or scan.light[i - 1] not in kb.led_by:
            continue
        j = i - 2
        while j >= 0 and i - j <= 10 and "." not in scan.gap(j + 1):
            owner = scan.owner[j]
            if owner is not None and owner.kind == "country" and owner.kb is not None:
                f.country = owner.kb.id
                break
            j -= 1


def _key_unlisted(scan: Scan) -> None:
    for f in scan.found:
        if not f.key:
            f.key = "new:" + match_key(_name_text(scan, f))


def _merge_place_forms(scan: Scan) -> None:
    """ "إقليم السند" and "السند", "مدينة روالبندي" and "روالبندي" in one article are one place: the
    bare name joins the form with its head noun."""
    places = {f.key: f for f in scan.found if f.kind == "place" and f.kb is None and f.key.startswith("new:")}
    for key in list(places):
        head, _, rest = key[4:].partition(" ")
        if rest and "new:" + rest in places and head in place_lexicon().heads:
            for f in scan.found:
                if f.key == "new:" + rest:
                    f.key = key


def _merge_org_forms(scan: Scan) -> None:
    """One body in several forms inside one article: "حركة الحوثي" (a descriptor head before a
    listed name) is the listed body; a bare form joins the one longer form it shortens, either
    by a descriptor head ("القاعدة" / "تنظيم القاعدة") or by a trailing nisba ("وزارة الدفاع" /
    "وزارة الدفاع الجزائرية"). A bare form that two longer forms shorten stays apart."""
    kb = scan.kb
    orgs = [f for f in scan.found if f.kind == "organization"]
    longer: dict[str, set[str]] = {}
    owner: dict[str, Found] = {}
    for f in orgs:
        words = (f.key[4:] if f.kb is None else match_key(_name_text(scan, f))).split(" ")
        if len(words) < 2:
            continue
        described = strip_article(words[0]) in kb.org_descriptor_heads
        if described and f.kb is None:
            rest = " ".join(words[1:])
            forms = [rest, *(f"{head} {rest}" for head in sorted(kb.org_descriptor_heads))]
            listed = sorted(
                {
                    i
                    for form in forms
                    for i in kb.alias_index.get(form, ())
                    if kb.entries[i].kind == "organization"
                }
            )
            if len(listed) == 1:
                f.kb = kb.entries[listed[0]]
                f.key, f.country = "kb:" + f.kb.id, f.kb.country or f.country
        shorts = [" ".join(words[1:])] if described else []
        if words[-1] in kb.demonyms:
            shorts.append(" ".join(words[:-1]))
        for short in shorts:
            longer.setdefault("new:" + short, set()).add(f.key)
            owner[f.key] = f
    for f in orgs:
        targets = longer.get(f.key, set()) - {f.key}
        if f.kb is None and len(targets) == 1:
            target = owner[next(iter(targets))]
            f.key, f.kb, f.country = target.key, target.kb, target.country or f.country


def _temp_entity(scan: Scan, f: Found) -> Entity:
    roles = [RoleMention(start=0, end=0, text=" ".join(f.role_words), role=" ".join(f.role_words))]
    return Entity(
        key=f.key,
        kind="person",
        name_ar=_name_text(scan, f),
        country=f.country,
        roles=roles if f.role_words else [],
    )


def _link_kb_spellings(scan: Scan) -> None:
    for f in scan.found:
        if f.kind == "person" and f.kb is None:
            matched = match_kb_person(_temp_entity(scan, f))
            if matched is not None:
                entry, _ = matched
                f.kb, f.key, f.country = entry, "kb:" + entry.id, entry.country


def _merge_variants(scan: Scan) -> None:
    unlisted = [f for f in scan.found if f.kind == "person" and f.kb is None]
    # each person's name, country and roles once (only keys change below, and no comparison reads them)
    entities = [_temp_entity(scan, f) for f in unlisted]
    for idx, f in enumerate(unlisted):
        for e_idx, earlier in enumerate(unlisted[:idx]):
            if earlier.key == f.key:
                break
            a, b = entities[e_idx], entities[idx]
            close = (
                compare_names(a.name_ar, b.name_ar) == "skeleton"
                or _contracted(a.name_ar, b.name_ar)
                or chain_prefix(name_tokens(a.name_ar), name_tokens(b.name_ar))
            )
            if close or same_actor(a, b).matched:
                old = f.key
                for g in scan.found:
                    if g.key == old:
                        g.key = earlier.key
                break


def _contracted(a: str, b: str) -> bool:
    """One name is the other without some middle names ("حمد عبيد الزعابي" of "حمد عبيد إبراهيم
    سالم الزعابي"): same first and last word, the shorter's words in order within the longer."""
    short, long_ = sorted((match_key(a).split(" "), match_key(b).split(" ")), key=len)
    if len(short) < 2 or len(long_) <= len(short) or short[0] != long_[0] or short[-1] != long_[-1]:
        return False
    rest = iter(long_[1:-1])
    return all(word in rest for word in short[1:-1])


def _people_index(scan: Scan) -> dict[str, list[tuple[int, str]]]:
    """Surname key -> [(position of a full mention, entity key)] for people found so far."""
    index: dict[str, list[tuple[int, str]]] = {}
    for f in scan.found:
        if f.kind != "person" or f.method in ("surname", "anaphora"):
            continue
        names = [_name_text(scan, f)]
        if f.kb is not None:
            names += [f.kb.name_ar, *f.kb.aliases]
        for name in names:
            for key in surname_keys(name):
                index.setdefault(key, []).append((f.start, f.key))
    return index


def _link_tagged_surnames(scan: Scan, index: dict[str, list[tuple[int, str]]]) -> None:
    """A person the tagger read from one or two words that are the surname of a person named in
    full in the article ("لوران فابيوس ... فابيوس الذي") is that person: the full mention before it,
    else the only one after it (a headline's surname before the body's full name)."""
    for f in [f for f in scan.found if f.kind == "person" and f.method == "model" and f.kb is None]:
        if f.last - f.first > 1:
            continue
        candidates = [
            (pos, key) for pos, key in index.get(match_key(_name_text(scan, f)), ()) if key != f.key
        ]
        earlier = [c for c in candidates if c[0] < f.start]
        if earlier:
            key = max(earlier)[1]
        elif len({k for _, k in candidates}) == 1:
            key = candidates[0][1]
        else:
            continue
        source = next((g for g in scan.found if g.key == key), None)
        if source is None:  # that person was itself re-keyed above
            continue
        old = f.key
        for g in scan.found:
            if g.key == old and g.method == "model":
                g.key, g.method, g.kb, g.country = key, "surname", source.kb, source.country
                g.confidence = CONFIDENCE["surname"]


def _link_surnames(scan: Scan) -> None:
    index = _people_index(scan)
    if not index:
        return
    _link_tagged_surnames(scan, index)
    kb = scan.kb
    pending = {t.name_at: t for t in scan.titles if t.name_at >= 0}
    firsts = {key.split(" ")[0] for key in index}
    # only words one of whose proclitic variants starts a surname key can start a mention
    spelled = _proclitic_spellings(firsts) & set(scan.tokens)
    words = {t for t in spelled if any(stem in firsts for _, stem in word_variants(t))}
    for i in [i for i, t in enumerate(scan.tokens) if t in words] if words else ():
        if not scan.free(i) or scan.light[i] in kb.stopwords:
            continue
        for offset, stem in scan.variants(i):
            if stem not in firsts:
                continue
            two = i + 1 < scan.n and scan.joined(i + 1) and scan.free(i + 1)
            hit = None
            if two and f"{stem} {scan.tokens[i + 1]}" in index:
                hit = (2, index[f"{stem} {scan.tokens[i + 1]}"])
            elif stem in index:
                hit = (1, index[stem])
            if hit is None:
                continue
            length, candidates = hit
            earlier = [(pos, key) for pos, key in candidates if pos < scan.starts[i]]
            if not earlier:
                continue
            key = max(earlier)[1]
            source = next(g for g in scan.found if g.key == key)
            f = scan.claim(_referring(scan, i, length, offset, source, CONFIDENCE["surname"]))
            title = pending.get(i) or _title_ending_at(scan, i + length - 1)
            if title is not None:
                _give_title(f, title)
            break


def _given_index(scan: Scan) -> dict[str, list[tuple[int, str]]]:
    """Given name -> [(position of a full mention, entity key)] for people named with a surname."""
    index: dict[str, list[tuple[int, str]]] = {}
    heads = scan.kb.theophoric_heads
    for f in scan.found:
        if f.kind != "person" or f.method in ("surname", "anaphora"):
            continue
        words = name_tokens(_name_text(scan, f))
        given, _ = split_name(words)
        if len(given) == 1 and given[0] in heads and len(words) > 2:
            given = words[:2]  # "عبد الخالق"
        key = " ".join(given)
        listed = key in scan.kb.given or (len(given) == 2 and given[0] in heads)
        particle = any(w in scan.kb.connectors and w not in heads for w in given)  # "أبو محمد"
        if listed and len(words) > len(given) and not particle:
            index.setdefault(key, []).append((f.start, f.key))
    return index


KUNYA = frozenset({"ام", "ابو", "ابي", "ابا", "ابن", "بن", "بنت"})  # folded


def _tagged_word(scan: Scan, i: int) -> Found | None:
    """The tagger's one-word person at token i, if that is what owns it."""
    f = scan.owner[i]
    if f is not None and f.kind == "person" and f.method == "model" and f.kb is None and f.first == f.last:
        return f
    return None


def _link_given_names(scan: Scan) -> None:
    """A bare given name that no rule read as a name ("وكان عبد الخالق من بين ...", or a word the
    tagger read alone) refers back to the one person named earlier in the article with that given
    name and a surname. Given names that are also common words (``ambiguous_given``) and given
    names shared by two people named before are left alone."""
    index = _given_index(scan)
    if not index:
        return
    kb = scan.kb
    firsts = {key.split(" ")[0] for key in index}
    text, offsets = scan.doc.text, scan.doc.offsets
    # only words one of whose proclitic variants is such a given name can refer back
    spelled = _proclitic_spellings(firsts) & set(scan.tokens)
    words = {t for t in spelled if any(stem in firsts for _, stem in word_variants(t))}
    for i in [i for i, t in enumerate(scan.tokens) if t in words] if words else ():
        tagged = _tagged_word(scan, i)
        if not (scan.free(i) or tagged) or scan.light[i] in kb.stopwords:
            continue
        if (
            i > 0
            and scan.joined(i)
            and (
                scan.in_title[i - 1]
                or is_honorific(scan, i - 1)
                or scan.light[i - 1] in KUNYA
                or scan.light[i - 1] in kb.given
            )
        ):
            continue  # "طريق الملك عبدالله", "أم محمد", "فتوح أحمد": a title, kunya or name before it
        if role_head_at(scan, i) is not None:
            continue  # "ومساعد أمين المجلس": a role noun spelt like a given name
        for offset, stem in scan.variants(i):
            if stem not in firsts or len(stem) < 3:
                continue
            if stem.endswith("ي") and text[offsets[scan.ends[i] - 1]] in "ىی":
                continue  # "وعلى" is a preposition, not "علي"
            two = tagged is None and i + 1 < scan.n and scan.joined(i + 1) and scan.free(i + 1)
            if two and f"{stem} {scan.light[i + 1]}" in index:
                length, candidates = 2, index[f"{stem} {scan.light[i + 1]}"]
            elif stem in index and stem not in kb.ambiguous_given:
                length, candidates = 1, index[stem]
            else:
                continue
            earlier = {key for pos, key in candidates if pos < scan.starts[i]}
            if len(earlier) != 1:
                break
            key = earlier.pop()
            source = next((g for g in scan.found if g.key == key), None)
            if source is None:
                break
            if tagged is not None:
                tagged.key, tagged.method, tagged.country = key, "surname", source.country
                tagged.kb, tagged.confidence = source.kb, CONFIDENCE["given_name"]
                break
            scan.claim(_referring(scan, i, length, offset, source, CONFIDENCE["given_name"]))
            break


def _referring(scan: Scan, i: int, length: int, offset: int, source: Found, confidence: float) -> Found:
    """A person mention of words ``i`` .. ``i + length - 1`` that refers back to ``source``, a
    person named in full earlier in the article (a surname or a bare given name)."""
    return Found(
        first=i,
        last=i + length - 1,
        start=scan.starts[i] + offset,
        end=scan.ends[i + length - 1],
        key=source.key,
        kind="person",
        method="surname",
        confidence=confidence,
        kb=source.kb,
        country=source.country,
    )


def _proclitic_spellings(stems: set[str]) -> set[str]:
    """Every word whose proclitic variants (``clitic_variants``) may include one of the stems: the
    stem after و/ف, then ب/ل/ك, or after "لل" for a stem with the article ("للجنة": "اللجنة")."""
    out: set[str] = set()
    for stem in stems:
        bases = {stem, "ب" + stem, "ل" + stem, "ك" + stem}
        if stem.startswith("ا"):
            bases.add("ل" + stem[1:])
        if stem.startswith("ال"):
            bases.add("ل" + stem[2:])
        out |= bases | {c + b for b in bases for c in ("و", "ف")}
    return out


def _title_ending_at(scan: Scan, last: int) -> Title | None:
    """A role phrase whose complement swallowed a surname ("الوزير الشيباني"): cut it there."""
    for title in scan.titles:
        if title.name_at < 0 or title.role_span is None or title.rank_span is not None:
            continue
        if title.first < last <= title.last:
            f = scan.owner[last]
            first = f.first if f is not None else last
            if first <= title.first:
                return None
            title.role_span = (title.role_span[0], scan.ends[first - 1])
            title.words = title.words[: max(0, len(title.words) - (last - first + 1))]
            title.last = first - 1
            return title
    return None


def _give_title(f: Found, title: Title) -> None:
    rs, ks = title.role_span or (0, 0), title.rank_span or (0, 0)
    f.roles.append((rs[0], rs[1], title.head, ks[0], ks[1], None))
    f.role_words.extend(title.words)
    title.name_at = -1


@lru_cache(maxsize=4096)
def role_parts(text: str) -> tuple[str | None, frozenset[str], str | None]:
    """(role head, content words, country) of a role phrase such as "وزير الدفاع الروسي"."""
    kb = knowledge()
    words = match_key(text).split(" ")
    if not words or not words[0]:
        return None, frozenset(), None
    words[0] = strip_article(words[0])
    head = None
    for k in range(min(len(words), 4), 0, -1):
        if " ".join(words[:k]) in kb.role_heads:
            head, words = " ".join(words[:k]), words[k:]
            break
    country = next((kb.demonyms[w] for w in words if w in kb.demonyms), None)
    content = frozenset(strip_article(w) for w in words if w not in kb.demonyms and w not in kb.role_links)
    return head, content, country


def _profiles(scan: Scan) -> dict[str, list[tuple[str | None, frozenset[str], str | None]]]:
    profiles: dict[str, list[tuple[str | None, frozenset[str], str | None]]] = {}
    doc = scan.doc
    for f in scan.found:
        if f.kind != "person":
            continue
        entry = profiles.setdefault(f.key, [])
        for rs, re_, head, _, _, _ in f.roles:
            if rs < re_:
                h, words, country = role_parts(doc.norm[rs:re_])
                entry.append((head or h, words, country or f.country))
        if f.kb is not None:
            entry.extend((h, w, c or f.kb.country) for h, w, c in map(role_parts, f.kb.roles))
    return profiles


def _head_base(head: str | None) -> str | None:
    """A role head without a trailing link word: "متحدث باسم" and "متحدث" are one role."""
    if head is None:
        return None
    words = head.split(" ")
    return " ".join(words[:-1]) if len(words) > 1 and words[-1] in knowledge().role_links else head


def _link_role_anaphora(scan: Scan) -> None:
    kb = scan.kb
    profiles = _profiles(scan)
    anaphora_nouns = {strip_article(a) for a in kb.anaphora}
    for title in scan.titles:
        head, definite = title.head, title.definite
        last = scan.tokens[title.last]
        if title.honorific and last.startswith("ال") and strip_article(last) in kb.role_heads:
            head, definite = strip_article(last), True  # "سمو الأمير": an honorific that is also a role
        if title.name_at < 0 or head is None or not definite or title.role_span is None:
            continue
        start, end = title.role_span
        words = frozenset(w for w in title.words if w not in kb.demonyms and w not in kb.role_links)
        bare_noun = strip_article(scan.doc.norm[start:end]) in anaphora_nouns or (
            head != title.head and strip_article(last) in anaphora_nouns
        )
        if not words and not bare_noun and " " not in head and title.country is None:
            continue
        best: Found | None = None
        for f in scan.found:
            if f.kind != "person" or f.start >= start or f.method == "anaphora":
                continue
            for role_head, role_words, country in profiles.get(f.key, []):
                if (
                    _head_base(role_head) == _head_base(head)
                    and words <= role_words
                    and (title.country is None or title.country in (country, f.country))
                ):
                    if best is None or f.start > best.start:
                        best = f
                    break
        if best is not None:
            first, end_token = title.first, title.first
            while end_token + 1 < scan.n and scan.starts[end_token + 1] < end:
                end_token += 1
            scan.found = [
                f
                for f in scan.found
                if not (f.method == "pattern" and f.kind != "person" and start <= f.start and f.end <= end)
            ]
            scan.found.append(
                Found(
                    first=first,
                    last=end_token,
                    start=start,
                    end=end,
                    key=best.key,
                    kind="person",
                    method="anaphora",
                    confidence=CONFIDENCE["anaphora"],
                    kb=best.kb,
                    country=best.country,
                )
            )


def _link_honorific_pronouns(scan: Scan) -> None:
    """ "سعادته", "فخامته", "سموه": the person last introduced with that honorific (agency style:
    "فخامة الرئيس X ... خلال استقبال فخامته له")."""
    pronouns = scan.kb.honorific_pronouns
    if not pronouns:
        return
    if not any(p in scan.doc.norm for p in pronouns):
        return
    endings = tuple(pronouns)
    for i, token in enumerate(scan.tokens):
        if not token.endswith(endings):
            continue
        honorific = next((pronouns[stem] for _, stem in scan.variants(i) if stem in pronouns), None)
        if honorific is None or scan.owner[i] is not None:
            continue
        best: Found | None = None
        for f in scan.found:
            if f.kind != "person" or f.first >= i or f.method == "anaphora" or f.first == 0:
                continue
            k = f.first - 1
            while k >= 0 and k >= f.first - 4 and scan.in_title[k]:
                if any(stem == honorific for _, stem in scan.variants(k)):
                    if best is None or f.first > best.first:
                        best = f
                    break
                k -= 1
        if best is not None:
            scan.found.append(
                Found(
                    first=i,
                    last=i,
                    start=scan.starts[i],
                    end=scan.ends[i],
                    key=best.key,
                    kind="person",
                    method="anaphora",
                    confidence=CONFIDENCE["anaphora"],
                    kb=best.kb,
                    country=best.country,
                )
            )


def _link_org_anaphora(scan: Scan, anaphors: list[tuple[int, int, str]]) -> None:
    for i, offset, category in anaphors:
        start = scan.starts[i] + offset
        head = scan.kb.org_heads.get(strip_article(scan.doc.norm[start : scan.ends[i]]))
        categories = {category, *(head.refers if head is not None else ())}
        earlier = [
            f
            for f in scan.found
            if f.kind == "organization"
            and f.start < start
            and f.method != "anaphora"
            and f.category in categories
        ]
        noun = strip_article(scan.doc.norm[start : scan.ends[i]])
        same_noun = [
            f
            for f in earlier
            if strip_article(scan.tokens[f.first][f.start - scan.starts[f.first] :]) == noun
        ]
        earlier = same_noun or earlier  # "الجماعة" is the last "جماعة ..." before any other group
        if earlier:
            best = max(earlier, key=lambda f: f.start)
            scan.claim(
                Found(
                    first=i,
                    last=i,
                    start=start,
                    end=scan.ends[i],
                    key=best.key,
                    kind="organization",
                    method="anaphora",
                    confidence=CONFIDENCE["anaphora"],
                    kb=best.kb,
                    country=best.country,
                    category=best.category,
                )
            )


def _role_mention(
    doc: Document, role: tuple[int, int, str | None, int, int, str | None]
) -> RoleMention | None:
    rs, re_, _, ks, ke, _ = role
    parts = [(s, e) for s, e in ((rs, re_), (ks, ke)) if s < e]
    if not parts:
        return None
    vs, ve = _verbatim(doc, min(s for s, _ in parts), max(e for _, e in parts))
    role_text = doc.text[slice(*_verbatim(doc, rs, re_))] if rs < re_ else None
    if role_text and _after_lam_lam(doc, rs):
        role_text = "ا" + role_text
    rank_text = doc.text[slice(*_verbatim(doc, ks, ke))] if ks < ke else None
    return RoleMention(start=vs, end=ve, text=doc.text[vs:ve], role=role_text, rank=rank_text)


def _org_name_en(name_ar: str, country: str | None) -> str | None:
    kb = knowledge()
    words = match_key(name_ar).split(" ")
    head = kb.org_heads.get(strip_article(words[0]))
    if head is None:
        return None
    rest = [w for w in words[1:] if w not in kb.demonyms]
    gloss = kb.org_words.get(" ".join(rest)) if rest else None
    if rest and gloss is None:
        return None
    name = f"{head.en} of {gloss}" if gloss else head.en
    if country and country in kb.entries:
        name += f" ({kb.entries[country].name_en})"
    return name


def _after_lam_lam(doc: Document, start: int) -> bool:
    """The span starts inside "لل" (ل + ال): "للجنة" is named "اللجنة", not "لجنة"."""
    return (
        start > 0 and doc.norm[start - 1 : start + 1] == "لل" and (start == 1 or doc.norm[start - 2] == " ")
    )


def _assimilated_article_start(doc: Document, start: int) -> int | None:
    """Norm start of the word when a mention starts after the "ل" of "للـ" (ل + ال, as in
    "للجيش", "وللحرس"): a span cut there reads as a truncated word."""
    norm = doc.norm
    if start < 1 or norm[start - 1 : start + 1] != "لل":
        return None
    word_start = start - 1
    while word_start > 0 and norm[word_start - 1].isalpha():
        word_start -= 1
    return word_start if start - word_start <= 3 else None


def _build(doc: Document, scan: Scan) -> None:
    mentions: list[ActorMention] = []
    entities: dict[str, Entity] = {}
    for f in sorted(scan.found, key=lambda f: (f.start, -f.end)):
        vs, ve = _verbatim(doc, f.start, f.end)
        if ve <= vs:
            continue
        text = name = doc.text[vs:ve]
        word_start = _assimilated_article_start(doc, f.start)
        if word_start is not None:  # "للجيش": the span takes the whole word, names the article form
            vs, name = doc.span_of_norm(word_start, f.start)[0], (f.prefix or "ا") + text
            text = doc.text[vs:ve]
        ent = entities.get(f.key)
        method, confidence = f.method, f.confidence
        if ent is None:
            entry = f.kb
            ent = Entity(
                key=f.key,
                kind=f.kind,
                name_ar=entry.name_ar if entry else name,
                name_en=entry.name_en if entry else None,
                kb_id=entry.id if entry else None,
                country=entry.country if entry else f.country,
                lat=entry.lat if entry else None,
                lon=entry.lon if entry else None,
                wikidata=entry.wikidata if entry else None,
                aliases=[],
                roles=[],
                mentions=[],
                confidence=0.0,
            )
            entities[f.key] = ent
        elif method == "kb" and f.kind == "person" and f.first == f.last:
            method, confidence = "surname", CONFIDENCE["surname"]
        if ent.country is None and f.country and f.kind != "country":
            ent.country = f.country
        if ent.lat is None and f.parent is not None and f.parent.lat is not None:
            ent.lat, ent.lon = f.parent.lat, f.parent.lon  # approximately where its city is
        ent.mentions.append(len(mentions))
        mentions.append(
            ActorMention(
                start=vs,
                end=ve,
                text=text,
                entity=f.key,
                method=method,  # type: ignore[arg-type]
                confidence=confidence,
            )
        )
        ent.confidence = max(ent.confidence, confidence)
        if method in ("kb", "title", "given_name", "pattern") and name not in ent.aliases:
            ent.aliases.append(name)
            if ent.kb_id is None and len(name.split()) > len(ent.name_ar.split()):
                ent.name_ar = name
        if ent.kb_id is None and ent.name_ar == name and f.prefix and word_start is None:
            ent.name_ar = f.prefix + name
        for role in f.roles:
            mention = _role_mention(doc, role)
            if mention is not None and mention not in ent.roles:
                ent.roles.append(mention)
    for ent in entities.values():
        if ent.name_en is None and ent.kind == "person":
            ent.name_en = transliterate(ent.name_ar)
        elif ent.name_en is None and ent.kind == "organization":
            ent.name_en = _org_name_en(ent.name_ar, ent.country)
    doc.mentions = mentions
    doc.entities = entities
