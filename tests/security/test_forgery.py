"""Forged and foreign requests: CSRF, other people's things, the admin, drafts, redirects.

A writer editing another writer's draft or publishing by any door is covered in
tests/articles/test_admin.py (test_writer_cannot_*); not repeated here.
"""

from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import User
from articles.models import Article, Tag
from comments.models import Comment, Report
from tests.accounts.factories import PASSWORD, EditorFactory, UserFactory, WriterFactory
from tests.articles.factories import ArticleFactory, CategoryFactory, DraftFactory
from tests.comments.factories import CommentFactory

from .conftest import signed_in

pytestmark = pytest.mark.django_db


# --- CSRF ------------------------------------------------------------------------


def _route_patterns(patterns, prefix=""):
    """(route, pattern) for every non-admin URL: the URLconf is the list of doors."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue
            yield from _route_patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def _concrete(route, values):
    for name, value in values.items():
        for converter in ("slug", "int", "str", ""):
            placeholder = f"<{converter}:{name}>" if converter else f"<{name}>"
            route = route.replace(placeholder, str(value))
    assert "<" not in route, route
    return "/" + route


@pytest.fixture
def world():
    reader = UserFactory(username="victim")
    article = ArticleFactory(slug="story")
    comment = CommentFactory(article=article, author=reader, body="Victim's words")
    return {"reader": reader, "article": article, "comment": comment}


# Answered before CSRF (read-only JSON for the load balancer).
CSRF_EXEMPT_ROUTES = {"/healthz", "/healthz/live"}


def test_every_public_url_refuses_a_post_without_a_csrf_token(world):
    values = {
        "slug": "story",
        "pk": world["comment"].pk,
        "username": "victim",
        "uidb64": "MQ",
        "token": "set-password",
    }
    routes = sorted(
        {_concrete(route, values) for route in _route_patterns(get_resolver().url_patterns)}
    )
    assert len(routes) > 20
    anonymous = Client(enforce_csrf_checks=True)
    member = Client(enforce_csrf_checks=True)
    member.force_login(world["reader"])
    data = {
        "body": "Forged",
        "reason": "spam",
        "display_name": "Forged",
        "email": "victim@example.com",
        "username": "victim",
        "password": PASSWORD,
        "password1": "forged pass 123",
        "password2": "forged pass 123",
        "old_password": PASSWORD,
        "new_password1": "forged pass 123",
        "new_password2": "forged pass 123",
    }
    users = User.objects.count()
    checked = []
    for url in routes:
        if url in CSRF_EXEMPT_ROUTES or url.startswith("/bench/"):
            continue
        for client in (anonymous, member):
            response = client.post(url, data)
            assert response.status_code == 403, (url, response.status_code)
        checked.append(url)
    for must in (
        "/articles/story/comments/",
        f"/comments/{world['comment'].pk}/edit/",
        f"/comments/{world['comment'].pk}/delete/",
        f"/comments/{world['comment'].pk}/report/",
        "/accounts/profile/",
        "/accounts/signup/",
        "/accounts/login/",
        "/accounts/logout/",
        "/accounts/delete/",
        "/accounts/password_change/",
        "/accounts/password_reset/",
        "/accounts/verify/resend/",
    ):
        assert must in checked
    # Nothing changed.
    comment = Comment.objects.get(pk=world["comment"].pk)
    assert comment.body == "Victim's words" and comment.deleted_at is None
    assert Comment.objects.count() == 1 and not Report.objects.exists()
    victim = User.objects.get(username="victim")
    assert victim.check_password(PASSWORD) and victim.display_name != "Forged"
    assert User.objects.count() == users
    # The forged logout did not sign the member out.
    assert member.get("/accounts/profile/").status_code == 200


def test_admin_forms_refuse_posts_without_a_csrf_token():
    editor = EditorFactory()
    category = CategoryFactory()
    article = ArticleFactory(category=category)
    comment = CommentFactory(article=article)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    forged = {
        "/admin/articles/article/add/": {"title": "Forged", "slug": "forged"},
        f"/admin/articles/article/{article.pk}/change/": {"title": "Forged", "slug": "forged"},
        f"/admin/articles/article/{article.pk}/delete/": {"post": "yes"},
        "/admin/articles/article/": {
            "action": "unpublish_selected",
            "_selected_action": [article.pk],
        },
        "/admin/articles/tag/add/": {"name": "Forged", "slug": "forged"},
        f"/admin/comments/comment/{comment.pk}/change/": {"status": "removed"},
        "/admin/comments/comment/": {"action": "remove_selected", "_selected_action": [comment.pk]},
        "/admin/accounts/user/add/": {"username": "forged", "password1": "x", "password2": "x"},
        "/admin/password_change/": {"old_password": PASSWORD, "new_password1": "x"},
        "/admin/logout/": {},
        "/admin/login/": {"username": editor.username, "password": PASSWORD},
    }
    for url, data in forged.items():
        assert client.post(url, data).status_code == 403, url
    article.refresh_from_db()
    assert article.title != "Forged" and article.status == Article.Status.PUBLISHED
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED
    assert not Tag.objects.filter(slug="forged").exists()
    assert not User.objects.filter(username="forged").exists()


# --- Other people's comments ------------------------------------------------------------


def test_a_reader_cannot_edit_delete_or_moderate_someone_elses_comment(world):
    comment = world["comment"]
    intruder = signed_in(UserFactory())
    assert intruder.get(f"/comments/{comment.pk}/edit/").status_code == 403
    assert intruder.post(f"/comments/{comment.pk}/edit/", {"body": "Hijacked"}).status_code == 403
    assert intruder.get(f"/comments/{comment.pk}/delete/").status_code == 403
    assert intruder.post(f"/comments/{comment.pk}/delete/").status_code == 403
    # The moderation queue is staff-only: a reader is sent to the admin's sign-in.
    response = intruder.post(
        "/admin/comments/comment/", {"action": "remove_selected", "_selected_action": [comment.pk]}
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    comment.refresh_from_db()
    assert comment.body == "Victim's words"
    assert comment.deleted_at is None and comment.status == Comment.Status.PUBLISHED


def test_unknown_comment_ids_are_404_not_500(world):
    intruder = signed_in(UserFactory())
    for action in ("edit", "delete", "report"):
        assert intruder.post(f"/comments/999999/{action}/", {"reason": "spam"}).status_code == 404


def test_a_reader_reports_a_comment_once_and_cannot_report_their_own(world, settings):
    settings.COMMENTS_REPORT_THRESHOLD = 3
    comment = world["comment"]
    url = f"/comments/{comment.pk}/report/"
    spammer = signed_in(UserFactory())
    assert spammer.post(url, {"reason": "spam"}).status_code == 302
    for _ in range(5):
        assert spammer.post(url, {"reason": "abuse"}).status_code == 409
    assert Report.objects.filter(comment=comment).count() == 1
    comment.refresh_from_db()
    assert comment.report_count == 1 and comment.status == Comment.Status.PUBLISHED
    own = signed_in(world["reader"]).post(url, {"reason": "spam"})
    assert own.status_code == 400 and Report.objects.count() == 1


def test_hidden_comments_and_comments_on_drafts_cannot_be_reported(world):
    removed = CommentFactory(article=world["article"], status=Comment.Status.REMOVED)
    on_draft = CommentFactory(article=DraftFactory())
    reporter = signed_in(UserFactory())
    for comment in (removed, on_draft):
        assert (
            reporter.post(f"/comments/{comment.pk}/report/", {"reason": "spam"}).status_code == 404
        )
    assert not Report.objects.exists()


# --- The admin ----------------------------------------------------------------------------

ADMIN_URLS = [
    "/admin/",
    "/admin/articles/article/",
    "/admin/articles/article/add/",
    "/admin/articles/tag/",
    "/admin/comments/comment/",
    "/admin/comments/report/",
    "/admin/accounts/user/",
    "/admin/auth/group/",
]


@pytest.mark.parametrize("who", ["anonymous", "reader", "inactive staff"])
def test_anonymous_and_reader_accounts_get_no_admin_page(who, world):
    client = Client()
    if who == "reader":
        client.force_login(world["reader"])
    elif who == "inactive staff":
        client.force_login(EditorFactory(is_active=False))
    article = world["article"]
    for url in ADMIN_URLS + [f"/admin/articles/article/{article.pk}/change/"]:
        response = client.get(url)
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith("/admin/login/")


def test_a_writer_gets_no_moderation_queue_and_no_user_admin(world):
    writer = signed_in(WriterFactory())
    for url in ("/admin/comments/comment/", "/admin/accounts/user/", "/admin/auth/group/"):
        assert writer.get(url).status_code == 403, url
    response = writer.post(
        f"/admin/comments/comment/{world['comment'].pk}/change/", {"status": "removed"}
    )
    assert response.status_code == 403
    assert Comment.objects.get(pk=world["comment"].pk).status == Comment.Status.PUBLISHED


def test_a_reader_cannot_make_themselves_staff_through_the_profile(world):
    reader = signed_in(world["reader"])
    reader.post(
        "/accounts/profile/",
        {
            "display_name": "Me",
            "email": "victim@example.com",
            "is_staff": "on",
            "is_superuser": "on",
            "email_verified": "on",
            "groups": [Group.objects.get(name="Editors").pk],
            "username": "root",
        },
    )
    user = User.objects.get(pk=world["reader"].pk)
    assert user.display_name == "Me"
    assert not user.is_staff and not user.is_superuser and not user.email_verified
    assert user.username == "victim" and not user.groups.exists()


# --- Drafts and hidden comments -----------------------------------------------------------------


def test_drafts_reviews_and_scheduled_stories_are_invisible_to_the_public(world, client):
    author = UserFactory(username="scribe")
    category = CategoryFactory(slug="desk")
    hidden = [
        DraftFactory(title="Secret draft zebra", slug="draft", author=author, category=category),
        DraftFactory(
            title="Secret review zebra",
            slug="review",
            status=Article.Status.REVIEW,
            author=author,
            category=category,
        ),
        ArticleFactory(
            title="Secret scheduled zebra",
            slug="scheduled",
            published_at=timezone.now() + timezone.timedelta(days=1),
            author=author,
            category=category,
        ),
    ]
    tag = Tag.objects.create(name="Hidden", slug="hidden")
    for article in hidden:
        article.tags.add(tag)
    reader = signed_in(world["reader"])
    author_client = signed_in(author)  # a non-staff author has no preview either
    for visitor in (client, reader, author_client):
        for article in hidden:
            assert visitor.get(article.get_absolute_url()).status_code == 404
            assert visitor.post(
                f"{article.get_absolute_url()}comments/", {"body": "x"}
            ).status_code in (
                403,
                404,
            )
        for url in (
            "/",
            "/category/desk/",
            "/tag/hidden/",
            "/author/scribe/",
            "/search/?q=zebra",
            "/feeds/latest/",
            "/feeds/category/desk/",
            "/sitemap.xml",
        ):
            assert "Secret" not in visitor.get(url).content.decode(), url
    assert not Comment.objects.filter(article__in=hidden).exists()
    # Staff preview at the public address.
    editor = signed_in(EditorFactory())
    for article in hidden:
        response = editor.get(article.get_absolute_url())
        assert response.status_code == 200 and "Preview" in response.content.decode()


def test_removed_spam_and_pending_comments_show_only_to_their_author_or_staff(world, client):
    article = world["article"]
    owner = UserFactory()
    bodies = {
        Comment.Status.REMOVED: "Removed words quokka",
        Comment.Status.SPAM: "Spam words quokka",
        Comment.Status.PENDING: "Pending words quokka",
    }
    comments = {
        status: CommentFactory(article=article, author=owner, status=status, body=body)
        for status, body in bodies.items()
    }
    other = signed_in(UserFactory())
    for visitor in (client, other):
        html = visitor.get(article.get_absolute_url()).content.decode()
        for body in bodies.values():
            assert body not in html
        for comment in comments.values():
            permalink = visitor.get(f"/articles/story/comments/{comment.pk}/", follow=True)
            assert "quokka" not in permalink.content.decode()
    owner_html = signed_in(owner).get(article.get_absolute_url()).content.decode()
    assert bodies[Comment.Status.PENDING] in owner_html
    # Staff read them all in the moderation queue.
    queue = signed_in(EditorFactory()).get("/admin/comments/comment/").content.decode()
    for body in bodies.values():
        assert body in queue


def test_an_author_page_of_an_inactive_account_is_a_404(client):
    UserFactory(username="gone", is_active=False)
    assert client.get("/author/gone/").status_code == 404


# --- Open redirects ----------------------------------------------------------------------

EVIL_NEXTS = [
    "//evil.com",
    "///evil.com",
    "https://evil.com",
    "http://evil.com/path",
    "/\\evil.com",
    "\\\\evil.com",
    "\\/evil.com",
    "%2F%2Fevil.com",
    "/%2F%2Fevil.com",
    "javascript:alert(1)",
    "JavaScript:alert(1)//",
    "data:text/html,<script>alert(1)</script>",
    "https:evil.com",
    "http:/evil.com",
    " //evil.com",
    "\t//evil.com",
    "/\t/evil.com",
    "//evil.com@testserver/",
    "https://testserver@evil.com/",
    "https://evil.com/?testserver",
    "//%65vil.com",
    "/.\\evil.com",
    "\x00//evil.com",
]


def assert_stays_here(response, evil):
    assert response.status_code in (200, 302), (evil, response.status_code)
    location = response.get("Location", "")
    if not location:
        return
    assert url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}), (evil, location)
    # Resolve it as a browser would (which reads a backslash as a slash, drops tabs).
    as_browser = location.replace("\\", "/").replace("\t", "").strip()
    target = urlsplit(urljoin("http://testserver/accounts/login/", as_browser))
    assert target.scheme in ("http", "https") and target.netloc == "testserver", (evil, location)


@pytest.mark.parametrize("evil", EVIL_NEXTS)
def test_no_next_parameter_redirects_off_site(evil, client):
    UserFactory(username="wanderer")
    login = {"username": "wanderer", "password": PASSWORD}
    # Sign-in: next in the query string and in the form.
    assert_stays_here(client.post(f"/accounts/login/?next={evil}", login), evil)
    client.logout()
    assert_stays_here(client.post("/accounts/login/", {**login, "next": evil}), evil)
    # Sign-out.
    assert_stays_here(client.post("/accounts/logout/", {"next": evil}), evil)
    # Sign-up, then a signed-in visit to sign-up.
    signup = {
        "username": f"new{abs(hash(evil)) % 10**8}",
        "email": f"new{abs(hash(evil)) % 10**8}@example.com",
        "password1": "a long passphrase 1",
        "password2": "a long passphrase 1",
        "next": evil,
    }
    assert_stays_here(client.post("/accounts/signup/", signup), evil)
    assert_stays_here(client.get("/accounts/signup/", {"next": evil}), evil)
    client.logout()
    # The admin's own sign-in and sign-out.
    editor = EditorFactory()
    admin_login = {"username": editor.username, "password": PASSWORD, "next": evil}
    assert_stays_here(client.post("/admin/login/", admin_login), evil)
    assert_stays_here(client.post("/admin/logout/", {"next": evil}), evil)


def test_login_redirects_to_a_local_next(client):
    UserFactory(username="homebody")
    response = client.post(
        "/accounts/login/", {"username": "homebody", "password": PASSWORD, "next": "/search/?q=x"}
    )
    assert response.status_code == 302 and response["Location"] == "/search/?q=x"


def test_the_session_cookie_and_csrf_cookie_are_hardened_in_production():
    # settings.py turns these on when DEBUG is off (check --deploy guards it in CI).
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE in ("Lax", "Strict")
    assert settings.CSRF_COOKIE_SAMESITE in ("Lax", "Strict")
