"""
newsarchive settings: the only module that reads the environment.

Development defaults are safe and need nothing set (SQLite file, a cache table
in it, console mail, no Akismet key). Production is switched on by DEBUG=false
and then refuses to start without SECRET_KEY, ALLOWED_HOSTS, a real database
and a cache the app servers share. Every variable read here is documented in
.env.example.
"""

from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django_prose_editor.config import html_tags
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEV_SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"  # noqa: S105

DEBUG = env.bool("DEBUG", default=True)

# Core settings, A–Z ----------------------------------------------------------

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if not DEBUG else ["127.0.0.1", "localhost", "[::1]"]
)

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Without CACHE_URL: Django's database cache, a table in the default database
# (`manage.py createcachetable`), so gunicorn's workers, db_worker and the
# scheduler see one cache; a per-process cache would keep a moderator's
# decision from the other processes and split flood control between them.
# Flood and duplicate control need add() atomic across processes: here a new
# key is one primary-key INSERT, and SQLite writes take turns, so only one
# add() wins; the file cache's add() checks for the file, then writes it, and
# two processes can both win. Redis in production.
# The configured cache is the "backing" alias; "default" wraps it so that a
# failing cache (Redis down) is a miss everywhere, {% cache %} included
# (newsarchive/cache.py).
_backing_cache = env.cache_url("CACHE_URL", default="dbcache://newsarchive_cache")
_backing_cache.setdefault("KEY_PREFIX", env.str("CACHE_KEY_PREFIX", default="na"))
if _backing_cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same cache, minus a client built per call (newsarchive/cache.py).
    _backing_cache["BACKEND"] = "newsarchive.cache.RedisCache"
    # A Redis that hangs must fail fast, to be served around (newsarchive/cache.py).
    _redis_options = _backing_cache.setdefault("OPTIONS", {})
    _redis_options.setdefault("socket_connect_timeout", 0.5)
    _redis_options.setdefault("socket_timeout", 0.5)
if _backing_cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    # Django's default of 300 entries would cull the page fragments constantly.
    _backing_cache.setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 10_000)
CACHES = {
    "default": {
        "BACKEND": "newsarchive.cache.FaultTolerantCache",
        "OPTIONS": {"BACKING": "backing"},
    },
    "backing": _backing_cache,
}

# No script of ours reads the CSRF cookie (forms carry the token).
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = not DEBUG
CSRF_FAILURE_VIEW = "newsarchive.views.csrf_failure"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A kept connection is tested before each request reuses it, so after a
# database restart the first request reconnects instead of failing on a dead
# socket; a connection that errored is dropped at the request's end.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the task worker share the
    # file without "database is locked" errors.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):
    # The version-token read every page makes, a full-page cache hit's one
    # query (newsarchive.fragments), is prepared once a kept connection has
    # run it twice: PostgreSQL then skips parsing and planning it. Django's
    # own queries bind on the client and are never prepared. Off behind a
    # pooler that cannot keep prepared statements (PgBouncer before 1.21 in
    # transaction mode).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 2)
if "TEST" not in DATABASES["default"] and env.str("TEST_DATABASE_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="newsarchive <news@localhost>"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_prose_editor",
    "simple_history",
    "newsarchive",
    "articles",
    "comments",
    # After newsarchive, whose db_worker (kept alive through database
    # outages) then replaces this app's.
    "django_tasks_db",
]

LANGUAGE_CODE = "en-us"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # httpx logs akismet.py's own URL, not AKISMET_API_URL; the adapter logs.
        "httpx": {"level": "WARNING"},
    },
}

# Admin sign-in throttling (newsarchive/login_throttle.py): failures allowed
# per username and per address within the lockout window, then locked for it.
LOGIN_FAILURES_PER_IP = env.int("LOGIN_FAILURES_PER_IP", default=20)
LOGIN_FAILURES_PER_USERNAME = env.int("LOGIN_FAILURES_PER_USERNAME", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)

LOGIN_URL = "admin:login"

# Uploaded pictures: local files in development (make run serves them),
# an S3-compatible bucket in production with MEDIA_STORAGE=s3 (README).
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
# Django itself serves MEDIA_ROOT under MEDIA_URL (make run); in production
# the web server or the bucket does.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)

# Messages ride in a signed cookie only: the default falls back to the session
# for long messages, which would give an anonymous reader a session cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

