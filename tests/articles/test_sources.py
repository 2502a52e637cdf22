"""
Sources one click away: every quote's source links to its page, /sources/
lists them by number of quotes, the Source admin shows its quotes, and
editors merge two sources with the old address answering 301.
"""

import pytest

from articles.models import Quote, Source
from articles.services import MergeRefused, source_merge
from newsarchive.models import Redirect
from tests.factories import make_article, make_quote, make_source
from tests.queries import PAGE_QUERIES

pytestmark = pytest.mark.django_db


def test_a_quotes_source_name_links_to_the_source_page(client):
    source = make_source(name="Reuters", slug="reuters", url="https://reuters.example/")
    article = make_article()
    make_quote(article=article, source=source, source_url="https://reuters.example/x")

    body = client.get(article.get_absolute_url()).text

    assert '<a class="quote__source" href="/source/reuters/">Reuters</a>' in body
    assert 'cite="https://reuters.example/x"' in body
    assert 'href="https://reuters.example/x"' in body


def test_the_sources_page_lists_the_most_quoted_first_with_counts(client):
    tass = make_source(name="TASS", slug="tass")
    afp = make_source(name="AFP", slug="afp")
    unquoted = make_source(name="Nobody", slug="nobody")
    only_draft = make_source(name="Drafty", slug="drafty")
    for _ in range(3):
        make_quote(article=make_article(), source=tass)
    make_quote(article=make_article(), source=afp)
    make_quote(article=make_article(status="draft"), source=only_draft)

    response = client.get("/sources/")

    body = response.text
    assert response.status_code == 200
    assert body.index("TASS") < body.index("AFP")
    assert "3 quotes" in body and "1 quote<" in body
    assert unquoted.name not in body and only_draft.name not in body
    assert "2 sources" in body


def test_the_sources_page_costs_the_same_for_3_or_30_sources(
    client, django_assert_num_queries
):
    for n in (3, 30):
        for _ in range(n):
            make_quote(article=make_article(), source=make_source())
        with django_assert_num_queries(PAGE_QUERIES["sources"]):
            assert client.get("/sources/").status_code == 200


def test_the_source_admin_shows_its_quotes(editor_client):
    source = make_source(name="Reuters")
    article = make_article(title="Harbour reopens")
    make_quote(article=article, source=source, text="Ships are back.")
    make_quote(article=make_article(), source=make_source(), text="Not this one.")

    body = editor_client.get(f"/admin/articles/source/{source.pk}/change/").text

    assert "Ships are back." in body
    assert "Harbour reopens" in body
    assert "Not this one." not in body


def _merge(editor_client, sources, into):
    ids = [str(s.pk) for s in sources]
    page = editor_client.post(
        "/admin/articles/source/",
        {"action": "merge_sources", "_selected_action": ids},
    )
    assert page.status_code == 200 and "Merge sources" in page.text
    return editor_client.post(
        "/admin/articles/source/",
        {
            "action": "merge_sources",
            "_selected_action": ids,
            "into": into.pk,
            "apply": "1",
        },
        follow=True,
    )


def test_an_editor_merges_two_sources_and_the_old_page_answers_301(
    editor_client, client
):
    keep = make_source(name="Reuters", slug="reuters")
    dupe = make_source(name="Reuters News", slug="reuters-news")
    article = make_article()
    make_quote(article=article, source=keep)
    moved = make_quote(article=article, source=dupe)

    response = _merge(editor_client, [keep, dupe], into=keep)

    assert "1 quote(s) moved" in response.text
    assert not Source.objects.filter(pk=dupe.pk).exists()
    assert Quote.objects.get(pk=moved.pk).source == keep
    for old, new in [
        ("/source/reuters-news/", "/source/reuters/"),
        ("/source/reuters-news/feed/", "/source/reuters/feed/"),
        ("/source/reuters-news/feed/atom/", "/source/reuters/feed/atom/"),
    ]:
        answer = client.get(old)
        assert answer.status_code == 301 and answer["Location"] == new
    assert "2 quotes" in client.get("/source/reuters/").text


def test_merging_needs_two_sources(editor_client):
    only = make_source()
    response = editor_client.post(
        "/admin/articles/source/",
        {"action": "merge_sources", "_selected_action": [only.pk]},
        follow=True,
    )
    assert "Select two or more sources to merge." in response.text
    assert Source.objects.filter(pk=only.pk).exists()


def test_a_source_cannot_be_merged_into_itself():
    source = make_source()
    with pytest.raises(MergeRefused):
        source_merge(source=source, into=source)


def test_a_merge_chain_collapses_to_the_last_source(client):
    a, b, c = make_source(slug="a"), make_source(slug="b"), make_source(slug="c")
    source_merge(source=a, into=b)
    source_merge(source=b, into=c)

    assert Redirect.objects.get(old_path="/source/a/").new_path == "/source/c/"
    assert client.get("/source/a/")["Location"] == "/source/c/"


def test_a_merge_shows_at_once_on_the_article_page(client):
    keep, dupe = make_source(name="Kept name"), make_source(name="Old name")
    article = make_article()
    make_quote(article=article, source=dupe)
    assert "Old name" in client.get(article.get_absolute_url()).text

    source_merge(source=dupe, into=keep)

    assert "Kept name" in client.get(article.get_absolute_url()).text
