"""The editorial workflow: each state change is one function with its rules.

Called by the admin (form saves and bulk actions) and by scripts alike, so the
rule "only editors publish" holds whatever the door.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import Article

PUBLISH_PERMISSION = "articles.publish_article"


def can_publish(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


@transaction.atomic
def publish_article(*, article: Article, by, when=None) -> Article:
    """Publish now, or schedule for `when`; a story keeps its first publication time."""
    if not can_publish(by):
        raise PermissionDenied("Only editors can publish articles.")
    article.status = Article.Status.PUBLISHED
    article.published_at = when or article.published_at or timezone.now()
    article.full_clean()
    article.save()
    return article


@transaction.atomic
def unpublish_article(*, article: Article, by) -> Article:
    """Take a story down: it returns to draft and leaves every public page."""
    if not can_publish(by):
        raise PermissionDenied("Only editors can unpublish articles.")
    article.status = Article.Status.DRAFT
    article.full_clean()
    article.save()
    return article


@transaction.atomic
def submit_for_review(*, article: Article, by) -> Article:
    """A writer hands a draft to the editors."""
    if article.author_id != by.pk and not can_publish(by):
        raise PermissionDenied("You can only submit your own articles.")
    if article.status == Article.Status.PUBLISHED:
        raise PermissionDenied("A published article cannot go back to review this way.")
    article.status = Article.Status.REVIEW
    article.full_clean()
    article.save()
    return article
