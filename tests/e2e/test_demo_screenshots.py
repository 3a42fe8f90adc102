"""The demo site as a reader sees it, on a desktop and on a phone: screenshots of the home page and
the reference article go to ``artifacts/screenshots/`` to be looked at, and what they must show is
checked here (pictures loaded, nothing wider than the screen, the author, one date format)."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
ONE_FORMAT = re.compile(
    r"^(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}$"
)


def only_this_site(context, base):
    """Requests off the test server (the video player) are refused: the shots never wait on a network."""
    context.route(re.compile(r"^(?!" + re.escape(base) + r")"), lambda route: route.abort())


def images_loaded(tab):
    """Every picture of the page has arrived (waiting for each; the page's CSP forbids wait_for_function)."""
    for img in tab.locator("img").all():
        img.scroll_into_view_if_needed()  # lazy pictures load as the reader scrolls to them
        expect(img).to_have_js_property("complete", True)
    return tab.evaluate("[...document.images].every(img => img.naturalWidth > 0)")


def no_sideways_scroll(tab):
    return tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_demo_home_and_article_screenshots(live_server, browser, device):
    call_command("load_demo", stdout=io.StringIO())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=VIEWPORTS[device])
    only_this_site(context, live_server.url)
    tab = context.new_page()
    tab.set_default_timeout(20_000)

    tab.goto(f"{live_server.url}/")
    expect(tab.locator("h1")).to_have_text("Trigger Point Journal")
    assert tab.title() == "Trigger Point Journal"
    assert images_loaded(tab) and no_sideways_scroll(tab)
    for text in tab.locator("time").all_inner_texts():
        assert ONE_FORMAT.match(text), text
    tab.screenshot(path=str(SCREENSHOTS / f"home-{device}.png"), full_page=True)

    with tab.expect_navigation():
        tab.locator(".card__title a", has_text="Erector spinae trigger points").first.click()
    expect(tab.locator("h1")).to_have_text(re.compile("^Erector spinae trigger points"))
    author = tab.locator(".author-box")
    expect(author.locator("h2")).to_have_text("About Clinical Education Team")
    expect(tab.locator(".video iframe")).to_have_attribute(
        "title", "Working on erector spinae trigger points: a short demonstration"
    )
    expect(tab.locator("aside.promo a.button")).to_have_attribute("href", re.compile(r"/articles/weekend-workshops/$"))
    assert images_loaded(tab) and no_sideways_scroll(tab)
    dates = tab.locator("time").all_inner_texts()
    assert len(dates) >= 4 and all(ONE_FORMAT.match(text) for text in dates), dates
    icon = tab.request.get(f"{live_server.url}/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/x-icon"
    tab.evaluate("window.scrollTo(0, 0)")
    tab.screenshot(path=str(SCREENSHOTS / f"article-{device}.png"), full_page=True)
    context.close()
