"""Organisation passes that run around the head-noun pass (``scan.org_pass``).

- ``dotted_abbreviation_pass``: a listed abbreviation written with dots ("د.ب.أ", "أ.ف.ب");
- ``ministry_domain_pass``: a ministry named by its domain alone ("بيان للداخلية", "الخارجية
  الأمريكية");
- ``leader_countries``: the country that leads a body named with it ("التحالف الدولي بقيادة
  الولايات المتحدة") is a country mention too;
- ``link_outlet_heads``: one outlet under two heads ("تلفزيون المنار" / "قناة المنار");
- ``link_described_listed``: a listed body with a describing adjective ("تنظيم الإخوان الإرهابي");
- ``link_shortened_forms``: a body's name cut short later in the article ("حزب العمال" after
  "حزب العمال الكردستاني");
- ``kingdom_pass``: a bare "المملكة" is the kingdom the article named, else the outlet's;
- ``eponym_pass``: a body named after a king, prince or sheikh ("جامعة الملك سعود");
- ``quoted_name_pass``: a head noun and a quoted name ("صحيفة «سبق»", "شركة "سامسونج"").

Each reads and changes only the ``Scan`` of one document.
"""

from __future__ import annotations

import re
from functools import lru_cache

from service.extract import datafiles
from service.extract.actors.knowledge import KbEntry, knowledge, strip_article
from service.extract.actors.names import listed_name_word
from service.extract.actors.scan import Found, Scan, demonym_at, release, span_of
from service.text import match_key

EPONYM_CATEGORY = "institution"  # an eponym head that is no organisation head ("مركز", "كلية")
KINGDOM = "المملكه"  # folded
MINISTRY = "وزاره"  # folded
MINISTRY_AR = "وزارة "  # the display name's head ("وزارة الداخلية" for "بيان للداخلية")
# "د.ب": a letter, a dot, a letter, each letter alone; written from the dot so that a search jumps
# from dot to dot instead of trying a look-behind at every character
_DOTTED_RE = re.compile(r"\.(?<=(?<![^\W\d_])[^\W\d_]\.)[^\W\d_](?![^\W\d_])")


@lru_cache(maxsize=8)
def _spellings(stems: frozenset[str]) -> frozenset[str]:
    """Every written form of the stems with proclitics (و ف, then ب ل ك; "لل" for ل + ال), so a
    pass looks only at the tokens that can be one of them."""
    out: set[str] = set()
    for stem in stems:
        bases = {stem, "ب" + stem, "ل" + stem, "ك" + stem}
        if stem.startswith("ال"):
            bases.add("ل" + stem[1:])
        out |= bases | {c + b for b in bases for c in ("و", "ف")}
    return frozenset(out)


def _candidates(scan: Scan, stems: frozenset[str]) -> list[int]:
    """Indices of the tokens that may be one of the stems with proclitics."""
    spellings = _spellings(stems)
    if spellings.isdisjoint(scan.tokens):
        return []
    return [i for i, token in enumerate(scan.tokens) if token in spellings]


def dotted_abbreviation_pass(scan: Scan) -> None:
    """Single letters joined by dots ("د.ب.أ") that spell a listed alias ("د ب أ")."""
    kb = scan.kb
    if not _DOTTED_RE.search(scan.doc.norm):
        return
    i = 0
    while i < scan.n:
        j = i
        while j + 1 < scan.n and len(scan.tokens[j]) == 1 and scan.gap(j + 1) == "." and scan.free(j + 1):
            j += 1
        if j > i and len(scan.tokens[j]) == 1 and scan.free(i):
            ids = kb.alias_index.get(" ".join(scan.tokens[i : j + 1]), ())
            entry = kb.entries[ids[0]] if ids else None
            if entry is not None and entry.kind == "organization":
                start, end = span_of(scan, i, j)
                scan.claim(_listed(i, j, start, end, entry, 0.9))
        i = j + 1


def _listed(first: int, last: int, start: int, end: int, entry: KbEntry, confidence: float) -> Found:
    return Found(
        first=first,
        last=last,
        start=start,
        end=end,
        key="kb:" + entry.id,
        kind=entry.kind,
        method="kb",
        confidence=confidence,
        kb=entry,
        country=entry.country,
        category=entry.category,
    )


