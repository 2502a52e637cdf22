"""
Akismet: the only module that imports akismet.

check_comment() never raises: whatever goes wrong (no key, invalid key,
timeout, refused connection, 5xx, an unexpected body, X-akismet-error) comes
back as an UNCHECKED Verdict with a machine-readable reason, so the caller can
hold the comment and try again later instead of losing it or letting it through.

The HTTP client is akismet's own SyncClient on an httpx client whose transport
sends akismet's absolute https://rest.akismet.com URLs to settings.AKISMET_API_URL
(how the tests reach their local server) and captures the X-akismet-* response
headers, which akismet's API does not return. It also holds each call to one
deadline of AKISMET_TIMEOUT in all, however slowly Akismet dribbles its answer
(httpx's own timeouts are per read).
"""

import contextvars
import dataclasses
import functools
import logging
import time
from datetime import UTC, datetime
from urllib.parse import urlencode

import akismet
import httpcore
import httpx
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.utils import translation

from articles.models import Article
from comments.models import AkismetVerdict, HoldReason

logger = logging.getLogger(__name__)

# Where akismet.py sends every request; rewritten onto settings.AKISMET_API_URL.
AKISMET_DEFAULT_URL = "https://rest.akismet.com"

# The argument names akismet.py accepts; anything else in a payload (the
# honeypot field's value, named by honeypot_field_name) is added to the form
# body by the transport, as Akismet's protocol asks.
_KNOWN_ARGUMENTS = frozenset(akismet.AkismetArguments.__optional_keys__) | {"user_ip"}
# Keys of a stored payload that akismet.py adds itself.
_CLIENT_ADDED = frozenset({"api_key", "blog"})


@dataclasses.dataclass(frozen=True)
class Verdict:
    # AkismetVerdict.NONE when Akismet could not be asked or gave no answer.
    kind: AkismetVerdict
    # Without a verdict: a HoldReason value saying why none came back.
    reason: str = ""
    detail: str = ""
    # Every X-akismet-* response header, as sent. X-akismet-alert-code/-msg
    # concern the account, not the comment: Akismet asks the site owner to
    # act (each code has a page, e.g. "register a new API key" at
    # https://akismet.com/developers/errors/akismet-error-10005/). The answer
    # itself still counts, and Akismet's WordPress plugin keeps the alert
    # until an answer comes without it (WordPress/WordPress,
    # wp-content/plugins/akismet/class.akismet.php, update_alert()).
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    # Seconds, for a provisional ham: X-akismet-recheck-after comes with a
    # "false" answer while Akismet still checks the comment's links and
    # images in the background, and the plugin keeps such a comment pending
    # until then (class.akismet.php, auto_check_comment()).
    recheck_after: int | None = None

    @property
    def checked(self) -> bool:
        return self.kind != AkismetVerdict.NONE

    def header(self, name: str) -> str:
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), "")


def unchecked(*, reason: str, detail: str) -> Verdict:
    return Verdict(AkismetVerdict.NONE, reason=reason, detail=detail)


@dataclasses.dataclass(frozen=True)
class Feedback:
    """The outcome of submit-spam / submit-ham."""

    ok: bool
    reason: str = ""
    detail: str = ""
    headers: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class _Exchange:
    extra_fields: dict[str, str]
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    # time.monotonic() by which the whole call must be done, or None.
    deadline: float | None = None


# Per call (and per thread): what the transport adds and what it saw.
_exchange: contextvars.ContextVar[_Exchange | None] = contextvars.ContextVar(
    "akismet_exchange", default=None
)


