"""
The reply-notification and author opt-out / opt-in pages show an email
address (or act for one) from a signed link: every answer, the confirmation
page, the result, a bad link, a refused CSRF check or a wrong method, is
Cache-Control: no-store, like the moderators' links.
"""

import pytest
from django.test import Client

from articles.models import Author
from comments import tokens
from comments.models import ReplySubscription
from tests.factories import make_author, make_user

pytestmark = pytest.mark.django_db

EMAIL = "ada@example.com"


@pytest.fixture
def author() -> Author:
    author = make_author(name="Jo")
    author.user = make_user(email="jo@example.com")
    author.notify_on_comments = False
    author.save()
    return author


def _path(url: str) -> str:
    return url.removeprefix("http://testserver")


def _bad(path: str) -> str:
    """The same route with a token that fails its signature."""
    parts = path.split("/")  # [..., token, ""] or [..., token, "lift", ""]
    parts[-3 if path.endswith("/lift/") else -2] = "tampered"
    return "/".join(parts)


def _links(author: Author) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each route: a valid path and the methods it answers."""
    return {
        "replies_confirm": (_path(tokens.confirm_url(EMAIL)), ("get", "post")),
        "replies_unsubscribe": (_path(tokens.unsubscribe_url(EMAIL)), ("get", "post")),
        "replies_optout_lift": (tokens.reply_optout_lift_path(EMAIL), ("post",)),
        "author_optout": (_path(tokens.author_optout_url(author)), ("get", "post")),
        "author_optout_lift": (tokens.author_optout_lift_path(author.pk), ("post",)),
        "author_optin": (_path(tokens.author_optin_url(author)), ("get", "post")),
    }


ROUTES = [
    "replies_confirm",
    "replies_unsubscribe",
    "replies_optout_lift",
    "author_optout",
    "author_optout_lift",
    "author_optin",
]


def _assert_no_store(response) -> None:
    assert "no-store" in response.get("Cache-Control", ""), (
        response.status_code,
        response.get("Cache-Control"),
    )


@pytest.fixture(autouse=True)
def _opted_out_reader(db):
    ReplySubscription.objects.create(email=EMAIL)


@pytest.mark.parametrize("route", ROUTES)
def test_each_page_and_its_result_are_not_stored(client, author, route):
    path, methods = _links(author)[route]

    for method in methods:
        response = getattr(client, method)(path)

        assert response.status_code == 200
        _assert_no_store(response)


@pytest.mark.parametrize("route", ROUTES)
def test_a_bad_link_is_not_stored(client, author, route):
    path, methods = _links(author)[route]

    for method in methods:
        response = getattr(client, method)(_bad(path))

        assert response.status_code == 400
        _assert_no_store(response)


@pytest.mark.parametrize("route", ROUTES)
def test_a_wrong_method_is_not_stored(client, author, route):
    path, methods = _links(author)[route]

    response = client.put(path)

    assert response.status_code == 405
    _assert_no_store(response)


@pytest.mark.parametrize(
    "route",
    ["replies_confirm", "replies_optout_lift", "author_optout_lift", "author_optin"],
)
def test_a_refused_csrf_check_is_not_stored(author, route):
    path, _ = _links(author)[route]

    response = Client(enforce_csrf_checks=True).post(path)

    assert response.status_code == 403
    _assert_no_store(response)


@pytest.mark.parametrize(
    "route",
    ["replies_confirm", "replies_optout_lift", "author_optout_lift", "author_optin"],
)
def test_their_forms_still_pass_the_csrf_check(author, route):
    client = Client(enforce_csrf_checks=True)
    links = _links(author)
    # The confirmation page carries a form, so it hands out the CSRF cookie.
    assert client.get(links["replies_confirm"][0]).status_code == 200
    token = client.cookies["csrftoken"].value
    path, _ = links[route]

    response = client.post(path, {"csrfmiddlewaretoken": token})

    assert response.status_code == 200
    _assert_no_store(response)
