import pytest

from comments.models import ArticleComment, CommentStatus


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


def status_of(comment):
    return ArticleComment.objects.get(pk=comment.pk).status


__all__ = ["CommentStatus", "status_of"]
