"""The two groups every installation starts with, kept in step after each ``migrate``.

Editors write and publish articles and snippets; Moderators reach the admin to work the comment
queue but cannot edit pages. Run after every migration so that permissions of new models are added.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

EDITORS = "Editors"
MODERATORS = "Moderators"

EDITOR_MODEL_PERMS = {
    "articles": {
        "author": ["add", "change", "delete", "view"],
        "testimonial": ["add", "change", "delete", "view", "publish"],
        "promo": ["add", "change", "delete", "view"],
        "disclaimer": ["add", "change", "delete", "view"],
        "articlesettings": ["change", "view"],
    },
    "taggit": {"tag": ["add", "change", "view"]},
}
MODERATOR_PERMS = [
    ("comments", "moderate_comments"),
    ("comments", "change_moderationsettings"),  # the banned and suspect word lists
    ("comments", "view_moderationsettings"),
]


def _perms(app_label, model_perms):
    for model, actions in model_perms.items():
        for action in actions:
            yield app_label, f"{action}_{model}"


@transaction.atomic
def ensure_groups(**kwargs):
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    moderators, _ = Group.objects.get_or_create(name=MODERATORS)
    admin_access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    editors.permissions.add(*admin_access)

    wanted = [pair for app, perms in EDITOR_MODEL_PERMS.items() for pair in _perms(app, perms)]
    for app_label, codename in wanted:
        editors.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))
    moderate = Q()
    for app_label, codename in MODERATOR_PERMS:
        moderate |= Q(content_type__app_label=app_label, codename=codename)
    moderators.permissions.set([*admin_access, *Permission.objects.filter(moderate)])

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
