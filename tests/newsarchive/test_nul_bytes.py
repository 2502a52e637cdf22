"""A NUL byte in a query string is a 400 everywhere, never a database error."""

import pytest
from django.urls import reverse

from tests.factories import make_moderator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "status__exact=%00",
        "hold_reason__exact=%00",
        "akismet_verdict__exact=%00",
        "author_email=%00",
        "ip__contains=%00",
        "body__contains=x%00y",
        "q=%00",
        "%00=1",
    ],
)
def test_the_comment_changelist_refuses_a_nul_byte(client, query):
    client.force_login(make_moderator())

    response = client.get(f"{reverse('admin:comments_comment_changelist')}?{query}")

    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/", "/search/", "/2026/", "/feed/"])
def test_reader_pages_refuse_a_nul_byte(client, path):
    assert client.get(f"{path}?q=%00&cpage=%00").status_code == 400


def test_a_plain_query_string_still_passes(client):
    assert client.get("/search/?q=harbour").status_code == 200


def test_the_refusal_is_the_site_s_page_and_never_stored(client):
    response = client.get("/?a=%00")

    assert "We couldn’t read that request" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
