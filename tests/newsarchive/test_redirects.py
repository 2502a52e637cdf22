"""The one redirect table: old addresses answer 301, chains collapse, loops are refused."""

import pytest
from django.core.exceptions import ValidationError

from newsarchive.models import Redirect
from newsarchive.redirects import add_redirect, record_move, target_for
from tests.factories import make_editor, make_full_article

pytestmark = pytest.mark.django_db


def rows() -> dict[str, str]:
    return dict(Redirect.objects.values_list("old_path", "new_path"))


def test_an_old_address_answers_301_with_the_new_one(client):
    article = make_full_article()
    record_move(old_path="/old/story/", new_path=article.get_absolute_url())

    response = client.get("/old/story/")

    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_the_query_string_is_carried_over(client):
    record_move(old_path="/category/world/", new_path="/section/world/")

    response = client.get("/category/world/?utm_source=x")

    assert response["Location"] == "/section/world/?utm_source=x"


def test_a_row_for_the_exact_query_wins(client):
    record_move(old_path="/?p=123", new_path="/2026/01/02/story/")
    record_move(old_path="/nothing/", new_path="/")

    assert target_for("/", "p=123") == "/2026/01/02/story/"
    # The home page itself asks the table for WordPress's ?p= addresses.
    assert client.get("/?p=123")["Location"] == "/2026/01/02/story/"


def test_a_live_page_is_never_redirected(client):
    article = make_full_article()
    Redirect.objects.create(old_path=article.get_absolute_url(), new_path="/")

    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_post_to_an_old_address_is_not_redirected(client):
    record_move(old_path="/old/", new_path="/new/")

    assert client.post("/old/").status_code == 404


def test_unicode_paths_redirect(client):
    record_move(old_path="/tag/дождь/", new_path="/tag/rain/")

    response = client.get("/tag/%D0%B4%D0%BE%D0%B6%D0%B4%D1%8C/")

    assert response.status_code == 301
    assert response["Location"] == "/tag/rain/"


def test_a_second_move_collapses_the_chain():
    record_move(old_path="/a/", new_path="/b/")
    record_move(old_path="/b/", new_path="/c/")

    assert rows() == {"/a/": "/c/", "/b/": "/c/"}


def test_moving_back_removes_the_redirect_from_the_live_address():
    record_move(old_path="/a/", new_path="/b/")
    record_move(old_path="/b/", new_path="/a/")

    assert rows() == {"/b/": "/a/"}


def test_a_move_to_the_same_address_writes_nothing():
    record_move(old_path="/a/", new_path="/a/")

    assert rows() == {}


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "evil", ""],
)
def test_a_redirect_never_leaves_the_site(target):
    with pytest.raises(ValidationError):
        record_move(old_path="/a/", new_path=target)


def test_a_typed_redirect_into_a_loop_is_refused():
    record_move(old_path="/a/", new_path="/b/")

    with pytest.raises(ValidationError, match="loop"):
        add_redirect(old_path="/b/", new_path="/a/")


def test_a_typed_redirect_points_at_the_end_of_the_chain():
    record_move(old_path="/a/", new_path="/b/")

    add_redirect(old_path="/z/", new_path="/a/")

    assert rows()["/z/"] == "/b/"


def test_the_database_refuses_a_row_to_itself():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Redirect.objects.create(old_path="/a/", new_path="/a/")


def test_an_editor_adds_a_redirect_in_the_admin(client):
    client.force_login(make_editor())
    record_move(old_path="/a/", new_path="/b/")

    response = client.post(
        "/admin/newsarchive/redirect/add/",
        {"old_path": "/z/", "new_path": "/a/", "reason": "typed"},
    )

    assert response.status_code == 302
    assert rows()["/z/"] == "/b/"


def test_the_admin_says_why_a_loop_is_refused(client):
    client.force_login(make_editor())
    record_move(old_path="/a/", new_path="/b/")

    response = client.post(
        "/admin/newsarchive/redirect/add/",
        {"old_path": "/b/", "new_path": "/a/", "reason": ""},
    )

    assert response.status_code == 200
    assert "a loop" in response.content.decode()
    assert rows() == {"/a/": "/b/"}
