"""Titles that name one person at a time ("خادم الحرمين الشريفين" for the reigning Saudi king).

The Saudi press names the king by this title alone as often as by his name ("وأكد خادم الحرمين
الشريفين أن ...", "أجرى خادم الحرمين الشريفين اتصالاً هاتفياً"). Without a name after it the
title is a mention of the listed person who held it on the article's publication day
(``data/actors/title_holders.json``: title, person, from, to); the mention refers to him by his
office, as an anaphor does, and gives no surname to link later words to. A title followed by a name
("خادم الحرمين الشريفين الملك سلمان") introduces that name and adds nothing; inside another
person's role phrase ("مستشار خادم الحرمين الشريفين") it stays part of the role. An article with
no publication date gets no such mention: the holder changes.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from service.extract import datafiles
from service.extract.actors.knowledge import KbEntry
from service.extract.actors.scan import Found, Scan, is_honorific
from service.text import match_key

Holder = tuple[tuple[str, ...], str, date, date | None]


@cache
def _holders() -> dict[str, tuple[Holder, ...]]:
    """Folded first word -> (folded words, person id, from, to), longest titles first."""
    index: dict[str, list[Holder]] = {}
    for h in datafiles.title_holders().holders:
        words = tuple(match_key(h.title).split(" "))
        index.setdefault(words[0], []).append((words, h.person, h.start, h.end))
    return {k: tuple(sorted(v, key=lambda x: -len(x[0]))) for k, v in index.items()}


@cache
def _first_words() -> tuple[str, ...]:
    """The folded first word of every title (a text without any of them needs no scan)."""
    return tuple(sorted(_holders()))


def _holder_at(scan: Scan, i: int, day: date) -> tuple[int, int, KbEntry] | None:
    """(token count, clitic offset, entry) of a title held on ``day`` starting at token i."""
    index = _holders()
    for offset, stem in scan.variants(i):
        for words, person, start, end in index.get(stem, ()):
            k = len(words)
            if i + k > scan.n or not (start <= day and (end is None or day < end)):
                continue
            if all(scan.tokens[i + m] == words[m] and scan.joined(i + m) for m in range(1, k)):
                entry = scan.kb.entries.get(person)
                if entry is not None:
                    return k, offset, entry
    return None


def _name_follows(scan: Scan, j: int) -> bool:
    """A name (or the title or honorific that introduces one) starts at token j."""
    if j >= scan.n or not scan.joined(j):
        return False
    owner = scan.owner[j]
    return (owner is not None and owner.kind == "person") or scan.in_title[j] or is_honorific(scan, j)


def _alone(scan: Scan, first: int, last: int) -> bool:
    """The title at tokens first..last is no part of another role phrase and names nobody: no
    person right before it ("الأمير محمد بن سلمان ولي ولي العهد") or introduced after it."""
    if any(not scan.free(m) for m in range(first, last + 1)):
        return False
    before = scan.owner[first - 1] if first > 0 and scan.gap(first) in ("", ",") else None
    if before is not None and before.kind == "person":
        return False
    covering = [t for t in scan.titles if t.first <= last and t.last >= first]
    if not covering:
        return not _name_follows(scan, last + 1)
    # read as a role phrase by the titles pass ("ولي العهد" is a role head): a phrase that starts
    # inside the title ("مستشار خادم الحرمين" is another person's role) and was given to nobody
    # (``name_at`` is -1 once a title is given to the person it introduces or follows)
    return all(t.first >= first and t.name_at != -1 for t in covering)


def title_holder_pass(scan: Scan) -> None:
    """Claim each title standing alone as a mention of the person who held it that day."""
    day = scan.doc.publication.date
    firsts = _first_words()
    if day is None or not any(word in scan.doc.norm for word in firsts):
        return
    index = _holders()
    tokens = scan.tokens
    for i in [i for i, t in enumerate(tokens) if any(word in t for word in firsts)]:
        if not scan.free(i) or not any(s in index for _, s in scan.variants(i)):
            continue
        hit = _holder_at(scan, i, day)
        if hit is None:
            continue
        k, offset, entry = hit
        last = i + k - 1
        if not _alone(scan, i, last):
            continue
        scan.claim(
            Found(
                first=i,
                last=last,
                start=scan.starts[i] + offset,
                end=scan.ends[last],
                key="kb:" + entry.id,
                kind="person",
                method="anaphora",
                confidence=0.9,
                kb=entry,
                country=entry.country,
            )
        )
