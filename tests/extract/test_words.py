"""The shared word split of a normalised text and the sentence tokens sliced from it."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from service.extract.document import Token
from service.extract.text.clauses import _TOKEN_RE, _NormWords
from service.extract.text.words import WORD_RE, split_words

_PIECES = st.sampled_from(["قال", "الوزير", "وزارة", " ", "،", ".", "_", "2015", "ab", "\n", "  ", "-", "ـ"])


@given(st.lists(_PIECES, max_size=14))
def test_split_words_gives_the_words_and_the_runs_between_them(pieces: list[str]) -> None:
    text = "".join(pieces)
    parts, bounds = split_words(text)
    assert list(parts[1::2]) == WORD_RE.findall(text)
    assert list(parts[0::2]) == WORD_RE.split(text)
    spans = [(bounds[k], bounds[k + 1]) for k in range(0, len(bounds) - 1, 2)]
    assert spans == [m.span() for m in WORD_RE.finditer(text)]


@given(st.lists(_PIECES, max_size=14), st.integers(0, 60), st.integers(0, 60))
def test_sentence_tokens_are_the_tokens_matched_in_the_span(pieces: list[str], a: int, b: int) -> None:
    # spans that cut a word, and texts with an underscore (a word to ``_TOKEN_RE``, a break to
    # ``WORD_RE``), fall back to matching the span itself
    text = "".join(pieces)
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    expected = [Token(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(text, start, end)]
    assert _NormWords(text).tokens(start, end) == expected


def test_a_span_that_cuts_a_word_keeps_the_part_inside_it() -> None:
    text = "قال الوزير"
    assert _NormWords(text).tokens(6, len(text)) == [Token(6, 10, "وزير")]
    assert re.fullmatch(r"\w+", "وزارة_الداخلية")
    assert [t.text for t in _NormWords("وزارة_الداخلية قالت").tokens(0, 19)] == ["وزارة_الداخلية", "قالت"]