# Mail through Django 6.1 mailers: console in development, SMTP from EMAIL_URL
# (smtp+tls://user:password@host:587) in production.
_email_url = env.str("EMAIL_URL", default="")
if _email_url:
    _email = env.email_url_config(_email_url)
    _mailer = {"BACKEND": _email["EMAIL_BACKEND"]}
    # Each backend takes its own options; SMTP's would break the others.
    if _mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
        _mailer["OPTIONS"] = {
            "host": _email.get("EMAIL_HOST"),
            "port": _email.get("EMAIL_PORT"),
            "username": _email.get("EMAIL_HOST_USER"),
            "password": _email.get("EMAIL_HOST_PASSWORD"),
            "use_tls": _email.get("EMAIL_USE_TLS", False),
            "use_ssl": _email.get("EMAIL_USE_SSL", False),
            "timeout": 10,
        }
    elif _mailer["BACKEND"] == "django.core.mail.backends.filebased.EmailBackend":
        # filemail:///var/mail/site: the URL's path, which environ strips of "/".
        _mailer["OPTIONS"] = {"file_path": urlsplit(_email_url).path or "."}
    MAILERS = {"default": _mailer}
elif DEBUG:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    # Production without EMAIL_URL: SMTP to a local MTA on port 25 (Django's
    # classic default), never the console, which would silently drop mail.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "localhost", "port": 25, "timeout": 10},
        }
    }

MIDDLEWARE = [
    # Load balancers' probes, answered before host checks and the HTTPS redirect.
    "newsarchive.health.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "newsarchive.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Ahead of the session: a cached page costs no session or user lookup.
    "newsarchive.pagecache.PageCacheMiddleware",
    # A page's cache entries in one round trip (the keys it read last time).
    "newsarchive.cache.ReadAheadMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "newsarchive.middleware.RedirectFallbackMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Revisions record who saved, on every path that has a request.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "newsarchive.urls"

SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY if DEBUG else "")

# Production security: HTTPS only, HSTS, secure cookies. Behind a TLS-terminating
# proxy set SECURE_PROXY_SSL_HEADER_NAME (e.g. HTTP_X_FORWARDED_PROTO).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
TIPTAP_BASE_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # The hash: the fixed base stylesheet the admin's body editor (Tiptap,
    # in django-prose-editor) inserts as a <style> element; it allows that
    # exact text only. tests/browser/test_newsroom_editor.py sees no refusal.
    "style-src": [CSP.SELF, CSP.NONCE, TIPTAP_BASE_STYLE_HASH],
    "img-src": [CSP.SELF, "https:", "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
# Opt-in: includeSubDomains forces HTTPS on every subdomain of the site's
# domain, and a preload listing is shipped in browsers and slow to undo.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
_proxy_header = env.str("SECURE_PROXY_SSL_HEADER_NAME", default="")
SECURE_PROXY_SSL_HEADER = (_proxy_header, "https") if _proxy_header else None
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)

SERVER_EMAIL = env.str("SERVER_EMAIL", default="root@localhost")

SESSION_COOKIE_NAME = "sessionid"
SESSION_COOKIE_SECURE = not DEBUG

# check --deploy warns while HSTS subdomains (W005) and preload (W021) are off;
# both are a decision for the site's owner, made with the env variables above.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "static/"
# MEDIA_ROOT (above) also holds uploaded WordPress exports until the task
# worker reads them; with several app servers it must be storage they all share.
STATICFILES_DIRS = [BASE_DIR / "static"]
_media_storage = env.str("MEDIA_STORAGE", default="local")
if _media_storage == "s3":
    # django-storages; credentials come from the usual AWS_* variables.
    _default_storage = {
        # django-storages' S3Storage, writing each object's type from its
        # stored extension (newsarchive/s3.py).
        "BACKEND": "newsarchive.s3.MediaStorage",
        "OPTIONS": {
            "bucket_name": env.str("MEDIA_S3_BUCKET"),
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
            "custom_domain": env.str("MEDIA_S3_CUSTOM_DOMAIN", default="") or None,
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
elif _media_storage == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("MEDIA_STORAGE must be local or s3")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

TASKS = {
    "default": {
        "BACKEND": env.str("TASK_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "newsarchive.context_processors.site",
            ],
        },
    }
]

TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

WSGI_APPLICATION = "newsarchive.wsgi.application"

X_FRAME_OPTIONS = "DENY"

# Third-party settings ---------------------------------------------------------

# Our own editor extensions (static/js/prose_quote_source.js): a blockquote
# with a source line and a cite address. The processors name the markup for
# the library's nh3 allowlist; ours is newsarchive/sanitize.py, which decides.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("js/prose_quote_source.js")],
        "extensions": {
            "QuoteSource": html_tags(
                ["blockquote", "footer", "cite"], {"blockquote": ["cite"]}
            )
        },
    }
]

