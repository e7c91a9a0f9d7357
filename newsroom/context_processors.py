from django.conf import settings
from django.utils.functional import SimpleLazyObject


def _sections():
    from articles.models import Category

    return list(Category.objects.all())


def site(request):
    """Site-wide names every template may use; sections are fetched only if shown."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "sections": SimpleLazyObject(_sections),
    }
