"""The moderators' queue in the Wagtail admin: Wagtail's generic listing and bulk actions."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.seeding import seed_threads
from comments.admin_queue.listing import QueueView
from comments.models import ArticleComment, CommentReport, CommentStatus, ModerationSettings
from comments.services import comment_reject, comment_transition, report_create
from tests.webhook_receiver import SECRET, payload

pytestmark = pytest.mark.django_db
QUEUE = "/admin/comments/"
BULK = "/admin/bulk/comments/articlecomment/"
ROW = b"data-bulk-action-checkbox"


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def hooks(settings, receiver):
    settings.WEBHOOK_URLS = [receiver.url("/hook")]
    settings.WEBHOOK_SECRET = SECRET
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    return receiver


def row_ids(html):
    return [int(pk) for pk in re.findall(r'<tr id="comment-(\d+)"', html)]


def row_actions(html, comment):
    row = re.search(rf'<tr id="comment-{comment.pk}".*?</tr>', html, re.S).group(0)
    return re.findall(r'data-queue-action="(\w+)"', row)


def status_of(comment):
    return ArticleComment.objects.get(pk=comment.pk).status


def test_menu_shows_pending_and_reported_counts_to_moderators_only(client, mod_client, editor, article, make_comment):
    make_comment(article, approve=False)
    make_comment(article, approve=False)
    reported = make_comment(article)
    report_create(comment=reported, reason="spam")
    report_create(comment=reported, reason="abuse")  # two reports, one comment
    report_create(comment=make_comment(article), reason="off_topic")
    admin_home = mod_client.get("/admin/")
    assert "Comments (2) \\u2691" + "2" in admin_home.content.decode()  # the sidebar's JSON: "Comments (2) ⚑2"
    assert "Comments: 2 pending, 2 reported" in admin_home.content.decode()  # the link's name, in words
    client.force_login(editor)
    assert b"Comments (" not in client.get("/admin/").content
    refused = client.get(QUEUE)
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's "no permission" redirect
    assert client.get(f"{BULK}approve/?id={reported.pk}").status_code == 302


def test_queue_lists_pending_oldest_first_with_private_details(mod_client, article, make_comment):
    first = make_comment(article, approve=False, body="First pending", email="first@example.com")
    approved = make_comment(article, body="Parent text here")
    reply = make_comment(article, approve=False, parent=approved, body="Second pending")
    html = mod_client.get(QUEUE).content.decode()
    assert row_ids(html) == [first.pk, reply.pk]
    assert "first@example.com" in html and "203.0.113.0" in html
    assert "In reply to: “Parent text here”" in html


def test_reported_comments_show_whatever_their_status(mod_client, article, make_comment, moderator):
    reported = make_comment(article, body="Reported and approved")
    report_create(comment=reported, reason="abuse", detail="Rude to the author")
    pending = make_comment(article, approve=False, body="Waiting")
    html = mod_client.get(QUEUE).content.decode()
    assert row_ids(html) == [pending.pk]  # the default: pending
    reports = mod_client.get(QUEUE, {"status": "reported"}).content.decode()
    assert row_ids(reports) == [reported.pk]
    assert "Abusive or hateful: Rude to the author" in reports
    # Marking it as spam deals with the reports: it leaves the reported list.
    comment_transition(comment=reported, action="spam", moderator=moderator)
    assert row_ids(mod_client.get(QUEUE, {"status": "reported"}).content.decode()) == []


def test_keep_a_reported_comment_dismisses_its_reports(mod_client, article, make_comment):
    reported = make_comment(article, body="Fine after all")
    report_create(comment=reported, reason="other")
    assert row_actions(mod_client.get(QUEUE, {"status": "reported"}).content.decode(), reported) == [
        "dismiss", "spam", "remove",
    ]  # fmt: skip
    assert "Comments: 0 pending, 1 reported" in mod_client.get("/admin/").content.decode()
    response = mod_client.post(f"{QUEUE}{reported.pk}/dismiss/", {"next": QUEUE}, follow=True)
    assert "kept, 1 report dismissed" in response.content.decode()
    assert status_of(reported) == CommentStatus.APPROVED
    assert not CommentReport.objects.filter(resolved=False).exists()
    assert 'Comments: 0 pending"' in response.content.decode() and "\\u2691" not in response.content.decode()


def test_filters_status_and_article(mod_client, article, article_factory, make_comment):
    other = article_factory()
    mine = make_comment(article, body="On the first article")
    theirs = make_comment(other, body="On the other article")
    pending = make_comment(article, approve=False)
    html = mod_client.get(QUEUE, {"status": "approved", "article": article.pk}).content.decode()
    assert row_ids(html) == [mine.pk]
    assert row_ids(mod_client.get(QUEUE, {"status": "all"}).content.decode()) == [mine.pk, theirs.pk, pending.pk]
    # Nonsense in a filter is never a 500, and never shows more than the pending default.
    for params in ({"status": "bogus"}, {"article": "x"}, {"article": "999999"}, {"p": "nonsense"}):
        response = mod_client.get(QUEUE, params)
        assert response.status_code == 200 and row_ids(response.content.decode()) == [pending.pk], params


def test_filters_and_search_apply_at_once_through_the_results_view(mod_client, article, make_comment):
    make_comment(article, approve=False, body="Nothing to see")
    page = mod_client.get(QUEUE).content.decode()
    # Wagtail's listing swaps in the results from this URL as soon as a filter or the search changes.
    assert f'data-w-swap-src-value="{QUEUE}results/"' in page
    fragment = mod_client.get(f"{QUEUE}results/", {"q": "nothing"})
    assert fragment.status_code == 200 and b"<html" not in fragment.content and b"Nothing to see" in fragment.content


def test_search_over_text_name_and_email(mod_client, article, make_comment):
    by_text = make_comment(article, approve=False, body="About the zeppelin engines")
    by_name = make_comment(article, approve=False, name="Zelda Zeppelin")
    by_email = make_comment(article, approve=False, email="pilot@zeppelin.example")
    make_comment(article, approve=False, body="Unrelated", name="Other", email="other@example.com")
    html = mod_client.get(QUEUE, {"q": "ZEPPELIN"}).content.decode()
    assert row_ids(html) == [by_text.pk, by_name.pk, by_email.pk]
    assert row_ids(mod_client.get(QUEUE, {"q": "pilot@"}).content.decode()) == [by_email.pk]


def test_sort_by_date_and_commenter_across_pages(mod_client, article, make_comment, monkeypatch):
    made = [make_comment(article, approve=False, name=name) for name in ["Carol", "alice", "Bob", "Dave"]]
    assert row_ids(mod_client.get(QUEUE, {"ordering": "-created"}).content.decode()) == [c.pk for c in made[::-1]]
    by_name = list(ArticleComment.objects.order_by("user_name", "pk").values_list("pk", flat=True))
    assert by_name != [c.pk for c in made]  # the database's collation, whichever it is, reorders them
    monkeypatch.setattr(QueueView, "paginate_by", 3)
    first = mod_client.get(QUEUE, {"ordering": "user_name"}).content.decode()
    assert 'class="icon icon-arrow-up-after teal label"' in first  # the sorted column's header says so
    next_link = re.search(r'href="([^"]*\?[^"]*p=[^"]+)">Next page', first).group(1).replace("&amp;", "&")
    second = mod_client.get(next_link).content.decode()
    assert row_ids(first) + row_ids(second) == by_name and "Next page" not in second


def test_each_row_offers_only_the_actions_valid_from_its_state(mod_client, article, make_comment, moderator):
    pending = make_comment(article, approve=False)
    approved = make_comment(article)
    rejected = make_comment(article, approve=False)
    comment_reject(comment=rejected, moderator=moderator)
    spam = make_comment(article, approve=False)
    comment_transition(comment=spam, action="spam", moderator=moderator)
    html = mod_client.get(QUEUE, {"status": "all"}).content.decode()
    assert row_actions(html, pending) == ["approve", "reject", "spam"]
    assert row_actions(html, approved) == ["spam", "remove"]  # no Approve on an approved comment
    assert row_actions(html, rejected) == ["approve", "spam"]  # no Reject on a rejected one
    assert row_actions(html, spam) == ["approve"]
    assert 'aria-keyshortcuts="a"' in html and 'src="/static/comments/admin/queue.js"' in html


def test_approve_from_the_row_and_the_count_drops(mod_client, article, make_comment, api):
    pending = make_comment(article, approve=False)
    response = mod_client.post(f"{QUEUE}{pending.pk}/approve/", {"next": QUEUE}, follow=True)
    assert response.status_code == 200
    assert status_of(pending) == CommentStatus.APPROVED
    assert b"approved" in response.content
    assert b"Comments (" not in response.content
    assert api.get(f"/api/v2/pages/{article.pk}/").json()["comments"]["count"] == 1


def test_invalid_transition_shows_an_error_and_changes_nothing(mod_client, article, make_comment):
    pending = make_comment(article, approve=False)
    response = mod_client.post(f"{QUEUE}{pending.pk}/remove/", {"next": QUEUE}, follow=True)
    assert response.status_code == 200
    assert b"cannot be removed" in response.content
    assert status_of(pending) == CommentStatus.PENDING


def test_bulk_approve_goes_through_the_service_cache_and_webhooks_hear(
    mod_client, article, make_comment, api, hooks, django_capture_on_commit_callbacks
):
    pending = [make_comment(article, approve=False, body=f"Bulk {n}") for n in range(3)]
    assert api.get(f"/api/v2/pages/{article.pk}/").json()["comments"]["count"] == 0  # now in the cache
    hooks.requests.clear()
    url = f"{BULK}approve/?id={pending[0].pk}&id={pending[1].pk}&next={QUEUE}"
    confirm = mod_client.get(url).content.decode()
    assert "Approve 2 comments?" in confirm and "Bulk 0" in confirm and "Bulk 2" not in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = mod_client.post(url, follow=True)
    assert "2 comments approved." in response.content.decode()
    assert [status_of(c) for c in pending] == ["approved", "approved", "pending"]
    assert api.get(f"/api/v2/pages/{article.pk}/").json()["comments"]["count"] == 2
    events = sorted((payload(r)["event"], payload(r)["data"]["id"]) for r in hooks.requests)
    assert events == [("comment.approved", pending[0].pk), ("comment.approved", pending[1].pk)]


def test_bulk_reject_leaves_the_comments_it_cannot_reject(mod_client, article, make_comment, moderator):
    pending = [make_comment(article, approve=False) for _ in range(2)]
    approved = make_comment(article, name="Already Public")
    url = f"{BULK}reject/?id={pending[0].pk}&id={pending[1].pk}&id={approved.pk}&next={QUEUE}"
    confirm = mod_client.get(url).content.decode()
    assert "Reject 2 comments?" in confirm and "1 selected comment is left as it is" in confirm
    response = mod_client.post(url, follow=True)
    assert "2 comments rejected." in response.content.decode()
    assert [status_of(c) for c in [*pending, approved]] == ["rejected", "rejected", "approved"]
    logged = ArticleComment.objects.get(pk=pending[0].pk)
    assert comment_transition(comment=logged, action="reject", moderator=moderator)[1] is False  # already done


def test_bulk_spam_on_all_in_listing_follows_the_filters(mod_client, article, make_comment):
    casino = [make_comment(article, approve=False, body=f"Cheap casino {n}") for n in range(3)]
    kept = make_comment(article, approve=False, body="A real comment")
    url = f"{BULK}spam/?q=casino&status=pending&id=all&next={QUEUE}"
    assert "Spam 3 comments?" in mod_client.get(url).content.decode()
    response = mod_client.post(url, follow=True)
    assert "3 comments marked as spam." in response.content.decode()
    assert [status_of(c) for c in [*casino, kept]] == ["spam", "spam", "spam", "pending"]


def test_bad_bulk_input_is_a_404_not_a_500(mod_client):
    assert mod_client.get(f"{BULK}approve/?id=abc&id=99999999").status_code == 404
    assert mod_client.get(f"{BULK}nonsense/?id=1").status_code == 404


def test_history_page_shows_who_did_what(mod_client, article, make_comment, moderator):
    pending = make_comment(article, approve=False)
    mod_client.post(f"{QUEUE}{pending.pk}/approve/")
    html = mod_client.get(f"{QUEUE}{pending.pk}/history/").content.decode()
    assert "Approved" in html and moderator.username in html
    assert re.search(r"pending</td><td>approved", html)


def test_queue_page_costs_the_same_at_3_and_300_pending_and_counts_nothing(mod_client, article_factory):
    seed_threads(article_factory(), threads=3, status=CommentStatus.PENDING)
    mod_client.get(QUEUE)
    with CaptureQueriesContext(connection) as small:
        mod_client.get(QUEUE)
    seed_threads(article_factory(), threads=300, status=CommentStatus.PENDING)
    with CaptureQueriesContext(connection) as big:
        response = mod_client.get(QUEUE)
    assert len(small.captured_queries) == len(big.captured_queries)
    counts = [
        q["sql"]
        for q in big.captured_queries
        if "COUNT(" in q["sql"].upper()
        and "comments_articlecomment" in q["sql"]
        # the commenters' history beside the rows counts their comments, grouped by e-mail, not the queue
        and 'LOWER("django_comments"."user_email") AS "key"' not in q["sql"]
    ]
    assert len(counts) == 1  # the menu badge, on the status index; the listing counts nothing
    next_link = re.search(r'href="([^"]*\?p=[^"]+)">Next page', response.content.decode()).group(1)
    second = mod_client.get(next_link.replace("&amp;", "&"))
    assert second.status_code == 200 and second.content.count(ROW) == 50
    assert set(row_ids(second.content.decode())).isdisjoint(row_ids(response.content.decode()))


def test_moderators_edit_the_word_lists_in_settings(mod_client):
    page = mod_client.get("/admin/settings/comments/moderationsettings/", follow=True)
    assert page.status_code == 200 and b"Banned words" in page.content
    response = mod_client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else "/admin/settings/comments/moderationsettings/",
        {"banned_words": "casino", "suspect_words": "", "blocked_email_domains": "", "max_links": 2},
    )
    assert response.status_code == 302
    assert ModerationSettings.load().banned == ["casino"]
