"""The article page's comment section and its no-JavaScript form."""

import re

import pytest
from django.test import Client, override_settings

from comments.forms import CommentForm
from comments.models import ArticleComment, CommentStatus

pytestmark = pytest.mark.django_db


SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}  # what a browser sends with the page's own form


def csrf_client_and_token(url):
    """A browser-like client on the article page. The page is the same for every anonymous reader
    (caches keep it), so its form has no CSRF token; forgery is refused by origin instead."""
    client = Client(enforce_csrf_checks=True, **SAME_ORIGIN)
    page = client.get(url)
    assert page.status_code == 200
    assert b"csrfmiddlewaretoken" not in page.content
    return client, None, page


def form_data(article, token, **extra):
    data = {
        "page": article.pk,
        "name": "Page Reader",
        "email": "page.reader@example.com",
        "body": "Posted from the page form",
        "honeypot": "",
    }
    data.update(extra)
    return data


def test_the_form_posts_a_pending_comment_and_says_it_awaits_moderation(article):
    client, token, page = csrf_client_and_token(article.url)
    assert b"comments must be approved before they are published" in page.content
    response = client.post("/comments/post/", form_data(article, token, followup="on"))
    assert response.status_code == 303
    assert response["Location"] == f"{article.url}?comment=pending#comments"
    comment = ArticleComment.objects.get()
    assert comment.status == CommentStatus.PENDING and comment.followup
    shown = client.get(response["Location"])
    assert b"awaiting moderation" in shown.content
    assert b"Posted from the page form" not in shown.content
    assert b"page.reader@example.com" not in shown.content


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_ORIGIN": "https://evil.example"}, {"HTTP_SEC_FETCH_SITE": "cross-site"}, {"HTTP_ORIGIN": "null"}],
)
def test_a_form_posted_from_another_site_is_refused(article, headers):
    client = Client(enforce_csrf_checks=True, **headers)
    response = client.post("/comments/post/", form_data(article, None))
    assert response.status_code == 403
    assert ArticleComment.objects.count() == 0


def test_form_errors_are_shown_on_the_page(article):
    client, token, _ = csrf_client_and_token(article.url)
    response = client.post("/comments/post/", form_data(article, token, email="nope", body=""))
    assert response.status_code == 400
    assert b"Enter a valid email address." in response.content
    assert b'value="Page Reader"' in response.content  # what the reader typed is kept
    assert ArticleComment.objects.count() == 0


def test_posting_to_a_page_that_is_not_commentable_is_404(article_factory):
    closed = article_factory(allow_comments=False)
    open_one = article_factory()
    client, token, _ = csrf_client_and_token(open_one.url)
    response = client.post("/comments/post/", form_data(closed, token))
    assert response.status_code == 404


@override_settings(COMMENTS_RATE_LIMIT="1/min")
def test_the_form_is_rate_limited(article):
    client, token, _ = csrf_client_and_token(article.url)
    assert client.post("/comments/post/", form_data(article, token, body="one")).status_code == 303
    response = client.post("/comments/post/", form_data(article, token, body="two"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert b"posting too fast" in response.content


@pytest.mark.parametrize("limit", [40, 5000])
def test_the_form_takes_the_comment_length_limit_from_the_settings(article, limit):
    with override_settings(COMMENTS_MAX_LENGTH=limit):
        page = Client().get(article.url)
        textarea = re.search(rb"<textarea [^>]*>", page.content).group()
        assert f'maxlength="{limit}"'.encode() in textarea
        fields = {"page": article.pk, "name": "Page Reader", "email": "page.reader@example.com"}
        assert CommentForm(data={**fields, "body": "x" * limit}).is_valid()
        too_long = CommentForm(data={**fields, "body": "x" * (limit + 1)})
        assert not too_long.is_valid()
        assert f"at most {limit} characters" in too_long.errors["body"][0]


def test_approved_threads_render_with_replies_and_placeholders(client, article, make_comment, moderator):
    from comments.services import comment_remove

    root = make_comment(article, body="First <strong>thoughts</strong>", name="Ana")
    make_comment(article, parent=root, body="A reply to Ana", name="Ben")
    make_comment(article, body="Waiting text", approve=False)
    gone = make_comment(article, body="To be removed", name="Cy")
    make_comment(article, parent=gone, body="Reply survives", name="Dee")
    comment_remove(comment=gone, moderator=moderator)
    html = client.get(article.url).content.decode()
    assert "First <strong>thoughts</strong>" in html
    assert "A reply to Ana" in html and "Reply survives" in html
    assert "Comment removed." in html
    assert "Waiting text" not in html and "To be removed" not in html
    assert "someone@example.com" not in html and "203.0.113" not in html
    reply = client.get(f"{article.url}?reply_to={root.pk}")
    assert f'name="parent" value="{root.pk}"'.encode() in reply.content


def test_readers_report_a_comment_from_the_page(client, article, make_comment):
    from comments.models import CommentReport

    comment = make_comment(article, body="Questionable words")
    html = client.get(article.url).content.decode()
    assert f"/comments/{comment.pk}/report/" in html
    form = client.get(f"/comments/{comment.pk}/report/")
    assert form.status_code == 200 and b"Questionable words" in form.content
    bad = client.post(f"/comments/{comment.pk}/report/", {"reason": "nonsense"})
    assert bad.status_code == 400
    done = client.post(f"/comments/{comment.pk}/report/", {"reason": "abuse", "detail": "Rude"})
    assert done.status_code == 303
    assert CommentReport.objects.get().reason == "abuse"
    pending = make_comment(article, approve=False)
    assert client.get(f"/comments/{pending.pk}/report/").status_code == 404
