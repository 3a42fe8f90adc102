"""Query budgets of every public and moderation endpoint, on a small and on a much larger database.

The module builds one small site (4 articles, 11 comments, 3 reports, 2 testimonials, 8 images, 2
documents), measures every endpoint listed below, grows the same database about tenfold (40 articles,
over 330 comments, 31 reports, 30 testimonials, 75 images, 30 documents, 330 more audit-log entries)
and measures every endpoint again; then it rolls all of it back. Each test takes one endpoint's two
counts: they must be equal (nothing is loaded once per row) and within the endpoint's budget (nothing
was added once per request). Where a response lists rows, the test also checks that the larger
database does list more of them: otherwise the comparison would prove nothing.

Budgets are the counts measured on SQLite and on PostgreSQL (the same on both when written). A change
that needs more queries raises its budget in the same commit, and says why.

How a request is measured (``measure``): it is made once first, to fill what a running process keeps
for good (content types, renditions; a write acts on another row the first time), then the cache is
cleared and the request is made again under ``CaptureQueriesContext``. A cold cache is the worst case;
a warm public response cache answers a repeated anonymous GET with no query at all. So is a Bearer
token not used for a minute: its use is recorded (one UPDATE, ``comments/tokens.py``), so the measured
request finds every token's last use blank. Counts include the
SAVEPOINTs of the views' ``atomic`` blocks (the module runs in a transaction, as Django's ``TestCase``
does); work done on commit (e-mail tasks, signals, webhooks) is not counted.

Budgeted elsewhere, so not repeated here: the public thread ``GET /api/comments/?page=``, ``POST
/api/comments/`` and the rendered article against the size of the thread, and the moderation API's
default (pending) queue (``tests/comments/test_query_budgets.py``, ``test_moderation_api.py``); the admin
queue's default (pending) listing (``test_admin_queue.py``); the article detail against the number of
body blocks and the pages listing against ``limit`` (``tests/articles/test_api.py``).
"""

import datetime
import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient
from wagtail.documents import get_document_model
from wagtail.models import APIToken, ModelLogEntry, Site

from articles.factories import ArticleIndexPageFactory, ArticlePageFactory, AuthorFactory, ImageFactory
from articles.models import ArticlePage, Disclaimer, Testimonial
from bench.seeding import seed_threads
from comments.models import ArticleComment, CommentReport, CommentStatus
from comments.services import comment_approve, comment_create, report_create
from comments.unsubscribe import make_unsubscribe_token
from core.factories import UserFactory
from home.models import HomePageFeaturedArticle

pytestmark = pytest.mark.django_db  # has the test database set up; the data is the module fixture's

TINY = (48, 27)  # pixels: renditions of any spec are quick to make


