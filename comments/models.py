"""Threaded comments, reports, bans and the moderation log.

Threads are stored so that one ordered query returns a whole thread: every
comment knows its thread (the top-level comment), its depth and a `path`, the
zero-padded ids of its ancestors and itself. Ordering by `path` yields the
conversation in reading order; the tree is built in Python in one pass.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .text import render_body

PATH_WIDTH = 10  # ids up to 9,999,999,999


def max_length():
    return settings.COMMENTS_MAX_LENGTH


def validate_body(value):
    """Not empty or whitespace-only, and within the length limit."""
    if not value or not value.strip():
        raise ValidationError("Write something before posting.", code="empty")
    limit = max_length()
    if len(value) > limit:
        raise ValidationError(
            f"Comments can be at most {limit:,} characters long (this one has {len(value):,}).",
            code="too_long",
        )


class CommentQuerySet(models.QuerySet):
    def visible(self):
        """What every reader sees: published and not deleted by its author."""
        return self.filter(status=Comment.Status.PUBLISHED, deleted_at__isnull=True)

    def visible_to(self, user):
        """Visible, plus the reader's own comments awaiting moderation."""
        condition = Q(status=Comment.Status.PUBLISHED)
        if user is not None and user.is_authenticated:
            condition |= Q(status=Comment.Status.PENDING, author_id=user.pk)
        return self.filter(condition, deleted_at__isnull=True)


class Comment(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        PENDING = "pending", "Pending review"
        REMOVED = "removed", "Removed"
        SPAM = "spam", "Spam"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        help_text="Empty when the account was deleted; shown as “[deleted user]”.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        help_text="The comment this one answers; empty for a top-level comment.",
    )
    thread = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="The top-level comment of this thread (itself for a top-level comment).",
    )
    depth = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="Nesting level shown: 0 is top level."
    )
    path = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        help_text="Order key inside the thread: the zero-padded ids from the top down.",
    )
    body = models.TextField(
        validators=[validate_body],
        error_messages={"blank": "Write something before posting."},
        help_text="Plain text, as typed.",
    )
    body_html = models.TextField(
        blank=True, editable=False, help_text="The body rendered to safe HTML on save."
    )
    status = models.CharField(
        max_length=10,
        choices=Status,
        default=Status.PUBLISHED,
        db_index=False,
        help_text="Only published comments are shown to readers.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Deleted by its author: shown as “[deleted]” while it has replies.",
    )
    report_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Open reports from readers."
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["thread_id", "path"]
        indexes = [
            models.Index(fields=["thread", "path"], name="comment_thread_path_idx"),
            models.Index(fields=["thread", "status"], name="comment_thread_status_idx"),
            models.Index(fields=["article", "status"], name="comment_article_status_idx"),
            models.Index(
                fields=["article", "created_at"],
                condition=Q(parent__isnull=True),
                name="comment_article_roots_idx",
            ),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
            models.Index(fields=["author", "-created_at"], name="comment_author_idx"),
        ]
        permissions = [
            ("moderate_comment", "Can approve, remove and mark comments as spam"),
        ]

    def __str__(self):
        return f"Comment {self.pk} on “{self.article}”"

    def save(self, *args, **kwargs):
        self.body_html = render_body(self.body) if self.body else ""
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The permalink: redirects to the right page of the discussion."""
        return reverse("comments:permalink", kwargs={"slug": self.article.slug, "pk": self.pk})

    @property
    def is_visible(self):
        return self.status == self.Status.PUBLISHED and self.deleted_at is None

    @property
    def excerpt(self):
        text = " ".join(self.body.split())
        return text if len(text) <= 120 else text[:119] + "…"

    @staticmethod
    def make_path(parent_path, pk):
        return f"{parent_path}{pk:0{PATH_WIDTH}d}"

    def place(self, parent):
        """Thread, depth and path from the parent; needs self.pk."""
        if parent is None:
            self.thread_id, self.depth, self.path = self.pk, 0, self.make_path("", self.pk)
            return
        limit = max(1, settings.COMMENTS_MAX_DEPTH)
        self.thread_id = parent.thread_id
        if parent.depth + 1 < limit:
            self.depth, self.path = parent.depth + 1, self.make_path(parent.path, self.pk)
        else:
            # At the deepest level a reply sits beside the comment it answers.
            self.depth = parent.depth
            self.path = self.make_path(parent.path[:-PATH_WIDTH], self.pk)


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        ABUSE = "abuse", "Abuse or harassment"
        OFF_TOPIC = "off_topic", "Off-topic"
        OTHER = "other", "Something else"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reports"
    )
    reason = models.CharField(max_length=10, choices=Reason)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when a moderator dealt with the comment."
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="report_once_per_comment")
        ]

    def __str__(self):
        return f"{self.get_reason_display()} report on comment {self.comment_id}"


class CommentBan(models.Model):
    """An account that may read and sign in, but not comment."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_ban"
    )
    reason = models.CharField(max_length=500, blank=True)
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "comment ban"

    def __str__(self):
        return f"{self.user} banned from commenting"


class ModerationAction(models.Model):
    """Who did what to which comment or account, and when."""

    class Action(models.TextChoices):
        APPROVE = "approve", "Approved"
        REMOVE = "remove", "Removed"
        SPAM = "spam", "Marked as spam"
        HIDE = "hide", "Hidden after reports"
        HOLD = "hold", "Held for pre-moderation"
        BAN = "ban", "Banned from commenting"
        UNBAN = "unban", "Allowed to comment again"

    action = models.CharField(max_length=10, choices=Action)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for automatic actions.",
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["-created_at"], name="moderation_recent_idx")]

    def __str__(self):
        who = self.moderator or "system"
        return f"{self.get_action_display()} by {who} at {self.created_at:%Y-%m-%d %H:%M}"
