"""The OpenAPI document covers the public contract and is valid OpenAPI 3."""

import pytest
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi_and_lists_every_endpoint(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for path in [
        "/api/comments/",
        "/api/comments/{id}/report/",
        "/api/moderation/comments/",
        "/api/moderation/comments/{id}/approve/",
        "/api/moderation/comments/{id}/reject/",
        "/api/moderation/comments/{id}/spam/",
        "/api/moderation/comments/{id}/remove/",
        "/api/moderation/comments/bulk/",
        "/api/moderation/comments/{id}/history/",
        "/api/v2/pages/",
        "/api/v2/pages/{id}/",
        "/api/v2/testimonials/",
        "/api/v2/testimonials/{id}/",
    ]:
        assert path in paths, path
    assert not any(path.startswith("/admin/") for path in paths)
    post = schema["paths"]["/api/comments/"]["post"]
    assert set(post["responses"]) >= {"202", "400", "404", "415", "429"}
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    # The moderation API's item shape carries the private fields; the public one does not.
    components = schema["components"]["schemas"]
    assert "email" in components["ModerationComment"]["properties"]
    assert "email" not in components["CommentNode"]["properties"]


def test_docs_page_renders(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"/api/schema/" in response.content
