"""Segmentation: paragraphs, sentences, headlines, bylines, datelines and boilerplate.

Lines are grouped into paragraphs first: a line that cannot end a paragraph (it ends on a
comma or a function word, or the article is hard-wrapped and the line is not a heading) is
joined with the next one. Short unpunctuated paragraphs are headings; body paragraphs are
split into sentences at sentence-final punctuation. Standalone timestamp lines, "X – Name:" bylines and
"City –" datelines become their own segments and give the publication date, outlet and
author when the manifest did not. Layout vocabulary lives in ``data/calendar_layout.json``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import pairwise

import msgspec

from service.extract import datafiles
from service.extract.document import Document, Publication, Segment, SegmentKind
from service.extract.text.dates import WEEKDAYS, FoundDate, scan_dates
from service.text import fold

_DATA = datafiles.layout()


def _words(words: list[str]) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


def _alt(words: frozenset[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


BOILERPLATE = _words(_DATA.boilerplate)
BYLINE_CUES = _words(_DATA.byline_cues)
DATELINE_PLACES = _words(_DATA.dateline_places)
CONTINUATION_WORDS = _words(_DATA.continuation_words)
_BOILERPLATE_LABEL_RE = re.compile(rf"(?:{_alt(BOILERPLATE)}) ?:")
_BOILERPLATE_PREFIXES = tuple(phrase + " " for phrase in BOILERPLATE if " " in phrase)
_TIMESTAMP_NOISE = (
    _words(_DATA.timestamp_cues)
    | _words(_DATA.time_suffixes)
    | _words(_DATA.hijri_months)
    | frozenset(WEEKDAYS)
)
_SENTENCE_END = "".join(fold(ch) for ch in _DATA.sentence_end)
_CLOSERS = "".join(_DATA.closers)
_CONJUNCTIONS = "".join(_DATA.sentence_conjunctions)
_HEADING_WORDS: int = _DATA.heading_max_words
_HEADING_CHARS: int = _DATA.heading_max_chars
_WRAP_MAX_CHARS: int = _DATA.wrap_max_chars

_PLACE_RE = re.compile(rf"(?P<place>{_alt(DATELINE_PLACES)})(?!\w)")
_DATELINE_RE = re.compile(
    rf"(?P<lead>[^-:]{{1,60}}?) ?[-:](?: ?(?:{_alt(_words(_DATA.dateline_agencies))})(?!\w) ?[-:]?)?(?: |$)"
)
_BYLINE_DASH_RE = re.compile(r"^(?P<head>[^-:]{1,40}?) ?- ?(?P<name>[^-:,.]{3,60}?) ?:?$")
_BYLINE_CUE_RE = re.compile(rf"^(?:{_alt(BYLINE_CUES)}) ?[:-]? ?(?P<name>[^:,.]{{3,60}}?) ?:?$")
_DIGIT_RE = re.compile(r"\d")
_NUMBER_RE = re.compile(r"(?<!\w)\d+(?!\w)")
_BULLET_RE = re.compile(rf"(?:[{re.escape(''.join(_DATA.bullets))}]|\d{{1,2}}[.)-])")
_TIME_RE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_NOISE_RE = re.compile(rf"(?<!\w)(?:{_alt(_TIMESTAMP_NOISE)})(?!\w)")
_PUNCT_RE = re.compile(r"[^\w\s]")
_SENTENCE_RE = re.compile(rf"[{re.escape(''.join(_DATA.sentence_end))}]+[{re.escape(_CLOSERS)}]*(?=\s|$)")
_SLASH_DATELINE_RE = re.compile(
    rf"(?P<lead>[^-:/]{{1,60}}?) ?/ ?(?:{_alt(_words(_DATA.dateline_agencies))}) ?/ ?(?:[-:] ?)?"
)
# "طوكيو - 21 - 3 (كونا) --", "عمان 5 آذار (بترا) -": place, an optional date, the agency in
# brackets, then an optional dash or two
_BRACKET_DATELINE_RE = re.compile(
    rf"(?P<lead>[^()]{{1,40}}?) ?\((?:{_alt(_words(_DATA.dateline_agencies))})\) ?(?:-{{1,2}} ?|: ?)?"
)
# "واس- القدس:": SPA's own order, the agency before the place, then a colon or dash
_AGENCY_DATELINE_RE = re.compile(
    rf"(?:{_alt(_words(_DATA.dateline_agencies))}) ?[-–] ?(?P<lead>[^-–:]{{1,40}}?) ?[:–-] ?"
)
_NUMERIC_DATE_RE = re.compile(r"[\d\s/.-]+")
_SLASH_BYLINE_RE = re.compile(
    r"^(?P<head>[^/]{2,30}?) ?/ ?(?P<name>[^/]{3,40}?) ?/ ?(?P<agency>[^/]{2,30}?)$"
)
_QUOTED_OUTLET_RE = re.compile(r'"(?P<name>[^"\n]{2,40})" ?[:-]?(?: |$)')
_NAME_OK = re.compile(r"^[^\W\d_]+(?: [^\W\d_]+){1,4}$")


class _AtWordStart:
    """``re.compile("(?:^| )" + body).search``, found as a match of ``body`` at the start of the
    text or a search for " " + ``body``: a pattern that begins with a literal lets the search jump
    to the next space, where one that begins with "^ or a space" is tried at every character.
    The same match (start and end) either way."""

    def __init__(self, body: str) -> None:
        self._at_start = re.compile(body)
        self._after_space = re.compile(" " + body)

    def search(self, text: str) -> re.Match[str] | None:
        return self._at_start.match(text) or self._after_space.search(text)


_TRAILER_RE = _AtWordStart(rf"(?:{_alt(_words(_DATA.trailers))})(?!\w)(?: ?[^\s:]+){{0,3}} ?: ?")
_TAGS_RE = _AtWordStart(
    rf"(?:{_alt(_words(_DATA.trailer_tags))})(?: [^\s{re.escape(''.join(_DATA.sentence_end))}:،,]+){{1,{_DATA.trailer_max_words}}} ?$"
)


class Line(msgspec.Struct):
    """One non-blank line: verbatim [start, end), its folded text and layout facts."""

    start: int
    end: int
    norm: str
    norm_start: int
    after_blank: bool
    words: int = 0
    kind: SegmentKind | None = None
    date: FoundDate | None = None


def _lines(doc: Document) -> list[Line]:
    lines: list[Line] = []
    pos, blank = 0, True
    last = len(doc.text.rstrip())  # a tag list ends the article
    for raw in doc.text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            start = pos + len(body) - len(body.lstrip())
            end = pos + len(body.rstrip())
            ns, ne = bisect_left(doc.offsets, start), bisect_left(doc.offsets, end)
            norm = doc.norm[ns:ne]
            lead = len(norm) - len(norm.lstrip())
            norm = norm.strip()
            lines.extend(_footer_split(doc, Line(start, end, norm, ns + lead, blank), pos + len(raw) >= last))
            blank = False
        else:
            blank = True
        pos += len(raw)
    return lines


def _footer_split(doc: Document, line: Line, at_end: bool) -> list[Line]:
    """A line, or the line cut before an outlet footer appended to it ("... النص. رابط الخبر بصحيفة
    الوئام: <the headline>", a closing tag list "سمات X Y"): the footer's label is boilerplate, and
    so is the headline it repeats (read again, it made a second event or quote of the article's
    own story; the title comes from the manifest)."""
    norm = line.norm
    line.words = norm.count(" ") + 1 if norm else 0
    link = _TRAILER_RE.search(norm)
    trailer = link or (_TAGS_RE.search(norm) if at_end else None)
    if trailer is None:
        return [line]
    cut = trailer.start() + (norm[trailer.start()] == " ")
    out: list[Line] = []
    if cut > 0:
        body = norm[:cut].rstrip()
        end = doc.offsets[line.norm_start + len(body) - 1] + 1
        out.append(Line(line.start, end, body, line.norm_start, line.after_blank, body.count(" ") + 1))
    rest = trailer.end() if link is not None and trailer.end() < len(norm) else len(norm)
    label_norm = norm[cut:rest].rstrip()
    label_end = doc.offsets[line.norm_start + cut + len(label_norm) - 1] + 1
    label = Line(doc.offsets[line.norm_start + cut], label_end, label_norm, line.norm_start + cut, False, 1)
    label.kind = "boilerplate"
    out.append(label)
    if rest < len(norm):
        headline = Line(
            doc.offsets[line.norm_start + rest], line.end, norm[rest:], line.norm_start + rest, False
        )
        headline.words, headline.kind = norm[rest:].count(" ") + 1, "boilerplate"
        out.append(headline)
    return out


def _bare(norm: str) -> str:
    return " ".join(_PUNCT_RE.sub(" ", norm).split())


def _is_boilerplate(line: Line) -> bool:
    if line.words > 2 * _DATA.boilerplate_max_words:
        return False
    norm = line.norm
    bare = _bare(norm)
    if bare in BOILERPLATE or _BOILERPLATE_LABEL_RE.match(norm):
        return True
    if norm.rstrip(_CLOSERS)[-1:] in _SENTENCE_END or len(bare.split()) > _DATA.boilerplate_max_words:
        return False
    return bare.startswith(_BOILERPLATE_PREFIXES)


def _timestamp(line: Line) -> FoundDate | None:
    """The date of a line that holds nothing but a date, a time and cue words."""
    if line.words > 12 or not _DIGIT_RE.search(line.norm):
        return None
    found = [f for f in scan_dates(line.norm) if f.basis == "explicit" and f.precision == "day"]
    if not found:
        return None
    rest = line.norm
    for f in reversed(found):
        rest = rest[: f.start] + " " + rest[f.end :]
    rest = _NUMBER_RE.sub(" ", _NOISE_RE.sub(" ", _TIME_RE.sub(" ", rest)))
    return None if _bare(rest) else found[0]


def _kb_is_place(name: str) -> bool:
    """Whether the actor knowledge base (when present) knows ``name`` as a place."""
    try:
        from service.extract.actors.knowledge import lookup_alias

        return any(entry.kind == "place" for entry in lookup_alias(name))
    except Exception:  # the knowledge base is optional here: fall back to the dateline list
        return False


def _is_place(name: str) -> bool:
    return name in DATELINE_PLACES or _kb_is_place(name)


def _place_prefix(lead: str) -> int:
    """Length of the place name that opens ``lead`` (0 when it does not open with a place)."""
    m = _PLACE_RE.match(lead)
    if m:
        return m.end()
    words = re.split(r"[ ,(]", lead, maxsplit=3)[:3]
    for n in range(len(words), 0, -1):
        name = " ".join(words[:n])
        if name and _kb_is_place(name):
            return len(name)
    return 0


def _ends_sentence(norm: str) -> bool:
    return norm.rstrip(_CLOSERS)[-1:] in _SENTENCE_END


def _ends_open(norm: str) -> bool:
    """True when the line visibly stops mid-sentence (comma or function word at its end)."""
    if norm[-1:] in ",;-":
        return True
    return norm.rsplit(" ", 1)[-1] in CONTINUATION_WORDS


def _heading_like(line: Line) -> bool:
    return (
        0 < line.words <= _HEADING_WORDS
        and not _BULLET_RE.match(line.norm)
        and len(line.norm) <= _HEADING_CHARS
        and not _ends_sentence(line.norm)
        and line.norm[-1:] != ":"
        and not _ends_open(line.norm)
        and "," not in line.norm
    )


def _hard_wrapped(lines: list[Line]) -> bool:
    """Whether the article breaks sentences across lines (full-width lines ending mid-sentence).

    Lines longer than any plausible wrap width are unpunctuated paragraphs, not wrapped lines.
    """
    broken = sum(
        1
        for a, b in pairwise(lines)
        if a.kind is None
        and not b.after_blank
        and a.words >= 8
        and len(a.norm) <= _WRAP_MAX_CHARS
        and not _ends_sentence(a.norm)
        and a.norm[-1:] != ":"
    )
    return broken >= 2 and broken * 5 >= len(lines)


def _starts_sentence(line: Line) -> bool:
    first = line.norm.split(" ", 1)[0]
    return len(first) > 3 and first[0] in _CONJUNCTIONS and first[1:] not in CONTINUATION_WORDS


def _joins_next(line: Line, nxt: Line, wrapped: bool, para_start: bool) -> bool:
    if line.kind or nxt.kind or nxt.after_blank or _ends_sentence(line.norm) or line.norm[-1:] == ":":
        return False
    if _ends_open(line.norm):
        return True
    if not wrapped:
        return False
    return not (para_start and _heading_like(line) and line.words <= 6 and _starts_sentence(nxt))


class _Builder:
    """Accumulates segments and the byline/dateline facts found along the way."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.segments: list[Segment] = []
        self.headlines: set[str] = set()
        self.body_seen = False
        self.outlet: str | None = None
        self.author: str | None = None
        self.title: str | None = None
        self.published: tuple[FoundDate, int, int] | None = None

    def add(self, start: int, end: int, kind: SegmentKind, paragraph: int) -> None:
        text = self.doc.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            self.segments.append(Segment(start, end, kind, paragraph))

    def verbatim(self, norm_start: int, norm_end: int) -> tuple[int, int]:
        return self.doc.span_of_norm(norm_start, norm_end)

    def byline(self, line: Line, paragraph: int) -> bool:
        """Handle "Outlet – Name:" / "City – Name:" / "<cue word>: Name" lines; False when it is none."""
        if line.words > _DATA.byline_max_words:
            return False
        m = _SLASH_BYLINE_RE.match(line.norm)
        if m and _is_place(m["head"].strip()) and _NAME_OK.match(m["name"].strip()):
            # Anadolu's "City / Author / Agency": the place and agency form the dateline
            self.author = self.author or self._slice(line, m.start("name"), m.end("name"))
            name_start = self.verbatim(line.norm_start, line.norm_start + m.start("name"))[1]
            name_end = self.verbatim(line.norm_start, line.norm_start + m.end("name"))[1]
            self.add(line.start, name_start, "dateline", paragraph)
            self.add(name_start, name_end, "byline", paragraph)
            self.add(name_end, line.end, "dateline", paragraph)
            return True
        m = _BYLINE_CUE_RE.match(line.norm)
        if m and _NAME_OK.match(m["name"].strip()):
            self.author = self.author or self._slice(line, m.start("name"), m.end("name"))
            self.add(line.start, line.end, "byline", paragraph)
            return True
        m = _BYLINE_DASH_RE.match(line.norm)
        if not m or not _NAME_OK.match(m["name"].strip()) or not line.norm.endswith(":"):
            return False
        head = m["head"].strip()
        if len(head.split()) > 3:
            return False
        self.author = self.author or self._slice(line, m.start("name"), m.end("name"))
        if _is_place(head):
            split = self.verbatim(line.norm_start, line.norm_start + m.start("name"))[1]
            self.add(line.start, split, "dateline", paragraph)
            self.add(split, line.end, "byline", paragraph)
        else:
            self.outlet = self.outlet or self._slice(line, m.start("head"), m.end("head"))
            self.add(line.start, line.end, "byline", paragraph)
        return True

    def _slice(self, line: Line, a: int, b: int) -> str:
        start, end = self.verbatim(line.norm_start + a, line.norm_start + b)
        return self.doc.text[start:end].strip()

    def dateline_prefix(self, line: Line) -> int:
        """Verbatim end of a "City –" / "City (Agency) -" opening, or the line start when absent."""
        # "جاكرتا في 14 مارس /قنا/": the Gulf agencies' slashed dateline
        m = (
            _SLASH_DATELINE_RE.match(line.norm)
            or _BRACKET_DATELINE_RE.match(line.norm)
            or _AGENCY_DATELINE_RE.match(line.norm)
            or _DATELINE_RE.match(line.norm)
        )
        if not m:
            return line.start
        lead = m["lead"].strip()
        place_end = _place_prefix(lead)
        if not place_end:
            return line.start
        rest = lead[place_end:].strip(" ,-")
        rest = re.sub(r"\([^)]{1,40}\)", " ", rest).strip(" ,")
        rest = rest[3:] if rest.startswith("في ") else rest  # "جاكرتا في 14 مارس"
        if rest:
            found = scan_dates(rest)
            if len(found) == 1 and not _bare(rest[: found[0].start] + rest[found[0].end :]):
                date = found[0]
                if date.basis == "explicit" and self.published is None:
                    offset = line.norm_start + lead.find(rest) + date.start
                    self.published = (date, offset, offset + date.end - date.start)
            elif not _NUMERIC_DATE_RE.fullmatch(rest):
                return line.start  # "21 - 3": a yearless numeric date the manifest pins down
        return self.verbatim(line.norm_start, line.norm_start + m.end())[1]

    def quoted_outlet(self, start: int, end: int) -> tuple[int, str] | None:
        """After a dateline, a quoted name ("London- «Al-Quds Al-Arabi»:") is the outlet.

        Returns the verbatim end of the quoted name (with its colon) and the name, or None.
        """
        norm_start = bisect_left(self.doc.offsets, start)
        m = _QUOTED_OUTLET_RE.match(self.doc.norm, norm_start, bisect_left(self.doc.offsets, end))
        if not m:
            return None
        name_start, name_end = self.verbatim(m.start("name"), m.end("name"))
        return self.verbatim(m.start(), m.end())[1], self.doc.text[name_start:name_end].strip()

    def paragraph(self, group: list[Line], paragraph: int, wrapped: bool) -> None:
        """Emit the segments of one paragraph: a special line, a heading, or dateline + body."""
        first, last = group[0], group[-1]
        start, end = first.start, last.end
        if len(group) == 1 and first.kind:
            self.add(start, end, first.kind, paragraph)
            return
        words = sum(line.words for line in group)
        norm = " ".join(line.norm for line in group) if words <= _HEADING_WORDS else ""
        heading = (
            bool(norm)
            and _heading_like(Line(start, end, norm, first.norm_start, first.after_blank, words))
            and (len(group) == 1 or not wrapped)
        )
        if paragraph <= 2 and not self.body_seen:
            cut = self.dateline_prefix(first)
            outlet = self.quoted_outlet(cut, end) if cut > start else None
            # "City: topic" is a headline; "City-Agency", "City: «Outlet»" and "City – text." are datelines
            if cut > start and (not heading or cut >= end or (outlet is not None and outlet[0] >= end)):
                self.add(start, cut, "dateline", paragraph)
                if outlet is not None:
                    self.outlet = self.outlet or outlet[1]
                    self.add(cut, outlet[0], "byline", paragraph)
                    cut = outlet[0]
                if cut < end:
                    self._body(cut, end, paragraph)
                return
        if heading:
            key = _bare(norm)
            kind: SegmentKind = "headline" if not self.body_seen or key in self.headlines else "subheading"
            if kind == "headline":
                self.headlines.add(key)
                self.title = self.title or self.doc.text[start:end]
            self.add(start, end, kind, paragraph)
            return
        self._body(start, end, paragraph)

    def _body(self, start: int, end: int, paragraph: int) -> None:
        """Split a body paragraph into sentences."""
        self.body_seen = True
        text = self.doc.text
        for m in _SENTENCE_RE.finditer(text, start, end):
            cut = m.start()
            if (
                cut - start >= 1
                and text[cut - 1].isalpha()
                and (cut - start == 1 or not text[cut - 2].isalnum())
            ):
                continue  # a one-letter abbreviation such as "D." for doctor
            if text[start:cut].isdigit():
                continue  # a list number such as "1."
            self.add(start, m.end(), "body", paragraph)
            start = m.end()
        self.add(start, end, "body", paragraph)


def _mark_special(lines: list[Line]) -> None:
    for line in lines:
        if line.kind == "boilerplate":
            continue  # a footer cut off its line (_lines)
        if _is_boilerplate(line):
            line.kind = "boilerplate"
        else:
            stamp = _timestamp(line)
            if stamp is not None:
                line.kind, line.date = "dateline", stamp


def segment(doc: Document) -> None:
    """Fill ``doc.segments``, the dateline/byline facts and the publication date from the text.

    Publication comes from ``doc.meta.published`` (basis "metadata"), else from a timestamp
    line or dated dateline (basis "dateline"), else stays unknown. Outlet, author and title
    come from the manifest when given, else from a byline or the headline; never guessed.
    """
    lines = _lines(doc)
    _mark_special(lines)
    builder = _Builder(doc)
    wrapped = _hard_wrapped(lines)
    paragraph, group = 0, list[Line]()
    for i, line in enumerate(lines):
        if not group and line.kind is None and paragraph <= 2 and builder.byline(line, paragraph):
            paragraph += 1
            continue
        group.append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is None or not _joins_next(line, nxt, wrapped, len(group) == 1):
            builder.paragraph(group, paragraph, wrapped)
            paragraph, group = paragraph + 1, []
    doc.segments = builder.segments
    _publication(doc, lines, builder)
    doc.outlet = doc.meta.outlet or builder.outlet
    doc.author = doc.meta.author or builder.author
    doc.title = doc.meta.title or builder.title


def _publication(doc: Document, lines: list[Line], builder: _Builder) -> None:
    if doc.meta.published is not None:
        doc.publication = Publication(
            date=doc.meta.published, precision="day", basis="metadata", reason="manifest/request metadata"
        )
        return
    for line in lines:
        if line.kind == "dateline" and line.date is not None:
            found = line.date
            s, e = doc.span_of_norm(line.norm_start + found.start, line.norm_start + found.end)
            doc.publication = Publication(
                date=found.start_date,
                precision=found.precision,
                basis="dateline",
                reason=f"timestamp line at [{s}, {e}): {doc.text[s:e]}",
            )
            return
    if builder.published is not None:
        found, ns, ne = builder.published
        s, e = doc.span_of_norm(ns, ne)
        doc.publication = Publication(
            date=found.start_date,
            precision=found.precision,
            basis="dateline",
            reason=f"dateline date at [{s}, {e}): {doc.text[s:e]}",
        )
