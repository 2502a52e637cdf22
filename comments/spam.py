"""
Akismet: the only module that imports akismet.

check_comment() never raises: whatever goes wrong (no key, invalid key,
timeout, refused connection, 5xx, an unexpected body, X-akismet-error) comes
back as an UNCHECKED Verdict with a machine-readable reason, so the caller can
hold the comment and try again later instead of losing it or letting it through.

The HTTP client is akismet's own SyncClient on an httpx client whose transport
sends akismet's absolute https://rest.akismet.com URLs to settings.AKISMET_API_URL
(how the tests reach their local server) and captures the X-akismet-* response
headers, which akismet's API does not return.
"""

import contextvars
import dataclasses
import enum
import functools
import logging
from urllib.parse import urlencode

import akismet
import httpx
from django.conf import settings

from comments.models import HoldReason

logger = logging.getLogger(__name__)

# Where akismet.py sends every request; rewritten onto settings.AKISMET_API_URL.
AKISMET_DEFAULT_URL = "https://rest.akismet.com"

# The argument names akismet.py accepts; anything else in a payload (the
# honeypot field's value, named by honeypot_field_name) is added to the form
# body by the transport, as Akismet's protocol asks.
_KNOWN_ARGUMENTS = frozenset(akismet.AkismetArguments.__optional_keys__) | {"user_ip"}
# Keys of a stored payload that akismet.py adds itself.
_CLIENT_ADDED = frozenset({"api_key", "blog"})


class Kind(enum.StrEnum):
    HAM = "ham"
    SPAM = "spam"
    DISCARD = "discard"
    UNCHECKED = "unchecked"


@dataclasses.dataclass(frozen=True)
class Verdict:
    kind: Kind
    # For UNCHECKED: a HoldReason value saying why no verdict came back.
    reason: str = ""
    detail: str = ""
    # Every X-akismet-* response header, as sent.
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    # Seconds, when Akismet asked for the comment to be checked again later.
    recheck_after: int | None = None

    def header(self, name: str) -> str:
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), "")


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


# Per call (and per thread): what the transport adds and what it saw.
_exchange: contextvars.ContextVar[_Exchange | None] = contextvars.ContextVar(
    "akismet_exchange", default=None
)


class _AkismetTransport(httpx.BaseTransport):
    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()

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
    exchange = _Exchange(extra_fields=extra)
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
        return Verdict(
            Kind.UNCHECKED, reason=HoldReason.NO_KEY, detail="No Akismet key is set."
        )
    exchange = None
    try:
        result, exchange = _call("comment_check", payload)
    except Exception as exc:  # noqa: BLE001 - any failure means "hold and retry"
        reason, detail = _failure(exc)
        logger.warning("Akismet comment-check failed: %s", detail, exc_info=exc)
        return Verdict(Kind.UNCHECKED, reason=reason, detail=detail)
    verdict = Verdict(Kind.HAM, headers=exchange.headers)
    if error := verdict.header("X-akismet-error"):
        return dataclasses.replace(
            verdict,
            kind=Kind.UNCHECKED,
            reason=HoldReason.AKISMET_ERROR,
            detail=f"Akismet error: {error}"[:300],
        )
    kind = {
        akismet.CheckResponse.HAM: Kind.HAM,
        akismet.CheckResponse.SPAM: Kind.SPAM,
        akismet.CheckResponse.DISCARD: Kind.DISCARD,
    }[result]
    recheck = verdict.header("X-akismet-recheck-after")
    return dataclasses.replace(
        verdict,
        kind=kind,
        recheck_after=_parse_seconds(recheck) if recheck else None,
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
