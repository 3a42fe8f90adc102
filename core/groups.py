"""The two groups every installation starts with, kept in step after each ``migrate``.

Editors write and publish articles and snippets; Moderators reach the admin to work the comment
queue but cannot edit pages. Run after every migration so that permissions of new models are added.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

EDITORS = "Editors"
MODERATORS = "Moderators"

# (app_label, codename) pairs each group gets, registered by the apps that own the models
# (``grant`` from their ``AppConfig.ready()``), so this module names no project app.
_granted = {EDITORS: set(), MODERATORS: set()}
_granted[EDITORS] |= {("taggit", "add_tag"), ("taggit", "change_tag"), ("taggit", "view_tag")}


def grant(group, permissions):
    """Give ``group`` (``EDITORS`` or ``MODERATORS``) these ``(app_label, codename)`` permissions."""
    _granted[group].update(permissions)


def model_permissions(app_label, model_actions):
    """``{"author": ["add", "view"]}`` as ``(app_label, "add_author")``, … pairs."""
    return [(app_label, f"{action}_{model}") for model, actions in model_actions.items() for action in actions]


def _permissions(pairs):
    wanted = Q(pk__in=[])
    for app_label, codename in pairs:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(wanted)


@transaction.atomic
def ensure_groups(**kwargs):
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    moderators, _ = Group.objects.get_or_create(name=MODERATORS)
    admin_access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    editors.permissions.add(*admin_access)

    editors.permissions.add(*_permissions(_granted[EDITORS]))
    moderators.permissions.set([*admin_access, *_permissions(_granted[MODERATORS])])

    # Wagtail's own initial data lets "Moderators" edit pages and media; ours only moderate.
    GroupPagePermission.objects.filter(group=moderators).delete()
    GroupCollectionPermission.objects.filter(group=moderators).delete()

    root = Page.get_first_root_node()
    if root is not None:
        for codename in ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]:
            perm = Permission.objects.filter(content_type__app_label="wagtailcore", codename=codename).first()
            if perm:
                GroupPagePermission.objects.get_or_create(group=editors, page=root, permission=perm)
    collection = Collection.get_first_root_node()
    if collection is not None:
        for app_label, codename in [
            ("wagtailimages", "add_image"),
            ("wagtailimages", "change_image"),
            ("wagtailimages", "choose_image"),
            ("wagtaildocs", "add_document"),
            ("wagtaildocs", "change_document"),
            ("wagtaildocs", "choose_document"),
        ]:
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm:
                GroupCollectionPermission.objects.get_or_create(group=editors, collection=collection, permission=perm)
