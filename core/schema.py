"""Schema hooks for drf-spectacular: what is documented, the error answers of every operation, and
closed response shapes.

The error answers are added here, once, rather than by each view: which statuses an operation can
give follows from where it is (``/api/moderation/`` needs credentials, a ``POST`` takes only JSON, ...),
and their bodies are ``core.api_errors``' two shapes. Schemathesis (tests/test_fuzz.py) and
tests/test_schema_conformance.py hold the API to the result.
"""

import copy

DETAIL = {
    "type": "object",
    "description": 'An error: `{"detail": "…"}`, a sentence to show as it is.',
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "additionalProperties": False,
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Invalid input: for each field, its messages (`non_field_errors` for the input as a whole).",
    "properties": {
        "errors": {
            "type": "object",
            "additionalProperties": {
                "oneOf": [
                    {"type": "array", "items": {"type": "string"}},
                    {"type": "object", "description": "Messages of a list's items or a nested object's fields."},
                ]
            },
        }
    },
    "required": ["errors"],
    "additionalProperties": False,
}
BAD_REQUEST = {
    "description": "Field errors for invalid input, or a sentence for a bad query parameter or URL.",
    "oneOf": [{"$ref": "#/components/schemas/FieldErrors"}, {"$ref": "#/components/schemas/Detail"}],
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "required": True,
        "schema": {"type": "integer"},
    }
}
ERRORS = {
    "400": ("BadRequest", "Bad input: field errors, or a query parameter out of range or unknown."),
    "401": ("Detail", "No credentials, or a token that is invalid, revoked or expired."),
    "403": ("Detail", "Credentials without the moderate-comments permission, or a browser origin not allowed."),
    "404": ("Detail", 'Nothing public here. One body, `{"detail": "Not found."}`, whatever the reason.'),
    "406": ("Detail", "The `Accept` header asks for something other than JSON."),
    "409": ("Detail", "The action does not apply to the comment in its current state."),
    "415": ("Detail", "The request body is not `application/json`."),
    "429": ("Detail", "Too many comments or reports from this client; wait `Retry-After` seconds."),
    "503": ("Detail", "The service is down for a moment (database or cache); retry after `Retry-After` seconds."),
}


def public_api_only(endpoints, **kwargs):
    """Document ``/api/`` only: the admin's internal API is not part of the contract, nor are
    Wagtail's stock image and document endpoints (their shapes are Wagtail's own)."""
    skipped = ("/api/v2/images/", "/api/v2/documents/")
    return [e for e in endpoints if e[0].startswith("/api/") and not e[0].startswith(skipped)]


def error_codes(path, method):
    """The error statuses an operation can answer."""
    codes = {"400", "404", "406", "503"}  # a bad URL, nothing there, not JSON accepted, an outage
    if path.startswith("/api/moderation/"):
        codes |= {"401", "403"}
    if method == "post":
        codes |= {"415"}
    if method == "post" and path.startswith("/api/comments/"):
        codes |= {"403", "429"}
    return codes


def error_response(code):
    component, description = ERRORS[code]
    response = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }
    if code in {"429", "503"}:
        response["headers"] = copy.deepcopy(RETRY_AFTER)
    return response


def document_errors(result, generator, request, public):
    """Give every ``/api/`` operation the error answers it can give, as ``core.api_errors`` shapes them.

    A status a view declared itself (409 of a moderation action) keeps its place but takes the shared
    body; the views' own error schemas are replaced, so that every 404 is the same component.
    """
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.update(Detail=DETAIL, FieldErrors=FIELD_ERRORS, BadRequest=BAD_REQUEST)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            declared = {code for code in responses if code[0] in "45"}
            for code in sorted(error_codes(path, method) | declared):
                responses[code] = error_response(code)
            operation["responses"] = dict(sorted(responses.items()))
    close_response_shapes(result)
    return result


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"].rsplit("/", 1)[-1]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def close_response_shapes(result):
    """``additionalProperties: false`` on every object a response is made of (not on request bodies,
    which ignore fields they do not know): a field the API adds without the schema fails validation."""
    components = result["components"]["schemas"]
    seen, todo = (
        set(),
        [
            name
            for operations in result.get("paths", {}).values()
            for operation in operations.values()
            for name in _refs(operation.get("responses", {}))
        ],
    )
    while todo:
        name = todo.pop()
        if name in seen or name not in components:
            continue
        seen.add(name)
        todo.extend(_refs(components[name]))
        _close(components[name])


def _close(node):
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _close(value)
    elif isinstance(node, list):
        for value in node:
            _close(value)
