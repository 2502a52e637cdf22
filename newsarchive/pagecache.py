"""
The full-page cache for anonymous readers: whole responses, never stale.

A page opts in by its URL name in settings.PAGE_CACHE_VIEWS. Its stored
entry remembers the version token (newsarchive.fragments) of every scope it
showed, read before the rows it rendered; each hit reads the current tokens
from the database (one indexed query) and serves only when none has changed.
Writers replace the tokens in their own transaction, so a change is visible
on the next request in every process, whatever the cache kept. Time-based
changes with no write to bump on (a scheduled article going live, comments
closing, the masthead's date) end the entry's life instead: see `until()`.

What is per reader never enters an entry: the middleware serves and stores
only requests that carry none of settings.PAGE_CACHE_PERSONAL_COOKIES (a
session, messages, a pending or editable comment, saved commenter details),
and a response that sets a cookie or says private / no-store is not stored.
Per-response values a page must not share (the CSP nonce, a form's signed
timestamp) are replaced on every serve (`fill_on_serve()`).
"""

import functools
import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)
from django.utils.csp import CSP
from django.utils.http import http_date, urlencode
from django.utils.module_loading import import_string

from newsarchive import cache, fragments

# v2: a page is stored cut at its per-serve values (`_split()`).
KEY_PREFIX = "page:v2:"
HIT_HEADER = "X-Page-Cache"
# Headers of a stored response that belong to that one response.
_NOT_STORED = {"set-cookie", "date", "content-length"}


class _State:
    """What a cacheable request's page showed, gathered while it renders."""

    def __init__(self) -> None:
        self.tokens: dict[str, str] = {}
        self.until: list[datetime] = []
        self.fills: list[tuple[str, str, dict]] = []
        self.expiry: dict[str, datetime | None] = {}


def _state(request: HttpRequest | None) -> _State | None:
    return getattr(request, "_page_cache", None) if request is not None else None


def token_for(request: HttpRequest | None, scope: str) -> str:
    """
    The scope's current token, recorded as shown by this page. Call it before
    reading the rows the scope covers, so that a write committed meanwhile
    leaves the entry with the older token (and it is never served).
    """
    return tokens_for(request, scope)[scope]


def tokens_for(request: HttpRequest | None, *scopes: str) -> dict[str, str]:
    """
    token_for() for several scopes in one query. A request reads each scope's
    token once, cached page or not: the fragments of one page then all carry
    the same versions.
    """
    state = _state(request)
    if state is not None:
        known = state.tokens
    elif request is not None:
        known = request.__dict__.setdefault("_fragment_tokens", {})
    else:
        known = {}
    missing = [scope for scope in scopes if scope not in known]
    if missing:
        known.update(fragments.tokens(*missing))
    return {scope: known[scope] for scope in scopes}


def valid_until(request: HttpRequest | None, when: datetime | None) -> None:
    """This page changes at `when` with no write (e.g. comments close)."""
    state = _state(request)
    # A time already past changed the page before it was rendered.
    if state is not None and when is not None and when > timezone.now():
        state.until.append(when)


def expiry(request: HttpRequest | None, path: str) -> datetime | None:
    """The time `path()` (one of PAGE_CACHE_EXPIRY) names, read once per
    rendered page: the page's own code and the stored entry's end share it."""
    state = _state(request)
    if state is not None:
        return _expiry(state.expiry, path)
    if request is None:
        return import_string(path)()
    # A page rendered for no stored entry still reads each time once.
    return _expiry(request.__dict__.setdefault("_expiry", {}), path)


def _expiry(known: dict, path: str) -> datetime | None:
    if path not in known:
        known[path] = import_string(path)()
    return known[path]


def fill_on_serve(request: HttpRequest | None, value: str, path: str, **kwargs) -> None:
    """
    Serve `value` (unique in the page) as a fresh `path(**kwargs)` each time:
    `path` names a function importable in every process, so an entry stored
    by one serves in another.
    """
    state = _state(request)
    if state is not None and value:
        state.fills.append((value, path, kwargs))


def next_local_midnight() -> datetime:
    """Pages show today's date in the masthead."""
    today = timezone.localdate()
    start = datetime.combine(today + timedelta(days=1), datetime.min.time())
    return timezone.make_aware(start)


def is_personal(request: HttpRequest) -> bool:
    return any(name in request.COOKIES for name in settings.PAGE_CACHE_PERSONAL_COOKIES)


def _key(request: HttpRequest) -> str:
    # The query as the page sees it (only_known_params), in a fixed order.
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    raw = f"{request.get_host()}{request.path}?{query}"
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def only_known_params(request: HttpRequest) -> None:
    """
    Drop query parameters no cached page reads (PAGE_CACHE_QUERY_PARAMS):
    a reader from `?utm_source=…&fbclid=…` gets the page everyone gets,
    from its one entry, and made-up parameters cannot fill the cache with
    copies of one page. The page renders as if they were never sent, so
    its links do not carry them either.
    """
    allowed = settings.PAGE_CACHE_QUERY_PARAMS
    if all(name in allowed for name in request.GET):
        return
    kept = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name in allowed:
            kept.setlist(name, values)
    kept._mutable = False
    request.GET = kept


