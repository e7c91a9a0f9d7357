"""Who may comment, where, and what a reader may do with a comment.

Each rule returns a reason (a sentence for the reader) or "" when allowed, so
views can answer with a clear message instead of a bare refusal.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import Comment, CommentBan

MODERATOR_GROUPS = ("Editors", "Moderators")


def account_problem(user, *, banned=None):
    """Why this account may not comment, or "" (signed in, active, verified, not banned)."""
    if user is None or not user.is_authenticated:
        return "Sign in to join the discussion."
    if not user.is_active:
        return "This account is disabled."
    if settings.COMMENTS_REQUIRE_VERIFIED_EMAIL and not user.email_verified:
        return "Confirm your e-mail address to join the discussion."
    if banned is None:
        banned = CommentBan.objects.filter(user_id=user.pk).exists()
    if banned:
        return "Your account can no longer post comments."
    return ""


def may_comment(user, *, banned=None):
    return not account_problem(user, banned=banned)


def closes_at(article):
    """When the discussion closes by age, or None when it never does."""
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if days <= 0 or article.published_at is None:
        return None
    return article.published_at + timedelta(days=days)


def article_problem(article, *, now=None):
    """Why this story takes no comments, or ""."""
    if not article.is_live:
        return "This story is not published."
    if not article.comments_enabled:
        return "Comments are closed for this story."
    closing = closes_at(article)
    if closing is not None and (now or timezone.now()) >= closing:
        return "Comments are closed for this story."
    return ""


def comments_open(article):
    return not article_problem(article)


def edit_window():
    return timedelta(minutes=settings.COMMENTS_EDIT_WINDOW_MINUTES)


def can_edit(user, comment, *, now=None):
    """The author, within the edit window, of a comment still standing."""
    return (
        user.is_authenticated
        and comment.author_id == user.pk
        and comment.deleted_at is None
        and comment.status in (Comment.Status.PUBLISHED, Comment.Status.PENDING)
        and (now or timezone.now()) < comment.created_at + edit_window()
    )


def can_delete(user, comment):
    return user.is_authenticated and comment.author_id == user.pk and comment.deleted_at is None


def is_moderator(user):
    """Staff in the Editors or Moderators group (or superusers)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=MODERATOR_GROUPS).exists()