def _claim_body(scan: Scan, first: int, last: int, offset: int, words: list[str], **kw: object) -> None:
    """Claim tokens ``first`` .. ``last`` as the one listed organisation named ``words``, else as
    an unlisted organisation keyed by them (``kw``: its confidence, prefix, country, category)."""
    kb = scan.kb
    start, end = span_of(scan, first, last, offset)
    ids = [e for e in kb.alias_index.get(" ".join(words), ()) if kb.entries[e].kind == "organization"]
    if len(ids) == 1:
        scan.claim(_listed(first, last, start, end, kb.entries[ids[0]], 0.8))
        return
    scan.claim(
        Found(
            first=first,
            last=last,
            start=start,
            end=end,
            key="new:" + " ".join(words),
            kind="organization",
            method="pattern",
            **kw,  # type: ignore[arg-type]
        )
    )


def ministry_domain_pass(scan: Scan) -> None:
    """ "وأوضح بيان للداخلية", "قالت الخارجية الأمريكية": a domain word (``ministry_domains``)
    is its ministry after a statement noun (``ministry_domain_cues``) or before a feminine
    nisba; it is the listed ministry when one is listed under that name, else it shares the key
    of "وزارة <domain> [<nisba>]" so the two forms of one article are one actor. A domain word
    that is an adjective ("السوق المالية"), inside a title ("وزير الداخلية") or taken is none."""
    kb = scan.kb
    for i in _candidates(scan, kb.ministry_domains):
        if not scan.free(i) or scan.in_title[i]:
            continue
        hit = next(((off, st) for off, st in scan.variants(i) if st in kb.ministry_domains), None)
        if hit is None:
            continue
        offset, domain = hit
        nisba = None
        if i + 1 < scan.n and scan.joined(i + 1) and scan.tokens[i + 1].endswith("يه"):
            nisba = demonym_at(scan, i + 1)
        before = scan.tokens[i - 1] if i > 0 and scan.joined(i) else ""
        cue = any(st in kb.ministry_domain_cues for _, st in scan.variants(i - 1)) if before else False
        if nisba is None and not cue:
            continue
        if before.startswith("ال") and not cue:
            continue  # "السوق المالية السعودية": an adjective of the noun before
        last = i + 1 if nisba is not None else i
        words = [MINISTRY, *scan.tokens[i + 1 : last + 1]]
        words.insert(1, domain)
        if nisba is not None and scan.owner[last] is not None:
            continue  # the nisba word is already an actor of its own
        start = span_of(scan, i, last, offset)[0]
        _claim_body(
            scan,
            i,
            last,
            offset,
            words,
            confidence=0.7,
            prefix=MINISTRY_AR + ("ا" if scan.doc.norm[start - 1 : start + 1] == "لل" else ""),
            country=nisba if nisba is not None and nisba.startswith("country.") else None,
            category="ministry",
        )


def leader_countries(scan: Scan) -> None:
    """A listed country after "بقيادة" inside an organisation's name ("التحالف الدولي بقيادة
    الولايات المتحدة") is mentioned there as well: the coalition keeps its name, the country
    gets its own mention (its tokens stay the organisation's)."""
    kb = scan.kb
    covered = {(f.first, f.last) for f in scan.found if f.kind == "country"}
    for f in [f for f in scan.found if f.kind == "organization" and f.last > f.first]:
        for t in range(f.first + 1, f.last):
            if scan.tokens[t] not in kb.led_by:
                continue
            for last in range(f.last, t, -1):
                ids = kb.alias_index.get(" ".join(scan.tokens[t + 1 : last + 1]), ())
                entry = kb.entries[ids[0]] if ids else None
                if entry is not None and entry.kind == "country" and (t + 1, last) not in covered:
                    start, end = span_of(scan, t + 1, last)
                    scan.found.append(_listed(t + 1, last, start, end, entry, 0.9))
                    covered.add((t + 1, last))
                    break


