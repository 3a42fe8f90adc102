"""What each change makes stale, for the public response cache and the HTTP cache in front of it.

Every handler names the tags that the change touches (see core/cache.py for who records which) and
bumps them once the transaction commits, so that no reader sees the old content after the editor's
or moderator's request has answered.

- a page published, unpublished or deleted: ``page:<id>``, ``children:<parent path>``, ``pages``, and
  ``nav`` unless it is an article;
- a page moved: the same for it and every descendant, and both parents' ``children:``;
- a view restriction added, changed or removed on a page: the same as an unpublish, for the page and
  every descendant (they inherit it), so a page made private is gone from every cache at once;
- a view restriction on a collection: every image and document in it and its descendants;
- a model that public responses show (an image here; apps add theirs with ``watch_model`` from their
  ``ready()``: authors, snippets, settings) saved or deleted: ``<app.model>:<id>`` and ``<app.model>``;
- a site added, changed or deleted: everything (which pages a host serves, every absolute URL);
- a comment approved, rejected, marked spam, removed or erased: ``thread:<article id>`` (the comments app
  connects ``comment_moderated`` to ``cache.invalidate`` itself).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from core import cache

# Models whose instances public responses show; their saves and deletes invalidate by tag.
_shown_models = set()


def watch_model(model):
    """Saving or deleting an instance of ``model`` makes every response that showed it stale."""
    _shown_models.add(model._meta.label_lower)


# Fields Wagtail saves on a page when a draft revision is saved, locked or scheduled.
REVISION_BOOKKEEPING = {
    "latest_revision",
    "latest_revision_created_at",
    "draft_title",
    "has_unpublished_changes",
    "wagtail_admin_comments",
    "locked",
    "locked_at",
    "locked_by",
    "go_live_at",
    "expire_at",
    "approved_go_live_at",
}


def invalidate_on_commit(tags):
    tags = set(tags)
    transaction.on_commit(lambda: cache.invalidate(tags))


def _page_tags(page):
    tags = {cache.page_tag(page), cache.children_tag(page.path[: -page.steplen]), "pages"}
    if getattr(page.specific_class, "shown_in_navigation", True):
        tags.add("nav")  # the home page and section pages are what the header links to
    return tags


def page_changed(sender, instance, **kwargs):
    invalidate_on_commit(_page_tags(instance))


def page_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    tags = _page_tags(instance) | {
        cache.children_tag(parent_page_before.path),
        cache.children_tag(parent_page_after.path),
    }
    # Every descendant's URL changed with it.
    tags |= {cache.page_tag(pk) for pk in instance.get_descendants().values_list("pk", flat=True)}
    invalidate_on_commit(tags)


def _subtree_tags(page):
    """A page and its descendants: what a change of who may see them makes stale."""
    tags = _page_tags(page)
    for descendant in page.get_descendants():
        tags |= _page_tags(descendant)
    return tags


def _collection_tags(collection):
    subtree = Collection.objects.descendant_of(collection, inclusive=True)
    tags = set()
    for model in (get_image_model(), get_document_model()):
        label = model._meta.label_lower
        tags |= {f"{label}:{pk}" for pk in model.objects.filter(collection__in=subtree).values_list("pk", flat=True)}
    return tags


def restriction_changed(sender, instance, **kwargs):
    """A page or collection made private (or public again, or given another password or groups)."""
    try:
        if isinstance(instance, PageViewRestriction):
            invalidate_on_commit(_subtree_tags(instance.page))
        elif isinstance(instance, CollectionViewRestriction):
            invalidate_on_commit(_collection_tags(instance.collection))
    except (Page.DoesNotExist, Collection.DoesNotExist):
        pass  # deleted with its page or collection, whose own deletion invalidates


def object_changed(sender, instance, **kwargs):
    if isinstance(instance, PageViewRestriction | CollectionViewRestriction):
        restriction_changed(sender, instance, **kwargs)
        return
    if isinstance(instance, Page):
        # Editors change pages through revisions and publishing (above). A save of a live page that
        # touches more than Wagtail's revision bookkeeping (scripts, data migrations) counts too.
        update_fields = kwargs.get("update_fields")
        bookkeeping = update_fields is not None and set(update_fields) <= REVISION_BOOKKEEPING
        if kwargs.get("signal") is post_delete or (instance.live and not bookkeeping):
            invalidate_on_commit(_page_tags(instance))
        return
    label = sender._meta.label_lower
    if label in _shown_models:
        invalidate_on_commit({label, cache.object_tag(instance)})


def site_changed(sender, instance, **kwargs):
    """A site added, changed or deleted: which pages a host serves, and every absolute URL, may differ."""
    transaction.on_commit(cache.invalidate_everything)


def connect():
    """Called from ``CoreConfig.ready``: Wagtail's page signals and every model save or delete."""
    watch_model(get_image_model())
    page_published.connect(page_changed, dispatch_uid="core.cache.page_published")
    page_unpublished.connect(page_changed, dispatch_uid="core.cache.page_unpublished")
    post_page_move.connect(page_moved, dispatch_uid="core.cache.page_moved")
    post_save.connect(object_changed, dispatch_uid="core.cache.saved")
    post_delete.connect(object_changed, dispatch_uid="core.cache.deleted")
    post_save.connect(site_changed, sender=Site, dispatch_uid="core.cache.site_saved")
    post_delete.connect(site_changed, sender=Site, dispatch_uid="core.cache.site_deleted")
