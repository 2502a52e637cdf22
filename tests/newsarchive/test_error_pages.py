"""Errors reach readers as friendly pages through Django's real handlers."""

import pytest
from django.test import Client
from django.urls import include, path

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("something broke")


# This module doubles as a URLconf: the site plus one view that fails.
urlpatterns = [path("boom/", _boom), path("", include("newsarchive.urls"))]


@pytest.mark.urls(__name__)
def test_a_server_error_shows_the_friendly_500_page():
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "RuntimeError" not in response.text
    assert "something broke" not in response.text


def test_a_missing_page_shows_the_friendly_404_page_with_a_search_box(client):
    response = client.get("/2024/01/01/no-such-story/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.text
    assert 'id="not-found-q" name="q"' in response.text
    assert response.text.count("<h1") == 1


def test_a_stale_form_gets_the_friendly_csrf_page():
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/admin/login/", {"username": "x"})
    assert response.status_code == 403
    assert "Your form expired" in response.text
