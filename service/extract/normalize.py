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

_DROP = {chr(c) for c in range(0x064B, 0x0660)} | {
    "\u0670",
    "\u0640",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\ufeff",
}
_DROP |= {chr(c) for c in range(0x06D6, 0x06EE)}
_FOLD = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ى": "ي",
    "ی": "ي",
    "ئ": "ي",
    "ة": "ه",
    "ؤ": "و",
    "ک": "ك",
    "ڪ": "ك",
    "\u201c": '"',
    "\u201d": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2018": "'",
    "\u2019": "'",
    "\u2013": "-",
    "\u2014": "-",
    "\u2012": "-",
    "\u2010": "-",
    "\u2011": "-",
    "،": ",",
    "؛": ";",
    "؟": "?",
}
_FOLD.update({chr(0x0660 + d): str(d) for d in range(10)})
_FOLD.update({chr(0x06F0 + d): str(d) for d in range(10)})


def fold_char(ch: str) -> str:
    """The matching form of one character ('' when it is dropped)."""
    if ch in _DROP:
        return ""
    if ch.isspace():
        return " "
    return _FOLD.get(ch, ch).lower()


def fold(text: str) -> str:
    """The matching form of a string: folded characters, single spaces, no outer space."""
    out: list[str] = []
    for ch in text:
        f = fold_char(ch)
        if f == " " and (not out or out[-1] == " "):
            continue
        out.append(f)
    return "".join(out).strip()


def match_key(text: str) -> str:
    """The key aliases are stored and searched under: ``fold`` without punctuation."""
    folded = fold(text)
    cleaned = "".join(ch if ch.isalnum() or ch == " " else " " for ch in folded)
    return " ".join(cleaned.split())


_TABLE = str.maketrans(_FOLD)
_DROP_CLASS = "".join(re.escape(c) for c in sorted(_DROP))
# What cannot be copied one to one: dropped characters (with the whitespace around them),
# runs of two or more whitespace characters, and any whitespace other than a plain space.
_SPECIAL = re.compile(rf"[\s{_DROP_CLASS}]*[{_DROP_CLASS}][\s{_DROP_CLASS}]*|\s{{2,}}|[^\S ]")
_SPACE = re.compile(r"\s")


def _normalize_slowly(text: str) -> tuple[str, list[int]]:
    """The definition, one character at a time (used when lower-casing changes the length)."""
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
    folded = text.translate(_TABLE).lower()
    if len(folded) != len(text):
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
