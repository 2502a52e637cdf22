from django.conf import settings


def site(request):
    """Site-wide names every template needs (title, canonical origin)."""
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}
