"""Accessibility, measured: axe-core (npm, pinned in package-lock.json) over the pages readers, moderators
and editors use, in Chromium, on a desktop and on a phone. No serious or critical violation is allowed.

Each page is also saved as a screenshot at both sizes (``artifacts/screenshots/``) to be looked at.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from comments.models import ArticleComment, CommentStatus
from core.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("AXE_PATH", ROOT / "node_modules" / "axe-core" / "axe.min.js"))
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
BLOCKING = {"serious", "critical"}


def violations(tab):
    """axe's serious and critical violations on the page as shown, one line per failing element."""
    if not AXE.exists():
        pytest.fail(f"axe-core not found at {AXE}: `make test` installs it with `npm ci`")
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{rule['id']} ({rule['impact']}): {node['target']} {node['failureSummary'].splitlines()[-1].strip()}"
        for rule in result["violations"]
        if rule["impact"] in BLOCKING
        for node in rule["nodes"]
    ]


def sign_in(tab, base, username):
    tab.goto(f"{base}/admin/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", f"pw-{username}")
    with tab.expect_navigation():
        tab.click("button[type=submit]")


@pytest.fixture
def pages(live_server, article_factory, make_comment, index):
    article = article_factory(title="An article with a conversation", slug="conversation")
    first = make_comment(article, body="A first approved comment", name="Ana")
    make_comment(article, parent=first, body="A reply to it", name="Ben")
    make_comment(article, body="Waiting in the queue", name="Cleo", approve=False)
    UserFactory(username="moira", groups=["Moderators"])
    UserFactory(username="edna", groups=["Editors"])
    return {"article": article, "index": index}


def post_with_errors(tab):
    tab.fill("#id_name", "")
    tab.fill("#id_body", "")
    with tab.expect_navigation():
        tab.click("button:has-text('Post comment')")
    tab.locator("[role=alert]").first.wait_for(state="visible")


@pytest.mark.parametrize("size", SIZES)
def test_no_serious_or_critical_violation_on_the_pages_people_use(live_server, browser, pages, size):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # axe is added to each page as a script tag, which our CSP rightly refuses: bypassed for the audit only.
    context = browser.new_context(viewport=SIZES[size], bypass_csp=True)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    base = live_server.url
    article = pages["article"]
    found = {}

    def audit(name, url=None, then=None):
        if url:
            tab.goto(f"{base}{url}")
        if then:
            then(tab)
        tab.screenshot(path=str(SCREENSHOTS / f"audited-{name}-{size}.png"), full_page=True)
        found[name] = violations(tab)

    audit("home", "/")
    audit("index", pages["index"].url)
    audit("article", article.url)
    audit("comment-form-errors", article.url, post_with_errors)
    sign_in(tab, base, "moira")
    audit("moderation-queue", "/admin/comments/")
    context.clear_cookies()
    sign_in(tab, base, "edna")
    audit("article-editor", f"/admin/pages/{article.pk}/edit/", lambda t: t.locator("#id_title").wait_for())
    context.close()
    assert {name: lines for name, lines in found.items() if lines} == {}


def tab_to(tab, selector, limit=300):
    """Press Tab until ``selector`` has the focus, as a keyboard user would; fails if it never does."""
    for _ in range(limit):
        if tab.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        tab.keyboard.press("Tab")
    pytest.fail(f"{selector} never took the focus after {limit} presses of Tab")


def test_a_reader_posts_and_a_moderator_approves_with_the_keyboard_only(live_server, browser, pages):
    article = pages["article"]
    reader = browser.new_context(viewport=SIZES["desktop"]).new_page()
    reader.goto(f"{live_server.url}{article.url}")
    tab_to(reader, "#id_name")
    reader.keyboard.type("Keyboard Kim")
    tab_to(reader, "#id_email")
    reader.keyboard.type("kim@example.com")
    tab_to(reader, "#id_body")
    reader.keyboard.type("Written and sent without a mouse.")
    tab_to(reader, "#comment-form button[type=submit]")
    with reader.expect_navigation():
        reader.keyboard.press("Enter")
    assert "awaiting moderation" in reader.content()
    comment = ArticleComment.objects.get(comment__contains="without a mouse")
    assert comment.status == CommentStatus.PENDING

    moderator = browser.new_context(viewport=SIZES["desktop"]).new_page()
    moderator.goto(f"{live_server.url}/admin/login/")
    tab_to(moderator, "#id_username")
    moderator.keyboard.type("moira")
    tab_to(moderator, "#id_password")
    moderator.keyboard.type("pw-moira")
    with moderator.expect_navigation():
        moderator.keyboard.press("Enter")
    moderator.goto(f"{live_server.url}/admin/comments/?ordering=-created")  # typed in the address bar
    moderator.locator(f"#comment-{comment.pk}").wait_for()
    moderator.keyboard.press("j")  # the queue's shortcuts: j to the first comment (the newest), a to approve
    expect(moderator.locator(f"#comment-{comment.pk}")).to_be_focused()
    with moderator.expect_navigation():
        moderator.keyboard.press("a")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED

    reader.reload()
    expect(reader.locator("text=Written and sent without a mouse.")).to_have_count(1)
