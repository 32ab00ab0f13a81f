import pytest

from portal.registers import REGISTERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = {"fi": "Tietosuojaseloste", "sv": "Dataskyddsbeskrivning", "en": "Privacy notice"}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_privacy_notice_renders_and_passes_axe(page, axe, lang):
    failed_requests = []
    page.on("requestfailed", lambda request: failed_requests.append(request.url))
    page.goto(f"/{lang}/")
    assert page.locator("html").get_attribute("lang") == lang
    assert TITLES[lang] in page.locator("h1").inner_text()
    assert page.locator("section.register").count() == len(REGISTERS)
    axe.assert_clean(page)
    assert not failed_requests


def test_root_redirects_to_preferred_language(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="sv-FI",
        extra_http_headers={"Accept-Language": "sv-FI,sv;q=0.9"},
    )
    page = context.new_page()
    page.goto("/")
    assert page.url.endswith("/sv/")
    context.close()


def test_language_switcher_moves_between_languages(page):
    page.goto("/fi/")
    page.get_by_role("navigation", name="Kieli").get_by_role("link", name="English").click()
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"


def test_page_loads_nothing_from_other_origins(page, live_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/en/")
    assert requested, "the page made no requests at all?"
    assert all(url.startswith(live_server.url) for url in requested), requested
