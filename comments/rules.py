"""Checks a new comment goes through before it is stored.

Refusals raise ``CommentRejected`` with field errors (the reader sees them); a comment that only
looks suspicious is stored pending like every other, with reasons the moderator sees.
"""

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from comments.models import STORED_PREFIX, ArticleComment, BlockedSender, ModerationSettings
from core.sanitize import count_links


class CommentRejected(Exception):
    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def _contains(text, words):
    lowered = text.lower()
    return [word for word in words if word and word in lowered]


# What a blocked sender reads: the same for an e-mail and a network block, so that it tells nobody
# what is on the list.
BLOCKED_MESSAGE = "This comment cannot be accepted: a moderator has stopped comments from this sender."
HOLD_REASONS = {
    BlockedSender.Kind.EMAIL: "Blocked e-mail address (held, as the block says)",
    BlockedSender.Kind.NETWORK: "Blocked client network (held, as the block says)",
}


def _networks_containing(network):
    """Every network, from /0 to the stored prefix, that holds the stored ``network``."""
    ip = ipaddress.ip_address(network)
    return [
        str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False)) for prefix in range(STORED_PREFIX[ip.version] + 1)
    ]


def sender_blocks(email, client_network):
    """The active blocks matching the sender, in one query: ``[(kind, action), …]``."""
    matches = Q(kind=BlockedSender.Kind.EMAIL, value=(email or "").strip().lower())
    if client_network:
        matches |= Q(kind=BlockedSender.Kind.NETWORK, value__in=_networks_containing(client_network))
    return list(BlockedSender.objects.filter(matches, active=True).order_by("kind").values_list("kind", "action"))


def check_comment(*, body_html, body_text, name, email, client_network):
    """Return the reasons to hold the comment, or raise ``CommentRejected``."""
    blocks = sender_blocks(email, client_network)
    if any(action == BlockedSender.Action.REFUSE for _, action in blocks):
        raise CommentRejected({"non_field_errors": [BLOCKED_MESSAGE]})
    rules = ModerationSettings.load()
    searchable = f"{name}\n{body_text}"

    if _contains(searchable, rules.banned):
        raise CommentRejected({"body": ["This comment cannot be accepted."]})

    # submit_date, not created: it is on django_comments' table beside ip_address, so the rule reads the
    # (ip_address, submit_date) index (migration 0006) rather than every row.
    since = timezone.now() - timedelta(minutes=settings.COMMENTS_DUPLICATE_WINDOW_MINUTES)
    if (
        client_network
        and ArticleComment.objects.filter(ip_address=client_network, comment=body_html, submit_date__gte=since).exists()
    ):
        raise CommentRejected({"body": ["You have already posted this comment."]})

    reasons = [HOLD_REASONS[kind] for kind, _ in blocks]
    for word in _contains(searchable, rules.suspect):
        reasons.append(f"Suspect word: {word}")
    links = count_links(body_html)
    if links > rules.max_links:
        reasons.append(f"{links} links (more than {rules.max_links})")
    domain = (email.rsplit("@", 1)[-1] if "@" in email else "").lower()
    if domain and any(domain == blocked or domain.endswith("." + blocked) for blocked in rules.blocked_domains):
        reasons.append(f"Blocked e-mail domain: {domain}")
    return reasons
