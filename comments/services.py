"""Writes with rules: one keyword-only function each, atomic, validated with full_clean().

Views and the admin call these; nothing else changes a comment's state.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from newsroom import ratelimit

from . import rules
from .models import Comment, CommentBan, ModerationAction, Report
from .signals import discussion_changed


class RateLimited(Exception):
    """Too many comments from one account in a minute."""

    message = "You are commenting too fast. Wait a minute, then try again."


def comment_limit():
    return ratelimit.Limit(settings.COMMENTS_RATE_LIMIT_PER_MINUTE, 60)


REPORT_LIMIT = ratelimit.Limit(20, 60)


def ip_limit():
    """Comments, or reports, from one client IP a minute, whatever the account."""
    return ratelimit.Limit(settings.COMMENTS_RATE_LIMIT_PER_IP_PER_MINUTE, 60)


def _changed(article):
    transaction.on_commit(lambda: discussion_changed.send(sender=Comment, article=article))


def _check_parent(parent, article):
    if parent is None:
        return
    if parent.article_id != article.pk:
        raise ValidationError(
            {"parent": "The comment you replied to belongs to another story."}, code="other"
        )
    if not parent.is_visible:
        raise ValidationError(
            {"parent": "The comment you replied to is no longer available."}, code="gone"
        )


def _needs_premoderation(author):
    if not settings.COMMENTS_PREMODERATE_FIRST or author.is_staff:
        return False
    return not Comment.objects.filter(author_id=author.pk, status=Comment.Status.PUBLISHED).exists()


def _queue_reply_notice(comment):
    from .tasks import notify_reply

    parent_author = comment.parent.author_id if comment.parent_id else None
    if parent_author and parent_author != comment.author_id and comment.is_visible:
        transaction.on_commit(lambda: notify_reply.enqueue(comment.pk))


@transaction.atomic
def post_comment(*, article, author, body, parent=None):
    """Post a comment or a reply; returns it (the earlier one for a double submit).

    Raises PermissionDenied (account or story refuses), ValidationError (bad
    body or parent) or RateLimited.
    """
    problem = rules.account_problem(author) or rules.article_problem(article)
    if problem:
        raise PermissionDenied(problem)
    _check_parent(parent, article)
    # One author's posts queue here, so a double submit can't slip past the check below.
    get_user_model().objects.select_for_update().filter(pk=author.pk).first()
    since = timezone.now() - timedelta(seconds=settings.COMMENTS_DUPLICATE_WINDOW_SECONDS)
    duplicate = (
        Comment.objects.filter(
            article=article,
            author_id=author.pk,
            parent=parent,
            body=body,
            created_at__gte=since,
            deleted_at__isnull=True,
        )
        .order_by("-pk")
        .first()
    )
    if duplicate is not None:
        duplicate.was_duplicate = True
        return duplicate
    comment = Comment(article=article, author=author, body=body, parent=parent)
    if _needs_premoderation(author):
        comment.status = Comment.Status.PENDING
    comment.full_clean(exclude=["thread"])
    if not ratelimit.hit("comment", str(author.pk), comment_limit()):
        raise RateLimited()
    comment.save()
    comment.place(parent)
    Comment.objects.filter(pk=comment.pk).update(
        thread_id=comment.thread_id, depth=comment.depth, path=comment.path
    )
    if comment.status == Comment.Status.PENDING:
        ModerationAction.objects.create(
            action=ModerationAction.Action.HOLD,
            comment=comment,
            target_user=author,
            to_status=comment.status,
            note="First comment from a new account.",
        )
    _queue_reply_notice(comment)
    _changed(article)
    comment.was_duplicate = False
    return comment


@transaction.atomic
def edit_comment(*, comment, user, body):
    """The author rewrites their comment inside the edit window."""
    if not rules.can_edit(user, comment):
        raise PermissionDenied("This comment can no longer be edited.")
    comment.body = body
    comment.edited_at = timezone.now()
    comment.full_clean()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    _changed(comment.article)
    return comment


@transaction.atomic
def delete_comment(*, comment, user):
    """The author deletes their comment: its text goes; replies keep the thread's shape."""
    if not rules.can_delete(user, comment):
        raise PermissionDenied("You can only delete your own comments.")
    comment.deleted_at = timezone.now()
    comment.body = comment.body_html = ""
    Comment.objects.filter(pk=comment.pk).update(
        deleted_at=comment.deleted_at, body="", body_html=""
    )
    _changed(comment.article)
    return comment


