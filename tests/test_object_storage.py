"""Uploads on S3-compatible object storage (cms/settings/media.py), against a real S3 server that the
tests start on 127.0.0.1 (moto's standalone server): images are public objects whose URLs the API and
the pages print (on the CDN's domain when there is one), documents are private objects reached only
through Wagtail's view, which checks the collection's privacy and then hands out a signed URL, and no
upload overwrites another."""

import io
import itertools
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from articles.demo_pictures import image_file
from articles.factories import ImageFactory
from cms.settings.media import document_serve_method, media_storages

pytestmark = pytest.mark.django_db

SECRET = b"CANARY-members-only-4b1d"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
_buckets = itertools.count(1)


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server, in a thread, on a free port: a real HTTP peer for boto3 and for readers."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield SimpleNamespace(url=f"http://{host}:{port}", port=port)
    server.stop()


@pytest.fixture
def s3(s3_server, settings, monkeypatch):
    """A new bucket, and the settings that cms/settings/media.py makes of the environment for it.

    ``s3.configure(NAME=value, ...)`` sets more variables and builds the settings again."""
    bucket = f"media-{next(_buckets)}"
    env = {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": s3_server.url,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_server.url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=bucket)

    def configure(**variables):
        for name, value in {**env, **variables}.items():
            monkeypatch.setenv(name, value)
        storages = media_storages()
        settings.STORAGES = {**storages, "staticfiles": settings.STORAGES["staticfiles"]}
        settings.WAGTAILDOCS_SERVE_METHOD = document_serve_method(storages)

    configure()
    return SimpleNamespace(client=client, bucket=bucket, url=s3_server.url, port=s3_server.port, configure=configure)


def object_url(s3, name, bucket=None):
    """The object's plain (unsigned) URL on the S3 server."""
    return f"{s3.url}/{bucket or s3.bucket}/{name}"


def public_grants(s3, name, bucket=None):
    grants = s3.client.get_object_acl(Bucket=bucket or s3.bucket, Key=name)["Grants"]
    return [grant for grant in grants if grant["Grantee"].get("URI") == ALL_USERS]


def make_document(collection=None, name="notes.txt", content=SECRET):
    document = get_document_model()(title="Notes", collection=collection or Collection.get_first_root_node())
    document.file.save(name, ContentFile(content))
    document.save()
    return document


@pytest.fixture
def members(db):
    collection = Collection.get_first_root_node().add_child(name="Members")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password="letmein"
    )
    return collection


