"""What each change makes stale, for the public response cache and the HTTP cache in front of it.

Every handler names the tags that the change touches (see cms/cache.py for who records which) and
bumps them once the transaction commits, so that no reader sees the old content after the editor's
or moderator's request has answered.

- a page published, unpublished or deleted: ``page:<id>``, ``children:<parent path>``, ``pages``, and
  ``nav`` unless it is an article;
- a page moved: the same for it and every descendant, and both parents' ``children:``;
- an author, testimonial, promo, disclaimer, image or the article settings saved or deleted:
  ``<app.model>:<id>`` and ``<app.model>``;
- a comment approved, rejected, marked spam, removed or erased: ``thread:<article id>``.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms import cache
from comments.signals import comment_moderated

# Models whose instances public responses show; their saves and deletes invalidate by tag.
SHOWN_MODELS = {
    "articles.author",
    "articles.testimonial",
    "articles.promo",
    "articles.disclaimer",
    "articles.articlesettings",
    "wagtailimages.image",
}

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
    if page.specific_class is None or page.specific_class._meta.label_lower != "articles.articlepage":
        tags.add("nav")  # the home page and section pages are what the header links to
    return tags


@receiver(page_published, dispatch_uid="cms.cache.page_published")
@receiver(page_unpublished, dispatch_uid="cms.cache.page_unpublished")
def page_changed(sender, instance, **kwargs):
    invalidate_on_commit(_page_tags(instance))


@receiver(post_page_move, dispatch_uid="cms.cache.page_moved")
def page_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    tags = _page_tags(instance) | {
        cache.children_tag(parent_page_before.path),
        cache.children_tag(parent_page_after.path),
    }
    # Every descendant's URL changed with it.
    tags |= {cache.page_tag(pk) for pk in instance.get_descendants().values_list("pk", flat=True)}
    invalidate_on_commit(tags)


@receiver(post_delete, dispatch_uid="cms.cache.deleted")
@receiver(post_save, dispatch_uid="cms.cache.saved")
def object_changed(sender, instance, **kwargs):
    if isinstance(instance, Page):
        # Editors change pages through revisions and publishing (above). A save of a live page that
        # touches more than Wagtail's revision bookkeeping (scripts, data migrations) counts too.
        update_fields = kwargs.get("update_fields")
        bookkeeping = update_fields is not None and set(update_fields) <= REVISION_BOOKKEEPING
        if kwargs.get("signal") is post_delete or (instance.live and not bookkeeping):
            invalidate_on_commit(_page_tags(instance))
        return
    label = sender._meta.label_lower
    if label in SHOWN_MODELS:
        invalidate_on_commit({label, cache.object_tag(instance)})


@receiver(comment_moderated, dispatch_uid="cms.cache.comment_moderated")
def comment_moderated_changed(sender, comment, **kwargs):
    # Already sent after the commit.
    cache.invalidate({cache.thread_tag(comment.article_id)})
