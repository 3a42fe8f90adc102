"""Schema hooks for drf-spectacular: what is documented, and the error answers every operation can give."""


def public_api_only(endpoints, **kwargs):
    """Document ``/api/`` only: the admin's internal API is not part of the contract, nor are
    Wagtail's stock image and document endpoints (their shapes are Wagtail's own)."""
    skipped = ("/api/v2/images/", "/api/v2/documents/")
    return [e for e in endpoints if e[0].startswith("/api/") and not e[0].startswith(skipped)]


ERROR_SCHEMA = {
    "type": "object",
    "description": 'Every API error: `{"detail": "…"}`, or `{"errors": {field: [messages]}}` for bad input.',
    "properties": {"detail": {"type": "string"}, "errors": {"type": "object", "additionalProperties": {}}},
}
ERROR_REASONS = {
    "400": "Bad input: field errors, or a query parameter out of range.",
    "401": "No credentials: an admin session or `Authorization: Bearer <token>`.",
    "403": "Credentials without the moderate-comments permission, or a browser origin not allowed.",
    "404": "Nothing public here.",
    "415": "The body is not JSON.",
    "429": "Too many comments from this client; see `Retry-After`.",
}


def document_errors(result, generator, request, public):
    """Add the error answers every ``/api/`` operation can give, as ``core.api_errors`` shapes them.

    Schemathesis (tests/test_fuzz.py) holds the API to this: an answer the schema does not list fails.
    """
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            codes = {"400", "404"}
            if path.startswith("/api/moderation/"):
                codes |= {"401", "403"}
            if path.startswith("/api/comments/") and method == "post":
                codes |= {"403", "415", "429"}
            if method == "post" and path.startswith("/api/moderation/"):
                codes |= {"415"}
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(
                    code,
                    {
                        "description": ERROR_REASONS[code],
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
    return result
