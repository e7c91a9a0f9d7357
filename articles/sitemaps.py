"""/sitemap.xml: every live story with its lastmod, and the sections. Absolute URLs use SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from .models import Article, Category


class SiteUrlSitemap(Sitemap):
    limit = 5000

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ArticleSitemap(SiteUrlSitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Article.objects.published().only("slug", "updated_at").order_by("-published_at", "-pk")
        )

    def lastmod(self, article):
        return article.updated_at


class SectionSitemap(SiteUrlSitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return Category.objects.all()


sitemaps = {"sections": SectionSitemap, "articles": ArticleSitemap}
