"""Reading the explorer's HTML in tests: the marks (offsets, kind, text), links and alternates."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Mark:
    attrs: dict[str, str]
    text: str = ""

    @property
    def key(self) -> tuple[str, str, int, int]:
        a = self.attrs
        return (a["data-kind"], a["data-id"], int(a["data-start"]), int(a["data-end"]))


@dataclass
class Page(HTMLParser):
    marks: list[Mark] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)
    anchors: list[dict[str, str]] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    _open: list[Mark] = field(default_factory=list)
    _stack: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "mark":
            mark = Mark(a)
            self.marks.append(mark)
            self._open.append(mark)
        elif tag == "link":
            self.links.append(a)
        elif tag == "a":
            self.anchors.append(a)
        elif tag == "script" and "src" in a:
            self.scripts.append(a["src"])
        if tag not in VOID:
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._open.pop()
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        for mark in self._open:
            mark.text += data

    def alternate(self) -> str:
        return next(link["href"] for link in self.links if link.get("rel") == "alternate")

    def joined(self) -> dict[tuple[str, str, int, int], str]:
        """Each highlight's text: its mark, or its fragments joined."""
        out: dict[tuple[str, str, int, int], str] = {}
        for mark in self.marks:
            out[mark.key] = out.get(mark.key, "") + mark.text
        return out


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page
