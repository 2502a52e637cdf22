"""
Settings read the environment once: safe development defaults, and a
production mode (DEBUG=false) that refuses to start with unsafe values.

Each case runs Django in a subprocess with a clean environment, because the
settings module of this test process is already loaded.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

# A long random-looking key, built here so no real secret is committed.
PRODUCTION_SECRET_KEY = "k3y-" + "9fQ2xLm7Vb" * 6

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": PRODUCTION_SECRET_KEY,
    "ALLOWED_HOSTS": "news.example.com",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/newsarchive",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "AKISMET_API_KEY": "x",
    "AKISMET_SITE_URL": "https://news.example.com",
}


def _clean_env(extra: dict[str, str]) -> dict[str, str]:
    """Only what Python needs, so the caller's DATABASE_URL etc. don't leak in."""
    env = {
        key: os.environ[key]
        for key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
        if key in os.environ
    }
    env["DJANGO_SETTINGS_MODULE"] = "newsarchive.settings"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=_clean_env(env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _setup(env: dict[str, str]) -> subprocess.CompletedProcess:
    return _run(["-c", "import django; django.setup()"], env)


def _settings(env: dict[str, str], *names: str) -> dict:
    """The named settings as Django sees them under `env`."""
    code = (
        "import json, sys, django; django.setup(); "
        "from django.conf import settings; "
        "print(json.dumps({n: getattr(settings, n) for n in sys.argv[1:]}, "
        "default=str))"
    )
    result = _run(["-c", code, *names], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _production(**overrides: str | None) -> dict[str, str]:
    env = dict(PRODUCTION_ENV)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


# Development defaults ---------------------------------------------------------


def test_every_cache_call_goes_through_the_fault_tolerant_door():
    values = _settings({"CACHE_URL": "redis://127.0.0.1:6379/1"}, "CACHES")
    assert values["CACHES"]["default"] == {
        "BACKEND": "newsarchive.cache.FaultTolerantCache",
        "OPTIONS": {"BACKING": "backing"},
    }


def test_it_runs_in_development_with_nothing_set():
    values = _settings(
        {},
        "DEBUG",
        "DATABASES",
        "CACHES",
        "MAILERS",
        "ALLOWED_HOSTS",
        "SESSION_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "AKISMET_API_KEY",
    )
    assert values["DEBUG"] is True
    db = values["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(db["NAME"]) == REPO_ROOT / "db.sqlite3"
    # Shared by gunicorn's workers, the task worker and the scheduler.
    assert (
        values["CACHES"]["backing"]["BACKEND"]
        == "django.core.cache.backends.db.DatabaseCache"
    )
    assert (
        values["MAILERS"]["default"]["BACKEND"]
        == "django.core.mail.backends.console.EmailBackend"
    )
    assert "127.0.0.1" in values["ALLOWED_HOSTS"]
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["AKISMET_API_KEY"] == ""


def test_the_default_cache_is_the_database_cache_every_process_shares():
    values = _settings({}, "CACHES")
    cache = values["CACHES"]["backing"]
    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert cache["LOCATION"] == "newsarchive_cache"


def test_site_url_follows_the_port_served():
    values = _settings({"PORT": "8001"}, "SITE_URL", "AKISMET_SITE_URL")
    assert values == {
        "SITE_URL": "http://127.0.0.1:8001",
        "AKISMET_SITE_URL": "http://127.0.0.1:8001",
    }


def test_site_url_defaults_to_port_8000():
    values = _settings({}, "SITE_URL", "AKISMET_SITE_URL")
    assert values["SITE_URL"] == "http://127.0.0.1:8000"
    assert values["AKISMET_SITE_URL"] == "http://127.0.0.1:8000"


def test_an_explicit_site_url_wins_over_the_port():
    values = _settings(
        {"PORT": "8001", "SITE_URL": "https://news.example.com/"},
        "SITE_URL",
        "AKISMET_SITE_URL",
    )
    assert values["SITE_URL"] == "https://news.example.com"
    assert values["AKISMET_SITE_URL"] == "https://news.example.com"


def test_cache_url_redis_selects_djangos_redis_cache_with_one_client_per_pool():
    values = _settings({"CACHE_URL": "redis://127.0.0.1:6379/1"}, "CACHES")
    cache = values["CACHES"]["backing"]
    assert cache["BACKEND"] == "newsarchive.cache.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/1"
    # A Redis that hangs fails fast instead of holding every page.
    assert cache["OPTIONS"]["socket_connect_timeout"] == 0.5
    assert cache["OPTIONS"]["socket_timeout"] == 0.5


def test_media_storage_s3_selects_our_bucket_storage():
    values = _settings(
        {"MEDIA_STORAGE": "s3", "MEDIA_S3_BUCKET": "newsarchive-media"}, "STORAGES"
    )
    default = values["STORAGES"]["default"]
    assert default["BACKEND"] == "newsarchive.s3.MediaStorage"
    assert default["OPTIONS"]["bucket_name"] == "newsarchive-media"


def test_database_url_selects_postgresql():
    values = _settings(
        {"DATABASE_URL": "postgres://news:pw@db.internal:5433/archive"}, "DATABASES"
    )
    db = values["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["HOST"], db["PORT"], db["USER"]) == (
        "archive",
        "db.internal",
        5433,
        "news",
    )


def test_postgresql_prepares_only_what_server_binding_cursors_run_unless_told_not_to():
    url = {"DATABASE_URL": "postgres://news:pw@db.internal:5433/archive"}
    prepared = _settings(url, "DATABASES")["DATABASES"]["default"]
    plain = _settings({**url, "DATABASE_PREPARED_STATEMENTS": "false"}, "DATABASES")[
        "DATABASES"
    ]["default"]

    assert prepared["OPTIONS"]["prepare_threshold"] == 2
    assert "prepare_threshold" not in plain.get("OPTIONS", {})


def test_email_url_builds_smtp_mailer_options():
    values = _settings(
        {"EMAIL_URL": "smtp+tls://mailer:s3cret@mail.example.com:587"}, "MAILERS"
    )
    mailer = values["MAILERS"]["default"]
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    options = mailer["OPTIONS"]
    assert options["host"] == "mail.example.com"
    assert options["port"] == 587
    assert options["username"] == "mailer"
    assert options["password"] == "s3cret"
    assert options["use_tls"] is True
    assert options["use_ssl"] is False


def test_comment_settings_are_read_from_the_environment():
    values = _settings(
        {"COMMENTS_MAX_DEPTH": "3", "AKISMET_TIMEOUT": "0.5", "DEMO_PASSWORD": "pw"},
        "COMMENTS_MAX_DEPTH",
        "AKISMET_TIMEOUT",
        "DEMO_PASSWORD",
    )
    assert values == {
        "COMMENTS_MAX_DEPTH": 3,
        "AKISMET_TIMEOUT": 0.5,
        "DEMO_PASSWORD": "pw",
    }


# Production refuses unsafe values ---------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set"),
        (
            {"SECRET_KEY": "django-insecure-dev-only-key-never-use-in-production"},
            "SECRET_KEY must be set",
        ),
        ({"SECRET_KEY": "short-but-not-empty"}, "SECRET_KEY must be set"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS must list"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must list"),
        ({"DATABASE_URL": None}, "DATABASE_URL must point at a real database"),
        (
            {"DATABASE_URL": "sqlite:////tmp/newsarchive.sqlite3"},
            "DATABASE_URL must point at a real database",
        ),
        ({"CACHE_URL": "locmemcache://"}, "CACHE_URL must be a cache"),
        ({"CACHE_URL": "dummycache://"}, "CACHE_URL must be a cache"),
        ({"CACHE_URL": "filecache:///tmp/newsarchive-cache"}, "CACHE_URL must be"),
    ],
    ids=[
        "missing-secret-key",
        "dev-secret-key",
        "short-secret-key",
        "missing-allowed-hosts",
        "wildcard-allowed-hosts",
        "missing-database-url",
        "sqlite-database-url",
        "local-memory-cache",
        "dummy-cache",
        "file-cache",
    ],
)
def test_production_refuses_to_start_with(overrides, message):
    result = _setup(_production(**overrides))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Refusing to start in production" in result.stderr
    assert message in result.stderr


def test_production_reports_every_problem_at_once():
    result = _setup({"DEBUG": "false"})
    assert result.returncode != 0
    for message in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
        assert message in result.stderr


def test_production_starts_with_a_full_environment():
    result = _setup(_production())
    assert result.returncode == 0, result.stderr


def test_production_without_cache_url_shares_the_database_cache():
    values = _settings(_production(CACHE_URL=None), "CACHES")
    assert (
        values["CACHES"]["backing"]["BACKEND"]
        == "django.core.cache.backends.db.DatabaseCache"
    )


def test_hsts_subdomains_and_preload_are_switched_on_by_env():
    values = _settings(
        _production(SECURE_HSTS_INCLUDE_SUBDOMAINS="true", SECURE_HSTS_PRELOAD="true"),
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
    )
    assert values == {
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
    }


def test_production_turns_on_https_only_security():
    values = _settings(
        _production(),
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "MIDDLEWARE",
        "SECURE_CSP",
        "STORAGES",
        "MAILERS",
    )
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    # Opt-in, as they bind every subdomain (and preload lists are sticky).
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert (
        "django.middleware.csp.ContentSecurityPolicyMiddleware"
        in (values["MIDDLEWARE"])
    )
    # Scripts and styles only from our origin or with the per-request nonce.
    script_src = values["SECURE_CSP"]["script-src"]
    assert "'unsafe-inline'" not in script_src
    assert any("nonce" in str(item).lower() for item in script_src)
    assert (
        values["STORAGES"]["staticfiles"]["BACKEND"]
        == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    # Console mail would silently drop messages in production.
    assert (
        values["MAILERS"]["default"]["BACKEND"]
        == "django.core.mail.backends.smtp.EmailBackend"
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"SECURE_HSTS_INCLUDE_SUBDOMAINS": "true", "SECURE_HSTS_PRELOAD": "true"},
        {"CACHE_URL": None},
    ],
    ids=["hsts-defaults", "hsts-subdomains-and-preload", "database-cache"],
)
def test_check_deploy_is_clean_in_production(overrides):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        _production(**overrides),
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNINGS" not in output


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("consolemail://", "console"),
        ("memorymail://", "locmem"),
        ("dummymail://", "dummy"),
        ("smtp://127.0.0.1:2525", "smtp"),
    ],
)
def test_every_email_url_scheme_gives_a_mailer_that_starts(url, backend):
    code = (
        "import django; django.setup(); "
        "from django.core.mail import mailers; "
        "print(type(mailers['default']).__module__)"
    )
    result = _run(["-c", code], _clean_env({"EMAIL_URL": url}))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(f"backends.{backend}")


def test_filemail_writes_where_its_url_says(tmp_path):
    code = (
        "import django; django.setup(); "
        "from django.core.mail import send_mail; "
        "send_mail('Hello', 'Body', 'a@example.com', ['b@example.com'])"
    )
    result = _run(["-c", code], _clean_env({"EMAIL_URL": f"filemail://{tmp_path}"}))

    assert result.returncode == 0, result.stderr
    assert "Subject: Hello" in "".join(p.read_text() for p in tmp_path.iterdir())


def test_media_root_comes_from_the_environment(tmp_path):
    values = _settings({"MEDIA_ROOT": str(tmp_path / "shared-media")}, "MEDIA_ROOT")

    assert values["MEDIA_ROOT"] == str(tmp_path / "shared-media")


def test_media_root_defaults_to_media_in_the_checkout():
    values = _settings({}, "MEDIA_ROOT")

    assert values["MEDIA_ROOT"].endswith("/media")