# --- the switch ----------------------------------------------------------------------------------------
def _settings_of(module, **variables):
    """The storage and the document serve method that ``cms.settings.<module>`` computes in a fresh
    interpreter, with no AWS variable but those given."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env.update(variables)
    code = (
        f"from cms.settings import {module} as s; print(s.STORAGES['default']['BACKEND'], s.WAGTAILDOCS_SERVE_METHOD)"
    )
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_without_a_bucket_uploads_stay_on_the_filesystem():
    """``make run`` (cms.settings.dev) with no AWS variable: files on disk, documents sent by the view."""
    assert _settings_of("dev") == ["django.core.files.storage.FileSystemStorage", "serve_view"]


def test_a_bucket_name_selects_object_storage():
    assert _settings_of("dev", AWS_STORAGE_BUCKET_NAME="cms-media") == ["core.storage.RoutedStorage", "redirect"]


# --- images --------------------------------------------------------------------------------------------
def test_an_image_uploaded_in_the_admin_is_served_from_the_bucket(s3, admin_client, api, client, article_factory):
    picture = image_file("Upload", "upload.jpg", size=(1600, 900)).read()
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Upload",
            "file": SimpleUploadedFile("upload.jpg", picture, "image/jpeg"),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 302
    image = get_image_model().objects.get(title="Upload")
    assert image.file.name.startswith("original_images/upload")

    original = api.get(f"/api/v2/images/{image.pk}/").json()["meta"]["download_url"]
    assert original == object_url(s3, image.file.name)
    assert requests.get(original, timeout=5).content == picture

    article = article_factory(hero_image=image)
    hero = api.get(f"/api/v2/pages/{article.pk}/").json()["hero_image"]
    assert hero["url"].startswith(object_url(s3, "images/upload"))
    answer = requests.get(hero["url"], timeout=5)
    assert answer.status_code == 200
    assert PILImage.open(io.BytesIO(answer.content)).size == (hero["width"], hero["height"]) == (1200, 630)
    assert hero["url"].encode() in client.get(article.url).content


def test_with_a_cdn_image_urls_are_on_its_domain(s3, api, article_factory):
    # "localhost" stands for the CDN: another name for the same server, so that its URLs can be read.
    cdn = f"localhost:{s3.port}/{s3.bucket}"
    s3.configure(AWS_S3_CUSTOM_DOMAIN=cdn, AWS_S3_URL_PROTOCOL="http:")
    article = article_factory(hero_image=ImageFactory())
    hero = api.get(f"/api/v2/pages/{article.pk}/").json()["hero_image"]
    assert hero["url"].startswith(f"http://{cdn}/images/")
    answer = requests.get(hero["url"], timeout=5)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "image/jpeg"


def test_two_uploads_of_one_name_are_both_kept(s3):
    first = ImageFactory(file=image_file("First", "photo.jpg", hue=0))
    second = ImageFactory(file=image_file("Second", "photo.jpg", hue=180))
    assert first.file.name == "original_images/photo.jpg"
    assert second.file.name != first.file.name
    for image in (first, second):
        with image.open_file() as stored:
            expected = stored.read()
        assert s3.client.get_object(Bucket=s3.bucket, Key=image.file.name)["Body"].read() == expected
    assert first.get_rendition("fill-100x100").file.name != second.get_rendition("fill-100x100").file.name

    one, other = make_document(content=b"one"), make_document(content=b"other")
    assert one.file.name != other.file.name
    assert s3.client.get_object(Bucket=s3.bucket, Key=one.file.name)["Body"].read() == b"one"
    assert s3.client.get_object(Bucket=s3.bucket, Key=other.file.name)["Body"].read() == b"other"


def test_images_are_public_objects(s3):
    image = ImageFactory()
    rendition = image.get_rendition("max-200x200")
    for name in (image.file.name, rendition.file.name):
        assert public_grants(s3, name) == [{"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "READ"}]
        assert requests.get(object_url(s3, name), timeout=5).status_code == 200


# --- documents -----------------------------------------------------------------------------------------
def test_a_private_document_is_a_private_object_behind_its_password(s3, client, members):
    document = make_document(members)
    plain = requests.get(object_url(s3, document.file.name), timeout=5)
    assert plain.status_code == 403
    assert SECRET not in plain.content
    assert public_grants(s3, document.file.name) == []

    response = client.get(document.url)
    assert response.status_code == 200
    assert b"Password required" in response.content
    assert SECRET not in response.content
    assert s3.url.encode() not in response.content

    restriction = members.view_restrictions.get()
    login = reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk])
    response = client.post(login, {"password": "letmein", "return_url": document.url})
    assert response.status_code == 302
    response = client.get(document.url)
    assert response.status_code == 302
    assert requests.get(response["Location"], timeout=5).content == SECRET


def test_a_public_document_redirects_to_a_short_lived_signed_url(s3, client, api):
    document = make_document(content=b"public notes")
    # Stored private all the same: only the view's signed URL reads it.
    assert requests.get(object_url(s3, document.file.name), timeout=5).status_code == 403
    assert public_grants(s3, document.file.name) == []

    response = client.get(document.url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == object_url(s3, document.file.name)
    query = parse_qs(location.query)
    assert query["X-Amz-Expires"] == ["300"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert "X-Amz-Signature" in query
    assert requests.get(response["Location"], timeout=5).content == b"public notes"

    # The API links the view, never the object.
    download = api.get(f"/api/v2/documents/{document.pk}/").json()["meta"]["download_url"]
    assert download == f"http://testserver{document.url}"


def test_a_documents_signed_url_is_never_on_the_cdn(s3, client):
    s3.configure(AWS_S3_CUSTOM_DOMAIN="cdn.example", AWS_QUERYSTRING_EXPIRE="60")
    document = make_document(content=b"notes")
    location = client.get(document.url)["Location"]
    assert location.startswith(object_url(s3, "documents/"))
    assert parse_qs(urlsplit(location).query)["X-Amz-Expires"] == ["60"]
    assert requests.get(location, timeout=5).content == b"notes"


def test_documents_may_have_a_bucket_of_their_own(s3):
    s3.client.create_bucket(Bucket=f"{s3.bucket}-documents")
    s3.configure(DOCUMENTS_BUCKET_NAME=f"{s3.bucket}-documents")
    document = make_document(content=b"apart")
    image = ImageFactory()
    assert s3.client.get_object(Bucket=f"{s3.bucket}-documents", Key=document.file.name)["Body"].read() == b"apart"
    assert s3.client.list_objects_v2(Bucket=s3.bucket, Prefix="documents/")["KeyCount"] == 0
    assert s3.client.head_object(Bucket=s3.bucket, Key=image.file.name)["ContentType"] == "image/jpeg"


def test_without_object_acls_nothing_is_made_public_by_the_app(s3):
    """``AWS_DEFAULT_ACL=""`` (a bucket without ACLs): no ACL is sent, and a bucket policy decides."""
    s3.configure(AWS_DEFAULT_ACL="")
    image, document = ImageFactory(), make_document()
    assert public_grants(s3, image.file.name) == []
    assert public_grants(s3, document.file.name) == []


def test_a_name_that_climbs_out_of_its_folder_is_refused(s3):
    document = make_document()
    sneaky = f"images/../{document.file.name}"
    with pytest.raises(SuspiciousFileOperation):
        default_storage.open(sneaky)
    with pytest.raises(SuspiciousFileOperation):
        default_storage.url(sneaky)


def test_an_image_whose_object_is_gone_shows_no_image(s3, api, article_factory):
    image = ImageFactory()
    s3.client.delete_object(Bucket=s3.bucket, Key=image.file.name)
    article = article_factory(hero_image=image)
    response = api.get(f"/api/v2/pages/{article.pk}/")
    assert response.status_code == 200
    assert response.json()["hero_image"] is None
