"""Normalisation for matching, with an offset map back to the verbatim text.

``fold`` turns any string into its matching form: diacritics and tatweel removed, alef
variants, alef maqsura, ta marbuta, hamza carriers and Persian letters folded, Arabic-Indic
digits made ASCII, Latin lower-cased, whitespace collapsed. ``normalize`` applies the same
folding to a whole document and records, for every character of ``doc.norm``, the index of
the verbatim character it came from, so matches found in ``norm`` map back to exact spans.
"""

from __future__ import annotations

import re

from service.extract.document import Document
from service.text import DROPPED as _DROP
from service.text import FOLDED as _FOLD
from service.text import fold, fold_char, match_key

__all__ = ["fold", "fold_char", "match_key", "normalize"]


# ``str.translate`` looks every character up in a dict; replacing each folded character that
# occurs is several times faster, and the same because no replacement is itself replaced
_REPLACEMENTS = tuple(_FOLD.items())
assert all(len(v) == 1 and v not in _FOLD for _, v in _REPLACEMENTS)


def _fold_chars(text: str) -> str:
    """``text`` with every ``FOLDED`` character replaced (what ``str.translate`` would give)."""
    for ch, folded in _REPLACEMENTS:
        if ch in text:
            text = text.replace(ch, folded)
    return text


_DROP_CLASS = "".join(re.escape(c) for c in sorted(_DROP))
# What cannot be copied one to one: dropped characters (with the whitespace around them),
# runs of two or more whitespace characters, and any whitespace other than a plain space; i.e.
# every maximal run of whitespace and dropped characters but a lone plain space. Written to start
# with a character class, so the regex engine skips every other character without trying a match
# there (three times faster than the three alternatives it replaces, same matches).
_SPECIAL = re.compile(rf"[\s{_DROP_CLASS}](?:[\s{_DROP_CLASS}]+|(?<! ))")
_SPACE = re.compile(r"\s")


def _normalize_slowly(text: str) -> tuple[str, list[int]]:
    """The definition, one character at a time (used when lower-casing changes the length or
    depends on context)."""
    norm: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        f = fold_char(ch)
        if not f or (f == " " and norm and norm[-1] == " "):
            continue
        norm.extend(f)
        offsets.extend([i] * len(f))
    return "".join(norm), offsets


def normalize(doc: Document) -> None:
    """Fill ``doc.norm`` and ``doc.offsets`` (one verbatim index per norm char, plus a sentinel).

    The same as folding each character with ``fold_char`` and collapsing whitespace runs to one
    space, but the text is translated in one call and only the special runs are walked.
    """
    text = doc.text
    folded = _fold_chars(text).lower()
    if len(folded) != len(text) or "Σ" in text:  # lower() spells a word-final sigma ς in context
        norm, offsets = _normalize_slowly(text)
        doc.norm, doc.offsets = norm, [*offsets, len(text)]
        return
    parts: list[str] = []
    offsets = []
    pos = 0
    last_space = False
    for m in _SPECIAL.finditer(text):
        start, end = m.span()
        if start > pos:
            parts.append(folded[pos:start])
            offsets.extend(range(pos, start))
            last_space = folded[start - 1] == " "
        space = _SPACE.search(text, start, end)
        if space and not last_space:
            parts.append(" ")
            offsets.append(space.start())
            last_space = True
        pos = end
    if pos < len(text):
        parts.append(folded[pos:])
        offsets.extend(range(pos, len(text)))
    offsets.append(len(text))
    doc.norm = "".join(parts)
    doc.offsets = offsets
