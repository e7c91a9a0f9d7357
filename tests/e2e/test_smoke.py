import pytest

from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_reader_opens_a_story_from_the_front_page(page):
    story = ArticleFactory(title="Bridge reopens after repairs")
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="Bridge reopens after repairs").click()
    page.wait_for_url(f"**{story.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Bridge reopens after repairs"
