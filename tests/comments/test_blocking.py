"""Context for a moderator's decision: the commenter's history beside each comment, and blocks of an
e-mail address or a client network that refuse or hold that sender's next comments."""

import re

import pytest
from django.test import Client
from django.utils.html import strip_tags
from wagtail.models import ModelLogEntry

from comments.admin_blocks import annotate_commenter_context
from comments.models import ArticleComment, BlockedSender, CommentStatus
from comments.rules import BLOCKED_MESSAGE
from comments.selectors import commenter_history
from comments.sender_blocks import sender_block
from comments.services import comment_create, comment_mark_spam, comment_reject

pytestmark = pytest.mark.django_db
QUEUE = "/admin/comments/"
SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


def pending(article, *, email="someone@example.com", ip="203.0.113.77", body=None):
    return comment_create(
        article=article, parent=None, name="Someone", email=email, body=body or f"Words {email} {ip}", client_ip=ip
    )


def form_post(article, *, email="reader@example.com", ip="198.51.100.7", body="From the page form"):
    data = {"page": article.pk, "name": "Page Reader", "email": email, "body": body, "honeypot": ""}
    return Client(**SAME_ORIGIN).post("/comments/post/", data, REMOTE_ADDR=ip)


def block_from_queue(mod_client, comment, kind, action):
    return mod_client.post(f"{QUEUE}{comment.pk}/block/{kind}/", {"action": action, "next": QUEUE})


def history_of(comment):
    return list(ModelLogEntry.objects.for_instance(comment).order_by("timestamp").values_list("action", "user_id"))


def test_history_counts_every_commenter_of_a_page_in_one_query(
    article, make_comment, moderator, django_assert_num_queries
):
    for _ in range(2):
        make_comment(article, email="Regular@Example.com")
    comment_reject(comment=make_comment(article, approve=False, email="regular@example.com"), moderator=moderator)
    comment_mark_spam(comment=make_comment(article, approve=False, email="REGULAR@example.com"), moderator=moderator)
    make_comment(article, email="other@example.com")
    emails = ["regular@example.com", "Other@example.com", "new@example.com"] + [f"x{n}@example.com" for n in range(40)]
    with django_assert_num_queries(1):
        history = commenter_history(emails)
    assert history["regular@example.com"] == {"approved": 2, "rejected": 1, "spam": 1}
    assert history["other@example.com"] == {"approved": 1, "rejected": 0, "spam": 0}
    assert history["new@example.com"] == {"approved": 0, "rejected": 0, "spam": 0}


def test_the_queue_context_costs_two_queries_for_3_or_30_rows(article, django_assert_num_queries):
    for size in (3, 30):
        made = [pending(article, email=f"p{size}-{n}@example.com", ip=f"192.0.2.{n}") for n in range(size)]
        rows = list(ArticleComment.objects.filter(pk__in=[row.pk for row in made]))
        with django_assert_num_queries(2):  # the history and the blocks, whatever the page's size
            annotate_commenter_context(rows)


def test_the_queue_shows_the_history_and_block_buttons_beside_each_comment(mod_client, article, make_comment):
    make_comment(article, email="known@example.com")
    make_comment(article, email="known@example.com")
    waiting = pending(article, email="Known@example.com", body="Third one from them")
    html = mod_client.get(QUEUE).content.decode()
    context = html[html.index(f'id="commenter-context-{waiting.pk}"') :]
    context = context[: context.index("</div>")]
    assert re.search(r"2 approved</span> ·\s*<span[^>]*>0 rejected</span> ·\s*<span[^>]*>0 spam", context)
    assert f'action="{QUEUE}{waiting.pk}/block/email/"' in context
    assert f'action="{QUEUE}{waiting.pk}/block/network/"' in context
    assert "203.0.113.0/24" in context  # the network as stored, never the full address
    assert "203.0.113.77" not in html
    assert context.count('name="csrfmiddlewaretoken"') == 2


def test_blocking_an_email_to_refuse_refuses_the_api_and_the_page_form(mod_client, moderator, article, post_comment):
    comment = pending(article, email="Troll@Example.com")
    response = block_from_queue(mod_client, comment, "email", "refuse")
    assert response.status_code == 302
    block = BlockedSender.objects.get()
    assert (block.kind, block.value, block.action, block.active) == ("email", "troll@example.com", "refuse", True)
    assert history_of(block) == [("comments.block", moderator.pk)]
    queue = mod_client.get(QUEUE).content.decode()
    assert "E-mail blocked: refused" in queue and f'action="{QUEUE}blocks/{block.pk}/unblock/"' in queue

    before = ArticleComment.objects.count()
    api = post_comment(article, email="TROLL@example.com", ip="192.0.2.50")
    assert api.status_code == 400
    assert api.json() == {"errors": {"non_field_errors": [BLOCKED_MESSAGE]}}
    page = form_post(article, email="troll@example.com", ip="192.0.2.51", body="Typed text kept")
    assert page.status_code == 400
    html = page.content.decode()
    assert BLOCKED_MESSAGE in html and "Typed text kept" in html
    assert "troll@example.com" in html  # what the reader typed, given back to them
    assert "blocked" not in api.content.decode().lower().replace(BLOCKED_MESSAGE.lower(), "")
    assert ArticleComment.objects.count() == before
    assert post_comment(article, email="friend@example.com", ip="192.0.2.52").status_code == 202