# --- the database, small and then large ------------------------------------------------------------
@dataclass
class World:
    """The site being measured, the clients that call it, and fresh rows for the writes to act on."""

    home: object
    index: object
    moderator: object
    api: APIClient  # anonymous
    client: Client  # anonymous
    mod_api: APIClient  # Bearer token of a moderator
    mod_client: Client  # a moderator's admin session
    articles: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    subject: object = None  # the article that article-level requests are about
    quiet: object = None  # a comment whose history stays 3 entries long
    busy: object = None  # a comment whose history grows from 2 to 32 entries
    testimonial: object = None
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def n(self):
        return next(self.counter)

    # -- content
    def add_authors(self, count):
        for _ in range(count):
            n = self.n
            self.authors.append(AuthorFactory(name=f"Author {n}", photo=ImageFactory(title=f"Face {n}", size=TINY)))

    def add_articles(self, count, *, revisions):
        for _ in range(count):
            n = self.n
            fields = {
                "tags": ["common", f"t{n % 4}"],
                "author": self.authors[n % len(self.authors)],
                "hero_image": ImageFactory(title=f"Hero {n}", size=TINY),
                "body": [
                    {"type": "heading", "value": {"text": f"Part {n}", "level": "h2"}},
                    {
                        "type": "paragraph",
                        "value": f'<p>Text {n}, <a linktype="page" id="{self.index.pk}">more</a>.</p>',
                    },
                ],
            }
            if revisions:
                self.articles.append(ArticlePageFactory(parent=self.index, **fields))
            else:  # live, without a revision: the same to readers, and much quicker to make
                tags, body = fields.pop("tags"), fields.pop("body")
                page = ArticlePage(
                    title=f"Article {n}", slug=f"budget-article-{n}", intro=f"Intro {n}", live=True,
                    date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n), body=json.dumps(body),
                    first_published_at=timezone.now(), **fields,
                )  # fmt: skip
                page.tags.add(*tags)  # kept in the cluster; add_child's save writes them
                self.articles.append(self.index.add_child(instance=page))

    def add_testimonials(self, count):
        for _ in range(count):
            n = self.n
            Testimonial.objects.create(
                quote=f"Quote {n}", name=f"Student {n}", role="Graduate", featured=n % 2 == 0, live=True,
                photo=ImageFactory(title=f"Student {n}", size=TINY),
            )  # fmt: skip
        Testimonial.objects.create(quote="Not yet", name="Draft", live=False)

    def add_documents(self, count):
        documents = get_document_model().objects
        for _ in range(count):
            n = self.n
            documents.create(title=f"Leaflet {n}", file=ContentFile(b"%PDF-1.4\n", name=f"leaflet-{n}.pdf"))

    # -- comments
    def add_threads(self, articles, *, approved, pending, others):
        """Per article: ``approved`` threads with one reply, ``pending`` and ``others`` of each other state."""
        for article in articles:
            seed_threads(article, threads=approved, replies=1)
            seed_threads(article, threads=pending, status=CommentStatus.PENDING)
            for status in (CommentStatus.REJECTED, CommentStatus.SPAM, CommentStatus.REMOVED):
                seed_threads(article, threads=others, status=status)

    def add_reports(self, count):
        unreported = ArticleComment.objects.filter(status=CommentStatus.APPROVED, reports__isnull=True).order_by("pk")[
            :count
        ]
        made = CommentReport.objects.bulk_create(
            CommentReport(comment=comment, reason=CommentReport.Reason.SPAM, detail=f"Report {comment.pk}")
            for comment in unreported
        )
        assert len(made) == count

    def add_log_entries(self, comments):
        content_type = ContentType.objects.get_for_model(ArticleComment)
        now = timezone.now()
        ModelLogEntry.objects.bulk_create(
            ModelLogEntry(
                content_type=content_type,
                object_id=str(pk),
                label=f"Comment {pk}",
                action="comments.approve",
                data={"from": "pending", "to": "approved"},
                timestamp=now - datetime.timedelta(seconds=i),
                user=self.moderator,
            )
            for i, pk in enumerate(comments)
        )

    def new_comment(self, *, approved=False, followup=False):
        """A comment on the subject stored as a reader's is (with its audit entries), pending or approved."""
        n = self.n
        comment = comment_create(
            article=self.subject, parent=None, name=f"Reader {n}", email=f"reader{n}@example.com",
            body=f"Fresh comment {n}", client_ip="203.0.113.9", followup=followup,
        )  # fmt: skip
        if approved:
            comment, _ = comment_approve(comment=comment, moderator=self.moderator)
        return comment

    # -- the two sizes
    def build_small(self):
        Disclaimer.objects.create(title="Default", body="<p>Not medical advice.</p>", is_default=True)
        self.add_authors(2)
        # Four: the subject's three related posts are found by shared tags at both sizes. With fewer, a
        # last query looks for the newest others to fill the three places (one more, not one per row).
        self.add_articles(4, revisions=True)
        self.subject = self.articles[1]  # with an older and a newer neighbour at both sizes
        HomePageFeaturedArticle.objects.create(page=self.home, article=self.subject)
        self.add_testimonials(2)
        self.testimonial = Testimonial.objects.filter(live=True).first()
        self.add_documents(2)
        self.add_threads([self.subject], approved=2, pending=2, others=1)  # 9 comments
        self.add_reports(2)
        self.quiet = self.new_comment(approved=True)
        report_create(comment=self.quiet, reason=CommentReport.Reason.OFF_TOPIC)
        self.busy = self.new_comment(approved=True)  # 11 comments, 3 reports; 3 and 2 log entries for these two

    def grow(self):
        self.add_authors(3)
        self.add_articles(36, revisions=False)
        self.add_testimonials(28)
        self.add_documents(28)
        # 10 articles x (10 approved threads with a reply, 6 pending, 2 rejected, 2 spam, 2 removed)
        self.add_threads([self.subject, *self.articles[-9:]], approved=10, pending=6, others=2)
        self.add_reports(28)
        others = ArticleComment.objects.exclude(pk__in=[self.quiet.pk, self.busy.pk]).order_by("pk")
        self.add_log_entries(others.values_list("pk", flat=True)[:300])
        self.add_log_entries([self.busy.pk] * 30)