# newsarchive settings ---------------------------------------------------------

# Password for the demo editor/moderator accounts (DEBUG only); random if empty.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="")
SITE_NAME = env.str("SITE_NAME", default="The Newsarchive")
# The port the site is served on (`make run PORT=8001` passes it to every
# process); without SITE_URL, links name this port on 127.0.0.1.
PORT = env.int("PORT", default=8000)
# Absolute origin used in feeds, share links and the Akismet "blog" field.
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")
ARTICLES_PER_PAGE = env.int("ARTICLES_PER_PAGE", default=10)
# Uploaded pictures: the largest file, and the most pixels it may decode to
# (a small file can decode to gigabytes: a decompression bomb).
IMAGE_UPLOAD_MAX_BYTES = env.int("IMAGE_UPLOAD_MAX_BYTES", default=20_000_000)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
# Feeds carry each article's full text (WordPress's "Full text"), or only
# its excerpt.
FEEDS_FULL_CONTENT = env.bool("FEEDS_FULL_CONTENT", default=True)
FEED_SIZE = env.int("FEED_SIZE", default=20)
# The sitemaps protocol's own ceiling; tests lower it to cross a page.
SITEMAP_PAGE_SIZE = 50_000

# The full-page cache for anonymous readers (newsarchive.pagecache). A page
# opts in by its URL name; its entry dies with any token of the scopes it
# showed, at the soonest time PAGE_CACHE_EXPIRY names, or after
# PAGE_CACHE_SECONDS. Proxies and CDNs may keep a page
# PAGE_CACHE_SHARED_SECONDS (s-maxage); browsers revalidate every time.
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=3600)
PAGE_CACHE_SHARED_SECONDS = env.int("PAGE_CACHE_SHARED_SECONDS", default=30)
# Each process also keeps copies of the pages it served, checked against the
# same tokens on every hit, up to this many bytes (a page over a quarter of
# it is not kept): a hit then reads nothing from the shared cache.
PAGE_CACHE_LOCAL_BYTES = env.int("PAGE_CACHE_LOCAL_BYTES", default=8 * 1024 * 1024)
PAGE_CACHE_VIEWS = [
    "articles:home",
    "articles:year",
    "articles:month",
    "articles:day",
    "articles:article",
    "articles:section",
    "articles:tag",
    "articles:author",
    "articles:source",
    "articles:sources",
    # Each query, filter and page number is an entry of its own, dying with
    # the articles token like the rest: a repeated search costs one query.
    "articles:search",
    "articles:feed",
    "articles:feed_atom",
    *(
        f"articles:{kind}_feed{atom}"
        for kind in ("section", "tag", "author", "source")
        for atom in ("", "_atom")
    ),
]
# Every opted-in page shows the article scope (the section nav at least).
# Every query parameter a cached page reads: pagination, comment pages and
# reply links, the search form, and WordPress's old ?p= style addresses on
# the home page. Others are dropped before the page is looked up or rendered
# (pagecache.only_known_params). A page that reads a new one adds it here.
PAGE_CACHE_QUERY_PARAMS = {
    "page",
    "cpage",
    "replytocom",
    "q",
    "section",
    "tag",
    "author",
    "year",
    "p",
    "page_id",
    "cat",
}
PAGE_CACHE_SCOPES = ["articles"]
# Functions returning when pages next change with no write to bump on.
PAGE_CACHE_EXPIRY = ["articles.selectors.next_publication_time"]
# A request with any of these cookies gets its own, uncached page: a signed-in
# session, flash messages, and the comments app's pending / editable comment
# and saved-details cookies (comments.cookies; a test keeps the two in step).
PAGE_CACHE_PERSONAL_COOKIES = [
    SESSION_COOKIE_NAME,
    "messages",
    "comments_pending",
    "comments_editable",
    "comments_commenter",
]

