"""Nothing private leaks: canaries planted everywhere private, then every public surface is read.

Canaries sit in a draft, an unpublished article, a password-protected and a login-protected one, a
draft testimonial, pending, rejected, spam and removed comments, commenters' e-mail addresses and
client addresses. No public response may contain one, nor an MD5 or SHA hash of an address.
"""

import hashlib

import pytest
from wagtail.models import PageViewRestriction

from articles.models import Testimonial
from comments.services import (
    comment_approve,
    comment_create,
    comment_mark_spam,
    comment_reject,
    comment_remove,
)

pytestmark = pytest.mark.django_db

EMAILS = ["canary.pending@leak.example", "canary.approved@leak.example", "Canary.Mixed@Leak.example"]
ADDRESS = "203.0.113.77"


def hashes(value):
    for variant in {value, value.lower(), value.strip().lower()}:
        data = variant.encode()
        for algorithm in ("md5", "sha1", "sha256"):
            yield hashlib.new(algorithm, data).hexdigest()


@pytest.fixture
def planted(article_factory, index, moderator):
    canaries = []

    def canary(label):
        value = f"CANARY-{label}-7f3a"
        canaries.append(value)
        return value

    article_factory(title=canary("draft"), slug="canary-draft", publish=False, tags=["canary"])
    unpublished = article_factory(title=canary("unpublished"), slug="canary-unpublished", tags=["canary"])
    unpublished.unpublish()
    protected = article_factory(title=canary("password"), slug="canary-password", tags=["canary"])
    PageViewRestriction.objects.create(page=protected, restriction_type="password", password="pw")
    private = article_factory(title=canary("login"), slug="canary-login", tags=["canary"])
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    Testimonial.objects.create(quote=canary("testimonial"), name=canary("testimonial-name"), live=False, featured=True)

    public = article_factory(title="Public article", slug="public-article", tags=["canary"])

    def post(body, email=EMAILS[0], parent=None):
        return comment_create(article=public, parent=parent, name="Name", email=email, body=body, client_ip=ADDRESS)

    approved = comment_approve(comment=post("Approved words", email=EMAILS[1]), moderator=moderator)[0]
    post(canary("pending"))
    post(canary("pending-reply"), parent=approved)
    comment_reject(comment=post(canary("rejected")), moderator=moderator)
    comment_mark_spam(comment=post(canary("spam"), email=EMAILS[2]), moderator=moderator)
    removed = comment_approve(comment=post(canary("removed")), moderator=moderator)[0]
    comment_approve(comment=post("Reply under a removed comment", parent=removed), moderator=moderator)
    comment_remove(comment=removed, moderator=moderator)

    secrets = canaries + EMAILS + [e.lower() for e in EMAILS] + [ADDRESS, "203.0.113.0"]
    secrets += [digest for email in EMAILS for digest in hashes(email)]
    return public, secrets


def public_urls(public, index):
    """``(url, status)``: what an anonymous reader is answered, after following any redirect."""
    readable = [
        "/",
        "/articles/",
        "/articles/?tag=canary",
        "/articles/?page=2",
        public.url,
        f"{public.url}?comments=2",
        "/api/v2/pages/",
        "/api/v2/pages/?fields=*",
        "/api/v2/pages/?type=articles.ArticlePage&fields=*",
        "/api/v2/pages/?type=articles.ArticlePage&fields=intro,date,author,hero_image,tags&order=-date",
        "/api/v2/pages/?search=CANARY",
        "/api/v2/pages/?search=canary&type=articles.ArticlePage",
        f"/api/v2/pages/?child_of={index.pk}",
        f"/api/v2/pages/?descendant_of={index.pk}&fields=*",
        "/api/v2/pages/?slug=canary-draft",
        f"/api/v2/pages/{public.pk}/",
        f"/api/v2/pages/{index.pk}/",
        "/api/v2/testimonials/",
        "/api/v2/testimonials/?fields=*",
        f"/api/comments/?page={public.pk}",
        f"/api/comments/?page={public.pk}&limit=100",
        "/api/schema/",
    ]
    urls = [(url, 200) for url in readable]
    for slug in ["canary-draft", "canary-unpublished", "canary-password", "canary-login"]:
        urls.append((f"/api/v2/pages/find/?html_path=/articles/{slug}/", 404))
    urls += [("/articles/canary-draft/", 404), ("/articles/canary-unpublished/", 404)]
    # The password form, and the login form after a redirect: pages without the article.
    urls += [("/articles/canary-password/", 200), ("/articles/canary-login/", 200)]
    return urls


def test_no_public_response_contains_a_canary(client, planted, index):
    public, secrets = planted
    read = 0
    for url, status in public_urls(public, index):
        response = client.get(url, follow=True)
        assert response.status_code == status, (url, response.status_code)
        body = response.content.decode(errors="replace")
        for secret in secrets:
            assert secret not in body, f"{secret} leaked at {url}"
        read += 1
    assert read > 25
    login = client.get("/articles/canary-login/")
    assert (login.status_code, login["Location"]) == (302, "/_util/login/?next=/articles/canary-login/")
    assert b'name="password"' in client.get("/articles/canary-password/").content
    # The public thread still shows what is public, so the test reads real content.
    thread = client.get(f"/api/comments/?page={public.pk}").content.decode()
    assert "Approved words" in thread and "Reply under a removed comment" in thread


def test_the_public_count_counts_approved_comments_only(client, planted):
    public, _ = planted
    data = client.get(f"/api/v2/pages/{public.pk}/").json()
    assert data["comments"]["count"] == 2
