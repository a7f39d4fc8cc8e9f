"""The OpenAPI 3.1 description of the public directory API."""

from django import forms

from directory.search import (
    BOOLEAN_WORDS,
    DEFAULT_PAGE_SIZE,
    DEFAULT_RADIUS_KM,
    MAX_PAGE_SIZE,
    MAX_RADIUS_KM,
    GroupSearchForm,
)
from network.models import Audience, Format

# The limits come from the form that validates the requests, so the document cannot drift.
_FIELDS = GroupSearchForm.base_fields


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _choices(field: forms.ChoiceField) -> dict:
    values = [value for value, _label in field.choices if value != ""]
    if all(isinstance(value, int) for value in values):
        return {"type": "integer", "enum": values}
    return {"type": "string", "enum": [str(value) for value in values]}


def _schema(name: str) -> dict:
    """A query parameter's schema, read from the form field that validates it."""
    field = _FIELDS[name]
    if isinstance(field, forms.MultipleChoiceField):
        return {"type": "array", "items": _choices(field), "uniqueItems": True}
    if isinstance(field, forms.ChoiceField):
        return _choices(field)
    if isinstance(field, forms.IntegerField | forms.FloatField):
        kind = (
            "integer" if isinstance(field, forms.IntegerField) and not isinstance(field, forms.FloatField) else "number"
        )
        limits = {"minimum": field.min_value, "maximum": field.max_value}
        return {"type": kind, **{key: value for key, value in limits.items() if value is not None}}
    return {"type": "string", "maxLength": field.max_length}


# Parameter → (description, schema additions). The schema itself comes from the form.
_DESCRIPTIONS = {
    "q": (
        "Free text, through the database's full-text engine: every word must match the start of a word "
        "of the group's name, description, place or theme (its spelling variants and synonyms included); "
        "accents and case do not matter; the first 8 words count",
        {},
    ),
    "theme": ("Slug of an existing theme (see /themes); an unknown slug is a 400", {}),
    "place": (
        'Name of an Italian comune or city, or a postcode (CAP, e.g. 38122 or "38122 Trento"); a place that '
        "cannot be found is a 400. Ignored when lat and lon are given",
        {},
    ),
    "lat": ("Latitude; give it together with lon", {}),
    "lon": ("Longitude; give it together with lat", {}),
    "radius_km": (f"Radius around the place, at most {MAX_RADIUS_KM} km", {"default": DEFAULT_RADIUS_KM}),
    "weekday": (
        "Day of the week, 1 = Monday … 7 = Sunday; repeat the parameter for several days (any of them matches)",
        {},
    ),
    "part_of_day": (
        "Part of the day; repeat the parameter for several (any of them matches). With weekday: any of the "
        "chosen days at any of the chosen parts of the day",
        {},
    ),
    "format": ("Meeting format", {}),
    "audience": ("Who the group is for", {}),
    "open": (
        "Only groups open (true) or closed (false) to newcomers now; case does not matter",
        {"enum": BOOLEAN_WORDS},
    ),
    "page": ("Page number", {"default": 1}),
    "page_size": (f"Results per page, at most {MAX_PAGE_SIZE}", {"default": DEFAULT_PAGE_SIZE}),
}


def search_parameters() -> list[dict]:
    """Every field of the search form, in its order, as an OpenAPI query parameter."""
    parameters = []
    for name in _FIELDS:
        description, extra = _DESCRIPTIONS[name]
        parameter = _query(name, {**_schema(name), **extra}, description)
        if parameter["schema"]["type"] == "array":
            parameter.update({"style": "form", "explode": True})
        parameters.append(parameter)
    return parameters


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
            "name": {"type": "string", "description": "In English on /en/ where the group has an English name."},
            "name_it": {"type": "string"},
            "name_en": {"type": ["string", "null"], "description": "Null when the group has no English name."},
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
                    "description": {
                        "type": "string",
                        "description": "English where written, else Italian (see description_language).",
                    },
                    "description_it": {"type": "string"},
                    "description_en": {"type": ["string", "null"]},
                    "description_language": {"type": "string", "enum": ["it", "en"]},
                    "facilitator_kind": {"type": "string", "enum": ["peer", "non_peer"]},
                    "language": {"type": "string", "description": "The language the group meets in."},
                    "accessibility_notes": {"type": "string", "description": "In the language of the request."},
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
                    "parameters": search_parameters(),
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
