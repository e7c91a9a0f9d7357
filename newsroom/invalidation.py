"""What each write invalidates in the anonymous page cache (newsroom/pagecache.py).

- "site": everything (sections, tags and people appear on every page);
- "articles": listings, search, feeds and every article page (related stories);
- "article:<slug>": one story's page and its discussion.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from newsroom.pagecache import bump


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


def connect():
    from articles.models import Article, Category, Tag

    for signal in (post_save, post_delete):
        signal.connect(article_changed, sender=Article, dispatch_uid=f"pc-article-{signal}")
        signal.connect(site_changed, sender=Category, dispatch_uid=f"pc-category-{signal}")
        signal.connect(site_changed, sender=Tag, dispatch_uid=f"pc-tag-{signal}")
        signal.connect(user_changed, sender=get_user_model(), dispatch_uid=f"pc-user-{signal}")
    m2m_changed.connect(
        article_changed, sender=Article.tags.through, dispatch_uid="pc-article-tags"
    )