@transaction.atomic
def report_comment(*, comment, reporter, reason, note=""):
    """A reader reports a comment, once; at the threshold it is hidden for review."""
    if not reporter.is_authenticated:
        raise PermissionDenied("Sign in to report a comment.")
    if comment.author_id == reporter.pk:
        raise ValidationError("You can't report your own comment.", code="own")
    if not comment.is_visible:
        raise ValidationError("This comment is already hidden.", code="hidden")
    report = Report(comment=comment, reporter=reporter, reason=reason, note=note)
    report.full_clean(exclude=["comment", "reporter"], validate_constraints=False)
    if not ratelimit.hit("comment-report", str(reporter.pk), REPORT_LIMIT):
        raise RateLimited()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError("You have already reported this comment.", code="again")
    Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
    comment.refresh_from_db(fields=["report_count", "status"])
    if (
        comment.report_count >= settings.COMMENTS_REPORT_THRESHOLD
        and comment.status == Comment.Status.PUBLISHED
    ):
        Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.PENDING)
        comment.status = Comment.Status.PENDING
        ModerationAction.objects.create(
            action=ModerationAction.Action.HIDE,
            comment=comment,
            target_user_id=comment.author_id,
            from_status=Comment.Status.PUBLISHED,
            to_status=Comment.Status.PENDING,
            note=f"{comment.report_count} reports.",
        )
        from .tasks import notify_moderators

        transaction.on_commit(lambda: notify_moderators.enqueue(comment.pk))
        _changed(comment.article)
    return report


MODERATION = {
    ModerationAction.Action.APPROVE: Comment.Status.PUBLISHED,
    ModerationAction.Action.REMOVE: Comment.Status.REMOVED,
    ModerationAction.Action.SPAM: Comment.Status.SPAM,
}


@transaction.atomic
def moderate_comment(*, comment, moderator, action, note=""):
    """Approve, remove or mark as spam; open reports are closed; the action is logged."""
    if action not in MODERATION:
        raise ValidationError(f"Unknown moderation action {action!r}.")
    new_status = MODERATION[action]
    old_status = comment.status
    comment.status = new_status
    comment.full_clean(exclude=["thread", "body"])
    now = timezone.now()
    Comment.objects.filter(pk=comment.pk).update(status=new_status, report_count=0)
    comment.report_count = 0
    Report.objects.filter(comment=comment, resolved_at__isnull=True).update(resolved_at=now)
    history = set(comment.actions.values_list("action", flat=True))
    ModerationAction.objects.create(
        action=action,
        moderator=moderator,
        comment=comment,
        target_user_id=comment.author_id,
        from_status=old_status,
        to_status=new_status,
        note=note,
        created_at=now,
    )
    # Held for pre-moderation and approved for the first time: the reply notice goes now.
    first_approval = (
        old_status == Comment.Status.PENDING
        and new_status == Comment.Status.PUBLISHED
        and ModerationAction.Action.HOLD in history
        and ModerationAction.Action.APPROVE not in history
    )
    if first_approval:
        _queue_reply_notice(comment)
    if old_status != new_status:
        _changed(comment.article)
    return comment


@transaction.atomic
def ban_user(*, user, moderator, reason=""):
    """Stop an account from commenting; it can still read and sign in."""
    ban, created = CommentBan.objects.get_or_create(
        user=user, defaults={"banned_by": moderator, "reason": reason}
    )
    if created:
        ModerationAction.objects.create(
            action=ModerationAction.Action.BAN,
            moderator=moderator,
            target_user=user,
            note=reason,
        )
    return ban


@transaction.atomic
def unban_user(*, user, moderator, reason=""):
    deleted, _ = CommentBan.objects.filter(user=user).delete()
    if deleted:
        ModerationAction.objects.create(
            action=ModerationAction.Action.UNBAN,
            moderator=moderator,
            target_user=user,
            note=reason,
        )
