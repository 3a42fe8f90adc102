"""The rendered site's comment and report forms: plain POSTs that work without JavaScript.

A post with errors comes back as the article page with the form filled in as it was sent, its
errors listed in a summary that takes the focus (``autofocus``: the browser focuses it and scrolls
it into view, no script needed) and said again beside each field (``templates/comments/thread.html``).
"""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.text import Truncator
from django.views.csrf import csrf_failure
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework import exceptions

from comments import selectors, services
from comments.api import PENDING_MESSAGE, CommentInputSerializer, submit_comment
from comments.auth import origin_allowed
from comments.forms import CommentForm, ReportForm
from comments.models import ArticleComment, CommentStatus
from comments.posting_limits import TooManyRefused, posting_place
from core.sanitize import sanitize_plain

EXCERPT_LENGTH = 80
REPLY_GONE = (
    "The comment you were replying to can no longer be replied to: it has been removed or is not shown. "
    "Your text is kept below; post it as a new comment, or change it first."
)
REPLY_LINK_GONE = "The comment you wanted to reply to can no longer be replied to. You can leave a new comment."


class ReplyTargetGone(Exception):
    """The post answers a comment that is not (or no longer) an approved comment of its article."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def too_fast_message(exc, what, doing):
    """The 429's sentence: ``what`` ("comments"), ``doing`` ("posting")."""
    if isinstance(exc, TooManyRefused):
        return f"Too many of your {what} were refused. Please wait {exc.wait} seconds and try again."
    return f"You are {doing} too fast. Please wait {exc.wait} seconds and try again."


def reply_target(article, parent_id):
    """What the form says of the comment being answered: its author and the start of its text. Only an
    approved comment of ``article`` is described; anything else is None."""
    parent = selectors.approved_parent(article, parent_id) if parent_id else None
    if parent is None:
        return None
    text = sanitize_plain(parent.comment)
    return {"id": parent.pk, "name": parent.user_name, "excerpt": Truncator(text).chars(EXCERPT_LENGTH)}


def form_context(article, request):
    """The article page's empty form; ``?reply_to=<id>`` makes it a reply, if that comment is shown."""
    reply_to = request.GET.get("reply_to")
    target = reply_target(article, reply_to) if reply_to and article.pk else None
    return {
        "comment_form": CommentForm(initial={"page": article.pk, "parent": target["id"] if target else ""}),
        "comment_reply_to": target,
        "comment_reply_gone": REPLY_LINK_GONE if reply_to and target is None else "",
    }


def _render_with_errors(request, form, status, article=None):
    article = article or selectors.commentable_article(request.POST.get("page"))
    if article is None:
        raise Http404
    context = article.get_context(request)
    context["comment_form"] = form
    context["comment_reply_to"] = reply_target(article, form.data.get("parent"))
    return TemplateResponse(request, article.get_template(request), context, status=status)


def _submit(request, form):
    """``submit_comment``, but a reply to a comment that is gone keeps the reader's text (the API's
    answer to it is the one 404 of every hidden target, docs/api.md)."""
    data = form.api_data()
    if data["parent"]:
        article = selectors.commentable_article(data["page"])
        if article is not None and selectors.approved_parent(article, data["parent"]) is None:
            serializer = CommentInputSerializer(data={**data, "parent": None})
            serializer.is_valid()
            raise ReplyTargetGone(serializer.errors)
    return submit_comment(request, data)


@csrf_exempt
@require_POST
def post_comment(request):
    """The same rules and limits as ``POST /api/comments/`` (``comments/posting_limits.py``).

    The article page is the same for every anonymous reader, so that caches can keep it: its form
    carries no per-reader CSRF token. Forgery is refused by origin instead, as the JSON API does
    (``Origin``/``Sec-Fetch-Site``, OWASP's "verifying origin with standard headers"). Nothing the
    form does depends on who is signed in, so a forged post could only ever post a pending comment.
    """
    if not origin_allowed(request):
        return csrf_failure(request, reason="The comment form was posted from another site.")
    form = CommentForm(data=request.POST)
    try:
        with posting_place(request):
            comment = _submit(request, form)
    except exceptions.Throttled as exc:
        form.show_errors(message=too_fast_message(exc, "comments", "posting"))
        response = _render_with_errors(request, form, status=429)
        response["Retry-After"] = str(exc.wait)
        return response
    except ReplyTargetGone as exc:
        form.show_errors(exc.errors, message=REPLY_GONE)
        form.forget_parent()
        return _render_with_errors(request, form, status=400)
    except exceptions.ValidationError as exc:
        form.show_errors(exc.detail if isinstance(exc.detail, dict) else {"body": exc.detail})
        return _render_with_errors(request, form, status=400)
    messages.success(request, PENDING_MESSAGE)
    return HttpResponseRedirect(f"{comment.article.url}?comment=pending#comments", status=303)


def report_comment(request, pk):
    """A reader reports an approved comment from the article page (GET: the form, POST: the report).

    Once sent, the article comes back with the thanks at the top of its comments
    (``?comment=reported``), where it takes the focus.
    """
    comment = ArticleComment.objects.select_related("article").filter(pk=pk, status=CommentStatus.APPROVED).first()
    if comment is None or selectors.commentable_article(comment.article_id) is None:
        raise Http404
    form = ReportForm(data=request.POST or None)
    status, wait = 200, None
    if request.method == "POST":
        try:
            with posting_place(request):
                if not form.is_valid():
                    raise exceptions.ValidationError(form.errors)
                services.report_create(comment=comment, **form.cleaned_data)
        except exceptions.Throttled as exc:
            form.add_error(None, too_fast_message(exc, "reports", "sending reports"))
            status, wait = 429, exc.wait
        except exceptions.ValidationError:
            status = 400
        else:
            return HttpResponseRedirect(f"{comment.article.url}?comment=reported", status=303)
    context = {"comment": comment, "form": form, "page": comment.article}
    response = TemplateResponse(request, "comments/report.html", context, status=status)
    if wait is not None:
        response["Retry-After"] = str(wait)
    return response
