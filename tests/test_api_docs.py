"""``/api/docs/`` needs nothing from another site: every asset it names is ours and is served."""

from html.parser import HTMLParser

import pytest
import requests
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


class Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []
        self.inline_scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "script" and not attrs.get("src"):
            self.inline_scripts += 1


def parse(response):
    assets = Assets()
    assets.feed(response.content.decode())
    return assets


def test_the_docs_page_names_only_our_own_static_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assets = parse(response)
    assert assets.inline_scripts == 0
    assert b"fonts.googleapis.com" not in response.content
    assert assets.urls, "Redoc's script"
    for url in assets.urls:
        assert url.startswith(settings.STATIC_URL) and not url.startswith("//"), url
        assert finders.find(url.removeprefix(settings.STATIC_URL)), f"{url} is not among the static files"
    assert any(url.endswith("redoc.standalone.js") for url in assets.urls)


# A live server means a transactional test: restore what migrations stored afterwards, or the tests after
# it find no content types, sites or pages (they flush without serialized_rollback).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_docs_static_files_are_served(live_server):
    page = requests.get(f"{live_server.url}/api/docs/", timeout=10)
    for url in parse(page).urls:
        asset = requests.get(f"{live_server.url}{url}", timeout=10)
        assert asset.status_code == 200, url
        assert "javascript" in asset.headers["Content-Type"], url
        assert len(asset.content) > 100


def test_the_docs_page_keeps_the_sites_csp_but_for_what_redoc_needs(client):
    policy = client.get("/api/docs/")["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert directives["script-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert any(source.startswith("'nonce-") for source in directives["style-src"])
    assert all(source.startswith(("'self'", "'nonce-", "'sha256-")) for source in directives["style-src"])
