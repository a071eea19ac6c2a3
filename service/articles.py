"""Reading articles from disk: folders of ``*.txt`` with an optional ``manifest.json`` beside them."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import msgspec

from service.extract.document import SourceMeta


class ManifestEntry(msgspec.Struct, forbid_unknown_fields=True):
    file: str
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    title: str | None = None
    published: date | None = None
    language: str | None = None
    external_id: str | None = None
    sha256: str | None = None


class Article(msgspec.Struct, frozen=True):
    path: Path
    text: str
    meta: SourceMeta


class ArticleError(Exception):
    """An input file that cannot be read as an article; the message names the file and the reason."""


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


def validate_text(raw: bytes, label: str) -> str:
    """Decode and check an article body: UTF-8, no NUL bytes, not blank."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"{label}: not valid UTF-8 (byte {exc.start})") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise ArticleError(f"{label}: contains NUL bytes")
    if not text.strip():
        raise ArticleError(f"{label}: the text is empty")
    return text


def read_article(path: Path, entry: ManifestEntry | None) -> Article:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot be read: {exc.strerror}") from None
    if entry and entry.sha256 and hashlib.sha256(raw).hexdigest() != entry.sha256.lower():
        raise ArticleError(f"{path}: content does not match the sha256 in manifest.json")
    text = validate_text(raw, str(path))
    meta = SourceMeta(
        external_id=(entry.external_id if entry and entry.external_id else path.name),
        outlet=entry.outlet if entry else None,
        url=entry.url if entry else None,
        author=entry.author if entry else None,
        title=entry.title if entry else None,
        published=entry.published if entry else None,
        language=entry.language if entry else None,
    )
    return Article(path=path, text=text, meta=meta)


def collect_paths(paths: list[Path]) -> list[Path]:
    """Expand folders into their ``*.txt`` files, sorted; files are taken as given."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(p.glob("*.txt")))
        elif p.exists():
            out.append(p)
        else:
            raise ArticleError(f"{p}: no such file or folder")
    return out


def read_articles(paths: list[Path]) -> list[Article]:
    """Every article under ``paths``, with its manifest metadata."""
    manifests: dict[Path, dict[str, ManifestEntry]] = {}
    articles = []
    for path in collect_paths(paths):
        folder = path.parent
        if folder not in manifests:
            manifests[folder] = read_manifest(folder)
        articles.append(read_article(path, manifests[folder].get(path.name)))
    return articles
