"""An editor adds a dated correction: the page shows it, JSON-LD and the feed move on."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from articles.models import Correction
from tests.factories import article_change_form, make_article, make_editor

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
CORRECTED = PUBLISHED + timedelta(days=1)


@pytest.fixture
def corrected(client):
    with time_machine.travel(PUBLISHED, tick=False):
        article = make_article(title="Bridge to close", published_at=PUBLISHED)
    client.force_login(make_editor())
    form = article_change_form(
        article,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-noted_at_0": "2026-03-03",
            "corrections-0-noted_at_1": "09:00:00",
            "corrections-0-note": "An earlier version gave the wrong <b>date</b>.",
        },
    )
    with time_machine.travel(CORRECTED, tick=False):
        response = client.post(
            reverse("admin:articles_article_change", args=[article.pk]), form
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()
    article.refresh_from_db()
    return article


def test_the_article_shows_the_dated_correction_below_the_body(client, corrected):
    html = client.get(corrected.get_absolute_url()).text

    aside = html[html.index('class="article__corrections"') :]
    assert aside.index("</aside>") > aside.index("Correction")
    assert html.index('class="article__body"') < html.index("article__corrections")
    assert '<time datetime="2026-03-03T09:00:00-05:00">March 3, 2026' in aside
    # Plain text: the note's markup is shown, not rendered.
    assert "wrong &lt;b&gt;date&lt;/b&gt;." in aside


def test_the_json_ld_carries_the_modified_date(client, corrected):
    html = client.get(corrected.get_absolute_url()).text

    payload = re.search(
        r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html
    )
    data = json.loads(payload[1])
    assert data["datePublished"].startswith("2026-03-02T14:00:00")
    assert data["dateModified"].startswith("2026-03-03T14:00:00")


def test_the_feed_entry_is_updated(client, corrected):
    feed = client.get(reverse("articles:feed_atom")).text

    entry = feed[feed.index("<entry>") :]
    assert "<updated>2026-03-03T14:00:00+00:00</updated>" in entry, entry


def test_a_correction_needs_a_note(client):
    article = make_article()
    client.force_login(make_editor())
    form = article_change_form(
        article,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "update",
            "corrections-0-noted_at_0": "2026-03-03",
            "corrections-0-noted_at_1": "09:00:00",
            "corrections-0-note": "",
        },
    )

    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]), form
    )

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][2].formset.errors == [
        {"note": ["This field is required."]}
    ]
    assert not Correction.objects.exists()