@lru_cache(maxsize=1)
def outlet_heads() -> tuple[str, ...]:
    """Heads an outlet is named under, interchangeably ("قناة", "تلفزيون", "فضائية"), folded."""
    cues = datafiles.claim_cues()
    return tuple(
        dict.fromkeys(strip_article(match_key(h)) for h in (*cues.outlet_heads, *cues.broadcaster_heads))
    )


def link_outlet_heads(scan: Scan) -> None:
    """An unlisted outlet named under another head than the listed one ("تلفزيون المنار" for the
    listed "قناة المنار") is the listed outlet, when exactly one listed outlet has that name."""
    kb = scan.kb
    heads = outlet_heads()
    for f in scan.found:
        if f.kind != "organization" or f.kb is not None or not f.key.startswith("new:"):
            continue
        head, _, rest = f.key[4:].partition(" ")
        if head not in heads or not rest:
            continue
        ids = {
            e
            for h in heads
            for e in kb.alias_index.get(f"{h} {rest}", ())
            if kb.entries[e].kind == "organization" and kb.entries[e].category in ("outlet", "agency")
        }
        if len(ids) == 1:
            entry = kb.entries[ids.pop()]
            old = f.key
            for g in scan.found:
                if g.key == old:
                    g.key, g.kb, g.country, g.method = "kb:" + entry.id, entry, entry.country, "kb"


def link_described_listed(scan: Scan) -> None:
    """An unlisted organisation that is a listed one with describing adjectives after it
    ("تنظيم الإخوان الإرهابي", "جماعة الحوثي المسلحة"; ``generic_force_words``) is the listed one."""
    kb = scan.kb
    for f in scan.found:
        if f.kind != "organization" or f.kb is not None or not f.key.startswith("new:"):
            continue
        words = f.key[4:].split(" ")
        while len(words) > 1 and words[-1] in kb.generic_force_words:
            words.pop()
        if len(words) == len(f.key[4:].split(" ")):
            continue
        forms = [" ".join(words)]
        if words[0] in kb.org_descriptor_heads and len(words) > 1:  # "تنظيم الإخوان": "جماعة الإخوان"
            rest = " ".join(words[1:])
            forms += [rest, *(f"{head} {rest}" for head in sorted(kb.org_descriptor_heads))]
        ids = sorted(
            {
                e
                for form in forms
                for e in kb.alias_index.get(form, ())
                if kb.entries[e].kind == "organization"
            }
        )
        if len(ids) == 1:
            entry = kb.entries[ids[0]]
            old = f.key
            for g in scan.found:
                if g.key == old:
                    g.key, g.kb, g.country, g.method = "kb:" + entry.id, entry, entry.country, "kb"


def link_shortened_forms(scan: Scan) -> None:
    """An unlisted organisation of two or more words whose words begin the name of exactly one
    other organisation of the article ("حزب العمال" and "حزب العمال الكردستاني", "جبهة تحرير" and
    "جبهة تحرير مورو الإسلامية") is that organisation, cut short."""
    orgs = [f for f in scan.found if f.kind == "organization" and f.method != "anaphora"]
    names: dict[str, tuple[list[str], Found]] = {}
    for f in orgs:
        words = match_key(scan.doc.norm[f.start : f.end]).split(" ")
        words[0] = strip_article(words[0])
        if f.key not in names or len(words) > len(names[f.key][0]):
            names[f.key] = (words, f)
    for f in orgs:
        if f.kb is not None or not f.key.startswith("new:"):
            continue
        short = f.key[4:].split(" ")
        if len(short) < 2:
            continue
        longer = {
            key
            for key, (words, _) in names.items()
            if key != f.key and len(words) > len(short) and words[: len(short)] == short
        }
        if len(longer) == 1:
            target = names[longer.pop()][1]
            old = f.key
            for g in scan.found:
                if g.key == old:
                    g.key, g.kb, g.country = target.key, target.kb, target.country or g.country


