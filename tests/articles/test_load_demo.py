"""``manage.py load_demo`` builds the demo site once, with every element of the reference page."""

import io

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from articles.models import ArticlePage, Author, Disclaimer, Promo, Testimonial
from home.models import HomePage

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in [Page, ArticlePage, Author, Testimonial, Promo, Disclaimer, get_image_model()]
    }


def test_load_demo_is_idempotent_and_complete(client):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "[1/" in out.getvalue()  # progress is shown
    first = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == first
    assert first["ArticlePage"] >= 6

    assert isinstance(Site.objects.get(is_default_site=True).root_page.specific, HomePage)
    mirror = ArticlePage.objects.get(slug="erector-spinae-trigger-points")
    assert mirror.live
    kinds = {block.block_type for block in mirror.body}
    assert {"heading", "paragraph", "image", "embed", "links", "promo"} <= kinds
    assert mirror.related_post_picks.count() == 2 and mirror.testimonial_picks.count() == 2
    assert Disclaimer.get_default() is not None
    assert Testimonial.objects.filter(live=False).count() == 1

    page = client.get(mirror.url)
    assert page.status_code == 200
    html = page.content.decode()
    expected = [
        "Posted by", "youtube-nocookie.com/embed/", "where trigger points usually sit", "Keep reading",
        "Learn it with your hands", "not a substitute for advice", "Words from our students", "Share",
        "comments must be approved",
    ]  # fmt: skip
    for text in expected:
        assert text in html, text
    assert "Draft Student" not in html
    data = client.get(f"/api/v2/pages/{mirror.pk}/").json()
    assert len(data["related_posts"]) == 3
    assert data["previous_post"] is not None and data["next_post"] is None
