"""The numbers beside the "Comments" menu item, on every admin page: two cheap queries."""

from comments.models import ArticleComment, CommentReport, CommentStatus

FLAG = "\u2691"  # ⚑, short enough for the sidebar's width; the link's name says it in words


def pending_count():
    """Comments waiting for a decision: one COUNT on the queue's index (status, created, pk)."""
    return ArticleComment.objects.filter(status=CommentStatus.PENDING).count()


def reported_count():
    """Comments with a report no moderator has dealt with, whatever their status. Counted on the
    reports table alone (open reports are few), never on the comments."""
    return CommentReport.objects.filter(resolved=False).values("comment_id").distinct().count()


def menu_label(pending, reported):
    """``(label, full name)``: "Comments (3) ⚑2" and "Comments: 3 pending, 2 reported"."""
    label = f"Comments ({pending})" if pending else "Comments"
    name = f"Comments: {pending} pending"
    if reported:
        label, name = f"{label} {FLAG}{reported}", f"{name}, {reported} reported"
    return label, name
