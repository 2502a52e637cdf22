"""
A seam test with akismet's own TestSyncClient (its pytest plugin): the
pipeline only depends on comments.spam._make_client() for the client.
"""

import akismet
import pytest

from comments import spam
from comments.models import Comment, HoldReason, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def use_test_client(monkeypatch, settings, akismet_sync_class):
    settings.AKISMET_API_KEY = "test-key"
    config = akismet.Config(key="test-key", url="http://testserver")
    monkeypatch.setattr(spam, "_make_client", lambda: akismet_sync_class(config=config))


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.HAM)
def test_ham_from_the_test_client_approves(use_test_client, article, post_comment):
    post_comment(article)

    assert Comment.objects.get().status == Status.APPROVED


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.SPAM)
def test_spam_from_the_test_client_is_spam(use_test_client, article, post_comment):
    post_comment(article)

    comment = Comment.objects.get()
    assert comment.status == Status.SPAM
    assert comment.discarded is False


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.DISCARD)
def test_discard_from_the_test_client_is_discarded_spam(
    use_test_client, article, post_comment
):
    post_comment(article)

    comment = Comment.objects.get()
    assert comment.status == Status.SPAM
    assert comment.discarded is True
    assert comment.hold_reason == HoldReason.AKISMET_DISCARD


@pytest.mark.akismet_client(comment_check_response=akismet.CheckResponse.SPAM)
def test_submit_spam_through_the_test_client_succeeds(use_test_client):
    feedback = spam.submit_spam({"user_ip": "127.0.0.1", "comment_content": "x"})

    assert feedback.ok is True
