"""Rendered pages tell the public response cache what they show (see core/cache.py)."""

from wagtail import hooks

from core.cache import page_tag, tag_request


@hooks.register("before_serve_page", order=100)
def tag_served_page(page, request, serve_args, serve_kwargs):
    # order=100: after Wagtail's own view-restriction hook, so a password form or a login redirect
    # (which that hook returns instead of the page) is never tagged, hence never cached.
    # "nav": the header's links, which follow the site's section pages.
    tag_request(request, page_tag(page), "nav")
