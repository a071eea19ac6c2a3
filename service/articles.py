"""Reading and checking articles: folders of ``*.txt`` with an optional ``manifest.json`` beside them,
NDJSON files of ``{"text": …, metadata…}`` objects, and the checks every article passes (CLI and API
alike): UTF-8, no NUL bytes, not blank, not HTML markup, not over the length limit; metadata safe to
render (no bidi overrides, no markup, http(s) URLs only). Also the
script-based language guess for texts submitted without a language.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated

import msgspec

from service.extract.document import SourceMeta

ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
Url = Annotated[str, msgspec.Meta(min_length=1, max_length=2048)]
LanguageTag = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$", max_length=35)]
ExternalId = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class ManifestEntry(SourceMeta, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """One entry of a folder's manifest.json: the article's metadata, its file, and optionally
    the sha256 its content must have."""

    file: str
    sha256: str | None = None


class Submission(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """One article as submitted over HTTP (JSON body) or as one line of an NDJSON file."""

    text: str
    outlet: ShortText | None = None
    url: Url | None = None
    author: ShortText | None = None
    title: ShortText | None = None
    published: date | None = None
    language: LanguageTag | None = None
    external_id: ExternalId | None = None

    def meta(self) -> SourceMeta:
        return SourceMeta(
            external_id=self.external_id,
            outlet=self.outlet,
            url=self.url,
            author=self.author,
            title=self.title,
            published=self.published,
            language=self.language,
        )


class Article(msgspec.Struct, frozen=True):
    path: Path
    text: str
    meta: SourceMeta


class ArticleError(Exception):
    """An input that cannot be taken as an article; the message names the input and the reason."""


# Markup, not prose: a closing tag, a comment or doctype, an opening tag of a common HTML element,
# or an HTML character reference. Arabic text never needs any of these.
HTML_MARKUP = re.compile(
    r"</[A-Za-z][A-Za-z0-9]*\s*>|<!--|<!doctype|"
    r"<(?:html|head|body|p|div|span|br|hr|a|b|i|u|em|strong|script|style|table|tr|td|th|ul|ol|li|"
    r"h[1-6]|img|iframe|meta|link|section|article|header|footer|nav|blockquote|font|figure|figcaption|"
    r"title|noscript|form|input|button|pre|code|svg)(?:\s[^<>]*)?/?>|"
    r"&(?:nbsp|amp|lt|gt|quot|apos|laquo|raquo|#\d{1,7}|#x[0-9a-f]{1,6});",
    re.IGNORECASE,
)


def check_text(text: str, label: str, max_chars: int | None = None) -> str:
    """The article text if it is acceptable; ArticleError saying why not otherwise."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise ArticleError(f"{label}: the text contains NUL bytes")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ArticleError(
            f"{label}: the text contains an unpaired surrogate at character {exc.start}"
        ) from None
    if not text.strip():
        raise ArticleError(f"{label}: the text is empty or only whitespace")
    if max_chars is not None and len(text) > max_chars:
        raise ArticleError(
            f"{label}: the text has {len(text)} characters; the limit is {max_chars} (MARSAD_MAX_TEXT_CHARS)"
        )
    markup = HTML_MARKUP.search(text)
    if markup:
        raise ArticleError(
            f"{label}: the text contains HTML markup ({markup.group(0)[:40]!r} at character "
            f"{markup.start()}); send the article as plain text"
        )
    return text


# Embedding, override and isolate controls (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI): in a title or
# an outlet name they reorder whatever is displayed after them. The marks (LRM, RLM, ALM) are harmless.
BIDI = "\u202a-\u202e\u2066-\u2069"
BIDI_CONTROLS = re.compile(f"[{BIDI}]")
# What str.strip() removes, spelled out (regex engines disagree on what \s covers).
SPACE = "\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# The rules below as patterns: the same strings check submissions here and go into the OpenAPI
# document (service/api/ingest.py), so the schema says exactly what is accepted.
PLAIN_PATTERN = "^[^<>\x00]*$"  # outlet, title, author: no markup
URL_PATTERN = (
    f"^[Hh][Tt][Tt][Pp][Ss]?://([^/?#@\x00{SPACE}]*@)?[^/?#@:\\[\\]\x00{SPACE}{BIDI}]+"
    f"(:[0-9]*)?([/?#][^\x00{SPACE}]*)?$"
)
TEXT_PATTERN = f"^[^\x00]*[^\x00\ufeff{SPACE}][^\x00]*$"
NOT_BLANK_PATTERN = f"^[^\x00]*[^\x00{SPACE}][^\x00]*$"  # external_id: not blank (check_submission), no NUL
MARKUP_FREE = ("outlet", "title", "author")
_PLAIN = re.compile(PLAIN_PATTERN)
_URL = re.compile(URL_PATTERN)


