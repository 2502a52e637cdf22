"""
Every reader page carries the security headers and sets no session cookie;
production adds HSTS and secure, HttpOnly cookies.
"""

import pytest
from django.test import Client

from tests.factories import at, make_comment, make_full_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader_pages(db):
    article = make_full_article(
        title="Harbour reopens", slug="harbour-reopens", published_at=at(2024, 1, 1, 9)
    )
    comment = make_comment(article=article)
    section, tag = article.section, article.tags.first()
    author = (
        article.article_authors.first().author
        if hasattr(article, "article_authors")
        else None
    )
    pages = [
        "/",
        article.get_absolute_url(),
        f"{article.get_absolute_url()}?cpage=1",
        "/2024/",
        "/2024/01/",
        "/2024/01/01/",
        "/search/?q=harbour",
        f"/section/{section.slug}/",
        f"/tag/{tag.slug}/",
        f"/comment/{comment.pk}/report/",
        "/privacy/",
        "/feed/",
        "/sitemap.xml",
        "/robots.txt",
        "/no-such-page/",
    ]
    if author is not None:
        pages.append(f"/author/{author.slug}/")
    return pages


def test_reader_pages_send_the_security_headers(reader_pages):
    client = Client()
    for url in reader_pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        if response["Content-Type"].startswith("text/html"):
            csp = response["Content-Security-Policy"]
            # A nonce is named only on pages that use one (an inline script
            # or style); without it only the site's own files may run.
            assert "script-src 'self'" in csp and "object-src 'none'" in csp, url
            assert "frame-ancestors 'none'" in csp, url
            assert "'unsafe-inline'" not in csp, url


def test_a_nonce_is_new_on_every_response(reader_pages):
    client = Client()
    first = client.get("/admin/login/")["Content-Security-Policy"]
    second = client.get("/admin/login/")["Content-Security-Policy"]
    assert "'nonce-" in first
    assert first != second


def test_anonymous_readers_get_no_session_cookie(reader_pages):
    client = Client()
    for url in reader_pages:
        response = client.get(url)
        assert "sessionid" not in response.cookies, url
    assert "sessionid" not in client.cookies


def test_production_sends_hsts_and_marks_cookies_secure_and_http_only(
    settings, reader_pages
):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_SSL_REDIRECT = True
    client = Client()

    assert client.get("/", secure=False).status_code == 301
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert settings.SESSION_COOKIE_HTTPONLY is True
    login = client.get("/admin/login/", secure=True)
    csrf = login.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"


def test_production_settings_turn_on_secure_cookies_and_hsts():
    import subprocess
    import sys

    env = {
        "DEBUG": "false",
        "SECRET_KEY": "k" * 60,
        "ALLOWED_HOSTS": "news.example.com",
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/x",
        "PATH": "/usr/bin:/bin",
    }
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='newsarchive.settings';"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)"
    )
    out = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["True", "True", "True", "31536000", "True"]
