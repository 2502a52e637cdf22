"""
The one door to Django's cache: every cache call in the project goes through here.

A cache is an optimisation, never the only copy of anything, so a cache that
fails (Redis stopped, a full disk, a locked SQLite file) is treated as a miss:
reads return the default, writes do nothing, and the error is logged at most
once a minute per process so that an outage does not flood the log. Callers
that must know whether the cache answered (flood and duplicate control, which
then fall back to database queries) use `add()`, whose `None` means "unknown".

The same rule covers code we do not call ourselves (the `{% cache %}` template
tag): settings make the default cache a FaultTolerantCache over the real one,
configured as the "backing" alias.
"""

import logging
import threading
import time
from collections import OrderedDict
from contextvars import ContextVar
from typing import Any

from django.core.cache import caches
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.db import BaseDatabaseCache

BACKING_ALIAS = "backing"

logger = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 60
# After a failure the cache is left alone this long, so that a cache that
# hangs (each call waiting for its socket timeout) costs one wait per pause,
# not one per fragment. Only this process's own pacing, never shared state.
PAUSE_SECONDS = 5
_last_logged = 0.0
_paused_until = 0.0
_log_lock = threading.Lock()


class _Paused(Exception):
    """The cache failed a moment ago: treated as failing, without asking it."""


def _check_paused() -> None:
    if time.monotonic() < _paused_until:
        raise _Paused


def reset() -> None:
    """Forget an earlier failure and the read-ahead's hints (tests; a
    process that knows better)."""
    global _paused_until, _last_logged
    _paused_until = _last_logged = 0.0
    with _hints_lock:
        _hints.clear()


def _failed(operation: str, exc: Exception) -> None:
    global _last_logged, _paused_until
    if isinstance(exc, _Paused):
        return
    now = time.monotonic()
    with _log_lock:
        _paused_until = now + PAUSE_SECONDS
        if now - _last_logged < LOG_EVERY_SECONDS:
            return
        _last_logged = now
    logger.warning(
        "Cache %s failed (%s: %s); serving without the cache",
        operation,
        type(exc).__name__,
        exc,
    )


class _RedisCacheClient(django_redis.RedisCacheClient):
    """
    Django's client builds a redis-py client on every call, copying its ~170
    response callbacks each time: a fifth of a millisecond of CPU, as much
    as the rest of a full-page cache hit. A redis-py client is thread-safe
    and holds no connection of its own, so one per pool does.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(
                id(pool), self._client(connection_pool=pool)
            )
        return client


class RedisCache(django_redis.RedisCache):
    """Django's Redis cache with a client made once per pool."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _RedisCacheClient


# Read-ahead ---------------------------------------------------------------
#
# A page reads its five or six cache entries one round trip at a time, as its
# template reaches them. Within a request (ReadAheadMiddleware), the first
# read fetches, in one get_many, every key the same address read last time
# in this process, and later reads of those keys take the values fetched.
# Keys name the tokens their content was made for, so a value read a few
# milliseconds early is the one the later read would get. The hints are this
# process's own and only save round trips: a wrong or missing one costs what
# the page costs without them.

READ_AHEAD_PATHS = 2_000  # addresses whose keys are remembered, per process
_hints: OrderedDict[str, tuple[str, ...]] = OrderedDict()
_hints_lock = threading.Lock()


class _ReadAhead:
    __slots__ = ("path", "fetched", "values", "read")

    def __init__(self, path: str) -> None:
        self.path = path
        self.fetched = False
        self.values: dict[str, Any] = {}
        self.read: list[str] = []


_request: ContextVar[_ReadAhead | None] = ContextVar("cache_read_ahead", default=None)


def begin_read_ahead(path: str):
    """Start a request's read-ahead for `path`; returns end_read_ahead's token."""
    return _request.set(_ReadAhead(path))


def end_read_ahead(token) -> None:
    """Remember the keys the request read, for the next one to `path`."""
    ahead = _request.get()
    _request.reset(token)
    if ahead is None or not ahead.read:
        return
    keys = tuple(dict.fromkeys(ahead.read))
    with _hints_lock:
        _hints[ahead.path] = keys
        _hints.move_to_end(ahead.path)
        while len(_hints) > READ_AHEAD_PATHS:
            _hints.popitem(last=False)


def _read(key: str, read) -> Any:
    """`read()`, unless this request's read-ahead fetched `key` already."""
    ahead = _request.get()
    if ahead is None:
        return read()
    ahead.read.append(key)
    if not ahead.fetched:
        ahead.fetched = True
        keys = _hints.get(ahead.path, ())
        if keys:
            keys = keys if key in keys else (*keys, key)
            ahead.values = _attempt("get_many", {}, lambda: _backing().get_many(keys))
    if key in ahead.values:
        # Once: a later read of the key asks the cache again.
        return ahead.values.pop(key)
    return read()


