"""A revision keeps the article's tags and ordered bylines: compared and restored."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    article_change_form,
    make_article,
    make_author,
    make_editor,
    make_tag,
)

pytestmark = pytest.mark.django_db


def byline_rows(article, authors):
    """The byline inline as posted: `authors` in order, other rows deleted."""
    current = list(article.bylines.all())
    kept = {row.author_id: row for row in current}
    added = [a for a in authors if a.pk not in kept]
    order = {a.pk: i for i, a in enumerate(authors)}
    data = {
        "bylines-TOTAL_FORMS": str(len(current) + len(added)),
        "bylines-INITIAL_FORMS": str(len(current)),
    }
    for i, row in enumerate(current):
        data |= {
            f"bylines-{i}-id": str(row.pk),
            f"bylines-{i}-article": str(article.pk),
            f"bylines-{i}-author": str(row.author_id),
            f"bylines-{i}-position": str(order.get(row.author_id, 0)),
        }
        if row.author_id not in order:
            data[f"bylines-{i}-DELETE"] = "on"
    for j, author in enumerate(added, start=len(current)):
        data |= {
            f"bylines-{j}-article": str(article.pk),
            f"bylines-{j}-author": str(author.pk),
            f"bylines-{j}-position": str(order[author.pk]),
        }
    return data


@pytest.fixture
def newsroom(client):
    client.force_login(make_editor(username="grace"))
    return {
        "harbour": make_tag(name="Harbour"),
        "storms": make_tag(name="Storms"),
        "ada": make_author(name="Ada Byron"),
        "bea": make_author(name="Bea Hart"),
        "cal": make_author(name="Cal Ng"),
    }


@pytest.fixture
def retagged(client, newsroom):
    """Saved with Harbour and Ada, Bea; then with Storms and Cal, Ada."""
    article = make_article(
        title="Ferry returns",
        published_at=timezone.now().replace(microsecond=0) - timedelta(hours=1),
    )
    url = reverse("admin:articles_article_change", args=[article.pk])
    n = newsroom
    for tags, authors in [
        ([n["harbour"]], [n["ada"], n["bea"]]),
        ([n["storms"]], [n["cal"], n["ada"]]),
    ]:
        data = article_change_form(article, tags=[str(t.pk) for t in tags])
        response = client.post(url, data | byline_rows(article, authors))
        assert response.status_code == 302, response.context["errors"]
        article.refresh_from_db()
    assert [b.author.name for b in article.bylines.all()] == ["Cal Ng", "Ada Byron"]
    return article


def test_a_revision_keeps_the_tags_and_the_bylines_in_order(retagged):
    _, second, third = retagged.history.order_by("history_date")

    assert second.related == {
        "tags": [{"id": second.related["tags"][0]["id"], "name": "Harbour"}],
        "bylines": [
            {"id": second.related["bylines"][0]["id"], "name": "Ada Byron"},
            {"id": second.related["bylines"][1]["id"], "name": "Bea Hart"},
        ],
        "quotes": [],
        "corrections": [],
    }
    assert [t["name"] for t in third.related["tags"]] == ["Storms"]
    assert [b["name"] for b in third.related["bylines"]] == ["Cal Ng", "Ada Byron"]


def test_a_tag_change_and_a_byline_change_show_in_compare(client, retagged):
    _, second, third = retagged.history.order_by("history_date")

    response = client.get(
        reverse("admin:articles_article_compare", args=[retagged.pk]),
        {"older": second.history_id, "newer": third.history_id},
    )

    assert response.context["comparison"].changes == [
        ("tags", "Harbour", "Storms"),
        ("bylines", "Ada Byron, Bea Hart", "Cal Ng, Ada Byron"),
    ]
    assert "Bea Hart" in response.text


def test_the_history_page_lists_tags_and_bylines(client, retagged):
    response = client.get(reverse("admin:articles_article_history", args=[retagged.pk]))

    assert "Ada Byron, Bea Hart" in response.text
    assert "Cal Ng, Ada Byron" in response.text


def test_revert_restores_the_tags_and_the_bylines(client, retagged, newsroom):
    second = retagged.history.order_by("history_date")[1]
    url = reverse(
        "admin:articles_article_simple_history", args=[retagged.pk, second.history_id]
    )
    page = client.get(url)
    assert "its bylines, in order: <strong>Ada Byron, Bea Hart</strong>" in page.text
    form = page.context["adminform"].form
    # The form offers the revision's tags, not today's.
    assert list(form["tags"].value()) == [newsroom["harbour"].pk]

    response = client.post(
        url,
        article_change_form(
            second.instance,
            edit_version=str(retagged.version),
            tags=[str(pk) for pk in form["tags"].value()],
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    restored = Article.objects.get(pk=retagged.pk)
    assert [t.name for t in restored.tags.all()] == ["Harbour"]
    assert [b.author.name for b in restored.bylines.all()] == ["Ada Byron", "Bea Hart"]
    newest = restored.history.latest("history_date")
    assert [b["name"] for b in newest.related["bylines"]] == ["Ada Byron", "Bea Hart"]


def test_a_revision_from_before_tags_were_kept_restores_no_bylines_away(
    client, newsroom
):
    article = make_article(title="Old story", authors=[newsroom["ada"]])
    first = article.history.get()
    url = reverse(
        "admin:articles_article_simple_history", args=[article.pk, first.history_id]
    )

    response = client.post(
        url, article_change_form(first.instance, edit_version=str(article.version))
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert [b.author.name for b in article.bylines.all()] == ["Ada Byron"]
