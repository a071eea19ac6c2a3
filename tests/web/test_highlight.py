"""Highlights: every mark's text is its span of the source text; overlapping spans nest or split;
the text around them is escaped and kept whole."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from service.web.highlight import Highlight, excerpt_windows, render


class Marks(HTMLParser):
    """The plain text of a rendering and, per (kind, id, start, end), the text of its mark pieces."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.open: list[tuple[str, str, int, int, bool]] = []
        self.pieces: dict[tuple[str, str, int, int], list[str]] = {}
        self.fragments: set[tuple[str, str, int, int]] = set()
        self.depth_max = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag == "mark", tag
        a = dict(attrs)
        key = (a["data-kind"] or "", a["data-id"] or "", int(a["data-start"] or 0), int(a["data-end"] or 0))
        self.open.append((*key, "data-fragment" in a))
        self.pieces.setdefault(key, []).append("")
        if "data-fragment" in a:
            self.fragments.add(key)
        self.depth_max = max(self.depth_max, len(self.open))

    def handle_endtag(self, tag: str) -> None:
        assert tag == "mark"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for kind, ident, start, end, _ in self.open:
            self.pieces[(kind, ident, start, end)][-1] += data


def parse(markup: str) -> Marks:
    parser = Marks()
    parser.feed(str(markup))  # plain str: slices of a Markup would escape what they are joined with
    parser.close()
    assert not parser.open, "unclosed mark"
    return parser


TEXT = "التقى وزير الدفاع السوري نظيره الروسي في موسكو، وقال إن <الزيارة> & ناجحة."


def test_nested_spans_are_nested_marks_whose_text_is_the_quote() -> None:
    sentence = Highlight(0, 47, "event", "evt_1")
    minister = Highlight(6, 24, "actor", "act_1")
    country = Highlight(18, 24, "actor", "act_2")
    parsed = parse(render(TEXT, [country, sentence, minister]))
    assert "".join(parsed.text) == TEXT
    for h in (sentence, minister, country):
        assert parsed.pieces[(h.kind, h.id, h.start, h.end)] == [TEXT[h.start : h.end]]
    assert parsed.depth_max == 3 and not parsed.fragments


def test_coinciding_spans_nest_claim_outside_event() -> None:
    markup = render(TEXT, [Highlight(0, 10, "event", "e"), Highlight(0, 10, "claim", "c")])
    assert markup.startswith('<mark class="hl hl-claim"')
    parsed = parse(markup)
    assert parsed.pieces[("event", "e", 0, 10)] == [TEXT[:10]] == parsed.pieces[("claim", "c", 0, 10)]


def test_a_crossing_span_is_split_into_fragments_that_join_to_the_quote() -> None:
    first, second = Highlight(0, 20, "event", "e"), Highlight(10, 30, "claim", "c")
    parsed = parse(render(TEXT, [first, second]))
    assert "".join(parsed.pieces[("event", "e", 0, 20)]) == TEXT[0:20]
    assert "".join(parsed.pieces[("claim", "c", 10, 30)]) == TEXT[10:30]
    assert parsed.fragments == {("claim", "c", 10, 30)}


def test_text_is_escaped_and_attributes_are_quoted() -> None:
    start = TEXT.index("<")
    end = TEXT.index(">") + 1
    markup = str(render(TEXT, [Highlight(start, end, "claim", 'x"><script>', label="<b>")]))
    assert "<script>" not in markup and "<b>" not in markup
    assert ">&lt;الزيارة&gt;</mark> &amp;" in markup
    assert parse(markup).pieces[("claim", 'x"><script>', start, end)] == ["<الزيارة>"]


def test_window_keeps_only_the_spans_inside_it() -> None:
    parsed = parse(render(TEXT, [Highlight(6, 24, "actor", "a"), Highlight(0, 70, "event", "e")], 5, 30))
    assert "".join(parsed.text) == TEXT[5:30]
    assert list(parsed.pieces) == [("actor", "a", 6, 24)]


def test_spans_outside_the_text_are_not_drawn() -> None:
    assert "mark" not in render("abc", [Highlight(2, 9, "actor", "a"), Highlight(2, 2, "actor", "b")])


def test_excerpt_windows_show_the_paragraph_and_merge() -> None:
    text = "first paragraph\nthe second one has the span here\nthird"
    start = text.index("span")
    assert excerpt_windows(text, [(start, start + 4)]) == [(16, 48)]
    assert excerpt_windows(text, [(0, 5), (start, start + 4)]) == [(0, 15), (16, 48)]
    assert excerpt_windows(text, [(0, 5), (2, 6)]) == [(0, 15)]
    long = "كلمة " * 400
    ((lo, hi),) = excerpt_windows(long, [(1000, 1004)])
    assert lo < 1000 and hi > 1004 and hi - lo < 800 and long[lo - 1] == " "


spans = st.lists(
    st.tuples(st.integers(0, 40), st.integers(1, 15), st.sampled_from(["actor", "role", "event", "claim"])),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="اب تث<&>\u202e\n", min_size=40, max_size=60), raw=spans)
def test_every_highlight_joins_to_its_span_and_the_text_is_whole(text: str, raw: list) -> None:
    highlights = [Highlight(s, min(s + n, len(text)), k, f"id{i}") for i, (s, n, k) in enumerate(raw)]
    parsed = parse(render(text, highlights))
    assert "".join(parsed.text) == text
    drawn = {(h.kind, h.id, h.start, h.end) for h in highlights if h.start < h.end}
    assert set(parsed.pieces) == drawn
    for kind, ident, start, end in drawn:
        assert "".join(parsed.pieces[(kind, ident, start, end)]) == text[start:end]
