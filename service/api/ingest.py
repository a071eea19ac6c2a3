"""Writing: ``POST /v1/sources`` (ingest one article) and ``POST /v1/admin/reextract``.

Writes borrow from the write pool (``deps.provide_connection``), whose connections carry the write
budget (MARSAD_WRITE_BUDGET_S) as their statement and lock timeouts; the body was read whole before.

An article arrives as JSON (``{"text": …, "outlet": …, …}``) or as ``text/plain`` with its metadata
in query parameters. It passes the same checks as the CLI (``service.articles``), runs through the
same pipeline (``service.ingest``) and is stored with everything derived from it in the request's
one transaction: on any error nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import asyncpg
import msgspec
from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import JSONBody

from service.api.openapi import schema_of
from service.articles import (
    MARKUP_FREE,
    NOT_BLANK_PATTERN,
    PLAIN_PATTERN,
    TEXT_PATTERN,
    URL_PATTERN,
    ArticleError,
    Submission,
    check_submission,
)
from service.auth import SECURITY, authorize
from service.db.sources import SELECT_SOURCE, source_from_record
from service.errors import (
    InvalidRequest,
    Problem,
    UnprocessableContent,
    UnsupportedMediaType,
)
from service.ingest import Extracted, ExtractionFailed, ReextractReport, extracted_ids, ingest, rebuild
from service.models import Source

METADATA_FIELDS = ("outlet", "url", "author", "title", "published", "language", "external_id")


class IngestResponse(msgspec.Struct):
    created: bool
    source: Source
    extracted: Extracted


class ReextractRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Which sources to re-extract: all of them when ``source_ids`` is missing or null."""

    source_ids: list[str] | None = None


def _submission_schema() -> Schema:
    schema = schema_of(Submission)
    properties: dict[str, Any] = schema.properties  # type: ignore[assignment]
    properties["text"] = Schema(
        type=OpenAPIType.STRING,
        pattern=TEXT_PATTERN,
        description="The article, plain text (UTF-8, no HTML markup, not blank).",
    )
    for name in MARKUP_FREE:  # the same patterns check submissions (service.articles.safe_meta)
        properties[name].any_of[0].pattern = PLAIN_PATTERN  # type: ignore[index]
    properties["url"].any_of[0].pattern = URL_PATTERN  # type: ignore[index]
    properties["external_id"].any_of[0].pattern = NOT_BLANK_PATTERN  # type: ignore[index]
    return schema


@dataclass
class ReextractOperation(Operation):
    """The request body of POST /v1/admin/reextract: unknown fields are refused, and the schema says so."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True, content={"application/json": OpenAPIMediaType(schema=schema_of(ReextractRequest))}
        )


@dataclass
class SubmitOperation(Operation):
    """The request body of POST /v1/sources: JSON, or the bare text as text/plain."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            content={
                "application/json": OpenAPIMediaType(schema=_submission_schema()),
                "text/plain": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING, pattern=TEXT_PATTERN)),
            },
        )


PROBLEMS = {
    status: ResponseSpec(
        Problem, description=description, media_type="application/problem+json", generate_examples=False
    )
    for status, description in {
        400: "Malformed JSON, unknown fields, wrong types, impossible dates, bad query parameters",
        401: "No API key, or an unknown or revoked one",
        403: "The API key lacks the needed scope",
        409: "The external_id is already used by a different text",
        413: "The request body is over MARSAD_MAX_BODY_BYTES",
        415: "Neither application/json nor text/plain",
        422: "The text is empty, blank, HTML, over MARSAD_MAX_TEXT_CHARS, has NUL bytes, or cannot be extracted",
        429: "Rate limit exceeded (see the RateLimit headers)",
        503: "The database is unavailable, or the write waited longer than MARSAD_WRITE_BUDGET_S "
        "(Retry-After says when to retry)",
    }.items()
}


