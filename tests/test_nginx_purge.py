"""The reference deployment's proxy cache (deploy/nginx.conf.template) in front of the app, purged by it.

A real nginx (Debian's nginx-light with the cache-purge module; ``make test`` installs both) proxies
the live test server. Readers go through nginx; a moderator approves a comment and an editor
publishes; the very next read through nginx shows the change. Readers' addresses reach the app
through it as deploy/production.env.example's TRUSTED_PROXY_COUNT says.
"""

import http.client
import json
import logging
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from wagtail.models import APIToken

from articles.factories import ArticlePageFactory
from articles.models import ArticleSettings
from comments.models import ArticleComment, CommentStatus
from core import client_address
from core.factories import UserFactory
from deploy.render_nginx import render

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def nginx(live_server, tmp_path, settings):
    assert Path(NGINX).exists(), "nginx is missing: `make test` installs Debian's nginx-light and its purge module"
    port = free_port()
    prefix = tmp_path / "nginx"
    conf = render(
        listen=f"127.0.0.1:{port}",
        upstream=live_server.url.removeprefix("http://"),
        prefix=prefix,
        static_root=tmp_path,
        media_root=tmp_path,
        server_name="localhost",
    )
    (prefix / "nginx.conf").write_text(conf)
    process = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.05)
    settings.WAGTAILFRONTENDCACHE = {
        "nginx": {"BACKEND": "core.frontend_cache.PurgeBackend", "LOCATION": f"http://127.0.0.1:{port}"}
    }
    yield port
    process.terminate()
    process.wait(timeout=10)


def fetch(port, path, method="GET", body=None, headers=None, source="127.0.0.1"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    connection.request(method, path, body=body, headers={"Host": f"localhost:{port}", **(headers or {})})
    response = connection.getresponse()
    content = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), content


def read_twice(port, path):
    """The second read is served by nginx from its cache."""
    status, _, _ = fetch(port, path)
    assert status == 200, path
    status, headers, content = fetch(port, path)
    assert (status, headers.get("X-Proxy-Cache")) == (200, "HIT"), (path, status, headers)
    return content


@pytest.fixture(autouse=True)
def article_settings(db):
    # The first page ever rendered creates the settings row, which (rightly) keeps that one response
    # out of the caches; create it beforehand so that the second read below is already a hit.
    ArticleSettings.load()


def test_after_an_approval_the_next_read_through_nginx_shows_the_comment(nginx, index, make_comment):
    article = ArticlePageFactory(parent=index, title="Through the proxy", slug="through-the-proxy")
    pending = make_comment(article, approve=False, body="Held until a moderator looks")
    thread, detail = f"/api/comments/?page={article.pk}", f"/api/v2/pages/{article.pk}/"
    assert json.loads(read_twice(nginx, thread))["count"] == 0
    assert json.loads(read_twice(nginx, detail))["comments"]["count"] == 0
    assert b"Held until a moderator looks" not in read_twice(nginx, article.url)

    moderator = UserFactory(username="proxy-mod", groups=["Moderators"])
    _, token = APIToken.create_token(user=moderator, name="proxy")
    status, _, _ = fetch(
        nginx,
        f"/api/moderation/comments/{pending.pk}/approve/",
        method="POST",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert status == 200
    assert ArticleComment.objects.get(pk=pending.pk).status == CommentStatus.APPROVED

    status, headers, content = fetch(nginx, thread)
    assert headers["X-Proxy-Cache"] == "MISS"  # purged by the app
    assert json.loads(content)["results"][0]["body"] == "Held until a moderator looks"
    assert json.loads(fetch(nginx, detail)[2])["comments"]["count"] == 1
    assert b"Held until a moderator looks" in fetch(nginx, article.url)[2]
    assert fetch(nginx, thread)[1]["X-Proxy-Cache"] == "HIT"  # and cached again


def test_after_publishing_the_next_read_through_nginx_shows_the_new_revision(nginx, index):
    article = ArticlePageFactory(parent=index, title="First title", slug="first")
    detail = f"/api/v2/pages/{article.pk}/"
    assert b"First title" in read_twice(nginx, detail)
    assert b"First title" in read_twice(nginx, article.url)

    article.title = "Second title"
    article.save_revision().publish()

    assert json.loads(fetch(nginx, detail)[2])["title"] == "Second title"
    assert b"Second title" in fetch(nginx, article.url)[2]


def test_personal_and_non_canonical_reads_pass_nginx_by(nginx, index):
    article = ArticlePageFactory(parent=index, slug="personal")
    for _ in range(2):
        _, headers, _ = fetch(nginx, article.url, headers={"Cookie": "sessionid=abc"})
        assert headers["X-Proxy-Cache"] == "BYPASS"
    for _ in range(2):
        status, headers, _ = fetch(nginx, f"/api/v2/pages/{article.pk}/?fields=title")
        assert status == 200 and headers["X-Proxy-Cache"] == "MISS"  # the app does not let nginx keep it


def test_nginx_serves_media_but_never_a_document_file(nginx, tmp_path):
    """Documents go through the app's document view (collection privacy); nginx keeps their files to itself."""
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "private.txt").write_bytes(b"CANARY-document-via-nginx")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "picture.txt").write_bytes(b"a picture")
    status, _, body = fetch(nginx, "/media/documents/private.txt")
    assert status == 404 and b"CANARY" not in body
    status, _, body = fetch(nginx, "/media/images/picture.txt")
    assert (status, body) == (200, b"a picture")


def test_through_nginx_each_reader_is_the_address_nginx_saw(nginx, index, settings, monkeypatch, caplog):
    """With the reference TRUSTED_PROXY_COUNT, readers at 127.0.0.2 and 127.0.0.3 are two clients (nginx
    itself reaches the app from 127.0.0.1), and what a reader writes in X-Forwarded-For changes nothing."""
    reference = (Path(__file__).resolve().parents[1] / "deploy" / "production.env.example").read_text()
    settings.TRUSTED_PROXY_COUNT = int(re.search(r"^TRUSTED_PROXY_COUNT=(\d+)$", reference, re.M).group(1))
    settings.COMMENTS_RATE_LIMIT = "2/min"
    monkeypatch.setattr(client_address, "_warned", set())
    article = ArticlePageFactory(parent=index, slug="posted-through-nginx")

    def post(n, source):
        body = json.dumps({"page": article.pk, "name": "Proxied", "email": "p@example.com", "body": f"Via nginx {n}"})
        headers = {"Content-Type": "application/json", "X-Forwarded-For": f"198.51.100.{n}"}
        return fetch(nginx, "/api/comments/", "POST", body, headers, source=source)[0]

    with caplog.at_level(logging.WARNING, logger="core.client_address"):
        assert [post(n, "127.0.0.2") for n in range(3)] == [202, 202, 429]
        assert post(9, "127.0.0.3") == 202
    assert not [r for r in caplog.records if r.name == "core.client_address"]
