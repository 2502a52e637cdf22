"""`manage.py generate_archive` builds a realistic archive, the same every time."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from articles.models import Article, ArticleAuthor, Quote
from articles.search import search_articles
from comments import tally
from comments.models import Comment, Status
from newsarchive.archive_generator import FEATURE_SLUG

pytestmark = pytest.mark.django_db


def _generate(articles=300, comments=2_000, seed=7) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "generate_archive",
        articles=articles,
        comments=comments,
        seed=seed,
        stdout=out,
        stderr=err,
    )
    return out.getvalue().strip(), err.getvalue()


def _shape() -> list:
    return [
        # Scheduled articles are placed relative to now; all else is fixed.
        list(
            Article.objects.exclude(status=Article.Status.SCHEDULED)
            .order_by("pk")
            .values_list("title", "slug", "status", "published_at", "section__slug")
        ),
        list(
            Comment.objects.order_by("pk").values_list(
                "article__slug", "status", "depth", "created"
            )
        ),
    ]


def test_it_writes_the_numbers_asked_for_with_threads_in_every_status():
    _generate()

    assert Article.objects.count() == 300
    assert Comment.objects.count() == 2_000
    assert ArticleAuthor.objects.count() == 300
    assert Quote.objects.exists()
    assert set(Comment.objects.values_list("status", flat=True)) == set(Status.values)
    assert Comment.objects.filter(depth__gt=0).exists()


def test_the_feature_article_has_exactly_50_approved_comments_at_a_known_url(client):
    url, _ = _generate()

    assert url == "/2025/11/14/harbor-authority-approves-storm-wall/"
    feature = Article.objects.get(slug="harbor-authority-approves-storm-wall")
    assert feature.comments.count() == 50
    assert feature.comments.filter(status=Status.APPROVED).count() == 50
    assert client.get(url).status_code == 200


def test_every_reply_belongs_to_its_threads_root():
    _generate()

    for reply in Comment.objects.filter(parent__isnull=False).select_related("parent"):
        assert reply.root_id == (reply.parent.root_id or reply.parent_id)
        assert reply.article_id == reply.parent.article_id
        assert reply.depth == reply.parent.depth + 1


def test_the_same_seed_gives_the_same_archive():
    _generate(seed=11)
    first = _shape()
    Comment.objects.all().delete()
    Article.objects.all().delete()

    _generate(seed=11)

    assert _shape() == first


def test_it_shows_progress_on_stderr():
    _, err = _generate(articles=50, comments=100)

    assert "articles" in err and "100%" in err


def test_it_refuses_no_articles():
    with pytest.raises(CommandError):
        _generate(articles=0)


def test_the_generated_articles_are_found_by_their_tags_and_authors_names():
    _generate(articles=60, comments=100)
    article = Article.objects.published().exclude(slug=FEATURE_SLUG).first()
    tag = article.tags.first()
    author = article.bylines.select_related("author").first().author

    for words in (tag.name, author.name):
        assert article in search_articles(words)[:1000], words


def test_the_generated_comments_are_tallied_by_status():
    _generate(articles=50, comments=600)

    rows = Comment.objects.values("status", "discarded").annotate(n=Count("pk"))
    expected = {(r["status"], r["discarded"]): r["n"] for r in rows.order_by()}
    assert tally.counts() == expected
