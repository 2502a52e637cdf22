"""
Fixtures for the comment pipeline: a local Akismet-protocol server, Akismet
pointed nowhere by default, and helpers that post the comment form.
"""

import time

import pytest
from django.urls import reverse

from comments.forms import HONEYPOT_FIELD, sign_timestamp
from tests.akismet_server import AkismetServer
from tests.factories import make_article, make_moderator


@pytest.fixture(scope="session")
def _akismet_server_process():
    server = AkismetServer().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _akismet_nowhere(settings):
    """No test can reach the real Akismet: no key, and a closed local port."""
    settings.AKISMET_API_KEY = ""
    settings.AKISMET_API_URL = "http://127.0.0.1:9"
    settings.AKISMET_SITE_URL = "http://testserver"
    settings.SITE_URL = "http://testserver"
    settings.AKISMET_TIMEOUT = 2.0
    settings.AKISMET_IS_TEST = True
    settings.COMMENTS_AKISMET_DISCARD = True
    settings.COMMENTS_HOLD_FIRST_TIME = False
    settings.COMMENTS_MAX_LINKS = 2
    settings.COMMENTS_MAX_DEPTH = 5
    settings.COMMENTS_TRUSTED_PROXIES = 0
    # Most tests post several comments in a row; flood tests turn it back on.
    settings.COMMENTS_FLOOD_SECONDS = 0


@pytest.fixture
def akismet_server(settings, _akismet_server_process):
    """The local Akismet server, answering ham until a test sets `.mode`."""
    server = _akismet_server_process
    server.reset("ham")
    settings.AKISMET_API_KEY = "test-key-123"
    settings.AKISMET_API_URL = server.url
    yield server
    server.reset("ham")


@pytest.fixture
def article(db):
    return make_article(title="Harbour reopens", slug="harbour-reopens")


@pytest.fixture
def comment_data():
    """Form data as a browser sends it, with a timestamp signed 10 s ago."""

    def build(article, **overrides) -> dict:
        data = {
            "author_name": "Ada Reader",
            "author_email": "ada@example.com",
            "author_url": "https://ada.example/",
            "body": "The new harbour wall looks sturdy.",
            "parent": "",
            "timestamp": sign_timestamp(article_id=article.pk, at=time.time() - 10),
            HONEYPOT_FIELD: "",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return build


@pytest.fixture
def post_comment(client, comment_data, django_capture_on_commit_callbacks):
    """POST the comment form for `article`; on_commit callbacks run."""

    def post(
        article, *, client=client, headers=None, remote_addr="127.0.0.1", **overrides
    ):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("comments:post", kwargs={"article_id": article.pk}),
                comment_data(article, **overrides),
                headers=headers or {},
                REMOTE_ADDR=remote_addr,
            )

    return post


@pytest.fixture
def moderator_client(client):
    """A test client signed in as a member of the Moderators group."""
    client.force_login(make_moderator())
    return client
