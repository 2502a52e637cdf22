"""
/privacy/ states what the code keeps and for how long, each period read from
the constant or setting that governs it: change one and the page follows.
Figures are marked data-fact="…" so each can be checked in its own place.
"""

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.urls import reverse

from comments import cookies, spam
from comments.forms import HONEYPOT_FIELD
from comments.notifications import CONFIRMATION_RESEND_AFTER
from comments.services import checking, editing, reporting, retention, submit
from comments.tokens import CONFIRM_MAX_AGE
from newsarchive import scheduler, tasks
from newsarchive.privacy import duration, per
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


def facts(client) -> dict[str, str]:
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    found = dict(re.findall(r'data-fact="([^"]+)">([^<]*)<', response.text))
    assert found, "no data-fact marks on the page"
    return found


def test_each_period_on_the_page_is_the_codes_own(client, settings):
    settings.COMMENTS_ANONYMISE_IP_DAYS = 30
    settings.COMMENTS_FLOOD_SECONDS = 15
    settings.COMMENTS_AKISMET_DISCARD = True

    page = facts(client)

    assert page == {
        "edit_window": f"{editing.EDIT_WINDOW.seconds // 60} minutes",
        "keep_payload": f"{checking.CHECK_WINDOW.days} days",
        "keep_payload_deleted": f"{settings.COMMENTS_AKISMET_PAYLOAD_DAYS} days",
        "keep_ip": "30 days",
        "keep_removed": f"{retention.REMOVED_KEEP.days} days",
        "keep_removed_erasure": f"{retention.REMOVED_KEEP.days} days",
        "keep_spam": f"{settings.COMMENTS_SPAM_KEEP_DAYS} days",
        "keep_discarded": f"{retention.DISCARD_KEEP.days} day",
        "report_rate": f"{reporting.RATE_WINDOW_SECONDS // 3600} hour",
        "confirm_link": f"{CONFIRM_MAX_AGE // DAY} days",
        "confirm_resend": "a day",
        "purge_every": "a day",
        "purge_within": "1 day",
        "task_kept": f"{tasks.SUCCEEDED_KEEP.days} day",
        "task_failed_kept": f"{tasks.FAILED_KEEP.days} days",
        "flood": "15 seconds",
        "duplicate": f"{submit.DUPLICATE_CACHE_SECONDS // 3600} hour",
        "edit_rate": f"{editing.IP_WINDOW_SECONDS // 60} minutes",
        f"cookie:{cookies.COMMENTER_COOKIE}": (
            f"{cookies.COMMENTER_MAX_AGE // (365 * DAY)} year"
        ),
        f"cookie:{cookies.PENDING_COOKIE}": f"{cookies.PENDING_MAX_AGE // 60} minutes",
        f"cookie:{cookies.EDITABLE_COOKIE}": (
            f"{cookies.PENDING_MAX_AGE // 60} minutes"
        ),
        f"cookie:{settings.CSRF_COOKIE_NAME}": (
            f"{settings.CSRF_COOKIE_AGE // (7 * DAY)} weeks"
        ),
        "cookie:messages": "until that page is shown, or you close the browser",
        f"cookie:{settings.SESSION_COOKIE_NAME}": (
            f"{settings.SESSION_COOKIE_AGE // (7 * DAY)} weeks"
        ),
    }


def test_the_page_follows_the_settings(client, settings):
    settings.COMMENTS_ANONYMISE_IP_DAYS = 7
    settings.COMMENTS_FLOOD_SECONDS = 45
    settings.SESSION_COOKIE_AGE = 3600
    settings.CSRF_COOKIE_NAME = "xsrf"

    page = facts(client)

    assert page["keep_ip"] == "7 days"
    assert page["flood"] == "45 seconds"
    assert page["cookie:sessionid"] == "1 hour"
    assert "cookie:xsrf" in page
    assert "cookie:csrftoken" not in page


def test_the_daily_figures_are_the_codes_daily_ones():
    # The page words these as "a day": check they still are one day.
    purge = next(j for j in scheduler.JOBS if j.name == "purge-comments")
    assert purge.every == CONFIRMATION_RESEND_AFTER == timedelta(days=1)


def test_the_page_follows_the_constants(client, monkeypatch, settings):
    settings.COMMENTS_SPAM_KEEP_DAYS = 9
    monkeypatch.setattr(retention, "DISCARD_KEEP", timedelta(hours=6))
    monkeypatch.setattr(retention, "REMOVED_KEEP", timedelta(days=60))
    monkeypatch.setattr(checking, "CHECK_WINDOW", timedelta(days=4))
    monkeypatch.setattr(cookies, "PENDING_MAX_AGE", 300)

    page = facts(client)

    assert page["keep_spam"] == "9 days"
    assert page["keep_discarded"] == "6 hours"
    assert page["keep_removed"] == "60 days"
    # Rechecks end with the window; the copy is kept as the setting says.
    assert page["keep_payload"] == "4 days"
    assert (
        page["keep_payload_deleted"] == f"{settings.COMMENTS_AKISMET_PAYLOAD_DAYS} days"
    )
    assert page["cookie:comments_pending"] == "5 minutes"