@functools.lru_cache(maxsize=4096)
def _view_name(path: str) -> str | None:
    # Resolving walks every URL pattern; a hit should not. Bounded, so that
    # made-up paths cost memory once at most.
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


@receiver(setting_changed)
def _urls_changed(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _view_name.cache_clear()


def _opted_in(request: HttpRequest) -> bool:
    return _view_name(request.path_info) in settings.PAGE_CACHE_VIEWS


def _shared_headers(response: HttpResponseBase) -> None:
    """Anyone may keep it briefly; browsers revalidate (ETag / 304) each time."""
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=settings.PAGE_CACHE_SHARED_SECONDS,
    )
    vary = [
        v.strip()
        for v in response.headers.get("Vary", "").split(",")
        if v.strip() and v.strip().lower() != "cookie"
    ]
    if vary:
        response.headers["Vary"] = ", ".join(vary)
    elif "Vary" in response.headers:
        del response.headers["Vary"]


def _serve(request: HttpRequest, entry: dict) -> HttpResponseBase:
    etag, modified = entry["etag"], entry["modified"]
    conditional = get_conditional_response(request, etag=etag, last_modified=modified)
    if conditional is not None:
        # No CSP header on a 304: the browser's stored copy keeps its own nonce.
        conditional.headers["ETag"] = etag
        conditional.headers["Last-Modified"] = http_date(modified)
        conditional.headers[HIT_HEADER] = "hit"
        _shared_headers(conditional)
        return conditional
    headers = dict(entry["headers"])
    values = [
        import_string(path)(**kwargs).encode() for _, path, kwargs in entry["fills"]
    ]
    if entry["nonce"]:
        nonce = secrets.token_urlsafe(16)
        values.append(nonce.encode())
        for name in (CSP.HEADER_ENFORCE, CSP.HEADER_REPORT_ONLY):
            if name in headers:
                headers[name] = headers[name].replace(entry["nonce"], nonce)
    # One pass over the page: its fixed parts, each slot's fresh value between.
    parts = entry["parts"]
    pieces = [parts[0]]
    for slot, part in zip(entry["slots"], parts[1:], strict=True):
        pieces.append(values[slot])
        pieces.append(part)
    body = b"".join(pieces)
    response = HttpResponse(b"" if request.method == "HEAD" else body, headers=headers)
    response.headers[HIT_HEADER] = "hit"
    # Stated, so the server sends the page whole rather than in chunks.
    response.headers["Content-Length"] = str(len(body))
    return response


def _split(body: bytes, markers: list[str]) -> tuple[list[bytes], list[int]]:
    """
    `body` cut at every occurrence of the markers: the parts between them,
    and for each cut the index of the marker found there, so that a serve
    writes the page once with fresh values instead of searching it for each.
    """
    if not markers:
        return [body], []
    pattern = re.compile(b"|".join(re.escape(m.encode()) for m in markers))
    index = {m.encode(): n for n, m in enumerate(markers)}
    parts, slots, start = [], [], 0
    for match in pattern.finditer(body):
        parts.append(body[start : match.start()])
        slots.append(index[match.group()])
        start = match.end()
    parts.append(body[start:])
    return parts, slots


def _until(state: _State) -> float:
    times = [next_local_midnight(), *state.until]
    for path in settings.PAGE_CACHE_EXPIRY:
        when = _expiry(state.expiry, path)
        if when is not None:
            times.append(when)
    soonest = min(times).timestamp()
    return min(soonest, time.time() + settings.PAGE_CACHE_SECONDS)


def _storable(response: HttpResponseBase) -> bool:
    control = response.headers.get("Cache-Control", "").lower()
    return (
        response.status_code == 200
        and not response.cookies
        and not getattr(response, "streaming", False)
        and "private" not in control
        and "no-store" not in control
        and "no-cache" not in control
    )


def _store(
    request: HttpRequest, response: HttpResponse, state: _State, key: str
) -> dict | None:
    until = _until(state)
    ttl = until - time.time()
    if ttl <= 0:
        return None
    body = response.content
    nonce = getattr(request, "_csp_nonce", None)
    # Weak: served copies differ in their nonce and form timestamps only.
    etag = 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    modified = int(time.time())
    # Fills first, as served: the nonce is appended after their values.
    markers = [value for value, _, _ in state.fills]
    if nonce:
        markers.append(str(nonce))
    parts, slots = _split(body, markers)
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(modified)
    _shared_headers(response)
    entry: dict[str, Any] = {
        "tokens": state.tokens,
        "until": until,
        "etag": etag,
        "modified": modified,
        "size": len(body),
        "parts": parts,
        "slots": slots,
        "headers": [
            (name, value)
            for name, value in response.items()
            if name.lower() not in _NOT_STORED and name != HIT_HEADER
        ],
        "nonce": str(nonce) if nonce else "",
        "fills": state.fills,
    }
    cache.set(key, entry, ttl)
    local_copies.put(key, entry)
    return entry


