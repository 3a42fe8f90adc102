"""The reader's and the moderator's flows, in a real browser, as they would click through them."""

import pytest
from playwright.sync_api import expect

from comments.models import ArticleComment, CommentStatus
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
