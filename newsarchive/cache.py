"""
The one door to Django's cache: every cache call in the project goes through here.

A cache is an optimisation, never the only copy of anything, so a cache that
fails (Redis stopped, a full disk, a locked SQLite file) is treated as a miss:
reads return the default, writes do nothing, and the error is logged at most
once a minute per process so that an outage does not flood the log. Callers
that must know whether the cache answered (flood and duplicate control, which
then fall back to database queries) use `add()`, whose `None` means "unknown".
"""

import logging
import threading
import time
from typing import Any

from django.core.cache import cache as _cache

logger = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 60
_last_logged = 0.0
_log_lock = threading.Lock()


def _failed(operation: str, exc: Exception) -> None:
    global _last_logged
    now = time.monotonic()
    with _log_lock:
        if now - _last_logged < LOG_EVERY_SECONDS:
            return
        _last_logged = now
    logger.warning(
        "Cache %s failed (%s: %s); serving without the cache",
        operation,
        type(exc).__name__,
        exc,
    )


def get(key: str, default: Any = None) -> Any:
    try:
        return _cache.get(key, default)
    except Exception as exc:  # noqa: BLE001 - any cache fault is a miss
        _failed("get", exc)
        return default


def get_many(keys: list[str]) -> dict[str, Any]:
    try:
        return _cache.get_many(keys)
    except Exception as exc:  # noqa: BLE001
        _failed("get_many", exc)
        return {}


def set(key: str, value: Any, timeout: float | None) -> bool:  # noqa: A001
    """Store `value`; False when the cache could not take it."""
    try:
        _cache.set(key, value, timeout=timeout)
    except Exception as exc:  # noqa: BLE001
        _failed("set", exc)
        return False
    return True


def add(key: str, value: Any, timeout: float | None) -> bool | None:
    """
    Store `value` only if `key` is absent (atomic on Redis and the database
    cache). True: stored; False: the key was there; None: the cache failed, so
    nobody knows, and the caller decides what a miss means.
    """
    try:
        return bool(_cache.add(key, value, timeout=timeout))
    except Exception as exc:  # noqa: BLE001
        _failed("add", exc)
        return None


def delete(key: str) -> None:
    try:
        _cache.delete(key)
    except Exception as exc:  # noqa: BLE001
        _failed("delete", exc)


def incr(key: str, delta: int = 1) -> int | None:
    """The new value, or None when the key is missing or the cache failed."""
    try:
        return _cache.incr(key, delta)
    except ValueError:
        return None
    except Exception as exc:  # noqa: BLE001
        _failed("incr", exc)
        return None