# --- the endpoints -------------------------------------------------------------------------------
@dataclass
class Endpoint:
    name: str
    request: object  # world -> a callable making the request (rows it acts on are made beforehand)
    budget: int  # the count measured (see the module's docstring)
    status: int = 200
    rows: object = None  # response -> rows it lists, which must be more on the larger database
    xfail: str = ""  # the count grows with the data: a known N+1, documented here until it is fixed

    def param(self):
        marks = [pytest.mark.xfail(strict=True, raises=AssertionError, reason=self.xfail)] if self.xfail else []
        return pytest.param(self, id=self.name, marks=marks)


def fill(value, w):
    return value.format(w=w) if isinstance(value, str) else value


def getter(client, path, **params):
    """GET ``path`` with one of the world's clients; ``{w.…}`` in the path and the values is filled in."""
    return lambda w: lambda: getattr(w, client).get(fill(path, w), {key: fill(v, w) for key, v in params.items()})


def listed(response):
    data = response.json()
    return len(data if isinstance(data, list) else data.get("items", data.get("results")))


def counted(marker):
    return lambda response: response.content.count(marker)


LISTING = "intro,date,author,hero_image,tags"  # every field an article listing allows; the rest are detail-only
ARTICLES = {"type": "articles.ArticlePage", "fields": LISTING}
PAGES = "/api/v2/pages/"
# Each Endpoint's third argument is its budget: the count measured, equal on SQLite and PostgreSQL.

# Public: Wagtail's API v2, with the project's pages and testimonials endpoints. The pages endpoints make
# their base queryset once per request, view restrictions read once (core/visibility.py): two fewer each.
CONTENT_API = [
    Endpoint("GET pages/", getter("api", PAGES), 5, rows=listed),
    Endpoint("GET pages/?type=ArticlePage&fields=<listing>", getter("api", PAGES, **ARTICLES), 10, rows=listed),
    # fields=* shows each page's locale: select_related in PublicPagesAPIViewSet (was one query per page).
    Endpoint(
        "GET pages/?type=ArticlePage&fields=*", getter("api", PAGES, type=ARTICLES["type"], fields="*"), 10, rows=listed
    ),
    Endpoint(
        "GET pages/?type=ArticlePage&tags=common", getter("api", PAGES, **ARTICLES, tags="common"), 10, rows=listed
    ),
    Endpoint("GET pages/?child_of=<index>", getter("api", PAGES, **ARTICLES, child_of="{w.index.pk}"), 11, rows=listed),
    Endpoint("GET pages/?search=Article", getter("api", PAGES, **ARTICLES, search="Article"), 10, rows=listed),
    Endpoint(
        "GET pages/<article>/",
        getter("api", PAGES + "{w.subject.pk}/"),
        # Body, hero image, author, tags and picks: one stored row of the revision (articles/body_store.py);
        # the article and its own row in one query; view restrictions read once, both neighbours in one
        # query, the parent in one, the related posts with their stored summaries in one (a post not
        # stored yet: one query more for its thumbnail's renditions), testimonials' photos joined. Was 14,
        # 25 and 31.
        13,
        rows=lambda response: len(response.json()["testimonials"]),  # the featured ones, up to 6
    ),
    Endpoint("GET pages/<index>/", getter("api", PAGES + "{w.index.pk}/"), 5),  # the page and its own row joined; was 6
    Endpoint(  # the article routed in one query (ArticleIndexPage.route); was 8
        "GET pages/find/?html_path=<article>", getter("api", PAGES + "find/", html_path="{w.subject.url}"), 7, 302
    ),
    Endpoint("GET testimonials/", getter("api", "/api/v2/testimonials/"), 4, rows=listed),
    Endpoint("GET testimonials/<id>/", getter("api", "/api/v2/testimonials/{w.testimonial.pk}/"), 3),
    # Tags prefetched and sorted in Python (articles.api.PrefetchedTagsField; was one query per object).
    Endpoint("GET images/", getter("api", "/api/v2/images/"), 5, rows=listed),
    Endpoint("GET images/<id>/", getter("api", "/api/v2/images/{w.subject.hero_image_id}/"), 3),
    Endpoint("GET documents/", getter("api", "/api/v2/documents/"), 5, rows=listed),
]

