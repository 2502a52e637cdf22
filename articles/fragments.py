"""
Versions for cached page fragments (article cards, article bodies).

Fragments are cached in Django's cache (Redis in production, shared by every
app server) under keys that include a content version. Any write to an
article or to what its fragments show (section, tags, authors, bylines,
quotes, sources) stores a new version, so a changed page is never served from
an old fragment; old entries simply expire. No state is kept in the process.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

CONTENT_VERSION_KEY = "articles:content-version"
FRAGMENT_SECONDS = 24 * 60 * 60


def content_version() -> str:
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # add(): two first readers racing agree on one version.
        if not cache.add(CONTENT_VERSION_KEY, version, timeout=None):
            version = cache.get(CONTENT_VERSION_KEY) or version
    return version


def bump_content_version() -> None:
    cache.set(CONTENT_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def content_changed(**kwargs) -> None:
    """Signal receiver: bump now, and again once the write is committed, so a
    page rendered from the old rows during the transaction is not kept."""
    bump_content_version()
    transaction.on_commit(bump_content_version)
