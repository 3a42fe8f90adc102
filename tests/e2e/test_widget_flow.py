"""The example frontend (examples/) on a second origin: an article from the API alone, and the
comment widget posting, replying and reporting through the CORS allowlist, under a strict CSP."""

import importlib.util
import re
import socket
import threading
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect
from wagtail.models import APIToken

from articles.factories import ImageFactory
from articles.models import Disclaimer, Promo
from comments.models import ArticleComment
from core.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
VIDEO = "https://www.youtube.com/watch?v=bbbbbbbbbbb"


def load_serve_module():
    spec = importlib.util.spec_from_file_location("examples_serve", EXAMPLES / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def start_frontend(live_server):
    """Serve examples/ on 127.0.0.1 (the live server is on localhost: another site), with its CSP."""
    servers = []

    def start(port=0):
        server = load_serve_module().make_server(api=live_server.url, port=port, quiet=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def rich_article(article_factory, index):
    photo = ImageFactory(title="Hero", size=(1600, 900), format="PNG")
    promo = Promo.objects.create(title="Join the workshop", body="<p>Hands-on courses.</p>", link_page=index)
    note = Disclaimer.objects.create(title="Note", body="<p>General information only.</p>", is_default=True)
    related = article_factory(title="A related read", slug="a-related-read")
    return article_factory(
        title="Widget article",
        slug="widget-article",
        hero_image=photo,
        related=[related],
        body=[
            {"type": "heading", "value": {"text": "Why posture matters", "level": "h2"}},
            {"type": "paragraph", "value": "<p>Sit <b>tall</b>, move often.</p>"},
            {"type": "image", "value": {"image": photo.pk, "caption": "A figure caption", "alt": "A spine"}},
            {"type": "embed", "value": {"url": VIDEO, "caption": "A short video"}},
            {"type": "quote", "value": {"text": "Motion is lotion.", "attribution": "A physio"}},
            {
                "type": "links",
                "value": {
                    "title": "Further reading",
                    "items": [{"title": "Elsewhere", "page": None, "url": "https://example.org/"}],
                },
            },
            {"type": "promo", "value": promo.pk},
            {"type": "disclaimer", "value": note.pk},
        ],
    )


def moderation_api(live_server, token, path, body=None):
    """The moderation API over HTTP, as a moderator's tool calls it."""
    url = f"{live_server.url}/api/moderation/{path}"
    headers = {"Authorization": f"Bearer {token}"}
    if body is None:
        response = requests.get(url, headers=headers, timeout=20)
    else:
        response = requests.post(url, json=body, headers=headers, timeout=20)
    assert response.status_code == 200, response.text
    return response.json()


def csp_violations(tab):
    seen = []
    tab.on("console", lambda message: "Content Security Policy" in message.text and seen.append(message.text))
    return seen


def fill_comment(widget, *, name, body):
    widget.get_by_label("Name", exact=True).fill(name)
    widget.get_by_label("E-mail (never shown)").fill(f"{name.lower()}@example.com")
    widget.get_by_label("Comment", exact=True).fill(body)
    widget.get_by_role("button", name="Post comment").click()


def test_the_example_site_shows_an_article_and_its_widget_posts_replies_and_reports(
    live_server, browser, settings, start_frontend, shoot, rich_article, make_comment, moderator
):
    frontend = start_frontend()
    settings.CORS_ALLOWED_ORIGINS = [frontend]
    earlier = make_comment(rich_article, body="An approved comment", name="Early")
    make_comment(rich_article, parent=earlier, body="An approved reply", name="Replier")
    _, token = APIToken.create_token(user=moderator, name="widget")
    url = f"{frontend}/?id={rich_article.pk}"  # the CMS's address: the page's <meta>, set by serve.py

    reader = browser.new_context().new_page()
    violations = csp_violations(reader)
    reader.goto(url, wait_until="domcontentloaded")

    # The article, from the API alone: title, hero image, every kind of block, related posts.
    expect(reader.locator("h1")).to_have_text("Widget article")
    reader.wait_for_function("() => { const i = document.querySelector('.hero img'); return i && i.naturalWidth > 0 }")
    expect(reader.locator("h2", has_text="Why posture matters")).to_be_visible()
    expect(reader.locator(".block-paragraph b")).to_have_text("tall")
    expect(reader.locator(".block-image img")).to_have_attribute("alt", "A spine")
    expect(reader.locator(".block-image figcaption")).to_have_text("A figure caption")
    expect(reader.locator(".block-embed iframe")).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/bbbbbbbbbbb"
    )
    expect(reader.locator(".block-quote blockquote")).to_have_text("Motion is lotion.")
    expect(reader.locator(".block-links a", has_text="Elsewhere")).to_have_attribute("href", "https://example.org/")
    expect(reader.locator(".block-promo h3")).to_have_text("Join the workshop")
    expect(reader.locator(".block-disclaimer")).to_have_text("General information only.")
    expect(reader.locator(".related a", has_text="A related read")).to_be_visible()

    # The widget, loaded from the CMS: the approved thread with its nested reply.
    widget = reader.locator("cms-comments")
    expect(widget.locator("[part~='body']", has_text="An approved comment")).to_be_visible()
    expect(widget.locator(f"#comment-{earlier.pk} [part~='replies']", has_text="An approved reply")).to_be_visible()
    status = widget.locator("[role='status']")
    assert status.evaluate("node => getComputedStyle(node).position") == "absolute"  # its stylesheet applies
    shoot(reader, "article")

    # An API field error is shown beside its field, in words, and the field gets the focus.
    fill_comment(widget, name=moderator.username, body="Posing as staff")
    name_error = widget.locator("#cms-comments-name-error")
    expect(name_error).to_have_text("This name belongs to a member of staff; choose another.")
    expect(widget.get_by_label("Name", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(widget.get_by_label("Name", exact=True)).to_be_focused()

    # A comment: the moderation notice, and the reader's own copy marked as pending.
    fill_comment(widget, name="Rita", body="My comment from the widget")
    expect(widget.locator("[part~='notice']")).to_contain_text("awaiting moderation")
    expect(status).to_contain_text("awaiting moderation")
    mine = widget.locator("[part~='pending']", has_text="My comment from the widget")
    expect(mine.locator("[part~='badge']")).to_have_text("Awaiting moderation")
    expect(name_error).to_be_hidden()

    # A reply, shown pending under the comment it answers.
    widget.get_by_role("button", name="Reply to Early").click()
    expect(widget.get_by_label("Comment", exact=True)).to_be_focused()
    fill_comment(widget, name="Rita", body="My reply from the widget")
    pending_reply = widget.locator(f"#comment-{earlier.pk} [part~='replies'] [part~='pending']")
    expect(pending_reply).to_contain_text("My reply from the widget")
    expect(pending_reply.locator("[part~='badge']")).to_have_text("Awaiting moderation")

    # A report.
    widget.get_by_role("button", name="Report the comment by Replier").click()
    widget.get_by_label("Why should a moderator look at it?").select_option("off_topic")
    widget.get_by_role("button", name="Send report").click()
    expect(widget.locator("[part~='notice']", has_text="A moderator will look at it")).to_be_focused()
    shoot(reader, "posted-and-reported")

    # Another reader sees neither pending comment: they were never served, only kept in Rita's browser.
    other = browser.new_context().new_page()
    other.goto(url, wait_until="domcontentloaded")
    other_widget = other.locator("cms-comments")
    expect(other_widget.locator("[part~='body']", has_text="An approved comment")).to_be_visible()
    expect(other_widget.get_by_text("from the widget")).to_have_count(0)
    expect(other_widget.locator("[part~='pending']")).to_have_count(0)
    other.context.close()

    # The moderator approves both over the moderation API; the report is in the queue.
    queue = moderation_api(live_server, token, f"comments/?status=pending&page={rich_article.pk}")
    assert sorted(item["body"] for item in queue["results"]) == [
        "My comment from the widget",
        "My reply from the widget",
    ]
    for item in queue["results"]:
        moderation_api(live_server, token, f"comments/{item['id']}/approve/", {})
    reported = moderation_api(live_server, token, "comments/?status=approved&reported=true")
    assert [item["name"] for item in reported["results"]] == ["Replier"]

    # Reloaded: both are in the public thread, no longer marked, and gone from the reader's storage.
    reader.reload(wait_until="domcontentloaded")
    expect(widget.locator("[part~='body']", has_text="My comment from the widget")).to_be_visible()
    replies = widget.locator(f"#comment-{earlier.pk} [part~='replies']")
    expect(replies.locator("[part~='body']", has_text="My reply from the widget")).to_be_visible()
    expect(widget.locator("[part~='pending']")).to_have_count(0)
    assert reader.evaluate("() => localStorage.length") == 0
    shoot(reader, "approved")
    assert violations == []
    assert ArticleComment.objects.filter(article=rich_article, status="approved").count() == 4


def test_any_site_reads_the_thread_page_by_page_but_one_outside_the_allowlist_cannot_post(
    live_server, browser, settings, start_frontend, article_factory, make_comment
):
    settings.CORS_ALLOWED_ORIGINS = ["https://frontend.example"]
    settings.COMMENTS_THREADS_PER_PAGE = 2
    frontend = start_frontend()
    article = article_factory(title="Guarded article", slug="guarded-article")
    for n in (1, 2, 3):
        make_comment(article, body=f"Thread number {n}", name=f"Reader {n}")
    reader = browser.new_context().new_page()
    reader.goto(f"{frontend}/?id={article.pk}", wait_until="domcontentloaded")
    expect(reader.locator("h1")).to_have_text("Guarded article")  # public reads are open to any site

    # Two threads a page: the first page, then the second, with the focus on the thread's heading.
    widget = reader.locator("cms-comments")
    expect(widget.locator("[part~='page-status']")).to_have_text("Page 1 of 2")
    expect(widget.locator("[part~='body']")).to_have_text(["Thread number 1", "Thread number 2"])
    expect(widget.get_by_role("button", name="Previous page")).to_be_disabled()
    widget.get_by_role("button", name="Next page").click()
    expect(widget.locator("[part~='page-status']")).to_have_text("Page 2 of 2")
    expect(widget.locator("[part~='body']")).to_have_text(["Thread number 3"])
    expect(widget.get_by_role("heading", name="Comments")).to_be_focused()
    expect(widget.locator("[role='status']")).to_have_text("Page 2 of 2")

    # Posting needs the allowlist: the browser refuses the preflight, and the reader is told.
    fill_comment(widget, name="Rita", body="From a site that is not allowed")
    expect(widget.locator("[part~='form-error']")).to_contain_text("could not be reached")
    expect(widget.locator("[part~='pending']")).to_have_count(0)
    assert not ArticleComment.objects.filter(article=article, comment__contains="not allowed").exists()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_headless_preview_says_what_to_run_until_the_frontend_answers(
    live_server, browser, settings, start_frontend, shoot, article_factory
):
    article = article_factory(title="Previewed article", slug="previewed-article")
    UserFactory(username="edna", groups=["Editors"])
    port = free_port()
    settings.WAGTAIL_HEADLESS_PREVIEW = {
        **settings.WAGTAIL_HEADLESS_PREVIEW,
        "CLIENT_URLS": {"default": f"http://127.0.0.1:{port}/preview"},
    }
    settings.CORS_ALLOWED_ORIGINS = [f"http://127.0.0.1:{port}"]
    editor = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    violations = csp_violations(editor)
    editor.goto(f"{live_server.url}/admin/login/")
    editor.fill("#id_username", "edna")
    editor.fill("#id_password", "pw-edna")
    with editor.expect_navigation():
        editor.click("button[type=submit]")
    editor.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    editor.locator("button[data-side-panel-toggle='preview']").click()
    panel = editor.frame_locator("iframe#w-preview-iframe")
    expect(panel.locator("h1")).to_have_text("Previewed article")  # the site's own rendering, first
    editor.select_option("#id_preview_mode", "headless")

    # Nothing listens there yet: the panel says so, and what to run.
    expect(panel.locator("h1")).to_have_text(f"Nothing answers at http://127.0.0.1:{port}")
    expect(panel.get_by_text("make example")).to_be_visible()
    shoot(editor, "preview-unreachable", full_page=False)

    # The example frontend starts there; the editor edits the title and previews again.
    start_frontend(port=port)
    editor.fill("#id_title", "A draft title in the preview")
    editor.select_option("#id_preview_mode", "")
    expect(panel.locator("h1")).to_have_text("A draft title in the preview")
    editor.select_option("#id_preview_mode", "headless")
    frontend = panel.frame_locator("iframe#headless-preview")
    expect(frontend.locator("h1")).to_have_text("A draft title in the preview")
    expect(frontend.locator(".preview-banner")).to_contain_text("not public yet")
    shoot(editor, "preview-frontend", full_page=False)
    assert violations == []


def test_past_the_rate_limit_the_widget_says_how_long_to_wait(
    live_server, browser, settings, start_frontend, article_factory
):
    settings.COMMENTS_RATE_LIMIT = "1/min"
    frontend = start_frontend()
    settings.CORS_ALLOWED_ORIGINS = [frontend]
    article = article_factory(title="Busy article", slug="busy-article")
    reader = browser.new_context().new_page()
    reader.goto(f"{frontend}/?id={article.pk}", wait_until="domcontentloaded")
    widget = reader.locator("cms-comments")
    fill_comment(widget, name="Rita", body="The first one")
    expect(widget.locator("[part~='notice']")).to_contain_text("awaiting moderation")
    widget.get_by_label("Comment", exact=True).fill("The second one, too soon")
    widget.get_by_role("button", name="Post comment").click()
    # Retry-After is read across origins (CORS_EXPOSE_HEADERS): a number of seconds, not "a minute".
    expect(widget.locator("[part~='form-error']")).to_have_text(
        re.compile(r"^Too many posts from your network\. Please try again in \d+ seconds\.$")
    )
    expect(widget.get_by_role("button", name="Post comment")).to_be_focused()
    assert ArticleComment.objects.filter(article=article).count() == 1