def kingdom_pass(scan: Scan) -> None:
    """A bare "المملكة" ("زيارته للمملكة", "مندوب المملكة الدائم") is the last kingdom of
    ``kingdom_countries`` named before it in the article (by name, or as the country of a body
    named before it: "الجمارك السعودية"), else the outlet's own country when it
    is one of them (a Saudi paper's "المملكة"); a kingdom named by its full name ("المملكة
    المتحدة", "المملكة المغربية") is the knowledge base's already."""
    kb = scan.kb
    if KINGDOM not in scan.doc.norm or not kb.kingdom_countries:
        return
    kingdoms = set(kb.kingdom_countries)
    named = sorted(
        [(f.start, f.kb.id) for f in scan.found if f.kind == "country" and f.kb and f.kb.id in kingdoms]
        # a body named with the kingdom's nisba ("الجمارك السعودية") names the kingdom too
        + [(f.start, f.country) for f in scan.found if f.method == "pattern" and f.country in kingdoms]
    )
    home = _outlet_country(scan)
    for i in _candidates(scan, frozenset({KINGDOM})):
        if not scan.free(i) or scan.in_title[i]:
            continue
        offset = next((off for off, st in scan.variants(i) if st == KINGDOM), None)
        if offset is None:
            continue
        if i + 1 < scan.n and scan.joined(i + 1) and demonym_at(scan, i + 1):
            continue  # "المملكة الأردنية" not listed under that form: leave it
        earlier = [kid for pos, kid in named if pos < scan.starts[i]]
        target = earlier[-1] if earlier else home if home in kingdoms else None
        if target is None or target not in kb.entries:
            continue
        start, end = span_of(scan, i, i, offset)
        scan.claim(_listed(i, i, start, end, kb.entries[target], 0.7))


def _outlet_country(scan: Scan) -> str | None:
    doc, kb = scan.doc, scan.kb
    outlet = doc.meta.outlet or doc.outlet
    if not outlet:
        return None
    for e in kb.alias_index.get(match_key(outlet), ()):
        entry = kb.entries[e]
        if entry.kind == "organization" and entry.country:
            return entry.country
    return None


def eponym_pass(scan: Scan) -> None:
    """An institution noun (``eponym_heads``), an ``eponym_honorifics`` word and a name ("جامعة الملك سعود",
    "مؤسسة الملك فيصل الخيرية", "مدير جامعة الأمير سطام") is a body named after that person: the
    head-noun pass stops at the honorific, and the person read there is the eponym, not an actor
    of the article. A listed body under that name is the listed one."""
    kb = scan.kb
    if not kb.eponym_honorifics or kb.eponym_honorifics.isdisjoint(scan.tokens):
        return
    for i in range(scan.n - 2):
        honorific = scan.tokens[i + 1]
        if honorific not in kb.eponym_honorifics or not scan.joined(i + 1) or not scan.joined(i + 2):
            continue
        if scan.owner[i] is not None or scan.skip[i]:
            continue
        hit = next(((off, st) for off, st in scan.variants(i) if st in kb.eponym_heads), None)
        if hit is None:
            continue  # only an indefinite head in construct: "الجامعة الملك" is no name
        offset, stem = hit
        head = kb.org_heads.get(stem)
        person = _person_from(scan, i + 1)
        if person is not None:
            last = person.last
        elif scan.free(i + 1) and scan.free(i + 2) and scan.tokens[i + 2] in kb.given:
            last = i + 2
        else:
            continue
        while last + 1 < scan.n and scan.joined(last + 1) and scan.free(last + 1):
            if scan.tokens[last + 1] not in kb.org_adjectives:
                break
            last += 1
        last = _purpose_phrase(scan, last)
        if person is not None:
            release(scan, person)
        words = [stem, *scan.tokens[i + 1 : last + 1]]
        _claim_body(
            scan,
            i,
            last,
            offset,
            words,
            confidence=0.7,
            category=head.category if head is not None else EPONYM_CATEGORY,
        )


