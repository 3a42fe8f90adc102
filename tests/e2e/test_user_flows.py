"""The reader's and the moderator's flows, in a real browser, as they would click through them."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import ArticleComment, CommentReport, CommentStatus
from core.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def post_with_the_form(page, *, name, body):
    page.fill("#id_name", name)
    page.fill("#id_email", f"{name.lower()}@example.com")
    page.fill("#id_body", body)
    with page.expect_navigation():  # wait for the next page, not the one being left
        page.click("button:has-text('Post comment')")


def test_reader_posts_then_moderator_approves_one_and_rejects_the_other(
    live_server, browser, shoot, article_factory, make_comment
):
    article = article_factory(title="Flow article", slug="flow-article")
    earlier = make_comment(article, body="An earlier approved comment", name="Early")
    UserFactory(username="moira", groups=["Moderators"])
    reader = browser.new_page()
    url = f"{live_server.url}{article.url}"

    # The reader comments, then replies to the approved comment, with the page's own form.
    reader.goto(url)
    post_with_the_form(reader, name="Rita", body="My first comment from the browser")
    shoot(reader, "reader-posted")
    assert "awaiting moderation" in reader.content()
    assert "My first comment from the browser" not in reader.content()
    with reader.expect_navigation():
        reader.click(f"#comment-{earlier.pk} >> text=Reply")
    assert reader.input_value("input[name=parent]") == str(earlier.pk)
    post_with_the_form(reader, name="Rita", body="And a reply from the browser")
    shoot(reader, "reader-replied")
    assert "awaiting moderation" in reader.content()
    assert "And a reply from the browser" not in reader.content()

    # The moderator sees the count, approves the comment and rejects the reply.
    moderator = browser.new_page()
    moderator.goto(f"{live_server.url}/admin/login/")
    moderator.fill("#id_username", "moira")
    moderator.fill("#id_password", "pw-moira")
    with moderator.expect_navigation():
        moderator.click("button[type=submit]")
    # The admin's sidebar is drawn by its scripts after the page has loaded: wait for it to show the count.
    expect(moderator.locator("text=Comments (2)")).to_have_count(1, timeout=20_000)
    with moderator.expect_navigation():
        moderator.click("text=Comments (2)")
    shoot(moderator, "queue")
    with moderator.expect_navigation():
        moderator.locator("tr", has_text="My first comment from the browser").locator(
            "button:has-text('Approve')"
        ).click()
    with moderator.expect_navigation():
        moderator.locator("tr", has_text="And a reply from the browser").locator("button:has-text('Reject')").click()
    shoot(moderator, "queue-empty")
    assert "No pending comments" in moderator.content()
    first = ArticleComment.objects.get(comment__contains="My first comment")
    moderator.goto(f"{live_server.url}/admin/comments/{first.pk}/history/")
    shoot(moderator, "history")
    assert "Approved" in moderator.content() and "moira" in moderator.content()
    reply = ArticleComment.objects.get(comment__contains="And a reply")
    moderator.goto(f"{live_server.url}/admin/comments/{reply.pk}/history/")
    assert "Rejected" in moderator.content()
    assert reply.status == CommentStatus.REJECTED

    # The reader reloads: the approved comment is there, the rejected reply is not.
    reader.goto(url)
    shoot(reader, "reader-reloaded")
    assert "My first comment from the browser" in reader.content()
    assert "And a reply from the browser" not in reader.content()


VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
IN_VIEW = """() => { const box = document.activeElement.getBoundingClientRect();
    return {top: box.top, bottom: box.bottom, height: innerHeight, scrolled: scrollY}; }"""


def assert_focus_in_view(tab):
    """The focused element is on screen, far down a long page: the page scrolled to show it."""
    where = tab.evaluate(IN_VIEW)
    assert 0 <= where["top"] < where["height"], where
    assert where["scrolled"] > 0, where


@pytest.mark.parametrize("device", VIEWPORTS)
def test_reader_with_typos_lands_on_the_errors_then_reports_a_comment(
    live_server, browser, shoot, article_factory, make_comment, device
):
    long_body = [{"type": "paragraph", "value": f"<p>Paragraph {i}. {'A long article. ' * 40}</p>"} for i in range(8)]
    article = article_factory(title="A long discussion", slug="long-discussion", body=long_body)
    for i in range(12):  # a long thread: the form is far below the first screen
        make_comment(article, name=f"Reader {i}", body=f"Approved comment {i}. " + "Some words. " * 30)
    target = make_comment(article, name="Troll", body="A comment to report")
    context = browser.new_context(viewport=VIEWPORTS[device])
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    url = f"{live_server.url}{article.url}"

    # A post with errors comes back at the form: the summary has the focus, the typing is kept.
    tab.goto(url)
    tab.fill("#id_name", "Rita")
    tab.fill("#id_email", "rita@")
    tab.fill("#id_url", "https://rita.example")
    with tab.expect_navigation():
        tab.click("button:has-text('Post comment')")
    summary = tab.locator("#comment-form-errors")
    expect(summary).to_be_focused()
    assert_focus_in_view(tab)
    shoot(tab, f"{device}-errors-focused", full_page=False)
    links = summary.get_by_role("link")
    expect(links).to_have_text(["E-mail: Enter a valid email address.", "Comment: Write your comment."])
    expect(tab.locator("#id_name")).to_have_value("Rita")
    expect(tab.locator("#id_email")).to_have_value("rita@")
    expect(tab.locator("#id_url")).to_have_value("https://rita.example")
    expect(tab.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    expect(tab.locator("#id_email")).to_have_accessible_description(re.compile("Enter a valid email address"))
    expect(tab.locator("#id_name")).not_to_have_attribute("aria-invalid", "true")

    # Fixed, it is posted.
    tab.fill("#id_email", "rita@example.com")
    tab.fill("#id_body", "Fixed and posted")
    with tab.expect_navigation():
        tab.click("button:has-text('Post comment')")
    expect(tab.locator(".comments__status")).to_contain_text("awaiting moderation")
    assert ArticleComment.objects.filter(comment__contains="Fixed and posted", user_email="rita@example.com").exists()

    # A report: the thanks take the focus and are on screen.
    with tab.expect_navigation():
        tab.get_by_role("link", name="Report the comment by Troll").click()
    tab.select_option("#id_reason", "abuse")
    with tab.expect_navigation():
        tab.click("button:has-text('Send report')")
    thanks = tab.locator("#comments-status")
    expect(thanks).to_be_focused()
    expect(thanks).to_contain_text("A moderator will look at the comment")
    assert_focus_in_view(tab)
    assert CommentReport.objects.get().comment_id == target.pk
    shoot(tab, f"{device}-report-thanks-focused", full_page=False)
    context.close()
