import pytest

from comments.models import ArticleComment, CommentStatus
from comments.services import comment_approve, comment_create


@pytest.fixture
def article(article_factory):
    return article_factory(title="Commentable", slug="commentable")


@pytest.fixture
def post_comment(api):
    """POST a comment as a reader would; returns the response."""

    def post(page, *, body="A thoughtful comment.", parent=None, ip="198.51.100.7", **extra):
        payload = {"page": page.pk, "name": "Reader", "email": "reader@example.com", "body": body}
        if parent is not None:
            payload["parent"] = parent.pk
        headers = {key: extra.pop(key) for key in list(extra) if key.startswith("HTTP_")}
        payload.update(extra)
        return api.post("/api/comments/", payload, format="json", REMOTE_ADDR=ip, **headers)

    return post


@pytest.fixture
def make_comment(moderator):
    """A comment stored through the service, optionally approved."""

    counter = iter(range(1, 1_000_000))

    def make(article, *, parent=None, approve=True, body=None, email="someone@example.com", name="Someone"):
        comment = comment_create(
            article=article,
            parent=parent,
            name=name,
            email=email,
            body=body or f"Comment number {next(counter)}",
            client_ip="203.0.113.77",
        )
        if approve:
            comment, _ = comment_approve(comment=comment, moderator=moderator)
        return ArticleComment.objects.get(pk=comment.pk)

    return make


def status_of(comment):
    return ArticleComment.objects.get(pk=comment.pk).status


__all__ = ["CommentStatus", "status_of"]
