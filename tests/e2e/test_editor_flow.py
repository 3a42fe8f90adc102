"""The editor's flow in a real browser: build an article in the Wagtail admin, preview it, publish it,
then find it on the site and in the API."""

import pytest
from rest_framework.test import APIClient

from articles.factories import ImageFactory
from articles.models import ArticlePage, Promo
from core.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def body_count(page):
    return page.eval_on_selector("[name=body-count]", "element => Number(element.value)")


def block_container(page, n):
    """The new block ``n`` of the body, once the page shows it: its id is set and its container visible."""
    block_id = page.locator(f"[name=body-{n}-id]")
    page.wait_for_function(
        "n => document.querySelector(`[name=body-${n}-id]`)?.value", arg=n
    )  # Wagtail gives a new block its id (a UUID) in the browser
    container = page.locator(f"[data-contentpath='{block_id.input_value()}']")
    container.wait_for(state="visible")
    return container


def add_block(page, label):
    """Add a block at the end of the body; returns its index once the page shows it.

    Blocks are numbered in the order they were added (``body-N-…``), so the new one is the count
    before the click. Waited for rather than read after the click: the count grows, then the block's
    container appears, at whatever pace the browser's scripts run.
    """
    n = body_count(page)
    page.locator(".c-sf-add-button").last.click()
    page.locator(".w-combobox__option", has_text=label).first.click()
    page.wait_for_function("n => Number(document.querySelector('[name=body-count]').value) === n + 1", arg=n)
    return n, block_container(page, n)


def choose_first_in_modal(page):
    modal = page.locator(".modal")
    modal.wait_for(state="visible")
    modal.locator("[data-chooser-modal-choice]").first.click()
    modal.wait_for(state="detached")  # Wagtail removes the modal once closed; the next one is new


def choose_page(page, title):
    modal = page.locator(".modal")
    modal.wait_for(state="visible")
    modal.locator("input[name=q]").fill(title)
    modal.locator("a.choose-page", has_text=title).first.click()
    modal.wait_for(state="detached")


def wait_until_autosaved(page):
    """Wagtail 8 autosaves the form while it changes; publishing while a save is in flight posts the
    add form a second time (a slug clash). Wait, as an editor would, for the indicator to say "Saved",
    and for the form to hold no edit made since (an autosave waits half a second after a change)."""
    page.wait_for_function(
        """() => {
            const indicator = document.querySelector('#w-autosave-indicator');
            const form = document.querySelector('form[data-controller~="w-autosave"]');
            return indicator?.getAttribute('data-w-autosave-state-value') === 'saved'
                && form?.getAttribute('data-w-unsaved-has-edits-value') !== 'true';
        }"""
    )


def test_an_editor_builds_previews_and_publishes_an_article(live_server, browser, page, shoot, index, article_factory):
    article_factory(title="Desk posture basics", slug="desk-posture-basics")
    article_factory(title="Dry needling explained", slug="dry-needling-explained")
    ImageFactory(title="Shoulder figure")
    Promo.objects.create(title="Join the workshop", body="<p>Two evenings of hands-on practice.</p>")
    UserFactory(username="edna", groups=["Editors"])

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

    n, _ = add_block(page, "Heading")
    page.fill(f"[name=body-{n}-value-text]", "A heading from the editor")

    n, image = add_block(page, "Image")
    image.locator("button", has_text="Choose an image").first.click()
    choose_first_in_modal(page)
    page.fill(f"[name=body-{n}-value-caption]", "A caption from the editor")
    page.fill(f"[name=body-{n}-value-alt]", "Alt text from the editor")

    n, _ = add_block(page, "Video")
    page.fill(f"[name=body-{n}-value-url]", VIDEO)

    n, links = add_block(page, "Link list")
    page.fill(f"[name=body-{n}-value-title]", "Further reading")
    page.fill(f"[name=body-{n}-value-items-0-value-title]", "Our posture basics")
    links.locator("button", has_text="Choose a page").first.click()
    choose_page(page, "Desk posture basics")
    links.locator(".c-sf-add-button").last.click()
    page.fill(f"[name=body-{n}-value-items-1-value-title]", "A site elsewhere")
    page.fill(f"[name=body-{n}-value-items-1-value-url]", "https://example.org/reading")

    _, promo = add_block(page, "Promo")
    promo.locator("button", has_text="Choose").first.click()
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
