"""E-mail notifications, sent outside the request through django.tasks.

Enqueued with `transaction.on_commit`, so a task never sees a comment that was
rolled back. Arguments are ids (JSON-serialisable); each task reloads what it
needs and does nothing if the comment is gone.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.tasks import task

from .models import Comment
from .rules import MODERATOR_GROUPS


def _absolute(url):
    return settings.SITE_URL + url


@task
def notify_reply(comment_id):
    """Tell a comment's author that someone replied (if they asked to be told)."""
    reply = (
        Comment.objects.select_related("author", "article", "parent__author")
        .filter(pk=comment_id)
        .first()
    )
    if reply is None or not reply.is_visible or reply.parent is None:
        return 0
    recipient = reply.parent.author
    if (
        recipient is None
        or not recipient.email
        or not recipient.is_active
        or not recipient.notify_on_reply
        or recipient.pk == reply.author_id
    ):
        return 0
    who = reply.author.public_name if reply.author else "Someone"
    body = (
        f"{who} replied to your comment on “{reply.article.title}”:\n\n"
        f"{reply.excerpt}\n\n"
        f"Read the reply: {_absolute(reply.get_absolute_url())}\n\n"
        "You get this e-mail because reply notifications are on in your profile; "
        f"turn them off at {_absolute('/accounts/profile/')}."
    )
    return send_mail(
        f"{who} replied to your comment",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [recipient.email],
    )


@task
def notify_moderators(comment_id):
    """Tell moderators a comment was reported enough times to be hidden."""
    comment = Comment.objects.select_related("article", "author").filter(pk=comment_id).first()
    if comment is None:
        return 0
    recipients = sorted(
        set(
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=MODERATOR_GROUPS)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if not recipients:
        return 0
    review = _absolute(f"/admin/comments/comment/{comment.pk}/change/")
    body = (
        f"A comment on “{comment.article.title}” was reported {comment.report_count} times "
        "and is hidden until a moderator reviews it.\n\n"
        f"{comment.excerpt}\n\n"
        f"Review it: {review}\n"
        f"In context: {_absolute(comment.get_absolute_url())}"
    )
    return send_mail(
        "A reported comment is waiting for review",
        body,
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )
