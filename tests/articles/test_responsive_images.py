"""Responsive images: every image object offers the configured widths, in a modern format too, and the
pages use them in a ``<picture>``; no width is wider than the original, and no image costs a query."""

import io
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.images import get_image_model

from articles.factories import ImageFactory
from articles.models import ArticlePage, Author, Testimonial, TestimonialPick

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
WIDTHS = [320, 640, 960, 1280, 1920]


@pytest.fixture(autouse=True)
def _widths(settings):
    settings.IMAGE_RENDITION_WIDTHS = WIDTHS
    settings.IMAGE_MODERN_FORMATS = ["webp"]


def image_body(*images):
    return [
        {"type": "image", "value": {"image": image.pk, "caption": f"Figure {i}", "alt": f"Alt {i}"}}
        for i, image in enumerate(images)
    ]


@pytest.fixture
def article(article_factory):
    """A 1600x900 JPEG hero, a 1000x750 PNG in the body, a 640x360 author photo, a related post."""
    article_factory(title="Related", hero_image=ImageFactory(title="Card", size=(640, 360)), tags=["back"])
    author = Author.objects.create(name="Dana", photo=ImageFactory(title="Face", size=(640, 360)))
    return article_factory(
        title="Responsive",
        author=author,
        tags=["back"],
        hero_image=ImageFactory(title="Hero", size=(1600, 900)),
        body=image_body(ImageFactory(title="Figure", size=(1000, 750), format="PNG")),
    )


def fetched(client, url):
    """The picture at ``url`` as Pillow reads it, after checking that it is served."""
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200, url
    return PILImage.open(io.BytesIO(b"".join(response.streaming_content)))


def widths_of(renditions):
    return [rendition["width"] for rendition in renditions]


def assert_served(client, image, fmt):
    """Every rendition of an image object opens with its stated size and format."""
    for rendition in image["srcset"]:
        picture = fetched(client, rendition["url"])
        assert (picture.size, picture.format) == ((rendition["width"], rendition["height"]), fmt)
        assert rendition["format"] == fmt.lower()
    for source in image["sources"]:
        for rendition in source["srcset"]:
            picture = fetched(client, rendition["url"])
            assert picture.size == (rendition["width"], rendition["height"])
            assert picture.format == rendition["format"].upper() == source["type"].removeprefix("image/").upper()


def test_api_images_list_every_width_up_to_the_originals_in_the_modern_format_too(api, client, article):
    data = api.get(f"/api/v2/pages/{article.pk}/").json()
    hero, figure = data["hero_image"], data["body"][0]["value"]["image"]
    photo, thumbnail = data["author"]["photo"], data["related_posts"][0]["thumbnail"]

    # The fixed rendition stays the plain src; the widths stop at the original's (or its crop's).
    assert (hero["width"], hero["height"]) == (1200, 630)
    assert widths_of(hero["srcset"]) == [320, 640, 960, 1280, 1600]
    assert [r["height"] for r in hero["srcset"]] == [168, 336, 504, 672, 840]  # 1200:630 throughout
    assert widths_of(figure["srcset"]) == [320, 640, 960, 1000]  # its own proportions, 4:3
    assert [r["height"] for r in figure["srcset"]] == [240, 480, 720, 750]
    assert widths_of(photo["srcset"]) == [320, 360]  # square: the crop of a 640x360 picture is 360 wide
    assert widths_of(thumbnail["srcset"]) == [320, 640]  # 16:9, as the original
    for image in (hero, figure, photo, thumbnail):
        assert [source["type"] for source in image["sources"]] == ["image/webp"]
        assert widths_of(image["sources"][0]["srcset"]) == widths_of(image["srcset"])
        assert all(r["url"].startswith("http://testserver/media/images/") for r in image["srcset"])
    assert_served(client, hero, "JPEG")
    assert_served(client, figure, "PNG")
    assert_served(client, photo, "JPEG")


def test_the_listing_gives_the_same_image_objects(api, article):
    listing = api.get("/api/v2/pages/", {"type": "articles.ArticlePage", "fields": "hero_image", "order": "title"})
    item = next(item for item in listing.json()["items"] if item["id"] == article.pk)
    assert item["hero_image"] == api.get(f"/api/v2/pages/{article.pk}/").json()["hero_image"]


