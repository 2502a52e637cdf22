"""Fixtures for the article pages."""

import pytest

from tests.factories import NEW_YORK, make_editor


@pytest.fixture
def site_zone(settings):
    settings.TIME_ZONE = "America/New_York"
    return NEW_YORK


@pytest.fixture
def editor_client(client):
    """A client signed in as an editor (the Editors group's permissions)."""
    client.force_login(make_editor())
    return client
