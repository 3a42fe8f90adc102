"""The editor's flow in a real browser: build an article in the Wagtail admin, preview it, publish it,
then find it on the site and in the API."""

import pytest
from rest_framework.test import APIClient

from articles.models import ArticlePage, Promo
from tests.conftest import make_image, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def block_container(page, n):
    block_id = page.eval_on_selector(f"[name=body-{n}-id]", "element => element.value")
    return page.locator(f"[data-contentpath='{block_id}']")


def add_block(page, label):
    page.locator(".c-sf-add-button").last.click()
    page.locator(".w-combobox__option", has_text=label).first.click()
    return page.eval_on_selector("[name=body-count]", "element => Number(element.value)") - 1


def choose_first_in_modal(page):
    modal = page.locator(".modal")
    modal.wait_for(state="visible")
    modal.locator("[data-chooser-modal-choice]").first.click()
    modal.wait_for(state="hidden")


def choose_page(page, title):
    modal = page.locator(".modal")
    modal.wait_for(state="visible")
    modal.locator("input[name=q]").fill(title)
    modal.locator("a.choose-page", has_text=title).first.click()
    modal.wait_for(state="hidden")


def wait_until_autosaved(page):
    """Wagtail 8 autosaves the form while it changes; publishing while a save is in flight posts the
    add form a second time (a slug clash). Wait, as an editor would, for the indicator to say "Saved"."""
    indicator = page.locator("#w-autosave-indicator")
    indicator.locator(".w-autosave-indicator__state--saved").wait_for(state="visible")
    indicator.locator(".w-autosave-indicator__state--saving").wait_for(state="hidden")


def test_an_editor_builds_previews_and_publishes_an_article(live_server, browser, shoot, index, article_factory):
    article_factory(title="Desk posture basics", slug="desk-posture-basics")
    article_factory(title="Dry needling explained", slug="dry-needling-explained")
    make_image(title="Shoulder figure")
    Promo.objects.create(title="Join the workshop", body="<p>Two evenings of hands-on practice.</p>")
    make_user("edna", "Editors")

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "edna")
    page.fill("#id_password", "pw-edna")
    with page.expect_navigation():  # wait for the next page, not the one being left
        page.click("button[type=submit]")
    shoot(page, "editor-dashboard", full_page=False)

    page.goto(f"{live_server.url}/admin/pages/add/articles/articlepage/{index.pk}/")
    page.fill("#id_title", "Made in the browser")
    page.fill("#id_intro", "An editor wrote this in the admin.")
    page.fill("#id_date", "2026-11-20")
    page.keyboard.press("Escape")

    n = add_block(page, "Heading")
    page.fill(f"[name=body-{n}-value-text]", "A heading from the editor")

    n = add_block(page, "Image")
    block_container(page, n).locator("button", has_text="Choose an image").first.click()
    choose_first_in_modal(page)
    page.fill(f"[name=body-{n}-value-caption]", "A caption from the editor")
    page.fill(f"[name=body-{n}-value-alt]", "Alt text from the editor")

    n = add_block(page, "Video")
    page.fill(f"[name=body-{n}-value-url]", VIDEO)

    n = add_block(page, "Link list")
    links = block_container(page, n)
    page.fill(f"[name=body-{n}-value-title]", "Further reading")
    page.fill(f"[name=body-{n}-value-items-0-value-title]", "Our posture basics")
    links.locator("button", has_text="Choose a page").first.click()
    choose_page(page, "Desk posture basics")
    links.locator(".c-sf-add-button").last.click()
    page.fill(f"[name=body-{n}-value-items-1-value-title]", "A site elsewhere")
    page.fill(f"[name=body-{n}-value-items-1-value-url]", "https://example.org/reading")

    n = add_block(page, "Promo")
    block_container(page, n).locator("button", has_text="Choose").first.click()
    choose_first_in_modal(page)

    tags = page.locator("ul.tagit input[type=text]").first
    tags.fill("editor-made")
    tags.press("Enter")
    page.locator("button", has_text="Add Related posts").click()
    page.locator("[id^=id_related_post_picks-0-related] button, #id_related_post_picks-0-related + * button").filter(
        has_text="Choose"
    ).first.click()
    choose_page(page, "Dry needling explained")
    shoot(page, "editor-form")

    # Preview in the side panel: the article renders before anything is published.
    page.locator("button[data-side-panel-toggle='preview']").click()
    preview = page.frame_locator("iframe#w-preview-iframe")
    preview.locator("h1", has_text="Made in the browser").wait_for()
    preview.locator("figcaption", has_text="A caption from the editor").wait_for()
    shoot(page, "editor-preview", full_page=False)
    # Previewed (and autosaved as a draft), not public yet. Asked through the live server: a query from
    # this thread while the admin autosaves would meet SQLite's shared-cache table lock.
    wait_until_autosaved(page)
    visitor = browser.new_page()
    assert visitor.goto(f"{live_server.url}{index.url}made-in-the-browser/").status == 404
    visitor.close()
    page.locator("button[data-side-panel-toggle='preview']").click()

    wait_until_autosaved(page)
    page.locator(".w-dropdown__toggle", has_text="More actions").click()
    with page.expect_navigation():
        page.locator("button[name=action-publish]").click()
    shoot(page, "editor-published", full_page=False)
    page.locator(".messages", has_text="has been published").wait_for()

    article = ArticlePage.objects.get(title="Made in the browser")
    assert article.live
    assert article.url == f"{index.url}made-in-the-browser/"  # the address that was a 404 before publishing

    # The site shows every element the editor added.
    page.goto(f"{live_server.url}{article.url}")
    shoot(page, "editor-article-on-the-site")
    main = page.locator("main")
    assert main.locator("h1").inner_text() == "Made in the browser"
    assert main.locator("h2", has_text="A heading from the editor").count() == 1
    assert main.locator("figure figcaption", has_text="A caption from the editor").count() == 1
    assert main.locator("img[alt='Alt text from the editor']").count() == 1
    assert main.locator("iframe[src*='youtube-nocookie.com/embed/dQw4w9WgXcQ']").count() == 1
    assert main.locator("a", has_text="Our posture basics").get_attribute("href").endswith("/desk-posture-basics/")
    assert main.locator("a[href='https://example.org/reading']").count() == 1
    assert main.get_by_text("Join the workshop").count() >= 1
    assert main.locator("a", has_text="Dry needling explained").count() >= 1

    # So does the API.
    data = APIClient().get(f"/api/v2/pages/{article.pk}/").json()
    assert [block["type"] for block in data["body"]] == ["heading", "image", "embed", "links", "promo"]
    assert data["body"][1]["value"]["image"]["alt"] == "Alt text from the editor"
    assert data["body"][2]["value"]["url"] == VIDEO
    assert [item["title"] for item in data["body"][3]["value"]["items"]] == ["Our posture basics", "A site elsewhere"]
    assert data["body"][4]["value"]["title"] == "Join the workshop"
    assert data["related_posts"][0]["title"] == "Dry needling explained"
    assert data["tags"] == ["editor-made"]