def _purpose_phrase(scan: Scan, last: int) -> int:
    """The end of a purpose phrase that continues an institution's name ("مؤسسة الملك عبدالعزيز
    للموهبة والإبداع", "مركز الأمير سلمان للشباب"): one "لل" word and the definite words joined
    to it by "و" (at most three); a purpose of an action ("للتعامل مع") is none."""
    k = last + 1
    if k >= scan.n or not scan.joined(k) or not scan.free(k) or not scan.tokens[k].startswith("لل"):
        return last
    if k + 1 < scan.n and scan.tokens[k + 1] in scan.kb.purpose_prepositions:
        return last
    end = k
    while end + 1 < scan.n and end - k < 3 and scan.joined(end + 1) and scan.free(end + 1):
        if not scan.tokens[end + 1].startswith("وال"):
            break
        end += 1
    return end


def _person_from(scan: Scan, j: int) -> Found | None:
    """The person read at the honorific j or right after it, not listed in the knowledge base."""
    for k in (j, j + 1):
        owner = scan.owner[k]
        if owner is not None and owner.first == k and owner.kind == "person" and owner.kb is None:
            return owner if k == j or scan.free(j) else None
    return None


@lru_cache(maxsize=1)
def quoted_name_heads() -> dict[str, str]:
    """Folded head nouns that take a quoted name, with the category of the body they name: the
    name-taking organisation heads and the outlet heads of ``claim_cues.json`` ("موقع", "مجلة")."""
    kb_heads = {
        k: h.category for k, h in knowledge().org_heads.items() if not (h.numbered or h.organ or h.nisba_only)
    }
    return {**dict.fromkeys(outlet_heads(), "outlet"), **kb_heads}


def quoted_name_pass(scan: Scan) -> None:
    """An indefinite head noun and a quoted name of one to three words ("صحيفة «سبق» الإلكترونية",
    "شركة "سامسونج"", "موقع "ميدل إيست آي""): the body of that name, when no rule read the name.
    The mention is the quoted name (the head describes it); a listed name is the listed body; a
    social platform ("عبر موقع «تويتر»") is a channel and no actor."""
    if '"' not in scan.doc.norm:
        return
    kb = scan.kb
    heads = quoted_name_heads()
    for i in range(scan.n - 1):
        if not scan.free(i) or not scan.gap(i + 1).startswith('"') or not scan.free(i + 1):
            continue
        stem = next((st for _, st in scan.variants(i) if st in heads), None)
        last = _quoted_end(scan, i + 1) if stem is not None else None
        if stem is None or last is None:
            continue
        name = " ".join(scan.tokens[i + 1 : last + 1])
        if name in social_platforms() or _names_a_person(scan, i + 1, last, name):
            continue
        start, end = span_of(scan, i + 1, last)
        ids = [
            e
            for form in (name, f"{strip_article(stem)} {name}")
            for e in kb.alias_index.get(form, ())
            if kb.entries[e].kind == "organization"
        ]
        if ids:  # "تنظيم "القاعدة"", "صحيفة «سبق»": the listed body
            scan.claim(_listed(i + 1, last, start, end, kb.entries[ids[0]], 0.9))
            continue
        scan.claim(
            Found(
                first=i + 1,
                last=last,
                start=start,
                end=end,
                key=f"new:{strip_article(stem)} {name}",
                kind="organization",
                method="pattern",
                confidence=0.8,
                category=heads[stem],
            )
        )


def _names_a_person(scan: Scan, first: int, last: int, name: str) -> bool:
    """The quoted name is a person's: a listed person, or one listed given name ("ميليشيات
    "صالح"", "قوات "حفتر"": a body named after its leader is told by the person, not a new body)."""
    kb = scan.kb
    if any(kb.entries[e].kind == "person" for e in kb.alias_index.get(name, ())):
        return True
    return first == last and listed_name_word(scan, first)


@lru_cache(maxsize=1)
def social_platforms() -> frozenset[str]:
    """Platform names among the ``social_media`` channel words of ``claim_cues.json``, folded."""
    return frozenset(match_key(w) for w in datafiles.claim_cues().channels.get("social_media", []))


def _quoted_end(scan: Scan, j: int) -> int | None:
    """The last token of a quoted name of one to three free words that opens at token j."""
    k = j
    while k < scan.n and k - j < 3 and scan.free(k) and (k == j or scan.joined(k)):
        if k + 1 >= scan.n or scan.gap(k + 1).startswith('"'):
            return k
        k += 1
    return None
