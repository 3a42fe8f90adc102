"""``/api/docs/`` in Chromium with every other origin cut off: Redoc renders the operations from our
own static files, and the page's CSP lets through everything it does (no violation)."""

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_api_docs_render_offline_under_the_csp(live_server, page, shoot):
    origin = live_server.url
    blocked, errors, violations = [], [], []

    def only_our_origin(route):
        url = route.request.url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" == origin or parts.scheme in ("data", "blob"):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.route("**/*", only_our_origin)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.expose_function("reportViolation", lambda text: violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " window.reportViolation(`${e.violatedDirective} ${e.blockedURI}`));"
    )

    response = page.goto(f"{origin}/api/docs/")
    assert "style-src 'self' 'nonce-" in response.headers["content-security-policy"]
    # The operations, as Redoc renders them once it has read /api/schema/: a section each, with its path.
    operations = page.locator("[data-section-id^='operation/']")
    operations.first.wait_for()
    page.get_by_text("/api/v2/pages/{id}/").first.wait_for()
    assert operations.count() >= 15
    shoot(page, "api-docs", full_page=False)

    assert blocked == []
    assert violations == []
    assert errors == []
