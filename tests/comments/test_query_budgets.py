"""Query budgets: the same number of queries whatever the size of a thread or of the queue."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from wagtail.models import APIToken

from bench.seeding import seed_threads
from comments.models import ArticleComment, CommentStatus

pytestmark = pytest.mark.django_db


def queries(call, status=200):
    call()  # warm caches that are filled once (content types, site root paths)
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    assert response.status_code == status, response.content[:300]
    return len(ctx.captured_queries), ctx


@pytest.fixture
def sized_articles(article_factory):
    sizes = {}
    for total, threads, replies in [(10, 5, 1), (1_000, 250, 3), (10_000, 2_000, 4)]:
        article = article_factory(title=f"Thread of {total}")
        assert seed_threads(article, threads=threads, replies=replies) == total
        sizes[total] = article
    return sizes


def test_public_thread_costs_the_same_at_10_1000_and_10000(api, sized_articles):
    counts = {
        size: queries(lambda a=article: api.get("/api/comments/", {"page": a.pk}))[0]
        for size, article in sized_articles.items()
    }
    assert len(set(counts.values())) == 1, counts
    data = api.get("/api/comments/", {"page": sized_articles[10_000].pk}).json()
    assert data["count"] == 2_000 and len(data["results"]) == 20
    assert len(data["results"][0]["replies"]) == 4


def test_rendered_article_costs_the_same_at_10_and_10000(client, sized_articles):
    small, _ = queries(lambda: client.get(sized_articles[10].url))
    big, _ = queries(lambda: client.get(sized_articles[10_000].url))
    assert small == big


def test_posting_costs_the_same_whatever_the_thread_size(api, sized_articles):
    def post(article, n):
        root = ArticleComment.objects.filter(article=article, level=0).order_by("pk").first()
        return api.post(
            "/api/comments/",
            {
                "page": article.pk,
                "parent": root.pk,
                "name": "N",
                "email": "n@example.com",
                "body": f"Reply {n}",
            },
            format="json",
            REMOTE_ADDR=f"198.51.100.{n}",
        )

    counter = iter(range(1, 200))
    small, _ = queries(lambda: post(sized_articles[10], next(counter)), status=202)
    big, _ = queries(lambda: post(sized_articles[10_000], next(counter)), status=202)
    assert small == big


def test_moderation_queue_costs_the_same_at_100_and_100000_pending(article_factory, moderator, client):
    """The moderation API's queue and the admin's (by session), page 1 and a later page."""
    _, token = APIToken.create_token(user=moderator, name="budget")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.force_login(moderator)
    small_article = article_factory()
    seed_threads(small_article, threads=100, status=CommentStatus.PENDING)
    small, _ = queries(lambda: api.get("/api/moderation/comments/"))
    small_admin, _ = queries(lambda: client.get(ADMIN_QUEUE))
    small_next = admin_next_page(client.get(ADMIN_QUEUE))
    small_admin_next, _ = queries(lambda: client.get(small_next))
    seed_threads(article_factory(), threads=99_900, status=CommentStatus.PENDING)
    assert ArticleComment.objects.filter(status=CommentStatus.PENDING).count() == 100_000
    big, ctx = queries(lambda: api.get("/api/moderation/comments/"))
    assert small == big
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)
    page = api.get("/api/moderation/comments/").json()
    deep = api.get(page["next"])
    assert deep.status_code == 200 and len(deep.json()["results"]) == 50
    big_admin, ctx = queries(lambda: client.get(ADMIN_QUEUE))
    # Counted over the table: the menu's pending and reported counts only. The commenters' history
    # counts too, but only the rows of the page's e-mail addresses (grouped, through their index).
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper() and "GROUP BY" not in q["sql"]]
    assert small_admin == big_admin and len(counts) == 2
    big_next = admin_next_page(client.get(f"{ADMIN_QUEUE}?ordering=-created"))  # the newest: the big thread's
    big_admin_next, _ = queries(lambda: client.get(big_next))
    assert small_admin_next == big_admin_next


ADMIN_QUEUE = "/admin/comments/"


def admin_next_page(response):
    return re.search(r'href="([^"]*[?;]p=[^"]+)">Next page', response.content.decode()).group(1).replace("&amp;", "&")
