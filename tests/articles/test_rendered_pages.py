"""The server-rendered pages: what a reader sees, and that the HTML is sound and CSP-ready."""

import datetime
import re

import html5lib
import pytest
from bs4 import BeautifulSoup
from django.template.loader import get_template
from taggit.models import Tag

from articles.factories import ImageFactory
from articles.models import Author, Disclaimer, Promo
from articles.models import Testimonial as StudentTestimonial  # not "Test…": pytest would collect it
from home.models import HomePageFeaturedArticle

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=aaaaaaaaaaa"
EXTERNAL = "https://example.org/find-a-therapist"


def soup_of(response):
    return BeautifulSoup(response.content.decode(), "html5lib")


def text_of(element):
    return " ".join(element.get_text(" ").split())


def assert_sound_html(response):
    """Parses without errors; one h1 and a main landmark; alt on every image; nothing inline for CSP."""
    content = response.content.decode()
    html5lib.HTMLParser(strict=True).parse(content)  # raises on any parse error
    soup = BeautifulSoup(content, "html5lib")
    assert soup.html["lang"] == "en"
    assert len(soup.find_all("h1")) == 1
    assert len(soup.find_all("main")) == 1
    assert soup.find("header") and soup.find("footer") and soup.find("nav")
    skip = soup.find("a", class_="skip-link")
    assert skip["href"] == "#main" and soup.find(id="main").name == "main"
    for img in soup.find_all("img"):
        assert img.has_attr("alt"), img
    assert not re.search(r"<script(?![^>]*\ssrc=)", content, re.IGNORECASE)
    for tag in soup.find_all(True):
        assert "style" not in tag.attrs, tag
        assert not [name for name in tag.attrs if name.lower().startswith("on")], tag
    for link in soup.find_all("a"):
        assert text_of(link) or link.get("aria-label"), link
    return soup


def make_body(*, image, index_page, promo, disclaimer):
    return [
        {"type": "heading", "value": {"text": "Where to start", "level": "h2"}},
        {"type": "paragraph", "value": "<p>Stiff backs are <b>common</b>.</p>"},
        {"type": "embed", "value": {"url": YOUTUBE, "caption": "Treating the lower back"}},
        {"type": "heading", "value": {"text": "Three columns", "level": "h3"}},
        {"type": "image", "value": {"image": image.pk, "caption": "Typical sites", "alt": "A back, marked"}},
        {"type": "quote", "value": {"text": "Move a little every hour.", "attribution": "A physio"}},
        {
            "type": "links",
            "value": {
                "title": "Further reading",
                "items": [
                    {"title": "All our articles", "page": index_page.pk, "url": ""},
                    {"title": "Find a therapist", "page": None, "url": EXTERNAL},
                ],
            },
        },
        {"type": "promo", "value": promo.pk},
        {"type": "disclaimer", "value": disclaimer.pk},
    ]


@pytest.fixture
def content(index, article_factory):
    """One article mirroring the reference page, with an older and a newer neighbour."""
    image = ImageFactory(title="Back", size=(1600, 900))
    author = Author.objects.create(name="Dana Reyes", bio="Physiotherapist.")
    promo = Promo.objects.create(title="Learn it hands-on", body="<p>Small classes.</p>", link_page=index)
    block_disclaimer = Disclaimer.objects.create(title="Block", body="<p>Block small print.</p>")
    Disclaimer.objects.create(title="Default", body="<p>For information only, not advice.</p>", is_default=True)
    StudentTestimonial.objects.create(
        quote="The course changed how I treat.", name="Sam Lee", role="Massage therapist",
        featured=True, live=True, photo=ImageFactory(title="Sam"),
    )  # fmt: skip
    older = article_factory(title="Older one", date=datetime.date(2025, 1, 1), hero_image=ImageFactory(title="Old"))
    article = article_factory(
        title="The erector spinae",
        date=datetime.date(2025, 2, 1),
        author=author,
        hero_image=image,
        tags=["Lower back", "muscles"],
        body=make_body(image=image, index_page=index, promo=promo, disclaimer=block_disclaimer),
    )
    newer = article_factory(title="Newer one", date=datetime.date(2025, 3, 1))
    return {"article": article, "older": older, "newer": newer, "index": index}