def test_testimonial_photos_too(api, client, article):
    testimonial = Testimonial.objects.create(
        quote="Good", name="Lee", live=True, photo=ImageFactory(title="Lee", size=(400, 400))
    )
    TestimonialPick.objects.create(page=article, testimonial=testimonial)
    photo = api.get(f"/api/v2/testimonials/{testimonial.pk}/").json()["photo"]
    assert widths_of(photo["srcset"]) == [320, 400]
    assert_served(client, photo, "JPEG")
    assert api.get(f"/api/v2/pages/{article.pk}/").json()["testimonials"][0]["photo"] == photo


@pytest.mark.parametrize(
    ("widths", "formats", "expected_widths", "expected_types"),
    [
        ([200, 500], ["avif"], [200, 500], ["image/avif"]),
        ([480, 2400], ["avif", "webp"], [480, 1600], ["image/avif", "image/webp"]),
        ([800], [], [800], []),
    ],
)
def test_the_setting_decides_the_widths_and_formats(
    api, client, settings, article_factory, widths, formats, expected_widths, expected_types
):
    settings.IMAGE_RENDITION_WIDTHS, settings.IMAGE_MODERN_FORMATS = widths, formats
    page = article_factory(hero_image=ImageFactory(size=(1600, 900)))
    hero = api.get(f"/api/v2/pages/{page.pk}/").json()["hero_image"]
    assert widths_of(hero["srcset"]) == expected_widths
    assert [source["type"] for source in hero["sources"]] == expected_types
    assert all(widths_of(source["srcset"]) == expected_widths for source in hero["sources"])
    assert_served(client, hero, "JPEG")


def test_an_image_narrower_than_every_width_is_offered_at_its_own(api, article_factory):
    page = article_factory(hero_image=ImageFactory(size=(200, 105)))
    hero = api.get(f"/api/v2/pages/{page.pk}/").json()["hero_image"]
    assert [(r["width"], r["height"]) for r in hero["srcset"]] == [(200, 105)]
    assert (hero["width"], hero["height"]) == (200, 105)  # the src is not upscaled either


def srcset_of(renditions):
    return ", ".join(f"{r['url']} {r['width']}w" for r in renditions)


def pictures(response):
    return BeautifulSoup(response.content.decode(), "html5lib").find_all("picture")


def test_the_article_page_uses_picture_source_srcset_and_sizes(api, client, article):
    data = api.get(f"/api/v2/pages/{article.pk}/").json()
    soup = BeautifulSoup(client.get(article.url).content.decode(), "html5lib")

    hero = soup.select_one(".article__hero picture")
    source, img = hero.find("source"), hero.find("img")
    assert source["type"] == "image/webp" and source["sizes"] == img["sizes"]
    assert source["srcset"] == srcset_of(data["hero_image"]["sources"][0]["srcset"])
    assert img["srcset"] == srcset_of(data["hero_image"]["srcset"])
    assert (img["width"], img["height"]) == ("1200", "630") and img["alt"] == "Hero (alt)"
    assert "loading" not in img.attrs and img["fetchpriority"] == "high"  # the first screen: at once

    figure = soup.select_one(".article__body .figure picture img")
    assert figure["srcset"] == srcset_of(data["body"][0]["value"]["image"]["srcset"])
    assert figure["loading"] == "lazy" and figure["alt"] == "Alt 0"
    assert (figure["width"], figure["height"]) == ("1000", "750")

    card = soup.select_one(".related .card__media picture")
    assert card.find("img")["srcset"] == srcset_of(data["related_posts"][0]["thumbnail"]["srcset"])
    assert card.find("img")["loading"] == "lazy" and card.find("img")["alt"] == ""
    assert card.find("source")["type"] == "image/webp"


def test_listing_cards_use_pictures_and_only_the_first_loads_at_once(client, index, article_factory):
    for n in range(3):
        article_factory(title=f"Card {n}", hero_image=ImageFactory(size=(1280, 720)))
    found = pictures(client.get(index.url))
    assert len(found) == 3
    for picture in found:
        img = picture.find("img")
        assert [r.split()[1] for r in img["srcset"].split(", ")] == ["320w", "640w", "960w", "1280w"]
        assert picture.find("source")["type"] == "image/webp" and img["sizes"]
        assert (img["width"], img["height"]) == ("480", "270")
    assert [picture.find("img").get("loading") for picture in found] == [None, "lazy", "lazy"]


