"""
Renaming a section, tag, author or source slug in the admin leaves a 301
from its old page and feeds, written to the site's one redirect table.
"""

import pytest

from newsarchive.models import Redirect
from tests.factories import (
    make_article,
    make_author,
    make_section,
    make_source,
    make_tag,
)

pytestmark = pytest.mark.django_db

FACTORIES = {
    "section": make_section,
    "tag": make_tag,
    "author": make_author,
    "source": make_source,
}


def _form(kind, obj, slug):
    data = {"name": obj.name, "slug": slug}
    if kind == "source":
        data.update(
            {
                "url": obj.url,
                "quotes-TOTAL_FORMS": "0",
                "quotes-INITIAL_FORMS": "0",
                "quotes-MIN_NUM_FORMS": "0",
                "quotes-MAX_NUM_FORMS": "0",
            }
        )
    if kind == "author":
        data.update({"bio": "", "notify_on_comments": "on"})
    if kind == "section":
        data["description"] = ""
    return data


@pytest.mark.parametrize("kind", FACTORIES)
def test_renaming_a_slug_in_the_admin_leaves_a_301(editor_client, client, kind):
    obj = FACTORIES[kind](slug="old-name")
    make_article()

    response = editor_client.post(
        f"/admin/articles/{kind}/{obj.pk}/change/", _form(kind, obj, "new-name")
    )

    assert response.status_code == 302, response.text[:2000]
    for suffix in ("", "feed/", "feed/atom/"):
        answer = client.get(f"/{kind}/old-name/{suffix}")
        assert answer.status_code == 301
        assert answer["Location"] == f"/{kind}/new-name/{suffix}"
    assert client.get(f"/{kind}/new-name/").status_code == 200


@pytest.mark.parametrize("kind", FACTORIES)
def test_saving_without_a_slug_change_writes_no_redirect(editor_client, kind):
    obj = FACTORIES[kind](slug="same")
    response = editor_client.post(
        f"/admin/articles/{kind}/{obj.pk}/change/", _form(kind, obj, "same")
    )
    assert response.status_code == 302
    assert not Redirect.objects.exists()


def test_renaming_twice_sends_the_first_address_straight_to_the_last(
    editor_client, client
):
    tag = make_tag(slug="one")
    for slug in ("two", "three"):
        editor_client.post(
            f"/admin/articles/tag/{tag.pk}/change/", {"name": tag.name, "slug": slug}
        )
    assert client.get("/tag/one/")["Location"] == "/tag/three/"
    assert client.get("/tag/two/")["Location"] == "/tag/three/"


def test_renaming_back_serves_the_page_again_not_a_loop(editor_client, client):
    tag = make_tag(slug="first")
    for slug in ("second", "first"):
        editor_client.post(
            f"/admin/articles/tag/{tag.pk}/change/", {"name": tag.name, "slug": slug}
        )
    assert client.get("/tag/first/").status_code == 200
    assert client.get("/tag/second/")["Location"] == "/tag/first/"
