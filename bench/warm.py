"""Before anything is measured, each special article's API answer and page are rendered once, so that
their image renditions and embeds exist (run by the harness through ``manage.py shell``)."""

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
    sys.stdout.write("renditions and embeds ready\n")