AKISMET_API_KEY = env.str("AKISMET_API_KEY", default="")
AKISMET_SITE_URL = env.str("AKISMET_SITE_URL", default=SITE_URL)
AKISMET_API_URL = env.str("AKISMET_API_URL", default="https://rest.akismet.com").rstrip(
    "/"
)
AKISMET_TIMEOUT = env.float("AKISMET_TIMEOUT", default=2.0)
# Akismet's is_test flag: on everywhere but production so tests never train it.
AKISMET_IS_TEST = env.bool("AKISMET_IS_TEST", default=DEBUG)

COMMENTS_AKISMET_DISCARD = env.bool("COMMENTS_AKISMET_DISCARD", default=True)
COMMENTS_CLOSE_AFTER_DAYS = env.int("COMMENTS_CLOSE_AFTER_DAYS", default=0)
COMMENTS_HOLD_FIRST_TIME = env.bool("COMMENTS_HOLD_FIRST_TIME", default=False)
COMMENTS_MAX_DEPTH = env.int("COMMENTS_MAX_DEPTH", default=5)
COMMENTS_MAX_LINKS = env.int("COMMENTS_MAX_LINKS", default=2)
COMMENTS_NEWEST_FIRST = env.bool("COMMENTS_NEWEST_FIRST", default=False)
COMMENTS_PER_PAGE = env.int("COMMENTS_PER_PAGE", default=50)
COMMENTS_REPORT_THRESHOLD = env.int("COMMENTS_REPORT_THRESHOLD", default=3)
# How many reverse proxies in front of the app append to X-Forwarded-For; 0
# means REMOTE_ADDR is the reader's address.
COMMENTS_TRUSTED_PROXIES = env.int("COMMENTS_TRUSTED_PROXIES", default=0)
# Flood control: seconds before the same IP or email may comment again.
COMMENTS_FLOOD_SECONDS = env.int("COMMENTS_FLOOD_SECONDS", default=15)
# purge_comments replaces stored IP addresses older than this many days with NULL.
COMMENTS_ANONYMISE_IP_DAYS = env.int("COMMENTS_ANONYMISE_IP_DAYS", default=30)
# purge_comments deletes the copy of what was sent to Akismet this many days
# after posting; rechecks and spam / ham reports need it until then.
COMMENTS_AKISMET_PAYLOAD_DAYS = env.int("COMMENTS_AKISMET_PAYLOAD_DAYS", default=15)
# purge_comments deletes spam this many days after its last change.
COMMENTS_SPAM_KEEP_DAYS = env.int("COMMENTS_SPAM_KEEP_DAYS", default=15)
if min(COMMENTS_AKISMET_PAYLOAD_DAYS, COMMENTS_SPAM_KEEP_DAYS) < 1:
    # 0 would delete spam before a moderator could look at it, and a payload
    # before its comment's first check.
    raise ImproperlyConfigured(
        "COMMENTS_AKISMET_PAYLOAD_DAYS and COMMENTS_SPAM_KEEP_DAYS must be 1 or more"
    )
# Where readers send requests to export or erase their data (the privacy
# page names it); default: the address mail is sent from.
PRIVACY_CONTACT_EMAIL = env.str(
    "PRIVACY_CONTACT_EMAIL", default=parseaddr(DEFAULT_FROM_EMAIL)[1]
)

# Production refuses unsafe defaults -------------------------------------------

# Caches other processes or machines cannot see (the file cache is per machine).
_PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}

if not DEBUG:
    _problems = []
    if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        _problems.append("SECRET_KEY must be set to a random string of 50+ characters")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        _problems.append("ALLOWED_HOSTS must list the site's host names")
    if not env.str("DATABASE_URL", default="") or DATABASES["default"][
        "ENGINE"
    ].endswith("sqlite3"):
        _problems.append("DATABASE_URL must point at a real database (PostgreSQL)")
    if CACHES["backing"]["BACKEND"] in _PROCESS_LOCAL_CACHES:
        _problems.append(
            "CACHE_URL must be a cache every app server shares (Redis, or unset "
            "for the database cache), not a local-memory, dummy or file cache"
        )
    if _problems:
        raise ImproperlyConfigured(
            "Refusing to start in production (DEBUG=false): " + "; ".join(_problems)
        )
