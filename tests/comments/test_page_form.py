"""The article page's comment section and its no-JavaScript form."""

import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client, override_settings

from comments.forms import CommentForm
from comments.models import ArticleComment, CommentStatus

pytestmark = pytest.mark.django_db


SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}  # what a browser sends with the page's own form


def csrf_client_and_token(url):
    """A browser-like client on the article page. The page is the same for every anonymous reader
    (caches keep it), so its form has no CSRF token; forgery is refused by origin instead."""
    client = Client(enforce_csrf_checks=True, **SAME_ORIGIN)
    page = client.get(url)
    assert page.status_code == 200
    assert b"csrfmiddlewaretoken" not in page.content
    return client, None, page


def form_data(article, token, **extra):
    data = {
        "page": article.pk,
        "name": "Page Reader",
        "email": "page.reader@example.com",
        "body": "Posted from the page form",
        "honeypot": "",
    }
    data.update(extra)
    return data


def test_the_form_posts_a_pending_comment_and_says_it_awaits_moderation(article):
    client, token, page = csrf_client_and_token(article.url)
    assert b"comments must be approved before they are published" in page.content
    response = client.post("/comments/post/", form_data(article, token, followup="on"))
    assert response.status_code == 303
    assert response["Location"] == f"{article.url}?comment=pending#comments"
    comment = ArticleComment.objects.get()
    assert comment.status == CommentStatus.PENDING and comment.followup
    shown = client.get(response["Location"])
    assert b"awaiting moderation" in shown.content
    assert b"Posted from the page form" not in shown.content
    assert b"page.reader@example.com" not in shown.content


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_ORIGIN": "https://evil.example"}, {"HTTP_SEC_FETCH_SITE": "cross-site"}, {"HTTP_ORIGIN": "null"}],
)
def test_a_form_posted_from_another_site_is_refused(article, headers):
    client = Client(enforce_csrf_checks=True, **headers)
    response = client.post("/comments/post/", form_data(article, None))
    assert response.status_code == 403
    assert ArticleComment.objects.count() == 0


def test_form_errors_are_shown_on_the_page(article):
    client, token, _ = csrf_client_and_token(article.url)
    response = client.post("/comments/post/", form_data(article, token, email="nope", body=""))
    assert response.status_code == 400
    assert b"Enter a valid email address." in response.content
    assert b'value="Page Reader"' in response.content  # what the reader typed is kept
    assert ArticleComment.objects.count() == 0


def comment_form(response):
    return BeautifulSoup(response.content, "html.parser").find("form", id="comment-form")


def field_error(form, name):
    """The error said beside a field, as a screen reader reaches it: through aria-describedby."""
    widget = form.find(attrs={"name": name})
    described = [form.find(id=ref) for ref in widget.get("aria-describedby", "").split()]
    assert None not in described, f"{name}: aria-describedby names an element that is not there"
    errors = [element for element in described if "field-error" in element.get("class", [])]
    return widget, (errors[0].get_text(" ", strip=True) if errors else None)


def test_a_post_with_errors_comes_back_at_the_form_with_each_error_once_and_everything_kept(article):
    client, token, _ = csrf_client_and_token(article.url)
    typed = form_data(article, token, name="", email="nope", url="https://reader.example/me", body="", followup="on")
    response = client.post("/comments/post/", typed)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field may not be blank." not in html and "This field is required." not in html
    form = comment_form(response)

    # The summary comes first in the form and takes the focus; each of its links leads to a field.
    summary = form.find(class_="error-summary")
    assert form.find(True, recursive=False) is summary
    assert (summary["role"], summary["tabindex"], summary.has_attr("autofocus")) == ("alert", "-1", True)
    links = {a["href"]: a.get_text(strip=True) for a in summary.find_all("a")}
    assert links == {
        "#id_name": "Name: Enter your name.",
        "#id_email": "E-mail: Enter a valid email address.",
        "#id_body": "Comment: Write your comment.",
    }

    # Beside each field, its one error, tied to it; the valid fields are not marked.
    assert [field_error(form, name)[1] for name in ("name", "email", "body")] == [
        "Enter your name.",
        "Enter a valid email address.",
        "Write your comment.",
    ]
    for name in ("name", "email", "body"):
        assert field_error(form, name)[0]["aria-invalid"] == "true"
    url_input, url_error = field_error(form, "url")
    assert url_error is None and not url_input.has_attr("aria-invalid")

    # Everything typed is kept.
    assert form.find(attrs={"name": "email"})["value"] == "nope"
    assert form.find(attrs={"name": "url"})["value"] == "https://reader.example/me"
    assert form.find(attrs={"name": "followup"}).has_attr("checked")
    assert ArticleComment.objects.count() == 0


