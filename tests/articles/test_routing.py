"""An article index finds its article in one query; anything else under it is routed as Wagtail does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.factories import ArticleIndexPageFactory

pytestmark = pytest.mark.django_db


def page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries.captured_queries]


def test_an_article_is_found_by_its_index_in_one_query(client, article_factory, index):
    article = article_factory(title="Routed article", slug="routed")
    response, queries = page_queries(client, article.url)
    assert response.status_code == 200 and b"Routed article" in response.content
    child_reads = [sql for sql in queries if '"wagtailcore_page"."slug" = \'routed\'' in sql]
    assert len(child_reads) == 1 and "articles_articlepage" in child_reads[0]


def test_a_draft_an_unknown_slug_and_a_page_of_another_type_under_the_index(client, article_factory, index):
    draft = article_factory(title="Draft routed", slug="draft-routed", publish=False)
    assert client.get(f"{index.url}draft-routed/").status_code == 404
    assert client.get(f"{index.url}no-such-article/").status_code == 404
    assert client.get(f"{index.url}{draft.slug}/extra/").status_code == 404
    nested = ArticleIndexPageFactory(parent=index, slug="nested", title="A nested index")
    response = client.get(nested.url)
    assert response.status_code == 200 and b"A nested index" in response.content
