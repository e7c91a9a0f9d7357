from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html

from .models import Article, Category, Tag
from .publishing import can_publish, publish_article, submit_for_review, unpublish_article

WRITER_STATUSES = [
    (Article.Status.DRAFT.value, Article.Status.DRAFT.label),
    (Article.Status.REVIEW.value, Article.Status.REVIEW.label),
]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order")
    list_editable = ("order",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "state", "author", "category", "published_at", "featured")
    list_filter = (
        "status",
        "category",
        "featured",
        ("author", admin.RelatedOnlyFieldListFilter),
        "published_at",
    )
    list_select_related = ("author", "category")
    search_fields = ("title", "dek", "slug")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("author", "tags")
    readonly_fields = ("hero_preview", "reading_time", "created_at", "updated_at")
    actions = ("publish_selected", "unpublish_selected", "submit_selected_for_review")
    fieldsets = (
        (None, {"fields": ("title", "slug", "dek", "body")}),
        (
            "Publication",
            {
                "fields": (
                    "status",
                    "published_at",
                    "author",
                    "category",
                    "tags",
                    "featured",
                    "comments_enabled",
                )
            },
        ),
        (
            "Hero image",
            {"fields": ("hero_image", "hero_preview", "hero_alt", "hero_caption", "hero_credit")},
        ),
        ("Syndication", {"fields": ("source_name", "source_url"), "classes": ("collapse",)}),
        (
            "Details",
            {"fields": ("reading_time", "created_at", "updated_at"), "classes": ("collapse",)},
        ),
    )

    # Who may do what: editors hold `articles.publish_article`; writers do not.

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if can_publish(request.user):
            return queryset
        return queryset.filter(author=request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or can_publish(request.user):
            return True
        # Writers edit their own unpublished work only.
        return obj.author_id == request.user.pk and obj.status != Article.Status.PUBLISHED

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or can_publish(request.user) or obj.author_id == request.user.pk

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_publish(request.user):
            fields += ["published_at", "author", "featured"]
        return fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not can_publish(request.user):
            kwargs["choices"] = WRITER_STATUSES
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if not change and not can_publish(request.user):
            obj.author = request.user
        was_published = (
            change and Article.objects.filter(pk=obj.pk, status=Article.Status.PUBLISHED).exists()
        )
        if (
            obj.status == Article.Status.PUBLISHED
            and not was_published
            and not can_publish(request.user)
        ):
            # The form already refuses this choice; this guards any other path.
            raise PermissionDenied("Only editors can publish articles.")
        super().save_model(request, obj, form, change)

    @admin.display(description="Status", ordering="status")
    def state(self, obj):
        if obj.is_scheduled:
            return format_html('<span title="{}">Scheduled</span>', obj.published_at)
        return obj.get_status_display()

    @admin.display(description="Preview")
    def hero_preview(self, obj):
        if not obj.hero_image:
            return "No image yet."
        return format_html(
            '<img src="{}" alt="{}" style="max-width:320px;height:auto">',
            obj.hero_thumbnail_url,
            obj.hero_alt,
        )

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        for article in queryset:
            publish_article(article=article, by=request.user)
        self.message_user(request, f"Published {len(queryset)} article(s).", messages.SUCCESS)

    @admin.action(
        description="Unpublish selected articles (back to draft)", permissions=["publish"]
    )
    def unpublish_selected(self, request, queryset):
        for article in queryset:
            unpublish_article(article=article, by=request.user)
        self.message_user(request, f"Unpublished {len(queryset)} article(s).", messages.SUCCESS)

    @admin.action(description="Submit selected drafts for review", permissions=["change"])
    def submit_selected_for_review(self, request, queryset):
        drafts = queryset.filter(status=Article.Status.DRAFT)
        for article in drafts:
            submit_for_review(article=article, by=request.user)
        self.message_user(
            request, f"Submitted {len(drafts)} article(s) for review.", messages.SUCCESS
        )
