"""
A revision keeps the article's quotes and corrections too: History and
Compare show them and a revert restores them. Saves outside the admin's
form (the publish actions, the WordPress import) keep the same snapshot.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction, Source
from tests.factories import (
    article_change_form,
    make_article,
    make_author,
    make_editor,
    make_quote,
    make_source,
    make_tag,
)
from tests.wxr import in_tag, item, run, tag

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:articles_article_changelist")
NOTED = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor(username="grace"))
    return client


def save_in_admin(client, article) -> None:
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, article_change_form(article))
    assert response.status_code == 302, response.context["errors"]
    article.refresh_from_db()


@pytest.fixture
def requoted(editor_client):
    """Saved with TASS's quote and a correction; then with Reuters' and none."""
    article = make_article(
        title="Ferry returns",
        published_at=timezone.now().replace(microsecond=0) - timedelta(hours=1),
    )
    tass, reuters = make_source(name="TASS"), make_source(name="Reuters")
    make_quote(article=article, text="We are ready.", source=tass, speaker="Peskov")
    make_quote(article=article, text="Ships wait.", position=1, source_url="")
    Correction.objects.create(
        article=article, note="The ferry is blue.", noted_at=NOTED
    )
    save_in_admin(editor_client, article)
    article.quotes.all().delete()
    article.corrections.all().delete()
    make_quote(article=article, text="Not yet.", source=reuters)
    save_in_admin(editor_client, article)
    return article


def test_a_revision_keeps_the_quotes_in_order_and_the_corrections(requoted):
    _, second, third = requoted.history.order_by("history_date")

    assert second.related["quotes"] == [
        {
            "text": "We are ready.",
            "source_id": second.related["quotes"][0]["source_id"],
            "source": "TASS",
            "source_url": "",
            "speaker": "Peskov",
            "position": 0,
        },
        {
            "text": "Ships wait.",
            "source_id": None,
            "source": "",
            "source_url": "",
            "speaker": "",
            "position": 1,
        },
    ]
    assert second.related["corrections"] == [
        {
            "kind": "correction",
            "note": "The ferry is blue.",
            "noted_at": NOTED.isoformat(),
        }
    ]
    assert [q["text"] for q in third.related["quotes"]] == ["Not yet."]
    assert third.related["corrections"] == []


def test_compare_shows_the_changed_quotes_and_corrections(editor_client, requoted):
    _, second, third = requoted.history.order_by("history_date")

    response = editor_client.get(
        reverse("admin:articles_article_compare", args=[requoted.pk]),
        {"older": second.history_id, "newer": third.history_id},
    )

    changes = {
        name: (old, new) for name, old, new in response.context["comparison"].changes
    }
    assert changes["quotes"] == (
        "“We are ready.” — TASS, Peskov\n“Ships wait.”",
        "“Not yet.” — Reuters",
    )
    assert changes["corrections"] == ("Correction, 2026-03-02: The ferry is blue.", "")
    assert "“We are ready.” — TASS, Peskov<br>“Ships wait.”" in response.text


def test_the_history_page_lists_quotes_and_corrections(editor_client, requoted):
    response = editor_client.get(
        reverse("admin:articles_article_history", args=[requoted.pk])
    )

    assert "“Not yet.” — Reuters" in response.text
    assert "“We are ready.” — TASS, Peskov<br>“Ships wait.”" in response.text
    assert "Correction, 2026-03-02: The ferry is blue." in response.text


def test_revert_restores_the_quotes_and_corrections(editor_client, requoted):
    second = requoted.history.order_by("history_date")[1]
    url = reverse(
        "admin:articles_article_simple_history", args=[requoted.pk, second.history_id]
    )
    page = editor_client.get(url)
    assert "restores its quotes (2)" in page.text

    response = editor_client.post(
        url, article_change_form(second.instance, edit_version=str(requoted.version))
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    restored = Article.objects.get(pk=requoted.pk)
    assert [
        (q.text, str(q.source or ""), q.speaker) for q in restored.quotes.all()
    ] == [
        ("We are ready.", "TASS", "Peskov"),
        ("Ships wait.", "", ""),
    ]
    assert [(c.note, c.noted_at) for c in restored.corrections.all()] == [
        ("The ferry is blue.", NOTED)
    ]
    newest = restored.history.latest("history_date")
    assert [q["text"] for q in newest.related["quotes"]] == [
        "We are ready.",
        "Ships wait.",
    ]


def test_a_quote_whose_source_was_deleted_since_comes_back_without_it(
    editor_client, requoted
):
    second = requoted.history.order_by("history_date")[1]
    Source.objects.filter(name="TASS").delete()
    url = reverse(
        "admin:articles_article_simple_history", args=[requoted.pk, second.history_id]
    )

    response = editor_client.post(
        url, article_change_form(second.instance, edit_version=str(requoted.version))
    )

    assert response.status_code == 302
    first = requoted.quotes.first()
    assert (first.text, first.source, first.speaker) == (
        "We are ready.",
        None,
        "Peskov",
    )


@pytest.mark.parametrize("action", ["publish", "unpublish"])
def test_the_list_actions_keep_the_snapshot(editor_client, action):
    status = Article.Status.DRAFT if action == "publish" else Article.Status.PUBLISHED
    article = make_article(
        status=status,
        tags=[make_tag(name="Harbour")],
        authors=[make_author(name="Ada")],
    )
    make_quote(article=article, text="We are ready.")

    response = editor_client.post(
        LIST_URL, {"action": action, "_selected_action": [article.pk]}
    )

    assert response.status_code == 302
    newest = article.history.latest("history_date")
    assert newest.history_type == "~"
    assert [t["name"] for t in newest.related["tags"]] == ["Harbour"]
    assert [b["name"] for b in newest.related["bylines"]] == ["Ada"]
    assert [q["text"] for q in newest.related["quotes"]] == ["We are ready."]


def test_an_import_keeps_the_snapshot(editor_client):
    run(tag("harbour", "Harbour"), item("1", terms=in_tag("harbour", "Harbour")))

    article = Article.objects.get()
    newest = article.history.latest("history_date")
    assert [t["name"] for t in newest.related["tags"]] == ["Harbour"]


def test_an_import_that_only_retags_makes_a_revision_with_the_new_tags():
    run(tag("harbour", "Harbour"), item("1", terms=in_tag("harbour", "Harbour")))
    run(tag("storms", "Storms"), item("1", terms=in_tag("storms", "Storms")))

    article = Article.objects.get()
    first, second = article.history.order_by("history_date")
    assert [t["name"] for t in first.related["tags"]] == ["Harbour"]
    assert [t["name"] for t in second.related["tags"]] == ["Storms"]