def test_an_error_from_the_rules_is_said_beside_the_comment_box(article):
    client, token, _ = csrf_client_and_token(article.url)
    assert client.post("/comments/post/", form_data(article, token, body="Twice the same")).status_code == 303
    again = client.post("/comments/post/", form_data(article, token, body="Twice the same"))
    assert again.status_code == 400
    form = comment_form(again)
    assert field_error(form, "body")[1] == "You have already posted this comment."
    assert form.find("textarea", attrs={"name": "body"}).get_text().strip() == "Twice the same"


def test_the_email_help_says_what_the_address_is_for_after_the_input(client, article):
    form = comment_form(client.get(article.url))
    email = form.find("input", attrs={"name": "email"})
    help_text = form.find(id=email["aria-describedby"])
    assert "help" in help_text["class"]
    assert "never shown" in help_text.get_text() and "Moderators" in help_text.get_text()
    assert help_text in email.find_next_siblings()  # read after the input, not between it and its label


@pytest.mark.parametrize("gone", ["rejected", "removed", "pending", "on another article", "never existed"])
def test_a_reply_to_a_comment_no_longer_shown_keeps_the_text(article, article_factory, make_comment, moderator, gone):
    from comments.services import comment_reject, comment_remove

    if gone == "rejected":
        parent = make_comment(article, approve=False, body="Soon rejected")
        comment_reject(comment=parent, moderator=moderator)
    elif gone == "removed":
        parent = make_comment(article, body="Soon removed")
        comment_remove(comment=parent, moderator=moderator)
    elif gone == "pending":
        parent = make_comment(article, approve=False, body="Still waiting")
    elif gone == "on another article":
        parent = make_comment(article_factory(), body="Elsewhere")
    parent_id = 987654 if gone == "never existed" else parent.pk
    before = ArticleComment.objects.count()
    client, token, _ = csrf_client_and_token(article.url)
    typed = form_data(article, token, parent=parent_id, body="My careful reply", name="")
    response = client.post("/comments/post/", typed)

    assert response.status_code == 400
    form = comment_form(response)
    summary = form.find(class_="error-summary").get_text(" ", strip=True)
    assert "can no longer be replied to" in summary
    assert field_error(form, "name")[1] == "Enter your name."  # the other errors are said at once
    assert form.find("textarea", attrs={"name": "body"}).get_text().strip() == "My careful reply"
    assert form.find("input", attrs={"name": "parent"}).get("value", "") == ""
    for hidden in ("Soon rejected", "Soon removed", "Still waiting", "Elsewhere"):
        assert hidden not in response.content.decode()
    assert ArticleComment.objects.count() == before

    # Sent again as it came back, the text is a new comment.
    again = client.post("/comments/post/", {**typed, "parent": "", "name": "Page Reader"})
    assert again.status_code == 303
    posted = ArticleComment.objects.get(comment__contains="My careful reply")
    assert posted.parent_id == posted.pk  # django-comments-xtd's mark of a top-level comment


def test_the_reply_form_names_the_author_and_quotes_the_start_of_the_comment(client, article, make_comment):
    long_body = "Tom & Jerry <b>agree</b> that " + "the quick brown fox jumps over the lazy dog " * 4
    root = make_comment(article, name="Ana", body=long_body)
    response = client.get(f"{article.url}?reply_to={root.pk}")
    form = comment_form(response)
    replying = form.find(class_="comment-form__replying")
    text = replying.get_text(" ", strip=True)
    assert text.startswith("Replying to Ana: Tom & Jerry agree that the quick brown fox")
    assert "#" not in text.split("Write")[0]  # not "comment #12"
    quote = replying.find("q").get_text()
    assert quote.endswith("…") and len(quote) <= 80
    assert "<b>" not in str(replying) and "&amp;" in str(replying)  # plain text, escaped
    assert form.find("input", attrs={"name": "parent"})["value"] == str(root.pk)
    assert BeautifulSoup(response.content, "html.parser").find(id="comment-form-heading").get_text() == "Reply to Ana"


