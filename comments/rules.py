"""Checks a new comment goes through before it is stored.

Refusals raise ``CommentRejected`` with field errors (the reader sees them); a comment that only
looks suspicious is stored pending like every other, with reasons the moderator sees.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from comments.models import ArticleComment, ModerationSettings
from core.sanitize import count_links


class CommentRejected(Exception):
    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def _contains(text, words):
    lowered = text.lower()
    return [word for word in words if word and word in lowered]


def check_comment(*, body_html, body_text, name, email, client_network):
    """Return the reasons to hold the comment, or raise ``CommentRejected``."""
    rules = ModerationSettings.load()
    searchable = f"{name}\n{body_text}"

    if _contains(searchable, rules.banned):
        raise CommentRejected({"body": ["This comment cannot be accepted."]})

    since = timezone.now() - timedelta(minutes=settings.COMMENTS_DUPLICATE_WINDOW_MINUTES)
    if (
        client_network
        and ArticleComment.objects.filter(ip_address=client_network, comment=body_html, created__gte=since).exists()
    ):
        raise CommentRejected({"body": ["You have already posted this comment."]})

    reasons = []
    for word in _contains(searchable, rules.suspect):
        reasons.append(f"Suspect word: {word}")
    links = count_links(body_html)
    if links > rules.max_links:
        reasons.append(f"{links} links (more than {rules.max_links})")
    domain = (email.rsplit("@", 1)[-1] if "@" in email else "").lower()
    if domain and any(domain == blocked or domain.endswith("." + blocked) for blocked in rules.blocked_domains):
        reasons.append(f"Blocked e-mail domain: {domain}")
    return reasons
