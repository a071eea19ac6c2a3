"""The query string of an explorer page: the API's own parameters, kept as given, with the links a
page needs (a facet value added, a filter removed, the next page) built from it."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from litestar import Request

from service.errors import InvalidParameter

# Page controls the explorer passes on to the list (the filters come from each list's allow-list).
PAGE_CONTROLS = frozenset({"cursor", "limit", "sort", "actor_match"})


class Query:
    """An immutable multi-dict of query parameters with link builders (every link drops ``cursor``
    unless it sets one: a changed filter starts again from the first page)."""

    def __init__(self, items: list[tuple[str, str]]) -> None:
        self.items = items

    @classmethod
    def of(cls, request: Request[Any, Any, Any]) -> Query:
        return cls(query_items(request))

    def get(self, name: str, default: str = "") -> str:
        return next((v for k, v in self.items if k == name), default)

    def getall(self, name: str) -> list[str]:
        return [v for k, v in self.items if k == name]

    def __contains__(self, name: str) -> bool:
        return any(k == name for k, _ in self.items)

    def _href(self, items: list[tuple[str, str]]) -> str:
        return "?" + urlencode(items) if items else "?"

    def _kept(self, *drop: str) -> list[tuple[str, str]]:
        return [(k, v) for k, v in self.items if k != "cursor" and k not in drop]

    @property
    def string(self) -> str:
        """The whole query string (for the JSON link: the API takes the same parameters)."""
        return urlencode(self.items)

    def set(self, name: str, value: str) -> str:
        """A link with ``name`` set to this one value."""
        return self._href([*self._kept(name), (name, value)])

    def add(self, name: str, value: str) -> str:
        """A link with ``value`` added to the values of ``name`` (a repeatable filter)."""
        if (name, value) in self.items:
            return self._href(self._kept())
        return self._href([*self._kept(), (name, value)])

    def remove(self, name: str, value: str | None = None) -> str:
        """A link without ``name`` (or without only that value of it)."""
        return self._href(
            [(k, v) for k, v in self._kept() if not (k == name and (value is None or v == value))]
        )

    def period(self, start: str, end: str) -> str:
        """A link narrowed to [start, end]."""
        return self._href([*self._kept("from", "to"), ("from", start), ("to", end)])

    def page(self, cursor: str) -> str:
        return self._href([*[(k, v) for k, v in self.items if k != "cursor"], ("cursor", cursor)])

    def first_page(self) -> str:
        return self._href(self._kept())

    def filters(self, names: set[str] | dict[str, Any]) -> list[tuple[str, str]]:
        """The (name, value) pairs of the given filters, in the order given."""
        return [(k, v) for k, v in self.items if k in names]


def query_items(request: Request[Any, Any, Any]) -> list[tuple[str, str]]:
    """The parameters in the order the URL gives them (links keep that order)."""
    return parse_qsl(request.scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)


def blank_free(request: Request[Any, Any, Any]) -> str | None:
    """The URL without empty parameters when it has some (a form submitted without JavaScript sends
    every field), else None. The explorer redirects there, so a page's URL is the API's query."""
    items = query_items(request)
    kept = [(k, v) for k, v in items if v.strip()]
    if len(kept) == len(items):
        return None
    return request.url.path + ("?" + urlencode(kept) if kept else "")


def check_names(request: Request[Any, Any, Any], allowed: set[str] | frozenset[str]) -> None:
    """Only the list's filters and the page controls: ``format``, ``fields`` and the like belong to
    the JSON API, whose link every page carries."""
    for key in request.query_params:
        if key not in allowed:
            raise InvalidParameter(f"Unknown parameter {key!r}", parameter=key)
