from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .avatars import make_avatar_renditions
from .models import User


@admin.register(User)
class NewsroomUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (
        ("Profile", {"fields": ("display_name", "bio", "avatar")}),
        ("Reader settings", {"fields": ("email_verified", "notify_on_reply")}),
    )
    list_display = ("username", "display_name", "email", "email_verified", "is_staff", "is_active")
    list_filter = UserAdmin.list_filter + ("email_verified",)
    search_fields = ("username", "display_name", "email")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "avatar" in form.changed_data:
            make_avatar_renditions(obj)
            obj.save(update_fields=["avatar_renditions"])
