"""What a reader notices beyond the body: dates, the author, the video's name, the page's title, the
site icon and the preview a shared link gets (Open Graph and Twitter cards)."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from wagtail.embeds import embeds
from wagtail.embeds.models import Embed

from articles.factories import AuthorFactory, ImageFactory
from comments.models import ArticleComment
from core.factories import UserFactory

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=aaaaaaaaaaa"


def soup_of(response):
    assert response.status_code == 200, response.content[:300]
    return BeautifulSoup(response.content.decode(), "html5lib")


def text_of(element):
    return " ".join(element.get_text(" ").split())


def times(soup):
    return [(time["datetime"], text_of(time)) for time in soup.find_all("time")]


def meta(soup):
    """``{property or name: content}`` of the head's Open Graph, article and Twitter tags."""
    found = {}
    for tag in soup.head.find_all("meta"):
        key = tag.get("property") or tag.get("name") or ""
        if key.startswith(("og:", "article:", "twitter:")):
            assert key not in found, f"{key} twice"
            found[key] = tag["content"]
    return found


@pytest.fixture
def dated(article_factory, make_comment):
    """An article with a related older one and an approved comment, each on a known day."""
    older = article_factory(title="Older", date=datetime.date(2025, 1, 5))
    article = article_factory(title="Newer", date=datetime.date(2025, 2, 1), related=[older])
    comment = make_comment(article)
    moment = datetime.datetime(2025, 3, 4, 23, 30, tzinfo=datetime.UTC)
    ArticleComment.objects.filter(pk=comment.pk).update(submit_date=moment)
    return {"article": article, "older": older}


def test_every_date_is_a_time_element_in_the_sites_one_format(client, home, index, dated):
    article = soup_of(client.get(dated["article"].url))
    assert times(article) == [
        ("2025-02-01", "February 1, 2025"),  # the byline
        ("2025-01-05", "January 5, 2025"),  # the related post's card
        ("2025-03-04T23:30:00+00:00", "March 4, 2025"),  # the comment
    ]
    assert times(soup_of(client.get(index.url))) == [
        ("2025-02-01", "February 1, 2025"),
        ("2025-01-05", "January 5, 2025"),
    ]
    assert times(soup_of(client.get("/"))) == [("2025-02-01", "February 1, 2025"), ("2025-01-05", "January 5, 2025")]


def test_the_date_format_is_one_setting_and_comments_use_the_sites_time_zone(client, settings, dated):
    settings.SITE_DATE_FORMAT = "j M Y"
    settings.TIME_ZONE = "Asia/Tokyo"  # 23:30 UTC is the next morning there
    with timezone.override("Asia/Tokyo"):
        article = soup_of(client.get(dated["article"].url))
    assert times(article) == [
        ("2025-02-01", "1 Feb 2025"),
        ("2025-01-05", "5 Jan 2025"),
        ("2025-03-05T08:30:00+09:00", "5 Mar 2025"),
    ]


def test_the_article_shows_its_authors_photo_and_escaped_bio(client, article_factory):
    photo = ImageFactory(title="Dana", description="Dana Reyes smiling", size=(400, 400))
    author = AuthorFactory(name="Dana Reyes", bio="Physio <b>and</b> runner.\nTeaches on Saturdays.", photo=photo)
    soup = soup_of(client.get(article_factory(title="Knots", author=author).url))
    box = soup.find("aside", class_="author-box")
    assert text_of(box.find("h2")) == "About Dana Reyes"
    img = box.find("img")
    assert img["alt"] == "Dana Reyes smiling" and (img["width"], img["height"]) == ("160", "160")
    bio = box.find(class_="author-box__bio")
    assert bio.find("b") is None and "Physio <b>and</b> runner." in text_of(bio)
    assert bio.find("br") is not None  # the editor's line break is kept

    no_author = soup_of(client.get(article_factory(title="Anonymous").url))
    assert no_author.find(class_="author-box") is None


