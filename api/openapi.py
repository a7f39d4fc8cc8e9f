"""The OpenAPI 3.1 description of the public directory API."""

from directory.search import (
    BOOLEAN_WORDS,
    DEFAULT_PAGE_SIZE,
    DEFAULT_RADIUS_KM,
    MAX_PAGE_SIZE,
    MAX_RADIUS_KM,
    GroupSearchForm,
)
from network.models import Audience, Format, PartOfDay

# The limits come from the form that validates the requests, so the document cannot drift.
_FIELDS = GroupSearchForm.base_fields


def _max_length(name: str) -> int:
    return _FIELDS[name].max_length


def _range(name: str) -> dict:
    return {"minimum": _FIELDS[name].min_value, "maximum": _FIELDS[name].max_value}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


_NULLABLE_STRING = {"type": ["string", "null"]}

SCHEMAS = {
    "Theme": {
        "type": "object",
        "required": ["slug", "name", "name_it", "name_en"],
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string", "description": "In the language of the request."},
            "name_it": {"type": "string"},
            "name_en": {"type": "string"},
        },
    },
    "Meeting": {
        "type": "object",
        "required": ["start", "end", "cancelled", "changed"],
        "properties": {
            "start": {"type": "string", "format": "date-time", "description": "ISO 8601 with offset."},
            "end": {"type": "string", "format": "date-time"},
            "cancelled": {"type": "boolean"},
            "changed": {"type": "boolean", "description": "Moved in time or place."},
            "note": {"type": "string"},
            "comune": _NULLABLE_STRING,
        },
    },
    "Group": {
        "type": "object",
        "required": ["slug", "name", "themes", "format", "url", "calendar_url", "distance_km", "next_meetings"],
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "themes": {"type": "array", "items": {"$ref": "#/components/schemas/Theme"}},
            "format": {"type": "string", "enum": list(Format.values)},
            "audience": {"type": "string", "enum": list(Audience.values)},
            "entry": {"type": "string", "enum": ["open", "closed"]},
            "accepting_newcomers": {"type": "boolean"},
            "status": {"type": "string"},
            "starting_soon": {"type": "boolean", "description": "Being started: see its first meeting."},
            "comune": _NULLABLE_STRING,
            "url": {"type": "string", "format": "uri"},
            "calendar_url": {"type": "string", "format": "uri"},
            "distance_km": {"type": ["number", "null"], "description": "Only when searching by place."},
            "next_meetings": {"type": "array", "items": {"$ref": "#/components/schemas/Meeting"}},
        },
    },
    "GroupDetail": {
        "allOf": [
            {"$ref": "#/components/schemas/Group"},
            {
                "type": "object",
                "properties": {
                    "description": {"type": "string"},
                    "facilitator_kind": {"type": "string", "enum": ["peer", "non_peer"]},
                    "language": {"type": "string"},
                    "accessibility_notes": {"type": "string"},
                    "max_size": {"type": "integer"},
                    "first_meeting": {
                        "type": ["string", "null"],
                        "format": "date-time",
                        "description": "The first meeting of a group being started.",
                    },
                    "schedules": {"type": "array", "items": {"type": "string"}},
                    "venue": {"type": ["object", "null"]},
                    "association": {"type": "object"},
                },
            },
        ]
    },
    "GroupPage": {
        "type": "object",
        "required": ["count", "page", "page_size", "pages", "results"],
        "properties": {
            "count": {"type": "integer"},
            "page": {"type": "integer"},
            "page_size": {"type": "integer"},
            "pages": {"type": "integer"},
            "place": {"type": ["object", "null"]},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Group"}},
        },
    },
    "Error": {
        "type": "object",
        "required": ["error", "detail"],
        "properties": {
            "error": {
                "type": "string",
                "description": "A stable code: invalid_parameters, not_found, method_not_allowed, forbidden, "
                "bad_request, server_error.",
            },
            "detail": {"type": "string"},
            "errors": {
                "type": "object",
                "description": "Messages by parameter name.",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
    },
}


def _json(ref: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}


# Every path answers GET and HEAD only; any other method gets this, with an Allow header.
_NOT_ALLOWED = {
    "description": "Method not allowed (only GET and HEAD); error code `method_not_allowed`",
    "headers": {"Allow": {"schema": {"type": "string"}, "description": "GET, HEAD"}},
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def openapi_document(server_url: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Cerchio directory API",
            "version": "1.0.0",
            "description": "Public directory of self-help / mutual-aid groups (gruppi di auto mutuo aiuto). "
            "Messages follow Accept-Language (it, en).",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/themes": {
                "get": {
                    "operationId": "listThemes",
                    "summary": "All themes (aree tematiche)",
                    "responses": {
                        "200": {
                            "description": "Themes",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["results"],
                                        "properties": {
                                            "results": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Theme"},
                                            }
                                        },
                                    }
                                }
                            },
                        },
                        "405": _NOT_ALLOWED,
                    },
                }
            },
            "/groups": {
                "get": {
                    "operationId": "searchGroups",
                    "summary": "Search the directory",
                    "description": "Sorted by distance when a place is given, otherwise by next meeting.",
                    "parameters": [
                        _query(
                            "q", {"type": "string", "maxLength": _max_length("q")}, "Free text; the first 8 words count"
                        ),
                        _query(
                            "theme",
                            {"type": "string", "maxLength": _max_length("theme")},
                            "Slug of an existing theme (see /themes); an unknown slug is a 400",
                        ),
                        _query(
                            "place",
                            {"type": "string", "maxLength": _max_length("place")},
                            "Name of an Italian comune or city; a place that cannot be found is a 400. "
                            "Ignored when lat and lon are given",
                        ),
                        _query("lat", {"type": "number", **_range("lat")}, "Latitude; give it together with lon"),
                        _query("lon", {"type": "number", **_range("lon")}, "Longitude; give it together with lat"),
                        _query(
                            "radius_km",
                            {"type": "number", **_range("radius_km"), "default": DEFAULT_RADIUS_KM},
                            f"Radius around the place, at most {MAX_RADIUS_KM} km",
                        ),
                        _query("weekday", {"type": "integer", "enum": list(range(1, 8))}, "1 = Monday … 7 = Sunday"),
                        _query("part_of_day", {"type": "string", "enum": list(PartOfDay.values)}, "Part of the day"),
                        _query("format", {"type": "string", "enum": list(Format.values)}, "Meeting format"),
                        _query("audience", {"type": "string", "enum": list(Audience.values)}, "Who the group is for"),
                        _query(
                            "open",
                            {"type": "string", "enum": BOOLEAN_WORDS},
                            "Only groups open (true) or closed (false) to newcomers now; case does not matter",
                        ),
                        _query("page", {"type": "integer", **_range("page"), "default": 1}, "Page number"),
                        _query(
                            "page_size",
                            {"type": "integer", **_range("page_size"), "default": DEFAULT_PAGE_SIZE},
                            f"Results per page, at most {MAX_PAGE_SIZE}",
                        ),
                    ],
                    "responses": {
                        "200": _json("#/components/schemas/GroupPage", "One page of groups"),
                        "400": _json("#/components/schemas/Error", "Invalid parameters, named in `errors`"),
                        "405": _NOT_ALLOWED,
                    },
                }
            },
            "/groups/{slug}": {
                "get": {
                    "operationId": "getGroup",
                    "summary": "One group",
                    "parameters": [
                        {"name": "slug", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 120}}
                    ],
                    "responses": {
                        "200": _json("#/components/schemas/GroupDetail", "The group"),
                        "404": _json("#/components/schemas/Error", "No public group with this slug"),
                        "405": _NOT_ALLOWED,
                    },
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
