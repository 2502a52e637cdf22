"""Every save keeps a revision: who changed what and when, compared and restored."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import article_change_form, make_article, make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = make_editor(username="grace")
    client.force_login(user)
    return user


@pytest.fixture
def edited(client, editor):
    """An article saved twice by grace in the admin: three revisions."""
    # Whole seconds, as the admin's date and time inputs post them.
    published_at = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    article = make_article(
        title="Ferry returns", body="<p>Line one.</p>", published_at=published_at
    )
    url = reverse("admin:articles_article_change", args=[article.pk])
    for title, body in [
        ("Ferry returns after storm", "<p>Line one.</p>\n<p>Line two.</p>"),
        ("Ferry back after the storm", "<p>Line one, corrected.</p>\n<p>Line two.</p>"),
    ]:
        response = client.post(
            url, article_change_form(article, title=title, body=body)
        )
        assert response.status_code == 302, response.context["adminform"].form.errors
        article.refresh_from_db()
    return article


def test_every_save_keeps_a_revision_with_who_made_it(edited, editor):
    revisions = list(edited.history.order_by("history_date"))

    assert [r.title for r in revisions] == [
        "Ferry returns",
        "Ferry returns after storm",
        "Ferry back after the storm",
    ]
    assert [r.history_user for r in revisions] == [None, editor, editor]


def test_the_history_page_lists_changes_and_offers_a_comparison(client, edited):
    response = client.get(reverse("admin:articles_article_history", args=[edited.pk]))

    assert response.status_code == 200
    assert "grace" in response.text
    assert "Ferry returns after storm" in response.text
    assert reverse("admin:articles_article_compare", args=[edited.pk]) in response.text


def test_two_revisions_compare_field_by_field_and_line_by_line(client, edited):
    first, _, last = edited.history.order_by("history_date")

    response = client.get(
        reverse("admin:articles_article_compare", args=[edited.pk]),
        {"older": first.history_id, "newer": last.history_id},
    )

    comparison = response.context["comparison"]
    assert comparison.changes == [
        ("title", "Ferry returns", "Ferry back after the storm")
    ]
    assert ("removed", "-<p>Line one.</p>") in comparison.body_diff
    assert ("added", "+<p>Line one, corrected.</p>") in comparison.body_diff
    assert ("added", "+<p>Line two.</p>") in comparison.body_diff
    # Escaped as text, never rendered as markup.
    assert "+&lt;p&gt;Line one, corrected.&lt;/p&gt;" in response.text


def test_restoring_a_revision_saves_it_as_a_new_one(client, edited):
    first = edited.history.earliest("history_date")
    url = reverse(
        "admin:articles_article_simple_history", args=[edited.pk, first.history_id]
    )
    form = client.get(url).context["adminform"].form
    assert form["edit_version"].value() == edited.version  # the row's, not the old one

    response = client.post(
        url,
        article_change_form(
            first.instance, edit_version=str(edited.version), title=first.title
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    restored = Article.objects.get(pk=edited.pk)
    assert restored.title == "Ferry returns"
    assert restored.body == "<p>Line one.</p>"
    assert restored.body_html == "<p>Line one.</p>"
    assert restored.version == edited.version + 1
    assert edited.history.count() == 4


def test_a_reader_cannot_open_the_history(client, edited):
    client.logout()

    response = client.get(reverse("admin:articles_article_history", args=[edited.pk]))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
