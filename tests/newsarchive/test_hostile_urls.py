"""
Every URL pattern of the site, each of its parameters in turn given injection
strings, huge numbers and odd unicode, and every list page given hostile query
strings (search, page numbers, admin filters and sorting): the answer is a
4xx or a page, never a server error. Admin URLs are asked by a superuser,
who sees every view and filter; the rest as an anonymous reader.
"""

import re
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from articles.models import Article
from tests.factories import at, make_comment, make_full_article, make_user

pytestmark = pytest.mark.django_db

HUGE = "9" * 40
INJECTIONS = [
    "' OR '1'='1",
    '" OR 1=1 --',
    "1; DROP TABLE articles_article; --",
    "1 UNION SELECT password FROM auth_user",
    "<script>alert(1)</script>",
    "{{ settings.SECRET_KEY }}",
    "%s%s%n",
    "../../../../etc/passwd",
]
ODD_UNICODE = [
    "🙂",
    "\u202eevil",
    "\u200b",
    "ﬃ",
    "ß" * 3,
    "٣٤",
    "\ufeff",
    "Ａ",  # fullwidth, which NFKC folds to "A"
    "a" * 3000,
]
NUMBERS = ["0", "-1", HUGE, "9223372036854775808", "1e309", "NaN", "0x10"]

# Values that may stand where each kind of parameter does; a value its
# pattern does not match simply makes the URL a 404, which the sweep allows.
CANDIDATES = {
    "int": ["0", "1", HUGE, "9223372036854775808"],
    "slug": ["a" * 300, "-", "_", "x--y", "NULL"],
    "str": [*INJECTIONS, *ODD_UNICODE, *NUMBERS],
    "path": [*INJECTIONS, *ODD_UNICODE, *NUMBERS, "1/2/3"],
    "year": ["0000", "0001", "9999", "1900"],
    "month": ["00", "13", "99", "02"],
    "day": ["00", "32", "99", "30", "29"],
    "word": ["ßtraße", "ﬃ", "٣", "a" * 2000, "--", "_"],
}
ADMIN_IDS = [INJECTIONS[0], "🙂", "\u202eevil", HUGE, "-1", "1/2/3", "a" * 3000]
QUERIES = [
    {"q": value}
    for value in [
        *INJECTIONS,
        *ODD_UNICODE,
        '"unterminated',
        "-",
        "&|!():*",
        "a" * 5000,
    ]
] + [
    *({"page": value} for value in [*NUMBERS, "last", "2.5", ""]),
    *({"cpage": value} for value in [*NUMBERS, "last"]),
    {"p": HUGE},
    {"p": "-1"},
    {"o": "99.-99"},
    {"o": "1.2.3.x"},
    {"status__exact": "' OR 1=1"},
    {"status": "<script>"},
    {"tab": "' OR 1=1"},
    {"tab": HUGE},
    {"published_at__gte": "99999-99-99"},
    {"published_at__lt": "2024-13-45"},
    {"published_at__day": HUGE},
    {"section__id__exact": HUGE},
    {"section__id__exact": "x"},
    {"id__in": "1,a," + HUGE},
    {"article__id__exact": "' OR 1=1"},
    {"_facets": "True"},
    {"all": ""},
    {"e": "1"},
    {"_popup": "1", "_to_field": "password"},
    {"year": HUGE, "month": "13"},
]

# Admin forms take a query string only to prefill fields: a few will do.
ADMIN_FORM_QUERIES = [{"q": INJECTIONS[0]}, {"title": "🙂" * 100}, {"_popup": "1"}]


def _queries_for(name: str) -> list[dict]:
    if name.startswith("admin:") and not name.endswith(("_changelist", "_moderate")):
        return ADMIN_FORM_QUERIES
    return QUERIES


_ROUTE_PARAM = re.compile(r"(?<!\?P)<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)(?:\{\d+\})?")


