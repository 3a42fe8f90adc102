"""Before anything is measured, each special article's API answer and page are rendered once, so that
their image renditions and embeds exist, and every other live article's API answer once, so that each
has its stored row (its related-post summary with it), as on a site whose articles have each been read
(run by the harness through ``manage.py shell``)."""

import json
import os
import sys

from django.test import Client


def main():
    with open(os.environ["BENCH_MANIFEST"]) as handle:
        manifest = json.load(handle)
    client = Client()
    for spec in manifest["special"].values():
        for url in (f"/api/v2/pages/{spec['id']}/", spec["url_path"].removeprefix("/home")):
            response = client.get(url, HTTP_HOST="localhost")
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
    from articles.models import ArticlePage  # Django is set up by the shell

    special = {spec["id"] for spec in manifest["special"].values()}
    for pk in ArticlePage.objects.live().exclude(pk__in=special).values_list("pk", flat=True):
        response = client.get(f"/api/v2/pages/{pk}/", HTTP_HOST="localhost")
        if response.status_code != 200:
            raise SystemExit(f"/api/v2/pages/{pk}/ answered {response.status_code}")
    sys.stdout.write("renditions, embeds and stored rows ready\n")
