"""What readers say about themselves: an address a mail server takes, a name that is not someone else's."""

import pytest
from django.contrib.auth import get_user_model

from comments.models import ArticleComment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "email",
    [
        "a@x.test\u202e",  # a right-to-left override: every later mail of the thread failed (idna)
        "a\u200b@x.test",  # zero-width space
        "a@[127.0.0.1]",  # an IP literal
        "a@127.0.0.1",
        "a@x.test\x00",
        "a @x.test",
        "a@" + "x" * 64 + ".test",  # a label IDNA cannot encode
    ],
)
def test_addresses_are_validated_strictly(post_comment, article, email):
    response = post_comment(article, email=email)
    assert response.status_code == 400
    assert "email" in response.json()["errors"]
    assert not ArticleComment.objects.exists()


def test_an_international_address_is_accepted(post_comment, article):
    assert post_comment(article, email="leser@bücher.example").status_code == 202


@pytest.mark.parametrize(
    "name",
    [
        "Admin\u202e",  # a bidi override
        "Ad\u200bmin",  # zero-width space
        "\u0410dmin",  # a Cyrillic А among Latin letters
        "Ε\u0440ic",  # Greek and Cyrillic and Latin
        "<b></b>",  # nothing left once cleaned
        "\u200b",
    ],
)
def test_names_that_impersonate_or_vanish_are_refused(post_comment, article, name):
    response = post_comment(article, name=name)
    assert response.status_code == 400
    assert "name" in response.json()["errors"]


def test_a_staff_members_name_is_refused(post_comment, article, moderator):
    user = get_user_model().objects.get(pk=moderator.pk)
    user.first_name, user.last_name = "Morgan", "Keys"
    user.save()
    for name in ("Morgan Keys", "morgan  keys", user.username):
        response = post_comment(article, name=name)
        assert response.status_code == 400, name
        assert "staff" in response.json()["errors"]["name"][0]
    assert post_comment(article, name="Morgan Reader").status_code == 202


def test_names_in_one_alphabet_pass_and_are_normalised(post_comment, article):
    for name in ("Ирина", "Ἀλέξανδρος", "佐藤 さくら", "José"):
        assert post_comment(article, name=name, body=f"Hello from {name}").status_code == 202, name
    assert post_comment(article, name="ＦＵＬＬ", body="Wide letters").status_code == 202
    assert ArticleComment.objects.filter(user_name="FULL").exists()  # NFKC


def test_a_name_that_normalising_lengthens_past_the_limit_is_refused(post_comment, article):
    # Three characters that NFKC turns into 54 letters: the stored column holds 50, and PostgreSQL
    # enforces it (a 500 before this test), so the limit applies to the name as it will be stored.
    response = post_comment(article, name="\ufdfa" * 3)
    assert response.status_code == 400
    assert "no more than 50" in response.json()["errors"]["name"][0]
    assert post_comment(article, name="\ufdfa" * 2).status_code == 202