def test_article_page_shows_every_element_of_the_reference_page(client, content):
    article, older, newer = content["article"], content["older"], content["newer"]
    response = client.get(article.url)
    assert response.status_code == 200
    soup = assert_sound_html(response)
    main = soup.find("main")

    assert text_of(soup.find("h1")) == "The erector spinae"
    byline = main.find(class_="byline")
    assert text_of(byline) == "Posted by Dana Reyes on February 1, 2025"
    assert byline.find("time")["datetime"] == "2025-02-01"
    hero = main.find(class_="article__hero").find("img")
    assert hero["alt"] == "Back (alt)" and (hero["width"], hero["height"]) == ("1200", "630")

    # The body, in the editor's order, each block as its element.
    body = main.find(class_="article__body")
    assert [el.name for el in body.find_all(["h2", "h3", "h4"])] == ["h2", "h3", "h2", "h2"]
    assert text_of(body.find("h2")) == "Where to start"
    assert text_of(body.find("h3")) == "Three columns"
    assert body.find(class_="rich-text").find("b").string == "common"
    video = body.select_one("figure.embed .video iframe")
    assert video["src"] == "https://www.youtube-nocookie.com/embed/aaaaaaaaaaa"
    assert text_of(body.select_one("figure.embed figcaption")) == "Treating the lower back"
    figure = body.select("figure.figure")[1]
    assert figure.find("img")["alt"] == "A back, marked"
    assert text_of(figure.find("figcaption")) == "Typical sites"
    quote = body.select_one("figure.quote")
    assert text_of(quote.find("blockquote")) == "Move a little every hour."
    assert text_of(quote.find("cite")) == "A physio"
    links = {text_of(a): a for a in body.select(".link-list li a")}
    assert list(links) == ["All our articles", "Find a therapist"]
    assert links["Find a therapist"]["href"] == EXTERNAL and links["Find a therapist"]["rel"] == ["noopener"]
    assert links["All our articles"]["href"].endswith("/articles/")
    assert not links["All our articles"].get("rel")
    promo = body.find("aside", class_="promo")
    assert text_of(promo.find("h2")) == "Learn it hands-on"
    assert "Small classes." in text_of(promo)
    assert "Block small print." in text_of(body.find(class_="small-print"))

    # Tags link to the index filtered by tag.
    tags = {text_of(a): a["href"] for a in main.select(".tag-list a")}
    assert tags == {"Lower back": "/articles/?tag=lower-back", "muscles": "/articles/?tag=muscles"}

    disclaimer = main.find("aside", attrs={"aria-label": "Disclaimer"})
    assert "For information only, not advice." in text_of(disclaimer)

    related = main.find("section", class_="related")
    assert text_of(related.find("h2")) == "Related posts"
    assert {text_of(a) for a in related.select(".card__title a")} == {"Older one", "Newer one"}
    assert all(img["alt"] == "" for img in related.find_all("img"))

    share = {a["aria-label"]: a["href"] for a in main.select(".share-links a")}
    assert list(share) == [
        "Share on Facebook", "Share on X", "Share on LinkedIn", "Share on Pinterest", "Share by e-mail",
    ]  # fmt: skip
    assert share["Share on Facebook"].startswith("https://www.facebook.com/sharer/sharer.php?u=")

    post_nav = main.find("nav", attrs={"aria-label": "Article navigation"})
    older_link, newer_link = post_nav.find("a", rel="prev"), post_nav.find("a", rel="next")
    assert "Older post" in text_of(older_link) and older_link["href"].endswith(older.url)
    assert "Newer post" in text_of(newer_link) and newer_link["href"].endswith(newer.url)

    testimonials = main.find("section", class_="testimonials")
    assert text_of(testimonials.find("h2")) == "Words from our students"
    assert "The course changed how I treat." in text_of(testimonials.find("blockquote"))
    assert "Sam Lee" in text_of(testimonials) and "Massage therapist" in text_of(testimonials)

    comments = main.find("section", id="comments")
    assert comments["aria-labelledby"] == "comments-heading"
    assert "comments must be approved before they are published" in text_of(comments)


def test_oldest_article_without_author_or_comments(client, content):
    older = content["older"]
    older.allow_comments = False
    older.save_revision().publish()
    soup = assert_sound_html(client.get(older.url))
    assert text_of(soup.find(class_="byline")) == "Posted on January 1, 2025"  # no author
    post_nav = soup.find("nav", attrs={"aria-label": "Article navigation"})
    assert post_nav.find("a", rel="prev") is None
    assert post_nav.find("a", rel="next")["href"].endswith(content["article"].url)
    assert soup.find(id="comments") is None


def test_a_draft_article_is_not_found(client, article_factory):
    draft = article_factory(title="Unfinished", publish=False)
    response = client.get(f"/articles/{draft.slug}/")
    assert response.status_code == 404
    soup = assert_sound_html(response)
    assert text_of(soup.find("h1")) == "Page not found"
    assert "Unfinished" not in response.content.decode()


