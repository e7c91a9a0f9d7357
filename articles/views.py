from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import Article, Category, Tag


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
    template_name = "articles/front.html"


class CategoryView(PublishedListView):
    template_name = "articles/listing.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filter(category=self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.category.name, description=self.category.description, **kwargs
        )


class TagView(PublishedListView):
    template_name = "articles/listing.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=f"Tagged “{self.tag.name}”", **kwargs)


class AuthorView(PublishedListView):
    template_name = "articles/author.html"

    def get_queryset(self):
        self.author = get_object_or_404(get_user_model(), username=self.kwargs["username"])
        return super().get_queryset().filter(author=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.author.public_name, profile=self.author, **kwargs
        )


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        queryset = Article.objects.select_related("author", "category").prefetch_related("tags")
        if self.request.user.is_staff:
            # Staff preview drafts and scheduled stories at their public address.
            return queryset
        return queryset.published()
