"""Flood control and duplicate detection, through the cache."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from comments.models import Comment
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def flood(settings):
    settings.COMMENTS_FLOOD_SECONDS = 15


def test_a_second_comment_from_the_same_ip_within_15_s_is_429(
    flood, article, post_comment
):
    post_comment(article, body="First thought.")

    response = post_comment(
        article, body="Second thought.", author_email="other@example.com"
    )

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 15
    assert "too quickly" in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_second_comment_from_the_same_email_within_15_s_is_429(
    flood, article, post_comment
):
    post_comment(article, body="First thought.")

    response = post_comment(article, body="Second thought.", remote_addr="198.51.100.7")

    assert response.status_code == 429
    assert Comment.objects.count() == 1


def test_another_reader_from_another_address_may_post(flood, article, post_comment):
    post_comment(article, body="First thought.")

    response = post_comment(
        article,
        body="Another view.",
        author_email="bo@example.com",
        remote_addr="198.51.100.7",
    )

    assert response.status_code == 302
    assert Comment.objects.count() == 2


def test_posting_is_allowed_again_once_the_window_expires(flood, article, post_comment):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        post_comment(article, body="First thought.")
        clock.shift(timedelta(seconds=14))
        assert post_comment(article, body="Too soon.").status_code == 429

        clock.shift(timedelta(seconds=2))
        cache.clear()  # what Redis's own 15-second expiry does meanwhile
        assert post_comment(article, body="Second thought.").status_code == 302


def test_staff_are_exempt_from_flood_control(flood, article, post_comment, client):
    client.force_login(make_user(is_staff=True))
    post_comment(article, client=client, body="First note.")

    response = post_comment(article, client=client, body="Second note.")

    assert response.status_code == 302
    assert Comment.objects.count() == 2


def test_the_same_comment_twice_is_409(article, post_comment):
    post_comment(article)

    response = post_comment(article)

    assert response.status_code == 409
    assert (
        "Duplicate comment detected; it looks as though you&#x27;ve already said that!"
        in response.content.decode()
    )
    assert Comment.objects.count() == 1


def test_a_duplicate_is_found_in_the_database_after_the_cache_forgot(
    article, post_comment
):
    post_comment(article)
    cache.clear()

    assert post_comment(article).status_code == 409


def test_a_duplicate_is_reported_before_flood_control(flood, article, post_comment):
    post_comment(article)

    assert post_comment(article).status_code == 409


def test_the_same_words_on_another_article_are_fine(article, post_comment):
    post_comment(article)

    assert post_comment(make_article()).status_code == 302


def test_a_flood_refusal_does_not_count_as_a_duplicate_later(
    flood, settings, article, post_comment
):
    post_comment(article, body="First thought.")
    assert post_comment(article, body="Second thought.").status_code == 429

    settings.COMMENTS_FLOOD_SECONDS = 0  # the reader waited
    assert post_comment(article, body="Second thought.").status_code == 302
