"""The moderation queue: pending and reported first, bulk actions, bans, and the log."""

from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.utils.html import format_html

from . import services
from .models import Comment, CommentBan, ModerationAction, Report

Action = ModerationAction.Action
QUEUE_ORDER = Case(
    When(status=Comment.Status.PENDING, then=Value(0)),
    When(report_count__gt=0, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class ReportedFilter(admin.SimpleListFilter):
    title = "reports"
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", "Reported"), ("no", "Not reported")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(report_count__gt=0)
        if self.value() == "no":
            return queryset.filter(report_count=0)
        return queryset


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    can_delete = False
    fields = ("reason", "note", "reporter", "created_at", "resolved_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ActionInline(admin.TabularInline):
    model = ModerationAction
    fk_name = "comment"
    extra = 0
    can_delete = False
    verbose_name_plural = "moderation history"
    fields = ("created_at", "action", "moderator", "from_status", "to_status", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = (
        "excerpt_link",
        "author_name",
        "article",
        "status",
        "report_count",
        "created_at",
        "in_context",
    )
    list_display_links = None
    list_filter = ("status", ReportedFilter, "created_at")
    list_select_related = ("author", "article")
    search_fields = (
        "body",
        "author__username",
        "author__display_name",
        "author__email",
        "article__title",
    )
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = ("approve_selected", "remove_selected", "spam_selected", "ban_authors")
    fields = (
        "article",
        "author",
        "parent",
        "body",
        "status",
        "in_context",
        "report_count",
        "created_at",
        "edited_at",
        "deleted_at",
    )
    readonly_fields = (
        "article",
        "author",
        "parent",
        "body",
        "in_context",
        "report_count",
        "created_at",
        "edited_at",
        "deleted_at",
    )
    inlines = (ReportInline, ActionInline)

    def get_ordering(self, request):
        # The queue: pending first, then reported, then the rest; newest first in each.
        return [QUEUE_ORDER.asc(), "-created_at", "-pk"]

    def has_add_permission(self, request):
        return False

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def has_ban_permission(self, request):
        return request.user.has_perm("comments.add_commentban")

    def has_change_permission(self, request, obj=None):
        return self.has_moderate_permission(request)

    @admin.display(description="comment", ordering="created_at")
    def excerpt_link(self, obj):
        text = "[deleted by its author]" if obj.deleted_at else obj.excerpt
        return format_html(
            '<a href="{}">{}</a>',
            f"/admin/comments/comment/{obj.pk}/change/",
            text,
        )

    @admin.display(description="author", ordering="author__username")
    def author_name(self, obj):
        if obj.author is None:
            return "[deleted user]"
        return f"{obj.author.public_name} ({obj.author.username})"

    @admin.display(description="in context")
    def in_context(self, obj):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">view on site ↗</a>',
            obj.get_absolute_url(),
        )

    def save_model(self, request, obj, form, change):
        # A status changed in the form goes through the same rules as the bulk actions.
        if "status" in form.changed_data:
            new_status = obj.status
            obj.status = form.initial["status"]
            action = {
                Comment.Status.PUBLISHED: Action.APPROVE,
                Comment.Status.REMOVED: Action.REMOVE,
                Comment.Status.SPAM: Action.SPAM,
            }.get(new_status)
            if action:
                services.moderate_comment(comment=obj, moderator=request.user, action=action)
            else:
                self.message_user(
                    request, "Pending is set by the site, not by hand.", messages.WARNING
                )

    def _moderate(self, request, queryset, action, done):
        count = 0
        for comment in queryset:
            services.moderate_comment(comment=comment, moderator=request.user, action=action)
            count += 1
        self.message_user(request, f"{count} comment{'s' if count != 1 else ''} {done}.")

    @admin.action(description="Approve selected comments", permissions=["moderate"])
    def approve_selected(self, request, queryset):
        self._moderate(request, queryset, Action.APPROVE, "approved")

    @admin.action(description="Remove selected comments", permissions=["moderate"])
    def remove_selected(self, request, queryset):
        self._moderate(request, queryset, Action.REMOVE, "removed")

    @admin.action(description="Mark selected comments as spam", permissions=["moderate"])
    def spam_selected(self, request, queryset):
        self._moderate(request, queryset, Action.SPAM, "marked as spam")

    @admin.action(
        description="Ban the authors from commenting (they can still read and sign in)",
        permissions=["ban"],
    )
    def ban_authors(self, request, queryset):
        authors = {c.author for c in queryset.select_related("author") if c.author}
        for author in authors:
            services.ban_user(user=author, moderator=request.user, reason="Banned from the queue.")
        self.message_user(request, f"{len(authors)} account(s) banned from commenting.")


@admin.register(CommentBan)
class CommentBanAdmin(admin.ModelAdmin):
    list_display = ("user", "reason", "banned_by", "created_at")
    search_fields = ("user__username", "user__email", "user__display_name")
    autocomplete_fields = ("user",)
    fields = ("user", "reason")
    list_select_related = ("user", "banned_by")

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        ban = services.ban_user(user=obj.user, moderator=request.user, reason=obj.reason)
        obj.pk = ban.pk

    def delete_model(self, request, obj):
        services.unban_user(user=obj.user, moderator=request.user)

    def delete_queryset(self, request, queryset):
        for ban in queryset.select_related("user"):
            services.unban_user(user=ban.user, moderator=request.user)


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "moderator", "comment", "target_user", "note")
    list_filter = ("action", "created_at")
    list_select_related = ("moderator", "comment__article", "target_user")
    search_fields = ("moderator__username", "target_user__username", "note")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("comment", "reason", "reporter", "created_at", "resolved_at")
    list_filter = ("reason", "resolved_at")
    list_select_related = ("comment__article", "reporter")
    search_fields = ("comment__body", "reporter__username", "note")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