def test_blocking_a_network_to_hold_keeps_its_comments_pending_with_a_reason(mod_client, article, post_comment):
    comment = pending(article, ip="203.0.113.77")
    block_from_queue(mod_client, comment, "network", "hold")
    assert BlockedSender.objects.get().value == "203.0.113.0/24"

    api = post_comment(article, email="new@example.com", ip="203.0.113.200", body="Same network, other address")
    assert api.status_code == 202 and api.json()["status"] == "pending"
    page = form_post(article, email="page@example.com", ip="203.0.113.9")
    assert page.status_code == 303
    elsewhere = post_comment(article, email="far@example.com", ip="203.0.114.1", body="Another network")
    held = {strip_tags(c.comment): c.held_reasons for c in ArticleComment.objects.filter(status=CommentStatus.PENDING)}
    assert held["Same network, other address"] == ["Blocked client network (held, as the block says)"]
    assert held["From the page form"] == ["Blocked client network (held, as the block says)"]
    assert elsewhere.status_code == 202 and held["Another network"] == []
    queue = mod_client.get(QUEUE).content.decode()
    assert "Blocked client network (held, as the block says)" in queue
    assert "Network 203.0.113.0/24 blocked: held" in queue


def test_a_wider_network_typed_in_the_admin_blocks_what_it_holds(article, post_comment, moderator):
    BlockedSender.objects.create(kind="network", value="2001:db8::/32", action="refuse")
    assert post_comment(article, ip="2001:db8:aa:bb::1").status_code == 400
    assert post_comment(article, ip="2001:db9::1", body="Not in it").status_code == 202


def test_unblocking_lets_the_sender_in_again_and_keeps_the_history(mod_client, moderator, article, post_comment):
    comment = pending(article, email="reformed@example.com")
    block_from_queue(mod_client, comment, "email", "refuse")
    block = BlockedSender.objects.get()
    assert post_comment(article, email="reformed@example.com").status_code == 400
    response = mod_client.post(f"{QUEUE}blocks/{block.pk}/unblock/", {"next": QUEUE}, follow=True)
    assert "E-mail address unblocked." in response.content.decode()
    assert f'action="{QUEUE}{comment.pk}/block/email/"' in response.content.decode()
    assert post_comment(article, email="reformed@example.com").status_code == 202
    block.refresh_from_db()
    assert block.active is False
    assert history_of(block) == [("comments.block", moderator.pk), ("comments.unblock", moderator.pk)]
    history_page = mod_client.get(f"/admin/snippets/comments/blockedsender/history/{block.pk}/")
    assert history_page.status_code == 200
    assert "Blocked from the moderation queue" in history_page.content.decode()
    assert "Unblocked" in history_page.content.decode()


def test_blocking_again_changes_the_action_and_logs_once_each(mod_client, moderator, article):
    comment = pending(article, email="twice@example.com")
    block_from_queue(mod_client, comment, "email", "hold")
    again = block_from_queue(mod_client, comment, "email", "hold")
    assert again.status_code == 302
    block_from_queue(mod_client, comment, "email", "refuse")
    block = BlockedSender.objects.get()
    assert block.action == "refuse"
    assert [action for action, _ in history_of(block)] == ["comments.block", "comments.block"]


def test_a_purged_network_cannot_be_blocked(mod_client, article):
    comment = pending(article)
    ArticleComment.objects.filter(pk=comment.pk).update(ip_address=None)
    html = mod_client.get(QUEUE).content.decode()
    assert "Network not kept (purged)" in html and f"{comment.pk}/block/network/" not in html
    response = mod_client.post(f"{QUEUE}{comment.pk}/block/network/", {"action": "refuse", "next": QUEUE}, follow=True)
    assert "client network is no longer kept" in response.content.decode()
    assert not BlockedSender.objects.exists()


def test_only_moderators_block_and_only_by_post_with_the_csrf_token(client, editor, moderator, article):
    comment = pending(article)
    url = f"{QUEUE}{comment.pk}/block/email/"
    assert client.post(url, {"action": "refuse"}).status_code == 302  # to the sign-in page
    client.force_login(editor)
    assert client.post(url, {"action": "refuse"}).status_code in {302, 403}
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator)
    assert browser.post(url, {"action": "refuse"}).status_code == 403
    browser.force_login(moderator)
    assert browser.get(url).status_code == 405
    assert not BlockedSender.objects.exists()
    assert client.post(f"{QUEUE}{comment.pk}/block/phone/", {"action": "refuse"}).status_code in {302, 403}


def test_moderators_manage_blocks_in_settings_and_narrow_networks_are_refused(mod_client):
    listing = mod_client.get("/admin/snippets/comments/blockedsender/")
    assert listing.status_code == 200
    form = {"kind": "network", "value": "203.0.113.7/32", "action": "hold", "active": "on", "note": ""}
    refused = mod_client.post("/admin/snippets/comments/blockedsender/add/", form)
    assert refused.status_code == 200 and "Client addresses are kept as their /24" in refused.content.decode()
    mod_client.post("/admin/snippets/comments/blockedsender/add/", {**form, "value": "203.0.113.7/24"})
    block = BlockedSender.objects.get()
    assert block.value == "203.0.113.0/24"
    assert ModelLogEntry.objects.for_instance(block).get().action == "wagtail.create"


def test_a_sender_blocked_by_the_service_sees_no_list(article, post_comment, moderator):
    first = pending(article, email="a@example.com", ip="192.0.2.1")
    sender_block(comment=first, kind="email", action="refuse", moderator=moderator)
    sender_block(comment=first, kind="network", action="refuse", moderator=moderator)
    by_email = post_comment(article, email="a@example.com", ip="198.51.100.1")
    by_network = post_comment(article, email="b@example.com", ip="192.0.2.99")
    assert by_email.json() == by_network.json() == {"errors": {"non_field_errors": [BLOCKED_MESSAGE]}}