def safe_meta(meta: SourceMeta, label: str) -> SourceMeta:
    """Metadata that is safe to store and render: markup characters refused in the outlet, title and
    author, URLs only http(s) with a host, then bidi embedding and override controls removed from
    every field (a field left blank by that is dropped)."""
    changes: dict[str, str | None] = {}
    for name in ("outlet", "title", "author", "url", "external_id"):
        value = getattr(meta, name)
        if value is None:
            continue
        if name in MARKUP_FREE and not _PLAIN.match(value):
            raise ArticleError(f"{label}: {name} contains markup (< or >); send plain text")
        if name == "url" and not _URL.match(value):
            raise ArticleError(f"{label}: url must be an http or https URL with a host, got {value[:80]!r}")
        cleaned = BIDI_CONTROLS.sub("", value)
        if cleaned != value:
            changes[name] = cleaned if cleaned.strip() else None
    return msgspec.structs.replace(meta, **changes) if changes else meta


def check_field(value: str | None, name: str, label: str) -> None:
    if value is None:
        return
    if "\x00" in value:
        raise ArticleError(f"{label}: {name} contains NUL bytes")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ArticleError(f"{label}: {name} contains an unpaired surrogate") from None


def check_submission(sub: Submission, label: str, max_chars: int | None = None) -> tuple[str, SourceMeta]:
    """Validated (text, metadata) of a submission; the language is guessed when not given."""
    text = check_text(sub.text, label, max_chars)
    for name in ("outlet", "url", "author", "title", "language", "external_id"):
        check_field(getattr(sub, name), name, label)
    if sub.external_id is not None and not sub.external_id.strip():
        raise ArticleError(f"{label}: external_id is blank")
    meta = safe_meta(sub.meta(), label)
    if meta.language is None:
        meta = msgspec.structs.replace(meta, language=detect_language(text))
    return text, meta


def validate_text(raw: bytes, label: str, max_chars: int | None = None) -> str:
    """Decode and check an article body: UTF-8, no NUL bytes, not blank, no markup, not too long."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"{label}: not valid UTF-8 (byte {exc.start})") from None
    return check_text(text, label, max_chars)


_SCRIPTS = (
    ("ar", ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))),
    ("Latn", ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x1E00, 0x1EFF))),
    ("ru", ((0x0400, 0x04FF),)),
    ("he", ((0x0590, 0x05FF),)),
    ("el", ((0x0370, 0x03FF),)),
    ("ja", ((0x3040, 0x30FF),)),
    ("ko", ((0xAC00, 0xD7AF),)),
    ("zh", ((0x4E00, 0x9FFF),)),
)
_LATIN_STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "was", "that", "for", "with", "on", "said"},
    "fr": {"le", "la", "les", "et", "des", "du", "est", "une", "dans", "pour", "qui", "au"},
    "es": {"el", "la", "los", "las", "y", "del", "que", "en", "por", "con", "una", "para"},
    "de": {"der", "die", "das", "und", "ist", "nicht", "mit", "den", "von", "zu", "ein", "auf"},
    "tr": {"ve", "bir", "bu", "ile", "için", "da", "de", "olarak", "olan", "gibi"},
}
_PERSIAN_LETTERS = set("پچژگکی")


def _script(ch: str) -> str | None:
    cp = ord(ch)
    for name, ranges in _SCRIPTS:
        if any(lo <= cp <= hi for lo, hi in ranges):
            return name
    return None


def detect_language(text: str) -> str:
    """A BCP 47 guess from the share of letters in each script (and stopwords for Latin script).

    Arabic script gives ``ar`` (``fa`` when Persian-only letters are common); unknown gives ``und``.
    """
    counts: dict[str, int] = {}
    persian = 0
    for ch in text:
        if not unicodedata.category(ch).startswith("L"):
            continue
        script = _script(ch)
        if script:
            counts[script] = counts.get(script, 0) + 1
        if ch in _PERSIAN_LETTERS:
            persian += 1
    if not counts:
        return "und"
    top = max(counts, key=lambda k: counts[k])
    if top == "ar":
        return "fa" if persian > 0.03 * counts["ar"] else "ar"
    if top != "Latn":
        return top
    words = re.findall(r"[^\W\d_]+", text.lower())
    scores = {lang: sum(w in stop for w in words) for lang, stop in _LATIN_STOPWORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= 2 else "und-Latn"


def read_manifest(folder: Path) -> dict[str, ManifestEntry]:
    path = folder / "manifest.json"
    if not path.exists():
        return {}
    try:
        entries = msgspec.json.decode(path.read_bytes(), type=list[ManifestEntry])
    except msgspec.ValidationError as exc:
        raise ArticleError(f"{path}: invalid manifest: {exc}") from None
    except msgspec.DecodeError as exc:
        raise ArticleError(f"{path}: manifest is not valid JSON: {exc}") from None
    return {e.file: e for e in entries}


def read_article(path: Path, entry: ManifestEntry | None, max_chars: int | None = None) -> Article:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot be read: {exc.strerror}") from None
    if entry and entry.sha256 and hashlib.sha256(raw).hexdigest() != entry.sha256.lower():
        raise ArticleError(f"{path}: content does not match the sha256 in manifest.json")
    text = validate_text(raw, str(path), max_chars)
    given = (
        SourceMeta(**{f: getattr(entry, f) for f in SourceMeta.__struct_fields__}) if entry else SourceMeta()
    )
    meta = msgspec.structs.replace(
        given, external_id=given.external_id or path.name, language=given.language or detect_language(text)
    )
    return Article(path=path, text=text, meta=safe_meta(meta, str(path)))


NDJSON_SUFFIXES = (".ndjson", ".jsonl")


def collect_paths(paths: list[Path]) -> list[Path]:
    """Expand folders into their ``*.txt`` (and NDJSON) files, sorted; files are taken as given."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(
                sorted(f for f in p.iterdir() if f.suffix in (".txt", *NDJSON_SUFFIXES) and f.is_file())
            )
        elif p.exists():
            out.append(p)
        else:
            raise ArticleError(f"{p}: no such file or folder")
    return out


