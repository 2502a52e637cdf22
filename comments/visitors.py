"""Who sent a request: the reader's address and browser, as the pipeline keeps them."""

import dataclasses
import ipaddress

from django.conf import settings
from django.http import HttpRequest


@dataclasses.dataclass(frozen=True)
class RequestMeta:
    ip: str | None
    user_agent: str = ""
    referrer: str = ""


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """
    The reader's address: REMOTE_ADDR, or, behind COMMENTS_TRUSTED_PROXIES
    proxies that each append to X-Forwarded-For, the address the outermost
    trusted proxy saw. Entries further left are client-supplied and ignored.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.COMMENTS_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [
        part
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if not forwarded:
        return remote
    return _valid_ip(forwarded[-min(proxies, len(forwarded))]) or remote


def request_meta(request: HttpRequest) -> RequestMeta:
    return RequestMeta(
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        referrer=request.META.get("HTTP_REFERER", ""),
    )