def test_index_lists_newest_first_paginates_and_keeps_the_tag(client, index, article_factory):
    index.per_page = 2
    index.save_revision().publish()
    for day, tags in [(1, ["back"]), (2, []), (3, ["back"]), (4, ["back"]), (5, [])]:
        article_factory(title=f"Day {day}", date=datetime.date(2025, 5, day), tags=tags)

    soup = assert_sound_html(client.get(index.url))
    assert [text_of(a) for a in soup.select(".card__title a")] == ["Day 5", "Day 4"]
    pagination = soup.find("nav", attrs={"aria-label": "Pagination"})
    assert [text_of(a) for a in pagination.select("li > a:not([rel])")] == ["Page 1", "Page 2", "Page 3"]
    assert text_of(pagination.find("a", attrs={"aria-current": "page"})) == "Page 1"

    soup = assert_sound_html(client.get(index.url, {"page": 3}))
    assert [text_of(a) for a in soup.select(".card__title a")] == ["Day 1"]
    assert soup.find("a", rel="next") is None
    assert soup.find("a", rel="prev")["href"] == "?page=2"

    response = client.get(index.url, {"tag": "back"})
    soup = assert_sound_html(response)
    assert [text_of(a) for a in soup.select(".card__title a")] == ["Day 4", "Day 3"]
    status = soup.find(class_="filter-status")
    assert status.find("strong").string == "back"
    assert status.find("a")["href"] == index.url
    next_link = soup.find("a", rel="next")["href"]
    assert next_link == "?tag=back&page=2"
    soup = assert_sound_html(client.get(index.url + next_link))
    assert [text_of(a) for a in soup.select(".card__title a")] == ["Day 1"]


def test_index_cards_show_thumbnail_date_author_and_intro(client, index, article_factory):
    author = Author.objects.create(name="Kim Ode")
    article_factory(
        title="With picture", date=datetime.date(2025, 6, 2), author=author, intro="Short intro.",
        hero_image=ImageFactory(title="Pic"),
    )  # fmt: skip
    soup = assert_sound_html(client.get(index.url))
    card = soup.find("article", class_="card")
    assert card.find("h2").name == "h2"
    img = card.find("img")
    assert img["alt"] == "" and (img["width"], img["height"]) == ("480", "270")
    assert text_of(card.find(class_="card__meta")) == "June 2, 2025 by Kim Ode"
    assert card.find("time")["datetime"] == "2025-06-02"
    assert text_of(card.find(class_="card__intro")) == "Short intro."


def test_an_unknown_tag_says_so(client, index, article_factory):
    article_factory(title="Anything")
    assert not Tag.objects.filter(slug="nope").exists()
    soup = assert_sound_html(client.get(index.url, {"tag": "nope"}))
    assert "There is no tag" in text_of(soup.find(class_="filter-status"))


def test_home_page_shows_intro_featured_latest_and_testimonials(client, home, index, article_factory):
    home.intro = "<p>Notes on <i>muscles</i>.</p>"
    home.save_revision().publish()
    featured = article_factory(title="Picked", date=datetime.date(2024, 1, 1), hero_image=ImageFactory(title="F"))
    article_factory(title="Fresh", date=datetime.date(2025, 1, 1))
    HomePageFeaturedArticle.objects.create(page=home, article=featured)
    StudentTestimonial.objects.create(quote="Clear and practical.", name="Ana", featured=True, live=True)
    StudentTestimonial.objects.create(quote="Draft words.", name="Hidden", featured=True, live=False)

    soup = assert_sound_html(client.get("/"))
    assert soup.find(class_="lead").find("i").string == "muscles"
    featured_section = soup.find("section", attrs={"aria-labelledby": "featured-heading"})
    assert [text_of(a) for a in featured_section.select(".card__title a")] == ["Picked"]
    latest = soup.find("section", attrs={"aria-labelledby": "latest-heading"})
    assert [text_of(a) for a in latest.select(".card__title a")] == ["Fresh"]
    testimonials = soup.find("section", class_="testimonials")
    assert "Clear and practical." in text_of(testimonials)
    assert "Draft words." not in text_of(soup)
    nav = soup.find("nav", attrs={"aria-label": "Main"})
    assert nav.find("a", string="Articles")["href"] == index.url


def test_server_error_page_renders_without_a_request():
    html = get_template("500.html").render({})
    html5lib.HTMLParser(strict=True).parse(html)
    assert "Something went wrong" in html
    assert '<html lang="en">' in html


def test_pages_send_a_strict_content_security_policy(client, article_factory):
    article = article_factory()
    response = client.get(article.url)
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert directives["object-src"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
