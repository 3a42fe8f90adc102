"""The approved thread on an article page: each comment's markup, built here rather than by a template
included once per comment.

A thread page shows up to a hundred comments (twenty threads and their replies); rendered by a
recursive ``{% include %}`` they were a quarter of the page's CPU, nearly all of it the template
engine's own work per node. The markup is the same, built with ``format_html`` (every value escaped)
around the stored comment HTML, which was sanitized when it was saved.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.templatetags.site_dates import time_element

register = template.Library()


@register.filter
def sanitized(html):
    """A comment's HTML as stored: ``comment_create`` sanitized it on the way in (``sanitize_comment``),
    and nothing else writes it (erasure empties it), so the page prints the very string the thread API
    serves, without a bleach pass per comment per render."""
    return mark_safe(html or "")  # noqa: S308 - sanitized when it was stored (comments.services.comment_create)


@register.simple_tag(takes_context=True)
def comment_items(context, comments):
    """``<li>`` of each comment of ``comments`` (``comments.selectors.build_trees``), its replies nested."""
    max_level = context.get("comment_max_level", 0)
    return format_html_join("\n", "{}", ((_item(comment, max_level),) for comment in comments))


def _item(comment, max_level):
    replies = ""
    if comment["replies"]:
        replies = format_html(
            '<ol class="comment-list comment-list--replies">{}</ol>',
            format_html_join("\n", "{}", ((_item(reply, max_level),) for reply in comment["replies"])),
        )
    if comment["removed"]:
        return format_html(
            '<li class="comment comment--removed" id="comment-{}"><article aria-label="Removed comment">'
            '<p class="comment__removed">Comment removed.</p></article>{}</li>',
            comment["id"],
            replies,
        )
    name = comment["name"]
    if comment["url"]:
        author = format_html(
            '<a class="comment__author" href="{}" rel="nofollow ugc noopener noreferrer">{}</a>', comment["url"], name
        )
    else:
        author = format_html('<span class="comment__author">{}</span>', name)
    reply = ""
    if comment["level"] < max_level:
        reply = format_html(
            '<a href="?reply_to={}#comment-form" aria-label="Reply to {}">Reply</a>', comment["id"], name
        )
    return format_html(
        '<li class="comment" id="comment-{id}"><article aria-label="Comment by {name}">'
        '<header class="comment__meta">{author} {created}</header>'
        '<div class="comment__body">{body}</div>'
        '<p class="comment__actions">{reply} '
        '<a href="{report}" aria-label="Report the comment by {name}">Report</a></p>'
        "</article>{replies}</li>",
        id=comment["id"],
        name=name,
        author=author,
        created=time_element(comment["created"]),
        body=sanitized(comment["body"]),
        reply=reply,
        report=reverse("comments-report-page", args=[comment["id"]]),
        replies=replies,
    )
