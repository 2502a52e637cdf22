"""/comment/<id>/ sends readers to the right page and anchor."""

import pytest
from django.urls import reverse

from articles.models import Article
from comments.models import Status
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def test_it_redirects_to_the_article_anchor(client, article):
    comment = make_comment(article=article)

    response = client.get(reverse("comments:permalink", kwargs={"pk": comment.pk}))

    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"


def test_it_redirects_to_the_page_holding_the_comment(client, article, settings):
    settings.COMMENTS_PER_PAGE = 2
    comments = [make_comment(article=article) for _ in range(3)]

    response = client.get(comments[2].get_absolute_url())

    assert response["Location"] == (
        f"{article.get_absolute_url()}?cpage=2#comment-{comments[2].pk}"
    )


@pytest.mark.parametrize(
    "status", [Status.UNCHECKED, Status.HELD, Status.SPAM, Status.REMOVED]
)
def test_a_comment_readers_cannot_see_is_404(client, article, status):
    comment = make_comment(article=article, status=status)

    assert client.get(comment.get_absolute_url()).status_code == 404


def test_a_comment_on_an_unpublished_article_is_404(client):
    draft = make_article(status=Article.Status.DRAFT)
    comment = make_comment(article=draft)

    assert client.get(comment.get_absolute_url()).status_code == 404


def test_an_unknown_comment_is_404(client, db):
    assert client.get("/comment/987654/").status_code == 404
