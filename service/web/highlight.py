"""Verbatim text with its extracted spans as ``<mark>`` elements.

A mark carries the span's offsets into the source text (``data-start``, ``data-end``) and its text
is the span's quote, since ``text[start:end] == quote`` holds for every stored span. Spans that
share text nest (an actor inside an event's sentence inside a claim); a span that crosses
another's end cannot be one element, so it is written as consecutive pieces that all carry
``data-fragment`` and the same offsets: their texts, joined, are the quote.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

# When two spans cover the same text, the first kind here is the outer element.
KIND_ORDER = ("claim", "event", "role", "actor", "date")
# How far an excerpt reaches around its spans when their paragraph is long (characters).
EXCERPT_CONTEXT = 320


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    kind: str
    id: str
    href: str | None = None
    label: str | None = None

    @property
    def anchor(self) -> str:
        """The element id other pages link to (``/sources/{id}#anchor``)."""
        return span_anchor(self.kind, self.id, self.start)


def span_anchor(kind: str, ident: str, start: int) -> str:
    return f"{kind}-{ident}-{start}"


def _order(h: Highlight) -> tuple[int, int, int, str]:
    rank = KIND_ORDER.index(h.kind) if h.kind in KIND_ORDER else len(KIND_ORDER)
    return (h.start, -h.end, rank, h.id)


def _tokens(
    text: str, highlights: list[Highlight], lo: int, hi: int
) -> list[tuple[str, Highlight | str, bool]]:
    """("text", str, _) / ("open", h, first_piece) / ("close", h, _) in document order."""
    starts: dict[int, list[Highlight]] = {}
    for h in highlights:
        starts.setdefault(h.start, []).append(h)
    bounds = sorted({lo, hi, *(h.start for h in highlights), *(h.end for h in highlights)})
    out: list[tuple[str, Highlight | str, bool]] = []
    stack: list[Highlight] = []
    pos = lo
    for b in bounds:
        if b > pos:
            out.append(("text", text[pos:b], False))
            pos = b
        reopen: list[Highlight] = []
        ending = [i for i, h in enumerate(stack) if h.end == b]
        if ending:
            for h in reversed(stack[ending[0] :]):
                out.append(("close", h, False))
                if h.end != b:
                    reopen.append(h)
            del stack[ending[0] :]
        opening = sorted(reopen + starts.get(b, []), key=lambda h: (-h.end, *_order(h)[2:]))
        for h in opening:
            out.append(("open", h, h.start == b))
            stack.append(h)
    return out


def render(text: str, highlights: Iterable[Highlight], lo: int = 0, hi: int | None = None) -> Markup:
    """``text[lo:hi]`` escaped, with every highlight inside that window as marks."""
    hi = len(text) if hi is None else hi
    chosen = sorted({h for h in highlights if lo <= h.start < h.end <= hi and h.end <= len(text)}, key=_order)
    tokens = _tokens(text, chosen, lo, hi)
    pieces: dict[Highlight, int] = {}
    for kind, h, _ in tokens:
        if kind == "open":
            assert isinstance(h, Highlight)
            pieces[h] = pieces.get(h, 0) + 1
    out: list[str] = []
    for kind, value, first in tokens:
        if kind == "text":
            out.append(str(escape(value)))
        elif kind == "close":
            out.append("</mark>")
        else:
            assert isinstance(value, Highlight)
            out.append(_open_tag(value, first, pieces[value] > 1))
    return Markup("".join(out))


def _open_tag(h: Highlight, first: bool, fragment: bool) -> str:
    attrs = [
        ("class", f"hl hl-{h.kind}"),
        ("data-kind", h.kind),
        ("data-id", h.id),
        ("data-start", str(h.start)),
        ("data-end", str(h.end)),
    ]
    if first:
        attrs.append(("id", h.anchor))
    if fragment:
        attrs.append(("data-fragment", ""))
    if h.href:
        attrs.append(("data-href", h.href))
    if h.label:
        attrs.append(("title", h.label))
    return "<mark " + " ".join(f'{k}="{escape(v)}"' for k, v in attrs) + ">"


def excerpt_windows(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Windows of ``text`` that show each span in its paragraph (long paragraphs cut to
    EXCERPT_CONTEXT characters around the span, at spaces), overlapping windows merged."""
    windows: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        lo = text.rfind("\n", 0, start) + 1
        hi = text.find("\n", end)
        hi = len(text) if hi < 0 else hi
        if start - lo > EXCERPT_CONTEXT:
            cut = text.find(" ", start - EXCERPT_CONTEXT, start)
            lo = cut + 1 if cut >= 0 else start - EXCERPT_CONTEXT
        if hi - end > EXCERPT_CONTEXT:
            cut = text.rfind(" ", end, end + EXCERPT_CONTEXT)
            hi = cut if cut >= 0 else end + EXCERPT_CONTEXT
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], hi))
        else:
            windows.append((lo, hi))
    return windows
