"""System checks for the comments app."""

from django.conf import settings
from django.core.checks import Warning, register


@register("comments")
def akismet_key_check(app_configs, **kwargs) -> list[Warning]:
    if settings.AKISMET_API_KEY:
        return []
    return [
        Warning(
            "AKISMET_API_KEY is not set: comments will be held for moderation.",
            hint="Set AKISMET_API_KEY (and AKISMET_SITE_URL) in the environment "
            "to have Akismet check comments, then check the comments held "
            "meanwhile with `manage.py recheck_comments --all-no-key`.",
            id="comments.W001",
        )
    ]
