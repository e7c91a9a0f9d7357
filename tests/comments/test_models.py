"""The write rules: posting, replying, editing, deleting, reporting, moderating."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from comments import services
from comments.models import Comment, CommentBan, ModerationAction, Report
from tests.accounts.factories import EditorFactory, UserFactory
from tests.articles.factories import ArticleFactory, DraftFactory
from tests.comments.factories import CommentFactory

pytestmark = pytest.mark.django_db


def post(article, author=None, body="A fair point.", parent=None):
    return services.post_comment(
        article=article, author=author or UserFactory(), body=body, parent=parent
    )


def test_a_top_level_comment_is_its_own_thread_at_depth_zero():
    comment = post(ArticleFactory())
    comment.refresh_from_db()
    assert comment.thread_id == comment.pk
    assert comment.depth == 0
    assert comment.path == f"{comment.pk:010d}"
    assert comment.status == Comment.Status.PUBLISHED


def test_replies_nest_under_their_parent_in_one_ordered_thread():
    article = ArticleFactory()
    root = post(article)
    first = post(article, parent=root)
    second = post(article, parent=root)
    nested = post(article, parent=first)
    ordered = list(Comment.objects.filter(thread_id=root.pk).order_by("path"))
    assert ordered == [root, first, nested, second]
    assert [c.depth for c in ordered] == [0, 1, 2, 1]


def test_replies_at_the_depth_limit_sit_beside_the_comment_they_answer(settings):
    settings.COMMENTS_MAX_DEPTH = 3
    article = ArticleFactory()
    chain = [post(article)]
    for _ in range(4):
        chain.append(post(article, parent=chain[-1]))
    for comment in chain:
        comment.refresh_from_db()
    assert [c.depth for c in chain] == [0, 1, 2, 2, 2]
    assert chain[3].parent_id == chain[2].pk  # still answers its real parent
    assert chain[3].path[:-10] == chain[1].path  # but is placed beside it


def test_the_body_is_stored_as_typed_and_rendered_escaped():
    comment = post(ArticleFactory(), body="<i>hi</i>\nhttps://example.com")
    assert comment.body == "<i>hi</i>\nhttps://example.com"
    assert comment.body_html.startswith("<p>&lt;i&gt;hi&lt;/i&gt;<br>")
    assert 'rel="nofollow ugc noopener"' in comment.body_html


@pytest.mark.parametrize("body", ["", "   ", "\n\t \n"])
def test_empty_or_whitespace_bodies_are_refused(body):
    with pytest.raises(ValidationError) as error:
        post(ArticleFactory(), body=body)
    assert "Write something" in str(error.value)


def test_a_body_over_the_limit_is_refused_with_the_limit_in_the_message(settings):
    settings.COMMENTS_MAX_LENGTH = 10
    with pytest.raises(ValidationError) as error:
        post(ArticleFactory(), body="x" * 11)
    assert "at most 10 characters" in str(error.value)
    assert post(ArticleFactory(), body="x" * 10).pk


def test_a_reply_to_another_storys_comment_is_refused():
    parent = CommentFactory()
    with pytest.raises(ValidationError):
        post(ArticleFactory(), parent=parent)


@pytest.mark.parametrize("status", ["removed", "spam", "pending"])
def test_a_reply_to_a_hidden_comment_is_refused(status):
    parent = CommentFactory(status=status)
    with pytest.raises(ValidationError):
        post(parent.article, parent=parent)


def test_a_reply_to_a_deleted_comment_is_refused():
    parent = CommentFactory()
    services.delete_comment(comment=parent, user=parent.author)
    with pytest.raises(ValidationError):
        post(parent.article, parent=parent)


@pytest.mark.parametrize(
    "article_kwargs",
    [{"comments_enabled": False}, {"status": "draft", "published_at": None}],
)
def test_closed_or_unpublished_stories_take_no_comments(article_kwargs):
    with pytest.raises(PermissionDenied):
        post(ArticleFactory(**article_kwargs))


def test_discussions_close_automatically_after_the_setting_days(settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 7
    old = ArticleFactory(published_at=timezone.now() - timezone.timedelta(days=8))
    with pytest.raises(PermissionDenied, match="closed"):
        post(old)
    assert post(ArticleFactory(published_at=timezone.now() - timezone.timedelta(days=6))).pk


def test_banned_inactive_and_unverified_accounts_cannot_comment(settings):
    article = ArticleFactory()
    banned = UserFactory()
    CommentBan.objects.create(user=banned)
    with pytest.raises(PermissionDenied, match="no longer post"):
        post(article, banned)
    with pytest.raises(PermissionDenied):
        post(article, UserFactory(is_active=False))
    settings.COMMENTS_REQUIRE_VERIFIED_EMAIL = True
    with pytest.raises(PermissionDenied, match="Confirm your e-mail"):
        post(article, UserFactory(email_verified=False))
    assert post(article, UserFactory(email_verified=True)).pk


def test_a_double_submit_within_the_window_is_saved_once():
    article, author = ArticleFactory(), UserFactory()
    first = post(article, author, body="Same words")
    second = post(article, author, body="Same words")
    assert second.pk == first.pk and second.was_duplicate
    assert Comment.objects.count() == 1


def test_the_same_words_later_are_a_new_comment(settings):
    article, author = ArticleFactory(), UserFactory()
    first = post(article, author, body="Same words")
    Comment.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timezone.timedelta(minutes=5)
    )
    assert post(article, author, body="Same words").pk != first.pk


def test_more_than_the_rate_limit_per_minute_is_refused(settings):
    settings.COMMENTS_RATE_LIMIT_PER_MINUTE = 3
    article, author = ArticleFactory(), UserFactory()
    for number in range(3):
        post(article, author, body=f"Comment {number}")
    with pytest.raises(services.RateLimited):
        post(article, author, body="One too many")
    assert Comment.objects.count() == 3


def test_a_new_accounts_first_comment_waits_for_moderation(settings):
    settings.COMMENTS_PREMODERATE_FIRST = True
    article, newcomer = ArticleFactory(), UserFactory()
    first = post(article, newcomer)
    assert first.status == Comment.Status.PENDING
    assert ModerationAction.objects.filter(comment=first, action="hold").exists()
    services.moderate_comment(comment=first, moderator=EditorFactory(), action="approve")
    assert post(article, newcomer, body="Second").status == Comment.Status.PUBLISHED


def test_staff_are_never_premoderated(settings):
    settings.COMMENTS_PREMODERATE_FIRST = True
    assert post(ArticleFactory(), EditorFactory()).status == Comment.Status.PUBLISHED


def test_editing_inside_the_window_marks_the_comment_edited():
    comment = CommentFactory(body="Frist")
    services.edit_comment(comment=comment, user=comment.author, body="First")
    comment.refresh_from_db()
    assert comment.body == "First" and comment.edited_at is not None
    assert comment.body_html == "<p>First</p>"


def test_editing_after_the_window_or_by_someone_else_is_refused(settings):
    comment = CommentFactory(created_at=timezone.now() - timezone.timedelta(minutes=16))
    with pytest.raises(PermissionDenied):
        services.edit_comment(comment=comment, user=comment.author, body="Late")
    fresh = CommentFactory()
    with pytest.raises(PermissionDenied):
        services.edit_comment(comment=fresh, user=UserFactory(), body="Not mine")


def test_an_edit_must_still_be_a_valid_body():
    comment = CommentFactory()
    with pytest.raises(ValidationError):
        services.edit_comment(comment=comment, user=comment.author, body="   ")


def test_deleting_clears_the_text_and_only_the_author_may():
    comment = CommentFactory(body="Regrettable")
    with pytest.raises(PermissionDenied):
        services.delete_comment(comment=comment, user=UserFactory())
    services.delete_comment(comment=comment, user=comment.author)
    comment.refresh_from_db()
    assert comment.deleted_at is not None and comment.body == "" and comment.body_html == ""


def test_a_reader_reports_a_comment_once():
    comment, reader = CommentFactory(), UserFactory()
    services.report_comment(comment=comment, reporter=reader, reason="spam")
    with pytest.raises(ValidationError, match="already reported"):
        services.report_comment(comment=comment, reporter=reader, reason="abuse")
    comment.refresh_from_db()
    assert comment.report_count == 1 and Report.objects.count() == 1


def test_nobody_reports_their_own_comment():
    comment = CommentFactory()
    with pytest.raises(ValidationError):
        services.report_comment(comment=comment, reporter=comment.author, reason="spam")


def test_at_the_report_threshold_a_comment_is_hidden_and_moderators_are_told(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.COMMENTS_REPORT_THRESHOLD = 2
    EditorFactory(email="desk@example.com")
    comment = CommentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_comment(comment=comment, reporter=UserFactory(), reason="abuse")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED and not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        services.report_comment(comment=comment, reporter=UserFactory(), reason="spam")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert ModerationAction.objects.filter(comment=comment, action="hide").exists()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["desk@example.com"]
    assert f"/comments/{comment.pk}/" in mailoutbox[0].body


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", "published"), ("remove", "removed"), ("spam", "spam")],
)
def test_every_moderation_action_is_recorded_with_who_what_when(action, status):
    comment = CommentFactory(status="pending")
    Report.objects.create(comment=comment, reporter=UserFactory(), reason="spam")
    moderator = EditorFactory()
    services.moderate_comment(comment=comment, moderator=moderator, action=action)
    comment.refresh_from_db()
    assert comment.status == status and comment.report_count == 0
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    log = ModerationAction.objects.get(comment=comment)
    assert (log.moderator, log.action, log.from_status, log.to_status) == (
        moderator,
        action,
        "pending",
        status,
    )
    assert log.created_at is not None


def test_a_ban_and_an_unban_are_recorded_and_the_account_keeps_reading():
    user, moderator = UserFactory(), EditorFactory()
    services.ban_user(user=user, moderator=moderator, reason="Abuse")
    assert CommentBan.objects.filter(user=user).exists()
    user.refresh_from_db()
    assert user.is_active  # can still sign in and read
    services.unban_user(user=user, moderator=moderator)
    assert list(
        ModerationAction.objects.filter(target_user=user).values_list("action", flat=True)
    ) == ["unban", "ban"]


def test_deleting_an_account_keeps_its_comments_as_deleted_user():
    comment = CommentFactory()
    comment.author.delete()
    comment.refresh_from_db()
    assert comment.author is None and comment.body


def test_a_reply_emails_the_parent_author_unless_they_opted_out_or_replied_to_themselves(
    mailoutbox, django_capture_on_commit_callbacks
):
    article = ArticleFactory(title="Bridge reopens")
    alice = UserFactory(email="alice@example.com", display_name="Alice")
    bob = UserFactory(display_name="Bob")
    root = post(article, alice, body="Finally!")
    with django_capture_on_commit_callbacks(execute=True):
        reply = post(article, bob, body="Agreed.", parent=root)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["alice@example.com"]
    assert "Bob replied" in mailoutbox[0].subject
    assert f"/comments/{reply.pk}/" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        post(article, alice, body="Thanks", parent=reply)  # bob gets one
        post(article, alice, body="Me again", parent=root)  # own thread: none
    assert len(mailoutbox) == 2
    bob.notify_on_reply = False
    bob.save()
    with django_capture_on_commit_callbacks(execute=True):
        post(article, UserFactory(), body="Hi Bob", parent=reply)
    assert len(mailoutbox) == 2


def test_a_premoderated_reply_notifies_when_approved(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.COMMENTS_PREMODERATE_FIRST = True
    root = CommentFactory(author=UserFactory(email="op@example.com"))
    with django_capture_on_commit_callbacks(execute=True):
        reply = post(root.article, UserFactory(), parent=root)
    assert reply.status == "pending" and not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate_comment(comment=reply, moderator=EditorFactory(), action="approve")
    assert len(mailoutbox) == 1


def test_posting_to_a_draft_is_refused():
    with pytest.raises(PermissionDenied):
        post(DraftFactory())
