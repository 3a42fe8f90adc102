"""Context for a moderator's decision, beside each comment of the queue: the commenter's history
and one-click blocks of the e-mail address or the client network (Settings › Blocked commenters).

The queue view calls :func:`annotate_commenter_context` with the comments of its page (two
queries, whatever the page's size) and includes ``comments/admin/commenter_context.html`` for each
row. The block and unblock views are POSTs with Django's CSRF token; every change goes through
``comments.services`` (audit-logged), and the row's button turns into its undo.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from wagtail.snippets.views.snippets import SnippetViewSet

from comments import sender_blocks
from comments.models import ArticleComment, BlockedSender
from comments.selectors import active_blocks, commenter_history, stored_network

KINDS = {"email": BlockedSender.Kind.EMAIL, "network": BlockedSender.Kind.NETWORK}


def require_moderator(request):
    if not request.user.has_perm("comments.moderate_comments"):
        raise PermissionDenied


def _back(request):
    """To the queue page the form was on (``next``), if it is ours."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("comments_admin:queue")


def annotate_commenter_context(comments):
    """Give each comment ``commenter_history`` (approved, rejected, spam by its e-mail),
    ``block_network`` (its stored network, or None once purged), ``email_block`` and
    ``network_block`` (the active blocks, or None). Two queries for the whole page."""
    comments = list(comments)
    for comment in comments:
        comment.block_network = stored_network(comment.ip_address)
    history = commenter_history(comment.user_email for comment in comments)
    blocks = active_blocks(
        [comment.user_email for comment in comments], [comment.block_network for comment in comments]
    )
    for comment in comments:
        email = (comment.user_email or "").strip().lower()
        comment.commenter_history = history.get(email, {})
        comment.email_block = blocks.get((BlockedSender.Kind.EMAIL, email))
        comment.network_block = blocks.get((BlockedSender.Kind.NETWORK, comment.block_network))
    return comments


@require_POST
def block(request, pk, kind):
    """Block the e-mail address or the client network of comment ``pk`` (``action``: refuse or hold)."""
    require_moderator(request)
    comment = ArticleComment.objects.filter(pk=pk).first()
    if comment is None or kind not in KINDS:
        raise Http404
    action = request.POST.get("action", BlockedSender.Action.REFUSE)
    if action not in BlockedSender.Action.values:
        messages.error(request, "Choose whether to refuse or to hold their comments.")
        return _back(request)
    try:
        block, changed = sender_blocks.sender_block(
            comment=comment, kind=KINDS[kind], action=action, moderator=request.user
        )
    except sender_blocks.NoAddressToBlock as exc:
        messages.error(request, str(exc))
        return _back(request)
    what = "E-mail address" if kind == "email" else f"Network {block.value}"
    verb = "refused" if action == BlockedSender.Action.REFUSE else "held for you"
    if changed:
        messages.success(request, f"{what} blocked: their comments will be {verb}. Undo with “Unblock”.")
    else:
        messages.info(request, f"{what} was already blocked so.")
    return _back(request)


@require_POST
def unblock(request, pk):
    require_moderator(request)
    block = BlockedSender.objects.filter(pk=pk).first()
    if block is None:
        raise Http404
    _, changed = sender_blocks.sender_unblock(block=block, moderator=request.user)
    what = "E-mail address" if block.kind == BlockedSender.Kind.EMAIL else f"Network {block.value}"
    messages.success(request, f"{what} unblocked." if changed else f"{what} was not blocked.")
    return _back(request)


class BlockedSenderViewSet(SnippetViewSet):
    """Settings › Blocked commenters: every block, active or lifted, with its history."""

    model = BlockedSender
    icon = "cross"
    menu_label = "Blocked commenters"
    add_to_settings_menu = True
    list_display = ["value", "kind", "action", "active", "created"]
    list_filter = ["kind", "action", "active"]
    ordering = ["-created"]