def test_a_video_player_is_named_after_its_video(client, api, article_factory):
    captioned = article_factory(
        title="Captioned", body=[{"type": "embed", "value": {"url": YOUTUBE, "caption": "Easing the low back"}}]
    )
    soup = soup_of(client.get(captioned.url))
    assert soup.select_one(".video iframe")["title"] == "Easing the low back"
    assert 'title="Easing the low back"' in api.get(f"/api/v2/pages/{captioned.pk}/").json()["body"][0]["value"]["html"]

    other = "https://youtu.be/bbbbbbbbbbb"
    bare = article_factory(title="Bare", body=[{"type": "embed", "value": {"url": other, "caption": ""}}])
    assert soup_of(client.get(bare.url)).select_one(".video iframe")["title"] == "Video: youtu.be"

    # A provider that names its video (Wagtail stores it on the Embed): that name wins.
    embeds.get_embed(other)
    player = '<iframe src="https://www.youtube-nocookie.com/embed/bbbbbbbbbbb" title="YouTube video player"></iframe>'
    Embed.objects.filter(url=other).update(title='Working on the "quadratus"', html=player)
    named = article_factory(title="Named", body=[{"type": "embed", "value": {"url": other, "caption": "Ours"}}])
    response = client.get(named.url)
    iframes = soup_of(response).select(".video iframe")
    assert [iframe["title"] for iframe in iframes] == ['Working on the "quadratus"']
    assert "YouTube video player" not in response.content.decode()  # the provider's generic name is replaced


def test_the_home_page_title_is_the_site_name_once(client, home, article_factory):
    site_name = "Trigger Point Journal"
    home.title = site_name
    home.save_revision().publish()
    assert text_of(soup_of(client.get("/")).title) == site_name
    home.seo_title = "Muscles, pain and movement"
    home.save_revision().publish()
    from core import cache

    cache.clear()  # the public page cache still holds the first version
    assert text_of(soup_of(client.get("/")).title) == "Muscles, pain and movement"
    article = article_factory(title="Knots")
    assert text_of(soup_of(client.get(article.url)).title) == f"Knots | {site_name}"


def test_the_favicon_answers_at_the_root_and_pages_link_their_icon(client, article_factory):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age=604800" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert client.post("/favicon.ico").status_code == 405

    head = soup_of(client.get(article_factory().url)).head
    icons = {link["href"]: link for link in head.find_all("link", rel="icon")}
    assert "/static/favicon.ico" in icons and icons["/static/icon.svg"]["type"] == "image/svg+xml"
    assert head.find("link", rel="apple-touch-icon")["href"] == "/static/apple-touch-icon.png"


def test_an_article_has_open_graph_and_twitter_tags_with_absolute_urls(client, article_factory):
    hero = ImageFactory(title="Back", description="A back, its muscles shaded", size=(1600, 900))
    article = article_factory(
        title="The erector spinae", intro="Where low back pain starts.", date=datetime.date(2025, 2, 1), hero_image=hero
    )
    soup = soup_of(client.get(article.url))
    tags = meta(soup)
    rendition = hero.get_rendition("fill-1200x630")
    assert tags == {
        "og:site_name": "Trigger Point Journal",
        "og:type": "article",
        "og:title": "The erector spinae",
        "og:description": "Where low back pain starts.",
        "twitter:description": "Where low back pain starts.",
        "og:url": f"http://testserver{article.url}",
        "og:image": f"http://testserver{rendition.url}",
        "og:image:width": "1200",
        "og:image:height": "630",
        "og:image:alt": "A back, its muscles shaded",
        "article:published_time": "2025-02-01",
        "twitter:card": "summary_large_image",
        "twitter:title": "The erector spinae",
        "twitter:image": f"http://testserver{rendition.url}",
    }
    assert client.get(rendition.url).status_code == 200  # the image a preview shows is served


def test_the_home_page_is_a_website_without_an_image(client, home):
    tags = meta(soup_of(client.get("/")))
    assert tags["og:type"] == "website" and tags["og:url"] == "http://testserver/"
    assert tags["twitter:card"] == "summary"
    assert "og:image" not in tags and "article:published_time" not in tags


def test_a_preview_has_no_link_preview_tags(client, article_factory):
    article = article_factory(title="Public title", hero_image=ImageFactory(title="Hero"))
    article.title = "Secret new title"
    revision = article.save_revision()
    client.force_login(UserFactory(username="ed", groups=["Editors"]))
    response = client.get(reverse("wagtailadmin_pages:revisions_view", args=[article.pk, revision.pk]))
    soup = soup_of(response)
    assert "Secret new title" in text_of(soup.find("h1"))  # the preview shows the draft to its editor
    assert meta(soup) == {}
    client.logout()
    public = soup_of(client.get(article.url))
    assert meta(public)["og:title"] == "Public title" and "Secret" not in str(public.head)