CARD = counted(b'class="card"')
# Public: the rendered site.
SITE = [
    Endpoint("home page", getter("client", "/"), 14, rows=CARD),  # 4 then 7 cards: featured and latest
    Endpoint("article index", getter("client", "{w.index.url}"), 12, rows=CARD),
    Endpoint("article index, ?tag=", getter("client", "{w.index.url}", tag="common"), 13, rows=CARD),
    Endpoint("article index, ?page=2", getter("client", "{w.index.url}", page="2"), 12, rows=CARD),
    # What the API detail stores and reads, the same way (articles/body_store.py, core/visibility.py), the
    # article routed in one query (ArticleIndexPage.route); was 31, 37.
    Endpoint("article", getter("client", "{w.subject.url}"), 22, rows=counted(b'class="testimonial"')),
]


def api_report(w):
    comment = w.new_comment(approved=True)
    return lambda: w.api.post(f"/api/comments/{comment.pk}/report/", {"reason": "spam", "detail": "Ads"}, format="json")


def form_post(*, valid):
    def request(w):
        n = w.n
        data = {"page": w.subject.pk, "name": "Reader", "email": f"form{n}@example.com", "body": f"By form {n}"}
        if not valid:
            data["body"] = ""  # the article is rendered again, with the errors
        return lambda: w.client.post("/comments/post/", data)

    return request


def page_report(method):
    def request(w):
        path = f"/comments/{w.new_comment(approved=True).pk}/report/"
        if method == "get":
            return lambda: w.client.get(path)
        return lambda: w.client.post(path, {"reason": "abuse", "detail": ""})

    return request


def unsubscribe(method):
    def request(w):
        path = f"/comments/unsubscribe/{make_unsubscribe_token(w.new_comment(followup=True).unsubscribe_key)}/"
        return lambda: getattr(w.client, method)(path)

    return request


# Public: reports, the page's comment form, unsubscribing. A report checks that the comment's page is
# live, public and commentable (2 queries, the thread's own 404); a post that the name is no staff member's (1)
# and that neither its e-mail nor its network is blocked (1).
# An unsubscribe link finds its subscription by key (1); a POST then selects that address's following
# rows on that article and updates them (2; before keys, the measured link followed nothing: no update).
PUBLIC_WRITES = [
    Endpoint("POST /api/comments/<id>/report/", api_report, 8, 202),
    Endpoint("POST /comments/post/", form_post(valid=True), 20, 303),
    Endpoint("POST /comments/post/, invalid", form_post(valid=False), 20, 400),  # the article page again; was 28, 36
    Endpoint("GET /comments/<id>/report/", page_report("get"), 6),
    Endpoint("POST /comments/<id>/report/", page_report("post"), 9, 303),
    Endpoint("GET /comments/unsubscribe/<token>/", unsubscribe("get"), 4),
    Endpoint("POST /comments/unsubscribe/<token>/", unsubscribe("post"), 6),
]

QUEUE = "/api/moderation/comments/"


def api_action(action):
    def request(w):
        comment = w.new_comment(approved=action == "remove")
        return lambda: w.mod_api.post(f"{QUEUE}{comment.pk}/{action}/")

    return request


def api_bulk(w):
    ids = [w.new_comment().pk for _ in range(5)]  # five at both sizes: the size is the database's
    return lambda: w.mod_api.post(f"{QUEUE}bulk/", {"ids": ids, "action": "approve"}, format="json")


