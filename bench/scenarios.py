"""What is measured: each scenario is one URL (or one POST) against one server, under wrk.

Servers (all on loopback, started by ``bench.runner``):

- ``app``: gunicorn with the production settings, the public response cache on (Redis);
- ``nocache``: the same, started with ``PUBLIC_CACHE_ENABLED=0``: every request is computed;
- ``peers``: a twin of ``nocache`` that serves only the stock peers (Wagtail's viewset, django-comments-xtd's
  list), so that their memory and warm-up never land in the workers that serve ours;
- ``alt``: like ``app`` with the other gunicorn worker class (sync vs gthread), for the comparison;
- ``granian``: like ``app`` under granian (WSGI, as many workers), the faster server beside gunicorn's two;
- ``nginx``: deploy/nginx.conf.template in front of ``app`` (proxy cache, static files);
- ``isso``: Isso under gunicorn, with as many workers, on its own SQLite database.
"""

import os
from dataclasses import dataclass, field


@dataclass
class Scenario:
    id: str
    label: str
    server: str  # which server receives the requests
    path: str
    group: str  # chart colour: limit, cached, ours, peer
    method: str = "GET"
    headers: list = field(default_factory=list)
    lua: str | None = None
    env: dict = field(default_factory=dict)
    connections: int | None = None  # None: BENCH_CONNECTIONS
    min_duration: int = 0  # seconds: a slow peer needs long enough runs to complete a few requests
    cpu_of: str | None = None  # whose CPU is "server CPU" (default: ``server``)
    expect: dict = field(default_factory=dict)  # what the pre-flight checks (see runner.preflight)
    note: str = ""

    @property
    def cpu_server(self):
        return self.cpu_of or self.server


class Ids:
    """The page ids and paths of the special articles ``bench_seed`` wrote into the manifest."""

    def __init__(self, manifest):
        special = manifest["special"]
        self.thread = {size: special[f"bench-thread-{size}"]["id"] for size in (10, 1_000, 10_000)}
        self.queue = {size: special[f"bench-queue-{size}"]["id"] for size in (100, 100_000)}
        self.article_path = f"/api/v2/pages/{self.thread[10_000]}/"
        self.page_path = special["bench-thread-10000"]["url_path"].removeprefix("/home")
        self.bearer = f"Authorization: Bearer {manifest['token']}"
        self.top_level = {spec["total"]: spec["threads"] for spec in manifest["threads"]}


def articles(ids):
    """The article detail, from the physical limit down to computed per request, and its peer."""
    return [
        Scenario(
            "static",
            "nginx: the article's JSON from a file",
            "nginx",
            "/static/bench/article.json",
            "limit",
            expect={"same_body_as": "article"},
            note="The physical limit: the same bytes the API answers, written to a file nginx serves.",
        ),
        Scenario(
            "article_nginx",
            "article detail through the nginx cache",
            "nginx",
            ids.article_path,
            "cached",
            expect={"header": ("X-Proxy-Cache", "HIT"), "same_body_as": "article"},
        ),
        Scenario(
            "article_app_cache",
            "article detail from the app's cache",
            "app",
            ids.article_path,
            "cached",
            expect={"header": ("X-Cache", "HIT"), "same_body_as": "article"},
            note="Straight to gunicorn (no nginx): Redis holds the response.",
        ),
        Scenario(
            "article_uncached",
            "article detail, uncached",
            "nocache",
            ids.article_path,
            "ours",
            expect={"uncached": True, "same_body_as": "article"},
        ),
        Scenario(
            "article_stock",
            "peer: Wagtail's stock PagesAPIViewSet, same article",
            "peers",
            f"/bench/stock/api/v2/pages/{ids.thread[10_000]}/",
            "peer",
            expect={"uncached": True},
        ),
        Scenario(
            "page_uncached",
            "rendered article page (HTML), uncached",
            "nocache",
            ids.page_path,
            "ours",
            expect={"uncached": True},
            note="The server-rendered page of the same article, with the first page of its 10,000-comment thread.",
        ),
    ]


