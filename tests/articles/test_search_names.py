"""
Tag, author and quote-source names are searchable, and stay current when a
name changes or a tag, byline or quote is added or removed (on PostgreSQL the
database's triggers keep the stored vector right; SQLite reads them live).
"""

import pytest

from articles.models import ArticleAuthor
from articles.search import search_articles
from tests.factories import (
    make_article,
    make_author,
    make_quote,
    make_source,
    make_tag,
)

pytestmark = pytest.mark.django_db


def titles(queryset) -> list[str]:
    return [article.title for article in queryset]


def test_an_article_is_found_by_its_tag_s_name(site_zone):
    tagged = make_article(title="Quay rebuilt", tags=[make_tag(name="Shipwrights")])
    make_article(title="Unrelated")
    assert titles(search_articles("shipwrights")) == [tagged.title]


def test_an_article_is_found_by_its_author_s_name(site_zone):
    by = make_article(title="Quay rebuilt", authors=[make_author(name="Amelia Hart")])
    make_article(title="Unrelated")
    assert titles(search_articles('"amelia hart"')) == [by.title]


def test_an_article_is_found_by_a_quote_s_source_name(site_zone):
    quoted = make_article(title="Quay rebuilt")
    make_quote(article=quoted, source=make_source(name="Reuters"))
    make_article(title="Unrelated")
    assert titles(search_articles("reuters")) == [quoted.title]


def test_renaming_a_tag_author_or_source_changes_what_finds_the_article(site_zone):
    tag, author, source = (
        make_tag(name="Docks"),
        make_author(name="Jonas Berg"),
        make_source(name="Tass"),
    )
    article = make_article(title="Quay rebuilt", tags=[tag], authors=[author])
    make_quote(article=article, source=source)
    for thing, old, new in [
        (tag, "docks", "wharves"),
        (author, "berg", "lindqvist"),
        (source, "tass", "interfax"),
    ]:
        thing.name = new.title()
        thing.save()
        assert titles(search_articles(new)) == [article.title]
        assert titles(search_articles(old)) == []


def test_adding_and_removing_a_tag_byline_or_quote_updates_the_search(site_zone):
    article = make_article(title="Quay rebuilt")
    tag = make_tag(name="Shipwrights")
    article.tags.add(tag)
    assert titles(search_articles("shipwrights")) == [article.title]
    article.tags.remove(tag)
    assert titles(search_articles("shipwrights")) == []

    byline = ArticleAuthor.objects.create(
        article=article, author=make_author(name="Amelia Hart")
    )
    assert titles(search_articles("amelia")) == [article.title]
    byline.delete()
    assert titles(search_articles("amelia")) == []

    quote = make_quote(article=article, source=make_source(name="Reuters"))
    assert titles(search_articles("reuters")) == [article.title]
    quote.source = make_source(name="Interfax")
    quote.save()
    assert titles(search_articles("reuters")) == []
    assert titles(search_articles("interfax")) == [article.title]


def test_an_article_shares_a_tag_name_with_many_and_each_is_found_once(site_zone):
    storms = make_tag(name="Storms")
    found = [make_article(title=f"Storm {i}", tags=[storms]) for i in range(3)]
    # Two tags both naming the word must not list the article twice.
    found[0].tags.add(make_tag(name="Storms of 2024"))
    assert sorted(titles(search_articles("storms"))) == sorted(a.title for a in found)


def test_an_edited_title_is_searched_at_once(site_zone):
    article = make_article(title="Quay rebuilt")
    article.title = "Lighthouse restored"
    article.save()
    assert titles(search_articles("lighthouse")) == [article.title]
    assert titles(search_articles("quay")) == []
