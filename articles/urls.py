from django.contrib.sitemaps.views import sitemap
from django.urls import path

from comments.discussion import shared_reader_variant
from newsroom.invalidation import (
    article_versions,
    listing_versions,
    seconds_until_next_publication,
)
from newsroom.pagecache import page_cache

from . import feeds, views
from .sitemaps import sitemaps

app_name = "articles"

# Public pages are served from the page cache; see newsroom/pagecache.py.
listing = page_cache(listing_versions, timeout=seconds_until_next_publication)
story = page_cache(
    article_versions,
    signed_in_variant=shared_reader_variant,
    timeout=seconds_until_next_publication,
)

urlpatterns = [
    path("", listing(views.FrontPageView.as_view()), name="front"),
    path("articles/<slug:slug>/", story(views.ArticleDetailView.as_view()), name="detail"),
    path("category/<slug:slug>/", listing(views.CategoryView.as_view()), name="category"),
    path("tag/<slug:slug>/", listing(views.TagView.as_view()), name="tag"),
    path("author/<str:username>/", listing(views.AuthorView.as_view()), name="author"),
    path("search/", listing(views.SearchView.as_view()), name="search"),
    path("feeds/latest/", listing(feeds.LatestFeed()), name="feed_latest"),
    path("feeds/category/<slug:slug>/", listing(feeds.CategoryFeed()), name="feed_category"),
    path("sitemap.xml", listing(sitemap), {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