class LocalCopies:
    """
    This process's own copies of entries it stored or served, so that a hit
    costs no read from the shared cache (a round trip and unpickling the
    whole page). A copy is checked against the database's tokens and its
    `until` exactly as a shared entry is, so it can never be staler than the
    shared cache; another process never needs to see it. Bounded in bytes,
    least recently served first out.
    """

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[str, str], dict] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def _key(key: str) -> tuple[str, str]:
        # The shared cache's prefix is part of an entry's name: a new prefix
        # (a test's own, or a site's on a shared Redis) is a new cache.
        return (settings.CACHES.get(cache.BACKING_ALIAS, {}).get("KEY_PREFIX", ""), key)

    def get(self, key: str) -> dict | None:
        name = self._key(key)
        with self._lock:
            entry = self._entries.get(name)
            if entry is not None:
                self._entries.move_to_end(name)
            return entry

    def put(self, key: str, entry: dict) -> None:
        limit = settings.PAGE_CACHE_LOCAL_BYTES
        size = entry["size"]
        name = self._key(key)
        with self._lock:
            self._drop(name)
            if size > limit // 4:
                return
            self._entries[name] = entry
            self._bytes += size
            while self._bytes > limit:
                self._drop(next(iter(self._entries)))

    def discard(self, key: str) -> None:
        with self._lock:
            self._drop(self._key(key))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    @property
    def bytes(self) -> int:
        return self._bytes

    def _drop(self, name: tuple[str, str]) -> None:
        entry = self._entries.pop(name, None)
        if entry is not None:
            self._bytes -= entry["size"]


local_copies = LocalCopies()


def _read_tokens(scopes) -> dict[str, str]:
    """
    A hit's one query doubles as the connection's health check, which would
    otherwise add a SELECT 1 round trip before it (CONN_HEALTH_CHECKS): a
    connection that died while idle fails it, and it runs again on a new one.
    """
    conn = connections[DEFAULT_DB_ALIAS]
    if (
        not conn.health_check_enabled
        or conn.health_check_done
        or conn.connection is None
        or conn.in_atomic_block
    ):
        return fragments.tokens(*scopes)
    conn.health_check_done = True
    try:
        return fragments.tokens(*scopes)
    except (OperationalError, InterfaceError):
        conn.close()
        return fragments.tokens(*scopes)


def _current(entry: dict, known: dict[str, str]) -> tuple[bool, dict[str, str]]:
    """Whether the entry may be served, and the tokens read to decide
    (`known`: tokens this request read already, not read again)."""
    if known.keys() >= entry["tokens"].keys():
        current = {scope: known[scope] for scope in entry["tokens"]}
    else:
        current = _read_tokens(entry["tokens"])
    return current == entry["tokens"] and time.time() < entry["until"], current


class PageCacheMiddleware:
    """
    Serves opted-in pages to anonymous readers from the shared cache. Placed
    before the session middleware, so a hit costs no session, CSRF or user
    lookup: one token query, and a cache read unless this process kept its
    own copy (LocalCopies).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if (
            not settings.PAGE_CACHE
            or request.method not in ("GET", "HEAD")
            or not _opted_in(request)
        ):
            return self.get_response(request)
        if is_personal(request):
            response = self.get_response(request)
            # Never kept by a proxy or CDN: it is this reader's page.
            add_never_cache_headers(response)
            return response

        only_known_params(request)
        key = _key(request)
        state = _State()
        entry = local_copies.get(key)
        if entry is not None:
            fresh, current = _current(entry, state.tokens)
            if fresh:
                return _serve(request, entry)
            local_copies.discard(key)
            # Read before rendering: the new entry's tokens predate its rows.
            state.tokens.update(current)
        entry = cache.get(key)
        if isinstance(entry, dict):
            fresh, current = _current(entry, state.tokens)
            if fresh:
                local_copies.put(key, entry)
                return _serve(request, entry)
            state.tokens.update(current)
        missing = [s for s in settings.PAGE_CACHE_SCOPES if s not in state.tokens]
        if missing:
            state.tokens.update(fragments.tokens(*missing))

        request._page_cache = state
        response = self.get_response(request)
        if not _storable(response) or request.method != "GET":
            return response
        entry = _store(request, response, state, key)
        if entry is None:
            return response
        response.headers[HIT_HEADER] = "miss"
        conditional = get_conditional_response(
            request, etag=entry["etag"], last_modified=entry["modified"]
        )
        return conditional if conditional is not None else response
