"""The comment widget's cross-origin calls: allowed frontends get CORS answers, other sites none."""

import pytest
from django.test import override_settings

from comments.models import ArticleComment

pytestmark = pytest.mark.django_db

ALLOWED = "https://frontend.example"  # cms/settings/test.py's CORS_ALLOWED_ORIGINS
OTHER = "https://elsewhere.example"


def preflight(client, path, origin):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )


def post(client, path, origin, data):
    headers = {"HTTP_ORIGIN": origin, "HTTP_SEC_FETCH_SITE": "cross-site"}
    return client.post(path, data, content_type="application/json", **headers)


@pytest.mark.parametrize("path", ["/api/comments/", "/api/comments/1/report/"])
def test_the_preflight_admits_allowed_frontends_without_credentials(client, path):
    response = preflight(client, path, ALLOWED)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "content-type" in response["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in response  # no cookies: nothing for CSRF to guard


@pytest.mark.parametrize("path", ["/api/comments/", "/api/comments/1/report/"])
def test_a_site_outside_the_allowlist_gets_no_cors_headers(client, path):
    response = preflight(client, path, OTHER)
    assert not [name for name in response.headers if name.lower().startswith("access-control-")]


def test_a_post_from_an_allowed_frontend_is_accepted_and_readable_by_it(client, article):
    payload = {"page": article.pk, "name": "Rita", "email": "rita@example.com", "body": "From the widget"}
    response = post(client, "/api/comments/", ALLOWED, payload)
    assert response.status_code == 202
    assert response["Access-Control-Allow-Origin"] == ALLOWED
    assert "retry-after" in response["Access-Control-Expose-Headers"].lower()
    assert ArticleComment.objects.filter(comment__contains="From the widget").count() == 1


def test_a_post_from_another_site_is_refused_without_cors_headers(client, article, make_comment):
    payload = {"page": article.pk, "name": "Rita", "email": "rita@example.com", "body": "From elsewhere"}
    response = post(client, "/api/comments/", OTHER, payload)
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response
    comment = make_comment(article)
    report = post(client, f"/api/comments/{comment.pk}/report/", OTHER, {"reason": "spam"})
    assert report.status_code == 403 and "Access-Control-Allow-Origin" not in report
    assert not ArticleComment.objects.filter(comment__contains="From elsewhere").exists()


@override_settings(COMMENTS_RATE_LIMIT="1/min")
def test_the_widget_can_read_how_long_to_wait_after_the_rate_limit(client, article):
    payload = {"page": article.pk, "name": "Rita", "email": "rita@example.com", "body": "One"}
    assert post(client, "/api/comments/", ALLOWED, payload).status_code == 202
    limited = post(client, "/api/comments/", ALLOWED, {**payload, "body": "Two"})
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert limited["Access-Control-Allow-Origin"] == ALLOWED
    assert "retry-after" in limited["Access-Control-Expose-Headers"].lower()
