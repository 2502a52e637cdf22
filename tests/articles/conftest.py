"""Fixtures for the article pages."""

import pytest

from tests.factories import NEW_YORK


@pytest.fixture
def site_zone(settings):
    settings.TIME_ZONE = "America/New_York"
    return NEW_YORK
