"""An editor works entirely in the admin: draft with quotes, preview, publish."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    article_admin_form,
    make_article,
    make_author,
    make_moderator,
    make_section,
    make_source,
    make_tag,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
LIST_URL = reverse("admin:articles_article_changelist")


@pytest.fixture
def newsroom():
    return {
        "section": make_section(name="World", slug="world"),
        "tag": make_tag(name="Ports", slug="ports"),
        "author": make_author(name="Ann Writer"),
        "reuters": make_source(name="Reuters"),
        "tass": make_source(name="TASS"),
    }


def test_editor_creates_previews_and_publishes_an_article(editor_client, newsroom):
    data = article_admin_form(
        section=str(newsroom["section"].pk),
        tags=[str(newsroom["tag"].pk)],
        **{
            "bylines-TOTAL_FORMS": "1",
            "quotes-TOTAL_FORMS": "2",
            "bylines-0-position": "0",
            "bylines-0-author": str(newsroom["author"].pk),
            "quotes-0-position": "1",
            "quotes-0-text": "Second in order.",
            "quotes-0-source": str(newsroom["tass"].pk),
            "quotes-1-position": "0",
            "quotes-1-text": "We will rebuild.",
            "quotes-1-source": str(newsroom["reuters"].pk),
            "quotes-1-source_url": "https://reuters.example/story",
            "quotes-1-speaker": "the mayor",
        },
    )
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    article = Article.objects.get(slug="harbour-reopens")
    assert article.status == Article.Status.DRAFT
    assert [q.text for q in article.quotes.all()] == [
        "We will rebuild.",
        "Second in order.",
    ]
    assert article.get_absolute_url() not in editor_client.get("/").text

    preview = editor_client.get(article.get_preview_url())
    assert "Preview — not published" in preview.text
    assert "We will rebuild." in preview.text

    response = editor_client.post(
        LIST_URL, {"action": "publish", "_selected_action": [article.pk]}, follow=True
    )
    assert "Published 1 article(s)." in response.text
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.is_public

    day = article.pub_date
    editor_client.logout()
    for url in (
        "/",
        f"/{day:%Y}/",
        f"/{day:%Y}/{day:%m}/",
        f"/{day:%Y}/{day:%m}/{day:%d}/",
        "/tag/ports/",
        "/section/world/",
    ):
        assert "Harbour reopens" in editor_client.get(url).text, url
    page = editor_client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Preview — not published" not in page.text
    assert page.text.index("We will rebuild.") < page.text.index("Second in order.")


def test_unpublish_action_takes_the_article_off_the_site(editor_client):
    article = make_article(title="Going away")
    editor_client.post(
        LIST_URL, {"action": "unpublish", "_selected_action": [article.pk]}
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    editor_client.logout()
    assert editor_client.get(article.get_absolute_url()).status_code == 404


def test_body_is_sanitised_when_saved_in_the_admin(editor_client):
    body = '<p onclick="steal()">Hi<script>alert(1)</script> <a href="javascript:x">x</a></p>'
    response = editor_client.post(ADD_URL, article_admin_form(body=body))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="harbour-reopens")
    assert article.body == body  # kept as written
    assert "<script" not in article.body_html
    assert "onclick" not in article.body_html
    assert "javascript:" not in article.body_html
    assert article.body_html.startswith("<p>Hi")


def test_slug_clash_on_the_same_day_is_a_form_error_not_a_crash(editor_client):
    existing = make_article(slug="harbour-reopens")
    local = timezone.localtime(existing.published_at)
    response = editor_client.post(
        ADD_URL,
        article_admin_form(
            status="published",
            published_at_0=f"{local:%Y-%m-%d}",
            published_at_1=f"{local:%H:%M:%S}",
        ),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "slug" in errors
    assert "already uses this slug" in errors["slug"][0]
    assert Article.objects.filter(slug="harbour-reopens").count() == 1


def test_same_slug_on_another_day_is_fine(editor_client):
    make_article(slug="harbour-reopens", published_at=None, status="draft")
    make_article(slug="harbour-reopens")  # today
    response = editor_client.post(
        ADD_URL,
        article_admin_form(
            status="published", published_at_0="2020-01-02", published_at_1="10:00:00"
        ),
    )
    assert response.status_code == 302


def test_changelist_and_change_form_offer_a_preview_link(editor_client):
    article = make_article(status="draft", title="Drafty")
    listing = editor_client.get(LIST_URL)
    assert article.get_preview_url() in listing.text
    change = editor_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    )
    assert change.status_code == 200
    assert article.get_preview_url() in change.text


def test_view_on_site_points_at_the_public_page_only_when_public(editor_client):
    public = make_article()
    draft = make_article(status="draft")
    public_change = editor_client.get(
        reverse("admin:articles_article_change", args=[public.pk])
    )
    assert "View on site" in public_change.text
    draft_change = editor_client.get(
        reverse("admin:articles_article_change", args=[draft.pk])
    )
    assert "View on site" not in draft_change.text


@pytest.mark.parametrize("model", ["tag", "author", "source", "section"])
def test_autocomplete_lookups_work_for_editors(editor_client, model):
    make_tag(name="Ports")
    make_author(name="Ports Reporter")
    make_source(name="Ports Gazette")
    make_section(name="Ports and trade")
    field = {
        "tag": "tags",
        "author": "author",
        "source": "source",
        "section": "section",
    }
    model_name = {
        "tag": "article",
        "section": "article",
        "author": "articleauthor",
        "source": "quote",
    }
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Ports",
            "app_label": "articles",
            "model_name": model_name[model],
            "field_name": field[model],
        },
    )
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


@pytest.mark.parametrize(
    "name",
    [
        "admin:articles_article_add",
        "admin:articles_source_add",
        "admin:articles_tag_add",
        "admin:articles_author_add",
        "admin:articles_section_add",
    ],
)
def test_moderator_cannot_add_articles_or_their_parts(client, name):
    client.force_login(make_moderator())
    assert client.get(reverse(name)).status_code == 403


def test_moderator_cannot_change_or_publish_an_article(client):
    article = make_article(status="draft", title="Not yours")
    client.force_login(make_moderator())
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(change_url, article_admin_form(title="Hijacked"))
    assert response.status_code == 403
    client.post(LIST_URL, {"action": "publish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.title == "Not yours"
    assert article.status == Article.Status.DRAFT
    assert client.get(ADD_URL).status_code == 403


def test_publishing_into_a_slug_clash_reports_an_error_not_a_crash(editor_client):
    make_article(slug="harbour-reopens", published_at=timezone.now())
    draft = make_article(slug="harbour-reopens", status="draft")  # publishes "now"
    response = editor_client.post(
        LIST_URL, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "was not published" in response.text
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
