"""``manage.py load_demo`` builds the demo site once, with every element of the reference page."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from PIL import Image, ImageStat
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from articles.demo_pictures import HERO_SIZE
from articles.models import ArticlePage, Author, Disclaimer, Promo, Testimonial
from articles.representations import HERO
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
    assert [item.article for item in HomePage.objects.get().featured.all()] == [mirror]
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


def test_the_demo_links_only_to_its_own_live_pages_and_draws_no_text(client):
    call_command("load_demo", stdout=io.StringIO())
    mirror = ArticlePage.objects.get(slug="erector-spinae-trigger-points")
    html = client.get(mirror.url).content.decode()
    assert "example.org" not in html
    soup = BeautifulSoup(html, "html5lib")

    # The promo's "Find out more" opens a live page of the demo, which answers.
    promo = Promo.objects.get(title="Learn it with your hands")
    assert promo.link_page is not None and promo.link_page.live and not promo.link_url
    button = soup.select_one("aside.promo a.button")
    assert button["href"] == promo.link_page.full_url
    assert client.get(promo.link_page.url).status_code == 200
    # Every link of the "Keep reading" list is a demo page that answers.
    links = [a["href"] for a in soup.select(".link-list a")]
    assert len(links) == 6
    for href in links:
        assert href.startswith("http://testserver/articles/"), href
        assert client.get(href.removeprefix("http://testserver")).status_code == 200, href
    assert not any("example.org" in (promo.link_url or "") for promo in Promo.objects.all())

    # Heroes are drawn at the hero rendition's shape, their focal point on the figure: nothing is cut.
    hero = mirror.hero_image
    assert (hero.width, hero.height) == HERO_SIZE
    rendition = hero.get_rendition(HERO.src)
    assert rendition.width / rendition.height == pytest.approx(hero.width / hero.height, abs=0.01)
    assert hero.focal_point_width and hero.focal_point_height
    # No caption is drawn into a picture: its bottom strip is no longer a black caption band.
    with hero.open_file() as file, Image.open(file) as picture:
        strip = picture.convert("L").crop((0, picture.height - 60, picture.width, picture.height))
        assert ImageStat.Stat(strip).mean[0] > 80
