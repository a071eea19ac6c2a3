"""OpenAPI for the read endpoints, generated from the same allow-lists the handlers enforce.

Handlers read their query string through ``listing.parse_filters`` (so unknown parameters are a
400 naming them); these Operation classes describe exactly those parameters, the problem+json
error shape, 304 revalidation and the alternative representations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from litestar.openapi.spec import OpenAPIMediaType as MediaTypeSpec
from litestar.openapi.spec import OpenAPIResponse as ResponseSpec
from litestar.openapi.spec import Operation, Parameter, Schema
from litestar.openapi.spec.enums import OpenAPIFormat, OpenAPIType

from service.api.formats import MEDIA_TYPES
from service.db.filters import MAX_REPEATS, Filter
from service.errors import PROBLEM_MEDIA_TYPE, Problem

_TYPES = {"string": OpenAPIType.STRING, "integer": OpenAPIType.INTEGER, "boolean": OpenAPIType.BOOLEAN}


def schema_from_json_schema(node: dict[str, Any], defs: dict[str, Any]) -> Schema:
    """A Litestar Schema from the JSON Schema msgspec generates (the subset it uses for our Structs)."""
    if "$ref" in node:
        return schema_from_json_schema(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    kwargs: dict[str, Any] = {}
    if "type" in node:
        kwargs["type"] = OpenAPIType(node["type"])
    if "anyOf" in node:
        kwargs["any_of"] = [schema_from_json_schema(n, defs) for n in node["anyOf"]]
    if "properties" in node:
        kwargs["properties"] = {k: schema_from_json_schema(v, defs) for k, v in node["properties"].items()}
        kwargs["additional_properties"] = False
    if "items" in node:
        kwargs["items"] = schema_from_json_schema(node["items"], defs)
    if "format" in node:
        kwargs["format"] = OpenAPIFormat(node["format"])
    for key, attr in (
        ("required", "required"),
        ("minLength", "min_length"),
        ("maxLength", "max_length"),
        ("pattern", "pattern"),
        ("title", "title"),
        ("description", "description"),
    ):
        if key in node:
            kwargs[attr] = node[key]
    return Schema(**kwargs)


def schema_of(struct: type[Any]) -> Schema:
    generated = msgspec.json.schema(struct)
    return schema_from_json_schema(generated, generated.get("$defs", {}))


# The problem shape, generated from the one Problem Struct that every error is rendered with.
PROBLEM_SCHEMA = schema_of(Problem)
FEATURE_COLLECTION = Schema(
    type=OpenAPIType.OBJECT,
    required=["type", "features", "next"],
    properties={
        "type": Schema(type=OpenAPIType.STRING, const="FeatureCollection"),
        "features": Schema(type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.OBJECT)),
        "next": Schema(one_of=[Schema(type=OpenAPIType.STRING), Schema(type=OpenAPIType.NULL)]),
    },
)
PARTIAL_PAGE = Schema(
    type=OpenAPIType.OBJECT,
    required=["data", "next"],
    description="With `fields=`: items hold only those fields.",
    properties={
        "data": Schema(type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.OBJECT)),
        "next": Schema(one_of=[Schema(type=OpenAPIType.STRING), Schema(type=OpenAPIType.NULL)]),
    },
)
_ERRORS = {
    "400": "Unknown or malformed parameter (problem+json naming it)",
    "404": "No such resource",
    "503": "Database unavailable or query cancelled",
}


def value_schema(schema: dict[str, Any]) -> Schema:
    out = Schema(type=_TYPES[schema["type"]])
    if "enum" in schema:
        out.enum = list(schema["enum"])
    if "pattern" in schema:
        out.pattern = schema["pattern"]
    if "minLength" in schema:
        out.min_length = schema["minLength"]
    if "maxLength" in schema:
        out.max_length = schema["maxLength"]
    if schema.get("format") == "date-time":
        out.format = OpenAPIFormat.DATE_TIME
    if "minimum" in schema:
        out.minimum = schema["minimum"]
        out.maximum = schema["maximum"]
    return out


def filter_parameter(name: str, spec: Filter) -> Parameter:
    schema = value_schema(spec.schema)
    if spec.repeatable:
        schema = Schema(type=OpenAPIType.ARRAY, items=schema, max_items=MAX_REPEATS)
    return Parameter(
        name=name,
        param_in="query",
        schema=schema,
        description=spec.doc,
        required=False,
        explode=True if spec.repeatable else None,
        style="form" if spec.repeatable else None,
        example=spec.example,
    )


def control_parameter(
    name: str, doc: str, sorts: list[str], formats: list[str], includes: list[str], fields: list[str]
) -> Parameter:
    schemas: dict[str, Schema] = {
        "limit": Schema(type=OpenAPIType.INTEGER, minimum=1, maximum=1000),
        "cursor": Schema(type=OpenAPIType.STRING),
        "sort": Schema(type=OpenAPIType.STRING, enum=sorts),
        "count": Schema(type=OpenAPIType.STRING, enum=["exact", "estimated"]),
        "format": Schema(type=OpenAPIType.STRING, enum=formats),
        "include": Schema(
            type=OpenAPIType.STRING, pattern=rf"^({'|'.join(includes)})(,({'|'.join(includes)}))*$"
        ),
        "fields": Schema(type=OpenAPIType.STRING, pattern=rf"^({'|'.join(fields)})(,({'|'.join(fields)}))*$"),
        "actor_match": Schema(type=OpenAPIType.STRING, enum=["any", "all"]),
    }
    return Parameter(
        name=name,
        param_in="query",
        schema=schemas.get(name, Schema(type=OpenAPIType.STRING)),
        description=doc,
        required=False,
    )


def _problem(description: str) -> ResponseSpec:
    return ResponseSpec(
        description=description, content={PROBLEM_MEDIA_TYPE: MediaTypeSpec(schema=PROBLEM_SCHEMA)}
    )


def make_operation(
    parameters: list[Parameter],
    formats: tuple[str, ...] = ("json",),
    projectable: bool = False,
    not_found: bool = False,
) -> type[Operation]:
    """An Operation class adding ``parameters``, problem+json errors, 304 and the other formats."""

    @dataclass
    class ReadOperation(Operation):
        def __post_init__(self) -> None:
            self.parameters = [*(self.parameters or []), *parameters]
            responses = dict(self.responses or {})
            ok = responses.get("200")
            if isinstance(ok, ResponseSpec) and ok.content:
                json_schema = ok.content["application/json"].schema
                content = {
                    "application/json": MediaTypeSpec(
                        schema=Schema(any_of=[json_schema, PARTIAL_PAGE]) if projectable else json_schema
                    )
                }
                if "ndjson" in formats:
                    content[MEDIA_TYPES["ndjson"]] = MediaTypeSpec(
                        schema=Schema(type=OpenAPIType.STRING, description="One JSON resource per line")
                    )
                if "csv" in formats:
                    content["text/csv"] = MediaTypeSpec(
                        schema=Schema(
                            type=OpenAPIType.STRING, description="UTF-8 with BOM; nested fields dotted"
                        )
                    )
                if "geojson" in formats:
                    content[MEDIA_TYPES["geojson"]] = MediaTypeSpec(schema=FEATURE_COLLECTION)
                ok.content = content
            responses["304"] = ResponseSpec(description="Not modified (If-None-Match matched the ETag)")
            responses["400"] = _problem(_ERRORS["400"])
            if not_found:
                responses["404"] = _problem(_ERRORS["404"])
            responses["503"] = _problem(_ERRORS["503"])
            self.responses = responses

    return ReadOperation


def list_operation(spec: Any, not_found: bool = False) -> type[Operation]:
    """The Operation class of a ListSpec's endpoint: its filters and controls, all from the allow-list."""
    from service.api.formats import struct_fields

    fields = list(struct_fields(spec.item))
    parameters = [filter_parameter(name, f) for name, f in spec.filters.items()]
    parameters += [
        control_parameter(name, doc, list(spec.sorts), list(spec.formats), list(spec.includes), fields)
        for name, doc in spec.control_params().items()
    ]
    for p in parameters:
        if p.name == "fields":
            p.description = f"{p.description} One or more of: {', '.join(fields)}."
        elif p.name == "rows":
            p.schema = Schema(type=OpenAPIType.STRING, enum=[spec.name, *spec.link_rows])
    parameters += [control_parameter(name, doc, [], [], [], []) for name, doc in spec.extra_params.items()]
    return make_operation(parameters, spec.formats, projectable=True, not_found=not_found)
