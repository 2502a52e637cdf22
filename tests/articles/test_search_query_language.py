"""
One query language on both databases: words, "phrases", -exclusions and `or`,
as the search hint promises. The same assertions run on SQLite and PostgreSQL.
"""

import pytest

from articles.search import MAX_TERMS, Term, parse_query, search_articles
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def titles(queryset) -> set[str]:
    return {article.title for article in queryset}


@pytest.fixture
def rates(site_zone):
    make_article(
        title="Interest rates held",
        body="<p>The central bank kept interest rates where they were.</p>",
    )
    make_article(
        title="Mortgage costs climb",
        body="<p>Lenders passed higher interest rates on to mortgage holders.</p>",
    )
    make_article(
        title="Rates of interest",
        body="<p>Savers earn more, but the rates differ by bank.</p>",
    )
    make_article(title="Ferry timetable", body="<p>Boats leave hourly.</p>")


def test_the_search_hint_s_own_example_works(rates):
    assert titles(search_articles('"interest rates" -mortgage')) == {
        "Interest rates held"
    }


def test_a_phrase_needs_its_words_together(rates):
    assert titles(search_articles('"interest rates"')) == {
        "Interest rates held",
        "Mortgage costs climb",
    }
    assert titles(search_articles("interest rates")) == {
        "Interest rates held",
        "Mortgage costs climb",
        "Rates of interest",
    }


def test_or_finds_either(rates):
    assert titles(search_articles("ferry or mortgage")) == {
        "Ferry timetable",
        "Mortgage costs climb",
    }
    assert titles(search_articles("ferry OR mortgage")) == {
        "Ferry timetable",
        "Mortgage costs climb",
    }


def test_words_bind_tighter_than_or(rates):
    assert titles(search_articles("savers bank or ferry")) == {
        "Rates of interest",
        "Ferry timetable",
    }


def test_an_excluded_phrase_leaves_out_only_that_phrase(rates):
    assert titles(search_articles('rates -"interest rates"')) == {"Rates of interest"}


def test_punctuation_around_words_is_ignored(rates):
    assert titles(search_articles("ferry, timetable!")) == {"Ferry timetable"}


def test_the_parser_reads_phrases_exclusions_and_alternatives():
    parsed = parse_query('"interest rates" -mortgage or "ferry" -"late boats"')
    assert parsed.groups == (
        (Term("interest rates"), Term("mortgage", negated=True)),
        (Term("ferry"), Term("late boats", negated=True)),
    )
    assert parsed.websearch() == '"interest rates" -mortgage or ferry -"late boats"'


@pytest.mark.parametrize("query", ["-", '""', "or", "- or -", "&&", '"" - OR'])
def test_operators_alone_leave_nothing_to_look_for(query):
    parsed = parse_query(query)
    assert not parsed
    assert not parsed.only_exclusions


def test_exclusions_alone_are_told_apart():
    parsed = parse_query("-mortgage -ferry")
    assert not parsed
    assert parsed.only_exclusions


def test_an_unclosed_quote_runs_to_the_end():
    assert parse_query('harbour "storm wall').groups == (
        (Term("harbour"), Term("storm wall")),
    )


def test_terms_past_the_limit_are_counted_not_searched():
    parsed = parse_query(" ".join(f"word{i}" for i in range(MAX_TERMS + 3)))
    assert sum(len(group) for group in parsed.groups) == MAX_TERMS
    assert parsed.dropped == 3


def test_websearch_text_never_carries_a_stray_quote():
    # Quotes only ever delimit phrases, so the canonical text is balanced.
    for query in ['a"b', '"a" "b', 'x -"y', '"""', 'it"s "a"b"c']:
        assert parse_query(query).websearch().count('"') % 2 == 0
