"""A commenter's data requests and the retention of client addresses."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from comments.models import ArticleComment, CommentStatus

pytestmark = pytest.mark.django_db


def test_purge_blanks_only_old_addresses(article, make_comment):
    old = make_comment(article)
    new = make_comment(article)
    ArticleComment.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=45))
    out = io.StringIO()
    call_command("comments_purge_addresses", "--days", "30", stdout=out)
    assert ArticleComment.objects.get(pk=old.pk).ip_address is None
    assert ArticleComment.objects.get(pk=new.pk).ip_address == "203.0.113.0"
    assert "1 comments" in out.getvalue()


def test_export_lists_only_that_commenters_comments(article, make_comment):
    mine = make_comment(article, email="Me@Example.com", body="My words")
    make_comment(article, email="other@example.com", body="Not mine")
    out = io.StringIO()
    call_command("comments_export", "me@example.com", stdout=out)
    data = json.loads(out.getvalue())
    assert [c["id"] for c in data["comments"]] == [mine.pk]
    assert data["comments"][0]["text"] == "My words" and data["comments"][0]["client_network"] == "203.0.113.0"
    assert "other@example.com" not in out.getvalue()


def test_erase_leaves_no_trace_and_keeps_replies_readable(api, article, make_comment):
    root = make_comment(article, email="leaver@example.com", name="Leaver", body="Goodbye text")
    make_comment(article, parent=root, email="stayer@example.com", body="A reply that stays")
    with pytest.raises(CommandError, match="--yes"):  # stdin is not a terminal under pytest
        call_command("comments_erase", "leaver@example.com")
    call_command("comments_erase", "LEAVER@example.com", "--yes", stdout=io.StringIO())
    erased = ArticleComment.objects.get(pk=root.pk)
    assert erased.status == CommentStatus.REMOVED
    assert not ArticleComment.objects.filter(user_email__iexact="leaver@example.com").exists()
    assert erased.user_name == "[erased]" and erased.comment == "" and erased.ip_address is None
    thread = api.get("/api/comments/", {"page": article.pk}).content.decode()
    assert "A reply that stays" in thread
    assert "Goodbye text" not in thread and "Leaver" not in thread