def _written(*keys: str) -> None:
    """A write in this request: its keys are no longer what was read ahead."""
    ahead = _request.get()
    if ahead is not None:
        for key in keys:
            ahead.values.pop(key, None)


class FaultTolerantCache(BaseCache):
    """Django's cache API over the backing cache, a failure counting as a miss."""

    def __init__(self, location: str, params: dict) -> None:
        super().__init__(params)
        self._alias = params.get("OPTIONS", {}).get("BACKING", BACKING_ALIAS)

    @property
    def backing(self) -> BaseCache:
        return caches[self._alias]

    def _try(self, operation: str, default: Any, *args, **kwargs) -> Any:
        return _attempt(
            operation,
            default,
            lambda: getattr(self.backing, operation)(*args, **kwargs),
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        _written(key)
        return self._try("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        if version is not None:
            return self._try("get", default, key, default, version)
        return _read(key, lambda: self._try("get", default, key, default))

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        _written(key)
        self._try("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        _written(key)
        return self._try("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._try("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._try("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        _written(key)
        # A missing key still raises ValueError, as Django's API says.
        try:
            _check_paused()
            return self.backing.incr(key, delta, version)
        except ValueError:
            raise
        except Exception as exc:  # noqa: BLE001
            _failed("incr", exc)
            raise ValueError(f"Key {key!r} not found (cache unavailable)") from exc

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        _written(*data)
        return self._try("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        _written(*keys)
        self._try("delete_many", None, keys, version)

    def clear(self):
        ahead = _request.get()
        if ahead is not None:
            ahead.values.clear()
        self._try("clear", None)

    def close(self, **kwargs):
        self._try("close", None, **kwargs)


def _backing() -> BaseCache:
    default = caches["default"]
    return default.backing if isinstance(default, FaultTolerantCache) else default


def _attempt(operation: str, default: Any, call):
    """`call()`, or `default` when the cache fails or is paused."""
    try:
        _check_paused()
        return call()
    except Exception as exc:  # noqa: BLE001 - any cache fault is a miss
        _failed(operation, exc)
        return default


def get(key: str, default: Any = None) -> Any:
    return _read(
        key, lambda: _attempt("get", default, lambda: _backing().get(key, default))
    )


def get_many(keys: list[str]) -> dict[str, Any]:
    return _attempt("get_many", {}, lambda: _backing().get_many(keys))


def set(key: str, value: Any, timeout: float | None) -> bool:  # noqa: A001
    """Store `value`; False when the cache could not take it."""

    def store() -> bool:
        _backing().set(key, value, timeout=timeout)
        return True

    _written(key)

    return _attempt("set", False, store)


def get_or_compute(key: str, compute, timeout: float | None) -> Any:
    """The cached value of `key`, or `compute()` stored under it (None is
    never stored, so it is computed again)."""
    value = get(key)
    if value is None:
        value = compute()
        set(key, value, timeout)
    return value


def add(key: str, value: Any, timeout: float | None) -> bool | None:
    """
    Store `value` only if `key` is absent (atomic on Redis and the database
    cache). True: stored; False: the key was there; None: the cache failed, so
    nobody knows, and the caller decides what a miss means.
    """

    _written(key)

    def claim() -> bool | None:
        backing = _backing()
        if backing.add(key, value, timeout=timeout):
            return True
        if isinstance(backing, BaseDatabaseCache) and not backing.has_key(key):
            # The database cache answers False for a failed write too (a
            # locked SQLite file): with no key there, nobody knows.
            _failed("add", RuntimeError("the database cache refused a write"))
            return None
        return False

    return _attempt("add", None, claim)


def delete(key: str) -> None:
    _written(key)
    _attempt("delete", None, lambda: _backing().delete(key))


def incr(key: str, delta: int = 1) -> int | None:
    """The new value, or None when the key is missing or the cache failed."""
    _written(key)

    def count() -> int | None:
        try:
            return _backing().incr(key, delta)
        except ValueError:  # missing: not a fault of the cache
            return None

    return _attempt("incr", None, count)


class ReadAheadMiddleware:
    """Each GET's cache reads go through a read-ahead (see begin_read_ahead)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = begin_read_ahead(request.get_full_path())
        try:
            return self.get_response(request)
        finally:
            end_read_ahead(token)
