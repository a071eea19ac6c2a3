"""Casualty counts of violent events: how many were killed and wounded, as the clause says.

A count is a number after a cue ("مقتل 30 شخصاً", "إصابة نحو 100", "استشهد اثنان من رجال
الشرطة") or before a casualty noun ("30 قتيلاً", "100 جريح") or a passive verb ("18 مجنداً ... أصيبوا"). Numbers are digits or number words,
compounds included ("خمسة وعشرين", "ثلاثة عشر"); modifiers ("نحو", "أكثر من") may stand between
the cue and the number. The words live in ``data/event_types.json`` (``casualties``). The same
reader serves the event stage (counts as event attributes) and the cross-article merge (counts
that disagree between sources).
"""

from __future__ import annotations

from functools import cache

import msgspec

from service.extract import datafiles
from service.text import fold

_PREFIXES = ("و", "ف", "ب", "ل")
_MAX_COUNT = 100_000
AFTER_REACH = 10  # tokens from a counted noun to the word that says they were killed or wounded


class Casualties(msgspec.Struct, frozen=True, omit_defaults=True):
    killed: int | None = None
    wounded: int | None = None

    def __bool__(self) -> bool:
        return self.killed is not None or self.wounded is not None


class _Words(msgspec.Struct, frozen=True):
    killed_cues: frozenset[str]
    wounded_cues: frozenset[str]
    killed_nouns: frozenset[str]
    wounded_nouns: frozenset[str]
    killed_after: frozenset[str]
    wounded_after: frozenset[str]
    modifiers: tuple[tuple[str, ...], ...]
    units: dict[str, int]
    ten: frozenset[str]
    teens: dict[str, int]
    tens: dict[str, int]
    duals: frozenset[str]
    dual_killed: frozenset[str]
    dual_wounded: frozenset[str]


@cache
def _words() -> _Words:
    raw = datafiles.event_types().casualties

    def folded(words: list[str]) -> frozenset[str]:
        return frozenset(fold(w) for w in words)

    return _Words(
        killed_cues=folded(raw.killed_cues),
        wounded_cues=folded(raw.wounded_cues),
        killed_nouns=folded(raw.killed_nouns),
        wounded_nouns=folded(raw.wounded_nouns),
        killed_after=folded(raw.killed_after),
        wounded_after=folded(raw.wounded_after),
        modifiers=tuple(sorted((tuple(fold(m).split()) for m in raw.modifiers), key=len, reverse=True)),
        units={fold(k): v for k, v in raw.units.items()},
        ten=folded(raw.ten),
        teens={fold(k): v for k, v in raw.teens.items()},
        tens={fold(k): v for k, v in raw.tens.items()},
        duals=folded(raw.dual_nouns),
        dual_killed=folded(raw.dual_killed),
        dual_wounded=folded(raw.dual_wounded),
    )


def _bare(token: str) -> tuple[str, ...]:
    """The token and its forms without one conjunction or preposition prefix."""
    forms = [token]
    if token[:1] in _PREFIXES and len(token) > 3:
        forms.append(token[1:])
        if token[1:2] in _PREFIXES and len(token) > 4:
            forms.append(token[2:])
    return tuple(forms)


def _digits(tok: str) -> bool:
    return tok.isascii() and tok.isdigit() and len(tok) <= 6


def number_at(tokens: list[str], i: int) -> tuple[int, int] | None:
    """(value, index after the number) of a number written at ``tokens[i]``, else None."""
    if i >= len(tokens):
        return None
    w = _words()
    tok = tokens[i]
    if tok[:1] == "و" and _digits(tok[1:]):
        tok = tok[1:]  # "و80 جريحاً"
    if _digits(tok):
        value = int(tok)
        return (value, i + 1) if 0 < value <= _MAX_COUNT else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if tok in w.teens and nxt in w.ten:
        return 10 + w.teens[tok], i + 2
    if tok in w.units:
        if nxt in w.ten:
            return 10 + w.units[tok], i + 2
        if nxt[:1] == "و" and nxt[1:] in w.tens and w.tens[nxt[1:]] < 100:
            return w.units[tok] + w.tens[nxt[1:]], i + 2
        return w.units[tok], i + 1
    if tok in w.tens:
        return w.tens[tok], i + 1
    if tok in w.duals:
        return 2, i + 1  # "قتل جنديان", "مقتل شخصين": the dual counts its people
    return None


def _skip_modifiers(tokens: list[str], i: int) -> int:
    for words in _words().modifiers:
        if tuple(tokens[i : i + len(words)]) == words:
            return i + len(words)
    return i


def read_casualties(tokens: list[str]) -> Casualties:
    """The first killed and wounded counts in a run of folded tokens."""
    w = _words()
    killed: int | None = None
    wounded: int | None = None
    for i, tok in enumerate(tokens):
        forms = _bare(tok)
        if killed is None and any(f in w.dual_killed for f in forms):
            killed = 2  # "قتيلين"
            continue
        if wounded is None and any(f in w.dual_wounded for f in forms):
            wounded = 2
            continue
        cue_killed = any(f in w.killed_cues for f in forms)
        cue_wounded = not cue_killed and any(f in w.wounded_cues for f in forms)
        if cue_killed or cue_wounded:
            found = number_at(tokens, _skip_modifiers(tokens, i + 1))
            if found is not None:
                if cue_killed and killed is None:
                    killed = found[0]
                elif cue_wounded and wounded is None:
                    wounded = found[0]
                continue
        found = number_at(tokens, i)
        if found is None or (i > 0 and number_at(tokens, i - 1) is not None):
            continue
        value, after = found
        noun = tokens[after] if after < len(tokens) else ""
        if noun in w.killed_nouns and killed is None:
            killed = value
        elif noun in w.wounded_nouns and wounded is None:
            wounded = value
        elif killed is None and any(
            f in w.killed_after for t in tokens[after + 1 : after + AFTER_REACH + 1] for f in _bare(t)
        ):
            killed = value  # "لقي خمسة مدنيين مصرعهم", "اثنين من عناصر الأمن قتلا"
        elif wounded is None and any(
            f in w.wounded_after for t in tokens[after + 1 : after + AFTER_REACH + 1] for f in _bare(t)
        ):
            wounded = value  # "18 مجنداً بالشرطة على الأقل أصيبوا"
    return Casualties(killed, wounded)
