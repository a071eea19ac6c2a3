"""Writing: ``POST /v1/sources`` (ingest one article, synchronously), ``POST /v1/ingest/jobs`` and
``GET /v1/ingest/jobs/{id}`` (batches, asynchronously, through the queue), ``POST /v1/admin/reextract``.

Writes borrow from the write pool (``deps.provide_connection``), whose connections carry the write
budget (MARSAD_WRITE_BUDGET_S) as their statement and lock timeouts; the body was read whole before.

An article arrives as JSON (``{"text": …, "outlet": …, …}``) or as ``text/plain`` with its metadata
in query parameters. It passes the same checks as the CLI (``service.articles``), runs through the
same pipeline (``service.ingest``): extracted in the API process's extraction processes (never on
the event loop that serves reads), then merged and stored with everything derived from it in the
request's one transaction: on any error nothing is stored. A batch (a JSON array, or NDJSON) becomes
an ingest job that workers process; the job resource reports its progress and each article's fate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import asyncpg
import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import JSONBody, Parameter

from service.api.openapi import schema_of
from service.articles import (
    MARKUP_FREE,
    NOT_BLANK_PATTERN,
    PLAIN_PATTERN,
    TEXT_PATTERN,
    URL_PATTERN,
    ArticleError,
    InputItem,
    Submission,
    check_submission,
)
from service.auth import SECURITY, authorize
from service.db.sources import SELECT_SOURCE, source_from_record
from service.errors import (
    InvalidRequest,
    NotFound,
    Problem,
    UnprocessableContent,
    UnsupportedMediaType,
)
from service.ingest import Extracted, ExtractionFailed, ReextractReport, extracted_ids, ingest, jobs
from service.ingest.reextract import reextract as reextract_sources
from service.models import Source

METADATA_FIELDS = ("outlet", "url", "author", "title", "published", "language", "external_id")


class IngestResponse(msgspec.Struct):
    created: bool
    source: Source
    extracted: Extracted


MAX_JOB_ARTICLES = 10_000  # per request; the CLI submits larger jobs
MAX_SEQ = 2**31 - 1  # ingest_job_items.seq is an integer


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
        properties[name].any_of[0].pattern = PLAIN_PATTERN
    properties["url"].any_of[0].pattern = URL_PATTERN
    properties["external_id"].any_of[0].pattern = NOT_BLANK_PATTERN
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


@dataclass
class JobOperation(Operation):
    """The request body of POST /v1/ingest/jobs as a JSON array of articles.

    The items are not constrained by the schema: each is checked like a body of POST /v1/sources, and
    one that fails is recorded in the job as failed with its reason while the others go on. NDJSON
    (``application/x-ndjson``, one article per line) is accepted too and said so in the description;
    it is left out of the schema, which cannot say which strings are NDJSON (any string is)."""

    def __post_init__(self) -> None:
        article = Schema(
            description="An article, as the JSON body of POST /v1/sources (text, outlet, url, …); "
            "one that is not valid becomes a failed result of the job."
        )
        # No maxItems: a batch of MAX_JOB_ARTICLES tiny items is still a 400 by count, but past
        # MARSAD_MAX_BODY_BYTES any body is a 413 first, which a schema cannot state.
        batch = Schema(type=OpenAPIType.ARRAY, items=article, min_items=1)
        self.request_body = RequestBody(
            required=True, content={"application/json": OpenAPIMediaType(schema=batch)}
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
        report = await ingest(db, [(text, meta)], request.app.state.get("extractor"))
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
    description="Needs an API key with the `admin` scope. Extracts all sources (or `source_ids`) again "
    "and merges the new extractions in place of the old, a batch per transaction (readers see the "
    "dataset before or after each batch); ids stay stable where the facts are the same, and removed or "
    "merged ids are reported and written to the change feed. For a large corpus, prefer "
    "`python -m service reextract` (a job on the queue, resumable).",
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
    request: Request[Any, Any, Any], data: JSONBody[ReextractRequest], db: NamedDependency[asyncpg.Connection]
) -> ReextractReport:
    return await reextract_sources(db, data.source_ids, request.app.state.get("extractor"))


JOB_MEDIA_TYPES = ("application/json", "application/x-ndjson", "application/ndjson")
_json = msgspec.json.Decoder()


def _job_items(request: Request[Any, Any, Any], body: bytes) -> list[InputItem]:
    """The articles of a job request: a JSON array of submissions, or NDJSON (one per line).

    An article that fails the checks becomes a failed item with its reason (the others still go in);
    a body that is not an array or NDJSON at all is a 400."""
    media_type, _ = request.content_type
    max_chars = request.app.state.get("max_text_chars")
    if media_type not in JOB_MEDIA_TYPES:
        raise UnsupportedMediaType(
            f"Send a batch as application/json (an array of articles) or application/x-ndjson, not {media_type or 'nothing'}."
        )
    if request.query_params:
        raise InvalidRequest(f"Unknown query parameters: {', '.join(sorted(request.query_params.keys()))}.")
    try:
        if media_type == "application/json":
            raw = _json.decode(body)
            if not isinstance(raw, list):
                raise InvalidRequest('A batch is a JSON array of articles ({"text": …, …}).')
            values = [(f"article {i}", value) for i, value in enumerate(raw)]
        else:
            lines = [(n, line) for n, line in enumerate(body.splitlines(), 1) if line.strip()]
            values = []
            for n, line in lines:
                try:
                    values.append((f"line {n}", _json.decode(line)))
                except msgspec.DecodeError as exc:
                    values.append((f"line {n}", exc))
    except msgspec.DecodeError as exc:
        raise InvalidRequest(f"The body is not valid JSON: {exc}") from None
    except UnicodeDecodeError as exc:
        raise InvalidRequest(f"The body is not valid UTF-8 (byte {exc.start}).") from None
    if not values:
        raise InvalidRequest("The batch holds no article.")
    if len(values) > MAX_JOB_ARTICLES:
        raise InvalidRequest(f"A batch holds at most {MAX_JOB_ARTICLES} articles, not {len(values)}.")
    items = []
    for label, value in values:
        try:
            if isinstance(value, Exception):
                raise ArticleError(f"{label}: not valid JSON: {value}")
            text, meta = check_submission(msgspec.convert(value, Submission), label, max_chars)
        except msgspec.ValidationError as exc:
            items.append(InputItem(label, None, f"{label}: {exc}"))
            continue
        except ArticleError as exc:
            items.append(InputItem(label, None, str(exc)))
            continue
        items.extend(jobs.items_of([(label, text, meta)]))
    return items


@post(
    "/v1/ingest/jobs",
    summary="Ingest a batch of articles asynchronously (a JSON array, or NDJSON)",
    description="Needs an API key with the `write` scope. Stores the batch as an ingest job that workers "
    "process through the queue, and answers 202 at once with the job (`Location`: its URL). The body is a "
    "JSON array of articles (`application/json`) or NDJSON (`application/x-ndjson`, one article per line), "
    f"at most {MAX_JOB_ARTICLES:,} articles. Each "
    "article is checked like one sent to `POST /v1/sources`; one that fails the checks is recorded as "
    "failed with its reason, the others go on. Idempotent by text: an article already stored is "
    "reported as `exists`.",
    tags=["ingest"],
    opt={"scope": "write"},
    guards=[authorize],
    security=SECURITY,
    status_code=202,
    operation_class=JobOperation,
    responses=PROBLEMS,
)
async def create_job(
    request: Request[Any, Any, Any], db: NamedDependency[asyncpg.Connection]
) -> Response[jobs.IngestJob]:
    items = _job_items(request, await request.body())
    key = request.scope.get("state", {}).get("api_key")
    job_id = await jobs.submit(db, items, key_id=getattr(key, "id", None))
    found = await jobs.job(db, job_id)
    assert found is not None
    return Response(found, status_code=202, headers={"Location": f"/v1/ingest/jobs/{job_id}"})


@get(
    "/v1/ingest/jobs/{job_id:str}",
    summary="An ingest job: status, progress and each article's result",
    description="Needs an API key with the `write` scope. `results` lists up to `limit` articles "
    "(default 1000) after `after` (a `seq`); `next_after` reads the next page.",
    tags=["ingest"],
    opt={"scope": "write"},
    guards=[authorize],
    security=SECURITY,
    responses={
        404: ResponseSpec(
            Problem, description="No such job", media_type="application/problem+json", generate_examples=False
        ),
        **PROBLEMS,
    },
)
async def get_job(
    db: NamedDependency[asyncpg.Connection],
    job_id: str = Parameter(description="Job id, e.g. job_…"),
    after: Annotated[int, Parameter(ge=-1, le=MAX_SEQ)] = -1,
    limit: Annotated[int, Parameter(ge=0, le=10_000)] = 1000,
) -> jobs.IngestJob:
    found = await jobs.job(db, job_id, after=after, limit=limit)
    if found is None:
        raise NotFound(f"No ingest job with id {job_id}")
    return found


WRITE_HANDLERS = [create_source, create_job, get_job, reextract]
