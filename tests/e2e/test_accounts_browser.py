import re

import pytest
from django.contrib.auth import get_user_model

from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dark_page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    yield page
    context.close()


def test_a_reader_signs_up_sees_their_name_in_the_header_and_signs_out_in_dark_mode(dark_page):
    page = dark_page
    page.goto(page.base_url + "/")
    assert page.locator("html").get_attribute("data-bs-theme") == "dark"

    page.get_by_role("link", name="Sign up").first.click()
    page.wait_for_url(re.compile(r".*/accounts/signup/.*"))
    page.get_by_label("Username").fill("nightowl")
    page.get_by_label("E-mail").fill("nightowl@example.com")
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    page.wait_for_url(page.base_url + "/")
    account = page.get_by_role("navigation", name="Your account")
    assert "nightowl" in account.inner_text()
    assert page.locator("html").get_attribute("data-bs-theme") == "dark"
    assert get_user_model().objects.filter(username="nightowl").exists()

    account.get_by_role("button", name="Sign out").click()
    account = page.get_by_role("navigation", name="Your account")
    account.get_by_role("link", name="Sign in").wait_for()
    assert "nightowl" not in account.inner_text()
