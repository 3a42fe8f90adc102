"""Blocking a commenter: the e-mail address or the stored client network of one of their comments.

State changes of ``BlockedSender`` (Settings › Blocked commenters), each in one transaction with the
row locked and recorded in Wagtail's audit log; the posting check that reads them is
``comments.rules.sender_blocks``.
"""

from django.db import transaction
from wagtail.log_actions import log

from comments.models import BlockedSender
from comments.selectors import stored_network


class NoAddressToBlock(Exception):
    """The comment's client network has been purged, or its data erased: there is nothing to block."""


def sender_block(*, comment, kind, action, moderator, note=""):
    """Block the e-mail address or the stored client network of ``comment``; ``(block, changed)``.

    One row per address or network: blocking it again changes its action (or makes it active
    again) and logs that; blocking it exactly as it is changes and logs nothing.
    """
    if kind == BlockedSender.Kind.EMAIL:
        value = BlockedSender.normalise(kind, comment.user_email) if comment.user_email else None
    else:
        value = stored_network(comment.ip_address)
    if not value:
        raise NoAddressToBlock(f"This comment's {BlockedSender.Kind(kind).label.lower()} is no longer kept.")
    with transaction.atomic():
        block, created = BlockedSender.objects.select_for_update().get_or_create(
            kind=kind, value=value, defaults={"action": action, "note": note}
        )
        if not created and block.active and block.action == action:
            return block, False
        previous = None if created else {"action": block.action, "active": block.active}
        block.action, block.active = action, True
        if note:
            block.note = note
        block.save()
        log(
            instance=block,
            action="comments.block",
            user=moderator,
            data={"from": previous, "action": action, "comment": comment.pk},
        )
    return block, True


def sender_unblock(*, block, moderator):
    """Lift a block; the row stays, inactive, with its history. Harmless to repeat."""
    with transaction.atomic():
        block = BlockedSender.objects.select_for_update().get(pk=block.pk)
        if not block.active:
            return block, False
        block.active = False
        block.save(update_fields=["active"])
        log(instance=block, action="comments.unblock", user=moderator, data={"action": block.action})
    return block, True
