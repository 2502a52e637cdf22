"""Fixtures for the article pages: a small newsroom in a few lines."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import (
    make_article,
    make_author,
    make_quote,
    make_section,
    make_source,
    make_tag,
)

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def site_zone(settings):
    settings.TIME_ZONE = "America/New_York"
    return NEW_YORK


def at(*args) -> datetime:
    """A moment in the site's zone (America/New_York in tests)."""
    return datetime(*args, tzinfo=NEW_YORK)


def make_full_article(**fields):
    """A published article with a section, two tags, two authors and a quote."""
    section = fields.pop("section", None) or make_section()
    tags = fields.pop("tags", None) or [make_tag(), make_tag()]
    authors = fields.pop("authors", None) or [make_author(), make_author()]
    article = make_article(section=section, tags=tags, authors=authors, **fields)
    make_quote(article=article, source=make_source(), speaker="A spokesperson")
    return article
