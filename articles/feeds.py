"""RSS feeds: the latest stories, and one per section. Links use SITE_URL, not the request host."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape, strip_tags

from .models import Article, Category

FEED_SIZE = 30


def absolute(path):
    return f"{settings.SITE_URL}{path}"


class LatestFeed(Feed):
    feed_type = Rss201rev2Feed

    def title(self):
        return f"{settings.SITE_NAME}: latest stories"

    def link(self):
        return absolute("/")

    def feed_url(self):
        return absolute("/feeds/latest/")

    def description(self):
        return f"The latest stories from {settings.SITE_NAME}."

    def items(self):
        return Article.objects.published().for_listing()[:FEED_SIZE]

    def item_title(self, item):
        # Feed readers treat RSS text as HTML: escaped like Django's default (ticket #6533).
        return escape(item.title)

    def item_description(self, item):
        # The dek is plain text; a body excerpt is already HTML text (entities kept).
        return escape(item.dek) if item.dek else strip_tags(item.body)[:280]

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_guid(self, item):
        return absolute(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.public_name

    def item_categories(self, item):
        return [item.category.name]


class CategoryFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj):
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute(f"/feeds/category/{obj.slug}/")

    def description(self, obj):
        return obj.description or f"The latest {obj.name} stories from {settings.SITE_NAME}."

    def items(self, obj):
        return Article.objects.published().for_listing().filter(category=obj)[:FEED_SIZE]
