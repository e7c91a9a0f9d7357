import factory
from django.utils import timezone

from articles.models import Article, Category, Tag
from tests.accounts.factories import UserFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A live, published story unless told otherwise."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Story number {n}")
    slug = factory.Sequence(lambda n: f"story-{n}")
    dek = "A short standfirst."
    body = "<p>The first paragraph.</p><p>The second paragraph.</p>"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=1))
    author = factory.SubFactory(UserFactory)
    category = factory.SubFactory(CategoryFactory)

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.set(extracted)


class DraftFactory(ArticleFactory):
    status = Article.Status.DRAFT
    published_at = None


def admin_article_form(category, **overrides):
    """The fields the admin's article form posts, for a draft; override what a test needs."""
    data = {
        "title": "A headline",
        "slug": "a-headline",
        "dek": "",
        "body": "<p>Body</p>",
        "status": "draft",
        "category": category.pk,
        "hero_alt": "",
        "hero_caption": "",
        "hero_credit": "",
        "source_name": "",
        "source_url": "",
        "comments_enabled": "on",
    }
    data.update(overrides)
    return data
