"""What each write invalidates in the page cache (newsroom/pagecache.py).

- "site": everything (sections, tags and people appear on every page);
- "articles": listings, search, feeds and every article page (related stories);
- "comments": listings (their comment counts);
- "article:<slug>": one story's page and its discussion.
"""

import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from newsroom.pagecache import bump, version_tokens

LISTING_VERSIONS = ["site", "articles", "comments"]


def listing_versions(request, **kwargs):
    return LISTING_VERSIONS


def article_versions(request, slug, **kwargs):
    return ["site", "articles", f"article:{slug}"]


def seconds_until_next_publication():
    """How long cached pages may live before a scheduled story goes live."""
    from articles.models import Article

    key = "next-publication:" + version_tokens(["articles"])[0]
    moment = cache.get(key)
    if moment is None:
        upcoming = (
            Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        moment = upcoming.timestamp() if upcoming else 0
        cache.set(key, moment, timeout=None if not moment else int(moment - time.time()) + 60)
    return moment - time.time() if moment else float("inf")


def bump_on_commit(*names):
    transaction.on_commit(lambda: bump(*names))


def article_changed(sender, instance, **kwargs):
    bump_on_commit("articles", f"article:{instance.slug}")


def site_changed(sender, instance=None, **kwargs):
    bump_on_commit("site")


def user_changed(sender, instance, update_fields=None, **kwargs):
    # Logins touch last_login only; that changes no page.
    if update_fields and set(update_fields) <= {"last_login", "password"}:
        return
    bump_on_commit("site")


def discussion_changed(sender, article, **kwargs):
    """Sent by comments.services after every write that changes what a discussion shows."""
    bump("comments", f"article:{article.slug}")


def comment_saved(sender, instance, **kwargs):
    """Admin edits and deletes bypass the services; catch them here too."""
    from articles.models import Article

    article = instance._state.fields_cache.get("article")
    slug = (
        article.slug
        if article is not None
        else Article.objects.filter(pk=instance.article_id).values_list("slug", flat=True).first()
    )
    if slug:
        bump_on_commit("comments", f"article:{slug}")


def connect():
    from articles.models import Article, Category, Tag
    from comments.models import Comment, CommentBan
    from comments.signals import discussion_changed as discussion_signal

    for signal in (post_save, post_delete):
        signal.connect(article_changed, sender=Article, dispatch_uid=f"pc-article-{signal}")
        signal.connect(site_changed, sender=Category, dispatch_uid=f"pc-category-{signal}")
        signal.connect(site_changed, sender=Tag, dispatch_uid=f"pc-tag-{signal}")
        signal.connect(user_changed, sender=get_user_model(), dispatch_uid=f"pc-user-{signal}")
        signal.connect(comment_saved, sender=Comment, dispatch_uid=f"pc-comment-{signal}")
        # A ban changes which copy of a page its reader may share.
        signal.connect(site_changed, sender=CommentBan, dispatch_uid=f"pc-ban-{signal}")
    m2m_changed.connect(
        article_changed, sender=Article.tags.through, dispatch_uid="pc-article-tags"
    )
    discussion_signal.connect(discussion_changed, dispatch_uid="pc-discussion")
