"""
Sign-in throttling for the admin: after LOGIN_FAILURES_PER_USERNAME failures
for one username, or LOGIN_FAILURES_PER_IP from one address, within
LOGIN_LOCKOUT_MINUTES, sign-in is refused for them until the window has
passed, before the password is even checked.

Failures are rows in the database (FailedLogin), never process memory or the
cache alone: every app server must count the same failures, and a cache
restart must not forget them. A username lock stops guessing one account's
password from many addresses; an address lock stops one address guessing
across accounts. Administrators lift a lock early with `manage.py
unlock_logins` or the admin's "Failed sign-ins" list.
"""

import dataclasses
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from newsarchive.models import FailedLogin

# Rows this old count for nothing and are deleted as new failures come in.
KEEP = timedelta(days=1)


@dataclasses.dataclass(frozen=True)
class Lockout:
    minutes: int

    @property
    def message(self) -> str:
        return (
            "Too many failed sign-in attempts for this account or from your "
            f"network. Signing in is locked for {self.minutes} minutes; try "
            "again later, or ask an administrator to unlock it sooner."
        )


def normalise(username: str) -> str:
    return (username or "").strip().lower()[:150]


def lockout(*, username: str, ip: str | None) -> Lockout | None:
    """The lock that applies to this username or address, if any (one query)."""
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    since = timezone.now() - timedelta(minutes=minutes)
    counted = {"username": Count("pk", filter=Q(username=normalise(username)))}
    if ip:  # an unknown address is counted by username only
        counted["ip"] = Count("pk", filter=Q(ip=ip))
    counts = FailedLogin.objects.filter(at__gte=since).aggregate(**counted)
    if (
        counts["username"] >= settings.LOGIN_FAILURES_PER_USERNAME
        or counts.get("ip", 0) >= settings.LOGIN_FAILURES_PER_IP
    ):
        return Lockout(minutes=minutes)
    return None


def record_failure(*, username: str, ip: str | None) -> None:
    now = timezone.now()
    FailedLogin.objects.create(username=normalise(username), ip=ip, at=now)
    FailedLogin.objects.filter(at__lt=now - KEEP).delete()


def record_success(*, username: str) -> None:
    """A right password forgets that username's failures (not its address's)."""
    FailedLogin.objects.filter(username=normalise(username)).delete()


def unlock(*, username: str = "", ip: str = "") -> int:
    """Lift the locks on a username and/or an address; returns rows removed."""
    query = Q(pk__in=[])
    if username:
        query |= Q(username=normalise(username))
    if ip:
        query |= Q(ip=ip)
    deleted, _ = FailedLogin.objects.filter(query).delete()
    return deleted