# The overall deadline. httpx's timeout applies to each socket read, so an
# Akismet (or a proxy in front of it) sending a header line every 0.8 s held
# a comment POST for ten seconds under a 1 s timeout. Each socket operation of
# a call (connect, TLS handshake, every write and every read, headers and
# body alike) is given only the time left before the deadline, and none at
# all once it has passed. Running the call in a worker thread with a timeout
# instead would leave that thread reading from the slow Akismet after we gave
# up (under a sustained slowdown abandoned calls pile up and fill the pool),
# need this call's context copied into it, and have the abandoned call put
# its connection back into the shared pool later. Clipped here, the call
# stays in the caller's thread and context, and the ReadTimeout raised part
# way through a response makes httpcore close that connection rather than
# reuse it. Not bounded: the DNS lookup before connecting (getaddrinfo).
def _time_left(timeout: float | None, expired: type[Exception]) -> float | None:
    exchange = _exchange.get()
    if exchange is None or exchange.deadline is None:
        return timeout
    left = exchange.deadline - time.monotonic()
    if left <= 0:
        raise expired(f"Akismet's {settings.AKISMET_TIMEOUT} s deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _time_left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        return _DeadlineStream(
            self._stream.start_tls(
                ssl_context,
                server_hostname,
                _time_left(timeout, httpcore.ConnectTimeout),
            )
        )

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self, host, port, timeout=None, local_address=None, socket_options=None
    ):
        return _DeadlineStream(
            self._backend.connect_tcp(
                host,
                port,
                _time_left(timeout, httpcore.ConnectTimeout),
                local_address,
                socket_options,
            )
        )

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        return _DeadlineStream(
            self._backend.connect_unix_socket(
                path, _time_left(timeout, httpcore.ConnectTimeout), socket_options
            )
        )

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _AkismetTransport(httpx.BaseTransport):
    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()
        # httpx.HTTPTransport takes no network backend, so wrap the one its
        # httpcore pool hands each new connection. Should an upgrade move
        # these, fail loudly rather than silently lose the deadline.
        pool = getattr(self._inner, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if not isinstance(backend, httpcore.NetworkBackend):
            raise RuntimeError("cannot add the Akismet deadline to httpx's pool")
        pool._network_backend = _DeadlineBackend(backend)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        exchange = _exchange.get()
        response = self._inner.handle_request(self._rewrite(request, exchange))
        if exchange is not None:
            # .raw keeps the header names' case as Akismet sent them.
            exchange.headers = {
                k.decode("latin-1"): v.decode("latin-1")
                for k, v in response.headers.raw
                if k.lower().startswith(b"x-akismet-")
            }
        return response

    def close(self) -> None:
        self._inner.close()

    @staticmethod
    def _rewrite(request: httpx.Request, exchange: _Exchange | None) -> httpx.Request:
        url = str(request.url)
        if url.startswith(AKISMET_DEFAULT_URL):
            url = settings.AKISMET_API_URL.rstrip("/") + url[len(AKISMET_DEFAULT_URL) :]
        body = request.read()
        if exchange is not None and exchange.extra_fields and request.method == "POST":
            body += b"&" + urlencode(exchange.extra_fields).encode()
        headers = {
            k: v
            for k, v in request.headers.items()
            if k.lower() not in ("host", "content-length")
        }
        return httpx.Request(
            request.method,
            url,
            headers=headers,
            content=body,
            extensions=request.extensions,
        )


@functools.cache
def _http_client(timeout: float) -> httpx.Client:
    # One pooled client per timeout value: keep-alive connections to Akismet
    # save a TLS handshake on every comment.
    return httpx.Client(
        timeout=timeout,
        headers={"User-Agent": akismet.USER_AGENT},
        transport=_AkismetTransport(),
    )


def _make_client() -> akismet.SyncClient:
    """The seam tests replace with akismet's TestSyncClient."""
    return akismet.SyncClient(
        config=akismet.Config(
            key=settings.AKISMET_API_KEY, url=settings.AKISMET_SITE_URL
        ),
        http_client=_http_client(float(settings.AKISMET_TIMEOUT)),
    )


# Each field build_payload() sends Akismet, in a reader's words, for the
# privacy page (tests/newsarchive/test_privacy_page.py checks none is missing).
FIELDS_IN_WORDS = {
    "comment_author": "your name",
    "comment_author_email": "your email address",
    "comment_author_url": "your website",
    "comment_content": "your comment",
    "user_ip": "your IP address",
    "user_agent": "your browser’s user-agent string",
    "referrer": "the page you came from",
    "permalink": "the article’s address",
    "comment_type": "whether it is a reply",
    "comment_date_gmt": "when you sent it",
    "comment_post_modified_gmt": "when the article was last changed",
    "user_role": "whether you were signed in as staff or a reader",
    "blog": "this site’s address",
    "blog_lang": "the site’s language",
    "blog_charset": "the site’s character set",
    "honeypot_field_name": "the name of a hidden form field, and what was typed in it",
    "is_test": "a “test” flag outside production",
    "recheck_reason": "why it is being checked again",
}


def _gmt(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_payload(
    *,
    article: Article,
    data: dict,
    ip: str | None,
    user_agent: str,
    referrer: str,
    user: AbstractBaseUser | None,
    created: datetime,
    honeypot_field: str,
) -> dict:
    """Akismet's comment-check fields for one comment, stored as sent so that
    later rechecks and spam / ham reports send exactly the same."""
    payload = {
        "blog": settings.AKISMET_SITE_URL,
        "user_ip": ip or "",
        "user_agent": user_agent,
        "referrer": referrer,
        "permalink": settings.SITE_URL + article.get_absolute_url(),
        "comment_type": "reply" if data.get("parent") else "comment",
        "comment_author": data["author_name"],
        "comment_author_email": data["author_email"],
        "comment_author_url": data.get("author_url") or "",
        "comment_content": data["body"],
        "comment_date_gmt": _gmt(created),
        "comment_post_modified_gmt": _gmt(article.updated),
        "blog_lang": translation.to_locale(settings.LANGUAGE_CODE),
        "blog_charset": "UTF-8",
        "honeypot_field_name": honeypot_field,
        honeypot_field: data.get(honeypot_field) or "",
    }
    if user is not None and user.is_authenticated:
        payload["user_role"] = "administrator" if user.is_staff else "subscriber"
    if settings.AKISMET_IS_TEST:
        payload["is_test"] = "1"
    return payload


def without_ip(payload: dict) -> dict | None:
    """The stored payload with the reader's IP address blanked, or None if
    it held none."""
    if not payload.get("user_ip"):
        return None
    return {**payload, "user_ip": ""}


def with_content(payload: dict, body: str) -> dict:
    """The stored payload after its author edited the comment."""
    return {**payload, "comment_content": body}


def _split(payload: dict) -> tuple[dict, dict[str, str]]:
    arguments = {
        k: v
        for k, v in payload.items()
        if k in _KNOWN_ARGUMENTS and k not in _CLIENT_ADDED
    }
    extra = {
        k: str(v)
        for k, v in payload.items()
        if k not in _KNOWN_ARGUMENTS and k not in _CLIENT_ADDED
    }
    return arguments, extra


def _failure(exc: Exception) -> tuple[str, str]:
    """A hold reason and words for whatever stopped the call."""
    if isinstance(exc, akismet.APIKeyError):
        return HoldReason.AKISMET_INVALID_KEY, "Akismet said the API key is invalid."
    if isinstance(exc, akismet.RequestError):
        cause = exc.__cause__
        if isinstance(cause, httpx.HTTPStatusError):
            return (
                HoldReason.AKISMET_ERROR,
                f"Akismet answered HTTP {cause.response.status_code}.",
            )
        if isinstance(cause, httpx.TimeoutException):
            return (
                HoldReason.AKISMET_UNREACHABLE,
                f"Akismet did not answer within {settings.AKISMET_TIMEOUT} s.",
            )
        return (
            HoldReason.AKISMET_UNREACHABLE,
            f"Could not reach Akismet ({type(cause).__name__ if cause else exc}).",
        )
    if isinstance(exc, akismet.ProtocolError):
        return HoldReason.AKISMET_ERROR, "Akismet gave an unexpected answer."
    return HoldReason.AKISMET_ERROR, f"Akismet check failed ({type(exc).__name__})."


def _call(method: str, payload: dict) -> tuple[object, _Exchange]:
    arguments, extra = _split(payload)
    exchange = _Exchange(
        extra_fields=extra,
        deadline=time.monotonic() + float(settings.AKISMET_TIMEOUT),
    )
    token = _exchange.set(exchange)
    try:
        return getattr(_make_client(), method)(**arguments), exchange
    finally:
        _exchange.reset(token)


def _parse_seconds(value: str) -> int:
    try:
        return max(1, int(float(value)))
    except ValueError:
        return 3600


def check_comment(payload: dict) -> Verdict:
    """Ask Akismet's comment-check about one comment; never raises."""
    if not settings.AKISMET_API_KEY:
        return unchecked(reason=HoldReason.NO_KEY, detail="No Akismet key is set.")
    exchange = None
    try:
        result, exchange = _call("comment_check", payload)
    except Exception as exc:  # noqa: BLE001 - any failure means "hold and retry"
        reason, detail = _failure(exc)
        logger.warning("Akismet comment-check failed: %s", detail, exc_info=exc)
        return unchecked(reason=reason, detail=detail)
    verdict = Verdict(AkismetVerdict.HAM, headers=exchange.headers)
    if error := verdict.header("X-akismet-error"):
        return dataclasses.replace(
            verdict,
            kind=AkismetVerdict.NONE,
            reason=HoldReason.AKISMET_ERROR,
            detail=f"Akismet error: {error}"[:300],
        )
    # akismet.py reads "true" plus X-akismet-pro-tip: discard as DISCARD,
    # blatant spam that can be discarded without review
    # (https://pypi.org/project/akismet/25.10.1/, CheckResponse;
    # https://akismet.com/developers/detailed-docs/comment-check/).
    kind = {
        akismet.CheckResponse.HAM: AkismetVerdict.HAM,
        akismet.CheckResponse.SPAM: AkismetVerdict.SPAM,
        akismet.CheckResponse.DISCARD: AkismetVerdict.DISCARD,
    }[result]
    recheck = verdict.header("X-akismet-recheck-after")
    return dataclasses.replace(
        verdict,
        kind=kind,
        # Only a ham is provisional; a spam answer is final.
        recheck_after=_parse_seconds(recheck)
        if recheck and kind == AkismetVerdict.HAM
        else None,
    )


def _submit(method: str, payload: dict) -> Feedback:
    if not settings.AKISMET_API_KEY:
        return Feedback(False, HoldReason.NO_KEY, "No Akismet key is set.")
    # A submission repeats the original check, not a recheck.
    payload = {k: v for k, v in payload.items() if k != "recheck_reason"}
    try:
        _, exchange = _call(method, payload)
    except Exception as exc:  # noqa: BLE001 - reported back as a failed Feedback
        reason, detail = _failure(exc)
        logger.warning("Akismet %s failed: %s", method, detail, exc_info=exc)
        return Feedback(False, reason, detail)
    return Feedback(True, headers=exchange.headers)


def submit_spam(payload: dict) -> Feedback:
    """Tell Akismet it missed a spam comment (payload as stored at submission)."""
    return _submit("submit_spam", payload)


def submit_ham(payload: dict) -> Feedback:
    """Tell Akismet a comment it called spam is fine."""
    return _submit("submit_ham", payload)