def read_articles(paths: list[Path]) -> list[Article]:
    """Every ``.txt`` article under ``paths``, with its manifest metadata; the first bad one raises."""
    manifests: dict[Path, dict[str, ManifestEntry]] = {}
    articles = []
    for path in collect_paths(paths):
        if path.suffix in NDJSON_SUFFIXES:
            continue
        folder = path.parent
        if folder not in manifests:
            manifests[folder] = read_manifest(folder)
        articles.append(read_article(path, manifests[folder].get(path.name)))
    return articles


class InputItem(msgspec.Struct, frozen=True):
    """One article of a bulk ingest, or the reason it cannot be read (``article`` is then None)."""

    label: str
    article: Article | None
    error: str | None = None


_submission_decoder = msgspec.json.Decoder(Submission)


def iter_ndjson(path: Path, max_chars: int | None = None) -> Iterator[InputItem]:
    """One item per non-blank line of an NDJSON file, labelled ``file:line``."""
    try:
        lines = path.read_bytes().splitlines()
    except OSError as exc:
        yield InputItem(str(path), None, f"{path}: cannot be read: {exc.strerror}")
        return
    for number, line in enumerate(lines, 1):
        label = f"{path}:{number}"
        if not line.strip():
            continue
        try:
            sub = _submission_decoder.decode(line)
            text, meta = check_submission(sub, label, max_chars)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            yield InputItem(label, None, f"{label}: {exc}")
            continue
        except ArticleError as exc:
            yield InputItem(label, None, str(exc))
            continue
        yield InputItem(label, Article(path=path, text=text, meta=meta))


def iter_inputs(paths: list[Path], max_chars: int | None = None) -> Iterator[InputItem]:
    """Every article under ``paths`` (``.txt`` with manifests, NDJSON lines); bad ones carry their error.

    A missing path or a broken manifest is fatal (ArticleError) before anything is read."""
    files = collect_paths(paths)
    manifests = {f.parent: read_manifest(f.parent) for f in files if f.suffix not in NDJSON_SUFFIXES}
    for path in files:
        if path.suffix in NDJSON_SUFFIXES:
            yield from iter_ndjson(path, max_chars)
            continue
        try:
            yield InputItem(str(path), read_article(path, manifests[path.parent].get(path.name), max_chars))
        except ArticleError as exc:
            yield InputItem(str(path), None, str(exc))
