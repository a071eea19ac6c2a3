"""Arabic folding and match keys, shared by extraction (``service.extract``) and the database layer.

``fold`` turns any string into its matching form: diacritics and tatweel removed, alef
variants, alef maqsura, ta marbuta, hamza carriers and Persian letters folded, Arabic-Indic
digits made ASCII, Latin lower-cased, whitespace collapsed. ``match_key`` is ``fold`` without
punctuation: the key aliases are stored and searched under.
"""

from __future__ import annotations

from functools import lru_cache

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


class _FoldTable(dict[int, str]):
    """``fold_char`` of each code point, for ``str.translate``, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """The matching form of a string: folded characters, single spaces, no outer space.

    Runs of whitespace become one space before the characters are folded (so a dropped character
    between two spaces keeps them two, as folding character by character does), all in C: the
    merge and the extractor fold every quote and name they compare. ``fold_char`` makes exactly
    the whitespace a space, and no dropped character is whitespace (``tests/test_text_fold.py``)."""
    return " ".join(text.split()).translate(_TABLE).strip()


@lru_cache(maxsize=1 << 16)
def match_key(text: str) -> str:
    """The key aliases are stored and searched under: ``fold`` without punctuation (cached: the
    extractor asks for the keys of the same names many times per article)."""
    folded = fold(text)
    cleaned = "".join(ch if ch.isalnum() or ch == " " else " " for ch in folded)
    return " ".join(cleaned.split())


__all__ = ["DROPPED", "FOLDED", "fold", "fold_char", "match_key"]

DROPPED = _DROP
FOLDED = _FOLD