def _decode_submission(request: Request[Any, Any, Any], body: bytes) -> Submission:
    media_type, options = request.content_type
    params = request.query_params
    try:
        if media_type == "application/json" or media_type.endswith("+json"):
            if params:
                raise InvalidRequest(
                    "With a JSON body, metadata goes in the body, not in query parameters "
                    f"(got: {', '.join(sorted(params.keys()))})."
                )
            return msgspec.json.decode(body, type=Submission)
        if media_type == "text/plain":
            charset = options.get("charset", "utf-8").lower()
            if charset not in ("utf-8", "utf8"):
                raise UnsupportedMediaType(f"text/plain must be UTF-8, not {charset}.")
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InvalidRequest(f"The body is not valid UTF-8 (byte {exc.start}).") from None
            fields: dict[str, Any] = {"text": text}
            for name in params:
                values = params.getall(name)
                if name not in METADATA_FIELDS:
                    raise InvalidRequest(
                        f"Unknown query parameter {name!r}; metadata parameters are "
                        f"{', '.join(METADATA_FIELDS)}.",
                        parameter=name,
                    )
                if len(values) != 1:
                    raise InvalidRequest(
                        f"Query parameter {name!r} is given {len(values)} times.", parameter=name
                    )
                fields[name] = values[0]
            return msgspec.convert(fields, Submission, strict=False)
    except msgspec.ValidationError as exc:
        raise InvalidRequest(f"The request does not match the submission shape: {exc}") from None
    except msgspec.DecodeError as exc:
        raise InvalidRequest(f"The body is not valid JSON: {exc}") from None
    except UnicodeDecodeError as exc:
        raise InvalidRequest(f"The body is not valid JSON: not valid UTF-8 (byte {exc.start}).") from None
    raise UnsupportedMediaType(
        f"Send the article as application/json or text/plain, not {media_type or 'nothing'}."
    )


@post(
    "/v1/sources",
    summary="Ingest one article (JSON, or text/plain with metadata in query parameters)",
    description="Needs an API key with the `write` scope. Runs the extraction pipeline and stores the source "
    "and everything derived from it in one transaction. 201 with the new source and the ids of what "
    "was extracted; 200 with the existing source when the same text (sha256) was already ingested. "
    "For `text/plain`, metadata comes as query parameters: " + ", ".join(METADATA_FIELDS) + ". "
    "HTML is refused (send plain text): spans index the stored text verbatim.",
    tags=["sources"],
    opt={"scope": "write"},
    guards=[authorize],
    security=SECURITY,
    operation_class=SubmitOperation,
    status_code=201,
    responses={
        200: ResponseSpec(IngestResponse, description="The same text was already ingested"),
        **PROBLEMS,
    },
)
async def create_source(
    request: Request[Any, Any, Any], db: NamedDependency[asyncpg.Connection]
) -> Response[IngestResponse]:
    metrics = request.app.state.metrics
    body = await request.body()
    try:
        submission = _decode_submission(request, body)
        text, meta = check_submission(submission, "text", request.app.state.get("max_text_chars"))
    except ArticleError as exc:
        metrics.inc("marsad_ingest_sources_total", result="rejected")
        raise UnprocessableContent(str(exc).removeprefix("text: ")) from None
    except Exception:
        metrics.inc("marsad_ingest_sources_total", result="rejected")
        raise
    try:
        report = await ingest(db, [(text, meta)])
    except ExtractionFailed:
        metrics.inc("marsad_extraction_failures_total")
        raise
    result = report.results[0]
    metrics.inc("marsad_ingest_sources_total", result="created" if result.created else "exists")
    source = source_from_record(await db.fetchrow(SELECT_SOURCE, result.source_id))
    return Response(
        IngestResponse(
            created=result.created, source=source, extracted=await extracted_ids(db, result.source_id)
        ),
        status_code=201 if result.created else 200,
        headers={"Location": f"/v1/sources/{result.source_id}"},
    )


@post(
    "/v1/admin/reextract",
    summary="Re-extract stored sources with the current extractor",
    description="Needs an API key with the `admin` scope. Rebuilds the derived rows of all sources (or of "
    "`source_ids`) atomically; ids stay stable where the facts are the same, and removed or merged "
    "ids are reported and written to the change feed.",
    tags=["admin"],
    opt={"scope": "admin"},
    operation_class=ReextractOperation,
    guards=[authorize],
    security=SECURITY,
    status_code=200,
    responses={
        404: ResponseSpec(
            Problem,
            description="A source id is unknown",
            media_type="application/problem+json",
            generate_examples=False,
        ),
        **PROBLEMS,
    },
)
async def reextract(
    data: JSONBody[ReextractRequest], db: NamedDependency[asyncpg.Connection]
) -> ReextractReport:
    return await rebuild(db, data.source_ids)


WRITE_HANDLERS = [create_source, reextract]