def count_queries(client, url):
    client.get(url)  # the first request makes the renditions; later ones only read them
    renditions = get_image_model().get_rendition_model().objects.count()
    with CaptureQueriesContext(connection) as log:
        assert client.get(url).status_code == 200
    assert get_image_model().get_rendition_model().objects.count() == renditions  # none made again
    return len(log)


def test_more_images_cost_no_more_queries(api, client, settings, index, article_factory):
    settings.PUBLIC_CACHE_ENABLED = False  # measure the work, not the response cache

    def pictured(**fields):
        author = Author.objects.create(name="A", photo=ImageFactory())
        return article_factory(hero_image=ImageFactory(), author=author, **fields)

    few = pictured(body=image_body(ImageFactory()))
    many = pictured(body=image_body(*(ImageFactory() for _ in range(5))))
    for article in (few, many):  # each is the other's related post: both read once, both rows stored
        api.get(f"/api/v2/pages/{article.pk}/")
    assert count_queries(client, few.url) == count_queries(client, many.url)
    assert count_queries(api, f"/api/v2/pages/{few.pk}/") == count_queries(api, f"/api/v2/pages/{many.pk}/")

    listing = "/api/v2/pages/?type=articles.ArticlePage&fields=hero_image,author&limit="
    small = (count_queries(client, index.url), count_queries(api, listing + "2"))
    for _ in range(4):
        pictured()
    assert (count_queries(client, index.url), count_queries(api, listing + "6")) == small
    assert len(pictures(client.get(index.url))) == 6


def settings_in_a_process(**env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test", **env}
    code = "from django.conf import settings; print(settings.IMAGE_RENDITION_WIDTHS, settings.IMAGE_MODERN_FORMATS)"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_settings_come_from_the_environment_and_refuse_nonsense():
    result = settings_in_a_process(IMAGE_RENDITION_WIDTHS="1000, 250,500", IMAGE_MODERN_FORMATS="AVIF,webp")
    assert result.stdout.strip() == "[250, 500, 1000] ['avif', 'webp']", result.stderr
    result = settings_in_a_process(IMAGE_RENDITION_WIDTHS="wide")
    assert result.returncode != 0 and "IMAGE_RENDITION_WIDTHS must be comma-separated widths" in result.stderr
    result = settings_in_a_process(IMAGE_MODERN_FORMATS="jpeg2000")
    assert result.returncode != 0 and "jpeg2000 is not webp or avif" in result.stderr


def test_publishing_makes_the_renditions_before_a_reader_asks(api, client, committed, article):
    testimonial = Testimonial.objects.create(quote="Good", name="Lee", live=True, photo=ImageFactory(title="Lee"))
    TestimonialPick.objects.create(page=article, testimonial=testimonial)
    renditions = get_image_model().get_rendition_model().objects
    renditions.all().delete()
    committed(article.save_revision().publish)
    made = renditions.count()
    # The hero as hero and as card (5 widths each), the body figure (4), two photos (2 each), in two
    # formats, and each shape's fixed rendition.
    assert made == 2 * (5 + 5 + 4 + 2 + 2) + 5
    assert api.get(f"/api/v2/pages/{article.pk}/").status_code == 200
    assert client.get(article.url).status_code == 200
    related = article.get_related_posts()[0]["id"]
    assert client.get(ArticlePage.objects.get(pk=related).get_parent().url).status_code == 200
    assert renditions.count() == made + 2 * 2 + 1  # only the related post's card, which another publish makes


def test_publishing_a_testimonial_makes_its_photo_renditions(committed):
    testimonial = Testimonial.objects.create(quote="Good", name="Lee", live=False, photo=ImageFactory(size=(400, 400)))
    committed(testimonial.save_revision().publish)
    specs = set(testimonial.photo.renditions.values_list("filter_spec", flat=True))
    assert specs == {"fill-160x160", *(f"fill-{w}x{w}{fmt}" for w in (320, 640) for fmt in ("", "|format-webp"))}
