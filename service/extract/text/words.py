"""The words of a normalised text and the runs between them, split once per text.

The actor stage (``Scan``) and the clause stage (each sentence's tokens) both read the words of
``doc.norm``. A regex pass over Arabic text costs about 2,000 instructions a word, so the split is
memoised for the last text asked about: ``split_words`` is a pure function of its argument, and
the result is the same with or without the memo.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

WORD_RE = re.compile(r"[^\W_]+")
"""A word: letters and digits (``\\w`` without the underscore)."""
_WORDS_AND_GAPS_RE = re.compile(r"([^\W_]+)")  # ``WORD_RE`` captured: split gives gap, word, gap ...


class SplitText(NamedTuple):
    """``parts``: the text before the first word, the first word, the text between it and the
    next, ... and the text after the last word (always an odd count); ``bounds``: the running
    sum of their lengths, so word k is ``parts[2k + 1]`` at [``bounds[2k]``, ``bounds[2k + 1]``)."""

    parts: tuple[str, ...]
    bounds: tuple[int, ...]


@lru_cache(maxsize=1)
def split_words(norm: str) -> SplitText:
    """The words of ``norm`` (``WORD_RE``) and the runs between them, from one regex pass; each
    word's offsets are the running sum of the lengths (no match object per word)."""
    parts = tuple(_WORDS_AND_GAPS_RE.split(norm))
    return SplitText(parts, tuple(accumulate(map(len, parts))))
