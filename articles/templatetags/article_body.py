"""``{% article_body body %}``: an article body from its API representation, each block by its template.

``body`` is ``ArticlePage.get_body`` (``[{type, id, value}]``, stored per revision): the page shows
exactly what the API serves, and rendering it runs no query. Each block's ``Meta.template`` gets what
``{% include_block %}`` would give it: ``value`` (the API shape, HTML parts safe again) and ``id``.
"""

from django import template
from django.utils.safestring import mark_safe

from articles.blocks import ArticleBodyBlock

register = template.Library()
_BLOCKS = ArticleBodyBlock().child_blocks


@register.simple_tag(takes_context=True)
def article_body(context, body):
    engine = context.template.engine
    parts = []
    for item in body or []:
        block = _BLOCKS.get(item["type"])
        if block is None:  # a block type removed since the body was stored: left out, as the API does
            continue
        value = block.for_template(item["value"])
        with context.push({"value": value, "self": value, "id": item["id"]}):
            parts.append(engine.get_template(block.meta.template).render(context))
    return mark_safe("\n".join(parts))  # noqa: S308 - each part is a template's auto-escaped output