def cache_peers(ids):
    """A hit in the app's cache beside Django's ``cache_page`` on the same Redis (bench/urls.py)."""
    return [
        Scenario(
            "article_cache_page",
            "peer: Django's cache_page, same article detail, same Redis",
            "peers",
            f"/bench/cache-page{ids.article_path}",
            "peer",
            expect={"same_body_as": "article"},
            note="The project's own API view under cache_page: every middleware runs, then Redis answers.",
        ),
        Scenario(
            "page_app_cache",
            "rendered article page (HTML) from the app's cache",
            "app",
            ids.page_path,
            "cached",
            expect={"header": ("X-Cache", "HIT")},
        ),
        Scenario(
            "page_cache_page",
            "peer: Django's cache_page, same rendered page, same Redis",
            "peers",
            f"/bench/cache-page{ids.page_path}",
            "peer",
            note="In place of wagtail-cache, whose latest release (3.0.0) requires wagtail<8.0.",
        ),
    ]


def threads(ids, isso_uris):
    """The public comment thread at three sizes, and the peers' threads."""
    slow_connections = max(2, os.cpu_count() or 2)
    ours = [
        Scenario(
            f"thread_{size}",
            f"comment thread at {size:,} comments, uncached",
            "nocache",
            f"/api/comments/?page={ids.thread[size]}",
            "ours",
            expect={"uncached": True, "json_len": ("results", min(20, ids.top_level.get(size, 20)))},
        )
        for size in (10, 1_000, 10_000)
    ]
    xtd = Scenario(
        "xtd_10000",
        "peer: django-comments-xtd's stock list, 10,000 comments",
        "peers",
        f"/bench/xtd/api/articles-articlepage/{ids.thread[10_000]}/",
        "peer",
        connections=slow_connections,
        min_duration=30,
        expect={"json_len": (None, 10_000)},
        note=(
            f"{slow_connections} connections (one per core) and runs of at least 30 s: the endpoint answers "
            "every comment at once, seconds per request; 32 waiting connections would only time out."
        ),
    )
    isso = [
        Scenario(
            f"isso_{size}",
            f"peer: Isso, thread of {size:,} comments",
            "isso",
            f"/?uri={uri}&limit=20&nested_limit=5",
            "peer",
            expect={"json_len": ("replies", 20)},
            note="The same page as ours: 20 top-level comments with their replies.",
        )
        for size, uri in isso_uris.items()
    ]
    return [*ours, xtd, *isso]


def writes_and_moderation(ids):
    """Posting a comment into a small and a large thread; the moderation queue at two sizes."""
    posts = [
        Scenario(
            f"post_{size}",
            f"post a comment into a thread of {size:,}",
            "app",
            "/api/comments/",
            "ours",
            method="POST",
            lua="post_comment",
            env={"BENCH_PAGE": str(ids.thread[size])},
            expect={"status": 202},
        )
        for size in (10, 10_000)
    ]
    queues = [
        Scenario(
            f"queue_{size}",
            f"moderation queue, article with {size:,} pending",
            "app",
            f"/api/moderation/comments/?status=pending&page={ids.queue[size]}",
            "ours",
            headers=[ids.bearer],
            expect={"uncached": True, "json_len": ("results", min(50, size))},
        )
        for size in (100, 100_000)
    ]
    return [*posts, *queues]


def other_worker_class(ids, alt_class):
    """A cheap and a waiting endpoint on gunicorn's other worker class (deploy/gunicorn.conf.py)."""
    return [
        Scenario(
            "alt_article_app_cache",
            f"{alt_class}: article detail from the app's cache",
            "alt",
            ids.article_path,
            "workers",
            expect={"header": ("X-Cache", "HIT")},
        ),
        Scenario(
            "alt_queue_100",
            f"{alt_class}: moderation queue, article with 100 pending",
            "alt",
            f"/api/moderation/comments/?status=pending&page={ids.queue[100]}",
            "workers",
            headers=[ids.bearer],
            expect={"uncached": True},
        ),
    ]


def faster_server(ids):
    """The same hit and the same uncached detail under granian (WSGI)."""
    return [
        Scenario(
            "granian_article_app_cache",
            "granian: article detail from the app's cache",
            "granian",
            ids.article_path,
            "workers",
            expect={"header": ("X-Cache", "HIT"), "same_body_as": "article"},
        ),
        Scenario(
            "granian_queue_100",
            "granian: moderation queue, article with 100 pending",
            "granian",
            f"/api/moderation/comments/?status=pending&page={ids.queue[100]}",
            "workers",
            headers=[ids.bearer],
            expect={"uncached": True},
        ),
    ]


def build(manifest, *, isso_uris, compare_workers, alt_class):
    ids = Ids(manifest)
    scenarios = [*articles(ids), *cache_peers(ids), *threads(ids, isso_uris), *writes_and_moderation(ids)]
    if compare_workers:
        scenarios += [*other_worker_class(ids, alt_class), *faster_server(ids)]
    return scenarios
