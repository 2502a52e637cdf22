"""
Anonymous readers get whole pages from the shared cache: no cookie, no
`Vary: Cookie`, nothing of another reader's, a 304 when their copy is
current, and headers that let a proxy or CDN keep the page briefly.
Signed-in readers and commenters with their own cookies always get a page
of their own, which nobody keeps.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from comments import cookies
from comments.models import Status
from newsarchive.pagecache import HIT_HEADER
from tests.factories import make_article, make_comment, make_user
from tests.queries import CACHED_PAGE

pytestmark = pytest.mark.django_db

TIMESTAMP = re.compile(r'name="timestamp" value="([^"]+)"')
NONCE = re.compile(r'nonce="([^"]+)"')


def _twice(client, url: str):
    client.get(url)
    return client.get(url)


def test_a_second_anonymous_view_comes_from_the_cache_with_one_query(
    client, django_assert_num_queries
):
    article = make_article(title="Storm wall approved")
    assert client.get(article.get_absolute_url())[HIT_HEADER] == "miss"

    with django_assert_num_queries(CACHED_PAGE):
        response = client.get(article.get_absolute_url())

    assert response[HIT_HEADER] == "hit"
    assert "Storm wall approved" in response.content.decode()


def test_anonymous_pages_set_no_cookie_and_do_not_vary_on_cookies(client):
    article = make_article()
    for response in (
        client.get(article.get_absolute_url()),
        client.get(article.get_absolute_url()),
        client.get("/"),
    ):
        assert not response.cookies
        assert "cookie" not in response.get("Vary", "").lower()


def test_a_cdn_may_keep_an_anonymous_page_briefly_and_browsers_revalidate(client):
    response = _twice(client, "/")

    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {
        "public",
        "max-age=0",
        f"s-maxage={settings.PAGE_CACHE_SHARED_SECONDS}",
    } <= control


def test_a_current_copy_is_answered_with_304(client):
    article = make_article()
    first = client.get(article.get_absolute_url())
    etag, modified = first["ETag"], first["Last-Modified"]

    by_etag = client.get(article.get_absolute_url(), headers={"If-None-Match": etag})
    by_date = client.get(
        article.get_absolute_url(), headers={"If-Modified-Since": modified}
    )

    assert by_etag.status_code == 304
    assert by_date.status_code == 304
    assert by_etag["ETag"] == etag


def test_a_copy_from_before_a_change_gets_the_new_page(client):
    article = make_article(title="Old headline")
    etag = client.get(article.get_absolute_url())["ETag"]
    article.title = "New headline"
    article.save()

    response = client.get(article.get_absolute_url(), headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert "New headline" in response.content.decode()


def test_a_head_request_is_answered_from_the_cache_without_a_body(client):
    article = make_article()
    client.get(article.get_absolute_url())

    response = client.head(article.get_absolute_url())

    assert response.status_code == 200
    assert response[HIT_HEADER] == "hit"
    assert response.content == b""


def test_cached_pages_carry_no_csrf_token_and_a_fresh_form_timestamp_each(client):
    article = make_article()
    first = client.get(article.get_absolute_url()).content.decode()
    second = client.get(article.get_absolute_url()).content.decode()

    assert "csrfmiddlewaretoken" not in second
    assert TIMESTAMP.search(first).group(1) != TIMESTAMP.search(second).group(1)


def test_each_cached_copy_has_its_own_csp_nonce_matching_its_header(client):
    article = make_article()
    client.get(article.get_absolute_url())
    responses = [client.get(article.get_absolute_url()) for _ in range(2)]

    nonces = []
    for response in responses:
        nonce = NONCE.search(response.content.decode()).group(1)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_every_nonce_in_a_cached_page_is_that_copys_own(client):
    article = make_article()
    stored = NONCE.findall(client.get(article.get_absolute_url()).content.decode())

    response = client.get(article.get_absolute_url())

    served = NONCE.findall(response.content.decode())
    assert len(served) == len(stored) >= 1
    assert len(set(served)) == 1
    assert served[0] != stored[0]
    assert f"'nonce-{served[0]}'" in response["Content-Security-Policy"]


def test_a_hit_states_its_length_so_it_is_sent_whole_not_chunked(client):
    article = make_article()
    client.get(article.get_absolute_url())

    response = client.get(article.get_absolute_url())

    assert response[HIT_HEADER] == "hit"
    assert int(response["Content-Length"]) == len(response.content)


def test_a_signed_in_reader_never_gets_or_leaves_a_cached_page(client):
    article = make_article()
    client.force_login(make_user(username="ada"))

    for _ in range(2):
        response = client.get(article.get_absolute_url())
        assert HIT_HEADER not in response
        assert "private" in response["Cache-Control"]
        assert 'name="csrfmiddlewaretoken"' in response.content.decode()

    client.logout()
    anonymous = client.get(article.get_absolute_url())
    assert anonymous[HIT_HEADER] == "miss"
    assert "csrfmiddlewaretoken" not in anonymous.content.decode()


def test_a_commenter_with_a_pending_comment_sees_it_and_nobody_else_does(client):
    article = make_article()
    url = article.get_absolute_url()
    _twice(client, url)  # cached for everyone
    pending = make_comment(article=article, body="Mine, awaiting.", status=Status.HELD)
    commenter = client.__class__()
    response = commenter.get(url)
    holder = response  # a response to carry the reader's signed cookie
    cookies.remember_pending(holder, pending, request=response.wsgi_request)
    commenter.cookies[cookies.PENDING_COOKIE] = holder.cookies[
        cookies.PENDING_COOKIE
    ].value

    own = commenter.get(url)
    other = client.get(url)

    assert HIT_HEADER not in own
    assert "Mine, awaiting." in own.content.decode()
    assert "private" in own["Cache-Control"]
    assert "Mine, awaiting." not in other.content.decode()


def test_a_posters_message_is_theirs_alone(client, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    article = make_article()
    url = article.get_absolute_url()
    _twice(client, url)
    poster = client.__class__()
    form = poster.get(url).content.decode()
    timestamp = TIMESTAMP.search(form).group(1)
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        posted = poster.post(
            f"/comments/post/{article.pk}/",
            {
                "body": "A first thought.",
                "author_name": "Ada",
                "author_email": "ada@example.com",
                "timestamp": timestamp,
            },
            follow=True,
        )

    assert "awaiting moderation" in posted.content.decode()
    assert "awaiting moderation" not in client.get(url).content.decode()


def test_an_anonymous_post_from_another_site_is_refused(client):
    article = make_article()
    csrf_client = client.__class__(enforce_csrf_checks=True)

    foreign = csrf_client.post(
        f"/comments/post/{article.pk}/",
        {"body": "Hello"},
        headers={"Origin": "https://evil.example"},
    )
    no_origin = csrf_client.post(f"/comments/post/{article.pk}/", {"body": "Hello"})

    assert foreign.status_code == 403
    assert no_origin.status_code == 403


def test_an_anonymous_post_from_the_site_itself_needs_no_token(client):
    article = make_article()
    csrf_client = client.__class__(enforce_csrf_checks=True)

    response = csrf_client.post(
        f"/comments/post/{article.pk}/",
        {"body": ""},
        headers={"Origin": "http://testserver"},
    )

    assert response.status_code == 400  # the form's own verdict, not CSRF's


def test_a_signed_in_post_still_needs_the_token(client):
    article = make_article()
    csrf_client = client.__class__(enforce_csrf_checks=True)
    csrf_client.force_login(make_user(username="ada"))

    response = csrf_client.post(
        f"/comments/post/{article.pk}/",
        {"body": "Hello"},
        headers={"Origin": "http://testserver"},
    )

    assert response.status_code == 403


def test_a_page_whose_comments_close_is_rendered_again_when_they_do(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 1
    article = make_article(published_at=timezone.now() - timedelta(hours=23))
    html = _twice(client, article.get_absolute_url()).content.decode()
    assert 'id="commentform"' in html

    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        response = client.get(article.get_absolute_url())

    assert response[HIT_HEADER] == "miss"
    assert 'id="commentform"' not in response.content.decode()


def test_the_masthead_date_is_todays_after_midnight(client):
    _twice(client, "/")
    tomorrow = timezone.localdate() + timedelta(days=1)

    with time_machine.travel(
        timezone.make_aware(
            timezone.datetime(tomorrow.year, tomorrow.month, tomorrow.day, 0, 1)
        ),
        tick=False,
    ):
        response = client.get("/")

    assert response[HIT_HEADER] == "miss"
    assert tomorrow.isoformat() in response.content.decode()


def test_pages_not_opted_in_are_left_alone(client):
    response = _twice(client, "/privacy/")

    assert HIT_HEADER not in response


def test_the_personal_cookies_are_the_ones_the_comments_app_sets():
    assert {
        cookies.PENDING_COOKIE,
        cookies.EDITABLE_COOKIE,
        cookies.COMMENTER_COOKIE,
        settings.SESSION_COOKIE_NAME,
    } <= set(settings.PAGE_CACHE_PERSONAL_COOKIES)
