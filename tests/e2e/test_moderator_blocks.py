"""The moderator blocks a commenter from the queue, the reader is refused, the moderator unblocks."""

import pytest
from playwright.sync_api import expect

from comments.rules import BLOCKED_MESSAGE
from comments.services import comment_create
from core.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_moderator_blocks_an_email_from_the_queue_and_unblocks_it(
    live_server, browser, shoot, article_factory, make_comment
):
    article = article_factory(title="Blocking article", slug="blocking-article")
    make_comment(article, email="troll@example.com", body="An earlier approved one")
    comment_create(
        article=article, parent=None, name="Troll", email="troll@example.com", body="Pending from the troll",
        client_ip="203.0.113.5",
    )  # fmt: skip
    UserFactory(username="moira", groups=["Moderators"])
    moderator = browser.new_page(viewport={"width": 1280, "height": 900})
    moderator.goto(f"{live_server.url}/admin/login/")
    moderator.fill("#id_username", "moira")
    moderator.fill("#id_password", "pw-moira")
    with moderator.expect_navigation():
        moderator.click("button[type=submit]")
    moderator.goto(f"{live_server.url}/admin/comments/")
    row = moderator.locator("tr", has_text="Pending from the troll")
    expect(row.locator(".commenter-history")).to_contain_text("1 approved")
    shoot(moderator, "queue-with-history")
    with moderator.expect_navigation():
        row.get_by_role("button", name="Block this e-mail").click()
    expect(moderator.get_by_text("E-mail address blocked: their comments will be refused")).to_be_visible()
    expect(moderator.locator("tr", has_text="Pending from the troll")).to_contain_text("E-mail blocked: refused")
    shoot(moderator, "blocked")

    reader = browser.new_page(viewport={"width": 390, "height": 844})
    reader.goto(f"{live_server.url}{article.url}")
    reader.fill("#id_name", "Troll")
    reader.fill("#id_email", "troll@example.com")
    reader.fill("#id_body", "Trying again")
    with reader.expect_navigation():
        reader.click("button:has-text('Post comment')")
    expect(reader.get_by_text(BLOCKED_MESSAGE)).to_be_visible()
    shoot(reader, "reader-refused-phone")

    with moderator.expect_navigation():
        moderator.locator("tr", has_text="Pending from the troll").get_by_role("button", name="Unblock").click()
    expect(moderator.get_by_text("E-mail address unblocked.")).to_be_visible()
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.context.add_cookies(moderator.context.cookies())
    phone.goto(f"{live_server.url}/admin/comments/")
    expect(
        phone.locator("tr", has_text="Pending from the troll").get_by_role("button", name="Block this e-mail")
    ).to_be_visible()
    shoot(phone, "queue-phone")
