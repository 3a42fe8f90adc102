"""The moderation queue in a real browser, on a desktop and on a phone, worked with the keyboard only.

Screenshots of the queue at both widths go to ``artifacts/screenshots/`` (besides the steps that
``shoot`` keeps in ``artifacts/e2e/``).
"""

import pytest
from playwright.sync_api import expect

from comments.models import ArticleComment, CommentStatus
from comments.services import report_create
from core.factories import UserFactory
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SCREENSHOTS = ARTIFACTS.parent / "screenshots"


def sign_in(page, base_url):
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", "moira")
    page.fill("#id_password", "pw-moira")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def status_of(comment):
    return ArticleComment.objects.get(pk=comment.pk).status


def fits_the_screen(page):
    """No sideways scrolling: of the page, nor of Wagtail's main column (which clips what overflows)."""
    return page.evaluate(
        "document.scrollingElement.scrollWidth <= window.innerWidth"
        " && document.querySelector('main').scrollWidth <= document.querySelector('main').clientWidth"
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_moderator_approves_rejects_and_bulk_rejects_with_the_keyboard(
    live_server, browser, article_factory, make_comment, width
):
    article = article_factory(title="Queue article with a rather long title for a phone", slug="queue-article")
    email = "a.very.long.address.for.a.small.screen@subdomain.example.com"
    comments = [
        make_comment(
            article, approve=False, body=f"Queue comment {n}: " + "words " * 30, name=f"Reader {n}", email=email
        )
        for n in range(4)
    ]
    UserFactory(username="moira", groups=["Moderators"])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/comments/")
    rows = page.locator("tr[data-queue-row]")
    expect(rows).to_have_count(4)
    page.screenshot(path=str(SCREENSHOTS / f"moderation-queue-{width}.png"), full_page=True)
    assert fits_the_screen(page), "the page scrolls sideways"
    # The date stays on one line (an inline element that wraps has several boxes).
    assert page.locator(f"#comment-{comments[0].pk} time").evaluate("el => el.getClientRects().length") == 1

    # j focuses the first comment, a approves it; the next comment takes its place, focused.
    page.keyboard.press("j")
    expect(page.locator(f"#comment-{comments[0].pk}")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("a")
    expect(page.locator(f"#comment-{comments[1].pk}")).to_be_focused()
    expect(rows).to_have_count(3)
    assert status_of(comments[0]) == CommentStatus.APPROVED

    # j moves down, r rejects.
    page.keyboard.press("j")
    expect(page.locator(f"#comment-{comments[2].pk}")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("r")
    expect(rows).to_have_count(2)
    assert status_of(comments[2]) == CommentStatus.REJECTED

    # Select all, then Wagtail's bulk-action footer: Reject, and confirm.
    page.locator("thead [data-bulk-action-select-all-checkbox]").focus()
    page.keyboard.press("Space")
    footer = page.locator("[data-bulk-action-footer]")
    expect(footer).to_contain_text("All 2 items on this screen selected")
    expect(footer).to_be_in_viewport(ratio=1)  # slid up from the bottom, and on a phone not wider than it
    footer.locator("[data-bulk-action-button]", has_text="Reject").focus()
    page.screenshot(path=str(SCREENSHOTS / f"moderation-bulk-selected-{width}.png"))  # the footer is fixed
    assert fits_the_screen(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Reject 2 comments?")
    page.screenshot(path=str(SCREENSHOTS / f"moderation-bulk-confirm-{width}.png"), full_page=True)
    page.locator("button", has_text="Yes, reject").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("body")).to_contain_text("2 comments rejected.")
    expect(page.locator("body")).to_contain_text("No pending comments")
    page.screenshot(path=str(SCREENSHOTS / f"moderation-queue-done-{width}.png"), full_page=True)
    assert [status_of(c) for c in comments] == ["approved", "rejected", "rejected", "rejected"]
    context.close()


def test_filters_and_search_apply_as_soon_as_they_change(live_server, browser, article_factory, make_comment):
    article = article_factory(title="Filtered article", slug="filtered-article")
    pending = make_comment(article, approve=False, body="A pending one about gliders")
    reported = make_comment(article, body="An approved one, reported")
    report_create(comment=reported, reason="abuse", detail="Not nice")
    UserFactory(username="moira", groups=["Moderators"])
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, live_server.url)
    expect(page.get_by_role("link", name="Comments: 1 pending, 1 reported")).to_have_text("Comments (1) ⚑1")
    page.goto(f"{live_server.url}/admin/comments/")
    rows = page.locator("tr[data-queue-row]")
    expect(rows).to_have_count(1)
    page.get_by_role("button", name="Show filters").click()
    page.get_by_role("button", name="Show", exact=True).click()
    page.get_by_label("Reported (any status)").check()  # no "Apply" button: the results follow at once
    expect(page.locator(f"#comment-{reported.pk}")).to_contain_text("Abusive or hateful: Not nice")
    expect(rows).to_have_count(1)
    assert "status=reported" in page.url  # the address follows, so a reload or a shared link keeps it
    page.screenshot(path=str(SCREENSHOTS / "moderation-queue-reported-1280.png"), full_page=True)
    page.goto(f"{live_server.url}/admin/comments/")
    page.get_by_placeholder("Search…").fill("gliders")
    expect(page.locator("main")).to_contain_text("Pending: 1 shown")
    expect(page.locator(f"#comment-{pending.pk}")).to_have_count(1)
    page.get_by_placeholder("Search…").fill("nothing like it")
    expect(page.locator("main")).to_contain_text("No pending comments match “nothing like it”.")
    context.close()
