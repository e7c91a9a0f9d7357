from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from comments.discussion import discussion_annotations
from newsroom.pagecache import version_tokens

from .models import Article, Category, Tag
from .search import clean_query, highlight, search_articles

RELATED_COUNT = 4
RELATED_CANDIDATES = 40
SECTION_BLOCK_SIZE = 3
# An edit within this long of publication is part of publishing, not an update.
UPDATE_NOTICE_AFTER = timedelta(minutes=10)


class PublishedListView(ListView):
    """A paginated list of live stories; bad page numbers land on a real page."""

    paginate_by = settings.ARTICLES_PER_PAGE
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


class FrontPageView(PublishedListView):
    """The lead story (featured, else newest), the latest stories, then a block per section."""

    template_name = "articles/front.html"

    def get_queryset(self):
        published = super().get_queryset()
        self.lead = published.order_by("-featured", "-published_at", "-pk").first()
        return published.exclude(pk=self.lead.pk) if self.lead else published

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        first_page = context["page_obj"].number == 1
        context["lead"] = self.lead if first_page else None
        context["section_blocks"] = self.section_blocks() if first_page and self.lead else []
        return context

    def section_blocks(self):
        """The newest few stories of each section but the lead, in one query (a window)."""
        newest = (
            Article.objects.published()
            .for_listing()
            .exclude(pk=self.lead.pk)
            .annotate(
                row=Window(
                    RowNumber(),
                    partition_by=F("category_id"),
                    order_by=[F("published_at").desc(), F("pk").desc()],
                )
            )
            .filter(row__lte=SECTION_BLOCK_SIZE)
        )
        blocks = {}
        for article in newest:
            blocks.setdefault(article.category, []).append(article)
        return sorted(blocks.items(), key=lambda item: (item[0].order, item[0].name))


class CategoryView(PublishedListView):
    template_name = "articles/listing.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filter(category=self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.category.name,
            kicker="Section",
            description=self.category.description,
            current_section=self.category.slug,
            feed_url=f"/feeds/category/{self.category.slug}/",
            **kwargs,
        )


class TagView(PublishedListView):
    template_name = "articles/listing.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.tag.name, kicker="Topic", show_section=True, **kwargs
        )


class AuthorView(PublishedListView):
    template_name = "articles/author.html"

    def get_queryset(self):
        self.author = get_object_or_404(
            get_user_model(), username=self.kwargs["username"], is_active=True
        )
        return super().get_queryset().filter(author=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.author.public_name, profile=self.author, show_section=True, **kwargs
        )


class SearchView(PublishedListView):
    template_name = "articles/search.html"

    def get_queryset(self):
        self.query = clean_query(self.request.GET.get("q", ""))
        if not self.query:
            return Article.objects.none()
        return search_articles(super().get_queryset(), self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(query=self.query, **kwargs)
        for article in context["articles"]:
            article.highlighted = highlight(getattr(article, "snippet", ""))
        return context


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        queryset = (
            Article.objects.select_related("author", "category")
            .prefetch_related("tags")
            .annotate(**discussion_annotations(self.request.user))  # counts: no extra query
        )
        if self.request.user.is_staff:
            # Staff preview drafts and scheduled stories at their public address.
            return queryset
        return queryset.published()

    def get_context_data(self, **kwargs):
        article = self.object
        show_updated = bool(
            article.published_at and article.updated_at - article.published_at > UPDATE_NOTICE_AFTER
        )
        return super().get_context_data(
            related=self.related(),
            show_updated=show_updated,
            current_section=article.category.slug,
            **kwargs,
        )

    def related(self):
        """Related stories, remembered until any story changes (a new comment does not)."""
        key = f"related:{self.object.pk}:" + version_tokens(["articles"])[0]
        related = cache.get(key)
        if related is None:
            related = self.find_related()
            # A scheduled story joins related lists within PAGE_CACHE_SECONDS of going live.
            cache.set(key, related, settings.PAGE_CACHE_SECONDS)
        return related

    def find_related(self):
        """Live stories sharing tags (most shared first) or the section; one query.

        Only the newest few dozen candidates are ranked, so the cost stays flat
        however large the archive grows.
        """
        article = self.object
        tag_ids = [tag.pk for tag in article.tags.all()]  # already prefetched
        same_tags = Article.tags.through.objects.filter(tag_id__in=tag_ids).values("article_id")
        newest_candidates = (
            Article.objects.published()
            .filter(Q(category_id=article.category_id) | Q(pk__in=same_tags))
            .exclude(pk=article.pk)
            .order_by("-published_at", "-pk")
            .values("pk")[:RELATED_CANDIDATES]
        )
        related = Article.objects.filter(pk__in=newest_candidates).select_related(
            "author", "category"
        )
        if tag_ids:
            related = related.annotate(shared=Count("tags", filter=Q(tags__in=tag_ids)))
            return list(related.order_by("-shared", "-published_at", "-pk")[:RELATED_COUNT])
        return list(related.order_by("-published_at", "-pk")[:RELATED_COUNT])


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /search/",
        "",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
