"""Documents are served only through Wagtail's document view, which asks for a private collection's
password; their files are never plain media, from the app or from the reference nginx."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

pytestmark = pytest.mark.django_db

SECRET = b"CANARY-private-document-7f3a"


@pytest.fixture
def private_document(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    collection = Collection.get_first_root_node().add_child(name="Members")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password="letmein"
    )
    document = get_document_model()(title="Members' notes", collection=collection)
    document.file.save("notes.txt", ContentFile(SECRET))
    document.save()
    return document


def test_a_private_document_asks_for_its_password(client, private_document):
    response = client.get(private_document.url)
    assert response.status_code == 200
    assert b"Password required" in response.content
    assert SECRET not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_a_document_file_is_not_media(client, private_document):
    assert private_document.file.name.startswith("documents/")
    response = client.get(f"/media/{private_document.file.name}")
    assert response.status_code == 404
    assert SECRET not in response.content


def test_other_media_is_still_served(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "picture.txt").write_bytes(b"a picture")
    response = client.get("/media/images/picture.txt")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"a picture"
