import math

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django_prose_editor.fields import ProseEditorField, create_sanitizer

from newsroom.images import CleanImageField, make_renditions, srcset

# What the body editor offers; the sanitizer allows exactly what these produce.
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Underline": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "ListItem": True,
    "OrderedList": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Figure": True,
    "Caption": True,
    "Image": True,
    "HardBreak": True,
    "History": True,
    "Menu": True,
}

sanitize_body = create_sanitizer(BODY_EXTENSIONS)

WORDS_PER_MINUTE = 230


class Category(models.Model):
    """A section of the site: Politics, Business, Culture…"""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True, help_text="Used in the section's URL.")
    description = models.TextField(blank=True, help_text="Shown at the top of the section page.")
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are listed in the navigation by this number, lowest first."
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "section"
        verbose_name_plural = "sections"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one door for public pages: published, and due (scheduled ones wait)."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self):
        from comments.discussion import listing_comment_count  # comments builds on articles

        return (
            self.select_related("author", "category")
            .annotate(comment_count=listing_comment_count())
            .order_by("-published_at", "-pk")
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200, help_text="The headline.")
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The story's address: /articles/<slug>/."
    )
    dek = models.TextField(
        "dek",
        max_length=400,
        blank=True,
        help_text="The standfirst: one or two sentences under the headline.",
    )
    body = ProseEditorField(extensions=BODY_EXTENSIONS, sanitize=True, blank=True)
    status = models.CharField(
        max_length=10,
        choices=Status,
        default=Status.DRAFT,
        help_text="Draft → In review → Published. Only editors can publish.",
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the story goes live. A future time schedules it; "
        "empty means now, at publication.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles"
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name="section"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    featured = models.BooleanField(default=False, help_text="Featured stories lead the front page.")

    hero_image = CleanImageField(
        upload_to="articles/%Y/%m/",
        blank=True,
        width_field="hero_width",
        height_field="hero_height",
        help_text="JPEG, PNG, WebP or GIF; at least 1600 px wide looks best.",
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_alt = models.CharField(
        "alt text",
        max_length=250,
        blank=True,
        help_text="Describe the picture for readers who cannot see it. Required with an image.",
    )
    hero_caption = models.CharField("caption", max_length=300, blank=True)
    hero_credit = models.CharField("credit", max_length=120, blank=True)
    hero_renditions = models.JSONField(default=dict, blank=True, editable=False)

    source_name = models.CharField(
        max_length=120,
        blank=True,
        help_text="For syndicated stories: the original publisher's name.",
    )
    source_url = models.URLField(
        max_length=500,
        blank=True,
        help_text="For syndicated stories: the original's address. "
        "Readers get an excerpt and a link to it.",
    )
    comments_enabled = models.BooleanField(
        "comments open", default=True, help_text="Untick to close the discussion."
    )
    reading_time = models.PositiveSmallIntegerField(
        default=1, editable=False, help_text="Minutes, from the body's word count."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # PostgreSQL full-text search: filled by a database trigger (so bulk_create and
    # update() keep it current too) and GIN-indexed; see migration 0003. Unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_published_idx"),
            models.Index(
                fields=["category", "status", "-published_at"], name="article_category_idx"
            ),
            models.Index(fields=["author", "status", "-published_at"], name="article_author_idx"),
            models.Index(
                fields=["-published_at"], condition=Q(featured=True), name="article_featured_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hero_image="") | ~Q(hero_alt=""), name="article_hero_needs_alt"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_body(self.body or "")
        self.reading_time = compute_reading_time(self.body)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)
        if self.hero_image and self.hero_renditions.get("source") != self.hero_image.name:
            self.hero_renditions = {
                "source": self.hero_image.name,
                "sizes": make_renditions(self.hero_image),
            }
            super().save(update_fields=["hero_renditions"])
        elif not self.hero_image and self.hero_renditions:
            self.hero_renditions = {}
            super().save(update_fields=["hero_renditions"])

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        errors = {}
        if self.hero_image and not self.hero_alt.strip():
            errors["hero_alt"] = "Describe the image for readers who cannot see it."
        if self.source_url and not self.source_name.strip():
            errors["source_name"] = "Name the original publisher of a syndicated story."
        if errors:
            raise ValidationError(errors)

    @property
    def is_live(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and not self.is_live

    @property
    def is_syndicated(self):
        return bool(self.source_url)

    @property
    def excerpt(self):
        return self.dek or strip_tags(self.body)[:280]

    @property
    def hero_sizes(self):
        return self.hero_renditions.get("sizes", []) if self.hero_image else []

    @property
    def hero_thumbnail_url(self):
        """The smallest rendition, for lists and the admin preview."""
        sizes = self.hero_sizes
        return default_storage.url(sizes[0]["fallback"]) if sizes else self.hero_image.url

    @property
    def hero_srcset_webp(self):
        return srcset(self.hero_sizes, "webp")

    @property
    def hero_srcset_fallback(self):
        return srcset(self.hero_sizes, "fallback")


def compute_reading_time(html):
    return max(1, math.ceil(len(strip_tags(html).split()) / WORDS_PER_MINUTE))
