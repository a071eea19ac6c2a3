"""``text.fold`` (regex and ``str.translate``) is the character-by-character fold it replaced, kept
here as the oracle: on every code point, and on random strings of the characters that matter
(spaces of every kind, dropped marks between them, folded letters, Latin, digits)."""

from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from service.text import DROPPED, FOLDED, fold, fold_char


def reference(text: str) -> str:
    out: list[str] = []
    for ch in text:
        f = fold_char(ch)
        if f == " " and (not out or out[-1] == " "):
            continue
        out.append(f)
    return "".join(out).strip()


def test_only_whitespace_folds_to_a_space_and_nothing_else_folds_to_whitespace() -> None:
    spaces = {c for c in map(chr, range(sys.maxunicode + 1)) if fold_char(c) == " "}
    assert spaces == {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()}  # str.split's
    assert not any(c.isspace() for c in DROPPED)
    assert all(
        not any(x.isspace() for x in fold_char(c))
        for c in map(chr, range(sys.maxunicode + 1))
        if c not in spaces
    )


def test_every_code_point_of_the_scripts_met_alone_and_between_spaces() -> None:
    # Latin, Arabic, the spaces (all below U+3001), the Arabic presentation forms; not all of
    # Unicode: each code point folded stays in fold's table for the life of the process.
    for code in [*range(0x3100), *range(0xFB00, 0x10000)]:
        c = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        for text in (c, f" {c} ", f"a{c}{c}b"):
            assert fold(text) == reference(text), hex(code)


ALPHABET = [
    " ",
    "\t",
    "\n",
    "\u00a0",
    "\u2009",
    "\u3000",
    *sorted(DROPPED)[:8],
    *sorted(FOLDED)[:12],
    "ا",
    "ب",
    "A",
    "İ",
    "ß",
    "7",
    "٣",
    ",",
]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join))
def test_random_strings_fold_as_character_by_character(text: str) -> None:
    assert fold(text) == reference(text)


@given(st.text(max_size=60))
def test_any_text_folds_as_character_by_character(text: str) -> None:
    assert fold(text) == reference(text)