# Moderation: the API, by Bearer token (and the queue once by session). A token's request includes
# the UPDATE recording its use (see the module's docstring); the session's does not.
MODERATION_API = [
    *[
        Endpoint(f"GET queue?status={status}", getter("mod_api", QUEUE, status=status), 7, rows=listed)
        for status in (CommentStatus.APPROVED, CommentStatus.REJECTED, CommentStatus.SPAM, CommentStatus.REMOVED)
    ],
    Endpoint("GET queue?page=<article>", getter("mod_api", QUEUE, page="{w.subject.pk}"), 7, rows=listed),
    Endpoint(
        "GET queue?status=approved&reported=true",
        getter("mod_api", QUEUE, status="approved", reported="true"),
        7,
        rows=listed,
    ),
    Endpoint("GET queue?status=approved, by session", getter("mod_client", QUEUE, status="approved"), 7, rows=listed),
    Endpoint("POST <id>/approve/", api_action("approve"), 19),
    # A pending comment's rejection leaves the stored counts as they are (comments.counts); both were 20.
    Endpoint("POST <id>/reject/", api_action("reject"), 16),
    Endpoint("POST <id>/spam/", api_action("spam"), 16),
    # Removing a thread's only approved comment takes the thread off the public list (comments.PublicThread): +1.
    Endpoint("POST <id>/remove/", api_action("remove"), 21),
    Endpoint("POST bulk/, 5 ids", api_bulk, 15),  # the same for 1 or 100 ids (services.comments_bulk); was 60
    Endpoint("GET <id>/history/, 3 entries", getter("mod_api", QUEUE + "{w.quiet.pk}/history/"), 6),
    Endpoint("GET <id>/history/, 2 then 32 entries", getter("mod_api", QUEUE + "{w.busy.pk}/history/"), 6, rows=listed),
]

ADMIN = "/admin/comments/"
ROW = counted(b"data-bulk-action-checkbox")
BULK = "/admin/bulk/comments/articlecomment/approve/"


def admin_action(action):
    def request(w):
        comment = w.new_comment(approved=action == "remove")
        return lambda: w.mod_client.post(f"{ADMIN}{comment.pk}/{action}/", {"next": ADMIN})

    return request


def admin_bulk(method):
    def request(w):
        query = "&".join(f"id={w.new_comment().pk}" for _ in range(5))
        return lambda: getattr(w.mod_client, method)(f"{BULK}?{query}&next={ADMIN}")

    return request


# Moderation: the queue in the Wagtail admin (comments/admin_queue/), by session.
ADMIN_QUEUE = [  # every page: the menu's two counts (pending, reported), the commenters' history and their blocks
    Endpoint("GET ?status=approved", getter("mod_client", ADMIN, status="approved"), 17, rows=ROW),
    Endpoint("GET ?article=<article>", getter("mod_client", ADMIN, article="{w.subject.pk}"), 17, rows=ROW),
    Endpoint("GET ?status=reported", getter("mod_client", ADMIN, status="reported"), 17, rows=ROW),
    Endpoint(
        "GET ?status=all&q=e&ordering=-user_name",
        getter("mod_client", ADMIN, status="all", q="e", ordering="-user_name"),
        17,
        rows=ROW,
    ),
    Endpoint("POST <id>/approve/", admin_action("approve"), 17, 302),
    Endpoint("POST <id>/reject/", admin_action("reject"), 14, 302),  # as the API's: was 18
    Endpoint("POST <id>/spam/", admin_action("spam"), 14, 302),
    Endpoint("POST <id>/remove/", admin_action("remove"), 19, 302),  # +1: the public thread list, as above
    Endpoint("GET bulk approve (the confirmation), 5 ids", admin_bulk("get"), 11),
    Endpoint("POST bulk approve, 5 ids", admin_bulk("post"), 19, 302),  # one bulk transition; was 64, 11 per id
    Endpoint("GET <id>/history/, 3 entries", getter("mod_client", ADMIN + "{w.quiet.pk}/history/"), 13),
    Endpoint(
        "GET <id>/history/, 2 then 32 entries",
        getter("mod_client", ADMIN + "{w.busy.pk}/history/"),
        13,
        rows=counted(b"<tr><td>"),
    ),
]

FAMILIES = {
    "content API": CONTENT_API,
    "rendered site": SITE,
    "public writes": PUBLIC_WRITES,
    "moderation API": MODERATION_API,
    "admin queue": ADMIN_QUEUE,
}


# --- measuring -----------------------------------------------------------------------------------
@dataclass
class Measurement:
    queries: list
    rows: int | None