def test_with_ip_anonymising_off_the_page_says_ips_are_kept(client, settings):
    settings.COMMENTS_ANONYMISE_IP_DAYS = 0

    page = facts(client)
    text = client.get(reverse("privacy")).text

    assert "keep_ip" not in page
    assert "is kept for as long as the comment" in text


def test_without_discarding_there_is_no_one_day_spam(client, settings):
    settings.COMMENTS_AKISMET_DISCARD = False

    assert "keep_discarded" not in facts(client)


def test_without_flood_control_no_flood_record_is_claimed(client, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0

    assert "flood" not in facts(client)


def test_it_names_akismet_and_every_cookie_the_site_sets(client, settings):
    text = client.get(reverse("privacy")).text
    names = re.findall(r"<tr><td><code>([^<]+)</code>", text)
    commenter_cookies = [
        value for key, value in vars(cookies).items() if key.endswith("_COOKIE")
    ]

    assert "This site uses Akismet to reduce spam." in text
    assert 'href="https://akismet.com/privacy/"' in text
    assert len(commenter_cookies) == 3
    assert set(commenter_cookies) <= set(names)
    assert {settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME, "messages"} <= (
        set(names)
    )


def test_every_field_sent_to_akismet_is_described_on_the_page(client, settings):
    settings.AKISMET_IS_TEST = True
    payload = spam.build_payload(
        article=make_article(),
        data={
            "author_name": "Ada",
            "author_email": "ada@example.com",
            "author_url": "https://ada.example/",
            "body": "Words.",
            "parent": None,
        },
        ip="192.0.2.7",
        user_agent="Firefox",
        referrer="https://example.com/",
        user=make_user(),
        created=datetime(2026, 6, 5, tzinfo=UTC),
        honeypot_field=HONEYPOT_FIELD,
    )
    text = client.get(reverse("privacy")).text

    # Rechecks add why they check again; the honeypot's value is sent under
    # its own name, which honeypot_field_name announces.
    sent = {*payload, "recheck_reason"} - {HONEYPOT_FIELD}
    assert sent <= set(spam.FIELDS_IN_WORDS)
    assert payload["honeypot_field_name"] == HONEYPOT_FIELD
    for words in spam.FIELDS_IN_WORDS.values():
        assert f"<li>{words}</li>" in text.replace("&#x27;", "'"), words


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (timedelta(days=15), "15 days"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=7), "7 days"),
        (timedelta(days=14), "2 weeks"),
        (timedelta(days=365), "1 year"),
        (31_449_600, "52 weeks"),
        (1_209_600, "2 weeks"),
        (600, "10 minutes"),
        (3600, "1 hour"),
        (90, "90 seconds"),
    ],
)
def test_durations_read_as_whole_units(value, words):
    assert duration(value) == words


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (timedelta(days=1), "a day"),
        (3600, "an hour"),
        (timedelta(days=2), "every 2 days"),
        (600, "every 10 minutes"),
    ],
)
def test_how_often_reads_naturally(value, words):
    assert per(value) == words


def test_it_says_how_to_ask_for_a_copy_or_erasure(client, settings):
    settings.PRIVACY_CONTACT_EMAIL = "privacy@news.example"

    text = client.get(reverse("privacy")).text

    section = text[text.index('id="your-data"') :]
    assert 'href="mailto:privacy@news.example"' in section
    assert "a copy of everything we keep about you" in section
    assert "“Anonymous”" in section
    # The other sections send readers there instead of to "the editors".
    assert text.count('href="#your-data"') >= 2


def test_the_akismet_list_is_the_spam_modules_own(client, monkeypatch):
    monkeypatch.setattr(
        spam, "FIELDS_IN_WORDS", {**spam.FIELDS_IN_WORDS, "new_field": "a new thing"}
    )

    text = client.get(reverse("privacy")).text.replace("&#x27;", "'")

    listed = re.findall(r"<li>([^<]*)</li>", text[: text.index("How long we keep")])
    assert listed[-len(set(spam.FIELDS_IN_WORDS.values())) :] == list(
        dict.fromkeys(spam.FIELDS_IN_WORDS.values())
    )
    assert "<li>a new thing</li>" in text


def test_the_contact_address_defaults_to_the_sending_address():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from newsarchive import settings; print(settings.PRIVACY_CONTACT_EMAIL)",
        ],
        env={"PATH": "/usr/bin:/bin", "DEFAULT_FROM_EMAIL": "News <desk@news.example>"},
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "desk@news.example"
