"""Hypothesis drives the forms with arbitrary text, numbers and unicode.

Never a 500; never a row saved from a rejected request.
"""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from comments.models import Comment, Report
from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory, CategoryFactory, TagFactory
from tests.comments.factories import CommentFactory

from .conftest import signed_in

pytestmark = pytest.mark.django_db

FAST = settings(
    max_examples=60,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any unicode but lone surrogates (which no browser can send in UTF-8): NUL, controls,
# right-to-left marks, line separators, astral planes.
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
spaces = st.text(st.sampled_from(" \t\r\n\x0b\x0c\u00a0\u2028\u3000\x00"), max_size=20)
huge_ints = st.integers(min_value=-(10**40), max_value=10**40).map(str)
numberish = st.one_of(
    huge_ints,
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "0", "-1", "1e9", "last", "0x10", "١٢", "9" * 400, "1\x00", " 2 "]),
)
field = st.one_of(any_text, spaces, numberish)


def no_server_error(response):
    assert response.status_code < 500, response.status_code


@FAST
@given(body=st.one_of(any_text, spaces, st.text(min_size=4990, max_size=5100)), parent=field)
def test_fuzzed_comment_posts_never_500_and_rejections_save_nothing(body, parent):
    story = _story()
    poster = _poster()
    before = Comment.objects.count()
    response = poster.post(f"/articles/{story.slug}/comments/", {"body": body, "parent": parent})
    no_server_error(response)
    if response.status_code != 302:
        assert response.status_code in (400, 403, 429)
        assert Comment.objects.count() == before
    else:
        assert Comment.objects.count() in (before, before + 1)  # a double submit adds nothing


@FAST
@given(q=field, page=field)
def test_fuzzed_search_and_pagination_never_500(q, page):
    _story()
    client = Client()
    for url, params in (
        ("/search/", {"q": q, "page": page}),
        ("/", {"page": page}),
        ("/category/fuzz/", {"page": page}),
        ("/tag/fuzz/", {"page": page}),
        ("/author/fuzzer/", {"page": page}),
        ("/articles/fuzzed/", {"page": page, "sort": q, "reply_to": page}),
    ):
        response = client.get(url, params)
        assert response.status_code == 200, (url, params, response.status_code)


@FAST
@given(username=field, email=field, password1=field, password2=field, next_url=field)
def test_fuzzed_sign_ups_never_500_and_rejections_create_nobody(
    username, email, password1, password2, next_url
):
    client = Client()
    before = User.objects.count()
    response = client.post(
        "/accounts/signup/",
        {
            "username": username,
            "email": email,
            "password1": password1,
            "password2": password2,
            "next": next_url,
        },
    )
    no_server_error(response)
    if response.status_code != 302:
        assert User.objects.count() == before
    login = client.post("/accounts/login/", {"username": username, "password": password1})
    no_server_error(login)


@FAST
@given(reason=field, note=field, edit=st.one_of(any_text, spaces))
def test_fuzzed_reports_and_edits_never_500(reason, note, edit):
    story = _story()
    target = Comment.objects.filter(article=story, body="Fuzz target").first() or CommentFactory(
        article=story, body="Fuzz target"
    )
    reporter = signed_in(UserFactory())
    before = Report.objects.count()
    response = reporter.post(f"/comments/{target.pk}/report/", {"reason": reason, "note": note})
    no_server_error(response)
    if response.status_code != 302:
        assert Report.objects.count() == before
    own = CommentFactory(article=story, author=reporter.user, body="Before the edit")
    response = reporter.post(f"/comments/{own.pk}/edit/", {"body": edit})
    no_server_error(response)
    own.refresh_from_db()
    if response.status_code != 302:
        assert own.body == "Before the edit"


@FAST
@given(display_name=field, bio=field, email=field)
def test_fuzzed_profiles_never_500_and_rejections_change_nothing(display_name, bio, email):
    user = User.objects.filter(username="fuzzprofile").first() or UserFactory(
        username="fuzzprofile", display_name="Stable"
    )
    response = signed_in(user).post(
        "/accounts/profile/", {"display_name": display_name, "bio": bio, "email": email}
    )
    no_server_error(response)
    if response.status_code != 302:
        user.refresh_from_db()
        assert user.display_name == "Stable"
    else:
        User.objects.filter(pk=user.pk).update(display_name="Stable")


def _story():
    from articles.models import Article

    story = Article.objects.filter(slug="fuzzed").first()
    if story is None:
        author = UserFactory(username="fuzzer")
        tag = TagFactory(slug="fuzz")
        story = ArticleFactory(
            slug="fuzzed", author=author, category=CategoryFactory(slug="fuzz"), tags=[tag]
        )
    return story


def _poster():
    user = User.objects.filter(username="fuzzposter").first() or UserFactory(username="fuzzposter")
    return signed_in(user)
