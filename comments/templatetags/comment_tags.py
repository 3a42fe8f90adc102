from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def sanitized(html):
    """A comment's HTML as stored: ``comment_create`` sanitized it on the way in (``sanitize_comment``),
    and nothing else writes it (erasure empties it), so the page prints the very string the thread API
    serves, without a bleach pass per comment per render."""
    return mark_safe(html or "")  # noqa: S308 - sanitized when it was stored (comments.services.comment_create)
