from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from newsroom.health import healthz

admin.site.site_header = f"{settings.SITE_NAME} editors"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Newsroom"

urlpatterns = [
    # Usually answered earlier by HealthCheckMiddleware; routed here too for reverse().
    path("healthz", healthz, name="healthz"),
    path("healthz/live", healthz, name="healthz-live"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]

# A database outage anywhere in a request is a themed 503, not a 500.
handler500 = "newsroom.middleware.server_error"

if settings.BENCHMARK_ENDPOINTS:
    from newsroom.ceiling import ceiling

    urlpatterns.insert(0, path("bench/ceiling/", ceiling))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
