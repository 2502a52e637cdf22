"""
Every kind of page in Chromium under the site's CSP: home, an article with
comments, the archives, search, the privacy page, a 404, the admin login, an
admin change form and the moderation queue. Any CSP violation reported or
logged fails the test, as does any script error.
"""

import pytest

from comments.models import Status
from tests.factories import at, make_comment, make_full_article, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def assert_clean(page, url):
    assert page.csp_violations() == [], url
    assert page.console_csp_violations() == [], url
    assert page.page_errors == [], url
    assert page.dialogs == [], url


@pytest.fixture
def site(db):
    article = make_full_article(
        title="Harbour reopens", slug="harbour-reopens", published_at=at(2024, 1, 1, 9)
    )
    first = make_comment(article=article, body="Good news, see https://example.com/")
    make_comment(article=article, parent=first, body="*Agreed* <em>really</em>")
    make_comment(article=article, status=Status.HELD, body="Held for a look")
    make_user(
        username="chief", password="chief-pass-123", is_staff=True, is_superuser=True
    )
    return article


def test_reader_pages_run_without_a_csp_violation(live_server, page, site):
    for path in [
        "/",
        site.get_absolute_url(),
        "/2024/",
        "/2024/01/",
        "/2024/01/01/",
        "/search/?q=harbour",
        f"/section/{site.section.slug}/",
        "/privacy/",
        "/no-such-page/",
    ]:
        url = f"{live_server.url}{path}"
        response = page.goto(url)
        assert response is not None and response.status in (200, 404), url
        assert "content-security-policy" in response.headers, url
        page.wait_for_load_state("load")
        assert_clean(page, url)


def test_staff_pages_run_without_a_csp_violation(live_server, page, site):
    page.goto(f"{live_server.url}/admin/login/")
    assert_clean(page, "login")
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill("chief-pass-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/admin/")

    for path in [
        "/admin/",
        f"/admin/articles/article/{site.pk}/change/",
        "/admin/articles/image/picker/",
        "/admin/comments/comment/moderate/",
        "/admin/comments/comment/moderate/?tab=held",
        "/admin/comments/comment/",
    ]:
        url = f"{live_server.url}{path}"
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        page.wait_for_load_state("load")
        assert_clean(page, url)
