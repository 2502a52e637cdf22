"""
One IPv6 user is one reader. An IPv6 user is given a whole /64 and can post
from any of its 2^64 addresses, so flood control, distinct-reporter counts
and the report rate limit count the /64 (comments.network.network_key), not
the address; an IPv4-mapped address counts as its IPv4 address.
"""

import pytest
from django.urls import reverse

from comments.models import Comment, CommentReport
from comments.services.reporting import REPORTS_PER_HOUR
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def flood(settings):
    settings.COMMENTS_FLOOD_SECONDS = 15


@pytest.fixture
def cache_down(settings):
    """The cache behind the fault-tolerant door refuses every connection."""
    settings.CACHES = {
        **settings.CACHES,
        "backing": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        },
    }


# Flood control --------------------------------------------------------------------


def test_a_second_comment_from_the_same_64_within_15_s_is_429(
    flood, article, post_comment
):
    first = post_comment(article, body="First thought.", remote_addr="2001:db8:1:2::1")

    second = post_comment(
        article,
        body="Second thought.",
        author_email="other@example.com",
        remote_addr="2001:db8:1:2::ffff",
    )

    assert first.status_code == 302
    assert second.status_code == 429
    assert Comment.objects.count() == 1


def test_a_reader_in_another_64_may_post(flood, article, post_comment):
    post_comment(article, body="First thought.", remote_addr="2001:db8:1:2::1")

    response = post_comment(
        article,
        body="Another view.",
        author_email="other@example.com",
        remote_addr="2001:db8:1:3::1",
    )

    assert response.status_code == 302
    assert Comment.objects.count() == 2


def test_an_ipv4_mapped_address_is_flood_controlled_as_its_ipv4_address(
    flood, article, post_comment
):
    post_comment(article, body="First thought.", remote_addr="192.0.2.7")

    response = post_comment(
        article,
        body="Second thought.",
        author_email="other@example.com",
        remote_addr="::ffff:192.0.2.7",
    )

    assert response.status_code == 429


def test_with_the_cache_down_the_same_address_is_flood_controlled_by_the_database(
    flood, cache_down, article, post_comment
):
    post_comment(article, body="First thought.", remote_addr="2001:db8:1:2::1")

    response = post_comment(
        article,
        body="Second thought.",
        author_email="other@example.com",
        remote_addr="2001:db8:1:2::1",
    )

    assert response.status_code == 429


def test_with_the_cache_down_the_same_64_is_still_flood_controlled(
    flood, cache_down, article, post_comment
):
    first = post_comment(article, body="First thought.", remote_addr="2001:db8:1:2::1")

    second = post_comment(
        article,
        body="Second thought.",
        author_email="other@example.com",
        remote_addr="2001:db8:1:2::ffff",
    )

    assert first.status_code == 302
    assert second.status_code == 429
    assert Comment.objects.count() == 1


# Reader reports -------------------------------------------------------------------


def _report(client, comment, *, ip, reason="abusive"):
    return client.post(
        reverse("comments:report", kwargs={"pk": comment.pk}),
        {"reason": reason},
        REMOTE_ADDR=ip,
    )


@pytest.fixture
def comment(article):
    return make_comment(article=article, body="You are all idiots.")


def test_reports_from_three_addresses_in_one_64_are_one_reporter(
    client, comment, settings
):
    settings.COMMENTS_REPORT_THRESHOLD = 3
    for ip in ("2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2::3"):
        _report(client, comment, ip=ip)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert CommentReport.objects.count() == 1


def test_reports_from_three_64s_are_three_reporters_and_hold_the_comment(
    client, comment, settings
):
    settings.COMMENTS_REPORT_THRESHOLD = 3
    for ip in ("2001:db8:1:2::1", "2001:db8:1:3::1", "2001:db8:1:4::1"):
        _report(client, comment, ip=ip)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.HELD
    assert CommentReport.objects.count() == 3


def test_the_report_rate_limit_counts_the_64(client, article, settings):
    settings.COMMENTS_REPORT_THRESHOLD = 0
    comments = [make_comment(article=article) for _ in range(REPORTS_PER_HOUR + 1)]

    statuses = [
        _report(client, comment, ip=f"2001:db8:1:2::{n + 1:x}").status_code
        for n, comment in enumerate(comments)
    ]

    assert statuses == [302] * REPORTS_PER_HOUR + [429]
