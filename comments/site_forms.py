"""The rendered site's comment and report forms: plain POSTs that work without JavaScript."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.views.csrf import csrf_failure
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework import exceptions

from comments import selectors, services
from comments.api import PENDING_MESSAGE, submit_comment
from comments.auth import CommentPostThrottle, origin_allowed
from comments.forms import CommentForm, ReportForm
from comments.models import ArticleComment, CommentStatus


def _render_with_errors(request, form, status):
    article = selectors.commentable_article(request.POST.get("page"))
    if article is None:
        raise Http404
    context = article.get_context(request)
    context["comment_form"] = form
    return TemplateResponse(request, article.get_template(request), context, status=status)


@csrf_exempt
@require_POST
def post_comment(request):
    """The same rules and limits as ``POST /api/comments/``.

    The article page is the same for every anonymous reader, so that caches can keep it: its form
    carries no per-reader CSRF token. Forgery is refused by origin instead, as the JSON API does
    (``Origin``/``Sec-Fetch-Site``, OWASP's "verifying origin with standard headers"). Nothing the
    form does depends on who is signed in, so a forged post could only ever post a pending comment.
    """
    if not origin_allowed(request):
        return csrf_failure(request, reason="The comment form was posted from another site.")
    form = CommentForm(data=request.POST)
    throttle = CommentPostThrottle()
    if not throttle.allow_request(request, None):
        wait = int(throttle.wait() or 60)
        form.add_error(None, f"You are posting too fast. Please wait {wait} seconds and try again.")
        response = _render_with_errors(request, form, status=429)
        response["Retry-After"] = str(wait)
        return response
    try:
        comment = submit_comment(request, form.api_data())
    except exceptions.ValidationError as exc:
        form.add_api_errors(exc.detail if isinstance(exc.detail, dict) else {"body": exc.detail})
        return _render_with_errors(request, form, status=400)
    messages.success(request, PENDING_MESSAGE)
    return HttpResponseRedirect(f"{comment.article.url}?comment=pending#comments", status=303)


def report_comment(request, pk):
    """A reader reports an approved comment from the article page (GET: the form, POST: the report)."""
    comment = ArticleComment.objects.select_related("article").filter(pk=pk, status=CommentStatus.APPROVED).first()
    if comment is None or selectors.commentable_article(comment.article_id) is None:
        raise Http404
    form = ReportForm(data=request.POST or None)
    status = 200
    if request.method == "POST":
        throttle = CommentPostThrottle()
        if not throttle.allow_request(request, None):
            wait = int(throttle.wait() or 60)
            form.add_error(None, f"You are sending reports too fast. Please wait {wait} seconds and try again.")
            status = 429
        elif form.is_valid():
            services.report_create(comment=comment, **form.cleaned_data)
            messages.success(request, "Thank you. A moderator will look at this comment.")
            return HttpResponseRedirect(f"{comment.article.url}#comment-{comment.pk}", status=303)
        else:
            status = 400
    context = {"comment": comment, "form": form, "page": comment.article}
    response = TemplateResponse(request, "comments/report.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(wait)
    return response
