"""What a moderator does from the queue: one comment at a time (a row's buttons), many at once
(Wagtail's bulk-action framework, registered by ``comments/wagtail_hooks.py``), and each comment's
history. Every change goes through ``comments.services``: caches and webhooks hear of it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from wagtail.admin.views.bulk_action import BulkAction

from comments import services
from comments.admin_queue.filters import filtered_comments
from comments.admin_queue.listing import excerpt, require_moderator
from comments.models import ArticleComment
from comments.moderation_api import comment_history
from core.ids import parse_id

PAST_TENSE = {
    "approve": "approved",
    "reject": "rejected",
    "spam": "marked as spam",
    "remove": "removed",
    "dismiss": "kept, its reports dismissed",
}
# "Select all in listing" acts on at most this many (oldest first): one request, one transaction.
BULK_LIMIT = 500


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("comments_admin:queue")


@require_POST
def act(request, pk, action):
    require_moderator(request)
    if action not in (*services.TRANSITIONS, "dismiss"):
        raise Http404
    comment = ArticleComment.objects.filter(pk=pk).first()
    if comment is None:
        raise Http404
    if action == "dismiss":
        closed = services.reports_dismiss(comment=comment, moderator=request.user)
        messages.success(
            request, f"Comment by {comment.user_name} kept, {closed} report{'s' * (closed != 1)} dismissed."
        )
        return _back(request)
    try:
        _, changed = services.comment_transition(comment=comment, action=action, moderator=request.user)
    except services.InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        verb = PAST_TENSE[action]
        messages.success(request, f"Comment by {comment.user_name} {verb}." if changed else f"Already {verb}.")
    return _back(request)


def history(request, pk):
    require_moderator(request)
    comment = ArticleComment.objects.select_related("article").filter(pk=pk).first()
    if comment is None:
        raise Http404
    context = {
        "comment": comment,
        "excerpt": excerpt(comment.comment, 500),
        "entries": comment_history(comment),
    }
    return TemplateResponse(request, "comments/admin/history.html", context)


class CommentBulkAction(BulkAction):
    """A moderation action on the comments ticked in the queue (or all the listing shows, up to
    ``BULK_LIMIT``). The confirmation page lists those it will change and, apart, those it cannot
    (already in that state, or in one the action does not lead from)."""

    models = [ArticleComment]
    template_name = "comments/admin/bulk_confirm.html"
    transition = None  # a key of services.TRANSITIONS

    def dispatch(self, request, *args, **kwargs):
        require_moderator(request)
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def get_queryset(cls, model, object_ids):
        if isinstance(object_ids, list | tuple):
            object_ids = [pk for pk in map(parse_id, object_ids[:BULK_LIMIT]) if pk]
        comments = list(model.objects.select_related(None).filter(pk__in=object_ids).order_by("created", "pk"))
        if not comments:
            raise Http404
        return comments

    def get_all_objects_in_listing_query(self, parent_id):
        listing = filtered_comments(self.request.GET, ArticleComment.objects.select_related(None))
        return list(listing.order_by("created", "pk").values_list("pk", flat=True)[:BULK_LIMIT])

    def check_perm(self, obj):
        target, allowed_from = services.TRANSITIONS[self.transition]
        return obj.status in allowed_from and obj.status != target

    def object_context(self, obj):
        return {"item": obj, "excerpt": excerpt(obj.comment, 120)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {
            **context,
            "action": self,
            "bulk_limit": BULK_LIMIT,
            "confirm": f"Yes, {self.display_name.lower()}",
            "title": f"{self.display_name} comments",
        }

    def get_execution_context(self):
        return {"moderator": self.request.user}

    @classmethod
    def execute_action(cls, objects, moderator=None, **kwargs):
        updated = services.comments_bulk(ids=[obj.pk for obj in objects], action=cls.transition, moderator=moderator)
        return updated, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        noun = "comment" if num_parent_objects == 1 else "comments"
        return f"{num_parent_objects} {noun} {PAST_TENSE[self.transition]}."


class ApproveBulkAction(CommentBulkAction):
    display_name = "Approve"
    action_type = transition = "approve"
    aria_label = "Approve the selected comments"
    action_priority = 10


class RejectBulkAction(CommentBulkAction):
    display_name = "Reject"
    action_type = transition = "reject"
    aria_label = "Reject the selected comments"
    action_priority = 20


class SpamBulkAction(CommentBulkAction):
    display_name = "Spam"
    action_type = transition = "spam"
    aria_label = "Mark the selected comments as spam"
    action_priority = 30
    classes = {"serious"}


class RemoveBulkAction(CommentBulkAction):
    display_name = "Remove"
    action_type = transition = "remove"
    aria_label = "Remove the selected approved comments"
    action_priority = 40
    classes = {"serious"}


BULK_ACTIONS = [ApproveBulkAction, RejectBulkAction, SpamBulkAction, RemoveBulkAction]