def measure(endpoint, world):
    endpoint.request(world)()  # the first use (see the module's docstring)
    call = endpoint.request(world)
    cache.clear()  # cold: the public response cache, Wagtail's site root paths, throttles
    APIToken.objects.update(last_used_at=None)  # a token's first use in a minute records it: one UPDATE
    with CaptureQueriesContext(connection) as log:
        response = call()
    assert response.status_code == endpoint.status, (response.status_code, response.content[:500])
    # Copied now: CaptureQueriesContext reads its queries from the connection's log, which moves on.
    queries = [query["sql"] for query in log.captured_queries]
    return Measurement(queries, endpoint.rows(response) if endpoint.rows else None)


def measure_all(world):
    measurements = {}
    for family, endpoints in FAMILIES.items():
        for endpoint in endpoints:
            try:
                with transaction.atomic():  # a failure undoes its own writes, and the others go on
                    measurements[family, endpoint.name] = measure(endpoint, world)
            except Exception as exc:  # noqa: BLE001 - raised again by the endpoint's own test
                measurements[family, endpoint.name] = exc
    return measurements


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    """``{(family, endpoint name): (small, large)}``, measured once for the module; nothing stays."""
    cache.clear()
    with django_db_blocker.unblock(), transaction.atomic():
        moderator = UserFactory(username="budget-moderator", groups=["Moderators"])
        home = Site.objects.get(is_default_site=True).root_page.specific
        index = ArticleIndexPageFactory(parent=home, slug="articles")
        _, token = APIToken.create_token(user=moderator, name="budget")
        mod_api = APIClient()
        mod_api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        mod_client = Client()
        mod_client.force_login(moderator)
        world = World(home, index, moderator, api=APIClient(), client=Client(), mod_api=mod_api, mod_client=mod_client)
        world.build_small()
        small = measure_all(world)
        world.grow()
        large = measure_all(world)
        transaction.set_rollback(True)
    cache.clear()
    return {key: (small[key], large[key]) for key in small}


def shape(sql):
    """A query without its values, so that the ones made once per row show as one line."""
    sql = re.sub(r"^SELECT (DISTINCT )?.*? FROM ", r"SELECT \1… FROM ", sql)  # the columns say little
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    sql = re.sub(r"(\S+ = \?)(?: OR \1)+", r"\1 OR …", sql)  # how Django prefetches some lists of ids
    return re.sub(r"\((?:\?, )*\?\)", "(?, …)", sql)


def difference(small, large):
    more = Counter(shape(sql) for sql in large)
    more.subtract(Counter(shape(sql) for sql in small))
    return "\n".join(f"{n:+d} x {sql}" for sql, n in more.most_common() if n)


def check(measured, family, endpoint):
    small, large = measured[family, endpoint.name]
    for measurement in (small, large):
        if isinstance(measurement, Exception):
            raise measurement
    if endpoint.rows:
        assert large.rows > small.rows, f"{small.rows} rows listed small, {large.rows} large: the data did not grow"
    n_small, n_large = len(small.queries), len(large.queries)
    counts = f"{n_small} queries on the small database, {n_large} on the large one"
    assert n_small == n_large, f"{counts}; the difference:\n{difference(small.queries, large.queries)}"
    assert n_large <= endpoint.budget, f"{counts}, budget {endpoint.budget}:\n" + "\n".join(large.queries)


@pytest.mark.parametrize("endpoint", [endpoint.param() for endpoint in CONTENT_API])
def test_content_api(measured, endpoint):
    check(measured, "content API", endpoint)


@pytest.mark.parametrize("endpoint", [endpoint.param() for endpoint in SITE])
def test_rendered_site(measured, endpoint):
    check(measured, "rendered site", endpoint)


@pytest.mark.parametrize("endpoint", [endpoint.param() for endpoint in PUBLIC_WRITES])
def test_public_writes(measured, endpoint):
    check(measured, "public writes", endpoint)


@pytest.mark.parametrize("endpoint", [endpoint.param() for endpoint in MODERATION_API])
def test_moderation_api(measured, endpoint):
    check(measured, "moderation API", endpoint)


@pytest.mark.parametrize("endpoint", [endpoint.param() for endpoint in ADMIN_QUEUE])
def test_admin_queue(measured, endpoint):
    check(measured, "admin queue", endpoint)
