"""The explorer's templates: one Jinja2 environment (autoescaped, strict), its filters, and the HTML
response every page returns."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Response
from markupsafe import Markup, escape

from service.models import EventDate, Published
from service.web.highlight import KIND_ORDER, Highlight, render, span_anchor

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
HTML = "text/html"  # Litestar adds "; charset=utf-8"
# Languages written right to left (ISO 639-1): the direction of a source's text from its language.
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ku", "yi", "dv", "sd", "ug"})


def text_dir(language: str | None) -> str:
    return "rtl" if (language or "").split("-")[0].lower() in RTL_LANGUAGES else "auto"


def bdi(value: Any) -> Markup:
    """A value from the data, isolated from its surroundings: its own direction (first strong
    character), and no bidi control inside it can reorder the page around it."""
    return Markup("<bdi>{}</bdi>").format("" if value is None else value)


def event_date(d: EventDate) -> str:
    """The date as precise as it is known: 2025-10-02, 2025-10, 2025, a range, or unknown."""
    if d.start is None:
        return "date unknown"
    if d.precision == "year":
        return f"{d.start.year}"
    if d.precision == "month":
        return d.start.isoformat()[:7]
    if d.end is not None and d.end != d.start:
        return f"{d.start.isoformat()} – {d.end.isoformat()}"
    return d.start.isoformat()


def published(p: Published) -> str:
    if p.date is None:
        return "undated"
    return {"year": str(p.date.year), "month": p.date.isoformat()[:7]}.get(p.precision, p.date.isoformat())


def iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


def highlighted(text: str, highlights: list[Highlight], lo: int = 0, hi: int | None = None) -> Markup:
    return render(text, highlights, lo, hi)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(bdi=bdi, event_date=event_date, published=published, iso=iso, percent=percent)
    env.globals.update(
        text_dir=text_dir,
        highlighted=highlighted,
        span_anchor=span_anchor,
        KINDS=KIND_ORDER,
        escape=escape,
    )
    return env


ENV = _environment()


def page(
    template: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any
) -> Response[bytes]:
    body = ENV.get_template(template).render(**context)
    return Response(body.encode(), status_code=status, media_type=HTML, headers=headers)