@pytest.mark.parametrize("reply_to", ["pending", "12345678", "abc"])
def test_a_reply_link_to_a_comment_not_shown_says_so_and_quotes_nothing(client, article, make_comment, reply_to):
    if reply_to == "pending":
        reply_to = str(make_comment(article, approve=False, name="Hidden Person", body="Private words").pk)
    response = client.get(f"{article.url}?reply_to={reply_to}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hidden Person" not in html and "Private words" not in html
    form = comment_form(response)
    assert "can no longer be replied to" in form.find(class_="comment-form__replying").get_text()
    assert form.find("input", attrs={"name": "parent"}).get("value", "") == ""


def test_posting_to_a_page_that_is_not_commentable_is_404(article_factory):
    closed = article_factory(allow_comments=False)
    open_one = article_factory()
    client, token, _ = csrf_client_and_token(open_one.url)
    response = client.post("/comments/post/", form_data(closed, token))
    assert response.status_code == 404


@override_settings(COMMENTS_RATE_LIMIT="1/min")
def test_the_form_is_rate_limited(article):
    client, token, _ = csrf_client_and_token(article.url)
    assert client.post("/comments/post/", form_data(article, token, body="one")).status_code == 303
    response = client.post("/comments/post/", form_data(article, token, body="two"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert b"posting too fast" in response.content


@pytest.mark.parametrize("limit", [40, 5000])
def test_the_form_takes_the_comment_length_limit_from_the_settings(article, limit):
    with override_settings(COMMENTS_MAX_LENGTH=limit):
        page = Client().get(article.url)
        textarea = re.search(rb"<textarea [^>]*>", page.content).group()
        assert f'maxlength="{limit}"'.encode() in textarea
        fields = {"page": article.pk, "name": "Page Reader", "email": "page.reader@example.com"}
        assert CommentForm(data={**fields, "body": "x" * limit}).is_valid()
        too_long = CommentForm(data={**fields, "body": "x" * (limit + 1)})
        assert not too_long.is_valid()
        assert f"at most {limit} characters" in too_long.errors["body"][0]


def test_approved_threads_render_with_replies_and_placeholders(client, article, make_comment, moderator):
    from comments.services import comment_remove

    root = make_comment(article, body="First <strong>thoughts</strong>", name="Ana")
    make_comment(article, parent=root, body="A reply to Ana", name="Ben")
    make_comment(article, body="Waiting text", approve=False)
    gone = make_comment(article, body="To be removed", name="Cy")
    make_comment(article, parent=gone, body="Reply survives", name="Dee")
    comment_remove(comment=gone, moderator=moderator)
    html = client.get(article.url).content.decode()
    assert "First <strong>thoughts</strong>" in html
    assert "A reply to Ana" in html and "Reply survives" in html
    assert "Comment removed." in html
    assert "Waiting text" not in html and "To be removed" not in html
    assert "someone@example.com" not in html and "203.0.113" not in html
    reply = client.get(f"{article.url}?reply_to={root.pk}")
    assert f'name="parent" value="{root.pk}"'.encode() in reply.content


def test_readers_report_a_comment_from_the_page(client, article, make_comment):
    from comments.models import CommentReport

    comment = make_comment(article, body="Questionable words")
    html = client.get(article.url).content.decode()
    assert f"/comments/{comment.pk}/report/" in html
    form = client.get(f"/comments/{comment.pk}/report/")
    assert form.status_code == 200 and b"Questionable words" in form.content
    bad = client.post(f"/comments/{comment.pk}/report/", {"reason": "nonsense"})
    assert bad.status_code == 400
    page = BeautifulSoup(bad.content, "html.parser")
    assert page.find(class_="error-summary").has_attr("autofocus")
    reason = page.find("select", attrs={"name": "reason"})
    assert reason["aria-invalid"] == "true"
    assert "not one of the available choices" in page.find(id=reason["aria-describedby"]).get_text()
    done = client.post(f"/comments/{comment.pk}/report/", {"reason": "abuse", "detail": "Rude"})
    assert done.status_code == 303
    assert CommentReport.objects.get().reason == "abuse"
    # The article comes back with the thanks, which take the focus (and so are scrolled to).
    assert done["Location"] == f"{article.url}?comment=reported"
    thanks = BeautifulSoup(client.get(done["Location"]).content, "html.parser").find(id="comments-status")
    assert "A moderator will look at the comment" in thanks.get_text()
    assert (thanks["role"], thanks["tabindex"], thanks.has_attr("autofocus")) == ("status", "-1", True)
    pending = make_comment(article, approve=False)
    assert client.get(f"/comments/{pending.pk}/report/").status_code == 404


def test_the_page_prints_each_comment_exactly_as_the_thread_api_serves_it(client, api, article, make_comment):
    """Sanitized once, when posted (comments.services.comment_create): the page and the API show one string."""
    posted = 'Read <a href="https://example.org/x">this</a> <script>alert(1)</script>\n\nThen *that*.'
    make_comment(article, body=posted)
    body = api.get("/api/comments/", {"page": article.pk}).json()["results"][0]["body"]
    assert "<script" not in body and 'href="https://example.org/x"' in body
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert page.select_one(".comment__body").decode_contents() == body