def _patterns(patterns=None, prefix: str = "", namespace: str = ""):
    """(name, route) for every pattern, routes of include()s joined."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, route, ns)
        else:
            yield f"{namespace}{pattern.name or route}", route


ROUTES = list(_patterns())


def _kind(name: str, converter: str | None) -> str:
    if name in ("year", "month", "day"):
        return name
    if converter is None:  # a regex group: the article slug is [-\w]+
        return "word" if name == "slug" else "path"
    return converter if converter in CANDIDATES else "str"


def _params(route: str) -> list[tuple[str, str]]:
    found = [
        (m["name"], _kind(m["name"], m["conv"])) for m in _ROUTE_PARAM.finditer(route)
    ]
    found += [(m["name"], _kind(m["name"], None)) for m in _REGEX_PARAM.finditer(route)]
    return found


def _fill(route: str, values: dict[str, str]) -> str:
    def value(name: str) -> str:
        return quote(values[name], safe="/")

    path = _REGEX_PARAM.sub(lambda m: value(m["name"]), route)
    path = _ROUTE_PARAM.sub(lambda m: value(m["name"]), path)
    return "/" + path.replace("\\", "")


@pytest.fixture
def site(db):
    article = make_full_article(
        title="Harbour reopens", slug="harbour-reopens", published_at=at(2024, 1, 1, 9)
    )
    comment = make_comment(article=article, body="Good news for the fleet.")
    make_comment(article=article, parent=comment, body="Agreed.")
    return {
        "year": "2024",
        "month": "01",
        "day": "01",
        "slug": article.slug,
        "int": str(comment.pk),
        "pk": str(comment.pk),
        "article_id": str(article.pk),
        "object_id": str(article.pk),
        "id": "1",
        "content_type_id": "1",
        "app_label": "articles",
        "token": "x",
        "url": "nothing-here/",
    }


@pytest.fixture
def superuser_client(db):
    client = Client(raise_request_exception=True)
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def _client_for(name: str, superuser_client) -> Client:
    if name.startswith("admin:"):
        return superuser_client
    return Client(raise_request_exception=True)


def _assert_no_server_error(client: Client, url: str) -> None:
    assert client.get(url).status_code < 500, url


@pytest.mark.parametrize(("name", "route"), ROUTES, ids=[n for n, _ in ROUTES])
def test_every_parameter_of_every_url_survives_hostile_values(
    name, route, site, superuser_client
):
    client = _client_for(name, superuser_client)
    params = _params(route)
    for param, kind in params:
        # The admin's object views share one lookup: a shorter list will do.
        candidates = ADMIN_IDS if name.startswith("admin:") else CANDIDATES[kind]
        for candidate in candidates:
            _assert_no_server_error(client, _fill(route, {**site, param: candidate}))


@pytest.mark.parametrize(
    ("name", "route"),
    [(n, r) for n, r in ROUTES if not _params(r)],
    ids=[n for n, r in ROUTES if not _params(r)],
)
def test_every_page_without_parameters_survives_hostile_query_strings(
    name, route, site, superuser_client
):
    client = _client_for(name, superuser_client)
    for query in _queries_for(name):
        _assert_no_server_error(client, f"/{route}?{urlencode(query)}")


def test_the_sweep_covers_the_kinds_of_url_it_promises():
    names = {name for name, _ in ROUTES}
    assert {
        "articles:search",
        "articles:month",
        "articles:article",
        "articles:section",
        "admin:articles_article_changelist",
        "admin:comments_comment_moderate",
        "comments:post",
        "comments:moderate_link",
    } <= names
    assert _params(dict(ROUTES)["articles:article"]) == [
        ("year", "year"),
        ("month", "month"),
        ("day", "day"),
        ("slug", "word"),
    ]


# Correct results, not only no error -------------------------------------------


def test_an_injection_string_in_search_finds_nothing_rather_than_everything(
    client, site
):
    response = client.get("/search/", {"q": "' OR '1'='1"})

    assert response.status_code == 200
    assert "Harbour reopens" not in response.text


def test_a_page_number_past_the_end_or_huge_is_a_404(client, site):
    assert client.get("/", {"page": HUGE}).status_code == 404
    assert client.get("/", {"page": "-1"}).status_code == 404


def test_impossible_archive_dates_are_404s(client, site):
    assert client.get("/2024/13/").status_code == 404
    assert client.get("/2024/02/30/").status_code == 404
    assert client.get("/0000/").status_code == 404


def test_the_article_is_found_by_its_real_date_and_slug_only(client, site):
    assert client.get("/2024/01/01/harbour-reopens/").status_code == 200
    assert client.get("/2024/01/01/harbour-reopens%C3%9F/").status_code == 404
    assert Article.objects.count() == 1
