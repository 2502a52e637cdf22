"""
The per-article comments version that keys the cached comment list.

Stored in Django's cache (shared by every app server); bumped by the only
code that changes what readers see of a comment: moderation._write (every
status change and every author edit) and the purge's re-attaching of replies.
"""

import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache

# The bump happens inside the writing transaction. A list rendered before
# that commits would show the old rows under the new version, so for a few
# seconds after a bump lists are rendered fresh and not stored.
SETTLE_SECONDS = 5


@dataclass(frozen=True)
class Version:
    token: str
    settled: bool


def _key(article_id: int) -> str:
    return f"comments:version:{article_id}"


def comments_version(*, article_id: int) -> Version:
    key = _key(article_id)
    value = cache.get(key)
    if not (isinstance(value, tuple) and len(value) == 2):
        value = (uuid.uuid4().hex, 0.0)
        # add(): two first readers racing agree on one version.
        if not cache.add(key, value, timeout=None):
            value = cache.get(key) or value
            if not (isinstance(value, tuple) and len(value) == 2):
                value = (uuid.uuid4().hex, 0.0)
                cache.set(key, value, timeout=None)
    token, bumped_at = value
    return Version(token=token, settled=time.time() - bumped_at >= SETTLE_SECONDS)


def bump_comments_version(*, article_id: int) -> None:
    cache.set(_key(article_id), (uuid.uuid4().hex, time.time()), timeout=None)
