"""The moderation queue in the admin, for the Editors and Moderators groups."""

import pytest
from django.contrib.auth.models import Group

from comments.models import Comment, CommentBan, ModerationAction
from tests.accounts.factories import EditorFactory, UserFactory, WriterFactory
from tests.comments.factories import CommentFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/comments/comment/"


def moderator():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.mark.parametrize("make", [EditorFactory, moderator])
def test_editors_and_moderators_have_the_moderation_permissions(make):
    user = make()
    for perm in (
        "comments.view_comment",
        "comments.change_comment",
        "comments.moderate_comment",
        "comments.add_commentban",
        "comments.view_moderationaction",
    ):
        assert user.has_perm(perm), perm


def test_writers_and_readers_cannot_open_the_queue(client):
    client.force_login(WriterFactory())
    assert client.get(QUEUE).status_code == 403
    client.force_login(UserFactory())
    assert client.get(QUEUE).status_code == 302  # to the admin login


def test_the_queue_lists_pending_then_reported_then_the_rest(client):
    quiet = CommentFactory(body="Quiet one")
    reported = CommentFactory(body="Reported one")
    Comment.objects.filter(pk=reported.pk).update(report_count=2)
    pending = CommentFactory(body="Pending one", status="pending")
    client.force_login(moderator())
    html = client.get(QUEUE).content.decode()
    assert html.index("Pending one") < html.index("Reported one") < html.index("Quiet one")
    assert quiet.get_absolute_url() in html  # a link to the comment in context
    assert f"/articles/{pending.article.slug}/comments/{pending.pk}/" in html


def test_the_queue_filters_and_searches(client):
    CommentFactory(body="Needle in a haystack")
    CommentFactory(body="Just hay", status="spam")
    client.force_login(moderator())
    found = client.get(QUEUE, {"q": "needle"}).content.decode()
    assert "Needle in a haystack" in found and "Just hay" not in found
    spam = client.get(QUEUE, {"status__exact": "spam"}).content.decode()
    assert "Just hay" in spam and "Needle" not in spam
    assert client.get(QUEUE, {"reported": "yes"}).status_code == 200


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve_selected", "published"), ("remove_selected", "removed"), ("spam_selected", "spam")],
)
def test_bulk_actions_moderate_and_record_who_did_it(client, action, status):
    comments = [CommentFactory(status="pending") for _ in range(3)]
    user = moderator()
    client.force_login(user)
    response = client.post(QUEUE, {"action": action, "_selected_action": [c.pk for c in comments]})
    assert response.status_code == 302
    assert set(Comment.objects.values_list("status", flat=True)) == {status}
    assert ModerationAction.objects.filter(moderator=user).count() == 3


def test_changing_the_status_in_the_form_is_recorded_too(client):
    comment = CommentFactory()
    user = moderator()
    client.force_login(user)
    response = client.post(f"{QUEUE}{comment.pk}/change/", {"status": "removed", **INLINES})
    assert response.status_code == 302, response.content.decode()[:2000]
    comment.refresh_from_db()
    assert comment.status == "removed"
    assert ModerationAction.objects.get(comment=comment).moderator == user


INLINES = {
    "reports-TOTAL_FORMS": "0",
    "reports-INITIAL_FORMS": "0",
    "actions-TOTAL_FORMS": "0",
    "actions-INITIAL_FORMS": "0",
}


def test_ban_from_the_queue_stops_commenting_but_not_reading_or_signing_in(client):
    comment = CommentFactory()
    user = moderator()
    client.force_login(user)
    client.post(QUEUE, {"action": "ban_authors", "_selected_action": [comment.pk]})
    assert CommentBan.objects.filter(user=comment.author).exists()
    assert ModerationAction.objects.filter(action="ban", moderator=user).exists()
    reader = comment.author
    client.force_login(reader)
    assert client.get(comment.article.get_absolute_url()).status_code == 200
    response = client.post(f"{comment.article.get_absolute_url()}comments/", {"body": "Again"})
    assert response.status_code == 403


def test_unbanning_in_the_admin_is_recorded(client):
    ban = CommentBan.objects.create(user=UserFactory())
    user = moderator()
    client.force_login(user)
    client.post(f"/admin/comments/commentban/{ban.pk}/delete/", {"post": "yes"})
    assert not CommentBan.objects.exists()
    assert ModerationAction.objects.filter(action="unban", moderator=user).exists()


def test_the_moderation_log_is_read_only(client):
    client.force_login(moderator())
    assert client.get("/admin/comments/moderationaction/").status_code == 200
    assert client.get("/admin/comments/moderationaction/add/").status_code == 403


def test_editors_close_and_reopen_a_discussion_with_comments_enabled(client):
    from tests.articles.factories import ArticleFactory

    story = ArticleFactory(comments_enabled=False)
    client.force_login(UserFactory())
    response = client.post(f"{story.get_absolute_url()}comments/", {"body": "Closed?"})
    assert response.status_code == 403
    story.comments_enabled = True
    story.save()
    assert client.post(f"{story.get_absolute_url()}comments/", {"body": "Open"}).status_code == 302
