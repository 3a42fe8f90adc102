"""Run inside ``manage.py shell`` by drill/data.py: the articles index, an author, an editor who
logs in to the admin with a password, and a moderator with an API token (Users › API tokens).

Writes what the drill needs to ``$DRILL_SEED_OUT``; the token is shown nowhere else.
"""

import json
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import APIToken, Site

from articles.models import ArticleIndexPage, Author
from core.groups import EDITORS, MODERATORS


def _user(username, group):
    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": f"{username}@staff.example"})
    user.groups.add(Group.objects.get(name=group))
    return user


@transaction.atomic
def main():
    home = Site.objects.get(is_default_site=True).root_page
    index = ArticleIndexPage.objects.filter(slug="articles").first()
    if index is None:
        index = ArticleIndexPage(title="Articles", slug="articles", intro="<p>Newest first.</p>")
        home.add_child(instance=index)
        index.save_revision().publish()
    author, _ = Author.objects.get_or_create(name="Drill Author")
    editor = _user("drill-editor", EDITORS)
    editor.set_password(os.environ["DRILL_EDITOR_PASSWORD"])
    editor.save()
    moderator = _user("drill-moderator", MODERATORS)
    _, token = APIToken.create_token(user=moderator, name="drill")
    out = {
        "index": {"id": index.pk, "url": index.url},
        "author": author.pk,
        "editor": {"username": editor.username, "password": os.environ["DRILL_EDITOR_PASSWORD"]},
        "token": token,
    }
    with open(os.environ["DRILL_SEED_OUT"], "w") as handle:
        json.dump(out, handle)
