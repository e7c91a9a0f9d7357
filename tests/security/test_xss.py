"""Script injection through every field a reader or a writer controls.

Each payload goes in through the real form (comment, profile, sign-up, sign-in,
search, report, the admin's article and tag forms); then every page that shows
it is parsed and must hold no inline script, event handler or script URL.
"""

import xml.etree.ElementTree as ET  # noqa: S405 (our own responses, in tests)

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from articles.models import Article, Tag
from comments.models import Comment, Report
from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory, CategoryFactory, admin_article_form
from tests.comments.factories import CommentFactory

from .conftest import png_bytes, signed_in
from .payloads import URL_PAYLOADS, XSS_PAYLOADS, assert_no_script

pytestmark = pytest.mark.django_db


def get_clean(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    assert_no_script(response.content.decode(), url)
    return response


def all_pages(client, url):
    """Every page of a paginated listing, each parsed."""
    first = get_clean(client, url)
    page_obj = first.context.get("page_obj") if first.context else None
    paginator = page_obj.paginator if page_obj else None
    pages = paginator.num_pages if paginator else 1
    sep = "&" if "?" in url else "?"
    for number in range(2, pages + 1):
        get_clean(client, f"{url}{sep}page={number}")
    return first


def assert_feed_is_safe(client, url):
    """RSS descriptions are HTML to a feed reader: no script may hide in them."""
    response = client.get(url)
    assert response.status_code == 200
    # Well-formed: nothing broke out of an element.
    root = ET.fromstring(response.content)  # noqa: S314 (our own responses)
    items = root.findall("./channel/item")
    assert items
    for item in items:
        for field in ("title", "description"):
            assert_no_script(item.findtext(field) or "", f"{url} {field}")
    return items


# --- Readers' fields -----------------------------------------------------------


def test_comment_bodies_and_replies_never_carry_script(client):
    story = ArticleFactory(slug="discussed")
    reader = UserFactory()
    poster = signed_in(reader)
    first = None
    for index, payload in enumerate(XSS_PAYLOADS):
        data = {"body": payload}
        if first is not None and index % 2:
            data["parent"] = first.pk
        response = poster.post(f"/articles/{story.slug}/comments/", data)
        if response.status_code != 302:  # refused (e.g. a NUL byte): the re-rendered form
            assert response.status_code == 400, (payload, response.status_code)
            assert_no_script(response.content.decode(), f"refused comment {payload!r}")
            continue
        first = first or Comment.objects.order_by("pk").first()
    comments = list(Comment.objects.filter(article=story))
    assert len(comments) >= len(XSS_PAYLOADS) - 2
    assert Comment.objects.filter(parent__isnull=False).count() > 20

    # The discussion, as a visitor, as the author and as staff.
    get_clean(client, story.get_absolute_url())
    get_clean(poster, story.get_absolute_url())
    editor = signed_in(UserFactory(is_staff=True, is_superuser=True))
    get_clean(editor, story.get_absolute_url())
    for comment in comments:
        get_clean(poster, f"/comments/{comment.pk}/edit/")
        get_clean(poster, f"/comments/{comment.pk}/delete/")
        get_clean(
            signed_in(UserFactory()) if comment.pk == comments[0].pk else editor,
            f"/comments/{comment.pk}/report/",
        )
    # The moderation queue and a comment's page in the admin.
    get_clean(editor, "/admin/comments/comment/")
    get_clean(editor, "/admin/comments/comment/?q=alert")
    get_clean(editor, f"/admin/comments/comment/{comments[0].pk}/change/")
    # Editing a comment into a payload goes through the same rendering.
    own = comments[-1]
    poster.post(f"/comments/{own.pk}/edit/", {"body": XSS_PAYLOADS[0] + XSS_PAYLOADS[16]})
    get_clean(client, story.get_absolute_url())


def test_display_names_and_bios_never_carry_script(client):
    story = ArticleFactory(slug="named")
    editor = signed_in(UserFactory(is_staff=True, is_superuser=True))
    saved = 0
    for index, payload in enumerate(XSS_PAYLOADS):
        user = UserFactory(username=f"named{index}")
        reader = signed_in(user)
        response = reader.post(
            "/accounts/profile/",
            {
                "display_name": payload[:80],
                "bio": payload + "\n\n" + payload,
                "email": user.email,
                "notify_on_reply": "on",
            },
        )
        if response.status_code == 302:
            saved += 1
            CommentFactory(article=story, author=user, body="Hello.")
            get_clean(reader, "/accounts/profile/")  # header name, form fields
            get_clean(client, f"/author/{user.username}/")
        else:
            assert response.status_code == 400, (payload, response.status_code)
            assert_no_script(response.content.decode(), f"refused profile {payload!r}")
    assert saved >= len(XSS_PAYLOADS) - 2
    assert User.objects.filter(display_name__contains="<script").exists()
    get_clean(client, story.get_absolute_url())
    get_clean(editor, "/admin/accounts/user/")
    get_clean(editor, "/admin/comments/comment/")
    get_clean(editor, f"/admin/accounts/user/{User.objects.get(username='named0').pk}/change/")


def test_usernames_at_sign_up_and_sign_in_never_carry_script(client):
    for index, payload in enumerate(XSS_PAYLOADS):
        response = client.post(
            "/accounts/signup/",
            {
                "username": payload,
                "email": f"signup{index}@example.com",
                "password1": "a long passphrase 1",
                "password2": "a long passphrase 1",
            },
        )
        # The username validator refuses markup; the form comes back with the text.
        assert response.status_code == 200, (payload, response.status_code)
        assert_no_script(response.content.decode(), f"sign-up {payload!r}")
        response = client.post("/accounts/login/", {"username": payload, "password": "wrong"})
        assert response.status_code == 200
        assert_no_script(response.content.decode(), f"sign-in {payload!r}")
    assert not User.objects.exists()


def test_search_queries_never_carry_script(client):
    ArticleFactory(title="An alert about script injection", body="<p>alert script img</p>")
    for payload in XSS_PAYLOADS + URL_PAYLOADS:
        response = client.get("/search/", {"q": payload})
        assert response.status_code == 200, payload
        assert_no_script(response.content.decode(), f"search {payload!r}")


def test_report_notes_never_carry_script(client):
    comment = CommentFactory(body="Reported words.")
    editor = signed_in(UserFactory(is_staff=True, is_superuser=True))
    for index, payload in enumerate(XSS_PAYLOADS):
        reporter = signed_in(UserFactory(username=f"reporter{index}"))
        url = f"/comments/{comment.pk}/report/"
        # A refused report re-renders the form with the note as typed.
        refused = reporter.post(url, {"reason": "not-a-reason", "note": payload})
        assert refused.status_code == 400
        assert_no_script(refused.content.decode(), f"refused report {payload!r}")
        accepted = reporter.post(url, {"reason": "abuse", "note": payload})
        if "\x00" in payload:  # Django's forms refuse NUL characters
            assert accepted.status_code == 400
            assert_no_script(accepted.content.decode(), f"refused report {payload!r}")
        else:
            assert accepted.status_code == 302, (payload, accepted.status_code)
    assert Report.objects.filter(comment=comment).count() == len(XSS_PAYLOADS) - 1
    get_clean(editor, f"/admin/comments/comment/{comment.pk}/change/")
    get_clean(editor, "/admin/comments/report/")
    report = Report.objects.first()
    get_clean(editor, f"/admin/comments/report/{report.pk}/change/")


# --- Writers' fields (through the admin) --------------------------------------------


# Django's forms refuse NUL characters outright (checked by the fuzzers); the rest get in.
STORABLE_PAYLOADS = [payload for payload in XSS_PAYLOADS if "\x00" not in payload]


def test_writer_fields_never_carry_script_on_any_page(client, writer_client, editor_client):
    category = CategoryFactory(slug="attacks", name="Attacks")
    # Tag names come from the admin's tag form.
    for index, payload in enumerate(STORABLE_PAYLOADS):
        response = editor_client.post(
            "/admin/articles/tag/add/", {"name": payload[:60], "slug": f"xss-tag-{index}"}
        )
        assert response.status_code == 302, (payload, response.content.decode()[:1500])
    tags = list(Tag.objects.order_by("pk"))
    assert len(tags) == len(STORABLE_PAYLOADS)

    for index, payload in enumerate(STORABLE_PAYLOADS):
        response = writer_client.post(
            "/admin/articles/article/add/",
            admin_article_form(
                category,
                title=payload[:200],
                slug=f"xss-{index}",
                dek=payload[:400],
                body=f"<p>{payload}</p>{payload}",
                tags=[tags[index].pk, tags[(index + 1) % len(tags)].pk],
                hero_image=SimpleUploadedFile("hero.png", png_bytes(), "image/png"),
                hero_alt=payload[:250],
                hero_caption=payload[:300],
                hero_credit=payload[:120],
            ),
        )
        errors = response.context and response.context["adminform"].form.errors
        assert response.status_code == 302, (payload, response.status_code, errors)
    assert Article.objects.filter(slug__startswith="xss-").count() == len(STORABLE_PAYLOADS)
    # The writer's own admin pages, while the stories are drafts.
    get_clean(writer_client, "/admin/articles/article/")
    first = Article.objects.get(slug="xss-0")
    get_clean(writer_client, f"/admin/articles/article/{first.pk}/change/")
    # An editor's preview of a draft, then the stories go live.
    get_clean(editor_client, first.get_absolute_url())
    Article.objects.filter(slug__startswith="xss-").update(
        status=Article.Status.PUBLISHED, published_at=timezone.now() - timezone.timedelta(hours=1)
    )

    for article in Article.objects.filter(slug__startswith="xss-"):
        get_clean(client, article.get_absolute_url())
    all_pages(client, "/")
    all_pages(client, "/category/attacks/")
    all_pages(client, f"/author/{writer_client.user.username}/")
    all_pages(client, "/search/?q=alert")
    for tag in tags:
        get_clean(client, f"/tag/{tag.slug}/")
    assert len(assert_feed_is_safe(client, "/feeds/latest/")) > 10
    assert_feed_is_safe(client, "/feeds/category/attacks/")
    assert client.get("/sitemap.xml").status_code == 200
    ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 (our own responses)
    get_clean(editor_client, "/admin/articles/article/")
    get_clean(editor_client, "/admin/articles/article/?q=alert")
    get_clean(editor_client, "/admin/articles/tag/")
    get_clean(editor_client, f"/admin/articles/article/{first.pk}/change/")
    get_clean(editor_client, f"/admin/articles/tag/{tags[0].pk}/change/")


def test_article_bodies_are_sanitized_to_the_editors_allow_list(writer_client):
    category = CategoryFactory()
    body = "".join(f"<p>{payload}</p>" for payload in STORABLE_PAYLOADS)
    response = writer_client.post(
        "/admin/articles/article/add/", admin_article_form(category, slug="one-body", body=body)
    )
    assert response.status_code == 302
    stored = Article.objects.get(slug="one-body").body
    assert_no_script(stored, "stored body")
    for marker in ("<script", "<iframe", "<svg", "<object", "<embed", "<form", "onerror", "srcdoc"):
        assert marker not in stored.lower()


@pytest.mark.parametrize("url", URL_PAYLOADS)
def test_source_urls_are_refused_or_rendered_harmless(client, writer_client, url):
    category = CategoryFactory()
    response = writer_client.post(
        "/admin/articles/article/add/",
        admin_article_form(category, slug="syndicated", source_name="Wire", source_url=url),
    )
    article = Article.objects.filter(slug="syndicated").first()
    if response.status_code == 200:
        assert article is None
        assert "errorlist" in response.content.decode()
        assert_no_script(response.content.decode(), f"refused source_url {url!r}")
        return
    assert response.status_code == 302
    assert not article.source_url.lower().lstrip().startswith(("javascript", "data", "vbscript"))
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    get_clean(client, article.get_absolute_url())
    assert_feed_is_safe(client, "/feeds/latest/")
